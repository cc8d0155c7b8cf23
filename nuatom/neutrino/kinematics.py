"""Two-body and bound-electron kinematics of neutrino scattering (energies in keV).

Notation follows the seed talk: incoming neutrino energy ``E_nu``, outgoing
``E_nu' = E_nu - T``, energy transfer ``T``, three-momentum transfer ``q = |k1 - k2|``
and four-momentum transfer squared ``q^2 = T^2 - |q|^2 <= 0``. Neutrinos are massless.
"""
from __future__ import annotations

import numpy as np

from nuatom._validate import finite_nonnegative_array, finite_result
from nuatom.units import ME_KEV

__all__ = ["t_max_free_keV", "e_nu_min_free_keV", "q_range_keV", "q2_free_keV2",
           "cos_theta_from_q"]


def _broadcast(*arrays):
    try:
        return np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = " and ".join(str(a.shape) for a in arrays)
        raise ValueError(f"E_nu_keV, T_keV (and q_keV) have shapes {shapes} that do not broadcast; "
                         "the valid range is arrays of one shape or scalars") from None


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
    E = finite_nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    # E / (1 + m_e/2E) = 2E^2/(m_e + 2E) without overflow of E^2 for huge E
    with np.errstate(over="ignore"):  # subnormal E: m_e/2E = inf, T_max = 0 (correct)
        ratio = np.divide(0.5 * ME_KEV, E, out=np.full(E.shape, np.inf), where=E > 0)
    return E / (1.0 + ratio)


def e_nu_min_free_keV(T_keV):
    """Smallest neutrino energy that can give a free electron the kinetic energy ``T``, in keV.

    Inverts :func:`t_max_free_keV`:
    :math:`E_\\min = \\left[T + \\sqrt{T^2 + 2 m_e T}\\right]/2`.
    """
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    # T (1 + sqrt(1 + 2 m_e/T))/2 for large T (no overflow of T^2), the textbook form below
    big = T > 1e100
    safe = np.where(big, T, 0.0)
    small = np.where(big, 0.0, T)
    with np.errstate(divide="ignore", invalid="ignore"):
        large_form = 0.5 * safe * (1.0 + np.sqrt(1.0 + 2.0 * ME_KEV / np.where(big, safe, 1.0)))
    return np.where(big, large_form, 0.5 * (small + np.sqrt(small**2 + 2.0 * ME_KEV * small)))


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
    E = finite_nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    E, T = _broadcast(E, T)
    if np.any(T > E):
        raise ValueError("T_keV exceeds E_nu_keV; the valid range of the energy transfer is "
                         "0 <= T_keV <= E_nu_keV")
    E_prime = E - T
    with np.errstate(over="ignore"):
        q_max = E + E_prime
    finite_result(q_max, f"E_nu_keV = {float(np.max(E, initial=0.0)):g} keV", "[0, 8.9e307] keV")
    return np.abs(E - E_prime), q_max


def q2_free_keV2(T_keV):
    """Four-momentum transfer squared on a free electron at rest, :math:`q^2 = -2 m_e T` (keV²)."""
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    with np.errstate(over="ignore"):
        q2 = -2.0 * ME_KEV * T
    return finite_result(q2, f"T_keV = {float(np.max(T, initial=0.0)):g} keV", "[0, 1e305] keV")


def cos_theta_from_q(E_nu_keV, T_keV, q_keV):
    """Neutrino scattering angle for given ``(E_nu, T, q)``: :math:`q^2 = E^2 + E'^2 - 2EE'\\cos\\theta`."""
    E = finite_nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    q = finite_nonnegative_array("q_keV", q_keV, "keV")
    E, T, q = _broadcast(E, T, q)
    if np.any(T >= E):
        raise ValueError("T_keV >= E_nu_keV: the valid range of the energy transfer is 0 <= T_keV < "
                         "E_nu_keV (an outgoing neutrino of energy E_nu - T > 0)")
    q_min, q_max = q_range_keV(E, T)
    if np.any((q < q_min * (1 - 1e-12)) | (q > q_max * (1 + 1e-12))):
        raise ValueError("q_keV is outside the valid range [T, 2 E_nu - T] keV of the kinematics")
    Ep = E - T
    # E^2 + E'^2 - q^2 = T^2 - q^2 + 2 E E', written so that nothing overflows for huge E:
    # |T - q| <= 2E' and T + q <= 2E inside the kinematic range
    return np.clip(1.0 + ((T - q) / Ep) * ((T + q) / (2.0 * E)), -1.0, 1.0)
