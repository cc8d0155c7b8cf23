"""Bound atomic structure: nuclear charge models, configurations, the Dirac bound-state
solver, Coulomb (Y^k) and exchange integrals, Dirac–Hartree–Fock, two-configuration MCDF,
and the cached :func:`atom` entry point.

Modules are imported on first use (see :mod:`nuatom._lazy`): importing the package
compiles nothing.
"""
from nuatom._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    'nucleus': ['NuclearModel', 'rms_radius_fm', 'nuclear_potential', 'fermi_parameters_fm'],
    'configuration': ['Shell', 'Subshell', 'EnergyExpression', 'parse_configuration', 'configuration_label', 'ground_configuration', 'relativistic_subshells', 'average_of_configuration', 'two_csf_j2_zero', 'gamma_k', 'subshell_label', 'ELEMENT_SYMBOLS'],
    'dirac': ['LocalPotential', 'ConvergenceError', 'solve_bound', 'GreenFunction', 'overlap', 'count_nodes', 'l_of_kappa', 'h0_apply'],
    'coulomb': ['yk', 'yk_from_density', 'slater_rk', 'density', 'exchange_apply', 'ExchangeOperator',
                'orbital_extent'],
    'hf': ['HFOptions', 'SCFResult', 'solve_scf', 'thomas_fermi_potential'],
    'mcdf': ['MCDFResult', 'solve_two_csf'],
    'atoms': ['atom', 'Atom', 'Orbital', 'MCDFState', 'element_Z', 'DEFAULT_GRID'],
    'valence': ['valence_orbitals'],
})
