"""One real warehouse per test session (default data, real DuckDB + dbt + Dagster); fault tests
copy it, inject one fault into the copy and re-run only the gate and the publication."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.feeds.default_data import stage_default_inbox
from orchestration.settings import WarehousePaths

QUARTER = "2026-Q3"  # the latest complete quarter of the embedded default data


def instance_for(root: Path) -> dg.DagsterInstance:
    home = root / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.local_temp(tempdir=str(home))


def run_job(root: Path, job_name: str = "quarterly_gate_job", quarter: str = QUARTER):
    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    return job.execute_in_process(
        partition_key=quarter,
        instance=instance_for(root),
        run_config={"resources": {"warehouse": {"config": {"root": str(root)}}}},
        raise_on_error=False,
    )


def failure_messages(result) -> list[str]:
    return [
        e.step_failure_data.error.message
        for e in result.all_events
        if e.event_type_value == "STEP_FAILURE"
        and e.step_failure_data
        and e.step_failure_data.error
    ]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def gate_report(root: Path, quarter: str = QUARTER) -> dict:
    return json.loads((root / "gate" / quarter / "report.json").read_text("utf-8"))


def failed(report: dict) -> dict[str, dict]:
    return {c["name"]: c for c in report["checks"] if not c["passed"]}


@pytest.fixture(scope="session")
def base_warehouse(tmp_path_factory) -> Path:
    """The default data run end to end for QUARTER (1-3 minutes)."""
    root = tmp_path_factory.mktemp("gate") / "warehouse"
    paths = WarehousePaths.resolve(root).ensure()
    stage_default_inbox(paths.inbox)
    result = run_job(root, "quarterly_release_job")
    (root / "base_run.json").write_text(
        json.dumps({"success": result.success, "failures": failure_messages(result)}), "utf-8"
    )
    return root


@pytest.fixture
def warehouse_copy(base_warehouse: Path, tmp_path: Path):
    """A private copy of the session warehouse and a helper to run SQL in its build database."""
    dest = tmp_path / "warehouse"
    shutil.copytree(base_warehouse, dest, symlinks=True)

    def sql(statement: str) -> None:
        con = duckdb.connect(str(WarehousePaths.resolve(dest).build_db))
        try:
            con.execute(statement)
        finally:
            con.close()

    return dest, sql
