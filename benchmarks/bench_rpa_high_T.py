"""RPA against the frozen core at high energy transfer: where the correlations fade.

For an atom, energy transfers T (keV) and momenta q (bohr^-1), the charge response
:math:`R_{00}(T, q)` summed over subshells, four ways:

* ``rpa``: :func:`nuatom.response.rpa.rpa_response_point` (RPA for J <= J_max on the
  frozen core of all J in the field of the ion);
* ``dhf``: that frozen core, method ``"dhf"`` of the packaged tables
  (``ResponseOptions(hole=True)``);
* ``vN``: the frozen core in the field of the neutral atom (``hole=False``), for scale;
* the ratios rpa/dhf and rpa/vN.

Usage (one core; measured with the other core busy: Ge 3-6 min per T up to 20 keV and 10 min at
30 keV, Xe 9-11 min per T at 10-30 keV)::

    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/bench_rpa_high_T.py Ge 1,3,10,20 1,5
    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/bench_rpa_high_T.py Xe 3,10,30 1,5

One JSON line per T on stdout.
"""
import json
import math
import sys
import time

import numpy as np

import nuatom
from nuatom.continuum.solver import ContinuumSolver
from nuatom.response.engine import ResponseOptions, subshell_basis_sums
from nuatom.response.rpa import rpa_response_point
from nuatom.units import HARTREE_EV


def charge_response(S_by_label, basis):
    i = basis.index(("C", "C"))
    return 4 * math.pi * sum(S[i] for S in S_by_label.values())


def main(argv):
    element = argv[0]
    T_keV = [float(x) for x in argv[1].split(",")]
    q_au = np.array([float(x) for x in argv[2].split(",")])
    atom = nuatom.atom(element)
    no_hole = ResponseOptions(hole=False)
    for t in T_keV:
        T = t * 1e3 / HARTREE_EV
        start = time.perf_counter()
        point = rpa_response_point(atom, T, q_au, kinds=("C",))
        seconds_rpa = time.perf_counter() - start
        start = time.perf_counter()
        neutral = {}
        solver = ContinuumSolver(atom, hole=None, options=no_hole.continuum)
        for o in atom.orbitals:
            if o.occupancy > 0 and -o.energy_hartree < T:
                neutral[o.label] = subshell_basis_sums(solver, o, T, q_au, no_hole, ("C",))[0]
        seconds_vn = time.perf_counter() - start
        rpa = charge_response(point.rpa, point.basis)
        d = charge_response(point.frozen, point.basis)
        vn = charge_response(neutral, point.basis)
        row = {"element": element, "T_keV": t, "q_au": q_au.tolist(), "R00_rpa": rpa.tolist(),
               "R00_vN": vn.tolist(), "R00_dhf": d.tolist(), "rpa_over_dhf": (rpa / d).tolist(),
               "rpa_over_vN": (rpa / vn).tolist(), "seconds_rpa": seconds_rpa, "seconds_vN": seconds_vn}
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
