"""Run the Great Expectations suites of ``expectations/suites/`` on tables of the build database.

Execution path: each table is fetched once from DuckDB (Arrow → pandas) and validated by GX's
*pandas* datasource, all expectations of the suite in one ``ValidationDefinition.run``. GX's SQL
datasource is not used: it needs a SQLAlchemy DuckDB dialect (duckdb-engine), which the project
does not ship, and with it GX 1.x is reported to fail every expectation (MetricResolutionError).

GX takes several seconds to import, so it is imported on first use, and one ephemeral context per
process is kept (progress bars and usage statistics off).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import threading
import time
from typing import Any

import duckdb

from orchestration.checks.config import Outcome, Suite

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}


def _context():
    with _LOCK:
        if "ctx" not in _STATE:
            os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
            import great_expectations as gx

            ctx = gx.get_context(mode="ephemeral")
            with contextlib.suppress(Exception):  # cosmetic only
                ctx.variables.progress_bars = {"globally": False, "metric_calculations": False}
            _STATE["gx"] = gx
            _STATE["ctx"] = ctx
            _STATE["source"] = ctx.data_sources.add_pandas("pledge_warehouse")
            _STATE["validations"] = {}
        return _STATE["ctx"]


def _camel(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


def _validation(suite: Suite):
    ctx = _context()
    cache = _STATE["validations"]
    if suite.name not in cache:
        gx = _STATE["gx"]
        import great_expectations.expectations as gxe

        gx_suite = gx.ExpectationSuite(name=f"suite:{suite.name}")
        for i, e in enumerate(suite.expectations):
            cls = getattr(gxe, _camel(e["type"]))
            kwargs = {k: v for k, v in e["kwargs"].items() if v is not None}
            gx_suite.add_expectation(cls(**kwargs, meta={"index": i}))
        gx_suite = ctx.suites.add(gx_suite)
        asset = _STATE["source"].add_dataframe_asset(name=suite.name)
        batch = asset.add_batch_definition_whole_dataframe(f"{suite.name}:whole")
        cache[suite.name] = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=f"validate:{suite.name}", data=batch, suite=gx_suite)
        )
    return cache[suite.name]


def label(e: dict[str, Any]) -> str:
    kw = e["kwargs"]
    what = kw.get("column") or ",".join(kw.get("column_list") or []) or ""
    return f"{e['type']}({what})" if what else e["type"]


def describe_expected(e: dict[str, Any]) -> str:
    kw, kind = e["kwargs"], e["type"]
    col = kw.get("column", "")
    if kind == "expect_column_values_to_be_between":
        lo, hi = kw.get("min_value"), kw.get("max_value")
        if lo is not None and hi is not None:
            return f"{col} between {lo:g} and {hi:g}"
        return f"{col} >= {lo:g}" if lo is not None else f"{col} <= {hi:g}"
    if kind == "expect_column_values_to_not_be_null":
        return f"{col} never null"
    if kind == "expect_column_values_to_be_unique":
        return f"{col} unique"
    if kind == "expect_compound_columns_to_be_unique":
        return f"({', '.join(kw['column_list'])}) unique"
    if kind == "expect_column_values_to_be_in_set":
        return f"{col} in {{{', '.join(map(str, kw['value_set']))}}}"
    if kind == "expect_column_values_to_match_regex":
        return f"{col} matches {kw['regex']}"
    if kind == "expect_table_columns_to_match_ordered_list":
        return "columns " + ", ".join(kw["column_list"])
    if kind == "expect_table_columns_to_match_set":
        return "columns {" + ", ".join(sorted(kw["column_set"])) + "}"
    if kind == "expect_table_row_count_to_be_between":
        return f"rows >= {kw.get('min_value', 0)}"
    return ", ".join(f"{k}={v}" for k, v in sorted(kw.items()))


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return "NaN" if math.isnan(v) else f"{v:.10g}"
    return str(v)


def describe_observed(e: dict[str, Any], result: dict[str, Any], show_values: bool, n: int) -> str:
    if "unexpected_count" in result:
        total = result.get("element_count", 0)
        text = f"{result['unexpected_count']} of {total} rows unexpected"
        if result.get("missing_count") and e["type"] == "expect_column_values_to_not_be_null":
            text = f"{result['unexpected_count']} of {total} rows null"
        sample = result.get("partial_unexpected_list") or []
        if show_values and sample and result["unexpected_count"]:
            shown = sorted({_fmt(v) for v in sample})[:n]
            text += "; e.g. " + ", ".join(shown)
        return text
    observed = result.get("observed_value")
    if isinstance(observed, list):
        return "columns " + ", ".join(map(str, observed))
    if observed is not None:
        return f"rows {observed}" if "row_count" in e["type"] else _fmt(observed)
    return "not evaluated"


def fetch(con: duckdb.DuckDBPyConnection, relation: str):
    """The whole table as pandas, in a fixed order (so samples of offending values are stable)."""
    return con.sql(f"select * from {relation}").df()


def type_outcomes(con: duckdb.DuckDBPyConnection, suite: Suite, relation: str) -> list[Outcome]:
    """The suite's schema and types against DuckDB's catalog (the dataframe loses SQL types)."""
    actual = {
        r[0]: r[1].replace(" ", "").upper() for r in con.execute(f"describe {relation}").fetchall()
    }
    declared = {k: v.replace(" ", "").upper() for k, v in suite.columns.items()}
    wrong = [
        f"{c} is {actual.get(c, 'missing')}" for c, t in declared.items() if actual.get(c) != t
    ]
    extra = sorted(set(actual) - set(declared))
    observed = "; ".join(wrong + ([f"undeclared {', '.join(extra)}"] if extra else []))
    return [
        Outcome(
            check="schema_types",
            target=suite.target_str,
            name=f"{suite.name}: column types",
            severity="fatal",
            passed=not wrong and not extra,
            observed=observed or "as declared",
            expected=f"{len(declared)} columns with the declared DuckDB types",
            gates=suite.gates,
            source="sql",
        )
    ]


def run_suite(
    con: duckdb.DuckDBPyConnection, suite: Suite, relation: str, sample_values: int = 5
) -> tuple[list[Outcome], dict[str, float]]:
    """Validate one table; returns its outcomes and timings (fetch, validate) in seconds."""
    t0 = time.perf_counter()
    try:
        frame = fetch(con, relation)
    except duckdb.Error as exc:
        msg = re.sub(r"\s+", " ", str(exc)).strip()[:200]
        return [
            Outcome(
                "gx_suite",
                suite.target_str,
                f"{suite.name}: table readable",
                "fatal",
                False,
                msg,
                f"table {relation} exists",
                suite.gates,
                "gx",
            )
        ], {"fetch_s": 0.0, "validate_s": 0.0}
    t1 = time.perf_counter()
    validation = _validation(suite)
    result = validation.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
    t2 = time.perf_counter()
    by_index: dict[int, Any] = {}
    for r in result.results:
        meta = r.expectation_config.meta or {}
        by_index[int(meta.get("index", -1))] = r
    outcomes = []
    for i, e in enumerate(suite.expectations):
        r = by_index.get(i)
        res = (r.result or {}) if r is not None else {}
        err = (r.exception_info or {}) if r is not None else {}
        if r is not None and err.get("raised_exception"):
            observed = "error: " + str(err.get("exception_message"))[:200]
        else:
            show = e["kwargs"].get("column") not in suite.pii_columns
            observed = describe_observed(e, res, show, sample_values)
        outcomes.append(
            Outcome(
                check="gx_suite",
                target=suite.target_str,
                name=f"{suite.name}: {label(e)}",
                severity=e["severity"],
                passed=bool(r is not None and r.success),
                observed=observed,
                expected=describe_expected(e),
                gates=suite.gates,
                source="gx",
            )
        )
    return outcomes, {"fetch_s": round(t1 - t0, 3), "validate_s": round(t2 - t1, 3)}
