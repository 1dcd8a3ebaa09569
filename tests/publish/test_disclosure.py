"""Disclosure control as a pure function: primary rules, complements, lags, running totals."""

import polars as pl

from orchestration.publish.disclosure import (
    COMPLEMENTARY,
    DOMINANCE,
    FEWER,
    Group,
    MartRule,
    Thresholds,
    load_config,
    primary_reason,
    suppress,
)

TH = Thresholds(3, 0.8)
RULE = MartRule(
    name="demo",
    values=("value", "avg"),
    series=("sector",),
    lag=("prev_avg",),
    groups=(Group(("quarter",), {"sector": "all"}, "value"),),
    not_published=("top_contributor_share",),
)


def _frame(rows):
    return pl.DataFrame(
        rows,
        schema=[
            "quarter",
            "sector",
            "value",
            "avg",
            "prev_avg",
            "contributor_count",
            "top_contributor_share",
        ],
        orient="row",
    )


def test_primary_reasons():
    assert primary_reason(2, 0.5, TH) == FEWER
    assert primary_reason(3, 0.81, TH) == DOMINANCE
    assert primary_reason(3, 0.8, TH) is None
    assert primary_reason(0, None, TH) is None  # a structural zero discloses nobody


def test_one_suppressed_sector_gets_a_complement_and_the_total_stays():
    f = _frame(
        [
            ("2026-Q1", "a", 10.0, 1.0, None, 2, 0.6),  # fewer than 3
            ("2026-Q1", "b", 50.0, 5.0, None, 4, 0.3),
            ("2026-Q1", "c", 30.0, 3.0, None, 5, 0.3),  # smallest other → complement
            ("2026-Q1", "all", 90.0, 9.0, None, 11, 0.2),
        ]
    )
    out, outcome = suppress(f, RULE, TH)
    flags = dict(zip(out["sector"], out["suppression_flag"], strict=True))
    assert flags == {"a": FEWER, "b": None, "c": COMPLEMENTARY, "all": None}
    assert "top_contributor_share" not in out.columns
    assert out.filter(pl.col("sector") == "a")["value"].item() is None
    assert outcome.cells == 4
    # the attack: total minus published parts leaves two unknowns
    published = out.filter(pl.col("sector") != "all")["value"].drop_nulls().sum()
    assert 90.0 - published == 40.0  # = a + c together, neither alone


def test_suppressed_total_needs_a_member_too():
    f = _frame(
        [
            ("2026-Q1", "a", 10.0, 1.0, None, 3, 0.5),
            ("2026-Q1", "b", 50.0, 5.0, None, 3, 0.5),
            ("2026-Q1", "all", 60.0, 6.0, None, 6, 0.9),  # dominance
        ]
    )
    out, _ = suppress(f, RULE, TH)
    assert out["suppression_flag"].to_list() == [COMPLEMENTARY, None, DOMINANCE]


def test_zero_contributor_cells_are_not_complements():
    f = _frame(
        [
            ("2026-Q1", "a", 10.0, 1.0, None, 1, 1.0),
            ("2026-Q1", "z", 0.0, 0.0, None, 0, None),  # count published as 0: known zero
            ("2026-Q1", "b", 50.0, 5.0, None, 3, 0.5),
            ("2026-Q1", "all", 60.0, 6.0, None, 4, 0.8),
        ]
    )
    out, _ = suppress(f, RULE, TH)
    assert dict(zip(out["sector"], out["suppression_flag"], strict=True))["b"] == COMPLEMENTARY


def test_next_quarter_lag_is_blanked():
    f = _frame(
        [
            ("2026-Q1", "a", 10.0, 1.0, None, 2, 0.6),
            ("2026-Q2", "a", 12.0, 1.2, 1.0, 4, 0.3),
            ("2026-Q1", "b", 20.0, 2.0, None, 4, 0.3),
            ("2026-Q2", "b", 22.0, 2.2, 2.0, 4, 0.3),
        ]
    )
    rule = MartRule(name="d", values=RULE.values, series=RULE.series, lag=RULE.lag)
    out, _ = suppress(f, rule, TH)
    q2a = out.filter((pl.col("sector") == "a") & (pl.col("quarter") == "2026-Q2")).row(
        0, named=True
    )
    assert q2a["prev_avg"] is None and q2a["value"] == 12.0
    assert q2a["suppression_flag"] == COMPLEMENTARY and q2a["suppressed_columns"] == "prev_avg"


def test_running_totals_are_blanked_from_the_first_suppressed_quarter():
    f = pl.DataFrame(
        {
            "quarter": ["2026-Q1", "2026-Q2", "2026-Q3"],
            "k": ["x", "x", "x"],
            "flow": [5.0, 1.0, 4.0],
            "cum": [5.0, 6.0, 10.0],
            "contributor_count": [3, 1, 3],
            "top_contributor_share": [0.5, 1.0, 0.5],
        }
    )
    rule = MartRule(name="c", values=("flow",), series=("k",), cumulative=("cum",))
    out, _ = suppress(f, rule, TH)
    assert out["cum"].to_list() == [5.0, None, None]
    assert out["flow"].to_list() == [5.0, None, 4.0]


def test_decisions_for_a_quarter_do_not_depend_on_later_quarters():
    rows = [
        ("2026-Q1", "a", 10.0, 1.0, None, 2, 0.6),
        ("2026-Q1", "b", 50.0, 5.0, None, 4, 0.3),
        ("2026-Q1", "c", 30.0, 3.0, None, 5, 0.3),
        ("2026-Q1", "all", 90.0, 9.0, None, 11, 0.2),
        ("2026-Q2", "a", 10.0, 1.0, 1.0, 5, 0.3),
        ("2026-Q2", "b", 5.0, 0.5, 5.0, 1, 1.0),
        ("2026-Q2", "c", 30.0, 3.0, 3.0, 5, 0.3),
        ("2026-Q2", "all", 45.0, 4.5, 9.0, 11, 0.2),
    ]
    full, _ = suppress(_frame(rows), RULE, TH)
    earlier, _ = suppress(_frame(rows[:4]), RULE, TH)
    assert full.filter(pl.col("quarter") == "2026-Q1").equals(earlier)


def test_the_shipped_configuration_names_the_aggregating_marts():
    config = load_config()
    assert config.thresholds == Thresholds(3, 0.8)
    for mart in (
        "fct_operations_throughput",
        "fct_chains_diversification",
        "fct_workforce_by_region",
        "fct_funding_by_mechanism",
    ):
        assert mart in config.marts
    assert config.marts["fct_funding_by_mechanism"].exempt
