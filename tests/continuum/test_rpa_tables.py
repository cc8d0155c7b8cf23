"""The packaged RRPA photoionization tables (nuatom/data/photo/{Ge,Xe}_rpa.csv) against
measured photoabsorption (Henke, Gullikson & Davis, At. Data Nucl. Data Tables 54, 181
(1993), via periodictable), against the frozen core, and for their own consistency.

The tables are nuatom's results (benchmarks/make_rpa_photo_tables.py); one row is recomputed
in tests/continuum/test_rpa.py::test_germanium_aoc_rpa_gauge_invariance.
"""
import importlib.resources
import importlib.util
import pathlib

import numpy as np
import pytest

import nuatom

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _module(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


photo_tables = _module("make_photo_tables")
rpa_tables = _module("make_rpa_photo_tables")


def table(element):
    return rpa_tables.read_table(importlib.resources.files("nuatom") / "data" / "photo" / f"{element}_rpa.csv")


@pytest.mark.parametrize("element", ["Ge", "Xe"])
def test_table_is_consistent_and_current(element):
    omega, cols = table(element)
    text = (importlib.resources.files("nuatom") / "data" / "photo" / f"{element}_rpa.csv").read_text()
    assert f"nuatom version: {nuatom.__version__}" in text
    assert np.array_equal(omega, rpa_tables.rpa_photon_grid_keV(element))
    labels = [c for c in cols if "_" in c and c[0].isdigit()]
    assert np.allclose(sum(cols[c] for c in labels), cols["total_barn"], rtol=1e-10, atol=0)
    assert np.allclose(cols["total_barn"] + cols["nondipole_dhf_barn"], cols["total_with_nondipole_barn"],
                       rtol=1e-10, atol=0)
    assert np.all(cols["nondipole_dhf_barn"] >= 0) and np.all(cols["total_barn"] > 0)


def _away(element, omega):
    return photo_tables.away_from_edges(element, omega)


def test_germanium_against_henke_and_the_frozen_core():
    # AOC-RRPA (E1) + frozen-core higher multipoles against Henke, 0.1-30 keV away from the
    # edges. The seed's target is 5 % above 100 eV; measured: all rows within 6 %, 13 of 15
    # within 5 % (15-30 keV above the K edge: -1.6, -1.6, -1.1 %; the misses: -5.6 % at 400 eV and -5.1 % at 500 eV, the 3d -> eps f
    # delayed maximum, where the relaxation of the 3d hole is missing from RRPA). The
    # frozen core is 10-20 % low over 150-500 eV (measured max 19.5 %).
    omega, cols = table("Ge")
    keep = _away("Ge", omega) & (omega >= 0.1)
    henke = photo_tables.henke_barn("Ge", omega[keep])
    rpa = cols["total_with_nondipole_barn"][keep] / henke - 1
    dhf = (cols["dhf_e1_barn"] + cols["nondipole_dhf_barn"])[keep] / henke - 1
    assert keep.sum() >= 15
    assert np.max(np.abs(rpa)) < 0.06
    assert np.sum(np.abs(rpa) < 0.05) >= keep.sum() - 2
    window = (omega[keep] >= 0.15) & (omega[keep] <= 0.5)
    assert np.max(np.abs(dhf[window])) > 0.15 and np.max(np.abs(rpa[window])) < 0.06


def test_germanium_gauge_and_open_shell_share():
    # AOC-RRPA gauge dependence (the half-empty 4p shell projected out of the p channels):
    # measured 1.1e-2 at 100 eV, < 1e-3 from 250 eV; the 4p partials (where AOC-RRPA and
    # two-configuration MCRRPA differ for E1 from J = 0) stay < 1 % of the total.
    omega, cols = table("Ge")
    gauge = cols["total_length_barn"] / cols["total_barn"] - 1
    finite = np.isfinite(gauge)
    assert finite.sum() >= 10
    assert np.max(np.abs(gauge[finite])) < 1.2e-2
    assert np.max(np.abs(gauge[finite & (omega >= 0.25)])) < 1e-3
    share_4p = (cols["4p_1/2"] + cols["4p_3/2"]) / cols["total_barn"]
    assert np.max(share_4p) < 0.01


def test_xenon_gauge_invariance_over_the_table():
    # closed-shell Xe, every shell polarised: length = velocity at every tabulated energy up
    # to 3 keV (issue acceptance 1e-3; GMRES tolerance 1e-9, measured <= 2.1e-8)
    omega, cols = table("Xe")
    gauge = cols["total_length_barn"] / cols["total_barn"] - 1
    finite = np.isfinite(gauge)
    assert finite.sum() >= 15 and np.max(np.abs(gauge[finite])) < 1e-6


def test_xenon_against_henke_away_from_the_4d_resonance():
    # The 5s correlation minimum region (30-40 eV), where the frozen core is 30-52 % low
    # because the 5s amplitude is driven by the 5p and 4d responses: RRPA within 3 %
    # (measured +1.7, +0.3, -0.8 %). 200-500 eV (4d past its Cooper minimum, 4p, 4s): within
    # the seed's 5 % (measured -0.9 to -4.7 %; frozen core to -22 %). 3-30 keV: within 5 %
    # (measured +1.2, -1.0, +0.1, -0.2, -1.1, -3.2 %; 30 keV is below the K edge). Just above the M edges (1.5 and 2 keV) RRPA is 6.2 and
    # 5.2 % high, outside 5 %: there the unrelaxed 3d/3p holes (Koopmans edges 5-10 % above
    # the measured ones) push strength up; pinned at 5-7 % so a change shows. The 4d giant
    # resonance itself (80-160 eV) is tested in test_rpa_data.py and the RRPA chapter.
    omega, cols = table("Xe")
    henke = photo_tables.henke_barn("Xe", omega)
    rpa = cols["total_with_nondipole_barn"] / henke - 1
    dhf = (cols["dhf_e1_barn"] + cols["nondipole_dhf_barn"]) / henke - 1
    away = _away("Xe", omega)
    five_s = (omega >= 0.03) & (omega <= 0.04)
    assert five_s.sum() == 3 and np.max(np.abs(rpa[five_s])) < 0.03 and np.min(np.abs(dhf[five_s])) > 0.25
    mid = away & (omega >= 0.2) & (omega <= 0.5)
    assert mid.sum() == 4 and np.max(np.abs(rpa[mid])) < 0.05 and np.max(np.abs(dhf[mid])) > 0.15
    high = away & (omega >= 3.0)
    assert high.sum() == 6 and np.max(np.abs(rpa[high])) < 0.05
    m_edges = away & (omega >= 1.2) & (omega <= 2.5)
    assert m_edges.sum() == 2 and np.all((rpa[m_edges] > 0.05) & (rpa[m_edges] < 0.07))
