"""Completion, what is due, status and ranks: the numbers every table, chart and sentence of a
report is built from. The rules themselves are in helpers.status_rules."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from helpers.catalog import Catalog, Indicator
from helpers.milestones import value_requirement
from helpers.status_rules import BEHIND, Judgement, RuleSettings, final_stage, judge, share_value

DISTRICT_INDICATOR_COLUMNS = [
    "district", "supervision_group", "indicator", "indicator_name", "kind", "unit",
    "target", "actual", "denominator", "as_of", "completion",
    "basis", "stage", "due_date", "milestone", "due_units", "judged_actual", "shortfall",
    "gap_pp", "status", "deadline", "rank",
    "target_source", "actual_source", "judged_source", "denominator_source",
]
SUMMARY_COLUMNS = [
    "indicator", "indicator_name", "kind", "unit", "target", "actual", "denominator",
    "completion", "basis", "stage", "due_date", "milestone", "due_units", "judged_actual",
    "shortfall", "gap_pp", "status", "deadline", "districts_behind", "districts_judged",
]
INTEGER_COLUMNS = ("target", "actual", "denominator", "due_units", "judged_actual", "shortfall")


@dataclass(frozen=True)
class Figure:
    """One cumulative figure: its value, reporting date and source cell or line."""

    value: int
    as_of: dt.date | None
    source: str


class FigureIndex:
    """Every reported figure by district, indicator and stage, for lookups at any date; the
    reference figures of the catalogue (elderly population) answer at every date."""

    def __init__(self, progress: pd.DataFrame, catalog: Catalog, year: int) -> None:
        self._series: dict[tuple[str, str, str], tuple[list, list[Figure]]] = {}
        frame = progress if "stage" in progress.columns else progress.assign(stage="")
        ordered = frame.sort_values(["district", "indicator", "stage", "as_of"], kind="stable")
        for key, part in ordered.groupby(["district", "indicator", "stage"], sort=False):
            dates = list(part["as_of"])
            figures = [Figure(int(v), d, s) for v, d, s in
                       zip(part["value"], part["as_of"], part["source"], strict=True)]
            self._series[key] = (dates, figures)
        self._reference = {(f.district, f.measure): Figure(f.value, None, f.ref)
                           for f in catalog.reference_figures if f.year == year}

    def figure(self, district: str, indicator: str, stage: str, date: dt.date) -> Figure | None:
        """The latest figure on or before `date`, or None when nothing was reported by then."""
        reference = self._reference.get((district, indicator))
        if reference is not None and not stage:
            return reference
        series = self._series.get((district, indicator, stage))
        if series is None:
            return None
        dates, figures = series
        position = bisect.bisect_right(dates, date)
        return figures[position - 1] if position else None

    def first_reaching(self, district: str, indicator: str, stage: str, required: int,
                       date: dt.date) -> dt.date | None:
        """The first reporting date, on or before `date`, whose figure reached `required`."""
        dates, figures = self._series.get((district, indicator, stage), ([], []))
        return next((d for d, f in zip(dates, figures, strict=True)
                     if d <= date and f.value >= required), None)

    def value(self, district: str, indicator: str, stage: str, date: dt.date) -> int | None:
        found = self.figure(district, indicator, stage, date)
        return None if found is None else found.value

    def city_value(self, districts: Iterable[str], indicator: str, stage: str,
                   date: dt.date) -> int | None:
        """The sum over `districts` (None when none of them reported)."""
        values = [self.value(d, indicator, stage, date) for d in districts]
        present = [v for v in values if v is not None]
        return sum(present) if present else None


def completion(actual: float, target: float) -> float | None:
    """actual / target; None when the target is 0 (no rate: never divide by zero)."""
    if not target:
        return None
    return actual / target


def is_behind(status: str) -> bool:
    """Whether an item belongs in the lagging list."""
    return status in BEHIND


def scope_districts(allocation: pd.DataFrame, catalog: Catalog,
                    districts: list[str] | None) -> list[str]:
    """The districts a report covers, in catalogue order: those of the allocation table (a
    subset when `districts` is given)."""
    present = set(allocation["district"])
    if districts is not None:
        present &= set(districts)
    return [d.name for d in catalog.districts if d.name in present]


def district_indicator_table(allocation: pd.DataFrame, progress: pd.DataFrame,
                             catalog: Catalog, date: dt.date, rules: RuleSettings,
                             districts: list[str] | None = None,
                             index: FigureIndex | None = None) -> pd.DataFrame:
    """One row per district and tracked indicator: target, actual, completion, what was due
    and how it was judged (helpers.status_rules), status, rank among districts, and the source
    of every figure."""
    index = index or FigureIndex(progress, catalog, date.year)
    names = scope_districts(allocation, catalog, districts)
    targets = {(r.district, r.indicator): (int(r.target), r.source)
               for r in allocation.itertuples(index=False)}
    groups = {d.name: d.supervision_group for d in catalog.districts}
    rows = []
    for ind in catalog.tracked:
        for district in names:
            if ind.allocated and (district, ind.code) not in targets:
                continue
            target, target_source = targets.get((district, ind.code), (None, ""))
            rows.append(_district_row(ind, district, groups.get(district, ""), target,
                                      target_source, index, catalog, date, rules))
    table = _frame(rows, [c for c in DISTRICT_INDICATOR_COLUMNS if c != "rank"])
    table["rank"] = rank_within_indicator(table)
    return table[DISTRICT_INDICATOR_COLUMNS]


def _district_row(ind: Indicator, district: str, group: str, target: int | None,
                  target_source: str, index: FigureIndex, catalog: Catalog, date: dt.date,
                  rules: RuleSettings) -> dict:
    def value(code: str, stage: str, when: dt.date) -> int | None:
        return index.value(district, code, stage, when)

    verdict = judge(ind, target, value, date, catalog, rules)
    row = _common(ind, verdict, catalog, date)
    row.update(district=district, supervision_group=group, target=target,
               target_source=target_source)
    if ind.kind == "share":
        numerator = index.figure(district, ind.numerator, "", date)
        denominator = index.figure(district, ind.denominator, "", date)
        row.update(actual=numerator.value if numerator else None,
                   denominator=denominator.value if denominator else None,
                   as_of=numerator.as_of if numerator else None,
                   completion=(numerator.value / denominator.value
                               if numerator and denominator and denominator.value else None),
                   actual_source=numerator.source if numerator else "",
                   judged_source=(numerator.source if numerator and verdict.judged_actual
                                  is not None else ""),
                   denominator_source=denominator.source if denominator else "")
        return row
    own_stage = final_stage(catalog, ind.code, date.year) if ind.kind == "task" else ""
    own = index.figure(district, ind.code, own_stage, date)
    actual = own.value if own else (0 if target is not None else None)
    judged = index.figure(district, ind.code, verdict.stage, date) if verdict.stage else own
    row.update(actual=actual if ind.kind != "task" else None,
               as_of=own.as_of if own else None,
               completion=completion(actual, target) if target else None,
               actual_source=own.source if own and ind.kind != "task" else "",
               judged_source=(judged.source if judged and verdict.judged_actual is not None
                              else ""))
    return row


def _common(ind: Indicator, verdict: Judgement, catalog: Catalog, date: dt.date) -> dict:
    return {
        "indicator": ind.code, "indicator_name": ind.name_zh, "kind": ind.kind,
        "unit": ind.unit, "denominator": None, "basis": verdict.basis, "stage": verdict.stage,
        "due_date": verdict.due_date, "milestone": verdict.requirement,
        "due_units": verdict.due_units, "judged_actual": verdict.judged_actual,
        "shortfall": verdict.shortfall, "gap_pp": verdict.gap_pp, "status": verdict.status,
        "deadline": catalog.deadline(ind.code, date.year), "judged_source": "",
        "denominator_source": "",
    }


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in INTEGER_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].astype("Int64")
    for column in ("completion", "milestone", "gap_pp"):
        if column in frame.columns:
            frame[column] = frame[column].astype("Float64")
    return frame


def rank_within_indicator(table: pd.DataFrame) -> pd.Series:
    """Rank of each district within its indicator by completion as printed (one decimal of a
    percent), 1 = highest; districts showing the same percentage share the best rank; rows
    without a rate get no rank."""
    printed = (table["completion"].astype("Float64") * 100).round(1)
    ranks = (table.assign(c=printed).groupby("indicator")["c"]
             .rank(method="min", ascending=False))
    return ranks.round().astype("Int64")


def tied(table: pd.DataFrame) -> pd.Series:
    """Whether a row's rank is shared with another district of the same indicator."""
    counts = table.groupby(["indicator", "rank"], dropna=True)["district"].transform("size")
    return (counts > 1).fillna(False).astype(bool)


def indicator_summary(table: pd.DataFrame, catalog: Catalog, date: dt.date,
                      rules: RuleSettings, index: FigureIndex) -> pd.DataFrame:
    """City level per indicator: the districts of `table` summed, judged by the same rules (a
    task owes one completion per district)."""
    names = list(dict.fromkeys(table["district"]))
    rows = []
    for ind in catalog.tracked:
        part = table[table["indicator"] == ind.code]
        if part.empty:
            continue

        def value(code: str, stage: str, when: dt.date) -> int | None:
            return index.city_value(names, code, stage, when)

        if ind.kind == "task":
            target = len(part)
        elif ind.allocated:
            target = int(part["target"].sum())
        else:
            target = None
        verdict = judge(ind, target, value, date, catalog, rules)
        row = _common(ind, verdict, catalog, date)
        row.update(target=target if ind.kind != "task" else None,
                   districts_behind=int(part["status"].isin(BEHIND).sum()),
                   districts_judged=int((~part["status"].isin(("not_due", "no_target",
                                                                "no_data"))).sum()))
        if ind.kind == "share":
            numerator, denominator = share_value(ind, value, date, None)
            row.update(actual=numerator, denominator=denominator,
                       completion=(numerator / denominator
                                   if numerator is not None and denominator else None))
        elif ind.kind == "task":
            row.update(actual=None, completion=None)
        else:
            actual = int(part["actual"].sum())
            row.update(actual=actual, completion=completion(actual, target))
        rows.append(row)
    summary = _frame(rows, SUMMARY_COLUMNS)
    return summary[SUMMARY_COLUMNS]


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many rows have each status (every status of the vocabulary, zero included), in the
    order of labels.STATUSES."""
    from helpers.labels import STATUSES

    counts = frame["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def timeline(allocation: pd.DataFrame, progress: pd.DataFrame, catalog: Catalog,
             date: dt.date, districts: list[str] | None = None,
             index: FigureIndex | None = None) -> pd.DataFrame:
    """City completion per counted indicator at every reporting date up to `date`, beside the
    share of its own figure due then (districts without a return that day carry their last
    figure)."""
    index = index or FigureIndex(progress, catalog, date.year)
    names = scope_districts(allocation, catalog, districts)
    alloc = allocation[allocation["district"].isin(names)]
    targets = alloc.groupby("indicator")["target"].sum()
    dates = sorted({d for d in progress["as_of"] if d <= date})
    rows = []
    for day in dates:
        for ind in catalog.tracked:
            if not ind.allocated or ind.code not in targets.index:
                continue
            target = int(targets[ind.code])
            actual = index.city_value(names, ind.code, "", day) or 0
            share = 1.0 if ind.kind == "stock" else value_requirement(catalog, ind.code, day)
            rows.append({"as_of": day, "indicator": ind.code, "target": target,
                         "actual": actual, "completion": completion(actual, target),
                         "milestone": share})
    return pd.DataFrame(rows, columns=["as_of", "indicator", "target", "actual", "completion",
                                       "milestone"])


def isnan(value) -> bool:
    """True for None, NaN and pandas NA."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
