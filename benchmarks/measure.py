"""Run a worker in a subprocess and sample the RSS of its whole process tree from /proc."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def tree_rss(pid: int) -> int:
    """Bytes resident in ``pid`` and all its descendants (dbt runs in a child of the job)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except OSError:
            continue
        todo += _children(p)
    return total


@dataclass
class Measured:
    wall: float
    peak_rss: int
    returncode: int
    started: float  # time.time() at launch
    samples: list[tuple[float, int]] = field(default_factory=list)
    result: dict = field(default_factory=dict)
    killed: str | None = None  # "timeout" | "memory" when the guard stopped it
    stderr_tail: str = ""

    def peak_between(self, start: float, end: float) -> int:
        inside = [r for t, r in self.samples if start <= t <= end]
        return max(inside, default=0)


def run_worker(
    name: str,
    args: dict,
    workdir: Path,
    *,
    timeout: float | None = None,
    mem_limit: int | None = None,
    interval: float = 0.05,
) -> Measured:
    """``python -m benchmarks.worker <name> <args.json>``; the worker writes its JSON result."""
    workdir.mkdir(parents=True, exist_ok=True)
    result_path = workdir / f"{name}.result.json"
    result_path.unlink(missing_ok=True)
    args = {**args, "result": str(result_path)}
    err_path = workdir / f"{name}.stderr.log"
    started = time.time()
    t0 = time.perf_counter()
    with open(err_path, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.worker", name, json.dumps(args)],
            stdout=err,
            stderr=err,
            cwd=Path(__file__).resolve().parents[1],
        )
    samples: list[tuple[float, int]] = []
    killed: list[str] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss = tree_rss(proc.pid)
            samples.append((time.time(), rss))
            if mem_limit and rss > mem_limit and not killed:
                killed.append("memory")
                proc.kill()
            if timeout and time.perf_counter() - t0 > timeout and not killed:
                killed.append("timeout")
                proc.kill()
            done.wait(interval)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    rc = proc.wait()
    wall = time.perf_counter() - t0
    done.set()
    thread.join()
    result = json.loads(result_path.read_text()) if result_path.exists() else {}
    tail = err_path.read_text(errors="replace")[-3000:] if rc else ""
    return Measured(
        wall,
        max((r for _, r in samples), default=0),
        rc,
        started,
        samples,
        result,
        killed[0] if killed else None,
        tail,
    )
