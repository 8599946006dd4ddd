"""The Excel workbook: sheets, figures, formats, formula-injection safety and reproducibility."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import zipfile

import openpyxl
import pandas as pd
import pytest

from helpers.core.parameters import ReportParameters
from helpers.core.problems import WARNING, Problem
from helpers.metrics import derived_tables
from helpers.metrics.report_data import build_report_data
from helpers.render.colours import STATUS_COLORS
from helpers.render.excel import DISTRICT_HEADER_ROW, build_workbook, write_report_xlsx
from helpers.render.excel_cells import display_width, write_text
from helpers.words.labels import label, status_label

DISTRICTS_ZH = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "文成县",
                "平阳县", "泰顺县", "苍南县", "经开区"]
DISTRICTS_EN = ["Lucheng", "Longwan", "Ouhai", "Dongtou", "Yueqing", "Rui'an", "Yongjia",
                "Wencheng", "Pingyang", "Taishun", "Cangnan", "Economic Development Zone"]
SUMMARY_HEADER_ROW = 5  # title, facts, demo notice, gap, header
# The bundled returns are demo data: every other sheet starts with the demo notice in row 1.
NOTICE = 1


@pytest.fixture(scope="module")
def data():
    return build_report_data(ReportParameters(period="H1"))


@pytest.fixture(scope="module")
def data_en():
    return build_report_data(ReportParameters(period="H1", lang="en"))


@pytest.fixture(scope="module")
def saved(data, tmp_path_factory):
    """The zh workbook written to disk and read back."""
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    write_report_xlsx(data, path, about=[("git_commit", "0123abc")])
    return path, openpyxl.load_workbook(path)


def _rows(ws, first: int):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def _find_row(ws, column: int, value, first: int = 1):
    for row in range(first, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == value:
            return row
    raise AssertionError(f"{value!r} not in column {column} of {ws.title}")


def _sheet_xml(path, index: int) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


# --- sheets --------------------------------------------------------------------------------

def test_sheet_names_zh(saved):
    _, wb = saved
    # 问题整改台账: the bundled 2018 data has a problem ledger (tests/test_ledger_report.py)
    assert wb.sheetnames == ["汇总", *DISTRICTS_ZH, "滞后事项", "通报排名", "节点任务", "占比指标",
                             "民生实事", "进度预判", "问题整改台账", "较上期变化", "明细数据",
                             "关于"]


def test_sheet_names_en(data_en):
    wb = build_workbook(data_en)
    assert wb.sheetnames == ["Summary", *DISTRICTS_EN, "Lagging", "Ranking", "Stages", "Shares",
                             "Livelihood projects", "Forward look", "Problem ledger",
                             "Since last period", "Data", "About"]
    ws = wb["Summary"]
    assert ws["A1"].value == ("Mid-year progress report 2018: key tasks of the elderly-care "
                              "service system")
    beds = data_en.catalog.indicator("new_institution_beds").name_en
    assert beds and beds != "新增机构床位"
    row = _find_row(ws, 1, beds, SUMMARY_HEADER_ROW + 1)
    assert ws.cell(row=row, column=3).value == 15000
    assert ws.cell(row=row, column=10).value == "On track"
    assert ws.cell(row=row, column=3).number_format == "#,##0"
    assert wb["Lucheng"]["B3"].value == "Group 4"


def test_summary_title_and_demo_notice(saved, data):
    _, wb = saved
    ws = wb["汇总"]
    assert ws["A1"].value == "2018年社会养老服务体系建设重点任务上半年进展情况通报"
    assert [ws.cell(row=2, column=c).value for c in range(1, 7)] == [
        "年度", 2018, "报告日期", "2018年6月30日", "数据截至", "2018年6月30日"]
    assert data.demo_inputs  # the bundled returns are demo data
    assert ws["A3"].value == label("misc.demo_notice")
    assert ws.cell(row=SUMMARY_HEADER_ROW, column=1).value == "指标"


def test_no_demo_notice_when_switched_off(data):
    quiet = dataclasses.replace(data, params=data.params.replace(demo_notice=False))
    ws = build_workbook(quiet)["汇总"]
    assert ws["A3"].value is None
    assert ws["A4"].value == "指标"  # the table moves up by one row
    assert ws.freeze_panes == "B5"


# --- summary figures -----------------------------------------------------------------------

def test_summary_row_new_institution_beds(saved, data):
    _, wb = saved
    ws = wb["汇总"]
    headers = _rows(ws, SUMMARY_HEADER_ROW)[0]
    assert headers == ["指标", "单位", "年度目标", "累计完成", "分母", "完成率", "进度要求",
                       "应完成数", "差额", "状态", "未达要求地区数", "各地差额合计"]
    row = _find_row(ws, 1, "新增机构床位", SUMMARY_HEADER_ROW + 1)
    expected = data.summary.set_index("indicator").loc["new_institution_beds"]
    target, actual, rate = (ws.cell(row=row, column=c) for c in (3, 4, 6))
    assert target.value == 15000
    # the beds column of 2018-06-30.xlsx: 898+308+91+23+1456+1327+916+478+867+186+876+173
    assert actual.value == int(expected["actual"]) == 7599
    assert rate.data_type == "n"
    assert rate.value == pytest.approx(7599 / 15000)
    assert rate.number_format == "0.0%"
    # time progress 181/365, a number printed as the page prints it (49.6%)
    requirement = ws.cell(row=row, column=7)
    assert requirement.data_type == "n" and requirement.value == pytest.approx(181 / 365)
    assert requirement.number_format == "0.0%"
    # 15000 x 181/365 = 7438.4 -> 7439 due (a part of a bed is owed), nothing short
    assert ws.cell(row=row, column=8).value == int(expected["due_units"]) == 7439
    assert ws.cell(row=row, column=9).value == 0
    assert ws.cell(row=row, column=11).value == int(expected["districts_behind"])
    assert ws.cell(row=row, column=12).value == int(expected["district_shortfall"])
    counted = data.summary[data.summary["kind"] != "share"]
    assert ws.max_row - SUMMARY_HEADER_ROW == len(counted) == 16  # 15 allocated + the task


def test_zero_target_leaves_completion_empty(saved, data):
    _, wb = saved
    ws = wb["鹿城区"]
    zero = data.table[(data.table["district"] == "鹿城区") & (data.table["target"] == 0)]
    assert list(zero["indicator"]) == ["public_homes_privately_run"]
    row = _find_row(ws, 1, "新增公办养老机构公建（办）民营数", DISTRICT_HEADER_ROW + 1)
    assert ws.cell(row=row, column=3).value == 0  # target
    assert ws.cell(row=row, column=6).value is None  # completion: never divide by 0
    assert ws.cell(row=row, column=8).value is None  # nothing due
    assert ws.cell(row=row, column=10).value == "无目标"
    assert ws.cell(row=row, column=11).value is None  # no rank without a target


def test_status_fill_of_lagging_row(saved, data):
    _, wb = saved
    ws = wb["汇总"]
    lagging = data.summary[data.summary["status"] == "lagging"].iloc[0]
    row = _find_row(ws, 1, lagging["indicator_name"], SUMMARY_HEADER_ROW + 1)
    status = ws.cell(row=row, column=10)
    assert status.value == "滞后"
    assert status.fill.fill_type == "solid"
    assert status.fill.fgColor.rgb[-6:] == STATUS_COLORS["lagging"].lstrip("#").upper()
    on_track = ws.cell(row=_find_row(ws, 10, "符合进度", SUMMARY_HEADER_ROW + 1), column=10)
    assert on_track.fill.fgColor.rgb[-6:] == STATUS_COLORS["on_track"].lstrip("#").upper()


def test_every_status_cell_has_its_colour(saved, data):
    _, wb = saved
    ws = wb["明细数据"]
    status_col = _rows(ws, 1 + NOTICE)[0].index("状态") + 1
    for index, status in enumerate(data.table["status"], start=2 + NOTICE):
        cell = ws.cell(row=index, column=status_col)
        assert cell.value == status_label(status)
        assert cell.fill.fgColor.rgb[-6:] == STATUS_COLORS[status].lstrip("#").upper()


# --- layout --------------------------------------------------------------------------------

def test_frozen_headers_and_filters(saved):
    _, wb = saved
    # frozen: the rows down to the table header, and the first column
    assert wb["汇总"].freeze_panes == "B6"
    assert wb["汇总"].auto_filter.ref == "A5:L21"  # 16 rows, 12 columns
    district_header = DISTRICT_HEADER_ROW + NOTICE
    assert wb["鹿城区"].freeze_panes == f"B{district_header + 1}"
    # 15 allocated indicators, the task and 5 shares; 10 indicator columns and the rank
    assert wb["鹿城区"].auto_filter.ref == f"A{district_header}:K{district_header + 21}"
    assert wb["滞后事项"].freeze_panes == "B3"
    assert wb["明细数据"].freeze_panes == "B3"
    assert wb["明细数据"].auto_filter.ref == "A2:AC254"  # 29 columns, 12 x 21 rows
    for name in ("汇总", "滞后事项", "明细数据"):
        header = SUMMARY_HEADER_ROW if name == "汇总" else 1 + NOTICE
        assert all(c.font.b for c in wb[name][header] if c.value is not None)


def test_column_widths_count_cjk_double():
    assert display_width("新增机构床位") == 12
    assert display_width("Lucheng") == 7
    assert display_width("（办）") == 6


def test_widths_fit_content(saved):
    _, wb = saved
    ws = wb["汇总"]
    # the longest indicator name is 28 wide characters -> 56 columns + 2 of margin
    assert ws.column_dimensions["A"].width == 58
    assert 10 <= ws.column_dimensions["C"].width < 20
    assert ws.column_dimensions["A"].width <= 60


def test_district_sheet(saved, data):
    _, wb = saved
    ws = wb["泰顺县"]
    assert ws["A1"].value == label("misc.demo_notice")
    assert ws["A2"].value == "县（市、区）" and ws["B2"].value == "泰顺县"
    assert ws["A3"].value == "督查组" and ws["B3"].value == "第六组"
    standing = data.ranking.set_index("district").loc["泰顺县"]
    # 1 of 14 due items on track (7.1%) against 文成县's 1 of 15 (6.7%): eleventh of twelve
    assert ws["B4"].value == f"{int(standing['rank'])}/12" == "11/12"
    assert ws["B5"].value == pytest.approx(standing["on_track_share"])
    assert ws["B5"].number_format == "0.0%"
    body = _rows(ws, DISTRICT_HEADER_ROW + NOTICE + 1)
    part = data.table[data.table["district"] == "泰顺县"]
    assert len(body) == len(part) == 21
    assert [r[2] for r in body] == [None if pd.isna(v) else int(v) for v in part["target"]]
    assert [r[10] for r in body] == [None if pd.isna(v) else int(v) for v in part["rank"]]
    assert None in [r[10] for r in body]  # 泰顺县 has indicators without a target


def test_lagging_sheet_grouped(saved, data):
    _, wb = saved
    ws = wb["滞后事项"]
    body = _rows(ws, 2 + NOTICE)
    lagging = data.lagging
    assert len(body) == len(lagging) > 0
    assert [r[0] for r in body] == list(lagging["supervision_group"])
    assert [r[1] for r in body] == list(lagging["district"])
    groups = [r[0] for r in body]
    # each group appears as one run, first group first
    assert groups[0] == "第一组"
    runs = [g for i, g in enumerate(groups) if i == 0 or g != groups[i - 1]]
    assert len(runs) == len(set(groups))


def test_data_sheet_has_every_row_and_source_columns(saved, data):
    _, wb = saved
    ws = wb["明细数据"]
    headers = _rows(ws, 1 + NOTICE)[0]
    assert headers[-4:] == ["目标来源单元格", "完成数来源单元格", "考核数来源单元格", "分母来源"]
    assert len(headers) == len(data.table.columns) == 29
    body = _rows(ws, 2 + NOTICE)
    assert len(body) == len(data.table) == 252
    assert [r[-4] or "" for r in body] == list(data.table["target_source"])
    assert [r[-3] or "" for r in body] == list(data.table["actual_source"])
    assert body[12][-4] == "2018/allocation.xlsx!分解表!D5"  # 鹿城区's beds, second indicator
    assert body[0][9] == dt.datetime(2018, 6, 30)  # as_of
    assert ws.cell(row=2 + NOTICE, column=10).number_format == "yyyy-mm-dd"


def test_about_sheet(saved, data):
    _, wb = saved
    ws = wb["关于"]
    values = {r[0]: r[1] for r in _rows(ws, 1) if r[0] is not None}
    for name, value in data.params.as_dict().items():
        assert name in values
        expected = ", ".join(value) if isinstance(value, list) else value
        assert values[name] == expected, name
    assert values["period"] == "H1" and values["year"] == 2018
    assert values["serious_lag_pp"] == 10
    assert values["export"] is False
    for path in data.inputs["path"]:
        assert path in values
    message_rows = [r for r in _rows(ws, 1) if r[4] in {w.message for w in data.warnings}]
    assert len(message_rows) == len(data.warnings) == 2
    assert message_rows[0][0] == "提示"
    # the reader's language first, the raw validation message beside it for auditors
    assert message_rows[0][3] == "洞头区未报送2018年4月30日的进度数据，该期按其上一期报送数计算。"
    column_a = [r[0] for r in _rows(ws, 1)]
    assert column_a.index("git_commit") > column_a.index("校验提示")
    assert values["git_commit"] == "0123abc"


# --- formula injection ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\nx", "plain"])
def test_write_text_keeps_text(text):
    ws = openpyxl.Workbook().active
    cell = write_text(ws, 1, 1, text)
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix is (text != "plain")


def test_formula_injection_stays_text(data, tmp_path):
    evil_district = '=HYPERLINK("http://evil.example","x")'
    evil_source = "=1+1"
    evil_message = "=cmd|' /C calc'!A0"
    table = data.table.copy()
    table.loc[table["district"] == "鹿城区", "district"] = evil_district
    table.loc[0, "target_source"] = evil_source
    table.loc[0, "unit"] = "@SUM(1)"
    hostile = dataclasses.replace(
        data, table=table,
        warnings=[*data.warnings, Problem("+file", "-1", evil_message, WARNING)])
    path = tmp_path / "evil.xlsx"
    write_report_xlsx(hostile, path, about=[("=key", "=2+2")])
    wb = openpyxl.load_workbook(path)

    ws = wb["明细数据"]
    assert ws["A3"].value == evil_district and ws["A3"].data_type == "s"
    assert ws["A3"].quotePrefix is True
    src_col = _rows(ws, 2)[0].index("目标来源单元格") + 1
    cell = ws.cell(row=3, column=src_col)
    assert cell.value == evil_source and cell.data_type == "s" and cell.quotePrefix is True
    assert ws["F3"].value == "@SUM(1)" and ws["F3"].data_type == "s"  # the unit column

    about = wb["关于"]
    row = _find_row(about, 4, evil_message)
    assert about.cell(row=row, column=4).data_type == "s"
    assert about.cell(row=row, column=2).value == "+file"
    assert about.cell(row=row, column=3).value == "-1"
    assert about.cell(row=row, column=3).data_type == "s"
    extra = _find_row(about, 1, "=key")
    assert about.cell(row=extra, column=2).value == "=2+2"

    # the district's own sheet (after the catalogue's districts): its name cleaned of the
    # characters sheet names cannot hold, cut to 31 characters
    district_sheet = wb.worksheets[len(DISTRICTS_ZH)]
    assert district_sheet.title == '=HYPERLINK("http___evil.example'
    assert district_sheet["B2"].value == evil_district
    assert district_sheet["B2"].data_type == "s"

    for index in range(1, len(wb.sheetnames) + 1):
        xml = _sheet_xml(path, index)
        assert "<f>" not in xml and "<f " not in xml
    data_xml = _sheet_xml(path, wb.sheetnames.index("明细数据") + 1)
    assert "<t>=1+1</t>" in data_xml


# --- reproducibility -----------------------------------------------------------------------

def test_same_data_same_bytes(data, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_report_xlsx(data, first, about=[("k", "v")])
    time.sleep(1.2)
    write_report_xlsx(data, second, about=[("k", "v")])
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        core = zf.read("docProps/core.xml").decode()
        assert {i.date_time for i in zf.infolist()} == {(2018, 6, 30, 0, 0, 0)}
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2018-06-30T00:00:00Z" in core
    assert "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2018-06-30T00:00:00Z" in core


def test_source_date_epoch_sets_the_time(data, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    path = tmp_path / "epoch.xlsx"
    write_report_xlsx(data, path)
    with zipfile.ZipFile(path) as zf:
        core = zf.read("docProps/core.xml").decode()
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert "2023-11-14T22:13:20Z" in core
    assert "2018-06-30" not in core


def test_year_end_report(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fy = build_report_data(ReportParameters(period="FY"))
    path = tmp_path / "fy.xlsx"
    write_report_xlsx(fy, path)
    wb = openpyxl.load_workbook(path)
    assert wb["汇总"]["A1"].value == "2018年社会养老服务体系建设重点任务年度工作总结"
    carry = wb["结转任务"]
    assert carry.max_row - 1 - NOTICE == len(derived_tables.carry_over_table(fy))
    assert wb["汇总"]["D2"].value == "2018年12月31日"
    row = _find_row(wb["汇总"], 1, "新增机构床位", SUMMARY_HEADER_ROW + 1)
    beds = fy.summary.set_index("indicator").loc["new_institution_beds"]
    assert wb["汇总"].cell(row=row, column=4).value == int(beds["actual"])
    with zipfile.ZipFile(path) as zf:
        assert "2018-12-31T00:00:00Z" in zf.read("docProps/core.xml").decode()
