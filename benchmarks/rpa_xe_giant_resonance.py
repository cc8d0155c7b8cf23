"""Xe 4d giant resonance in RRPA (length gauge, all shells polarised unless min_n given): Mb."""
import sys
import time

import nuatom
from nuatom.continuum.rpa import RPAOptions, rpa_response
from nuatom.units import BOHR_CM, BARN_CM2, HARTREE_EV

xe = nuatom.atom("Xe")
conv = BOHR_CM**2 / BARN_CM2 / 1e6
min_n = int(sys.argv[2]) if len(sys.argv) > 2 else 1
for e in [float(x) for x in sys.argv[1].split(",")]:
    t = time.perf_counter()
    r = rpa_response(xe, e / HARTREE_EV, gauge="length", options=RPAOptions(min_n=min_n))
    s = {k: v * conv for k, v in r.subshell_sigma_au.items()}
    print(f"{e:6.1f} eV  4d {s['4d_3/2'] + s['4d_5/2']:.4f}  5p {s['5p_1/2'] + s['5p_3/2']:.4f}  5s {s['5s_1/2']:.4f}"
          f"  total {r.sigma_au * conv:.4f} (pol {r.sigma_polarizability_au * conv:.4f}) Mb  its {r.iterations}"
          f"  {time.perf_counter() - t:.1f} s  points {r.grid_points}", flush=True)
