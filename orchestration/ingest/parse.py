"""Decoded text → a polars frame of text columns plus ``_line``, after the structural checks.

polars reads the records; a vectorised byte scan (numpy, in chunks) finds what polars does not
report: where each record starts (physical line, counting newlines inside quoted fields), how many
fields it has (a short last record is an interrupted transfer; polars would silently pad it), blank
lines, and a quote left open at the end of the file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from orchestration.ingest.decode import DecodedFile
from orchestration.ingest.faults import RefusedFile

LINE = "_line"
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon ';'", "\t": "tab", "|": "pipe '|'"}
_CHUNK = 32 * 1024 * 1024  # bytes per scan step: bounds the scan's scratch memory
_QUOTE, _NEWLINE = ord('"'), ord("\n")


@dataclass(frozen=True)
class RecordScan:
    """Per record of the file (header included): start line, field count, blank or not."""

    start_line: np.ndarray  # int64, 1-based physical line where the record starts
    fields: np.ndarray  # int64, fields in the record (separators outside quotes + 1)
    blank: np.ndarray  # bool, the record is an empty line
    open_quote_at_end: bool
    header_end: int  # byte offset of the newline that ends the header (or len(data))


@dataclass
class ParsedFile:
    file: str
    frame: pl.DataFrame  # all-Utf8 columns named by ``columns``, plus ``_line`` (Int64)
    header: list[str]  # names as written in the file
    columns: list[str]  # trimmed names (BOM and spaces removed); duplicates get a suffix
    duplicates: dict[str, list[int]]  # trimmed name → 1-based positions, when written twice
    delimiter: str = ","
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_in_file(self) -> int:
        return self.frame.height

    def original_name(self, column: str) -> str:
        return self.header[self.columns.index(column)]


def scan_records(data: bytes, delimiter: str = ",") -> RecordScan:
    """Split ``data`` into CSV records (RFC 4180 quoting) without a Python loop per record."""
    delim = ord(delimiter)
    starts: list[np.ndarray] = [np.array([1], dtype=np.int64)]
    ends: list[np.ndarray] = []  # global byte offset of each record-ending newline
    field_counts: list[np.ndarray] = []
    parity = 0  # 1 while inside a quoted field, carried across chunks
    newlines_before = 0  # newlines in earlier chunks
    delims_open = 0  # separators seen so far in the record that spans the chunk border
    for offset in range(0, len(data), _CHUNK):
        arr = np.frombuffer(
            data, dtype=np.uint8, count=min(_CHUNK, len(data) - offset), offset=offset
        )
        # Quote parity after each byte; uint8 overflow keeps parity because 256 is even.
        inside = (np.cumsum(arr == _QUOTE, dtype=np.uint8) + parity) & 1
        nl = np.flatnonzero(arr == _NEWLINE)
        is_end = inside[nl] == 0
        end_idx = np.flatnonzero(is_end)  # indexes into nl of record-ending newlines
        end_pos = nl[end_idx]
        sep = np.flatnonzero((arr == delim) & (inside == 0))
        cum = np.searchsorted(sep, end_pos)  # separators before each record end in this chunk
        counts = np.diff(cum, prepend=0).astype(np.int64)
        if counts.size:
            counts[0] += delims_open
            delims_open = sep.size - int(cum[-1])
        else:
            delims_open += sep.size
        field_counts.append(counts + 1)
        ends.append(end_pos.astype(np.int64) + offset)
        # The next record starts on the line after its predecessor's ending newline.
        starts.append(newlines_before + end_idx.astype(np.int64) + 2)
        newlines_before += nl.size
        parity = int(inside[-1])
    end_arr = np.concatenate(ends) if ends else np.empty(0, dtype=np.int64)
    fields = np.concatenate(field_counts) if field_counts else np.empty(0, dtype=np.int64)
    start_line = np.concatenate(starts)
    ends_with_newline = end_arr.size > 0 and int(end_arr[-1]) == len(data) - 1
    if ends_with_newline:
        start_line = start_line[:-1]  # no record after the final newline
        rec_end = end_arr
    else:
        fields = np.append(fields, delims_open + 1)
        rec_end = np.append(end_arr, len(data))
    rec_begin = np.concatenate([[0], end_arr + 1])[: rec_end.size]
    blank = rec_end == rec_begin
    header_end = int(rec_end[0]) if rec_end.size else len(data)
    return RecordScan(start_line, fields, blank, bool(parity), header_end)


def detect_delimiter(header_line: str) -> str:
    """The candidate that splits the header into the most fields (comma on a tie)."""
    best, best_n = ",", 1
    for cand in CANDIDATE_DELIMITERS:
        n = len(next(csv.reader([header_line], delimiter=cand), []))
        if n > best_n:
            best, best_n = cand, n
    return best


def _clean_names(header: list[str]) -> tuple[list[str], dict[str, list[int]], list[str]]:
    cleaned, positions, warnings = [], {}, []
    for i, raw in enumerate(header, start=1):
        name = raw.replace("\ufeff", "").strip()
        if not name:
            name = f"_unnamed_{i}"
            warnings.append(f"column {i} has no header name; it is ignored")
        positions.setdefault(name, []).append(i)
        cleaned.append(name)
    duplicates = {n: p for n, p in positions.items() if len(p) > 1}
    unique, seen = [], {}
    for name in cleaned:
        seen[name] = seen.get(name, 0) + 1
        # Later copies get a suffix so the frame has unique names; validate decides whether a
        # duplicate matters (it does when the contract reads that column).
        unique.append(name if seen[name] == 1 else f"{name}__copy{seen[name]}")
    return unique, duplicates, warnings


def _lines(values: np.ndarray, limit: int = 5) -> str:
    shown = ", ".join(str(int(v)) for v in values[:limit])
    return shown + (f" and {values.size - limit} more" if values.size > limit else "")


def parse_decoded(decoded: DecodedFile) -> ParsedFile:
    """Parse a decoded feed file; raise RefusedFile on a structural fault."""
    name, data = decoded.name, decoded.data
    first_nl = data.find(b"\n")
    header_text = (data if first_nl < 0 else data[:first_nl]).decode("utf-8")
    if not header_text.strip():
        raise RefusedFile(name, "the first line is blank; the header must be on line 1", line=1)
    delimiter = detect_delimiter(header_text)
    if delimiter != ",":
        raise RefusedFile(
            name,
            f"wrong delimiter: fields are separated by {_DELIMITER_NAMES[delimiter]}, the feed "
            "contract needs commas; re-export as CSV (comma delimited)",
            line=1,
        )
    scan = scan_records(data, delimiter)
    if scan.open_quote_at_end:
        last = int(scan.start_line[-1])
        raise RefusedFile(
            name,
            "the file ends inside a quoted field: the last record is incomplete (an interrupted "
            "transfer?); resend the complete file",
            line=last,
        )
    header_bytes = data[: scan.header_end]
    header = next(csv.reader([header_bytes.decode("utf-8")], delimiter=delimiter))
    n_cols = len(header)
    columns, duplicates, warnings = _clean_names(header)

    data_fields, data_blank = scan.fields[1:], scan.blank[1:]
    data_lines = scan.start_line[1:]
    bad = np.flatnonzero((data_fields != n_cols) & ~data_blank)
    if bad.size:
        last_record = data_fields.size - 1
        if bad[0] == last_record and data_fields[last_record] < n_cols:
            raise RefusedFile(
                name,
                f"truncated last record: {int(data_fields[last_record])} of the header's {n_cols} "
                "fields (an interrupted transfer?); resend the complete file",
                line=int(data_lines[last_record]),
            )
        first = int(bad[0])
        raise RefusedFile(
            name,
            f"ragged rows: line {int(data_lines[first])} has {int(data_fields[first])} fields, the "
            f"header has {n_cols} (lines {_lines(data_lines[bad])}); fix the rows or quote fields "
            "that contain commas",
            line=int(data_lines[first]),
        )

    if data_fields.size == 0:
        frame = pl.DataFrame(
            {c: pl.Series(c, [], dtype=pl.String) for c in columns}
            | {LINE: pl.Series(LINE, [], dtype=pl.Int64)}
        )
    else:
        try:
            frame = pl.read_csv(
                data,
                has_header=True,
                new_columns=columns,
                infer_schema=False,
                empty_string_is_null=False,
                quote_char='"',
                separator=delimiter,
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError as exc:
            raise RefusedFile(
                name, f"not a readable CSV ({str(exc).splitlines()[0]}); check quoting"
            ) from None
        if frame.height != data_fields.size:
            raise RefusedFile(
                name,
                f"records do not line up ({frame.height} read, {data_fields.size} expected): a "
                "stray quote character inside an unquoted field? quote such fields",
            )
        frame = frame.with_columns(pl.Series(LINE, data_lines, dtype=pl.Int64))
        if data_blank.any():
            frame = frame.filter(pl.Series(~data_blank))
            warnings.append(
                f"{int(data_blank.sum())} blank line(s) skipped (lines "
                f"{_lines(data_lines[data_blank])})"
            )
    if frame.height == 0:
        warnings.append("header only: the file has no data rows")
    return ParsedFile(name, frame, header, columns, duplicates, delimiter, warnings)
