"""The release workbook: one sheet per mart plus an ``about`` sheet that explains the release.

Safe and reproducible:
* text is written as text (cell ``data_type`` ``'s'``), never as a formula, and text that a
  spreadsheet would run (``=``, ``+``, ``-``, ``@``, tab, CR first) carries the same leading
  apostrophe as the CSV; numbers, dates and booleans stay typed;
* openpyxl stamps the save time into ``docProps/core.xml`` and every zip entry; both are replaced
  with a time taken from the data (the end of the release quarter), so the same data gives the same
  bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from orchestration.publish.safe_text import neutralize_formula

MAX_SHEET_NAME = 31
_CORE_TIME = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)")


def sheet_name(mart: str, used: set[str]) -> str:
    base = mart[:MAX_SHEET_NAME]
    name, n = base, 1
    while name in used:
        suffix = f"~{n}"
        name, n = base[: MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _cell(ws, value):
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=None)
        cell.value = neutralize_formula(value)
        cell.data_type = "s"  # text, whatever it starts with
        return cell
    if isinstance(value, (list, dict)):
        cell = WriteOnlyCell(ws, value=None)
        cell.value = str(value)
        cell.data_type = "s"
        return cell
    return WriteOnlyCell(ws, value=value)


def _reproducible(payload: bytes, stamp: datetime) -> bytes:
    """Rewrite the zip with a fixed time in every entry and in the document properties."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(payload))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIME.sub(lambda m: m.group(1) + iso + m.group(3), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def write_workbook(
    path: Path,
    sheets: list[tuple[str, pl.DataFrame]],
    about: list[tuple[str, str]],
    stamp: datetime,
) -> Path:
    """Write ``sheets`` (mart name, published frame) after an ``about`` sheet of (field, text)."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "Pledge Warehouse"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    bold = Font(bold=True)
    ws = wb.create_sheet("about")
    for key, text in about:
        k = _cell(ws, key)
        k.font = bold
        ws.append([k, _cell(ws, text)])
    used = {"about"}
    for mart, frame in sheets:
        ws = wb.create_sheet(sheet_name(mart, used))
        header = []
        for col in frame.columns:
            c = _cell(ws, col)
            c.font = bold
            header.append(c)
        ws.append(header)
        for row in frame.iter_rows():
            ws.append([_cell(ws, v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_reproducible(buf.getvalue(), stamp))
    return path
