"""The gate's decision: every check on the release's inputs, ours and dbt's, for one quarter.

A fatal failure blocks the release; warnings are published with it. The outcomes are read back
from the Dagster instance (the latest evaluation of every check for the quarter), so the decision
is the same whether the checks ran in this run or in an earlier run of the same quarter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.checks.config import FATAL, WARNING, GateConfig, Outcome, load_gate_config

RESULTS_METADATA = "gate_results"


class GateBlocked(dg.Failure):
    """The quarter's release is blocked by fatal check failures."""


@dataclass(frozen=True)
class Decision:
    outcomes: tuple[Outcome, ...]

    @property
    def fatal_failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed and o.severity == FATAL]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed and o.severity == WARNING]

    @property
    def blocked(self) -> bool:
        return bool(self.fatal_failures)


def decide(outcomes: Iterable[Outcome]) -> Decision:
    ordered = sorted(outcomes, key=lambda o: (o.target, o.check, o.name))
    return Decision(tuple(ordered))


def _marts(o: Outcome) -> str:
    gates = [g for g in o.gates if g]
    return ", ".join(gates) if gates else o.target


def blocked_message(quarter: str, decision: Decision) -> str:
    fails = decision.fatal_failures
    lines = [
        f"release {quarter} blocked by {len(fails)} fatal check failure(s); "
        "no release was written and the previous releases are untouched:"
    ]
    for o in fails:
        lines.append(
            f"  - {o.name} [{o.check} on {o.target}; mart: {_marts(o)}]: "
            f"observed {o.observed}; expected {o.expected}"
        )
    if decision.warnings:
        lines.append(f"({len(decision.warnings)} warnings as well; see the validation report)")
    return "\n".join(lines)


# ---- dbt tests as outcomes ----------------------------------------------------------------------


@cache
def _dbt_test_severity() -> dict[str, str]:
    from orchestration.dbt import load_manifest

    out = {}
    for node in load_manifest()["nodes"].values():
        if node.get("resource_type") == "test":
            out[node["name"]] = str((node.get("config") or {}).get("severity") or "error").lower()
    return out


def dbt_severity(test_name: str, cfg: GateConfig) -> str:
    if test_name in cfg.dbt_overrides:
        return cfg.dbt_overrides[test_name]
    return cfg.dbt_severity.get(_dbt_test_severity().get(test_name, "error"), FATAL)


def dbt_check_keys() -> list[dg.AssetCheckKey]:
    from orchestration.dbt import pledge_dbt_models

    return sorted(pledge_dbt_models.check_keys, key=lambda k: (k.asset_key.path, k.name))


def _meta_value(v: Any) -> Any:
    return getattr(v, "value", v)


def _evaluation_for(
    instance: dg.DagsterInstance,
    key: dg.AssetCheckKey,
    quarter: str,
    run_partitions: dict[str, str | None],
):
    """The latest evaluation of a check for the quarter (partition), or None."""
    storage = instance.event_log_storage
    records = storage.get_asset_check_execution_history(key, limit=25)
    for rec in records:
        if rec.event is None or rec.event.dagster_event is None:
            continue
        partition = rec.partition
        if partition is None:
            if rec.run_id not in run_partitions:
                run = instance.get_run_by_id(rec.run_id)
                run_partitions[rec.run_id] = run.tags.get("dagster/partition") if run else None
            partition = run_partitions[rec.run_id]
        if partition == quarter:
            data = rec.event.dagster_event.event_specific_data
            if isinstance(data, dg.AssetCheckEvaluation):
                return data
    return None


def dbt_outcomes(
    instance: dg.DagsterInstance, quarter: str, cfg: GateConfig | None = None
) -> list[Outcome]:
    cfg = cfg or load_gate_config()
    out = []
    runs: dict[str, str | None] = {}
    for key in dbt_check_keys():
        ev = _evaluation_for(instance, key, quarter, runs)
        target = "/".join(key.asset_key.path)
        sev = dbt_severity(key.name, cfg)
        if ev is None:
            out.append(
                Outcome(
                    "dbt_test",
                    target,
                    key.name,
                    sev,
                    False,
                    f"not evaluated for {quarter}",
                    "dbt test passes",
                    (key.asset_key.path[-1],),
                    "dbt",
                )
            )
            continue
        md = {k: _meta_value(v) for k, v in (ev.metadata or {}).items()}
        failed = md.get("dagster_dbt/failed_row_count")
        status = md.get("status") or md.get("dagster_dbt/status") or ""
        if failed is not None:
            observed = f"{failed} failing rows"
        else:
            observed = "passed" if ev.passed else (str(status) or "failed")
        out.append(
            Outcome(
                check="dbt_test",
                target=target,
                name=key.name,
                severity=sev,
                passed=bool(ev.passed),
                observed=observed,
                expected="0 failing rows",
                gates=(key.asset_key.path[-1],),
                source="dbt",
            )
        )
    return out


def dbt_source_outcomes(root: Path, quarter: str, cfg: GateConfig | None = None) -> list[Outcome]:
    """dbt tests on sources (no Dagster check of their own), from the quarter's last dbt run."""
    from orchestration.dbt import SOURCE_TESTS_FILE

    cfg = cfg or load_gate_config()
    path = root / "gate" / quarter / SOURCE_TESTS_FILE
    if not path.exists():
        return []
    out = []
    for t in json.loads(path.read_text("utf-8")):
        sev = cfg.dbt_overrides.get(t["name"]) or cfg.dbt_severity.get(t["severity"], FATAL)
        passed = t["status"] in ("pass", "success")
        failures = t.get("failures")
        out.append(
            Outcome(
                check="dbt_test",
                target="/".join(t["target"]),
                name=t["name"],
                severity=sev,
                passed=passed,
                observed=f"{failures or 0} failing rows" if t["status"] != "error" else "error",
                expected="0 failing rows",
                gates=("all",),
                source="dbt",
            )
        )
    return out


def own_outcomes(instance: dg.DagsterInstance, quarter: str) -> list[Outcome]:
    """Our checks' outcomes, read back from the metadata of their latest evaluation."""
    from orchestration.checks.assets import quality_gate

    out = []
    runs: dict[str, str | None] = {}
    for key in sorted(quality_gate.check_keys, key=lambda k: (k.asset_key.path, k.name)):
        ev = _evaluation_for(instance, key, quarter, runs)
        target = "/".join(key.asset_key.path)
        if ev is None:
            out.append(
                Outcome(
                    key.name,
                    target,
                    f"{target}: {key.name}",
                    FATAL,
                    False,
                    f"not evaluated for {quarter}",
                    "check evaluated",
                    (),
                    "dagster",
                )
            )
            continue
        payload = _meta_value((ev.metadata or {}).get(RESULTS_METADATA)) or []
        if isinstance(payload, str):
            payload = json.loads(payload)
        out += [Outcome.from_dict(d) for d in payload]
    return out
