"""NeutrinoProperties: one validated bundle for flavour, couplings and EM properties.

Oracles: the Standard-Model couplings of conventions.md (c_V = -1/2 + 2 sin^2 theta_W +
delta_le, c_A = -1/2 + delta_le, antineutrinos flip the sign of c_A in the cross section),
and the rule that unphysical input raises a ValueError naming the argument and its range.
"""
from __future__ import annotations

import math

import pytest

from nuatom.neutrino.properties import FLAVORS, NeutrinoProperties

S2 = 0.23857   # conventions.md: low-energy MS-bar sin^2 theta_W


@pytest.mark.parametrize("flavor", sorted(FLAVORS))
def test_standard_model_couplings(flavor):
    nu = NeutrinoProperties(flavor)
    electron = flavor.startswith("nue")
    anti = flavor.endswith("bar")
    c = nu.couplings
    assert c.g_V == pytest.approx(-0.5 + 2 * S2 + (1.0 if electron else 0.0), rel=1e-12)
    assert c.g_A == (0.5 if electron else -0.5)
    assert c.g_A_signed == (-c.g_A if anti else c.g_A)
    assert nu.antineutrino is anti and nu.lepton == ("e" if electron else flavor[2:].removesuffix("bar"))


def test_overrides_and_replace():
    nu = NeutrinoProperties("NuEBar", g_V=0.3, g_A=0.1, mu_nu_muB=1e-11)
    assert nu.flavor == "nuebar" and nu.has_nsi
    assert (nu.couplings.g_V, nu.couplings.g_A_signed) == (0.3, -0.1)
    sm = nu.replace(g_V=None, g_A=None)
    assert not sm.has_nsi and sm.mu_nu_muB == 1e-11
    assert NeutrinoProperties.of("numu") == NeutrinoProperties(flavor="numu")
    assert NeutrinoProperties.of(nu) is nu
    with pytest.raises(dataclass_error()):
        nu.mu_nu_muB = 0.0      # frozen


def dataclass_error():
    import dataclasses
    return dataclasses.FrozenInstanceError


@pytest.mark.parametrize("kwargs, argument", [
    ({"flavor": "nux"}, "flavor"),
    ({"sin2_theta_w": 1.5}, "sin2_theta_w"),
    ({"sin2_theta_w": -0.1}, "sin2_theta_w"),
    ({"mu_nu_muB": math.nan}, "mu_nu_muB"),
    ({"delta_q": math.inf}, "delta_q"),
    ({"r2_cm2": "big"}, "r2_cm2"),
    ({"g_V": math.nan}, "g_V"),
    ({"mass_keV": -1e-3}, "mass_keV"),
])
def test_unphysical_input_names_the_argument(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        NeutrinoProperties(**kwargs)


def test_of_rejects_other_types():
    with pytest.raises(ValueError, match="neutrino"):
        NeutrinoProperties.of(3.0)
