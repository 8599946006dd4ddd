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
    "denominator", "as_of", "basis", "judged_step", "due_date", "due_units", "judged_figure",
    "done_by_due", "shortfall", "status", "deadline", "rank", "rank_tied", "ranked_of",
    "target_source", "figure_source", "judged_source", "denominator_source",
]
CITY = "全市"  # the unit of the city rows (a code, as `level` says, not a printed label)
INTEGER_FACTS = ("target", "figure", "denominator", "due_units", "judged_figure", "done_by_due",
                 "shortfall", "rank", "ranked_of")


def _own_row(row, level: str, unit: str) -> dict:
    """The indicator's own figure and its judgement at the report date (one table row)."""
    get = row.get
    return {
        "level": level, "unit": unit, "supervision_group": get("supervision_group", ""),
        "indicator": row["indicator"], "step": "", "kind": row["kind"],
        "target": row["target"], "figure": row["actual"], "denominator": row["denominator"],
        "as_of": get("as_of"), "basis": row["basis"], "judged_step": row["stage"],
        "due_date": row["due_date"], "due_units": row["due_units"],
        "judged_figure": row["judged_actual"], "done_by_due": None,
        "shortfall": row["shortfall"], "status": row["status"], "deadline": row["deadline"],
        "rank": get("rank"), "rank_tied": get("rank_tied"), "ranked_of": get("ranked_of"),
        "target_source": get("target_source", ""), "figure_source": get("actual_source", ""),
        "judged_source": get("judged_source", ""),
        "denominator_source": get("denominator_source", ""),
    }


def _step_row(row, level: str, unit: str, group: str, kind: str) -> dict:
    """One stage or node (a row of the node table, or of its city summary)."""
    get = row.get
    step = row["stage"] or row["due"].isoformat()
    required, done = row["required"], row["done_now"]  # the units due by its date, done now
    return {
        "level": level, "unit": unit, "supervision_group": group,
        "indicator": row["indicator"], "step": step, "kind": kind, "target": None,
        "figure": done, "denominator": None, "as_of": None, "basis": "checkpoint",
        "judged_step": row["stage"], "due_date": row["due"], "due_units": required,
        "judged_figure": done, "done_by_due": row["done_by_due"],
        "shortfall": row["shortfall"], "status": row["status"],
        "deadline": row["due"], "rank": None, "rank_tied": None, "ranked_of": None,
        "target_source": "", "figure_source": get("source", ""), "judged_source":
        get("source", ""), "denominator_source": "",
    }


def judged_facts(data: ReportData) -> pd.DataFrame:
    """Every judged fact of the report, districts (catalogue order) then the city; within a
    unit, indicators in catalogue order, each with its own figure first, then its stages and
    nodes by date."""
    kinds = {ind.code: ind.kind for ind in data.catalog.indicators}
    order = {code: n for n, code in enumerate(kinds)}
    rows = []
    for _, row in data.table.iterrows():
        rows.append(_own_row(row, "district", row["district"]))
    for _, row in data.checkpoints.iterrows():
        rows.append(_step_row(row, "district", row["district"], row["supervision_group"],
                              kinds[row["indicator"]]))
    for _, row in data.summary.iterrows():
        rows.append(_own_row(row, "city", CITY))
    for _, row in data.checkpoint_summary.iterrows():
        rows.append(_step_row(row, "city", CITY, "", kinds[row["indicator"]]))
    frame = pd.DataFrame(rows, columns=FACT_COLUMNS)
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
