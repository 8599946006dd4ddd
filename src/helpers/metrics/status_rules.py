"""The rules that decide each status: what is due at the report date (in whole units), how far
a district or the city is from it, and which word of the one status vocabulary that earns.

Every rule is documented in the README ("Status rules") in the same order as here:

1. A share indicator is judged against its threshold; a stock against its target level, at its
   due date only (a level held at the year end is not a level missed at mid-year): before it,
   未到期.
2. On and after the plan's deadline for the whole target (30 November for the centres and meal
   services, the year end otherwise): 按期完成 / 逾期完成 / 未完成.
3. An indicator followed by stages (选址 -> 启动装修 -> 建成; 宣传 -> 摸底 -> 招投标 -> 送达) is
   judged on the latest stage due at the report date.
4. A target of 1 or 2 (`small_target_max`) is a task: done, or not due before its deadline.
5. Otherwise the indicator's own figure is judged against the milestone due at the report date
   (the plan's schedule, interpolated; time progress without one), in whole units. On the date
   of a node of the schedule (助餐 40% by 30 June) the node is a dated step, as a stage is:
   reached, or 逾期未完成 with no tolerance, exactly as the node grid says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from helpers.core.parameters import RuleSettings
from helpers.core.rounding import half_up, percent, percent_digits
from helpers.ingest.catalog import Catalog, Indicator
from helpers.metrics.milestones import time_progress, units_at_least, units_due, value_requirement


@dataclass(frozen=True)
class Judgement:
    """How one row (a district, or the city) stands on one indicator at the report date."""

    basis: str
    status: str
    requirement: float | None = None  # share of the judged figure due (the milestone)
    stage: str = ""  # the stage judged; "" = the indicator's own figure
    due_date: dt.date | None = None  # the date the requirement refers to
    judged_actual: int | None = None  # units done of the judged figure
    due_units: int | None = None  # 应完成数: whole units due by the report date
    shortfall: int | None = None  # 差额: units short of what is due (0 when not short)
    gap_pp: float | None = None  # points between the printed completion and requirement
    # the requirement is a dated step of the plan (a stage, a node of the schedule, the
    # deadline): short of it is late, with no tolerance, and the city is as late as its
    # latest district
    dated: bool = False


# value(indicator, stage, date) -> the cumulative figure on or before the date (None: no return)
ValueAt = Callable[[str, str, dt.date], "int | None"]


def printed_gap(rate: float, requirement: float, digits: int = 1) -> float:
    """Completion minus requirement in points, taken between the two percentages as printed
    (one decimal, half up; `digits` two for a share of a few percent, printed 2.72% against
    2.80%), so that a reader who subtracts the printed 49.5% and 49.6% gets -0.1."""
    return half_up(percent(rate, digits) - percent(requirement, digits), digits)


def progress_status(done: int, target: int, requirement: float, rules: RuleSettings,
                    tolerant: bool = True) -> tuple[str, int, int, float]:
    """(status, units due, shortfall, gap in points) of `done` units of `target` against the
    share `requirement` due now. 应完成数 is rounded up (a part of a unit is owed), so 符合进度
    means nothing at all is owed. Thresholds are inclusive, as the printed wording says (低于10
    个百分点以上 includes 10.0) and decided on the printed gap, so a rule never disagrees with
    the numbers a reader sees. `tolerant`: a shortfall within the tolerance reads 基本符合进度;
    the tolerance is a share of the target (within_tolerance: 0.5% by default, 75 of 15,000
    beds, none of 4 projects), so a district's allowance and the city's add up."""
    due = units_due(target, requirement)
    shortfall = max(0, due - done)
    gap = printed_gap(done / target, requirement)
    if done > target:
        return "over", due, shortfall, gap
    if done == target:
        return "done", due, shortfall, gap
    if due == 0:
        return ("on_track" if done else "not_due"), due, shortfall, gap
    if shortfall == 0:
        return "on_track", due, shortfall, gap
    if tolerant and within_tolerance(shortfall, target, rules):
        return "near", due, shortfall, gap
    if done == 0:
        return "not_started", due, shortfall, gap
    if -gap >= rules.serious_lag_pp:
        return "serious_lag", due, shortfall, gap
    return "lagging", due, shortfall, gap


def within_tolerance(shortfall: int, target: int, rules: RuleSettings) -> bool:
    """Whether a shortfall in whole units (the printed 差额) is at most `tolerance_pp` percent
    of the target: 75 of 15,000 beds is, 2 of 236 installations (0.85%) is not. Decided on the
    two printed integers, so the rule reads as the note under the tables says it."""
    return shortfall * 100 <= rules.tolerance_pp * target


def deadline_status(at_deadline: int, now: int, target: int) -> str:
    """按期完成 when the whole target was reached by the deadline (超额完成 when it is now
    exceeded), 逾期完成 when it was reached after it, 未完成 when it has not been reached."""
    if at_deadline >= target:
        return "over" if now > target else "on_time"
    if now >= target:
        return "late"
    return "unmet"


def judge(ind: Indicator, target: int | None, value: ValueAt, date: dt.date, catalog: Catalog,
          rules: RuleSettings, denominator: int | None = None) -> Judgement:
    """Judge one row on one indicator at `date`. `target` is the allocation (None for shares
    and tasks; a task owes 1 per district, so the caller passes the number of districts for
    the city); `denominator` is the share's denominator when it does not come from `value`."""
    year = date.year
    if ind.kind == "share":
        return _judge_share(ind, value, date, denominator)
    if ind.kind == "task":
        target = 1 if target is None else target
    if not target:
        return Judgement("none", "no_target")
    actual = _own_value(ind, value, date, catalog)
    deadline = catalog.deadline(ind.code, year)
    if ind.kind == "stock":
        if date < deadline:
            return Judgement("level", "not_due", 1.0, "", deadline, actual, None, None, None)
        return _level(target, actual, date)
    if date >= deadline:
        return _deadline(ind, target, value, date, deadline, catalog)
    if catalog.is_staged(ind.code, year):
        return _judge_stage(ind, target, actual, value, date, catalog, rules)
    if target <= rules.small_target_max:
        return _small(target, actual, deadline)
    scheduled = bool(catalog.milestones_for(ind.code, year))
    requirement = value_requirement(catalog, ind.code, date)
    node = is_node_date(catalog, ind.code, date)
    status, due, shortfall, gap = progress_status(actual, target, requirement, rules,
                                                  tolerant=not node)
    if node and shortfall:
        status = "overdue"
    return Judgement("schedule" if scheduled else "time", status, requirement, "", date, actual,
                     due, shortfall, gap, dated=node)


def is_node_date(catalog: Catalog, code: str, date: dt.date) -> bool:
    """Whether `date` is the date of a node of the indicator's schedule (not a stage): the
    requirement on that day is the node's own, a dated step of the plan."""
    return any(m.date == date and not m.stage for m in catalog.checkpoints_for(code, date.year))


def _own_value(ind: Indicator, value: ValueAt, date: dt.date, catalog: Catalog) -> int:
    """The indicator's own cumulative figure; for a task, its last stage."""
    stage = final_stage(catalog, ind.code, date.year) if ind.kind == "task" else ""
    return value(ind.code, stage, date) or 0


def final_stage(catalog: Catalog, code: str, year: int) -> str:
    """The stage whose completion completes a task (its last checkpoint)."""
    checkpoints = catalog.checkpoints_for(code, year)
    return checkpoints[-1].stage if checkpoints else ""


def _level(target: int, actual: int, date: dt.date) -> Judgement:
    shortfall = max(0, target - actual)
    return Judgement("level", "met" if shortfall == 0 else "below", 1.0, "", date, actual,
                     target, shortfall, printed_gap(actual / target, 1.0))


def _deadline(ind: Indicator, target: int, value: ValueAt, date: dt.date, deadline: dt.date,
              catalog: Catalog) -> Judgement:
    stage = final_stage(catalog, ind.code, date.year) if ind.kind == "task" else ""
    now = value(ind.code, stage, date) or 0
    at_deadline = value(ind.code, stage, deadline) or 0
    # a task is done or not: no gap in points (-100 for one 一键通 task reads as nonsense)
    gap = None if ind.kind == "task" else printed_gap(now / target, 1.0)
    return Judgement("deadline", deadline_status(at_deadline, now, target), 1.0, stage,
                     deadline, now, target, max(0, target - now), gap, dated=True)


def _judge_stage(ind: Indicator, target: int, actual: int, value: ValueAt, date: dt.date,
                 catalog: Catalog, rules: RuleSettings) -> Judgement:
    due = [m for m in catalog.checkpoints_for(ind.code, date.year) if m.date <= date]
    if actual >= target and ind.kind != "task":
        status = "over" if actual > target else "done"
        return Judgement("stage", status, 1.0, "", date, actual, target, 0,
                         printed_gap(actual / target, 1.0))
    if not due:
        started = actual > 0 or any(value(ind.code, s.code, date)
                                    for s in catalog.stages_for(ind.code))
        return Judgement("stage", "on_track" if started else "not_due", 0.0, "", date, actual,
                         0, 0, None)
    checkpoint = due[-1]
    done = value(ind.code, checkpoint.stage, date) or 0
    # a stage is a dated step of the plan: on or after its date it is done, or overdue
    units = units_due(target, checkpoint.share_due)
    shortfall = max(0, units - done)
    # a stage is reached or not: no gap in points (选址 2 of 3 is one site short, not -33.3)
    return Judgement("stage", "overdue" if shortfall else "on_track", checkpoint.share_due,
                     checkpoint.stage, checkpoint.date, done, units, shortfall, None, dated=True)


def _small(target: int, actual: int, deadline: dt.date) -> Judgement:
    if actual >= target:
        status = "over" if actual > target else "done"
        return Judgement("small", status, 1.0, "", deadline, actual, target, 0, None)
    # nothing is owed before the deadline: no 应完成数 and no 差额 (not 0 of them)
    return Judgement("small", "not_due", 0.0, "", deadline, actual, None, None, None)


def share_value(ind: Indicator, value: ValueAt, date: dt.date,
                denominator: int | None) -> tuple[int | None, int | None]:
    """(numerator, denominator) of a share indicator at `date`."""
    numerator = value(ind.numerator, "", date)
    if denominator is None:
        denominator = value(ind.denominator, "", date)
    return numerator, denominator


def _judge_share(ind: Indicator, value: ValueAt, date: dt.date,
                 denominator: int | None) -> Judgement:
    numerator, denominator = share_value(ind, value, date, denominator)
    threshold = float(ind.threshold or 0.0)
    if numerator is None or not denominator:
        return Judgement("threshold", "no_data", threshold, "", date)
    due = units_at_least(denominator, threshold)
    shortfall = max(0, due - numerator)
    digits = percent_digits("share", threshold)
    return Judgement("threshold", "met" if shortfall == 0 else "below", threshold, "", date,
                     numerator, due, shortfall,
                     printed_gap(numerator / denominator, threshold, digits))


def is_dated_obligation(catalog: Catalog, code: str, year: int) -> bool:
    """Whether the work plan sets dates for each district's part of an indicator (a schedule
    or stages): the city is then judged district by district, and one district's surplus
    does not make up for another's shortfall."""
    return bool(catalog.checkpoints_for(code, year))


def judged_district_by_district(catalog: Catalog, year: int) -> list[str]:
    """The indicators of the year whose city figure is judged district by district (a dated
    obligation; a share is judged on its city ratio), in catalogue order."""
    return [i.code for i in catalog.tracked
            if i.kind != "share" and is_dated_obligation(catalog, i.code, year)]


WORST_FIRST = ("unmet", "overdue", "late", "not_started", "serious_lag", "lagging", "below",
               "near")


def city_judgement(rows: list[Judgement], targets: list[int], actual_total: int,
                   rules: RuleSettings, basis_of_city: Judgement) -> Judgement:
    """The city's standing on a dated obligation, from its districts' judgements: what was done,
    what is due and what is short are the sums over the districts, and a surplus is not counted
    against a shortfall (so 差额 may exceed 应完成数 minus 累计完成); the city's gap in points is
    taken, as a district's, between the printed completion of what was done within each
    district's due (应完成数 - 差额; all that was done when nothing is short) and the
    requirement, so a unit of one district reads exactly as its district. At a deadline or
    stage the city is as late as its latest district; otherwise the progress rule is applied
    to that gap."""
    judged = [(j, t) for j, t in zip(rows, targets, strict=True) if j.status not in
              ("no_target", "no_data")]
    if not judged:
        return basis_of_city
    due = sum(j.due_units or 0 for j, _ in judged)
    shortfall = sum(j.shortfall or 0 for j, _ in judged)
    target = sum(t for _, t in judged)
    done = sum(j.judged_actual or 0 for j, _ in judged)
    statuses = {j.status for j, _ in judged}
    base = basis_of_city
    # nothing short: the gap is the surplus, as a district's is
    within = done if shortfall == 0 else due - shortfall
    gap = (printed_gap(within / target, base.requirement)
           if target and base.requirement is not None
           and any(j.gap_pp is not None for j, _ in judged) else None)
    if base.basis in ("deadline", "stage") or base.dated:
        worst = next((s for s in WORST_FIRST if s in statuses), None)
        if worst is None:
            status = "over" if actual_total > target and base.basis == "deadline" else (
                base.status if base.status in ("done", "over", "not_due") else
                ("on_time" if base.basis == "deadline" else "on_track"))
        else:
            status = worst if worst in ("unmet", "overdue", "late") else (
                "unmet" if base.basis == "deadline" else "overdue")
        return Judgement(base.basis, status, base.requirement, base.stage, base.due_date,
                         done, due, shortfall, gap, dated=base.dated)
    if shortfall == 0:
        status = base.status if base.status in ("done", "over", "not_due") else "on_track"
    elif within_tolerance(shortfall, target, rules):
        status = "near"
    elif done == 0:
        status = "not_started"
    elif gap is not None and -gap >= rules.serious_lag_pp:
        status = "serious_lag"
    else:
        status = "lagging"
    return Judgement(base.basis, status, base.requirement, base.stage, base.due_date,
                     done, due, shortfall, gap)


def months_elapsed(date: dt.date) -> float:
    """Months of the year gone at the end of `date` (30 June: 181/365 x 12 = 5.95)."""
    return time_progress(date) * 12
