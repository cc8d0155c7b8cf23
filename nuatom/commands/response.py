"""``nuatom response``: atomic response functions R_{mu nu}(T, q) in the frozen-core DHF model."""
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
    p.add_argument("--no-hole", action="store_true", help="continuum in the neutral-atom field (V^N)")
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


def run(args) -> dict:
    check_grid(args.T, args.q)
    workers(args.workers)  # validated before the atom is built
    atom = build_atom(args)
    options = ResponseOptions(hole=not args.no_hole)
    ex = executor_from(args)
    table = run_tabulate(atom, args.T, args.q, ex, currents=(args.current,), options=options,
                         cache=not args.no_cache, progress=False)
    c = couplings(args.flavor)
    comps = table.components(args.current, c_V=c.g_V, c_A=c.g_A, components=COMPONENTS)
    out = {"T_keV": list(args.T), "q_keV": list(args.q)}
    out.update({k: v.tolist() for k, v in comps.items()})
    out["units"] = "1/keV per atom"
    if args.current == "weak":
        out["c_V"], out["c_A"] = c.g_V, c.g_A
    out["converged"] = bool(table.converged.all())
    return out
