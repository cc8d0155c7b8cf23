# nuatom: two commands do all setup on a fresh machine (README):
#   make test   unit tests + nbval over every chapter in _toc.yml
#   make book   HTML book in _build/html
# Both create .venv and install the exact versions of requirements.lock (then nuatom itself,
# editable, without touching them) on first use, and again whenever the lock changes.
#   make lock         re-resolve requirements.lock (and environment.yml) from pyproject.toml
#   make test-latest  run the unit tests against the newest releases allowed by pyproject.toml

# the lock is resolved for Python 3.11
PYTHON_BOOTSTRAP ?= $(shell command -v python3.11 || command -v python3)
VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
# numba's on-disk cache and nuatom's result cache live inside the checkout so that
# `make clean` removes them and CI starts from nothing.
export NUATOM_CACHE_DIR ?= $(CURDIR)/.nuatom-cache
export PYTHONHASHSEED := 0
# Headless plotting for unit tests and benchmarks only: exported to the notebook kernels
# (nbval, `make notebooks`) it would replace the inline backend and drop every figure.
HEADLESS  := MPLBACKEND=Agg

.PHONY: test unit chapters book notebooks bench clean venv lock test-latest

venv: $(STAMP)

$(PY):
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.lock pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# uv resolves for Python 3.11 on x86_64 Linux whatever machine runs it; uv itself is a
# tool, not a dependency, so it is installed on demand and not locked.
lock: | $(PY)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --extra book --python-version 3.11 \
	    --python-platform x86_64-manylinux_2_28 --generate-hashes --upgrade --quiet -o requirements.lock
	$(PY) .ci/environment_from_lock.py

# The newest releases within pyproject.toml's ranges, in a separate .venv-latest: how a
# library user would install nuatom today. Differences from `make unit` point at a
# dependency release that changed behaviour.
test-latest:
	$(PYTHON_BOOTSTRAP) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade -e '.[test,book]'
	$(HEADLESS) .venv-latest/bin/python -m pytest tests

test: unit chapters

# Tests and chapters run in parallel, one worker per core (pytest-xdist), each file on one
# worker (module fixtures such as DHF atoms are built once per file; a chapter is one file).
# The numerics are single-threaded numba, so the workers do not compete for cores.
WORKERS ?= auto

unit: $(STAMP)
	$(HEADLESS) $(PY) -m pytest tests -n $(WORKERS) --dist loadfile --durations=25

chapters: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider -n $(WORKERS) --dist loadfile --durations=40 --nbval \
	    --nbval-sanitize-with book/sanitize.cfg --nbval-current-env $$($(PY) .ci/chapters.py)

book: $(STAMP)
	$(VENV)/bin/jupyter-book build . -W --keep-going

# Re-execute every chapter in place (after a change to the package or a chapter).
notebooks: $(STAMP)
	$(PY) .ci/execute_chapters.py $$($(PY) .ci/chapters.py)

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(HEADLESS) $(PY) $$b || exit 1; done

clean:
	rm -rf _build .pytest_cache .nuatom-cache benchmarks/output
	find . -path ./.venv -prune -o -name __pycache__ -type d -print | xargs rm -rf
	find . -path ./.venv -prune -o -name '*.nbi' -print -o -name '*.nbc' -print | xargs rm -f
