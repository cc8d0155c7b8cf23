"""Shared test configuration.

``pytest.approx`` allows an absolute difference of 1e-12 unless told otherwise, which makes
every relative comparison of a cross section (1e-40 .. 1e-50 cm²) or any other tiny number
pass vacuously. Here its default absolute tolerance is 0: a test that means an absolute
tolerance states it (``abs=...``).
"""
import functools

import pytest

_approx = pytest.approx


@functools.wraps(_approx)
def _strict_approx(expected, rel=None, abs=None, nan_ok=False):
    if abs is None:
        abs = 0.0
        if rel is None:
            rel = 1e-6  # pytest's default, which an explicit abs would otherwise switch off
    return _approx(expected, rel=rel, abs=abs, nan_ok=nan_ok)


pytest.approx = _strict_approx
