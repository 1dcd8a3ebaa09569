"""Contract checks of a parsed frame: the header (structural) and every value (row faults).

Everything here is polars expressions over whole columns, so a 10-million-row file costs a few
column passes, not a Python loop per row. Faults are collected as small integer codes per column
and only the faulty rows are turned into quarantine records.

Types: integer → Int64, decimal → Decimal(18, 2) (exact, as the raw DDL declares it; more decimals
are rounded half-to-even), date → Date (ISO YYYY-MM-DD only), boolean → Boolean
(true/false, 1/0, yes/no, y/n, any case), text/code/quarter → String (trimmed; empty → null).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from orchestration.feeds.contracts import ColumnContract, TableContract
from orchestration.ingest.faults import RefusedFile
from orchestration.ingest.parse import LINE

EXTRA = "extra"  # undeclared columns as JSON, for tables with extra_columns: keep
QUARANTINE_SCHEMA = {"line": pl.Int64, "column": pl.String, "reason": pl.String, "value": pl.String}
POLARS_TYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "code": pl.String(),
    "quarter": pl.String(),
    "integer": pl.Int64(),
    "decimal": pl.Decimal(18, 2),
    "date": pl.Date(),
    "boolean": pl.Boolean(),
}
TRUE_WORDS = ["true", "1", "yes", "y", "t"]
FALSE_WORDS = ["false", "0", "no", "n", "f"]
_FAULT = "__fault__"


@dataclass
class ValidatedFrame:
    rows: pl.DataFrame  # typed contract columns + _line: the rows that land
    quarantine: pl.DataFrame  # line, column, reason, value (value is null for pii columns)
    rows_in_file: int
    exact_duplicates: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def quarantined_lines(self) -> int:
        return self.quarantine.get_column("line").n_unique() if self.quarantine.height else 0


def _shown(names: list[str], limit: int = 30) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", … ({len(names)} columns)" if len(names) > limit else "")


def check_header(
    frame: pl.DataFrame,
    contract: TableContract,
    file_name: str,
    *,
    duplicates: dict[str, list[int]] | None = None,
) -> tuple[pl.DataFrame, list[str]]:
    """Select the contract's columns (aliases renamed), or refuse when required ones are missing.

    Returns the all-text frame with exactly the contract columns (+ ``_line``) and warnings.
    """
    present = [c for c in frame.columns if c != LINE]
    present_set = set(present)
    duplicates = duplicates or {}
    missing, exprs, warnings = [], [], []
    used: set[str] = set()
    for col in contract.columns:
        found = [n for n in (col.name, *col.aliases) if n in present_set]
        if not found:
            if col.required:
                missing.append(col.name)
            else:
                exprs.append(pl.lit(None, dtype=pl.String).alias(col.name))
            continue
        source = found[0]
        if len(found) > 1:
            warnings.append(f"columns {found} all mean {col.name!r}; {source!r} is used")
        if source in duplicates:
            positions = " and ".join(str(p) for p in duplicates[source])
            raise RefusedFile(
                file_name,
                f"column {source!r} appears more than once in the header (positions "
                f"{positions}); keep one and resend",
                line=1,
                column=source,
            )
        used.add(source)
        exprs.append(pl.col(source).alias(col.name))
    if missing:
        raise RefusedFile(
            file_name,
            f"missing required column(s): {', '.join(missing)}. Columns found: {_shown(present)}. "
            f"Add the column(s) to the export (table {contract.name}) and resend",
            line=1,
            column=", ".join(missing),
        )
    extra = [c for c in present if c not in used and not c.startswith("_unnamed_")]
    if contract.extra_columns == "keep":
        exprs.append(
            pl.struct(extra).struct.json_encode().alias(EXTRA)
            if extra
            else pl.lit(None, dtype=pl.String).alias(EXTRA)
        )
    return frame.select(pl.col(LINE), *exprs), warnings


@dataclass(frozen=True)
class _Check:
    fails: pl.Expr
    reason: str


def _typed_and_checks(
    col: ColumnContract, key: tuple[str, ...], load_date: date
) -> tuple[pl.Expr, list[_Check]]:
    v = pl.col(col.name)
    present = v.is_not_null()
    checks: list[_Check] = []
    if not col.nullable:
        what = "empty key" if col.name in key else "empty required value"
        checks.append(_Check(v.is_null(), f"{what}; fill it in and resend the row"))
    numeric: pl.Expr | None = None
    if col.type == "integer":
        typed = v.cast(pl.Int64, strict=False)
        checks.append(_Check(present & typed.is_null(), "not an integer"))
        numeric = typed
    elif col.type == "decimal":
        wide = v.cast(pl.Decimal(38, 8), strict=False)
        typed = wide.round(2).cast(pl.Decimal(18, 2), strict=False)
        checks.append(_Check(present & wide.is_null(), "not a decimal number"))
        checks.append(_Check(wide.is_not_null() & typed.is_null(), "too large for decimal(18,2)"))
        numeric = typed.cast(pl.Float64)
    elif col.type == "date":
        iso = v.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        parsed = v.str.to_date("%Y-%m-%d", strict=False)
        typed = pl.when(iso).then(parsed).otherwise(None)
        checks.append(_Check(present & ~iso, "not an ISO date (YYYY-MM-DD)"))
        checks.append(_Check(iso & parsed.is_null(), "impossible date"))
        if col.not_future:
            checks.append(
                _Check(typed > pl.lit(load_date), f"after the load date {load_date.isoformat()}")
            )
    elif col.type == "boolean":
        low = v.str.to_lowercase()
        typed = (
            pl.when(low.is_in(TRUE_WORDS))
            .then(True)
            .when(low.is_in(FALSE_WORDS))
            .then(False)
            .otherwise(None)
        )
        checks.append(_Check(present & typed.is_null(), "not a boolean (true/false, yes/no, 1/0)"))
    elif col.type == "quarter":
        up = v.str.to_uppercase()
        ok = up.str.contains(r"^[0-9]{4}-Q[1-4]$")
        typed = pl.when(ok).then(up).otherwise(None)
        checks.append(_Check(present & ~ok, "not a quarter key (YYYY-Qn, e.g. 2026-Q2)"))
    else:
        typed = v
    if col.allowed is not None:
        checks.append(
            _Check(
                present & ~v.is_in(list(col.allowed)),
                f"not one of the allowed values ({', '.join(col.allowed)})",
            )
        )
    if numeric is not None and col.min is not None:
        checks.append(_Check(numeric < col.min, f"below the minimum {col.min:g}"))
    if numeric is not None and col.max is not None:
        checks.append(_Check(numeric > col.max, f"above the maximum {col.max:g}"))
    return typed.cast(POLARS_TYPES[col.type]).alias(col.name), checks


def _code_expr(name: str, checks: list[_Check]) -> pl.Expr:
    """0 when the cell passes, else 1 + the index of the first failing check."""
    expr: pl.Expr = pl.lit(0, dtype=pl.UInt8)
    for i in reversed(range(len(checks))):
        expr = (
            pl.when(checks[i].fails.fill_null(False))
            .then(pl.lit(i + 1, dtype=pl.UInt8))
            .otherwise(expr)
        )
    return expr.alias(_FAULT + name)


def _lines_list(expr: pl.Expr) -> pl.Expr:
    return expr.sort().cast(pl.String).str.join(", ")


def validate_values(
    frame: pl.DataFrame, contract: TableContract, file_name: str, *, load_date: date
) -> ValidatedFrame:
    """Type every contract column; quarantine rows with value faults and conflicting keys."""
    names = contract.column_names
    extra_cols = [EXTRA] if EXTRA in frame.columns else []
    text = frame.select(
        pl.col(LINE),
        *[
            pl.when(pl.col(c).str.strip_chars() == "")
            .then(None)
            .otherwise(pl.col(c).str.strip_chars())
            .alias(c)
            for c in names
        ],
        *extra_cols,
    )
    typed_exprs, code_exprs, reasons = [], [], {}
    for col in contract.columns:
        typed, checks = _typed_and_checks(col, contract.key, load_date)
        typed_exprs.append(typed)
        code_exprs.append(_code_expr(col.name, checks))
        reasons[col.name] = [c.reason for c in checks]
    checked = text.with_columns(code_exprs)
    fault_cols = [_FAULT + c for c in names]
    faulty = pl.any_horizontal([pl.col(f) != 0 for f in fault_cols]) if names else pl.lit(False)

    key = list(contract.key)
    checked = checked.with_columns(
        faulty.alias("__faulty"),
        (pl.struct(names).is_first_distinct() if key else pl.lit(True)).alias("__distinct"),
    )
    if key:
        # Materialise __distinct first: a window over an inline struct expression is ~5x slower.
        versions = pl.col("__distinct").cast(pl.UInt32).sum().over(key)
        key_ok = pl.all_horizontal([pl.col(k).is_not_null() for k in key])
        checked = checked.with_columns((key_ok & (versions > 1)).alias("__conflict"))
    else:
        checked = checked.with_columns(pl.lit(False).alias("__conflict"))

    quarantine_parts = []
    bad_rows = checked.filter(pl.col("__faulty"))
    pii = set(contract.pii_columns)
    # In a table that carries personal data, any cell may hold it (a name typed into the wrong
    # column, an e-mail in `track`): its quarantine keeps line, column and reason, never a value.
    withhold_values = bool(pii)
    for col in contract.columns:
        f = _FAULT + col.name
        part = bad_rows.filter(pl.col(f) != 0)
        if part.height == 0:
            continue
        mapping = {i + 1: r for i, r in enumerate(reasons[col.name])}
        quarantine_parts.append(
            part.select(
                pl.col(LINE).alias("line"),
                pl.lit(col.name).alias("column"),
                pl.col(f).replace_strict(mapping, return_dtype=pl.String).alias("reason"),
                # Personal data never leaves the raw table, not even into the quarantine.
                (pl.lit(None, dtype=pl.String) if withhold_values else pl.col(col.name)).alias(
                    "value"
                ),
            )
        )
    conflicts = checked.filter(pl.col("__conflict"))
    if conflicts.height:
        key_pii = withhold_values
        lines = conflicts.group_by(key).agg(_lines_list(pl.col(LINE)).alias("__lines"))
        quarantine_parts.append(
            conflicts.join(lines, on=key, nulls_equal=True).select(
                pl.col(LINE).alias("line"),
                pl.lit(", ".join(key)).alias("column"),
                pl.format(
                    "key repeated with different values on lines {}: all copies quarantined as a "
                    "conflict; send one version of the row",
                    pl.col("__lines"),
                ).alias("reason"),
                (
                    pl.lit(None, dtype=pl.String)
                    if key_pii
                    else pl.concat_str([pl.col(k) for k in key], separator=" | ")
                ).alias("value"),
            )
        )
    quarantine = (
        pl.concat(quarantine_parts).sort("line", "column")
        if quarantine_parts
        else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    )

    warnings: list[str] = []
    dup_mask = ~pl.col("__distinct") & ~pl.col("__conflict") & ~pl.col("__faulty")
    dups = checked.filter(dup_mask).get_column(LINE)
    if dups.len():
        shown = ", ".join(str(v) for v in dups.head(5).to_list())
        more = f" and {dups.len() - 5} more" if dups.len() > 5 else ""
        warnings.append(
            f"{dups.len()} exact duplicate row(s) dropped, the first copy kept "
            f"(lines {shown}{more})"
        )
    keep = ~pl.col("__faulty") & ~pl.col("__conflict") & pl.col("__distinct")
    rows = checked.filter(keep).select(pl.col(LINE), *typed_exprs, *extra_cols)
    return ValidatedFrame(rows, quarantine, frame.height, dups.len(), warnings)


def validate(
    frame: pl.DataFrame,
    contract: TableContract,
    file_name: str,
    *,
    load_date: date,
    duplicates: dict[str, list[int]] | None = None,
) -> ValidatedFrame:
    """Header check, then value checks. Raises RefusedFile on a header fault."""
    selected, warnings = check_header(frame, contract, file_name, duplicates=duplicates)
    result = validate_values(selected, contract, file_name, load_date=load_date)
    result.warnings[:0] = warnings
    return result
