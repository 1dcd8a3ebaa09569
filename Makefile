# Two commands set everything up on a fresh machine that has Python >= 3.11:
#   make run    materialize the main job on the embedded default data (latest complete quarter)
#   make test   run the test suite
# uv is the fast installer; when it is not on PATH it is bootstrapped into .tools/.

SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
QUARTER ?=

.PHONY: run test setup lint dagster docs clean

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet uv

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --all-extras
	touch $@

setup: .venv/.synced

run: setup
	$(UV) run --frozen pledge run $(if $(QUARTER),--quarter $(QUARTER))

test: setup
	$(UV) run --frozen pytest

# ruff (lint + format) for Python, sqlfluff for the dbt models (dbt templater: it compiles the
# project against a scratch DuckDB file, never the warehouse).
lint: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	PLEDGE_DUCKDB=$${TMPDIR:-/tmp}/pledge-sqlfluff.duckdb $(UV) run --frozen sqlfluff lint transforms/models transforms/macros --processes 2

dagster: setup
	$(UV) run --frozen python -m orchestration.instance warehouse/dagster_home
	DAGSTER_HOME=$(CURDIR)/warehouse/dagster_home $(UV) run --frozen dagster dev

docs: setup
	$(UV) run --frozen pledge docs --static

clean:
	rm -rf warehouse/build warehouse/releases warehouse/inbox warehouse/archive warehouse/*.duckdb
