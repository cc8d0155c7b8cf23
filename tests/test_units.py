"""nuatom.units against published constants and against relations between them.

Published values: CODATA 2018/2022 (as quoted by the PDG "Physical constants" table) and
the PDG value of G_F. The tolerances are set by the number of digits quoted here (half a
unit in the last digit) or, for the relations, by the internal consistency of CODATA
(~1e-10), never by what the module happens to return.
"""
from __future__ import annotations

import math

import pytest
from scipy import constants as sc

from nuatom import units as u


@pytest.mark.parametrize(
    ("value", "reference", "rtol"),
    [
        # α = 1/137.035999084 (CODATA 2018) or 1/137.035999177 (2022): 1e-8 covers both editions.
        (lambda: u.ALPHA, 1 / 137.035999, 1e-8),
        # m_e c² = 0.51099895000 MeV (2018) / 0.51099895069 MeV (2022).
        (lambda: u.ME_KEV, 510.99895, 2e-9),
        # G_F/(ħc)³ = 1.1663787(6)e-5 GeV⁻² (PDG, muon lifetime).
        (lambda: u.GF_GEV, 1.1663787e-5, 1e-7),
        (lambda: u.GF_KEV, 1.1663787e-17, 1e-7),      # 1 GeV⁻² = 1e-12 keV⁻²
        # ħc = 197.3269804 MeV fm = 1.973269804e-8 keV cm (exact since the 2019 SI).
        (lambda: u.HBARC_KEV_CM, 1.973269804e-8, 1e-9),
        # (ħc)² = 0.38937937 GeV² mb = 3.8937937e-16 keV² cm² (1 GeV² mb = 1e12 keV² · 1e-27 cm²).
        (lambda: u.HBARC_KEV_CM_SQ, 3.8937937e-16, 1e-7),
        # 1 Hartree = 27.211386 eV; 1 a.u. of momentum = α m_e c = 3.72894 keV/c.
        (lambda: u.HARTREE_EV, 27.211386, 1e-8),
        (lambda: u.MOMENTUM_AU_KEV, 3.72894, 2e-6),
        # a₀ = 0.529177210903 Å = 5.29177210903e-9 cm; r_e = 2.8179403262e-13 cm (2018),
        # 2.8179403205e-13 cm (2022): 3e-9 covers both editions.
        (lambda: u.BOHR_CM, 5.29177210903e-9, 1e-9),
        (lambda: u.R_E_CM, 2.8179403262e-13, 3e-9),
        # W mass, PDG 2022: 80.377(12) GeV.
        (lambda: u.MW_KEV, 80.377e6, 1e-12),
        # Low-energy weak mixing angle, MS-bar at q² -> 0 (PDG 2022 EW review): 0.23857(5).
        (lambda: u.SIN2_THETA_W, 0.23857, 1e-12),
    ],
    ids=["alpha", "m_e", "G_F GeV", "G_F keV", "hbar c", "(hbar c)^2", "Hartree", "p_au", "a0",
         "r_e", "M_W", "sin2"],
)
def test_published_values(value, reference, rtol):
    assert value() == pytest.approx(reference, rel=rtol)


def test_atomic_units_are_consistent_with_alpha_and_m_e():
    # Hartree = α² m_e c²; a₀ = ħc/(α m_e c²); r_e = α ħc/(m_e c²). CODATA adjusts all of
    # them together, so they agree to its internal consistency (~1e-10).
    assert u.HARTREE_KEV == pytest.approx(u.ALPHA**2 * u.ME_KEV, rel=1e-9)
    assert u.BOHR_CM == pytest.approx(u.HBARC_KEV_CM / (u.ALPHA * u.ME_KEV), rel=1e-9)
    assert u.R_E_CM == pytest.approx(u.ALPHA * u.HBARC_KEV_CM / u.ME_KEV, rel=1e-9)
    assert u.BOHR_FM == pytest.approx(u.BOHR_CM * 1e13, rel=1e-14)
    assert u.C_AU == pytest.approx(137.035999, rel=1e-8)


def test_hbarc_from_si_constants():
    # ħc from the SI definitions (ħ, c, e exact since 2019), a route independent of the
    # CODATA "ħc in MeV fm" entry that units.py reads: J·m -> keV·cm.
    hbarc_kev_cm = sc.hbar * sc.c / (sc.e * 1e3) * 1e2
    assert u.HBARC_KEV_CM == pytest.approx(hbarc_kev_cm, rel=1e-12)


def test_bohr_magneton_heaviside_lorentz():
    # μ_B = e/(2 m_e) with e = √(4πα) (Heaviside–Lorentz natural units), so μ_B² = πα/m_e²
    # (reference-values §1.1). Voloshin's Eq. (1), written with e² = α, reads 4πα μ_ν² instead;
    # both give πα²/m_e² (μ_ν/μ_B)² for the magnetic cross section.
    assert u.MU_B_KEV**2 == pytest.approx(math.pi * u.ALPHA / u.ME_KEV**2, rel=1e-14)


def test_conversions_round_trip_and_scale():
    assert u.kev_to_hartree(u.HARTREE_KEV) == pytest.approx(1.0, rel=1e-15)
    assert u.hartree_to_kev(u.kev_to_hartree(12.34)) == pytest.approx(12.34, rel=1e-15)
    # 1 bohr⁻¹ = α m_e = 3.72894 keV
    assert u.q_kev_to_au(3.72894) == pytest.approx(1.0, rel=2e-6)
    assert u.q_au_to_kev(u.q_kev_to_au(7.5)) == pytest.approx(7.5, rel=1e-15)
    # 1 keV⁻² = (ħc)² = 3.8937937e-16 cm²
    assert u.inv_kev2_to_cm2(1.0) == pytest.approx(3.8937937e-16, rel=1e-7)
    # a₀ = 52917.72 fm
    assert u.fm_to_bohr(52917.72109) == pytest.approx(1.0, rel=1e-9)
    assert u.BARN_CM2 == 1e-24
    assert u.N_A == pytest.approx(6.02214076e23, rel=1e-15)   # exact in the 2019 SI
