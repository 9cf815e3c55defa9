# eduplan: `make run` and `make test` work on a fresh machine (Python 3.11 with pip).
# The virtual environment is made on first use and refreshed when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# make run CORPUS=DIR imports a folder of documents instead of the sample documents built in.
CORPUS ?=

.DEFAULT_GOAL := help
VENDOR := eduplan/web/static/vendor
ASSETS := $(VENDOR)/chart.umd.min.js

.PHONY: help setup assets $(VENV) run e2e test lint format bench clean

help:
	@echo "make run     set up, seed the demo bureau into eduplan.db, print its accounts, serve http://$(SERVE_HOST):$(SERVE_PORT)"
	@echo "make test    set up, then ruff check, ruff format --check, pytest"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make bench   eduplan bench parse on $(BENCH_CORPORA)"
	@echo "make e2e     only the end-to-end tests (headless Chromium, /usr/bin/chromium)"

setup: $(VENV) assets

# Front-end packages come from npm at build time and are served by the app itself (no CDN);
# they are copied into the package's static folder, which git ignores.
assets: $(ASSETS)

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(VENDOR)
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/

# The venv, with eduplan installed editable plus its test tools. The stamp inside
# .venv records the install; it is redone only when pyproject.toml is newer.
$(VENV): $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# make run: the demo bureau (offices, schools, one account per role, its sample documents dated
# from today imported) in the SQLite file eduplan.db here, its accounts printed, then the web app.
# Safe to repeat. It uses no path outside the repository.
DEMO_DB    ?= sqlite:///$(CURDIR)/eduplan.db
SERVE_HOST ?= 127.0.0.1
SERVE_PORT ?= 8000

run: setup
	$(BIN)/eduplan demo --db $(DEMO_DB) $(if $(CORPUS),--corpus $(CORPUS))
	$(BIN)/eduplan serve --db $(DEMO_DB) --host $(SERVE_HOST) --port $(SERVE_PORT)

e2e: setup
	$(BIN)/pytest tests/e2e -ra

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

# make bench: the corpora present of BENCH_CORPORA (dev and dev2 by default), each as a --corpus.
BENCH_CORPORA ?= ../shared/corpus/dev ../shared/corpus/dev2

bench: setup
	$(BIN)/eduplan bench parse $(foreach c,$(wildcard $(BENCH_CORPORA)),--corpus $(c))

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis node_modules $(VENDOR)
