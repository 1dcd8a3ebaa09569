"""The main job: ingest every feed, build the dbt marts, publish the quarter's release.

Both jobs are partitioned by quarter: Dagster infers it from the selected assets."""

from __future__ import annotations

import dagster as dg

from orchestration.checks.assets import quality_gate

quarterly_release_job = dg.define_asset_job(
    name="quarterly_release_job",
    selection=dg.AssetSelection.all(),
    description="Ingest the inbox, build the indicator marts for the quarter, gate and publish.",
)


# Re-run the gate and the publication alone (after an input was fixed in place, or in tests):
# the quality-gate checks and the release, without ingest and dbt. dbt tests count with their
# latest evaluation for the quarter.
quarterly_gate_job = dg.define_asset_job(
    name="quarterly_gate_job",
    selection=dg.AssetSelection.assets(dg.AssetKey(["release", "quarterly_release"]))
    | dg.AssetSelection.checks(quality_gate),
    description="Re-evaluate the quality gate for a quarter and publish when it passes.",
)
