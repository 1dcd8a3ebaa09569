"""Keep published text from running as a spreadsheet formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel and LibreOffice (CSV injection). Text cells get a leading apostrophe, the escape OWASP and
spreadsheet tools recognise; numeric columns are never touched, so numbers stay numbers.
"""

from __future__ import annotations

import polars as pl

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: str | None) -> str | None:
    if value is None or value == "":
        return value
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


FORMULA_PATTERN = r"^[=+\-@\t\r]"


def neutralize_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Apply ``neutralize_formula`` to every text column of a frame, vectorised. Only the columns
    that hold such a value are rebuilt: a mart of millions of rows is not copied for the CSV."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text or frame.height == 0:
        return frame
    found = frame.select(pl.col(text).str.contains(FORMULA_PATTERN).any()).row(0)
    exprs = [
        pl.when(pl.col(name).str.contains(FORMULA_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, hit in zip(text, found, strict=True)
        if hit
    ]
    return frame.with_columns(exprs) if exprs else frame
