"""Generate nuatom's photoionization tables ``nuatom/data/photo/{Ge,Xe}.csv``.

The tables are **nuatom's own results** (frozen-core Dirac–Hartree–Fock, velocity gauge,
all multipoles, continuum in the field of the ion), not measured or evaluated data. The
photoionization chapter and ``tests/test_photo_data.py`` read them; the test recomputes a
few rows with :func:`cross_sections_barn` and requires agreement to 1e-6.

Physics choices (the same as :func:`nuatom.continuum.photoionization.photoionization` with ``hole=True``,
except for one case):

* every subshell holding at least one electron is ionized with the continuum computed in
  the field of the ion with one electron removed from that subshell (``V^{N-1}``);
* **Ge 4p** is an open shell (4p², average of configuration: 2/3 of an electron in
  4p_1/2, 4/3 in 4p_3/2), so one electron cannot be removed from 4p_1/2 alone
  (``ContinuumSolver(hole="4p_1/2")`` raises). For both 4p_j the continuum is computed in
  the field of the 4p¹ ion in the same average-of-configuration sense: each 4p_j
  occupancy is scaled by (N-1)/N = 1/2, so the ion charge is 1 and both j see the same
  field (:func:`open_shell_solver`).

Thresholds are the Koopmans energies of the DHF orbitals. The photon-energy grid
(:func:`photon_grid_keV`) is logarithmic (``POINTS_PER_DECADE``) from just above the
first threshold to 30 keV, plus three points at every subshell threshold (0.2 % below,
0.2 % and 3 % above) and a mesh over the Xe 4d region (60–200 eV; 0.5 eV steps from 72 to
92 eV, where the independent-particle 4d -> f resonance is narrow).

Run (about 15–20 min on two cores)::

    .venv/bin/python benchmarks/make_photo_tables.py            # both elements
    .venv/bin/python benchmarks/make_photo_tables.py Xe --workers 2
"""
from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import datetime
import math
import pathlib
import sys
import time

import numpy as np

import nuatom
from nuatom.continuum.solver import ContinuumSolver
from nuatom.continuum.photoionization import subshell_cross_section_au
from nuatom.units import BARN_CM2, BOHR_CM, HARTREE_KEV, kev_to_hartree

ELEMENTS = ("Ge", "Xe")
OMEGA_MAX_KEV = 30.0
POINTS_PER_DECADE = 24
#: Relative offsets of the points placed around each Koopmans threshold.
EDGE_OFFSETS = (-2e-3, 2e-3, 3e-2)
#: Extra linear mesh (keV) over the Xe 4d region: 0.5 eV across the narrow independent-
#: particle 4d -> f resonance just above the 4d thresholds, then 1 eV and 5 eV.
XE_4D_MESH_KEV = np.round(np.concatenate([np.arange(0.060, 0.072, 0.004), np.arange(0.072, 0.092, 0.0005),
                                          np.arange(0.092, 0.100, 0.001), np.arange(0.100, 0.2001, 0.005)]), 7)
#: Multipole convergence criterion (relative), as the package default.
MULTIPOLE_TOLERANCE = 1e-6
#: Chunk of photon energies per worker task (load balancing across subshells).
CHUNK = 20

DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "nuatom" / "data" / "photo"


def open_shell_solver(atom, orbital) -> ContinuumSolver:
    """Continuum solver for ionizing ``orbital`` of an open ``nl`` shell.

    One electron is removed from the ``nl`` shell as a whole: every ``nl_j`` occupancy is
    scaled by ``(N - 1)/N`` with ``N`` the shell's electron count (statistical, average of
    configuration), and the solver sees these orbitals with no further hole.
    """
    shell = [o for o in atom.orbitals if o.n == orbital.n and o.l == orbital.l]
    N = sum(o.occupancy for o in shell)
    if N < 1.0 - 1e-12:
        raise ValueError(f"shell {orbital.n}{'spdfg'[orbital.l]} holds {N:g} < 1 electron")
    scale = (N - 1.0) / N
    orbitals = [dataclasses.replace(o, occupancy=o.occupancy * scale)
                if (o.n == orbital.n and o.l == orbital.l) else o for o in atom.orbitals]
    return ContinuumSolver(atom, hole=None, orbitals=orbitals)


def solver_for(atom, orbital) -> ContinuumSolver:
    """``V^{N-1}`` solver for ionizing ``orbital`` (see the module docstring)."""
    shell_capacity = sum(2 * abs(o.kappa) for o in atom.orbitals if o.n == orbital.n and o.l == orbital.l)
    shell_electrons = sum(o.occupancy for o in atom.orbitals if o.n == orbital.n and o.l == orbital.l)
    if shell_electrons < shell_capacity - 1e-12:
        return open_shell_solver(atom, orbital)
    return ContinuumSolver(atom, hole=orbital.label)


def _task(args):
    """Worker: cross sections (barn) of one subshell at some photon energies."""
    element, label, omega_keV, gauge, only_e1 = args
    atom = nuatom.atom(element)
    orbital = atom.orbital(label)
    solver = solver_for(atom, orbital)
    out = []
    for w in omega_keV:
        s, _ = subshell_cross_section_au(solver, orbital, float(kev_to_hartree(w)), gauge=gauge,
                                         multipole_tolerance=MULTIPOLE_TOLERANCE, only_e1=only_e1)
        out.append(s * BOHR_CM**2 / BARN_CM2)
    return element, label, np.asarray(omega_keV), np.array(out)


def cross_sections_barn(element: str, omega_keV, executor=None, *, gauge: str = "velocity",
                        only_e1: bool = False) -> dict:
    """nuatom's photoionization cross sections (barn/atom), per subshell, at ``omega_keV``.

    Returns ``{label: array}`` in the atom's orbital order (occupied subshells only).
    ``executor``: optional :class:`concurrent.futures.Executor` (tasks are chunks of
    energies of one subshell; each worker rebuilds the atom from the disk cache).
    ``gauge`` and ``only_e1`` as in :func:`nuatom.continuum.photoionization.photoionization` (the tables use
    the defaults: velocity gauge, all multipoles).
    """
    omega = np.atleast_1d(np.asarray(omega_keV, float))
    atom = nuatom.atom(element)
    labels = [o.label for o in atom.orbitals if o.occupancy > 0]
    tasks = []
    for label in labels:
        above = omega[omega > -atom.orbital(label).energy_hartree * HARTREE_KEV]
        for i in range(0, len(above), CHUNK):
            tasks.append((element, label, above[i:i + CHUNK], gauge, only_e1))
    # largest tasks (highest energies: more multipoles, finer grids) first
    tasks.sort(key=lambda t: -float(np.sum(t[2])))
    results = executor.map(_task, tasks) if executor is not None else map(_task, tasks)
    per = {label: np.zeros(len(omega)) for label in labels}
    for _, label, w, vals in results:
        idx = np.searchsorted(omega, w)
        per[label][idx] = vals
    return per


def photon_grid_keV(element: str) -> np.ndarray:
    """Photon energies (keV, sorted, unique) of the table for ``element``."""
    atom = nuatom.atom(element)
    thresholds = sorted(-o.energy_hartree * HARTREE_KEV for o in atom.orbitals if o.occupancy > 0)
    start = thresholds[0] * (1.0 + EDGE_OFFSETS[1])
    n = int(math.ceil(POINTS_PER_DECADE * math.log10(OMEGA_MAX_KEV / start))) + 1
    points = list(np.geomspace(start, OMEGA_MAX_KEV, n))
    for th in thresholds:
        points += [th * (1.0 + d) for d in EDGE_OFFSETS]
    if element == "Xe":
        points += list(XE_4D_MESH_KEV)
    grid = np.array(sorted(p for p in points if start * (1 - 1e-12) <= p <= OMEGA_MAX_KEV))
    # drop near-duplicates (relative 1e-4) that come from coinciding meshes
    keep = np.concatenate([[True], np.diff(grid) / grid[1:] > 1e-4])
    return grid[keep]


# ------------------------------------------------------------------ reference data
# Measured/evaluated photoabsorption for comparison (never written into the tables).
def henke_barn(element: str, omega_keV) -> np.ndarray:
    """Henke, Gullikson & Davis (1993) photoabsorption (barn/atom) via ``periodictable``.

    :math:`\\sigma = 2 r_e \\lambda f_2` with :math:`\\lambda = hc/E`; the tables cover
    10 eV–30 keV (NaN outside), linear interpolation in ``periodictable``.
    """
    import periodictable
    from nuatom.units import HBARC_KEV_CM, R_E_CM

    omega = np.asarray(omega_keV, float)
    _, f2 = getattr(periodictable, element).xray.scattering_factors(energy=omega)
    wavelength_cm = 2.0 * math.pi * HBARC_KEV_CM / omega
    return 2.0 * R_E_CM * wavelength_cm * np.asarray(f2, float) / BARN_CM2


def _per_atom_barn(element: str, mu_cm2_per_g, shape) -> np.ndarray:
    import periodictable
    from nuatom.units import N_A

    # xraydb returns a scalar for one energy: keep the caller's shape
    mu = np.asarray(mu_cm2_per_g, float).reshape(shape)
    return mu * getattr(periodictable, element).mass / N_A / BARN_CM2


def chantler_barn(element: str, omega_keV) -> np.ndarray:
    """Chantler (FFAST, 1995/2000) photoelectric cross section (barn/atom) via ``xraydb``."""
    import xraydb

    omega = np.asarray(omega_keV, float)
    return _per_atom_barn(element, xraydb.mu_chantler(element, omega * 1e3, photo=True), omega.shape)


def elam_barn(element: str, omega_keV) -> np.ndarray:
    """Elam, Ravel & Sieber (2002) photoelectric cross section (barn/atom) via ``xraydb``
    (unreliable below 100 eV: use above)."""
    import xraydb

    omega = np.asarray(omega_keV, float)
    return _per_atom_barn(element, xraydb.mu_elam(element, omega * 1e3, kind="photo"), omega.shape)


def measured_edges_keV(element: str) -> dict:
    """X-ray edge energies (keV) from ``xraydb`` (Elam et al.; Ge: Fermi level, Xe: vacuum)."""
    import xraydb

    return {name: edge.energy * 1e-3 for name, edge in xraydb.xray_edges(element).items()}


def koopmans_thresholds_keV(element: str) -> dict:
    """nuatom's thresholds: Koopmans energies of the occupied DHF subshells (keV)."""
    atom = nuatom.atom(element)
    return {o.label: -o.energy_hartree * HARTREE_KEV for o in atom.orbitals if o.occupancy > 0}


#: Measured edge names paired with nuatom subshell labels (same hole).
EDGE_SUBSHELL = {"K": "1s_1/2", "L1": "2s_1/2", "L2": "2p_1/2", "L3": "2p_3/2", "M1": "3s_1/2",
                 "M2": "3p_1/2", "M3": "3p_3/2", "M4": "3d_3/2", "M5": "3d_5/2", "N1": "4s_1/2",
                 "N2": "4p_1/2", "N3": "4p_3/2", "N4": "4d_3/2", "N5": "4d_5/2", "O1": "5s_1/2",
                 "O2": "5p_1/2", "O3": "5p_3/2"}


def away_from_edges(element: str, omega_keV, width: float = 0.03) -> np.ndarray:
    """Mask of energies farther than ``width`` (relative) from every edge.

    For each subshell the excluded interval runs from ``(1 - width)`` times the lower to
    ``(1 + width)`` times the higher of the measured edge and nuatom's Koopmans threshold:
    between the two, one of the compared cross sections has the subshell open and the
    other not, which is a threshold shift, not a cross-section error.
    """
    omega = np.asarray(omega_keV, float)
    koop = koopmans_thresholds_keV(element)
    meas = measured_edges_keV(element)
    keep = np.ones(omega.shape, bool)
    pairs = [(meas[name], koop[label]) for name, label in EDGE_SUBSHELL.items()
             if name in meas and label in koop]
    pairs += [(e, e) for name, e in meas.items() if name not in EDGE_SUBSHELL]
    for a, b in pairs:
        # 1e-9 slack: the tables' own points at threshold x (1 + 3 %) count as near-edge
        lo, hi = min(a, b) * (1 - width) * (1 - 1e-9), max(a, b) * (1 + width) * (1 + 1e-9)
        keep &= ~((omega >= lo) & (omega <= hi))
    return keep


def write_table(element: str, omega_keV, per: dict, command: str, wall_s: float) -> pathlib.Path:
    """Write ``nuatom/data/photo/<element>.csv`` with a commented header."""
    atom = nuatom.atom(element)
    labels = list(per)
    total = np.sum([per[k] for k in labels], axis=0)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"{element}.csv"
    thresholds = ", ".join(f"{o.label} {-o.energy_hartree * HARTREE_KEV * 1e3:.4f}"
                           for o in atom.orbitals if o.occupancy > 0)
    header = [
        f"nuatom photoionization cross section of {element} (barn/atom): nuatom's OWN results,",
        "frozen-core Dirac-Hartree-Fock (average-of-configuration orbitals), continuum in the",
        "field of the ion (V^(N-1)); Ge 4p: one electron removed from the 4p shell as a whole",
        "(see benchmarks/make_photo_tables.py); velocity (Coulomb) gauge, all E_J and M_J",
        f"multipoles to relative convergence {MULTIPOLE_TOLERANCE:g}; Koopmans thresholds.",
        "columns: omega_keV (photon energy, keV), total_barn, then one column per subshell",
        "(named by its label, barn/atom; 0 below the subshell's threshold)",
        f"Koopmans thresholds (eV): {thresholds}",
        f"grid: log, {POINTS_PER_DECADE}/decade from first threshold x {1 + EDGE_OFFSETS[1]} to "
        f"{OMEGA_MAX_KEV} keV, plus threshold x (1{EDGE_OFFSETS[0]:+g}, 1{EDGE_OFFSETS[1]:+g}, "
        f"1{EDGE_OFFSETS[2]:+g})" + (", plus a 0.5-5 eV mesh 60-200 eV" if element == "Xe" else ""),
        f"nuatom version: {nuatom.__version__}; atom: {atom.configuration}, Z = {atom.Z}, "
        f"nucleus {atom.nucleus.kind}",
        f"date: {datetime.date.today().isoformat()}; wall time {wall_s:.0f} s",
        f"command: {command}",
    ]
    cols = ["omega_keV", "total_barn"] + labels
    with open(path, "w") as fh:
        for line in header:
            fh.write(f"# {line}\n")
        fh.write(",".join(cols) + "\n")
        for i, w in enumerate(omega_keV):
            row = [w, total[i]] + [per[k][i] for k in labels]
            fh.write(",".join(f"{x:.12e}" for x in row) + "\n")
    return path


def read_table(path) -> tuple[np.ndarray, np.ndarray, dict]:
    """``(omega_keV, total_barn, {label: barn})`` from a table written by :func:`write_table`."""
    with open(path) as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    cols = lines[0].strip().split(",")
    data = np.array([[float(x) for x in ln.split(",")] for ln in lines[1:]])
    per = {c: data[:, i] for i, c in enumerate(cols) if i >= 2}
    return data[:, 0], data[:, 1], per


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("elements", nargs="*", default=list(ELEMENTS))
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    command = "python benchmarks/make_photo_tables.py " + " ".join(sys.argv[1:] if argv is None else argv)
    with concurrent.futures.ProcessPoolExecutor(args.workers) as ex:
        for element in args.elements:
            t0 = time.perf_counter()
            grid = photon_grid_keV(element)
            per = cross_sections_barn(element, grid, executor=ex)
            wall = time.perf_counter() - t0
            path = write_table(element, grid, per, command.strip(), wall)
            print(f"{element}: {len(grid)} energies, {len(per)} subshells, {wall:.0f} s -> {path}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
