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

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from helpers.core.disclosure import mask_phones, responsible_unit
from helpers.core.problems import Problem, cell_location, row_location
from helpers.ingest.catalog import Catalog
from helpers.ingest.normalize import header_key, is_footnote, is_total_label, normalize_text
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
    ledger.as_of, location = _stated_date(grid, rows[0], sheet)
    ledger.as_of_stated = ledger.as_of is not None
    ledger.as_of = ledger.as_of or dt.date(year, 12, 31)
    ledger.is_sample = any(SAMPLE_MARK in str(v) for (r, _), v in grid.items() if r < rows[0])
    if ledger.as_of_stated and ledger.as_of < dt.date(year, 1, 1):
        ledger.problems.append(Problem(rel, location, f"the ledger's date {ledger.as_of} is "
                                                      f"before {year}"))
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


def _stated_date(grid, header_row: int, sheet: str) -> tuple[dt.date | None, str]:
    """The date written above the header (截至2018年12月31日), and where it is."""
    for (r, c), value in sorted(grid.items()):
        if r >= header_row:
            break
        date = value.date() if isinstance(value, dt.datetime) else (
            value if isinstance(value, dt.date) else date_in_text(str(value)))
        if date:
            return date, cell_location(sheet, _cell(c, r))
    return None, ""


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
        number=number, district=district, project=mask_phones(_text(raw("project"))),
        project_year=project_year, problem=mask_phones(_text(raw("problem"))), found=found,
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

COUNT_COLUMNS = ["found", "closed", "closed_late", "open", "overdue"]
DISTRICT_COLUMNS = ["district", *COUNT_COLUMNS, "closure_rate"]
MONTHLY_COLUMNS = ["date", "found", "new_found", "closed", "new_closed", "open", "overdue",
                   "closure_rate"]
ITEM_COLUMNS = ["number", "district", "project", "project_year", "problem", "indicator", "found",
                "deadline", "closed", "state", "overdue", "days_overdue", "closed_late", "unit",
                "source"]
OLDEST_OVERDUE = 10  # how many overdue items the report lists


@dataclass
class LedgerView:
    """The ledger at one date: the report date, or the ledger's own date when that is earlier
    (a ledger dated 25 June cannot say what happened by 30 June)."""

    file: str
    as_of: dt.date  # the ledger's own date
    date: dt.date  # the date every figure below is taken at
    is_sample: bool
    districts: pd.DataFrame  # DISTRICT_COLUMNS, one row per district of the report
    city: dict  # the same figures for all those districts together
    monthly: pd.DataFrame  # MONTHLY_COLUMNS: cumulative at each month end (and `date`), and
    # what was found and closed since the previous one
    overdue: pd.DataFrame  # ITEM_COLUMNS of the overdue items, oldest deadline first
    items: pd.DataFrame  # ITEM_COLUMNS of every item found by `date`


def state_at(item: LedgerItem, date: dt.date, ledger_date: dt.date) -> str:
    """closed (销号 by `date`), or the recorded open / in_progress status; `unclosed` when the
    item was closed later than `date` or the ledger's date is later (what it looked like that
    day is not recorded)."""
    if item.closed is not None and item.closed <= date:
        return "closed"
    if item.status != "closed" and date >= ledger_date:
        return item.status
    return "unclosed"


def _counts(items: list[LedgerItem], date: dt.date) -> dict:
    found = [i for i in items if i.found <= date]
    closed = [i for i in found if i.closed is not None and i.closed <= date]
    open_items = [i for i in found if i not in closed]
    counts = {
        "found": len(found),
        "closed": len(closed),
        "closed_late": sum(i.closed > i.deadline for i in closed),
        "open": len(open_items),
        "overdue": sum(i.deadline < date for i in open_items),
    }
    counts["closure_rate"] = counts["closed"] / counts["found"] if counts["found"] else None
    return counts


def month_ends(date: dt.date) -> list[dt.date]:
    """Every month end of `date`'s year up to `date`, and `date` itself when it is no month end."""
    ends = [dt.date(date.year, m, calendar.monthrange(date.year, m)[1])
            for m in range(1, date.month + 1)]
    ends = [d for d in ends if d <= date]
    return ends if ends and ends[-1] == date else [*ends, date]


def ledger_view(ledger: Ledger | None, date: dt.date, districts: list[str]) -> LedgerView | None:
    """The ledger's figures at `date` (or its own earlier date) for `districts` (in report
    order); None without a ledger."""
    if ledger is None:
        return None
    at = min(date, ledger.as_of)
    scope = set(districts)
    items = [i for i in ledger.items if i.district in scope]
    rows = [{"district": d, **_counts([i for i in items if i.district == d], at)}
            for d in districts]
    monthly = []
    for day in month_ends(at):
        counts = _counts(items, day)
        before = monthly[-1] if monthly else {"found": 0, "closed": 0}
        monthly.append({"date": day, **counts, "new_found": counts["found"] - before["found"],
                        "new_closed": counts["closed"] - before["closed"]})
    records = []
    for item in items:
        if item.found > at:
            continue
        state = state_at(item, at, ledger.as_of)
        overdue = state != "closed" and item.deadline < at
        records.append({
            "number": item.number, "district": item.district, "project": item.project,
            "project_year": item.project_year, "problem": item.problem,
            "indicator": item.indicator, "found": item.found, "deadline": item.deadline,
            "closed": item.closed if state == "closed" else None, "state": state,
            "overdue": overdue, "days_overdue": (at - item.deadline).days if overdue else None,
            "closed_late": state == "closed" and item.closed > item.deadline,
            "unit": item.unit, "source": item.source})
    frame = pd.DataFrame(records, columns=ITEM_COLUMNS)
    frame["days_overdue"] = frame["days_overdue"].astype("Int64")
    order = {d: n for n, d in enumerate(districts)}
    # .astype(bool): indexing with an empty object column would select columns, not rows
    overdue = (frame[frame["overdue"].astype(bool)]
               .assign(_d=lambda f: f["district"].map(order))
               .sort_values(["deadline", "found", "_d"], kind="stable")
               .drop(columns="_d").head(OLDEST_OVERDUE).reset_index(drop=True))
    return LedgerView(
        file=ledger.file, as_of=ledger.as_of, date=at, is_sample=ledger.is_sample,
        districts=pd.DataFrame(rows, columns=DISTRICT_COLUMNS),
        city=_counts(items, at), monthly=pd.DataFrame(monthly)[MONTHLY_COLUMNS],
        overdue=overdue, items=frame)


def for_indicators(view: LedgerView | None, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (rows with `district` and `indicator`, e.g. ReportData.lagging) with the ledger's
    unclosed items for each: ledger_items (how many), ledger_deadline (the earliest 整改限期),
    ledger_unit (its 责任单位) and ledger_overdue. Items are linked by district and indicator:
    the ledger's 对应指标 column, or a 项目名称 that names an indicator."""
    extra = ["ledger_items", "ledger_deadline", "ledger_unit", "ledger_overdue"]
    out = frame.copy()
    for column in extra:
        out[column] = pd.Series([None] * len(out), index=out.index, dtype=object)
    out["ledger_items"] = 0
    if view is None or view.items.empty:
        return out
    unclosed = view.items[(view.items["state"] != "closed") & view.items["indicator"].notna()]
    unclosed = unclosed.sort_values(["deadline", "found"], kind="stable")
    counts: dict[tuple, int] = {}
    earliest: dict[tuple, tuple] = {}  # (district, indicator): its earliest item
    for item in zip(unclosed["district"], unclosed["indicator"], unclosed["deadline"],
                    unclosed["unit"], unclosed["overdue"], strict=True):
        key = item[:2]
        counts[key] = counts.get(key, 0) + 1
        earliest.setdefault(key, item)
    for index, key in zip(out.index, zip(out["district"], out["indicator"], strict=True),
                          strict=True):
        if key not in counts:
            continue
        _, _, deadline, unit, overdue = earliest[key]
        out.at[index, "ledger_items"] = counts[key]
        out.at[index, "ledger_deadline"] = deadline
        out.at[index, "ledger_unit"] = unit
        out.at[index, "ledger_overdue"] = bool(overdue)
    return out


__all__ = ["Ledger", "LedgerItem", "LedgerView", "for_indicators", "ledger_view",
           "parse_date", "read_ledger", "state_at"]
