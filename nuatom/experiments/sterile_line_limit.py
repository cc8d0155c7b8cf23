"""Direct limit on the transition moment of sterile-neutrino dark matter from the on-shell
conversions inside a detector (the decay line; physics in :mod:`nuatom.darkmatter.sterile_line`).

The limit is conservative: the off-shell conversions are not in its signal; they would only add
to it, by less than 1 % in Ge (:func:`nuatom.darkmatter.sterile_line.off_shell_spectrum_per_kg_day_keV`).
"""
from __future__ import annotations


import numpy as np

from nuatom._validate import positive_array
from nuatom.darkmatter.sterile_line import line_spectrum_per_kg_day_keV
from nuatom.experiments.stats import BinnedModel, upper_limit

__all__ = ["MU_REF_MUB", "moment_upper_limit_muB"]

#: Reference moment (μ_B) in which the likelihood's parameter is expressed (θ = μ/MU_REF_MUB).
MU_REF_MUB = 1e-14


def _positive(name: str, value, unit: str) -> float:
    return float(positive_array(name, value, unit))


def moment_upper_limit_muB(m_s_keV: float, exposure_kg_day: float, background_per_kg_keV_day: float,
                           density_g_cm3: float, *, resolution_sigma_keV: float, rho_GeV_cm3: float = 0.3,
                           half_window_sigmas: float = 4.0, bins: int = 32) -> float:
    """Expected (Asimov, background only) 90 % CL upper limit on μ (μ_B) from the on-shell line.

    The spectrum of :func:`line_spectrum_per_kg_day_keV` in ``bins`` equal bins over
    :math:`m_s/2 \\pm` ``half_window_sigmas`` × σ, a flat background, and the profile-free
    binned Poisson likelihood of :func:`nuatom.experiments.stats.upper_limit` with θ = μ/MU_REF_MUB
    (signal ∝ θ², one-sided). Conservative: the off-shell conversions (< 1 % in Ge) are not in the
    signal.
    """
    exposure = _positive("exposure_kg_day", exposure_kg_day, "kg day")
    b = _positive("background_per_kg_keV_day", background_per_kg_keV_day, "1/(kg keV day)")
    sigma = _positive("resolution_sigma_keV", resolution_sigma_keV, "keV")
    half = _positive("half_window_sigmas", half_window_sigmas, "sigma")
    m_s = _positive("m_s_keV", m_s_keV, "keV")
    edges = 0.5 * m_s + np.linspace(-half, half, int(bins) + 1) * sigma
    # 8 Gauss-Legendre nodes per bin, every bin in one call (one halo average, one rate)
    x, w = np.polynomial.legendre.leggauss(8)
    half_width = 0.5 * np.diff(edges)[:, None]
    nodes = half_width * x + 0.5 * (edges[:-1] + edges[1:])[:, None]
    spectrum = line_spectrum_per_kg_day_keV(nodes, MU_REF_MUB, m_s, density_g_cm3,
                                            resolution_sigma_keV=sigma, rho_GeV_cm3=rho_GeV_cm3)
    counts = (half_width[:, 0] * (spectrum * w).sum(axis=1))
    signal = counts * exposure
    background = b * np.diff(edges) * exposure
    zero = np.zeros_like(signal)
    model = BinnedModel(s0=zero, s1=zero, s2=signal, background_on=background)
    return upper_limit(model) * MU_REF_MUB
