"""``nuatom response``: atomic response functions R_{mu nu}(T, q), frozen-core DHF or RPA."""
from __future__ import annotations

import concurrent.futures as cf

from nuatom.neutrino.free import couplings
from nuatom.response import COMPONENTS, ResponseOptions, tabulate
from nuatom.response.tables import process_pool, shutdown_pool
from ._common import float_list, workers
from .atom import add_structure_arguments, build_atom

NAME = "response"
HELP = ("atomic response functions R00, R0303, R33, R1122, R1221 in 1/keV per atom, "
        "arrays [T][q], for the vector, axial or weak current")


def add_arguments(p) -> None:
    p.add_argument("element", help="element symbol or Z (H..U, Z = 1..92)")
    p.add_argument("--T", type=float_list, required=True, help="energy transfers in keV, comma-separated")
    p.add_argument("--q", type=float_list, required=True, help="momentum transfers in keV/c, comma-separated")
    p.add_argument("--current", choices=("vector", "axial", "weak"), default="vector",
                   help="vector J, axial J5, or the weak mix c_V J - c_A J5")
    p.add_argument("--flavor", choices=("nue", "nuebar", "numu", "numubar", "nutau", "nutaubar"),
                   default="nue",
                   help="neutrino flavour that fixes c_V, c_A of the weak current (the antineutrino "
                        "sign enters the leptonic tensor, not the response)")
    p.add_argument("--method", choices=("dhf", "rpa"), default="dhf",
                   help="dhf: frozen-core DHF, continuum in the ion's field (seconds per T); rpa: "
                        "relativistic RPA for multipoles J <= 3 on that base (nuatom.response.rpa; "
                        "relativistic atoms only, minutes per T for Ge, Xe; no disk cache)")
    p.add_argument("--no-hole", action="store_true", help="continuum in the neutral-atom field (V^N; dhf only)")
    p.add_argument("--workers", type=int, default=0,
                   help="worker processes (default: one per core; 1 runs in this process)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the disk cache")
    add_structure_arguments(p)


def executor_from(args):
    """``None`` (default process pool) or a single-thread executor for ``--workers 1``."""
    n = workers(args.workers)
    if n == 1:
        return cf.ThreadPoolExecutor(1)
    if n > 1:
        return process_pool(n)
    return None


def check_grid(T_keV, q_keV, option_T="--T", option_q="--q") -> None:
    """Refuse a (T, q) request beyond the memory budget before any atom is built."""
    from nuatom._validate import MAX_MOMENTUM_KEV, continuum_energy, positive_array, table_size

    q = positive_array(option_q, q_keV, "keV/c")
    if q.size and q.max() > MAX_MOMENTUM_KEV:
        raise ValueError(f"{option_q} = {q.max():g} keV/c is outside the valid range (0, "
                         f"{MAX_MOMENTUM_KEV:g}] keV/c")
    continuum_energy(option_T, T_keV, "keV")
    table_size(len(T_keV), len(q_keV))


def run_tabulate(atom, T, q, ex, **kwargs):
    """``tabulate`` on executor ``ex``, whose workers are stopped at once if it fails or is
    interrupted (Ctrl-C, SIGTERM)."""
    try:
        table = tabulate(atom, T, q, executor=ex, **kwargs)
    except BaseException:
        if ex is not None:
            shutdown_pool(ex, terminate=True)
        raise
    if ex is not None:
        shutdown_pool(ex)
    return table


def rpa_components(atom, T_keV, q_keV, current: str, c_V: float, c_A: float) -> dict:
    """``{"rpa": {component: array[T][q]}, "frozen": {...}}`` (1/keV per atom): the RPA
    response (:func:`nuatom.response.rpa.rpa_response_point`, one point per energy transfer)
    and the frozen-core base of the same points (the engine's method "dhf", which the tests
    compare with ``--method dhf`` to check the units)."""
    import numpy as np

    from nuatom.response.engine import kinds_for
    from nuatom.response.rpa import rpa_response_point
    from nuatom.units import HARTREE_KEV, q_kev_to_au

    if not atom.relativistic:
        raise ValueError("--method rpa needs a relativistic atom (drop --nonrelativistic)")
    rows = {m: {c: [] for c in COMPONENTS} for m in ("rpa", "frozen")}
    q_au = q_kev_to_au(np.asarray(q_keV, float))
    for T in T_keV:
        point = rpa_response_point(atom, T / HARTREE_KEV, q_au, kinds=kinds_for(COMPONENTS, (current,)))
        for m in rows:
            comps = point.components(current, method=m, c_V=c_V, c_A=c_A, components=COMPONENTS)
            for c in COMPONENTS:  # per Hartree -> per keV
                rows[m][c].append(np.asarray(comps[c], float) / HARTREE_KEV)
    return {m: {c: np.array(v) for c, v in r.items()} for m, r in rows.items()}


def run(args) -> dict:
    check_grid(args.T, args.q)
    workers(args.workers)  # validated before the atom is built
    if args.method == "rpa" and args.no_hole:
        raise ValueError("--no-hole is valid with --method dhf only: the RPA holds the hole at every "
                         "multipole (nuatom.response.rpa)")
    atom = build_atom(args)
    c = couplings(args.flavor)
    if args.method == "rpa":
        comps = rpa_components(atom, args.T, args.q, args.current, c.g_V, c.g_A)["rpa"]
        converged = True  # a solve that does not converge raises ConvergenceError
    else:
        options = ResponseOptions(hole=not args.no_hole)
        ex = executor_from(args)
        table = run_tabulate(atom, args.T, args.q, ex, currents=(args.current,), options=options,
                             cache=not args.no_cache, progress=False)
        comps = table.components(args.current, c_V=c.g_V, c_A=c.g_A, components=COMPONENTS)
        converged = bool(table.converged.all())
    out = {"method": args.method, "T_keV": list(args.T), "q_keV": list(args.q)}
    out.update({k: v.tolist() for k, v in comps.items()})
    out["units"] = "1/keV per atom"
    if args.current == "weak":
        out["c_V"], out["c_A"] = c.g_V, c.g_A
    out["converged"] = converged
    return out
