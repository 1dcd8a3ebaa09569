"""The one Dagster code location of Pledge Warehouse.

feeds → ingest assets (raw_<feed>.*) → dbt models and tests (staging → intermediate → marts)
      → the quality gate (asset checks) → the quarterly release. Everything runs in the run's own
      process: DuckDB allows a single writer per file, and one process per step would cost an
      interpreter start each.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.checks.assets import quality_gate
from orchestration.dbt import dbt_project, pledge_dbt_models
from orchestration.ingest.assets import ingest_assets
from orchestration.jobs import quarterly_gate_job, quarterly_release_job
from orchestration.progress import progress_logger
from orchestration.publish.assets import quarterly_release
from orchestration.resources import WarehouseResource
from orchestration.schedules import quarterly_release_schedule
from orchestration.sensors import inbox_sensor


def _dbt_executable() -> str:
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


defs = dg.Definitions(
    assets=[*ingest_assets, pledge_dbt_models, quarterly_release],
    asset_checks=[quality_gate],
    jobs=[quarterly_release_job, quarterly_gate_job],
    schedules=[quarterly_release_schedule],
    sensors=[inbox_sensor],
    resources={
        "warehouse": WarehouseResource(),
        # dbt from this interpreter's environment, so the location loads even when the venv's
        # bin folder is not on PATH (e.g. .venv/bin/dagster-webserver started directly).
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=_dbt_executable()),
    },
    executor=dg.in_process_executor,
    loggers={"console": dg.colored_console_logger, "progress": progress_logger},
)
