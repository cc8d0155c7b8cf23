"""A keV sterile neutrino with a transition magnetic moment to the active neutrinos.

Only what is derived and checked is here: the radiative decay ν_s → ν_a γ through a
transition moment (the X-ray line), its inverse (the moment implied by a measured line),
the decay through active–sterile mixing, and the kinematics of sterile-to-active
conversion on an atom (the deposit T = m_s/2 where the exchanged photon is real).

Radiative decay through a transition moment :cite:`PalWolfenstein1982,Shrock1982`,
massless active neutrino, μ² standing for |μ|² + |d|² (electric dipole included):

.. math:: \\Gamma(\\nu_s\\to\\nu_a\\gamma) = \\frac{\\mu^2 m_s^3}{8\\pi}.

Radiative decay through mixing (Majorana ν_s; Pal & Wolfenstein):
:math:`\\Gamma = \\frac{9\\alpha G_F^2}{1024\\pi^4}\\sin^2 2\\theta\\, m_s^5`.

The ionization cross section by conversion is **not** implemented: in plane-wave
kinematics the exchanged photon goes on shell (q² = 0) inside the allowed region, and
since the transition vertex does not vanish there (the same vertex gives the decay),
dσ/dT has a non-integrable 1/q⁴ singularity that needs a physical regulator (the finite
photon path, the atom's environment); see the chapter *The keV sterile-neutrino dipole portal*.
In a medium the photon's absorption regularises the pole, and the on-shell part of the rate
is the decay rate inside the target: :mod:`nuatom.darkmatter.sterile_line` (rate, spectrum) and
:mod:`nuatom.experiments.sterile_line_limit` (a conservative limit on the moment); the
off-shell remainder, below 1 % of the line in Ge, is
:func:`nuatom.darkmatter.sterile_line.off_shell_spectrum_per_kg_day_keV`.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import constants as _sc

from nuatom import units as u
from nuatom._validate import finite_nonnegative_array, finite_scalar

__all__ = ["HBAR_KEV_S", "decay_rate_moment_per_s", "moment_from_decay_rate_muB",
           "decay_rate_mixing_per_s", "conversion_peak_keV"]

#: ħ in keV·s (CODATA, converts a width in keV to a rate in 1/s).
HBAR_KEV_S = _sc.physical_constants["reduced Planck constant in eV s"][0] * 1e-3


def _mass(m_s_keV) -> float:
    m = finite_scalar("m_s_keV", m_s_keV, "keV")
    if m <= 0:
        raise ValueError(f"m_s_keV = {m} outside the valid range (0, inf) keV")
    return m


def decay_rate_moment_per_s(mu_muB, m_s_keV):
    """Γ(ν_s → ν_a γ) = μ² m_s³/(8π) in 1/s, μ in Bohr magnetons, m_s in keV."""
    mu = np.asarray(mu_muB, float) * u.MU_B_KEV
    m = _mass(m_s_keV)
    return mu * mu * m**3 / (8.0 * math.pi) / HBAR_KEV_S


def moment_from_decay_rate_muB(rate_per_s, m_s_keV) -> float:
    """The transition moment (μ_B) that gives the radiative decay rate ``rate_per_s`` (1/s)."""
    g = finite_scalar("rate_per_s", rate_per_s, "1/s")
    if g < 0:
        raise ValueError(f"rate_per_s = {g} outside the valid range [0, inf) 1/s")
    m = _mass(m_s_keV)
    return math.sqrt(8.0 * math.pi * g * HBAR_KEV_S / m**3) / u.MU_B_KEV


def decay_rate_mixing_per_s(sin2_2theta, m_s_keV):
    """Γ(ν_s → ν γ) through mixing, 9αG_F² sin²2θ m_s⁵/(1024π⁴), in 1/s (Majorana ν_s)."""
    s = finite_nonnegative_array("sin2_2theta", sin2_2theta, "")
    m = _mass(m_s_keV)
    return 9.0 * u.ALPHA * u.GF_KEV**2 * s * m**5 / (1024.0 * math.pi**4) / HBAR_KEV_S


def conversion_peak_keV(m_s_keV, v: float):
    """Range (T_lo, T_hi) in keV of energy deposits where the exchanged photon can be real (q² = 0)
    when a sterile neutrino of mass ``m_s_keV`` and speed ``v`` (units of c) converts to a massless
    active neutrino: centred on m_s/2, width ≈ m_s v.

    Notes
    -----
    E_s = m_s γ, k = m_s γ v, E' = E_s − T; q² = T² − |q|² = 0 needs |q| = T with
    |E' − k| ≤ |q| ≤ E' + k, i.e. (E_s − k)/2 ≤ T ≤ (E_s + k)/2.
    """
    m = _mass(m_s_keV)
    vv = finite_scalar("v", v, "c")
    if not 0 <= vv < 1:
        raise ValueError(f"v = {vv} outside the valid range [0, 1)")
    gamma = 1.0 / math.sqrt(1.0 - vv * vv)
    Es, k = m * gamma, m * gamma * vv
    return 0.5 * (Es - k), 0.5 * (Es + k)
