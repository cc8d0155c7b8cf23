"""``nuatom dm-rate``: DM–electron ionization rate of a target, per subshell (events per kg per day)."""
from __future__ import annotations

from ._common import float_list

NAME = "dm-rate"
HELP = ("dark matter-electron scattering: dR/dT (events/kg/day/keV), total and per-subshell rates "
        "(events/kg/day) in the standard halo")


def add_arguments(p) -> None:
    p.add_argument("element", help="target element symbol (packaged tables: Ge, Xe, Na, Ar, I)")
    p.add_argument("--m-chi-MeV", type=float, required=True, help="DM mass in MeV")
    p.add_argument("--sigma-e", type=float, required=True,
                   help="reference cross section sigma_e at q = alpha m_e, in cm^2")
    p.add_argument("--mediator", choices=("heavy", "light"), default=None,
                   help="heavy: F_DM = 1; light: F_DM = (alpha m_e/q)^2 (default heavy, or as implied by --operator)")
    p.add_argument("--operator", choices=("c1", "d1", "c4", "d4"), default=None,
                   help="the seed's operator: c1 (contact), d1/q^2 (long range), or their spin-dependent c4, d4/q^2 "
                        "(non-relativistic spin reduction; --sigma-e is then the spin-averaged cross section)")
    p.add_argument("--rho", type=float, default=0.3, help="local DM density in GeV/cm^3 (default 0.3)")
    p.add_argument("--v0", type=float, default=238.0, help="SHM v0 in km/s (default 238)")
    p.add_argument("--vE", type=float, default=250.2, help="Earth speed in km/s (default 250.2)")
    p.add_argument("--vesc", type=float, default=544.0, help="escape speed in km/s (default 544)")
    p.add_argument("--method", choices=("dhf", "rpa"), default="dhf",
                   help="atomic response: frozen-core DHF, or rpa (RRPA-corrected; Ge and Xe, "
                        "m_chi up to about 110 MeV)")
    p.add_argument("--T", type=float_list, default=None,
                   help="energy transfers in keV, comma-separated (default: 200 points from the "
                        "first threshold to the kinematic end point)")


def run(args) -> dict:
    from nuatom.darkmatter.halo import StandardHalo
    from nuatom.darkmatter.rates import dm_electron_spectrum

    halo = StandardHalo(rho_GeV_cm3=args.rho, v0_km_s=args.v0, vE_km_s=args.vE, vesc_km_s=args.vesc)
    mediator = args.mediator if args.mediator is not None or args.operator is not None else "heavy"
    spec = dm_electron_spectrum(args.element, args.m_chi_MeV, args.sigma_e, mediator=mediator,
                                operator=args.operator, T_keV=args.T, halo=halo, method=args.method)
    return {"T_keV": spec.T_keV, "dR_dT_per_kg_day_keV": spec.total_dR_dT,
            "rate_per_kg_day": spec.total_rate_per_kg_day, "subshells": spec.by_subshell()}
