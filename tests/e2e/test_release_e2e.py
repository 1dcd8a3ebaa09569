"""Releases and the analysts' database end to end, on the embedded default data.

One warehouse is built per module (`pledge run` in a subprocess, ~2-3 min); fault variations work
on copies of its folder. What is proven: the release layout and disclosure control, the workbook,
no personal data, byte-identical re-publication, provenance of one figure per indicator mart, a
subtraction attack on a strictly suppressed release, `pledge pull` against tampering, a second run
reporting "unchanged", and a reader holding the published database through a build.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.publish import disclosure, provenance
from orchestration.publish.release import write_release

pytestmark = pytest.mark.slow
QUARTER = "2026-Q3"
REPO = Path(__file__).resolve().parents[2]


def _pledge(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "PLEDGE_WAREHOUSE")}
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("release_e2e") / "wh"
    done = _pledge("run", "--quarter", QUARTER, "--warehouse", str(root))
    assert done.returncode == 0, done.stderr[-3000:]
    return root


@pytest.fixture(scope="module")
def release(warehouse) -> Path:
    return warehouse / "releases" / QUARTER


def _manifest(release: Path) -> dict:
    return json.loads((release / "manifest.json").read_text("utf-8"))


def test_release_carries_every_format_and_the_disclosure_report(release):
    manifest = _manifest(release)
    names = [m["name"] for m in manifest["marts"]]
    for name in names:
        assert f"csv/{name}.csv" in manifest["files"]
        assert f"parquet/{name}.parquet" in manifest["files"]
    assert f"xlsx/pledge_release_{QUARTER}.xlsx" in manifest["files"]
    assert {"index.html", "data_dictionary.md", "disclosure.json"} <= set(manifest["files"])
    keys = {m["name"]: m["key"] for m in manifest["marts"]}
    assert keys["fct_operations_throughput"] == ["sector", "quarter"]
    assert keys["fct_awards"] == ["award_key"]
    doc = json.loads((release / "disclosure.json").read_text())
    print("suppressed cells on the default data:", doc["suppressed_cells"])
    throughput = pl.read_csv(release / "csv" / "fct_operations_throughput.csv")
    assert {"contributor_count", "suppression_flag", "suppressed_columns"} <= set(
        throughput.columns
    )
    assert "top_contributor_share" not in throughput.columns
    assert throughput["total_output_units"].null_count() < throughput.height  # says something


def test_workbook_has_every_mart_and_no_formula(release):
    from openpyxl import load_workbook

    manifest = _manifest(release)
    wb = load_workbook(release / "xlsx" / f"pledge_release_{QUARTER}.xlsx")
    assert wb.sheetnames == ["about", *[m["name"][:31] for m in manifest["marts"]]]
    formulas = [
        (ws.title, c.coordinate)
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []
    about = {r[0].value: r[1].value for r in wb["about"].iter_rows()}
    assert about["release"] == QUARTER and about["validation"].startswith("passed")


def _personal_values(warehouse: Path) -> set[str]:
    values = set()
    for path in (warehouse / "inbox" / "workforce").glob("participants_*.csv"):
        with open(path, encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                for col in ("full_name", "email", "date_of_birth"):
                    if row.get(col) and len(row[col]) > 5:
                        values.add(row[col])
    # a birth date on a quarter's first or last day is also a calendar date in dim_quarters
    bounds = ("-01-01", "-04-01", "-07-01", "-10-01", "-03-31", "-06-30", "-09-30", "-12-31")
    return {v for v in values if not v.endswith(bounds)}


def test_no_personal_data_in_any_release_file(warehouse, release):
    personal = _personal_values(warehouse)
    assert len(personal) > 100
    blobs = []
    for path in release.rglob("*"):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                blobs += [(f"{path.name}:{n}", z.read(n)) for n in z.namelist()]
        elif path.suffix == ".parquet":
            blobs.append((path.name, pl.read_parquet(path).write_csv().encode()))
        elif path.is_file():
            blobs.append((path.name, path.read_bytes()))
    text = b"\n".join(b for _, b in blobs).decode("utf-8", "replace")
    leaked = sorted(v for v in personal if v in text)
    assert leaked == []


def _republish(warehouse: Path, out: Path, config=None) -> Path:
    release = warehouse / "releases" / QUARTER
    manifest = _manifest(release)
    extra = {
        str(p.relative_to(release)): p.read_bytes() for p in (release / "validation").iterdir()
    }
    from orchestration.publish.assets import published_marts

    con = duckdb.connect(str(warehouse / "build" / "pledge.duckdb"), read_only=True)
    try:
        started = time.monotonic()
        write_release(
            con,
            quarter=QUARTER,
            marts=published_marts(),
            releases_dir=out,
            sources=manifest["sources"],
            code_version=manifest["code_version"],
            run_info={"started_at": "later"},
            extra_files=extra,
            disclosure_config=config,
        )
        print(f"release written in {time.monotonic() - started:.2f}s")
    finally:
        con.close()
    return out / QUARTER


def test_same_inputs_and_code_give_byte_identical_files(warehouse, release, tmp_path):
    again = _republish(warehouse, tmp_path / "releases")
    for rel in _manifest(release)["files"]:
        assert (again / rel).read_bytes() == (release / rel).read_bytes(), rel
    assert (again / "manifest.json").read_bytes() == (release / "manifest.json").read_bytes()
    assert (again / "run.json").read_bytes() != (release / "run.json").read_bytes()


FIGURES = {
    "fct_operations_throughput": {"sector": "all", "quarter": QUARTER},
    "fct_chains_diversification": {"sector": "electronics", "quarter": QUARTER},
    "fct_workforce_by_region": {"census_region": "West", "quarter": QUARTER},
    "fct_workforce_impact": {"quarter": QUARTER},
}


@pytest.mark.parametrize("mart", sorted(FIGURES))
def test_a_published_figure_traces_to_raw_rows(warehouse, release, mart):
    key = FIGURES[mart]
    figure = provenance.TRACES[mart].figure
    published = pl.read_csv(release / "csv" / f"{mart}.csv", infer_schema_length=0)
    for k, v in key.items():
        published = published.filter(pl.col(k) == v)
    value = float(published[figure].item())
    con = duckdb.connect(str(warehouse / "build" / "pledge.duckdb"), read_only=True)
    try:
        rows = provenance.trace(con, mart, key)
    finally:
        con.close()
    assert rows and abs(sum(float(r["value"]) for r in rows) - value) < 0.005
    sources = {(s["file"], s["sha256"]) for s in _manifest(release)["sources"]}
    assert {(r["file"], r["sha256"]) for r in rows} <= sources  # by hash, in the manifest
    # the archived file of that hash holds the row at that line
    first = rows[0]
    lines = (warehouse / "archive" / first["sha256"]).read_text("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert any(
        abs(float(v) - float(first["value"])) < 0.005
        for v in next(csv.reader([lines[first["line"] - 1]]))
        if v.replace(".", "", 1).replace("-", "", 1).isdigit()
    ), (header, lines[first["line"] - 1])


def _attack(release: Path, truth: dict[str, pl.DataFrame], config) -> list[str]:
    """Try to recover every suppressed value by subtraction; return what came back."""
    recovered = []
    published = {m: pl.read_parquet(release / "parquet" / f"{m}.parquet") for m in truth}
    for mart, rule in config.marts.items():
        if rule.exempt or mart not in published:
            continue
        pub, real = published[mart], truth[mart]
        key = [*rule.series, rule.period]
        joined = pub.join(real, on=key, suffix="__true")
        for group in rule.groups:
            col = group.rank
            for _, part in joined.group_by(list(group.by)):
                if group.total is None:  # the national total is published in fct_workforce_impact
                    nat = published["fct_workforce_impact"].filter(
                        pl.col("quarter") == part["quarter"][0]
                    )
                    total, members = nat[col].item(), part
                else:
                    is_total = pl.all_horizontal([pl.col(k) == v for k, v in group.total.items()])
                    total_row, members = part.filter(is_total), part.filter(~is_total)
                    total = total_row[col].item()
                    if total is None:  # total suppressed: members give it back if all known
                        if members[col].null_count() == 0:
                            recovered.append(f"{mart} total {part['quarter'][0]}")
                        continue
                missing = members.filter(pl.col(col).is_null())
                if missing.height == 1:
                    value = float(total) - float(members[col].drop_nulls().sum())
                    if abs(value - float(missing[f"{col}__true"].item())) < 0.01:
                        recovered.append(f"{mart} {missing.select(key).row(0)} {col}={value}")
        if rule.lag:  # next quarter's lagged copy of a suppressed value
            for lagged in rule.lag:
                if lagged.startswith("prev_"):
                    own = lagged.removeprefix("prev_")
                    ordered = joined.sort(key)
                    nxt = (
                        ordered.group_by(list(rule.series), maintain_order=True)
                        .agg(pl.col(rule.period), pl.col(own), pl.col(lagged).shift(-1))
                        .explode([rule.period, own, lagged])
                    )
                    leak = nxt.filter(pl.col(own).is_null() & pl.col(lagged).is_not_null())
                    recovered += [f"{mart} lag {r}" for r in leak.rows()]
    # the scorecard repeats the national rows: a suppressed 'all' row must not be in it
    for mart in ("fct_operations_throughput", "fct_chains_diversification"):
        national = published[mart].filter(pl.col("sector") == "all")
        if national["suppression_flag"].is_not_null().any():
            recovered.append(f"{mart}: national row suppressed but echoed by the scorecard")
    return recovered


def test_subtraction_attack_recovers_no_suppressed_value(warehouse, tmp_path):
    strict = disclosure.DisclosureConfig(
        disclosure.Thresholds(min_contributors=10, max_top_contributor_share=0.25),
        disclosure.load_config().marts,
    )
    release = _republish(warehouse, tmp_path / "strict", strict)
    con = duckdb.connect(str(warehouse / "build" / "pledge.duckdb"), read_only=True)
    try:
        truth = {
            m: con.sql(f"select * from marts.{m}").pl()
            for m in [*strict.marts, "fct_workforce_impact"]
        }
    finally:
        con.close()
    doc = json.loads((release / "disclosure.json").read_text())
    assert doc["suppressed_cells"] > 0, doc
    assert _attack(release, truth, strict) == []
    # the previous quarter's release makes the same decisions for its quarters
    for mart, rule in strict.marts.items():
        if rule.exempt:
            continue
        now = pl.read_parquet(release / "parquet" / f"{mart}.parquet")
        before, _ = disclosure.suppress(
            truth[mart].filter(pl.col("quarter") < QUARTER), rule, strict.thresholds
        )
        older = now.filter(pl.col("quarter") < QUARTER).sort([*rule.series, "quarter"])
        assert older.equals(before.sort([*rule.series, "quarter"])), mart


def test_pull_verifies_and_refuses_a_tampered_release(warehouse, tmp_path):
    copy = tmp_path / "wh"
    shutil.copytree(warehouse / "releases", copy / "releases")
    ok = _pledge(
        "pull", "--warehouse", str(copy), "--to", str(tmp_path / "out"), "--format", "xlsx"
    )
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "out" / QUARTER / "xlsx" / f"pledge_release_{QUARTER}.xlsx").exists()
    target = copy / "releases" / QUARTER / "csv" / "fct_workforce_impact.csv"
    target.write_bytes(target.read_bytes().replace(b"2026-Q3", b"2026-Q4", 1))
    bad = _pledge("pull", "--warehouse", str(copy), "--to", str(tmp_path / "out2"))
    assert bad.returncode == 3
    assert "csv/fct_workforce_impact.csv: sha256 differs" in bad.stderr
    assert not (tmp_path / "out2" / QUARTER).exists()


def test_column_descriptions_reach_the_published_database(warehouse):
    con = duckdb.connect(str(warehouse / "pledge.duckdb"), read_only=True)
    try:
        comments = dict(
            con.execute(
                "select column_name, comment from duckdb_columns() "
                "where schema_name = 'marts' and table_name = 'fct_operations_throughput'"
            ).fetchall()
        )
    finally:
        con.close()
    assert comments["contributor_count"].startswith("Disclosure control")
    assert all(comments.values()), [c for c, v in comments.items() if not v]


def test_second_run_of_a_published_quarter_reports_unchanged(warehouse, release):
    before = {p: p.read_bytes() for p in release.rglob("*") if p.is_file()}
    done = _pledge("run", "--quarter", QUARTER, "--warehouse", str(warehouse))
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"release {QUARTER} (unchanged)" in done.stdout
    assert {p: p.read_bytes() for p in release.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in (warehouse / "releases").iterdir()) == [QUARTER]


READER = textwrap.dedent(
    """
    import sys, time, duckdb, pathlib
    db, go = sys.argv[1], pathlib.Path(sys.argv[2])
    q = "select sum(enrolled) from marts.fct_workforce_by_region where quarter = '2026-Q3'"
    con = duckdb.connect(db, read_only=True)
    print(con.execute(q).fetchone()[0], flush=True)
    while not go.exists():
        con.execute(q).fetchone()   # keep using the connection for the whole build
        time.sleep(0.2)
    print(con.execute(q).fetchone()[0], flush=True)
    con.close()
    con = duckdb.connect(db, read_only=True)
    print(con.execute(q).fetchone()[0], flush=True)
    """
)


def test_reader_keeps_the_old_database_through_a_build_and_a_revision(warehouse, tmp_path):
    copy = tmp_path / "wh"
    shutil.copytree(warehouse, copy, ignore=shutil.ignore_patterns("dagster_home"))
    reports = copy / "inbox" / "workforce" / f"training_reports_{QUARTER}.csv"
    lines = reports.read_text("utf-8").splitlines()
    cells = lines[1].split(",")
    cells[4] = str(int(cells[4]) + 5)  # enrolled of the first recipient, +5
    lines[1] = ",".join(cells)
    reports.write_text("\n".join(lines) + "\n", "utf-8")
    go = tmp_path / "go"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(copy / "pledge.duckdb"), str(go)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        old = int(reader.stdout.readline())
        done = _pledge("run", "--quarter", QUARTER, "--warehouse", str(copy))
        assert done.returncode == 0, done.stderr[-3000:]
        assert f"release {QUARTER}-r1 (published)" in done.stdout
        go.touch()
        out, _ = reader.communicate(timeout=60)
    finally:
        reader.kill()
    during, after = (int(x) for x in out.split())
    assert during == old and after == old + 5
    revision = copy / "releases" / f"{QUARTER}-r1"
    manifest = _manifest(revision)
    assert manifest["revises"] == QUARTER
    diff = json.loads((revision / "revision" / "diff.json").read_text())
    changed = {(c["mart"], c["column"]) for c in diff["changes"]}
    assert ("fct_workforce_by_region", "enrolled") in changed
    assert ("fct_workforce_impact", "enrolled") in changed
    one = next(
        c
        for c in diff["changes"]
        if c["mart"] == "fct_workforce_impact"
        and c["column"] == "enrolled"
        and c["key"].get("quarter") == QUARTER
    )
    assert one["abs_change"] == 5 and one["new"] == one["old"] + 5
    assert "Revises 2026-Q3" in (revision / "index.html").read_text()
    assert (warehouse / "releases" / QUARTER / "manifest.json").exists()  # original untouched
