"""The seed's hydrogen toy model: DM scattering on the electron or on the proton of hydrogen, with reduced-mass kinematics.

Hydrogen is a two-body system: with centre of mass :math:`\\mathbf R` and relative coordinate
:math:`\\mathbf r = \\mathbf r_e - \\mathbf r_p`, :math:`\\mathbf r_e = \\mathbf R + (\\mu/m_e)\\mathbf r`
and :math:`\\mathbf r_p = \\mathbf R - (\\mu/m_p)\\mathbf r` with :math:`\\mu = m_em_p/(m_e+m_p)`.
A momentum transfer :math:`\\mathbf q` to the electron (proton) therefore excites the internal
motion with :math:`e^{i(\\mu/m_e)\\mathbf q\\cdot\\mathbf r}` (:math:`e^{-i(\\mu/m_p)\\mathbf q\\cdot\\mathbf r}`)
and gives the atom a recoil :math:`q^2/2M`, :math:`M = m_e + m_p`. The internal problem is
hydrogen with mass :math:`\\mu`: lengths :math:`1/(\\mu\\alpha)`, energies :math:`\\mu\\alpha^2`,
so with the closed form :math:`S_1(Q, t)` of Landau & Lifshitz :cite:`LandauLifshitzQM` (§148)
in atomic units (:func:`hydrogen_1s_S1_au`; tested against the independent implementation
:func:`nuatom.oracles.hydrogen_1s_continuum_response_per_hartree`)

.. math::
    S_e(T, q) = \\frac{m_e}{\\mu E_h}\\,S_1\\!\\Big(\\frac{q}{\\alpha m_e}, \\frac{m_e T}{\\mu E_h}\\Big),\\qquad
    S_p(T, q) = \\frac{m_e}{\\mu E_h}\\,S_1\\!\\Big(\\frac{q}{\\alpha m_p}, \\frac{m_e T}{\\mu E_h}\\Big),

and energy conservation for DM of mass :math:`m_\\chi` gives
:math:`v_{\\min} = T/q + q/(2\\mu_{\\chi H})`, :math:`\\mu_{\\chi H} = m_\\chi M/(m_\\chi + M)`.
The electron/proton rate ratio is computed at **equal couplings** (the same :math:`c_1`,
or the same :math:`d_1`, for both), so that the free cross sections differ only by
:math:`\\mu_{\\chi e}^2` vs :math:`\\mu_{\\chi p}^2`; the rates use the ionization continuum only.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import constants as _sc

from nuatom.darkmatter.conventions import Q_REF_KEV, reduced_mass_keV
from nuatom.darkmatter.halo import SHM
from nuatom.darkmatter.rates import C_CM_S, SECONDS_PER_DAY, T_max_keV, _q_integral
from nuatom.units import ALPHA, HARTREE_KEV, ME_KEV, inv_kev2_to_cm2

__all__ = ["hydrogen_1s_S1_au", "MP_KEV", "M_H_KEV", "MU_EP_KEV", "hydrogen_response_electron_per_keV",
           "hydrogen_response_proton_per_keV", "hydrogen_rate_per_atom_day", "hydrogen_ep_ratio",
           "hydrogen_threshold_keV"]

#: Proton mass (keV), hydrogen-atom mass m_e + m_p (binding neglected) and the e–p reduced mass.
MP_KEV: float = _sc.physical_constants["proton mass energy equivalent in MeV"][0] * 1e3
M_H_KEV: float = MP_KEV + ME_KEV
MU_EP_KEV: float = ME_KEV * MP_KEV / (ME_KEV + MP_KEV)


def hydrogen_threshold_keV(proton_mass_keV: float = MP_KEV) -> float:
    """Ionization energy μα²/2 of hydrogen with the reduced mass (keV)."""
    mu = ME_KEV * proton_mass_keV / (ME_KEV + proton_mass_keV)
    return 0.5 * mu * ALPHA**2


def hydrogen_1s_S1_au(q_au, t_au):
    r"""Continuum charge response of H(1s), infinite nuclear mass, in 1/Hartree.

    Parameters
    ----------
    q_au : array_like
        Momentum transfer (1/bohr).
    t_au : array_like
        Energy transfer (Hartree); zero below the threshold 1/2.

    Notes
    -----
    With :math:`k = \sqrt{2t-1}` :cite:`LandauLifshitzQM` (§148):
    :math:`S = 2^8q^2[q^2 + (1+k^2)/3]\exp[-\tfrac2k\operatorname{atan2}(2k, q^2-k^2+1)]
    / \{[(q+k)^2+1]^3[(q-k)^2+1]^3(1-e^{-2\pi/k})\}`, with the threshold limits
    :math:`\tfrac2k\operatorname{atan2}\to4/(q^2+1)`, :math:`1-e^{-2\pi/k}\to1`.
    """
    q, t = np.broadcast_arrays(np.asarray(q_au, float), np.asarray(t_au, float))
    above = t > 0.5
    k = np.sqrt(np.where(above, 2.0 * t - 1.0, 0.0))
    ks = np.where(k > 0, k, 1.0)
    q2 = q * q
    base = q2 - k * k + 1.0
    exponent = np.where(k > 0, 2.0 / ks * np.arctan2(2.0 * k, base), 4.0 / (q2 + 1.0))
    somm = np.where(k > 0, -np.expm1(-2.0 * np.pi / ks), 1.0)
    a, b = (q + k) ** 2 + 1.0, (q - k) ** 2 + 1.0
    value = 256.0 * q2 * (q2 + (1.0 + k * k) / 3.0) / (a * b) ** 3 * np.exp(-exponent) / somm
    return np.where(above | (t == 0.5), value, 0.0)


def _S(T_keV, q_keV, target_mass_keV, proton_mass_keV):
    S1 = hydrogen_1s_S1_au
    mu = ME_KEV * proton_mass_keV / (ME_KEV + proton_mass_keV)
    scale = ME_KEV / mu  # T in units of mu alpha^2 = T_hartree * m_e/mu
    T, q = np.broadcast_arrays(np.asarray(T_keV, float), np.asarray(q_keV, float))
    return S1(q / (ALPHA * target_mass_keV), T / HARTREE_KEV * scale) * scale / HARTREE_KEV


def hydrogen_response_electron_per_keV(T_keV, q_keV, proton_mass_keV: float = MP_KEV):
    """Continuum charge response of H(1s) to a kick q on the electron, per keV (reduced mass kept)."""
    return _S(T_keV, q_keV, ME_KEV, proton_mass_keV)


def hydrogen_response_proton_per_keV(T_keV, q_keV, proton_mass_keV: float = MP_KEV):
    """Continuum response of H(1s) to a kick q on the proton, per keV: S_1 at q/(αm_p)."""
    return _S(T_keV, q_keV, proton_mass_keV, proton_mass_keV)


def hydrogen_rate_per_atom_day(m_chi_keV: float, coupling: float, *, target: str = "electron",
                               mediator: str = "heavy", halo=SHM, panels: int = 12,
                               n_T_panels: int = 12, T_keV=None):
    """Ionization rate of one hydrogen atom (per day) by DM scattering on its electron or proton.

    Parameters
    ----------
    m_chi_keV : float
        DM mass (keV).
    coupling : float
        c1 (keV⁻², heavy) or d1 (dimensionless, light): :math:`\\tilde V(q) = c_1` or :math:`d_1/q^2`.
    target : {'electron', 'proton'}
    mediator : {'heavy', 'light'}
    T_keV : array_like, optional
        Return dR/dT per atom per day per keV at these T instead of the total.

    Notes
    -----
    :math:`dR/dT = \\frac{\\rho}{m_\\chi}\\frac{|\\tilde V(q_0)|^2}{2\\pi}\\int q\\,dq\\,|F_{\\rm DM}|^2S\\,\\eta`,
    i.e. the rate formula of :mod:`nuatom.darkmatter.rates` with
    :math:`\\bar\\sigma/\\mu^2 = |\\tilde V(q_0)|^2/\\pi` (equal couplings), v_min with
    :math:`\\mu_{\\chi H}`.
    """
    if target not in ("electron", "proton"):
        raise ValueError(f"target = {target!r} is not 'electron' or 'proton'")
    if mediator not in ("heavy", "light"):
        raise ValueError(f"mediator = {mediator!r} is not 'heavy' or 'light'")
    m = float(m_chi_keV)
    if not (math.isfinite(m) and m > 0):
        raise ValueError(f"m_chi_keV = {m_chi_keV!r} is outside the valid range (0, inf) keV")
    V0_sq = float(coupling) ** 2 * (1.0 if mediator == "heavy" else Q_REF_KEV ** -4)  # keV^-4
    tm = ME_KEV if target == "electron" else MP_KEV
    S_fn = lambda T, q: _S(T, q, tm, MP_KEV)  # noqa: E731
    n_chi = halo.rho_GeV_cm3 * 1e6 / m
    # |V(q0)|^2/(2 pi) in keV^-4 -> with rho/m_chi (cm^-3) and c (cm/s): keV^-4 cm^2 ... convert
    pref = n_chi * inv_kev2_to_cm2(V0_sq / (2.0 * math.pi)) * C_CM_S * SECONDS_PER_DAY  # cm^2 keV^-2 -> per keV^-2
    I = hydrogen_threshold_keV()
    T_end = T_max_keV(m, halo, M_H_KEV)
    if T_keV is not None:
        return pref * _q_integral(S_fn, T_keV, m, halo, mediator, None, None, M_H_KEV, panels)
    if T_end <= I:
        return 0.0
    a, b = math.log(I), math.log(T_end)
    x, w = np.polynomial.legendre.leggauss(12)
    edges = np.linspace(a, b, n_T_panels + 1)
    mid, half = 0.5 * (edges[1:] + edges[:-1]), 0.5 * np.diff(edges)
    lnT = (mid[:, None] + half[:, None] * x[None, :]).ravel()
    ww = (half[:, None] * w[None, :]).ravel()
    Tn = np.exp(lnT)
    return float(np.sum(ww * Tn * pref * _q_integral(S_fn, Tn, m, halo, mediator, None, None, M_H_KEV,
                                                      panels)))


def hydrogen_ep_ratio(m_chi_keV, *, mediator: str = "heavy", halo=SHM) -> np.ndarray:
    """Ratio of the H ionization rates by DM scattering on the electron and on the proton (equal couplings)."""
    out = []
    for m in np.atleast_1d(np.asarray(m_chi_keV, float)):
        re = hydrogen_rate_per_atom_day(m, 1.0, target="electron", mediator=mediator, halo=halo)
        rp = hydrogen_rate_per_atom_day(m, 1.0, target="proton", mediator=mediator, halo=halo)
        out.append(re / rp if rp > 0 else math.inf)
    return np.array(out)
