"""Landing behaviour on a real DuckDB: lineage, idempotency, refusals, rollback, archive."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from ingest_helpers import BAD_INPUTS, BAD_PROGRAM_FEEDS, LOAD_DATE, put, snapshot

from orchestration.ingest.decode import sha256_of
from orchestration.ingest.faults import PledgeError
from orchestration.ingest.land import land_file, land_inbox

HEADER = (
    "facility_id,facility_name,state_code,week_ending,sector,commodity,end_use,"
    "output_units,design_capacity_units,defective_units,is_domestic"
)


def weekly(rows: list[str], crlf: bool = False) -> bytes:
    text = "\n".join([HEADER, *rows]) + "\n"
    return (text.replace("\n", "\r\n") if crlf else text).encode()


ROWS = [
    'FAC-0001,"North\nPlant",NV,2026-03-07,rare_earth,NdPr oxide,magnets,10,20,1,true',
    'FAC-0002,"Quote ""Q"" works",OH,2026-03-07,electronics,wafers,chips,5.5,9,0,no',
    'FAC-0003,"Two\nline\nname",TX,2026-03-14,rare_earth,"oxide, mixed",,7,8,0,Y',
]


def test_lineage_lines_match_physical_lines(con, inbox):
    path = inbox / "supplier" / "weekly_production_2026-Q1.csv"
    path.write_bytes(weekly(ROWS, crlf=True))
    (r,) = land_inbox(con, inbox, load_date=LOAD_DATE, load_id="L1").files
    assert (r.status, r.rows_loaded) == ("loaded", 3)
    rows = con.execute(
        "select facility_id, facility_name, _source_file, _source_sha256, _source_line, _load_id,"
        " _loaded_at, is_domestic, output_units from raw_supplier.weekly_production "
        "order by _source_line"
    ).fetchall()
    # header = line 1; row 1 spans lines 2-3, row 2 is line 4, row 3 spans lines 5-7.
    assert [row[4] for row in rows] == [2, 4, 5]
    assert rows[0][1] == "North\nPlant" and rows[1][1] == 'Quote "Q" works'
    assert {row[2] for row in rows} == {path.name}
    assert {row[3] for row in rows} == {sha256_of(path.read_bytes())}
    assert {row[5] for row in rows} == {"L1"}
    assert all(isinstance(row[6], datetime) for row in rows)
    assert [row[7] for row in rows] == [True, False, True]
    assert float(rows[1][8]) == 5.5


def test_quarantine_line_after_embedded_newline(con, inbox):
    rows = [*ROWS, "FAC-0004,x,NV,2026-03-07,rare_earth,ore,,-1,8,0,true"]
    (inbox / "supplier" / "weekly_production_x.csv").write_bytes(weekly(rows))
    land_inbox(con, inbox, load_date=LOAD_DATE)
    assert con.execute('select line, "column" from audit.quarantined_rows').fetchall() == [
        (8, "output_units")
    ]


def test_reingest_is_idempotent(con, inbox, tmp_path):
    for feed in ("supplier", "workforce"):
        for p in sorted((BAD_PROGRAM_FEEDS / feed).glob("*.csv")):
            put(inbox, feed, p)
    put(inbox, "public", BAD_INPUTS / "qcew_negative_employment.csv")
    first = land_inbox(con, inbox, load_date=LOAD_DATE, archive_dir=tmp_path / "archive")
    assert first.count("loaded") > 0 and first.count("refused") > 0
    before = snapshot(con)
    second = land_inbox(con, inbox, load_date=LOAD_DATE, archive_dir=tmp_path / "archive")
    assert second.count("skipped") == len(second.files) == len(first.files)
    after = snapshot(con)
    assert "audit.file_loads" in after
    assert after == before  # raw tables, file loads, quarantine and refusals: all unchanged


def test_refused_file_changes_nothing_and_others_load(con, inbox):
    put(inbox, "supplier", BAD_PROGRAM_FEEDS / "supplier" / "weekly_production_utf16.csv")
    land_inbox(con, inbox, load_date=LOAD_DATE)
    raw_before = {t: v for t, v in snapshot(con).items() if t.startswith("raw_")}
    put(inbox, "supplier", BAD_PROGRAM_FEEDS / "supplier" / "weekly_production_truncated.csv")
    put(inbox, "supplier", BAD_INPUTS / "qcew_zip_renamed.csv", "weekly_production_zip.csv")
    put(inbox, "supplier", BAD_PROGRAM_FEEDS / "supplier" / "input_sourcing_utf16.csv")
    (inbox / "supplier" / "unknown_report.csv").write_text("a,b\n1,2\n")
    result = land_inbox(con, inbox, load_date=LOAD_DATE)
    status = {f.file: f.status for f in result.files}
    assert status == {
        "input_sourcing_utf16.csv": "loaded",
        "unknown_report.csv": "refused",
        "weekly_production_truncated.csv": "refused",
        "weekly_production_utf16.csv": "skipped",
        "weekly_production_zip.csv": "refused",
    }
    after = snapshot(con)
    assert after["raw_supplier.weekly_production"] == raw_before["raw_supplier.weekly_production"]
    assert len(after["raw_supplier.input_sourcing"]) == 3
    unknown = next(f for f in result.files if f.file == "unknown_report.csv")
    assert "no table for this file name" in unknown.reason and "weekly_production*.csv" in (
        unknown.reason
    )


def test_rollback_on_failure_mid_file(con, inbox):
    # A NOT NULL column the contract does not fill makes the raw insert fail after the
    # quarantine rows were inserted in the same transaction: both must be rolled back.
    con.execute("create schema raw_supplier")
    con.execute(
        "create table raw_supplier.weekly_production (facility_id varchar, "
        "must_be_set varchar not null)"
    )
    path = put(
        inbox, "supplier", BAD_PROGRAM_FEEDS / "supplier" / "weekly_production_negative_value.csv"
    )
    with pytest.raises(PledgeError, match="rolled back"):
        land_file(
            con,
            path,
            "supplier",
            load_id="L",
            loaded_at=datetime(2026, 6, 30),
            load_date=LOAD_DATE,
            archive_dir=None,
        )
    assert con.execute("select count(*) from audit.quarantined_rows").fetchone() == (0,)
    assert con.execute("select count(*) from audit.file_loads").fetchone() == (0,)
    assert con.execute("select count(*) from raw_supplier.weekly_production").fetchone() == (0,)
    # land_inbox reports the failure and goes on; the file is retried on the next run.
    (r,) = land_inbox(con, inbox, load_date=LOAD_DATE).files
    assert r.status == "failed" and "rolled back" in r.reason


def test_archive_written(con, inbox, tmp_path: Path):
    src = BAD_PROGRAM_FEEDS / "workforce" / "training_reports_utf16.csv"
    put(inbox, "workforce", src)
    put(inbox, "workforce", BAD_PROGRAM_FEEDS / "workforce" / "training_reports_semicolon.csv")
    archive = tmp_path / "archive"
    land_inbox(con, inbox, load_date=LOAD_DATE, archive_dir=archive)
    sha = sha256_of(src.read_bytes())
    assert [p.name for p in archive.iterdir()] == [sha]  # refused files are not archived
    assert (archive / sha).read_bytes() == src.read_bytes()


def test_progress_callback(con, inbox):
    put(inbox, "workforce", BAD_PROGRAM_FEEDS / "workforce" / "training_reports_utf16.csv")
    put(inbox, "workforce", BAD_PROGRAM_FEEDS / "workforce" / "participants_utf16.csv")
    seen = []
    land_inbox(con, inbox, load_date=LOAD_DATE, progress=lambda i, n, f: seen.append((i, n, f)))
    assert seen == [(1, 2, "participants_utf16.csv"), (2, 2, "training_reports_utf16.csv")]


def test_exact_duplicates_reported_in_summary(con, inbox):
    put(inbox, "agency", BAD_PROGRAM_FEEDS / "agency" / "risk_register_exact_duplicate.csv")
    (r,) = land_inbox(con, inbox, load_date=LOAD_DATE).files
    assert r.rows_loaded == 3 and "1 exact duplicate row(s) dropped" in r.message
    assert "exact duplicate" in con.execute("select warnings from audit.file_loads").fetchone()[0]


def test_every_raw_table_of_a_feed_exists_before_its_first_file(con, inbox):
    (inbox / "workforce").mkdir(parents=True, exist_ok=True)
    land_inbox(con, inbox, feeds=["workforce"], load_date=LOAD_DATE)
    tables = {
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw_workforce'"
        ).fetchall()
    }
    assert tables == {"training_reports", "participants"}
    assert con.execute("select count(*) from raw_workforce.participants").fetchone() == (0,)


def test_fast_path_lands_exactly_what_the_engine_lands(tmp_path, monkeypatch):
    """The DuckDB fast path (plain files) and the polars engine (PLEDGE_INGEST_FAST=0) give the
    same raw rows, lineage included (the fast path numbers _source_line after its insert, by
    rowid) and the archived copies, for every table of the generated program feeds; and the fast
    path really took them."""
    import duckdb

    from orchestration.feeds.generator import generate
    from orchestration.ingest import land

    feeds = tmp_path / "feeds"
    generate(feeds, size=0.5, first_quarter="2026-Q1", last_quarter="2026-Q2")
    loaded_at = datetime(2026, 7, 1, 12, 0)
    fast_landed: list[str] = []
    real_land_fast = land._land_fast

    def land_fast(con, path, *args, **kwargs):
        result = real_land_fast(con, path, *args, **kwargs)
        if result is not None:
            fast_landed.append(path.name)
        return result

    monkeypatch.setattr(land, "_land_fast", land_fast)
    tables: dict[str, dict] = {}
    for mode in ("1", "0"):
        monkeypatch.setenv(land.FAST_PATH_ENV, mode)
        con = duckdb.connect(str(tmp_path / f"fast-{mode}.duckdb"))
        archive = tmp_path / f"archive-{mode}"
        result = land_inbox(
            con, feeds, load_date=LOAD_DATE, load_id="L1", loaded_at=loaded_at, archive_dir=archive
        )
        assert {f.status for f in result.files} == {"loaded"}
        for f in result.files:  # archived byte for byte (the fast path copies with sendfile)
            assert (archive / f.sha256).read_bytes() == next(feeds.rglob(f.file)).read_bytes()
        names = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema like 'raw_%' order by 1"
        ).fetchall()
        tables[mode] = {
            t: con.execute(f"select * from {t} order by _source_file, _source_line").fetchall()
            for (t,) in names
        }
        if mode == "1":
            lines = con.execute(
                "select _source_file, list(_source_line order by _source_line) "
                "from raw_supplier.weekly_production group by 1 order by 1"
            ).fetchall()
        con.close()
    program_files = [p.name for p in feeds.rglob("*.csv")]
    assert len(program_files) >= 16 and sorted(fast_landed) == sorted(program_files)
    assert tables["1"] == tables["0"]
    assert sum(len(rows) for rows in tables["1"].values()) > 4000
    for _, numbers in lines:  # every data line once, the header being line 1
        assert numbers == list(range(2, len(numbers) + 2))


def test_fast_path_steps_aside_when_insertion_order_is_not_kept(con, inbox):
    """Lines are numbered by rowid only where DuckDB keeps insertion order; otherwise the engine
    lands the plain file, with the same lines."""
    rows = [
        f"FAC-000{i},Plant {i},NV,2026-03-07,rare_earth,ore,magnets,{i},20,0,true"
        for i in (1, 2, 3)
    ]
    (inbox / "supplier" / "weekly_production_2026-Q1.csv").write_bytes(weekly(rows))
    con.execute("set preserve_insertion_order = false")
    (r,) = land_inbox(con, inbox, load_date=LOAD_DATE).files
    assert (r.status, r.rows_loaded) == ("loaded", 3)
    got = con.execute(
        "select facility_id, _source_line from raw_supplier.weekly_production order by 2"
    ).fetchall()
    assert got == [("FAC-0001", 2), ("FAC-0002", 3), ("FAC-0003", 4)]
