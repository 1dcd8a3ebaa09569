"""Load the feed submission contracts (contracts.yml) into typed objects.

Everything that needs to know what a feed file looks like (ingest, the generator, the data
dictionary) reads it from here, so a layout is declared once.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

CONTRACTS_PATH = Path(__file__).with_name("contracts.yml")
COLUMN_TYPES = {"text", "code", "integer", "decimal", "date", "boolean", "quarter"}
DUCKDB_TYPES = {
    "text": "varchar",
    "code": "varchar",
    "integer": "bigint",
    "decimal": "decimal(18,2)",
    "date": "date",
    "boolean": "boolean",
    "quarter": "varchar",
}


@dataclass(frozen=True)
class ColumnContract:
    name: str
    type: str
    description: str = ""
    required: bool = True
    nullable: bool = True
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    not_future: bool = False
    pii: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class TableContract:
    name: str
    feed: str
    description: str
    patterns: tuple[str, ...]
    key: tuple[str, ...]
    columns: tuple[ColumnContract, ...]
    reader: str = "csv"
    extra_columns: str = "ignore"
    options: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnContract:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def pii_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.pii]

    def matches(self, file_name: str) -> bool:
        return any(fnmatch.fnmatch(file_name, p) for p in self.patterns)


@dataclass(frozen=True)
class Contracts:
    feeds: dict[str, str]
    tables: dict[str, TableContract]

    def for_feed(self, feed: str) -> list[TableContract]:
        return [t for t in self.tables.values() if t.feed == feed]

    def route(self, feed: str, file_name: str) -> TableContract | None:
        """The table a file in the feed's inbox folder lands in, or None when no pattern fits."""
        for t in self.for_feed(feed):
            if t.matches(file_name):
                return t
        return None


def _column(raw: dict, key: tuple[str, ...]) -> ColumnContract:
    if raw["type"] not in COLUMN_TYPES:
        raise ValueError(f"column {raw['name']}: unknown type {raw['type']!r}")
    in_key = raw["name"] in key
    return ColumnContract(
        name=raw["name"],
        type=raw["type"],
        description=raw.get("description", ""),
        required=raw.get("required", True),
        nullable=raw.get("nullable", not in_key) and not in_key,
        min=raw.get("min"),
        max=raw.get("max"),
        allowed=tuple(str(v) for v in raw["allowed"]) if raw.get("allowed") else None,
        not_future=raw.get("not_future", False),
        pii=raw.get("pii", False),
        aliases=tuple(raw.get("aliases", ())),
    )


def parse_contracts(doc: dict) -> Contracts:
    tables = {}
    for name, t in doc["tables"].items():
        key = tuple(t.get("key", ()))
        tables[name] = TableContract(
            name=name,
            feed=t["feed"],
            description=" ".join(str(t.get("description", "")).split()),
            patterns=tuple(t.get("patterns", ())),
            key=key,
            columns=tuple(_column(c, key) for c in t.get("columns", ())),
            reader=t.get("reader", "csv"),
            extra_columns=t.get("extra_columns", "ignore"),
            options=t.get("options", {}),
        )
    feeds = {k: " ".join(str(v.get("description", "")).split()) for k, v in doc["feeds"].items()}
    return Contracts(feeds=feeds, tables=tables)


@lru_cache(maxsize=1)
def load_contracts(path: Path = CONTRACTS_PATH) -> Contracts:
    with open(path, encoding="utf-8") as fh:
        return parse_contracts(yaml.safe_load(fh))
