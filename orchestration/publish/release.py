"""Write a quarterly release folder from the marts in the build database.

A release is ``<releases>/<quarter>/`` holding, for every published mart, ``csv/<mart>.csv``
(UTF-8 with BOM, formula-safe text) and ``parquet/<mart>.parquet``, the data dictionary, a
``manifest.json`` (row counts, sha256 of every file, the source files used, the code version)
and a ``run.json`` with the run's timestamps. Data files and the manifest depend only on the inputs
and the code, so publishing the same quarter twice gives the same bytes; time lives in
``run.json`` alone.

A release also holds ``xlsx/<quarter>.xlsx`` (one
sheet per mart and an ``about`` sheet), ``index.html`` (the dashboard page with inline SVG charts),
``disclosure.json`` (what was suppressed and why) and, for a revision, ``revision/diff.json`` and
``revision/summary.md`` (every changed figure against the release it revises). Published marts pass
through disclosure control (disclosure.py) first: the files carry suppressed cells as empty with a
``suppression_flag``; the analysts' database keeps the full values.

The folder is staged beside its final place and renamed into it in one step: a reader never sees a
half-written release, and an existing release is never overwritten (a changed one becomes a
revision, ``2026-Q2-r1``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import duckdb
import polars as pl

from orchestration.ingest.faults import PledgeError
from orchestration.publish import disclosure
from orchestration.publish.safe_text import neutralize_frame

MANIFEST = "manifest.json"
RUN_INFO = "run.json"
PAGE = "index.html"
DISCLOSURE = "disclosure.json"
VALIDATION_REPORT = "validation/report.json"
# Files derived from the data and the release id: not compared when deciding "unchanged".
DERIVED_PREFIXES = ("xlsx/", "revision/", PAGE)
_REVISION = re.compile(r"^(?P<quarter>\d{4}-Q[1-4])(?:-r(?P<n>\d+))?$")


class ReleaseError(PledgeError):
    """A release that cannot be written as asked."""


@dataclass(frozen=True)
class MartColumn:
    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class PublishedMart:
    """A mart the release carries: its name, its relation in DuckDB and its documented columns."""

    name: str
    relation: str
    description: str = ""
    columns: tuple[MartColumn, ...] = ()
    order_by: tuple[str, ...] = ()
    key_columns: tuple[str, ...] = ()


@dataclass
class ReleaseResult:
    release_id: str
    path: Path
    status: str  # published | unchanged
    revises: str | None = None
    row_counts: dict[str, int] = field(default_factory=dict)


# A published mart of at most this many rows stays in memory for the page, the revision diff and the
# workbook; a larger one (the row-level marts: every award, every risk entry) is read back from its
# staged Parquet file when one of them needs it, so publication holds one large mart at a time.
KEEP_ROWS = 100_000


class PublishedFrames(Mapping[str, pl.DataFrame]):
    """The release's published (disclosure-controlled) marts by name, in the order added.

    Small marts are kept as frames; a mart past ``keep_rows`` rows is only named here and
    ``frames[name]`` reads it back from ``<stage>/parquet/<name>.parquet``, which holds exactly the
    published frame (Parquet keeps every published type). ``lazy(name)`` scans it instead."""

    def __init__(self, stage: Path, keep_rows: int = KEEP_ROWS) -> None:
        self._stage = stage
        self._keep_rows = keep_rows
        self._frames: dict[str, pl.DataFrame | None] = {}

    def add(self, name: str, frame: pl.DataFrame) -> None:
        self._frames[name] = frame if frame.height <= self._keep_rows else None

    def _parquet(self, name: str) -> Path:
        return self._stage / "parquet" / f"{name}.parquet"

    def __getitem__(self, name: str) -> pl.DataFrame:
        frame = self._frames[name]
        return frame if frame is not None else pl.read_parquet(self._parquet(name))

    def lazy(self, name: str) -> pl.LazyFrame:
        frame = self._frames[name]
        return frame.lazy() if frame is not None else pl.scan_parquet(self._parquet(name))

    def columns(self, name: str) -> list[str]:
        return self.lazy(name).collect_schema().names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def release_ids_for(releases_dir: Path, quarter: str) -> list[str]:
    """Existing releases of a quarter, oldest first: ``2026-Q2``, ``2026-Q2-r1``, ..."""
    found = []
    if releases_dir.exists():
        for p in releases_dir.iterdir():
            m = _REVISION.match(p.name)
            if p.is_dir() and m and m.group("quarter") == quarter and (p / MANIFEST).exists():
                found.append((int(m.group("n") or 0), p.name))
    return [name for _, name in sorted(found)]


def latest_released_quarter(releases_dir: Path) -> str | None:
    """The highest quarter that has a published release (any revision), or None."""
    quarters = []
    if releases_dir.exists():
        for p in releases_dir.iterdir():
            m = _REVISION.match(p.name)
            if p.is_dir() and m and (p / MANIFEST).exists():
                quarters.append(m.group("quarter"))
    return max(quarters) if quarters else None


def next_release_id(existing: list[str], quarter: str) -> str:
    return quarter if not existing else f"{quarter}-r{len(existing)}"


def _fetch_mart(con: duckdb.DuckDBPyConnection, mart: PublishedMart) -> pl.DataFrame:
    order = ", ".join(f'"{c}"' for c in mart.order_by) if mart.order_by else "all"
    return con.sql(f"select * from {mart.relation} order by {order}").pl()


def _write_mart_files(frame: pl.DataFrame, name: str, stage: Path) -> list[Path]:
    csv_path = stage / "csv" / f"{name}.csv"
    parquet_path = stage / "parquet" / f"{name}.parquet"
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    parquet_path.parent.mkdir(parents=True, exist_ok=True)
    # The BOM lets Excel show accents; text that could run as a formula is neutralised.
    neutralize_frame(frame).write_csv(csv_path, include_bom=True, line_terminator="\n")
    # Parquet keeps the values exactly (no spreadsheet reads it as formulas); fixed settings keep
    # the bytes stable across runs.
    frame.write_parquet(parquet_path, compression="zstd", statistics=False)
    return [csv_path, parquet_path]


def render_dictionary(
    marts: list[PublishedMart],
    quarter: str,
    published: Mapping[str, pl.DataFrame] | None = None,
    keys: dict[str, tuple[str, ...]] | None = None,
    config: disclosure.DisclosureConfig | None = None,
) -> str:
    lines = [
        f"# Data dictionary — Pledge Warehouse release {quarter}",
        "",
        "Every mart is published as `csv/<mart>.csv` (UTF-8 with BOM) and "
        "`parquet/<mart>.parquet`. Text cells that begin with `=`, `+`, `-`, `@`, a tab or a "
        "carriage return carry a leading apostrophe in the CSV so that no spreadsheet runs them.",
        "",
    ]
    if config is not None:
        th = config.thresholds
        lines += [
            "Disclosure control: a cell computed from fewer than "
            f"{th.min_contributors} facilities or recipients, or where one contributor is more "
            f"than {th.max_top_contributor_share:.0%} of the value, is published empty; more cells "
            "are left empty so that none can be recovered by subtraction (complementary "
            "suppression). `suppression_flag` says why, `suppressed_columns` which cells; "
            "`disclosure.json` counts them.",
            "",
        ]
    for m in marts:
        lines += [f"## {m.name}", "", m.description or "", ""]
        key = (keys or {}).get(m.name)
        if key:
            lines += [f"Key: {', '.join(f'`{k}`' for k in key)}", ""]
        lines += ["| column | type | description |", "|---|---|---|"]
        columns = _published_columns(published, m.name)
        documented = {c.name for c in m.columns}
        for c in m.columns:
            if columns is not None and c.name not in columns:
                continue  # not published (disclosure control keeps it for the analysts)
            desc = " ".join(c.description.split()).replace("|", "\\|")
            lines.append(f"| `{c.name}` | {c.data_type} | {desc} |")
        if columns is not None:
            for name in (disclosure.FLAG, disclosure.COLUMNS):
                if name in columns and name not in documented:
                    desc = disclosure.FLAG_DESCRIPTIONS[name]
                    lines.append(f"| `{name}` | varchar | {desc} |")
        lines.append("")
    return "\n".join(lines)


def _published_columns(published: Mapping[str, pl.DataFrame] | None, name: str) -> list[str] | None:
    if published is None or name not in published:
        return None
    if isinstance(published, PublishedFrames):
        return published.columns(name)  # without reading a large mart back
    return published[name].columns


def _data_hashes(stage: Path) -> dict[str, str]:
    return {
        str(p.relative_to(stage)): sha256_file(p)
        for p in sorted(stage.rglob("*"))
        if p.is_file() and p.name not in (MANIFEST, RUN_INFO)
    }


def _comparable(files: dict[str, str]) -> dict[str, str]:
    """The files that decide whether a release is unchanged: data, dictionary, reports."""
    return {k: v for k, v in files.items() if not k.startswith(DERIVED_PREFIXES)}


def quarter_end_stamp(quarter: str) -> datetime:
    """A timestamp taken from the data (the last second of the quarter), for file metadata."""
    year, q = int(quarter[:4]), int(quarter[-1])
    nxt = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return datetime.combine(nxt - timedelta(days=1), time(23, 59, 59))


def _validation_status(stage: Path) -> dict | None:
    path = stage / VALIDATION_REPORT
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def write_release(
    con: duckdb.DuckDBPyConnection,
    *,
    quarter: str,
    marts: list[PublishedMart],
    releases_dir: Path,
    sources: list[dict],
    code_version: str,
    run_info: dict,
    extra_files: dict[str, bytes] | None = None,
    key_columns: dict[str, tuple[str, ...]] | None = None,
    disclosure_config: disclosure.DisclosureConfig | None = None,
    keep_rows: int = KEEP_ROWS,
) -> ReleaseResult:
    """Stage the release, compare it with the latest existing one, then move it into place.

    Identical data to the latest release of the quarter: nothing is written (``unchanged``).
    Different data: a new revision that names the release it revises and carries the diff.
    ``key_columns`` default to the marts' own ``key_columns``, else dbt's uniqueness tests;
    ``disclosure_config`` defaults to ``disclosure.yml``. Marts past ``keep_rows`` rows are not
    held in memory once their files are written (``PublishedFrames``).
    """
    from orchestration.publish import page
    from orchestration.publish.formats.xlsx import write_workbook
    from orchestration.publish.keys import load_mart_keys
    from orchestration.publish.revision import diff_bytes, render_summary, revision_diff

    config = disclosure_config or disclosure.load_config()
    keys: dict[str, tuple[str, ...]] = {}
    if key_columns is None and not all(m.key_columns for m in marts):
        key_columns = load_mart_keys()
    for m in marts:
        keys[m.name] = tuple(m.key_columns or (key_columns or {}).get(m.name, ()))
    releases_dir.mkdir(parents=True, exist_ok=True)
    stage = releases_dir / f".staging-{quarter}-{uuid.uuid4().hex[:8]}"
    stage.mkdir()
    try:
        row_counts: dict[str, int] = {}
        published = PublishedFrames(stage, keep_rows)
        outcomes: dict[str, dict] = {}
        for mart in marts:
            frame, outcome = disclosure.apply(_fetch_mart(con, mart), mart.name, config)
            row_counts[mart.name] = frame.height
            if outcome is not None:
                outcomes[mart.name] = {
                    "rows": outcome.rows,
                    "suppressed_cells": outcome.cells,
                    "rows_by_flag": dict(sorted(outcome.by_flag.items())),
                    **({"exempt": outcome.exempt} if outcome.exempt else {}),
                }
            _write_mart_files(frame, mart.name, stage)
            published.add(mart.name, frame)
            del frame
        disclosure_doc = {
            "thresholds": {
                "min_contributors": config.thresholds.min_contributors,
                "max_top_contributor_share": config.thresholds.max_top_contributor_share,
            },
            "marts": outcomes,
            "suppressed_cells": sum(o["suppressed_cells"] for o in outcomes.values()),
        }
        (stage / DISCLOSURE).write_text(
            json.dumps(disclosure_doc, indent=2, sort_keys=True) + "\n", "utf-8"
        )
        (stage / "data_dictionary.md").write_text(
            render_dictionary(marts, quarter, published, keys, config), "utf-8"
        )
        for rel, payload in sorted((extra_files or {}).items()):
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)

        files = _comparable(_data_hashes(stage))
        existing = release_ids_for(releases_dir, quarter)
        latest = existing[-1] if existing else None
        if latest is not None:
            previous = json.loads((releases_dir / latest / MANIFEST).read_text("utf-8"))
            if _comparable(previous.get("files") or {}) == files:
                shutil.rmtree(stage)
                return ReleaseResult(latest, releases_dir / latest, "unchanged", None, row_counts)
        release_id = next_release_id(existing, quarter)

        revision = None
        if latest is not None:
            revision = revision_diff(releases_dir / latest, published, keys, release_id, latest)
            (stage / "revision").mkdir()
            (stage / "revision" / "diff.json").write_bytes(diff_bytes(revision))
            (stage / "revision" / "summary.md").write_text(render_summary(revision), "utf-8")
        stamp = quarter_end_stamp(quarter)
        validation = _validation_status(stage)
        facts = page.ReleaseFacts(
            release_id=release_id,
            quarter=quarter,
            revises=latest,
            code_version=code_version,
            disclosure=disclosure_doc,
            validation=validation,
            revision=revision,
        )
        write_workbook(
            stage / "xlsx" / f"pledge_release_{quarter}.xlsx",
            [(m.name, published.lazy(m.name)) for m in marts],
            page.about_rows(facts, marts, keys),
            stamp,
        )
        (stage / PAGE).write_text(page.render_page(facts, published), "utf-8")

        files = _data_hashes(stage)
        manifest = {
            "release": release_id,
            "quarter": quarter,
            "revises": latest,
            "code_version": code_version,
            "marts": [
                {
                    "name": m.name,
                    "relation": m.relation,
                    "rows": row_counts[m.name],
                    "key": list(keys[m.name]),
                }
                for m in marts
            ],
            "files": files,
            "disclosure": {
                "suppressed_cells": disclosure_doc["suppressed_cells"],
                "file": DISCLOSURE,
            },
            "sources": sorted(sources, key=lambda s: (s["table"], s["file"], s["sha256"])),
        }
        if revision is not None:
            manifest["revision"] = {
                "diff": "revision/diff.json",
                "summary": "revision/summary.md",
                "changed_figures": revision["changed_figures"],
            }
        (stage / MANIFEST).write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8"
        )
        (stage / RUN_INFO).write_text(
            json.dumps(run_info, indent=2, sort_keys=True) + "\n", "utf-8"
        )
        final = releases_dir / release_id
        if final.exists():
            raise ReleaseError(f"release folder {final} already exists; it is never overwritten")
        os.replace(stage, final)
        return ReleaseResult(release_id, final, "published", latest, row_counts)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
