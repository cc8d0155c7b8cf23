"""Atomic response functions :math:`R_{\\mu\\nu}(T, q)` in the frozen-core DHF approximation.

Definition (seed talk, "Atomic Response Functions"; ``conventions.md``), per atom, summed
over occupied subshells and averaged over the initial :math:`M_J`, with
:math:`\\mathbf q = q\\hat z`:

.. math::
    R_{\\mu\\nu}(T,q) = \\frac{1}{2J_i+1}\\sum_{M_i}\\sum_f \\langle f|\\mathcal J_\\mu(q)|i\\rangle
    \\langle f|\\mathcal J_\\nu(q)|i\\rangle^*\\,\\delta(T + E_i - E_f),\\qquad
    \\mathcal J_\\mu(q) = \\int d^3x\\,e^{i\\mathbf q\\cdot\\mathbf x}\\mathcal J_\\mu(\\mathbf x).

With the multipole expansion (:mod:`nuatom.continuum.multipoles`) and Wigner–Eckart sums over the
magnetic substates, subshell ``a`` (occupancy :math:`q_a`) contributes, with continuum
energy :math:`\\varepsilon = T + \\varepsilon_a` and weight :math:`w_a = q_a/(2j_a+1)`,

.. math::
    R_{00} &= 4\\pi w_a\\sum_{\\kappa',J}|C_J|^2,\\quad R_{33} = 4\\pi w_a\\sum|L_J|^2,\\quad
    R_{03+30} = -8\\pi w_a\\sum\\mathrm{Re}\\,C_JL_J^*,\\\\
    R_{11+22} &= 4\\pi w_a\\sum(|E_J|^2 + |M_J|^2),\\qquad
    R_{12}^{(h)} = 8\\pi w_a\\sum\\mathrm{Re}\\,E_JM_J^*,

where :math:`X_J = \\langle\\varepsilon\\kappa'\\|X_J(q)\\|a\\rangle`. The last component is the
helicity difference :math:`\\sum_f(|\\mathcal J_{+1}|^2 - |\\mathcal J_{-1}|^2)`, which equals
:math:`-i(R_{12} - R_{21})`: after the :math:`M_J` average :math:`R_{12} + R_{21}` vanishes
identically (the multipole chapter shows it with sympy), and this antisymmetric part is
the transverse interference that survives; it is non-zero only for a current that mixes
parities (the weak current). nuatom reports it under the key ``"R1221"``.

Currents: vector :math:`\\mathcal J^\\mu = \\bar\\psi\\gamma^\\mu\\psi` (multipoles C, L, E, M), axial
:math:`\\bar\\psi\\gamma^\\mu\\gamma_5\\psi` (C5, L5, E5, M5), and the weak combination
:math:`c_V\\mathcal J - c_A\\mathcal J_5` (every multipole :math:`X \\to c_VX - c_AX5`). The
tables store 20 bilinear sums :math:`S_{XY} = w_a\\sum\\mathrm{Re}\\,X_JY_J^*` (see
:data:`BASIS`), from which every current's components are linear combinations, so one
table serves all flavours.

Numerics: continuum orbitals from :class:`~nuatom.continuum.solver.ContinuumSolver` (hole in the
ionized subshell by default), interpolated onto an integration grid that covers the bound
orbital and resolves both the continuum and :math:`j_L(qr)` for the largest ``q``; all
orders :math:`j_L(qr)` come from one recurrence (:mod:`nuatom.numerics.bessel`) and are contracted
with the stacked orbital products as matrix products. Partial waves :math:`\\kappa'` are
added in batches until a batch changes the total by less than ``partial_wave_tolerance``;
multipoles J run over every value the angular momenta allow.
Units: 1/Hartree internally; the table API converts to 1/keV.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from nuatom.numerics.angular import allowed
from nuatom.numerics.bessel import bessel_blocks, order_below
from nuatom.continuum.solver import ContinuumOptions, ContinuumSolver
from nuatom.numerics.grid import GridSpec, RadialGrid, stack_functions
from nuatom.continuum.multipoles import _pieces, _radial_weights
from nuatom.units import C_AU

__all__ = ["ResponseOptions", "BASIS", "COMPONENTS", "CURRENTS", "subshell_basis_sums",
           "window_sums", "components_from_basis", "integration_grid", "taper_radius",
           "kinds_for", "basis_for", "partial_waves_converged"]

#: Bilinear sums stored in response tables: ("X", "Y") means w_a sum Re X_J Y_J^*.
BASIS = (("C", "C"), ("C5", "C5"), ("C", "C5"),
         ("L", "L"), ("L5", "L5"), ("L", "L5"),
         ("C", "L"), ("C5", "L5"), ("C", "L5"), ("C5", "L"),
         ("E", "E"), ("E5", "E5"), ("E", "E5"),
         ("M", "M"), ("M5", "M5"), ("M", "M5"),
         ("E", "M"), ("E5", "M5"), ("E", "M5"), ("E5", "M"))
COMPONENTS = ("R00", "R0303", "R33", "R1122", "R1221")
CURRENTS = ("vector", "axial", "weak")
_KINDS = ("C", "L", "E", "M", "C5", "L5", "E5", "M5")
#: Vector multipoles each component needs (the axial ones follow with a "5").
_COMPONENT_KINDS = {"R00": ("C",), "R0303": ("C", "L"), "R33": ("L",), "R1122": ("E", "M"),
                    "R1221": ("E", "M")}


@dataclass(frozen=True)
class ResponseOptions:
    """Options of the response-function calculation.

    Attributes
    ----------
    hole : bool
        Continuum in the field of the ion with a hole in the ionized subshell (V^{N-1});
        ``False``: field of the neutral atom (V^N, the choice that makes the closure and
        f-sum rules identities of the independent-particle model).
    continuum : ContinuumOptions
    partial_wave_tolerance : float
        The partial-wave sum ends when two successive batches each change the response by
        less than this fraction at every requested momentum (see
        :func:`partial_waves_converged`); the neglected tail, which falls off
        geometrically, is then about twice this fraction.
    batch : int
        Values of :math:`|\\kappa'|` per batch.
    step_limit_q : float
        Largest :math:`\\max(q, k_{loc})\\,(dr/dt)\\,h` on the integration grid.
    bound_cutoff : float
        The integration grid ends where the bound orbital has fallen below this fraction
        of its maximum.
    kappa_max : int
        Hard cap on :math:`|\\kappa'|`; reaching it is reported in the result's info
        (``"converged": False``) rather than raised.
    taper : bool
        Integrate high-momentum bands only over the inner region that can produce them
        (:func:`taper_radius`); ``False`` integrates every band over the whole orbital.
    """

    hole: bool = True
    continuum: ContinuumOptions = ContinuumOptions(tolerance=1e-8, step_limit=0.2)
    partial_wave_tolerance: float = 1e-5
    batch: int = 4
    step_limit_q: float = 0.4
    bound_cutoff: float = 1e-9
    kappa_max: int = 1500
    taper: bool = True

    def __post_init__(self):
        if not 0 < self.partial_wave_tolerance < 1:
            raise ValueError(f"partial_wave_tolerance = {self.partial_wave_tolerance} outside (0, 1)")
        if self.batch < 1:
            raise ValueError(f"batch = {self.batch} must be >= 1")


#: Gaussian suppression exponent of the far-region taper, (margin * sigma)^2 / 2 = 32:
#: exp(-32) ~ 1e-14 of the tapered-off part survives.
TAPER_SIGMAS = 8.0


def taper_radius(solver: ContinuumSolver, orbital, energy_hartree: float, q_min_au: float,
                 L_max: int) -> tuple[float, float] | None:
    """Radius and width ``(R_c, sigma)`` (bohr) of the far-region taper for momenta
    :math:`q \\ge` ``q_min_au``, or ``None`` when no taper applies.

    Beyond the radius where :math:`k_c(r) + p_a(r) \\le q_{min}/4` at every larger radius
    (local radial momenta of the continuum and bound electron in the direct potential)
    and :math:`q_{min}r > L_{max} + 1`, the integrand :math:`f(r)j_L(qr)` has no
    stationary phase: the radial wavenumbers differ by at least :math:`0.2q_{min}`, so a
    smooth (erfc) cut of width :math:`\\sigma = 8/(0.2q_{min})` placed :math:`5\\sigma`
    further out changes the integral by a Gaussian factor :math:`e^{-32}` of the cut part.
    This keeps the high-momentum integrals on the inner region that produces them
    (checked against the uncut integrals in the tests).
    """
    g = solver.grid
    c2 = solver.inv_c2
    V = solver.potential
    d_c = energy_hartree - V
    d_b = orbital.energy_hartree - V
    k_c = np.sqrt(np.clip(2.0 * d_c + d_c * d_c * c2, 0.0, None))
    p_b = np.sqrt(np.clip(2.0 * d_b + d_b * d_b * c2, 0.0, None))
    env = np.maximum.accumulate((k_c + p_b)[::-1])[::-1]
    ok = np.nonzero(env <= 0.25 * q_min_au)[0]
    if ok.size == 0:
        return None
    R = max(float(g.r[ok[0]]), (L_max + 1.0) / q_min_au)
    sigma = TAPER_SIGMAS / (0.2 * q_min_au)
    return R + 5.0 * sigma, sigma


def integration_grid(solver: ContinuumSolver, orbital, energy_hartree: float, q_max_au: float,
                     options: ResponseOptions, taper: tuple[float, float] | None = None
                     ) -> tuple[RadialGrid, np.ndarray, np.ndarray]:
    """Grid over the bound orbital resolving the continuum and :math:`j_L(q_{max}r)`,
    with the bound orbital on it: ``(grid, P_bound, Qt_bound)``.

    Same first radius and t-step as the atom's grid (so the bound orbital keeps its
    resolution near the nucleus); the transition radius ``b`` is lowered until
    :math:`\\max(k_{loc}, q_{max})\\,(dr/dt)\\,h \\le` ``step_limit_q`` everywhere.
    With ``taper = (R_c, sigma)`` (:func:`taper_radius`) the bound orbital is multiplied
    by :math:`\\tfrac12\\mathrm{erfc}((r - R_c)/\\sigma)` and the grid ends at
    :math:`R_c + 6\\sigma`.
    """
    g = solver.grid
    P = orbital.P
    amp = np.abs(P)
    i_ext = int(np.nonzero(amp > options.bound_cutoff * amp.max())[0][-1]) + 1
    i_ext = min(i_ext, len(g) - 1)
    r_end = float(g.r[i_ext])
    if taper is not None and taper[0] + 6.0 * taper[1] < r_end:
        r_end = taper[0] + 6.0 * taper[1]
        i_ext = min(int(np.searchsorted(g.r, r_end)), len(g) - 1)
    else:
        taper = None
    d = energy_hartree - solver.potential
    kloc = np.sqrt(np.clip(2.0 * d + d * d * solver.inv_c2, 0.0, None))
    k = np.maximum(kloc, q_max_au)[: i_ext + 1]
    r = g.r[: i_ext + 1]
    lim = options.step_limit_q
    h = g.h
    while True:
        X = lim / (k * h)
        over = r > X
        b_need = float(np.min(r[over] * X[over] / (r[over] - X[over]))) if over.any() else np.inf
        if b_need >= 0.01 or h < 1e-6:
            break
        h *= 0.5
    b = min(g.spec.b_bohr, b_need)
    t0 = math.log(g.r[0]) + g.r[0] / b
    t1 = math.log(r_end) + r_end / b
    n = max(int(math.ceil((t1 - t0) / h)) + 1, 64)
    grid = RadialGrid(GridSpec(float(g.r[0]), r_end, n, b))
    Pb = g.interpolate_at(P, grid.r)
    Qb = g.interpolate_at(orbital.Qt, grid.r)
    if taper is not None:
        window = 0.5 * special.erfc((grid.r - taper[0]) / taper[1])
        Pb *= window
        Qb *= window
    return grid, Pb, Qb


@functools.lru_cache(maxsize=65536)
def _wave_pieces(kp: int, ka: int, kinds: tuple) -> tuple:
    """``((J, kind index, pieces), ...)`` of the multipoles of ``kinds`` connecting ``ka``
    to ``kp``; each piece is ``(L, a1, a2, density_like, coefficient)`` (angular algebra,
    cached)."""
    la = ka if ka > 0 else -ka - 1
    lp = kp if kp > 0 else -kp - 1
    out = []
    # |j' - j_a| can be |l' - l_a| - 1 (e.g. s_1/2 -> d_3/2 through J = 1: M1, C5/L5/E5 1)
    for J in range(max(0, abs(lp - la) - 1), lp + la + 2):
        for ik, kind in enumerate(_KINDS):
            if kind not in kinds or not allowed(kp, J, ka, kind):
                continue
            pieces = []
            for Lp, c, bil in _pieces(kind, J):
                w1, w2 = _radial_weights(bil, kp, ka, J, Lp)
                if w1 == 0.0 and w2 == 0.0:
                    continue
                is_dens = bil in ("rho", "sigma")
                pieces.append((Lp, w1, w2, is_dens, c * (1.0 if is_dens else 1j)))
            if pieces:
                out.append((J, ik, tuple(pieces)))
    return tuple(out)


#: Bessel functions below this bound on a whole r-chunk are left out of the radial
#: integrals (see :func:`_radial_integrals`); the change of a response is measured in
#: ``tests/response/test_engine_speedups.py``.
BESSEL_FLOOR = 1e-17

#: Radial products of a continuum wave (P', Q~') with the bound orbital (P_a, Q~_a):
#: 0: P'P_a, 1: c^-2 Q~'Q~_a (density-like), 2: P'Q~_a/c, 3: Q~'P_a/c (current-like).
_PRODUCT_WAVE = (0, 1, 0, 1)  # which wave component (0: P', 1: Q~') each product uses


class _Terms:
    """Radial pieces of every multipole matrix element between a set of radial waves
    :math:`\\kappa'` and the bound orbital :math:`\\kappa_a`.

    Piece ``t`` is :math:`c_t\\int j_{L_t}(qr)\\,f_t(r)\\,dr` with
    :math:`f_t = a_1P'P + a_2c^{-2}\\tilde Q'\\tilde Q` (density-like) or
    :math:`(a_1P'\\tilde Q + a_2\\tilde Q'P)/c` (current-like). Different multipoles of
    one wave share the same Bessel order and radial products, so the pieces are reduced
    to *primitive* integrals :math:`I_p(q) = \\int j_{L_p}(qr)\\,g_p(r)\\,dr`, one per
    (wave, L, product) that occurs (``prim_cont``, ``prim_L``, ``prim_product``; products
    as in ``_PRODUCT_WAVE``), and every matrix element is a fixed linear combination of
    them: ``X = to_elements @ I`` (sparse, complex, shape ``[len(keys), n_primitives]``).
    ``keys[k] = (index of wave, J, kind index)``.
    """

    def __init__(self, kappas, kappa_a: int, kinds: tuple = _KINDS):
        from scipy import sparse

        self.keys = []
        prim_index = {}
        rows, cols, vals = [], [], []
        for ic, kp in enumerate(kappas):
            for J, ik, pieces in _wave_pieces(int(kp), int(kappa_a), tuple(kinds)):
                kidx = len(self.keys)
                self.keys.append((ic, J, ik))
                for Lp, w1, w2, is_dens, c in pieces:
                    first = 0 if is_dens else 2
                    for prod, w in ((first, w1), (first + 1, w2)):
                        if w == 0.0:
                            continue
                        p = prim_index.setdefault((ic, Lp, prod), len(prim_index))
                        rows.append(kidx)
                        cols.append(p)
                        vals.append(c * w)
        prims = np.array(list(prim_index), dtype=np.int64).reshape(-1, 3)
        self.prim_cont = prims[:, 0].copy()
        self.prim_L = prims[:, 1].copy()
        self.prim_product = prims[:, 2].copy()
        self.to_elements = sparse.csr_matrix(
            (np.array(vals, dtype=complex), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
            shape=(len(self.keys), len(prim_index)))

    def __len__(self):
        return self.prim_L.size


def _radial_integrals(terms: _Terms, waves, starts, Pb, Qb, grid: RadialGrid, q, inv_c2: float,
                      chunk: int = 384) -> np.ndarray:
    """Primitive integrals ``[p, iq] = int j_{L_p}(q r) g_p(r) dr`` on ``grid``; ``waves``
    holds the large components of the ``nw`` waves in its first ``nw`` rows and the small
    ones in the next ``nw`` (as :func:`_waves_on_grid` gives them).

    Works in r-chunks: each chunk computes :math:`j_L(qr)` for all orders it needs in one
    recurrence (:func:`~nuatom.numerics.bessel.bessel_blocks`), forms the radial products of the
    primitives whose wave is non-zero there, and contracts them order by order as matrix
    products. Orders whose :math:`j_L` stays below :data:`BESSEL_FLOOR` on the whole chunk
    (:func:`~nuatom.numerics.bessel.order_below`) are neither recurred to nor contracted.
    (The Bessel recurrence and these products are about 40 % of a Xe table's cost, the
    continuum orbitals with their exchange iteration about as much; see
    ``benchmarks/bench_response.py``.)
    """
    nq = q.size
    npr = len(terms)
    out = np.zeros((npr, nq))
    if npr == 0:
        return out
    w = grid.weights
    r = grid.r
    n = r.size
    nw = waves.shape[0] // 2
    wave_row = np.asarray(_PRODUCT_WAVE)[terms.prim_product] * nw + terms.prim_cont
    bound = np.stack((Pb * w, Qb * (w * inv_c2), Qb * (w / C_AU), Pb * (w / C_AU)))
    prim_start = starts[terms.prim_cont]
    order = np.argsort(terms.prim_L, kind="stable")
    L_sorted = terms.prim_L[order]
    q_top = float(q.max())
    for s in range(int(prim_start.min()), n, chunk):
        e = min(s + chunk, n)
        # orders whose j_L stays below BESSEL_FLOOR on the whole chunk add nothing that
        # double precision keeps (the integrands are O(1) in these units): skip them
        # and do not recur up to them
        n_low = int(np.searchsorted(L_sorted, order_below(q_top * float(r[e - 1]), BESSEL_FLOOR, int(L_sorted[-1])), side="right"))
        low = order[:n_low]
        active = low[prim_start[low] < e]
        if active.size == 0:
            continue
        L_act = terms.prim_L[active]
        B = bessel_blocks(int(L_act[-1]), q, r[s:e])  # [L, q, r]
        F = waves[wave_row[active], s:e] * bound[terms.prim_product[active], s:e]
        # active is sorted by L: contract each run of equal L as one matrix product
        bounds = np.flatnonzero(np.diff(L_act)) + 1
        for lo, hi in zip(np.concatenate(([0], bounds)), np.concatenate((bounds, [active.size]))):
            out[active[lo:hi]] += F[lo:hi] @ B[L_act[lo]].T
    return out


def _matrix_elements(terms: _Terms, radial: np.ndarray) -> np.ndarray:
    """Reduced matrix elements ``X[key, iq]`` (complex) from the primitive integrals."""
    return np.asarray(terms.to_elements @ radial)


def _basis_from_elements(terms: _Terms, X: np.ndarray, basis=BASIS) -> np.ndarray:
    """Basis sums ``S[len(basis), nq]`` (without the subshell weight)."""
    nq = X.shape[1]
    groups = {}
    gidx = np.empty(len(terms.keys), dtype=np.int64)
    kidx = np.empty(len(terms.keys), dtype=np.int64)
    for i, (ic, J, ik) in enumerate(terms.keys):
        gidx[i] = groups.setdefault((ic, J), len(groups))
        kidx[i] = ik
    Xk = np.zeros((len(_KINDS), len(groups), nq), dtype=complex)
    Xk[kidx, gidx] = X
    kind_index = {k: i for i, k in enumerate(_KINDS)}
    S = np.empty((len(basis), nq))
    for i, (a, b) in enumerate(basis):
        S[i] = np.sum(np.real(Xk[kind_index[a]] * np.conj(Xk[kind_index[b]])), axis=0)
    return S


def _on_grid(cont, grid: RadialGrid, project=None) -> tuple[np.ndarray, np.ndarray, int]:
    """Radial wave interpolated onto ``grid`` (zero beyond its own grid) and the first
    index where it is not negligibly small (1e-14 of its maximum there).

    ``project = (overlap, P_a, Qt_a)`` subtracts ``overlap`` times the bound orbital (on
    ``grid``, untapered): the wave is re-orthogonalised to the orbital it ionizes on the
    integration grid, so that the residual overlap of the continuum solver's grid
    (~1e-9) cannot masquerade as a monopole matrix element at small q.
    """
    P = cont.grid.interpolate_at(cont.P, grid.r)
    Q = cont.grid.interpolate_at(cont.Qt, grid.r)
    outside = grid.r > cont.grid.r[-1]
    P[outside] = 0.0
    Q[outside] = 0.0
    amp = np.abs(P)
    big = np.nonzero(amp > 1e-14 * amp.max())[0] if amp.max() > 0 else np.array([grid.r.size])
    start = int(big[0]) if big.size else grid.r.size
    P[:start] = 0.0
    Q[:start] = 0.0
    if project is not None:
        ovl, Pa, Qa = project
        P -= ovl * Pa
        Q -= ovl * Qa
        start = 0
    return P, Q, start


def _wave_stack(waves) -> list:
    """The waves grouped by grid mapping, each group packed once for interpolation:
    ``[(host grid, member indices, packed (P, Q~) pairs), ...]`` (all waves of one energy,
    as the solver makes them, form one group)."""
    groups: list[list[int]] = []
    for i, c in enumerate(waves):
        for members in groups:
            if waves[members[0]].grid.same_mapping(c.grid):
                members.append(i)
                break
        else:
            groups.append([i])
    return [(waves[m[0]].grid, m, stack_functions([f for i in m for f in (waves[i].P, waves[i].Qt)]))
            for m in groups]


def _waves_on_grid(waves, grid: RadialGrid, projections: dict, stack: list | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_on_grid` for every wave of a window at once, bit-identical to calling it per
    wave: ``(PQ[2 nw, n], starts[nw])`` with the large components of the waves in the first
    ``nw`` rows and the small ones in the next ``nw``; ``projections = {index: (overlap, P_a,
    Qt_a)}``. Waves whose continuum grids share one mapping are interpolated together,
    sharing the Lagrange weights; ``stack`` (:func:`_wave_stack` of ``waves``) saves
    packing them again for every band grid."""
    nw = len(waves)
    n = grid.r.size
    # P and Q~ in one array, the layout _radial_integrals takes (nothing copied again)
    PQ = np.empty((2 * nw, n))
    P = PQ[:nw]
    Q = PQ[nw:]
    for host, members, packed in (stack if stack is not None else _wave_stack(waves)):
        values = host.interpolate_stack_at(packed, grid.r)
        P[members] = values[0::2]
        Q[members] = values[1::2]
    ends = np.array([c.grid.r[-1] for c in waves])
    outside = grid.r[None, :] > ends[:, None]
    P[outside] = 0.0
    Q[outside] = 0.0
    amp = np.abs(P)
    peak = amp.max(axis=1)
    big = amp > 1e-14 * peak[:, None]
    starts = np.where(peak > 0, np.where(big.any(axis=1), np.argmax(big, axis=1), n), n)
    for i in range(nw):
        P[i, :starts[i]] = 0.0
        Q[i, :starts[i]] = 0.0
    for i, (ovl, Pa, Qa) in projections.items():
        P[i] -= ovl * Pa
        Q[i] -= ovl * Qa
        starts[i] = 0
    return PQ, starts.astype(np.int64)


def _octave_bands(q_sorted: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges of ``q_sorted`` whose momenta lie within a factor 2 of each other."""
    bands = []
    lo = 0
    n = q_sorted.size
    while lo < n:
        top = 2.0 * max(q_sorted[lo], 1e-300)
        hi = int(np.searchsorted(q_sorted, top, side="right"))
        hi = max(hi, lo + 1)
        bands.append((lo, hi))
        lo = hi
    return bands


def kinds_for(components=COMPONENTS, currents=CURRENTS) -> tuple:
    """Multipole kinds needed for the given response components and currents."""
    for c in components:
        if c not in COMPONENTS:
            raise ValueError(f"component {c!r} is not one of {list(COMPONENTS)}")
    for c in currents:
        if c not in CURRENTS:
            raise ValueError(f"current {c!r} is not one of {list(CURRENTS)}")
    base = set()
    for c in components:
        base |= set(_COMPONENT_KINDS[c])
    out = set()
    for cur in currents:
        if cur in ("vector", "weak"):
            out |= base
        if cur in ("axial", "weak"):
            out |= {k + "5" for k in base}
    return tuple(k for k in _KINDS if k in out)


def basis_for(kinds) -> tuple:
    """The bilinear sums of :data:`BASIS` computable from ``kinds``."""
    return tuple(p for p in BASIS if p[0] in kinds and p[1] in kinds)


def bound_radius(orbital, grid, fraction: float = 1e-10) -> float:
    """Radius (bohr) beyond which the orbital holds less than ``fraction`` of its norm."""
    tail = grid.cumulative_from_right(orbital.P**2)
    idx = np.nonzero(tail > fraction)[0]
    return float(grid.r[idx[-1]]) if idx.size else float(grid.r[-1])


def first_window(orbital, grid, eps: float, inv_c2: float, options: ResponseOptions) -> int:
    """Estimated number of :math:`|\\kappa'|` values the partial-wave sum needs,
    :math:`k\\,r_a + 6` rounded up to whole batches (``k``: ejected momentum, :math:`r_a`:
    :func:`bound_radius` holding all but 1e-6 of the norm); the first window of :func:`window_sums` covers it."""
    k = math.sqrt(max(2.0 * eps + eps * eps * inv_c2, 0.0))
    est = k * bound_radius(orbital, grid, 1e-6) + 6.0
    b = options.batch
    return int(max(2, math.ceil(est / b))) * b


@dataclass
class WindowResult:
    """Sums over one window of partial waves :math:`\\kappa_{lo} \\le |\\kappa'| \\le \\kappa_{hi}`.

    ``S[len(basis), nq]`` (1/Hartree, subshell weight included); ``batch_sizes[nb, nq]``:
    the sum of all diagonal :math:`|X_J|^2` (weighted) of each batch of ``options.batch``
    values of :math:`|\\kappa'|`, in order (what the convergence rule looks at);
    ``exhausted``: the last batch had no wave reaching into the atom.
    """

    S: np.ndarray
    batch_sizes: np.ndarray
    kappa_lo: int
    kappa_hi: int
    J_max: int
    exhausted: bool


def window_sums(solver: ContinuumSolver, orbital, T_hartree: float, q_au, kappa_lo: int, kappa_hi: int,
                options: ResponseOptions = ResponseOptions(), kinds: tuple = _KINDS) -> WindowResult:
    """Basis sums of one subshell at one energy transfer from the partial waves with
    ``kappa_lo <= |kappa'| <= kappa_hi`` (both signs), on every momentum in ``q_au``.

    The momenta are processed in octave bands, each on its own integration grid (resolving
    only that band's largest momentum, and tapered for high bands, see
    :func:`taper_radius`).
    """
    q = np.atleast_1d(np.asarray(q_au, float))
    nq = q.size
    basis = basis_for(kinds)
    eps = T_hartree + orbital.energy_hartree
    b = options.batch
    n_batches = max(0, math.ceil((kappa_hi - kappa_lo + 1) / b))
    empty = WindowResult(np.zeros((len(basis), nq)), np.zeros((n_batches, nq)), kappa_lo, kappa_hi, 0, True)
    if eps <= 0 or nq == 0 or n_batches == 0:
        return empty
    inv_c2 = solver.inv_c2
    ka = orbital.kappa
    weight = orbital.occupancy / (2 * abs(ka))
    waves, wave_batch = [], []
    exhausted = False
    for ib in range(n_batches):
        lo = kappa_lo + ib * b
        hi = min(lo + b - 1, kappa_hi)
        got = 0
        for kk in range(lo, hi + 1):
            for kp in (-kk, kk):
                c = solver.solve(eps, kp)
                if not c.negligible:
                    waves.append(c)
                    wave_batch.append(ib)
                    got += 1
        if got == 0:
            exhausted = True
            n_batches = ib + 1
            break
    if not waves:
        return WindowResult(empty.S, np.zeros((n_batches, nq)), kappa_lo, kappa_hi, 0, True)
    terms = _Terms([c.kappa for c in waves], ka, kinds)
    J_max = int(max(J for _, J, _ in terms.keys)) if terms.keys else 0
    # residual overlaps with the ionized orbital (same kappa only), on a grid resolving
    # the waves over the whole orbital
    overlaps = {}
    same = [i for i, c in enumerate(waves) if c.kappa == ka]
    if same:
        g0, Pb0, Qb0 = integration_grid(solver, orbital, eps, 0.0, options)
        norm = g0.integrate(Pb0**2 + inv_c2 * Qb0**2)
        for i in same:
            Pc, Qc, _ = _on_grid(waves[i], g0)
            overlaps[i] = g0.integrate(Pc * Pb0 + inv_c2 * Qc * Qb0) / norm
    S = np.zeros((len(basis), nq))
    sizes = np.zeros((n_batches, nq))
    key_batch = np.array([wave_batch[ic] for ic, _, _ in terms.keys], dtype=np.int64)
    order = np.argsort(q)
    q_sorted = q[order]
    # one integration grid per octave band; neighbouring bands whose grids come out
    # identical (both set by the continuum's local momentum, neither tapered) are
    # integrated together, which shares the radial products and the Bessel recurrence
    # setup and changes no number
    bands = []
    for lo, hi in _octave_bands(q_sorted):
        qb = q_sorted[lo:hi]
        taper = taper_radius(solver, orbital, eps, float(qb.min()), J_max + 1) if options.taper else None
        grid, Pb, Qb = integration_grid(solver, orbital, eps, float(qb.max()), options, taper)
        if bands and bands[-1][2].spec == grid.spec and np.array_equal(bands[-1][3], Pb) \
                and np.array_equal(bands[-1][4], Qb):
            bands[-1][1] = hi
        else:
            bands.append([lo, hi, grid, Pb, Qb])
    stack = _wave_stack(waves)
    for lo, hi, grid, Pb, Qb in bands:
        qb = q_sorted[lo:hi]
        if overlaps:
            Pa = solver.grid.interpolate_at(orbital.P, grid.r)
            Qa = solver.grid.interpolate_at(orbital.Qt, grid.r)
        PQ, starts = _waves_on_grid(waves, grid, {i: (ovl, Pa, Qa) for i, ovl in overlaps.items()}, stack)
        radial = _radial_integrals(terms, PQ, starts, Pb, Qb, grid, qb, inv_c2)
        X = _matrix_elements(terms, radial)
        S[:, order[lo:hi]] = _basis_from_elements(terms, X, basis)
        band_sizes = np.zeros((n_batches, hi - lo))
        np.add.at(band_sizes, key_batch, np.abs(X) ** 2)
        sizes[:, order[lo:hi]] = band_sizes
    return WindowResult(weight * S, weight * sizes, kappa_lo, kappa_hi, J_max, exhausted)


def partial_waves_converged(total: np.ndarray, batch_sizes: np.ndarray, exhausted: bool,
                            tolerance: float) -> bool:
    """The convergence rule of the partial-wave sum.

    Converged when the waves are exhausted, or when each of the last two batches changed
    the running total by at most ``tolerance`` of it at every momentum (the total floored
    at 1e-12 of its largest value, so momenta where the subshell is negligible do not
    hold the sum open).
    """
    if exhausted:
        return True
    if batch_sizes.shape[0] < 2:
        return False
    if not np.any(total > 0):
        return True
    floor = np.maximum(total, 1e-12 * total.max())
    return bool(np.all(batch_sizes[-2:] <= tolerance * floor))


def subshell_basis_sums(solver: ContinuumSolver, orbital, T_hartree: float, q_au,
                        options: ResponseOptions = ResponseOptions(), kinds: tuple = _KINDS
                        ) -> tuple[np.ndarray, dict]:
    """Basis sums :math:`S_{XY}(q)` (1/Hartree, weight :math:`q_a/(2j_a+1)` included) of one
    subshell's ionization at energy transfer ``T_hartree``: array ``[len(basis_for(kinds)),
    len(q)]``, and an info dict (``kappa_max``, ``J_max``, ``converged``).

    Serial driver: windows of partial waves (:func:`window_sums`, the first sized by
    :func:`first_window`, then half that) are added until
    :func:`partial_waves_converged` or ``options.kappa_max``.
    """
    q = np.atleast_1d(np.asarray(q_au, float))
    eps = T_hartree + orbital.energy_hartree
    basis = basis_for(kinds)
    S = np.zeros((len(basis), q.size))
    info = {"kappa_max": 0, "J_max": 0, "converged": True}
    if eps <= 0:
        return S, info
    size = first_window(orbital, solver.grid, eps, solver.inv_c2, options)
    lo = 1
    total = np.zeros(q.size)
    history = []
    while True:
        hi = min(lo + size - 1, options.kappa_max)
        res = window_sums(solver, orbital, T_hartree, q, lo, hi, options, kinds)
        S += res.S
        total += res.batch_sizes.sum(axis=0)
        history.extend(res.batch_sizes)
        info["J_max"] = max(info["J_max"], res.J_max)
        info["kappa_max"] = hi
        if partial_waves_converged(total, np.array(history), res.exhausted, options.partial_wave_tolerance):
            break
        if hi >= options.kappa_max:
            info["converged"] = False
            break
        lo = hi + 1
        size = max(2 * options.batch, (size // (2 * options.batch)) * options.batch)
    return S, info


def components_from_basis(S: np.ndarray, current: str, c_V: float = 1.0, c_A: float = 1.0,
                          basis=BASIS, components=COMPONENTS) -> dict:
    """Response components from basis sums ``S[len(basis), ...]``.

    ``current`` is 'vector', 'axial' or 'weak' (multipoles :math:`c_VX - c_AX5`).
    Returns {component: array} in the units of ``S``.

    Raises
    ------
    ValueError
        If ``basis`` lacks a bilinear sum that a requested component needs.
    """
    idx = {tuple(pair): i for i, pair in enumerate(basis)}

    def s(x, y):
        if (x, y) in idx:
            return S[idx[(x, y)]]
        if (y, x) in idx:
            return S[idx[(y, x)]]  # Re X Y* is symmetric
        raise ValueError(f"the table has no {x}{y} sum (computed kinds: "
                         f"{sorted({k for p in basis for k in p})}); recompute with them")

    def combo(x, y):
        if current == "vector":
            return s(x, y)
        if current == "axial":
            return s(x + "5", y + "5")
        return (c_V * c_V * s(x, y) + c_A * c_A * s(x + "5", y + "5")
                - c_V * c_A * (s(x, y + "5") + s(x + "5", y)))

    if current not in CURRENTS:
        raise ValueError(f"current = {current!r} is not one of {list(CURRENTS)}")
    four_pi = 4.0 * math.pi
    make = {"R00": lambda: four_pi * combo("C", "C"),
            "R0303": lambda: -2.0 * four_pi * combo("C", "L"),
            "R33": lambda: four_pi * combo("L", "L"),
            "R1122": lambda: four_pi * (combo("E", "E") + combo("M", "M")),
            "R1221": lambda: 2.0 * four_pi * combo("E", "M")}
    return {c: make[c]() for c in components}

