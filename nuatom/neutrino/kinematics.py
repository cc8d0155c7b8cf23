"""Two-body and bound-electron kinematics of neutrino scattering (energies in keV).

Notation follows the seed talk: incoming neutrino energy ``E_nu``, outgoing
``E_nu' = E_nu - T``, energy transfer ``T``, three-momentum transfer ``q = |k1 - k2|``
and four-momentum transfer squared ``q^2 = T^2 - |q|^2 <= 0``. Neutrinos are massless.
"""
from __future__ import annotations

import numpy as np

from nuatom._validate import nonnegative_array
from nuatom.units import ME_KEV

__all__ = ["t_max_free_keV", "e_nu_min_free_keV", "q_range_keV", "q2_free_keV2",
           "cos_theta_from_q"]


def t_max_free_keV(E_nu_keV):
    """Largest recoil energy on a free electron at rest, in keV.

    Parameters
    ----------
    E_nu_keV : array_like
        Neutrino energy in keV (>= 0).

    Returns
    -------
    ndarray
        :math:`T_\\max = 2E_\\nu^2/(m_e + 2E_\\nu)` in keV (backward scattering).
    """
    E = nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    return 2.0 * E**2 / (ME_KEV + 2.0 * E)


def e_nu_min_free_keV(T_keV):
    """Smallest neutrino energy that can give a free electron the kinetic energy ``T``, in keV.

    Inverts :func:`t_max_free_keV`:
    :math:`E_\\min = \\left[T + \\sqrt{T^2 + 2 m_e T}\\right]/2`.
    """
    T = nonnegative_array("T_keV", T_keV, "keV")
    return 0.5 * (T + np.sqrt(T**2 + 2.0 * ME_KEV * T))


def q_range_keV(E_nu_keV, T_keV):
    """Range of three-momentum transfer for scattering on a bound electron, in keV.

    The atom (nucleus) absorbs any recoil momentum, so only the neutrino kinematics
    constrain ``q``: :math:`|E_\\nu - E_\\nu'| \\le q \\le E_\\nu + E_\\nu'` with
    :math:`E_\\nu' = E_\\nu - T`.

    Parameters
    ----------
    E_nu_keV, T_keV : array_like
        Neutrino energy and energy transfer in keV, broadcast together; requires
        ``0 <= T <= E_nu``.

    Returns
    -------
    (q_min, q_max) : tuple of ndarray
        In keV: ``q_min = T`` and ``q_max = 2 E_nu - T``.
    """
    E = nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    T = nonnegative_array("T_keV", T_keV, "keV")
    E, T = np.broadcast_arrays(E, T)
    if np.any(T > E):
        raise ValueError("T_keV exceeds E_nu_keV; the energy transfer must satisfy 0 <= T <= E_nu")
    E_prime = E - T
    return np.abs(E - E_prime), E + E_prime


def q2_free_keV2(T_keV):
    """Four-momentum transfer squared on a free electron at rest, :math:`q^2 = -2 m_e T` (keV²)."""
    T = nonnegative_array("T_keV", T_keV, "keV")
    return -2.0 * ME_KEV * T


def cos_theta_from_q(E_nu_keV, T_keV, q_keV):
    """Neutrino scattering angle for given ``(E_nu, T, q)``: :math:`q^2 = E^2 + E'^2 - 2EE'\\cos\\theta`."""
    E = np.asarray(E_nu_keV, dtype=float)
    Ep = E - np.asarray(T_keV, dtype=float)
    q = np.asarray(q_keV, dtype=float)
    return (E**2 + Ep**2 - q**2) / (2.0 * E * Ep)
