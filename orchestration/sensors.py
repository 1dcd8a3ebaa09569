"""Inbox sensor: a new or changed feed file starts a run for the latest complete quarter."""

import hashlib
from datetime import date

import dagster as dg

from orchestration.jobs import quarterly_release_job
from orchestration.quarters import latest_complete_quarter
from orchestration.settings import FEED_FOLDERS, WarehousePaths


def inbox_fingerprint(paths: WarehousePaths) -> tuple[str, list[str]]:
    """A digest of the inbox listing (name, size, mtime) and the files it saw."""
    seen = []
    for feed in FEED_FOLDERS:
        folder = paths.feed_inbox(feed)
        if folder.is_dir():
            for p in sorted(folder.iterdir()):
                if p.is_file() and not p.name.startswith("."):
                    st = p.stat()
                    seen.append(f"{feed}/{p.name}:{st.st_size}:{int(st.st_mtime)}")
    return hashlib.sha256("\n".join(seen).encode()).hexdigest(), seen


@dg.sensor(
    job=quarterly_release_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    digest, seen = inbox_fingerprint(WarehousePaths.resolve())
    if not seen or digest == context.cursor:
        return dg.SkipReason("no new files in the inbox")
    context.update_cursor(digest)
    quarter = latest_complete_quarter(date.today())
    return dg.RunRequest(run_key=f"inbox-{digest[:16]}", partition_key=quarter)
