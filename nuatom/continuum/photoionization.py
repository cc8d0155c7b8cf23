"""Photoionization cross sections from the transverse multipoles at :math:`q = \\omega/c`.

For a photon of energy :math:`\\omega` (Hartree) absorbed by subshell ``a`` (occupancy
:math:`q_a`, :math:`j_a`), averaged over polarisation and summed over final states
(golden rule with the vector plane-wave expansion of the seed talk, coefficient
:math:`2\\pi(2J+1)` per multipole, Wigner–Eckart for the magnetic sums):

.. math::
    \\sigma_a(\\omega) = \\frac{8\\pi^3}{\\alpha\\,\\omega}\\,\\frac{q_a}{2j_a+1}
        \\sum_{J\\ge1}\\sum_{\\kappa'}\\Big(|\\langle\\varepsilon\\kappa'\\|E_J\\|a\\rangle|^2
        + |\\langle\\varepsilon\\kappa'\\|M_J\\|a\\rangle|^2\\Big),
    \\qquad \\varepsilon = \\omega + \\varepsilon_a,

in atomic units (bohr²) with energy-normalised continuum orbitals
(:mod:`nuatom.continuum.solver`); thresholds are the Koopmans energies :math:`-\\varepsilon_a`.
In the non-relativistic dipole limit this is :math:`\\frac{4\\pi^2\\alpha}{\\omega}|\\langle f|\\hat e\\cdot\\mathbf p|i\\rangle|^2`,
the velocity form.

Convergence in J: multipoles are added until ``J_STALL`` successive orders each change
the subshell cross section by less than ``multipole_tolerance`` (relative).

Gauges: the Coulomb-gauge operator :math:`E_J` reduces to the velocity form; the
Babushkin gauge, :math:`E_J - \\sqrt{(J+1)/J}\\,[L_J + \\omega C_J/(cq)]`, reduces to the
length form (current conservation reads :math:`qL_J = -(\\omega/c)C_J` for the current
:math:`\\psi^\\dagger\\boldsymbol\\alpha\\psi`). The two agree when the current is conserved, i.e. for a
local potential; with non-local DHF exchange they differ, which measures the violation.

``long_wavelength=True`` evaluates the multipoles at :math:`q \\to 0` (no retardation), the
limit in which textbook dipole formulas (e.g. Stobbe's for hydrogen) hold.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from nuatom.numerics.angular import allowed
from nuatom.continuum.solver import ContinuumOptions, ContinuumSolver
from nuatom.continuum.multipoles import bessel_table, multipole_radial
from nuatom.units import ALPHA, BARN_CM2, BOHR_CM, C_AU, kev_to_hartree
from nuatom._validate import choice, continuum_energy, positive_array
from nuatom.continuum import rpa
from nuatom.continuum.results import PhotoResult
from nuatom import cache as _cache
from nuatom.structure.hf import SCF_REVISION

__all__ = ["PhotoResult", "photoionization", "subshell_cross_section_au", "METHODS"]

J_STALL = 2
#: Revision of the RRPA photoionization numerics, part of the disk-cache key of
#: ``photoionization(method="rpa")`` results: raise it with any change of the RRPA solve or
#: the continuum solver that moves a cross section, so that no stale entry is read.
RPA_PHOTO_REVISION = 1
#: Disk-cache kind of ``photoionization(method="rpa")`` results.
RPA_PHOTO_CACHE_KIND = "photo-rpa"
#: Photoionization methods: frozen-core Dirac–Hartree–Fock, and the relativistic RPA.
METHODS = ("dhf", "rpa")


def _bessel_cached(cache: dict, grid, q: float, L_max: int) -> np.ndarray:
    """``j_L(q r)`` for L = 0..L_max on ``grid`` ([L, 1, r]), extended on demand."""
    key = id(grid)
    have = cache.get(key)
    if have is None or have.shape[0] <= L_max:
        L_new = max(L_max, 2 * (have.shape[0] if have is not None else 4))
        cache[key] = bessel_table(L_new, [q], grid.r)
    return cache[key]


def subshell_cross_section_au(solver: ContinuumSolver, orbital, omega_hartree: float, *,
                              gauge: Literal["velocity", "length"] = "velocity",
                              multipole_tolerance: float = 1e-6, j_max: int = 60,
                              only_e1: bool = False, long_wavelength: bool = False) -> tuple[float, int]:
    """Cross section (bohr²) for ionizing ``orbital`` by a photon ``omega_hartree``.

    Returns ``(sigma, J_max_used)``; 0 below the (Koopmans) threshold.
    """
    eps = omega_hartree + orbital.energy_hartree
    if eps <= 0:
        return 0.0, 0
    q = omega_hartree / C_AU if not long_wavelength else 1e-9 * omega_hartree / C_AU
    inv_c2 = solver.inv_c2
    ka = orbital.kappa
    total = 0.0
    stall = 0
    cache = {}
    bessel_cache = {}
    J = 0
    for J in range(1, j_max + 1):
        contrib = 0.0
        for kp_abs in range(1, J + abs(ka) + 1):  # |kappa'| <= J + |kappa_a| (triangle on j)
            for kp in (kp_abs, -kp_abs):
                kinds = [k for k in ("E", "M") if allowed(kp, J, ka, k)]
                if only_e1:
                    kinds = ["E"] if (J == 1 and "E" in kinds) else []
                if not kinds:
                    continue
                if kp not in cache:
                    cache[kp] = solver.solve(eps, kp)
                cont = cache[kp]
                if cont.negligible:
                    continue
                Pb, Qb = solver.bound_on(cont.grid, orbital.label)
                bessel = _bessel_cached(bessel_cache, cont.grid, q, J + 1)
                w = cont.grid.weights
                for kind in kinds:
                    me = multipole_radial(kind, J, kp, ka, cont.P, cont.Qt, Pb, Qb, w, bessel, inv_c2)[0]
                    if kind == "E" and gauge == "length":
                        C = multipole_radial("C", J, kp, ka, cont.P, cont.Qt, Pb, Qb, w, bessel, inv_c2)[0]
                        Lm = multipole_radial("L", J, kp, ka, cont.P, cont.Qt, Pb, Qb, w, bessel, inv_c2)[0]
                        # conserved current: q L_J = -(omega/c) C_J (current = psi^+ alpha psi)
                        me = me - math.sqrt((J + 1) / J) * (Lm + omega_hartree / (C_AU * q) * C)
                    contrib += abs(me) ** 2
        total += contrib
        if only_e1:
            break
        if contrib <= multipole_tolerance * total:
            stall += 1
            if stall >= J_STALL:
                break
        else:
            stall = 0
    prefactor = 8.0 * math.pi**3 / (ALPHA * omega_hartree) * orbital.occupancy / (2 * abs(ka))
    return prefactor * total, J


def _subshell_task(args):
    """Worker: cross sections (barn) of one subshell at every photon energy."""
    atom_spec, label, omega_keV, hole, gauge, tol, options, only_e1, long_wavelength = args
    from nuatom.structure.atoms import atom as build_atom

    atom = build_atom(**atom_spec) if isinstance(atom_spec, dict) else atom_spec
    o = atom.orbital(label)
    solver = ContinuumSolver(atom, hole=o.label if hole else None, options=options)
    vals, js = [], []
    for w in omega_keV:
        s, J = subshell_cross_section_au(solver, o, float(kev_to_hartree(w)), gauge=gauge,
                                         multipole_tolerance=tol, only_e1=only_e1,
                                         long_wavelength=long_wavelength)
        vals.append(s * BOHR_CM**2 / BARN_CM2)
        js.append(J)
    return label, np.array(vals), np.array(js)


def photoionization(atom, omega_keV, *, method: Literal["dhf", "rpa"] = "rpa", subshells=None,
                    hole: bool = True,
                    gauge: Literal["velocity", "length"] = "velocity",
                    multipole_tolerance: float = 1e-6,
                    options: ContinuumOptions = ContinuumOptions(),
                    only_e1: bool = False, long_wavelength: bool = False,
                    executor=None, rpa_options: "rpa.RPAOptions | None" = None,
                    nondipole: bool = True, cache: bool = True) -> PhotoResult:
    """Photoionization cross section of ``atom`` (an :class:`~nuatom.structure.atoms.Atom`).

    Parameters
    ----------
    atom : Atom
    omega_keV : array_like
        Photon energies in keV (> 0).
    method : {'rpa', 'dhf'}
        ``'rpa'`` (default): the relativistic random-phase approximation
        (:func:`nuatom.continuum.rpa.photoionization_rpa`) for the electric dipole, the
        correlated and gauge-invariant part, every shell polarised; open shells (Ge 4p²)
        by AOC-RRPA, the linear response of the average-of-configuration functional
        (:func:`nuatom.continuum.rpa.occupation_weights`; not the two-configuration
        MCRRPA). With ``nondipole=True`` the higher multipoles are added from the frozen
        core (see below). ``'dhf'``: frozen-core Dirac–Hartree–Fock, every multipole to
        ``multipole_tolerance``. ``subshells``, ``hole``, ``only_e1`` and ``executor``
        apply to ``'dhf'`` only (a ``ValueError`` says so if they are given with
        ``'rpa'``); ``rpa_options`` to ``'rpa'`` only.
    subshells : list of str, optional
        Labels to include (default: all occupied).
    hole : bool
        Continuum in the field of the ion with a hole in the ionized subshell (V^{N-1});
        ``False``: field of the neutral atom.
    gauge : {'velocity', 'length'}
        Coulomb (velocity) or Babushkin (length) gauge for the electric multipoles.
    multipole_tolerance : float
        Relative convergence criterion of the multipole sum.
    options : ContinuumOptions
    only_e1 : bool
        Keep only the electric dipole (for length/velocity comparisons).
    long_wavelength : bool
        Multipoles at q -> 0 (no retardation; for comparisons with dipole formulas).
    executor : concurrent.futures.Executor, optional
        Runs the subshells in parallel (each worker rebuilds the atom from the same
        inputs, from the disk cache when enabled); default: serial.
    rpa_options : RPAOptions, optional
        Options of the RRPA solve (``method='rpa'``).
    nondipole : bool
        ``method='rpa'`` only: add the frozen-core DHF contribution of every multipole
        other than E1 (all multipoles minus E1, continuum in the field of the ion) to each
        subshell, so that the total is comparable with measured photoabsorption. It is
        < 1e-3 of the total below 1 keV and a few per cent at 30 keV; ``False`` gives the
        RRPA dipole alone.
    cache : bool
        ``method='rpa'`` only: look the result up in, and store it to, the disk cache
        (:mod:`nuatom.cache`; key: the atom, every energy, gauge and option, and
        :data:`RPA_PHOTO_REVISION`), since an RRPA solve takes seconds per energy.

    Returns
    -------
    PhotoResult
        ``sigma_barn`` per photon energy and the per-subshell breakdown.
    """
    # the continuum grid grows with the photon energy: refuse what would not fit in memory
    omega = np.atleast_1d(continuum_energy("omega_keV", omega_keV, "keV")).astype(float)
    key = choice("method", method, METHODS)
    if gauge not in ("velocity", "length"):
        raise ValueError(f"gauge = {gauge!r} is not one of ['length', 'velocity']")
    if key == "rpa":
        dhf_only = {"subshells": subshells is not None, "hole": hole is not True, "only_e1": only_e1,
                    "executor": executor is not None}
        given = [name for name, set_ in dhf_only.items() if set_]
        if given:
            raise ValueError(f"{', '.join(given)}: only with method='dhf' (method='rpa' polarises every "
                             "subshell in the field of the ion)")
        rpa_opts = rpa.RPAOptions() if rpa_options is None else rpa_options
        inputs = _rpa_cache_inputs(atom, omega, gauge, rpa_opts, options, multipole_tolerance,
                                   long_wavelength, nondipole)
        if cache:
            hit = _result_from_cache(_cache.load(RPA_PHOTO_CACHE_KIND, inputs), gauge)
            if hit is not None:
                return hit
        result = rpa.photoionization_rpa(atom, omega, gauge=gauge, long_wavelength=long_wavelength,
                                         options=rpa_opts)
        if nondipole:
            full = photoionization(atom, omega, method="dhf", gauge=gauge, options=options,
                                   multipole_tolerance=multipole_tolerance, long_wavelength=long_wavelength)
            e1 = photoionization(atom, omega, method="dhf", gauge=gauge, options=options, only_e1=True,
                                 long_wavelength=long_wavelength)
            for label, values in result.subshells.items():
                values += full.subshells[label] - e1.subshells[label]
            result.sigma_barn = np.sum(list(result.subshells.values()), axis=0)
            result.multipoles["nondipole_dhf_barn"] = full.sigma_barn - e1.sigma_barn
        if cache:
            _cache.save(RPA_PHOTO_CACHE_KIND, inputs, _result_arrays(result))
        return result
    orbs = [o for o in atom.orbitals if o.occupancy > 0]
    if subshells is not None:
        wanted = {atom.orbital(s).label for s in subshells}
        orbs = [o for o in orbs if o.label in wanted]
    spec = atom.spec() if executor is not None else atom
    tasks = [(spec, o.label, omega, hole, gauge, multipole_tolerance, options, only_e1, long_wavelength)
             for o in orbs]
    results = executor.map(_subshell_task, tasks) if executor is not None else map(_subshell_task, tasks)
    per, jmax = {}, {}
    for label, vals, js in results:
        per[label] = vals
        jmax[label] = js
    total = np.sum(list(per.values()), axis=0) if per else np.zeros_like(omega)
    return PhotoResult(omega, total, per, jmax, gauge)


def _rpa_cache_inputs(atom, omega, gauge, rpa_options, options, multipole_tolerance, long_wavelength,
                      nondipole) -> dict:
    return {**_cache.atom_key(atom),
            "omega_keV": hashlib.sha256(np.ascontiguousarray(omega, dtype=float).tobytes()).hexdigest(),
            "n": int(omega.size), "gauge": gauge, "rpa_options": repr(rpa_options), "options": repr(options),
            "multipole_tolerance": float(multipole_tolerance).hex(), "long_wavelength": bool(long_wavelength),
            "nondipole": bool(nondipole), "revision": RPA_PHOTO_REVISION, "scf": SCF_REVISION}


def _result_arrays(result: PhotoResult) -> dict:
    arrays = {"omega_keV": result.omega_keV, "sigma_barn": result.sigma_barn,
              "subshell_labels": np.array(list(result.subshells), dtype=str)}
    for i, values in enumerate(result.subshells.values()):
        arrays[f"subshell_{i}"] = values
    for name, values in result.multipoles.items():
        arrays[f"multipole_{name}"] = values
    return arrays


def _result_from_cache(hit, gauge) -> PhotoResult | None:
    """The cached result, or ``None`` if there is none or it cannot be read (the key holds a
    hash of every photon energy, so a hit is for these energies)."""
    if hit is None:
        return None
    try:
        omega = np.asarray(hit["omega_keV"], float)
        labels = [str(x) for x in np.atleast_1d(hit["subshell_labels"])]
        subshells = {label: np.asarray(hit[f"subshell_{i}"], float) for i, label in enumerate(labels)}
        multipoles = {name[len("multipole_"):]: np.asarray(hit[name]) for name in hit
                      if name.startswith("multipole_")}
        return PhotoResult(omega, np.asarray(hit["sigma_barn"], float), subshells, multipoles, gauge)
    except (KeyError, ValueError, TypeError):
        return None
