"""Steed's Coulomb functions against mpmath (an independent arbitrary-precision library)."""
import mpmath as mp
import pytest

from nuatom.numerics.coulombwave import coulomb_fg, coulomb_fg_many, turning_point


@pytest.mark.parametrize("lam", [0, 1, 2.5, 0.9999734, 7])
@pytest.mark.parametrize("eta", [-20.0, -1.0, -0.1, 0.0, 2.0])
@pytest.mark.parametrize("rho", [6.0, 40.0, 300.0])
def test_against_mpmath(lam, eta, rho):
    if rho <= turning_point(lam, eta):
        pytest.skip("inside the turning point")
    F, Fp, G, Gp = coulomb_fg(lam, eta, rho)
    mp.mp.dps = 25
    Fr = float(mp.coulombf(lam, eta, rho))
    Gr = float(mp.coulombg(lam, eta, rho))
    Fpr = float(mp.diff(lambda x: mp.coulombf(lam, eta, x), rho))
    Gpr = float(mp.diff(lambda x: mp.coulombg(lam, eta, x), rho))
    s = 1.0 if F * Fr > 0 else -1.0  # Steed fixes F only up to a common sign
    scale = max(abs(Fr), abs(Gr))
    for got, ref in ((s * F, Fr), (s * Fp, Fpr), (s * G, Gr), (s * Gp, Gpr)):
        assert got == pytest.approx(ref, abs=1e-12 * scale)
    assert Fp * G - F * Gp == pytest.approx(1.0, abs=1e-13)  # Wronskian


def test_inside_turning_point_raises():
    with pytest.raises(ValueError, match="turning point"):
        coulomb_fg(10.0, 0.0, 2.0)


def test_many_points_equal_one_at_a_time():
    """The compiled loop of :func:`coulomb_fg_many` returns exactly the point-by-point values."""
    import numpy as np
    lam, eta = 2.3, -1.7
    rho = np.linspace(turning_point(lam, eta) + 0.1, 80.0, 57)
    many = coulomb_fg_many(lam, eta, rho)
    one = np.array([coulomb_fg(lam, eta, x) for x in rho]).T
    assert np.array_equal(many, one)
    assert coulomb_fg_many(lam, eta, []).shape == (4, 0)
    with pytest.raises(ValueError, match="turning point"):
        coulomb_fg_many(lam, eta, [1.0, 80.0])
    with pytest.raises(ValueError, match="lam"):
        coulomb_fg_many(-0.7, eta, rho)
