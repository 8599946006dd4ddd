"""helpers.core.workbook_writer writes the bytes openpyxl's own writer makes: every part of the
package compared with `Workbook.save`'s, for the cell kinds the report workbooks hold and the
ones it leaves to openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

# helpers first: it keeps openpyxl from writing with lxml (other bytes)
from helpers.core.workbook_writer import rows_xml, save_package  # isort: skip
import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, PatternFill, Side


def _parts(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _openpyxl_parts(wb: openpyxl.Workbook) -> dict[str, bytes]:
    raw = io.BytesIO()
    wb.save(raw)
    return _parts(raw.getvalue())


def _same_as_openpyxl(make) -> None:
    """Two copies of a workbook (styles are registered as the writer goes): one saved by
    openpyxl, one by save_package; every part equal except the save time openpyxl stamps."""
    ours, theirs = _parts(save_package(make())), _openpyxl_parts(make())
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        if name != "docProps/core.xml":
            assert ours[name] == theirs[name], name


def _mixed() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "x & <y> \"q\" 'z'"
    ws["B1"] = " leading space"
    ws["C1"] = "   "  # only spaces: no xml:space, as openpyxl writes it
    ws["D1"] = 3
    ws["E1"] = 2.5
    ws["F1"] = 0.1 + 0.2
    ws["G1"] = 1e20
    ws["H1"] = True
    ws["I1"] = False
    ws["J1"] = dt.date(2018, 6, 30)
    ws["K1"] = dt.datetime(2018, 1, 1, 12, 30)
    ws["A2"].font = Font(bold=True)  # styled, no value: kept
    ws["B2"] = ""  # empty text: an empty element
    ws["C2"] = "=SUM(1,2)"
    ws["C2"].data_type = "s"  # as write_text keeps a formula-looking text
    ws["C2"].quotePrefix = True
    ws["D2"] = "多行\n文字"
    ws["E2"].fill = PatternFill(fill_type="solid", fgColor="F2F2F2")
    ws["E2"].number_format = "0.0%"
    ws["E2"] = 0.256
    ws["F2"].border = Border(top=Side(style="thin", color="808080"))
    ws.cell(row=5, column=3)  # a cell made but never written: an empty row
    second = wb.create_sheet("第二")
    second["B3"] = "後"
    second["A1"] = 7
    second["A1"].font = Font(bold=True)
    wb.create_sheet("empty")
    return wb


def test_plain_cells_are_written_as_openpyxl_writes_them():
    _same_as_openpyxl(_mixed)


def test_sheets_with_other_content_are_left_to_openpyxl():
    def make() -> openpyxl.Workbook:
        wb = _mixed()
        ws = wb.active
        ws["A3"] = "=1+1"  # a formula
        ws["B3"].comment = Comment("note", "author")
        ws["C3"].hyperlink = "https://example.org"
        wb["第二"].row_dimensions[2].height = 30
        return wb

    _same_as_openpyxl(make)
    wb = make()
    assert rows_xml(wb.active) is None and rows_xml(wb["第二"]) is None
    assert rows_xml(wb["empty"]) == ""


def test_a_report_workbook_is_written_as_openpyxl_writes_it():
    from helpers.core.parameters import ReportParameters
    from helpers.metrics.report_data import build_report_data
    from helpers.render.excel import build_workbook
    from helpers.words.report_text import check_written_sections

    data = check_written_sections(build_report_data(ReportParameters(period="H1", pdf=False)))
    wb = build_workbook(data)
    assert all(rows_xml(ws) is not None for ws in wb.worksheets)  # the fast way throughout
    _same_as_openpyxl(lambda: build_workbook(data))
