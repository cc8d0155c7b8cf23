"""Nonrelativistic hydrogen-like bound and continuum wave functions and Coulomb phase shifts.

Hartree atomic units throughout (see :mod:`nuatom.oracles`); slow but obviously correct references,
nothing compiled or cached.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import special

from nuatom._validate import nonnegative_array, positive_array
from nuatom.oracles._common import integer_array, nuclear_charge, as_output


def hydrogenic_energy_hartree(n, Z=1.0):
    """Nonrelativistic hydrogen-like bound-state energy :math:`-Z^2/(2n^2)` in Hartree.

    Parameters
    ----------
    n : array_like of int
        Principal quantum number (>= 1).
    Z : array_like
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        Energy in Hartree (infinite nuclear mass).
    """
    narr = integer_array("n", n, minimum=1)
    Zarr = nuclear_charge(Z)
    return as_output(-0.5 * Zarr**2 / narr.astype(float) ** 2)


def hydrogenic_radial_wavefunction(n, l, r_bohr, Z=1.0):
    """Normalized nonrelativistic radial function :math:`R_{nl}(r)` in bohr^(-3/2).

    Parameters
    ----------
    n, l : int
        Principal (>= 1) and orbital (0 <= l <= n−1) quantum numbers.
    r_bohr : array_like
        Radius in bohr (>= 0).
    Z : float
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        :math:`R_{nl}(r)`, normalized :math:`\\int_0^\\infty R_{nl}^2 r^2\\,dr = 1`, positive
        near the origin. The reduced function used elsewhere is :math:`u = rR`.

    Notes
    -----
    With :math:`\\rho = 2Zr/n` :cite:`BetheSalpeter1957,LandauLifshitzQM`

    .. math::
        R_{nl} = \\sqrt{\\left(\\frac{2Z}{n}\\right)^3\\frac{(n-l-1)!}{2n\\,(n+l)!}}\\,
        e^{-\\rho/2}\\rho^l L^{(2l+1)}_{n-l-1}(\\rho),

    with the generalized Laguerre polynomial of :func:`scipy.special.eval_genlaguerre`
    (modern normalization). The factorial ratio is taken in logarithms, so large n is safe
    up to the accuracy of the Laguerre recursion.
    """
    n_i = int(integer_array("n", n, minimum=1))
    l_i = int(integer_array("l", l, minimum=0))
    if l_i > n_i - 1:
        raise ValueError(f"l = {l_i} is outside the valid range [0, {n_i - 1}] for n = {n_i}")
    Zf = float(nuclear_charge(Z))
    r = nonnegative_array("r_bohr", r_bohr, "bohr")
    rho = 2.0 * Zf * r / n_i
    log_norm = 0.5 * (3.0 * math.log(2.0 * Zf / n_i) + special.gammaln(n_i - l_i)
                      - math.log(2.0 * n_i) - special.gammaln(n_i + l_i + 1))
    values = (math.exp(log_norm) * np.exp(-0.5 * rho) * rho**l_i
              * special.eval_genlaguerre(n_i - l_i - 1, 2 * l_i + 1, rho))
    return as_output(values)


def coulomb_phase_shift(l, E_hartree, Z=1.0):
    """Coulomb phase shift :math:`\\sigma_l = \\arg\\Gamma(l + 1 - iZ/k)` (radians), attractive charge Z.

    Parameters
    ----------
    l : int
        Orbital angular momentum (>= 0).
    E_hartree : float
        Kinetic energy of the continuum electron in Hartree (> 0); :math:`k = \\sqrt{2E}`.
    Z : float
        Nuclear charge in units of e (>= 0; Z = 0 gives 0).

    Returns
    -------
    float
        The phase in radians (principal branch of :func:`scipy.special.loggamma`).
    """
    l_i = int(integer_array("l", l, minimum=0))
    E = float(positive_array("E_hartree", E_hartree, "Hartree"))
    Zf = float(nonnegative_array("Z", Z, "(nuclear charge in units of e)"))
    k = math.sqrt(2.0 * E)
    return float(np.imag(special.loggamma(complex(l_i + 1.0, -Zf / k))))


def coulomb_continuum_radial_function(E_hartree, l, r_bohr, Z=1.0):
    """Energy-normalized Coulomb continuum function :math:`u_{El}(r)` in (Hartree·bohr)^(-1/2).

    Regular solution of :math:`u'' + [2E + 2Z/r - l(l+1)/r^2]u = 0` for an attractive
    nuclear charge Z, used to test nuatom's numerical continuum in the limit c → ∞.

    Parameters
    ----------
    E_hartree : float
        Kinetic energy of the electron in Hartree (> 0), :math:`k = \\sqrt{2E}` in 1/bohr.
    l : int
        Orbital angular momentum (>= 0).
    r_bohr : array_like
        Radius in bohr (>= 0).
    Z : float
        Nuclear charge in units of e (>= 0; Z = 0 gives the Riccati–Bessel function).

    Returns
    -------
    float or ndarray
        :math:`u_{El}(r) = \\sqrt{2/(\\pi k)}\\,F_l(\\eta, kr)`, :math:`\\eta = -Z/k`.

    Notes
    -----
    :math:`F_l(\\eta,\\rho)` is the regular Coulomb wave function of :cite:`Olver2010`
    (§33.2), evaluated with :func:`mpmath.coulombf` (arbitrary precision, run at 15
    digits; about 0.2 ms per point — a reference, not a production routine). For
    :math:`r \\to \\infty`

    .. math::
        u_{El}(r) \\to \\sqrt{\\frac{2}{\\pi k}}\\,
        \\sin\\!\\left(kr + \\frac{Z}{k}\\ln 2kr - \\frac{l\\pi}{2} + \\sigma_l\\right),
        \\qquad \\sigma_l = \\arg\\Gamma(l+1-iZ/k),

    which is the normalization :math:`\\int_0^\\infty u_{El}u_{E'l}\\,dr = \\delta(E-E')`
    (conventions.md): the sine-normalized :math:`\\sqrt{2/\\pi}\\sin` is δ(k − k') and
    :math:`\\delta(k-k') = k\\,\\delta(E-E')`.
    """
    import mpmath  # ships with sympy; imported here so that importing nuatom stays light

    l_i = int(integer_array("l", l, minimum=0))
    E = float(positive_array("E_hartree", E_hartree, "Hartree"))
    Zf = float(nonnegative_array("Z", Z, "(nuclear charge in units of e)"))
    r = nonnegative_array("r_bohr", r_bohr, "bohr")
    k = math.sqrt(2.0 * E)
    eta = -Zf / k
    amplitude = math.sqrt(2.0 / (math.pi * k))
    coulombf = np.frompyfunc(lambda rho: float(mpmath.coulombf(l_i, eta, rho)), 1, 1)
    values = amplitude * np.asarray(coulombf(k * r), dtype=float)
    return as_output(values)
