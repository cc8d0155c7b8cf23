"""Argument helpers shared by the subcommands."""
from __future__ import annotations

import argparse


def float_list(text: str) -> list[float]:
    """Parse ``"1,10,100"`` into ``[1.0, 10.0, 100.0]`` (argparse type)."""
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from exc
    if not values:
        raise argparse.ArgumentTypeError("expected at least one number")
    return values
