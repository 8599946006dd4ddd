"""Tables derived from a report's main tables, shown beside them: the city's forward look, the
changes since the previous period's report (from the one comparison of two facts tables,
helpers.metrics.comparison), and what carries over at the year end."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.core.parameters import PERIOD_END
from helpers.core.rounding import half_up, percent, percent_digits
from helpers.metrics.comparison import MOVED_COLUMNS, compare_facts, moved_figures
from helpers.metrics.facts import judged_facts, own_facts, previous_facts
from helpers.metrics.forward_look import forward_table
from helpers.metrics.progress import isnan
from helpers.metrics.report_data import ReportData


def city_forward(data: ReportData) -> pd.DataFrame:
    """The forward look at city level (one row per projectable indicator)."""
    return forward_table(data.summary.assign(district=""), data.report_date, data.params.rules)


def previous_date(data: ReportData) -> dt.date:
    """The end of the period the report compares with."""
    month, day = PERIOD_END[data.previous_period]
    return dt.date(data.report_date.year, month, day)


def period_comparison(data: ReportData) -> pd.DataFrame | None:
    """The indicators' own facts (step "") at the previous period's end set beside this
    report's (helpers.metrics.comparison.compare_facts: the comparison `helpers diff` makes of
    two published reports); None without a previous period. Computed once per report."""
    if data.previous_table is None:
        return None
    return data.once("_period_comparison",
                     lambda: compare_facts(previous_facts(data), own_facts(data)))


def period_changes(data: ReportData) -> pd.DataFrame:
    """Every figure and status of a district or the city that moved since the previous
    period's report (helpers.metrics.comparison.moved_figures): the 较上期变化 sheet."""
    comparison = period_comparison(data)
    if comparison is None:
        return pd.DataFrame(columns=MOVED_COLUMNS)
    return moved_figures(comparison)


def revisions(data: ReportData) -> pd.DataFrame:
    """Every figure and status (any step) that differs from the report's previous publication
    of the same period (moved_figures, old and new value): what a re-published report marks
    修订; empty for a first publication. Computed once per report."""
    if data.previous_publication is None:
        return pd.DataFrame(columns=MOVED_COLUMNS)
    return data.once("_revisions", lambda: moved_figures(
        compare_facts(data.previous_publication, judged_facts(data))))


def revised_figures(data: ReportData) -> dict[tuple[str, str], object]:
    """(district, or the city's 全市; indicator) -> its 累计完成 in the previous publication,
    where this report revises it: what the tables mark 修订. Computed once per report."""
    def make() -> dict[tuple[str, str], object]:
        moved = revisions(data)
        moved = moved[(moved["step"] == "") & (moved["field"] == "figure")]
        return {(r.unit, r.indicator): r.old for r in moved.itertuples()}

    return data.once("_revised_figures", make)


def changes_table(data: ReportData) -> pd.DataFrame:
    """Per indicator: the city's completion at the previous period's end and now, and the
    change in points (taken between the printed percentages, so table and sentence agree), with
    the decimals they print (`digits`: two for a share of a few percent: 2.77% -> 2.83%, not
    2.8% -> 2.8%); the city rows of period_comparison. Computed once per report (asked at
    every heading that may point to 附件)."""
    return data.once("_changes_table", lambda: _changes_table(data))


def _changes_table(data: ReportData) -> pd.DataFrame:
    columns = ["indicator", "previous", "current", "change_pp", "previous_status", "status",
               "digits"]
    comparison = period_comparison(data)
    if comparison is None:
        return pd.DataFrame(columns=columns)
    city = comparison[(comparison["level"] == "city") & (comparison["presence"] == "both")]
    summary = data.summary.set_index("indicator")
    rows = []
    for row in city.to_dict("records"):
        old, new = row["old_completion"], row["new_completion"]
        if old is None or new is None or isnan(old) or isnan(new):
            continue
        now = summary.loc[row["indicator"]]
        digits = percent_digits(now["kind"], now["milestone"])
        change = half_up(percent(new, digits) - percent(old, digits), digits)
        rows.append((row["indicator"], old, new, change, row["old_status"], row["new_status"],
                     digits))
    return pd.DataFrame(rows, columns=columns)


def carry_over_table(data: ReportData) -> pd.DataFrame:
    """Unfinished items at the report date: district, indicator, target, actual, remaining (a
    task not delivered owes its one completion)."""
    table = data.table
    counted = table[table["kind"].isin(("count", "stock")) & (table["target"] > 0)
                    & (table["actual"] < table["target"])]
    counted = counted.assign(remaining=counted["target"] - counted["actual"])
    tasks = table[(table["kind"] == "task") & table["shortfall"].fillna(0).gt(0)]
    # a task has no target or rate of its own in any table (its district owes one completion):
    # the carry-over says what remains, and prints the rest as the tables do
    tasks = tasks.assign(actual=tasks["judged_actual"], remaining=tasks["shortfall"])
    columns = ["district", "indicator", "kind", "unit", "target", "actual", "remaining",
               "completion", "status", "basis", "stage", "judged_actual", "denominator",
               "stages_done"]
    tasks = tasks.assign(basis="deadline", stage="")
    both = pd.concat([counted[columns], tasks[columns]])
    order = {d: i for i, d in enumerate(data.districts)}
    return (both.assign(_d=both["district"].map(order))
            .sort_values("_d", kind="stable").drop(columns="_d").reset_index(drop=True))
