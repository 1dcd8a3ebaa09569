"""Write the first version of the expectation suites in ``expectations/suites/`` (run once, then
review and edit the YAML like code).

``python -m orchestration.checks.scaffold <build.duckdb>`` derives, per raw table, the schema from
the feed contract (``orchestration/feeds/contracts.yml``) and, per released mart, from the dbt
manifest (columns, documented types, keys from its uniqueness tests), plus the value rules both
declare (not null, min/max, allowed values, 0-1 shares). Existing files are not overwritten unless
``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from orchestration.feeds.contracts import load_contracts
from orchestration.settings import EXPECTATIONS_DIR

LINEAGE = {
    "_source_file": "VARCHAR",
    "_source_sha256": "VARCHAR",
    "_source_line": "BIGINT",
    "_load_id": "VARCHAR",
    "_loaded_at": "TIMESTAMP",
}
# Mart columns that are shares or rates on a 0-1 scale.
UNIT_INTERVAL_SUFFIXES = ("_share", "_rate", "_hhi")
# Mart columns that can never be negative (output, money to date, counts).
NON_NEGATIVE = {
    "total_output_units",
    "avg_weekly_output_units",
    "avg_weekly_design_capacity_units",
    "total_input_value_usd",
    "domestic_input_value_usd",
    "foreign_input_value_usd",
    "cumulative_obligated_usd",
    "cumulative_loan_face_value_usd",
    "loan_face_value_usd",
    "enrolled",
    "completed",
    "cumulative_completed",
    "lines_announced",
    "mines_upgraded",
}
# Raw columns that may not be negative although the contract sets no minimum (only contract
# transactions may carry de-obligations: federal_action_obligation < 0).
RAW_NON_NEGATIVE = {("assistance_awards", "total_obligated_amount")}


def _exp(kind: str, severity: str = "fatal", **kwargs: Any) -> dict[str, Any]:
    return {"type": kind, "kwargs": kwargs, "severity": severity}


def raw_suite(table) -> dict[str, Any]:
    columns = {c.name: c.duckdb_type.upper() for c in table.columns}
    if getattr(table, "extra_columns", "ignore") == "keep":
        columns["extra"] = "JSON"
    columns.update(LINEAGE)
    exps = [_exp("expect_table_columns_to_match_set", column_set=list(columns), exact_match=True)]
    for c in table.columns:
        if c.pii:
            continue  # personal data: no value rules, so no value can reach a report
        if c.name in table.key or not c.nullable:
            exps.append(_exp("expect_column_values_to_not_be_null", column=c.name))
        if c.min is not None or c.max is not None:
            exps.append(
                _exp(
                    "expect_column_values_to_be_between",
                    column=c.name,
                    min_value=c.min,
                    max_value=c.max,
                )
            )
        elif (table.name, c.name) in RAW_NON_NEGATIVE:
            exps.append(_exp("expect_column_values_to_be_between", column=c.name, min_value=0))
        if c.allowed:
            exps.append(
                _exp("expect_column_values_to_be_in_set", column=c.name, value_set=list(c.allowed))
            )
    # Within one delivered file (one sha256) a key is unique: a repeated key is quarantined at
    # ingest. A corrected file, even under the same name, is a new sha256 and supersedes the older
    # one in staging.
    exps.append(
        _exp("expect_compound_columns_to_be_unique", column_list=[*table.key, "_source_sha256"])
    )
    exps.append(_exp("expect_table_row_count_to_be_between", severity="warning", min_value=1))
    return {
        "name": f"raw_{table.feed}.{table.name}",
        "kind": "raw",
        "target": ["raw", table.feed, table.name],
        "relation": f"raw_{table.feed}.{table.name}",
        "columns": columns,
        "expectations": exps,
    }


def _mart_key(manifest: dict, uid: str, node: dict) -> list[str]:
    for child in manifest["child_map"].get(uid, []):
        test = manifest["nodes"].get(child) or {}
        meta = test.get("test_metadata") or {}
        if test.get("attached_node") != uid:
            continue
        if meta.get("name") == "unique_combination_of_columns":
            kwargs = meta.get("kwargs") or {}
            cols = kwargs.get("combination_of_columns") or (kwargs.get("arguments") or {}).get(
                "combination_of_columns"
            )
            if cols:
                return list(cols)
        if meta.get("name") == "unique" and test.get("column_name"):
            return [test["column_name"]]
    return []


def mart_suite(manifest: dict, uid: str) -> dict[str, Any]:
    node = manifest["nodes"][uid]
    cols = {c["name"]: (c.get("data_type") or "").upper() for c in node["columns"].values()}
    exps = [_exp("expect_table_columns_to_match_ordered_list", column_list=list(cols))]
    key = _mart_key(manifest, uid, node)
    for k in key:
        exps.append(_exp("expect_column_values_to_not_be_null", column=k))
    if len(key) == 1:
        exps.append(_exp("expect_column_values_to_be_unique", column=key[0]))
    elif key:
        exps.append(_exp("expect_compound_columns_to_be_unique", column_list=key))
    for name in cols:
        if name.endswith(UNIT_INTERVAL_SUFFIXES):
            exps.append(
                _exp("expect_column_values_to_be_between", column=name, min_value=0, max_value=1)
            )
        elif name in NON_NEGATIVE:
            exps.append(_exp("expect_column_values_to_be_between", column=name, min_value=0))
    if "quarter" in cols and node["name"] != "dim_quarters":
        exps.append(
            _exp("expect_column_values_to_match_regex", column="quarter", regex=r"^\d{4}-Q[1-4]$")
        )
    exps.append(_exp("expect_table_row_count_to_be_between", min_value=1))
    return {
        "name": node["name"],
        "kind": "mart",
        "model": node["name"],
        "target": ["marts", node["name"]],
        "columns": cols,
        "expectations": exps,
    }


def write(suite: dict[str, Any], folder: Path, force: bool) -> Path:
    path = folder / f"{suite['name']}.yml"
    if path.exists() and not force:
        return path
    header = (
        f"# Great Expectations suite for {suite['name']} ({suite['kind']}), kept as data.\n"
        "# columns: the schema and DuckDB types the table must have (checked in the catalog).\n"
        "# expectations: GX expectation type + kwargs, each with a severity (fatal | warning).\n"
    )
    path.write_text(header + yaml.safe_dump(suite, sort_keys=False, width=100), "utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    from orchestration.dbt import load_manifest, released_marts

    contracts = load_contracts()
    for table in contracts.tables.values():
        write(raw_suite(table), EXPECTATIONS_DIR / "suites" / "raw", args.force)
    manifest = load_manifest()
    for node in released_marts():
        write(
            mart_suite(manifest, node["unique_id"]),
            EXPECTATIONS_DIR / "suites" / "marts",
            args.force,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
