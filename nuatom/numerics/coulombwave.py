"""Coulomb wave functions F_λ(η, ρ), G_λ(η, ρ) and their ρ-derivatives (Steed's method).

They normalise continuum orbitals: beyond the matching radius an electron of momentum
``k`` in the field of an ion of charge ``Z`` obeys
:math:`u'' + [1 - 2\\eta/\\rho - \\lambda(\\lambda+1)/\\rho^2]u = 0` (:math:`\\rho = kr`), whose regular
and irregular solutions behave as :math:`\\sin\\theta` and :math:`\\cos\\theta`,
:math:`\\theta = \\rho - \\eta\\ln 2\\rho - \\lambda\\pi/2 + \\sigma_\\lambda`.

Algorithm (Steed; Barnett, Comput. Phys. Commun. 21, 297 (1981)): the continued fraction
CF1 gives :math:`f = F'/F`; the complex continued fraction CF2 gives
:math:`p + iq = (G' + iF')/(G + iF)`; the Wronskian :math:`F'G - FG' = 1` then fixes
:math:`F^2 = q/[(f-p)^2 + q^2]`. Valid for real (also non-integer, as needed for the Dirac
large component) :math:`\\lambda > -1/2`, real :math:`\\eta`, and :math:`\\rho` beyond the
turning point :math:`\\eta + \\sqrt{\\eta^2 + \\lambda(\\lambda+1)}`. The sign of ``F`` is not
determined (it does not matter for normalisation, and phase shifts are returned mod π).
Tested against ``mpmath.coulombf``/``coulombg``.
"""
from __future__ import annotations

import math

import numpy as np

from nuatom.numerics.jit import kernel
from nuatom._validate import finite_scalar

__all__ = ["coulomb_fg", "coulomb_fg_many", "turning_point"]

_TINY = 1e-300
_EPS = 1e-16


@kernel
def _cf1(lam, eta, rho, max_terms):
    """f = F'_λ/F_λ by modified Lentz on f = S_{λ+1} - R²_{λ+1}/(T_{λ+1} - R²_{λ+2}/(T_{λ+2} - ...))."""
    L = lam + 1.0
    S = L / rho + eta / L
    f = S
    if f == 0.0:
        f = _TINY
    C = f
    D = 0.0
    for m in range(1, max_terms):
        Lm = lam + m
        R2 = 1.0 + (eta / Lm) ** 2
        T = (Lm / rho + eta / Lm) + ((Lm + 1.0) / rho + eta / (Lm + 1.0))
        a = -R2
        b = T
        D = b + a * D
        if D == 0.0:
            D = _TINY
        C = b + a / C
        if C == 0.0:
            C = _TINY
        D = 1.0 / D
        delta = C * D
        f *= delta
        if abs(delta - 1.0) < _EPS:
            return f, m
    return f, -1


@kernel
def _cf2(lam, eta, rho, max_terms):
    """p + iq = i(1 - η/ρ) + (i/ρ) · a1/(b1 + a2/(b2 + ...)), a_n = (a+n-1)(c+n-1),
    b_n = 2(ρ - η + n i), a = 1 + λ + iη, c = -λ + iη."""
    a = complex(1.0 + lam, eta)
    c = complex(-lam, eta)
    # evaluate K = a1/(b1 + a2/(b2 + ...)) by modified Lentz on the fraction b0 + K with b0 = 0
    fval = complex(_TINY, 0.0)
    C = fval
    D = complex(0.0, 0.0)
    for n in range(1, max_terms):
        an = (a + n - 1) * (c + n - 1)
        bn = complex(2.0 * (rho - eta), 2.0 * n)
        D = bn + an * D
        if D == 0:
            D = complex(_TINY, 0.0)
        C = bn + an / C
        if C == 0:
            C = complex(_TINY, 0.0)
        D = 1.0 / D
        delta = C * D
        fval *= delta
        if abs(delta - 1.0) < _EPS:
            pq = complex(0.0, 1.0 - eta / rho) + complex(0.0, 1.0 / rho) * fval
            return pq.real, pq.imag, n
    pq = complex(0.0, 1.0 - eta / rho) + complex(0.0, 1.0 / rho) * fval
    return pq.real, pq.imag, -1


@kernel
def _coulomb_fg_kernel(lam, eta, rho):
    f, n1 = _cf1(lam, eta, rho, 200000)
    p, q, n2 = _cf2(lam, eta, rho, 200000)
    F = math.sqrt(q / ((f - p) ** 2 + q * q))
    Fp = f * F
    G = (f - p) * F / q
    Gp = p * G - q * F
    ok = 1 if (n1 > 0 and n2 > 0) else 0
    return F, Fp, G, Gp, ok


@kernel
def _coulomb_fg_many_kernel(lam, eta, rho):
    n = rho.shape[0]
    out = np.empty((4, n))
    ok = 1
    for i in range(n):
        F, Fp, G, Gp, good = _coulomb_fg_kernel(lam, eta, rho[i])
        out[0, i], out[1, i], out[2, i], out[3, i] = F, Fp, G, Gp
        ok = ok & good
    return out, ok


def turning_point(lam: float, eta: float) -> float:
    """Classical turning point :math:`\\rho_t = \\eta + \\sqrt{\\eta^2 + \\lambda(\\lambda+1)}`."""
    return eta + math.sqrt(eta * eta + lam * (lam + 1.0))


def coulomb_fg(lam: float, eta: float, rho: float) -> tuple[float, float, float, float]:
    """``(F, dF/dρ, G, dG/dρ)`` of order ``lam`` at ``(eta, rho)``.

    Parameters
    ----------
    lam : float
        Order λ > -1/2 (non-integer allowed).
    eta : float
        Sommerfeld parameter (negative for attraction: η = -Z/k).
    rho : float
        ρ = k r beyond the turning point.

    Raises
    ------
    ValueError
        If ρ is not beyond the turning point or a continued fraction fails to converge.
    """
    lam = finite_scalar("lam", lam)
    eta = finite_scalar("eta", eta)
    rho = finite_scalar("rho", rho)
    if lam <= -0.5:
        raise ValueError(f"lam = {lam} must be > -1/2")
    rt = turning_point(lam, eta)
    if not rho > rt:
        raise ValueError(f"rho = {rho:g} must exceed the turning point {rt:g} (lam={lam}, eta={eta})")
    F, Fp, G, Gp, ok = _coulomb_fg_kernel(lam, eta, rho)
    if not ok or not np.isfinite([F, Fp, G, Gp]).all():
        raise ValueError(f"Coulomb continued fractions did not converge (lam={lam}, eta={eta}, rho={rho})")
    return F, Fp, G, Gp


def coulomb_fg_many(lam: float, eta: float, rho) -> np.ndarray:
    """:func:`coulomb_fg` at many points of one order and Sommerfeld parameter: array
    ``[4, len(rho)]`` of ``F, dF/dρ, G, dG/dρ`` (the same values as point by point; the
    loop runs compiled). Every ``rho`` must lie beyond the turning point.
    """
    lam = finite_scalar("lam", lam)
    eta = finite_scalar("eta", eta)
    rho = np.ascontiguousarray(rho, dtype=np.float64).ravel()
    if lam <= -0.5:
        raise ValueError(f"lam = {lam} must be > -1/2")
    if rho.size == 0:
        return np.zeros((4, 0))
    rt = turning_point(lam, eta)
    if not (np.all(np.isfinite(rho)) and rho.min() > rt):
        raise ValueError(f"rho (min {rho.min():g}) must be finite and exceed the turning point {rt:g} "
                         f"(lam={lam}, eta={eta})")
    out, ok = _coulomb_fg_many_kernel(lam, eta, rho)
    if not ok or not np.isfinite(out).all():
        raise ValueError(f"Coulomb continued fractions did not converge (lam={lam}, eta={eta})")
    return out
