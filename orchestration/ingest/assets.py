"""Ingest assets: one multi-asset per feed, one asset per raw table of the feed.

Each run lands every file in ``<inbox>/<feed>/`` that has not landed before (files are known by
their sha256, so re-ingesting changes nothing and only new files cost time). Refused files and
quarantined rows are reported as metadata on the asset they were meant for.
"""

from datetime import UTC, date, datetime

import dagster as dg

from orchestration.feeds.contracts import load_contracts
from orchestration.partitions import quarterly_partitions
from orchestration.resources import WarehouseResource
from orchestration.settings import FEED_FOLDERS


def raw_asset_key(feed: str, table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", feed, table])


def _feed_specs(feed: str) -> list[dg.AssetSpec]:
    contracts = load_contracts()
    return [
        dg.AssetSpec(
            key=raw_asset_key(feed, t.name),
            description=t.description,
            group_name=f"ingest_{feed}",
            kinds={"duckdb", "polars"},
            metadata={"contract_columns": len(t.columns), "key": ", ".join(t.key)},
            skippable=True,
        )
        for t in contracts.for_feed(feed)
    ]


def build_ingest_assets(feed: str) -> dg.AssetsDefinition:
    @dg.multi_asset(
        name=f"ingest_{feed}",
        specs=_feed_specs(feed),
        partitions_def=quarterly_partitions,
        description=f"Land new files from inbox/{feed}/ in raw_{feed}.*: "
        + load_contracts().feeds.get(feed, ""),
    )
    def _ingest(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        from orchestration.ingest.land import land_inbox

        paths = warehouse.paths
        with warehouse.connect() as con:
            result = land_inbox(
                con,
                paths.inbox,
                feeds=[feed],
                load_date=date.today(),
                archive_dir=paths.archive,
                loaded_at=datetime.now(UTC).replace(tzinfo=None),
            )
        by_table: dict[str, list] = {}
        for f in result.files:
            by_table.setdefault(f.table or "", []).append(f)
        for spec in context.selected_asset_keys:
            table = spec.path[-1]
            files = by_table.get(table, [])
            loaded = [f for f in files if f.status == "loaded"]
            refused = [f for f in files if f.status == "refused"]
            yield dg.MaterializeResult(
                asset_key=spec,
                metadata={
                    "files_loaded": len(loaded),
                    "files_skipped_already_loaded": sum(f.status == "skipped" for f in files),
                    "files_refused": len(refused),
                    "rows_loaded": sum(f.rows_loaded for f in loaded),
                    "rows_quarantined": sum(f.rows_quarantined for f in loaded),
                    "refusals": dg.MetadataValue.md(
                        "\n".join(f"- `{f.file}`: {f.reason}" for f in refused) or "none"
                    ),
                },
            )
        # Refused files that matched no table are reported on the run, not lost.
        for f in by_table.get("", []):
            context.log.warning(f"inbox/{feed}/{f.file} refused: {f.reason}")

    return _ingest


ingest_assets = [build_ingest_assets(feed) for feed in FEED_FOLDERS]
