"""All-orders spherical Bessel functions against scipy.special.spherical_jn."""
import numpy as np
import pytest
from scipy.special import spherical_jn

from nuatom.numerics.bessel import bessel_blocks, spherical_jn_all


@pytest.mark.parametrize("L_max", [0, 1, 7, 60, 300])
def test_all_orders_match_scipy(L_max):
    # upward recurrence for x >= L_max, Miller (downward) below: both branches, the
    # switch point, zeros of j_0 (x = n pi, where the normalisation uses j_1) and the
    # small-x series; tolerance 1e-10 of max(|j_L|, 1e-3/x) (scipy itself is ~1e-14)
    x = np.concatenate([np.geomspace(1e-6, 5000.0, 1500), np.pi * np.arange(1, 30),
                        [L_max, L_max + 1e-9, max(L_max - 0.5, 1e-4)]])
    ours = spherical_jn_all(L_max, x)
    ref = np.array([spherical_jn(L, x) for L in range(L_max + 1)])
    scale = np.maximum(np.abs(ref), 1e-3 / np.maximum(x, 1.0)[None, :])
    assert np.max(np.abs(ours - ref) / scale) < 1e-10


def test_blocks_layout_and_values():
    q = np.array([0.1, 2.0, 30.0])
    r = np.geomspace(1e-4, 20.0, 50)
    B = bessel_blocks(12, q, r)
    assert B.shape == (13, 3, 50)
    for L in (0, 5, 12):
        np.testing.assert_allclose(B[L], spherical_jn(L, q[:, None] * r[None, :]), rtol=1e-10, atol=1e-300)


def test_rejects_negative_argument():
    with pytest.raises(ValueError, match="x"):
        spherical_jn_all(3, [-1.0])


@pytest.mark.parametrize("ascending", [True, False])
@pytest.mark.parametrize("L_max", [0, 1, 7, 100, 425])
def test_blocks_equal_point_version_bit_for_bit(L_max, ascending):
    # bessel_blocks runs the radii of one momentum side by side; the arithmetic per point is
    # that of spherical_jn_all, so the results must be identical, not merely close.
    # Ascending radii (what integration grids pass) go to the kernel directly, others are
    # sorted and put back; both sets reach all three branches, and the small arguments at
    # L_max = 425 the overflow rescaling of the Miller run (x = 1e-3 * 1e-4 ... 600 * 40)
    rng = np.random.default_rng(3)
    q = np.geomspace(1e-3, 600.0, 17)
    r = np.concatenate([[0.0, 1e-7, 1e-4], rng.uniform(0.0, 40.0, 150)])
    if ascending:
        r = np.sort(r)
    B = bessel_blocks(L_max, q, r)
    P = spherical_jn_all(L_max, (q[:, None] * r[None, :]).ravel()).reshape(L_max + 1, q.size, r.size)
    assert np.array_equal(B, P)


def test_orders_below_double_range_are_zero():
    # |j_L(x)| <= x^L/(2L+1)!!: orders past the first where that bound is < 1e-290 are set
    # to exactly 0; every order kept matches scipy, and scipy's value for the dropped ones
    # is below 1e-290 too
    x = np.array([1e-2, 0.3, 4.0, 30.0])
    L_max = 400
    ours = spherical_jn_all(L_max, x)
    ref = np.array([spherical_jn(L, x) for L in range(L_max + 1)])
    dropped = ours == 0.0
    assert dropped[:, 0].sum() > 300  # x = 0.01: nearly every order underflows
    assert np.all(np.abs(ref[dropped]) < 1e-290)
    kept = ~dropped & (np.abs(ref) > 1e-280)
    assert np.max(np.abs(ours[kept] / ref[kept] - 1)) < 1e-10


def test_miller_run_rescales_where_the_point_version_does():
    # many small arguments in one Miller run, each overflowing at a different order: the
    # run checks overflow once per order for all its points and must rescale exactly the
    # points the one-point recurrence rescales (bit-identical results, and scipy agrees)
    r = np.geomspace(2e-3, 3.0, 400)
    B = bessel_blocks(300, np.array([1.0]), r)
    P = spherical_jn_all(300, r)
    assert np.array_equal(B[:, 0, :], P)
    ref = np.array([spherical_jn(L, r) for L in (0, 10, 60)])
    np.testing.assert_allclose(B[[0, 10, 60], 0, :], ref, rtol=1e-10, atol=1e-290)
