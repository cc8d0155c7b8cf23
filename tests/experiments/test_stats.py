"""Binned Poisson likelihood, Asimov limits, Monte Carlo cross-checks."""
import math

import numpy as np
import pytest
from scipy import optimize, stats as st

from nuatom.experiments import stats


def _model(b=100.0, n=10, tau=None, s0=0.0, lin=0.0):
    shape = np.linspace(1.0, 0.2, n)
    return stats.BinnedModel(np.full(n, s0), lin * shape, shape, np.full(n, b), tau)


def test_critical_values():
    # chi2_1(0.90) = [Phi^-1(0.95)]^2 = 2.7055 (two-sided 90%, FC at the boundary);
    # Chernoff's 1/2 delta + 1/2 chi2_1: one-sided 90% = [Phi^-1(0.90)]^2 = 1.6424
    assert stats.CRITICAL_VALUE_90 == pytest.approx(st.norm.ppf(0.95) ** 2, rel=1e-12)
    assert stats.CRITICAL_VALUE_90 == pytest.approx(2.7055, abs=1e-4)
    assert stats.CRITICAL_VALUE_90_ONE_SIDED == pytest.approx(st.norm.ppf(0.90) ** 2, rel=1e-12)


def test_gaussian_limit_single_bin():
    # b >> 1: the signal excluded at 90% CL one-sided is 1.645 sqrt(b) (to O(b^-1/2)).
    b = 1e6
    m = stats.BinnedModel(np.zeros(1), np.zeros(1), np.ones(1), np.array([b]))
    theta = stats.upper_limit(m)
    assert theta**2 == pytest.approx(1.6449 * math.sqrt(b), rel=2e-3)


def test_profiled_background_is_the_maximum():
    rng = np.random.default_rng(1)
    m = _model(b=20.0, n=5, tau=0.4)
    n_on = rng.poisson(30.0, 5).astype(float)
    n_off = rng.poisson(8.0, 5).astype(float)
    theta = 2.0
    b_hat = stats.profile_background(m, theta, n_on, n_off)
    s = m.signal(theta)
    for j in range(5):
        f = lambda b: -(n_on[j] * math.log(s[j] + b) - s[j] - b + (n_off[j] * math.log(0.4 * b) if n_off[j] else 0) - 0.4 * b)
        ref = optimize.minimize_scalar(f, bounds=(1e-9, 500.0), method="bounded", options={"xatol": 1e-10}).x
        assert b_hat[j] == pytest.approx(ref, rel=1e-6, abs=1e-6)


def test_limit_scaling_with_exposure():
    # background-dominated: mu^2 limit ~ sqrt(B)/S ~ X^-1/2, so mu ~ X^-1/4;
    # background-free (b -> 0, s0 = 0): Poisson zero-count limit s = 2.3 events -> mu ~ X^-1/2.
    base, k = _model(b=1e4), 16.0
    big = stats.BinnedModel(base.s0 * k, base.s1 * k, base.s2 * k, base.background_on * k)
    r = stats.upper_limit(big) / stats.upper_limit(base)
    assert r == pytest.approx(k ** -0.25, rel=0.01)
    tiny = _model(b=1e-9)
    tiny_big = stats.BinnedModel(tiny.s0, tiny.s1, tiny.s2 * k, tiny.background_on * k)
    assert stats.upper_limit(tiny_big) / stats.upper_limit(tiny) == pytest.approx(k ** -0.5, rel=1e-3)
    # zero background: q = 2 s_tot -> s_tot = 1.35 events (one-sided, asymptotic)
    s_tot = float(np.sum(tiny.s2)) * stats.upper_limit(tiny) ** 2
    assert s_tot == pytest.approx(stats.CRITICAL_VALUE_90 / 2, rel=1e-3)


def test_interval_linear_gaussian():
    # pure interference (s2 = 0), large b: interval = +-1.645 sigma / s1, sigma = sqrt(b_tot)
    n, b = 4, 1e6
    m = stats.BinnedModel(np.full(n, b), np.ones(n), np.zeros(n), np.full(n, b), two_sided=True)
    iv = stats.interval(m)
    half = 1.6449 * math.sqrt(n * 2 * b) / n
    assert iv.lower == pytest.approx(-half, rel=2e-3) and iv.upper == pytest.approx(half, rel=2e-3)
    assert iv.effective == pytest.approx(half, rel=2e-3)


def test_monte_carlo_median_agrees_with_asimov_on_off():
    # The required MC cross-check: ON/OFF reactor-like case with profiled backgrounds
    # (12 bins, ~60 background counts per bin, tau = 0.25). The Asimov limit approximates
    # the median of the toy limits; they must agree within 10%. Fixed seed, 400 toys (~3 s).
    m = _model(b=60.0, n=12, tau=0.25, s0=3.0)
    asimov = stats.upper_limit(m)
    toys = stats.toy_upper_limits(m, 400, seed=20240501)
    med = float(np.median(toys))
    assert med == pytest.approx(asimov, rel=0.10)


def test_monte_carlo_chernoff_quantile():
    # Chernoff: at the true theta the one-sided q is 1/2 delta + 1/2 chi2_1, so its 90%
    # quantile is 1.642 (its 95% quantile 2.706). 1500 toys: quantile error ~5%; tol 12%.
    m = _model(b=200.0, n=8)
    theta = stats.upper_limit(m)
    q90 = stats.toy_q_quantile(m, theta, 1500, seed=7)
    assert q90 == pytest.approx(stats.CRITICAL_VALUE_90_ONE_SIDED, rel=0.12)
    q95 = stats.toy_q_quantile(m, theta, 1500, seed=7, quantile=0.95)
    assert q95 == pytest.approx(stats.CRITICAL_VALUE_90, rel=0.12)


def test_no_signal_raises():
    m = stats.BinnedModel(np.zeros(2), np.zeros(2), np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="no EM signal"):
        stats.upper_limit(m)
