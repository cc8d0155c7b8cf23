"""The atom() API, its caches and the `nuatom atom` command."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import nuatom
from nuatom import cache
from nuatom.structure.atoms import element_Z, parse_orbital_label


def test_element_parsing():
    assert element_Z("Xe") == element_Z("xe") == element_Z(54) == element_Z("54") == 54
    assert element_Z("Cs") == 55 and element_Z("u") == element_Z(92) == 92
    for bad in ("Xx", 0, 93, "Og", "Np"):
        with pytest.raises(ValueError, match="element"):
            element_Z(bad)


def test_orbital_labels():
    assert parse_orbital_label("4p_3/2") == parse_orbital_label("4p3/2") == parse_orbital_label("4p+") == (4, -2)
    assert parse_orbital_label("4p-") == (4, 1)
    assert parse_orbital_label("1s") == (1, -1)
    for bad in ("4p", "1p", "4p_5/2", "xyz"):
        with pytest.raises(ValueError, match="orbital label"):
            parse_orbital_label(bad)


def test_bad_inputs():
    with pytest.raises(ValueError, match="nucleus"):
        nuatom.atom("Ne", nucleus="gaussian")
    with pytest.raises(ValueError, match="electrons"):  # Ne-: negative ions are not supported
        nuatom.atom("Ne", configuration="[He]2s2.2p6.3s1")
    with pytest.raises(ValueError, match="mcdf"):
        nuatom.atom("Ne", mcdf=True)


def test_result_object():
    a = nuatom.atom("Ne")
    assert a.Z == 10 and a.symbol == "Ne" and a.configuration == "[He]2s2.2p6"
    assert [o.label for o in a.orbitals] == ["1s_1/2", "2s_1/2", "2p_1/2", "2p_3/2"]
    assert sum(o.occupancy for o in a.orbitals) == 10
    for o in a.orbitals:
        assert a.grid.integrate(o.P**2 + o.Q**2) == pytest.approx(1.0, abs=1e-10)
    # orthogonality within a kappa
    s1, s2 = a.orbital("1s"), a.orbital("2s")
    assert abs(a.grid.integrate(s1.P * s2.P + s1.Q * s2.Q)) < 1e-10
    # the electron potential tends to N/r far out
    assert a.electron_potential_hartree[-1] * a.grid.r[-1] == pytest.approx(10.0, rel=1e-8)
    assert nuatom.atom("Ne") is a  # memory cache
    with pytest.raises(ValueError, match="not occupied"):
        a.orbital("3s")


def test_disk_cache_roundtrip_and_corruption(tmp_path, monkeypatch):
    monkeypatch.setenv("NUATOM_CACHE_DIR", str(tmp_path))
    inputs = {"x": 1}
    cache.save("demo", inputs, {"a": np.arange(3.0)})
    assert np.array_equal(cache.load("demo", inputs)["a"], np.arange(3.0))
    assert cache.load("demo", {"x": 2}) is None
    (f,) = list(tmp_path.glob("demo-*.npz"))
    f.write_bytes(b"not a zip file")
    assert cache.load("demo", inputs) is None  # corrupt -> recomputed, never used


def test_cli_atom_json():
    out = subprocess.run([sys.executable, "-m", "nuatom", "atom", "Ge", "--json"],
                         capture_output=True, text=True, check=True, env={**os.environ})
    data = json.loads(out.stdout)
    assert set(data) >= {"Z", "total_energy_hartree", "orbitals", "mcdf"}
    assert data["Z"] == 32
    assert {"label", "n", "kappa", "occupancy", "energy_hartree"} <= set(data["orbitals"][0])
    assert len(data["mcdf"]["coefficients"]) == 2 and len(data["mcdf"]["configurations"]) == 2
    bad = subprocess.run([sys.executable, "-m", "nuatom", "atom", "Zz", "--json"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "element" in bad.stderr


def test_cli_nonrelativistic_point():
    from nuatom.cli import main
    import io
    import contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        main(["atom", "Ne", "--nonrelativistic", "--nucleus", "point", "--json"])
    data = json.loads(buf.getvalue())
    assert data["total_energy_hartree"] == pytest.approx(-128.547098, abs=3e-6)
