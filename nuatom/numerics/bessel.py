"""Spherical Bessel functions :math:`j_L(x)` for all orders ``0..L_max`` at once.

Response tables need :math:`j_L(qr)` for hundreds of orders at every (q, r) pair; one call
of ``scipy.special.spherical_jn`` per order would dominate the cost. Here all orders come
from one three-term recurrence :math:`j_{L\\pm1} = \\frac{2L+1}{x}j_L - j_{L\\mp1}`:
upward from :math:`j_0, j_1` when :math:`x \\ge L_{max}` (stable while :math:`L < x`), and
otherwise downward (Miller), started well above :math:`L_{max}` and normalised by
:math:`j_0` or :math:`j_1`. Small arguments use the power series. Tested against scipy.
"""
from __future__ import annotations

import math

import numpy as np

from nuatom.numerics.jit import kernel

__all__ = ["spherical_jn_all", "bessel_blocks", "order_below"]


@kernel
def _top_order(L_max, x):
    """Highest order kept for argument ``x < L_max`` (see :func:`_jn_all_point`)."""
    bound = 1.0
    for L in range(1, L_max + 1):
        bound *= x / (2 * L + 1)
        if bound < 1e-290:
            return L
    return L_max


@kernel
def _jn_all_point(L_max, x, out):
    """Fill out[0..L_max] with j_L(x) (x >= 0)."""
    if x < 1e-3:
        # series j_L(x) = x^L/(2L+1)!! (1 - x^2/(2(2L+3))); underflows harmlessly
        term = 1.0
        for L in range(L_max + 1):
            if L > 0:
                term *= x / (2 * L + 1)
            out[L] = term * (1.0 - x * x / (2.0 * (2 * L + 3)))
            if term == 0.0:
                for M in range(L + 1, L_max + 1):
                    out[M] = 0.0
                break
        return
    s = math.sin(x)
    c = math.cos(x)
    if x >= L_max:
        # every requested order is in the oscillatory region, where the upward recurrence
        # is stable (errors do not grow while L < x): O(L_max) work instead of O(x)
        j_prev = s / x
        out[0] = j_prev
        if L_max == 0:
            return
        j = s / (x * x) - c / x
        out[1] = j
        for L in range(1, L_max):
            j_next = (2 * L + 1) / x * j - j_prev
            out[L + 1] = j_next
            j_prev = j
            j = j_next
        return
    # |j_L(x)| <= x^L/(2L+1)!! for every x >= 0 (integral representation): orders
    # beyond the first where that bound drops below 1e-290 are set to 0 and the Miller
    # start is placed for the highest order kept. Without this, small arguments spend
    # their time rescaling hundreds of orders that underflow to denormals.
    L_top = _top_order(L_max, x)
    for L in range(L_top + 1, L_max + 1):
        out[L] = 0.0
    start = L_top + int(math.sqrt(40.0 * (L_top + 10.0))) + 20
    jp1 = 0.0
    j = 1e-300
    for L in range(start, 0, -1):
        jm1 = (2 * L + 1) / x * j - jp1
        if L - 1 <= L_top:
            out[L - 1] = jm1
        if L <= L_top:
            out[L] = j
        jp1 = j
        j = jm1
        if abs(j) > 1e250:  # rescale to avoid overflow
            j *= 1e-250
            jp1 *= 1e-250
            for M in range(max(L - 1, 0), L_top + 1):
                out[M] *= 1e-250
    # normalise with whichever of j0, j1 is larger (j0 vanishes at x = n pi)
    j0 = s / x
    j1 = s / (x * x) - c / x
    if abs(j0) >= abs(j1) or L_max == 0:
        norm = j0 / out[0]
    else:
        norm = j1 / out[1]
    for L in range(L_top + 1):
        out[L] *= norm


@kernel
def _jn_all_kernel(L_max, x):
    n = x.shape[0]
    out = np.empty((L_max + 1, n))
    buf = np.empty(L_max + 1)
    for i in range(n):
        _jn_all_point(L_max, x[i], buf)
        for L in range(L_max + 1):
            out[L, i] = buf[L]
    return out


@kernel
def _blocks_kernel(L_max, q, r):
    """The arithmetic of :func:`_jn_all_point`, with the loop over the radii of one
    momentum inside the loop over orders: the recurrences of different radii are
    independent, so the processor overlaps them instead of waiting on one dependent
    chain per point (results bit-identical to :func:`_jn_all_point`)."""
    nq = q.shape[0]
    nr = r.shape[0]
    out = np.empty((L_max + 1, nq, nr))
    buf = np.empty(L_max + 1)
    up = np.empty(nr, dtype=np.int64)
    down = np.empty(nr, dtype=np.int64)
    top = np.empty(nr, dtype=np.int64)
    first = np.empty(nr, dtype=np.int64)
    j = np.empty(nr)
    jp = np.empty(nr)
    xs = np.empty(nr)
    for a in range(nq):
        n_up = 0
        n_down = 0
        for b in range(nr):
            x = q[a] * r[b]
            if x < 1e-3:
                _jn_all_point(L_max, x, buf)
                for L in range(L_max + 1):
                    out[L, a, b] = buf[L]
            elif x >= L_max:
                up[n_up] = b
                n_up += 1
            else:
                down[n_down] = b
                n_down += 1
        # upward recurrence: every order is oscillatory
        for k in range(n_up):
            b = up[k]
            x = q[a] * r[b]
            s = math.sin(x)
            c = math.cos(x)
            jp[k] = s / x
            out[0, a, b] = jp[k]
            if L_max > 0:
                j[k] = s / (x * x) - c / x
                out[1, a, b] = j[k]
        if n_up > 0 and up[n_up - 1] - up[0] == n_up - 1:
            # the radii of the upward branch are one run (ascending radii, as integration
            # grids give): write each order through a view indexed from zero, so that the
            # loop over radii compiles to vector instructions (same arithmetic)
            u0 = up[0]
            for k in range(n_up):
                xs[k] = q[a] * r[u0 + k]
            for L in range(1, L_max):
                row = out[L + 1, a, u0:u0 + n_up]
                for k in range(n_up):
                    j_next = (2 * L + 1) / xs[k] * j[k] - jp[k]
                    row[k] = j_next
                    jp[k] = j[k]
                    j[k] = j_next
        else:
            for L in range(1, L_max):
                for k in range(n_up):
                    b = up[k]
                    x = q[a] * r[b]
                    j_next = (2 * L + 1) / x * j[k] - jp[k]
                    out[L + 1, a, b] = j_next
                    jp[k] = j[k]
                    j[k] = j_next
        if n_down == 0:
            continue
        # downward (Miller) recurrence, each point from above its own highest order;
        # points ordered by starting order so that the active ones are a suffix
        for k in range(n_down):
            x = q[a] * r[down[k]]
            top[k] = _top_order(L_max, x)
            first[k] = top[k] + int(math.sqrt(40.0 * (top[k] + 10.0))) + 20
        perm = np.argsort(first[:n_down], kind="mergesort")
        down[:n_down] = down[:n_down][perm]
        top[:n_down] = top[:n_down][perm]
        first[:n_down] = first[:n_down][perm]
        for k in range(n_down):
            jp[k] = 0.0
            j[k] = 1e-300
        # orders above each point's top are zero; top ascends with k, so for each order
        # the points to fill are a prefix (loops over radii innermost: contiguous writes)
        kz = 0
        for L in range(L_max + 1):
            while kz < n_down and top[kz] < L:
                kz += 1
            for k in range(kz):
                out[L, a, down[k]] = 0.0
        k0 = n_down
        for L in range(first[n_down - 1], 0, -1):
            while k0 > 0 and first[k0 - 1] >= L:
                k0 -= 1
            for k in range(k0, n_down):
                b = down[k]
                x = q[a] * r[b]
                jm1 = (2 * L + 1) / x * j[k] - jp[k]
                if L - 1 <= top[k]:
                    out[L - 1, a, b] = jm1
                if L <= top[k]:
                    out[L, a, b] = j[k]
                jp[k] = j[k]
                j[k] = jm1
                if abs(jm1) > 1e250:  # rescale to avoid overflow
                    j[k] *= 1e-250
                    jp[k] *= 1e-250
                    for M in range(max(L - 1, 0), top[k] + 1):
                        out[M, a, b] *= 1e-250
        for k in range(n_down):
            b = down[k]
            x = q[a] * r[b]
            s = math.sin(x)
            c = math.cos(x)
            j0 = s / x
            j1 = s / (x * x) - c / x
            if abs(j0) >= abs(j1) or L_max == 0:
                jp[k] = j0 / out[0, a, b]  # the normalisation factor
            else:
                jp[k] = j1 / out[1, a, b]
        kz = 0
        for L in range(L_max + 1):
            while kz < n_down and top[kz] < L:
                kz += 1
            for k in range(kz, n_down):
                out[L, a, down[k]] *= jp[k]
    return out


def spherical_jn_all(L_max: int, x) -> np.ndarray:
    """``[L, i] = j_L(x_i)`` for ``L = 0..L_max`` (``x >= 0``)."""
    x = np.ascontiguousarray(np.atleast_1d(x), dtype=np.float64)
    if np.any(x < 0) or not np.all(np.isfinite(x)):
        raise ValueError("x must be finite and >= 0")
    return _jn_all_kernel(int(L_max), x)


def bessel_blocks(L_max: int, q, r) -> np.ndarray:
    """``[L, iq, ir] = j_L(q_iq r_ir)`` (all orders at once)."""
    return _blocks_kernel(int(L_max), np.ascontiguousarray(q, dtype=np.float64),
                          np.ascontiguousarray(r, dtype=np.float64))



def order_below(x_max: float, floor: float, L_max: int) -> int:
    """Highest order :math:`L \\le` ``L_max`` for which :math:`|j_L(x)|` reaches ``floor``
    somewhere on :math:`0 \\le x \\le` ``x_max``; every order above it stays below
    ``floor`` on that whole interval.

    Orders :math:`L \\le x_{max}` are always kept. For :math:`L > x_{max}` the interval lies
    before the first maximum of :math:`j_L` (at :math:`x \\approx L + 0.81L^{1/3}`), where
    :math:`j_L` is positive and increasing, so its largest value there is
    :math:`j_L(x_{max})`, evaluated with :func:`spherical_jn_all`.
    """
    if not (x_max >= 0 and math.isfinite(x_max)) or not 0 < floor < 1 or L_max < 0:
        raise ValueError(f"need finite x_max >= 0 (got {x_max}), 0 < floor < 1 (got {floor}) "
                         f"and L_max >= 0 (got {L_max})")
    if L_max <= x_max:
        return int(L_max)
    j = spherical_jn_all(int(L_max), x_max)
    above = np.flatnonzero(np.abs(j) >= floor)
    last = int(above[-1]) if above.size else 0
    return max(last, min(int(math.floor(x_max)), int(L_max)))
