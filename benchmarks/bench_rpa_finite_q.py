"""RPA at finite momentum transfer: RPA/frozen-core ratio of the charge response per
multipole, current conservation, and timings (run by hand; prints a table).

For each atom, energy transfer T and momentum q, and each J of the natural-parity kernel,
:func:`nuatom.continuum.rpa.rpa_multipoles` gives the dressed Coulomb and longitudinal
amplitudes; the script prints the J-partial charge response
:math:`R_{00}^{(J)} = 4\\pi\\sum_a w_a\\sum_{\\bar\\kappa}|C_J|^2` (per Hartree) with the induced
potential (RPA) and without it (frozen core in the V^N field, ``induced=False``), their
ratio, the largest violation of current conservation :math:`|cqL_J + \\omega C_J|/|\\omega C_J|`
over the channels, the GMRES iterations and the wall time of each solve pair.

Usage::

    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/bench_rpa_finite_q.py Xe 100,1000 0.5,2 0,1,2
    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/bench_rpa_finite_q.py Ge 100,1000 0.5,2 1

Arguments: element, energy transfers T in eV, momenta q in bohr^-1, ranks J (comma
separated each).
"""
import math
import sys
import time

import nuatom
from nuatom.continuum.rpa import RPAOptions, rpa_multipoles
from nuatom.fmt import table
from nuatom.units import C_AU, HARTREE_EV


def charge_response_and_violation(result, omega, q):
    C, L = result.amplitudes["C"], result.amplitudes["L"]
    r00 = 4 * math.pi * sum(result.bilinear_sum("C", "C").values())
    worst = max((abs(C_AU * q * L[k] + omega * C[k]) / abs(omega * C[k]) for k in C if abs(C[k]) > 0), default=0.0)
    return r00, worst


def main(argv):
    element = argv[0]
    energies_eV = [float(x) for x in argv[1].split(",")]
    momenta = [float(x) for x in argv[2].split(",")]
    ranks = [int(x) for x in argv[3].split(",")] if len(argv) > 3 else [0, 1, 2]
    atom = nuatom.atom(element)
    rows = []
    for T_eV in energies_eV:
        omega = T_eV / HARTREE_EV
        for q in momenta:
            for J in ranks:
                t0 = time.perf_counter()
                rpa = rpa_multipoles(atom, omega, q, J=J, kinds=("C", "L"))
                t_rpa = time.perf_counter() - t0
                t0 = time.perf_counter()
                frozen = rpa_multipoles(atom, omega, q, J=J, kinds=("C", "L"), options=RPAOptions(induced=False))
                t_frozen = time.perf_counter() - t0
                r_rpa, v_rpa = charge_response_and_violation(rpa, omega, q)
                r_fc, v_fc = charge_response_and_violation(frozen, omega, q)
                rows.append([element, f"{T_eV:g}", f"{q:g}", J, f"{r_rpa:.4e}", f"{r_fc:.4e}",
                             f"{r_rpa / r_fc:.4f}" if r_fc else "-", f"{v_rpa:.1e}", f"{v_fc:.1e}",
                             f"{sum(rpa.iterations.values())}", f"{t_rpa:.1f}", f"{t_frozen:.1f}"])
                print(" ".join(str(x) for x in rows[-1]), flush=True)
    print(table(rows, ["atom", "T [eV]", "q [1/bohr]", "J", "R00^J RPA [1/Ha]", "R00^J frozen [1/Ha]",
                       "RPA/frozen", "cons. RPA", "cons. frozen", "GMRES its", "RPA s", "frozen s"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
