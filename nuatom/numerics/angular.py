"""Angular-momentum algebra: κ bookkeeping, Wigner 3j/6j/9j symbols, reduced matrix elements.

Everything the multipole operators need to reduce a matrix element between Dirac orbitals
to radial integrals (chapter *The multipole expansion*).

Conventions
-----------
* Relativistic quantum number: :math:`\\kappa = -(l+1)` for :math:`j = l+\\tfrac12`,
  :math:`\\kappa = l` for :math:`j = l-\\tfrac12` (``conventions.md``). Orbital labels are
  written ``"4p_3/2"``; ``"4p+"`` (:math:`j=l+\\frac12`), ``"4p-"`` (:math:`j=l-\\frac12`)
  and ``"1s"`` (:math:`s_{1/2}`) are accepted on input.
* Angular momenta enter the Wigner symbols *doubled*, as integers (``two_j = 2j``), so
  that half-integers are exact.
* Spin-angle functions :math:`\\Omega_{\\kappa m} = \\sum_{M\\mu}\\langle l M \\tfrac12 \\mu
  | j m\\rangle Y_{lM}\\,\\chi_\\mu` (orbital angular momentum coupled first), with the
  Condon–Shortley :math:`Y_{lM}`.
* Reduced matrix elements follow Edmonds' form of the Wigner–Eckart theorem
  :cite:`Edmonds1957`,
  :math:`\\langle j m|T^k_q|j' m'\\rangle = (-1)^{j-m}\\begin{pmatrix} j & k & j'\\\\ -m & q & m'
  \\end{pmatrix}\\langle j\\|T^k\\|j'\\rangle`.
* Vector spherical harmonics :math:`\\boldsymbol{\\mathcal Y}^M_{JL1} = \\sum_{m\\lambda}
  \\langle L m 1 \\lambda|J M\\rangle Y_{Lm}\\,\\hat{\\mathbf e}_\\lambda`, with
  :math:`\\hat{\\mathbf e}_{\\pm1} = \\mp(\\hat{\\mathbf e}_x \\pm i\\hat{\\mathbf e}_y)/\\sqrt2`,
  :math:`\\hat{\\mathbf e}_0 = \\hat{\\mathbf e}_z`; hence
  :math:`\\boldsymbol{\\mathcal Y}^M_{JL1}\\cdot\\boldsymbol\\sigma = [Y_L\\otimes\\sigma]^J_M`.

Numerics
--------
The 3j and 6j symbols are computed by the three-term recursions of Schulten and Gordon
:cite:`SchultenGordon1975` over the full range of one argument, started at both ends
(each end runs in the direction in which the wanted solution grows, which is the stable
direction in the classically forbidden regions), matched in the classically allowed
region, normalised by the orthogonality sum (a sum of positive terms) and given the
sign of the stretched end (tracked through the sweep, since at large j that end can
underflow). No factorials and no alternating sums are involved, so the relative accuracy
does not degrade with :math:`j` the way the Racah formula does, and stays at ~1e-14 even
for values of 1e-80 in the forbidden tails. The tests compare with the exact values of
:mod:`sympy.physics.wigner` to 1e-12 relative (1e-14 absolute below 1e-2, i.e. near
nodes) up to :math:`j \\approx 200`, with spot checks at :math:`j \\approx 2000`. The 9j symbol is the usual sum over three 6j symbols
(:cite:`Edmonds1957`, eq. 6.4.3), evaluated in the arrangement (among the 36 row/column
permutations) with the fewest terms.

The ``*_kernel`` functions are numba kernels (no validation; callable from other
kernels); the public functions validate their input and broadcast over arrays.
"""
from __future__ import annotations

import math
import numbers
import re
from fractions import Fraction

import numpy as np

from nuatom.numerics.jit import kernel

__all__ = [
    "ORBITAL_LETTERS", "MULTIPOLE_KINDS",
    "l_of_kappa", "j_of_kappa", "two_j_of_kappa", "parity_of_kappa", "kappa_from_l_j",
    "kappa_from_l_two_j", "parse_kappa", "parse_orbital", "kappa_label", "orbital_label",
    "wigner_3j", "wigner_3j_range", "wigner_6j", "wigner_9j", "clebsch_gordan",
    "reduced_C", "reduced_Y", "reduced_sigmaY",
    "multipole_parity", "allowed", "allowed_kappas",
    "three_j_kernel", "three_j_range_kernel", "six_j_kernel", "nine_j_kernel",
    "clebsch_gordan_kernel", "reduced_C_kernel", "reduced_Y_kernel", "reduced_sigmaY_kernel",
]

#: Spectroscopic letters for l = 0, 1, 2, ... (``j`` is skipped by convention).
ORBITAL_LETTERS = "spdfghiklmnoqrtuv"

#: Multipole kinds: Coulomb, longitudinal, transverse electric, magnetic, and their axial
#: (γ5) partners.
MULTIPOLE_KINDS = ("C", "L", "E", "M", "C5", "L5", "E5", "M5")

# ---------------------------------------------------------------------------------------
# kappa bookkeeping (plain Python)
# ---------------------------------------------------------------------------------------


def _as_int(name: str, value, valid: str) -> int:
    """``value`` as a Python int; integral floats are refused (they hide j-versus-2j slips)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ValueError(f"{name} = {value!r} is not an integer; expected {valid}")
    return int(value)


def _kappa(value, name: str = "kappa") -> int:
    kappa = _as_int(name, value, "a nonzero integer (kappa = -(l+1) for j = l+1/2, l for j = l-1/2)")
    if kappa == 0:
        raise ValueError(f"{name} = 0 is not a valid relativistic quantum number; "
                         "expected a nonzero integer")
    return kappa


def l_of_kappa(kappa: int) -> int:
    """Orbital angular momentum l of the large component of a κ orbital.

    Parameters
    ----------
    kappa : int
        Relativistic quantum number, nonzero.

    Returns
    -------
    int
        :math:`l = \\kappa` for :math:`\\kappa > 0`, :math:`l = -\\kappa - 1` for
        :math:`\\kappa < 0`. The small component has :math:`l(-\\kappa)`.
    """
    kappa = _kappa(kappa)
    return kappa if kappa > 0 else -kappa - 1


def two_j_of_kappa(kappa: int) -> int:
    """Twice the total angular momentum, :math:`2j = 2|\\kappa| - 1` (an odd integer)."""
    return 2 * abs(_kappa(kappa)) - 1


def j_of_kappa(kappa: int) -> float:
    """Total angular momentum :math:`j = |\\kappa| - \\tfrac12` as a float (exact)."""
    return two_j_of_kappa(kappa) / 2.0


def parity_of_kappa(kappa: int) -> int:
    """Parity :math:`(-1)^l` of the orbital (of its large component), as +1 or -1."""
    return 1 - 2 * (l_of_kappa(kappa) % 2)


def kappa_from_l_two_j(l: int, two_j: int) -> int:
    """κ from l and twice j.

    Raises
    ------
    ValueError
        Unless ``l >= 0`` and ``two_j`` is ``2l+1`` or ``2l-1`` (and positive).
    """
    l = _as_int("l", l, "an integer >= 0")
    two_j = _as_int("two_j", two_j, "an odd positive integer (twice j)")
    if l < 0:
        raise ValueError(f"l = {l} is negative; expected l >= 0")
    if two_j == 2 * l + 1:
        return -(l + 1)
    if two_j == 2 * l - 1 and l > 0:
        return l
    valid = f"{2 * l + 1}" if l == 0 else f"{2 * l - 1} or {2 * l + 1}"
    raise ValueError(f"two_j = {two_j} (j = {two_j}/2) is not l +- 1/2 for l = {l}; "
                     f"expected two_j = {valid}")


def kappa_from_l_j(l: int, j) -> int:
    """κ from l and j (a half-integer given as float, :class:`~fractions.Fraction` or ``"3/2"``).

    Raises
    ------
    ValueError
        If j is not a half-odd-integer equal to :math:`l \\pm \\frac12` (:math:`j > 0`).
    """
    if isinstance(j, (float, np.floating)):
        two_j_float = 2.0 * float(j)
        if not (math.isfinite(two_j_float) and two_j_float.is_integer()):
            raise ValueError(f"j = {j!r} is not a half-odd-integer; expected l +- 1/2")
        two_j_exact = Fraction(int(two_j_float))
    else:
        try:
            two_j_exact = 2 * Fraction(j)
        except (TypeError, ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"j = {j!r} is not a number; expected a half-odd-integer l +- 1/2") from exc
    if two_j_exact.denominator != 1 or two_j_exact.numerator % 2 != 1:
        raise ValueError(f"j = {j!r} is not a half-odd-integer; expected l +- 1/2")
    return kappa_from_l_two_j(l, int(two_j_exact))


_KAPPA_RE = re.compile(r"^(?:([a-z])|\[l=(\d+)\])(?:_?(\d+)/2|([+-]))?$")
_ORBITAL_RE = re.compile(r"^(\d+)([a-z].*)$")


def parse_kappa(label: str) -> int:
    """κ from a label without principal quantum number: ``"p_3/2"``, ``"p3/2"``, ``"p+"``, ``"s"``, ``"[l=40]_81/2"``.

    ``"x+"`` means :math:`j = l+\\frac12`, ``"x-"`` means :math:`j = l-\\frac12`; a bare
    ``"s"`` means :math:`s_{1/2}` (the only s orbital). Any other bare letter is ambiguous
    and refused.

    Raises
    ------
    ValueError
        For anything else (unknown letter, impossible j, ``"s-"``, ambiguous ``"p"``).
    """
    text = str(label).strip()
    match = _KAPPA_RE.match(text)
    if not match or (match.group(1) is not None and match.group(1) not in ORBITAL_LETTERS):
        raise ValueError(f"orbital label {label!r} is not of the form 'p_3/2', 'p3/2', 'p+', "
                         f"'p-', 's' (letters {ORBITAL_LETTERS!r}) or '[l=40]_81/2'")
    letter = match.group(1)
    l = ORBITAL_LETTERS.index(letter) if letter is not None else int(match.group(2))
    letter = letter if letter is not None else f"[l={l}]"
    two_j_text, sign = match.group(3), match.group(4)
    if two_j_text is not None:
        two_j = int(two_j_text)
    elif sign == "+":
        two_j = 2 * l + 1
    elif sign == "-":
        if l == 0:
            raise ValueError(f"orbital label {label!r}: an s orbital has only j = 1/2 ('s' or 's+')")
        two_j = 2 * l - 1
    elif l == 0:
        two_j = 1
    else:
        raise ValueError(f"orbital label {label!r} does not say j; write e.g. "
                         f"'{letter}_{2 * l + 1}/2' or '{letter}+'")
    try:
        return kappa_from_l_two_j(l, two_j)
    except ValueError as exc:
        raise ValueError(f"orbital label {label!r}: {exc}") from exc


def parse_orbital(label: str) -> tuple[int, int]:
    """``(n, kappa)`` from an orbital label such as ``"4p_3/2"``, ``"4p+"``, ``"4p-"``, ``"1s"``.

    Raises
    ------
    ValueError
        If the label does not parse (see :func:`parse_kappa`) or :math:`n \\le l`.
    """
    text = str(label).strip()
    match = _ORBITAL_RE.match(text)
    if not match:
        raise ValueError(f"orbital label {label!r} is not of the form '4p_3/2', '4p+', '4p-' or '1s'")
    n = int(match.group(1))
    kappa = parse_kappa(match.group(2))
    l = l_of_kappa(kappa)
    if n <= l:
        raise ValueError(f"orbital label {label!r}: n = {n} must exceed l = {l}")
    return n, kappa


def kappa_label(kappa: int) -> str:
    """``"p_3/2"``-style label of κ (no principal quantum number; for continuum waves).

    Beyond the spectroscopic letters (l > 16) the label is ``"[l=40]_81/2"``; both forms
    are accepted by :func:`parse_kappa`.
    """
    l = l_of_kappa(kappa)
    letter = ORBITAL_LETTERS[l] if l < len(ORBITAL_LETTERS) else f"[l={l}]"
    return f"{letter}_{two_j_of_kappa(kappa)}/2"


def orbital_label(n: int, kappa: int) -> str:
    """``"4p_3/2"``-style label; the inverse of :func:`parse_orbital`."""
    n = _as_int("n", n, "an integer > l")
    l = l_of_kappa(kappa)
    if n <= l:
        raise ValueError(f"n = {n} must exceed l = {l} (kappa = {kappa})")
    return f"{n}{kappa_label(kappa)}"


# ---------------------------------------------------------------------------------------
# numba kernels: Wigner symbols
# ---------------------------------------------------------------------------------------

#: Rescaling threshold for the unnormalised recursions (the wanted solution grows by many
#: orders of magnitude across a classically forbidden region at large j).
_BIG = 1e200


@kernel
def _triangle(two_a, two_b, two_c):
    """True if (a, b, c) satisfy the triangle rule with integer a + b + c."""
    if (two_a + two_b + two_c) % 2 != 0:
        return False
    return abs(two_a - two_b) <= two_c <= two_a + two_b


@kernel
def _solve_three_term(a, b, c, weight, top_sign, out):
    """Normalised solution of ``a[k] f[k+1] + b[k] f[k] + c[k] f[k-1] = 0`` (k = 0..n-1).

    ``c[0] = a[n-1] = 0`` (the range is closed at both ends). The solution is fixed by
    ``sum(weight * f**2) = 1`` and ``sign(f[n-1]) = top_sign``.

    Backward recursion from the top runs while the solution grows (the stable direction in
    the upper classically forbidden region); forward recursion from the bottom runs up to
    that point, through the lower forbidden region (again growing) and the oscillatory
    allowed region (neutral); the two pieces are matched by least squares on three points
    around the local maximum where the backward sweep stopped. When ``a[0] = 0`` the
    forward sweep cannot start (``j_min = 0``, which has no lower forbidden region) and
    the backward sweep runs to the bottom.
    """
    n = out.size
    if n == 1:
        out[0] = top_sign / math.sqrt(weight[0])
        return
    g = np.zeros(n)
    g[n - 1] = 1.0
    forward_possible = a[0] != 0.0
    k_match = 0
    k = n - 1
    while k >= 1:
        nxt = g[k + 1] if k + 1 < n else 0.0
        g[k - 1] = -(a[k] * nxt + b[k] * g[k]) / c[k]
        if abs(g[k - 1]) > _BIG:
            for i in range(k - 1, n):
                g[i] /= _BIG
        if forward_possible and abs(g[k - 1]) < abs(g[k]):
            k_match = k
            break
        k -= 1
    # The unnormalised top value g[n-1] starts at +1 and is only ever divided by positive
    # numbers; it can underflow to 0 when the upper tail is far below 1e-308, so its sign
    # is tracked here instead of being read back.
    top_positive = True
    if k_match == 0:
        for i in range(n):
            out[i] = g[i]
    else:
        k_stop = min(k_match + 1, n - 1)
        f = np.zeros(n)
        f[0] = 1.0
        for i in range(k_stop):
            prev = f[i - 1] if i >= 1 else 0.0
            f[i + 1] = -(b[i] * f[i] + c[i] * prev) / a[i]
            if abs(f[i + 1]) > _BIG:
                for m in range(i + 2):
                    f[m] /= _BIG
        # Match c*g = f on the overlap; both pieces are first scaled to O(1) there, since
        # products of two values near 1e200 would overflow.
        f_max = 0.0
        g_max = 0.0
        for i in range(k_match - 1, k_stop + 1):
            f_max = max(f_max, abs(f[i]))
            g_max = max(g_max, abs(g[i]))
        num = 0.0
        den = 0.0
        for i in range(k_match - 1, k_stop + 1):
            num += (f[i] / f_max) * (g[i] / g_max)
            den += (g[i] / g_max) ** 2
        ratio = num / den
        top_positive = ratio > 0.0
        for i in range(k_match):
            out[i] = f[i] / f_max
        for i in range(k_match, n):
            out[i] = ratio * (g[i] / g_max)
    biggest = 0.0
    for i in range(n):
        biggest = max(biggest, abs(out[i]))
    norm = 0.0
    for i in range(n):
        out[i] /= biggest
        norm += weight[i] * out[i] * out[i]
    factor = 1.0 / math.sqrt(norm)
    if top_positive != (top_sign > 0.0):
        factor = -factor
    for i in range(n):
        out[i] = out[i] * factor + 0.0     # + 0.0 turns the -0.0 of exact zeros into 0.0


@kernel
def three_j_range_kernel(two_j2, two_j3, two_m2, two_m3, out):
    """All :math:`(j_1\\, j_2\\, j_3; m_1\\, m_2\\, m_3)` with :math:`m_1 = -m_2-m_3` at once.

    Fills ``out[:count]`` for ``two_j1 = two_j1_min, two_j1_min + 2, ...`` and returns
    ``(two_j1_min, count)``; ``count = 0`` if no j1 is allowed. ``out`` needs
    ``min(two_j2, two_j3) + 1`` entries. Arguments are twice the angular momenta.

    Notes
    -----
    Schulten–Gordon recursion :cite:`SchultenGordon1975` in :math:`j_1`,
    :math:`j_1 A(j_1+1) f(j_1+1) + B(j_1) f(j_1) + (j_1+1) A(j_1) f(j_1-1) = 0`, with
    :math:`A(j_1)^2 = [j_1^2-(j_2-j_3)^2][(j_2+j_3+1)^2-j_1^2][j_1^2-m_1^2]`,
    :math:`B(j_1) = -(2j_1+1)[j_2(j_2+1)m_1 - j_3(j_3+1)m_1 - j_1(j_1+1)(m_3-m_2)]`,
    normalisation :math:`\\sum_{j_1}(2j_1+1) f^2 = 1` and
    :math:`\\operatorname{sign} f(j_2+j_3) = (-1)^{j_2-j_3-m_1}`.
    """
    two_m1 = -(two_m2 + two_m3)
    if abs(two_m2) > two_j2 or abs(two_m3) > two_j3:
        return 0, 0
    if (two_j2 + two_m2) % 2 != 0 or (two_j3 + two_m3) % 2 != 0:
        return 0, 0
    lo = max(abs(two_j2 - two_j3), abs(two_m1))
    hi = two_j2 + two_j3
    if lo > hi:
        return 0, 0
    n = (hi - lo) // 2 + 1
    j2 = 0.5 * two_j2
    j3 = 0.5 * two_j3
    m1 = 0.5 * two_m1
    m2 = 0.5 * two_m2
    m3 = 0.5 * two_m3
    a = np.zeros(n)
    b = np.zeros(n)
    c = np.zeros(n)
    w = np.zeros(n)
    amp = np.zeros(n + 1)
    for i in range(n + 1):
        j = 0.5 * lo + i
        amp[i] = math.sqrt(max(0.0, (j * j - (j2 - j3) ** 2) * ((j2 + j3 + 1.0) ** 2 - j * j)
                               * (j * j - m1 * m1)))
    for i in range(n):
        j = 0.5 * lo + i
        a[i] = j * amp[i + 1] if i < n - 1 else 0.0
        b[i] = -(2.0 * j + 1.0) * (j2 * (j2 + 1.0) * m1 - j3 * (j3 + 1.0) * m1
                                   - j * (j + 1.0) * (m3 - m2))
        c[i] = (j + 1.0) * amp[i] if i > 0 else 0.0
        w[i] = 2.0 * j + 1.0
    top_sign = 1.0 if ((two_j2 - two_j3 - two_m1) // 2) % 2 == 0 else -1.0
    _solve_three_term(a, b, c, w, top_sign, out[:n])
    return lo, n


@kernel
def three_j_kernel(two_j1, two_j2, two_j3, two_m1, two_m2, two_m3):
    """Wigner 3j symbol from twice the angular momenta; 0 when a selection rule fails.

    The recursion runs over the column with the fewest allowed values (a cyclic, hence
    phase-free, permutation brings it first).
    """
    if two_m1 + two_m2 + two_m3 != 0:
        return 0.0
    if two_j1 < 0 or two_j2 < 0 or two_j3 < 0:
        return 0.0
    if abs(two_m1) > two_j1 or abs(two_m2) > two_j2 or abs(two_m3) > two_j3:
        return 0.0
    if (two_j1 + two_m1) % 2 != 0 or (two_j2 + two_m2) % 2 != 0 or (two_j3 + two_m3) % 2 != 0:
        return 0.0
    if not _triangle(two_j1, two_j2, two_j3):
        return 0.0
    js = (two_j1, two_j2, two_j3)
    ms = (two_m1, two_m2, two_m3)
    best = 0
    best_size = 1 << 62
    for i in range(3):
        p = js[(i + 1) % 3]
        q = js[(i + 2) % 3]
        size = (p + q - max(abs(p - q), abs(ms[i]))) // 2 + 1
        if size < best_size:
            best_size = size
            best = i
    i1, i2, i3 = best, (best + 1) % 3, (best + 2) % 3
    out = np.empty(best_size)
    lo, n = three_j_range_kernel(js[i2], js[i3], ms[i2], ms[i3], out)
    return out[(js[i1] - lo) // 2]


@kernel
def clebsch_gordan_kernel(two_j1, two_m1, two_j2, two_m2, two_j, two_m):
    """:math:`\\langle j_1 m_1 j_2 m_2|j m\\rangle = (-1)^{j_1-j_2+m}\\sqrt{2j+1}
    \\begin{pmatrix}j_1 & j_2 & j\\\\ m_1 & m_2 & -m\\end{pmatrix}` (Condon–Shortley)."""
    value = three_j_kernel(two_j1, two_j2, two_j, two_m1, two_m2, -two_m)
    if value == 0.0:
        return 0.0
    phase = (two_j1 - two_j2 + two_m) // 2
    if phase % 2 != 0:
        value = -value
    return value * math.sqrt(two_j + 1.0)


@kernel
def _six_j_range(two_A, two_B, two_Y, two_C, two_D, out):
    """:math:`\\{x\\, A\\, B;\\, Y\\, C\\, D\\}` for every allowed x; returns ``(two_x_min, count)``.

    Notes
    -----
    Schulten–Gordon recursion :cite:`SchultenGordon1975` in :math:`x`:
    :math:`x E(x+1) f(x+1) + F(x) f(x) + (x+1) E(x) f(x-1) = 0`,
    :math:`E(x)^2 = [x^2-(A-B)^2][(A+B+1)^2-x^2][x^2-(C-D)^2][(C+D+1)^2-x^2]`,
    :math:`F(x) = (2x+1)\\{x(x+1)[-x(x+1)+A(A+1)+B(B+1)-2Y(Y+1)]
    + C(C+1)[x(x+1)+A(A+1)-B(B+1)] + D(D+1)[x(x+1)-A(A+1)+B(B+1)]\\}`,
    normalisation :math:`\\sum_x (2x+1)(2Y+1) f^2 = 1`, sign of the top
    :math:`(-1)^{A+B+C+D}`.
    """
    if not _triangle(two_Y, two_A, two_D) or not _triangle(two_Y, two_C, two_B):
        return 0, 0
    if (two_A + two_B + two_C + two_D) % 2 != 0:
        return 0, 0
    lo = max(abs(two_A - two_B), abs(two_C - two_D))
    hi = min(two_A + two_B, two_C + two_D)
    if lo > hi:
        return 0, 0
    n = (hi - lo) // 2 + 1
    A = 0.5 * two_A
    B = 0.5 * two_B
    Y = 0.5 * two_Y
    C = 0.5 * two_C
    D = 0.5 * two_D
    AA = A * (A + 1.0)
    BB = B * (B + 1.0)
    CC = C * (C + 1.0)
    DD = D * (D + 1.0)
    YY = Y * (Y + 1.0)
    a = np.zeros(n)
    b = np.zeros(n)
    c = np.zeros(n)
    w = np.zeros(n)
    amp = np.zeros(n + 1)
    for i in range(n + 1):
        x = 0.5 * lo + i
        amp[i] = math.sqrt(max(0.0, (x * x - (A - B) ** 2) * ((A + B + 1.0) ** 2 - x * x)
                               * (x * x - (C - D) ** 2) * ((C + D + 1.0) ** 2 - x * x)))
    for i in range(n):
        x = 0.5 * lo + i
        xx = x * (x + 1.0)
        a[i] = x * amp[i + 1] if i < n - 1 else 0.0
        b[i] = (2.0 * x + 1.0) * (xx * (-xx + AA + BB - 2.0 * YY) + CC * (xx + AA - BB)
                                  + DD * (xx - AA + BB))
        c[i] = (x + 1.0) * amp[i] if i > 0 else 0.0
        w[i] = (2.0 * x + 1.0) * (two_Y + 1.0)
    top_sign = 1.0 if ((two_A + two_B + two_C + two_D) // 2) % 2 == 0 else -1.0
    _solve_three_term(a, b, c, w, top_sign, out[:n])
    return lo, n


@kernel
def six_j_kernel(two_j1, two_j2, two_j3, two_l1, two_l2, two_l3):
    """Wigner 6j symbol :math:`\\{j_1 j_2 j_3; l_1 l_2 l_3\\}` from twice the angular momenta.

    0 when a triad fails the triangle rule (or has a half-integer sum). The recursion runs
    over the entry with the fewest allowed values (the 6j symbol is invariant under column
    permutations and under exchanging upper and lower entries in two columns).
    """
    if min(two_j1, two_j2, two_j3, two_l1, two_l2, two_l3) < 0:
        return 0.0
    if not (_triangle(two_j1, two_j2, two_j3) and _triangle(two_j1, two_l2, two_l3)
            and _triangle(two_l1, two_j2, two_l3) and _triangle(two_l1, two_l2, two_j3)):
        return 0.0
    # Candidate arrangements {x A B; Y C D} (x the recursion variable), one per entry.
    cand = np.empty((6, 6), dtype=np.int64)
    cand[0, :] = (two_j1, two_j2, two_j3, two_l1, two_l2, two_l3)
    cand[1, :] = (two_j2, two_j1, two_j3, two_l2, two_l1, two_l3)
    cand[2, :] = (two_j3, two_j1, two_j2, two_l3, two_l1, two_l2)
    cand[3, :] = (two_l1, two_l2, two_j3, two_j1, two_j2, two_l3)
    cand[4, :] = (two_l2, two_l1, two_j3, two_j2, two_j1, two_l3)
    cand[5, :] = (two_l3, two_l1, two_j2, two_j3, two_j1, two_l2)
    best = 0
    best_size = 1 << 62
    for i in range(6):
        tA = cand[i, 1]
        tB = cand[i, 2]
        tC = cand[i, 4]
        tD = cand[i, 5]
        size = (min(tA + tB, tC + tD) - max(abs(tA - tB), abs(tC - tD))) // 2 + 1
        if size < best_size:
            best_size = size
            best = i
    out = np.empty(best_size)
    lo, n = _six_j_range(cand[best, 1], cand[best, 2], cand[best, 3], cand[best, 4],
                         cand[best, 5], out)
    return out[(cand[best, 0] - lo) // 2]


@kernel
def _nine_j_sum(t):
    """Σ_x (-1)^{2x}(2x+1){a b c; f i x}{d e f; b x h}{g h i; x a d} for t = 2*(a..i) row-wise."""
    ta, tb, tc, td, te, tf, tg, th, ti = t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8]
    lo = max(abs(ta - ti), abs(tb - tf), abs(td - th))
    hi = min(ta + ti, tb + tf, td + th)
    if lo > hi:
        return 0.0
    size = max(min(ta, ti), min(tb, tf), min(td, th), 0) + 1
    # {a b c; f i x} = {x a i; c f b}; {d e f; b x h} = {x d h; e b f};
    # {g h i; x a d} = {x h d; g a i} (column permutations and row swaps in two columns).
    s1 = np.zeros(size + 1)
    s2 = np.zeros(size + 1)
    s3 = np.zeros(size + 1)
    lo1, n1 = _six_j_range(ta, ti, tc, tf, tb, s1)
    lo2, n2 = _six_j_range(td, th, te, tb, tf, s2)
    lo3, n3 = _six_j_range(th, td, tg, ta, ti, s3)
    total = 0.0
    for tx in range(lo, hi + 1, 2):
        k1 = (tx - lo1) // 2
        k2 = (tx - lo2) // 2
        k3 = (tx - lo3) // 2
        if k1 < 0 or k1 >= n1 or k2 < 0 or k2 >= n2 or k3 < 0 or k3 >= n3:
            continue
        term = (tx + 1.0) * s1[k1] * s2[k2] * s3[k3]
        if tx % 2 != 0:
            term = -term
        total += term
    return total


@kernel
def nine_j_kernel(two_j1, two_j2, two_j3, two_j4, two_j5, two_j6, two_j7, two_j8, two_j9):
    """Wigner 9j symbol :math:`\\{j_1 j_2 j_3; j_4 j_5 j_6; j_7 j_8 j_9\\}` (twice the j's).

    0 when a row or column fails the triangle rule. Evaluated as a sum over three 6j
    symbols (:cite:`Edmonds1957`, eq. 6.4.3) in the row/column arrangement with the fewest
    terms; an odd permutation of rows or of columns multiplies by :math:`(-1)^{\\sum j}`.
    """
    t = np.array([two_j1, two_j2, two_j3, two_j4, two_j5, two_j6, two_j7, two_j8, two_j9],
                 dtype=np.int64)
    for i in range(9):
        if t[i] < 0:
            return 0.0
    for r in range(3):
        if not _triangle(t[3 * r], t[3 * r + 1], t[3 * r + 2]):
            return 0.0
        if not _triangle(t[r], t[r + 3], t[r + 6]):
            return 0.0
    perms = np.array([[0, 1, 2], [1, 2, 0], [2, 0, 1], [1, 0, 2], [0, 2, 1], [2, 1, 0]],
                     dtype=np.int64)
    total_two_j = 0
    for i in range(9):
        total_two_j += t[i]
    best_size = 1 << 62
    best = np.empty(9, dtype=np.int64)
    best_phase = 1.0
    u = np.empty(9, dtype=np.int64)
    for pr in range(6):
        for pc in range(6):
            for r in range(3):
                for cc in range(3):
                    u[3 * r + cc] = t[3 * perms[pr, r] + perms[pc, cc]]
            lo = max(abs(u[0] - u[8]), abs(u[1] - u[5]), abs(u[3] - u[7]))
            hi = min(u[0] + u[8], u[1] + u[5], u[3] + u[7])
            size = (hi - lo) // 2 + 1
            if size < best_size:
                best_size = size
                best[:] = u
                odd = (pr >= 3) != (pc >= 3)
                best_phase = -1.0 if (odd and (total_two_j // 2) % 2 != 0) else 1.0
    return best_phase * _nine_j_sum(best)


# ---------------------------------------------------------------------------------------
# numba kernels: reduced matrix elements between spin-angle functions
# ---------------------------------------------------------------------------------------


@kernel
def _l_of_kappa(kappa):
    return kappa if kappa > 0 else -kappa - 1


@kernel
def _two_j_of_kappa(kappa):
    return 2 * abs(kappa) - 1


@kernel
def reduced_C_kernel(kappa_a, k, kappa_b):
    """:math:`\\langle\\kappa_a\\|C^k\\|\\kappa_b\\rangle` (no validation; see :func:`reduced_C`)."""
    la = _l_of_kappa(kappa_a)
    lb = _l_of_kappa(kappa_b)
    if (la + lb + k) % 2 != 0 or k < 0:
        return 0.0
    tja = _two_j_of_kappa(kappa_a)
    tjb = _two_j_of_kappa(kappa_b)
    value = three_j_kernel(tja, tjb, 2 * k, -1, 1, 0)
    if value == 0.0:
        return 0.0
    value *= math.sqrt((tja + 1.0) * (tjb + 1.0))
    if ((tja + 1) // 2) % 2 != 0:
        value = -value
    return value


@kernel
def reduced_Y_kernel(kappa_a, k, kappa_b):
    """:math:`\\langle\\kappa_a\\|Y_k\\|\\kappa_b\\rangle` (no validation; see :func:`reduced_Y`)."""
    return math.sqrt((2.0 * k + 1.0) / (4.0 * math.pi)) * reduced_C_kernel(kappa_a, k, kappa_b)


@kernel
def _reduced_Y_orbital(la, L, lb):
    """:math:`\\langle l_a\\|Y_L\\|l_b\\rangle = (-1)^{l_a}\\sqrt{(2l_a+1)(2L+1)(2l_b+1)/4\\pi}
    (l_a\\, L\\, l_b; 0\\, 0\\, 0)` :cite:`Edmonds1957`."""
    if (la + L + lb) % 2 != 0:
        return 0.0
    value = three_j_kernel(2 * la, 2 * L, 2 * lb, 0, 0, 0)
    value *= math.sqrt((2.0 * la + 1.0) * (2.0 * L + 1.0) * (2.0 * lb + 1.0) / (4.0 * math.pi))
    if la % 2 != 0:
        value = -value
    return value


@kernel
def reduced_sigmaY_kernel(kappa_a, J, L, kappa_b):
    """:math:`\\langle\\kappa_a\\|[Y_L\\otimes\\sigma]^J\\|\\kappa_b\\rangle` (no validation)."""
    la = _l_of_kappa(kappa_a)
    lb = _l_of_kappa(kappa_b)
    if (la + lb + L) % 2 != 0 or L < 0 or J < 0:
        return 0.0
    tja = _two_j_of_kappa(kappa_a)
    tjb = _two_j_of_kappa(kappa_b)
    nine = nine_j_kernel(2 * la, 2 * lb, 2 * L, 1, 1, 2, tja, tjb, 2 * J)
    if nine == 0.0:
        return 0.0
    return (math.sqrt((tja + 1.0) * (tjb + 1.0) * (2.0 * J + 1.0)) * nine
            * _reduced_Y_orbital(la, L, lb) * math.sqrt(6.0))


# ---------------------------------------------------------------------------------------
# vectorised drivers
# ---------------------------------------------------------------------------------------


@kernel
def _three_j_many(t, out):
    for i in range(out.size):
        out[i] = three_j_kernel(t[0, i], t[1, i], t[2, i], t[3, i], t[4, i], t[5, i])


@kernel
def _clebsch_gordan_many(t, out):
    for i in range(out.size):
        out[i] = clebsch_gordan_kernel(t[0, i], t[1, i], t[2, i], t[3, i], t[4, i], t[5, i])


@kernel
def _six_j_many(t, out):
    for i in range(out.size):
        out[i] = six_j_kernel(t[0, i], t[1, i], t[2, i], t[3, i], t[4, i], t[5, i])


@kernel
def _nine_j_many(t, out):
    for i in range(out.size):
        out[i] = nine_j_kernel(t[0, i], t[1, i], t[2, i], t[3, i], t[4, i], t[5, i],
                               t[6, i], t[7, i], t[8, i])


# ---------------------------------------------------------------------------------------
# Python wrappers (validation, broadcasting)
# ---------------------------------------------------------------------------------------


def _twice_args(names, values, pairs=()):
    """Validate doubled angular momenta; return (stacked int64 array, broadcast shape)."""
    arrays = []
    for name, value in zip(names, values):
        arr = np.asarray(value)
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"{name} = {value!r} is not an integer; the Wigner functions take "
                             "twice the angular momentum (e.g. two_j = 3 for j = 3/2)")
        arrays.append(arr.astype(np.int64))
    arrays = np.broadcast_arrays(*arrays)
    shape = arrays[0].shape
    stacked = np.stack([a.ravel() for a in arrays]).reshape(len(names), -1)
    for name, row in zip(names, stacked):
        if not name.startswith("two_m") and np.any(row < 0):
            raise ValueError(f"{name} = {row[row < 0][0]} is negative; expected 2j >= 0")
    for ij, im in pairs:
        bad = (stacked[ij] + stacked[im]) % 2 != 0
        if np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{names[im]} = {stacked[im, i]} and {names[ij]} = {stacked[ij, i]}: "
                             "j and m must both be integers or both half-integers")
    return stacked, shape


def _scalar_twice(names, values, pairs=()):
    """Fast path of :func:`_twice_args` for plain integer scalars; None if any is not one."""
    ints = []
    for value in values:
        if type(value) is int:
            ints.append(value)
        elif isinstance(value, np.integer):
            ints.append(int(value))
        else:
            return None
    for name, value in zip(names, ints):
        if value < 0 and not name.startswith("two_m"):
            raise ValueError(f"{name} = {value} is negative; expected 2j >= 0")
    for ij, im in pairs:
        if (ints[ij] + ints[im]) % 2:
            raise ValueError(f"{names[im]} = {ints[im]} and {names[ij]} = {ints[ij]}: "
                             "j and m must both be integers or both half-integers")
    return ints


def _finish(out, shape):
    return float(out[0]) if shape == () else out.reshape(shape)


def _evaluate(kernel, many, names, values, pairs=()):
    """One symbol's public entry: validate the doubled arguments (``pairs`` are (j, m)
    index pairs that must share integrality), then call the scalar ``kernel`` or, for
    arrays, ``many(t, out)`` over the broadcast arguments."""
    fast = _scalar_twice(names, values, pairs=pairs)
    if fast is not None:
        return float(kernel(*fast))
    t, shape = _twice_args(names, values, pairs=pairs)
    if shape == ():
        return float(kernel(*(int(x) for x in t[:, 0])))
    out = np.empty(t.shape[1])
    many(t, out)
    return _finish(out, shape)


def wigner_3j(two_j1, two_j2, two_j3, two_m1, two_m2, two_m3):
    """Wigner 3j symbol :math:`\\begin{pmatrix}j_1 & j_2 & j_3\\\\ m_1 & m_2 & m_3\\end{pmatrix}`.

    Parameters
    ----------
    two_j1, two_j2, two_j3 : int or array_like of int
        Twice the angular momenta (dimensionless, >= 0).
    two_m1, two_m2, two_m3 : int or array_like of int
        Twice the projections; each ``two_m`` must have the parity of its ``two_j``.

    Returns
    -------
    float or numpy.ndarray
        The symbol (broadcast shape of the inputs); 0 when :math:`m_1+m_2+m_3 \\ne 0`,
        :math:`|m_i| > j_i` or the triangle rule fails.

    Raises
    ------
    ValueError
        Non-integer or negative doubled j, or a j/m pair of different integrality.

    Notes
    -----
    Schulten–Gordon recursion :cite:`SchultenGordon1975`; see the module docstring. Tested
    against :func:`sympy.physics.wigner.wigner_3j` to 1e-12 (relative) up to j = 200.
    """
    return _evaluate(three_j_kernel, _three_j_many,
                     ("two_j1", "two_j2", "two_j3", "two_m1", "two_m2", "two_m3"),
                     (two_j1, two_j2, two_j3, two_m1, two_m2, two_m3), pairs=((0, 3), (1, 4), (2, 5)))


def wigner_3j_range(two_j2, two_j3, two_m2, two_m3):
    """Every non-zero-range value :math:`(j_1\\, j_2\\, j_3; -m_2-m_3\\, m_2\\, m_3)` at once.

    Parameters
    ----------
    two_j2, two_j3, two_m2, two_m3 : int
        Twice the angular momenta and projections (dimensionless).

    Returns
    -------
    two_j1 : numpy.ndarray of int
        Twice the allowed :math:`j_1` (empty if none).
    values : numpy.ndarray
        The 3j symbols for those :math:`j_1`, from one recursion (cost O(number of j1)).
    """
    names = ("two_j2", "two_j3", "two_m2", "two_m3")
    t, shape = _twice_args(names, (two_j2, two_j3, two_m2, two_m3), pairs=((0, 2), (1, 3)))
    if shape != ():
        raise ValueError("wigner_3j_range takes scalar arguments")
    tj2, tj3, tm2, tm3 = (int(x) for x in t[:, 0])
    out = np.empty(min(tj2, tj3) + 1)
    lo, n = three_j_range_kernel(tj2, tj3, tm2, tm3, out)
    return np.arange(lo, lo + 2 * n, 2, dtype=np.int64), out[:n].copy()


def clebsch_gordan(two_j1, two_m1, two_j2, two_m2, two_j, two_m):
    """Clebsch–Gordan coefficient :math:`\\langle j_1 m_1\\, j_2 m_2 | j\\, m\\rangle` (Condon–Shortley).

    Parameters
    ----------
    two_j1, two_m1, two_j2, two_m2, two_j, two_m : int or array_like of int
        Twice the angular momenta and projections (note the argument order: pairs).

    Returns
    -------
    float or numpy.ndarray
        :math:`(-1)^{j_1-j_2+m}\\sqrt{2j+1}\\,(j_1\\, j_2\\, j; m_1\\, m_2\\, {-m})`.
    """
    return _evaluate(clebsch_gordan_kernel, _clebsch_gordan_many,
                     ("two_j1", "two_m1", "two_j2", "two_m2", "two_j", "two_m"),
                     (two_j1, two_m1, two_j2, two_m2, two_j, two_m), pairs=((0, 1), (2, 3), (4, 5)))


def wigner_6j(two_j1, two_j2, two_j3, two_l1, two_l2, two_l3):
    """Wigner 6j symbol :math:`\\begin{Bmatrix}j_1 & j_2 & j_3\\\\ l_1 & l_2 & l_3\\end{Bmatrix}`.

    Parameters
    ----------
    two_j1, two_j2, two_j3, two_l1, two_l2, two_l3 : int or array_like of int
        Twice the angular momenta (dimensionless, >= 0).

    Returns
    -------
    float or numpy.ndarray
        The symbol; 0 unless the four triads (j1 j2 j3), (j1 l2 l3), (l1 j2 l3),
        (l1 l2 j3) satisfy the triangle rule with integer sums.

    Notes
    -----
    Schulten–Gordon recursion :cite:`SchultenGordon1975`; tested against
    :func:`sympy.physics.wigner.wigner_6j` to 1e-12 (relative) up to j = 200.
    """
    return _evaluate(six_j_kernel, _six_j_many, ("two_j1", "two_j2", "two_j3", "two_l1", "two_l2", "two_l3"),
                     (two_j1, two_j2, two_j3, two_l1, two_l2, two_l3))


def wigner_9j(two_j1, two_j2, two_j3, two_j4, two_j5, two_j6, two_j7, two_j8, two_j9):
    """Wigner 9j symbol :math:`\\{j_1 j_2 j_3; j_4 j_5 j_6; j_7 j_8 j_9\\}` (rows in order).

    Parameters
    ----------
    two_j1, ..., two_j9 : int or array_like of int
        Twice the angular momenta (dimensionless, >= 0), row by row.

    Returns
    -------
    float or numpy.ndarray
        The symbol; 0 unless every row and column satisfies the triangle rule.

    Notes
    -----
    Sum over products of three 6j symbols (:cite:`Edmonds1957`, eq. 6.4.3) in the
    arrangement with the fewest terms. When all nine j are large and comparable, the sum
    has many terms of alternating sign and its relative accuracy degrades; the case used
    by nuatom (a row :math:`\\frac12\\,\\frac12\\,1`) has at most three terms.
    """
    return _evaluate(nine_j_kernel, _nine_j_many, tuple(f"two_j{i}" for i in range(1, 10)),
                     (two_j1, two_j2, two_j3, two_j4, two_j5, two_j6, two_j7, two_j8, two_j9))


def _rank(name: str, value) -> int:
    rank = _as_int(name, value, "an integer >= 0")
    if rank < 0:
        raise ValueError(f"{name} = {rank} is negative; expected an integer >= 0")
    return rank


def reduced_C(kappa_a: int, k: int, kappa_b: int) -> float:
    """Reduced matrix element :math:`\\langle\\kappa_a\\|C^k\\|\\kappa_b\\rangle` between spin-angle functions.

    Parameters
    ----------
    kappa_a, kappa_b : int
        Relativistic quantum numbers of bra and ket (nonzero).
    k : int
        Rank of :math:`C^k_q = \\sqrt{4\\pi/(2k+1)}\\,Y_{kq}` (>= 0).

    Returns
    -------
    float
        Dimensionless reduced matrix element (Edmonds' Wigner–Eckart convention); 0 unless
        :math:`l_a + k + l_b` is even and :math:`(j_a, k, j_b)` is a triangle.

    Notes
    -----
    .. math::
        \\langle\\kappa_a\\|C^k\\|\\kappa_b\\rangle = (-1)^{j_a+1/2}\\sqrt{(2j_a+1)(2j_b+1)}
        \\begin{pmatrix} j_a & j_b & k\\\\ -\\tfrac12 & \\tfrac12 & 0\\end{pmatrix}
        \\tfrac12[1+(-1)^{l_a+k+l_b}]

    (:cite:`Johnson2007`, ch. 3); equal to the recoupling form
    :math:`(-1)^{l_a+1/2+j_b+k}\\sqrt{(2j_a+1)(2j_b+1)}\\{l_a\\, j_a\\, \\tfrac12;
    j_b\\, l_b\\, k\\}\\langle l_a\\|C^k\\|l_b\\rangle` and checked against quadrature over
    the sphere in the tests.
    """
    return float(reduced_C_kernel(_kappa(kappa_a, "kappa_a"), _rank("k", k),
                                  _kappa(kappa_b, "kappa_b")))


def reduced_Y(kappa_a: int, J: int, kappa_b: int) -> float:
    """Reduced matrix element :math:`\\langle\\kappa_a\\|Y_J\\|\\kappa_b\\rangle`.

    :math:`\\langle\\kappa_a\\|Y_J\\|\\kappa_b\\rangle = \\sqrt{(2J+1)/4\\pi}\\,
    \\langle\\kappa_a\\|C^J\\|\\kappa_b\\rangle` (see :func:`reduced_C`).

    Parameters
    ----------
    kappa_a, kappa_b : int
        Relativistic quantum numbers (nonzero).
    J : int
        Rank of the spherical harmonic (>= 0).

    Returns
    -------
    float
        Dimensionless (the :math:`Y_{JM}` are normalised on the unit sphere).
    """
    return float(reduced_Y_kernel(_kappa(kappa_a, "kappa_a"), _rank("J", J),
                                  _kappa(kappa_b, "kappa_b")))


def reduced_sigmaY(kappa_a: int, J: int, L: int, kappa_b: int) -> float:
    """Reduced matrix element :math:`\\langle\\kappa_a\\|[Y_L\\otimes\\sigma]^J\\|\\kappa_b\\rangle`.

    The operator is :math:`\\boldsymbol{\\mathcal Y}^M_{JL1}\\cdot\\boldsymbol\\sigma =
    \\sum_{m\\lambda}\\langle L m 1\\lambda|JM\\rangle Y_{Lm}\\sigma_\\lambda` (spherical
    components :math:`\\sigma_{\\pm1} = \\mp(\\sigma_x\\pm i\\sigma_y)/\\sqrt2`,
    :math:`\\sigma_0=\\sigma_z`).

    Parameters
    ----------
    kappa_a, kappa_b : int
        Relativistic quantum numbers (nonzero). For the Dirac current use the large/small
        combinations, e.g. :math:`\\langle\\kappa_a\\|\\cdot\\|-\\kappa_b\\rangle` for
        :math:`\\boldsymbol\\alpha`.
    J : int
        Total rank (>= 0).
    L : int
        Orbital rank, :math:`|J-1| \\le L \\le J+1` for a non-zero result (>= 0).

    Returns
    -------
    float
        Dimensionless reduced matrix element; 0 unless :math:`l_a+L+l_b` is even and all
        triangles hold.

    Notes
    -----
    Tensor product of commuting operators (:cite:`Edmonds1957`, eq. 7.1.5):

    .. math::
        \\langle\\kappa_a\\|[Y_L\\otimes\\sigma]^J\\|\\kappa_b\\rangle =
        \\sqrt{(2j_a+1)(2j_b+1)(2J+1)}
        \\begin{Bmatrix} l_a & l_b & L\\\\ \\tfrac12 & \\tfrac12 & 1\\\\ j_a & j_b & J\\end{Bmatrix}
        \\langle l_a\\|Y_L\\|l_b\\rangle\\,\\langle\\tfrac12\\|\\sigma\\|\\tfrac12\\rangle,
        \\qquad \\langle\\tfrac12\\|\\sigma\\|\\tfrac12\\rangle = \\sqrt6 .
    """
    return float(reduced_sigmaY_kernel(_kappa(kappa_a, "kappa_a"), _rank("J", J), _rank("L", L),
                                       _kappa(kappa_b, "kappa_b")))


# ---------------------------------------------------------------------------------------
# selection rules of the multipole operators
# ---------------------------------------------------------------------------------------

_NATURAL = {"C": True, "L": True, "E": True, "M": False,
            "C5": False, "L5": False, "E5": False, "M5": True}
_TRANSVERSE = {"E", "M", "E5", "M5"}


def _kind(kind) -> str:
    text = str(kind).strip().upper()
    if text not in _NATURAL:
        raise ValueError(f"kind = {kind!r} is not one of {list(MULTIPOLE_KINDS)}")
    return text


def multipole_parity(J: int, kind: str) -> int:
    """Parity (+1 or -1) of the multipole operator of rank J and the given kind.

    Parameters
    ----------
    J : int
        Rank (>= 0).
    kind : {"C", "L", "E", "M", "C5", "L5", "E5", "M5"}
        Coulomb, longitudinal, transverse electric, magnetic; ``5`` = axial-current partner.

    Returns
    -------
    int
        :math:`(-1)^J` ("natural") for C, L, E, M5; :math:`(-1)^{J+1}` for M, C5, L5, E5.

    Notes
    -----
    :math:`Y_{JM}` and :math:`\\boldsymbol{\\mathcal Y}_{J,J\\pm1,1}` have parity
    :math:`(-1)^J`, :math:`\\boldsymbol{\\mathcal Y}_{JJ1}` has :math:`(-1)^{J+1}`; the
    vector current :math:`\\boldsymbol J` is a polar vector, :math:`J^0` a scalar, while
    the axial current has an axial :math:`\\boldsymbol J_5` and a pseudoscalar
    :math:`J_5^0`. Derived in the chapter *The multipole expansion*.
    """
    J = _rank("J", J)
    kind = _kind(kind)
    natural = 1 - 2 * (J % 2)
    return natural if _NATURAL[kind] else -natural


def allowed(kappa_a: int, J: int, kappa_b: int, kind: str) -> bool:
    """Whether the multipole of rank J and this kind connects orbitals κa and κb.

    Parameters
    ----------
    kappa_a, kappa_b : int
        Relativistic quantum numbers of the two orbitals (nonzero).
    J : int
        Multipole rank (>= 0).
    kind : {"C", "L", "E", "M", "C5", "L5", "E5", "M5"}
        See :func:`multipole_parity`.

    Returns
    -------
    bool
        True if :math:`|j_a-j_b| \\le J \\le j_a+j_b`, the operator parity equals
        :math:`(-1)^{l_a+l_b}`, :math:`J \\ge 1` for the transverse kinds (E, M, E5, M5),
        and, for the magnetic kinds, the angular factor of the Dirac current does not vanish
        identically: M needs :math:`\\kappa_a + \\kappa_b \\ne 0`, M5 needs
        :math:`\\kappa_a \\ne \\kappa_b`. Exactly the cases with a non-zero angular factor
        (tested against the reduced matrix elements of the Dirac currents).

    Notes
    -----
    The magnetic zeros follow from :math:`\\boldsymbol{\\mathcal Y}^M_{JJ1} = \\mathbf L
    Y_{JM}/\\sqrt{J(J+1)}` and :math:`\\boldsymbol\\sigma\\cdot\\mathbf L\\,\\Omega_{\\kappa m}
    = -(1+\\kappa)\\Omega_{\\kappa m}`, which give
    :math:`\\langle\\kappa_a\\|[Y_J\\otimes\\sigma]^J\\|\\kappa_b\\rangle =
    \\frac{\\kappa_b-\\kappa_a}{\\sqrt{J(J+1)}}\\langle\\kappa_a\\|Y_J\\|\\kappa_b\\rangle`.
    The vector current :math:`\\boldsymbol\\alpha` couples large to small components
    (:math:`\\kappa_b \\to -\\kappa_b`): factor :math:`-(\\kappa_a+\\kappa_b)`, cf. the
    magnetic multipoles of :cite:`Johnson2007`; the axial current
    :math:`\\boldsymbol\\Sigma` keeps them: factor :math:`\\kappa_b-\\kappa_a`.
    """
    kappa_a = _kappa(kappa_a, "kappa_a")
    kappa_b = _kappa(kappa_b, "kappa_b")
    J = _rank("J", J)
    kind = _kind(kind)
    if kind in _TRANSVERSE and J == 0:
        return False
    if not _triangle(two_j_of_kappa(kappa_a), two_j_of_kappa(kappa_b), 2 * J):
        return False
    if kind == "M" and kappa_a + kappa_b == 0:
        return False
    if kind == "M5" and kappa_a == kappa_b:
        return False
    return multipole_parity(J, kind) == parity_of_kappa(kappa_a) * parity_of_kappa(kappa_b)


def allowed_kappas(kappa_a: int, J: int, kind: str) -> list[int]:
    """All κb reachable from κa by the multipole of rank J and this kind, ordered by (l, j).

    Parameters
    ----------
    kappa_a : int
        Initial orbital (nonzero).
    J : int
        Multipole rank (>= 0).
    kind : {"C", "L", "E", "M", "C5", "L5", "E5", "M5"}
        See :func:`multipole_parity`.

    Returns
    -------
    list of int
        The κb with :func:`allowed` true (finitely many: :math:`j_b \\le j_a + J`).
    """
    kappa_a = _kappa(kappa_a, "kappa_a")
    J = _rank("J", J)
    kind = _kind(kind)
    two_ja = two_j_of_kappa(kappa_a)
    found = []
    for two_jb in range(abs(two_ja - 2 * J), two_ja + 2 * J + 1, 2):
        if two_jb < 1:
            continue
        for kappa_b in (-(two_jb + 1) // 2, (two_jb + 1) // 2):
            if allowed(kappa_a, J, kappa_b, kind):
                found.append(kappa_b)
    return sorted(found, key=lambda kb: (l_of_kappa(kb), two_j_of_kappa(kb)))
