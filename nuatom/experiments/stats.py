"""Binned Poisson likelihood, Asimov sensitivities and Monte Carlo pseudo-experiments.

Model (per analysis bin *j*, counts in the source-ON data set)

.. math::

    \\lambda^{\\rm on}_j(\\theta, b_j) = s^{(0)}_j + \\theta\\, s^{(1)}_j + \\theta^2 s^{(2)}_j + b_j,
    \\qquad \\lambda^{\\rm off}_j = \\tau\\, b_j ,

with θ the EM parameter (μ_ν², δ_Q or ⟨r²⟩ — any parameter in which the event rate is
a polynomial of degree ≤ 2, which every cross section is: the rate is quadratic in the
amplitudes), :math:`s^{(0)}` the SM signal, :math:`\\tau = X_{\\rm off}/X_{\\rm on}` the
OFF/ON exposure ratio. With an OFF period the backgrounds :math:`b_j` are nuisance
parameters profiled bin by bin (closed form below); without one (solar neutrinos) they
are fixed at their expected values.

Test statistic and critical value
---------------------------------
:math:`q(\\theta) = -2\\ln[L(\\theta,\\hat{\\hat b})/L(\\hat\\theta,\\hat b)]` with
:math:`\\hat\\theta` restricted to the physical region (θ = μ_ν ≥ 0; the statistic
:math:`\\tilde q_\\mu` of :cite:`Cowan2011`). Limits are where q equals
:data:`CRITICAL_VALUE_90` = 2.706 = :math:`\\chi^2_1(0.90) = [\\Phi^{-1}(0.95)]^2`:

* signed parameters (δ_Q and ⟨r²⟩, which interfere with the weak amplitude) get the
  interval :math:`\\{\\theta: q \\le 2.706\\}`, which covers at 90% by Wilks' theorem
  :cite:`Wilks1938` (:math:`q\\sim\\chi^2_1`);
* for μ_ν (signal ∝ μ_ν² ≥ 0) the true value of the null hypothesis μ_ν = 0 sits on the
  boundary, and Chernoff's theorem :cite:`Chernoff1954` gives the null distribution
  :math:`\\tfrac12\\delta(q) + \\tfrac12\\chi^2_1` :cite:`Cowan2011`. With it,
  :math:`P(q>c) = \\tfrac12 P(\\chi^2_1>c)`: c = 2.706 is the one-sided **95%** critical
  value, and the one-sided 90% value is :data:`CRITICAL_VALUE_90_ONE_SIDED` = 1.642.
  We nevertheless use 2.706 for μ_ν: for data at the boundary (Asimov SM data, μ̂ = 0)
  it is the Feldman–Cousins unified 90% CL upper limit in the Gaussian regime
  (1.645 σ, :cite:`Feldman1998`), the construction with which the reactor experiments
  quote their bounds. ``critical_value`` can be changed in every function; the MC test
  checks the Chernoff distribution (its 90% quantile is 1.64).

"Asimov" data are the expected counts of the SM-only hypothesis :cite:`Cowan2011`; the
limit obtained from them approximates the median limit of many experiments, which
:func:`toy_upper_limits` checks by Monte Carlo.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats as _st

__all__ = ["CRITICAL_VALUE_90", "CRITICAL_VALUE_90_ONE_SIDED", "BinnedModel", "asimov_data", "profile_background",
           "log_likelihood", "best_fit", "q_statistic", "upper_limit", "interval",
           "Interval", "toy_upper_limits", "toy_q_quantile", "asymptotic_band", "toy_band",
           "discovery_significance", "discovery_threshold"]

#: 90% CL critical value (two-sided Wilks; Feldman–Cousins at the boundary): 2.706.
CRITICAL_VALUE_90: float = float(_st.chi2.ppf(0.90, 1))
#: One-sided 90% CL critical value under Chernoff's ½δ + ½χ²₁: 1.642.
CRITICAL_VALUE_90_ONE_SIDED: float = float(_st.chi2.ppf(0.80, 1))


@dataclass(frozen=True, eq=False)
class BinnedModel:
    """Expected counts per bin as a quadratic function of one EM parameter θ.

    Attributes
    ----------
    s0, s1, s2 : ndarray
        SM counts and the linear / quadratic coefficients (counts per unit θ, θ²) in the
        ON data set.
    background_on : ndarray
        Expected background counts in the ON data set.
    tau : float or None
        OFF/ON exposure ratio; ``None`` means no OFF data (background fixed).
    two_sided : bool
        True for a signed parameter (δ_Q, ⟨r²⟩ with interference): θ̂ unrestricted and
        two-sided intervals; False: θ ≥ 0 and one-sided upper limits.
    """

    s0: np.ndarray
    s1: np.ndarray
    s2: np.ndarray
    background_on: np.ndarray
    tau: float | None = None
    two_sided: bool = False

    def signal(self, theta) -> np.ndarray:
        """ON signal counts per bin at θ (clipped at 0 against round-off)."""
        return np.maximum(self.s0 + theta * self.s1 + theta**2 * self.s2, 0.0)

    @property
    def signed(self) -> bool:
        """True for a signed parameter (two-sided interval; θ̂ may be negative)."""
        return bool(self.two_sided)


def asimov_data(model: BinnedModel, theta: float = 0.0):
    """Expected (ON, OFF) counts at θ; OFF is ``None`` without an OFF period."""
    on = model.signal(theta) + model.background_on
    off = None if model.tau is None else model.tau * model.background_on
    return on, off


def profile_background(model: BinnedModel, theta, n_on, n_off):
    """Conditional MLE of the ON background per bin at fixed θ.

    Maximising :math:`n_{on}\\ln(s+b) - (s+b) + n_{off}\\ln(\\tau b) - \\tau b` over b ≥ 0
    gives the positive root of
    :math:`(1+\\tau)b^2 + [(1+\\tau)s - n_{on} - n_{off}]\\,b - n_{off}\\,s = 0`.
    """
    if model.tau is None:
        return model.background_on
    s = model.signal(theta)
    k = 1.0 + model.tau
    B = k * s - n_on - n_off
    disc = np.sqrt(B * B + 4.0 * k * n_off * s)
    # numerically stable root: for B > 0 use 2c/(-B - disc) form
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.where(B <= 0, (-B + disc) / (2.0 * k), 2.0 * n_off * s / np.where(B + disc > 0, B + disc, 1.0))
    return np.maximum(root, 0.0)


def log_likelihood(model: BinnedModel, theta, n_on, n_off=None, background_on=None) -> float:
    """Poisson log-likelihood (constants dropped) at θ with the background profiled."""
    b = profile_background(model, theta, n_on, n_off) if background_on is None else background_on
    lam_on = model.signal(theta) + b
    ll = np.sum(special.xlogy(n_on, lam_on) - lam_on)
    if model.tau is not None:
        lam_off = model.tau * b
        ll += np.sum(special.xlogy(n_off, lam_off) - lam_off)
    return float(ll)


def _scale(model: BinnedModel) -> float:
    """A θ scale where the EM signal is comparable to the statistical noise (bracket seed)."""
    noise = math.sqrt(float(np.sum(model.s0 + model.background_on)) + 1.0)
    lin = float(np.sum(np.abs(model.s1)))
    quad = float(np.sum(model.s2))
    cands = []
    if lin > 0:
        cands.append(noise / lin)
    if quad > 0:
        cands.append(math.sqrt(noise / quad))
    if not cands:
        raise ValueError("the model has no EM signal (s1 = s2 = 0 in every bin)")
    return min(cands)


def best_fit(model: BinnedModel, n_on, n_off=None) -> float:
    """θ̂: maximum of the profiled likelihood (θ ≥ 0 unless the parameter is signed)."""
    scale = _scale(model)
    f = lambda t: -log_likelihood(model, t * scale, n_on, n_off)
    if model.signed:
        grid = np.linspace(-20.0, 20.0, 161)
    else:
        grid = np.linspace(0.0, 20.0, 81)
    vals = np.array([f(t) for t in grid])
    i = int(np.argmin(vals))
    lo = grid[max(i - 1, 0)]
    hi = grid[min(i + 1, len(grid) - 1)]
    if hi == lo:
        return float(grid[i] * scale)
    res = optimize.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    t = res.x if res.fun <= vals[i] else grid[i]
    return float(t * scale)


def q_statistic(model: BinnedModel, theta, n_on, n_off=None, theta_hat=None, one_sided=None) -> float:
    """Profile-likelihood-ratio statistic q(θ) ≥ 0.

    For unsigned parameters the one-sided form is used (q = 0 for θ < θ̂) unless
    ``one_sided=False``.
    """
    th = best_fit(model, n_on, n_off) if theta_hat is None else theta_hat
    one = (not model.signed) if one_sided is None else one_sided
    if one and theta < th:
        return 0.0
    q = 2.0 * (log_likelihood(model, th, n_on, n_off) - log_likelihood(model, theta, n_on, n_off))
    return max(q, 0.0)


def _root_outward(fun, start, step, direction, max_doublings=80):
    """Find where ``fun`` crosses zero moving from ``start`` in ``direction`` (fun(start) < 0)."""
    a = start
    h = step
    for _ in range(max_doublings):
        b = start + direction * h
        if fun(b) > 0:
            lo, hi = (a, b) if direction > 0 else (b, a)
            return optimize.brentq(fun, lo, hi, xtol=1e-14 * max(abs(lo), abs(hi), 1e-300), rtol=1e-12)
        a = b
        h *= 2.0
    raise ValueError("no crossing of the critical value found: the data do not constrain the parameter")


def upper_limit(model: BinnedModel, n_on=None, n_off=None, critical_value: float = CRITICAL_VALUE_90) -> float:
    """One-sided upper limit on θ ≥ 0 (Asimov SM data when ``n_on`` is None)."""
    if n_on is None:
        n_on, n_off = asimov_data(model)
        th = 0.0
    else:
        th = best_fit(model, n_on, n_off)
    ll_hat = log_likelihood(model, th, n_on, n_off)
    fun = lambda t: 2.0 * (ll_hat - log_likelihood(model, t, n_on, n_off)) - critical_value
    return _root_outward(fun, th, _scale(model) * 0.1, +1)


@dataclass(frozen=True)
class Interval:
    """A 90% CL interval [lower, upper] on a signed parameter, with the best fit.

    ``effective`` = max(|lower|, |upper|): the symmetric bound |θ| < effective that
    contains the interval (what tables of "bounds" quote for a signed parameter).
    ``disconnected`` is True when a second allowed region exists beyond the interval
    (e.g. the charge-radius value that flips the sign of g_V).
    """

    lower: float
    upper: float
    best: float
    disconnected: bool = False

    @property
    def effective(self) -> float:
        return max(abs(self.lower), abs(self.upper))


def interval(model: BinnedModel, n_on=None, n_off=None, critical_value: float = CRITICAL_VALUE_90) -> Interval:
    """Two-sided interval {θ : q(θ) ≤ c} around θ̂ (Asimov SM data when ``n_on`` is None)."""
    if n_on is None:
        n_on, n_off = asimov_data(model)
        th = 0.0
    else:
        th = best_fit(model, n_on, n_off)
    ll_hat = log_likelihood(model, th, n_on, n_off)
    fun = lambda t: 2.0 * (ll_hat - log_likelihood(model, t, n_on, n_off)) - critical_value
    step = _scale(model) * 0.1
    lo = _root_outward(fun, th, step, -1)
    hi = _root_outward(fun, th, step, +1)
    # a second minimum of q exists where the quadratic signal returns to its value at th
    disconnected = False
    if np.any(model.s2 > 0):
        mirror = -float(np.sum(model.s1)) / float(np.sum(model.s2)) - th
        if not lo <= mirror <= hi:
            disconnected = fun(mirror) < 0
    return Interval(lo, hi, th, disconnected)


def toy_upper_limits(model: BinnedModel, n_toys: int, seed: int, theta_true: float = 0.0) -> np.ndarray:
    """Upper limits from ``n_toys`` Poisson pseudo-experiments generated at θ_true.

    Each toy draws ON (and OFF) counts, fits θ̂ ≥ 0, and solves q(θ) = 2.706 above θ̂.
    For an unsigned parameter the median should approach the Asimov limit.
    """
    rng = np.random.default_rng(seed)
    mean_on, mean_off = asimov_data(model, theta_true)
    out = np.empty(n_toys)
    for k in range(n_toys):
        n_on = rng.poisson(mean_on).astype(float)
        n_off = None if mean_off is None else rng.poisson(mean_off).astype(float)
        out[k] = upper_limit(model, n_on, n_off)
    return out


def toy_q_quantile(model: BinnedModel, theta: float, n_toys: int, seed: int, quantile: float = 0.90) -> float:
    """The ``quantile`` of the one-sided q(θ) in pseudo-experiments generated at θ.

    Asymptotically (Chernoff) the 90% quantile is 2.706; this measures it by Monte Carlo.
    """
    rng = np.random.default_rng(seed)
    mean_on, mean_off = asimov_data(model, theta)
    qs = np.empty(n_toys)
    for k in range(n_toys):
        n_on = rng.poisson(mean_on).astype(float)
        n_off = None if mean_off is None else rng.poisson(mean_off).astype(float)
        qs[k] = q_statistic(model, theta, n_on, n_off, one_sided=True)
    return float(np.quantile(qs, quantile))


def _signal_strength_model(model: BinnedModel) -> None:
    if model.signed or np.any(model.s1 != 0):
        raise ValueError("the asymptotic band needs a signal quadratic in theta (s1 = 0, one-sided); "
                         "for an interfering parameter use toy_upper_limits")


def asymptotic_band(model: BinnedModel, n_sigma=(-2, -1, 0, 1, 2),
                    critical_value: float = CRITICAL_VALUE_90) -> dict:
    r"""Median and ±Nσ quantiles of the upper limit on θ (signal θ² s2), asymptotic formulas.

    With the signal strength ν = θ² the counts are linear in ν and, asymptotically
    :cite:`Cowan2011`, ν̂ is Gaussian about the true ν = 0 with a width σ fixed by the
    Asimov data set: σ = ν_A/√c, ν_A the Asimov limit (q_A(ν_A) = c). Our limit uses
    q̃ (ν̂ restricted to ≥ 0), whose Gaussian form for ν̂ = Nσ is
    :math:`\tilde q(\nu) = (\nu^2 - 2\nu\hat\nu)/\sigma^2` for N < 0 and
    :math:`(\nu - \hat\nu)^2/\sigma^2` for N ≥ 0, so the limit at the quantile Φ(N) of ν̂ is

    .. math::  \nu_{\rm up}(N) = \sigma\,(N + \sqrt{N^2 + c})\ (N<0), \qquad
               \sigma\,(N + \sqrt c)\ (N \ge 0),

    and θ_up(N) = √ν_up(N). (For q_μ without the restriction the lower band would be
    σ(N + √c), negative at N = −2: the q̃ form is what :func:`toy_upper_limits` computes.)
    Returns ``{N: θ_up(N)}``.
    """
    _signal_strength_model(model)
    theta_a = upper_limit(model, critical_value=critical_value)
    sigma = theta_a**2 / math.sqrt(critical_value)
    out = {}
    for n in n_sigma:
        n = float(n)
        nu = sigma * (n + math.sqrt(n * n + critical_value)) if n < 0 else sigma * (n + math.sqrt(critical_value))
        out[int(n) if n.is_integer() else n] = math.sqrt(nu)
    return out


def toy_band(model: BinnedModel, n_toys: int, seed: int, n_sigma=(-2, -1, 0, 1, 2)) -> dict:
    """The same quantiles as :func:`asymptotic_band` from ``n_toys`` pseudo-experiments.

    Quantile Φ(N) of :func:`toy_upper_limits` (Poisson toys at θ = 0, fixed ``seed`` with
    numpy's ``default_rng``). Returns ``{N: θ_up(N)}``.
    """
    toys = toy_upper_limits(model, n_toys, seed)
    return {n: float(np.quantile(toys, _st.norm.cdf(n))) for n in n_sigma}


def discovery_significance(model: BinnedModel, theta: float) -> float:
    r"""Median significance Z = √q₀ of rejecting θ = 0 if the truth is θ (Asimov data).

    :math:`q_0 = 2[\ln L(\theta) - \ln L(0)]` on the Asimov data of θ, backgrounds profiled
    as in the limits :cite:`Cowan2011` (Eq. 97 with the Asimov data set).
    """
    n_on, n_off = asimov_data(model, theta)
    q0 = 2.0 * (log_likelihood(model, theta, n_on, n_off) - log_likelihood(model, 0.0, n_on, n_off))
    return math.sqrt(max(q0, 0.0))


def discovery_threshold(model: BinnedModel, z: float = 5.0) -> float:
    """Smallest |θ| with median discovery significance ``z``; both signs for a signed model
    (returns the larger |θ|, so either sign is discovered)."""
    scale = _scale(model)
    out = []
    for direction in ((-1.0, 1.0) if model.signed else (1.0,)):
        f = lambda t: discovery_significance(model, direction * t) - z
        out.append(_root_outward(f, 0.0, 0.1 * scale, +1))
    return max(out)
