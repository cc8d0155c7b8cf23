"""Analytic oracles: exact hydrogen-like results that the numerical code is tested against.

Everything here is in **Hartree atomic units** (:math:`m_e = \\hbar = e = 1`, energies in
Hartree, lengths in bohr, momenta in 1/bohr, :math:`c = 1/\\alpha` =
:data:`nuatom.units.C_AU`); the only exceptions carry the unit in their name
(``..._cm2``). ``Z`` is always the *nuclear* charge of a one-electron (hydrogen-like)
ion, in units of e; it need not be an integer.

Modules
-------
Dirac bound states
    :func:`dirac_hydrogenic_energy_hartree` (point nucleus, rest mass excluded, accurate to
    a few ulp even for Z = 1).
Nonrelativistic wave functions
    :func:`hydrogenic_energy_hartree`, :func:`hydrogenic_radial_wavefunction` (R_nl),
    :func:`coulomb_continuum_radial_function` (u_El normalized per unit energy).
Photoabsorption from 1s
    :func:`hydrogen_1s_photoionization_cm2` (Stobbe), the continuum oscillator-strength
    density and the discrete oscillator strengths.
Charge response of 1s (per unit energy transfer)
    elastic form factor, 1s → n form factors summed over (l, m), continuum response
    S(q, T) of Landau & Lifshitz §148, Rydberg sums with their n⁻³ tail, continuum moments.
Voloshin's sum rules for hydrogen
    the two ratios of :cite:`Voloshin2010` (Eqs. 12 and 15) at fixed T, their integrands,
    the same integrals for the discrete lines, and the exact sum rules that say where the
    missing strength goes. See :func:`hydrogen_1s_voloshin_ratio_nmm` for why the ratios
    are not 1 near threshold.

Nothing here is compiled or cached: these are slow-but-obviously-correct references.
"""
from nuatom._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    'dirac_coulomb': ['dirac_hydrogenic_energy_hartree'],
    'hydrogen_states': ['hydrogenic_energy_hartree', 'hydrogenic_radial_wavefunction', 'coulomb_phase_shift', 'coulomb_continuum_radial_function'],
    'hydrogen_photo': ['hydrogen_1s_continuum_oscillator_strength_density_per_hartree', 'hydrogen_1s_photoionization_cm2', 'hydrogen_1s_bound_oscillator_strength'],
    'hydrogen_response': ['hydrogen_1s_elastic_form_factor', 'hydrogen_1s_bound_form_factor_sq', 'hydrogen_1s_continuum_response_per_hartree', 'hydrogen_1s_bound_excitation_sum', 'hydrogen_1s_continuum_moment'],
    'hydrogen_voloshin': ['hydrogen_1s_voloshin_integrand', 'hydrogen_1s_voloshin_ratio_nmm', 'hydrogen_1s_voloshin_ratio_weak', 'hydrogen_1s_voloshin_ratio_threshold', 'hydrogen_1s_bound_voloshin_integral', 'hydrogen_1s_bound_voloshin_sum', 'hydrogen_1s_voloshin_stepping_sum_rule'],
}, extra={'VoloshinWeight': '_common'})
