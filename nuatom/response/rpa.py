"""RPA response functions :math:`R_{\\mu\\nu}(T, q)` at finite momentum transfer (method ``"rpa"``).

The frozen-core engine (:mod:`nuatom.response.engine`) sums every multipole ``J`` and partial
wave of the independent-particle amplitudes. The RPA dresses each amplitude with the
induced potential of the polarised core (:func:`nuatom.continuum.rpa.rpa_multipoles_over_q`,
one kernel per ``(T, J, parity)`` for every operator and momentum). Correlations act on the
low multipoles, where the transition density overlaps the core coherently; they fade with
``J`` (measured per ``J`` in ``benchmarks/bench_rpa_finite_q.py``) at momenta of the order of the
outer shells' (at q = 10 keV/c the ranks J >= 4 would change R00 by 0.6 % at Xe T = 21.8 eV and
0.1 % at 92.7 eV), but less and less further out on the momentum tail, where every rank is
changed by tens of per cent (J = 4, 5 would change R00 by +3.2 % at 92.7 eV and 50 keV/c; J = 4
by -4.4 % at 21.8 eV and 100 keV/c; ``benchmarks/bench_rpa_multipole_truncation.py``).
The response is therefore assembled as

.. math::
    S^{\\rm RPA}_{XY}(T, q) = S^{\\rm DHF}_{XY}(T, q)\\big|_{\\text{all }J}
      + \\sum_{J \\le J_{\\max}}\\big[S^{\\rm RPA}_{XY,J}(T, q) - S^{\\rm DHF}_{XY,J}(T, q)\\big],

with :math:`S^{\\rm DHF}` the frozen core in the field of the ion with a hole in the ionized
subshell (``ResponseOptions(hole=True)``, method ``"dhf"`` of the packaged tables),
:math:`S^{\\rm RPA}_J` and :math:`S^{\\rm DHF}_J` from the same RPA machinery with the induced
potential and without it (``RPAOptions(induced=False, hole=True)``: the engine's static
Hamiltonian), and :math:`S_{XY} = w_a\\sum\\mathrm{Re}\\,X_JY_J^*` the engine's bilinear sums
(:data:`nuatom.response.engine.BASIS`), per subshell. The multipoles above ``J_max`` stay
frozen-core **in the field of the ion**: the RPA holds the hole at every ``J`` (its
monopole self-exchange term, coefficient -1 for every rank), so it is the ion's field, not
the neutral atom's (:math:`V^N`, the RPA's static Hamiltonian without that term), that the
high multipoles and the high energy transfers approach. (An earlier assembly on the
:math:`V^N` frozen core missed the hole above ``J_max``: 10 % at the Bethe ridge of Ge at
300 eV.) Cross-parity sums (e.g. ``C`` with ``C5``) vanish identically at each ``J``; the
weak current's parity-mixing sums (``E`` with ``M5``, ``E5`` with ``M``) come from one
kernel, since both partners share its parity.

Cost: the dressed amplitudes of a kernel come from one linear solve per open channel (its
dressed final state, :func:`nuatom.continuum.rpa.rpa_multipoles_over_q`, route
``"adjoint"``), after which every momentum and kind is a radial integral; so a point's cost
hardly grows with the number of momenta.

Status: per energy transfer, any momenta. Packaged: RPA *columns* at a few nodes of the
reference tables (:func:`nuatom.response.tables.rpa_reference_columns`, made by
``benchmarks/make_rpa_response_columns.py``; 12 minutes to 1.7 hours per column on one
core when they were made, 1.7-2 times less with the present solver). Full RPA tables and
the ``method="rpa"`` default of the cross sections are not built yet (they still use the
frozen core). The dark-matter charge response has RPA tables below 0.4 keV
(``nuatom/data/darkmatter/rpa``, ``benchmarks/make_rpa_dm_tables.py``), which use
:func:`rpa_low_rank_correction` with the Coulomb kind only.
"""
from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import numpy as np

from nuatom.continuum.multipoles import KINDS
from nuatom.continuum.rpa import RPAOptions, rpa_multipoles_over_q
from nuatom.continuum.solver import ContinuumSolver
from nuatom.numerics.angular import multipole_parity
from nuatom.response.engine import (COMPONENTS, ResponseOptions, basis_for, components_from_basis,
                                    subshell_basis_sums)

__all__ = ["RPAResponseOptions", "RPAResponsePoint", "rpa_multipole_sums", "rpa_low_rank_sums",
           "rpa_low_rank_correction", "rpa_response_point"]

_TRANSVERSE = ("E", "M", "E5", "M5")


@dataclass(frozen=True)
class RPAResponseOptions:
    """Options of the RPA response functions.

    Attributes
    ----------
    J_max : int
        Largest multipole rank dressed by the RPA; higher ranks stay frozen-core.
    rpa : RPAOptions
        Options of the RPA kernel (polarised shells, GMRES tolerance, grids).
    frozen : ResponseOptions
        Options of the frozen-core engine for the all-``J`` base; ``hole`` must be True
        (the field of the ion, which the RPA holds at every rank: module docstring).
    route : {"auto", "adjoint", "forward"}
        How the dressed amplitudes are solved for
        (:func:`nuatom.continuum.rpa.rpa_multipoles_over_q`): one solve per open channel
        (adjoint, the dressed final states) or one per momentum and kind (forward); the
        results agree to the discretisation of the solve (1e-5 measured). ``"auto"`` takes
        the route with fewer solves.
    """

    J_max: int = 3
    rpa: RPAOptions = RPAOptions()
    frozen: ResponseOptions = ResponseOptions(hole=True)
    route: str = "auto"

    def __post_init__(self):
        if int(self.J_max) != self.J_max or self.J_max < 0:
            raise ValueError(f"J_max = {self.J_max} must be an integer >= 0")
        if not self.frozen.hole:
            raise ValueError("frozen.hole must be True: the RPA holds the ion's field (its hole) at every J")
        if not self.rpa.induced:
            raise ValueError("rpa.induced must be True (induced=False is the frozen core)")
        if self.route not in ("auto", "adjoint", "forward"):
            raise ValueError(f"route = {self.route!r} is not one of 'auto', 'adjoint', 'forward'")


def _parity_groups(J: int, kinds) -> list[tuple]:
    groups = {}
    for k in kinds:
        if k in _TRANSVERSE and J < 1:
            continue
        groups.setdefault(multipole_parity(J, k), []).append(k)
    return [tuple(g) for g in groups.values()]


def rpa_multipole_sums(atom, T_hartree: float, q_au, *, J_values, kinds=KINDS,
                       options: RPAOptions = RPAOptions(), route: str = "auto") -> dict:
    """Bilinear sums of the RPA-dressed multipoles of the given ranks only.

    Parameters
    ----------
    atom : Atom
        Relativistic DHF atom.
    T_hartree : float
        Energy transfer (Hartree, > 0).
    q_au : array_like
        Momentum transfers (bohr^-1, > 0).
    J_values : iterable of int
        Multipole ranks to include.
    kinds : sequence of str
        Multipole kinds; the sums are :func:`nuatom.response.engine.basis_for` of them.
    options : RPAOptions
        ``induced=False`` gives the frozen-core sums of the same ranks (``hole=True``: in
        the field of the ion, as the engine's method ``"dhf"``).
    route : {"auto", "adjoint", "forward"}
        Passed to :func:`nuatom.continuum.rpa.rpa_multipoles_over_q`.

    Returns
    -------
    dict
        ``{subshell label: S}`` with ``S[len(basis_for(kinds)), len(q)]`` in 1/Hartree,
        weight :math:`q_a/(2j_a+1)` included, the engine's convention.
    """
    q = np.atleast_1d(np.asarray(q_au, float))
    order = np.argsort(q)
    basis = basis_for(kinds)
    out: dict = {}
    for J in J_values:
        for group in _parity_groups(int(J), kinds):
            results = rpa_multipoles_over_q(atom, T_hartree, q[order], J=int(J), kinds=group, options=options,
                                            route=route)
            for iq, r in zip(order, results):
                for ib, (x, y) in enumerate(basis):
                    if x not in group or y not in group:
                        continue
                    for label, value in r.bilinear_sum(x, y).items():
                        out.setdefault(label, np.zeros((len(basis), q.size)))[ib, iq] += value
    return out


def rpa_low_rank_sums(atom, T_hartree: float, q_au, *, kinds=KINDS,
                      options: RPAResponseOptions = RPAResponseOptions()) -> tuple[dict, dict]:
    """The two ingredients of the RPA correction of the ranks ``J <= options.J_max``: the
    dressed sums and the frozen-core sums of the same ranks from the same machinery
    (``induced=False, hole=True``), each ``{label: S[basis, q]}`` (1/Hartree). Their
    difference is :attr:`RPAResponsePoint.correction` (module formula)."""
    J_values = range(options.J_max + 1)
    dressed = rpa_multipole_sums(atom, T_hartree, q_au, J_values=J_values, kinds=kinds, options=options.rpa,
                                 route=options.route)
    bare = rpa_multipole_sums(atom, T_hartree, q_au, J_values=J_values, kinds=kinds,
                              options=dataclasses.replace(options.rpa, induced=False, hole=True))
    return dressed, bare


def rpa_low_rank_correction(atom, T_hartree: float, q_au, *, kinds=KINDS,
                            options: RPAResponseOptions = RPAResponseOptions()) -> dict:
    """The RPA correction of the ranks ``J <= options.J_max`` per subshell, ``{label: S[basis, q]}``
    (1/Hartree): the dressed minus the frozen-core sums of :func:`rpa_low_rank_sums`, to be
    added to a frozen-core response of all ranks (module formula). Every label of either
    side is present; a subshell that only one side has counts as zero on the other."""
    dressed, bare = rpa_low_rank_sums(atom, T_hartree, q_au, kinds=kinds, options=options)
    return {label: np.asarray(dressed.get(label, 0.0)) - np.asarray(bare.get(label, 0.0))
            for label in set(dressed) | set(bare)}


@dataclass
class RPAResponsePoint:
    """RPA and frozen-core (DHF, :math:`V^{N-1}`) basis sums of every subshell at one energy transfer.

    Attributes
    ----------
    T_hartree : float
    q_au : ndarray
    basis : tuple
        The bilinear sums stored (pairs of multipole kinds).
    rpa, frozen : dict
        ``{label: S[len(basis), len(q)]}`` (1/Hartree): the assembled RPA response (module
        formula) and the frozen-core response of all multipoles (the ion's field, method
        ``"dhf"``).
    correction : dict
        ``{label: S}``: the RPA minus frozen-core sums of the ranks ``J <= J_max``.
    frozen_low_J : dict
        ``{label: S}``: the frozen-core sums of the ranks ``J <= J_max`` from the RPA
        machinery without induced potential (at small ``q`` they must equal ``frozen``,
        which the engine computes by another route).
    J_max : int
    seconds : float
    """

    T_hartree: float
    q_au: np.ndarray
    basis: tuple
    rpa: dict
    frozen: dict
    correction: dict
    frozen_low_J: dict
    J_max: int
    seconds: float
    info: dict = field(default_factory=dict)

    def components(self, current: str = "vector", *, method: str = "rpa", subshell: str | None = None,
                   c_V: float = 1.0, c_A: float = 1.0, components=COMPONENTS) -> dict:
        """``{component: array over q}`` (1/Hartree) of one subshell or the atom."""
        sums = {"rpa": self.rpa, "frozen": self.frozen}[method]
        S = sums[subshell] if subshell is not None else sum(sums.values())
        return components_from_basis(S, current, c_V, c_A, basis=self.basis, components=components)


def rpa_response_point(atom, T_hartree: float, q_au, *, kinds=KINDS,
                       options: RPAResponseOptions = RPAResponseOptions()) -> RPAResponsePoint:
    """RPA response sums of every subshell at one energy transfer and many momenta.

    Parameters
    ----------
    atom : Atom
        Relativistic DHF atom (open shells by AOC-RRPA).
    T_hartree : float
        Energy transfer (Hartree, > 0).
    q_au : array_like
        Momentum transfers (bohr^-1, > 0).
    kinds : sequence of str
        Multipole kinds to compute (default all eight: every component of every current).
    options : RPAResponseOptions

    Returns
    -------
    RPAResponsePoint
    """
    t0 = time.perf_counter()
    T = float(T_hartree)
    if not (T > 0 and np.isfinite(T)):
        raise ValueError(f"T_hartree = {T_hartree} must be > 0")
    q = np.atleast_1d(np.asarray(q_au, float))
    if q.size == 0 or not np.all(np.isfinite(q) & (q > 0)):
        raise ValueError(f"q_au = {q_au} must be > 0 (bohr^-1)")
    kinds = tuple(k for k in KINDS if k in kinds)
    basis = basis_for(kinds)
    dressed, bare = rpa_low_rank_sums(atom, T, q, kinds=kinds, options=options)
    frozen, rpa, correction, info = {}, {}, {}, {}
    for o in atom.orbitals:
        if o.occupancy <= 0:
            continue
        solver = ContinuumSolver(atom, hole=o.label, options=options.frozen.continuum)
        S, inf = subshell_basis_sums(solver, o, T, q, options.frozen, kinds)
        frozen[o.label] = S
        info[o.label] = inf
        zero = np.zeros_like(S)
        correction[o.label] = dressed.get(o.label, zero) - bare.get(o.label, zero)
        rpa[o.label] = S + correction[o.label]
    return RPAResponsePoint(T, q, basis, rpa, frozen, correction, bare, options.J_max, time.perf_counter() - t0, info)
