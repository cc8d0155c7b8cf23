"""How far the RPA correction reaches in the multipole rank J (run by hand; prints a table).

The packaged RPA responses (``nuatom/data/response/rpa``, ``nuatom/data/darkmatter/rpa``) add
the RRPA correction of the ranks J <= 3 only; higher ranks stay frozen-core. This prints, per
rank J of the natural-parity (charge) kernel, the J-partial charge response
:math:`R_{00}^{(J)} = 4\\pi\\sum_a w_a\\sum_{\\bar\\kappa}|C_J|^2` (1/Hartree) with the induced
potential (RPA) and without it in the field of the ion (``induced=False, hole=True``: the
frozen core the packaged tables are built on), the relative change of that rank, and the
change as a fraction of the whole J-summed frozen-core response of the ranks printed, which
is the truncation error a rank J > 3 would leave in the tables.

Usage::

    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/bench_rpa_multipole_truncation.py Xe 21.785 2.7,27 0,1,2,3,4,5,6

Arguments: element, energy transfer T (eV), momenta q (bohr^-1, comma separated), ranks J.

Measured (2026-12-05, one core with two other jobs running, about 30-210 s per rank):

========  =======  =====  ==========================  ========================================
atom      T (eV)   q      change of rank J (J = 0..6)   J >= 4 change / whole frozen-core R00
========  =======  =====  ==========================  ========================================
Xe        21.785   2.7    +60 %, +276 %, -36 %, +0.1 %,  -0.7 % (J = 4), +0.1 % (5), +0.01 % (6)
                          -1.2 %, +14 %, +18 %
Xe        21.785   27     -15 %, +97 %, -63 %, +56 %,    -4.4 % (J = 4), < 1e-6 (J >= 5)
                          -64 %, +93 %, +32 %
Xe        92.69    2.7    -65 %, -72 %, -15 %, +4.9 %,   -0.13 % (J = 4), +0.2 % (5)
                          -0.7 %, +2.0 %
Xe        92.69    13.5   -88 %, -33 %, -0.8 %, +32 %,   -0.11 % (J = 4), +3.3 % (5)
                          -26 %, +7.2 %
========  =======  =====  ==========================  ========================================

(The last column is relative to the sum of the ranks printed.) So at 10 keV/c the ranks above
3 are corrected by 0.6 % (21.8 eV) and 0.1 % (92.7 eV, the 4d giant resonance) of the response
in all; at 50 keV/c on the giant resonance by +3.2 % (J = 4, 5; J >= 6 not computed), and at
100 keV/c, where the 21.8 eV response is a far tail, by -4.4 %. (Above the ranks shown the
frozen-core response at 21.8 eV and 27 bohr^-1 is below 1e-6 of the total.)
"""
from __future__ import annotations

import math
import sys
import time

import nuatom
from nuatom.continuum.rpa import RPAOptions, rpa_multipoles_over_q
from nuatom.fmt import table
from nuatom.numerics.memory import keep_freed_memory
from nuatom.units import HARTREE_EV


def rank_responses(atom, omega_hartree: float, momenta, J: int) -> dict:
    """``{"rpa": [...], "dhf": [...]}``: the J-partial charge response at each momentum (1/Hartree)."""
    out = {}
    for tag, options in (("rpa", RPAOptions()), ("dhf", RPAOptions(induced=False, hole=True))):
        results = rpa_multipoles_over_q(atom, omega_hartree, momenta, J=J, kinds=("C",), options=options)
        out[tag] = [4 * math.pi * sum(r.bilinear_sum("C", "C").values()) for r in results]
    return out


def main(argv) -> int:
    keep_freed_memory()
    element, T_eV = argv[0], float(argv[1])
    momenta = [float(x) for x in argv[2].split(",")]
    ranks = [int(x) for x in argv[3].split(",")] if len(argv) > 3 else list(range(7))
    atom = nuatom.atom(element)
    omega = T_eV / HARTREE_EV
    per_rank = {}
    for J in ranks:
        start = time.perf_counter()
        per_rank[J] = rank_responses(atom, omega, momenta, J)
        print(f"J = {J}: {time.perf_counter() - start:.0f} s", flush=True)
    rows = []
    for iq, q in enumerate(momenta):
        whole = sum(per_rank[J]["dhf"][iq] for J in ranks)
        for J in ranks:
            rpa, dhf = per_rank[J]["rpa"][iq], per_rank[J]["dhf"][iq]
            rows.append([element, f"{T_eV:g}", f"{q:g}", J, f"{rpa:.4e}", f"{dhf:.4e}",
                         f"{(rpa - dhf) / dhf:+.3f}" if dhf else "-", f"{(rpa - dhf) / whole:+.2e}"])
    print(table(rows, ["atom", "T [eV]", "q [1/bohr]", "J", "R00^J RPA [1/Ha]", "R00^J DHF [1/Ha]",
                       "change of rank", "change / whole DHF R00"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
