"""Every status rule on hand-made figures; each expected value is worked out by hand in the
comment beside it (2018: 365 days, 30 June = day 181)."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.core.parameters import RuleSettings
from helpers.core.statuses import BEHIND, GOOD, LATE, NOT_JUDGED, STATUSES
from helpers.ingest.catalog import Catalog, District, Indicator, Milestone, Stage
from helpers.metrics.status_rules import (
    Judgement,
    city_judgement,
    deadline_status,
    judge,
    printed_gap,
    progress_status,
)

D = dt.date
H1, Q1, Q3, FY = D(2018, 6, 30), D(2018, 3, 31), D(2018, 9, 30), D(2018, 12, 31)
RULES = RuleSettings()  # 10 points serious, 0.5% of the target tolerated, small up to 2


def test_the_groups_partition_the_vocabulary():
    groups = [*GOOD, *LATE, *BEHIND, *NOT_JUDGED]
    assert sorted(groups) == sorted(STATUSES)
    assert len(groups) == len(set(groups))


# --- progress against an interpolated requirement ------------------------------------------------

def test_on_the_milestone_is_on_track():
    # 40 of 100 against 40%: 40 due, nothing short
    assert progress_status(40, 100, 0.4, RULES) == ("on_track", 40, 0, 0.0)


def test_one_unit_short_of_a_hundred_is_lagging():
    # 39 of 100 against 40%: 40 due, 1 short: 1% of the target, beyond half a percent
    assert progress_status(39, 100, 0.4, RULES) == ("lagging", 40, 1, -1.0)


def test_rounding_noise_never_reads_lagging():
    # the beds: 7431 of 15000 = 49.54% -> 49.5% printed, time progress 181/365 = 49.59%
    # -> 49.6%: 15000 x 0.49589 = 7438.4 -> 7439 due, 8 short, 0.1 points: within 0.5 points
    assert progress_status(7431, 15000, 181 / 365, RULES) == ("near", 7439, 8, -0.1)


def test_a_part_of_a_unit_is_still_owed():
    # 11 of 23 (47.8%) against 49.6%: 11.4 due -> 12, 1 short; one unit of 23 is 4.3% of it
    assert progress_status(11, 23, 181 / 365, RULES) == ("lagging", 12, 1, -1.8)
    assert progress_status(16, 35, 0.4958904, RULES)[0:3] == ("lagging", 18, 2)


def test_the_tolerance_is_a_share_of_the_target():
    # 基本符合 is a shortfall small relative to the target: one unit of 15,000 beds, not one of
    # four projects. H1 2018: time progress 181/365 = 49.6% as printed.
    h1 = 181 / 365
    # 1 of 4 (文成县 医养合作): 1.98 -> 2 due, 1 short, 24.6 points below: seriously lagging
    assert progress_status(1, 4, h1, RULES) == ("serious_lag", 2, 1, -24.6)
    # 2 of 6 (文成县 智慧用电): 2.98 -> 3 due, 1 short, 16.3 points below
    assert progress_status(2, 6, h1, RULES) == ("serious_lag", 3, 1, -16.3)
    # 17 of 44 against 40%: 17.6 -> 18 due, 1 short, 1.4 points (a unit is 2.3% of 44)
    assert progress_status(17, 44, 0.4, RULES) == ("lagging", 18, 1, -1.4)
    # 43 of 44 when all is due: 2.3 points
    assert progress_status(43, 44, 1.0, RULES) == ("lagging", 44, 1, -2.3)
    # 15,000 beds against 50%: 60 short is 0.4% of the target, 75 short 0.5% (inclusive),
    # 76 short 0.51%, 100 short 0.67%
    assert progress_status(7440, 15000, 0.5, RULES) == ("near", 7500, 60, -0.4)
    assert progress_status(7425, 15000, 0.5, RULES) == ("near", 7500, 75, -0.5)
    assert progress_status(7424, 15000, 0.5, RULES) == ("lagging", 7500, 76, -0.5)
    assert progress_status(7400, 15000, 0.5, RULES) == ("lagging", 7500, 100, -0.7)
    # decided on the printed 差额, not the gap to the unrounded requirement: 116 of 236
    # against 49.6% is 0.4 points below, but 118 are due and 2 short, 0.85% of the target
    assert progress_status(116, 236, 181 / 365, RULES) == ("lagging", 118, 2, -0.4)
    # one bed short of 15,000 due
    assert progress_status(14999, 15000, 1.0, RULES) == ("near", 15000, 1, 0.0)
    # a target of 1: one unit is all of it (the small-target rule judges it before this one)
    assert progress_status(0, 1, h1, RULES) == ("not_started", 1, 1, -49.6)
    # the tolerance is a parameter
    assert progress_status(43, 44, 1.0, RuleSettings(tolerance_pp=2.5))[0] == "near"


def test_beyond_the_tolerance_is_lagging():
    # 38 of 100 against 40%: 2 short, 2.0 points
    assert progress_status(38, 100, 0.4, RULES) == ("lagging", 40, 2, -2.0)


def test_ten_points_below_is_serious_inclusive():
    # 以上 includes the number: 30.0% against 40.0% is 10.0 points below -> 严重滞后
    assert progress_status(30, 100, 0.4, RULES)[0] == "serious_lag"
    # the 文成县 meal stations: 51 of 170 = 30.0%, 40% due -> 68 due, 17 short
    assert progress_status(51, 170, 0.4, RULES) == ("serious_lag", 68, 17, -10.0)
    # 30.1% is 9.9 points below: lagging
    assert progress_status(301, 1000, 0.4, RULES)[0] == "lagging"
    # the threshold is a parameter
    assert progress_status(30, 100, 0.4, RuleSettings(serious_lag_pp=10.5))[0] == "lagging"


def test_the_decision_uses_the_printed_gap():
    # 0.1 * 3 is 0.30000000000000004: 20 of 100 is exactly 10.0 points below as printed
    assert progress_status(20, 100, 0.1 * 3, RULES)[0] == "serious_lag"
    assert printed_gap(0.4954, 181 / 365) == -0.1


def test_nothing_done_where_something_is_due_is_not_started():
    # 0 of 100 against 40%: 40 due
    assert progress_status(0, 100, 0.4, RULES) == ("not_started", 40, 40, -40.0)
    # 0 of 3 against 50%: 1.5 -> 2 due (half up), 2 short: beyond one unit
    assert progress_status(0, 3, 0.5, RULES)[0] == "not_started"
    # 0 of 3 against 20%: 0.6 -> 1 due, 1 short: a third of the target is owed
    assert progress_status(0, 3, 0.2, RULES)[0] == "not_started"


def test_nothing_due_yet():
    # nothing is due before the requirement starts; 100 x 0.3% = 0.3 -> 1 unit is owed
    assert progress_status(0, 100, 0.0, RULES) == ("not_due", 0, 0, 0.0)
    assert progress_status(1, 100, 0.0, RULES)[0] == "on_track"
    # 1 unit of 100 owed is 1% of the target: beyond the tolerance, and nothing was done
    assert progress_status(0, 100, 0.003, RULES) == ("not_started", 1, 1, -0.3)


def test_done_and_over():
    assert progress_status(100, 100, 0.4, RULES)[0] == "done"
    assert progress_status(146, 100, 1.0, RULES)[0] == "over"


def test_without_tolerance_one_short_is_lagging():
    strict = RuleSettings(tolerance_pp=0.0)
    assert progress_status(39, 100, 0.4, strict)[0] == "lagging"
    # a stage is due whole: 4 of 5 sites is 20 points below, whatever the tolerance
    assert progress_status(4, 5, 1.0, RULES, tolerant=False) == ("serious_lag", 5, 1, -20.0)


# --- deadlines ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("at_deadline", "now", "target", "status"), [
    (10, 10, 10, "on_time"),
    (10, 12, 10, "over"),  # reached by the deadline and exceeded
    (8, 10, 10, "late"),  # reached after the deadline
    (8, 12, 10, "late"),  # late, even if exceeded later
    (8, 9, 10, "unmet"),
])
def test_deadline_status(at_deadline, now, target, status):
    assert deadline_status(at_deadline, now, target) == status


# --- judge: one row of every kind ---------------------------------------------------------------

@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        indicators=[
            Indicator("centres", "镇街中心", "中心", "Centres", "个"),
            Indicator("meals", "助餐服务点", "助餐", "Meal stations", "个"),
            Indicator("beds", "新增机构床位", "床位", "Beds", "张"),
            Indicator("studios", "工作室", "工作室", "Studios", "个"),
            Indicator("subsidies", "补贴人数", "补贴", "Subsidies", "人", kind="stock"),
            Indicator("call", "一键通", "一键通", "One touch", "项", kind="task"),
            Indicator("nursing", "护理型床位占比", "护理占比", "Nursing share", "张", kind="share",
                      numerator="nursing_beds", denominator="all_beds", threshold=0.5),
            Indicator("nursing_beds", "护理型床位数", "护理型床位数", "Nursing beds", "张",
                      kind="measure"),
            Indicator("all_beds", "床位总数", "床位总数", "All beds", "张", kind="measure"),
        ],
        districts=[District("甲区", "Jia", "第一组", 1)],
        milestones=[
            Milestone("centres", D(2018, 6, 30), 1.0, stage="site"),
            Milestone("centres", D(2018, 7, 31), 1.0, stage="renovation"),
            Milestone("centres", D(2018, 11, 30), 1.0),
            Milestone("meals", D(2018, 6, 30), 0.4),
            Milestone("meals", D(2018, 8, 31), 0.7),
            Milestone("meals", D(2018, 11, 30), 1.0),
            Milestone("call", D(2018, 5, 31), 1.0, stage="publicity"),
            Milestone("call", D(2018, 6, 30), 1.0, stage="screening"),
            Milestone("call", D(2018, 12, 31), 1.0, stage="delivery"),
        ],
        stages=[Stage("centres", "site", "选址", "site"),
                Stage("centres", "renovation", "启动装修", "renovation"),
                Stage("call", "publicity", "宣传", "publicity"),
                Stage("call", "screening", "摸底筛选", "screening"),
                Stage("call", "delivery", "服务送达", "delivery")],
    )


def figures(series: dict[tuple[str, str], list[tuple[dt.date, int]]]):
    """value(indicator, stage, date) over hand-made cumulative series."""
    def value(code: str, stage: str, date: dt.date):
        points = [v for d, v in series.get((code, stage), []) if d <= date]
        return points[-1] if points else None
    return value


def test_staged_indicator_is_judged_on_the_stage_due(catalog):
    # 30 June: 选址 of all 5 centres due; 3 chosen -> 2 short: a dated stage not done on its
    # date is 逾期未完成 (no degrees of lag)
    value = figures({("centres", "site"): [(H1, 3)], ("centres", ""): [(H1, 0)]})
    verdict = judge(catalog.indicator("centres"), 5, value, H1, catalog, RULES)
    assert (verdict.basis, verdict.stage, verdict.due_date) == ("stage", "site", H1)
    assert (verdict.due_units, verdict.judged_actual, verdict.shortfall) == (5, 3, 2)
    # reached or not: no gap in points (2 sites short, never "-40.0 points")
    assert (verdict.status, verdict.gap_pp) == ("overdue", None)


def test_staged_indicator_before_its_first_stage(catalog):
    nothing = judge(catalog.indicator("centres"), 5, figures({}), Q1, catalog, RULES)
    assert (nothing.basis, nothing.status, nothing.due_units) == ("stage", "not_due", 0)
    early = figures({("centres", "site"): [(Q1, 1)]})
    assert judge(catalog.indicator("centres"), 5, early, Q1, catalog, RULES).status == "on_track"


def test_complete_stage_is_on_track_even_with_nothing_built(catalog):
    # 30 September: 启动装修 (31 July) is the latest stage due; all 5 started, none built yet
    value = figures({("centres", "renovation"): [(D(2018, 7, 31), 5)]})
    verdict = judge(catalog.indicator("centres"), 5, value, Q3, catalog, RULES)
    assert (verdict.stage, verdict.status, verdict.shortfall) == ("renovation", "on_track", 0)


@pytest.mark.parametrize(("at_deadline", "year_end", "status", "shortfall"), [
    (5, 5, "on_time", 0), (5, 6, "over", 0), (4, 5, "late", 0), (4, 4, "unmet", 1)])
def test_year_end_checks_the_plan_deadline(catalog, at_deadline, year_end, status, shortfall):
    # the centres are due whole on 30 November, not 31 December
    value = figures({("centres", ""): [(D(2018, 11, 30), at_deadline), (FY, year_end)]})
    verdict = judge(catalog.indicator("centres"), 5, value, FY, catalog, RULES)
    assert (verdict.basis, verdict.due_date) == ("deadline", D(2018, 11, 30))
    assert (verdict.status, verdict.shortfall, verdict.due_units) == (status, shortfall, 5)


def test_small_target_is_done_or_not_due(catalog):
    # one studio: judged by its deadline (the year end), never in points
    none = judge(catalog.indicator("studios"), 1, figures({}), H1, catalog, RULES)
    assert (none.basis, none.status, none.due_units, none.shortfall, none.gap_pp) == (
        "small", "not_due", None, None, None)
    assert none.due_date == FY
    done = judge(catalog.indicator("studios"), 1, figures({("studios", ""): [(Q1, 1)]}), H1,
                 catalog, RULES)
    assert done.status == "done"
    missed = judge(catalog.indicator("studios"), 2, figures({("studios", ""): [(Q3, 1)]}), FY,
                   catalog, RULES)
    assert (missed.basis, missed.status, missed.shortfall) == ("deadline", "unmet", 1)
    # a target of 3 is not small: time progress, 3 x 0.4959 = 1.49 -> 2 due
    three = judge(catalog.indicator("studios"), 3, figures({}), H1, catalog, RULES)
    assert (three.basis, three.due_units) == ("time", 2)


def test_time_progress_and_schedule(catalog):
    beds = judge(catalog.indicator("beds"), 15000, figures({("beds", ""): [(H1, 7431)]}), H1,
                 catalog, RULES)
    assert (beds.basis, beds.status, beds.due_units, beds.shortfall) == ("time", "near", 7439, 8)
    assert beds.requirement == pytest.approx(181 / 365)
    # 31 July: 40% + 30% x 31/62 = 55% of 100 -> 55 due
    meals = judge(catalog.indicator("meals"), 100, figures({("meals", ""): [(H1, 50)]}),
                  D(2018, 7, 31), catalog, RULES)
    assert (meals.basis, meals.due_units, meals.shortfall, meals.status) == (
        "schedule", 55, 5, "lagging")


def test_stock_is_judged_against_its_level_at_its_due_date(catalog):
    # a level is due at the year end: 95 of 100 then is below it, short by 5
    below = judge(catalog.indicator("subsidies"), 100, figures({("subsidies", ""): [(Q3, 95)]}),
                  FY, catalog, RULES)
    assert (below.basis, below.status, below.due_units, below.shortfall) == ("level", "below",
                                                                              100, 5)
    met = judge(catalog.indicator("subsidies"), 100, figures({("subsidies", ""): [(Q3, 100)]}),
                FY, catalog, RULES)
    assert met.status == "met"
    # at mid-year the level is not yet due (12 of 12 short was read as 未达标 before): no
    # 应完成数, no 差额, whatever the figure
    early = judge(catalog.indicator("subsidies"), 100, figures({("subsidies", ""): [(Q1, 95)]}),
                  H1, catalog, RULES)
    assert (early.basis, early.status, early.due_units, early.shortfall, early.judged_actual) \
        == ("level", "not_due", None, None, 95)


def test_share_is_judged_against_its_threshold(catalog):
    value = figures({("nursing_beds", ""): [(H1, 48)], ("all_beds", ""): [(H1, 100)]})
    verdict = judge(catalog.indicator("nursing", ), None, value, H1, catalog, RULES)
    # 48 / 100 = 48.0% against 50%: at least 50 needed, 2 short
    assert (verdict.basis, verdict.status, verdict.due_units, verdict.shortfall,
            verdict.gap_pp) == ("threshold", "below", 50, 2, -2.0)
    # 4 of 7 = 57.1% >= 50% (at least 3.5 -> 4)
    seven = figures({("nursing_beds", ""): [(H1, 4)], ("all_beds", ""): [(H1, 7)]})
    assert judge(catalog.indicator("nursing"), None, seven, H1, catalog, RULES).status == "met"
    # an external denominator
    ext = judge(catalog.indicator("nursing"), None, figures({("nursing_beds", ""): [(H1, 4)]}),
                H1, catalog, RULES, denominator=10)
    assert (ext.status, ext.shortfall) == ("below", 1)
    missing = judge(catalog.indicator("nursing"), None, figures({}), H1, catalog, RULES)
    assert missing.status == "no_data"


def test_task_is_followed_by_its_stages(catalog):
    # 30 June: 摸底筛选 due; a task owes one completion per district
    not_done = judge(catalog.indicator("call"), None, figures({}), H1, catalog, RULES)
    assert (not_done.stage, not_done.status, not_done.due_units) == ("screening", "overdue", 1)
    done = judge(catalog.indicator("call"), None,
                 figures({("call", "screening"): [(H1, 1)]}), H1, catalog, RULES)
    assert done.status == "on_track"
    # the year end checks the last stage: 服务送达 by 31 December
    delivered = judge(catalog.indicator("call"), None,
                      figures({("call", "delivery"): [(FY, 1)]}), FY, catalog, RULES)
    assert (delivered.basis, delivered.stage, delivered.status) == ("deadline", "delivery",
                                                                    "on_time")
    # at city level the target is the number of districts: 3 of 4 delivered
    city = judge(catalog.indicator("call"), 4, figures({("call", "delivery"): [(FY, 3)]}), FY,
                 catalog, RULES)
    assert (city.status, city.shortfall) == ("unmet", 1)


def test_no_target(catalog):
    assert judge(catalog.indicator("beds"), 0, figures({}), H1, catalog, RULES).status == \
        "no_target"


# --- the city from its districts (a dated obligation: no netting) -----------------------------

def _district(done: int, target: int, share: float) -> Judgement:
    status, due, short, gap = progress_status(done, target, share, RULES)
    return Judgement("schedule", status, share, "", H1, done, due, short, gap)


def test_every_district_one_short_the_city_says_which():
    # three districts of 44, each 17 of 18 due: each 滞后, and the city 滞后 because of them
    rows = [_district(17, 44, 0.4) for _ in range(3)]
    assert {r.status for r in rows} == {"lagging"}
    base = Judgement("schedule", "on_track", 0.4, "", H1)
    city = city_judgement(rows, [44] * 3, 51, RULES, base)
    assert (city.status, city.judged_actual, city.due_units, city.shortfall) == \
        ("lagging", 51, 54, 3)
    # three districts of 15,000 each 60 short: each 基本符合, so is the city
    rows = [_district(5940, 15000, 0.4) for _ in range(3)]
    assert {r.status for r in rows} == {"near"}
    assert city_judgement(rows, [15000] * 3, 17820, RULES, base).status == "near"


def test_the_city_counts_what_was_done_a_surplus_does_not_cover_a_shortfall():
    # 乐清市-like: 6 of 5 sites (a surplus of 1) beside 3 of 5: the city has done 9, not 8,
    # and is still 2 short (the surplus is not moved to the other district)
    stage = Judgement("stage", "on_track", 1.0, "site", H1)
    rows = [Judgement("stage", "on_track", 1.0, "site", H1, 6, 5, 0, 20.0),
            Judgement("stage", "overdue", 1.0, "site", H1, 3, 5, 2, -40.0)]
    city = city_judgement(rows, [5, 5], 0, RULES, stage)
    assert (city.status, city.judged_actual, city.due_units, city.shortfall, city.gap_pp) == \
        ("overdue", 9, 10, 2, -20.0)


def test_a_node_of_the_schedule_on_its_own_date_is_a_dated_step(catalog):
    # meals on 30 June, the date of the node "40% by 30 June": 43 of 110 (44 due, 1 short, 0.9%
    # of the target) would be 基本符合进度 between nodes; on the node's date it is a step of the
    # plan not reached, 逾期未完成, as the node grid says; reached exactly, 符合进度
    short = judge(catalog.indicator("meals"), 110, figures({("meals", ""): [(H1, 43)]}), H1,
                  catalog, RULES)
    assert (short.basis, short.status, short.due_units, short.shortfall, short.dated) == \
        ("schedule", "overdue", 44, 1, True)
    met = judge(catalog.indicator("meals"), 110, figures({("meals", ""): [(H1, 44)]}), H1,
                catalog, RULES)
    assert (met.status, met.shortfall, met.dated) == ("on_track", 0, True)
    # a day before the node the requirement is interpolated (40% x 180/181 of 110 = 43.76 ->
    # 44 due) and the tolerance applies: 1 short of 110 is 0.9%, beyond 0.5% -> 滞后,
    # within 1% -> 基本符合
    june29 = D(2018, 6, 29)
    early = figures({("meals", ""): [(june29, 43)]})
    before = judge(catalog.indicator("meals"), 110, early, june29, catalog, RULES)
    assert (before.status, before.due_units, before.dated) == ("lagging", 44, False)
    tolerant = RuleSettings(tolerance_pp=1.0)
    assert judge(catalog.indicator("meals"), 110, early, june29, catalog,
                 tolerant).status == "near"
    assert judge(catalog.indicator("meals"), 110, figures({("meals", ""): [(H1, 43)]}),
                 H1, catalog, tolerant).status == "overdue"


def test_the_city_at_a_node_is_as_late_as_its_latest_district(catalog):
    # three districts at the 30 June node: 44 of 44, 43 of 44 (overdue), 50 of 44 (surplus).
    # The city: 137 done, 132 due, 1 short (the surplus pays nobody's debt): 逾期未完成
    value = {44: figures({("meals", ""): [(H1, 44)]}), 43: figures({("meals", ""): [(H1, 43)]}),
             50: figures({("meals", ""): [(H1, 50)]})}
    rows = [judge(catalog.indicator("meals"), 110, value[n], H1, catalog, RULES)
            for n in (44, 43, 50)]
    base = judge(catalog.indicator("meals"), 330, figures({("meals", ""): [(H1, 137)]}), H1,
                 catalog, RULES)
    city = city_judgement(rows, [110] * 3, 137, RULES, base)
    assert (city.status, city.due_units, city.shortfall) == ("overdue", 132, 1)
