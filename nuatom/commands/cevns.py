"""``nuatom cevns``: coherent elastic neutrino–nucleus scattering (cross section or rate)."""
from __future__ import annotations

from nuatom import units
from nuatom.neutrino.properties import FLAVORS
from ._common import float_list

NAME = "cevns"
HELP = ("coherent elastic ν–nucleus scattering: dσ/dT_nr (cm²/keV) at one E_ν, or the rate "
        "(per kg per day) from a reactor, solar-8B or SNS source")

SOURCES = ("reactor", "solar-8B", "sns")


def add_arguments(p) -> None:
    p.add_argument("target", help="element ('Ge': natural abundances) or isotope ('Ge72')")
    p.add_argument("--E-nu", dest="E_nu", type=float, default=None, help="neutrino energy in keV")
    p.add_argument("--T", dest="T", type=float_list, default=None,
                   help="nuclear recoil energies in keV_nr, comma-separated")
    p.add_argument("--process", default="total",
                   choices=("weak", "nmm", "millicharge", "charge-radius", "total"))
    p.add_argument("--mu-nu", dest="mu_nu", type=float, default=0.0, help="magnetic moment in μ_B")
    p.add_argument("--delta-q", dest="delta_q", type=float, default=0.0, help="millicharge in units of e")
    p.add_argument("--r2", dest="r2", type=float, default=0.0,
                   help="charge radius <r²> in cm² (Vogel–Engel convention, as `nuatom free`)")
    p.add_argument("--form-factor", dest="form_factor", default="helm", choices=("helm", "klein-nystrand"))
    p.add_argument("--couplings", default="tree", choices=("tree", "corrected"))
    p.add_argument("--flavor", default=None, choices=sorted(FLAVORS),
                   help="neutrino flavour for --E-nu (default nuebar); ignored with --source")
    p.add_argument("--sin2-theta-w", dest="sin2", type=float, default=units.SIN2_THETA_W)
    p.add_argument("--T-min", dest="T_min", type=float, default=0.0,
                   help="lower recoil limit of sigma_total in keV_nr (needed with --mu-nu)")
    p.add_argument("--source", default=None, choices=SOURCES)
    p.add_argument("--threshold-keV-nr", dest="threshold", type=float, default=0.0,
                   help="recoil threshold in keV_nr for the rate")
    p.add_argument("--flux", type=float, default=None,
                   help="total flux (reactor, solar-8B) or flux per flavour (sns) in cm^-2 s^-1")


def _neutrino(args, flavor):
    from nuatom.neutrino.properties import NeutrinoProperties

    return NeutrinoProperties(flavor=flavor, mu_nu_muB=args.mu_nu, delta_q=args.delta_q,
                              r2_cm2=args.r2, sin2_theta_w=args.sin2)


def _source(args):
    from nuatom.neutrino import sources

    if args.source == "reactor":
        flux = 1.5e13 if args.flux is None else args.flux
        return sources.reactor_source(flux_cm2_s=flux), {"flux_cm2_s": flux}
    if args.source == "sns":
        flux = sources.SNS_FLUX_PER_FLAVOR_CM2_S if args.flux is None else args.flux
        return sources.sns_source(flux), {"flux_per_flavor_cm2_s": flux,
                                          "prompt_numu_keV": sources.prompt_numu_energy_keV()}
    src = sources.solar_b8_broad_source()
    if args.flux is not None:
        from nuatom._validate import positive_array

        flux = float(positive_array("--flux", args.flux, "cm^-2 s^-1"))
        c = src.continua[0]
        src = sources.NeutrinoSource(src.name, (type(c)(c.name, flux, c.shape, c.E_min_keV, c.E_max_keV,
                                                        c.breakpoints_keV, c.flavor),), (), src.arrival,
                                     src.description)
    return src, {"flux_cm2_s": src.total_flux_cm2_s, "model": "B16-GS98 flux, 8B via the broad 8Be(2+) state, MSW-LMA"}


def run(args) -> dict:
    from nuatom.neutrino import cevns
    from nuatom.neutrino.nuclear_form_factors import NuclearModel

    nuclear = NuclearModel(args.form_factor)
    options = dict(process=args.process, nuclear=nuclear, couplings=args.couplings)
    if args.source is not None:
        if args.E_nu is not None or args.T is not None:
            raise ValueError("--source computes a rate; give either --source or (--E-nu and --T), not both")
        src, echo = _source(args)
        nu = _neutrino(args, "nuebar")
        rate = cevns.rate_per_kg_day(src, args.target, args.threshold, nu, n_points=64, **options)
        return {"target": args.target, "source": args.source, **echo,
                "threshold_keV_nr": args.threshold, "process": args.process,
                "form_factor": args.form_factor, "couplings": args.couplings,
                "rate_per_kg_day": rate, "rate_per_tonne_year": rate * 1000.0 * 365.25}
    if args.E_nu is None or args.T is None:
        raise ValueError("give --E-nu KEV and --T LIST (a cross section) or --source "
                         f"{{{','.join(SOURCES)}}} (a rate)")
    nu = _neutrino(args, args.flavor or "nuebar")
    ds = cevns.dsigma_dT_nr(args.target, args.E_nu, args.T, nu, **options)
    try:
        sigma = cevns.sigma_total_cm2(args.target, args.E_nu, nu, T_min_keV=args.T_min, **options)
    except ValueError:
        if args.T_min != 0.0 or args.mu_nu == 0.0:
            raise
        sigma = float("nan")  # printed as null: log-divergent without --T-min
    return {"target": args.target, "flavor": nu.flavor, "process": args.process, "E_nu_keV": args.E_nu,
            "T_keV_nr": list(args.T), "dsigma_dT_cm2_per_keV": [float(v) for v in ds],
            "sigma_total_cm2": sigma, "T_min_keV_nr": args.T_min, "per": "nucleus"}
