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
from ``nuatom/data/edges/configurations.toml`` for Ge, Xe, Cs and I, and for every other
element Z = 1..92 from its ground configuration (:func:`nuatom.structure.configuration.ground_configuration`,
NIST ASD), j-split statistically. A subshell that has no X-ray edge in xraydb (an outer
valence shell of many elements, e.g. Na 3s, W 5d and 6s) takes the Koopmans binding
:math:`-\varepsilon_i` of nuatom's Dirac–Hartree–Fock orbital instead: computed, never
guessed (the first call for such an element runs its SCF, cached on disk).

``binding="dhf"`` uses the Koopmans binding energies :math:`-\varepsilon_i` of nuatom's
Dirac–Hartree–Fock orbitals for every subshell (any element; the thresholds of the ab
initio response), so that FEA and ab initio can be compared with the same edges.
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


def _element_key(element) -> str:
    """Canonical symbol of ``element`` (symbol or Z, 1..92); ``ValueError`` names the range."""
    from nuatom.structure.atoms import element_Z  # deferred: keeps `import nuatom.neutrino` light
    from nuatom.structure.configuration import ELEMENT_SYMBOLS

    return ELEMENT_SYMBOLS[element_Z(element) - 1]


#: Elements with stored occupancies (``configurations.toml``); every other element up to
#: Z = 92 takes its ground configuration (:func:`_configuration_subshells`).
ELEMENTS = ("Ge", "Xe", "Cs", "I")

#: Order of the j-subshells inside a shell n, as xraydb numbers its edges (L1 = 2s,
#: L2 = 2p1/2, L3 = 2p3/2, M4 = 3d3/2, N6 = 4f5/2, ...).
_EDGE_INDEX = {(0, 1): 1, (1, 1): 2, (1, 3): 3, (2, 3): 4, (2, 5): 5, (3, 5): 6, (3, 7): 7}
_SHELL_LETTERS = "KLMNOPQ"


def _configuration_subshells(symbol: str) -> list:
    """``[label, edge name, occupancy]`` of every j-subshell of the ground configuration,
    the rule of ``configurations.toml``: closed j-subshells hold 2j+1 electrons, open
    shells are split statistically, (2j+1)/(2(2l+1)) of the electrons in each j."""
    from nuatom.structure.atoms import element_Z
    from nuatom.structure.configuration import L_LETTERS, ground_configuration, parse_configuration

    out = []
    for sh in parse_configuration(ground_configuration(element_Z(symbol))):
        two_js = [1] if sh.l == 0 else [2 * sh.l - 1, 2 * sh.l + 1]
        for two_j in two_js:
            occ = sh.electrons * (two_j + 1) / sh.capacity
            j_label = "" if sh.l == 0 else f"{two_j}/2"
            letter = _SHELL_LETTERS[sh.n - 1]
            edge = letter if sh.n == 1 else f"{letter}{_EDGE_INDEX[(sh.l, two_j)]}"
            out.append([f"{sh.n}{L_LETTERS[sh.l]}{j_label}", edge, occ])
    return out


@lru_cache(maxsize=None)
def subshells(element: str, binding: str = "edges") -> tuple:
    """Subshells of ``element`` with occupancies and binding energies (keV).

    Parameters
    ----------
    element : str or int
        Chemical symbol or atomic number, Z = 1..92.
    binding : {'edges', 'dhf'}
        Source of the binding energies: measured X-ray edges from xraydb, or the DHF
        Koopmans energies of :func:`nuatom.atom`. With ``'edges'``, a subshell without an
        xraydb edge uses the value stored in the data file (Cs 6s: the first ionization
        energy) or else its DHF Koopmans energy (``edge`` is then ``""``).

    Returns
    -------
    tuple of Subshell
        Ordered as in the data file (or the ground configuration); occupancies sum to Z.
    """
    choice("binding", binding, BINDINGS)
    key = _element_key(element)
    if binding == "dhf":
        return tuple(Subshell(label, "", occ, B_keV) for label, occ, B_keV in _koopmans(key))
    import xraydb  # deferred: keeps `import nuatom` cheap

    from nuatom.structure.atoms import element_Z

    Z = element_Z(key)
    stored = _configurations().get(key)
    listed = stored["subshells"] if stored is not None else _configuration_subshells(key)
    edges = xraydb.xray_edges(key)
    extra = _configurations()["no_edge_binding_eV"].get(key, {})
    out = []
    for label, edge, occ in listed:
        if edge and edge in edges:
            B_eV = float(edges[edge][0])
        elif label in extra:
            B_eV = float(extra[label])
        else:
            B_eV = _koopmans_by_edge_label(key)[label] * 1e3
            edge = ""
        out.append(Subshell(label, edge, float(occ), B_eV * 1e-3))
    total = sum(s.occupancy for s in out)
    if abs(total - Z) > 1e-9:
        raise ValueError(f"occupancies of {key} sum to {total}, not Z = {Z}")
    return tuple(out)


@lru_cache(maxsize=None)
def _koopmans_by_edge_label(symbol: str) -> dict:
    """``{label: binding keV}`` of :func:`_koopmans` with the edge table's labels (nuatom
    labels s orbitals "4s1/2", the table "4s")."""
    return {label.replace("s1/2", "s"): B_keV for label, _, B_keV in _koopmans(symbol)}


@lru_cache(maxsize=None)
def _koopmans(symbol: str) -> tuple:
    """``(label, occupancy, binding keV)`` of the relativistic DHF orbitals of ``symbol``."""
    from nuatom.structure.atoms import atom as _atom  # deferred: the SCF is cached, not run at import

    return tuple((o.label.replace("_", ""), float(o.occupancy), -o.energy_hartree * HARTREE_KEV)
                 for o in _atom(symbol).orbitals)


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
    from nuatom.structure.atoms import element_Z

    Z = element_Z(_element_key(element))
    return Z * free.dsigma_dT(process, E_nu_keV, T_keV, neutrino)


def dsigma_dT_fea(element: str, process: str, E_nu_keV, T_keV, neutrino="nuebar", *,
                  binding: str = "edges"):
    """Free-electron approximation with subshell thresholds, cm²/keV per atom.

    Parameters
    ----------
    element : str or int
        Chemical symbol or atomic number, Z = 1..92 (:func:`subshells`).
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
