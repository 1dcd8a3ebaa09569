"""dbt models, seeds and tests as Dagster assets and asset checks, through dagster-dbt.

The manifest is parsed on demand: under ``dagster dev`` dagster-dbt re-parses at load; elsewhere it
is parsed when missing or older than the dbt sources, so a fresh clone needs no extra step and an
unchanged project is parsed once.
"""

import json
import os
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.dbt_vars import dbt_vars_args
from orchestration.partitions import quarterly_partitions
from orchestration.resources import WarehouseResource
from orchestration.settings import REPO_ROOT, TRANSFORMS_DIR

RELEASE_EXPOSURE = "quarterly_release"
# Run tag (set by `pledge run --full-refresh`, or added when launching from the UI): dbt rebuilds
# the incremental staging tables from every raw row.
FULL_REFRESH_TAG = "pledge/full_refresh"

dbt_project = DbtProject(project_dir=TRANSFORMS_DIR, profiles_dir=TRANSFORMS_DIR)


def _newest_source_mtime(project_dir: Path) -> float:
    watched = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "tests", "snapshots", "analyses"):
        watched += list((project_dir / folder).rglob("*"))
    watched += list((REPO_ROOT / "seeds" / "reference").rglob("*"))
    return max((p.stat().st_mtime for p in watched if p.is_file()), default=0.0)


def ensure_manifest(project: DbtProject = dbt_project) -> Path:
    """Make sure ``target/manifest.json`` exists and reflects the project's files."""
    if project.preparer.using_dagster_dev():
        project.prepare_if_dev()
    elif (
        not project.manifest_path.exists()
        or project.manifest_path.stat().st_mtime < _newest_source_mtime(project.project_dir)
    ):
        project.preparer.prepare(project)
    return project.manifest_path


@cache
def load_manifest() -> dict[str, Any]:
    return json.loads(ensure_manifest().read_text("utf-8"))


def _layer(resource_props: Mapping[str, Any]) -> str:
    """The dbt folder a node lives in (staging, intermediate, marts) or its resource type."""
    fqn = resource_props.get("fqn") or []
    if resource_props.get("resource_type") == "model" and len(fqn) > 2:
        return fqn[1]
    return resource_props.get("resource_type", "dbt")


class PledgeDbtTranslator(DagsterDbtTranslator):
    """Asset keys, groups and kinds follow the dbt project's folders and ``meta``.

    * sources map to the ingest assets' keys ``raw/<feed>/<table>`` (via source ``meta``), so the
      graph is one lineage from feed files to marts;
    * models keep their layer in the key (``staging/stg_...``, ``marts/fct_...``) and are grouped by
      that layer; seeds are grouped as ``reference``.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        meta = (dbt_resource_props.get("config") or {}).get("meta") or dbt_resource_props.get(
            "meta", {}
        )
        custom = (meta.get("dagster") or {}).get("asset_key")
        if custom:
            return dg.AssetKey(custom)
        rtype = dbt_resource_props["resource_type"]
        if rtype == "source":
            return dg.AssetKey(
                ["raw", dbt_resource_props["source_name"], dbt_resource_props["name"]]
            )
        if rtype == "seed":
            return dg.AssetKey(["reference", dbt_resource_props["name"]])
        return dg.AssetKey([_layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        return _layer(dbt_resource_props)


translator = PledgeDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    dagster_dbt_translator=translator,
    partitions_def=quarterly_partitions,
    name="pledge_dbt_models",
)
def pledge_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """Seeds, staging, intermediate and marts for the run's quarter; dbt tests become checks.

    Two invocations: ``dbt build`` without data tests (seeds, unit tests, models; any error fails
    the step), then ``dbt test`` on the data tests with ``raise_on_error=False``: a failing test is
    a failed asset check with its severity (error -> fatal, warn -> warning) and the quality gate
    (orchestration/checks) decides, with a message that names every failure. In a single
    ``dbt build`` a failed error test would skip the models downstream and fail the step with
    dbt's log as the only message.
    """
    # dbt's profile reads the database path from the environment of its process.
    os.environ["PLEDGE_DUCKDB"] = str(warehouse.paths.build_db)
    dbt_vars = dbt_vars_args(context.partition_key)
    # "cautious" runs only the tests whose every parent is selected: materializing one seed from
    # the UI must not run a relationship test against a staging model that was never built.
    cautious = ["--indirect-selection", "cautious"]
    # One target folder per warehouse, kept between invocations and runs: the second invocation
    # and the next run of the same quarter reuse dbt's partial parse (same vars, same profile)
    # instead of parsing the whole project again (~10 s each).
    target = warehouse.paths.dbt_target
    full = ["--full-refresh"] if context.run.tags.get(FULL_REFRESH_TAG) == "true" else []
    yield from dbt.cli(
        ["build", "--exclude-resource-type", "test", *full, *cautious, *dbt_vars],
        context=context,
        target_path=target,
    ).stream()
    tests = dbt.cli(
        ["test", "--exclude-resource-type", "unit_test", *cautious, *dbt_vars],
        context=context,
        raise_on_error=False,
        target_path=target,
    )
    yield from tests.stream()
    _record_source_tests(tests, warehouse, context.partition_key)


SOURCE_TESTS_FILE = "dbt_source_tests.json"


def _record_source_tests(invocation: Any, warehouse: WarehouseResource, quarter: str) -> None:
    """dagster-dbt gives no asset check for a test on a source (the raw tables belong to the
    ingest assets); their results are kept beside the gate report so the gate counts them."""
    manifest = load_manifest()
    results = invocation.get_artifact("run_results.json").get("results", [])
    out = []
    for r in results:
        node = manifest["nodes"].get(r.get("unique_id", "")) or {}
        parents = (node.get("depends_on") or {}).get("nodes") or []
        if node.get("resource_type") != "test" or not parents:
            continue
        if not all(p.startswith("source.") for p in parents):
            continue
        source = manifest["sources"][parents[0]]
        out.append(
            {
                "name": node["name"],
                "target": ["raw", source["source_name"], source["name"]],
                "status": r.get("status"),
                "failures": r.get("failures"),
                "severity": str((node.get("config") or {}).get("severity") or "error").lower(),
            }
        )
    folder = warehouse.paths.root / "gate" / quarter
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SOURCE_TESTS_FILE).write_text(
        json.dumps(sorted(out, key=lambda d: d["name"]), indent=1) + "\n", "utf-8"
    )


def released_marts() -> list[dict[str, Any]]:
    """The models the quarterly release publishes, read from the dbt exposure."""
    manifest = load_manifest()
    exposure = next(
        (e for e in manifest["exposures"].values() if e["name"] == RELEASE_EXPOSURE), None
    )
    if exposure is None:
        raise RuntimeError(f"dbt exposure {RELEASE_EXPOSURE!r} is missing from the project")
    nodes = [manifest["nodes"][uid] for uid in exposure["depends_on"]["nodes"]]
    return sorted(nodes, key=lambda n: n["name"])
