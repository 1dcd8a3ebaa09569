import json

import pytest

from orchestration.dbt_vars import build_dbt_vars, dbt_vars_args
from orchestration.quarters import QuarterKeyError


def test_build_dbt_vars_for_a_fiscal_year_boundary():
    assert build_dbt_vars("2025-Q4") == {
        "release_quarter": "2025-Q4",
        "release_quarter_start": "2025-10-01",
        "release_quarter_end": "2025-12-31",
        "release_fiscal_year": 2026,
        "release_fiscal_quarter": 1,
    }


def test_dbt_vars_args_is_sorted_json():
    flag, payload = dbt_vars_args("2026-Q2")
    assert flag == "--vars"
    assert list(json.loads(payload)) == sorted(json.loads(payload))
    assert json.loads(payload)["release_quarter_end"] == "2026-06-30"


def test_dbt_vars_refuse_a_bad_quarter():
    with pytest.raises(QuarterKeyError):
        build_dbt_vars("Q2-2026")
