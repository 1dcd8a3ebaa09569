"""Helpers of the ingest tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb

FIXTURES = Path(__file__).parents[1] / "fixtures"
BAD_INPUTS = FIXTURES / "bad_inputs"
BAD_PROGRAM_FEEDS = FIXTURES / "bad_program_feeds"
LOAD_DATE = date(2026, 6, 30)


def put(inbox: Path, feed: str, source: Path, name: str | None = None) -> Path:
    target = inbox / feed / (name or source.name)
    shutil.copyfile(source, target)
    return target


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Every row of every raw and audit table, sorted: 'the warehouse is exactly as before'."""
    tables = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema like 'raw_%' or table_schema = 'audit' order by 1"
    ).fetchall()
    return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for (t,) in tables}
