"""Every element Z = 1..92: the sweep table, live runs, and published Hartree-Fock totals.

The sweep itself (two SCFs for each of the 92 elements, ~11 min on one core) is
``benchmarks/bench_every_z.py``; it writes ``book/structure/data/every_z.csv``, which the
periodic-table chapter shows. These tests check that table (complete, every SCF converged
or accepted at its open-shell noise floor, never a silent stall) and compare its
non-relativistic point-nucleus totals with published Hartree-Fock values; a few light atoms,
the former carbon stall and copper (which needs the damped restart of ``solve_scf``) are
re-run live so that a code change that breaks them fails here, not only when the benchmark
is re-run.
"""
import csv
import pathlib

import numpy as np
import pytest

import nuatom
from nuatom.structure.configuration import ELEMENT_SYMBOLS, ground_configuration, parse_configuration
from nuatom.structure.hf import OPEN_SHELL_STALL_TOLERANCE, HFOptions

SWEEP = pathlib.Path(__file__).resolve().parents[2] / "book" / "structure" / "data" / "every_z.csv"
#: (Z, method) pairs in the committed sweep table.
SWEPT = {(Z, m) for Z in range(1, 93) for m in ("dhf", "hf")}

# Non-relativistic Hartree-Fock total energies (Hartree, point nucleus) for the atoms whose
# ground configuration has a single LS term, where the average-of-configuration energy IS
# the Hartree-Fock energy of that term: closed shells, s1 (alkalis, Cu, Ag, Au), p1, p5,
# d1 s2 and f13 s2. Z <= 54: Roothaan-Hartree-Fock values of Bunge, Barrientos & Bunge,
# At. Data Nucl. Data Tables 53, 113 (1993) (Slater-type basis; they lie above the
# numerical HF limit by up to 1.5e-5 Hartree, Xe: -7232.138349 vs -7232.138364);
# Z > 54: B-spline Hartree-Fock values of S. L. Saito, At. Data Nucl. Data Tables 95, 836
# (2009). Both as transcribed in the EnergyHF table of a public electronic-structure code
# (file PeriodicTable.C; its Ne, Ar, Ge, Kr and Xe entries are the ones quoted in
# /work/shared/reference-values.md, section 3.3).
PUBLISHED_HF = {
    "He": -2.861679993, "Li": -7.432726924, "Be": -14.57302313, "B": -24.52906073,
    "F": -99.40934928, "Ne": -128.5470980, "Na": -161.8589113, "Mg": -199.6146361,
    "Al": -241.8767070, "Cl": -459.4820719, "Ar": -526.8175122, "K": -599.1647831,
    "Ca": -676.7581817, "Sc": -759.7357123, "Cu": -1638.963723, "Zn": -1777.848102,
    "Ga": -1923.261001, "Br": -2572.441325, "Kr": -2752.054969, "Rb": -2938.357442,
    "Sr": -3131.545674, "Y": -3331.684158, "Pd": -4937.921004, "Ag": -5197.698452,
    "Cd": -5465.133119, "In": -5740.169136, "I": -6917.980881, "Xe": -7232.138349,
    "Cs": -7553.93365766, "Ba": -7883.54382733, "La": -8221.06670260, "Tm": -12940.1744048,
    "Yb": -13391.4561931, "Lu": -13851.8080034, "Au": -17865.4000842, "Hg": -18408.9914949,
    "Tl": -18961.8248243, "At": -21266.8817131, "Rn": -21866.7722409, "Fr": -22475.8587125,
    "Ra": -23094.3036664, "Ac": -23722.1920622,
}
#: Relative tolerance 1e-8 ("eight figures"): Bunge et al. state their RHF totals are
#: accurate "to better than eight figures" (Slater basis, so they lie above the numerical
#: limit: by 2.4e-5 Hartree at Cd, 1.5e-5 at Xe, both inside 1e-8 relative); the same
#: standard is applied to Saito's B-spline values. Measured (sweep of this commit): all 42
#: within 2.4e-5 Hartree, 15 within 1e-7; the largest are Cd -2.35e-5, In -2.2e-5, Ag -2.1e-5
#: (nuatom below the Slater-basis upper bounds, as expected), Cl +3.8e-6 (nuatom above an
#: upper bound: 8.4e-9 relative, an unexplained grid/functional offset) and At +2.4e-6.
#: Yb, -7.8e-5 before the Hartree-Fock-Slater start was made to converge, is now -1.9e-8.
REL_TOL = 1e-8


def _sweep_rows():
    with open(SWEEP, newline="") as fh:
        return list(csv.DictReader(fh))


#: SCFs of the sweep that end in ConvergenceError (the contract: converge, or raise with the
#: change reached). None at present; kept strict, so that a new failure changes this test.
#: Relativistic Pb (6p2), the last one, was cured by the exact-curvature restart of the
#: MCDF orbital SCF (:data:`nuatom.structure.mcdf.EXACT_CURVATURE_RESTART`): its average of
#: configuration converged (noise floor), but the first orbital SCF of the two-CSF MCDF step
#: (weights 2 on 5p_1/2, 1.85 on 6p_1/2, 0.15 on 6p_3/2) took a Newton step of 0.14 rad on
#: the nearly redundant 5p_1/2-6p_1/2 rotation (model Hessian 8.5e-3 Hartree, true curvature
#: of the energy along the rotation 1.26 Hartree per rad^2), landed where the model Hessian
#: is negative (no further rotation) and sat at a gradient of 0.167 Hartree; the damped
#: restart of ``solve_scf`` stalled at 8.3e-2. With the curvature of the energy along the
#: rotation the MCDF converges in 4 macro-iterations (orbital SCFs at 3.6e-9 to 1.7e-7
#: Hartree), 0.0683 Hartree below the average of configuration, |C1|^2 = 0.929 on
#: 6p_1/2^2 (test_hf.py). The sweep row records the average-of-configuration SCF (noise
#: floor 6.8e-8 Hartree), like every other row.
#: The damped restart of :func:`nuatom.structure.hf.solve_scf` (used only when the default
#: iteration raises) is still needed by relativistic At (the default iteration stalls at
#: 2e-5 Hartree; test below). Non-relativistic Cr, Cu and Pd and relativistic Ho needed it
#: only while the Hartree-Fock-Slater start could end unconverged (next paragraph); with a
#: converged start their default iteration converges.
#: The relativistic lanthanides Sm-Yb (not Gd), relativistic Cu and non-relativistic Yb
#: used to land on wrong states that passed the convergence test: their Hartree-Fock-Slater
#: start (fixed mixing 1/2, at most 40 iterations) was locked in a period-4 cycle in which
#: the 4f (Cu: 3d) jumps between the inner and outer wells of its double-well potential,
#: and iteration 40 handed the SCF a 4f in the outer well (Er: radius 12 bohr, -0.04
#: Hartree), which the Davidson step, continuing the start's orbitals, kept. Totals were 3
#: (Sm) to 85 (Yb) Hartree too high, relativistic Cu 21.8 Hartree (above its
#: non-relativistic total), non-relativistic Yb 7.8e-5 Hartree below Saito's value. The
#: start now halves its mixing whenever the change grows after iteration 40
#: (:data:`nuatom.structure.hf.STARTING_DAMPED_ITERATIONS`) and raises if it still has not
#: converged; every row of the table then lies on the smooth Z^4 trend of the relativistic
#: shift (test below), and Yb agrees with Saito to 1e-8 Hartree.
KNOWN_FAILURES: set = set()
#: Single-term atoms whose nuatom total lies below the Roothaan-Hartree-Fock (Slater basis,
#: variational upper bound) reference by more than REL_TOL; compared in their own test.
BELOW_RHF_BOUND = {"Cu"}


def test_sweep_table_every_z_converged():
    """Every Z = 1..92, relativistic (Fermi) and non-relativistic (point): each SCF
    converged to the default tolerance, or (open shells only) was accepted at its noise
    floor below OPEN_SHELL_STALL_TOLERANCE, or raised ConvergenceError with the change it
    reached (only the known cases above). Nothing else, and no silent stall."""
    rows = _sweep_rows()
    seen = {(int(r["Z"]), r["method"]) for r in rows}
    assert seen == SWEPT
    tol = HFOptions().energy_tolerance_hartree
    failures = set()
    for r in rows:
        Z = int(r["Z"])
        if r["status"].startswith("ConvergenceError"):
            assert r["total_energy_hartree"] == ""
            failures.add((Z, r["method"]))
            continue
        assert r["status"] in ("converged", "noise-floor"), (Z, r["method"], r["status"])
        change = float(r["scf_change_hartree"])
        if r["status"] == "converged":
            assert change < tol
        else:
            shells = parse_configuration(ground_configuration(Z))
            assert any(s.electrons != s.capacity for s in shells), (Z, "closed shell at a floor")
            assert tol <= change < OPEN_SHELL_STALL_TOLERANCE
    assert failures == KNOWN_FAILURES


@pytest.mark.parametrize("symbol", [s for s in sorted(PUBLISHED_HF, key=ELEMENT_SYMBOLS.index)
                                    if (ELEMENT_SYMBOLS.index(s) + 1, "hf") not in KNOWN_FAILURES
                                    and s not in BELOW_RHF_BOUND])
def test_sweep_nonrelativistic_totals_against_published(symbol):
    row = next(r for r in _sweep_rows() if r["symbol"] == symbol and r["method"] == "hf")
    assert float(row["total_energy_hartree"]) == pytest.approx(PUBLISHED_HF[symbol], rel=REL_TOL, abs=0)


@pytest.mark.parametrize("symbol", ["He", "Li", "Be", "B", "Ne", "Na", "Mg"])
def test_light_atoms_live(symbol):
    """Live re-run: published value (as above) and the sweep table (same code, 1e-8:
    reproducibility of a deterministic SCF, loose enough for BLAS rounding)."""
    a = nuatom.atom(symbol, relativistic=False, nucleus="point")
    assert a.total_energy_hartree == pytest.approx(PUBLISHED_HF[symbol], rel=REL_TOL, abs=0)
    row = next(r for r in _sweep_rows() if r["symbol"] == symbol and r["method"] == "hf")
    assert a.total_energy_hartree == pytest.approx(float(row["total_energy_hartree"]), abs=1e-8)


def test_carbon_nonrelativistic_no_longer_stalls():
    """Issue 16: ``atom("C", relativistic=False)`` used to raise at a 5e-7 Hartree stall.
    The open-shell SCF now returns its best iterate when the floor is below 1e-6 Hartree
    and records the change reached; a closed-shell stall still raises (next test)."""
    a = nuatom.atom("C", relativistic=False)
    assert a.scf_change_hartree < OPEN_SHELL_STALL_TOLERANCE
    # the MCDF (3P-like J = 0) state lies below the average of configuration
    assert a.mcdf.total_energy_hartree < a.total_energy_hartree


def test_copper_nonrelativistic_below_the_rhf_bound():
    """Non-relativistic Cu (3d10 4s1, point nucleus), live. Its total lies 1.9e-5 Hartree
    (1.17e-8 relative, outside REL_TOL) below the Roothaan-Hartree-Fock value of Bunge et
    al., which is a variational upper bound (finite Slater basis): the same sign and size as
    the basis-set gaps of Cd (2.4e-5) and Xe (1.5e-5, against the numerical limit) quoted
    above, so the check is one-sided: below the bound, by less than 2.5e-5 Hartree (the
    largest gap, Cd). Also the sweep row (same code; 1e-8 Hartree, BLAS rounding)."""
    a = nuatom.atom("Cu", relativistic=False, nucleus="point")
    assert a.scf_change_hartree < HFOptions().energy_tolerance_hartree
    assert 0 < PUBLISHED_HF["Cu"] - a.total_energy_hartree < 2.5e-5
    row = next(r for r in _sweep_rows() if r["symbol"] == "Cu" and r["method"] == "hf")
    assert row["status"] == "converged"
    assert a.total_energy_hartree == pytest.approx(float(row["total_energy_hartree"]), abs=1e-8)


def _scf_problem(Z, relativistic):
    from nuatom.numerics.grid import make_grid
    from nuatom.structure.atoms import DEFAULT_GRID
    from nuatom.structure.configuration import average_of_configuration
    from nuatom.structure.nucleus import NuclearModel, nuclear_potential

    g = make_grid(DEFAULT_GRID)
    v = nuclear_potential(g, Z, NuclearModel.for_element(Z, "fermi" if relativistic else "point"))
    expr = average_of_configuration(parse_configuration(ground_configuration(Z)))
    opts = HFOptions(grid=DEFAULT_GRID, relativistic=relativistic)
    return expr, g, v, (0.0 if relativistic else float(Z)), opts


def test_astatine_relativistic_damped_restart(monkeypatch):
    """Relativistic At (6p5, Fermi nucleus), solved with ``solve_scf`` directly (no result
    cache): the default iteration stalls (measured: 2.1e-5 Hartree after 26 iterations) and
    raises; the damped restart reaches the open-shell noise floor (measured 2.0e-7 Hartree,
    62 iterations in all). Its total equals the sweep row's within 1e-6 Hartree (a noise
    floor is reproducible to about the square of the change, 4e-14, plus BLAS rounding;
    1e-6 leaves room for the machine dependence of the floor that the chapter reports)."""
    from nuatom.structure import hf
    from nuatom.structure.dirac import ConvergenceError

    expr, g, v, z0, opts = _scf_problem(85, True)
    monkeypatch.setattr(hf, "DAMPED_RESTART", False)
    with pytest.raises(ConvergenceError, match="stalled"):
        hf.solve_scf(expr, g, v, z0, 85, opts, stall_tolerance_hartree=OPEN_SHELL_STALL_TOLERANCE)
    monkeypatch.setattr(hf, "DAMPED_RESTART", True)
    res = hf.solve_scf(expr, g, v, z0, 85, opts, stall_tolerance_hartree=OPEN_SHELL_STALL_TOLERANCE)
    assert res.energy_change < OPEN_SHELL_STALL_TOLERANCE
    row = next(r for r in _sweep_rows() if r["symbol"] == "At" and r["method"] == "dhf")
    assert res.total_energy == pytest.approx(float(row["total_energy_hartree"]), abs=1e-6)


def test_lanthanide_start_needs_the_damped_stage(monkeypatch):
    """Relativistic Er (4f12 6s2): the Hartree-Fock-Slater start at the fixed mixing 1/2
    cycles with period 4 (the 4f between the inner well, radius ~0.6 bohr, and the outer
    one, ~12 bohr), so without its damped stage it raises instead of handing the SCF an
    arbitrary phase of the cycle (as it did before: the wrong Sm-Yb totals). With the
    damped stage it converges and the 4f sits in the inner well: inside the 5s and 5p
    (mean radius 0.8 bohr against 1.4; the outer-well 4f had 12.4)."""
    from nuatom.structure import hf
    from nuatom.structure.dirac import ConvergenceError

    expr, g, v, z0, opts = _scf_problem(68, True)
    ws = hf._Workspace(g, v, z0, opts.inv_c2)
    monkeypatch.setattr(hf, "STARTING_DAMPED_ITERATIONS", 0)
    with pytest.raises(ConvergenceError, match="Hartree-Fock-Slater start"):
        hf._starting_orbitals(ws, expr, opts, 68)
    monkeypatch.undo()
    P, Q, _, _, energies = hf._starting_orbitals(ws, expr, opts, 68)
    radius = {(s.n, s.kappa): ws.dot(P[x] * g.r, Q[x] * g.r, P[x], Q[x])
              for x, s in enumerate(expr.subshells)}
    assert max(radius[(4, 3)], radius[(4, -4)]) < min(radius[(5, -1)], radius[(5, 1)], radius[(5, -2)])


def test_relativistic_lanthanide_on_the_trend_live():
    """Relativistic Er, live through ``nuatom.atom`` (default grid and Fermi nucleus): 4f
    in the inner well and spin-orbit ordered (4f_5/2 below 4f_7/2), 4f energies within
    0.3 Hartree of the non-relativistic -0.705 (relativity destabilises the 4f through
    the stronger screening by the contracted s and p shells: measured -0.521/-0.475), and
    the total equal to the sweep row's (1e-8 Hartree, BLAS rounding); that row is on the
    smooth Z^4 trend (next test). Before the damped start: 4f at -0.05/-0.20 Hartree,
    total 60.2 Hartree too high."""
    er = nuatom.atom("Er", mcdf=False)
    f52, f72 = er.orbital("4f_5/2"), er.orbital("4f_7/2")
    p32 = er.orbital("5p_3/2")
    r = er.grid.r
    assert np.trapezoid(f52.P**2 * r, r) < np.trapezoid(p32.P**2 * r, r)
    assert f52.energy_hartree < f72.energy_hartree
    for orbital in (f52, f72):
        assert abs(orbital.energy_hartree - (-0.705)) < 0.3
    row = next(r for r in _sweep_rows() if r["symbol"] == "Er" and r["method"] == "dhf")
    assert er.total_energy_hartree == pytest.approx(float(row["total_energy_hartree"]), abs=1e-8)


#: Largest relative second difference in Z of the relativistic shift per Z^4 allowed for
#: Z = 11..91 (test below). Measured on the committed sweep: 1.3e-3 (Ca, where the
#: d-shell filling begins). The wrong states that the old start produced broke it by 8e-3
#: (Sm) to 1.3e-1 (Yb) and 6e-1 (relativistic Cu).
RELATIVISTIC_SHIFT_SMOOTHNESS = 3e-3


def test_sweep_relativistic_shift_smooth_in_z():
    """(E_DHF - E_HF)/Z^4 of the sweep table is a smooth function of Z. The relativistic
    correction of a neutral atom's total is dominated by its innermost shells, whose
    one-electron Dirac correction scales as Z^4 alpha^2 times a factor that changes slowly
    with the screening (about 1 % per unit of Z here); the valence configuration changes
    it by far less than the tolerance. An SCF that converged to a wrong state (an orbital
    in the wrong well, an under-screened core) shows as a kink, which the orbital-energy
    convergence test cannot see. Both totals are compared at their own nucleus model (DHF
    Fermi, HF point): the finite-size shift they include grows smoothly with Z too. Z < 11 is left out: the shift there is smaller than 2 Hartree
    and its second difference reaches 2e-2 relative (Li, Be) without being an error."""
    rows = {(int(r["Z"]), r["method"]): r for r in _sweep_rows()}
    shift = {Z: (float(rows[(Z, "dhf")]["total_energy_hartree"])
                 - float(rows[(Z, "hf")]["total_energy_hartree"])) / Z**4 for Z in range(1, 93)}
    kinks = {Z: abs(shift[Z] - 0.5 * (shift[Z - 1] + shift[Z + 1])) / abs(shift[Z]) for Z in range(11, 92)}
    worst = max(kinks, key=kinks.get)
    assert kinks[worst] < RELATIVISTIC_SHIFT_SMOOTHNESS, (ELEMENT_SYMBOLS[worst - 1], kinks[worst])


def test_ion_configuration():
    """User configurations: hydrogen-like U91+ (``"1s1"``, point nucleus) has no
    electron-electron energy (one electron: the average-of-configuration pair weight is
    0), so its total energy is the exact Dirac-Coulomb 1s energy at Z = 92 (nuatom.oracles,
    itself checked against mpmath); 1e-9 relative = the default grid's accuracy for a
    Z = 92 1s orbital (measured 3e-12), with margin. Na+ (closed 2p6 shell): the Delta-SCF
    ionisation energy agrees with Koopmans' -e(3s) of the neutral atom up to core
    relaxation, which is below 1e-2 Hartree for an alkali s electron."""
    from nuatom.oracles import dirac_hydrogenic_energy_hartree

    u91 = nuatom.atom("U", nucleus="point", configuration="1s1")
    assert u91.charge == pytest.approx(91.0)
    exact = float(dirac_hydrogenic_energy_hartree(92, 1, -1))
    assert u91.total_energy_hartree == pytest.approx(exact, rel=1e-9)
    ion = nuatom.atom("Na", relativistic=False, nucleus="point", configuration="[He]2s2.2p6")
    neutral = nuatom.atom("Na", relativistic=False, nucleus="point")
    assert ion.charge == pytest.approx(1.0)
    ip = ion.total_energy_hartree - neutral.total_energy_hartree
    assert ip == pytest.approx(-neutral.orbital("3s").energy_hartree, abs=1e-2)
    with pytest.raises(ValueError, match="1..11"):
        nuatom.atom("Na", configuration="[Ne]3s2")


def _chantler_and_henke_barn(symbol, omega_keV):
    """Photoelectric cross section per atom (barn) of Chantler's FFAST table (xraydb) and of
    Henke's f2 (periodictable, sigma = 2 r_e lambda f2)."""
    import periodictable
    import xraydb
    from scipy import constants

    chantler = xraydb.mu_chantler(symbol, omega_keV * 1e3, photo=True) * xraydb.atomic_mass(symbol) \
        / constants.Avogadro * 1e24
    f2 = getattr(periodictable, symbol).xray.scattering_factors(energy=omega_keV)[1]
    wavelength_cm = constants.h * constants.c / (omega_keV * 1e3 * constants.e) * 100
    r_e_cm = constants.physical_constants["classical electron radius"][0] * 100
    return float(chantler), float(2 * r_e_cm * wavelength_cm * f2 * 1e24)


def test_argon_photoionization_above_1kev_against_chantler_and_henke():
    """Photoionization of Ar at 5 keV (1.56x the K edge, 3.206 keV), frozen-core DHF,
    against the photoelectric part of Chantler's FFAST table (C. T. Chantler, J. Phys.
    Chem. Ref. Data 29, 597 (2000)) and Henke, Gullikson & Davis (ADNDT 54, 181 (1993),
    sigma = 2 r_e lambda f2), both as shipped in xraydb / periodictable. 10 %: the
    project's acceptance for the independent-particle cross section away from edges (as
    for Ge and Xe in tests/continuum/test_photo_data.py); measured +0.45 % (Chantler)."""
    from nuatom.continuum.photoionization import photoionization

    omega_keV = 5.0
    sigma = float(np.atleast_1d(photoionization(nuatom.atom("Ar"), omega_keV).sigma_barn)[0])
    chantler, henke = _chantler_and_henke_barn("Ar", omega_keV)
    assert sigma == pytest.approx(chantler, rel=0.10)
    assert sigma == pytest.approx(henke, rel=0.10)


@pytest.mark.parametrize("symbol, omega_keV", [("Cs", 8.0), ("W", 15.0)])
def test_heavy_atom_photoionization_above_1kev_against_chantler_and_henke(symbol, omega_keV):
    """Frozen-core DHF photoionization of Cs (Z = 55, the Cs of CsI) at 8 keV (between its L1
    edge, 5.71 keV, and K edge, 36.0 keV) and W (Z = 74, CaWO4) at 15 keV (between L1,
    12.1 keV, and K, 69.5 keV), against the photoelectric part of Chantler's FFAST table and
    Henke's f2 (references as in the Ar test above). Measured (benchmarks/bench_heavy_photo.py,
    which also covers Cs 3 and 20 keV, W 5 and 25 keV): Cs 8 keV +0.67 % (Chantler), -3.9 %
    (Henke); W 15 keV +1.9 %, +2.6 %. Henke lies 4.8 % above Chantler at Cs 8 keV (6.3 % at
    W 5 keV), so no bound much tighter than 5 % can hold against both tabulations."""
    from nuatom.continuum.photoionization import photoionization

    sigma = float(np.atleast_1d(photoionization(nuatom.atom(symbol), omega_keV, method="dhf").sigma_barn)[0])
    chantler, henke = _chantler_and_henke_barn(symbol, omega_keV)
    assert sigma == pytest.approx(chantler, rel=0.05)
    assert sigma == pytest.approx(henke, rel=0.05)
