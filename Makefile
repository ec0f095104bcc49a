# Secure Welfare Coordination — everything a fresh Debian machine needs.
#   make run    install, migrate, load reference and demo data, serve on http://127.0.0.1:8000
#   make test   install, lint, type-check, and run every test on SQLite and on PostgreSQL
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
UV_VERSION := 0.13.8
UV := .cache/uv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DATA ?= ../shared/data
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: prod-check help install run serve test test-sqlite test-postgres test-instants lint format typecheck security bench clean system-packages

help:
	@echo "make run    - set up and serve the service on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run lint, type checks and all tests (SQLite and PostgreSQL)"
	@echo "make test-instants - the time-sensitive tests at a weekend, a bank holiday, clock changes..."
	@echo "make lint   - ruff lint and format check"
	@echo "make bench  - national-scale figures on SQLite and PostgreSQL into bench/results.md"
	@echo "make prod-check - the production configuration run for real (gunicorn, workers, PostgreSQL) and smoke-tested"

$(UV):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target .cache/uv uv==$(UV_VERSION)

# Python dependencies from the lock file; npm packages from package-lock.json.
$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	UV_PYTHON=$(PYTHON) $(UV) sync --frozen --all-extras --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_build/.built: node_modules/.installed frontend/build.mjs $(shell find frontend -type f)
	npm run --silent build
	touch $@

install: $(VENV)/.installed static_build/.built
	@mkdir -p var

migrate: install
	$(MANAGE) migrate --no-input -v0

run: migrate
	$(MANAGE) import_local_authorities $(DATA)/local_authorities.csv
	$(MANAGE) import_secure_homes $(DATA)/secure_homes.csv
	$(MANAGE) load_demo_data
	@echo
	@echo "Serving on http://$(HOST):$(PORT)  (a task worker and the scheduler run beside it; Ctrl-C stops all)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) run_worker --interval 1 > var/worker.log 2>&1 & \
	  $(MANAGE) run_scheduler --interval 60 > var/scheduler.log 2>&1 & \
	  $(MANAGE) runserver $(HOST):$(PORT) --noreload

# Debian packages the tests need: Chromium for browser tests, PostgreSQL 15 server.
system-packages:
	@scripts/system-packages.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: install
	$(VENV)/bin/mypy swc config

security: install
	$(VENV)/bin/bandit -q -r swc config -c pyproject.toml --severity-level medium -x "*/tests/*"

test-sqlite: install system-packages
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install system-packages
	scripts/with-postgres.sh $(PY) -m pytest $(PYTEST_ARGS)

# The time-sensitive suites again, with the clock stopped at each awkward instant
# (a weekend, a bank holiday, the nights the clocks change, month and year ends, 10:00).
test-instants: install
	env -u DATABASE_URL scripts/test-instants.sh $(PY) $(PYTEST_ARGS)

test: lint typecheck security test-sqlite test-postgres test-instants
	@echo "All checks passed on SQLite and PostgreSQL, and at every instant."

# Figures at national scale against floors timed in the same run (docs/performance.md):
# bench/results.md. Generated data sets are kept in var/bench/ and reused.
bench: install
	@mkdir -p var/bench bench
	scripts/with-postgres.sh $(PY) benchmarks/run.py --all

clean:
	rm -rf $(VENV) node_modules static_build var .cache .mypy_cache .ruff_cache

# The production configuration run for real on loopback (gunicorn, WhiteNoise, two task
# workers, the scheduler, a throw-away PostgreSQL 15) and smoke-tested over HTTP.
# Bounded: the whole run is stopped after 15 minutes; every process it started is stopped.
prod-check: install system-packages
	timeout --kill-after=30 900 scripts/with-postgres.sh $(PY) scripts/prod_check.py
