"""The validation report every release carries: ``validation/report.json`` and ``report.html``.

Deterministic for the same inputs: checks are sorted, nothing time-dependent is written (run times
go to the release's ``run.json``), so a re-publication gives the same bytes.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from orchestration.publish.gate import Decision

REPORT_JSON = "validation/report.json"
REPORT_HTML = "validation/report.html"


def report_dict(quarter: str, decision: Decision) -> dict:
    checks = [o.as_dict() for o in decision.outcomes]
    return {
        "quarter": quarter,
        "status": "blocked" if decision.blocked else "published",
        "summary": {
            "checks": len(checks),
            "passed": sum(o.passed for o in decision.outcomes),
            "fatal_failed": len(decision.fatal_failures),
            "warnings": len(decision.warnings),
            "by_source": {
                s: sum(o.source == s for o in decision.outcomes)
                for s in sorted({o.source for o in decision.outcomes})
            },
        },
        "checks": checks,
    }


def render_json(report: dict) -> bytes:
    return (json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def render_html(report: dict) -> bytes:
    e = html.escape
    s = report["summary"]
    rows = []
    order = {"fatal": 0, "warning": 1}
    checks = sorted(
        report["checks"], key=lambda c: (c["passed"], order.get(c["severity"], 2), c["target"])
    )
    for c in checks:
        state = "passed" if c["passed"] else ("FAILED" if c["severity"] == "fatal" else "warning")
        cls = "ok" if c["passed"] else ("fatal" if c["severity"] == "fatal" else "warn")
        rows.append(
            f'<tr class="{cls}"><td>{state}</td><td>{e(c["severity"])}</td>'
            f"<td>{e(c['target'])}</td><td>{e(c['name'])}</td><td>{e(c['observed'])}</td>"
            f"<td>{e(c['expected'])}</td><td>{e(c['source'])}</td></tr>"
        )
    sources = ", ".join(f"{k} {v}" for k, v in s["by_source"].items())
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Validation report {e(report["quarter"])}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem}} table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:.25rem .5rem;font-size:.85rem;text-align:left}}
tr.fatal{{background:#fdd}} tr.warn{{background:#ffd}} tr.ok td:first-child{{color:#070}}
</style></head><body>
<h1>Validation report — release {e(report["quarter"])}</h1>
<p>Status: <strong>{e(report["status"])}</strong>. {s["checks"]} checks: {s["passed"]} passed,
{s["fatal_failed"]} fatal failures, {s["warnings"]} warnings (published alongside the data).</p>
<p>Fatal failures stop the publication; warnings are listed here and in
<code>report.json</code>. Sources: {e(sources)}.</p>
<table><thead><tr><th>result</th><th>severity</th><th>target</th><th>check</th><th>observed</th>
<th>expected</th><th>source</th></tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    return page.encode()


def report_files(quarter: str, decision: Decision) -> dict[str, bytes]:
    report = report_dict(quarter, decision)
    return {REPORT_JSON: render_json(report), REPORT_HTML: render_html(report)}


def write_gate_report(folder: Path, quarter: str, decision: Decision) -> Path:
    """The latest gate result of a quarter outside the releases (``<warehouse>/gate/<quarter>/``),
    written whether or not the release is blocked, for the people who fix the inputs."""
    target = folder / quarter
    for rel, payload in report_files(quarter, decision).items():
        path = target / Path(rel).name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
    return target
