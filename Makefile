# Two commands: `make demo` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/shuangjian
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test install system-deps lint typecheck imports migrations-check pytest serve seed-demo clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen
	touch $@

install: $(VENV)/.synced

# Debian packages the browser tests need (Chromium and CJK fonts); installed only when missing.
system-deps:
	@bash scripts/system-deps.sh

lint: install
	$(BIN)/ruff check src tests bench scripts conftest.py
	$(BIN)/ruff format --check src tests bench scripts conftest.py
	$(BIN)/python scripts/check_project_rules.py

typecheck: install
	$(BIN)/mypy src

imports: install
	$(BIN)/lint-imports

migrations-check: install
	$(BIN)/shuangjian makemigrations --check --dry-run

pytest: install system-deps
	@bash scripts/pytest-both-databases.sh

test: lint typecheck imports migrations-check pytest

demo: install
	$(BIN)/shuangjian migrate --no-input
	$(BIN)/shuangjian seed --preset demo --seed 1 --if-empty
	$(BIN)/shuangjian runserver --insecure 127.0.0.1:8000

clean:
	rm -rf .tools $(VENV) var
