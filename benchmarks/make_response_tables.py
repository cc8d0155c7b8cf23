"""Generate nuatom's reference response tables ``nuatom/data/response/{Ge,Xe}.npz``.

The tables are **nuatom's own results** (frozen-core Dirac–Hartree–Fock, continuum in the
field of the ion with a hole in the ionized subshell, all multipoles and partial waves to
the package tolerances), made with :func:`nuatom.response.engine.tabulate` and then summed over
subshells (:meth:`nuatom.response.engine.ResponseTable.summed`) to keep the files small; the
per-subshell breakdown is recomputed where a chapter shows it. They hold all 20 bilinear
multipole sums, so every current (vector, axial, weak with any c_V, c_A) follows.

Grids (see :func:`T_grid_keV`, :func:`q_grid_keV`):

* ``T``: logarithmic, ``T_PER_DECADE`` points per decade from ``T_MIN_KEV`` to 30 keV, plus
  one point 2 % above every Koopmans threshold below 30 keV (the onset of each subshell).
* ``q``: logarithmic in three pieces, dense (``Q_DENSE_PER_DECADE``) over 2–500 keV where
  the Bethe ridge :math:`q \\approx \\sqrt{2m_eT}` of T = 4 eV .. 250 keV lies, sparse
  below (the dipole region, where R ∝ q² or constant) and above (the far tail, up to
  2 MeV = 2E_ν for reactor neutrinos).

Run (about 15 + 15 min on two cores)::

    .venv/bin/python benchmarks/make_response_tables.py            # both elements
    .venv/bin/python benchmarks/make_response_tables.py Xe --workers 2
"""
from __future__ import annotations

import argparse
import concurrent.futures
import pathlib
import sys
import time

import numpy as np

import nuatom
from nuatom.response import reference_q_grid_keV, tabulate

ELEMENTS = ("Ge", "Xe")
#: Below the outermost Koopmans threshold (Ge 7.2, Xe 12.0, Cs 3.5, I 10.6 eV): the first column
#: is zero, so the table starts where the response does.
T_MIN_KEV = {"Ge": 0.010, "Xe": 0.014, "Cs": 0.004, "I": 0.012}
T_MAX_KEV = 30.0
T_PER_DECADE = 12
EDGE_OFFSET = 1.02
OUT = pathlib.Path(__file__).resolve().parents[1] / "nuatom" / "data" / "response"


#: Fewest nodes between two consecutive thresholds (the cubic interpolation in T of
#: nuatom.neutrino.xsec.interpolated_coupling_integrals needs four).
MIN_SEGMENT_NODES = 4


def T_grid_keV(atom) -> np.ndarray:
    """Energy transfers (keV): log grid plus a point just above every threshold, plus
    points in every interval between consecutive thresholds that holds fewer than
    ``MIN_SEGMENT_NODES`` (close thresholds: Ge 3p-3s, 2p-2s; Xe 4d, 3d, 2p), spread
    geometrically from just above its lower threshold to just below its upper one."""
    lo = T_MIN_KEV[atom.symbol]
    n = int(round(T_PER_DECADE * np.log10(T_MAX_KEV / lo))) + 1
    base = np.geomspace(lo, T_MAX_KEV, n)
    thresholds = sorted({o.binding_energy_eV * 1e-3 for o in atom.orbitals})
    edges = [EDGE_OFFSET * b for b in thresholds]
    edges = [e for e in edges if lo < e < T_MAX_KEV]
    T = np.unique(np.round(np.concatenate([base, edges]), 9))
    bounds = [lo] + [b for b in thresholds if lo < b < T_MAX_KEV] + [T_MAX_KEV * 1.0000001]
    extra = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        inside = T[(T > a) & (T < b)] if a > lo else T[(T >= a) & (T < b)]
        if inside.size >= MIN_SEGMENT_NODES:
            continue
        if b / a > 1.06:
            start, stop = (EDGE_OFFSET * a if a > lo else a), b / 1.005
        else:  # close thresholds: spread over the interval's inner 80 %
            start, stop = a * (b / a) ** 0.1, a * (b / a) ** 0.9
        gap = 0.25 * np.log(stop / start) / (MIN_SEGMENT_NODES - 1)
        for t in np.geomspace(start, stop, MIN_SEGMENT_NODES):
            if inside.size + len([e for e in extra if a < e < b]) >= MIN_SEGMENT_NODES:
                break
            if inside.size == 0 or np.all(np.abs(np.log(inside / t)) > gap):
                extra.append(t)
    return np.unique(np.round(np.concatenate([T, extra]), 9))


def q_grid_keV() -> np.ndarray:
    """Momentum transfers (keV/c): :func:`nuatom.response.engine.reference_q_grid_keV`."""
    return reference_q_grid_keV()


def make(element: str, workers: int, out: pathlib.Path = OUT) -> pathlib.Path:
    atom = nuatom.atom(element)
    T = T_grid_keV(atom)
    q = q_grid_keV()
    print(f"{element}: {T.size} T x {q.size} q", flush=True)
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(workers) as ex:
        table = tabulate(atom, T, q, executor=ex, cache=True, progress=True)
    wall = time.perf_counter() - start
    total = table.summed()
    total.metadata["generator"] = ("benchmarks/make_response_tables.py "
                                   f"{element} --workers {workers}")
    total.metadata["generation_wall_s"] = wall
    out.mkdir(parents=True, exist_ok=True)
    path = total.save(out / f"{element}.npz")
    print(f"{element}: {wall:.0f} s wall; unconverged (subshell, T): {int((~table.converged).sum())}; "
          f"largest kappa' {int(table.kappa_max.max())}, J {int(table.J_max.max())}; -> {path} "
          f"({path.stat().st_size / 1e6:.2f} MB)", flush=True)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("elements", nargs="*", default=list(ELEMENTS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help="output directory")
    args = parser.parse_args(argv)
    for el in args.elements:
        make(el, args.workers, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
