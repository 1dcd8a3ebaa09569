"""The release writer on a real DuckDB: layout, checksums, reproducibility, revisions."""

import json

import duckdb
import polars as pl
import pytest

from orchestration.publish.release import (
    MartColumn,
    PublishedMart,
    next_release_id,
    release_ids_for,
    sha256_file,
    write_release,
)

MART = PublishedMart(
    name="fct_demo",
    relation="main_marts.fct_demo",
    description="A demo mart",
    key_columns=("recipient",),
    columns=(
        MartColumn("quarter", "varchar", "Calendar quarter"),
        MartColumn("recipient", "varchar", "Recipient | name"),
        MartColumn("amount", "double", "USD"),
    ),
)


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "build.duckdb"))
    c.execute("create schema main_marts")
    c.execute(
        "create table main_marts.fct_demo as select * from (values "
        "('2026-Q2', '=HYPERLINK(\"x\")', -12.5), ('2026-Q2', 'Doña Ana LLC', 100.0)) "
        "t(quarter, recipient, amount)"
    )
    yield c
    c.close()


def _write(con, releases, **kw):
    return write_release(
        con,
        quarter="2026-Q2",
        marts=[MART],
        releases_dir=releases,
        sources=[{"table": "t", "file": "f.csv", "sha256": "ab", "rows_loaded": 2}],
        code_version="abc123",
        run_info={"started_at": kw.pop("started_at", "2026-07-15T00:00:00")},
        **kw,
    )


def test_release_layout_and_manifest(con, tmp_path):
    releases = tmp_path / "releases"
    result = _write(con, releases)
    assert result.status == "published" and result.release_id == "2026-Q2"
    root = releases / "2026-Q2"
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["marts"] == [
        {"name": "fct_demo", "relation": "main_marts.fct_demo", "rows": 2, "key": ["recipient"]}
    ]
    assert set(manifest["files"]) == {
        "csv/fct_demo.csv",
        "parquet/fct_demo.parquet",
        "data_dictionary.md",
        "disclosure.json",
        "index.html",
        "xlsx/pledge_release_2026-Q2.xlsx",
    }
    for rel, digest in manifest["files"].items():
        assert sha256_file(root / rel) == digest
    raw = (root / "csv" / "fct_demo.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel shows the accent
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "Doña Ana LLC" in text
    assert "-12.5" in text  # numbers stay numbers
    # Parquet keeps the exact value
    assert pl.read_parquet(root / "parquet" / "fct_demo.parquet")["recipient"].to_list()[0] == (
        '=HYPERLINK("x")'
    )
    assert "Recipient \\| name" in (root / "data_dictionary.md").read_text()
    assert "started_at" not in json.dumps(manifest)


def test_same_inputs_give_the_same_bytes_and_no_new_release(con, tmp_path):
    releases = tmp_path / "releases"
    first = _write(con, releases)
    again = _write(con, releases, started_at="2026-07-16T00:00:00")
    assert again.status == "unchanged" and again.release_id == first.release_id
    assert release_ids_for(releases, "2026-Q2") == ["2026-Q2"]
    other = tmp_path / "other"
    _write(con, other, started_at="2027-01-01T00:00:00")
    for rel in (
        "csv/fct_demo.csv",
        "parquet/fct_demo.parquet",
        "manifest.json",
        "xlsx/pledge_release_2026-Q2.xlsx",
        "index.html",
    ):
        assert (other / "2026-Q2" / rel).read_bytes() == (releases / "2026-Q2" / rel).read_bytes()


def test_changed_data_becomes_a_revision_that_names_what_it_revises(con, tmp_path):
    releases = tmp_path / "releases"
    _write(con, releases)
    con.execute("update main_marts.fct_demo set amount = 101 where amount = 100")
    rev = _write(con, releases)
    assert rev.release_id == "2026-Q2-r1" and rev.revises == "2026-Q2"
    manifest = json.loads((releases / "2026-Q2-r1" / "manifest.json").read_text())
    assert manifest["revises"] == "2026-Q2"
    diff = json.loads((releases / "2026-Q2-r1" / "revision" / "diff.json").read_text())
    assert diff["changes"] == [
        {
            "mart": "fct_demo",
            "key": {"recipient": "Doña Ana LLC"},
            "column": "amount",
            "old": 100.0,
            "new": 101.0,
            "abs_change": 1.0,
            "rel_change": 0.01,
        }
    ]
    assert diff["revises"] == "2026-Q2" and manifest["revision"]["changed_figures"] == 1
    summary = (releases / "2026-Q2-r1" / "revision" / "summary.md").read_text()
    assert "revises **2026-Q2**" in summary and "+1.0%" in summary
    assert (
        "Revises 2026-Q2: 1 figure(s) changed"
        in (releases / "2026-Q2-r1" / "index.html").read_text()
    )
    # the original is untouched
    assert "100.0" in (releases / "2026-Q2" / "csv" / "fct_demo.csv").read_text("utf-8-sig")
    assert not [p for p in releases.iterdir() if p.name.startswith(".staging")]


def test_marts_read_back_from_parquet_give_the_same_release_bytes(con, tmp_path):
    """keep_rows=0: no mart is held in memory after its files are written; the dictionary, the
    workbook, the page and a revision's diff read it back from the staged Parquet file. Every
    file must be byte for byte what the in-memory path writes."""
    kept, read_back = tmp_path / "kept", tmp_path / "read_back"
    _write(con, kept)
    _write(con, read_back, keep_rows=0)
    con.execute("update main_marts.fct_demo set amount = 101 where amount = 100")
    _write(con, kept)
    rev = _write(con, read_back, keep_rows=0)
    assert rev.release_id == "2026-Q2-r1"
    for release in ("2026-Q2", "2026-Q2-r1"):
        a = json.loads((kept / release / "manifest.json").read_text())["files"]
        b = json.loads((read_back / release / "manifest.json").read_text())["files"]
        assert a == b and len(a) >= 6
    assert "revision/diff.json" in b
    diff = json.loads((read_back / "2026-Q2-r1" / "revision" / "diff.json").read_text())
    assert [(c["old"], c["new"]) for c in diff["changes"]] == [(100.0, 101.0)]


def test_failure_leaves_no_partial_release(con, tmp_path):
    releases = tmp_path / "releases"
    broken = PublishedMart(name="fct_missing", relation="main_marts.nope")
    with pytest.raises(duckdb.CatalogException):
        write_release(
            con,
            quarter="2026-Q2",
            marts=[MART, broken],
            releases_dir=releases,
            sources=[],
            code_version="x",
            run_info={},
        )
    assert list(releases.iterdir()) == []


def test_next_release_id():
    assert next_release_id([], "2026-Q2") == "2026-Q2"
    assert next_release_id(["2026-Q2"], "2026-Q2") == "2026-Q2-r1"
    assert next_release_id(["2026-Q2", "2026-Q2-r1"], "2026-Q2") == "2026-Q2-r2"


def test_workbook_has_an_about_sheet_no_formulas_and_fixed_timestamps(con, tmp_path):
    import zipfile

    from openpyxl import load_workbook

    releases = tmp_path / "releases"
    _write(con, releases)
    book = releases / "2026-Q2" / "xlsx" / "pledge_release_2026-Q2.xlsx"
    wb = load_workbook(book)
    assert wb.sheetnames == ["about", "fct_demo"]
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in wb["fct_demo"]["B"]]
    assert values[1] == '\'=HYPERLINK("x")'  # the same neutralisation as the CSV
    amounts = [c.value for c in wb["fct_demo"]["C"]][1:]
    assert amounts == [-12.5, 100.0]  # numbers stay numbers
    with zipfile.ZipFile(book) as z:
        core = z.read("docProps/core.xml").decode()
        assert "2026-06-30T23:59:59Z" in core  # the quarter's end, not the clock
        assert {i.date_time for i in z.infolist()} == {(2026, 6, 30, 23, 59, 58)}


def test_page_opens_offline_and_says_validation_is_not_available(con, tmp_path):
    releases = tmp_path / "releases"
    _write(con, releases)
    html = (releases / "2026-Q2" / "index.html").read_text()
    assert "validation: not available" in html
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "https://" not in html


def test_validation_status_is_read_from_the_report():
    from orchestration.publish.page import validation_summary

    assert validation_summary(None) == "not available"
    checks = [
        {"name": "a", "severity": "fatal", "passed": True},
        {"name": "b", "severity": "warning", "passed": False},
    ]
    assert validation_summary({"checks": checks}) == "passed, 1 warning"
    assert validation_summary({"checks": checks[:1]}) == "passed (1 checks)"


def test_pull_copies_the_latest_and_refuses_a_tampered_file(con, tmp_path):
    from orchestration.cli import EXIT_INPUT, main
    from orchestration.publish.pull import PullError, pull

    releases = tmp_path / "releases"
    _write(con, releases)
    con.execute("update main_marts.fct_demo set amount = 101 where amount = 100")
    _write(con, releases)
    got = pull(releases, tmp_path / "out", fmt="csv")
    assert got.release_id == "2026-Q2-r1"
    assert (tmp_path / "out" / "2026-Q2-r1" / "csv" / "fct_demo.csv").exists()
    assert not (tmp_path / "out" / "2026-Q2-r1" / "parquet").exists()
    assert pull(releases, tmp_path / "out2", quarter="2026-Q2").release_id == "2026-Q2-r1"
    (releases / "2026-Q2-r1" / "csv" / "fct_demo.csv").write_text("quarter\n2026-Q2\n")
    with pytest.raises(PullError, match="csv/fct_demo.csv: sha256 differs"):
        pull(releases, tmp_path / "out3")
    assert not (tmp_path / "out3").exists() or not any((tmp_path / "out3").iterdir())
    warehouse = tmp_path
    code = main(["pull", "--warehouse", str(warehouse), "--to", str(tmp_path / "out4")])
    assert code == EXIT_INPUT


def test_latest_released_quarter(con, tmp_path):
    from orchestration.publish.release import latest_released_quarter

    releases = tmp_path / "releases"
    assert latest_released_quarter(releases) is None
    _write(con, releases)
    (releases / "2026-Q1").mkdir()  # a folder without a manifest is not a release
    assert latest_released_quarter(releases) == "2026-Q2"


def test_revision_summary_keeps_feed_text_inert():
    from orchestration.publish.revision import render_summary

    diff = {
        "release": "2026-Q2-r1",
        "revises": "2026-Q2",
        "changed_figures": 1,
        "marts": {
            "dim_facilities": {
                "changed_figures": 1,
                "rows_added": [],
                "rows_removed": [],
                "columns_added": [],
            }
        },
        "changes": [
            {
                "mart": "dim_facilities",
                "key": {"facility_id": "FAC-1"},
                "column": "facility_name",
                "old": "Plain",
                "new": "-2+3+cmd|' /C calc'!A0 <script>alert(1)</script>",
                "abs_change": None,
                "rel_change": None,
            }
        ],
    }
    text = render_summary(diff)
    row = [line for line in text.splitlines() if "FAC-1" in line][0]
    assert "<script>" not in text and "&lt;script&gt;" in row
    assert row.count(" | ") == 4  # the pipe inside the value is escaped, the table keeps 5 cells
