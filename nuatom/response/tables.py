"""Response-function tables: the tabulation engine behind :func:`nuatom.response.engine.tabulate`.

A :class:`ResponseTable` holds, for every occupied subshell, the bilinear multipole sums
(:data:`nuatom.response.engine.BASIS`) on a grid of energy transfers ``T_keV`` and momentum
transfers ``q_keV``, in 1/keV per atom; the response components of any current
(vector, axial, weak with any :math:`c_V, c_A`) follow from them linearly
(:meth:`ResponseTable.components`).

Work is split into independent chunks, one per (subshell, energy transfer, window of
partial waves :math:`\\kappa'`), and mapped over any :class:`concurrent.futures.Executor`
(default: a local process pool; a Dask cluster through
``distributed.Client(...).get_executor()`` works unchanged). A chunk whose window leaves
the partial-wave sum unconverged (:func:`nuatom.response.engine.partial_waves_converged`) is
followed by a chunk for the next window of the same (subshell, T), as soon as it returns.
Each finished (subshell, T) column is cached at once (kind :data:`CHUNK_KIND`), so that an
interrupted run resumes where it stopped. The local pool's workers die with their parent
(:func:`process_pool`) and are stopped at once on an interrupt or error
(:func:`shutdown_pool`).

Tables are saved as ``.npz`` with a human-readable ``header`` entry and a JSON
``metadata`` entry (units, method, grids, options, package version, wall time), and are
cached on disk (:mod:`nuatom.cache`) under a key made of every input and the version; a
cache entry that does not match its key, fails to load, or fails its stored checksum is
recomputed.
"""
from __future__ import annotations

import concurrent.futures as cf
import datetime
import hashlib
import json
import os
import pathlib
import time
import zipfile
from dataclasses import dataclass, field

import numpy as np

from nuatom import __version__
from nuatom import cache as _cache
from nuatom.response.engine import (_COMPONENT_KINDS, COMPONENTS, CURRENTS, ResponseOptions, basis_for,
                       components_from_basis, first_window, kinds_for, partial_waves_converged,
                       window_sums)
from nuatom.numerics.memory import keep_freed_memory
from nuatom.units import HARTREE_KEV, kev_to_hartree, q_kev_to_au
from nuatom.structure.hf import SCF_REVISION
from nuatom._validate import MAX_MOMENTUM_KEV, continuum_energy, positive_array, table_size

__all__ = ["ResponseTable", "tabulate", "reference_table", "reference_q_grid_keV", "TABLE_FORMAT"]

#: Version of the on-disk table layout.
TABLE_FORMAT = 1
#: Revision of the numerical engine, part of every cache key: bump it whenever a change
#: alters computed numbers, so that no cache entry made by older code is reused within a
#: package version (2: multipoles of order |l'-l_a|-1 included; 3: continuum orthogonal to
#: the full bound orbitals, not to their exchange copies with cut tails — changes <= 5e-6).
ENGINE_REVISION = 3


@dataclass
class ResponseTable:
    """Atomic response functions on a (T, q) grid, per subshell.

    Attributes
    ----------
    T_keV : ndarray, shape (nT,)
        Energy transfers (keV).
    q_keV : ndarray, shape (nq,)
        Momentum transfers (keV/c).
    subshells : tuple of str
        Subshell labels (``"5p_3/2"``).
    binding_keV : ndarray, shape (nsub,)
        Koopmans binding energies :math:`-\\varepsilon_a` (keV): each subshell is zero
        below its own threshold.
    basis : tuple of (str, str)
        The bilinear sums stored (:data:`nuatom.response.engine.BASIS` or a subset).
    sums_per_keV : ndarray, shape (nsub, nbasis, nT, nq)
        :math:`S_{XY}` per subshell in 1/keV (occupation weight included).
    kappa_max, J_max : ndarray of int, shape (nsub, nT)
        Largest :math:`|\\kappa'|` and multipole order summed.
    converged : ndarray of bool, shape (nsub, nT)
        Whether the partial-wave sum met its tolerance (else it stopped at
        ``options.kappa_max``).
    metadata : dict
        Element, model, method, grids, options, version, wall time, creation date.
    """

    T_keV: np.ndarray
    q_keV: np.ndarray
    subshells: tuple
    binding_keV: np.ndarray
    basis: tuple
    sums_per_keV: np.ndarray
    kappa_max: np.ndarray
    J_max: np.ndarray
    converged: np.ndarray
    metadata: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ access
    def components(self, current: str = "vector", *, c_V: float = 1.0, c_A: float = 1.0,
                   subshell: str | None = None, components=None) -> dict:
        """Response components ``{name: array [nT, nq]}`` in 1/keV per atom.

        Parameters
        ----------
        current : {'vector', 'axial', 'weak'}
            'weak' is :math:`c_V\\mathcal J - c_A\\mathcal J_5`.
        c_V, c_A : float
            Weak couplings (only for ``current='weak'``).
        subshell : str, optional
            One subshell's contribution instead of the atom's total.
        components : sequence of str, optional
            Subset of ``("R00", "R0303", "R33", "R1122", "R1221")`` (default: all that
            the stored kinds allow).
        """
        if subshell is None:
            S = self.sums_per_keV.sum(axis=0)
        else:
            if subshell not in self.subshells:
                raise ValueError(f"subshell = {subshell!r} is not one of {list(self.subshells)}")
            S = self.sums_per_keV[self.subshells.index(subshell)]
        if components is None:
            kinds = {k.rstrip("5") for p in self.basis for k in p}
            components = [c for c in COMPONENTS
                          if all(k in kinds for k in _COMPONENT_KINDS[c])]
        return components_from_basis(S, current, c_V, c_A, basis=self.basis, components=components)

    def summed(self, label: str = "total") -> "ResponseTable":
        """The same table summed over subshells (one pseudo-subshell ``label``).

        The binding energy is the smallest of the summed subshells (the atom's first
        threshold); the per-subshell thresholds, partial-wave and multipole limits are kept
        in ``metadata["summed_subshells"]``.
        """
        meta = dict(self.metadata)
        meta["summed_subshells"] = {
            s: {"binding_keV": float(b), "kappa_max": int(self.kappa_max[i].max()),
                "J_max": int(self.J_max[i].max()), "converged": bool(self.converged[i].all())}
            for i, (s, b) in enumerate(zip(self.subshells, self.binding_keV))}
        return ResponseTable(
            T_keV=self.T_keV, q_keV=self.q_keV, subshells=(label,),
            binding_keV=np.array([float(self.binding_keV.min())]), basis=self.basis,
            sums_per_keV=self.sums_per_keV.sum(axis=0, keepdims=True),
            kappa_max=self.kappa_max.max(axis=0, keepdims=True),
            J_max=self.J_max.max(axis=0, keepdims=True),
            converged=self.converged.all(axis=0, keepdims=True), metadata=meta)

    # ------------------------------------------------------------------ I/O
    def header(self) -> str:
        """Human-readable description stored with the table."""
        m = self.metadata
        lines = [
            f"nuatom response table (format {TABLE_FORMAT}), nuatom {m.get('version', '?')}",
            f"atom: {m.get('element', '?')} (Z = {m.get('Z', '?')}), configuration {m.get('configuration', '?')}, "
            f"{'relativistic DHF' if m.get('relativistic', True) else 'non-relativistic HF'}, "
            f"nucleus {m.get('nucleus', '?')}",
            f"method: {m.get('method', '?')}",
            f"T_keV: {len(self.T_keV)} values, {self.T_keV.min():.6g} .. {self.T_keV.max():.6g}",
            f"q_keV: {len(self.q_keV)} values, {self.q_keV.min():.6g} .. {self.q_keV.max():.6g}",
            f"subshells: {', '.join(self.subshells)}",
            "arrays: sums_per_keV[subshell, basis, T, q] in 1/keV per atom (occupation weight "
            "included); basis pairs (X, Y) mean sum over final states of Re X_J Y_J^* with "
            "reduced multipole matrix elements X_J; components via "
            "ResponseTable.components(current, c_V=, c_A=)",
            "components: R00 = 4 pi S_CC, R0303 (R03+R30) = -8 pi S_CL, R33 = 4 pi S_LL, "
            "R1122 (R11+R22) = 4 pi (S_EE + S_MM), R1221 (helicity difference -i(R12-R21)) "
            "= 8 pi S_EM; weak current: X -> c_V X - c_A X5",
            f"wall time: {m.get('elapsed_s', float('nan')):.1f} s; created {m.get('created', '?')}",
        ]
        return "\n".join(lines)

    def _arrays(self) -> dict:
        return {
            "T_keV": self.T_keV, "q_keV": self.q_keV,
            "subshells": np.array(self.subshells), "binding_keV": self.binding_keV,
            "basis": np.array([f"{a},{b}" for a, b in self.basis]),
            "sums_per_keV": self.sums_per_keV, "kappa_max": self.kappa_max, "J_max": self.J_max,
            "converged": self.converged,
        }

    def checksum(self) -> str:
        """SHA-256 of the numerical arrays (stored with the table; checked on load)."""
        h = hashlib.sha256()
        for name, arr in self._arrays().items():
            h.update(name.encode())
            h.update(np.ascontiguousarray(arr).tobytes())
        return h.hexdigest()

    def save(self, path) -> pathlib.Path:
        """Write the table as ``.npz`` (arrays + ``header`` + ``metadata`` JSON)."""
        path = pathlib.Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(".npz")
        meta = dict(self.metadata, format=TABLE_FORMAT, checksum=self.checksum())
        np.savez_compressed(path, header=np.array(self.header()), metadata=np.array(json.dumps(meta)),
                            **self._arrays())
        return path

    @classmethod
    def load(cls, path) -> "ResponseTable":
        """Read a table written by :meth:`save`.

        Raises
        ------
        ValueError
            If the file is not a response table of this format, or its arrays do not
            match their stored checksum (corrupted file).
        """
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["metadata"]))
                arrays = {k: data[k] for k in data.files if k not in ("header", "metadata")}
        except (KeyError, ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
            raise ValueError(f"{path}: not a readable nuatom response table ({exc})") from exc
        if meta.get("format") != TABLE_FORMAT:
            raise ValueError(f"{path}: table format {meta.get('format')!r}, expected {TABLE_FORMAT}")
        table = cls(
            T_keV=arrays["T_keV"], q_keV=arrays["q_keV"],
            subshells=tuple(str(s) for s in arrays["subshells"]), binding_keV=arrays["binding_keV"],
            basis=tuple(tuple(str(b).split(",")) for b in arrays["basis"]),
            sums_per_keV=arrays["sums_per_keV"], kappa_max=arrays["kappa_max"], J_max=arrays["J_max"],
            converged=arrays["converged"], metadata={k: v for k, v in meta.items()
                                                     if k not in ("format", "checksum")})
        if table.checksum() != meta.get("checksum"):
            raise ValueError(f"{path}: arrays do not match their stored checksum (corrupted table)")
        return table


# ---------------------------------------------------------------------- workers
_WORKER_SOLVERS: dict = {}


def _solver_for(atom_spec: dict, label: str, options: ResponseOptions):
    """The atom and the continuum solver of one subshell, built once per worker process."""
    from nuatom.continuum.solver import ContinuumSolver
    from nuatom.structure.atoms import atom as build_atom

    key = (json.dumps(atom_spec, sort_keys=True, default=repr), label, repr(options))
    if key not in _WORKER_SOLVERS:
        at = build_atom(**atom_spec)
        orb = at.orbital(label)
        solver = ContinuumSolver(at, hole=orb.label if options.hole else None, options=options.continuum)
        if len(_WORKER_SOLVERS) > 64:
            _WORKER_SOLVERS.clear()
        _WORKER_SOLVERS[key] = (orb, solver)
    return _WORKER_SOLVERS[key]


def _limit_blas_threads() -> None:
    """One BLAS thread per worker process: the pool already uses every core, and
    threaded BLAS calls from several processes spin against each other."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - dependency declared in pyproject
        return
    threadpool_limits(1)


def _window_task(payload: dict) -> dict:
    """Worker: one (subshell, T, kappa' window) chunk."""
    _limit_blas_threads()
    orb, solver = _solver_for(payload["atom"], payload["label"], payload["options"])
    res = window_sums(solver, orb, payload["T_hartree"], payload["q_au"], payload["kappa_lo"],
                      payload["kappa_hi"], payload["options"], payload["kinds"])
    # a worker holds one solver per subshell; the grids of this energy are not needed again
    # (measured: without this, workers grew to 6.6 GB over the 128 x 256 Xe benchmark)
    solver.release_grids()
    return {"S": res.S, "batch_sizes": res.batch_sizes, "kappa_hi": res.kappa_hi, "J_max": res.J_max,
            "exhausted": res.exhausted}


def _worker_init(parent_pid: int) -> None:
    """Initializer of every pool worker: it dies with its parent and leaves interrupts to it.

    * ``SIGINT`` is ignored (Ctrl-C reaches the whole process group; the parent catches it
      and stops the workers) and ``SIGTERM`` has its default action (a forked worker would
      otherwise inherit the parent's Python handler and survive it);
    * on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker when the
      parent dies, even by ``SIGKILL`` or a timeout that kills only the parent;
    * if the parent is already gone when the worker starts, the worker exits;
    * large arrays come from the heap and freed memory is kept
      (:func:`nuatom.numerics.memory.keep_freed_memory`).
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent_pid:
        os._exit(1)
    keep_freed_memory()


def process_pool(max_workers: int | None = None) -> cf.ProcessPoolExecutor:
    """A local process pool whose workers never outlive this process (:func:`_worker_init`);
    stop it with :func:`shutdown_pool`."""
    return cf.ProcessPoolExecutor(max_workers=max_workers or os.cpu_count() or 1,
                                  initializer=_worker_init, initargs=(os.getpid(),))


def shutdown_pool(executor: cf.Executor, *, terminate: bool = False, timeout: float = 10.0) -> None:
    """Shut ``executor`` down; with ``terminate`` (an interrupt or an error), cancel the
    queued chunks and stop the worker processes of a process pool at once instead of
    waiting for their running chunks (SIGTERM, then SIGKILL after ``timeout`` s)."""
    if not terminate:
        executor.shutdown(wait=True)
        return
    procs = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    deadline = time.monotonic() + timeout
    for p in procs:
        try:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(1.0)
        except (OSError, ValueError, AttributeError, AssertionError):
            pass
    # let the pool's manager thread finish and close its wake-up pipe: otherwise the
    # interpreter's exit hook (concurrent.futures.process._python_exit) can race it and
    # print "Exception ignored ... Bad file descriptor" after the interrupt message
    manager = getattr(executor, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(max(0.0, deadline - time.monotonic()) + 1.0)


def _default_executor():
    """Local process pool, one worker per core (platform's default start method, so that
    plain scripts need no ``if __name__ == "__main__"`` guard on Linux)."""
    return process_pool(os.cpu_count() or 1)


class _Progress:
    def __init__(self, total: int, enabled: bool | None, desc: str, reused: int = 0):
        self.bar = None
        if enabled is None:
            enabled = total > 20
        if enabled:
            from tqdm.auto import tqdm

            if reused:
                desc = f"{desc} ({reused} reused)"
            self.bar = tqdm(total=total + reused, initial=reused, desc=desc, unit="chunk")

    def update(self, n=1, extra=0):
        if self.bar is not None:
            if extra:
                self.bar.total += extra
                self.bar.refresh()
            self.bar.update(n)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _cache_inputs(atom, T_keV, q_keV, subshells, kinds, options) -> dict:
    return {**_cache.atom_key(atom),
            "T_keV": hashlib.sha256(np.ascontiguousarray(T_keV).tobytes()).hexdigest(),
            "q_keV": hashlib.sha256(np.ascontiguousarray(q_keV).tobytes()).hexdigest(),
            "n": [len(T_keV), len(q_keV)], "subshells": list(subshells), "kinds": list(kinds),
            "options": repr(options), "format": TABLE_FORMAT, "engine": ENGINE_REVISION,
            "scf": SCF_REVISION}


#: Cache kind of one finished (subshell, energy transfer) column of a table: a table run
#: that is interrupted keeps every column it finished, and the next run reuses them.
CHUNK_KIND = "rchunk"


def _chunk_inputs(inputs: dict, label: str, T_keV: float) -> dict:
    base = {k: v for k, v in inputs.items() if k not in ("T_keV", "n", "subshells")}
    return dict(base, label=label, T_keV=float(T_keV).hex())


def _load_chunk(inputs: dict, label: str, T_keV: float, nbasis: int, nq: int):
    hit = _cache.load(CHUNK_KIND, _chunk_inputs(inputs, label, T_keV))
    if hit is None:
        return None
    try:
        S = np.asarray(hit["S"], float)
        if S.shape != (nbasis, nq):
            return None
        return S, int(hit["kappa_max"]), int(hit["J_max"]), bool(hit["converged"])
    except (KeyError, ValueError, TypeError):
        return None


def _save_chunk(inputs: dict, label: str, T_keV: float, S, kappa_max, J_max, converged) -> None:
    _cache.save(CHUNK_KIND, _chunk_inputs(inputs, label, T_keV),
                {"S": np.asarray(S, float), "kappa_max": np.array(int(kappa_max)),
                 "J_max": np.array(int(J_max)), "converged": np.array(bool(converged))})


def tabulate(atom, T_keV, q_keV, *, components=COMPONENTS, currents=CURRENTS, subshells=None,
             options: ResponseOptions = ResponseOptions(), executor: cf.Executor | None = None,
             cache: bool = True, progress: bool | None = None) -> ResponseTable:
    """Tabulate the atomic response functions of ``atom`` on a (T, q) grid.

    Parameters
    ----------
    atom : nuatom.structure.atoms.Atom
        From :func:`nuatom.atom` (any element, relativistic or not, any nucleus).
    T_keV : array_like
        Energy transfers (keV, > 0).
    q_keV : array_like
        Momentum transfers (keV/c, > 0).
    components : sequence of str
        Which of ``R00, R0303, R33, R1122, R1221`` the table must provide; only the
        multipole kinds they need are computed.
    currents : sequence of str
        Which of ``vector, axial, weak`` the table must provide.
    subshells : sequence of str, optional
        Subshell labels (default: all occupied subshells).
    options : ResponseOptions
    executor : concurrent.futures.Executor, optional
        Where the chunks run (default: a local process pool with one worker per core,
        shut down afterwards). Any executor works, e.g. ``Client(...).get_executor()``
        of ``dask.distributed``; ``concurrent.futures.ThreadPoolExecutor(1)`` runs
        serially in this process.
    cache : bool
        Look up / store the table in the disk cache (:mod:`nuatom.cache`). Each finished
        (subshell, T) column is cached too, as soon as it is done: an interrupted run
        loses only the columns in progress, and the next run with the same atom, q grid
        and options reuses every finished column (the progress bar counts them as
        reused).
    progress : bool, optional
        Show a progress bar (default: when there are more than 20 chunks).

    Returns
    -------
    ResponseTable
    """
    T = continuum_energy("T_keV", T_keV, "keV").ravel()
    q = positive_array("q_keV", q_keV, "keV/c").ravel()
    if q.size and float(q.max()) > MAX_MOMENTUM_KEV:
        raise ValueError(f"q_keV = {float(q.max()):g} keV/c is outside the valid range "
                         f"(0, {MAX_MOMENTUM_KEV:g}] keV/c")
    table_size(T.size, q.size)
    kinds = kinds_for(tuple(components), tuple(currents))
    basis = basis_for(kinds)
    labels = [o.label for o in atom.orbitals] if subshells is None else \
        [atom.orbital(s).label for s in subshells]
    inputs = _cache_inputs(atom, T, q, labels, kinds, options)
    if cache:
        hit = _cache.load("response", inputs)
        if hit is not None:
            try:
                table = _table_from_cache(hit)
                if table.checksum() == str(hit["__checksum__"]):
                    return table
            except (KeyError, ValueError):
                pass
    start = time.perf_counter()
    orbs = [atom.orbital(s) for s in labels]
    nsub, nT, nq = len(orbs), T.size, q.size
    sums = np.zeros((nsub, len(basis), nT, nq))
    kappa_max = np.zeros((nsub, nT), dtype=np.int64)
    J_max = np.zeros((nsub, nT), dtype=np.int64)
    converged = np.ones((nsub, nT), dtype=bool)
    totals = np.zeros((nsub, nT, nq))
    history = {}
    spec = atom.spec()
    q_au = q_kev_to_au(q)
    T_h = kev_to_hartree(T)

    def payload(i, j, lo, hi):
        return {"atom": spec, "label": labels[i], "options": options, "kinds": kinds,
                "T_hartree": float(T_h[j]), "q_au": q_au, "kappa_lo": lo, "kappa_hi": hi}

    jobs = []
    reused = 0
    for i, o in enumerate(orbs):
        for j in range(nT):
            eps = T_h[j] + o.energy_hartree
            if eps > 0:
                done = _load_chunk(inputs, labels[i], T[j], len(basis), nq) if cache else None
                if done is not None:
                    sums[i, :, j], kappa_max[i, j], J_max[i, j], converged[i, j] = done
                    reused += 1
                    continue
                size = first_window(o, atom.grid, eps, atom.inv_c2, options)
                jobs.append((i, j, 1, min(size, options.kappa_max), size))
    own = executor is None and bool(jobs)
    ex = _default_executor() if own else executor
    bar = _Progress(len(jobs), progress, f"{atom.symbol} response", reused)
    failed = True
    try:
        futures = {ex.submit(_window_task, payload(i, j, lo, hi)): (i, j, lo, hi, size)
                   for i, j, lo, hi, size in jobs}
        while futures:
            done, _ = cf.wait(list(futures), return_when=cf.FIRST_COMPLETED)
            for fut in done:
                i, j, lo, hi, size = futures.pop(fut)
                res = fut.result()
                sums[i, :, j] += res["S"] / HARTREE_KEV
                totals[i, j] += res["batch_sizes"].sum(axis=0)
                hist = history.setdefault((i, j), [])
                hist.extend(res["batch_sizes"])
                J_max[i, j] = max(J_max[i, j], res["J_max"])
                kappa_max[i, j] = hi
                done_here = partial_waves_converged(totals[i, j], np.array(hist), res["exhausted"],
                                                    options.partial_wave_tolerance)
                if not done_here and hi < options.kappa_max:
                    size = max(2 * options.batch, (size // (2 * options.batch)) * options.batch)
                    nlo, nhi = hi + 1, min(hi + size, options.kappa_max)
                    futures[ex.submit(_window_task, payload(i, j, nlo, nhi))] = (i, j, nlo, nhi, size)
                    bar.update(1, extra=1)
                else:
                    converged[i, j] = done_here
                    history.pop((i, j), None)
                    if cache:
                        _save_chunk(inputs, labels[i], T[j], sums[i, :, j], kappa_max[i, j],
                                    J_max[i, j], done_here)
                    bar.update(1)
        failed = False
    finally:
        bar.close()
        if own:
            # on an interrupt or an error the workers are stopped at once, not left running
            shutdown_pool(ex, terminate=failed)
    elapsed = time.perf_counter() - start
    table = ResponseTable(
        T_keV=T, q_keV=q, subshells=tuple(labels),
        binding_keV=np.array([-o.energy_hartree * HARTREE_KEV for o in orbs]), basis=basis,
        sums_per_keV=sums, kappa_max=kappa_max, J_max=J_max, converged=converged,
        metadata=_metadata(atom, options, kinds, elapsed))
    if cache:
        arrays = table._arrays()
        arrays["metadata"] = np.array(json.dumps(table.metadata))
        arrays["__checksum__"] = np.array(table.checksum())
        _cache.save("response", inputs, arrays)
    return table


def _table_from_cache(hit: dict) -> ResponseTable:
    return ResponseTable(
        T_keV=hit["T_keV"], q_keV=hit["q_keV"], subshells=tuple(str(s) for s in hit["subshells"]),
        binding_keV=hit["binding_keV"], basis=tuple(tuple(str(b).split(",")) for b in hit["basis"]),
        sums_per_keV=hit["sums_per_keV"], kappa_max=hit["kappa_max"], J_max=hit["J_max"],
        converged=hit["converged"], metadata=json.loads(str(hit["metadata"])))


def _metadata(atom, options: ResponseOptions, kinds, elapsed: float) -> dict:
    grid = atom.options.grid
    return {
        "element": atom.symbol, "Z": atom.Z, "configuration": atom.configuration,
        "relativistic": atom.relativistic, "nucleus": atom.nucleus.kind,
        "nucleus_r_rms_fm": atom.nucleus.r_rms_fm,
        "method": ("frozen-core Dirac-Hartree-Fock: bound orbitals of the ground state, "
                   "continuum orbitals in the frozen field "
                   + ("of the ion with a hole in the ionized subshell (V^{N-1})" if options.hole
                      else "of the neutral atom (V^N)")
                   + ", exact exchange; Koopmans thresholds; partial waves summed to "
                   f"relative tolerance {options.partial_wave_tolerance:g}"),
        "units": {"T": "keV", "q": "keV/c", "sums_per_keV": "1/keV per atom", "binding": "keV"},
        "kinds": list(kinds),
        "grid": {"r_min_bohr": grid.r_min_bohr, "r_max_bohr": grid.r_max_bohr,
                 "n_points": grid.n_points, "b_bohr": grid.b_bohr},
        "options": repr(options),
        "version": __version__,
        "engine_revision": ENGINE_REVISION,
        "elapsed_s": elapsed,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


#: Momentum grid of the reference tables (keV/c): log pieces, sparse below 2 keV (dipole
#: region: R ~ q^2 or constant), dense over 2-500 keV (the Bethe ridge q ~ sqrt(2 m_e T) of
#: T = 4 eV .. 250 keV), and a tail up to 2 MeV (= 2 E_nu for reactor neutrinos).
REFERENCE_Q_PIECES = ((0.005, 2.0, 12, False), (2.0, 500.0, 72, False), (500.0, 2000.0, 24, True))
#: Where the Bethe ridge :math:`q_* = \\sqrt{2m_eT + T^2}` of T = 2-30 keV lies (45-176 keV,
#: with about +-15 % for its width), each step of the grid is split in four (0.8 % steps;
#: every point of the coarser grid is kept): the outer shells' ridge is only a few keV wide
#: (their Compton profile), and at 3.2 % steps (5.4 keV at 168 keV) it fell between the
#: points, which cost up to 4 % of weak dσ/dT of Ge at 25 keV (benchmarks/bench_q_resolution.py).
REFERENCE_Q_RIDGE_KEV = (38.0, 212.0)
REFERENCE_Q_RIDGE_SPLIT = 4


def reference_q_grid_keV() -> np.ndarray:
    """The momentum grid of the packaged reference tables (keV/c), 378 values."""
    pieces = []
    for a, b, per_decade, endpoint in REFERENCE_Q_PIECES:
        n = max(2, int(round(per_decade * np.log10(b / a))) + 1)
        pieces.append(np.geomspace(a, b, n)[: None if endpoint else -1])
    grid = np.concatenate(pieces)
    lo, hi = REFERENCE_Q_RIDGE_KEV
    a, b = grid[:-1], grid[1:]
    split = (a >= lo) & (b <= hi)
    f = np.arange(1, REFERENCE_Q_RIDGE_SPLIT) / REFERENCE_Q_RIDGE_SPLIT
    inserted = (a[split, None] * (b[split, None] / a[split, None]) ** f[None, :]).ravel()
    return np.sort(np.concatenate([grid, inserted]))


def reference_table(element: str) -> ResponseTable:
    """The packaged reference table of ``element`` (Ge, Xe, Cs or I), summed over subshells.

    Made by ``benchmarks/make_response_tables.py`` with the default options (see
    ``nuatom/data/response/REFERENCE.md`` for grids, physics choices and run time).

    Raises
    ------
    ValueError
        If no table is packaged for ``element``.
    """
    path = pathlib.Path(__file__).resolve().parents[1] / "data" / "response" / f"{element}.npz"
    if not path.exists():
        available = sorted(p.stem for p in path.parent.glob("*.npz"))
        raise ValueError(f"element = {element!r}: no packaged response table (available: {available})")
    return ResponseTable.load(path)


def rpa_reference_columns(element: str) -> ResponseTable:
    """Packaged RPA response columns of ``element`` (Ge, Xe) at a few energy transfers.

    Each column is the frozen-core reference column of :func:`reference_table` at that
    energy transfer (one of its nodes; all 378 momenta) plus the RRPA correction of the
    multipoles :math:`J \\le 3` of every current (:mod:`nuatom.response.rpa`). Made by
    ``benchmarks/make_rpa_response_columns.py``; see ``nuatom/data/response/REFERENCE.md``
    for the nodes, run times and checks. They are **columns, not a table**: the RPA costs
    minutes per energy transfer, so only chosen nodes are packaged, and cross sections from
    them (:class:`nuatom.neutrino.xsec.TableResponse`) exist at those energy transfers only.

    Raises
    ------
    ValueError
        If no RPA columns are packaged for ``element``.
    """
    path = pathlib.Path(__file__).resolve().parents[1] / "data" / "response" / "rpa" / f"{element}.npz"
    if not path.exists():
        available = sorted(p.stem for p in path.parent.glob("*.npz"))
        raise ValueError(f"element = {element!r}: no packaged RPA response columns (available: {available})")
    return ResponseTable.load(path)
