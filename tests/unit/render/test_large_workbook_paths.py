"""The shortcuts a province-sized workbook takes give the bytes of the plain route: the notice
row inserted without openpyxl's per-cell moves, a streamed sheet written into the package
piece by piece, and the package stored before it is compressed once."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

# helpers first: it keeps openpyxl from writing with lxml (other bytes)
from helpers.core.reproducible_files import normalized_zip, workbook_bytes  # isort: skip
import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import Font, PatternFill

from helpers.core.sheet_stream import add_rows, column_xml
from helpers.core.workbook_writer import save_package
from helpers.render import excel_cells, excel_print

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
    numbers = list(range(5000))
    batches = ([([0] * 1000, numbers[start:start + 1000]),
                ([0] * 1000, [f"row {n}" for n in numbers[start:start + 1000]])]
               for start in range(0, 5000, 1000))
    add_rows(ws, 46, batches, 2)
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


def test_column_xml_writes_each_kind_of_cell():
    day = dt.date(2018, 6, 30)
    cells = column_xml("C", [0, 3, 0, 5, 0, 0, 0, 2, 0],
                       ["中文 & <x>", "", None, 1.5, 7, float("nan"), True, day, " a "])
    assert cells == [
        '<c r="C\x00" t="inlineStr"><is><t>中文 &amp; &lt;x&gt;</t></is></c>',
        '<c r="C\x00" s="3"/>', "",
        '<c r="C\x00" s="5" t="n"><v>1.5</v></c>',
        '<c r="C\x00" t="n"><v>7</v></c>',
        '<c r="C\x00" t="n"><v></v></c>',
        '<c r="C\x00" t="b"><v>1</v></c>',
        '<c r="C\x00" s="2" t="n"><v>43281</v></c>',
        '<c r="C\x00" t="inlineStr"><is><t xml:space="preserve"> a </t></is></c>']


def test_column_xml_repeats_a_text_in_each_cells_own_style():
    # a text met again is not written again: the same cell, but only in the same style
    cells = column_xml("B", [0, 4, 0, 4, 7], ["鹿城区", "鹿城区", "鹿城区", "A&B", "鹿城区"])
    plain = '<c r="B\x00" t="inlineStr"><is><t>鹿城区</t></is></c>'
    assert cells == [plain, plain.replace('"B\x00"', '"B\x00" s="4"'), plain,
                     '<c r="B\x00" s="4" t="inlineStr"><is><t>A&amp;B</t></is></c>',
                     plain.replace('"B\x00"', '"B\x00" s="7"')]
    assert column_xml("B", [4, 4], ["x", "x"]) == [column_xml("B", [4], ["x"])[0]] * 2


def test_streamed_column_keys_and_values_are_those_of_each_cell():
    missing = [None, pd.NA, pd.NaT, float("nan"), np.float64("nan")]
    numbers = [3, 2.5, -0.0, np.int64(4), np.float64(0.25), True, False, float("inf")]
    texts = ["x", "=1+1", "x", "", " y", "x\x01"]
    day, moment = dt.date(2018, 1, 2), dt.datetime(2018, 1, 2, 3, 4)
    cases = {"text": [*missing, *texts, *texts, 3, 2.5, -0.0, 0.0],
             "count": [*missing, *numbers, *numbers], "percent": [*missing, *numbers],
             "date": [*missing, day, moment, day, "2018-01-02"],
             "status": [*missing, "on_track", "", "lagging", "on_track"]}
    for kind, values in cases.items():
        keys, shown = excel_cells._stream_column([kind] * len(values), values, "zh")
        expected = [excel_cells._stream_cell(kind, value, "zh") for value in values]
        assert keys == [key for key, _ in expected], kind
        assert [(type(value), value) for value in shown] == [
            (type(value), value) for _, value in expected], kind
