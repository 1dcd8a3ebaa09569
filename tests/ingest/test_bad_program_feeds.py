"""The bad program-feed files (tests/fixtures/bad_program_feeds/, see its README) each meet the
outcome in cases.json."""

from __future__ import annotations

import json

import pytest
from ingest_helpers import BAD_PROGRAM_FEEDS, LOAD_DATE, put, snapshot

from orchestration.ingest.land import land_inbox

CASES = json.loads((BAD_PROGRAM_FEEDS / "cases.json").read_text())
PII_VALUE = "1990-02-30"


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_program_file(con, inbox, case):
    put(inbox, case["feed"], BAD_PROGRAM_FEEDS / case["feed"] / case["file"])
    (r,) = land_inbox(con, inbox, load_date=LOAD_DATE).files
    assert r.status == case["status"], r.message
    if r.status == "refused":
        assert case["reason"] in r.reason
        if "line" in case:
            assert con.execute("select line from audit.refused_files").fetchone() == (case["line"],)
        if "column" in case:
            assert case["column"] in r.reason
        assert all(not rows for t, rows in snapshot(con).items() if t.startswith("raw_"))
        return
    assert r.rows_loaded == case["rows_loaded"]
    assert r.rows_quarantined == case.get("rows_quarantined", 0)
    table = f"raw_{case['feed']}.{r.table}"
    assert con.execute(f"select count(*) from {table}").fetchone() == (case["rows_loaded"],)
    if case.get("warning"):
        assert any(case["warning"] in w for w in r.warnings)
    q = con.execute(
        'select line, "column", reason, value from audit.quarantined_rows order by line'
    ).fetchall()
    if "lines" in case:
        assert [row[0] for row in q] == case["lines"]
        assert all(case["reason"] in row[2] for row in q)
    elif case.get("rows_quarantined"):
        ((line, column, reason, value),) = q
        assert (line, column) == (case["line"], case["column"])
        assert case["reason"] in reason
        assert value == case.get("value")
    if case["fault"] == "pii_fault":
        everything = repr(snapshot(con)) + r.message + repr(r)
        assert PII_VALUE not in everything


def test_every_program_table_has_the_core_faults():
    core = {
        "empty",
        "header_only",
        "truncated",
        "missing_column",
        "semicolon",
        "utf16",
        "conflicting_duplicate_key",
        "missing_key",
    }
    tables = {c["file"].rsplit("_" + c["fault"], 1)[0] for c in CASES}
    assert len(tables) == 9
    for t in tables:
        assert core <= {c["fault"] for c in CASES if c["file"].startswith(t + "_")}, t
