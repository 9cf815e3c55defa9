# eduplan: `make run` and `make test` work on a fresh machine (Python 3.11 with pip).
# The virtual environment is made on first use and refreshed when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= ../shared/corpus/dev

.DEFAULT_GOAL := help
VENDOR := eduplan/web/static/vendor
ASSETS := $(VENDOR)/chart.umd.min.js

.PHONY: help setup assets $(VENV) run test lint format bench clean

help:
	@echo "make run     set up, then parse every document of $(CORPUS) and show it as tables"
	@echo "make test    set up, then ruff check, ruff format --check, pytest"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make bench   eduplan bench parse on $(CORPUS)"

setup: $(VENV) assets

# Front-end packages come from npm at build time and are served by the app itself (no CDN);
# they are copied into the package's static folder, which git ignores.
assets: $(ASSETS)

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(VENDOR)
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/

# The venv, with eduplan installed editable plus its test tools. The stamp inside
# .venv records the install; it is redone only when pyproject.toml is newer.
$(VENV): $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: setup
	$(BIN)/eduplan parse $(CORPUS) --format table

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/eduplan bench parse --corpus $(CORPUS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis node_modules $(VENDOR)
