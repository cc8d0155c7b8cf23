"""RRPA photoionization against measured photoabsorption (Henke et al., At. Data Nucl.
Data Tables 54, 181 (1993), via periodictable's f2 as sigma = 2 r_e lambda f2) and against
the frozen-core DHF it corrects.

The target is the seed talk's: within 5 % above 100 eV away from edges. Where RRPA cannot
reach the data (the Xe 4d maximum) the test states what is missing and asserts the measured
size of the gap, so that a change in either direction shows.
"""
from __future__ import annotations

import importlib.util
import pathlib

import numpy as np
import pytest

import nuatom
from nuatom.continuum.rpa import RPAOptions, rpa_response
from nuatom.units import BARN_CM2, BOHR_CM, HARTREE_EV

ROOT = pathlib.Path(__file__).resolve().parents[2]
AU_TO_BARN = BOHR_CM**2 / BARN_CM2


def _henke():
    spec = importlib.util.spec_from_file_location("make_photo_tables",
                                                  ROOT / "benchmarks" / "make_photo_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.henke_barn


henke_barn = _henke()


@pytest.mark.slow
@pytest.mark.parametrize("omega_eV", [80.0, 100.0, 300.0, 1000.0])
def test_neon_within_5_percent_of_henke(omega_eV):
    # RRPA, all shells polarised, E1 (higher multipoles: < 1e-3 of the total at 1 keV).
    # Measured: +4.1 %, -1.4 %, -1.0 %, +3.6 %; frozen-core DHF is off by up to 65 % and
    # gauge-dependent by up to a factor 2 at the same energies (V^N, 80 eV: 9.39 vs 5.02 Mb).
    ne = nuatom.atom("Ne")
    r = rpa_response(ne, omega_eV / HARTREE_EV, gauge="length")
    henke = henke_barn("Ne", np.array([omega_eV * 1e-3]))[0]
    assert r.sigma_au * AU_TO_BARN == pytest.approx(henke, rel=0.05)


@pytest.mark.slow
def test_neon_60_and_70_eV_miss_the_5_percent_target():
    # The bottom of the 60-100 eV window the RRPA issue names: RRPA (length = velocity) is
    # +10.8 % (60 eV) and +6.2 % (70 eV) above Henke, outside the seed's 5 %; the gap closes
    # to +4.1 % at 80 eV. Isolated in the RRPA chapter (Neon section): the numerics are
    # converged (step_limit 0.05: +4.5e-4; 60 bohr more box: +1.7e-4); the Koopmans 2p
    # threshold, 1.6 eV above the measured one, accounts for -2.4/-2.5 points (RRPA at the
    # same photoelectron energy); about +8 %/+4 % remain, where RRPA leaves out two-electron
    # processes (2p^4 nl satellites from ~55 eV, double ionization from 62.5 eV) that
    # redistribute strength. That candidate is not computed.
    # Pinned at the measured gap (60 eV: 8-14 %, 70 eV: 4-9 %) so a change in either direction shows.
    ne = nuatom.atom("Ne")
    for omega_eV, lo, hi in ((60.0, 0.08, 0.14), (70.0, 0.04, 0.09)):
        r = rpa_response(ne, omega_eV / HARTREE_EV, gauge="length")
        henke = henke_barn("Ne", np.array([omega_eV * 1e-3]))[0]
        assert lo < r.sigma_au * AU_TO_BARN / henke - 1 < hi, omega_eV


@pytest.mark.slow
def test_xenon_giant_resonance_at_100_eV():
    # The 4d -> eps f giant resonance. Frozen-core DHF (V^{N-1}) puts an independent-particle
    # shape resonance of ~111 Mb at 80.5 eV and gives only 8.9 Mb at 100 eV; the intershell
    # RRPA (every shell polarised) moves the strength up to the measured ~100 eV maximum.
    # Henke: 26.9 Mb at 100 eV (maximum 27.0 Mb at 96 eV). RRPA: 30.85 Mb, +14.7 %, outside
    # the 5 % target. RRPA keeps all of the 4d strength in single excitations of an
    # unrelaxed core; relaxation of the 4d hole and the 4d shake-up/shake-off satellites
    # (reported at 15-20 % of the 4d strength near the maximum: Becker et al., PRA 39,
    # 3902 (1989); Kaemmerling, Kossmann & Schmidt, J. Phys. B 22, 841 (1989)) move strength
    # to higher energies and lower the peak. The assert pins the measured gap to 12-18 %.
    xe = nuatom.atom("Xe")
    omega = 100.0 / HARTREE_EV
    r = rpa_response(xe, omega, gauge="length", options=RPAOptions(min_n=1))
    henke = henke_barn("Xe", np.array([0.1]))[0]
    ratio = r.sigma_au * AU_TO_BARN / henke
    assert 1.12 < ratio < 1.18
    assert r.sigma_polarizability_au == pytest.approx(r.sigma_au, rel=2e-3)
    dhf = nuatom.photoionization(xe, [0.1], method="dhf", only_e1=True, gauge="length").sigma_barn[0]
    assert dhf / henke < 0.4          # the frozen core misses the resonance at 100 eV


def test_method_dispatch_and_cli():
    # the API and `nuatom photo --method rpa` give the RRPA cross section
    from nuatom.continuum.rpa import photoionization_rpa

    he = nuatom.atom("He")
    via_api = nuatom.photoionization(he, [0.04], method="rpa", gauge="length", nondipole=False)
    direct = photoionization_rpa(he, [0.04], gauge="length")
    assert via_api.sigma_barn[0] == pytest.approx(direct.sigma_barn[0], rel=1e-12)
    # the default adds the frozen-core higher multipoles (M1, E2, ...): at 40 eV they are
    # O((omega a / c)^2) ~ 1e-5 of the dipole, and rpa is the default method
    default = nuatom.photoionization(he, [0.04], gauge="length")
    extra = default.multipoles["nondipole_dhf_barn"][0]
    assert 0 < extra < 1e-4 * direct.sigma_barn[0]
    assert default.sigma_barn[0] == pytest.approx(direct.sigma_barn[0] + extra, rel=1e-12)
    with pytest.raises(ValueError, match="only_e1: only with method='dhf'"):
        nuatom.photoionization(he, [0.04], only_e1=True)
    with pytest.raises(ValueError, match="method"):
        nuatom.photoionization(he, [0.04], method="mcrrpa")
    import contextlib
    import io
    import json

    from nuatom import cli
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["photo", "He", "--omega", "0.04", "--method", "rpa", "--gauge", "length",
                         "--json"]) == 0
    data = json.loads(out.getvalue())
    assert data["method"] == "rpa"
    assert data["sigma_barn"][0] == pytest.approx(default.sigma_barn[0], rel=1e-12)


@pytest.mark.slow
def test_xenon_300_eV_rpa_within_5_percent_of_henke():
    # The window where frozen-core DHF was left blocked (issue 4: 0.29-0.56 keV, the 4d
    # Cooper-minimum / second-maximum region, 4d 60 %, 4p 27 %, 4s 9 % of the total).
    # RRPA, all shells: 1.598 Mb, -4.9 % from Henke (1.68 Mb), while DHF V^{N-1} is 1.44 /
    # 1.31 Mb (length / velocity), 14-22 % low and gauge-dependent. RRPA does not approach
    # Chantler's independent-particle compilation (1.18 Mb, +36 %): correlation sides with
    # the measurement-based table, the two compilations being 40 % apart here.
    xe = nuatom.atom("Xe")
    r = rpa_response(xe, 300.0 / HARTREE_EV, gauge="length")
    henke = henke_barn("Xe", np.array([0.3]))[0]
    assert r.sigma_au * AU_TO_BARN == pytest.approx(henke, rel=0.05)
    # the packaged RRPA table (nuatom/data/photo/Xe_rpa.csv, read by the RRPA chapter)
    # reproduces from the code: its 300 eV row, length gauge, to 1e-6 (GMRES tolerance 1e-9)
    import importlib.resources
    text = (importlib.resources.files("nuatom") / "data" / "photo" / "Xe_rpa.csv").read_text().splitlines()
    rows = [line.split(",") for line in text if not line.startswith("#")]
    header, data = rows[0], [[float(x) for x in row] for row in rows[1:]]
    row = next(row for row in data if abs(row[0] - 0.3) < 1e-12)
    assert row[header.index("total_length_barn")] == pytest.approx(r.sigma_au * AU_TO_BARN, rel=1e-6)
    dhf = nuatom.photoionization(xe, [0.3], method="dhf", only_e1=True, gauge="length").sigma_barn[0]
    assert abs(dhf / henke - 1) > 0.10
