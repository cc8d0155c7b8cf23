"""RRPA photoionization (nuatom.continuum.rpa): angular coefficients, sources, limits, gauge invariance."""
import math

import numpy as np
import pytest
from sympy import Rational
from sympy.physics.wigner import wigner_3j as sympy_3j

import nuatom
from nuatom.structure.dirac import ConvergenceError
from nuatom.continuum.multipoles import bessel_table, multipole_radial
from nuatom.continuum.photoionization import photoionization
from nuatom.continuum.rpa import RPAOptions, _operator_source, induced_coefficient, rpa_response
from nuatom.units import HARTREE_KEV

# photon energies for Ne (Hartree): 2p region below the 2s threshold, 80 eV, and above
# the 1s threshold (1 keV)
NE_OMEGAS = [30.0 / 27.211386245988, 80.0 / 27.211386245988, 1000.0 / 27.211386245988]


def _l(kappa):
    return kappa if kappa > 0 else -kappa - 1


def _tj(kappa):
    return 2 * abs(kappa) - 1


def _sympy_reduced_C(ka, k, kb):
    """<ka||C^k||kb> from sympy's 3j (independent of nuatom.numerics.angular)."""
    if (_l(ka) + k + _l(kb)) % 2:
        return 0.0
    ja, jb = Rational(_tj(ka), 2), Rational(_tj(kb), 2)
    val = sympy_3j(ja, jb, k, Rational(-1, 2), Rational(1, 2), 0)
    return float((-1) ** (ja + Rational(1, 2)) * math.sqrt((2 * ja + 1) * (2 * jb + 1)) * val)


def _sympy_coefficient(term, J, k, kbar, ka, kbeta, kb):
    """The m-sum of the induced-potential coefficient (module Notes) with sympy 3j symbols."""
    roles = {"D1": ("bar", "b", "a", "beta"), "D2": ("bar", "beta", "a", "b"),
             "X1": ("bar", "b", "beta", "a"), "X2": ("bar", "beta", "b", "a")}[term]
    kap = {"bar": kbar, "a": ka, "b": kb, "beta": kbeta}
    c, d, e, f = (kap[x] for x in roles)
    j = {x: Rational(_tj(kap[x]), 2) for x in kap}
    r1, r2 = _sympy_reduced_C(c, k, e), _sympy_reduced_C(d, k, f)
    total = 0.0
    for two_m in range(-_tj(ka), _tj(ka) + 1, 2):
        m = Rational(two_m, 2)
        if abs(m) > j["bar"]:
            continue
        outer = (-1) ** (j["bar"] - m) * sympy_3j(j["bar"], J, j["a"], -m, 0, m)
        for two_mb in range(-_tj(kb), _tj(kb) + 1, 2):
            mb = Rational(two_mb, 2)
            if abs(mb) > j["beta"]:
                continue
            wgt = (-1) ** (j["beta"] - mb) * sympy_3j(j["beta"], J, j["b"], -mb, 0, mb)
            ms = {"bar": m, "a": m, "b": mb, "beta": mb}
            q = ms[roles[0]] - ms[roles[2]]
            if abs(q) > k:
                continue
            t1 = (-1) ** (j[roles[0]] - ms[roles[0]]) * sympy_3j(j[roles[0]], k, j[roles[2]], -ms[roles[0]], q,
                                                                 ms[roles[2]])
            t2 = (-1) ** (j[roles[1]] - ms[roles[1]]) * sympy_3j(j[roles[1]], k, j[roles[3]], -ms[roles[1]], -q,
                                                                 ms[roles[3]])
            total += float(outer * wgt * (-1) ** q * t1 * t2) * r1 * r2
    coef = (2 * J + 1) * total
    return -coef if term.startswith("X") else coef


CASES = [(1, 1, 2, -1, -2, -1), (1, 1, -3, -2, 2, 1), (1, 2, -3, -2, 1, -2), (1, 0, -1, -2, -1, -2),
         (2, 2, -3, -1, 2, -2), (1, 3, 3, -3, -4, -3), (1, 1, -1, -2, 2, 1)]


@pytest.mark.parametrize("J,k,kbar,ka,kbeta,kb", CASES)
def test_induced_coefficients_against_sympy(J, k, kbar, ka, kbeta, kb):
    for term in ("D1", "D2", "X1", "X2"):
        ref = _sympy_coefficient(term, J, k, kbar, ka, kbeta, kb)
        assert induced_coefficient(term, J, k, kbar, ka, kbeta, kb) == pytest.approx(ref, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("J,kbar,ka,kbeta,kb", [(1, 2, -1, -2, -1), (1, -3, -2, 1, -2), (2, -3, -1, 2, -2),
                                                 (1, 1, -2, -2, 2)])
def test_direct_coefficient_closed_form(J, kbar, ka, kbeta, kb):
    # D1 = D2 = <kbar||C^J||a><beta||C^J||b>/(2J+1) (module Notes), only k = J
    ref = _sympy_reduced_C(kbar, J, ka) * _sympy_reduced_C(kbeta, J, kb) / (2 * J + 1)
    for term in ("D1", "D2"):
        assert induced_coefficient(term, J, J, kbar, ka, kbeta, kb) == pytest.approx(ref, rel=1e-12, abs=1e-14)
        assert induced_coefficient(term, J, J + 2, kbar, ka, kbeta, kb) == 0.0


@pytest.mark.parametrize("J,kbar,ka", [(1, 2, -1), (1, -3, -2), (2, 3, -2), (1, -1, 1)])
def test_monopole_self_exchange_is_minus_one(J, kbar, ka):
    # the long-range part moved into the channel potential: X1(k=0, same channel) = -1,
    # i.e. -Y^0_aa(r) -> -1/r, the field of the hole
    assert induced_coefficient("X1", J, 0, kbar, ka, kbar, ka) == pytest.approx(-1.0, rel=1e-13)


@pytest.mark.parametrize("kind,J,kf,ki", [("E", 1, -2, -1), ("E", 1, -1, 1), ("E", 2, -3, -1), ("M", 1, 2, -1),
                                          ("C", 1, 1, -1), ("L", 1, -3, -2)])
@pytest.mark.parametrize("unknown", ["bra", "ket"])
def test_operator_source_reproduces_multipole_radial(kind, J, kf, ki, unknown):
    rng = np.random.default_rng(1)
    h = nuatom.atom("H", nucleus="point")
    g = h.grid
    r = g.r
    known = (np.exp(-r) * r, 0.3 * np.exp(-r) * r**2)
    x = (np.exp(-0.5 * r) * r * (1 + rng.normal(size=1)[0] * r), np.exp(-0.7 * r) * r)
    q = 0.7
    B = bessel_table(J + 1, [q], r)
    sP, sQ = _operator_source(kind, J, kf, ki, known[0], known[1], B[:, 0, :], h.inv_c2, unknown)
    got = g.weights @ (x[0] * sP + h.inv_c2 * x[1] * sQ)
    if unknown == "bra":
        ref = multipole_radial(kind, J, kf, ki, x[0], x[1], known[0], known[1], g.weights, B, h.inv_c2)[0]
    else:
        ref = multipole_radial(kind, J, kf, ki, known[0], known[1], x[0], x[1], g.weights, B, h.inv_c2)[0]
    assert abs(ref) > 1e-8
    assert got == pytest.approx(ref, rel=1e-12)


@pytest.fixture(scope="module")
def neon():
    return nuatom.atom("Ne")


@pytest.mark.slow
@pytest.mark.parametrize("gauge", ["velocity", "length"])
def test_without_induced_potential_reproduces_photo(neon, gauge):
    # RPAOptions(induced=False): frozen-core DHF in V^N, the same continuum orbitals and
    # matrix elements as nuatom.photo (hole=False); the only difference is the linear
    # solver for the first-order orbitals, which enters through the polarizability check.
    # With the continuum tolerance of nuatom.photo (ContinuumOptions default 1e-9) the
    # cross sections agree to rounding (the RRPA default, 1e-10, moves them by ~1e-10).
    w = NE_OMEGAS[1]
    ref = photoionization(neon, [w * HARTREE_KEV], method="dhf", hole=False, only_e1=True, gauge=gauge)
    r = rpa_response(neon, w, gauge=gauge, options=RPAOptions(induced=False, continuum_tolerance=1e-9))
    for label, s in r.subshell_sigma_au.items():
        expected = ref.subshells[label][0] / (nuatom.units.BOHR_CM**2 / nuatom.units.BARN_CM2)
        assert s == pytest.approx(expected, rel=1e-13, abs=1e-300)
    assert r.sigma_polarizability_au == pytest.approx(r.sigma_au, rel=1e-7)


@pytest.mark.slow
@pytest.mark.parametrize("omega", NE_OMEGAS)
def test_gauge_invariance_neon(neon, omega):
    # RRPA is gauge invariant (Johnson & Lin 1979): length and velocity within 1e-3
    # (measured: ~1e-9), while frozen-core DHF (V^N) differs by a factor up to 2.5 here
    v = rpa_response(neon, omega, gauge="velocity")
    ln = rpa_response(neon, omega, gauge="length")
    assert ln.sigma_au == pytest.approx(v.sigma_au, rel=1e-3)
    for label in v.subshell_sigma_au:
        assert ln.subshell_sigma_au[label] == pytest.approx(v.subshell_sigma_au[label], rel=1e-3, abs=1e-300)
    # optical-theorem check: |T|^2 summed equals Im of the response (truncation of the
    # r^-2 interchannel tails limits it to ~1e-4)
    assert v.sigma_polarizability_au == pytest.approx(v.sigma_au, rel=1e-3)
    dv = photoionization(neon, [omega * HARTREE_KEV], method="dhf", hole=False, only_e1=True).sigma_barn[0]
    dl = photoionization(neon, [omega * HARTREE_KEV], method="dhf", hole=False, only_e1=True, gauge="length").sigma_barn[0]
    assert abs(dl / dv - 1) > 0.01


def test_input_validation(neon):
    with pytest.raises(ValueError, match="omega_hartree"):
        rpa_response(neon, -1.0)
    with pytest.raises(ValueError, match="gauge"):
        rpa_response(neon, 3.0, gauge="coulomb")
    with pytest.raises(ValueError, match="min_n"):
        RPAOptions(min_n=0)
    # below every threshold: zero cross section, no solve
    r = rpa_response(neon, 0.5)
    assert r.sigma_au == 0.0 and r.iterations == 0


@pytest.mark.slow
def test_non_convergence_raises_with_residual(neon):
    with pytest.raises(ConvergenceError, match="residual"):
        rpa_response(neon, NE_OMEGAS[1], options=RPAOptions(max_iterations=2, restart=2))


@pytest.mark.slow
def test_gauge_invariance_argon_near_cooper_minimum():
    # Ar at 48 eV, all shells polarised: length = velocity (measured 3e-10) although the
    # frozen-core DHF values differ by a factor 2.8 (V^N) and 1.2 (V^{N-1}); the 3p
    # partial is near its Cooper minimum (RRPA: minimum of the 3p partial at ~50 eV
    # photon energy; measured ~48 eV)
    ar = nuatom.atom("Ar")
    omega = 48.0 / 27.211386245988
    v = rpa_response(ar, omega, gauge="velocity")
    ln = rpa_response(ar, omega, gauge="length")
    assert ln.sigma_au == pytest.approx(v.sigma_au, rel=1e-3)
    assert v.sigma_polarizability_au == pytest.approx(v.sigma_au, rel=2e-3)



@pytest.mark.slow
@pytest.mark.parametrize("element", ["Ne", "Ar"])
def test_gauge_invariance_at_5_keV(element):
    # the top of the range the RRPA issue asks for (threshold to 5 keV), above the Ar K edge
    # (3.2 keV): length = velocity within 1e-3, as Johnson & Lin (1979) prove for the
    # exact RRPA (measured: Ne 9e-10, Ar 2e-10; 5 GMRES iterations each)
    atom = nuatom.atom(element)
    omega = 5.0 / HARTREE_KEV
    v = rpa_response(atom, omega, gauge="velocity")
    ln = rpa_response(atom, omega, gauge="length")
    assert ln.sigma_au == pytest.approx(v.sigma_au, rel=1e-3)
    assert v.sigma_polarizability_au == pytest.approx(v.sigma_au, rel=1e-3)

def test_helium_gauge_invariance_and_photoionization_rpa():
    # He, 40 eV: RRPA length = velocity (measured 1e-9; frozen-core DHF V^N differs by a
    # factor 2.3); photoionization_rpa returns the same cross section in barn
    from nuatom.continuum.rpa import photoionization_rpa
    from nuatom.units import BARN_CM2, BOHR_CM

    he = nuatom.atom("He")
    omega = 40.0 / 27.211386245988
    v = rpa_response(he, omega, gauge="velocity")
    ln = rpa_response(he, omega, gauge="length")
    assert ln.sigma_au == pytest.approx(v.sigma_au, rel=1e-6)
    assert v.sigma_polarizability_au == pytest.approx(v.sigma_au, rel=1e-4)
    res = photoionization_rpa(he, [omega * HARTREE_KEV], gauge="length")
    assert res.sigma_barn[0] == pytest.approx(ln.sigma_au * BOHR_CM**2 / BARN_CM2, rel=1e-12)
    assert res.subshells["1s_1/2"][0] == pytest.approx(res.sigma_barn[0], rel=1e-14)


@pytest.mark.slow
def test_gauge_invariance_e2_neon(neon):
    # any multipole drives the same machinery: E2 at 1 keV, length = velocity in RRPA
    # (measured 1e-9) while the frozen-core values differ by 20 % (83.7 vs 69.8 b)
    omega = NE_OMEGAS[2]
    v = rpa_response(neon, omega, J=2, gauge="velocity")
    ln = rpa_response(neon, omega, J=2, gauge="length")
    assert ln.sigma_au == pytest.approx(v.sigma_au, rel=1e-3)
    bare = [rpa_response(neon, omega, J=2, gauge=g, options=RPAOptions(induced=False)).sigma_au
            for g in ("velocity", "length")]
    assert abs(bare[1] / bare[0] - 1) > 0.1


# ------------------------------------------------------------------ open shells (AOC-RRPA)
@pytest.mark.parametrize("Z", [1, 6, 10, 26, 32, 54])
def test_occupation_weights_are_the_aoc_functional_second_derivative(Z):
    # The AOC-RRPA weights n_a * nu_ab (per pair of magnetic substates) must be the pair
    # weights of the average-of-configuration energy functional that the ground state
    # minimises (nuatom.structure.configuration, an independent module): F^0(a, b) carries
    # n_a nu_ab g_a g_b for a < b and half of it for a = b. Closed shells give 1, a lone
    # electron 0 (no self-interaction), Ge 4p^2 gives (N-1)/(G-1) = 1/5 inside the shell.
    from nuatom.continuum.rpa import occupation_weights
    from nuatom.structure.configuration import (average_of_configuration, ground_configuration,
                                                parse_configuration)

    expr = average_of_configuration(parse_configuration(ground_configuration(Z)))
    subshells = expr.subshells        # (n, kappa, occupancy): all the weights depend on
    fill, pair = occupation_weights(subshells)
    for a, oa in enumerate(subshells):
        for b, ob in enumerate(subshells):
            coefficient = expr.direct.get((min(a, b), max(a, b)), 0.0) * (2.0 if a == b else 1.0)
            expected = coefficient / (2 * abs(oa.kappa) * 2 * abs(ob.kappa))
            assert fill[a] * pair[a, b] == pytest.approx(expected, rel=1e-12, abs=1e-15)
    if Z in (10, 54):
        assert np.all(pair == 1.0) and np.all(fill == 1.0)
    if Z == 1:
        assert pair[0, 0] == 0.0
    if Z == 32:
        p = [i for i, o in enumerate(subshells) if o.n == 4 and o.kappa in (1, -2)]
        assert pair[np.ix_(p, p)] == pytest.approx(np.full((2, 2), 0.2), rel=1e-14)
        assert fill[p] == pytest.approx([1 / 3, 1 / 3], rel=1e-14)


@pytest.mark.parametrize("omega", [0.6, 2.0])
def test_one_electron_rpa_is_the_dirac_coulomb_result(omega):
    # Hydrogen: the lone electron induces no potential on itself (AOC weight 0), so RRPA
    # must equal the frozen-core result in the bare Coulomb field (photoionization with the
    # hole, i.e. the proton alone) to rounding, be gauge invariant (measured 1.3e-7: grid),
    # and agree with Stobbe's non-relativistic closed form to O(alpha^2) relativistic and
    # O((omega a / c)^2) retardation corrections (measured 1.7e-5 at 0.6 Ha, 1.3e-4 at 2 Ha).
    from nuatom.oracles.hydrogen_photo import hydrogen_1s_photoionization_cm2
    from nuatom.units import BOHR_CM

    h = nuatom.atom("H", nucleus="point")
    v = rpa_response(h, omega, gauge="velocity")
    ln = rpa_response(h, omega, gauge="length")
    bare = photoionization(h, [omega * HARTREE_KEV], method="dhf", only_e1=True, hole=True).sigma_barn[0]
    assert v.sigma_au * BOHR_CM**2 / nuatom.units.BARN_CM2 == pytest.approx(bare, rel=1e-10)
    assert ln.sigma_au == pytest.approx(v.sigma_au, rel=1e-6)
    stobbe = hydrogen_1s_photoionization_cm2(np.array([omega]))[0] / BOHR_CM**2
    assert v.sigma_au == pytest.approx(stobbe, rel=1e-3)


@pytest.mark.slow
def test_germanium_aoc_rpa_gauge_invariance():
    # Ge 4p^2 by AOC-RRPA at 300 eV: length = velocity within 2e-3 (measured 6.9e-4),
    # while frozen-core DHF differs by 6 %. Exact invariance needs the partial Pauli
    # blocking of the half-empty 4p shell (3d, 4s, ns -> 4p transitions carry weight
    # 1 - n_4p = 2/3 in the ensemble response but are projected out here); that is the
    # approximation this tolerance measures (1.1 % at 100 eV, next to the 3d -> 4p
    # bound-bound poles at ~25 eV).
    ge = nuatom.atom("Ge")
    omega = 300.0 / 27.211386245988
    v = rpa_response(ge, omega, gauge="velocity")
    ln = rpa_response(ge, omega, gauge="length")
    assert ln.sigma_au == pytest.approx(v.sigma_au, rel=2e-3)
    assert v.sigma_polarizability_au == pytest.approx(v.sigma_au, rel=1e-4)
    dv, dl = (photoionization(ge, [0.3], method="dhf", only_e1=True, gauge=g).sigma_barn[0] for g in ("velocity", "length"))
    assert abs(dl / dv - 1) > 0.03
    # the packaged RRPA table (nuatom/data/photo/Ge_rpa.csv) reproduces from the code: its
    # 300 eV row, velocity gauge, to 1e-6 (GMRES tolerance 1e-9)
    import importlib.resources

    from nuatom.units import BARN_CM2, BOHR_CM
    text = (importlib.resources.files("nuatom") / "data" / "photo" / "Ge_rpa.csv").read_text().splitlines()
    rows = [line.split(",") for line in text if not line.startswith("#")]
    header, data = rows[0], [[float(x) for x in r] for r in rows[1:]]
    row = next(r for r in data if abs(r[0] - 0.3) < 1e-12)
    assert row[header.index("total_barn")] == pytest.approx(v.sigma_au * BOHR_CM**2 / BARN_CM2, rel=1e-6)
    assert row[header.index("total_length_barn")] == pytest.approx(ln.sigma_au * BOHR_CM**2 / BARN_CM2, rel=1e-6)


def test_induced_yk_of_both_signs_is_the_one_density_form_bit_for_bit():
    """_yk_of_both_signs (the four real densities of a channel pair, sign by real and
    imaginary part, in one batched Y^k) against _yk_of_complex_density called per sign, on a
    cut orbital with its multipole tail: equal to the bit, as the batching reorders nothing
    within one density's sums."""
    from nuatom.continuum import _induced
    from nuatom.numerics.grid import CUMULATIVE_STENCIL
    from nuatom.structure.coulomb import _power_table
    g = nuatom.atom("Ne").grid
    nb, m, k = len(g.r) - 40, len(g.r) - 300, 2
    rng = np.random.default_rng(3)
    uP, uQ = rng.normal(size=nb), rng.normal(size=nb)
    Zj = rng.normal(size=(2, 2, nb)) + 1j * rng.normal(size=(2, 2, nb))
    rk, rk1 = _power_table(g, 4)
    out = np.empty((2, 2, nb))
    _induced._yk_of_both_signs(uP, uQ, Zj, 1e-4, m, k, rk, rk1, g.drdt, g.h, g._rows, g._shifts,
                               CUMULATIVE_STENCIL, np.empty((4, nb)), np.empty(4, dtype=np.int64),
                               np.empty(4, dtype=np.int64), out)
    for s in range(2):
        re, im = np.empty(nb), np.empty(nb)
        _induced._yk_of_complex_density(uP, uQ, Zj[s, 0], Zj[s, 1], 1e-4, m, rk[k], rk1[k], g.drdt, g.h, g._rows,
                                        g._shifts, CUMULATIVE_STENCIL, np.empty(nb), re, im)
        assert np.array_equal(out[0, s], re) and np.array_equal(out[1, s], im)


@pytest.mark.parametrize("element, J, kind, q_au", [("Ne", 1, "E", None), ("Ne", 2, "C", 1.5),
                                                    ("Ge", 1, "E", None), ("Ge", 1, "M", 0.7)])
def test_compiled_induced_potential_equals_the_reference(element, J, kind, q_au):
    """The compiled induced potential (:mod:`nuatom.continuum._induced`) against the
    term-by-term dictionary form :meth:`_System.induced`, for a random complex first-order
    orbital; Ge brings the open-shell self terms. On the whole grid the two are the same sums
    in another order (measured <= 7e-17 of the largest value): 1e-14. In production the
    kernel forms the bound-density potentials on the bound part of the grid, where the
    quadrature's end stencil meets the cut orbitals, and integrates each density only out to
    where its orbital falls below ``DENSITY_TAIL`` (1e-13) of its largest value, continuing
    its Y^k by the exact multipole tail (measured 2.2e-12 to 2.1e-11): 1e-10."""
    from nuatom.continuum.rpa import _System
    at = nuatom.atom(element)
    sysm = _System(at, 100.0 / 27.211386245988, J, kind, "velocity", RPAOptions(), long_wavelength=False,
                   q_au=q_au)
    rng = np.random.default_rng(7)
    x = rng.normal(size=sysm.size()) + 1j * rng.normal(size=sysm.size())
    z, _ = sysm._unpack(x)
    v = sysm.induced(z)
    reference = np.array([[v[(i, s)] for s in (+1, -1)] for i in range(len(sysm.channels))])
    scale = np.max(np.abs(reference))
    assert np.max(np.abs(sysm.induced_array(x) - reference)) < 1e-10 * scale
    sysm.nb, sysm.fine_b = sysm.n, sysm.grid
    sysm.extent = np.full(len(at.orbitals), sysm.n)
    del sysm._induced_tables
    assert np.max(np.abs(sysm.induced_array(x) - reference)) < 1e-14 * scale


def test_rpa_photoionization_is_cached_on_disk(tmp_path, monkeypatch):
    """photoionization(method="rpa") stores its result in the disk cache and reads it back
    equal to the bit without solving again; another gauge or cache=False solves anew. (The
    RPA response-column test and the RRPA chapter ask for the same energies, so CI solves
    them once.)"""
    from nuatom.continuum import photoionization as photo_module

    monkeypatch.setenv("NUATOM_CACHE_DIR", str(tmp_path))
    he = nuatom.atom("He")
    omega = [0.04, 0.1]
    first = nuatom.photoionization(he, omega, method="rpa")
    assert any(p.name.startswith(photo_module.RPA_PHOTO_CACHE_KIND) for p in tmp_path.iterdir())
    solves = []
    real = photo_module.rpa.photoionization_rpa

    def counted(*args, **kwargs):
        solves.append(kwargs.get("gauge"))
        return real(*args, **kwargs)

    monkeypatch.setattr(photo_module.rpa, "photoionization_rpa", counted)
    again = nuatom.photoionization(he, omega, method="rpa")
    assert solves == []
    assert np.array_equal(again.sigma_barn, first.sigma_barn)
    assert again.subshells.keys() == first.subshells.keys()
    for label in first.subshells:
        assert np.array_equal(again.subshells[label], first.subshells[label])
    for name in first.multipoles:
        assert np.array_equal(again.multipoles[name], first.multipoles[name])
    fresh = nuatom.photoionization(he, omega, method="rpa", cache=False)
    assert solves == ["velocity"] and np.array_equal(fresh.sigma_barn, first.sigma_barn)
    nuatom.photoionization(he, omega, method="rpa", gauge="length")
    assert solves == ["velocity", "length"]
