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
    """Xe DHF (Fermi nucleus) against the independent DHF code of the DHF issue.

    Total: the reference is given to 1e-6 Hartree (rounding <= 5e-7); nuatom's
    grid-converged value -7446.8990045 lies 3.5 microHartree below it, an offset stable
    under grid refinement and not explained (DHF chapter; Kr, Ar, Ne: -1.8, -1.0, +0.04).
    4e-6 = that offset + the rounding; it was 2e-5, which would have hidden a change five
    times the offset. Orbital energies: references to 1e-6 Hartree, so 1e-6 absolute (one
    unit of the last published digit: rounding 5e-7 plus the code-to-code offset, at most
    2.6e-7 measured, 1s to 5p). The former rel=1e-5 allowed 1.3e-2 Hartree on 1s."""
    a = nuatom.atom("Xe")
    assert a.total_energy_hartree == pytest.approx(DHF_REFERENCE["Xe"], abs=4e-6)
    for label, e in XE_ORBITALS.items():
        assert a.orbital(label).energy_hartree == pytest.approx(e, abs=1e-6), label


@pytest.mark.slow
@pytest.mark.parametrize("element", ["Kr", "Ar", "Ne"])
def test_lighter_dirac_hartree_fock(element):
    # offsets from the reference grow with Z: -1.8, -1.0, +0.04 microHartree (Kr, Ar, Ne);
    # 2.5e-6 = the largest offset + the 5e-7 rounding of the reference + 2e-7 margin
    a = nuatom.atom(element)
    assert a.total_energy_hartree == pytest.approx(DHF_REFERENCE[element], abs=2.5e-6)


def test_ge_average_and_mcdf():
    """Ge AOC total and the MCDF mixing of the talk.

    REGRESSION PIN, not an independent check: -2097.4704419 Hartree is nuatom's own run
    (commit 938264f, DEFAULT_GRID of 2000 points, Fermi nucleus of Angeli & Marinova,
    relativistic AOC of [Ar]3d10.4s2.4p2), kept to 1e-6 Hartree (the default grid is
    converged to ~1e-9 Hartree, DHF chapter and benchmarks/bench_dhf.py). No published
    Dirac-Fock AOC value for Ge with this nucleus was found; the one outside value,
    -2097.479009 from the reference code of the DHF issue, is 8.567 mHartree lower. Its
    description ("fractional occupancy 1/3 over 4p_1/2 and 4p_3/2") is the AOC occupancy;
    the same AOC with a uniform nucleus of rms radius 2.281 fm reproduces it to 1e-6
    (a one-parameter fit, so only suggestive: 2.3 fm is the Fermi skin thickness t; Ge's
    radius is 4.063 fm; a point nucleus gives -12.716 mHartree, the fractional q_a q_b
    functional +189.7; benchmarks/ge_open_shell_schemes.py). The independent checks of
    the Ge open-shell machinery are the
    non-relativistic tests below (Bunge et al.'s 3P energy, Slater's average-energy
    coefficients, the LS limit of the MCDF mixing).

    MCDF weights: the talk gives C1 = 0.84939, C2 = 0.52776 (5 decimals); nuatom gives
    |C1| = 0.849363, |C2| = 0.527808 (deviations 2.7e-5 and 4.8e-5). The talk's code, grid
    and nucleus are not stated, so one unit of the 4th decimal, 1e-4 (was 0.01, 200 times
    the measured deviation). The former check c1^2 + c2^2 = 1 is dropped: it holds for any
    eigenvector that eigh returns."""
    a = nuatom.atom("Ge")
    assert a.configuration == "[Ar]3d10.4s2.4p2"
    assert a.total_energy_hartree == pytest.approx(-2097.4704419, abs=1e-6)
    assert a.mcdf is not None
    c1, c2 = a.mcdf.coefficients
    assert abs(c1) == pytest.approx(0.84939, abs=1e-4)
    assert abs(c2) == pytest.approx(0.52776, abs=1e-4)
    # the J = 0 ground state lies below the average of its configuration (3P0 is the
    # lowest level of Ge 4p2, NIST ASD); measured 23.96 mHartree (0.652 eV) below
    assert a.mcdf.total_energy_hartree < a.total_energy_hartree


def test_ge_aoc_coefficients_are_slaters_average_energy():
    """Open-shell coefficients of the relativistic AOC against the non-relativistic
    average energy of two equivalent p electrons. The oracle is the (2L+1)(2S+1)-weighted
    mean of the p^2 term energies of Condon & Shortley (The Theory of Atomic Spectra,
    1935): 3P = F0 - 5F2, 1D = F0 + F2, 1S = F0 + 10F2 (F2 = F^2/25), i.e.
    (9 x 3P + 5 x 1D + 1 x 1S)/15 = F^0 - (2/25) F^2, computed below. With one radial
    function for 4p_1/2 and 4p_3/2 every F^k and G^k of the open shell is the same
    integral, so the coefficients of nuatom's j-split expression must add up to 1 (F^0:
    direct plus the k = 0 exchange) and -2/25 (F^2). Rounding only (1e-14)."""
    from fractions import Fraction

    terms = {"3P": (9, 1, -5), "1D": (5, 1, 1), "1S": (1, 1, 10)}   # weight, F0, F2 coefficients
    av_f0 = sum(Fraction(w * c0) for w, c0, _ in terms.values()) / 15
    av_F2 = sum(Fraction(w * c2) for w, _, c2 in terms.values()) / 15 / 25   # per F^2 = 25 F2
    assert (av_f0, av_F2) == (1, Fraction(-2, 25))
    from nuatom.structure.configuration import average_of_configuration

    shells = parse_configuration("[Ar]3d10.4s2.4p2")
    expr = average_of_configuration(shells)
    open_ = [i for i, s in enumerate(expr.subshells) if s.shell_index == len(shells) - 1]
    f0 = sum(c for (a, b), c in expr.direct.items() if a in open_ and b in open_)
    f0 += sum(c for (a, b, k), c in expr.exchange.items() if a in open_ and b in open_ and k == 0)
    f2 = sum(c for (a, b, k), c in expr.exchange.items() if a in open_ and b in open_ and k == 2)
    assert f0 == pytest.approx(float(av_f0), rel=0, abs=1e-14)
    assert f2 == pytest.approx(float(av_F2), rel=0, abs=1e-14)


def test_ge_aoc_nonrelativistic_limit_against_published_3P():
    """Independent check of the Ge AOC energy in the non-relativistic limit (point nucleus).

    Variational bound from published numbers only: the AOC functional evaluated with the
    3P Hartree-Fock orbitals is E(3P) + (3/25) F^2(4p,4p) (AOC open-open energy
    F^0 - 2F^2/25, 3P: F^0 - F^2/5), so the AOC minimum satisfies
    E_AOC <= B = E(3P) + (3/25) F^2 = -2075.359734 + 0.12 x 0.16271717 = -2075.3402079,
    with E(3P) = -2075.359734 (Bunge, Barrientos & Bunge, At. Data Nucl. Data Tables 53,
    113 (1993)) and F^2(4p,4p) = 0.16271717 Hartree (Froese Fischer, The Hartree-Fock
    Method for Atoms, Wiley 1977, table of 3P ground-state results; as transcribed, the
    neighbouring F^0 entry of that transcription is known to be wrong). Measured: nuatom
    -2075.3403732, i.e. 1.652e-4 below B: of this, 1.634e-4 is the orbital relaxation from
    the 3P to the AOC functional (nuatom, frozen-orbital evaluation) and 1.9e-6 is
    (3/25) x the 1.6e-5 difference of nuatom's F^2 (0.1627012) from the printed one.
    The relaxation is second order in the (3/25) F^2 ~ 0.02 Hartree change of the
    open-shell potential; 3e-4 bounds it with a factor 2 margin. A wrong open-shell scaling
    moves E_AOC by 0.47 Hartree per unit of s = 3/5, so either side fails for |ds| > 6e-4."""
    bound = -2075.359734 + 3.0 / 25.0 * 0.16271717
    e_aoc = nuatom.atom("Ge", relativistic=False, nucleus="point", mcdf=False).total_energy_hartree
    assert e_aoc < bound
    assert bound - e_aoc < 3e-4


def test_ge_mcdf_nonrelativistic_limit_is_the_3P0_state():
    """The two-CSF J = 0 MCDF in the non-relativistic limit (point nucleus) against the LS
    limit: the lowest J = 0 state of p^2 is 3P0, whose jj expansion is
    sqrt(2/3)|p_1/2^2> + sqrt(1/3)|p_3/2^2> (9j recoupling; CSF phase convention as in
    nuatom.structure.mcdf, only |C| compared), and its energy is the 3P Hartree-Fock
    energy, -2075.359734 Hartree (Bunge et al. 1993, as above).

    The MCDF has one more freedom than restricted HF: separate radial functions for
    4p_1/2 and 4p_3/2 (they differ by 1.2e-3 at most, measured). So its energy lies below
    the 3P value (variational; measured 4.62e-5 Hartree below) and its mixing deviates
    slightly from LS (measured 7.3e-4 on C1, 1.04e-3 on C2). Bounds: 0 < E(3P) - E < 1e-4,
    |C - C_LS| < 2e-3. A wrong off-diagonal CSF matrix element (0.046 Hartree) by 10 %
    would move the coefficients by ~1e-2."""
    a = nuatom.atom("Ge", relativistic=False, nucleus="point", mcdf=True)
    e = a.mcdf.total_energy_hartree
    assert 0.0 < -2075.359734 - e < 1e-4
    c1, c2 = (abs(c) for c in a.mcdf.coefficients)
    assert c1 == pytest.approx(math.sqrt(2.0 / 3.0), abs=2e-3)
    assert c2 == pytest.approx(math.sqrt(1.0 / 3.0), abs=2e-3)


def test_ge_j0_lowering_against_observed_levels():
    """E(AOC) - E(J = 0) against the observed Ge I 4p2 levels (NIST ASD, from Sugar &
    Musgrove, J. Phys. Chem. Ref. Data 22, 1213 (1993)), in cm^-1: 3P0 0, 3P1 557.1341,
    3P2 1409.9609, 1D2 7125.2989, 1S0 16367.3332. The configuration average lies
    sum (2J+1) E_J / 15 = 4047.669 cm^-1 = 0.50185 eV above 3P0. nuatom's relativistic
    AOC and two-CSF MCDF give 0.6519 eV, 1.299 times that: Hartree-Fock Slater integrals
    F^2 exceed the effective ones of the real atom (correlation screens them; Cowan, The
    Theory of Atomic Structure and Spectra, 1981, scales them by ~0.85), and the level
    splitting is nearly proportional to F^2. The window 1.15-1.45 admits that known
    overestimate and fails for a wrong sign or factor in the open-shell or CSF energies."""
    from nuatom.units import HARTREE_EV

    levels = {0: 0.0, 1: 557.1341, 2: 1409.9609}          # 3P_J
    av = (sum((2 * J + 1) * E for J, E in levels.items()) + 5 * 7125.2989 + 16367.3332) / 15.0
    av_eV = av * 1.239841984e-4                            # cm^-1 -> eV (CODATA hc)
    a = nuatom.atom("Ge")
    lowering_eV = (a.total_energy_hartree - a.mcdf.total_energy_hartree) * HARTREE_EV
    assert av_eV == pytest.approx(0.50185, rel=1e-5)
    assert 1.15 < lowering_eV / av_eV < 1.45


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
    # F^2(4p,4p) of the 3P orbitals: Froese Fischer (1977) print 0.16271717 Hartree; nuatom
    # 0.1627012 (1.0e-4 relative). The energy is stationary and agrees to 1e-7, so a 1e-4
    # orbital difference is allowed by it; we take 2e-4 relative, the agreement of a
    # first-order property with a 1977 numerical table (transcription not re-verified).
    from nuatom.structure.coulomb import slater_rk

    p4 = (res.P[op[0]], res.Q[op[0]])
    assert slater_rk(g, p4, p4, p4, p4, 2, 0.0) == pytest.approx(0.16271717, rel=2e-4)
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


@pytest.mark.slow
def test_pb_relativistic_mcdf_converges():
    """Relativistic Pb 6p^2: the two-CSF J = 0 MCDF converges (it raised ConvergenceError
    until the orbital SCF got its exact-curvature restart, EXACT_CURVATURE_RESTART in
    nuatom.structure.mcdf: the 5p_1/2-6p_1/2 rotation, weights 2 and 2C1^2 = 1.86, is nearly
    redundant for the model Hessian; about 50 s on a loaded two-core machine).

    Checks, and why each can fail:
    * E(MCDF) < E(AOC): the lowest level of Pb 6p^2 is J = 0 (3P0), so the MCDF minimum
      lies below the configuration average (variational); measured 0.068263 Hartree below.
      A converged upper root, or orbitals stuck at the overshoot of the default iteration,
      would not be.
    * |C1|^2 + |C2|^2 = 1 to 1e-12 (rounding): the returned mixing is a unit vector, as
      every eigenvector of the 2x2 CSF matrix is, and the energy is its Rayleigh quotient
      C^T H C (1e-9 Hartree: rounding of H ~ 2e4 Hartree) -- ties the stored energy,
      matrix and coefficients together.
    * Dominant 6p_1/2^2 CSF: strong spin-orbit coupling pushes the mixing from the LS
      value |C1|^2 = 2/3 (non-relativistic limit) towards the jj limit 1 (Ge 0.721,
      Sn 0.794, Pb 0.929, all nuatom); 0.9 < |C1|^2 < 0.97 fails for the LS mixing or for
      a lost 6p_3/2^2 admixture.
    * REGRESSION PINS (nuatom's own run, not independent): E(MCDF) = -20913.7470757 to
      1e-6 Hartree and |C1| = 0.963644 to 1e-5. The orbital SCFs stop at their open-shell
      noise floor (changes up to 1.7e-7 Hartree); two variants of the restart (exact
      curvature on every rotation, or only where the model Hessian is below a quarter of
      it) converged 1.2e-9 Hartree and 1.2e-7 in |C1| apart. The pins are ~1000 and ~100
      times that, and catch any change of the converged state.
    """
    a = nuatom.atom("Pb")
    assert a.configuration == "[Xe]4f14.5d10.6s2.6p2"
    assert a.mcdf is not None
    e_mcdf = a.mcdf.total_energy_hartree
    assert e_mcdf < a.total_energy_hartree
    c = np.array(a.mcdf.coefficients)
    assert c @ c == pytest.approx(1.0, rel=0, abs=1e-12)
    assert c @ a.mcdf.csf_hamiltonian_hartree @ c == pytest.approx(e_mcdf, rel=0, abs=1e-9)
    assert 0.9 < c[0] ** 2 < 0.97
    assert e_mcdf == pytest.approx(-20913.7470757, rel=0, abs=1e-6)
    assert abs(c[0]) == pytest.approx(0.963644, rel=0, abs=1e-5)


@pytest.mark.parametrize("element", ["Si", "Ge"])
def test_mcdf_exact_curvature_restart_unused_where_the_default_converges(element, monkeypatch):
    """The exact-curvature restart of the MCDF orbital SCF acts only where the default
    iteration raises (Pb): Si and Ge converge without it and keep their results to the last
    bit (checked when it was added: energies, coefficients and orbital energies of C, Si,
    Ge, Sn and non-relativistic Ge and Pb unchanged). Fresh SCFs (no memory or disk cache);
    fails if the curvature of the energy along a rotation is ever evaluated, i.e. if the
    restart ran or became the default (checked: it then fails for both). Not C: it has no
    second p_1/2 orbital, hence no open/closed rotation to curve."""
    import nuatom.structure.atoms as atoms_module
    import nuatom.structure.hf as hf_module

    def forbidden(*args, **kwargs):
        raise AssertionError("exact rotation curvature evaluated")

    monkeypatch.setattr(hf_module, "_rotation_curvature", forbidden)
    monkeypatch.setattr(atoms_module, "_MEMORY", {})
    monkeypatch.setenv("NUATOM_CACHE_DIR", "off")
    a = nuatom.atom(element)
    assert a.mcdf is not None
