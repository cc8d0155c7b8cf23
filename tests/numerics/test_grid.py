"""Radial grid, quadrature, derivative, interpolation and damped cumulative integrals.

Every kernel is compared with an independent reference: exact integrals of analytic
functions, numpy polynomial fits, or a plain-numpy evaluation of the same formula.
"""
import math

import numpy as np
import pytest

from nuatom.numerics.grid import GridSpec, RadialGrid, lagrange_interval_weights, make_grid


def grid(n=2000, rmin=1e-7, rmax=60.0, b=4.0):
    return RadialGrid(GridSpec(rmin, rmax, n, b))


def test_gridspec_validation():
    with pytest.raises(ValueError, match="r_min_bohr"):
        GridSpec(-1.0)
    with pytest.raises(ValueError, match="r_max_bohr"):
        GridSpec(1e-3, 1e-4)
    with pytest.raises(ValueError, match="n_points"):
        GridSpec(n_points=10)


def test_mapping_is_log_linear():
    g = grid()
    # t = ln r + r/b, uniform; dr/dt = r b/(r + b)
    t = np.log(g.r) + g.r / 4.0
    assert np.allclose(np.diff(t), g.h, rtol=1e-10, atol=1e-12)
    assert np.allclose(g.drdt, g.r * 4.0 / (g.r + 4.0), rtol=1e-14)
    assert g.r[0] == pytest.approx(1e-7, rel=1e-12) and g.r[-1] == pytest.approx(60.0, rel=1e-12)


def test_interval_weights_exact_for_degree_7():
    # independent check: integrate random degree-7 polynomials with numpy.polynomial
    rng = np.random.default_rng(0)
    offsets = tuple(range(-3, 5))
    w = lagrange_interval_weights(offsets, 0)
    for _ in range(5):
        c = rng.normal(size=8)
        p = np.polynomial.Polynomial(c)
        exact = p.integ()(1.0) - p.integ()(0.0)
        assert w @ p(np.array(offsets, float)) == pytest.approx(exact, rel=1e-13, abs=1e-13)


def test_integrate_and_cumulative_against_exact():
    g = grid(3000)
    r = g.r
    f = r**2 * np.exp(-r)  # int_0^r = 2 - e^-r (r^2 + 2r + 2)
    assert g.integrate(f) == pytest.approx(2.0, rel=1e-12)
    exact = 2 - np.exp(-r) * (r**2 + 2 * r + 2)
    assert np.max(np.abs(g.cumulative(f) - exact)) < 1e-12
    right = g.cumulative_from_right(f)
    assert np.max(np.abs(right - (exact[-1] - exact))) < 1e-12


def test_quadrature_is_order_8():
    # cos(3r) does not vanish at r_max: tests the Gregory end corrections. Errors at
    # n and 2n must fall by ~2^8 until rounding takes over.
    errs = []
    for n in (800, 1600):
        g = grid(n)
        errs.append(abs(g.integrate(np.cos(3 * g.r)) - (math.sin(180.0) - math.sin(3e-7)) / 3))
    assert errs[0] / errs[1] > 2**7


def test_derivative_against_exact():
    g = grid(3000)
    r = g.r
    d = g.derivative(r * np.exp(-r))
    assert np.max(np.abs(d - (1 - r) * np.exp(-r))) < 1e-10


def test_refined_grid_and_interpolation():
    g = grid(1500)
    fine = g.refined(5, 1000)
    assert len(fine) == 5 * 999 + 1
    assert np.allclose(fine.r[::5], g.r[:1000], rtol=1e-12)
    f = g.r * np.exp(-g.r) * np.cos(g.r)
    fi = g.interpolate_refined(f, 5, 1000)
    exact = fine.r * np.exp(-fine.r) * np.cos(fine.r)
    assert np.max(np.abs(fi - exact)) < 1e-11
    assert g.refined(5, 1000) is fine  # cached


def test_damped_cumulative_against_plain_formula():
    # slow reference: exp(-A) * cumulative(exp(A) f) is fine when A stays moderate
    g = grid(3000)
    r = g.r
    A = g.cumulative(3 * np.sqrt(1 + 1 / (r + 0.1)))
    f = r * np.exp(-0.3 * r)
    left = g.damped_cumulative(f, A)
    right = g.damped_cumulative_from_right(f, A)
    ref_left = np.exp(-A) * g.cumulative(np.exp(A) * f)
    ref_right = np.exp(A) * g.cumulative_from_right(np.exp(-A) * f)
    assert np.max(np.abs(left - ref_left) / np.maximum(np.abs(ref_left), 1e-300)) < 1e-12
    assert np.max(np.abs(right - ref_right) / np.maximum(np.abs(ref_right), 1e-300)) < 1e-12


def test_make_grid_is_cached():
    spec = GridSpec(1e-7, 50.0, 700, 4.0)
    assert make_grid(spec) is make_grid(spec)


def test_damped_cumulative_against_slow_exponentials():
    # obviously correct reference: every node factor exp(A[node] - A[i+1]) from its own
    # exponential, C[i+1] = C[i] exp(A[i] - A[i+1]) + interval i. Both kernels form the
    # factors as products of tabulated steps (the sliding one of the bound-state solver,
    # the vectorized one of the exchange kernel) and must agree with it to rounding
    # (1e-13 of the largest value; measured ~1e-16)
    from nuatom.numerics.grid import (CUMULATIVE_STENCIL, _damped_cumulative_steps,
                                      _damped_interval_integrals)

    def vectorized(f, step, back, h, rows, shifts, stencil):
        # the exchange kernel's form: all interval integrals first, then the running sum
        inc = np.empty(len(f) - 1)
        _damped_interval_integrals(f, step, back, h, rows, shifts, stencil, inc)
        out = np.zeros(len(f))
        for i in range(len(f) - 1):
            out[i + 1] = out[i] * back[i] + inc[i]
        return out

    g = grid(400)
    rng = np.random.default_rng(5)
    for n, kernel in [(n, k) for n in (8, 9, 12, 40, 400) for k in (_damped_cumulative_steps, vectorized)]:
        A = 150.0 * np.log(g.r[:n])  # a high multipole's r^k damping
        f = rng.normal(size=n)
        step = np.ones(n)
        step[:-1] = np.exp(np.diff(A))
        fast = kernel(f, step, 1.0 / step, g.h, g._rows, g._shifts, CUMULATIVE_STENCIL)
        half = CUMULATIVE_STENCIL // 2
        slow = np.zeros(n)
        for i in range(n - 1):
            c = i if i < half - 1 else (half - 1 + 1 + (n - 2 - i) if i >= n - half else half - 1)
            base = i + g._shifts[c]
            nodes = base + np.arange(CUMULATIVE_STENCIL)
            interval = g.h * np.sum(g._rows[c] * np.exp(A[nodes] - A[i + 1]) * f[nodes])
            slow[i + 1] = slow[i] * math.exp(A[i] - A[i + 1]) + interval
        assert np.max(np.abs(fast - slow)) <= 1e-13 * np.max(np.abs(slow)), n


def test_interpolate_many_equals_one_at_a_time():
    # shared Lagrange weights must not change a bit: functions on the same mapping with
    # different lengths (shorter ones end inside the target range and are clamped
    # there, with their own one-sided stencils)
    g = grid(3000)
    rng = np.random.default_rng(7)
    lengths = (8, 9, 500, 2999, 3000)
    functions = [np.sin(3 * g.r[:n]) * np.exp(-0.05 * g.r[:n]) + 1e-3 * rng.normal(size=n) for n in lengths]
    target = np.concatenate([[g.r[0] / 2], np.geomspace(g.r[0], g.r[-1] * 1.2, 1777)])
    many = g.interpolate_many_at(functions, target)
    from nuatom.numerics.grid import _interpolate_at_kernel  # what interpolate_at runs
    for row, f, n in zip(many, functions, lengths):
        assert np.array_equal(row, _interpolate_at_kernel(f, g.fractional_index(target))), n
    with pytest.raises(ValueError, match="at least 8 samples"):
        g.interpolate_many_at([np.ones(5)], target)


def test_same_mapping():
    g = grid(3000)
    assert g.same_mapping(RadialGrid(g.spec, t0=float(g.t[0]), h=g.h, n=100))
    assert not g.same_mapping(grid(3001))


def test_damping_factors_and_complex_integrands():
    """The exponentials formed once (:meth:`RadialGrid.damping_factors`) give the same
    damped integrals bit for bit; a complex integrand gives its real and imaginary parts'
    integrals bit for bit (one pass sharing the node factors)."""
    g = grid(2000)
    r = g.r
    A = g.cumulative(3 * np.sqrt(1 + 1 / (r + 0.1)))
    f = r * np.exp(-0.3 * r) * np.cos(r)
    h = r**2 * np.exp(-0.5 * r)
    factors = g.damping_factors(A)
    for method in (g.damped_cumulative, g.damped_cumulative_from_right):
        plain = method(f, A)
        assert np.array_equal(method(f, A, factors), plain)
        both = method(f + 1j * h, A, factors)
        assert np.array_equal(both.real, plain) and np.array_equal(both.imag, method(h, A))


@pytest.mark.parametrize("factor", [1, 2, 7, 18])
def test_refined_interpolation_kernel_is_the_plain_loop_bit_for_bit(factor):
    """The interpolation onto a refined grid (the Green's functions' deep-channel sources) runs
    its interior intervals side by side over the refined points, for vector instructions.
    Against the plain loop (each refined point's 8-point Lagrange sum in stencil order, one
    sided near the ends, in Python floats): the same operations in the same order, so equal
    to the bit."""
    from nuatom.numerics.grid import _interp_tables, _interpolate_kernel
    rng = np.random.default_rng(factor)
    f = rng.normal(size=60)
    table = _interp_tables(factor)
    n, stencil = f.size, table.shape[1]
    half = stencil // 2
    plain = np.empty(factor * (n - 1) + 1)
    for i in range(n - 1):
        base = min(max(i - half + 1, 0), n - stencil)
        for j in range(factor):
            acc = 0.0
            if base == i - half + 1:
                for m in range(stencil):
                    acc += table[j, m] * f[base + m]
            else:
                x = (i - base) + j / factor
                for m in range(stencil):
                    w = 1.0
                    for k in range(stencil):
                        if k != m:
                            w *= (x - k) / (m - k)
                    acc += w * f[base + m]
            plain[factor * i + j] = acc
    plain[-1] = f[-1]
    assert np.array_equal(_interpolate_kernel(f, table, factor), plain)
