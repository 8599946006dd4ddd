"""Columns fitted to their text (helpers.render.excel_cells.fit_columns): widths worked out by
hand, and the empty cells of the measured range made as openpyxl's cell-by-cell reading makes
them (a row of none is still written: the workbook's bytes depend on it)."""

from __future__ import annotations

from helpers.render.excel_cells import fit_columns, write_number, write_text  # isort: skip
import openpyxl
from openpyxl.styles import Font


def test_widths_by_hand():
    wb = openpyxl.Workbook()
    ws = wb.active
    write_text(ws, 1, 1, "a title far too long to count in any column")  # skipped row
    write_text(ws, 2, 1, "区县").font = Font(bold=True)  # 4 columns wide, bold: 4.4
    write_text(ws, 2, 2, "Completion")  # 10
    write_text(ws, 3, 1, "x")
    write_number(ws, 3, 2, 0.1234, "0.0%")  # "12.3%": 5
    write_number(ws, 4, 3, 15000, "#,##0")  # "15,000": 6, but at least MIN_WIDTH 6 + 2
    fit_columns(ws, skip_rows=[1])
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABC"}
    assert widths == {"A": round(4 * 1.1 + 2, 1), "B": 12.0, "C": 8.0}


def test_the_empty_cells_of_the_range_are_made():
    wb = openpyxl.Workbook()
    ws = wb.active
    write_text(ws, 1, 1, "a")
    write_text(ws, 3, 2, "b")
    fit_columns(ws)
    assert sorted(ws._cells) == [(row, column) for row in (1, 2, 3) for column in (1, 2)]
