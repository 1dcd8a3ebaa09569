"""Workforce feed: the participant roster and the quarterly training reports built from it, so
the two files always agree (a report's enrolled/completed are counts over the roster)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.feeds.generator import reference as ref
from orchestration.feeds.generator.common import date_series, day, rng
from orchestration.feeds.generator.world import World

DROPOUT = 0.12
MAX_COHORT_SPAN = 4  # a cohort finishes within 270 days, i.e. inside the next three quarters
NEVER = np.iinfo(np.int32).max
_TRACK_P = np.array([p for _, p, _, _ in ref.TRACKS])


@dataclass(frozen=True)
class Cohort:
    """Participants who enrolled in one quarter. Regenerated from its own seed when a later
    quarter needs its completions, so no roster is ever held whole in memory."""

    first_id: int
    org: np.ndarray
    enrolled: np.ndarray
    completed: np.ndarray  # day number, NEVER when dropped out or still training
    track: np.ndarray
    first_name: np.ndarray
    last_name: np.ndarray
    birth: np.ndarray
    moved: np.ndarray  # lives outside the org's state


def cohort(world: World, qi: int) -> Cohort:
    q = world.quarters[qi]
    counts = world.enrolments[qi]
    r = rng(world.seed, "cohort", qi)
    org = np.repeat(np.arange(len(counts)), counts)
    n = len(org)
    start, length = day(q.start), (q.end - q.start).days + 1
    enrolled = start + r.integers(0, length, n)
    track = r.choice(len(ref.TRACKS), n, p=_TRACK_P / _TRACK_P.sum())
    lo = np.array([t[2] for t in ref.TRACKS])[track]
    hi = np.array([t[3] for t in ref.TRACKS])[track]
    done = enrolled + lo + (r.random(n) * (hi - lo + 1)).astype(np.int64)
    # Completion stops at the range end: a date after the last quarter would be in the future.
    finishes = (r.random(n) >= DROPOUT) & (done <= world.end_day)
    first_id = int(world.enrolments[:qi].sum())
    return Cohort(
        first_id=first_id,
        org=org,
        enrolled=enrolled,
        completed=np.where(finishes, done, NEVER),
        track=track,
        first_name=r.integers(0, len(ref.FIRST_NAMES), n),
        last_name=r.integers(0, len(ref.LAST_NAMES), n),
        birth=enrolled - r.integers(18 * 365, 62 * 365, n),
        moved=r.random(n) < 0.08,
    )


_COHORTS: dict[tuple[int, float, tuple, int], Cohort] = {}


def _cached_cohort(world: World, qi: int) -> Cohort:
    """The cohort of quarter qi, kept while later quarters can still see its completions
    (quarters are written in order, so older cohorts are dropped as soon as they age out)."""
    key = (world.seed, world.size, world.quarters, qi)
    if key not in _COHORTS:
        for old in [k for k in _COHORTS if k[:3] != key[:3] or k[3] <= qi - MAX_COHORT_SPAN]:
            del _COHORTS[old]
        _COHORTS[key] = cohort(world, qi)
    return _COHORTS[key]


_FIRST = pl.Series(ref.FIRST_NAMES)
_LAST = pl.Series(ref.LAST_NAMES)


def _email_part(names: pl.Series) -> pl.Series:
    """Lower-case ASCII local part: accents folded, apostrophes dropped (O'Brien -> obrien)."""
    folded = [n.lower().replace("'", "").translate(_FOLD) for n in names]
    return pl.Series(folded)


_FOLD = str.maketrans("áéíóúñüöéèêëçãõâàäïîôûùøåæœýÿ", "aeiounuoeeeecaoaaaiiouuoaaeyy")
_FIRST_EMAIL = _email_part(_FIRST)
_LAST_EMAIL = _email_part(_LAST)


_TRACK_NAMES = pl.Series([t[0] for t in ref.TRACKS])
_DOMAINS = pl.Series(ref.EMAIL_DOMAINS)


def roster_rows(world: World, c: Cohort, rows: np.ndarray, report: int) -> pl.DataFrame:
    """Roster rows for the chosen participants, as known at the report date."""
    orgs = world.orgs
    ids = c.first_id + rows + 1
    width = max(7, len(str(int(world.enrolments.sum()))))
    org = pl.Series(c.org[rows])
    fn, ln = pl.Series(c.first_name[rows]), pl.Series(c.last_name[rows])
    # A few participants live across a state line; give them another program state.
    home = np.where(c.moved[rows], (c.org[rows] + 7) % orgs.height, c.org[rows])
    completed = c.completed[rows]
    frame = pl.DataFrame(
        {
            "n": pl.Series(ids).cast(pl.String),
            "recipient_org_id": orgs["recipient_org_id"].gather(org),
            "first": _FIRST.gather(fn),
            "last": _LAST.gather(ln),
            "first_e": _FIRST_EMAIL.gather(fn),
            "last_e": _LAST_EMAIL.gather(ln),
            "domain": _DOMAINS.gather(pl.Series(ids % len(ref.EMAIL_DOMAINS))),
            "date_of_birth": date_series("date_of_birth", c.birth[rows]),
            "state_code": orgs["state_code"].gather(pl.Series(home)),
            "enrolled_date": date_series("enrolled_date", c.enrolled[rows]),
            "completed_date": date_series("completed_date", np.minimum(completed, report)),
            "done": completed <= report,
            "track": _TRACK_NAMES.gather(pl.Series(c.track[rows])),
        }
    )
    return frame.select(
        participant_id=pl.concat_str([pl.lit("P-"), pl.col("n").str.zfill(width)]),
        recipient_org_id="recipient_org_id",
        full_name=pl.concat_str(["first", "last"], separator=" "),
        email=pl.concat_str(
            [
                pl.col("first_e"),
                pl.lit("."),
                pl.col("last_e"),
                pl.lit("."),
                pl.col("n"),
                pl.lit("@"),
                pl.col("domain"),
            ]
        ),
        date_of_birth="date_of_birth",
        state_code="state_code",
        enrolled_date="enrolled_date",
        completed_date=pl.when("done").then("completed_date"),
        track="track",
    )


def participants(world: World, qi: int) -> tuple[list[pl.DataFrame], np.ndarray, np.ndarray]:
    """The quarter's roster update and per-org enrolled/completed counts.

    A roster file carries each participant who enrolled in the quarter and each earlier
    participant who completed in it (so a completion shows up as an updated row; staging keeps
    the latest load of each participant_id)."""
    q = world.quarters[qi]
    lo, hi = day(q.start), day(q.end)
    n_orgs = world.orgs.height
    enrolled = np.zeros(n_orgs, np.int64)
    completed = np.zeros(n_orgs, np.int64)
    frames = []
    for ci in range(max(0, qi - MAX_COHORT_SPAN + 1), qi + 1):
        c = _cached_cohort(world, ci)
        finished_now = (c.completed >= lo) & (c.completed <= hi)
        completed += np.bincount(c.org[finished_now], minlength=n_orgs)
        rows = np.arange(len(c.org)) if ci == qi else np.flatnonzero(finished_now)
        if ci == qi:
            enrolled += np.bincount(c.org, minlength=n_orgs)
        if len(rows):
            frames.append(roster_rows(world, c, rows, hi))
    return frames, enrolled, completed


def training_reports(
    world: World, qi: int, enrolled: np.ndarray, completed: np.ndarray
) -> pl.DataFrame:
    q = world.quarters[qi]
    orgs = world.orgs
    r = rng(world.seed, "training", qi)
    t = world.program_t(q)
    n = orgs.height
    # Packages go to most completers and to some incumbent workers upskilled on the job.
    packages = r.binomial(completed, 0.9) + r.poisson(0.08 * enrolled + 0.5)
    # Expert teams grow ~6% a quarter: about +42% from 2025-Q1 to 2026-Q3 (target +40%).
    headcount = np.round(orgs["expert_base"].to_numpy() * 1.06**t + r.normal(0, 0.4, n)).clip(1)
    before = orgs["wage_before"].to_numpy() * 1.008**t + r.normal(0, 0.3, n)
    after = before * (1 + orgs["wage_uplift"].to_numpy() + r.normal(0, 0.01, n))
    has = completed > 0
    return pl.DataFrame(
        {
            "recipient_org_id": orgs["recipient_org_id"],
            "recipient_org_name": orgs["recipient_org_name"],
            "state_code": orgs["state_code"],
            "quarter": q.key,
            "enrolled": enrolled,
            "completed": completed,
            "upskilling_packages": packages,
            "expert_team_headcount": headcount.astype(np.int64),
            "median_wage_before": pl.Series(np.where(has, before, np.nan)).fill_nan(None),
            "median_wage_after": pl.Series(np.where(has, after, np.nan)).fill_nan(None),
        }
    )
