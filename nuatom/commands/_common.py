"""Argument helpers shared by the subcommands."""
from __future__ import annotations

import argparse


#: Most values one comma-separated list may hold (bounded memory and run time).
MAX_LIST_VALUES = 10_000


def float_list(text: str) -> list[float]:
    """Parse ``"1,10,100"`` into ``[1.0, 10.0, 100.0]`` (argparse type).

    Non-finite values (``nan``, ``inf``) are passed on: the function that receives them
    names the argument and its valid range."""
    items = [v for v in text.split(",") if v.strip()]
    if len(items) > MAX_LIST_VALUES:
        raise argparse.ArgumentTypeError(f"{len(items)} values is outside the valid range "
                                         f"[1, {MAX_LIST_VALUES}] of one list")
    try:
        values = [float(v) for v in items]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text[:80]!r}") from exc
    if not values:
        raise argparse.ArgumentTypeError("expected at least one number")
    return values


def workers(value) -> int:
    """Validated ``--workers`` (0 = one per core)."""
    import os

    from nuatom._validate import bounded_int

    return bounded_int("--workers", value, 0, max(64, 4 * (os.cpu_count() or 1)),
                       " (0: one per core)")


def points(value) -> int:
    """Validated ``--points`` of the radial grid (bounded memory)."""
    from nuatom._validate import MAX_GRID_POINTS, bounded_int

    return bounded_int("--points", value, 64, MAX_GRID_POINTS)


def neutrino_from(args):
    """The :class:`~nuatom.neutrino.properties.NeutrinoProperties` named by the CLI flags."""
    from nuatom.neutrino.properties import DEFAULT_NEUTRINO_MASS_KEV, NeutrinoProperties

    return NeutrinoProperties(flavor=args.flavor, mu_nu_muB=args.mu_nu, delta_q=args.delta_q,
                              r2_cm2=args.r2, sin2_theta_w=args.sin2, g_V=args.g_V, g_A=args.g_A,
                              mass_keV=getattr(args, "m_nu", DEFAULT_NEUTRINO_MASS_KEV))
