"""Real public files end to end: vendored files → inbox → land_inbox → dbt → context marts.

Asserts exact values published by BLS, USGS and USAspending, so a regression anywhere on the way
(adapter, engine cast, staging suppression, mart grain) shows as a wrong number.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

land = pytest.importorskip("orchestration.ingest.land", reason="ingest engine not installed")
dbt_main = pytest.importorskip("dbt.cli.main")

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = ROOT / "seeds" / "feeds" / "public"
TRANSFORMS = ROOT / "transforms"

pytestmark = pytest.mark.slow


def stage_inbox(inbox: Path) -> None:
    """What the default-data step does: public releases to inbox/public, USAspending to agency."""
    (inbox / "public").mkdir(parents=True)
    (inbox / "agency").mkdir(parents=True)
    for f in [*(PUBLIC / "usgs_mcs_2025").rglob("*.csv"), *(PUBLIC / "qcew").glob("*.csv")]:
        shutil.copyfile(f, inbox / "public" / f.name)
    for f in (PUBLIC / "usaspending").glob("Contract_*_TransactionHistory_*.csv"):
        shutil.copyfile(f, inbox / "agency" / f.name)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("public_e2e")
    stage_inbox(tmp / "inbox")
    db = tmp / "pledge.duckdb"
    con = duckdb.connect(str(db))
    try:
        result = land.land_inbox(con, tmp / "inbox", archive_dir=tmp / "archive")
        statuses = {f.file: f.status for f in result.files}
        assert set(statuses.values()) == {"loaded"}, statuses
        assert len(statuses) == 85 + 2 + 5 + 2  # salient, Fig2 + world, QCEW, USAspending
    finally:
        con.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLEDGE_DUCKDB", str(db))
        res = dbt_main.dbtRunner().invoke(
            [
                "build",
                "--project-dir",
                str(TRANSFORMS),
                "--profiles-dir",
                str(TRANSFORMS),
                "--target-path",
                str(tmp / "target"),
                "--log-path",
                str(tmp / "logs"),
                "--select",
                "+path:models/marts/context",
            ]
        )
    assert res.success, res.exception
    return db


def query(db: Path, sql: str) -> list[tuple]:
    # dbt-duckdb keeps its in-process connection open; a second one must use the same config
    con = duckdb.connect(str(db))
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_nevada_2016_q1_private_metal_ore_mining(warehouse: Path) -> None:
    assert query(
        warehouse,
        """select establishments, month3_employment, total_quarterly_wages_usd,
                  fiscal_year, fiscal_quarter
           from marts.fct_industry_employment
           where area_fips = '32000' and own_code = '5' and industry_code = '2122'
             and quarter = '2016-Q1'""",
    ) == [(88, 10815, Decimal("307521992.00"), 2016, 2)]


def test_franklin_county_suppressed_cells_are_null_with_flag(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """select industry_code, disclosure_code, is_suppressed, establishments,
                  month1_employment, month3_employment, total_quarterly_wages_usd
           from marts.fct_industry_employment
           where area_fips = '39049' and industry_code in ('3313', '3314') and quarter = '2020-Q1'
           order by industry_code""",
    )
    assert rows == [
        ("3313", "N", True, 2, None, None, None),
        ("3314", "N", True, 2, None, None, None),
    ]
    # raw keeps what BLS published (zeros) next to the flag
    assert query(
        warehouse,
        """select month3_emplvl, disclosure_code from raw_public.qcew
           where area_fips = '39049' and industry_code = '3313' and qtr = 1 and own_code = '5'""",
    ) == [(0, "N")]


def test_cobalt_2024_net_import_reliance_is_76_percent(warehouse: Path) -> None:
    assert query(
        warehouse,
        """select net_import_reliance_pct, marker, top_import_source
           from marts.fct_mineral_import_reliance
           where commodity = 'Cobalt' and measure = 'net_import_reliance' and year = 2024""",
    ) == [(Decimal("76.00"), None, "Norway")]


def test_lithium_2020_is_the_bound_more_than_50(warehouse: Path) -> None:
    assert query(
        warehouse,
        """select net_import_reliance_pct, marker, bound_operator, bound_value, value_text
           from marts.fct_mineral_import_reliance
           where commodity = 'Lithium' and measure = 'net_import_reliance' and year = 2020""",
    ) == [(None, "bound", ">", Decimal("50.00"), ">50")]


def test_all_85_salient_commodities_land(warehouse: Path) -> None:
    assert query(
        warehouse, "select count(*), count(distinct commodity) from raw_public.usgs_salient"
    ) == [(4755, 85)]
    assert query(warehouse, "select count(*) from audit.quarantined_rows") == [(0,)]


def test_both_qcew_layouts_land_in_one_table(warehouse: Path) -> None:
    rows = dict(query(warehouse, "select _source_file, count(*) from raw_public.qcew group by 1"))
    assert rows["2016.q1-q4 32000 Nevada -- Statewide.csv"] == 9892
    assert rows["2020.q1.39049.csv"] == 2255


def test_federal_obligations_reconcile_to_the_files_to_the_cent(warehouse: Path) -> None:
    assert query(
        warehouse,
        """select source_file, file_transactions, file_total_usd, difference_usd
           from marts.fct_federal_obligations_reconciliation order by source_file""",
    ) == [
        (
            "Contract_7200AA23M00003_TransactionHistory_1.csv",
            16,
            Decimal("104676702.11"),
            Decimal("0.00"),
        ),
        (
            "Contract_AID121C1700004_TransactionHistory_1.csv",
            28,
            Decimal("52993490.07"),
            Decimal("0.00"),
        ),
    ]
    assert query(
        warehouse,
        """select sum(obligations_usd), sum(transactions), bool_or(is_pledge_agency)
           from marts.fct_federal_obligations""",
    ) == [(Decimal("157670192.18"), 44, False)]


def test_cobalt_world_concentration(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """select year, top_country, world_total_source, top_country_share
           from marts.fct_mineral_global_concentration
           where commodity = 'Cobalt' and type like 'Mine production, cobalt content%'""",
    )
    assert len(rows) == 1
    year, top, source, share = rows[0]
    assert (year, top, source) == (2024, "Congo (Kinshasa)", "published")
    assert share == Decimal("0.7586")  # 220,000 of 290,000 t (estimated 2024)
