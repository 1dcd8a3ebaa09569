"""The publication asset: cuts ``releases/<quarter>/`` from the marts the dbt exposure names.

It runs only after the dbt build of its quarter succeeded: a failed dbt test with severity error
fails the dbt step, and Dagster then skips this asset, so no release is written and the previous
one is untouched.
"""

import subprocess
from datetime import UTC, datetime

import dagster as dg

from orchestration.dbt import RELEASE_EXPOSURE, released_marts, translator
from orchestration.partitions import quarterly_partitions
from orchestration.publish.database import publish_database
from orchestration.publish.release import MartColumn, PublishedMart, write_release
from orchestration.resources import WarehouseResource
from orchestration.settings import REPO_ROOT

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
    with warehouse.connect() as con:
        sources = [
            {"table": t, "file": f, "sha256": h, "rows_loaded": int(n)}
            for t, f, h, n in con.sql(
                "select \"table\", file, sha256, rows_loaded from audit.file_loads "
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
            run_info={"run_id": context.run.run_id, "started_at": started.isoformat()},
        )
    copied = publish_database(paths.build_db, paths.published_db)
    context.log.info(
        f"release {result.release_id} {result.status} at {result.path}; "
        f"analysts' database {paths.published_db} ({len(copied)} tables)"
    )
    return dg.MaterializeResult(
        metadata={
            "release": result.release_id,
            "status": result.status,
            "path": dg.MetadataValue.path(str(result.path)),
            "revises": result.revises or "",
            "rows": dg.MetadataValue.json(result.row_counts),
            "published_database": dg.MetadataValue.path(str(paths.published_db)),
        }
    )
