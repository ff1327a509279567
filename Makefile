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
ADDRESS ?= 127.0.0.1:8000


.PHONY: help setup private run test lint test-sqlite test-postgres test-browser assets demo clean

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

# The secret key and the database are the owner's alone (umask 077, mode 0600). The demo runs
# without debug pages (it shows Fairhear's own error pages) over plain HTTP on this machine, so
# its cookies are not marked Secure.
var/.env:
	mkdir -p var
	umask 077 && echo "FAIRHEAR_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > var/.env
	echo "FAIRHEAR_SECURE_COOKIES=false" >> var/.env

private: ## Make var/.env and the SQLite database readable by their owner only (0600)
	@chmod 700 var
	@chmod 600 var/.env
	@if grep -qx 'FAIRHEAR_DEBUG=true' var/.env; then \
		sed -i '/^FAIRHEAR_DEBUG=true$$/d' var/.env; \
		echo "Removed FAIRHEAR_DEBUG=true from var/.env: the demo shows Fairhear's own error pages."; \
	fi
	@grep -q '^FAIRHEAR_SECURE_COOKIES=' var/.env || echo "FAIRHEAR_SECURE_COOKIES=false" >> var/.env
	@for f in var/fairhear.sqlite3 var/fairhear.sqlite3-wal var/fairhear.sqlite3-shm var/demo-logins.txt; do \
		if [ -e "$$f" ]; then chmod 600 "$$f"; fi; \
	done

setup: $(STAMP) assets var/.env private ## Install Python and npm packages, build assets, write var/.env

demo: setup ## Migrate the SQLite database and load the demo organisation (once)
	umask 077 && $(PY) manage.py migrate --verbosity 0
	umask 077 && $(PY) manage.py seed_demo --if-empty
	@$(MAKE) --no-print-directory private

# The worker (tasks, the minute's sweep, the outbox) runs beside the web server and stops with it.
run: demo ## Set up, load demo data, start the worker and serve on http://127.0.0.1:8000 (ADDRESS=host:port)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_logins --address $(ADDRESS)
	umask 077 && { $(PY) manage.py worker & worker=$$!; \
		trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(PY) manage.py runserver $(ADDRESS); }

lint: setup ## ruff, import boundaries, view query lint, no model change without its migration
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) scripts/lint_model_usage_in_views.py
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0

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
