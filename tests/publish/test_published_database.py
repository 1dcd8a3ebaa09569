"""The analysts' database is swapped in atomically and never blocks the build."""

import duckdb

from orchestration.publish.database import publish_database


def _build(path, value):
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create schema if not exists raw_workforce")
    con.execute("create or replace table marts.fct_x as select ? as figure", [value])
    con.execute("comment on table marts.fct_x is 'A published mart'")
    con.execute("comment on column marts.fct_x.figure is 'The headline figure'")
    con.execute(
        "create or replace table raw_workforce.participants as select 'Jane Roe' as full_name"
    )
    con.close()


def test_reader_keeps_old_state_until_it_reconnects(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "pledge.duckdb"
    _build(build, 1)
    publish_database(build, published)
    reader = duckdb.connect(str(published), read_only=True)
    assert reader.execute("select figure from marts.fct_x").fetchone() == (1,)

    _build(build, 2)  # the build writes its own file while the reader holds the published one
    copied = publish_database(build, published)
    assert copied == ["marts.fct_x"]
    assert reader.execute("select figure from marts.fct_x").fetchone() == (1,)
    reader.close()

    fresh = duckdb.connect(str(published), read_only=True)
    assert fresh.execute("select figure from marts.fct_x").fetchone() == (2,)
    comments = fresh.execute(
        "select comment from duckdb_columns() where table_name = 'fct_x' and column_name = 'figure'"
    ).fetchone()
    assert comments == ("The headline figure",)
    schemas = {r[0] for r in fresh.execute("select schema_name from duckdb_tables()").fetchall()}
    assert "raw_workforce" not in schemas  # personal data never reaches analysts
    fresh.close()
    assert not list(tmp_path.glob(".*.tmp"))
