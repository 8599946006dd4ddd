"""The workbook fit to send, read back from the saved file: A4 landscape one page wide, header
rows repeated and frozen with the first column, title and page numbers in the margins, counts
with thousands separators, readable status colours, the demo notice on every sheet and on every
printed page, and a district copy without the internal run facts."""

from __future__ import annotations

import dataclasses
import re

import openpyxl
import pytest

from helpers.core.parameters import ReportParameters
from helpers.metrics.report_data import build_report_data
from helpers.notebook.api import run_facts
from helpers.render.colours import STATUS_COLORS
from helpers.render.excel import build_workbook, write_report_xlsx
from helpers.render.excel_print import header_row
from helpers.words.labels import label

NOTICE = label("misc.demo_notice")
TITLE = "2018年社会养老服务体系建设重点任务上半年进展情况通报"


@pytest.fixture(scope="module")
def data():
    return build_report_data(ReportParameters(period="H1"))


@pytest.fixture(scope="module")
def saved(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    full, district_copy = folder / "report.xlsx", folder / "district.xlsx"
    write_report_xlsx(data, full, about=run_facts(data))
    write_report_xlsx(data, district_copy, about=run_facts(data), with_about=False)
    return openpyxl.load_workbook(full), openpyxl.load_workbook(district_copy)


def _table_sheets(wb):
    return [ws for ws in wb.worksheets if header_row(ws) is not None]


def _wcag(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        values = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_sheet_prints_a4_landscape_one_page_wide(saved):
    wb, _ = saved
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == 9, ws.title  # A4
        assert setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
        assert ws.print_options.gridLines is True


def test_header_rows_repeat_and_stay_frozen_with_the_first_column(saved):
    wb, _ = saved
    sheets = _table_sheets(wb)
    assert len(sheets) >= 15  # summary, 12 districts, lagging, data
    for ws in sheets:
        top = header_row(ws)
        assert ws.freeze_panes == f"B{top + 1}", ws.title
        assert ws.print_title_rows == f"${top}:${top}", ws.title
        headers = [c for c in ws[top] if c.value is not None]
        assert headers and all(c.font.b for c in headers), ws.title
        assert ws.cell(row=top, column=1).value in (
            label("col.indicator"), label("col.group"), label("col.district"),
            label("col.rank"), label("col.plan_name")), ws.title


def test_title_sheet_name_and_page_numbers_in_the_margins(saved):
    wb, _ = saved
    for ws in wb.worksheets:
        assert ws.oddHeader.left.text == TITLE
        assert ws.oddHeader.right.text == "&A"  # the sheet's name
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_demo_notice_on_every_sheet_and_every_printed_page(saved):
    for wb in saved:
        for ws in wb.worksheets:
            top_cells = [ws.cell(row=r, column=1).value for r in range(1, 6)]
            assert NOTICE in top_cells, ws.title
            assert ws.oddHeader.center.text == NOTICE
            assert ws.oddHeader.center.color == "C00000"
        assert wb["鹿城区"]["A1"].font.color.rgb.endswith("C00000")


def test_no_notice_without_demo_data_or_when_switched_off(data):
    quiet = dataclasses.replace(data, params=data.params.replace(demo_notice=False))
    wb = build_workbook(quiet)
    for ws in wb.worksheets:
        assert NOTICE not in [ws.cell(row=r, column=1).value for r in range(1, 6)]
        assert not ws.oddHeader.center.text
    assert wb["鹿城区"]["A1"].value == label("col.district")  # nothing moved down


def test_counts_have_thousands_separators_in_chinese_too(saved):
    wb, _ = saved
    ws = wb["汇总"]
    top = header_row(ws)
    beds = next(r for r in range(top + 1, ws.max_row + 1)
                if ws.cell(row=r, column=1).value == "新增机构床位")
    target = ws.cell(row=beds, column=3)
    assert target.value == 15000 and target.number_format == "#,##0"
    counts = [ws.cell(row=r, column=c) for r in range(top + 1, ws.max_row + 1) for c in (3, 4)]
    counts = [c for c in counts if isinstance(c.value, int | float)]
    assert len(counts) > 20 and {c.number_format for c in counts} == {"#,##0"}


def test_status_text_is_readable_on_its_colour(saved):
    wb, _ = saved
    fills = {c.lstrip("#").upper() for c in STATUS_COLORS.values()}
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.fill.fill_type != "solid" or cell.fill.fgColor.rgb[-6:] not in fills:
                    continue
                text = (cell.font.color.rgb if cell.font.color is not None else "FF000000")[-6:]
                assert _wcag(cell.fill.fgColor.rgb[-6:], text) >= 4.5, (ws.title, cell.coordinate)
                checked += 1
    assert checked >= 180


def test_district_copy_leaves_out_the_run_facts(saved, data):
    full, district_copy = saved
    assert "关于" in full.sheetnames
    assert district_copy.sheetnames == [n for n in full.sheetnames if n != "关于"]
    text = " ".join(str(c.value) for ws in district_copy.worksheets for row in ws.iter_rows()
                    for c in row if c.value is not None)
    for sha in data.inputs["sha256"]:
        assert sha not in text
    assert not re.search(r"\b[0-9a-f]{40,64}\b", text)  # no commit or hash of any kind
    assert "openpyxl" not in text and "pandas" not in text  # no package list
    full_text = " ".join(str(c.value) for row in full["关于"].iter_rows() for c in row
                         if c.value is not None)
    assert "openpyxl" in full_text  # the full workbook still has them, in that one sheet


def test_ampersand_in_a_title_is_not_a_header_code(data):
    titled = dataclasses.replace(data, params=data.params.replace(title="养老&助餐工作通报"))
    ws = build_workbook(titled).worksheets[0]
    assert ws.oddHeader.left.text == "养老&&助餐工作通报"


def test_english_page_footer():
    wb = build_workbook(build_report_data(ReportParameters(period="H1", lang="en")))
    assert wb.worksheets[0].oddFooter.center.text == "Page &P of &N"


def test_openpyxl_keeps_defusedxml_although_lxml_is_installed(monkeypatch, data):
    """python-docx brings lxml; openpyxl would switch to it (other bytes, no defusedxml)."""
    import lxml  # noqa: F401  (installed: the reason for the switch)
    import openpyxl.xml
    import openpyxl.xml.functions

    assert openpyxl.xml.LXML is False
    assert openpyxl.xml.functions.fromstring.__module__.startswith("defusedxml")
    from helpers.core.reproducible_files import workbook_bytes
    from helpers.render.excel import report_timestamp

    monkeypatch.setattr(openpyxl.xml, "LXML", True)
    with pytest.raises(RuntimeError, match="import helpers before openpyxl"):
        workbook_bytes(build_workbook(data), report_timestamp(data))
