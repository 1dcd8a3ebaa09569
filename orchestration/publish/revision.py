"""What a revision changes: a figure-by-figure diff against the release it revises.

A figure is identified by mart + key columns (dbt's uniqueness test of the mart, see keys.py) +
column. ``revision/diff.json`` lists every changed figure with its old and new value and the
absolute and relative change, plus rows added and removed; ``revision/summary.md`` says the same in
a few lines for people.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

META_COLUMNS = ("suppression_flag", "suppressed_columns")


def _json_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    return v


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float, Decimal)):
        return float(v)
    return None


@dataclass
class MartDiff:
    key: list[str]
    changes: list[dict] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)


_OLD = "\x00old"  # suffix of the old version's columns in the joined frame (no mart column has it)
_NEW_POS, _OLD_POS = "\x00new_pos", "\x00old_pos"


def _align_key_types(
    old: pl.DataFrame, new: pl.DataFrame, key: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A key column widened between versions (INTEGER -> BIGINT, a decimal scale changed) still
    matches rows: integers compare as Int64, other numbers as Float64. Other retypes stay as
    they are (and the key is not used)."""
    casts: dict[str, pl.DataType] = {}
    for k in key:
        if k not in old.columns or k not in new.columns or old.schema[k] == new.schema[k]:
            continue
        a, b = old.schema[k], new.schema[k]
        if a.is_integer() and b.is_integer():
            casts[k] = pl.Int64
        elif a.is_numeric() and b.is_numeric():
            casts[k] = pl.Float64
    if not casts:
        return old, new
    exprs = [pl.col(k).cast(t) for k, t in casts.items()]
    return old.with_columns(exprs), new.with_columns(exprs)


def _usable_key(old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> bool:
    """A key matches rows when both versions have its columns with the same types and neither
    version repeats a key value (dbt's uniqueness test of the mart makes sure of that)."""
    if not key or any(k not in old.columns or k not in new.columns for k in key):
        return False
    if any(old.schema[k] != new.schema[k] for k in key):
        return False
    return not (old.select(key).is_duplicated().any() or new.select(key).is_duplicated().any())


def _changed(pair: pl.DataFrame, new_name: str, old_name: str) -> pl.Series:
    """Rows whose new value differs from the old; null = null and NaN = NaN count as unchanged,
    values of types that cannot be compared always differ (unless both null)."""
    new, old = pl.col(new_name), pl.col(old_name)
    try:
        return pair.select(new.ne_missing(old).fill_null(True)).to_series()
    except (pl.exceptions.PolarsError, TypeError):
        return pair.select(~(new.is_null() & old.is_null())).to_series()


def diff_frames(old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> MartDiff:
    """Cell-level differences of two versions of a mart, rows matched on ``key``.

    Computed by a polars join on the key (a mart of millions of rows costs a join, not a Python
    object per cell); only changed cells become Python values. Without a usable key (missing,
    retyped to another kind, or repeated) rows are matched by position; a widened numeric key
    still matches. Changes are listed in the new version's row
    order, then column order; added rows in the new order, removed rows in the old order."""
    key = list(dict.fromkeys(key))  # a column named twice in the uniqueness test counts once
    old, new = _align_key_types(old, new, key)
    if not _usable_key(old, new, key):
        key = ["__row"]
        old = old.with_row_index("__row")
        new = new.with_row_index("__row")
    out = MartDiff([k for k in key if k != "__row"] or ["__row"])
    out.columns_added = [c for c in new.columns if c not in old.columns]
    out.columns_removed = [c for c in old.columns if c not in new.columns]
    common = [c for c in new.columns if c in old.columns and c not in key]
    left = new.select(*key, *common).with_row_index(_NEW_POS)
    right = old.select(*key, *common).rename({c: c + _OLD for c in common}).with_row_index(_OLD_POS)
    joined = left.join(right, on=key, how="full", nulls_equal=True, coalesce=True)

    def idents(rows: pl.DataFrame) -> list[dict]:
        return [{c: _json_value(v) for c, v in r.items()} for r in rows.select(key).to_dicts()]

    out.added = idents(joined.filter(pl.col(_OLD_POS).is_null()).sort(_NEW_POS))
    out.removed = idents(joined.filter(pl.col(_NEW_POS).is_null()).sort(_OLD_POS))
    matched = joined.filter(pl.col(_NEW_POS).is_not_null() & pl.col(_OLD_POS).is_not_null())
    found: list[tuple[int, int, dict]] = []
    for index, col in enumerate(common):
        pair = matched.select(
            _NEW_POS, *key, pl.col(col + _OLD).alias("\x00a"), pl.col(col).alias("\x00b")
        )  # only this column's pair: a wide mart is not filtered whole once per column
        rows = pair.filter(_changed(pair, "\x00b", "\x00a"))
        for r in rows.to_dicts():
            a, b = r.pop("\x00a"), r.pop("\x00b")
            position = r.pop(_NEW_POS)
            na, nb = _number(a), _number(b)
            absolute = nb - na if na is not None and nb is not None else None
            relative = absolute / abs(na) if absolute is not None and na else None
            change = {
                "key": {c: _json_value(r[c]) for c in key},
                "column": col,
                "old": _json_value(a),
                "new": _json_value(b),
                "abs_change": absolute,
                "rel_change": relative,
            }
            found.append((position, index, change))
    out.changes = [c for _, _, c in sorted(found, key=lambda t: (t[0], t[1]))]
    return out


def revision_diff(
    previous_release: Path,
    frames: Mapping[str, pl.DataFrame],
    keys: dict[str, tuple[str, ...]],
    release_id: str,
    revises: str,
) -> dict:
    """The diff document of a revision: every mart's changes against ``previous_release``.

    ``frames`` is read one mart at a time (a ``PublishedFrames`` reads large marts back from disk).
    """
    marts: dict[str, dict] = {}
    changes: list[dict] = []
    for name in sorted(frames):
        frame = frames[name]
        path = previous_release / "parquet" / f"{name}.parquet"
        old = pl.read_parquet(path) if path.exists() else frame.clear()
        d = diff_frames(old, frame, list(keys.get(name, ())))
        if not path.exists():
            d.added = [{"__all_rows__": frame.height}]
        marts[name] = {
            "key": d.key,
            "changed_figures": len(d.changes),
            "rows_added": d.added,
            "rows_removed": d.removed,
            "columns_added": d.columns_added,
            "columns_removed": d.columns_removed,
        }
        changes += [{"mart": name, **c} for c in d.changes]
    return {
        "release": release_id,
        "revises": revises,
        "changed_figures": len(changes),
        "marts": marts,
        "changes": changes,
    }


def _md_cell(text: str) -> str:
    """Feed values are text from outside: keep them from breaking the table or rendering as HTML
    or a formula in a Markdown viewer."""
    escaped = (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    )
    return " ".join(escaped.split())


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1 else f"{v:,.2f}"
    return _md_cell(str(v))


def render_summary(diff: dict, limit: int = 25) -> str:
    lines = [
        f"# Revision {diff['release']}",
        "",
        f"This release revises **{diff['revises']}**. {diff['changed_figures']} published "
        f"figure(s) changed; the full list is in `revision/diff.json`.",
        "",
        "| mart | changed figures | rows added | rows removed |",
        "|---|---:|---:|---:|",
    ]
    for name, m in diff["marts"].items():
        if m["changed_figures"] or m["rows_added"] or m["rows_removed"] or m["columns_added"]:
            lines.append(
                f"| {name} | {m['changed_figures']} | {len(m['rows_added'])} | "
                f"{len(m['rows_removed'])} |"
            )
    ranked = sorted(
        diff["changes"],
        key=lambda c: -(abs(c["rel_change"]) if c["rel_change"] is not None else math.inf),
    )[:limit]
    if ranked:
        lines += ["", f"Largest changes (up to {limit}):", ""]
        lines += ["| mart | figure | old | new | change |", "|---|---|---:|---:|---:|"]
        for c in ranked:
            key = _md_cell(", ".join(f"{k}={v}" for k, v in c["key"].items()))
            rel = f"{c['rel_change']:+.1%}" if c["rel_change"] is not None else "—"
            lines.append(
                f"| {c['mart']} | {key} · `{c['column']}` | {_fmt(c['old'])} | "
                f"{_fmt(c['new'])} | {rel} |"
            )
    return "\n".join(lines) + "\n"


def diff_bytes(diff: dict) -> bytes:
    return (json.dumps(diff, indent=2, sort_keys=True, default=str) + "\n").encode("utf-8")
