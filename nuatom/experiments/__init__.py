"""Detectors, statistics and sensitivities of neutrino experiments.

Modules are imported on first use (see :mod:`nuatom._lazy`): importing the package
compiles nothing.
"""
from nuatom._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    'detector': ['TARGETS', 'Target', 'target', 'StochasticResolution', 'GermaniumResolution', 'Detector', 'KG_DAY_PER_TON_YEAR', 'response_matrix', 'OnOffCounts', 'on_off_counts'],
    'stats': ['CRITICAL_VALUE_90', 'CRITICAL_VALUE_90_ONE_SIDED', 'BinnedModel', 'asimov_data', 'profile_background', 'log_likelihood', 'best_fit', 'q_statistic', 'upper_limit', 'interval', 'Interval', 'toy_upper_limits', 'toy_q_quantile'],
    'dark_matter_exclusion': ['DMExposure', 'EXPOSURES', 'millicharge_counts_per_eps2', 'millicharge_limit', 'observed_spectrum'],
    'sensitivity': ['register_method', 'get_method', 'methods', 'differential_rate', 'binned_counts', 'Experiment', 'list_experiments', 'load_experiment', 'build_source', 'build_detector', 'SensitivityResult', 'sensitivity', 'fraction_of_sm', 'PARAMETERS', 'REFERENCE_VALUES', 'true_energy_grid'],
    'cevns_comparison': ['cevns_rate_ee', 'energy_grid_ee', 'cevns_binned_model', 'channel_sensitivities'],
    'sterile_line_limit': ['MU_REF_MUB', 'moment_upper_limit_muB'],
})
