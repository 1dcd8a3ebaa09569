"""Write a quarterly release folder from the marts in the build database.

A release is ``<releases>/<quarter>/`` holding, for every published mart, ``csv/<mart>.csv``
(UTF-8 with BOM, formula-safe text) and ``parquet/<mart>.parquet``, the data dictionary, a
``manifest.json`` (row counts, sha256 of every file, the source files used, the code version) and a
``run.json`` with the run's timestamps. Data files and the manifest depend only on the inputs and the
code, so publishing the same quarter twice gives the same bytes; time lives in ``run.json`` alone.

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
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from orchestration.ingest.faults import PledgeError
from orchestration.publish.safe_text import neutralize_frame

MANIFEST = "manifest.json"
RUN_INFO = "run.json"
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


@dataclass
class ReleaseResult:
    release_id: str
    path: Path
    status: str  # published | unchanged
    revises: str | None = None
    row_counts: dict[str, int] = field(default_factory=dict)


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


def render_dictionary(marts: list[PublishedMart], quarter: str) -> str:
    lines = [
        f"# Data dictionary — Pledge Warehouse release {quarter}",
        "",
        "Every mart is published as `csv/<mart>.csv` (UTF-8 with BOM) and "
        "`parquet/<mart>.parquet`. Text cells that begin with `=`, `+`, `-`, `@`, a tab or a "
        "carriage return carry a leading apostrophe in the CSV so that no spreadsheet runs them.",
        "",
    ]
    for m in marts:
        lines += [f"## {m.name}", "", m.description or "", "", "| column | type | description |"]
        lines.append("|---|---|---|")
        for c in m.columns:
            desc = " ".join(c.description.split()).replace("|", "\\|")
            lines.append(f"| `{c.name}` | {c.data_type} | {desc} |")
        lines.append("")
    return "\n".join(lines)


def _data_hashes(stage: Path) -> dict[str, str]:
    return {
        str(p.relative_to(stage)): sha256_file(p)
        for p in sorted(stage.rglob("*"))
        if p.is_file() and p.name not in (MANIFEST, RUN_INFO)
    }


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
) -> ReleaseResult:
    """Stage the release, compare it with the latest existing one, then move it into place.

    Identical data to the latest release of the quarter: nothing is written (``unchanged``).
    Different data: a new revision that names the release it revises.
    """
    releases_dir.mkdir(parents=True, exist_ok=True)
    stage = releases_dir / f".staging-{quarter}-{uuid.uuid4().hex[:8]}"
    stage.mkdir()
    try:
        row_counts: dict[str, int] = {}
        for mart in marts:
            frame = _fetch_mart(con, mart)
            row_counts[mart.name] = frame.height
            _write_mart_files(frame, mart.name, stage)
        (stage / "data_dictionary.md").write_text(render_dictionary(marts, quarter), "utf-8")
        for rel, payload in sorted((extra_files or {}).items()):
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)

        files = _data_hashes(stage)
        existing = release_ids_for(releases_dir, quarter)
        latest = existing[-1] if existing else None
        if latest is not None:
            previous = json.loads((releases_dir / latest / MANIFEST).read_text("utf-8"))
            if previous.get("files") == files:
                shutil.rmtree(stage)
                return ReleaseResult(latest, releases_dir / latest, "unchanged", None, row_counts)
        release_id = next_release_id(existing, quarter)
        manifest = {
            "release": release_id,
            "quarter": quarter,
            "revises": latest,
            "code_version": code_version,
            "marts": [
                {"name": m.name, "relation": m.relation, "rows": row_counts[m.name]}
                for m in marts
            ],
            "files": files,
            "sources": sorted(sources, key=lambda s: (s["table"], s["file"], s["sha256"])),
        }
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
        (stage / RUN_INFO).write_text(json.dumps(run_info, indent=2, sort_keys=True) + "\n", "utf-8")
        final = releases_dir / release_id
        if final.exists():
            raise ReleaseError(f"release folder {final} already exists; it is never overwritten")
        os.replace(stage, final)
        return ReleaseResult(release_id, final, "published", latest, row_counts)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
