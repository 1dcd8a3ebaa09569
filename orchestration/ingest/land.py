"""Land feed files from the inbox into DuckDB raw tables, one transaction per file.

decode → parse → (adapter) → validate are pure and run before the transaction; the transaction
only inserts frames (no row loops) into the raw table and the audit tables, so a file is either
completely landed with its quarantine and bookkeeping, or not at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb
import polars as pl

from orchestration.feeds.contracts import Contracts, TableContract, load_contracts
from orchestration.ingest.decode import decode_bytes
from orchestration.ingest.fast import (
    FileFacts,
    expected_rows,
    fast_insert,
    file_facts,
    insertion_order_kept,
    number_lines,
)
from orchestration.ingest.faults import PledgeError, RefusedFile
from orchestration.ingest.parse import LINE, parse_decoded
from orchestration.ingest.validate import EXTRA, ValidatedFrame, validate

LINEAGE_DDL = (
    "_source_file varchar, _source_sha256 varchar, _source_line bigint, _load_id varchar, "
    "_loaded_at timestamp"
)
AUDIT_DDL = (
    """create table if not exists audit.file_loads (
        load_id varchar, file varchar, sha256 varchar, feed varchar, "table" varchar,
        status varchar, rows_in_file bigint, rows_loaded bigint, rows_quarantined bigint,
        warnings varchar, loaded_at timestamp)""",
    """create table if not exists audit.refused_files (
        load_id varchar, file varchar, sha256 varchar, feed varchar, reason varchar,
        line bigint, "column" varchar, refused_at timestamp, contract_version varchar)""",
    """create table if not exists audit.quarantined_rows (
        load_id varchar, file varchar, sha256 varchar, "table" varchar, line bigint,
        "column" varchar, reason varchar, value varchar)""",
)
Progress = Callable[[int, int, str], None]


@dataclass
class FileLoadResult:
    file: str
    feed: str
    table: str | None
    sha256: str | None
    status: str  # loaded | refused | skipped | failed
    rows_in_file: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0  # quarantined lines (a line with two faults counts once)
    exact_duplicates: int = 0
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None  # refusal or failure message

    @property
    def message(self) -> str:
        if self.status == "loaded":
            text = (
                f"{self.file}: {self.rows_loaded} of {self.rows_in_file} rows loaded into "
                f"{self.table}, {self.rows_quarantined} quarantined"
            )
            return text + "".join(f"; {w}" for w in self.warnings)
        if self.status == "skipped":
            return f"{self.file}: skipped ({self.reason})"
        return self.reason or f"{self.file}: {self.status}"


@dataclass
class InboxLoadResult:
    load_id: str
    files: list[FileLoadResult]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)


def contract_version(contract: TableContract | None) -> str:
    """Fingerprint of a table contract: a refused file is tried again once its contract changes."""
    return hashlib.sha256(repr(contract).encode()).hexdigest()[:16]


def raw_table(contract: TableContract) -> str:
    return f"raw_{contract.feed}.{contract.name}"


def ensure_audit(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists audit")
    for ddl in AUDIT_DDL:
        con.execute(ddl)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, contract: TableContract) -> None:
    con.execute(f"create schema if not exists raw_{contract.feed}")
    cols = ", ".join(f'"{c.name}" {c.duckdb_type}' for c in contract.columns)
    if contract.extra_columns == "keep":
        cols += f", {EXTRA} json"
    con.execute(f"create table if not exists {raw_table(contract)} ({cols}, {LINEAGE_DDL})")


def _naive_utc(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts


def _already_done(
    con: duckdb.DuckDBPyConnection, sha256: str, file: str, version: str
) -> str | None:
    row = con.execute(
        "select status from audit.file_loads where sha256 = ? and status = 'loaded' limit 1",
        [sha256],
    ).fetchone()
    if row:
        return "already loaded (same sha256)"
    row = con.execute(
        # A refusal also depends on the name (routing) and on the contract: either changing
        # gives the same bytes a new chance.
        "select reason from audit.refused_files where sha256 = ? and file = ? "
        "and contract_version = ? limit 1",
        [sha256, file, version],
    ).fetchone()
    if row:
        return "already refused (same sha256, same contract); fix the file and resend"
    return None


def _archive(archive_dir: Path, sha256: str, write: Callable[[BinaryIO], None]) -> Path:
    """Keep an accepted file byte-for-byte at archive_dir/<sha256>: temp file, fsync, rename, so
    the archive never holds a half-written file."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    target = archive_dir / sha256
    if target.exists():
        return target
    fd, tmp = tempfile.mkstemp(dir=archive_dir, prefix=f".{sha256}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def archive_bytes(raw: bytes, sha256: str, archive_dir: Path) -> Path:
    """Archive bytes already in memory (the polars engine's path)."""
    return _archive(archive_dir, sha256, lambda out: out.write(raw))


def archive_file(path: Path, sha256: str, archive_dir: Path) -> Path:
    """Archive a file on disk (the fast path: large files are never held whole): copied by the
    kernel (``sendfile``, no pass through Python's buffers), in 8 MB chunks where it cannot."""

    def copy(out: BinaryIO) -> None:
        with open(path, "rb") as src:
            out.flush()
            offset = 0
            try:
                while sent := os.sendfile(out.fileno(), src.fileno(), offset, 1 << 30):
                    offset += sent
            except OSError:
                if offset:
                    raise
                shutil.copyfileobj(src, out, 8 * 1024 * 1024)

    return _archive(archive_dir, sha256, copy)


def _apply_adapter(frame: pl.DataFrame, contract: TableContract, file_name: str) -> pl.DataFrame:
    try:
        # Imported lazily: the adapters are written separately and may not exist yet.
        from orchestration.ingest.adapters import ADAPTERS  # type: ignore[import-not-found]
    except ImportError:
        ADAPTERS = {}  # noqa: N806
    adapter = ADAPTERS.get(contract.reader)
    if adapter is None:
        raise RefusedFile(
            file_name,
            f"table {contract.name} needs the {contract.reader!r} "
            "reader, which is not installed (orchestration/ingest/adapters)",
        )
    return adapter(frame, contract, file_name)


def check_file(
    raw: bytes, path: Path, contract: TableContract, *, load_date: date
) -> tuple[ValidatedFrame, list[str]]:
    """decode → parse → adapter → validate, without touching the database."""
    decoded = decode_bytes(raw, path)
    parsed = parse_decoded(decoded)
    frame, duplicates = parsed.frame, parsed.duplicates
    if contract.reader != "csv":
        frame, duplicates = _apply_adapter(frame, contract, path.name), None
    result = validate(frame, contract, path.name, load_date=load_date, duplicates=duplicates)
    warnings = list(parsed.warnings)
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        warnings.append(f"read as {decoded.encoding}; please send UTF-8")
    return result, warnings + result.warnings


def _record_refusal(
    con: duckdb.DuckDBPyConnection,
    exc: RefusedFile,
    *,
    raw_sha: str,
    feed: str,
    table: str | None,
    load_id: str,
    loaded_at: datetime,
    version: str,
) -> None:
    con.execute("begin transaction")
    try:
        con.execute(
            "insert into audit.refused_files values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, exc.file, raw_sha, feed, str(exc), exc.line, exc.column, loaded_at, version],
        )
        con.execute(
            "insert into audit.file_loads values (?, ?, ?, ?, ?, 'refused', null, 0, 0, ?, ?)",
            [load_id, exc.file, raw_sha, feed, table, exc.reason, loaded_at],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def land_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    feed: str,
    *,
    load_id: str,
    loaded_at: datetime,
    load_date: date,
    archive_dir: Path | None,
    contracts: Contracts | None = None,
) -> FileLoadResult:
    """Land one file of ``feed``. Refusals are recorded and returned, not raised.

    Raises PledgeError when the database write fails; the file's transaction is rolled back.
    """
    contracts = contracts or load_contracts()
    path = Path(path)
    loaded_at = _naive_utc(loaded_at)
    ensure_audit(con)
    facts = file_facts(path)  # sha256 in one streaming pass; the bytes are read whole only below
    sha = facts.sha256
    contract = contracts.route(feed, path.name)
    version = contract_version(contract)
    if why := _already_done(con, sha, path.name, version):
        # Nothing is written for a file that already landed: re-ingesting changes nothing at all.
        return FileLoadResult(
            path.name, feed, contract.name if contract else None, sha, "skipped", reason=why
        )
    if contract is not None and fast_path_enabled():
        landed = _land_fast(
            con,
            path,
            feed,
            contract,
            facts,
            load_id=load_id,
            loaded_at=loaded_at,
            load_date=load_date,
            archive_dir=archive_dir,
        )
        if landed is not None:
            return landed
    raw = path.read_bytes()
    try:
        if not raw:  # say "empty" rather than "no table" whatever the file is called
            raise RefusedFile(path.name, "empty file (0 bytes); ask the sender to resend it")
        if contract is None:
            patterns = (
                "; ".join(f"{t.name}: {', '.join(t.patterns)}" for t in contracts.for_feed(feed))
                or "none (unknown feed)"
            )
            raise RefusedFile(
                path.name,
                f"no table for this file name in feed {feed!r}; rename "
                f"it to match one of the patterns ({patterns})",
            )
        checked, warnings = check_file(raw, path, contract, load_date=load_date)
    except RefusedFile as exc:
        _record_refusal(
            con,
            exc,
            raw_sha=sha,
            feed=feed,
            table=contract.name if contract else None,
            load_id=load_id,
            loaded_at=loaded_at,
            version=version,
        )
        return FileLoadResult(
            path.name, feed, contract.name if contract else None, sha, "refused", reason=str(exc)
        )
    except Exception as exc:  # a bug, not the file's fault: report it, keep the run going
        raise PledgeError(
            f"{path.name}: could not be checked ({type(exc).__name__}: {exc}); "
            "nothing landed, please report this"
        ) from exc

    rows = checked.rows.with_columns(
        pl.lit(path.name).alias("_source_file"),
        pl.lit(sha).alias("_source_sha256"),
        pl.col(LINE).alias("_source_line"),
        pl.lit(load_id).alias("_load_id"),
        pl.lit(loaded_at, dtype=pl.Datetime("us")).alias("_loaded_at"),
    ).drop(LINE)
    quarantine = checked.quarantine.select(
        pl.lit(load_id).alias("load_id"),
        pl.lit(path.name).alias("file"),
        pl.lit(sha).alias("sha256"),
        pl.lit(contract.name).alias("table"),
        "line",
        "column",
        "reason",
        "value",
    )
    result = FileLoadResult(
        path.name,
        feed,
        contract.name,
        sha,
        "loaded",
        rows_in_file=checked.rows_in_file,
        rows_loaded=rows.height,
        rows_quarantined=checked.quarantined_lines,
        exact_duplicates=checked.exact_duplicates,
        warnings=warnings,
    )
    target = raw_table(contract)
    con.execute("begin transaction")
    try:
        ensure_raw_table(con, contract)
        # Replacement scans would pick these frames up by name too; register makes it explicit.
        con.register("_pledge_quarantine", quarantine.to_arrow())
        con.execute("insert into audit.quarantined_rows by name select * from _pledge_quarantine")
        con.register("_pledge_rows", rows.to_arrow())
        con.execute(f"insert into {target} by name select * from _pledge_rows")
        con.execute(
            "insert into audit.file_loads values (?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?)",
            [
                load_id,
                path.name,
                sha,
                feed,
                contract.name,
                result.rows_in_file,
                result.rows_loaded,
                result.rows_quarantined,
                "; ".join(warnings) or None,
                loaded_at,
            ],
        )
        if archive_dir is not None:
            archive_bytes(raw, sha, Path(archive_dir))
        con.execute("commit")
    except Exception as exc:
        con.execute("rollback")
        raise PledgeError(
            f"{path.name}: landing into {target} failed and was rolled back, nothing from the "
            f"file is in the warehouse ({type(exc).__name__}: {exc}); fix the cause and rerun"
        ) from exc
    finally:
        for view in ("_pledge_rows", "_pledge_quarantine"):
            with contextlib.suppress(duckdb.Error):
                con.unregister(view)
    return result


FAST_PATH_ENV = "PLEDGE_INGEST_FAST"


def fast_path_enabled() -> bool:
    """The DuckDB fast path (orchestration/ingest/fast.py) is on unless PLEDGE_INGEST_FAST=0."""
    return os.environ.get(FAST_PATH_ENV, "1") != "0"


def _land_fast(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    feed: str,
    contract: TableContract,
    facts: FileFacts,
    *,
    load_id: str,
    loaded_at: datetime,
    load_date: date,
    archive_dir: Path | None,
) -> FileLoadResult | None:
    """Land a plain file in one DuckDB statement (orchestration/ingest/fast.py).

    None, with nothing written, when the file is not plain: the engine then lands or refuses it.
    The result and the bookkeeping are the engine's for the same file.
    """
    target = raw_table(contract)
    plan = fast_insert(
        path,
        contract,
        facts,
        target,
        load_date=load_date,
        lineage=[path.name, facts.sha256, load_id, loaded_at],
    )
    if plan is None or not insertion_order_kept(con):
        return None
    con.execute("begin transaction")
    try:
        ensure_raw_table(con, contract)
        try:
            (rows,) = con.execute(plan.sql, plan.params).fetchone()
        except duckdb.Error:
            con.execute("rollback")  # not plain (a value, a ragged row, not UTF-8, ...)
            return None
        con.execute(number_lines(target), [facts.sha256, load_id] * 2)
        keys = ", ".join(f'"{k}"' for k in plan.key) if plan.key else "*"
        (distinct,) = con.execute(
            f"select count(*) from (select distinct {keys} from {target} "
            "where _source_sha256 = ? and _load_id = ?)",
            [facts.sha256, load_id],
        ).fetchone()
        if rows == 0 or rows != expected_rows(facts) or distinct != rows:
            # header only, a record spanning lines, a key seen twice: the engine reports it
            con.execute("rollback")
            return None
        con.execute(
            "insert into audit.file_loads values (?, ?, ?, ?, ?, 'loaded', ?, ?, 0, null, ?)",
            [load_id, path.name, facts.sha256, feed, contract.name, rows, rows, loaded_at],
        )
        if archive_dir is not None:
            archive_file(path, facts.sha256, Path(archive_dir))
        con.execute("commit")
    except Exception as exc:
        with contextlib.suppress(duckdb.Error):
            con.execute("rollback")
        raise PledgeError(
            f"{path.name}: landing into {target} failed and was rolled back, nothing from the "
            f"file is in the warehouse ({type(exc).__name__}: {exc}); fix the cause and rerun"
        ) from exc
    return FileLoadResult(
        path.name, feed, contract.name, facts.sha256, "loaded", rows_in_file=rows, rows_loaded=rows
    )


def inbox_files(inbox_dir: Path, feeds: Iterable[str]) -> list[tuple[str, Path]]:
    files = []
    for feed in feeds:
        folder = Path(inbox_dir) / feed
        if folder.is_dir():
            # Hidden and temporary files are uploads in progress or OS litter, not feed files.
            files += [
                (feed, p)
                for p in sorted(folder.iterdir())
                if p.is_file() and not p.name.startswith((".", "~"))
            ]
    return files


def new_load_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def land_inbox(
    con: duckdb.DuckDBPyConnection,
    inbox_dir: Path,
    *,
    feeds: Iterable[str] | None = None,
    load_date: date | None = None,
    archive_dir: Path | None = None,
    progress: Progress | None = None,
    contracts: Contracts | None = None,
    load_id: str | None = None,
    loaded_at: datetime | None = None,
) -> InboxLoadResult:
    """Land every file under ``<inbox>/<feed>/``; one bad file never stops the others."""
    contracts = contracts or load_contracts()
    loaded_at = _naive_utc(loaded_at or datetime.now(UTC))
    load_id = load_id or new_load_id(loaded_at)
    load_date = load_date or date.today()
    feed_list = list(feeds) if feeds is not None else list(contracts.feeds)
    # Every raw table of the feed exists, even before its first file arrives, so the dbt sources
    # always resolve and a quarter without (say) risk entries builds with empty figures.
    ensure_audit(con)
    for feed in feed_list:
        for contract in contracts.for_feed(feed):
            ensure_raw_table(con, contract)
    files = inbox_files(inbox_dir, feed_list)
    results = []
    for i, (feed, path) in enumerate(files, start=1):
        if progress:
            progress(i, len(files), path.name)
        try:
            results.append(
                land_file(
                    con,
                    path,
                    feed,
                    load_id=load_id,
                    loaded_at=loaded_at,
                    load_date=load_date,
                    archive_dir=archive_dir,
                    contracts=contracts,
                )
            )
        except PledgeError as exc:
            results.append(FileLoadResult(path.name, feed, None, None, "failed", reason=str(exc)))
    return InboxLoadResult(load_id, results)
