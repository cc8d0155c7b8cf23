"""The locked environment: requirements.lock covers every dependency of pyproject.toml
within its declared range, and environment.yml (conda) pins the same versions.

``pyproject.toml`` keeps version *ranges* for people who install nuatom as a library;
``requirements.lock`` (``make lock``: ``uv pip compile`` for Python 3.11 on Linux) pins
every direct and transitive dependency for ``make test``, ``make book`` and CI; and
``environment.yml`` is generated from both (``.ci/environment_from_lock.py``).
"""
from __future__ import annotations

import importlib.util
import pathlib
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("environment_from_lock",
                                               ROOT / ".ci" / "environment_from_lock.py")
lockmod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lockmod)


def pyproject_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = list(project["dependencies"])
    for extra in ("test", "book"):
        found += project["optional-dependencies"][extra]
    return [Requirement(r) for r in found]


def lock() -> dict[str, str]:
    return lockmod.locked_versions((ROOT / "requirements.lock").read_text())


@pytest.mark.parametrize("requirement", pyproject_requirements(), ids=str)
def test_lock_pins_every_dependency_within_its_range(requirement):
    pins = lock()
    name = lockmod.normalize(requirement.name)
    assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock: run `make lock`"
    assert requirement.specifier.contains(Version(pins[name]), prereleases=True), (
        f"locked {name}=={pins[name]} is outside pyproject's range {requirement.specifier}")


def test_lock_pins_transitive_dependencies_too():
    pins = lock()
    # the lock is a full resolution, not a copy of the direct list: numba brings llvmlite,
    # matplotlib brings pillow, jupyter-book brings sphinx
    for transitive in ("llvmlite", "pillow", "sphinx"):
        assert transitive in pins
    assert all(pins.values()), "every lock line must carry an exact version"


def test_environment_yml_pins_the_locked_versions():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = lock()
    conda = {}
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            continue
        name, _, version = str(entry).partition("==")
        if version:
            conda[lockmod.normalize(name)] = version
    expected = {}
    for requirement in pyproject_requirements():
        for conda_name in lockmod.conda_names(lockmod.normalize(requirement.name),
                                              tuple(sorted(requirement.extras))):
            expected[conda_name] = pins[conda_name]
    assert conda == expected
    assert "python=3.11" in env["dependencies"]
    pip_entries = [e for e in env["dependencies"] if isinstance(e, dict)]
    assert pip_entries and "-e ." in pip_entries[0]["pip"], "environment.yml must install nuatom itself"


def test_lock_parser_reads_pins_and_ignores_comments():
    # guard for the parser itself: a check of the lock that cannot parse would pass vacuously
    text = ("# header\nnumpy==2.4.6 \\\n    --hash=sha256:0123abcd \\\n    --hash=sha256:4567ef01\n"
            "    # via nuatom\nDask[Distributed]==2026.8.0\nfoo-bar==1.0 ; python_version<'4'\n")
    assert lockmod.locked_versions(text) == {"numpy": "2.4.6", "dask": "2026.8.0", "foo-bar": "1.0"}
    assert len(lock()) > 100
    # the committed lock carries hashes (pip then installs in hash-checking mode)
    assert "--hash=sha256:" in (ROOT / "requirements.lock").read_text()
