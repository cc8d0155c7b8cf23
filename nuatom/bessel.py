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

from ._numba import kernel

__all__ = ["spherical_jn_all", "bessel_blocks"]


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
    start = L_max + int(math.sqrt(40.0 * (L_max + 10.0))) + 20
    jp1 = 0.0
    j = 1e-300
    for L in range(start, 0, -1):
        jm1 = (2 * L + 1) / x * j - jp1
        if L - 1 <= L_max:
            out[L - 1] = jm1
        if L <= L_max:
            out[L] = j
        jp1 = j
        j = jm1
        if abs(j) > 1e250:  # rescale to avoid overflow
            j *= 1e-250
            jp1 *= 1e-250
            for M in range(max(L - 1, 0), L_max + 1):
                out[M] *= 1e-250
    # normalise with whichever of j0, j1 is larger (j0 vanishes at x = n pi)
    j0 = s / x
    j1 = s / (x * x) - c / x
    if abs(j0) >= abs(j1) or L_max == 0:
        norm = j0 / out[0]
    else:
        norm = j1 / out[1]
    for L in range(L_max + 1):
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
    nq = q.shape[0]
    nr = r.shape[0]
    out = np.empty((L_max + 1, nq, nr))
    buf = np.empty(L_max + 1)
    for a in range(nq):
        for b in range(nr):
            _jn_all_point(L_max, q[a] * r[b], buf)
            for L in range(L_max + 1):
                out[L, a, b] = buf[L]
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
