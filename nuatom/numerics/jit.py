"""The one numba decorator policy of the package (``conventions.md``, Code).

Every compiled kernel is declared with :func:`kernel`: ``cache=True`` (compiled code is
stored next to the module and reused by later processes, so chapters and tests do not
pay compilation twice), ``error_model="numpy"`` (division by zero gives inf/nan like
NumPy instead of raising inside a kernel; validation happens in the Python wrappers),
and no ``fastmath`` (it has not been measured to help, and it would change the
floating-point results that the regression tests pin).
"""
from __future__ import annotations

import numba

KERNEL_OPTIONS = {"cache": True, "error_model": "numpy", "nogil": True}


def kernel(*args, **kwargs):
    """``numba.njit`` with the package policy; accepts an optional explicit signature."""
    options = {**KERNEL_OPTIONS, **kwargs}
    if args and callable(args[0]) and len(args) == 1 and not kwargs:
        return numba.njit(**KERNEL_OPTIONS)(args[0])
    return numba.njit(*args, **options)
