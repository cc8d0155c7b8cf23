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
