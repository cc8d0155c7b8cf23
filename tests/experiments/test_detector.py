"""Detector: targets, resolution, response matrix, ON/OFF subtraction."""
import numpy as np
import pytest
from scipy import stats

from nuatom.experiments import detector as det


def test_atoms_per_mass():
    # reference-values §5.5: 1 kg Ge = 8.292e24 atoms, 1 t Xe = 4.587e27 atoms (A = 72.63,
    # 131.293). Both quoted to 4 digits, i.e. to within 6.0e-5 and 1.1e-4 relative (half a
    # unit of the last digit); measured -5.6e-5 and -4.5e-5. 7e-5 / 1.1e-4 (was 2e-4).
    assert det.target("Ge").atoms_per_kg("Ge") == pytest.approx(8.292e24, rel=7e-5)
    assert det.target("Xe").atoms_per_kg("Xe") * 1000 == pytest.approx(4.587e27, rel=1.1e-4)
    # and N_A / A with the IUPAC standard atomic weights (72.630(8), 131.293(6)): the
    # atomic-weight uncertainty, 1.1e-4 for Ge, bounds any difference of table version
    assert det.target("Ge").atoms_per_kg("Ge") == pytest.approx(6.02214076e26 / 72.630, rel=1.1e-4)
    assert det.target("Xe").atoms_per_kg("Xe") == pytest.approx(6.02214076e26 / 131.293, rel=5e-5)
    csi = det.target("CsI")
    assert csi.atoms_per_kg("Cs") == csi.atoms_per_kg("I")
    # independent arithmetic: 108 electrons per CsI, M = 132.905 + 126.904 g/mol
    assert csi.electrons_per_kg() == pytest.approx(108 * 6.02214076e23 * 1000 / (132.90545 + 126.90447), rel=1e-6)
    with pytest.raises(ValueError, match="target"):
        det.target("NaI")
    with pytest.raises(ValueError, match="element"):
        csi.atoms_per_kg("Ge")


def test_resolutions():
    """Resolutions against hand-computed values of the published parametrizations (not the
    formulas re-typed): XENON100 (Aprile et al., PRD 90, 062009 (2014)) sigma/E =
    0.31/sqrt(E/keV) + 0.0037, so sigma(1 keV) = 0.3137 keV, sigma(100 keV) = 3.1 + 0.37 =
    3.47 keV; Ge: sigma^2 = sigma_noise^2 + F eps E (Fano statistics of E/eps pairs, Knoll,
    Radiation Detection and Measurement, ch. 12), so sigma(0) = sigma_noise and, with
    F eps = 0.11 x 2.97e-3 keV = 3.267e-4 keV, sigma(1332 keV)^2 = 0.0025 + 0.4351644 =
    0.4376644 keV^2, FWHM = 2 sqrt(2 ln 2) sigma = 2.354820 x 0.6615621 = 1.557860 keV
    (the ideal-Fano limit; real coaxial HPGe detectors quote 1.7-2.0 keV, adding
    charge-collection terms that the model omits). Hand arithmetic to 7 digits: rel 1e-6
    (was rel 0.05 around a "textbook magnitude" 1.55)."""
    xe = det.StochasticResolution(0.31, 0.0037)
    assert xe.sigma_keV([1.0, 100.0]) == pytest.approx([0.3137, 3.47], rel=1e-12)
    ge = det.GermaniumResolution(0.05, 0.11, 2.97e-3)
    assert ge.sigma_keV(0.0) == pytest.approx(0.05, rel=1e-12)
    assert ge.sigma_keV(1332.0) ** 2 == pytest.approx(0.4376644, rel=1e-7)
    assert 2.0 * np.sqrt(2.0 * np.log(2.0)) * ge.sigma_keV(1332.0) == pytest.approx(1.557860, rel=1e-6)


def test_response_matrix_against_scipy():
    edges = np.linspace(1.0, 5.0, 9)
    T = np.array([0.5, 2.2, 4.9, 7.0])
    res = det.StochasticResolution(0.31, 0.0037)
    M = det.response_matrix(T, edges, res)
    s = res.sigma_keV(T)
    ref = np.array([[stats.norm.cdf(b, t, si) - stats.norm.cdf(a, t, si) for t, si in zip(T, s)]
                    for a, b in zip(edges[:-1], edges[1:])])
    assert np.allclose(M, ref, atol=1e-14)
    assert M[:, 1].sum() == pytest.approx(stats.norm.cdf(5, 2.2, s[1]) - stats.norm.cdf(1, 2.2, s[1]))
    sharp = det.response_matrix(T, edges, None)
    assert sharp.sum(axis=0).tolist() == [0, 1, 1, 0]


def _detector(**kw):
    args = dict(target=det.target("Ge"), resolution=None, threshold_keV=1.0, max_energy_keV=3.0,
                bin_width_keV=0.5, background_per_kg_keV_day=2.0, exposure_kg_day=100.0,
                off_exposure_kg_day=50.0, efficiency=0.8)
    args.update(kw)
    return det.Detector(**args)


def test_detector_bins_background_and_on_off():
    d = _detector()
    assert np.allclose(d.bin_edges_keV, [1.0, 1.5, 2.0, 2.5, 3.0])
    assert np.allclose(d.background_counts(), 2.0 * 0.5 * 100 * 0.8)
    sig = np.array([10.0, 5.0, 2.0, 1.0])
    oo = det.on_off_counts(d, sig)
    rate, sd = oo.subtracted_rate()
    assert np.allclose(rate, sig / 100.0)                   # Asimov ON-OFF = signal rate
    b_on, b_off = d.background_counts(), d.background_counts(50.0)
    assert np.allclose(sd, np.sqrt((sig + b_on) / 100**2 + b_off / 50**2))


@pytest.mark.parametrize("kw,msg", [({"threshold_keV": -1.0}, "threshold_keV"),
                                    ({"max_energy_keV": 0.5}, "max_energy_keV"),
                                    ({"efficiency": 1.5}, "efficiency"),
                                    ({"background_per_kg_keV_day": -1.0}, "background"),
                                    ({"off_exposure_kg_day": 0.0}, "off_exposure")])
def test_detector_validation(kw, msg):
    with pytest.raises(ValueError, match=msg):
        _detector(**kw)
    with pytest.raises(ValueError, match="OFF"):
        det.on_off_counts(_detector(off_exposure_kg_day=None), np.zeros(4))
