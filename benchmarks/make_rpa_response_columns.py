"""RPA response columns at chosen energy transfers of the packaged reference tables.

For each energy transfer T (a node of ``nuatom/data/response/{element}.npz``, the frozen-core
DHF reference table, method ``"dhf"``) and every momentum of the reference grid (378 values,
5 eV/c-2 MeV/c), this computes the RPA correction of the multipoles J <= J_max (default 3)
of every current,

.. math:: \\Delta S_{XY}(T, q) = \\sum_a\\big[S^{\\rm RPA}_{XY,J\\le J_{\\max}} - S^{\\rm DHF}_{XY,J\\le J_{\\max}}\\big],

with :func:`nuatom.response.rpa.rpa_low_rank_sums` (the dressed amplitudes by the adjoint
route: one GMRES solve per open channel of each (T, J, parity) kernel, then every momentum
as a radial integral), and adds it to the packaged DHF column:
:math:`S^{\\rm RPA} = S^{\\rm DHF}_{\\rm table} + \\Delta S`, the assembly of
:mod:`nuatom.response.rpa`. The result is a :class:`nuatom.response.ResponseTable` (summed
over subshells) at those T only, written to ``OUT/{element}_rpa_columns.npz`` with the
wall time of each column and the engine revision in its metadata (a later run adds its
columns to the file's earlier ones). It is
*not* a full table: the RPA costs minutes per T (see the printed timings), so only chosen
columns are made.

Usage (each T in its own process; ``--workers`` processes at a time)::

    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/make_rpa_response_columns.py Ge 98.5,309.2 --workers 2

T values are matched to the nearest table node (within 0.1 %), so the printed node values
(eV, one decimal) can be given. One JSON line per column is printed as it finishes.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import pathlib
import time

import numpy as np

import nuatom
from nuatom.continuum.multipoles import KINDS
from nuatom.response import reference_table
from nuatom.response.engine import basis_for
from nuatom.response.rpa import RPAResponseOptions, rpa_low_rank_sums
from nuatom.response.tables import ENGINE_REVISION, ResponseTable
from nuatom.units import HARTREE_KEV, kev_to_hartree, q_kev_to_au

OUT = pathlib.Path("/tmp/nuatom-rpa-columns")


def correction_column(element: str, T_keV: float, q_keV: np.ndarray, J_max: int) -> dict:
    """``{"T_keV", "basis", "correction_per_keV" [basis, q], "seconds", "iterations"}``."""
    atom = nuatom.atom(element)
    options = RPAResponseOptions(J_max=J_max)
    T = float(kev_to_hartree(T_keV))
    q = q_kev_to_au(q_keV)
    start = time.perf_counter()
    dressed, bare = rpa_low_rank_sums(atom, T, q, kinds=KINDS, options=options)
    basis = basis_for(KINDS)
    correction = np.zeros((len(basis), q.size))
    for label in set(dressed) | set(bare):
        correction += dressed.get(label, 0.0) - bare.get(label, 0.0)
    return {"T_keV": T_keV, "basis": basis, "correction_per_keV": correction / HARTREE_KEV,
            "seconds": time.perf_counter() - start}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("element")
    parser.add_argument("T_eV", help="comma-separated energy transfers (eV), matched to table nodes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--J-max", type=int, default=3)
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    args = parser.parse_args(argv)
    dhf = reference_table(args.element)
    nodes = []
    for t in (float(x) * 1e-3 for x in args.T_eV.split(",")):
        j = int(np.argmin(np.abs(dhf.T_keV - t)))
        if abs(dhf.T_keV[j] - t) > 1e-3 * t:
            parser.error(f"T = {t * 1e3:g} eV is not a node of the {args.element} table")
        nodes.append(j)
    nodes = sorted(set(nodes))
    columns = {}
    with concurrent.futures.ProcessPoolExecutor(args.workers) as ex:
        futures = {ex.submit(correction_column, args.element, float(dhf.T_keV[j]), dhf.q_keV, args.J_max): j
                   for j in nodes}
        for f in concurrent.futures.as_completed(futures):
            j = futures[f]
            col = f.result()
            columns[j] = col
            print(json.dumps({"element": args.element, "T_eV": round(col["T_keV"] * 1e3, 2),
                              "seconds": round(col["seconds"], 1)}), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.element}_rpa_columns.npz"
    corrections = {j: (columns[j]["basis"], columns[j]["correction_per_keV"], columns[j]["seconds"]) for j in nodes}
    if path.exists():
        # keep the columns of earlier runs that this run did not recompute
        old = ResponseTable.load(path)
        for n, t in enumerate(old.T_keV):
            j = int(np.argmin(np.abs(dhf.T_keV - t)))
            if j not in corrections:
                corrections[j] = (dhf.basis, old.sums_per_keV[0, :, n] - dhf.sums_per_keV[0, :, j],
                                  old.metadata["rpa_column_seconds"][n])
    nodes = sorted(corrections)
    sums = dhf.sums_per_keV[:, :, nodes, :].copy()
    correction = np.zeros((len(dhf.basis), len(nodes), dhf.q_keV.size))
    for n, j in enumerate(nodes):
        basis, values, _ = corrections[j]
        correction[[dhf.basis.index(b) for b in basis], n, :] = values
    sums[0] += correction
    metadata = dict(dhf.metadata)
    metadata.update({
        "method": "rpa: " + metadata.get("method", "") + "; plus the RRPA correction of the multipoles "
                  f"J <= {args.J_max} of every current (nuatom.response.rpa, adjoint route)",
        "rpa_J_max": args.J_max, "rpa_engine_revision": ENGINE_REVISION,
        "rpa_column_seconds": [corrections[j][2] for j in nodes],
        "generator": f"benchmarks/make_rpa_response_columns.py {args.element} T_eV --J-max {args.J_max}",
    })
    table = ResponseTable(T_keV=dhf.T_keV[nodes], q_keV=dhf.q_keV, subshells=dhf.subshells,
                          binding_keV=dhf.binding_keV, basis=dhf.basis, sums_per_keV=sums,
                          kappa_max=dhf.kappa_max[:, nodes], J_max=dhf.J_max[:, nodes],
                          converged=dhf.converged[:, nodes], metadata=metadata)
    table.save(path)
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
