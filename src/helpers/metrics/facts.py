"""The judged facts of a report in one long table (tables/facts.csv): for each district and the
city, each indicator and each of its steps (the indicator's own figure, each stage, each dated
node of its schedule), the figure, what was due, the shortfall, the status, the rank and the
raw cell the figure came from. It is a view of the tables computed once in
helpers.metrics.report_data (the district x indicator table, the city summary, the node table
and its city rows), never a second computation: an auditor follows any printed figure here to
its source cell, and a reviewer filters one step of one indicator across every district.

Rows: `step` is "" for the indicator's own figure (and its judgement at the report date), a
stage code (site, renovation; publicity ... delivery) or the due date of a node of a schedule
(2018-06-30); `level` is district or city; the city's figures are the sums of its districts
(no source cell: README, "The city, district by district").
"""

from __future__ import annotations

import pandas as pd

from helpers.metrics.report_data import ReportData

FACT_COLUMNS = [
    "level", "unit", "supervision_group", "indicator", "step", "kind", "target", "figure",
    "denominator", "completion", "milestone", "as_of", "basis", "judged_step", "due_date",
    "due_units", "judged_figure", "done_by_due", "shortfall", "status", "deadline", "rank",
    "rank_tied", "ranked_of", "target_source", "figure_source", "judged_source",
    "denominator_source",
]
CITY = "全市"  # the unit of the city rows (a code, as `level` says, not a printed label)
INTEGER_FACTS = ("target", "figure", "denominator", "due_units", "judged_figure", "done_by_due",
                 "shortfall", "rank", "ranked_of")


# The columns of the indicator tables and of the node tables, by the name they take here.
_OWN_NAMES = {"actual": "figure", "stage": "judged_step", "judged_actual": "judged_figure",
              "actual_source": "figure_source"}
_STEP_NAMES = {"required": "due_units", "done_now": "figure", "source": "figure_source"}


def _own_rows(table: pd.DataFrame, level: str) -> pd.DataFrame:
    """The indicator's own figure and its judgement at the report date (the district x
    indicator table, or the city summary)."""
    # `unit` here is the district or the city, not the unit of measure (个, 张)
    frame = table.drop(columns="unit").rename(columns=_OWN_NAMES)
    if level == "city":
        frame = frame.assign(unit=CITY, supervision_group="", as_of=None, rank=None,
                             rank_tied=None, ranked_of=None, target_source="",
                             figure_source="", judged_source="", denominator_source="")
    else:
        frame = frame.rename(columns={"district": "unit"})
    return frame.assign(level=level, step="", done_by_due=None).reindex(columns=FACT_COLUMNS)


def _step_rows(nodes: pd.DataFrame, level: str, kinds: dict[str, str]) -> pd.DataFrame:
    """Each stage and dated node (the node table, or its city rows): what was due by its date,
    what is done now and the source of that figure."""
    frame = nodes.rename(columns=_STEP_NAMES)
    if level == "city":
        frame = frame.assign(unit=CITY, supervision_group="", figure_source="")
    else:
        frame = frame.rename(columns={"district": "unit"})
    step = [stage or due.isoformat() for stage, due in zip(frame["stage"], frame["due"],
                                                            strict=True)]
    return frame.assign(
        level=level, step=step, kind=frame["indicator"].map(kinds), basis="checkpoint",
        judged_step=frame["stage"], due_date=frame["due"], deadline=frame["due"],
        judged_figure=frame["figure"], judged_source=frame["figure_source"],
        target_source="", denominator_source="").reindex(columns=FACT_COLUMNS)


def judged_facts(data: ReportData) -> pd.DataFrame:
    """Every judged fact of the report, districts (catalogue order) then the city; within a
    unit, indicators in catalogue order, each with its own figure first, then its stages and
    nodes by date."""
    kinds = {ind.code: ind.kind for ind in data.catalog.indicators}
    parts = [_own_rows(data.table, "district"), _step_rows(data.checkpoints, "district", kinds),
             _own_rows(data.summary, "city"), _step_rows(data.checkpoint_summary, "city", kinds)]
    return _ordered(data, parts)


def own_facts(data: ReportData) -> pd.DataFrame:
    """The indicators' own facts (step ""), as judged_facts has them and in its order, without
    computing the stages and nodes."""
    return _ordered(data, [_own_rows(data.table, "district"), _own_rows(data.summary, "city")])


def previous_facts(data: ReportData) -> pd.DataFrame | None:
    """The indicators' own facts (step "") at the end of the previous period, from the tables
    the report computed for it (ReportData.previous_table and previous_summary), in the shape
    of judged_facts; None when the report has no previous period."""
    if data.previous_table is None or data.previous_summary is None:
        return None
    return _ordered(data, [_own_rows(data.previous_table, "district"),
                           _own_rows(data.previous_summary, "city")])


def _ordered(data: ReportData, parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts as one facts table in the report's order, its counts as integers."""
    order = {ind.code: n for n, ind in enumerate(data.catalog.indicators)}
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True)
    units = {d: n for n, d in enumerate([*data.districts, CITY])}
    frame = (frame.assign(_u=frame["unit"].map(units), _i=frame["indicator"].map(order),
                          _s=frame["step"].ne(""),
                          _d=frame["due_date"].map(lambda d: "" if pd.isna(d) else
                                                   d.isoformat()))
             .sort_values(["_u", "_i", "_s", "_d"], kind="stable")
             .drop(columns=["_u", "_i", "_s", "_d"]).reset_index(drop=True))
    for column in INTEGER_FACTS:
        frame[column] = frame[column].astype("Int64")
    return frame
