"""Continuum Dirac–Hartree–Fock orbitals, energy-normalised, with their phase shifts.

For an ejected electron of kinetic energy :math:`\\varepsilon > 0` (Hartree) and Dirac
quantum number :math:`\\kappa` the solver returns the solution of

.. math:: (h_0 + V_{dir} + K - \\varepsilon)\\,\\phi = \\sum_b \\lambda_b\\phi_b

regular at the origin, with

* the direct potential :math:`V_{dir}` and non-local exchange :math:`K` of the atom's DHF
  orbitals (frozen core); with ``hole="4d_5/2"`` the occupancy of that subshell is
  lowered by one, so the electron sees the ion (the "V^{N-1}" or hole treatment used for
  photoionization);
* Lagrange multipliers :math:`\\lambda_b` that keep :math:`\\phi` orthogonal to every bound
  orbital of the same :math:`\\kappa`;
* normalisation per unit energy, :math:`\\int(P_\\varepsilon P_{\\varepsilon'} + Q_\\varepsilon Q_{\\varepsilon'})dr
  = \\delta(\\varepsilon - \\varepsilon')` (Hartree).

Method
------
*Resolution.* The orbital oscillates with wavelength :math:`2\\pi/k`; it is integrated on
its own log-linear grid, with the atom's ``t``-step (or finer) near the nucleus and a
transition radius small enough that :math:`k_{loc}\\,(dr/dt)\\,h \\le` ``step_limit``
everywhere (:meth:`ContinuumSolver.continuum_grid`); potential and bound orbitals are
interpolated to order 8, and the grid extends as far out as the matching needs.

*Exchange.* Outward integration is stable for oscillatory solutions, so the exchange term
is handled by iterating :math:`\\phi \\leftarrow y_0 + G_{out}[-K\\phi + \\sum\\lambda_b\\phi_b]`,
with :math:`y_0` the regular homogeneous solution and :math:`G_{out}` the causal Green's
function built from :math:`y_0` and a second solution :math:`y_1` (started from the
irregular Coulomb function at the outer end); the :math:`\\lambda_b` are fixed at every
step by the orthogonality conditions (a small linear system), and the iteration is
accelerated by Anderson mixing. It ends when the orbital changes by less than
``tolerance`` inside the atom, or earlier where the first plain steps already bound what is
left: after one step when the change squared is below ``tolerance/10`` (the map contracts
by about the size of its first correction: high partial waves), after two when the
geometric remainder :math:`c_2\rho/(1-\rho)`, :math:`\rho = c_2/c_1`, is below
``tolerance/10``. The operator parts that do not depend on the wave (exchange terms,
power tables, orbitals on the grid) are prepared once per grid and kappa.

*Normalisation.* Beyond the matching radius the potential is :math:`-Z_{ion}/r` and no
bound orbital remains, and the large component obeys the Coulomb equation (exactly for
``inv_c2 = 0``; for Dirac up to terms of relative order :math:`Z/(c^2kr^2)`) with momentum
:math:`p = [2\\varepsilon + \\varepsilon^2/c^2]^{1/2}`, Sommerfeld parameter
:math:`\\eta = -Z_{ion}(1 + \\varepsilon/c^2)/p` and order
:math:`\\lambda(\\lambda+1) = \\kappa(\\kappa+1) - (Z_{ion}/c)^2`. Matching ``P`` and ``P'`` to
:math:`A[\\cos\\delta\\,F_\\lambda + \\sin\\delta\\,G_\\lambda]` (:mod:`nuatom.numerics.coulombwave`) gives
the phase shift :math:`\\delta` relative to Coulomb waves and the amplitude, which is set to
:math:`A^2 = (2 + \\varepsilon/c^2)/(\\pi p)` (per-Hartree normalisation of the Dirac
continuum; :math:`2/(\\pi k)` non-relativistically).
"""
from __future__ import annotations

import collections
import math
from dataclasses import dataclass, field

import numpy as np

from nuatom.structure.configuration import gamma_k, k_values
from nuatom.structure.coulomb import ExchangeOperator, orbital_extent, yk_from_density
from nuatom.numerics.coulombwave import coulomb_fg, turning_point
from nuatom.structure.dirac import ConvergenceError
from nuatom.numerics.grid import GridSpec, RadialGrid
from nuatom.numerics.ode import AM_ORDER, _dirac_sweep, am_coefficients, integrate_outward

#: Fine-grid points between the matching point and the outer end of the integration.
MATCH_OFFSET = 64
#: Relative amplitude below which a bound orbital's tail is dropped from the exchange and
#: orthogonality integrals of the continuum. HF orbitals all decay like the outermost one
#: (the exchange couples them), so even Xe 1s keeps a 1e-7..1e-10 tail out to 10 bohr;
#: cutting it at 1e-9 changes Xe response functions by < 1e-9 (measured) and halves the
#: exchange cost.
ORBITAL_TAIL = 1e-9
#: Relative size below which a partial wave is treated as zero in the exchange integrals
#: (it rises like r^(l+1); dropping the part below 1e-13 of its maximum changes the
#: exchange term by less than that fraction).
EXCHANGE_NEGLIGIBLE = 1e-13
#: Largest rise (natural log) of a regular solution from where its integration starts
#: to its classical turning point (see ContinuumSolver._start_index).
MAX_RISE_LOG = 600.0
#: Continuum grids (with the bound orbitals on them) kept per solver, most recent first.
MAX_CACHED_GRIDS = 24
#: Smallest transition radius (bohr) of a continuum grid before its t-step is refined.
B_FLOOR = 0.02

__all__ = ["ContinuumOptions", "ContinuumOrbital", "ContinuumSolver", "momentum_au",
           "energy_normalisation_amplitude"]


@dataclass(frozen=True)
class ContinuumOptions:
    """Options of the continuum solver.

    Attributes
    ----------
    exchange : bool
        Include the non-local exchange with the bound orbitals.
    orthogonalize : bool
        Lagrange multipliers enforcing orthogonality to bound orbitals of the same kappa.
    step_limit : float
        Largest :math:`k_{loc}\\,(dr/dt)\\,h` per integration step (AM8 phase error per step
        ~1e-11 at 0.1).
    tolerance : float
        Relative change of the orbital (inside the atom) that ends the exchange iteration.
    max_iterations : int
        Exchange iterations before :class:`~nuatom.structure.dirac.ConvergenceError`.
    max_radius_bohr : float
        Farthest matching radius; a partial wave whose classical turning point lies beyond
        it has no amplitude inside the atom and is returned as ``negligible``.
    """

    exchange: bool = True
    orthogonalize: bool = True
    step_limit: float = 0.1
    tolerance: float = 1e-9
    max_iterations: int = 80
    max_radius_bohr: float = 2000.0

    def __post_init__(self):
        if not 0 < self.step_limit <= 0.5:
            raise ValueError(f"step_limit = {self.step_limit} outside (0, 0.5]")
        if not self.tolerance > 0:
            raise ValueError(f"tolerance = {self.tolerance} must be > 0")


@dataclass
class ContinuumOrbital:
    """Energy-normalised continuum orbital on a (refined) grid.

    ``P``, ``Qt`` live on ``grid`` (``Qt = cQ``; physical ``Q = Qt/c``); beyond the last
    point the orbital is the Coulomb wave it was matched to. ``phase_shift`` is
    :math:`\\delta` (mod π) relative to the Coulomb functions of order ``coulomb_order``.
    """

    energy_hartree: float
    kappa: int
    momentum_au: float
    grid: RadialGrid = field(repr=False)
    P: np.ndarray = field(repr=False)
    Qt: np.ndarray = field(repr=False)
    phase_shift: float
    coulomb_order: float
    eta: float
    match_radius_bohr: float
    iterations: int
    negligible: bool = False


def _orbital_l(kappa: int) -> int:
    return kappa if kappa > 0 else -kappa - 1


def momentum_au(energy_hartree: float, inv_c2: float) -> float:
    """Electron momentum :math:`p = [2\\varepsilon + \\varepsilon^2/c^2]^{1/2}` (a.u.)."""
    return math.sqrt(2.0 * energy_hartree + energy_hartree**2 * inv_c2)


def energy_normalisation_amplitude(energy_hartree: float, inv_c2: float) -> float:
    """Asymptotic amplitude of ``P`` for per-Hartree normalisation:
    :math:`A = [(2 + \\varepsilon/c^2)/(\\pi p)]^{1/2}`."""
    p = momentum_au(energy_hartree, inv_c2)
    return math.sqrt((2.0 + energy_hartree * inv_c2) / (math.pi * p))


class ContinuumSolver:
    """Continuum orbitals in the frozen DHF field of ``atom`` (see module docstring).

    Parameters
    ----------
    atom : nuatom.structure.atoms.Atom
    hole : str, optional
        Label of the subshell with one electron removed (e.g. ``"4d_5/2"``); ``None``
        for the field of the neutral atom (``V^N``). In an open shell whose relativistic
        subshell holds less than one electron on average (Ge ``4p_1/2``: 2/3 in the
        average-of-configuration ground state), the electron is removed from the whole
        non-relativistic shell ``nl`` in proportion to the occupancies (Ge 4p: 1/3 from
        ``4p_1/2``, 2/3 from ``4p_3/2``), i.e. the average ion ``4p^1``.
    options : ContinuumOptions
    orbitals : list of Orbital, optional
        Bound orbitals defining the field (default: ``atom.orbitals``); any set works,
        e.g. the MCDF orbitals of Ge.
    """

    def __init__(self, atom, hole: str | None = None, options: ContinuumOptions = ContinuumOptions(),
                 orbitals=None):
        self.atom = atom
        self.options = options
        self.grid = atom.grid
        self.inv_c2 = atom.inv_c2
        self.orbitals = list(orbitals if orbitals is not None else atom.orbitals)
        occ = np.array([o.occupancy for o in self.orbitals])
        self.hole = None
        if hole is not None:
            try:
                target = atom.orbital(hole)
            except ValueError as exc:
                raise ValueError(f"hole = {hole!r}: {exc}") from exc
            idx = [i for i, o in enumerate(self.orbitals) if o.n == target.n and o.kappa == target.kappa]
            if not idx:
                raise ValueError(f"hole = {hole!r} is not among the orbitals defining the field")
            if occ[idx[0]] >= 1.0 - 1e-12:
                occ[idx[0]] -= 1.0
            else:
                l_target = _orbital_l(target.kappa)
                shell = [i for i, o in enumerate(self.orbitals)
                         if o.n == target.n and _orbital_l(o.kappa) == l_target]
                held = float(occ[shell].sum())
                if held < 1.0 - 1e-12:
                    raise ValueError(f"hole = {hole!r}: the shell holds {held:g} < 1 electron")
                occ[shell] -= occ[shell] / held
            self.hole = target.label
        self.occupancies = occ
        g = self.grid
        self.z_ion = float(atom.Z - occ.sum())
        v_el = np.zeros(len(g))
        for o, q in zip(self.orbitals, occ):
            if q:
                v_el += q * yk_from_density(g, o.P**2 + self.inv_c2 * o.Qt**2, 0)
        self.potential = atom.nuclear_potential_hartree + v_el
        self.charge_at_origin = float(atom.Z) if atom.nucleus.kind == "point" else 0.0
        self._orbP = np.array([o.P for o in self.orbitals])
        self._orbQ = np.array([o.Qt for o in self.orbitals])
        # extent of the bound orbitals (beyond it exchange sources and overlaps vanish)
        dens = np.max(self._orbP**2, axis=0)
        self.i_bound = int(np.nonzero(dens > 1e-24 * dens.max())[0][-1])
        tail = np.abs(self.potential + self.z_ion / g.r) * g.r
        short = np.nonzero(tail > 1e-11)[0]
        self.i_short = int(short[-1]) if short.size else 0
        # grids per (transition radius, points, end): bounded, since every energy can ask
        # for its own end radius and each entry holds all bound orbitals on its grid
        self._fine: collections.OrderedDict = collections.OrderedDict()

    # ---------------------------------------------------------------- continuum grids
    def continuum_grid(self, energy_hartree: float, r_end: float) -> tuple:
        """Grid resolving the continuum at ``energy_hartree`` out to ``r_end``, with the
        potential and the bound orbitals on it: ``(grid, V, orbP, orbQt)``.

        Same ``r_min`` as the atom's grid; ``t``-step at most the atom's (so the bound
        orbitals stay resolved near the nucleus) and the largest transition radius ``b``
        (from a ladder :math:`b_{atom}2^{-j/4}`, for caching) with
        :math:`k_{loc}(r)\\,(dr/dt)\\,h \\le` ``step_limit`` at every radius.
        """
        g = self.grid
        lim = self.options.step_limit
        p = momentum_au(energy_hartree, self.inv_c2)
        # For a t-step h, the largest b with k r b/(r + b) h <= lim at every radius is
        # min over r > X of r X/(r - X), X = lim/(k h). Keep the atom's step unless that
        # would push b below B_FLOOR (then the step near the nucleus is what limits).
        # The atom's radii give the same bound for every partial wave of one energy
        # (_b_needed_inside, kept for the last energy); the end radius adds its own.
        h = g.h
        while True:
            X_end = lim / (max(p, 1e-300) * h)
            b_end = r_end * X_end / (r_end - X_end) if r_end > X_end else np.inf
            b_need = min(self._b_needed_inside(energy_hartree, h), b_end)
            if b_need >= B_FLOOR or h < 1e-6:
                break
            h *= 0.5
        j = 0
        b = g.spec.b_bohr
        while b > b_need:
            j += 1
            b = g.spec.b_bohr * 2.0 ** (-j / 4.0)
        r_end = 2.0 * math.ceil(r_end / 2.0)
        t0 = math.log(g.r[0]) + g.r[0] / b
        t1 = math.log(r_end) + r_end / b
        n = int(math.ceil((t1 - t0) / h)) + 1
        key = (round(b, 12), n, r_end)
        if key not in self._fine:
            cg = RadialGrid(GridSpec(float(g.r[0]), r_end, n, b))
            inside = cg.r <= g.r[-1]
            rV = np.where(inside, g.interpolate_at(g.r * self.potential, cg.r), -self.z_ion)
            V = rV / cg.r
            orbP = np.array([np.where(inside, g.interpolate_at(P, cg.r), 0.0) for P in self._orbP])
            orbQ = np.array([np.where(inside, g.interpolate_at(Q, cg.r), 0.0) for Q in self._orbQ])
            # zero the interpolated orbitals beyond the last point where they exceed
            # ORBITAL_TAIL of their maximum, so that exchange terms stop at each orbital's
            # extent (the SCF leaves a ~1e-16 floor far out, which would otherwise make
            # every orbital, even 1s, span the whole grid)
            for arr_p, arr_q in zip(orbP, orbQ):
                tiny = np.abs(arr_p) < ORBITAL_TAIL * np.max(np.abs(arr_p))
                last = len(arr_p) - np.argmax(~tiny[::-1])
                arr_p[last:] = 0.0
                arr_q[last:] = 0.0
            self._fine[key] = (cg, V, orbP, orbQ)
            while len(self._fine) > MAX_CACHED_GRIDS:
                self._fine.popitem(last=False)
        else:
            self._fine.move_to_end(key)
        return self._fine[key]

    def _b_needed_inside(self, energy_hartree: float, h: float) -> float:
        """Largest transition radius that keeps the atom's radii within the step limit at
        t-step ``h`` (see :meth:`continuum_grid`); cached for the last energy asked."""
        cache = self.__dict__.get("_b_inside")
        if cache is None or cache[0] != energy_hartree:
            d = energy_hartree - self.potential
            kloc = np.sqrt(np.clip(2.0 * d + d * d * self.inv_c2, 0.0, None))
            cache = (energy_hartree, np.maximum(kloc, 1e-300), {})
            self.__dict__["_b_inside"] = cache
        by_step = cache[2]
        if h not in by_step:
            r = self.grid.r
            X = self.options.step_limit / (cache[1] * h)
            over = r > X
            by_step[h] = float(np.min(r[over] * X[over] / (r[over] - X[over]))) if over.any() else np.inf
        return by_step[h]

    def release_grids(self) -> None:
        """Drop the cached continuum grids.

        Grids are keyed by their step and extent, which follow the energy: a caller that
        moves on to another energy does not reuse them, and each holds every bound orbital
        (and, once exchange has run, power tables) on a fine grid, so a long-lived solver
        would otherwise keep up to ``MAX_CACHED_GRIDS`` of them per subshell.
        """
        self._fine.clear()

    def bound_on(self, fine: RadialGrid, label: str):
        """``(P, Qt)`` of the bound orbital ``label`` on a grid made by :meth:`continuum_grid`.

        The full orbital, interpolated from the atom's grid (zero beyond it) — not the copy
        used for exchange, whose far tail below ``ORBITAL_TAIL`` of its maximum is cut.
        """
        if not any(value[0] is fine for value in self._fine.values()):
            raise ValueError("grid was not made by this solver")
        return self._full_orbital(fine, self.atom.orbital(label))

    def _full_orbital(self, fine, orbital):
        g = self.grid
        inside = fine.r <= g.r[-1]
        P = np.where(inside, g.interpolate_at(orbital.P, fine.r), 0.0)
        Q = np.where(inside, g.interpolate_at(orbital.Qt, fine.r), 0.0)
        return P, Q

    # ---------------------------------------------------------------- exchange terms
    def exchange_terms(self, kappa: int) -> dict:
        """``{(b, k): coefficient}`` of :math:`K v = \\sum g\\,\\phi_b Y^k[\\phi_b, v]` for ``kappa``."""
        terms = {}
        for b, (o, q) in enumerate(zip(self.orbitals, self.occupancies)):
            if q <= 0:
                continue
            for k in k_values(kappa, o.kappa):
                terms[(b, k)] = -q * gamma_k(kappa, k, o.kappa)
        return terms

    # ---------------------------------------------------------------- solve
    def solve(self, energy_hartree: float, kappa: int) -> ContinuumOrbital:
        """Continuum orbital of kinetic energy ``energy_hartree`` (> 0) and Dirac ``kappa``."""
        eps = float(energy_hartree)
        if not (eps > 0 and math.isfinite(eps)):
            raise ValueError(f"energy_hartree = {energy_hartree} must be > 0 (continuum)")
        kappa = int(kappa)
        if kappa == 0:
            raise ValueError("kappa = 0 is not a Dirac quantum number")
        opts = self.options
        c2 = self.inv_c2
        g = self.grid
        p = momentum_au(eps, c2)
        lam = 0.5 * (-1.0 + math.sqrt(max(1.0 + 4.0 * (kappa * (kappa + 1.0) - self.z_ion**2 * c2), 0.0)))
        eta = -self.z_ion * (1.0 + eps * c2) / p
        rho_t = turning_point(lam, eta)
        # beyond the short-range potential and the bound orbitals, and past the turning
        # point of the Coulomb equation (where Steed's continued fractions converge)
        r_match = max(g.r[max(self.i_short, self.i_bound)], 1.2 * rho_t / p) + 1.0
        # room for MATCH_OFFSET steps beyond the matching point (the continuum grid's
        # spacing far out is at most min(b h, step_limit/p))
        spacing = min(g.spec.b_bohr * g.h, opts.step_limit / p)
        r_match += 1.2 * MATCH_OFFSET * spacing
        if r_match > opts.max_radius_bohr:
            return self._negligible(eps, kappa, p, lam, eta, r_match)
        fine, V, orbP, orbQ = self.continuum_grid(eps, r_match)
        n = len(fine)
        w0 = -self.charge_at_origin
        w1 = (fine.r[0] * V[0] - w0) / fine.r[0]
        i_first = self._start_index(fine, kappa, rho_t / p)
        P0, Q0 = integrate_outward(fine, V, kappa, eps, c2, w0, w1, n - 1, i_first=i_first)
        P1, Q1 = self._irregular(fine, V, kappa, eps, lam, eta, p, i_first)
        W = P0 * Q1 - Q0 * P1
        wr = float(W[n // 2])
        if opts.exchange or opts.orthogonalize:
            P, Q, its = self._exchange_iteration(fine, V, orbP, orbQ, kappa, eps, P0, Q0, P1, Q1, wr)
        else:
            P, Q, its = P0, Q0, 0
        # match P and P' to Coulomb functions of order lam, MATCH_OFFSET points inside the
        # end: the second solution y1 starts there from approximate (Coulomb) values and
        # is an exact solution only a few steps later
        im = n - 1 - MATCH_OFFSET
        r = fine.r[im]
        Pm = P[im]
        dPm = -kappa / r * Pm + (2.0 + (eps - V[im]) * c2) * Q[im]
        F, Fp, G, Gp = coulomb_fg(lam, eta, p * r)
        det = F * p * Gp - G * p * Fp
        a = (Pm * p * Gp - G * dPm) / det
        bb = (F * dPm - p * Fp * Pm) / det
        amp = math.hypot(a, bb)
        scale = energy_normalisation_amplitude(eps, c2) / amp
        delta = math.atan2(bb, a)
        delta = (delta + 0.5 * math.pi) % math.pi - 0.5 * math.pi
        return ContinuumOrbital(eps, kappa, p, fine, P * scale, Q * scale, delta, lam, eta, r, its)

    def _negligible(self, eps, kappa, p, lam, eta, r_match):
        g = self.grid
        return ContinuumOrbital(eps, kappa, p, g, np.zeros(len(g)), np.zeros(len(g)), 0.0, lam, eta,
                                r_match, 0, negligible=True)

    @staticmethod
    def _start_index(fine, kappa: int, r_turn: float) -> int:
        """First grid index kept for partial wave ``kappa``.

        Below it the regular solution is smaller than :math:`e^{-600}` times its value at
        the classical turning point ``r_turn`` (it rises like :math:`r^{l+1}`), so setting
        it to zero there changes nothing at double precision, while integrating it (and
        the irregular solution, which grows inward by the same factor) from the origin
        would leave the floating-point range for :math:`l \\gtrsim 40`.
        """
        l_plus_1 = abs(kappa) + (1 if kappa > 0 else 0)
        if r_turn <= fine.r[0]:
            return 0
        rise = l_plus_1 * np.log(r_turn / fine.r)
        i = int(np.searchsorted(-rise, -MAX_RISE_LOG))
        return min(i, len(fine) // 2)

    def _irregular(self, fine, V, kappa, eps, lam, eta, p, i_first: int = 0):
        """Second solution, started from the irregular Coulomb function at the outer end
        and integrated inward down to ``i_first`` (zeros below)."""
        n = len(fine)
        c2 = self.inv_c2
        n_start = AM_ORDER - 1
        P = np.zeros(n)
        Q = np.zeros(n)
        previous = None
        for j in range(n_start):
            i = n - 1 - j
            r = fine.r[i]
            _, _, G, Gp = coulomb_fg(lam, eta, p * r)
            # each call fixes the overall sign of G separately, and near a node of F that
            # sign can flip between neighbouring points: keep (G, G'/p) continuous, since
            # neighbouring points differ by a small rotation of that vector
            if previous is not None and G * previous[0] + Gp * previous[1] < 0.0:
                G, Gp = -G, -Gp
            previous = (G, Gp)
            a12 = 2.0 + (eps - V[i]) * c2
            P[i] = G
            Q[i] = (p * Gp + kappa * G / r) / a12
        _dirac_sweep(fine.r, fine.drdt, V, float(kappa), float(eps), float(c2), -fine.h,
                     am_coefficients(), P, Q, n - 1, int(i_first), n_start, np.zeros(n))
        return P, Q

    def _truncated(self, fine, nb):
        """The first ``nb`` points of ``fine`` as a grid (cached: building grids is costly)."""
        # kept on the grid object itself, so that it goes when the grid leaves the cache
        cache = fine.__dict__.setdefault("_truncated_grids", {})
        if nb not in cache:
            cache[nb] = RadialGrid(fine.spec, t0=float(fine.t[0]), h=fine.h, n=nb)
        return cache[nb]

    def _causal(self, fine, P0, Q0, P1, Q1, W, sP, sQ):
        """Particular solution of (h - e) phi = s with zero data at the origin."""
        c2 = self.inv_c2
        I1 = fine.cumulative(P1 * sP + c2 * Q1 * sQ)
        I0 = fine.cumulative(P0 * sP + c2 * Q0 * sQ)
        return (P0 * I1 - P1 * I0) / W, (Q0 * I1 - Q1 * I0) / W

    def _exchange_setup(self, fine, orbP, orbQ):
        """What the exchange iteration needs on ``fine`` that does not depend on the wave:
        the bound orbitals' extent and truncated copies, the truncated grid, and (filled
        per kappa) the prepared exchange operators and the full orbitals of the
        orthogonality conditions. Kept on the grid, so it goes when the grid leaves the
        cache; every partial wave of one energy shares it."""
        setup = fine.__dict__.get("_exchange_setup")
        if setup is not None and setup["owner"] == id(self):
            return setup
        # the grid's own orbitals decide the extent (their far tails are cut, see
        # continuum_grid): beyond nb every exchange source and overlap vanishes
        extent_full = orbital_extent(orbP)
        nb = min(len(fine), int(extent_full.max()))
        setup = {"owner": id(self), "nb": nb, "extent": np.minimum(extent_full, nb),
                 "orbPb": np.ascontiguousarray(orbP[:, :nb]), "orbQb": np.ascontiguousarray(orbQ[:, :nb]),
                 "operators": {}, "full": {}}
        fine.__dict__["_exchange_setup"] = setup
        return setup

    def _exchange_operator(self, fine, setup, kappa: int):
        ops = setup["operators"]
        if kappa not in ops:
            terms = self._exchange_terms_of(kappa)
            ops[kappa] = ExchangeOperator(self._truncated(fine, setup["nb"]), setup["orbPb"], setup["orbQb"],
                                          terms, self.inv_c2, setup["extent"]) if terms else None
        return ops[kappa]

    def _exchange_terms_of(self, kappa: int) -> dict:
        cache = self.__dict__.setdefault("_terms_by_kappa", {})
        if kappa not in cache:
            cache[kappa] = self.exchange_terms(kappa)
        return cache[kappa]

    def _full_orbital_cached(self, fine, setup, index: int):
        full = setup["full"]
        if index not in full:
            full[index] = self._full_orbital(fine, self.orbitals[index])
        return full[index]

    def _exchange_iteration(self, fine, V, orbP, orbQ, kappa, eps, P0, Q0, P1, Q1, W):
        opts = self.options
        c2 = self.inv_c2
        setup = self._exchange_setup(fine, orbP, orbQ)
        nb = setup["nb"]
        operator = self._exchange_operator(fine, setup, kappa) if opts.exchange else None
        same = [i for i, o in enumerate(self.orbitals) if o.kappa == kappa] if opts.orthogonalize else []
        wts = fine.weights[:nb]

        def dot(aP, aQ, bP, bQ):
            # np.sum, not BLAS: a threaded ddot spins badly when worker processes share cores
            return float(np.sum(wts * (aP[:nb] * bP[:nb] + c2 * aQ[:nb] * bQ[:nb])))

        # responses to the bound orbitals (Lagrange terms) are fixed: compute once
        # orthogonality to the full bound orbitals (the exchange copies have their far tails
        # cut at ORBITAL_TAIL, which would leave overlaps of that size)
        full = [self._full_orbital_cached(fine, setup, i) for i in same]
        w_grid = fine.weights

        def dot_full(aP, aQ, bP, bQ):
            return float(np.sum(w_grid * (aP * bP + c2 * aQ * bQ)))

        g_b = [self._causal(fine, P0, Q0, P1, Q1, W, fP, fQ) for fP, fQ in full]
        A = np.array([[dot_full(fP, fQ, *gb) for gb in g_b] for fP, fQ in full]) if same else None
        sub = np.s_[:nb]
        P, Q = P0.copy(), Q0.copy()
        history_x, history_f = [], []
        scale_ref = math.sqrt(dot(P0, Q0, P0, Q0)) + 1e-300
        for it in range(1, opts.max_iterations + 1):
            if operator is not None:
                kP = np.zeros(len(fine))
                kQ = np.zeros(len(fine))
                kP[sub], kQ[sub] = operator.apply(P[sub], Q[sub], negligible=EXCHANGE_NEGLIGIBLE)
                xP, xQ = self._causal(fine, P0, Q0, P1, Q1, W, -kP, -kQ)
                newP, newQ = P0 + xP, Q0 + xQ
            else:
                newP, newQ = P0.copy(), Q0.copy()
            if same:
                rhs = -np.array([dot_full(fP, fQ, newP, newQ) for fP, fQ in full])
                lam = np.linalg.solve(A, rhs)
                for l_b, (gP, gQ) in zip(lam, g_b):
                    newP = newP + l_b * gP
                    newQ = newQ + l_b * gQ
            resP, resQ = newP - P, newQ - Q
            change = math.sqrt(max(dot(resP, resQ, resP, resQ), 0.0)) / scale_ref
            if change < opts.tolerance or operator is None:
                return newP, newQ, it
            if it == 1 and change * change < 0.1 * opts.tolerance:
                # weak exchange (high partial waves): the map contracts by about the size of
                # its first correction, so the next change would be ~change^2 < tolerance/10
                return newP, newQ, it
            if it == 2 and change < 0.5 * first_change and change * change / (first_change - change) < 0.1 * opts.tolerance:
                # the first two steps are plain iterations of a contraction with ratio
                # rho = change/first_change, so the error left after this one is
                # change rho/(1 - rho) (geometric series), here below tolerance/10
                return newP, newQ, it
            if it == 1:
                first_change = change
            # Anderson mixing on the fixed-point map x -> f(x)
            history_x.append(np.concatenate([P, Q]))
            history_f.append(np.concatenate([resP, resQ]))
            if len(history_x) > 6:
                history_x.pop(0)
                history_f.pop(0)
            if len(history_x) >= 2:
                dF = np.array([history_f[i + 1] - history_f[i] for i in range(len(history_f) - 1)])
                dX = np.array([history_x[i + 1] - history_x[i] for i in range(len(history_x) - 1)])
                wfull = np.concatenate([fine.weights, c2 * fine.weights])
                M = (dF * wfull) @ dF.T
                rhsA = (dF * wfull) @ history_f[-1]
                try:
                    gamma = np.linalg.lstsq(M, rhsA, rcond=1e-12)[0]
                except np.linalg.LinAlgError:
                    gamma = np.zeros(len(dF))
                x_new = history_x[-1] + history_f[-1] - gamma @ (dX + dF)
                P, Q = x_new[: len(fine)], x_new[len(fine):]
            else:
                P, Q = newP, newQ
        raise ConvergenceError(f"continuum exchange iteration (e={eps:.6g} Hartree, kappa={kappa}) did not "
                               f"converge in {opts.max_iterations} iterations: relative change {change:.3e}")
