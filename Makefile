# Every target bootstraps .venv from the pinned lock file (redone when the lock changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-lock

.PHONY: site serve test bench clean distclean lock

site: $(STAMP)
	$(BIN)/python -m tinynets build

serve: $(STAMP)
	$(BIN)/python -m tinynets serve

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m tinynets.bench

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	cp requirements.lock $(STAMP)

# Regenerate the lock from requirements.in (needs uv: pip install uv).
lock:
	uv pip compile --universal --python-version 3.11 requirements.in -o requirements.lock

clean:
	rm -rf build/docs build/site build/.site.*

distclean:
	rm -rf build $(VENV)
