"""Open tables of the per-subshell ionization factors: nuatom's S, Essig et al.'s |f_ion|², Catena et al.'s W1, Roberts et al.'s K.

:func:`export_ionization_factors` writes one CSV per subshell (long format, one row per
(T, q) point of the response table) and a ``REFERENCE.md`` that states the conventions
(:mod:`nuatom.darkmatter.conventions`): continuum normalized per unit energy, occupation
of the subshell included, :math:`|f_{\\rm ion}|^2 = W_1 = 4E_eS`, :math:`K = E_hS`.
"""
from __future__ import annotations

import pathlib

import numpy as np

from nuatom import __version__
from nuatom.darkmatter.conventions import K_from_S, f_ion_sq_from_S
from nuatom.darkmatter.tables import charge_response
from nuatom.units import ME_KEV

__all__ = ["export_ionization_factors", "read_ionization_factors"]

_PROVENANCE = {
    "dhf": ("nuatom's own results (frozen-core Dirac-Hartree-Fock continuum; see "
            "nuatom/data/darkmatter/REFERENCE.md for the physics, grids and engine revision).\n\n"),
    "rpa": ("nuatom's own results (frozen-core Dirac-Hartree-Fock continuum plus the RRPA correction of "
            "the Coulomb multipoles J <= 3 of each subshell, energy transfers up to about 0.4 keV; see "
            "nuatom/data/darkmatter/REFERENCE.md for the physics, grids and engine revision).\n\n"),
}
_COLUMNS = ("T_keV", "E_e_keV", "k_prime_keV", "q_keV", "S_per_keV", "f_ion_sq", "K")


def export_ionization_factors(directory, element: str | None = None, *, table=None, method: str = "dhf") -> list:
    """Write ``<El>_<subshell>.csv`` files and ``REFERENCE.md`` into ``directory``; returns the paths.

    Columns: T_keV (energy transfer), E_e_keV = T − E_B (ejected-electron energy),
    k_prime_keV = sqrt(2 m_e E_e), q_keV, S_per_keV (R00 of the subshell, 1/keV),
    f_ion_sq (= W1, dimensionless), K (dimensionless). Rows below threshold are omitted.
    """
    resp = charge_response(element, table=table, method=method)
    out = pathlib.Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    Tg, qg = np.meshgrid(resp.T_keV, resp.q_keV, indexing="ij")
    for i, label in enumerate(resp.subshells):
        Eb = float(resp.binding_keV[i])
        keep = Tg > Eb
        if not np.any(keep):
            continue
        S = resp.S_per_keV[i][keep]
        T, q = Tg[keep], qg[keep]
        Ee = T - Eb
        data = np.column_stack([T, Ee, np.sqrt(2 * ME_KEV * Ee), q, S, f_ion_sq_from_S(S, T, Eb), K_from_S(S)])
        path = out / f"{resp.element}_{label.replace('/', '-')}.csv"
        header = (f"nuatom {__version__} ionization factors of {resp.element} {label} (method {resp.method}); "
                  f"Koopmans binding {Eb:.9g} keV; see REFERENCE.md\n" + ",".join(_COLUMNS))
        np.savetxt(path, data, delimiter=",", header=header, fmt="%.10e")
        paths.append(path)
    ref = out / "REFERENCE.md"
    ref.write_text(
        f"# Ionization factors of {resp.element} per subshell (nuatom {__version__}, method {resp.method})\n\n"
        + _PROVENANCE[resp.method] +
        "* One file per relativistic subshell `<El>_<n><l>_<j>.csv` (j written as 1-2, 3-2, ...); "
        "sum the two j partners for an nl shell.\n"
        "* S_per_keV: charge response R00 of the subshell, occupation included, continuum "
        "normalized per unit energy (1/keV).\n"
        "* f_ion_sq = 4 E_e S: Essig, Volansky & Yu (PRD 96, 043017, 2017) ionization form factor "
        "(spin degeneracy included) = Catena et al. (PRR 2, 033195, 2020) W1.\n"
        "* K = E_h S (E_h the Hartree energy): Roberts et al.'s atomic ionisation factor.\n"
        "* Rate: dR/dT = N_T (rho/m_chi) sigma_e/(2 mu^2) * integral q dq |F_DM|^2 S eta(v_min), "
        "v_min = T/q + q/(2 m_chi).\n"
        f"* Binding energies (keV, Koopmans): "
        + ", ".join(f"{s} {b:.6g}" for s, b in zip(resp.subshells, resp.binding_keV)) + "\n")
    paths.append(ref)
    return paths


def read_ionization_factors(path) -> dict:
    """Read one exported CSV into ``{column: array}``."""
    data = np.loadtxt(path, delimiter=",", comments="#")
    return {c: data[:, j] for j, c in enumerate(_COLUMNS)}
