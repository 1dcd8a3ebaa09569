"""The Dagster home of a warehouse: run history for `pledge run` and `make dagster` alike.

One run at a time: DuckDB allows a single writer per file, so the run queue admits one run and a
UI launch that overlaps a sensor's run waits instead of failing on the file lock.
"""

from __future__ import annotations

import sys
from pathlib import Path

DAGSTER_YAML = """\
# Written by Pledge Warehouse (orchestration/instance.py); edit freely, it is not overwritten.
telemetry:
  enabled: false
run_queue:
  max_concurrent_runs: 1
"""


def ensure_dagster_home(home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home


if __name__ == "__main__":  # `python -m orchestration.instance DIR` (used by `make dagster`)
    print(ensure_dagster_home(Path(sys.argv[1]).resolve()))
