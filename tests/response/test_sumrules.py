"""Sum rules of the charge response (nuatom.response.sumrules) against independent oracles:
exact hydrogen (nuatom.oracles, Landau & Lifshitz §148), the exact f-sum Z q^2/2 and
closure 1 - F_el^2, a sympy/Wigner-3j evaluation of the Waller-Hartree sum, and free
electrons for Voloshin's normalisation."""
import concurrent.futures as cf
import math

import numpy as np
import pytest
from scipy.special import spherical_jn
from sympy.physics.wigner import wigner_3j

import nuatom
from nuatom import oracles as analytic
from nuatom.response import sumrules as sr
from nuatom.response import ResponseOptions, tabulate
from nuatom.units import HARTREE_KEV, ME_KEV, MOMENTUM_AU_KEV, q_kev_to_au


@pytest.fixture(scope="module")
def hydrogen():
    return nuatom.atom("H", relativistic=False, nucleus="point")


def serial():
    return cf.ThreadPoolExecutor(1)


# ------------------------------------------------------------------ quadrature alone
@pytest.mark.parametrize("q_au", [0.05, 0.4, 3.0, 20.0])
@pytest.mark.parametrize("moment", [0, 1])
def test_energy_quadrature_on_exact_hydrogen_response(q_au, moment):
    # The T quadrature (panels + power-law tail) applied to the exact S(q, T) must
    # reproduce the exact continuum moments (adaptive quad, 1e-12). 2e-5: the budget that
    # leaves the 1e-4 for the response engine (measured: <= 1e-5).
    nodes = sr.subshell_energy_nodes(0.5, q_au, sr.EnergyQuadrature(nodes_per_panel=8))
    S = analytic.hydrogen_1s_continuum_response_per_hartree(q_au, nodes.all_T_hartree)
    n = nodes.T_hartree.size
    totals, tails = sr.energy_moments(nodes, S[:n], S[n:], (moment,))
    exact = analytic.hydrogen_1s_continuum_moment(q_au, moment)
    assert totals[moment] == pytest.approx(exact, rel=2e-5)
    assert math.isfinite(tails[moment])


def test_power_law_tail_is_exact_for_a_power_law():
    # S = T^-5 beyond T_end: the fitted tail must be the exact integral (rounding only).
    nodes = sr.subshell_energy_nodes(0.5, 1.0)
    t1 = nodes.probe_T_hartree[0]
    S_probes = nodes.probe_T_hartree ** -5.0
    _, tails = sr.energy_moments(nodes, np.zeros(nodes.T_hartree.size), S_probes, (0, 1))
    assert tails[0] == pytest.approx(t1**-4 / 4, rel=1e-12)
    assert tails[1] == pytest.approx(t1**-3 / 3, rel=1e-12)


def test_tail_that_does_not_converge_is_flagged():
    # S ~ T^-1.5 makes the first moment diverge: reported as nan, never silently dropped.
    nodes = sr.subshell_energy_nodes(0.5, 1.0)
    _, tails = sr.energy_moments(nodes, np.zeros(nodes.T_hartree.size),
                                 nodes.probe_T_hartree ** -1.5, (0, 1))
    assert math.isfinite(tails[0]) and math.isnan(tails[1])


def test_quadrature_options_are_validated():
    with pytest.raises(ValueError, match="nodes_per_panel"):
        sr.EnergyQuadrature(nodes_per_panel=1)
    with pytest.raises(ValueError, match="binding_hartree"):
        sr.subshell_energy_nodes(-1.0, 1.0)
    with pytest.raises(ValueError, match="q_au"):
        sr.subshell_energy_nodes(1.0, 0.0)


# ------------------------------------------------------------------ discrete lines
def test_hydrogen_lines_match_exact_form_factors(hydrogen):
    # Shell-by-shell strengths from the Schrodinger solver + Coulomb multipoles against
    # the closed form |F_n(q)|^2 (Inokuti 1971); 1e-6: grid/solver accuracy is ~1e-8,
    # the margin covers the Bessel quadrature at q = 27/bohr.
    q_keV = np.array([0.5, 3.0, 10.0, 100.0])
    lines = sr.hydrogenic_lines(hydrogen, q_keV, n_max=8)
    exact = analytic.hydrogen_1s_bound_form_factor_sq(lines.n[:, None], q_kev_to_au(q_keV)[None, :])
    big = exact > 1e-12 * exact.max()
    assert np.max(np.abs(lines.strength / exact - 1)[big]) < 1e-6
    # excitation energies 1/2 - 1/(2 n^2)
    assert np.allclose(lines.excitation_hartree, 0.5 - 0.5 / lines.n**2, rtol=1e-9)


@pytest.mark.parametrize("moment", [0, 1])
def test_rydberg_tail_reproduces_exact_line_sums(hydrogen, moment):
    # n <= 12 explicitly, the rest by the n^-3 scaling with a fitted 1/n^2 correction,
    # against the exact sums over all n (analytic tail, N = 400). 1e-5: the tail is ~3 %
    # of the sum and its fitted form is good to O(N^-2) of itself.
    q_keV = np.array([0.5, 3.0, 10.0, 30.0])
    lines = sr.hydrogenic_lines(hydrogen, q_keV, n_max=12)
    got = sr.line_moment(lines, moment) / HARTREE_KEV**moment
    exact = analytic.hydrogen_1s_bound_excitation_sum(q_kev_to_au(q_keV), moment)
    assert np.allclose(got, exact, rtol=1e-5, atol=0)


def test_lines_need_a_one_electron_atom():
    with pytest.raises(ValueError, match="one-electron"):
        sr.hydrogenic_lines(nuatom.atom("He", relativistic=False), [1.0])
    with pytest.raises(ValueError, match="moment"):
        sr.line_moment(sr.hydrogenic_lines(nuatom.atom("H", relativistic=False), [1.0], 4), 2)


# ------------------------------------------------------------------ right-hand sides
def test_pauli_sum_of_hydrogen_is_the_elastic_form_factor_squared(hydrogen):
    # One electron: sum_{a,b occ} |<b|e^{iqr}|a>|^2 = F_el^2 = [16/(4+q^2)^2]^2 exactly.
    # 2e-6 relative: the SCF 1s orbital of nuatom.atom("H") differs from 2r e^{-r} by
    # 2e-7 (its energy is exact to 5e-14, which is second order), so F_el is good to ~6e-7.
    q_keV = np.array([0.3, 3.0, 10.0, 50.0])
    got = sr.pauli_blocking_sum(hydrogen, q_keV)
    exact = analytic.hydrogen_1s_elastic_form_factor(q_kev_to_au(q_keV)) ** 2
    assert np.allclose(got, exact, rtol=2e-6, atol=1e-14)


def _waller_hartree_reference(atom, q_au):
    """Non-relativistic closed shells, plain scipy/sympy: 2 sum_{nl,n'l'} (2l+1)(2l'+1)
    sum_L (2L+1) (l l' L; 0 0 0)^2 [int P P' j_L(qr) dr]^2 (spin factor 2)."""
    shells = {}
    for o in atom.orbitals:  # j-partners share the radial function non-relativistically
        shells.setdefault((o.n, o.l), o)
    g = atom.grid
    total = 0.0
    for a in shells.values():
        for b in shells.values():
            for L in range(abs(a.l - b.l), a.l + b.l + 1):
                three_j = float(wigner_3j(a.l, b.l, L, 0, 0, 0))
                if three_j == 0.0:
                    continue
                radial = g.integrate(a.P * b.P * spherical_jn(L, q_au * g.r))
                total += 2 * (2 * a.l + 1) * (2 * b.l + 1) * (2 * L + 1) * three_j**2 * radial**2
    return total


@pytest.mark.parametrize("q_keV", [0.5, 5.0, 20.0])
def test_pauli_sum_of_neon_matches_wigner_3j_reference(q_keV):
    # Closed shells: the multipole (kappa, reduced-matrix-element) evaluation against the
    # textbook l-coupled formula with sympy 3j symbols. 1e-9 relative: both use the same
    # orbitals; the atom grid resolves j_L(qr) at 20 keV (5.4/bohr) to far better.
    ne = nuatom.atom("Ne", relativistic=False)
    got = sr.pauli_blocking_sum(ne, [q_keV])[0]
    assert got == pytest.approx(_waller_hartree_reference(ne, q_kev_to_au(q_keV)), rel=1e-9)


def test_closure_target_limits():
    # q -> 0: every electron is elastic, nothing is left (O(q^2)); large q: all Z electrons.
    ne = nuatom.atom("Ne", relativistic=False)
    small, large = sr.closure_target(ne, [1e-3, 2000.0])
    assert abs(small) < 1e-5
    assert large == pytest.approx(10.0, abs=1e-6)


def test_fsum_targets():
    q = np.array([1.0, 100.0, 1000.0])
    assert np.allclose(sr.fsum_target_keV(2, q), q**2 / ME_KEV)
    # free Dirac electron: the spinor overlap |u(q)^+ u(0)|^2 summed over spins is
    # (E + m)/2E; times the excitation energy E - m it gives q^2/2E (exact algebra).
    E = np.hypot(ME_KEV, q)
    assert np.allclose(sr.free_relativistic_closure(1, q), (E + ME_KEV) / (2 * E), rtol=1e-14)
    assert np.allclose(sr.free_relativistic_fsum_keV(1, q), (E - ME_KEV) * (E + ME_KEV) / (2 * E), rtol=1e-12)
    assert sr.free_relativistic_fsum_keV(1, 1e-3) == pytest.approx(0.5e-6 / ME_KEV, rel=1e-9)


# ------------------------------------------------------------------ hydrogen end to end
@pytest.mark.parametrize("q_keV", [1.0, 10.0])
def test_hydrogen_closure_and_fsum_numerically(hydrogen, q_keV):
    # Computed continuum (tabulate, bare-proton field) + computed lines against the exact
    # right-hand sides 1 - F_el^2 and q^2/2: the 1e-4 (measured ~1e-6).
    check = sr.sum_rule_check(hydrogen, [q_keV], quadrature=sr.EnergyQuadrature(nodes_per_panel=8),
                              executor=serial())
    q_au = q_kev_to_au(q_keV)
    # (the target uses the SCF 1s orbital, 2e-7 from exact: see the Pauli-sum test)
    assert check.closure_target[0] == pytest.approx(1 - analytic.hydrogen_1s_elastic_form_factor(q_au) ** 2,
                                                    rel=1e-6)
    assert check.fsum_target_keV[0] == pytest.approx(0.5 * q_au**2 * HARTREE_KEV, rel=1e-10)
    assert check.closure_ratio[0] == pytest.approx(1.0, abs=1e-4)
    assert check.fsum_ratio[0] == pytest.approx(1.0, abs=1e-4)


@pytest.mark.slow
def test_hydrogen_fsum_at_100_keV(hydrogen):
    # The ridge at k = 27/bohr needs ~500 partial waves (~50 s); same 1e-4 (measured 2e-5).
    check = sr.sum_rule_check(hydrogen, [100.0], quadrature=sr.EnergyQuadrature(nodes_per_panel=8),
                              executor=serial())
    assert check.closure_ratio[0] == pytest.approx(1.0, abs=1e-4)
    assert check.fsum_ratio[0] == pytest.approx(1.0, abs=1e-4)


# ------------------------------------------------------------------ Voloshin
def test_voloshin_integrals_are_one_for_free_electrons():
    # S = Z delta(T - q^2/2m) smeared to a Gaussian of width sigma << T: both integrals
    # -> 1 (the letter's normalisation) up to O(sigma^2/T^2) ~ 1e-4 here.
    T = np.array([0.5, 2.0, 10.0])
    q = np.geomspace(1e-2, 1e3, 4000)
    sigma = 0.01 * T[:, None]
    S = 4.0 * np.exp(-0.5 * ((T[:, None] - q**2 / (2 * ME_KEV)) / sigma) ** 2) / (math.sqrt(2 * math.pi) * sigma)
    v = sr.voloshin_integrals(T, q, S, 4)
    assert np.allclose(v.nmm, 1.0, atol=3e-4)
    assert np.allclose(v.weak, 1.0, atol=3e-4)
    assert np.all(v.below_lightcone < 1e-12)  # the ridge q ~ 32 sqrt(T) keV is far above q = T


@pytest.mark.parametrize("T_hartree, exact", [(0.55, 0.963205), (1.0, 0.987439), (4.0, None)])
def test_voloshin_q_quadrature_on_exact_hydrogen(T_hartree, exact):
    # Trapezoid in ln q (plus the q^2 region below the grid) on the exact S against the
    # analytic ratios (quad, 1e-12): 1e-6 with 40 points per decade.
    q_au = np.geomspace(1e-3, 200.0, 213)
    S = analytic.hydrogen_1s_continuum_response_per_hartree(q_au, T_hartree)[None, :] / HARTREE_KEV
    v = sr.voloshin_integrals([T_hartree * HARTREE_KEV], q_au * MOMENTUM_AU_KEV, S, 1)
    nmm = analytic.hydrogen_1s_voloshin_ratio_nmm(T_hartree)
    assert v.nmm[0] == pytest.approx(nmm, abs=1e-6)
    assert v.weak[0] == pytest.approx(analytic.hydrogen_1s_voloshin_ratio_weak(T_hartree), abs=1e-6)
    assert v.quadrature_error[0] < 1e-5
    if exact is not None:
        assert nmm == pytest.approx(exact, abs=1e-6)  # the numbers quoted in the issue


def test_voloshin_hydrogen_from_computed_response(hydrogen):
    # End to end: tabulate's S(T, q) of hydrogen (bare-proton continuum), integrated over
    # q, against the exact ratios 0.963205 and 0.987439. 1e-4: the tolerance for
    # hydrogen numerics (measured ~1e-6).
    q_keV = np.geomspace(1e-3, 150.0, 161) * MOMENTUM_AU_KEV
    T_keV = np.array([0.55, 1.0]) * HARTREE_KEV
    table = tabulate(hydrogen, T_keV, q_keV, components=("R00",), currents=("vector",),
                     options=ResponseOptions(hole=True), executor=serial(), progress=False)
    v = sr.voloshin_from_table(table)
    assert v.nmm == pytest.approx([0.963205, 0.987439], abs=1e-4)
    assert v.weak == pytest.approx([0.963205, 0.987439], abs=1e-4)


def test_voloshin_peak_resolution_flag():
    # A Gaussian ridge in ln q of width sigma on a grid of step h: the half-maximum region
    # holds ~2.35 sigma/h points. Resolved (sigma = 3h): the trapezoid is exact to
    # ~exp(-2 pi^2 sigma^2/h^2) and the flag says so; under-resolved (sigma = h/3): flagged.
    q = np.geomspace(1.0, 1e3, 301)
    h = np.log(q[1] / q[0])
    for sigma, resolved in ((3 * h, True), (h / 3, False)):
        S = np.exp(-0.5 * ((np.log(q) - np.log(31.4)) / sigma) ** 2)[None, :]
        v = sr.voloshin_integrals([1.0], q, S, 1)
        assert (v.peak_points[0] >= 6) == resolved
        if resolved:  # exact: 2 * sqrt(2 pi) sigma / Z * T
            assert v.nmm[0] == pytest.approx(2 * math.sqrt(2 * math.pi) * sigma, rel=1e-10)


def test_voloshin_input_validation():
    with pytest.raises(ValueError, match="increasing"):
        sr.voloshin_integrals([1.0], [2.0, 1.0], np.ones((1, 2)), 1)
    with pytest.raises(ValueError, match="q_keV"):
        sr.voloshin_integrals([1.0], [0.0, 1.0], np.ones((1, 2)), 1)


def test_bethe_ridge():
    assert sr.bethe_ridge_q_keV(0.0) == 0.0
    T = 10.0
    q = sr.bethe_ridge_q_keV(T)
    assert math.hypot(ME_KEV, q) - ME_KEV == pytest.approx(T, rel=1e-12)


# ------------------------------------------------------------------ exchange term of the f-sum
@pytest.mark.parametrize("element", ["Ne", pytest.param("Xe", marks=pytest.mark.slow)])
def test_exchange_energy_from_pauli_sum_matches_the_scf(element):
    # -(1/pi) int P(k) dk against the SCF's own exchange energy, obtained without any
    # momentum-space quantity: E_x = 2E - V_nuc - E_J (virial theorem T = -E, exact for
    # converged HF with a point nucleus). 1e-5 relative (measured 1.6e-6 Ne, 8e-7 Xe: grid
    # and spline; Xe takes ~20 s, the 1s form factor reaches p ~ 540/bohr).
    atom = nuatom.atom(element, relativistic=False, nucleus="point")
    g = atom.grid
    V_nuc = sum(o.occupancy * g.integrate(o.P**2 * atom.nuclear_potential_hartree) for o in atom.orbitals)
    E_J = 0.5 * sum(o.occupancy * g.integrate(o.P**2 * atom.electron_potential_hartree) for o in atom.orbitals)
    E_x = 2.0 * atom.total_energy_hartree - V_nuc - E_J
    assert sr.exchange_energy_from_pauli_sum_hartree(atom) == pytest.approx(E_x, rel=1e-5)


def test_exchange_energy_of_one_electron_is_minus_self_coulomb(hydrogen):
    # Hydrogen 1s: E_x = -J = -5/16 Hartree exactly (P = F_el^2); 1e-5 (SCF orbital 2e-7).
    assert sr.exchange_energy_from_pauli_sum_hartree(hydrogen) == pytest.approx(-5.0 / 16.0, rel=1e-5)


def test_exchange_correction_rejects_unsupported_atoms():
    with pytest.raises(ValueError, match="relativistic"):
        sr.exchange_fsum_correction_keV(nuatom.atom("Ne"), [1.0])
    with pytest.raises(ValueError, match="open shells"):
        sr.exchange_fsum_correction_keV(nuatom.atom("H", relativistic=False), [1.0])


# ------------------------------------------------------------------ many-electron f-sum
@pytest.mark.slow
def test_neon_sum_rules_in_vn():
    # Non-relativistic V^N (hole=False), computed continuum (~80 s cold on two busy cores).
    # Closure against the Waller-Hartree target: completeness of the continuum, 1e-4
    # (measured 2e-5). f-sum: NOT Z q^2/2 within 2 % as the issue hoped -- the Fock
    # exchange adds Delta(q) (+29 % at 1 keV, +16 % at 10 keV, +4.3 % at 30 keV; see
    # exchange_fsum_correction_keV), which this test predicts independently from the
    # occupied orbitals alone; 5e-4 of Z q^2/2m (measured <= 1.1e-4 at 1-100 keV).
    ne = nuatom.atom("Ne", relativistic=False)
    q = np.array([3.0, 30.0])
    check = sr.sum_rule_check(ne, q, quadrature=sr.EnergyQuadrature(nodes_per_panel=8))
    assert np.all(np.abs(check.closure_ratio - 1) < 1e-4)
    predicted = 1.0 + sr.exchange_fsum_correction_keV(ne, q) / check.fsum_target_keV
    assert np.all(np.abs(check.fsum_ratio - predicted) < 5e-4)
    assert np.all(predicted > 1.04)  # the exchange enhancement is real and large here


@pytest.mark.slow
def test_neon_sum_rules_relativistic_vn():
    # Dirac-Hartree-Fock V^N at q = 30 keV (~130 s cold on two busy cores). The positive-
    # energy continuum misses the weight (q/2m)^2 per electron that e^{iqr} sends to negative energies:
    # closure / Waller-Hartree -> (E+m)/2E = 0.99914 (free Dirac electron), to 3e-4
    # (measured 1e-4: binding). The f-sum moves by the free-electron factor m/E relative
    # to the non-relativistic value (exchange included) plus a binding correction
    # measured at -1.2e-3 (order <p^2>/m^2 = 2<T>/m of Ne's electrons, 1.4e-3); 3e-3 bounds it.
    q = np.array([30.0])
    rel = sr.sum_rule_check(nuatom.atom("Ne"), q, quadrature=sr.EnergyQuadrature(nodes_per_panel=8))
    ne = nuatom.atom("Ne", relativistic=False)
    nonrel = 1.0 + sr.exchange_fsum_correction_keV(ne, q) / sr.fsum_target_keV(10, q)
    E = np.hypot(ME_KEV, q)
    assert rel.closure_ratio[0] == pytest.approx(sr.free_relativistic_closure(1, q)[0], abs=3e-4)
    assert rel.fsum_ratio[0] == pytest.approx(nonrel[0] - (1 - ME_KEV / E[0]), abs=3e-3)
    assert rel.fsum_ratio[0] < nonrel[0] - (1 - ME_KEV / E[0])  # binding lowers it further
