"""The Dagster UI, used for real: the web server on loopback, opened in headless Chromium.

One web server (``dagster-webserver`` from the repo root, so the code location comes from
``[tool.dagster]`` in pyproject.toml as under ``make dagster``) runs against a temporary warehouse
whose inbox holds the embedded default data, and a temporary DAGSTER_HOME. Playwright drives
Debian's Chromium (``/usr/bin/chromium``; Playwright's own browser downloads do not work here) and
checks what a user sees: the asset graph (ingest assets, dbt seeds and models, dbt tests as checks,
the publication asset), the 20 quarterly partitions, and a materialization launched from the
"Materialize all…" dialog for one partition, followed until the run succeeds.

The instance uses the DefaultRunCoordinator: ``dagster dev`` would run the daemon that takes runs
off the queue, this test starts the web server alone, so runs launched from the UI start at once.

Screenshots go to ``test-output/ui/``. Without a Chromium binary the test is skipped, except under
CI (``CI=true``), where a missing browser is a failure: ``.ci/run`` installs it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "ui"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCATION = "pledge_warehouse"  # [tool.dagster] code_location_name
PARTITION = "2026-Q3"
# A seed that no dbt test shares with an unselected model: dbt's eager indirect selection would run
# such a test in the subset (e.g. sectors → relationships test on stg_supplier__weekly_production)
# and fail on a fresh warehouse where the staging view does not exist yet.
SEED_KEY = "reference/funding_mechanisms"
SELECTION = f'group:ingest_agency or key:"{SEED_KEY}"'
SERVER_START_TIMEOUT = 120.0
RUN_TIMEOUT = 180.0
UI_TIMEOUT_MS = 30_000

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(420)]


def _find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    found = _find_chromium()
    if found:
        return found
    message = (
        "no Chromium binary (/usr/bin/chromium); install Debian's package: "
        "apt-get install -y chromium (.ci/run does this)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {message}", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, base: str, warehouse: Path, log: Path) -> None:
        self.base = base
        self.warehouse = warehouse
        self.log = log

    def graphql(self, query: str, variables: dict | None = None, timeout: float = 30.0) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.base}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = json.loads(response.read())
        assert "errors" not in payload, payload["errors"]
        return payload["data"]

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text("utf-8", errors="replace")[-chars:]


LOCATION_STATUS = """
{ workspaceOrError { ... on Workspace { locationEntries {
    name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } }
} } } }
"""


def _wait_until_loaded(server: Server, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.base}/server_info", timeout=5) as r:
                r.read()
            entries = server.graphql(LOCATION_STATUS)["workspaceOrError"]["locationEntries"]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
            continue
        if entries and all(e["loadStatus"] == "LOADED" for e in entries):
            errors = [
                e["locationOrLoadError"].get("message")
                for e in entries
                if e["locationOrLoadError"]["__typename"] == "PythonError"
            ]
            assert not errors, f"the code location failed to load: {errors}"
            assert [e["name"] for e in entries] == [LOCATION]
            return
        time.sleep(1)
    pytest.fail(f"the code location did not load in {SERVER_START_TIMEOUT}s:\n{server.log_tail()}")


@pytest.fixture(scope="module")
def server(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from orchestration.feeds.default_data import stage_default_inbox
    from orchestration.settings import WarehousePaths

    tmp = tmp_path_factory.mktemp("dagster_ui")
    paths = WarehousePaths.resolve(tmp / "warehouse").ensure()
    stage_default_inbox(paths.inbox)
    home = tmp / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "run_coordinator:\n"
        "  module: dagster._core.run_coordinator\n"
        "  class: DefaultRunCoordinator\n"
        "telemetry:\n"
        "  enabled: false\n",
        "utf-8",
    )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log = OUTPUT / "webserver.log"
    port = _free_port()
    venv_bin = str(Path(sys.executable).parent)  # dbt and dagster-webserver, as under `uv run`
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PLEDGE_WAREHOUSE": str(paths.root),
        "PATH": venv_bin + os.pathsep + os.environ.get("PATH", ""),
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }
    env.pop("DAGSTER_IS_DEV_CLI", None)
    webserver = shutil.which("dagster-webserver", path=env["PATH"])
    assert webserver, "dagster-webserver is not installed in this environment"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [webserver, "-h", "127.0.0.1", "-p", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the code server and run workers
        )
    srv = Server(f"http://127.0.0.1:{port}", paths.root, log)
    try:
        _wait_until_loaded(srv, proc)
        yield srv
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass
    # whatever the group left behind (the code server, a run worker)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, server: Server) -> Iterator:
    """A fresh page that can reach the web server and nothing else."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    blocked: list[str] = []

    def only_loopback(route) -> None:
        url = route.request.url
        local = urlparse(url).hostname in ("127.0.0.1", "localhost")
        if local or url.startswith(("blob:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", only_loopback)
    pg = context.new_page()
    pg.set_default_timeout(UI_TIMEOUT_MS)
    try:
        yield pg
    finally:
        if blocked:
            with (OUTPUT / "blocked_requests.txt").open("a", encoding="utf-8") as f:
                f.write("\n".join(blocked) + "\n")
        context.close()


def _open(page, server: Server, path: str) -> None:
    page.goto(server.base + path, wait_until="networkidle", timeout=60_000)
    # A new instance greets the first visitor with a newsletter dialog: skip it like a user would.
    skip = page.get_by_role("button", name="Skip")
    try:
        skip.wait_for(state="visible", timeout=3_000)
    except Exception:  # noqa: BLE001 - not shown: nothing to dismiss
        return
    skip.click()
    skip.wait_for(state="hidden")


def _shot(page, name: str) -> None:
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=False)


@pytest.fixture(scope="module")
def expected() -> dict:
    """What the definitions declare, loaded in this process from the same files."""
    with pytest.MonkeyPatch.context() as mp:
        # DbtCliResource looks `dbt` up on PATH when it is built, as `uv run` would find it
        mp.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
        from orchestration.definitions import defs

        repo = defs.get_repository_def()
    groups: dict[str, list[str]] = {}
    keys = []
    for node in repo.asset_graph.asset_nodes:
        key = node.key
        groups.setdefault(node.group_name, []).append(key.path[-1])
        keys.append(key.to_user_string())
    checks: dict[str, list[str]] = {}
    for check_key in repo.asset_graph.asset_check_keys:
        checks.setdefault(check_key.asset_key.to_user_string(), []).append(check_key.name)
    return {"groups": groups, "keys": sorted(keys), "checks": checks}


def test_asset_graph_shows_ingest_dbt_and_publication(page, server: Server, expected) -> None:
    groups = expected["groups"]
    assert {"ingest_agency", "ingest_supplier", "ingest_workforce", "ingest_public"} <= set(groups)
    assert {"reference", "staging", "intermediate", "marts", "publication"} <= set(groups)

    _open(page, server, "/asset-groups")
    page.get_by_text("Global asset lineage").wait_for()
    for group in groups:
        page.get_by_text(group, exact=True).first.wait_for()
    _shot(page, "01_global_lineage")

    # The graph of a group draws its assets as nodes (only those in view are rendered).
    shown = (("ingest_agency", "assistance_awards"), ("publication", "quarterly_release"))
    for group, node in shown:
        _open(page, server, f"/locations/{LOCATION}/asset-groups/{group}")
        page.get_by_text(node, exact=True).first.wait_for()
        _shot(page, f"02_graph_{group}")

    # Each group's list names every one of its assets: ingest, dbt seeds and models, publication.
    page.set_viewport_size({"width": 1600, "height": 3200})
    for group in sorted(groups):
        _open(page, server, f"/locations/{LOCATION}/asset-groups/{group}/list")
        names = sorted(groups[group])
        page.get_by_text(names[0]).first.wait_for(state="attached")
        page.wait_for_load_state("networkidle")
        lines = {line.strip().rsplit(" / ", 1)[-1] for line in page.inner_text("body").splitlines()}
        missing = [n for n in names if n not in lines]
        assert not missing, f"group {group}: assets missing from its list: {missing}"
        if group in ("staging", "marts"):
            _shot(page, f"02_list_{group}")
    assert groups["publication"] == ["quarterly_release"]

    # The UI's own API agrees with the definitions about every asset key.
    nodes = server.graphql("{ assetNodes { assetKey { path } } }")["assetNodes"]
    assert sorted("/".join(n["assetKey"]["path"]) for n in nodes) == expected["keys"]


def test_dbt_tests_are_asset_checks(page, server: Server, expected) -> None:
    checks = expected["checks"]
    asset = "marts/fct_operations_throughput"
    names = sorted(checks[asset])
    assert names, f"{asset} has no checks"
    _open(page, server, f"/assets/{asset}?view=checks")
    page.get_by_text(f"Checks ({len(names)})", exact=True).wait_for()
    html = page.content()
    missing = [n for n in names if n not in html]
    assert not missing, f"checks missing from the Checks tab of {asset}: {missing}"
    _shot(page, "03_checks_fct_operations_throughput")
    assert sum(len(v) for v in checks.values()) >= 100  # dbt tests across the project


def test_quarterly_partitions(page, server: Server) -> None:
    from orchestration.quarters import program_quarters

    quarters = list(program_quarters())
    assert quarters[0] == "2025-Q1" and quarters[-1] == "2029-Q4" and len(quarters) == 20
    _open(page, server, "/assets/raw/agency/assistance_awards?view=partitions")
    page.get_by_text("Missing (20)", exact=True).wait_for()
    for q in quarters:
        page.get_by_text(q, exact=True).first.wait_for()
    _shot(page, "04_partitions_raw_agency_assistance_awards")


RUNS = """
query Runs($filter: RunsFilter) { runsOrError(filter: $filter) { __typename
  ... on Runs { results { runId status tags { key value } assetSelection { path } } }
  ... on PythonError { message } } }
"""
RUN_EVENTS = """
query Events($runId: ID!) { logsForRun(runId: $runId) { __typename
  ... on EventConnection { events { __typename message
    ... on ExecutionStepFailureEvent { error { message } } } } } }
"""
CHECK_RESULTS = """
query Checks($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) { __typename
  ... on AssetNode { assetChecksOrError { ... on AssetChecks { checks {
    name executionForLatestMaterialization { status } } } } } } }
"""


def _wait_for_run(server: Server, page) -> dict:
    deadline = time.monotonic() + RUN_TIMEOUT
    run: dict | None = None
    while time.monotonic() < deadline:
        tag = {"key": "dagster/partition", "value": PARTITION}
        data = server.graphql(RUNS, {"filter": {"tags": [tag]}})
        results = data["runsOrError"]["results"]
        if results:
            run = results[0]
            if run["status"] in ("SUCCESS", "FAILURE", "CANCELED"):
                return run
        # not time.sleep: the page's loopback-only route handler runs while Playwright waits
        page.wait_for_timeout(2_000)
    pytest.fail(f"the run did not finish in {RUN_TIMEOUT}s: {run}\n{server.log_tail()}")


def test_materialize_a_partition_from_the_ui(page, server: Server, expected) -> None:
    _open(page, server, "/asset-groups")
    page.locator(".CodeMirror").first.click()
    page.keyboard.type(SELECTION)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Materialize all…").click()
    dialog = page.locator(".dagster-dialog")
    selected = len(expected["groups"]["ingest_agency"]) + 1
    dialog.get_by_text(f"Launch runs to materialize {selected} assets").wait_for()
    dialog.get_by_text("Select a partition or create one").click()
    page.keyboard.type(PARTITION)
    page.locator(".dagster-popover").get_by_text(PARTITION, exact=True).first.click()
    page.keyboard.press("Escape")
    dialog.get_by_text("1 partition", exact=True).wait_for()
    _shot(page, "05_launch_dialog")
    dialog.get_by_role("button", name="Launch 1 run").click()
    page.wait_for_timeout(5_000)
    _shot(page, "05b_after_launch")

    run = _wait_for_run(server, page)
    tags = {t["key"]: t["value"] for t in run["tags"]}
    if run["status"] != "SUCCESS":
        events = server.graphql(RUN_EVENTS, {"runId": run["runId"]})["logsForRun"]["events"]
        failures = [e for e in events if e["__typename"] == "ExecutionStepFailureEvent"]
        pytest.fail(f"run {run['runId']} ended {run['status']}: {failures}\n{server.log_tail()}")
    assert tags["dagster/partition"] == PARTITION
    selected_keys = sorted("/".join(k["path"]) for k in run["assetSelection"])
    assert selected_keys == sorted(
        [f"raw/agency/{t}" for t in expected["groups"]["ingest_agency"]] + [SEED_KEY]
    )

    # The run page, as the user follows it.
    _open(page, server, f"/runs/{run['runId']}")
    page.get_by_text("Success", exact=True).first.wait_for(timeout=60_000)
    _shot(page, "06_run_success")

    # The asset now has its 2026-Q3 partition materialized.
    _open(page, server, "/assets/raw/agency/assistance_awards?view=partitions")
    page.get_by_text("Materialized (1)", exact=True).wait_for()
    _shot(page, "07_partition_materialized")

    # The seed's dbt tests ran as checks of the materialization, and passed.
    checks = server.graphql(CHECK_RESULTS, {"key": {"path": SEED_KEY.split("/")}})
    results = checks["assetNodeOrError"]["assetChecksOrError"]["checks"]
    assert results and all(
        (c["executionForLatestMaterialization"] or {}).get("status") == "SUCCEEDED" for c in results
    ), results

    # The rows are in the build database, written by the run's process (the single writer); the
    # web server holds no connection, so it opens read-only once the run is over.
    con = duckdb.connect(str(server.warehouse / "build" / "pledge.duckdb"), read_only=True)
    try:
        landed = con.sql(
            "select count(*) from raw_agency.assistance_awards "
            f"where _source_file = 'assistance_awards_{PARTITION}.csv'"
        ).fetchall()[0][0]
        seed = SEED_KEY.split("/")[-1]
        seed_rows = con.sql(f"select count(*) from reference.{seed}").fetchall()[0][0]
    finally:
        con.close()
    assert landed > 0
    assert seed_rows > 0
