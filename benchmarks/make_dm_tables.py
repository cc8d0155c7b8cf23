"""Generate the dark-matter charge-response tables ``nuatom/data/darkmatter/{Ge,Xe,Na,Ar,I,Cs}.npz``.

These are **nuatom's own results**: the charge response R00 of the vector current (the
dynamic structure factor S(T, q) of each subshell, occupation included) from
:func:`nuatom.response.tabulate` with the default :class:`~nuatom.response.engine.ResponseOptions`
(frozen-core DHF, continuum in the V^(N-1) field of the ion with a hole in the ionized
subshell, exact exchange, all Coulomb multipoles, partial waves to relative 1e-5), kept
**per subshell** (no shell dropped: a subshell is zero below its Koopmans threshold).
Only the Coulomb-Coulomb multipole sum is computed (``components=("R00",)``,
``currents=("vector",)``).

Grids (:func:`T_grid_keV`, :func:`q_grid_keV`), chosen for DM-electron scattering with
m_chi <= ~1 GeV in the standard halo (T_max = m_chi (v_esc + v_E)^2 / 2 = 3.5 keV at 1 GeV):

* ``T``: from 1.02 x the first Koopmans threshold to ``T_MAX_KEV`` = 4 keV, logarithmic with
  ``T_PER_DECADE`` points per decade, plus a point 1.02 x every threshold
  below 4 keV (the onset of each subshell).
* ``q``: logarithmic, ``Q_PER_DECADE`` per decade from ``Q_MIN_KEV`` = 1 keV to
  ``Q_MAX_KEV`` = 2000 keV. The DM kinematics needs q >= T / v_max >= 2.7 keV (Ge) and
  4.5 keV (Xe) at threshold; the truncation at 2000 keV is tested in
  ``tests/darkmatter/test_tables.py``.

Run (one element at a time, 2 workers)::

    .venv/bin/python benchmarks/make_dm_tables.py Xe --workers 2
"""
from __future__ import annotations

import argparse
import concurrent.futures
import pathlib
import time

import numpy as np

import nuatom
from nuatom.response import tabulate

T_MAX_KEV = 4.0
T_PER_DECADE = 8
Q_MIN_KEV = 1.0
Q_MAX_KEV = 2000.0
Q_PER_DECADE = 14
EDGE_OFFSETS = (1.02,)
OUT = pathlib.Path(__file__).resolve().parents[1] / "nuatom" / "data" / "darkmatter"


def T_grid_keV(atom) -> np.ndarray:
    """Energy transfers (keV): log grid from the first threshold plus points above every threshold."""
    edges = sorted(o.binding_energy_eV * 1e-3 for o in atom.orbitals)
    lo = EDGE_OFFSETS[0] * edges[0]
    n = int(round(T_PER_DECADE * np.log10(T_MAX_KEV / lo))) + 1
    extra = [f * e for e in edges for f in EDGE_OFFSETS if f * e < T_MAX_KEV]
    return np.unique(np.round(np.concatenate([np.geomspace(lo, T_MAX_KEV, n), extra]), 9))


def q_grid_keV() -> np.ndarray:
    """Momentum transfers (keV/c), log-spaced."""
    n = int(round(Q_PER_DECADE * np.log10(Q_MAX_KEV / Q_MIN_KEV))) + 1
    return np.geomspace(Q_MIN_KEV, Q_MAX_KEV, n)


def make(element: str, workers: int) -> pathlib.Path:
    atom = nuatom.atom(element)
    T, q = T_grid_keV(atom), q_grid_keV()
    print(f"{element}: {T.size} T x {q.size} q", flush=True)
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(workers) as ex:
        table = tabulate(atom, T, q, components=("R00",), currents=("vector",), executor=ex,
                         cache=True, progress=True)
    wall = time.perf_counter() - start
    table.metadata["generator"] = f"benchmarks/make_dm_tables.py {element} --workers {workers}"
    table.metadata["generation_wall_s"] = wall
    OUT.mkdir(parents=True, exist_ok=True)
    path = table.save(OUT / f"{element}.npz")
    print(f"{element}: {wall:.0f} s wall; unconverged (subshell, T): {int((~table.converged).sum())}; "
          f"largest kappa' {int(table.kappa_max.max())}, J {int(table.J_max.max())}; -> {path} "
          f"({path.stat().st_size / 1e6:.2f} MB)", flush=True)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("elements", nargs="*", default=["Ge", "Xe"])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    for element in args.elements:
        make(element, args.workers)


if __name__ == "__main__":
    main()
