"""How well the reference momentum grid resolves the Bethe ridge: dσ/dT from the packaged
table against the same response on a q grid refined around the ridge.

At fixed T the response of an electron with momentum spread p peaks at the free-electron
ridge :math:`q_* = \\sqrt{2m_eT + T^2}` with a width of order p (its Compton profile). The
reference grid (``reference_q_grid_keV``, 72 per decade over 2-500 keV: 3.2 % steps) samples
the ridge of the outer shells (p of a few keV) with one or two points once
:math:`p/q_* \\lesssim 3\\%`, i.e. T above a few keV. This benchmark recomputes the response at
table nodes on the reference grid plus 60 points over :math:`[0.85, 1.15]\\,q_*` and prints
weak dσ/dT (ν̄_e, E_ν = 1 MeV) of both, and the FEA (DHF thresholds) for scale.

Run by hand (about 1-3 min per energy transfer on one core)::

    .venv/bin/python benchmarks/bench_q_resolution.py Ge 2.08 5.40 9.56 16.93 24.79
"""
from __future__ import annotations

import concurrent.futures as cf
import sys
import time

import numpy as np

import nuatom
from nuatom.neutrino import fea, xsec
from nuatom.response import reference_q_grid_keV, reference_table, tabulate

E_NU_KEV = 1000.0
M_E_KEV = 510.99895


def refined_q_grid_keV(T_keV: float) -> np.ndarray:
    ridge = np.sqrt(2.0 * M_E_KEV * T_keV + T_keV**2)
    return np.unique(np.concatenate([reference_q_grid_keV(), np.geomspace(0.85 * ridge, 1.15 * ridge, 60)]))


def main(element: str, T_list) -> None:
    ref = reference_table(element)
    print(f"{element}: weak dσ/dT (cm²/keV per atom), ν̄_e, E_ν = {E_NU_KEV:g} keV")
    print("   T (keV)   table q grid    refined grid   table/refined-1   FEA/refined-1   time (s)")
    for T_req in T_list:
        j = int(np.argmin(np.abs(ref.T_keV - T_req)))
        T = float(ref.T_keV[j])
        t0 = time.perf_counter()
        with cf.ProcessPoolExecutor(1) as pool:
            fine = tabulate(nuatom.atom(element), np.array([T]), refined_q_grid_keV(T), executor=pool,
                            progress=False)
        wall = time.perf_counter() - t0
        coarse = xsec.dsigma_dT("weak", E_NU_KEV, [T], xsec.reference_response(element), "nuebar")[0]
        refined = xsec.dsigma_dT("weak", E_NU_KEV, [T], xsec.TableResponse(fine.summed()), "nuebar")[0]
        free = fea.dsigma_dT_fea(element, "weak", E_NU_KEV, np.array([T]), "nuebar", binding="dhf")[0]
        print(f"  {T:8.4g}   {coarse:.5e}   {refined:.5e}   {coarse / refined - 1:+.2e}        "
              f"{free / refined - 1:+.2e}       {wall:.0f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], [float(t) for t in sys.argv[2:]] or [2.08, 5.40, 9.56, 16.93, 24.79])
