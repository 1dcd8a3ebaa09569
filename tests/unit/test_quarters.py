from datetime import date

import pytest

from orchestration.quarters import (
    Quarter,
    QuarterKeyError,
    latest_complete_quarter,
    program_quarters,
    quarter_range,
)


def test_parse_and_key_round_trip():
    q = Quarter.parse("2026-Q2")
    assert (q.year, q.q) == (2026, 2)
    assert q.key == "2026-Q2"
    assert q.start == date(2026, 4, 1)
    assert q.end == date(2026, 6, 30)


@pytest.mark.parametrize("bad", ["2026Q2", "2026-Q5", "26-Q1", "", "2026-q2"])
def test_parse_refuses_bad_keys(bad):
    with pytest.raises(QuarterKeyError, match="YYYY-Qn"):
        Quarter.parse(bad)


@pytest.mark.parametrize(
    "key, fy, fq, fkey",
    [
        ("2025-Q4", 2026, 1, "FY2026-Q1"),  # October starts the federal fiscal year
        ("2026-Q1", 2026, 2, "FY2026-Q2"),
        ("2026-Q3", 2026, 4, "FY2026-Q4"),
        ("2025-Q1", 2025, 2, "FY2025-Q2"),
    ],
)
def test_fiscal_quarter(key, fy, fq, fkey):
    q = Quarter.parse(key)
    assert (q.fiscal_year, q.fiscal_quarter, q.fiscal_key) == (fy, fq, fkey)


def test_next_previous_cross_year():
    assert Quarter.parse("2025-Q4").next().key == "2026-Q1"
    assert Quarter.parse("2026-Q1").previous().key == "2025-Q4"


def test_quarter_range_and_program():
    assert quarter_range("2025-Q3", "2026-Q2") == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert len(program_quarters()) == 20
    with pytest.raises(QuarterKeyError, match="backwards"):
        quarter_range("2026-Q2", "2025-Q1")


def test_latest_complete_quarter():
    assert latest_complete_quarter(date(2026, 12, 3)) == "2026-Q3"
    assert latest_complete_quarter(date(2026, 1, 1)) == "2025-Q4"


def test_week_endings_are_saturdays_inside_the_quarter():
    weeks = Quarter.parse("2026-Q2").week_endings()
    assert weeks[0] == date(2026, 4, 4)
    assert weeks[-1] == date(2026, 6, 27)
    assert len(weeks) == 13
    assert all(w.weekday() == 5 for w in weeks)
