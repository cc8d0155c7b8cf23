"""The f-sum rank by rank (nuatom.response.sumrules.rank_fsum, kinetic_fsum_per_rank_keV).

Independent references: the identity sum_J (2J+1)[j_J'^2 + J(J+1) j_J^2/x^2] = 1 (so the
ranks add up to Zq^2/2m, fsum_target_keV), scipy quadrature of the exact hydrogen density,
and Thouless's theorem (Nucl. Phys. 22, 78 (1961)): an RPA built on the Hartree-Fock ground
state exhausts the kinetic double commutator of every one-body operator, which the
frozen core misses by its non-local exchange."""
import math

import numpy as np
import pytest
from scipy import integrate
from scipy.special import spherical_jn

import nuatom
from nuatom.response import sumrules as sr
from nuatom.units import HARTREE_KEV, ME_KEV, MOMENTUM_AU_KEV


@pytest.mark.parametrize("element", ["He", "Ne"])
def test_ranks_add_up_to_the_bethe_sum(element):
    # sum_J K_J = Z q^2/2m at q = 0.5, 3 bohr^-1 with J <= 40 (the ranks above carry
    # < 1e-12 there); 1e-6: the refined grid's quadrature (measured 3e-9 He).
    atom = nuatom.atom(element)
    q = np.array([0.5, 3.0]) * MOMENTUM_AU_KEV
    K = sum(sr.kinetic_fsum_per_rank_keV(atom, q, J) for J in range(41))
    # the many-rank path that rank_fsum uses gives the same numbers
    assert np.array_equal(sr._kinetic_fsum_ranks_keV(atom, q, (0, 7))[1], sr.kinetic_fsum_per_rank_keV(atom, q, 7))
    assert np.all(np.abs(K / sr.fsum_target_keV(atom.Z, q) - 1) < 1e-6)


@pytest.mark.parametrize("J", [0, 1, 2, 5])
def test_kinetic_rank_sum_of_hydrogen_against_quadrature(J):
    # Exact 1s density 4 r^2 e^{-2r} integrated by scipy.quad against the SCF orbital on the
    # atom's grid: 1e-6 relative (the SCF orbital is good to ~2e-7), or 1e-9 of the whole
    # Bethe sum q^2/2 for ranks that carry almost none of it (J = 5 at q = 0.3 is 4e-6 of
    # it and lives in the orbital's far tail: measured 5e-6 relative, 1e-11 of the sum).
    hydrogen = nuatom.atom("H", relativistic=False, nucleus="point")
    for q_au in (0.3, 2.0, 7.0):
        def integrand(r):
            x = q_au * r
            return 4 * r * r * math.exp(-2 * r) * (q_au**2 * spherical_jn(J, x, derivative=True) ** 2
                                                  + J * (J + 1) * spherical_jn(J, x) ** 2 / (r * r))
        exact = 0.5 * (2 * J + 1) * integrate.quad(integrand, 0, 60, limit=400, epsabs=0, epsrel=1e-12)[0]
        got = sr.kinetic_fsum_per_rank_keV(hydrogen, [q_au * MOMENTUM_AU_KEV], J)[0] / HARTREE_KEV
        assert got == pytest.approx(exact, rel=1e-6, abs=1e-9 * q_au**2 / 2)


@pytest.fixture(scope="module")
def helium_ranks():
    # q = 5 bohr^-1 (18.7 keV/c, three times the 1s momentum scale); ~30 s on one core
    return sr.rank_fsum(nuatom.atom("He"), [5.0 * MOMENTUM_AU_KEV], range(4), progress=False)


@pytest.mark.slow
def test_rpa_satisfies_the_fsum_rank_by_rank(helium_ranks):
    # Thouless: RPA f-sum of rank J = K_J. What remains: the free positive-energy factor m/E
    # (divided out), relativistic binding -5/6 <p^2>/m^2 = -1.3e-4 per He electron, and the RPA's discrete
    # excitations below threshold, which the continuum integral leaves out (hydrogenic
    # estimate 2.4e-4 of the whole sum at q = 3 Z_eff, more for some ranks). 1e-3 bounds
    # them (measured 4.9e-4 at J = 0, 1-2e-4 at J = 1-3).
    res = helium_ranks
    free = ME_KEV / math.hypot(ME_KEV, float(res.q_keV[0]))
    assert np.all(np.abs(res.rpa_ratio[:, 0] / free - 1) < 1e-3)
    assert np.all(res.tail_fraction["rpa"] < 1e-3)


@pytest.mark.slow
def test_frozen_core_misses_it_by_the_exchange_term(helium_ranks):
    # The frozen core (V^N, the RPA's static Hamiltonian) exceeds K_J by 7-12 % per rank
    # (measured 1.124, 1.096, 1.081, 1.070): the non-local exchange; > 5 % asserted, so
    # the RPA check above is not passed by an insensitive quantity.
    assert np.all(helium_ranks.frozen_ratio[:, 0] > 1.05)
    assert np.all(np.diff(helium_ranks.frozen_ratio[:, 0]) < 0)


def test_rank_fsum_validates_its_input():
    he = nuatom.atom("He")
    with pytest.raises(ValueError, match="J_values"):
        sr.rank_fsum(he, [10.0], [-1], progress=False)
    with pytest.raises(ValueError, match="q_keV"):
        sr.rank_fsum(he, [0.0], [0], progress=False)
    with pytest.raises(ValueError, match="relativistic"):
        sr.rank_fsum(nuatom.atom("He", relativistic=False), [10.0], [0], progress=False)
    with pytest.raises(ValueError, match="J = -2"):
        sr.kinetic_fsum_per_rank_keV(he, [10.0], -2)


def test_relativistic_binding_factor_of_the_fsum():
    """The binding correction quoted in benchmarks/bench_rpa_fsum.py (and used above for He):
    a free Dirac electron of momentum p, its charge response at momentum transfer q averaged
    over the directions of p, has the f-sum q^2/(2E_q) [1 - (5/6)(p^2/m^2)(1 + 2q^2/5m^2)/(1 +
    q^2/m^2)^2 + O(p^4)]. Derived here with sympy from the spinor trace
    (E E' + p.p' + m^2)/(2 E E') times the energy transfer E' - E, p' = p + q."""
    import sympy as sp

    p, q, m, eps = sp.symbols("p q m epsilon", positive=True)
    c = sp.symbols("c", real=True)
    E = sp.sqrt(m**2 + (eps * p) ** 2)
    E_out = sp.sqrt(m**2 + (eps * p) ** 2 + q**2 + 2 * eps * p * q * c)
    weight = (E * E_out + (eps * p) ** 2 + eps * p * q * c + m**2) / (2 * E * E_out)
    series = sp.series((E_out - E) * weight, eps, 0, 3).removeO()
    averaged = sp.integrate(series, (c, -1, 1)) / 2
    ratio = averaged.subs(eps, 1) / (q**2 / (2 * sp.sqrt(m**2 + q**2)))
    quoted = 1 - sp.Rational(5, 6) * p**2 / m**2 * (1 + 2 * q**2 / (5 * m**2)) / (1 + q**2 / m**2) ** 2
    assert sp.simplify(ratio - quoted) == 0
