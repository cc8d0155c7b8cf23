"""The f-sum rank by rank: the RPA satisfies it (Thouless's theorem), the frozen core does not.

For helium (one shell, so no discrete excitations hide in a continuum) at a few momentum
transfers q (bohr^-1), every Coulomb multipole rank J <= J_max:

* ``rpa/K``: the RPA's f-sum over the ionization continuum, int T R00_J dT, divided by the
  kinetic double commutator K_J (``nuatom.response.sumrules.kinetic_fsum_per_rank_keV``),
  and by the free positive-energy factor m/E_q;
* ``vN/K``: the same for the frozen core in the field of the neutral atom (V^N, the RPA's
  static Hamiltonian);
* over all ranks: sum_J (vN - rpa) against the exchange term Delta(q) of the f-sum predicted
  from the occupied orbitals alone (``exchange_fsum_correction_keV``, non-relativistic He),
  and the share of the kinetic sum the ranks above J_max would add.

Usage (one core; He at three momenta and J <= 24: 1,101 s, 156 energy transfers, with the other core
busy)::

    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/bench_rpa_fsum.py 3,5,8 24

Prints a table; the last line is JSON.
"""
import json
import sys
import time

import numpy as np

import nuatom
from nuatom.response import sumrules as sr
from nuatom.units import ME_KEV, MOMENTUM_AU_KEV


def main(argv):
    q_au = np.array([float(x) for x in (argv[0] if argv else "3,5,8").split(",")])
    J_max = int(argv[1]) if len(argv) > 1 else 24
    he = nuatom.atom("He")
    q = q_au * MOMENTUM_AU_KEV
    start = time.perf_counter()
    res = sr.rank_fsum(he, q, range(J_max + 1), progress=True)
    seconds = time.perf_counter() - start
    free = ME_KEV / np.hypot(ME_KEV, q)
    target = sr.fsum_target_keV(2, q)
    delta = sr.exchange_fsum_correction_keV(nuatom.atom("He", relativistic=False), q)
    K_rest = target - res.kinetic_keV.sum(axis=0)
    print(f"He, {res.n_points} energy transfers x {J_max + 1} ranks x 2 methods: {seconds:.0f} s")
    print("J  " + "  ".join(f"q={x:g}: rpa/(K m/E)  vN/(K m/E)" for x in q_au))
    for iJ, J in enumerate(res.J):
        cells = [f"{res.rpa_ratio[iJ, i] / free[i]:12.6f} {res.frozen_ratio[iJ, i] / free[i]:11.6f}"
                 for i in range(q.size)]
        print(f"{J:2d} " + "   ".join(cells))
    rows = []
    for i, x in enumerate(q_au):
        row = {
            "q_au": float(x), "q_keV": float(q[i]), "m_over_E": float(free[i]),
            "rpa_sum_over_target": float(res.rpa_keV[:, i].sum() / target[i]),
            "vN_sum_over_target": float(res.frozen_keV[:, i].sum() / target[i]),
            "kinetic_share_above_J_max": float(K_rest[i] / target[i]),
            "vN_minus_rpa_over_target": float((res.frozen_keV[:, i] - res.rpa_keV[:, i]).sum() / target[i]),
            "exchange_delta_over_target": float(delta[i] / target[i]),
            "worst_rank_rpa_deviation": float(np.max(np.abs(res.rpa_ratio[:, i] / free[i] - 1))),
            "max_tail_fraction": float(np.nanmax([res.tail_fraction["rpa"][:, i],
                                                  res.tail_fraction["frozen"][:, i]])),
        }
        # ranks whose power-law tail could not be fitted (the probes do not fall faster than
        # 1/T^2; counted as zero), with the share of the kinetic sum they carry
        unfitted = np.isnan(res.tail_fraction["rpa"][:, i]) | np.isnan(res.tail_fraction["frozen"][:, i])
        row["ranks_without_tail"] = [int(J) for J in np.array(res.J)[unfitted]]
        row["their_kinetic_share"] = float(res.kinetic_keV[unfitted, i].sum() / target[i])
        rows.append(row)
        print(f"q = {x:g} bohr^-1 ({q[i]:.2f} keV/c): sum_J rpa / (Zq^2/2m) = {row['rpa_sum_over_target']:.5f} "
              f"(m/E = {free[i]:.5f}, ranks > {J_max} would add {row['kinetic_share_above_J_max']:.1e}); "
              f"sum_J vN = {row['vN_sum_over_target']:.5f}; sum_J (vN - rpa) = {row['vN_minus_rpa_over_target']:.5f} "
              f"against the exchange term Delta/(Zq^2/2m) = {row['exchange_delta_over_target']:.5f}")
        if row["ranks_without_tail"]:
            print(f"    no tail fitted at J = {row['ranks_without_tail']} "
                  f"(their share of the kinetic sum: {row['their_kinetic_share']:.1e})")
    print(json.dumps({"element": "He", "J_max": J_max, "seconds": seconds, "n_points": res.n_points,
                      "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1:])
