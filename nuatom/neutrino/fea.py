"""Free-electron cross sections per atom: all Z electrons free ("free") and the
free-electron approximation with subshell thresholds ("fea", the stepping approximation).

.. math::

    \\frac{d\\sigma}{dT}\\Big|_{\\rm FEA} = \\sum_i n_i\\,\\theta(T - B_i)\\,
    \\frac{d\\sigma^{(0)}}{dT}(E_\\nu, T),

with :math:`n_i` the occupancy of subshell *i* (j-split: p₁/₂, p₃/₂, d₃/₂, d₅/₂ are
separate subshells with their own edges), :math:`B_i` its measured binding (X-ray edge)
energy and :math:`d\\sigma^{(0)}/dT` the cross section on one free electron at rest
(:mod:`nuatom.neutrino.free`, including its kinematic limit :math:`T \\le T_{\\max}(E_\\nu)`)
:cite:`Kouzakov2011,Wu2019talk`. Edges come from ``xraydb`` (Elam, Ravel & Sieber tables
:cite:`Elam2002`; Ge referenced to the Fermi level, Xe to the vacuum level); occupancies
from ``nuatom/data/edges/configurations.toml``.

``binding="dhf"`` uses the Koopmans binding energies :math:`-\varepsilon_i` of nuatom's
Dirac–Hartree–Fock orbitals instead (Ge and Xe; the thresholds of the ab initio
response), so that FEA and ab initio can be compared with the same edges.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from nuatom.neutrino import free
from nuatom._validate import choice, nonnegative_array
from nuatom.units import HARTREE_KEV

__all__ = ["Subshell", "ELEMENTS", "PROCESSES", "BINDINGS", "subshells", "effective_electrons",
           "dsigma_dT_free_atom", "dsigma_dT_fea"]

#: Processes: weak (with the charge-radius g_V shift), nmm, millicharge (photon term
#: alone), total (everything with interference) — as in :mod:`nuatom.neutrino.free`.
PROCESSES = free.PROCESSES
BINDINGS = ("edges", "dhf")


@dataclass(frozen=True)
class Subshell:
    """One j-subshell: label (``"2p3/2"``), xraydb edge name, occupancy, binding in keV."""

    label: str
    edge: str
    occupancy: float
    binding_keV: float


@lru_cache(maxsize=None)
def _configurations() -> dict:
    with resources.files("nuatom").joinpath("data", "edges", "configurations.toml").open("rb") as fh:
        return tomllib.load(fh)


def _element_key(element: str) -> str:
    conf = _configurations()
    for name in conf:
        if name != "no_edge_binding_eV" and name.lower() == str(element).strip().lower():
            return name
    valid = sorted(k for k in conf if k != "no_edge_binding_eV")
    raise ValueError(f"element = {element!r} is not one of {valid}")


#: Elements with stored occupancies.
ELEMENTS = ("Ge", "Xe", "Cs", "I")


@lru_cache(maxsize=None)
def subshells(element: str, binding: str = "edges") -> tuple:
    """Subshells of ``element`` with occupancies and binding energies (keV).

    Parameters
    ----------
    element : str
        Chemical symbol (Ge, Xe, Cs, I).
    binding : {'edges', 'dhf'}
        Source of the binding energies: measured X-ray edges from xraydb (subshells
        without an edge use the value stored in the data file, the first ionization
        energy), or the DHF Koopmans energies of :func:`nuatom.atom` (Ge, Xe).

    Returns
    -------
    tuple of Subshell
        Ordered as in the data file; occupancies sum to Z.
    """
    choice("binding", binding, BINDINGS)
    key = _element_key(element)
    if binding == "dhf":
        from nuatom.structure.atoms import atom as _atom  # deferred: the SCF is cached, not run at import

        if key not in ("Ge", "Xe"):
            raise ValueError(f"binding = 'dhf' is available for Ge and Xe, not element = {element!r}")
        return tuple(Subshell(o.label.replace("_", ""), "", float(o.occupancy),
                              -o.energy_hartree * HARTREE_KEV) for o in _atom(key).orbitals)
    import xraydb  # deferred: keeps `import nuatom` cheap

    conf = _configurations()[key]
    edges = xraydb.xray_edges(key)
    extra = _configurations()["no_edge_binding_eV"].get(key, {})
    out = []
    for label, edge, occ in conf["subshells"]:
        if edge:
            B_eV = float(edges[edge][0])
        else:
            B_eV = float(extra[label])
        out.append(Subshell(label, edge, float(occ), B_eV * 1e-3))
    total = sum(s.occupancy for s in out)
    if abs(total - conf["Z"]) > 1e-9:
        raise ValueError(f"occupancies of {key} sum to {total}, not Z = {conf['Z']}")
    return tuple(out)


def effective_electrons(element: str, T_keV, binding: str = "edges"):
    """Number of electrons with binding below ``T`` (the FEA step function), per atom."""
    T = nonnegative_array("T_keV", T_keV, "keV")
    n = np.zeros_like(T)
    for s in subshells(element, binding):
        n = n + s.occupancy * (T > s.binding_keV)
    return n


def dsigma_dT_free_atom(element: str, process: str, E_nu_keV, T_keV, neutrino="nuebar"):
    """Z × (free-electron dσ/dT): every electron free and at rest, cm²/keV per atom.

    ``neutrino``: :class:`~nuatom.neutrino.properties.NeutrinoProperties` or a flavour name.
    """
    Z = _configurations()[_element_key(element)]["Z"]
    return Z * free.dsigma_dT(process, E_nu_keV, T_keV, neutrino)


def dsigma_dT_fea(element: str, process: str, E_nu_keV, T_keV, neutrino="nuebar", *,
                  binding: str = "edges"):
    """Free-electron approximation with subshell thresholds, cm²/keV per atom.

    Parameters
    ----------
    element : str
        Ge, Xe, Cs or I.
    process : {'weak', 'nmm', 'millicharge', 'total'}
        As in :func:`nuatom.neutrino.free.dsigma_dT`.
    E_nu_keV, T_keV : array_like
        Neutrino energy and energy deposit (recoil) in keV, broadcast together.
    neutrino : NeutrinoProperties or str
        Flavour, couplings and EM properties
        (:class:`~nuatom.neutrino.properties.NeutrinoProperties`), or a flavour name for a
        Standard-Model neutrino.
    binding : {'edges', 'dhf'}
        Binding energies: measured X-ray edges, or DHF Koopmans energies.

    Returns
    -------
    ndarray
        :math:`\\sum_i n_i\\theta(T-B_i)\\,d\\sigma^{(0)}/dT`; 0 outside the free-electron
        kinematic range and below the lowest edge.
    """
    per_electron = free.dsigma_dT(process, E_nu_keV, T_keV, neutrino)
    T = np.broadcast_to(np.asarray(T_keV, dtype=float), np.shape(per_electron))
    return effective_electrons(element, T, binding) * per_electron
