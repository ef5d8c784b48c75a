# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make run   -> portal with demo data at http://127.0.0.1:8000 (SQLite)
#   make test  -> the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-postgres test-browser lint schema messages bench bench-catalog bench-budget bench-works bench-geo bench-procurement bench-scale clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/minga fetch_assets
	touch $@

run: $(STAMP)
	$(BIN)/minga migrate --noinput
	MINGA_DEMO_BASE_URL=$${MINGA_DEMO_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/minga demo
	$(BIN)/minga serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest minga/core/tests/test_unscoped_access.py -p no:xdist -q
	$(BIN)/minga makemigrations --check --dry-run
	$(BIN)/minga spectacular_check

test: lint
	$(BIN)/pytest -n 2 --dist loadfile --durations=25
	MINGA_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	MINGA_AUDIT_KEY=check:$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))') \
	MINGA_IDENTITY_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))') \
	  $(BIN)/minga check --deploy --settings=minga.settings.production --fail-level WARNING

test-fast: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadfile -m "not browser and not slow"

test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/minga} $(BIN)/pytest -n 2 --dist loadfile -m "not browser" --durations=25

test-browser: $(STAMP)
	$(BIN)/pytest -m browser -p no:xdist

schema: $(STAMP)
	$(BIN)/minga spectacular_write

messages: $(STAMP)
	cd minga && ../$(BIN)/minga makemessages -l es -l en --no-location --no-obsolete -i 'static/*' -i 'tests/*' -i 'migrations/*'
	$(BIN)/minga compile_catalogs

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Installs the pinned peers (sqlite-utils, Datasette) into var/bench-peers, generates the data.
bench-catalog: $(STAMP)
	$(BIN)/python bench/catalog/run.py $(BENCH_ARGS)

# The public-money modules: pages against a bare view, OCDS import against ocdskit, contracting
# search against Datasette, geovisor import and OGC items (see docs/benchmarks.md).
bench-budget: $(STAMP)
	$(BIN)/python bench/budget/run.py $(BENCH_ARGS)

bench-works: $(STAMP)
	$(BIN)/python bench/works/run.py $(BENCH_ARGS)

bench-geo: $(STAMP)
	$(BIN)/python bench/geo/run.py $(BENCH_ARGS)

bench-procurement: $(STAMP)
	$(BIN)/python bench/procurement/run.py $(BENCH_ARGS)

# About 1,045 governments on PostgreSQL against the three demo governments alone.
bench-scale: $(STAMP)
	$(BIN)/python bench/scale/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
