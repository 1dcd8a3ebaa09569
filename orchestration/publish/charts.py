"""Small inline SVG charts for the release page: no JavaScript, no downloads, no fonts to fetch.

Each function returns an ``<svg>`` string; every label and number is taken from its arguments.
"""

from __future__ import annotations

from html import escape

PALETTE = ("#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d")
FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"'


def _fmt(value: float, unit: str = "") -> str:
    if unit == "share":
        return f"{value:.0%}" if abs(value) >= 0.1 else f"{value:.1%}"
    if unit == "usd":
        if abs(value) >= 1e9:
            return f"${value / 1e9:.2f}B"
        if abs(value) >= 1e6:
            return f"${value / 1e6:.1f}M"
        return f"${value:,.0f}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def line_chart(
    title: str,
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    unit: str = "",
    width: int = 560,
    height: int = 240,
    dashed: tuple[str, ...] = (),
) -> str:
    """Lines over categories (quarters); ``None`` leaves a gap. ``dashed`` series (targets)."""
    left, right, top, bottom = 64, 16, 36, 44
    values = [v for _, vs in series for v in vs if v is not None]
    lo, hi = (min(values + [0.0]), max(values + [0.0])) if values else (0.0, 1.0)
    if hi == lo:
        hi = lo + 1
    pw, ph = width - left - right, height - top - bottom
    n = max(len(categories), 1)

    def x(i: int) -> float:
        return left + (pw * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + ph - (v - lo) / (hi - lo) * ph

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" {FONT}>',
        f'<text x="{left}" y="20" font-size="14" font-weight="600">{escape(title)}</text>',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" '
        'stroke="#999" stroke-width="1"/>',
    ]
    for tick in (lo, (lo + hi) / 2, hi):
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#555">{escape(_fmt(tick, unit))}</text>'
        )
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            'stroke="#eee"/>'
        )
    step = max(1, n // 8)
    for i, cat in enumerate(categories):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" font-size="10" '
                f'text-anchor="middle" fill="#555">{escape(cat)}</text>'
            )
    for k, (name, vs) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        dash = ' stroke-dasharray="5,4"' if name in dashed else ""
        segment: list[str] = []
        segments = []
        for i, v in enumerate(vs):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
            if name not in dashed:
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{color}"/>')
        if segment:
            segments.append(segment)
        for seg in segments:
            parts.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} '
                f'points="{" ".join(seg)}"/>'
            )
        lx = left + k * 150
        parts.append(
            f'<line x1="{lx}" y1="{height - 10}" x2="{lx + 18}" y2="{height - 10}" '
            f'stroke="{color}" stroke-width="2"{dash}/>'
            f'<text x="{lx + 22}" y="{height - 6}" font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    title: str,
    bars: list[tuple[str, float | None]],
    unit: str = "",
    width: int = 560,
    note_for_missing: str = "suppressed",
) -> str:
    """Horizontal bars; a ``None`` value is drawn as a hatched placeholder with a note."""
    left, right, top, row = 170, 90, 36, 26
    height = top + row * max(len(bars), 1) + 12
    vmax = max([abs(v) for _, v in bars if v is not None] + [0.0]) or 1.0
    pw = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" {FONT}>',
        f'<text x="8" y="20" font-size="14" font-weight="600">{escape(title)}</text>',
    ]
    for i, (label, v) in enumerate(bars):
        yy = top + i * row
        parts.append(
            f'<text x="{left - 8}" y="{yy + 15}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        if v is None:
            parts.append(
                f'<rect x="{left}" y="{yy + 3}" width="{pw * 0.15:.1f}" height="16" fill="#fff" '
                'stroke="#aaa" stroke-dasharray="3,2"/>'
                f'<text x="{left + pw * 0.15 + 6:.1f}" y="{yy + 15}" font-size="11" '
                f'fill="#888">{escape(note_for_missing)}</text>'
            )
            continue
        w = pw * abs(v) / vmax
        parts.append(
            f'<rect x="{left}" y="{yy + 3}" width="{w:.1f}" height="16" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{left + w + 6:.1f}" y="{yy + 15}" font-size="11">'
            f"{escape(_fmt(v, unit))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


STATUS_COLORS = {
    "complete": "#2e8b57",
    "on_track": "#1f5fa8",
    "at_risk": "#d9822b",
    "late": "#c0392b",
    "slipped": "#c0392b",
}


def timeline(
    title: str, quarters: list[str], items: list[tuple[str, str, str]], width: int = 1120
) -> str:
    """Milestones on a quarter axis: (label, target quarter, status)."""
    left, right, top, row = 260, 20, 44, 22
    height = top + row * max(len(items), 1) + 20
    n = max(len(quarters), 1)
    pw = width - left - right
    pos = {q: left + pw * (i + 0.5) / n for i, q in enumerate(quarters)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" {FONT}>',
        f'<text x="8" y="20" font-size="14" font-weight="600">{escape(title)}</text>',
    ]
    for i, q in enumerate(quarters):
        if i % max(1, n // 10) == 0 or i == n - 1:
            parts.append(
                f'<text x="{pos[q]:.1f}" y="{top - 6}" font-size="10" text-anchor="middle" '
                f'fill="#555">{escape(q)}</text>'
                f'<line x1="{pos[q]:.1f}" y1="{top}" x2="{pos[q]:.1f}" y2="{height - 16}" '
                'stroke="#eee"/>'
            )
    for i, (label, quarter, status) in enumerate(items):
        yy = top + i * row + 12
        parts.append(
            f'<text x="{left - 8}" y="{yy + 4}" font-size="11" text-anchor="end">'
            f"{escape(label[:40])}</text>"
        )
        if quarter in pos:
            color = STATUS_COLORS.get(status, "#7f8c8d")
            parts.append(
                f'<circle cx="{pos[quarter]:.1f}" cy="{yy}" r="6" fill="{color}">'
                f"<title>{escape(label)}: {escape(status)} ({escape(quarter)})</title></circle>"
                f'<text x="{pos[quarter] + 10:.1f}" y="{yy + 4}" font-size="10" '
                f'fill="{color}">{escape(status)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
