"""The quality gate end to end: a clean quarter publishes with its validation report; each seeded
fault fails its check; a fatal fault leaves no new release and the previous one intact; a warning
publishes with the warning listed."""

from __future__ import annotations

import json

import duckdb
import pytest
from conftest import (
    QUARTER,
    failed,
    failure_messages,
    gate_report,
    run_job,
    tree_digest,
)

pytestmark = pytest.mark.slow

# Warnings the default data trips on purpose (none today: the default quarter is clean apart from
# the dbt test below). A dbt test the dbt owners are fixing (fct_awards quarter -> dim_quarters:
# two public contract awards from 2017 and 2023 precede the calendar) is a known fatal failure
# until their fix lands.
KNOWN_DBT_FAILURE = "relationships_fct_awards_quarter__quarter__ref_dim_quarters_"
EXPECTED_WARNINGS: set[str] = set()


def _release(root, quarter=QUARTER):
    return root / "releases" / quarter


def _base_failures(base_warehouse) -> dict[str, dict]:
    return failed(gate_report(base_warehouse))


def _skip_if_known_dbt_failure(base_warehouse) -> None:
    fails = _base_failures(base_warehouse)
    fatal = {n for n, c in fails.items() if c["severity"] == "fatal"}
    if fatal == {KNOWN_DBT_FAILURE}:
        pytest.xfail(f"known dbt failure {KNOWN_DBT_FAILURE} blocks the default quarter")


def test_clean_quarter_publishes_with_report(base_warehouse):
    report = gate_report(base_warehouse)
    fails = failed(report)
    _skip_if_known_dbt_failure(base_warehouse)
    assert {n for n, c in fails.items() if c["severity"] == "fatal"} == set()
    assert {n for n, c in fails.items() if c["severity"] == "warning"} == EXPECTED_WARNINGS
    release = _release(base_warehouse)
    published = json.loads((release / "validation" / "report.json").read_text("utf-8"))
    assert published["status"] == "published"
    assert published == report
    manifest = json.loads((release / "manifest.json").read_text("utf-8"))
    assert "validation/report.json" in manifest["files"]
    assert "validation/report.html" in manifest["files"]
    sources = {c["source"] for c in published["checks"]}
    assert {"gx", "sql", "dbt"} <= sources
    kinds = {c["check"] for c in published["checks"]}
    assert {
        "gx_suite",
        "schema_types",
        "completeness_weeks",
        "completeness_training_reports",
        "completeness_quarter_files",
        "reconciliation_funding",
        "reconciliation_trainees",
        "crossfeed_supplier_facilities",
        "crossfeed_line_facilities",
        "anomalies",
        "quarantine",
        "dbt_test",
    } <= kinds
    for c in published["checks"]:
        assert set(c) >= {"name", "target", "severity", "passed", "observed", "expected"}
    html = (release / "validation" / "report.html").read_text("utf-8")
    assert "Validation report" in html and QUARTER in html


def test_gate_rerun_is_byte_identical(base_warehouse, warehouse_copy):
    _skip_if_known_dbt_failure(base_warehouse)
    root, _ = warehouse_copy
    before = tree_digest(_release(root))
    result = run_job(root)
    assert result.success, failure_messages(result)
    assert not (root / "releases" / f"{QUARTER}-r1").exists()  # unchanged: same bytes
    assert tree_digest(_release(root)) == before


def _assert_blocked(root, base_warehouse, check: str, needle: str) -> str:
    before = tree_digest(root / "releases")
    result = run_job(root)
    assert not result.success
    message = "\n".join(failure_messages(result))
    assert "blocked" in message and needle in message, message
    fails = failed(gate_report(root))
    hits = [c for c in fails.values() if c["check"] == check and c["severity"] == "fatal"]
    assert hits, f"{check} did not fail: {sorted(fails)}"
    for c in hits:
        assert c["observed"] in message and c["expected"] in message
    assert tree_digest(root / "releases") == before  # no new release, previous one intact
    return message


def test_missing_week_blocks(base_warehouse, warehouse_copy):
    root, sql = warehouse_copy
    sql(
        "delete from raw_supplier.weekly_production where week_ending = date '2026-09-19' "
        "and facility_id = (select min(facility_id) from raw_supplier.weekly_production)"
    )
    msg = _assert_blocked(root, base_warehouse, "completeness_weeks", "2026-09-19")
    assert "fct_operations_throughput" in msg


def test_reconciliation_off_by_one_cent_blocks(base_warehouse, warehouse_copy):
    root, sql = warehouse_copy
    sql(
        "update marts.fct_funding_by_mechanism set obligated_usd = obligated_usd + 0.01 "
        "where rowid = (select min(rowid) from marts.fct_funding_by_mechanism "
        "where mechanism = 'grant')"
    )
    msg = _assert_blocked(root, base_warehouse, "reconciliation_funding", "difference 0.01")
    assert "grant" in msg


def test_facility_unknown_to_crosswalk_blocks(base_warehouse, warehouse_copy):
    root, sql = warehouse_copy
    # The cross-feed rule reads the staged rows the release is built from (staging is a table
    # the dbt step maintains; this job re-runs only the gate), so the fault goes there.
    sql(
        "insert into staging.stg_supplier__input_sourcing select * replace ('FAC-9999' as "
        "facility_id) from staging.stg_supplier__input_sourcing "
        f"where quarter = '{QUARTER}' limit 1"
    )
    _assert_blocked(root, base_warehouse, "crossfeed_supplier_facilities", "FAC-9999")


def test_share_above_one_blocks(base_warehouse, warehouse_copy):
    root, sql = warehouse_copy
    sql(
        "update marts.fct_chains_diversification set domestic_input_share = 1.2 "
        f"where quarter = '{QUARTER}' and sector = 'all'"
    )
    msg = _assert_blocked(root, base_warehouse, "gx_suite", "domestic_input_share between 0 and 1")
    assert "1.2" in msg


def test_duplicate_key_blocks(base_warehouse, warehouse_copy):
    root, sql = warehouse_copy
    sql(
        "insert into marts.fct_operations_throughput select * from marts.fct_operations_throughput "
        f"where quarter = '{QUARTER}' and sector = 'all'"
    )
    _assert_blocked(root, base_warehouse, "gx_suite", "(sector, quarter) unique")


def test_anomaly_warning_publishes_with_warning(base_warehouse, warehouse_copy):
    _skip_if_known_dbt_failure(base_warehouse)
    root, sql = warehouse_copy
    previous = tree_digest(root / "releases" / QUARTER)
    sql(
        "update marts.fct_operations_throughput set total_output_units = total_output_units * 3 "
        f"where quarter = '{QUARTER}' and sector = 'all'"
    )
    result = run_job(root)
    assert result.success, failure_messages(result)
    revision = root / "releases" / f"{QUARTER}-r1"
    report = json.loads((revision / "validation" / "report.json").read_text("utf-8"))
    warnings = {n: c for n, c in failed(report).items()}
    assert all(c["severity"] == "warning" for c in warnings.values())
    (name,) = [n for n in warnings if n.startswith("anomaly: national_output_units")]
    assert (
        "2026-Q2 = " in warnings[name]["observed"] and f"{QUARTER} = " in warnings[name]["observed"]
    )
    assert report["summary"]["warnings"] == len(EXPECTED_WARNINGS) + 1
    assert tree_digest(root / "releases" / QUARTER) == previous  # the earlier release untouched


def test_quarantine_is_queryable_in_published_db(base_warehouse):
    con = duckdb.connect(str(base_warehouse / "build" / "pledge.duckdb"), read_only=True)
    try:
        cols = [r[0] for r in con.execute("describe audit.quarantine").fetchall()]
    finally:
        con.close()
    assert {"file", "line", "column", "reason", "load_id"} <= set(cols)
