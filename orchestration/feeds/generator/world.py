"""The synthetic program "world" every feed is drawn from: facilities, projects, awards, lines
and training recipients. It is small (proportional to the facility count) and built once, so all
feeds agree on ids, states and sectors; the large tables are streamed from it quarter by quarter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.feeds.generator import reference as ref
from orchestration.feeds.generator.common import day, rng, weighted_choice
from orchestration.quarters import Quarter, quarter_range

BASE_FACILITIES = 48  # at size 1.0: 12 per sector
MIN_FACILITIES = 8  # two per sector, so every sector has a mine and a second facility
BASE_AWARDS = 330
BASE_LINES = 72
BASE_ORGS = 30
PROGRAM_START = Quarter(2025, 1)  # calendar anchor of the story's trends

PROJECT_TYPE_OF_ROLE = {
    "mine": "mine_upgrade",
    "refining": "refining",
    "processing": "processing",
    "recycling": "recycling",
}
PROJECT_LABEL = {
    "mine_upgrade": "mine modernization",
    "refining": "refining expansion",
    "processing": "processing capacity",
    "recycling": "recycling loop",
    "pilot_line": "pilot line",
    "workforce": "workforce training hub",
}
# Award weight and mechanism mix (grant, loan, contract) by project type.
PROJECT_AWARD_WEIGHT = {
    "mine_upgrade": 2.0,
    "refining": 1.6,
    "processing": 1.0,
    "recycling": 0.9,
    "pilot_line": 1.2,
    "workforce": 0.8,
}
MECHANISM_MIX = {
    "mine_upgrade": (0.35, 0.45, 0.20),
    "refining": (0.35, 0.35, 0.30),
    "processing": (0.45, 0.10, 0.45),
    "recycling": (0.70, 0.05, 0.25),
    "pilot_line": (0.55, 0.0, 0.45),
    "workforce": (0.90, 0.0, 0.10),
}
MECHANISMS = ("grant", "loan", "contract")
# Planned dollars per mechanism at size 1.0: ~$980M against the ~$1B pledge (loans at face).
PLANNED_TOTAL = {"grant": 450e6, "loan": 340e6, "contract": 190e6}


def n_facilities(size: float) -> int:
    if not size > 0:
        raise ValueError(f"size must be positive, got {size}")
    return max(MIN_FACILITIES, round(BASE_FACILITIES * size))


def _scaled(base: float, size: float, minimum: int = 1) -> int:
    return max(minimum, round(base * size))


def weeks_in(first_quarter: str, last_quarter: str) -> int:
    return sum(
        len(Quarter.parse(q).week_endings()) for q in quarter_range(first_quarter, last_quarter)
    )


def weekly_rows_for(
    size: float, first_quarter: str = "2025-Q1", last_quarter: str = "2026-Q3"
) -> int:
    """Exact weekly_production rows `generate` writes for this size (every facility, every week)."""
    return n_facilities(size) * weeks_in(first_quarter, last_quarter)


def size_for_weekly_rows(
    rows: int, first_quarter: str = "2025-Q1", last_quarter: str = "2026-Q3"
) -> float:
    """Smallest size whose weekly_production has at least ``rows`` rows.

    Rows come in whole facilities (one per Saturday of the range), so the result overshoots by
    less than one facility's weeks; `weekly_rows_for` gives the exact count.
    """
    facilities = max(MIN_FACILITIES, math.ceil(rows / weeks_in(first_quarter, last_quarter)))
    return facilities / BASE_FACILITIES


@dataclass(frozen=True)
class World:
    seed: int
    size: float
    quarters: tuple[Quarter, ...]
    facilities: pl.DataFrame  # one row per facility; numeric traits used by the supplier feed
    projects: pl.DataFrame
    awards: pl.DataFrame  # one row per award: project, mechanism, base day, planned amount
    lines: pl.DataFrame
    orgs: pl.DataFrame
    enrolments: np.ndarray  # [quarter, org] participants enrolling

    @property
    def start_day(self) -> int:
        return day(self.quarters[0].start)

    @property
    def end_day(self) -> int:
        return day(self.quarters[-1].end)

    def quarter_index(self, q: Quarter) -> int:
        return self.quarters.index(q)

    def program_t(self, q: Quarter) -> int:
        """Quarters since 2025-Q1, the calendar anchor of every trend in the story."""
        return (q.year - PROGRAM_START.year) * 4 + q.q - PROGRAM_START.q


def _pick(r: np.random.Generator, options: tuple, n: int) -> list:
    return [options[i] for i in r.integers(0, len(options), n)]


def _uei(r: np.random.Generator, n: int) -> list[str]:
    alphabet = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))
    chars = alphabet[r.integers(0, len(alphabet), (n, 12))]
    return ["".join(row) for row in chars]


def build_facilities(seed: int, size: float) -> pl.DataFrame:
    n = n_facilities(size)
    r = rng(seed, "facilities")
    idx = np.arange(n)
    sectors = [ref.SECTORS[i % 4] for i in idx]
    ordinal = idx // 4  # position inside the sector
    roles = [ref.ROLE_CYCLE[s][k % 12] for s, k in zip(sectors, ordinal, strict=True)]
    shuffled = {s: tuple(r.permutation(ref.SECTOR_STATES[s])) for s in ref.SECTORS}
    mine_seen: dict[str, int] = dict.fromkeys(ref.SECTORS, 0)
    other_seen: dict[str, int] = dict.fromkeys(ref.SECTORS, 0)
    states = []
    for s, role in zip(sectors, roles, strict=True):
        if role == "mine":
            states.append(ref.MINE_STATES[s][mine_seen[s] % len(ref.MINE_STATES[s])])
            mine_seen[s] += 1
        else:
            states.append(shuffled[s][other_seen[s] % len(shuffled[s])])
            other_seen[s] += 1
    stem_order = r.permutation(len(ref.NAME_STEMS))
    stems = [ref.NAME_STEMS[stem_order[i % len(stem_order)]] for i in idx]
    words = [
        ref.SECTOR_WORDS[s][(i // len(stem_order)) % 3] for s, i in zip(sectors, idx, strict=True)
    ]
    cities = [
        ref.STATE_CITIES[st][k % len(ref.STATE_CITIES[st])]
        for st, k in zip(states, r.integers(0, 6, n), strict=True)
    ]
    suffix = _pick(r, ref.COMPANY_SUFFIXES, n)
    # HQ usually sits in the facility's state; some operators report from elsewhere.
    hq_other = r.random(n) < 0.15
    hq_states = [
        r_st if not o else ref.SECTOR_STATES[s][0]
        for r_st, o, s in zip(states, hq_other, sectors, strict=True)
    ]
    commodity = [
        ref.MINE_COMMODITY[s] if role == "mine" else ref.COMMODITIES[s][k % 4]
        for s, role, k in zip(sectors, roles, r.integers(0, 4, n), strict=True)
    ]
    fast = np.array([ref.GROWTH_PER_QUARTER[s] > 0.05 for s in sectors])
    width = max(4, len(str(n)))
    return pl.DataFrame(
        {
            "facility_id": [f"FAC-{i + 1:0{width}d}" for i in idx],
            "facility_name": [
                f"{st} {w} {c} {ref.ROLE_WORDS[ro]}"
                for st, w, c, ro in zip(stems, words, cities, roles, strict=True)
            ],
            "operator": [
                f"{st} {w} {sx}".upper() for st, w, sx in zip(stems, words, suffix, strict=True)
            ],
            "uei": _uei(r, n),
            "state_code": states,
            "hq_state": hq_states,
            "sector": sectors,
            "role": roles,
            "commodity": commodity,
            "end_use": [
                ref.END_USES[s][k] for s, k in zip(sectors, r.integers(0, 3, n), strict=True)
            ],
            "mineral": [
                ref.MINERALS[s][k] for s, k in zip(sectors, r.integers(0, 3, n), strict=True)
            ],
            "capacity": np.array([ref.CAPACITY_MEDIAN[s] for s in sectors])
            * r.lognormal(0.0, 0.45, n),
            "u0": np.where(fast, r.uniform(0.50, 0.62, n), r.uniform(0.62, 0.78, n)),
            "growth": np.array([ref.GROWTH_PER_QUARTER[s] for s in sectors]) + r.normal(0, 0.01, n),
            "defect0": np.array([ref.DEFECT_RATE[s] for s in sectors]) * r.lognormal(0, 0.25, n),
            # Phase 2/3 capacity expansion: a step in design capacity from a quarter
            # (t counts quarters since 2025-Q1).
            "expansion": np.where(r.random(n) < 0.6, r.uniform(0.20, 0.35, n), 0.0),
            "expansion_t": r.integers(2, 6, n),
            "is_domestic": r.random(n) < 0.9,
            "domestic_offset": r.normal(0.0, 0.06, n),
            "input_value": r.lognormal(np.log(2.5e6), 0.7, n),
        }
    )


def build_projects(seed: int, size: float, fac: pl.DataFrame) -> pl.DataFrame:
    r = rng(seed, "projects")
    roles = fac["role"].to_list()
    ids = fac["facility_id"].to_list()
    rows: list[tuple[str, str]] = [
        (f, PROJECT_TYPE_OF_ROLE[ro]) for f, ro in zip(ids, roles, strict=True)
    ]
    processing = [f for f, ro in zip(ids, roles, strict=True) if ro == "processing"]
    pilots = [processing[i] for i in r.permutation(len(processing))[: _scaled(5, size)]]
    rows += [(f, "pilot_line") for f in pilots]
    rows += [(ids[i], "workforce") for i in r.choice(len(ids), _scaled(4, size), replace=False)]
    fac_by_id = {f: i for i, f in enumerate(ids)}
    sector = fac["sector"].to_list()
    # Africa-based collaborations: refining/processing projects outside aluminum (2 at size 1,
    # so the 3-collaboration target reads "2 of 3").
    eligible = [
        k
        for k, (f, t) in enumerate(rows)
        if t in ("refining", "processing") and sector[fac_by_id[f]] != "aluminum_processing"
    ]
    n_africa = min(len(eligible), _scaled(2, size))
    africa = {
        eligible[k]: ref.AFRICAN_PARTNERS[j % len(ref.AFRICAN_PARTNERS)]
        for j, k in enumerate(sorted(r.choice(len(eligible), n_africa, replace=False)))
    }
    names = fac["facility_name"].to_list()
    minerals = fac["mineral"].to_list()
    width = max(4, len(str(len(rows))))
    return pl.DataFrame(
        {
            "project_id": [f"PRJ-{k + 1:0{width}d}" for k in range(len(rows))],
            "project_name": [f"{names[fac_by_id[f]]} {PROJECT_LABEL[t]}" for f, t in rows],
            "project_type": [t for _, t in rows],
            "facility_id": [f for f, _ in rows],
            "fac_index": [fac_by_id[f] for f, _ in rows],
            "sector": [sector[fac_by_id[f]] for f, _ in rows],
            "mineral": [minerals[fac_by_id[f]] for f, _ in rows],
            "upgrades_mine": [t == "mine_upgrade" for _, t in rows],
            "partner_country_iso": [africa.get(k) for k in range(len(rows))],
        },
        schema_overrides={"partner_country_iso": pl.String},
    )


def _ramp_quarter(r: np.random.Generator, n_q: int, n: int) -> np.ndarray:
    """Quarter index of an award: most money goes out early (Phase 1-2), some later."""
    w = np.arange(n_q, 0, -1, dtype=float) + 1.0
    return weighted_choice(r, w, n)


def business_day(days: np.ndarray) -> np.ndarray:
    """Move Saturday/Sunday actions back to Friday (1970-01-01 was a Thursday)."""
    dow = (days + 3) % 7  # 0 = Monday
    return days - np.where(dow == 5, 1, 0) - np.where(dow == 6, 2, 0)


def build_awards(
    seed: int, size: float, quarters: tuple[Quarter, ...], projects: pl.DataFrame
) -> pl.DataFrame:
    r = rng(seed, "awards")
    n_proj = projects.height
    n_awards = max(_scaled(BASE_AWARDS, size, 12), n_proj)
    types = projects["project_type"].to_list()
    weight = np.array([PROJECT_AWARD_WEIGHT[t] for t in types])
    # Every project gets one award; the rest follow the project weights.
    proj = np.concatenate([np.arange(n_proj), weighted_choice(r, weight, n_awards - n_proj)])
    proj.sort(kind="stable")
    mix = np.array([MECHANISM_MIX[types[p]] for p in proj])
    u = r.random(len(proj))[:, None]
    mech = (u > np.cumsum(mix, axis=1)).sum(axis=1).clip(0, 2)
    mech[:3] = (1, 0, 2)  # project 0 is a mine upgrade: guarantee all mechanisms exist
    n_q = len(quarters)
    q_idx = _ramp_quarter(r, n_q, len(proj))
    pilot = np.array([types[p] == "pilot_line" for p in proj])
    q_idx = np.where(pilot, np.minimum(q_idx, 1 if n_q > 1 else 0), q_idx)
    starts = np.array([day(q.start) for q in quarters])
    lengths = np.array([(q.end - q.start).days + 1 for q in quarters])
    base_day = business_day(starts[q_idx] + (r.random(len(proj)) * lengths[q_idx]).astype(int))
    base_day = np.maximum(base_day, starts[0])
    planned = r.lognormal(0.0, 0.8, len(proj))
    scale = len(proj) / BASE_AWARDS
    for m, name in enumerate(MECHANISMS):
        sel = mech == m
        if sel.any():
            planned[sel] *= PLANNED_TOTAL[name] * scale / planned[sel].sum()
    return pl.DataFrame(
        {
            "award_seq": np.arange(len(proj)),
            "project": proj,
            "mechanism": [MECHANISMS[m] for m in mech],
            "base_day": base_day,
            "planned": planned,
        }
    )


def build_lines(
    seed: int, size: float, quarters: tuple[Quarter, ...], fac: pl.DataFrame, projects: pl.DataFrame
) -> pl.DataFrame:
    r = rng(seed, "lines")
    start = day(quarters[0].start)
    end = day(quarters[-1].end)
    pilot_fac = projects.filter(pl.col("project_type") == "pilot_line")["fac_index"].to_numpy()
    n_pilot = len(pilot_fac)
    n_other = _scaled(BASE_LINES, size, 4) - n_pilot
    hosts = np.flatnonzero(fac["role"].to_numpy() != "mine")
    other_fac = hosts[r.integers(0, len(hosts), n_other)]
    # Ordinary lines: announced any time in the range; most submit a deployment plan.
    ann = start + (r.random(n_other) * (end - start + 1)).astype(int)
    has_plan = r.random(n_other) < 0.85
    plan = ann + r.integers(10, 151, n_other)
    goes_live = has_plan & (r.random(n_other) < 0.8)
    live = plan + r.integers(120, 331, n_other)
    # Pilot lines: announced in the first two months; all but one run within 12 months.
    p_ann = start + r.integers(0, 60, n_pilot)
    p_plan = p_ann + r.integers(5, 41, n_pilot)
    p_live = p_ann + r.integers(200, 291, n_pilot)
    if n_pilot:
        p_live[-1] = p_ann[-1] + 430  # the one that slipped
    fac_idx = np.concatenate([pilot_fac, other_fac])
    order = np.lexsort((fac_idx, np.concatenate([p_ann, ann])))
    never = np.iinfo(np.int32).max
    plan_all = np.concatenate([p_plan, np.where(has_plan, plan, never)])
    live_all = np.concatenate([p_live, np.where(goes_live, live, never)])
    width = max(5, len(str(len(order))))
    return pl.DataFrame(
        {
            "line_id": [f"LN-{k + 1:0{width}d}" for k in range(len(order))],
            "fac_index": fac_idx[order],
            "is_pilot": np.concatenate([np.ones(n_pilot, bool), np.zeros(n_other, bool)])[order],
            "announced": np.concatenate([p_ann, ann])[order],
            "plan": plan_all[order],
            "live": live_all[order],
        }
    )


def build_orgs(seed: int, size: float, fac: pl.DataFrame) -> pl.DataFrame:
    r = rng(seed, "orgs")
    n = _scaled(BASE_ORGS, size, 4)
    fac_states = fac["state_code"].to_list()
    extra = r.random(n) < 0.15
    states = [
        ref.EXTRA_TRAINING_STATES[k % len(ref.EXTRA_TRAINING_STATES)]
        if e
        else fac_states[k % len(fac_states)]
        for e, k in zip(extra, r.integers(0, 10**9, n), strict=True)
    ]
    cities = [
        ref.STATE_CITIES[s][k % len(ref.STATE_CITIES[s])]
        for s, k in zip(states, r.integers(0, 6, n), strict=True)
    ]
    kinds = _pick(r, ref.TRAINING_KINDS, n)
    width = max(4, len(str(n)))
    return pl.DataFrame(
        {
            "recipient_org_id": [f"ORG-{k + 1:0{width}d}" for k in range(n)],
            "recipient_org_name": [f"{c} {k}" for c, k in zip(cities, kinds, strict=True)],
            "state_code": states,
            "weight": r.dirichlet(np.full(n, 2.0)),
            "expert_base": r.integers(4, 19, n),
            "wage_before": r.normal(21.0, 2.0, n).clip(15.0, 32.0),
            "wage_uplift": r.normal(0.14, 0.03, n).clip(0.04, 0.3),
        }
    )


def enrolment_matrix(
    seed: int, size: float, quarters: tuple[Quarter, ...], orgs: pl.DataFrame
) -> np.ndarray:
    """Participants enrolling per quarter and org. The intake ramps up from 850 a quarter to a
    3,000 ceiling (size 1.0), so completions trail the 2,000-a-quarter pace to 40,000."""
    r = rng(seed, "enrolment")
    t = np.array([(q.year - PROGRAM_START.year) * 4 + q.q - 1 for q in quarters]).clip(0)
    totals = np.minimum(3000.0, 850.0 + 360.0 * t) * size
    return r.poisson(totals[:, None] * orgs["weight"].to_numpy()[None, :])


def build_world(
    seed: int,
    size: float,
    first_quarter: str,
    last_quarter: str,
    workforce_size: float | None = None,
) -> World:
    """``workforce_size`` (default: ``size``) scales the participant intake alone, so benchmarks
    can grow the supplier feed to 10^7 rows without a roster five times as large."""
    quarters = tuple(Quarter.parse(q) for q in quarter_range(first_quarter, last_quarter))
    fac = build_facilities(seed, size)
    projects = build_projects(seed, size, fac)
    orgs = build_orgs(seed, size, fac)
    return World(
        seed=seed,
        size=size,
        quarters=quarters,
        facilities=fac,
        projects=projects,
        awards=build_awards(seed, size, quarters, projects),
        lines=build_lines(seed, size, quarters, fac, projects),
        orgs=orgs,
        enrolments=enrolment_matrix(seed, workforce_size or size, quarters, orgs),
    )
