"""Generate nuatom's RRPA photoionization tables ``nuatom/data/photo/{Ge,Xe}_rpa.csv``.

The tables are **nuatom's own results**, not measured or evaluated data, made with
:func:`nuatom.continuum.rpa.photoionization_rpa`:

* the electric dipole (E1) in the relativistic random-phase approximation, every shell
  polarised (``RPAOptions(min_n=1)``), in both gauges: ``total_barn`` and the subshell
  columns are the velocity form, ``total_length_barn`` the length form (up to 3 keV; their difference
  is the measured gauge dependence: ~1e-9 for closed-shell Xe, up to ~1 % for Ge below
  150 eV, where the average-of-configuration 4p shell breaks exact invariance);
* Ge's open 4p² shell by AOC-RRPA, the linear response of the same average-of-configuration
  functional that defines nuatom's Ge ground state (:func:`nuatom.continuum.rpa.occupation_weights`);
* the higher multipoles (M1, E2, ...) are not in RRPA: ``nondipole_dhf_barn`` is their
  frozen-core DHF contribution (all multipoles minus E1, continuum in the field of the
  ion) and ``total_with_nondipole_barn`` the sum that should be compared with measured
  totals; ``dhf_e1_barn`` is the frozen-core E1 alone (for the RPA/DHF ratio). Non-dipole terms are < 1e-3 of the total below 1 keV and reach a few per cent at
  30 keV; RPA corrections to them are of the order of the E1 ones at the same energy
  (< 1 % above 5 keV) times that share.

Grid: :data:`GRID_KEV` (17 energies for Ge, 22 for Xe, 0.03-30 keV, away from the edges).
``--add`` computes only the energies of the grid that the packaged table lacks and merges
them into it (the header keeps the wall time of every run).

Run (two cores; wall times are printed and written into the header)::

    .venv/bin/python benchmarks/make_rpa_photo_tables.py Ge Xe --workers 2
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import pathlib
import sys
import time

import numpy as np

import nuatom
from nuatom.numerics.memory import keep_freed_memory
from nuatom.continuum.rpa import RPAOptions, photoionization_rpa
from nuatom.units import HARTREE_KEV

DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "nuatom" / "data" / "photo"
#: Photon energies (keV): the measured comparisons of the RRPA issue, away from the edges
#: (Ge L 1.2-1.4 keV and K 11.1 keV; Xe M 0.67-1.15 keV, L 4.8-5.5 keV), the Xe 5s
#: correlation minimum (30-40 eV) and the 4d giant resonance (80-160 eV). Coarse on purpose
#: (every row is up to two RRPA solves, minutes each at 10 keV): the frozen-core tables
#: keep the fine grid.
GRID_KEV = {
    "Ge": (0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1.0, 1.8, 3.0, 5.0, 10.0),
    "Xe": (0.03, 0.035, 0.04, 0.08, 0.09, 0.1, 0.11, 0.12, 0.14, 0.16, 0.2, 0.3, 0.4, 0.5, 1.5, 2.0,
           3.0, 4.0, 10.0, 15.0, 20.0, 30.0),
}
GRID_KEV["Ge"] = GRID_KEV["Ge"] + (15.0, 20.0, 30.0)
#: The length gauge is computed up to here (keV); above, the table holds the velocity form only.
LENGTH_GAUGE_MAX_KEV = 3.0


def rpa_photon_grid_keV(element: str) -> np.ndarray:
    """Photon energies (keV, sorted) of the RRPA table of ``element``."""
    return np.array(GRID_KEV[element], float)


def row(element: str, omega_keV: float) -> dict:
    """Every column of one table row (one photon energy)."""
    t0 = time.perf_counter()
    atom = nuatom.atom(element)
    options = RPAOptions(min_n=1)
    vel = photoionization_rpa(atom, [omega_keV], gauge="velocity", options=options)
    length = (photoionization_rpa(atom, [omega_keV], gauge="length", options=options)
              if omega_keV <= LENGTH_GAUGE_MAX_KEV else None)
    dhf_all = nuatom.photoionization(atom, [omega_keV], method="dhf").sigma_barn[0]
    dhf_e1 = nuatom.photoionization(atom, [omega_keV], method="dhf", only_e1=True).sigma_barn[0]
    out = {"omega_keV": omega_keV, "total_barn": vel.sigma_barn[0],
           "total_length_barn": length.sigma_barn[0] if length is not None else float("nan"),
           "nondipole_dhf_barn": dhf_all - dhf_e1, "dhf_e1_barn": dhf_e1}
    out["total_with_nondipole_barn"] = out["total_barn"] + out["nondipole_dhf_barn"]
    out.update({label: s[0] for label, s in vel.subshells.items()})
    out["gmres_iterations"] = int(vel.multipoles["gmres_iterations"][0])
    out["seconds"] = time.perf_counter() - t0
    return out


def write_table(element: str, rows: list[dict], command: str, wall_s: float) -> pathlib.Path:
    atom = nuatom.atom(element)
    labels = [o.label for o in atom.orbitals if o.occupancy > 0]
    cols = ["omega_keV", "total_barn", "total_length_barn", "nondipole_dhf_barn",
            "total_with_nondipole_barn", "dhf_e1_barn"] + labels
    path = DATA_DIR / f"{element}_rpa.csv"
    thresholds = ", ".join(f"{o.label} {-o.energy_hartree * HARTREE_KEV * 1e3:.4f}" for o in atom.orbitals)
    header = [
        f"nuatom RRPA photoionization cross section of {element} (barn/atom): nuatom's OWN results,",
        "relativistic random-phase approximation of the E1 response, every shell polarised"
        + ("; open 4p^2 shell by AOC-RRPA" if element == "Ge" else "") + ";",
        "total_barn and subshell columns: velocity gauge; total_length_barn: length gauge (nan above",
        f"{LENGTH_GAUGE_MAX_KEV:g} keV: not computed);",
        "nondipole_dhf_barn: frozen-core DHF higher multipoles (all minus E1, V^(N-1));",
        "total_with_nondipole_barn = total_barn + nondipole_dhf_barn (compare with measured totals);",
        "dhf_e1_barn: frozen-core DHF E1 alone (velocity gauge, V^(N-1)), for the RPA/DHF ratio.",
        f"Koopmans thresholds (eV): {thresholds}",
        "grid: chosen energies away from the edges (benchmarks/make_rpa_photo_tables.py GRID_KEV)",
        f"nuatom version: {nuatom.__version__}; atom: {atom.configuration}, Z = {atom.Z}, nucleus {atom.nucleus.kind}",
        f"date: {datetime.date.today().isoformat()}; wall time {wall_s:.0f} s; "
        f"GMRES iterations (velocity gauge) per row: {', '.join(str(r['gmres_iterations']) for r in rows)}",
        f"command: {command}",
    ]
    with open(path, "w") as fh:
        for line in header:
            fh.write(f"# {line}\n")
        fh.write(",".join(cols) + "\n")
        for r in rows:
            fh.write(",".join(f"{r.get(c, 0.0):.12e}" for c in cols) + "\n")
    return path


def read_table(path) -> tuple[np.ndarray, dict]:
    """``(omega_keV, {column: values})`` of a table written by :func:`write_table`."""
    with open(path) as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    cols = lines[0].strip().split(",")
    data = np.array([[float(x) for x in ln.split(",")] for ln in lines[1:]])
    return data[:, 0], {c: data[:, i] for i, c in enumerate(cols)}


def existing_rows(element: str) -> list[dict]:
    """Rows of the packaged table, with the run's GMRES counts and wall times from its header."""
    path = DATA_DIR / f"{element}_rpa.csv"
    omega, cols = read_table(path)
    header = [ln for ln in open(path) if ln.startswith("#")]
    counts = next(ln for ln in header if "GMRES iterations" in ln).split("per row:")[1]
    its = [int(x) for x in counts.split(",")]
    rows = [{c: float(v[i]) for c, v in cols.items()} for i in range(len(omega))]
    for r, n in zip(rows, its):
        r["gmres_iterations"] = n
    wall = [ln for ln in header if "wall time" in ln][0]
    existing_rows.previous_wall_s = float(wall.split("wall time")[1].split("s;")[0])
    existing_rows.previous_command = next(ln for ln in header if ln.startswith("# command:")).split("command:")[1].strip()
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("elements", nargs="*", default=["Ge", "Xe"])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--add", action="store_true",
                    help="compute only the grid energies missing from the packaged table and merge them")
    args = ap.parse_args(argv)
    command = "python benchmarks/make_rpa_photo_tables.py " + " ".join(sys.argv[1:] if argv is None else argv)
    from tqdm import tqdm

    with concurrent.futures.ProcessPoolExecutor(args.workers, initializer=keep_freed_memory) as ex:
        for element in args.elements:
            t0 = time.perf_counter()
            grid = rpa_photon_grid_keV(element)
            rows = []
            if args.add:
                rows = existing_rows(element)
                have = {round(r["omega_keV"], 9) for r in rows}
                grid = [w for w in grid if round(float(w), 9) not in have]
            futures = {ex.submit(row, element, float(w)): w for w in grid}
            for fut in tqdm(concurrent.futures.as_completed(futures), total=len(futures), desc=element):
                r = fut.result()
                rows.append(r)
                print(f"  {element} {r['omega_keV']:.4f} keV: {r['total_barn']:.5g} b "
                      f"(L/V - 1 = {r['total_length_barn'] / r['total_barn'] - 1:+.1e}), {r['seconds']:.0f} s",
                      flush=True)
            rows.sort(key=lambda r: r["omega_keV"])
            wall = time.perf_counter() - t0 + (getattr(existing_rows, "previous_wall_s", 0.0) if args.add else 0.0)
            run = command.strip() if not args.add else f"{existing_rows.previous_command}; then {command.strip()}"
            path = write_table(element, rows, run, wall)
            print(f"{element}: {len(rows)} energies, {wall:.0f} s -> {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
