"""RPA dark-matter charge-response tables ``nuatom/data/darkmatter/rpa/{Ge,Xe}.npz``.

**nuatom's own results.** For every energy transfer T of the packaged frozen-core
dark-matter table (``nuatom/data/darkmatter/{element}.npz``, method ``"dhf"``, made by
``benchmarks/make_dm_tables.py``) up to ``--T-max`` and every momentum of its grid (47
values, 1-2000 keV/c), this adds the RRPA correction of the Coulomb multipoles J <= J_max
(default 3) to each subshell's frozen-core charge response,

.. math:: S^{\\rm RPA}_{a}(T, q) = S^{\\rm DHF}_{a}(T, q) + S^{\\rm RPA}_{a, J\\le J_{\\max}} - S^{\\rm DHF}_{a, J\\le J_{\\max}},

the assembly of :mod:`nuatom.response.rpa` with kinds ``("C",)`` only: the charge operator
has natural parity, so only one (J, parity) kernel per rank is solved (half the kernels of a
full response column). Each subshell keeps its own correction, so the table is per subshell
like the frozen-core one, and ``nuatom.darkmatter.charge_response(element, method="rpa")``
interpolates it the same way.

The table stops at ``--T-max`` (default 0.41 keV, the node at 405 eV for Ge and 394 eV for
Xe): the RPA costs minutes per energy transfer, and DM with m_chi up to about 110 MeV in the
standard halo deposits no more (``nuatom.darkmatter.rates`` refuses heavier DM with it).

Usage (each T in its own process, ``--workers`` at a time; the file is rewritten after
every finished energy transfer, so an interrupted run keeps what it finished)::

    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/make_rpa_dm_tables.py Ge --workers 2
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import pathlib
import time

import numpy as np

import nuatom
from nuatom.darkmatter.tables import dm_response_table
from nuatom.numerics.memory import keep_freed_memory
from nuatom.response.rpa import RPAResponseOptions, rpa_low_rank_correction
from nuatom.response.tables import ENGINE_REVISION, ResponseTable
from nuatom.units import HARTREE_KEV, kev_to_hartree, q_kev_to_au

OUT = pathlib.Path(__file__).resolve().parents[1] / "nuatom" / "data" / "darkmatter" / "rpa"
KINDS = ("C",)


def rpa_charge_column(element: str, T_keV: float, J_max: int) -> dict:
    """Per-subshell RPA charge response at one node T of the frozen-core DM table (one process).

    Returns ``{"T_keV", "S_per_keV", "correction_per_keV", "base_per_keV"}`` (each [nsub, nq],
    1/keV) and ``"seconds"``.
    """
    dhf = dm_response_table(element)
    j = int(np.argmin(np.abs(dhf.T_keV - T_keV)))
    if abs(dhf.T_keV[j] - T_keV) > 1e-9 * T_keV:
        raise ValueError(f"T_keV = {T_keV}: not a node of the frozen-core DM table of {element}")
    atom = nuatom.atom(element)
    start = time.perf_counter()
    per_subshell = rpa_low_rank_correction(atom, float(kev_to_hartree(T_keV)), q_kev_to_au(dhf.q_keV),
                                           kinds=KINDS, options=RPAResponseOptions(J_max=J_max))
    seconds = time.perf_counter() - start
    correction = np.zeros((len(dhf.subshells), dhf.q_keV.size))
    for label, delta in per_subshell.items():
        if label not in dhf.subshells:
            raise RuntimeError(f"RPA subshell label {label!r} is not in the table's {dhf.subshells}")
        correction[dhf.subshells.index(label)] = np.reshape(delta, (-1, dhf.q_keV.size))[0] / HARTREE_KEV
    base = dhf.sums_per_keV[:, 0, j, :]
    return {"T_keV": float(dhf.T_keV[j]), "S_per_keV": base + correction, "correction_per_keV": correction,
            "base_per_keV": base, "seconds": seconds}


def save(path: pathlib.Path, element: str, columns: dict, J_max: int, T_max_keV: float) -> None:
    """Merge ``columns`` ({T_keV: column}) into the table at ``path`` (created if absent)."""
    dhf = dm_response_table(element)
    columns = dict(columns)
    if path.exists():
        old = ResponseTable.load(path)
        for n, t in enumerate(old.T_keV):
            if not any(abs(t - k) <= 1e-9 * t for k in columns):
                columns[round(float(t), 12)] = {
                    "T_keV": float(t), "S_per_keV": old.sums_per_keV[:, 0, n, :],
                    "seconds": float(old.metadata["rpa_column_seconds"][n])}
    order = sorted(columns)
    cols = [columns[k] for k in order]
    T = np.array([c["T_keV"] for c in cols])
    rows = [int(np.argmin(np.abs(dhf.T_keV - t))) for t in T]
    metadata = dict(dhf.metadata)
    metadata.update({
        "method": "rpa: " + str(metadata.get("method", "")) + "; plus the RRPA correction of the Coulomb "
                  f"multipoles J <= {J_max} of each subshell (nuatom.response.rpa, adjoint route)",
        "rpa_J_max": J_max, "rpa_engine_revision": ENGINE_REVISION,
        # the table ends at its last energy transfer; --T-max is where the run was asked to stop
        "rpa_T_max_keV": float(T.max()),
        "rpa_column_seconds": [c["seconds"] for c in cols],
        "generator": f"benchmarks/make_rpa_dm_tables.py {element} --T-max {T_max_keV} --J-max {J_max}",
        "date": time.strftime("%Y-%m-%d"),
    })
    table = ResponseTable(
        T_keV=T, q_keV=dhf.q_keV, subshells=dhf.subshells, binding_keV=dhf.binding_keV, basis=dhf.basis,
        sums_per_keV=np.stack([c["S_per_keV"] for c in cols], axis=1)[:, None],
        kappa_max=dhf.kappa_max[:, rows], J_max=dhf.J_max[:, rows], converged=dhf.converged[:, rows],
        metadata=metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.save(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("element")
    parser.add_argument("--T-max", type=float, default=0.41, help="largest energy transfer (keV)")
    parser.add_argument("--T-min", type=float, default=0.0,
                        help="smallest energy transfer (keV); a second run from the top of the range "
                             "can share the work, its file merged with --merge")
    parser.add_argument("--merge", type=pathlib.Path, action="append", default=[],
                        help="a table file written by another run of this script: its energy transfers are "
                             "added to this run's file, and nothing is computed")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--J-max", type=int, default=3)
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    args = parser.parse_args(argv)
    if not args.T_max > 0:
        parser.error("--T-max must be > 0 keV")
    dhf = dm_response_table(args.element)
    path = args.out / f"{args.element}.npz"
    if args.merge:
        for other in args.merge:
            table = ResponseTable.load(other)
            seconds = table.metadata["rpa_column_seconds"]
            save(path, args.element, {round(float(t), 12): {"T_keV": float(t), "S_per_keV": table.sums_per_keV[:, 0, n, :],
                                                            "seconds": float(seconds[n])}
                                      for n, t in enumerate(table.T_keV)}, args.J_max, args.T_max)
        print(f"-> {path}")
        return 0
    done = set()
    if path.exists():
        done = {round(float(t), 12) for t in ResponseTable.load(path).T_keV}
    todo = [float(t) for t in dhf.T_keV
            if args.T_min <= t <= args.T_max and round(float(t), 12) not in done]
    print(f"{args.element}: {len(todo)} energy transfers to compute, {len(done)} already in {path}", flush=True)
    with concurrent.futures.ProcessPoolExecutor(args.workers, initializer=keep_freed_memory) as ex:
        futures = [ex.submit(rpa_charge_column, args.element, t, args.J_max) for t in todo]
        for f in concurrent.futures.as_completed(futures):
            col = f.result()
            base, corr = col.pop("base_per_keV"), col["correction_per_keV"]
            print(json.dumps({"element": args.element, "T_eV": round(col["T_keV"] * 1e3, 3),
                              "seconds": round(col["seconds"], 1),
                              "rpa_over_dhf_summed_at_q_10_100_keV": [
                                  round(float((base + corr).sum(0)[k] / base.sum(0)[k]), 4)
                                  for k in np.searchsorted(dhf.q_keV, [10.0, 100.0])]}), flush=True)
            save(path, args.element, {round(col["T_keV"], 12): col}, args.J_max, args.T_max)
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
