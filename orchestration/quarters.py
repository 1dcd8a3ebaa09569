"""Calendar and federal fiscal quarters, the unit every release is cut by.

A quarter key is ``YYYY-Qn`` (``2026-Q2``). The federal fiscal year starts on 1 October, so
calendar 2025-Q4 is FY2026 Q1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_KEY = re.compile(r"^(\d{4})-Q([1-4])$")

PROGRAM_START = "2025-Q1"
PROGRAM_END = "2029-Q4"  # five years of the pledge


class QuarterKeyError(ValueError):
    """A string that is not a quarter key such as 2026-Q2."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    q: int

    @classmethod
    def parse(cls, key: str) -> Quarter:
        m = _KEY.match(key.strip()) if isinstance(key, str) else None
        if not m:
            raise QuarterKeyError(
                f"{key!r} is not a quarter key; write it as YYYY-Qn, e.g. 2026-Q2"
            )
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, d: date) -> Quarter:
        return cls(d.year, (d.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.q}"

    def __str__(self) -> str:
        return self.key

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.q - 1) + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    @property
    def fiscal_year(self) -> int:
        return self.year + 1 if self.q == 4 else self.year

    @property
    def fiscal_quarter(self) -> int:
        return 1 if self.q == 4 else self.q + 1

    @property
    def fiscal_key(self) -> str:
        return f"FY{self.fiscal_year}-Q{self.fiscal_quarter}"

    def week_endings(self) -> list[date]:
        """Saturdays that end a reporting week inside the quarter."""
        d = self.start + timedelta(days=(5 - self.start.weekday()) % 7)
        out = []
        while d <= self.end:
            out.append(d)
            d += timedelta(days=7)
        return out


def quarter_range(first: str, last: str) -> list[str]:
    """Quarter keys from first to last, both included."""
    a, b = Quarter.parse(first), Quarter.parse(last)
    if b < a:
        raise QuarterKeyError(f"quarter range {first}..{last} runs backwards")
    out = []
    while a <= b:
        out.append(a.key)
        a = a.next()
    return out


def latest_complete_quarter(today: date) -> str:
    """The last quarter that has ended on or before ``today``."""
    return Quarter.of(today).previous().key


def program_quarters() -> list[str]:
    return quarter_range(PROGRAM_START, PROGRAM_END)
