"""``nuatom atom``: Dirac–Hartree–Fock ground state of an atom."""
from __future__ import annotations

from dataclasses import replace

from nuatom.structure.atoms import DEFAULT_GRID, atom
from ._common import points

NAME = "atom"
HELP = "Dirac-Hartree-Fock ground state: total energy and orbital energies (Hartree)"


def add_arguments(p) -> None:
    p.add_argument("element", help="element symbol or Z (H..U, Z = 1..92)")
    add_structure_arguments(p)


def add_structure_arguments(p) -> None:
    """Options shared by every subcommand that builds an atom."""
    p.add_argument("--nonrelativistic", action="store_true",
                   help="non-relativistic Hartree-Fock (c -> infinity)")
    p.add_argument("--nucleus", choices=("point", "uniform", "fermi"), default="fermi",
                   help="nuclear charge model (default: Fermi, t = 2.3 fm)")
    p.add_argument("--configuration", default=None, help='e.g. "[Ar]3d10.4s2.4p2" (default: ground state)')
    p.add_argument("--points", type=int, default=DEFAULT_GRID.n_points, help="radial grid points")


def build_atom(args):
    grid = replace(DEFAULT_GRID, n_points=points(args.points))
    return atom(args.element, relativistic=not args.nonrelativistic, nucleus=args.nucleus,
                configuration=args.configuration, grid=grid)


def run(args) -> dict:
    return build_atom(args).to_dict()
