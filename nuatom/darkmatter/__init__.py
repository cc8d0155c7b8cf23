"""Dark matter: DM–electron scattering on bound electrons from the atomic charge response.

Layers below: the per-subshell charge response R00 (:mod:`nuatom.response`) and the
hydrogen closed forms (:mod:`nuatom.oracles`). Modules: ``halo`` (SHM, η(v_min), any velocity
distribution, annual modulation), ``conventions`` (σ̄_e, the seed's c1/d1, F_DM, |f_ion|², W1,
K, millicharge), ``tables`` (packaged per-subshell R00 tables: frozen-core DHF, and RPA for Ge and
Xe below 0.4 keV), ``rates`` (dR/dT and totals
per subshell), ``absorption`` (dark-photon and ALP absorption from the photoionization
cross section), ``hydrogen`` (the seed's e-vs-p toy model with reduced-mass kinematics),
``sterile_line`` (sterile-neutrino dark matter converting on shell: the decay line in a target).
Imported on first use (see :mod:`nuatom._lazy`).
"""
from nuatom._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    'halo': ['StandardHalo', 'SHM', 'TabulatedHalo', 'CallableHalo', 'eta_shm_s_per_km',
             'shm_speed_distribution', 'eta_numeric_s_per_km', 'earth_speed_km_s'],
    'conventions': ['Q_REF_KEV', 'reduced_mass_keV', 'f_dm_sq', 'sigma_e_from_c1_cm2',
                    'c1_from_sigma_e_per_keV2', 'sigma_e_from_d1_cm2', 'd1_from_sigma_e',
                    'sigma_e_millicharge_cm2', 'epsilon_from_sigma_e_millicharge', 'f_ion_sq_from_S',
                    'S_from_f_ion_sq', 'W1_from_S', 'K_from_S', 'S_from_K', 'MEDIATORS',
                    'sigma_e_from_c4_cm2', 'sigma_e_from_d4_cm2'],
    'tables': ['METHODS', 'dm_response_table', 'ChargeResponse', 'charge_response', 'available_elements'],
    'rates': ['OPERATORS', 'DMSpectrum', 'v_min_km_s', 'q_range_keV', 'T_max_keV', 'atoms_per_kg',
              'dR_dT_subshell', 'dm_electron_spectrum', 'rate_prefactor'],
    'absorption': ['MEDIUM_DENSITY_G_CM3', 'photo_cross_section_cm2', 'self_energy_keV2',
                   'dark_photon_rate_per_kg_day', 'alp_rate_per_kg_day'],
    'observables': ['W_XENON_KEV', 'F_E_XENON', 'XENON_EXTRA_QUANTA', 'electron_number_pmf',
                    'xenon_electron_rates'],
    'export': ['export_ionization_factors', 'read_ionization_factors'],
    'sterile_line': ['sterile_number_density_per_cm3', 'on_shell_rate_per_kg_day', 'narrow_width_parameter',
                     'line_spectrum_per_kg_day_keV', 'transition_moment_weights',
                     'off_shell_spectrum_per_kg_day_keV'],
    'hydrogen': ['hydrogen_1s_S1_au', 'MP_KEV', 'M_H_KEV', 'MU_EP_KEV', 'hydrogen_response_electron_per_keV',
                 'hydrogen_response_proton_per_keV', 'hydrogen_rate_per_atom_day', 'hydrogen_ep_ratio',
                 'hydrogen_threshold_keV'],
})
