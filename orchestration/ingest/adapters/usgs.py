"""Adapters for the USGS Mineral Commodity Summaries data release (salient, Figure 2, world).

All three turn a wide, human-oriented sheet into a long table so that next year's release (new
commodities, new measure columns, PROD_2024 instead of PROD_2023) needs no code change.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml

from orchestration.feeds.contracts import TableContract
from orchestration.ingest.adapters._common import (
    LINE,
    classify_value,
    drop_padding,
    first_present,
    require_columns,
    to_contract,
    trim,
)
from orchestration.ingest.faults import RefusedFile

log = logging.getLogger(__name__)

UNITS_PATH = Path(__file__).with_name("usgs_units.yml")
UNKNOWN_UNIT = "unknown"
DATA_SOURCE_HEADERS = ("DataSource", "Source", "SOURCE")


# ---------------------------------------------------------------- salient: measure/unit mapping


@dataclass(frozen=True)
class UnitMapping:
    suffix_units: dict[str, str]
    measure_units: tuple[tuple[re.Pattern[str], str], ...]
    column_overrides: dict[str, tuple[str, str]]
    measure_rewrites: tuple[tuple[re.Pattern[str], str], ...]

    @classmethod
    def from_dict(cls, doc: dict) -> UnitMapping:
        return cls(
            suffix_units={str(k): str(v) for k, v in doc.get("suffix_units", {}).items()},
            measure_units=tuple(
                (re.compile(r["pattern"]), r["unit"]) for r in doc.get("measure_units", ())
            ),
            column_overrides={
                k: (v["measure"], v["unit"]) for k, v in doc.get("column_overrides", {}).items()
            },
            measure_rewrites=tuple(
                (re.compile(r["pattern"]), r["replace"]) for r in doc.get("measure_rewrites", ())
            ),
        )

    def normalise_measure(self, raw: str) -> str:
        s = raw
        for pattern, replace in self.measure_rewrites:
            s = pattern.sub(replace, s)
        return re.sub(r"[^0-9a-z]+", "_", s.lower()).strip("_")

    def resolve(self, column: str) -> tuple[str, str, bool]:
        """(measure, unit, known) of one header name."""
        if column in self.column_overrides:
            measure, unit = self.column_overrides[column]
            return self.normalise_measure(measure), unit, True
        measure, sep, suffix = column.rpartition("_")
        if not sep:  # no "_" at all: the whole name is the measure, the unit is unknown
            measure, suffix = column, ""
        unit = next((u for p, u in self.measure_units if p.search(measure)), None)
        if unit is None:
            unit = self.suffix_units.get(suffix)
        return self.normalise_measure(measure), unit or UNKNOWN_UNIT, unit is not None


@lru_cache(maxsize=4)
def load_unit_mapping(path: Path = UNITS_PATH) -> UnitMapping:
    with open(path, encoding="utf-8") as fh:
        return UnitMapping.from_dict(yaml.safe_load(fh))


# USGS repeats headers with different data under them (iodine Consump_t twice, titanium
# concentrates four Price_dt columns). The ingest parser names the later copies "<name>__copy<k>"
# (k = 2, 3, ...), plain polars "<name>_duplicated_<n>" (n = 0, 1, ...); each copy is kept as its
# own measure column "<name>#<k>".
_ENGINE_COPY = re.compile(r"^(.+)__copy(\d+)$")
_POLARS_COPY = re.compile(r"^(.+)_duplicated_(\d+)$")


def published_name(column: str) -> str:
    """'Price_dt__copy2' or 'Price_dt_duplicated_0' → 'Price_dt#2'; any other name as is."""
    if m := _ENGINE_COPY.match(column):
        return f"{m.group(1)}#{int(m.group(2))}"
    if m := _POLARS_COPY.match(column):
        return f"{m.group(1)}#{int(m.group(2)) + 2}"
    return column


def measure_table(columns: list[str], file: str, mapping: UnitMapping) -> pl.DataFrame:
    """One row per header name: the (small) lookup the long rows join to."""
    rows = []
    for column in columns:
        header, _, occurrence = column.partition("#")
        measure, unit, known = mapping.resolve(header)
        if occurrence:
            measure = f"{measure}_{occurrence}"
        if not known:
            log.warning(
                "%s: column %r has no known unit suffix; loaded with unit 'unknown' "
                "(add the suffix to %s)",
                file,
                column,
                UNITS_PATH.name,
            )
        rows.append({"source_column": column, "measure": measure, "unit": unit})
    return pl.DataFrame(
        rows, schema={"source_column": pl.Utf8, "measure": pl.Utf8, "unit": pl.Utf8}
    )


def adapt_salient(
    df: pl.DataFrame,
    contract: TableContract,
    file: str,
    mapping: UnitMapping | None = None,
) -> pl.DataFrame:
    """Wide salient sheet → one row per (line, measure column) with a published cell.

    The year stays per row as text, so a year such as 'twenty22' reaches the engine, which
    quarantines every long row of that line (one quarantine entry per measure of the line).
    """
    mapping = mapping or load_unit_mapping()
    require_columns(df, ["Commodity", "Year"], file)
    source = first_present(df, DATA_SOURCE_HEADERS, file)
    df = drop_padding(df, file)
    df = df.rename({c: published_name(c) for c in df.columns})
    ids = [source, "Commodity", "Year"]
    measures = [c for c in df.columns if c not in ids and c != LINE]
    lookup = measure_table(measures, file, mapping)
    if not measures:
        long = pl.DataFrame(
            schema={
                **{c: pl.Utf8 for c in ids},
                LINE: pl.Int64,
                "source_column": pl.Utf8,
                "value_text": pl.Utf8,
            }
        )
    else:
        long = df.unpivot(
            on=measures, index=[*ids, LINE], variable_name="source_column", value_name="value_text"
        )
    long = (
        long.with_columns(trim(pl.col("value_text")).alias("value_text"))
        # an empty cell publishes nothing; markers (W, E, NA, >50) are kept
        .filter(pl.col("value_text").is_not_null())
        .join(lookup, on="source_column", how="left")
        .with_columns(
            trim(pl.col(source)).alias("data_source"),
            trim(pl.col("Commodity")).alias("commodity"),
            pl.col("Year").str.strip_chars().alias("year"),
            *classify_value(pl.col("value_text")),
        )
        .sort([LINE, "source_column"], maintain_order=True)
    )
    return to_contract(long, contract)


# ---------------------------------------------------------------- Figure 2: net import reliance

_NIR_HEADER = re.compile(r"^Net_Import_Reliance_pct_(\d{4})$")
_SOURCES_HEADER = re.compile(r"^Major_Import_Sources_(\d{4})_(\d{4})$")


def _header_like(df: pl.DataFrame, pattern: re.Pattern[str], file: str, example: str) -> str:
    found = [c for c in df.columns if pattern.match(c)]
    if len(found) != 1:
        reason = "is missing" if not found else f"appears {len(found)} times ({found})"
        raise RefusedFile(file, f"a column like {example!r} {reason}", column=example)
    return found[0]


def adapt_net_import_reliance(df: pl.DataFrame, contract: TableContract, file: str) -> pl.DataFrame:
    require_columns(df, ["Commodity"], file)
    source = first_present(df, DATA_SOURCE_HEADERS, file)
    df = drop_padding(df, file)
    nir = _header_like(df, _NIR_HEADER, file, "Net_Import_Reliance_pct_2024")
    sources = _header_like(df, _SOURCES_HEADER, file, "Major_Import_Sources_2020_2023")
    year = _NIR_HEADER.match(nir).group(1)  # type: ignore[union-attr]
    first, last = _SOURCES_HEADER.match(sources).groups()  # type: ignore[union-attr]
    order = pl.col("Import_Share_Order") if "Import_Share_Order" in df.columns else pl.lit(None)
    notes = pl.col("Notes") if "Notes" in df.columns else pl.lit(None, dtype=pl.Utf8)
    out = df.with_columns(
        trim(pl.col(source)).alias("data_source"),
        trim(order.cast(pl.Utf8)).alias("import_share_order"),
        trim(pl.col("Commodity")).alias("commodity"),
        pl.lit(year).alias("year"),
        trim(pl.col(nir)).alias("value_text"),
        # the published list has stray double and trailing spaces ("Brazil, Canada  ")
        trim(pl.col(sources).str.replace_all(r"\s+", " ")).alias("major_import_sources"),
        pl.lit(f"{first}-{last}").alias("import_sources_period"),
        trim(notes).alias("notes"),
    ).with_columns(classify_value(pl.col("value_text")))
    return to_contract(out, contract)


# ---------------------------------------------------------------- world production and reserves

# PROD_2023, PROD_EST_ 2024, CAP_EST_ 2024, RESERVES_2024 (after removing whitespace)
_WORLD_VALUE = re.compile(r"^(PROD|CAP|RESERVES?)(_EST)?_(\d{4})$", re.IGNORECASE)
_WORLD_NOTES = re.compile(r"^(PROD|CAP|RESERVES?)_NOTES$", re.IGNORECASE)
_WORLD_MEASURE = {"PROD": "production", "CAP": "capacity", "RESERVE": "reserves"}
WORLD_IDS = ("COMMODITY", "COUNTRY", "TYPE", "UNIT_MEAS")


def _world_measure(prefix: str) -> str:
    return _WORLD_MEASURE[prefix.upper().rstrip("S")]


def adapt_world(df: pl.DataFrame, contract: TableContract, file: str) -> pl.DataFrame:
    """World sheet → one row per (line, value column) that has a value or a note."""
    # Header whitespace is noise ("PROD_EST_ 2024"); match on the squeezed name, keep the original.
    squeezed = {c: re.sub(r"\s+", "", c) for c in df.columns}
    by_squeezed = {v.upper(): k for k, v in squeezed.items()}
    for name in WORLD_IDS:
        if name not in by_squeezed:
            raise RefusedFile(
                file, f"required column {name!r} is missing from the header", column=name
            )
    source = next(
        (by_squeezed[h.upper()] for h in DATA_SOURCE_HEADERS if h.upper() in by_squeezed), None
    )
    if source is None:
        raise RefusedFile(
            file, "required column 'SOURCE' is missing from the header", column="SOURCE"
        )
    df = drop_padding(df, file)
    values = {c: _WORLD_VALUE.match(squeezed[c]) for c in df.columns if c != LINE}
    values = {c: m for c, m in values.items() if m}
    if not any(_world_measure(m.group(1)) == "production" for m in values.values()):
        raise RefusedFile(
            file, "no production column such as 'PROD_2023' in the header", column="PROD_2023"
        )
    notes = {c: _WORLD_NOTES.match(squeezed[c]) for c in df.columns if c != LINE}
    notes = {c: _world_measure(m.group(1)) for c, m in notes.items() if m}
    lookup = pl.DataFrame(
        {
            "source_column": list(values),
            "measure": [_world_measure(m.group(1)) for m in values.values()],
            "year": [m.group(3) for m in values.values()],
            "is_estimate": ["true" if m.group(2) else "false" for m in values.values()],
        },
        schema={
            "source_column": pl.Utf8,
            "measure": pl.Utf8,
            "year": pl.Utf8,
            "is_estimate": pl.Utf8,
        },
    )
    ids = [by_squeezed[n] for n in WORLD_IDS]
    base = df.select([LINE, source, *ids])
    long = (
        df.unpivot(
            on=list(values), index=[LINE], variable_name="source_column", value_name="value_text"
        )
        .with_columns(trim(pl.col("value_text")).alias("value_text"))
        .join(lookup, on="source_column", how="left")
    )
    if notes:
        note_rows = (
            df.unpivot(
                on=list(notes), index=[LINE], variable_name="notes_column", value_name="notes"
            )
            .with_columns(
                pl.col("notes_column").replace_strict(notes, return_dtype=pl.Utf8).alias("measure"),
                trim(pl.col("notes")).alias("notes"),
            )
            .drop("notes_column")
        )
        long = long.join(note_rows, on=[LINE, "measure"], how="left")
    else:
        long = long.with_columns(pl.lit(None, dtype=pl.Utf8).alias("notes"))
    commodity, country, type_, unit = ids
    long = (
        long.filter(pl.col("value_text").is_not_null() | pl.col("notes").is_not_null())
        .join(base, on=LINE, how="left")
        .with_columns(
            trim(pl.col(source)).alias("data_source"),
            trim(pl.col(commodity)).alias("commodity"),
            trim(pl.col(country)).alias("country"),
            trim(pl.col(type_)).alias("type"),
            trim(pl.col(unit)).alias("unit"),
            *classify_value(pl.col("value_text")),
        )
        .sort([LINE, "source_column"], maintain_order=True)
    )
    return to_contract(long, contract)


__all__ = [
    "UnitMapping",
    "adapt_net_import_reliance",
    "adapt_salient",
    "adapt_world",
    "load_unit_mapping",
]
