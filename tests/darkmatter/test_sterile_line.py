"""Sterile-neutrino dark matter: the on-shell conversions (decay line) inside a target, and the
conservative limit on the transition moment (nuatom.darkmatter.sterile_line,
nuatom.experiments.sterile_line_limit)."""
import math

import numpy as np
import pytest
from scipy import constants as sc
from scipy import integrate

from nuatom.darkmatter import absorption, halo
from nuatom.darkmatter import sterile_line as sl
from nuatom.experiments.sterile_line_limit import MU_REF_MUB, moment_upper_limit_muB

GE_DENSITY = 5.323
M_S = 7.1


def test_on_shell_rate_from_first_principles():
    # Gamma = mu^2 m^3/(8 pi) with mu_B = e/(2 m_e), e^2 = 4 pi alpha (Heaviside-Lorentz,
    # natural units), hbar from CODATA; n_s = rho/m_s; 1 kg = 1000/5.323 cm^3. Written out
    # here from scipy.constants only: same physics, separate arithmetic (measured 1e-15).
    alpha = sc.fine_structure
    me_keV = sc.physical_constants["electron mass energy equivalent in MeV"][0] * 1e3
    hbar_keV_s = sc.hbar / sc.e * 1e-3
    mu = 2.5e-14 * math.sqrt(4 * math.pi * alpha) / (2 * me_keV)
    gamma_per_s = mu**2 * M_S**3 / (8 * math.pi) / hbar_keV_s
    expected = 0.3e6 / M_S * (1000.0 / GE_DENSITY) * gamma_per_s * 86400.0
    assert sl.on_shell_rate_per_kg_day(2.5e-14, M_S, GE_DENSITY) == pytest.approx(expected, rel=1e-9)


def test_spectrum_integrates_to_the_rate():
    # The folded Doppler box is a density: its integral over +-7 sigma is the rate
    # (measured 1 - 2.7e-12 with 20001 trapezoid points); 1e-8.
    T = np.linspace(3.2, 3.9, 20001)
    spec = sl.line_spectrum_per_kg_day_keV(T, 2.5e-14, M_S, GE_DENSITY, resolution_sigma_keV=0.05)
    rate = sl.on_shell_rate_per_kg_day(2.5e-14, M_S, GE_DENSITY)
    assert np.trapezoid(spec, T) / rate == pytest.approx(1.0, abs=1e-8)


def test_doppler_width_is_the_halo_speed_second_moment():
    # With a resolution far below the Doppler box, the line's variance is
    # sigma^2 + E0^2 <beta^2>/3 (uniform box of half-width E0 beta, averaged over speeds),
    # with <v^2> of the standard halo by adaptive quadrature (scipy.integrate.quad, split at
    # the kink v_esc - v_E): an independent quadrature of the speed distribution. The
    # 64-node Gauss-Legendre average in the module (across the kink) and gamma = 1 + O(1e-6)
    # differ from it by measured 1.0e-7; 1e-5.
    v2, _ = integrate.quad(lambda v: v * v * halo.shm_speed_distribution(v), 0, 800, points=[544 - 250.2], limit=200)
    e0 = M_S / 2
    c_km_s = sc.c * 1e-3
    sigma = 1e-5
    var_expected = sigma**2 + e0**2 * v2 / c_km_s**2 / 3
    T = np.linspace(e0 - 0.012, e0 + 0.012, 40001)
    spec = sl.line_spectrum_per_kg_day_keV(T, 1e-14, M_S, GE_DENSITY, resolution_sigma_keV=sigma)
    norm = np.trapezoid(spec, T)
    mean = np.trapezoid(T * spec, T) / norm
    var = np.trapezoid((T - mean) ** 2 * spec, T) / norm
    assert var / var_expected == pytest.approx(1.0, abs=1e-5)


def test_the_in_medium_pole_is_narrow_in_germanium():
    # The on-shell rate is the decay rate when the Lorentzian half-width |Im Pi_T| (Ge
    # photoabsorption at 3.55 keV, nuatom's DHF table) is small against the kinematic band
    # 2 T m_s v of q^2 at v = 1e-3 (the slowest halo speeds are ~3e-4: the parameter scales
    # as 1/v). Measured 4.4e-3 at v = 1e-3; asserted < 2e-2 at v = 3e-4.
    pi = absorption.self_energy_keV2("Ge", M_S / 2)
    assert sl.narrow_width_parameter(M_S, 1e-3, pi.imag) == pytest.approx(4.42e-3, rel=0.01)
    assert sl.narrow_width_parameter(M_S, 3e-4, pi.imag) < 2e-2


def test_limit_in_the_gaussian_regime_against_the_closed_form():
    # Background-dominated Asimov limit: q(theta) ~ sum_j s_j^2 theta^4 / b_j = 2.706 and, for
    # a Gaussian line of rate R (per kg day at mu_ref) on a flat background b, the continuum
    # limit of sum s_j^2/b_j is X R^2 / (2 sigma sqrt(pi) b). Hence
    # mu^4 = mu_ref^4 2.706 * 2 sigma sqrt(pi) b / (X R^2). Binning (32 bins over +-4 sigma)
    # and the Doppler box (7 eV against sigma = 50 eV) change it by measured 0.1 %; 1 %.
    X, b, sigma = 3650.0, 1e4, 0.05
    R = sl.on_shell_rate_per_kg_day(MU_REF_MUB, M_S, GE_DENSITY)
    closed = MU_REF_MUB * (2.706 * 2 * sigma * math.sqrt(math.pi) * b / (X * R**2)) ** 0.25
    got = moment_upper_limit_muB(M_S, X, b, GE_DENSITY, resolution_sigma_keV=sigma)
    assert got / closed == pytest.approx(1.0, abs=1e-2)


def test_chapter_numbers():
    # The chapter's illustrative Ge exposure (1 kg yr, 1 /(kg keV day), sigma = 50 eV):
    # regression pin of nuatom's own result, 1e-6.
    assert moment_upper_limit_muB(M_S, 365.0, 1.0, GE_DENSITY, resolution_sigma_keV=0.05) == pytest.approx(
        1.7345506e-13, rel=1e-6)


def test_input_validation():
    with pytest.raises(ValueError, match="mu_muB"):
        sl.on_shell_rate_per_kg_day(-1e-14, M_S, GE_DENSITY)
    with pytest.raises(ValueError, match="density_g_cm3"):
        sl.on_shell_rate_per_kg_day(1e-14, M_S, 0.0)
    with pytest.raises(ValueError, match="m_s_keV"):
        sl.on_shell_rate_per_kg_day(1e-14, float("nan"), GE_DENSITY)
    with pytest.raises(ValueError, match="v_max_km_s"):
        sl.line_spectrum_per_kg_day_keV([3.5], 1e-14, M_S, GE_DENSITY, resolution_sigma_keV=0.05, v_max_km_s=4e5)
    with pytest.raises(ValueError, match="resolution_sigma_keV"):
        sl.line_spectrum_per_kg_day_keV([3.5], 1e-14, M_S, GE_DENSITY, resolution_sigma_keV=0.0)
    with pytest.raises(ValueError, match="exposure_kg_day"):
        moment_upper_limit_muB(M_S, -1.0, 1.0, GE_DENSITY, resolution_sigma_keV=0.05)
