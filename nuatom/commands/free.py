"""``nuatom free``: neutrino scattering on one free electron at rest."""
from __future__ import annotations

from nuatom.neutrino import free
from nuatom import units
from nuatom.neutrino.properties import FLAVORS
from ._common import float_list, neutrino_from

NAME = "free"
HELP = "dσ/dT per electron for ν–e scattering on a free electron at rest (cm²/keV)"


def add_arguments(p) -> None:
    p.add_argument("--flavor", default="nuebar", choices=sorted(FLAVORS))
    p.add_argument("--process", default="total", choices=free.PROCESSES,
                   help="weak (incl. charge radius/NSI), nmm, millicharge, or total (with interference)")
    p.add_argument("--E-nu", dest="E_nu", type=float, required=True, help="neutrino energy in keV")
    p.add_argument("--T", dest="T", type=float_list, required=True, help="recoil energies in keV, comma-separated")
    p.add_argument("--mu-nu", dest="mu_nu", type=float, default=0.0, help="magnetic moment in μ_B")
    p.add_argument("--delta-q", dest="delta_q", type=float, default=0.0, help="millicharge in units of e")
    p.add_argument("--r2", dest="r2", type=float, default=0.0, help="charge radius <r²> in cm² (Vogel–Engel convention)")
    p.add_argument("--sin2-theta-w", dest="sin2", type=float, default=units.SIN2_THETA_W)
    p.add_argument("--g-V", dest="g_V", type=float, default=None, help="NSI override of g_V")
    p.add_argument("--g-A", dest="g_A", type=float, default=None, help="NSI override of g_A")


def run(args) -> dict:
    values = free.dsigma_dT(args.process, args.E_nu, args.T, neutrino_from(args))
    return {
        "flavor": args.flavor, "process": args.process, "E_nu_keV": args.E_nu,
        "T_keV": list(args.T), "dsigma_dT_cm2_per_keV": [float(v) for v in values],
        "per": "electron",
    }
