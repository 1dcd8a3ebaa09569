"""Helpers every adapter shares: header checks, blank padding, and the USGS value markers.

Adapters receive an all-Utf8 polars frame (BOM stripped, header names trimmed, plus ``_line``)
and return an all-Utf8 frame with exactly the contract's columns plus ``_line``. Casting and
value validation stay in the generic engine, so a bad value here must survive as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

from orchestration.feeds.contracts import TableContract
from orchestration.ingest.faults import RefusedFile

LINE = "_line"

# Names a blank header cell arrives under: the ingest parser's "_unnamed_<position>", polars'
# "" / "_duplicated_<n>". Excel-saved USGS files end rows with empty columns (",,,").
_AUTO_NAME = re.compile(r"^(|_unnamed_\d+|_duplicated_\d+|column_\d+)$", re.IGNORECASE)

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_PLAIN_NUMBER = re.compile(rf"^-?(?:{_NUMBER})$")
_BOUND = rf"^(>=|<=|≥|≤|>|<)\s*({_NUMBER})$"
_RANGE = rf"^(?:{_NUMBER})\s*[–—-]\s*(?:{_NUMBER})$"
# "Less than ½ unit." is USGS's way of publishing a quantity that rounds to zero: a bound < 0.5.
_LESS_THAN_HALF = r"(?i)^less than (?:½|1/2) unit\.?$"
_MARKERS = ("W", "E", "NA")


def require_columns(df: pl.DataFrame, required: Iterable[str], file: str) -> None:
    """Refuse the file naming the first required header it lacks."""
    present = set(df.columns)
    for name in required:
        if name not in present:
            raise RefusedFile(
                file, f"required column {name!r} is missing from the header", column=name
            )


def first_present(df: pl.DataFrame, names: Iterable[str], file: str) -> str:
    """The first of several header spellings the file uses (e.g. DataSource or Source)."""
    names = list(names)
    for name in names:
        if name in df.columns:
            return name
    raise RefusedFile(
        file,
        f"required column {names[0]!r} (or {', '.join(names[1:])}) is missing",
        column=names[0],
    )


def blank(expr: pl.Expr) -> pl.Expr:
    return expr.is_null() | (expr.str.strip_chars() == "")


def drop_padding(df: pl.DataFrame, file: str) -> pl.DataFrame:
    """Drop blank-named empty columns and rows with no content at all (Excel padding).

    A blank-named column that holds values cannot be named, so the file is refused rather than
    guessed at.
    """
    padding = [c for c in df.columns if c != LINE and _AUTO_NAME.match(c.strip())]
    if padding:
        filled = df.select([(~blank(pl.col(c))).any().alias(c) for c in padding]).row(0, named=True)
        bad = [c for c, has_values in filled.items() if has_values]
        if bad:
            position = df.columns.index(bad[0]) + 1
            raise RefusedFile(
                file,
                f"column {position} has values but no header name (or a repeated one); "
                "name it in the header",
                column=bad[0],
            )
        df = df.drop(padding)
    data = [c for c in df.columns if c != LINE]
    if not data:
        return df
    return df.filter(~pl.all_horizontal([blank(pl.col(c)) for c in data]))


def trim(expr: pl.Expr) -> pl.Expr:
    """Trimmed text, NULL when empty (USGS values carry trailing spaces such as 'Lithium ')."""
    s = expr.str.strip_chars()
    return pl.when(s == "").then(None).otherwise(s)


def classify_value(text: pl.Expr) -> list[pl.Expr]:
    """value / marker / bound_operator / bound_value of a USGS cell, vectorised.

    ``text`` must already be trimmed. USGS prints negatives with a Unicode minus (−88) and large
    numbers with thousands separators; both become plain decimals. Anything that is not a number
    is kept as a marker, never turned into zero.
    """
    s = text.str.replace_all("−", "-", literal=True)
    is_number = s.str.contains(_PLAIN_NUMBER.pattern)
    bound = s.str.extract_groups(_BOUND)
    op = (
        bound.struct.field("1")
        .str.replace("≥", ">=", literal=True)
        .str.replace("≤", "<=", literal=True)
    )
    is_half = s.str.contains(_LESS_THAN_HALF)
    is_bound = op.is_not_null() | is_half
    marker = (
        pl.when(text.is_null() | is_number)
        .then(None)
        .when(s.is_in(_MARKERS))
        .then(s)
        .when(is_bound)
        .then(pl.lit("bound"))
        .when(s.str.contains(_RANGE))
        .then(pl.lit("range"))
        .otherwise(pl.lit("text"))
    )
    return [
        pl.when(is_number).then(s.str.replace_all(",", "", literal=True)).alias("value"),
        marker.alias("marker"),
        pl.when(is_half).then(pl.lit("<")).otherwise(op).alias("bound_operator"),
        pl.when(is_half)
        .then(pl.lit("0.5"))
        .otherwise(bound.struct.field("2").str.replace_all(",", "", literal=True))
        .alias("bound_value"),
    ]


def to_contract(df: pl.DataFrame, contract: TableContract) -> pl.DataFrame:
    """Exactly the contract's columns, in order, all Utf8, plus ``_line``."""
    missing = [c for c in contract.column_names if c not in df.columns]
    df = df.with_columns([pl.lit(None, dtype=pl.Utf8).alias(c) for c in missing])
    return df.select(
        [pl.col(c).cast(pl.Utf8) for c in contract.column_names] + [pl.col(LINE).cast(pl.Int64)]
    )
