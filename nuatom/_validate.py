"""Input validation shared by the public wrappers (kernels never validate)."""
from __future__ import annotations

import numpy as np


def nonnegative_array(name: str, value, unit: str) -> np.ndarray:
    """Return ``value`` as a float64 array; raise ``ValueError`` for NaN or negative entries."""
    arr = np.asarray(value, dtype=float)
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} contains NaN; expected finite values >= 0 {unit}")
    if np.any(arr < 0):
        bad = arr[arr < 0].ravel()[0]
        raise ValueError(f"{name} = {bad:g} {unit} is negative; expected values >= 0 {unit}")
    return arr


def positive_array(name: str, value, unit: str) -> np.ndarray:
    """Return ``value`` as a float64 array; raise ``ValueError`` unless every entry is > 0 and finite."""
    arr = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(arr)) or np.any(arr <= 0):
        bad = arr[~(np.isfinite(arr) & (arr > 0))].ravel()[0]
        raise ValueError(f"{name} = {bad:g} {unit} is outside the valid range (0, inf) {unit}")
    return arr


def finite_scalar(name: str, value, unit: str = "") -> float:
    """Return ``value`` as a float; raise ``ValueError`` if it is not a finite number."""
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} = {value!r} is not a number {unit}".rstrip()) from exc
    if not np.isfinite(x):
        raise ValueError(f"{name} = {x} {unit} must be finite".rstrip())
    return x


def choice(name: str, value: str, allowed) -> str:
    """Return ``value`` lower-cased if it is one of ``allowed``; otherwise raise ``ValueError``."""
    key = str(value).strip().lower()
    if key not in allowed:
        raise ValueError(f"{name} = {value!r} is not one of {sorted(allowed)}")
    return key
