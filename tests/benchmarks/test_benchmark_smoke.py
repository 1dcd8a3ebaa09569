"""The benchmark at a tiny size, as a correctness smoke test: the hand-written SQL equals the dbt
marts, and the JSON report has every figure. Never asserts on time (docs/benchmarks.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--size",
            "2e4",
            "--work",
            str(tmp_path / "work"),
            "--no-incremental",
            "--no-fixed-cost",
            "--out",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    report = json.loads(out.read_text())
    assert report["cross_check"]["passed"]
    for mart, check in report["cross_check"]["marts"].items():
        assert check["equal"] and check["rows"] > 0, mart
    assert report["pipeline"]["success"]
    for stage in ("startup", "ingest", "dbt_build", "checks", "publication"):
        figures = report["pipeline"]["stages"][stage]
        assert figures["seconds"] >= 0 and figures["peak_rss"] > 0, stage
    for contender in ("pipeline", "raw_duckdb", "hand_sql", "pandas"):
        assert report[contender]["returncode"] == 0, contender
        assert report[contender]["seconds"] > 0 and report[contender]["peak_rss"] > 0, contender
    for name in ("ingest_over_raw_duckdb", "pipeline_over_hand_sql", "pandas_over_pipeline"):
        assert report["ratios"][name] is not None, name
    assert report["machine"]["nproc"] and report["machine"]["memory_bytes"]
