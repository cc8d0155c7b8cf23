"""Neutrino physics at the atom: free ν–e scattering, kinematics, lepton tensors and
ionization cross sections (ab initio, FEA, EPA, LPA), and reactor and solar sources.

Modules are imported on first use (see :mod:`nuatom._lazy`): importing the package
compiles nothing.
"""
from nuatom._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    'properties': ['NeutrinoProperties', 'DEFAULT_NEUTRINO_MASS_KEV'],
    'kinematics': ['t_max_free_keV', 'e_nu_min_free_keV', 'q_range_keV', 'q2_free_keV2', 'cos_theta_from_q'],
    'free': ['couplings', 'charge_radius_delta_gV', 'millicharge_delta_gV', 'dsigma_dT_vector_axial', 'dsigma_dT_weak', 'dsigma_dT_nmm', 'dsigma_dT_millicharge', 'dsigma_dT_total'],
    'sources': ['REACTOR_ISOTOPES', 'SOLAR_SOURCES', 'SOLAR_MODELS', 'Continuum', 'Line', 'NeutrinoSource', 'ReactorModel', 'huber_mueller_spectrum', 'vogel_engel_spectrum', 'fission_fragment_spectrum', 'capture_spectrum', 'reactor_spectrum_per_fission', 'nu_per_fission', 'mean_energy_per_fission_MeV', 'reactor_flux_from_power', 'reactor_source', 'fermi_function', 'beta_spectrum_shape', 'pp_endpoint_keV', 'solar_fluxes', 'OscillationParameters', 'matter_potential_keV', 'survival_probability', 'mass_state_fractions', 'production_zone', 'survival_probability_solar', 'mass_state_fractions_solar', 'representative_density', 'effective_moment_squared', 'solar_source', 'SNS_FLUX_PER_FLAVOR_CM2_S', 'prompt_numu_energy_keV', 'michel_nue_shape', 'michel_numubar_shape', 'sns_source', 'b8_broad_state_shape', 'solar_b8_broad_source'],
    'fea': ['Subshell', 'ELEMENTS', 'BINDINGS', 'subshells', 'effective_electrons', 'dsigma_dT_free_atom', 'dsigma_dT_fea'],
    'xsec': ['APPROXIMATIONS', 'lepton_weights', 'magnetic_weights', 'momentum_transfer_range_keV', 'FreeElectronResponse', 'TableResponse', 'METHODS', 'atomic_response', 'ionization_dsigma_dT', 'INTEGRAL_NAMES', 'coupling_integrals', 'dsigma_from_integrals', 'IonizationTable', 'table_provider'],
    'nuclear_form_factors': ['Isotope', 'isotope', 'natural_isotopes', 'target_isotopes', 'helm_form_factor', 'klein_nystrand_form_factor', 'NuclearModel'],
    'cevns': ['QuarkNSI', 'weak_charge', 'nucleon_couplings', 't_max_nr_keV', 'dsigma_dT_isotope', 'dsigma_dT_nr', 'sigma_total_cm2', 'differential_rate_per_kg_day_keV', 'rate_per_kg_day', 'flux_averaged_sigma_cm2'],
    'sterile': ['decay_rate_moment_per_s', 'moment_from_decay_rate_muB', 'decay_rate_mixing_per_s', 'conversion_peak_keV'],
    'quenching': ['Quenching', 'lindhard', 'lindhard_k', 'lindhard_yield', 'custom'],
})
