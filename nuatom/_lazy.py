"""Lazy namespaces: a package exposes its modules and public names without importing them.

``import nuatom`` (or ``import nuatom.response``) must compute nothing and load no numba
kernel, yet ``nuatom.response.tabulate`` should work in one line. Each package's
``__init__`` calls :func:`attach` with the names it exposes; the module that defines a
name is imported the first time that name is looked up (PEP 562).
"""
from __future__ import annotations

import importlib


def attach(package: str, modules: dict[str, list[str]], extra: dict[str, str] | None = None,
           subpackages: tuple[str, ...] = ()):
    """Return ``(__getattr__, __dir__, __all__)`` for ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    modules : dict
        Module name (relative to ``package``) -> public names it defines. Every module
        listed is also reachable as an attribute (``package.module``).
    extra : dict, optional
        Further name -> module for names kept out of ``__all__`` (types, constants).
    subpackages : tuple of str
        Child packages reachable as attributes.
    """
    where = {name: mod for mod, names in modules.items() for name in names}
    duplicated = {n for n in where if sum(n in v for v in modules.values()) > 1}
    if duplicated:
        raise ImportError(f"{package}: names exported by two modules: {sorted(duplicated)}")
    where.update(extra or {})
    children = set(modules) | set(subpackages)

    def __getattr__(name: str):
        if name in where:
            return getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        if name in children:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(where) | children)

    return __getattr__, __dir__, sorted(where.keys() - set(extra or {}))
