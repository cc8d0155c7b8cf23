"""Free-electron and bound-electron kinematics (nuatom.neutrino.kinematics).

Hand-derived values use m_e = 510.999 keV; the tolerance is half a unit in the last digit
given. Relations between functions are checked to rounding (1e-12).
"""
from __future__ import annotations

import numpy as np
import pytest

from nuatom.neutrino import kinematics as kin
from nuatom.units import ME_KEV


@pytest.mark.chapter
@pytest.mark.parametrize(
    ("E_keV", "T_max_keV", "rtol"),
    [
        # 2 E²/(m_e + 2E) = 2e6/2510.999 = 796.4957 keV (reference-values §2, printed in the chapter)
        (1000.0, 796.50, 7e-6),
        # 2·300²/(510.999 + 600) = 180000/1110.999 = 162.0164 keV (chapter)
        (300.0, 162.02, 4e-5),
        # pp end point 420 keV: 352800/1350.999 = 261.140 keV; 7Be 862 keV: 664.917 keV
        (420.0, 261.14, 2e-5),
        (862.0, 664.92, 8e-6),
        # 3 MeV: 1.8e7/6510.999 = 2764.55 keV
        (3000.0, 2764.55, 2e-6),
    ],
)
def test_t_max_hand_values(E_keV, T_max_keV, rtol):
    assert kin.t_max_free_keV(E_keV) == pytest.approx(T_max_keV, rel=rtol)


@pytest.mark.chapter
@pytest.mark.parametrize(
    ("T_keV", "E_min_keV"),
    [
        # [T + √(T² + 2 m_e T)]/2 = [1 + √1022.998]/2 = (1 + 31.9843)/2 = 16.4922 keV
        (1.0, 16.4922),
        # [10 + √(100 + 10219.98)]/2 = (10 + 101.5873)/2 = 55.7936 keV
        (10.0, 55.7936),
    ],
)
def test_e_nu_min_hand_values(T_keV, E_min_keV):
    assert kin.e_nu_min_free_keV(T_keV) == pytest.approx(E_min_keV, rel=5e-6)


def test_e_min_inverts_t_max():
    T = np.geomspace(1e-3, 1e4, 50)
    assert kin.t_max_free_keV(kin.e_nu_min_free_keV(T)) == pytest.approx(T, rel=1e-12)


def test_t_max_limits():
    # E ≪ m_e: T_max -> 2E²/m_e; E ≫ m_e: T_max -> E - m_e/2 + O(m_e²/E)
    assert kin.t_max_free_keV(1e-3) == pytest.approx(2e-6 / ME_KEV, rel=1e-5)
    E = 1e9
    assert kin.t_max_free_keV(E) == pytest.approx(E - ME_KEV / 2, rel=1e-12)
    assert kin.t_max_free_keV(0.0) == 0.0


def test_free_recoil_momentum_fits_bound_q_range_exactly_below_t_max():
    # A free electron at rest receiving T carries |q|² = (T + m_e)² - m_e² = T² + 2 m_e T.
    # It is reachable iff |q| <= q_max = 2E - T, which must be the same statement as T <= T_max.
    E = 1000.0
    T_max = float(kin.t_max_free_keV(E))
    for T, reachable in ((T_max * (1 - 1e-9), True), (T_max * (1 + 1e-9), False), (10.0, True)):
        q_min, q_max = kin.q_range_keV(E, T)
        q_free = np.sqrt(T**2 + 2 * ME_KEV * T)
        assert (q_min <= q_free <= q_max) == reachable


def test_q_range_and_angle():
    q_min, q_max = kin.q_range_keV(100.0, 10.0)
    assert (q_min, q_max) == (pytest.approx(10.0), pytest.approx(190.0))   # T and 2E - T
    # forward scattering at q_min, backward at q_max
    assert kin.cos_theta_from_q(100.0, 10.0, q_min) == pytest.approx(1.0, abs=1e-14)
    assert kin.cos_theta_from_q(100.0, 10.0, q_max) == pytest.approx(-1.0, abs=1e-14)
    # On a free electron the angle is fixed: cos θ = 1 - m_e T/[E (E - T)] (derived in the chapter)
    E, T = 1000.0, 50.0
    q_free = np.sqrt(T**2 + 2 * ME_KEV * T)
    assert kin.cos_theta_from_q(E, T, q_free) == pytest.approx(1 - ME_KEV * T / (E * (E - T)), rel=1e-13)


def test_q2_free():
    # q² = -2 m_e T: -1021.998 keV² at T = 1 keV
    assert kin.q2_free_keV2(1.0) == pytest.approx(-1021.998, rel=1e-6)
    # q² = T² - |q|² with |q|² = T² + 2 m_e T
    T = np.array([0.5, 5.0, 50.0])
    assert kin.q2_free_keV2(T) == pytest.approx(T**2 - (T**2 + 2 * ME_KEV * T), rel=1e-12)


def test_broadcasting():
    E = np.array([100.0, 1000.0])[:, None]
    T = np.array([1.0, 10.0, 50.0])
    q_min, q_max = kin.q_range_keV(E, T)
    assert q_min.shape == q_max.shape == (2, 3)
    assert q_max[1, 2] == pytest.approx(1950.0)
    assert kin.t_max_free_keV(np.ones((2, 3))).shape == (2, 3)


@pytest.mark.parametrize("bad", [-1.0, np.nan, [1.0, -2.0]])
def test_bad_input_raises(bad):
    with pytest.raises(ValueError, match="E_nu_keV"):
        kin.t_max_free_keV(bad)
    with pytest.raises(ValueError, match="T_keV"):
        kin.e_nu_min_free_keV(bad)
    with pytest.raises(ValueError, match="T_keV"):
        kin.q2_free_keV2(bad)


def test_q_range_rejects_transfer_above_neutrino_energy():
    with pytest.raises(ValueError, match="T_keV"):
        kin.q_range_keV(10.0, 11.0)
