"""Continuum orbitals: exact Coulomb waves, orthogonality, smoothness of phase shifts."""
import numpy as np
import pytest

import nuatom
from nuatom.analytic import coulomb_continuum_radial_function
from nuatom.continuum import ContinuumOptions, ContinuumSolver


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
