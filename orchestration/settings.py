"""Where the warehouse lives on disk.

Everything is resolved from one root folder (``PLEDGE_WAREHOUSE``, default ``./warehouse`` in the
repo). The environment is read when a path is asked for, never at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TRANSFORMS_DIR = REPO_ROOT / "transforms"
PUBLIC_FEEDS_DIR = REPO_ROOT / "seeds" / "feeds" / "public"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
WAREHOUSE_ENV = "PLEDGE_WAREHOUSE"

# DuckDB's own limits for every connection the pipeline opens (dbt's profile reads the same
# variables): past the memory limit joins, aggregates and sorts spill to disk instead of growing.
DUCKDB_MEMORY_LIMIT_ENV = "PLEDGE_DUCKDB_MEMORY_LIMIT"
DUCKDB_THREADS_ENV = "PLEDGE_DUCKDB_THREADS"
DEFAULT_DUCKDB_MEMORY_LIMIT = "1GB"
# The quality gate and the publication scan, stream and sort; they run in the run process beside
# Great Expectations and one chunk or mart in memory, so their DuckDB keeps a smaller share (at
# 10^7 rows: gate 1.80 -> 1.57 GiB, publication 1.35 -> 1.17 GiB, times within noise).
# PLEDGE_DUCKDB_MEMORY_LIMIT, when set, applies to them too.
READER_DUCKDB_MEMORY_LIMIT = "512MB"


def duckdb_config(default_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT) -> dict[str, str | int]:
    """DuckDB settings for the pipeline's connections, from the environment at call time."""
    config: dict[str, str | int] = {
        "memory_limit": os.environ.get(DUCKDB_MEMORY_LIMIT_ENV) or default_memory_limit,
    }
    threads = os.environ.get(DUCKDB_THREADS_ENV)
    if threads:
        config["threads"] = int(threads)
    return config


FEED_FOLDERS = ("agency", "supplier", "workforce", "public")


@dataclass(frozen=True)
class WarehousePaths:
    root: Path

    @classmethod
    def resolve(cls, root: str | os.PathLike | None = None) -> WarehousePaths:
        chosen = root or os.environ.get(WAREHOUSE_ENV) or (REPO_ROOT / "warehouse")
        return cls(Path(chosen).expanduser().resolve())

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def build_db(self) -> Path:
        """The database the pipeline writes (the single writer)."""
        return self.root / "build" / "pledge.duckdb"

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this warehouse's runs (artifacts, partial parse)."""
        return self.root / "build" / "dbt-target"

    @property
    def published_db(self) -> Path:
        """The read-only copy analysts open; replaced atomically after a gated build."""
        return self.root / "pledge.duckdb"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    def feed_inbox(self, feed: str) -> Path:
        return self.inbox / feed

    def ensure(self) -> WarehousePaths:
        for p in (self.inbox, self.archive, self.build_db.parent, self.releases):
            p.mkdir(parents=True, exist_ok=True)
        return self
