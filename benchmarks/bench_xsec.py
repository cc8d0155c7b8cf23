"""Benchmark of the cross-section integration: the reference-table q grid against a grid
three times denser, for Xe and Ge at one energy transfer each, and the timing of dσ/dT.

Run by hand (a few minutes on two cores)::

    .venv/bin/python benchmarks/bench_xsec.py
"""
from __future__ import annotations

import concurrent.futures as cf
import time

import numpy as np

import nuatom
from nuatom.neutrino import xsec
from nuatom.response import reference_table, tabulate
from nuatom.response.tables import REFERENCE_Q_PIECES

CASES = (("weak", {}), ("nmm", {"mu_nu_muB": 1e-11}), ("millicharge", {"delta_q": 1e-12}))


def dense_q_grid(factor: int = 3) -> np.ndarray:
    pieces = []
    for a, b, per_decade, endpoint in REFERENCE_Q_PIECES:
        n = max(2, int(round(factor * per_decade * np.log10(b / a))) + 1)
        pieces.append(np.geomspace(a, b, n)[: None if endpoint else -1])
    return np.concatenate(pieces)


def main():
    print("Cross-section integration benchmark (nuatom", nuatom.__version__, ")")
    for element, T_target in (("Xe", 9.5), ("Ge", 1.0)):
        ref = reference_table(element)
        T = float(ref.T_keV[np.argmin(np.abs(ref.T_keV - T_target))])
        t0 = time.perf_counter()
        with cf.ProcessPoolExecutor(2) as ex:
            dense = tabulate(nuatom.atom(element), [T], dense_q_grid(), executor=ex, progress=False).summed()
        t_tab = time.perf_counter() - t0
        r_ref, r_dense = xsec.TableResponse(ref), xsec.TableResponse(dense)
        print(f"  {element}, T = {T:.4g} keV: dense table ({dense.q_keV.size} q) in {t_tab:.0f} s wall")
        for process, kw in CASES:
            t0 = time.perf_counter()
            a = xsec.dsigma_dT(process, 1000.0, [T], r_ref, "nuebar", **kw)[0]
            t_x = time.perf_counter() - t0
            b = xsec.dsigma_dT(process, 1000.0, [T], r_dense, "nuebar", **kw)[0]
            print(f"    {process:12s} E = 1 MeV: reference grid / 3x denser - 1 = {a / b - 1:+.2e}"
                  f"   (dσ/dT {a:.4e} cm²/keV; {1e3 * t_x:.0f} ms per T)")


if __name__ == "__main__":
    main()
