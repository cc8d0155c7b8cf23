"""``nuatom free`` (subprocess ``python -m nuatom`` and in-process ``nuatom.cli.main``)
against an independent evaluation of the textbook free-electron formulas.

The formulas below are written out again from the literature, with constants taken
directly from scipy.constants (not from nuatom.units):

* weak (Vogel & Engel, PRD 39, 3378 (1989); PDG "Neutrino-electron scattering"):
  dσ/dT = (G_F² m_e/2π)[(g_V+g_A)² + (g_V-g_A)²(1-T/E)² - (g_V²-g_A²) m_e T/E²],
  g_V = ±1/2 + 2 s², g_A = ±1/2 (+ for ν_e), g_A -> -g_A for ν̄;
* magnetic moment (Voloshin, PRL 105, 201801 (2010), Eq. (1)):
  dσ/dT = (πα²/m_e²) μ_ν² (1/T - 1/E), μ_ν in μ_B;
* millicharge (photon exchange squared, the weak formula with g_V -> -√2πα δ_Q/(G_F m_e T),
  g_A -> 0): dσ/dT = (πα² δ_Q²/(m_e T²))[1 + (1-T/E)² - m_e T/E²].

Agreement is required to 1e-6 relative: the CLI prints full double precision, and the
constant paths differ only at the 1e-12 level, so 1e-6 is loose enough for any CODATA
edition and tight enough to catch any wrong factor, sign or coupling.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from scipy import constants as sc

from nuatom import cli

ALPHA = sc.fine_structure
M_E_KEV = sc.physical_constants["electron mass energy equivalent in MeV"][0] * 1e3
G_F_KEV = sc.physical_constants["Fermi coupling constant"][0] * 1e-12       # GeV^-2 -> keV^-2
HBARC_KEV_CM = sc.hbar * sc.c / (sc.e * 1e3) * 1e2                           # J m -> keV cm
SIN2_THETA_W = 0.23857        # MS-bar at q² -> 0, PDG 2022 electroweak review

E_NU_KEV = 1000.0
T_KEV = (1.0, 10.0, 100.0)
MU_NU = 1e-11
DELTA_Q = 1e-12


def textbook(process: str, flavor: str, E: float, T: float) -> float:
    """Independent dσ/dT per electron in cm²/keV."""
    anti = flavor.endswith("bar")
    if process == "weak":
        cc = 1.0 if flavor.startswith("nue") else 0.0
        g_V = -0.5 + 2 * SIN2_THETA_W + cc
        g_A = (-0.5 + cc) * (-1 if anti else 1)
        bracket = (g_V + g_A) ** 2 + (g_V - g_A) ** 2 * (1 - T / E) ** 2 - (g_V**2 - g_A**2) * M_E_KEV * T / E**2
        value = G_F_KEV**2 * M_E_KEV / (2 * math.pi) * bracket
    elif process == "nmm":
        value = math.pi * ALPHA**2 / M_E_KEV**2 * MU_NU**2 * (1 / T - 1 / E)
    elif process == "millicharge":
        value = (math.pi * ALPHA**2 * DELTA_Q**2 / (M_E_KEV * T**2)
                 * (1 + (1 - T / E) ** 2 - M_E_KEV * T / E**2))
    else:
        raise AssertionError(process)
    return value * HBARC_KEV_CM**2


def argv(process: str, flavor: str) -> list[str]:
    return ["free", "--flavor", flavor, "--process", process, "--E-nu", str(E_NU_KEV),
            "--T", ",".join(str(t) for t in T_KEV), "--mu-nu", str(MU_NU),
            "--delta-q", str(DELTA_Q), "--json"]


def check_result(result: dict, process: str, flavor: str) -> None:
    assert result["flavor"] == flavor and result["process"] == process
    assert result["per"] == "electron"
    assert result["E_nu_keV"] == E_NU_KEV and result["T_keV"] == list(T_KEV)
    expected = [textbook(process, flavor, E_NU_KEV, t) for t in T_KEV]
    assert result["dsigma_dT_cm2_per_keV"] == pytest.approx(expected, rel=1e-6)


CASES = [(p, f) for f in ("nue", "nuebar") for p in ("weak", "nmm", "millicharge")]


@pytest.mark.parametrize(("process", "flavor"), CASES)
def test_subprocess_json_matches_textbook(process, flavor):
    proc = subprocess.run([sys.executable, "-m", "nuatom", *argv(process, flavor)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    check_result(json.loads(proc.stdout), process, flavor)


@pytest.mark.parametrize(("process", "flavor"), CASES)
def test_in_process_json_matches_textbook(process, flavor, capsys):
    assert cli.main(argv(process, flavor)) == 0
    out = capsys.readouterr()
    assert out.err == ""
    check_result(json.loads(out.out), process, flavor)


def test_total_is_interfering_sum(capsys):
    # total = |A_weak + A_photon|² + magnetic term, and the photon amplitude of a millicharge
    # is the shift g_V -> g_V - √2πα δ_Q/(G_F m_e T) (sign derived in the book chapter), so
    # the weak bracket is recomputed with the shifted g_V (ν̄_e: g_A -> -1/2).
    assert cli.main(argv("total", "nuebar")) == 0
    result = json.loads(capsys.readouterr().out)
    expected = []
    for T in T_KEV:
        g_V = 0.5 + 2 * SIN2_THETA_W - math.sqrt(2) * math.pi * ALPHA * DELTA_Q / (G_F_KEV * M_E_KEV * T)
        g_A = -0.5
        bracket = (g_V + g_A) ** 2 + (g_V - g_A) ** 2 * (1 - T / E_NU_KEV) ** 2 - (g_V**2 - g_A**2) * M_E_KEV * T / E_NU_KEV**2
        weak_q = G_F_KEV**2 * M_E_KEV / (2 * math.pi) * bracket * HBARC_KEV_CM**2
        expected.append(weak_q + textbook("nmm", "nuebar", E_NU_KEV, T))
    assert result["dsigma_dT_cm2_per_keV"] == pytest.approx(expected, rel=1e-6)


def test_plain_output_and_outside_range(capsys):
    # T above T_max = 796.5 keV gives 0 (free-electron kinematics), printed as key: value lines
    assert cli.main(["free", "--E-nu", "1000", "--T", "900", "--process", "weak"]) == 0
    out = capsys.readouterr().out
    assert "dsigma_dT_cm2_per_keV: [0.0]" in out and "per: electron" in out


def test_bad_energy_exits_with_message():
    proc = subprocess.run([sys.executable, "-m", "nuatom", "free", "--E-nu", "-5", "--T", "1"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert "E_nu_keV" in proc.stderr and "negative" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize(
    "bad_args",
    [["--flavor", "nux", "--E-nu", "1000", "--T", "1"],       # argparse choices
     ["--E-nu", "1000", "--T", "1,x"],                        # not a number list
     ["--process", "photon", "--E-nu", "1000", "--T", "1"],
     ["--E-nu", "1000", "--T", "nan"]],                       # ValueError from nuatom.neutrino.free
)
def test_bad_arguments_exit_2(bad_args, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["free", *bad_args])
    assert exc.value.code == 2
    assert capsys.readouterr().err


def test_command_discovery_and_every_help_page():
    # every module in nuatom/commands becomes a subcommand whose --help renders (argparse
    # %-formats help strings, so a stray "%" in a HELP text would crash `nuatom --help`)
    parser = cli.build_parser()
    assert "free" in parser.format_help()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert "free" in subparsers.choices
    for name, sub in subparsers.choices.items():
        assert sub.format_help().startswith(f"usage: nuatom {name}")


@pytest.mark.parametrize(("argv", "status", "expected"), [
    # issue 20: an energy transfer above E_nu is 0 at once (it once asked for a 341 GiB grid)
    (["dsigma", "Xe", "--process", "weak", "--E-nu", "1000", "--T", "1e9", "--method", "ab-initio"], 0,
     "dsigma_dT_cm2_per_keV: [0.0]"),
    # a photon energy beyond the continuum budget is refused before any grid (682 TiB)
    (["photo", "Xe", "--omega", "1e12"], 2, "--omega = 1e+12 keV is outside the valid range"),
    # non-finite energies are errors, not a RuntimeWarning and exit status 0
    (["free", "--E-nu", "inf", "--T", "1"], 2, "E_nu_keV = inf keV is outside the valid range"),
    (["dsigma", "Xe", "--T", "inf", "--E-nu", "1000"], 2, "T_keV = inf keV is outside the valid range"),
    (["atom", "H", "--points", "1000000000000"], 2, "--points = 1000000000000 is outside the valid range"),
    (["tabulate", "H", "--T-range", "1:2:1000000000", "--q-range", "1:2:2", "--out", "x.npz"], 2,
     "COUNT = 1000000000 is outside the valid range"),
])
def test_issue_20_inputs(argv, status, expected, capsys):
    import time

    start = time.perf_counter()
    if status == 0:
        assert cli.main(argv) == 0
        out = capsys.readouterr()
        assert expected in out.out and out.err == ""
    else:
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == status
        err = capsys.readouterr().err
        assert expected in err and err.count("\n") == 1 and "Traceback" not in err
    assert time.perf_counter() - start < 30.0  # refused or answered at once


def test_json_output_has_no_nan(capsys, monkeypatch):
    # a quantity that does not apply (NaN) is printed as JSON null, so that the output parses
    from nuatom.commands import free as free_cmd

    monkeypatch.setattr(free_cmd, "run", lambda args: {"x": float("nan"), "y": [1.0, float("inf")]})
    assert cli.main(["free", "--E-nu", "1", "--T", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"x": None, "y": [1.0, None]}
