"""The release page (``index.html``) and the workbook's ``about`` sheet.

One static HTML file with inline SVG charts (charts.py): the four indicators against their
targets, funding by mechanism, the milestone timeline and a regional breakdown, with the key
figures, the validation status (from ``validation/report.json`` when the release carries it),
suppression notes and revision notes. It opens offline: no scripts, no external resources. Every
number on it comes from the published (disclosure-controlled) frames or the release's own
documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import polars as pl

from orchestration.publish import charts

INDICATORS = (
    ("throughput_gain_per_quarter", "Operations throughput: quarter-over-quarter gain", "share"),
    ("domestic_input_share", "Chains diversification: domestic input share", "share"),
    ("deployment_within_months", "Deployment readiness: months to operation", "months"),
    ("trainees", "Workforce impact: trainees completed (cumulative)", "people"),
)


@dataclass
class ReleaseFacts:
    release_id: str
    quarter: str
    revises: str | None
    code_version: str
    disclosure: dict
    validation: dict | None
    revision: dict | None


def validation_summary(report: dict | None) -> str:
    """``passed``, ``passed, 3 warnings``, ``failed: 2 fatal`` or ``not available``."""
    if not report:
        return "not available"
    checks = report.get("checks")
    if not isinstance(checks, list):
        status = report.get("status") or report.get("result")
        return str(status) if status else "not available"
    failed = [c for c in checks if isinstance(c, dict) and c.get("passed") is False]
    fatal = [c for c in failed if c.get("severity") == "fatal"]
    warnings = [c for c in failed if c.get("severity") != "fatal"]
    if fatal:
        return f"failed: {len(fatal)} fatal"
    if warnings:
        return f"passed, {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
    return f"passed ({len(checks)} checks)"


def _rows(frame: pl.DataFrame | None, **where: Any) -> list[dict]:
    if frame is None:
        return []
    out = frame
    for k, v in where.items():
        if k in out.columns:
            out = out.filter(pl.col(k) == v)
    return out.to_dicts()


def _f(v: Any) -> float | None:
    try:
        return None if v is None else float(v)
    except (TypeError, ValueError):
        return None


def _fmt(v: Any, unit: str) -> str:
    f = _f(v)
    if f is None:
        return "—"
    if unit == "share":
        return f"{f:.1%}"
    if unit == "usd":
        return f"${f:,.0f}"
    if unit == "months":
        return f"{f:.1f}"
    return f"{f:,.0f}"


def indicator_charts(frames: dict[str, pl.DataFrame], quarter: str) -> list[tuple[str, str]]:
    """(chart svg, key-figure sentence) per indicator, from the scorecard."""
    score = frames.get("fct_program_scorecard")
    out = []
    for target_id, title, unit in INDICATORS:
        rows = sorted(_rows(score, target_id=target_id), key=lambda r: r["quarter"])
        if not rows:
            continue
        cats = [r["quarter"] for r in rows]
        actual = [_f(r.get("actual_value")) for r in rows]
        expected = [_f(r.get("expected_value")) or _f(r.get("target_value")) for r in rows]
        svg = charts.line_chart(
            title, cats, [("actual", actual), ("target", expected)], unit, dashed=("target",)
        )
        last = rows[-1]
        sentence = (
            f"{last['quarter']}: actual {_fmt(last.get('actual_value'), unit)} against "
            f"{_fmt(last.get('expected_value') or last.get('target_value'), unit)} — "
            f"{escape(str(last.get('status') or 'no status'))}"
        )
        out.append((svg, sentence))
    return out


def funding_chart(frames: dict[str, pl.DataFrame], quarter: str) -> tuple[str, str]:
    rows = _rows(frames.get("fct_funding_by_mechanism"), quarter=quarter)
    by_mech: dict[str, float] = {}
    pledge = None
    for r in rows:
        v = _f(r.get("cumulative_obligated_usd"))
        if v is not None:
            by_mech[r["mechanism"]] = by_mech.get(r["mechanism"], 0.0) + v
        pledge = _f(r.get("pledge_usd")) or pledge
    bars = sorted(by_mech.items(), key=lambda kv: -kv[1])
    total = sum(by_mech.values())
    svg = charts.bar_chart(f"Funding obligated by mechanism, cumulative to {quarter}", bars, "usd")
    share = f" — {total / pledge:.1%} of the ${pledge:,.0f} pledge" if pledge else ""
    return svg, f"Obligated to date: ${total:,.2f}{share}"


def milestone_chart(frames: dict[str, pl.DataFrame], quarter: str) -> str:
    rows = _rows(frames.get("fct_milestones"), quarter=quarter)
    rows = sorted(rows, key=lambda r: (str(r.get("target_quarter")), str(r.get("milestone_id"))))
    quarters = sorted(
        {str(r["target_quarter"]) for r in rows if r.get("target_quarter")} | {quarter}
    )
    items = [
        (
            f"{r.get('milestone_id')} {r.get('milestone_name') or ''}".strip(),
            str(r.get("target_quarter")),
            str(r.get("status")),
        )
        for r in rows
    ]
    return charts.timeline(f"Milestones (status as of {quarter})", quarters, items)


def regional_chart(frames: dict[str, pl.DataFrame], quarter: str) -> tuple[str, str]:
    rows = sorted(
        _rows(frames.get("fct_workforce_by_region"), quarter=quarter),
        key=lambda r: str(r.get("census_region")),
    )
    bars = [(str(r["census_region"]), _f(r.get("completed"))) for r in rows]
    suppressed = sum(1 for _, v in bars if v is None)
    svg = charts.bar_chart(f"Trainees completed by Census region, {quarter}", bars)
    note = f"{suppressed} region(s) suppressed for disclosure control" if suppressed else ""
    return svg, note


def _suppression_notes(doc: dict) -> list[str]:
    th = doc.get("thresholds", {})
    notes = [
        f"{doc.get('suppressed_cells', 0)} cell(s) are suppressed in this release. A cell computed "
        f"from fewer than {th.get('min_contributors')} facilities or recipients, or where one "
        f"contributor is more than {th.get('max_top_contributor_share', 0):.0%} of the value, is "
        "left empty, and further cells are left empty so it cannot be recovered by subtraction."
    ]
    for mart, o in sorted(doc.get("marts", {}).items()):
        if o.get("exempt"):
            notes.append(f"{mart}: not suppressed ({o['exempt']}).")
        elif o.get("suppressed_cells"):
            flags = ", ".join(f"{k} {v}" for k, v in o.get("rows_by_flag", {}).items())
            notes.append(
                f"{mart}: {o['suppressed_cells']} cell(s) in {sum(o['rows_by_flag'].values())} "
                f"of {o['rows']} rows ({flags})."
            )
    return notes


def _revision_notes(facts: ReleaseFacts) -> list[str]:
    if not facts.revises or not facts.revision:
        return ["This is the first release of the quarter."]
    rev = facts.revision
    notes = [
        f"Revises {facts.revises}: {rev['changed_figures']} figure(s) changed "
        "(revision/diff.json, revision/summary.md)."
    ]
    for mart, m in rev["marts"].items():
        if m["changed_figures"] or m["rows_added"] or m["rows_removed"]:
            notes.append(
                f"{mart}: {m['changed_figures']} changed, {len(m['rows_added'])} row(s) added, "
                f"{len(m['rows_removed'])} removed."
            )
    return notes


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1180px;
color:#222;background:#fafafa}
h1{font-size:24px;margin-bottom:4px} h2{font-size:18px;margin-top:28px}
.meta{color:#555;font-size:13px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px}
.card p{margin:6px 0 0;font-size:13px}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:13px;background:#e8f1fb}
ul{font-size:13px}
"""


def render_page(facts: ReleaseFacts, frames: dict[str, pl.DataFrame]) -> str:
    q = facts.quarter
    cards = [
        f'<div class="card">{svg}<p>{text}</p></div>' for svg, text in indicator_charts(frames, q)
    ]
    fsvg, ftext = funding_chart(frames, q)
    rsvg, rtext = regional_chart(frames, q)
    cards.append(f'<div class="card">{fsvg}<p>{escape(ftext)}</p></div>')
    cards.append(f'<div class="card">{rsvg}<p>{escape(rtext)}</p></div>')
    supp = "".join(f"<li>{escape(n)}</li>" for n in _suppression_notes(facts.disclosure))
    rev = "".join(f"<li>{escape(n)}</li>" for n in _revision_notes(facts))
    status = validation_summary(facts.validation)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Pledge Warehouse — release {escape(facts.release_id)}</title>
<style>{CSS}</style></head>
<body>
<h1>Critical-minerals supply-chain pledge — {escape(q)}</h1>
<div class="meta">Release <b>{escape(facts.release_id)}</b> ·
<span class="badge">validation: {escape(status)}</span> ·
code {escape(facts.code_version[:12])} · data: csv/, parquet/, xlsx/, data_dictionary.md</div>
<h2>Indicators against their targets</h2>
<div class="grid">{"".join(cards)}</div>
<h2>Milestones</h2>
<div class="card">{milestone_chart(frames, q)}</div>
<h2>Suppression notes</h2><ul>{supp}</ul>
<h2>Revision notes</h2><ul>{rev}</ul>
</body></html>
"""


def about_rows(facts: ReleaseFacts, marts: list, keys: dict[str, tuple[str, ...]]) -> list:
    rows = [
        ("release", facts.release_id),
        ("quarter", facts.quarter),
        ("revises", facts.revises or "—"),
        ("code version", facts.code_version),
        ("validation", validation_summary(facts.validation)),
        (
            "what this is",
            "The quarterly release of the Pledge Warehouse: one sheet per mart, as "
            "in csv/ and parquet/. Column meanings: data_dictionary.md; checksums and sources: "
            "manifest.json.",
        ),
        (
            "text cells",
            "Text is stored as text, never as a formula; text that begins with =, +, "
            "-, @, a tab or CR carries a leading apostrophe, as in the CSV.",
        ),
    ]
    rows += [("suppression", n) for n in _suppression_notes(facts.disclosure)]
    rows += [("revision", n) for n in _revision_notes(facts)]
    for m in marts:
        key = ", ".join(keys.get(m.name, ())) or "—"
        rows.append((m.name[:31], f"{' '.join((m.description or '').split())} Key: {key}."))
    return rows
