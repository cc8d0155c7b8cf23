"""Continuum orbitals in the frozen DHF field, multipole operators of the electromagnetic
and weak currents, the relativistic random-phase approximation (RRPA: the linear response
of time-dependent DHF, :mod:`nuatom.continuum.rpa`), and photoionization cross sections.

Modules are imported on first use (see :mod:`nuatom._lazy`): importing the package
compiles nothing.
"""
from nuatom._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    'solver': ['ContinuumOptions', 'ContinuumOrbital', 'ContinuumSolver', 'momentum_au', 'energy_normalisation_amplitude'],
    'multipoles': ['KINDS', 'reduced_matrix_element', 'multipole_radial', 'bessel_table'],
    'results': ['PhotoResult'],
    'rpa': ['RPAOptions', 'RPAResponse', 'rpa_response', 'photoionization_rpa'],
    'photoionization': ['photoionization', 'subshell_cross_section_au'],
})
