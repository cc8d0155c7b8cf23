"""Compiled induced potential of the RRPA (the hot loop of every GMRES iteration).

:meth:`nuatom.continuum.rpa._System.induced` states the terms channel by channel with
dictionaries; it is kept as the slow, obviously correct reference and the tests compare the
two. Here the same sums run over flat index tables built once per kernel
(:func:`induced_tables`), for every channel, sign and (real, imaginary) column in one call:

* **direct** :math:`v_{i,s} \\mathrel{+}= u_{a_i}\\sum_j [d^{\\,1}_{ij} Y^J(u_{b_j} z_{j,s})
  + d^{\\,2}_{ij} Y^J(u_{b_j} z_{j,-s})]`;
* **static exchange** (and the open-shell self terms)
  :math:`v_{i,s} \\mathrel{+}= W_{ij}\\,z_{j,s}` with the local potentials ``W`` of the pairs;
* **induced exchange** :math:`v_{i,s} \\mathrel{+}= u_{b}\\sum c\\,Y^k(u_{a_i} z_{j,-s})`, grouped
  by the target channel and the orbital ``b`` it multiplies.

The direct and induced-exchange densities contain a bound orbital, so their potentials are
formed on the bound part of the grid (``nb`` points, where :meth:`_System.exchange` also
works); the static-exchange pairs act on the whole grid, since ``z`` is a continuum function.
"""
from __future__ import annotations

import math

import numpy as np

from nuatom.numerics.jit import kernel
from nuatom.numerics.grid import CUMULATIVE_STENCIL
from nuatom.structure.coulomb import K_TABLE_MAX, _power_table, _yk_kernel, _yk_rows

__all__ = ["InducedTables", "induced_tables", "induced_potentials"]

#: An orbital's induced densities are integrated out to where it falls below this fraction
#: of its largest value; beyond, their Y^k is the exact multipole tail (the change of the
#: induced potential is measured in ``tests/continuum/test_rpa.py``).
DENSITY_TAIL = 1e-13


class InducedTables:
    """Flat index tables of one RRPA kernel's induced potential (see the module docstring)."""

    def __init__(self, **arrays):
        self.__dict__.update(arrays)


def induced_tables(sysm) -> InducedTables | None:
    """Index tables for :func:`induced_potentials` from a built ``_System``; None when a
    multipole exceeds the tabulated powers (the reference path then serves)."""
    channels = sysm.channels
    orb_of = np.array([c.a for c in channels], dtype=np.int64)
    x2_keys = {}
    groups = {}
    for i, j, k, coef in sysm.x2_weighted:
        key = (channels[i].a, j, k)
        if key not in x2_keys:
            x2_keys[key] = len(x2_keys)
        groups.setdefault((i, channels[j].a), []).append((x2_keys[key], coef))
    ks = [k for (_, _, k) in x2_keys] + [sysm.J]
    if max(ks) > K_TABLE_MAX:
        return None
    pairs = dict(sysm.x1_pair)
    for i, extra in sysm.self_term.items():
        pairs[(i, i)] = extra if (i, i) not in pairs else pairs[(i, i)] + extra
    n = sysm.n
    grp_target = np.array([g[0] for g in groups], dtype=np.int64)
    grp_orbital = np.array([g[1] for g in groups], dtype=np.int64)
    grp_ptr = np.zeros(len(groups) + 1, dtype=np.int64)
    grp_key, grp_coef = [], []
    for gi, members in enumerate(groups.values()):
        grp_ptr[gi + 1] = grp_ptr[gi] + len(members)
        grp_key += [m[0] for m in members]
        grp_coef += [m[1] for m in members]
    rk, rk1 = _power_table(sysm.fine_b, max(ks))
    # where each orbital's densities end: past the last point where the orbital exceeds
    # DENSITY_TAIL of its largest value (at least the quadrature stencil, at most the bound part)
    amplitude = np.abs(sysm.uP[:, :sysm.nb]) + math.sqrt(sysm.c2) * np.abs(sysm.uQ[:, :sysm.nb])
    big = amplitude > DENSITY_TAIL * amplitude.max(axis=1, keepdims=True)
    last = sysm.nb - np.argmax(big[:, ::-1], axis=1)
    extent = np.clip(last, CUMULATIVE_STENCIL, sysm.nb).astype(np.int64)
    return InducedTables(
        orb_of=orb_of, J=int(sysm.J), extent=extent,
        dir_i=np.array([t[0] for t in sysm.direct_weighted], dtype=np.int64),
        dir_j=np.array([t[1] for t in sysm.direct_weighted], dtype=np.int64),
        dir_same=np.array([t[2] for t in sysm.direct_weighted], dtype=float),
        dir_other=np.array([t[3] for t in sysm.direct_weighted], dtype=float),
        pair_i=np.array([p[0] for p in pairs], dtype=np.int64),
        pair_j=np.array([p[1] for p in pairs], dtype=np.int64),
        pair_W=(np.array(list(pairs.values()), dtype=float) if pairs else np.zeros((0, n))),
        x2_orbital=np.array([key[0] for key in x2_keys], dtype=np.int64),
        x2_channel=np.array([key[1] for key in x2_keys], dtype=np.int64),
        x2_k=np.array([key[2] for key in x2_keys], dtype=np.int64),
        grp_target=grp_target, grp_orbital=grp_orbital, grp_ptr=grp_ptr,
        grp_key=np.array(grp_key, dtype=np.int64), grp_coef=np.array(grp_coef, dtype=float),
        rk=np.ascontiguousarray(rk), rk1=np.ascontiguousarray(rk1),
    )


@kernel
def _yk_of_density(rk_row, rk1_row, drdt, rho, m, h, rows, shifts, stencil, out):
    """``out[:] = Y^k[rho]`` on the bound part of the grid for a density that vanishes
    from point ``m`` on: quadrature on ``[0, m)``, then the exact multipole tail
    :math:`Y^k(r_{m-1})\\,r_{m-1}^{k+1}/r^{k+1}` (``rk_row``, ``rk1_row``: :math:`r^k`,
    :math:`r^{-(k+1)}`)."""
    y = _yk_kernel(rk_row[:m], rk1_row[:m], drdt[:m], rho[:m], h, rows, shifts, stencil)
    out[:m] = y
    tail = y[m - 1] / rk1_row[m - 1]
    for r in range(m, out.shape[0]):
        out[r] = tail * rk1_row[r]


@kernel
def _yk_of_complex_density(uP_b, uQ_b, zp, zq, c2, m, rk_row, rk1_row, drdt, h, rows, shifts, stencil, rho,
                           out_re, out_im):
    """:func:`_yk_of_density` of the real and the imaginary part of the transition density
    :math:`u_{b,P}z_P + c^{-2}u_{b,Q}z_Q` (``rho``: work space). The kernel uses the batched
    :func:`_yk_of_both_signs`; this one-density form is its plain reference in the tests."""
    for r in range(m):
        rho[r] = uP_b[r] * zp[r].real + c2 * uQ_b[r] * zq[r].real
    _yk_of_density(rk_row, rk1_row, drdt, rho, m, h, rows, shifts, stencil, out_re)
    for r in range(m):
        rho[r] = uP_b[r] * zp[r].imag + c2 * uQ_b[r] * zq[r].imag
    _yk_of_density(rk_row, rk1_row, drdt, rho, m, h, rows, shifts, stencil, out_im)


@kernel
def _yk_of_both_signs(uP_b, uQ_b, Zj, c2, m, k, rk, rk1, drdt, h, rows, shifts, stencil, rho4, ks4, rho_of4, out):
    """``out[col, s, :]``: :func:`_yk_of_complex_density` of the transition densities
    :math:`u_b z_{j,s}` of both signs ``s`` (``Zj = Z[j]``), the four real densities (sign
    by real and imaginary part) in one :func:`~nuatom.structure.coulomb._yk_rows` call, so
    their running sums overlap; the same numbers bit for bit. ``rho4`` (4 x nb), ``ks4``,
    ``rho_of4``: work space."""
    for s in range(2):
        zp = Zj[s, 0]
        zq = Zj[s, 1]
        re = rho4[2 * s]
        im = rho4[2 * s + 1]
        for r in range(m):
            re[r] = uP_b[r] * zp[r].real + c2 * uQ_b[r] * zq[r].real
        for r in range(m):
            im[r] = uP_b[r] * zp[r].imag + c2 * uQ_b[r] * zq[r].imag
    for d in range(4):
        ks4[d] = k
        rho_of4[d] = d
    Y = _yk_rows(rk, rk1, ks4, 0, m, drdt, rho4, rho_of4, h, rows, shifts, stencil)
    rk1_row = rk1[k]
    nb = out.shape[2]
    for s in range(2):
        for col in range(2):
            y = Y[2 * s + col]
            o = out[col, s]
            o[:m] = y
            tail = y[m - 1] / rk1_row[m - 1]
            for r in range(m, nb):
                o[r] = tail * rk1_row[r]


@kernel
def _induced_kernel(Z, uP, uQ, ext, c2, nb, rk, rk1, drdt, h, rows, shifts, stencil, orb_of, J,
                    dir_i, dir_j, dir_same, dir_other, pair_i, pair_j, pair_W,
                    x2_orbital, x2_channel, x2_k, grp_target, grp_orbital, grp_ptr, grp_key, grp_coef):
    """Complex ``V[i, s, comp, :]`` for complex ``Z[i, s, comp, :]`` (s: 0 for +omega, 1 for
    -omega, comp: P/Q). The potentials are real-linear, so the real and imaginary parts
    (``col`` 0 and 1) go through the same real sums; the complex arrays are read and
    written in place, with no split and join copies. A density ``u_b z`` vanishes beyond
    ``ext[b]`` (the orbital's extent, where :meth:`_System._build_grid` cuts it), so its
    ``Y^k`` is integrated on ``[0, ext[b])`` and continued outward exactly as
    :math:`Y^k(r_e)(r_e/r)^{k+1}` (:func:`_yk_of_density`)."""
    nch, _, _, n = Z.shape
    V = np.zeros(Z.shape, dtype=np.complex128)
    # direct: Y^J of every channel's transition density
    rho4 = np.empty((4, nb))
    ks4 = np.empty(4, dtype=np.int64)
    rho_of4 = np.empty(4, dtype=np.int64)
    ydir = np.empty((2, nch, 2, nb))
    for j in range(nch):
        b = orb_of[j]
        _yk_of_both_signs(uP[b], uQ[b], Z[j], c2, ext[b], J, rk, rk1, drdt, h, rows, shifts, stencil, rho4, ks4,
                          rho_of4, ydir[:, j])
    pot = np.zeros((2, nch, 2, nb))
    for t in range(dir_i.shape[0]):
        i = dir_i[t]
        j = dir_j[t]
        for col in range(2):
            for s in range(2):
                for r in range(nb):
                    pot[col, i, s, r] += dir_same[t] * ydir[col, j, s, r] + dir_other[t] * ydir[col, j, 1 - s, r]
    for i in range(nch):
        a = orb_of[i]
        for s in range(2):
            vp = V[i, s, 0]
            vq = V[i, s, 1]
            for r in range(nb):
                y = complex(pot[0, i, s, r], pot[1, i, s, r])
                vp[r] += uP[a, r] * y
                vq[r] += uQ[a, r] * y
    # static exchange pairs (and open-shell self terms) on the whole grid. A real potential
    # times a complex orbital, on the float views of both (real and imaginary parts
    # interleaved): a complex product would promote w to complex and spend four
    # multiplications where two are needed (the same values: w * z.real - 0 * z.imag)
    Vf = V.reshape(nch * 4, n).view(np.float64)
    Zf = Z.reshape(nch * 4, n).view(np.float64)
    for p in range(pair_i.shape[0]):
        i = pair_i[p]
        j = pair_j[p]
        w = pair_W[p]
        for sc in range(4):
            v = Vf[4 * i + sc]
            z = Zf[4 * j + sc]
            for r in range(n):
                v[2 * r] += w[r] * z[2 * r]
                v[2 * r + 1] += w[r] * z[2 * r + 1]
    # induced exchange: Y^k(u_a z_{j,s'}) once per (a, j, k, s'), then grouped sums
    nkey = x2_orbital.shape[0]
    yx = np.empty((2, nkey, 2, nb))
    for key in range(nkey):
        a = x2_orbital[key]
        j = x2_channel[key]
        k = x2_k[key]
        _yk_of_both_signs(uP[a], uQ[a], Z[j], c2, ext[a], k, rk, rk1, drdt, h, rows, shifts, stencil, rho4, ks4,
                          rho_of4, yx[:, key])
    acc = np.empty((2, nb))
    for g in range(grp_target.shape[0]):
        i = grp_target[g]
        b = grp_orbital[g]
        for s in range(2):
            acc[:, :] = 0.0
            for m in range(grp_ptr[g], grp_ptr[g + 1]):
                key = grp_key[m]
                cf = grp_coef[m]
                for col in range(2):
                    for r in range(nb):
                        acc[col, r] += cf * yx[col, key, 1 - s, r]
            vp = V[i, s, 0]
            vq = V[i, s, 1]
            for r in range(nb):
                y = complex(acc[0, r], acc[1, r])
                vp[r] += uP[b, r] * y
                vq[r] += uQ[b, r] * y
    return V


def induced_potentials(sysm, tables: InducedTables, z: np.ndarray) -> np.ndarray:
    """Induced potentials, complex array ``[channel, sign (+omega, -omega), P/Q, r]``, for the
    first-order orbitals ``z`` of the same shape."""
    gb = sysm.fine_b
    t = tables
    return _induced_kernel(np.ascontiguousarray(z, dtype=np.complex128), sysm.uP, sysm.uQ, t.extent, float(sysm.c2),
                           int(sysm.nb), t.rk, t.rk1, gb.drdt, gb.h, gb._rows, gb._shifts, CUMULATIVE_STENCIL,
                           t.orb_of, t.J, t.dir_i, t.dir_j, t.dir_same, t.dir_other, t.pair_i, t.pair_j,
                           t.pair_W, t.x2_orbital, t.x2_channel, t.x2_k, t.grp_target, t.grp_orbital,
                           t.grp_ptr, t.grp_key, t.grp_coef)
