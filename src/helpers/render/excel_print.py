"""The report workbook made fit to send: every sheet prints on A4 landscape, one page wide, with
its header row repeated on every page, the title and sheet name in the page header and page
numbers in the footer; header rows and the first column stay in view while scrolling; and, when
the returns are generated demo data, every sheet says so in its first row and on every printed
page.

Applied to a finished workbook (helpers.render.excel.build_workbook calls `fit_to_send` last),
so it is independent of which columns and sheets the workbook has. A sheet's table header row
is where excel_report.write_table froze the panes."""

from __future__ import annotations

import re
from operator import itemgetter

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from helpers.words.labels import label

NOTICE_FONT = Font(bold=True, color="C00000")
NOTICE_COLOUR = "C00000"
HEADER_FOOTER_LIMIT = 255  # characters Excel allows in one header or footer, codes included
_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def header_row(ws: Worksheet) -> int | None:
    """The table header row: the row above the frozen panes, None when nothing is frozen."""
    if not ws.freeze_panes:
        return None
    match = _CELL.match(ws.freeze_panes)
    return int(match.group(2)) - 1 if match else None


def _shows_notice(ws: Worksheet, notice: str, rows: int = 5) -> bool:
    return any(ws.cell(row=row, column=1).value == notice for row in range(1, rows + 1))


def _shift_filter(ws: Worksheet, rows: int) -> None:
    """Move the autofilter range down by `rows` (openpyxl's insert_rows leaves it)."""
    if not ws.auto_filter.ref:
        return
    ws.auto_filter.ref = re.sub(r"(\d+)", lambda m: str(int(m.group(1)) + rows),
                                ws.auto_filter.ref)


def add_notice_row(ws: Worksheet, notice: str) -> None:
    """The notice in a new first row, everything else one row down (frozen panes and the
    autofilter follow)."""
    top = header_row(ws)
    _insert_first_row(ws)
    cell = ws.cell(row=1, column=1)
    cell.value = notice
    cell.data_type = "s"
    cell.font = NOTICE_FONT
    _shift_filter(ws, 1)
    if top is not None:
        ws.freeze_panes = f"A{top + 2}"


def _insert_first_row(ws: Worksheet) -> None:
    """What openpyxl's `ws.insert_rows(1)` does, without its per-cell look-ups (a province's
    sheets hold hundreds of thousands of cells): the used range from A1 filled with cells, as
    its row iterator leaves it, and every cell moved one row down, in the order openpyxl moves
    them (last row first), so the saved workbook is the same."""
    cells = ws._cells
    rows, columns = ws.max_row, ws.max_column
    for row in range(1, rows + 1):
        for column in range(1, columns + 1):
            if (row, column) not in cells:
                ws.cell(row=row, column=column)
    moved = [cells[key] for key in sorted(cells, key=itemgetter(0), reverse=True)]
    cells.clear()
    for cell in moved:
        cell.row += 1
        cells[(cell.row, cell.column)] = cell
    ws._current_row = ws.max_row


def _header_text(text: str) -> str:
    """Text for a header or footer: '&' doubled (a single one starts a code)."""
    return text.replace("&", "&&")


def page_setup(ws: Worksheet, title: str, notice: str | None, lang: str) -> None:
    """A4 landscape, one page wide, header row repeated, gridlines printed, title and sheet name
    above, page numbers below; header rows and the first column frozen."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.8, bottom=0.7, header=0.3,
                                  footer=0.3)
    ws.print_options.gridLines = True
    top = header_row(ws)
    if top is not None:
        ws.print_title_rows = f"{top}:{top}"
        ws.freeze_panes = f"B{top + 1}"  # the header rows and the first column
    sheet = "&A"
    room = HEADER_FOOTER_LIMIT - len(sheet) - (len(_header_text(notice)) if notice else 0) - 20
    shown = title if len(title) <= room else title[:max(room - 1, 0)] + "…"
    ws.oddHeader.left.text = _header_text(shown)
    ws.oddHeader.right.text = sheet
    if notice:
        ws.oddHeader.center.text = _header_text(notice)
        ws.oddHeader.center.color = NOTICE_COLOUR
    ws.oddFooter.center.text = label("doc.page_footer", lang)


def fit_to_send(wb: Workbook, title: str, notice: str | None, lang: str) -> None:
    """Every sheet of `wb` ready to print and forward; `notice` (the demo-data warning, or
    None) goes into each sheet's first row unless the sheet already shows it near the top."""
    for ws in wb.worksheets:
        if notice and not _shows_notice(ws, notice):
            add_notice_row(ws, notice)
        page_setup(ws, title, notice, lang)
