"""``nuatom tabulate``: a response-function table on log-spaced (T, q) grids, saved as .npz."""
from __future__ import annotations

import argparse
import pathlib

import numpy as np

from nuatom.response import ResponseOptions
from .atom import add_structure_arguments, build_atom
from ._common import workers
from .response import check_grid, executor_from, run_tabulate

NAME = "tabulate"
HELP = ("tabulate the atomic response functions (all components, vector/axial/weak) on "
        "log-spaced T and q grids and save them as .npz with a header")


def log_range(text: str) -> np.ndarray:
    """Parse ``"a:b:n"`` into ``n`` log-spaced values from ``a`` to ``b`` (argparse type)."""
    from nuatom._validate import MAX_TABLE_AXIS

    try:
        a, b, n = text.split(":")
        a, b, n = float(a), float(b), int(n)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected START:STOP:COUNT, got {text[:80]!r}") from exc
    if not (np.isfinite(a) and np.isfinite(b) and 0 < a < b):
        raise argparse.ArgumentTypeError(f"need finite 0 < START < STOP, got {text[:80]!r}")
    if not 2 <= n <= MAX_TABLE_AXIS:
        raise argparse.ArgumentTypeError(f"COUNT = {n} is outside the valid range [2, {MAX_TABLE_AXIS}]")
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.geomspace(a, b, n)
    if not np.all(np.isfinite(values)):  # b/a overflows (e.g. 1e-300:1e308): step in log10
        values = np.logspace(np.log10(a), np.log10(b), n)
        values[0], values[-1] = a, b
        values = np.clip(values, a, b)
    return values


def add_arguments(p) -> None:
    p.add_argument("element", help="element symbol or Z (H..U, Z = 1..92)")
    p.add_argument("--T-range", type=log_range, required=True, dest="T_range",
                   help="energy transfers START:STOP:COUNT in keV (log-spaced)")
    p.add_argument("--q-range", type=log_range, required=True, dest="q_range",
                   help="momentum transfers START:STOP:COUNT in keV/c (log-spaced)")
    p.add_argument("--out", required=True, help="output file (.npz)")
    p.add_argument("--no-hole", action="store_true", help="continuum in the neutral-atom field (V^N)")
    p.add_argument("--workers", type=int, default=0,
                   help="worker processes (default: one per core; 1 runs in this process)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the disk cache")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--dm-factors", metavar="DIR", default=None,
                   help="also write the per-subshell dark-matter ionization factors (S, Essig |f_ion|^2 = "
                        "Catena W1, K) of the computed table as CSV files with a REFERENCE.md into DIR")
    add_structure_arguments(p)


def run(args) -> dict:
    check_grid(args.T_range, args.q_range, "--T-range", "--q-range")
    workers(args.workers)
    out = pathlib.Path(args.out)
    if not out.parent.is_dir():  # before hours of computing, not after
        raise ValueError(f"--out = {args.out!r}: directory {str(out.parent)!r} does not exist")
    if args.dm_factors is not None and not pathlib.Path(args.dm_factors).parent.is_dir():
        raise ValueError(f"--dm-factors = {args.dm_factors!r}: directory "
                         f"{str(pathlib.Path(args.dm_factors).parent)!r} does not exist")
    atom = build_atom(args)
    ex = executor_from(args)
    table = run_tabulate(atom, args.T_range, args.q_range, ex,
                         options=ResponseOptions(hole=not args.no_hole), cache=not args.no_cache,
                         progress=not args.no_progress)
    path = table.save(args.out)
    extra = {}
    if args.dm_factors is not None:
        from nuatom.darkmatter.export import export_ionization_factors

        extra["dm_factors"] = [str(p) for p in export_ionization_factors(args.dm_factors, table=table)]
    return {**extra, "out": str(path), "T_keV": [float(args.T_range[0]), float(args.T_range[-1]), len(args.T_range)],
            "q_keV": [float(args.q_range[0]), float(args.q_range[-1]), len(args.q_range)],
            "subshells": list(table.subshells), "converged": bool(table.converged.all()),
            "elapsed_s": table.metadata["elapsed_s"]}
