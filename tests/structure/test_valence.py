"""Caesium and the alkalis against ampsci (B. M. Roberts et al., https://ampsci.dev): the
Dirac-Hartree-Fock core of Cs+ and the V^{N-1} valence orbitals of
:func:`nuatom.structure.valence_orbitals`, with the same nucleus (Fermi, t = 2.3 fm, rms
radii of Angeli & Marinova 2013: Cs-133 4.8041 fm, as ampsci prints) and the Coulomb
interaction only.

References, typed from public ampsci sources:

* core: the Cs tutorial output of ampsci's documentation (``doc/tutorial.md``: grid
  1e-6..150 bohr, 3000 points), and a second published run of the same calculation
  (``README``: 2000 points, b = 40). The two differ by up to 2.0e-6 relative (5p_3/2) and
  their core totals E_c by 3.2e-3 Hartree: that is the precision of the reference.
* valence: ampsci's Hartree-Fock regression data (Li, Na, K, Rb, Cs) (``src/HF/HartreeFock_test_data.hpp``,
  "high grid parameters": r0 = 1e-7, 10000 points, rmax = 175 bohr).
"""
import numpy as np
import pytest

import nuatom
from nuatom.numerics.grid import GridSpec
from nuatom.structure import valence_orbitals

#: Valence orbitals reach ~130 bohr (Cs 7p); measured on this grid against 8000 points:
#: core energies to 1e-8 relative, valence to 2.4e-8 Hartree (Cs 6p_3/2, the worst).
GRID = GridSpec(r_min_bohr=1e-7, r_max_bohr=150.0, n_points=4000, b_bohr=4.0)

# ampsci tutorial, Cs [Xe] V^{N-1} core (Hartree)
AMPSCI_CS_CORE = {
    "1s": -1330.118948369, "2s": -212.564531430, "2p_1/2": -199.429544824,
    "2p_3/2": -186.436652692, "3s": -45.969754343, "3p_1/2": -40.448315684,
    "3p_3/2": -37.894321341, "3d_3/2": -28.309520222, "3d_5/2": -27.775176728,
    "4s": -9.512819127, "4p_1/2": -7.446283820, "4p_3/2": -6.920999547,
    "4d_3/2": -3.485619409, "4d_5/2": -3.396901915, "5s": -1.489803443,
    "5p_1/2": -0.907896946, "5p_3/2": -0.840338411,
}
AMPSCI_CS_CORE_TOTAL = -7786.643737
#: Largest relative difference between the two published ampsci runs (5p_3/2:
#: -0.840338411 vs -0.840336747). Measured here: 1.5e-6 (5p_3/2), 1.7e-7 for 1s.
CORE_REL_TOL = 2.0e-6
#: The two published E_c differ by 3.2e-3 Hartree (-7786.643737, -7786.640563). Measured:
#: nuatom lies 2.6e-3 below the finer run (3.4e-7 relative).
CORE_TOTAL_TOL = 3.2e-3

# ampsci regression data: V^{N-1} valence energies (Hartree)
AMPSCI_VALENCE = {
    "Li": ("[He]", {"2s": -0.196320362354, "3s": -0.073800976428, "2p_1/2": -0.128638489767,
                    "2p_3/2": -0.128635938854, "3d_3/2": -0.055561943025, "3d_5/2": -0.055561778462}),
    "Na": ("[Ne]", {"3s": -0.182032692029, "4s": -0.070162396177, "3p_1/2": -0.109490435880,
                    "3p_3/2": -0.109416502630, "3d_3/2": -0.055666590066, "3d_5/2": -0.055666795493}),
    "K": ("[Ar]", {"4s": -0.147490694156, "5s": -0.061087382048, "4p_1/2": -0.095712511546,
                   "4p_3/2": -0.095498104898, "3d_3/2": -0.058067348631, "3d_5/2": -0.058079794095}),
    "Rb": ("[Kr]", {"5s": -0.139291152820, "6s": -0.058703425642, "5p_1/2": -0.090815952347,
                    "5p_3/2": -0.089985890825, "4d_3/2": -0.059686518640, "4d_5/2": -0.059745101633}),
    "Cs": ("[Xe]", {"6s": -0.127368065439, "7s": -0.055187358545, "6p_1/2": -0.085615884691,
                    "7p_1/2": -0.042021386692, "6p_3/2": -0.083785482785, "7p_3/2": -0.041368043943,
                    "5d_3/2": -0.064419642841, "5d_5/2": -0.064529773969,
                    "4f_5/2": -0.031272819067, "4f_7/2": -0.031273805647}),
}
#: Measured: <= 9.3e-9 Hartree (Na 3s; Cs <= 4.7e-9) except Rb 5s, 2.0e-8; our own grid
#: changes Cs 6p_3/2 by 2.4e-8 between 4000 and 8000 points (before the block solve), so
#: 3e-8 is the grid accuracy of this test. Na, K and Rb use the Johnson-Soff radius (not in
#: nuatom's table); Rb 5s, the most penetrating of these levels in the heaviest of them,
#: is where a radius difference would show first. Rb 5p_3/2 needs the second (Slater)
#: start of valence_orbitals: from the direct-potential start the Davidson crawls.
VALENCE_ABS_TOL = 3e-8


@pytest.fixture(scope="module")
def cs_ion():
    return nuatom.atom("Cs", configuration="[Xe]", grid=GRID)


def test_cs_nucleus_matches_ampsci(cs_ion):
    assert cs_ion.nucleus.kind == "fermi"
    assert cs_ion.nucleus.r_rms_fm == pytest.approx(4.8041, abs=5e-5)
    assert cs_ion.nucleus.skin_thickness_fm == 2.3


def test_cs_core_orbital_energies_against_ampsci(cs_ion):
    got = {o.label.replace("_1/2", "") if o.l == 0 else o.label: o.energy_hartree for o in cs_ion.orbitals}
    assert set(got) == set(AMPSCI_CS_CORE)
    for label, ref in AMPSCI_CS_CORE.items():
        assert got[label] == pytest.approx(ref, rel=CORE_REL_TOL, abs=0), label


def test_cs_core_total_against_ampsci(cs_ion):
    assert abs(cs_ion.total_energy_hartree - AMPSCI_CS_CORE_TOTAL) < CORE_TOTAL_TOL


@pytest.mark.parametrize("symbol", list(AMPSCI_VALENCE))
def test_valence_energies_against_ampsci(symbol, cs_ion):
    core_config, ref = AMPSCI_VALENCE[symbol]
    core = cs_ion if symbol == "Cs" else nuatom.atom(symbol, configuration=core_config, grid=GRID)
    orbitals = valence_orbitals(core, list(ref))
    for orb, (label, energy) in zip(orbitals, ref.items()):
        assert orb.energy_hartree == pytest.approx(energy, abs=VALENCE_ABS_TOL), (symbol, label)
        # normalised, and orthogonal to every core orbital of its kappa
        w = core.grid.weights
        assert w @ (orb.P**2 + orb.Q**2) == pytest.approx(1.0, abs=1e-10)
        for c in core.orbitals:
            if c.kappa == orb.kappa:
                assert abs(w @ (orb.P * c.P + orb.Q * c.Q)) < 1e-10


def test_valence_input_validation(cs_ion):
    with pytest.raises(ValueError, match="occupied in the core"):
        valence_orbitals(cs_ion, ["5p_3/2"])
    with pytest.raises(ValueError, match="closed-shell"):
        valence_orbitals(nuatom.atom("Na"), ["4s"])
    with pytest.raises(ValueError, match="energy_tolerance_hartree"):
        valence_orbitals(cs_ion, ["6s"], energy_tolerance_hartree=0.0)
    with pytest.raises(ValueError, match="core must be"):
        valence_orbitals("Cs", ["6s"])
