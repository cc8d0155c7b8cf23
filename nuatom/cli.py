"""The ``nuatom`` command (also ``python -m nuatom``).

Subcommands live one per module in :mod:`nuatom.commands`; each module defines
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> dict``. With ``--json``
the dict is printed as one JSON object (non-finite numbers as ``null``); without it, as
``key: value`` lines.

Exit status: 0 on success; 2 with one line on stderr for a usage error or an invalid
value (``nuatom <command>: error: ...``, never a traceback); 130 / 143 with one line after
Ctrl-C / SIGTERM (worker processes are stopped first); 1 with one line for an unexpected
failure (``NUATOM_DEBUG=1`` shows its traceback).
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import math
import os
import pkgutil
import signal
import sys
import threading

from nuatom import __version__
from nuatom import commands
from nuatom.numerics.memory import keep_freed_memory


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error message (the usage text is one ``--help`` away)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {_one_line(message)} (see '{self.prog} --help')\n")


class Interrupted(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM / SIGHUP, so that ``finally`` blocks (which stop
    worker pools) run as for Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _one_line(text) -> str:
    return " ".join(str(text).split())


def _command_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{commands.__name__}.{info.name}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nuatom",
        description="Neutrino–atom ionization: free-electron and ab initio cross sections.")
    parser.add_argument("--version", action="version", version=f"nuatom {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)
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
        return _jsonable(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None  # JSON has no NaN/inf (e.g. a quantity that does not apply)
    return obj


@contextlib.contextmanager
def _signals_raise():
    """SIGTERM and SIGHUP raise :class:`Interrupted` in the main thread (restored after)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Interrupted(signum)

    previous = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    prog = f"nuatom {args.command}"
    # one calculation per process: keep freed large arrays for reuse (RRPA solves and
    # response chunks allocate the same ones many times; nuatom.numerics.memory)
    keep_freed_memory()
    try:
        with _signals_raise():
            result = _jsonable(args._run(args))
    except ValueError as exc:
        parser.exit(2, f"{prog}: error: {_one_line(exc)}\n")
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        name = signal.Signals(signum).name
        parser.exit(128 + int(signum), f"{prog}: interrupted by {name}; worker processes stopped\n")
    except MemoryError:
        parser.exit(1, f"{prog}: error: out of memory; ask for fewer or smaller values\n")
    except Exception as exc:  # noqa: BLE001 - one line instead of a traceback
        if os.environ.get("NUATOM_DEBUG"):
            raise
        parser.exit(1, f"{prog}: internal error: {type(exc).__name__}: {_one_line(exc)} "
                       "(NUATOM_DEBUG=1 shows the traceback; please report it)\n")
    if args.json:
        json.dump(result, sys.stdout, allow_nan=False)
        sys.stdout.write("\n")
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
