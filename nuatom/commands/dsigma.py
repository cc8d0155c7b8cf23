"""``nuatom dsigma``: neutrino-impact ionization dσ/dT per atom (any element up to U; tables for Ge, Xe, Cs, I)."""
from __future__ import annotations

from nuatom.neutrino import free
from nuatom import units
from nuatom.neutrino import xsec
from nuatom.neutrino.properties import FLAVORS
from ._common import float_list, neutrino_from

NAME = "dsigma"
HELP = "dσ/dT per atom for ν + A -> ν' + A+ + e- (cm²/keV): ab initio (frozen-core DHF), FEA, EPA, LPA"


def add_arguments(p) -> None:
    p.add_argument("element", help="element symbol or Z, 1..92 (packaged reference tables: Ge, Xe, Cs, I; "
                                   "other elements compute every energy transfer)")
    p.add_argument("--process", default="weak", choices=xsec.PROCESSES,
                   help="weak (incl. charge radius/NSI), nmm, millicharge, charge-radius (photon terms "
                        "alone), or total (all, with interference)")
    p.add_argument("--flavor", default="nuebar", choices=sorted(FLAVORS))
    p.add_argument("--E-nu", dest="E_nu", type=float, required=True, help="neutrino energy in keV")
    p.add_argument("--T", dest="T", type=float_list, required=True,
                   help="energy transfers in keV, comma-separated (Ge, Xe, Cs, I: interpolated between "
                        "the reference table's nodes, never across a threshold; where it cannot "
                        "interpolate, and with --exact, the response is computed and cached, "
                        "1-30 s per value)")
    p.add_argument("--method", default="ab-initio", choices=xsec.METHODS,
                   help="ab-initio (= dhf): frozen-core DHF; rpa: relativistic RPA, only at the energy "
                        "transfers of the packaged RPA response columns (Ge, Xe; see "
                        "nuatom.neutrino.xsec.rpa_column_energies_keV); fea, epa, lpa: approximations")
    p.add_argument("--mu-nu", dest="mu_nu", type=float, default=0.0, help="magnetic moment in μ_B")
    p.add_argument("--delta-q", dest="delta_q", type=float, default=0.0, help="millicharge in units of e")
    p.add_argument("--r2", dest="r2", type=float, default=0.0, help="charge radius <r²> in cm² (Vogel–Engel)")
    p.add_argument("--m-nu", dest="m_nu", type=float, default=xsec.DEFAULT_NEUTRINO_MASS_KEV,
                   help="neutrino mass in keV (regulates the millicharge forward logarithm)")
    p.add_argument("--sin2-theta-w", dest="sin2", type=float, default=units.SIN2_THETA_W)
    p.add_argument("--g-V", dest="g_V", type=float, default=None, help="NSI override of g_V")
    p.add_argument("--g-A", dest="g_A", type=float, default=None, help="NSI override of g_A")
    p.add_argument("--fea-binding", dest="fea_binding", default="edges", choices=("edges", "dhf"))
    p.add_argument("--exact", action="store_true",
                   help="compute the response at every energy transfer off the reference grid "
                        "instead of interpolating (see nuatom.neutrino.xsec.ionization_dsigma_dT)")


def run(args) -> dict:
    values = xsec.ionization_dsigma_dT(
        args.element, args.process, args.E_nu, args.T, neutrino_from(args), method=args.method,
        fea_binding=args.fea_binding, exact=args.exact)
    return {"element": args.element, "process": args.process, "flavor": args.flavor,
            "method": args.method, "exact": bool(args.exact), "E_nu_keV": args.E_nu, "T_keV": list(args.T),
            "dsigma_dT_cm2_per_keV": [float(v) for v in values], "per": "atom"}
