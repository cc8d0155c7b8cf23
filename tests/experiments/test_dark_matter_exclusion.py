"""Projected millicharge exclusion: counts from the DM rate, the limit from nuatom.experiments.stats."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from nuatom.darkmatter.conventions import sigma_e_millicharge_cm2
from nuatom.darkmatter.rates import dm_electron_spectrum
from nuatom.experiments import dark_matter_exclusion as dmx
from nuatom.experiments.stats import CRITICAL_VALUE_90


@pytest.fixture(scope="module")
def xe():
    from nuatom.darkmatter.tables import charge_response
    return charge_response("Xe")


def test_counts_are_the_integrated_rate(xe):
    """Window covering everything from the first threshold to beyond the end point, sharp
    binning: the counts per eps^2 are exposure x the total light-mediator rate at sigma_e(eps=1).
    The binned sum uses a 400-point log grid in T (trapezoid-like), the total a Gauss-Legendre
    rule: 1 % covers the cruder binned quadrature near the 5p thresholds."""
    exp = dmx.DMExposure("Xe", 100.0, 0.0115, 0.2, 5, 1.0, None)
    s = dmx.millicharge_counts_per_eps2(exp, 30.0, response=xe)
    total = dm_electron_spectrum("Xe", 30.0, float(sigma_e_millicharge_cm2(1.0, 30e3)), mediator="light",
                                 response=xe).total_rate_per_kg_day
    assert s.sum() == pytest.approx(100.0 * total, rel=1e-2)


def test_limit_solves_the_likelihood_ratio(xe):
    """At the quoted eps, -2 ln(L(eps^2)/L(0)) on Asimov background-only data equals 2.706."""
    exp = dmx.EXPOSURES["Xe"]
    eps = dmx.millicharge_limit(exp, [100.0], response=xe)[0]
    s = dmx.millicharge_counts_per_eps2(exp, 100.0, response=xe) * eps**2
    b = exp.background_per_kg_day_keV * exp.exposure_kg_day * np.diff(exp.edges_keV)
    q = 2 * np.sum(s - b * np.log1p(s / b))  # Poisson, n = b, fixed background
    assert q == pytest.approx(CRITICAL_VALUE_90, rel=1e-4)


def test_more_exposure_tightens_and_no_signal_gives_inf(xe):
    exp = dmx.EXPOSURES["Xe"]
    big = dataclasses.replace(exp, exposure_kg_day=10 * exp.exposure_kg_day)
    a, b = dmx.millicharge_limit(exp, [100.0], response=xe)[0], dmx.millicharge_limit(big, [100.0], response=xe)[0]
    assert b < a
    # 1 MeV DM cannot deposit 50 eV (end point 3.5 eV): no constraint
    assert math.isinf(dmx.millicharge_limit(exp, [1.0], response=xe)[0])


def test_germanium_resolution_smearing_conserves_events():
    """Gaussian smearing moves events, it does not create them: the integral over E of the
    smeared spectrum equals the integral over T of the true one (to 1 %: the edge at the first
    threshold leaks half a sigma of events below the E grid start, and the trapezoid rules)."""
    from nuatom.experiments.detector import GermaniumResolution
    from nuatom.darkmatter.tables import charge_response
    ge = charge_response("Ge")
    T = np.linspace(0.0074, 0.4, 3000)
    spec = dm_electron_spectrum("Ge", 100.0, 1e-37, response=ge, T_keV=T, with_totals=False)
    E = np.linspace(-0.2, 0.6, 1600)
    obs = dmx.observed_spectrum(spec, E, GermaniumResolution(0.030))
    assert np.trapezoid(obs, E) == pytest.approx(np.trapezoid(spec.total_dR_dT, T), rel=1e-2)
    # a resolution (0.1 eV) much narrower than the spectral features gives the spectrum back,
    # away from the subshell edges (> 2 eV), where the step is blurred by design
    pts = T[100:2900:50]
    far = np.all(np.abs(pts[:, None] - ge.binding_keV[None, :]) > 2e-3, axis=1) & (spec.total_dR_dT[100:2900:50] > 0)
    sharp = dmx.observed_spectrum(spec, pts[far], GermaniumResolution(1e-4, fano=0.0))
    np.testing.assert_allclose(sharp, spec.total_dR_dT[100:2900:50][far], rtol=0.02)
