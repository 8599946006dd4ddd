"""Completion, what is due, status and ranks: the numbers every table, chart and sentence of a
report is built from. The rules themselves are in helpers.metrics.status_rules."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from helpers.core.parameters import RuleSettings
from helpers.core.rounding import percent, percent_digits
from helpers.core.statuses import BEHIND, NOT_JUDGED, STATUSES
from helpers.ingest.catalog import Catalog, Indicator
from helpers.metrics.milestones import value_requirement
from helpers.metrics.status_rules import (
    Judgement,
    city_judgement,
    final_stage,
    is_dated_obligation,
    judge,
    share_value,
)

DISTRICT_INDICATOR_COLUMNS = [
    "district", "supervision_group", "indicator", "indicator_name", "kind", "unit",
    "target", "actual", "denominator", "as_of", "completion",
    "basis", "stage", "due_date", "milestone", "due_units", "judged_actual", "shortfall",
    "gap_pp", "status", "deadline", "stages_done", "rank", "rank_tied", "ranked_of",
    "target_source", "actual_source", "judged_source", "denominator_source",
]
SUMMARY_COLUMNS = [
    "indicator", "indicator_name", "kind", "unit", "target", "actual", "denominator",
    "completion", "basis", "stage", "due_date", "milestone", "due_units", "judged_actual",
    "shortfall", "gap_pp", "status", "deadline", "stages_done", "districts_behind",
    "districts_judged",
    "district_shortfall",
]
INTEGER_COLUMNS = ("target", "actual", "denominator", "due_units", "judged_actual", "shortfall",
                   "district_shortfall")


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
        frame = progress if "stage" in progress.columns else progress.assign(stage="")
        ordered = frame.sort_values(["district", "indicator", "stage", "as_of"], kind="stable")
        # Plain lists in (district, indicator, stage, date) order, and per series the slice
        # [start, end) it occupies: a Figure is made only when asked for (a province's
        # returns hold millions of figures, a report asks for a fraction of them).
        self._dates = ordered["as_of"].tolist()
        self._values = [int(v) for v in ordered["value"].tolist()]
        self._sources = ordered["source"].tolist()
        keys = list(zip(ordered["district"].tolist(), ordered["indicator"].tolist(),
                        ordered["stage"].tolist(), strict=True))
        self._series: dict[tuple[str, str, str], tuple[int, int]] = {}
        start = 0
        for end in range(1, len(keys) + 1):
            if end == len(keys) or keys[end] != keys[start]:
                self._series[keys[start]] = (start, end)
                start = end
        self._reference = {(f.district, f.measure): Figure(f.value, None, f.ref)
                           for f in catalog.reference_figures if f.year == year}

    def figure(self, district: str, indicator: str, stage: str, date: dt.date) -> Figure | None:
        """The latest figure on or before `date`, or None when nothing was reported by then."""
        reference = self._reference.get((district, indicator))
        if reference is not None and not stage:
            return reference
        span = self._series.get((district, indicator, stage))
        if span is None:
            return None
        start, end = span
        position = bisect.bisect_right(self._dates, date, start, end)
        if position == start:
            return None
        k = position - 1
        return Figure(self._values[k], self._dates[k], self._sources[k])

    def first_reaching(self, district: str, indicator: str, stage: str, required: int,
                       date: dt.date) -> dt.date | None:
        """The first reporting date, on or before `date`, whose figure reached `required`."""
        start, end = self._series.get((district, indicator, stage), (0, 0))
        return next((self._dates[k] for k in range(start, end)
                     if self._dates[k] <= date and self._values[k] >= required), None)

    def value(self, district: str, indicator: str, stage: str, date: dt.date) -> int | None:
        reference = self._reference.get((district, indicator))
        if reference is not None and not stage:
            return reference.value
        start, end = self._series.get((district, indicator, stage), (0, 0))
        position = bisect.bisect_right(self._dates, date, start, end)
        return self._values[position - 1] if position > start else None

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
    and how it was judged (helpers.metrics.status_rules), status, rank among districts, and the
    source
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
    table = _frame(rows, [c for c in DISTRICT_INDICATOR_COLUMNS
                          if c not in ("rank", "rank_tied", "ranked_of")])
    table["rank"] = rank_within_indicator(table)
    table["rank_tied"] = tied(table)
    ranked = table.groupby("indicator")["rank"].count()
    table["ranked_of"] = table["indicator"].map(ranked).where(table["rank"].notna()
                                                              ).astype("Int64")
    return table[DISTRICT_INDICATOR_COLUMNS]


def on_stage(row) -> bool:
    """Whether a row is judged on a stage (the figure shown is then the stage's)."""
    return row.basis == "stage" and bool(row.stage)


def ranks_mean_something(row) -> bool:
    """A rank among districts says something for a rate judged in points or against a level,
    not for a stage (done or not), a task or a target of one or two, nor for an item not judged
    at the report date (a level not yet due is not ranked, as the 通报 leaves it out)."""
    if row.status in NOT_JUDGED:
        return False
    return row.basis in ("time", "schedule", "level", "threshold") or (
        row.basis == "deadline" and row.kind == "count" and not on_stage(row)
        and not isnan(row.due_units) and row.due_units > 2)


def stages_done(ind: Indicator, catalog: Catalog, date: dt.date, value) -> str:
    """How many units have reached each stage of a staged indicator at `date`, in the plan's
    order, as `site=42;renovation=38` ("" for an indicator without stages). The units built (a
    count's own figure) are its `actual`: a stage count is never a completion of the target."""
    if not catalog.is_staged(ind.code, date.year):
        return ""
    return ";".join(f"{s.code}={value(ind.code, s.code, date) or 0}"
                    for s in catalog.stages_for(ind.code))


def _district_row(ind: Indicator, district: str, group: str, target: int | None,
                  target_source: str, index: FigureIndex, catalog: Catalog, date: dt.date,
                  rules: RuleSettings) -> dict:
    def value(code: str, stage: str, when: dt.date) -> int | None:
        return index.value(district, code, stage, when)

    verdict = judge(ind, target, value, date, catalog, rules)
    row = _common(ind, verdict, catalog, date)
    row["stages_done"] = stages_done(ind, catalog, date, value)
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
    percent, half up), 1 = highest; districts showing the same percentage share the best rank;
    rows without a rate, or whose rank says nothing (ranks_mean_something), get no rank and
    take no place from the others."""
    # only the columns read here (a province's table has 29, most of them text, which pandas
    # walks an element at a time)
    rows = list(table[_RANK_INPUTS].itertuples(index=False))
    meaningful = [ranks_mean_something(r) for r in rows]
    # a share of a few percent prints two decimals (3.02% and 3.03% are not tied)
    printed = pd.Series([percent(r.completion, percent_digits(r.kind, r.milestone))
                         if keep and not isnan(r.completion) else pd.NA
                         for r, keep in zip(rows, meaningful, strict=True)],
                        index=table.index, dtype="Float64")
    ranks = (table.assign(c=printed).groupby("indicator")["c"]
             .rank(method="min", ascending=False))
    return ranks.round().astype("Int64")


# what rank_within_indicator and ranks_mean_something read of a row
_RANK_INPUTS = ["status", "basis", "kind", "stage", "due_units", "completion", "milestone"]


def tied(table: pd.DataFrame) -> pd.Series:
    """Whether a row's rank is shared with another district of the same indicator (the
    table's rank_tied)."""
    counts = table.groupby(["indicator", "rank"], dropna=True)["district"].transform("size")
    return (counts > 1).fillna(False).astype(bool)


# the columns of a district table that indicator_summary reads
SUMMARY_INPUTS = ["district", "indicator", "target", "actual", "status", "basis", "shortfall",
                  "milestone", "stage", "due_date", "judged_actual", "due_units", "gap_pp"]


def indicator_summary(table: pd.DataFrame, catalog: Catalog, date: dt.date,
                      rules: RuleSettings, index: FigureIndex) -> pd.DataFrame:
    """City level per indicator: the districts of `table` summed, judged by the same rules (a
    task owes one completion per district)."""
    names = list(dict.fromkeys(table["district"]))
    # each indicator's rows (in table order), split once: a mask per indicator cost a brief
    # more than the rest of its summary; only the columns read here (every column sliced per
    # indicator cost as much again)
    by_indicator = dict(tuple(table[SUMMARY_INPUTS].groupby("indicator", sort=False)))
    rows = []
    for ind in catalog.tracked:
        part = by_indicator.get(ind.code)
        if part is None or part.empty:
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
        if ind.kind != "share" and is_dated_obligation(catalog, ind.code, date.year):
            # each district owes its own part: judged district by district, no netting
            targets = [1] * len(part) if ind.kind == "task" else [
                int(t) for t in part["target"].fillna(0)]
            actual_total = 0 if ind.kind == "task" else int(part["actual"].fillna(0).sum())
            verdict = city_judgement([_judgement(r) for r in part.itertuples()], targets,
                                     actual_total, rules, verdict)
        elif ind.kind == "count" and verdict.basis in ("time", "schedule") and \
                set(part["basis"]) <= {"small", "none"}:
            verdict = _small_city(part, verdict)
        row = _common(ind, verdict, catalog, date)
        row["stages_done"] = stages_done(ind, catalog, date, value)
        statuses = part["status"].tolist()
        judged = sum(status not in NOT_JUDGED for status in statuses)
        behind = [status in BEHIND for status in statuses]
        row.update(target=target if ind.kind != "task" else None,
                   districts_behind=sum(behind), districts_judged=judged,
                   # nothing is owed by a district not yet due: no sum of shortfalls (—),
                   # where a judged item whose districts owe nothing sums to 0
                   district_shortfall=(int(part["shortfall"][behind].fillna(0).sum())
                                       if judged else None))
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


def _judgement(row) -> Judgement:
    """A district row of the table as the Judgement it was made from."""
    def plain(value):
        return None if isnan(value) else value

    return Judgement(row.basis, row.status, plain(row.milestone), row.stage,
                     plain(row.due_date), plain(row.judged_actual), plain(row.due_units),
                     plain(row.shortfall), plain(row.gap_pp))


def _small_city(part: pd.DataFrame, verdict: Judgement) -> Judgement:
    """The city on an indicator whose every district target is small (one studio each): done
    when every district is, else not yet due, like its districts; never a gap in points."""
    judged = part[part["status"] != "no_target"]
    if len(judged) and judged["status"].isin(("done", "over")).all():
        status = "over" if (judged["status"] == "over").any() else "done"
    else:
        status = "not_due"
    deadline = judged["due_date"].iloc[0] if len(judged) else verdict.due_date
    if status == "not_due":  # nothing owed yet: no 应完成数 and no 差额, as in its districts
        return Judgement("small", status, 0.0, "", deadline, verdict.judged_actual, None, None,
                         None)
    due = int(judged["due_units"].fillna(0).sum())
    return Judgement("small", status, 0.0, "", deadline, verdict.judged_actual, due, 0, None)


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many rows have each status (every status of the vocabulary, zero included), in the
    order of helpers.core.statuses.STATUSES."""
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
