"""The release workbook writer (SpreadsheetML written directly): typed cells, neutralised text,
characters XML cannot carry, marts split across sheets past the row limit, fixed timestamps."""

import zipfile
from datetime import date, datetime

import polars as pl
from openpyxl import load_workbook

from orchestration.publish.formats import xlsx
from orchestration.publish.formats.xlsx import column_letter, write_workbook

STAMP = datetime(2026, 9, 30, 23, 59, 59)


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "text": ["=1+2", "a&b<c>", None, "tab\x01x"],
            "count": [1, None, 3, -4],
            "share": [0.1, float("nan"), 1e-7, 2.5],
            "day": [date(2026, 9, 30), None, date(1900, 3, 1), date(2000, 1, 1)],
            "flag": [True, False, None, True],
            "at": [datetime(2026, 1, 2, 3, 4, 5), None, None, None],
        }
    ).with_columns(usd=pl.Series([1.25, 2.5, None, -3.0]).cast(pl.Decimal(18, 2)))


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_cells_keep_their_types_and_text_cannot_run(tmp_path):
    book = write_workbook(tmp_path / "b.xlsx", [("fct_demo", _frame())], [("release", "x")], STAMP)
    wb = load_workbook(book)
    assert wb.sheetnames == ["about", "fct_demo"]
    rows = [[c.value for c in r] for r in wb["fct_demo"].iter_rows()]
    assert rows[0] == ["text", "count", "share", "day", "flag", "at", "usd"]
    assert rows[1] == [
        "'=1+2",
        1,
        0.1,
        datetime(2026, 9, 30),
        True,
        datetime(2026, 1, 2, 3, 4, 5),
        1.25,
    ]
    assert rows[2] == ["a&b<c>", None, None, None, False, None, 2.5]  # NaN: no cell
    assert rows[3] == [None, 3, 1e-07, datetime(1900, 3, 1), None, None, None]
    assert rows[4][0] == "tabx"  # U+0001 cannot be carried by XML
    assert [c.font.b for c in wb["fct_demo"][1]] == [True] * 7
    assert [(c.value, bool(c.font.b)) for c in wb["about"][1]] == [("release", True), ("x", False)]
    assert not [c for ws in wb for r in ws.iter_rows() for c in r if c.data_type == "f"]
    with zipfile.ZipFile(book) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 9, 30, 23, 59, 58)}
        assert "2026-09-30T23:59:59Z" in z.read("docProps/core.xml").decode()


def test_a_mart_past_the_row_limit_continues_on_more_sheets(tmp_path):
    big = pl.DataFrame({"n": list(range(7))})
    book = write_workbook(
        tmp_path / "b.xlsx", [("fct_big", big), ("empty", big.clear())], [], STAMP, max_sheet_rows=3
    )
    wb = load_workbook(book)
    assert wb.sheetnames == ["about", "fct_big", "fct_big~2", "fct_big~3", "empty"]
    values = [
        [c.value for c in r][0]
        for name in ("fct_big", "fct_big~2", "fct_big~3")
        for r in wb[name].iter_rows(min_row=2)
    ]
    assert values == list(range(7))
    assert [c.value for c in wb["fct_big~3"][1]] == ["n"]  # header repeated
    assert [[c.value for c in r] for r in wb["empty"].iter_rows()] == [["n"]]
    about = {r[0].value: r[1].value for r in wb["about"].iter_rows()}
    assert about["sheets of fct_big"].startswith(
        "7 rows on 3 sheets (fct_big, fct_big~2, fct_big~3)"
    )


def test_same_data_same_bytes(tmp_path):
    a = write_workbook(tmp_path / "a.xlsx", [("fct_demo", _frame())], [("k", "v")], STAMP)
    b = write_workbook(tmp_path / "b.xlsx", [("fct_demo", _frame())], [("k", "v")], STAMP)
    assert a.read_bytes() == b.read_bytes()


def test_a_parquet_source_is_read_in_blocks_and_gives_the_same_sheets(tmp_path, monkeypatch):
    """A mart scanned from its Parquet file is read READ_ROWS at a time and rendered SLICE_ROWS at
    a time; with both smaller than a sheet the block, slice and sheet boundaries all cross, and
    the workbook must equal the one written from the frame in memory."""
    monkeypatch.setattr(xlsx, "READ_ROWS", 3)
    monkeypatch.setattr(xlsx, "SLICE_ROWS", 2)
    big = pl.DataFrame({"n": list(range(11)), "text": [f"={i}" for i in range(11)]})
    big.write_parquet(tmp_path / "big.parquet")
    lazy = pl.scan_parquet(tmp_path / "big.parquet")
    a = write_workbook(tmp_path / "a.xlsx", [("fct_big", big)], [], STAMP, max_sheet_rows=5)
    b = write_workbook(tmp_path / "b.xlsx", [("fct_big", lazy)], [], STAMP, max_sheet_rows=5)
    assert a.read_bytes() == b.read_bytes()
    wb = load_workbook(b)
    assert wb.sheetnames == ["about", "fct_big", "fct_big~2", "fct_big~3"]
    rows = [
        [c.value for c in r]
        for name in ("fct_big", "fct_big~2", "fct_big~3")
        for r in wb[name].iter_rows(min_row=2)
    ]
    assert rows == [[i, f"'={i}"] for i in range(11)]
    assert [r[0].row for r in wb["fct_big~3"].iter_rows()] == [1, 2]  # header, row 11


def test_bytes_do_not_depend_on_where_slices_fall(tmp_path, monkeypatch):
    """Timestamps become serial numbers times a constant: a one-row slice (which polars would
    divide exactly) gives the same last digit as a long one."""
    frame = pl.DataFrame({"at": [datetime(2020, 1, 1, 0, 0, 1)] * 7, "n": list(range(7))})
    whole = write_workbook(tmp_path / "a.xlsx", [("m", frame)], [], STAMP)
    monkeypatch.setattr(xlsx, "READ_ROWS", 3)
    monkeypatch.setattr(xlsx, "SLICE_ROWS", 2)  # blocks of 3 -> slices of 2 and 1
    sliced = write_workbook(tmp_path / "b.xlsx", [("m", frame)], [], STAMP)
    assert whole.read_bytes() == sliced.read_bytes()
