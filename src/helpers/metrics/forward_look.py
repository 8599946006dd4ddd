"""The forward look of a quarterly or mid-year report: at the pace achieved so far, will each
district reach its target by the plan's deadline?

Method (stated in the report): the projection keeps each item's pace relative to the plan.
Projected figure at the deadline = actual / the share of the target due now; the share due is
time progress without a schedule (so the projection is the linear run-rate: 30 June 2018 is
181/365 of the year), and the plan's own curve with one (助餐 40% by 30 June: an item at 36% of
its target is projected at 36 / 40 = 90%), so a plan that back-loads its work is not read as a
risk. An item is at risk (存在不能按期完成的风险) when the projection falls short of the target by
more than the status rules' tolerance (a share of the target, `tolerance_pp`), the rule that
makes a shortfall 基本符合进度: the forward look and the status never disagree. Also shown: the
pace achieved per month (actual / months elapsed) and the pace still needed (target - actual) /
months left. All are counts of whole units: the projection is rounded down (a part of a
project is not a project); a pace per month is rounded up, the pace achieved as the pace needed
(one rule, said once under the table: 1 unit in 5.95 months is a pace of 1, never 0). Only
counted indicators judged on time progress or a schedule are projected: stages, tasks, targets
of 1 or 2, levels and shares are not run-rates.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from helpers.core.parameters import RuleSettings
from helpers.metrics.status_rules import months_elapsed, within_tolerance

FORWARD_COLUMNS = ["district", "indicator", "unit", "target", "actual", "months_elapsed",
                   "pace", "deadline", "months_left", "required_pace", "projected",
                   "projected_completion", "at_risk"]
BACKTEST_COLUMNS = ["as_of", "items", "flagged", "missed", "flagged_and_missed",
                    "mean_abs_error_pp"]
_PROJECTED_BASES = ("time", "schedule")


def months_between(start: dt.date, end: dt.date) -> float:
    """Months from the end of `start` to the end of `end`, at the year's days per month."""
    days_in_year = (dt.date(start.year + 1, 1, 1) - dt.date(start.year, 1, 1)).days
    return (end - start).days / days_in_year * 12


def project(actual: int, target: int, date: dt.date, deadline: dt.date, due_share: float,
            rules: RuleSettings | None = None) -> dict:
    """Pace achieved and needed and the projected figure at the deadline, in whole units, the
    projected completion, and whether the projection falls short of the target beyond the
    status rules' tolerance."""
    rules = rules or RuleSettings()
    elapsed = months_elapsed(date)
    left = months_between(date, deadline)
    # 1e-9: a projection that is a whole number but for the binary fraction (40 / 0.4)
    projected = math.floor(actual / due_share + 1e-9)
    return {"months_elapsed": elapsed, "pace": math.ceil(actual / elapsed - 1e-9),
            "months_left": left,
            "required_pace": (math.ceil(max(0, target - actual) / left - 1e-9)
                              if left > 0 else None),
            "projected": projected, "projected_completion": projected / target,
            "at_risk": (projected < target
                        and not within_tolerance(target - projected, target, rules))}


def forward_table(table: pd.DataFrame, date: dt.date,
                  rules: RuleSettings | None = None) -> pd.DataFrame:
    """One row per projectable item of a district x indicator (or city summary) table."""
    rows = []
    part = table[table["basis"].isin(_PROJECTED_BASES) & table["target"].fillna(0).gt(0)
                 & table["milestone"].fillna(0).gt(0)]
    for row in part.itertuples(index=False):
        if row.deadline <= date:
            continue
        rows.append({"district": getattr(row, "district", ""), "indicator": row.indicator,
                     "unit": row.unit, "target": int(row.target), "actual": int(row.actual),
                     "deadline": row.deadline,
                     **project(int(row.actual), int(row.target), date, row.deadline,
                               float(row.milestone), rules)})
    return pd.DataFrame(rows, columns=FORWARD_COLUMNS)


@dataclass(frozen=True)
class Backtest:
    """How the projections made at one date fared at the deadlines."""

    as_of: dt.date
    items: int
    flagged: int  # projected to miss
    missed: int  # did miss (the figure at the deadline was short of the target)
    flagged_and_missed: int
    mean_abs_error_pp: float  # projected vs actual completion at the deadline, in points


def backtest(forward: pd.DataFrame, as_of: dt.date, value_at) -> Backtest:
    """Compare each projection made at `as_of` with the figure at its deadline;
    `value_at(district, indicator, date)` gives the reported figure then."""
    flagged = missed = both = 0
    errors = []
    for row in forward.itertuples(index=False):
        final = value_at(row.district, row.indicator, row.deadline) or 0
        miss = final < row.target
        flagged += bool(row.at_risk)
        missed += miss
        both += bool(row.at_risk) and miss
        errors.append(abs(row.projected_completion - final / row.target) * 100)
    return Backtest(as_of, len(forward), flagged, missed, both,
                    sum(errors) / len(errors) if errors else 0.0)
