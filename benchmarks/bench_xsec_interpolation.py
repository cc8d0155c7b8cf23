"""Accuracy and speed of dσ/dT off the packaged energy-transfer grid (issue 15, item 4).

Run by hand::

    .venv/bin/python benchmarks/bench_xsec_interpolation.py compute Ge Xe   # exact rows (slow, cached)
    .venv/bin/python benchmarks/bench_xsec_interpolation.py report Ge Xe    # errors and timings
    .venv/bin/python benchmarks/bench_xsec_interpolation.py validate Ge Xe  # the validation file

(``--max-T 10`` restricts both to the points up to 10 keV; the whole set takes about 20 min
(Ge) and 30 min (Xe) on one core.)

``compute`` tabulates the frozen-core DHF response at energy transfers that are not on the
reference table's grid, on the reference momentum grid and with the reference options, one
(subshell, T) column at a time on one worker (every column lands in the disk cache, so an
interrupted run resumes). The points are

* the geometric midpoint of every interval of the reference T grid (the largest distance
  from the nodes, where interpolation is worst), and
* the windows at each DHF Koopmans threshold below 30 keV: 1 % below it, and 0.5 % and
  1.2 % above it (between the threshold and the node the table holds 2 % above it).

``report`` compares :func:`nuatom.neutrino.xsec.ionization_dsigma_dT` (the interpolating
default) with the exact coupling integrals of those rows, for weak, magnetic-moment and
millicharge scattering of ν̄_e at several neutrino energies, prints the largest relative
error per region (clean intervals, threshold windows, kinematic endpoint), and times 100
energy transfers.
"""
from __future__ import annotations

import concurrent.futures as cf
import json
import pathlib
import sys
import time

import numpy as np

import nuatom
from nuatom.neutrino import fea, xsec
from nuatom.neutrino.properties import NeutrinoProperties
from nuatom.response import reference_q_grid_keV, reference_table, tabulate

E_NU_KEV = (20.0, 100.0, 1000.0, 1.0e4)
PROCESSES = ("weak", "nmm", "millicharge")
MAX_T_KEV = 30.0


def thresholds_keV(element: str) -> np.ndarray:
    B = np.array(sorted({s.binding_keV for s in fea.subshells(element, "dhf")}))
    return B[B < MAX_T_KEV]


def off_grid_points(element: str) -> dict:
    """``{"midpoint": T, "below": T, "window": T}`` (keV) for ``element``."""
    T = reference_table(element).T_keV
    mid = np.sqrt(T[1:] * T[:-1])
    B = thresholds_keV(element)
    below = 0.99 * B
    window = np.concatenate([1.005 * B, 1.012 * B])
    keep = lambda x: np.unique(x[(x > T[0]) & (x < T[-1])])  # noqa: E731
    return {"midpoint": keep(mid), "below": keep(below), "window": keep(window)}


def exact_table(element: str, T_keV: float):
    """Per-subshell response at one off-grid T (disk-cached)."""
    with cf.ProcessPoolExecutor(1) as pool:
        return tabulate(nuatom.atom(element), np.array([T_keV]), reference_q_grid_keV(),
                        executor=pool, progress=False)


def compute(elements, max_T_keV: float = MAX_T_KEV) -> None:
    for element in elements:
        points = np.concatenate(list(off_grid_points(element).values()))
        points = points[points <= max_T_keV]
        order = np.argsort(points)
        t0 = time.perf_counter()
        for i, T in enumerate(points[order]):
            t1 = time.perf_counter()
            exact_table(element, float(T))
            print(f"{element} {i + 1}/{points.size} T = {T:.6g} keV: {time.perf_counter() - t1:.1f} s",
                  flush=True)
        print(f"{element}: {points.size} rows in {time.perf_counter() - t0:.0f} s", flush=True)


NEUTRINOS = {"weak": NeutrinoProperties("nuebar"),
             "nmm": NeutrinoProperties("nuebar", mu_nu_muB=1e-11),
             "millicharge": NeutrinoProperties("nuebar", delta_q=1e-12)}


def errors(element: str, E_nu_keV: float, T_all) -> dict:
    """``{process: [(|interpolated/exact - 1|, T), ...]}`` of
    :func:`~nuatom.neutrino.xsec.interpolated_coupling_integrals`, and the count of the T it
    leaves to an exact computation, at ``E_nu_keV`` over ``T_all`` (keV)."""
    table = xsec.reference_response(element)
    out = {p: [] for p in PROCESSES}
    left = 0
    for T in T_all:
        if not xsec.kinematically_allowed(E_nu_keV, T):
            continue
        got, computed = xsec.interpolated_coupling_integrals(table, E_nu_keV, [T])  # no segments_ok: all
        if computed[0]:
            left += 1
            continue
        exact_I = xsec.coupling_integrals(E_nu_keV, [T], xsec.TableResponse(exact_table(element, float(T)).summed()))
        for p in PROCESSES:
            exact = xsec.dsigma_from_integrals(exact_I, p, NEUTRINOS[p])[0]
            value = xsec.dsigma_from_integrals(got, p, NEUTRINOS[p])[0]
            out[p].append((abs(value / exact - 1), float(T)))
    return out, left


def report(elements, max_T_keV: float = MAX_T_KEV) -> None:
    for element in elements:
        pts = {k: v[v <= max_T_keV] for k, v in off_grid_points(element).items()}
        print(f"\n{element}: largest |interpolated/exact - 1| (at T in eV); T left to the exact computation")
        for region, T_all in pts.items():
            for E in E_NU_KEV:
                errs, left = errors(element, E, T_all)
                line = ", ".join(f"{p} {max(v)[0]:.1e} ({max(v)[1] * 1e3:.4g})" for p, v in errs.items() if v)
                print(f"  {region:9s} E_nu = {E:>6g} keV ({len(errs['weak']):2d} T, {left} computed): {line}")
        # the packaged (E_nu, T) integrals table behind the sensitivities interpolates
        # linearly in ln T of I/n(T); its error at an E_nu node, for comparison
        it = xsec.IonizationTable.load(element)
        E = float(it.E_nu_keV[np.argmin(np.abs(it.E_nu_keV - 1000.0))])
        worst = 0.0
        for T in np.concatenate(list(pts.values())):
            exact_I = xsec.coupling_integrals(E, [T], xsec.TableResponse(exact_table(element, float(T)).summed()))
            exact = xsec.dsigma_from_integrals(exact_I, "weak", "nuebar")[0]
            worst = max(worst, abs(it.dsigma_dT("weak", E, [T], "nuebar")[0] / exact - 1))
        print(f"  IonizationTable (sensitivities), weak, E_nu = {E:g} keV, all points: {worst:.1e}")
        T = np.geomspace(0.02, 25.0, 100)
        E_timing = 1000.0
        t0 = time.perf_counter()
        xsec.ionization_dsigma_dT(element, "weak", E_timing, T, "nuebar")
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        xsec.ionization_dsigma_dT(element, "weak", 2000.0, T, "nuebar")
        print(f"  100 energy transfers 20 eV-25 keV (weak): first call {first:.2f} s "
              f"(loads the table, computes the T it cannot interpolate), next E_nu {time.perf_counter() - t0:.2f} s")


VALIDATION_E_NU_KEV = (1000.0, 1.0e4)
VALIDATION_FILE = pathlib.Path(__file__).resolve().parents[1] / "nuatom" / "data" / "response" / "interpolation_validation.json"


def validate(elements, max_T_keV: float = MAX_T_KEV) -> None:
    """Write ``interpolation_validation.json``: per interval between consecutive thresholds,
    the largest error of the interpolation (no interval excluded, leave-one-out guard off)
    at its midpoints and its
    points between the last node and the next threshold, at E_ν = 1 and 10 MeV, and whether
    every one is within ``xsec.INTERPOLATION_ERROR``. An interval with a point above
    ``max_T_keV`` (not measured) or with no point is not validated."""
    data = json.loads(VALIDATION_FILE.read_text()) if VALIDATION_FILE.exists() else {"elements": {}}
    data.update({"generator": "benchmarks/bench_xsec_interpolation.py validate", "date": time.strftime("%Y-%m-%d"),
                 "E_nu_keV": list(VALIDATION_E_NU_KEV), "bounds": dict(xsec.INTERPOLATION_ERROR),
                 "note": "nuatom's own measurement: interpolated against exact dσ/dT (same response "
                         "engine and momentum grid) at interval midpoints and below each threshold"})
    # measure the interpolation itself: the leave-one-out guard would send the worst
    # intervals to the exact computation and leave nothing to measure there
    guard, xsec.LEAVE_ONE_OUT_TOLERANCE = xsec.LEAVE_ONE_OUT_TOLERANCE, np.inf
    for element in elements:
        table = xsec.reference_response(element).table
        cuts = xsec.table_thresholds_keV(table)
        edges = np.concatenate([[0.0], cuts, [np.inf]])
        pts = off_grid_points(element)
        T_all = np.concatenate([pts["midpoint"], pts["below"]])
        segments = []
        for i in range(cuts.size + 1):
            lo, hi = edges[i], edges[i + 1]
            T_seg = T_all[(T_all > lo) & (T_all < hi)]
            worst = {p: 0.0 for p in PROCESSES}
            measured = T_seg.size > 0 and np.all(T_seg <= max_T_keV)
            if measured:
                interpolated = 0
                for E in VALIDATION_E_NU_KEV:
                    errs, _ = errors(element, E, T_seg)
                    interpolated += len(errs["weak"])
                    for p in PROCESSES:
                        worst[p] = max([worst[p]] + [e for e, _ in errs[p]])
                measured = interpolated > 0
            ok = bool(measured and all(worst[p] <= xsec.INTERPOLATION_ERROR[p] for p in PROCESSES))
            segments.append({"lo_keV": float(lo), "hi_keV": float(hi) if np.isfinite(hi) else None,
                             "points": int(T_seg.size), "measured": bool(measured),
                             "max_error": {p: float(f"{worst[p]:.3g}") for p in PROCESSES}, "validated": ok})
            print(f"{element} {lo * 1e3:10.5g}-{hi * 1e3:<10.5g} eV  points {T_seg.size:2d}  "
                  + ("  ".join(f"{p} {worst[p]:.1e}" for p in PROCESSES) if measured else "not measured")
                  + f"  -> {'validated' if ok else 'computed'}", flush=True)
        data["elements"][element] = {"segments": segments}
    xsec.LEAVE_ONE_OUT_TOLERANCE = guard
    VALIDATION_FILE.write_text(json.dumps(data, indent=1) + "\n")
    print(f"-> {VALIDATION_FILE}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("compute", "report", "validate"))
    parser.add_argument("elements", nargs="*", default=["Ge", "Xe"])
    parser.add_argument("--max-T", dest="max_T", type=float, default=MAX_T_KEV,
                        help="only the points up to this energy transfer (keV)")
    args = parser.parse_args()
    {"compute": compute, "report": report, "validate": validate}[args.what](args.elements, args.max_T)
