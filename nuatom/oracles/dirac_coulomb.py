"""Dirac energies of a point-nucleus hydrogen-like ion (Sommerfeld's fine-structure formula).

Hartree atomic units throughout (see :mod:`nuatom.oracles`); slow but obviously correct references,
nothing compiled or cached.
"""
from __future__ import annotations

import numpy as np

from nuatom import units as u
from nuatom._validate import finite_scalar
from nuatom.oracles._common import integer_array, nuclear_charge, as_output


def dirac_hydrogenic_energy_hartree(Z, n, kappa, c: float = u.C_AU):
    """Exact Dirac energy of a point-nucleus hydrogen-like level, rest mass excluded, in Hartree.

    Parameters
    ----------
    Z : array_like
        Nuclear charge in units of e (> 0; need not be an integer).
    n : array_like of int
        Principal quantum number (>= 1).
    kappa : array_like of int
        Relativistic angular quantum number, :math:`-n \\le \\kappa \\le n-1`,
        :math:`\\kappa \\ne 0` (``kappa = -(l+1)`` for j = l + 1/2, ``kappa = l`` for
        j = l − 1/2).
    c : float
        Speed of light in atomic units (default :data:`nuatom.units.C_AU` = 1/α); a large
        ``c`` gives the nonrelativistic limit −Z²/(2n²).

    Returns
    -------
    float or ndarray
        :math:`E_{n\\kappa} - c^2` in Hartree (negative), broadcast over the inputs.

    Raises
    ------
    ValueError
        For non-integer or out-of-range ``n``/``kappa``, ``Z <= 0``, or
        :math:`Z/c \\ge |\\kappa|` (no normalizable point-nucleus solution).

    Notes
    -----
    The Sommerfeld–Darwin–Gordon formula :cite:`Johnson2007,BetheSalpeter1957`

    .. math::
        E = c^2\\left[\\left(1 + \\frac{(Z/c)^2}{(n - |\\kappa| + \\gamma)^2}\\right)^{-1/2} - 1\\right],
        \\qquad \\gamma = \\sqrt{\\kappa^2 - (Z/c)^2},

    is evaluated without the two catastrophic cancellations of the textbook form (for Z = 1
    the bracket is ~3e-5 and a direct evaluation loses five digits):
    :math:`|\\kappa| - \\gamma = (Z/c)^2/(|\\kappa| + \\gamma)` and, with
    :math:`x = (Z/c)^2/(n - |\\kappa| + \\gamma)^2`,
    :math:`(1+x)^{-1/2} - 1 = -x/[\\sqrt{1+x}\\,(1+\\sqrt{1+x})]`. The result is accurate to
    a few units in the last place for every Z (tested against 50-digit mpmath).
    """
    Zarr = nuclear_charge(Z)
    narr = integer_array("n", n, minimum=1)
    karr = integer_array("kappa", kappa)
    c = finite_scalar("c", c, "(speed of light, atomic units)")
    if c <= 0.0:
        raise ValueError(f"c = {c} is outside the valid range (0, inf) (atomic units)")
    Zb, nb, kb = np.broadcast_arrays(Zarr, narr, karr)
    if np.any(kb == 0):
        raise ValueError("kappa = 0 is not allowed; valid range -n <= kappa <= n-1, kappa != 0")
    bad = (kb < -nb) | (kb > nb - 1)
    if np.any(bad):
        i = np.flatnonzero(bad.ravel())[0]
        raise ValueError(f"kappa = {kb.ravel()[i]} is outside the valid range "
                         f"[{-nb.ravel()[i]}, {nb.ravel()[i] - 1}] for n = {nb.ravel()[i]}")
    abs_kappa = np.abs(kb).astype(float)
    za = Zb / c
    if np.any(za >= abs_kappa):
        i = np.flatnonzero((za >= abs_kappa).ravel())[0]
        raise ValueError(f"Z = {Zb.ravel()[i]:g} >= c|kappa| = {c * abs_kappa.ravel()[i]:g}: "
                         "no point-nucleus Dirac bound state; valid range 0 < Z < c|kappa|")
    gamma = np.sqrt((abs_kappa - za) * (abs_kappa + za))
    delta = za * za / (abs_kappa + gamma)  # = |kappa| - gamma, cancellation-free
    n_eff = nb - delta                     # = n - |kappa| + gamma
    x = (za / n_eff) ** 2
    root = np.sqrt(1.0 + x)
    return as_output(-c * c * x / (root * (1.0 + root)))
