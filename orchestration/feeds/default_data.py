"""The embedded default data: the program feeds from the seeded generator plus the vendored real
public releases, laid into an inbox the way the feeds would deliver them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import PUBLIC_FEEDS_DIR

DEFAULT_SEED = 2025
DEFAULT_FIRST_QUARTER = "2025-Q1"
DEFAULT_LAST_QUARTER = "2026-Q3"

# Vendored public file → inbox feed folder. USAspending downloads share the agency feed's table.
PUBLIC_ROUTES: tuple[tuple[str, str], ...] = (
    ("usgs_mcs_2025/salient/*_salient.csv", "public"),
    ("usgs_mcs_2025/industry_trends/MCS2025_Fig2_Net_Import_Reliance.csv", "public"),
    ("usgs_mcs_2025/world/MCS2025_World_Data.csv", "public"),
    ("qcew/*.csv", "public"),
    ("usaspending/Contract_*_TransactionHistory_*.csv", "agency"),
)


@dataclass
class StagedInbox:
    program_files: int
    public_files: int


def public_files(source: Path = PUBLIC_FEEDS_DIR) -> list[tuple[Path, str]]:
    out = []
    for pattern, feed in PUBLIC_ROUTES:
        out += [(p, feed) for p in sorted(source.glob(pattern))]
    return out


def inbox_has_files(inbox: Path) -> bool:
    return inbox.is_dir() and any(p.is_file() for p in inbox.rglob("*"))


def stage_default_inbox(
    inbox: Path,
    *,
    seed: int = DEFAULT_SEED,
    size: float = 1.0,
    first_quarter: str = DEFAULT_FIRST_QUARTER,
    last_quarter: str = DEFAULT_LAST_QUARTER,
    include_public: bool = True,
) -> StagedInbox:
    """Write the default dataset into ``inbox`` (files already there are left as they are)."""
    from orchestration.feeds.generator import generate

    summary = generate(
        inbox, seed=seed, size=size, first_quarter=first_quarter, last_quarter=last_quarter
    )
    copied = 0
    if include_public:
        for src, feed in public_files():
            dest = inbox / feed / src.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists():
                shutil.copyfile(src, dest)
                copied += 1
    return StagedInbox(program_files=len(summary.files), public_files=copied)
