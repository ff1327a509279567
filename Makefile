# Fairhear. `make run` sets everything up and serves the app; `make test` runs every check.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
ASSETS := fairhear/static/dist/main.css
PG_URL ?= postgres://postgres@127.0.0.1:5432/fairhear


.PHONY: help setup run test lint test-sqlite test-postgres test-browser assets demo clean

help: ## Show the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

$(ASSETS): $(NPM_STAMP) $(shell find fairhear/assets -type f 2>/dev/null)
	npm run --silent build

assets: $(ASSETS) ## Build the CSS and copy GOV.UK Frontend and htmx into fairhear/static/dist

var/.env:
	mkdir -p var
	echo "FAIRHEAR_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > var/.env
	echo "FAIRHEAR_DEBUG=true" >> var/.env

setup: $(STAMP) assets var/.env ## Install Python and npm packages, build assets, write var/.env

demo: setup ## Migrate the SQLite database and load the demo organisation (once)
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py seed_demo --if-empty

run: demo ## Set up, load demo data and serve on http://127.0.0.1:8000
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:8000

lint: setup ## ruff, import boundaries, view query lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) scripts/lint_model_usage_in_views.py

test-sqlite: setup ## Tests on SQLite
	$(VENV)/bin/pytest -q -n 2 -m "not browser"

test-postgres: setup ## Tests on PostgreSQL (fails in CI when PostgreSQL is unreachable)
	@if $(PY) scripts/pg_available.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(VENV)/bin/pytest -q -n 2 -m "not browser"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is required in CI but cannot be reached at $(PG_URL)"; exit 1; \
	else echo "Skipping PostgreSQL tests: nothing answers at $(PG_URL)"; fi

test-browser: setup ## Browser tests in Chromium (on PostgreSQL)
	@if [ -x /usr/bin/chromium ] && $(PY) scripts/pg_available.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(VENV)/bin/pytest -q -m browser -p no:xdist; \
	elif [ "$$CI" = "true" ]; then echo "CI needs /usr/bin/chromium and PostgreSQL for browser tests"; exit 1; \
	else echo "Skipping browser tests: needs /usr/bin/chromium and PostgreSQL at $(PG_URL)"; fi

test: lint test-sqlite test-postgres test-browser ## Every check: lint, SQLite, PostgreSQL, browser

clean: ## Remove the virtualenv, node_modules, built assets and the local database
	rm -rf $(VENV) node_modules fairhear/static/dist var
