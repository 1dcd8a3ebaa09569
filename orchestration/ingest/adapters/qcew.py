"""Adapter for BLS QCEW quarterly files, both published layouts, into one table.

* bulk "by area" CSVs (``2016.q1-q4 32000 Nevada -- Statewide.csv``): quoted, title columns,
  ``qtrly_estabs_count``;
* open-data API area slices (``2020.q1.39049.csv``): unquoted, no titles, ``qtrly_estabs``.

The contract declares the bulk spelling as an alias and the titles as not required, so this
adapter is the contract's own header rules applied once; it keeps numbers exactly as published.
Suppressed cells (``disclosure_code`` N, published as zeros) are turned into NULL in staging, not
here, so the raw table shows what BLS published next to the flag.
"""

from __future__ import annotations

import polars as pl

from orchestration.feeds.contracts import TableContract
from orchestration.ingest.adapters._common import LINE, drop_padding, to_contract, trim
from orchestration.ingest.faults import RefusedFile


def resolve_headers(df: pl.DataFrame, contract: TableContract, file: str) -> dict[str, str]:
    """Contract column → header in this file, using aliases; refuses on a missing required one."""
    found: dict[str, str] = {}
    for col in contract.columns:
        header = next((h for h in (col.name, *col.aliases) if h in df.columns), None)
        if header is not None:
            found[col.name] = header
        elif col.required:
            spellings = " or ".join(repr(h) for h in (col.name, *col.aliases))
            raise RefusedFile(
                file, f"required column {spellings} is missing from the header", column=col.name
            )
    return found


def adapt_qcew(df: pl.DataFrame, contract: TableContract, file: str) -> pl.DataFrame:
    headers = resolve_headers(df, contract, file)
    df = drop_padding(df, file)
    out = df.select(
        pl.col(LINE),
        *[trim(pl.col(header)).alias(name) for name, header in headers.items()],
    )
    return to_contract(out, contract)
