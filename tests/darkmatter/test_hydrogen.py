"""The hydrogen toy model: reduced-mass responses against the closed forms and exact sum rules,
the generic rate integrator against nested adaptive quadrature, and the e/p physics."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from nuatom.darkmatter import hydrogen as H
from nuatom.darkmatter.halo import SHM
from nuatom.oracles import hydrogen_1s_bound_excitation_sum, hydrogen_1s_continuum_response_per_hartree
from nuatom.units import ALPHA, HARTREE_KEV, ME_KEV


def test_closed_form_against_the_oracle():
    # nuatom.oracles has an independent implementation (overflow-safe, threshold limits)
    q = np.geomspace(1e-3, 300, 40)[:, None]
    t = np.concatenate([[0.5], 0.5 + np.geomspace(1e-8, 3e3, 30)])[None, :]
    np.testing.assert_allclose(H.hydrogen_1s_S1_au(q, t), hydrogen_1s_continuum_response_per_hartree(q, t),
                               rtol=1e-12, atol=1e-300)
    assert H.hydrogen_1s_S1_au(1.0, 0.4999) == 0.0


def test_infinite_proton_mass_is_the_static_closed_form():
    T, q = np.array([0.0137, 0.05, 0.3]), np.array([2.0, 5.0, 40.0])
    got = H.hydrogen_response_electron_per_keV(T, q, proton_mass_keV=1e30)
    ref = hydrogen_1s_continuum_response_per_hartree(q / (ALPHA * ME_KEV), T / HARTREE_KEV) / HARTREE_KEV
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_threshold_has_reduced_mass():
    assert H.hydrogen_threshold_keV() == pytest.approx(0.5 * H.MU_EP_KEV * ALPHA**2, rel=1e-15)
    assert H.hydrogen_response_electron_per_keV(0.999 * H.hydrogen_threshold_keV(), 3.0) == 0.0
    assert H.hydrogen_response_electron_per_keV(1.001 * H.hydrogen_threshold_keV(), 3.0) > 0.0


@pytest.mark.parametrize("target,q_keV", [("electron", 6.0), ("proton", 9000.0)])
def test_f_sum_rule_with_reduced_mass(target, q_keV):
    """Sum_f (E_f - E_i)|<f|e^{iQ.r}|1s>|^2 = Q^2/(2 mu) with Q = q mu/m_e (electron) or q mu/m_p
    (proton): a kick q on one particle of the pair. Continuum: adaptive quadrature of our
    response; bound part: the oracle's Rydberg sum for the mu-atom. Measured 1.5e-11 for both
    (the quadrature's epsrel is 1e-12; moving the upper end from 2e6 to 2e8 thresholds changes
    it by 4e-16); asserted 1e-9."""
    mu = H.MU_EP_KEV
    m_t = ME_KEV if target == "electron" else H.MP_KEV
    S = H.hydrogen_response_electron_per_keV if target == "electron" else H.hydrogen_response_proton_per_keV
    I = H.hydrogen_threshold_keV()
    cont = sum(integrate.quad(lambda T: T * S(T, q_keV) * 1.0, a, b, epsrel=1e-12, epsabs=0, limit=400)[0]
               for a, b in [(I, 2 * I), (2 * I, 20 * I), (20 * I, 2e3 * I), (2e3 * I, 2e6 * I)])
    E_mu = mu * ALPHA**2  # the mu-atom's Hartree
    # internal excitation energies are measured from the ground state: T = E_f - E_1s
    bound = E_mu * hydrogen_1s_bound_excitation_sum(q_keV / (ALPHA * m_t), moment=1)
    Q = q_keV * mu / m_t
    assert cont + bound == pytest.approx(Q**2 / (2 * mu), rel=1e-9)


def test_dipole_limit_of_proton_response():
    # small momentum: S ∝ Q^2, so S_p/S_e -> (m_e/m_p)^2 at equal q (same T)
    T = 0.02
    r = H.hydrogen_response_proton_per_keV(T, 1e-3) / H.hydrogen_response_electron_per_keV(T, 1e-3)
    assert r == pytest.approx((ME_KEV / H.MP_KEV) ** 2, rel=1e-6)


def test_rate_integrator_against_nested_quadrature():
    """dR/dT at one T: Gauss-Legendre panels in ln q vs scipy.quad in q (different rule, same formula)."""
    from nuatom.darkmatter.rates import C_KM_S, q_range_keV, v_min_km_s

    m_chi, T = 50e3, 0.030
    got = H.hydrogen_rate_per_atom_day(m_chi, 1.0, T_keV=[T])[0]
    qm, qp = q_range_keV(T, m_chi, SHM, H.M_H_KEV)
    f = lambda q: q * H.hydrogen_response_electron_per_keV(T, q) * SHM.eta_s_per_km(  # noqa: E731
        v_min_km_s(T, q, m_chi, H.M_H_KEV)) * C_KM_S
    ref = integrate.quad(f, qm, qp, epsrel=1e-11, limit=400, points=[math.sqrt(2 * ME_KEV * T)])[0]
    n_chi = 0.3e6 / m_chi
    from nuatom.units import inv_kev2_to_cm2
    from scipy import constants as sc
    ref *= n_chi * inv_kev2_to_cm2(1.0 / (2 * math.pi)) * sc.c * 100 * 86400
    assert got == pytest.approx(ref, rel=1e-6)


def test_kinematic_threshold_exact():
    # no ionization when mu_chiH v_max^2/2 < I: m_chi below ~3.8 MeV gives exactly 0
    from nuatom.darkmatter.rates import C_KM_S
    v = SHM.v_max_km_s / C_KM_S
    mu_min = 2 * H.hydrogen_threshold_keV() / v**2
    m_min = mu_min * H.M_H_KEV / (H.M_H_KEV - mu_min)
    assert H.hydrogen_rate_per_atom_day(0.999 * m_min, 1.0) == 0.0
    assert H.hydrogen_rate_per_atom_day(1.01 * m_min, 1.0) > 0.0


def test_electron_vs_proton_physics():
    # light mediator (1/q^4 favours small q): the electron wins at every mass
    assert np.all(H.hydrogen_ep_ratio([1e4, 1e6], mediator="light") > 10)
    # contact: at 1 GeV the DM can give the proton q ~ MeV, enough to shake the electron off
    # (Q = q mu/m_p ~ alpha m_e), with a phase space q dq the electron kick lacks
    r = H.hydrogen_ep_ratio([1e4, 1e6], mediator="heavy")
    assert r[0] > 1 and r[1] < 1e-2
