"""Sterile-neutrino dark matter converting on shell inside a detector: the decay line.

A dark-matter sterile neutrino :math:`\\nu_s` with a transition magnetic moment :math:`\\mu`
converts on an atom into an active neutrino, :math:`\\nu_s + A \\to \\nu_a + A^+ + e^-`, by
one-photon exchange. In plane-wave kinematics the photon goes on shell (:math:`q^2 = 0`) inside
the allowed region near :math:`T = m_s/2` (:func:`nuatom.neutrino.sterile.conversion_peak_keV`),
where the cross section has a non-integrable :math:`1/q^4`. In a medium the transverse photon
propagator is :math:`1/(q^2 - \\Pi_T)` with :math:`\\mathrm{Im}\\,\\Pi_T = -\\omega\\,n\\sigma_\\gamma(\\omega)`
(:func:`nuatom.darkmatter.absorption.self_energy_keV2`, ħ = c = 1): the medium absorbs the
photon. Near the pole :math:`|1/(q^2-\\Pi_T)|^2\\,\\mathrm{Im}\\,\\Pi_T/\\pi` is a Lorentzian in
:math:`q^2` of unit area and half-width :math:`a = |\\mathrm{Im}\\,\\Pi_T|`; where :math:`a` is much
smaller than the kinematic band :math:`|q^2| \\le 2Tk` (:math:`k = m_sv`,
:func:`narrow_width_parameter`: ~4e-3 for Ge at 3.55 keV) the pole part of the conversion rate
is the decay rate :math:`\\Gamma(\\nu_s\\to\\nu_a\\gamma)` of the sterile neutrinos inside the
target, each photon photoionizing an atom within :math:`1/(n\\sigma_\\gamma)` (about 3 μm in Ge):
the photoabsorption cross section cancels. This module gives that part:

* the rate per kg (:func:`on_shell_rate_per_kg_day`);
* its spectrum, the Doppler box of the two-body decay averaged over the halo speeds and folded
  with the detector resolution (:func:`line_spectrum_per_kg_day_keV`);
* and, one layer up, the 90 % CL upper limit on :math:`\\mu` from a Ge (or any) exposure with a
  flat background (:func:`nuatom.experiments.sterile_line_limit.moment_upper_limit_muB`).

The off-shell remainder, conversions through a virtual photon away from the pole, is
:func:`off_shell_spectrum_per_kg_day_keV` (the massive-neutrino lepton tensor of
:func:`transition_moment_weights` with the packaged frozen-core response). In Ge it is 0.3 %
of the line (most of it below 0.16 keV), and the region within 0.3 keV of the pole adds an
estimated few 1e-3 more (its 1/(T - m_s/2)² tail, cut where the band reaches the pole): the
on-shell line is the spectrum to better than 1 %. Every part of the rate is non-negative, so a
limit from the line alone is also conservative. Photons from decays outside the target, and
those that escape from its surface layer (a fraction ~3 μm × area/volume), are not counted.
See the chapter *The keV sterile-neutrino dipole portal*.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
from scipy import special

from nuatom._validate import finite_nonnegative_array, positive_array
from nuatom.darkmatter.halo import shm_speed_distribution
from nuatom.darkmatter.rates import C_KM_S, SECONDS_PER_DAY
from nuatom.neutrino.sterile import decay_rate_moment_per_s

__all__ = ["sterile_number_density_per_cm3", "on_shell_rate_per_kg_day", "narrow_width_parameter",
           "line_spectrum_per_kg_day_keV", "transition_moment_weights", "off_shell_spectrum_per_kg_day_keV"]


def _positive(name: str, value, unit: str) -> float:
    return float(positive_array(name, value, unit))


def sterile_number_density_per_cm3(m_s_keV: float, rho_GeV_cm3: float = 0.3) -> float:
    """Sterile neutrinos per cm³ when they make up the local dark-matter density ``rho_GeV_cm3``."""
    return _positive("rho_GeV_cm3", rho_GeV_cm3, "GeV/cm^3") * 1e6 / _positive("m_s_keV", m_s_keV, "keV")


def on_shell_rate_per_kg_day(mu_muB, m_s_keV: float, density_g_cm3: float, rho_GeV_cm3: float = 0.3):
    """On-shell conversions (= radiative decays inside the target) per kg of target per day.

    Parameters
    ----------
    mu_muB : array_like
        Transition moment (Bohr magnetons, >= 0).
    m_s_keV : float
        Sterile-neutrino mass (keV).
    density_g_cm3 : float
        Mass density of the target (g/cm³): one kg holds ``1000/density`` cm³.
    rho_GeV_cm3 : float
        Local dark-matter density (GeV/cm³), all of it sterile neutrinos.
    """
    mu = finite_nonnegative_array("mu_muB", mu_muB, "mu_B")
    volume_cm3 = 1000.0 / _positive("density_g_cm3", density_g_cm3, "g/cm^3")
    n_s = sterile_number_density_per_cm3(m_s_keV, rho_GeV_cm3)
    return n_s * volume_cm3 * decay_rate_moment_per_s(mu, m_s_keV) * SECONDS_PER_DAY


def narrow_width_parameter(m_s_keV: float, v: float, im_self_energy_keV2: float) -> float:
    """:math:`a/(2Tk)`: the Lorentzian half-width :math:`a = |\\mathrm{Im}\\,\\Pi_T|` (keV²) of the
    in-medium photon pole over the half-width :math:`2Tk` of the kinematic band of :math:`q^2` at
    :math:`T = m_s/2` (:math:`k = m_s v`). The on-shell rate is the decay rate when it is << 1."""
    m = _positive("m_s_keV", m_s_keV, "keV")
    k = m * _positive("v", v, "c")
    return abs(float(im_self_energy_keV2)) / (2.0 * (m / 2.0) * k)


def _speed_grid(speed_distribution, v_max_km_s: float, nodes: int):
    x, w = np.polynomial.legendre.leggauss(nodes)
    v = 0.5 * v_max_km_s * (x + 1.0)
    weights = 0.5 * v_max_km_s * w * np.asarray(speed_distribution(v), float)
    return v, weights


def line_spectrum_per_kg_day_keV(T_keV, mu_muB: float, m_s_keV: float, density_g_cm3: float, *,
                                 resolution_sigma_keV: float, rho_GeV_cm3: float = 0.3,
                                 speed_distribution: Callable | None = None, v_max_km_s: float = 800.0,
                                 nodes: int = 64):
    """Measured spectrum of the on-shell conversions (events per kg per day per keV).

    A sterile neutrino of speed v emits, isotropically in its rest frame, a photon of
    :math:`m_s/2`; in the detector frame the energy is :math:`\\tfrac{m_s}{2}\\gamma(1+v\\cos\\theta')`,
    uniform between :math:`\\tfrac{m_s}{2}\\gamma(1\\mp v)` (the Doppler box). The box is averaged
    over the Earth-frame speed distribution (default: the standard halo,
    :func:`nuatom.darkmatter.halo.shm_speed_distribution`; any callable ``f(v_km_s)`` in s/km,
    normalised to 1 on [0, ``v_max_km_s``]) with ``nodes`` Gauss–Legendre points, and folded with
    a Gaussian resolution of standard deviation ``resolution_sigma_keV``.
    """
    T = np.asarray(T_keV, float)
    if np.any(~np.isfinite(T)):
        raise ValueError(f"T_keV = {T_keV!r} must be finite (keV)")
    sigma = _positive("resolution_sigma_keV", resolution_sigma_keV, "keV")
    v_max = _positive("v_max_km_s", v_max_km_s, "km/s")
    if v_max >= C_KM_S:
        raise ValueError(f"v_max_km_s = {v_max_km_s} outside the valid range (0, {C_KM_S:.0f}) km/s")
    f = shm_speed_distribution if speed_distribution is None else speed_distribution
    v_km_s, weights = _speed_grid(f, v_max, int(nodes))
    norm = float(np.sum(weights))
    if not (math.isfinite(norm) and norm > 0):
        raise ValueError("speed_distribution must be non-negative with a positive integral on [0, v_max_km_s]")
    rate = on_shell_rate_per_kg_day(mu_muB, m_s_keV, density_g_cm3, rho_GeV_cm3)
    beta = v_km_s / C_KM_S
    gamma = 1.0 / np.sqrt(1.0 - beta**2)
    e0 = 0.5 * float(m_s_keV) * gamma
    lo, hi = e0 * (1.0 - beta), e0 * (1.0 + beta)
    z = np.sqrt(2.0) * sigma
    Tc = T[..., None]
    width = hi - lo
    # box of width -> 0 (v = 0 node excluded by Gauss-Legendre) folded with the Gaussian
    box = (special.erf((hi - Tc) / z) - special.erf((lo - Tc) / z)) / (2.0 * width)
    return rate * np.sum(box * weights, axis=-1) / norm


# ---------------------------------------------------------------------- off-shell continuum
def transition_moment_weights(E_keV, Ep_keV, q_keV, m_s_keV) -> dict:
    """Weights of the transition-moment lepton tensor of a massive initial neutrino (keV⁴).

    :math:`L^{\\mu\\nu} = \\tfrac12\\mathrm{Tr}[\\not k_2\\,\\sigma^{\\mu\\alpha}q_\\alpha(\\not k_1 + m_s)
    \\sigma^{\\nu\\beta}q_\\beta]` (ν_s spin averaged, massless ν_a summed; the mass term has an odd
    number of γ matrices and drops), contracted with the atomic response, :math:`\\mathbf q\\parallel\\hat z`,
    :math:`k_1^2 = m_s^2`, :math:`k_2^2 = 0`; the chapter derives it with sympy. With
    :math:`S = E + E'`, :math:`s = q^2 - T^2`, :math:`W = S^2 - q^2`:

    ``R00``: :math:`S^2s - m_s^2(q^2 + m_s^2 - 2E^2 + 2E'^2)` (to be used with the charge-response
    longitudinal form :math:`(s/q^2)^2R_{00}`, current conservation); ``R1122``:
    :math:`\\frac{1}{2q^2}\\{s^2W + m_s^2[2(E'^4 - E^4) + 4EE'(E^2 - E'^2) + m_s^2(E - E')^2
    + 2q^2(E^2 - E'^2) + m_s^2q^2]\\}`, which is :math:`m_s^4` at the real-photon point
    :math:`q = T`. At :math:`m_s = 0` both are :func:`nuatom.neutrino.xsec.magnetic_weights`.
    """
    E = np.asarray(E_keV, float)
    Ep = np.asarray(Ep_keV, float)
    q = np.asarray(q_keV, float)
    m2 = float(m_s_keV) ** 2
    S = E + Ep
    T = E - Ep
    s = (q - T) * (q + T)
    W = S * S - q * q
    d2 = (E - Ep) * (E + Ep)   # E^2 - E'^2
    w00 = S * S * s - m2 * (q * q + m2 - 2.0 * d2)
    extra = 2.0 * (Ep**4 - E**4) + 4.0 * E * Ep * d2 + m2 * T * T + 2.0 * q * q * d2 + m2 * q * q
    w1122 = (s * s * W + m2 * extra) / (2.0 * q * q)
    return {"R00": w00, "R1122": w1122}


def off_shell_spectrum_per_kg_day_keV(T_keV, mu_muB: float, m_s_keV: float, element: str = "Ge", *,
                                      v: float = 1e-3, rho_GeV_cm3: float = 0.3, nodes: int = 16):
    """Conversions through a virtual photon, away from the photon pole (events/kg/day/keV).

    Rate per atom :math:`n_s\\,(k_1/E)\\,d\\sigma/dT` with
    :math:`d\\sigma/dT = \\frac{1}{8\\pi k_1^2}\\int_{E'-k_1}^{E'+k_1}q\\,dq\\,|g|^2L_{\\mu\\nu}R^{\\mu\\nu}`
    (the flux of a massive ν_s, :math:`k_1 = m_s\\gamma v`), :math:`g = 2\\pi\\alpha\\mu/(m_e q_\\mu^2)`,
    the weights of :func:`transition_moment_weights` and the frozen-core response of the
    packaged table (:class:`nuatom.neutrino.xsec.TableResponse`; ``T_keV`` on its grid). The
    vacuum propagator is used, which holds where the pole is outside the momentum range:
    :math:`|T - m_s/2| \\gg m_s v` (the in-medium width is ~1e-4 keV², the band :math:`s` here
    >= keV²). Returns 0 where the pole lies in the range (the on-shell line,
    :func:`line_spectrum_per_kg_day_keV`, carries it) and outside the kinematic range.
    At small v the range, and with it :math:`\\int q\\,dq`, is proportional to :math:`k_1`, so the
    result does not depend on v.
    """
    from nuatom.neutrino.xsec import TableResponse
    from nuatom.response import reference_table
    from nuatom.units import ALPHA, HBARC_KEV_CM, ME_KEV
    from nuatom.neutrino.sterile import HBAR_KEV_S
    from nuatom.darkmatter.rates import atoms_per_kg

    m = _positive("m_s_keV", m_s_keV, "keV")
    vv = _positive("v", v, "c")
    if vv >= 1:
        raise ValueError(f"v = {v} outside the valid range (0, 1) c")
    mu = float(finite_nonnegative_array("mu_muB", mu_muB, "mu_B"))
    T = np.atleast_1d(np.asarray(T_keV, float))
    response = TableResponse(reference_table(element))
    gamma = 1.0 / math.sqrt(1.0 - vv * vv)
    E = m * gamma
    k1 = E * vv
    n_s = sterile_number_density_per_cm3(m, rho_GeV_cm3) * HBARC_KEV_CM**3      # keV^3
    coupling = (2.0 * math.pi * ALPHA * mu / ME_KEV) ** 2
    x, w = np.polynomial.legendre.leggauss(int(nodes))
    out = np.zeros(T.shape)
    for i, t in enumerate(T):
        Ep = E - t
        if not (t > 0 and Ep > k1):
            continue
        q_lo, q_hi = Ep - k1, Ep + k1
        if q_lo <= t <= q_hi:          # the pole s = 0 is inside: the on-shell line
            continue
        q = 0.5 * (q_hi - q_lo) * x + 0.5 * (q_hi + q_lo)
        s = (q - t) * (q + t)
        parts = response.evaluate(t, q, spacelike_keV2=s)["V"]
        wts = transition_moment_weights(E, Ep, q, m)
        LR = wts["R00"] * parts["R00"] + wts["R1122"] * parts["R1122"]
        integral = 0.5 * (q_hi - q_lo) * np.sum(w * q * coupling / (s * s) * LR)
        rate_per_atom_keV = n_s * (k1 / E) * integral / (8.0 * math.pi * k1 * k1)       # keV / keV
        out[i] = rate_per_atom_keV / HBAR_KEV_S * SECONDS_PER_DAY * atoms_per_kg(element)
    return out
