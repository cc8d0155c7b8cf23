"""Liquid-xenon electron numbers: the Essig-Volansky-Yu secondary-quanta model applied to nuatom's spectra."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from nuatom.darkmatter import observables as ob
from nuatom.darkmatter import rates as R


def test_model_parameters():
    # Essig, Volansky & Yu, PRD 96, 043017 (2017): W = 13.8 eV, f_R = 0, N_ex/N_i = 0.2
    assert ob.W_XENON_KEV == 13.8e-3 and ob.F_E_XENON == pytest.approx(1 / 1.2, rel=1e-15)
    assert ob.XENON_EXTRA_QUANTA == {"5p": 0, "5s": 0, "4d": 4, "4p": 6, "4s": 3}


def test_pmf_mean_and_normalization():
    # E_e = 50 eV in 4d: n_q = 4 + floor(50/13.8) = 7 quanta, <n_e> = 1 + 7 f_e
    n = np.arange(1, 30)
    p = ob.electron_number_pmf(n, 0.050, "4d")
    assert p.sum() == pytest.approx(1.0, abs=1e-14)
    assert (n * p).sum() == pytest.approx(1 + 7 / 1.2, rel=1e-12)
    np.testing.assert_allclose(p[:8], stats.binom.pmf(np.arange(8), 7, 1 / 1.2), rtol=1e-14)


def test_electron_spectrum_conserves_the_rate():
    """Summed over n_e, the electron-number rates return the total rate: to 1 % (the n_e sum
    re-integrates the 200-point dR/dT by the trapezoid rule, the total uses Gauss-Legendre)."""
    spec = R.dm_electron_spectrum("Xe", 100.0, 1e-37)
    out = ob.xenon_electron_rates(spec, n_e_max=60)
    assert out["total"].sum() == pytest.approx(spec.total_rate_per_kg_day, rel=1e-2)
    # the outer shells give mostly 1-2 electrons; 4d (4 extra quanta) peaks at n_e = 5
    assert np.argmax(out["5p"]) == 0 and np.argmax(out["4d"]) == 4


def test_refuses_other_elements():
    spec = R.dm_electron_spectrum("Ge", 100.0, 1e-37)
    with pytest.raises(ValueError, match="xenon"):
        ob.xenon_electron_rates(spec)
