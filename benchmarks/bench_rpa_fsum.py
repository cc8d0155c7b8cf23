"""The f-sum rank by rank: the RPA satisfies it (Thouless's theorem), the frozen core does not.

For helium (one shell, so no discrete excitations hide in a continuum), or another closed-shell
atom at momenta large enough that its discrete excitations carry almost nothing (beryllium at
q = 11 bohr^-1, three times its 1s momentum scale), at a few momentum transfers q (bohr^-1),
every Coulomb multipole rank J <= J_max:

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
    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/bench_rpa_fsum.py 11 3 Be

Prints a table; the last line is JSON.

Measured (2026-12-05, nuatom 0.1.0, default quadrature ``RANK_FSUM_QUADRATURE``):

* He, q = 3, 5, 8 bohr^-1, J <= 24 (156 energy transfers; 1,101 s with the other core busy,
  1,863 s with both loaded): rank by rank RPA/(K_J m/E) = 0.99950-0.99994 at q = 5 and
  0.99979-0.99993 at q = 8; at q = 3 the monopole is 0.9927 (the RPA's discrete excitations,
  q only 1.8 times the 1s momentum scale), J >= 1 within 7e-4. Frozen core (V^N): 1.125 (J = 0)
  falling to 1.014 (J = 24) at q = 5. Summed over J: V^N - RPA = 0.16382, 0.073248, 0.030754
  of Zq^2/2m against the exchange term Delta(q) = 0.16292, 0.073238, 0.030791. The tail of a
  few ranks above 16 could not be fitted (counted as zero; 5.5e-6 and 2.1e-4 of the kinetic
  sum at q = 3 and 5).
* Be, q = 11 bohr^-1, J <= 3 (144 energy transfers, 910 s with the other core busy): RPA/(K_J m/E)
  = 0.99937, 0.99912, 0.99934, 0.99943; frozen core 1.0555, 1.0433, 1.0366, 1.0312.
* Ne, q = 30 bohr^-1, J <= 3 (``30 3 Ne``; 2026-12-06): not finished. The 1s discrete excitations
  fade only at q ~ 3 Z_eff(1s) ~ 30, where the Compton peak sits near 450 Ha (12 keV) and the
  power-law tail reaches 11,400 Ha (310 keV): 328 energy transfers. The first 164 (to 435 Ha)
  took 60 min on one core, 9 s per energy transfer at the start and 27 s at the end, so the
  rest would take several hours; the run was stopped. Expected: RPA/(K_J m/E) about 1 - 3e-3,
  the relativistic binding of the 1s pair, which carries 77-87 % of K_J for J <= 3 there
  (-(5/6)<p^2>/m^2 (1 + 2q^2/5m^2)/(1 + q^2/m^2)^2 per electron, <p^2> = 92.5 au for Ne 1s).
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
    element = argv[2] if len(argv) > 2 else "He"
    atom = nuatom.atom(element)
    n_electrons = sum(o.occupancy for o in atom.orbitals)
    q = q_au * MOMENTUM_AU_KEV
    start = time.perf_counter()
    res = sr.rank_fsum(atom, q, range(J_max + 1), progress=True)
    seconds = time.perf_counter() - start
    free = ME_KEV / np.hypot(ME_KEV, q)
    target = sr.fsum_target_keV(n_electrons, q)
    delta = sr.exchange_fsum_correction_keV(nuatom.atom(element, relativistic=False), q)
    K_rest = target - res.kinetic_keV.sum(axis=0)
    print(f"{element}, {res.n_points} energy transfers x {J_max + 1} ranks x 2 methods: {seconds:.0f} s")
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
    print(json.dumps({"element": element, "J_max": J_max, "seconds": seconds, "n_points": res.n_points,
                      "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1:])
