"""Run the Great Expectations suites of ``expectations/suites/`` on tables of the build database.

Execution path: each table (for a raw table: the release quarter's batch, see ``engine``) is
streamed from DuckDB in Arrow record batches of at most ``CHUNK_ROWS`` rows; each chunk becomes a
pandas frame validated by GX's *pandas* datasource (all expectations of the suite in one
``ValidationDefinition.run``) and the per-chunk results are summed, so memory is bounded by one
chunk whatever the table's size. A batch that fits one chunk (every mart) is validated by GX whole.
Expectations about the whole batch cannot be summed from chunks (uniqueness, row count): when the
batch spans several chunks DuckDB evaluates them over the whole batch, with the same result
fields GX reports. GX's SQL
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


CHUNK_ROWS = 100_000
# Expectations over the whole batch: evaluated by DuckDB when the batch spans several chunks.
WHOLE_BATCH = frozenset(
    {
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_table_row_count_to_be_between",
    }
)
PARTIAL_LIST = 20


def chunks(con: duckdb.DuckDBPyConnection, batch_sql: str, rows: int = CHUNK_ROWS):
    """The batch as pandas frames of at most ``rows`` rows, read in the order DuckDB scans it."""
    import pyarrow as pa

    reader = con.sql(f"select * from {batch_sql}").to_arrow_reader(rows)
    pending: list = []
    held = 0
    for record_batch in reader:  # DuckDB hands out vectors of ~2048 rows: gather a chunk
        pending.append(record_batch)
        held += record_batch.num_rows
        if held >= rows:
            yield pa.Table.from_batches(pending).to_pandas()
            pending, held = [], 0
    if held:
        yield pa.Table.from_batches(pending).to_pandas()


def _whole_batch_result(
    con: duckdb.DuckDBPyConnection, e: dict[str, Any], batch_sql: str
) -> tuple[bool, dict[str, Any]]:
    """A whole-batch expectation in DuckDB, with the result fields GX gives (SUMMARY format)."""
    kw = e["kwargs"]
    if e["type"] == "expect_table_row_count_to_be_between":
        (n,) = con.execute(f"select count(*) from {batch_sql}").fetchone()
        lo, hi = kw.get("min_value"), kw.get("max_value")
        ok = (lo is None or n >= lo) and (hi is None or n <= hi)
        return ok, {"observed_value": n}
    cols = kw.get("column_list") or [kw["column"]]
    quoted = ", ".join(f'"{c}"' for c in cols)
    # GX ignores rows whose key is null in every column (compound) / null values (single column).
    present = " or ".join(f'"{c}" is not null' for c in cols)
    total, dup_rows = con.execute(
        f"select (select count(*) from {batch_sql} where {present}), "
        f"(select coalesce(sum(n), 0) from (select count(*) as n from {batch_sql} "
        f"where {present} group by {quoted} having count(*) > 1))"
    ).fetchone()
    sample = con.execute(
        f"select {quoted} from {batch_sql} where {present} group by {quoted} "
        f"having count(*) > 1 order by {quoted} limit {PARTIAL_LIST}"
    ).fetchall()
    values = [r[0] if len(cols) == 1 else dict(zip(cols, r, strict=True)) for r in sample]
    return dup_rows == 0, {
        "element_count": total,
        "unexpected_count": int(dup_rows),
        "partial_unexpected_list": values,
    }


def _merge(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum per-chunk row-wise results into the batch's result."""
    if len(results) == 1:
        return results[0]
    out: dict[str, Any] = {}
    for key in ("element_count", "unexpected_count", "missing_count"):
        if any(key in r for r in results):
            out[key] = sum(int(r.get(key) or 0) for r in results)
    if any("partial_unexpected_list" in r for r in results):
        merged: list[Any] = []
        for r in results:
            merged += r.get("partial_unexpected_list") or []
        out["partial_unexpected_list"] = merged[:PARTIAL_LIST]
    if "observed_value" in results[0]:
        out["observed_value"] = results[0]["observed_value"]
    return out


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
    con: duckdb.DuckDBPyConnection,
    suite: Suite,
    relation: str,
    sample_values: int = 5,
    batch_sql: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> tuple[list[Outcome], dict[str, float]]:
    """Validate one table (``batch_sql``: the rows to validate, default the whole ``relation``);
    returns its outcomes and timings (fetch, validate) in seconds."""
    batch_sql = batch_sql or relation
    t0 = time.perf_counter()
    fetch_s = validate_s = 0.0
    validation = _validation(suite)
    per_index: dict[int, list[Any]] = {}
    n_chunks = 0
    try:
        stream = chunks(con, batch_sql, chunk_rows)
        while True:
            t_fetch = time.perf_counter()
            frame = next(stream, None)
            fetch_s += time.perf_counter() - t_fetch
            if frame is None:
                break
            n_chunks += 1
            t_val = time.perf_counter()
            result = validation.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
            validate_s += time.perf_counter() - t_val
            for r in result.results:
                meta = r.expectation_config.meta or {}
                per_index.setdefault(int(meta.get("index", -1)), []).append(r)
            del frame, result
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
    if n_chunks == 0:
        # An empty batch: GX still evaluates the suite (row counts, column sets) on no rows.
        frame = con.execute(f"select * from {batch_sql} limit 0").df()
        result = validation.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
        for r in result.results:
            index = int((r.expectation_config.meta or {}).get("index", -1))
            per_index.setdefault(index, []).append(r)
        n_chunks = 1
    outcomes = []
    for i, e in enumerate(suite.expectations):
        runs = per_index.get(i) or []
        errors = [r for r in runs if (r.exception_info or {}).get("raised_exception")]
        show = e["kwargs"].get("column") not in suite.pii_columns
        if errors:
            passed = False
            observed = "error: " + str(errors[0].exception_info.get("exception_message"))[:200]
        elif n_chunks > 1 and e["type"] in WHOLE_BATCH:
            t_val = time.perf_counter()
            passed, res = _whole_batch_result(con, e, batch_sql)
            validate_s += time.perf_counter() - t_val
            observed = describe_observed(e, res, show, sample_values)
        else:
            passed = bool(runs) and all(r.success for r in runs)
            res = _merge([r.result or {} for r in runs]) if runs else {}
            observed = describe_observed(e, res, show, sample_values)
        outcomes.append(
            Outcome(
                check="gx_suite",
                target=suite.target_str,
                name=f"{suite.name}: {label(e)}",
                severity=e["severity"],
                passed=passed,
                observed=observed,
                expected=describe_expected(e),
                gates=suite.gates,
                source="gx",
            )
        )
    total = time.perf_counter() - t0
    return outcomes, {
        "fetch_s": round(fetch_s, 3),
        "validate_s": round(validate_s, 3),
        "chunks": n_chunks,
        "total_in_suite_s": round(total, 3),
    }
