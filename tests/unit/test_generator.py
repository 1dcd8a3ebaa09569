"""The default-data generator: contract-shaped files, coverage the dashboard needs, determinism."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.feeds.contracts import load_contracts
from orchestration.feeds.generator import (
    TABLES,
    generate,
    main,
    n_facilities,
    size_for_weekly_rows,
    weekly_rows_for,
)
from orchestration.feeds.generator.common import fiscal_year
from orchestration.quarters import Quarter, quarter_range

QUARTERS = quarter_range("2025-Q1", "2026-Q3")
LAST_DAY = Quarter.parse("2026-Q3").end
CONTRACTS = load_contracts()
# Rows per table for seed 7, size 0.25, 2025-Q3..2025-Q4.
PINNED_SMALL = {
    "contract_transactions": 51,
    "assistance_awards": 85,
    "award_crosswalk": 133,
    "milestone_reports": 24,
    "risk_register": 64,
    "weekly_production": 312,
    "input_sourcing": 198,
    "line_announcements": 27,
    "training_reports": 16,
    "participants": 1156,
}


@pytest.fixture(scope="module")
def default_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("default")
    generate(out)
    return out


def read(out: Path, table: str, quarter: str | None = None) -> pl.DataFrame:
    """All cells as text (as ingest sees them); one quarter or all of them."""
    feed = CONTRACTS.tables[table].feed
    files = [out / feed / f"{table}_{q}.csv" for q in ([quarter] if quarter else QUARTERS)]
    return pl.concat([pl.read_csv(f, infer_schema_length=0) for f in files])


def tree_hash(out: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(out.rglob("*.csv")):
        h.update(f.relative_to(out).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


# --- files and formats -------------------------------------------------------------------------


def test_one_file_per_table_per_quarter_with_contract_headers(default_dir: Path):
    files = sorted(default_dir.rglob("*.csv"))
    assert len(files) == len(TABLES) * len(QUARTERS) == 70
    for table in TABLES:
        contract = CONTRACTS.tables[table]
        for q in QUARTERS:
            path = default_dir / contract.feed / f"{table}_{q}.csv"
            header = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
            assert header == ",".join(contract.column_names), path.name
            assert contract.matches(path.name)
            assert CONTRACTS.route(contract.feed, path.name) is contract


def test_utf8_lf_and_two_decimal_money(default_dir: Path):
    for f in default_dir.rglob("*.csv"):
        raw = f.read_bytes()
        raw.decode("utf-8")
        assert b"\r" not in raw and raw.endswith(b"\n")
        assert b"-0.00" not in raw
    tx = read(default_dir, "contract_transactions")
    assert tx["federal_action_obligation"].str.contains(r"^-?\d+\.\d{2}$").all()


def test_values_respect_contract_types_keys_and_bounds(default_dir: Path):
    for table in TABLES:
        contract = CONTRACTS.tables[table]
        df = read(default_dir, table)
        for q in QUARTERS:  # keys are unique inside each file
            part = read(default_dir, table, q)
            assert part.select(contract.key).is_duplicated().sum() == 0, (table, q)
        for c in contract.columns:
            col = df[c.name]
            if not c.nullable:
                assert col.null_count() == 0, (table, c.name)
            values = col.drop_nulls()
            if c.allowed:
                assert set(values.unique()) <= set(c.allowed), (table, c.name)
            if c.type == "date":
                assert values.str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
                # Only a plan's target date may lie ahead; every event date is in the range.
                if (table, c.name) != ("milestone_reports", "target_date"):
                    assert values.str.to_date().max() <= LAST_DAY, (table, c.name)
            if c.type == "boolean":
                assert set(values.unique()) <= {"true", "false"}
            if c.type == "quarter":
                assert set(values.unique()) <= set(QUARTERS)
            if c.type in ("integer", "decimal"):
                nums = values.cast(pl.Float64)
                if c.min is not None:
                    assert nums.min() >= c.min, (table, c.name)
                if c.max is not None:
                    assert nums.max() <= c.max, (table, c.name)


def test_fiscal_years_follow_action_dates(default_dir: Path):
    def fy(dates: pl.Series) -> pl.Series:
        d = dates.str.to_date()
        return (d.dt.year() + (d.dt.month() >= 10).cast(pl.Int32)).cast(pl.String)

    tx = read(default_dir, "contract_transactions")
    assert (fy(tx["action_date"]) == tx["action_date_fiscal_year"]).all()
    assert {"2025", "2026", "2027"} >= set(tx["action_date_fiscal_year"].unique())
    aa = read(default_dir, "assistance_awards")
    assert (fy(aa["award_base_action_date"]) == aa["award_base_action_date_fiscal_year"]).all()


# --- coverage the dashboard needs --------------------------------------------------------------


def test_fiscal_year_turns_on_1_october():
    frame = pl.DataFrame({"d": [date(2025, 9, 30), date(2025, 10, 1), date(2026, 1, 2)]})
    assert frame.select(fiscal_year("d"))["d"].to_list() == [2025, 2026, 2026]


def test_default_size_facilities_states_sectors(default_dir: Path):
    wp = read(default_dir, "weekly_production")
    assert wp["facility_id"].n_unique() == n_facilities(1.0) == 48
    assert wp["state_code"].n_unique() >= 15
    assert set(wp["sector"].unique()) == {
        "electronics",
        "medical_devices",
        "aluminum_processing",
        "rare_earth",
    }
    assert {"turbines", "magnets"} <= set(wp["end_use"].unique())
    assert wp["facility_id"].str.contains(r"^FAC-\d{4}$").all()


def test_every_facility_reports_every_saturday(default_dir: Path):
    wp = read(default_dir, "weekly_production")
    weeks = {d.isoformat() for q in QUARTERS for d in Quarter.parse(q).week_endings()}
    assert len(weeks) == 91
    per_fac = wp.group_by("facility_id").agg(pl.col("week_ending").unique().len())
    assert (per_fac["week_ending"] == len(weeks)).all()
    assert set(wp["week_ending"].unique()) == weeks
    assert all(date.fromisoformat(w).weekday() == 5 for w in weeks)
    assert wp.height == weekly_rows_for(1.0) == 48 * 91


def test_awards_cover_all_mechanisms_and_the_crosswalk_maps_each(default_dir: Path):
    tx = read(default_dir, "contract_transactions")
    aa = read(default_dir, "assistance_awards", "2026-Q3")
    cw = read(default_dir, "award_crosswalk", "2026-Q3")
    assert set(tx["awarding_agency_code"].unique()) == {"089"}
    assert set(tx["awarding_agency_name"].unique()) == {"Department of Energy"}
    assert set(tx["award_type_code"].unique()) == {"A", "B", "C", "D"}
    obligations = tx["federal_action_obligation"].cast(pl.Float64)
    assert (obligations == 0).sum() > 0 and (obligations < 0).sum() > 0
    mods = tx.group_by("contract_award_unique_key").agg(pl.len())
    assert mods["len"].max() >= 3 and (tx["modification_number"] == "0").sum() == mods.height
    codes = set(aa["assistance_type_code"].unique())
    assert codes & {"02", "03", "04", "05"} and codes & {"07", "08"}
    loans = aa.filter(pl.col("assistance_type_code").is_in(["07", "08"]))
    assert loans["total_face_value_of_loan"].null_count() == 0
    assert (loans["total_loan_subsidy_cost"] == loans["total_obligated_amount"]).all()
    assert aa["cfda_numbers_and_titles"].str.contains(r"^81\.\d{3}: ").all()
    keys = set(tx["contract_award_unique_key"]) | set(aa["assistance_award_unique_key"])
    assert len(keys) >= 300
    assert set(cw["award_unique_key"]) == keys
    assert set(cw["facility_id"]) <= set(read(default_dir, "weekly_production")["facility_id"])


def test_crosswalk_story_mines_recycling_africa(default_dir: Path):
    cw = read(default_dir, "award_crosswalk", "2026-Q3")
    wp = read(default_dir, "weekly_production", "2026-Q3").select("facility_id", "sector").unique()
    joined = cw.join(wp, on="facility_id", suffix="_wp")
    assert (joined["sector"] == joined["sector_wp"]).all()
    assert cw.filter(pl.col("upgrades_mine") == "true")["facility_id"].n_unique() == 6
    assert "recycling" in set(cw["project_type"])
    partners = cw.filter(pl.col("partner_country_iso").is_not_null())
    assert partners["project_id"].n_unique() == 2  # 2 of the 3 Africa-based collaborations
    assert set(partners["partner_country_iso"]) <= {"ZA", "ZM", "CD", "MA", "GA", "MG"}


def test_obligations_stay_below_the_pledge(default_dir: Path):
    tx = read(default_dir, "contract_transactions")
    aa = read(default_dir, "assistance_awards", "2026-Q3")
    obligated = (
        tx["federal_action_obligation"].cast(pl.Float64).sum()
        + aa["total_obligated_amount"].cast(pl.Float64).sum()
    )
    face = aa["total_face_value_of_loan"].cast(pl.Float64).sum()
    assert 400e6 < obligated < 1e9
    assert obligated + face < 1e9  # even counting loans at face value


def test_sourcing_diversification_story(default_dir: Path):
    src = read(default_dir, "input_sourcing").with_columns(pl.col("value_usd").cast(pl.Float64))
    sectors = read(default_dir, "weekly_production", "2025-Q1").select("facility_id", "sector")
    src = src.join(sectors.unique(), on="facility_id")
    assert {"ZA", "CD", "ZM", "MA", "GA", "MG", "CN"} <= set(src["origin_country_iso"])
    last = src.filter(pl.col("quarter") == "2026-Q3")
    share = last.group_by("sector").agg(
        (
            pl.col("value_usd").filter(pl.col("origin_country_iso") == "US").sum()
            / pl.col("value_usd").sum()
        ).alias("domestic")
    )
    domestic = dict(share.iter_rows())
    assert 0 < sum(v >= 0.58 for v in domestic.values()) < 4  # some sectors near 60%, not all
    foreign_re = last.filter(pl.col("sector") == "rare_earth", pl.col("origin_country_iso") != "US")
    by_country = foreign_re.group_by("origin_country_iso").agg(pl.col("value_usd").sum())
    assert by_country.sort("value_usd")["origin_country_iso"][-1] == "CN"
    assert set(src["quarter"]) == set(QUARTERS)


def test_throughput_grows_faster_in_some_sectors(default_dir: Path):
    wp = read(default_dir, "weekly_production").with_columns(
        pl.col("output_units").cast(pl.Float64)
    )
    first = (
        wp.filter(pl.col("week_ending") <= "2025-03-31")
        .group_by("sector")
        .agg(pl.col("output_units").mean().alias("a"))
    )
    last = (
        wp.filter(pl.col("week_ending") >= "2026-07-01")
        .group_by("sector")
        .agg(pl.col("output_units").mean().alias("b"))
    )
    growth = {s: (b / a) ** (1 / 6) - 1 for s, a, b in first.join(last, on="sector").iter_rows()}
    assert growth["rare_earth"] > 0.05 and growth["electronics"] > 0.05
    assert growth["aluminum_processing"] < 0.05 and growth["medical_devices"] < 0.05


def test_lines_milestones_and_risks(default_dir: Path):
    lines = read(default_dir, "line_announcements", "2026-Q3")
    assert (lines["report_date"] == "2026-09-30").all()
    assert 0.6 < lines["deployment_plan_date"].is_not_null().mean() < 1.0
    pilots = lines.filter(pl.col("is_pilot") == "true").with_columns(
        days=(
            pl.col("operational_date").str.to_date() - pl.col("announced_date").str.to_date()
        ).dt.total_days()
    )
    assert pilots.height == 5 and (pilots["days"] <= 365).sum() == 4
    counts = [read(default_dir, "line_announcements", q).height for q in QUARTERS]
    assert counts == sorted(counts) and counts[0] > 0  # a line appears from its announcement on
    ms = read(default_dir, "milestone_reports", "2026-Q3")
    assert {"complete", "delayed"} <= set(ms["status"]) and set(ms["phase"]) == {"1", "2", "3", "4"}
    done = ms.filter(pl.col("status") == "complete")
    assert done["completed_date"].null_count() == 0
    risk = read(default_dir, "risk_register").with_columns(
        pl.col("value", "threshold").cast(pl.Float64)
    )
    assert set(risk["category"]) == {"tailings_stewardship", "carbon_accounting", "process_safety"}
    breach = risk.filter(
        pl.when(pl.col("breach_when") == "above")
        .then(pl.col("value") > pl.col("threshold"))
        .otherwise(pl.col("value") < pl.col("threshold"))
    )
    assert 0 < breach.height < risk.height * 0.2


def test_workforce_roster_and_reports_agree(default_dir: Path):
    people = read(default_dir, "participants")
    assert people.height >= 10_000 and people["participant_id"].n_unique() >= 10_000
    for col in ("full_name", "email", "date_of_birth"):
        assert people[col].null_count() == 0
    assert people["email"].str.contains(r"^[a-z.]+\.\d+@example\.(com|org|net)$").all()
    reports = read(default_dir, "training_reports")
    orgs = reports["recipient_org_id"].n_unique()
    assert reports.height == orgs * len(QUARTERS)  # every recipient, every quarter
    # enrolled in a report == roster rows enrolled that quarter at that org
    q = "2025-Q3"
    roster = read(default_dir, "participants", q)
    enrolled = (
        roster.filter(pl.col("enrolled_date").str.to_date() >= Quarter.parse(q).start)
        .group_by("recipient_org_id")
        .len()
    )
    rep = read(default_dir, "training_reports", q).join(enrolled, on="recipient_org_id", how="left")
    assert (rep["enrolled"].cast(pl.Int64) == rep["len"].fill_null(0)).all()
    total = (
        reports.group_by("quarter")
        .agg(pl.col("completed", "expert_team_headcount").cast(pl.Int64).sum())
        .sort("quarter")
    )
    assert 0 < total["completed"].sum() < 14_000  # behind the 2,000-a-quarter pace to 40,000
    heads = total["expert_team_headcount"]
    assert heads[-1] / heads[0] >= 1.4
    wages = reports.drop_nulls("median_wage_after").with_columns(
        pl.col("median_wage_before", "median_wage_after").cast(pl.Float64)
    )
    assert (wages["median_wage_after"] > wages["median_wage_before"]).all()


# --- determinism, sizing, dates ----------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path):
    a = generate(tmp_path / "a", seed=11, size=0.25)
    generate(tmp_path / "b", seed=11, size=0.25)
    generate(tmp_path / "c", seed=12, size=0.25)
    assert tree_hash(tmp_path / "a") == tree_hash(tmp_path / "b")
    assert tree_hash(tmp_path / "a") != tree_hash(tmp_path / "c")
    assert a.facilities == 12 and a.rows["weekly_production"] == 12 * 91


def test_small_size_row_counts(tmp_path: Path):
    s = generate(tmp_path, seed=7, size=0.25, first_quarter="2025-Q3", last_quarter="2025-Q4")
    weeks = sum(len(Quarter.parse(q).week_endings()) for q in ("2025-Q3", "2025-Q4"))
    assert s.quarters == ["2025-Q3", "2025-Q4"] and len(s.files) == 20
    assert s.rows["weekly_production"] == 12 * weeks == 12 * 26
    assert s.rows["milestone_reports"] == 12 * 2
    assert s.rows["training_reports"] == 8 * 2  # 30 * 0.25 recipients, rounded
    assert s.rows["award_crosswalk"] >= s.rows["assistance_awards"] // 2 > 0
    # Pinned: a deliberate change to the generator updates these numbers.
    assert s.rows == PINNED_SMALL
    for table in TABLES:
        assert s.rows[table] == sum(read(tmp_path, table, q).height for q in ("2025-Q3", "2025-Q4"))


def test_weekly_rows_helpers_invert():
    assert weekly_rows_for(1.0) == 4368
    for rows in (100_000, 1_000_000, 10_000_000):
        size = size_for_weekly_rows(rows)
        got = weekly_rows_for(size)
        assert rows <= got < rows + 91
    assert n_facilities(0.01) == 8
    with pytest.raises(ValueError):
        n_facilities(0)


def test_today_stops_at_the_last_complete_quarter(tmp_path: Path):
    s = generate(tmp_path, size=0.2, today=date(2026, 1, 15))
    assert s.quarters[-1] == "2025-Q4"
    dates = read(tmp_path, "participants", "2025-Q4")["completed_date"].drop_nulls()
    assert dates.str.to_date().max() <= date(2025, 12, 31)
    with pytest.raises(ValueError, match="no complete quarter"):
        generate(tmp_path / "x", size=0.2, today=date(2025, 2, 1))


def test_cli_writes_and_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert (
        main(
            [
                "--out",
                str(tmp_path),
                "--seed",
                "3",
                "--weekly-rows",
                "1000",
                "--first-quarter",
                "2026-Q1",
                "--last-quarter",
                "2026-Q1",
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    assert "weekly_production" in out and "total" in out
    assert "2026-Q1 done" in err
    assert (tmp_path / "supplier" / "weekly_production_2026-Q1.csv").exists()
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
