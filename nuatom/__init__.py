"""nuatom: ab initio relativistic atomic ionization by neutrino weak and electromagnetic
interactions, with the free-electron, equivalent-photon and longitudinal-photon
approximations and Voloshin's sum rules.

Nothing is computed at import time; submodules are imported on first use.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = {
    "units", "kinematics", "free", "fmt", "cli", "grid", "ode", "dirac", "coulomb", "nucleus",
    "configuration", "hf", "mcdf", "structure", "cache", "angular", "analytic", "sources",
    "detector", "stats", "sensitivity", "fea", "bessel", "coulombwave", "continuum", "operators",
    "photo", "response", "response_table", "xsec", "sumrules",
}
#: Public functions re-exported lazily: name -> module.
_FUNCTIONS = {"atom": "structure"}


def __getattr__(name):
    if name in _FUNCTIONS:
        return getattr(importlib.import_module(f"{__name__}.{_FUNCTIONS[name]}"), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'nuatom' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES | set(_FUNCTIONS))
