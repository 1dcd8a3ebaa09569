"""The same dbt project on PostgreSQL: every released mart equals DuckDB's on the default data.

The pipeline runs on the embedded default data into a temporary DuckDB warehouse (the main job,
in process); its raw tables are copied into PostgreSQL (orchestration.portability.postgres_load);
``dbt build --target postgres`` with the same ``--vars`` builds and tests every model there; each
mart of the release exposure must then hold the same rows as DuckDB's (order-independent; floats
within 1e-9 relative, text, integers, dates and decimals exact).

The server comes from ``PLEDGE_PG_*`` (``.ci/run`` starts a throwaway one); point it at a scratch
database: the test replaces the ``raw_*``, ``audit`` and model schemas there. Without a reachable
server the test is skipped, except under ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.dbt_vars import dbt_vars_args
from orchestration.portability.postgres_load import (
    compare_marts,
    connect,
    load_raw_tables,
    pg_settings,
    released_mart_names,
)
from orchestration.settings import TRANSFORMS_DIR, WarehousePaths

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

QUARTER = "2026-Q3"
REL_TOL = 1e-9


def _server():
    try:
        return connect()
    except Exception as exc:  # psycopg2.OperationalError and friends
        s = pg_settings()
        reason = (
            f"no PostgreSQL server at {s['host']}:{s['port']} (db {s['dbname']}, user {s['user']}; "
            f"set PLEDGE_PG_HOST/PORT/USER/PASSWORD/DBNAME): {str(exc).strip().splitlines()[0]}"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def pg_conn():
    conn = _server()
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def duckdb_warehouse(tmp_path_factory) -> WarehousePaths:
    from orchestration.cli import execute_quarter
    from orchestration.feeds.default_data import stage_default_inbox

    paths = WarehousePaths.resolve(tmp_path_factory.mktemp("pg-portability") / "warehouse").ensure()
    stage_default_inbox(paths.inbox)
    result = execute_quarter(QUARTER, paths)
    assert result.success, "the main job failed on the default data"
    assert paths.build_db.exists(), "the DuckDB build did not produce a database"
    return paths


def test_marts_on_postgres_equal_duckdb(pg_conn, duckdb_warehouse: WarehousePaths, tmp_path):
    # pg_conn first: without a server the test skips before the DuckDB build
    t0 = time.monotonic()
    loaded = load_raw_tables(duckdb_warehouse.build_db, pg_conn)
    raw_schemas = {"raw_agency", "raw_supplier", "raw_workforce", "raw_public"}
    assert {t.schema for t in loaded} >= raw_schemas
    assert all(t.rows > 0 for t in loaded if t.schema.startswith("raw_"))
    t_load = time.monotonic() - t0

    dbt = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    cmd = [
        dbt,
        "build",
        "--target",
        "postgres",
        "--profiles-dir",
        str(TRANSFORMS_DIR),
        "--project-dir",
        str(TRANSFORMS_DIR),
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
        *dbt_vars_args(QUARTER),
    ]
    t1 = time.monotonic()
    proc = subprocess.run(cmd, cwd=TRANSFORMS_DIR, env=env, capture_output=True, text=True)
    t_build = time.monotonic() - t1
    assert proc.returncode == 0, f"dbt build --target postgres failed:\n{proc.stdout[-6000:]}"

    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    marts = released_mart_names(manifest)
    assert len(marts) >= 15
    results = compare_marts(duckdb_warehouse.build_db, pg_conn, marts, rel_tol=REL_TOL)
    lines = [
        f"{r.mart}: {r.rows_left} rows, max rel diff {r.max_rel_diff:.2g}"
        + ("" if r.ok else f" — {r.problems[:5]}")
        for r in results
    ]
    print(
        f"\nloaded raw in {t_load:.1f}s, dbt build on PostgreSQL {t_build:.1f}s; "
        f"{len(results)} marts, {sum(r.rows_left for r in results)} rows\n" + "\n".join(lines)
    )
    assert [r.mart for r in results if not r.ok] == [], "\n".join(lines)
