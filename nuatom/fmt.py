"""Deterministic number formatting for the book and the CLI.

Book chapters print every number that matters through :func:`sig`, so that nbval
compares the same digits on every machine (``conventions.md``, Book).
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["sig", "sig_list", "table"]


def sig(value, digits: int = 6) -> str:
    """Format ``value`` with ``digits`` significant figures (scientific when needed)."""
    value = float(value)
    if value == 0.0 or not math.isfinite(value):
        return f"{value:g}"
    exponent = math.floor(math.log10(abs(value)))
    if -3 <= exponent < digits:
        decimals = max(digits - 1 - exponent, 0)
        return f"{value:.{decimals}f}"
    return f"{value:.{digits - 1}e}"


def sig_list(values, digits: int = 6) -> str:
    """Format a sequence of numbers as ``[a, b, ...]`` with :func:`sig`."""
    return "[" + ", ".join(sig(v, digits) for v in np.ravel(values)) + "]"


def table(rows, headers, digits: int = 6) -> str:
    """Plain-text table; floats go through :func:`sig`, everything else through ``str``."""
    cells = [[sig(c, digits) if isinstance(c, (float, np.floating)) else str(c) for c in row]
             for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h))
              for i, h in enumerate(headers)]
    line = "  ".join(str(h).rjust(w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(out)
