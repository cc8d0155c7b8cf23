"""Configurations and the angular coefficients of the energy functionals."""
import math

import numpy as np
import pytest

from nuatom.structure.configuration import (average_of_configuration, configuration_label, gamma_k,
                                  ground_configuration, parse_configuration,
                                  relativistic_subshells, two_csf_matrix_coefficients)


def test_parse_and_label():
    shells = parse_configuration("[Ar]3d10.4s2.4p2")
    assert sum(s.electrons for s in shells) == 32
    assert configuration_label(shells) == "[Ar]3d10.4s2.4p2"
    assert configuration_label(parse_configuration(ground_configuration(54))) == "[Kr]4d10.5s2.5p6"
    for bad, msg in [("[Zz]1s2", "core"), ("1x2", "parse"), ("1p2", "l must"), ("2p7", "occupancy"),
                     ("1s2.1s2", "twice")]:
        with pytest.raises(ValueError, match=msg):
            parse_configuration(bad)
    with pytest.raises(ValueError, match="Z = 0"):
        ground_configuration(0)


def test_ground_configurations():
    # NIST ASD ground configurations, including the 3d/4d anomalies
    assert ground_configuration(29) == "[Ar]3d10.4s1"
    assert configuration_label(parse_configuration(ground_configuration(32))) == "[Ar]3d10.4s2.4p2"
    assert configuration_label(parse_configuration(ground_configuration(46))) == "[Kr]4d10"


def test_subshell_occupancies():
    subs = relativistic_subshells(parse_configuration("[Ar]3d10.4s2.4p2"))
    occ = {s.label: s.occupancy for s in subs}
    assert occ["4p_1/2"] == pytest.approx(2 / 3) and occ["4p_3/2"] == pytest.approx(4 / 3)


def test_gamma_closed_shell_sum_rule():
    # sum over the two j subshells of a closed shell l' of (2j'+1) Gamma^k equals the
    # non-relativistic (2l'+1) (l k l'; 0 0 0)^2 -- independent of the j of the electron
    from sympy.physics.wigner import wigner_3j
    for kappa_a in (-1, 1, -2, 2, -3):
        la = kappa_a if kappa_a > 0 else -kappa_a - 1
        for lc in (0, 1, 2):
            kappas = [-1] if lc == 0 else [lc, -(lc + 1)]
            for k in range(0, la + lc + 1):
                jj = sum(2 * abs(kc) * gamma_k(kappa_a, k, kc) for kc in kappas)
                nr = (2 * lc + 1) * float(wigner_3j(la, k, lc, 0, 0, 0)) ** 2
                assert jj == pytest.approx(nr, abs=1e-14)


def test_closed_shell_fock_operator_is_common():
    expr = average_of_configuration(parse_configuration("[He]2s2.2p6"))
    # 1s and 2s (same kappa) share one Fock operator: identical coefficients
    assert expr.fock_coefficients(0) == expr.fock_coefficients(1)
    # the direct potential includes every electron: sum of local coefficients = 10
    assert sum(expr.fock_coefficients(0)[0].values()) == pytest.approx(10.0)


def test_aoc_open_shell_weight():
    # p^2: pair weight N(N-1)/(G(G-1)) = 1/15 per pair of spin-orbitals, so the monopole
    # energy of the open shell is N(N-1)/2 F^0 = 1 F^0 when the radial functions are equal:
    # direct F^0 coefficients plus the k = 0 self-exchange (G^0(a,a) = F^0(a,a)).
    expr = average_of_configuration(parse_configuration("[Ar]3d10.4s2.4p2"))
    open_ = [i for i, s in enumerate(expr.subshells) if s.n == 4 and s.l == 1]
    f0 = sum(v for (a, b), v in expr.direct.items() if a in open_ and b in open_)
    g0 = sum(v for (a, b, k), v in expr.exchange.items() if a == b and a in open_ and k == 0)
    assert f0 + g0 == pytest.approx(1.0)
    # the k = 2 part: -(2/25) F^2, the configuration average of p^2 (Slater)
    g2 = sum(v for (a, b, k), v in expr.exchange.items() if a in open_ and b in open_ and k == 2)
    assert g2 == pytest.approx(-2 / 25)


def test_two_csf_angular_factors_reproduce_LS():
    # p^2 J=0 in jj coupling: H11 = F0, H22 = F0 + F2/5, H12 = (sqrt2/5) F2 (two-electron
    # parts). With equal radial functions (non-relativistic limit) the eigenvalues must
    # be the LS terms 1S0 = F0 + 2F2/5 and 3P0 = F0 - F2/5, and the 3P0 vector
    # (sqrt(2/3), -sqrt(1/3)) (Condon-Shortley; e.g. Grant 2007).
    d1, d2, off = two_csf_matrix_coefficients(1, -2)
    assert d1 == pytest.approx({0: 1.0})
    assert d2 == pytest.approx({0: 1.0, 2: 0.2})
    assert off == pytest.approx({2: math.sqrt(2) / 5})
    F0, F2 = 0.6, 0.3
    H = np.array([[F0, off[2] * F2], [off[2] * F2, F0 + 0.2 * F2]])
    vals, vecs = np.linalg.eigh(H)
    assert vals == pytest.approx([F0 - F2 / 5, F0 + 2 * F2 / 5])
    assert np.abs(vecs[:, 0]) == pytest.approx([math.sqrt(2 / 3), math.sqrt(1 / 3)])


# NIST ASD ground configurations (Kramida et al., NIST Atomic Spectra Database, "Ground
# levels and ionization energies for the neutral atoms"), typed from the NIST table for a
# spread of Z > 54: the Madelung-rule ones (Cs, Eu, Yb, W, Hg, Rn, Ra) do not pass through
# the exception table, the others (La, Ce, Gd, Pt, Au, Th, U) do.
NIST_HEAVY = {55: "[Xe]6s1", 57: "[Xe]5d1.6s2", 58: "[Xe]4f1.5d1.6s2", 63: "[Xe]4f7.6s2",
              64: "[Xe]4f7.5d1.6s2", 70: "[Xe]4f14.6s2", 74: "[Xe]4f14.5d4.6s2",
              78: "[Xe]4f14.5d9.6s1", 79: "[Xe]4f14.5d10.6s1", 80: "[Xe]4f14.5d10.6s2",
              86: "[Xe]4f14.5d10.6s2.6p6", 88: "[Rn]7s2", 90: "[Rn]6d2.7s2",
              92: "[Rn]5f3.6d1.7s2"}


@pytest.mark.parametrize("Z", sorted(NIST_HEAVY))
def test_heavy_ground_configurations(Z):
    assert configuration_label(parse_configuration(ground_configuration(Z))) == \
        configuration_label(parse_configuration(NIST_HEAVY[Z]))


def test_every_z_has_z_electrons():
    from nuatom.structure.configuration import ELEMENT_SYMBOLS
    assert len(ELEMENT_SYMBOLS) == 92 and ELEMENT_SYMBOLS[91] == "U"
    for Z in range(1, 93):
        shells = parse_configuration(ground_configuration(Z))
        assert sum(s.electrons for s in shells) == Z
        assert all(0 < s.electrons <= s.capacity for s in shells)
    with pytest.raises(ValueError, match="Z = 93"):
        ground_configuration(93)
