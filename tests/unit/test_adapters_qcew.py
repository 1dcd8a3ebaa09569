"""QCEW adapter on the real BLS files: two layouts, one table."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from _public_files import FRANKLIN, NEVADA, read_as_engine

from orchestration.feeds.contracts import load_contracts
from orchestration.ingest.adapters import ADAPTERS
from orchestration.ingest.faults import RefusedFile

CONTRACT = load_contracts().tables["qcew"]


def qcew(path: Path) -> pl.DataFrame:
    return ADAPTERS["qcew"](read_as_engine(path), CONTRACT, path.name)


def test_both_layouts_give_the_same_columns_and_types() -> None:
    bulk, api = qcew(NEVADA), qcew(FRANKLIN[0])
    assert bulk.schema == api.schema
    assert bulk.columns == [*CONTRACT.column_names, "_line"]
    assert (bulk.height, api.height) == (9892, 2255)
    assert api["area_title"].null_count() == api.height  # the API slice has no titles
    assert bulk["area_title"].unique().to_list() == ["Nevada -- Statewide"]


def test_nevada_2016_q1_private_metal_ore_mining() -> None:
    row = (
        qcew(NEVADA)
        .filter(
            pl.col("area_fips") == "32000",
            pl.col("own_code") == "5",
            pl.col("industry_code") == "2122",
            pl.col("year") == "2016",
            pl.col("qtr") == "1",
        )
        .row(0, named=True)
    )
    assert row["qtrly_estabs"] == "88"  # published as qtrly_estabs_count
    assert row["month3_emplvl"] == "10815"
    assert row["total_qtrly_wages"] == "307521992"
    assert row["agglvl_code"] == "56"


def test_suppressed_cells_keep_what_was_published_and_the_flag() -> None:
    # raw keeps BLS's zeros next to the N flag; staging turns them into NULL
    rows = qcew(FRANKLIN[0]).filter(
        pl.col("industry_code").is_in(["3313", "3314"]), pl.col("own_code") == "5"
    )
    assert rows.select(
        "industry_code", "disclosure_code", "qtrly_estabs", "month3_emplvl"
    ).rows() == [("3313", "N", "2", "0"), ("3314", "N", "2", "0")]


def test_codes_keep_leading_zeros() -> None:
    out = qcew(FRANKLIN[0])
    assert out["area_fips"].unique().to_list() == ["39049"]
    assert "0" in out["own_code"].to_list() and "10" in out["industry_code"].to_list()


def test_missing_required_column_is_refused_by_name() -> None:
    df = read_as_engine(FRANKLIN[0]).drop("month3_emplvl")
    with pytest.raises(RefusedFile) as err:
        ADAPTERS["qcew"](df, CONTRACT, "2020.q1.39049.csv")
    assert err.value.column == "month3_emplvl"
    assert "required column 'month3_emplvl' is missing" in str(err.value)


def test_missing_estabs_names_both_spellings() -> None:
    df = read_as_engine(FRANKLIN[0]).drop("qtrly_estabs")
    with pytest.raises(RefusedFile, match="'qtrly_estabs' or 'qtrly_estabs_count'"):
        ADAPTERS["qcew"](df, CONTRACT, "2020.q1.39049.csv")
