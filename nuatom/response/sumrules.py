"""Sum rules of the atomic charge response :math:`S(T, q) = R_{00}(T, q)`.

Three families, all at fixed momentum transfer q (closure, f-sum) or fixed energy
transfer T (Voloshin), evaluated from the computed response functions of
:mod:`nuatom.response.engine`:

Closure (zeroth moment)
    :math:`\\int S\\,dT + \\sum_{\\rm lines} f_n(q) = Z - \\sum_{a,b\\,\\in\\,\\rm occ}
    |\\langle b|e^{i\\mathbf q\\cdot\\mathbf r}|a\\rangle|^2`, the independent-particle
    (Waller–Hartree) incoherent scattering function :cite:`WallerHartree1929`: the sum
    over every occupied spin-orbital pair removes the elastic and the Pauli-blocked
    transitions. For hydrogen 1s the right side is :math:`1 - F_{\\rm el}(q)^2`.
f-sum (Bethe, Thomas–Reiche–Kuhn; first moment)
    :math:`\\int T\\,S\\,dT + \\sum_{\\rm lines}(E_n - E_0)f_n(q) = Zq^2/(2m_e)`
    :cite:`Bethe1930,Inokuti1971`. It follows from the double commutator
    :math:`[[H, e^{i\\mathbf q\\cdot\\mathbf r}], e^{-i\\mathbf q\\cdot\\mathbf r}]` and is exact
    for a local potential in non-relativistic quantum mechanics. Non-local (Fock) exchange
    adds a term to the commutator (:func:`exchange_fsum_correction_keV`); the Dirac
    Hamiltonian's commutator vanishes and the positive-energy states alone carry
    :math:`\\approx Zq^2/2E_q` (:func:`free_relativistic_fsum_keV`), so both deviations are
    computed and reported, not hidden.
f-sum rank by rank (RPA)
    Each Coulomb multipole rank J has its own f-sum, the kinetic double commutator
    :math:`K_J(q)` (:func:`kinetic_fsum_per_rank_keV`; :math:`\\sum_J K_J = Zq^2/2m_e`). The RPA
    on the Hartree–Fock ground state exhausts it :cite:`Thouless1961`, which the frozen core
    misses by its exchange term; :func:`rank_fsum` integrates both over the ionization
    continuum (a one-shell atom shows it cleanly: see its notes).
Voloshin's integrals :cite:`Voloshin2010` (Eqs. 12 and 15), at fixed T
    :math:`I_\\mu(T) = \\frac{T}{Z}\\int_0^\\infty S\\,\\frac{dQ^2}{Q^2}` and
    :math:`I_{\\rm EW}(T) = \\frac{1}{2Zm_e}\\int_0^\\infty S\\,dQ^2`, with
    :math:`Q^2 = |\\mathbf q|^2` as in the letter (his Eq. 5, the three-momentum transfer
    squared; the letter's :math:`Z` is the number of electrons). Both would be 1 if his
    dispersion argument held exactly; they are 1 for free electrons at rest.

Numerics
--------
*T integrals* are done subshell by subshell (each has its own threshold), in the ejected
momentum :math:`k` with :math:`T = I_a + k^2/2` (:math:`dT = k\\,dk`, Hartree units), by
composite Gauss–Legendre quadrature on panels placed around the Bethe ridge
:math:`k \\approx q` (:func:`subshell_energy_nodes`), plus a power-law tail beyond the last
panel fitted to two probe points (:func:`energy_moments`). *Discrete lines* are computed
for one-electron atoms (the bare-nucleus field of the hole state), shell by shell up to
``n_max``, with the Rydberg tail from the :math:`n^{-3}` scaling
(:func:`hydrogenic_lines`, :func:`line_moment`). *Q integrals* are trapezoidal in
:math:`\\ln q` on the table's momentum grid, with the :math:`S \\propto q^2` region below
the grid added analytically (:func:`voloshin_integrals`).

Units: keV at the API (T_keV, q_keV, S in 1/keV per atom), Hartree atomic units inside.
"""
from __future__ import annotations

import concurrent.futures as cf
import math
import time
from dataclasses import dataclass

import numpy as np
from scipy import special

from nuatom._validate import positive_array
from nuatom.structure.dirac import LocalPotential, solve_bound
from nuatom.numerics.grid import GridSpec, RadialGrid
from nuatom.continuum.multipoles import bessel_table, multipole_radial
from nuatom.numerics.angular import allowed
from nuatom.structure.nucleus import nuclear_potential
from nuatom.response.engine import ResponseOptions
from nuatom.units import HARTREE_KEV, ME_KEV, q_kev_to_au

__all__ = [
    "EnergyQuadrature", "SubshellEnergyNodes", "subshell_energy_nodes", "energy_moments",
    "ContinuumMoments", "continuum_moments", "DiscreteLines", "hydrogenic_lines",
    "line_moment", "pauli_blocking_sum", "closure_target", "fsum_target_keV",
    "exchange_fsum_correction_keV", "exchange_energy_from_pauli_sum_hartree",
    "free_relativistic_fsum_keV", "free_relativistic_closure", "SumRuleCheck",
    "sum_rule_check", "VoloshinIntegrals", "voloshin_integrals", "voloshin_from_table",
    "bethe_ridge_q_keV", "kinetic_fsum_per_rank_keV", "RankFsum", "rank_fsum", "RANK_FSUM_QUADRATURE",
]


# --------------------------------------------------------------------------------------
# energy-transfer quadrature
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EnergyQuadrature:
    """Options of the per-subshell energy-transfer quadrature (see :func:`subshell_energy_nodes`).

    Attributes
    ----------
    nodes_per_panel : int
        Gauss–Legendre nodes on each panel in the ejected momentum k.
    ridge_half_width : float
        Half width of the Bethe-ridge panels, in units of the subshell's momentum scale
        :math:`p_a = \\sqrt{2I_a}` (bohr⁻¹); the Compton profile of an orbital with binding
        :math:`I_a` has width :math:`\\sim p_a`.
    tail_start : float
        The panels end at :math:`k_{end}` = ``tail_start`` × (q + ridge half width); beyond
        it S is taken as a power law in T fitted to probes at :math:`k_{end}` and
        ``probe_ratio`` × :math:`k_{end}`.
    probe_ratio : float
        Ratio of the two probe momenta (> 1).
    structure_panel_au : float
        Width (bohr⁻¹) of the first of the near-threshold panels
        :math:`[0, k_0], [k_0, 2k_0], [2k_0, 4k_0], \\dots` that resolve structure of the
        continuum itself (shape resonances such as Xe 4d → εf, whose widths are
        ~0.1–1 Hartree in ejected energy, i.e. ~0.1–0.5 bohr⁻¹ in k), whatever q is.
    structure_momentum_au : float
        Where that ladder ends (bohr⁻¹; 4 bohr⁻¹ is 8 Hartree of ejected energy).
    """

    nodes_per_panel: int = 10
    ridge_half_width: float = 2.5
    tail_start: float = 2.0
    probe_ratio: float = 1.5
    structure_panel_au: float = 0.25
    structure_momentum_au: float = 4.0

    def __post_init__(self):
        if self.nodes_per_panel < 2:
            raise ValueError(f"nodes_per_panel = {self.nodes_per_panel} must be >= 2")
        if not self.ridge_half_width > 0:
            raise ValueError(f"ridge_half_width = {self.ridge_half_width} must be > 0")
        if not self.tail_start > 1:
            raise ValueError(f"tail_start = {self.tail_start} must be > 1")
        if not self.probe_ratio > 1:
            raise ValueError(f"probe_ratio = {self.probe_ratio} must be > 1")
        if not 0 < self.structure_panel_au <= self.structure_momentum_au:
            raise ValueError(f"structure_panel_au = {self.structure_panel_au} must be in "
                             f"(0, structure_momentum_au = {self.structure_momentum_au}]")


@dataclass(frozen=True)
class SubshellEnergyNodes:
    """Quadrature nodes in T for one subshell at one momentum transfer (Hartree units).

    Attributes
    ----------
    binding_hartree : float
        Threshold :math:`I_a = -\\varepsilon_a` (Koopmans).
    T_hartree : ndarray
        Energy transfers of the quadrature nodes.
    weights_hartree : ndarray
        Weights: :math:`\\int_{I_a}^{T_{end}} f(T)\\,dT \\approx \\sum w_i f(T_i)`.
    T_end_hartree : float
        Where the power-law tail starts.
    probe_T_hartree : ndarray, shape (2,)
        The two probe energies that fix the tail (:math:`T_{end}` and beyond).
    """

    binding_hartree: float
    T_hartree: np.ndarray
    weights_hartree: np.ndarray
    T_end_hartree: float
    probe_T_hartree: np.ndarray

    @property
    def all_T_hartree(self) -> np.ndarray:
        """Nodes followed by the two probes (the energies to compute S at)."""
        return np.concatenate([self.T_hartree, self.probe_T_hartree])


def subshell_energy_nodes(binding_hartree: float, q_au: float,
                          quadrature: EnergyQuadrature = EnergyQuadrature()) -> SubshellEnergyNodes:
    """Gauss–Legendre nodes in the ejected momentum for :math:`\\int_{I_a}^\\infty f(T)\\,dT`.

    Parameters
    ----------
    binding_hartree : float
        Threshold :math:`I_a > 0` (Hartree).
    q_au : float
        Momentum transfer (bohr⁻¹, > 0).
    quadrature : EnergyQuadrature

    Returns
    -------
    SubshellEnergyNodes

    Notes
    -----
    With :math:`T = I_a + k^2/2`, :math:`dT = k\\,dk`. The charge response of subshell a is a
    smooth function of k that peaks on the Bethe ridge :math:`k \\approx q` with width
    :math:`\\sim p_a = \\sqrt{2I_a}` (or, for :math:`q \\lesssim p_a`, spreads over
    :math:`k \\lesssim p_a`). Panels: the ridge core :math:`[q - w, q]`, :math:`[q, q + w]`
    (for :math:`q \\le w` one panel :math:`[0, q + w]` split at its middle), then panels
    doubling in width outwards (:math:`[q - 3w, q - w]`, ... down to 0, and
    :math:`[q + w, q + 3w]`, ... up to :math:`k_{end}`), which resolve the power-law
    shoulders of the ridge; :math:`w` = ``ridge_half_width`` × :math:`p_a`,
    :math:`k_{end}` = ``tail_start`` × :math:`(q + w)`. Break points at
    :math:`k_0, 2k_0, 4k_0, \\dots` below ``structure_momentum_au`` resolve continuum
    resonances (without them Xe in V^N loses ~1 % of its closure sum at 10 keV to the
    4d → εf shape resonance). Near threshold S is finite (or
    vanishes like a power of k), so
    the integrand :math:`S\\,k` is smooth at :math:`k = 0`: no endpoint singularity.
    """
    I = float(binding_hartree)
    q = float(q_au)
    if not I > 0:
        raise ValueError(f"binding_hartree = {I} must be > 0")
    if not q > 0:
        raise ValueError(f"q_au = {q} must be > 0")
    p = math.sqrt(2.0 * I)
    w = quadrature.ridge_half_width * p
    k_hi = q + w
    k_end = quadrature.tail_start * k_hi
    if q > w:
        edges = [q - w, q, k_hi]
        width = w
        while edges[0] > 0.0:  # shoulders below the ridge: panels doubling in width
            width *= 2.0
            edges.insert(0, max(edges[0] - width, 0.0))
    else:
        edges = [0.0, 0.5 * k_hi, k_hi]
    width = w
    while edges[-1] < k_end:  # and above it, up to the tail
        width *= 2.0
        edges.append(min(edges[-1] + width, k_end))
    # near-threshold ladder for the continuum's own structure (resonances), kept apart
    # from the ridge edges by at least a tenth of its local step
    k_ladder = quadrature.structure_panel_au
    while k_ladder < min(quadrature.structure_momentum_au, k_end):
        if min(abs(e - k_ladder) for e in edges) > 0.1 * k_ladder:
            edges.append(k_ladder)
        k_ladder *= 2.0
    edges = sorted(edges)
    x, wx = special.roots_legendre(quadrature.nodes_per_panel)
    ks, wk = [], []
    for a, b in zip(edges[:-1], edges[1:]):
        ks.append(a + 0.5 * (b - a) * (x + 1.0))
        wk.append(0.5 * (b - a) * wx)
    k = np.concatenate(ks)
    weights = np.concatenate(wk) * k  # dT = k dk
    probes = np.array([k_end, quadrature.probe_ratio * k_end])
    return SubshellEnergyNodes(I, I + 0.5 * k * k, weights, I + 0.5 * k_end**2, I + 0.5 * probes**2)


def energy_moments(nodes: SubshellEnergyNodes, S_nodes, S_probes, moments=(0, 1)) -> tuple[dict, dict]:
    """Moments :math:`M_m = \\int_{I_a}^\\infty T^m S(T)\\,dT` from S at the nodes and probes.

    Parameters
    ----------
    nodes : SubshellEnergyNodes
    S_nodes : array_like, shape (n,)
        S at ``nodes.T_hartree`` (any unit X; the moments come out in X·Hartree^(m+1)).
    S_probes : array_like, shape (2,)
        S at ``nodes.probe_T_hartree``.
    moments : sequence of int

    Returns
    -------
    totals : dict
        ``{m: M_m}`` including the tail.
    tails : dict
        ``{m: tail part}`` (what the power-law extrapolation contributed).

    Notes
    -----
    Beyond :math:`T_{end}` S is taken as :math:`S(T_{end})(T/T_{end})^{-\\beta}` with
    :math:`\\beta` from the two probes, so the tail is
    :math:`T_{end}^{m+1}S(T_{end})/(\\beta - m - 1)`. If the probes do not show a decay
    faster than :math:`T^{-(m+1)}` (or S vanishes there), the tail is set to 0 and
    flagged as ``nan`` in ``tails`` so that a caller cannot miss it.
    """
    S_nodes = np.asarray(S_nodes, float)
    s1, s2 = (float(v) for v in S_probes)
    t1, t2 = (float(v) for v in nodes.probe_T_hartree)
    totals, tails = {}, {}
    for m in moments:
        body = float(np.sum(nodes.weights_hartree * nodes.T_hartree**m * S_nodes))
        tail = 0.0
        if s1 > 0 and s2 > 0:
            beta = -math.log(s2 / s1) / math.log(t2 / t1)
            if beta > m + 1.0:
                tail = t1 ** (m + 1) * s1 / (beta - m - 1.0)
            else:
                tail = math.nan
        tails[m] = tail
        totals[m] = body + (0.0 if math.isnan(tail) else tail)
    return totals, tails


@dataclass
class ContinuumMoments:
    """:math:`\\int T^m S_a(T, q)\\,dT` per subshell and momentum (continuum only).

    Attributes
    ----------
    q_keV : ndarray, shape (nq,)
    subshells : tuple of str
    moments_keV : dict
        ``{m: array [nsub, nq]}``, :math:`\\int T^m S\\,dT` in keV^m per atom (S in 1/keV,
        T in keV).
    tail_fraction : dict
        ``{m: array [nsub, nq]}``, the part of each moment that the power-law tail supplied
        (relative to the subshell's moment; nan where the tail could not be fitted).
    n_nodes : int
        Energy transfers computed (nodes and probes, all subshells and momenta).
    elapsed_s : float
        Wall time of the computation (cache hits are fast).
    """

    q_keV: np.ndarray
    subshells: tuple
    moments_keV: dict
    tail_fraction: dict
    n_nodes: int
    elapsed_s: float

    def total(self, m: int) -> np.ndarray:
        """Moment m summed over subshells, shape (nq,), keV^m per atom."""
        return self.moments_keV[m].sum(axis=0)


def continuum_moments(atom, q_keV, *, moments=(0, 1), subshells=None,
                      options: ResponseOptions = ResponseOptions(hole=False),
                      quadrature: EnergyQuadrature = EnergyQuadrature(),
                      executor: cf.Executor | None = None, cache: bool = True) -> ContinuumMoments:
    """Energy moments of the continuum charge response, subshell by subshell.

    Parameters
    ----------
    atom : nuatom.structure.atoms.Atom
    q_keV : array_like
        Momentum transfers (keV/c, > 0).
    moments : sequence of int
        Powers m of T (0: closure, 1: f-sum).
    subshells : sequence of str, optional
        Default: every occupied subshell.
    options : ResponseOptions
        Default ``hole=False`` (V^N: continuum and occupied orbitals are eigenstates of the
        same Fock operator, the setting in which the sum rules are identities up to
        exchange non-locality and relativity).
    quadrature : EnergyQuadrature
    executor : concurrent.futures.Executor, optional
        Passed to :func:`nuatom.response.engine.tabulate` (default: one local process pool for
        the whole computation).
    cache : bool
        Use the disk cache of :func:`nuatom.response.engine.tabulate` (one entry per subshell and
        momentum).

    Returns
    -------
    ContinuumMoments

    Notes
    -----
    For a non-relativistic atom the two subshells :math:`nl_{l\\pm1/2}` have the same
    radial function and energy, and the response per electron does not depend on j; only
    the first of each pair is computed and the other is scaled by the occupancies.
    """
    from nuatom.response.tables import tabulate

    q = positive_array("q_keV", q_keV, "keV/c").ravel()
    labels = [o.label for o in atom.orbitals] if subshells is None else \
        [atom.orbital(s).label for s in subshells]
    start = time.perf_counter()
    out = {m: np.zeros((len(labels), q.size)) for m in moments}
    tails = {m: np.zeros((len(labels), q.size)) for m in moments}
    own = executor is None
    ex = cf.ProcessPoolExecutor() if own else executor
    n_nodes = 0
    done = {}
    try:
        for i, label in enumerate(labels):
            orb = atom.orbital(label)
            # Non-relativistically the j = l +- 1/2 partners share radial function and
            # energy, so their responses per electron are equal: compute one, scale the other.
            partner = done.get((orb.n, orb.l)) if not atom.relativistic else None
            if partner is not None:
                k, occ = partner
                for m in moments:
                    out[m][i] = out[m][k] * orb.occupancy / occ
                    tails[m][i] = tails[m][k]
                continue
            done[(orb.n, orb.l)] = (i, orb.occupancy)
            I = -orb.energy_hartree
            for j, qk in enumerate(q):
                nodes = subshell_energy_nodes(I, float(q_kev_to_au(qk)), quadrature)
                T_keV = nodes.all_T_hartree * HARTREE_KEV
                n_nodes += T_keV.size
                table = tabulate(atom, T_keV, [qk], components=("R00",), currents=("vector",),
                                 subshells=[label], options=options, executor=ex, cache=cache,
                                 progress=False)
                S = table.components("vector", components=("R00",))["R00"][:, 0] * HARTREE_KEV
                n = nodes.T_hartree.size
                tot, tl = energy_moments(nodes, S[:n], S[n:], moments)
                for m in moments:
                    out[m][i, j] = tot[m] * HARTREE_KEV**m  # S dT dimensionless; T^m to keV^m
                    tails[m][i, j] = tl[m] / tot[m] if tot[m] else 0.0
    finally:
        if own:
            ex.shutdown()
    return ContinuumMoments(q, tuple(labels), out, tails, n_nodes, time.perf_counter() - start)


# --------------------------------------------------------------------------------------
# discrete lines of one-electron atoms
# --------------------------------------------------------------------------------------
@dataclass
class DiscreteLines:
    """Bound–bound excitations 1s → n of a one-electron atom, summed over the final (l, j, m).

    Attributes
    ----------
    n : ndarray of int, shape (nn,)
        Final principal quantum numbers 2..n_max.
    excitation_hartree : ndarray, shape (nn,)
        Strength-weighted mean excitation energy :math:`E_n - E_{1s}` of shell n (the fine
        structure of the relativistic case is averaged with the strengths at each q, so
        this is the non-relativistic value only for ``relativistic=False``; see
        ``excitation_by_q_hartree``).
    strength : ndarray, shape (nn, nq)
        :math:`f_n(q) = \\sum_{l,j,m_f}|\\langle n l j m_f|e^{i\\mathbf q\\cdot\\mathbf r}|1s\\rangle|^2`
        averaged over the initial :math:`m`.
    first_moment_hartree : ndarray, shape (nn, nq)
        :math:`\\sum_{l,j}(E_{nlj} - E_{1s})f_{nlj}(q)`.
    q_keV : ndarray, shape (nq,)
    """

    n: np.ndarray
    excitation_hartree: np.ndarray
    strength: np.ndarray
    first_moment_hartree: np.ndarray
    q_keV: np.ndarray


def _line_grid(Z: float, n_max: int, r_min_bohr: float) -> RadialGrid:
    """A grid holding the bound states up to ``n_max`` (practical infinity beyond the
    turning point :math:`2n^2/Z` plus 46 decay lengths :math:`n/Z`)."""
    r_max = (2.0 * n_max**2 + 50.0 * n_max + 50.0) / Z
    return RadialGrid(GridSpec(r_min_bohr=r_min_bohr, r_max_bohr=r_max, n_points=6000, b_bohr=8.0 / Z))


def hydrogenic_lines(atom, q_keV, n_max: int = 12) -> DiscreteLines:
    """Discrete excitations of a one-electron atom (H, or any Z with one electron), computed.

    Parameters
    ----------
    atom : nuatom.structure.atoms.Atom
        A one-electron atom (``nuatom.atom("H", ...)``); relativistic or not, any nucleus.
    q_keV : array_like
        Momentum transfers (keV/c, > 0).
    n_max : int
        Last shell computed (>= 4); the rest is :func:`line_moment`'s tail.

    Returns
    -------
    DiscreteLines

    Raises
    ------
    ValueError
        If the atom has more than one electron: the excited states of a many-electron atom
        in the V^{N-1} field need exchange with the core, which this function does not do
        (and in the V^N field of a closed-shell atom there are no bound excited orbitals).

    Notes
    -----
    The final orbitals are bound states of the bare-nucleus field (the field of the
    "hole" state, i.e. the same Hamiltonian as the continuum of
    ``ResponseOptions(hole=True)``), from :func:`nuatom.structure.dirac.solve_bound` on a grid
    reaching :math:`2n_{max}^2 + 50n_{max}` bohr; the initial 1s is re-solved on the same
    grid. Strengths from the Coulomb multipoles (:func:`nuatom.continuum.multipoles.multipole_radial`),
    :math:`f = 4\\pi w\\sum_{\\kappa',J}|\\langle n\\kappa'\\|C_J(q)\\|1s\\rangle|^2`,
    :math:`w = 1/2` (average over the initial :math:`m`), the same normalisation as
    :math:`R_{00}` in :mod:`nuatom.response.engine`.
    """
    if sum(o.occupancy for o in atom.orbitals) != 1 or atom.orbitals[0].label != "1s_1/2":
        raise ValueError(f"atom = {atom.symbol}: hydrogenic_lines needs a one-electron atom in 1s "
                         f"(got {[o.label for o in atom.orbitals]})")
    if int(n_max) != n_max or n_max < 4:
        raise ValueError(f"n_max = {n_max} must be an integer >= 4")
    q = positive_array("q_keV", q_keV, "keV/c").ravel()
    q_au = q_kev_to_au(q)
    Z = float(atom.Z)
    grid = _line_grid(Z, int(n_max), atom.grid.spec.r_min_bohr)
    V = LocalPotential(nuclear_potential(grid, atom.Z, atom.nucleus),
                       float(atom.Z) if atom.nucleus.kind == "point" else 0.0)
    inv_c2 = atom.inv_c2
    e0, P0, Q0 = solve_bound(grid, V, 1, -1, inv_c2)
    # the products with 1s vanish beyond ~40/Z bohr: integrate the multipoles there only,
    # on the same nodes (resolving j_L(qr) is the line grid's job: checked in the tests)
    i_cut = int(np.searchsorted(grid.r, 60.0 / Z))
    r = grid.r[:i_cut]
    wts = grid.weights[:i_cut]
    J_top = int(n_max)
    bessel = bessel_table(J_top + 1, q_au, r)
    ns = np.arange(2, int(n_max) + 1)
    strength = np.zeros((ns.size, q.size))
    first = np.zeros((ns.size, q.size))
    mean_energy = np.zeros(ns.size)
    for i, n in enumerate(ns):
        e_sum, w_sum = 0.0, 0.0
        for l in range(n):
            for kappa in ((-1,) if l == 0 else (l, -(l + 1))):
                e, P, Qt = solve_bound(grid, V, int(n), kappa, inv_c2)
                f = np.zeros(q.size)
                for J in range(abs(l), l + 2):
                    if not allowed(kappa, J, -1, "C"):
                        continue
                    X = multipole_radial("C", J, kappa, -1, P[:i_cut], Qt[:i_cut], P0[:i_cut],
                                         Q0[:i_cut], wts, bessel, inv_c2)
                    f += 4.0 * math.pi * 0.5 * np.abs(X) ** 2
                strength[i] += f
                first[i] += (e - e0) * f
                e_sum += (e - e0) * (2 * abs(kappa))
                w_sum += 2 * abs(kappa)
        mean_energy[i] = e_sum / w_sum
    return DiscreteLines(ns, mean_energy, strength, first, q)


def line_moment(lines: DiscreteLines, moment: int) -> np.ndarray:
    """:math:`\\sum_{n\\ge2}(E_n - E_{1s})^m f_n(q)` including the Rydberg tail, m = 0 or 1.

    Parameters
    ----------
    lines : DiscreteLines
    moment : {0, 1}

    Returns
    -------
    ndarray, shape (nq,)
        Dimensionless (m = 0) or in keV (m = 1).

    Notes
    -----
    Each term behaves as :math:`n^{-3}G(1/n^2)` with G smooth (the Rydberg series joins the
    continuum at threshold: :math:`n^3f_n \\to` the threshold value of :math:`S/\\rho`), so
    with :math:`G \\approx G_0 + G_1/n^2` fitted to the last two computed shells the tail is
    :math:`G_0\\,\\zeta(3, N+1) + G_1\\,\\zeta(5, N+1)`; the neglected part is
    :math:`O(N^{-6})` relative to the tail (checked against the exact hydrogen sums).
    """
    if moment not in (0, 1):
        raise ValueError(f"moment = {moment} must be 0 or 1")
    terms = lines.strength if moment == 0 else lines.first_moment_hartree
    n = lines.n.astype(float)
    N1, N2 = n[-2], n[-1]
    G_a = terms[-2] * N1**3
    G_b = terms[-1] * N2**3
    x_a, x_b = 1.0 / N1**2, 1.0 / N2**2
    G1 = (G_a - G_b) / (x_a - x_b)
    G0 = G_b - G1 * x_b
    tail = G0 * special.zeta(3.0, N2 + 1.0) + G1 * special.zeta(5.0, N2 + 1.0)
    total = terms[::-1].sum(axis=0) + tail
    return total * (HARTREE_KEV if moment == 1 else 1.0)


# --------------------------------------------------------------------------------------
# right-hand sides
# --------------------------------------------------------------------------------------
def fsum_target_keV(n_electrons: float, q_keV) -> np.ndarray:
    """Bethe/TRK sum :math:`Zq^2/(2m_e)` in keV (non-relativistic, local potential).

    Parameters
    ----------
    n_electrons : float
        Z (number of electrons).
    q_keV : array_like
        Momentum transfer (keV/c).
    """
    q = np.asarray(q_keV, float)
    return n_electrons * q * q / (2.0 * ME_KEV)


def free_relativistic_fsum_keV(n_electrons: float, q_keV) -> np.ndarray:
    """Positive-energy f-sum of Z free Dirac electrons at rest, :math:`Zq^2/(2E_q)` in keV,
    :math:`E_q = \\sqrt{m_e^2 + q^2}`: the relativistic counterpart of :func:`fsum_target_keV`
    where binding no longer matters (:math:`q \\gg p_a`).

    Notes
    -----
    The Dirac Hamiltonian is linear in :math:`\\mathbf p`, so its double commutator with
    :math:`e^{i\\mathbf q\\cdot\\mathbf r}` vanishes: the full sum over positive *and* negative energy
    states is zero. From an electron at rest, :math:`e^{i\\mathbf q\\cdot\\mathbf r}` reaches the
    positive-energy states at momentum q with weight :math:`(E_q + m_e)/2E_q`
    (:func:`free_relativistic_closure`) and excitation energy :math:`E_q - m_e`, hence
    :math:`(E_q - m_e)(E_q + m_e)/2E_q = q^2/2E_q`, below :math:`q^2/2m_e` by
    :math:`\\approx q^2/2m_e^2` (1.9 % at q = 100 keV); the negative-energy states carry the
    rest.
    """
    q = np.asarray(q_keV, float)
    return n_electrons * q * q / (2.0 * np.sqrt(ME_KEV**2 + q * q))


def free_relativistic_closure(n_electrons: float, q_keV) -> np.ndarray:
    """Positive-energy closure sum of Z free Dirac electrons at rest,
    :math:`Z(E_q + m_e)/2E_q` (dimensionless): the weight :math:`\\approx Z(q/2m_e)^2` that
    :math:`e^{i\\mathbf q\\cdot\\mathbf r}` sends to negative-energy states is missing from any
    positive-energy (no-pair) response."""
    q = np.asarray(q_keV, float)
    E = np.sqrt(ME_KEV**2 + q * q)
    return n_electrons * (E + ME_KEV) / (2.0 * E)


def _refined_orbitals(atom, q_au_max: float):
    """Occupied orbitals on a refinement of the atom's grid that resolves :math:`j_L(q r)`
    (at most 0.25 rad per step), ending where every orbital has fallen below 1e-11 of its
    maximum (products beyond contribute < 1e-22)."""
    g = atom.grid
    amp = np.max([np.abs(o.P) / np.abs(o.P).max() for o in atom.orbitals], axis=0)
    n = min(int(np.nonzero(amp > 1e-11)[0][-1]) + 2, len(g))
    factor = max(1, int(math.ceil(q_au_max * float(g.drdt[:n].max()) * g.h / 0.25)))
    fine = g.refined(factor, n)
    P = [g.interpolate_refined(o.P, factor, n) for o in atom.orbitals]
    Qt = [g.interpolate_refined(o.Qt, factor, n) for o in atom.orbitals]
    return fine, P, Qt


def pauli_blocking_sum(atom, q_keV) -> np.ndarray:
    """:math:`\\sum_{a,b\\,\\in\\,\\rm occ}|\\langle b|e^{i\\mathbf q\\cdot\\mathbf r}|a\\rangle|^2`
    over occupied spin-orbitals (elastic + Pauli-blocked), per atom, dimensionless.

    Parameters
    ----------
    atom : nuatom.structure.atoms.Atom
    q_keV : array_like
        Momentum transfers (keV/c, > 0).

    Returns
    -------
    ndarray, shape (nq,)

    Notes
    -----
    With :math:`\\mathbf q \\parallel \\hat z` the operator has :math:`M = 0` only, so
    subshell pairs contribute :math:`w_aw_b\\,4\\pi\\sum_J|\\langle b\\|C_J(q)\\|a\\rangle|^2`
    for :math:`a \\ne b` and :math:`w_a\\,4\\pi\\sum_J|\\langle a\\|C_J\\|a\\rangle|^2` for
    :math:`a = b` (diagonal in m), :math:`w = q/(2j+1)`. Exact for closed shells and for
    one electron (hydrogen: :math:`F_{\\rm el}^2`); for open shells it is the
    average-of-configuration estimate (independent occupation of the substates).
    """
    q = positive_array("q_keV", q_keV, "keV/c").ravel()
    return _pauli_sum_au(atom, q_kev_to_au(q))


def _pauli_sum_au(atom, q_au: np.ndarray, chunk: int = 16) -> np.ndarray:
    """:func:`pauli_blocking_sum` at momenta in bohr⁻¹, in chunks of increasing q (each on
    a grid refined just enough for its largest momentum)."""
    order = np.argsort(q_au)
    total = np.zeros(q_au.size)
    orbs = atom.orbitals
    l_max = max(o.l for o in orbs)
    for lo in range(0, q_au.size, chunk):
        idx = order[lo:lo + chunk]
        qs = q_au[idx]
        fine, P, Qt = _refined_orbitals(atom, float(qs.max()))
        bessel = bessel_table(2 * l_max + 2, qs, fine.r)
        part = np.zeros(qs.size)
        for ia, a in enumerate(orbs):
            wa = a.occupancy / (2 * abs(a.kappa))
            for ib, b in enumerate(orbs):
                wb = b.occupancy / (2 * abs(b.kappa))
                weight = wa if ia == ib else wa * wb
                for J in range(abs(a.l - b.l), a.l + b.l + 2):
                    if not allowed(b.kappa, J, a.kappa, "C"):
                        continue
                    X = multipole_radial("C", J, b.kappa, a.kappa, P[ib], Qt[ib], P[ia], Qt[ia],
                                         fine.weights, bessel, atom.inv_c2)
                    part += weight * 4.0 * math.pi * np.abs(X) ** 2
        total[idx] = part
    return total


def _pauli_on_momentum_grid(atom, p_max: float, n_momenta: int):
    """:func:`pauli_blocking_sum` on a sinh-spaced grid 0..p_max (bohr⁻¹): ``(p, P, p_max)``."""
    scale = 0.5
    p = scale * np.sinh(np.linspace(0.0, math.asinh(p_max / scale), int(n_momenta)))
    P = np.empty(p.size)
    P[0] = sum(o.occupancy for o in atom.orbitals)  # p = 0: <b|a> = delta_ab
    P[1:] = _pauli_sum_au(atom, p[1:])
    return p, P, float(p[-1])


def exchange_energy_from_pauli_sum_hartree(atom, n_momenta: int = 400) -> float:
    """Hartree–Fock exchange energy from the Pauli/elastic sum:
    :math:`E_x = -\\frac1\\pi\\int_0^\\infty P(k)\\,dk` (Hartree), the large-q limit
    :math:`-\\Delta(\\infty)/2` of :func:`exchange_fsum_correction_keV`.

    Notes
    -----
    :math:`\\sum_{ab}(ab|ba) = \\int\\frac{d^3k}{(2\\pi)^3}\\frac{4\\pi}{k^2}P(k)`; for one
    electron it is the self-Coulomb energy (hydrogen 1s: :math:`E_x = -5/16`). Exposed so
    that the normalisation of P and of the Fourier representation can be checked against
    the exchange energy of the SCF (virial theorem), independently of any q.
    """
    from scipy.interpolate import CubicSpline

    p, P, p_max = _pauli_on_momentum_grid(atom, 10.0 * atom.Z, n_momenta)
    return -float(CubicSpline(p, P).integrate(0.0, p_max)) / math.pi


def exchange_fsum_correction_keV(atom, q_keV, n_momenta: int = 600) -> np.ndarray:
    """Non-local exchange term of the f-sum in the V^N field of a closed-shell
    non-relativistic Hartree–Fock atom, in keV (add it to :math:`Zq^2/2m_e`).

    Parameters
    ----------
    atom : nuatom.structure.atoms.Atom
        Closed shells, ``relativistic=False``.
    q_keV : array_like
        Momentum transfers (keV/c, > 0).
    n_momenta : int
        Points of the momentum grid on which the Waller–Hartree sum is tabulated.

    Returns
    -------
    ndarray, shape (nq,)

    Raises
    ------
    ValueError
        For a relativistic atom (the Dirac double commutator is a different object) or an
        open shell (the average-of-configuration Fock operators differ between subshells).

    Notes
    -----
    For :math:`h = t + v - K` with the Fock exchange
    :math:`K(\\mathbf r,\\mathbf r') = \\sum_b\\varphi_b(\\mathbf r)\\varphi_b^*(\\mathbf r')/|\\mathbf r - \\mathbf r'|`,
    the double commutator gives, summed over the occupied spin-orbitals a (the
    occupied–occupied transitions cancel in pairs),

    .. math::
        \\Delta(q) = \\sum_{ab}\\iint\\rho_{ab}(\\mathbf r)\\rho_{ab}^*(\\mathbf r')
        \\frac{1 - \\cos\\mathbf q\\cdot(\\mathbf r - \\mathbf r')}{|\\mathbf r - \\mathbf r'|}
        = \\int\\frac{d^3k}{(2\\pi)^3}\\frac{4\\pi}{k^2}\\,[P(k) - P(|\\mathbf k + \\mathbf q|)],

    :math:`\\rho_{ab} = \\varphi_a^*\\varphi_b`, where
    :math:`P(p) = \\sum_{ab}|\\langle b|e^{i\\mathbf p\\cdot\\mathbf r}|a\\rangle|^2` is the
    Pauli/elastic sum of :func:`pauli_blocking_sum`. With
    :math:`\\Pi(p) = \\int_0^p P(p')p'\\,dp'`,

    .. math::
        \\Delta(q) = \\frac1\\pi\\int_0^\\infty dk\\left[2P(k) -
        \\frac{\\Pi(k + q) - \\Pi(|k - q|)}{kq}\\right].

    :math:`\\Delta \\ge 0` rises from :math:`O(q^2)` to :math:`2|E_x|` (twice the exchange
    energy) at large q, so exchange *enhances* the sum, by a fraction that is largest at
    small q and falls like :math:`4|E_x|/(Zq^2)` at large q. P is tabulated on a sinh-spaced
    momentum grid up to :math:`p_{max} = 10Z + 2q` bohr⁻¹ (beyond it the 1s form factor
    has fallen below 1e-5) and integrated through a cubic
    spline of :math:`pP(p)` (whose antiderivative is :math:`\\Pi`); the k integral is
    8-point Gauss–Legendre on panels of four grid intervals, with break points at the kinks
    (k = q and where :math:`k \\pm q` leaves the grid). This is an independent prediction of the computed
    f-sum: it uses only the occupied orbitals, not the continuum.
    """
    from scipy.interpolate import CubicSpline

    if atom.relativistic:
        raise ValueError("atom.relativistic = True: the exchange term of the f-sum is derived for "
                         "the non-relativistic Fock operator; use nuatom.atom(..., relativistic=False)")
    if any(o.occupancy != 2 * abs(o.kappa) for o in atom.orbitals):
        raise ValueError(f"atom = {atom.symbol}: open shells are not supported (closed shells only)")
    q = positive_array("q_keV", q_keV, "keV/c").ravel()
    q_au = q_kev_to_au(q)
    p, P, p_max = _pauli_on_momentum_grid(atom, 10.0 * atom.Z + 2.0 * float(q_au.max()), n_momenta)
    Pi = CubicSpline(p, p * P).antiderivative()
    P_of = CubicSpline(p, P)
    x, wx = special.roots_legendre(8)
    out = np.empty(q.size)
    for i, qq in enumerate(q_au):
        # panels: every 4th momentum node (the spline's resolution), and the kinks of the
        # integrand at k = q (|k - q|) and where k +- q crosses the end of the grid
        edges = np.unique(np.concatenate([p[::4], [p_max, qq, p_max - qq, p_max + qq]]))
        edges = edges[(edges >= 0.0) & (edges <= p_max + qq)]
        k = (edges[:-1, None] + 0.5 * np.diff(edges)[:, None] * (x + 1.0)).ravel()
        w = (0.5 * np.diff(edges)[:, None] * wx).ravel()
        P_k = np.where(k < p_max, P_of(np.minimum(k, p_max)), 0.0)
        shell = (Pi(np.minimum(k + qq, p_max)) - Pi(np.minimum(np.abs(k - qq), p_max))) / (k * qq)
        out[i] = float(np.sum(w * (2.0 * P_k - shell))) / math.pi
    return out * HARTREE_KEV


def closure_target(atom, q_keV) -> np.ndarray:
    """Right side of the closure rule: :math:`Z - \\sum_{a,b}|\\langle b|e^{i\\mathbf q\\cdot
    \\mathbf r}|a\\rangle|^2` (:func:`pauli_blocking_sum`), shape (nq,), dimensionless."""
    Z_el = sum(o.occupancy for o in atom.orbitals)
    return Z_el - pauli_blocking_sum(atom, q_keV)


@dataclass
class SumRuleCheck:
    """Closure and f-sum at fixed q: computed left sides against the targets.

    Attributes
    ----------
    q_keV : ndarray
    closure : ndarray
        :math:`\\int S\\,dT + \\sum f_n` (dimensionless, per atom).
    closure_target : ndarray
        :func:`closure_target`.
    fsum_keV : ndarray
        :math:`\\int T S\\,dT + \\sum (E_n - E_0)f_n` (keV).
    fsum_target_keV : ndarray
        :math:`Zq^2/2m_e`.
    continuum : ContinuumMoments
    lines : DiscreteLines or None
    """

    q_keV: np.ndarray
    closure: np.ndarray
    closure_target: np.ndarray
    fsum_keV: np.ndarray
    fsum_target_keV: np.ndarray
    continuum: ContinuumMoments
    lines: DiscreteLines | None = None

    @property
    def closure_ratio(self) -> np.ndarray:
        return self.closure / self.closure_target

    @property
    def fsum_ratio(self) -> np.ndarray:
        return self.fsum_keV / self.fsum_target_keV


def sum_rule_check(atom, q_keV, *, options: ResponseOptions | None = None,
                   quadrature: EnergyQuadrature = EnergyQuadrature(), n_max: int = 12,
                   executor: cf.Executor | None = None, cache: bool = True) -> SumRuleCheck:
    """Closure and f-sum rules of ``atom`` at momenta ``q_keV``.

    Parameters
    ----------
    atom : nuatom.structure.atoms.Atom
    q_keV : array_like
        Momentum transfers (keV/c).
    options : ResponseOptions, optional
        Default: ``hole=True`` for a one-electron atom (the bare-nucleus field, in which the
        lines of :func:`hydrogenic_lines` live) and ``hole=False`` (V^N, no bound excited
        orbitals for closed shells) otherwise.
    quadrature : EnergyQuadrature
    n_max : int
        Last hydrogenic shell computed explicitly (one-electron atoms only).
    executor, cache
        See :func:`continuum_moments`.

    Returns
    -------
    SumRuleCheck
    """
    q = positive_array("q_keV", q_keV, "keV/c").ravel()
    one_electron = sum(o.occupancy for o in atom.orbitals) == 1
    if options is None:
        options = ResponseOptions(hole=one_electron)
    cont = continuum_moments(atom, q, moments=(0, 1), options=options, quadrature=quadrature,
                             executor=executor, cache=cache)
    closure = cont.total(0)
    fsum = cont.total(1)
    lines = None
    if one_electron and options.hole:
        lines = hydrogenic_lines(atom, q, n_max)
        closure = closure + line_moment(lines, 0)
        fsum = fsum + line_moment(lines, 1)
    Z_el = sum(o.occupancy for o in atom.orbitals)
    return SumRuleCheck(q, closure, closure_target(atom, q), fsum, fsum_target_keV(Z_el, q),
                        cont, lines)


# --------------------------------------------------------------------------------------
# f-sum rank by rank: the frozen core against the RPA (Thouless's theorem)
# --------------------------------------------------------------------------------------
def kinetic_fsum_per_rank_keV(atom, q_keV, J: int) -> np.ndarray:
    """Kinetic double commutator of the rank-``J`` Coulomb multipole, in keV: the f-sum that
    the rank-``J`` charge response of an RPA built on the Hartree–Fock ground state must
    exhaust (Thouless's theorem), non-relativistically.

    Parameters
    ----------
    atom : nuatom.structure.atoms.Atom
        Any atom with a spherical density (closed shells, or averaged open shells).
    q_keV : array_like
        Momentum transfers (keV/c, > 0).
    J : int
        Multipole rank (>= 0).

    Returns
    -------
    ndarray, shape (nq,)

    Notes
    -----
    With :math:`\\mathbf q \\parallel \\hat z`,
    :math:`e^{i\\mathbf q\\cdot\\mathbf r} = \\sum_J F_J`,
    :math:`F_J = i^J(2J+1)j_J(qr)P_J(\\cos\\theta)`. For a one-body operator and
    :math:`H = \\sum_i p_i^2/2m + V_{\\rm local} + V_{ee}`, only the kinetic energy survives
    in the double commutator, :math:`\\frac12\\langle[F_J^\\dagger,[H, F_J]]\\rangle =
    \\frac1{2m}\\int\\rho\\,|\\nabla F_J|^2\\,d^3r`, and for a spherical density
    :math:`\\rho(r) = \\sum_a q_a(P_a^2 + Q_a^2)/(4\\pi r^2)`

    .. math::
        K_J(q) = \\frac{2J+1}{2m}\\int_0^\\infty \\sum_a q_a(P_a^2 + Q_a^2)
        \\Big[q^2 j_J'(qr)^2 + \\frac{J(J+1)}{r^2}j_J(qr)^2\\Big]dr .

    Since :math:`\\sum_J(2J+1)[j_J'(x)^2 + J(J+1)j_J(x)^2/x^2] = 1`
    (:math:`|\\nabla e^{i\\mathbf q\\cdot\\mathbf r}|^2 = q^2`), :math:`\\sum_J K_J = Zq^2/2m`
    (:func:`fsum_target_keV`). Thouless :cite:`Thouless1961` showed that the RPA on a
    Hartree–Fock ground state satisfies the energy-weighted sum rule of any one-body operator
    with the double commutator taken in that ground state, so rank by rank the RPA's f-sum
    is :math:`K_J`, whereas the independent-particle (frozen-core) response adds the
    non-local exchange term (:func:`exchange_fsum_correction_keV` for all ranks together).
    """
    if int(J) != J or J < 0:
        raise ValueError(f"J = {J} must be an integer >= 0")
    q = positive_array("q_keV", q_keV, "keV/c").ravel()
    return _kinetic_fsum_ranks_keV(atom, q, (int(J),))[0]


def _kinetic_fsum_ranks_keV(atom, q_keV: np.ndarray, J_values) -> np.ndarray:
    """:func:`kinetic_fsum_per_rank_keV` for several ranks on one refined grid, shape (nJ, nq)."""
    q_au = q_kev_to_au(q_keV)
    fine, P, Qt = _refined_orbitals(atom, float(q_au.max()))
    density = sum(o.occupancy * (p * p + atom.inv_c2 * qt * qt) for o, p, qt in zip(atom.orbitals, P, Qt))
    r = fine.r
    out = np.empty((len(J_values), q_au.size))
    for iJ, J in enumerate(J_values):
        for i, qq in enumerate(q_au):
            x = qq * r
            j = special.spherical_jn(J, x)
            dj = special.spherical_jn(J, x, derivative=True)
            out[iJ, i] = 0.5 * (2 * J + 1) * fine.integrate(density * (qq * qq * dj * dj + J * (J + 1) * j * j / (r * r)))
    return out * HARTREE_KEV


@dataclass
class RankFsum:
    """f-sums of the charge response rank by rank, RPA against the frozen core, per atom.

    Attributes
    ----------
    q_keV : ndarray, shape (nq,)
    J : tuple of int
    rpa_keV, frozen_keV : ndarray, shape (nJ, nq)
        :math:`\\int T\\,R_{00,J}(T, q)\\,dT` over the ionization continuum (keV), with the
        RPA-dressed multipoles and with the frozen core in the field of the neutral atom
        (:math:`V^N`, the RPA's own static Hamiltonian).
    kinetic_keV : ndarray, shape (nJ, nq)
        :func:`kinetic_fsum_per_rank_keV`, the RPA's target.
    tail_fraction : dict
        ``{"rpa": array, "frozen": array}`` (nJ, nq): the share the power-law tail supplied
        (``nan`` where the probes did not show a decay fast enough to extrapolate).
    n_points : int
        Energy transfers at which the RPA was solved (each for every rank).
    elapsed_s : float
    """

    q_keV: np.ndarray
    J: tuple
    rpa_keV: np.ndarray
    frozen_keV: np.ndarray
    kinetic_keV: np.ndarray
    tail_fraction: dict
    n_points: int
    elapsed_s: float

    @property
    def rpa_ratio(self) -> np.ndarray:
        """RPA f-sum over its kinetic target, per rank and momentum."""
        return self.rpa_keV / self.kinetic_keV

    @property
    def frozen_ratio(self) -> np.ndarray:
        """Frozen-core (V^N) f-sum over the same kinetic target."""
        return self.frozen_keV / self.kinetic_keV


#: Default energy nodes of :func:`rank_fsum`: the near-threshold ladder starts at 2 bohr⁻¹
#: instead of 0.25, because the RPA solver's box (2000 bohr) cannot hold a high partial wave
#: a few meV above threshold (the lowest Gauss node of a panel [0, 0.25] lies 5e-6 Hartree
#: above it; rank 24 needs about 3e-4), while a closed shell's own continuum has no
#: resonance there to resolve.
RANK_FSUM_QUADRATURE = EnergyQuadrature(structure_panel_au=2.0)


def rank_fsum(atom, q_keV, J_values, *, rpa_options=None,
              quadrature: EnergyQuadrature = RANK_FSUM_QUADRATURE, progress: bool = True) -> RankFsum:
    """f-sum of each Coulomb multipole rank, RPA and frozen core, over the ionization continuum.

    Parameters
    ----------
    atom : nuatom.structure.atoms.Atom
        Relativistic Dirac–Hartree–Fock atom with closed shells.
    q_keV : array_like
        Momentum transfers (keV/c, > 0).
    J_values : iterable of int
        Ranks (>= 0).
    rpa_options : nuatom.continuum.rpa.RPAOptions, optional
        Options of the RPA solve (default ``RPAOptions()``: every shell polarised); the frozen
        core uses the same options with ``induced=False`` (field of the neutral atom).
    quadrature : EnergyQuadrature
        Energy nodes per subshell (:func:`subshell_energy_nodes`); default
        :data:`RANK_FSUM_QUADRATURE`.
    progress : bool
        Show a progress bar (one step per energy transfer).

    Returns
    -------
    RankFsum

    Notes
    -----
    What the continuum integral can show. In :math:`V^N` a closed-shell atom has no bound
    excited orbitals, so the frozen core's f-sum is all in the continuum. The RPA binds
    discrete excitations below each threshold: for a one-shell atom (He) they lie below
    the continuum and their share is the bound-state part of the generalized oscillator
    strength, negligible once q is a few times the shell's momentum (hydrogenic estimate
    :func:`hydrogenic_lines`: 2.4e-4 of the sum at :math:`q = 3Z_{\\rm eff}`). In an atom
    with several shells the inner shells' discrete excitations are embedded in the outer
    continua as narrow RPA resonances that a node grid in T does not resolve, so the
    theorem can be checked this way only where q is several times the inner shell's
    momentum scale (Be at 11 bohr⁻¹: ``benchmarks/bench_rpa_fsum.py``; Ne 1s at 30 keV/c
    would miss about 12 % of the 1s sum, hydrogenic estimate). Relativity: the positive-energy response carries the free
    factor :math:`m_e/E_q` (:func:`free_relativistic_fsum_keV`) plus binding corrections of
    order :math:`\\langle p^2\\rangle/m_e^2`.
    """
    import dataclasses

    from nuatom.continuum.rpa import RPAOptions
    from nuatom.response.rpa import rpa_multipole_sums

    if not atom.relativistic:
        raise ValueError("atom.relativistic = False: the RPA solver needs a relativistic DHF atom")
    if any(o.occupancy != 2 * abs(o.kappa) for o in atom.orbitals):
        raise ValueError(f"atom = {atom.symbol}: open shells are not supported (closed shells only)")
    q = positive_array("q_keV", q_keV, "keV/c").ravel()
    J_values = tuple(J_values)
    if not J_values or any(int(J) != J or J < 0 for J in J_values):
        raise ValueError(f"J_values = {J_values}: ranks must be integers >= 0 (at least one)")
    J_values = tuple(int(J) for J in J_values)
    dressed_options = RPAOptions() if rpa_options is None else rpa_options
    if not dressed_options.induced:
        raise ValueError("rpa_options.induced must be True (the frozen core is computed alongside)")
    frozen_options = dataclasses.replace(dressed_options, induced=False, hole=False)
    q_au = q_kev_to_au(q)
    start = time.perf_counter()
    # Every subshell has its own nodes at every momentum. The RPA at one T is solved for all
    # momenta at once (its kernel does not depend on q), so a node of one momentum gives the
    # others their values there for free.
    plan = []
    for o in atom.orbitals:
        for iq, qq in enumerate(q_au):
            plan.append((o.label, iq, subshell_energy_nodes(-o.energy_hartree, float(qq), quadrature)))
    points = sorted({float(T) for _, _, nodes in plan for T in nodes.all_T_hartree})
    labels = [o.label for o in atom.orbitals]
    S = {"rpa": {}, "frozen": {}}
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(points), desc=f"{atom.symbol} rank f-sums", unit="T")
    try:
        for T in points:
            for method, opts in (("rpa", dressed_options), ("frozen", frozen_options)):
                per_J = np.zeros((len(J_values), q.size, len(labels)))
                for iJ, J in enumerate(J_values):
                    sums = rpa_multipole_sums(atom, T, q_au, J_values=[J], kinds=("C",), options=opts)
                    for ia, label in enumerate(labels):
                        if label in sums:
                            per_J[iJ, :, ia] = 4.0 * math.pi * sums[label][0]
                S[method][T] = per_J
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    out = {m: np.zeros((len(J_values), q.size)) for m in S}
    tails = {m: np.zeros((len(J_values), q.size)) for m in S}
    for label, iq, nodes in plan:
        ia = labels.index(label)
        n = nodes.T_hartree.size
        for m in S:
            col = np.array([S[m][float(T)][:, iq, ia] for T in nodes.all_T_hartree])  # (nT, nJ)
            for iJ in range(len(J_values)):
                tot, tl = energy_moments(nodes, col[:n, iJ], col[n:, iJ], moments=(1,))
                out[m][iJ, iq] += tot[1]
                tails[m][iJ, iq] += tl[1]
    kinetic = _kinetic_fsum_ranks_keV(atom, q, J_values)
    tail_fraction = {m: tails[m] / out[m] for m in S}
    return RankFsum(q, J_values, out["rpa"] * HARTREE_KEV, out["frozen"] * HARTREE_KEV, kinetic,
                    tail_fraction, len(points), time.perf_counter() - start)


# --------------------------------------------------------------------------------------
# Voloshin's integrals
# --------------------------------------------------------------------------------------
@dataclass
class VoloshinIntegrals:
    """Voloshin's two Q² integrals at fixed T, normalised to 1 for free electrons.

    Attributes
    ----------
    T_keV : ndarray, shape (nT,)
    nmm : ndarray
        :math:`I_\\mu = \\frac{T}{Z}\\int_0^\\infty S\\,dQ^2/Q^2` (his Eq. 12; magnetic moment).
    weak : ndarray
        :math:`I_{EW} = \\frac{1}{2Zm_e}\\int_0^\\infty S\\,dQ^2` (his Eq. 15; weak interaction).
    below_lightcone : ndarray
        Part of ``nmm`` from :math:`|\\mathbf q| < T` (outside the kinematic range of a
        massless neutrino; his :math:`\\delta_{(\\mu)}`, Eq. 13).
    quadrature_error : ndarray
        The change of ``nmm`` when every second grid point is dropped (trapezoid in ln q).
        A useful error estimate only where the ridge is resolved (``peak_points`` >= 6):
        for an under-resolved peak both grids are wrong and this can *underestimate* the
        error (Ge at 30 keV on the reference grid: 3 % estimated, 4 % actual).
    peak_points : ndarray of int
        Grid points at which the integrand of ``nmm`` (per d ln q) exceeds half its maximum:
        the resolution of the narrowest dominant peak (the valence Compton peak on the
        Bethe ridge). Below 6 the result can be wrong by several per cent (Ge at 30 keV on
        the reference grid: 3–4 points, 4 % low against a 500-point grid).
    n_electrons : float
        The Z of the normalisation.
    """

    T_keV: np.ndarray
    nmm: np.ndarray
    weak: np.ndarray
    below_lightcone: np.ndarray
    quadrature_error: np.ndarray
    peak_points: np.ndarray
    n_electrons: float


def _trapezoid_log(q, f):
    """:math:`\\int f\\,d\\ln q` along the last axis by the trapezoidal rule."""
    x = np.log(q)
    return np.sum(0.5 * (f[..., 1:] + f[..., :-1]) * np.diff(x), axis=-1)


def voloshin_integrals(T_keV, q_keV, S_per_keV, n_electrons: float) -> VoloshinIntegrals:
    """Voloshin's integrals from the charge response on a momentum grid.

    Parameters
    ----------
    T_keV : array_like, shape (nT,)
        Energy transfers (keV).
    q_keV : array_like, shape (nq,)
        Increasing momentum grid (keV/c), ideally log-spaced, reaching from where
        :math:`S \\propto q^2` to beyond the Bethe ridge.
    S_per_keV : array_like, shape (nT, nq)
        :math:`S(T, q) = R_{00}` in 1/keV per atom.
    n_electrons : float
        Z of the normalisation (all electrons of the atom, as in the letter).

    Returns
    -------
    VoloshinIntegrals

    Notes
    -----
    With :math:`dQ^2/Q^2 = 2\\,d\\ln q` and :math:`dQ^2 = 2q^2\\,d\\ln q`, both integrands
    are smooth in :math:`\\ln q` and vanish at both ends, which is where the trapezoidal
    rule converges fastest. Below the first grid point :math:`S = cq^2` (dipole limit,
    the letter's Eq. 6) gives :math:`\\int_0^{q_0}S\\,dQ^2/Q^2 = S(q_0)` and
    :math:`\\int_0^{q_0}S\\,dQ^2 = S(q_0)q_0^2/2`; nothing is added beyond the last grid
    point (the grid must reach past the ridge). The quadrature error estimate is the
    change of :math:`I_\\mu` when every second point is dropped (the trapezoid error falls
    at least like :math:`h^2`, so this estimates the error of the full grid when the
    integrand is resolved; ``peak_points`` says whether it is). The light-cone part uses
    linear interpolation in ln q.
    """
    T = np.atleast_1d(np.asarray(T_keV, float))
    q = positive_array("q_keV", q_keV, "keV/c").ravel()
    if np.any(np.diff(q) <= 0):
        raise ValueError("q_keV must be strictly increasing")
    S = np.asarray(S_per_keV, float).reshape(T.size, q.size)
    Zn = float(n_electrons)
    inv = 2.0 * _trapezoid_log(q, S) + S[:, 0]
    flat = 2.0 * _trapezoid_log(q, S * q * q) + 0.5 * S[:, 0] * q[0] ** 2
    coarse = 2.0 * _trapezoid_log(q[::2], S[:, ::2]) + S[:, 0]
    nmm = T * inv / Zn
    weak = flat / (2.0 * Zn * ME_KEV)
    # part below the light cone |q| < T
    below = np.zeros(T.size)
    for i, t in enumerate(T):
        if t <= q[0]:
            below[i] = S[i, 0] * (t / q[0]) ** 2
            continue
        k = int(np.searchsorted(q, t))
        if k >= q.size:
            below[i] = inv[i]
            continue
        s_t = np.interp(np.log(t), np.log(q), S[i])
        qq = np.concatenate([q[:k], [t]])
        ss = np.concatenate([S[i, :k], [s_t]])
        below[i] = 2.0 * _trapezoid_log(qq, ss) + S[i, 0]
    peak = np.sum(S >= 0.5 * S.max(axis=1, keepdims=True), axis=1)
    return VoloshinIntegrals(T, nmm, weak, T * below / Zn, T * np.abs(inv - coarse) / Zn, peak, Zn)


def voloshin_from_table(table, T_keV=None) -> VoloshinIntegrals:
    """Voloshin's integrals from a :class:`~nuatom.response.engine.ResponseTable` (vector R00,
    summed over subshells), at the table's energies (or the subset nearest ``T_keV``)."""
    S = table.components("vector", components=("R00",))["R00"]
    T = table.T_keV
    if T_keV is not None:
        idx = np.unique([int(np.argmin(np.abs(np.log(T / t)))) for t in np.atleast_1d(T_keV)])
        T, S = T[idx], S[idx]
    Z = table.metadata.get("Z")
    return voloshin_integrals(T, table.q_keV, S, float(Z))


def bethe_ridge_q_keV(T_keV) -> np.ndarray:
    """Momentum of a free electron at rest that absorbs energy T: :math:`q = \\sqrt{2m_eT + T^2}`
    (keV/c; relativistic kinematics)."""
    T = np.asarray(T_keV, float)
    return np.sqrt(2.0 * ME_KEV * T + T * T)
