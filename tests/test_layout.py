"""The package layout: a one-way chain of physics layers, no import cycles, a lazy top level.

``conventions.md`` (Code): dependencies point one way, down the chain, and ``import
nuatom`` computes nothing and loads no numba kernel.
"""
from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "nuatom"
#: The chain, lowest layer first; a layer may import only itself and the layers before it.
#: ``oracles`` sits beside the chain (imports only the top-level helpers), and the top level
#: (units, validation, formatting, cache, CLI) is reachable from everywhere.
CHAIN = ("numerics", "structure", "continuum", "response", "neutrino", "darkmatter", "experiments")
TOP_LEVEL_HELPERS = {"nuatom", "nuatom.units", "nuatom._validate", "nuatom.fmt", "nuatom.cache",
                     "nuatom._lazy"}


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: pathlib.Path) -> set[str]:
    """Every nuatom module that ``path`` imports, at any depth of the file (lazy imports too)."""
    found = set()
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("nuatom"):
                continue
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                found.add(candidate if _exists(candidate) else module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("nuatom"))
    return {m for m in found if m != here}


def _exists(module: str) -> bool:
    rel = pathlib.Path(*module.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").exists() or (PACKAGE / rel / "__init__.py").exists()


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imported_modules(p) for p in PACKAGE.rglob("*.py")}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in CHAIN + ("oracles",) else None


def test_no_import_cycles():
    graph = import_graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, f"import cycles: {cycles}"


def test_layers_import_only_downward():
    violations = []
    for module, imports in import_graph().items():
        own = layer(module)
        if own is None:
            continue
        allowed = set(CHAIN[: CHAIN.index(own) + 1]) if own in CHAIN else {"oracles"}
        for target in imports:
            other = layer(target)
            if other is None:
                if target not in TOP_LEVEL_HELPERS and not target.startswith("nuatom.data"):
                    violations.append((module, target))
            elif other not in allowed:
                violations.append((module, target))
    assert not violations, f"imports against the chain: {violations}"


def test_the_chain_covers_every_module():
    """No module is left at the top level except the helpers, the CLI and its entry point."""
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "_lazy", "_validate", "cache", "cli", "fmt", "units"}


def test_import_is_lazy():
    code = ("import sys, nuatom, nuatom.response, nuatom.neutrino, nuatom.oracles; "
            "loaded = sorted(m for m in sys.modules if m.startswith(('nuatom.', 'numba')));"
            "print(','.join(loaded))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = [m for m in out.stdout.strip().split(",") if m]
    assert all(m.startswith("nuatom.") and m.count(".") == 1 or m == "nuatom._lazy" for m in loaded), loaded
    assert not any(m.startswith("numba") for m in loaded)


@pytest.mark.parametrize("package", CHAIN + ("oracles",))
def test_package_namespace_resolves(package):
    """Every name a package advertises is importable (a typo in an export list fails here)."""
    import importlib
    mod = importlib.import_module(f"nuatom.{package}")
    for name in mod.__all__:
        assert getattr(mod, name) is not None


def test_public_api_resolves():
    import nuatom
    for name in nuatom.__all__:
        assert callable(getattr(nuatom, name))


def test_tests_follow_the_same_map():
    """tests/<layer>/ for every layer of the chain (and the oracles); the top of tests/ keeps
    only what spans the package: units, the CLI, the layout, the environment, robustness."""
    tests = pathlib.Path(__file__).resolve().parent
    folders = {p.name for p in tests.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    assert folders == set(CHAIN) | {"oracles"}
    for folder in folders:
        assert list((tests / folder).glob("test_*.py")), f"tests/{folder}/ has no tests"
