"""Physical constants and unit conversions: the only module that writes a constant.

Every constant is taken from :mod:`scipy.constants` (CODATA, the edition shipped with
the installed SciPy), except the two electroweak inputs that CODATA does not carry in
the form we need (the low-energy weak mixing angle and the W mass), which are quoted
below with their source.

Two unit systems meet in this package (see ``conventions.md``):

* atomic-structure code works in **Hartree atomic units** (energy in Hartree, length in
  bohr, momentum in 1/bohr, :math:`\\hbar = m_e = e = 1`, :math:`c = 1/\\alpha`);
* the particle-physics API works in **keV** for energies and momenta (natural units,
  :math:`\\hbar = c = 1`) and returns cross sections in **cm²** (differential ones in
  cm²/keV).

Conversions
-----------
``HARTREE_KEV``
    1 Hartree in keV (= :math:`\\alpha^2 m_e c^2`).
``MOMENTUM_AU_KEV``
    1 atomic unit of momentum, :math:`\\hbar/a_0 = \\alpha m_e c`, in keV/c.
``HBARC_KEV_CM``
    :math:`\\hbar c` in keV·cm; a cross section in keV⁻² times ``HBARC_KEV_CM**2`` is in cm².
"""
from __future__ import annotations

import math

from scipy import constants as _sc

__all__ = [
    "ALPHA", "C_AU", "ME_KEV", "HARTREE_KEV", "HARTREE_EV", "MOMENTUM_AU_KEV",
    "BOHR_CM", "BOHR_FM", "HBARC_KEV_CM", "HBARC_KEV_CM_SQ", "GF_KEV", "GF_GEV",
    "SIN2_THETA_W", "SIN2_THETA_W_SCHEME", "MW_KEV", "MU_B_KEV", "R_E_CM", "BARN_CM2",
    "N_A", "M_PI_CHARGED_KEV", "M_MU_KEV", "KEV_PER_HARTREE", "kev_to_hartree", "hartree_to_kev", "q_kev_to_au",
    "q_au_to_kev", "inv_kev2_to_cm2", "fm_to_bohr",
]

#: Fine-structure constant (dimensionless).
ALPHA: float = _sc.fine_structure
#: Speed of light in Hartree atomic units, c = 1/alpha.
C_AU: float = 1.0 / ALPHA
#: Electron rest energy m_e c^2 in keV.
ME_KEV: float = _sc.physical_constants["electron mass energy equivalent in MeV"][0] * 1e3
#: Hartree energy in eV and keV.
HARTREE_EV: float = _sc.physical_constants["Hartree energy in eV"][0]
HARTREE_KEV: float = HARTREE_EV * 1e-3
KEV_PER_HARTREE: float = HARTREE_KEV
#: One atomic unit of momentum (alpha m_e c) in keV/c.
MOMENTUM_AU_KEV: float = ALPHA * ME_KEV
#: Bohr radius in cm and fm.
BOHR_CM: float = _sc.physical_constants["Bohr radius"][0] * 1e2
BOHR_FM: float = _sc.physical_constants["Bohr radius"][0] * 1e15
#: hbar*c in keV*cm, and its square in keV^2 cm^2 (converts keV^-2 to cm^2).
HBARC_KEV_CM: float = _sc.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e3 * 1e-13
HBARC_KEV_CM_SQ: float = HBARC_KEV_CM**2
#: Fermi constant G_F/(hbar c)^3 in GeV^-2 (muon decay, CODATA) and in keV^-2.
GF_GEV: float = _sc.physical_constants["Fermi coupling constant"][0]
GF_KEV: float = GF_GEV * 1e-12
#: Weak mixing angle at low momentum transfer, MS-bar scheme run to q -> 0:
#: sin^2 theta_W(0) = 0.23857(5) (PDG 2022 electroweak review, Erler & Ferro-Hernandez).
#: Tree-level nu-e formulas with this value reproduce the radiatively corrected
#: nu-e cross section to about 1% (Bahcall, Kamionkowski & Sirlin 1995).
SIN2_THETA_W: float = 0.23857
SIN2_THETA_W_SCHEME: str = "MS-bar, run to q^2 -> 0 (PDG 2022: 0.23857(5))"
#: W-boson mass in keV (PDG 2022: 80.377(12) GeV); used only to quote the charge-radius
#: coupling in the Vogel-Engel form (2/3) M_W^2 sin^2 theta_W <r^2>.
MW_KEV: float = 80.377e6
#: Bohr magneton e*hbar/(2 m_e) in natural units, in keV^-1 (mu_B = sqrt(4 pi alpha)/(2 m_e)
#: with e = sqrt(4 pi alpha) in Heaviside-Lorentz natural units).
MU_B_KEV: float = math.sqrt(4.0 * math.pi * ALPHA) / (2.0 * ME_KEV)
#: Classical electron radius in cm.
R_E_CM: float = _sc.physical_constants["classical electron radius"][0] * 1e2
#: One barn in cm^2.
BARN_CM2: float = 1e-24
#: Avogadro constant in 1/mol.
N_A: float = _sc.Avogadro
#: Charged-pion mass in keV (PDG 2022: 139.57039(18) MeV; CODATA does not carry it), used
#: only for the stopped-pion neutrino line.
M_PI_CHARGED_KEV: float = 139.57039e3
#: Muon mass in keV (CODATA).
M_MU_KEV: float = _sc.physical_constants["muon mass energy equivalent in MeV"][0] * 1e3


def kev_to_hartree(energy_kev):
    """Convert an energy from keV to Hartree."""
    return energy_kev / HARTREE_KEV


def hartree_to_kev(energy_hartree):
    """Convert an energy from Hartree to keV."""
    return energy_hartree * HARTREE_KEV


def q_kev_to_au(q_kev):
    """Convert a momentum from keV/c to atomic units (1/bohr)."""
    return q_kev / MOMENTUM_AU_KEV


def q_au_to_kev(q_au):
    """Convert a momentum from atomic units (1/bohr) to keV/c."""
    return q_au * MOMENTUM_AU_KEV


def inv_kev2_to_cm2(value_inv_kev2):
    """Convert an area from natural units (keV^-2) to cm^2."""
    return value_inv_kev2 * HBARC_KEV_CM_SQ


def fm_to_bohr(length_fm):
    """Convert a length from fm to bohr."""
    return length_fm / BOHR_FM
