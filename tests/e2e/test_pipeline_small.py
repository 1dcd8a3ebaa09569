"""End to end on a small fixed dataset whose mart values are worked out by hand.

The whole quarterly job (ingest → dbt build → checks → publication) runs in-process into a
temporary warehouse, twice: the second run proves idempotency (nothing new lands, the release is
unchanged byte for byte).

Hand calculations (quarter 2026-Q2, both quarters have 13 Saturdays):
* throughput, electronics (domestic FAC-0001 + FAC-0002; FAC-0009 is foreign and excluded):
  Q1 weekly output 100 + 200 = 300, Q2 110 + 210 = 320 → gain 320/300 − 1 = 0.0667 ≥ 0.05,
  on track;
  capacity 400 + 400 → utilization 320/800 = 0.4; defects (5 + 3)/320 = 0.025.
* chains, electronics Q2: inputs US 600, CN 300, AU 100 → domestic share 0.6 (meets 0.60);
  foreign shares CN 0.75 / AU 0.25 → HHI 0.5625 + 0.0625 = 0.625; top origin CN = 300/1000 = 0.3.
* funding: grant A1 $1,000,000.00 (TX, first action 2026-02-10 → 2026-Q1); loan A2 subsidy
  $50,000.00, face $2,000,000.00 (OH, 2026-Q2); contract C1 $300,000.00 − $50,000.00 de-obligation
  = $250,000.00 (TX, 2026-Q2, procurement incentive). A non-DOE contract (agency 072) never counts.
* workforce: completed Q1 100 + 50, Q2 120 + 80 = 200, cumulative 350; expert teams 20 → 26.
* deployment: lines announced in 2026-Q1 (electronics): L1 with a plan, L2 without → share 0.5.
"""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import execute_quarter
from orchestration.feeds.default_data import public_files
from orchestration.settings import WarehousePaths

pytestmark = pytest.mark.slow

Q1_WEEKS = [
    f"2026-{d}"
    for d in (
        "01-03",
        "01-10",
        "01-17",
        "01-24",
        "01-31",
        "02-07",
        "02-14",
        "02-21",
        "02-28",
        "03-07",
        "03-14",
        "03-21",
        "03-28",
    )
]
Q2_WEEKS = [
    f"2026-{d}"
    for d in (
        "04-04",
        "04-11",
        "04-18",
        "04-25",
        "05-02",
        "05-09",
        "05-16",
        "05-23",
        "05-30",
        "06-06",
        "06-13",
        "06-20",
        "06-27",
    )
]

CONTRACT_HEADER = (
    "contract_transaction_unique_key,contract_award_unique_key,award_id_piid,modification_number,"
    "federal_action_obligation,action_date,action_date_fiscal_year,awarding_agency_code,"
    "awarding_agency_name,recipient_uei,recipient_name,recipient_state_code,"
    "primary_place_of_performance_state_code,award_type_code,naics_code"
)
ASSISTANCE_HEADER = (
    "assistance_award_unique_key,award_id_fain,total_obligated_amount,total_face_value_of_loan,"
    "total_loan_subsidy_cost,award_base_action_date,award_base_action_date_fiscal_year,"
    "award_latest_action_date,awarding_agency_code,awarding_agency_name,recipient_uei,"
    "recipient_name,recipient_state_code,cfda_numbers_and_titles,assistance_type_code,"
    "assistance_type_description"
)
PARTICIPANT_NAMES = ("Zephyrine Quillfeather", "zephyrine.q@example.org")


def _weekly(rows: list[tuple], weeks: list[str]) -> list[str]:
    out = []
    for fac, name, state, domestic, output, defects in rows:
        for w in weeks:
            out.append(
                f"{fac},{name},{state},{w},electronics,wafers,semiconductors,"
                f"{output}.00,400.00,{defects}.00,{domestic}"
            )
    return out


def build_small_inbox(inbox: Path) -> None:
    files: dict[str, list[str]] = {
        "supplier/weekly_production_2026-Q1.csv": [
            "facility_id,facility_name,state_code,week_ending,sector,commodity,end_use,"
            "output_units,design_capacity_units,defective_units,is_domestic",
            *_weekly(
                [
                    ("FAC-0001", "Lone Star Wafers", "TX", "true", 100, 5),
                    ("FAC-0002", "Buckeye Fab", "OH", "true", 200, 3),
                    ("FAC-0009", "Offshore Fab", "TX", "false", 900, 90),
                ],
                Q1_WEEKS,
            ),
        ],
        "supplier/weekly_production_2026-Q2.csv": [
            "facility_id,facility_name,state_code,week_ending,sector,commodity,end_use,"
            "output_units,design_capacity_units,defective_units,is_domestic",
            *_weekly(
                [
                    ("FAC-0001", "Lone Star Wafers", "TX", "true", 110, 5),
                    ("FAC-0002", "Buckeye Fab", "OH", "true", 210, 3),
                    ("FAC-0009", "Offshore Fab", "TX", "false", 900, 90),
                ],
                Q2_WEEKS,
            ),
        ],
        "supplier/input_sourcing_2026-Q2.csv": [
            "facility_id,quarter,input_commodity,supplier_id,supplier_name,origin_country_iso,"
            "quantity,quantity_unit,value_usd",
            "FAC-0001,2026-Q2,silicon,SUP-1,Texas Silicon,US,6.00,t,600.00",
            "FAC-0001,2026-Q2,gallium,SUP-2,Shenzhen Metals,CN,3.00,t,300.00",
            "FAC-0001,2026-Q2,germanium,SUP-3,Perth Minerals,AU,1.00,t,100.00",
        ],
        "supplier/line_announcements_2026-Q2.csv": [
            "line_id,facility_id,sector,is_pilot,announced_date,deployment_plan_date,"
            "operational_date,report_date",
            "L-1,FAC-0001,electronics,true,2026-01-15,2026-03-01,2026-06-01,2026-06-30",
            "L-2,FAC-0002,electronics,false,2026-02-01,,,2026-06-30",
        ],
        "agency/assistance_awards_2026-Q2.csv": [
            ASSISTANCE_HEADER,
            "ASST_A1,DE-A1,1000000.00,,,2026-02-10,2026,2026-02-10,089,Department of Energy,"
            "UEI1,Lone Star Wafers,TX,81.089: Fossil Energy Research and Development,04,"
            "PROJECT GRANT",
            "ASST_A2,DE-A2,50000.00,2000000.00,50000.00,2026-05-05,2026,2026-05-05,089,"
            "Department of Energy,UEI2,Buckeye Fab,OH,81.126: Federal Loan Guarantees,07,"
            "DIRECT LOAN",
        ],
        "agency/contract_transactions_2026-Q2.csv": [
            CONTRACT_HEADER,
            "T1,CONT_C1,PIID1,0,300000.00,2026-04-15,2026,089,Department of Energy,UEI1,"
            "Lone Star Wafers,TX,TX,D,334413",
            "T2,CONT_C1,PIID1,P00001,-50000.00,2026-06-01,2026,089,Department of Energy,UEI1,"
            "Lone Star Wafers,TX,TX,D,334413",
            "T3,CONT_X9,PIID9,0,777.00,2026-04-20,2026,072,Agency for International "
            "Development,UEI9,Elsewhere Inc,MD,MD,C,541330",
        ],
        "agency/award_crosswalk_2026-Q2.csv": [
            "award_unique_key,project_id,project_name,project_type,facility_id,sector,mineral,"
            "upgrades_mine,partner_country_iso,report_date",
            "ASST_A1,P-1,Wafer mine upgrade,mine_upgrade,FAC-0001,electronics,silicon,true,,"
            "2026-06-30",
            "ASST_A2,P-2,Buckeye expansion,processing,FAC-0002,electronics,gallium,false,ZA,"
            "2026-06-30",
            "CONT_C1,P-3,Wafer refining,refining,FAC-0001,electronics,silicon,false,,2026-06-30",
            # a non-DOE award maps the foreign facility, so every reporting facility is known
            "CONT_X9,P-9,Offshore supply,processing,FAC-0009,electronics,silicon,false,,2026-06-30",
        ],
        "agency/milestone_reports_2026-Q2.csv": [
            "milestone_id,milestone_name,phase,target_date,status,completed_date,report_date",
            "M-01,Governance setup,1,2025-03-31,complete,2025-03-20,2026-06-30",
            "M-02,Capacity expansion,2,2025-09-30,delayed,,2026-06-30",
        ],
        "agency/risk_register_2026-Q2.csv": [
            "risk_id,category,facility_id,metric,value,threshold,unit,breach_when,report_date",
            "R-1,tailings_stewardship,FAC-0001,seepage rate,2.50,2.00,L/s,above,2026-06-30",
            "R-2,process_safety,FAC-0002,incident rate,0.40,1.00,per 200k h,above,2026-06-30",
        ],
        "workforce/training_reports_2026-Q1.csv": [
            "recipient_org_id,recipient_org_name,state_code,quarter,enrolled,completed,"
            "upskilling_packages,expert_team_headcount,median_wage_before,median_wage_after",
            "ORG-1,Texas Skills,TX,2026-Q1,150,100,90,10,20.00,24.00",
            "ORG-2,Ohio Works,OH,2026-Q1,60,50,40,10,22.00,25.00",
        ],
        "workforce/training_reports_2026-Q2.csv": [
            "recipient_org_id,recipient_org_name,state_code,quarter,enrolled,completed,"
            "upskilling_packages,expert_team_headcount,median_wage_before,median_wage_after",
            "ORG-1,Texas Skills,TX,2026-Q2,160,120,100,12,20.00,24.00",
            "ORG-2,Ohio Works,OH,2026-Q2,90,80,70,14,22.00,26.00",
        ],
        "workforce/participants_2026-Q2.csv": [
            "participant_id,recipient_org_id,full_name,email,date_of_birth,state_code,"
            "enrolled_date,completed_date,track",
            f"PT-1,ORG-1,{PARTICIPANT_NAMES[0]},{PARTICIPANT_NAMES[1]},1990-04-01,TX,"
            "2026-04-02,2026-06-15,operator",
            "PT-2,ORG-2,Rowan Example,rowan@example.org,1985-09-09,OH,2026-04-03,,technician",
        ],
    }
    for rel, lines in files.items():
        path = inbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The real public releases ride along, as in the default data (context marts need them).
    for src, feed in public_files():
        (inbox / feed).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, inbox / feed / src.name)


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("small_warehouse")
    paths = WarehousePaths.resolve(root).ensure()
    build_small_inbox(paths.inbox)
    first = execute_quarter("2026-Q2", paths)
    assert first.success, "the first run of the small dataset failed"
    release = paths.releases / "2026-Q2"
    snapshot = {p.relative_to(release): p.read_bytes() for p in release.rglob("*") if p.is_file()}
    con = duckdb.connect(str(paths.build_db), read_only=True)
    counts = {
        t: con.execute(f"select count(*) from {t}").fetchone()[0]
        for t in (
            "raw_supplier.weekly_production",
            "raw_agency.contract_transactions",
            "audit.file_loads",
            "audit.quarantined_rows",
        )
    }
    con.close()
    second = execute_quarter("2026-Q2", paths)
    assert second.success, "the second run of the small dataset failed"
    return paths, snapshot, counts


def _one(paths: WarehousePaths, sql: str, params=()):
    con = duckdb.connect(str(paths.published_db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_throughput_matches_the_hand_calculation(small_warehouse):
    paths, _, _ = small_warehouse
    (row,) = _one(
        paths,
        "select avg_weekly_output_units, utilization_rate, defect_rate, qoq_gain, on_track, "
        "domestic_facilities_reporting, weeks_reported, fiscal_year, fiscal_quarter "
        "from marts.fct_operations_throughput where sector = 'electronics' and quarter = '2026-Q2'",
    )
    assert row[0] == pytest.approx(320.0)
    assert row[1] == pytest.approx(0.4)
    assert row[2] == pytest.approx(0.025)
    assert row[3] == pytest.approx(320 / 300 - 1)
    assert row[4] is True
    assert row[5:] == (2, 13, 2026, 3)


def test_chains_diversification_matches_the_hand_calculation(small_warehouse):
    paths, _, _ = small_warehouse
    (row,) = _one(
        paths,
        "select domestic_input_share, meets_domestic_share_target, foreign_origin_hhi, "
        "top_foreign_origin_share, foreign_origin_count "
        "from marts.fct_chains_diversification "
        "where sector = 'electronics' and quarter = '2026-Q2'",
    )
    assert row[0] == pytest.approx(0.6)
    assert row[1] is True
    assert row[2] == pytest.approx(0.625)
    assert row[3] == pytest.approx(0.3)
    assert row[4] == 2


def test_funding_by_mechanism_matches_the_hand_calculation(small_warehouse):
    paths, _, _ = small_warehouse
    rows = _one(
        paths,
        "select mechanism, recipient_state_code, quarter, obligated_usd, loan_face_value_usd "
        "from marts.fct_funding_by_mechanism where obligated_usd <> 0 order by quarter, mechanism",
    )
    assert [(m, s, q, float(o), float(f or 0)) for m, s, q, o, f in rows] == [  # no 072 award
        ("grant", "TX", "2026-Q1", 1_000_000.00, 0.0),
        ("loan", "OH", "2026-Q2", 50_000.00, 2_000_000.00),
        ("procurement_incentive", "TX", "2026-Q2", 250_000.00, 0.0),
    ]


def test_workforce_and_deployment_match_the_hand_calculation(small_warehouse):
    paths, _, _ = small_warehouse
    (wf,) = _one(
        paths,
        "select completed, cumulative_completed, expert_team_headcount "
        "from marts.fct_workforce_impact where quarter = '2026-Q2'",
    )
    assert wf == (200, 350, 26)
    (dep,) = _one(
        paths,
        "select lines_announced, lines_with_deployment_plan, deployment_plan_share "
        "from marts.fct_deployment_readiness where quarter = '2026-Q1' and sector = 'electronics'",
    )
    assert dep[:2] == (2, 1)
    assert dep[2] == pytest.approx(0.5)


def test_second_run_changes_nothing(small_warehouse):
    paths, snapshot, counts = small_warehouse
    release = paths.releases / "2026-Q2"
    now = {p.relative_to(release): p.read_bytes() for p in release.rglob("*") if p.is_file()}
    assert now == snapshot  # same bytes, run.json included: the release was not rewritten
    assert sorted(p.name for p in paths.releases.iterdir() if not p.name.startswith(".")) == [
        "2026-Q2"
    ]
    con = duckdb.connect(str(paths.build_db), read_only=True)
    for table, n in counts.items():
        assert con.execute(f"select count(*) from {table}").fetchone()[0] == n, table
    con.close()


def test_release_manifest_lists_sources_and_no_personal_data(small_warehouse):
    paths, _, _ = small_warehouse
    release = paths.releases / "2026-Q2"
    manifest = json.loads((release / "manifest.json").read_text("utf-8"))
    files = {s["file"] for s in manifest["sources"]}
    assert "weekly_production_2026-Q2.csv" in files and "participants_2026-Q2.csv" in files
    marts = {m["name"]: m["rows"] for m in manifest["marts"]}
    assert "fct_operations_throughput" in marts and "fct_program_scorecard" in marts
    for path in release.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in PARTICIPANT_NAMES + ("1990-04-01",):
                assert secret.encode() not in data, f"{secret!r} leaked into {path.name}"
    con = duckdb.connect(str(paths.published_db), read_only=True)
    schemas = {
        r[0] for r in con.execute("select distinct schema_name from duckdb_tables()").fetchall()
    }
    con.close()
    assert not {s for s in schemas if s.startswith("raw_")}


def test_a_copy_of_the_warehouse_is_self_contained(small_warehouse, tmp_path):
    """The warehouse folder holds everything: a copy can be opened elsewhere (no absolute links)."""
    paths, _, _ = small_warehouse
    copy = tmp_path / "copy"
    shutil.copytree(paths.root, copy, ignore=shutil.ignore_patterns("dagster_home"))
    con = duckdb.connect(str(copy / "pledge.duckdb"), read_only=True)
    assert (
        con.execute("select count(*) from marts.fct_awards where counts_toward_pledge").fetchone()[
            0
        ]
        == 3
    )
    con.close()
