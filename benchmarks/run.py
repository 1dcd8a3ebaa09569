"""``python -m benchmarks --size 1e6``: the pipeline vs raw DuckDB, hand-written SQL and pandas.

Every figure comes from one invocation on the same files: each contender runs in its own
subprocess while this process samples the RSS of its process tree (/proc, every 50 ms). The
pipeline's stages (ingest, dbt build, checks, publication) are cut from Dagster's step events.
Results: printed, and written to benchmarks/results/<size>.json. Exit 1 when the hand-written SQL
and the dbt marts differ, or the pipeline fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

import duckdb

from benchmarks.handsql import MARTS
from benchmarks.measure import Measured, run_worker

RESULTS = Path(__file__).resolve().parent / "results"
QUARTER = "2026-Q3"
PREVIOUS = "2026-Q2"
GiB = 1024**3


def _stage_of(step_key: str) -> str:
    if step_key.startswith("ingest"):
        return "ingest"
    if "dbt" in step_key:
        return "dbt_build"
    if "release" in step_key:
        return "publication"
    return "checks" if "gate" in step_key or "check" in step_key else "other"


def stages(m: Measured) -> dict[str, dict]:
    """Wall time and peak RSS per stage, plus the start-up before the first step."""
    steps = m.result.get("steps", {})
    out: dict[str, dict] = {}
    first = min((s["start"] for s in steps.values() if "start" in s), default=m.started)
    out["startup"] = {
        "seconds": first - m.started,
        "peak_rss": m.peak_between(m.started, first),
        "steps": [],
    }
    for key, s in sorted(steps.items(), key=lambda kv: kv[1].get("start", 0)):
        if "start" not in s or "end" not in s:
            continue
        st = out.setdefault(_stage_of(key), {"seconds": 0.0, "peak_rss": 0, "steps": []})
        st["seconds"] += s["end"] - s["start"]
        st["peak_rss"] = max(st["peak_rss"], m.peak_between(s["start"], s["end"]))
        st["steps"].append(key)
    return out


def _link_tree(src: Path, dst: Path, keep=lambda p: True) -> None:
    for p in sorted(src.rglob("*.csv")):
        if not keep(p):
            continue
        target = dst / p.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            try:
                os.link(p, target)
            except OSError:
                shutil.copyfile(p, target)


def prepare_data(work: Path, size_rows: float, workforce_cap: float | None) -> tuple[Path, dict]:
    """Program feeds (cached per size under work/) plus the vendored public files."""
    from orchestration.feeds.default_data import public_files
    from orchestration.feeds.generator import size_for_weekly_rows

    size = size_for_weekly_rows(int(size_rows), "2025-Q1", QUARTER)
    wf = (
        size_for_weekly_rows(int(workforce_cap), "2025-Q1", QUARTER)
        if (workforce_cap and workforce_cap < size_rows)
        else None
    )
    tag = f"{size_rows:g}" + (f"-wf{workforce_cap:g}" if wf else "")
    data = work / f"data-{tag}"
    marker = data / ".generated.json"
    if not marker.exists():
        shutil.rmtree(data, ignore_errors=True)
        m = run_worker(
            "generate",
            {
                "out": str(data / "feeds"),
                "size": size,
                "workforce_size": wf,
                "last_quarter": QUARTER,
            },
            work,
        )
        if m.returncode:
            raise SystemExit(f"generation failed:\n{m.stderr_tail}")
        for src, feed in public_files():
            (data / "feeds" / feed).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, data / "feeds" / feed / src.name)
        info = {
            "size_factor": size,
            "workforce_size_factor": wf,
            "generate_seconds": m.wall,
            "rows": m.result["rows"],
        }
        marker.write_text(json.dumps(info))
    info = json.loads(marker.read_text())
    feeds = data / "feeds"
    info["bytes"] = sum(p.stat().st_size for p in feeds.rglob("*.csv"))
    return feeds, info


def cross_check(build_db: str, hand_db: str) -> dict:
    """Hand-written SQL vs the dbt marts, exactly, on the columns the hand SQL computes."""
    con = duckdb.connect()
    con.execute(f"attach '{build_db}' as p (read_only)")
    con.execute(f"attach '{hand_db}' as h (read_only)")
    out = {}
    for mart, cols in MARTS.items():
        (schema,) = con.execute(
            "select schema_name from duckdb_tables() where database_name = 'p' and table_name = ?",
            [mart],
        ).fetchone()
        c = ", ".join(cols)
        pq, hq = f"select {c} from p.{schema}.{mart}", f"select {c} from h.main.{mart}"
        only_p = con.execute(f"select count(*) from ({pq} except all {hq})").fetchone()[0]
        only_h = con.execute(f"select count(*) from ({hq} except all {pq})").fetchone()[0]
        rows = con.execute(f"select count(*) from ({pq})").fetchone()[0]
        out[mart] = {
            "rows": rows,
            "only_in_dbt": only_p,
            "only_in_hand_sql": only_h,
            "equal": only_p == 0 and only_h == 0,
        }
    con.close()
    return out


def _fig(m: Measured) -> dict:
    return {
        "seconds": round(m.wall, 3),
        "peak_rss": m.peak_rss,
        "returncode": m.returncode,
        "killed": m.killed,
    }


def machine() -> dict:
    with open("/proc/meminfo") as fh:
        mem = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("MemTotal"))
    return {
        "nproc": os.cpu_count(),
        "memory_bytes": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "loadavg_at_start": os.getloadavg(),
    }


def fixed_cost(work: Path) -> dict:
    """The main job on the embedded default data, and what its start-up is made of."""
    wh = work / "fixed-wh"
    shutil.rmtree(wh, ignore_errors=True)
    from orchestration.feeds.default_data import stage_default_inbox

    stage_default_inbox(wh / "inbox")
    m = run_worker("pipeline", {"warehouse": str(wh), "quarter": QUARTER}, work / "fixed")
    probes = {}
    for name, module in (
        ("interpreter", None),
        ("dagster", "dagster"),
        ("orchestration.definitions", "orchestration.definitions"),
        ("great_expectations", "great_expectations"),
        ("dbt", "dbt.cli.main"),
        ("polars", "polars"),
        ("pandas", "pandas"),
    ):
        p = run_worker("probe", {"module": module}, work / "probes")
        probes[name] = {
            "process_seconds": round(p.wall, 3),
            "import_seconds": round(p.result.get("seconds", 0), 3),
        }
    out = {
        "pipeline": _fig(m),
        "stages": stages(m),
        "imports": probes,
        "success": m.result.get("success"),
    }
    shutil.rmtree(wh, ignore_errors=True)
    return out


def marts_equal(db_a: str, db_b: str) -> dict:
    """Every table of the marts schema, row for row (EXCEPT ALL both ways)."""
    con = duckdb.connect()
    con.execute(f"attach '{db_a}' as a (read_only)")
    con.execute(f"attach '{db_b}' as b (read_only)")
    names = [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'b' "
            "and schema_name = 'marts' order by 1"
        ).fetchall()
    ]
    differing = []
    for n in names:
        qa, qb = f'select * from a.marts."{n}"', f'select * from b.marts."{n}"'
        (diff,) = con.execute(
            f"select (select count(*) from ({qa} except all {qb})) "
            f"+ (select count(*) from ({qb} except all {qa}))"
        ).fetchone()
        if diff:
            differing.append(n)
    con.close()
    return {"marts": len(names), "differing": differing, "equal": bool(names) and not differing}


def incremental(work: Path, feeds: Path, full_build_db: str | None) -> dict:
    """History up to the previous quarter built first; then ingest + publish the next quarter.
    The incremental warehouse's marts must equal the full build's."""
    wh = work / "incr-wh"
    shutil.rmtree(wh, ignore_errors=True)
    _link_tree(feeds, wh / "inbox", keep=lambda p: QUARTER not in p.name)
    first = run_worker("pipeline", {"warehouse": str(wh), "quarter": PREVIOUS}, work / "incr1")
    _link_tree(feeds, wh / "inbox")
    nxt = run_worker("pipeline", {"warehouse": str(wh), "quarter": QUARTER}, work / "incr2")
    same = (
        marts_equal(nxt.result["build_db"], full_build_db)
        if full_build_db and nxt.result.get("success")
        else None
    )
    shutil.rmtree(wh, ignore_errors=True)
    return {
        "history_run": _fig(first),
        "next_quarter": _fig(nxt),
        "stages": stages(nxt),
        "marts_equal_full_build": same,
        "success": bool(first.result.get("success") and nxt.result.get("success")),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    ap.add_argument(
        "--size",
        type=float,
        required=True,
        help="weekly supplier rows (1e5, 1e6, 1e7); other feeds scale with it",
    )
    ap.add_argument(
        "--work",
        type=Path,
        default=Path(os.environ.get("TMPDIR", "/tmp")) / "pledge-bench",
        help="scratch folder: data, warehouses (default /tmp)",
    )
    ap.add_argument(
        "--workforce-cap",
        type=float,
        default=None,
        help="scale the workforce feed as for this many weekly rows at most "
        "(sub-linear roster for 1e7 runs)",
    )
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--pandas-timeout", type=float, default=1800.0)
    ap.add_argument("--pandas-mem-gb", type=float, default=12.0)
    ap.add_argument("--no-incremental", action="store_true")
    ap.add_argument("--no-fixed-cost", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the warehouses in --work")
    ap.add_argument(
        "--out", type=Path, default=None, help="JSON path (default benchmarks/results/<size>.json)"
    )
    args = ap.parse_args(argv)
    work = args.work / f"{args.size:g}"
    work.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    report: dict = {
        "command": "python -m benchmarks " + " ".join(argv or sys.argv[1:]),
        "size": args.size,
        "machine": machine(),
        "quarter": QUARTER,
    }
    log(f"data for {args.size:g} weekly rows")
    feeds, report["data"] = prepare_data(args.work, args.size, args.workforce_cap)
    log(f"  {sum(report['data']['rows'].values()):,} rows, {report['data']['bytes'] / 1e9:.2f} GB")

    wh = work / "pipeline-wh"
    shutil.rmtree(wh, ignore_errors=True)
    _link_tree(feeds, wh / "inbox")
    log("pipeline (full build)")
    pipe = run_worker("pipeline", {"warehouse": str(wh), "quarter": QUARTER}, work / "pipeline")
    report["pipeline"] = {
        **_fig(pipe),
        "success": pipe.result.get("success"),
        "stages": stages(pipe),
    }
    log(
        f"  {pipe.wall:.1f}s, peak {pipe.peak_rss / GiB:.2f} GiB, success "
        f"{pipe.result.get('success')}"
    )

    log("baseline raw DuckDB load")
    raw_db = work / "raw.duckdb"
    raw_db.unlink(missing_ok=True)
    raw = run_worker("raw", {"inbox": str(feeds), "db": str(raw_db)}, work / "raw")
    report["raw_duckdb"] = {**_fig(raw), **raw.result}
    raw_db.unlink(missing_ok=True)

    log("baseline hand-written SQL")
    hand_db = work / "hand.duckdb"
    hand_db.unlink(missing_ok=True)
    hand = run_worker(
        "handsql", {"inbox": str(feeds), "db": str(hand_db), "quarter": QUARTER}, work / "handsql"
    )
    report["hand_sql"] = {**_fig(hand), **hand.result}
    check = {}
    if pipe.result.get("success") and hand.returncode == 0:
        check = cross_check(pipe.result["build_db"], str(hand_db))
    report["cross_check"] = {
        "marts": check,
        "passed": bool(check) and all(c["equal"] for c in check.values()),
    }
    log(f"  cross-check hand SQL = dbt marts: {report['cross_check']['passed']}")

    if not args.no_pandas:
        log("baseline pandas")
        pd_run = run_worker(
            "pandas",
            {"inbox": str(feeds), "quarter": QUARTER},
            work / "pandas",
            timeout=args.pandas_timeout,
            mem_limit=int(args.pandas_mem_gb * GiB),
        )
        report["pandas"] = {
            **_fig(pd_run),
            **pd_run.result,
            "limits": {"timeout_seconds": args.pandas_timeout, "memory_gb": args.pandas_mem_gb},
        }
    if not args.no_incremental:
        log("incremental: history to the previous quarter, then the next quarter")
        report["incremental"] = incremental(
            work, feeds, pipe.result.get("build_db") if pipe.result.get("success") else None
        )
        same = report["incremental"]["marts_equal_full_build"]
        log(f"  incremental marts = full build marts: {same and same['equal']}")
    if not args.no_fixed_cost:
        log("fixed cost: the main job on the embedded default data")
        report["fixed_cost"] = fixed_cost(work)

    st = report["pipeline"]["stages"]
    ingest_s = st.get("ingest", {}).get("seconds")
    pd_s = (
        report.get("pandas", {}).get("seconds")
        if not report.get("pandas", {}).get("killed")
        else None
    )
    report["ratios"] = {
        "ingest_over_raw_duckdb": ratio(ingest_s, raw.wall),
        "pipeline_over_hand_sql": ratio(pipe.wall, hand.wall),
        "pandas_over_pipeline": ratio(pd_s, pipe.wall),
        "incremental_over_full": ratio(
            report.get("incremental", {}).get("next_quarter", {}).get("seconds"), pipe.wall
        ),
    }
    report["machine"]["loadavg_at_end"] = os.getloadavg()
    out = args.out or RESULTS / f"{args.size:g}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, default=str) + "\n")
    print(summary(report))
    print(f"written: {out}")
    if not args.keep:
        shutil.rmtree(wh, ignore_errors=True)
        hand_db.unlink(missing_ok=True)
    ok = bool(report["pipeline"]["success"]) and report["cross_check"]["passed"]
    same = report.get("incremental", {}).get("marts_equal_full_build")
    if same is not None and not same["equal"]:
        print(f"incremental marts differ from the full build: {same['differing']}")
        ok = False
    return 0 if ok else 1


def summary(r: dict) -> str:
    def line(name: str, f: dict | None) -> str:
        if not f:
            return f"  {name:<28} -"
        extra = f" ({f['killed']})" if f.get("killed") else ""
        return (
            f"  {name:<28} {f['seconds']:>9.1f}s  peak RSS {f['peak_rss'] / GiB:6.2f} GiB" + extra
        )

    out = [
        f"size {r['size']:g} weekly rows — {sum(r['data']['rows'].values()):,} rows in "
        f"{r['data']['bytes'] / 1e9:.2f} GB; {r['machine']['nproc']} cores, "
        f"{r['machine']['memory_bytes'] / GiB:.0f} GiB"
    ]
    out.append(line("pipeline (full quarter)", r["pipeline"]))
    for name, s in r["pipeline"]["stages"].items():
        out.append(f"    {name:<26} {s['seconds']:>9.1f}s  peak RSS {s['peak_rss'] / GiB:6.2f} GiB")
    out.append(line("raw DuckDB load (limit)", r["raw_duckdb"]))
    out.append(line("hand-written SQL", r["hand_sql"]))
    out.append(line("pandas", r.get("pandas")))
    if "incremental" in r:
        out.append(line("incremental next quarter", r["incremental"]["next_quarter"]))
    if "fixed_cost" in r:
        out.append(line("fixed cost (default data)", r["fixed_cost"]["pipeline"]))
    out.append(f"  cross-check hand SQL = dbt: {r['cross_check']['passed']}")
    out += [f"  {k:<28} {v}" for k, v in r["ratios"].items()]
    return "\n".join(out)
