"""比上年: the year-end figures beside the previous year's (its own year-end report, computed
from its raw data the same way), per indicator for the city and each district. Only counts and
levels that both years allocate are compared; shares and tasks are judged, not summed."""

from __future__ import annotations

import pandas as pd

from helpers.core.rounding import percent
from helpers.metrics.progress import isnan

YOY_COLUMNS = ["district", "indicator", "kind", "unit", "previous_actual", "actual", "change",
               "previous_completion", "completion", "change_pp", "previous_source",
               "actual_source"]
COMPARED_KINDS = ("count", "stock")


def _points(now, before) -> float:
    """The change in points between the printed percentages (as the changes table)."""
    if isnan(now) or isnan(before):
        return float("nan")
    return round(percent(float(now)) - percent(float(before)), 1)


def year_on_year_table(summary: pd.DataFrame, table: pd.DataFrame,
                       previous_summary: pd.DataFrame, previous_table: pd.DataFrame
                       ) -> pd.DataFrame:
    """City rows (district '') first, then each district's, in the current tables' order."""
    rows = []

    def add(district: str, now, before) -> None:
        actual, previous = now.actual, before.actual
        if isnan(actual) or isnan(previous):
            return
        rows.append({"district": district, "indicator": now.indicator, "kind": now.kind,
                     "unit": now.unit, "previous_actual": int(previous), "actual": int(actual),
                     "change": int(actual) - int(previous),
                     "previous_completion": before.completion, "completion": now.completion,
                     "change_pp": _points(now.completion, before.completion),
                     "previous_source": getattr(before, "actual_source", "") or "",
                     "actual_source": getattr(now, "actual_source", "") or ""})

    before_city = {r.indicator: r for r in previous_summary.itertuples()
                   if r.kind in COMPARED_KINDS}
    for row in summary.itertuples():
        if row.kind in COMPARED_KINDS and row.indicator in before_city:
            add("", row, before_city[row.indicator])
    before = {(r.district, r.indicator): r for r in previous_table.itertuples()
              if r.kind in COMPARED_KINDS}
    for row in table.itertuples():
        if row.kind in COMPARED_KINDS and (row.district, row.indicator) in before:
            add(row.district, row, before[(row.district, row.indicator)])
    return pd.DataFrame(rows, columns=YOY_COLUMNS)
