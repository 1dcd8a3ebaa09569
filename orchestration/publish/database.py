"""The analysts' database: a read-only copy of the gated marts, swapped in atomically.

DuckDB allows one writer per file and an open reader can stop a writer, so analysts never open the
build database. After each gated build the published schemas are copied into a new file beside
``pledge.duckdb`` and renamed over it in one step: a reader that holds the old file keeps seeing the
old state until it reconnects. Raw schemas (which hold personal data) are never copied.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

from orchestration.settings import READER_DUCKDB_MEMORY_LIMIT, duckdb_config

PUBLISHED_SCHEMA_PREFIXES = ("marts", "reference", "audit")


def _published_tables(con: duckdb.DuckDBPyConnection, prefixes: tuple[str, ...]) -> list[tuple]:
    rows = con.sql(
        "select schema_name, table_name, comment from duckdb_tables() "
        "where database_name = current_database() order by schema_name, table_name"
    ).fetchall()
    return [r for r in rows if r[0].startswith(prefixes)]


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish_database(
    build_db: Path, published_db: Path, prefixes: tuple[str, ...] = PUBLISHED_SCHEMA_PREFIXES
) -> list[str]:
    """Copy the published schemas of ``build_db`` into ``published_db`` atomically.

    Returns the tables copied (``schema.table``). Table and column comments are carried over so
    ``describe`` and ``duckdb_columns()`` show the documentation to analysts.
    """
    published_db.parent.mkdir(parents=True, exist_ok=True)
    tmp = published_db.with_name(f".{published_db.name}.{uuid.uuid4().hex[:8]}.tmp")
    copied: list[str] = []
    con = duckdb.connect(str(tmp), config=duckdb_config(READER_DUCKDB_MEMORY_LIMIT))
    try:
        home = con.execute("select current_database()").fetchone()[0]
        con.execute(f"attach {_sql_literal(str(build_db))} as build (read_only)")
        con.execute("use build")
        tables = _published_tables(con, prefixes)
        columns = con.sql(
            "select schema_name, table_name, column_name, comment from duckdb_columns() "
            "where database_name = 'build' and comment is not null"
        ).fetchall()
        con.execute(f'use "{home}"')
        for schema, table, comment in tables:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(
                f'create table "{schema}"."{table}" as select * from build."{schema}"."{table}"'
            )
            if comment:
                con.execute(f'comment on table "{schema}"."{table}" is {_sql_literal(comment)}')
            copied.append(f"{schema}.{table}")
        wanted = {(s, t) for s, t, _ in tables}
        for schema, table, column, comment in columns:
            if (schema, table) in wanted:
                con.execute(
                    f'comment on column "{schema}"."{table}"."{column}" is {_sql_literal(comment)}'
                )
        con.execute("detach build")
        con.execute("checkpoint")
    finally:
        con.close()
    os.replace(tmp, published_db)
    return copied
