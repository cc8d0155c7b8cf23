"""Photoabsorption from hydrogen 1s: continuum oscillator-strength density, Stobbe's cross section, discrete oscillator strengths.

Hartree atomic units throughout (see :mod:`nuatom.oracles`); slow but obviously correct references,
nothing compiled or cached.
"""
from __future__ import annotations

import math

import numpy as np

from nuatom import units as u
from nuatom._validate import nonnegative_array
from nuatom.oracles._common import integer_array, nuclear_charge, as_output
from nuatom.oracles.hydrogen_response import hydrogen_1s_continuum_response_per_hartree


def _threshold_factor(k1: np.ndarray) -> np.ndarray:
    """exp(-4 arctan(k1)/k1) / (1 - exp(-2 pi/k1)); its k1 -> 0 limit is exp(-4)."""
    k_safe = np.where(k1 > 0.0, k1, 1.0)
    exponent = np.where(k1 > 0.0, 4.0 * np.arctan(k_safe) / k_safe, 4.0)
    denominator = np.where(k1 > 0.0, -np.expm1(-2.0 * np.pi / k_safe), 1.0)
    return np.exp(-exponent) / denominator


def hydrogen_1s_continuum_oscillator_strength_density_per_hartree(T_hartree, Z=1.0):
    """Optical oscillator-strength density df/dT of 1s → continuum, in 1/Hartree.

    Parameters
    ----------
    T_hartree : array_like
        Photon energy (energy transfer) in Hartree (>= 0). Zero below the threshold
        :math:`I = Z^2/2`.
    Z : array_like
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        df/dT in 1/Hartree (summed over final l = 1, m; per electron).

    Notes
    -----
    With :math:`k = \\sqrt{2(T - Z^2/2)}` and :math:`\\kappa = k/Z`
    :cite:`BetheSalpeter1957,Inokuti1971`,

    .. math::
        \\frac{df}{dT} = \\frac{2^8}{3Z^2}\\,
        \\frac{e^{-4\\arctan(\\kappa)/\\kappa}}{(1+\\kappa^2)^4\\,(1 - e^{-2\\pi/\\kappa})},

    equal to the q → 0 limit of :math:`(2T/q^2)S(q,T)`
    (:func:`hydrogen_1s_continuum_response_per_hartree`). At threshold it is
    :math:`2^8 e^{-4}/(3Z^2) = 1.5629/Z^2`; its integral over the continuum is 0.43501
    (the bound lines carry the remaining 0.56499 of the TRK sum).
    """
    T = nonnegative_array("T_hartree", T_hartree, "Hartree")
    Zarr = nuclear_charge(Z)
    T, Zarr = np.broadcast_arrays(T, Zarr)
    above = T >= 0.5 * Zarr**2
    k1 = np.sqrt(np.where(above, 2.0 * T / Zarr**2 - 1.0, 0.0))
    value = 2.0**8 / (3.0 * Zarr**2) * _threshold_factor(k1) / (1.0 + k1**2) ** 4
    return as_output(np.where(above, value, 0.0))


def hydrogen_1s_photoionization_cm2(omega_hartree, Z=1.0):
    """Nonrelativistic dipole photoionization cross section of hydrogen-like 1s, in cm².

    Parameters
    ----------
    omega_hartree : array_like
        Photon energy in Hartree (>= 0). Below the threshold :math:`I = Z^2/2` the cross
        section is 0.
    Z : array_like
        Nuclear charge in units of e (> 0).

    Returns
    -------
    float or ndarray
        σ in cm² per atom (one 1s electron).

    Notes
    -----
    Stobbe's exact dipole result :cite:`Stobbe1930,BetheSalpeter1957`, with
    :math:`\\nu = Z/k = \\sqrt{I/(\\omega - I)}`:

    .. math::
        \\sigma(\\omega) = \\frac{2^9\\pi^2\\alpha a_0^2}{3Z^2}
        \\left(\\frac{I}{\\omega}\\right)^4
        \\frac{e^{-4\\nu\\,\\mathrm{arccot}\\,\\nu}}{1 - e^{-2\\pi\\nu}},
        \\qquad
        \\sigma_{\\rm th} = \\frac{2^9\\pi^2}{3e^4}\\frac{\\alpha a_0^2}{Z^2}
        = \\frac{6.304\\times10^{-18}\\ \\mathrm{cm}^2}{Z^2}.

    It equals :math:`2\\pi^2\\alpha\\,df/d\\omega` (a.u., bohr²) with the density of
    :func:`hydrogen_1s_continuum_oscillator_strength_density_per_hartree`. Valid for
    :math:`\\omega \\ll c^2` and :math:`Z\\alpha \\ll 1` (no retardation, no relativity).
    """
    omega = nonnegative_array("omega_hartree", omega_hartree, "Hartree")
    Zarr = nuclear_charge(Z)
    omega, Zarr = np.broadcast_arrays(omega, Zarr)
    ionization = 0.5 * Zarr**2
    above = omega >= ionization
    omega_safe = np.where(above, omega, ionization)
    k1 = np.sqrt(np.maximum(2.0 * omega_safe / Zarr**2 - 1.0, 0.0))  # = 1/nu
    prefactor_cm2 = 2.0**9 * math.pi**2 * u.ALPHA * u.BOHR_CM**2 / 3.0
    sigma = prefactor_cm2 / Zarr**2 * (ionization / omega_safe) ** 4 * _threshold_factor(k1)
    return as_output(np.where(above, sigma, 0.0))


def hydrogen_1s_bound_oscillator_strength(n):
    """Absorption oscillator strength :math:`f_{1s\\to n}` summed over the n p sublevels (dimensionless).

    Parameters
    ----------
    n : array_like of int
        Upper principal quantum number (>= 2). Independent of Z.

    Returns
    -------
    float or ndarray
        :math:`f_{1s\\to np} = \\dfrac{2^8 n^5 (n-1)^{2n-4}}{3(n+1)^{2n+4}}`
        :cite:`BetheSalpeter1957`: 0.41620 (n = 2), 0.07910 (n = 3), …; the sum over
        n >= 2 is 0.56499 and :math:`n^3 f_n \\to 2^8 e^{-4}/3`. Evaluated in logarithms.
    """
    narr = integer_array("n", n, minimum=2).astype(float)
    log_f = (8.0 * math.log(2.0) + 5.0 * np.log(narr) - math.log(3.0)
             + (2.0 * narr - 4.0) * np.log(narr - 1.0) - (2.0 * narr + 4.0) * np.log(narr + 1.0))
    return as_output(np.exp(log_f))
