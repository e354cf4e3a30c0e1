# Zhixing: one command to run the app, one to test it. Both set up what they need on a fresh machine.
#   make run    – venv, Python + front-end assets, translations, migrations, demo data; serves :8000
#   make test   – venv and assets if needed, then the whole suite (SQLite, or the servers in DATABASE_URL/REDIS_URL)
#   make backup – pg_dump of DATABASE_URL into backups/; make restore DUMP=… [TARGET=…] restores one
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The development server runs with DEBUG on unless told otherwise (seed_demo refuses to run without it).
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}
# What a production deployment behind TLS sets (docker-compose.yml too).
PRODUCTION_ENV := SESSION_COOKIE_SECURE=1 SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 BEHIND_TLS_PROXY=1

.PHONY: run test lint format venv assets messages migrate demo worker beat bench bench-data check-deploy backup restore clean help

help:
	@grep -E '^#   make' Makefile | sed 's/^#   //'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# Front-end assets come from npm (package-lock.json pins them) and are copied into static/vendor, which
# the app serves itself (whitenoise): no page ever loads anything from a CDN.
static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/echarts static/vendor/bootstrap-icons
	cp -r node_modules/bootstrap/dist/css node_modules/bootstrap/dist/js static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/
	touch $@

assets: static/vendor/.installed

messages: venv
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

migrate: venv
	$(RUN_ENV) $(PY) manage.py migrate --no-input -v1

demo: migrate
	$(RUN_ENV) $(PY) manage.py seed_demo

run: venv assets messages demo
	@echo "Zhixing at http://$(HOST):$(PORT)/ — demo users demo-officer, demo-clerk … password zhixing-demo"
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

worker: venv
	$(VENV)/bin/celery -A config worker -Q default,queries,tracking -l info

beat: venv
	$(VENV)/bin/celery -A config beat -l info

test: venv assets messages
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat

bench: venv
	$(PY) -m bench $(BENCH_ARGS)

# The benchmark data set, with COPY into BENCH_DATABASE_URL (default the local zhixing_bench): SCALE=10k|100k|1m|<n>.
SCALE ?= 10k
bench-data: venv
	$(PY) -m bench.generate --scale $(SCALE) $(BENCH_DATA_ARGS)

check-deploy: venv
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(openssl rand -hex 32)} $(PRODUCTION_ENV) \
	  $(PY) manage.py check --deploy --fail-level WARNING

# pg_dump -Fc of DATABASE_URL into backups/<UTC date-time>.dump; restore one: DUMP=… [TARGET=name|postgres://…]
backup:
	scripts/backup.sh

restore:
	@test -n "$(DUMP)" || { echo "usage: make restore DUMP=backups/<file>.dump [TARGET=name|postgres://…]"; exit 2; }
	scripts/restore.sh "$(DUMP)" $(TARGET)

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
