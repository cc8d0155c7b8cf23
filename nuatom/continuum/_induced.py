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

import numpy as np

from nuatom.numerics.jit import kernel
from nuatom.numerics.grid import CUMULATIVE_STENCIL
from nuatom.structure.coulomb import K_TABLE_MAX, _power_table, _yk_kernel

__all__ = ["InducedTables", "induced_tables", "induced_potentials"]


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
    return InducedTables(
        orb_of=orb_of, J=int(sysm.J),
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
def _induced_kernel(Z, uP, uQ, c2, nb, rk, rk1, drdt, h, rows, shifts, stencil, orb_of, J,
                    dir_i, dir_j, dir_same, dir_other, pair_i, pair_j, pair_W,
                    x2_orbital, x2_channel, x2_k, grp_target, grp_orbital, grp_ptr, grp_key, grp_coef):
    """``V[col, i, s, comp, :]`` for ``Z[col, i, s, comp, :]`` (col: real/imaginary part,
    s: 0 for +omega, 1 for -omega, comp: P/Q)."""
    ncol, nch, _, _, n = Z.shape
    V = np.zeros(Z.shape)
    rho = np.empty(nb)
    # direct: Y^J of every channel's transition density
    ydir = np.empty((ncol, nch, 2, nb))
    for col in range(ncol):
        for j in range(nch):
            b = orb_of[j]
            for s in range(2):
                for r in range(nb):
                    rho[r] = uP[b, r] * Z[col, j, s, 0, r] + c2 * uQ[b, r] * Z[col, j, s, 1, r]
                ydir[col, j, s, :] = _yk_kernel(rk[J], rk1[J], drdt, rho, h, rows, shifts, stencil)
    pot = np.zeros((ncol, nch, 2, nb))
    for t in range(dir_i.shape[0]):
        i = dir_i[t]
        j = dir_j[t]
        for col in range(ncol):
            for s in range(2):
                for r in range(nb):
                    pot[col, i, s, r] += dir_same[t] * ydir[col, j, s, r] + dir_other[t] * ydir[col, j, 1 - s, r]
    for col in range(ncol):
        for i in range(nch):
            a = orb_of[i]
            for s in range(2):
                for r in range(nb):
                    V[col, i, s, 0, r] += uP[a, r] * pot[col, i, s, r]
                    V[col, i, s, 1, r] += uQ[a, r] * pot[col, i, s, r]
    # static exchange pairs (and open-shell self terms) on the whole grid
    for p in range(pair_i.shape[0]):
        i = pair_i[p]
        j = pair_j[p]
        for col in range(ncol):
            for s in range(2):
                for comp in range(2):
                    for r in range(n):
                        V[col, i, s, comp, r] += pair_W[p, r] * Z[col, j, s, comp, r]
    # induced exchange: Y^k(u_a z_{j,s'}) once per (a, j, k, s'), then grouped sums
    nkey = x2_orbital.shape[0]
    yx = np.empty((ncol, nkey, 2, nb))
    for key in range(nkey):
        a = x2_orbital[key]
        j = x2_channel[key]
        k = x2_k[key]
        for col in range(ncol):
            for s in range(2):
                for r in range(nb):
                    rho[r] = uP[a, r] * Z[col, j, s, 0, r] + c2 * uQ[a, r] * Z[col, j, s, 1, r]
                yx[col, key, s, :] = _yk_kernel(rk[k], rk1[k], drdt, rho, h, rows, shifts, stencil)
    acc = np.empty(nb)
    for g in range(grp_target.shape[0]):
        i = grp_target[g]
        b = grp_orbital[g]
        for col in range(ncol):
            for s in range(2):
                acc[:] = 0.0
                for m in range(grp_ptr[g], grp_ptr[g + 1]):
                    key = grp_key[m]
                    cf = grp_coef[m]
                    for r in range(nb):
                        acc[r] += cf * yx[col, key, 1 - s, r]
                for r in range(nb):
                    V[col, i, s, 0, r] += uP[b, r] * acc[r]
                    V[col, i, s, 1, r] += uQ[b, r] * acc[r]
    return V


def induced_potentials(sysm, tables: InducedTables, z: np.ndarray) -> np.ndarray:
    """Induced potentials, complex array ``[channel, sign (+omega, -omega), P/Q, r]``, for the
    first-order orbitals ``z`` of the same shape."""
    Z = np.empty((2,) + z.shape)
    Z[0] = z.real
    Z[1] = z.imag
    gb = sysm.fine_b
    t = tables
    V = _induced_kernel(Z, sysm.uP, sysm.uQ, float(sysm.c2), int(sysm.nb), t.rk, t.rk1, gb.drdt, gb.h,
                        gb._rows, gb._shifts, CUMULATIVE_STENCIL, t.orb_of, t.J, t.dir_i, t.dir_j,
                        t.dir_same, t.dir_other, t.pair_i, t.pair_j, t.pair_W, t.x2_orbital,
                        t.x2_channel, t.x2_k, t.grp_target, t.grp_orbital, t.grp_ptr, t.grp_key,
                        t.grp_coef)
    out = np.empty(V.shape[1:], dtype=complex)
    out.real = V[0]
    out.imag = V[1]
    return out
