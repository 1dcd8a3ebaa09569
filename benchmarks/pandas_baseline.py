"""Baseline 3: a straightforward pandas script — read the program feeds, compute the throughput
and diversification marts. No validation, no lineage: what an analyst would write first."""

from __future__ import annotations

import glob
from pathlib import Path

import pandas as pd

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "reference"


def ingest(inbox: Path) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {}
    for feed in ("agency", "supplier", "workforce"):
        for path in sorted(glob.glob(str(inbox / feed / "*_????-Q?.csv"))):
            table = Path(path).stem[:-8]
            df = pd.read_csv(path, low_memory=False)
            df["_file_quarter"] = Path(path).stem[-7:]
            frames.setdefault(table, []).append(df)  # type: ignore[arg-type]
    return {t: pd.concat(parts, ignore_index=True) for t, parts in frames.items()}  # type: ignore


def _quarter(d: pd.Series) -> pd.Series:
    return d.dt.year.astype(str) + "-Q" + d.dt.quarter.astype(str)


def marts(t: dict[str, pd.DataFrame], quarter: str) -> dict[str, pd.DataFrame]:
    targets = pd.read_csv(SEEDS / "program_targets.csv").set_index("target_id")["target_value"]
    wp = t["weekly_production"]
    wp["week_ending"] = pd.to_datetime(wp["week_ending"])
    wp = wp.sort_values("_file_quarter").drop_duplicates(
        ["facility_id", "week_ending"], keep="last"
    )
    wp["quarter"] = _quarter(wp["week_ending"])
    dom = wp[wp["is_domestic"].astype(str).str.lower() == "true"]
    agg = {
        "facility_id": "nunique",
        "output_units": "sum",
        "design_capacity_units": "sum",
        "defective_units": "sum",
    }
    weeks = pd.concat(
        [
            dom.groupby(["sector", "quarter", "week_ending"]).agg(agg).reset_index(),
            dom.groupby(["quarter", "week_ending"]).agg(agg).reset_index().assign(sector="all"),
        ]
    )
    q = (
        weeks.groupby(["sector", "quarter"])
        .agg(
            weeks=("week_ending", "nunique"),
            facilities=("facility_id", "max"),
            o=("output_units", "sum"),
            c=("design_capacity_units", "sum"),
            d=("defective_units", "sum"),
        )
        .reset_index()
    )
    q = q[q["quarter"] <= quarter].sort_values(["sector", "quarter"])
    q["avg_weekly_output_units"] = q["o"] / q["weeks"]
    q["utilization_rate"] = q["o"] / q["c"]
    q["defect_rate"] = q["d"] / q["o"]
    q["prev"] = q.groupby("sector")["avg_weekly_output_units"].shift()
    q["qoq_gain"] = q["avg_weekly_output_units"] / q["prev"] - 1
    q["on_track"] = q["qoq_gain"] >= targets["throughput_gain_per_quarter"]

    latest = (
        wp[wp["quarter"] <= quarter]
        .sort_values("week_ending")
        .drop_duplicates("facility_id", keep="last")[["facility_id", "sector"]]
    )
    src = (
        t["input_sourcing"]
        .sort_values("_file_quarter")
        .drop_duplicates(["facility_id", "quarter", "input_commodity", "supplier_id"], keep="last")
    )
    src = src.merge(latest, on="facility_id")
    by = pd.concat(
        [
            src.groupby(["sector", "quarter", "origin_country_iso"])["value_usd"]
            .sum()
            .reset_index(),
            src.groupby(["quarter", "origin_country_iso"])["value_usd"]
            .sum()
            .reset_index()
            .assign(sector="all"),
        ]
    )
    by["domestic"] = by["origin_country_iso"] == "US"
    tot = (
        by.groupby(["sector", "quarter"])
        .apply(
            lambda g: pd.Series(
                {"total": g["value_usd"].sum(), "dom": g.loc[g["domestic"], "value_usd"].sum()}
            ),
            include_groups=False,
        )
        .reset_index()
    )
    tot["domestic_input_share"] = tot["dom"] / tot["total"]
    frn = by[~by["domestic"] & (by["value_usd"] > 0)].merge(tot, on=["sector", "quarter"])
    frn["share"] = frn["value_usd"] / (frn["total"] - frn["dom"])
    hhi = frn.assign(s2=frn["share"] ** 2).groupby(["sector", "quarter"])["s2"].sum()
    div = tot.merge(
        hhi.rename("foreign_origin_hhi").reset_index(), how="left", on=["sector", "quarter"]
    )
    div = div[div["quarter"] <= quarter]
    return {"fct_operations_throughput": q, "fct_chains_diversification": div}
