# Bilheteria — local tasks. `make run` for the app, `make test` for the suite.
# Every step is stamp-based, so a second `make run` / `make test` goes straight to work.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
VENDOR := webapp/static/vendor
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
FAULTS ?= 1,2,3,4,5,6
FAULTS_ARGS ?=

.PHONY: help venv assets translations setup run reset-data lint test faults clean

help:
	@echo "make setup         venv + htmx asset + compiled translations"
	@echo "make run           mongod + redis under var/, init-db, seed-demo, web on :\$${PORT:-5000}, worker, relay"
	@echo "make reset-data    wipe var/'s databases and seed the demo again (a running make run keeps running)"
	@echo "make test          the pytest suite (PYTEST_ARGS='-k sale -x' to narrow it)"
	@echo "make faults        kill, freeze and stop parts of a 3-member replica set stack under sales; checks the data"
	@echo "                   (FAULTS=1,3,5 picks faults, FAULTS_ARGS='--repeat 3' runs each three times)"
	@echo "make clean         remove var/ .venv node_modules and the vendored asset"

# --- Python ---------------------------------------------------------------------------
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Python >= 3.11 is needed (PYTHON=$(PYTHON) is older)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed

# --- front-end assets: htmx from the npm package, never a CDN ---------------------------
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENDOR)/htmx.min.js: node_modules/.installed
	@mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

# Swagger UI for /api/docs/, from the swagger-ui-dist package (only the two files the page loads).
$(VENDOR)/swagger-ui/.copied: node_modules/.installed
	@mkdir -p $(VENDOR)/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	@touch $@

assets: $(VENDOR)/htmx.min.js $(VENDOR)/swagger-ui/.copied

# --- translations: .po committed, .mo built -------------------------------------------
translations: venv
	@if [ -d webapp/translations ] && find webapp/translations -name '*.po' | grep -q .; then \
	  $(VENV)/bin/pybabel compile -d webapp/translations; \
	fi

setup: venv assets translations

# --- run and test -----------------------------------------------------------------------
run: setup
	$(PY) -m localstack run

# Only the data: orders, shows, accounts, queues. Works with `make run` running (it keeps running) or stopped.
reset-data: setup
	$(PY) -m localstack reset-data

# Lint for bugs only (undefined names, unused imports), not style: it takes a second.
lint: venv
	$(VENV)/bin/ruff check webapp localstack tests bench faults worker.py wsgi.py gunicorn.conf.py

# make exits non-zero whenever ruff or pytest does (make's own code is 2 then).
test: setup lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Faults one at a time on a three-member replica set, Redis, gunicorn, worker and relay (see README, Reliability).
faults: setup
	$(PY) -m faults --faults $(FAULTS) $(FAULTS_ARGS)

clean:
	rm -rf var $(VENV) node_modules $(VENDOR)
