import polars as pl
import pytest

from orchestration.publish.safe_text import neutralize_formula, neutralize_frame


@pytest.mark.parametrize(
    "raw, safe",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("ACME MINING LLC", "ACME MINING LLC"),
        ("", ""),
        (None, None),
    ],
)
def test_neutralize_formula(raw, safe):
    assert neutralize_formula(raw) == safe


def test_neutralize_frame_leaves_numbers_alone():
    frame = pl.DataFrame({"name": ["=1+1", "Doña Ana", None], "amount": [-5.0, 1.5, 0.0]})
    out = neutralize_frame(frame)
    assert out["name"].to_list() == ["'=1+1", "Doña Ana", None]
    assert out["amount"].to_list() == [-5.0, 1.5, 0.0]
    assert out.schema["amount"] == pl.Float64
