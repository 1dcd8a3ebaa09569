"""USGS adapters on the real MCS 2025 files (vendored byte for byte)."""

from __future__ import annotations

import logging
from pathlib import Path

import polars as pl
import pytest
from _public_files import FIG2, SALIENT, WORLD, read_as_engine

from orchestration.feeds.contracts import load_contracts
from orchestration.ingest.adapters import ADAPTERS
from orchestration.ingest.faults import RefusedFile

CONTRACTS = load_contracts().tables


def salient(path: Path | str) -> pl.DataFrame:
    return ADAPTERS["usgs_salient"](
        read_as_engine(path), CONTRACTS["usgs_salient"], Path(path).name
    )


@pytest.fixture(scope="module")
def all_salient() -> pl.DataFrame:
    return pl.concat([salient(p) for p in sorted(SALIENT.glob("*.csv"))])


def test_all_85_salient_files_reshape(all_salient: pl.DataFrame) -> None:
    assert len(list(SALIENT.glob("*.csv"))) == 85
    assert all_salient.columns == [*CONTRACTS["usgs_salient"].column_names, "_line"]
    assert all(dtype == pl.Utf8 for dtype in all_salient.drop("_line").dtypes)
    assert all_salient.height == 4755
    assert all_salient["commodity"].n_unique() == 85
    # the contract key is unique: repeated headers (iodine Consump_t twice) stay apart
    assert all_salient.select(["commodity", "year", "source_column"]).is_unique().all()


def test_markers_are_kept_never_zero(all_salient: pl.DataFrame) -> None:
    counts = dict(all_salient.group_by("marker").len().iter_rows())
    assert counts == {
        None: 4146,
        "W": 197,
        "NA": 159,
        "E": 87,
        "bound": 136,
        "text": 20,
        "range": 10,
    }
    markers = all_salient.filter(pl.col("marker").is_not_null())
    assert markers["value"].null_count() == markers.height


def test_cobalt_2024_net_import_reliance_is_76(all_salient: pl.DataFrame) -> None:
    row = all_salient.filter(
        pl.col("commodity") == "Cobalt",
        pl.col("year") == "2024",
        pl.col("source_column") == "NIR_pct",
    ).row(0, named=True)
    assert (row["measure"], row["unit"], row["value"], row["marker"]) == (
        "net_import_reliance",
        "percent",
        "76",
        None,
    )


def test_lithium_2020_net_import_reliance_is_the_bound_more_than_50(
    all_salient: pl.DataFrame,
) -> None:
    row = all_salient.filter(
        pl.col("commodity") == "Lithium",
        pl.col("year") == "2020",
        pl.col("measure") == "net_import_reliance",
    ).row(0, named=True)
    assert row["value"] is None
    assert (row["marker"], row["bound_operator"], row["bound_value"], row["value_text"]) == (
        "bound",
        ">",
        "50",
        ">50",
    )


def test_net_import_reliance_spellings_all_read_as_percent(all_salient: pl.DataFrame) -> None:
    nir = all_salient.filter(pl.col("measure").str.contains("net_import_reliance"))
    assert nir["unit"].unique().to_list() == ["percent"]
    by_column = dict(
        nir.filter(pl.col("commodity").is_in(["Nickel", "Rare Earths"]))
        .select("source_column", "measure")
        .unique()
        .iter_rows()
    )
    assert by_column == {
        "NIR_ct": "net_import_reliance",
        "NIR_Compounds-Metals_t": "net_import_reliance_compounds_metals",
        "NIR_Concentrate_t": "net_import_reliance_concentrate",
    }
    rare_2024 = nir.filter(pl.col("commodity") == "Rare Earths", pl.col("year") == "2024")
    assert dict(rare_2024.select("measure", "value_text").iter_rows()) == {
        "net_import_reliance_compounds_metals": "80",
        "net_import_reliance_concentrate": "E",
    }


def test_units_come_from_the_suffix(all_salient: pl.DataFrame) -> None:
    units = dict(all_salient.select("source_column", "unit").unique().iter_rows())
    assert units["Price_Spot_dlb"] == "dollars per pound"
    assert units["USprod_Mine_t"] == "metric tons"
    assert units["Employment_num"] == "number"
    assert units["Stocks_"] == "unknown"  # tungsten publishes no suffix: loaded, flagged


def test_quirks_of_the_real_files() -> None:
    # bauxite: header "Source", six blank padding rows → only the five years remain
    bauxite = salient(SALIENT / "mcs2025-bauxi_salient.csv")
    assert bauxite["year"].unique().sort().to_list() == ["2020", "2021", "2022", "2023", "2024"]
    assert bauxite["data_source"].unique().to_list() == ["MCS2025"]
    # cadmium has no BOM; "Less than 1/2 unit." is a bound below one half
    cadmium = salient(SALIENT / "mcs2025-cadmi_salient.csv")
    half = cadmium.filter(pl.col("value_text") == "Less than 1/2 unit.").row(0, named=True)
    assert (half["marker"], half["bound_operator"], half["bound_value"]) == ("bound", "<", "0.5")
    # titanium concentrates repeat Price_dt four times: four measures, not a key conflict
    timin = salient(SALIENT / "mcs2025-timin_salient.csv").filter(pl.col("year") == "2020")
    prices = dict(
        timin.filter(pl.col("measure").str.starts_with("price"))
        .select("source_column", "value")
        .iter_rows()
    )
    assert prices == {
        "Price_dt": "1170",
        "Price_dt#2": "459",
        "Price_dt#3": "215",
        "Price_dt#4": "757",
    }
    # quartz: "500–15,000" is a range marker; a quoted header with a comma survives
    quartz = salient(SALIENT / "mcs2025-quart_salient.csv")
    assert quartz.filter(pl.col("value_text") == "500–15,000")["marker"].to_list() == ["range"]
    assert "CrystalImports, piezoelectric_t" in quartz["source_column"].to_list()


def test_new_commodity_with_a_new_suffix_needs_no_code_change(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    new = tmp_path / "mcs2026-unobt_salient.csv"
    new.write_bytes(
        "\ufeffDataSource,Commodity,Year,USprod_Mine_t,Price_dlb,Output_zz,NIR_pct\r\n"
        "MCS2026,Unobtainium ,2025,W,12.5,7,>75\r\n"
        "MCS2026,Unobtainium ,2026,1\u2009200,NA,8,E\r\n".replace("\u2009", "").encode()
    )
    assert CONTRACTS["usgs_salient"].matches(new.name)
    with caplog.at_level(logging.WARNING):
        out = salient(new)
    assert out.height == 8
    assert out["commodity"].unique().to_list() == ["Unobtainium"]
    zz = out.filter(pl.col("source_column") == "Output_zz")
    assert zz["unit"].unique().to_list() == ["unknown"]
    assert zz["measure"].unique().to_list() == ["output"]
    assert "Output_zz" in caplog.text and "no known unit suffix" in caplog.text
    nir = out.filter(pl.col("measure") == "net_import_reliance").sort("year")
    assert nir.select("marker", "bound_value").rows() == [("bound", "75"), ("E", None)]


def test_bad_year_survives_as_text_for_the_engine_to_quarantine(tmp_path: Path) -> None:
    # the shared bad input: the real cobalt file with Year 2022 written as 'twenty22'
    bad = tmp_path / "mcs2025-cobal_bad_year_salient.csv"
    real = (SALIENT / "mcs2025-cobal_salient.csv").read_bytes()
    bad.write_bytes(real.replace(b"Cobalt,2022,", b"Cobalt,twenty22,"))
    out = salient(bad)
    bad = out.filter(pl.col("year") == "twenty22")
    assert bad.height == 11  # every measure of line 4, all with that line number
    assert bad["_line"].unique().to_list() == [4]
    assert out.filter(pl.col("year") != "twenty22")["year"].n_unique() == 4


def test_salient_missing_year_column_is_refused() -> None:
    df = read_as_engine(SALIENT / "mcs2025-cobal_salient.csv").drop("Year")
    with pytest.raises(RefusedFile) as err:
        ADAPTERS["usgs_salient"](df, CONTRACTS["usgs_salient"], "mcs2025-cobal_salient.csv")
    assert err.value.column == "Year"
    assert str(err.value) == (
        "refused mcs2025-cobal_salient.csv, column 'Year': "
        "required column 'Year' is missing from the header"
    )


def test_header_only_salient_gives_no_rows() -> None:
    df = read_as_engine(SALIENT / "mcs2025-cobal_salient.csv").head(0)
    out = ADAPTERS["usgs_salient"](df, CONTRACTS["usgs_salient"], "x_salient.csv")
    assert out.height == 0
    assert out.columns == [*CONTRACTS["usgs_salient"].column_names, "_line"]


def test_fig2_net_import_reliance() -> None:
    out = ADAPTERS["usgs_net_import_reliance"](
        read_as_engine(FIG2), CONTRACTS["usgs_net_import_reliance"], FIG2.name
    )
    assert out.height == 64
    assert out["year"].unique().to_list() == ["2024"]
    assert out["import_sources_period"].unique().to_list() == ["2020-2023"]
    cobalt = out.filter(pl.col("commodity") == "COBALT, metal, oxides, and salts").row(
        0, named=True
    )
    assert (cobalt["value"], cobalt["major_import_sources"]) == (
        "76",
        "Norway, Finland, Japan, Canada",
    )
    lithium = out.filter(pl.col("commodity") == "LITHIUM").row(0, named=True)
    assert (lithium["value"], lithium["marker"], lithium["bound_value"]) == (None, "bound", "50")
    niobium = out.filter(pl.col("commodity") == "NIOBIUM (COLUMBIUM)")
    assert niobium["major_import_sources"].to_list() == ["Brazil, Canada"]  # trailing spaces gone


def test_world_long_layout() -> None:
    out = ADAPTERS["usgs_world"](
        read_as_engine(WORLD), CONTRACTS["usgs_world_production"], WORLD.name
    )
    assert out.columns == [*CONTRACTS["usgs_world_production"].column_names, "_line"]
    assert out.height == 3150
    key = ["commodity", "country", "type", "measure", "year"]
    assert out.select(key).is_unique().all()
    cobalt = out.filter(
        pl.col("commodity") == "Cobalt",
        pl.col("measure") == "production",
        pl.col("year") == "2024",
        pl.col("country") == "World total (rounded)",
    ).row(0, named=True)
    assert (cobalt["value"], cobalt["is_estimate"], cobalt["source_column"]) == (
        "290000",
        "true",
        "PROD_EST_ 2024",
    )
    assert out.filter(pl.col("commodity") == "Barite")["commodity"].len() > 0  # 'Barite  ' trimmed


def test_world_next_release_headers_need_no_code_change() -> None:
    df = read_as_engine(WORLD).rename(
        {
            "PROD_2023": "PROD_2024",
            "PROD_EST_ 2024": "PROD_EST_2025",
            "RESERVES_2024": "RESERVES_2025",
        }
    )
    out = ADAPTERS["usgs_world"](df, CONTRACTS["usgs_world_production"], "MCS2026_World_Data.csv")
    years = out.group_by("measure", "year", "is_estimate").len().sort("measure", "year")
    assert years.filter(pl.col("measure") == "production").select("year", "is_estimate").rows() == [
        ("2024", "false"),
        ("2025", "true"),
    ]


def test_world_without_production_columns_is_refused() -> None:
    df = read_as_engine(WORLD).drop("PROD_2023", "PROD_EST_ 2024")
    with pytest.raises(RefusedFile, match="no production column"):
        ADAPTERS["usgs_world"](df, CONTRACTS["usgs_world_production"], WORLD.name)
