"""Free-electron approximation with subshell thresholds (stepping approximation)."""
import numpy as np
import pytest

from nuatom.neutrino import fea
from nuatom.neutrino import free
from nuatom.neutrino.properties import NeutrinoProperties

# reference-values §3.1 (xraydb 4.5.8 / Elam tables), eV
GE_EDGES = {"1s": 11103.0, "2s": 1414.6, "2p1/2": 1248.1, "2p3/2": 1217.0, "3s": 180.1, "3p1/2": 124.9,
            "3p3/2": 120.8, "3d3/2": 29.8, "3d5/2": 29.2, "4s": 5.0, "4p1/2": 3.0, "4p3/2": 3.0}
XE_EDGES = {"1s": 34561.0, "2s": 5453.0, "2p1/2": 5107.0, "2p3/2": 4786.0, "3s": 1148.7, "3p1/2": 1002.1,
            "3p3/2": 940.6, "3d3/2": 689.0, "3d5/2": 676.4, "4s": 213.2, "4p1/2": 146.7, "4p3/2": 145.5,
            "4d3/2": 69.5, "4d5/2": 67.5, "5s": 23.3, "5p1/2": 13.4, "5p3/2": 12.1}


@pytest.mark.parametrize("element,table", [("Ge", GE_EDGES), ("Xe", XE_EDGES)])
def test_edges_match_reference_table(element, table):
    got = {sh.label: sh.binding_keV * 1e3 for sh in fea.subshells(element)}
    assert got == pytest.approx(table, abs=1e-9)


@pytest.mark.parametrize("element,T_and_N", [
    ("Ge", [(0.01, 4), (0.1, 14), (0.15, 20), (0.5, 22), (1.3, 28), (2.0, 30), (20.0, 32)]),
    ("Xe", [(0.03, 8), (0.1, 18), (0.2, 24), (0.5, 26), (0.8, 36), (1.1, 42), (2.0, 44), (5.2, 50),
            (6.0, 52), (40.0, 54)])])
def test_cumulative_electron_counts(element, T_and_N):
    # reference-values §3.1: electrons with B_i < T
    T, N = zip(*T_and_N)
    assert np.allclose(fea.effective_electrons(element, np.array(T)), N)


def test_occupancies_sum_to_Z_and_j_split():
    for el, Z in (("Ge", 32), ("Xe", 54), ("Cs", 55), ("I", 53)):
        assert sum(sh.occupancy for sh in fea.subshells(el)) == pytest.approx(Z)
    xe = {sh.label: sh.occupancy for sh in fea.subshells("Xe")}
    assert (xe["4d3/2"], xe["4d5/2"], xe["5p1/2"], xe["5p3/2"]) == (4, 6, 2, 4)


def test_fea_equals_free_atom_above_K_edge_and_steps_below():
    E = 1000.0
    for process, kw in (("weak", {}), ("nmm", {"mu_nu_muB": 1e-11}), ("millicharge", {"delta_q": 1e-12}),
                        ("total", {"mu_nu_muB": 1e-11, "delta_q": 1e-13, "r2_cm2": 1e-32})):
        T = np.array([40.0, 100.0])
        nu = NeutrinoProperties("nue", **kw)
        assert np.allclose(fea.dsigma_dT_fea("Xe", process, E, T, nu),
                           fea.dsigma_dT_free_atom("Xe", process, E, T, nu), rtol=1e-14)
        assert np.allclose(fea.dsigma_dT_free_atom("Xe", process, E, T, nu),
                           54 * free.dsigma_dT(process, E, T, nu), rtol=1e-14)
    # T = 1 keV in Xe: 40 electrons bound by less than 1 keV (xraydb edges: M3 = 0.9406 keV
    # is below, M2 = 1.0021 keV above: 3p3/2 + 3d + n=4 + n=5 = 4 + 10 + 18 + 8)
    assert fea.dsigma_dT_fea("Xe", "weak", E, 1.0, "nue") == pytest.approx(40 * free.dsigma_dT_weak(E, 1.0, "nue"))


def test_zero_outside_kinematics_no_nan():
    E = np.array([[10.0], [100.0]])
    T = np.array([0.0, 0.005, 5.0, 500.0])
    out = fea.dsigma_dT_fea("Ge", "total", E, T, NeutrinoProperties("nuebar", mu_nu_muB=1e-11, delta_q=1e-12))
    assert np.all(np.isfinite(out))
    assert out[0, 2] == 0.0 and out[0, 3] == 0.0 and out[1, 3] == 0.0   # T > T_max
    assert np.all(out[:, 0] == 0.0)


def test_validation():
    for bad in ("Xx", 0, 93, ""):
        with pytest.raises(ValueError, match=r"element.*1\.\.92"):
            fea.dsigma_dT_fea(bad, "weak", 100.0, 1.0)
    with pytest.raises(ValueError, match="binding"):
        fea.dsigma_dT_fea("Ge", "weak", 100.0, 1.0, binding="hydrogenic")
    with pytest.raises(ValueError, match="process"):
        fea.dsigma_dT_fea("Ge", "axion", 100.0, 1.0)


def test_dhf_binding_uses_koopmans_thresholds():
    """binding='dhf': the steps sit at the DHF Koopmans energies (the thresholds of the ab
    initio response), which lie 0.6-3 % above the measured deep edges; electron count Z."""
    import nuatom
    xe = nuatom.atom("Xe")
    shells = fea.subshells("Xe", binding="dhf")
    assert sum(s.occupancy for s in shells) == pytest.approx(54.0)
    by_label = {s.label: s.binding_keV for s in shells}
    assert by_label["2p3/2"] == pytest.approx(-xe.orbital("2p_3/2").energy_hartree * nuatom.units.HARTREE_KEV, rel=1e-9)
    edges = {s.label: s.binding_keV for s in fea.subshells("Xe")}
    assert 1.0 < by_label["2p3/2"] / edges["2p3/2"] < 1.03
    T = np.array([4.80, 4.86])  # between the measured (4.782) and DHF (4.836) L3 edges
    n_dhf = fea.effective_electrons("Xe", T, binding="dhf")
    n_edges = fea.effective_electrons("Xe", T)
    assert n_edges[0] - n_dhf[0] == pytest.approx(4.0) and n_dhf[1] == n_edges[1]
    # and the cross section follows the thresholds it is given (a mutant that ignored
    # binding='dhf' in dsigma_dT_fea passed every physics test, issue 22): by hand, below
    # 4.80 keV every electron but 1s, 2s, 2p_1/2 (edges: 48) and also without the four
    # 2p_3/2 (DHF: 44); at 4.86 keV both 48
    weak_dhf = fea.dsigma_dT_fea("Xe", "weak", 1000.0, T, "nue", binding="dhf")
    weak_edges = fea.dsigma_dT_fea("Xe", "weak", 1000.0, T, "nue")
    np.testing.assert_allclose(weak_dhf / weak_edges, [44.0 / 48.0, 1.0], rtol=1e-12)
    np.testing.assert_allclose(weak_edges, 48.0 * free.dsigma_dT("weak", 1000.0, T, "nue"), rtol=1e-12)


def test_configuration_rule_reproduces_the_stored_occupancies():
    """Every element beyond the four of configurations.toml is built by the rule of that
    file (ground configuration, closed j-subshells 2j+1, open shells split statistically,
    xraydb edge names by order in the shell). The rule must give the stored lists back
    exactly: label, occupancy and (where the file names one) edge."""
    from nuatom.neutrino.fea import _configuration_subshells, _configurations
    for el in fea.ELEMENTS:
        stored = {r[0]: r for r in _configurations()[el]["subshells"]}
        built = {r[0]: r for r in _configuration_subshells(el)}   # Madelung order: 4s before 3d
        assert built.keys() == stored.keys()
        assert all(built[k][2] == pytest.approx(stored[k][2], abs=1e-15) for k in stored)
        assert all(built[k][1] == stored[k][1] for k in stored if stored[k][1])


def test_every_element_up_to_uranium_has_Z_electrons_and_xraydb_edges():
    """Z = 1..92 (issue 16): occupancies sum to Z, and every subshell whose edge xraydb
    lists takes that edge (the Koopmans fallback is only for subshells xraydb lacks)."""
    import xraydb
    from nuatom.neutrino.fea import _configuration_subshells
    from nuatom.structure.configuration import ELEMENT_SYMBOLS
    for Z, symbol in enumerate(ELEMENT_SYMBOLS, start=1):
        rows = _configuration_subshells(symbol)
        assert sum(r[2] for r in rows) == pytest.approx(Z, abs=1e-12), symbol
        assert len({r[0] for r in rows}) == len(rows), symbol
        edges = xraydb.xray_edges(symbol)
        assert rows[0][1] == "K" and "K" in edges, symbol
    # Ar has every edge (K..M3): 6, 8, 14, 16 electrons above M3, M1, L2, L1, and Z x free above K
    assert fea.effective_electrons("Ar", np.array([0.020, 0.0295, 0.26, 0.33, 3.3])) == pytest.approx([6, 8, 14, 16, 18])
    free_atom = fea.dsigma_dT_free_atom(18, "weak", 1000.0, 3.3, "nue")
    assert fea.dsigma_dT_fea("ar", "weak", 1000.0, 3.3, "nue") == pytest.approx(free_atom, rel=1e-14)


def test_subshell_without_an_xraydb_edge_takes_its_koopmans_binding():
    """Na 3s has no edge in xraydb (L3 is its last): the step sits at nuatom's DHF
    Koopmans energy, 0.1821 Hartree = 4.955 eV (the measured first ionization energy,
    5.139 eV, is 4 % higher: Koopmans without relaxation and correlation)."""
    import nuatom
    na = {s.label: s for s in fea.subshells("Na")}
    assert na["3s"].edge == ""
    koopmans_keV = -nuatom.atom("Na").orbital("3s_1/2").energy_hartree * nuatom.units.HARTREE_KEV
    assert na["3s"].binding_keV == koopmans_keV
    assert 4.9e-3 < koopmans_keV < 5.0e-3
    assert na["2p3/2"].edge == "L3" and na["2p3/2"].binding_keV == pytest.approx(30.5e-3, abs=1e-12)
