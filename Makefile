# Two commands do everything: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The suite runs in one process per core (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one.
PYTEST_WORKERS ?= auto

.PHONY: run test lint format install demo bench bench-drafts bench-million bench-search bench-live \
	lock clean \
	cluster cluster-stop cluster-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Everything installs from the lock file, with hashes: a release upstream never changes a
# fresh install. The project itself runs from this folder and is not installed.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps --requirement requirements.lock
	touch $@

# The Nu HTML Checker the tests run (package.json pins it), when npm is there; its test is
# skipped without it. --ignore-scripts: the jar is in the package, nothing else is fetched.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the HTML checker test will be skipped"; fi

install: $(VENV)/.installed node_modules/.package-lock.json

demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo

run: demo
	@echo
	@echo "  Scholia is serving at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The one command that upgrades dependencies: re-resolves pyproject.toml's ranges to the
# newest releases, for every supported Python (Django 5.2 on 3.11, 6.x on 3.12+).
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet --output-file requirements.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps --requirement requirements.lock
	touch $(VENV)/.installed

# More options for the benchmark, e.g. BENCH_ARGS="--seconds 3 --json run.json" (README).
BENCH_ARGS ?=

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# Only the editor's path on a 5,000-paragraph draft (upload, review, discard, publish) and
# its review page loaded with wrk.
bench-drafts: install
	$(BIN)/python -m bench --drafts-only $(BENCH_ARGS)

# Every target with 10,000 comments, then again with 1,000,000 (seeded afresh), in one run.
bench-million: install
	$(BIN)/python -m bench --large 1000000 --plans $(BENCH_ARGS)

# Several machines on one box (docs/deploy.md): HAProxy, two app servers, a PostgreSQL
# primary and streaming replica, two Redis, the task worker, in CLUSTER_DIR.
CLUSTER_DIR ?= /tmp/scholia-cluster

cluster: install
	$(BIN)/python -m bench.cluster start --folder $(CLUSTER_DIR)

cluster-stop: install
	$(BIN)/python -m bench.cluster stop --folder $(CLUSTER_DIR)

# A fresh cluster, the five checks, then stopped; bounded to five minutes.
cluster-test: install
	timeout --kill-after=20 300 $(BIN)/python -m bench.cluster test --folder $(CLUSTER_DIR)

# The search figure on PostgreSQL: median of a one-word search and its plan (bench/search.py).
SEARCH_COMMENTS ?= 10000
bench-search: install
	$(BIN)/python -m bench.search --comments $(SEARCH_COMMENTS)

# The reading page alone and while 200 open discussions poll (bench/live.py).
bench-live: install
	$(BIN)/python -m bench.live

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
