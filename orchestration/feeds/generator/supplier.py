"""Supplier feed: weekly production, quarterly input sourcing, production-line announcements."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl

from orchestration.feeds.generator import reference as ref
from orchestration.feeds.generator.common import date_series, day, rng
from orchestration.feeds.generator.world import World
from orchestration.quarters import Quarter

FACILITY_CHUNK = 100_000  # facilities per weekly chunk: ~1.3M rows, ~150 MB in memory


def weekly_production(world: World, q: Quarter) -> Iterator[pl.DataFrame]:
    """Every facility, every Saturday of the quarter, in facility then week order."""
    fac = world.facilities
    weeks = np.array([day(d) for d in q.week_endings()])
    # Weeks since 2025-01-04 give a smooth within-quarter trend; /13 turns it into quarters.
    t_weeks = (weeks - day(Quarter(2025, 1).week_endings()[0])) / 7.0
    t_q = world.program_t(q)
    for lo in range(0, fac.height, FACILITY_CHUNK):
        part = fac.slice(lo, FACILITY_CHUNK)
        r = rng(world.seed, "weekly", world.quarter_index(q), lo)
        yield _weekly_chunk(part, weeks, t_weeks, t_q, r)


def _weekly_chunk(
    part: pl.DataFrame, weeks: np.ndarray, t_weeks: np.ndarray, t_q: int, r: np.random.Generator
) -> pl.DataFrame:
    n, w = part.height, len(weeks)
    cap = part["capacity"].to_numpy()
    step = np.where(t_q >= part["expansion_t"].to_numpy(), part["expansion"].to_numpy(), 0.0)
    capacity = np.repeat(cap * (1.0 + step), w)
    trend = (1.0 + part["growth"].to_numpy())[:, None] ** (t_weeks[None, :] / 13.0)
    noise = r.lognormal(0.0, 0.045, (n, w))
    # About 1% of weeks lose output to an outage or a maintenance stop.
    outage = np.where(r.random((n, w)) < 0.01, r.uniform(0.3, 0.75, (n, w)), 1.0)
    output = (cap * part["u0"].to_numpy())[:, None] * trend * noise * outage
    output = np.minimum(output.ravel(), capacity * 0.99)
    defect_rate = part["defect0"].to_numpy()[:, None] * 0.955 ** (t_weeks[None, :] / 13.0)
    defective = output * (defect_rate * r.lognormal(0.0, 0.2, (n, w))).ravel().clip(0, 0.5)
    idx = pl.Series(np.repeat(np.arange(n), w))
    cols = {
        c: part[c].gather(idx)
        for c in (
            "facility_id",
            "facility_name",
            "state_code",
            "sector",
            "commodity",
            "end_use",
            "is_domestic",
        )
    }
    return pl.DataFrame(
        {
            "facility_id": cols["facility_id"],
            "facility_name": cols["facility_name"],
            "state_code": cols["state_code"],
            "week_ending": date_series("week_ending", np.tile(weeks, n)),
            "sector": cols["sector"],
            "commodity": cols["commodity"],
            "end_use": cols["end_use"],
            "output_units": output,
            "design_capacity_units": capacity,
            "defective_units": defective,
            "is_domestic": cols["is_domestic"],
        }
    )


def _sourcing_slots(world: World) -> pl.DataFrame:
    """The standing supplier relations: per facility 2-3 inputs, each with one domestic and two
    or three foreign suppliers. Built once per run so supplier ids are stable across quarters."""
    fac = world.facilities
    r = rng(world.seed, "sourcing")
    n = fac.height
    sec = (
        fac["sector"]
        .replace_strict({s: i for i, s in enumerate(ref.SECTORS)}, return_dtype=pl.Int64)
        .to_numpy()
    )
    n_inputs = np.array([len(ref.INPUTS[s]) for s in ref.SECTORS])
    offset = np.concatenate([[0], np.cumsum(n_inputs)[:-1]])
    # A random subset of the sector's inputs: shuffle by random keys, keep the first 2 or 3.
    keys = r.random((n, 5))
    keys[np.arange(5)[None, :] >= n_inputs[sec][:, None]] = np.inf
    chosen = np.sort(np.argsort(keys, axis=1)[:, :3], axis=1)
    k = 2 + (r.random(n) < 0.5)
    weights = r.gamma(3.0, 1.0, (n, 3)) * (np.arange(3)[None, :] < k[:, None])
    weights /= weights.sum(axis=1, keepdims=True)
    keep = np.arange(3)[None, :] < k[:, None]
    pair_fac = np.repeat(np.arange(n), k)
    pair_input = (offset[sec][:, None] + chosen)[keep]
    pair_weight = weights[keep]
    n_slots = 3 + (r.random(len(pair_fac)) < 0.5)  # one domestic + 2 or 3 foreign
    pair = np.repeat(np.arange(len(pair_fac)), n_slots)
    slot = np.arange(len(pair)) - np.repeat(np.cumsum(n_slots) - n_slots, n_slots)
    row_sec = sec[pair_fac][pair]
    countries = ["US"]
    country = np.zeros(len(pair), np.int64)
    u = r.random(len(pair))
    for si, s in enumerate(ref.SECTORS):
        codes = [c for c, _ in ref.FOREIGN_ORIGINS[s]]
        cdf = np.cumsum([w for _, w in ref.FOREIGN_ORIGINS[s]])
        sel = (row_sec == si) & (slot > 0)
        pick = np.minimum(np.searchsorted(cdf / cdf[-1], u[sel]), len(codes) - 1)
        country[sel] = len(countries) + pick
        countries += codes
    inputs = [i for s in ref.SECTORS for i in ref.INPUTS[s]]
    input_idx = pl.Series(pair_input[pair])
    # Supplier pools of 5 per (country, sector); the slot number keeps ids in one
    # (facility, input) distinct even when two foreign slots share a country.
    offset_per_pair = rng(world.seed, "sourcing", 1).integers(0, 5, len(pair_fac))
    sup_no = (offset_per_pair[pair] + slot) % 5 + 1
    code = pl.Series(countries).gather(pl.Series(country))
    abbrev = pl.Series(["EL", "MD", "AL", "RE"]).gather(pl.Series(row_sec))
    input_name = pl.Series([i[0] for i in inputs]).gather(input_idx)
    frame = pl.DataFrame(
        {
            "fac": pair_fac[pair],
            "pair": pair,
            "slot": slot,
            "sector": row_sec,
            "input": input_name,
            "unit": pl.Series([i[1] for i in inputs]).gather(input_idx),
            "price": np.array([i[2] for i in inputs])[pair_input[pair]],
            "country": code,
            "input_weight": pair_weight[pair],
            "number": pl.Series(sup_no).cast(pl.String).str.zfill(2),
            "abbrev": abbrev,
            "city": code.replace_strict(ref.COUNTRY_CITY),
        }
    )
    return frame.with_columns(
        supplier_id=pl.concat_str(
            [pl.lit("SUP-"), "country", pl.lit("-"), "abbrev", pl.lit("-"), "number"]
        ),
        supplier_name=pl.concat_str(
            [
                pl.col("city"),
                pl.lit(" "),
                pl.col("input").str.to_titlecase(),
                pl.lit(" Supply "),
                pl.col("number"),
            ]
        ),
    ).drop("number", "abbrev", "city")


def _origin_weights(slots: pl.DataFrame) -> np.ndarray:
    table = pl.DataFrame(
        [(si, c, w) for si, s in enumerate(ref.SECTORS) for c, w in ref.FOREIGN_ORIGINS[s]],
        schema={"sector": pl.Int64, "country": pl.String, "w": pl.Float64},
        orient="row",
    )
    joined = slots.select("sector", "country").join(
        table, on=["sector", "country"], how="left", maintain_order="left"
    )
    return joined["w"].fill_null(0.0).to_numpy()


def input_sourcing(world: World, q: Quarter, slots: pl.DataFrame) -> pl.DataFrame:
    fac = world.facilities
    r = rng(world.seed, "sourcing", 2, world.quarter_index(q))
    t = world.program_t(q)
    fi = slots["fac"].to_numpy()
    sec = slots["sector"].to_numpy()
    start, gain = (np.array([ref.DOMESTIC_SHARE[s][k] for s in ref.SECTORS])[sec] for k in (0, 1))
    domestic = np.clip(
        start + gain * t + fac["domestic_offset"].to_numpy()[fi] + r.normal(0, 0.03, slots.height),
        0.02,
        0.95,
    )
    # A country's pull is its weight in the facility's sector list.
    c_w = _origin_weights(slots)
    foreign_draw = c_w * r.gamma(4.0, 1.0, slots.height)
    pair = slots["pair"].to_numpy()
    is_us = slots["slot"].to_numpy() == 0
    # Each (facility, input): the domestic slot takes `domestic`, foreign slots split the rest.
    f_sum = np.bincount(pair, weights=np.where(is_us, 0.0, foreign_draw))
    share = np.where(is_us, domestic, (1.0 - domestic) * foreign_draw / f_sum[pair])
    growth = (1.0 + fac["growth"].to_numpy()[fi]) ** t
    value = fac["input_value"].to_numpy()[fi] * slots["input_weight"].to_numpy() * growth * share
    qty = value / (slots["price"].to_numpy() * r.lognormal(0.0, 0.08, slots.height))
    return pl.DataFrame(
        {
            "facility_id": fac["facility_id"].gather(slots["fac"]),
            "quarter": q.key,
            "input_commodity": slots["input"],
            "supplier_id": slots["supplier_id"],
            "supplier_name": slots["supplier_name"],
            "origin_country_iso": slots["country"],
            "quantity": qty,
            "quantity_unit": slots["unit"],
            "value_usd": value,
        }
    )


def line_announcements(world: World, q: Quarter) -> pl.DataFrame:
    """Every line announced by the quarter's end, with what was known at that date."""
    report = day(q.end)
    lines = world.lines.filter(pl.col("announced") <= report)
    fac = world.facilities
    fi = lines["fac_index"]
    plan, live = lines["plan"].to_numpy(), lines["live"].to_numpy()
    return pl.DataFrame(
        {
            "line_id": lines["line_id"],
            "facility_id": fac["facility_id"].gather(fi),
            "sector": fac["sector"].gather(fi),
            "is_pilot": lines["is_pilot"],
            "announced_date": date_series("announced_date", lines["announced"].to_numpy()),
            "deployment_plan_date": date_series(
                "deployment_plan_date", np.minimum(plan, report), plan <= report
            ),
            "operational_date": date_series(
                "operational_date", np.minimum(live, report), live <= report
            ),
            "report_date": date_series("report_date", np.full(lines.height, report)),
        }
    )
