"""Copy the raw (and audit) tables of a built DuckDB warehouse into PostgreSQL, then compare marts.

The move to a server database keeps the dbt project as it is: the ingest lands feed files into
``raw_<feed>.*`` tables, dbt builds staging → marts from them. This module is the loader for that
move: every table of the ``raw_*`` and ``audit`` schemas is exported by DuckDB to CSV and streamed
into PostgreSQL with ``COPY`` (psycopg2), with the column types mapped one to one (DuckDB's postgres
extension would need a download). ``compare_marts`` then checks that two builds of the marts hold
the same rows: order-independent, floats within a relative tolerance, everything else exact.

    uv run python -m orchestration.portability.postgres_load --duckdb warehouse/build/pledge.duckdb

Connection settings come from ``PLEDGE_PG_*`` (the same variables as the dbt ``postgres`` target).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

LOADED_SCHEMAS = ("raw_agency", "raw_supplier", "raw_workforce", "raw_public", "audit")
NULL_MARK = r"\N"
_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38, 0)",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20, 0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "UUID": "uuid",
    "BLOB": "bytea",
}


def pg_settings(env: dict[str, str] | None = None) -> dict[str, Any]:
    """psycopg2 connection keywords from PLEDGE_PG_* (defaults: a local loopback server)."""
    env = os.environ if env is None else env
    return {
        "host": env.get("PLEDGE_PG_HOST", "127.0.0.1"),
        "port": int(env.get("PLEDGE_PG_PORT", "5432")),
        "user": env.get("PLEDGE_PG_USER", "pledge"),
        "password": env.get("PLEDGE_PG_PASSWORD", ""),
        "dbname": env.get("PLEDGE_PG_DBNAME", "pledge"),
        "connect_timeout": 5,
    }


def connect(env: dict[str, str] | None = None):
    import psycopg2

    return psycopg2.connect(**pg_settings(env))


def pg_type(duckdb_type: str) -> str:
    """The PostgreSQL column type for a DuckDB one (information_schema spelling)."""
    t = duckdb_type.upper().strip()
    if m := re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", t):
        return f"numeric({m.group(1)}, {m.group(2)})"
    if t in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[t]
    if t.startswith("VARCHAR"):
        return "text"
    raise ValueError(f"no PostgreSQL type for DuckDB type {duckdb_type}")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class LoadedTable:
    schema: str
    table: str
    rows: int


def load_raw_tables(
    duckdb_path: str | os.PathLike,
    pg_conn,
    schemas: Sequence[str] = LOADED_SCHEMAS,
) -> list[LoadedTable]:
    """Replace each of ``schemas`` in PostgreSQL by a copy of the DuckDB tables; one transaction."""
    loaded: list[LoadedTable] = []
    src = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        tables = src.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in (select unnest(?)) "
            "order by table_schema, table_name",
            [list(schemas)],
        ).fetchall()
        with tempfile.TemporaryDirectory(prefix="pledge-pg-load-") as tmp, pg_conn.cursor() as cur:
            for schema in sorted({s for s, _ in tables}):
                cur.execute(f"drop schema if exists {_q(schema)} cascade")
                cur.execute(f"create schema {_q(schema)}")
            for schema, table in tables:
                cols = src.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                ddl = ", ".join(f"{_q(c)} {pg_type(t)}" for c, t in cols)
                cur.execute(f"create table {_q(schema)}.{_q(table)} ({ddl})")
                csv_path = Path(tmp) / f"{schema}.{table}.csv"
                src.execute(
                    f"copy {_q(schema)}.{_q(table)} to '{csv_path}' "
                    f"(format csv, header false, null '{NULL_MARK}')"
                )
                with csv_path.open("rb") as fh:
                    cur.copy_expert(
                        f"copy {_q(schema)}.{_q(table)} from stdin "
                        f"with (format csv, header false, null '{NULL_MARK}')",
                        fh,
                    )
                cur.execute(f"select count(*) from {_q(schema)}.{_q(table)}")
                loaded.append(LoadedTable(schema, table, cur.fetchone()[0]))
                csv_path.unlink()
        pg_conn.commit()
    except BaseException:
        pg_conn.rollback()
        raise
    finally:
        src.close()
    return loaded


# -- comparison ---------------------------------------------------------------------------------


@dataclass
class MartComparison:
    mart: str
    rows_left: int
    rows_right: int
    columns: list[str]
    max_rel_diff: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm(v: Any) -> Any:
    """A value in a form both databases' drivers agree on (floats kept apart for tolerance)."""
    if isinstance(v, Decimal):
        return v.normalize() if v == v.to_integral_value() else v
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return v
    return str(v)


def _sort_key(row: Sequence[Any]) -> tuple:
    # Floats are rounded so that rows equal within tolerance sort the same way on both sides.
    out = []
    for v in row:
        if v is None:
            out.append((0, ""))
        elif isinstance(v, float):
            out.append((1, f"{v:.6e}" if math.isfinite(v) else str(v)))
        else:
            out.append((2, str(v)))
    return tuple(out)


def _rel_diff(a: float, b: float) -> float:
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def compare_rows(
    mart: str,
    columns: list[str],
    left: Iterable[Sequence[Any]],
    right: Iterable[Sequence[Any]],
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-12,
) -> MartComparison:
    """Same rows in any order; floats within ``rel_tol`` (``abs_tol`` near 0), the rest exact."""
    lrows = sorted(([_norm(v) for v in r] for r in left), key=_sort_key)
    rrows = sorted(([_norm(v) for v in r] for r in right), key=_sort_key)
    result = MartComparison(mart, len(lrows), len(rrows), columns)
    if len(lrows) != len(rrows):
        lc = Counter(tuple(map(str, r)) for r in lrows)
        rc = Counter(tuple(map(str, r)) for r in rrows)
        only_l = list((lc - rc).elements())[:3]
        only_r = list((rc - lc).elements())[:3]
        result.problems.append(
            f"{len(lrows)} rows vs {len(rrows)}; only left e.g. {only_l}; only right e.g. {only_r}"
        )
        return result
    for i, (lr, rr) in enumerate(zip(lrows, rrows, strict=True)):
        for col, a, b in zip(columns, lr, rr, strict=True):
            if isinstance(a, float) or isinstance(b, float):
                if a is None or b is None:
                    if a is not b:
                        result.problems.append(f"row {i} {col}: {a!r} vs {b!r}")
                    continue
                fa, fb = float(a), float(b)
                if math.isnan(fa) and math.isnan(fb):
                    continue
                d = _rel_diff(fa, fb)
                result.max_rel_diff = max(result.max_rel_diff, d)
                if d > rel_tol and abs(fa - fb) > abs_tol:
                    result.problems.append(f"row {i} {col}: {a!r} vs {b!r} (rel {d:.3g})")
            elif a != b:
                result.problems.append(f"row {i} {col}: {a!r} vs {b!r}")
        if len(result.problems) > 20:
            break
    return result


def released_mart_names(manifest: dict) -> list[str]:
    """The marts of the release exposure (exposure quarterly_release), in its order."""
    exposure = next(e for e in manifest["exposures"].values() if e["name"] == "quarterly_release")
    return [manifest["nodes"][uid]["name"] for uid in exposure["depends_on"]["nodes"]]


def compare_marts(
    duckdb_path: str | os.PathLike,
    pg_conn,
    marts: Sequence[str],
    schema: str = "marts",
    rel_tol: float = 1e-9,
) -> list[MartComparison]:
    """Compare each mart of the DuckDB build with the PostgreSQL build of the same name."""
    results = []
    src = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        for mart in marts:
            cols = [
                r[0]
                for r in src.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, mart],
                ).fetchall()
            ]
            with pg_conn.cursor() as cur:
                cur.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = %s and table_name = %s order by ordinal_position",
                    (schema, mart),
                )
                pg_cols = [r[0] for r in cur.fetchall()]
                if pg_cols != cols:
                    results.append(
                        MartComparison(mart, 0, 0, cols, problems=[f"columns {cols} vs {pg_cols}"])
                    )
                    continue
                select = ", ".join(_q(c) for c in cols)
                cur.execute(f"select {select} from {_q(schema)}.{_q(mart)}")
                right = cur.fetchall()
            left = src.execute(f"select {select} from {_q(schema)}.{_q(mart)}").fetchall()
            results.append(compare_rows(mart, cols, left, right, rel_tol=rel_tol))
    finally:
        src.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", required=True, help="built DuckDB warehouse to copy from")
    args = parser.parse_args(argv)
    conn = connect()
    try:
        for t in load_raw_tables(args.duckdb, conn):
            print(f"{t.schema}.{t.table}: {t.rows} rows")
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
