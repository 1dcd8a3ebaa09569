"""Every shared bad input (tests/fixtures/bad_inputs/) and every bad program-feed file
(tests/fixtures/bad_program_feeds/) lands in a copy of the session warehouse; at the gate level
their refused files and quarantined rows appear in ``audit.quarantine`` and in the gate report."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import QUARTER, gate_report, run_job

from orchestration.ingest.land import land_inbox
from orchestration.settings import WarehousePaths

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parents[1] / "fixtures"
BAD_INPUTS = FIXTURES / "bad_inputs"
BAD_PROGRAM_FEEDS = FIXTURES / "bad_program_feeds"
LOAD_DATE = date(2026, 6, 30)  # the load date the fixtures' expected outcomes assume
# bad_inputs/README.md: refused files and the source lines each value fault quarantines.
SHARED_REFUSED = {
    "empty.csv",
    "qcew_truncated.csv",
    "qcew_missing_column.csv",
    "qcew_semicolon.csv",
    "qcew_zip_renamed.csv",
}
SHARED_QUARANTINED = {
    "qcew_negative_employment.csv": 1,
    "qcew_conflicting_duplicate.csv": 2,
    "qcew_bad_year.csv": 1,
    "contract_transactions_usaspending_bad_amount.csv": 2,
    "contract_transactions_usaspending_conflicting_duplicate_key.csv": 2,
    "contract_transactions_usaspending_impossible_and_future_dates.csv": 2,
    "contract_transactions_usaspending_missing_key.csv": 1,
    "mcs2025-cobal_bad_year_salient.csv": 1,
}


def _stage_bad_files(inbox: Path) -> list[dict]:
    for f in sorted(BAD_INPUTS.glob("*.csv")):
        if f.name.startswith("usaspending"):
            shutil.copyfile(f, inbox / "agency" / f"contract_transactions_{f.name}")
        else:
            shutil.copyfile(f, inbox / "public" / f.name)
    cases = json.loads((BAD_PROGRAM_FEEDS / "cases.json").read_text("utf-8"))
    for case in cases:
        shutil.copyfile(
            BAD_PROGRAM_FEEDS / case["feed"] / case["file"], inbox / case["feed"] / case["file"]
        )
    return cases


@pytest.fixture(scope="module")
def bad_warehouse(base_warehouse, tmp_path_factory):
    root = tmp_path_factory.mktemp("bad") / "warehouse"
    shutil.copytree(base_warehouse, root, symlinks=True)
    paths = WarehousePaths.resolve(root)
    cases = _stage_bad_files(paths.inbox)
    con = duckdb.connect(str(paths.build_db))
    try:
        land_inbox(con, paths.inbox, load_date=LOAD_DATE, archive_dir=paths.archive)
    finally:
        con.close()
    releases_before = sorted(p.name for p in paths.releases.iterdir())
    result = run_job(root)
    con = duckdb.connect(str(paths.build_db), read_only=True)
    try:
        rows = con.execute(
            'select kind, feed, "table", file, line, "column", reason, load_id '
            "from audit.quarantine"
        ).fetchall()
    finally:
        con.close()
    return {
        "root": root,
        "cases": cases,
        "result": result,
        "rows": rows,
        "releases_before": releases_before,
    }


def test_every_shared_bad_input_reaches_the_quarantine_table(bad_warehouse):
    rows = bad_warehouse["rows"]
    refused = {r[3] for r in rows if r[0] == "refused_file"}
    assert refused >= SHARED_REFUSED
    for file, n in SHARED_QUARANTINED.items():
        got = [r for r in rows if r[0] == "quarantined_row" and r[3] == file]
        # distinct source lines: a long layout (USGS salient) quarantines every cell of the line
        assert len({r[4] for r in got}) == n, (file, got)
        assert all(r[6] and r[7] for r in got)  # a reason and a load id on every row


def test_every_bad_program_feed_ends_as_its_readme_says(bad_warehouse):
    rows = bad_warehouse["rows"]
    for case in bad_warehouse["cases"]:
        mine = [r for r in rows if r[3] == case["file"]]
        if case["status"] == "refused":
            assert [r[0] for r in mine] == ["refused_file"], case
            assert case["reason"].split()[0] in mine[0][6], (case, mine)
        else:
            quarantined = [r for r in mine if r[0] == "quarantined_row"]
            expected = case.get("rows_quarantined", 0)
            assert len(quarantined) == expected, (case, mine)
            if expected and case.get("column") and case["column"] != "key":
                assert {r[5] for r in quarantined} == {case["column"]}, (case, quarantined)


def test_gate_reports_quarantine_per_table(bad_warehouse):
    report = gate_report(bad_warehouse["root"], QUARTER)
    quarantine = {c["target"]: c for c in report["checks"] if c["check"] == "quarantine"}
    touched = {f"raw/{r[1]}/{r[2]}" for r in bad_warehouse["rows"] if r[2]}
    for target in touched:
        assert not quarantine[target]["passed"], target
        assert quarantine[target]["severity"] in ("warning", "fatal")
    # every refused file is named in the observed text of its table's check or the UI table
    observed = " ".join(c["observed"] for c in quarantine.values())
    assert "files refused" in observed


def test_gate_outcome_with_bad_inputs(bad_warehouse):
    """The bad files' valid rows name facilities and recipients the program does not know, so
    the gate blocks the release: no new release, the earlier one intact."""
    result = bad_warehouse["result"]
    root = bad_warehouse["root"]
    report = gate_report(root, QUARTER)
    if report["status"] == "blocked":
        assert not result.success
        assert (
            sorted(p.name for p in (root / "releases").iterdir())
            == bad_warehouse["releases_before"]
        )
    else:
        assert result.success
        assert report["summary"]["warnings"] > 0
