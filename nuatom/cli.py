"""The ``nuatom`` command (also ``python -m nuatom``).

Subcommands live one per module in :mod:`nuatom.commands`; each module defines
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> dict``. With ``--json``
the dict is printed as one JSON object; without it, as ``key: value`` lines.
"""
from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys

from nuatom import __version__
from nuatom import commands


def _command_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{commands.__name__}.{info.name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nuatom",
        description="Neutrino–atom ionization: free-electron and ab initio cross sections.")
    parser.add_argument("--version", action="version", version=f"nuatom {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _command_modules():
        # argparse %-formats help strings: escape a literal "%" (e.g. "90% CL") in HELP
        p = sub.add_parser(module.NAME, help=module.HELP.replace("%", "%%"), description=module.HELP)
        module.add_arguments(p)
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(_run=module.run)
    return parser


def _jsonable(obj):
    import numpy as np

    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = _jsonable(args._run(args))
    except ValueError as exc:
        parser.exit(2, f"nuatom {args.command}: error: {exc}\n")
    if args.json:
        json.dump(result, sys.stdout)
        sys.stdout.write("\n")
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
