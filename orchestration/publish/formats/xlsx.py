"""The release workbook: one sheet per mart plus an ``about`` sheet that explains the release.

Written directly as SpreadsheetML (the parts of an .xlsx zip), each sheet's rows rendered by polars
expressions a slice at a time and streamed into the zip: a mart of millions of rows costs seconds
and one slice of memory (a cell-by-cell writer such as openpyxl spent ~1 ms per row).

Safe and reproducible:
* text is written as inline text (``t="inlineStr"``), never as a formula, and text that a
  spreadsheet would run (``=``, ``+``, ``-``, ``@``, tab, CR first) carries the same leading
  apostrophe as the CSV; characters XML 1.0 cannot carry are dropped; numbers, dates, timestamps
  and booleans stay typed (dates as serial numbers with a date format);
* no part carries the clock: the document properties and every zip entry get a time taken from the
  data (the end of the release quarter), so the same data gives the same bytes;
* a sheet holds at most ``MAX_SHEET_ROWS`` data rows (Excel's limit is 1,048,576 rows with the
  header); a larger mart continues on sheets ``<name>~2``, ``<name>~3``, ... each with the header,
  and the about sheet says so.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl

from orchestration.publish.safe_text import neutralize_frame

MAX_SHEET_NAME = 31
MAX_SHEET_ROWS = 1_048_575  # Excel: 1,048,576 rows per sheet, one of them the header
SLICE_ROWS = 50_000  # rows rendered to XML at once
READ_ROWS = 262_144  # rows read from a mart's source at once (a Parquet row group)
EXCEL_EPOCH = datetime(1899, 12, 30)
# Code points XML 1.0 does not allow (C0 controls but tab, LF, CR; U+FFFE, U+FFFF).
_ILLEGAL_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"

STYLE_BOLD, STYLE_DATE, STYLE_DATETIME = 1, 2, 3
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def sheet_name(mart: str, used: set[str]) -> str:
    base = mart[:MAX_SHEET_NAME]
    name, n = base, 1
    while name in used:
        suffix = f"~{n}"
        name, n = base[: MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_ILLEGAL_XML_PY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text as XML character data: escaped, characters XML cannot carry dropped."""
    return escape(_ILLEGAL_XML_PY.sub("", value))


def _text_cell(ref: pl.Expr, text: pl.Expr, style: int | None = None) -> pl.Expr:
    cleaned = (
        text.str.replace_all(_ILLEGAL_XML, "")
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )
    return pl.concat_str(
        [
            pl.lit('<c r="'),
            ref,
            pl.lit('"' + (f' s="{style}"' if style else "") + ' t="inlineStr">'),
            pl.lit('<is><t xml:space="preserve">'),
            cleaned,
            pl.lit("</t></is></c>"),
        ]
    )


def _value_cell(ref: pl.Expr, value: pl.Expr, attrs: str = "") -> pl.Expr:
    return pl.concat_str(
        [pl.lit('<c r="'), ref, pl.lit(f'"{attrs}><v>'), value, pl.lit("</v></c>")]
    )


def _cell_expr(name: str, dtype: pl.DataType, letter: str, row: pl.Expr) -> pl.Expr:
    """The XML of one column's cells; an empty string where the value is null (no cell)."""
    col = pl.col(name)
    ref = pl.lit(letter) + row
    if dtype == pl.String:
        cell = _text_cell(ref, col)
    elif dtype == pl.Boolean:
        cell = _value_cell(ref, col.cast(pl.Int8).cast(pl.String), ' t="b"')
    elif dtype.is_integer() or isinstance(dtype, pl.Decimal):
        cell = _value_cell(ref, col.cast(pl.String))
    elif dtype.is_float():
        finite = pl.when(col.is_finite()).then(col)  # NaN and infinity: no cell
        cell = _value_cell(ref, finite.cast(pl.String))
    elif dtype == pl.Date:
        serial = (col - pl.lit(EXCEL_EPOCH.date())).dt.total_days()
        cell = _value_cell(ref, serial.cast(pl.String), f' s="{STYLE_DATE}"')
    elif isinstance(dtype, pl.Datetime):
        micros = (col.dt.replace_time_zone(None) - pl.lit(EXCEL_EPOCH)).dt.total_microseconds()
        # Times the reciprocal, never a division: polars divides a one-row slice exactly but a
        # longer one by the reciprocal, so the last digit would depend on where slices fall.
        serial = micros.cast(pl.Float64) * (1 / 86_400_000_000)
        cell = _value_cell(ref, serial.cast(pl.String), f' s="{STYLE_DATETIME}"')
    else:  # lists, structs, times: their text
        cell = _text_cell(ref, col.map_elements(_python_text, return_dtype=pl.String))
    return cell.fill_null("")


def _python_text(value) -> str:
    if isinstance(value, pl.Series):
        value = value.to_list()
    return str(value)


def _header_xml(columns: list[str]) -> str:
    cells = "".join(
        f'<c r="{column_letter(i)}1" s="{STYLE_BOLD}" t="inlineStr"><is><t xml:space="preserve">'
        f"{xml_text(c)}</t></is></c>"
        for i, c in enumerate(columns)
    )
    return f'<row r="1">{cells}</row>'


def _rows_xml(frame: pl.DataFrame, first_row: int) -> str:
    """Rows of a slice of a (neutralised) frame, numbered from ``first_row``."""
    row = (pl.int_range(0, pl.len(), dtype=pl.Int64) + first_row).cast(pl.String)
    cells = [
        _cell_expr(name, dtype, column_letter(i), row)
        for i, (name, dtype) in enumerate(frame.schema.items())
    ]
    line = pl.concat_str([pl.lit('<row r="'), row, pl.lit('">'), *cells, pl.lit("</row>")])
    return frame.select(line.alias("xml")).to_series().str.join("").item()


def _sheet_parts(source: pl.LazyFrame, offset: int, length: int) -> Iterator[str]:
    """One sheet's XML: rows ``offset`` .. ``offset + length`` of a mart, read ``READ_ROWS`` at a
    time from its source (an in-memory frame or the staged Parquet file) and rendered a slice at a
    time, so a sheet costs one block of memory whatever the mart's size."""
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_NS}"><sheetData>'
    )
    yield _header_xml(source.collect_schema().names())
    for block_start in range(0, length, READ_ROWS):
        n = min(READ_ROWS, length - block_start)
        block = neutralize_frame(source.slice(offset + block_start, n).collect())
        for start in range(0, block.height, SLICE_ROWS):
            yield _rows_xml(block.slice(start, SLICE_ROWS), block_start + start + 2)
    yield "</sheetData></worksheet>"


def _about_frame(about: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {"field": [k for k, _ in about], "text": [t for _, t in about]},
        schema={"field": pl.String, "text": pl.String},
    )


def _about_sheet(about: list[tuple[str, str]]) -> Iterator[str]:
    """The about sheet: (field, text) rows, the field in bold, no header row."""
    frame = neutralize_frame(_about_frame(about))
    row = (pl.int_range(0, pl.len(), dtype=pl.Int64) + 1).cast(pl.String)
    key = _text_cell(pl.lit("A") + row, pl.col("field"), STYLE_BOLD)
    line = pl.concat_str(
        [
            pl.lit('<row r="'),
            row,
            pl.lit('">'),
            key.fill_null(""),
            _text_cell(pl.lit("B") + row, pl.col("text")).fill_null(""),
            pl.lit("</row>"),
        ]
    )
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_NS}"><sheetData>'
    )
    if frame.height:
        yield frame.select(line.alias("x")).to_series().str.join("").item()
    yield "</sheetData></worksheet>"


Sheet = tuple[str, pl.DataFrame | pl.LazyFrame]


def _height(frame: pl.DataFrame | pl.LazyFrame) -> int:
    if isinstance(frame, pl.DataFrame):
        return frame.height
    return frame.select(pl.len()).collect().item()


def plan_sheets(
    sheets: list[tuple[str, int]], max_rows: int = MAX_SHEET_ROWS
) -> tuple[list[tuple[str, str, int, int]], list[tuple[str, str]]]:
    """Sheets for marts of the given row counts: (sheet name, mart, first row, rows); a mart past
    ``max_rows`` continues on more sheets. Returns the sheets and the about rows that describe
    each split."""
    used = {"about"}
    planned: list[tuple[str, str, int, int]] = []
    notes: list[tuple[str, str]] = []
    for mart, height in sheets:
        starts = list(range(0, max(height, 1), max_rows))
        names = [sheet_name(mart, used)]
        for k in range(2, len(starts) + 1):
            suffix = f"~{k}"
            names.append(sheet_name(mart[: MAX_SHEET_NAME - len(suffix)] + suffix, used))
        planned += [
            (name, mart, s, max(0, min(max_rows, height - s)))
            for name, s in zip(names, starts, strict=True)
        ]
        if len(starts) > 1:
            notes.append(
                (
                    f"sheets of {mart}",
                    f"{height:,} rows on {len(starts)} sheets ({', '.join(names)}), at most "
                    f"{max_rows:,} rows each, header repeated; the CSV and Parquet files hold the "
                    "mart in one piece",
                )
            )
    return planned, notes


def _package_parts(names: list[str], stamp: datetime) -> dict[str, str]:
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    sheets_xml = "".join(
        f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    n = len(names) + 1
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        f"{overrides}</Types>",
        "_rels/.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" '
        f'Type="{_PKG_REL}/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" '
        f'Type="{_REL_NS}/extended-properties" '
        'Target="docProps/app.xml"/></Relationships>',
        "docProps/core.xml": head + f'<cp:coreProperties xmlns:cp="{_CORE_NS}" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>Pledge Warehouse</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{iso}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{iso}</dcterms:modified>'
        "</cp:coreProperties>",
        "docProps/app.xml": head
        + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Pledge Warehouse</Application></Properties>",
        "xl/workbook.xml": head
        + f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}"><sheets>{sheets_xml}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{sheet_rels}"
        f'<Relationship Id="rId{n}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _STYLES,
    }


def write_workbook(
    path: Path,
    sheets: list[Sheet],
    about: list[tuple[str, str]],
    stamp: datetime,
    max_sheet_rows: int = MAX_SHEET_ROWS,
) -> Path:
    """Write ``sheets`` (mart name, published frame) after an ``about`` sheet of (field, text).

    A frame may be lazy (``pl.scan_parquet`` of the staged file): it is read a block at a time."""
    sources = {mart: frame.lazy() for mart, frame in sheets}
    planned, notes = plan_sheets([(mart, _height(frame)) for mart, frame in sheets], max_sheet_rows)
    names = ["about", *[name for name, *_ in planned]]
    parts = _package_parts(names, stamp)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    date_time = stamp.timetuple()[:6]

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml"):
            z.writestr(entry(name), parts[name])
        z.writestr(entry("xl/workbook.xml"), parts["xl/workbook.xml"])
        z.writestr(entry("xl/_rels/workbook.xml.rels"), parts["xl/_rels/workbook.xml.rels"])
        z.writestr(entry("xl/styles.xml"), parts["xl/styles.xml"])
        sheet_xml = [_about_sheet([*about, *notes])] + [
            _sheet_parts(sources[mart], first, rows) for _, mart, first, rows in planned
        ]
        for i, chunks in enumerate(sheet_xml, start=1):
            with z.open(entry(f"xl/worksheets/sheet{i}.xml"), "w", force_zip64=True) as fh:
                for chunk in chunks:
                    fh.write(chunk.encode("utf-8"))
    tmp.replace(path)
    return path
