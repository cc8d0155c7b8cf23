"""Atoms: ``nuatom.atom("Xe")`` runs (or loads) the Dirac–Hartree–Fock ground state.

The result :class:`Atom` holds the grid, the nuclear and electronic potentials, the total
energy and the orbitals (label, n, kappa, occupancy, energy, radial functions). Ground
configurations come from :func:`nuatom.structure.configuration.ground_configuration`; closed shells
are solved directly, open shells by the relativistic average of configuration, and a
configuration with one open :math:`l^2` shell outside closed shells (Ge: 4p²) also gets the
two-configuration :math:`J = 0` MCDF ground state (:mod:`nuatom.structure.mcdf`).

Repeated calls are cheap: results are cached in memory and on disk (:mod:`nuatom.cache`),
keyed by every input and the package version.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np

from nuatom import cache
from nuatom.structure.configuration import (ELEMENT_SYMBOLS, average_of_configuration, configuration_label,
                            ground_configuration, parse_configuration, subshell_label)
from nuatom.numerics.grid import GridSpec, make_grid
from nuatom.structure.hf import OPEN_SHELL_STALL_TOLERANCE, SCF_REVISION, HFOptions, SCFResult, solve_scf
from nuatom.structure.mcdf import solve_two_csf
from nuatom.structure.nucleus import NuclearModel, nuclear_potential
from nuatom.units import HARTREE_EV

__all__ = ["atom", "Atom", "Orbital", "MCDFState", "element_Z", "DEFAULT_GRID"]

#: Default radial grid for bound states (converged to ~1e-9 Hartree for Xe, see the
#: Dirac–Hartree–Fock chapter and ``benchmarks/bench_dhf.py``).
DEFAULT_GRID = GridSpec(r_min_bohr=1e-7, r_max_bohr=60.0, n_points=2000, b_bohr=4.0)

_MEMORY: dict = {}


def element_Z(element) -> int:
    """Atomic number from a symbol (``"Xe"``, case-insensitive) or a number (``54``), 1..92."""
    if isinstance(element, (int, np.integer)) and not isinstance(element, bool):
        Z = int(element)
    else:
        text = str(element).strip()
        if text.isascii() and text.isdecimal():
            Z = int(text)
        else:
            lookup = {s.lower(): i + 1 for i, s in enumerate(ELEMENT_SYMBOLS)}
            if text.lower() not in lookup:
                raise ValueError(f"element = {element!r} is not a supported element symbol "
                                 f"(H..{ELEMENT_SYMBOLS[-1]}, Z = 1..{len(ELEMENT_SYMBOLS)})")
            Z = lookup[text.lower()]
    if not 1 <= Z <= len(ELEMENT_SYMBOLS):
        raise ValueError(f"element Z = {Z} outside the supported range 1..{len(ELEMENT_SYMBOLS)} "
                         f"(H..{ELEMENT_SYMBOLS[-1]})")
    return Z


@dataclass(frozen=True)
class Orbital:
    """A bound orbital :math:`\\psi = r^{-1}[P\\,\\Omega_{\\kappa m}, iQ\\,\\Omega_{-\\kappa m}]`.

    Attributes
    ----------
    label : str
        e.g. ``"4p_3/2"``.
    n, kappa, l : int
    j : float
    occupancy : float
        Electrons in the subshell (fractional for averaged open shells).
    energy_hartree : float
        Orbital energy (Koopmans; rest mass excluded).
    P, Q : ndarray
        Large and small radial components on the grid (1/sqrt(bohr));
        :math:`\\int(P^2 + Q^2)dr = 1`. ``Q`` is zero in the non-relativistic limit.
    Qt : ndarray
        Scaled small component :math:`cQ` (what the solvers carry).
    """

    label: str
    n: int
    kappa: int
    l: int
    j: float
    occupancy: float
    energy_hartree: float
    P: np.ndarray = field(repr=False)
    Q: np.ndarray = field(repr=False)
    Qt: np.ndarray = field(repr=False)

    @property
    def binding_energy_eV(self) -> float:
        """Koopmans binding energy :math:`-\\varepsilon` in eV."""
        return -self.energy_hartree * HARTREE_EV


@dataclass(frozen=True)
class MCDFState:
    """Two-configuration J = 0 ground state (Ge-like ``l^2`` outside closed shells)."""

    configurations: list
    coefficients: tuple
    total_energy_hartree: float
    csf_hamiltonian_hartree: np.ndarray = field(repr=False)
    orbitals: list = field(repr=False)


@dataclass(frozen=True)
class Atom:
    """Dirac–Hartree–Fock ground state of an atom (Hartree atomic units).

    Attributes
    ----------
    Z : int
    symbol : str
    configuration : str
    relativistic : bool
    nucleus : NuclearModel
    grid : RadialGrid
    nuclear_potential_hartree : ndarray
        Potential energy of an electron in the field of the nucleus.
    electron_potential_hartree : ndarray
        Direct (Hartree) potential energy of all electrons, :math:`\\sum_b q_b Y^0_{bb}(r)`.
    total_energy_hartree : float
        Expectation value of the (average-of-configuration) energy functional.
    orbitals : list of Orbital
    mcdf : MCDFState or None
    iterations : int
        SCF iterations of the average-of-configuration solution.
    scf_change_hartree : float
        Largest orbital-energy change (and open/closed rotation gradient) of the last SCF
        iteration, Hartree: below ``options.energy_tolerance_hartree``, or, for an open-shell
        SCF accepted at its noise floor, below
        :data:`~nuatom.structure.hf.OPEN_SHELL_STALL_TOLERANCE` (NaN if unknown).
    """

    Z: int
    symbol: str
    configuration: str
    relativistic: bool
    nucleus: NuclearModel
    grid: object = field(repr=False)
    nuclear_potential_hartree: np.ndarray = field(repr=False)
    electron_potential_hartree: np.ndarray = field(repr=False)
    total_energy_hartree: float = 0.0
    orbitals: list = field(default_factory=list, repr=False)
    mcdf: MCDFState | None = None
    iterations: int = 0
    options: HFOptions = field(default=HFOptions(), repr=False)
    scf_change_hartree: float = math.nan

    @property
    def inv_c2(self) -> float:
        return self.options.inv_c2

    @property
    def charge(self) -> float:
        """Ionic charge :math:`Z - \\sum_a q_a` (0 for the neutral atom), in e."""
        return self.Z - sum(o.occupancy for o in self.orbitals)

    def orbital(self, label: str) -> Orbital:
        """The orbital with ``label`` (``"4p_3/2"``, ``"4p3/2"``, ``"4p+"``, ``"4p-"``, ``"1s"``)."""
        n, kappa = parse_orbital_label(label)
        for orb in self.orbitals:
            if orb.n == n and orb.kappa == kappa:
                return orb
        raise ValueError(f"orbital {label!r} is not occupied in {self.symbol} "
                         f"({', '.join(o.label for o in self.orbitals)})")

    def spec(self) -> dict:
        """Keyword arguments of :func:`atom` that rebuild this atom (e.g. in a worker process)."""
        return {"element": self.Z, "relativistic": self.relativistic, "nucleus": self.nucleus.kind,
                "configuration": self.configuration, "grid": self.options.grid,
                "options": self.options, "mcdf": self.mcdf is not None}

    def to_dict(self) -> dict:
        """JSON-ready summary (the ``nuatom atom --json`` object)."""
        out = {
            "Z": self.Z,
            "symbol": self.symbol,
            "configuration": self.configuration,
            "relativistic": self.relativistic,
            "nucleus": asdict(self.nucleus),
            "total_energy_hartree": self.total_energy_hartree,
            "orbitals": [{"label": o.label, "n": o.n, "kappa": o.kappa, "occupancy": o.occupancy,
                          "energy_hartree": o.energy_hartree} for o in self.orbitals],
        }
        if self.mcdf is not None:
            out["mcdf"] = {"configurations": list(self.mcdf.configurations),
                           "coefficients": [float(c) for c in self.mcdf.coefficients],
                           "total_energy_hartree": self.mcdf.total_energy_hartree}
        return out


_L = "spdfg"


def parse_orbital_label(label: str) -> tuple[int, int]:
    """``"4p_3/2"``/``"4p3/2"``/``"4p+"``/``"4p-"``/``"1s"`` -> ``(n, kappa)``."""
    m = re.fullmatch(r"\s*(\d+)([spdfg])(?:_?(\d+)/2|([+-]))?\s*", str(label))
    if not m:
        raise ValueError(f"orbital label {label!r} not understood (examples: '4p_3/2', '4p+', '1s')")
    n, l = int(m.group(1)), _L.index(m.group(2))
    if l >= n:
        raise ValueError(f"orbital label {label!r}: l must be smaller than n")
    if m.group(3):
        two_j = int(m.group(3))
    elif m.group(4):
        two_j = 2 * l + 1 if m.group(4) == "+" else 2 * l - 1
    else:
        if l != 0:
            raise ValueError(f"orbital label {label!r}: give j (e.g. '{n}{_L[l]}_{2 * l + 1}/2')")
        two_j = 1
    if two_j not in (2 * l - 1, 2 * l + 1) or two_j < 1:
        raise ValueError(f"orbital label {label!r}: j must be l - 1/2 or l + 1/2")
    kappa = -(l + 1) if two_j == 2 * l + 1 else l
    return n, kappa


def _mcdf_open_shell(shells) -> int | None:
    open_ = [i for i, s in enumerate(shells) if s.electrons != s.capacity]
    if len(open_) == 1 and shells[open_[0]].electrons == 2 and shells[open_[0]].l >= 1:
        return open_[0]
    return None


def atom(element, *, relativistic: bool = True,
         nucleus: Literal["point", "uniform", "fermi"] = "fermi",
         configuration: str | None = None, grid: GridSpec | None = None,
         options: HFOptions | None = None, mcdf: bool | None = None) -> Atom:
    """Dirac–Hartree–Fock ground state of ``element`` (symbol or Z, 1..92).

    Parameters
    ----------
    element : str or int
    relativistic : bool
        ``False`` for non-relativistic Hartree–Fock (``c -> inf``).
    nucleus : {'fermi', 'uniform', 'point'}
        Nuclear charge model (Fermi: t = 2.3 fm and the tabulated rms radius).
    configuration : str, optional
        e.g. ``"[Ar]3d10.4s2.4p2"``; default: the NIST ground configuration of the neutral
        atom. Any configuration with 1 to ``Z`` electrons is accepted: an excited
        configuration (``"[Ar]3d10.4s1.4p3"``) or a positive ion (``"[Kr]4d10.5s2.5p5"``
        for Xe+).
    grid : GridSpec, optional
        Default :data:`DEFAULT_GRID`.
    options : HFOptions, optional
        SCF options (their ``grid`` and ``relativistic`` are overridden by the arguments).
    mcdf : bool, optional
        Also solve the two-CSF J = 0 MCDF ground state; default: whenever the configuration
        has one open ``l^2`` shell outside closed shells.

    Raises
    ------
    ValueError
        Unknown element, bad configuration or nucleus.
    ConvergenceError
        If the SCF does not converge (the message gives the residual reached).
    """
    Z = element_Z(element)
    if nucleus not in ("point", "uniform", "fermi"):
        raise ValueError(f"nucleus = {nucleus!r} is not one of ['fermi', 'point', 'uniform']")
    shells = parse_configuration(configuration if configuration is not None else ground_configuration(Z))
    config = configuration_label(shells)
    n_el = sum(s.electrons for s in shells)
    if not 1 <= n_el <= Z:
        raise ValueError(f"configuration {config!r} has {n_el} electrons; the valid range for "
                         f"Z = {Z} is 1..{Z} (the neutral atom or a positive ion)")
    grid_spec = grid if grid is not None else DEFAULT_GRID
    base = options if options is not None else HFOptions()
    opts = HFOptions(**{**{f: getattr(base, f) for f in base.__dataclass_fields__},
                        "grid": grid_spec, "relativistic": bool(relativistic)})
    model = NuclearModel.for_element(Z, nucleus)
    open_l2 = _mcdf_open_shell(shells)
    want_mcdf = (open_l2 is not None) if mcdf is None else bool(mcdf)
    if want_mcdf and open_l2 is None:
        raise ValueError(f"mcdf=True needs one open l^2 shell outside closed shells; {config!r} has none")
    key = {"Z": Z, "configuration": config, "nucleus": asdict(model), "options": repr(opts),
           "mcdf": want_mcdf, "scf_revision": SCF_REVISION}
    mem_key = repr(key)
    if mem_key in _MEMORY:
        return _MEMORY[mem_key]
    g = make_grid(grid_spec)
    v_nuc = nuclear_potential(g, Z, model)
    z0 = float(Z) if model.kind == "point" else 0.0
    expr = average_of_configuration(shells)
    stored = cache.load("atom", key)
    if stored is not None:
        scf = _scf_from_arrays(stored, "")
        mc = _scf_from_arrays(stored, "mcdf_") if want_mcdf else None
    else:
        open_shell = any(sh.electrons != sh.capacity for sh in shells)
        stall_tol = OPEN_SHELL_STALL_TOLERANCE if open_shell else 0.0
        scf = solve_scf(expr, g, v_nuc, z0, Z, opts, stall_tolerance_hartree=stall_tol)
        mc_result = (solve_two_csf(shells, open_l2, g, v_nuc, z0, Z, opts, scf,
                                   stall_tolerance_hartree=stall_tol) if want_mcdf else None)
        mc = mc_result.scf if mc_result is not None else None
        arrays = _arrays_from_scf(scf, "")
        if mc_result is not None:
            arrays.update(_arrays_from_scf(mc, "mcdf_"))
            arrays["mcdf_coefficients"] = np.array(mc_result.coefficients)
            arrays["mcdf_energy"] = np.array(mc_result.total_energy)
            arrays["mcdf_H"] = mc_result.csf_hamiltonian
            arrays["mcdf_labels"] = np.array(mc_result.configurations)
        cache.save("atom", key, arrays)
        stored = arrays
    subs = expr.subshells
    alpha = math.sqrt(opts.inv_c2)  # Q = Qt / c
    orbitals = [_orbital(s, scf, i, alpha) for i, s in enumerate(subs)]
    mcdf_state = None
    if want_mcdf:
        from nuatom.structure.configuration import two_csf_j2_zero

        mexpr = two_csf_j2_zero(shells, open_l2, tuple(stored["mcdf_coefficients"]))
        morbs = [_orbital(s, mc, i, alpha) for i, s in enumerate(mexpr.subshells)]
        mcdf_state = MCDFState([str(x) for x in stored["mcdf_labels"]],
                               tuple(float(x) for x in stored["mcdf_coefficients"]),
                               float(stored["mcdf_energy"]), np.array(stored["mcdf_H"]), morbs)
    v_el = np.zeros(len(g))
    from nuatom.structure.coulomb import yk_from_density

    for o in orbitals:
        v_el += o.occupancy * yk_from_density(g, o.P**2 + o.Q**2, 0)
    result = Atom(Z, ELEMENT_SYMBOLS[Z - 1], config, bool(relativistic), model, g, v_nuc, v_el,
                  float(scf.total_energy), orbitals, mcdf_state, int(scf.iterations), opts,
                  float(scf.energy_change))
    _MEMORY[mem_key] = result
    return result


def _orbital(sub, scf, i, alpha) -> Orbital:
    l = sub.kappa if sub.kappa > 0 else -sub.kappa - 1
    Qt = np.array(scf.Q[i])
    Q = Qt * alpha
    return Orbital(subshell_label(sub.n, sub.kappa), sub.n, sub.kappa, l, abs(sub.kappa) - 0.5,
                   float(sub.occupancy), float(scf.energies[i]), np.array(scf.P[i]), Q, Qt)


def _arrays_from_scf(scf: SCFResult, prefix: str) -> dict:
    return {prefix + "P": scf.P, prefix + "Q": scf.Q, prefix + "hP": scf.hP, prefix + "hQ": scf.hQ,
            prefix + "energies": scf.energies,
            prefix + "scalars": np.array([scf.total_energy, scf.total_energy_check,
                                          scf.two_electron_energy, scf.iterations, scf.energy_change]),
            prefix + "V": scf.local_potentials}


def _scf_from_arrays(a: dict, prefix: str) -> SCFResult:
    s = a[prefix + "scalars"]
    return SCFResult(a[prefix + "P"], a[prefix + "Q"], a[prefix + "hP"], a[prefix + "hQ"],
                     a[prefix + "energies"], float(s[0]), float(s[1]), float(s[2]), int(s[3]),
                     float(s[4]), a[prefix + "V"], [])
