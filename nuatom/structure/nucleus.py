"""Nuclear charge distributions and their electrostatic potential energy for an electron.

Models (``kind``):

* ``"point"`` — :math:`V = -Z/r`.
* ``"uniform"`` — uniformly charged sphere of radius :math:`R = \\sqrt{5/3}\\,r_{rms}`.
* ``"fermi"`` (default) — :math:`\\rho(r) \\propto [1 + e^{(r-c)/a}]^{-1}` with skin
  thickness :math:`t = 4a\\ln 3 = 2.3` fm and half-density radius from
  :math:`r_{rms}^2 = \\tfrac35 c^2 + \\tfrac75\\pi^2a^2` (terms of order :math:`e^{-c/a}`
  neglected, as in GRASP and ampsci).

Radii come from ``data/nuclear/rms_radii.csv`` (Angeli & Marinova 2013) or, for other
isotopes, the Johnson–Soff fit; see ``REFERENCE.md`` there.
"""
from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import numpy as np
from scipy import integrate

from nuatom.units import fm_to_bohr

__all__ = ["NuclearModel", "rms_radius_fm", "nuclear_potential", "fermi_parameters_fm"]

NucleusKind = Literal["point", "uniform", "fermi"]
SKIN_THICKNESS_FM = 2.3


@functools.cache
def _radius_table() -> dict[int, tuple[int, float]]:
    text = resources.files("nuatom.data.nuclear").joinpath("rms_radii.csv").read_text()
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    table = {}
    for row in csv.DictReader(rows):
        table[int(row["Z"])] = (int(row["A"]), float(row["r_rms_fm"]))
    return table


def rms_radius_fm(Z: int, A: int | None = None) -> tuple[float, int, str]:
    """Charge rms radius ``(r_rms_fm, A, source)`` for element ``Z`` (isotope ``A``)."""
    table = _radius_table()
    if Z in table and (A is None or A == table[Z][0]):
        A0, r = table[Z]
        return r, A0, "Angeli & Marinova, ADNDT 99, 69 (2013)"
    if A is None:
        import periodictable

        A = int(round(periodictable.elements[Z].mass))
    if A <= 9:
        raise ValueError(f"no tabulated radius for Z={Z}, A={A}, and the Johnson-Soff fit needs A > 9")
    return 0.836 * A ** (1.0 / 3.0) + 0.570, A, "Johnson & Soff fit, ADNDT 33, 405 (1985)"


def fermi_parameters_fm(r_rms_fm: float, t_fm: float = SKIN_THICKNESS_FM) -> tuple[float, float]:
    """Half-density radius ``c`` and diffuseness ``a`` (fm) of a Fermi distribution."""
    a = t_fm / (4.0 * math.log(3.0))
    c2 = (5.0 / 3.0) * r_rms_fm**2 - (7.0 / 3.0) * math.pi**2 * a**2
    if c2 <= 0:
        raise ValueError(f"r_rms_fm = {r_rms_fm} is too small for a Fermi distribution with t = {t_fm} fm")
    return math.sqrt(c2), a


@dataclass(frozen=True)
class NuclearModel:
    """Nuclear charge model.

    Attributes
    ----------
    kind : {'point', 'uniform', 'fermi'}
    r_rms_fm : float
        Charge rms radius (ignored for ``point``).
    skin_thickness_fm : float
        Fermi 10–90% skin thickness ``t``.
    """

    kind: NucleusKind = "fermi"
    r_rms_fm: float = 0.0
    skin_thickness_fm: float = SKIN_THICKNESS_FM

    def __post_init__(self):
        if self.kind not in ("point", "uniform", "fermi"):
            raise ValueError(f"nucleus kind = {self.kind!r} is not one of ['fermi', 'point', 'uniform']")
        if self.kind != "point" and not self.r_rms_fm > 0:
            raise ValueError(f"r_rms_fm = {self.r_rms_fm} must be > 0 for a {self.kind} nucleus")

    @classmethod
    def for_element(cls, Z: int, kind: NucleusKind = "fermi", A: int | None = None) -> "NuclearModel":
        """Default model for element ``Z``: tabulated radius, ``t = 2.3`` fm.

        A Fermi distribution with a 2.3 fm skin cannot have an rms radius below
        :math:`\\sqrt{7/5}\\,\\pi a \\approx 1.95` fm (H and He); for those nuclei ``"fermi"``
        falls back to the uniform sphere of the same rms radius, and the returned model's
        ``kind`` records the substitution.
        """
        if kind == "point":
            return cls("point", 0.0)
        r, _, _ = rms_radius_fm(Z, A)
        if kind == "fermi":
            a = SKIN_THICKNESS_FM / (4.0 * math.log(3.0))
            if (5.0 / 3.0) * r**2 <= (7.0 / 3.0) * math.pi**2 * a**2:
                return cls("uniform", r)
        return cls(kind, r)


def nuclear_potential(grid, Z: int, model: NuclearModel) -> np.ndarray:
    """Potential energy (Hartree) of an electron in the field of the nucleus, on ``grid``."""
    r = grid.r
    if model.kind == "point":
        return -Z / r
    if model.kind == "uniform":
        R = fm_to_bohr(math.sqrt(5.0 / 3.0) * model.r_rms_fm)
        inside = r < R
        return np.where(inside, -Z / (2 * R) * (3 - (r / R) ** 2), -Z / r)
    c, a = (fm_to_bohr(x) for x in fermi_parameters_fm(model.r_rms_fm, model.skin_thickness_fm))
    return _fermi_potential(r, Z, c, a)


def _fermi_potential(r, Z, c, a):
    """Exact (quadrature) potential of a normalized Fermi charge distribution."""
    def shape(x):
        # 1/(1+e^u) written to avoid overflow for large u
        u = (x - c) / a
        return math.exp(-u) / (1.0 + math.exp(-u)) if u > 0 else 1.0 / (1.0 + math.exp(u))

    r_edge = c + 60.0 * a  # beyond it the density is below e^-60 of its centre value
    breaks = [c - 10 * a, c, c + 10 * a]
    norm = 4 * math.pi * integrate.quad(lambda x: shape(x) * x * x, 0, r_edge, points=breaks,
                                        epsabs=0, epsrel=1e-13, limit=400)[0]
    V = -Z / r
    for i in np.nonzero(r < r_edge)[0]:
        ri = float(r[i])
        pts_in = [p for p in breaks if 0 < p < ri]
        pts_out = [p for p in breaks if ri < p < r_edge]
        q_in = integrate.quad(lambda x: shape(x) * x * x, 0, ri, points=pts_in or None,
                              epsabs=0, epsrel=1e-13, limit=400)[0]
        q_out = integrate.quad(lambda x: shape(x) * x, ri, r_edge, points=pts_out or None,
                               epsabs=0, epsrel=1e-13, limit=400)[0]
        V[i] = -Z * 4 * math.pi * (q_in / ri + q_out) / norm
    return V
