"""Continuum orbitals: exact Coulomb waves, orthogonality, smoothness of phase shifts."""
import numpy as np
import pytest

import nuatom
from nuatom.oracles import coulomb_continuum_radial_function
from nuatom.continuum.solver import ContinuumOptions, ContinuumSolver


@pytest.fixture(scope="module")
def hydrogen():
    return nuatom.atom("H", relativistic=False, nucleus="point")


@pytest.mark.parametrize("energy", [1e-3, 0.1, 1.0, 30.0, 500.0])
@pytest.mark.parametrize("kappa", [-1, 1, -3])
def test_pure_coulomb_continuum_is_exact(hydrogen, energy, kappa):
    # with the 1s hole the electron sees a bare proton: the orbital must be the energy-
    # normalised regular Coulomb function (analytic: mpmath.coulombf)
    sol = ContinuumSolver(hydrogen, hole="1s")
    c = sol.solve(energy, kappa)
    l = kappa if kappa > 0 else -kappa - 1
    r = c.grid.r
    idx = np.nonzero((r > 0.01) & (r < 15))[0][::200]
    ref = np.array([coulomb_continuum_radial_function(energy, l, x, 1) for x in r[idx]])
    assert np.max(np.abs(c.P[idx] - ref)) < 1e-6 * np.max(np.abs(ref))
    # the phase accumulates the integrator's phase error over ~r k / 2 pi wavelengths
    assert c.phase_shift == pytest.approx(0.0, abs=1e-6)


def test_xe_continuum_orthogonal_and_smooth():
    xe = nuatom.atom("Xe")
    sol = ContinuumSolver(xe, hole="4d_5/2")
    # f_5/2 continuum (kappa = 3) across the 4d -> f shape-resonance region: smooth phase
    deltas = [sol.solve(e, 3).phase_shift for e in np.linspace(2.0, 3.0, 6)]
    c = sol.solve(2.5, 2)  # d_3/2 continuum: orthogonal to the bound 3d_3/2 and 4d_3/2
    for label in ("3d_3/2", "4d_3/2"):
        Pb, Qb = sol.bound_on(c.grid, label)
        ov = c.grid.integrate(Pb * c.P + xe.inv_c2 * Qb * c.Qt)
        assert abs(ov) < 1e-9
    assert np.max(np.abs(np.diff(np.unwrap(2 * np.array(deltas)) / 2))) < 0.1


def test_exchange_phase_shift_is_resolution_independent():
    # regression: matching at the very end of the grid once picked up the transient of
    # the second solution; results must not depend on the integration step
    xe = nuatom.atom("Xe")
    out = []
    for step in (0.1, 0.05):
        sol = ContinuumSolver(xe, hole="3s", options=ContinuumOptions(step_limit=step))
        out.append([sol.solve(e, 1).phase_shift for e in (181.0, 183.0)])
    assert np.allclose(out[0], out[1], atol=1e-6)


def test_bad_energy():
    h = nuatom.atom("H", relativistic=False, nucleus="point")
    with pytest.raises(ValueError, match="energy_hartree"):
        ContinuumSolver(h, hole="1s").solve(-0.1, -1)
    with pytest.raises(ValueError, match="hole"):
        ContinuumSolver(h, hole="2s")


@pytest.mark.parametrize("energy", [0.37, 2.9, 40.0, 430.0])
@pytest.mark.parametrize("kappa", [-1, 4, -30])
def test_irregular_solution_has_constant_wronskian(energy, kappa):
    """The two solutions of the (local) Dirac equation have a constant Wronskian.
    Regression: the irregular solution's start values (separate Coulomb-function calls at
    the last points) could flip sign near a node of F, which breaks W there."""
    xe = nuatom.atom("Xe")
    sol = ContinuumSolver(xe, hole="5p_3/2")
    from nuatom.continuum.solver import momentum_au
    from nuatom.numerics.coulombwave import turning_point
    c2 = xe.inv_c2
    p = momentum_au(energy, c2)
    lam = 0.5 * (-1 + np.sqrt(1 + 4 * (kappa * (kappa + 1) - sol.z_ion**2 * c2)))
    eta = -sol.z_ion * (1 + energy * c2) / p
    fine, V, _, _ = sol.continuum_grid(energy, 60.0 + turning_point(lam, eta) / p)
    P1, Q1 = sol._irregular(fine, V, kappa, energy, lam, eta, p)
    from nuatom.numerics.ode import integrate_outward
    i_first = sol._start_index(fine, kappa, turning_point(lam, eta) / p)
    P0, Q0 = integrate_outward(fine, V, kappa, energy, c2, 0.0, (fine.r[0] * V[0]) / fine.r[0],
                               len(fine) - 1, i_first=i_first)
    W = P0 * Q1 - Q0 * P1
    tail = W[-20:]
    # 1e-6: the start values are Coulomb functions of the asymptotic field, exact to the
    # ~1e-11 short-range tail of the potential; the order-8 integrator adds ~1e-9
    assert np.max(np.abs(tail / W[len(W) // 2] - 1)) < 1e-6


def test_open_shell_hole_spreads_over_the_nl_shell():
    """Ge 4p_1/2 holds 2/3 electron on average: the hole is taken from the whole 4p shell
    in proportion to occupancy (the average ion 4p^1), so the ion has charge exactly 1."""
    ge = nuatom.atom("Ge")
    occ0 = {o.label: o.occupancy for o in ge.orbitals}
    sol = ContinuumSolver(ge, hole="4p_1/2")
    occ = {o.label: q for o, q in zip(sol.orbitals, sol.occupancies)}
    assert sol.z_ion == pytest.approx(1.0, abs=1e-12)
    assert occ["4p_1/2"] == pytest.approx(occ0["4p_1/2"] * 0.5, abs=1e-12)
    assert occ["4p_3/2"] == pytest.approx(occ0["4p_3/2"] * 0.5, abs=1e-12)
    assert occ["4s_1/2"] == occ0["4s_1/2"]
    c = sol.solve(1.0, -2)  # p_3/2 continuum in that field converges
    assert np.isfinite(c.phase_shift)


def test_exchange_iteration_stops_are_within_tolerance():
    """The exchange iteration may stop early after one plain step (the map contracts by
    about its first correction) or after two (the ratio of the two changes bounds what is
    left, a geometric series). Waves that stop early must agree with the same waves iterated
    to 1e-13 within the solver's tolerance 1e-9 of max|P| (measured: below 1e-11), and the
    check must see both early stops, or it tests nothing."""
    xe = nuatom.atom("Xe")
    default = ContinuumSolver(xe, hole="4d_5/2")
    tight = ContinuumSolver(xe, hole="4d_5/2", options=ContinuumOptions(tolerance=1e-13))
    seen = set()
    for energy, kappas in ((3.0, (-1, 3, 14, 30)), (40.0, (2, -25, 40, 60, 90)), (400.0, (40, 100))):
        for kappa in kappas:
            c = default.solve(energy, kappa)
            ref = tight.solve(energy, kappa)
            seen.add(c.iterations)
            scale = np.max(np.abs(ref.P))
            assert np.max(np.abs(c.P - ref.P)) < 1e-9 * scale
            assert abs(c.phase_shift - ref.phase_shift) < 1e-9
    assert {1, 2} <= seen
