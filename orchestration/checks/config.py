"""The gate's configuration: ``expectations/gate.yml`` and the suites in ``expectations/suites/``.

Both are data reviewed like code; nothing here decides a severity or a threshold on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from orchestration.settings import EXPECTATIONS_DIR

FATAL, WARNING = "fatal", "warning"
SEVERITIES = (FATAL, WARNING)


@dataclass(frozen=True)
class Outcome:
    """One evaluated rule: what the report lists and the gate decides on."""

    check: str  # the Dagster asset check that carries it (gx_suite, completeness_weeks, ...)
    target: str  # the asset it is attached to, e.g. marts/fct_awards
    name: str  # the individual rule, e.g. expect_column_values_to_not_be_null(quarter)
    severity: str  # fatal | warning
    passed: bool
    observed: str
    expected: str
    gates: tuple[str, ...] = ()
    source: str = "sql"  # gx | sql | dbt | dagster

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "target": self.target,
            "name": self.name,
            "severity": self.severity,
            "passed": self.passed,
            "observed": self.observed,
            "expected": self.expected,
            "gates": list(self.gates),
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Outcome:
        return cls(**{**d, "gates": tuple(d.get("gates") or ())})


@dataclass(frozen=True)
class Suite:
    name: str
    kind: str  # raw | mart
    target: tuple[str, ...]
    columns: dict[str, str]
    expectations: tuple[dict[str, Any], ...]
    relation: str | None = None  # raw tables; marts resolve theirs from the dbt manifest
    model: str | None = None
    gates: tuple[str, ...] = ()
    pii_columns: frozenset[str] = field(default_factory=frozenset)

    @property
    def target_str(self) -> str:
        return "/".join(self.target)


@dataclass(frozen=True)
class GateConfig:
    raw: dict[str, Any]
    suites: tuple[Suite, ...]

    @property
    def rules(self) -> dict[str, Any]:
        return self.raw.get("rules") or {}

    def rule(self, name: str) -> dict[str, Any]:
        return self.rules.get(name) or {}

    @property
    def dbt_severity(self) -> dict[str, str]:
        return (self.raw.get("dbt_tests") or {}).get("severity") or {
            "error": FATAL,
            "warn": WARNING,
        }

    @property
    def dbt_overrides(self) -> dict[str, str]:
        return (self.raw.get("dbt_tests") or {}).get("overrides") or {}

    @property
    def sample_values(self) -> int:
        return int((self.raw.get("suites") or {}).get("sample_values", 5))


def _check_severity(value: str, where: str) -> str:
    if value not in SEVERITIES:
        raise ValueError(f"{where}: severity {value!r} is not one of {SEVERITIES}")
    return value


def _load_suite(path: Path, default_severity: str) -> Suite:
    from orchestration.feeds.contracts import load_contracts

    doc = yaml.safe_load(path.read_text("utf-8"))
    exps = []
    for i, e in enumerate(doc.get("expectations") or []):
        sev = _check_severity(e.get("severity", default_severity), f"{path.name} #{i + 1}")
        exps.append({"type": e["type"], "kwargs": dict(e.get("kwargs") or {}), "severity": sev})
    pii: frozenset[str] = frozenset()
    if doc.get("kind") == "raw":
        table = load_contracts().tables.get(doc["target"][-1])
        if table is not None:
            pii = frozenset(table.pii_columns)
    return Suite(
        name=doc["name"],
        kind=doc["kind"],
        target=tuple(doc["target"]),
        columns={k: str(v) for k, v in (doc.get("columns") or {}).items()},
        expectations=tuple(exps),
        relation=doc.get("relation"),
        model=doc.get("model"),
        gates=tuple(doc.get("gates") or ([doc["model"]] if doc.get("model") else ["all"])),
        pii_columns=pii,
    )


@cache
def load_gate_config(folder: Path = EXPECTATIONS_DIR) -> GateConfig:
    raw = yaml.safe_load((folder / "gate.yml").read_text("utf-8")) or {}
    suites_cfg = raw.get("suites") or {}
    default = _check_severity(suites_cfg.get("default_severity", FATAL), "gate.yml suites")
    suite_dir = folder / suites_cfg.get("folder", "suites")
    suites = tuple(_load_suite(p, default) for p in sorted(suite_dir.rglob("*.yml")))
    for name, rule in (raw.get("rules") or {}).items():
        _check_severity(rule.get("severity", FATAL), f"gate.yml rules.{name}")
    return GateConfig(raw=raw, suites=suites)
