"""Bosonic DM absorption from nuatom's photoionization tables: prefactors, the axioelectric
relation, and the Kramers-Kronig self-energy against the TRK sum rule."""
from __future__ import annotations

import math

import numpy as np
import periodictable
import pytest
from scipy import constants as sc

from nuatom.darkmatter import absorption as A

# independent constant path (scipy directly)
ALPHA = sc.fine_structure
ME = sc.physical_constants["electron mass energy equivalent in MeV"][0] * 1e3
HBARC_CM = sc.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e3 * 1e-13


@pytest.mark.parametrize("element", ["Ge", "Xe"])
def test_vacuum_dark_photon_and_alp_prefactors(element):
    m, kappa, g = 2.0, 1e-14, 1e-12
    sigma = float(A.photo_cross_section_cm2(element, m))
    n_T = 1000.0 / periodictable.elements.symbol(element).mass * sc.Avogadro
    flux = n_T * 0.3e6 / m * sc.c * 100 * 86400  # per cm^2 per kg per day
    assert A.dark_photon_rate_per_kg_day(element, m, kappa, in_medium=False) == pytest.approx(
        flux * kappa**2 * sigma, rel=1e-12)
    # axioelectric (Pospelov, Ritz & Voloshin 2008): sigma_ae v / (sigma_pe c) = 3 m^2 g^2/(16 pi alpha m_e^2)
    assert A.alp_rate_per_kg_day(element, m, g) == pytest.approx(
        flux * sigma * 3 * m**2 * g**2 / (16 * math.pi * ALPHA * ME**2), rel=1e-12)


@pytest.mark.parametrize("element", ["Ge", "Xe"])
def test_self_energy_high_frequency_limit(element):
    """Re Pi -> omega_p^2 x (fraction of the TRK sum in the table) as omega grows (the table's
    continuum only: no discrete lines, nothing above 30 keV). At 25 keV the 1/omega^2
    corrections and the table end at 30 keV leave a few per cent; 5 % tolerance."""
    w, s = A._table(element)
    el = periodictable.elements.symbol(element)
    trk = np.trapezoid(s * 1e-24 / HBARC_CM**2, w) / (2 * math.pi**2 * ALPHA * el.number / ME)
    n_e = A.MEDIUM_DENSITY_G_CM3[element] / el.mass * sc.Avogadro * el.number
    wp2 = 4 * math.pi * ALPHA * n_e * HBARC_CM**3 / ME
    Pi = A.self_energy_keV2(element, 25.0)
    assert Pi.real / wp2 == pytest.approx(trk, rel=0.05)
    # Im Pi = -omega n_A sigma (absorption), exactly
    n_A = A.MEDIUM_DENSITY_G_CM3[element] / el.mass * sc.Avogadro
    assert -Pi.imag == pytest.approx(25.0 * n_A * float(A.photo_cross_section_cm2(element, 25.0)) * HBARC_CM, rel=1e-9)
    # far above the plasma frequency the medium does not matter
    r = A.dark_photon_rate_per_kg_day(element, 10.0, 1e-15) / A.dark_photon_rate_per_kg_day(element, 10.0, 1e-15,
                                                                                           in_medium=False)
    assert r == pytest.approx(1.0, abs=1e-3)


def test_bad_inputs():
    with pytest.raises(ValueError, match="m_keV"):
        A.alp_rate_per_kg_day("Xe", -1.0, 1e-12)
    with pytest.raises(ValueError, match="omega_keV"):
        A.photo_cross_section_cm2("Xe", 100.0)
    with pytest.raises(ValueError, match="no packaged"):
        A.photo_cross_section_cm2("Zz", 1.0)
    assert A.alp_rate_per_kg_day("Xe", 0.005, 1e-12) == 0.0  # below the first threshold
