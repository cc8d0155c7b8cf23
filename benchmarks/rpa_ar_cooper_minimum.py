"""Ar 3p Cooper minimum in RRPA (length gauge, all shells polarised): 3p partial and total (Mb)."""
import sys
import time

import nuatom
from nuatom.continuum.rpa import rpa_response
from nuatom.units import BOHR_CM, BARN_CM2, HARTREE_EV

ar = nuatom.atom("Ar")
conv = BOHR_CM**2 / BARN_CM2 / 1e6
for e in [float(x) for x in sys.argv[1].split(",")]:
    t = time.perf_counter()
    r = rpa_response(ar, e / HARTREE_EV, gauge="length")
    s = {k: v * conv for k, v in r.subshell_sigma_au.items()}
    print(f"{e:6.1f} eV  3p {s['3p_1/2'] + s['3p_3/2']:.4f}  3s {s['3s_1/2']:.4f}  total {r.sigma_au * conv:.4f} Mb"
          f"  its {r.iterations}  {time.perf_counter() - t:.1f} s", flush=True)
