"""Build dbt ``--vars`` for a quarterly partition.

dbt_project.yml declares defaults for the same names, so a plain ``dbt build`` still works.
"""

from __future__ import annotations

import json

from orchestration.quarters import Quarter


def build_dbt_vars(quarter: str) -> dict[str, str | int]:
    q = Quarter.parse(quarter)
    return {
        "release_quarter": q.key,
        "release_quarter_start": q.start.isoformat(),
        "release_quarter_end": q.end.isoformat(),
        "release_fiscal_year": q.fiscal_year,
        "release_fiscal_quarter": q.fiscal_quarter,
    }


def dbt_vars_args(quarter: str) -> list[str]:
    """The ``--vars`` argument pair for a dbt command, JSON with sorted keys (stable, loggable)."""
    return ["--vars", json.dumps(build_dbt_vars(quarter), sort_keys=True)]
