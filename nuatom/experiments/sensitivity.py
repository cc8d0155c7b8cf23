"""Event rates and 90% CL sensitivities to neutrino electromagnetic properties.

Cross-section providers
-----------------------
The rate code never calls a cross-section formula directly: it calls a *provider*
registered under a method name,

``provider(element, process, E_nu_keV, T_keV, neutrino) -> dσ/dT`` (``neutrino`` a
:class:`~nuatom.neutrino.properties.NeutrinoProperties` of one flavour)

in cm²/keV **per atom**, broadcasting ``E_nu_keV`` against ``T_keV`` and returning 0
outside its kinematic range. ``process`` is ``weak``, ``nmm``, ``millicharge`` or
``total`` (weak + all EM terms with interference) as in :mod:`nuatom.neutrino.free`. Built in:
``"free"`` (Z free electrons) and ``"fea"`` (:func:`nuatom.neutrino.fea.dsigma_dT_fea`). An
ab initio provider is added with :func:`register_method` and then used by name
everywhere (rates, limits, CLI) without touching this module.

Rates
-----
:math:`\\frac{dR}{dT} = \\sum_{\\rm atoms} N_{\\rm atoms}\\Big[\\sum_c\\int dE\\,
\\phi_c(E)\\sum_f w_{c,f}(E)\\,\\frac{d\\sigma_f}{dT}(E,T) + \\sum_\\ell \\phi_\\ell
\\sum_f w_{\\ell,f}\\frac{d\\sigma_f}{dT}(E_\\ell,T)\\Big]` in counts/(kg·day·keV), with
:math:`w_{c,f}` the arrival flavour fractions (MSW for the Sun). The E integral is
Gauss–Legendre in ln E on sub-intervals split at the spectrum's breakpoints and at the
free-electron threshold :math:`E_{\\min}(T)`, where the FEA integrand jumps; on each
sub-interval the nodes are clustered quadratically toward the upper end, which removes
the :math:`\\sqrt{E_0 - E}` endpoint behaviour of β spectra.

Limits
------
The event rate is quadratic in each EM parameter θ (amplitudes are linear in it), so
three rate evaluations give the exact per-bin coefficients of :class:`nuatom.experiments.stats.BinnedModel`:
θ = μ_ν (signal ∝ μ_ν², one-sided), θ = δ_Q and θ = ⟨r²⟩ (interfering with the weak
amplitude: two-sided intervals; the quoted bound is max(|lower|, |upper|)).

Charge-radius convention: ⟨r²⟩ is in the Vogel–Engel convention of :mod:`nuatom.neutrino.free`
(δg_V = √2πα⟨r²⟩/3G_F). Results also give the bound in the convention
sin²θ_W → sin²θ_W + √2πα⟨r²⟩/(3G_F) (δg_V twice as large), which is half as large.
"""
from __future__ import annotations

import contextlib
import math
import pathlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Callable

import numpy as np

from nuatom.experiments import detector as det
from nuatom.experiments import stats
from nuatom._validate import choice, finite_scalar, positive_array
from nuatom.neutrino.kinematics import e_nu_min_free_keV
from nuatom.neutrino.properties import NeutrinoProperties

__all__ = ["register_method", "get_method", "methods", "differential_rate", "UNAVAILABLE_METHODS",
           "CRITERIA", "SeedCriterion", "seed_criterion", "expected_bands", "theory_spread",
           "discovery_threshold",
           "binned_counts", "Experiment", "list_experiments", "load_experiment", "build_source",
           "build_detector", "SensitivityResult", "sensitivity", "fraction_of_sm",
           "PARAMETERS", "REFERENCE_VALUES", "true_energy_grid", "COLUMN_ONLY_METHODS",
           "spread_methods", "rpa_column_estimate", "measured_photon_count_ratio"]

SECONDS_PER_DAY = 86400.0

# ------------------------------------------------------------------ method registry
_METHODS: dict[str, Callable] = {}


def register_method(name: str, provider: Callable, *, replace: bool = False) -> None:
    """Register a cross-section provider under ``name`` (see the module docstring)."""
    key = str(name).strip().lower()
    if not callable(provider):
        raise ValueError(f"provider for method {name!r} is not callable")
    if key in _METHODS and not replace and _METHODS[key] is not provider:
        raise ValueError(f"method {name!r} is already registered (pass replace=True)")
    _METHODS[key] = provider


@contextlib.contextmanager
def _temporary_method(name: str, provider: Callable):
    """``provider`` registered as ``name`` for the duration of a ``with`` block (derived
    cross sections that a limit is recomputed with: scaled tables, RPA column estimates)."""
    register_method(name, provider, replace=True)
    try:
        yield name
    finally:
        _METHODS.pop(str(name).strip().lower(), None)


#: Methods named by the package but not computed yet: name -> why (a clean error, not a stub).
UNAVAILABLE_METHODS: dict = {}

#: Methods whose cross sections exist at a few energy transfers only (the packaged RPA
#: response columns): they serve the rows that need dσ/dT at one T (``fraction-of-sm``),
#: not the likelihood rows, whose windows need every T.
COLUMN_ONLY_METHODS = {
    "rpa": ("relativistic RPA cross sections exist only at the energy transfers of the packaged "
            "RPA response columns (nuatom.response.rpa_reference_columns), not as full tables; "
            "a likelihood row needs every T of its window: use 'fea' or 'dhf' there"),
}


def _builtin_methods():
    if "fea" not in _METHODS:
        from nuatom.neutrino import fea

        from nuatom.neutrino import xsec

        _METHODS.setdefault("free", fea.dsigma_dT_free_atom)
        _METHODS.setdefault("fea", fea.dsigma_dT_fea)
        # frozen-core DHF, interpolated from the packaged coupling-integral tables (Ge, Xe, Cs, I);
        # "dhf" and "ab-initio" are two names of the same provider
        _METHODS.setdefault("ab-initio", xsec.table_provider)
        _METHODS.setdefault("dhf", xsec.table_provider)
        # RRPA, at the energy transfers of the packaged RPA response columns only
        _METHODS.setdefault("rpa", xsec.rpa_columns_provider)


def methods() -> tuple:
    """Names of the registered methods."""
    _builtin_methods()
    return tuple(sorted(_METHODS))


def get_method(name: str) -> Callable:
    """The provider registered as ``name``."""
    _builtin_methods()
    if isinstance(name, str) and name.strip().lower() in UNAVAILABLE_METHODS and \
            name.strip().lower() not in _METHODS:
        raise ValueError(f"method = {name!r}: {UNAVAILABLE_METHODS[name.strip().lower()]}")
    key = choice("method", name, _METHODS)
    return _METHODS[key]


#: Parameter name -> (NeutrinoProperties field, reference value for the quadratic decomposition).
PARAMETERS = {"mu_nu": ("mu_nu_muB", 1e-11), "delta_q": ("delta_q", 1e-12), "r2": ("r2_cm2", 1e-32)}


# ----------------------------------------------------------------------------- rates
_GL_CACHE: dict[int, tuple] = {}


def _gauss_legendre(n: int):
    if n not in _GL_CACHE:
        _GL_CACHE[n] = np.polynomial.legendre.leggauss(n)
    return _GL_CACHE[n]


def _continuum_integral(component, source, provider, element, process, T, neutrino, n_nodes):
    """∫ dE φ(E) Σ_f w_f(E) dσ_f/dT(E, T) for each T (cm² ... per atom per s per keV)."""
    x, w = _gauss_legendre(n_nodes)
    E_lo_T = np.maximum(e_nu_min_free_keV(T), component.E_min_keV)          # (nT,)
    pts = sorted({component.E_min_keV, component.E_max_keV,
                  *[b for b in component.breakpoints_keV if component.E_min_keV < b < component.E_max_keV]})
    total = np.zeros_like(T)
    for a, b in zip(pts[:-1], pts[1:]):
        lo = np.maximum(a, E_lo_T)
        hi = np.maximum(b, E_lo_T)
        ok = hi > lo * (1.0 + 1e-12)
        if not np.any(ok):
            continue
        lo_, hi_, T_ = lo[ok], hi[ok], T[ok]
        ulo, uhi = np.log(np.maximum(lo_, 1e-300)), np.log(hi_)
        # u = ln E; y = 1 - (1 - t)^2 clusters nodes at the upper end, where a beta
        # spectrum vanishes like sqrt(E0 - E) (this makes the integrand smooth in t)
        t = 0.5 * (x + 1.0)
        y = 1.0 - (1.0 - t) ** 2
        span = (uhi - ulo)[:, None]
        E = np.exp(ulo[:, None] + span * y[None, :])
        weight = span * (1.0 - t)[None, :] * w[None, :] * E                 # dE = E du
        integrand = np.zeros_like(E)
        phi = component.dphi_dE(E)
        for flavor, fw in source.flavor_weights(component, E):
            integrand += fw * provider(element, process, E, T_[:, None], neutrino.replace(flavor=flavor))
        total[ok] += np.sum(weight * phi * integrand, axis=1)
    return total


def differential_rate(source, target, T_keV, *, method: str = "fea", process: str = "total",
                      neutrino: NeutrinoProperties = NeutrinoProperties(), n_nodes: int = 32):
    """dR/dT in events/(kg·day·keV) at energy deposits ``T_keV`` (before detector response).

    Parameters
    ----------
    source : nuatom.neutrino.sources.NeutrinoSource
    target : nuatom.experiments.detector.Target or str
    T_keV : array_like
        Energy deposits in keV (> 0).
    method : str
        Registered cross-section method (``free``, ``fea``, ...).
    process : {'weak', 'nmm', 'millicharge', 'total'}
    neutrino : NeutrinoProperties
        EM properties, couplings and mass; its flavour is replaced by each flavour of the
        source in turn (oscillated fractions from ``source``).
    n_nodes : int
        Gauss–Legendre nodes per sub-interval of the E integral (32 converges to < 1e-6;
        see the tests).
    """
    provider = get_method(method)
    tgt = det.target(target) if isinstance(target, str) else target
    T = positive_array("T_keV", T_keV, "keV")
    shape = T.shape
    T = T.ravel()
    rate = np.zeros_like(T)
    for element, _ in tgt.composition:
        n_atoms = tgt.atoms_per_kg(element)
        per_atom = np.zeros_like(T)
        for comp in source.continua:
            per_atom += _continuum_integral(comp, source, provider, element, process, T, neutrino, n_nodes)
        for line in source.lines:
            for flavor, fw in source.flavor_weights(line, np.array([line.E_keV])):
                per_atom += line.flux_cm2_s * float(fw[0]) * provider(
                    element, process, line.E_keV, T, neutrino.replace(flavor=flavor))
        rate += n_atoms * per_atom
    return (rate * SECONDS_PER_DAY).reshape(shape)


def true_energy_grid(detector: det.Detector, elements=(), n_points: int = 600) -> np.ndarray:
    """Grid of true deposits covering everything that can be measured in the window.

    From the smallest T that reaches the threshold within 6σ (never below 1 eV) to
    ``max_energy + 6σ``, log-spaced, with points just below/above every subshell edge of
    ``elements`` (the FEA steps) and every bin edge.
    """
    res = detector.resolution
    lo = detector.threshold_keV
    if res is not None:
        grid = np.geomspace(1e-3, detector.threshold_keV, 4000)
        reach = grid + 6.0 * res.sigma_keV(grid) >= detector.threshold_keV
        lo = float(grid[np.argmax(reach)]) if np.any(reach) else detector.threshold_keV
    hi = detector.max_energy_keV
    if res is not None:
        hi = hi + 6.0 * float(res.sigma_keV(hi))
    pts = [np.geomspace(lo, hi, n_points), detector.bin_edges_keV]
    from nuatom.neutrino import fea

    for el in elements:
        for s in fea.subshells(el):
            if lo < s.binding_keV < hi:
                pts.append(np.array([s.binding_keV * (1 - 1e-9), s.binding_keV * (1 + 1e-9)]))
    grid = np.unique(np.concatenate(pts))
    return grid[(grid >= lo) & (grid <= hi)]


def binned_counts(rate_fn: Callable, detector: det.Detector, T_grid=None) -> np.ndarray:
    """Expected signal counts per analysis bin in the ON data set.

    ``rate_fn(T_keV) -> dR/dT`` (events/(kg·day·keV)); the response (Gaussian resolution)
    is folded on ``T_grid`` (trapezoid), times exposure and efficiency.
    """
    T = true_energy_grid(detector, [el for el, _ in detector.target.composition]) if T_grid is None else T_grid
    R = np.asarray(rate_fn(T), float)
    M = det.response_matrix(T, detector.bin_edges_keV, detector.resolution)
    return np.trapezoid(M * R[None, :], T, axis=1) * detector.exposure_kg_day * detector.efficiency


# ------------------------------------------------------------------- experiments
@dataclass(frozen=True, eq=False)
class Experiment:
    """One row of a sensitivity table: source, detector, method and the seed's values."""

    id: str
    name: str
    table: str
    method: str
    kind: str
    source_spec: dict
    detector: det.Detector | None
    target: det.Target
    seed: dict = field(default_factory=dict)
    fraction: float | None = None
    at_T_keV: float | None = None
    inputs: dict = field(default_factory=dict)


def _experiments_dir():
    return resources.files("nuatom").joinpath("data", "experiments")


def list_experiments() -> list[str]:
    """Ids of the bundled experiments, in table order."""
    order = ["texono-csi", "texono-ge", "gemma", "texono-pcge", "pcge-projected", "sm-1percent",
             "xenon10", "xenon100", "pandax-ii", "xenon1t", "lz", "lz-0.5kev", "darwin"]
    found = sorted(p.name[:-5] for p in _experiments_dir().iterdir() if p.name.endswith(".toml"))
    return [i for i in order if i in found] + [i for i in found if i not in order]


def build_source(spec: dict):
    """A :class:`nuatom.neutrino.sources.NeutrinoSource` from a ``[source]`` table."""
    from nuatom.neutrino import sources

    kind = choice("source.kind", spec.get("kind", ""), ("reactor", "solar"))
    if kind == "reactor":
        return sources.reactor_source(flux_cm2_s=spec.get("flux_cm2_s"), power_MW=spec.get("power_MW"),
                                      distance_m=spec.get("distance_m"))
    return sources.solar_source(spec.get("model", "B16-GS98"))


def _resolution(spec: dict | None):
    if not spec:
        return None
    kind = choice("detector.resolution.kind", spec.get("kind", ""), ("stochastic", "germanium", "none"))
    if kind == "stochastic":
        return det.StochasticResolution(finite_scalar("a_sqrt_keV", spec["a_sqrt_keV"]),
                                        finite_scalar("b", spec.get("b", 0.0)))
    if kind == "germanium":
        return det.GermaniumResolution(finite_scalar("sigma_pulser_keV", spec["sigma_pulser_keV"]),
                                       finite_scalar("fano", spec.get("fano", 0.11)),
                                       finite_scalar("pair_energy_keV", spec.get("pair_energy_keV", 2.97e-3)))
    return None


def build_detector(spec: dict) -> det.Detector:
    """A :class:`nuatom.experiments.detector.Detector` from a ``[detector]`` table."""
    if "exposure_ton_year" in spec and "exposure_kg_day" in spec:
        raise ValueError("give exposure_kg_day or exposure_ton_year, not both")
    if "exposure_ton_year" in spec:
        exposure = finite_scalar("exposure_ton_year", spec["exposure_ton_year"]) * det.KG_DAY_PER_TON_YEAR
    else:
        exposure = finite_scalar("exposure_kg_day", spec["exposure_kg_day"])
    off = spec.get("off_exposure_kg_day")
    return det.Detector(det.target(spec["target"]), _resolution(spec.get("resolution")),
                        spec["threshold_keV"], spec["max_energy_keV"], spec["bin_width_keV"],
                        spec["background_per_kg_keV_day"], exposure, off, spec.get("efficiency", 1.0))


def _parse(data: dict, origin: str) -> Experiment:
    """:func:`_parse_fields` with every malformed field reported as a ``ValueError``."""
    if not isinstance(data, dict):
        raise ValueError(f"{origin}: expected a table of fields, got {type(data).__name__}")
    try:
        return _parse_fields(data, origin)
    except KeyError as exc:
        raise ValueError(f"{origin}: missing required field {exc.args[0]!r}") from None
    except (TypeError, AttributeError) as exc:
        raise ValueError(f"{origin}: malformed field ({exc})") from None


def _parse_fields(data: dict, origin: str) -> Experiment:
    for key in ("id", "source", "detector"):
        if key not in data:
            raise ValueError(f"{origin}: missing required field {key!r}")
        if key != "id" and not isinstance(data[key], dict):
            raise ValueError(f"{origin}: field {key!r} must be a table, got {data[key]!r}")
    kind = data.get("kind", "likelihood")
    kind = choice("kind", kind, ("likelihood", "fraction-of-sm"))
    dspec = data["detector"]
    detector = build_detector(dspec) if kind == "likelihood" else None
    inputs = {"source": dict(data["source"]), "detector": dict(dspec)}
    if kind == "fraction-of-sm":
        inputs.update({"fraction": data["fraction"], "at_T_keV": data["at_T_keV"]})
    return Experiment(str(data["id"]), str(data.get("name", data["id"])), str(data.get("table", "")),
                      str(data.get("method", "fea")), kind, dict(data["source"]), detector,
                      det.target(dspec["target"]), dict(data.get("seed", {})),
                      data.get("fraction"), data.get("at_T_keV"), inputs)


def load_experiment(id_or_path) -> Experiment:
    """Load a bundled experiment by id, or a user detector file (TOML; YAML if pyyaml)."""
    p = pathlib.Path(str(id_or_path))
    if p.suffix.lower() in (".toml", ".yaml", ".yml") or p.exists():
        if not p.exists():
            raise ValueError(f"detector file {str(p)!r} does not exist")
        if not p.is_file():
            raise ValueError(f"detector file {str(p)!r} is not a file")
        try:
            text = p.read_text()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"detector file {str(p)!r} cannot be read ({exc})") from None
        if p.suffix.lower() in (".yaml", ".yml"):
            try:
                import yaml
            except ImportError:
                raise ValueError(f"detector file {str(p)!r}: YAML needs pyyaml (pip install pyyaml); "
                                 "or write it as TOML") from None
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                raise ValueError(f"detector file {str(p)!r} is not valid YAML ({exc})") from None
        else:
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"detector file {str(p)!r} is not valid TOML ({exc})") from None
        return _parse(data, str(p))
    ids = list_experiments()
    key = choice("experiment", id_or_path, ids)
    return _parse(tomllib.loads(_experiments_dir().joinpath(f"{key}.toml").read_text()), key)


# ----------------------------------------------------------------------- limits
@dataclass(frozen=True)
class SensitivityResult:
    """90% CL sensitivities of one experiment with one cross-section method.

    ``r2_90_cm2`` is in the Vogel–Engel convention; ``r2_90_cm2_sin2_shift`` = half of it.
    Intervals are (lower, upper) for the signed parameters.
    """

    experiment: str
    method: str
    mu_nu_90_muB: float
    delta_q_90: float
    r2_90_cm2: float
    delta_q_interval: tuple
    r2_interval_cm2: tuple
    sm_counts: float
    background_counts: float
    inputs: dict
    delta_q_90_no_interference: float = float("nan")
    r2_90_cm2_no_interference: float = float("nan")
    criterion: str = "asimov"

    @property
    def r2_90_cm2_sin2_shift(self) -> float:
        return 0.5 * self.r2_90_cm2

    def to_dict(self) -> dict:
        return {"experiment": self.experiment, "method": self.method, "criterion": self.criterion,
                "mu_nu_90_muB": self.mu_nu_90_muB, "delta_q_90": self.delta_q_90,
                "r2_90_cm2": self.r2_90_cm2, "r2_90_cm2_sin2_shift": self.r2_90_cm2_sin2_shift,
                "delta_q_interval": list(self.delta_q_interval),
                "r2_interval_cm2": list(self.r2_interval_cm2),
                "delta_q_90_no_interference": self.delta_q_90_no_interference,
                "r2_90_cm2_no_interference": self.r2_90_cm2_no_interference,
                "sm_counts": self.sm_counts, "background_counts": self.background_counts,
                "r2_convention": "Vogel-Engel: delta g_V = sqrt(2) pi alpha <r^2> / (3 G_F)",
                "inputs": self.inputs}


REFERENCE_VALUES = {k: v[1] for k, v in PARAMETERS.items()}


def _rate_fn(source, target, method, neutrino):
    return lambda T: differential_rate(source, target, T, method=method, process="total",
                                       neutrino=neutrino)


def binned_model(experiment: Experiment, parameter: str, method: str | None = None,
                 source=None, T_grid=None, *, interference: bool = True) -> stats.BinnedModel:
    """The :class:`nuatom.experiments.stats.BinnedModel` of ``experiment`` for one EM parameter.

    ``interference=False`` drops the term linear in δ_Q or ⟨r²⟩ (interference with the
    weak amplitude), keeping only the EM term squared, as the seed's cross-section
    formulas do; the limit is then one-sided on |θ|.
    """
    key = choice("parameter", parameter, PARAMETERS)
    field_name, ref = PARAMETERS[key]
    m = experiment.method if method is None else method
    src = build_source(experiment.source_spec) if source is None else source
    d = experiment.detector
    if T_grid is None:
        T_grid = true_energy_grid(d, [el for el, _ in d.target.composition])
    c0 = binned_counts(_rate_fn(src, d.target, m, NeutrinoProperties()), d, T_grid)
    cp = binned_counts(_rate_fn(src, d.target, m, NeutrinoProperties(**{field_name: ref})), d, T_grid)
    if key == "mu_nu":
        s1 = np.zeros_like(c0)
        s2 = (cp - c0) / ref**2
    else:
        cm = binned_counts(_rate_fn(src, d.target, m, NeutrinoProperties(**{field_name: -ref})), d, T_grid)
        s1 = (cp - cm) / (2 * ref) if interference else np.zeros_like(c0)
        s2 = (cp + cm - 2 * c0) / (2 * ref**2)
    tau = None if d.off_exposure_kg_day is None else d.off_exposure_kg_day / d.exposure_kg_day
    return stats.BinnedModel(c0, s1, s2, d.background_counts(), tau,
                             two_sided=(key != "mu_nu" and interference))


def fraction_of_sm(experiment: Experiment, method: str | None = None, source=None, *,
                   interference: bool = True) -> dict:
    """Parameter values where the EM change of dR/dT equals ``fraction`` × SM at ``at_T_keV``.

    Returns ``{parameter: (negative-side value, positive-side value, effective)}``; for
    μ_ν only the positive value. For a signed parameter each side is the smallest |θ|
    with |R(θ) − R(0)| = fraction · R(0).
    """
    m = experiment.method if method is None else method
    src = build_source(experiment.source_spec) if source is None else source
    T = np.array([float(experiment.at_T_keV)])
    f = float(experiment.fraction)
    R0 = float(differential_rate(src, experiment.target, T, method=m, neutrino=NeutrinoProperties())[0])
    out = {}
    for key, (field_name, ref) in PARAMETERS.items():
        Rp = float(differential_rate(src, experiment.target, T, method=m, neutrino=NeutrinoProperties(**{field_name: ref}))[0])
        if key == "mu_nu":
            val = ref * math.sqrt(f * R0 / (Rp - R0))
            out[key] = (val, val, val)
            continue
        Rm = float(differential_rate(src, experiment.target, T, method=m, neutrino=NeutrinoProperties(**{field_name: -ref}))[0])
        a = (Rp - Rm) / (2 * ref) if interference else 0.0
        b = (Rp + Rm - 2 * R0) / (2 * ref**2)
        sides = []
        for sgn in (-1.0, 1.0):
            roots = []
            for target_val in (f * R0, -f * R0):
                # b t^2 + a t - target = 0, t = sgn * x with x > 0
                coeffs = [b, a, -target_val]
                for r in np.roots(coeffs):
                    if abs(r.imag) < 1e-12 * max(abs(r.real), 1e-300) and sgn * r.real > 0:
                        roots.append(abs(r.real))
            sides.append(sgn * min(roots))
        out[key] = (sides[0], sides[1], max(abs(sides[0]), abs(sides[1])))
    return out


def sensitivity(experiment, method: str | None = None, *, criterion: str = "asimov",
                seed_options: "SeedCriterion | None" = None) -> SensitivityResult:
    """90% CL sensitivities of ``experiment`` (id, path or :class:`Experiment`).

    ``criterion='asimov'``: profile-likelihood limits on Asimov SM data (the median expected
    limit, module docstring). ``criterion='seed'``: the counting rule inferred from the seed's
    LXe table (:class:`SeedCriterion`, options in ``seed_options``). ``fraction-of-sm`` rows
    are a definition, not a limit, and ignore the criterion.
    """
    crit = choice("criterion", criterion, CRITERIA)
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    m = exp.method if method is None else method
    get_method(m)
    if exp.kind == "likelihood" and str(m).strip().lower() in COLUMN_ONLY_METHODS:
        raise ValueError(f"method = {m!r} for experiment {exp.id!r}: "
                         f"{COLUMN_ONLY_METHODS[str(m).strip().lower()]}")
    if crit == "seed" and exp.kind == "likelihood":
        return seed_criterion(exp, m, seed_options)
    src = build_source(exp.source_spec)
    inputs = dict(exp.inputs)
    if exp.kind == "fraction-of-sm":
        fr = fraction_of_sm(exp, m, src)
        fr0 = fraction_of_sm(exp, m, src, interference=False)
        return SensitivityResult(exp.id, m, fr["mu_nu"][2], fr["delta_q"][2], fr["r2"][2],
                                 fr["delta_q"][:2], fr["r2"][:2], float("nan"), float("nan"), inputs,
                                 fr0["delta_q"][2], fr0["r2"][2], criterion="fraction-of-sm")
    d = exp.detector
    T_grid = true_energy_grid(d, [el for el, _ in d.target.composition])
    mods = {k: binned_model(exp, k, m, src, T_grid) for k in PARAMETERS}
    mu = stats.upper_limit(mods["mu_nu"])
    dq = stats.interval(mods["delta_q"])
    r2 = stats.interval(mods["r2"])
    no_int = {k: stats.upper_limit(stats.BinnedModel(mods[k].s0, np.zeros_like(mods[k].s1), mods[k].s2,
                                                       mods[k].background_on, mods[k].tau))
              for k in ("delta_q", "r2")}
    inputs["derived"] = {"bins": int(len(d.bin_edges_keV) - 1), "exposure_kg_day": d.exposure_kg_day,
                         "r2_disconnected_region": bool(r2.disconnected)}
    return SensitivityResult(exp.id, m, mu, dq.effective, r2.effective, (dq.lower, dq.upper),
                             (r2.lower, r2.upper), float(np.sum(mods["mu_nu"].s0)),
                             float(np.sum(mods["mu_nu"].background_on)), inputs,
                             no_int["delta_q"], no_int["r2"])


# ------------------------------------------------------------------ seed criterion
#: Limit criteria: the likelihood ratio on Asimov data, and the seed's counting rule.
CRITERIA = ("asimov", "seed")


@dataclass(frozen=True)
class SeedCriterion:
    r"""The counting rule inferred from the seed's LXe table (issue 21), with its options.

    Sum the predicted neutrino counts :math:`N_\nu(\theta)` (SM plus the EM term, after the
    detector resolution) in the measured-energy window [threshold, threshold + ``window_keV``],
    and require :math:`N_\nu(\theta) \le B + z\sqrt{B}`, with B the expected background
    counts in the same window; no background is subtracted, and the SM neutrino counts use
    up part of the allowance (``compare='sm+em'``). The bound is the θ where equality holds.

    Attributes
    ----------
    window_keV : float
        Width of the counting window above threshold, keV (the seed's inferred ≈ 2 keV).
    z : float
        Gaussian quantile: Φ⁻¹(0.90) = 1.2816 (the "1.28" of the inferred rule, a one-sided
        90% fluctuation of the background).
    interference : bool
        Keep the term linear in δ_Q and ⟨r²⟩ (interference with the weak amplitude). The
        seed's cross-section formulas have the EM term squared only (False).
    compare : {'sm+em', 'em', 'excess'}
        What is compared: ``'sm+em'`` (the seed's rule) all neutrino counts with
        :math:`B + z\sqrt{B}`; the variants, to test the inference and not the seed's rule:
        ``'em'`` the EM counts alone with :math:`B + z\sqrt{B}` (SM counts ignored), and
        ``'excess'`` the EM counts with :math:`z\sqrt{B}` (a background-subtracted excess).
    """

    window_keV: float = 2.0
    z: float = 1.2815515655446004
    interference: bool = False
    compare: str = "sm+em"

    def __post_init__(self):
        w = finite_scalar("window_keV", self.window_keV, "keV")
        if not 0 < w <= 1000.0:
            raise ValueError(f"window_keV = {w} keV is outside the valid range (0, 1000] keV")
        z = finite_scalar("z", self.z)
        if not 0 <= z <= 10:
            raise ValueError(f"z = {z} is outside the valid range [0, 10]")
        choice("compare", self.compare, ("sm+em", "em", "excess"))


def _window_detector(d: det.Detector, window_keV: float) -> det.Detector:
    import dataclasses

    return dataclasses.replace(d, max_energy_keV=d.threshold_keV + window_keV, bin_width_keV=window_keV)


def _seed_roots(a: float, b: float, allowed: float) -> tuple:
    """Smallest |θ| on each side with a θ + b θ² = allowed (b > 0, allowed > 0)."""
    if b > 0:
        disc = math.sqrt(a * a + 4.0 * b * allowed)
        return -(a + disc) / (2.0 * b), (-a + disc) / (2.0 * b)
    if a == 0:
        raise ValueError("the model has no EM signal in the counting window")
    return (-allowed / abs(a), math.inf) if a < 0 else (-math.inf, allowed / a)


def seed_criterion(experiment, method: str | None = None, options: SeedCriterion | None = None) -> SensitivityResult:
    """90% CL bounds of ``experiment`` with the seed's counting rule (:class:`SeedCriterion`).

    ``r2_90_cm2`` is in the Vogel–Engel convention (the one that matches the seed's LXe
    table, see the chapter). The ``*_no_interference`` fields hold the bounds from the EM
    term squared alone, whatever ``options.interference``. Raises ``ValueError`` when the
    SM counts alone already exceed the allowed counts (no bound from this rule).
    """
    opt = SeedCriterion() if options is None else options
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    if exp.kind != "likelihood":
        raise ValueError(f"experiment = {exp.id!r} is a {exp.kind!r} row: the seed criterion needs a detector")
    m = exp.method if method is None else method
    provider_check = get_method(m)
    del provider_check
    src = build_source(exp.source_spec)
    dw = _window_detector(exp.detector, opt.window_keV)
    # 150 log points (plus the edges) over a few-keV window: counts within 1e-3 of 600 points
    # (measured at 100-200 points: 2e-5 for XENON100, <= 1e-3 for the δ_Q term of LZ at
    # 0.5 keV, i.e. 5e-4 in the bound), several times faster
    T_grid = true_energy_grid(dw, [el for el, _ in dw.target.composition], n_points=150)

    def counts(**em):
        rate = _rate_fn(src, dw.target, m, NeutrinoProperties(**em))
        return float(np.sum(binned_counts(rate, dw, T_grid)))

    c0 = counts()
    B = float(np.sum(dw.background_counts()))
    allowed = {"sm+em": B + opt.z * math.sqrt(B) - c0, "em": B + opt.z * math.sqrt(B),
               "excess": opt.z * math.sqrt(B)}[opt.compare.strip().lower()]
    if not allowed > 0:
        raise ValueError(f"window_keV = {opt.window_keV}: the SM neutrino counts ({c0:.4g}) already exceed "
                         f"background + z sqrt(background) ({B + opt.z * math.sqrt(B):.4g}); the seed "
                         "criterion gives no bound (valid: a window where the background dominates)")
    out, sides, no_int = {}, {}, {}
    for key, (field_name, ref) in PARAMETERS.items():
        cp = counts(**{field_name: ref})
        if key == "mu_nu":
            b = (cp - c0) / ref**2
            out[key] = math.sqrt(allowed / b)
            continue
        cm = counts(**{field_name: -ref})
        a = (cp - cm) / (2 * ref)
        b = (cp + cm - 2 * c0) / (2 * ref**2)
        no_int[key] = math.sqrt(allowed / b)
        sides[key] = _seed_roots(a if opt.interference else 0.0, b, allowed)
        out[key] = max(abs(sides[key][0]), abs(sides[key][1]))
    inputs = dict(exp.inputs)
    inputs["criterion"] = {"name": "seed", "window_keV": [dw.threshold_keV, dw.max_energy_keV],
                           "z": opt.z, "interference": opt.interference, "compare": opt.compare,
                           "allowed_em_counts": allowed}
    return SensitivityResult(exp.id, m, out["mu_nu"], out["delta_q"], out["r2"], sides["delta_q"], sides["r2"],
                             c0, B, inputs, no_int["delta_q"], no_int["r2"], criterion="seed")


def measured_photon_count_ratio(experiment, options: SeedCriterion | None = None) -> float:
    r"""Millicharge-to-magnetic count ratio :math:`b_Q/b_\mu` in the seed rule's window, in the
    equivalent-photon picture with **measured** photoabsorption: an estimate independent of
    nuatom's atomic structure and of any statistical criterion.

    Under the seed rule both bounds are :math:`\sqrt{A/b}` with one allowance A
    (:func:`seed_criterion`), so :math:`\delta_{Q,90}/\mu_{90} = \sqrt{b_\mu/b_Q}` whatever
    A, i.e. whatever the background, exposure, SM counts and z. The row-to-row changes of
    that ratio test the cross sections alone. Here, per atom of the target,

    * the millicharge counts are those of its photon pole, :math:`d\sigma/dT \propto
      \sigma_\gamma(T)/T` (the excess over the free-electron form, which dominates in the keV
      windows of the LXe rows: DHF/FEA 5.9-12.5 in :math:`b_Q`), with :math:`\sigma_\gamma` from the
      Elam, Ravel & Sieber photoabsorption tables (xraydb, measured data;
      :func:`nuatom.neutrino.xsec.photon_term_excess_scale`), in barn;
    * the magnetic counts are the free-electron form :math:`N_{\rm eff}(T)/T` with the
      measured X-ray edges (:func:`nuatom.neutrino.fea.effective_electrons`,
      ``binding="edges"``), which Voloshin's sum rules make exact to a few per cent;

    both folded with the detector's resolution over the window [threshold, threshold +
    ``options.window_keV``]. The flux and the slowly varying logarithm of the photon pole are
    dropped, so only ratios between windows of one source are meaningful (the unit is barn
    per electron).
    """
    import xraydb

    from nuatom.neutrino import fea
    from nuatom.neutrino.xsec import ELAM_MIN_KEV, photon_term_excess_scale
    from nuatom.units import BARN_CM2, N_A

    opt = SeedCriterion() if options is None else options
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    if exp.kind != "likelihood":
        raise ValueError(f"experiment = {exp.id!r} is a {exp.kind!r} row: the count ratio needs a detector")
    dw = _window_detector(exp.detector, opt.window_keV)
    composition = dw.target.composition
    # the Elam tables hold from 0.1 keV; deposits below it reach the lowest threshold here
    # (0.5 keV) only beyond 4 sigma of the resolution (2e-5 of the counts), so both rates
    # start there
    T_grid = true_energy_grid(dw, [el for el, _ in composition], n_points=600)
    T_grid = T_grid[T_grid >= ELAM_MIN_KEV]
    # mass attenuation (cm^2/g) to a cross section per atom (barn)
    barn_per_cm2_g = {el: xraydb.atomic_mass(el) / N_A / BARN_CM2 for el, _ in composition}

    def millicharge(T):
        return sum(n * barn_per_cm2_g[el] * photon_term_excess_scale(el, T) for el, n in composition) / T**2

    def magnetic(T):
        return sum(n * fea.effective_electrons(el, T, binding="edges") for el, n in composition) / T

    return float(np.sum(binned_counts(millicharge, dw, T_grid)) / np.sum(binned_counts(magnetic, dw, T_grid)))


# ------------------------------------------------------------------ expected-limit bands
def expected_bands(experiment, method: str | None = None, *, n_sigma=(-2, -1, 0, 1, 2)) -> dict:
    """Median and ±1σ, ±2σ of the 90% CL limit, asymptotic formulas (:cite:`Cowan2011`).

    For μ_ν, and for δ_Q and ⟨r²⟩ from the EM term squared alone (signal ∝ θ², so the
    signal strength ν = θ² enters the counts linearly, where the asymptotic formulas hold).
    Returns ``{"mu_nu_muB": {"-2sigma": ..., ..., "+2sigma": ...}, "delta_q_no_interference":
    ..., "r2_cm2_no_interference": ...}`` (see :func:`nuatom.experiments.stats.asymptotic_band`);
    the interfering δ_Q and ⟨r²⟩ have no closed form: use :func:`stats.toy_upper_limits`.
    """
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    if exp.kind != "likelihood":
        raise ValueError(f"experiment = {exp.id!r} is a {exp.kind!r} row: no limit, no band")
    m = exp.method if method is None else method
    get_method(m)
    src = build_source(exp.source_spec)
    d = exp.detector
    T_grid = true_energy_grid(d, [el for el, _ in d.target.composition])
    out = {}
    for key, name in (("mu_nu", "mu_nu_muB"), ("delta_q", "delta_q_no_interference"),
                      ("r2", "r2_cm2_no_interference")):
        mod = binned_model(exp, key, m, src, T_grid, interference=False)
        band = stats.asymptotic_band(mod, n_sigma=n_sigma)
        out[name] = {_band_label(n): v for n, v in band.items()}
    return out


def _band_label(n) -> str:
    return "median" if n == 0 else f"{n:+d}sigma"


# ------------------------------------------------------------------ theory uncertainty
#: Relative numerical uncertainty of the packaged DHF cross-section tables: the interpolation
#: in E_ν between the table's nodes stays within 1 % (nuatom/data/xsec/REFERENCE.md, checked
#: in tests/test_reference_tables.py).
TABLE_NUMERICAL_REL = 0.01


def spread_methods(experiment) -> tuple:
    """The methods :func:`theory_spread` compares by default for ``experiment``: FEA and DHF,
    and RPA where its cross sections exist, i.e. for a ``fraction-of-sm`` row whose energy
    transfer is one of the packaged RPA columns of every target element."""
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    out = ("fea", "dhf")
    if exp.kind == "fraction-of-sm":
        from nuatom.neutrino import xsec

        try:
            ok = all(np.any(np.abs(xsec.rpa_column_energies_keV(el) - exp.at_T_keV) <= 1e-6 * exp.at_T_keV)
                     for el, _ in exp.target.composition)
        except ValueError:          # no RPA columns packaged for an element
            ok = False
        if ok:
            out += ("rpa",)
    return out


def theory_spread(experiment, criterion: str = "asimov", methods_compared=None,
                  seed_options: SeedCriterion | None = None, known: dict | None = None) -> dict:
    """Each bound with every method in ``methods_compared`` and their spread.

    ``methods_compared`` defaults to :func:`spread_methods` (FEA, DHF, and RPA where its
    columns serve the row). ``spread_rel`` = (max − min)/min over the methods, per bound;
    ``table_numerical_rel`` = the tables' relative uncertainty (:data:`TABLE_NUMERICAL_REL`)
    carried into the bound by recomputing it with the DHF cross section scaled by (1 + ε):
    |Δbound/bound|. ``known`` ({method: :class:`SensitivityResult`}) passes bounds already
    computed with the same criterion and options, which are then not recomputed.

    The RPA enters here only where its cross sections serve the whole row (the
    ``fraction-of-sm`` row at a packaged column). For a likelihood row, which needs every T
    of its window, :func:`rpa_column_estimate` estimates the RPA's shift from the packaged
    columns inside the window (``nuatom sensitivity --rpa-columns``).
    """
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    keys = ("mu_nu_90_muB", "delta_q_90", "r2_90_cm2")
    if methods_compared is None:
        methods_compared = spread_methods(exp)
    known = dict(known or {})

    def bound(m):
        # a known result under another name of the same provider ("ab-initio" is "dhf") serves too
        same = [r for k, r in known.items() if get_method(k) is get_method(m)]
        return same[0] if same else sensitivity(exp, m, criterion=criterion, seed_options=seed_options)

    res = {m: bound(m) for m in methods_compared}
    out = {"methods": list(methods_compared), "criterion": criterion,
           "bounds": {m: {k: getattr(r, k) for k in keys} for m, r in res.items()}}
    out["spread_rel"] = {k: max(getattr(r, k) for r in res.values()) / min(getattr(r, k) for r in res.values()) - 1.0
                         for k in keys}
    tab = [m for m in methods_compared if get_method(m) is get_method("dhf")]
    if tab:
        base = get_method(tab[0])
        eps = TABLE_NUMERICAL_REL
        name = f"dhf-scaled-{eps:g}"
        with _temporary_method(name, lambda *a, **k: (1.0 + eps) * base(*a, **k)):
            scaled = sensitivity(exp, name, criterion=criterion, seed_options=seed_options)
        out["table_numerical_rel"] = {k: abs(getattr(scaled, k) / getattr(res[tab[0]], k) - 1.0) for k in keys}
        out["table_numerical_input_rel"] = eps
    return out


#: The pieces of the ``total`` cross section that :func:`rpa_column_estimate` scales separately:
#: the weak term (charge radius included), the magnetic and millicharge terms squared, and the
#: rest (the interference of the millicharge with the weak amplitude).
_PIECES = ("weak", "nmm", "millicharge", "interference")


def _piece_vanishes(piece, neutrino) -> bool:
    """The piece is identically zero for these properties (its ratio is then irrelevant)."""
    if piece == "nmm":
        return not np.any(np.asarray(neutrino.mu_nu_muB) != 0)
    if piece in ("millicharge", "interference"):
        return not np.any(np.asarray(neutrino.delta_q) != 0)
    return False


def _piece_key(piece, neutrino) -> NeutrinoProperties:
    """The properties a piece's RPA/DHF ratio depends on (the others set to zero, the flavour
    to one value, the millicharge to its size)."""
    nu = neutrino.replace(flavor="nuebar")
    dq = abs(nu.delta_q) if np.ndim(nu.delta_q) == 0 else nu.delta_q
    if piece == "weak":
        return nu.replace(mu_nu_muB=0.0, delta_q=0.0)
    if piece == "nmm":
        return nu.replace(delta_q=0.0, r2_cm2=0.0)
    if piece == "millicharge":
        return nu.replace(mu_nu_muB=0.0, r2_cm2=0.0, delta_q=dq)
    return nu.replace(mu_nu_muB=0.0, delta_q=dq)


def rpa_column_estimate(experiment, criterion: str = "asimov",
                        seed_options: SeedCriterion | None = None,
                        dhf_bounds: dict | None = None) -> dict | None:
    """How far the RPA would move each bound of a likelihood row, estimated column by column.

    RPA cross sections exist only at the packaged response columns
    (:func:`nuatom.neutrino.xsec.rpa_column_energies_keV`), so no RPA bound of a likelihood
    row can be computed. For every column :math:`T_c` inside the row's window
    (the detector's [threshold, max energy]; with ``criterion="seed"`` the seed's counting
    window) this computes the ratio of the source-averaged event rates,
    :math:`\\rho_c = (dR/dT)^{\\rm RPA}/(dR/dT)^{\\rm DHF}` at :math:`T_c`, for each piece of the
    cross section (weak with the charge radius, magnetic, millicharge squared, and the
    millicharge–weak interference; :data:`_PIECES`) and each neutrino-property set that the
    limit evaluates, and recomputes the bound with every piece of the DHF cross sections
    multiplied by its :math:`\\rho_c` at *every* T of the window: the bound
    the row would have if the RPA correction of that column held throughout. The range of
    those bounds over the columns is an estimate of the RPA's effect, not an RPA bound:
    between the columns nothing is known (the RPA/DHF ratio is not interpolated across T).

    Returns ``None`` for a row that is not a likelihood row, whose target has an element
    without RPA columns, or whose window holds no column; otherwise ``{"columns_keV",
    "rate_ratio": {T: {"weak", "nmm", "millicharge"}} (at μ_ν = 10⁻¹¹ μ_B, δ_Q = 10⁻¹² e),
    "bounds": {T: {key: bound}}, "dhf": {key: bound}, "bound_rel": {key: max over T of
    |bound_T / bound_DHF − 1|}, "criterion"}``. ``dhf_bounds``, the row's DHF bounds
    with the same criterion and options ({key: bound}, as in :func:`theory_spread`'s
    ``bounds["dhf"]``) if already computed, are used instead of recomputing them.
    """
    from nuatom.neutrino import xsec

    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    if exp.kind != "likelihood":
        return None
    d = exp.detector
    elements = [el for el, _ in d.target.composition]
    if len(elements) != 1:
        return None      # the columns are per atom; compounds have none packaged (CsI)
    element = elements[0]
    try:
        columns = xsec.rpa_column_energies_keV(element)
    except ValueError:
        return None
    if choice("criterion", criterion, CRITERIA) == "seed":
        w = _window_detector(d, (SeedCriterion() if seed_options is None else seed_options).window_keV)
        lo, hi = w.threshold_keV, w.max_energy_keV
    else:
        lo, hi = d.threshold_keV, d.max_energy_keV
    inside = [float(t) for t in columns if lo <= t <= hi]
    if not inside:
        return None
    keys = ("mu_nu_90_muB", "delta_q_90", "r2_90_cm2")
    src = build_source(exp.source_spec)
    dhf = get_method("dhf")
    if dhf_bounds is None:
        base = sensitivity(exp, "dhf", criterion=criterion, seed_options=seed_options)
        dhf_bounds = {k: getattr(base, k) for k in keys}
    out = {"columns_keV": inside, "criterion": criterion, "rate_ratio": {}, "bounds": {},
           "dhf": {k: float(dhf_bounds[k]) for k in keys}}
    reference = NeutrinoProperties(mu_nu_muB=PARAMETERS["mu_nu"][1], delta_q=PARAMETERS["delta_q"][1])
    for T_c in inside:
        ratios: dict = {}
        rates: dict = {}

        def rate(method, process, nu, T_c=T_c, rates=rates):
            key = (method, process, nu)
            if key not in rates:
                rates[key] = float(differential_rate(src, element, [T_c], method=method, process=process,
                                                     neutrino=nu)[0])
            return rates[key]

        def ratio(piece, nu, ratios=ratios, rate=rate):
            # one ratio per piece and the properties it depends on; the rates average the
            # flavours of the source themselves, and a piece's ratio does not depend on
            # the size of the moment that multiplies it
            nu = _piece_key(piece, nu)
            if (piece, nu) not in ratios:
                if _piece_vanishes(piece, nu):
                    ratios[(piece, nu)] = 1.0
                else:
                    r = []
                    for m in ("rpa", "dhf"):
                        if piece == "interference":
                            r.append(rate(m, "total", nu) - sum(rate(m, p, nu) for p in _PIECES[:3]))
                        else:
                            r.append(rate(m, piece, nu))
                    ratios[(piece, nu)] = r[0] / r[1] if r[1] != 0 else 1.0
            return ratios[(piece, nu)]

        def scaled(el, process, E_nu_keV, T_keV, neutrino="nuebar", ratio=ratio):
            # every process scaled by its own ratio; "total" piece by piece, so that the
            # mix of weak and EM terms, which changes with T, is not frozen at T_c
            nu = neutrino if isinstance(neutrino, NeutrinoProperties) else NeutrinoProperties(flavor=neutrino)
            if process != "total":
                return ratio(process, nu) * dhf(el, process, E_nu_keV, T_keV, nu)
            # pieces that vanish for these properties are not evaluated: without a
            # millicharge the total is the weak plus the magnetic term
            parts = {p: dhf(el, p, E_nu_keV, T_keV, nu) for p in _PIECES[:3] if not _piece_vanishes(p, nu)}
            if not _piece_vanishes("interference", nu):
                parts["interference"] = dhf(el, "total", E_nu_keV, T_keV, nu) - sum(parts.values())
            return sum(ratio(p, nu) * v for p, v in parts.items())

        out["rate_ratio"][T_c] = {p: float(ratio(p, reference)) for p in ("weak", "nmm", "millicharge")}
        name = f"dhf-times-rpa-column-{T_c:.6g}"
        with _temporary_method(name, scaled):
            res = sensitivity(exp, name, criterion=criterion, seed_options=seed_options)
        out["bounds"][T_c] = {k: getattr(res, k) for k in keys}
    out["bound_rel"] = {k: max(abs(out["bounds"][t][k] / out["dhf"][k] - 1.0) for t in inside) for k in keys}
    return out


# ------------------------------------------------------------------ discovery reach
def discovery_threshold(experiment, parameter: str, method: str | None = None, *, z: float = 5.0,
                        model: stats.BinnedModel | None = None) -> float:
    r"""Smallest |θ| discovered with median significance ``z`` (Asimov, :cite:`Cowan2011`).

    The median significance of rejecting θ = 0 in data with true θ is
    :math:`Z = \sqrt{q_{0,A}}`, q₀ evaluated on the Asimov data set of θ
    (:func:`nuatom.experiments.stats.discovery_significance`). For δ_Q and ⟨r²⟩ (with
    interference) both signs are solved and the larger |θ| is returned, so that either
    sign is discovered at ≥ z.
    """
    zz = finite_scalar("z", z)
    if not 0 < zz <= 20:
        raise ValueError(f"z = {zz} is outside the valid range (0, 20]")
    key = choice("parameter", parameter, PARAMETERS)
    if model is None:
        exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
        model = binned_model(exp, key, method)
    return stats.discovery_threshold(model, zz)
