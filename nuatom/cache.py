"""On-disk cache of heavy results (``.npz``), keyed by every input and the package version.

Location: ``$NUATOM_CACHE_DIR`` if set, else ``~/.cache/nuatom``. ``NUATOM_CACHE_DIR=off``
disables the disk cache.

Fault tolerance (several worker processes, and several runs, share one directory):

* **Atomic writes.** An entry is written to a temporary file in the cache directory
  (``.<name>.<pid>.<random>.tmp``), flushed to disk, then renamed over the entry with
  :func:`os.replace`, which is atomic on POSIX: a reader sees the old entry, the new one,
  or none, never a partial file. A writer killed mid-write leaves only its temporary file
  (removed by the next :func:`save` once it is older than :data:`STALE_TMP_SECONDS`).
* **Concurrent writers.** Two processes computing the same key each write their own
  temporary file; the last rename wins and both are complete entries for the same key.
* **Checksums.** Each entry stores its key text and a SHA-256 of every array (names,
  dtypes, shapes, bytes). On load, an entry whose key or version does not match is stale
  (treated as missing, silently); one that cannot be read, is truncated or fails its
  checksum is corrupt: it is logged as a warning (logger ``nuatom.cache``), deleted, and
  treated as missing, so that the caller recomputes it. Entries written before checksums
  were added are accepted when they read completely (the zip CRC-32 of every member is
  verified on read) and get a checksum when next written.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pathlib
import tempfile
import time

import numpy as np

from nuatom import __version__

__all__ = ["cache_dir", "load", "save", "key_text", "checksum", "entry_path", "atom_key"]

log = logging.getLogger(__name__)

#: Temporary files older than this (seconds) are left over by a killed writer.
STALE_TMP_SECONDS = 3600.0
_KEY = "__key__"
_SUM = "__sha256__"


def cache_dir() -> pathlib.Path | None:
    """The cache directory (created on demand), or ``None`` if caching is off."""
    env = os.environ.get("NUATOM_CACHE_DIR")
    if env and env.strip().lower() in ("off", "none", "0"):
        return None
    path = pathlib.Path(env) if env else pathlib.Path.home() / ".cache" / "nuatom"
    path.mkdir(parents=True, exist_ok=True)
    return path


def atom_key(atom) -> dict:
    """The part of a cache key that names an atom: ``{"atom": its spec (every value as
    ``repr``), "nucleus": its nucleus' fields}``; every cached result that depends on an atom
    puts these two entries in its inputs, so that one atom has one key text everywhere."""
    import dataclasses

    return {"atom": {k: repr(v) for k, v in atom.spec().items()}, "nucleus": dataclasses.asdict(atom.nucleus)}


def key_text(kind: str, inputs: dict) -> str:
    """Canonical text of a cache key: the result kind, its inputs, and the version."""
    return json.dumps({"kind": kind, "inputs": inputs, "version": __version__}, sort_keys=True,
                      default=repr)


def _path(kind: str, text: str) -> pathlib.Path | None:
    d = cache_dir()
    if d is None:
        return None
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return d / f"{kind}-{digest}.npz"


def entry_path(kind: str, inputs: dict) -> pathlib.Path | None:
    """Where the entry for ``(kind, inputs)`` lives (``None`` if caching is off)."""
    return _path(kind, key_text(kind, inputs))


def checksum(text: str, arrays: dict) -> str:
    """SHA-256 of the key text and every array (name, dtype, shape and bytes)."""
    h = hashlib.sha256(text.encode())
    for name in sorted(arrays):
        arr = np.ascontiguousarray(arrays[name])
        h.update(name.encode())
        h.update(str(arr.dtype.str).encode())
        h.update(repr(arr.shape).encode())
        h.update(arr.tobytes())
    return h.hexdigest()


def _corrupt(path: pathlib.Path, why: str) -> None:
    log.warning("nuatom cache: entry %s is corrupt (%s); it is removed and recomputed", path.name, why)
    try:
        path.unlink()
    except OSError:
        pass


def load(kind: str, inputs: dict) -> dict | None:
    """The cached arrays for ``(kind, inputs)``, or ``None`` if absent, stale or corrupt."""
    text = key_text(kind, inputs)
    path = _path(kind, text)
    if path is None or not path.exists():
        return None
    try:
        # the file is opened here, not by np.load, so that it is closed even when the zip is
        # corrupt (np.load leaks its handle then: a ResourceWarning)
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as data:
            files = set(data.files)
            if _KEY not in files:
                _corrupt(path, "no key")
                return None
            if str(data[_KEY]) != text:
                return None  # stale (another version) or a hash collision: not ours
            arrays = {k: data[k] for k in data.files if k not in (_KEY, _SUM)}
            stored = str(data[_SUM]) if _SUM in files else None
    except FileNotFoundError:
        return None  # removed by another process between exists() and open
    except Exception as exc:  # noqa: BLE001 - any failure to read (BadZipFile, zlib.error,
        # EOFError, a pickle refusal, a bad header ...) means a corrupt entry, never a crash
        _corrupt(path, f"{type(exc).__name__}: {exc}")
        return None
    if stored is not None and stored != checksum(text, arrays):
        _corrupt(path, "checksum mismatch")
        return None
    return arrays


_SWEPT: set = set()


def _remove_stale_temporaries(directory: pathlib.Path) -> None:
    """Remove temporaries of killed writers (once per process and directory)."""
    if directory in _SWEPT:
        return
    _SWEPT.add(directory)
    now = time.time()
    for tmp in directory.glob(".*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE_TMP_SECONDS:
                tmp.unlink()
        except OSError:
            pass


def save(kind: str, inputs: dict, arrays: dict) -> None:
    """Store ``arrays`` (str -> array) for ``(kind, inputs)``: temporary file, fsync,
    atomic rename. Errors of the file system (full disk, permissions) are ignored: the
    cache is an optimisation. The temporary file is removed if the write fails or is
    interrupted."""
    text = key_text(kind, inputs)
    path = _path(kind, text)
    if path is None:
        return
    arrays = {k: np.asarray(v) for k, v in arrays.items()}
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.{os.getpid()}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, **{_KEY: np.array(text), _SUM: np.array(checksum(text, arrays))},
                                **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    try:
        _remove_stale_temporaries(path.parent)
    except OSError:
        pass
