"""Nuclei for coherent scattering: isotopes by natural abundance and nuclear form factors.

Targets are named as elements (``"Ge"``: natural isotopic mixture) or single isotopes
(``"Ge72"``). Isotopic abundances and atomic masses come from the ``periodictable``
package (IUPAC abundances, AME atomic masses); the nuclear mass is the atomic mass minus
``Z`` electron masses (the electron binding energy, < 0.1 MeV, is neglected: 1e-6 of M).

Form factors (functions of the three-momentum transfer ``q`` in keV, normalised to
``F(0) = 1``):

* **Helm** :cite:`Helm1956,LewinSmith1996`: :math:`F(q) = 3 j_1(qR_0)/(qR_0)\\, e^{-q^2s^2/2}`
  with skin thickness ``s = 0.9 fm``. The box radius follows from the rms radius,
  :math:`\\langle r^2\\rangle = \\tfrac35 R_0^2 + 3 s^2`. The default rms radius is the one
  of Lewin & Smith's parametrisation, :math:`R_0^2 = c^2 + \\tfrac73\\pi^2a^2 - 5s^2`,
  :math:`c = 1.23A^{1/3} - 0.60` fm, ``a = 0.52`` fm (their Eq. 4.11), the same for
  protons and neutrons unless a neutron skin is given.
* **Klein–Nystrand** :cite:`KleinNystrand1999`: a hard sphere of radius
  :math:`R_A = 1.2A^{1/3}` fm folded with a Yukawa of range ``a_k = 0.7`` fm,
  :math:`F(q) = 3 j_1(qR_A)/(qR_A)\\,/(1 + q^2a_k^2)`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import constants as _sc

from nuatom import units as u
from nuatom._validate import choice, finite_nonnegative_array, finite_scalar

__all__ = ["FORM_FACTORS", "HELM_SKIN_FM", "Isotope", "isotope", "natural_isotopes",
           "target_isotopes", "lewin_smith_rms_fm", "helm_form_factor",
           "klein_nystrand_form_factor", "NuclearModel"]

FORM_FACTORS = ("helm", "klein-nystrand")
#: Helm surface thickness s in fm (Lewin & Smith 1996).
HELM_SKIN_FM = 0.9
_LS_A_FM = 0.52
_KN_RANGE_FM = 0.7
_HBARC_KEV_FM = u.HBARC_KEV_CM * 1e13
_AMU_KEV = _sc.physical_constants["atomic mass constant energy equivalent in MeV"][0] * 1e3


@dataclass(frozen=True)
class Isotope:
    """One nuclide: ``Z``, ``A``, ``N = A - Z``, nuclear mass in keV, natural abundance (fraction)."""

    symbol: str
    Z: int
    A: int
    mass_keV: float
    abundance: float

    @property
    def N(self) -> int:
        return self.A - self.Z

    @property
    def name(self) -> str:
        return f"{self.symbol}{self.A}"


def _element(symbol: str):
    import periodictable

    el = getattr(periodictable, symbol, None)
    if el is None or not hasattr(el, "number") or el.number < 1:
        raise ValueError(f"target = {symbol!r} is not a chemical element symbol (e.g. 'Ge', 'Xe')")
    return el


@lru_cache(maxsize=None)
def isotope(symbol: str, A: int) -> Isotope:
    """The isotope ``symbol``-``A`` (abundance 0 if it is not a stable natural isotope)."""
    el = _element(symbol)
    try:
        iso = el[int(A)]
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"target = '{symbol}{A}': no isotope A = {A} of {symbol} is known; valid: "
                         f"{[i.isotope for i in el if i.abundance > 0]}") from None
    mass = iso.mass * _AMU_KEV - el.number * u.ME_KEV
    return Isotope(el.symbol, int(el.number), int(A), float(mass), float(iso.abundance) / 100.0)


@lru_cache(maxsize=None)
def natural_isotopes(symbol: str) -> tuple:
    """The stable isotopes of an element with their natural abundances (fractions summing to 1)."""
    el = _element(symbol)
    isos = [isotope(el.symbol, i.isotope) for i in el if i.abundance > 0]
    if not isos:
        raise ValueError(f"target = {symbol!r} has no natural isotopic abundances")
    total = sum(i.abundance for i in isos)
    return tuple(Isotope(i.symbol, i.Z, i.A, i.mass_keV, i.abundance / total) for i in isos)


def target_isotopes(target: str) -> tuple:
    """``((Isotope, fraction), ...)`` for ``"Ge"`` (natural mixture) or ``"Ge72"`` (fraction 1)."""
    if not isinstance(target, str):
        raise ValueError(f"target = {target!r} is not an element or isotope name such as 'Ge' or 'Ge72'")
    m = re.fullmatch(r"\s*([A-Z][a-z]?)[-\s]?(\d{1,3})?\s*", target)
    if m is None:
        raise ValueError(f"target = {target!r} is not an element or isotope name such as 'Ge' or 'Ge72'")
    sym, A = m.group(1), m.group(2)
    if A is None:
        return tuple((i, i.abundance) for i in natural_isotopes(sym))
    return ((isotope(sym, int(A)), 1.0),)


def lewin_smith_rms_fm(A: int) -> float:
    """Rms radius (fm) of the Helm distribution with Lewin & Smith's default parameters."""
    c = 1.23 * A ** (1.0 / 3.0) - 0.60
    R0_sq = c * c + 7.0 / 3.0 * math.pi**2 * _LS_A_FM**2 - 5.0 * HELM_SKIN_FM**2
    return math.sqrt(0.6 * R0_sq + 3.0 * HELM_SKIN_FM**2)


def _sphere(x):
    """3 j_1(x)/x, with its series below x = 1e-3 (cancellation)."""
    x = np.asarray(x, float)
    small = x < 1e-3
    xs = np.where(small, 1.0, x)
    val = 3.0 * (np.sin(xs) - xs * np.cos(xs)) / xs**3
    return np.where(small, 1.0 - x * x / 10.0, val)


def helm_form_factor(q_keV, rms_fm: float, skin_fm: float = HELM_SKIN_FM):
    """Helm form factor at momentum transfer ``q_keV`` (keV) for a distribution of rms radius ``rms_fm``.

    Notes
    -----
    :math:`F(q) = 3 j_1(qR_0)/(qR_0) \\exp(-q^2 s^2/2)`, :math:`R_0^2 = \\tfrac53(\\langle r^2\\rangle - 3s^2)`.
    """
    q = finite_nonnegative_array("q_keV", q_keV, "keV") / _HBARC_KEV_FM
    r = finite_scalar("rms_fm", rms_fm, "fm")
    s = finite_scalar("skin_fm", skin_fm, "fm")
    R0_sq = 5.0 / 3.0 * (r * r - 3.0 * s * s)
    if r <= 0 or s < 0 or R0_sq <= 0:
        raise ValueError(f"rms_fm = {r} with skin_fm = {s}: the valid range is rms_fm > sqrt(3) skin_fm > 0")
    return _sphere(q * math.sqrt(R0_sq)) * np.exp(-0.5 * (q * s) ** 2)


def klein_nystrand_form_factor(q_keV, A: int):
    """Klein–Nystrand form factor (hard sphere R_A = 1.2 A^(1/3) fm ⊗ Yukawa of range 0.7 fm)."""
    q = finite_nonnegative_array("q_keV", q_keV, "keV") / _HBARC_KEV_FM
    R = 1.2 * float(A) ** (1.0 / 3.0)
    return _sphere(q * R) / (1.0 + (q * _KN_RANGE_FM) ** 2)


@dataclass(frozen=True)
class NuclearModel:
    """How the nucleus is described: form-factor kind and neutron skin.

    Parameters
    ----------
    form_factor : {'helm', 'klein-nystrand', 'none'}
        ``'none'`` sets F = 1 (point nucleus; for analytic checks).
    neutron_skin_fm : float
        Difference of the neutron and proton rms radii in fm (Helm only; 0 by default:
        the neutron skins of Ge and Xe, ~0.1–0.2 fm, change rates at reactor energies by
        < 0.1%).
    """

    form_factor: str = "helm"
    neutron_skin_fm: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "form_factor",
                           choice("form_factor", self.form_factor, FORM_FACTORS + ("none",)))
        object.__setattr__(self, "neutron_skin_fm",
                           finite_scalar("neutron_skin_fm", self.neutron_skin_fm, "fm"))

    def proton(self, q_keV, iso: Isotope):
        """Proton (≈ charge) form factor of ``iso`` at ``q_keV``."""
        if self.form_factor == "none":
            return np.ones_like(finite_nonnegative_array("q_keV", q_keV, "keV"))
        if self.form_factor == "klein-nystrand":
            return klein_nystrand_form_factor(q_keV, iso.A)
        return helm_form_factor(q_keV, lewin_smith_rms_fm(iso.A))

    def neutron(self, q_keV, iso: Isotope):
        """Neutron form factor of ``iso`` at ``q_keV``."""
        if self.form_factor != "helm" or self.neutron_skin_fm == 0.0:
            return self.proton(q_keV, iso)
        return helm_form_factor(q_keV, lewin_smith_rms_fm(iso.A) + self.neutron_skin_fm)
