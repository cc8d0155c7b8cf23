"""CLI subcommands, one module each (discovered automatically by :mod:`nuatom.cli`)."""
