"""Detector description: target composition, energy resolution, threshold, efficiency,
flat background, exposure, and the reactor ON/OFF subtraction.

Energies in keV, exposures in kg·day, background rates in counts/(kg·keV·day).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special

from nuatom import units as u
from nuatom._validate import finite_scalar, nonnegative_array

__all__ = ["TARGETS", "Target", "target", "StochasticResolution", "GermaniumResolution",
           "Detector", "KG_DAY_PER_TON_YEAR", "response_matrix", "OnOffCounts", "on_off_counts"]

#: One tonne-year in kg·day (Julian year, 365.25 days).
KG_DAY_PER_TON_YEAR = 1000.0 * 365.25

#: Targets: name -> composition (element -> atoms per formula unit).
TARGETS = {"Ge": (("Ge", 1),), "Xe": (("Xe", 1),), "CsI": (("Cs", 1), ("I", 1))}


@dataclass(frozen=True)
class Target:
    """Detector material.

    Attributes
    ----------
    name : str
        ``Ge``, ``Xe`` or ``CsI``.
    composition : tuple of (element, count)
        Atoms of each element per formula unit.
    """

    name: str
    composition: tuple

    @property
    def molar_mass_g(self) -> float:
        """Mass of one mole of formula units in g (periodictable standard atomic weights)."""
        import periodictable

        return float(sum(n * getattr(periodictable, el).mass for el, n in self.composition))

    def atoms_per_kg(self, element: str) -> float:
        """Atoms of ``element`` per kg of target."""
        counts = dict(self.composition)
        if element not in counts:
            raise ValueError(f"element = {element!r} is not in target {self.name} ({list(counts)})")
        return counts[element] * u.N_A * 1000.0 / self.molar_mass_g

    def electrons_per_kg(self) -> float:
        """Electrons per kg of target."""
        import periodictable

        return sum(getattr(periodictable, el).number * self.atoms_per_kg(el) for el, _ in self.composition)


@lru_cache(maxsize=None)
def target(name: str) -> Target:
    """The :class:`Target` called ``name`` (one of :data:`TARGETS`)."""
    for key, comp in TARGETS.items():
        if key.lower() == str(name).strip().lower():
            return Target(key, comp)
    raise ValueError(f"target = {name!r} is not one of {sorted(TARGETS)}")


@dataclass(frozen=True)
class StochasticResolution:
    """Gaussian resolution :math:`\\sigma(E)/E = a/\\sqrt{E/\\mathrm{keV}} + b`.

    The XENON100 electronic-recoil form :cite:`Aprile2014` (a = 0.31, b = 0.0037).
    """

    a_sqrt_keV: float
    b: float = 0.0

    def sigma_keV(self, E_keV):
        E = nonnegative_array("E_keV", E_keV, "keV")
        return self.a_sqrt_keV * np.sqrt(E) + self.b * E


@dataclass(frozen=True)
class GermaniumResolution:
    """Germanium resolution :math:`\\sigma = \\sqrt{\\sigma_p^2 + F\\,\\varepsilon\\,E}`.

    ``sigma_pulser_keV`` is the electronic-noise (pulser) width, ``fano`` the Fano factor F
    and ``pair_energy_keV`` the mean energy ε per electron–hole pair.
    """

    sigma_pulser_keV: float
    fano: float = 0.11
    pair_energy_keV: float = 2.97e-3

    def sigma_keV(self, E_keV):
        E = nonnegative_array("E_keV", E_keV, "keV")
        return np.sqrt(self.sigma_pulser_keV**2 + self.fano * self.pair_energy_keV * E)


def response_matrix(T_true_keV, edges_keV, resolution) -> np.ndarray:
    """Probability that a deposit ``T`` is measured in each bin: shape (n_bins, n_T).

    Gaussian smearing with ``resolution.sigma_keV(T)``:
    :math:`P_j(T) = \\Phi((E_{j+1} - T)/\\sigma) - \\Phi((E_j - T)/\\sigma)`. With
    ``resolution=None`` the response is a sharp binning.
    """
    T = np.asarray(T_true_keV, dtype=float)
    e = np.asarray(edges_keV, dtype=float)
    if resolution is None:
        return ((T[None, :] >= e[:-1, None]) & (T[None, :] < e[1:, None])).astype(float)
    s = np.maximum(resolution.sigma_keV(T), 1e-12)
    cdf = special.ndtr((e[:, None] - T[None, :]) / s[None, :])
    return cdf[1:] - cdf[:-1]


#: Most analysis bins of one detector (bounded memory of the response matrix).
MAX_BINS = 10_000


@dataclass(frozen=True)
class Detector:
    """A detector and its data set.

    Attributes
    ----------
    target : Target
    resolution : StochasticResolution, GermaniumResolution or None
    threshold_keV, max_energy_keV : float
        Analysis window in measured energy.
    bin_width_keV : float
        Width of the analysis bins.
    background_per_kg_keV_day : float
        Flat background (reactor-independent), counts/(kg keV day).
    exposure_kg_day : float
        Exposure with the source on (reactor ON, or the whole run for the Sun).
    off_exposure_kg_day : float or None
        Reactor-OFF exposure (background measurement); ``None`` for no OFF period.
    efficiency : float
        Signal and background selection efficiency (applied to both), 0 < ε ≤ 1.
    """

    target: Target
    resolution: object
    threshold_keV: float
    max_energy_keV: float
    bin_width_keV: float
    background_per_kg_keV_day: float
    exposure_kg_day: float
    off_exposure_kg_day: float | None = None
    efficiency: float = 1.0

    def __post_init__(self):
        for name in ("threshold_keV", "max_energy_keV", "bin_width_keV", "exposure_kg_day"):
            v = finite_scalar(name, getattr(self, name))
            if v <= 0:
                raise ValueError(f"{name} = {v} must be > 0")
        if self.max_energy_keV <= self.threshold_keV:
            raise ValueError(f"max_energy_keV = {self.max_energy_keV} must exceed threshold_keV = {self.threshold_keV}")
        if finite_scalar("background_per_kg_keV_day", self.background_per_kg_keV_day) < 0:
            raise ValueError(f"background_per_kg_keV_day = {self.background_per_kg_keV_day} must be >= 0")
        if not 0 < finite_scalar("efficiency", self.efficiency) <= 1:
            raise ValueError(f"efficiency = {self.efficiency} outside (0, 1]")
        if self.off_exposure_kg_day is not None and finite_scalar("off_exposure_kg_day", self.off_exposure_kg_day) <= 0:
            raise ValueError(f"off_exposure_kg_day = {self.off_exposure_kg_day} must be > 0 or None")
        n_bins = (float(self.max_energy_keV) - float(self.threshold_keV)) / float(self.bin_width_keV)
        if n_bins > MAX_BINS:
            raise ValueError(f"bin_width_keV = {self.bin_width_keV} gives {n_bins:.3g} bins between "
                             f"threshold_keV and max_energy_keV; the valid range is >= "
                             f"{(self.max_energy_keV - self.threshold_keV) / MAX_BINS:.3g} keV "
                             f"(at most {MAX_BINS} bins)")

    @property
    def bin_edges_keV(self) -> np.ndarray:
        n = max(1, int(math.ceil((self.max_energy_keV - self.threshold_keV) / self.bin_width_keV - 1e-9)))
        return np.linspace(self.threshold_keV, self.max_energy_keV, n + 1)

    def background_counts(self, exposure_kg_day: float | None = None) -> np.ndarray:
        """Expected flat-background counts per bin for ``exposure_kg_day`` (default: ON)."""
        X = self.exposure_kg_day if exposure_kg_day is None else exposure_kg_day
        return self.background_per_kg_keV_day * np.diff(self.bin_edges_keV) * X * self.efficiency


@dataclass(frozen=True)
class OnOffCounts:
    """Expected counts per bin: ``on`` = (signal + background)·X_on, ``off`` = background·X_off."""

    on: np.ndarray
    off: np.ndarray
    exposure_on_kg_day: float
    exposure_off_kg_day: float

    def subtracted_rate(self):
        """ON − OFF rate per bin (counts/(kg day)) and its Poisson standard deviation."""
        r = self.on / self.exposure_on_kg_day - self.off / self.exposure_off_kg_day
        s = np.sqrt(self.on / self.exposure_on_kg_day**2 + self.off / self.exposure_off_kg_day**2)
        return r, s


def on_off_counts(detector: Detector, signal_counts_on) -> OnOffCounts:
    """Reactor ON/OFF expected counts from the signal counts in the ON period."""
    if detector.off_exposure_kg_day is None:
        raise ValueError("detector has no reactor-OFF exposure (off_exposure_kg_day is None)")
    s = np.asarray(signal_counts_on, dtype=float)
    on = s + detector.background_counts()
    off = detector.background_counts(detector.off_exposure_kg_day)
    return OnOffCounts(on, off, detector.exposure_kg_day, detector.off_exposure_kg_day)
