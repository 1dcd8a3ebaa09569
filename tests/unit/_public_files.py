"""Read a vendored public file the way the ingest engine hands it to an adapter.

The engine's decoder is not under test here, so this mirrors its documented contract: every
column Utf8, BOM stripped, header names trimmed, ``_line`` = physical line (header is line 1).
None of the vendored files has a quoted newline, so record i sits on line i + 2.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

PUBLIC = Path(__file__).resolve().parents[2] / "seeds" / "feeds" / "public"
SALIENT = PUBLIC / "usgs_mcs_2025" / "salient"
FIG2 = PUBLIC / "usgs_mcs_2025" / "industry_trends" / "MCS2025_Fig2_Net_Import_Reliance.csv"
WORLD = PUBLIC / "usgs_mcs_2025" / "world" / "MCS2025_World_Data.csv"
QCEW = PUBLIC / "qcew"
NEVADA = QCEW / "2016.q1-q4 32000 Nevada -- Statewide.csv"
FRANKLIN = sorted(QCEW.glob("2020.q*.39049.csv"))


def read_as_engine(path: Path | str) -> pl.DataFrame:
    df = pl.read_csv(path, infer_schema=False, encoding="utf8")
    df = df.rename({c: c.lstrip("\ufeff").strip() for c in df.columns})
    return df.with_row_index("_line", offset=2).with_columns(pl.col("_line").cast(pl.Int64))
