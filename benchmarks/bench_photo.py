"""Benchmark: nuatom photoionization of Ge and Xe against Henke and Chantler (and Elam).

Prints, for Ge and Xe on a logarithmic grid of photon energies from 100 eV to 30 keV
(``POINTS`` per element), nuatom's frozen-core DHF cross section (velocity gauge, all
multipoles; :func:`make_photo_tables.cross_sections_barn`) against

* Henke, Gullikson & Davis 1993 (``periodictable.xsf``: sigma = 2 r_e lambda f2),
* Chantler 1995/2000 (FFAST, ``xraydb.mu_chantler(photo=True)``),
* Elam, Ravel & Sieber 2002 (``xraydb.mu_elam(kind="photo")``, > 100 eV only),

excluding energies within 3 % of an edge (and the interval between a measured edge and
nuatom's Koopmans threshold of the same subshell; :func:`make_photo_tables.away_from_edges`).
Per decade (0.1-1, 1-10, 10-30 keV) it prints the mean and largest |deviation| in %.
Target (photoionization issue): within 10 % of Chantler above 200 eV away from edges.

It then prints the E1-only length- and velocity-gauge cross sections at a few energies:
with non-local exchange the two forms differ, which measures the violation of current
conservation by the DHF (frozen-core, V^{N-1}) continuum.

Run by hand (about 8-10 minutes on two cores)::

    .venv/bin/python benchmarks/bench_photo.py [--points 60] [--workers 2]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import time

import numpy as np

from make_photo_tables import (away_from_edges, chantler_barn, cross_sections_barn, elam_barn,
                               henke_barn)

ELEMENTS = ("Ge", "Xe")
DECADES = ((0.1, 1.0), (1.0, 10.0), (10.0, 30.0))
E1_ENERGIES_KEV = (0.15, 0.3, 1.0, 3.0, 10.0)


def deviation_table(element: str, omega_keV, nuatom_barn) -> list[str]:
    refs = {"Chantler": chantler_barn(element, omega_keV), "Henke": henke_barn(element, omega_keV),
            "Elam": elam_barn(element, omega_keV)}
    keep = away_from_edges(element, omega_keV)
    lines = [f"{'reference':>9} {'decade keV':>11} {'points':>6} {'mean |dev| %':>12} "
             f"{'max |dev| %':>11} {'at keV':>8}"]
    for name, ref in refs.items():
        dev = 100.0 * (nuatom_barn / ref - 1.0)
        for lo, hi in DECADES:
            sel = keep & (omega_keV >= lo) & (omega_keV <= hi) & np.isfinite(ref)
            if not sel.any():
                continue
            d = np.abs(dev[sel])
            at = omega_keV[sel][np.argmax(d)]
            lines.append(f"{name:>9} {lo:>5g}-{hi:<5g} {sel.sum():>6d} {d.mean():>12.2f} "
                         f"{d.max():>11.2f} {at:>8.4g}")
        sel = keep & (omega_keV >= 0.2) & np.isfinite(ref)
        lines.append(f"{name:>9} {'> 0.2 keV':>11} {sel.sum():>6d} {np.abs(dev[sel]).mean():>12.2f} "
                     f"{np.abs(dev[sel]).max():>11.2f} {omega_keV[sel][np.argmax(np.abs(dev[sel]))]:>8.4g}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--points", type=int, default=60)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    omega = np.geomspace(0.1, 30.0, args.points)
    print(f"nuatom photoionization benchmark, {args.points} energies 0.1-30 keV per element, "
          f"{args.workers} workers on {os.cpu_count()} cores")
    with concurrent.futures.ProcessPoolExecutor(args.workers) as ex:
        for element in ELEMENTS:
            t0 = time.perf_counter()
            per = cross_sections_barn(element, omega, executor=ex)
            wall = time.perf_counter() - t0
            total = np.sum(list(per.values()), axis=0)
            print(f"\n{element}: {len(per)} subshells, wall time {wall:.1f} s "
                  f"({wall / args.points:.2f} s per photon energy with {args.workers} workers)")
            print("\n".join(deviation_table(element, omega, total)))
            print(f"{'keV':>9} {'nuatom b':>11} {'Chantler b':>11} {'Henke b':>11} {'edge?':>6}")
            keep = away_from_edges(element, omega)
            ch, he = chantler_barn(element, omega), henke_barn(element, omega)
            for w, s, c, h, k in zip(omega[::3], total[::3], ch[::3], he[::3], keep[::3]):
                print(f"{w:>9.4g} {s:>11.4e} {c:>11.4e} {h:>11.4e} {'' if k else 'excl':>6}")

        print("\nE1 only, length vs velocity gauge (frozen-core DHF, V^(N-1)):")
        print(f"{'atom':>4} {'keV':>6} {'velocity b':>12} {'length b':>12} {'L/V - 1 %':>10}")
        for element in ELEMENTS:
            w = np.array(E1_ENERGIES_KEV)
            t0 = time.perf_counter()
            vel = np.sum(list(cross_sections_barn(element, w, ex, only_e1=True).values()), axis=0)
            length = np.sum(list(cross_sections_barn(element, w, ex, gauge="length",
                                                     only_e1=True).values()), axis=0)
            for x, v, l_ in zip(w, vel, length):
                print(f"{element:>4} {x:>6g} {v:>12.5e} {l_:>12.5e} {100 * (l_ / v - 1):>10.3f}")
            print(f"     ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
