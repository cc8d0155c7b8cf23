"""Analytic oracles: exact hydrogen-like results that the numerical code is tested against.

Everything here is in **Hartree atomic units** (:math:`m_e = \\hbar = e = 1`, energies in
Hartree, lengths in bohr, momenta in 1/bohr, :math:`c = 1/\\alpha` =
:data:`nuatom.units.C_AU`); the only exceptions carry the unit in their name
(``..._cm2``). ``Z`` is always the *nuclear* charge of a one-electron (hydrogen-like)
ion, in units of e; it need not be an integer.

Contents
--------
Dirac bound states
    :func:`dirac_hydrogenic_energy_hartree` (point nucleus, rest mass excluded, accurate to
    a few ulp even for Z = 1).
Nonrelativistic wave functions
    :func:`hydrogenic_energy_hartree`, :func:`hydrogenic_radial_wavefunction` (R_nl),
    :func:`coulomb_continuum_radial_function` (u_El normalized per unit energy).
Photoabsorption from 1s
    :func:`hydrogen_1s_photoionization_cm2` (Stobbe), the continuum oscillator-strength
    density and the discrete oscillator strengths.
Charge response of 1s (per unit energy transfer)
    elastic form factor, 1s → n form factors summed over (l, m), continuum response
    S(q, T) of Landau & Lifshitz §148, Rydberg sums with their n⁻³ tail, continuum moments.
Voloshin's sum rules for hydrogen
    the two ratios of :cite:`Voloshin2010` (Eqs. 12 and 15) at fixed T, their integrands,
    the same integrals for the discrete lines, and the exact sum rules that say where the
    missing strength goes. See :func:`hydrogen_1s_voloshin_ratio_nmm` for why the ratios
    are not 1 near threshold.

Nothing here is compiled or cached: these are slow-but-obviously-correct references.
"""
from __future__ import annotations

import functools
import math
from typing import Literal

import numpy as np
from scipy import integrate, special

from . import units as u
from ._validate import finite_scalar, nonnegative_array, positive_array

__all__ = [
    "dirac_hydrogenic_energy_hartree",
    "hydrogenic_energy_hartree",
    "hydrogenic_radial_wavefunction",
    "coulomb_continuum_radial_function",
    "coulomb_phase_shift",
    "hydrogen_1s_photoionization_cm2",
    "hydrogen_1s_continuum_oscillator_strength_density_per_hartree",
    "hydrogen_1s_bound_oscillator_strength",
    "hydrogen_1s_elastic_form_factor",
    "hydrogen_1s_bound_form_factor_sq",
    "hydrogen_1s_continuum_response_per_hartree",
    "hydrogen_1s_bound_excitation_sum",
    "hydrogen_1s_continuum_moment",
    "hydrogen_1s_voloshin_integrand",
    "hydrogen_1s_voloshin_ratio_nmm",
    "hydrogen_1s_voloshin_ratio_weak",
    "hydrogen_1s_voloshin_ratio_threshold",
    "hydrogen_1s_bound_voloshin_integral",
    "hydrogen_1s_bound_voloshin_sum",
    "hydrogen_1s_voloshin_stepping_sum_rule",
    "VoloshinWeight",
]

VoloshinWeight = Literal["nmm", "weak"]

# quad settings for the smooth one-dimensional integrals below: relative 1e-12 leaves four
# orders of magnitude below the 1e-8 accuracy promised by the Voloshin-ratio docstrings.
_QUAD = {"epsabs": 0.0, "epsrel": 1e-12, "limit": 400}


# --------------------------------------------------------------------------------------
# small validation helpers (integers are not covered by nuatom._validate)
# --------------------------------------------------------------------------------------
def _integer_array(name: str, value, minimum: int | None = None) -> np.ndarray:
    arr = np.asarray(value)
    as_float = np.asarray(arr, dtype=float)
    if np.any(~np.isfinite(as_float)) or np.any(as_float != np.round(as_float)):
        bad = as_float[~np.isfinite(as_float) | (as_float != np.round(as_float))].ravel()[0]
        raise ValueError(f"{name} = {bad!r} is not an integer")
    ints = np.round(as_float).astype(np.int64)
    if minimum is not None and np.any(ints < minimum):
        bad = ints[ints < minimum].ravel()[0]
        raise ValueError(f"{name} = {bad} is outside the valid range [{minimum}, inf)")
    return ints


def _nuclear_charge(Z) -> np.ndarray:
    return positive_array("Z", Z, "(nuclear charge in units of e)")


def _weight(weight: str) -> str:
    if weight not in ("nmm", "weak"):
        raise ValueError(f"weight = {weight!r} is not one of ['nmm', 'weak']")
    return weight


def _as_output(arr: np.ndarray):
    return float(arr) if np.ndim(arr) == 0 else arr


# --------------------------------------------------------------------------------------
# 1. Dirac energies
# --------------------------------------------------------------------------------------
def dirac_hydrogenic_energy_hartree(Z, n, kappa, c: float = u.C_AU):
    """Exact Dirac energy of a point-nucleus hydrogen-like level, rest mass excluded, in Hartree.

    Parameters
    ----------
    Z : array_like
        Nuclear charge in units of e (> 0; need not be an integer).
    n : array_like of int
        Principal quantum number (>= 1).
    kappa : array_like of int
        Relativistic angular quantum number, :math:`-n \\le \\kappa \\le n-1`,
        :math:`\\kappa \\ne 0` (``kappa = -(l+1)`` for j = l + 1/2, ``kappa = l`` for
        j = l − 1/2).
    c : float
        Speed of light in atomic units (default :data:`nuatom.units.C_AU` = 1/α); a large
        ``c`` gives the nonrelativistic limit −Z²/(2n²).

    Returns
    -------
    float or ndarray
        :math:`E_{n\\kappa} - c^2` in Hartree (negative), broadcast over the inputs.

    Raises
    ------
    ValueError
        For non-integer or out-of-range ``n``/``kappa``, ``Z <= 0``, or
        :math:`Z/c \\ge |\\kappa|` (no normalizable point-nucleus solution).

    Notes
    -----
    The Sommerfeld–Darwin–Gordon formula :cite:`Johnson2007,BetheSalpeter1957`

    .. math::
        E = c^2\\left[\\left(1 + \\frac{(Z/c)^2}{(n - |\\kappa| + \\gamma)^2}\\right)^{-1/2} - 1\\right],
        \\qquad \\gamma = \\sqrt{\\kappa^2 - (Z/c)^2},

    is evaluated without the two catastrophic cancellations of the textbook form (for Z = 1
    the bracket is ~3e-5 and a direct evaluation loses five digits):
    :math:`|\\kappa| - \\gamma = (Z/c)^2/(|\\kappa| + \\gamma)` and, with
    :math:`x = (Z/c)^2/(n - |\\kappa| + \\gamma)^2`,
    :math:`(1+x)^{-1/2} - 1 = -x/[\\sqrt{1+x}\\,(1+\\sqrt{1+x})]`. The result is accurate to
    a few units in the last place for every Z (tested against 50-digit mpmath).
    """
    Zarr = _nuclear_charge(Z)
    narr = _integer_array("n", n, minimum=1)
    karr = _integer_array("kappa", kappa)
    c = finite_scalar("c", c, "(speed of light, atomic units)")
    if c <= 0.0:
        raise ValueError(f"c = {c} is outside the valid range (0, inf) (atomic units)")
    Zb, nb, kb = np.broadcast_arrays(Zarr, narr, karr)
    if np.any(kb == 0):
        raise ValueError("kappa = 0 is not allowed; valid range -n <= kappa <= n-1, kappa != 0")
    bad = (kb < -nb) | (kb > nb - 1)
    if np.any(bad):
        i = np.flatnonzero(bad.ravel())[0]
        raise ValueError(f"kappa = {kb.ravel()[i]} is outside the valid range "
                         f"[{-nb.ravel()[i]}, {nb.ravel()[i] - 1}] for n = {nb.ravel()[i]}")
    abs_kappa = np.abs(kb).astype(float)
    za = Zb / c
    if np.any(za >= abs_kappa):
        i = np.flatnonzero((za >= abs_kappa).ravel())[0]
        raise ValueError(f"Z = {Zb.ravel()[i]:g} >= c|kappa| = {c * abs_kappa.ravel()[i]:g}: "
                         "no point-nucleus Dirac bound state; valid range 0 < Z < c|kappa|")
    gamma = np.sqrt((abs_kappa - za) * (abs_kappa + za))
    delta = za * za / (abs_kappa + gamma)  # = |kappa| - gamma, cancellation-free
    n_eff = nb - delta                     # = n - |kappa| + gamma
    x = (za / n_eff) ** 2
    root = np.sqrt(1.0 + x)
    return _as_output(-c * c * x / (root * (1.0 + root)))


# --------------------------------------------------------------------------------------
# 2. Nonrelativistic wave functions
# --------------------------------------------------------------------------------------
def hydrogenic_energy_hartree(n, Z=1.0):
    """Nonrelativistic hydrogen-like bound-state energy :math:`-Z^2/(2n^2)` in Hartree.

    Parameters
    ----------
    n : array_like of int
        Principal quantum number (>= 1).
    Z : array_like
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        Energy in Hartree (infinite nuclear mass).
    """
    narr = _integer_array("n", n, minimum=1)
    Zarr = _nuclear_charge(Z)
    return _as_output(-0.5 * Zarr**2 / narr.astype(float) ** 2)


def hydrogenic_radial_wavefunction(n, l, r_bohr, Z=1.0):
    """Normalized nonrelativistic radial function :math:`R_{nl}(r)` in bohr^(-3/2).

    Parameters
    ----------
    n, l : int
        Principal (>= 1) and orbital (0 <= l <= n−1) quantum numbers.
    r_bohr : array_like
        Radius in bohr (>= 0).
    Z : float
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        :math:`R_{nl}(r)`, normalized :math:`\\int_0^\\infty R_{nl}^2 r^2\\,dr = 1`, positive
        near the origin. The reduced function used elsewhere is :math:`u = rR`.

    Notes
    -----
    With :math:`\\rho = 2Zr/n` :cite:`BetheSalpeter1957,LandauLifshitzQM`

    .. math::
        R_{nl} = \\sqrt{\\left(\\frac{2Z}{n}\\right)^3\\frac{(n-l-1)!}{2n\\,(n+l)!}}\\,
        e^{-\\rho/2}\\rho^l L^{(2l+1)}_{n-l-1}(\\rho),

    with the generalized Laguerre polynomial of :func:`scipy.special.eval_genlaguerre`
    (modern normalization). The factorial ratio is taken in logarithms, so large n is safe
    up to the accuracy of the Laguerre recursion.
    """
    n_i = int(_integer_array("n", n, minimum=1))
    l_i = int(_integer_array("l", l, minimum=0))
    if l_i > n_i - 1:
        raise ValueError(f"l = {l_i} is outside the valid range [0, {n_i - 1}] for n = {n_i}")
    Zf = float(_nuclear_charge(Z))
    r = nonnegative_array("r_bohr", r_bohr, "bohr")
    rho = 2.0 * Zf * r / n_i
    log_norm = 0.5 * (3.0 * math.log(2.0 * Zf / n_i) + special.gammaln(n_i - l_i)
                      - math.log(2.0 * n_i) - special.gammaln(n_i + l_i + 1))
    values = (math.exp(log_norm) * np.exp(-0.5 * rho) * rho**l_i
              * special.eval_genlaguerre(n_i - l_i - 1, 2 * l_i + 1, rho))
    return _as_output(values)


def coulomb_phase_shift(l, E_hartree, Z=1.0):
    """Coulomb phase shift :math:`\\sigma_l = \\arg\\Gamma(l + 1 - iZ/k)` (radians), attractive charge Z.

    Parameters
    ----------
    l : int
        Orbital angular momentum (>= 0).
    E_hartree : float
        Kinetic energy of the continuum electron in Hartree (> 0); :math:`k = \\sqrt{2E}`.
    Z : float
        Nuclear charge in units of e (>= 0; Z = 0 gives 0).

    Returns
    -------
    float
        The phase in radians (principal branch of :func:`scipy.special.loggamma`).
    """
    l_i = int(_integer_array("l", l, minimum=0))
    E = float(positive_array("E_hartree", E_hartree, "Hartree"))
    Zf = float(nonnegative_array("Z", Z, "(nuclear charge in units of e)"))
    k = math.sqrt(2.0 * E)
    return float(np.imag(special.loggamma(complex(l_i + 1.0, -Zf / k))))


def coulomb_continuum_radial_function(E_hartree, l, r_bohr, Z=1.0):
    """Energy-normalized Coulomb continuum function :math:`u_{El}(r)` in (Hartree·bohr)^(-1/2).

    Regular solution of :math:`u'' + [2E + 2Z/r - l(l+1)/r^2]u = 0` for an attractive
    nuclear charge Z, used to test nuatom's numerical continuum in the limit c → ∞.

    Parameters
    ----------
    E_hartree : float
        Kinetic energy of the electron in Hartree (> 0), :math:`k = \\sqrt{2E}` in 1/bohr.
    l : int
        Orbital angular momentum (>= 0).
    r_bohr : array_like
        Radius in bohr (>= 0).
    Z : float
        Nuclear charge in units of e (>= 0; Z = 0 gives the Riccati–Bessel function).

    Returns
    -------
    float or ndarray
        :math:`u_{El}(r) = \\sqrt{2/(\\pi k)}\\,F_l(\\eta, kr)`, :math:`\\eta = -Z/k`.

    Notes
    -----
    :math:`F_l(\\eta,\\rho)` is the regular Coulomb wave function of :cite:`Olver2010`
    (§33.2), evaluated with :func:`mpmath.coulombf` (arbitrary precision, run at 15
    digits; about 0.2 ms per point — a reference, not a production routine). For
    :math:`r \\to \\infty`

    .. math::
        u_{El}(r) \\to \\sqrt{\\frac{2}{\\pi k}}\\,
        \\sin\\!\\left(kr + \\frac{Z}{k}\\ln 2kr - \\frac{l\\pi}{2} + \\sigma_l\\right),
        \\qquad \\sigma_l = \\arg\\Gamma(l+1-iZ/k),

    which is the normalization :math:`\\int_0^\\infty u_{El}u_{E'l}\\,dr = \\delta(E-E')`
    (conventions.md): the sine-normalized :math:`\\sqrt{2/\\pi}\\sin` is δ(k − k') and
    :math:`\\delta(k-k') = k\\,\\delta(E-E')`.
    """
    import mpmath  # ships with sympy; imported here so that importing nuatom stays light

    l_i = int(_integer_array("l", l, minimum=0))
    E = float(positive_array("E_hartree", E_hartree, "Hartree"))
    Zf = float(nonnegative_array("Z", Z, "(nuclear charge in units of e)"))
    r = nonnegative_array("r_bohr", r_bohr, "bohr")
    k = math.sqrt(2.0 * E)
    eta = -Zf / k
    amplitude = math.sqrt(2.0 / (math.pi * k))
    coulombf = np.frompyfunc(lambda rho: float(mpmath.coulombf(l_i, eta, rho)), 1, 1)
    values = amplitude * np.asarray(coulombf(k * r), dtype=float)
    return _as_output(values)


# --------------------------------------------------------------------------------------
# 3. photoabsorption from 1s
# --------------------------------------------------------------------------------------
def _threshold_factor(k1: np.ndarray) -> np.ndarray:
    """exp(-4 arctan(k1)/k1) / (1 - exp(-2 pi/k1)); its k1 -> 0 limit is exp(-4)."""
    k_safe = np.where(k1 > 0.0, k1, 1.0)
    exponent = np.where(k1 > 0.0, 4.0 * np.arctan(k_safe) / k_safe, 4.0)
    denominator = np.where(k1 > 0.0, -np.expm1(-2.0 * np.pi / k_safe), 1.0)
    return np.exp(-exponent) / denominator


def hydrogen_1s_continuum_oscillator_strength_density_per_hartree(T_hartree, Z=1.0):
    """Optical oscillator-strength density df/dT of 1s → continuum, in 1/Hartree.

    Parameters
    ----------
    T_hartree : array_like
        Photon energy (energy transfer) in Hartree (>= 0). Zero below the threshold
        :math:`I = Z^2/2`.
    Z : array_like
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        df/dT in 1/Hartree (summed over final l = 1, m; per electron).

    Notes
    -----
    With :math:`k = \\sqrt{2(T - Z^2/2)}` and :math:`\\kappa = k/Z`
    :cite:`BetheSalpeter1957,Inokuti1971`,

    .. math::
        \\frac{df}{dT} = \\frac{2^8}{3Z^2}\\,
        \\frac{e^{-4\\arctan(\\kappa)/\\kappa}}{(1+\\kappa^2)^4\\,(1 - e^{-2\\pi/\\kappa})},

    equal to the q → 0 limit of :math:`(2T/q^2)S(q,T)`
    (:func:`hydrogen_1s_continuum_response_per_hartree`). At threshold it is
    :math:`2^8 e^{-4}/(3Z^2) = 1.5629/Z^2`; its integral over the continuum is 0.43501
    (the bound lines carry the remaining 0.56499 of the TRK sum).
    """
    T = nonnegative_array("T_hartree", T_hartree, "Hartree")
    Zarr = _nuclear_charge(Z)
    T, Zarr = np.broadcast_arrays(T, Zarr)
    above = T >= 0.5 * Zarr**2
    k1 = np.sqrt(np.where(above, 2.0 * T / Zarr**2 - 1.0, 0.0))
    value = 2.0**8 / (3.0 * Zarr**2) * _threshold_factor(k1) / (1.0 + k1**2) ** 4
    return _as_output(np.where(above, value, 0.0))


def hydrogen_1s_photoionization_cm2(omega_hartree, Z=1.0):
    """Nonrelativistic dipole photoionization cross section of hydrogen-like 1s, in cm².

    Parameters
    ----------
    omega_hartree : array_like
        Photon energy in Hartree (>= 0). Below the threshold :math:`I = Z^2/2` the cross
        section is 0.
    Z : array_like
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        σ in cm² per atom (one 1s electron).

    Notes
    -----
    Stobbe's exact dipole result :cite:`Stobbe1930,BetheSalpeter1957`, with
    :math:`\\nu = Z/k = \\sqrt{I/(\\omega - I)}`:

    .. math::
        \\sigma(\\omega) = \\frac{2^9\\pi^2\\alpha a_0^2}{3Z^2}
        \\left(\\frac{I}{\\omega}\\right)^4
        \\frac{e^{-4\\nu\\,\\mathrm{arccot}\\,\\nu}}{1 - e^{-2\\pi\\nu}},
        \\qquad
        \\sigma_{\\rm th} = \\frac{2^9\\pi^2}{3e^4}\\frac{\\alpha a_0^2}{Z^2}
        = \\frac{6.304\\times10^{-18}\\ \\mathrm{cm}^2}{Z^2}.

    It equals :math:`2\\pi^2\\alpha\\,df/d\\omega` (a.u., bohr²) with the density of
    :func:`hydrogen_1s_continuum_oscillator_strength_density_per_hartree`. Valid for
    :math:`\\omega \\ll c^2` and :math:`Z\\alpha \\ll 1` (no retardation, no relativity).
    """
    omega = nonnegative_array("omega_hartree", omega_hartree, "Hartree")
    Zarr = _nuclear_charge(Z)
    omega, Zarr = np.broadcast_arrays(omega, Zarr)
    ionization = 0.5 * Zarr**2
    above = omega >= ionization
    omega_safe = np.where(above, omega, ionization)
    k1 = np.sqrt(np.maximum(2.0 * omega_safe / Zarr**2 - 1.0, 0.0))  # = 1/nu
    prefactor_cm2 = 2.0**9 * math.pi**2 * u.ALPHA * u.BOHR_CM**2 / 3.0
    sigma = prefactor_cm2 / Zarr**2 * (ionization / omega_safe) ** 4 * _threshold_factor(k1)
    return _as_output(np.where(above, sigma, 0.0))


def hydrogen_1s_bound_oscillator_strength(n):
    """Absorption oscillator strength :math:`f_{1s\\to n}` summed over the n p sublevels (dimensionless).

    Parameters
    ----------
    n : array_like of int
        Upper principal quantum number (>= 2). Independent of Z.

    Returns
    -------
    float or ndarray
        :math:`f_{1s\\to np} = \\dfrac{2^8 n^5 (n-1)^{2n-4}}{3(n+1)^{2n+4}}`
        :cite:`BetheSalpeter1957`: 0.41620 (n = 2), 0.07910 (n = 3), …; the sum over
        n >= 2 is 0.56499 and :math:`n^3 f_n \\to 2^8 e^{-4}/3`. Evaluated in logarithms.
    """
    narr = _integer_array("n", n, minimum=2).astype(float)
    log_f = (8.0 * math.log(2.0) + 5.0 * np.log(narr) - math.log(3.0)
             + (2.0 * narr - 4.0) * np.log(narr - 1.0) - (2.0 * narr + 4.0) * np.log(narr + 1.0))
    return _as_output(np.exp(log_f))


# --------------------------------------------------------------------------------------
# 4. charge response of 1s
# --------------------------------------------------------------------------------------
def hydrogen_1s_elastic_form_factor(q_au, Z=1.0):
    """Elastic form factor :math:`F_{\\rm el}(q) = \\langle 1s|e^{i\\mathbf q\\cdot\\mathbf r}|1s\\rangle` (dimensionless).

    Parameters
    ----------
    q_au : array_like
        Momentum transfer in 1/bohr (>= 0).
    Z : array_like
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        :math:`F_{\\rm el} = 16Z^4/(4Z^2 + q^2)^2` :cite:`LandauLifshitzQM` (§148).
    """
    q = nonnegative_array("q_au", q_au, "1/bohr")
    Zarr = _nuclear_charge(Z)
    return _as_output(16.0 * Zarr**4 / (4.0 * Zarr**2 + q**2) ** 2)


def _bound_form_factor_sq_scaled(n: np.ndarray, K: np.ndarray) -> np.ndarray:
    """|<n|exp(iq.r)|1s>|^2 summed over l, m with K = q/Z; n >= 1 (n = 1 gives F_el^2)."""
    n_f = n.astype(float)
    K2 = K * K
    positive = K2 > 0.0
    K2s = np.where(positive, K2, 1.0)
    big = (n_f + 1.0) ** 2 + n_f**2 * K2s  # the other base is big - 4n
    log_value = (8.0 * math.log(2.0) + 7.0 * np.log(n_f) + np.log(K2s)
                 + np.log((n_f**2 - 1.0) / 3.0 + n_f**2 * K2s)
                 + (n_f - 3.0) * np.log1p(-4.0 * n_f / big) - 6.0 * np.log(big))
    at_zero = (n == 1).astype(float)  # orthogonality: only the elastic term survives q = 0
    return np.where(positive, np.exp(log_value), at_zero)


def hydrogen_1s_bound_form_factor_sq(n, q_au, Z=1.0):
    """:math:`\\sum_{l,m}|\\langle nlm|e^{i\\mathbf q\\cdot\\mathbf r}|1s\\rangle|^2` for 1s → shell n (dimensionless).

    Parameters
    ----------
    n : array_like of int
        Final principal quantum number (>= 1; n = 1 returns :math:`F_{\\rm el}^2`).
    q_au : array_like
        Momentum transfer in 1/bohr (>= 0).
    Z : float
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        The squared form factor (broadcast over ``n`` and ``q_au``).

    Notes
    -----
    With :math:`K = q/Z` (the result depends on q/Z only) :cite:`Inokuti1971`,

    .. math::
        |F_n(K)|^2 = \\frac{2^8 n^7 K^2\\,[\\tfrac13(n^2-1) + n^2K^2]\\,
        [(n-1)^2 + n^2K^2]^{n-3}}{[(n+1)^2 + n^2K^2]^{n+3}}.

    Evaluated in logarithms (safe for n of several thousand). Checked in the tests
    against direct quadrature with :func:`hydrogenic_radial_wavefunction` and spherical
    Bessel functions, and through the closure and Bethe sum rules together with the
    continuum. :math:`n^3|F_n|^2 \\to Z^2 S(q, I)` as n → ∞ (the Rydberg series joins the
    continuum at threshold).
    """
    narr = _integer_array("n", n, minimum=1)
    q = nonnegative_array("q_au", q_au, "1/bohr")
    Zf = float(_nuclear_charge(Z))
    narr, q = np.broadcast_arrays(narr, q)
    return _as_output(_bound_form_factor_sq_scaled(narr, q / Zf))


def _continuum_response_scaled(q1: np.ndarray, k1: np.ndarray) -> np.ndarray:
    """S(q, T) for Z = 1 as a function of q1 and the ejected momentum k1, in 1/Hartree."""
    q1, k1 = np.broadcast_arrays(np.asarray(q1, dtype=float), np.asarray(k1, dtype=float))
    # Beyond 1e60 the products below would overflow; S < 1e-119 there and is evaluated in
    # logarithms instead (same formula).
    huge = (q1 > 1e60) | (k1 > 1e60)
    q = np.where(huge, 1.0, q1)
    k = np.where(huge, 1.0, k1)
    q2 = q * q
    product = ((q + k) ** 2 + 1.0) * ((q - k) ** 2 + 1.0)
    k_safe = np.where(k > 0.0, k, 1.0)
    base = q2 - k * k + 1.0
    # (2/k) atan2(2k, q^2 - k^2 + 1), angle in (0, pi); its k -> 0 limit is 4/(q^2 + 1).
    exponent = np.where(k > 0.0, 2.0 / k_safe * np.arctan2(2.0 * k, base),
                        4.0 / np.where(k > 0.0, 1.0, base))
    sommerfeld = np.where(k > 0.0, -np.expm1(-2.0 * np.pi / k_safe), 1.0)
    # Factors grouped so that nothing overflows for q, k < 1e60.
    value = (2.0**8 * (q2 / product) * ((q2 + (1.0 + k * k) / 3.0) / product) / product
             * np.exp(-exponent) / sommerfeld)
    if np.any(huge):
        value = value.copy()
        value[huge] = _continuum_response_scaled_log(q1[huge], k1[huge])
    return value


def _continuum_response_scaled_log(q: np.ndarray, k: np.ndarray) -> np.ndarray:
    """The same S for very large q or k (> 1e60), in logarithms (no overflow)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        lq, lk = np.log(q), np.log(k)  # log(0) = -inf is handled by logaddexp
        log_plus = np.logaddexp(2.0 * np.log(q + k), 0.0)
        log_minus = np.logaddexp(2.0 * np.log(np.abs(q - k)), 0.0)
        m = np.maximum(q, k)
        angle = np.arctan2(2.0 * k / m**2, (q / m) ** 2 - (k / m) ** 2 + 1.0 / m**2)
        exponent = np.where(k > 0.0, 2.0 * angle / np.where(k > 0.0, k, 1.0), 4.0 / (q * q + 1.0))
        log_sommerfeld = np.where(k > 0.0, np.log(-np.expm1(-2.0 * np.pi / np.where(k > 0.0, k, 1.0))), 0.0)
        log_value = (8.0 * math.log(2.0) + 2.0 * lq
                     + np.logaddexp(2.0 * lq, np.logaddexp(0.0, 2.0 * lk) - math.log(3.0))
                     - 3.0 * (log_plus + log_minus) - exponent - log_sommerfeld)
        return np.exp(log_value)


def hydrogen_1s_continuum_response_per_hartree(q_au, T_hartree, Z=1.0):
    """Ionization part of the 1s charge response :math:`S(q,T)` per unit energy transfer, in 1/Hartree.

    .. math::
        S(q, T) = \\sum_{f\\in\\text{continuum}}|\\langle f|e^{i\\mathbf q\\cdot\\mathbf r}|1s\\rangle|^2
        \\,\\delta(T - E_f + E_{1s}),

    summed over the ejection directions (all l, m), normalized so that a free electron at
    rest would give :math:`\\delta(T - q^2/2)` (the charge response R00 of conventions.md,
    Voloshin's Im R/π).

    Parameters
    ----------
    q_au : array_like
        Momentum transfer in 1/bohr (>= 0).
    T_hartree : array_like
        Energy transfer in Hartree, measured from the 1s level (>= 0); zero below the
        ionization threshold :math:`I = Z^2/2`.
    Z : float
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        S in 1/Hartree, broadcast over ``q_au`` and ``T_hartree``.

    Notes
    -----
    Landau & Lifshitz :cite:`LandauLifshitzQM` (§148), :cite:`Inokuti1971`: for Z = 1,
    with the ejected momentum :math:`k = \\sqrt{2T - 1}`,

    .. math::
        S = \\frac{2^8 q^2\\,[q^2 + \\tfrac13(1 + k^2)]\\,
        \\exp\\!\\left[-\\tfrac{2}{k}\\arctan\\dfrac{2k}{q^2 - k^2 + 1}\\right]}
        {[(q+k)^2 + 1]^3\\,[(q-k)^2 + 1]^3\\,(1 - e^{-2\\pi/k})},

    with the arctangent in (0, π) (``atan2``); for charge Z,
    :math:`S_Z(q, T) = Z^{-2}S_1(q/Z, T/Z^2)`. At threshold (k → 0) the limits
    :math:`\\tfrac{2}{k}\\arctan \\to 4/(q^2+1)` and :math:`1 - e^{-2\\pi/k} \\to 1` are
    taken explicitly. Verified in the tests pointwise against a partial-wave sum with
    :func:`coulomb_continuum_radial_function`, and globally by the closure and Bethe sum
    rules (with :func:`hydrogen_1s_bound_excitation_sum`) and the optical limit.
    """
    q = nonnegative_array("q_au", q_au, "1/bohr")
    T = nonnegative_array("T_hartree", T_hartree, "Hartree")
    Zf = float(_nuclear_charge(Z))
    q, T = np.broadcast_arrays(q, T)
    t = T / Zf**2
    above = t >= 0.5
    k1 = np.sqrt(np.where(above, 2.0 * t - 1.0, 0.0))
    value = _continuum_response_scaled(q / Zf, k1) / Zf**2
    return _as_output(np.where(above, value, 0.0))


def _rydberg_sum(term, g_limit: float, n_max: int) -> float:
    """Sum of term(n) over n >= 2, with the tail n > n_max from term(n) = n^-3 g(1/n^2).

    g is analytic in x = 1/n^2 for every sum used here, so the tail is
    g0 zeta(3, N+1) + g1 zeta(5, N+1) with g0 = g_limit and g1 estimated from term(N);
    the neglected remainder is ~ g2/(3 N^6).
    """
    ns = np.arange(2, n_max + 1)
    values = term(ns)
    g_last = values[-1] * float(n_max) ** 3
    g1 = (g_last - g_limit) * float(n_max) ** 2
    tail = g_limit * special.zeta(3.0, n_max + 1.0) + g1 * special.zeta(5.0, n_max + 1.0)
    return float(np.sum(values[::-1]) + tail)  # small terms first


def hydrogen_1s_bound_excitation_sum(q_au, moment: int = 0, Z=1.0, n_max: int = 400):
    """:math:`\\sum_{n\\ge2}(E_n - E_{1s})^m\\,|F_n(q)|^2`, the discrete part of the 1s response moments.

    Parameters
    ----------
    q_au : array_like
        Momentum transfer in 1/bohr (>= 0).
    moment : int
        Power m >= 0 of the excitation energy (m = 0: closure; m = 1: Bethe sum).
    Z : float
        Nuclear charge in units of e (> 0).
    n_max : int
        Last shell summed explicitly (>= 10); the rest is added analytically.

    Returns
    -------
    float or ndarray
        The sum in Hartree^m.

    Notes
    -----
    :math:`E_n - E_{1s} = \\tfrac{Z^2}{2}(1 - n^{-2})`, :math:`|F_n|^2` from
    :func:`hydrogen_1s_bound_form_factor_sq`. Both are functions of :math:`x = 1/n^2`
    times :math:`n^{-3}`, and :math:`n^3|F_n|^2 \\to g_0 = 2^8K^2(K^2 + \\tfrac13)
    e^{-4/(1+K^2)}/(1+K^2)^6` (K = q/Z), so the tail n > N is
    :math:`g_0\\zeta(3, N+1) + g_1\\zeta(5, N+1)` with :math:`g_1` fitted at n = N; the
    neglected remainder is :math:`O(N^{-6})`, about 1e-16 for N = 400.
    """
    m = int(_integer_array("moment", moment, minimum=0))
    n_max = int(_integer_array("n_max", n_max, minimum=10))
    q = nonnegative_array("q_au", q_au, "1/bohr")
    Zf = float(_nuclear_charge(Z))
    scale = (0.5 * Zf**2) ** m

    def one(q_value: float) -> float:
        K = q_value / Zf
        K2 = K * K
        g0 = 2.0**8 * K2 * (K2 + 1.0 / 3.0) * math.exp(-4.0 / (1.0 + K2)) / (1.0 + K2) ** 6

        def term(ns):
            return (_bound_form_factor_sq_scaled(ns, np.full(ns.shape, K))
                    * (1.0 - 1.0 / ns.astype(float) ** 2) ** m)

        return scale * _rydberg_sum(term, g0, n_max)

    result = np.vectorize(one, otypes=[float])(q)
    return _as_output(result)


def hydrogen_1s_continuum_moment(q_au, moment: int = 0, Z=1.0):
    """:math:`\\int_I^\\infty T^m S(q,T)\\,dT`, the continuum part of the 1s response moments.

    Parameters
    ----------
    q_au : array_like
        Momentum transfer in 1/bohr (>= 0).
    moment : int
        Power m of the energy transfer, 0 <= m <= 3 (S ~ k^-10 at large ejected momentum k,
        so the integral converges for m < 4).
    Z : float
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        The integral in Hartree^m (T measured from the 1s level).

    Notes
    -----
    Integrated over the ejected momentum k (dT = k dk) with break points at the Bethe
    ridge k ≈ q, where S peaks with width ~Z; relative accuracy ~1e-12. With
    :func:`hydrogen_1s_bound_excitation_sum` this gives the exact sum rules
    :cite:`LandauLifshitzQM,Inokuti1971`: closure
    :math:`\\sum_{n\\ge2}|F_n|^2 + \\int S\\,dT = 1 - F_{\\rm el}^2` and Bethe
    :math:`\\sum_n (E_n-E_{1s})|F_n|^2 + \\int T S\\,dT = q^2/2`.
    """
    m = int(_integer_array("moment", moment, minimum=0))
    if m > 3:
        raise ValueError(f"moment = {m} is outside the valid range [0, 3]")
    q = nonnegative_array("q_au", q_au, "1/bohr")
    Zf = float(_nuclear_charge(Z))

    def one(q_value: float) -> float:
        q1 = q_value / Zf

        def integrand(k1: float) -> float:
            T = 0.5 * Zf**2 * (1.0 + k1 * k1)
            s = _continuum_response_scaled(np.float64(q1), np.float64(k1)) / Zf**2
            return float(T**m * s * Zf**2 * k1)  # dT = Z^2 k1 dk1

        return _integrate_peak(integrand, q1)

    return _as_output(np.vectorize(one, otypes=[float])(q))


def _integrate_peak(integrand, center: float) -> float:
    """Integral over (0, inf) of a smooth function peaked near ``center`` with width ~1."""
    points = sorted({p for p in (center - 4.0, center - 1.5, center, center + 1.5,
                                 center + 4.0, 2.0 * center + 8.0) if p > 0.0})
    edges = [0.0, *points]
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        total += integrate.quad(integrand, a, b, **_QUAD)[0]
    total += integrate.quad(integrand, edges[-1], np.inf, **_QUAD)[0]
    return total


# --------------------------------------------------------------------------------------
# 5. Voloshin's sum rules for hydrogen
# --------------------------------------------------------------------------------------
def hydrogen_1s_voloshin_integrand(q_au, T_hartree, weight: VoloshinWeight = "nmm", Z=1.0):
    """Integrand in q (bohr) of the Voloshin ratios: ratio = ∫₀^∞ (this) dq.

    Parameters
    ----------
    q_au : array_like
        Momentum transfer in 1/bohr (>= 0).
    T_hartree : array_like
        Energy transfer in Hartree (>= 0).
    weight : {'nmm', 'weak'}
        'nmm': :math:`T\\,S(q,T)\\,2/q` (from :math:`T\\int S\\,dQ^2/Q^2`, the magnetic
        moment weight); 'weak': :math:`S(q,T)\\,q` (from :math:`\\tfrac12\\int S\\,dQ^2`).
    Z : float
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        The integrand in bohr (S from :func:`hydrogen_1s_continuum_response_per_hartree`).
    """
    w = _weight(weight)
    q = nonnegative_array("q_au", q_au, "1/bohr")
    T = nonnegative_array("T_hartree", T_hartree, "Hartree")
    s = np.asarray(hydrogen_1s_continuum_response_per_hartree(q, T, Z))
    if w == "nmm":
        q_safe = np.where(q > 0.0, q, 1.0)
        value = np.where(q > 0.0, 2.0 * T * s / q_safe, 0.0)  # S ~ q^2 at q -> 0
    else:
        value = q * s
    return _as_output(value)


def _voloshin_ratio_scaled(t: float, weight: str) -> float:
    """Voloshin ratio for Z = 1 at T = t Hartree (the ratio depends on T/Z^2 only)."""
    if t < 0.5:
        return 0.0
    k1 = math.sqrt(2.0 * t - 1.0)
    k_arr = np.float64(k1)
    if weight == "nmm":
        def integrand(q1: float) -> float:
            if q1 == 0.0:
                return 0.0
            return float(2.0 * t * _continuum_response_scaled(np.float64(q1), k_arr) / q1)
    else:
        def integrand(q1: float) -> float:
            return float(q1 * _continuum_response_scaled(np.float64(q1), k_arr))
    return _integrate_peak(integrand, k1)


def hydrogen_1s_voloshin_ratio_nmm(T_hartree, Z=1.0):
    """Voloshin's magnetic-moment sum rule for hydrogen-like 1s at fixed T: :math:`T\\int_0^\\infty S\\,dQ^2/Q^2` (dimensionless).

    Voloshin's Eq. (12) :cite:`Voloshin2010` states :math:`\\frac1\\pi\\int_0^\\infty
    \\mathrm{Im}R(T,Q^2)\\,dQ^2/Q^2 = N_e/T` (:math:`N_e` electrons, :math:`m_e = 1`), so
    this ratio would be 1 at every T if the rule were exact. It is 0 below the threshold
    :math:`I = Z^2/2` (no continuum), :math:`1 - \\tfrac73 e^{-4} = 0.957264` at
    threshold, 0.963205 at T = 0.55 Z², 0.987439 at T = Z², and approaches 1 as
    :math:`\\approx 0.33\\,(I/T)^{5/2}` for :math:`T \\gtrsim 10^3 I`.

    Parameters
    ----------
    T_hartree : array_like
        Energy transfer in Hartree (>= 0).
    Z : float
        Nuclear charge in units of e (> 0). The ratio depends on :math:`T/Z^2` only. The
        "Z" of Voloshin's formulas is the number of electrons, here 1.

    Returns
    -------
    float or ndarray
        The ratio, relative accuracy ~1e-12 (quadrature in q with break points at the
        Bethe ridge q ≈ k; checked against 30-digit mpmath quadrature in the tests).

    Notes
    -----
    **Why the ratio is not 1.** Eqs. (11)–(12) and (15) of :cite:`Voloshin2010` follow
    from a dispersion relation in :math:`Q^2` at fixed T, which needs
    :math:`R(T,Q^2)` to be analytic in the :math:`Q^2` plane cut along
    :math:`[0,\\infty)`, real for :math:`Q^2 < 0`, and to fall like :math:`-2N_e/Q^2` in
    every direction. For a bound electron none of this holds exactly:

    1. The matrix elements :math:`\\langle f|e^{i\\mathbf q\\cdot\\mathbf r}|1s\\rangle` are
       Fourier transforms of transition densities that fall off like
       :math:`e^{-(\\kappa_0+\\kappa_f)r}`; continued to complex q they have singularities
       at :math:`|\\mathrm{Im}\\,q| = \\kappa_0 + \\kappa_f`. So :math:`R(T,\\cdot)` has
       "left-hand" singularities on the atomic scale: poles at
       :math:`Q^2 = -Z^2(1 + 1/n)^2` from 1s → n (n = 1 is the elastic term
       :math:`F_{\\rm el}(Q)^2/T`, which alone supplies the subtraction constant
       :math:`R(T,0) = 1/T`, with a fourth-order pole at :math:`Q^2 = -4Z^2`) and branch
       points along the curves :math:`Q^2 = (k \\pm iZ)^2`, k >= 0, from the continuum
       (S at ejected momentum k is singular there). For T > I the continued
       S is non-zero at :math:`Q^2 < 0`, so R is not real there, and along the negative
       axis each term of R falls like :math:`|Q^2|^{-4}`, not :math:`2/|Q^2|`. The integrals over
       :math:`Q^2 > 0` in (12) and (15) miss these contributions.
    2. Equivalently, the expansion of Voloshin's Eq. (16) in powers of
       :math:`(\\mathbf p\\cdot\\mathbf q + H - E_0)/(T - Q^2/2)` exists only to the order
       where :math:`\\langle p^{2j}\\rangle` diverges (2j >= 5 for 1s, whose momentum
       density falls like :math:`(1 + p^2/Z^2)^{-4}`). Every term that exists integrates
       to zero by his Eq. (19), so the sum rules hold to all orders in which the expansion
       is defined; the remainder is a power law. Numerically
       :math:`1 - r \\approx 0.33\\,(I/T)^{5/2}` — the same power as the weight of the
       1s momentum tail above :math:`p \\sim \\sqrt{2T}`, i.e. of ionization in which the
       nucleus, not the probe, supplies the electron's momentum.
    3. Where the missing strength goes is fixed exactly. Integrating the closure sum rule
       at fixed Q (:math:`\\sum_f |F_f(Q)|^2 = 1 - F_{\\rm el}^2`, all final states
       including the 1s → n ≥ 2 lines) over :math:`dQ^2/Q^2` and comparing with the
       stepping (free electron above threshold) reference gives
       :func:`hydrogen_1s_voloshin_stepping_sum_rule`:
       :math:`\\sum_{n\\ge2}N_n + \\int_I^\\infty[N(T) - 1/T]\\,dT = \\tfrac{11}{6} - 2\\ln 2
       = 0.447039`, with :math:`N(T) = r(T)/T` and :math:`N_n` the same integral for the
       discrete line n (:func:`hydrogen_1s_bound_voloshin_integral`). The bound–bound
       lines, all at T < I where the stepping reference has no strength, take
       :math:`\\sum N_n = 0.470796`, more than the whole budget, so the continuum must fall
       short on average: :math:`\\int_I^\\infty (r - 1)\\,dT/T = -0.023757`. The deficit
       sits at threshold because the continuum continues the Rydberg series:
       :math:`r(I^+) = \\lim_n \\omega_n n^3 N_n / Z^2 = 1 - \\tfrac73 e^{-4}`.

    So the hydrogen ratios differ from 1 not because T is below some threshold (any
    T > I is above the only one) nor because final states are missing at fixed T (the
    continuum is all there is at that T), but because :math:`R(T,Q^2)` has singularities
    on the atomic scale :math:`|Q^2| \\sim Z^2` that a dispersion integral over
    :math:`Q^2 > 0` cannot see. Their weight relative to the Bethe ridge at
    :math:`Q^2 \\approx 2T` falls like :math:`(Z^2/T)^{5/2}`, and the exact bookkeeping of
    point 3 shows that the corresponding strength sits in the bound–bound lines at T < I.
    :cite:`Kouzakov2011` give analytic hydrogen-like results for the related stepping
    approximation; the numbers here have not been compared with theirs.

    For hydrogen 1s the magnetic-moment and weak ratios are *identical* at every T
    (numerically to 1e-15, and line by line for the discrete shells:
    :math:`W_n = 2\\omega_n N_n`, shown exactly with sympy for n = 2, 3 and tested
    numerically up to n = 300): the combination
    :math:`\\int S\\,(2T - Q^2)\\,dQ^2/Q^2 = 0`, i.e. the unsubtracted dispersion relation
    at :math:`P^2 = 0` for :math:`(T - Q^2/2)R - 1`, which has no subtraction constant,
    holds exactly here (it also holds for the 3D oscillator and a free electron gas; a
    general proof is not given here). The per-l contributions do not satisfy it
    separately.
    """
    T = nonnegative_array("T_hartree", T_hartree, "Hartree")
    Zf = float(_nuclear_charge(Z))
    values = np.vectorize(lambda t: _voloshin_ratio_scaled(t / Zf**2, "nmm"), otypes=[float])(T)
    return _as_output(values)


def hydrogen_1s_voloshin_ratio_weak(T_hartree, Z=1.0):
    """Voloshin's weak-interaction sum rule for hydrogen-like 1s at fixed T: :math:`\\tfrac12\\int_0^\\infty S\\,dQ^2` (dimensionless).

    Voloshin's Eq. (15) :cite:`Voloshin2010` states :math:`\\frac1\\pi\\int_0^\\infty
    \\mathrm{Im}R\\,dQ^2 = 2N_e m_e`, so the ratio would be 1 if the rule were exact. For
    hydrogen 1s it equals :func:`hydrogen_1s_voloshin_ratio_nmm` at every T (see the
    Notes there for the reason both differ from 1 and for this identity).

    Parameters
    ----------
    T_hartree : array_like
        Energy transfer in Hartree (>= 0); 0 below the threshold :math:`Z^2/2`.
    Z : float
        Nuclear charge in units of e (> 0); the ratio depends on :math:`T/Z^2` only.

    Returns
    -------
    float or ndarray
        The ratio (relative accuracy ~1e-12).
    """
    T = nonnegative_array("T_hartree", T_hartree, "Hartree")
    Zf = float(_nuclear_charge(Z))
    values = np.vectorize(lambda t: _voloshin_ratio_scaled(t / Zf**2, "weak"), otypes=[float])(T)
    return _as_output(values)


def hydrogen_1s_voloshin_ratio_threshold() -> float:
    """Exact threshold value of both Voloshin ratios for hydrogen-like 1s: :math:`1 - \\tfrac73 e^{-4}` (dimensionless).

    Notes
    -----
    At T → I⁺ (k → 0), :math:`r = I\\int S(q, I)\\,dQ^2/Q^2 =
    2^7\\int_0^1 (u^3 - \\tfrac23u^4)e^{-4u}du = 1 - \\tfrac73 e^{-4} = 0.9572635`
    (substituting :math:`u = Z^2/(Z^2 + q^2)`); it equals
    :math:`\\lim_{n\\to\\infty}\\omega_n n^3 N_n/Z^2`, the Rydberg lines' value.
    """
    return 1.0 - 7.0 / 3.0 * math.exp(-4.0)


@functools.lru_cache(maxsize=None)
def _legendre(order: int):
    return special.roots_legendre(order)


def _bound_voloshin_scaled(n: int, weight: str) -> float:
    """N_n (nmm) or W_n/Z^2 (weak) for Z = 1, integrated in t = A/B on [t0, 1].

    With x = K^2, A = (n-1)^2 + n^2 x, B = (n+1)^2 + n^2 x = 4n/(1-t):
    N_n = (1/4) int [c(1-t) + 4nt] t^(n-3) (1-t)^3 dt, c = -2(n-1)(n-2)/3, and W_n carries
    the extra factor n^2 x / n^2 = [4nt - (n-1)^2 (1-t)] / (n^2 (1-t)). Both integrands are
    positive polynomials (times t^-1 for n = 2, where c = 0), integrated exactly by
    Gauss-Legendre.
    """
    t0 = ((n - 1.0) / (n + 1.0)) ** 2
    nodes, weights = _legendre(n // 2 + 8)
    t = t0 + 0.5 * (1.0 - t0) * (nodes + 1.0)
    w = 0.5 * (1.0 - t0) * weights
    c = -2.0 * (n - 1.0) * (n - 2.0) / 3.0
    shape = (c * (1.0 - t) + 4.0 * n * t) * t ** (n - 3.0)
    if weight == "nmm":
        return 0.25 * float(np.sum(w * shape * (1.0 - t) ** 3))
    x_factor = 4.0 * n * t - (n - 1.0) ** 2 * (1.0 - t)
    return 0.25 / n**2 * float(np.sum(w * shape * x_factor * (1.0 - t) ** 2))


def hydrogen_1s_bound_voloshin_integral(n, weight: VoloshinWeight = "nmm", Z=1.0):
    """Voloshin's Q² integrals for the discrete line 1s → n: :math:`N_n = \\int|F_n|^2dQ^2/Q^2` or :math:`W_n = \\int|F_n|^2dQ^2`.

    Parameters
    ----------
    n : array_like of int
        Final shell (>= 2), summed over l, m.
    weight : {'nmm', 'weak'}
        'nmm': :math:`N_n` (dimensionless, independent of Z); 'weak': :math:`W_n` in
        bohr⁻² (:math:`\\propto Z^2`).
    Z : float
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray

    Notes
    -----
    The line at :math:`\\omega_n = \\tfrac{Z^2}{2}(1 - n^{-2})` contributes
    :math:`N_n\\,\\delta(T - \\omega_n)` to Voloshin's :math:`\\int S\\,dQ^2/Q^2`.
    :math:`N_2 = \\tfrac12(8/9)^4`, :math:`N_3 = 81/1024`; :math:`W_n = 2\\omega_n N_n`
    (exact for n = 2, 3; to rounding for every n tested); :math:`n^3 N_n \\to 2 - \\tfrac{14}{3}e^{-4}`. Computed from the closed form of
    :func:`hydrogen_1s_bound_form_factor_sq` after the substitution
    :math:`t = [(n-1)^2 + n^2K^2]/[(n+1)^2 + n^2K^2]`, which turns the integrand into a
    polynomial (exact Gauss–Legendre).
    """
    w = _weight(weight)
    narr = _integer_array("n", n, minimum=2)
    Zf = float(_nuclear_charge(Z))
    scale = 1.0 if w == "nmm" else Zf**2
    values = np.vectorize(lambda m: scale * _bound_voloshin_scaled(int(m), w), otypes=[float])(narr)
    return _as_output(values)


def hydrogen_1s_bound_voloshin_sum(weight: VoloshinWeight = "nmm", Z=1.0, n_max: int = 400) -> float:
    """:math:`\\sum_{n\\ge2}N_n` (dimensionless) or :math:`\\sum_{n\\ge2}W_n` (bohr⁻²), Rydberg tail included.

    Parameters
    ----------
    weight : {'nmm', 'weak'}
        Which integral of :func:`hydrogen_1s_bound_voloshin_integral` to sum.
    Z : float
        Nuclear charge in units of e (> 0).
    n_max : int
        Last shell summed explicitly (>= 10).

    Returns
    -------
    float
        0.4707959388 ('nmm') or 0.3808287229 Z² ('weak').

    Notes
    -----
    :math:`n^3N_n \\to 2 - \\tfrac{14}{3}e^{-4}` and :math:`n^3W_n \\to Z^2(2 - \\tfrac{14}{3}
    e^{-4})`; the tail beyond ``n_max`` is added as in
    :func:`hydrogen_1s_bound_excitation_sum`.
    """
    w = _weight(weight)
    n_max = int(_integer_array("n_max", n_max, minimum=10))
    Zf = float(_nuclear_charge(Z))
    g0 = 2.0 - 14.0 / 3.0 * math.exp(-4.0)

    def term(ns):
        return np.array([_bound_voloshin_scaled(int(m), w) for m in ns])

    scale = 1.0 if w == "nmm" else Zf**2
    return scale * _rydberg_sum(term, g0, n_max)


def hydrogen_1s_voloshin_stepping_sum_rule(weight: VoloshinWeight = "nmm", Z=1.0) -> float:
    """Exact total of Voloshin's Q² integral over all T, relative to the stepping approximation.

    For 'nmm' (dimensionless, independent of Z):

    .. math::
        \\sum_{n\\ge2}N_n + \\int_I^\\infty\\left[N(T) - \\frac1T\\right]dT
        = \\int_0^{2I}\\frac{1 - F_{\\rm el}^2}{Q^2}dQ^2 - \\int_{2I}^\\infty
        \\frac{F_{\\rm el}^2}{Q^2}dQ^2 = \\frac{11}{6} - 2\\ln2 = 0.4470390,

    and for 'weak' (in bohr⁻² = 2 Hartree):

    .. math::
        \\sum_{n\\ge2}W_n + \\int_I^\\infty[W(T) - 2]\\,dT
        = 2I - \\int_0^\\infty F_{\\rm el}^2dQ^2 + 2\\langle p_z^2\\rangle
        = Z^2\\left(1 - \\tfrac43 + \\tfrac23\\right) = \\frac{Z^2}{3},

    with :math:`N(T) = \\int S\\,dQ^2/Q^2`, :math:`W(T) = \\int S\\,dQ^2` (continuum),
    :math:`I = Z^2/2`.

    Parameters
    ----------
    weight : {'nmm', 'weak'}
    Z : float
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float

    Notes
    -----
    Derivation: integrate the exact closure rule at fixed Q (all final states, elastic
    removed; :cite:`LandauLifshitzQM` §148) over :math:`Q^2 < X` with the weight, and the
    same quantity over :math:`T < \\Lambda = X/2`, subtracting the stepping reference
    :math:`\\delta(T - Q^2/2)\\theta(T - I)` in both orders. The two orders differ only by
    the strength in the corner where the Bethe ridge crosses the cut-offs. With
    :math:`x = (T - Q^2/2)/Q` that corner contributes :math:`2\\langle x^2\\rangle -
    2\\sqrt{2\\Lambda}\\langle x\\rangle` times the weight at the ridge; the exact first-
    and second-moment sum rules at fixed Q give :math:`\\langle x\\rangle \\to 0` and
    :math:`\\langle x^2\\rangle = \\langle p_z^2\\rangle = Z^2/3`, so the corner term
    vanishes for the :math:`1/Q^2` weight and is :math:`2Z^2/3` for the constant weight.
    Both identities are verified numerically in the tests (NMM to 1e-14, weak to 4e-10,
    limited by the model of the T > 1e4 Hartree tail). The pieces for Z = 1: NMM
    0.4707959 (bound lines) − 0.0237570 (continuum); weak 0.3808287 + 2 × (−0.0237477).
    """
    w = _weight(weight)
    Zf = float(_nuclear_charge(Z))
    if w == "nmm":
        return 11.0 / 6.0 - 2.0 * math.log(2.0)
    return Zf**2 / 3.0
