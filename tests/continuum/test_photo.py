"""Photoionization: exact hydrogen results, current conservation, Chantler/Henke data."""
import math

import numpy as np
import pytest

import nuatom
from nuatom.oracles import hydrogen_1s_photoionization_cm2
from nuatom.continuum.solver import ContinuumSolver
from nuatom.structure.dirac import LocalPotential, solve_bound
from nuatom.continuum.multipoles import bessel_table, multipole_radial
from nuatom.continuum.photoionization import photoionization
from nuatom.units import ALPHA, BARN_CM2, C_AU, HARTREE_KEV

OMEGA_HARTREE = np.array([0.5000001, 0.55, 1.0, 3.0, 10.0, 100.0])


@pytest.mark.parametrize("gauge", ["velocity", "length"])
def test_hydrogen_stobbe(gauge):
    # Issue acceptance: within 1e-4 of the exact non-relativistic dipole (Stobbe) cross
    # section, threshold value 6.304e-18 cm^2 (nuatom.oracles, checked against mpmath)
    h = nuatom.atom("H", relativistic=False, nucleus="point")
    r = photoionization(h, OMEGA_HARTREE * HARTREE_KEV, method="dhf", gauge=gauge, only_e1=True, long_wavelength=True)
    ref = np.array([hydrogen_1s_photoionization_cm2(w) for w in OMEGA_HARTREE]) / BARN_CM2
    assert np.max(np.abs(r.sigma_barn / ref - 1)) < 1e-4
    assert r.sigma_barn[0] * BARN_CM2 == pytest.approx(6.304e-18, rel=1e-3)


def test_relativistic_hydrogen_close_to_stobbe():
    # relativistic corrections for Z = 1 are O(alpha^2) ~ 5e-5: a normalisation error
    # of the Dirac continuum would show here
    h = nuatom.atom("H", nucleus="point")
    w = np.array([0.6, 2.0])
    r = photoionization(h, w * HARTREE_KEV, method="dhf", only_e1=True, long_wavelength=True)
    ref = np.array([hydrogen_1s_photoionization_cm2(x) for x in w]) / BARN_CM2
    assert np.max(np.abs(r.sigma_barn / ref - 1)) < 3e-4


def test_current_conservation_local_potential():
    # q L_J = -(omega/c) C_J exactly for a local potential (continuity equation)
    h = nuatom.atom("H", nucleus="point")
    sol = ContinuumSolver(h, hole="1s")
    o = h.orbital("1s")
    for omega in (0.7, 3.0):
        for kp, J in ((1, 1), (-2, 1), (2, 2), (-3, 2)):
            c = sol.solve(omega + o.energy_hartree, kp)
            Pb, Qb = sol.bound_on(c.grid, "1s")
            for q in (omega / C_AU, 0.5, 3.0):
                B = bessel_table(J + 1, [q], c.grid.r)
                C = multipole_radial("C", J, kp, -1, c.P, c.Qt, Pb, Qb, c.grid.weights, B, h.inv_c2)[0]
                L = multipole_radial("L", J, kp, -1, c.P, c.Qt, Pb, Qb, c.grid.weights, B, h.inv_c2)[0]
                assert q * L == pytest.approx(-(omega / C_AU) * C, rel=1e-6)


def test_bound_bound_oscillator_strength():
    # hydrogen 1s -> np oscillator strength f = 2^8 n^5 (n-1)^(2n-4) / (3 (n+1)^(2n+4))
    # (Bethe & Salpeter 1957), n = 2: 8192/19683, from the E1 operator at q -> 0 with
    # f = 4 pi/(alpha^2 omega) * sum_kappa' |<2p||E1||1s>|^2 / (2 j_1s + 1)
    h = nuatom.atom("H", relativistic=False, nucleus="point")
    g = h.grid
    pot = LocalPotential(h.nuclear_potential_hartree, 1.0)
    o = h.orbital("1s")
    total = 0.0
    for kp in (1, -2):
        e2p, P2, Q2 = solve_bound(g, pot, 2, kp, 0.0)
        omega = e2p - o.energy_hartree
        B = bessel_table(2, [1e-9], g.r)
        me = multipole_radial("E", 1, kp, -1, P2, Q2, o.P, o.Qt, g.weights, B, 0.0)[0]
        total += abs(me) ** 2
    f = 4 * math.pi / (ALPHA**2 * omega) * total / 2
    assert f == pytest.approx(8192 / 19683, rel=1e-6)


def test_photo_input_validation():
    h = nuatom.atom("H", relativistic=False, nucleus="point")
    with pytest.raises(ValueError, match="omega_keV"):
        photoionization(h, [-1.0])
    with pytest.raises(ValueError, match="gauge"):
        photoionization(h, [1.0], gauge="coulomb")
    # below threshold: zero, not NaN, for both methods
    assert photoionization(h, [0.001], method="dhf").sigma_barn[0] == 0.0
    assert photoionization(nuatom.atom("H", nucleus="point"), [0.001]).sigma_barn[0] == 0.0
    # the default method, RPA, needs a relativistic atom and says which method does not
    with pytest.raises(ValueError, match="method='dhf' handles non-relativistic"):
        photoionization(h, [0.1])
