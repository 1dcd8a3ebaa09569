"""Disclosure control of the public release: primary and complementary cell suppression.

Pure functions over a mart's rows (polars in, polars out), configured by ``disclosure.yml``.

* **Primary** — a row's value cells are blanked when the row was computed from fewer than
  ``min_contributors`` contributors (``fewer_than_3``) or when its largest contributor is more than
  ``max_top_contributor_share`` of the value (``dominance_80``). A row without contributors (a
  structural zero) discloses nobody and is kept.
* **Complementary** (``complementary``) — more rows are blanked so no suppressed value comes back:
  - *totals*: in every additive group (the sectors of a quarter and their ``'all'`` row; the regions
    of a quarter, whose national total is published elsewhere) a linear relation with exactly one
    unknown gives it away, so a group never has exactly one suppressed cell: the smallest other
    member that has contributors (its count is published, so a zero is known) is suppressed too, or
    the total row when no member is left;
  - *lags*: a value repeated in the next quarter's row (``prev_...``, growth rates) is blanked
    there;
  - *running totals*: ``cumulative`` columns are blanked from the first suppressed quarter of a
    series on, so neither this nor a later (or the previous) release recovers a quarter by
    subtracting two running totals.
  Decisions for a quarter depend only on that quarter and the ones before it, so the release of the
  next quarter makes the same decisions for the earlier quarters and the two cannot be subtracted.

Each published row carries ``suppression_flag`` (empty, ``fewer_than_3``, ``dominance_80`` or
``complementary``) and ``suppressed_columns`` (the blanked columns, ``;``-separated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

CONFIG_PATH = Path(__file__).with_name("disclosure.yml")
FLAG = "suppression_flag"
COLUMNS = "suppressed_columns"
FEWER = "fewer_than_3"
DOMINANCE = "dominance_80"
COMPLEMENTARY = "complementary"
COUNT_COLUMN = "contributor_count"
SHARE_COLUMN = "top_contributor_share"


@dataclass(frozen=True)
class Group:
    by: tuple[str, ...]
    total: (
        dict[str, Any] | None
    )  # the total row's identifying values; None = total published elsewhere
    rank: str


@dataclass(frozen=True)
class MartRule:
    name: str
    values: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    lag: tuple[str, ...] = ()
    cumulative: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    not_published: tuple[str, ...] = ()
    exempt: str | None = None
    period: str = "quarter"


@dataclass(frozen=True)
class Thresholds:
    min_contributors: int = 3
    max_top_contributor_share: float = 0.8


@dataclass
class DisclosureConfig:
    thresholds: Thresholds
    marts: dict[str, MartRule] = field(default_factory=dict)


@dataclass
class Outcome:
    """What suppression did to one mart."""

    mart: str
    rows: int
    cells: int = 0  # value cells blanked
    by_flag: dict[str, int] = field(default_factory=dict)  # rows per flag
    exempt: str | None = None


def parse_config(raw: dict) -> DisclosureConfig:
    th = raw.get("thresholds") or {}
    thresholds = Thresholds(
        int(th.get("min_contributors", 3)), float(th.get("max_top_contributor_share", 0.8))
    )
    marts = {}
    for name, spec in (raw.get("marts") or {}).items():
        groups = tuple(
            Group(
                tuple(g["by"]),
                None if g.get("total") in (None, "external") else dict(g["total"]),
                g["rank"],
            )
            for g in spec.get("groups") or ()
        )
        marts[name] = MartRule(
            name=name,
            values=tuple(spec.get("values") or ()),
            series=tuple(spec.get("series") or ()),
            lag=tuple(spec.get("lag") or ()),
            cumulative=tuple(spec.get("cumulative") or ()),
            groups=groups,
            not_published=tuple(spec.get("not_published") or ()),
            exempt=spec.get("exempt"),
            period=spec.get("period", "quarter"),
        )
    return DisclosureConfig(thresholds, marts)


@cache
def load_config(path: Path = CONFIG_PATH) -> DisclosureConfig:
    return parse_config(yaml.safe_load(path.read_text("utf-8")))


def primary_reason(count: int | None, share: float | None, th: Thresholds) -> str | None:
    if count is None or count <= 0:
        return None
    if count < th.min_contributors:
        return FEWER
    if share is not None and share > th.max_top_contributor_share:
        return DOMINANCE
    return None


def _is_total(row: dict, group: Group) -> bool:
    return group.total is not None and all(row.get(k) == v for k, v in group.total.items())


def _complement_groups(
    rows: list[dict], idx: list[int], reasons: list[str | None], group: Group
) -> bool:
    """One pass over one quarter's rows: no group keeps exactly one suppressed cell."""
    changed = False
    buckets: dict[tuple, list[int]] = {}
    for i in idx:
        buckets.setdefault(tuple(rows[i].get(c) for c in group.by), []).append(i)
    for members in buckets.values():
        total = [i for i in members if _is_total(rows[i], group)]
        parts = [i for i in members if not _is_total(rows[i], group)]
        cells = parts + total  # with an external total, the relation is over the parts alone
        if sum(1 for i in cells if reasons[i]) != 1:
            continue
        candidates = sorted(
            (i for i in parts if not reasons[i] and (rows[i].get(COUNT_COLUMN) or 0) > 0),
            key=lambda i: (_rank(rows[i].get(group.rank)), i),
        )
        if candidates:
            reasons[candidates[0]] = COMPLEMENTARY
        elif total and not reasons[total[0]]:
            reasons[total[0]] = COMPLEMENTARY
        else:
            continue
        changed = True
    return changed


def _rank(value: Any) -> float:
    try:
        return abs(float(value)) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def suppress(
    frame: pl.DataFrame, rule: MartRule, thresholds: Thresholds
) -> tuple[pl.DataFrame, Outcome]:
    """The mart as published: suppressed cells empty, flags added, unpublished columns dropped."""
    outcome = Outcome(rule.name, frame.height, exempt=rule.exempt)
    drop = [c for c in rule.not_published if c in frame.columns]
    if rule.exempt or not rule.values:
        out = frame.drop(drop).with_columns(
            pl.lit(None, pl.String).alias(FLAG), pl.lit(None, pl.String).alias(COLUMNS)
        )
        return out, outcome
    rows = frame.to_dicts()
    n = len(rows)
    reasons: list[str | None] = [
        primary_reason(r.get(COUNT_COLUMN), r.get(SHARE_COLUMN), thresholds) for r in rows
    ]
    period = rule.period
    series_of = [tuple(r.get(c) for c in rule.series) for r in rows]
    periods = sorted({r[period] for r in rows})
    by_period: dict[Any, list[int]] = {}
    for i, r in enumerate(rows):
        by_period.setdefault(r[period], []).append(i)
    # Quarter by quarter, oldest first: a quarter's decisions never depend on a later quarter.
    for p in periods:
        while any(_complement_groups(rows, by_period[p], reasons, g) for g in rule.groups):
            pass
    blanked: list[set[str]] = [set(rule.values) if reasons[i] else set() for i in range(n)]
    flags = list(reasons)
    order = sorted(range(n), key=lambda i: (series_of[i], rows[i][period]))
    previous: dict[tuple, int] = {}
    first_suppressed: dict[tuple, Any] = {}
    for i in order:
        s = series_of[i]
        j = previous.get(s)
        if reasons[i] and s not in first_suppressed:
            first_suppressed[s] = rows[i][period]
        if j is not None and reasons[j] and rule.lag:
            blanked[i] |= set(rule.lag)
            flags[i] = flags[i] or COMPLEMENTARY
        if s in first_suppressed and rule.cumulative:
            blanked[i] |= set(rule.cumulative)
            flags[i] = flags[i] or COMPLEMENTARY
        previous[s] = i
    columns = [c for c in frame.columns if c not in drop]
    data: dict[str, list] = {c: [] for c in columns}
    for i, r in enumerate(rows):
        for c in columns:
            data[c].append(None if c in blanked[i] else r[c])
    out = pl.DataFrame(data, schema={c: frame.schema[c] for c in columns})
    listed = [";".join(c for c in columns if c in blanked[i]) or None for i in range(n)]
    out = out.with_columns(
        pl.Series(FLAG, flags, dtype=pl.String), pl.Series(COLUMNS, listed, dtype=pl.String)
    )
    outcome.cells = sum(len(b & set(columns)) for b in blanked)
    for f in flags:
        if f:
            outcome.by_flag[f] = outcome.by_flag.get(f, 0) + 1
    return out, outcome


def apply(
    frame: pl.DataFrame, mart: str, config: DisclosureConfig | None = None
) -> tuple[pl.DataFrame, Outcome | None]:
    """Suppress a mart if the configuration names it; other marts pass unchanged."""
    config = config or load_config()
    rule = config.marts.get(mart)
    if rule is None:
        return frame, None
    return suppress(frame, rule, config.thresholds)


FLAG_DESCRIPTIONS = {
    FLAG: "Disclosure control: empty when the row is published in full; fewer_than_3 (computed "
    "from fewer than 3 contributors), dominance_80 (one contributor is more than 80 % of the "
    "value) or complementary (blanked so a suppressed value cannot be recovered by subtraction).",
    COLUMNS: "The columns of this row left empty by disclosure control, separated by ';'.",
}
