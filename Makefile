# Two commands on a fresh machine: `make run` (set up and serve the demo) and `make test` (the whole suite).
# Without DATABASE_URL both use an embedded PostgreSQL under var/; with it, that database.

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install messages run test lint bench clean-var

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NODE_STAMP)

messages: install
	$(PY) manage.py compilemessages --ignore '.venv/*' --verbosity 0

run: messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: a Celery worker and beat run beside the web server."; \
	  $(PY) -m celery -A jobcenter worker --loglevel INFO & worker=$$!; \
	  $(PY) -m celery -A jobcenter beat --loglevel INFO --schedule var/celerybeat-schedule & beat=$$!; \
	  trap 'kill $$worker $$beat 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST); \
	else \
	  $(PY) manage.py runserver $(HOST); \
	fi

test: messages
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=jobcenter.settings.prod \
	SECRET_KEY=$${SECRET_KEY:-ci-only-$$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 60)} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-jobcenter.example.dk} \
	$(PY) manage.py check --deploy --fail-level WARNING

# The benchmark (issue 7): each profile generated once into its own database, every page measured on
# both with production settings, copenhagen against small, then the load run (needs wrk and gunicorn).
BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
BENCH_ENV = DJANGO_SETTINGS_MODULE=jobcenter.settings.prod SECRET_KEY=bench-only-not-secret \
	ALLOWED_HOSTS=testserver,127.0.0.1,localhost

bench: messages
	$(BENCH_ENV) DATABASE_URL=$(BENCH_SERVER)/postgres $(PY) manage.py collectstatic --noinput --verbosity 0
	@for profile in small copenhagen; do \
	  url=$(BENCH_SERVER)/jobcenter_bench_$$profile; \
	  if psql "$(BENCH_SERVER)/postgres" -Atc "CREATE DATABASE jobcenter_bench_$$profile" >/dev/null 2>&1; then \
	    DATABASE_URL=$$url $(PY) manage.py migrate --noinput --verbosity 0 && \
	    DATABASE_URL=$$url $(PY) manage.py generate_synthetic --profile $$profile --seed 1 || exit 1; \
	  fi; \
	done
	$(BENCH_ENV) DATABASE_URL=$(BENCH_SERVER)/jobcenter_bench_small \
	  $(PY) manage.py bench --label small --save var/bench/small.json
	$(BENCH_ENV) DATABASE_URL=$(BENCH_SERVER)/jobcenter_bench_copenhagen \
	  $(PY) manage.py bench --label copenhagen --compare var/bench/small.json --save var/bench/copenhagen.json --load --export-rows 1000000

clean-var:
	rm -rf var/
