"""Resources: the warehouse folder and its single-writer DuckDB build database."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from orchestration.settings import DEFAULT_DUCKDB_MEMORY_LIMIT, WarehousePaths, duckdb_config


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse root; ``None`` means ``PLEDGE_WAREHOUSE`` or ``./warehouse``.

    The environment is read at run time, never at import.
    """

    root: str | None = None

    @property
    def paths(self) -> WarehousePaths:
        return WarehousePaths.resolve(self.root).ensure()

    @contextlib.contextmanager
    def connect(
        self, memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build database. DuckDB has one writer per file: every writing step
        runs in the one run process (in-process executor), one after the other. ``memory_limit``
        is DuckDB's when PLEDGE_DUCKDB_MEMORY_LIMIT is not set (see settings)."""
        config = duckdb_config(memory_limit)
        db = DuckDBResource(database=str(self.paths.build_db), connection_config=config)
        with db.get_connection() as con:
            yield con
