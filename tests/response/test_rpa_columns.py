"""The packaged RPA response columns (nuatom/data/response/rpa, nuatom.response.rpa_reference_columns).

Each column is the frozen-core reference column plus the RRPA correction of J <= 3, made by
benchmarks/make_rpa_response_columns.py. Check: the real-photon point against the RRPA
photoionization of nuatom.photoionization(method="rpa"), another code path (the forward
RRPA solve of the E1 photon operator at q = omega/c), itself checked against Henke's
measurement-based data in tests/continuum/test_rpa_data.py.
"""
import numpy as np
import pytest

import nuatom
from nuatom import units as u
from nuatom.neutrino import fea, xsec
from nuatom.neutrino.properties import NeutrinoProperties
from nuatom.response import reference_table, rpa_reference_columns, sumrules
from nuatom.response.tables import ENGINE_REVISION

ELEMENTS = ("Ge", "Xe")


@pytest.mark.parametrize("element", ELEMENTS)
def test_rpa_columns_metadata_and_bases(element):
    """Each column's frozen-core base is a node of the reference table, or (metadata
    ``rpa_column_base``) was computed at a T off the nodes with the reference options: the
    Ge column at 100 eV of the sm-1percent row (tests/experiments/test_rpa_sensitivity.py)."""
    rpa = rpa_reference_columns(element)
    dhf = reference_table(element)
    assert rpa.metadata["rpa_engine_revision"] == ENGINE_REVISION
    assert rpa.metadata["rpa_J_max"] == 3
    assert rpa.metadata["method"].startswith("rpa")
    np.testing.assert_array_equal(rpa.q_keV, dhf.q_keV)
    bases = rpa.metadata["rpa_column_base"]
    assert len(bases) == len(rpa.metadata["rpa_column_seconds"]) == rpa.T_keV.size
    assert np.all(np.diff(rpa.T_keV) > 0)
    for T, base in zip(rpa.T_keV, bases):
        on_node = np.min(np.abs(dhf.T_keV - T)) == 0.0
        assert on_node == (base == "reference-table node"), (T, base)
        assert on_node or base.startswith("computed")
    assert np.all(np.isfinite(rpa.sums_per_keV))


@pytest.mark.slow
@pytest.mark.parametrize("element", ELEMENTS)
def test_rpa_columns_reproduce_rrpa_photoionization(element):
    """sigma_gamma(omega) = 2 pi^2 alpha R11+22(T = omega, q = omega)/omega from the RPA
    columns against nuatom.photoionization(method="rpa") computed here at the same energy:
    E1 by the forward RRPA solve of the photon operator at q = omega/c (its own kernel
    grid, no pairing grid, no table), higher multipoles from the frozen core, as the columns
    hold above J = 3. The issue's acceptance is 1 %. Asserted 1e-3: the two routes solve on
    different kernel grids, and each carries the discretisation error of the solve at the
    default step_limit, 1e-3 (measured on Ne between step_limit 0.1 and 0.025,
    tests/continuum/test_rpa_finite_q.py); the columns' spline in ln q adds 4e-6 (the same
    spline on the frozen-core table against the frozen-core photoionization). Measured:
    Ge 5.1e-6 (67.3 eV), 1.9e-6 (81.4 eV), 6.9e-7 (98.5 eV), 5.4e-7 (100 eV), 2.5e-6 (205.7 eV), 1.7e-5 (309.2 eV),
    9.0e-5 (452.7 eV), 1.4e-4 (970.3 eV), 6.0e-5
    (1483.8 eV), 7.7e-5 (3045.5 eV), 4.0e-5 (11409.5 eV, just above the K edge) and 1.3e-4 (20490.1 eV); Xe 7.1e-7
    (115.4 eV), 1.3e-4 (301.0 eV), 7.1e-5 (535.0 eV), 1.6e-4 (951.0 eV), 7.6e-5 (1690.4 eV), 2.8e-4 (3004.9 eV)
    and 1.9e-4 (5619.5 eV, just above the L edges)."""
    atom = nuatom.atom(element)
    rpa = rpa_reference_columns(element)
    resp = xsec.TableResponse(rpa)
    photo = nuatom.photoionization(atom, rpa.T_keV, method="rpa").sigma_barn
    for T, sigma_photo in zip(rpa.T_keV, photo):
        R1122 = resp.evaluate(T, [T])["V"]["R1122"][0]
        sigma = 2 * np.pi**2 * u.ALPHA * R1122 / T * u.HBARC_KEV_CM_SQ / u.BARN_CM2
        assert sigma == pytest.approx(sigma_photo, rel=1e-3), (element, T)


def _generator():
    import importlib.util
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "make_rpa_response_columns.py"
    spec = importlib.util.spec_from_file_location("make_rpa_response_columns", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_merge_keeps_packaged_columns_and_refuses_other_engines(tmp_path):
    """``make_rpa_response_columns.py --merge`` (how columns enter the package): merging a
    run's column into a copy of the packaged file replaces that column only, bit for bit, and
    a run of another engine revision is refused."""
    from nuatom.response.tables import ResponseTable
    gen = _generator()
    packaged = rpa_reference_columns("Xe")
    into = tmp_path / "Xe.npz"
    packaged.save(into)
    run = tmp_path / "run.npz"
    # a "run" holding one packaged column, its sums changed so the merge is visible
    n = 2
    cols = {k: v for k, v in gen._columns_of(packaged).items() if abs(v["T_keV"] - packaged.T_keV[n]) < 1e-12}
    (col,) = cols.values()
    col["sums"] = 2.0 * col["sums"]
    gen.save_columns(run, "Xe", cols, reference_table("Xe"), 3)
    assert gen.main(["Xe", "--merge", str(run), "--into", str(into)]) == 0
    merged = ResponseTable.load(into)
    np.testing.assert_array_equal(merged.T_keV, packaged.T_keV)
    for m in range(packaged.T_keV.size):
        factor = 2.0 if m == n else 1.0
        np.testing.assert_array_equal(merged.sums_per_keV[0, :, m], factor * packaged.sums_per_keV[0, :, m])
    other = ResponseTable.load(run)
    other.metadata["rpa_engine_revision"] = ENGINE_REVISION + 1
    other.save(run)
    with pytest.raises(ValueError, match="rpa_engine_revision"):
        gen.main(["Xe", "--merge", str(run), "--into", str(into)])


def test_rpa_columns_reject_unknown_elements():
    with pytest.raises(ValueError, match="element"):
        rpa_reference_columns("Pb")


#: RPA/DHF of dσ/dT at E_nu = 1 MeV (reactor antineutrinos) from the packaged columns: weak,
#: magnetic moment and millicharge (δ_Q = 1e-12, m_ν default), and the EPA share of the RPA
#: millicharge cross section, as the RRPA and ionization cross-section chapters print them.
#: nuatom's own run (benchmarks/make_rpa_response_columns.py, 2026-12-05): regression pins,
#: not an independent check; that is the photon point against the forward RRPA
#: photoionization (test above), which the EPA part is built from.
RATIOS = {
    ("Ge", 67.3): {"weak": 0.89541, "nmm": 0.81522, "millicharge": 0.81564, "epa_share": 0.76078},
    ("Ge", 81.4): {"weak": 0.90503, "nmm": 0.81831, "millicharge": 0.79707, "epa_share": 0.77496},
    ("Ge", 98.5): {"weak": 0.91469, "nmm": 0.82458, "millicharge": 0.81536, "epa_share": 0.78204},
    ("Ge", 205.7): {"weak": 0.93917, "nmm": 0.91040, "millicharge": 1.06805, "epa_share": 0.77819},
    ("Ge", 309.2): {"weak": 0.97752, "nmm": 0.97691, "millicharge": 1.13774, "epa_share": 0.75936},
    ("Ge", 452.7): {"weak": 0.99019, "nmm": 0.99553, "millicharge": 1.13741, "epa_share": 0.73414},
    ("Ge", 970.3): {"weak": 0.99506, "nmm": 0.99140, "millicharge": 1.04148, "epa_share": 0.62870},
    ("Ge", 1483.8): {"weak": 0.98241, "nmm": 0.97519, "millicharge": 0.99712, "epa_share": 0.78654},
    ("Ge", 3045.5): {"weak": 0.99861, "nmm": 1.00039, "millicharge": 1.05758, "epa_share": 0.66755},
    ("Ge", 11409.5): {"weak": 0.99687, "nmm": 0.99645, "millicharge": 0.98592, "epa_share": 0.65905},
    ("Ge", 20490.1): {"weak": 0.99963, "nmm": 0.99979, "millicharge": 1.00744, "epa_share": 0.43558},
    ("Xe", 115.4): {"weak": 1.04465, "nmm": 1.34096, "millicharge": 5.66645, "epa_share": 0.78520},
    ("Xe", 301.0): {"weak": 0.98140, "nmm": 0.98055, "millicharge": 1.16184, "epa_share": 0.70094},
    ("Xe", 535.0): {"weak": 0.98887, "nmm": 0.98637, "millicharge": 1.11081, "epa_share": 0.70857},
    ("Xe", 951.0): {"weak": 0.98100, "nmm": 0.96314, "millicharge": 1.02163, "epa_share": 0.80628},
    ("Xe", 1690.4): {"weak": 0.99314, "nmm": 0.99534, "millicharge": 1.08595, "epa_share": 0.76016},
    ("Xe", 3004.9): {"weak": 0.99780, "nmm": 0.99921, "millicharge": 1.06382, "epa_share": 0.66432},
    ("Xe", 5619.5): {"weak": 0.99401, "nmm": 0.99209, "millicharge": 1.01338, "epa_share": 0.74704},
}


@pytest.mark.parametrize("key", sorted(RATIOS))
def test_rpa_over_dhf_cross_section_ratios(key):
    # tolerance 1e-4: the pins carry five digits. Also EPA + LPA = RPA for the millicharge
    # within 1e-3 up to the ~3 keV columns (the ionization chapter's frozen-core accuracy of
    # that decomposition; measured <= 9e-4, at 3 keV). Above, the decomposition itself drifts
    # (frozen core: -2.4e-3 at 11.4 keV, -2.1 % at 30 keV), so there the RPA's sum is held to
    # the frozen core's at the same T within 1e-3 (measured 3e-5 at Ge 11409.5 eV): the
    # correlations do not change how well EPA + LPA works
    element, T_eV = key
    cols, dhf = rpa_reference_columns(element), reference_table(element)
    T = [float(cols.T_keV[np.argmin(np.abs(cols.T_keV * 1e3 - T_eV))])]
    rpa, frozen = xsec.TableResponse(cols), xsec.TableResponse(dhf)
    a = xsec.coupling_integrals(1000.0, T, rpa)
    b = xsec.coupling_integrals(1000.0, T, frozen)
    weak = xsec.dsigma_from_integrals(a, "weak")[0] / xsec.dsigma_from_integrals(b, "weak")[0]
    assert weak == pytest.approx(RATIOS[key]["weak"], rel=1e-4)
    assert a["M"][0] / b["M"][0] == pytest.approx(RATIOS[key]["nmm"], rel=1e-4)
    nu = NeutrinoProperties("nuebar", delta_q=1e-12)
    exact = xsec.dsigma_dT("millicharge", 1000.0, T, rpa, nu)[0]
    epa = xsec.dsigma_dT("millicharge", 1000.0, T, rpa, nu, approximation="EPA")[0]
    lpa = xsec.dsigma_dT("millicharge", 1000.0, T, rpa, nu, approximation="LPA")[0]
    assert exact / xsec.dsigma_dT("millicharge", 1000.0, T, frozen, nu)[0] == pytest.approx(
        RATIOS[key]["millicharge"], rel=1e-4)
    assert epa / exact == pytest.approx(RATIOS[key]["epa_share"], rel=1e-4)
    if T[0] < 3.1:
        assert (epa + lpa) / exact == pytest.approx(1.0, abs=1e-3)
    else:
        frozen_sum = sum(xsec.dsigma_dT("millicharge", 1000.0, T, frozen, nu, approximation=a)[0]
                         for a in ("EPA", "LPA")) / xsec.dsigma_dT("millicharge", 1000.0, T, frozen, nu)[0]
        assert (epa + lpa) / exact == pytest.approx(frozen_sum, abs=1e-3)


@pytest.mark.parametrize("key", sorted(RATIOS))
def test_voloshin_integral_moves_with_the_magnetic_moment_cross_section(key):
    # Voloshin's I_mu (his Eq. 12) is the Q^2 integral of the magnetic-moment cross section up
    # to the |q| < T part (delta_mu < 1e-3) and the upper kinematic end at E_nu = 1 MeV, so its
    # RPA/DHF ratio is the pinned "nmm" ratio within 1e-3 (measured <= 4e-4, Xe 115.4 eV;
    # the Voloshin chapter's table).
    element, T_eV = key
    cols, dhf = rpa_reference_columns(element), reference_table(element)
    T = float(cols.T_keV[np.argmin(np.abs(cols.T_keV * 1e3 - T_eV))])
    rpa = sumrules.voloshin_from_table(cols, [T]).nmm[0]
    frozen = sumrules.voloshin_from_table(dhf, [T]).nmm[0]
    assert rpa / frozen == pytest.approx(RATIOS[key]["nmm"], rel=1e-3)


@pytest.mark.parametrize("element", ["Ge", "Xe"])
def test_voloshin_rule_per_active_electron_with_rpa(element):
    # At the ~3 keV column, two to three times above the last active threshold, the RPA obeys
    # Voloshin's rules per active electron within 1 % (measured: Ge 0.9986 and 0.9958, Xe 0.9972
    # and 0.9940 for I_mu and I_EW; DHF 2-3e-3 below 1 from the nearest shells' hydrogen-like
    # deficit, the RPA change of I_EW -3e-3 within the J <= 3 truncation bound 0.56 %).
    cols = rpa_reference_columns(element)
    T = float(cols.T_keV[np.argmin(np.abs(cols.T_keV - 3.0))])   # not a column just above a deeper edge
    v = sumrules.voloshin_from_table(cols, [T])
    active = fea.effective_electrons(element, [T], binding="dhf")[0] / v.n_electrons
    assert abs(v.nmm[0] / active - 1) < 0.01 and abs(v.weak[0] / active - 1) < 0.01
