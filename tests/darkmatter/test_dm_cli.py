"""``nuatom dm-rate``: JSON keys exactly as in issue 17, agreement with the library, clean errors."""
from __future__ import annotations

import json
import pathlib

import pytest

from nuatom import cli


def test_dm_rate_json(capsys):
    assert cli.main(["dm-rate", "Xe", "--m-chi-MeV", "100", "--sigma-e", "1e-37", "--mediator", "heavy",
                     "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"T_keV", "dR_dT_per_kg_day_keV", "rate_per_kg_day", "subshells"}
    assert len(out["T_keV"]) == len(out["dR_dT_per_kg_day_keV"]) == 200
    assert len(out["subshells"]) == 17
    from nuatom.darkmatter.rates import dm_electron_spectrum
    lib = dm_electron_spectrum("Xe", 100.0, 1e-37, mediator="heavy")
    assert out["rate_per_kg_day"] == pytest.approx(lib.total_rate_per_kg_day, rel=1e-12)
    assert sum(out["subshells"].values()) == pytest.approx(out["rate_per_kg_day"], rel=1e-12)


def test_dm_rate_given_T_and_operator(capsys):
    assert cli.main(["dm-rate", "Ge", "--m-chi-MeV", "50", "--sigma-e", "1e-37", "--operator", "d1",
                     "--T", "0.01,0.02,10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["T_keV"] == [0.01, 0.02, 10.0]
    assert out["dR_dT_per_kg_day_keV"][0] > 0 and out["dR_dT_per_kg_day_keV"][2] == 0.0


@pytest.mark.parametrize(("argv", "expected"), [
    (["Zz", "--m-chi-MeV", "100", "--sigma-e", "1e-37"], "element = 'Zz'"),
    (["Xe", "--m-chi-MeV=-1", "--sigma-e", "1e-37"], "m_chi_MeV = -1"),
    (["Xe", "--m-chi-MeV", "100", "--sigma-e=-1e-37"], "sigma_e_cm2"),
    # the RPA table stops at 0.394 keV: 1 GeV DM reaches 3.5 keV
    (["Xe", "--m-chi-MeV", "1000", "--sigma-e", "1e-37", "--method", "rpa"], "valid range (0, 112.4] MeV"),
    (["Na", "--m-chi-MeV", "10", "--sigma-e", "1e-37", "--method", "rpa"], "no packaged 'rpa'"),
    (["Xe", "--m-chi-MeV", "100", "--sigma-e", "1e-37", "--operator", "c4", "--mediator", "light"], "implies"),
    (["Xe", "--m-chi-MeV", "100", "--sigma-e", "1e-37", "--operator", "c1", "--mediator", "light"], "implies"),
    (["Xe", "--m-chi-MeV", "1e5", "--sigma-e", "1e-37"], "valid range"),
    (["Xe", "--m-chi-MeV", "100", "--sigma-e", "1e-37", "--vesc", "100"], "vE_km_s"),
    (["Xe", "--m-chi-MeV", "100", "--sigma-e", "1e-37", "--T", "nan"], "T_keV"),
])
def test_dm_rate_errors_are_clean(argv, expected, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["dm-rate", *argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err


def test_dm_tables_command(tmp_path, capsys):
    assert cli.main(["dm-tables", "Xe", "--out", str(tmp_path), "--json"]) == 0
    files = json.loads(capsys.readouterr().out)["files"]
    assert any(f.endswith("Xe_5p_3-2.csv") for f in files) and files[-1].endswith("REFERENCE.md")
    assert cli.main(["dm-tables", "Ge", "--out", str(tmp_path / "rpa"), "--method", "rpa", "--json"]) == 0
    files = json.loads(capsys.readouterr().out)["files"]
    reference = pathlib.Path(files[-1]).read_text()
    assert "method rpa" in reference and "RRPA" in reference
    with pytest.raises(SystemExit) as exc:
        cli.main(["dm-tables", "Ar", "--out", str(tmp_path), "--method", "rpa"])
    assert exc.value.code == 2
