"""Where a published figure comes from: the feed rows (file, sha256, line) that add up to it.

Every staging model keeps the lineage of each row (``_source_file``, ``_source_line``,
``_load_id``); ``audit.file_loads`` gives the file's sha256 for that load, the release manifest
lists the same files and hashes under ``sources``, and ``<warehouse>/archive/<sha256>`` keeps the
file's bytes. ``trace(con, mart, key)`` runs on the build database (between builds) and returns the
rows whose ``value`` sum reproduces the mart's figure ``FIGURES[mart]`` for that key.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Trace:
    figure: str  # the mart column the rows add up to
    sql: str  # select _source_file, sha256, _source_line, value ... ; parameters $-named


_LINEAGE = "join audit.file_loads f on f.file = s._source_file and f.load_id = s._load_id"

TRACES: dict[str, Trace] = {
    "fct_operations_throughput": Trace(
        "total_output_units",
        f"""select s._source_file, f.sha256, s._source_line, s.output_units as value
            from staging.stg_supplier__weekly_production s {_LINEAGE}
            where s.is_domestic and s.quarter = $quarter
              and ($sector = 'all' or s.sector = $sector)""",
    ),
    "fct_chains_diversification": Trace(
        "total_input_value_usd",
        f"""select s._source_file, f.sha256, s._source_line, s.value_usd as value
            from staging.stg_supplier__input_sourcing s {_LINEAGE}
            join intermediate.int_reference__facilities r on r.facility_id = s.facility_id
            where s.quarter = $quarter and ($sector = 'all' or r.sector = $sector)""",
    ),
    "fct_workforce_by_region": Trace(
        "enrolled",
        f"""select s._source_file, f.sha256, s._source_line, s.enrolled as value
            from staging.stg_workforce__training_reports s {_LINEAGE}
            join reference.states st on st.state_code = s.state_code
            where s.quarter = $quarter and st.census_region = $census_region""",
    ),
    "fct_workforce_impact": Trace(
        "enrolled",
        f"""select s._source_file, f.sha256, s._source_line, s.enrolled as value
            from staging.stg_workforce__training_reports s {_LINEAGE}
            where s.quarter = $quarter""",
    ),
}


def trace(con: duckdb.DuckDBPyConnection, mart: str, key: dict) -> list[dict]:
    """The source rows of ``mart``'s figure at ``key``: file, sha256, line, value."""
    t = TRACES[mart]
    params = {k: v for k, v in key.items() if f"${k}" in t.sql}
    rows = con.execute(t.sql + " order by 1, 3", params).fetchall()
    return [{"file": r[0], "sha256": r[1], "line": r[2], "value": r[3]} for r in rows]
