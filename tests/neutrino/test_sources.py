"""Neutrino sources: reactor and solar spectra, fluxes, MSW survival probabilities."""
import math

import numpy as np
import pytest
from scipy import integrate, stats

from nuatom.neutrino import sources as s


def test_pp_endpoint_matches_quoted_value():
    # Bahcall (Neutrino Astrophysics, 1989; reference-values §6.2): pp endpoint 0.420 MeV,
    # three digits, so +-0.5 keV (rounding); CODATA masses give 2 m_p - m_d - m_e =
    # 420.235 keV (scipy.constants, computed here), the deuteron recoil (E0^2/2m_d =
    # 0.047 keV) neglected by both: 0.06 keV.
    import scipy.constants as sc

    mev = lambda name: sc.physical_constants[name][0] * 1e3
    codata = 2 * mev("proton mass energy equivalent in MeV") - mev("deuteron mass energy equivalent in MeV") \
        - mev("electron mass energy equivalent in MeV")
    assert s.pp_endpoint_keV() == pytest.approx(420.0, abs=0.5)
    assert s.pp_endpoint_keV() == pytest.approx(codata, abs=0.06)


@pytest.mark.parametrize("E0,Z,A,positron", [(420.2, 1, 2, True), (1198.5, 6, 13, True), (1261.6, 93, 239, False),
                                              (436.5, 94, 239, False)])
def test_beta_shapes_are_normalised_and_vanish_at_ends(E0, Z, A, positron):
    f = lambda E: float(s.beta_spectrum_shape(E, E0, Z, A, positron=positron))
    assert integrate.quad(f, 0, E0, limit=200)[0] == pytest.approx(1.0, rel=1e-8)
    assert f(0.0) == 0.0 and f(E0) == 0.0 and f(E0 + 1) == 0.0


def test_fermi_function_nonrelativistic_limit():
    # Small alpha Z: F -> 2 pi eta / (1 - exp(-2 pi eta)); the (2pR)^(2gamma-2) and Gamma
    # corrections are O((alpha Z)^2 ln pR) ~ 3e-4 for Z = 1 (measured 3.6e-4 .. 4.6e-4);
    # 1e-3 = twice that order (was 2e-3).
    W = np.array([520.0, 600.0, 800.0])
    p = np.sqrt(W**2 - 510.99895**2)
    for positron, sign in ((True, -1), (False, 1)):
        eta = sign * W / p / 137.035999
        nr = 2 * math.pi * eta / (1 - np.exp(-2 * math.pi * eta))
        np.testing.assert_allclose(s.fermi_function(1, W, positron=positron, A=2), nr, rtol=1e-3, atol=0)


def test_solar_lines_and_fluxes():
    src = s.solar_source("B16-GS98")
    lines = {l.name: l for l in src.lines}
    assert lines["Be7:861.8"].E_keV == 861.8 and lines["Be7:384.3"].E_keV == 384.3
    assert lines["Be7:861.8"].flux_cm2_s + lines["Be7:384.3"].flux_cm2_s == pytest.approx(4.93e9)
    assert lines["pep:1442.2"].flux_cm2_s == pytest.approx(1.44e8)
    # total = sum of the B16-GS98 fluxes of reference-values §6.2
    assert src.total_flux_cm2_s == pytest.approx(5.98e10 + 1.44e8 + 7.98e3 + 4.93e9 + 5.46e6 + 2.78e8 + 2.05e8 + 5.28e6)
    pp = [c for c in src.continua if c.name == "pp"][0]
    assert integrate.quad(pp.dphi_dE, 0, pp.E_max_keV, limit=200)[0] == pytest.approx(5.98e10, rel=1e-8)
    with pytest.raises(ValueError, match="model"):
        s.solar_fluxes("SSM-X")


def test_matter_potential():
    # reference-values §6.3: sqrt(2) G_F n_e = 7.632e-14 eV for n_e = N_A cm^-3, four digits
    # (half a unit: 6.6e-5 relative); measured +6.1e-5 (was rel 2e-4)
    assert s.matter_potential_keV(1.0) * 1e3 == pytest.approx(7.632e-14, rel=6.6e-5)


def test_vacuum_survival_probability():
    p = s.OscillationParameters.nufit52()
    t12, t13 = math.radians(p.theta12_deg), math.radians(p.theta13_deg)
    vac = math.cos(t13) ** 4 * (1 - 0.5 * math.sin(2 * t12) ** 2) + math.sin(t13) ** 4
    assert s.survival_probability(1.0, 0.0) == pytest.approx(vac, abs=1e-6)
    assert vac == pytest.approx(0.553, abs=1e-3)   # reference-values §6.3


@pytest.mark.parametrize("src,E,ref,tol", [
    ("pp", 270.0, 0.547, 0.002), ("Be7", 861.8, 0.529, 0.002), ("Be7", 384.3, 0.543, 0.002),
    # pep and 8B: the reference used n_e/N_A = 60-100 by hand; the production-zone average
    # of B16 (mean n_e/N_A 67 for pep, 88 for 8B) moves them by up to 0.015.
    ("pep", 1442.2, 0.511, 0.010), ("B8", 6000.0, 0.354, 0.020), ("B8", 10000.0, 0.315, 0.010)])
def test_survival_probability_reference_values(src, E, ref, tol):
    assert float(s.survival_probability_solar(E, src)) == pytest.approx(ref, abs=tol)


def test_mass_state_fractions_reproduce_pee():
    p = s.OscillationParameters.nufit52()
    t12, t13 = math.radians(p.theta12_deg), math.radians(p.theta13_deg)
    Ue = np.array([math.cos(t12) * math.cos(t13), math.sin(t12) * math.cos(t13), math.sin(t13)]) ** 2
    E = np.array([100.0, 862.0, 5000.0])
    P = s.mass_state_fractions(E, 80.0)
    assert np.allclose(P.sum(axis=0), 1.0)
    assert np.allclose(np.tensordot(Ue, P, axes=(0, 0)), s.survival_probability(E, 80.0), atol=1e-12)


def test_effective_moment():
    E = np.array([300.0, 862.0])
    mu = 3e-11
    assert np.allclose(s.effective_moment_squared(E, "pp", mu * np.eye(3)), mu**2, rtol=1e-12)
    only1 = np.zeros((3, 3)); only1[0, 0] = mu
    assert np.allclose(s.effective_moment_squared(E, "pp", only1), mu**2 * s.mass_state_fractions_solar(E, "pp")[0])
    with pytest.raises(ValueError, match="shape"):
        s.effective_moment_squared(E, "pp", np.eye(2))


def test_reactor_spectrum_continuous_at_join_and_capture_count():
    for iso in s.REACTOR_ISOTOPES:
        lo = float(s.fission_fragment_spectrum(2000.0 - 1e-9, iso))
        hi = float(s.fission_fragment_spectrum(2000.0, iso))
        assert lo == pytest.approx(hi, rel=1e-9)
    # two beta- decays (239U, 239Np) per capture
    assert integrate.quad(lambda E: float(s.capture_spectrum(E)), 0, 1300, points=[330, 436.5, 1261.6], limit=200)[0] \
        == pytest.approx(2.0, rel=1e-8)


def test_nu_per_fission_vs_quoted_fluxes():
    # reference-values §5.2: the quoted TEXONO and GEMMA fluxes imply 7.07 and 7.11
    # nubar/fission with <E_f> = 203 MeV (phi 4 pi L^2 <E_f>/P). nuatom's spectra give
    # 6.719: 5.4 % fewer, a discrepancy that the inputs do not explain (the 7.1 is known to
    # ~1 %, from the two-digit fluxes). DOCUMENTED-DISCREPANCY PIN: 6 % (was a window
    # 6.4..7.4 stacked on 8 %); a change of the spectra that widens the gap fails.
    m = s.ReactorModel()
    n = s.nu_per_fission(m)
    assert n == pytest.approx(7.1, rel=0.06)
    assert n < 7.1
    assert s.nu_per_fission(m, component="capture") == pytest.approx(2 * 0.6, rel=1e-8)


@pytest.mark.parametrize("power_MW,L_m,quoted", [(2900.0, 28.0, 6.4e12), (3000.0, 13.9, 2.7e13)])
def test_flux_from_power_vs_quoted(power_MW, L_m, quoted):
    # TEXONO (KSNL, 2.9 GW at 28 m) and GEMMA (KNPP, 3 GW at 13.9 m): phi = N P/(4 pi L^2 <E_f>).
    # Our N_nu = 6.719 (vs 7.1, see above) and <E_f> = 205.18 MeV (vs 203) give fluxes 6.0 %
    # and 6.5 % low (measured), as the two ratios predict (0.936 = 6.719/7.1 x 203/205.18);
    # 7 % (was 10 %): the same documented discrepancy as the test above.
    phi = s.reactor_flux_from_power(power_MW, L_m)
    E_f_J = s.mean_energy_per_fission_MeV() * 1e6 * 1.602176634e-19
    assert phi == pytest.approx(s.nu_per_fission() * power_MW * 1e6 / E_f_J / (4 * math.pi * (L_m * 100) ** 2), rel=1e-12)
    assert phi == pytest.approx(quoted, rel=0.07)
    assert phi < quoted


def test_reactor_source_normalisation():
    src = s.reactor_source(flux_cm2_s=6.4e12)
    total = 0.0
    for c in src.continua:
        pts = sorted(set(c.breakpoints_keV) | {c.E_min_keV, c.E_max_keV})
        total += sum(integrate.quad(c.dphi_dE, a, b, limit=200)[0] for a, b in zip(pts[:-1], pts[1:]))
    assert total == pytest.approx(6.4e12, rel=1e-7)
    assert src.total_flux_cm2_s == pytest.approx(6.4e12)
    with pytest.raises(ValueError, match="not both"):
        s.reactor_source(flux_cm2_s=1e12, power_MW=3000.0, distance_m=20.0)
    with pytest.raises(ValueError, match="distance_m"):
        s.reactor_source(power_MW=3000.0, distance_m=-1.0)


def test_reactor_input_validation():
    with pytest.raises(ValueError, match="isotope"):
        s.huber_mueller_spectrum(3000.0, "Th232")
    with pytest.raises(ValueError, match="E_nu_keV"):
        s.fission_fragment_spectrum(-1.0, "U235")
    with pytest.raises(ValueError, match="sum to 1"):
        s.ReactorModel((("U235", 0.5),)).fractions()
