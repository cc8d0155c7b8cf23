"""Shared helpers of the analytic oracles: integer and charge validation, quadrature settings."""
from __future__ import annotations

from typing import Literal

import numpy as np

from nuatom._validate import positive_array

VoloshinWeight = Literal["nmm", "weak"]

# quad settings for the smooth one-dimensional integrals below: relative 1e-12 leaves four
# orders of magnitude below the 1e-8 accuracy promised by the Voloshin-ratio docstrings.
QUAD = {"epsabs": 0.0, "epsrel": 1e-12, "limit": 400}


# --------------------------------------------------------------------------------------
# small validation helpers (integers are not covered by nuatom._validate)
# --------------------------------------------------------------------------------------
def integer_array(name: str, value, minimum: int | None = None) -> np.ndarray:
    arr = np.asarray(value)
    as_float = np.asarray(arr, dtype=float)
    if np.any(~np.isfinite(as_float)) or np.any(as_float != np.round(as_float)):
        bad = as_float[~np.isfinite(as_float) | (as_float != np.round(as_float))].ravel()[0]
        raise ValueError(f"{name} = {bad!r} is not an integer")
    ints = np.round(as_float).astype(np.int64)
    if minimum is not None and np.any(ints < minimum):
        bad = ints[ints < minimum].ravel()[0]
        raise ValueError(f"{name} = {bad} is outside the valid range [{minimum}, inf)")
    return ints


def nuclear_charge(Z) -> np.ndarray:
    return positive_array("Z", Z, "(nuclear charge in units of e)")


def voloshin_weight(weight: str) -> str:
    if weight not in ("nmm", "weak"):
        raise ValueError(f"weight = {weight!r} is not one of ['nmm', 'weak']")
    return weight


def as_output(arr: np.ndarray):
    return float(arr) if np.ndim(arr) == 0 else arr
