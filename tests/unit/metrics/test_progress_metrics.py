"""Completion, status, ranking and aggregation on tiny hand-made tables; every expected value is
worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.core.parameters import RuleSettings
from helpers.ingest.catalog import Catalog, District, Indicator, Milestone
from helpers.metrics import progress as pm
from helpers.metrics.progress import (
    FigureIndex,
    completion,
    district_indicator_table,
    indicator_summary,
    rank_within_indicator,
    status_counts,
    tied,
    timeline,
)

D = dt.date
H1 = D(2018, 6, 30)
RULES = RuleSettings()


@pytest.fixture
def catalog() -> Catalog:
    """Two indicators (one with the 0.4/0.7/1.0 schedule, one on time progress), three
    districts in two supervision groups."""
    return Catalog(
        indicators=[
            Indicator("meals", "助餐服务点", "助餐", "Meal stations", "个"),
            Indicator("beds", "新增机构床位", "床位", "Beds", "张"),
        ],
        districts=[
            District("甲区", "Jia", "第二组", 1),
            District("乙区", "Yi", "第一组", 2),
            District("丙区", "Bing", "第一组", 3),
        ],
        milestones=[
            Milestone("meals", D(2018, 6, 30), 0.4),
            Milestone("meals", D(2018, 8, 31), 0.7),
            Milestone("meals", D(2018, 11, 30), 1.0),
        ],
    )


def progress_frame(rows, index=None) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["district", "indicator", "as_of", "value", "source"],
                        index=index).assign(stage="")


# --- completion ---------------------------------------------------------------------------------

def test_completion_is_actual_over_target():
    assert completion(7430, 11680) == pytest.approx(0.636130, abs=1e-6)  # seed 003: 63.6%
    assert completion(146, 100) == pytest.approx(1.46)
    assert completion(0, 50) == 0.0


def test_completion_of_zero_target_is_none_without_dividing():
    assert completion(0, 0) is None
    assert completion(5, 0) is None  # a figure against no target still has no rate
    assert completion(5, 0.0) is None


def test_is_behind():
    for status in ("lagging", "serious_lag", "not_started", "below", "unmet", "overdue"):
        assert pm.is_behind(status)
    for status in ("over", "done", "on_track", "near", "met", "on_time", "late", "not_due",
                   "no_target", "no_data"):
        assert not pm.is_behind(status)


# --- rank_within_indicator ----------------------------------------------------------------------

def judged_on_time(table: pd.DataFrame, **columns) -> pd.DataFrame:
    """`table` as rows judged against time progress (whose ranks mean something), unless
    `columns` say otherwise."""
    defaults = {"basis": "time", "kind": "count", "stage": "", "due_units": 10, "milestone": 0.5,
                "status": "on_track"}
    return table.assign(**{**defaults, **columns})


def test_rank_ties_share_best_rank_and_no_target_gets_na():
    table = pd.DataFrame({
        "indicator": ["meals", "meals", "meals", "meals", "beds", "beds"],
        "district": ["甲区", "乙区", "丙区", "丁区", "甲区", "乙区"],
        "completion": [0.5, 0.8, 0.5, None, 1.2, None],
    })
    ranks = rank_within_indicator(judged_on_time(table))
    # meals: 0.8 -> 1; two 0.5 -> both 2 (min); no target -> NA. beds: 1.2 -> 1; None -> NA
    assert list(ranks.iloc[[0, 1, 2, 4]]) == [2, 1, 2, 1]
    assert ranks.iloc[3] is pd.NA
    assert ranks.iloc[5] is pd.NA
    assert str(ranks.dtype) == "Int64"


def test_an_item_not_yet_due_takes_no_rank():
    # a level judged only at the year end (未到期 at mid-year) is not ranked, as the 通报
    # leaves it out; the others keep their places among themselves
    table = pd.DataFrame({"indicator": ["subsidy"] * 3, "district": ["甲区", "乙区", "丙区"],
                          "completion": [0.9, 0.95, 0.8]})
    ranks = rank_within_indicator(judged_on_time(table, basis="level", status="not_due"))
    assert ranks.isna().all()
    mixed = judged_on_time(table).assign(status=["on_track", "not_due", "lagging"])
    assert list(rank_within_indicator(mixed).astype(object)) == [1, pd.NA, 2]


def test_rank_ties_as_printed():
    table = pd.DataFrame({"indicator": ["a"] * 3, "district": ["甲区", "乙区", "丙区"],
                          "completion": [0.4954, 0.4951, 0.4949]})
    # 49.5%, 49.5% and 49.5% printed: one shared rank, said to be shared
    assert list(rank_within_indicator(judged_on_time(table))) == [1, 1, 1]
    ranked = table.assign(rank=rank_within_indicator(judged_on_time(table)))
    assert list(tied(ranked)) == [True, True, True]


def test_tied_only_where_a_rank_is_shared():
    table = pd.DataFrame({"indicator": ["a", "a", "a", "b"],
                          "district": ["甲区", "乙区", "丙区", "甲区"],
                          "rank": pd.array([1, 2, 2, pd.NA], dtype="Int64")})
    assert list(tied(table)) == [False, True, True, False]


def test_rank_after_tie_skips():
    table = pd.DataFrame({"indicator": ["a"] * 4, "completion": [0.9, 0.9, 0.3, 0.95]})
    # 0.95 -> 1; 0.9, 0.9 -> 2, 2; 0.3 -> 4
    assert list(rank_within_indicator(judged_on_time(table))) == [2, 2, 4, 1]


def test_a_rank_that_says_nothing_is_not_given_and_takes_no_place():
    # 丙区's stage and 丁区's one-studio task print "—" in every output: no rank in the CSV
    # or the workbook either, and 乙区 is second of two, not third of four
    table = judged_on_time(pd.DataFrame({
        "indicator": ["a"] * 4, "district": ["甲区", "乙区", "丙区", "丁区"],
        "completion": [0.9, 0.5, 1.0, 1.0]}))
    table.loc[2, ["basis", "stage"]] = ["stage", "site"]
    table.loc[3, ["basis", "due_units"]] = ["small", 1]
    ranks = rank_within_indicator(table)
    assert list(ranks.iloc[:2]) == [1, 2]
    assert ranks.iloc[2:].isna().all()


def test_a_share_of_a_few_percent_ranks_on_its_two_decimals():
    # 3.02% and 3.03% print apart: two ranks, not "1（并列）" twice
    table = judged_on_time(pd.DataFrame({"indicator": ["s"] * 3,
                                         "completion": [0.0302, 0.0303, 0.0277]}),
                           kind="share", basis="threshold", milestone=0.028)
    assert list(rank_within_indicator(table)) == [2, 1, 3]


def test_half_up_ranks_apart_what_prints_apart():
    # 51.25% prints 51.3%, 51.24% prints 51.2%: two ranks, as the reader sees two figures
    table = judged_on_time(pd.DataFrame({"indicator": ["a"] * 2, "completion": [0.5125, 0.5124]}))
    assert list(rank_within_indicator(table)) == [1, 2]


def test_rank_all_no_target():
    table = pd.DataFrame({"indicator": ["a", "a"], "completion": [None, None]})
    assert rank_within_indicator(judged_on_time(table)).isna().all()


# --- FigureIndex: the latest figure on or before a date ----------------------------------------

def test_figure_index_picks_latest_on_or_before_date(catalog):
    progress = progress_frame([
        ("甲区", "meals", D(2018, 1, 31), 1, "f1"),
        ("甲区", "meals", D(2018, 3, 31), 3, "f3"),
        ("甲区", "meals", D(2018, 2, 28), 2, "f2"),  # out of date order on purpose
        ("甲区", "meals", D(2018, 7, 31), 9, "f7"),  # after the date: ignored
        ("乙区", "meals", D(2018, 1, 31), 5, "g1"),
        ("乙区", "beds", D(2018, 6, 30), 8, "g6"),  # exactly on the date: included
    ], index=[0, 1, 1, 2, 3, 4])  # a frame put together from pieces: repeated index labels
    index = FigureIndex(progress, catalog, 2018)
    assert index.figure("甲区", "meals", "", H1) == pm.Figure(3, D(2018, 3, 31), "f3")
    assert index.figure("乙区", "meals", "", H1) == pm.Figure(5, D(2018, 1, 31), "g1")
    assert index.figure("乙区", "beds", "", H1) == pm.Figure(8, D(2018, 6, 30), "g6")
    assert index.figure("甲区", "meals", "", D(2018, 1, 30)) is None  # before any return
    assert index.value("丙区", "meals", "", H1) is None
    assert index.city_value(["甲区", "乙区", "丙区"], "meals", "", H1) == 8
    assert index.city_value(["丙区"], "meals", "", H1) is None
    assert index.first_reaching("甲区", "meals", "", 2, H1) == D(2018, 2, 28)
    assert index.first_reaching("甲区", "meals", "", 9, H1) is None  # reached only in July


# --- district_indicator_table -------------------------------------------------------------------

def allocation_frame(rows) -> pd.DataFrame:
    return pd.DataFrame([(d, i, t, f"alloc!{d}{i}") for d, i, t in rows],
                        columns=["district", "indicator", "target", "source"])


def test_district_indicator_table_rows(catalog):
    allocation = allocation_frame([("甲区", "meals", 100), ("乙区", "meals", 50),
                                   ("丙区", "meals", 0), ("甲区", "beds", 365)])
    progress = progress_frame([
        ("甲区", "meals", D(2018, 6, 30), 40, "p!甲"),
        ("乙区", "meals", D(2018, 5, 31), 10, "p!乙"),
        ("甲区", "beds", D(2018, 6, 30), 181, "p!beds"),
    ])
    table = district_indicator_table(allocation, progress, catalog, H1, RULES)
    assert list(table.columns) == pm.DISTRICT_INDICATOR_COLUMNS
    rows = {(r.district, r.indicator): r for r in table.itertuples(index=False)}
    a = rows[("甲区", "meals")]
    assert (a.target, a.actual, a.as_of, a.status) == (100, 40, D(2018, 6, 30), "on_track")
    assert (a.supervision_group, a.unit, a.indicator_name) == ("第二组", "个", "助餐服务点")
    assert (a.basis, a.due_units, a.shortfall, a.judged_actual) == ("schedule", 40, 0, 40)
    assert a.milestone == pytest.approx(0.4)
    assert a.target_source == "alloc!甲区meals" and a.actual_source == "p!甲"
    assert a.judged_source == "p!甲" and a.deadline == D(2018, 11, 30)
    # 10/50 = 0.2: 20 points below the node of 40% due on the report date, 20 due, 10 short:
    # the node is a dated step, 逾期未完成 (as the node grid says), not 严重滞后
    b = rows[("乙区", "meals")]
    assert (b.actual, b.status, b.gap_pp) == (10, "overdue", pytest.approx(-20.0))
    assert (b.due_units, b.shortfall) == (20, 10)
    c = rows[("丙区", "meals")]  # no return, no target
    assert (c.actual, c.status, c.actual_source) == (0, "no_target", "")
    assert c.as_of is None and pd.isna(c.completion) and pd.isna(c.rank)
    beds = rows[("甲区", "beds")]  # no schedule: time progress 181/365 of 365 is 181 due (in
    # floating point a hair above it, which is not a part of a bed)
    assert beds.milestone == pytest.approx(181 / 365)
    assert (beds.basis, beds.status, beds.due_units) == ("time", "on_track", 181)
    assert (a.rank, b.rank, beds.rank) == (1, 2, 1)


def test_district_indicator_table_missing_return_is_not_started(catalog):
    allocation = allocation_frame([("甲区", "meals", 100)])
    progress = progress_frame([("乙区", "meals", D(2018, 5, 31), 10, "x")])
    # 31 May, between nodes: 40% x 151/181 days of the way to 30 June = 33.4% -> 34 due
    table = district_indicator_table(allocation, progress, catalog, D(2018, 5, 31), RULES)
    row = table.iloc[0]
    assert (row["actual"], row["status"], row["actual_source"]) == (0, "not_started", "")
    assert (row["due_units"], row["shortfall"]) == (34, 34)
    assert row["as_of"] is None
    # on the node's own date nothing reported is a node missed
    table = district_indicator_table(allocation, progress, catalog, H1, RULES)
    row = table.iloc[0]
    assert (row["status"], row["due_units"], row["shortfall"]) == ("overdue", 40, 40)


def test_district_indicator_table_subset(catalog):
    allocation = allocation_frame([("甲区", "meals", 100), ("乙区", "meals", 50)])
    progress = progress_frame([("甲区", "meals", D(2018, 6, 30), 40, "x"),
                               ("乙区", "meals", D(2018, 6, 30), 40, "y")])
    table = district_indicator_table(allocation, progress, catalog, H1, RULES, ["乙区"])
    assert list(table["district"]) == ["乙区"]


# --- indicator_summary and status_counts --------------------------------------------------------

def test_indicator_summary_sums_districts(catalog):
    allocation = allocation_frame([("甲区", "beds", 200), ("乙区", "beds", 100),
                                   ("甲区", "meals", 100), ("乙区", "meals", 100),
                                   ("丙区", "meals", 0)])
    progress = progress_frame([("甲区", "beds", H1, 100, "x"), ("甲区", "meals", H1, 50, "y"),
                               ("乙区", "meals", H1, 20, "z")])
    index = FigureIndex(progress, catalog, 2018)
    table = district_indicator_table(allocation, progress, catalog, H1, RULES, index=index)
    summary = indicator_summary(table, catalog, H1, RULES, index)
    assert list(summary.columns) == pm.SUMMARY_COLUMNS
    assert list(summary["indicator"]) == ["meals", "beds"]  # catalogue order
    meals = summary.iloc[0]
    # meals follow the plan's dates, so each district owes its own 40%: 甲区 40 due, 50 done
    # (its 10 extra do not count for 乙区); 乙区 40 due, 20 done, 20 short. City: 80 due, 70
    # done, 20 short (the sum of the districts' 差额); the node of 30 June is a dated step:
    # the city is as late as its latest district, 逾期未完成
    assert (meals["target"], meals["actual"], meals["due_units"], meals["shortfall"]) == (
        200, 70, 80, 20)
    assert meals["judged_actual"] == 70  # what the districts did, as their rows add up
    assert meals["completion"] == pytest.approx(0.35)  # the total, as done
    assert (meals["gap_pp"], meals["status"]) == (-10.0, "overdue")
    assert meals["districts_behind"] == 1  # 乙区 20/100 = 20% (overdue); 丙区 has no target
    assert (meals["districts_judged"], meals["district_shortfall"]) == (2, 20)
    beds = summary.iloc[1]
    # beds have no schedule: the city total against time progress: 100 of 300 = 33.3% vs
    # 49.6%: 300 x 181/365 = 148.8 -> 149 due, 49 short -> serious; 乙区 owes 50, not started
    assert (beds["target"], beds["actual"], beds["due_units"], beds["shortfall"]) == (
        300, 100, 149, 49)
    assert beds["status"] == "serious_lag"
    assert (beds["districts_behind"], beds["district_shortfall"]) == (1, 50)


def test_a_district_surplus_never_pays_another_district_debt(catalog):
    # meals at the 30 November deadline: 甲区 120 of 100, 乙区 80 of 100. The total (200 of
    # 200) is reached, but 乙区 owes 20: the city has not met the plan
    allocation = allocation_frame([("甲区", "meals", 100), ("乙区", "meals", 100)])
    progress = progress_frame([("甲区", "meals", D(2018, 11, 30), 120, "a"),
                               ("乙区", "meals", D(2018, 11, 30), 80, "b")])
    index = FigureIndex(progress, catalog, 2018)
    fy = D(2018, 12, 31)
    table = district_indicator_table(allocation, progress, catalog, fy, RULES, index=index)
    meals = indicator_summary(table, catalog, fy, RULES, index).iloc[0]
    assert (meals["actual"], meals["completion"]) == (200, 1.0)
    assert (meals["basis"], meals["status"], meals["shortfall"]) == ("deadline", "unmet", 20)
    # time-progress indicators are judged on the total: beds 120 + 80 of 200 by the year end
    allocation = allocation_frame([("甲区", "beds", 100), ("乙区", "beds", 100)])
    progress = progress_frame([("甲区", "beds", fy, 130, "a"), ("乙区", "beds", fy, 80, "b")])
    index = FigureIndex(progress, catalog, 2018)
    table = district_indicator_table(allocation, progress, catalog, fy, RULES, index=index)
    beds = indicator_summary(table, catalog, fy, RULES, index).iloc[0]
    assert (beds["status"], beds["districts_behind"], beds["district_shortfall"]) == (
        "over", 1, 20)


def test_small_targets_everywhere_make_a_small_city_row(catalog):
    # one studio per district (beds stands in): nothing is due before the year end anywhere,
    # so the city is not due either, never 'behind time progress'
    allocation = allocation_frame([("甲区", "beds", 1), ("乙区", "beds", 1), ("丙区", "beds", 2)])
    progress = progress_frame([("甲区", "beds", H1, 1, "a")])
    index = FigureIndex(progress, catalog, 2018)
    table = district_indicator_table(allocation, progress, catalog, H1, RULES, index=index)
    beds = indicator_summary(table, catalog, H1, RULES, index).iloc[0]
    assert (beds["basis"], beds["status"], beds["districts_behind"]) == ("small", "not_due", 0)
    # nothing is owed yet: no 应完成数 or 差额 (the tables print "—", the CSV leaves it blank)
    assert pd.isna(beds["due_units"]) and pd.isna(beds["shortfall"])
    waiting = table[table["status"] == "not_due"]  # 乙区, 丙区 (甲区 is done: 1 of 1 due)
    assert list(waiting["district"]) == ["乙区", "丙区"]
    assert waiting["due_units"].isna().all() and waiting["shortfall"].isna().all()


def test_indicator_summary_zero_target_has_no_rate(catalog):
    allocation = allocation_frame([("甲区", "meals", 0), ("乙区", "meals", 0)])
    progress = progress_frame([])
    index = FigureIndex(progress, catalog, 2018)
    table = district_indicator_table(allocation, progress, catalog, H1, RULES, index=index)
    row = indicator_summary(table, catalog, H1, RULES, index).iloc[0]
    assert pd.isna(row["completion"]) and pd.isna(row["gap_pp"])
    assert row["status"] == "no_target"
    assert row["districts_behind"] == 0


def test_status_counts_follow_the_vocabulary():
    frame = pd.DataFrame({"status": ["over", "done", "on_track", "near", "lagging", "lagging",
                                     "no_target"]})
    counts = status_counts(frame)
    from helpers.core.statuses import STATUSES

    assert list(counts) == list(STATUSES)
    assert (counts["over"], counts["near"], counts["lagging"], counts["no_target"],
            counts["serious_lag"]) == (1, 1, 2, 1, 0)
    assert sum(counts.values()) == 7


# --- timeline -----------------------------------------------------------------------------------

def test_timeline_carries_last_figure_of_a_skipped_date(catalog):
    allocation = allocation_frame([("甲区", "meals", 100), ("乙区", "meals", 100)])
    progress = progress_frame([
        ("甲区", "meals", D(2018, 1, 31), 10, "a1"),
        ("甲区", "meals", D(2018, 2, 28), 20, "a2"),
        ("甲区", "meals", D(2018, 3, 31), 30, "a3"),
        ("乙区", "meals", D(2018, 1, 31), 5, "b1"),
        # 乙区 skipped 28 February
        ("乙区", "meals", D(2018, 3, 31), 15, "b3"),
        ("乙区", "meals", D(2018, 4, 30), 99, "b4"),  # after the date: not shown
    ])
    line = timeline(allocation, progress, catalog, D(2018, 3, 31))
    assert list(line["as_of"]) == [D(2018, 1, 31), D(2018, 2, 28), D(2018, 3, 31)]
    # 31 Jan: 10 + 5; 28 Feb: 20 + 5 (carried); 31 Mar: 30 + 15
    assert list(line["actual"]) == [15, 25, 45]
    assert list(line["target"]) == [200, 200, 200]
    assert list(line["completion"]) == pytest.approx([0.075, 0.125, 0.225])
    # milestone before 30 June: 0.4 * days / 181 (31, 59, 90 days)
    assert list(line["milestone"]) == pytest.approx([0.4 * 31 / 181, 0.4 * 59 / 181,
                                                     0.4 * 90 / 181])


def test_timeline_district_subset_and_untargeted_indicator(catalog):
    allocation = allocation_frame([("甲区", "meals", 100), ("乙区", "meals", 100)])
    progress = progress_frame([
        ("甲区", "meals", D(2018, 1, 31), 10, "a1"),
        ("乙区", "meals", D(2018, 1, 31), 5, "b1"),
    ])
    line = timeline(allocation, progress, catalog, H1, ["乙区"])
    # only 乙区 counts; beds has no allocation row at all so it is not in the timeline
    assert list(line["indicator"]) == ["meals"]
    assert (line.iloc[0]["target"], line.iloc[0]["actual"]) == (100, 5)


def test_isnan():
    assert pm.isnan(None) and pm.isnan(float("nan")) and pm.isnan(pd.NA)
    assert not pm.isnan(0) and not pm.isnan(0.0) and not pm.isnan("")
