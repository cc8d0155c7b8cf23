"""RPA response functions at finite momentum transfer (nuatom.response.rpa).

Neon at T = 3 Ha (82 eV), where the frozen core is far off (in the neutral-atom field V^N
its photoabsorption is a factor 1.7 above the RRPA and gauge dependent by a factor 2; the
frozen base of the assembled response is the ion's field, method "dhf").
Independent references: current conservation (a law the exact states obey and the RPA
inherits, Thouless 1961) and the RRPA photoabsorption cross section by another operator (E1 at
the photon point, velocity gauge) for the long-wavelength limit. The agreement of the
low-J frozen sums with the response engine is a consistency check only: both use the same
continuum solver and multipole operators, with different quadratures and assembly.
"""
import math

import numpy as np
import pytest

import nuatom
from nuatom.continuum.rpa import RPAOptions, rpa_response
from nuatom.response.rpa import RPAResponseOptions, rpa_response_point
from nuatom.response.engine import ResponseOptions
from nuatom.units import ALPHA, C_AU

T_HA = 3.0
Q_AU = np.array([0.05, 0.3])


@pytest.fixture(scope="module")
def neon_point():
    return rpa_response_point(nuatom.atom("Ne"), T_HA, Q_AU, kinds=("C", "L"))


@pytest.mark.slow
def test_assembled_rpa_response_conserves_the_current(neon_point):
    # c^2 q^2 R33 = omega^2 R00 and c q R03+30 = 2 omega R00 for a conserved vector current.
    # RPA (J <= 3 dressed, J > 3 frozen): measured 7.1e-9 (q = 0.05) and 2.9e-7 (q = 0.3; the
    # frozen J > 3 remainder), asserted 1e-5. Frozen core (ion field, method "dhf"): -4.9 % and
    # -5.1 % (asserted beyond 1 %: four orders of magnitude from the RPA's 1e-5). (In the
    # neutral-atom field V^N the frozen core misses by -46 %.)
    rpa = neon_point.components("vector", components=("R00", "R0303", "R33"))
    frozen = neon_point.components("vector", method="frozen", components=("R00", "R0303", "R33"))
    x = C_AU * Q_AU / T_HA
    assert np.max(np.abs(x**2 * rpa["R33"] / rpa["R00"] - 1)) < 1e-5
    assert np.max(np.abs(x * rpa["R0303"] / (2 * rpa["R00"]) - 1)) < 1e-5
    assert np.min(np.abs(x**2 * frozen["R33"] / frozen["R00"] - 1)) > 1e-2


@pytest.mark.slow
def test_long_wavelength_limit_is_the_rrpa_photoabsorption(neon_point):
    # R00(T, q)/q^2 -> sigma(omega = T) / (4 pi^2 alpha omega) as q -> 0, with sigma the RRPA
    # E1 cross section in the velocity gauge (transverse operator, photon momentum): a
    # different operator and drive. Measured 8.4e-4 at q = 0.05 and 2.5e-2 at q = 0.3,
    # the O(q^2 <r^2>) multipole correction (ratio 30 against q^2 ratio 36). Asserted: 2e-3
    # at q = 0.05, and the q^2 scaling within 25 %.
    r00 = neon_point.components("vector", components=("R00",))["R00"]
    sigma = rpa_response(nuatom.atom("Ne"), T_HA, gauge="velocity").sigma_au
    dev = 4 * math.pi**2 * ALPHA * T_HA * r00 / Q_AU**2 / sigma - 1
    assert abs(dev[0]) < 2e-3
    assert dev[1] / dev[0] == pytest.approx((Q_AU[1] / Q_AU[0]) ** 2, rel=0.25)


@pytest.mark.slow
def test_frozen_low_multipoles_agree_with_the_engine(neon_point):
    # Consistency, not independence (same continuum solver and operators): the RPA
    # machinery without induced potential, in the ion's field (J <= 3), against the response
    # engine's method "dhf" sums of every J (its own radial quadrature, partial-wave windows and Bessel blocks):
    # at q = 0.05 the J >= 4 terms are ~(q r)^8 ~ 1e-10 of the total. Measured <= 3.9e-8 for every
    # subshell and bilinear sum, asserted 1e-6 (continuum tolerance 1e-8 of the engine).
    for label, S in neon_point.frozen.items():
        if label not in neon_point.frozen_low_J:
            assert np.all(S == 0.0), label          # 1s is closed at 82 eV
            continue
        np.testing.assert_allclose(neon_point.frozen_low_J[label][:, 0], S[:, 0], rtol=1e-6, atol=0)


def test_options_are_validated():
    with pytest.raises(ValueError, match="J_max"):
        RPAResponseOptions(J_max=-1)
    with pytest.raises(ValueError, match="hole"):
        RPAResponseOptions(frozen=ResponseOptions(hole=False))
    with pytest.raises(ValueError, match="hole"):
        RPAOptions(induced=True, hole=True)
    ne = nuatom.atom("Ne")
    with pytest.raises(ValueError, match="T_hartree"):
        rpa_response_point(ne, -1.0, [1.0])
    with pytest.raises(ValueError, match="q_au"):
        rpa_response_point(ne, 1.0, [0.0])


@pytest.mark.slow
def test_cli_response_method_rpa(capsys):
    # `nuatom response --method rpa` (Ne, T = 3 Ha, q = 0.05 and 0.3 /bohr as above). Units:
    # the frozen-core base of the same RPA points, converted by the command's code, equals
    # the command's --method dhf output (measured: identical to 2.2e-16; asserted 1e-10, the
    # engine is deterministic). Physics: the RPA output conserves the vector current
    # (measured 7.1e-9 and 2.9e-7, as the assembled test above; asserted 1e-5), which the
    # frozen core misses by 4.9-5.1 %.
    import json

    from nuatom import cli
    from nuatom.commands.response import rpa_components
    from nuatom.units import HARTREE_KEV, q_au_to_kev

    T_keV = [float(T_HA * HARTREE_KEV)]
    q_keV = [float(v) for v in q_au_to_kev(Q_AU)]
    argv = ["response", "Ne", "--T", repr(T_keV[0]), "--q", ",".join(map(repr, q_keV)), "--json"]
    assert cli.main(argv + ["--method", "rpa"]) == 0
    rpa = json.loads(capsys.readouterr().out)
    assert cli.main(argv + ["--method", "dhf", "--workers", "1"]) == 0
    dhf = json.loads(capsys.readouterr().out)
    assert rpa["method"] == "rpa" and dhf["method"] == "dhf" and rpa["converged"]
    frozen = rpa_components(nuatom.atom("Ne"), T_keV, q_keV, "vector", 1.0, 1.0)["frozen"]
    for c in ("R00", "R0303", "R33", "R1122"):
        np.testing.assert_allclose(frozen[c], dhf[c], rtol=1e-10, atol=0)
    x = np.array(q_keV) / T_keV[0]
    R00, R33 = np.array(rpa["R00"][0]), np.array(rpa["R33"][0])
    assert np.max(np.abs(x**2 * R33 / R00 - 1)) < 1e-5
    assert np.min(np.abs(x**2 * np.array(dhf["R33"][0]) / np.array(dhf["R00"][0]) - 1)) > 1e-2


@pytest.mark.parametrize("extra, message", [(["--no-hole"], "--no-hole is valid with --method dhf only"),
                                            (["--nonrelativistic"], "needs a relativistic atom")])
def test_cli_response_method_rpa_refuses(extra, message, capsys):
    from nuatom import cli

    with pytest.raises(SystemExit) as exc:
        cli.main(["response", "H", "--T", "0.1", "--q", "1", "--method", "rpa", *extra])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
