"""IonizationTable above its last energy transfer: the millicharge photon term's atomic
correction carried by the equivalent-photon scaling (excess over the FEA ∝ T σ_γ(T)).

The check cuts a packaged table below 10 keV, continues it, and compares with the table's
own ab initio values at 11-30 keV, which the cut table does not see: across Ge's K edge
(11.1 keV) and, for Xe, over a decade without an edge. A frozen ratio, the continuation
before, misses the K-edge jump altogether (excess 0.65 carried where the table has 3.2).
"""
import numpy as np
import pytest

from nuatom.neutrino import xsec
from nuatom.neutrino.properties import NeutrinoProperties

MILLICHARGE = NeutrinoProperties(flavor="nuebar", delta_q=1e-12)


def _cut(table: xsec.IonizationTable, T_max_keV: float) -> xsec.IonizationTable:
    keep = table.T_keV <= T_max_keV
    integrals = {m: {n: a[:, keep] for n, a in parts.items()} for m, parts in table.integrals.items()}
    return xsec.IonizationTable(table.element, table.E_nu_keV, table.T_keV[keep], integrals, table.metadata)


def _photon_excess(table, E_keV, T_keV):
    E = np.full(T_keV.shape, E_keV)
    return table.dsigma_dT("millicharge", E, T_keV, MILLICHARGE) / table._fea_dhf("millicharge", E, T_keV, MILLICHARGE) - 1


@pytest.mark.parametrize("element, cut_keV, tolerance", [
    # across the K edge: measured 0.24 (E_nu = 3 MeV) and 0.25 (1 MeV), largest at 17-20 keV
    ("Ge", 9.6, 0.30),
    # no edge between 9.5 and 30 keV: measured 0.13 and 0.14, largest at 30 keV
    ("Xe", 9.5, 0.15),
])
def test_photon_term_continuation_predicts_the_cut_off_table(element, cut_keV, tolerance):
    full = xsec.IonizationTable.load(element)
    cut = _cut(full, cut_keV)
    T = full.T_keV[(full.T_keV > 11.5) & (full.T_keV <= 30.0)]
    for E in (1000.0, 3000.0):
        true = _photon_excess(full, E, T)
        predicted = _photon_excess(cut, E, T)
        assert np.all(true > 0.3)  # a real excess to predict (Ge 0.57-3.2, Xe 0.41-1.9)
        worst = np.max(np.abs(predicted / true - 1))
        assert worst < tolerance, (element, E, worst)


def test_frozen_ratio_misses_the_k_edge():
    """The test above can fail: carrying the ratio of the last node unchanged (the old
    continuation) puts Ge's excess just above the K edge at 0.65 against the table's 3.2."""
    full = xsec.IonizationTable.load("Ge")
    cut = _cut(full, 9.6)
    T = full.T_keV[(full.T_keV > 11.3) & (full.T_keV < 11.5)]
    frozen = _photon_excess(cut, 3000.0, cut.T_keV[-1:])[0]
    true = _photon_excess(full, 3000.0, T)[0]
    assert true > 4 * frozen
    assert _photon_excess(cut, 3000.0, T)[0] == pytest.approx(true, rel=0.30)


@pytest.mark.parametrize("element", ["Cs", "I"])
def test_photon_term_at_mev_transfers_tends_to_the_fea(element):
    """TEXONO CsI's window, 3-8 MeV: the photon term's excess over the FEA is the
    photoabsorption part, ~ σ_γ/(Compton) ≈ 1 % at MeV (measured 1.1 % for Cs, 1.0 % for
    I); it jumps at the K edge (Cs 36.0 keV, I 33.2 keV) above the table and falls
    monotonically beyond it. Asserted: 0 < excess < 3 % from 1 MeV on, and a decrease from
    the K edge to 300 keV."""
    table = xsec.IonizationTable.load(element)
    excess = _photon_excess(table, 10000.0, np.array([40.0, 100.0, 300.0, 1000.0, 3000.0, 8000.0]))
    assert np.all(np.diff(excess[:3]) < 0)
    assert np.all((excess[3:] > 0) & (excess[3:] < 0.03))


def test_excess_scale_is_continuous_and_constant_above_the_elam_range():
    """T σ_γ(T) from the Elam tables up to ELAM_MAX_KEV, then constant (σ_γ ∝ 1/ω)."""
    scale = xsec.photon_term_excess_scale("Cs", np.array([[500.0, xsec.ELAM_MAX_KEV], [3000.0, 8000.0]]))
    assert scale.shape == (2, 2)
    assert scale[1, 0] == scale[1, 1] == scale[0, 1]
    assert scale[0, 0] > scale[0, 1]
