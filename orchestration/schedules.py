"""Quarterly schedule: a fortnight after a quarter closes, publish that quarter."""

import dagster as dg

from orchestration.jobs import quarterly_release_job
from orchestration.quarters import Quarter


@dg.schedule(
    job=quarterly_release_job,
    cron_schedule="0 6 15 1,4,7,10 *",
    execution_timezone="America/New_York",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def quarterly_release_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    tick = context.scheduled_execution_time.date()
    quarter = Quarter.of(tick).previous().key
    return dg.RunRequest(run_key=f"scheduled-{quarter}", partition_key=quarter)
