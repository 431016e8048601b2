# Two commands on a fresh machine: `make run` (set up and serve the demo) and `make test` (the whole suite).
# Without DATABASE_URL both use an embedded PostgreSQL under var/; with it, that database.

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install messages run test lint clean-var

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

clean-var:
	rm -rf var/
