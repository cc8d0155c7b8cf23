"""Radial Dirac equation: Adams–Moulton integration in ``t`` with series and asymptotic starts.

Variables and equations
-----------------------
Orbitals are :math:`\\psi = r^{-1}[P\\,\\Omega_{\\kappa m},\\; iQ\\,\\Omega_{-\\kappa m}]`. The
integrators work with the large component ``P`` and the *scaled* small component
:math:`\\tilde Q = cQ` and a parameter ``inv_c2`` :math:`= 1/c^2`:

.. math::
    P' &= -\\frac{\\kappa}{r}P + \\left[2 + (\\varepsilon - V)\\,c^{-2}\\right]\\tilde Q + c^{-2}\\,\\tilde s_Q,\\\\
    \\tilde Q' &= \\frac{\\kappa}{r}\\tilde Q - (\\varepsilon - V)P - s_P,

(energies without rest mass, Hartree units). With ``inv_c2 = 1/c^2`` this is the Dirac
equation :cite:`Johnson2007`; with ``inv_c2 = 0`` it is exactly the Schrödinger equation
in first-order form (:math:`\\tilde Q \\to (P' + \\kappa P/r)/2`), which is the package's
non-relativistic switch. Norms and overlaps are :math:`\\int (P_aP_b + c^{-2}\\tilde Q_a\\tilde Q_b)\\,dr`.

Integration
-----------
Adams–Moulton of order :data:`AM_ORDER` on the uniform ``t`` grid. The equation is
linear, so each implicit step is an exact 2×2 solve (no predictor). The first
``AM_ORDER - 1`` points come from the Frobenius series at the origin (outward) or from the
WKB form at large ``r`` (inward); their small errors excite only the solution that dies
away in the direction of integration.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from nuatom.numerics.jit import kernel
from nuatom.numerics.grid import lagrange_interval_weights

__all__ = ["AM_ORDER", "am_coefficients", "series_start", "integrate_outward",
           "integrate_inward", "wkb_start"]

#: Order of the Adams–Moulton scheme (number of f-values in one step).
AM_ORDER = 8
#: Number of Frobenius-series terms used for the starting values.
SERIES_TERMS = 10
#: Amplitude at which a high partial wave starts (see integrate_outward): small enough
#: that a rise of e^600 to the turning point stays far below overflow, large enough to
#: stay a normal double.
TINY_START = 1e-280


@functools.cache
def am_coefficients(order: int = AM_ORDER) -> np.ndarray:
    """Implicit Adams–Moulton weights: ``y[n+1] = y[n] + h * sum_j beta[j] f[n+1-j]``.

    ``beta[0]`` multiplies the new point; exact for polynomials of degree ``order - 1``.
    """
    offsets = tuple(range(-(order - 2), 2))  # t_{n+2-order} ... t_{n+1}, relative to t_n = 0
    w = lagrange_interval_weights(offsets, 0)
    return np.ascontiguousarray(w[::-1])  # reorder to f_{n+1}, f_n, f_{n-1}, ...


@kernel
def series_start(r, kappa, energy, inv_c2, w0, w1, n_start, n_terms):
    """Frobenius series of the regular solution at the first ``n_start`` grid points.

    ``r V(r) ≈ w0 + w1 r`` near the origin (``w0 = -Z`` for a point nucleus, ``0`` for a
    finite one). Returns ``(P, Qt)`` arrays of length ``n_start`` with ``P > 0``.
    """
    s2 = kappa * kappa - inv_c2 * w0 * w0
    s = math.sqrt(s2)
    p = np.zeros(n_terms)
    q = np.zeros(n_terms)
    if inv_c2 * w0 != 0.0:
        p[0] = 1.0
        q[0] = w0 * p[0] / (s - kappa)
    elif kappa < 0:
        p[0] = 1.0
        q[0] = w0 / (2.0 * s)
    else:
        p[0] = 0.0
        q[0] = 1.0
    for i in range(1, n_terms):
        # r V = w0 + w1 r: the j = 1 term couples each coefficient to the previous one.
        rhs_p = 2.0 * q[i - 1] + inv_c2 * ((energy - w1) * q[i - 1])
        rhs_q = -((energy - w1) * p[i - 1])
        a11 = s + i + kappa
        a12 = inv_c2 * w0
        a21 = -w0
        a22 = s + i - kappa
        det = a11 * a22 - a12 * a21
        p[i] = (rhs_p * a22 - a12 * rhs_q) / det
        q[i] = (a11 * rhs_q - a21 * rhs_p) / det
    P = np.empty(n_start)
    Q = np.empty(n_start)
    for j in range(n_start):
        x = r[j]
        sp = 0.0
        sq = 0.0
        xp = 1.0
        for i in range(n_terms):
            sp += p[i] * xp
            sq += q[i] * xp
            xp *= x
        scale = x ** s
        P[j] = sp * scale
        Q[j] = sq * scale
    return P, Q


@kernel
def wkb_start(r, V, kappa, energy, inv_c2, i_start, n_start):
    """Decaying (bound-state) starting values for inward integration from ``i_start``.

    WKB: :math:`P \\propto \\lambda^{-1/2} e^{-\\int\\lambda dr}` with the local decay
    constant :math:`\\lambda = \\sqrt{\\kappa(\\kappa+1)/r^2 + 2(V-\\varepsilon)(1 + (\\varepsilon-V)/(2c^2))}`,
    and :math:`\\tilde Q/P = (\\kappa/r - \\lambda)/(2 + (\\varepsilon-V)c^{-2})` (from the
    first equation with :math:`P' = -\\lambda P`). Returns ``(P, Qt)`` at indices
    ``i_start, i_start-1, ...`` (``n_start`` values, ``P[0] = 1e-30``-scaled).
    """
    P = np.empty(n_start)
    Q = np.empty(n_start)
    phase = 0.0
    lam_prev = 0.0
    for j in range(n_start):
        i = i_start - j
        ri = r[i]
        d = energy - V[i]
        lam2 = kappa * (kappa + 1.0) / (ri * ri) - 2.0 * d * (1.0 + 0.5 * d * inv_c2)
        lam = math.sqrt(lam2) if lam2 > 0.0 else 1e-8
        if j > 0:
            phase += 0.5 * (lam + lam_prev) * (r[i + 1] - ri)
        lam_prev = lam
        amp = math.exp(phase) / math.sqrt(lam)
        P[j] = amp
        Q[j] = (kappa / ri - lam) * amp / (2.0 + d * inv_c2)
    return P, Q


@kernel
def _dirac_sweep(r, drdt, V, kappa, energy, inv_c2, h, beta, P, Q, i_first, i_last, n_start, shift):
    """Integrate from index ``i_first`` towards ``i_last`` (either direction).

    ``P, Q`` hold the starting values at ``i_first`` and the next ``n_start - 1`` points in
    the direction of integration; the rest is overwritten. ``h`` is the signed t-step.
    ``shift[i]`` is subtracted from both diagonal entries of the t-derivative matrix: it
    integrates :math:`\\hat y = y\\,e^{-\\int shift\\,dt}` (all zeros for the plain solution).
    """
    order = beta.shape[0]
    step = 1 if i_last >= i_first else -1
    n = abs(i_last - i_first) + 1
    fP = np.empty(n)
    fQ = np.empty(n)
    for j in range(min(n_start, n)):
        i = i_first + step * j
        rp = drdt[i]
        d = energy - V[i]
        fP[j] = rp * (-kappa / r[i] * P[i] + (2.0 + d * inv_c2) * Q[i]) - shift[i] * P[i]
        fQ[j] = rp * (kappa / r[i] * Q[i] - d * P[i]) - shift[i] * Q[i]
    b0h = beta[0] * h
    for j in range(n_start, n):
        i = i_first + step * j
        ip = i - step
        accP = P[ip]
        accQ = Q[ip]
        for m in range(1, order):
            jm = j - m
            if jm < 0:
                break
            accP += h * beta[m] * fP[jm]
            accQ += h * beta[m] * fQ[jm]
        rp = drdt[i]
        d = energy - V[i]
        a11 = -kappa / r[i] * rp - shift[i]
        a12 = (2.0 + d * inv_c2) * rp
        a21 = -d * rp
        a22 = kappa / r[i] * rp - shift[i]
        m11 = 1.0 - b0h * a11
        m12 = -b0h * a12
        m21 = -b0h * a21
        m22 = 1.0 - b0h * a22
        det = m11 * m22 - m12 * m21
        Pn = (accP * m22 - m12 * accQ) / det
        Qn = (m11 * accQ - m21 * accP) / det
        P[i] = Pn
        Q[i] = Qn
        fP[j] = a11 * Pn + a12 * Qn
        fQ[j] = a21 * Pn + a22 * Qn


def integrate_outward(grid, V, kappa, energy, inv_c2, w0, w1, i_last, shift=None, i_first=0):
    """Regular solution from the origin up to index ``i_last`` (inclusive).

    Returns full-length arrays ``(P, Qt)`` that are zero beyond ``i_last``. With ``shift``
    (per unit ``t``) the solution is returned scaled by :math:`e^{-\\int_{t_0}^t shift}`.

    ``i_first > 0`` (high partial waves, whose :math:`r^{\\gamma}` rise from the origin
    spans more than the floating-point range) starts the integration there, from the
    power law :math:`P \\propto r^{\\gamma}` at a tiny amplitude, and leaves zeros below.
    The admixture of the irregular solution that this start carries decays outward like
    :math:`r^{-2\\gamma-1}`, so the solution is exact to rounding a few points later; what
    is dropped below ``i_first`` is the caller's choice (see
    :meth:`nuatom.continuum.solver.ContinuumSolver.solve`).
    """
    n = len(grid)
    P = np.zeros(n)
    Q = np.zeros(n)
    n_start = AM_ORDER - 1
    if i_first > 0:
        if shift is not None:
            raise ValueError("integrate_outward: i_first > 0 cannot be combined with shift")
        gamma = math.sqrt(kappa * kappa - inv_c2 * w0 * w0)
        idx = i_first + np.arange(n_start)
        r = grid.r[idx]
        P[idx] = TINY_START * (r / r[0]) ** gamma
        Q[idx] = (gamma + kappa) / r * P[idx] / (2.0 + (energy - V[idx]) * inv_c2)
        _dirac_sweep(grid.r, grid.drdt, V, float(kappa), float(energy), float(inv_c2), grid.h,
                     am_coefficients(), P, Q, int(i_first), int(i_last), n_start, np.zeros(n))
        return P, Q
    P0, Q0 = series_start(grid.r[:n_start], float(kappa), float(energy), float(inv_c2),
                          float(w0), float(w1), n_start, SERIES_TERMS)
    if shift is None:
        shift = np.zeros(n)
    else:
        scale = np.exp(-np.concatenate(([0.0], np.cumsum(0.5 * (shift[1:n_start] + shift[:n_start - 1]) * grid.h))))
        P0 = P0 * scale
        Q0 = Q0 * scale
    P[:n_start] = P0
    Q[:n_start] = Q0
    _dirac_sweep(grid.r, grid.drdt, V, float(kappa), float(energy), float(inv_c2), grid.h,
                 am_coefficients(), P, Q, 0, int(i_last), n_start, shift)
    return P, Q


def integrate_inward(grid, V, kappa, energy, inv_c2, i_first, i_last, shift=None):
    """Solution decaying at large ``r``, from index ``i_first`` down to ``i_last``.

    Returns full-length arrays ``(P, Qt)`` that are zero outside ``[i_last, i_first]``.
    With ``shift`` the solution is returned scaled by :math:`e^{+\\int^t shift}` (up to a
    constant), i.e. pass the same ``shift`` as to :func:`integrate_outward`.
    """
    n = len(grid)
    P = np.zeros(n)
    Q = np.zeros(n)
    n_start = AM_ORDER - 1
    Ps, Qs = wkb_start(grid.r, V, float(kappa), float(energy), float(inv_c2), int(i_first), n_start)
    idx = int(i_first) - np.arange(n_start)
    if shift is None:
        shift_in = np.zeros(n)
    else:
        shift_in = -shift
        # undo the WKB growth between the start points that the scaling already accounts for
        seg = shift[idx]
        acc = np.concatenate(([0.0], np.cumsum(0.5 * (seg[1:] + seg[:-1]) * grid.h)))
        Ps = Ps * np.exp(-acc)
        Qs = Qs * np.exp(-acc)
    P[idx] = Ps
    Q[idx] = Qs
    _dirac_sweep(grid.r, grid.drdt, V, float(kappa), float(energy), float(inv_c2), -grid.h,
                 am_coefficients(), P, Q, int(i_first), int(i_last), n_start, shift_in)
    return P, Q
