"""nuatom's shipped photoionization tables (``nuatom/data/photo``): reproducibility from the
code at this version, internal consistency, and the issue's acceptance test against the
Chantler (FFAST) tables.

The tables are nuatom's own frozen-core DHF results, written by
``benchmarks/make_photo_tables.py``; the recomputation below uses the same function.
"""
import importlib.resources
import importlib.util
import pathlib

import numpy as np
import pytest

import nuatom
from nuatom.units import HARTREE_KEV

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_photo_tables",
                                                  ROOT / "benchmarks" / "make_photo_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def read_table(element):
    """``(omega_keV, total_barn, {label: barn}, header_lines)`` of the shipped table."""
    text = (importlib.resources.files("nuatom") / "data" / "photo" / f"{element}.csv").read_text()
    header = [ln[2:] for ln in text.splitlines() if ln.startswith("#")]
    omega, total, per = gen.read_table(importlib.resources.files("nuatom") / "data" / "photo" / f"{element}.csv")
    return omega, total, per, header


def nearest_row(omega, target_keV):
    return int(np.argmin(np.abs(np.log(omega / target_keV))))


# ---------------------------------------------------------------------------------------
# (a) the tables are reproducible from the code at this version
# ---------------------------------------------------------------------------------------
# One row per subshell group: Ge 50 eV (4p, 4s, 3d open), 600 eV (+3p, 3s), 15 keV (every
# subshell incl. 1s); Xe 80 eV (5p, 5s and the narrow 4d -> f resonance: a sensitive
# point), 800 eV (up to 3d), 12 keV (every subshell but 1s, whose edge is at 34.6 keV).
REPRODUCE = {"Ge": (0.05, 0.6, 15.0), "Xe": (0.08, 0.8, 12.0)}


@pytest.mark.slow
@pytest.mark.parametrize("element", sorted(REPRODUCE))
def test_table_rows_reproduce(element):
    # 1e-6 relative: the generator writes 12 significant digits and the calculation is
    # deterministic; anything larger means the code changed since the table was made
    # (regenerate with benchmarks/make_photo_tables.py).
    omega, total, per, _ = read_table(element)
    rows = [nearest_row(omega, t) for t in REPRODUCE[element]]
    fresh = gen.cross_sections_barn(element, omega[rows])
    assert list(fresh) == list(per)
    for label in per:
        np.testing.assert_allclose(fresh[label], per[label][rows], rtol=1e-6, atol=0.0, err_msg=label)
    np.testing.assert_allclose(np.sum(list(fresh.values()), axis=0), total[rows], rtol=1e-6)


# ---------------------------------------------------------------------------------------
# (c) internal consistency
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("element", ["Ge", "Xe"])
def test_table_consistency(element):
    omega, total, per, header = read_table(element)
    atom = nuatom.atom(element)
    assert np.all(np.diff(omega) > 0) and omega[-1] == pytest.approx(30.0)
    # subshells sum to the total: each number has 12 significant digits (5e-13 relative)
    np.testing.assert_allclose(np.sum(list(per.values()), axis=0), total, rtol=1e-11, atol=0.0)
    # every occupied subshell, zero exactly below its Koopmans threshold and positive above
    assert set(per) == {o.label for o in atom.orbitals if o.occupancy > 0}
    for label, values in per.items():
        threshold = -atom.orbital(label).energy_hartree * HARTREE_KEV
        assert np.all(values[omega < threshold] == 0.0), label
        assert np.all(values[omega > threshold] > 0.0), label
    # the header names this nuatom version and this atom's thresholds (4 decimals in eV)
    assert any(f"nuatom version: {nuatom.__version__};" in ln for ln in header)
    line = next(ln for ln in header if ln.startswith("Koopmans thresholds (eV):"))
    printed = dict(item.rsplit(" ", 1) for item in line.split(":", 1)[1].strip().split(", "))
    for label, value in printed.items():
        assert float(value) == pytest.approx(-atom.orbital(label).energy_hartree * HARTREE_KEV * 1e3, abs=1e-4)


def test_reference_data_helpers():
    # Henke via sigma = 2 r_e lambda f2 and Chantler via mu/rho * A / N_A against values
    # read locally from the same tables (reference-values section 4.1/4.2): Xe at 100 eV
    # Henke 26.9 Mb; Ge at 10 keV Chantler 4117 b, Xe at 1 keV 1.96e6 b (3 digits quoted).
    assert gen.henke_barn("Xe", np.array([0.1]))[0] == pytest.approx(26.9e6, rel=3e-3)
    assert gen.chantler_barn("Ge", np.array([10.0]))[0] == pytest.approx(4117, rel=2e-3)
    assert gen.chantler_barn("Xe", np.array([1.0]))[0] == pytest.approx(1.96e6, rel=3e-3)
    # Elam and Chantler agree to a few % at 10 keV (both relativistic independent-particle)
    assert gen.elam_barn("Ge", np.array([10.0]))[0] == pytest.approx(4117, rel=0.06)
    # edge exclusion: K edge of Ge (measured 11.103 keV, Koopmans ~11.19 keV) is excluded
    # from 10.77 to 11.52 keV, nothing else near 8 keV
    keep = gen.away_from_edges("Ge", np.array([8.0, 10.7, 10.8, 11.15, 11.5, 11.6]))
    assert keep.tolist() == [True, True, False, False, False, True]


# ---------------------------------------------------------------------------------------
# (b) issue acceptance: frozen-core DHF within 10 % of Chantler above 200 eV, away from
#     edges. Reference: C. T. Chantler, J. Phys. Chem. Ref. Data 29, 597 (2000) (FFAST),
#     photoelectric part as shipped in xraydb (mu_chantler(photo=True)).
# ---------------------------------------------------------------------------------------
# Table rows nearest to these energies (keV); each lies at least 10 % from any measured
# edge or Koopmans threshold (thresholds: Ge K 11.1, L 1.22-1.45, M1 0.18-0.20;
# Xe L 4.79-5.51, M 0.68-1.17, N1 0.21-0.23 keV).
CHANTLER_POINTS = {
    "Ge": [
        (0.30, "M-shell continuum between M1 (<= 0.21) and L3 (>= 1.18): 3p/3d dominated"),
        (0.60, "middle of the same window, far from any edge"),
        (0.95, "22 % below the L3 edge (1.217 keV)"),
        (2.50, "L-shell dominated, 1.7x the L1 edge"),
        (6.00, "middle of the L1-K window"),
        (20.0, "K-shell dominated, 1.8x the K edge"),
    ],
    "Xe": [
        (0.80, "between M4 (<= 0.73) and M3 (>= 0.91): 3d dominated"),
        (1.60, "M-shell dominated, 1.4x the M1 edge, below L3"),
        (3.00, "37 % below the L3 edge (4.786 keV)"),
        (8.00, "L-shell dominated, 1.45x the L1 edge"),
        (20.0, "between L1 and K (34.6 keV)"),
    ],
}
# Xe between the 4s (N1) and 3d (M5) edges: 4d/4p/4s beyond their Cooper minima, where
# the independent-particle models disagree (Henke/Chantler = 1.4 at 300 eV). nuatom is
# 10-17 % above Chantler from about 0.29 to 0.56 keV (and 15-20 % below Henke): the
# acceptance criterion is NOT met there. Recorded as strict xfail so that a change is
# noticed either way. Numerically converged to ~1e-8 (multipole tolerance, continuum step
# and exchange tolerance, DHF grid); the spread of the independent-particle models
# (length vs velocity gauge 7-9 %, V^N vs V^(N-1) up to 15 %, Elam 12-25 % above Chantler)
# is of the size of the deviation: correlation (RRPA) is what would settle it.
XE_OUTER_SHELL_POINTS = [(0.30, "4d/4p/4s region, 1.3x the N1 edge"),
                         (0.45, "middle of the N1-M5 window"),
                         (0.545, "above 0.5 keV, where Chantler's stated uncertainty is 3-10 %")]


@pytest.mark.parametrize("element,target,why",
                         [(el, t, w) for el, pts in CHANTLER_POINTS.items() for t, w in pts])
def test_within_10_percent_of_chantler(element, target, why):
    omega, total, _, _ = read_table(element)
    i = nearest_row(omega, target)
    assert gen.away_from_edges(element, omega[i:i + 1], width=0.10)[0], why
    assert abs(total[i] / gen.chantler_barn(element, omega[i:i + 1])[0] - 1) < 0.10, why


@pytest.mark.xfail(strict=True, reason="Xe 0.29-0.56 keV: frozen-core DHF 10-17 % above Chantler "
                                       "(between Chantler and Henke). Correlation does not close the "
                                       "gap: RRPA is +36 % above Chantler and -4.9 % from Henke at "
                                       "300 eV (tests/continuum/test_rpa_data.py)")
@pytest.mark.parametrize("target,why", XE_OUTER_SHELL_POINTS)
def test_xe_outer_shells_within_10_percent_of_chantler(target, why):
    omega, total, _, _ = read_table("Xe")
    i = nearest_row(omega, target)
    assert abs(total[i] / gen.chantler_barn("Xe", omega[i:i + 1])[0] - 1) < 0.10, why


# Chantler's own estimate of the uncertainty of his photoabsorption for monatomic gases:
# 20-30 % at 200-500 eV and 3-10 % at 0.5-1 keV (FFAST, Chantler 2000 J. Phys. Chem. Ref.
# Data 29, 597, Table 2; NIST SRD 66). The 10 % target is tighter than the
# reference itself between 200 and 500 eV; there nuatom's deviation (at most 17 %) is
# inside the lower end (20 %) of the stated uncertainty at every table row away from edges.
# Above 0.5 keV the 10 % target and the stated uncertainty coincide, and the row at
# 0.545 keV (12 %) misses both: it is in the strict xfail above.
def test_xe_outer_shells_within_chantler_stated_uncertainty():
    omega, total, _, _ = read_table("Xe")
    m = gen.away_from_edges("Xe", omega) & (omega > 0.2) & (omega < 0.5)
    assert m.sum() >= 6
    dev = np.abs(total[m] / gen.chantler_barn("Xe", omega[m]) - 1)
    assert np.all(dev < 0.20), dict(zip(omega[m].round(3), dev.round(3)))


@pytest.mark.parametrize("target,why", XE_OUTER_SHELL_POINTS)
def test_xe_outer_shells_between_chantler_and_henke(target, why):
    # where the acceptance criterion fails, nuatom lies between the independent-particle
    # (Chantler) and the measurement-based (Henke) tables, which differ by ~40 %
    omega, total, _, _ = read_table("Xe")
    i = nearest_row(omega, target)
    w = omega[i:i + 1]
    chantler, henke = gen.chantler_barn("Xe", w)[0], gen.henke_barn("Xe", w)[0]
    assert min(chantler, henke) < total[i] < max(chantler, henke)
