"""Atomic response functions R_μν(T, q): the response engine (per subshell), tabulation and
the packaged reference tables, and sum rules (closure, f-sum, Voloshin).

Modules are imported on first use (see :mod:`nuatom._lazy`): importing the package
compiles nothing.
"""
from nuatom._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    'engine': ['ResponseOptions', 'BASIS', 'COMPONENTS', 'CURRENTS', 'subshell_basis_sums', 'window_sums', 'components_from_basis', 'integration_grid', 'taper_radius', 'kinds_for', 'basis_for', 'partial_waves_converged'],
    'tables': ['ResponseTable', 'tabulate', 'reference_table', 'rpa_reference_columns', 'reference_q_grid_keV', 'TABLE_FORMAT'],
    'rpa': ['RPAResponseOptions', 'RPAResponsePoint', 'rpa_multipole_sums', 'rpa_low_rank_sums',
            'rpa_low_rank_correction', 'rpa_response_point'],
    'sumrules': ['EnergyQuadrature', 'SubshellEnergyNodes', 'subshell_energy_nodes', 'energy_moments', 'ContinuumMoments', 'continuum_moments', 'DiscreteLines', 'hydrogenic_lines', 'line_moment', 'pauli_blocking_sum', 'closure_target', 'fsum_target_keV', 'exchange_fsum_correction_keV', 'exchange_energy_from_pauli_sum_hartree', 'free_relativistic_fsum_keV', 'free_relativistic_closure', 'SumRuleCheck', 'sum_rule_check', 'VoloshinIntegrals', 'voloshin_integrals', 'voloshin_from_table', 'bethe_ridge_q_keV', 'kinetic_fsum_per_rank_keV', 'RankFsum', 'rank_fsum', 'RANK_FSUM_QUADRATURE'],
})
