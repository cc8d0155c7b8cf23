"""Halo: the SHM η(v_min) closed form against quadrature of its own speed distribution, and
against the values of reference-values §7.2 (wimprates' parameters); tables, callables, modulation."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, special

from nuatom.darkmatter import halo as h


def test_defaults_are_baxter_2021():
    # Baxter et al., EPJC 81, 907 (2021), recommended conventions (as stated in the issue)
    assert (h.SHM.v0_km_s, h.SHM.vE_km_s, h.SHM.vesc_km_s, h.SHM.rho_GeV_cm3) == (238.0, 250.2, 544.0, 0.3)


def test_eta_wimprates_parameters():
    # reference-values §7.2: (v0, vE, vesc) = (220, 232, 544) km/s, 4 significant figures quoted
    eta = h.eta_shm_s_per_km([0, 200, 400, 600], 220, 232, 544)
    np.testing.assert_allclose(eta, [3.738e-3, 2.500e-3, 5.976e-4, 3.370e-5], rtol=6e-4)


@pytest.mark.parametrize("params", [(238, 250.2, 544), (220, 232, 544), (150, 300, 500)])
def test_closed_form_against_quadrature(params):
    # independent: 3-D Maxwellian integrated over angles analytically (speed distribution),
    # then f/v integrated numerically; quadrature rtol 1e-10, so 1e-6 is a real test
    vmax = params[1] + params[2]
    f = lambda v: h.shm_speed_distribution(v, *params)  # noqa: E731
    assert integrate.quad(f, 0, vmax, limit=200, epsrel=1e-12, points=[params[2] - params[1]])[0] == pytest.approx(1.0, abs=1e-9)
    vmin = np.array([0.0, 50, 200, params[2] - params[1] - 1, params[2] - params[1] + 1, 600, vmax - 5])
    closed = h.eta_shm_s_per_km(vmin, *params)
    numeric = h.eta_numeric_s_per_km(f, vmin, vmax, points=[params[2] - params[1]])
    np.testing.assert_allclose(closed, numeric, rtol=1e-6, atol=1e-14)


def test_speed_distribution_against_3d_monte_carlo_free_formula():
    # the untruncated limit vesc -> inf: f(v) -> v/(sqrt(pi) v0 vE)[e^{-(v-vE)^2/v0^2} - e^{-(v+vE)^2/v0^2}]
    v0, vE = 238.0, 250.2
    v = np.linspace(1, 900, 50)
    exact = v / (math.sqrt(math.pi) * v0 * vE) * (np.exp(-(v - vE) ** 2 / v0**2) - np.exp(-(v + vE) ** 2 / v0**2))
    np.testing.assert_allclose(h.shm_speed_distribution(v, v0, vE, 1e5), exact, rtol=1e-12)
    # eta(0) of the untruncated Maxwellian: erf(y)/(v0 y)... = <1/v> = erf(vE/v0)/vE
    assert h.eta_shm_s_per_km(0.0, v0, vE, 1e5) == pytest.approx(special.erf(vE / v0) / vE, rel=1e-12)


def test_zero_above_vmax_and_never_nan():
    eta = h.SHM.eta_s_per_km([h.SHM.v_max_km_s, h.SHM.v_max_km_s + 1, 1e6])
    assert np.all(eta == 0.0)


def test_tabulated_halo_matches_closed_form():
    v = np.linspace(0, h.SHM.v_max_km_s, 20001)
    tab = h.TabulatedHalo(v, h.SHM.speed_distribution(v))
    vmin = np.array([0.0, 100, 300, 500, 700])
    # linear interpolation on a 0.04 km/s grid: error O(dv^2 f''/f) ~ 1e-8; 1e-6 covers the kink at vesc - vE
    np.testing.assert_allclose(tab.eta_s_per_km(vmin), h.SHM.eta_s_per_km(vmin), rtol=1e-6)


def test_callable_halo_normalizes_and_matches():
    c = h.CallableHalo(lambda v: 7.0 * h.shm_speed_distribution(v), h.SHM.v_max_km_s)
    np.testing.assert_allclose(c.eta_s_per_km([10.0, 400.0]), h.SHM.eta_s_per_km([10.0, 400.0]), rtol=1e-8)


def test_annual_modulation():
    amp = h.V_ORBIT_KM_S * h.COS_GAMMA
    assert h.earth_speed_km_s(h.PEAK_DAY) == pytest.approx(250.2 + amp, rel=1e-12)
    assert h.earth_speed_km_s(h.PEAK_DAY + h.YEAR_DAYS / 2) == pytest.approx(250.2 - amp, rel=1e-12)
    june, dec = h.SHM.at_day(152.5), h.SHM.at_day(152.5 + 182.6)
    # high v_min: more fast particles in June (Earth moves along the Sun's motion)
    assert june.eta_s_per_km(600.0) > dec.eta_s_per_km(600.0)


@pytest.mark.parametrize("kw", [dict(v0_km_s=-1), dict(vE_km_s=600), dict(rho_GeV_cm3=0)])
def test_bad_halo(kw):
    with pytest.raises(ValueError):
        h.StandardHalo(**kw)
