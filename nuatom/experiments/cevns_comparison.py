"""CEvNS against ν–e ionization in the same detector: rates in electron-equivalent energy
and 90 % CL sensitivities to μ_ν, δ_Q and ⟨r²⟩ from each channel.

The nuclear recoil T_nr is seen as E_ee = Y(T_nr) T_nr (:mod:`nuatom.neutrino.quenching`);
the CEvNS rate per keV_ee is dR/dT_nr / (dE_ee/dT_nr). Both channels are folded with the
same detector (resolution, bins, exposure, flat background: :mod:`detector`) and analysed
with the same binned likelihood (:mod:`stats`); ⟨r²⟩ is in the Vogel–Engel convention in
both. The ionization side is :func:`nuatom.experiments.sensitivity.differential_rate`
with any registered method (``fea`` by default, ab initio tables where registered).
"""
from __future__ import annotations

import numpy as np

from nuatom.experiments import detector as det
from nuatom.experiments import sensitivity as sens
from nuatom.experiments import stats
from nuatom._validate import choice
from nuatom.neutrino import cevns, quenching
from nuatom.neutrino.properties import NeutrinoProperties

__all__ = ["cevns_rate_ee", "energy_grid_ee", "cevns_binned_model", "channel_sensitivities"]

#: Reference values (as in :data:`sensitivity.PARAMETERS`): field name and the step used
#: to extract the exact quadratic coefficients.
PARAMETERS = sens.PARAMETERS


def _element(target) -> str:
    tgt = det.target(target) if isinstance(target, str) else target
    if len(tgt.composition) != 1:
        raise ValueError(f"target = {tgt!r}: the CEvNS comparison handles one-element targets (Ge, Xe)")
    return tgt.composition[0][0]


def cevns_rate_ee(source, target, E_ee_keV, *, quench: quenching.Quenching | None = None,
                  neutrino: NeutrinoProperties = NeutrinoProperties(), process: str = "total", **options):
    """CEvNS rate dR/dE_ee in events per kg per day per keV_ee at electron-equivalent ``E_ee_keV``.

    ``quench`` defaults to Lindhard with the element's k (0.157 for Ge, 0.166 for Xe).
    """
    el = _element(target)
    q = quenching.lindhard(el) if quench is None else quench
    fn = lambda T: cevns.differential_rate_per_kg_day_keV(source, el, T, neutrino, process=process, **options)
    return q.rate_ee(np.asarray(E_ee_keV, float), fn)


def energy_grid_ee(detector: det.Detector, n_points: int = 120) -> np.ndarray:
    """Log grid of true electron-equivalent energies covering the window (±6σ of resolution)."""
    lo, hi = detector.threshold_keV, detector.max_energy_keV
    if detector.resolution is not None:
        lo = max(lo - 6.0 * float(detector.resolution.sigma_keV(lo)), 0.2 * lo)
        hi = hi + 6.0 * float(detector.resolution.sigma_keV(hi))
    return np.geomspace(max(lo, 1e-4), hi, int(n_points))


def cevns_binned_model(detector: det.Detector, source, parameter: str, *,
                       quench: quenching.Quenching | None = None, E_grid=None,
                       interference: bool = True, **options) -> stats.BinnedModel:
    """:class:`stats.BinnedModel` of the CEvNS counts in ``detector`` for one EM parameter.

    Same construction as :func:`sensitivity.binned_model` (three rate evaluations give the
    exact quadratic coefficients), with the CEvNS rate in keV_ee as the signal.
    """
    key = choice("parameter", parameter, PARAMETERS)
    field_name, ref = PARAMETERS[key]
    grid = energy_grid_ee(detector) if E_grid is None else E_grid

    def counts(nu):
        return sens.binned_counts(lambda E: cevns_rate_ee(source, detector.target, E, quench=quench,
                                                          neutrino=nu, **options), detector, grid)

    c0 = counts(NeutrinoProperties())
    cp = counts(NeutrinoProperties(**{field_name: ref}))
    if key == "mu_nu":
        s1, s2 = np.zeros_like(c0), (cp - c0) / ref**2
    else:
        cm = counts(NeutrinoProperties(**{field_name: -ref}))
        s1 = (cp - cm) / (2 * ref) if interference else np.zeros_like(c0)
        s2 = (cp + cm - 2 * c0) / (2 * ref**2)
    tau = None if detector.off_exposure_kg_day is None else detector.off_exposure_kg_day / detector.exposure_kg_day
    return stats.BinnedModel(c0, s1, s2, detector.background_counts(), tau,
                             two_sided=(key != "mu_nu" and interference))


def channel_sensitivities(detector: det.Detector, source, *, method: str = "fea",
                          quench: quenching.Quenching | None = None, parameters=("mu_nu", "delta_q")) -> dict:
    """90 % CL sensitivities (Asimov SM data) of the CEvNS and the ionization channel.

    Returns ``{parameter: {"cevns": x, "ionization": y, "cevns_sm_counts": n, "ionization_sm_counts": m}}``
    with μ_ν in μ_B, δ_Q in e, ⟨r²⟩ in cm² (for the signed parameters, max(|lower|, |upper|)).
    The two channels are analysed separately (no combination) with the same detector.
    """
    out = {}
    el = _element(detector.target)
    T_grid = sens.true_energy_grid(detector, [el])
    E_grid = energy_grid_ee(detector)
    for key in parameters:
        field_name, ref = PARAMETERS[key]
        mc = cevns_binned_model(detector, source, key, quench=quench, E_grid=E_grid)

        def ion(nu):
            return sens.binned_counts(lambda T: sens.differential_rate(source, detector.target, T, method=method,
                                                                       neutrino=nu), detector, T_grid)

        c0, cp = ion(NeutrinoProperties()), ion(NeutrinoProperties(**{field_name: ref}))
        if key == "mu_nu":
            mi = stats.BinnedModel(c0, np.zeros_like(c0), (cp - c0) / ref**2, detector.background_counts(),
                                   mc.tau, two_sided=False)
        else:
            cm = ion(NeutrinoProperties(**{field_name: -ref}))
            mi = stats.BinnedModel(c0, (cp - cm) / (2 * ref), (cp + cm - 2 * c0) / (2 * ref**2),
                                   detector.background_counts(), mc.tau, two_sided=True)

        def limit(m):
            return stats.upper_limit(m) if key == "mu_nu" else stats.interval(m).effective

        out[key] = {"cevns": limit(mc), "ionization": limit(mi),
                    "cevns_sm_counts": float(np.sum(mc.s0)), "ionization_sm_counts": float(np.sum(mi.s0))}
    return out
