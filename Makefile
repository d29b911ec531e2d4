# Fuwu: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEBIAN_PACKAGES := gettext chromium chromium-driver fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils

.PHONY: help setup run test test-sqlite test-postgres lint bench system-packages

help:
	@echo "make run    - set up, load demo data and start Fuwu on http://127.0.0.1:8000 with its worker"
	@echo "make test   - set up and run the whole test suite on SQLite and PostgreSQL"
	@echo "make bench  - benchmarks (see bench/README.md)"

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 12), "Fuwu needs Python 3.12 (see .python-version)"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	@$(MANAGE) compile_translations

run: setup
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@bash scripts/run.sh

# As root on Debian/Ubuntu, install the browser, CJK fonts and WeasyPrint's libraries when missing.
system-packages:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	else \
	  for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo "note: Debian package $$p is missing (install it as root)"; done; \
	fi

test: setup system-packages
	@bash scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	@bash bench/run.sh
