"""Multipole operators of the vector and axial currents between Dirac orbitals.

Definitions (seed talk, "Multipole Expansion & Operators"), with :math:`q = |\\mathbf q|`:

.. math::
    C_{JM} &= \\int j_J(qr)Y_{JM}\\,\\mathcal J^0,\\qquad
    L_{JM} = \\frac iq\\int\\nabla[j_J Y_{JM}]\\cdot\\boldsymbol{\\mathcal J},\\\\
    E_{JM} &= \\frac1q\\int[\\nabla\\times j_J\\boldsymbol{\\mathcal Y}^M_{JJ1}]\\cdot\\boldsymbol{\\mathcal J},\\qquad
    M_{JM} = \\int j_J\\boldsymbol{\\mathcal Y}^M_{JJ1}\\cdot\\boldsymbol{\\mathcal J},

and the axial partners C5, L5, E5, M5 with :math:`\\mathcal J_5^0 = \\bar\\psi\\gamma^0\\gamma_5\\psi = \\psi^\\dagger\\gamma_5\\psi`
and :math:`\\boldsymbol{\\mathcal J}_5 = \\psi^\\dagger\\boldsymbol\\Sigma\\psi`. With the gradient and curl
identities (checked in the multipole chapter)

.. math::
    \\nabla[j_JY_{JM}] &= q\\Big[\\sqrt{\\tfrac{J}{2J+1}}\\,j_{J-1}\\boldsymbol{\\mathcal Y}_{J,J-1} + \\sqrt{\\tfrac{J+1}{2J+1}}\\,j_{J+1}\\boldsymbol{\\mathcal Y}_{J,J+1}\\Big],\\\\
    \\nabla\\times[j_J\\boldsymbol{\\mathcal Y}_{JJ1}] &= iq\\Big[\\sqrt{\\tfrac{J+1}{2J+1}}\\,j_{J-1}\\boldsymbol{\\mathcal Y}_{J,J-1} - \\sqrt{\\tfrac{J}{2J+1}}\\,j_{J+1}\\boldsymbol{\\mathcal Y}_{J,J+1}\\Big],

every operator reduces to radial integrals of :math:`j_L(qr)` times the spin-angle reduced
matrix elements of :math:`Y_J` and :math:`[Y_L\\otimes\\sigma]^J` (:mod:`nuatom.numerics.angular`). For
:math:`\\psi = r^{-1}[P\\,\\Omega_\\kappa,\\, iQ\\,\\Omega_{-\\kappa}]` the bilinears are

.. math::
    \\psi_f^\\dagger\\psi_i &\\to P_fP_i\\langle\\kappa_f\\|\\cdot\\|\\kappa_i\\rangle + Q_fQ_i\\langle-\\kappa_f\\|\\cdot\\|-\\kappa_i\\rangle
    \\quad(\\text{also }\\boldsymbol\\Sigma),\\\\
    \\psi_f^\\dagger\\boldsymbol\\alpha\\psi_i &\\to i\\,[P_fQ_i\\langle\\kappa_f\\|\\sigma\\cdot\\|-\\kappa_i\\rangle - Q_fP_i\\langle-\\kappa_f\\|\\sigma\\cdot\\|\\kappa_i\\rangle]
    \\quad(\\text{also }\\gamma_5\\text{ without }\\sigma).

Reduced matrix elements follow Edmonds' Wigner–Eckart convention. The physical small
component is :math:`Q = \\tilde Q/c`; in the non-relativistic mode (``inv_c2 = 0``) the
density keeps only :math:`P_fP_i` while the currents keep :math:`\\tilde Q/c` (the Pauli
small component), which is the non-relativistic current including spin.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import spherical_jn

from nuatom.numerics.angular import allowed, reduced_sigmaY, reduced_Y
from nuatom.units import C_AU

__all__ = ["KINDS", "reduced_matrix_element", "multipole_radial", "bessel_table"]

KINDS = ("C", "L", "E", "M", "C5", "L5", "E5", "M5")


def bessel_table(L_max: int, q_au, r_bohr) -> np.ndarray:
    """:math:`j_L(q r)` for ``L = 0..L_max``: array ``[L, q, r]`` (one evaluation per grid)."""
    q = np.atleast_1d(np.asarray(q_au, float))
    x = q[:, None] * np.asarray(r_bohr, float)[None, :]
    return np.array([spherical_jn(L, x) for L in range(L_max + 1)])


def _pieces(kind: str, J: int):
    """``[(L, coefficient, bilinear)]`` with bilinear in {'rho', 'alpha', 'gamma5', 'sigma'}:
    the operator is sum coefficient * <bilinear with j_L(qr) and Y_J (rho, gamma5) or
    [Y_L x sigma]^J (alpha, sigma)>. Complex factors i are in the coefficients."""
    sJ = math.sqrt(J / (2 * J + 1))
    sJ1 = math.sqrt((J + 1) / (2 * J + 1))
    vector = kind in ("C", "L", "E", "M")
    space = "alpha" if vector else "sigma"
    base = kind.rstrip("5")
    if base == "C":
        return [(J, 1.0, "rho" if vector else "gamma5")]
    if base == "M":
        return [(J, 1.0, space)] if J >= 1 else []
    if base == "E":
        return [(J - 1, 1j * sJ1, space), (J + 1, -1j * sJ, space)] if J >= 1 else []
    if base == "L":
        out = [(J + 1, 1j * sJ1, space)]
        if J >= 1:
            out.insert(0, (J - 1, 1j * sJ, space))
        return out
    raise ValueError(f"operator kind = {kind!r} is not one of {KINDS}")


def _radial_weights(bilinear, kappa_f, kappa_i, J, L):
    """Angular factors ``(a_PP, a_QQ)`` or ``(a_PQ, a_QP)`` of one bilinear."""
    if bilinear == "rho":
        return reduced_Y(kappa_f, J, kappa_i), reduced_Y(-kappa_f, J, -kappa_i)
    if bilinear == "sigma":
        return reduced_sigmaY(kappa_f, J, L, kappa_i), reduced_sigmaY(-kappa_f, J, L, -kappa_i)
    if bilinear == "gamma5":
        return reduced_Y(kappa_f, J, -kappa_i), -reduced_Y(-kappa_f, J, kappa_i)
    # alpha
    return reduced_sigmaY(kappa_f, J, L, -kappa_i), -reduced_sigmaY(-kappa_f, J, L, kappa_i)


def multipole_radial(kind: str, J: int, kappa_f: int, kappa_i: int, Pf, Qtf, Pi, Qti,
                     weights, bessel, inv_c2: float) -> np.ndarray:
    """Reduced matrix elements :math:`\\langle f\\|O_J(q)\\|i\\rangle` for many ``q`` at once.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    J : int
        Multipolarity.
    kappa_f, kappa_i : int
    Pf, Qtf, Pi, Qti : ndarray
        Radial functions on one grid (``Qt = cQ``).
    weights : ndarray
        Quadrature weights of that grid.
    bessel : ndarray
        ``bessel[L, iq, ir] = j_L(q_iq r_ir)`` (from :func:`bessel_table`), L up to J + 1.
    inv_c2 : float
        :math:`1/c^2` of the orbitals (0: non-relativistic).

    Returns
    -------
    ndarray of complex
        One reduced matrix element per ``q`` (units: those of the orbitals' product, e.g.
        Hartree^-1/2 for a bound-continuum pair with energy-normalised continuum).
    """
    if not allowed(kappa_f, J, kappa_i, kind):
        return np.zeros(bessel.shape[1], dtype=complex)
    c_den = math.sqrt(inv_c2)  # density small component Q = Qt/c (0 non-relativistically)
    c_cur = 1.0 / C_AU         # current small component: always the physical 1/c
    out = np.zeros(bessel.shape[1], dtype=complex)
    for L, coef, bil in _pieces(kind, J):
        a1, a2 = _radial_weights(bil, kappa_f, kappa_i, J, L)
        if a1 == 0.0 and a2 == 0.0:
            continue
        if bil in ("rho", "sigma"):
            f = a1 * Pf * Pi + a2 * (c_den * Qtf) * (c_den * Qti)
            phase = 1.0
        else:
            f = a1 * Pf * (c_cur * Qti) + a2 * (c_cur * Qtf) * Pi
            phase = 1j
        out += coef * phase * (bessel[L] @ (weights * f))
    return out


def reduced_matrix_element(kind: str, J: int, q_au: float, final, initial, inv_c2: float) -> complex:
    """:math:`\\langle f\\|O_J(q)\\|i\\rangle` for orbitals given as ``(kappa, grid, P, Qt)``."""
    kf, grid, Pf, Qf = final
    ki, _, Pi, Qi = initial
    bessel = bessel_table(J + 1, [q_au], grid.r)
    return complex(multipole_radial(kind, J, kf, ki, Pf, Qf, Pi, Qi, grid.weights, bessel, inv_c2)[0])
