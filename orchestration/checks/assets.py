"""The quality gate as Dagster asset checks of our own (GX suites, schema types, SQL rules).

One multi-asset check op evaluates every rule (each table fetched once) and reports one check per
(asset, kind): ``gx_suite`` and ``schema_types`` on every raw table and mart, ``quarantine`` on
every raw table, and the completeness, reconciliation, cross-feed and anomaly rules on the assets
``expectations/gate.yml`` attaches them to. Those on marts are blocking: the release waits. A failed
fatal rule gives an ERROR check, a failed warning a WARN check. When any fatal rule failed (ours or
a dbt test of the quarter) the op fails with a message listing each failure, so the release is not
cut; the gate report is written to ``<warehouse>/gate/<quarter>/`` either way.
"""

import json
from collections import defaultdict
from collections.abc import Iterator

import dagster as dg
import duckdb

from orchestration.checks.config import FATAL, Outcome, load_gate_config
from orchestration.feeds.contracts import load_contracts
from orchestration.resources import WarehouseResource
from orchestration.settings import READER_DUCKDB_MEMORY_LIMIT

RESULTS_METADATA = "gate_results"  # same name as orchestration.publish.gate.RESULTS_METADATA


def _raw_keys() -> list[tuple[str, ...]]:
    return sorted(("raw", t.feed, t.name) for t in load_contracts().tables.values())


def check_layout() -> dict[tuple[tuple[str, ...], str], str]:
    """(asset key path, check name) -> description, from the suites and gate.yml."""
    cfg = load_gate_config()
    layout: dict[tuple[tuple[str, ...], str], str] = {}
    for s in cfg.suites:
        layout[(s.target, "gx_suite")] = f"GX suite {s.name} (expectations/suites/)"
        layout[(s.target, "schema_types")] = "Columns and DuckDB types as the suite declares"
    for key in _raw_keys():
        layout[(key, "quarantine")] = cfg.rule("quarantine").get("description", "quarantine")
    for name in (
        "completeness_weeks",
        "completeness_training_reports",
        "reconciliation_funding",
        "reconciliation_trainees",
        "crossfeed_supplier_facilities",
        "crossfeed_line_facilities",
    ):
        rule = cfg.rule(name)
        if rule.get("target"):
            layout[(tuple(rule["target"]), name)] = " ".join(rule.get("description", "").split())
    files = cfg.rule("completeness_quarter_files")
    for feed, tables in (files.get("tables") or {}).items():
        for t in tables:
            layout[(("raw", feed, t), "completeness_quarter_files")] = "The quarter's file landed"
    for fig in cfg.rule("anomalies").get("figures") or []:
        layout[(("marts", fig["mart"]), "anomalies")] = "Quarter-over-quarter jumps (warning)"
    return layout


def _specs() -> list[dg.AssetCheckSpec]:
    return [
        # Checks on marts are blocking, so the release waits for the op; checks on raw tables
        # cannot be (dbt reads the raw tables and the op reads the marts), but the op fails on
        # any fatal rule, raw or mart, so they stop the release all the same.
        dg.AssetCheckSpec(
            name, asset=dg.AssetKey(list(key)), description=desc, blocking=key[0] != "raw"
        )
        for (key, name), desc in sorted(check_layout().items())
    ]


def _md_table(header: list[str], rows: list[list], limit: int) -> str:
    def cell(v) -> str:
        return ("" if v is None else str(v)).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"\n… {len(rows) - limit} more rows in `audit.quarantine`")
    return "\n".join(lines)


def _route(outcomes: list[Outcome], layout) -> dict[tuple[tuple[str, ...], str], list[Outcome]]:
    grouped: dict[tuple[tuple[str, ...], str], list[Outcome]] = defaultdict(list)
    raw_by_feed: dict[str, tuple[str, ...]] = {}
    for key in _raw_keys():
        raw_by_feed.setdefault(key[1], key)
    for o in outcomes:
        key = (tuple(o.target.split("/")), o.check)
        if key not in layout and o.check == "quarantine":  # a refused file no table claims
            key = (raw_by_feed.get(key[0][1] if len(key[0]) > 1 else "", _raw_keys()[0]), o.check)
        grouped[key].append(o)
    return grouped


@dg.multi_asset_check(
    specs=_specs(),
    name="quality_gate",
    # A partial selection (a feed's ingest assets picked in the UI) selects only that feed's
    # checks; the gate still reads every table once, and only decides on a full selection.
    can_subset=True,
    description="The quality gate of the quarterly release (expectations/gate.yml).",
)
def quality_gate(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.AssetCheckResult]:
    from orchestration.checks.engine import evaluate
    from orchestration.publish.gate import (
        GateBlocked,
        blocked_message,
        dbt_outcomes,
        dbt_source_outcomes,
        decide,
    )
    from orchestration.publish.report import write_gate_report

    quarter = context.partition_key if context.has_partition_key else None
    if quarter is None:
        tags = context.run.tags if context.run else {}
        quarter = tags.get("dagster/partition")
    if not quarter:
        raise dg.Failure("the quality gate runs for a quarter (a partition of the job)")
    cfg = load_gate_config()
    layout = check_layout()
    selected = set(context.selected_asset_check_keys)
    partial = len(selected) < len(layout)
    try:
        with warehouse.connect(READER_DUCKDB_MEMORY_LIMIT) as con:
            result = evaluate(con, quarter, cfg)
    except duckdb.Error as exc:
        if not partial:
            raise
        # Some marts are not built yet in this warehouse: the selected checks cannot be judged.
        for check_key in sorted(selected, key=lambda k: (k.asset_key.to_user_string(), k.name)):
            yield dg.AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=check_key.name,
                passed=False,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"not_evaluated": f"run the whole quarter to evaluate the gate ({exc})"},
            )
        return
    grouped = _route(result.outcomes, layout)
    top = int(cfg.rule("quarantine").get("top_rows", 20))
    for key, name in sorted(layout):
        if dg.AssetCheckKey(dg.AssetKey(list(key)), name) not in selected:
            continue
        found = sorted(grouped.get((key, name), []), key=lambda o: o.name)
        failed = [o for o in found if not o.passed]
        fatal = any(o.severity == FATAL for o in failed)
        metadata: dict = {
            RESULTS_METADATA: dg.MetadataValue.json([o.as_dict() for o in found]),
            "rules": len(found),
            "failed": len(failed),
            "summary": dg.MetadataValue.md(
                _md_table(
                    ["result", "severity", "rule", "observed", "expected"],
                    [
                        ["pass" if o.passed else "FAIL", o.severity, o.name, o.observed, o.expected]
                        for o in sorted(found, key=lambda o: (o.passed, o.name))
                    ],
                    50,
                )
            ),
        }
        if name == "quarantine":
            table = key[-1]
            rows = [list(r) for r in result.quarantine_rows if r[2] == table]
            metadata["quarantine"] = dg.MetadataValue.md(
                _md_table(
                    ["kind", "feed", "table", "file", "line", "column", "reason", "load_id"],
                    rows,
                    top,
                )
                if rows
                else "no refused files or quarantined rows for the quarter"
            )
        if failed:
            metadata["observed"] = failed[0].observed
            metadata["expected"] = failed[0].expected
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(list(key)),
            check_name=name,
            passed=not failed,
            severity=dg.AssetCheckSeverity.ERROR if fatal else dg.AssetCheckSeverity.WARN,
            metadata=metadata,
        )
    gx_time = {k: v for k, v in result.timings.items() if k != "sql_rules"}
    context.log.info(
        f"quality gate {quarter}: {len(result.outcomes)} rules in {result.total_s:.1f}s "
        f"(GX {sum(v['total_s'] for v in gx_time.values()):.1f}s over {len(gx_time)} tables, "
        f"SQL rules {result.timings['sql_rules']['total_s']:.1f}s); timings "
        + json.dumps(result.timings, sort_keys=True)
    )
    if partial:
        return  # the gate decides a release on the whole set of checks only
    decision = decide(
        [
            *result.outcomes,
            *dbt_outcomes(context.instance, quarter, cfg),
            *dbt_source_outcomes(warehouse.paths.root, quarter, cfg),
        ]
    )
    folder = write_gate_report(warehouse.paths.root / "gate", quarter, decision)
    if decision.blocked:
        raise GateBlocked(
            description=blocked_message(quarter, decision),
            metadata={"gate_report": dg.MetadataValue.path(str(folder / "report.json"))},
        )
