"""Every file of tests/fixtures/bad_inputs/ (a byte-for-byte copy of the shared set) meets the
outcome its README states, landed through land_inbox into a real DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import BAD_INPUTS, LOAD_DATE, put, snapshot

from orchestration.ingest.land import FileLoadResult, land_inbox

# USAspending test files get a name the contract_transactions patterns route.
AGENCY_PREFIX = "contract_transactions_"


def land_one(con, inbox: Path, name: str) -> FileLoadResult:
    feed = "agency" if name.startswith("usaspending") else "public"
    target = AGENCY_PREFIX + name if feed == "agency" else name
    put(inbox, feed, BAD_INPUTS / name, target)
    result = land_inbox(con, inbox, load_date=LOAD_DATE, archive_dir=inbox.parent / "archive")
    (file_result,) = result.files
    return file_result


def quarantine(con, file: str) -> list[tuple]:
    return con.execute(
        'select line, "column", reason, value from audit.quarantined_rows where file like ? '
        "order by line",
        [f"%{file}"],
    ).fetchall()


REFUSED = {
    "empty.csv": ("empty file", None, None),
    "qcew_truncated.csv": ("truncated last record", 7, None),
    "qcew_missing_column.csv": ("month3_emplvl", None, "month3_emplvl"),
    "qcew_semicolon.csv": ("semicolon ';'", 1, None),
    "qcew_zip_renamed.csv": ("not a text CSV (ZIP archive)", None, None),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused(con, inbox, name):
    r = land_one(con, inbox, name)
    text, line, column = REFUSED[name]
    assert r.status == "refused"
    assert text in r.reason and name in r.reason
    (row,) = con.execute('select file, reason, line, "column" from audit.refused_files').fetchall()
    assert row[0] == name and text in row[1]
    if line is not None:
        assert row[2] == line
    if column is not None:
        assert row[3] == column
    raw = [t for t in snapshot(con) if t.startswith("raw_")]
    assert all(not snapshot(con)[t] for t in raw)  # nothing landed


def test_header_only_accepted_with_warning(con, inbox):
    r = land_one(con, inbox, "qcew_header_only.csv")
    assert (r.status, r.rows_in_file, r.rows_loaded) == ("loaded", 0, 0)
    assert any("header only" in w for w in r.warnings)
    assert con.execute("select count(*) from raw_public.qcew").fetchone() == (0,)
    assert con.execute("select status, warnings from audit.file_loads").fetchone()[0] == "loaded"


def test_utf16_read_correctly(con, inbox):
    r = land_one(con, inbox, "qcew_utf16.csv")
    assert (r.status, r.rows_loaded, r.rows_quarantined) == ("loaded", 6, 0)
    assert any("utf-16-le" in w for w in r.warnings)
    rows = con.execute(
        "select area_fips, month1_emplvl, _source_line from raw_public.qcew order by _source_line"
    ).fetchall()
    assert rows[0] == ("39049", 762786, 2) and rows[-1][2] == 7


def test_cp1252_title(con, inbox):
    r = land_one(con, inbox, "qcew_bulk_cp1252.csv")
    assert (r.status, r.rows_loaded) == ("loaded", 1)
    assert con.execute("select area_title, qtrly_estabs from raw_public.qcew").fetchone() == (
        "Doña Ana County, New Mexico",
        4,
    )


def test_negative_employment(con, inbox):
    r = land_one(con, inbox, "qcew_negative_employment.csv")
    assert (r.rows_loaded, r.rows_quarantined) == (5, 1)
    assert quarantine(con, r.file) == [(4, "month1_emplvl", "below the minimum 0", "-45")]


def test_conflicting_duplicate(con, inbox):
    r = land_one(con, inbox, "qcew_conflicting_duplicate.csv")
    assert (r.rows_in_file, r.rows_loaded, r.rows_quarantined) == (7, 5, 2)
    q = quarantine(con, r.file)
    assert [row[0] for row in q] == [3, 8]
    assert all("conflict" in row[2] for row in q)


def test_qcew_bad_year(con, inbox):
    r = land_one(con, inbox, "qcew_bad_year.csv")
    assert (r.rows_loaded, r.rows_quarantined) == (5, 1)
    assert quarantine(con, r.file) == [(5, "year", "not an integer", "2O20")]


def test_formula_injection_loads_as_text(con, inbox):
    r = land_one(con, inbox, "usaspending_formula_injection.csv")
    assert (r.rows_loaded, r.rows_quarantined) == (4, 0)
    names = {
        n
        for (n,) in con.execute(
            "select recipient_name from raw_agency.contract_transactions"
        ).fetchall()
    }
    assert {'=HYPERLINK("http://example.invalid/x","Open")', "+SUM(1,2)", "@cmd"} <= names


def test_bad_amount(con, inbox):
    r = land_one(con, inbox, "usaspending_bad_amount.csv")
    assert (r.rows_loaded, r.rows_quarantined) == (2, 2)
    assert quarantine(con, r.file) == [
        (3, "federal_action_obligation", "not a decimal number", "N/A"),
        (4, "federal_action_obligation", "not a decimal number", "12O00.00"),
    ]


def test_conflicting_duplicate_key(con, inbox):
    r = land_one(con, inbox, "usaspending_conflicting_duplicate_key.csv")
    assert (r.rows_in_file, r.rows_loaded, r.rows_quarantined) == (5, 3, 2)
    q = quarantine(con, r.file)
    assert [(row[0], row[1]) for row in q] == [
        (2, "contract_transaction_unique_key"),
        (6, "contract_transaction_unique_key"),
    ]
    assert all("conflict" in row[2] for row in q)


def test_impossible_and_future_dates(con, inbox):
    r = land_one(con, inbox, "usaspending_impossible_and_future_dates.csv")
    assert (r.rows_loaded, r.rows_quarantined) == (2, 2)
    assert quarantine(con, r.file) == [
        (2, "action_date", "impossible date", "2031-02-30"),
        (3, "action_date", "after the load date 2026-06-30", "2031-01-15"),
    ]


def test_missing_key(con, inbox):
    r = land_one(con, inbox, "usaspending_missing_key.csv")
    assert (r.rows_loaded, r.rows_quarantined) == (3, 1)
    ((line, column, reason, value),) = quarantine(con, r.file)
    assert (line, column, value) == (5, "contract_transaction_unique_key", None)
    assert reason.startswith("empty key")


def test_salient_bad_year(con, inbox):
    r = land_one(con, inbox, "mcs2025-cobal_bad_year_salient.csv")
    assert r.status == "loaded" and r.rows_quarantined == 1
    q = quarantine(con, r.file)
    assert {(line, col, value) for line, col, _, value in q} == {(4, "year", "twenty22")}
    years = con.execute("select distinct year from raw_public.usgs_salient").fetchall()
    years = {y for (y,) in years}
    assert years == {2020, 2021, 2023, 2024}


def test_every_bad_input_has_a_test():
    covered = set(REFUSED) | {
        "qcew_header_only.csv",
        "qcew_utf16.csv",
        "qcew_bulk_cp1252.csv",
        "qcew_negative_employment.csv",
        "qcew_conflicting_duplicate.csv",
        "qcew_bad_year.csv",
        "usaspending_formula_injection.csv",
        "usaspending_bad_amount.csv",
        "usaspending_conflicting_duplicate_key.csv",
        "usaspending_impossible_and_future_dates.csv",
        "usaspending_missing_key.csv",
        "mcs2025-cobal_bad_year_salient.csv",
    }
    assert {p.name for p in BAD_INPUTS.glob("*.csv")} == covered
