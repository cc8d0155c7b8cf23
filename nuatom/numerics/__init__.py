"""Numerical building blocks: the radial grid and its quadrature, the Adams–Moulton Dirac
integrator, spherical Bessel and Coulomb wave functions, angular-momentum algebra, and the
one numba decorator policy (:mod:`nuatom.numerics.jit`).

Modules are imported on first use (see :mod:`nuatom._lazy`): importing the package
compiles nothing.
"""
from nuatom._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    'jit': [],
    'grid': ['GridSpec', 'RadialGrid', 'make_grid', 'lagrange_interval_weights'],
    'ode': ['AM_ORDER', 'am_coefficients', 'series_start', 'integrate_outward', 'integrate_inward', 'wkb_start'],
    'bessel': ['spherical_jn_all', 'bessel_blocks'],
    'coulombwave': ['coulomb_fg', 'turning_point'],
    'angular': ['ORBITAL_LETTERS', 'MULTIPOLE_KINDS', 'l_of_kappa', 'j_of_kappa', 'two_j_of_kappa', 'parity_of_kappa', 'kappa_from_l_j', 'kappa_from_l_two_j', 'parse_kappa', 'parse_orbital', 'kappa_label', 'orbital_label', 'wigner_3j', 'wigner_3j_range', 'wigner_6j', 'wigner_9j', 'clebsch_gordan', 'reduced_C', 'reduced_Y', 'reduced_sigmaY', 'multipole_parity', 'allowed', 'allowed_kappas', 'three_j_kernel', 'three_j_range_kernel', 'six_j_kernel', 'nine_j_kernel', 'clebsch_gordan_kernel', 'reduced_C_kernel', 'reduced_Y_kernel', 'reduced_sigmaY_kernel'],
})
