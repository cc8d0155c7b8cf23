"""Neutrino scattering on a free electron at rest: dσ/dT per electron, in cm²/keV.

Conventions (derived symbolically in the chapter *Free neutrino–electron scattering*):

* Effective interaction at the electron vertex
  :math:`\\mathcal L = -\\tfrac{G_F}{\\sqrt2}[\\bar\\nu\\gamma^\\mu(1-\\gamma_5)\\nu]
  [\\bar e\\gamma_\\mu(g_V - g_A\\gamma_5)e]`, with the charged-current (Fierz) part
  included in ``g_V, g_A`` for ν_e: :math:`g_V = -\\tfrac12 + 2\\sin^2\\theta_W + \\delta_{\\ell e}`,
  :math:`g_A = -\\tfrac12 + \\delta_{\\ell e}` (the seed talk's :math:`c_V, c_A`). For
  antineutrinos :math:`g_A \\to -g_A`.
* Weak: :math:`\\frac{d\\sigma}{dT} = \\frac{G_F^2 m_e}{2\\pi}\\left[(g_V+g_A)^2 +
  (g_V-g_A)^2(1-T/E_\\nu)^2 - (g_V^2-g_A^2)\\frac{m_e T}{E_\\nu^2}\\right]`.
* Magnetic moment (helicity flip, no interference with the weak amplitude):
  :math:`\\frac{d\\sigma}{dT} = \\frac{\\pi\\alpha^2}{m_e^2}\\mu_\\nu^2\\left(\\frac1T - \\frac1{E_\\nu}\\right)`,
  :math:`\\mu_\\nu` in Bohr magnetons.
* Charge form factor :math:`F_1(q^2) = \\delta_Q + q^2\\langle r^2\\rangle/6` (metric
  (+,−,−,−), :math:`\\delta_Q` the neutrino charge in units of the elementary charge
  e > 0). For a left-handed neutrino, photon exchange has the weak V−A Lorentz structure
  with a vector coupling only, i.e. it *is* a shift of ``g_V``:
  :math:`\\delta g_V(q^2) = \\frac{2\\sqrt2\\pi\\alpha}{G_F}\\frac{F_1(q^2)}{q^2}` with
  :math:`q^2 = -2m_eT` on a free electron. Hence

  - millicharge: :math:`\\delta g_V = -\\sqrt2\\pi\\alpha\\,\\delta_Q/(G_F m_e T)`;
  - charge radius: :math:`\\delta g_V = \\sqrt2\\pi\\alpha\\langle r^2\\rangle/(3G_F)
    = \\tfrac23 M_W^2\\sin^2\\theta_W\\langle r^2\\rangle` (tree level). This is the
    Vogel–Engel convention :cite:`VogelEngel1989`; papers that write
    :math:`\\sin^2\\theta_W \\to \\sin^2\\theta_W + \\sqrt2\\pi\\alpha\\langle r^2\\rangle/(3G_F)`
    shift ``g_V`` by twice as much, so their ⟨r²⟩ is half of ours for the same physics.

  The same shift applies to ν and ν̄ (only ``g_A`` flips), so the millicharge and charge
  radius interfere with the weak vector amplitude for every flavour.

All functions broadcast over ``E_nu_keV`` and ``T_keV`` and return 0 where
``T <= 0`` or ``T > T_max(E_nu)`` (outside the free-electron kinematic range).
"""
from __future__ import annotations

import functools
import math

import numpy as np

from nuatom import units as u
from nuatom._validate import choice, finite_nonnegative_array, finite_scalar
from nuatom.neutrino.kinematics import t_max_free_keV
from nuatom.neutrino.properties import Couplings, NeutrinoProperties

__all__ = [
    "couplings", "charge_radius_delta_gV",
    "millicharge_delta_gV", "dsigma_dT_vector_axial", "dsigma_dT_weak",
    "dsigma_dT_nmm", "dsigma_dT_millicharge", "dsigma_dT_total", "dsigma_dT",
    "PROCESSES",
]

PROCESSES = ("weak", "nmm", "millicharge", "total")

#: G_F^2 m_e / (2 pi) in cm^2/keV.
WEAK_PREFACTOR_CM2_PER_KEV = u.GF_KEV**2 * u.ME_KEV / (2.0 * math.pi) * u.HBARC_KEV_CM_SQ
#: pi alpha^2 / m_e^2 in cm^2 (multiplies mu_nu^2 [mu_B^2] (1/T - 1/E) [1/keV]).
NMM_PREFACTOR_CM2 = math.pi * u.ALPHA**2 / u.ME_KEV**2 * u.HBARC_KEV_CM_SQ


def couplings(neutrino="nuebar") -> Couplings:
    """Standard-model (or overridden, for NSI) couplings of ``neutrino``.

    Parameters
    ----------
    neutrino : NeutrinoProperties or str
        The neutrino, or a flavour name for a Standard-Model neutrino
        (see :class:`nuatom.neutrino.properties.NeutrinoProperties`).
    """
    return NeutrinoProperties.of(neutrino).couplings


def charge_radius_delta_gV(r2_cm2: float) -> float:
    """Shift of ``g_V`` from a neutrino charge radius ⟨r²⟩ (cm²), Vogel–Engel convention.

    :math:`\\delta g_V = \\sqrt2\\pi\\alpha\\langle r^2\\rangle/(3 G_F)`; 2.38e-2 for
    ⟨r²⟩ = 1e-32 cm². Papers that shift :math:`\\sin^2\\theta_W` by this amount instead
    double the effect (factor-2 convention difference, see the module docstring).
    """
    r2 = finite_scalar("r2_cm2", r2_cm2, "cm^2")
    r2_inv_kev2 = r2 / u.HBARC_KEV_CM_SQ
    return math.sqrt(2.0) * math.pi * u.ALPHA * r2_inv_kev2 / (3.0 * u.GF_KEV)


def millicharge_delta_gV(delta_q: float, q2_keV2):
    """Shift of ``g_V`` from a neutrino millicharge at four-momentum transfer ``q²`` (keV², < 0).

    :math:`\\delta g_V = 2\\sqrt2\\pi\\alpha\\,\\delta_Q/(G_F q^2)`.
    """
    dq = finite_scalar("delta_q", delta_q, "e")
    return 2.0 * math.sqrt(2.0) * math.pi * u.ALPHA * dq / (u.GF_KEV * np.asarray(q2_keV2, float))


def _finite_cross_section(fn):
    """Evaluate ``fn`` without floating-point warnings and refuse a non-finite result.

    Inputs are validated by :func:`_grid` (finite, >= 0); what can still overflow is the
    value itself (e.g. a millicharge term ~ δ_Q²/T² at T -> 0), reported as a
    ``ValueError`` naming the (E_nu, T) where it happens instead of returning inf.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                out = fn(*args, **kwargs)
        except OverflowError as exc:  # Python-float arithmetic of huge couplings
            raise ValueError(f"{fn.__name__}: dσ/dT overflows double precision ({exc}); the valid "
                             "range of the couplings (mu_nu_muB, delta_q, r2_cm2, g_V, g_A) is where "
                             "it stays finite") from None
        arr = np.asarray(out, dtype=float)
        if arr.size and not np.all(np.isfinite(arr)):
            names = fn.__code__.co_varnames[:fn.__code__.co_argcount]
            bound = dict(zip(names, args), **kwargs)
            E, T = np.broadcast_arrays(np.asarray(bound.get("E_nu_keV", np.nan), float),
                                       np.asarray(bound.get("T_keV", np.nan), float))
            E, T = np.broadcast_to(E, arr.shape), np.broadcast_to(T, arr.shape)
            i = np.flatnonzero(~np.isfinite(arr.ravel()))[0]
            raise ValueError(
                f"{fn.__name__}: dσ/dT overflows double precision at T_keV = {T.ravel()[i]:g}, "
                f"E_nu_keV = {E.ravel()[i]:g}; the valid range is where it stays below "
                f"{np.finfo(float).max:.3g} cm²/keV (larger T_keV or smaller couplings)")
        return out

    return wrapper


def _grid(E_nu_keV, T_keV):
    E = finite_nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    try:
        E, T = np.broadcast_arrays(E, T)
    except ValueError:
        raise ValueError(f"E_nu_keV and T_keV have shapes {E.shape} and {T.shape} that do not "
                         "broadcast; the valid range is arrays of one shape or scalars") from None
    # T < E_nu as well: T_max = E_nu - m_e/2 + ... rounds to E_nu for E_nu >> m_e
    allowed = (T > 0) & (E > 0) & (T <= t_max_free_keV(E)) & (T < E)
    # Evaluate formulas only where allowed; elsewhere use harmless placeholders.
    E_safe = np.where(allowed, E, 1.0)
    T_safe = np.where(allowed, T, 1.0)
    return E_safe, T_safe, allowed


@_finite_cross_section
def dsigma_dT_vector_axial(E_nu_keV, T_keV, g_V, g_A_signed):
    """V−A cross section for arbitrary (possibly T-dependent) couplings, cm²/keV per electron.

    ``g_A_signed`` already carries the antineutrino sign. Zero outside the kinematic range.
    """
    E, T, ok = _grid(E_nu_keV, T_keV)
    gv = np.broadcast_to(np.asarray(g_V, float), E.shape) if np.ndim(g_V) else float(g_V)
    ga = np.float64(g_A_signed)
    y = T / E
    bracket = (gv + ga) ** 2 + (gv - ga) ** 2 * (1.0 - y) ** 2 - (gv**2 - ga**2) * u.ME_KEV * y / E
    return np.where(ok, WEAK_PREFACTOR_CM2_PER_KEV * bracket, 0.0)


@_finite_cross_section
def dsigma_dT_weak(E_nu_keV, T_keV, neutrino="nuebar"):
    """Weak (Z/W exchange) dσ/dT per electron in cm²/keV, with the charge-radius shift.

    Parameters
    ----------
    E_nu_keV, T_keV : array_like
        Neutrino energy and electron recoil energy in keV (broadcast).
    neutrino : NeutrinoProperties or str
        The neutrino (flavour, sin²θ_W, NSI couplings, charge radius ⟨r²⟩ in cm², which
        enters as the ``g_V`` shift of :func:`charge_radius_delta_gV`, Vogel–Engel
        convention); a flavour name means a Standard-Model neutrino.
    """
    nu = NeutrinoProperties.of(neutrino)
    c = nu.couplings
    return dsigma_dT_vector_axial(E_nu_keV, T_keV, c.g_V + charge_radius_delta_gV(nu.r2_cm2),
                                  c.g_A_signed)


@_finite_cross_section
def dsigma_dT_nmm(E_nu_keV, T_keV, mu_nu_muB: float):
    """Magnetic-moment dσ/dT per electron in cm²/keV, μ_ν in Bohr magnetons.

    :math:`\\frac{\\pi\\alpha^2\\mu_\\nu^2}{m_e^2}\\left(\\frac1T - \\frac1{E_\\nu}\\right)`;
    it does not interfere with the weak amplitude (opposite final helicity).
    """
    mu = finite_scalar("mu_nu_muB", mu_nu_muB, "mu_B")
    E, T, ok = _grid(E_nu_keV, T_keV)
    return np.where(ok, NMM_PREFACTOR_CM2 * np.float64(mu) * mu * (1.0 / T - 1.0 / E), 0.0)


@_finite_cross_section
def dsigma_dT_millicharge(E_nu_keV, T_keV, delta_q: float):
    """Photon-exchange-squared dσ/dT per electron in cm²/keV for a neutrino charge δ_Q (units of e).

    The full tree-level term (no interference):
    :math:`\\frac{\\pi\\alpha^2\\delta_Q^2}{m_e T^2}\\left[1 + (1-T/E_\\nu)^2 - \\frac{m_eT}{E_\\nu^2}\\right]`.
    """
    E, T, ok = _grid(E_nu_keV, T_keV)
    dgv = millicharge_delta_gV(delta_q, -2.0 * u.ME_KEV * T)
    return np.where(ok, dsigma_dT_vector_axial(E, T, dgv, 0.0), 0.0)


@_finite_cross_section
def dsigma_dT_total(E_nu_keV, T_keV, neutrino="nuebar"):
    """Weak + electromagnetic dσ/dT per electron (cm²/keV), all amplitudes interfering.

    ``neutrino``: :class:`~nuatom.neutrino.properties.NeutrinoProperties` or a flavour name.
    """
    nu = NeutrinoProperties.of(neutrino)
    c = nu.couplings
    E, T, ok = _grid(E_nu_keV, T_keV)
    gv = c.g_V + charge_radius_delta_gV(nu.r2_cm2) + millicharge_delta_gV(nu.delta_q, -2.0 * u.ME_KEV * T)
    weak_em = dsigma_dT_vector_axial(E, T, gv, c.g_A_signed)
    return np.where(ok, weak_em + dsigma_dT_nmm(E, T, nu.mu_nu_muB), 0.0)


@_finite_cross_section
def dsigma_dT(process: str, E_nu_keV, T_keV, neutrino="nuebar"):
    """dσ/dT per free electron (cm²/keV) for ``process`` in {'weak', 'nmm', 'millicharge', 'total'}.

    ``weak`` includes the charge-radius shift (it is a ``g_V`` shift) and any NSI override;
    ``nmm`` and ``millicharge`` are the electromagnetic terms alone; ``total`` adds all
    amplitudes with interference. ``neutrino`` is a
    :class:`~nuatom.neutrino.properties.NeutrinoProperties` or a flavour name.
    """
    key = choice("process", process, PROCESSES)
    nu = NeutrinoProperties.of(neutrino)
    if key == "weak":
        return dsigma_dT_weak(E_nu_keV, T_keV, nu)
    if key == "nmm":
        return dsigma_dT_nmm(E_nu_keV, T_keV, nu.mu_nu_muB)
    if key == "millicharge":
        return dsigma_dT_millicharge(E_nu_keV, T_keV, nu.delta_q)
    return dsigma_dT_total(E_nu_keV, T_keV, nu)
