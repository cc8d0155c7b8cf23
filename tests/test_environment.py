"""environment.yml (conda) and pyproject.toml (pip) must describe the same environment:
the runtime dependencies plus the ``test`` and ``book`` extras, with the same version
bounds. Conda has no extras syntax, so ``dask[distributed]`` appears there as ``dask`` and
``distributed``; ``python`` (the interpreter) and ``pip`` (the installer, with ``-e .``)
are not dependencies and are compared separately.
"""
from __future__ import annotations

import pathlib
import re
import tomllib

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
# name, optional [extras], optional version specifier (">=1.0.4,<2")
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(.*?)\s*$")
# pip extras that conda ships as separate packages
CONDA_SPLITS = {("dask", "distributed"): ("dask", "distributed")}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(requirement: str) -> tuple[str, tuple[str, ...], str]:
    match = REQUIREMENT.match(requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    name, extras, spec = match.groups()
    extras_t = tuple(sorted(normalize(e) for e in extras.split(","))) if extras else ()
    return normalize(name), extras_t, spec.replace(" ", "")


def pyproject_dependencies() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in ("test", "book"):
        requirements += project["optional-dependencies"][extra]
    deps: dict[str, str] = {}
    for requirement in requirements:
        name, extras, spec = parse(requirement)
        names = CONDA_SPLITS.get((name, *extras), (name,))
        for conda_name in names:
            assert deps.get(conda_name, spec) == spec, f"{conda_name} listed twice with different bounds"
            deps[conda_name] = spec
    return deps


def environment() -> tuple[dict[str, str], dict]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps: dict[str, str] = {}
    extra: dict = {}
    for entry in env["dependencies"]:
        if isinstance(entry, dict):            # the nested "pip:" list
            extra.update(entry)
            continue
        name, extras, spec = parse(str(entry))
        assert not extras, f"conda cannot install extras: {entry}"
        if name in ("python", "pip"):
            extra[name] = spec
            continue
        assert name not in deps, f"{name} listed twice in environment.yml"
        deps[name] = spec
    return deps, extra


def test_same_dependencies_and_bounds():
    pip_deps = pyproject_dependencies()
    conda_deps, _ = environment()
    assert sorted(conda_deps) == sorted(pip_deps), (
        f"only in environment.yml: {sorted(set(conda_deps) - set(pip_deps))}; "
        f"only in pyproject.toml: {sorted(set(pip_deps) - set(conda_deps))}")
    assert conda_deps == pip_deps


def test_python_version_and_editable_install():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    _, extra = environment()
    assert extra["python"] == project["requires-python"].replace(" ", "")
    assert "-e ." in extra.get("pip", []), "environment.yml must install nuatom itself (pip: -e .)"


def test_parser_sees_extras_and_bounds():
    # guard for the parser itself: a test of the environment that cannot parse would pass vacuously
    assert parse("dask[distributed]>=2024.1") == ("dask", ("distributed",), ">=2024.1")
    assert parse("jupyter-book>=1.0.4,<2") == ("jupyter-book", (), ">=1.0.4,<2")
    assert parse("PyYAML >= 6") == ("pyyaml", (), ">=6")
    assert len(pyproject_dependencies()) >= 10
