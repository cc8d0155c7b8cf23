"""Dirac-Hartree-Fock totals and orbital energies against published and independent values."""
import math

import numpy as np
import pytest

import nuatom
from nuatom.structure.configuration import EnergyExpression, Subshell, parse_configuration, relativistic_subshells
from nuatom.structure.dirac import ConvergenceError
from nuatom.numerics.grid import GridSpec, make_grid
from nuatom.structure.hf import HFOptions, solve_scf
from nuatom.structure.atoms import DEFAULT_GRID

# Non-relativistic point-nucleus Hartree-Fock limits: numerical HF / Bunge, Barrientos &
# Bunge, ADNDT 53, 113 (1993); values as quoted in the DHF issue.
NR_LIMITS = {"Ne": -128.547098, "Ar": -526.817513, "Kr": -2752.054977, "Xe": -7232.138364}
# Dirac-Coulomb DHF with Fermi nuclei (t = 2.3 fm, Angeli-Marinova radii) from an
# independent DHF code, converged (DHF issue).
DHF_REFERENCE = {"Xe": -7446.899001, "Kr": -2788.861047, "Ar": -528.683762, "Ne": -128.691926}
XE_ORBITALS = {"1s_1/2": -1277.257495, "2p_3/2": -177.704545, "3d_5/2": -25.537097,
               "4d_5/2": -2.633761, "5s_1/2": -1.010138, "5p_3/2": -0.439805}


@pytest.mark.parametrize("element", ["Ne", "Ar", pytest.param("Kr", marks=pytest.mark.slow),
                                     pytest.param("Xe", marks=pytest.mark.slow)])
def test_nonrelativistic_totals(element):
    a = nuatom.atom(element, relativistic=False, nucleus="point")
    assert a.total_energy_hartree == pytest.approx(NR_LIMITS[element], abs=3e-6)


def test_xe_dirac_hartree_fock():
    a = nuatom.atom("Xe")
    # within the 2e-5 Hartree; nuatom's grid-converged value is -7446.8990045,
    # 3.5 microHartree below the reference (unexplained offset, see the DHF chapter)
    assert a.total_energy_hartree == pytest.approx(DHF_REFERENCE["Xe"], abs=2e-5)
    for label, e in XE_ORBITALS.items():
        assert a.orbital(label).energy_hartree == pytest.approx(e, rel=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("element", ["Kr", "Ar", "Ne"])
def test_lighter_dirac_hartree_fock(element):
    # offsets from the reference grow with Z: -1.8, -1.0, +0.04 microHartree
    a = nuatom.atom(element)
    assert a.total_energy_hartree == pytest.approx(DHF_REFERENCE[element], abs=5e-6)


def test_ge_average_and_mcdf():
    a = nuatom.atom("Ge")
    assert a.configuration == "[Ar]3d10.4s2.4p2"
    # variational average of configuration (chapter: differs from the reference code's
    # fractional-occupancy value -2097.479009 by construction)
    assert a.total_energy_hartree == pytest.approx(-2097.4704419, abs=1e-6)
    assert a.mcdf is not None
    c1, c2 = a.mcdf.coefficients
    # seed talk, "Atomic Structure of Ge": C1 = 0.84939, C2 = 0.52776 (sign = CSF phase)
    assert abs(c1) == pytest.approx(0.84939, abs=0.01)
    assert abs(c2) == pytest.approx(0.52776, abs=0.01)
    assert c1 * c1 + c2 * c2 == pytest.approx(1.0, abs=1e-12)
    assert a.mcdf.total_energy_hartree < a.total_energy_hartree


def test_ge_triplet_p_nonrelativistic_open_shell():
    # Restricted HF for Ge 3P (open-open energy F0 - F2/5 spread over both j subshells in
    # proportion to their degeneracy): Bunge et al. 1993 give -2075.359734 (STO basis,
    # an upper bound of the HF limit). Tests the open-shell Lagrange-multiplier rotations.
    opts = HFOptions(grid=DEFAULT_GRID, relativistic=False)
    g = make_grid(opts.grid)
    core = relativistic_subshells(parse_configuration("[Ar]3d10.4s2"))
    subs = core + [Subshell(4, 1, 2 / 3, 99), Subshell(4, -2, 4 / 3, 99)]
    expr = EnergyExpression(subs, [s.occupancy for s in subs])
    op = [len(subs) - 2, len(subs) - 1]
    for a in range(len(subs)):
        for b in range(a, len(subs)):
            if not (a in op and b in op):
                expr.add_pair_average(a, b, subs[a].occupancy * subs[b].occupancy * (0.5 if a == b else 1.0))
    for a in op:
        for b in op:
            if b >= a:
                w = subs[a].occupancy * subs[b].occupancy / 4 * (1.0 if a == b else 2.0)
                expr.add_direct(a, b, w)
                expr.add_exchange(a, b, 2, -0.2 * w)
    res = solve_scf(expr, g, -32.0 / g.r, 32.0, 32, opts)
    # agreement to the rounding of the published value (6 decimals)
    assert res.total_energy == pytest.approx(-2075.359734, abs=1e-6)
    assert res.total_energy_check == pytest.approx(res.total_energy, abs=1e-9)


def test_energy_expressions_agree_at_convergence():
    # sum w <a|h0|a> + E2 (variational) equals sum w eps - E2 when stationary; the
    # exchange images h0 phi are exact, so the two agree to rounding
    opts = HFOptions(grid=GridSpec(1e-7, 60.0, 2000, 4.0))
    from nuatom.structure.configuration import average_of_configuration
    from nuatom.structure.nucleus import NuclearModel, nuclear_potential
    g = make_grid(opts.grid)
    v = nuclear_potential(g, 18, NuclearModel.for_element(18))
    res = solve_scf(average_of_configuration(parse_configuration("[Ne]3s2.3p6")), g, v, 0.0, 18, opts)
    assert res.total_energy_check == pytest.approx(res.total_energy, abs=1e-9)


def test_hydrogen():
    a = nuatom.atom("H", relativistic=False, nucleus="point")
    assert a.total_energy_hartree == pytest.approx(-0.5, abs=1e-11)
    assert a.orbital("1s").energy_hartree == pytest.approx(-0.5, abs=1e-11)


def test_nonconvergence_raises_with_residual():
    expr_grid = GridSpec(1e-7, 60.0, 1500, 4.0)
    with pytest.raises(ConvergenceError, match=r"orbital-energy change .* Hartree"):
        nuatom.atom("Ar", grid=expr_grid, options=HFOptions(max_iterations=2), mcdf=False)
