"""Coulomb integrals Y^k and Slater R^k against exact sympy values for hydrogen orbitals,
and the batched exchange kernel against a plain loop over Y^k."""
import numpy as np
import pytest
import sympy as sp

from nuatom.structure.coulomb import exchange_apply, slater_rk, yk, yk_from_density
from nuatom.numerics.grid import GridSpec, RadialGrid


@pytest.fixture(scope="module")
def g():
    return RadialGrid(GridSpec(1e-7, 60.0, 2500, 4.0))


def hydrogen(r):
    return {"1s": 2 * r * np.exp(-r), "2s": r * (1 - r / 2) * np.exp(-r / 2) / np.sqrt(2),
            "2p": r**2 * np.exp(-r / 2) / np.sqrt(24)}


def exact_rk(a, b, c, d, k):
    r, s = sp.symbols("r s", positive=True)
    orb = {"1s": 2 * r * sp.exp(-r), "2s": r * (1 - r / 2) * sp.exp(-r / 2) / sp.sqrt(2),
           "2p": r**2 * sp.exp(-r / 2) / sp.sqrt(24)}
    rho_bd = (orb[b] * orb[d]).subs(r, s)
    Y = (sp.integrate(s**k * rho_bd, (s, 0, r)) / r**(k + 1)
         + r**k * sp.integrate(rho_bd / s**(k + 1), (s, r, sp.oo)))
    return float(sp.integrate(sp.simplify(orb[a] * orb[c] * Y), (r, 0, sp.oo)))


@pytest.mark.parametrize("a,b,c,d,k", [("1s", "1s", "1s", "1s", 0), ("1s", "2s", "1s", "2s", 0),
                                       ("1s", "2p", "2p", "1s", 1), ("2p", "2p", "2p", "2p", 2)])
def test_slater_integrals_exact(g, a, b, c, d, k):
    h = hydrogen(g.r)
    z = np.zeros_like(g.r)
    value = slater_rk(g, (h[a], z), (h[b], z), (h[c], z), (h[d], z), k, 0.0)
    assert value == pytest.approx(exact_rk(a, b, c, d, k), rel=1e-11)


def test_y0_of_1s_density(g):
    # potential of the hydrogen 1s charge cloud: (1 - (1 + r) e^{-2r})/r
    P = hydrogen(g.r)["1s"]
    y = yk(g, (P, 0 * P), (P, 0 * P), 0, 0.0)
    exact = (1 - (1 + g.r) * np.exp(-2 * g.r)) / g.r
    mask = g.r > 1e-3  # the closed form itself cancels catastrophically at tiny r
    assert np.max(np.abs(y - exact)[mask]) < 1e-12


def test_negative_multipole_raises(g):
    with pytest.raises(ValueError, match="k = -1"):
        yk_from_density(g, g.r, -1)


def test_exchange_kernel_matches_loop(g):
    rng = np.random.default_rng(1)
    h = hydrogen(g.r)
    orbP = np.array([h["1s"], h["2s"], h["2p"]])
    orbQ = 0.01 * orbP
    terms = {(0, 0): -1.0, (1, 0): -0.5, (2, 1): -0.3, (2, 3): 0.2}
    vP = g.r * np.exp(-0.7 * g.r) * (1 + rng.normal(size=3).sum() * 0)
    vQ = 0.02 * vP
    inv_c2 = 1.0 / 137.036**2
    outP, outQ = exchange_apply(g, orbP, orbQ, terms, vP, vQ, inv_c2)
    refP = np.zeros_like(vP)
    refQ = np.zeros_like(vQ)
    for (b, k), c in terms.items():
        y = yk(g, (orbP[b], orbQ[b]), (vP, vQ), k, inv_c2)
        refP += c * y * orbP[b]
        refQ += c * y * orbQ[b]
    assert np.max(np.abs(outP - refP)) < 1e-14 * np.max(np.abs(refP)) + 1e-16
    assert np.max(np.abs(outQ - refQ)) < 1e-14 * np.max(np.abs(refQ)) + 1e-16


def test_exchange_kernel_short_window_matches_loop(g):
    """A partial wave that becomes non-negligible a few points before an orbital ends (high
    kappa at large r) once made the kernel read past a 3-point window (no bounds checks in
    compiled code: garbage and NaN at random). The window is now widened to the quadrature
    stencil; the result must match the plain loop over the whole grid."""
    h = hydrogen(g.r)
    vP = (g.r / g.r[-1]) ** 36  # rises like r^(l+1), as a high partial wave does
    vQ = 0.02 * vP
    negligible = 1e-13
    v_start = int(np.flatnonzero(vP > negligible * vP.max())[0])
    orbP = np.array([h["1s"], h["2p"]])
    # cut 1s three points after v_start, as ContinuumSolver cuts orbitals (below 1e-9 of max)
    orbP[0, v_start + 3:] = 0.0
    assert abs(orbP[0, v_start + 2]) < 1e-9 * np.max(np.abs(orbP[0]))
    orbQ = 0.01 * orbP
    inv_c2 = 1.0 / 137.036**2
    terms = {(0, 29): -1.0, (0, 31): -0.5, (1, 30): -0.25}
    from nuatom.structure.coulomb import orbital_extent
    extent = orbital_extent(orbP)
    for _ in range(3):  # an out-of-bounds read shows up as run-to-run noise
        outP, outQ = exchange_apply(g, orbP, orbQ, terms, vP, vQ, inv_c2, extent, negligible=negligible)
        assert np.all(np.isfinite(outP)) and np.all(np.isfinite(outQ))
        refP = np.zeros_like(vP)
        for (b, k), c in terms.items():
            refP += c * yk(g, (orbP[b], orbQ[b]), (vP, vQ), k, inv_c2) * orbP[b]
        # What matters is the exchange term's size against the wave it acts on (it is added
        # to v): the windowed kernel drops v where it is < 1e-13 of its maximum, and the
        # error must stay below 1e-15 of max|v| max|P_b| (measured: ~1e-21).
        scale = np.max(np.abs(vP)) * np.max(np.abs(orbP))
        assert np.max(np.abs(outP - refP)) < 1e-15 * scale


@pytest.mark.parametrize("k", [3, 12, 24])
def test_damped_yk_forms_match_power_form(g, k):
    """The two damped forms of Y^k (exponentials per point, and step tables shared by the
    terms of one exchange application) against the plain power form r^k, r^-(k+1),
    which is exact where those powers stay in range (k <= 24 on this grid); 1e-12 of max|Y|
    (measured ~1e-15)."""
    from nuatom.structure import coulomb
    from nuatom.numerics.grid import CUMULATIVE_STENCIL
    h = hydrogen(g.r)
    rho = h["2p"] * g.r * np.exp(-0.2 * g.r)
    plain = coulomb._yk_kernel(g.r ** k, g.r ** (-(k + 1.0)), g.drdt, rho, g.h, g._rows, g._shifts,
                               CUMULATIVE_STENCIL)
    logr = np.log(g.r)
    damped = coulomb._yk_damped_kernel(logr, g.drdt, rho, float(k), g.h, g._rows, g._shifts,
                                       CUMULATIVE_STENCIL)
    s, m = 40, len(g.r) - 25  # a window, as the exchange kernel uses
    step, back = coulomb._power_step_rows(logr, np.array([k, k + 1]))
    windowed = coulomb._yk_damped_tabulated(g.r, g.drdt, rho[s:m], s, m, 0, 1, step, back, step, back, g.h, g._rows,
                                            g._shifts, CUMULATIVE_STENCIL)
    window_ref = coulomb._yk_kernel((g.r ** k)[s:m], (g.r ** (-(k + 1.0)))[s:m], g.drdt[s:m], rho[s:m],
                                    g.h, g._rows, g._shifts, CUMULATIVE_STENCIL)
    scale = np.max(np.abs(plain))
    assert np.max(np.abs(damped - plain)) < 1e-12 * scale
    assert np.max(np.abs(windowed - window_ref)) < 1e-12 * scale


def test_power_step_rows(g):
    # (r_{j+1}/r_j)^p and its reciprocal against numpy's powers of the ratio. The rows are
    # exp(p (ln r_{j+1} - ln r_j)): each logarithm carries half an ulp of |ln r| <= 16, so
    # the bound is 4 p eps max|ln r| (4.3e-12 at p = 300; measured 1.4e-13). The last
    # entry, past the last interval, is 1.
    from nuatom.structure import coulomb
    p = np.array([25, 80, 300])
    logr = np.log(g.r)
    step, back = coulomb._power_step_rows(logr, p)
    ratio = g.r[1:] / g.r[:-1]
    for row, b_row, power in zip(step, back, p):
        ref = ratio ** float(power)
        bound = 4 * power * np.finfo(float).eps * np.max(np.abs(logr))
        assert np.max(np.abs(row[:-1] / ref - 1)) < bound
        assert np.array_equal(b_row[:-1], 1.0 / row[:-1])
        assert row[-1] == 1.0 and b_row[-1] == 1.0


def _plain_yk(rk, rk1inv, drdt, rho, g):
    """Y^k as two separate cumulative quadratures (the inner from the origin, the outer
    from the end): the obviously correct form the batched kernel must equal to the bit."""
    from nuatom.numerics.grid import CUMULATIVE_STENCIL, _cumulative_kernel
    inner = _cumulative_kernel(np.ascontiguousarray(rk * rho * drdt), g.h, g._rows, g._shifts, CUMULATIVE_STENCIL)
    outer = _cumulative_kernel(np.ascontiguousarray((rho * rk1inv * drdt)[::-1]), g.h, g._rows, g._shifts,
                               CUMULATIVE_STENCIL)[::-1]
    return inner * rk1inv + rk * outer


@pytest.mark.parametrize("n_rows, s, m", [(1, 0, 2500), (2, 10, 2495), (3, 100, 900), (4, 0, 9), (5, 3, 1500)])
def test_yk_rows_is_plain_yk_bit_for_bit(g, n_rows, s, m):
    """The batched Y^k (all rows' running sums advanced together; the exchange kernel, the
    RRPA's induced potentials and, with one row, yk_from_density use it) against the plain
    two-quadrature form per row, on windows [s, m) as the exchange kernel cuts them, with
    mixed multipoles and shared densities: the same operations in the same order, so equal
    to the bit (odd row counts take the two-chain remainder loop)."""
    from nuatom.structure import coulomb
    from nuatom.numerics.grid import CUMULATIVE_STENCIL
    rk, rk1 = coulomb._power_table(g, 8)
    rng = np.random.default_rng(n_rows)
    rhos = rng.normal(size=(3, len(g.r)))
    ks = rng.integers(0, 9, size=n_rows)
    rho_of = rng.integers(0, 3, size=n_rows)
    Y = coulomb._yk_rows(rk, rk1, ks, s, m, g.drdt, np.ascontiguousarray(rhos[:, s:]), rho_of, g.h, g._rows,
                         g._shifts, CUMULATIVE_STENCIL)
    for d in range(n_rows):
        args = (rk[ks[d], s:m], rk1[ks[d], s:m], g.drdt[s:m], rhos[rho_of[d], s:m])
        plain = _plain_yk(*args, g)
        assert np.array_equal(Y[d], plain), (d, np.max(np.abs(Y[d] - plain)))
        one = coulomb._yk_kernel(*(np.ascontiguousarray(a) for a in args), g.h, g._rows, g._shifts,
                                 CUMULATIVE_STENCIL)
        assert np.array_equal(one, plain)


def test_exchange_operator_applied_repeatedly_matches_exchange_apply(g):
    """The prepared operator (what the continuum exchange iteration and the RPA products
    apply many times) gives exchange_apply's result bit for bit, also after another
    operator on the same grid has grown the shared damping rows (high k) in between."""
    from nuatom.structure.coulomb import ExchangeOperator, orbital_extent
    h = hydrogen(g.r)
    orbP = np.array([h["1s"], h["2s"], h["2p"]])
    orbQ = 0.01 * orbP
    inv_c2 = 1.0 / 137.036**2
    extent = orbital_extent(orbP)
    terms = {(0, 0): -1.0, (1, 2): -0.5, (2, 30): -0.3, (2, 31): 0.2}
    op = ExchangeOperator(g, orbP, orbQ, terms, inv_c2, extent)
    for i, power in enumerate((1, 5, 40)):
        vP = (g.r / g.r[-1]) ** power * np.exp(-0.1 * g.r)
        vQ = 0.02 * vP
        if i == 1:  # new exponents on the grid: the shared tables are reallocated
            ExchangeOperator(g, orbP, orbQ, {(2, 45): -1.0, (0, 60): 0.5}, inv_c2, extent)
        got = op.apply(vP, vQ, negligible=1e-13)
        want = exchange_apply(g, orbP, orbQ, terms, vP, vQ, inv_c2, extent, negligible=1e-13)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    empty = ExchangeOperator(g, orbP, orbQ, {}, inv_c2)
    assert not np.any(empty.apply(vP, vQ)[0])
