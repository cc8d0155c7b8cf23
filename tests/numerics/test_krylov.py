"""nuatom's restarted GMRES (:mod:`nuatom.numerics.krylov`) against scipy's, and its
reported residual against the true one."""
import numpy as np
import pytest
from scipy.sparse.linalg import LinearOperator
from scipy.sparse.linalg import gmres as scipy_gmres

from nuatom.numerics.krylov import gmres


def _system(n, complex_, spread, seed):
    """A non-normal matrix with eigenvalues around 1 (spread sets how many iterations)."""
    rng = np.random.default_rng(seed)
    A = np.eye(n) + spread * rng.normal(size=(n, n)) / np.sqrt(n)
    b = rng.normal(size=n)
    if complex_:
        A = A + 1j * spread * rng.normal(size=(n, n)) / np.sqrt(n)
        b = b + 1j * rng.normal(size=n)
    return A, b


@pytest.mark.parametrize("complex_", [False, True])
@pytest.mark.parametrize("restart", [5, 30])
def test_same_solution_as_scipy(complex_, restart):
    """Both stop at the relative residual 1e-10; their solutions then agree to the
    conditioning of A times that (cond ~ 5 here): 1e-8 of |x|. The reported residual is
    the Arnoldi relation's; it must equal the true |b - Ax|/|b| to rounding (1e-13, far
    below the tolerance), also across restarts."""
    A, b = _system(200, complex_, 0.5, 1)
    result = gmres(lambda v: A @ v, b, rtol=1e-10, restart=restart)
    op = LinearOperator(A.shape, matvec=lambda v: A @ v, dtype=A.dtype)
    x_ref, info = scipy_gmres(op, b, rtol=1e-10, atol=0.0, restart=restart, maxiter=200)
    assert info == 0 and result.converged
    assert np.linalg.norm(result.x - x_ref) < 1e-8 * np.linalg.norm(x_ref)
    true = np.linalg.norm(b - A @ result.x) / np.linalg.norm(b)
    assert true <= 1e-10 * (1 + 1e-3)
    assert abs(result.residual - true) < 1e-13
    assert result.x.dtype == (np.complex128 if complex_ else np.float64)


def test_counts_products_and_uses_the_starting_guess():
    A, b = _system(120, True, 0.3, 2)
    calls = [0]

    def matvec(v):
        calls[0] += 1
        return A @ v

    cold = gmres(matvec, b, rtol=1e-12)
    assert cold.iterations == calls[0]
    # restarting from the solution costs one product (the starting residual) and no step
    calls[0] = 0
    warm = gmres(matvec, b, x0=cold.x, rtol=1e-10)
    assert warm.converged and warm.iterations == calls[0] == 1


def test_stops_at_the_iteration_limit_and_says_so():
    A, b = _system(150, False, 2.0, 3)  # hard: many iterations
    result = gmres(lambda v: A @ v, b, rtol=1e-12, restart=10, max_iterations=15)
    assert not result.converged
    assert result.residual > 1e-12
    assert result.iterations <= 15 + 2  # steps plus the restarts' starting residuals


def test_zero_right_hand_side_and_bad_arguments():
    A, _ = _system(20, False, 0.1, 4)
    result = gmres(lambda v: A @ v, np.zeros(20))
    assert result.converged and not result.x.any() and result.iterations == 0
    with pytest.raises(ValueError, match="rtol"):
        gmres(lambda v: v, np.ones(3), rtol=0.0)
    with pytest.raises(ValueError, match="restart"):
        gmres(lambda v: v, np.ones(3), restart=0)
    with pytest.raises(ValueError, match="1-d"):
        gmres(lambda v: v, np.ones((3, 3)))


def test_workspace_is_reused_and_checked():
    """A reused basis array gives the same solution bit for bit; a wrong one is refused."""
    A, b = _system(80, True, 0.4, 5)
    plain = gmres(lambda v: A @ v, b, rtol=1e-11, restart=12)
    work = np.full((13, 80), np.nan + 0j)
    for _ in range(2):
        again = gmres(lambda v: A @ v, b, rtol=1e-11, restart=12, workspace=work)
        assert np.array_equal(again.x, plain.x) and again.iterations == plain.iterations
    with pytest.raises(ValueError, match="workspace"):
        gmres(lambda v: A @ v, b, restart=12, workspace=np.empty((12, 80), complex))
    with pytest.raises(ValueError, match="workspace"):
        gmres(lambda v: A @ v, b, restart=12, workspace=np.empty((13, 80)))
