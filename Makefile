# Efir — `make demo` runs the desk with a live demo feed; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# axe-core for the pages' accessibility audit, from the npm registry at the version tests/axe pins
AXE := tests/axe/node_modules/axe-core/axe.min.js

.PHONY: demo test check bench serve clean system-deps axe

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: $(STAMP)
	$(BIN)/efir serve --demo --db $${EFIR_DB:-./efir-demo.db}

serve: $(STAMP)
	$(BIN)/efir serve

test: $(STAMP) system-deps $(AXE)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check server ingest schemas tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

axe: $(AXE)

$(AXE): tests/axe/package.json tests/axe/package-lock.json
	cd tests/axe && npm ci --no-audit --no-fund --loglevel=error
	@test -f $@ && touch $@

# System packages the browser and e-mail tests need (Debian); no-op when present.
system-deps:
	@bash scripts/system-deps.sh

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
