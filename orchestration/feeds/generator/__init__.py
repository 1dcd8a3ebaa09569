"""Deterministic, seeded default data for the program feeds (agency, supplier, workforce).

`generate(out_dir, seed=..., size=...)` writes `out_dir/<feed>/<table>_<quarter>.csv` with the
exact columns of orchestration/feeds/contracts.yml; the same arguments always give the same
bytes. Modules: `world` (facilities, projects, awards, lines, training recipients shared by all
feeds), `agency`, `supplier`, `workforce` (one table builder per contract table), `common`
(seeded streams and the CSV writer), `reference` (fixed lists), `cli` (`main`).
"""

from orchestration.feeds.generator.cli import main
from orchestration.feeds.generator.core import PROGRAM_FEEDS, TABLES, GenerationSummary, generate
from orchestration.feeds.generator.world import (
    n_facilities,
    size_for_weekly_rows,
    weekly_rows_for,
)

__all__ = [
    "PROGRAM_FEEDS",
    "TABLES",
    "GenerationSummary",
    "generate",
    "main",
    "n_facilities",
    "size_for_weekly_rows",
    "weekly_rows_for",
]
