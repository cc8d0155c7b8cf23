"""Benchmark and sweep: the SCF of every element Z = 1..92, relativistic and not.

For each Z (NIST ground configuration, :func:`nuatom.structure.configuration.ground_configuration`)
two calculations on the default grid (:data:`nuatom.structure.atoms.DEFAULT_GRID`):

* ``dhf``: Dirac-Hartree-Fock, Fermi nucleus (the package default);
* ``hf``: non-relativistic Hartree-Fock, point nucleus (comparable with the numerical
  Hartree-Fock limits of Bunge et al. 1993 and Saito 2009).

Each row records the outcome (``converged``, ``noise-floor`` for an open-shell SCF
accepted below :data:`nuatom.structure.hf.OPEN_SHELL_STALL_TOLERANCE`, or the
``ConvergenceError`` message), the SCF iterations (of the default iteration and the damped
restart together, where :func:`nuatom.structure.hf.solve_scf` needed the restart), the
final orbital-energy change (Hartree), the total energy (Hartree) and the wall time (s,
warm numba cache, nothing
loaded from the nuatom disk cache: ``NUATOM_CACHE_DIR`` is pointed at a fresh directory
unless ``--keep-cache``). Writes ``book/structure/data/every_z.csv`` (read by the chapter
``book/structure/03_periodic_table.ipynb``) and prints the slowest atoms.

Run: ``.venv/bin/python benchmarks/bench_every_z.py [--zmin 1 --zmax 92 | --z 55,74,92] [--out FILE]``
(measured 2026-12-05: 11 minutes on one core, DHF 381 s and HF 271 s, with another job
on the other core of the two-core machine; the committed table is that run, so its wall
times include that contention). ``--only 24:hf,29:hf,46`` re-runs just those SCFs (``Z`` alone: both
methods) and rewrites only their rows of the existing ``--out`` table, in place.
"""
from __future__ import annotations

import argparse
import csv
import os
import pathlib
import tempfile
import time

HEADER = ["Z", "symbol", "configuration", "method", "status", "iterations", "scf_change_hartree",
          "total_energy_hartree", "wall_time_s"]


def run_one(Z: int, method: str):
    import nuatom
    from nuatom.structure.dirac import ConvergenceError
    from nuatom.structure.hf import HFOptions

    rel = method == "dhf"
    t0 = time.perf_counter()
    try:
        a = nuatom.atom(Z, relativistic=rel, nucleus="fermi" if rel else "point")
    except ConvergenceError as exc:
        return {"status": f"ConvergenceError: {exc}", "iterations": "", "scf_change_hartree": "",
                "total_energy_hartree": "", "wall_time_s": f"{time.perf_counter() - t0:.2f}",
                "configuration": ""}
    wall = time.perf_counter() - t0
    tol = HFOptions().energy_tolerance_hartree
    status = "converged" if a.scf_change_hartree < tol else "noise-floor"
    return {"status": status, "iterations": a.iterations,
            "scf_change_hartree": f"{a.scf_change_hartree:.3e}",
            "total_energy_hartree": f"{a.total_energy_hartree:.9f}", "wall_time_s": f"{wall:.2f}",
            "configuration": a.configuration}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zmin", type=int, default=1)
    parser.add_argument("--zmax", type=int, default=92)
    parser.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parents[1]
                                             / "book" / "structure" / "data" / "every_z.csv"))
    parser.add_argument("--z", default="", help="comma-separated list of Z (overrides --zmin/--zmax)")
    parser.add_argument("--only", default="",
                        help="comma-separated Z or Z:method (dhf/hf); rewrite only these rows of --out")
    parser.add_argument("--keep-cache", action="store_true")
    args = parser.parse_args(argv)
    if not args.keep_cache:
        os.environ["NUATOM_CACHE_DIR"] = tempfile.mkdtemp(prefix="nuatom-every-z-")
    from nuatom.structure.configuration import ELEMENT_SYMBOLS

    if args.only:
        return update_rows(args.out, _parse_only(args.only), ELEMENT_SYMBOLS)
    rows = []
    with open(args.out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, HEADER)
        writer.writeheader()
        zs = [int(z) for z in args.z.split(",")] if args.z else range(args.zmin, args.zmax + 1)
        for Z in zs:
            for method in ("dhf", "hf"):
                row = {"Z": Z, "symbol": ELEMENT_SYMBOLS[Z - 1], "method": method, **run_one(Z, method)}
                writer.writerow(row)
                fh.flush()
                rows.append(row)
                print(f"{Z:3d} {row['symbol']:2s} {method:3s} {row['status'][:60]:60s} "
                      f"it={row['iterations']!s:>4s} d={row['scf_change_hartree']:>9s} "
                      f"t={row['wall_time_s']:>7s} s", flush=True)
    ok = [r for r in rows if not r["status"].startswith("ConvergenceError")]
    print(f"\n{len(ok)} of {len(rows)} SCFs converged or accepted at the noise floor")
    for method in ("dhf", "hf"):
        mine = sorted((r for r in rows if r["method"] == method), key=lambda r: -float(r["wall_time_s"]))
        total = sum(float(r["wall_time_s"]) for r in mine)
        print(f"{method}: total {total:.0f} s; slowest: " +
              ", ".join(f"{r['symbol']} {float(r['wall_time_s']):.1f} s" for r in mine[:5]))


def _parse_only(text: str) -> list[tuple[int, str]]:
    pairs = []
    for item in text.split(","):
        z, _, method = item.strip().partition(":")
        if method not in ("", "dhf", "hf"):
            raise ValueError(f"--only item {item!r}: method must be 'dhf' or 'hf'")
        pairs += [(int(z), m) for m in ((method,) if method else ("dhf", "hf"))]
    return pairs


def update_rows(path, pairs, symbols):
    """Re-run the SCFs ``pairs`` ((Z, method)) and replace their rows of the table ``path``."""
    with open(path, newline="") as fh:
        table = list(csv.DictReader(fh))
    index = {(int(r["Z"]), r["method"]): i for i, r in enumerate(table)}
    for Z, method in pairs:
        if (Z, method) not in index:
            raise ValueError(f"({Z}, {method!r}) is not a row of {path}")
    for Z, method in pairs:
        row = {"Z": Z, "symbol": symbols[Z - 1], "method": method, **run_one(Z, method)}
        table[index[(Z, method)]] = row
        with open(path, "w", newline="") as fh:  # rewrite after each SCF (long runs)
            writer = csv.DictWriter(fh, HEADER)
            writer.writeheader()
            writer.writerows(table)
        print(f"{Z:3d} {row['symbol']:2s} {method:3s} {row['status'][:60]:60s} "
              f"it={row['iterations']!s:>4s} d={row['scf_change_hartree']:>9s} "
              f"E={row['total_energy_hartree']:>18s} t={row['wall_time_s']:>7s} s", flush=True)


if __name__ == "__main__":
    main()
