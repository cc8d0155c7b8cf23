"""Electron configurations, relativistic subshells and the angular coefficients of the
average-of-configuration and two-CSF MCDF energy functionals.

Energy functionals are written in terms of radial Slater integrals,

.. math::
    E = \\sum_a w_a I(a) + \\sum_{a\\le b} f_{ab} F^0(a,b) + \\sum_{a\\le b}\\sum_k g^k_{ab} G^k(a,b),

with :math:`F^0(a,b) = R^0(ab;ab)`, :math:`G^k(a,b) = R^k(ab;ba)` (so
:math:`G^k(a,a) = F^k(a,a)`), ``I(a)`` the one-electron (kinetic + nuclear) energy, and
:math:`\\Gamma^k_{ab} = \\begin{pmatrix} j_a & k & j_b\\\\ \\tfrac12 & 0 & -\\tfrac12\\end{pmatrix}^2
\\pi(l_a + k + l_b)`.

Average of configuration (Slater; relativistic average over all determinants of each
non-relativistic shell :math:`nl^N`, i.e. GRASP's EOL over one configuration): every
relativistic subshell ``a`` of a shell with ``N`` electrons in ``G = 2(2l+1)`` states has
occupancy :math:`q_a = N g_a/G`, pairs in different shells interact with weight
:math:`q_aq_b`, and pairs inside one shell with weight :math:`s\\,q_aq_b`,
:math:`s = (N-1)G/(N(G-1))` (the probability that two given spin-orbitals are both occupied,
:math:`N(N-1)/(G(G-1))`, over :math:`(N/G)^2`). Closed shells have ``s = 1``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from nuatom.numerics.angular import wigner_3j

__all__ = ["Shell", "Subshell", "EnergyExpression", "parse_configuration", "configuration_label",
           "ground_configuration", "relativistic_subshells", "average_of_configuration",
           "two_csf_j2_zero", "gamma_k", "subshell_label", "ELEMENT_SYMBOLS"]

L_LETTERS = "spdfghik"

ELEMENT_SYMBOLS = (
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn "
    "Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe "
    "Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg "
    "Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U").split()

_NOBLE_CORES = {
    "He": "1s2", "Ne": "[He]2s2.2p6", "Ar": "[Ne]3s2.3p6", "Kr": "[Ar]3d10.4s2.4p6",
    "Xe": "[Kr]4d10.5s2.5p6", "Rn": "[Xe]4f14.5d10.6s2.6p6",
}

# Ground configurations of the neutral atoms, Z = 1..92, from the NIST Atomic Spectra
# Database (Kramida, Ralchenko, Reader et al., "Ground levels and ionization energies for
# the neutral atoms", NIST ASD :cite:`Kramida2023`): the Madelung (n + l, n) filling order
# reproduces every one of them except the anomalies listed here, each the NIST ground
# configuration written as core + valence.
_GROUND_EXCEPTIONS = {
    24: "[Ar]3d5.4s1", 29: "[Ar]3d10.4s1", 41: "[Kr]4d4.5s1", 42: "[Kr]4d5.5s1",
    44: "[Kr]4d7.5s1", 45: "[Kr]4d8.5s1", 46: "[Kr]4d10", 47: "[Kr]4d10.5s1",
    57: "[Xe]5d1.6s2", 58: "[Xe]4f1.5d1.6s2", 64: "[Xe]4f7.5d1.6s2",
    78: "[Xe]4f14.5d9.6s1", 79: "[Xe]4f14.5d10.6s1",
    89: "[Rn]6d1.7s2", 90: "[Rn]6d2.7s2", 91: "[Rn]5f2.6d1.7s2", 92: "[Rn]5f3.6d1.7s2",
}
_MADELUNG = ["1s", "2s", "2p", "3s", "3p", "4s", "3d", "4p", "5s", "4d", "5p", "6s", "4f",
             "5d", "6p", "7s", "5f", "6d"]


@dataclass(frozen=True)
class Shell:
    """Non-relativistic shell ``n l^N``."""

    n: int
    l: int
    electrons: int

    @property
    def capacity(self) -> int:
        return 2 * (2 * self.l + 1)

    @property
    def label(self) -> str:
        return f"{self.n}{L_LETTERS[self.l]}{self.electrons}"


@dataclass(frozen=True)
class Subshell:
    """Relativistic subshell ``n kappa`` with (possibly fractional) occupancy."""

    n: int
    kappa: int
    occupancy: float
    shell_index: int = 0

    @property
    def l(self) -> int:
        return self.kappa if self.kappa > 0 else -self.kappa - 1

    @property
    def two_j(self) -> int:
        return 2 * abs(self.kappa) - 1

    @property
    def capacity(self) -> int:
        return self.two_j + 1

    @property
    def label(self) -> str:
        return subshell_label(self.n, self.kappa)


def subshell_label(n: int, kappa: int) -> str:
    """``"4p_3/2"`` style label of the relativistic subshell ``(n, kappa)``."""
    l = kappa if kappa > 0 else -kappa - 1
    return f"{n}{L_LETTERS[l]}_{2 * abs(kappa) - 1}/2"


def parse_configuration(text: str) -> list[Shell]:
    """Parse ``"[Ar]3d10.4s2.4p2"`` (dots or spaces between shells) into shells."""
    text = text.strip()
    shells: list[Shell] = []
    m = re.match(r"\[(\w+)\]", text)
    if m:
        core = m.group(1)
        if core not in _NOBLE_CORES:
            raise ValueError(f"configuration core [{core}] is not one of {sorted(_NOBLE_CORES)}")
        shells.extend(parse_configuration(_NOBLE_CORES[core]))
        text = text[m.end():]
    for token in re.split(r"[.\s]+", text):
        if not token:
            continue
        mm = re.fullmatch(r"(\d+)([spdfg])(\d+)", token)
        if not mm:
            raise ValueError(f"cannot parse shell {token!r} in configuration {text!r}")
        n, l, N = int(mm.group(1)), L_LETTERS.index(mm.group(2)), int(mm.group(3))
        if l >= n:
            raise ValueError(f"shell {token!r}: l must be smaller than n")
        if not 0 < N <= 2 * (2 * l + 1):
            raise ValueError(f"shell {token!r}: occupancy must be 1..{2 * (2 * l + 1)}")
        if any(s.n == n and s.l == l for s in shells):
            raise ValueError(f"shell {n}{mm.group(2)} appears twice in the configuration")
        shells.append(Shell(n, l, N))
    return shells


def ground_configuration(Z: int) -> str:
    """Ground-state configuration string of the neutral element ``Z`` (1..92), NIST ASD."""
    if not 1 <= Z <= len(ELEMENT_SYMBOLS):
        raise ValueError(f"Z = {Z} outside the supported range 1..{len(ELEMENT_SYMBOLS)}")
    if Z in _GROUND_EXCEPTIONS:
        return _GROUND_EXCEPTIONS[Z]
    left, parts = Z, []
    for sh in _MADELUNG:
        l = L_LETTERS.index(sh[1])
        take = min(left, 2 * (2 * l + 1))
        if take:
            parts.append(f"{sh}{take}")
        left -= take
        if left == 0:
            break
    return ".".join(parts)


def configuration_label(shells: list[Shell]) -> str:
    """Standard notation, shells ordered by (n, l), the largest noble-gas core compressed:
    ``"[Ar]3d10.4s2.4p2"``."""
    ordered = sorted(shells, key=lambda s: (s.n, s.l))
    full = {(s.n, s.l) for s in ordered if s.electrons == s.capacity}
    core_name, core_set = "", set()
    for name, text in _NOBLE_CORES.items():
        cs = {(s.n, s.l) for s in parse_configuration(text)}
        if cs <= full and len(cs) > len(core_set) and len(cs) < len(ordered):
            core_name, core_set = name, cs
    rest = [s for s in ordered if (s.n, s.l) not in core_set]
    body = ".".join(f"{s.n}{L_LETTERS[s.l]}{s.electrons}" for s in rest)
    return f"[{core_name}]{body}" if core_name else body


def relativistic_subshells(shells: list[Shell]) -> list[Subshell]:
    """Split shells into ``j = l -/+ 1/2`` subshells with occupancies ``N g_a / G``."""
    out = []
    for i, sh in enumerate(shells):
        kappas = [-1] if sh.l == 0 else [sh.l, -(sh.l + 1)]
        for kappa in kappas:
            g = 2 * abs(kappa)
            out.append(Subshell(sh.n, kappa, sh.electrons * g / sh.capacity, i))
    return out


@functools.cache
def _three_j_half(two_ja: int, k: int, two_jb: int) -> float:
    return float(wigner_3j(two_ja, 2 * k, two_jb, 1, 0, -1))


def gamma_k(kappa_a: int, k: int, kappa_b: int) -> float:
    """:math:`\\Gamma^k_{ab}` (zero unless triangle and parity rules hold)."""
    la = kappa_a if kappa_a > 0 else -kappa_a - 1
    lb = kappa_b if kappa_b > 0 else -kappa_b - 1
    if (la + k + lb) % 2:
        return 0.0
    two_ja, two_jb = 2 * abs(kappa_a) - 1, 2 * abs(kappa_b) - 1
    if not abs(two_ja - two_jb) <= 2 * k <= two_ja + two_jb:
        return 0.0
    return _three_j_half(two_ja, k, two_jb) ** 2


def k_values(kappa_a: int, kappa_b: int) -> list[int]:
    """Multipoles ``k`` with non-zero :math:`\\Gamma^k_{ab}`."""
    two_ja, two_jb = 2 * abs(kappa_a) - 1, 2 * abs(kappa_b) - 1
    return [k for k in range(abs(two_ja - two_jb) // 2, (two_ja + two_jb) // 2 + 1)
            if gamma_k(kappa_a, k, kappa_b) != 0.0]


@dataclass
class EnergyExpression:
    """Coefficients of an energy functional (see the module docstring).

    ``weights[a]`` multiplies ``I(a)``; ``direct[(a, b)]`` multiplies ``F^0(a, b)``
    (``a <= b``); ``exchange[(a, b, k)]`` multiplies ``G^k(a, b)`` (``a <= b``).
    """

    subshells: list[Subshell]
    weights: list[float]
    direct: dict = field(default_factory=dict)
    exchange: dict = field(default_factory=dict)

    def add_direct(self, a: int, b: int, coef: float) -> None:
        key = (min(a, b), max(a, b))
        self.direct[key] = self.direct.get(key, 0.0) + coef

    def add_exchange(self, a: int, b: int, k: int, coef: float) -> None:
        key = (min(a, b), max(a, b), k)
        self.exchange[key] = self.exchange.get(key, 0.0) + coef

    def add_pair_average(self, a: int, b: int, scale: float) -> None:
        """Add ``scale * [F^0(a,b) - sum_k Gamma^k G^k(a,b)]`` (``a != b``) or, for
        ``a == b``, ``scale * [F^0(a,a) - sum_k Gamma^k F^k(a,a)]``."""
        ka, kb = self.subshells[a].kappa, self.subshells[b].kappa
        self.add_direct(a, b, scale)
        for k in k_values(ka, kb):
            self.add_exchange(a, b, k, -scale * gamma_k(ka, k, kb))

    def fock_coefficients(self, x: int):
        """Coefficients of the Fock operator of orbital ``x``.

        Returns ``(local, nonlocal)``: ``local[b]`` multiplies :math:`Y^0_{bb}` in the local
        potential, ``nonlocal[(b, k)]`` multiplies :math:`\\phi_b Y^k[\\phi_b, v]` in the
        exchange operator acting on ``v``; both already divided by ``w_x`` and including
        the factor 2 of a repeated index (from :math:`\\delta E/\\delta\\phi_x`).
        """
        w = self.weights[x]
        local: dict[int, float] = {}
        nonlocal_: dict[tuple[int, int], float] = {}
        for (a, b), f in self.direct.items():
            if a == x and b == x:
                local[x] = local.get(x, 0.0) + 2.0 * f / w
            elif a == x:
                local[b] = local.get(b, 0.0) + f / w
            elif b == x:
                local[a] = local.get(a, 0.0) + f / w
        for (a, b, k), g in self.exchange.items():
            if a == x and b == x:
                nonlocal_[(x, k)] = nonlocal_.get((x, k), 0.0) + 2.0 * g / w
            elif a == x:
                nonlocal_[(b, k)] = nonlocal_.get((b, k), 0.0) + g / w
            elif b == x:
                nonlocal_[(a, k)] = nonlocal_.get((a, k), 0.0) + g / w
        return ({b: v for b, v in local.items() if v != 0.0},
                {bk: v for bk, v in nonlocal_.items() if v != 0.0})


def average_of_configuration(shells: list[Shell]) -> EnergyExpression:
    """Average-of-configuration energy functional of a configuration."""
    subs = relativistic_subshells(shells)
    expr = EnergyExpression(subs, [s.occupancy for s in subs])
    for a, sa in enumerate(subs):
        for b in range(a, len(subs)):
            sb = subs[b]
            if sa.shell_index == sb.shell_index:
                sh = shells[sa.shell_index]
                N, G = sh.electrons, sh.capacity
                s = (N - 1) * G / (N * (G - 1)) if N > 0 else 0.0
                scale = s * sa.occupancy * sb.occupancy * (0.5 if a == b else 1.0)
            else:
                scale = sa.occupancy * sb.occupancy
            if scale != 0.0:
                expr.add_pair_average(a, b, scale)
    return expr


def _reduced_ck_squared(kappa_a: int, k: int, kappa_b: int) -> float:
    two_ja, two_jb = 2 * abs(kappa_a) - 1, 2 * abs(kappa_b) - 1
    return (two_ja + 1) * (two_jb + 1) * gamma_k(kappa_a, k, kappa_b)


def two_csf_j2_zero(shells: list[Shell], open_shell: int, coefficients: tuple[float, float]) -> EnergyExpression:
    """Energy functional :math:`\\sum_{ij} C_iC_jH_{ij}` of the two CSFs
    :math:`(nl_-^2)_0` and :math:`(nl_+^2)_0` outside closed shells (e.g. Ge
    :math:`4p_{1/2}^2` and :math:`4p_{3/2}^2`, J = 0).

    Two equivalent electrons coupled to J = 0 are already antisymmetric, so
    :math:`\\langle j^2 0|V|j^2 0\\rangle = \\sum_k (2j+1)\\Gamma^k_{jj}F^k(j,j)` and
    :math:`\\langle j_-^2 0|V|j_+^2 0\\rangle = \\sum_k (-1)^k \\langle j_-\\|C^k\\|j_+\\rangle^2
    R^k(j_-j_-;j_+j_+)/\\sqrt{(2j_-+1)(2j_++1)}`, with :math:`R^k(aa;cc) = G^k(a,c)`.
    """
    sh = shells[open_shell]
    if sh.electrons != 2 or sh.l == 0:
        raise ValueError("two_csf_j2_zero needs an open shell l^2 with l >= 1")
    closed = [s for i, s in enumerate(shells) if i != open_shell]
    if any(s.electrons != s.capacity for s in closed):
        raise ValueError("two_csf_j2_zero needs all other shells closed")
    c1, c2 = coefficients
    subs = relativistic_subshells(shells)
    i_minus = next(i for i, s in enumerate(subs) if s.shell_index == open_shell and s.kappa > 0)
    i_plus = next(i for i, s in enumerate(subs) if s.shell_index == open_shell and s.kappa < 0)
    occ = {i_minus: 2.0 * c1 * c1, i_plus: 2.0 * c2 * c2}
    subs = [Subshell(s.n, s.kappa, occ.get(i, s.occupancy), s.shell_index) for i, s in enumerate(subs)]
    expr = EnergyExpression(subs, [s.occupancy for s in subs])
    open_ = (i_minus, i_plus)
    for a, sa in enumerate(subs):
        for b in range(a, len(subs)):
            if a in open_ and b in open_:
                continue
            scale = sa.occupancy * subs[b].occupancy * (0.5 if a == b else 1.0)
            if scale:
                expr.add_pair_average(a, b, scale)
    for idx, c in ((i_minus, c1), (i_plus, c2)):
        kappa = subs[idx].kappa
        g = 2 * abs(kappa)
        expr.add_direct(idx, idx, c * c * g * gamma_k(kappa, 0, kappa))
        for k in k_values(kappa, kappa):
            if k > 0:
                expr.add_exchange(idx, idx, k, c * c * g * gamma_k(kappa, k, kappa))
    km, kp = subs[i_minus].kappa, subs[i_plus].kappa
    for k in k_values(km, kp):
        h12 = (-1) ** k * _reduced_ck_squared(km, k, kp) / ((2 * abs(km)) * (2 * abs(kp))) ** 0.5
        expr.add_exchange(i_minus, i_plus, k, 2.0 * c1 * c2 * h12)
    return expr


def two_csf_matrix_coefficients(kappa_minus: int, kappa_plus: int):
    """Angular parts of :func:`two_csf_j2_zero` (for the CI step): returns
    ``({k: coef of F^k(-,-)}, {k: coef of F^k(+,+)}, {k: coef of G^k(-,+)})`` for the
    two-electron part of H11, H22 and H12."""
    d1 = {k: 2 * abs(kappa_minus) * gamma_k(kappa_minus, k, kappa_minus) for k in k_values(kappa_minus, kappa_minus)}
    d2 = {k: 2 * abs(kappa_plus) * gamma_k(kappa_plus, k, kappa_plus) for k in k_values(kappa_plus, kappa_plus)}
    off = {k: (-1) ** k * _reduced_ck_squared(kappa_minus, k, kappa_plus)
           / ((2 * abs(kappa_minus)) * (2 * abs(kappa_plus))) ** 0.5 for k in k_values(kappa_minus, kappa_plus)}
    return d1, d2, off
