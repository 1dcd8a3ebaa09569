"""`generate`: write every program feed file for a quarter range, streaming quarter by quarter."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from orchestration.feeds.contracts import Contracts, load_contracts
from orchestration.feeds.generator import agency, supplier, workforce
from orchestration.feeds.generator.common import TableFile
from orchestration.feeds.generator.world import World, build_world
from orchestration.quarters import Quarter, latest_complete_quarter

PROGRAM_FEEDS = ("agency", "supplier", "workforce")
# Write order inside a quarter (contracts.yml order); a table's rows are summed over quarters.
TABLES = (
    "contract_transactions",
    "assistance_awards",
    "award_crosswalk",
    "milestone_reports",
    "risk_register",
    "weekly_production",
    "input_sourcing",
    "line_announcements",
    "training_reports",
    "participants",
)


@dataclass
class GenerationSummary:
    out_dir: Path
    seed: int
    size: float
    quarters: list[str]
    facilities: int
    rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def table(self) -> str:
        """A plain-text summary: rows per table, facilities, quarters and elapsed time."""
        width = max(len(t) for t in self.rows)
        lines = [f"{'table':<{width}}  {'rows':>12}", f"{'-' * width}  {'-' * 12}"]
        lines += [f"{t:<{width}}  {n:>12,}" for t, n in self.rows.items()]
        lines.append(f"{'total':<{width}}  {sum(self.rows.values()):>12,}")
        lines.append(
            f"{len(self.files)} files, {self.facilities:,} facilities, quarters "
            f"{self.quarters[0]}..{self.quarters[-1]}, seed {self.seed}, size "
            f"{self.size:g}, {self.seconds:.1f}s -> {self.out_dir}"
        )
        return "\n".join(lines)


def _clamp_last(last_quarter: str, today: date | None) -> str:
    """With `today`, stop at the last quarter that has ended, so no date lies in the future."""
    if today is None:
        return last_quarter
    return min(Quarter.parse(last_quarter), Quarter.parse(latest_complete_quarter(today))).key


def generate(
    out_dir: Path,
    *,
    seed: int = 2025,
    size: float = 1.0,
    first_quarter: str = "2025-Q1",
    last_quarter: str = "2026-Q3",
    today: date | None = None,
    workforce_size: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> GenerationSummary:
    """Write `out_dir/<feed>/<table>_<quarter>.csv` for every program table and quarter.

    Deterministic: the same arguments give the same bytes. `size` scales the facility count (48
    at 1.0) and every other feed in proportion; see `weekly_rows_for`/`size_for_weekly_rows`.
    `workforce_size` (default `size`) scales the participant intake alone (benchmarks at 10^7).
    """
    started = time.perf_counter()
    last = _clamp_last(last_quarter, today)
    if Quarter.parse(last) < Quarter.parse(first_quarter):
        raise ValueError(f"no complete quarter from {first_quarter} as of {today}")
    out_dir = Path(out_dir)
    contracts = load_contracts()
    world = build_world(seed, size, first_quarter, last, workforce_size)
    summary = GenerationSummary(
        out_dir=out_dir,
        seed=seed,
        size=size,
        quarters=[q.key for q in world.quarters],
        facilities=world.facilities.height,
        rows=dict.fromkeys(TABLES, 0),
    )
    state = _Standing.build(world)
    for qi, q in enumerate(world.quarters):
        for table, frames in _quarter_frames(world, state, qi):
            path = _write(out_dir, contracts, table, q, frames)
            summary.files.append(path[0])
            summary.rows[table] += path[1]
        if progress:
            progress(
                f"[generate] {q.key} done ({qi + 1}/{len(world.quarters)}, "
                f"{time.perf_counter() - started:.1f}s)"
            )
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass(frozen=True)
class _Standing:
    """Per-run tables every quarter draws on (awards, supplier relations, risk entries)."""

    transactions: object
    assistance: agency.AssistancePlan
    award_keys: object
    slots: object
    risks: object

    @classmethod
    def build(cls, world: World) -> _Standing:
        tx = agency.contract_transactions_all(world)
        plan = agency.assistance_plan(world)
        return cls(
            transactions=tx,
            assistance=plan,
            award_keys=agency.award_keys(world, tx, plan),
            slots=supplier._sourcing_slots(world),
            risks=agency.risk_entries(world),
        )


def _quarter_frames(world: World, st: _Standing, qi: int):
    """(table, frames) for one quarter, in TABLES order; frames may be a generator."""
    q = world.quarters[qi]
    yield "contract_transactions", [agency.contract_transactions(st.transactions, q)]
    yield "assistance_awards", [agency.assistance_awards(world, st.assistance, q)]
    yield "award_crosswalk", [agency.award_crosswalk(world, st.award_keys, q)]
    yield "milestone_reports", [agency.milestone_reports(q)]
    yield "risk_register", [agency.risk_register(world, st.risks, q)]
    yield "weekly_production", supplier.weekly_production(world, q)
    yield "input_sourcing", [supplier.input_sourcing(world, q, st.slots)]
    yield "line_announcements", [supplier.line_announcements(world, q)]
    roster, enrolled, completed = workforce.participants(world, qi)
    yield "training_reports", [workforce.training_reports(world, qi, enrolled, completed)]
    yield "participants", roster


def _write(out_dir: Path, contracts: Contracts, table: str, q: Quarter, frames) -> tuple[Path, int]:
    contract = contracts.tables[table]
    path = out_dir / contract.feed / f"{table}_{q.key}.csv"
    with TableFile(path, contract) as f:
        for df in frames:
            f.write(df)
    return path, f.rows
