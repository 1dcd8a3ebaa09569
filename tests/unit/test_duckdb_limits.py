"""Every pipeline connection carries DuckDB's memory limit (PLEDGE_DUCKDB_MEMORY_LIMIT; by default
1 GB, 512 MB for the gate and the publication) and the thread cap when one is set; dbt's profile
reads the same variable."""

from pathlib import Path

import duckdb
import yaml

from orchestration.resources import WarehouseResource
from orchestration.settings import READER_DUCKDB_MEMORY_LIMIT, REPO_ROOT


def _settings(tmp_path: Path, *limit: str) -> tuple[str, int]:
    with WarehouseResource(root=str(tmp_path)).connect(*limit) as con:
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


def test_gate_and_publication_connections_keep_a_smaller_share(tmp_path, monkeypatch):
    monkeypatch.delenv("PLEDGE_DUCKDB_MEMORY_LIMIT", raising=False)
    limit, _ = _settings(tmp_path, READER_DUCKDB_MEMORY_LIMIT)
    assert limit == _as_duckdb_shows("512MB") == "488.2 MiB"
    monkeypatch.setenv("PLEDGE_DUCKDB_MEMORY_LIMIT", "2GB")  # set: every connection takes it
    assert _settings(tmp_path, READER_DUCKDB_MEMORY_LIMIT)[0] == _as_duckdb_shows("2GB")


def test_dbt_profile_reads_the_same_variable():
    profile = yaml.safe_load((REPO_ROOT / "transforms" / "profiles.yml").read_text("utf-8"))
    memory = profile["pledge_warehouse"]["outputs"]["dev"]["settings"]["memory_limit"]
    assert "env_var('PLEDGE_DUCKDB_MEMORY_LIMIT', '1GB')" in memory
