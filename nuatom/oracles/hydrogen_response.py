"""Charge response of hydrogen 1s: form factors, the continuum response S(q, T) (Landau & Lifshitz §148), Rydberg sums and moments.

Hartree atomic units throughout (see :mod:`nuatom.oracles`); slow but obviously correct references,
nothing compiled or cached.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import integrate, special

from nuatom._validate import nonnegative_array
from nuatom.oracles._common import integer_array, nuclear_charge, as_output, QUAD
from nuatom.oracles.hydrogen_states import hydrogenic_radial_wavefunction, coulomb_continuum_radial_function


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
    Zarr = nuclear_charge(Z)
    return as_output(16.0 * Zarr**4 / (4.0 * Zarr**2 + q**2) ** 2)


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
    narr = integer_array("n", n, minimum=1)
    q = nonnegative_array("q_au", q_au, "1/bohr")
    Zf = float(nuclear_charge(Z))
    narr, q = np.broadcast_arrays(narr, q)
    return as_output(_bound_form_factor_sq_scaled(narr, q / Zf))


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
    Zf = float(nuclear_charge(Z))
    q, T = np.broadcast_arrays(q, T)
    t = T / Zf**2
    above = t >= 0.5
    k1 = np.sqrt(np.where(above, 2.0 * t - 1.0, 0.0))
    value = _continuum_response_scaled(q / Zf, k1) / Zf**2
    return as_output(np.where(above, value, 0.0))


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
    m = int(integer_array("moment", moment, minimum=0))
    n_max = int(integer_array("n_max", n_max, minimum=10))
    q = nonnegative_array("q_au", q_au, "1/bohr")
    Zf = float(nuclear_charge(Z))
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
    return as_output(result)


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
    m = int(integer_array("moment", moment, minimum=0))
    if m > 3:
        raise ValueError(f"moment = {m} is outside the valid range [0, 3]")
    q = nonnegative_array("q_au", q_au, "1/bohr")
    Zf = float(nuclear_charge(Z))

    def one(q_value: float) -> float:
        q1 = q_value / Zf

        def integrand(k1: float) -> float:
            T = 0.5 * Zf**2 * (1.0 + k1 * k1)
            s = _continuum_response_scaled(np.float64(q1), np.float64(k1)) / Zf**2
            return float(T**m * s * Zf**2 * k1)  # dT = Z^2 k1 dk1

        return _integrate_peak(integrand, q1)

    return as_output(np.vectorize(one, otypes=[float])(q))


def _integrate_peak(integrand, center: float) -> float:
    """Integral over (0, inf) of a smooth function peaked near ``center`` with width ~1."""
    points = sorted({p for p in (center - 4.0, center - 1.5, center, center + 1.5,
                                 center + 4.0, 2.0 * center + 8.0) if p > 0.0})
    edges = [0.0, *points]
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        total += integrate.quad(integrand, a, b, **QUAD)[0]
    total += integrate.quad(integrand, edges[-1], np.inf, **QUAD)[0]
    return total
