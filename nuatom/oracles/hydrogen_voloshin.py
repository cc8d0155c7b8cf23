"""Voloshin's sum rules for hydrogen 1s :cite:`Voloshin2010`: ratios, integrands, discrete lines and the exact sum rules.

Hartree atomic units throughout (see :mod:`nuatom.oracles`); slow but obviously correct references,
nothing compiled or cached.
"""
from __future__ import annotations

import functools
import math

import numpy as np
from scipy import special

from nuatom._validate import nonnegative_array
from nuatom.oracles._common import integer_array, nuclear_charge, voloshin_weight, as_output, VoloshinWeight
from nuatom.oracles.hydrogen_response import hydrogen_1s_bound_form_factor_sq, hydrogen_1s_continuum_response_per_hartree, hydrogen_1s_bound_excitation_sum, _continuum_response_scaled, _rydberg_sum, _integrate_peak


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
    w = voloshin_weight(weight)
    q = nonnegative_array("q_au", q_au, "1/bohr")
    T = nonnegative_array("T_hartree", T_hartree, "Hartree")
    s = np.asarray(hydrogen_1s_continuum_response_per_hartree(q, T, Z))
    if w == "nmm":
        q_safe = np.where(q > 0.0, q, 1.0)
        value = np.where(q > 0.0, 2.0 * T * s / q_safe, 0.0)  # S ~ q^2 at q -> 0
    else:
        value = q * s
    return as_output(value)


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
    Zf = float(nuclear_charge(Z))
    values = np.vectorize(lambda t: _voloshin_ratio_scaled(t / Zf**2, "nmm"), otypes=[float])(T)
    return as_output(values)


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
    Zf = float(nuclear_charge(Z))
    values = np.vectorize(lambda t: _voloshin_ratio_scaled(t / Zf**2, "weak"), otypes=[float])(T)
    return as_output(values)


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
    w = voloshin_weight(weight)
    narr = integer_array("n", n, minimum=2)
    Zf = float(nuclear_charge(Z))
    scale = 1.0 if w == "nmm" else Zf**2
    values = np.vectorize(lambda m: scale * _bound_voloshin_scaled(int(m), w), otypes=[float])(narr)
    return as_output(values)


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
    w = voloshin_weight(weight)
    n_max = int(integer_array("n_max", n_max, minimum=10))
    Zf = float(nuclear_charge(Z))
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
    w = voloshin_weight(weight)
    Zf = float(nuclear_charge(Z))
    if w == "nmm":
        return 11.0 / 6.0 - 2.0 * math.log(2.0)
    return Zf**2 / 3.0
