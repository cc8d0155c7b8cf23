"""dσ/dT off the packaged energy-transfer grid (nuatom.neutrino.xsec.interpolated_coupling_integrals,
the default of ionization_dsigma_dT and ``nuatom dsigma``).

The reference is the exact computation at the same energy transfer (the response tabulated
there with the same options and momentum grid, ``exact=True``): an independent evaluation of
the same physics, which shares the response engine but none of the interpolation. The
tolerances are the documented bounds (``xsec.INTERPOLATION_ERROR``), measured by
``benchmarks/bench_xsec_interpolation.py`` at every interval midpoint of the Ge and Xe grids.
"""
import types

import numpy as np
import pytest

from nuatom.neutrino import xsec
from nuatom.neutrino.properties import NeutrinoProperties

NEUTRINOS = {"weak": NeutrinoProperties("nuebar"),
             "nmm": NeutrinoProperties("nuebar", mu_nu_muB=1e-11),
             "millicharge": NeutrinoProperties("nuebar", delta_q=1e-12)}


def _segment_nodes(table, T):
    cuts = xsec.table_thresholds_keV(table)
    return table.T_keV[np.searchsorted(cuts, table.T_keV) == np.searchsorted(cuts, T)]


def test_at_the_nodes_it_is_the_table():
    """At the table's own energy transfers the interpolation returns the table's integrals
    (a spline through its nodes: 1e-12 is rounding)."""
    resp = xsec.reference_response("Ge")
    T = resp.table.T_keV
    got, computed = xsec.interpolated_coupling_integrals(resp, 1000.0, T)
    assert np.count_nonzero(~computed) > 0.8 * T.size
    T = T[~computed]
    got, computed = xsec.interpolated_coupling_integrals(resp, 1000.0, T)
    want = xsec.coupling_integrals(1000.0, T, resp)
    for name in xsec.INTEGRAL_NAMES:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-12, atol=0, err_msg=name)


@pytest.mark.parametrize("T_keV", [0.0505, 0.2323, 0.729, 3.35])
def test_off_grid_within_the_documented_bound(T_keV):
    """Ge, E_ν = 1 MeV, at energy transfers between nodes (next to the 3d and 3s onsets,
    and in smooth stretches): interpolated against exact, weak, magnetic and millicharge
    scattering, within ``INTERPOLATION_ERROR`` of each process."""
    resp = xsec.reference_response("Ge")
    _, computed = xsec.interpolated_coupling_integrals(resp, 1000.0, [T_keV])
    assert not computed[0], "this energy transfer must be an interpolated one"
    for process, nu in NEUTRINOS.items():
        fast = xsec.ionization_dsigma_dT("Ge", process, 1000.0, [T_keV], nu)[0]
        exact = xsec.ionization_dsigma_dT("Ge", process, 1000.0, [T_keV], nu, exact=True)[0]
        assert fast == pytest.approx(exact, rel=xsec.INTERPOLATION_ERROR[process]), process


def test_never_interpolates_across_a_threshold():
    """Doubling the response at every node below the Ge 3d thresholds (43.4 and 44.1 eV)
    leaves the interpolated values above them unchanged (to rounding), and doubling it above
    leaves the ones below unchanged: no spline reaches across. A spline through all nodes
    would move by O(1). The doubling is seen by the segment's own values (factor 2)."""
    ref = xsec.reference_response("Ge").table
    cuts = xsec.table_thresholds_keV(ref)
    d52, d32 = cuts[(cuts > 0.04) & (cuts < 0.05)]
    above = np.array([0.06, 0.1])
    below = np.array([0.02, 0.035])

    def doubled(mask):
        S = ref.sums_per_keV.copy()
        S[:, :, mask, :] *= 2.0
        return xsec.TableResponse(types.SimpleNamespace(
            sums_per_keV=S, T_keV=ref.T_keV, q_keV=ref.q_keV, basis=ref.basis, subshells=ref.subshells,
            metadata=ref.metadata, binding_keV=ref.binding_keV))

    plain = xsec.reference_response("Ge")
    for T, far, near in ((above, ref.T_keV < d52, ref.T_keV > d32), (below, ref.T_keV > d32, ref.T_keV < d52)):
        a, ca = xsec.interpolated_coupling_integrals(plain, 1000.0, T)
        b, cb = xsec.interpolated_coupling_integrals(doubled(far), 1000.0, T)
        c, cc = xsec.interpolated_coupling_integrals(doubled(near), 1000.0, T)
        assert not np.any(ca | cb | cc)
        for name in ("VV0", "AA", "X0", "M"):
            np.testing.assert_allclose(b[name], a[name], rtol=1e-12, err_msg=name)
            np.testing.assert_allclose(c[name], 2 * a[name], rtol=1e-12, err_msg=name)


def test_what_it_leaves_to_the_exact_computation():
    """Computed, not interpolated: the onset window between a threshold and the first node
    above it, energy transfers outside the table, and the last stretch before the
    kinematic endpoint when it lies inside a segment."""
    resp = xsec.reference_response("Ge")
    cuts = xsec.table_thresholds_keV(resp.table)
    k_edge = cuts[-1]
    first_above = _segment_nodes(resp.table, 1.001 * k_edge)[0]
    T = np.array([1.001 * k_edge, 0.5 * (k_edge + first_above), 1.3 * first_above, 0.005, 31.0])
    _, computed = xsec.interpolated_coupling_integrals(resp, 1000.0, T)
    assert computed.tolist() == [True, True, False, True, True]
    # E_nu = 100 keV: the Bethe ridge leaves the momentum range above 14.7 keV (where
    # 2E - T = 1.5 q*(T)); in the K interval only three nodes lie below that: computed
    limit = xsec.interpolation_limit_keV(100.0)
    assert 200.0 - limit == pytest.approx(1.5 * np.sqrt(2 * 510.99895 * limit + limit**2), rel=1e-9)
    _, computed = xsec.interpolated_coupling_integrals(resp, 100.0, [5.0, 12.0, 16.0])
    assert computed.tolist() == [False, True, True]


def test_exact_option_is_validated_and_zero_outside_the_kinematics():
    with pytest.raises(ValueError, match="exact"):
        xsec.ionization_dsigma_dT("Ge", "weak", 1000.0, [1.0], exact="yes")
    T_node = float(xsec.reference_response("Ge").table.T_keV[30])
    values = xsec.ionization_dsigma_dT("Ge", "weak", 1000.0, [T_node, 1500.0, 0.0], "nuebar")
    assert values[0] > 0 and values[1] == 0.0 and values[2] == 0.0
    assert values[0] == pytest.approx(xsec.ionization_dsigma_dT("Ge", "weak", 1000.0, [T_node], exact=True)[0],
                                      rel=1e-12)


def test_unresolved_resonances_are_computed():
    """Xe between the 4d and 4p thresholds holds the frozen-core 4d -> εf shape resonance,
    narrower than the table's node spacing: interpolation there missed the exact dσ/dT by
    up to 120 % (benchmarks/bench_xsec_interpolation.py). The leave-one-out guard alone
    sends it to the exact computation, and the validation file does not admit the interval."""
    resp = xsec.reference_response("Xe")
    _, computed = xsec.interpolated_coupling_integrals(resp, 1000.0, [0.0865])
    assert computed[0]
    ok = xsec.validated_segments("Xe", resp.table)
    cuts = xsec.table_thresholds_keV(resp.table)
    assert not ok[np.searchsorted(cuts, 0.0865)]


def test_validation_file_matches_the_tables():
    """The validation file's intervals are those of the packaged tables (its lower edges are
    the tables' thresholds), every validated interval was measured within the bounds, and
    for Ge every interval with table nodes in it is validated (measured: largest weak error
    7.4e-3, millicharge 3.0e-2)."""
    import json
    import pathlib

    data = json.loads((pathlib.Path(xsec.__file__).parents[1] / "data" / "response"
                       / "interpolation_validation.json").read_text())
    for element, entry in data["elements"].items():
        table = xsec.reference_response(element).table
        cuts = xsec.table_thresholds_keV(table)
        lows = [s["lo_keV"] for s in entry["segments"]]
        np.testing.assert_allclose(lows, np.concatenate([[0.0], cuts]), rtol=1e-12)
        for s in entry["segments"]:
            if s["validated"]:
                assert s["measured"] and all(s["max_error"][p] <= data["bounds"][p] for p in s["max_error"])
    ok = xsec.validated_segments("Ge", xsec.reference_response("Ge").table)
    table = xsec.reference_response("Ge").table
    occupied = np.unique(np.searchsorted(xsec.table_thresholds_keV(table), table.T_keV))
    assert np.all(ok[occupied])


def test_a_table_without_validation_entries_is_computed(monkeypatch):
    """No entry in the validation file (a new table, e.g. before the benchmark has run)
    means no interval is trusted: every energy transfer off the grid is computed, exactly
    as with exact=True. (Before, a missing entry meant interpolating everywhere.)"""
    T = [0.05]  # Ge, off the grid, in an interval that the file validates
    interpolated = xsec.ionization_dsigma_dT("Ge", "weak", 1000.0, T)[0]
    exact = xsec.ionization_dsigma_dT("Ge", "weak", 1000.0, T, exact=True)[0]
    assert interpolated != pytest.approx(exact, rel=1e-9)  # the default did interpolate here
    monkeypatch.setattr(xsec, "_interpolation_validation", lambda: {})
    assert xsec.ionization_dsigma_dT("Ge", "weak", 1000.0, T)[0] == pytest.approx(exact, rel=1e-12)
