# nuatom: two commands do all setup on a fresh machine (README):
#   make test   unit tests + nbval over every chapter in _toc.yml
#   make book   HTML book in _build/html
# Both create .venv and install the package (editable) with its extras on first use,
# and again whenever pyproject.toml changes.

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

.PHONY: test unit chapters book notebooks bench clean venv

venv: $(STAMP)

$(PY):
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,book]'
	touch $@

test: unit chapters

unit: $(STAMP)
	$(HEADLESS) $(PY) -m pytest tests

chapters: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider --nbval --nbval-sanitize-with book/sanitize.cfg \
	    --nbval-current-env $$($(PY) .ci/chapters.py)

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
