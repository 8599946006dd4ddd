"""Saving an openpyxl workbook with each worksheet's cells written as text: the bytes
openpyxl's own writer makes, in a fraction of the time. openpyxl builds an XML element per cell
and serialises it through et_xmlfile (~30 µs a cell, the largest part of saving a brief's
workbook); here a cell is a few string operations.

Only the rows (<sheetData>) are written here, and only cells of the kinds the report workbooks
hold (text, numbers, booleans, dates, empty styled cells); a sheet with anything else (formulas,
rich text, comments, hyperlinks, row heights, merged cells) is written by openpyxl as before.
Every other part of the package is openpyxl's. Style ids are asked of the workbook in
openpyxl's order (row by row, sheet by sheet), so the styles part is the same too.
helpers.core.reproducible_files saves through `save_package`;
tests/unit/core/test_workbook_writer.py compares the bytes with openpyxl's writer."""

from __future__ import annotations

import io
from html import escape  # quote=False: & < > only, as XML character data needs
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import Element

# what the sheet's XML holds in place of its rows until they are put in (an element: no text
# of a cell can look like it, text is escaped)
_PLACEHOLDER_TAG = "helpers-rows"
_PLACEHOLDER = f"<{_PLACEHOLDER_TAG} />".encode()
_PLAIN_TYPES = {"s", "n", "b", "d"}


def save_package(wb: Workbook, compress: bool = True) -> bytes:
    """The workbook as .xlsx bytes, as `wb.save` writes them (zip entries as openpyxl orders
    them; helpers.core.reproducible_files fixes their times); `compress=False`: the entries
    stored, for a caller that rewrites the package anyway."""
    raw = io.BytesIO()
    with ZipFile(raw, "w", ZIP_DEFLATED if compress else ZIP_STORED,
                 allowZip64=True) as archive:
        _TextRowsExcelWriter(wb, archive).write_data()
    return raw.getvalue()


class _TextRowsExcelWriter(ExcelWriter):
    """openpyxl's package writer, its worksheets written by _TextRowsWriter in memory."""

    def write_worksheet(self, ws: Worksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        rows = rows_xml(ws)
        writer = _TextRowsWriter(ws, io.BytesIO(), rows is not None)
        writer.write()
        ws._rels = writer._rels
        data = writer.out.getvalue()
        if rows is not None:
            data = data.replace(_PLACEHOLDER, rows.encode("utf-8"), 1)
        self._archive.writestr(ws.path[1:], data)
        self.manifest.append(ws)


class _TextRowsWriter(WorksheetWriter):
    """A worksheet's XML with a placeholder where its rows go (when `text_rows`)."""

    def __init__(self, ws: Worksheet, out: io.BytesIO, text_rows: bool):
        super().__init__(ws, out)
        self.text_rows = text_rows

    def write_rows(self) -> None:
        if not self.text_rows:
            super().write_rows()
            return
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            xf.write(Element(_PLACEHOLDER_TAG))
        self.xf.send(None)


def rows_xml(ws: Worksheet) -> str | None:
    """The <row> elements of `ws` as openpyxl's writer makes them (registering the cells'
    styles with the workbook as it does), or None when the sheet holds something only openpyxl
    writes."""
    if len(ws.row_dimensions):
        return None
    rows: dict[int, list] = {}
    for (row, _column), cell in sorted(ws._cells.items()):
        if (isinstance(cell, MergedCell)  # the covered cells of a merge: openpyxl's to write
                or cell._comment is not None or cell._hyperlink is not None
                or cell.data_type not in _PLAIN_TYPES
                or (cell.data_type == "s" and cell._value is not None
                    and not isinstance(cell._value, str))):
            return None
        rows.setdefault(row, []).append(cell)
    epoch = ws.parent.epoch
    iso_dates = ws.parent.iso_dates
    letters: dict[int, str] = {}
    out = []
    for row, cells in rows.items():
        out.append(f'<row r="{row}">')
        for cell in cells:
            value = cell._value
            styled = cell.has_style
            if value is None and not styled:
                continue
            column = cell.column
            letter = letters.get(column)
            if letter is None:
                letter = letters[column] = get_column_letter(column)
            style = f' s="{cell.style_id}"' if styled else ""
            kind = cell.data_type
            if kind == "s":
                kind = "inlineStr"
            elif kind == "d":
                if iso_dates:
                    return None
                if getattr(value, "tzinfo", None) is not None:
                    return None  # openpyxl refuses it: let it say so
                kind, value = "n", to_excel(value, epoch)
            start = f'<c r="{letter}{row}"{style} t="{kind}"'
            if value is None or value == "":
                out.append(start + " />")
            elif kind == "inlineStr":
                stripped = value.strip()
                space = ' xml:space="preserve"' if stripped and value != stripped else ""
                out.append(f"{start}><is><t{space}>{escape(value, quote=False)}</t></is></c>")
            else:
                out.append(f"{start}><v>{escape(safe_string(value), quote=False)}</v></c>")
        out.append("</row>")
    return "".join(out)


__all__ = ["rows_xml", "save_package"]
