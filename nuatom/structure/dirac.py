"""Radial Dirac (and, with ``inv_c2 = 0``, Schrödinger) solvers in a local potential.

* :func:`solve_bound` — bound-state eigenvalue problem by shooting: outward integration
  from the origin and inward from practical infinity, matched at the classical turning
  point; the energy is bracketed by node counting and corrected with the exact Wronskian
  identity :math:`\\frac{d}{dr}(P_1\\tilde Q_2 - \\tilde Q_1 P_2) = (\\varepsilon_1 - \\varepsilon_2)
  (P_1P_2 + c^{-2}\\tilde Q_1\\tilde Q_2)`.
* :class:`GreenFunction` — the solution of the inhomogeneous equation
  :math:`(h - \\varepsilon)\\phi = s` that is regular at the origin and at infinity,
  by variation of parameters from the two homogeneous solutions. This is the tool for
  non-local exchange (Dirac–Hartree–Fock), continuum orbitals with exchange, and (later)
  the RPA response equations.

Arrays are on a :class:`~nuatom.numerics.grid.RadialGrid`; ``V`` is the potential energy in
Hartree (negative for attraction). See :mod:`nuatom.numerics.ode` for the variables ``P, Qt``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nuatom.numerics.grid import CUMULATIVE_STENCIL, _damped_cumulative_steps, _damped_interval_integrals
from nuatom.numerics.jit import kernel
from nuatom.numerics.ode import AM_ORDER, integrate_inward, integrate_outward

__all__ = ["LocalPotential", "ConvergenceError", "solve_bound", "GreenFunction", "overlap",
           "count_nodes", "l_of_kappa", "h0_apply"]

#: Decay exponent (∫λ dr beyond the turning point) that defines practical infinity.
DECAY_EXPONENT = 46.0
#: Largest λ·(dr/dt)·(t-step) in the Green's function integrations (AM8 local error ~1e-11).
STEP_LIMIT = 0.1



class ConvergenceError(RuntimeError):
    """An iterative solver did not reach its tolerance; the message gives the residual."""


def l_of_kappa(kappa: int) -> int:
    """Orbital angular momentum of the large component: ``l = kappa`` or ``-kappa - 1``."""
    return int(kappa) if kappa > 0 else int(-kappa - 1)


@dataclass(frozen=True)
class LocalPotential:
    """A local potential energy on a grid, with its behaviour at the origin.

    Attributes
    ----------
    values_hartree : ndarray
        V(r) in Hartree on the grid.
    charge_at_origin : float
        ``Z`` if the potential has a point-nucleus singularity ``-Z/r`` at the origin,
        ``0`` for a finite nucleus (then V is regular).
    """

    values_hartree: np.ndarray
    charge_at_origin: float

    def series_coefficients(self, r0: float) -> tuple[float, float]:
        """``(w0, w1)`` with ``r V(r) ≈ w0 + w1 r`` at the first grid point."""
        w0 = -float(self.charge_at_origin)
        w1 = (r0 * float(self.values_hartree[0]) - w0) / r0
        return w0, w1


def overlap(grid, Pa, Qa, Pb, Qb, inv_c2) -> float:
    """:math:`\\int (P_aP_b + c^{-2}\\tilde Q_a\\tilde Q_b)\\,dr`."""
    return float(grid.weights @ (Pa * Pb + inv_c2 * Qa * Qb))


def count_nodes(P, start: int, stop: int) -> int:
    """Number of sign changes of ``P[start:stop]`` (exact zeros skipped)."""
    seg = P[start:stop]
    seg = seg[seg != 0.0]
    return int(np.count_nonzero(np.signbit(seg[1:]) != np.signbit(seg[:-1])))


def _effective_potential(grid, V, kappa):
    l = l_of_kappa(kappa)
    return V + l * (l + 1) / (2.0 * grid.r**2)


def _turning_and_infinity(grid, V, kappa, energy, inv_c2):
    """Outermost classical turning point and practical infinity (indices)."""
    n = len(grid)
    veff = _effective_potential(grid, V, kappa)
    allowed = np.nonzero(veff < energy)[0]
    lo = AM_ORDER + 2
    hi = n - AM_ORDER - 3
    if allowed.size == 0:
        return None, None
    i_c = int(np.clip(allowed[-1], lo, hi))
    d = energy - V
    lam2 = kappa * (kappa + 1.0) / grid.r**2 - 2.0 * d * (1.0 + 0.5 * d * inv_c2)
    lam = np.sqrt(np.clip(lam2, 0.0, None))
    decay = grid.cumulative(lam)
    target = decay[i_c] + DECAY_EXPONENT
    beyond = np.nonzero(decay > target)[0]
    i_inf = int(beyond[0]) if beyond.size else n - 1
    i_inf = max(i_inf, i_c + AM_ORDER + 2)
    i_inf = min(i_inf, n - 1)
    if i_inf - i_c < AM_ORDER + 2:
        i_c = i_inf - AM_ORDER - 2
    return i_c, i_inf


def _shoot(grid, potential: LocalPotential, kappa, energy, inv_c2):
    V = potential.values_hartree
    i_c, i_inf = _turning_and_infinity(grid, V, kappa, energy, inv_c2)
    if i_c is None:
        return None
    w0, w1 = potential.series_coefficients(grid.r[0])
    Po, Qo = integrate_outward(grid, V, kappa, energy, inv_c2, w0, w1, i_c)
    Pi, Qi = integrate_inward(grid, V, kappa, energy, inv_c2, i_inf, i_c)
    scale = Po[i_c] / Pi[i_c]
    Pi *= scale
    Qi *= scale
    return i_c, i_inf, Po, Qo, Pi, Qi


def solve_bound(grid, potential: LocalPotential, n: int, kappa: int, inv_c2: float,
                energy_guess: float | None = None, *, rel_tol: float = 1e-14,
                max_iter: int = 300):
    """Bound state ``(n, kappa)`` in a local potential.

    Parameters
    ----------
    grid : RadialGrid
    potential : LocalPotential
    n, kappa : int
        Principal quantum number and Dirac quantum number; the large component has
        ``n - l - 1`` nodes.
    inv_c2 : float
        :math:`1/c^2` (``0`` for the non-relativistic limit).
    energy_guess : float, optional
        Starting energy in Hartree.

    Returns
    -------
    energy_hartree : float
    P, Qt : ndarray
        Normalized, :math:`\\int (P^2 + c^{-2}\\tilde Q^2)\\,dr = 1`, ``P > 0`` near the origin.

    Raises
    ------
    ConvergenceError
        If the energy does not converge; the message gives the last correction.
    """
    l = l_of_kappa(kappa)
    if n <= l:
        raise ValueError(f"n = {n} must exceed l = {l} for kappa = {kappa}")
    nodes_wanted = n - l - 1
    V = potential.values_hartree
    veff_min = float(np.min(_effective_potential(grid, V, kappa)))
    e_lo = veff_min if inv_c2 == 0 else max(veff_min, -0.999 / inv_c2)
    e_hi = 0.0 if V[-1] <= 0 else float(V[-1])
    if energy_guess is None or not (e_lo < energy_guess < e_hi):
        z = max(-potential.values_hartree[len(grid) // 4] * grid.r[len(grid) // 4], 1.0)
        energy_guess = min(-0.5 * (z / n) ** 2, 0.5 * e_hi) if e_hi <= 0 else -0.5 * (z / n) ** 2
        energy_guess = float(np.clip(energy_guess, e_lo + 1e-12 * abs(e_lo), e_hi - 1e-12))
    energy = float(energy_guess)
    last_delta = math.inf

    def bisect(lo, hi):
        if lo < 0 and hi < 0:
            return -math.sqrt(lo * hi)
        return 0.5 * (lo + hi)

    for _ in range(max_iter):
        shot = _shoot(grid, potential, kappa, energy, inv_c2)
        if shot is None:  # below the potential everywhere: energy too low
            e_lo = energy
            energy = bisect(e_lo, e_hi)
            continue
        i_c, i_inf, Po, Qo, Pi, Qi = shot
        nodes = count_nodes(Po, 0, i_c + 1) + count_nodes(Pi, i_c, i_inf + 1)
        if nodes > nodes_wanted:
            e_hi = energy
            energy = bisect(e_lo, e_hi)
            continue
        if nodes < nodes_wanted:
            e_lo = energy
            energy = bisect(e_lo, e_hi)
            continue
        P = np.where(np.arange(len(grid)) <= i_c, Po, Pi)
        Q = np.where(np.arange(len(grid)) <= i_c, Qo, Qi)
        norm = overlap(grid, P, Q, P, Q, inv_c2)
        delta = Po[i_c] * (Qo[i_c] - Qi[i_c]) / norm
        last_delta = delta
        if abs(delta) <= rel_tol * abs(energy):
            P /= math.sqrt(norm)
            Q /= math.sqrt(norm)
            if P[0] < 0:
                P, Q = -P, -Q
            return energy, P, Q
        if delta > 0:
            e_lo = max(e_lo, energy)
        else:
            e_hi = min(e_hi, energy)
        trial = energy + delta
        energy = trial if e_lo < trial < e_hi else bisect(e_lo, e_hi)
    raise ConvergenceError(
        f"bound state n={n}, kappa={kappa} did not converge in {max_iter} iterations: "
        f"last energy correction {last_delta:.3e} Hartree at energy {energy:.12g} Hartree")


class GreenFunction:
    """Green's function of :math:`h - \\varepsilon` for one ``kappa`` at one bound-state energy.

    :math:`\\phi = G s` solves :math:`(h - \\varepsilon)\\phi = s` with ``phi`` regular at the
    origin and decaying at infinity:

    .. math::
        \\phi(r) = -\\frac{1}{W}\\Big[y_0(r)\\int_r^\\infty (P_\\infty s_P + c^{-2}\\tilde Q_\\infty\\tilde s_Q)\\,dr'
                   + y_\\infty(r)\\int_0^r (P_0 s_P + c^{-2}\\tilde Q_0\\tilde s_Q)\\,dr'\\Big],

    :math:`W = P_0\\tilde Q_\\infty - \\tilde Q_0 P_\\infty` (constant). ``h`` is the Dirac
    Hamiltonian with the local potential; the source ``s = (s_P, s_Q)`` is given with its
    small component scaled like ``Qt`` (``s_Qt = c s_Q``).

    Numerics, built so that the result is exact to the order-8 accuracy of the
    integrators on the whole grid, whatever the energy:

    * *Scaling.* In the classically forbidden region :math:`y_0` grows and
      :math:`y_\\infty` decays like :math:`e^{\\pm A}`, :math:`A = \\int\\lambda\\,dr`
      (thousands of e-folds across the grid for a deep core level). The integrators carry
      :math:`\\hat y_0 = y_0e^{-A}` and :math:`\\hat y_\\infty = y_\\infty e^{+A}` instead
      (``shift`` in :mod:`nuatom.numerics.ode`), with ``A`` the integral of a smooth stand-in for
      :math:`\\lambda` (:func:`_scaling_rate`), and the two integrals above are accumulated
      with the damping factors :math:`e^{\\pm(A(r) - A(r'))}`
      (:meth:`RadialGrid.damped_cumulative`), so nothing overflows.
    * *Resolution.* Adams–Moulton keeps its order only while :math:`\\lambda\\,(dr/dt)\\,h`
      is small; for deep energies the grid step does not resolve the decay length. The
      solutions and integrals are then computed on the same mapping with the ``t``-step
      divided by ``refinement`` (chosen so the product stays below :data:`STEP_LIMIT`),
      with ``rV`` and the source interpolated to order 8, and sampled back on the grid.

    ``vectorized=True`` applies it to complex sources with :func:`_green_apply_vectorized`: the
    interval integrals formed all at once and the four running sums (two directions, real and
    imaginary parts) advanced together, 2.2 times as fast on the RRPA's closed channels
    (``benchmarks/bench_rpa.py``) and equal to the default to rounding, not bit for bit. The
    RRPA uses it; the bound-state solver keeps the default, whose self-consistent fields are
    pinned to the bit.
    """

    def __init__(self, grid, potential: LocalPotential, kappa: int, energy: float, inv_c2: float,
                 vectorized: bool = False):
        self.vectorized = bool(vectorized)
        self.grid = grid
        self.kappa = int(kappa)
        self.energy = float(energy)
        self.inv_c2 = float(inv_c2)
        V = potential.values_hartree
        n = len(grid)
        d = energy - V
        lam2 = kappa * (kappa + 1.0) / grid.r**2 - 2.0 * d * (1.0 + 0.5 * d * inv_c2)
        lam = np.sqrt(np.clip(lam2, 0.0, None))
        veff = _effective_potential(grid, V, kappa)
        allowed = np.nonzero(veff < energy)[0]
        i_c = int(allowed[-1]) if allowed.size else AM_ORDER + 2
        i_c = int(np.clip(i_c, AM_ORDER + 2, n - AM_ORDER - 3))
        m = max(1, int(math.ceil(float(np.max(lam * grid.drdt)) * grid.h / STEP_LIMIT)))
        self.refinement = m
        if m > 1:
            fine = grid.refined(m, n)
            Vf = grid.interpolate_refined(grid.r * V, m, n) / fine.r
        else:
            fine, Vf = grid, V
        self.fine = fine
        rate = _scaling_rate(fine.r, grid.r[i_c], energy, inv_c2)
        self.A = fine.cumulative(rate)
        # the damping exponentials depend on A only: formed once for every application
        self._damping = fine.damping_factors(self.A)
        shift = rate * fine.drdt
        fpot = LocalPotential(Vf, potential.charge_at_origin)
        w0, w1 = fpot.series_coefficients(fine.r[0])
        nf = len(fine)
        P0, Q0 = integrate_outward(fine, Vf, kappa, energy, inv_c2, w0, w1, nf - 1, shift)
        Pi, Qi = integrate_inward(fine, Vf, kappa, energy, inv_c2, nf - 1, 0, shift)
        jc = m * i_c
        s0 = 1.0 / max(abs(P0[jc]), abs(Q0[jc]) * math.sqrt(inv_c2), 1e-300)
        si = 1.0 / max(abs(Pi[jc]), abs(Qi[jc]) * math.sqrt(inv_c2), 1e-300)
        self.P0, self.Q0 = P0 * s0, Q0 * s0
        self.Pi, self.Qi = Pi * si, Qi * si
        self.wronskian = float(self.P0[jc] * self.Qi[jc] - self.Q0[jc] * self.Pi[jc])
        if self.wronskian == 0.0 or not math.isfinite(self.wronskian):
            raise ConvergenceError(f"Green's function singular at energy {energy:.12g} Hartree "
                                   f"(kappa={kappa}): energy is an eigenvalue")

    def apply(self, sP, sQt):
        """Solve :math:`(h - \\varepsilon)\\phi = s`. Returns ``(P, Qt)`` on the grid.
        Complex sources are solved for in one pass (the operator is real)."""
        m = self.refinement
        f = self.fine
        n = len(self.grid)
        if np.iscomplexobj(sP) or np.iscomplexobj(sQt):
            sP, sQt = np.asarray(sP, dtype=complex), np.asarray(sQt, dtype=complex)
        else:
            sP, sQt = np.asarray(sP, dtype=float), np.asarray(sQt, dtype=float)
        if m > 1:
            fP = self._refined_source(sP)
            fQ = self._refined_source(sQt)
        else:
            fP, fQ = sP, sQt
        left, right = self._damping.left, self._damping.right
        if self.vectorized and np.iscomplexobj(fP):
            return _green_apply_vectorized(self.P0, self.Q0, self.Pi, self.Qi, np.ascontiguousarray(fP),
                                           np.ascontiguousarray(fQ), f.drdt, self.inv_c2, -1.0 / self.wronskian, m,
                                           left[0], left[1], right[0], right[1], f.h, f._rows, f._shifts,
                                           CUMULATIVE_STENCIL)
        return _green_apply_kernel(self.P0, self.Q0, self.Pi, self.Qi, np.ascontiguousarray(fP),
                                   np.ascontiguousarray(fQ), f.drdt, self.inv_c2, -1.0 / self.wronskian, m,
                                   left[0], left[1], right[0], right[1], f.h, f._rows, f._shifts,
                                   CUMULATIVE_STENCIL)

    def _refined_source(self, s):
        m, n = self.refinement, len(self.grid)
        if np.iscomplexobj(s):
            return (self.grid.interpolate_refined(np.ascontiguousarray(s.real), m, n)
                    + 1j * self.grid.interpolate_refined(np.ascontiguousarray(s.imag), m, n))
        return self.grid.interpolate_refined(s, m, n)


@kernel
def _green_apply_kernel(P0, Q0, Pi, Qi, fP, fQ, drdt, c2, factor, m, step_l, back_l, step_r, back_r, h, rows,
                        shifts, stencil):
    """:meth:`GreenFunction.apply` on the fine grid in one pass, sampled back every ``m``-th
    node: the two damped integrals (from the origin with ``y_0``, from the outer end with
    ``y_inf``) and their combination, with the arithmetic of the array expressions they
    replace (same operations in the same order: bit-identical for real sources). Real or
    complex sources."""
    nf = fP.shape[0]
    g0 = np.empty_like(fP)
    gi = np.empty_like(fP)
    for i in range(nf):
        g0[i] = (P0[i] * fP[i] + c2 * Q0[i] * fQ[i]) * drdt[i]
        gi[nf - 1 - i] = (Pi[i] * fP[i] + c2 * Qi[i] * fQ[i]) * drdt[i]
    inner_0 = _damped_cumulative_steps(g0, step_l, back_l, h, rows, shifts, stencil)
    inner_inf = _damped_cumulative_steps(gi, step_r, back_r, h, rows, shifts, stencil)
    n = (nf - 1) // m + 1
    P = np.empty(n, dtype=fP.dtype)
    Q = np.empty(n, dtype=fP.dtype)
    for k in range(n):
        i = k * m
        a = inner_inf[nf - 1 - i]
        b = inner_0[i]
        P[k] = factor * (P0[i] * a + Pi[i] * b)
        Q[k] = factor * (Q0[i] * a + Qi[i] * b)
    return P, Q


@kernel
def _green_apply_vectorized(P0, Q0, Pi, Qi, fP, fQ, drdt, c2, factor, m, step_l, back_l, step_r, back_r, h,
                            rows, shifts, stencil):
    """:func:`_green_apply_kernel` for complex sources with the vectorized interval integrals
    (:func:`~nuatom.numerics.grid._damped_interval_integrals`): the sliding window of node
    factors is a chain of dependent products per point, so it sets the pace of the
    kernel; here the integrals of all intervals are formed first and only the four running
    sums ``C[i+1] = C[i] back[i] + inc[i]`` remain sequential, advanced in one loop so
    their chains overlap. Equal to the sliding form to rounding (the node factors are
    multiplied in another order)."""
    nf = fP.shape[0]
    g0_re = np.empty(nf)
    g0_im = np.empty(nf)
    gi_re = np.empty(nf)
    gi_im = np.empty(nf)
    for i in range(nf):
        a = (P0[i] * fP[i] + c2 * Q0[i] * fQ[i]) * drdt[i]
        b = (Pi[i] * fP[i] + c2 * Qi[i] * fQ[i]) * drdt[i]
        g0_re[i] = a.real
        g0_im[i] = a.imag
        gi_re[nf - 1 - i] = b.real
        gi_im[nf - 1 - i] = b.imag
    # inc_*[i]: the integral over interval i, then (in place) the cumulative integral to node i + 1
    inc0_re = np.empty(nf - 1)
    inc0_im = np.empty(nf - 1)
    inci_re = np.empty(nf - 1)
    inci_im = np.empty(nf - 1)
    _damped_interval_integrals(g0_re, step_l, back_l, h, rows, shifts, stencil, inc0_re)
    _damped_interval_integrals(g0_im, step_l, back_l, h, rows, shifts, stencil, inc0_im)
    _damped_interval_integrals(gi_re, step_r, back_r, h, rows, shifts, stencil, inci_re)
    _damped_interval_integrals(gi_im, step_r, back_r, h, rows, shifts, stencil, inci_im)
    x0 = 0.0
    x1 = 0.0
    x2 = 0.0
    x3 = 0.0
    for i in range(nf - 1):
        x0 = x0 * back_l[i] + inc0_re[i]
        x1 = x1 * back_l[i] + inc0_im[i]
        x2 = x2 * back_r[i] + inci_re[i]
        x3 = x3 * back_r[i] + inci_im[i]
        inc0_re[i] = x0
        inc0_im[i] = x1
        inci_re[i] = x2
        inci_im[i] = x3
    n = (nf - 1) // m + 1
    P = np.empty(n, dtype=np.complex128)
    Q = np.empty(n, dtype=np.complex128)
    for k in range(n):
        i = k * m
        j = nf - 1 - i       # the integral from the outer end, to fine node i
        a = complex(inci_re[j - 1], inci_im[j - 1]) if j > 0 else 0j
        b = complex(inc0_re[i - 1], inc0_im[i - 1]) if i > 0 else 0j
        P[k] = factor * (P0[i] * a + Pi[i] * b)
        Q[k] = factor * (Q0[i] * a + Qi[i] * b)
    return P, Q


def _scaling_rate(r, r_turn, energy, inv_c2):
    """Growth rate (1/bohr) used to scale the Green's function solutions.

    The asymptotic decay constant :math:`\\lambda_\\infty = [-2\\varepsilon(1 + \\varepsilon/2c^2)]^{1/2}`
    switched on smoothly (tanh over a width of half the turning radius) beyond the outer
    classical turning point: smooth on the grid by construction, and close enough to the
    local decay constant that the scaled solutions stay of moderate size.
    """
    lam_inf = math.sqrt(max(-2.0 * energy * (1.0 + 0.5 * energy * inv_c2), 0.0))
    width = 0.5 * r_turn
    return lam_inf * 0.5 * (1.0 + np.tanh((r - r_turn - 2.0 * width) / width))


def h0_apply(grid, V, kappa: int, inv_c2: float, P, Qt):
    """Action of the Dirac Hamiltonian with local potential ``V`` on ``(P, Qt)``.

    Returns ``(hP, hQt)`` with the small component scaled like a source
    (:math:`\\tilde s_Q = c\\,s_Q`), so that :math:`\\langle u|h\\phi\\rangle =
    \\int(u_P\\,hP + c^{-2}u_{\\tilde Q}\\,h\\tilde Q)dr`:

    .. math::
        (h\\phi)_P = VP - \\tilde Q' + \\frac{\\kappa}{r}\\tilde Q,\\qquad
        (h\\phi)_{\\tilde Q} = c^2\\Big(P' + \\frac{\\kappa}{r}P - 2\\tilde Q\\Big) + V\\tilde Q.

    Derivatives are the order-8 finite differences of :meth:`RadialGrid.derivative`. For
    ``inv_c2 = 0`` the small component is recomputed as :math:`(P' + \\kappa P/r)/2`, which
    makes :math:`(h\\phi)_P = -\\tfrac12 P'' + \\tfrac{l(l+1)}{2r^2}P + VP` (Schrödinger).
    """
    r = grid.r
    dP = grid.derivative(P)
    if inv_c2 == 0.0:
        Qt = 0.5 * (dP + kappa * P / r)
        hQ = np.zeros_like(P)
    else:
        hQ = (dP + kappa * P / r - 2.0 * Qt) / inv_c2 + V * Qt
    hP = V * P - grid.derivative(Qt) + kappa * Qt / r
    return hP, hQ
