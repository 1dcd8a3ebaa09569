"""A compact progress display for runs started from the command line.

Dagster's console logger prints every event; a person running ``pledge run`` wants to see the
stages go by: each step as it starts and ends, each asset materialized, each check evaluated, and
failures in full. The UI keeps the complete event log either way.
"""

import logging
import sys
import time

import dagster as dg

_ICONS = {"ok": "✓", "fail": "✗", "warn": "!"}


class ProgressHandler(logging.Handler):
    def __init__(self, stream=None) -> None:
        super().__init__(logging.DEBUG)  # Dagster logs its events at DEBUG
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.step_started: dict[str, float] = {}
        self.materialized = 0
        self.checks_failed = 0

    def _say(self, text: str) -> None:
        elapsed = time.monotonic() - self.started
        print(f"[{elapsed:6.1f}s] {text}", file=self.stream, flush=True)

    @staticmethod
    def _is_noise(record: logging.LogRecord) -> bool:
        # dagster-dbt reports each dbt test on a source (our ingest assets) as an observation and
        # warns about it once per test; the tests still run and fail the build when they fail.
        return "Logging an `AssetObservation` instead of an `AssetCheckResult`" in (
            record.getMessage()
        )

    def emit(self, record: logging.LogRecord) -> None:  # noqa: C901 - one branch per event kind
        event = getattr(record, "dagster_event", None)
        if event is None:
            if record.levelno >= logging.WARNING and not self._is_noise(record):
                self._say(f"{_ICONS['warn']} {record.getMessage()}")
            return
        kind = event.event_type_value
        step = event.step_key or ""
        if kind == "STEP_START":
            self.step_started[step] = time.monotonic()
            self._say(f"▶ {step}")
        elif kind == "STEP_SUCCESS":
            took = time.monotonic() - self.step_started.get(step, self.started)
            self._say(f"{_ICONS['ok']} {step} ({took:.1f}s)")
        elif kind == "STEP_FAILURE":
            err = event.step_failure_data.error if event.step_failure_data else None
            msg = err.message.strip() if err else record.getMessage()
            self._say(f"{_ICONS['fail']} {step} failed: {msg}")
        elif kind == "STEP_SKIPPED":
            self._say(f"- {step} skipped (an upstream step failed)")
        elif kind == "ASSET_MATERIALIZATION":
            self.materialized += 1
            key = event.asset_key.to_user_string() if event.asset_key else "?"
            self._say(f"  {_ICONS['ok']} {key}")
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if data is not None and not data.passed:
                self.checks_failed += 1
                self._say(
                    f"  {_ICONS['fail']} check {data.asset_key.to_user_string()}:"
                    f"{data.check_name} failed ({data.severity.value})"
                )


class _Current:
    """The handler of the run this process is driving (the CLI sets a fresh one per run)."""

    handler: ProgressHandler | None = None


def use_progress_handler(handler: ProgressHandler) -> ProgressHandler:
    _Current.handler = handler
    return handler


@dg.logger(description="Compact progress lines on stderr (used by `pledge run`)")
def progress_logger(_init_context) -> logging.Logger:
    log = logging.getLogger("pledge.progress")
    log.setLevel(logging.DEBUG)
    log.handlers = [_Current.handler or use_progress_handler(ProgressHandler())]
    log.propagate = False
    return log
