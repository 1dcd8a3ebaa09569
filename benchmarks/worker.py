"""Subprocess entry points of the benchmark: ``python -m benchmarks.worker <name> <json args>``."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def generate(a: dict) -> dict:
    from orchestration.feeds.generator import generate as gen

    summary = gen(
        Path(a["out"]),
        size=a["size"],
        workforce_size=a.get("workforce_size"),
        first_quarter="2025-Q1",
        last_quarter=a["last_quarter"],
    )
    return {"rows": summary.rows, "seconds": summary.seconds}


def pipeline(a: dict) -> dict:
    """The main job for one quarter; step windows from Dagster's event log (wall clock)."""
    t_start = time.time()
    import contextlib

    from orchestration.cli import execute_quarter
    from orchestration.settings import WAREHOUSE_ENV, WarehousePaths

    paths = WarehousePaths.resolve(a["warehouse"]).ensure()
    os.environ[WAREHOUSE_ENV] = str(paths.root)
    t_imported = time.time()
    with open(paths.root / "bench-run.log", "w") as log, contextlib.redirect_stdout(log):
        result = execute_quarter(a["quarter"], paths)
    import dagster as dg

    steps: dict[str, dict] = {}
    for entry in dg.DagsterInstance.get().all_logs(result.run_id):
        e = entry.dagster_event
        if e is None or not e.step_key:
            continue
        s = steps.setdefault(e.step_key, {})
        if e.event_type_value == "STEP_START":
            s["start"] = entry.timestamp
        elif e.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            s["end"] = entry.timestamp
            s["status"] = e.event_type_value
    return {
        "success": result.success,
        "process_start": t_start,
        "imported": t_imported,
        "steps": steps,
        "build_db": str(paths.build_db),
    }


def raw(a: dict) -> dict:
    """Baseline 1, the limit: DuckDB's own CSV reader into one table per file, one process."""
    import duckdb

    con = duckdb.connect(a["db"])
    files = sorted(Path(a["inbox"]).glob("*/*.csv"))
    rows = failed = 0
    for i, f in enumerate(files):
        try:
            con.execute(
                f"create table t{i} as select * from read_csv('{f}', quote = '\"', "
                "escape = '\"', sample_size = -1)"
            )
            rows += con.execute(f"select count(*) from t{i}").fetchone()[0]
        except duckdb.Error:
            # public files with preambles; load them as text lines so the bytes are still read
            con.execute(
                f"create table t{i} as select * from read_csv('{f}', all_varchar = true, "
                "header = false, null_padding = true, strict_mode = false, "
                "ignore_errors = true, delim = ',', quote = '\"')"
            )
            failed += 1
    con.close()
    return {"files": len(files), "rows": rows, "files_read_as_text": failed}


def handsql(a: dict) -> dict:
    import duckdb

    from benchmarks.handsql import MARTS, sql

    con = duckdb.connect(a["db"])
    con.execute(sql(Path(a["inbox"]), a["quarter"]))
    for mart in MARTS:
        con.execute(f"create or replace table {mart} as select * from hand_{mart}")
    counts = {m: con.execute(f"select count(*) from {m}").fetchone()[0] for m in MARTS}
    con.close()
    return {"rows": counts}


def pandas(a: dict) -> dict:
    from benchmarks import pandas_baseline as pb

    t0 = time.perf_counter()
    tables = pb.ingest(Path(a["inbox"]))
    t1 = time.perf_counter()
    marts = pb.marts(tables, a["quarter"])
    t2 = time.perf_counter()
    return {
        "ingest_seconds": t1 - t0,
        "marts_seconds": t2 - t1,
        "rows": {k: len(v) for k, v in marts.items()},
        "input_rows": sum(len(v) for v in tables.values()),
    }


def probe(a: dict) -> dict:
    """Import cost of one module, measured inside a fresh interpreter."""
    t0 = time.perf_counter()
    if a.get("module"):
        __import__(a["module"])
    return {"seconds": time.perf_counter() - t0}


WORKERS = {
    "generate": generate,
    "pipeline": pipeline,
    "raw": raw,
    "handsql": handsql,
    "pandas": pandas,
    "probe": probe,
}

if __name__ == "__main__":
    name, args = sys.argv[1], json.loads(sys.argv[2])
    out = WORKERS[name](args)
    Path(args["result"]).write_text(json.dumps(out, default=str))
