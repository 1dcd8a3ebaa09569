"""The publication asset: cuts ``releases/<quarter>/`` from the marts the dbt exposure names.

It runs only when the quality gate passed: the gate's asset checks (orchestration/checks) are
blocking, and this asset re-reads every check of the quarter (ours and the dbt tests) and refuses to
publish on any fatal failure, with a message listing each one. No release is written then and the
previous ones are untouched. Each release carries its validation report (validation/report.json and
report.html, listed with their checksums in manifest.json).
"""

import subprocess
from datetime import UTC, datetime

import dagster as dg

from orchestration.dbt import RELEASE_EXPOSURE, released_marts, translator
from orchestration.partitions import quarterly_partitions
from orchestration.publish.database import publish_database
from orchestration.publish.gate import (
    GateBlocked,
    blocked_message,
    dbt_outcomes,
    dbt_source_outcomes,
    decide,
    own_outcomes,
)
from orchestration.publish.release import (
    MartColumn,
    PublishedMart,
    latest_released_quarter,
    write_release,
)
from orchestration.publish.report import report_files
from orchestration.resources import WarehouseResource
from orchestration.settings import READER_DUCKDB_MEMORY_LIMIT, REPO_ROOT

RELEASE_KEY = dg.AssetKey(["release", "quarterly_release"])


def code_version() -> str:
    """The git commit of the code that cut the release (``+dirty`` when the tree has changes)."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        from importlib.metadata import version

        return f"pledge-warehouse {version('pledge-warehouse')}"


def published_marts() -> list[PublishedMart]:
    out = []
    for node in released_marts():
        cols = tuple(
            MartColumn(c["name"], c.get("data_type") or "", c.get("description") or "")
            for c in node["columns"].values()
        )
        out.append(
            PublishedMart(
                name=node["name"],
                relation=f'"{node["schema"]}"."{node["alias"]}"',
                description=node.get("description", ""),
                columns=cols,
            )
        )
    return out


def _mart_keys() -> list[dg.AssetKey]:
    return [translator.get_asset_key(n) for n in released_marts()]


@dg.asset(
    key=RELEASE_KEY,
    deps=_mart_keys(),
    partitions_def=quarterly_partitions,
    group_name="publication",
    kinds={"csv", "parquet"},
    description=f"The quarterly release: every mart of the dbt exposure {RELEASE_EXPOSURE!r} as "
    "CSV and Parquet, the data dictionary and a manifest with checksums and sources; then the "
    "analysts' read-only database is swapped in.",
)
def quarterly_release(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    quarter = context.partition_key
    paths = warehouse.paths
    started = datetime.now(UTC)
    marts = published_marts()
    decision = decide(
        [
            *own_outcomes(context.instance, quarter),
            *dbt_outcomes(context.instance, quarter),
            *dbt_source_outcomes(paths.root, quarter),
        ]
    )
    if decision.blocked:
        raise GateBlocked(description=blocked_message(quarter, decision))
    with warehouse.connect(READER_DUCKDB_MEMORY_LIMIT) as con:
        sources = [
            {"table": t, "file": f, "sha256": h, "rows_loaded": int(n)}
            for t, f, h, n in con.sql(
                'select "table", file, sha256, rows_loaded from audit.file_loads '
                "where status = 'loaded'"
            ).fetchall()
        ]
        result = write_release(
            con,
            quarter=quarter,
            marts=marts,
            releases_dir=paths.releases,
            sources=sources,
            code_version=code_version(),
            run_info={
                "run_id": context.run.run_id,
                "started_at": started.isoformat(),
                "gate": {
                    "checks": len(decision.outcomes),
                    "warnings": [o.name for o in decision.warnings],
                },
            },
            extra_files=report_files(quarter, decision),
        )
    # The analysts' database follows the newest quarter: re-publishing an older quarter (a
    # revision, a catch-up) must not roll analysts back to that quarter's as-of state.
    newest = latest_released_quarter(paths.releases)
    if newest is None or quarter >= newest:
        copied = publish_database(paths.build_db, paths.published_db)
        db_note = f"analysts' database {paths.published_db} ({len(copied)} tables)"
    else:
        db_note = f"analysts' database left at {newest} (newer than {quarter})"
    context.log.info(f"release {result.release_id} {result.status} at {result.path}; {db_note}")
    return dg.MaterializeResult(
        metadata={
            "release": result.release_id,
            "status": result.status,
            "path": dg.MetadataValue.path(str(result.path)),
            "revises": result.revises or "",
            "rows": dg.MetadataValue.json(result.row_counts),
            "published_database": dg.MetadataValue.path(str(paths.published_db)),
            "checks": len(decision.outcomes),
            "warnings": dg.MetadataValue.md(
                "\n".join(
                    f"- {o.name}: {o.observed} (expected {o.expected})" for o in decision.warnings
                )
                or "none"
            ),
        }
    )
