"""Decoding and structural parsing, without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.ingest.decode import decode_bytes
from orchestration.ingest.faults import RefusedFile
from orchestration.ingest.parse import parse_decoded, scan_records


def parse(raw: bytes):
    return parse_decoded(decode_bytes(raw, Path("f.csv")))


def test_scan_counts_physical_lines_and_fields():
    scan = scan_records(b'a,b\n1,"x\n\ny"\n\n3,"q,""r"""\n')
    assert scan.start_line.tolist() == [1, 2, 5, 6]
    assert scan.fields.tolist() == [2, 2, 1, 2]
    assert scan.blank.tolist() == [False, False, True, False]


def test_scan_across_chunks(monkeypatch):
    import orchestration.ingest.parse as parse_mod

    monkeypatch.setattr(parse_mod, "_CHUNK", 7)  # quotes and records straddle chunk borders
    data = b'a,b,c\n1,"x\ny,z",3\n4,5,6\n7,"8",9'
    scan = scan_records(data)
    assert scan.start_line.tolist() == [1, 2, 4, 5]
    assert scan.fields.tolist() == [3, 3, 3, 3]


def test_bom_crlf_trimmed_header_and_blank_lines():
    p = parse(b"\xef\xbb\xbf id , name\r\n1,a\r\n\r\n2,b\r\n")
    assert p.columns == ["id", "name"] and p.header == [" id ", " name"]
    assert p.frame["_line"].to_list() == [2, 4]
    assert any("blank line" in w for w in p.warnings)


def test_no_final_newline_is_fine():
    assert parse(b"a,b\n1,2").frame.height == 1


@pytest.mark.parametrize(
    ("raw", "text", "line"),
    [
        (b'a,b\n1,"open\n', "ends inside a quoted field", 2),
        (b"a,b,c\n1,2,3\n4,5\n6,7,8\n", "ragged rows", 3),
        (b"a,b,c\n1,2,3\n4,5,6,7\n", "ragged rows", 3),
        (b"a\tb\tc\n1\t2\t3\n", "tab", 1),
        (b"\x00\x01\x02", "not a text CSV", None),
    ],
)
def test_structural_refusals(raw, text, line):
    with pytest.raises(RefusedFile) as exc:
        parse(raw)
    assert text in str(exc.value) and exc.value.line == line


def test_utf16_be_and_cp1252():
    d = decode_bytes("\ufeffa,b\n1,ñ\n".encode("utf-16-be"), Path("f.csv"))
    assert d.encoding == "utf-16-be" and d.text == "a,b\n1,ñ\n"
    d = decode_bytes("a\n€\n".encode("cp1252"), Path("f.csv"))
    assert d.encoding == "cp1252" and d.text == "a\n€\n"


def test_duplicate_header_refused_only_for_contract_columns():
    from datetime import date

    from orchestration.feeds.contracts import load_contracts
    from orchestration.ingest.validate import validate

    contract = load_contracts().tables["risk_register"]
    p = parse(b"risk_id,risk_id,x,x\n1,2,3,4\n")
    assert p.duplicates == {"risk_id": [1, 2], "x": [3, 4]}
    with pytest.raises(RefusedFile, match="more than once"):
        validate(p.frame, contract, "f.csv", load_date=date(2026, 6, 30), duplicates=p.duplicates)
