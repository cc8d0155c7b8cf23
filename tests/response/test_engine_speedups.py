"""The response engine's shortcuts change nothing that double precision keeps.

Each shortcut of the frozen-core engine (``benchmarks/bench_response.py`` measures what
they buy) is checked against the computation without it:

* Bessel orders below ``BESSEL_FLOOR`` on a whole r-chunk are left out of the radial
  integrals (:func:`nuatom.numerics.bessel.order_below`);
* all waves of a window are interpolated onto each band grid at once, sharing the
  Lagrange weights (:func:`nuatom.response.engine._waves_on_grid`);
* pool workers keep freed memory for reuse (tested in ``tests/numerics/test_memory.py``).
"""

import numpy as np
import pytest
from scipy.special import spherical_jn

import nuatom
from nuatom.continuum.solver import ContinuumSolver
from nuatom.numerics.bessel import order_below
from nuatom.response import engine as R
from nuatom.units import HARTREE_KEV


@pytest.mark.parametrize("x_max", [0.0, 1e-3, 0.5, 4.0, 30.0, 300.0, 1600.0])
def test_order_cut_is_rigorous(x_max):
    # every order above the cut stays below the floor on the whole [0, x_max] (scipy,
    # 400 points), and the cut order itself reaches it at x_max unless L <= x_max
    floor = 1e-17
    L = order_below(x_max, floor, 2500)
    x = np.linspace(0.0, x_max, 400)
    above = np.array([spherical_jn(L + d, x) for d in range(1, 40)])
    assert np.all(np.abs(above) < floor)
    assert L <= np.floor(x_max) or abs(spherical_jn(L, x_max)) >= floor
    assert order_below(x_max, floor, 3) == min(3, L)


def test_order_cut_rejects_bad_input():
    with pytest.raises(ValueError, match="x_max"):
        order_below(-1.0, 1e-17, 10)
    with pytest.raises(ValueError, match="floor"):
        order_below(1.0, 2.0, 10)


@pytest.fixture(scope="module")
def argon_5_keV():
    ar = nuatom.atom("Ar")
    opts = R.ResponseOptions()
    orb = ar.orbital("3p3/2")
    solver = ContinuumSolver(ar, hole="3p3/2", options=opts.continuum)
    return ar, orb, solver, opts


def test_order_cut_leaves_the_response_unchanged(argon_5_keV, monkeypatch):
    # the whole window with the cut (floor 1e-17) against no cut (floor 1e-300, where
    # j_L underflows anyway): 1e-13 of each sum's largest value (measured: Xe at four
    # energy transfers, 17 subshells, 256 momenta: 6e-16)
    ar, orb, solver, opts = argon_5_keV
    T = 5.0 / HARTREE_KEV
    q = np.geomspace(0.27, 500.0, 60)
    cut = R.window_sums(solver, orb, T, q, 1, 40, opts)
    monkeypatch.setattr(R, "BESSEL_FLOOR", 1e-300)
    full = R.window_sums(solver, orb, T, q, 1, 40, opts)
    scale = np.max(np.abs(full.S), axis=1, keepdims=True)
    scale[scale == 0] = 1.0  # sums that vanish identically (parity) must stay 0
    assert np.max(np.abs(cut.S - full.S) / scale) < 1e-13


def test_waves_on_grid_is_bit_identical(argon_5_keV):
    ar, orb, solver, opts = argon_5_keV
    eps = 0.5 + orb.energy_hartree + 1.0
    waves = [c for kk in range(1, 12) for kp in (-kk, kk) for c in [solver.solve(eps, kp)] if not c.negligible]
    for q_max in (0.5, 50.0):
        grid, _, _ = R.integration_grid(solver, orb, eps, q_max, opts)
        Pa = solver.grid.interpolate_at(orb.P, grid.r)
        Qa = solver.grid.interpolate_at(orb.Qt, grid.r)
        proj = {i: (1e-9, Pa, Qa) for i, c in enumerate(waves) if c.kappa == orb.kappa}
        PQ, starts = R._waves_on_grid(waves, grid, proj)
        P, Q = PQ[:len(waves)], PQ[len(waves):]
        for i, c in enumerate(waves):
            p1, q1, s1 = R._on_grid(c, grid, proj.get(i))
            assert np.array_equal(P[i], p1) and np.array_equal(Q[i], q1) and starts[i] == s1
