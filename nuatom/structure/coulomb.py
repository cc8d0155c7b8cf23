"""Coulomb (Slater) integrals between radial orbitals.

:math:`Y^k_{ab}(r) = \\int_0^\\infty \\frac{r_<^k}{r_>^{k+1}}\\rho_{ab}(r')\\,dr'` with the
overlap density :math:`\\rho_{ab} = P_aP_b + c^{-2}\\tilde Q_a\\tilde Q_b`, computed as
:math:`r^{-k-1}\\int_0^r r'^k\\rho\\,dr' + r^k\\int_r^\\infty r'^{-k-1}\\rho\\,dr'` with the
order-8 cumulative quadrature of :class:`~nuatom.numerics.grid.RadialGrid` (each integral
accumulated from its own end, so neither loses precision by cancellation). ``Y`` is the
potential (1/bohr) of the multipole-``k`` charge distribution, and the radial Slater
integral is :math:`R^k(ab;cd) = \\int \\rho_{ac}(r)\\,Y^k_{bd}(r)\\,dr` (Hartree).
"""
from __future__ import annotations

import math

import numpy as np

from nuatom.numerics.jit import kernel
from nuatom.numerics.grid import (CUMULATIVE_STENCIL, _cumulative_kernel, _damped_cumulative_kernel,
                                  _damped_interval_integrals, _interval_integrals)

#: Highest multipole whose Y^k uses tabulated powers r^k, r^-(k+1); above it (high
#: continuum partial waves) the damped form avoids overflow on grids from 1e-7 bohr.
K_TABLE_MAX = 24

__all__ = ["yk", "yk_from_density", "slater_rk", "density", "exchange_apply", "ExchangeOperator", "orbital_extent"]


@kernel
def _yk_rows(rk_table, rk1inv_table, ks, s, m, drdt, rhos, rho_of, h, rows, shifts, stencil):
    """``Y[d] = Y^{ks[d]}`` of the density ``rhos[rho_of[d]]`` on the grid points ``[s, m)``
    (each density given there, indexed from 0), for every row ``d``, with the running sums
    of all rows advanced together: bit for bit the plain form (the inner integral
    :math:`\\int_0^r r'^k\\rho` and the outer one accumulated from the end with
    :func:`~nuatom.numerics.grid._cumulative_kernel`, tested so).
    One Y^k has two dependent chains of additions (the inner and the outer integral), too
    few to keep the adder busy; four in flight overlap (the RRPA's induced potentials take
    four densities per multipole: two signs of omega, real and imaginary parts)."""
    nrow = ks.shape[0]
    n = m - s
    Y = np.zeros((nrow, n))
    if n < 2:
        return Y
    # sums[2d] and sums[2d + 1]: the interval integrals of row d's inner and (reversed) outer
    # integrand, then, in place, their running sums (entry i: the integral to node i + 1)
    sums = np.empty((2 * nrow, n - 1))
    g_in = np.empty(n)
    g_out = np.empty(n)
    jac = drdt[s:m]
    for d in range(nrow):
        rk = rk_table[ks[d], s:m]
        rk1inv = rk1inv_table[ks[d], s:m]
        rho = rhos[rho_of[d]]
        for i in range(n):
            g_in[i] = rk[i] * rho[i] * jac[i]
            g_out[n - 1 - i] = rho[i] * rk1inv[i] * jac[i]
        _interval_integrals(g_in, h, rows, shifts, stencil, sums[2 * d])
        _interval_integrals(g_out, h, rows, shifts, stencil, sums[2 * d + 1])
    c = 0
    while c < 2 * nrow:
        if c + 4 <= 2 * nrow:
            s0 = sums[c]
            s1 = sums[c + 1]
            s2 = sums[c + 2]
            s3 = sums[c + 3]
            x0 = 0.0
            x1 = 0.0
            x2 = 0.0
            x3 = 0.0
            for i in range(n - 1):
                x0 += s0[i]
                x1 += s1[i]
                x2 += s2[i]
                x3 += s3[i]
                s0[i] = x0
                s1[i] = x1
                s2[i] = x2
                s3[i] = x3
            c += 4
        else:
            s0 = sums[c]
            s1 = sums[c + 1]
            x0 = 0.0
            x1 = 0.0
            for i in range(n - 1):
                x0 += s0[i]
                x1 += s1[i]
                s0[i] = x0
                s1[i] = x1
            c += 2
    for d in range(nrow):
        rk = rk_table[ks[d], s:m]
        rk1inv = rk1inv_table[ks[d], s:m]
        inner = sums[2 * d]
        outer = sums[2 * d + 1]
        y = Y[d]
        y[0] = 0.0 * rk1inv[0] + rk[0] * outer[n - 2]
        for i in range(1, n - 1):
            y[i] = inner[i - 1] * rk1inv[i] + rk[i] * outer[n - 2 - i]
        y[n - 1] = inner[n - 2] * rk1inv[n - 1] + rk[n - 1] * 0.0
    return Y


@kernel
def _yk_kernel(rk, rk1inv, drdt, rho, h, rows, shifts, stencil):
    """Y^k with tabulated powers rk = r^k and rk1inv = r^-(k+1): :func:`_yk_rows` with one
    row (contiguous 1-d inputs)."""
    n = rk.shape[0]
    return _yk_rows(rk.reshape((1, n)), rk1inv.reshape((1, n)), np.zeros(1, dtype=np.int64), 0, n, drdt,
                    rho.reshape((1, n)), np.zeros(1, dtype=np.int64), h, rows, shifts, stencil)[0]


@kernel
def _yk_damped_kernel(logr, drdt, rho, k, h, rows, shifts, stencil):
    """Y^k for high multipoles, where r^k and r^-(k+1) leave the floating-point range.

    Both integrals are accumulated with the ratio :math:`(r'/r)^k` folded into the
    integrand (:func:`~nuatom.numerics.grid._damped_cumulative_kernel`), so every factor is <= 1.
    """
    n = logr.shape[0]
    g_in = np.empty(n)
    a_in = np.empty(n)
    g_out = np.empty(n)
    a_out = np.empty(n)
    for i in range(n):
        g_in[i] = rho[i] * drdt[i]
        a_in[i] = k * logr[i]
        g_out[n - 1 - i] = rho[i] * drdt[i]
        a_out[n - 1 - i] = -(k + 1.0) * logr[i]
    inner = _damped_cumulative_kernel(g_in, a_in, h, rows, shifts, stencil)
    outer = _damped_cumulative_kernel(g_out, a_out, h, rows, shifts, stencil)
    y = np.empty(n)
    for i in range(n):
        y[i] = (inner[i] + outer[n - 1 - i]) / math.exp(logr[i])
    return y


@kernel
def _power_step_rows(logr, exponents):
    """``(step, back)[e, j]``: :math:`(r_{j+1}/r_j)^{p_e}` and its reciprocal for the
    exponents ``p_e`` (``j < n - 1``; 1 at ``n - 1``), as :math:`e^{p_e\\Delta\\ln r}`: the
    damping factors of a high-multipole Y^k, exponent k for the inner integral and k + 1
    for the outer one."""
    n = logr.shape[0]
    ne = exponents.shape[0]
    step = np.ones((ne, n))
    back = np.ones((ne, n))
    for e in range(ne):
        p = float(exponents[e])
        for j in range(n - 1):
            d = logr[j + 1] - logr[j]
            step[e, j] = math.exp(p * d)
            back[e, j] = 1.0 / step[e, j]
    return step, back


@kernel
def _yk_damped_tabulated(r, drdt, rho, s, m, kk, kd, up, up_back, down, down_back, h, rows, shifts,
                         stencil):
    """Y^k on ``[s, m)`` of the grid (``rho`` given there) from rows of
    :func:`_power_step_rows`: ``kk`` of ``up, up_back`` (exponent k) and ``kd`` of
    ``down, down_back`` (exponent k + 1)."""
    n = m - s
    g_in = np.empty(n)
    g_out = np.empty(n)
    st_out = np.ones(n)
    bk_out = np.ones(n)
    d = drdt[s:m]
    for i in range(n):
        g_in[i] = rho[i] * d[i]
    for i in range(n):
        g_out[n - 1 - i] = g_in[i]
    # the inner integral reads its rows in place (their last entry, beyond the last
    # interval, is never used)
    st_in = up[kk, s:m]
    bk_in = up_back[kk, s:m]
    # reversed array: node i' is grid point m-1-i', and exp(a[i'+1] - a[i']) with
    # a = -(k+1) ln r is (r_{m-1-i'}/r_{m-2-i'})^(k+1)
    dn = down[kd, s:m]
    dnb = down_back[kd, s:m]
    for i in range(n - 1):
        st_out[i] = dn[n - 2 - i]
        bk_out[i] = dnb[n - 2 - i]
    # the running sums of _damped_cumulative_steps for both integrals in one loop: two
    # independent chains overlap instead of waiting on each other
    inner = np.zeros(n)
    outer = np.zeros(n)
    if n >= 2:
        inc_in = np.empty(n - 1)
        inc_out = np.empty(n - 1)
        _damped_interval_integrals(g_in, st_in, bk_in, h, rows, shifts, stencil, inc_in)
        _damped_interval_integrals(g_out, st_out, bk_out, h, rows, shifts, stencil, inc_out)
        for i in range(n - 1):
            inner[i + 1] = inner[i] * bk_in[i] + inc_in[i]
            outer[i + 1] = outer[i] * bk_out[i] + inc_out[i]
    y = np.empty(n)
    for i in range(n):
        y[i] = (inner[i] + outer[n - 1 - i]) / r[s + i]
    return y


def _powers(grid, k: int):
    """``(r^k, r^-(k+1))`` on ``grid``, tabulated once per grid and multipole."""
    table = grid.__dict__.setdefault("_r_powers", {})
    if k not in table:
        table[k] = (grid.r ** k, grid.r ** (-(k + 1.0)))
    return table[k]


def _power_table(grid, kmax: int):
    """``(r^k, r^-(k+1))`` for k = 0 .. min(kmax, K_TABLE_MAX) on ``grid``: views of one
    table of every tabulated k, formed once per grid (each partial wave asks for its own
    kmax; the powers do not depend on the table's size, so the views are what a table of
    that size would hold, bit for bit)."""
    kmax = min(kmax, K_TABLE_MAX)
    table = grid.__dict__.get("_r_power_table")
    if table is None:
        ks = np.arange(K_TABLE_MAX + 1)
        table = (grid.r[None, :] ** ks[:, None], grid.r[None, :] ** (-(ks[:, None] + 1.0)))
        grid.__dict__["_r_power_table"] = table
    return table[0][:kmax + 1], table[1][:kmax + 1]


@kernel
def _exchange_kernel(rk_table, rk1inv_table, r, logr, drdt, orbP, orbQ, b_index, k_values, coefs, b_end,
                     vP, vQ, v_start, inv_c2, h, rows, shifts, stencil, slot, slot_down, up, up_back, down,
                     down_back):
    """sum_t coef_t * phi_b Y^{k_t}[phi_b, v] for every term t (both components).

    Terms must be grouped by orbital (consecutive equal ``b_index``): the overlap density
    phi_b v is formed once per orbital and the multipoles are summed before multiplying
    by phi_b. ``b_end[b]`` is the number of points where orbital ``b`` is non-zero: the
    density phi_b v vanishes beyond it and so does phi_b Y, so each term is computed on
    ``[0, b_end[b])`` only. ``v`` vanishes below ``v_start``; there
    :math:`Y^k(r) = Y^k(r_s)(r/r_s)^k` exactly, and an orbital that ends before
    ``v_start`` contributes nothing (high partial waves never reach the inner shells).
    A term whose multipole k is beyond the power tables uses row ``slot[t]`` of ``up,
    up_back`` and row ``slot_down[t]`` of ``down, down_back`` (:func:`_power_step_rows`
    over the whole grid, see :func:`_damping_rows`).
    """
    n = drdt.shape[0]
    first = max(0, v_start - stencil)
    outP = np.zeros(n)
    outQ = np.zeros(n)
    nt = b_index.shape[0]
    ysum = np.zeros(n)
    rho_rows = np.empty((1, n))
    rho = rho_rows[0]
    y_tab = np.empty((0, 0))
    t = 0
    while t < nt:
        b = b_index[t]
        t_end = t
        while t_end < nt and b_index[t_end] == b:
            t_end += 1
        m = b_end[b]
        if m <= v_start:
            t = t_end
            continue
        # the cumulative quadrature needs at least `stencil` points (no bounds checks in
        # compiled code): widen a short window downward, where v is merely negligible
        s = v_start if m - v_start >= stencil else max(0, m - stencil)
        if m - s < stencil:
            t = t_end
            continue
        # loops over views indexed from zero: numba's wraparound branch for an offset
        # index would keep them from vectorizing
        ob_p = orbP[b, s:m]
        ob_q = orbQ[b, s:m]
        v_p = vP[s:m]
        v_q = vQ[s:m]
        for j in range(m - s):
            rho[j] = ob_p[j] * v_p[j] + inv_c2 * ob_q[j] * v_q[j]
        ysum[:m] = 0.0
        ys = ysum[s:m]
        # the multipoles within the power tables come first (terms sorted by k): their Y^k in
        # one _yk_rows call, whose running sums overlap
        t_tab = t
        while t_tab < t_end and k_values[t_tab] < rk_table.shape[0]:
            t_tab += 1
        if t_tab > t:
            y_tab = _yk_rows(rk_table, rk1inv_table, k_values[t:t_tab], s, m, drdt, rho_rows,
                             np.zeros(t_tab - t, dtype=np.int64), h, rows, shifts, stencil)
        for tt in range(t, t_end):
            k = k_values[tt]
            c = coefs[tt]
            if k < rk_table.shape[0]:
                y = y_tab[tt - t]
                y0 = y[0] / rk_table[k, s]
                for i in range(s):
                    ysum[i] += c * y0 * rk_table[k, i]
            else:
                kk = slot[tt]
                y = _yk_damped_tabulated(r, drdt, rho[:m - s], s, m, kk, slot_down[tt], up, up_back, down, down_back,
                                         h, rows, shifts, stencil)
                # below s, Y^k = Y^k(r_s)(r/r_s)^k: a product of the tabulated ratios,
                # stopped once it underflows
                fac = 1.0
                for i in range(s - 1, -1, -1):
                    if i >= first:
                        fac *= up_back[kk, i]
                    else:
                        fac *= math.exp(k * (logr[i] - logr[i + 1]))
                    if fac < 1e-300:
                        break
                    ysum[i] += c * y[0] * fac
            for j in range(m - s):
                ys[j] += c * y[j]
        full_p = orbP[b, :m]
        full_q = orbQ[b, :m]
        for i in range(m):
            outP[i] += ysum[i] * full_p[i]
            outQ[i] += ysum[i] * full_q[i]
        t = t_end
    return outP, outQ


def orbital_extent(orbP) -> np.ndarray:
    """Number of leading points where each orbital (rows of ``orbP``) is non-zero."""
    nz = orbP != 0.0
    last = nz.shape[1] - 1 - np.argmax(nz[:, ::-1], axis=1)
    return np.where(nz.any(axis=1), last + 1, 0).astype(np.int64)


class ExchangeOperator:
    """The exchange operator :math:`v \\mapsto \\sum_{(b,k)} g_{bk}\\,\\phi_b Y^k[\\phi_b, v]`
    of fixed terms on one grid, prepared once to be applied many times.

    The exchange iterations of the continuum solver and the RPA matrix-vector products
    apply the same operator to a sequence of vectors: the term arrays, power tables and
    damping rows are formed here once instead of at every application. :meth:`apply`
    gives what :func:`exchange_apply` gives, bit for bit (that function is this class
    used once).

    Parameters
    ----------
    grid : RadialGrid
    orbP, orbQ : ndarray
        Bound orbitals (rows) on ``grid``.
    terms : dict
        ``{(b, k): g}``.
    inv_c2 : float
        :math:`1/c^2` (atomic units).
    extent : ndarray, optional
        From :func:`orbital_extent`: limits each term to where its orbital lives.
    """

    def __init__(self, grid, orbP, orbQ, terms, inv_c2, extent=None):
        self.empty = not terms
        self.inv_c2 = float(inv_c2)
        if self.empty:
            return
        if extent is None:
            extent = np.full(orbP.shape[0], orbP.shape[1], dtype=np.int64)
        keys = sorted(terms)  # grouped by orbital, as the kernel requires
        b_index = np.array([bk[0] for bk in keys], dtype=np.int64)
        k_values = np.array([bk[1] for bk in keys], dtype=np.int64)
        coefs = np.array([terms[bk] for bk in keys])
        rk, rk1 = _power_table(grid, int(k_values.max()) if k_values.size else 0)
        slot, slot_down, _ = _damping_rows(grid, k_values, rk.shape[0])
        self._grid = grid
        self._leading = (rk, rk1, grid.r, _log_r(grid), grid.drdt, orbP, orbQ, b_index, k_values, coefs,
                         np.ascontiguousarray(extent, dtype=np.int64))
        self._trailing = (grid.h, grid._rows, grid._shifts, CUMULATIVE_STENCIL, slot, slot_down)

    def apply(self, vP, vQ, negligible: float = 0.0):
        """``(K v)_P, (K v)_Q``; ``negligible`` > 0 treats ``v`` as zero below the first
        point where :math:`|v_P|` exceeds that fraction of its maximum."""
        if self.empty:
            return np.zeros_like(vP), np.zeros_like(vQ)
        amp = np.abs(vP)
        big = np.flatnonzero(amp > negligible * amp.max())
        v_start = int(big[0]) if big.size else len(vP)
        # the grid's damping rows as they are now: another operator on the grid may have
        # grown (reallocated) them since this one was prepared; its rows keep their slots
        step, back = self._grid.__dict__["_damping_rows"]["tables"]
        return _exchange_kernel(*self._leading, np.ascontiguousarray(vP), np.ascontiguousarray(vQ), v_start,
                                self.inv_c2, *self._trailing, step, back, step, back)


def exchange_apply(grid, orbP, orbQ, terms, vP, vQ, inv_c2, extent=None, negligible: float = 0.0):
    """:math:`\\sum_{(b,k)} g_{bk}\\,\\phi_b Y^k[\\phi_b, v]` for ``terms = {(b, k): g}``.

    ``extent`` (from :func:`orbital_extent`) limits each term to where its orbital lives.
    ``negligible`` > 0 treats ``v`` as zero below the first point where
    :math:`|v_P|` exceeds that fraction of its maximum (continuum partial waves, which rise
    like :math:`r^{l+1}`, use 1e-13; the default 0 drops nothing). To apply the same terms
    many times, prepare an :class:`ExchangeOperator` once.
    """
    return ExchangeOperator(grid, orbP, orbQ, terms, inv_c2, extent).apply(vP, vQ, negligible)


def _damping_rows(grid, k_values, k_tabulated: int):
    """``(slot, slot_down, (step, back))`` for the terms whose multipole k is ``>=
    k_tabulated`` (beyond the power tables): rows of :func:`_power_step_rows` with exponent
    k (``slot``, the inner integral's damping) and k + 1 (``slot_down``, the outer one's);
    ``-1`` for the other terms.

    The rows are kept on the grid and grow as new exponents appear: every partial wave of
    one continuum energy shares one grid and neighbouring waves share most multipoles, so
    the exponentials are formed once per grid instead of once per exchange application
    (where they were the largest part for high partial waves). A row serves both as the
    ``down`` factors of k and the ``up`` factors of k + 1, which halves the memory (about
    80 MB for the 520 partial waves of Xe at 30 keV).
    """
    slot = np.full(k_values.shape[0], -1, dtype=np.int64)
    slot_down = np.full(k_values.shape[0], -1, dtype=np.int64)
    cache = grid.__dict__.setdefault("_damping_rows", {"row": {}, "tables": None, "used": 0})
    high = sorted({int(k) + d for k in k_values if k >= k_tabulated for d in (0, 1)})
    new = [e for e in high if e not in cache["row"]]
    if new:
        rows_new = _power_step_rows(_log_r(grid), np.array(new, dtype=np.int64))
        used = cache["used"]
        old = cache["tables"]
        if old is None or used + len(new) > old[0].shape[0]:
            capacity = max(used + len(new) + (used + len(new)) // 2, 8)
            grown = tuple(np.empty((capacity, len(grid.r))) for _ in range(2))  # rows >= used are never read
            if old is not None:
                for g_arr, o_arr in zip(grown, old):
                    g_arr[:used] = o_arr[:used]
            cache["tables"] = grown
        for g_arr, part in zip(cache["tables"], rows_new):
            g_arr[used:used + len(new)] = part
        for i, e in enumerate(new):
            cache["row"][e] = used + i
        cache["used"] = used + len(new)
    for t, k in enumerate(k_values):
        if k >= k_tabulated:
            slot[t] = cache["row"][int(k)]
            slot_down[t] = cache["row"][int(k) + 1]
    if cache["tables"] is None:  # no high multipole on this grid yet: a placeholder row
        cache["tables"] = tuple(np.ones((1, len(grid.r))) for _ in range(2))
    return slot, slot_down, cache["tables"]


def density(Pa, Qa, Pb, Qb, inv_c2):
    """Overlap density :math:`P_aP_b + c^{-2}\\tilde Q_a\\tilde Q_b` (1/bohr)."""
    return Pa * Pb + inv_c2 * Qa * Qb


def _log_r(grid) -> np.ndarray:
    if "_log_r" not in grid.__dict__:
        grid.__dict__["_log_r"] = np.log(grid.r)
    return grid.__dict__["_log_r"]


def yk_from_density(grid, rho, k: int) -> np.ndarray:
    """:math:`Y^k(r)` in 1/bohr (the multipole-``k`` potential of the density ``rho``)."""
    if k < 0:
        raise ValueError(f"multipole k = {k} must be >= 0")
    if k > K_TABLE_MAX:
        return _yk_damped_kernel(_log_r(grid), grid.drdt, np.ascontiguousarray(rho, dtype=np.float64),
                                 float(k), grid.h, grid._rows, grid._shifts, CUMULATIVE_STENCIL)
    rk, rk1 = _powers(grid, int(k))
    return _yk_kernel(rk, rk1, grid.drdt, np.ascontiguousarray(rho, dtype=np.float64),
                      grid.h, grid._rows, grid._shifts, CUMULATIVE_STENCIL)


def yk(grid, a, b, k: int, inv_c2: float) -> np.ndarray:
    """:math:`Y^k_{ab}(r)` for orbitals ``a, b`` given as ``(P, Qt)`` pairs."""
    return yk_from_density(grid, density(a[0], a[1], b[0], b[1], inv_c2), k)


def slater_rk(grid, a, b, c, d, k: int, inv_c2: float) -> float:
    """:math:`R^k(ab;cd) = \\int\\rho_{ac}Y^k_{bd}\\,dr` in Hartree."""
    y = yk(grid, b, d, k, inv_c2)
    return grid.integrate(density(a[0], a[1], c[0], c[1], inv_c2) * y)
