"""Detector observables of DM–electron scattering: the number of ionization electrons in liquid xenon.

**Secondary-quanta model** of Essig, Volansky & Yu :cite:`Essig2017` (their Sec. III): an
electron ionized from shell (n, l) with recoil energy E_e = T − E_B produces
:math:`n_q = n^{(1)}_{nl} + \\lfloor E_e/W\\rfloor` further quanta, W = 13.8 eV the mean energy per
quantum in LXe; :math:`n^{(1)}_{nl}` = 4 (4d), 6 (4p), 3 (4s) counts the quanta of the
de-excitation photons/Auger electrons that fill the hole, 0 for 5p and 5s. Each quantum
is an electron (not a scintillation photon) with probability
:math:`f_e = (1 - f_R)/(1 + N_{ex}/N_i) = 0.83` (no recombination, :math:`f_R = 0`;
:math:`N_{ex}/N_i = 0.2`), so the number of electrons is :math:`n_e = 1 + {\\rm Binomial}(n_q, f_e)`.
The same parameters are used by ``obscura`` (T. Emken). Essig et al. did not treat the n ≤ 3
shells; here they get :math:`n^{(1)} = 0` (their contribution below 1 GeV is < 0.1 %), which
underestimates their electron number; that is stated, not modelled.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from nuatom.darkmatter.rates import DMSpectrum

__all__ = ["W_XENON_KEV", "F_E_XENON", "XENON_EXTRA_QUANTA", "electron_number_pmf", "xenon_electron_rates"]

#: Mean energy per quantum in liquid xenon (keV) and the probability that a quantum is an electron.
W_XENON_KEV = 13.8e-3
F_E_XENON = (1.0 - 0.0) / (1.0 + 0.2)
#: Extra quanta from the de-excitation of the hole, per nl shell (Essig, Volansky & Yu 2017).
XENON_EXTRA_QUANTA = {"5p": 0, "5s": 0, "4d": 4, "4p": 6, "4s": 3}


def electron_number_pmf(n_e, E_e_keV, shell_nl: str):
    """P(n_e | E_e, shell) of the secondary-quanta model (n_e >= 1)."""
    E = np.asarray(E_e_keV, float)
    n_q = XENON_EXTRA_QUANTA.get(shell_nl, 0) + np.floor(np.maximum(E, 0.0) / W_XENON_KEV)
    return stats.binom.pmf(np.asarray(n_e) - 1, n_q, F_E_XENON)


def xenon_electron_rates(spectrum: DMSpectrum, n_e_max: int = 15, n_T: int = 4000) -> dict:
    """Rates (events/kg/day) with n_e = 1..n_e_max ionization electrons, per nl shell and total.

    ``spectrum`` must be a Xe :class:`DMSpectrum` on a T grid fine enough to integrate over
    (e.g. the default 200 log points); dR/dT is interpolated linearly in T onto ``n_T``
    points per shell (the floor function makes the integrand step-wise in E_e).
    """
    if spectrum.inputs.get("element") != "Xe":
        raise ValueError(f"element = {spectrum.inputs.get('element')!r}: the secondary-quanta model is for xenon")
    ne = np.arange(1, int(n_e_max) + 1)
    out: dict = {}
    T = spectrum.T_keV
    for label, Eb, dR in zip(spectrum.subshells, spectrum.binding_keV, spectrum.dR_dT_per_kg_day_keV):
        if not np.any(dR > 0):
            continue
        nl = label.split("_")[0]
        Tf = np.linspace(Eb, min(T[-1], spectrum.T_end_keV), n_T)
        if Tf[-1] <= Eb:
            continue
        y = np.interp(Tf, T, dR, left=0.0, right=0.0)
        P = electron_number_pmf(ne[:, None], Tf[None, :] - Eb, nl)
        out[nl] = out.get(nl, 0.0) + np.trapezoid(P * y[None, :], Tf, axis=1)
    out["total"] = sum(v for v in out.values()) if out else np.zeros(ne.size)
    out["n_e"] = ne
    return out
