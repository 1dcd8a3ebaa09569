"""The main job: ingest every feed, build the dbt marts, publish the quarter's release."""

from __future__ import annotations

import dagster as dg

from orchestration.partitions import quarterly_partitions

quarterly_release_job = dg.define_asset_job(
    name="quarterly_release_job",
    selection=dg.AssetSelection.all(),
    partitions_def=quarterly_partitions,
    description="Ingest the inbox, build the indicator marts for the quarter, gate and publish.",
)
