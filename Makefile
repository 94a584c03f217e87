# Amends: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)
NPM_STAMP := node_modules/.installed-$(shell md5sum < package-lock.json | cut -c1-12)
export DEMO_PASSWORD ?= amends-demo

.PHONY: run serve test setup lint bench migrate clean messages

$(PY):
	python3 -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP) $(NPM_STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

## make run: the app on http://127.0.0.1:8000 with a Celery worker and beat; Ctrl-C stops all.
run: export DEBUG ?= 1
run: export AMENDS_SMS_BACKEND ?= file
run: migrate
	$(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"
	bin/run

## make serve: Amends as production runs it (bin/serve.py): DEBUG off, static files collected,
## migrated, gunicorn on http://127.0.0.1:8000 (config/gunicorn.py), one Celery worker and one
## beat, each started again if it exits; Ctrl-C stops all. On DATABASE_URL and CELERY_BROKER_URL
## when set, else SQLite and the filesystem broker under var/. `make serve DEMO=1` loads the demo
## data first (as `make run` does, password DEMO_PASSWORD).
serve: setup
	$(PY) bin/serve.py $(if $(DEMO),--demo)

## make test: lint, types (mypy, configured in pyproject.toml), then the whole suite
## (SQLite by default; PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set).
test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run --settings=tests.settings
	$(VENV)/bin/pytest

## make messages: gather every translatable string into locale/<language>/LC_MESSAGES/django.po
## (new ones come in empty, to translate) and compile the .mo beside it (commit both). Needs
## gettext's tools: `apt-get install gettext`.
messages: setup
	$(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=static --ignore=tests --ignore=test-artifacts --settings=tests.settings
	$(PY) manage.py compilemessages --ignore=.venv --settings=tests.settings

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports --no-logo && $(VENV)/bin/mypy

## make bench: seed BENCH_CASES cases (default 10000) and measure the pages, with production
## settings (DEBUG off, collected static files) on whatever DATABASE_URL names; then, when
## BENCH_BROKER_URL (or CELERY_BROKER_URL) is Redis, the follow-up dispatch with a real worker
## and beat (manage.py bench_dispatch $(BENCH_DISPATCH_ARGS); several minutes) and the webhook
## burst (manage.py bench_webhooks $(BENCH_WEBHOOKS_ARGS)).
BENCH_CASES ?= 10000
BENCH_DISPATCH_ARGS ?=
BENCH_WEBHOOKS_ARGS ?=
bench: export DEBUG = 0
bench: export SECRET_KEY ?= bench-only-not-secret
bench: export ALLOWED_HOSTS = testserver
bench: export SECURE_SSL_REDIRECT = 0
bench: export AMENDS_BENCH = 1
bench: migrate
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_bench --cases $(BENCH_CASES)
	$(PY) manage.py rollups_rebuild
	$(PY) manage.py bench
	@broker="$${BENCH_BROKER_URL:-$${CELERY_BROKER_URL:-}}"; \
	if [[ "$$broker" == redis* ]]; then $(PY) manage.py bench_dispatch --broker "$$broker" $(BENCH_DISPATCH_ARGS) \
	  && $(PY) manage.py bench_webhooks --broker "$$broker" $(BENCH_WEBHOOKS_ARGS); \
	else echo "Follow-up dispatch and webhooks not measured: they need Redis (BENCH_BROKER_URL=redis://127.0.0.1:6379/14)."; fi

clean:
	rm -rf $(VENV) node_modules var
