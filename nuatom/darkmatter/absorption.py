"""Absorption of bosonic dark matter (dark photons, axion-like particles) by atoms, from the photoionization cross section.

A non-relativistic boson of mass m (energy ω = m, momentum ≈ m v ≈ 10⁻³ m) is absorbed like a
photon of energy ω = m, with the atom's photoionization cross section σ_pe(ω) computed by
nuatom (``nuatom/data/photo/<El>.csv``: frozen-core DHF, all multipoles, Koopmans
thresholds). The momentum mismatch (|q| = 10⁻³ ω instead of ω) is negligible for the dipole
absorption that dominates. Per kg of target (N_T atoms) and local density ρ
:cite:`Pospelov2008`:

* **dark photon** with kinetic mixing κ:
  :math:`R = N_T\\,\\frac{\\rho}{m}\\,\\kappa_{\\rm eff}^2\\,\\sigma_{\\rm pe}(m)\\,c`, with the
  in-medium mixing :math:`\\kappa_{\\rm eff}^2 = \\kappa^2 m^4/[(m^2 - \\mathrm{Re}\\,\\Pi)^2 + (\\mathrm{Im}\\,\\Pi)^2]`,
  :math:`\\Pi(\\omega) = \\omega^2(1 - n^2)` the photon self-energy of the medium
  (:math:`\\mathrm{Im}\\,\\Pi = -\\omega\\,n_A\\sigma_{\\rm pe}`, :math:`\\mathrm{Re}\\,\\Pi` from the
  Kramers–Kronig relation for the refractive index, :func:`self_energy_keV2`); ``in_medium=False``
  gives the vacuum mixing κ_eff = κ;
* **ALP** with coupling :math:`g_{ae}` to electrons (axioelectric effect, β → 0):
  :math:`\\sigma_{ae}v = \\sigma_{\\rm pe}(m)\\,\\frac{3m^2}{16\\pi\\alpha m_e^2}g_{ae}^2\\,c`, so
  :math:`R = N_T\\frac{\\rho}{m}\\,\\sigma_{\\rm pe}(m)\\frac{3m^2g_{ae}^2}{16\\pi\\alpha m_e^2}\\,c`.

The absorbed energy appears as a line at T = m (smeared by the detector). Units: m in keV,
rates in events per kg per day.
"""
from __future__ import annotations

import math
import pathlib

import numpy as np

from nuatom.darkmatter.rates import C_CM_S, SECONDS_PER_DAY, atoms_per_kg
from nuatom.units import ALPHA, BARN_CM2, HBARC_KEV_CM, ME_KEV, N_A

__all__ = ["MEDIUM_DENSITY_G_CM3", "photo_cross_section_cm2", "self_energy_keV2",
           "dark_photon_rate_per_kg_day", "alp_rate_per_kg_day"]

_PHOTO = pathlib.Path(__file__).resolve().parents[1] / "data" / "photo"
#: Densities of the detector media (g/cm³): crystalline Ge at room temperature, liquid Xe at
#: its 1 bar boiling point (165 K) — CRC Handbook of Chemistry and Physics.
MEDIUM_DENSITY_G_CM3 = {"Ge": 5.323, "Xe": 2.953}
_CACHE: dict = {}


def _table(element: str):
    if element not in _CACHE:
        path = _PHOTO / f"{element}.csv"
        if not isinstance(element, str) or not path.exists():
            available = sorted(p.stem for p in _PHOTO.glob("*.csv"))
            raise ValueError(f"element = {element!r}: no packaged photoionization table (available: {available})")
        lines = [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
        header = lines[0].split(",")
        data = np.array([[float(x) for x in ln.split(",")] for ln in lines[1:]])
        w, s = data[:, header.index("omega_keV")], data[:, header.index("total_barn")]
        keep = s > 0
        _CACHE[element] = (w[keep], s[keep])
    return _CACHE[element]


def photo_cross_section_cm2(element: str, omega_keV):
    """Total photoionization cross section per atom (cm²), log-log interpolation of nuatom's
    packaged DHF table; 0 below the first threshold, ValueError above the table (30 keV)."""
    w, s = _table(element)
    om = np.asarray(omega_keV, float)
    if np.any(~np.isfinite(om)) or np.any(om <= 0) or np.any(om > w[-1]):
        raise ValueError(f"omega_keV = {omega_keV!r} is outside the valid range (0, {w[-1]:g}] keV")
    out = np.exp(np.interp(np.log(np.maximum(om, w[0])), np.log(w), np.log(s))) * BARN_CM2
    return np.where(om >= w[0], out, 0.0)


def self_energy_keV2(element: str, omega_keV, density_g_cm3: float | None = None):
    """Photon self-energy Π(ω) = ω²(1 − n²) of the medium at |q| → 0, in keV² (complex).

    Notes
    -----
    With the absorption coefficient μ(ω) = n_A σ_pe(ω) (keV, ħc = 1) and
    n ≈ 1 + δ + iβ: β = μ/(2ω), and Kramers–Kronig
    :math:`\\delta(\\omega) = \\frac1\\pi\\,P\\!\\int_0^\\infty\\frac{\\mu(\\omega')}{\\omega'^2-\\omega^2}d\\omega'`,
    so :math:`\\Pi = -2\\omega^2\\delta - i\\omega\\mu`. The integral runs over the packaged
    table (first threshold to 30 keV; principal value by subtracting μ(ω)); the strength above
    30 keV (Xe K shell, high-energy tails) is left out, which lowers Re Π by ≲ ω_p² × (missing
    fraction of the TRK sum); the discrete bound-bound lines are not in the table either. The
    medium is treated as independent atoms (no band structure, no local-field corrections). At high ω, Re Π → ω_p² = 4πα n_e/m_e (the TRK sum rule).
    """
    rho = MEDIUM_DENSITY_G_CM3.get(element) if density_g_cm3 is None else float(density_g_cm3)
    if rho is None or not (math.isfinite(rho) and rho > 0):
        raise ValueError(f"density_g_cm3 = {density_g_cm3!r} must be given (> 0) for element {element!r}")
    import periodictable

    n_A = rho / periodictable.elements.symbol(element).mass * N_A  # atoms/cm^3
    w, s = _table(element)
    mu_tab = n_A * s * BARN_CM2 * HBARC_KEV_CM  # keV
    om = np.atleast_1d(np.asarray(omega_keV, float))
    mu = n_A * photo_cross_section_cm2(element, om) * HBARC_KEV_CM
    re = np.empty(om.shape)
    a, b = w[0], w[-1]
    for i, x in enumerate(om):
        # P∫_a^b mu(w')/(w'^2 - x^2) dw' = ∫ [mu(w') - mu(x)]/(w'^2 - x^2) + mu(x) P∫ dw'/(w'^2 - x^2)
        mx = float(np.interp(np.log(x), np.log(w), np.log(mu_tab))) if a <= x <= b else 0.0
        mx = math.exp(mx) if a <= x <= b else 0.0
        den = w * w - x * x
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(np.abs(den) > 1e-12 * x * x, (mu_tab - mx) / den, 0.0)
        smooth = np.trapezoid(f, w)
        pv = mx / (2 * x) * math.log(abs((b - x) * (a + x) / ((b + x) * (a - x)))) if mx > 0 else 0.0
        re[i] = (smooth + pv) / math.pi
    Pi = -2.0 * om**2 * re - 1j * om * mu
    return Pi if np.ndim(omega_keV) else complex(Pi[0])


def _common(element, m_keV, rho_GeV_cm3):
    m = np.asarray(m_keV, float)
    if np.any(~np.isfinite(m)) or np.any(m <= 0):
        raise ValueError(f"m_keV = {m_keV!r} is outside the valid range (0, 30] keV")
    rho = float(rho_GeV_cm3)
    if not (math.isfinite(rho) and rho > 0):
        raise ValueError(f"rho_GeV_cm3 = {rho_GeV_cm3!r} is outside the valid range (0, inf)")
    return m, atoms_per_kg(element) * rho * 1e6 / m * C_CM_S * SECONDS_PER_DAY  # per (cm^2 kg day)


def dark_photon_rate_per_kg_day(element: str, m_keV, kappa: float, *, rho_GeV_cm3: float = 0.3,
                                in_medium: bool = True, density_g_cm3: float | None = None):
    """Absorption rate of dark-photon DM of mass m (keV) and kinetic mixing κ (events/kg/day)."""
    m, pref = _common(element, m_keV, rho_GeV_cm3)
    k2 = float(kappa) ** 2
    if in_medium:
        Pi = self_energy_keV2(element, m, density_g_cm3)
        k2 = k2 * m**4 / ((m * m - Pi.real) ** 2 + Pi.imag**2)
    return pref * k2 * photo_cross_section_cm2(element, m)


def alp_rate_per_kg_day(element: str, m_keV, g_ae: float, *, rho_GeV_cm3: float = 0.3):
    """Axioelectric absorption rate of ALP DM of mass m (keV) and electron coupling g_ae (events/kg/day)."""
    m, pref = _common(element, m_keV, rho_GeV_cm3)
    return pref * photo_cross_section_cm2(element, m) * 3.0 * m**2 * float(g_ae) ** 2 / (16.0 * math.pi * ALPHA * ME_KEV**2)
