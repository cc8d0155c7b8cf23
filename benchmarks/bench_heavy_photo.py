"""Frozen-core DHF photoionization of Cs and W above 1 keV against Chantler and Henke.

Prints, for Cs (3, 8, 20 keV) and W (5, 15, 25 keV) — energies between absorption edges —
nuatom's cross section, the photoelectric part of Chantler's FFAST table (xraydb), Henke's
2 r_e lambda f2 (periodictable), the deviations and the wall time per energy. The two
middle energies are asserted in ``tests/structure/test_every_z.py``.

Run: ``.venv/bin/python benchmarks/bench_heavy_photo.py`` (about 3 minutes on one core).
"""
from __future__ import annotations

import time

import numpy as np
import periodictable
import xraydb
from scipy import constants

import nuatom
from nuatom.continuum.photoionization import photoionization

CASES = {"Cs": (3.0, 8.0, 20.0), "W": (5.0, 15.0, 25.0)}


def references_barn(symbol: str, omega_keV: float) -> tuple[float, float]:
    """(Chantler photoelectric, Henke) cross sections per atom in barn."""
    chantler = xraydb.mu_chantler(symbol, omega_keV * 1e3, photo=True) * xraydb.atomic_mass(symbol) \
        / constants.Avogadro * 1e24
    f2 = getattr(periodictable, symbol).xray.scattering_factors(energy=omega_keV)[1]
    wavelength_cm = constants.h * constants.c / (omega_keV * 1e3 * constants.e) * 100
    r_e_cm = constants.physical_constants["classical electron radius"][0] * 100
    return float(chantler), float(2 * r_e_cm * wavelength_cm * f2 * 1e24)


def main() -> None:
    print(f"{'atom':4s} {'omega/keV':>9s} {'nuatom/b':>11s} {'Chantler/b':>11s} {'Henke/b':>11s} "
          f"{'vs C':>7s} {'vs H':>7s} {'time/s':>7s}")
    for symbol, energies in CASES.items():
        atom = nuatom.atom(symbol)
        for omega in energies:
            start = time.perf_counter()
            sigma = float(np.atleast_1d(photoionization(atom, omega, method="dhf").sigma_barn)[0])
            wall = time.perf_counter() - start
            chantler, henke = references_barn(symbol, omega)
            print(f"{symbol:4s} {omega:9.1f} {sigma:11.5g} {chantler:11.5g} {henke:11.5g} "
                  f"{100 * (sigma / chantler - 1):+6.2f}% {100 * (sigma / henke - 1):+6.2f}% {wall:7.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
