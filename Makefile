# QuattroPole events website. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: help setup run test lint format messages demo clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed ## Create .venv, install requirements, compile translations, migrate
	$(MANAGE) compilemessages --ignore=$(VENV) -v 0
	$(MANAGE) migrate --noinput -v 0

demo: setup ## Load the demo content (the 2017 conference and sample events)
	$(MANAGE) load_demo

run: demo ## Serve the site with demo content on http://127.0.0.1:$(PORT)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed ## ruff lint and format check, no missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run -v 0

test: setup lint ## The whole suite
	$(VENV)/bin/pytest

format: $(VENV)/.installed ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.installed ## Update locale/*/django.po from the code and templates
	$(MANAGE) makemessages -l de -l fr --ignore=$(VENV) --no-obsolete --no-location

clean: ## Remove the virtualenv, database and generated files
	rm -rf $(VENV) db.sqlite3 staticfiles media test-artifacts
