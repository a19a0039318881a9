# Every target bootstraps .venv from the pinned lock file (redone when the lock changes), then
# installs tinynets itself into it (editable: `pip install -e .`), so that `python -m tinynets`,
# `import tinynets`, the `tinynets` command and `dask worker` find it from any folder.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-lock
ZENSICAL_STAMP := $(VENV)/.installed-zensical

.PHONY: site serve test bench clean distclean lock new zensical zensical-site venv

# Only the environment: what a machine that trains for a Dask scheduler needs (README).
venv: $(STAMP)

site: $(STAMP)
	$(BIN)/python -m tinynets build

serve: $(STAMP)
	$(BIN)/python -m tinynets serve

test: $(STAMP) $(ZENSICAL_STAMP)   # the Zensical tests need the second engine
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m tinynets.bench

# Start a post: make new TITLE="Does width help?" (the title reaches the shell unquoted by make).
new: $(STAMP)
	@test -n "$$TITLE" || { echo 'usage: make new TITLE="My title"' >&2; exit 2; }
	$(BIN)/python -m tinynets new "$$TITLE"

# Zensical, the optional second engine: installed on demand, at the locked versions of what it
# shares with the site (requirements-zensical.txt says why it is not in the lock).
zensical: $(ZENSICAL_STAMP)

$(ZENSICAL_STAMP): $(STAMP) requirements-zensical.txt
	@if $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check \
	    -r requirements-zensical.txt -c requirements.lock; \
	else \
	  echo "note: Zensical needs Python 3.11+: its tests skip (and fail when CI is set)"; \
	fi
	cp requirements-zensical.txt $(ZENSICAL_STAMP)

zensical-site: $(ZENSICAL_STAMP)
	$(BIN)/python -m tinynets build --engine zensical

# Redone when the lock, pyproject.toml or this file changes. The package goes in after the lock,
# without dependencies (the lock has them all), built by the locked setuptools (no build
# isolation: nothing is downloaded, nothing unpinned).
$(STAMP): requirements.lock pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	cp requirements.lock $(STAMP)

# Regenerate the lock from requirements.in (needs uv: pip install uv).
lock:
	uv pip compile --universal --python-version 3.11 requirements.in -o requirements.lock

clean:
	rm -rf build/docs build/site build/.site.*

distclean:
	rm -rf build $(VENV)
