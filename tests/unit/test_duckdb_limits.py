"""Every pipeline connection carries DuckDB's memory limit (PLEDGE_DUCKDB_MEMORY_LIMIT, 1 GB by
default) and the thread cap when one is set; dbt's profile reads the same variable."""

from pathlib import Path

import duckdb
import yaml

from orchestration.resources import WarehouseResource
from orchestration.settings import REPO_ROOT


def _settings(tmp_path: Path) -> tuple[str, int]:
    with WarehouseResource(root=str(tmp_path)).connect() as con:
        limit, threads = con.execute(
            "select current_setting('memory_limit'), current_setting('threads')"
        ).fetchone()
    return limit, int(threads)


def _as_duckdb_shows(limit: str) -> str:
    con = duckdb.connect(config={"memory_limit": limit})
    return con.execute("select current_setting('memory_limit')").fetchone()[0]


def test_default_limit_is_one_gigabyte(tmp_path, monkeypatch):
    monkeypatch.delenv("PLEDGE_DUCKDB_MEMORY_LIMIT", raising=False)
    limit, _ = _settings(tmp_path)
    assert limit == _as_duckdb_shows("1GB") == "953.6 MiB"


def test_environment_overrides_limit_and_threads(tmp_path, monkeypatch):
    monkeypatch.setenv("PLEDGE_DUCKDB_MEMORY_LIMIT", "256MB")
    monkeypatch.setenv("PLEDGE_DUCKDB_THREADS", "1")
    assert _settings(tmp_path) == (_as_duckdb_shows("256MB"), 1)


def test_dbt_profile_reads_the_same_variable():
    profile = yaml.safe_load((REPO_ROOT / "transforms" / "profiles.yml").read_text("utf-8"))
    memory = profile["pledge_warehouse"]["outputs"]["dev"]["settings"]["memory_limit"]
    assert "env_var('PLEDGE_DUCKDB_MEMORY_LIMIT', '1GB')" in memory
