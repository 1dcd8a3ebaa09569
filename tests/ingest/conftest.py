"""Fixtures of the ingest tests: a real DuckDB file per test and an empty inbox."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "pledge.duckdb"))
    yield connection
    connection.close()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    for feed in ("agency", "supplier", "workforce", "public"):
        (path / feed).mkdir(parents=True)
    return path
