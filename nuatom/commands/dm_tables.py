"""``nuatom dm-tables``: export per-subshell ionization factors (S, |f_ion|², W1, K) as open CSV tables."""
from __future__ import annotations

NAME = "dm-tables"
HELP = ("write per-subshell DM ionization factors (S = R00, Essig |f_ion|^2 = Catena W1, Roberts K) "
        "as CSV files with a REFERENCE.md")


def add_arguments(p) -> None:
    p.add_argument("element", help="element with a packaged table (Ge, Xe)")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--method", choices=("dhf", "rpa"), default="dhf",
                   help="atomic response: frozen-core DHF, or rpa (RRPA-corrected; Ge and Xe, "
                        "T up to about 0.4 keV)")


def run(args) -> dict:
    from nuatom.darkmatter.export import export_ionization_factors

    paths = export_ionization_factors(args.out, args.element, method=args.method)
    return {"files": [str(p) for p in paths]}
