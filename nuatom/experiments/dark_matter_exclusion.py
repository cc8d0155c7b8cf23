"""Projected exclusion of millicharged dark matter in (m_χ, ε) for xenon and germanium exposures.

A DM particle of charge εe scatters on bound electrons by photon exchange: the light-mediator
rate of :mod:`nuatom.darkmatter.rates` with
:math:`\\bar\\sigma_e = 16\\pi\\alpha^2\\varepsilon^2\\mu_{\\chi e}^2/(\\alpha m_e)^4`
(:func:`nuatom.darkmatter.conventions.sigma_e_millicharge_cm2`), so the expected counts are
:math:`\\varepsilon^2 s_j` in each analysis bin j. The projected 90 % CL upper limit on
:math:`\\theta = \\varepsilon^2 \\ge 0` comes from the binned Poisson likelihood of
:mod:`nuatom.experiments.stats` on Asimov background-only data (the median expected limit);
the exposures, thresholds and flat backgrounds of :data:`EXPOSURES` are illustrative
projections stated in the chapter, not the analyses of any collaboration.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nuatom.darkmatter.conventions import sigma_e_millicharge_cm2
from nuatom.darkmatter.halo import SHM
from nuatom.darkmatter.rates import T_max_keV, dm_electron_spectrum
from nuatom.experiments.detector import GermaniumResolution, response_matrix
from nuatom.experiments.stats import BinnedModel, upper_limit

__all__ = ["DMExposure", "EXPOSURES", "millicharge_counts_per_eps2", "millicharge_limit", "observed_spectrum"]


@dataclass(frozen=True)
class DMExposure:
    """An exposure for a DM–electron search.

    Attributes
    ----------
    element : str
    exposure_kg_day : float
    threshold_keV, max_keV : float
        Analysis window in deposited energy (keV).
    n_bins : int
    background_per_kg_day_keV : float
        Flat background (events/kg/day/keV).
    resolution : object or None
        Energy resolution with ``sigma_keV(E)`` (None: sharp binning).
    """

    element: str
    exposure_kg_day: float
    threshold_keV: float
    max_keV: float
    n_bins: int = 10
    background_per_kg_day_keV: float = 1.0
    resolution: object = None

    def __post_init__(self):
        for name in ("exposure_kg_day", "threshold_keV", "max_keV", "background_per_kg_day_keV"):
            v = float(getattr(self, name))
            if not (math.isfinite(v) and v > 0):
                raise ValueError(f"{name} = {v!r} is outside the valid range (0, inf)")
        if self.max_keV <= self.threshold_keV:
            raise ValueError(f"max_keV = {self.max_keV!r} must exceed threshold_keV = {self.threshold_keV!r}")

    @property
    def edges_keV(self) -> np.ndarray:
        return np.geomspace(self.threshold_keV, self.max_keV, self.n_bins + 1)


#: Illustrative projections: a 1 tonne-year xenon S2-like search above 50 eV with
#: 0.01 /kg/day/keV, and a 1 kg-year point-contact germanium search above 160 eV with
#: 1 /kg/day/keV and 30 eV pulser width (Fano 0.11, 2.97 eV per pair).
EXPOSURES = {
    "Xe": DMExposure("Xe", 1000.0 * 365.25, 0.05, 1.0, 10, 0.01, None),
    "Ge": DMExposure("Ge", 365.25, 0.16, 2.0, 10, 1.0, GermaniumResolution(0.030)),
}


def millicharge_counts_per_eps2(exposure: DMExposure, m_chi_MeV: float, halo=SHM, response=None) -> np.ndarray:
    """Expected counts per analysis bin for ε = 1 (counts scale as ε²)."""
    sigma1 = float(sigma_e_millicharge_cm2(1.0, m_chi_MeV * 1e3))
    T_end = T_max_keV(m_chi_MeV * 1e3, halo)
    edges = exposure.edges_keV
    lo = 0.5 * exposure.threshold_keV if exposure.resolution is not None else exposure.threshold_keV
    if T_end <= lo:
        return np.zeros(exposure.n_bins)
    T = np.geomspace(lo, min(T_end, 2 * exposure.max_keV), 300)
    spec = dm_electron_spectrum(exposure.element, m_chi_MeV, sigma1, mediator="light", T_keV=T,
                                halo=halo, response=response, with_totals=False)
    dR = spec.total_dR_dT
    P = response_matrix(T, edges, exposure.resolution)
    w = np.gradient(T)  # trapezoid-like weights on the fine log grid
    return exposure.exposure_kg_day * (P * (dR * w)[None, :]).sum(axis=1)


def millicharge_limit(exposure: DMExposure, m_chi_MeV, halo=SHM, response=None) -> np.ndarray:
    """Projected 90 % CL upper limit on |ε| at each DM mass (inf where no signal reaches the window)."""
    out = []
    bkg = exposure.background_per_kg_day_keV * exposure.exposure_kg_day * np.diff(exposure.edges_keV)
    for m in np.atleast_1d(np.asarray(m_chi_MeV, float)):
        s = millicharge_counts_per_eps2(exposure, m, halo, response)
        if not np.any(s > 0):
            out.append(math.inf)
            continue
        model = BinnedModel(s0=np.zeros_like(s), s1=s, s2=np.zeros_like(s), background_on=bkg)
        out.append(math.sqrt(upper_limit(model)))
    return np.array(out)


def observed_spectrum(spectrum, E_keV, resolution) -> np.ndarray:
    r"""Measured-energy spectrum dR/dE (events/kg/day/keV) of a DM spectrum seen with a Gaussian
    ``resolution`` (e.g. :class:`~nuatom.experiments.detector.GermaniumResolution`):
    :math:`dR/dE = \int dT\,\frac{dR}{dT}\,\frac{e^{-(E-T)^2/2\sigma(T)^2}}{\sqrt{2\pi}\sigma(T)}`,
    trapezoid rule over the spectrum's own T grid (which must resolve σ)."""
    T = np.asarray(spectrum.T_keV, float)
    E = np.atleast_1d(np.asarray(E_keV, float))
    if np.any(~np.isfinite(E)):
        raise ValueError(f"E_keV = {E_keV!r} must be finite")
    s = np.maximum(resolution.sigma_keV(T), 1e-12)
    kernel = np.exp(-0.5 * ((E[:, None] - T[None, :]) / s[None, :]) ** 2) / (math.sqrt(2 * math.pi) * s[None, :])
    return np.trapezoid(kernel * spectrum.total_dR_dT[None, :], T, axis=1)
