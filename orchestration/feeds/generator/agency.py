"""Agency feed: DOE awards in USAspending layouts, the award crosswalk, milestone reports and
the risk register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from orchestration.feeds.generator import reference as ref
from orchestration.feeds.generator.common import date_series, day, fiscal_year, rng
from orchestration.feeds.generator.world import World, business_day
from orchestration.quarters import Quarter

NONE = "-NONE-"
# PIID instrument letter by award type (DOE style 892433<yy><letter><program><serial>).
PIID_LETTER = {"A": "A", "B": "P", "C": "F", "D": "C"}
PROGRAM_OFFICE = {
    "mine_upgrade": "FE",
    "refining": "FE",
    "processing": "MS",
    "recycling": "EE",
    "pilot_line": "MS",
    "workforce": "EE",
}
MAX_AMENDMENTS = 3


def _award_frame(world: World, mechanism: str) -> pl.DataFrame:
    aw = world.awards.filter(pl.col("mechanism") == mechanism)
    proj = world.projects
    return aw.with_columns(
        project_type=proj["project_type"].gather(aw["project"]),
        fac_index=proj["fac_index"].gather(aw["project"]),
    )


def _fy2(days: np.ndarray) -> np.ndarray:
    """Two-digit fiscal year of each day number, for award identifiers."""
    d = days.astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(int) + 1970
    month = d.astype("datetime64[M]").astype(int) % 12 + 1
    return (year + (month >= 10)) % 100


def contract_transactions_all(world: World) -> pl.DataFrame:
    """Every contract transaction up to the last quarter's end: the base action (modification
    0) and modifications P00001.. that add funding, change nothing (0) or de-obligate (< 0)."""
    aw = _award_frame(world, "contract")
    r = rng(world.seed, "contracts")
    n = aw.height
    types = np.array([t for t, _ in ref.CONTRACT_TYPES])[
        r.choice(len(ref.CONTRACT_TYPES), n, p=[w for _, w in ref.CONTRACT_TYPES])
    ]
    n_mods = 1 + np.minimum(r.poisson(2.4, n), 7)
    award = np.repeat(np.arange(n), n_mods)
    mod = np.arange(len(award)) - np.repeat(np.cumsum(n_mods) - n_mods, n_mods)
    gaps = np.where(mod == 0, 0, r.integers(30, 161, len(award)))
    base = aw["base_day"].to_numpy()
    action = business_day(np.repeat(base, n_mods) + _group_cumsum(gaps, n_mods))
    planned = aw["planned"].to_numpy()[award]
    kind = r.random(len(award))
    later = planned * r.uniform(0.08, 0.25, len(award))
    amount = np.where(
        mod == 0,
        planned * r.uniform(0.35, 0.55, len(award)),
        np.where(
            kind < 0.65,
            later,
            np.where(kind < 0.85, 0.0, -planned * r.uniform(0.02, 0.1, len(award))),
        ),
    )
    keep = action <= world.end_day
    fy = _fy2(base)
    serial = np.arange(n) + 1 + 1000 * (world.seed % 97)
    office = np.array([PROGRAM_OFFICE[t] for t in aw["project_type"]])
    piid = [
        f"892433{y:02d}{PIID_LETTER[t]}{o}{s:06d}"
        for y, t, o, s in zip(fy, types, office, serial, strict=True)
    ]
    # BPA calls and delivery orders sit under a parent IDV; other types have none.
    parent = [
        f"892433{y:02d}D{o}{s % 40 + 1:06d}" if t in ("A", "C") else NONE
        for y, t, o, s in zip(fy, types, office, serial, strict=True)
    ]
    award_key = [
        f"CONT_AWD_{p}_{ref.DOE_SUBTIER}_{pa}_{ref.DOE_SUBTIER if pa != NONE else NONE}"
        for p, pa in zip(piid, parent, strict=True)
    ]
    fac = world.facilities
    fi = aw["fac_index"].to_numpy()
    mod_no = [("0" if m == 0 else f"P{m:05d}") for m in mod]
    a = award
    frame = (
        pl.DataFrame(
            {
                "contract_transaction_unique_key": [
                    f"{ref.DOE_SUBTIER}_{ref.DOE_SUBTIER if parent[i] != NONE else NONE}_{piid[i]}_"
                    f"{m}_{parent[i]}_0"
                    for i, m in zip(a, mod_no, strict=True)
                ],
                "contract_award_unique_key": [award_key[i] for i in a],
                "award_id_piid": [piid[i] for i in a],
                "modification_number": mod_no,
                "federal_action_obligation": amount,
                "action_date": date_series("action_date", action),
                "awarding_agency_code": ref.DOE_CODE,
                "awarding_agency_name": ref.DOE_NAME,
                "recipient_uei": fac["uei"].gather(fi[a]),
                "recipient_name": fac["operator"].gather(fi[a]),
                "recipient_state_code": fac["hq_state"].gather(fi[a]),
                "primary_place_of_performance_state_code": fac["state_code"].gather(fi[a]),
                "award_type_code": types[a],
                "naics_code": [
                    ref.NAICS[(s, ro)]
                    for s, ro in zip(
                        fac["sector"].gather(fi[a]), fac["role"].gather(fi[a]), strict=True
                    )
                ],
                "_keep": keep,
                "_award_seq": aw["award_seq"].to_numpy()[a],
            }
        )
        .filter(pl.col("_keep"))
        .drop("_keep")
    )
    return frame.with_columns(action_date_fiscal_year=fiscal_year("action_date"))


def _group_cumsum(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    total = np.cumsum(values)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    return total - np.where(starts > 0, total[starts - 1], 0) if len(values) else total


def contract_transactions(all_tx: pl.DataFrame, q: Quarter) -> pl.DataFrame:
    return all_tx.filter(pl.col("action_date").is_between(q.start, q.end)).drop("_award_seq")


@dataclass(frozen=True)
class AssistancePlan:
    """Assistance awards with their base action and up to three amendments (day, amount)."""

    frame: pl.DataFrame
    action_days: np.ndarray  # [award, 1 + MAX_AMENDMENTS], base first; huge = no such action
    amounts: np.ndarray


def assistance_plan(world: World) -> AssistancePlan:
    grants = _award_frame(world, "grant")
    loans = _award_frame(world, "loan")
    aw = pl.concat([grants, loans])
    r = rng(world.seed, "assistance")
    n = aw.height
    is_loan = (aw["mechanism"] == "loan").to_numpy()
    is_workforce = (aw["project_type"] == "workforce").to_numpy()
    g = [ref.GRANT_TYPES[i] for i in r.choice(4, n, p=[w for *_, w in ref.GRANT_TYPES])]
    lo = [ref.LOAN_TYPES[i] for i in r.choice(2, n, p=[w for *_, w in ref.LOAN_TYPES])]
    code = [(lo[i] if is_loan[i] else g[i])[0] for i in range(n)]
    desc = [(lo[i] if is_loan[i] else g[i])[1] for i in range(n)]
    cfda = np.where(
        is_loan,
        np.array(ref.CFDA_LOANS)[r.integers(0, 2, n)],
        np.where(is_workforce, ref.CFDA_WORKFORCE, np.array(ref.CFDA_GRANTS)[r.integers(0, 5, n)]),
    )
    planned = aw["planned"].to_numpy()
    subsidy_rate = r.uniform(0.06, 0.16, n)
    # Grants obligate 50-80% up front and the rest in amendments; a loan's obligation is its
    # subsidy cost, set at closing.
    base_share = np.where(is_loan, 1.0, r.uniform(0.5, 0.8, n))
    n_amend = np.where(is_loan, 0, np.minimum(r.poisson(1.3, n), MAX_AMENDMENTS))
    amend_days = aw["base_day"].to_numpy()[:, None] + np.cumsum(
        r.integers(60, 201, (n, MAX_AMENDMENTS)), axis=1
    )
    present = np.arange(MAX_AMENDMENTS)[None, :] < n_amend[:, None]
    never = np.iinfo(np.int32).max
    split = r.dirichlet(np.ones(MAX_AMENDMENTS), n) * present
    split = split / np.where(
        split.sum(axis=1, keepdims=True) > 0, split.sum(axis=1, keepdims=True), 1.0
    )
    obligation = np.where(is_loan, planned * subsidy_rate, planned)
    days = np.column_stack([aw["base_day"].to_numpy(), np.where(present, amend_days, never)])
    amounts = np.column_stack(
        [obligation * base_share, obligation[:, None] * (1 - base_share)[:, None] * split]
    )
    office = np.where(is_loan, "LP", np.array([PROGRAM_OFFICE[t] for t in aw["project_type"]]))
    serial = np.arange(n) + 51000 + 1000 * (world.seed % 89)
    fain = [f"DE{o}{s:07d}" for o, s in zip(office, serial, strict=True)]
    frame = aw.with_columns(
        fain=pl.Series(fain),
        code=pl.Series(code),
        desc=pl.Series(desc),
        cfda=pl.Series(cfda),
        face=pl.Series(np.where(is_loan, planned, np.nan)),
        subsidy=pl.Series(np.where(is_loan, planned * subsidy_rate, np.nan)),
    )
    return AssistancePlan(frame=frame, action_days=days, amounts=amounts)


def assistance_awards(world: World, plan: AssistancePlan, q: Quarter) -> pl.DataFrame:
    """Prime award summaries as downloaded at the quarter's end: every award made by then, with
    the amount obligated and the latest action up to that date."""
    report = day(q.end)
    known = plan.action_days <= report
    rows = np.flatnonzero(known[:, 0])
    total = (plan.amounts * known).sum(axis=1)[rows]
    latest = np.where(known, plan.action_days, 0).max(axis=1)[rows]
    f = plan.frame[rows]
    fac = world.facilities
    fi = f["fac_index"]
    is_loan = (f["mechanism"] == "loan").to_numpy()
    return pl.DataFrame(
        {
            "assistance_award_unique_key": "ASST_NON_" + f["fain"] + f"_{ref.DOE_SUBTIER}",
            "award_id_fain": f["fain"],
            "total_obligated_amount": total,
            "total_face_value_of_loan": pl.Series(np.where(is_loan, f["face"], np.nan)),
            "total_loan_subsidy_cost": pl.Series(np.where(is_loan, f["subsidy"], np.nan)),
            "award_base_action_date": date_series("award_base_action_date", f["base_day"]),
            "award_latest_action_date": date_series("award_latest_action_date", latest),
            "awarding_agency_code": ref.DOE_CODE,
            "awarding_agency_name": ref.DOE_NAME,
            "recipient_uei": fac["uei"].gather(fi),
            "recipient_name": fac["operator"].gather(fi),
            "recipient_state_code": fac["hq_state"].gather(fi),
            "cfda_numbers_and_titles": f["cfda"],
            "assistance_type_code": f["code"],
            "assistance_type_description": f["desc"],
        }
    ).with_columns(
        award_base_action_date_fiscal_year=fiscal_year("award_base_action_date"),
        total_face_value_of_loan=pl.col("total_face_value_of_loan").fill_nan(None),
        total_loan_subsidy_cost=pl.col("total_loan_subsidy_cost").fill_nan(None),
    )


def award_keys(world: World, all_tx: pl.DataFrame, plan: AssistancePlan) -> pl.DataFrame:
    """award_seq -> the USAspending award key, for the crosswalk."""
    contracts = all_tx.group_by("_award_seq").agg(pl.col("contract_award_unique_key").first())
    assistance = plan.frame.select(
        "award_seq", award_unique_key=pl.format("ASST_NON_{}_{}", "fain", pl.lit(ref.DOE_SUBTIER))
    )
    return pl.concat(
        [
            contracts.select(award_seq="_award_seq", award_unique_key="contract_award_unique_key"),
            assistance,
        ]
    ).sort("award_seq")


def award_crosswalk(world: World, keys: pl.DataFrame, q: Quarter) -> pl.DataFrame:
    """The program office's crosswalk as issued at quarter end: every award made so far.

    It is cumulative (one file per quarter listing all awards known then) because that is what
    a program office re-sends; staging keeps the latest load of each award key."""
    aw = world.awards.filter(pl.col("base_day") <= day(q.end)).join(keys, on="award_seq")
    p = world.projects[aw["project"]]
    return pl.DataFrame(
        {
            "award_unique_key": aw["award_unique_key"],
            "project_id": p["project_id"],
            "project_name": p["project_name"],
            "project_type": p["project_type"],
            "facility_id": p["facility_id"],
            "sector": p["sector"],
            "mineral": p["mineral"],
            "upgrades_mine": p["upgrades_mine"],
            "partner_country_iso": p["partner_country_iso"],
            "report_date": q.end,
        }
    )


@dataclass(frozen=True)
class Milestone:
    milestone_id: str
    name: str
    phase: int
    target: date
    completed: date | None
    at_risk_days: int = 0  # flagged at_risk this many days before the target when still open


# The program plan (absolute dates). Some land early, some slip, two are still open at 2026-Q3.
MILESTONES: tuple[Milestone, ...] = (
    Milestone("M-01", "Governance board chartered", 1, date(2025, 2, 28), date(2025, 2, 21)),
    Milestone(
        "M-02",
        "Risk register and ESG thresholds adopted",
        1,
        date(2025, 3, 31),
        date(2025, 4, 18),
        45,
    ),
    Milestone(
        "M-03",
        "First grant, loan and procurement awards made",
        1,
        date(2025, 3, 31),
        date(2025, 3, 14),
    ),
    Milestone(
        "M-04", "Mine upgrade agreements signed (6 mines)", 2, date(2025, 9, 30), date(2025, 9, 12)
    ),
    Milestone(
        "M-05",
        "Refining and processing capacity expansion online",
        2,
        date(2025, 12, 31),
        date(2026, 2, 27),
        60,
    ),
    Milestone("M-06", "Africa-based collaborations signed (3)", 2, date(2025, 12, 31), None, 90),
    Milestone("M-07", "Four pilot lines operational", 2, date(2026, 3, 31), date(2026, 1, 16)),
    Milestone(
        "M-08", "Recycling loops integrated in each sector", 3, date(2026, 3, 31), date(2026, 3, 20)
    ),
    Milestone(
        "M-09", "Upskilling program at national scale", 3, date(2026, 3, 31), date(2026, 6, 5), 60
    ),
    Milestone(
        "M-10", "Domestic expert teams grown by 40%", 3, date(2026, 6, 30), date(2026, 6, 19)
    ),
    Milestone(
        "M-11", "Domestic input share of 60% in every sector", 3, date(2026, 12, 31), None, 180
    ),
    Milestone("M-12", "Lessons-learned review published", 4, date(2026, 6, 30), None, 30),
)
PHASE_START = {1: date(2025, 1, 1), 2: date(2025, 7, 1), 3: date(2026, 1, 1), 4: date(2026, 4, 1)}


def milestone_status(m: Milestone, report: date) -> tuple[str, date | None]:
    if m.completed is not None and m.completed <= report:
        return "complete", m.completed
    if report > m.target:
        return "delayed", None
    if m.at_risk_days and (m.target - report).days <= m.at_risk_days:
        return "at_risk", None
    return ("on_track" if report >= PHASE_START[m.phase] else "not_started"), None


def milestone_reports(q: Quarter) -> pl.DataFrame:
    rows = [(m, *milestone_status(m, q.end)) for m in MILESTONES]
    return pl.DataFrame(
        {
            "milestone_id": [m.milestone_id for m, *_ in rows],
            "milestone_name": [m.name for m, *_ in rows],
            "phase": [m.phase for m, *_ in rows],
            "target_date": [m.target for m, *_ in rows],
            "status": [s for _, s, _ in rows],
            "completed_date": pl.Series([c for *_, c in rows], dtype=pl.Date),
            "report_date": q.end,
        }
    )


# (category, metric, unit, threshold, breach_when, typical value / threshold, roles)
RISK_METRICS: tuple[tuple[str, str, str, float, str, float, tuple[str, ...]], ...] = (
    ("tailings_stewardship", "tailings facility freeboard", "m", 2.0, "below", 1.45, ("mine",)),
    (
        "tailings_stewardship",
        "seepage sulfate concentration",
        "mg/L",
        250.0,
        "above",
        0.62,
        ("mine", "refining"),
    ),
    (
        "carbon_accounting",
        "scope 1+2 emissions intensity",
        "tCO2e per t output",
        4.0,
        "above",
        0.78,
        ("mine", "refining", "processing", "recycling"),
    ),
    (
        "process_safety",
        "total recordable incident rate",
        "per 200,000 hours",
        2.5,
        "above",
        0.62,
        ("refining", "processing", "recycling"),
    ),
)


def risk_entries(world: World) -> pl.DataFrame:
    """The standing risk entries: one per facility and applicable metric, stable ids."""
    r = rng(world.seed, "risk")
    roles = world.facilities["role"].to_list()
    pairs = [(i, k) for i, ro in enumerate(roles) for k, m in enumerate(RISK_METRICS) if ro in m[6]]
    fac_i = np.array([i for i, _ in pairs])
    met = np.array([k for _, k in pairs])
    width = max(5, len(str(len(pairs))))
    # A facility's own bias: a few run close to (or past) their thresholds.
    bias = r.lognormal(0.0, 0.18, len(pairs))
    return pl.DataFrame(
        {
            "risk_id": [f"RSK-{k + 1:0{width}d}" for k in range(len(pairs))],
            "fac": fac_i,
            "metric_no": met,
            "bias": bias,
        }
    )


def risk_register(world: World, entries: pl.DataFrame, q: Quarter) -> pl.DataFrame:
    r = rng(world.seed, "risk", world.quarter_index(q))
    met = entries["metric_no"].to_numpy()
    spec = [RISK_METRICS[k] for k in met]
    threshold = np.array([s[3] for s in spec])
    typical = np.array([s[5] for s in spec])
    below = np.array([s[4] == "below" for s in spec])
    # Carbon intensity improves a little each quarter; the rest wander.
    t = world.program_t(q)
    drift = np.where(met == 2, 0.985**t, 1.0)
    ratio = (
        typical
        * drift
        * np.where(below, 1 / entries["bias"].to_numpy(), entries["bias"].to_numpy())
        * r.lognormal(0, 0.12, len(met))
    )
    fac = world.facilities
    return pl.DataFrame(
        {
            "risk_id": entries["risk_id"],
            "category": [s[0] for s in spec],
            "facility_id": fac["facility_id"].gather(entries["fac"]),
            "metric": [s[1] for s in spec],
            "value": threshold * ratio,
            "threshold": threshold,
            "unit": [s[2] for s in spec],
            "breach_when": [s[4] for s in spec],
            "report_date": q.end,
        }
    )
