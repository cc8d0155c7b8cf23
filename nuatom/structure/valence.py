"""Valence orbitals in the frozen Dirac–Hartree–Fock potential of a closed-shell core
(the :math:`V^{N-1}` approximation).

For a closed-shell core every orbital of symmetry :math:`\\kappa` obeys the same Fock
equation,

.. math::
    F_\\kappa\\phi = \\Big[h_0 + \\sum_b q_b Y^0_{bb}(r)\\Big]\\phi
    - \\sum_{b,k} q_b\\,\\Gamma^k_{\\kappa\\kappa_b}\\,\\phi_b\\,Y^k[\\phi_b,\\phi] = \\varepsilon\\phi,

with :math:`q_b = 2j_b + 1` and :math:`\\Gamma^k` the squared 3j symbol of
:func:`~nuatom.structure.configuration.gamma_k`. Its lowest eigenvectors are the core
orbitals; the next ones, found here in the complement of the core, are the valence
orbitals of the neutral atom with one electron outside that core (Cs 6s, 6p, 5d, ... in
the field of Cs⁺). This is how ampsci and Johnson's *Atomic Structure Theory* define the
valence Dirac–Hartree–Fock energies, so these numbers are directly comparable with theirs.

The eigenproblem is solved by the Davidson iteration of the SCF
(:func:`nuatom.structure.hf._davidson`) with the core frozen: the start is the bound state
of the local direct potential (right number of nodes), the core orbitals of the same
:math:`\\kappa` are projected out, and the iteration stops when the Ritz value changes by
less than ``energy_tolerance_hartree`` over :data:`STEPS_PER_CHECK` steps.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nuatom.structure.atoms import Atom, Orbital, parse_orbital_label
from nuatom.structure.configuration import gamma_k, k_values, subshell_label
from nuatom.structure.dirac import ConvergenceError, solve_bound
from nuatom.structure.hf import _davidson, _exchange_apply, _smooth_min, _Workspace, slater_exchange_potential

__all__ = ["valence_orbitals"]

#: Davidson steps between two checks of the energy change.
STEPS_PER_CHECK = 20


def _core_fock(core: Atom, kappa: int):
    """Local potential and exchange terms of :math:`F_\\kappa` for the closed-shell core."""
    nonlocal_ = {}
    for b, orb in enumerate(core.orbitals):
        for k in k_values(kappa, orb.kappa):
            nonlocal_[(b, k)] = -orb.occupancy * gamma_k(kappa, k, orb.kappa)
    return core.electron_potential_hartree, nonlocal_


def valence_orbitals(core: Atom, labels: Sequence[str], *, energy_tolerance_hartree: float = 1e-12,
                     max_davidson_steps: int = 400) -> list[Orbital]:
    """Valence orbitals ``labels`` (e.g. ``["6s", "6p_1/2", "5d_5/2"]``) in the frozen
    :math:`V^{N-1}` Dirac–Hartree–Fock potential of the closed-shell ``core``.

    Parameters
    ----------
    core : Atom
        A closed-shell DHF atom or ion, e.g. ``nuatom.atom("Cs", configuration="[Xe]")``
        (Cs⁺). Its grid must reach far enough for the valence orbitals (Cs 6s needs about
        100 bohr; the default grid ends at 60).
    labels : sequence of str
        Orbitals not occupied in the core; ``"6p"`` means ``6p_1/2``.
    energy_tolerance_hartree : float
        Convergence: the Ritz value changes by less than this over
        :data:`STEPS_PER_CHECK` Davidson steps (the criterion of the SCF; the residual norm
        itself stops at a grid noise floor of ~3e-7 for Cs 6p_3/2, where the energy is
        already converged to 1e-15 Hartree).
    max_davidson_steps : int

    Returns
    -------
    list of Orbital
        Occupancy 1 each; ``energy_hartree`` is the valence removal energy in Koopmans'
        sense (rest mass excluded), ``P``, ``Q``, ``Qt`` on the core's grid.

    Raises
    ------
    ValueError
        An open-shell core, a malformed label, or an orbital the core occupies.
    ConvergenceError
        If the energy still changes by more than ``energy_tolerance_hartree`` after
        ``max_davidson_steps`` steps from each of the two starts (see the source).
    """
    if not isinstance(core, Atom):
        raise ValueError(f"core must be an nuatom Atom (nuatom.atom(...)); got {type(core).__name__}")
    open_shells = [o.label for o in core.orbitals if abs(o.occupancy - (2 * abs(o.kappa))) > 1e-12]
    if open_shells:
        raise ValueError(f"core must be closed-shell; {core.symbol} {core.configuration} has open "
                         f"subshells {', '.join(open_shells)}")
    if not energy_tolerance_hartree > 0:
        raise ValueError(f"energy_tolerance_hartree = {energy_tolerance_hartree} must be > 0")
    if int(max_davidson_steps) != max_davidson_steps or max_davidson_steps < 1:
        raise ValueError(f"max_davidson_steps = {max_davidson_steps} must be an integer >= 1")
    wanted = []
    for label in labels:
        n, kappa = parse_orbital_label(label)
        if any(o.n == n and o.kappa == kappa for o in core.orbitals):
            raise ValueError(f"orbital {label!r} is occupied in the core {core.configuration}")
        wanted.append((n, kappa))
    ws = _Workspace(core.grid, core.nuclear_potential_hartree,
                    float(core.Z) if core.nucleus.kind == "point" else 0.0, core.inv_c2)
    orbP = np.array([o.P for o in core.orbitals])
    orbQ = np.array([o.Qt for o in core.orbitals])
    # Starts: bound states of a local potential (right number of nodes). First the direct
    # potential of the core. There the Ritz value begins next to an eigenvalue of
    # h0 + V_direct, whose Green function is the Davidson preconditioner, and for Rb 5p_3/2
    # the iteration crawls (1e-6 Hartree per 20 steps after 400). If the first start does not
    # converge, the block is restarted from the direct potential plus Slater's local exchange
    # of the core with the -(Z - N_core)/r tail, whose levels lie closer to the Fock ones. Not
    # the other way round: from the Slater start the K 3d block converges to wrong states.
    r = ws.grid.r
    core_density = sum(o.occupancy * (o.P**2 + o.Q**2) for o in core.orbitals)
    tail = -(core.Z - sum(o.occupancy for o in core.orbitals)) / r
    start_potentials = (core.electron_potential_hartree,
                        _smooth_min(core.electron_potential_hartree + slater_exchange_potential(r, core_density)
                                    + ws.v_nuc, tail) - ws.v_nuc)
    solved: dict[tuple[int, int], Orbital] = {}
    for kappa in dict.fromkeys(k for _, k in wanted):
        l = kappa if kappa > 0 else -kappa - 1
        # all states of this kappa from the first one above the core up to the highest
        # requested, solved as one block: a single Ritz vector started on an excited state
        # can drift to a lower one
        n_core = [o.n for o in core.orbitals if o.kappa == kappa]
        n_first = max(n_core) + 1 if n_core else l + 1
        ns = list(range(n_first, max(n for n, k in wanted if k == kappa) + 1))
        v_direct, nonlocal_ = _core_fock(core, kappa)
        same = [b for b, o in enumerate(core.orbitals) if o.kappa == kappa]
        frozen = None
        if same:
            # exact images h0 phi_b = e_b phi_b - V phi_b - K phi_b of the core orbitals
            # (they are eigenvectors of the same F_kappa: one Fock operator per kappa)
            rows = []
            for b in same:
                o = core.orbitals[b]
                kP, kQ = _exchange_apply(ws, orbP, orbQ, nonlocal_, o.P, o.Qt)
                rows.append((o.P, o.Qt, o.energy_hartree * o.P - v_direct * o.P - kP,
                             o.energy_hartree * o.Qt - v_direct * o.Qt - kQ))
            frozen = tuple(np.array([row[j] for row in rows]) for j in range(4))
        for v_start in start_potentials:
            starts = [solve_bound(ws.grid, ws.potential(v_start), n, kappa, ws.inv_c2, rel_tol=1e-13)
                      for n in ns]
            X = tuple(np.array(rows) for rows in (
                [p for _, p, _ in starts], [q for _, _, q in starts],
                [e * p - v_start * p for e, p, _ in starts], [e * q - v_start * q for e, _, q in starts]))
            energies = np.array([e for e, _, _ in starts])
            change = np.inf
            for _ in range(0, max_davidson_steps, STEPS_PER_CHECK):
                X, theta, res = _davidson(ws, kappa, len(ns), X, frozen, v_direct, nonlocal_, orbP, orbQ,
                                          STEPS_PER_CHECK, 0.0)
                change, energies = float(np.max(np.abs(theta - energies))), np.array(theta, dtype=float)
                if change < energy_tolerance_hartree:
                    break
            if change < energy_tolerance_hartree:
                break
        else:
            raise ConvergenceError(f"valence {subshell_label(ns[-1], kappa)} of {core.symbol}: energy "
                                   f"change {change:.3e} Hartree after {max_davidson_steps} Davidson "
                                   f"steps from each of two starts (tolerance {energy_tolerance_hartree:.1e})")
        for i, n in enumerate(ns):
            P, Qt = X[0][i], X[1][i]
            if P[np.argmax(np.abs(P))] < 0:
                P, Qt = -P, -Qt
            Q = Qt * ws.inv_c2 ** 0.5 if ws.inv_c2 > 0 else np.zeros_like(P)
            solved[(n, kappa)] = Orbital(label=subshell_label(n, kappa), n=n, kappa=kappa, l=l,
                                         j=abs(kappa) - 0.5, occupancy=1.0,
                                         energy_hartree=float(energies[i]), P=P, Q=Q, Qt=Qt)
    return [solved[w] for w in wanted]
