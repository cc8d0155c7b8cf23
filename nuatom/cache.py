"""On-disk cache of heavy results (``.npz``), keyed by every input and the package version.

Location: ``$NUATOM_CACHE_DIR`` if set, else ``~/.cache/nuatom``. Each entry stores, next
to its arrays, the full key text it was made for and the package version; an entry whose
stored key or version does not match, or that cannot be read, is treated as missing and
recomputed (never silently used). ``NUATOM_CACHE_DIR=off`` disables the disk cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import tempfile
import zipfile

import numpy as np

from nuatom import __version__

__all__ = ["cache_dir", "load", "save", "key_text"]


def cache_dir() -> pathlib.Path | None:
    """The cache directory (created on demand), or ``None`` if caching is off."""
    env = os.environ.get("NUATOM_CACHE_DIR")
    if env and env.strip().lower() in ("off", "none", "0"):
        return None
    path = pathlib.Path(env) if env else pathlib.Path.home() / ".cache" / "nuatom"
    path.mkdir(parents=True, exist_ok=True)
    return path


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


def load(kind: str, inputs: dict) -> dict | None:
    """The cached arrays for ``(kind, inputs)``, or ``None`` if absent, stale or corrupt."""
    text = key_text(kind, inputs)
    path = _path(kind, text)
    if path is None or not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["__key__"]) != text:
                return None
            return {k: data[k] for k in data.files if k != "__key__"}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        return None


def save(kind: str, inputs: dict, arrays: dict) -> None:
    """Store ``arrays`` (str -> array) for ``(kind, inputs)``; atomic rename, errors ignored."""
    text = key_text(kind, inputs)
    path = _path(kind, text)
    if path is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp.npz")
        os.close(fd)
        np.savez_compressed(tmp, __key__=np.array(text), **arrays)
        os.replace(tmp, path)
    except OSError:
        pass
