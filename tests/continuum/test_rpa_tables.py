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
    # AOC-RRPA (E1) + frozen-core higher multipoles against Henke, 0.1-10 keV away from the
    # edges. The seed's target is 5 % above 100 eV; measured: all rows within 6 %, 11 of 13
    # within 5 % (the misses: -5.6 % at 400 eV and -5.1 % at 500 eV, the 3d -> eps f
    # delayed maximum, where the relaxation of the 3d hole is missing from RRPA). The
    # frozen core is 10-20 % low over 150-500 eV (measured max 19.5 %).
    omega, cols = table("Ge")
    keep = _away("Ge", omega) & (omega >= 0.1)
    henke = photo_tables.henke_barn("Ge", omega[keep])
    rpa = cols["total_with_nondipole_barn"][keep] / henke - 1
    dhf = (cols["dhf_e1_barn"] + cols["nondipole_dhf_barn"])[keep] / henke - 1
    assert keep.sum() >= 10
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
