"""Incremental staging gives the marts a full build gives.

Warehouse A is built the way a live program grows: 2026-Q2 first (every file but 2026-Q3's), then
the 2026-Q3 files and a corrected 2026-Q2 weekly production file arrive and 2026-Q3 is run: dbt
updates the staging tables by the keys of the newest load only. Warehouse B lands the same files at
once and builds 2026-Q3 from nothing, then is rebuilt with `--full-refresh`. Every mart of A must
equal B's, row for row, and the correction must have reached A's throughput.
"""

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import execute_quarter
from orchestration.feeds.default_data import stage_default_inbox
from orchestration.settings import WarehousePaths

pytestmark = pytest.mark.slow
QUARTER, PREVIOUS = "2026-Q3", "2026-Q2"
CORRECTION = "weekly_production_2026-Q2_r1.csv"  # sorts after the original: wins in one load too


def _run(root: Path, quarter: str, full_refresh: bool = False) -> None:
    result = execute_quarter(
        quarter, WarehousePaths.resolve(root).ensure(), full_refresh=full_refresh
    )
    assert result.success, f"{quarter} run of {root.name} failed"


def _correction(original: Path, target: Path) -> tuple[str, str]:
    """A re-sent 2026-Q2 file in which the first facility-week reports 1000 more units."""
    with open(original, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    first = rows[0]
    first["output_units"] = f"{float(first['output_units']) + 1000:.2f}"
    with open(target, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerow(first)
    return first["facility_id"], first["week_ending"]


def _marts(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            n: sorted(con.execute(f'select * from marts."{n}"').fetchall(), key=repr) for n in names
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> tuple[Path, Path, tuple[str, str]]:
    base = tmp_path_factory.mktemp("incremental")
    full_inbox = base / "files"
    stage_default_inbox(full_inbox)
    weekly = full_inbox / "supplier" / f"weekly_production_{PREVIOUS}.csv"
    key = _correction(weekly, full_inbox / "supplier" / CORRECTION)

    a, b = base / "a", base / "b"
    for p in sorted(full_inbox.rglob("*.csv")):  # A: history up to 2026-Q2
        if QUARTER not in p.name and p.name != CORRECTION:
            dest = a / "inbox" / p.relative_to(full_inbox)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dest)
    _run(a, PREVIOUS)
    for p in sorted(full_inbox.rglob("*.csv")):  # the next quarter and a correction arrive
        dest = a / "inbox" / p.relative_to(full_inbox)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dest)
    _run(a, QUARTER)

    shutil.copytree(full_inbox, b / "inbox")  # B: everything at once, built from nothing
    _run(b, QUARTER)
    return a, b, key


def test_incremental_marts_equal_a_full_build(warehouses):
    a, b, _ = warehouses
    built_a = _marts(WarehousePaths.resolve(a).build_db)
    built_b = _marts(WarehousePaths.resolve(b).build_db)
    assert len(built_a) == 20
    differing = [n for n in built_b if built_a.get(n) != built_b[n]]
    assert differing == []


def test_the_correction_reached_the_incremental_staging(warehouses):
    a, _, (facility, week) = warehouses
    con = duckdb.connect(str(WarehousePaths.resolve(a).build_db), read_only=True)
    try:
        staged = con.execute(
            "select _source_file, output_units from staging.stg_supplier__weekly_production "
            "where facility_id = ? and week_ending = ?",
            [facility, week],
        ).fetchall()
        total = con.execute(
            "select count(*) from staging.stg_supplier__weekly_production"
        ).fetchone()[0]
        raw_keys = con.execute(
            "select count(distinct (facility_id, week_ending)) from raw_supplier.weekly_production"
        ).fetchone()[0]
    finally:
        con.close()
    assert [f for f, _ in staged] == [CORRECTION]
    assert total == raw_keys  # one staged row per key, none lost, none doubled


def test_full_refresh_rebuilds_the_same_marts(warehouses):
    a, b, _ = warehouses
    before = _marts(WarehousePaths.resolve(b).build_db)
    _run(b, QUARTER, full_refresh=True)
    assert _marts(WarehousePaths.resolve(b).build_db) == before
    built_a = _marts(WarehousePaths.resolve(a).build_db)
    assert built_a == before
