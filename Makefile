# The two commands of the README: `make run` and `make test`. Everything else is a step of those or of CI.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
UV := .tools/bin/uv
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install system-packages run-packages messages migrate demo demo-reset worker lint format check \
	bench clean

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

install: $(UV)
	$(UV) sync --locked --quiet

system-packages:
	.ci/ensure-system-packages test

run-packages:
	.ci/ensure-system-packages run

messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=.tools -v 0

migrate: install
	$(MANAGE) migrate --noinput -v 0

demo: migrate messages
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin

## make demo-reset: empty the development database and uploads, then load the demo again.
demo-reset: install messages
	$(MANAGE) demo_reset --noinput
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin

## make run: install, migrate, load demo data, print the logins, serve on http://$(HOST):$(PORT) with a worker.
## The portal's own error pages are shown; DJANGO_DEBUG=1 make run shows Django's technical pages instead.
run: run-packages demo
	@mkdir -p .run; \
	$(MANAGE) db_worker --interval 2 >.run/worker.log 2>&1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	echo "Background worker started (log: .run/worker.log)"; \
	$(MANAGE) runserver $(HOST):$(PORT)

## make worker: the background task worker (e-mails, letters). Production runs it as a service.
worker: install
	$(MANAGE) db_worker

## make test: install everything (Chromium included) and run the whole suite against PostgreSQL.
test: install system-packages messages
	.ci/with-postgres $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: install
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=portal.settings.production \
	DJANGO_SECRET_KEY=ci-dummy-secret-key-that-is-long-enough-for-the-deploy-check-0123456789 \
	DJANGO_ALLOWED_HOSTS=portal.example.org PORTAL_TRUSTED_PROXY_COUNT=1 \
	$(MANAGE) check --deploy --fail-level WARNING

## make bench: build (or reuse) a realistic dataset in PostgreSQL and print the figures.
bench: install system-packages messages
	.ci/ensure-bench-packages && .ci/with-postgres $(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf .venv .tools .run staticfiles .test-media .test-private-media .test-static
