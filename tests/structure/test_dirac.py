"""Dirac integrator, bound-state solver and Green's function.

References: the exact point-nucleus Dirac energies (nuatom.oracles, itself checked
against mpmath), scipy's solve_ivp (slow, obviously correct) for the integrator, and an
independent finite-difference evaluation of (h - e) for the Green's function.
"""
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from nuatom.oracles import dirac_hydrogenic_energy_hartree
from nuatom.structure.dirac import ConvergenceError, GreenFunction, LocalPotential, h0_apply, solve_bound
from nuatom.numerics.grid import GridSpec, RadialGrid
from nuatom.numerics.ode import am_coefficients, integrate_outward
from nuatom.units import C_AU

INV_C2 = 1.0 / C_AU**2


def test_adams_moulton_coefficients():
    beta = am_coefficients(8)
    assert beta.sum() == pytest.approx(1.0, abs=1e-15)
    # exact for y' = t^6 from t = 0 to 1 with nodes at 1, 0, -1, ..., -6
    nodes = np.arange(1, -7, -1.0)
    # the coefficients come from a float64 solve of the (Vandermonde-like) moment equations:
    # measured 8e-13 relative error on this moment
    assert (beta * nodes**6).sum() == pytest.approx(1.0 / 7.0, rel=1e-11)


def test_outward_integration_matches_solve_ivp():
    # Dirac equation for a screened Coulomb potential at a fixed (non-eigen) energy,
    # integrated from the series start; reference: scipy solve_ivp (DOP853, rtol 1e-13)
    g = RadialGrid(GridSpec(1e-6, 5.0, 3000, 4.0))
    Z, kappa, energy = 20.0, -2, -30.0
    V = -Z * np.exp(-g.r / 3.0) / g.r
    pot = LocalPotential(V, Z)
    w0, w1 = pot.series_coefficients(g.r[0])
    P, Q = integrate_outward(g, V, kappa, energy, INV_C2, w0, w1, len(g) - 1)
    i0 = 50

    def rhs(r, y):
        v = -Z * math.exp(-r / 3.0) / r
        d = energy - v
        return [-kappa / r * y[0] + (2 + d * INV_C2) * y[1], kappa / r * y[1] - d * y[0]]

    sol = solve_ivp(rhs, (g.r[i0], 2.0), [P[i0], Q[i0]], method="DOP853", rtol=1e-13,
                    atol=1e-300, dense_output=True)
    idx = np.nonzero((g.r > g.r[i0]) & (g.r < 2.0))[0]
    ref = sol.sol(g.r[idx])
    assert np.max(np.abs(P[idx] / ref[0] - 1)) < 1e-9


@pytest.mark.parametrize("Z", [1, 26, 54, 92])
def test_hydrogenic_energies_point_nucleus(Z):
    # Issue acceptance: every n <= 5 and kappa, relative error <= 1e-10 (exact formula)
    g = RadialGrid(GridSpec(1e-7, 150.0 if Z == 1 else 600.0 / Z, 4000, 4.0 if Z == 1 else 4.0 / Z))
    pot = LocalPotential(-Z / g.r, Z)
    worst = 0.0
    for n in range(1, 6):
        for l in range(n):
            for kappa in ([-(l + 1), l] if l else [-1]):
                e, P, Q = solve_bound(g, pot, n, kappa, INV_C2)
                exact = float(dirac_hydrogenic_energy_hartree(Z, n, kappa))
                worst = max(worst, abs(e / exact - 1))
                assert P[0] > 0
                assert g.integrate(P * P + INV_C2 * Q * Q) == pytest.approx(1.0, abs=1e-12)
    assert worst < 1e-10


def test_nonrelativistic_limit_hydrogen():
    g = RadialGrid(GridSpec(1e-7, 150.0, 3000, 4.0))
    pot = LocalPotential(-1.0 / g.r, 1.0)
    for n, kappa in [(1, -1), (2, 1), (2, -2), (3, 2), (4, -4)]:
        e, P, _ = solve_bound(g, pot, n, kappa, 0.0)
        assert e == pytest.approx(-0.5 / n**2, rel=1e-11)
    # Q plays no role: the radial function is the Schroedinger one, 2 r e^-r for 1s
    e, P, _ = solve_bound(g, pot, 1, -1, 0.0)
    assert np.max(np.abs(P - 2 * g.r * np.exp(-g.r))) < 1e-10


def test_node_count_selects_state():
    g = RadialGrid(GridSpec(1e-7, 150.0, 2000, 4.0))
    pot = LocalPotential(-1.0 / g.r, 1.0)
    e, P, _ = solve_bound(g, pot, 3, -1, INV_C2)
    sign_changes = np.count_nonzero(np.diff(np.sign(P[np.abs(P) > 1e-12])) != 0)
    assert sign_changes == 2


def test_bad_quantum_numbers():
    g = RadialGrid(GridSpec(1e-7, 50.0, 500, 4.0))
    with pytest.raises(ValueError, match="n = 1 must exceed l = 1"):
        solve_bound(g, LocalPotential(-1 / g.r, 1.0), 1, 1, INV_C2)


def test_convergence_error_reports_residual():
    g = RadialGrid(GridSpec(1e-7, 50.0, 500, 4.0))
    with pytest.raises(ConvergenceError, match="energy correction"):
        solve_bound(g, LocalPotential(-10 / g.r, 10.0), 2, -1, INV_C2, max_iter=2)


@pytest.mark.parametrize("inv_c2", [0.0, INV_C2])
@pytest.mark.parametrize("kappa,energy", [(-1, -30.0), (1, -3.0), (-2, -0.5), (2, -300.0)])
def test_green_function_solves_the_equation(inv_c2, kappa, energy):
    # (h - e) G s = s, checked with an independent order-8 finite-difference h (h0_apply)
    g = RadialGrid(GridSpec(1e-7, 60.0, 3000, 4.0))
    r = g.r
    Z = 10
    v_nuc = -Z / r
    v_el = 8 * (1 - np.exp(-r)) / r
    G = GreenFunction(g, LocalPotential(v_nuc + v_el, Z), kappa, energy, inv_c2)
    sP = r**2 * np.exp(-r)
    sQ = 0.2 * sP
    tP, tQ = G.apply(sP, sQ)
    hP, hQ = h0_apply(g, v_nuc + v_el, kappa, inv_c2, tP, tQ)
    mid = (r > 1e-3) & (r < 20)
    resP = (hP - energy * tP - sP)[mid]
    assert np.max(np.abs(resP)) < 5e-8 * np.max(np.abs(sP))
    if inv_c2:
        resQ = (hQ - energy * tQ - sQ)[mid]
        assert np.max(np.abs(resQ)) < 5e-8 * np.max(np.abs(hQ[mid]))


def test_green_function_is_symmetric():
    # <s1|G s2> = <s2|G s1>: G is the resolvent of a Hermitian operator
    g = RadialGrid(GridSpec(1e-7, 60.0, 2500, 4.0))
    r = g.r
    G = GreenFunction(g, LocalPotential(-18 / r + 15 * (1 - np.exp(-r)) / r, 18.0), -2, -40.0, INV_C2)
    s1 = (r**2 * np.exp(-r), 0.1 * r**2 * np.exp(-2 * r))
    s2 = (r**3 * np.exp(-0.5 * r), -0.3 * r**2 * np.exp(-r))
    a = G.apply(*s2)
    b = G.apply(*s1)
    lhs = g.integrate(s1[0] * a[0] + INV_C2 * s1[1] * a[1])
    rhs = g.integrate(s2[0] * b[0] + INV_C2 * s2[1] * b[1])
    assert lhs == pytest.approx(rhs, rel=1e-10)


def test_eigenfunction_image():
    # for an eigenfunction of V, h0 phi = (e - V_el) phi: consistency of h0_apply
    g = RadialGrid(GridSpec(1e-7, 60.0, 3000, 4.0))
    r = g.r
    v_nuc = -18 / r
    v_el = 15 * (1 - np.exp(-r)) / r
    e, P, Q = solve_bound(g, LocalPotential(v_nuc + v_el, 18.0), 2, -2, INV_C2)
    hP, _ = h0_apply(g, v_nuc, -2, INV_C2, P, Q)
    mid = (r > 1e-4) & (r < 20)
    assert np.max(np.abs(hP - (e - v_el) * P)[mid]) < 1e-7 * np.max(np.abs(v_nuc * P)[mid])


def _apply_as_array_expressions(G, sP, sQ):
    """:meth:`GreenFunction.apply` written with numpy array expressions (the form the
    compiled kernel replaced), for real sources."""
    m, f, n = G.refinement, G.fine, len(G.grid)
    fP = G.grid.interpolate_refined(sP, m, n) if m > 1 else sP
    fQ = G.grid.interpolate_refined(sQ, m, n) if m > 1 else sQ
    c2 = G.inv_c2
    inner_inf = f.damped_cumulative_from_right(G.Pi * fP + c2 * G.Qi * fQ, G.A)
    inner_0 = f.damped_cumulative(G.P0 * fP + c2 * G.Q0 * fQ, G.A)
    factor = -1.0 / G.wronskian
    P = factor * (G.P0 * inner_inf + G.Pi * inner_0)
    Q = factor * (G.Q0 * inner_inf + G.Qi * inner_0)
    return P[::m], Q[::m]


@pytest.mark.parametrize("kappa,energy", [(-1, -30.0), (2, -3.0), (-1, -900.0)])
def test_green_function_kernel_equals_array_expressions(kappa, energy):
    """The compiled apply does the arithmetic of the array expressions in the same order:
    bit-identical for real sources (so self-consistent fields are unchanged), with and
    without grid refinement (the deep level refines); a complex source gives its real and
    imaginary parts' solutions bit for bit (the RRPA's closed channels)."""
    g = RadialGrid(GridSpec(1e-7, 60.0, 2000, 4.0))
    r = g.r
    G = GreenFunction(g, LocalPotential(-30 / r + 20 * (1 - np.exp(-r)) / r, 30.0), kappa, energy, INV_C2)
    sP, sQ = r**2 * np.exp(-r), 0.3 * r * np.exp(-2 * r)
    P, Q = G.apply(sP, sQ)
    rP, rQ = _apply_as_array_expressions(G, sP, sQ)
    assert np.array_equal(P, rP) and np.array_equal(Q, rQ)
    cP, cQ = G.apply(sP + 1j * sQ, sQ - 2j * sP)
    iP, iQ = G.apply(sQ, -2 * sP)
    assert np.array_equal(cP.real, P) and np.array_equal(cP.imag, iP)
    assert np.array_equal(cQ.real, Q) and np.array_equal(cQ.imag, iQ)
    if energy == -900.0:
        assert G.refinement > 1


@pytest.mark.parametrize("kappa,energy", [(-1, -30.0), (2, -3.0), (-1, -900.0)])
def test_vectorized_green_function_equals_the_sliding_one(kappa, energy):
    """The RRPA's vectorized apply (interval integrals formed at once, the running sums of
    both directions and parts advanced together) against the default sliding quadrature on
    complex sources, with and without grid refinement. Tolerance 1e-13 of the largest value:
    the two multiply the same node factors in another order, so they differ by rounding only
    (measured 8e-15 on the Xe RRPA's closed channels, benchmarks/bench_rpa.py)."""
    g = RadialGrid(GridSpec(1e-7, 60.0, 2000, 4.0))
    r = g.r
    pot = LocalPotential(-30 / r + 20 * (1 - np.exp(-r)) / r, 30.0)
    sliding = GreenFunction(g, pot, kappa, energy, INV_C2)
    vectorized = GreenFunction(g, pot, kappa, energy, INV_C2, vectorized=True)
    sP = r**2 * np.exp(-r) + 1j * r * np.exp(-0.5 * r)
    sQ = 0.3 * r * np.exp(-2 * r) - 0.2j * r**2 * np.exp(-r)
    for a, b in zip(sliding.apply(sP, sQ), vectorized.apply(sP, sQ)):
        assert np.max(np.abs(a - b)) < 1e-13 * np.max(np.abs(a))
        assert not np.array_equal(a, b)   # the vectorized kernel really ran (rounding differs)
    # real sources keep the sliding kernel, bit for bit
    for a, b in zip(sliding.apply(sP.real, sQ.real), vectorized.apply(sP.real, sQ.real)):
        assert np.array_equal(a, b)
    if energy == -900.0:
        assert vectorized.refinement > 1
