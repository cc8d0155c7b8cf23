"""Quenching: the electron-equivalent energy E_ee = Y(T_nr) T_nr of a nuclear recoil.

* **Lindhard** :cite:`Lindhard1963`: :math:`Y = kg(\\varepsilon)/(1 + kg(\\varepsilon))`,
  :math:`g = 3\\varepsilon^{0.15} + 0.7\\varepsilon^{0.6} + \\varepsilon`,
  :math:`\\varepsilon = 11.5\\,Z^{-7/3}\\,T_{nr}/\\mathrm{keV}`, and by default
  :math:`k = 0.133\\,Z^{2/3}A^{-1/2}` (0.157 for Ge, 0.166 for Xe). Measured Ge values
  scatter around it (k = 0.162 ± 0.004 from CONUS, Bonhomme et al. 2022); pass ``k`` to
  use another.
* **User-supplied**: any callable ``Y(T_nr_keV) -> ndarray`` (dimensionless, in (0, 1]).

Rates convert as :math:`dR/dE_{ee} = (dR/dT_{nr}) / (dE_{ee}/dT_{nr})`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import optimize

from nuatom._validate import finite_nonnegative_array, finite_scalar

__all__ = ["lindhard_k", "lindhard_yield", "Quenching", "lindhard", "custom"]


def lindhard_k(Z: int, A: float) -> float:
    """Lindhard's electronic stopping constant k = 0.133 Z^(2/3) A^(-1/2)."""
    return 0.133 * Z ** (2.0 / 3.0) / np.sqrt(A)


def lindhard_yield(T_nr_keV, Z: int, k: float):
    """Lindhard quenching factor Y(T_nr) (dimensionless) of a recoiling nucleus of charge Z."""
    T = finite_nonnegative_array("T_nr_keV", T_nr_keV, "keV")
    eps = 11.5 * Z ** (-7.0 / 3.0) * T
    g = 3.0 * eps**0.15 + 0.7 * eps**0.6 + eps
    return k * g / (1.0 + k * g)


@dataclass(frozen=True)
class Quenching:
    """A quenching model: ``yield_fn(T_nr_keV) -> Y`` and a label."""

    yield_fn: Callable
    label: str

    def ee_from_nr(self, T_nr_keV):
        """Electron-equivalent energy (keV_ee) of a recoil ``T_nr_keV`` (keV_nr)."""
        T = finite_nonnegative_array("T_nr_keV", T_nr_keV, "keV")
        return np.asarray(self.yield_fn(T), float) * T

    def dEee_dTnr(self, T_nr_keV, rel_step: float = 1e-4):
        """dE_ee/dT_nr by a central difference (relative step ``rel_step``)."""
        T = finite_nonnegative_array("T_nr_keV", T_nr_keV, "keV")
        h = np.maximum(T * rel_step, 1e-9)
        return (self.ee_from_nr(T + h) - self.ee_from_nr(np.maximum(T - h, 0.0))) / (
            T + h - np.maximum(T - h, 0.0))

    def nr_from_ee(self, E_ee_keV):
        """The recoil energy (keV_nr) that gives ``E_ee_keV`` (keV_ee) (monotonic inversion)."""
        E = finite_nonnegative_array("E_ee_keV", E_ee_keV, "keV")
        out = np.zeros_like(E)
        for idx in np.ndindex(E.shape):
            e = float(E[idx])
            if e <= 0:
                continue
            hi = e
            while float(self.ee_from_nr(hi)) < e:
                hi *= 2.0
                if hi > 1e9:
                    raise ValueError(f"E_ee_keV = {e}: the quenching model never reaches it")
            out[idx] = optimize.brentq(lambda t: float(self.ee_from_nr(t)) - e, 0.0, hi,
                                       xtol=1e-12, rtol=1e-10)
        return out

    def rate_ee(self, E_ee_keV, rate_nr: Callable):
        """dR/dE_ee (per keV_ee) from a function ``rate_nr(T_nr_keV)`` giving dR/dT_nr (per keV_nr)."""
        T = self.nr_from_ee(E_ee_keV)
        return np.where(T > 0, np.asarray(rate_nr(T), float) / self.dEee_dTnr(T), 0.0)


def lindhard(target: str, k: float | None = None) -> Quenching:
    """Lindhard quenching for an element (``"Ge"``, ``"Xe"``), with its natural mean mass number."""
    from nuatom.neutrino.nuclear_form_factors import target_isotopes

    isos = target_isotopes(target)
    Z = isos[0][0].Z
    A = sum(frac * iso.A for iso, frac in isos)
    kk = lindhard_k(Z, A) if k is None else finite_scalar("k", k)
    if not 0.0 < kk < 10.0:
        raise ValueError(f"k = {kk} outside the valid range (0, 10)")
    return Quenching(lambda T: lindhard_yield(T, Z, kk), f"Lindhard k = {kk:.4g} (Z = {Z})")


def custom(yield_fn: Callable, label: str = "user-supplied") -> Quenching:
    """A quenching model from a user function ``Y(T_nr_keV)`` (dimensionless)."""
    if not callable(yield_fn):
        raise ValueError(f"yield_fn = {yield_fn!r} is not callable")
    return Quenching(yield_fn, label)
