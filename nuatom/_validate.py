"""Input validation shared by the public wrappers (kernels never validate).

Every error is a ``ValueError`` that names the argument, the offending value and the
valid range. The budgets below bound what one request may allocate: a request beyond
them is refused *before* anything is allocated, with an error that says what to change.
"""
from __future__ import annotations

import numpy as np

#: Largest continuum (photo-/ejected-electron) energy the DHF continuum solver is asked
#: for, in keV. Its radial grid resolves the local wavelength everywhere, so its size grows
#: about linearly with the momentum: ~0.9 million points at 10 MeV for Xe (~0.3 GB with
#: the bound orbitals on it), 8 million at 100 MeV and 8e10 (341 GiB per array) at 1e9 keV.
#: 10 MeV covers reactor and solar neutrinos; beyond it use the FEA.
MAX_CONTINUUM_ENERGY_KEV = 1.0e4
#: Largest radial grid for the bound-state SCF (``--points``; 2000 is the default).
MAX_GRID_POINTS = 200_000
#: Largest momentum transfer (keV/c) of a response table requested from the CLI: the
#: response is negligible far beyond a few MeV (R ~ 1e-48/keV at 1e9 keV for H), and at
#: absurd momenta (1e26 keV) the engine's Bessel grids fail with an unrelated message.
MAX_MOMENTUM_KEV = 1.0e9
#: Largest number of points of one axis of a response table (T or q).
MAX_TABLE_AXIS = 20_000
#: Largest number of (T, q) cells of one response table.
MAX_TABLE_CELLS = 10_000_000


def _as_float_array(name: str, value, unit: str, valid: str) -> np.ndarray:
    def refuse():
        text = repr(value)
        text = text if len(text) <= 60 else text[:57] + "..."
        return ValueError(f"{name} = {text} is not a number or an array of numbers; the valid "
                          f"range is {valid} {unit}")

    if isinstance(value, (str, bytes)):
        raise refuse()
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise refuse() from None
    return arr


def nonnegative_array(name: str, value, unit: str) -> np.ndarray:
    """Return ``value`` as a float64 array; raise ``ValueError`` for NaN or negative entries.

    ``+inf`` passes (some callers integrate to infinity); public cross-section entry points
    use :func:`finite_nonnegative_array`.
    """
    arr = _as_float_array(name, value, unit, "[0, inf)")
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} = nan {unit} (not a number) is outside the valid range [0, inf) {unit}")
    if np.any(arr < 0):
        bad = arr[arr < 0].ravel()[0]
        raise ValueError(f"{name} = {bad:g} {unit} is negative; the valid range is [0, inf) {unit}")
    return arr


def finite_nonnegative_array(name: str, value, unit: str) -> np.ndarray:
    """As :func:`nonnegative_array`, and every entry finite: valid range [0, inf)."""
    arr = nonnegative_array(name, value, unit)
    if np.any(np.isinf(arr)):
        raise ValueError(f"{name} = inf {unit} is outside the valid range [0, inf) {unit} "
                         "(finite values only)")
    return arr


def positive_array(name: str, value, unit: str) -> np.ndarray:
    """Return ``value`` as a float64 array; raise ``ValueError`` unless every entry is > 0 and finite."""
    arr = _as_float_array(name, value, unit, "(0, inf)")
    if np.any(~np.isfinite(arr)) or np.any(arr <= 0):
        bad = arr[~(np.isfinite(arr) & (arr > 0))].ravel()[0]
        raise ValueError(f"{name} = {bad:g} {unit} is outside the valid range (0, inf) {unit}")
    return arr


def finite_scalar(name: str, value, unit: str = "") -> float:
    """Return ``value`` as a float; raise ``ValueError`` if it is not a finite number."""
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} = {value!r} is not a number; the valid range is (-inf, inf) {unit}".rstrip())
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"{name} = {value!r} is not a number; the valid range is (-inf, inf) {unit}".rstrip()) from exc
    if not np.isfinite(x):
        raise ValueError(f"{name} = {x} is outside the valid range (-inf, inf) {unit}: it must be "
                         "finite")
    return x


def choice(name: str, value: str, allowed) -> str:
    """Return ``value`` lower-cased if it is one of ``allowed``; otherwise raise ``ValueError``."""
    if not isinstance(value, str):
        raise ValueError(f"{name} = {value!r} is not one of {sorted(allowed)}")
    key = value.strip().lower()
    if key not in allowed:
        raise ValueError(f"{name} = {value!r} is not one of {sorted(allowed)}")
    return key


def continuum_energy(name: str, value_keV, unit: str = "keV") -> np.ndarray:
    """Refuse energies whose continuum grid would exceed the memory budget.

    ``value_keV`` (array) is the largest kinetic energy of the continuum electron that the
    request implies (an energy transfer or a photon energy: an upper bound); valid range
    (0, :data:`MAX_CONTINUUM_ENERGY_KEV`].
    """
    arr = positive_array(name, value_keV, unit)
    if arr.size and float(arr.max()) > MAX_CONTINUUM_ENERGY_KEV:
        raise ValueError(
            f"{name} = {float(arr.max()):g} {unit} is outside the valid range (0, "
            f"{MAX_CONTINUUM_ENERGY_KEV:g}] {unit} of the DHF continuum: its radial grid grows "
            f"with the energy (about 1e6 points at 1e4 keV, 8e10 at 1e9 keV); use a smaller "
            f"energy or the free-electron approximation (method 'fea')")
    return arr


def bounded_int(name: str, value, lo: int, hi: int, what: str = "") -> int:
    """``value`` as an int in ``[lo, hi]`` (``ValueError`` naming the range otherwise)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        try:
            ok = float(value).is_integer()
        except (TypeError, ValueError, OverflowError):
            ok = False
        if not ok:
            raise ValueError(f"{name} = {value!r} is not an integer in [{lo}, {hi}]{what}")
    v = int(value)
    if not lo <= v <= hi:
        raise ValueError(f"{name} = {v} is outside the valid range [{lo}, {hi}]{what}")
    return v


def table_size(nT: int, nq: int) -> None:
    """Refuse a response-table grid beyond :data:`MAX_TABLE_AXIS` / :data:`MAX_TABLE_CELLS`."""
    bounded_int("number of T values", nT, 0, MAX_TABLE_AXIS)
    bounded_int("number of q values", nq, 0, MAX_TABLE_AXIS)
    if nT * nq > MAX_TABLE_CELLS:
        raise ValueError(f"T x q = {nT} x {nq} = {nT * nq} cells is outside the valid range "
                         f"[1, {MAX_TABLE_CELLS}]; split the table")


def finite_result(result, culprit: str, valid_range: str):
    """``result`` if every entry is finite; else ``ValueError`` naming the input ``culprit``
    whose size made it overflow double precision, and the range where it does not.

    Use with ``np.errstate(over="ignore", invalid="ignore", divide="ignore")`` around the
    computation so that the overflow is reported once, as this error, not as a warning.
    """
    arr = np.asarray(result)
    if arr.size and not np.all(np.isfinite(arr)):
        raise ValueError(f"{culprit}: the result overflows double precision; valid range "
                         f"{valid_range}")
    return result
