"""Detector: targets, resolution, response matrix, ON/OFF subtraction."""
import numpy as np
import pytest
from scipy import stats

from nuatom.experiments import detector as det


def test_atoms_per_mass():
    # reference-values §5.5: 1 kg Ge = 8.292e24 atoms, 1 t Xe = 4.587e27 atoms (A = 72.63, 131.293)
    assert det.target("Ge").atoms_per_kg("Ge") == pytest.approx(8.292e24, rel=2e-4)
    assert det.target("Xe").atoms_per_kg("Xe") * 1000 == pytest.approx(4.587e27, rel=2e-4)
    csi = det.target("CsI")
    assert csi.atoms_per_kg("Cs") == csi.atoms_per_kg("I")
    # independent arithmetic: 108 electrons per CsI, M = 132.905 + 126.904 g/mol
    assert csi.electrons_per_kg() == pytest.approx(108 * 6.02214076e23 * 1000 / (132.90545 + 126.90447), rel=1e-6)
    with pytest.raises(ValueError, match="target"):
        det.target("NaI")
    with pytest.raises(ValueError, match="element"):
        csi.atoms_per_kg("Ge")


def test_resolutions():
    xe = det.StochasticResolution(0.31, 0.0037)
    assert xe.sigma_keV([1.0, 10.0]) == pytest.approx([0.3137, 0.31 * np.sqrt(10) + 0.037])
    ge = det.GermaniumResolution(0.05, 0.11, 2.97e-3)
    assert ge.sigma_keV(10.0) == pytest.approx(np.sqrt(0.05**2 + 0.11 * 2.97e-3 * 10.0))
    # FWHM of a Ge detector at 1.33 MeV with F = 0.11, 50 eV noise: ~1.5 keV (textbook magnitude)
    assert 2.355 * ge.sigma_keV(1332.0) == pytest.approx(1.55, rel=0.05)


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
