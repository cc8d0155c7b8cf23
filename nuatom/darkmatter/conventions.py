"""Conventions of DM–electron scattering: σ̄_e and the seed's couplings, F_DM, |f_ion|², W1, K.

Units: keV for masses, energies and momenta (ħ = c = 1), cm² for cross sections.

**The seed's couplings.** The non-relativistic DM–electron potential in momentum space is
:math:`\\tilde V(q) = c_1 + d_1/q^2` (spin independent) :cite:`Wu2019talk`, with
:math:`c_1` in keV⁻² (a contact term, like :math:`G_F`) and :math:`d_1` dimensionless. For a
mediator of mass :math:`m_\\phi` and couplings :math:`g_\\chi, g_e`:
:math:`c_1 = g_\\chi g_e/m_\\phi^2` (heavy) or :math:`d_1 = g_\\chi g_e` (massless).

**The field's reference cross section** :cite:`Essig2012` is the free χ–e cross section at the
reference momentum :math:`q_0 = \\alpha m_e`,

.. math::
    \\bar\\sigma_e = \\frac{\\mu_{\\chi e}^2}{\\pi}\\,|\\tilde V(q_0)|^2,\\qquad
    |\\tilde V(q)|^2 = |\\tilde V(q_0)|^2\\,|F_{\\rm DM}(q)|^2,

so that :math:`\\bar\\sigma_e = \\mu_{\\chi e}^2c_1^2/\\pi` with :math:`F_{\\rm DM} = 1` (heavy
mediator) and :math:`\\bar\\sigma_e = \\mu_{\\chi e}^2d_1^2/[\\pi(\\alpha m_e)^4]` with
:math:`F_{\\rm DM} = (\\alpha m_e/q)^2` (light mediator). These are exact (no approximation
beyond the non-relativistic potential).

**Millicharged DM** (charge :math:`\\varepsilon e`, massless photon; Heaviside–Lorentz
:math:`e^2 = 4\\pi\\alpha`): :math:`\\tilde V = -4\\pi\\alpha\\varepsilon/q^2`, i.e.
:math:`d_1 = -4\\pi\\alpha\\varepsilon` and
:math:`\\bar\\sigma_e = 16\\pi\\alpha^2\\varepsilon^2\\mu_{\\chi e}^2/(\\alpha m_e)^4`.

**Response conventions.** nuatom's charge response of a subshell (occupation included,
continuum normalized per unit energy) is :math:`S(T, q) = R_{00}(T, q)` in 1/keV. The
ionization form factor of Essig, Volansky & Yu :cite:`Essig2017` (spin degeneracy included,
continuum states normalized to :math:`(2\\pi)^3\\delta(k-k')/k^2`) and the first atomic
response of Catena et al. :cite:`Catena2020` are the same dimensionless number,

.. math:: |f_{\\rm ion}(k', q)|^2 = W_1(k', q) = 4\\,E_e\\,S(T, q),\\qquad E_e = T - E_B = k'^2/2m_e,

and the atomic ionisation factor of Roberts et al. (``AtomicIonisation``, energy-normalized
continuum) is :math:`K(E, q) = E_h\\,S(T, q)` with :math:`E_h` the Hartree energy. With
these, :math:`dR/d\\ln E_e = N_T\\frac{\\rho_\\chi}{m_\\chi}\\frac{\\bar\\sigma_e}{8\\mu_{\\chi e}^2}
\\int q\\,dq\\,|f_{\\rm ion}|^2|F_{\\rm DM}|^2\\eta(v_{\\min})` :cite:`Essig2017` is the same as
nuatom's :math:`dR/dT = N_T\\frac{\\rho_\\chi}{m_\\chi}\\frac{\\bar\\sigma_e}{2\\mu_{\\chi e}^2}
\\int q\\,dq\\,S\\,|F_{\\rm DM}|^2\\eta(v_{\\min})` (tested, with the free-electron limit
:math:`S = \\delta(T - q^2/2m_e)` giving :math:`d\\sigma v/dT = \\bar\\sigma_e m_e/(2\\mu^2 v)`).
"""
from __future__ import annotations

import math

import numpy as np

from nuatom.units import ALPHA, HARTREE_KEV, ME_KEV, inv_kev2_to_cm2

__all__ = ["Q_REF_KEV", "reduced_mass_keV", "f_dm_sq", "sigma_e_from_c1_cm2", "c1_from_sigma_e_per_keV2",
           "sigma_e_from_d1_cm2", "d1_from_sigma_e", "sigma_e_millicharge_cm2",
           "epsilon_from_sigma_e_millicharge", "f_ion_sq_from_S", "S_from_f_ion_sq", "W1_from_S",
           "K_from_S", "S_from_K", "MEDIATORS", "sigma_e_from_c4_cm2", "sigma_e_from_d4_cm2"]

#: Reference momentum transfer q0 = alpha m_e (keV/c).
Q_REF_KEV: float = ALPHA * ME_KEV
#: Mediator names: 'heavy' (contact, F_DM = 1) and 'light' (F_DM = (alpha m_e / q)^2).
MEDIATORS = ("heavy", "light")


def reduced_mass_keV(m1_keV, m2_keV=ME_KEV):
    """Reduced mass m1 m2/(m1 + m2) in keV."""
    m1 = np.asarray(m1_keV, float)
    return m1 * m2_keV / (m1 + m2_keV)


def f_dm_sq(q_keV, mediator: str):
    """|F_DM(q)|²: 1 (heavy) or (αm_e/q)⁴ (light); q in keV/c."""
    if mediator not in MEDIATORS:
        raise ValueError(f"mediator = {mediator!r} is not one of {MEDIATORS}")
    q = np.asarray(q_keV, float)
    return np.ones_like(q) if mediator == "heavy" else (Q_REF_KEV / q) ** 4


def _mu(m_chi_keV):
    m = float(m_chi_keV)
    if not (math.isfinite(m) and m > 0):
        raise ValueError(f"m_chi_keV = {m_chi_keV!r} is outside the valid range (0, inf) keV")
    return m * ME_KEV / (m + ME_KEV)


def sigma_e_from_c1_cm2(c1_per_keV2, m_chi_keV):
    """σ̄_e = μ² c1²/π (cm²) for the contact coupling c1 (keV⁻²)."""
    return inv_kev2_to_cm2(_mu(m_chi_keV) ** 2 * np.asarray(c1_per_keV2, float) ** 2 / math.pi)


def c1_from_sigma_e_per_keV2(sigma_e_cm2, m_chi_keV):
    """|c1| (keV⁻²) from σ̄_e (cm²): the inverse of :func:`sigma_e_from_c1_cm2`."""
    s = np.asarray(sigma_e_cm2, float) / inv_kev2_to_cm2(1.0)
    return np.sqrt(math.pi * s) / _mu(m_chi_keV)


def sigma_e_from_d1_cm2(d1, m_chi_keV):
    """σ̄_e = μ² d1²/[π (αm_e)⁴] (cm²) for the long-range coupling d1 (dimensionless)."""
    return inv_kev2_to_cm2(_mu(m_chi_keV) ** 2 * np.asarray(d1, float) ** 2 / (math.pi * Q_REF_KEV**4))


def d1_from_sigma_e(sigma_e_cm2, m_chi_keV):
    """|d1| from σ̄_e (cm²): the inverse of :func:`sigma_e_from_d1_cm2`."""
    s = np.asarray(sigma_e_cm2, float) / inv_kev2_to_cm2(1.0)
    return np.sqrt(math.pi * s) * Q_REF_KEV**2 / _mu(m_chi_keV)


def sigma_e_from_c4_cm2(c4_per_keV2, m_chi_keV):
    """Spin-averaged σ̄_e = (3/16) μ² c4²/π (cm²) of Ṽ = c4 S_χ·S_e (spin-½ DM and electron):
    the spin average of (S_χ·S_e)² is S_χ(S_χ+1)S_e(S_e+1)/3 = 3/16."""
    return 3.0 / 16.0 * sigma_e_from_c1_cm2(c4_per_keV2, m_chi_keV)


def sigma_e_from_d4_cm2(d4, m_chi_keV):
    """Spin-averaged σ̄_e = (3/16) μ² d4²/[π(αm_e)⁴] (cm²) of Ṽ = (d4/q²) S_χ·S_e."""
    return 3.0 / 16.0 * sigma_e_from_d1_cm2(d4, m_chi_keV)


def sigma_e_millicharge_cm2(epsilon, m_chi_keV):
    """σ̄_e = 16π α² ε² μ²/(αm_e)⁴ (cm²) of DM with charge εe (light mediator: the photon)."""
    return sigma_e_from_d1_cm2(4.0 * math.pi * ALPHA * np.asarray(epsilon, float), m_chi_keV)


def epsilon_from_sigma_e_millicharge(sigma_e_cm2, m_chi_keV):
    """|ε| from σ̄_e (cm²): the inverse of :func:`sigma_e_millicharge_cm2`."""
    return d1_from_sigma_e(sigma_e_cm2, m_chi_keV) / (4.0 * math.pi * ALPHA)


def _recoil(T_keV, binding_keV):
    return np.maximum(np.asarray(T_keV, float) - float(binding_keV), 0.0)


def f_ion_sq_from_S(S_per_keV, T_keV, binding_keV):
    """Essig et al.'s |f_ion|² = 4 E_e S (dimensionless), E_e = T − E_B (keV), S in 1/keV."""
    return 4.0 * _recoil(T_keV, binding_keV) * np.asarray(S_per_keV, float)


def S_from_f_ion_sq(f_ion_sq, T_keV, binding_keV):
    """S = |f_ion|²/(4 E_e) in 1/keV (0 at and below threshold)."""
    E = _recoil(T_keV, binding_keV)
    return np.where(E > 0, np.asarray(f_ion_sq, float) / (4.0 * np.where(E > 0, E, 1.0)), 0.0)


def W1_from_S(S_per_keV, T_keV, binding_keV):
    """Catena et al.'s first atomic response W1 = 4 E_e S (= |f_ion|², dimensionless)."""
    return f_ion_sq_from_S(S_per_keV, T_keV, binding_keV)


def K_from_S(S_per_keV):
    """Roberts et al.'s atomic ionisation factor K = E_h S (dimensionless)."""
    return HARTREE_KEV * np.asarray(S_per_keV, float)


def S_from_K(K):
    """S = K/E_h in 1/keV."""
    return np.asarray(K, float) / HARTREE_KEV
