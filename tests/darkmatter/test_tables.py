"""The packaged per-subshell R00 tables: integrity, reproducibility from the code, and agreement
with the independent run behind the packaged all-component response tables."""
from __future__ import annotations

import concurrent.futures as cf

import numpy as np
import pytest

import nuatom
from nuatom.darkmatter import tables as dt
from nuatom.response.tables import ENGINE_REVISION


@pytest.mark.parametrize("element", ["Ge", "Xe", "Na", "Ar", "I", "Cs"])
def test_table_metadata_and_every_subshell(element):
    table = dt.dm_response_table(element)  # checksum verified on load
    assert table.metadata["engine_revision"] == ENGINE_REVISION
    assert table.metadata["version"] == nuatom.__version__
    assert table.basis == (("C", "C"),)
    atom_labels = {"Ge": 12, "Xe": 17, "Na": 5, "Ar": 7, "I": 17, "Cs": 18}[element]
    assert len(table.subshells) == atom_labels and bool(table.converged.all())
    # each subshell is zero below its own threshold and positive just above it
    S = np.stack([table.components("vector", subshell=s, components=("R00",))["R00"] for s in table.subshells])
    for i, Eb in enumerate(table.binding_keV):
        below = table.T_keV < Eb
        assert np.all(S[i, below] == 0.0)
        above = np.flatnonzero(table.T_keV > Eb)
        if above.size:
            assert S[i, above[0]].max() > 0


def test_corrupted_table_is_refused(tmp_path):
    table = dt.dm_response_table("Xe")
    table.sums_per_keV = table.sums_per_keV.copy()
    path = table.save(tmp_path / "x.npz")
    import json, zipfile  # noqa: E401
    data = dict(np.load(path, allow_pickle=False))
    data["sums_per_keV"][0, 0, -1, 0] += 1.0
    np.savez_compressed(path, **data)
    from nuatom.response.tables import ResponseTable
    with pytest.raises(ValueError, match="checksum"):
        ResponseTable.load(path)


def test_lowest_row_reproduced_by_the_code():
    """Recompute the Xe 5p_3/2 column at the lowest T with the package (same options):
    agreement to 1e-9 (same code, same grids; only summation order may differ)."""
    table = dt.dm_response_table("Xe")
    atom = nuatom.atom("Xe")
    with cf.ThreadPoolExecutor(1) as ex:
        fresh = nuatom.tabulate(atom, table.T_keV[:1], table.q_keV, components=("R00",), currents=("vector",),
                                subshells=["5p_3/2"], executor=ex, cache=False, progress=False)
    i = table.subshells.index("5p_3/2")
    np.testing.assert_allclose(fresh.sums_per_keV[0, 0, 0], table.sums_per_keV[i, 0, 0], rtol=1e-9, atol=0)


@pytest.mark.parametrize("element", ["Ge", "Xe"])
def test_agrees_with_the_packaged_response_tables(element):
    """nuatom/data/response/<El>.npz is a separate run (all 20 multipole sums, engine revision 3,
    another q grid). At the energy transfers both grids share (1.02 x each threshold) the atom's
    R00 summed over our subshells agrees with it, after interpolating its dense q grid (72 per
    decade) in ln-ln to our q values. Linear interpolation of ln R in ln q errs by at most
    (h^2/8) max|d^2 ln R/d(ln q)^2| between two nodes h apart: small on smooth stretches, up
    to a few per cent at the sharp minima of a subshell's response in q (measured: median
    deviation 1e-4, largest 2.2 % for Ge at 1.48 keV, q = 38 keV). Each point must agree
    within 1e-3 + 2x that bound, the curvature taken from the reference grid itself."""
    ours = dt.dm_response_table(element)
    ref = nuatom.response_table(element)
    R_ours = ours.components("vector", components=("R00",))["R00"]
    R_ref = ref.components("vector", components=("R00",))["R00"]
    qmask = (ours.q_keV > 3.0) & (ours.q_keV < 300.0)
    lq_ref = np.log(ref.q_keV)
    lq = np.log(ours.q_keV[qmask])
    k = np.searchsorted(lq_ref, lq)
    shared = [(i, int(np.argmin(abs(ref.T_keV - T)))) for i, T in enumerate(ours.T_keV)
              if np.min(abs(ref.T_keV - T)) < 1e-9 * T]
    assert len(shared) >= 3
    for i, j in shared:
        lr = np.log(np.maximum(R_ref[j], 1e-300))
        interp = np.exp(np.interp(lq, lq_ref, lr))
        d2 = np.zeros_like(lr)
        d2[1:-1] = np.abs(np.diff(lr, 2)) / (np.diff(lq_ref)[1:] * np.diff(lq_ref)[:-1])
        h = lq_ref[k] - lq_ref[k - 1]
        bound = h * h / 8 * np.maximum.reduce([d2[k - 2], d2[k - 1], d2[k], d2[np.minimum(k + 1, d2.size - 1)]])
        dev = np.abs(R_ours[i, qmask] / interp - 1)
        assert np.median(dev) < 1e-3
        assert np.all(dev <= 1e-3 + 2 * bound), (ours.T_keV[i], dev.max())


def test_methods():
    with pytest.raises(ValueError, match="no packaged 'rpa'"):
        dt.dm_response_table("Na", method="rpa")
    assert dt.available_elements("rpa") == ["Ge", "Xe"]
    with pytest.raises(ValueError, match="method"):
        dt.dm_response_table("Xe", method="hf")
    with pytest.raises(ValueError, match="no packaged"):
        dt.dm_response_table("W")


@pytest.mark.parametrize("element", ["Na", "Ar", "I", "Cs", "Ge", "Xe"])
def test_small_q_limit_is_the_length_gauge_photoabsorption(element):
    """At the smallest tabulated momentum (1 keV/c = 0.27 bohr^-1) the charge response of the
    atom is the dipole limit, R00/q^2 -> sigma_length(omega = T)/(4 pi^2 alpha T) (a.u.),
    with sigma the frozen-core DHF E1 cross section in the length gauge from the
    photoionization module. This is a consistency check of the tables (grids, assembly,
    normalization), not an independent one: both modules use the same continuum solver
    and multipole operators. The independent checks of the physics are in the
    photoionization tests (Henke, Chantler) and the sum-rule tests.
    Away from the outer-shell region (T >= 0.2 keV) and from the edges (not within 30 %
    above a Koopmans threshold) the O(q^2 <r^2>) multipole corrections stay small:
    measured 0.08-1.6 % (Na 1.6 % at 0.22 keV; Ar, I, Cs, Ge, Xe <= 1.05 %; Cs 0.40-0.52 %), asserted 2.5 %. Near thresholds (Ar 52 eV, the 3p Cooper
    minimum region: +26 %; I 0.215 keV, just above 4s: +3.5 %) they are not small and no
    comparison is made."""
    from nuatom.units import ALPHA, BARN_CM2, BOHR_CM, HARTREE_KEV, kev_to_hartree, q_kev_to_au

    table = dt.dm_response_table(element)
    T = table.T_keV
    R00 = sum(table.components("vector", subshell=s, components=("R00",))["R00"] for s in table.subshells)
    just_above_an_edge = [np.any((T[i] > table.binding_keV) & (T[i] < 1.3 * table.binding_keV)) for i in range(T.size)]
    rows = [i for i in range(T.size) if T[i] >= 0.2 and not just_above_an_edge[i]][::3]
    assert len(rows) >= 3
    sigma_barn = nuatom.photoionization(nuatom.atom(element), T[rows], method="dhf", only_e1=True,
                                        gauge="length").sigma_barn
    q_au = q_kev_to_au(table.q_keV[0])
    for i, s_barn in zip(rows, sigma_barn):
        T_ha = kev_to_hartree(T[i])
        dipole_limit = s_barn * BARN_CM2 / BOHR_CM**2 / (4 * np.pi**2 * ALPHA * T_ha) * q_au**2
        assert R00[i, 0] * HARTREE_KEV == pytest.approx(dipole_limit, rel=0.025), T[i]
