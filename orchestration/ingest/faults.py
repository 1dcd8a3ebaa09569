"""The two kinds of fault a feed file can have, as the ingest contract defines them.

* a structural fault refuses the whole file (``RefusedFile``): nothing from it lands;
* a value fault quarantines one row (``RowFault``): the file's other rows land.

Messages name the file, the line, the column and what to do, in words a data engineer can act on.
They never carry the value of a personal-data column.
"""

from __future__ import annotations

from dataclasses import dataclass


class PledgeError(Exception):
    """An error a user of the warehouse can meet and act on (bad feed, missing quarter, ...)."""


@dataclass
class RefusedFile(PledgeError):
    file: str
    reason: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"refused {', '.join(where)}: {self.reason}"


@dataclass(frozen=True)
class RowFault:
    line: int
    column: str | None
    reason: str
    value: str | None = None  # None for personal-data columns: never kept, never printed
