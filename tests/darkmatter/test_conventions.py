"""σ̄_e and the seed's couplings, millicharge, and the |f_ion|² / W1 / K conversions."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import constants as sc

from nuatom.darkmatter import conventions as cv

# independent constant path: scipy.constants directly, not nuatom.units
ALPHA = sc.fine_structure
ME = sc.physical_constants["electron mass energy equivalent in MeV"][0] * 1e3
HBARC_CM = sc.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e3 * 1e-13


def test_q_ref():
    assert cv.Q_REF_KEV == pytest.approx(ALPHA * ME, rel=1e-14)
    assert cv.Q_REF_KEV == pytest.approx(3.7289, abs=5e-5)  # alpha m_e = 3.7289 keV


def test_dark_photon_heavy_and_light():
    # Essig, Mardon & Volansky (2012): sigma_e = 16 pi alpha alpha_D eps^2 mu^2 / (m_A'^2 + (alpha m_e)^2)^2
    eps, aD, m_chi, mA = 1e-4, 0.5, 50e3, 100e3  # keV
    mu = m_chi * ME / (m_chi + ME)
    g2 = 4 * math.pi * aD * 4 * math.pi * ALPHA * eps**2
    heavy = 16 * math.pi * ALPHA * aD * eps**2 * mu**2 / mA**4 * HBARC_CM**2
    assert cv.sigma_e_from_c1_cm2(math.sqrt(g2) / mA**2, m_chi) == pytest.approx(heavy, rel=1e-12)
    light = 16 * math.pi * ALPHA * aD * eps**2 * mu**2 / (ALPHA * ME) ** 4 * HBARC_CM**2
    assert cv.sigma_e_from_d1_cm2(math.sqrt(g2), m_chi) == pytest.approx(light, rel=1e-12)


@pytest.mark.parametrize("m_chi", [1e3, 1e5, 1e7])
def test_round_trips(m_chi):
    s = 1e-37
    assert cv.sigma_e_from_c1_cm2(cv.c1_from_sigma_e_per_keV2(s, m_chi), m_chi) == pytest.approx(s, rel=1e-13)
    assert cv.sigma_e_from_d1_cm2(cv.d1_from_sigma_e(s, m_chi), m_chi) == pytest.approx(s, rel=1e-13)
    eps = cv.epsilon_from_sigma_e_millicharge(s, m_chi)
    assert cv.sigma_e_millicharge_cm2(eps, m_chi) == pytest.approx(s, rel=1e-13)


def test_millicharge_value():
    # 16 pi alpha^2 eps^2 mu^2/(alpha m_e)^4 for eps = 1e-9, m_chi -> inf (mu = m_e)
    expect = 16 * math.pi * ALPHA**2 * 1e-18 * ME**2 / (ALPHA * ME) ** 4 * HBARC_CM**2
    assert cv.sigma_e_millicharge_cm2(1e-9, 1e15) == pytest.approx(expect, rel=1e-9)


def test_f_ion_W1_K_conversions():
    S = np.array([0.0, 1e-3, 2.5, 40.0])
    T = np.array([0.010, 0.020, 0.1, 1.0])
    Eb = 0.012
    f = cv.f_ion_sq_from_S(S, T, Eb)
    assert f[0] == 0.0  # below threshold
    np.testing.assert_allclose(f[1:], 4 * (T[1:] - Eb) * S[1:], rtol=1e-15)
    np.testing.assert_allclose(cv.S_from_f_ion_sq(f, T, Eb)[1:], S[1:], rtol=1e-14)
    np.testing.assert_array_equal(cv.W1_from_S(S, T, Eb), f)
    np.testing.assert_allclose(cv.S_from_K(cv.K_from_S(S)), S, rtol=1e-15)
    assert cv.K_from_S(1.0) == pytest.approx(sc.physical_constants["Hartree energy in eV"][0] * 1e-3, rel=1e-14)


def test_bad_inputs():
    with pytest.raises(ValueError, match="mediator"):
        cv.f_dm_sq(1.0, "medium")
    with pytest.raises(ValueError, match="m_chi_keV"):
        cv.sigma_e_from_c1_cm2(1.0, -1.0)


def test_exported_tables_round_trip(tmp_path):
    """Exported |f_ion|^2 and K convert back to the table's S; every occupied subshell with an
    open channel below 4 keV gets a file, and the reference note states the conventions."""
    from nuatom.darkmatter.export import export_ionization_factors, read_ionization_factors
    from nuatom.darkmatter.tables import charge_response
    paths = export_ionization_factors(tmp_path, "Ge")
    resp = charge_response("Ge")
    assert len(paths) == 1 + sum(bool(np.any(resp.T_keV > b)) for b in resp.binding_keV)
    assert "4 E_e S" in (tmp_path / "REFERENCE.md").read_text()
    d = read_ionization_factors(tmp_path / "Ge_4p_3-2.csv")
    i = resp.subshells.index("4p_3/2")
    Eb = resp.binding_keV[i]
    np.testing.assert_allclose(cv.S_from_f_ion_sq(d["f_ion_sq"], d["T_keV"], Eb), d["S_per_keV"], rtol=1e-9)
    np.testing.assert_allclose(cv.S_from_K(d["K"]), d["S_per_keV"], rtol=1e-9)
    iT = np.searchsorted(resp.T_keV, d["T_keV"][0])
    np.testing.assert_allclose(d["S_per_keV"][: resp.q_keV.size], resp.S_per_keV[i, iT], rtol=1e-9)
