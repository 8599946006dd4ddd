"""What a table shows, decided once for every output: for a row, the figure judged (a stage's
count, a task's, else the indicator's own), its completion, and whether a rank among districts
says anything for it; for a table, the order of its rows (by supervision group) and, in a long
list, which rows are shown."""

from __future__ import annotations

import pandas as pd

from helpers.metrics.report_data import ReportData, group_order


def shown_actual(row) -> object:
    """累计完成 as a number: a task's completions of the stage judged, else the indicator's own
    figure (a share's numerator; a staged count's units built). A staged row prints its
    stages as well (helpers.words.formats.stage_progress_text)."""
    return row.judged_actual if row.kind == "task" else row.actual


def by_group(data: ReportData, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered by supervision group, then district (catalogue order), then as they came."""
    districts = data.catalog.district_by_name
    return (frame.assign(_g=frame["district"].map(lambda d: group_order(
                districts[d].supervision_group) if d in districts else 99),
                         _d=frame["district"].map(lambda d: districts[d].order
                                                  if d in districts else 99))
            .sort_values(["_g", "_d"], kind="stable").drop(columns=["_g", "_d"]))


def largest_shortfalls(items: pd.DataFrame, shown: int, order: list[str]) -> pd.DataFrame:
    """At most `shown` lagging items: for each indicator (in `order`) an equal number, those
    furthest behind in units (差342张 before 差1张; then seriously behind before behind), so
    that every indicator's largest shortfalls are there, whatever its unit."""
    if items.empty:
        return items
    found = set(items["indicator"].unique())  # once, not once per indicator
    indicators = [code for code in order if code in found]
    each = max(1, shown // len(indicators))
    units = items["shortfall"].astype("Float64").fillna(0.0)
    serious = items["status"].isin(("serious_lag", "overdue", "unmet", "not_started"))
    position = {code: k for k, code in enumerate(indicators)}
    ranked = (items.assign(_i=items["indicator"].map(position), _u=-units, _s=~serious)
              .sort_values(["_i", "_u", "_s"], kind="stable"))
    return (ranked.groupby("indicator", sort=False).head(each)
            .drop(columns=["_i", "_u", "_s"]).head(shown))
