"""Evaluate every rule of the gate that is ours (GX suites, schema types, SQL rules) on the build
database, one fetch per table. Used by the Dagster asset checks and by tests."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

import duckdb

from orchestration.checks import gx_suites, rules
from orchestration.checks.config import GateConfig, Outcome, load_gate_config
from orchestration.quarters import Quarter


@dataclass
class Evaluation:
    outcomes: list[Outcome]
    quarantine_rows: list[tuple]
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    total_s: float = 0.0


def mart_relations() -> dict[str, str]:
    """Mart name -> quoted relation, from the dbt manifest (schemas follow the dbt project)."""
    from orchestration.dbt import load_manifest

    out = {}
    for node in load_manifest()["nodes"].values():
        if node.get("resource_type") == "model":
            out[node["name"]] = f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'
    return out


QUARTER_IN_FILE_NAME = r"([0-9]{4}-Q[1-4])"


def raw_batch(relation: str, quarter: str) -> str:
    """The rows of a raw table the quarter's gate validates: those from the quarter's files (named
    ``<table>_<quarter>.csv``) and from files without a quarter in their name (the public
    downloads). Earlier quarters' files were validated by their own quarter's gate, so the gate's
    cost follows the new data, not the history; every row was also checked against its contract
    when it landed."""
    tag = f"regexp_extract(_source_file, '{QUARTER_IN_FILE_NAME}', 1)"
    return f"(select * from {relation} where {tag} in ('', '{Quarter.parse(quarter)}'))"


def evaluate(
    con: duckdb.DuckDBPyConnection, quarter: str, cfg: GateConfig | None = None
) -> Evaluation:
    cfg = cfg or load_gate_config()
    q = Quarter.parse(quarter)
    started = time.perf_counter()
    marts = mart_relations()
    outcomes: list[Outcome] = []
    timings: dict[str, dict[str, float]] = {}
    for suite in cfg.suites:
        relation = suite.relation or marts.get(suite.model or "", f'"marts"."{suite.model}"')
        t0 = time.perf_counter()
        batch = raw_batch(relation, quarter) if suite.kind == "raw" else None
        found, times = gx_suites.run_suite(con, suite, relation, cfg.sample_values, batch)
        outcomes += found
        with contextlib.suppress(duckdb.Error):  # an unreadable table is reported by the suite
            outcomes += gx_suites.type_outcomes(con, suite, relation)
        timings[suite.name] = {**times, "total_s": round(time.perf_counter() - t0, 3)}
    t0 = time.perf_counter()
    outcomes += rules.completeness_weeks(con, q, cfg)
    outcomes += rules.completeness_training_reports(con, q, cfg)
    outcomes += rules.completeness_quarter_files(con, q, cfg)
    outcomes += rules.reconciliation_funding(con, q, cfg, marts)
    outcomes += rules.reconciliation_trainees(con, q, cfg, marts)
    outcomes += rules.crossfeed(con, q, cfg, marts)
    outcomes += rules.anomalies(con, q, cfg, marts)
    found, quarantine_rows = rules.quarantine(con, q, cfg)
    outcomes += found
    timings["sql_rules"] = {"total_s": round(time.perf_counter() - t0, 3)}
    return Evaluation(outcomes, quarantine_rows, timings, round(time.perf_counter() - started, 3))
