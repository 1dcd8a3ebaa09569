"""The CLI's pure parts: quarter choice, help, exit codes on user errors."""

from datetime import date

import pytest

from orchestration.cli import EXIT_INPUT, build_parser, choose_quarter, main
from orchestration.ingest.faults import PledgeError


def _touch(inbox, rel):
    p = inbox / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("x\n")


def test_choose_quarter_takes_the_latest_complete_quarter_with_data(tmp_path):
    _touch(tmp_path, "supplier/weekly_production_2026-Q2.csv")
    _touch(tmp_path, "supplier/weekly_production_2026-Q3.csv")
    _touch(tmp_path, "supplier/weekly_production_2026-Q4.csv")  # not complete on 2026-12-03
    _touch(tmp_path, "public/mcs2025-cobal_salient.csv")  # no quarter in its name
    assert choose_quarter(None, tmp_path, date(2026, 12, 3)) == "2026-Q3"
    assert choose_quarter("2026-Q2", tmp_path, date(2026, 12, 3)) == "2026-Q2"


def test_choose_quarter_without_data_says_what_to_do(tmp_path):
    with pytest.raises(PledgeError, match="pass --quarter"):
        choose_quarter(None, tmp_path, date(2026, 12, 3))


def test_bad_quarter_is_an_input_error(tmp_path, capsys):
    assert main(["run", "--quarter", "2026Q9", "--warehouse", str(tmp_path)]) == EXIT_INPUT
    assert "YYYY-Qn" in capsys.readouterr().err
    assert not (tmp_path / "inbox").exists()  # refused before staging anything


def test_every_command_has_help(capsys):
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])  # `generate` forwards to the generator's own parser
        assert exc.value.code == 0, name
        out = capsys.readouterr().out
        assert "usage:" in out, name
        if name != "generate":
            assert "Exit codes" in out, name
    assert "Exit codes" in parser.format_help()
