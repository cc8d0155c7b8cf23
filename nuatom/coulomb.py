"""Coulomb (Slater) integrals between radial orbitals.

:math:`Y^k_{ab}(r) = \\int_0^\\infty \\frac{r_<^k}{r_>^{k+1}}\\rho_{ab}(r')\\,dr'` with the
overlap density :math:`\\rho_{ab} = P_aP_b + c^{-2}\\tilde Q_a\\tilde Q_b`, computed as
:math:`r^{-k-1}\\int_0^r r'^k\\rho\\,dr' + r^k\\int_r^\\infty r'^{-k-1}\\rho\\,dr'` with the
order-8 cumulative quadrature of :class:`~nuatom.grid.RadialGrid` (each integral
accumulated from its own end, so neither loses precision by cancellation). ``Y`` is the
potential (1/bohr) of the multipole-``k`` charge distribution, and the radial Slater
integral is :math:`R^k(ab;cd) = \\int \\rho_{ac}(r)\\,Y^k_{bd}(r)\\,dr` (Hartree).
"""
from __future__ import annotations

import numpy as np

from ._numba import kernel
from .grid import CUMULATIVE_STENCIL, _cumulative_kernel

__all__ = ["yk", "yk_from_density", "slater_rk", "density"]


@kernel
def _yk_kernel(r, drdt, rho, k, h, rows, shifts, stencil):
    n = r.shape[0]
    inner = np.empty(n)
    outer = np.empty(n)
    for i in range(n):
        inner[i] = r[i] ** k * rho[i] * drdt[i]
        outer[n - 1 - i] = rho[i] / r[i] ** (k + 1) * drdt[i]
    a = _cumulative_kernel(inner, h, rows, shifts, stencil)
    b = _cumulative_kernel(outer, h, rows, shifts, stencil)
    y = np.empty(n)
    for i in range(n):
        y[i] = a[i] / r[i] ** (k + 1) + r[i] ** k * b[n - 1 - i]
    return y


def density(Pa, Qa, Pb, Qb, inv_c2):
    """Overlap density :math:`P_aP_b + c^{-2}\\tilde Q_a\\tilde Q_b` (1/bohr)."""
    return Pa * Pb + inv_c2 * Qa * Qb


def yk_from_density(grid, rho, k: int) -> np.ndarray:
    """:math:`Y^k(r)` in 1/bohr (the multipole-``k`` potential of the density ``rho``)."""
    if k < 0:
        raise ValueError(f"multipole k = {k} must be >= 0")
    return _yk_kernel(grid.r, grid.drdt, np.ascontiguousarray(rho, dtype=np.float64), int(k),
                      grid.h, grid._rows, grid._shifts, CUMULATIVE_STENCIL)


def yk(grid, a, b, k: int, inv_c2: float) -> np.ndarray:
    """:math:`Y^k_{ab}(r)` for orbitals ``a, b`` given as ``(P, Qt)`` pairs."""
    return yk_from_density(grid, density(a[0], a[1], b[0], b[1], inv_c2), k)


def slater_rk(grid, a, b, c, d, k: int, inv_c2: float) -> float:
    """:math:`R^k(ab;cd) = \\int\\rho_{ac}Y^k_{bd}\\,dr` in Hartree."""
    y = yk(grid, b, d, k, inv_c2)
    return grid.integrate(density(a[0], a[1], c[0], c[1], inv_c2) * y)
