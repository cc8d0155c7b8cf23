"""Dark-matter halo: the standard halo model, the mean inverse speed η(v_min), any velocity distribution, annual modulation.

Velocities in km/s, η in s/km, densities in GeV/cm³. The Earth-frame speed distribution
``f(v)`` is normalized to ∫ f dv = 1 and

.. math:: \\eta(v_{\\min}) = \\int_{v_{\\min}}^\\infty \\frac{f(v)}{v}\\,dv .

The standard halo model (SHM) is a Maxwell–Boltzmann distribution with dispersion
:math:`v_0/\\sqrt2` in the galactic frame, cut sharply at the escape speed, seen from the
Earth moving at :math:`v_E`. Its defaults are the recommended conventions of Baxter et al.
:cite:`Baxter2021`: :math:`v_0 = 238`, :math:`v_E = 250.2`, :math:`v_{\\rm esc} = 544` km/s,
:math:`\\rho_\\chi = 0.3` GeV/cm³.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import integrate, special

__all__ = ["StandardHalo", "SHM", "TabulatedHalo", "CallableHalo", "eta_shm_s_per_km",
           "shm_speed_distribution", "eta_numeric_s_per_km", "earth_speed_km_s"]

_SQRT_PI = math.sqrt(math.pi)


def _positive(name: str, value: float, unit: str) -> float:
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} = {value!r} is outside the valid range (0, inf) {unit}")
    return value


def _norm_esc(z: float) -> float:
    """N_esc = erf z − (2/√π) z e^{−z²}: the fraction of the untruncated Maxwellian below v_esc."""
    return special.erf(z) - 2.0 / _SQRT_PI * z * math.exp(-z * z)


def shm_speed_distribution(v_km_s, v0_km_s=238.0, vE_km_s=250.2, vesc_km_s=544.0):
    """Earth-frame speed distribution f(v) of the SHM, in s/km (∫ f dv = 1).

    Parameters
    ----------
    v_km_s : array_like
        DM speed in the Earth frame (km/s, >= 0).
    v0_km_s, vE_km_s, vesc_km_s : float
        Most probable galactic speed, Earth speed and escape speed (km/s).

    Notes
    -----
    Integrating the truncated Maxwellian :math:`e^{-u^2/v_0^2}/(N_{\\rm esc}\\pi^{3/2}v_0^3)`,
    :math:`|\\mathbf u| < v_{\\rm esc}`, over the directions of :math:`\\mathbf v = \\mathbf u - \\mathbf v_E`:

    .. math:: f(v) = \\frac{v}{N_{\\rm esc}\\sqrt\\pi\\,v_0 v_E}\\Big[e^{-(v-v_E)^2/v_0^2}
              - e^{-\\min\\{(v+v_E)^2,\\,v_{\\rm esc}^2\\}/v_0^2}\\Big]

    for :math:`v < v_{\\rm esc} + v_E`, zero above.
    """
    v0, vE, vesc = (_positive(n, x, "km/s") for n, x in
                    (("v0_km_s", v0_km_s), ("vE_km_s", vE_km_s), ("vesc_km_s", vesc_km_s)))
    v = np.asarray(v_km_s, dtype=float)
    n = _norm_esc(vesc / v0)
    upper = np.minimum((v + vE) ** 2, vesc**2)
    f = v / (n * _SQRT_PI * v0 * vE) * (np.exp(-(v - vE) ** 2 / v0**2) - np.exp(-upper / v0**2))
    return np.where((v >= 0) & (v < vesc + vE), np.maximum(f, 0.0), 0.0)


def eta_shm_s_per_km(vmin_km_s, v0_km_s=238.0, vE_km_s=250.2, vesc_km_s=544.0):
    """Closed-form η(v_min) of the SHM, in s/km.

    Parameters
    ----------
    vmin_km_s : array_like
        Minimum DM speed (km/s, >= 0).
    v0_km_s, vE_km_s, vesc_km_s : float
        SHM parameters (km/s); requires v_E < v_esc.

    Notes
    -----
    With :math:`x = v_{\\min}/v_0`, :math:`y = v_E/v_0`, :math:`z = v_{\\rm esc}/v_0`
    (Savage, Freese & Gondolo; as coded in ``wimprates``):

    * :math:`x < z - y`: :math:`\\eta = [\\operatorname{erf}(x+y) - \\operatorname{erf}(x-y) - \\tfrac{4}{\\sqrt\\pi}y e^{-z^2}]/(2N_{\\rm esc}v_0y)`;
    * :math:`z - y \\le x < z + y`: :math:`\\eta = [\\operatorname{erf}z - \\operatorname{erf}(x-y) - \\tfrac{2}{\\sqrt\\pi}(z+y-x)e^{-z^2}]/(2N_{\\rm esc}v_0y)`;
    * :math:`x \\ge z + y`: :math:`\\eta = 0`.

    Checked against the numerical integral of :func:`shm_speed_distribution` to 1e-6.
    """
    v0, vE, vesc = (_positive(n, x, "km/s") for n, x in
                    (("v0_km_s", v0_km_s), ("vE_km_s", vE_km_s), ("vesc_km_s", vesc_km_s)))
    if vE >= vesc:
        raise ValueError(f"vE_km_s = {vE!r} must be below vesc_km_s = {vesc!r}")
    vmin = np.asarray(vmin_km_s, dtype=float)
    if np.any(~np.isfinite(vmin)) or np.any(vmin < 0):
        raise ValueError(f"vmin_km_s = {vmin_km_s!r} is outside the valid range [0, inf) km/s")
    x, y, z = vmin / v0, vE / v0, vesc / v0
    n = _norm_esc(z)
    ez = math.exp(-z * z)
    low = special.erf(x + y) - special.erf(x - y) - 4.0 / _SQRT_PI * y * ez
    mid = special.erf(z) - special.erf(x - y) - 2.0 / _SQRT_PI * (z + y - x) * ez
    eta = np.where(x < z - y, low, np.where(x < z + y, mid, 0.0)) / (2.0 * n * v0 * y)
    return np.maximum(eta, 0.0)


def eta_numeric_s_per_km(speed_distribution: Callable, vmin_km_s, v_max_km_s: float,
                         *, rtol: float = 1e-10, points=()):
    """η(v_min) = ∫_{v_min}^{v_max} f(v)/v dv by adaptive quadrature, for any speed distribution.

    Parameters
    ----------
    speed_distribution : callable
        f(v) in s/km of the Earth-frame speed v in km/s, normalized to 1 over [0, v_max].
    vmin_km_s : array_like
        Minimum speeds (km/s, >= 0).
    v_max_km_s : float
        Largest speed in the distribution (km/s); η = 0 above it.
    rtol : float
        Relative tolerance of the quadrature.
    points : sequence of float
        Speeds (km/s) where f has kinks (e.g. v_esc − v_E for the SHM), passed to the quadrature.
    """
    vmax = _positive("v_max_km_s", v_max_km_s, "km/s")
    vmin = np.atleast_1d(np.asarray(vmin_km_s, dtype=float))
    if np.any(~np.isfinite(vmin)) or np.any(vmin < 0):
        raise ValueError(f"vmin_km_s = {vmin_km_s!r} is outside the valid range [0, inf) km/s")
    out = np.zeros(vmin.shape)
    for i, lo in enumerate(vmin):
        if lo < vmax:
            brk = [p for p in points if lo < p < vmax] or None
            out[i] = integrate.quad(lambda v: float(speed_distribution(v)) / v if v > 0 else 0.0,
                                    lo, vmax, epsabs=0.0, epsrel=rtol, limit=400, points=brk)[0]
    return out if np.ndim(vmin_km_s) else float(out[0])


@dataclass(frozen=True)
class StandardHalo:
    """The standard halo model (truncated Maxwellian) with the recommended defaults.

    Attributes
    ----------
    rho_GeV_cm3 : float
        Local DM density (GeV/cm³).
    v0_km_s, vE_km_s, vesc_km_s : float
        Most probable galactic speed, Earth speed (yearly mean), escape speed (km/s).

    Defaults: Baxter et al. :cite:`Baxter2021` (v0 = 238, vE = 250.2, vesc = 544 km/s,
    ρ = 0.3 GeV/cm³).
    """

    rho_GeV_cm3: float = 0.3
    v0_km_s: float = 238.0
    vE_km_s: float = 250.2
    vesc_km_s: float = 544.0

    def __post_init__(self):
        for name in ("rho_GeV_cm3", "v0_km_s", "vE_km_s", "vesc_km_s"):
            _positive(name, getattr(self, name), "GeV/cm^3" if name.startswith("rho") else "km/s")
        if self.vE_km_s >= self.vesc_km_s:
            raise ValueError(f"vE_km_s = {self.vE_km_s!r} must be below vesc_km_s = {self.vesc_km_s!r}")

    @property
    def v_max_km_s(self) -> float:
        """Largest Earth-frame speed v_esc + v_E (km/s)."""
        return self.vesc_km_s + self.vE_km_s

    def eta_s_per_km(self, vmin_km_s):
        """η(v_min) in s/km (closed form, :func:`eta_shm_s_per_km`)."""
        return eta_shm_s_per_km(vmin_km_s, self.v0_km_s, self.vE_km_s, self.vesc_km_s)

    def speed_distribution(self, v_km_s):
        """f(v) in s/km (:func:`shm_speed_distribution`)."""
        return shm_speed_distribution(v_km_s, self.v0_km_s, self.vE_km_s, self.vesc_km_s)

    def at_day(self, day: float) -> "StandardHalo":
        """The same halo seen on ``day`` (days after 1 January, 0h UT), with v_E(t) of :func:`earth_speed_km_s`."""
        from dataclasses import replace

        return replace(self, vE_km_s=float(earth_speed_km_s(day, mean_km_s=self.vE_km_s)))


#: The default standard halo (Baxter et al. 2021 conventions).
SHM = StandardHalo()


@dataclass(frozen=True)
class TabulatedHalo:
    """A user-supplied Earth-frame speed distribution given as a table.

    Attributes
    ----------
    v_km_s : array
        Increasing speeds (km/s, >= 0).
    f_s_per_km : array
        f(v) (s/km, >= 0); normalized here to ∫ f dv = 1 (trapezoid rule).
    rho_GeV_cm3 : float
        Local DM density (GeV/cm³).

    η is the exact integral of f(v)/v with f the piecewise-linear interpolant of the table
    (closed form per segment).
    """

    v_km_s: tuple
    f_s_per_km: tuple
    rho_GeV_cm3: float = 0.3

    def __post_init__(self):
        v = np.asarray(self.v_km_s, float)
        f = np.asarray(self.f_s_per_km, float)
        if v.ndim != 1 or v.shape != f.shape or v.size < 2:
            raise ValueError("v_km_s and f_s_per_km must be 1-D arrays of the same length >= 2")
        if np.any(np.diff(v) <= 0) or v[0] < 0 or not np.all(np.isfinite(v)):
            raise ValueError(f"v_km_s must be finite, >= 0 and strictly increasing (got {v[:3]}...)")
        if np.any(f < 0) or not np.all(np.isfinite(f)) or np.trapezoid(f, v) <= 0:
            raise ValueError("f_s_per_km must be finite, >= 0 and not all zero")
        _positive("rho_GeV_cm3", self.rho_GeV_cm3, "GeV/cm^3")
        object.__setattr__(self, "v_km_s", tuple(v))
        object.__setattr__(self, "f_s_per_km", tuple(f / np.trapezoid(f, v)))

    @property
    def v_max_km_s(self) -> float:
        return float(self.v_km_s[-1])

    def speed_distribution(self, v_km_s):
        return np.interp(v_km_s, self.v_km_s, self.f_s_per_km, left=0.0, right=0.0)

    def eta_s_per_km(self, vmin_km_s):
        """η(v_min) in s/km: exact integral of the linear interpolant of f over v (closed form per segment)."""
        v = np.asarray(self.v_km_s)
        f = np.asarray(self.f_s_per_km)
        vmin = np.asarray(vmin_km_s, dtype=float)
        if np.any(~np.isfinite(vmin)) or np.any(vmin < 0):
            raise ValueError(f"vmin_km_s = {vmin_km_s!r} is outside the valid range [0, inf) km/s")
        # on [a, b], f = f_a + s (v - a): ∫ f/v dv = (f_a - s a) ln(b/a) + s (b - a); a = 0 is
        # integrable only with f(0) = 0, where the log term has zero weight
        slope = np.diff(f) / np.diff(v)

        def seg(a, b, fa, s_):
            a_safe = np.where(a > 0, a, 1.0)
            log_term = np.where(a > 0, np.log(np.maximum(b, a_safe) / a_safe), 0.0)
            return (fa - s_ * a) * log_term + s_ * (b - a)

        cum = self.__dict__.get("_cum")
        if cum is None:  # cum[k] = ∫_{v_k}^{v_end} f/v dv
            pieces = seg(v[:-1], v[1:], f[:-1], slope)
            cum = np.concatenate([np.cumsum(pieces[::-1])[::-1], [0.0]])
            object.__setattr__(self, "_cum", cum)
        lo = np.maximum(vmin, v[0])
        k = np.clip(np.searchsorted(v, lo, side="right") - 1, 0, v.size - 2)
        fa = f[k] + slope[k] * (lo - v[k])
        eta = seg(lo, v[k + 1], fa, slope[k]) + cum[k + 1]
        return np.where(vmin < v[-1], eta, 0.0) if vmin.ndim else float(np.where(vmin < v[-1], eta, 0.0))


@dataclass(frozen=True)
class CallableHalo:
    """A user-supplied Earth-frame speed distribution f(v) (callable, s/km of km/s), η by quadrature.

    Attributes
    ----------
    speed_distribution_fn : callable
        f(v); normalized here numerically over [0, v_max_km_s].
    v_max_km_s : float
        Largest speed (km/s).
    rho_GeV_cm3 : float
        Local DM density (GeV/cm³).
    """

    speed_distribution_fn: Callable
    v_max_km_s: float
    rho_GeV_cm3: float = 0.3

    def __post_init__(self):
        _positive("v_max_km_s", self.v_max_km_s, "km/s")
        _positive("rho_GeV_cm3", self.rho_GeV_cm3, "GeV/cm^3")

    def _norm(self) -> float:
        norm = integrate.quad(lambda v: float(self.speed_distribution_fn(v)), 0.0, self.v_max_km_s,
                              epsabs=0.0, epsrel=1e-11, limit=400)[0]
        if not norm > 0:
            raise ValueError("speed_distribution_fn integrates to zero over [0, v_max_km_s]")
        return norm

    def speed_distribution(self, v_km_s):
        return np.vectorize(lambda v: float(self.speed_distribution_fn(v)))(v_km_s) / self._norm()

    def tabulated(self, n_points: int = 20001) -> "TabulatedHalo":
        """The same distribution sampled on ``n_points`` speeds (η then in closed form per segment)."""
        v = np.linspace(0.0, self.v_max_km_s, int(n_points))
        f = np.array([float(self.speed_distribution_fn(x)) for x in v])
        return TabulatedHalo(tuple(v), tuple(f), self.rho_GeV_cm3)

    def eta_s_per_km(self, vmin_km_s):
        """η by adaptive quadrature for a few points; for many (a rate evaluates thousands) the
        distribution is sampled once on 20001 speeds (:meth:`tabulated`, error ~1e-8 for smooth f)."""
        vmin = np.asarray(vmin_km_s, dtype=float)
        if vmin.size > 50:
            cache = self.__dict__.get("_tab")
            if cache is None:
                cache = self.tabulated()
                object.__setattr__(self, "_tab", cache)
            return cache.eta_s_per_km(vmin)
        return eta_numeric_s_per_km(self.speed_distribution_fn, vmin_km_s, self.v_max_km_s) / self._norm()


#: Earth's orbital speed around the Sun (km/s) and the projection cos(gamma) of the orbit on
#: the Sun's galactic motion; June 2 (day 152.5) is the maximum (Freese, Lisanti & Savage 2013).
V_ORBIT_KM_S = 29.8
COS_GAMMA = 0.49
PEAK_DAY = 152.5
YEAR_DAYS = 365.25


def earth_speed_km_s(day, mean_km_s: float = 250.2):
    """Earth's speed in the galactic frame over the year, first order in the orbital speed (km/s).

    Parameters
    ----------
    day : array_like
        Days after 1 January 0h UT.
    mean_km_s : float
        Yearly mean (km/s).

    Notes
    -----
    :math:`v_E(t) = \\bar v_E + V_{\\rm orb}\\cos\\gamma\\cos[2\\pi(t - t_0)/\\text{yr}]`, with
    :math:`V_{\\rm orb} = 29.8` km/s, :math:`\\cos\\gamma = 0.49`, :math:`t_0` = June 2
    :cite:`Freese2013`: an amplitude of 14.6 km/s. The eccentricity and the exact orbital
    geometry (Lee, Lisanti & Safdi) shift the phase by a few days, not the amplitude.
    """
    _positive("mean_km_s", mean_km_s, "km/s")
    t = np.asarray(day, dtype=float)
    if np.any(~np.isfinite(t)):
        raise ValueError(f"day = {day!r} must be finite")
    return mean_km_s + V_ORBIT_KM_S * COS_GAMMA * np.cos(2.0 * np.pi * (t - PEAK_DAY) / YEAR_DAYS)
