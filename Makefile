# Everything a developer or CI needs, from a fresh machine.
# `make run` sets up and starts the portal with demo data; `make test` runs the tests.

PYTHON_SYSTEM ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Development commands run with DEBUG on (the built-in development key);
# tests use ogp_portal/settings_test.py; production sets its own environment.
DEV := DJANGO_DEBUG=true

.DEFAULT_GOAL := help
.PHONY: bench-load help system-deps install messages compile-messages migrate demo run serve test test-browser lint security outdated format lock bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	$(PYTHON_SYSTEM) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed ## Create the virtual environment and install the locked packages

system-deps: ## Install the Debian packages the portal and its tests need (gettext, Chromium, fonts, libmagic)
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	dpkg -s fonts-noto-core >/dev/null 2>&1 || missing="$$missing fonts-noto-core"; \
	dpkg -s libmagic1 >/dev/null 2>&1 || missing="$$missing libmagic1"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing \
		|| { $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; }; \
	fi

compile-messages: install ## Compile the translation catalogs (needs gettext's msgfmt)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext (apt-get install gettext)"; exit 1; }
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv -v0

messages: install ## Extract translatable strings into locale/*/LC_MESSAGES/django.po
	$(DEV) $(PY) manage.py makemessages --all --ignore=.venv --ignore=bench --ignore=tests --no-obsolete --add-location file

migrate: install ## Apply database migrations
	$(DEV) $(PY) manage.py migrate --no-input -v0

demo: system-deps migrate compile-messages ## Load the demo data (the five seed plans and demo accounts)
	$(DEV) $(PY) manage.py load_demo

run: demo ## Set up everything and start the development server with demo data on SQLite
	@echo ""
	@echo "  Public site: http://$(HOST):$(PORT)/"
	@echo "  Staff admin: http://$(HOST):$(PORT)/en/admin/  (demo logins printed above)"
	@echo ""
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

serve: demo ## Run the portal under gunicorn with DEBUG off, as in production
	$(DEV) $(PY) manage.py collectstatic --no-input -v0
	@# Without a DJANGO_SECRET_KEY (environment or .env) this local run uses a fresh random one.
	DJANGO_DEBUG=false DJANGO_HTTPS=false DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		$(VENV)/bin/gunicorn ogp_portal.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: system-deps compile-messages ## Set up everything and run the whole test suite (browser tests included)
	$(VENV)/bin/pytest

lint: install ## ruff, formatting and missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# What bandit reads: the code that runs, not the tests, migrations or .venv.
SECURITY_PATHS := manage.py ogp_portal plans commitments consultations monitoring scripts bench

security: install ## bandit (no medium or high finding), then the pins with a newer patch release
	$(VENV)/bin/bandit -r $(SECURITY_PATHS) -x '*/migrations/*,*/tests/*' -ll -q
	$(PY) scripts/outdated_pins.py

outdated: install ## Pinned packages with a newer patch release (PyPI, else pip's indexes; never fails offline)
	$(PY) scripts/outdated_pins.py

format: install ## Reformat the code and fix what ruff can fix
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: ## Re-lock the dependencies from pyproject.toml into requirements.lock
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --extra test --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

bench: install ## Throughput of the public pages against a trivial view (see bench/README.md)
	@command -v wrk >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get install -y -q wrk; }
	$(PY) bench/public_pages.py

bench-load: install ## 60 s at 32 connections across the public pages, gunicorn + PostgreSQL + Redis
	@command -v wrk >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get install -y -q wrk; }
	$(PY) bench/load_run.py

clean: ## Remove the virtual environment, the SQLite database and build artefacts
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
