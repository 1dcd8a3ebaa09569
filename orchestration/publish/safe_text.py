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


def neutralize_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Apply ``neutralize_formula`` to every text column of a frame, vectorised."""
    pattern = r"^[=+\-@\t\r]"
    exprs = [
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    ]
    return frame.with_columns(exprs) if exprs else frame
