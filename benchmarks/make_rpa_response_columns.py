"""RPA response columns at chosen energy transfers of the packaged reference tables.

For each energy transfer T (a node of ``nuatom/data/response/{element}.npz``, the frozen-core
DHF reference table, method ``"dhf"``) and every momentum of the reference grid (378 values,
5 eV/c-2 MeV/c), this computes the RPA correction of the multipoles J <= J_max (default 3)
of every current,

.. math:: \\Delta S_{XY}(T, q) = \\sum_a\\big[S^{\\rm RPA}_{XY,J\\le J_{\\max}} - S^{\\rm DHF}_{XY,J\\le J_{\\max}}\\big],

with :func:`nuatom.response.rpa.rpa_low_rank_correction` (the dressed amplitudes by the adjoint
route: one GMRES solve per open channel of each (T, J, parity) kernel, then every momentum
as a radial integral), and adds it to the packaged DHF column:
:math:`S^{\\rm RPA} = S^{\\rm DHF}_{\\rm table} + \\Delta S`, the assembly of
:mod:`nuatom.response.rpa`. The result is a :class:`nuatom.response.ResponseTable` (summed
over subshells) at those T only, written to ``OUT/{element}_rpa_columns.npz`` with the
wall time of each column and the engine revision in its metadata (a later run adds its
columns to the file's earlier ones; the file is rewritten after every finished column, so an
interrupted run keeps what it finished). It is
*not* a full table: the RPA costs minutes per T (see the printed timings), so only chosen
columns are made.

Usage (each T in its own process; ``--workers`` processes at a time)::

    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/make_rpa_response_columns.py Ge 98.5,309.2 --workers 2

A T value within 0.1 % of a table node takes that node (so the printed node values, eV with
one decimal, can be given) and its frozen-core column; any other T computes its frozen-core
column with :func:`nuatom.response.tabulate` and the reference table's options (about half a
minute), and the metadata key ``rpa_column_base`` says which. One JSON line per column is printed as it finishes.

Columns are added to the package with ``--merge``: it computes nothing, checks that the run's
engine revision and J_max are the packaged file's, and merges its columns into
``nuatom/data/response/rpa/{element}.npz`` (or ``--into PATH``), keeping the packaged columns
it does not replace::

    python benchmarks/make_rpa_response_columns.py Xe --merge /tmp/nuatom-rpa-columns/Xe_rpa_columns.npz
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import pathlib
import time

import numpy as np

import nuatom
from nuatom.numerics.memory import keep_freed_memory
from nuatom.continuum.multipoles import KINDS
from nuatom.response import reference_table, tabulate
from nuatom.response.engine import basis_for
from nuatom.response.rpa import RPAResponseOptions, rpa_low_rank_correction
from nuatom.response.tables import ENGINE_REVISION, ResponseTable
from nuatom.units import HARTREE_KEV, kev_to_hartree, q_kev_to_au

OUT = pathlib.Path("/tmp/nuatom-rpa-columns")
PACKAGED = pathlib.Path(nuatom.__file__).parent / "data" / "response" / "rpa"


def correction_column(element: str, T_keV: float, q_keV: np.ndarray, J_max: int) -> dict:
    """``{"T_keV", "basis", "correction_per_keV" [basis, q], "seconds", "iterations"}``."""
    atom = nuatom.atom(element)
    options = RPAResponseOptions(J_max=J_max)
    T = float(kev_to_hartree(T_keV))
    q = q_kev_to_au(q_keV)
    start = time.perf_counter()
    basis = basis_for(KINDS)
    correction = sum(rpa_low_rank_correction(atom, T, q, kinds=KINDS, options=options).values(),
                     np.zeros((len(basis), q.size)))
    return {"T_keV": T_keV, "basis": basis, "correction_per_keV": correction / HARTREE_KEV,
            "seconds": time.perf_counter() - start}


def frozen_core_column(element: str, dhf: ResponseTable, T_keV: float) -> dict:
    """The frozen-core (DHF) column at ``T_keV`` that the RPA correction is added to.

    At a node of the reference table (within 0.1 %) it is that table's column. Elsewhere it
    is computed here with :func:`nuatom.response.tabulate` and the options of the reference
    table (the defaults), so that it is the column the reference table would have had.
    """
    j = int(np.argmin(np.abs(dhf.T_keV - T_keV)))
    if abs(dhf.T_keV[j] - T_keV) <= 1e-3 * T_keV:
        return {"T_keV": float(dhf.T_keV[j]), "sums": dhf.sums_per_keV[0, :, j, :],
                "kappa_max": int(dhf.kappa_max[0, j]), "J_max": int(dhf.J_max[0, j]),
                "converged": bool(dhf.converged[0, j]), "base": "reference-table node"}
    with concurrent.futures.ThreadPoolExecutor(1) as serial:
        column = tabulate(nuatom.atom(element), [T_keV], dhf.q_keV, executor=serial, cache=False,
                          progress=False).summed()
    if tuple(column.basis) != tuple(dhf.basis):
        raise RuntimeError("the computed frozen-core column has another basis than the reference table")
    return {"T_keV": float(T_keV), "sums": column.sums_per_keV[0, :, 0, :],
            "kappa_max": int(column.kappa_max[0, 0]), "J_max": int(column.J_max[0, 0]),
            "converged": bool(column.converged[0, 0]), "base": "computed (reference options)"}


def rpa_column(element: str, T_keV: float, J_max: int) -> dict:
    """Frozen-core column plus the RPA correction at one energy transfer (one process)."""
    dhf = reference_table(element)
    base = frozen_core_column(element, dhf, T_keV)
    corr = correction_column(element, base["T_keV"], dhf.q_keV, J_max)
    sums = base["sums"].copy()
    sums[[dhf.basis.index(b) for b in corr["basis"]], :] += corr["correction_per_keV"]
    return {**base, "sums": sums, "seconds": corr["seconds"]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("element")
    parser.add_argument("T_eV", nargs="?", help="comma-separated energy transfers (eV); a value within 0.1 %% of a "
                                     "table node takes that node's frozen-core column, any other value "
                                     "computes its own")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--J-max", type=int, default=3)
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    parser.add_argument("--merge", type=pathlib.Path, metavar="SRC",
                        help="merge the columns of a finished run (SRC) into the packaged file; computes nothing")
    parser.add_argument("--into", type=pathlib.Path, default=None,
                        help="the file --merge writes (default: the packaged nuatom/data/response/rpa/ELEMENT.npz)")
    args = parser.parse_args(argv)
    dhf = reference_table(args.element)
    if args.merge is not None:
        into = args.into or PACKAGED / f"{args.element}.npz"
        merged = merge_columns(args.merge, into, args.element, dhf)
        print(json.dumps({"element": args.element, "into": str(into),
                          "T_eV": [round(t * 1e3, 2) for t in merged.T_keV]}))
        return 0
    if args.T_eV is None:
        parser.error("T_eV is required unless --merge is given")
    requested = sorted({float(x) * 1e-3 for x in args.T_eV.split(",")})
    if any(not (t > 0) for t in requested):
        parser.error("T_eV: every energy transfer must be > 0")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.element}_rpa_columns.npz"
    with concurrent.futures.ProcessPoolExecutor(args.workers, initializer=keep_freed_memory) as ex:
        futures = [ex.submit(rpa_column, args.element, t, args.J_max) for t in requested]
        for f in concurrent.futures.as_completed(futures):
            col = f.result()
            print(json.dumps({"element": args.element, "T_eV": round(col["T_keV"] * 1e3, 2),
                              "base": col["base"], "seconds": round(col["seconds"], 1)}), flush=True)
            # written after every column, so that an interrupted run keeps what it finished
            save_columns(path, args.element, {round(col["T_keV"], 9): col}, dhf, args.J_max)
    print(f"-> {path}")
    return 0


def save_columns(path: pathlib.Path, element: str, columns: dict, dhf: ResponseTable, J_max: int) -> None:
    """Merge ``columns`` ({T_keV: column}) into the file at ``path`` (created if absent)."""
    columns = dict(columns)
    if path.exists():
        # keep the columns of earlier runs that this run did not recompute
        for key, col in _columns_of(ResponseTable.load(path)).items():
            if not any(abs(col["T_keV"] - k) <= 1e-3 * col["T_keV"] for k in columns):
                columns[key] = col
    order = sorted(columns)
    cols = [columns[k] for k in order]
    metadata = dict(dhf.metadata)
    metadata.update({
        "method": "rpa: " + metadata.get("method", "") + "; plus the RRPA correction of the multipoles "
                  f"J <= {J_max} of every current (nuatom.response.rpa, adjoint route)",
        "rpa_J_max": J_max, "rpa_engine_revision": ENGINE_REVISION,
        "rpa_column_seconds": [c["seconds"] for c in cols],
        "rpa_column_base": [c["base"] for c in cols],
        "generator": f"benchmarks/make_rpa_response_columns.py {element} T_eV --J-max {J_max}",
    })
    table = ResponseTable(
        T_keV=np.array([c["T_keV"] for c in cols]), q_keV=dhf.q_keV, subshells=dhf.subshells,
        binding_keV=dhf.binding_keV, basis=dhf.basis,
        sums_per_keV=np.stack([c["sums"] for c in cols], axis=1)[None],
        kappa_max=np.array([[c["kappa_max"] for c in cols]]), J_max=np.array([[c["J_max"] for c in cols]]),
        converged=np.array([[c["converged"] for c in cols]]), metadata=metadata)
    table.save(path)


def _columns_of(table: ResponseTable) -> dict:
    bases = table.metadata.get("rpa_column_base", ["reference-table node"] * table.T_keV.size)
    return {round(float(t), 9): {
        "T_keV": float(t), "sums": table.sums_per_keV[0, :, n, :], "kappa_max": int(table.kappa_max[0, n]),
        "J_max": int(table.J_max[0, n]), "converged": bool(table.converged[0, n]), "base": bases[n],
        "seconds": float(table.metadata["rpa_column_seconds"][n])} for n, t in enumerate(table.T_keV)}


def merge_columns(src: pathlib.Path, into: pathlib.Path, element: str, dhf: ResponseTable) -> ResponseTable:
    """Merge the columns of the run ``src`` into the file ``into`` (:func:`save_columns`),
    refusing a run of another engine revision or J_max than the file's; returns the result."""
    new = ResponseTable.load(src)
    J_max = int(new.metadata["rpa_J_max"])
    if into.exists():
        old = ResponseTable.load(into)
        for key in ("rpa_engine_revision", "rpa_J_max"):
            if new.metadata[key] != old.metadata[key]:
                raise ValueError(f"{src}: {key} = {new.metadata[key]}, but {into} has {old.metadata[key]}; "
                                 "columns of different engines are not merged")
    save_columns(into, element, _columns_of(new), dhf, J_max)
    return ResponseTable.load(into)


if __name__ == "__main__":
    raise SystemExit(main())
