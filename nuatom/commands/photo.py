"""``nuatom photo``: photoionization cross sections (frozen-core DHF or relativistic RPA)."""
from __future__ import annotations

from nuatom.continuum.photoionization import photoionization
from ._common import float_list
from .atom import add_structure_arguments, build_atom

NAME = "photo"
HELP = "photoionization cross section (barn per atom) with per-subshell breakdown"


def add_arguments(p) -> None:
    p.add_argument("element", help="element symbol or Z")
    p.add_argument("--omega", type=float_list, required=True, help="photon energies in keV, comma-separated")
    p.add_argument("--method", choices=("rpa", "dhf"), default="rpa",
                   help="relativistic RPA (default: electric dipole correlated, every shell "
                        "polarised, open shells by the average of configuration; higher multipoles "
                        "frozen-core) or frozen-core Dirac-Hartree-Fock (all multipoles)")
    p.add_argument("--gauge", choices=("velocity", "length"), default="velocity")
    p.add_argument("--no-hole", action="store_true", help="continuum in the neutral-atom field (V^N)")
    p.add_argument("--no-cache", action="store_true",
                   help="with --method rpa: do not read or write the disk cache")
    add_structure_arguments(p)


def run(args) -> dict:
    from nuatom._validate import continuum_energy

    # the photoelectron energy is below omega: refuse before the atom or any continuum grid
    # is built (omega = 1e12 keV once asked for a 682 TiB grid)
    continuum_energy("--omega", args.omega, "keV")
    atom = build_atom(args)
    if args.no_hole and args.method == "rpa":
        raise ValueError("--no-hole: only with --method dhf (RPA polarises every subshell in the "
                         "field of the ion)")
    extra = {"cache": not args.no_cache} if args.method == "rpa" else {}
    result = photoionization(atom, args.omega, method=args.method, gauge=args.gauge,
                             hole=not args.no_hole, **extra)
    return {**result.to_dict(), "method": args.method}
