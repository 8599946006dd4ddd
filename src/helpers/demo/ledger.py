"""The sample problem ledger (seed 002's 问题清单) for the bundled year: written by code, so that
`python -m helpers demo --year 2018` recreates data/raw/2018/ledger.xlsx byte for byte.

Shaped like a clerk's workbook: a title and a note row marked 示例数据, a two-row header with
line breaks and header variants (整改时限, 整改情况 over 整改状态 and 销号日期), 区域 merged over a
district's items, an alias (浙南产业集聚区) and stray spaces, dates as real dates and as text in
four spellings, 立行立改, and footnotes. Some items are closed on time, some late, some overdue at
mid-year and at year end. The names and mobile numbers in 责任人 are invented (they exercise the
masking: none of them may appear in a published report)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from helpers.core.atomic_io import write_bytes_atomic
from helpers.core.reproducible_files import workbook_bytes
from helpers.ingest.ledger_book import LEDGER_FILE

SAMPLE_YEAR = 2018
D = dt.date

# Invented people and numbers, one per district; README and tests treat them as canaries.
CONTACTS = {
    "鹿城区": "鹿城区民政局 甄晓岚 13800000101",
    "龙湾区": "龙湾区民政局/贾思远/138-0000-0102",
    "瓯海区": "卜文涛（瓯海区民政局）13800000103",
    "洞头区": "洞头区民政局养老服务科芮海波13800000104",
    "乐清市": "乐清市民政局 戚雨桐 电话：138 0000 0105",
    "瑞安市": "瑞安市社会福利中心 阙志明 13800000106",
    "永嘉县": "永嘉县民政局 晏秋实 0577-67000107",
    "文成县": "文成县民政局 冼立群 １３８００００01０８",
    "平阳县": "平阳县民政局 亓春华 13800000109",
    "泰顺县": "泰顺县罗阳镇人民政府 覃一帆 13800000110",
    "苍南县": "苍南县民政局 隗晨曦 13800000111",
    "经开区": "浙南产业集聚区管委会社会事业局 郗佳怡 13800000112",
}
CANARY_NAMES = ("甄晓岚", "贾思远", "卜文涛", "芮海波", "戚雨桐", "阙志明", "晏秋实", "冼立群",
                "亓春华", "覃一帆", "隗晨曦", "郗佳怡")
# Every number that identifies a person, as 11 (mobile) or 12 (landline) plain digits.
CANARY_NUMBERS = ("13800000101", "13800000102", "13800000103", "13800000104", "13800000105",
                  "13800000106", "057767000107", "13800000108", "13800000109", "13800000110",
                  "13800000111", "13800000112", "13800000201")
NO_UNIT = "覃一帆 13800000110"  # one 责任人 cell names no unit: the report shows 未注明
NO_UNIT_ITEM = 26  # the item (序号) whose 责任人 is NO_UNIT

# (区域 as written, 项目名称, 项目年份, 存在的问题隐患, 对应指标, 发现日期, 整改限期,
#  整改状态, 销号日期)
# Dates are of SAMPLE_YEAR; "立行立改" is a deadline on the day of the finding.
ITEMS = [
    ("鹿城区", "五马街道居家养老服务中心", 2017, "消防通道堵塞，走廊堆放杂物", None,
     D(2018, 3, 12), D(2018, 4, 12), "已整改（销号）", D(2018, 4, 8)),
    ("鹿城区", "南汇街道幸福食堂", 2017,
     "助餐点未开展服务，群众反映（联系电话13800000201）中午不供餐", "助餐配送餐照料中心",
     D(2018, 3, 12), D(2018, 5, 31), "已整改（销号）", D(2018, 7, 20)),
    ("鹿城区", "鹿城区社会福利院", 2016, "消防远程监控系统未联网", "消防远程监控系统数",
     D(2018, 4, 10), D(2018, 6, 30), "已销号", D(2018, 6, 28)),
    ("鹿城区", "七都街道居家养老服务照料中心", 2016, "消防通道堵塞，电动车停放在安全出口", None,
     D(2018, 9, 18), D(2018, 10, 31), "未整改", None),
    ("龙湾区", "永中街道居家养老服务照料中心", 2017, "照料中心长期关门，未开展日间照料服务",
     "照料中心社会化运营", D(2018, 3, 20), D(2018, 6, 30), "已销号", D(2018, 6, 29)),
    ("龙湾区", "龙湾区社会福利中心", 2017, "新增床位已建成但未投用", "新增机构床位",
     D(2018, 5, 8), D(2018, 8, 31), "已整改（销号）", D(2018, 11, 15)),
    (" 瓯海区 ", "娄桥街道居家养老服务中心", 2018, "未引进专业运营主体，仅开展1项服务", None,
     D(2018, 4, 2), D(2018, 6, 30), "已销号", D(2018, 6, 20)),
    (" 瓯海区 ", "瞿溪街道居家养老服务照料中心", 2016, "“智慧用电”设备离线，未接入监管平台",
     "“智慧用电”安装数", D(2018, 4, 2), D(2018, 5, 15), "已整改（销号）", D(2018, 9, 10)),
    ("洞头区", "北岙街道居家养老服务照料中心", 2016, "无障碍设施缺失，卫生间未设扶手", None,
     D(2018, 5, 16), D(2018, 7, 31), "已销号", D(2018, 7, 25)),
    ("洞头区", "东屏街道居家养老服务照料中心", 2017, "适老化改造项目资料不全，验收手续缺失", None,
     D(2018, 11, 6), D(2018, 12, 31), "整改中", None),
    ("乐清市", "城东街道幸福食堂", 2017, "食品留样制度未落实，无留样记录", None,
     D(2018, 3, 28), D(2018, 4, 30), "已销号", D(2018, 4, 20)),
    ("乐清市", "乐清市社会福利中心", 2017, "护理员持证上岗率偏低", "养老服务人员培训数",
     D(2018, 6, 5), D(2018, 9, 30), "已整改（销号）", D(2018, 9, 28)),
    ("乐清市", "虹桥镇居家养老服务中心", 2017, "新聘护理员未经岗前培训", "养老服务人员培训数",
     D(2018, 7, 3), D(2018, 8, 31), "已整改（销号）", D(2018, 12, 20)),
    ("瑞安市", "玉海街道居家养老服务中心", 2017, "服务台账不完整，缺少上门服务记录", None,
     D(2018, 3, 15), D(2018, 4, 30), "已销号", D(2018, 5, 10)),
    ("瑞安市", "瑞安市颐养院", 2016, "医养结合协议未落实，无签约医疗机构", "养老机构医养合作",
     D(2018, 5, 20), D(2018, 7, 31), "已销号", D(2018, 7, 30)),
    ("瑞安市", "安阳街道幸福食堂", 2018, "助餐点未开展配送餐服务", "助餐配送餐照料中心",
     D(2018, 10, 9), D(2018, 11, 30), "已整改（销号）", D(2018, 11, 28)),
    ("永嘉县", "上塘镇居家养老服务中心", 2017, "消防通道堵塞，厨房与活动室未分隔", None,
     D(2018, 4, 18), D(2018, 5, 31), "已整改（销号）", D(2018, 12, 10)),
    ("永嘉县", "桥头镇居家养老服务照料中心", 2017, "助餐点未开展服务", "助餐配送餐照料中心",
     D(2018, 6, 12), D(2018, 8, 31), "已销号", D(2018, 8, 30)),
    ("文成县", "大峃镇居家养老服务中心", 2017, "中心建成后未投入运营", "新增镇街养老服务中心",
     D(2018, 3, 30), D(2018, 6, 30), "整改中", None),
    ("文成县", "玉壶镇居家养老服务照料中心", 2016, "助餐点未开展服务，老人需自行做饭",
     "助餐配送餐照料中心", D(2018, 4, 25), D(2018, 5, 31), "未整改", None),
    ("文成县", "文成县社会福利中心", 2017, "床位未投用，已建成床位闲置", "新增机构床位",
     D(2018, 7, 10), D(2018, 9, 30), "整改中", None),
    ("平阳县", "昆阳镇居家养老服务中心", 2018, "消防设施未年检，灭火器过期", None,
     D(2018, 5, 3), D(2018, 5, 20), "已销号", D(2018, 5, 18)),
    ("平阳县", "鳌江镇居家养老服务照料中心", 2017, "紧急呼叫设备故障，未及时维修", None,
     D(2018, 8, 14), D(2018, 9, 15), "已整改（销号）", D(2018, 10, 8)),
    ("泰顺县", "罗阳镇居家养老服务中心", 2017, "新增床位未投用", "新增机构床位",
     D(2018, 3, 8), D(2018, 4, 30), "未整改", None),
    ("泰顺县", "泰顺县中心敬老院", 2016, "消防通道堵塞，疏散指示标志缺失", None,
     D(2018, 3, 8), D(2018, 3, 31), "已整改（销号）", D(2018, 7, 15)),
    ("泰顺县", "司前畲族镇居家养老服务照料中心", 2017, "助餐点未开展服务", "助餐配送餐照料中心",
     D(2018, 9, 5), D(2018, 10, 31), "未整改", None),
    ("苍南县", "宜山镇居家养老服务照料中心", 2017, "床位闲置，未安排入住", None,
     D(2018, 2, 26), "立行立改", "已销号", D(2018, 2, 26)),
    ("苍南县", "灵溪镇居家养老服务中心", 2017, "未引进专业运营主体", "照料中心社会化运营",
     D(2018, 4, 9), D(2018, 6, 15), "已销号", D(2018, 6, 14)),
    ("苍南县", "钱库镇居家养老服务照料中心", 2016, "“智慧用电”设备未安装到位", "“智慧用电”安装数",
     D(2018, 10, 11), D(2019, 1, 31), "整改中", None),
    ("浙南产业集聚区", "沙城街道居家养老服务照料中心", 2017, "无障碍坡道坡度不达标", None,
     D(2018, 5, 22), D(2018, 7, 31), "已整改（销号）", D(2018, 8, 20)),
]
HEADERS = ["序号", "区域", "项目名称", "项目年份", "存在的问题\n隐患", "对应指标", "发现日期",
           "整改时限", "整改情况", None, "责任人", "备注"]
SUB_HEADERS = {9: "整改状态", 10: "销号日期"}


def _shifted(day: object, year: int) -> object:
    return day.replace(year=day.year - SAMPLE_YEAR + year) if isinstance(day, dt.date) else day


def _spelled(day: object, index: int) -> object:
    """Dates as clerks enter them: a real date cell, or text in one of four spellings."""
    if not isinstance(day, dt.date):
        return day
    style = index % 5
    if style == 1:
        return f"{day.year}年{day.month}月{day.day}日"
    if style == 2:
        return f"{day.year}.{day.month}.{day.day}"
    if style == 3:
        return day.isoformat()
    if style == 4:
        return f"{day.year}/{day.month}/{day.day}"
    return dt.datetime(day.year, day.month, day.day)


def sample_ledger(year: int = SAMPLE_YEAR) -> bytes:
    """The sample ledger workbook's bytes (the same for the same year, every time)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "问题整改台账"
    last = len(HEADERS)
    ws.cell(1, 1, f"{year}年养老领域重点民生项目“回头看”问题整改台账（示例数据）").font = Font(
        bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.cell(2, 1, f"示例数据，并非真实台账。填报单位：温州市民政局　　截至{year}年12月31日")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    for column, header in enumerate(HEADERS, start=1):
        if header is None:
            continue
        cell = ws.cell(3, column, header)
        cell.alignment = Alignment(wrap_text=True)
        if column in SUB_HEADERS:
            continue
        ws.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    ws.merge_cells(start_row=3, start_column=9, end_row=3, end_column=10)
    for column, header in SUB_HEADERS.items():
        ws.cell(4, column, header)
    row = 5
    first_of_district = {}
    for number, item in enumerate(ITEMS, start=1):
        district, project, project_year, problem, indicator, found, deadline, status, closed = item
        shown_district = district
        key = district.strip()
        if key in first_of_district:
            shown_district = None  # merged below
        else:
            first_of_district[key] = row
        responsible = NO_UNIT if number == NO_UNIT_ITEM else CONTACTS[
            {"浙南产业集聚区": "经开区"}.get(key, key)]
        values = [str(number) if number % 7 == 0 else number, shown_district, project,
                  f"{project_year}年" if number % 4 == 0 else project_year, problem, indicator,
                  _spelled(_shifted(found, year), number),
                  _spelled(_shifted(deadline, year), number + 1), status,
                  _spelled(_shifted(closed, year), number + 2), responsible, None]
        for column, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row, column, value)
        if isinstance(values[6], dt.datetime):
            ws.cell(row, 7).number_format = "yyyy-mm-dd"
        for column in (8, 10):
            if isinstance(values[column - 1], dt.datetime):
                ws.cell(row, column).number_format = "yyyy-mm-dd"
        row += 1
    # 区域 merged over each district's items, as clerks do
    ends = [*sorted(first_of_district.values()), row]
    for start, end in itertools.pairwise(ends):
        if end - 1 > start:
            ws.merge_cells(start_row=start, start_column=2, end_row=end - 1, end_column=2)
    ws.cell(row + 1, 1, "注：本表为示例数据，由 python -m helpers demo 生成；"
                        "人员姓名和电话号码均为虚构。")
    ws.cell(row + 2, 1, "填报人：　　　　审核人：　　　　日期：")
    return workbook_bytes(wb, dt.datetime(year, 12, 31))


def write_demo_ledger(raw_dir: Path, year: int = SAMPLE_YEAR) -> Path:
    """Write the sample ledger to raw/<year>/ledger.xlsx."""
    path = Path(raw_dir) / str(year) / LEDGER_FILE
    write_bytes_atomic(path, sample_ledger(year))
    return path


__all__ = ["CANARY_NAMES", "CANARY_NUMBERS", "ITEMS", "sample_ledger", "write_demo_ledger"]
