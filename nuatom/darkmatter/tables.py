"""Per-subshell charge responses S(T, q) = R00 for DM–electron scattering: packaged tables and access.

The packaged tables ``nuatom/data/darkmatter/<El>.npz`` (Ge, Xe; Na and I for NaI, Cs and
I for CsI, Ar for liquid argon) are nuatom's own frozen-core DHF results (``method="dhf"``), made by ``benchmarks/make_dm_tables.py`` with
:func:`nuatom.response.tabulate` (only the Coulomb–Coulomb multipole sum), kept per subshell;
``REFERENCE.md`` beside them gives grids, options, engine revision and wall time.
``nuatom/data/darkmatter/rpa/<El>.npz`` (Ge, Xe; ``method="rpa"``) are the same responses with
the RRPA correction of the Coulomb multipoles J <= 3 added to each subshell
(``benchmarks/make_rpa_dm_tables.py``), on the frozen-core table's grid up to 0.405 keV (Ge)
and 0.394 keV (Xe) only: enough for m_chi up to about 110 MeV in the standard halo. Any other
atom: pass a :class:`~nuatom.response.ResponseTable` made with ``tabulate(atom, T, q,
components=("R00",), currents=("vector",))`` wherever a ``table`` is accepted.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass

import numpy as np

from nuatom.response.tables import ENGINE_REVISION, ResponseTable

__all__ = ["METHODS", "dm_response_table", "ChargeResponse", "charge_response", "available_elements",
           "column_charge_response"]

#: Response methods: 'dhf' (frozen-core Dirac–Hartree–Fock; every packaged element, T <= 4 keV)
#: and 'rpa' (RRPA-corrected; Ge and Xe, T below about 0.4 keV).
METHODS = ("dhf", "rpa")
_DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "darkmatter"
_DIRECTORY = {"dhf": _DATA, "rpa": _DATA / "rpa"}
_GENERATOR = {"dhf": "benchmarks/make_dm_tables.py", "rpa": "benchmarks/make_rpa_dm_tables.py"}


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")


def available_elements(method: str = "dhf") -> list[str]:
    """Elements with a packaged DM response table of ``method``."""
    _check_method(method)
    return sorted(p.stem for p in _DIRECTORY[method].glob("*.npz"))


def dm_response_table(element: str, method: str = "dhf") -> ResponseTable:
    """The packaged per-subshell R00 table of ``element`` (checksum verified on load).

    Raises
    ------
    ValueError
        Unknown method, or no table of that method for ``element``.
    """
    _check_method(method)
    path = _DIRECTORY[method] / f"{element}.npz"
    if not isinstance(element, str) or not path.exists():
        raise ValueError(f"element = {element!r}: no packaged {method!r} dark-matter response table "
                         f"(available: {available_elements(method)}; for another atom pass a table "
                         "made with nuatom.tabulate(atom, T, q, components=('R00',)))")
    table = ResponseTable.load(path)
    for key in ("engine_revision",) + (("rpa_engine_revision",) if method == "rpa" else ()):
        rev = table.metadata.get(key)
        if rev != ENGINE_REVISION:
            raise ValueError(f"{path}: {key} {rev!r}, the package is at {ENGINE_REVISION}; "
                             f"regenerate with {_GENERATOR[method]}")
    return table


@dataclass(frozen=True)
class ChargeResponse:
    """S(T, q) of every subshell of one atom, in 1/keV, with interpolation.

    Attributes
    ----------
    element : str
    subshells : tuple of str
    binding_keV : ndarray (nsub,)
        Koopmans binding energies (keV); S = 0 below each.
    T_keV, q_keV : ndarray
        The table grid (keV, keV/c).
    S_per_keV : ndarray (nsub, nT, nq)
        R00 per subshell (occupation included), 1/keV.
    method : str
    extrapolate_q : bool
        Above the largest tabulated q, continue ln S linearly in ln q with the slope of the
        last two grid points (a power-law tail, used only where S falls); ``False``: S = 0
        there. The tail changes the packaged-table rates by < 1e-3 (tested), but keeps the
        spectrum non-zero up to the exact kinematic end point, where q > 2000 keV is needed.
    """

    element: str
    subshells: tuple
    binding_keV: np.ndarray
    T_keV: np.ndarray
    q_keV: np.ndarray
    S_per_keV: np.ndarray
    method: str = "dhf"
    extrapolate_q: bool = True

    @property
    def T_max_keV(self) -> float:
        return float(self.T_keV[-1])

    def interpolate(self, index: int, T_keV, q_keV) -> np.ndarray:
        """S of subshell ``index`` at (T, q) (broadcast), 1/keV.

        Bilinear in (ln T, ln q) of ln S over the grid points above the subshell's
        threshold; between the threshold and the first grid point above it (2 % of the
        binding energy) S is held at that point's value; zero below threshold, above
        ``T_max_keV`` and below the q grid; above the q grid, the power-law tail of
        ``extrapolate_q`` (or zero).
        """
        from scipy.interpolate import RegularGridInterpolator

        Eb = float(self.binding_keV[index])
        rows = self.T_keV > Eb
        T_rows = self.T_keV[rows]
        S = self.S_per_keV[index][rows]
        T, q = np.broadcast_arrays(np.asarray(T_keV, float), np.asarray(q_keV, float))
        out = np.zeros(T.shape)
        if T_rows.size == 0:
            return out
        floor = 1e-300
        logS = np.log(np.maximum(S, floor))
        q_top = self.q_keV[-1] if not self.extrapolate_q else np.inf
        inside = (T > Eb) & (T <= self.T_keV[-1]) & (q >= self.q_keV[0]) & (q <= q_top)
        if not np.any(inside):
            return out
        Tc = np.clip(T[inside], T_rows[0], T_rows[-1])
        lq = np.log(q[inside])
        lq_grid = np.log(self.q_keV)
        lq_c = np.minimum(lq, lq_grid[-1])
        if T_rows.size == 1:
            vals = np.interp(lq_c, lq_grid, logS[0])
            slope = np.full(lq.shape, (logS[0, -1] - logS[0, -2]) / (lq_grid[-1] - lq_grid[-2]))
        else:
            pts = np.column_stack([np.log(Tc), lq_c])
            f = RegularGridInterpolator((np.log(T_rows), lq_grid), logS, method="linear")
            vals = f(pts)
            g = RegularGridInterpolator((np.log(T_rows),), (logS[:, -1] - logS[:, -2]) / (lq_grid[-1] - lq_grid[-2]),
                                        method="linear")
            slope = g(pts[:, :1])
        beyond = lq > lq_grid[-1]
        if np.any(beyond):
            # a falling power law only; a non-negative slope (no tail) gives zero
            tail = vals + np.minimum(slope, 0.0) * (lq - lq_grid[-1])
            vals = np.where(beyond, np.where(slope < 0, tail, -np.inf), vals)
        with np.errstate(over="ignore"):
            out[inside] = np.where(vals > np.log(floor) + 1, np.exp(vals), 0.0)
        return out


def charge_response(element: str | None = None, *, table: ResponseTable | None = None,
                    method: str = "dhf") -> ChargeResponse:
    """Per-subshell charge response of ``element`` (packaged table) or of a user ``table``."""
    _check_method(method)
    if table is None:
        if element is None:
            raise ValueError("give element or table")
        table = dm_response_table(element, method)
    S = np.stack([table.components("vector", subshell=s, components=("R00",))["R00"]
                  for s in table.subshells])
    return ChargeResponse(element=str(table.metadata.get("element", element)),
                          subshells=tuple(table.subshells),
                          binding_keV=np.asarray(table.binding_keV, float),
                          T_keV=np.asarray(table.T_keV, float), q_keV=np.asarray(table.q_keV, float),
                          S_per_keV=np.asarray(S, float), method=method)


def column_charge_response(table: ResponseTable, T_keV: float):
    """The charge response :math:`R_{00}` (1/keV, vector current, summed over subshells) of
    ``table`` at one of its energy transfers, as a callable ``S(T, q)`` for
    :func:`nuatom.darkmatter.rates.dR_dT_subshell`: linear in :math:`\\ln S` against
    :math:`\\ln q` between the table's momenta, held at the end values outside them (pass
    the table's momentum range as ``q_bounds_keV``); the ``T`` argument is ignored.

    Made for tables that exist only at a few energy transfers, such as the RPA response
    columns (:func:`nuatom.response.rpa_reference_columns`), where no interpolation in T is
    possible.

    Raises
    ------
    ValueError
        ``T_keV`` is not one of the table's energy transfers (relative 1e-6).
    """
    T_nodes = np.asarray(table.T_keV, float)
    j = int(np.argmin(np.abs(T_nodes - float(T_keV))))
    if not abs(T_nodes[j] - float(T_keV)) <= 1e-6 * abs(float(T_keV)):
        raise ValueError(f"T_keV = {T_keV:g} is not one of the table's energy transfers "
                         f"(valid: T_keV in {[round(float(t), 9) for t in T_nodes]})")
    log_S = np.log(np.maximum(table.components("vector", components=("R00",))["R00"][j], 1e-300))
    log_q = np.log(np.asarray(table.q_keV, float))
    return lambda T, q: np.exp(np.interp(np.log(q), log_q, log_S))
