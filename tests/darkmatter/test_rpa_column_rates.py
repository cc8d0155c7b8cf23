"""dR/dT of DM-electron scattering with the packaged RPA response columns against the
frozen-core column of the same reference table (the dark-matter chapter, "How much would RPA
change these rates?").

The pins are nuatom's own numbers (2026-12-05), regression values; the independent checks
behind them are the columns' photon point against the forward RRPA photoionization
(tests/response/test_rpa_columns.py) and the adjoint route against the forward route at
the momenta used here (tests/continuum/test_rpa_finite_q.py::test_adjoint_route_at_large_momenta).
"""
import numpy as np
import pytest

from nuatom.darkmatter import rates
from nuatom.darkmatter.tables import column_charge_response
from nuatom.response import reference_table, rpa_reference_columns

#: (atom, column T in eV, m_chi in MeV, mediator): dR/dT RPA/DHF
PINS = {
    ("Ge", 98.5, 100.0, "heavy"): 1.06040,
    ("Ge", 309.2, 1000.0, "light"): 1.09655,
    ("Xe", 115.4, 100.0, "heavy"): 1.05451,
    ("Xe", 301.0, 1000.0, "light"): 1.05813,
}


@pytest.mark.parametrize("key", sorted(PINS))
def test_rpa_over_dhf_dm_rate_at_the_columns(key):
    # tolerance 1e-4: the pins carry five digits
    element, T_eV, m_MeV, mediator = key
    cols, frozen = rpa_reference_columns(element), reference_table(element)
    T = float(cols.T_keV[np.argmin(np.abs(cols.T_keV * 1e3 - T_eV))])
    bounds = (float(frozen.q_keV[0]), float(frozen.q_keV[-1]))
    dR = [rates.dR_dT_subshell(column_charge_response(tab, T), [T], m_MeV * 1e3, 1e-37, mediator=mediator,
                               n_targets_per_kg=rates.atoms_per_kg(element), q_bounds_keV=bounds)[0]
          for tab in (cols, frozen)]
    assert dR[0] / dR[1] == pytest.approx(PINS[key], rel=1e-4)


def test_column_charge_response_only_at_the_columns():
    # exact at a column's own momenta; a T that is not a column is refused, naming the valid ones
    cols = rpa_reference_columns("Xe")
    T = float(cols.T_keV[0])
    S = column_charge_response(cols, T)
    R00 = cols.components("vector", components=("R00",))["R00"][0]
    np.testing.assert_allclose(S(T, cols.q_keV[10:20]), R00[10:20], rtol=1e-12)
    with pytest.raises(ValueError, match=r"T_keV = 0\.2 is not one of .*valid: T_keV in"):
        column_charge_response(cols, 0.2)
