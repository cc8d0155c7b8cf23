"""Neutrino-impact ionization: dσ/dT per atom from atomic response functions.

Process :math:`\\nu + A \\to \\nu' + A^+ + e^-` with energy transfer :math:`T` and
three-momentum transfer :math:`q = |\\mathbf k_1 - \\mathbf k_2|` (keV). For an amplitude
:math:`\\mathcal M = g\\,\\ell_\\mu\\mathcal J^\\mu(\\mathbf q)` (lepton current
:math:`\\ell`, atomic current :math:`\\mathcal J`), integrating over the neutrino direction
at fixed :math:`T` gives (metric (+,−,−,−), :math:`q^2 = T^2 - q^2_{3}` below)

.. math::
    \\frac{d\\sigma}{dT} = \\frac{1}{8\\pi E_\\nu^2}\\int_{q_-}^{q_+} q\\,dq\\,|g(q)|^2\\,
    L_{\\mu\\nu}R^{\\mu\\nu}(T, q),\\qquad
    L_{\\mu\\nu}R^{\\mu\\nu} = \\sum_c w_c(E_\\nu, T, q)\\,R_c(T, q),

with the response components :math:`R_c` of :mod:`nuatom.response.engine`
(``R00, R0303 = R03+R30, R33, R1122 = R11+R22, R1221 = -i(R12-R21)``) and the weights
:func:`lepton_weights` (V−A current of a left-handed neutrino,
:math:`L^{\\mu\\nu} = \\mathrm{Tr}[\\not k_2\\gamma^\\mu(1-\\gamma_5)\\not k_1(1+\\gamma_5)\\gamma^\\nu]`)
or :func:`magnetic_weights` (vertex :math:`\\sigma^{\\mu\\alpha}q_\\alpha`, helicity flip). The
chapter *Lepton tensors* derives both with sympy from explicit Dirac matrices.

Couplings (as in :mod:`nuatom.neutrino.free`, whose conventions these are):

* weak: :math:`g = G_F/\\sqrt2`, atomic current :math:`c_V\\mathcal J - c_A\\mathcal J_5` with
  :math:`c_V = g_V + \\delta g_V^{(r^2)} + \\delta g_V^{(Q)}(q^2)`, :math:`c_A = g_A` (−g_A for
  ν̄). Photon exchange with :math:`F_1(q^2) = \\delta_Q + q^2\\langle r^2\\rangle/6` has the
  V−A structure for a left-handed neutrino, so the millicharge and the charge radius are
  shifts of :math:`c_V` (:func:`nuatom.neutrino.free.millicharge_delta_gV` with the atomic
  :math:`q^2 = T^2 - q_3^2`, :func:`nuatom.neutrino.free.charge_radius_delta_gV`).
* magnetic moment: :math:`g = 2\\pi\\alpha\\mu_\\nu/(m_e q^2)` (μ_ν in μ_B), no
  interference with the weak amplitude.

Kinematics: :math:`q_\\pm = |\\mathbf k_1| \\pm |\\mathbf k_2|`,
:math:`|\\mathbf k| = \\sqrt{E^2 - m_\\nu^2}`. The neutrino mass matters only for the
millicharge: its photon propagator :math:`1/q^4` makes the forward region
:math:`q^2 \\to 0` contribute :math:`\\ln(|q^2|_{max}/|q^2|_{min})` with
:math:`|q^2|_{min} \\simeq m_\\nu^2T^2/(E_\\nu E_\\nu')` (the collinear logarithm of the
equivalent-photon picture), so a millicharge cross section needs ``neutrino_mass_keV > 0``.
Elsewhere the lepton tensors are those of a massless neutrino (corrections
:math:`O(m_\\nu^2/E_\\nu^2)`).

Responses come from a *response provider* with one method,
``quadrature(T_keV, q_lo_keV, q_hi_keV, approximation, spacelike_lo) -> (q_nodes,
dq_weights, parts, spacelike)`` (``spacelike_lo`` = :math:`q_{lo}^2 - T^2`, exact) (``spacelike`` = :math:`q^2 - T^2` at the nodes, exact), where ``parts``
maps ``"V"``, ``"A"``, ``"X"`` to component dicts such that the weak response is
:math:`R_c = c_V^2 V_c + c_A^2 A_c + c_Vc_A X_c` and :math:`\\sum_i w_i F(q_i)` approximates
:math:`\\int dq\\,F(q)`. Two providers: :class:`TableResponse` (an atomic
:class:`~nuatom.response.engine.ResponseTable`) and :class:`FreeElectronResponse` (electrons at
rest, an analytic δ-function response: the free-electron-gas consistency check).

Approximations (seed talk, "Approximation Schemes"): ``"LPA"`` drops the transverse
responses (R1122, R1221); ``"EPA"`` drops the longitudinal ones and evaluates the
transverse ones at the real-photon point :math:`q = T` (:math:`q^2 = 0`); the free-electron
approximation (FEA) lives in :mod:`nuatom.neutrino.fea`.
"""
from __future__ import annotations

import functools
import json
import math
import pathlib
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline

from nuatom.neutrino import fea, free
from nuatom.neutrino.properties import DEFAULT_NEUTRINO_MASS_KEV, NeutrinoProperties
from nuatom import units as u
from nuatom._validate import (choice, continuum_energy, finite_nonnegative_array,
                              finite_scalar)

__all__ = ["PROCESSES", "APPROXIMATIONS", "lepton_weights",
           "magnetic_weights", "momentum_transfer_range_keV", "FreeElectronResponse",
           "TableResponse", "dsigma_dT", "METHODS", "atomic_response", "ionization_dsigma_dT",
           "INTEGRAL_NAMES", "coupling_integrals", "dsigma_from_integrals", "IonizationTable",
           "table_provider", "rpa_columns_provider", "rpa_columns_response",
           "rpa_column_energies_keV", "packaged_elements", "reference_response", "table_thresholds_keV",
           "interpolated_coupling_integrals", "kinematically_allowed", "INTERPOLATION_ERROR",
           "MIN_INTERPOLATION_NODES", "interpolation_limit_keV", "RIDGE_MARGIN",
           "LEAVE_ONE_OUT_TOLERANCE", "validated_segments", "photon_term_excess_scale", "ELAM_MAX_KEV",
           "ELAM_MIN_KEV"]

#: weak (incl. charge-radius shift and NSI), nmm, millicharge (photon term alone),
#: charge-radius (photon term of F1 = q^2 <r^2>/6 alone), total (all, with interference).
PROCESSES = ("weak", "nmm", "millicharge", "charge-radius", "total")
APPROXIMATIONS = ("none", "LPA", "EPA")
COMPONENT_NAMES = ("R00", "R0303", "R33", "R1122", "R1221")
_TRANSVERSE = ("R1122", "R1221")
_LONGITUDINAL = ("R00", "R0303", "R33")


# ---------------------------------------------------------------------- lepton tensors
def lepton_weights(E_nu_keV, T_keV, q_keV, spacelike_keV2=None) -> dict:
    """Weights :math:`w_c` of the V−A lepton tensor: :math:`L_{\\mu\\nu}R^{\\mu\\nu} = \\sum_c w_cR_c` (keV²).

    Left-handed massless neutrino, :math:`\\mathbf q \\parallel \\hat z`. With
    :math:`E' = E_\\nu - T`, :math:`S = E_\\nu + E'` and :math:`W = S^2 - q^2`:

    ``R00``: :math:`4W`; ``R0303``: :math:`-4WT/q`; ``R33``: :math:`4WT^2/q^2`;
    ``R1122``: :math:`2(q^2-T^2)(S^2+q^2)/q^2`; ``R1221``: :math:`-4S(q^2-T^2)/q`.
    For ν̄ the ``R1221`` weight changes sign, which nuatom applies as :math:`c_A \\to -c_A`.
    ``spacelike_keV2`` is :math:`q^2 - T^2 = -q_\\mu q^\\mu` if known exactly (it is computed
    from ``q`` otherwise, which loses all digits near the real-photon point).
    """
    E = np.asarray(E_nu_keV, float)
    T = np.asarray(T_keV, float)
    q = np.asarray(q_keV, float)
    S = 2.0 * E - T
    W = S * S - q * q
    spacelike = q * q - T * T if spacelike_keV2 is None else np.asarray(spacelike_keV2, float)
    return {"R00": 4.0 * W, "R0303": -4.0 * W * T / q, "R33": 4.0 * W * T * T / (q * q),
            "R1122": 2.0 * spacelike * (S * S + q * q) / (q * q), "R1221": -4.0 * S * spacelike / q}


def magnetic_weights(E_nu_keV, T_keV, q_keV, spacelike_keV2=None) -> dict:
    """Weights of the magnetic-moment lepton tensor
    :math:`\\mathrm{Tr}[\\not k_2\\,\\sigma^{\\mu\\alpha}q_\\alpha P_L\\not k_1\\,\\sigma^{\\nu\\beta}q_\\beta]` (keV⁴).

    With :math:`-q^2 = q_3^2 - T^2`: ``R00``: :math:`S^2(q_3^2 - T^2)`; ``R0303``:
    :math:`-S^2(q_3^2-T^2)T/q_3`; ``R33``: :math:`S^2(q_3^2-T^2)T^2/q_3^2`; ``R1122``:
    :math:`(q_3^2-T^2)^2W/(2q_3^2)`; ``R1221``: 0 (and the vector current has no R1221).
    """
    E = np.asarray(E_nu_keV, float)
    T = np.asarray(T_keV, float)
    q = np.asarray(q_keV, float)
    S = 2.0 * E - T
    W = S * S - q * q
    spacelike = q * q - T * T if spacelike_keV2 is None else np.asarray(spacelike_keV2, float)
    return {"R00": S * S * spacelike, "R0303": -S * S * spacelike * T / q,
            "R33": S * S * spacelike * T * T / (q * q),
            "R1122": spacelike * spacelike * W / (2.0 * q * q), "R1221": np.zeros_like(q)}


def momentum_transfer_range_keV(E_nu_keV: float, T_keV: float, neutrino_mass_keV: float = 0.0):
    """``(q_lo, q_hi, spacelike_lo)``: :math:`|\\mathbf k_1| \\mp |\\mathbf k_2|` (keV) and
    :math:`q_{lo}^2 - T^2 \\ge 0` (keV², computed without cancellation); ``None`` outside
    the kinematic range (:math:`T \\le 0` or :math:`E' \\le m_\\nu`)."""
    E, T, m = float(E_nu_keV), float(T_keV), float(neutrino_mass_keV)
    Ep = E - T
    if not (T > 0 and Ep > m and E > m):
        return None
    k1 = math.sqrt((E - m) * (E + m))
    k2 = math.sqrt((Ep - m) * (Ep + m))
    # q_lo = k1 - k2 = T (E + E')/(k1 + k2);  q_lo^2 - T^2 = T^2 [(E+E')^2 - (k1+k2)^2]/(k1+k2)^2
    d = m * m / (E + k1) + m * m / (Ep + k2)  # (E + E') - (k1 + k2)
    spacelike_lo = T * T * d * (E + Ep + k1 + k2) / (k1 + k2) ** 2
    return T * (E + Ep) / (k1 + k2), k1 + k2, spacelike_lo


# ---------------------------------------------------------------------- providers
_DIRAC = None


def _dirac_matrices():
    global _DIRAC
    if _DIRAC is None:
        s = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]),
             np.array([[1, 0], [0, -1]], complex)]
        one, zero = np.eye(2), np.zeros((2, 2))
        g = [np.block([[one, zero], [zero, -one]]).astype(complex)]
        g += [np.block([[zero, si], [-si, zero]]) for si in s]
        g5 = 1j * g[0] @ g[1] @ g[2] @ g[3]
        _DIRAC = (np.array(g), g5)
    return _DIRAC


def _free_electron_components(T_keV: float, q_keV: float, c_V: float, c_A: float) -> dict:
    """Spin-averaged response tensor of one electron at rest without the energy δ:
    :math:`\\tfrac12\\sum|\\bar u'\\Gamma^\\mu u|^2/(2m\\,2E')` with
    :math:`\\Gamma^\\mu = \\gamma^\\mu(c_V - c_A\\gamma_5)`, final momentum along z."""
    g, g5 = _dirac_matrices()
    m = u.ME_KEV
    Ee = m + T_keV
    metric = np.array([1.0, -1.0, -1.0, -1.0])

    def slash(p):
        return np.einsum("m,m,mij->ij", metric, p, g)

    p_i = np.array([m, 0.0, 0.0, 0.0])
    p_f = np.array([Ee, 0.0, 0.0, q_keV])
    vertex = [gm @ (c_V * np.eye(4) - c_A * g5) for gm in g]
    bar = [g[0] @ v.conj().T @ g[0] for v in vertex]
    A = slash(p_f) + m * np.eye(4)
    B = slash(p_i) + m * np.eye(4)
    H = np.array([[np.trace(A @ vertex[a] @ B @ bar[b]) for b in range(4)] for a in range(4)])
    H = H / (2.0 * 2.0 * m * 2.0 * Ee)
    return {"R00": H[0, 0].real, "R0303": (H[0, 3] + H[3, 0]).real, "R33": H[3, 3].real,
            "R1122": (H[1, 1] + H[2, 2]).real, "R1221": (-1j * (H[1, 2] - H[2, 1])).real}


@dataclass(frozen=True)
class FreeElectronResponse:
    """``n_electrons`` free electrons at rest: :math:`R^{\\mu\\nu}\\propto\\delta(T - \\sqrt{m_e^2+q^2} + m_e)`.

    The q-integral collapses onto :math:`q_* = \\sqrt{T^2 + 2m_eT}` with weight
    :math:`E_e/q_*` (:math:`dT/dq = q/E_e`).
    """

    n_electrons: float = 1.0

    def quadrature(self, T_keV, q_lo, q_hi, approximation="none", spacelike_lo=None):
        if approximation != "none":
            raise ValueError(f"approximation = {approximation!r}: a free electron has no photon point "
                             "(its response vanishes at q^2 = 0); use 'none'")
        q_star = math.sqrt(T_keV * T_keV + 2.0 * u.ME_KEV * T_keV)
        if not (q_lo <= q_star <= q_hi):
            return np.zeros(0), np.zeros(0), None, np.zeros(0)
        Ee = u.ME_KEV + T_keV
        V = _free_electron_components(T_keV, q_star, 1.0, 0.0)
        A = _free_electron_components(T_keV, q_star, 0.0, 1.0)
        VA = _free_electron_components(T_keV, q_star, 1.0, 1.0)
        X = {c: VA[c] - V[c] - A[c] for c in COMPONENT_NAMES}
        n = self.n_electrons
        parts = {key: {c: np.array([n * val[c]]) for c in COMPONENT_NAMES}
                 for key, val in (("V", V), ("A", A), ("X", X))}
        return np.array([q_star]), np.array([Ee / q_star]), parts, np.array([2.0 * u.ME_KEV * T_keV])


class TableResponse:
    """Response provider for an atomic :class:`~nuatom.response.engine.ResponseTable` (summed over
    subshells, or one ``subshell``).

    Works at the table's own energy transfers only (interpolating in T across subshell
    edges would be wrong). In q, each component is interpolated by a cubic spline in
    :math:`\\ln q` of its ratio to a positive envelope (the sum of the diagonal vector and
    axial responses), whose logarithm is splined as well; the integral runs over
    :math:`u = \\ln(q^2 - T^2)` with ``panels`` Gauss–Legendre panels of 4 nodes, which
    resolves both the Bethe ridge and the forward (:math:`q^2 \\to 0`) region. Beyond the
    table's largest q the response is taken as 0 (it falls like a power of q there).

    ``vector_longitudinal="charge"`` (default) takes the longitudinal multipoles of the
    vector current from the charge ones by current conservation, :math:`qL_J = -TC_J`.
    The frozen-core DHF current is not exactly conserved (non-local exchange; a few % in
    the outer shells), and photon exchange amplifies any violation: the longitudinal
    combination :math:`R_{00} - (T/q)R_{03+30} + (T/q)^2R_{33}` must vanish like
    :math:`|q^2|` at the real-photon point, and a violation ε leaves
    :math:`\varepsilon R_{00}/q^4`, a spurious power divergence of the millicharge cross
    section at :math:`q^2 \to 0`. ``"computed"`` uses the L multipoles as computed.
    """

    def __init__(self, table, subshell: str | None = None, panels: int = 1500,
                 vector_longitudinal: str = "charge"):
        self.table = table
        self.subshell = subshell
        self.panels = int(panels)
        self.vector_longitudinal = choice("vector_longitudinal", vector_longitudinal, ("charge", "computed"))
        self._cache: dict = {}
        self._lnq = np.log(table.q_keV)
        self._gl = np.polynomial.legendre.leggauss(4)

    def T_index(self, T_keV: float) -> int:
        T = self.table.T_keV
        j = int(np.argmin(np.abs(T - T_keV)))
        if abs(T[j] - T_keV) > 1e-9 * T_keV:
            raise ValueError(f"T_keV = {T_keV:g} is not on the table's grid "
                             f"({T.min():g}..{T.max():g} keV, {T.size} values); tabulate at it")
        return j

    def basis_sums(self, j: int) -> np.ndarray:
        """Bilinear sums ``[basis, q]`` at the table's ``j``-th energy transfer (1/keV),
        with the vector longitudinal multipoles replaced by their current-conservation
        values :math:`L_J = -(T/q)C_J` when ``vector_longitudinal == "charge"``."""
        t = self.table
        if self.subshell is None:
            S = t.sums_per_keV[:, :, j, :].sum(axis=0)
        else:
            if self.subshell not in t.subshells:
                raise ValueError(f"subshell = {self.subshell!r} is not one of {list(t.subshells)}")
            S = t.sums_per_keV[t.subshells.index(self.subshell), :, j, :]
        S = np.array(S, dtype=float)
        if self.vector_longitudinal == "charge":
            idx = {tuple(p): i for i, p in enumerate(t.basis)}

            def row(a, b):
                return S[idx[(a, b)]] if (a, b) in idx else S[idx[(b, a)]]

            x = t.T_keV[j] / t.q_keV
            replaced = {("L", "L"): x * x * row("C", "C"), ("C", "L"): -x * row("C", "C"),
                        ("L", "L5"): -x * row("C", "L5"), ("C5", "L"): -x * row("C", "C5")}
            for pair, value in replaced.items():
                key = pair if pair in idx else pair[::-1]
                S[idx[key]] = value
        return S

    def _splines(self, j: int):
        if j not in self._cache:
            from nuatom.response.engine import components_from_basis

            S = self.basis_sums(j)
            basis = self.table.basis
            V = components_from_basis(S, "vector", basis=basis, components=COMPONENT_NAMES)
            A = components_from_basis(S, "axial", basis=basis, components=COMPONENT_NAMES)
            VA = components_from_basis(S, "weak", 1.0, 1.0, basis=basis, components=COMPONENT_NAMES)
            parts = {"V": V, "A": A}
            # the weak combination with c_V = c_A = 1 is V + A - (cross terms)
            parts["X"] = {c: VA[c] - V[c] - A[c] for c in COMPONENT_NAMES}
            env = sum(parts[k][c] for k in ("V", "A") for c in ("R00", "R33", "R1122"))
            if not np.any(env > 0):
                self._cache[j] = None
            else:
                floor = 1e-300
                envp = np.maximum(env, floor)
                spl_env = CubicSpline(self._lnq, np.log(envp))
                ratios = {k: {c: CubicSpline(self._lnq, parts[k][c] / envp) for c in COMPONENT_NAMES}
                          for k in parts}
                self._cache[j] = (spl_env, ratios)
        return self._cache[j]

    def evaluate(self, T_keV: float, q_keV, spacelike_keV2=None) -> dict:
        """Parts ``{"V"|"A"|"X": {component: array}}`` at momenta ``q_keV`` (1/keV).

        With ``vector_longitudinal="charge"`` the vector longitudinal response is returned
        in its contracted, gauge-invariant form: ``R00`` holds
        :math:`(s/q^2)^2R_{00}` (:math:`s = q^2 - T^2`, ``spacelike_keV2`` if given) and
        ``R0303 = R33 = 0``. Every lepton tensor conserved by the neutrino current contracts
        the longitudinal components as :math:`w_{00}[R_{00} - 2xR_{03+30}/2 + ...]` =
        :math:`w_{00}(1-x^2)^2R_{00}`, :math:`x = T/q`, for a conserved hadronic current;
        writing it directly avoids the cancellation of the separate terms near the photon
        point, where they exceed the result by up to :math:`T^4/s^2`.
        """
        j = self.T_index(T_keV)
        q = np.atleast_1d(np.asarray(q_keV, float))
        spl = self._splines(j)
        zero = {k: {c: np.zeros_like(q) for c in COMPONENT_NAMES} for k in ("V", "A", "X")}
        if spl is None:
            return zero
        spl_env, ratios = spl
        lnq = np.log(q)
        inside = (lnq >= self._lnq[0]) & (lnq <= self._lnq[-1])
        x = np.clip(lnq, self._lnq[0], self._lnq[-1])
        env = np.where(inside, np.exp(spl_env(x)), 0.0)
        below = lnq < self._lnq[0]
        if np.any(below):  # power-law continuation of the first interval
            slope = (spl_env(self._lnq[1]) - spl_env(self._lnq[0])) / (self._lnq[1] - self._lnq[0])
            env = np.where(below, np.exp(spl_env(self._lnq[0]) + slope * (lnq - self._lnq[0])), env)
        out = {k: {c: env * ratios[k][c](x) for c in COMPONENT_NAMES} for k in ratios}
        if self.vector_longitudinal == "charge":
            s = q * q - T_keV * T_keV if spacelike_keV2 is None else np.asarray(spacelike_keV2, float)
            out["V"]["R00"] = out["V"]["R00"] * (s / (q * q)) ** 2
            out["V"]["R0303"] = np.zeros_like(q)
            out["V"]["R33"] = np.zeros_like(q)
        return out

    def quadrature(self, T_keV, q_lo, q_hi, approximation="none", spacelike_lo=None):
        T = float(T_keV)
        # q_lo^2 - T^2 from q_lo loses every digit near the photon point: use the exact value
        a = max(q_lo * q_lo - T * T, 0.0) if spacelike_lo is None else float(spacelike_lo)
        b = q_hi * q_hi - T * T
        # the weak and magnetic integrands vanish like q^2 - T^2 in the forward region:
        # a floor 1e-14 below the upper end drops < 1e-14 of them
        # a > 0 (massive neutrino) is the true kinematic limit and must be kept: the
        # millicharge integrand is flat in u down to it. For a massless neutrino (a = 0) the
        # weak and magnetic integrands vanish like e^u: a floor 1e-14 below b drops < 1e-14.
        u_lo = math.log(a if a > 0 else 1e-14 * b)
        u_hi = math.log(b)
        if u_hi <= u_lo:
            return np.zeros(0), np.zeros(0), None, np.zeros(0)
        x, w = self._gl
        edges = np.linspace(u_lo, u_hi, self.panels + 1)
        half = 0.5 * np.diff(edges)
        mid = 0.5 * (edges[1:] + edges[:-1])
        uu = (mid[:, None] + half[:, None] * x[None, :]).ravel()
        wu = (half[:, None] * w[None, :]).ravel()
        s = np.exp(uu)
        q = np.sqrt(T * T + s)
        dq = wu * s / (2.0 * q)  # dq = (q^2 - T^2)/(2q) du
        if approximation == "EPA":
            photon = self.evaluate(T, [T])
            parts = {k: {c: (np.full_like(q, photon[k][c][0]) if c in _TRANSVERSE else np.zeros_like(q))
                         for c in COMPONENT_NAMES} for k in photon}
        else:
            parts = self.evaluate(T, q, spacelike_keV2=s)
            if approximation == "LPA":
                for k in parts:
                    for c in _TRANSVERSE:
                        parts[k][c] = np.zeros_like(q)
        return q, dq, parts, s


# ---------------------------------------------------------------------- cross sections
def _contract(weights: dict, parts_key: dict) -> np.ndarray:
    return sum(weights[c] * parts_key[c] for c in COMPONENT_NAMES)


def _validated(approximation, E_nu_keV, T_keV):
    """``(approximation, E, T array)`` checked: the inputs every integrator shares."""
    appr = {a.lower(): a for a in APPROXIMATIONS}[choice("approximation", approximation,
                                                         [a.lower() for a in APPROXIMATIONS])]
    E = _neutrino_energy(E_nu_keV)
    T_arr = finite_nonnegative_array("T_keV", T_keV, "keV")
    return appr, E, T_arr


#: Largest neutrino energy (keV) of the atomic cross sections: 1 TeV. The contact (four-
#: fermion) interaction needs the momentum transfers that matter (q <~ a few MeV for an
#: atom) far below M_W, which holds for any E_nu here; the bound keeps every lepton-tensor
#: weight (~E_nu^2) finite in double precision.
MAX_NEUTRINO_ENERGY_KEV = 1.0e9


def _neutrino_energy(E_nu_keV) -> float:
    E = finite_scalar("E_nu_keV", E_nu_keV, "keV")
    if not 0 < E <= MAX_NEUTRINO_ENERGY_KEV:
        raise ValueError(f"E_nu_keV = {E:g} keV is outside the valid range (0, "
                         f"{MAX_NEUTRINO_ENERGY_KEV:g}] keV")
    return E


def kinematically_allowed(E_nu_keV: float, T_keV, neutrino_mass_keV: float = 0.0) -> np.ndarray:
    """Mask of the energy transfers with a neutrino left over: ``0 < T < E_nu - m_nu``
    (:func:`momentum_transfer_range_keV` is not ``None``); elsewhere dσ/dT = 0."""
    T = np.asarray(T_keV, float)
    return (T > 0) & (T < float(E_nu_keV) - float(neutrino_mass_keV))


def _require_mass_for_millicharge(process_key: str, nu: NeutrinoProperties) -> None:
    uses_charge = process_key == "millicharge" or (process_key == "total" and nu.delta_q != 0.0)
    if uses_charge and not nu.mass_keV > 0:
        raise ValueError("neutrino mass_keV must be > 0 for a millicharge: the photon propagator "
                         "makes the forward (q^2 -> 0) region diverge logarithmically without it")


def dsigma_dT(process: str, E_nu_keV: float, T_keV, response, neutrino="nuebar", *,
              approximation: str = "none") -> np.ndarray:
    """dσ/dT (cm²/keV per atom, or per ``response``) for neutrino energy ``E_nu_keV``.

    Parameters
    ----------
    process : {'weak', 'nmm', 'millicharge', 'charge-radius', 'total'}
        ``weak``: Z/W exchange with the charge-radius shift and NSI couplings;
        ``nmm``: magnetic moment alone; ``millicharge``/``charge-radius``: the photon term of
        :math:`F_1 = \\delta_Q` / :math:`q^2\\langle r^2\\rangle/6` alone; ``total``: every
        amplitude with interference plus the magnetic term.
    E_nu_keV : float
        Neutrino energy (keV, > 0).
    T_keV : array_like
        Energy transfers (keV); 0 where outside the kinematic range.
    response : TableResponse or FreeElectronResponse (or any provider, see module doc)
    neutrino : NeutrinoProperties or str
        Flavour, couplings, EM properties (μ_ν in μ_B, δ_Q in e, ⟨r²⟩ in cm²) and mass
        (:class:`~nuatom.neutrino.properties.NeutrinoProperties`; its ``mass_keV`` must be
        > 0 when a millicharge enters), or a flavour name for a Standard-Model neutrino.
    approximation : {'none', 'LPA', 'EPA'}
    """
    key = choice("process", process, PROCESSES)
    nu = NeutrinoProperties.of(neutrino)
    appr, E, T_arr = _validated(approximation, E_nu_keV, T_keV)
    _require_mass_for_millicharge(key, nu)
    # one q-integration for every process: the coupling integrals, combined with the
    # couplings of this process (exact: dσ/dT is quadratic in c_V(q) = a + b/q^2, c_A, μ_ν)
    integrals = coupling_integrals(E, T_arr, response, neutrino_mass_keV=nu.mass_keV,
                                   approximation=appr)
    return dsigma_from_integrals(integrals, key, nu)


# ---------------------------------------------------------------------- coupling integrals
#: The seven q-integrals from which dσ/dT follows for any flavour, NSI couplings, μ_ν, δ_Q
#: and ⟨r²⟩ (see :func:`coupling_integrals`).
INTEGRAL_NAMES = ("VV0", "VV1", "VV2", "AA", "X0", "X1", "M")


def coupling_integrals(E_nu_keV: float, T_keV, response, *,
                       neutrino_mass_keV: float = DEFAULT_NEUTRINO_MASS_KEV,
                       approximation: str = "none") -> dict:
    """The q-integrals :math:`I_k(E_\\nu, T)` (cm²/keV, per atom) behind every process.

    With :math:`c_V(q) = a + b/q^2` (:math:`a = g_V + \\delta g_V^{(r^2)}`,
    :math:`b = 2\\sqrt2\\pi\\alpha\\delta_Q/G_F`, :math:`q^2 = T^2 - q_3^2`) and :math:`c_A`,

    .. math::
        \\frac{d\\sigma}{dT} = a^2 I_{VV0} + 2ab\\,I_{VV1} + b^2 I_{VV2} + c_A^2 I_{AA}
        + a c_A I_{X0} + b c_A I_{X1} + \\mu_\\nu^2 I_M,

    where :math:`I_{VVn} = \\frac{G_F^2}{2}\\frac{1}{8\\pi E^2}\\int q\\,dq\\,q^{-2n}\\,w\\cdot V`,
    and so on (``M``: the magnetic integral per μ_B²). Tables of these integrals
    (:func:`dsigma_from_integrals`) serve every flavour and parameter without recomputing
    the q-integration. ``neutrino_mass_keV = 0`` leaves :math:`I_{VV2}` (millicharge
    squared) ill-defined (it diverges logarithmically); it is returned as ``inf`` then.
    """
    appr, E, T_arr = _validated(approximation, E_nu_keV, T_keV)
    m_nu = finite_scalar("neutrino_mass_keV", neutrino_mass_keV, "keV")
    if m_nu < 0:
        raise ValueError(f"neutrino_mass_keV = {m_nu:g} keV outside the valid range [0, inf)")
    out = {k: np.zeros(T_arr.shape) for k in INTEGRAL_NAMES}
    weak_norm = u.GF_KEV**2 / 2.0
    for idx, T in np.ndenumerate(T_arr):
        rng = momentum_transfer_range_keV(E, T, m_nu)
        if rng is None:
            continue
        q_lo, q_hi, spacelike_lo = rng
        q, dqw, parts, spacelike = response.quadrature(T, q_lo, q_hi, appr, spacelike_lo)
        if parts is None or q.size == 0:
            continue
        norm = dqw * q / (8.0 * math.pi * E * E) * u.HBARC_KEV_CM_SQ
        q2 = -spacelike
        lw = lepton_weights(E, T, q, spacelike)
        V = _contract(lw, parts["V"]) * weak_norm * norm
        A = _contract(lw, parts["A"]) * weak_norm * norm
        X = _contract(lw, parts["X"]) * weak_norm * norm
        out["VV0"][idx] = np.sum(V)
        out["VV1"][idx] = np.sum(V / q2)
        out["VV2"][idx] = np.sum(V / (q2 * q2)) if m_nu > 0 else np.inf
        out["AA"][idx] = np.sum(A)
        out["X0"][idx] = np.sum(X)
        out["X1"][idx] = np.sum(X / q2)
        g_per_muB = math.sqrt(4.0 * math.pi * u.ALPHA) * u.MU_B_KEV / q2
        out["M"][idx] = np.sum(g_per_muB**2 * _contract(magnetic_weights(E, T, q, spacelike), parts["V"]) * norm)
    return out


def dsigma_from_integrals(integrals: dict, process: str, neutrino="nuebar"):
    """dσ/dT (cm²/keV) from :func:`coupling_integrals` (same processes as :func:`dsigma_dT`)."""
    key = choice("process", process, PROCESSES)
    nu = NeutrinoProperties.of(neutrino)
    c = nu.couplings
    mu = nu.mu_nu_muB
    dgv_r2 = free.charge_radius_delta_gV(nu.r2_cm2)
    b_full = 2.0 * math.sqrt(2.0) * math.pi * u.ALPHA * nu.delta_q / u.GF_KEV
    I = integrals
    if key == "nmm":
        return mu * mu * I["M"]
    if key == "weak":
        a, b, cA = c.g_V + dgv_r2, 0.0, c.g_A_signed
    elif key == "millicharge":
        a, b, cA = 0.0, b_full, 0.0
    elif key == "charge-radius":
        a, b, cA = dgv_r2, 0.0, 0.0
    else:
        a, b, cA = c.g_V + dgv_r2, b_full, c.g_A_signed
    total = a * a * I["VV0"] + a * cA * I["X0"] + cA * cA * I["AA"]
    if b != 0.0:
        total = total + 2.0 * a * b * I["VV1"] + b * b * I["VV2"] + b * cA * I["X1"]
    if key == "total" and mu != 0.0:
        total = total + mu * mu * I["M"]
    return total


# ---------------------------------------------------------------------- per-atom front end
METHODS = ("ab-initio", "dhf", "rpa", "fea", "epa", "lpa")


#: ``element`` (symbol in any case, or Z) as its symbol: the resolver of :mod:`nuatom.neutrino.fea`
#: (``ValueError`` naming the range 1..92).
_element_symbol = fea._element_key


def atomic_response(element: str, T_keV) -> TableResponse:
    """The frozen-core DHF response of ``element`` at ``T_keV``: the packaged reference
    table when every ``T`` is on its grid, else a table computed now on the reference
    momentum grid (disk-cached; about 10-60 s per energy on two cores for Xe)."""
    from nuatom.response import reference_q_grid_keV, reference_table, tabulate
    from nuatom.structure.atoms import atom as _atom

    T = np.atleast_1d(finite_nonnegative_array("T_keV", T_keV, "keV"))
    element = _element_symbol(element)
    try:
        ref = reference_table(element)
    except ValueError:
        ref = None
    if ref is not None and all(np.any(np.abs(ref.T_keV - t) <= 1e-9 * t) for t in T):
        return TableResponse(ref)
    T_pos = np.unique(T[T > 0])
    if T_pos.size == 0:
        T_pos = np.array([1.0])
    continuum_energy("T_keV", T_pos, "keV")
    return TableResponse(tabulate(_atom(element), T_pos, reference_q_grid_keV()).summed())


# ---------------------------------------------------------------------- off the table's T grid
_REFERENCE_RESPONSES: dict = {}
#: Fewest table nodes between two thresholds for :func:`interpolated_coupling_integrals` to
#: interpolate there: the cubic needs four. The reference tables hold at least four in every
#: such interval (``benchmarks/make_response_tables.py``). The earlier tables held two or
#: three between close thresholds (Ge 140-202 eV, 1.26-1.45 keV), where linear or quadratic
#: interpolation in ln T missed the exact Ge values by up to 3 % (weak) and 5 % (millicharge).
MIN_INTERPOLATION_NODES = 4
#: Documented relative error bound of the interpolated dσ/dT per process. The default of
#: :func:`ionization_dsigma_dT` interpolates only in the intervals between thresholds where
#: ``benchmarks/bench_xsec_interpolation.py validate`` measured the error below these at
#: every interval midpoint and every point between the last node and the next threshold
#: (E_ν = 1 and 10 MeV): weak and magnetic 1e-2 (largest measured in a validated interval:
#: Ge 7.4e-3, 6.3e-3), millicharge 5e-2 (Ge 2.9e-2, just above the K edge); the photon terms of
#: the charge radius and the sum of all processes take the bound of their worst part.
INTERPOLATION_ERROR = {"weak": 1e-2, "nmm": 1e-2, "millicharge": 5e-2, "charge-radius": 1e-2, "total": 5e-2}


def reference_response(element: str) -> TableResponse | None:
    """:class:`TableResponse` of the packaged reference table of ``element`` (kept for the
    session, with its q-splines), or ``None`` if none is packaged."""
    from nuatom.response import reference_table

    element = _element_symbol(element)
    if element not in _REFERENCE_RESPONSES:
        try:
            _REFERENCE_RESPONSES[element] = TableResponse(reference_table(element))
        except ValueError:
            _REFERENCE_RESPONSES[element] = None
    return _REFERENCE_RESPONSES[element]


def table_thresholds_keV(table) -> np.ndarray:
    """Sorted subshell thresholds (keV) of a response table: the Koopmans binding energies
    of its subshells (of the subshells summed into it, for a summed table)."""
    summed = table.metadata.get("summed_subshells")
    if summed:
        return np.array(sorted(float(v["binding_keV"]) for v in summed.values()))
    return np.sort(np.asarray(table.binding_keV, float))


def _signed_log(values: np.ndarray):
    """``(transformed, back)``: the logarithm of a one-signed array (power laws become
    straight lines), the values themselves if they change sign or vanish."""
    if np.all(values > 0):
        return np.log(values), np.exp
    if np.all(values < 0):
        return np.log(-values), lambda y: -np.exp(y)
    return values, lambda y: y


#: :func:`interpolation_limit_keV`: the top of the momentum range must lie this factor above
#: the free-electron Bethe ridge.
RIDGE_MARGIN = 1.5


def interpolation_limit_keV(E_nu_keV: float, neutrino_mass_keV: float = 0.0) -> float:
    """Largest energy transfer (keV) below which dσ/dT is interpolated in T at ``E_nu_keV``.

    The integrals vary smoothly with T only while the whole Bethe ridge
    :math:`q_* = \\sqrt{2m_eT + T^2}` lies inside the momentum range, below
    :math:`q_{hi} \\simeq 2E_\\nu - T`; where the ridge crosses :math:`q_{hi}` (near the
    free-electron :math:`T_{max}`) and beyond it the cross section falls steeply with T, and
    near the kinematic endpoint it vanishes like a power of :math:`E_\\nu - m_\\nu - T`.
    The limit is the smaller of :math:`E_\\nu - m_\\nu` and the root of
    :math:`2E_\\nu - T = \\text{RIDGE\\_MARGIN}\\,q_*(T)`. Measured without the limit (Ge,
    ``benchmarks/bench_xsec_interpolation.py``): E_ν = 100 keV, T = 27 keV (ridge at the edge
    of the range) 9 % (weak), 13 % (magnetic); E_ν = 20 keV above 12 keV, 4-6 %.
    E_ν = 1 MeV: the limit is 570 keV, above every table.
    """
    E = float(E_nu_keV)
    b = 4.0 * E + 2.0 * RIDGE_MARGIN**2 * u.ME_KEV
    a = RIDGE_MARGIN**2 - 1.0
    ridge = (-b + math.sqrt(b * b + 16.0 * a * E * E)) / (2.0 * a)
    return min(ridge, E - float(neutrino_mass_keV))


@functools.lru_cache(maxsize=1)
def _interpolation_validation() -> dict:
    """``{element: entry}`` of ``nuatom/data/response/interpolation_validation.json`` (read once)."""
    path = pathlib.Path(__file__).resolve().parents[1] / "data" / "response" / "interpolation_validation.json"
    return json.loads(path.read_text()).get("elements", {}) if path.exists() else {}


def validated_segments(element: str, table) -> np.ndarray | None:
    """Which intervals between consecutive thresholds of ``element``'s reference ``table``
    passed the interpolation benchmark (bool per interval, in the order of
    :func:`table_thresholds_keV`), from ``nuatom/data/response/interpolation_validation.json``
    (written by ``benchmarks/bench_xsec_interpolation.py validate``); ``None`` if the file
    has no entry for ``element`` (:func:`ionization_dsigma_dT` then interpolates nowhere)."""
    entry = _interpolation_validation().get(_element_symbol(element))
    if entry is None:
        return None
    cuts = table_thresholds_keV(table)
    edges = np.concatenate([[0.0], cuts, [np.inf]])
    ok = np.zeros(cuts.size + 1, bool)
    for seg in entry["segments"]:
        lo = float(seg["lo_keV"])
        i = int(np.argmin(np.abs(edges[:-1] - lo)))
        if abs(edges[i] - lo) <= 1e-9 * max(lo, 1e-12) and seg["validated"]:
            ok[i] = True
    return ok


def interpolated_coupling_integrals(response: TableResponse, E_nu_keV: float, T_keV, *,
                                    neutrino_mass_keV: float = DEFAULT_NEUTRINO_MASS_KEV,
                                    approximation: str = "none", segments_ok=None):
    """:func:`coupling_integrals` at energy transfers off the T grid of ``response``'s table,
    interpolated between its nodes; returns ``(integrals, computed)`` where ``computed`` is
    the mask of the ``T_keV`` that could not be interpolated (their integrals are 0 here).

    The integrals are computed exactly (q-integration at ``E_nu_keV``) at the table's own
    nodes, and interpolated in :math:`\\ln T` by a cubic spline (not-a-knot) through the
    logarithm of each one-signed integral. The spline never crosses a subshell threshold:
    the T axis is cut at every threshold of the table (:func:`table_thresholds_keV`) and
    each T uses only the nodes between the same two thresholds (the response jumps at a
    threshold). Above the last node of such a segment, up to the next threshold, the end
    cubic is continued.

    ``segments_ok`` (bool per interval between consecutive thresholds, e.g. from
    :func:`validated_segments`): only those intervals are interpolated.

    Left to the caller (``computed``): T outside the table's range; T in an interval that
    ``segments_ok`` excludes; T between a threshold
    and the first node above it (the onset of the new subshell, 2 % wide); T in a segment with
    fewer than :data:`MIN_INTERPOLATION_NODES` usable nodes, or whose nodes fail the
    leave-one-out check (:data:`LEAVE_ONE_OUT_TOLERANCE`: an unresolved narrow feature, such
    as the frozen-core Xe 4d and 3d shape resonances); T at or above
    :func:`interpolation_limit_keV` (the Bethe ridge leaving the momentum range, and the
    kinematic endpoint); and T above the last usable node of the segment that holds that
    limit. Nodes at or above the limit are not used. Accuracy:
    ``benchmarks/bench_xsec_interpolation.py`` and :data:`INTERPOLATION_ERROR`.
    """
    appr, E, T = _validated(approximation, E_nu_keV, T_keV)
    m_nu = finite_scalar("neutrino_mass_keV", neutrino_mass_keV, "keV")
    nodes = response.table.T_keV
    cuts = table_thresholds_keV(response.table)
    segment_of_node = np.searchsorted(cuts, nodes)
    T_limit = interpolation_limit_keV(E, m_nu)
    usable = nodes < T_limit
    out = {k: np.zeros(T.shape) for k in INTEGRAL_NAMES}
    computed = np.zeros(T.shape, bool)
    inside = (T >= nodes[0]) & (T <= nodes[-1])
    computed[~inside] = True
    allowed = kinematically_allowed(E, T, m_nu)
    computed |= allowed & (T >= T_limit)
    allowed &= T < T_limit
    segment_of_T = np.searchsorted(cuts, T)
    for seg in np.unique(segment_of_T[inside & allowed]):
        here = inside & allowed & (segment_of_T == seg)
        idx = np.flatnonzero((segment_of_node == seg) & usable)
        if idx.size < MIN_INTERPOLATION_NODES or (segments_ok is not None and not segments_ok[seg]):
            computed |= here
            continue
        # between the threshold and the first node above it (2 % in the reference tables)
        # the new subshell's onset is not sampled: computed
        onset = here & (T < nodes[idx[0]])
        computed |= onset
        here &= ~onset
        upper_threshold = cuts[seg] if seg < cuts.size else np.inf
        if T_limit < upper_threshold:  # the interpolation limit lies in this segment
            beyond = here & (T > nodes[idx[-1]])
            computed |= beyond
            here &= ~beyond
            if not np.any(here):
                continue
        at_nodes = coupling_integrals(E, nodes[idx], response, neutrino_mass_keV=m_nu,
                                      approximation=appr)
        x = np.log(nodes[idx])
        curves = {}
        for name, values in at_nodes.items():
            if np.all(np.isfinite(values)):
                curves[name] = _signed_log(values)
        if _leave_one_out_error(x, curves) > LEAVE_ONE_OUT_TOLERANCE:
            computed |= here  # a narrow feature between the nodes: the spline cannot follow it
            continue
        for name, values in at_nodes.items():
            if name not in curves:
                out[name][here] = values[0]  # inf (massless millicharge) stays inf
                continue
            y, back = curves[name]
            out[name][here] = back(CubicSpline(x, y)(np.log(T[here])))
    return out, computed


#: :func:`interpolated_coupling_integrals` interpolates in an interval between thresholds
#: only if the spline through all but one of its nodes predicts each interior node within
#: this (relative, largest over the integrals). At twice the node spacing this check errs
#: far more than the interpolation itself: in smooth stretches it stays below 0.1 (Ge, Xe,
#: E_ν = 1 MeV), while the frozen-core shape resonances that the 12-per-decade grid does not
#: resolve (Xe 4d -> εf at 75-100 eV, 3d -> εf at 0.70-0.72 keV) give 0.8-20; there the
#: energy transfers are computed.
LEAVE_ONE_OUT_TOLERANCE = 0.2


def _leave_one_out_error(x: np.ndarray, curves: dict) -> float:
    """Largest relative error of the spline through all nodes but one at that node, over the
    interior nodes and the integrals (``curves``: ``{name: (transformed values, back)}``)."""
    worst = 0.0
    for k in range(1, x.size - 1):
        rest = np.delete(np.arange(x.size), k)
        for y, back in curves.values():
            predicted, actual = back(CubicSpline(x[rest], y[rest])(x[k])), back(y[k])
            if actual != 0:
                worst = max(worst, abs(predicted / actual - 1))
    return worst


def ionization_dsigma_dT(element: str, process: str, E_nu_keV: float, T_keV, neutrino="nuebar", *,
                         method: str = "ab-initio", fea_binding: str = "edges",
                         exact: bool = False) -> np.ndarray:
    """dσ/dT per atom (cm²/keV) of ``element`` by ``method`` — the API behind ``nuatom dsigma``.

    Parameters
    ----------
    element : str or int
        Element symbol or Z, 1..92. Packaged reference tables: Ge, Xe, Cs, I; any other
        element computes its DHF response at every ``T_keV`` (seconds to minutes each).
    process : {'weak', 'nmm', 'millicharge', 'charge-radius', 'total'}
    E_nu_keV : float
        Neutrino energy (keV).
    T_keV : array_like
        Energy transfers (keV).
    neutrino : NeutrinoProperties or str
        As in :func:`dsigma_dT`.
    method : {'ab-initio', 'dhf', 'rpa', 'fea', 'epa', 'lpa'}
        Frozen-core DHF response ('ab-initio' and 'dhf' are one method), the RRPA response
        ('rpa': only at the energy transfers of the packaged RPA response columns,
        :func:`rpa_column_energies_keV`, Ge and Xe; any other kinematically allowed T raises
        ``ValueError``), the free-electron approximation (:mod:`nuatom.neutrino.fea`,
        thresholds from ``fea_binding``), or the equivalent-/longitudinal-photon
        approximations applied to the DHF response.
    fea_binding : {'edges', 'dhf'}
        FEA thresholds: measured X-ray edges or DHF Koopmans energies.
    exact : bool
        ``False`` (default): where a packaged reference table exists (Ge, Xe, Cs, I; methods
        'ab-initio', 'epa', 'lpa'), the q-integrals are computed at the table's energy
        transfers and interpolated between them (:func:`interpolated_coupling_integrals`:
        never across a subshell threshold); the energy transfers it cannot interpolate
        (outside the table's range, 4-14 eV to 30 keV, between a threshold and the first node
        above it, next to the kinematic endpoint, and in intervals the benchmark did not
        validate: Xe, Cs and I mostly below about 1 keV, where frozen-core shape resonances
        are narrower than the node spacing) are computed. At the table's nodes the
        result is the table's. Off them, measured against the exact computation
        (``benchmarks/bench_xsec_interpolation.py``): see ``INTERPOLATION_ERROR``.
        ``True``: the response is computed at every ``T_keV`` off the table's grid
        (disk-cached; 1-30 s per energy transfer on two cores).
    """
    key = choice("method", method, METHODS)
    if not isinstance(exact, (bool, np.bool_)):
        raise ValueError(f"exact = {exact!r} is not a bool (valid: True or False)")
    proc = choice("process", process, PROCESSES)
    nu = NeutrinoProperties.of(neutrino)
    choice("fea_binding", fea_binding, ("edges", "dhf"))
    element = _element_symbol(element)
    E = _neutrino_energy(E_nu_keV)
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    if key == "fea":
        if proc == "charge-radius":
            E = finite_scalar("E_nu_keV", E_nu_keV, "keV")
            per_e = free.dsigma_dT_vector_axial(E, T, free.charge_radius_delta_gV(nu.r2_cm2), 0.0)
            return fea.effective_electrons(element, T, fea_binding) * per_e
        if nu.has_nsi:
            raise ValueError("method = 'fea' takes no NSI overrides (g_V, g_A); use 'ab-initio'")
        return fea.dsigma_dT_fea(element, proc, E_nu_keV, T, nu, binding=fea_binding)
    approximation = {"ab-initio": "none", "dhf": "none", "rpa": "none", "epa": "EPA", "lpa": "LPA"}[key]
    if proc == "millicharge" or (proc == "total" and nu.delta_q != 0.0):
        if not nu.mass_keV > 0:  # checked before any response is computed
            raise ValueError("neutrino mass_keV = 0 is outside the valid range (0, inf) keV for a "
                             "millicharge: the forward (q^2 -> 0) region diverges without it")
    # energy transfers outside the kinematic range give 0 at once: they never reach the
    # response engine (T = 1e9 keV at E_nu = 1 MeV once asked it for a 341 GiB grid)
    ok = kinematically_allowed(E, T, nu.mass_keV)
    out = np.zeros(T.shape)
    if not np.any(ok):
        return out
    T_in = T[ok]
    if key == "rpa":
        # the columns are exact at their energy transfers; `exact` has nothing to add there
        out[ok] = rpa_columns_provider(element, proc, E, T_in, nu)
        return out
    table = None if exact else reference_response(element)
    if table is None:
        continuum_energy("T_keV", T_in, "keV")  # memory budget of the continuum grids
        out[ok] = dsigma_dT(proc, E, T_in, atomic_response(element, T_in), nu, approximation=approximation)
        return out
    segments_ok = validated_segments(element, table.table)
    if segments_ok is None:  # a table the benchmark never measured: compute, do not trust
        segments_ok = np.zeros(table_thresholds_keV(table.table).size + 1, bool)
    integrals, computed = interpolated_coupling_integrals(
        table, E, T_in, neutrino_mass_keV=nu.mass_keV, approximation=approximation,
        segments_ok=segments_ok)
    values = dsigma_from_integrals(integrals, proc, nu)
    if np.any(computed):
        T_now = T_in[computed]
        continuum_energy("T_keV", T_now, "keV")
        values[computed] = dsigma_dT(proc, E, T_now, atomic_response(element, T_now), nu,
                                     approximation=approximation)
    out[ok] = values
    return out


# ---------------------------------------------------------------------- exported tables
def _broadcast_E_T(E_nu_keV, T_keV):
    E = finite_nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    try:
        return np.broadcast_arrays(E, T)
    except ValueError:
        raise ValueError(f"E_nu_keV and T_keV have shapes {E.shape} and {T.shape} that do not "
                         "broadcast; the valid range is arrays of one shape or scalars") from None


_XSEC_DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "xsec"


def packaged_elements() -> list[str]:
    """Elements with a packaged :class:`IonizationTable` (``nuatom/data/xsec/<El>_integrals.npz``)."""
    return sorted(p.name.split("_")[0] for p in _XSEC_DATA.glob("*_integrals.npz"))


#: Highest photon energy (keV) of the Elam photoabsorption tables that xraydb trusts; above
#: it :func:`photon_term_excess_scale` uses the high-energy form of the photoeffect,
#: σ_γ ∝ 1/ω (Sauter), i.e. a constant :math:`\\omega\\sigma_\\gamma`.
ELAM_MAX_KEV = 800.0
#: Lowest photon energy (keV) of the Elam tables that xraydb trusts ("unreliable for
#: energies < 100 eV").
ELAM_MIN_KEV = 0.1


def photon_term_excess_scale(element: str, T_keV) -> np.ndarray:
    """:math:`T\\,\\mu_{\\rm photo}(T)` (keV cm²/g) of ``element``: the T-dependence of the
    excess of the millicharge photon term over the FEA in the equivalent-photon picture
    (:math:`d\\sigma/dT - d\\sigma_{\\rm FEA}/dT \\propto \\sigma_\\gamma(T)/T`, divided by the
    FEA's :math:`1/T^2`). Photoelectric mass attenuation from the Elam, Ravel & Sieber
    tables (xraydb), measured data; only ratios of it are used, so the unit cancels."""
    import xraydb

    T = np.minimum(np.asarray(T_keV, float), ELAM_MAX_KEV)
    flat = np.unique(T.ravel())
    mu = np.asarray(xraydb.mu_elam(element, flat * 1e3, kind="photo"), float).reshape(flat.shape)
    return T * mu[np.searchsorted(flat, T)]


class IonizationTable:
    """Packaged coupling integrals (:func:`coupling_integrals`) of one element on a dense
    (E_ν, T) grid, for methods 'ab-initio', 'epa' and 'lpa'; interpolation gives dσ/dT for
    any flavour, parameters and (E_ν, T) — what rate integrals over neutrino spectra need.

    Interpolation: linear in :math:`\\ln E_\\nu` at the table's T nodes, then linear in
    :math:`\\ln T` of :math:`I/n(T)`, times :math:`n(T)`, where :math:`n(T)` counts the
    electrons with DHF Koopmans binding below T (the FEA step function with the thresholds
    of the ab initio response). The steps of the response at each threshold thus stay at
    their place; between a threshold and the next T node (2 % above it) the onset is
    approximated by a step. Outside the E grid: 0 below, constant above (dσ/dT becomes
    independent of E_ν for E_ν ≫ T). Below the T grid: 0. Above it (:meth:`dsigma_dT`
    only): the FEA with DHF thresholds times an atomic correction taken separately for
    each part of the cross section (see :meth:`_continuation`). The weak and magnetic
    parts, and the interference of the photon and weak amplitudes, keep their ratio
    ab-initio/FEA of the last T node (within 0.7 % of 1 at 30 keV for Ge, Xe, Cs and I).
    The millicharge photon term, whose excess over the FEA is the equivalent-photon
    (photoabsorption) part, has its excess scaled by :math:`T\\sigma_\\gamma(T)`
    (:func:`photon_term_excess_scale`).
    """

    def __init__(self, element: str, E_nu_keV, T_keV, integrals: dict, metadata: dict):
        self.element = element
        self.E_nu_keV = np.asarray(E_nu_keV, float)
        self.T_keV = np.asarray(T_keV, float)
        self.integrals = integrals
        self.metadata = metadata
        self._fea = fea
        self._n_nodes = fea.effective_electrons(element, self.T_keV, binding="dhf")

    @classmethod
    def load(cls, element: str) -> "IonizationTable":
        """The packaged table of ``element`` (Ge, Xe, Cs, I: :func:`packaged_elements`);
        ``ValueError`` if there is none."""
        key = _element_symbol(element)
        path = _XSEC_DATA / f"{key}_integrals.npz"
        if not path.exists():
            raise ValueError(f"element = {element!r}: no packaged ionization table "
                             f"(one of {', '.join(packaged_elements())})")
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["metadata"]))
            integrals = {m: {n: data[f"{m}__{n}"] for n in INTEGRAL_NAMES} for m in meta["methods"]}
            return cls(key, data["E_nu_keV"], data["T_keV"], integrals, meta)

    def interpolate(self, E_nu_keV, T_keV, method: str = "ab-initio") -> dict:
        """Coupling integrals at broadcast ``(E_nu_keV, T_keV)`` (cm²/keV)."""
        if method not in self.integrals:
            raise ValueError(f"method = {method!r} is not one of {sorted(self.integrals)}")
        E, T = _broadcast_E_T(E_nu_keV, T_keV)
        lnE_grid = np.log(self.E_nu_keV)
        lnT_grid = np.log(self.T_keV)
        lnE = np.log(np.clip(E, self.E_nu_keV[0], self.E_nu_keV[-1]))
        iE = np.clip(np.searchsorted(lnE_grid, lnE) - 1, 0, lnE_grid.size - 2)
        fE = (lnE - lnE_grid[iE]) / (lnE_grid[iE + 1] - lnE_grid[iE])
        inside_T = (T >= self.T_keV[0]) & (T <= self.T_keV[-1])
        lnT = np.log(np.clip(T, self.T_keV[0], self.T_keV[-1]))
        iT = np.clip(np.searchsorted(lnT_grid, lnT) - 1, 0, lnT_grid.size - 2)
        fT = (lnT - lnT_grid[iT]) / (lnT_grid[iT + 1] - lnT_grid[iT])
        n_here = self._fea.effective_electrons(self.element, np.where(inside_T, T, 1.0), binding="dhf")
        keep = inside_T & (E >= self.E_nu_keV[0])
        out = {}
        for name, arr in self.integrals[method].items():
            per = arr / np.where(self._n_nodes > 0, self._n_nodes, 1.0)[None, :]

            def at(jT):
                return (1 - fE) * per[iE, jT] + fE * per[iE + 1, jT]

            val = ((1 - fT) * at(iT) + fT * at(iT + 1)) * n_here
            out[name] = np.where(keep, val, 0.0)
        return out

    def dsigma_dT(self, process: str, E_nu_keV, T_keV, neutrino="nuebar", *,
                  method: str = "ab-initio") -> np.ndarray:
        """dσ/dT (cm²/keV per atom) interpolated from the table for ``neutrino``
        (:class:`~nuatom.neutrino.properties.NeutrinoProperties` or a flavour name)."""
        nu = NeutrinoProperties.of(neutrino)
        E, T = _broadcast_E_T(E_nu_keV, T_keV)
        out = dsigma_from_integrals(self.interpolate(E, T, method), process, nu)
        above = T > self.T_keV[-1]
        if np.any(above):
            out = np.where(above, self._continuation(process, E, T, nu, method), out)
        # outside the kinematics (no neutrino left over) the cross section is 0: the
        # interpolation in E_nu between table nodes would otherwise leak across T = E_nu
        return np.where((T > 0) & (T < E - nu.mass_keV), out, 0.0)

    def _continuation(self, process, E, T, nu, method):
        """Above the last T node: each separately scaling part of dσ/dT is the FEA (DHF
        thresholds) times its own atomic correction. One ratio for the sum would be wrong
        wherever the mix of parts changes with T: the magnetic term (∝ 1/T) is a larger
        share of the total at 30 keV than at MeV energies, so the ratio of the total at
        30 keV, carried to the MeV window of a CsI detector, leaked a few 1e-4 of the weak
        rate into the magnetic signal (the TEXONO CsI μ_ν bound came out 22 % weaker than
        FEA, its δ_Q bound 12 times stronger).

        The weak, magnetic and interference parts keep the ratio of the last node. The
        millicharge photon term does not: its ratio is 1.4-1.6 at 30 keV and falls about
        as :math:`T^{-1.7}` between edges, because its excess over the FEA is the
        equivalent-photon part, :math:`\\propto\\sigma_\\gamma(T)/T` against the FEA's
        :math:`1/T^2`. Frozen, it overstated the binding at MeV transfers (the TEXONO CsI
        δ_Q bound 0.84 of the FEA's). Its excess ``ratio - 1`` is carried from the last
        node by :math:`T\\sigma_\\gamma(T)` (:func:`photon_term_excess_scale`), which
        follows the edges above the table (the K edges of Cs and I, 36.0 and 33.2 keV).
        Checked by cutting the tables below an edge and continuing them
        (``tests/neutrino/test_xsec_continuation.py``): the excess is predicted within
        25 % across Ge's K edge, within 14 % over a decade without an edge (Xe), and within
        26 % across the L edges of Xe, Cs and I (tables cut at 4.5 keV), except at single
        nodes within 0.1 keV of an edge (up to 49 %: the measured edges of σ_γ and the DHF
        thresholds of the FEA sit at slightly different T)."""
        T_last = np.full(E.shape, self.T_keV[-1])
        integrals_last = self.interpolate(E, T_last, method)

        def scaled(part, neutrino):
            ab_last = dsigma_from_integrals(integrals_last, part, neutrino)
            fea_last = self._fea_dhf(part, E, T_last, neutrino)
            ratio = np.divide(ab_last, fea_last, out=np.ones_like(ab_last), where=fea_last != 0)
            if part == "millicharge":
                # only T above the table is used (the caller selects it): keep the Elam
                # lookup inside its range
                scale = (photon_term_excess_scale(self.element, np.maximum(T, T_last))
                         / photon_term_excess_scale(self.element, T_last))
                ratio = 1.0 + (ratio - 1.0) * scale
            return self._fea_dhf(part, E, T, neutrino) * ratio

        if process != "total":
            return scaled(process, nu)
        out = scaled("weak", nu)
        if nu.mu_nu_muB != 0.0:
            out = out + scaled("nmm", nu)
        if nu.delta_q != 0.0:
            out = out + scaled("millicharge", nu)
            # the interference of the photon and weak amplitudes, linear in δ_Q: the odd part
            flip = nu.replace(delta_q=-nu.delta_q)
            ab_last = 0.5 * (dsigma_from_integrals(integrals_last, "total", nu)
                             - dsigma_from_integrals(integrals_last, "total", flip))
            fea_last = 0.5 * (self._fea_dhf("total", E, T_last, nu) - self._fea_dhf("total", E, T_last, flip))
            ratio = np.divide(ab_last, fea_last, out=np.ones_like(ab_last), where=fea_last != 0)
            out = out + 0.5 * (self._fea_dhf("total", E, T, nu) - self._fea_dhf("total", E, T, flip)) * ratio
        return out

    def _fea_dhf(self, process, E, T, nu):
        if process == "charge-radius":
            per_e = free.dsigma_dT_vector_axial(E, T, free.charge_radius_delta_gV(nu.r2_cm2), 0.0)
            return self._fea.effective_electrons(self.element, T, "dhf") * per_e
        # the FEA continuation above the table has Standard-Model couplings: the NSI part of
        # the atomic correction is carried by the ratio at the last node
        return self._fea.dsigma_dT_fea(self.element, process, E, T, nu.replace(g_V=None, g_A=None),
                                       binding="dhf")


_TABLES: dict = {}


def table_provider(element: str, process: str, E_nu_keV, T_keV, neutrino="nuebar"):
    """Ab initio dσ/dT per atom from the packaged :class:`IonizationTable` — the provider
    registered as method ``"ab-initio"`` in :mod:`nuatom.experiments.sensitivity`."""
    key = str(element).strip().lower()
    if key not in _TABLES:
        _TABLES[key] = IonizationTable.load(element)
    return _TABLES[key].dsigma_dT(process, E_nu_keV, T_keV, neutrino)


_RPA_RESPONSES: dict = {}


def rpa_columns_response(element: str) -> TableResponse:
    """:class:`TableResponse` of the packaged RPA response columns of ``element`` (Ge, Xe),
    kept for the session (:func:`nuatom.response.rpa_reference_columns`)."""
    from nuatom.response import rpa_reference_columns

    element = _element_symbol(element)
    if element not in _RPA_RESPONSES:
        _RPA_RESPONSES[element] = TableResponse(rpa_reference_columns(element))
    return _RPA_RESPONSES[element]


def rpa_column_energies_keV(element: str) -> np.ndarray:
    """Energy transfers (keV) at which RPA cross sections of ``element`` exist (its packaged
    RPA response columns); raises ``ValueError`` if none are packaged."""
    return np.array(rpa_columns_response(element).table.T_keV, dtype=float)


def rpa_columns_provider(element: str, process: str, E_nu_keV, T_keV, neutrino="nuebar"):
    """RPA dσ/dT per atom (cm²/keV) from the packaged RPA response columns — the provider
    registered as method ``"rpa"`` in :mod:`nuatom.experiments.sensitivity`.

    The columns exist at a few energy transfers only (:func:`rpa_column_energies_keV`), so
    every ``T_keV`` must be one of them (relative 1e-6); any other value raises
    ``ValueError`` rather than interpolate across T, which the RPA's resonances forbid.
    ``E_nu_keV`` and ``T_keV`` broadcast; the result has their common shape.
    """
    response = rpa_columns_response(element)
    columns = response.table.T_keV
    E, T = np.broadcast_arrays(np.asarray(E_nu_keV, dtype=float), np.asarray(T_keV, dtype=float))
    out = np.zeros(E.shape)
    for t in np.unique(T):
        j = int(np.argmin(np.abs(columns - t)))
        if not abs(columns[j] - t) <= 1e-6 * abs(t):
            raise ValueError(
                f"T_keV = {t:g} is not one of the energy transfers of the packaged RPA response "
                f"columns of {element} (valid: T_keV in {[round(float(c), 9) for c in columns]}, "
                "nuatom.response.rpa_reference_columns); RPA cross sections exist only there, use "
                "method 'dhf' elsewhere")
        at_t = T == t
        for e in np.unique(E[at_t]):
            sel = at_t & (E == e)
            out[sel] = _rpa_column_dsigma(element, process, float(e), float(columns[j]), neutrino)
    return out


def _rpa_column_dsigma(element: str, process: str, E_nu_keV: float, T_column_keV: float, neutrino) -> float:
    """dσ/dT at one RPA column: :func:`dsigma_dT` with the q-integrals kept per (E_ν, T,
    m_ν), since a rate evaluates the same integrals for every flavour, piece and moment."""
    key = choice("process", process, PROCESSES)
    nu = NeutrinoProperties.of(neutrino)
    _require_mass_for_millicharge(key, nu)
    integrals = _rpa_column_integrals(_element_symbol(element), E_nu_keV, T_column_keV, float(nu.mass_keV))
    return float(dsigma_from_integrals(integrals, key, nu)[0])


@functools.lru_cache(maxsize=1 << 16)
def _rpa_column_integrals(element: str, E_nu_keV: float, T_column_keV: float, neutrino_mass_keV: float) -> dict:
    integrals = coupling_integrals(E_nu_keV, np.array([T_column_keV]), rpa_columns_response(element),
                                   neutrino_mass_keV=neutrino_mass_keV)
    for v in integrals.values():
        v.flags.writeable = False      # shared by every later call
    return integrals
