"""Free-electron cross sections (nuatom.neutrino.free) against hand-derived numbers and an
algebraically different form of the same physics.

Oracles
-------
* Hand-derived magnitudes (arithmetic in the comments; reference-values §1–2), with
  tolerances of half a unit in the last digit quoted.
* The chiral form of the weak cross section (Vogel & Engel, PRD 39, 3378 (1989);
  Giunti & Studenikin, RMP 87, 531 (2015)): g_L = (g_V+g_A)/2, g_R = (g_V-g_A)/2,
  dσ/dT = (2G_F² m_e/π)[g_L² + g_R²(1-y)² - g_L g_R m_e T/E²], g_L <-> g_R for ν̄,
  evaluated here with constants taken from scipy.constants directly (not nuatom.units).
  Same physics, different algebra and constant path: agreement to 1e-12 is rounding.
* The sign of the photon-exchange shift δg_V = 2√2πα F1(q²)/(G_F q²) is derived in the
  chapter (photon vs Z exchange with one set of Feynman rules); here it is pinned numerically.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import constants as sc

from nuatom.neutrino import free
from nuatom.neutrino.kinematics import t_max_free_keV
from nuatom.neutrino.properties import NeutrinoProperties

# --- constants straight from scipy.constants (independent of nuatom.units) -------------
ALPHA = sc.fine_structure
ME = sc.physical_constants["electron mass energy equivalent in MeV"][0] * 1e3       # keV
GF = sc.physical_constants["Fermi coupling constant"][0] * 1e-12                    # keV^-2
HBARC2 = (sc.hbar * sc.c / (sc.e * 1e3) * 1e2) ** 2                                # keV^2 cm^2
S2 = 0.23857          # sin²θ_W(0), MS-bar (PDG 2022 electroweak review)


def chiral_form(E, T, g_V, g_A, antineutrino):
    """(2G_F² m_e/π)[g_L² + g_R²(1-y)² - g_L g_R m_e T/E²] in cm²/keV; g_L <-> g_R for ν̄."""
    g_L, g_R = (g_V + g_A) / 2, (g_V - g_A) / 2
    if antineutrino:
        g_L, g_R = g_R, g_L
    y = T / E
    return 2 * GF**2 * ME / math.pi * (g_L**2 + g_R**2 * (1 - y) ** 2 - g_L * g_R * ME * T / E**2) * HBARC2


SM = {  # flavour: (g_V, g_A of the neutrino, antineutrino?) with the CC part for electron flavour
    "nue": (0.5 + 2 * S2, 0.5, False), "nuebar": (0.5 + 2 * S2, 0.5, True),
    "numu": (-0.5 + 2 * S2, -0.5, False), "numubar": (-0.5 + 2 * S2, -0.5, True),
    "nutau": (-0.5 + 2 * S2, -0.5, False), "nutaubar": (-0.5 + 2 * S2, -0.5, True),
}


# --- hand-derived magnitudes -------------------------------------------------------------

@pytest.mark.chapter
def test_weak_prefactor():
    # G_F² m_e/2π = (1.1663787e-17 keV⁻²)² · 510.999 keV / 2π = 1.10641e-32 keV⁻³;
    # × (ħc)² = 3.8937937e-16 keV² cm²  ->  4.3081e-48 cm²/keV (reference-values §2)
    assert free.WEAK_PREFACTOR_CM2_PER_KEV == pytest.approx(4.308e-48, rel=1.2e-4)


@pytest.mark.chapter
def test_nmm_prefactor():
    # πα²/m_e² = π (7.2973526e-3)² / (510.999 keV)² = 6.40683e-10 keV⁻² -> × (ħc)² = 2.4947e-25 cm²
    assert free.NMM_PREFACTOR_CM2 == pytest.approx(2.4947e-25, rel=2e-5)


@pytest.mark.chapter
def test_nmm_value_at_1keV():
    # μ_ν = 1e-11 μ_B, T = 1 keV, E ≫ T: 2.4947e-25 cm² · 1e-22 / (1 keV) = 2.49e-47 cm²/keV
    # (Voloshin 2010, Eq. (1))
    assert free.dsigma_dT_nmm(1e7, 1.0, 1e-11) == pytest.approx(2.49e-47, rel=2e-3)


@pytest.mark.chapter
def test_millicharge_value_at_1keV():
    # Leading term 2πα²δ_Q²/(m_e T²): 2π (7.2973526e-3)² / 510.999 keV = 6.5477e-7 keV⁻³;
    # × 1e-24 × (ħc)² / (1 keV)² = 2.5495e-46 cm²/keV (reference-values §2)
    assert free.dsigma_dT_millicharge(1e7, 1.0, 1e-12) == pytest.approx(2.55e-46, rel=2e-3)


@pytest.mark.chapter
def test_charge_radius_shift():
    # √2 π α <r²>/(3 G_F) with <r²> = 1e-32 cm² = 1e-32/3.8937937e-16 keV⁻² = 2.56818e-17 keV⁻²:
    # 4.44288 · 7.2973526e-3 · 2.56818e-17 / (3 · 1.1663787e-17) = 2.3796e-2
    # (Vogel & Engel 1989 form (2/3) M_W² s_W² <r²> at tree level; reference-values §1.4)
    assert free.charge_radius_delta_gV(1e-32) == pytest.approx(2.380e-2, rel=2.1e-4)
    # Linear in <r²>, sign included (a negative <r²> lowers g_V)
    assert free.charge_radius_delta_gV(-3e-32) == pytest.approx(-3 * free.charge_radius_delta_gV(1e-32))


@pytest.mark.chapter
def test_weak_low_T_limit_flavour_factors():
    # T ≪ E: (G_F² m_e/2π)[(g_V+g_A)² + (g_V-g_A)²] = (G_F² m_e/2π)(1 + 4s² + 8s⁴) for ν_e, ν̄_e
    # = 4.3081e-48 · 2.40961 = 1.0381e-47 cm²/keV; (1 - 4s² + 8s⁴) = 0.50097 for ν_μ, ν_τ.
    E, T = 1e7, 1e-2       # y = 1e-9, m_e T/E² = 5e-14: the limit to far below the tolerance
    for flavor in ("nue", "nuebar"):
        assert free.dsigma_dT_weak(E, T, flavor) == pytest.approx(1.0381e-47, rel=1e-4)
        assert free.dsigma_dT_weak(E, T, flavor) / free.WEAK_PREFACTOR_CM2_PER_KEV == pytest.approx(
            1 + 4 * S2 + 8 * S2**2, rel=1e-8)
    for flavor in ("numu", "numubar", "nutau", "nutaubar"):
        assert free.dsigma_dT_weak(E, T, flavor) / free.WEAK_PREFACTOR_CM2_PER_KEV == pytest.approx(
            1 - 4 * S2 + 8 * S2**2, rel=1e-8)


@pytest.mark.chapter
def test_voloshin_printed_number_is_half_the_formula():
    # Voloshin (PRL 105, 201801) Eq. (2) prints ≈5e-48 cm²/keV; the formula gives 1.038e-47,
    # i.e. 2.08× the printed value (discussed in the chapter).
    ratio = free.dsigma_dT_weak(1e7, 1.0, "nuebar") / 5e-48
    assert ratio == pytest.approx(2.08, abs=0.005)


@pytest.mark.chapter
@pytest.mark.parametrize(
    ("flavor", "E_keV", "term", "T_cross_keV"),
    [("nuebar", 1000.0, "nmm", 2.409), ("nuebar", 1000.0, "millicharge", 4.965),
     ("nue", 300.0, "nmm", 2.397), ("nue", 300.0, "millicharge", 4.908)],
)
def test_crossing_points_printed_in_chapter(flavor, E_keV, term, T_cross_keV):
    # T at which μ_ν = 1e-11 μ_B or δ_Q = 1e-12 equals the weak cross section, recomputed here
    # from the chiral form and scipy constants; the chapter prints 4 significant figures.
    from scipy.optimize import brentq

    g_V, g_A, anti = SM[flavor]

    def em(T):
        if term == "nmm":
            return math.pi * ALPHA**2 / ME**2 * 1e-22 * (1 / T - 1 / E_keV) * HBARC2
        return math.pi * ALPHA**2 * 1e-24 / (ME * T**2) * (1 + (1 - T / E_keV) ** 2 - ME * T / E_keV**2) * HBARC2

    T_x = brentq(lambda T: em(T) / chiral_form(E_keV, T, g_V, g_A, anti) - 1, 0.1, 100.0, xtol=1e-10)
    assert T_x == pytest.approx(T_cross_keV, abs=6e-4)


# --- couplings ---------------------------------------------------------------------------

def test_couplings_standard_model():
    # ν_e: g_V = -1/2 + 2s² + 1, g_A = -1/2 + 1 (the seed talk's c_V, c_A); ν_μ: no CC part
    c = free.couplings("nue")
    assert (c.g_V, c.g_A, c.antineutrino) == (pytest.approx(0.5 + 2 * S2), 0.5, False)
    c = free.couplings(NeutrinoProperties("numubar", sin2_theta_w=0.25))
    assert (c.g_V, c.g_A, c.antineutrino, c.g_A_signed) == (0.0, -0.5, True, 0.5)
    c = free.couplings(NeutrinoProperties("NuEBar", g_V=0.3, g_A=0.1))      # NSI override, case-insensitive flavour
    assert (c.g_V, c.g_A_signed) == (0.3, -0.1)


# --- the weak formula against the chiral form --------------------------------------------

@pytest.mark.parametrize("flavor", sorted(SM))
def test_weak_matches_chiral_form(flavor):
    g_V, g_A, anti = SM[flavor]
    E = np.array([30.0, 300.0, 1000.0, 8000.0])[:, None]
    T = np.geomspace(1e-3, 7000.0, 80)[None, :]
    ok = T <= t_max_free_keV(E)
    expected = chiral_form(E, T, g_V, g_A, anti)
    got = free.dsigma_dT_weak(E, T, flavor)
    np.testing.assert_allclose(got[ok], expected[ok], rtol=1e-12, atol=0)
    assert np.all(got[~ok] == 0.0)


def test_weak_nsi_and_sin2_overrides():
    E, T = 1000.0, np.array([1.0, 100.0, 500.0])
    np.testing.assert_allclose(free.dsigma_dT_weak(E, T, NeutrinoProperties("nuebar", g_V=0.2, g_A=-0.7)),
                               chiral_form(E, T, 0.2, -0.7, True), rtol=1e-12)
    np.testing.assert_allclose(free.dsigma_dT_weak(E, T, NeutrinoProperties("numu", sin2_theta_w=0.2229)),
                               chiral_form(E, T, -0.5 + 2 * 0.2229, -0.5, False), rtol=1e-12)


def test_charge_radius_enters_as_gV_shift():
    E, T = 1000.0, np.array([1.0, 100.0, 500.0])
    r2 = 4.14e-33        # SM ν_e charge radius (Bernabéu et al. 2000), cm²
    dgv = math.sqrt(2) * math.pi * ALPHA * (r2 / HBARC2) / (3 * GF)
    for flavor in ("nue", "nuebar", "numu"):
        g_V, g_A, anti = SM[flavor]
        np.testing.assert_allclose(free.dsigma_dT_weak(E, T, NeutrinoProperties(flavor, r2_cm2=r2)),
                                   chiral_form(E, T, g_V + dgv, g_A, anti), rtol=1e-12)


# --- electromagnetic terms ---------------------------------------------------------------

def test_nmm_shape():
    # πα²μ²/m_e² (1/T - 1/E): exactly 0 at T = E would be outside the range; check the ratio
    E, T = 1000.0, np.array([0.1, 1.0, 10.0, 700.0])
    expected = math.pi * ALPHA**2 / ME**2 * (1e-11) ** 2 * (1 / T - 1 / E) * HBARC2
    np.testing.assert_allclose(free.dsigma_dT_nmm(E, T, 1e-11), expected, rtol=1e-12)
    # flavour does not matter and μ enters squared
    assert free.dsigma_dT("nmm", E, 1.0, NeutrinoProperties("numu", mu_nu_muB=-2e-11)) == pytest.approx(
        4 * free.dsigma_dT_nmm(E, 1.0, 1e-11), rel=1e-14)


def test_millicharge_full_tree_level_and_leading_term():
    # Full: πα²δ²/(m_e T²)[1 + (1-y)² - m_e T/E²]; leading: 2πα²δ²/(m_e T²)[1 - y + y²/2]
    # (reference-values §2; they differ by the m_e T/(2E²) term only).
    E, T, dq = 1000.0, np.array([0.3, 3.0, 30.0, 300.0]), 2e-12
    full = math.pi * ALPHA**2 * dq**2 / (ME * T**2) * (1 + (1 - T / E) ** 2 - ME * T / E**2) * HBARC2
    np.testing.assert_allclose(free.dsigma_dT_millicharge(E, T, dq), full, rtol=1e-12)
    E = 1e7   # m_e T/(2E²) < 2e-9: the two forms agree
    lead = 2 * math.pi * ALPHA**2 * dq**2 / (ME * T**2) * (1 - T / E + (T / E) ** 2 / 2) * HBARC2
    np.testing.assert_allclose(free.dsigma_dT_millicharge(E, T, dq), lead, rtol=1e-8)


def test_millicharge_shift_sign():
    # δg_V = 2√2πα δ_Q/(G_F q²) (derived in the chapter); on a free electron q² = -2 m_e T, so
    # δg_V = -√2πα δ_Q/(G_F m_e T): for δ_Q = 1e-12, T = 1 keV,
    # -4.44288 · 7.2973526e-3 · 1e-12 / (1.1663787e-17 · 510.999) = -5.4397
    assert free.millicharge_delta_gV(1e-12, -2 * ME * 1.0) == pytest.approx(-5.4397, rel=2e-5)
    # A positive neutrino charge (opposite to the electron's) interferes destructively with
    # the ν_e weak amplitude, whose g_V = 1/2 + 2s² > 0: total(+δ) < total(-δ).
    E, T = 1000.0, 5.0
    plus = free.dsigma_dT_total(E, T, NeutrinoProperties("nue", delta_q=1e-13))
    minus = free.dsigma_dT_total(E, T, NeutrinoProperties("nue", delta_q=-1e-13))
    assert plus < minus
    # the whole photon amplitude sits in g_V, so total(±δ) = chiral form with g_V ± |δg_V|
    g_V, g_A, _ = SM["nue"]
    dgv = -math.sqrt(2) * math.pi * ALPHA * 1e-13 / (GF * ME * T)
    expected = chiral_form(E, T, g_V + dgv, g_A, False) - chiral_form(E, T, g_V - dgv, g_A, False)
    assert (plus - minus) == pytest.approx(expected, rel=1e-9)


def test_total_adds_amplitudes_and_nmm():
    E, T = 862.0, np.array([0.5, 5.0, 50.0, 600.0])
    r2, dq, mu = 1e-32, 5e-13, 3e-11
    for flavor in ("nue", "nuebar", "nutau"):
        g_V, g_A, anti = SM[flavor]
        dgv = (math.sqrt(2) * math.pi * ALPHA * (r2 / HBARC2) / (3 * GF)
               - math.sqrt(2) * math.pi * ALPHA * dq / (GF * ME * T))
        expected = (chiral_form(E, T, g_V + dgv, g_A, anti)
                    + math.pi * ALPHA**2 / ME**2 * mu**2 * (1 / T - 1 / E) * HBARC2)
        got = free.dsigma_dT("total", E, T, NeutrinoProperties(flavor, mu_nu_muB=mu, delta_q=dq, r2_cm2=r2))
        np.testing.assert_allclose(got, expected, rtol=1e-11)
    # with no new physics, total == weak
    np.testing.assert_array_equal(free.dsigma_dT("total", E, T, "nue"), free.dsigma_dT_weak(E, T, "nue"))


# --- kinematic range, validation, broadcasting -------------------------------------------

def test_outside_kinematic_range_is_zero_not_nan():
    E = 1000.0
    T_max = float(t_max_free_keV(E))
    T = np.array([0.0, T_max * (1 + 1e-12), 2 * T_max, 1e6])
    for process in free.PROCESSES:
        out = free.dsigma_dT(process, E, T, NeutrinoProperties("nue", mu_nu_muB=1e-11, delta_q=1e-12, r2_cm2=1e-32))
        assert np.all(out == 0.0), process
    # E = 0 (no neutrino) is allowed input and gives 0, not a division by zero
    assert free.dsigma_dT("total", 0.0, 1.0, NeutrinoProperties(mu_nu_muB=1e-11, delta_q=1e-12)) == 0.0
    # just inside T_max the value is finite and positive
    assert 0 < free.dsigma_dT_weak(E, T_max * (1 - 1e-12), "nuebar") < 1e-48


def test_broadcasting_matches_scalar_loop():
    E = np.array([100.0, 1000.0, 3000.0])[:, None]
    T = np.array([0.5, 5.0, 90.0, 1500.0])
    grid = free.dsigma_dT("total", E, T, NeutrinoProperties("nuebar", mu_nu_muB=1e-11, delta_q=1e-12))
    assert grid.shape == (3, 4)
    for i, e in enumerate(E[:, 0]):
        for j, t in enumerate(T):
            assert grid[i, j] == free.dsigma_dT("total", e, t, NeutrinoProperties("nuebar", mu_nu_muB=1e-11, delta_q=1e-12))
    assert np.ndim(free.dsigma_dT_weak(1000.0, 1.0)) == 0
    assert free.dsigma_dT_weak(1000.0, [1.0, 10.0], "nuebar").shape == (2,)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: free.dsigma_dT_weak(-1.0, 1.0), "E_nu_keV"),
        (lambda: free.dsigma_dT_weak(1000.0, np.nan), "T_keV"),
        (lambda: free.dsigma_dT_weak(np.nan, 1.0), "E_nu_keV"),
        (lambda: free.dsigma_dT_nmm(1000.0, [1.0, -1.0], 1e-11), "T_keV"),
        (lambda: free.dsigma_dT_millicharge(-5.0, 1.0, 1e-12), "E_nu_keV"),
        (lambda: free.dsigma_dT_weak(1000.0, 1.0, "nu_sterile"), "flavor"),
        (lambda: free.dsigma_dT("photon", 1000.0, 1.0), "process"),
        (lambda: free.dsigma_dT("nmm", 1000.0, 1.0, NeutrinoProperties("nux", mu_nu_muB=1e-11)), "flavor"),
        (lambda: free.dsigma_dT_weak(1000.0, 1.0, NeutrinoProperties(sin2_theta_w=1.5)), "sin2_theta_w"),
        (lambda: free.dsigma_dT_nmm(1000.0, 1.0, np.inf), "mu_nu_muB"),
        (lambda: free.dsigma_dT_millicharge(1000.0, 1.0, np.nan), "delta_q"),
        (lambda: free.dsigma_dT_weak(1000.0, 1.0, NeutrinoProperties(r2_cm2="big")), "r2_cm2"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
