"""Values a hostile or careless provider sends, found by trying to break the warehouse."""

from __future__ import annotations

from ingest_helpers import LOAD_DATE

from orchestration.feeds.contracts import load_contracts
from orchestration.ingest.land import land_inbox


def _write(inbox, feed, name, lines):
    p = inbox / feed / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _header(table):
    return ",".join(load_contracts().tables[table].column_names)


def _land_sourcing_with(con, inbox, bad_line):
    """A 2026-Q2 input-sourcing file of one clean row and ``bad_line``, landed."""
    _write(
        inbox,
        "supplier",
        "input_sourcing_2026-Q2.csv",
        [
            _header("input_sourcing"),
            "FAC-0001,2026-Q2,silicon,SUP-1,Texas Silicon,US,6.00,t,600.00",
            bad_line,
        ],
    )
    return land_inbox(con, inbox, load_date=LOAD_DATE)


def test_a_personal_data_table_never_shows_a_value_in_quarantine(con, inbox):
    # an e-mail typed into `track` (not a PII column) must not leak through the quarantine
    _write(
        inbox,
        "workforce",
        "participants_2026-Q2.csv",
        [
            _header("participants"),
            "PT-1,ORG-1,Ada Quill,ada@example.org,1990-01-01,TX,2026-04-01,,operator",
            "PT-2,ORG-1,Bo Rivers,bo@example.org,1991-02-02,TX,2026-04-01,,bo.swapped@example.com",
        ],
    )
    result = land_inbox(con, inbox, load_date=LOAD_DATE)
    assert result.rows_loaded == 1 and result.rows_quarantined == 1
    rows = con.execute(
        'select line, "column", reason, value from audit.quarantined_rows'
    ).fetchall()
    assert rows and all(r[3] is None for r in rows)
    assert rows[0][:2] == (3, "track")
    dumped = repr(con.execute("select * from audit.quarantined_rows").fetchall())
    assert "example.com" not in dumped


def test_an_absurd_amount_is_quarantined_not_left_to_overflow_a_mart(con, inbox):
    result = _land_sourcing_with(
        con, inbox, "FAC-0001,2026-Q2,gallium,SUP-2,Big,CN,3.00,t,9000000000000000.00"
    )
    assert result.rows_loaded == 1
    (reason,) = con.execute(
        "select reason from audit.quarantined_rows where \"column\" = 'value_usd'"
    ).fetchone()
    assert "maximum" in reason


def test_a_quarter_key_in_other_scripts_digits_is_quarantined(con, inbox):
    result = _land_sourcing_with(
        con, inbox, "FAC-0001,\u0662\u0660\u0662\u0666-Q2,gallium,SUP-2,Shenzhen,CN,3.00,t,300.00"
    )
    assert result.rows_loaded == 1 and result.rows_quarantined == 1
