"""Render the feed data dictionary (docs/data_dictionary.md) from contracts.yml.

The committed file is this rendering; a unit test compares the two so the dictionary never drifts
from the contracts the validator enforces. Regenerate with
`python -m orchestration.feeds.dictionary > docs/data_dictionary.md`.
"""

from __future__ import annotations

import sys

from orchestration.feeds.contracts import ColumnContract, Contracts, TableContract, load_contracts

SUBMISSION_FORMAT = """\
## Submission format (all feeds)

* One file per table per quarter, named `<table>_<quarter>.csv` (for example
  `weekly_production_2026-Q2.csv`), dropped in the feed's inbox folder `inbox/<feed>/`. The file
  name patterns under each table say which names route to it; USAspending downloads keep their own
  names (`Contract_*_TransactionHistory*.csv`, `Assistance_PrimeAwardSummaries*.csv`).
* UTF-8 text (a byte-order mark is tolerated), comma-separated, one header row with the column
  names below (case-sensitive) in the order listed, records ended by LF. Quote a value that holds
  a comma, a quote or a line break with double quotes, doubling inner quotes.
* Dates are ISO `YYYY-MM-DD`; quarters are `YYYY-Qn` (calendar quarters; the federal fiscal year
  starts on 1 October). Booleans are `true` / `false`. Decimals use `.` with no thousands
  separator. Codes (FIPS, NAICS, UEI, ISO, agency and assistance type codes) are text: leading
  zeros are kept (`089`, `04`).
* An empty cell is a missing value. A key column is never empty. A column marked *required* must
  be present in the header or the whole file is refused; a bad value (unparseable, out of bounds,
  not in the allowed list, a date after the load date where *not future* is set) quarantines only
  its row.
* Re-sending a file with the same bytes changes nothing; a corrected file (new bytes) lands as a
  new load and the latest load of each key wins. Cumulative files (the crosswalk, assistance award
  summaries, line announcements) may therefore re-list earlier rows.
* Columns marked *personal data* land in the raw schema only; staging drops them and no log or
  quarantine reason ever carries their values.
"""

FEED_NOTES = {
    "agency": (
        "Contract transactions are sent per quarter of `action_date` (each transaction once); "
        "assistance award summaries and the award crosswalk are snapshots as of the quarter's "
        "end that list every award made so far. Milestone reports and the risk register carry "
        "one row per milestone / risk entry per quarterly report."
    ),
    "supplier": (
        "Weekly production has one row per facility per Saturday `week_ending` of the quarter; "
        "input sourcing one row per facility, input and supplier for the quarter; line "
        "announcements list every line announced by the report date with what was known then."
    ),
    "workforce": (
        "Training reports have one row per recipient organisation per quarter. The participant "
        "roster file of a quarter lists the participants who enrolled in it and earlier "
        "participants who completed in it (their row updated with `completed_date`)."
    ),
    "public": (
        "Public releases are landed as published (their own file names and layouts); they are "
        "not produced by the program and carry no quarter in the file name."
    ),
}


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fmt_number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _rules(c: ColumnContract, table: TableContract) -> str:
    rules = []
    if c.name in table.key:
        rules.append("key")
    if not c.required:
        rules.append("optional header")
    if not c.nullable and c.name not in table.key:
        rules.append("not empty")
    if c.min is not None and c.max is not None:
        rules.append(f"{_fmt_number(c.min)} to {_fmt_number(c.max)}")
    elif c.min is not None:
        rules.append(f"≥ {_fmt_number(c.min)}")
    elif c.max is not None:
        rules.append(f"≤ {_fmt_number(c.max)}")
    if c.allowed:
        rules.append("one of " + ", ".join(f"`{v}`" for v in c.allowed))
    if c.not_future:
        rules.append("not future")
    if c.aliases:
        rules.append("also read as " + ", ".join(f"`{a}`" for a in c.aliases))
    return "; ".join(rules)


def render_table(t: TableContract) -> str:
    lines = [
        f"### `{t.name}`",
        "",
        _escape(t.description),
        "",
        f"* File names: {', '.join(f'`{p}`' for p in t.patterns)}",
        f"* Key: {', '.join(f'`{k}`' for k in t.key) or '(none)'}",
        f"* Reader: `{t.reader}`; undeclared columns: `{t.extra_columns}`",
        "",
        "| # | column | type | rules | personal data | description |",
        "|---|---|---|---|---|---|",
    ]
    for i, c in enumerate(t.columns, 1):
        lines.append(
            f"| {i} | `{c.name}` | {c.type} | {_escape(_rules(c, t))} | "
            f"{'yes' if c.pii else ''} | {_escape(c.description)} |"
        )
    return "\n".join(lines)


def render_feed_dictionary(contracts: Contracts) -> str:
    """The Markdown data dictionary of every feed and table, in contracts.yml order."""
    out = [
        "# Feed data dictionary",
        "",
        "Rendered from `orchestration/feeds/contracts.yml` by "
        "`orchestration/feeds/dictionary.py`; do not edit by hand.",
        "",
        SUBMISSION_FORMAT,
    ]
    for feed, description in contracts.feeds.items():
        tables = contracts.for_feed(feed)
        out += [f"## Feed `{feed}`", "", _escape(description), ""]
        if feed in FEED_NOTES:
            out += [FEED_NOTES[feed], ""]
        if not tables:
            out += ["No tables are declared for this feed yet.", ""]
        for t in tables:
            out += [render_table(t), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def main() -> int:
    sys.stdout.write(render_feed_dictionary(load_contracts()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
