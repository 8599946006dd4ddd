"""The problem ledger of the look-back campaign (seed 002: 问题清单 / 整改台账, 销号管理):
reading data/raw/<year>/ledger.xlsx as clerks send it, validating every row, and the figures a
report shows at its date (found, closed, open, overdue per district; month-by-month 销号
progress; the oldest overdue items; ledger items linked to indicators).

Personal data stays here: the reader keeps only the unit named in 责任人 and masks telephone
numbers in every text it keeps (helpers.core.disclosure), so nothing downstream can publish them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from helpers.core.disclosure import mask_personal, mask_phones, responsible_unit
from helpers.core.problems import Problem, cell_location, row_location
from helpers.core.text_safety import character_name, unusable_character
from helpers.ingest.catalog import Catalog
from helpers.ingest.normalize import (
    date_shape_in_text,
    header_key,
    is_footnote,
    is_total_label,
    normalize_text,
)
from helpers.ingest.wide_tables import _grid as merged_grid
from helpers.ingest.wide_tables import date_in_text, open_checked_workbook

LEDGER_FILE = "ledger.xlsx"

# Columns: the field, the headers it arrives under (compared by header_key), required or not.
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "no", "no."),
    "district": ("区域", "地区", "县(市、区)", "县(市,区)", "县市区", "所属区域", "区县"),
    "project": ("项目名称", "项目", "项目名"),
    "project_year": ("项目年份", "项目年度", "年份", "建设年份"),
    "problem": ("存在的问题隐患", "存在问题隐患", "存在的问题", "存在问题", "问题隐患", "问题描述",
                "问题"),
    "deadline": ("整改限期", "整改期限", "整改时限", "限期"),
    "responsible": ("责任人", "责任单位及责任人", "责任单位/责任人", "责任单位、责任人",
                    "责任人及电话"),
    "found": ("发现日期", "发现时间", "检查日期"),
    "status": ("整改状态", "整改情况", "状态", "进展情况"),
    "closed": ("销号日期", "销号时间", "整改完成日期", "完成日期"),
    "unit": ("责任单位",),
    "indicator": ("对应指标", "关联指标", "指标", "任务指标"),
}
REQUIRED = ("number", "district", "project", "project_year", "problem", "deadline",
            "responsible", "found", "status")
# How each column is named in messages (the seed's own words).
COLUMN_NAMES = {"number": "序号", "district": "区域", "project": "项目名称",
                "project_year": "项目年份", "problem": "存在的问题隐患", "deadline": "整改限期",
                "responsible": "责任人", "found": "发现日期", "status": "整改状态",
                "closed": "销号日期", "unit": "责任单位", "indicator": "对应指标"}
_HEADER_FIELDS = {header_key(h): f for f, names in COLUMNS.items() for h in names}

# Status words as clerks write them -> open / in_progress / closed (compared without spaces and
# with brackets made half-width: 已整改（销号） = 已整改(销号)).
STATUS_WORDS = {
    "未整改": "open", "未启动": "open", "待整改": "open",
    "整改中": "in_progress", "正在整改": "in_progress", "整改推进中": "in_progress",
    "已整改": "closed", "已销号": "closed", "已整改(销号)": "closed", "已整改销号": "closed",
    "已完成": "closed", "已完成整改": "closed", "已整改到位": "closed",
}
STATUSES = ("open", "in_progress", "closed")
IMMEDIATE = {"立行立改", "立即整改"}  # a deadline meaning "at once": the finding date
SAMPLE_MARK = "示例"
_MONTH_END_TEXT = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(底|末|前|份)")
_YEAR_TEXT = re.compile(r"^((?:19|20)\d{2})(年|年度)?$")


@dataclass(frozen=True)
class LedgerItem:
    """One problem of the ledger, without personal data: 责任人 is reduced to its unit and
    phone numbers are masked in every text."""

    number: str
    district: str
    project: str
    project_year: int
    problem: str
    found: dt.date
    deadline: dt.date
    status: str  # open | in_progress | closed
    closed: dt.date | None
    unit: str  # "" when 责任人 names no unit
    indicator: str | None
    source: str  # 2018/ledger.xlsx!台账!A5: the item's 序号 cell


@dataclass
class Ledger:
    """What ledger.xlsx yielded: its items, its as-of date and every problem found."""

    file: str
    sheet: str = ""
    as_of: dt.date | None = None  # the date the ledger states (截至...), else the year end
    as_of_stated: bool = False
    is_sample: bool = False
    items: list[LedgerItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- reading --------------------------------------------------------------------------------

def read_ledger(snapshot, year: int, catalog: Catalog) -> Ledger | None:
    """Read and validate <year>/ledger.xlsx from the run's snapshot of the inputs; None when the
    year has no ledger."""
    rel = f"{year}/{LEDGER_FILE}"
    if rel in snapshot.refused:
        return None  # its problem (too large, a link outside the folder ...) is listed already
    data = snapshot.data(rel)
    if data is None:
        return None
    ledger = Ledger(file=rel)
    wb, problems = open_checked_workbook(data, rel)
    ledger.problems.extend(problems)
    if wb is None:
        return ledger
    for ws in wb.worksheets:
        grid = merged_grid(ws)
        header = _find_header(grid)
        if header is None:
            continue
        ledger.sheet = ws.title
        _read_rows(ws, grid, header, ledger, year, catalog)
        return ledger
    ledger.problems.append(Problem(rel, "", "no sheet has a ledger header row (序号, 区域, "
                                            "项目名称, 存在的问题隐患, 整改限期, 责任人, ...)"))
    return ledger


def _field_of(value: object) -> str | None:
    return _HEADER_FIELDS.get(header_key(value)) if isinstance(value, str) else None


def _find_header(grid) -> tuple[list[int], dict[int, str]] | None:
    """The header rows (one, or two when a group header such as 整改情况 sits over 整改状态 and
    销号日期) and the field of each column; None when no row looks like a ledger header."""
    if not grid:
        return None
    max_row = max(r for r, _ in grid)
    max_col = max(c for _, c in grid)
    for r in range(1, max_row + 1):
        fields = {c: _field_of(grid.get((r, c))) for c in range(1, max_col + 1)}
        found = {f for f in fields.values() if f}
        if not {"district", "problem"} <= found or len(found) < 4:
            continue
        below = {c: _field_of(grid.get((r + 1, c))) for c in range(1, max_col + 1)}
        rows = [r]
        if any(below.values()):
            rows.append(r + 1)
            fields = {c: below[c] or fields[c] for c in fields}
        columns: dict[int, str] = {}
        for c, name in fields.items():
            if name and name not in columns.values():
                columns[c] = name
        return rows, columns
    return None


def _read_rows(ws, grid, header, ledger: Ledger, year: int, catalog: Catalog) -> None:
    rows, columns = header
    rel, sheet = ledger.file, ws.title
    ledger.as_of, location, mistyped = _stated_date(grid, rows[0], sheet)
    ledger.as_of_stated = ledger.as_of is not None
    ledger.as_of = ledger.as_of or dt.date(year, 12, 31)
    ledger.is_sample = any(SAMPLE_MARK in str(v) for (r, _), v in grid.items() if r < rows[0])
    if mistyped:
        ledger.problems.append(Problem(rel, location, f"the ledger's date {mistyped!r} is not "
                                                      "a day of the calendar"))
    if ledger.as_of_stated and ledger.as_of < dt.date(year, 1, 1):
        ledger.problems.append(Problem(rel, location, f"the ledger's date {ledger.as_of} is "
                                                      f"before {year}"))
    if ledger.as_of_stated and ledger.as_of.year > year + 1:
        # a year's ledger may be dated early in the next (the year-end report is drafted then)
        ledger.problems.append(Problem(rel, location, f"the ledger's date {ledger.as_of} is "
                                                      f"after {year + 1}: a {year} ledger is "
                                                      f"dated in {year} or early {year + 1}"))
    missing = [COLUMN_NAMES[f] for f in REQUIRED if f not in columns.values()]
    if missing:
        ledger.problems.append(Problem(
            rel, row_location(sheet, rows[-1]),
            f"missing column(s) {', '.join(missing)} (a ledger has 序号, 区域, 项目名称, 项目年份, "
            "存在的问题隐患, 整改限期, 责任人, 发现日期, 整改状态 and 销号日期)"))
        return
    where = {f: c for c, f in columns.items()}
    places = [name for d in catalog.districts for name in (d.name, *d.aliases)]
    own = {(cell.row, cell.column) for row in ws.iter_rows() for cell in row
           if cell.value is not None}
    numbers: dict[str, str] = {}
    max_row = max(r for r, _ in grid)
    for r in range(rows[-1] + 1, max_row + 1):
        if not any((r, c) in own for c in columns):
            continue  # blank, or only the copies of a merged 区域 cell
        first = next((grid[(r, c)] for c in sorted(columns) if normalize_text(grid.get((r, c)))),
                     "")
        if is_footnote(first):
            break  # 注：..., 填报人：... end the table
        if is_total_label(grid.get((r, where["district"]))):
            continue
        number = normalize_text(_text(grid.get((r, where["number"]))))  # １ = 1 = 1.0
        duplicate = number in numbers
        if duplicate:
            ledger.problems.append(Problem(rel, cell_location(sheet, _cell(where["number"], r)),
                                           f"duplicate 序号 {number} (first in cell "
                                           f"{numbers[number]})"))
        elif number:
            numbers[number] = _cell(where["number"], r)
        item = _read_item(grid, r, where, rel, sheet, ledger, year, catalog, places)
        if item is not None and not duplicate:
            ledger.items.append(item)


def _cell(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"


def _stated_date(grid, header_row: int, sheet: str) -> tuple[dt.date | None, str, str]:
    """The date written above the header (截至2018年12月31日), where it is, and the text of one
    written as a date but not in the calendar (截至2018年13月31日), else ""."""
    for (r, c), value in sorted(grid.items()):
        if r >= header_row:
            break
        date = value.date() if isinstance(value, dt.datetime) else (
            value if isinstance(value, dt.date) else date_in_text(str(value)))
        if date:
            return date, cell_location(sheet, _cell(c, r)), ""
        mistyped = date_shape_in_text(value)
        if mistyped:
            return None, cell_location(sheet, _cell(c, r)), mistyped
    return None, "", ""


def _text(value: object) -> str:
    """A cell as text: stray spaces trimmed, line breaks kept as spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_date(value: object, *, base: dt.date | None = None) -> dt.date | None:
    """A date as clerks enter it: a real date cell, 2018-06-30, 2018/6/30, 2018.6.30,
    2018年6月30日, 2018年6月底 (the month end), 20180630, or an Excel day number. `base` is the
    date 立行立改 stands for. Returns None when the value is no date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        if number != value:
            return None
        if 19000101 <= number <= 21001231:
            return parse_date(str(number), base=base)
        if 36526 <= number <= 73051:  # Excel day numbers of 2000-01-01 .. 2100-01-01
            return from_excel(number).date()
        return None
    text = normalize_text(value)
    if not text:
        return None
    if text in IMMEDIATE:
        return base
    if re.fullmatch(r"(19|20)\d{6}", text):
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
    text = text.replace("．", ".")
    found = date_in_text(text)
    if found:
        return found
    match = _MONTH_END_TEXT.search(text)
    if match and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return None


def _read_item(grid, r, where, rel, sheet, ledger: Ledger, year: int, catalog: Catalog,
               places) -> LedgerItem | None:
    """One row as an item, or None after recording every problem of the row."""
    problems: list[Problem] = []

    def at(name: str) -> str:
        return cell_location(sheet, _cell(where[name], r))

    def raw(name: str):
        return grid.get((r, where[name])) if name in where else None

    def fail(name: str, message: str) -> None:
        problems.append(Problem(rel, at(name), mask_phones(message)))

    for name in REQUIRED:
        if normalize_text(raw(name)) == "":
            fail(name, f"empty {COLUMN_NAMES[name]}")
    for name in where:  # no character a published text may not hold (NUL, ESC, U+202E, ...)
        value = raw(name)
        found_char = unusable_character(value) if isinstance(value, str) else None
        if found_char is not None:
            fail(name, f"character {character_name(found_char[1])} is not text a report can "
                       "print; remove it")
    number = _text(raw("number"))
    district = None
    if normalize_text(raw("district")):
        district = catalog.district_name(raw("district"))
        if district is None:
            fail("district", f"unknown district {_text(raw('district'))!r}")

    project_year = None
    if normalize_text(raw("project_year")):
        match = _YEAR_TEXT.match(normalize_text(_text(raw("project_year"))))
        project_year = int(match[1]) if match else None
        if project_year is None or not 2000 <= project_year <= year:
            fail("project_year", f"项目年份 {_text(raw('project_year'))!r} is not a plausible "
                                 f"project year (2000..{year})")
            project_year = None

    found = _date_cell(raw("found"), "found", fail)
    deadline = _date_cell(raw("deadline"), "deadline", fail, base=found)
    closed = _date_cell(raw("closed"), "closed", fail) if "closed" in where else None

    status = None
    if normalize_text(raw("status")):
        status = STATUS_WORDS.get(normalize_text(raw("status")))
        if status is None:
            fail("status", f"unknown 整改状态 {_text(raw('status'))!r} (expected 未整改, 整改中, "
                           "已整改 or 已销号)")

    if found and deadline and deadline < found:
        fail("deadline", f"整改限期 {deadline} is before 发现日期 {found}")
    if found and found > ledger.as_of:
        fail("found", f"发现日期 {found} is after the ledger's date {ledger.as_of}")
    if status == "closed" and closed is None and normalize_text(raw("closed")) == "":
        problems.append(Problem(rel, at("closed") if "closed" in where else row_location(
            sheet, r), "closed (整改状态 " + repr(_text(raw("status"))) + ") without a 销号日期"))
    if closed is not None:
        if found and closed < found:
            fail("closed", f"销号日期 {closed} is before 发现日期 {found}")
        if closed > ledger.as_of:
            fail("closed", f"销号日期 {closed} is after the ledger's date {ledger.as_of}")
        if status in ("open", "in_progress"):
            fail("closed", f"销号日期 {closed} is given but 整改状态 {_text(raw('status'))!r} "
                           "is not closed (已整改 / 已销号)")

    indicator = None
    if normalize_text(raw("indicator")):
        indicator = catalog.indicator_code(raw("indicator"))
        if indicator is None:
            fail("indicator", f"unknown indicator {_text(raw('indicator'))!r} (not in "
                              "catalog/indicators.csv)")
    elif normalize_text(raw("project")):
        indicator = catalog.indicator_code(raw("project"))  # a 项目名称 that names an indicator

    ledger.problems.extend(problems)
    if problems:
        return None
    unit_text = raw("unit") if normalize_text(raw("unit")) else raw("responsible")
    return LedgerItem(
        number=mask_personal(number), district=district,
        project=mask_personal(_text(raw("project"))),
        project_year=project_year, problem=mask_personal(_text(raw("problem"))), found=found,
        deadline=deadline, status=status, closed=closed,
        unit=responsible_unit(unit_text, places), indicator=indicator,
        source=f"{rel}!{sheet}!{_cell(where['number'], r)}")


def _date_cell(value, name: str, fail, base: dt.date | None = None) -> dt.date | None:
    if normalize_text(value) == "":
        return None
    date = parse_date(value, base=base)
    if date is None and normalize_text(value) not in IMMEDIATE:
        fail(name, f"{COLUMN_NAMES[name]} {_text(value)!r} is not a date (e.g. 2018-06-30, "
                   "2018年6月30日, 2018.6.30)")
    return date


# --- the ledger at a report date --------------------------------------------------------------


__all__ = ["Ledger", "LedgerItem", "parse_date", "read_ledger"]
