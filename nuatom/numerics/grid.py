"""Radial grid and high-order quadrature on it.

The grid is uniform in :math:`t = \\ln r + r/b` ("log-linear"): logarithmic near the
nucleus, where bound orbitals vary on the scale :math:`1/Z`, and linear beyond
:math:`r \\approx b`, where continuum orbitals oscillate with a fixed wavelength. Every
radial function is smooth in ``t``, so the quadratures and ODE integrators work in ``t``
with the Jacobian :math:`dr/dt = rb/(r+b)`.

Quadrature
----------
* :meth:`RadialGrid.integrate`: trapezoid rule in ``t`` with Gregory end corrections
  (order 8). For integrands that vanish smoothly at both ends (bound-state products)
  the trapezoid part alone converges faster than any power of ``h``
  (Euler–Maclaurin); the end corrections make it order 8 for integrands that do not.
* :meth:`RadialGrid.cumulative`: :math:`\\int_{r_0}^{r_i} f\\,dr` at every node with
  interval weights from 8-point Lagrange interpolation in ``t`` (centred in the interior,
  one-sided at the ends): error :math:`O(h^8)` at every node. Coulomb potentials and
  Green's functions rest on it; a second-order cumulative sum would cap the whole SCF at
  :math:`O(h^2)`.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from nuatom.numerics.jit import kernel

__all__ = ["GridSpec", "RadialGrid", "make_grid", "lagrange_interval_weights"]

#: Stencil width of the cumulative quadrature (8 points -> error O(h^8)).
CUMULATIVE_STENCIL = 8  # _cumulative_kernel's interior loop is unrolled for 8
#: Stencil width of the derivative operator (9 points -> error O(h^8)).
DERIVATIVE_STENCIL = 9


@dataclass(frozen=True)
class GridSpec:
    """Parameters of a log-linear radial grid (lengths in bohr).

    Attributes
    ----------
    r_min_bohr : float
        First grid point. Bound orbitals behave as :math:`r^{\\gamma}` below it and the
        region ``[0, r_min]`` is neglected; ``1e-7`` is far inside any nucleus.
    r_max_bohr : float
        Last grid point ("practical infinity" for bound states; the matching radius for
        continuum states).
    n_points : int
        Number of points.
    b_bohr : float
        Transition radius between logarithmic and linear spacing.
    """

    r_min_bohr: float = 1e-7
    r_max_bohr: float = 80.0
    n_points: int = 2500
    b_bohr: float = 4.0

    def __post_init__(self):
        if not (self.r_min_bohr > 0 and math.isfinite(self.r_min_bohr)):
            raise ValueError(f"r_min_bohr = {self.r_min_bohr} must be in (0, r_max_bohr)")
        if not (self.r_max_bohr > self.r_min_bohr and math.isfinite(self.r_max_bohr)):
            raise ValueError(f"r_max_bohr = {self.r_max_bohr} must exceed r_min_bohr = {self.r_min_bohr}")
        if int(self.n_points) != self.n_points or self.n_points < 64:
            raise ValueError(f"n_points = {self.n_points} must be an integer >= 64")
        if not (self.b_bohr > 0 and math.isfinite(self.b_bohr)):
            raise ValueError(f"b_bohr = {self.b_bohr} must be in (0, inf)")


@functools.cache
def lagrange_interval_weights(offsets: tuple[int, ...], start: int) -> np.ndarray:
    """Weights ``w`` with :math:`\\int_{start}^{start+1} f(t)\\,dt = \\sum_m w_m f(\\text{offsets}_m)`
    (unit spacing, exact for polynomials of degree ``len(offsets) - 1``), computed in exact
    rational arithmetic."""
    weights = []
    for m, tm in enumerate(offsets):
        # Lagrange basis polynomial L_m as a coefficient list in t (exact fractions).
        poly = [Fraction(1)]
        denom = Fraction(1)
        for n, tn in enumerate(offsets):
            if n == m:
                continue
            poly = [Fraction(0)] + poly  # multiply by t
            for i in range(len(poly) - 1):
                poly[i] -= tn * poly[i + 1]
            denom *= (tm - tn)
        integral = sum(c * (Fraction(start + 1) ** (p + 1) - Fraction(start) ** (p + 1)) / (p + 1)
                       for p, c in enumerate(poly))
        weights.append(integral / denom)
    return np.array([float(w) for w in weights])


@functools.cache
def lagrange_derivative_weights(offsets: tuple[int, ...], at: int) -> np.ndarray:
    """Weights ``w`` with :math:`f'(at) = \\sum_m w_m f(\\text{offsets}_m)` (unit spacing),
    exact for polynomials of degree ``len(offsets) - 1``; exact rational arithmetic."""
    weights = []
    for m, tm in enumerate(offsets):
        others = [tn for n, tn in enumerate(offsets) if n != m]
        denom = Fraction(1)
        for tn in others:
            denom *= (tm - tn)
        # derivative of prod_{n != m} (t - t_n) at t = at
        total = Fraction(0)
        for skip in range(len(others)):
            prod = Fraction(1)
            for i, tn in enumerate(others):
                if i != skip:
                    prod *= (at - tn)
            total += prod
        weights.append(total / denom)
    return np.array([float(w) for w in weights])


@functools.cache
def _derivative_tables(stencil: int) -> np.ndarray:
    """Rows of derivative weights on the nodes 0..stencil-1 at each position 0..stencil-1."""
    return np.array([lagrange_derivative_weights(tuple(range(stencil)), j) for j in range(stencil)])


@kernel
def _derivative_kernel(f, h, table):
    """df/dt on a uniform grid: centred stencil inside, one-sided at the ends."""
    n = f.shape[0]
    m = table.shape[0]
    half = m // 2
    out = np.empty(n)
    for i in range(n):
        if i < half:
            base, row = 0, i
        elif i >= n - half:
            base, row = n - m, i - (n - m)
        else:
            base, row = i - half, half
        acc = 0.0
        for j in range(m):
            acc += table[row, j] * f[base + j]
        out[i] = acc / h
    return out


@functools.cache
def _interp_tables(factor: int, stencil: int = 8) -> np.ndarray:
    """Lagrange weights at fractional offsets j/factor inside a centred 8-point stencil."""
    half = stencil // 2
    nodes = [Fraction(k) for k in range(-half + 1, half + 1)]
    rows = []
    for j in range(factor):
        x = Fraction(j, factor)
        row = []
        for m, tm in enumerate(nodes):
            w = Fraction(1)
            for n, tn in enumerate(nodes):
                if n != m:
                    w *= (x - tn) / (tm - tn)
            row.append(float(w))
        rows.append(row)
    return np.array(rows)


@kernel
def _interpolate_kernel(f, table, factor):
    n = f.shape[0]
    stencil = table.shape[1]
    half = stencil // 2
    out = np.empty(factor * (n - 1) + 1)
    # interior intervals with the centred 8-point stencil: the refined points of one
    # interval side by side (weights transposed, so the loop over them reads and writes
    # contiguously and compiles to vector instructions); each point's sum in the order of
    # the general loop below, so the values are the same bit for bit
    lo = half - 1
    hi = n - stencil + half
    if stencil == 8 and hi > lo:
        tt = np.ascontiguousarray(table.T)
        t0, t1, t2, t3, t4, t5, t6, t7 = tt[0], tt[1], tt[2], tt[3], tt[4], tt[5], tt[6], tt[7]
        for i in range(lo, hi):
            b = i - half + 1
            f0, f1, f2, f3 = f[b], f[b + 1], f[b + 2], f[b + 3]
            f4, f5, f6, f7 = f[b + 4], f[b + 5], f[b + 6], f[b + 7]
            o = out[factor * i:factor * i + factor]
            for j in range(factor):
                o[j] = (0.0 + t0[j] * f0 + t1[j] * f1 + t2[j] * f2 + t3[j] * f3 + t4[j] * f4 + t5[j] * f5
                        + t6[j] * f6 + t7[j] * f7)
    else:
        lo = hi = 0
    for i in range(n - 1):
        if lo <= i < hi:
            continue
        base = i - half + 1
        if base < 0:
            base = 0
        if base + stencil > n:
            base = n - stencil
        for j in range(factor):
            if base == i - half + 1:
                acc = 0.0
                for m in range(stencil):
                    acc += table[j, m] * f[base + m]
            else:
                # one-sided stencil near the ends: evaluate the Lagrange polynomial directly
                x = (i - base) + j / factor
                acc = 0.0
                for m in range(stencil):
                    w = 1.0
                    for k in range(stencil):
                        if k != m:
                            w *= (x - k) / (m - k)
                    acc += w * f[base + m]
            out[factor * i + j] = acc
    out[factor * (n - 1)] = f[n - 1]
    return out


@kernel
def _interpolate_at_kernel(f, x):
    """8-point Lagrange interpolation of ``f`` (unit-spaced nodes) at fractional indices ``x``."""
    n = f.shape[0]
    out = np.empty(x.shape[0])
    for j in range(x.shape[0]):
        xi = x[j]
        if xi <= 0.0:
            out[j] = f[0]
            continue
        if xi >= n - 1:
            out[j] = f[n - 1]
            continue
        i = int(math.floor(xi))
        base = i - 3
        if base < 0:
            base = 0
        if base + 8 > n:
            base = n - 8
        u = xi - base
        acc = 0.0
        for m in range(8):
            w = 1.0
            for k in range(8):
                if k != m:
                    w *= (u - k) / (m - k)
            acc += w * f[base + m]
        out[j] = acc
    return out


@kernel
def _lagrange8_weights(u, w):
    """Weights of the 8-point Lagrange interpolation at offset ``u`` from the first node,
    in the arithmetic order of :func:`_interpolate_at_kernel` (bit-identical)."""
    for m in range(8):
        wm = 1.0
        for k in range(8):
            if k != m:
                wm *= (u - k) / (m - k)
        w[m] = wm


@kernel
def _interpolate_many_kernel(flat, offsets, lengths, x):
    """:func:`_interpolate_at_kernel` for many functions sampled on one t-mapping: function
    ``f`` is ``flat[offsets[f]:offsets[f] + lengths[f]]``. The Lagrange weights of each
    target point are computed once and shared by every function whose stencil is the
    interior one (the others, near their own ends, get their own); each function is then
    written in one contiguous pass."""
    nf = offsets.shape[0]
    nx = x.shape[0]
    out = np.empty((nf, nx))
    weights = np.empty((nx, 8))
    base0 = np.empty(nx, dtype=np.int64)
    for j in range(nx):
        xi = x[j]
        if xi <= 0.0:
            base0[j] = -1
            continue
        b = int(math.floor(xi)) - 3
        if b < 0:
            b = 0
        base0[j] = b
        _lagrange8_weights(xi - b, weights[j])
    wf = np.empty(8)
    for f in range(nf):
        n = lengths[f]
        o = offsets[f]
        row = out[f]
        for j in range(nx):
            xi = x[j]
            b = base0[j]
            if b < 0:
                row[j] = flat[o]
                continue
            if xi >= n - 1:
                row[j] = flat[o + n - 1]
                continue
            acc = 0.0
            if b + 8 <= n:
                w = weights[j]
                for m in range(8):
                    acc += w[m] * flat[o + b + m]
            else:
                b = n - 8
                _lagrange8_weights(xi - b, wf)
                for m in range(8):
                    acc += wf[m] * flat[o + b + m]
            row[j] = acc
    return out


def stack_functions(functions) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(flat, offsets, lengths)``: the functions end to end, as
    :meth:`RadialGrid.interpolate_stack_at` takes them (each needs at least 8 samples)."""
    lengths = np.array([len(f) for f in functions], dtype=np.int64)
    if lengths.size and lengths.min() < 8:
        raise ValueError(f"every function needs at least 8 samples (got {int(lengths.min())})")
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    flat = np.concatenate([np.asarray(f, dtype=np.float64) for f in functions]) if lengths.size \
        else np.zeros(0)
    return flat, offsets, lengths


@functools.cache
def _cumulative_tables(stencil: int) -> tuple[np.ndarray, np.ndarray]:
    """Weight table for the interval [i, i+1] at the left edge, interior and right edge.

    Returns ``(weights, shifts)``: for interval position class ``c`` (0..stencil-2 left
    edge intervals, stencil-1 interior, then right-edge classes) the stencil is
    ``i + shifts[c] + arange(stencil)``.
    """
    half = stencil // 2
    rows, shifts = [], []
    # Left edge: intervals [j, j+1] for j < half-1 use nodes 0..stencil-1.
    for j in range(half - 1):
        rows.append(lagrange_interval_weights(tuple(range(stencil)), j))
        shifts.append(-j)
    # Interior: nodes i-half+1 .. i+half (centred on the interval).
    rows.append(lagrange_interval_weights(tuple(range(-half + 1, half + 1)), 0))
    shifts.append(-half + 1)
    # Right edge: the last half-1 intervals use the last `stencil` nodes.
    for j in range(half - 1):
        # interval [N-2-j, N-1-j] relative to the last node N-1: start = stencil-2-j
        start = stencil - 2 - j
        rows.append(lagrange_interval_weights(tuple(range(stencil)), start))
        shifts.append(-start)
    return np.array(rows), np.array(shifts, dtype=np.int64)


@functools.cache
def _gregory_end_weights(order: int = 8) -> np.ndarray:
    """Corrections to the trapezoid end weights that make it exact for degree ``order - 1``.

    Obtained as (sum of cumulative interval weights) - (trapezoid weights) on a long
    uniform stencil; they are the Gregory coefficients.
    """
    n = 4 * order
    rows, shifts = _cumulative_tables(order)
    w = np.zeros(n)
    half = order // 2
    for i in range(n - 1):
        if i < half - 1:
            c = i
        elif i >= n - 1 - (half - 1):
            c = (half - 1) + 1 + (n - 2 - i)
        else:
            c = half - 1
        idx = i + shifts[c] + np.arange(order)
        w[idx] += rows[c]
    trap = np.ones(n)
    trap[0] = trap[-1] = 0.5
    return (w - trap)[: 2 * order]


@kernel
def _build_r(t, b):
    n = t.shape[0]
    r = np.empty(n)
    for i in range(n):
        ti = t[i]
        x = math.exp(ti) if ti < math.log(b) + 1.0 else b * (ti - math.log(b))
        if x <= 0.0:
            x = math.exp(ti)
        for _ in range(200):
            f = math.log(x) + x / b - ti
            dx = -f / (1.0 / x + 1.0 / b)
            xn = x + dx
            if xn <= 0.0:
                xn = 0.5 * x
            if abs(xn - x) <= 1e-16 * xn:
                x = xn
                break
            x = xn
        r[i] = x
    return r


@kernel
def _interval_integrals(g, h, rows, shifts, stencil, step):
    """``step[i] = h * sum_m rows[c_i, m] g[i + shifts[c_i] + m]``, the integral of ``g`` over
    ``[t_i, t_{i+1}]`` with the Lagrange interval weights (``i < n - 1``). No iteration
    depends on another, so the interior loop compiles to vector instructions."""
    n = g.shape[0]
    half = stencil // 2
    n_left = half - 1
    # left edge
    for i in range(min(n_left, n - 1)):
        base = i + shifts[i]
        acc = 0.0
        for m in range(stencil):
            acc += rows[i, m] * g[base + m]
        step[i] = h * acc
    # interior (centred stencil; the hot loop): eight shifted views indexed from zero,
    # which the compiler vectorizes (an index i + shift, possibly negative to the
    # compiler, brings numba's wraparound branch into the loop and 5x the time)
    c = n_left
    w0, w1, w2, w3 = rows[c, 0], rows[c, 1], rows[c, 2], rows[c, 3]
    w4, w5, w6, w7 = rows[c, 4], rows[c, 5], rows[c, 6], rows[c, 7]
    lo = n_left
    count = n - 1 - n_left - lo
    if count > 0:
        o = lo + shifts[c]
        g0, g1, g2, g3 = g[o:o + count], g[o + 1:o + 1 + count], g[o + 2:o + 2 + count], g[o + 3:o + 3 + count]
        g4, g5, g6, g7 = g[o + 4:o + 4 + count], g[o + 5:o + 5 + count], g[o + 6:o + 6 + count], g[o + 7:o + 7 + count]
        out = step[lo:lo + count]
        for j in range(count):
            out[j] = h * (w0 * g0[j] + w1 * g1[j] + w2 * g2[j] + w3 * g3[j]
                          + w4 * g4[j] + w5 * g5[j] + w6 * g6[j] + w7 * g7[j])
    # right edge
    for i in range(max(n - 1 - n_left, n_left), n - 1):
        c = n_left + 1 + (n - 2 - i)
        base = i + shifts[c]
        acc = 0.0
        for m in range(stencil):
            acc += rows[c, m] * g[base + m]
        step[i] = h * acc


@kernel
def _cumulative_kernel(g, h, rows, shifts, stencil):
    """C[i] = int_{t_0}^{t_i} g dt with the Lagrange interval weights.

    The interval integrals (:func:`_interval_integrals`) are formed first and summed
    afterwards; the running sum does exactly the additions of a single loop over both
    (same result, bit for bit), but the interval loop no longer waits on it.
    """
    n = g.shape[0]
    out = np.zeros(n)
    if n < 2:
        return out
    step = np.empty(n - 1)
    _interval_integrals(g, h, rows, shifts, stencil, step)
    for i in range(n - 1):
        out[i + 1] = out[i] + step[i]
    return out


@kernel
def _damped_node_factors(i, n, n_left, step, back, shifts, stencil, fac):
    """Stencil class of interval ``[i, i+1]`` and its node factors
    ``fac[m] = exp(A[base + m] - A[i + 1])`` as products of the tabulated steps, starting
    from node ``base``."""
    if i < n_left:
        c = i
    elif i >= n - 1 - n_left:
        c = n_left + 1 + (n - 2 - i)
    else:
        c = n_left
    base = i + shifts[c]
    f = 1.0
    if base <= i + 1:
        for j in range(base, i + 1):
            f *= back[j]
    else:
        for j in range(i + 1, base):
            f *= step[j]
    for m in range(stencil):
        fac[m] = f
        f *= step[base + m]
    return c, base


@kernel
def _damped_cumulative_steps(g, step, back, h, rows, shifts, stencil):
    """:func:`_damped_cumulative_kernel` from tabulated ``step[j] = exp(A[j+1] - A[j])``
    and ``back[j] = 1/step[j]`` (``j < n - 1``; both 1 at ``n - 1``): callers that need
    the same damping for many integrands form the exponentials once. ``g`` may be complex
    (one pass for both parts, sharing the node factors)."""
    n = g.shape[0]
    out = np.zeros_like(g)
    half = stencil // 2
    n_left = half - 1
    fac = np.empty(stencil)
    i_hi = max(n - 1 - n_left, n_left)
    for i in range(n - 1):
        if n_left < i < i_hi:
            # interior: the window of node factors exp(A[base+m] - A[i+1]) slides by one
            # node, which multiplies every surviving factor by back[i] (no long chain of
            # dependent products per point, which would set the pace of the loop)
            c = n_left
            base = i + shifts[c]
            for m in range(stencil - 1):
                fac[m] = fac[m + 1] * back[i]
            f = 1.0
            for j in range(i + 1, base + stencil - 1):
                f *= step[j]
            fac[stencil - 1] = f
        else:
            c, base = _damped_node_factors(i, n, n_left, step, back, shifts, stencil, fac)
        acc = out[0]  # a zero of g's type
        for m in range(stencil):
            acc += rows[c, m] * fac[m] * g[base + m]
        # multiply by the reciprocal: a division here would set the pace of the running sum
        out[i + 1] = out[i] * back[i] + h * acc
    return out


@kernel
def _damped_interval_integrals(g, step, back, h, rows, shifts, stencil, inc):
    """The interval integrals of :func:`_damped_cumulative_steps`, ``inc[i]`` for
    ``i < n - 1``, each relative to its right node ``i + 1``, formed all at once (the
    interior vectorized) so that a caller's running sum ``C[i+1] = C[i] back[i] + inc[i]``
    no longer waits on them. Equal to the sliding kernel's to rounding, not bit for bit
    (the node factors are multiplied in another order): the exchange kernel uses this
    form; the bound-state solver keeps the sliding one, whose self-consistent fields (and
    the stall tests of heavy atoms) are pinned to the bit."""
    n = g.shape[0]
    half = stencil // 2
    n_left = half - 1
    fac = np.empty(stencil)
    # the interior formula below is written for the centred 8-point stencil
    fast = stencil == 8 and shifts[n_left] == -3
    lo = n_left + 1 if fast else n - 1
    hi = max(n - 1 - n_left, lo) if fast else n - 1
    for i in range(n - 1):
        if lo <= i < hi:
            continue
        c, base = _damped_node_factors(i, n, n_left, step, back, shifts, stencil, fac)
        acc = 0.0
        for m in range(stencil):
            acc += rows[c, m] * fac[m] * g[base + m]
        inc[i] = h * acc
    count = hi - lo
    if count > 0:
        c = n_left
        w0, w1, w2, w3 = rows[c, 0], rows[c, 1], rows[c, 2], rows[c, 3]
        w4, w5, w6, w7 = rows[c, 4], rows[c, 5], rows[c, 6], rows[c, 7]
        # views indexed from zero (an offset index would bring numba's wraparound branch
        # into the loop and stop it from vectorizing)
        bm3, bm2, bm1, b0 = back[lo - 3:lo - 3 + count], back[lo - 2:lo - 2 + count], \
            back[lo - 1:lo - 1 + count], back[lo:lo + count]
        s1, s2, s3 = step[lo + 1:lo + 1 + count], step[lo + 2:lo + 2 + count], step[lo + 3:lo + 3 + count]
        g0, g1, g2, g3 = g[lo - 3:lo - 3 + count], g[lo - 2:lo - 2 + count], g[lo - 1:lo - 1 + count], \
            g[lo:lo + count]
        g4, g5, g6, g7 = g[lo + 1:lo + 1 + count], g[lo + 2:lo + 2 + count], g[lo + 3:lo + 3 + count], \
            g[lo + 4:lo + 4 + count]
        dst = inc[lo:lo + count]
        for j in range(count):
            f3 = b0[j]
            f2 = bm1[j] * f3
            f1 = bm2[j] * f2
            f0 = bm3[j] * f1
            f5 = s1[j]
            f6 = f5 * s2[j]
            f7 = f6 * s3[j]
            acc = (w0 * f0 * g0[j] + w1 * f1 * g1[j] + w2 * f2 * g2[j] + w3 * f3 * g3[j]
                   + w4 * g4[j] + w5 * f5 * g5[j] + w6 * f6 * g6[j] + w7 * f7 * g7[j])
            dst[j] = h * acc


@kernel
def _damping_steps(A):
    """``(step, back)``: ``step[j] = exp(A[j+1] - A[j])`` and its reciprocal (1 at the end),
    one exponential per node; the stencil factors of the damped quadrature are products
    of them."""
    n = A.shape[0]
    step = np.ones(n)
    back = np.ones(n)
    for j in range(n - 1):
        step[j] = math.exp(A[j + 1] - A[j])
        back[j] = 1.0 / step[j]
    return step, back


@kernel
def _damped_cumulative_kernel(g, A, h, rows, shifts, stencil):
    """out[i] = int_{t_0}^{t_i} exp(A(t') - A(t_i)) g(t') dt' with the Lagrange interval weights."""
    step, back = _damping_steps(A)
    return _damped_cumulative_steps(g, step, back, h, rows, shifts, stencil)


def _contiguous(f) -> np.ndarray:
    """``f`` as a contiguous float64 array, or complex128 if it is complex."""
    return np.ascontiguousarray(f, dtype=np.complex128 if np.iscomplexobj(f) else np.float64)


@dataclass(frozen=True)
class DampingFactors:
    """The damping steps of one exponent ``A`` on one grid, for both directions
    (:meth:`RadialGrid.damping_factors`): a Green's function applied many times with the
    same ``A`` forms its exponentials once instead of at every application."""

    left: tuple
    right: tuple


class RadialGrid:
    """A log-linear radial grid with its quadrature rules.

    Attributes
    ----------
    spec : GridSpec
    r : ndarray
        Radii in bohr.
    drdt : ndarray
        Jacobian :math:`dr/dt` in bohr.
    h : float
        Uniform step in ``t``.
    weights : ndarray
        Quadrature weights (bohr): ``integrate(f) == weights @ f``.
    """

    def __init__(self, spec: GridSpec, *, t0: float | None = None, h: float | None = None,
                 n: int | None = None):
        self.spec = spec
        b = float(spec.b_bohr)
        if t0 is None:
            t0 = math.log(spec.r_min_bohr) + spec.r_min_bohr / b
            t1 = math.log(spec.r_max_bohr) + spec.r_max_bohr / b
            n = int(spec.n_points)
            self.t = np.linspace(t0, t1, n)
        else:
            self.t = t0 + h * np.arange(n)
        self.h = float(self.t[1] - self.t[0])
        self.r = _build_r(self.t, b)
        self.drdt = self.r * b / (self.r + b)
        trap = np.ones(n)
        trap[0] = trap[-1] = 0.5
        corr = _gregory_end_weights(CUMULATIVE_STENCIL)
        k = corr.shape[0]
        trap[:k] += corr
        trap[::-1][:k] += corr
        self.weights = self.h * trap * self.drdt
        self._rows, self._shifts = _cumulative_tables(CUMULATIVE_STENCIL)
        self._dtable = _derivative_tables(DERIVATIVE_STENCIL)

    def refined(self, factor: int, n_coarse: int) -> "RadialGrid":
        """The same mapping with the t-step divided by ``factor``, covering the first
        ``n_coarse`` points (coarse node ``i`` is fine node ``factor * i``); cached."""
        key = (int(factor), int(n_coarse))
        cache = self.__dict__.setdefault("_refined", {})
        if key not in cache:
            cache[key] = RadialGrid(self.spec, t0=float(self.t[0]), h=self.h / factor,
                                    n=factor * (n_coarse - 1) + 1)
        return cache[key]

    def interpolate_refined(self, f, factor: int, n_coarse: int) -> np.ndarray:
        """Values of ``f`` (on this grid) at the nodes of :meth:`refined`, by 8-point
        Lagrange interpolation in ``t`` (error :math:`O(h^8)`)."""
        return _interpolate_kernel(np.ascontiguousarray(f[:n_coarse], dtype=np.float64),
                                   _interp_tables(factor), factor)

    def fractional_index(self, r_bohr) -> np.ndarray:
        """Position of radii ``r_bohr`` on this grid in units of the t-step (may exceed it)."""
        r = np.asarray(r_bohr, float)
        t = np.log(r) + r / self.spec.b_bohr
        return (t - self.t[0]) / self.h

    def interpolate_at(self, f, r_bohr) -> np.ndarray:
        """``f`` (sampled on this grid) at arbitrary radii, 8-point Lagrange in ``t``
        (error :math:`O(h^8)` for functions smooth in ``t``); constant beyond the ends."""
        return _interpolate_at_kernel(np.ascontiguousarray(f, dtype=np.float64),
                                      np.ascontiguousarray(self.fractional_index(r_bohr)))

    def interpolate_many_at(self, functions, r_bohr) -> np.ndarray:
        """:meth:`interpolate_at` for several functions at once: ``[i, :]`` is
        ``functions[i]`` at ``r_bohr``, bit-identical to interpolating it alone.

        Each function is sampled on the first ``len(functions[i])`` (at least 8) nodes of
        this grid's mapping (same ``r_min``, ``b``, ``t0`` and step; its own length may
        differ from this grid's), as the grids of one continuum energy are. The Lagrange
        weights are shared between the functions, which is what makes this faster.
        """
        return self.interpolate_stack_at(stack_functions(functions), r_bohr)

    def interpolate_stack_at(self, stack, r_bohr) -> np.ndarray:
        """:meth:`interpolate_many_at` for functions already packed by
        :func:`stack_functions` (a caller that interpolates the same functions onto
        several grids packs them once)."""
        flat, offsets, lengths = stack
        return _interpolate_many_kernel(flat, offsets, lengths,
                                        np.ascontiguousarray(self.fractional_index(r_bohr)))

    def same_mapping(self, other: "RadialGrid") -> bool:
        """Whether ``other`` has this grid's nodes (possibly fewer or more of them)."""
        return (self.spec.b_bohr == other.spec.b_bohr and self.h == other.h
                and self.t[0] == other.t[0] and self.r[0] == other.r[0])

    def __len__(self) -> int:
        return self.r.shape[0]

    def __repr__(self) -> str:
        s = self.spec
        return (f"RadialGrid(r_min={s.r_min_bohr:g} bohr, r_max={s.r_max_bohr:g} bohr, "
                f"n={s.n_points}, b={s.b_bohr:g} bohr, h={self.h:.5g})")

    def integrate(self, f) -> float:
        """:math:`\\int f(r)\\,dr` over the grid (``f`` sampled on ``r``)."""
        return float(self.weights @ f)

    def cumulative(self, f) -> np.ndarray:
        """:math:`\\int_{r_0}^{r_i} f(r)\\,dr` at every node (order-8 accurate)."""
        return _cumulative_kernel(np.ascontiguousarray(f * self.drdt, dtype=np.float64), self.h,
                                  self._rows, self._shifts, CUMULATIVE_STENCIL)

    def cumulative_from_right(self, f) -> np.ndarray:
        """:math:`\\int_{r_i}^{r_{max}} f(r)\\,dr` at every node.

        Accumulated from the right end (the stencils are mirror-symmetric), so small
        tails are not lost to cancellation against the total.
        """
        g = np.ascontiguousarray((f * self.drdt)[::-1], dtype=np.float64)
        return _cumulative_kernel(g, self.h, self._rows, self._shifts, CUMULATIVE_STENCIL)[::-1]

    def damped_cumulative(self, f, A, factors: DampingFactors | None = None) -> np.ndarray:
        """:math:`\\int_{r_0}^{r_i} e^{A(r') - A(r_i)} f(r')\\,dr'` at every node.

        ``A`` must change slowly between neighbouring nodes (the exponential is folded into
        the interpolated integrand). ``factors`` (:meth:`damping_factors` of the same ``A``)
        saves forming the exponentials again; the result is bit-identical.
        """
        g = _contiguous(f * self.drdt)
        if factors is not None:
            step, back = factors.left
            return _damped_cumulative_steps(g, step, back, self.h, self._rows, self._shifts, CUMULATIVE_STENCIL)
        return _damped_cumulative_kernel(g, np.ascontiguousarray(A, dtype=np.float64), self.h,
                                         self._rows, self._shifts, CUMULATIVE_STENCIL)

    def damped_cumulative_from_right(self, f, A, factors: DampingFactors | None = None) -> np.ndarray:
        """:math:`\\int_{r_i}^{r_{max}} e^{A(r_i) - A(r')} f(r')\\,dr'` at every node
        (``factors`` as in :meth:`damped_cumulative`)."""
        g = _contiguous((f * self.drdt)[::-1])
        if factors is not None:
            step, back = factors.right
            return _damped_cumulative_steps(g, step, back, self.h, self._rows, self._shifts,
                                            CUMULATIVE_STENCIL)[::-1]
        B = np.ascontiguousarray(-A[::-1], dtype=np.float64)
        return _damped_cumulative_kernel(g, B, self.h, self._rows, self._shifts, CUMULATIVE_STENCIL)[::-1]

    @staticmethod
    def damping_factors(A) -> DampingFactors:
        """The exponentials of :meth:`damped_cumulative` and
        :meth:`damped_cumulative_from_right` for the exponent ``A``, formed once."""
        A = np.ascontiguousarray(A, dtype=np.float64)
        return DampingFactors(_damping_steps(A), _damping_steps(np.ascontiguousarray(-A[::-1])))

    def derivative(self, f) -> np.ndarray:
        """:math:`df/dr` at every node (9-point stencils in ``t``: error :math:`O(h^8)`)."""
        dfdt = _derivative_kernel(np.ascontiguousarray(f, dtype=np.float64), self.h, self._dtable)
        return dfdt / self.drdt

    def index_of(self, r_bohr: float) -> int:
        """Index of the last grid point with ``r <= r_bohr`` (clipped to the grid)."""
        return int(np.clip(np.searchsorted(self.r, r_bohr, side="right") - 1, 0, len(self) - 1))


@functools.lru_cache(maxsize=32)
def make_grid(spec: GridSpec) -> RadialGrid:
    """The (cached) grid for ``spec``: one grid object per calculation."""
    return RadialGrid(spec)
