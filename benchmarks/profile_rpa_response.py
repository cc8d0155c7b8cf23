"""Where the time of an RPA response point goes (issue 15, "Profile").

Runs :func:`nuatom.response.rpa.rpa_response_point` (all eight multipole kinds, J <= J_max
dressed, the frozen-core base of all J) for one atom, one energy transfer and a momentum
grid under :mod:`cProfile`, then sorts the *exclusive* time of every function into the
stages of the calculation by the module and function it belongs to:

* ``continuum orbitals``: the Dirac continuum solver (:mod:`nuatom.continuum.solver`, the
  numerics ODE and Coulomb-wave matching);
* ``RPA Green's functions``: applying the projected Green's functions of the open and closed
  channels (``_OutgoingGreen``, ``_BoundGreen``, ``projected_green``) inside each GMRES matrix-vector product;
* ``RPA induced potentials``: the induced direct and exchange potentials (``induced``,
  ``exchange``, ``_yk`` and the angular coefficients);
* ``RPA linear solve``: GMRES itself (scipy) and the packing of the unknowns;
* ``radial integrals / multipoles``: the drive and the amplitudes (Bessel functions,
  multipole matrix elements, ``_open_amplitudes``, the frozen engine's bilinear sums);
* ``kernel set-up``: grids, potentials and static exchange of each (T, J, parity) kernel;
* everything else (numpy and Python overhead not attributable above) under ``other``.

Measured (2026-12-04, Ar, T = 100 eV, 2 momenta, all kinds, J <= 1 dressed, niced on the
loaded 2-core machine, so the 1,307 s are inflated; the shares are what matters), with one
GMRES solve per momentum and kind (the forward route): induced potentials 41 %
(``_induced_kernel`` alone 27 %), GMRES and its inner products 21 %, the radial cumulative
integrals of the Green's functions and of Y^k 10 %, Green's function application 5 % plus
``dirac.apply`` 4 %, continuum orbitals 2 %, radial integrals and multipoles 1 %. Each GMRES
iteration pays one induced-potential evaluation per channel pair, so the lever was the
number of solves.

Measured (2026-12-05, same atom and T, 16 momenta 0.2-20 bohr^-1, all kinds, J <= 3
dressed, with a second job on the other core) after the switch to the dressed final states
(the adjoint route: one solve per open channel of each kernel, then every momentum as a
radial integral): **49.7 s** in all. Induced potentials 40 % (``_induced_kernel`` 11.7 s,
``_exchange_kernel`` 6.1 s), the bound channels' Green's functions about 15 s
(``dirac.apply`` with its damped cumulative integrals, 9.1 s of them; this run filed them
under "other", which the stage table now assigns), GMRES's own work 10 %, radial integrals
2 %, continuum orbitals 2 %. The time is now almost all matrix-vector products of the
dressed-final-state solves (about 10 per solve), and it no longer grows with the number of
momenta.

Measured (2026-12-06) on a whole column, Ge at 98.5 eV (``make_rpa_response_columns.py Ge 98.5
--workers 1``), commits 78a22a7 and 770453a run side by side, one core each: 511.8 s before,
460.4 s after (vectorized Green's functions of the closed channels, batched Y^k of the induced
potentials, see ``bench_rpa.py``); the column's sums agree to 1.1e-15 of each sum's largest value.

Usage (one core; prints a table)::

    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/profile_rpa_response.py Ar 100 16
    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/profile_rpa_response.py Ge 300 16 --J-max 3

Arguments: element, energy transfer T (eV), number of momenta (log-spaced over 0.2-20
bohr^-1, the band of a response table where the RPA acts).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

import numpy as np

import nuatom
from nuatom.fmt import table
from nuatom.response.rpa import RPAResponseOptions, rpa_response_point
from nuatom.units import HARTREE_EV

#: (stage, predicate on (file, function name)); the first match wins.
STAGES = (
    ("RPA Green's functions", lambda f, n: "continuum/rpa" in f and ("Green" in n or n in ("apply", "projected_green",
                                                                                           "_cumulative_c"))),
    # the bound channels' Green's functions (structure/dirac.GreenFunction) and their
    # damped cumulative integrals
    ("RPA Green's functions", lambda f, n: ("structure/dirac" in f and n == "apply")
     or ("numerics/grid" in f and n in ("_damped_cumulative_kernel", "damped_cumulative_from_right"))),
    ("RPA induced potentials", lambda f, n: ("continuum/rpa" in f or "continuum/_induced" in f)
     and n in ("induced", "exchange", "_yk", "induced_coefficient", "_exchange_ks", "induced_array", "_c_component")),
    ("RPA induced potentials", lambda f, n: "continuum/_induced" in f or "structure/coulomb" in f),
    ("RPA linear solve", lambda f, n: "scipy/sparse/linalg" in f or ("continuum/rpa" in f and n in (
        "matvec", "solve", "_unpack", "_dot", "rhs", "size", "_keys"))),
    ("radial integrals / multipoles", lambda f, n: "numerics/bessel" in f or "continuum/multipoles" in f
     or "response/engine" in f or "numerics/angular" in f or n in ("_open_amplitudes", "_drive_source",
                                                                   "_drive_element", "_operator_source",
                                                                   "bilinear_sum", "set_drive")),
    ("continuum orbitals", lambda f, n: "continuum/solver" in f or "numerics/ode" in f or "numerics/coulombwave" in f
     or n in ("_continuum_on",)),
    ("kernel set-up", lambda f, n: "continuum/rpa" in f and n in ("__init__", "_build_grid", "_build_channels",
                                                                 "_build_self_terms", "_build_couplings",
                                                                 "_potential_on_grid", "_r_match", "_y0_static",
                                                                 "exchange_terms")),
)


def stage_of(filename: str, name: str) -> str:
    f = filename.replace("\\", "/")
    for stage, hit in STAGES:
        if hit(f, name):
            return stage
    return "other"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("element")
    ap.add_argument("T_eV", type=float)
    ap.add_argument("n_q", type=int)
    ap.add_argument("--J-max", dest="J_max", type=int, default=3)
    ap.add_argument("--top", type=int, default=12, help="also print the N most expensive functions")
    args = ap.parse_args(argv)
    atom = nuatom.atom(args.element)
    T = args.T_eV / HARTREE_EV
    q = np.geomspace(0.2, 20.0, args.n_q)
    # warm-up: numba compilation and the disk cache of the frozen continuum must not count
    rpa_response_point(atom, T, q[:1], kinds=("C",), options=RPAResponseOptions(J_max=0))
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    rpa_response_point(atom, T, q, options=RPAResponseOptions(J_max=args.J_max))
    prof.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(prof)
    per_stage: dict = {}
    rows = []
    for (filename, _, name), (_, _, tottime, cumtime, _) in stats.stats.items():
        stage = stage_of(filename, name)
        per_stage[stage] = per_stage.get(stage, 0.0) + tottime
        rows.append((tottime, cumtime, stage, f"{filename.split('site-packages/')[-1].split('nuatom/')[-1]}:{name}"))
    total = sum(per_stage.values())
    print(f"{args.element}, T = {args.T_eV:g} eV, {q.size} momenta 0.2-20 bohr^-1, all kinds, "
          f"J <= {args.J_max} dressed: {wall:.1f} s wall ({total:.1f} s profiled)")
    print(table([(s, f"{t:.1f}", f"{100 * t / total:.0f}") for s, t in sorted(per_stage.items(), key=lambda x: -x[1])],
                ["stage", "seconds", "%"]))
    print()
    rows.sort(reverse=True)
    print(table([(f"{a:.2f}", f"{b:.2f}", s, n) for a, b, s, n in rows[: args.top]],
                ["own s", "cumulative s", "stage", "function"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
