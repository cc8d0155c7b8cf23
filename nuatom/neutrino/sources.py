"""Neutrino sources: reactor antineutrinos and solar neutrinos at the detector.

Every number used here is read from ``nuatom/data/reactor/reactor.toml`` or
``nuatom/data/solar/*`` (sources and confidence tags in the ``REFERENCE.md`` next to
them); the CODATA masses come from :mod:`scipy.constants`. Energies are in keV, fluxes in
cm⁻² s⁻¹, differential fluxes in cm⁻² s⁻¹ keV⁻¹, reactor spectra per fission per keV.

Reactor model (what is measured and what is modelled)
-----------------------------------------------------
* :math:`E_\\nu \\ge 2` MeV: Huber–Mueller spectra :cite:`Huber2011,Mueller2011`, i.e.
  measured ILL β spectra converted to ν̄ (²³⁵U, ²³⁹Pu, ²⁴¹Pu) and a summation
  calculation (²³⁸U), as exponential polynomials fitted on 2–8 MeV (extrapolated to
  10 MeV; above 8 MeV the flux is < 1% of the total).
* :math:`E_\\nu < 2` MeV, fission fragments: **modelled**. The Vogel–Engel shape
  :cite:`VogelEngel1989` (a fit to a summation calculation, exp of a quadratic), scaled by
  one factor per isotope so that the spectrum is continuous at 2 MeV. It does not vanish
  like :math:`E_\\nu^2` at :math:`E_\\nu \\to 0` as every allowed β branch does; the
  resulting error on rates at recoil energies ≳ 0.1 keV is discussed in the chapter
  *Reactor neutrinos and germanium detectors*.
* Neutron capture on ²³⁸U, :math:`^{238}\\mathrm{U}(n,\\gamma)^{239}\\mathrm{U}
  \\to {}^{239}\\mathrm{Np} \\to {}^{239}\\mathrm{Pu}`: two β⁻ decays per capture, **computed**
  as allowed β spectra with the Fermi function, with the capture rate per fission and the
  branch endpoints from the data file :cite:`Kopeikin1997`.
* Oscillations are neglected: at L ≥ 10 m the ν̄_e that disappear (θ₁₃, averaged only for
  E ≲ 0.1 MeV) reappear as ν̄_μ,τ that still scatter by Z exchange, and the flux below
  0.1 MeV is ~3% of the total, so rates change by well under 1%.

Solar model
-----------
B16 fluxes :cite:`Vinyoles2017`; pp, CNO, ⁸B and hep as allowed β⁺ shapes with endpoint
energies (⁸B is in reality a decay to a broad ⁸Be state; it is irrelevant below 100 keV
recoil), ⁷Be and pep as lines. Survival probability: adiabatic MSW-LMA with NuFIT 5.2
parameters :cite:`Esteban2020`, averaged over the B16-GS98 production zone of each
source.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

import numpy as np
from scipy import constants as _sc
from scipy import integrate, special

from nuatom import units as u
from nuatom._validate import choice, finite_scalar, nonnegative_array, positive_array

__all__ = [
    "REACTOR_ISOTOPES", "SOLAR_SOURCES", "SOLAR_MODELS",
    "Continuum", "Line", "NeutrinoSource",
    "ReactorModel", "huber_mueller_spectrum", "vogel_engel_spectrum",
    "fission_fragment_spectrum", "capture_spectrum", "reactor_spectrum_per_fission",
    "nu_per_fission", "mean_energy_per_fission_MeV", "reactor_flux_from_power",
    "reactor_source",
    "fermi_function", "beta_spectrum_shape", "pp_endpoint_keV", "solar_fluxes",
    "OscillationParameters", "matter_potential_keV", "survival_probability",
    "mass_state_fractions", "production_zone", "survival_probability_solar",
    "mass_state_fractions_solar", "representative_density", "effective_moment_squared",
    "solar_source",
    "SNS_FLUX_PER_FLAVOR_CM2_S", "prompt_numu_energy_keV", "michel_nue_shape",
    "michel_numubar_shape", "sns_source", "b8_broad_state_shape", "solar_b8_broad_source",
]

REACTOR_ISOTOPES = ("U235", "Pu239", "U238", "Pu241")
SOLAR_SOURCES = ("pp", "pep", "hep", "Be7", "B8", "N13", "O15", "F17")
SOLAR_MODELS = ("B16-GS98", "B16-AGSS09met")

# CODATA masses (scipy.constants), used only for the pp endpoint and the Fermi-function
# radius; they belong in nuatom.units (reported to the lead).
_PROTON_KEV = _sc.physical_constants["proton mass energy equivalent in MeV"][0] * 1e3
_DEUTERON_KEV = _sc.physical_constants["deuteron mass energy equivalent in MeV"][0] * 1e3
_REDUCED_COMPTON_FM = _sc.physical_constants["reduced Compton wavelength"][0] * 1e15

_REACTOR_E_MAX_KEV = 10_000.0
_FISSION_JOIN_KEV = 2_000.0


# ----------------------------------------------------------------------------- data
def _read_toml(folder: str, name: str) -> dict:
    with resources.files("nuatom").joinpath("data", folder, name).open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def _reactor_data() -> dict:
    return _read_toml("reactor", "reactor.toml")


@lru_cache(maxsize=None)
def _solar_data() -> dict:
    return _read_toml("solar", "solar.toml")


@lru_cache(maxsize=None)
def _production_table() -> np.ndarray:
    path = resources.files("nuatom").joinpath("data", "solar", "b16_gs98_production_sparse.txt")
    with path.open("r") as fh:
        return np.loadtxt(fh, comments="#")


# ---------------------------------------------------------------------- containers
@dataclass(frozen=True)
class Continuum:
    """A continuous spectrum component at the detector.

    Attributes
    ----------
    name : str
        Component name (e.g. ``"pp"``, ``"fission"``).
    flux_cm2_s : float
        Integrated flux in cm⁻² s⁻¹.
    shape : callable
        ``shape(E_keV) -> ndarray``: normalised energy distribution in 1/keV (unit
        integral over ``[E_min_keV, E_max_keV]``).
    E_min_keV, E_max_keV : float
        Support of ``shape`` in keV.
    breakpoints_keV : tuple of float
        Energies where ``shape`` has a kink or a jump (endpoints of partial spectra,
        joins of models); quadrature splits there.
    flavor : str
        Flavour at production (``"nuebar"`` for reactors, ``"nue"`` for the Sun).
    """

    name: str
    flux_cm2_s: float
    shape: Callable
    E_min_keV: float
    E_max_keV: float
    breakpoints_keV: tuple = ()
    flavor: str = "nuebar"

    def dphi_dE(self, E_keV):
        """Differential flux in cm⁻² s⁻¹ keV⁻¹ (0 outside the support)."""
        E = np.asarray(E_keV, dtype=float)
        inside = (E >= self.E_min_keV) & (E <= self.E_max_keV)
        return np.where(inside, self.flux_cm2_s * self.shape(np.where(inside, E, self.E_max_keV)), 0.0)


@dataclass(frozen=True)
class Line:
    """A monoenergetic component: energy ``E_keV`` (keV), flux ``flux_cm2_s`` (cm⁻² s⁻¹)."""

    name: str
    E_keV: float
    flux_cm2_s: float
    flavor: str = "nue"


@dataclass(frozen=True)
class NeutrinoSource:
    """Neutrino flux at a detector: continua, lines and the flavour content on arrival.

    ``flavor_weights(component, E_keV)`` returns ``[(flavor, weight), ...]`` with weights
    summing to one: the probability that a neutrino of the component arrives as that
    flavour (``None`` = no oscillation: the production flavour with weight 1).
    """

    name: str
    continua: tuple = ()
    lines: tuple = ()
    arrival: Callable | None = None
    description: str = ""

    def flavor_weights(self, component, E_keV):
        E = np.asarray(E_keV, dtype=float)
        if self.arrival is None:
            return [(component.flavor, np.ones_like(E))]
        return self.arrival(component, E)

    @property
    def total_flux_cm2_s(self) -> float:
        return float(sum(c.flux_cm2_s for c in self.continua) + sum(l.flux_cm2_s for l in self.lines))

    def dphi_dE(self, E_keV):
        """Sum of the continuous differential fluxes, cm⁻² s⁻¹ keV⁻¹ (lines excluded)."""
        E = np.asarray(E_keV, dtype=float)
        return sum((c.dphi_dE(E) for c in self.continua), np.zeros_like(E))


# --------------------------------------------------------------- beta-decay shapes
def fermi_function(Z_daughter: int, W_total_keV, *, positron: bool, A: int):
    """Relativistic Fermi function F(Z, W) for an allowed β transition (dimensionless).

    Parameters
    ----------
    Z_daughter : int
        Charge of the daughter nucleus.
    W_total_keV : array_like
        Total (kinetic + rest) energy of the electron or positron, keV (> m_e).
    positron : bool
        True for β⁺ (Coulomb repulsion, η < 0).
    A : int
        Mass number; the nuclear radius is :math:`R = r_0 A^{1/3}` with :math:`r_0`
        from the data file.

    Notes
    -----
    :math:`F = 2(1+\\gamma)(2pR)^{2\\gamma-2} e^{\\pi\\eta}|\\Gamma(\\gamma+i\\eta)|^2/\\Gamma(2\\gamma+1)^2`,
    :math:`\\gamma = \\sqrt{1-(\\alpha Z)^2}`, :math:`\\eta = \\pm\\alpha Z W/p` (+ for β⁻),
    p and R in units of m_e and ħ/m_e c. It tends to the nonrelativistic
    :math:`2\\pi\\eta/(1-e^{-2\\pi\\eta})` for small αZ.
    """
    W = np.asarray(W_total_keV, dtype=float) / u.ME_KEV
    p = np.sqrt(np.maximum(W**2 - 1.0, 1e-300))
    aZ = u.ALPHA * Z_daughter
    gamma = math.sqrt(1.0 - aZ**2)
    eta = (-1.0 if positron else 1.0) * aZ * W / p
    r0_fm = _solar_data()["beta_shape"]["r0_fm"]
    R = r0_fm * A ** (1.0 / 3.0) / _REDUCED_COMPTON_FM
    log_f = (math.log(2.0 * (1.0 + gamma)) + (2.0 * gamma - 2.0) * np.log(2.0 * p * R)
             + math.pi * eta + 2.0 * np.real(special.loggamma(gamma + 1j * eta))
             - 2.0 * special.gammaln(2.0 * gamma + 1.0))
    return np.exp(log_f)


def _beta_shape_unnormalised(E_nu_keV, endpoint_keV, Z_daughter, A, positron):
    E = np.asarray(E_nu_keV, dtype=float)
    inside = (E > 0.0) & (E < endpoint_keV)
    Te = np.where(inside, endpoint_keV - E, 1.0)   # lepton kinetic energy
    W = Te + u.ME_KEV
    p = np.sqrt(Te * (Te + 2.0 * u.ME_KEV))
    val = E**2 * p * W * fermi_function(Z_daughter, W, positron=positron, A=A)
    return np.where(inside, val, 0.0)


@lru_cache(maxsize=None)
def _beta_norm(endpoint_keV, Z_daughter, A, positron):
    val, _ = integrate.quad(_beta_shape_unnormalised, 0.0, endpoint_keV,
                            args=(endpoint_keV, Z_daughter, A, positron), limit=200,
                            epsabs=0.0, epsrel=1e-11)
    return val


def beta_spectrum_shape(E_nu_keV, endpoint_keV: float, Z_daughter: int, A: int, *, positron: bool):
    """Normalised neutrino spectrum of an allowed β transition, 1/keV.

    Notes
    -----
    :math:`dN/dE_\\nu \\propto E_\\nu^2\\, p_e W_e\\, F(Z, W_e)` with
    :math:`W_e = E_0 - E_\\nu + m_e`, :math:`E_0` the kinetic endpoint (recoil
    neglected); zero outside :math:`0 < E_\\nu < E_0`. Unit integral.
    """
    E0 = finite_scalar("endpoint_keV", endpoint_keV, "keV")
    if E0 <= 0:
        raise ValueError(f"endpoint_keV = {E0} keV must be > 0")
    return _beta_shape_unnormalised(E_nu_keV, E0, int(Z_daughter), int(A), bool(positron)) / \
        _beta_norm(E0, int(Z_daughter), int(A), bool(positron))


# ------------------------------------------------------------------------- reactor
def _isotope(isotope: str) -> str:
    for name in REACTOR_ISOTOPES:
        if name.lower() == str(isotope).strip().lower():
            return name
    raise ValueError(f"isotope = {isotope!r} is not one of {list(REACTOR_ISOTOPES)}")


def huber_mueller_spectrum(E_nu_keV, isotope: str):
    """Huber–Mueller ν̄ spectrum :math:`\\exp(\\sum_{k=0}^5 a_k E^k)` (E in MeV), per fission per keV.

    The fit is valid on 2–8 MeV; the formula is returned for any E ≥ 0 (use
    :func:`fission_fragment_spectrum` for the composite model).
    """
    E = nonnegative_array("E_nu_keV", E_nu_keV, "keV") * 1e-3
    coeffs = _reactor_data()["huber_mueller"]["coefficients"][_isotope(isotope)]
    return np.exp(np.polynomial.polynomial.polyval(E, coeffs)) * 1e-3


def vogel_engel_spectrum(E_nu_keV, isotope: str):
    """Vogel–Engel ν̄ spectrum :math:`\\exp(a_0 + a_1E + a_2E^2)` (E in MeV), per fission per keV."""
    E = nonnegative_array("E_nu_keV", E_nu_keV, "keV") * 1e-3
    coeffs = _reactor_data()["vogel_engel"]["coefficients"][_isotope(isotope)]
    return np.exp(np.polynomial.polynomial.polyval(E, coeffs)) * 1e-3


def fission_fragment_spectrum(E_nu_keV, isotope: str):
    """Composite fission-fragment ν̄ spectrum per fission per keV, on 0–10 MeV.

    Huber–Mueller at and above 2 MeV; below, the Vogel–Engel shape scaled to be continuous
    at 2 MeV (module docstring). Zero above 10 MeV.
    """
    E = nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    iso = _isotope(isotope)
    scale = huber_mueller_spectrum(_FISSION_JOIN_KEV, iso) / vogel_engel_spectrum(_FISSION_JOIN_KEV, iso)
    low = vogel_engel_spectrum(E, iso) * scale
    high = huber_mueller_spectrum(E, iso)
    out = np.where(E < _FISSION_JOIN_KEV, low, high)
    return np.where(E <= _REACTOR_E_MAX_KEV, out, 0.0)


def _capture_branches():
    data = _reactor_data()["neutron_capture"]
    branches = []
    for nuclide in ("U239", "Np239"):
        d = data[nuclide]
        bf = np.asarray(d["branching"], float)
        if abs(bf.sum() - 1.0) > 1e-12:
            raise ValueError(f"branching fractions of {nuclide} in reactor.toml sum to {bf.sum()}, not 1")
        for E0, b in zip(d["endpoints_keV"], bf):
            branches.append((float(E0), int(d["Z_daughter"]), int(d["A"]), float(b)))
    return branches


def capture_spectrum(E_nu_keV):
    """ν̄ spectrum per ²³⁸U neutron capture per keV (²³⁹U and ²³⁹Np β⁻; integral 2)."""
    E = nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    total = np.zeros_like(E)
    for E0, Z, A, b in _capture_branches():
        total = total + b * beta_spectrum_shape(E, E0, Z, A, positron=False)
    return total


@dataclass(frozen=True)
class ReactorModel:
    """Composition of a reactor core.

    Attributes
    ----------
    fission_fractions : tuple of (isotope, fraction)
        Fractions of fissions per isotope (must sum to 1). Default: the data file's
        mid-cycle PWR set.
    captures_per_fission : float or None
        ²³⁸U(n,γ) captures per fission; ``None`` takes the data-file value.
    """

    fission_fractions: tuple = ()
    captures_per_fission: float | None = None

    def fractions(self) -> dict:
        pairs = self.fission_fractions
        if not pairs:
            data = _reactor_data()["fission_fractions"]
            pairs = tuple(data[data["default"]].items())
        out = {_isotope(k): finite_scalar(f"fission fraction of {k}", v) for k, v in pairs}
        total = sum(out.values())
        if any(v < 0 for v in out.values()) or abs(total - 1.0) > 1e-6:
            raise ValueError(f"fission_fractions = {out} must be >= 0 and sum to 1 (sum = {total})")
        return out

    def captures(self) -> float:
        c = self.captures_per_fission
        c = _reactor_data()["neutron_capture"]["captures_per_fission"] if c is None else c
        c = finite_scalar("captures_per_fission", c)
        if c < 0:
            raise ValueError(f"captures_per_fission = {c} must be >= 0")
        return c


def _fission_spectrum(E_keV, model: ReactorModel):
    return sum(f * fission_fragment_spectrum(E_keV, iso) for iso, f in model.fractions().items())


def reactor_spectrum_per_fission(E_nu_keV, model: ReactorModel = ReactorModel(), *,
                                 component: str = "total"):
    """ν̄ per fission per keV: ``component`` in {'total', 'fission', 'capture'}."""
    key = choice("component", component, ("total", "fission", "capture"))
    E = nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    fis = _fission_spectrum(E, model) if key in ("total", "fission") else 0.0
    cap = model.captures() * capture_spectrum(E) if key in ("total", "capture") else 0.0
    return fis + cap


def _reactor_breakpoints() -> tuple:
    ends = sorted({E0 for E0, *_ in _capture_branches()})
    return tuple(ends) + (_FISSION_JOIN_KEV,)


def _quad_pieces(func, a, b, breaks):
    pts = sorted({a, b, *[x for x in breaks if a < x < b]})
    return sum(integrate.quad(func, lo, hi, limit=200, epsrel=1e-10)[0] for lo, hi in zip(pts[:-1], pts[1:]))


def nu_per_fission(model: ReactorModel = ReactorModel(), *, E_min_keV: float = 0.0,
                   E_max_keV: float = _REACTOR_E_MAX_KEV, component: str = "total") -> float:
    """Number of ν̄ per fission with ``E_min_keV <= E <= E_max_keV`` (quadrature)."""
    return _quad_pieces(lambda E: float(reactor_spectrum_per_fission(E, model, component=component)),
                        float(E_min_keV), float(E_max_keV), _reactor_breakpoints())


def mean_energy_per_fission_MeV(model: ReactorModel = ReactorModel()) -> float:
    """Fission-fraction-weighted thermal energy release per fission, MeV :cite:`Kopeikin2004`."""
    e = _reactor_data()["energy_per_fission_MeV"]
    return float(sum(f * e[iso] for iso, f in model.fractions().items()))


def reactor_flux_from_power(power_MW: float, distance_m: float, model: ReactorModel = ReactorModel()) -> float:
    """ν̄ flux (cm⁻² s⁻¹) at ``distance_m`` from a core of thermal power ``power_MW``.

    :math:`\\phi = N_\\nu P / (4\\pi L^2 \\langle E_f\\rangle)` with :math:`N_\\nu` from
    :func:`nu_per_fission` and :math:`\\langle E_f\\rangle` from
    :func:`mean_energy_per_fission_MeV`.
    """
    P = float(positive_array("power_MW", power_MW, "MW"))
    L_cm = float(positive_array("distance_m", distance_m, "m")) * 100.0
    fissions_per_s = P * 1e6 / (mean_energy_per_fission_MeV(model) * 1e6 * _sc.electron_volt)
    return nu_per_fission(model) * fissions_per_s / (4.0 * math.pi * L_cm**2)


def reactor_source(*, flux_cm2_s: float | None = None, power_MW: float | None = None,
                   distance_m: float | None = None, model: ReactorModel = ReactorModel()) -> NeutrinoSource:
    """Reactor ν̄_e source normalised to a quoted total flux, or to power and distance.

    Give either ``flux_cm2_s`` (the total ν̄ flux, all energies, as experiments quote it)
    or both ``power_MW`` and ``distance_m``.
    """
    if flux_cm2_s is not None and (power_MW is not None or distance_m is not None):
        raise ValueError("give either flux_cm2_s or (power_MW, distance_m), not both")
    if flux_cm2_s is None:
        if power_MW is None or distance_m is None:
            raise ValueError("reactor_source needs flux_cm2_s, or both power_MW and distance_m")
        flux = reactor_flux_from_power(power_MW, distance_m, model)
    else:
        flux = float(positive_array("flux_cm2_s", flux_cm2_s, "cm^-2 s^-1"))
    n_fis = nu_per_fission(model, component="fission")
    n_cap = nu_per_fission(model, component="capture")
    n_tot = n_fis + n_cap
    breaks = _reactor_breakpoints()
    fission = Continuum("fission", flux * n_fis / n_tot,
                        lambda E: _fission_spectrum(E, model) / n_fis, 0.0, _REACTOR_E_MAX_KEV,
                        breaks, "nuebar")
    capture = Continuum("capture", flux * n_cap / n_tot,
                        lambda E: model.captures() * capture_spectrum(E) / n_cap, 0.0,
                        max(breaks[:-1]), breaks[:-1], "nuebar")
    return NeutrinoSource("reactor", (fission, capture), (), None,
                          f"reactor nuebar, total flux {flux:.4g} cm^-2 s^-1")


# --------------------------------------------------------------------------- solar
def pp_endpoint_keV() -> float:
    """pp-neutrino endpoint :math:`2m_p - m_d - m_e` in keV (CODATA masses; recoil neglected)."""
    return 2.0 * _PROTON_KEV - _DEUTERON_KEV - u.ME_KEV


def solar_fluxes(model: str = "B16-GS98") -> dict:
    """Total fluxes (cm⁻² s⁻¹) per source for ``model`` in :data:`SOLAR_MODELS`."""
    for name in SOLAR_MODELS:
        if name.lower() == str(model).strip().lower():
            return dict(_solar_data()["fluxes_cm2_s"][name])
    raise ValueError(f"model = {model!r} is not one of {list(SOLAR_MODELS)}")


def _solar_endpoint(source: str) -> float:
    spec = _solar_data()["beta_plus"][source]
    return pp_endpoint_keV() if source == "pp" else float(spec["endpoint_keV"])


@dataclass(frozen=True)
class OscillationParameters:
    """Three-flavour mixing parameters (angles in degrees, mass splittings in eV²).

    :meth:`nufit52` returns the NuFIT 5.2 normal-ordering values stored in the data file.
    """

    theta12_deg: float
    theta13_deg: float
    theta23_deg: float
    dm21_eV2: float
    dm31_eV2: float

    @classmethod
    def nufit52(cls) -> "OscillationParameters":
        d = _solar_data()["oscillation"]
        return cls(d["theta12_deg"], d["theta13_deg"], d["theta23_deg"], d["dm21_eV2"], d["dm31_eV2"])


def matter_potential_keV(n_e_over_NA):
    """Charged-current matter potential :math:`\\sqrt2 G_F n_e` in keV for n_e in units of N_A cm⁻³."""
    n = nonnegative_array("n_e_over_NA", n_e_over_NA, "N_A cm^-3") * u.N_A
    return math.sqrt(2.0) * u.GF_KEV * n * u.HBARC_KEV_CM**3


def _cos2_theta12_matter(E_keV, n_e_over_NA, p: OscillationParameters):
    t12, t13 = math.radians(p.theta12_deg), math.radians(p.theta13_deg)
    c2 = math.cos(2 * t12)
    s2 = math.sin(2 * t12)
    E_eV = np.asarray(E_keV, float) * 1e3
    V_eV = matter_potential_keV(n_e_over_NA) * 1e3
    beta = 2.0 * V_eV * E_eV * math.cos(t13) ** 2 / p.dm21_eV2
    return (c2 - beta) / np.sqrt((c2 - beta) ** 2 + s2**2)


def mass_state_fractions(E_keV, n_e_over_NA, params: OscillationParameters | None = None):
    """Probabilities that a solar ν_e produced at density n_e arrives as ν_1, ν_2, ν_3.

    Adiabatic propagation, θ₁₃ in vacuum approximation:
    :math:`P_{e1} = c_{13}^2\\cos^2\\theta_{12}^m`, :math:`P_{e2} = c_{13}^2\\sin^2\\theta_{12}^m`,
    :math:`P_{e3} = s_{13}^2`. Returns an array of shape ``(3,) + shape``.
    """
    p = OscillationParameters.nufit52() if params is None else params
    E = nonnegative_array("E_keV", E_keV, "keV")
    cm = _cos2_theta12_matter(E, n_e_over_NA, p)
    c13sq = math.cos(math.radians(p.theta13_deg)) ** 2
    P1 = c13sq * 0.5 * (1.0 + cm)
    P2 = c13sq * 0.5 * (1.0 - cm)
    P3 = np.full_like(P1, 1.0 - c13sq)
    return np.stack([P1, P2, P3])


def survival_probability(E_keV, n_e_over_NA, params: OscillationParameters | None = None):
    """Adiabatic MSW-LMA ν_e survival probability, averaged over oscillations.

    :math:`P_{ee} = c_{13}^4[\\tfrac12 + \\tfrac12\\cos2\\theta_{12}^m\\cos2\\theta_{12}] + s_{13}^4`,
    :math:`\\cos2\\theta^m_{12} = (\\cos2\\theta_{12}-\\beta)/\\sqrt{(\\cos2\\theta_{12}-\\beta)^2+\\sin^22\\theta_{12}}`,
    :math:`\\beta = 2\\sqrt2 G_F n_e E c_{13}^2/\\Delta m^2_{21}` :cite:`Wolfenstein1978,Mikheyev1985`.
    Equivalent to :math:`\\sum_i P_{ei}|U_{ei}|^2` with :func:`mass_state_fractions`.
    """
    p = OscillationParameters.nufit52() if params is None else params
    E = nonnegative_array("E_keV", E_keV, "keV")
    t12, t13 = math.radians(p.theta12_deg), math.radians(p.theta13_deg)
    cm = _cos2_theta12_matter(E, n_e_over_NA, p)
    return math.cos(t13) ** 4 * (0.5 + 0.5 * cm * math.cos(2 * t12)) + math.sin(t13) ** 4


def production_zone(source: str):
    """B16-GS98 production-zone weights of ``source``: ``(n_e_over_NA, weights)``.

    Trapezoid weights on the subsampled table (Δr = 0.005 R_sun), normalised to one over
    the stored rows (r ≤ 0.235 R_sun; REFERENCE.md quantifies the truncation).
    """
    key = {s.lower(): s for s in SOLAR_SOURCES}.get(str(source).strip().lower())
    if key is None:
        raise ValueError(f"source = {source!r} is not one of {list(SOLAR_SOURCES)}")
    table = _production_table()
    col = 2 + ("pp", "pep", "hep", "Be7", "B8", "N13", "O15", "F17").index(key)
    r, f = table[:, 0], table[:, col]
    w = np.empty_like(r)
    dr = np.diff(r)
    w[:] = 0.0
    w[:-1] += 0.5 * dr * f[:-1]
    w[1:] += 0.5 * dr * f[1:]
    return 10.0 ** table[:, 1], w / w.sum()


def representative_density(source: str) -> float:
    """Production-weighted mean electron density n_e/N_A (cm⁻³) of ``source``."""
    n, w = production_zone(source)
    return float(np.sum(n * w))


def survival_probability_solar(E_keV, source: str, params: OscillationParameters | None = None):
    """P_ee of ``source`` averaged over its B16-GS98 production zone."""
    n, w = production_zone(source)
    E = nonnegative_array("E_keV", E_keV, "keV")
    P = survival_probability(E[..., None], n, params)
    return np.sum(P * w, axis=-1)


def mass_state_fractions_solar(E_keV, source: str, params: OscillationParameters | None = None):
    """Mass-state fractions P_ei (shape ``(3,) + shape``) averaged over the production zone."""
    n, w = production_zone(source)
    E = nonnegative_array("E_keV", E_keV, "keV")
    P = mass_state_fractions(E[..., None], n, params)
    return np.sum(P * w, axis=-1)


def effective_moment_squared(E_keV, source: str, moment_matrix_muB,
                             params: OscillationParameters | None = None):
    """Effective squared magnetic moment (μ_B²) of solar neutrinos at the detector.

    :math:`\\mu_{\\rm eff}^2(E) = \\sum_f |\\sum_i A_{ie}\\,\\mu_{fi}|^2 \\to
    \\sum_i P_{ei}(E) \\sum_f |\\mu_{fi}|^2` :cite:`Wu2019talk,Beacom1999`: the Sun–Earth
    distance averages the interference between mass states (incoherent arrival), so the
    amplitudes :math:`A_{ie}` enter through :math:`P_{ei} = |A_{ie}|^2` only.

    Parameters
    ----------
    moment_matrix_muB : array_like, shape (3, 3)
        Moments :math:`\\mu_{fi} - i d_{fi}` in the mass basis (complex allowed), μ_B.

    Notes
    -----
    The same structure holds for a millicharge or charge-radius matrix in the mass basis
    when it is diagonal and flavour universal (then it simply adds to the NC coupling).
    The sensitivity tables bound such flavour-universal "effective" quantities.
    """
    m = np.asarray(moment_matrix_muB)
    if m.shape != (3, 3):
        raise ValueError(f"moment_matrix_muB has shape {m.shape}; expected (3, 3)")
    col = np.sum(np.abs(m) ** 2, axis=0)           # sum_f |mu_fi|^2 for each i
    P = mass_state_fractions_solar(E_keV, source, params)
    return np.tensordot(col, P, axes=(0, 0))


def _solar_arrival(params):
    def arrival(component, E):
        src = component.name.split(":")[0]
        Pee = survival_probability_solar(E, src, params)
        return [("nue", Pee), ("numu", 1.0 - Pee)]
    return arrival


def solar_source(model: str = "B16-GS98", *, sources=SOLAR_SOURCES,
                 params: OscillationParameters | None = None) -> NeutrinoSource:
    """Solar-neutrino source at Earth with MSW-LMA flavour content.

    Continua (pp, CNO, ⁸B, hep) and lines (⁷Be: two lines; pep); each arrives as ν_e with
    the production-averaged P_ee and otherwise as ν_μ/ν_τ (which scatter identically, so
    they are represented by ``numu``). ``params`` defaults to NuFIT 5.2.
    """
    fluxes = solar_fluxes(model)
    data = _solar_data()
    continua, lines = [], []
    for src in sources:
        key = {s.lower(): s for s in SOLAR_SOURCES}.get(str(src).lower())
        if key is None:
            raise ValueError(f"sources contains {src!r}; valid: {list(SOLAR_SOURCES)}")
        if key in data["lines"]:
            ln = data["lines"][key]
            for E, b in zip(ln["energies_keV"], ln["branching"]):
                lines.append(Line(f"{key}:{E:g}", float(E), fluxes[key] * float(b), "nue"))
        else:
            spec = data["beta_plus"][key]
            E0 = _solar_endpoint(key)
            Z, A = int(spec["Z_daughter"]), int(spec["A"])
            continua.append(Continuum(
                key, fluxes[key],
                lambda E, E0=E0, Z=Z, A=A: beta_spectrum_shape(E, E0, Z, A, positron=True),
                0.0, E0, (), "nue"))
    return NeutrinoSource(f"solar ({model})", tuple(continua), tuple(lines), _solar_arrival(params),
                          f"solar neutrinos, {model}, MSW-LMA")


# ------------------------------------------------------------- stopped pions (SNS)
#: Flux per flavour at the COHERENT CsI[Na] detector, 19.3 m from the SNS target:
#: 4.3e7 cm^-2 s^-1 (Akimov et al., Science 357, 1123 (2017)) — the default normalisation.
SNS_FLUX_PER_FLAVOR_CM2_S = 4.3e7


def prompt_numu_energy_keV() -> float:
    """Energy of the prompt ν_μ from π⁺ → μ⁺ν_μ at rest, (m_π² − m_μ²)/(2m_π) = 29.79 MeV, in keV."""
    return (u.M_PI_CHARGED_KEV**2 - u.M_MU_KEV**2) / (2.0 * u.M_PI_CHARGED_KEV)


def _michel_x(E_nu_keV):
    E = nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    W = 0.5 * u.M_MU_KEV
    x = E / W
    return x, (x <= 1.0), W


def michel_nue_shape(E_nu_keV):
    """Normalised ν_e spectrum of μ⁺ decay at rest, 1/keV: (12/W) x²(1 − x), x = E/W, W = m_μ/2.

    Tree-level V−A (Michel parameter ρ = 3/4 for the ν̄_μ, the ν_e shape from the same
    matrix element); electron mass and radiative corrections neglected (O(m_e/m_μ) and
    O(α/π) ~ 0.5%).
    """
    x, inside, W = _michel_x(E_nu_keV)
    return np.where(inside, 12.0 * x * x * (1.0 - x) / W, 0.0)


def michel_numubar_shape(E_nu_keV):
    """Normalised ν̄_μ spectrum of μ⁺ decay at rest, 1/keV: (2/W) x²(3 − 2x), x = E/W, W = m_μ/2."""
    x, inside, W = _michel_x(E_nu_keV)
    return np.where(inside, 2.0 * x * x * (3.0 - 2.0 * x) / W, 0.0)


def sns_source(flux_per_flavor_cm2_s: float = SNS_FLUX_PER_FLAVOR_CM2_S) -> NeutrinoSource:
    """Stopped-pion (π⁺ and μ⁺ decay at rest) source: prompt ν_μ line, delayed ν_e and ν̄_μ.

    Each of the three flavours carries ``flux_per_flavor_cm2_s`` (one of each per π⁺ decay
    chain; the π⁻ and μ⁻ are captured in the target, a ~1e-3 admixture that is neglected).
    No oscillations (L ~ 20 m, E ~ 30 MeV).
    """
    phi = float(positive_array("flux_per_flavor_cm2_s", flux_per_flavor_cm2_s, "cm^-2 s^-1"))
    Emax = 0.5 * u.M_MU_KEV
    prompt = Line("prompt numu", prompt_numu_energy_keV(), phi, "numu")
    nue = Continuum("delayed nue", phi, michel_nue_shape, 0.0, Emax, (), "nue")
    numubar = Continuum("delayed numubar", phi, michel_numubar_shape, 0.0, Emax, (), "numubar")
    return NeutrinoSource("sns", (nue, numubar), (prompt,), None,
                          f"stopped-pion source, {phi:.4g} cm^-2 s^-1 per flavour")


# ------------------------------------------- 8B through the broad 8Be(2+) state
#: β⁺ kinetic endpoint of ⁸B → ⁸Be(g.s.) in keV (Q_EC 17979.9 keV − 2 m_e; Tilley et al.,
#: Nucl. Phys. A 745, 155 (2004)), and the 2⁺ state's excitation energy and width (same source).
_B8_ENDPOINT_GS_KEV = 16957.0
_BE8_2PLUS_KEV, _BE8_2PLUS_WIDTH_KEV = 3030.0, 1513.0


@lru_cache(maxsize=1)
def _b8_broad_nodes(n: int = 48):
    """Excitation-energy nodes and weights: Breit–Wigner × partial phase-space integral."""
    x, w = np.polynomial.legendre.leggauss(n)
    lo, hi = 200.0, 12000.0       # 8Be* energies that decay to 2α and leave > 5 MeV endpoints
    Ex = 0.5 * (hi - lo) * x + 0.5 * (hi + lo)
    bw = (0.5 * _BE8_2PLUS_WIDTH_KEV) / ((Ex - _BE8_2PLUS_KEV) ** 2 + (0.5 * _BE8_2PLUS_WIDTH_KEV) ** 2)
    f = np.array([_beta_norm(_B8_ENDPOINT_GS_KEV - e, 4, 8, True) for e in Ex])
    weight = 0.5 * (hi - lo) * w * bw * f
    return Ex, weight / weight.sum()


def b8_broad_state_shape(E_nu_keV):
    """⁸B ν_e spectrum (1/keV, unit integral) for β⁺ decay to the broad ⁸Be 2⁺ state.

    A **model**, not the measured spectrum: allowed β⁺ shapes with endpoints
    16957 keV − E_x, averaged over a Breit–Wigner in E_x (3030 keV, Γ = 1513 keV) weighted
    by each branch's phase-space integral. Its mean energy is compared in the tests with
    the measured-spectrum value 6.735 MeV (Winter et al., PRC 73, 025503 (2006)). The
    package's :func:`solar_source` uses the ground-state shape (endpoint 16.36 MeV, mean
    8.4 MeV), adequate for electron recoils below 100 keV but not for coherent scattering,
    where ⟨E²⟩ enters.
    """
    E = nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    Ex, weight = _b8_broad_nodes()
    out = np.zeros_like(E)
    for e, wt in zip(Ex, weight):
        out = out + wt * beta_spectrum_shape(E, _B8_ENDPOINT_GS_KEV - e, 4, 8, positron=True)
    return out


def solar_b8_broad_source(model: str = "B16-GS98", params: OscillationParameters | None = None) -> NeutrinoSource:
    """Solar ⁸B neutrinos with :func:`b8_broad_state_shape`, B16 flux and MSW-LMA flavour content."""
    flux = solar_fluxes(model)["B8"]
    comp = Continuum("B8", flux, b8_broad_state_shape, 0.0, _B8_ENDPOINT_GS_KEV - 200.0, (), "nue")
    return NeutrinoSource(f"solar 8B ({model}, broad 8Be state)", (comp,), (), _solar_arrival(params),
                          "solar 8B neutrinos through the broad 8Be(2+) state, MSW-LMA")
