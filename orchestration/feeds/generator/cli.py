"""Command line of the generator: `python -m orchestration.feeds.generator --out DIR ...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.feeds.generator.core import generate
from orchestration.feeds.generator.world import size_for_weekly_rows, weekly_rows_for


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m orchestration.feeds.generator",
        description="Write the deterministic default feed files (agency, supplier, workforce) "
        "as <out>/<feed>/<table>_<quarter>.csv.",
    )
    p.add_argument("--out", type=Path, required=True, help="output folder (an inbox)")
    p.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    size = p.add_mutually_exclusive_group()
    size.add_argument(
        "--size",
        type=float,
        default=None,
        help="scale factor: 1.0 = 48 facilities; other feeds scale alike",
    )
    size.add_argument(
        "--weekly-rows",
        type=int,
        default=None,
        help="pick the size that gives at least this many weekly_production rows",
    )
    p.add_argument("--first-quarter", default="2025-Q1")
    p.add_argument("--last-quarter", default="2026-Q3")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.weekly_rows is not None:
        size = size_for_weekly_rows(args.weekly_rows, args.first_quarter, args.last_quarter)
    else:
        size = 1.0 if args.size is None else args.size
    weekly = weekly_rows_for(size, args.first_quarter, args.last_quarter)
    print(f"[generate] size {size:g}: {weekly:,} weekly_production rows", file=sys.stderr)
    summary = generate(
        args.out,
        seed=args.seed,
        size=size,
        first_quarter=args.first_quarter,
        last_quarter=args.last_quarter,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    print(summary.table())
    return 0
