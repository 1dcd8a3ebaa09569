"""Shared plumbing: seeded random streams, date arithmetic and the contract-shaped CSV writer."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

import numpy as np
import polars as pl

from orchestration.feeds.contracts import TableContract

EPOCH = date(1970, 1, 1)

# One fixed integer per random stream. Never derive these from hash(): Python salts str hashes
# per process, which would make the output differ between runs.
STREAMS: dict[str, int] = {
    "facilities": 1,
    "weekly": 2,
    "sourcing": 3,
    "lines": 4,
    "awards": 5,
    "contracts": 6,
    "assistance": 7,
    "risk": 8,
    "orgs": 9,
    "enrolment": 10,
    "cohort": 11,
    "training": 12,
    "projects": 13,
}


def rng(seed: int, stream: str, *extra: int) -> np.random.Generator:
    """An independent generator for (seed, stream, extra...); order of use elsewhere is moot."""
    return np.random.default_rng(np.random.SeedSequence([seed, STREAMS[stream], *extra]))


def day(d: date) -> int:
    """Days since 1970-01-01, the integer form every date takes inside the generator."""
    return (d - EPOCH).days


def to_date(days: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(days))


def date_series(name: str, days: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    """Integer day numbers as a polars Date column; ``valid`` False gives an empty cell."""
    s = pl.Series(name, np.asarray(days, dtype=np.int32)).cast(pl.Date)
    if valid is not None:
        s = pl.select(pl.when(pl.Series(valid)).then(s).otherwise(None).alias(name)).to_series()
    return s


def weighted_choice(r: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return r.choice(len(p), size=n, p=p / p.sum())


def fiscal_year(col: str) -> pl.Expr:
    """Federal fiscal year of a date column: the year starts on 1 October."""
    c = pl.col(col)
    return (c.dt.year() + (c.dt.month() >= 10).cast(pl.Int32)).cast(pl.Int64)


_POLARS_TYPES = {
    "text": pl.String,
    "code": pl.String,
    "quarter": pl.String,
    "integer": pl.Int64,
    "decimal": pl.Float64,
    "date": pl.Date,
    "boolean": pl.Boolean,
}


def conform(df: pl.DataFrame, contract: TableContract) -> pl.DataFrame:
    """Columns exactly as the contract lists them, typed, decimals rounded to cents.

    Adding 0.0 after rounding turns -0.0 into 0.0, so a zero never prints as "-0.00".
    """
    missing = set(contract.column_names) - set(df.columns)
    extra = set(df.columns) - set(contract.column_names)
    if missing or extra:
        raise ValueError(f"{contract.name}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    exprs = []
    for c in contract.columns:
        e = pl.col(c.name).cast(_POLARS_TYPES[c.type])
        if c.type == "decimal":
            e = e.round(2) + 0.0
        exprs.append(e.alias(c.name))
    return df.select(exprs)


def write_chunk(fh: BinaryIO, df: pl.DataFrame, contract: TableContract, header: bool) -> int:
    """Append one chunk in the submission format: UTF-8, comma, LF, ISO dates, 2 decimals."""
    conform(df, contract).write_csv(
        fh,
        include_header=header,
        line_terminator="\n",
        float_precision=2,
        date_format="%Y-%m-%d",
        null_value="",
        quote_style="necessary",
    )
    return df.height


class TableFile:
    """One `<table>_<quarter>.csv` written chunk by chunk, so no table is ever held whole."""

    def __init__(self, path: Path, contract: TableContract) -> None:
        self.path = path
        self.contract = contract
        self.rows = 0
        self._fh: BinaryIO | None = None

    def __enter__(self) -> TableFile:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "wb")  # noqa: SIM115 - closed in __exit__
        return self

    def write(self, df: pl.DataFrame) -> None:
        assert self._fh is not None
        self.rows += write_chunk(
            self._fh, df, self.contract, header=self.rows == 0 and self._fh.tell() == 0
        )

    def __exit__(self, *exc: object) -> None:
        assert self._fh is not None
        if self._fh.tell() == 0:  # a quarter with no rows still gets a header-only file
            self._fh.write((",".join(self.contract.column_names) + "\n").encode("utf-8"))
        self._fh.close()
