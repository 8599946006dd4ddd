"""The problem ledger at a report's date: counts by district and month, the oldest overdue
items, and the report's lagging items that have open ledger items."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from helpers.ingest.ledger_book import Ledger, LedgerItem

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


def lagging_with_ledger(data) -> pd.DataFrame:
    """Every lagging item of the report, each with its unclosed ledger items (none: 0).
    Worked out once per report (ReportData.once)."""
    return data.once("_lagging_with_ledger", lambda: for_indicators(data.ledger, data.lagging))


def lagging_links(data) -> pd.DataFrame:
    """The report's lagging items that have unclosed ledger items, with the earliest 整改限期
    and its 责任单位 (helpers.ingest.ledger_book.for_indicators)."""
    linked = lagging_with_ledger(data)
    return linked[linked["ledger_items"] > 0].reset_index(drop=True)
