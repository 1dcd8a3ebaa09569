"""``pledge`` — the command line of Pledge Warehouse.

Exit codes (every command):
  0  done
  1  the run failed (a step failed or a gate blocked the release); the message says which
  2  usage error (bad arguments)
  3  a problem with the input the user can fix (bad quarter, no data for it, a locked file, ...)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from datetime import date
from pathlib import Path

from orchestration.ingest.faults import PledgeError
from orchestration.quarters import Quarter, QuarterKeyError, latest_complete_quarter
from orchestration.settings import WAREHOUSE_ENV, WarehousePaths

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


def _quarters_in_inbox(inbox: Path) -> list[str]:
    """Quarter keys that appear in program feed file names (``<table>_<quarter>.csv``)."""
    found = set()
    for p in inbox.rglob("*.csv"):
        stem = p.stem
        if len(stem) > 8 and stem[-8] == "_":
            with contextlib.suppress(QuarterKeyError):
                found.add(Quarter.parse(stem[-7:]).key)
    return sorted(found)


def choose_quarter(requested: str | None, inbox: Path, today: date) -> str:
    """The quarter to run: the one asked for, else the latest complete quarter with data."""
    if requested:
        return Quarter.parse(requested).key
    latest = latest_complete_quarter(today)
    with_data = [q for q in _quarters_in_inbox(inbox) if q <= latest]
    if not with_data:
        raise PledgeError(
            f"no feed files for any complete quarter in {inbox}; put files there or pass --quarter"
        )
    return with_data[-1]


def _dagster_instance(paths: WarehousePaths):
    import dagster as dg

    home = os.environ.get("DAGSTER_HOME") or str(paths.root / "dagster_home")
    from orchestration.instance import ensure_dagster_home

    ensure_dagster_home(Path(home))
    os.environ["DAGSTER_HOME"] = home
    return dg.DagsterInstance.get()


def cmd_run(args: argparse.Namespace) -> int:
    if args.quarter:
        Quarter.parse(args.quarter)  # a typo fails before any work is done
    paths = WarehousePaths.resolve(args.warehouse).ensure()
    os.environ[WAREHOUSE_ENV] = str(paths.root)  # dbt's profile and the resources read it
    started = time.monotonic()
    from orchestration.feeds.default_data import inbox_has_files, stage_default_inbox

    if not inbox_has_files(paths.inbox):
        if args.no_default_data:
            raise PledgeError(f"the inbox {paths.inbox} is empty and --no-default-data was given")
        print(f"inbox {paths.inbox} is empty: staging the embedded default data", file=sys.stderr)
        staged = stage_default_inbox(paths.inbox)
        print(
            f"  {staged.program_files} program feed files, {staged.public_files} public files",
            file=sys.stderr,
        )
    quarter = choose_quarter(args.quarter, paths.inbox, date.today())
    print(f"pledge run {quarter} — warehouse {paths.root}", file=sys.stderr)

    from orchestration.progress import ProgressHandler

    handler = ProgressHandler()
    log_path = paths.root / "logs" / f"run-{quarter}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dagster-dbt echoes every dbt event on stdout; keep that in the run log, show progress here.
    with open(log_path, "w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        result = execute_quarter(quarter, paths, handler, full_refresh=args.full_refresh)
    took = time.monotonic() - started
    print(f"full log: {log_path}", file=sys.stderr)
    if not result.success:
        print(
            f"✗ run for {quarter} failed after {took:.1f}s; no new release was written.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    release = _release_metadata(result)
    print(f"✓ {quarter} done in {took:.1f}s", file=sys.stderr)
    if release:
        print(f"release {release['release']} ({release['status']}): {release['path']}")
        print(f"analysts' database: {paths.published_db}")
    return EXIT_OK


def execute_quarter(
    quarter: str, paths: WarehousePaths, handler=None, *, full_refresh: bool = False
):
    """Materialize the whole quarterly job in this process; returns Dagster's result.
    ``full_refresh`` rebuilds the incremental staging tables from all raw rows."""
    from orchestration.dbt import FULL_REFRESH_TAG
    from orchestration.definitions import defs
    from orchestration.progress import ProgressHandler, use_progress_handler

    use_progress_handler(handler or ProgressHandler())
    job = defs.resolve_job_def("quarterly_release_job")
    return job.execute_in_process(
        partition_key=quarter,
        instance=_dagster_instance(paths),
        run_config={
            "resources": {"warehouse": {"config": {"root": str(paths.root)}}},
            "loggers": {"progress": {}},
        },
        tags={FULL_REFRESH_TAG: "true"} if full_refresh else None,
        raise_on_error=False,
    )


def _release_metadata(result) -> dict | None:
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            mat = event.event_specific_data.materialization
            if mat.asset_key.path == ["release", "quarterly_release"]:
                md = mat.metadata
                return {
                    "release": md["release"].value,
                    "status": md["status"].value,
                    "path": md["path"].value,
                }
    return None


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.feeds.generator import main as generator_main

    return generator_main(args.rest) or EXIT_OK


def cmd_stage_default(args: argparse.Namespace) -> int:
    from orchestration.feeds.default_data import stage_default_inbox

    paths = WarehousePaths.resolve(args.warehouse).ensure()
    staged = stage_default_inbox(paths.inbox)
    print(
        f"{paths.inbox}: {staged.program_files} program files, {staged.public_files} public files"
    )
    return EXIT_OK


def cmd_pull(args: argparse.Namespace) -> int:
    from orchestration.publish.pull import pull

    paths = WarehousePaths.resolve(args.warehouse)
    quarter = Quarter.parse(args.quarter).key if args.quarter else None
    result = pull(paths.releases, Path(args.to), quarter=quarter, fmt=args.format)
    print(
        f"pulled release {result.release_id}: {len(result.files)} files verified against "
        f"manifest.json → {result.destination}"
    )
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    """dbt's documentation site, generated from the build database into <warehouse>/docs/."""
    import subprocess

    from orchestration.settings import TRANSFORMS_DIR

    paths = WarehousePaths.resolve(args.warehouse)
    if not paths.build_db.exists():
        raise PledgeError(f"no build database at {paths.build_db}; run `pledge run` first")
    target = paths.root / "docs"
    env = {**os.environ, "PLEDGE_DUCKDB": str(paths.build_db), WAREHOUSE_ENV: str(paths.root)}
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    cmd = ["dbt", "docs", "generate", "--profiles-dir", ".", "--target-path", str(target)]
    if args.static:
        cmd.append("--static")
    done = subprocess.run(cmd, cwd=TRANSFORMS_DIR, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-4000:], file=sys.stderr)
        print(f"✗ dbt docs generate failed (exit {done.returncode})", file=sys.stderr)
        return EXIT_FAILED
    page = target / ("static_index.html" if args.static else "index.html")
    print(f"dbt docs: {page}")
    print(f"serve it: cd {TRANSFORMS_DIR} && dbt docs serve --target-path {target}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pledge",
        description="Pledge Warehouse: ingest the program feeds, build the indicator marts, "
        "publish the gated quarterly release.",
        epilog="Exit codes: 0 done, 1 run failed or release blocked, 2 usage error, "
        "3 input problem you can fix.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    warehouse_help = f"warehouse folder (default: ${WAREHOUSE_ENV} or ./warehouse)"

    run = sub.add_parser(
        "run",
        help="materialize everything for a quarter and publish its release",
        description="Ingest every new feed file, build the dbt marts for the quarter, run the "
        "checks and publish warehouse/releases/<quarter>/. An empty inbox is first filled with "
        "the embedded default data.",
        epilog="Exit codes: 0 release published (or unchanged); 1 a step failed or the quality "
        "gate blocked the release (the message lists each failed check); 2 usage error; 3 input "
        "problem you can fix (bad quarter key, empty inbox with --no-default-data, ...).",
    )
    run.add_argument("--quarter", help="quarter key such as 2026-Q2 (default: latest complete)")
    run.add_argument("--warehouse", help=warehouse_help)
    run.add_argument(
        "--no-default-data", action="store_true", help="fail instead of staging default data"
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild the incremental staging tables from every raw row (after a change to a "
        "staging model; a normal run re-decides only the keys of the newest loads)",
    )
    run.set_defaults(func=cmd_run)

    gen = sub.add_parser(
        "generate",
        help="write the seeded synthetic program feeds (see `pledge generate --help`)",
        add_help=False,
    )
    gen.add_argument("rest", nargs=argparse.REMAINDER)
    gen.set_defaults(func=cmd_generate)

    pull = sub.add_parser(
        "pull",
        help="copy a published release out of the warehouse, verified against its manifest",
        description="Copy the latest release (highest quarter, highest revision) or the one of "
        "--quarter into DIR/<release>/, checking every file against the sha256 in manifest.json "
        "before and after copying. On any mismatch or missing file nothing is copied.",
        epilog="Exit codes: 0 copied and verified; 2 usage error; 3 no such release, a file "
        "failed verification, or DIR/<release> already exists.",
    )
    pull.add_argument("--quarter", help="quarter key such as 2026-Q2 (default: the latest)")
    pull.add_argument("--to", required=True, metavar="DIR", help="destination folder")
    pull.add_argument(
        "--format",
        choices=("csv", "xlsx", "parquet"),
        help="copy only this data format (plus manifest, dictionary, page and reports)",
    )
    pull.add_argument("--warehouse", help=warehouse_help)
    pull.set_defaults(func=cmd_pull)

    docs = sub.add_parser(
        "docs",
        help="generate dbt's documentation site into <warehouse>/docs/",
        description="Run `dbt docs generate` against the build database (PLEDGE_DUCKDB) with "
        "the target path <warehouse>/docs: index.html, manifest.json and catalog.json (column "
        "types and comments from DuckDB). Run it after `pledge run`, not during one.",
        epilog="Exit codes: 0 done; 1 dbt failed; 3 no build database yet.",
    )
    docs.add_argument("--warehouse", help=warehouse_help)
    docs.add_argument(
        "--static", action="store_true", help="also write static_index.html (opens offline)"
    )
    docs.set_defaults(func=cmd_docs)

    stage = sub.add_parser(
        "stage-default",
        help="fill the inbox with the embedded default data",
        description="Write the seeded program feeds (2025-Q1..2026-Q3) and copy the vendored "
        "public releases into <warehouse>/inbox/. Files already there are kept.",
        epilog="Exit codes: 0 done; 2 usage error.",
    )
    stage.add_argument("--warehouse", help=warehouse_help)
    stage.set_defaults(func=cmd_stage_default)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["generate"]:
        # The generator owns its arguments (and its --help); pass them through untouched.
        from orchestration.feeds.generator import main as generator_main

        return generator_main(argv[1:]) or EXIT_OK
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (PledgeError, QuarterKeyError) as exc:
        print(f"pledge: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("pledge: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
