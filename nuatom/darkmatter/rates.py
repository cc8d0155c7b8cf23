"""DM–electron scattering rates from the atomic charge response, per subshell.

For DM of mass :math:`m_\\chi` and local density :math:`\\rho_\\chi`, a target of
:math:`N_T` atoms per kg, and the non-relativistic potential :math:`\\tilde V(q)` of
:mod:`nuatom.darkmatter.conventions`, each subshell contributes

.. math::
    \\frac{dR}{dT} = N_T\\,\\frac{\\rho_\\chi}{m_\\chi}\\,\\frac{\\bar\\sigma_e}{2\\mu_{\\chi e}^2}
    \\int_{q_-}^{q_+} q\\,dq\\;|F_{\\rm DM}(q)|^2\\,S(T, q)\\,\\eta\\big(v_{\\min}(T, q)\\big),
    \\qquad v_{\\min} = \\frac{T}{q} + \\frac{q}{2m_\\chi},

with :math:`S = R_{00}` of the subshell (occupation included) and :math:`q_\\pm = m_\\chi
v_{\\max}\\,[1 \\pm (1 - 2T/m_\\chi v_{\\max}^2)^{1/2}]`, :math:`v_{\\max} = v_{\\rm esc} + v_E`:
the rate is exactly zero for :math:`T > \\tfrac12 m_\\chi v_{\\max}^2`. (The atom is taken
infinitely heavy, as in :cite:`Essig2017`; :mod:`nuatom.darkmatter.hydrogen` keeps the
reduced mass.) Derived in the chapter with sympy; the free-electron limit
:math:`S = \\delta(T - q^2/2m_e)` gives :math:`d\\sigma v/dT = \\bar\\sigma_e m_e/(2\\mu^2 v)`.

Units: dR/dT in events per kg per day per keV, totals in events per kg per day.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import constants as _sc

from nuatom.darkmatter.conventions import MEDIATORS, f_dm_sq, reduced_mass_keV
from nuatom.darkmatter.halo import SHM
from nuatom.darkmatter.tables import ChargeResponse, charge_response
from nuatom.units import ME_KEV, N_A

__all__ = ["OPERATORS", "C_KM_S", "SECONDS_PER_DAY", "DMSpectrum", "v_min_km_s", "q_range_keV",
           "T_max_keV", "atoms_per_kg", "dR_dT_subshell", "dm_electron_spectrum", "rate_prefactor"]

#: Speed of light in km/s and cm/s (scipy.constants).
C_KM_S: float = _sc.c * 1e-3
C_CM_S: float = _sc.c * 1e2
SECONDS_PER_DAY: float = _sc.day
#: Operators of the seed: c1 (contact) and d1/q^2 (long range), spin independent; c4 and d4/q^2,
#: the same with S_chi.S_e (spin dependent), in the non-relativistic spin reduction (see
#: :func:`dm_electron_spectrum`).
OPERATORS = ("c1", "d1", "c4", "d4")
_GEV_KEV = 1e6
_GL_X, _GL_W = np.polynomial.legendre.leggauss(12)


def v_min_km_s(T_keV, q_keV, m_chi_keV, target_mass_keV=None):
    """v_min = T/q + q/(2μ) in km/s (μ = m_χ, or the χ–target reduced mass if given)."""
    mu = float(m_chi_keV) if target_mass_keV is None else float(reduced_mass_keV(m_chi_keV, target_mass_keV))
    T, q = np.asarray(T_keV, float), np.asarray(q_keV, float)
    return (T / q + q / (2.0 * mu)) * C_KM_S


def T_max_keV(m_chi_keV, halo=SHM, target_mass_keV=None):
    """Kinematic end point ½ μ v_max² (keV), v_max = v_esc + v_E (μ = m_χ unless a target mass is given)."""
    mu = float(m_chi_keV) if target_mass_keV is None else float(reduced_mass_keV(m_chi_keV, target_mass_keV))
    return 0.5 * mu * (halo.v_max_km_s / C_KM_S) ** 2


def q_range_keV(T_keV, m_chi_keV, halo=SHM, target_mass_keV=None):
    """(q_-, q_+) in keV/c where v_min <= v_max; (nan, nan) above the end point."""
    mu = float(m_chi_keV) if target_mass_keV is None else float(reduced_mass_keV(m_chi_keV, target_mass_keV))
    v = halo.v_max_km_s / C_KM_S
    T = np.asarray(T_keV, float)
    disc = 1.0 - 2.0 * T / (mu * v * v)
    root = np.sqrt(np.where(disc >= 0, disc, np.nan))
    return mu * v * (1.0 - root), mu * v * (1.0 + root)


def atoms_per_kg(element: str) -> float:
    """Atoms per kg of the pure element (periodictable standard atomic weight)."""
    import periodictable

    try:
        mass = periodictable.elements.symbol(element).mass
    except (ValueError, AttributeError, TypeError) as exc:
        raise ValueError(f"element = {element!r} is not a chemical symbol") from exc
    return 1000.0 / mass * N_A


def rate_prefactor(m_chi_keV, sigma_e_cm2, halo=SHM, n_targets_per_kg: float = 1.0):
    """N_T (ρ/m_χ) σ̄_e c /(2μ²) · (s per day): multiplies ∫ q dq |F|² S η_c (keV⁻¹ · keV⁻²·keV)
    with η in units of 1/c, giving events per kg per day per keV."""
    mu = float(reduced_mass_keV(m_chi_keV))
    n_chi = halo.rho_GeV_cm3 * _GEV_KEV / float(m_chi_keV)  # per cm^3
    return n_targets_per_kg * n_chi * float(sigma_e_cm2) * C_CM_S * SECONDS_PER_DAY / (2.0 * mu * mu)


def _q_integral(S_fn, T, m_chi_keV, halo, mediator, q_lo, q_hi, target_mass_keV, panels):
    """∫ q dq |F|² S(T, q) η(v_min) (η in 1/c) for each T, Gauss–Legendre panels in ln q."""
    T = np.atleast_1d(np.asarray(T, float))
    qm, qp = q_range_keV(T, m_chi_keV, halo, target_mass_keV)
    out = np.zeros(T.shape)
    ok = np.isfinite(qm)
    if q_lo is not None:
        qm = np.maximum(qm, q_lo)
    if q_hi is not None:
        qp = np.minimum(qp, q_hi)
    ok &= qp > qm
    if not np.any(ok):
        return out
    Ti = T[ok]
    a, b = np.log(qm[ok]), np.log(qp[ok])
    edges = a[:, None] + (b - a)[:, None] * np.linspace(0, 1, panels + 1)[None, :]
    mid = 0.5 * (edges[:, 1:] + edges[:, :-1])
    half = 0.5 * (edges[:, 1:] - edges[:, :-1])
    lnq = (mid[:, :, None] + half[:, :, None] * _GL_X[None, None, :]).reshape(Ti.size, -1)
    w = (half[:, :, None] * _GL_W[None, None, :]).reshape(Ti.size, -1)
    q = np.exp(lnq)
    Tb = np.broadcast_to(Ti[:, None], q.shape)
    eta = halo.eta_s_per_km(np.clip(v_min_km_s(Tb, q, m_chi_keV, target_mass_keV), 0, None)) * C_KM_S
    integrand = q * q * f_dm_sq(q, mediator) * S_fn(Tb, q) * eta  # q dq = q^2 dln q
    out[ok] = np.sum(w * integrand, axis=1)
    return out


def dR_dT_subshell(S_fn, T_keV, m_chi_keV, sigma_e_cm2, *, mediator="heavy", halo=SHM,
                   n_targets_per_kg=1.0, q_bounds_keV=(None, None), target_mass_keV=None,
                   panels: int = 8):
    """dR/dT (events/kg/day/keV) of one response ``S_fn(T, q)`` (1/keV) at energy transfers T (keV).

    ``S_fn`` is any callable (a subshell of a table, a closed form); ``q_bounds_keV`` clips the
    q integral to the range where ``S_fn`` is known (the rate is an underestimate by the
    truncated part, which :mod:`tests.darkmatter` bounds for the packaged tables).
    """
    if mediator not in MEDIATORS:
        raise ValueError(f"mediator = {mediator!r} is not one of {MEDIATORS}")
    integral = _q_integral(S_fn, T_keV, m_chi_keV, halo, mediator, q_bounds_keV[0], q_bounds_keV[1],
                           target_mass_keV, panels)
    return rate_prefactor(m_chi_keV, sigma_e_cm2, halo, n_targets_per_kg) * integral


@dataclass
class DMSpectrum:
    """A DM–electron ionization spectrum per subshell.

    Attributes
    ----------
    T_keV : ndarray (nT,)
        Energy transfers (keV).
    dR_dT_per_kg_day_keV : ndarray (nsub, nT)
        Per subshell (events/kg/day/keV).
    subshells : tuple of str
    binding_keV : ndarray (nsub,)
    rate_per_kg_day : ndarray (nsub,)
        Integrated over T from each threshold to the kinematic end point.
    T_end_keV : float
        Kinematic end point ½ m_χ v_max² (keV).
    inputs : dict
    """

    T_keV: np.ndarray
    dR_dT_per_kg_day_keV: np.ndarray
    subshells: tuple
    binding_keV: np.ndarray
    rate_per_kg_day: np.ndarray
    T_end_keV: float
    inputs: dict = field(default_factory=dict)

    @property
    def total_dR_dT(self) -> np.ndarray:
        return self.dR_dT_per_kg_day_keV.sum(axis=0)

    @property
    def total_rate_per_kg_day(self) -> float:
        return float(self.rate_per_kg_day.sum())

    def by_subshell(self) -> dict:
        return {s: float(r) for s, r in zip(self.subshells, self.rate_per_kg_day)}


def _operator_mediator(operator, mediator):
    if operator is None:
        return {"heavy": "c1", "light": "d1"}[mediator], mediator
    if operator not in OPERATORS:
        raise ValueError(f"operator = {operator!r} is not one of {OPERATORS}")
    implied = "heavy" if operator.startswith("c") else "light"
    if mediator is not None and mediator != implied:
        raise ValueError(f"operator = {operator!r} implies mediator = {implied!r}, got {mediator!r}")
    return operator, implied


def dm_electron_spectrum(element: str | None, m_chi_MeV: float, sigma_e_cm2: float, *,
                         mediator: str | None = "heavy", operator: str | None = None, T_keV=None,
                         halo=SHM, method: str = "dhf", table=None,
                         response: ChargeResponse | None = None, n_T_total: int = 8,
                         with_totals: bool = True) -> DMSpectrum:
    r"""DM–electron ionization spectrum and rates of a pure-element target, per subshell.

    Parameters
    ----------
    element : str
        Target ('Ge', 'Xe', 'Na', 'Ar', 'I' packaged; any other with ``table``).
    m_chi_MeV : float
        DM mass (MeV, > 0).
    sigma_e_cm2 : float
        Reference cross section σ̄_e at q = αm_e (cm², >= 0).
    mediator : {'heavy', 'light'}
        F_DM = 1 or (αm_e/q)².
    operator : {'c1', 'd1', 'c4', 'd4'}, optional
        The seed's operator; c ⇔ heavy, d ⇔ light. For the spin-dependent c4, d4
        (:math:`\tilde V = (c_4 + d_4/q^2)\,\mathbf S_\chi\cdot\mathbf S_e`) ``sigma_e_cm2`` is the
        spin-averaged free cross section at q0,
        :math:`\bar\sigma_e = \tfrac{3}{16}\mu^2c_4^2/\pi` (spin-½ DM;
        :func:`~nuatom.darkmatter.conventions.sigma_e_from_c4_cm2`), and the atomic spin
        response is reduced non-relativistically: for a closed nl shell of spin-independent
        orbitals :math:`\sum_f|\langle f|\sigma_ie^{i\mathbf q\cdot\mathbf r}|i\rangle|^2 = S` for
        each i, so the rate equals the c1 (d1) rate at the same σ̄. nuatom's DHF axial
        multipoles verify this: the axial R33 + R11+22 of the Xe 5p shell is 3 R00 of the
        vector current to 0.7 % (tests/darkmatter/test_spin.py); a single j-subshell deviates
        by up to 6 % (spin–orbit), so per-subshell c4/d4 values are good only summed over j.
    T_keV : array_like, optional
        Where to evaluate dR/dT (keV); default: 200 log points from the first threshold to
        the kinematic end point.
    halo : StandardHalo, TabulatedHalo or CallableHalo
    method : {'dhf', 'rpa'}
        'rpa': the RRPA-corrected tables (Ge, Xe; T up to about 0.4 keV, so m_chi up to
        about 110 MeV in the standard halo; heavier DM raises).
    table : ResponseTable, optional
        Per-subshell R00 table to use instead of the packaged one.
    response : ChargeResponse, optional
        Already-loaded response (skips loading).
    n_T_total : int
        Gauss–Legendre panels (12 nodes each) in ln T per subshell for the totals
        (converged to < 1e-3 with the default).
    with_totals : bool
        ``False`` skips the integrated rates (``rate_per_kg_day`` is then NaN).

    Returns
    -------
    DMSpectrum

    Raises
    ------
    ValueError
        Bad mass, cross section, mediator/operator, method, element; or a kinematic end
        point beyond the response table's T range.
    """
    m = float(m_chi_MeV)
    if not (math.isfinite(m) and m > 0):
        raise ValueError(f"m_chi_MeV = {m_chi_MeV!r} is outside the valid range (0, inf) MeV")
    s = float(sigma_e_cm2)
    if not (math.isfinite(s) and s >= 0):
        raise ValueError(f"sigma_e_cm2 = {sigma_e_cm2!r} is outside the valid range [0, inf) cm^2")
    operator, mediator = _operator_mediator(operator, mediator)
    resp = response if response is not None else charge_response(element, table=table, method=method)
    m_keV = m * 1e3
    T_end = T_max_keV(m_keV, halo)
    if T_end > resp.T_max_keV * (1 + 1e-12) and T_end > resp.binding_keV.min():
        m_lim = 2 * resp.T_max_keV / (halo.v_max_km_s / C_KM_S) ** 2 / 1e3
        raise ValueError(f"m_chi_MeV = {m:g}: the kinematic end point {T_end:.4g} keV lies beyond the "
                         f"response table (T <= {resp.T_max_keV:g} keV); valid range (0, {m_lim:.4g}] MeV "
                         "for this table and halo")
    nT = atoms_per_kg(resp.element if element is None else element)
    Eb = resp.binding_keV
    if T_keV is None:
        lo = float(Eb.min())
        T = np.geomspace(lo * 1.0001, max(T_end, lo * 1.001), 200) if T_end > lo else np.array([lo])
    else:
        T = np.atleast_1d(np.asarray(T_keV, float))
        if np.any(~np.isfinite(T)) or np.any(T <= 0):
            raise ValueError(f"T_keV = {T_keV!r} must be finite and > 0 keV")
    qb = (float(resp.q_keV[0]), None if resp.extrapolate_q else float(resp.q_keV[-1]))
    spec = np.zeros((len(resp.subshells), T.size))
    totals = np.zeros(len(resp.subshells))
    for i in range(len(resp.subshells)):
        S_fn = (lambda Tq, qq, i=i: resp.interpolate(i, Tq, qq))
        spec[i] = dR_dT_subshell(S_fn, T, m_keV, s, mediator=mediator, halo=halo, n_targets_per_kg=nT,
                                 q_bounds_keV=qb)
        if not with_totals:
            totals[i] = np.nan
        elif T_end > Eb[i]:
            a, b = math.log(Eb[i]), math.log(T_end)
            edges = np.linspace(a, b, n_T_total + 1)
            mid, half = 0.5 * (edges[1:] + edges[:-1]), 0.5 * np.diff(edges)
            lnT = (mid[:, None] + half[:, None] * _GL_X[None, :]).ravel()
            w = (half[:, None] * _GL_W[None, :]).ravel()
            Tn = np.exp(lnT)
            totals[i] = np.sum(w * Tn * dR_dT_subshell(S_fn, Tn, m_keV, s, mediator=mediator, halo=halo,
                                                        n_targets_per_kg=nT, q_bounds_keV=qb))
    return DMSpectrum(T_keV=T, dR_dT_per_kg_day_keV=spec, subshells=tuple(resp.subshells),
                      binding_keV=np.asarray(Eb), rate_per_kg_day=totals, T_end_keV=T_end,
                      inputs={"element": resp.element, "m_chi_MeV": m, "sigma_e_cm2": s,
                              "mediator": mediator, "operator": operator, "method": resp.method,
                              "halo": repr(halo)})
