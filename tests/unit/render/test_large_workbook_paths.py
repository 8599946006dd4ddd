"""The shortcuts a province-sized workbook takes give the bytes of the plain route: the notice
row inserted without openpyxl's per-cell moves, a streamed sheet written into the package
piece by piece, and the package stored before it is compressed once."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

# helpers first: it keeps openpyxl from writing with lxml (other bytes)
from helpers.core.reproducible_files import normalized_zip, workbook_bytes  # isort: skip
import openpyxl
from openpyxl.styles import Font, PatternFill

from helpers.core.sheet_stream import add_rows
from helpers.core.workbook_writer import save_package
from helpers.render import excel_print

STAMP = dt.datetime(2018, 6, 30)


def _sheet_with_gaps() -> openpyxl.Workbook:
    """Cells scattered with holes in the used range, styled and plain, two sheets."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "one"
    for row in range(1, 40):
        for column in range(1, 9):
            if (row * column) % 5 == 0:
                continue  # a hole: openpyxl's insert fills it with an empty cell
            cell = ws.cell(row=row, column=column, value=row * 100 + column)
            if column == 3:
                cell.font = Font(bold=True)
            if row % 7 == 0:
                cell.fill = PatternFill(fill_type="solid", fgColor="FFEE00")
    ws.cell(row=45, column=2, value="tail")
    ws.freeze_panes = "A3"
    wb.create_sheet("two").cell(row=2, column=2, value="alone")
    wb.create_sheet("empty")
    return wb


def _saved(wb: openpyxl.Workbook) -> bytes:
    return workbook_bytes(wb, STAMP)


def test_first_row_inserted_as_openpyxl_inserts_it():
    theirs, ours = _sheet_with_gaps(), _sheet_with_gaps()
    for ws in theirs.worksheets:
        ws.insert_rows(1)
        ws.cell(row=1, column=1).value = "notice"
    for ws in ours.worksheets:
        excel_print._insert_first_row(ws)
        ws.cell(row=1, column=1).value = "notice"
    for mine, other in zip(ours.worksheets, theirs.worksheets, strict=True):
        assert list(mine._cells) == list(other._cells)  # same cells, same order
        assert all(cell.row == row and cell.column == column
                   for (row, column), cell in mine._cells.items())
        assert mine._current_row == other._current_row
    assert _saved(ours) == _saved(theirs)


def test_notice_row_moves_streamed_rows_and_filter():
    wb = _sheet_with_gaps()
    ws = wb.active
    ws.auto_filter.ref = "A2:H45"
    add_rows(ws, 46, [[(0, n), (0, f"row {n}")] for n in range(5000)], 2)
    excel_print.add_notice_row(ws, "notice")
    assert ws.auto_filter.ref == "A3:H46"
    assert ws.freeze_panes == "A4"
    with zipfile.ZipFile(io.BytesIO(_saved(wb))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<row r="47"><c r="A47" t="n"><v>0</v></c>' in sheet  # the anchor moved with them
    assert '<c r="B5046" t="inlineStr"><is><t>row 4999</t></is></c></row></sheetData>' in sheet
    assert '<dimension ref="A1:H5046" />' in sheet


def test_streamed_pieces_written_as_writestr_writes_the_whole():
    wb = _sheet_with_gaps()
    package = save_package(wb)
    pieces = [b"<a>", b"x" * 70_000, "中文".encode() * 5000, b"</a>"]
    whole = normalized_zip(package, STAMP, {"xl/worksheets/sheet1.xml": lambda _: b"".join(pieces)})
    piecewise = normalized_zip(package, STAMP, {"xl/worksheets/sheet1.xml": lambda _: iter(pieces)})
    assert piecewise == whole


def test_stored_package_normalizes_to_the_compressed_one():
    package = save_package(_sheet_with_gaps())
    stored = save_package(_sheet_with_gaps(), compress=False)
    assert len(stored) > len(package)
    assert normalized_zip(stored, STAMP) == normalized_zip(package, STAMP)
