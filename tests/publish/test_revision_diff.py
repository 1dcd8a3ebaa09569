"""The figure-by-figure diff of a revision (a polars join on the mart's key)."""

import json
from decimal import Decimal

import polars as pl

from orchestration.publish.revision import diff_frames

NAN = float("nan")


def _old() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "facility": ["F1", "F2", "F3", None],
            "share": [0.5, NAN, 0.25, 0.1],
            "units": [10, 20, None, 5],
            "usd": [Decimal("1.50"), Decimal("2.00"), None, Decimal("0")],
            "gone": ["a", "b", "c", "d"],
        },
        schema_overrides={"usd": pl.Decimal(18, 2)},
    )


def _new() -> pl.DataFrame:
    # F2 removed, F4 added, F3 moved to the front; the null facility is a key value like any other.
    return pl.DataFrame(
        {
            "facility": ["F3", "F1", None, "F4"],
            "share": [0.25, 0.55, NAN, 0.3],
            "units": [7, 10, 5, 1],
            "usd": [None, Decimal("3.00"), Decimal("0"), Decimal("1")],
            "new_col": [1, 2, 3, 4],
        },
        schema_overrides={"usd": pl.Decimal(18, 2)},
    )


def test_changes_added_and_removed_rows_and_columns():
    d = diff_frames(_old(), _new(), ["facility"])
    assert d.key == ["facility"]
    assert d.added == [{"facility": "F4"}]
    assert d.removed == [{"facility": "F2"}]
    assert d.columns_added == ["new_col"] and d.columns_removed == ["gone"]
    got = [(c["key"]["facility"], c["column"], c["old"], c["new"]) for c in d.changes]
    # new row order (F3, F1, null), then column order; NaN = NaN and null = null are unchanged
    assert got == [
        ("F3", "units", None, 7),
        ("F1", "share", 0.5, 0.55),
        ("F1", "usd", 1.5, 3.0),
        (None, "share", 0.1, None),
    ]
    f1_usd = d.changes[2]
    assert f1_usd["abs_change"] == 1.5 and f1_usd["rel_change"] == 1.0
    assert d.changes[0]["abs_change"] is None  # no number before: no change figure


def test_a_key_column_named_twice_counts_once():
    twice = diff_frames(_old(), _new(), ["facility", "facility"])
    once = diff_frames(_old(), _new(), ["facility"])
    assert json.dumps(twice.__dict__, default=str) == json.dumps(once.__dict__, default=str)
    assert twice.key == ["facility"] and len(twice.changes) == 4


def test_retyped_columns_compare_by_value_and_incomparable_types_always_differ():
    old = pl.DataFrame({"id": [1, 2], "n": [1, 2], "s": ["1", None]})
    new = pl.DataFrame({"id": [1, 2], "n": [1.0, 2.5], "s": [1, None]})
    got = [
        (c["key"]["id"], c["column"], c["old"], c["new"])
        for c in diff_frames(old, new, ["id"]).changes
    ]
    assert got == [(1, "s", "1", 1), (2, "n", 2, 2.5)]


def test_a_widened_key_still_matches_rows():
    old = pl.DataFrame({"k": pl.Series([1, 2], dtype=pl.Int32), "v": [1, 2]})
    new = pl.DataFrame({"k": pl.Series([2, 1], dtype=pl.Int64), "v": [2, 5]})
    d = diff_frames(old, new, ["k"])
    assert d.key == ["k"] and d.added == [] and d.removed == []
    assert [(c["key"], c["old"], c["new"]) for c in d.changes] == [({"k": 1}, 1, 5)]


def test_without_a_usable_key_rows_are_matched_by_position():
    old = pl.DataFrame({"k": ["a", "a"], "v": [1, 2]})
    new = pl.DataFrame({"k": ["a", "a", "b"], "v": [1, 3, 4]})
    for key in (["k"], [], ["missing"]):  # repeated, none, not a column
        d = diff_frames(old, new, key)
        assert d.key == ["__row"]
        assert [(c["key"], c["old"], c["new"]) for c in d.changes] == [({"__row": 1}, 2, 3)]
        assert d.added == [{"__row": 2}] and d.removed == []
