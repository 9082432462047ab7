# `make run` and `make test` each do all set-up on a fresh machine (Python 3.11 and Node 20).
SHELL  := /bin/bash
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
DEV    := DJANGO_DEBUG=1
# Extra pytest arguments, e.g. `make test PYTEST_ARGS='-m "not browser"'`.
PYTEST_ARGS ?=

.PHONY: run test setup assets lint format migrate content export-content users readability messages production bench scale-out clean

# Set-up says what it is doing: the first time, pip and npm take a minute or two each.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@echo "== Python packages into $(VENV) (pinned in requirements-dev.txt; a minute or two the first time)"
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	set -o pipefail; PYTHONUNBUFFERED=1 $(VENV)/bin/pip install --progress-bar off -r requirements-dev.txt | { grep -E '^(Collecting|Successfully)' || true; }
	touch $@

node_modules/.installed: package.json package-lock.json
	@echo "== JavaScript packages into node_modules (npm ci, pinned in package-lock.json; about a minute the first time)"
	npm ci --no-audit --no-fund
	touch $@

static/dist/.built: node_modules/.installed $(wildcard static/scss/*.scss static/js/*.mjs static/img/*.svg) static/build-assets.mjs
	@echo "== NHS.UK frontend styles and the site's scripts into static/dist (npm run build)"
	npm run --silent build
	touch $@

setup: $(VENV)/.installed static/dist/.built

assets: static/dist/.built

migrate: setup
	$(DEV) $(PY) manage.py migrate --noinput

# Load content/ into the development database; `make content ARGS=--force` overwrites admin edits.
content: migrate
	$(DEV) $(PY) manage.py load_content $(ARGS)

# Write what clinical approvers approved in the admin back to content/, for review in git.
export-content: migrate
	$(DEV) $(PY) manage.py export_content

# A local editor and a local clinical approver, with their passwords printed (development only).
users: migrate
	$(DEV) $(PY) manage.py make_users

# Reading grade and sentence length of every section; fails if one misses the target.
readability: setup
	$(DEV) $(PY) manage.py readability --check

# The interface's messages from templates/ and itb_portal/ into locale/django.pot, for a translator
# (docs/languages.md). Pure Python: Jinja's own parser reads the templates, so no GNU gettext is needed;
# where it is installed, each reviewed locale/<locale>/LC_MESSAGES/django.po is brought up to date too.
messages: setup
	$(DEV) $(PY) manage.py interface_messages

run: content
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production topology on this machine: the system's nginx (apt-get install nginx) with
# deploy/nginx's configuration on PORT, in front of gunicorn on PORT + 1, debug off (scripts/production).
production: setup
	PORT=$(PORT) scripts/production

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Two workers, one per core; a test file stays on one worker, so its fixtures are built once.
test: setup lint
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# Benchmark: gunicorn as in production, wrk, page weight and Lighthouse (docs/performance.md).
# Lighthouse is pinned in bench/package.json, so `make setup` stays light.
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench: setup bench/node_modules/.installed
	$(PY) bench/run.py

# Two app servers on one PostgreSQL database and one Redis: an edit on one shows on the other at once.
# DATABASE_URL (an existing database) and REDIS_URL name them; see bench/scale_out.py for the defaults.
scale-out: setup
	$(PY) bench/scale_out.py

clean:
	rm -rf $(VENV) node_modules bench/node_modules static/dist staticfiles db.sqlite3
