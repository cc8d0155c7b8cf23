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
    # the recurrences multiply by (2L+1) * (1/x): one division per point, not per order
    # (bessel_blocks uses the same arithmetic, so the two agree bit for bit)
    ix = 1.0 / x
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
            j_next = ((2 * L + 1) * ix) * j - j_prev
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
    start = _miller_start(L_top)
    jp1 = 0.0
    j = 1e-300
    for L in range(start, 0, -1):
        jm1 = ((2 * L + 1) * ix) * j - jp1
        if L - 1 <= L_top:
            out[L - 1] = jm1
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
def _miller_start(L_top):
    """Order the downward recurrence starts from, for a highest kept order ``L_top``."""
    return L_top + int(math.sqrt(40.0 * (L_top + 10.0))) + 20


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
    """The arithmetic of :func:`_jn_all_point` for every (q, r) pair, radii ascending.

    With ascending radii the three branches of one momentum are consecutive runs of
    radii: the series (x < 1e-3), then Miller (x < L_max), then the upward recurrence.
    Each branch runs its radii side by side, order by order, through views indexed from
    zero, so the loops over radii have no branches and compile to vector instructions;
    in the Miller run the highest kept order and the starting order grow with the radius,
    so the points that are active at an order, and those that store it, are suffixes of
    the run. Overflow rescaling, rare, is checked once per order for the run. The results
    are bit-identical to :func:`_jn_all_point`.
    """
    nq = q.shape[0]
    nr = r.shape[0]
    out = np.empty((L_max + 1, nq, nr))
    buf = np.empty(L_max + 1)
    ix = np.empty(nr)
    j = np.empty(nr)
    jp = np.empty(nr)
    top = np.empty(nr, dtype=np.int64)
    first = np.empty(nr, dtype=np.int64)
    for a in range(nq):
        t1 = 0
        while t1 < nr and q[a] * r[t1] < 1e-3:
            _jn_all_point(L_max, q[a] * r[t1], buf)
            for L in range(L_max + 1):
                out[L, a, t1] = buf[L]
            t1 += 1
        d1 = t1
        while d1 < nr and q[a] * r[d1] < L_max:
            d1 += 1
        # upward recurrence on [d1, nr)
        nu = nr - d1
        if nu > 0:
            for k in range(nu):
                x = q[a] * r[d1 + k]
                s = math.sin(x)
                c = math.cos(x)
                ix[k] = 1.0 / x
                jp[k] = s / x
                out[0, a, d1 + k] = jp[k]
                if L_max > 0:
                    j[k] = s / (x * x) - c / x
                    out[1, a, d1 + k] = j[k]
            for L in range(1, L_max):
                row = out[L + 1, a, d1:nr]
                f = 2 * L + 1
                for k in range(nu):
                    j_next = (f * ix[k]) * j[k] - jp[k]
                    row[k] = j_next
                    jp[k] = j[k]
                    j[k] = j_next
        # Miller recurrence on [t1, d1)
        nd = d1 - t1
        if nd == 0:
            continue
        for k in range(nd):
            x = q[a] * r[t1 + k]
            ix[k] = 1.0 / x
            top[k] = _top_order(L_max, x)
            first[k] = _miller_start(top[k])
            jp[k] = 0.0
            j[k] = 1e-300
        kz = 0
        for L in range(L_max + 1):
            # orders above a point's top are zero: a prefix of the run
            while kz < nd and top[kz] < L:
                kz += 1
            row = out[L, a, t1:t1 + kz]
            for k in range(kz):
                row[k] = 0.0
        k0 = nd
        kw = nd
        for L in range(first[nd - 1], 0, -1):
            while k0 > 0 and first[k0 - 1] >= L:
                k0 -= 1  # points [k0, nd) have started
            while kw > 0 and top[kw - 1] >= L - 1:
                kw -= 1  # points [kw, nd) keep order L - 1
            f = 2 * L + 1
            big = 0.0
            for k in range(k0, kw):
                jm1 = (f * ix[k]) * j[k] - jp[k]
                jp[k] = j[k]
                j[k] = jm1
                big = max(big, abs(jm1))
            lo = max(k0, kw)
            row = out[L - 1, a, t1:t1 + nd]
            for k in range(lo, nd):
                jm1 = (f * ix[k]) * j[k] - jp[k]
                row[k] = jm1
                jp[k] = j[k]
                j[k] = jm1
                big = max(big, abs(jm1))
            if big > 1e250:  # rescale to avoid overflow, point by point as _jn_all_point
                for k in range(k0, nd):
                    if abs(j[k]) > 1e250:
                        j[k] *= 1e-250
                        jp[k] *= 1e-250
                        for M in range(max(L - 1, 0), top[k] + 1):
                            out[M, a, t1 + k] *= 1e-250
        for k in range(nd):
            x = q[a] * r[t1 + k]
            s = math.sin(x)
            c = math.cos(x)
            j0 = s / x
            j1 = s / (x * x) - c / x
            if abs(j0) >= abs(j1) or L_max == 0:
                jp[k] = j0 / out[0, a, t1 + k]  # the normalisation factor
            else:
                jp[k] = j1 / out[1, a, t1 + k]
        kz = 0
        for L in range(L_max + 1):
            while kz < nd and top[kz] < L:
                kz += 1
            row = out[L, a, t1:t1 + nd]
            for k in range(kz, nd):
                row[k] *= jp[k]
    return out


def spherical_jn_all(L_max: int, x) -> np.ndarray:
    """``[L, i] = j_L(x_i)`` for ``L = 0..L_max`` (``x >= 0``)."""
    x = np.ascontiguousarray(np.atleast_1d(x), dtype=np.float64)
    if np.any(x < 0) or not np.all(np.isfinite(x)):
        raise ValueError("x must be finite and >= 0")
    return _jn_all_kernel(int(L_max), x)


def bessel_blocks(L_max: int, q, r) -> np.ndarray:
    """``[L, iq, ir] = j_L(q_iq r_ir)`` (all orders at once; ``q, r >= 0``).

    Radii in ascending order (as integration grids give them) go straight to the kernel;
    others are sorted first and the result put back in their order.
    """
    q = np.ascontiguousarray(q, dtype=np.float64)
    r = np.ascontiguousarray(r, dtype=np.float64)
    if r.size > 1 and np.any(np.diff(r) < 0):
        order = np.argsort(r, kind="stable")
        out = np.empty((int(L_max) + 1, q.size, r.size))
        out[:, :, order] = _blocks_kernel(int(L_max), q, np.ascontiguousarray(r[order]))
        return out
    return _blocks_kernel(int(L_max), q, r)


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
