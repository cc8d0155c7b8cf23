"""Coherent elastic neutrino–nucleus scattering (CEvNS) with neutrino EM properties.

dσ/dT_nr per nucleus (cm²/keV, ``T`` = nuclear recoil kinetic energy in keV_nr), per
isotope or per element averaged over natural abundance (:mod:`nuclear_form_factors`).
Derived in the chapter *Coherent elastic neutrino–nucleus scattering*.

Conventions
-----------
* Effective interaction :math:`\\mathcal L = -\\sqrt2 G_F[\\bar\\nu\\gamma^\\mu P_L\\nu]
  \\sum_q g_V^q\\,\\bar q\\gamma_\\mu q` (the vector part; the axial part is not
  coherent and is dropped: it is ∝ the nuclear spin, zero for even–even nuclei and
  ≲1e-3 of the rate for odd ones). For a spin-0 nucleus the exact tree-level result is

  .. math:: \\frac{d\\sigma}{dT} = \\frac{G_F^2 M}{\\pi}\\Big(1 - \\frac{T}{E_\\nu}
     - \\frac{MT}{2E_\\nu^2}\\Big)\\,\\mathcal Q^2,\\qquad
     \\mathcal Q = Z g_V^p F_p(q) + N g_V^n F_n(q),

  with :math:`q^2 = T^2 + 2MT`. Tree level, :math:`g_V^p = \\tfrac12 - 2\\sin^2\\theta_W`,
  :math:`g_V^n = -\\tfrac12`, so :math:`-2\\mathcal Q(F=1) = Q_W = N - (1-4\\sin^2\\theta_W)Z`
  and dσ/dT = (G_F² M/4π) Q_W² (…). ``couplings="corrected"`` uses
  :math:`g_V^p = 0.0229`, :math:`g_V^n = -0.5117` (PDG electroweak review, radiative
  corrections in the scheme of :cite:`ErlerSu2013`; flavour-independent part, without
  the neutrino charge radius, which is a separate input here).
* Charge radius and millicharge: the same photon-exchange shift of the vector coupling as
  for ν–e in :mod:`nuatom.neutrino.free`, scaled by the target fermion's charge
  :math:`Q_f` (the photon couples to charge): :math:`\\delta g_V^f = -Q_f\\,
  2\\sqrt2\\pi\\alpha F_1(q^2)/(G_F q^2)` (four-momentum transfer :math:`q^2 = -2MT`),
  i.e. :math:`\\delta g_V^e = +\\sqrt2\\pi\\alpha\\langle r^2\\rangle/(3G_F)` (Vogel–Engel,
  as in :mod:`free`) and :math:`\\delta g_V^p = -\\sqrt2\\pi\\alpha\\langle r^2\\rangle/(3G_F)`,
  :math:`\\delta g_V^p = +\\sqrt2\\pi\\alpha\\,\\delta_Q/(G_F M T)`. Both act on the proton
  (charge) form factor and interfere with the weak amplitude; the same shift for ν and ν̄.
  Sign convention: δ_Q is the neutrino charge in units of e > 0.
* Magnetic moment (helicity flip, no interference), exact for a spin-0 nucleus:
  :math:`\\frac{d\\sigma}{dT} = \\frac{\\pi\\alpha^2\\mu_\\nu^2 Z^2}{m_e^2}
  \\Big(\\frac1T - \\frac1{E_\\nu} + \\frac{T}{4E_\\nu^2}\\Big)F_p^2(q)`, μ_ν in μ_B
  (atomic electrons are neglected: they screen only at q ≲ 10 keV, i.e. T_nr ≲ 1 eV).
* Quark NSI (vector, flavour-diagonal for the neutrino's flavour, in units of √2 G_F as in
  :math:`-2\\sqrt2G_F\\varepsilon^{qV}[\\bar\\nu\\gamma^\\mu P_L\\nu][\\bar q\\gamma_\\mu q]`):
  :math:`\\delta g_V^p = 2\\varepsilon^u + \\varepsilon^d`, :math:`\\delta g_V^n =
  \\varepsilon^u + 2\\varepsilon^d`.

Kinematics: :math:`T_{max} = 2E_\\nu^2/(M + 2E_\\nu)`; results are 0 for T ≤ 0 or T > T_max.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import integrate

from nuatom import units as u
from nuatom._validate import choice, finite_nonnegative_array, finite_scalar
from nuatom.neutrino.nuclear_form_factors import _AMU_KEV, NuclearModel, target_isotopes
from nuatom.neutrino.properties import NeutrinoProperties

__all__ = ["PROCESSES", "COUPLING_SCHEMES", "CORRECTED_COUPLINGS", "QuarkNSI",
           "t_max_nr_keV", "e_nu_min_nr_keV", "nucleon_couplings", "weak_charge",
           "dsigma_dT_isotope", "dsigma_dT_nr", "sigma_total_cm2", "nuclei_per_kg",
           "differential_rate_per_kg_day_keV", "rate_per_kg_day", "flux_averaged_sigma_cm2"]

PROCESSES = ("weak", "nmm", "millicharge", "charge-radius", "total")
COUPLING_SCHEMES = ("tree", "corrected")
#: Radiatively corrected vector couplings (g_V^p, g_V^n) (PDG / Erler & Su 2013).
CORRECTED_COUPLINGS = (0.0229, -0.5117)

_GF2_OVER_PI_CM2_PER_KEV2 = u.GF_KEV**2 / math.pi * u.HBARC_KEV_CM_SQ
_NMM_CM2 = math.pi * u.ALPHA**2 / u.ME_KEV**2 * u.HBARC_KEV_CM_SQ
_PHOTON = math.sqrt(2.0) * math.pi * u.ALPHA / u.GF_KEV   # sqrt2 pi alpha / G_F in keV^2


@dataclass(frozen=True)
class QuarkNSI:
    """Vector non-standard couplings ε^{uV}, ε^{dV} of the neutrino to quarks (dimensionless)."""

    eps_u: float = 0.0
    eps_d: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "eps_u", finite_scalar("eps_u", self.eps_u))
        object.__setattr__(self, "eps_d", finite_scalar("eps_d", self.eps_d))

    @property
    def delta_gV(self) -> tuple:
        """(δg_V^p, δg_V^n) = (2ε^u + ε^d, ε^u + 2ε^d)."""
        return 2.0 * self.eps_u + self.eps_d, self.eps_u + 2.0 * self.eps_d


def t_max_nr_keV(E_nu_keV, mass_keV: float):
    """Largest nuclear recoil energy 2E²/(M + 2E) in keV for a nucleus of mass ``mass_keV``."""
    E = finite_nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    return 2.0 * E * E / (mass_keV + 2.0 * E)


def e_nu_min_nr_keV(T_keV, mass_keV: float):
    """Smallest neutrino energy (keV) that gives recoil ``T_keV``: (T + sqrt(T² + 2MT))/2."""
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    return 0.5 * (T + np.sqrt(T * T + 2.0 * mass_keV * T))


def nucleon_couplings(couplings: str = "tree", sin2_theta_w: float = u.SIN2_THETA_W) -> tuple:
    """(g_V^p, g_V^n): tree level (1/2 − 2 sin²θ_W, −1/2) or radiatively corrected."""
    scheme = choice("couplings", couplings, COUPLING_SCHEMES)
    if scheme == "corrected":
        return CORRECTED_COUPLINGS
    return 0.5 - 2.0 * sin2_theta_w, -0.5


def weak_charge(Z: int, N: int, couplings: str = "tree", sin2_theta_w: float = u.SIN2_THETA_W) -> float:
    """Weak charge Q_W = −2(Z g_V^p + N g_V^n); tree level N − (1 − 4 sin²θ_W) Z."""
    gp, gn = nucleon_couplings(couplings, sin2_theta_w)
    return -2.0 * (Z * gp + N * gn)


def _grid(E_nu_keV, T_keV, mass_keV):
    E = finite_nonnegative_array("E_nu_keV", E_nu_keV, "keV")
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    try:
        E, T = np.broadcast_arrays(E, T)
    except ValueError:
        raise ValueError(f"E_nu_keV and T_keV have shapes {E.shape} and {T.shape} that do not "
                         "broadcast; the valid range is arrays of one shape or scalars") from None
    ok = (T > 0) & (E > 0) & (T <= 2.0 * E * E / (mass_keV + 2.0 * E))
    return np.where(ok, E, 1.0), np.where(ok, T, 1e-30), ok


def dsigma_dT_isotope(iso, E_nu_keV, T_keV, neutrino="nuebar", *, process: str = "total",
                      nuclear: NuclearModel = NuclearModel(), couplings: str = "tree",
                      nsi: QuarkNSI = QuarkNSI()):
    """CEvNS dσ/dT_nr on one isotope, in cm²/keV per nucleus.

    Parameters
    ----------
    iso : Isotope
        The nucleus (:func:`nuatom.neutrino.nuclear_form_factors.isotope`).
    E_nu_keV, T_keV : array_like
        Neutrino energy and nuclear recoil energy in keV (broadcast).
    neutrino : NeutrinoProperties or str
        Flavour, sin²θ_W, μ_ν (μ_B), δ_Q (e), ⟨r²⟩ (cm², Vogel–Engel convention).
    process : {'weak', 'nmm', 'millicharge', 'charge-radius', 'total'}
        ``weak``: SM (+NSI); ``nmm``: magnetic term alone; ``millicharge`` /
        ``charge-radius``: the weak term with only that shift, *minus* the SM term (the
        interference plus the square of the new amplitude); ``total``: everything.
    nuclear : NuclearModel
        Form factor (Helm by default).
    couplings : {'tree', 'corrected'}
    nsi : QuarkNSI

    Returns
    -------
    ndarray
        cm²/keV; 0 outside 0 < T ≤ T_max.
    """
    nu = NeutrinoProperties.of(neutrino)
    proc = choice("process", process, PROCESSES)
    if not isinstance(nuclear, NuclearModel):
        raise ValueError(f"nuclear = {nuclear!r} is not a NuclearModel")
    if not isinstance(nsi, QuarkNSI):
        raise ValueError(f"nsi = {nsi!r} is not a QuarkNSI")
    M = iso.mass_keV
    E, T, ok = _grid(E_nu_keV, T_keV, M)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        q = np.sqrt(T * T + 2.0 * M * T)
        Fp, Fn = nuclear.proton(q, iso), nuclear.neutron(q, iso)
        gp, gn = nucleon_couplings(couplings, nu.sin2_theta_w)
        dgp_nsi, dgn_nsi = nsi.delta_gV
        dgp_r2 = -_PHOTON * (nu.r2_cm2 / u.HBARC_KEV_CM_SQ) / 3.0
        dgp_q = _PHOTON * nu.delta_q / (M * T)
        kin = np.maximum(1.0 - T / E - M * T / (2.0 * E * E), 0.0)

        def weak(dgp):
            Q = iso.Z * (gp + dgp_nsi + dgp) * Fp + iso.N * (gn + dgn_nsi) * Fn
            return _GF2_OVER_PI_CM2_PER_KEV2 * M * kin * Q * Q

        if proc == "weak":
            out = weak(0.0)
        elif proc == "charge-radius":
            out = weak(dgp_r2) - weak(0.0)
        elif proc == "millicharge":
            out = weak(dgp_q) - weak(0.0)
        else:
            nmm = _NMM_CM2 * np.float64(nu.mu_nu_muB)**2 * iso.Z**2 * (1.0 / T - 1.0 / E + T / (4.0 * E * E)) * Fp**2
            out = nmm if proc == "nmm" else weak(dgp_r2 + dgp_q) + nmm
        out = np.where(ok, out, 0.0)
    if not np.all(np.isfinite(out)):
        raise ValueError("dσ/dT overflows double precision; the valid range of the couplings "
                         "(mu_nu_muB, delta_q, r2_cm2) is where it stays finite")
    return out


def dsigma_dT_nr(target: str, E_nu_keV, T_keV, neutrino="nuebar", **options):
    """CEvNS dσ/dT_nr in cm²/keV per nucleus of ``target`` (``"Ge"``: natural mixture; ``"Ge72"``).

    For an element, the abundance-weighted average over its stable isotopes (each with its
    own mass and kinematic limit). ``options`` as in :func:`dsigma_dT_isotope`.
    """
    out = 0.0
    for iso, frac in target_isotopes(target):
        out = out + frac * dsigma_dT_isotope(iso, E_nu_keV, T_keV, neutrino, **options)
    return out


def sigma_total_cm2(target: str, E_nu_keV: float, neutrino="nuebar", *, T_min_keV: float = 0.0,
                    **options) -> float:
    """Total CEvNS cross section (cm² per nucleus) above ``T_min_keV`` at one neutrino energy.

    Adaptive quadrature in log T (relative tolerance 1e-8) from max(T_min, 1e-12 T_max). With
    a magnetic moment the total diverges like ln(T_max/T_min) (atomic screening cuts it off
    only at T_nr ~ 1e-6 keV), so ``T_min_keV`` > 0 is then required.
    """
    E = finite_scalar("E_nu_keV", E_nu_keV, "keV")
    Tmin = finite_scalar("T_min_keV", T_min_keV, "keV")
    if E <= 0 or Tmin < 0:
        raise ValueError(f"E_nu_keV = {E}, T_min_keV = {Tmin}: the valid range is E_nu_keV > 0, T_min_keV >= 0")
    nu = NeutrinoProperties.of(neutrino)
    if Tmin == 0.0 and nu.mu_nu_muB != 0.0 and options.get("process", "total") in ("nmm", "total"):
        raise ValueError("T_min_keV = 0 with mu_nu_muB != 0: the magnetic-moment cross section "
                         "diverges logarithmically at T -> 0; the valid range is T_min_keV > 0")
    total = 0.0
    for iso, frac in target_isotopes(target):
        tmax = float(t_max_nr_keV(E, iso.mass_keV))
        lo = max(Tmin, tmax * 1e-12)
        if lo >= tmax:
            continue

        def f(x):
            T = math.exp(x)
            return T * float(dsigma_dT_isotope(iso, E, T, neutrino, **options))

        val, _ = integrate.quad(f, math.log(lo), math.log(tmax), epsrel=1e-8, limit=200)
        total += frac * val
    return total


# ------------------------------------------------------------------------ rates
_SECONDS_PER_DAY = 86400.0
_GL_NODES = 48


def nuclei_per_kg(target: str) -> float:
    """Number of nuclei per kg of ``target`` (element: natural molar mass; isotope: its mass)."""
    isos = target_isotopes(target)
    molar_keV = sum(frac * (iso.mass_keV + iso.Z * u.ME_KEV) for iso, frac in isos)
    grams_per_mol = molar_keV / _AMU_KEV  # 1 u = 1 g/mol
    return 1000.0 * u.N_A / grams_per_mol


class _PerFlavor:
    """``neutrino`` for a source: one NeutrinoProperties re-flavoured for every arriving
    flavour, or a dict ``{flavor: NeutrinoProperties}`` (flavour-dependent ⟨r²⟩, μ_ν, δ_Q; a
    flavour missing from the dict is a Standard-Model neutrino)."""

    def __init__(self, neutrino):
        if isinstance(neutrino, dict):
            self.table = {}
            for key, value in neutrino.items():
                nu = NeutrinoProperties.of(value)
                flavor = NeutrinoProperties(flavor=key).flavor
                self.table[flavor] = nu.replace(flavor=flavor)
            self.template = None
        else:
            self.template = NeutrinoProperties.of(neutrino)

    def replace(self, flavor):
        if self.template is not None:
            return self.template.replace(flavor=flavor)
        return self.table.get(flavor, NeutrinoProperties(flavor=flavor))


def _flux_integral(source, iso, T, nu, options):
    """∫ dE Σ_flavours φ_f(E) dσ/dT(E, T) for one isotope at recoils ``T`` (1-d array, keV):
    cm²/keV · cm⁻² s⁻¹. Gauss–Legendre on [max(a, E_min(T)), b] for each piece [a, b]."""
    from numpy.polynomial.legendre import leggauss

    x, w = leggauss(_GL_NODES)
    Emin = e_nu_min_nr_keV(T, iso.mass_keV)
    total = np.zeros_like(T)
    for comp in source.continua:
        edges = [comp.E_min_keV] + sorted(b for b in comp.breakpoints_keV
                                           if comp.E_min_keV < b < comp.E_max_keV) + [comp.E_max_keV]
        for a, b in zip(edges[:-1], edges[1:]):
            lo = np.maximum(Emin, a)
            live = lo < b
            if not np.any(live):
                continue
            lo_l, T_l = lo[live], T[live]
            half = 0.5 * (b - lo_l)
            E = half[:, None] * (x[None, :] + 1.0) + lo_l[:, None]
            phi = comp.dphi_dE(E)
            acc = np.zeros_like(E)
            for flavor, weight in source.flavor_weights(comp, E):
                acc += weight * dsigma_dT_isotope(iso, E, T_l[:, None], nu.replace(flavor=flavor), **options)
            total[live] += half * np.sum(w[None, :] * phi * acc, axis=1)
    for line in source.lines:
        for flavor, weight in source.flavor_weights(line, np.array([line.E_keV])):
            total += line.flux_cm2_s * float(weight[0]) * dsigma_dT_isotope(
                iso, line.E_keV, T, nu.replace(flavor=flavor), **options)
    return total


def differential_rate_per_kg_day_keV(source, target: str, T_keV, neutrino="nuebar", **options):
    """CEvNS event rate dR/dT_nr in events per kg per day per keV_nr.

    Parameters
    ----------
    source : NeutrinoSource
        Reactor, solar or stopped-pion source (:mod:`nuatom.neutrino.sources`); each component
        arrives with the flavour content the source gives, and ``neutrino`` is re-flavoured
        accordingly (its μ_ν, δ_Q, ⟨r²⟩ are kept for every flavour); or a dict
        ``{flavor: NeutrinoProperties}`` for flavour-dependent properties (e.g. the charge
        radius of ν_e and ν_μ at a stopped-pion source; missing flavours are SM).
    target : str
        ``"Ge"`` (natural) or ``"Ge72"``.
    T_keV : array_like
        Nuclear recoil energies in keV_nr.

    Notes
    -----
    Gauss–Legendre quadrature over E_ν from E_min(T) = (T + sqrt(T² + 2MT))/2 to the
    end of each component, split at the component's breakpoints (48 nodes per piece).
    """
    T = finite_nonnegative_array("T_keV", T_keV, "keV")
    nu = _PerFlavor(neutrino)
    n_kg = nuclei_per_kg(target)
    flat = T.ravel()
    out = np.zeros_like(flat)
    pos = flat > 0
    for iso, frac in target_isotopes(target):
        if np.any(pos):
            out[pos] += frac * _flux_integral(source, iso, flat[pos], nu, options)
    return (out * n_kg * _SECONDS_PER_DAY).reshape(T.shape)


def rate_per_kg_day(source, target: str, threshold_keV: float = 0.0, neutrino="nuebar",
                    T_max_keV: float | None = None, n_points: int = 160, **options) -> float:
    """Integrated CEvNS rate above ``threshold_keV`` (keV_nr), events per kg per day.

    Integrates :func:`differential_rate_per_kg_day_keV` in log T from the threshold to the
    largest recoil of the source (Gauss–Legendre in log T, ``n_points`` nodes).
    """
    from numpy.polynomial.legendre import leggauss

    thr = finite_scalar("threshold_keV", threshold_keV, "keV")
    if thr < 0:
        raise ValueError(f"threshold_keV = {thr} is negative; the valid range is [0, inf) keV_nr")
    Emax = max([c.E_max_keV for c in source.continua] + [l.E_keV for l in source.lines])
    Mmin = min(iso.mass_keV for iso, _ in target_isotopes(target))
    hi = float(t_max_nr_keV(Emax, Mmin)) if T_max_keV is None else float(T_max_keV)
    lo = max(thr, hi * 1e-6)
    if lo >= hi:
        return 0.0
    x, w = leggauss(int(n_points))
    y = 0.5 * (np.log(hi) - np.log(lo)) * x + 0.5 * (np.log(hi) + np.log(lo))
    T = np.exp(y)
    dR = differential_rate_per_kg_day_keV(source, target, T, neutrino, **options)
    return float(0.5 * (np.log(hi) - np.log(lo)) * np.sum(w * T * dR))


def _sigma_total_nodes(iso, E, nu, options, T_min_keV=0.0, n=96):
    """Total σ (cm²) of one isotope at an array of energies E (keV), Gauss–Legendre in log T
    from max(T_min, 1e-10 T_max) to T_max (checked against :func:`sigma_total_cm2` in the tests)."""
    from numpy.polynomial.legendre import leggauss

    x, w = leggauss(n)
    E = np.atleast_1d(np.asarray(E, float))
    hi = 2.0 * E * E / (iso.mass_keV + 2.0 * E)
    lo = np.maximum(T_min_keV, 1e-10 * hi)
    ok = lo < hi
    hi_s, lo_s = np.where(ok, hi, 2.0), np.where(ok, lo, 1.0)
    half = 0.5 * (np.log(hi_s) - np.log(lo_s))
    y = half[:, None] * x[None, :] + 0.5 * (np.log(hi_s) + np.log(lo_s))[:, None]
    T = np.exp(y)
    ds = dsigma_dT_isotope(iso, E[:, None], T, nu, **options)
    return np.where(ok, half * np.sum(w * T * ds, axis=1), 0.0)


def flux_averaged_sigma_cm2(source, target: str, neutrino="numu", *, T_min_keV: float = 0.0,
                            **options) -> float:
    """Flux-averaged total CEvNS cross section per nucleus, ⟨σ⟩ = Σ∫φσ dE / Σ∫φ dE, in cm².

    (The quantity COHERENT quotes: no detector threshold unless ``T_min_keV`` > 0.)
    Gauss–Legendre over E_ν (64 nodes per piece) and over log T (96 nodes).
    """
    from numpy.polynomial.legendre import leggauss

    nu = _PerFlavor(neutrino)
    Tmin = finite_scalar("T_min_keV", T_min_keV, "keV")
    x, w = leggauss(64)
    num = 0.0
    for iso, frac in target_isotopes(target):
        for comp in source.continua:
            edges = [comp.E_min_keV] + sorted(b for b in comp.breakpoints_keV
                                               if comp.E_min_keV < b < comp.E_max_keV) + [comp.E_max_keV]
            for a, b in zip(edges[:-1], edges[1:]):
                E = 0.5 * (b - a) * x + 0.5 * (b + a)
                phi = comp.dphi_dE(E)
                for flavor, weight in source.flavor_weights(comp, E):
                    sig = _sigma_total_nodes(iso, E, nu.replace(flavor=flavor), options, Tmin)
                    num += frac * 0.5 * (b - a) * float(np.sum(w * phi * weight * sig))
        for line in source.lines:
            for flavor, weight in source.flavor_weights(line, np.array([line.E_keV])):
                sig = _sigma_total_nodes(iso, [line.E_keV], nu.replace(flavor=flavor), options, Tmin)
                num += frac * line.flux_cm2_s * float(weight[0]) * float(sig[0])
    return num / source.total_flux_cm2_s
