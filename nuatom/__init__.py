"""nuatom: ab initio relativistic atomic ionization by neutrino weak and electromagnetic
interactions, with the free-electron, equivalent-photon and longitudinal-photon
approximations and Voloshin's sum rules.

The package is a chain of physics layers, each a subpackage that mirrors a part of the
book, each importing only the layers before it:

``numerics`` → ``structure`` → ``continuum`` → ``response`` → ``neutrino`` → ``darkmatter`` → ``experiments``

with ``oracles`` (analytic results the others are tested against) beside the chain, and
``units``, ``cli`` and the small public API below at the top. Nothing is computed at
import time; modules are imported on first use.

Public API
----------
atom(element, ...)
    Dirac–Hartree–Fock ground state (:func:`nuatom.structure.atoms.atom`).
photoionization(atom, omega_keV, ...)
    Photoionization cross sections (:func:`nuatom.continuum.photoionization.photoionization`).
response_table(element)
    Packaged atomic response table R_μν(T, q) (:func:`nuatom.response.tables.reference_table`).
tabulate(atom, T_keV, q_keV, ...)
    Response functions on any grid (:func:`nuatom.response.tables.tabulate`).
dsigma_dT(element, process, E_nu_keV, T_keV, ...)
    Neutrino-impact ionization dσ/dT per atom (:func:`nuatom.neutrino.xsec.ionization_dsigma_dT`).
NeutrinoProperties
    The neutrino's flavour, couplings and electromagnetic properties in one bundle.
sensitivity(experiment, ...)
    Expected 90 % CL bounds (:func:`nuatom.experiments.sensitivity.sensitivity`).
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBPACKAGES = {"numerics", "structure", "continuum", "response", "neutrino", "darkmatter", "experiments",
                "oracles", "commands"}
_MODULES = {"units", "fmt", "cli", "cache"}
#: Public API, name -> (module, attribute).
_API = {
    "atom": ("structure.atoms", "atom"),
    "photoionization": ("continuum.photoionization", "photoionization"),
    "response_table": ("response.tables", "reference_table"),
    "tabulate": ("response.tables", "tabulate"),
    "dsigma_dT": ("neutrino.xsec", "ionization_dsigma_dT"),
    "NeutrinoProperties": ("neutrino.properties", "NeutrinoProperties"),
    "sensitivity": ("experiments.sensitivity", "sensitivity"),
}
__all__ = sorted(_API)


def __getattr__(name):
    if name in _API:
        module, attribute = _API[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    if name in _SUBPACKAGES or name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'nuatom' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBPACKAGES | _MODULES | set(_API))
