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


def neutrino_from(args):
    """The :class:`~nuatom.neutrino.properties.NeutrinoProperties` named by the CLI flags."""
    from nuatom.neutrino.properties import DEFAULT_NEUTRINO_MASS_KEV, NeutrinoProperties

    return NeutrinoProperties(flavor=args.flavor, mu_nu_muB=args.mu_nu, delta_q=args.delta_q,
                              r2_cm2=args.r2, sin2_theta_w=args.sin2, g_V=args.g_V, g_A=args.g_A,
                              mass_keV=getattr(args, "m_nu", DEFAULT_NEUTRINO_MASS_KEV))
