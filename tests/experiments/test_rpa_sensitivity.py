"""RPA cross sections where the packaged RPA response columns serve them.

``method="rpa"`` (nuatom.neutrino.xsec.rpa_columns_provider) computes dσ/dT from the packaged
RPA response columns (nuatom/data/response/rpa, nuatom.response.rpa_reference_columns), at
their energy transfers only. The one row of the seed's tables that needs dσ/dT at a single
energy transfer is "sensitivity at 1 % of SM" (sm-1percent, T = 100 eV), and a Ge column was
made at exactly 100 eV for it.
"""
import contextlib
import io
import json

import numpy as np
import pytest

from nuatom import cli
from nuatom.experiments import sensitivity as S
from nuatom.neutrino import xsec
from nuatom.neutrino.properties import NeutrinoProperties
from nuatom.response import rpa_reference_columns


def test_rpa_provider_only_at_its_columns():
    cols = xsec.rpa_column_energies_keV("Ge")
    T = float(cols[0])
    direct = xsec.dsigma_dT("weak", 1000.0, np.array([T]), xsec.rpa_columns_response("Ge"), "nuebar")[0]
    # the provider broadcasts (E, T) as the sensitivity integrals call it, (nT, 1) x (nT, nE)
    E = np.array([[500.0, 1000.0]])
    got = xsec.rpa_columns_provider("Ge", "weak", E, np.array([[T]]), "nuebar")
    assert got.shape == (1, 2)
    assert got[0, 1] == pytest.approx(direct, rel=1e-12)
    assert xsec.ionization_dsigma_dT("Ge", "weak", 1000.0, [T], method="rpa")[0] == pytest.approx(direct, rel=1e-12)
    # off the columns: a clean error that names the argument and the valid values
    with pytest.raises(ValueError, match=r"T_keV = 0\.3 is not one of .*valid: T_keV in"):
        xsec.rpa_columns_provider("Ge", "weak", 1000.0, 0.3)
    with pytest.raises(ValueError, match="element"):
        xsec.rpa_columns_provider("Cs", "weak", 1000.0, 0.1)
    # outside the kinematic range the result is 0, never an error or NaN
    assert xsec.ionization_dsigma_dT("Ge", "weak", 1000.0, [T, 5000.0], method="rpa")[1] == 0.0


def test_rpa_provider_keeps_the_q_integrals_not_the_couplings():
    # the provider keeps the q-integrals per (E_nu, T, m_nu) and recombines them per call: every
    # process, flavour and property set must still equal dsigma_dT on the response (1e-12),
    # whichever was asked first, and a changed neutrino mass must not reuse the integrals
    T = float(xsec.rpa_column_energies_keV("Xe")[-1])
    response = xsec.rpa_columns_response("Xe")
    cases = [("weak", NeutrinoProperties(flavor="numu")), ("nmm", NeutrinoProperties(mu_nu_muB=3e-11)),
             ("millicharge", NeutrinoProperties(delta_q=1e-12)),
             ("millicharge", NeutrinoProperties(delta_q=1e-12, mass_keV=1e-3)),
             ("total", NeutrinoProperties(flavor="nue", delta_q=-2e-13, mu_nu_muB=1e-11, r2_cm2=1e-32))]
    for E in (30.0, 862.0):
        for process, nu in cases:
            direct = xsec.dsigma_dT(process, E, np.array([T]), response, nu)[0]
            assert xsec.rpa_columns_provider("Xe", process, E, T, nu) == pytest.approx(direct, rel=1e-12), (E, process, nu)
    with pytest.raises(ValueError, match="mass_keV must be > 0"):
        xsec.rpa_columns_provider("Xe", "millicharge", 862.0, T, NeutrinoProperties(delta_q=1e-12, mass_keV=0.0))


def test_rpa_in_the_likelihood_rows_is_a_clean_error():
    with pytest.raises(ValueError, match="'rpa'.*pcge-projected.*every T"):
        S.sensitivity("pcge-projected", "rpa")
    assert S.spread_methods("pcge-projected") == ("fea", "dhf")
    assert S.spread_methods("sm-1percent") == ("fea", "dhf", "rpa")


def test_sm_one_percent_column_is_at_the_rows_energy_transfer():
    """The 100 eV column is the row's: its frozen-core base is computed with the reference
    options (not a node of the reference table), which the metadata records."""
    cols = rpa_reference_columns("Ge")
    n = int(np.argmin(np.abs(cols.T_keV - 0.1)))
    assert cols.T_keV[n] == pytest.approx(0.1, rel=1e-12)
    assert cols.metadata["rpa_column_base"][n].startswith("computed")


def test_frozen_core_paths_agree_at_100_eV():
    """The sensitivity's DHF (the packaged coupling-integral table, interpolated in T) against
    dσ/dT from the frozen-core column computed at 100 eV, the base of the RPA column: the
    RPA/DHF ratios of the row compare like with like. Tolerance: the table's documented
    interpolation bound xsec.INTERPOLATION_ERROR (1 %, millicharge 5 %); measured 1e-4
    (weak), 4e-4 (nmm), 1.5e-3 (millicharge)."""
    import concurrent.futures

    import nuatom
    from nuatom.response import reference_table, tabulate

    dhf = reference_table("Ge")
    with concurrent.futures.ThreadPoolExecutor(1) as serial:
        column = tabulate(nuatom.atom("Ge"), [0.1], dhf.q_keV, executor=serial, cache=False, progress=False).summed()
    base = xsec.TableResponse(column)
    for process, nu in (("weak", "nuebar"), ("nmm", NeutrinoProperties(mu_nu_muB=1e-11)),
                        ("millicharge", NeutrinoProperties(delta_q=1e-12))):
        for E in (100.0, 1000.0, 5000.0):
            exact = xsec.dsigma_dT(process, E, np.array([0.1]), base, nu)[0]
            table = xsec.table_provider("Ge", process, E, np.array([0.1]), nu)[0]
            assert table == pytest.approx(exact, rel=xsec.INTERPOLATION_ERROR[process]), (process, E)


#: RPA/DHF of the sm-1percent bounds (fraction-of-SM definition, reactor spectrum, T = 100 eV):
#: nuatom's own run of 2026-12-05 (regression pin, 1e-4: five digits), as the reactor chapter prints it.
SM_ONE_PERCENT_RPA_OVER_DHF = {"mu_nu_90_muB": 1.05289, "delta_q_90": 1.13203, "r2_90_cm2": 1.06394}


def test_sm_one_percent_with_rpa():
    """The row's definition makes μ_ν ∝ sqrt(R_weak/R_nmm) at T = 100 eV, so the RPA/DHF ratio
    of the μ_ν bound must equal sqrt(weak ratio / nmm ratio) of the rates. The per-atom dσ/dT
    ratios hardly depend on E_ν (0.9146-0.9156 weak, 0.8253 nmm at 0.1-5 MeV, measured), so
    the ratios at E_ν = 1 MeV predict it to 1e-3 (measured 1.0530 against 1.0529)."""
    spread = S.theory_spread("sm-1percent")
    assert spread["methods"] == ["fea", "dhf", "rpa"]
    b = spread["bounds"]
    for k, pinned in SM_ONE_PERCENT_RPA_OVER_DHF.items():
        assert b["rpa"][k] / b["dhf"][k] == pytest.approx(pinned, rel=1e-4), k
    ratios = {}
    for process, nu in (("weak", "nuebar"), ("nmm", NeutrinoProperties(mu_nu_muB=1e-11))):
        ratios[process] = (xsec.ionization_dsigma_dT("Ge", process, 1000.0, [0.1], nu, method="rpa")[0]
                           / xsec.ionization_dsigma_dT("Ge", process, 1000.0, [0.1], nu, method="dhf")[0])
    predicted = np.sqrt(ratios["weak"] / ratios["nmm"])
    assert b["rpa"]["mu_nu_90_muB"] / b["dhf"]["mu_nu_90_muB"] == pytest.approx(predicted, rel=1e-3)


def test_cli_sensitivity_with_rpa():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli.main(["sensitivity", "--experiment", "sm-1percent", "--method", "rpa", "--json"]) == 0
    out = json.loads(buf.getvalue())
    assert out["method"] == "rpa"
    # the CLI's bound (reused in its theory spread) against the API's, computed afresh
    direct = S.sensitivity("sm-1percent", "rpa")
    for key in ("mu_nu_90_muB", "delta_q_90", "r2_90_cm2"):
        assert out[key] == pytest.approx(getattr(direct, key), rel=1e-12)
        assert out["theory_spread"]["bounds"]["rpa"][key] == out[key]
    assert set(out["theory_spread"]["bounds"]) == {"fea", "dhf", "rpa"}
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli.main(["sensitivity", "--list", "--json"]) == 0
    assert "rpa" in json.loads(buf.getvalue())["methods_column_only"]


def test_rpa_column_estimate_follows_the_seed_rule_in_closed_form(monkeypatch):
    # XENON10 with the seed criterion: its counting window (2-4 keV) holds one Xe column,
    # 3.0 keV. The estimate scales each piece of the DHF cross sections by that piece's
    # source-averaged rate ratio rho at the column, so with A = B + z sqrt(B) - c0 and
    # b = (c_ref - c0)/mu_ref^2 the counting rule mu = sqrt(A / b) must become, with
    # c0 -> rho_weak c0 and b -> rho_nmm b (the magnetic term does not interfere with the
    # weak one): mu'/mu = sqrt((A + (1 - rho_weak) c0) / (A rho_nmm)), to rounding (1e-9).
    # A version that scaled the total cross section by one ratio at T_c, freezing the
    # weak/magnetic mix of the column for every T, failed this check.
    computed = []
    plain = S.sensitivity

    def counted(experiment, method=None, **kw):
        computed.append(method)
        return plain(experiment, method, **kw)

    monkeypatch.setattr(S, "sensitivity", counted)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli.main(["sensitivity", "--experiment", "xenon10", "--criterion", "seed", "--method", "dhf",
                         "--rpa-columns", "--json"]) == 0
    monkeypatch.setattr(S, "sensitivity", plain)
    # every bound is computed once: the row's (DHF), FEA, the scaled tables, the column estimate
    assert sorted(computed) == sorted(["dhf", "fea", "dhf-scaled-0.01", "dhf-times-rpa-column-3.00485"]), computed
    est = json.loads(buf.getvalue())["theory_spread"]["rpa_column_estimate"]
    assert len(est["columns_keV"]) == 1
    # the derived providers the limits were recomputed with are registered only meanwhile
    assert not [m for m in S.methods() if m.startswith(("dhf-times-rpa-column", "dhf-scaled"))]
    T_c = est["columns_keV"][0]
    assert abs(T_c - 3.0048534) < 1e-6
    base = S.sensitivity("xenon10", "dhf", criterion="seed")
    A, c0, mu = base.inputs["criterion"]["allowed_em_counts"], base.sm_counts, base.mu_nu_90_muB
    src = S.build_source(S.load_experiment("xenon10").source_spec)

    def rho(process, nu):
        return (S.differential_rate(src, "Xe", [T_c], method="rpa", process=process, neutrino=nu)[0]
                / S.differential_rate(src, "Xe", [T_c], method="dhf", process=process, neutrino=nu)[0])

    rho_w, rho_n = rho("weak", NeutrinoProperties()), rho("nmm", NeutrinoProperties(mu_nu_muB=1e-11))
    predicted = mu * np.sqrt((A + (1 - rho_w) * c0) / (A * rho_n))
    assert est["bounds"][str(T_c)]["mu_nu_90_muB"] == pytest.approx(predicted, rel=1e-9)
    assert est["dhf"]["mu_nu_90_muB"] == pytest.approx(mu, rel=1e-12)
    assert est["rate_ratio"][str(T_c)]["weak"] == pytest.approx(rho_w, rel=1e-12)
    assert est["rate_ratio"][str(T_c)]["nmm"] == pytest.approx(rho_n, rel=1e-12)
    # weak and magnetic dsigma/dT are within 1 % of the frozen core from 1.69 keV up (RRPA
    # chapter), so XENON10's mu_nu moves by less than 1 %; more would mean a wrong ratio
    assert 0 < est["bound_rel"]["mu_nu_90_muB"] < 0.01


@pytest.mark.parametrize("row", ["texono-csi", "sm-1percent"])
def test_rpa_column_estimate_only_where_columns_serve(row):
    # CsI: no columns (a compound of Cs and I, which have none packaged); sm-1percent: not a
    # likelihood row (it has the RPA bound itself)
    assert S.rpa_column_estimate(row) is None


def test_rpa_column_estimate_takes_only_the_columns_inside_the_window():
    # TEXONO 1 kg Ge: window 12-60 keV holds the 20.5 keV column only, not the 11.4 keV one
    # just below its threshold; for GEMMA (2.8-60 keV) the 3.05, 11.4 and 20.5 keV columns
    for row, inside in (("texono-ge", [20.490098782]), ("gemma", [3.04549604, 11.409463268, 20.490098782])):
        assert S.rpa_column_estimate(row)["columns_keV"] == pytest.approx(inside, rel=1e-9)
