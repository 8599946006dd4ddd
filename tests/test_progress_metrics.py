"""Completion, status, ranking and aggregation on tiny hand-made tables; every expected value is
worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers import progress_metrics as pm
from helpers.catalog import Catalog, District, Indicator, Milestone
from helpers.progress_metrics import (
    classify,
    completion,
    district_indicator_table,
    district_scores,
    indicator_summary,
    latest_values,
    rank_within_indicator,
    status_counts,
    timeline,
)

D = dt.date
H1 = D(2018, 6, 30)


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
                        index=index)


# --- completion ---------------------------------------------------------------------------------

def test_completion_is_actual_over_target():
    assert completion(7430, 11680) == pytest.approx(0.636130, abs=1e-6)  # seed 003: 63.6%
    assert completion(146, 100) == pytest.approx(1.46)
    assert completion(0, 50) == 0.0


def test_completion_of_zero_target_is_none_without_dividing():
    assert completion(0, 0) is None
    assert completion(5, 0) is None  # a figure against no target still has no rate
    assert completion(5, 0.0) is None


# --- classify: every boundary -------------------------------------------------------------------

def test_exactly_at_milestone_is_on_track():
    assert classify(40, 100, 0.4, 10) == "on_track"
    assert classify(41, 100, 0.4, 10) == "on_track"


def test_one_unit_below_milestone_is_lagging():
    assert classify(39, 100, 0.4, 10) == "lagging"


def test_exactly_serious_lag_points_below_is_lagging_not_serious():
    # 30/100 = 0.3 against 0.4: (0.3 - 0.4) * 100 is -10.000000000000002 in floating point
    assert (0.3 - 0.4) * 100 != -10  # the rounding case this guards against
    assert classify(30, 100, 0.4, 10) == "lagging"
    # 325/1000 against 0.4 with a threshold of 7.5 points: exactly 7.5 below
    assert classify(325, 1000, 0.4, 7.5) == "lagging"


def test_just_beyond_serious_lag_is_serious():
    assert classify(29, 100, 0.4, 10) == "serious_lag"
    assert classify(299, 1000, 0.4, 10) == "serious_lag"  # 10.1 points below
    assert classify(324, 1000, 0.4, 7.5) == "serious_lag"  # 7.6 points below


def test_zero_target_is_no_target_whatever_the_actual():
    assert classify(0, 0, 0.4, 10) == "no_target"
    assert classify(3, 0, 0.4, 10) == "no_target"


def test_zero_actual_is_not_started():
    assert classify(0, 100, 0.4, 10) == "not_started"
    assert classify(0, 100, 0.0, 10) == "not_started"


def test_exactly_full_is_done_and_above_is_over():
    assert classify(100, 100, 0.4, 10) == "done"
    assert classify(100, 100, 1.0, 10) == "done"
    assert classify(101, 100, 0.4, 10) == "over"
    assert classify(146, 100, 1.0, 10) == "over"


def test_done_survives_float_rounding():
    # (0.1 + 0.2) / 0.3 is 1.0000000000000002 in floating point: still exactly 100%, not over
    assert (0.1 + 0.2) / 0.3 > 1
    assert classify(0.1 + 0.2, 0.3, 0.4, 10) == "done"
    assert classify(1, 1, 0.4, 10) == "done"


@pytest.mark.parametrize(("actual", "target", "milestone"), [
    (40, 100, 0.4),  # 40/100 == 0.4
    (4, 10, 0.4),
    (2, 5, 0.4),
    (7, 10, 0.7),  # 0.7 from a division vs the literal 0.7
    (70, 100, 0.1 + 0.2 + 0.4),  # 0.7000000000000001
    (55, 100, 0.4 + 0.3 * 31 / 62),  # the interpolated 31 July milestone of the meal schedule
    (1, 3, 1 / 3),
    (3, 10, 0.1 * 3),  # 0.30000000000000004
])
def test_float_rounding_at_milestone_counts_as_on_track(actual, target, milestone):
    assert classify(actual, target, milestone, 10) == "on_track"


def test_float_rounding_at_serious_threshold():
    # 0.1*3 == 0.30000000000000004 as milestone; 20/100 is exactly 10 points below it
    assert classify(20, 100, 0.1 * 3, 10) == "lagging"
    assert classify(19, 100, 0.1 * 3, 10) == "serious_lag"


def test_gap_points():
    assert pm.gap_points(None, 0.4) is None
    assert pm.gap_points(0.3, 0.4) == -10.0
    assert pm.gap_points(0.55, 0.4) == pytest.approx(15.0)
    # between the printed percentages: 49.54% -> 49.5%, 181/365 = 49.589% -> 49.6%
    assert pm.gap_points(0.4954, 181 / 365) == -0.1


def test_is_behind():
    assert pm.is_behind("lagging", 0.4)
    assert pm.is_behind("serious_lag", 0.4)
    assert pm.is_behind("not_started", 0.4)
    assert not pm.is_behind("not_started", 0.0)  # nothing due yet
    for status in ("over", "done", "on_track", "no_target"):
        assert not pm.is_behind(status, 0.4)


# --- rank_within_indicator ----------------------------------------------------------------------

def test_rank_ties_share_best_rank_and_no_target_gets_na():
    table = pd.DataFrame({
        "indicator": ["meals", "meals", "meals", "meals", "beds", "beds"],
        "district": ["甲区", "乙区", "丙区", "丁区", "甲区", "乙区"],
        "completion": [0.5, 0.8, 0.5, None, 1.2, None],
    })
    ranks = rank_within_indicator(table)
    # meals: 0.8 -> 1; two 0.5 -> both 2 (min); no target -> NA. beds: 1.2 -> 1; None -> NA
    assert list(ranks.iloc[[0, 1, 2, 4]]) == [2, 1, 2, 1]
    assert ranks.iloc[3] is pd.NA
    assert ranks.iloc[5] is pd.NA
    assert str(ranks.dtype) == "Int64"


def test_rank_after_tie_skips():
    table = pd.DataFrame({"indicator": ["a"] * 4, "completion": [0.9, 0.9, 0.3, 0.95]})
    # 0.95 -> 1; 0.9, 0.9 -> 2, 2; 0.3 -> 4
    assert list(rank_within_indicator(table)) == [2, 2, 4, 1]


def test_rank_all_no_target():
    table = pd.DataFrame({"indicator": ["a", "a"], "completion": [None, None]})
    assert rank_within_indicator(table).isna().all()


# --- district_scores ----------------------------------------------------------------------------

def test_district_scores_cap_over_achievement_at_full():
    table = pd.DataFrame({
        "district": ["甲区", "甲区", "乙区", "乙区", "丙区", "丙区"],
        "completion": [1.5, 0.5, 0.8, 0.8, None, 0.7],
    })
    scores = district_scores(table)
    by = dict(zip(scores["district"], scores["mean_completion"], strict=True))
    # 甲区: (min(1.5, 1) + 0.5) / 2 = 0.75 (uncapped it would be 1.0 and rank first)
    # 乙区: 0.8; 丙区: only its targeted indicator counts: 0.7
    assert by == pytest.approx({"甲区": 0.75, "乙区": 0.8, "丙区": 0.7})
    assert list(scores["district"]) == ["乙区", "甲区", "丙区"]
    assert list(scores["rank"]) == [1, 2, 3]


def test_district_scores_ties_by_rounded_mean():
    table = pd.DataFrame({
        "district": ["甲区", "甲区", "乙区", "丙区"],
        "completion": [0.7, 0.1, 0.4, 0.9],
    })
    # 甲区: (0.7 + 0.1) / 2 is 0.39999999999999997 in floating point: ties with 乙区's 0.4
    scores = district_scores(table)
    ranks = dict(zip(scores["district"], scores["rank"], strict=True))
    assert ranks == {"丙区": 1, "甲区": 2, "乙区": 2}
    assert list(scores["district"]) == ["丙区", "乙区", "甲区"]  # ties by name (乙 U+4E59 < 甲)


# --- latest_values ------------------------------------------------------------------------------

def test_latest_values_picks_latest_on_or_before_date():
    progress = progress_frame([
        ("甲区", "meals", D(2018, 1, 31), 1, "f1"),
        ("甲区", "meals", D(2018, 3, 31), 3, "f3"),
        ("甲区", "meals", D(2018, 2, 28), 2, "f2"),  # out of date order on purpose
        ("甲区", "meals", D(2018, 7, 31), 9, "f7"),  # after the date: ignored
        ("乙区", "meals", D(2018, 1, 31), 5, "g1"),
        ("乙区", "beds", D(2018, 6, 30), 8, "g6"),  # exactly on the date: included
    ])
    latest = latest_values(progress, H1)
    got = {(r.district, r.indicator): (r.as_of, r.value, r.source)
           for r in latest.itertuples(index=False)}
    assert got == {
        ("甲区", "meals"): (D(2018, 3, 31), 3, "f3"),
        ("乙区", "meals"): (D(2018, 1, 31), 5, "g1"),
        ("乙区", "beds"): (D(2018, 6, 30), 8, "g6"),
    }


def test_latest_values_before_any_return_is_empty():
    progress = progress_frame([("甲区", "meals", D(2018, 3, 31), 3, "f3")])
    latest = latest_values(progress, D(2018, 1, 31))
    assert latest.empty
    assert list(latest.columns) == ["district", "indicator", "as_of", "value", "source"]


def test_latest_values_does_not_depend_on_the_frame_index():
    # a frame put together from pieces can carry repeated index labels
    progress = progress_frame([
        ("甲区", "meals", D(2018, 1, 31), 1, "f1"),
        ("甲区", "meals", D(2018, 3, 31), 3, "f3"),
        ("乙区", "meals", D(2018, 3, 31), 5, "g3"),
    ], index=[0, 1, 1])
    latest = latest_values(progress, H1)
    got = sorted((r.district, r.value) for r in latest.itertuples(index=False))
    assert got == [("乙区", 5), ("甲区", 3)]


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
    table = district_indicator_table(allocation, progress, catalog, H1, 10.0)
    assert list(table.columns) == pm.DISTRICT_INDICATOR_COLUMNS
    rows = {(r.district, r.indicator): r for r in table.itertuples(index=False)}
    a = rows[("甲区", "meals")]
    assert (a.target, a.actual, a.as_of, a.status) == (100, 40, D(2018, 6, 30), "on_track")
    assert (a.supervision_group, a.unit, a.indicator_name) == ("第二组", "个", "助餐服务点")
    assert a.milestone == pytest.approx(0.4)
    assert a.target_source == "alloc!甲区meals" and a.actual_source == "p!甲"
    b = rows[("乙区", "meals")]  # 10/50 = 0.2: 20 points below 0.4
    assert (b.actual, b.status, b.gap_pp) == (10, "serious_lag", pytest.approx(-20.0))
    c = rows[("丙区", "meals")]  # no return, no target
    assert (c.actual, c.status, c.actual_source) == (0, "no_target", "")
    assert c.as_of is None and pd.isna(c.completion) and pd.isna(c.rank)
    beds = rows[("甲区", "beds")]  # no schedule: time progress 181/365; 181/365 exactly on it
    assert beds.milestone == pytest.approx(181 / 365)
    assert beds.status == "on_track"
    assert (a.rank, b.rank, beds.rank) == (1, 2, 1)


def test_district_indicator_table_missing_return_is_not_started(catalog):
    allocation = allocation_frame([("甲区", "meals", 100)])
    progress = progress_frame([("乙区", "meals", D(2018, 6, 30), 10, "x")])
    table = district_indicator_table(allocation, progress, catalog, H1, 10.0)
    row = table.iloc[0]
    assert (row["actual"], row["status"], row["actual_source"]) == (0, "not_started", "")
    assert row["as_of"] is None


def test_district_indicator_table_subset(catalog):
    allocation = allocation_frame([("甲区", "meals", 100), ("乙区", "meals", 50)])
    progress = progress_frame([("甲区", "meals", D(2018, 6, 30), 40, "x"),
                               ("乙区", "meals", D(2018, 6, 30), 40, "y")])
    table = district_indicator_table(allocation, progress, catalog, H1, 10.0, ["乙区"])
    assert list(table["district"]) == ["乙区"]


# --- indicator_summary and status_counts --------------------------------------------------------

def summary_input() -> pd.DataFrame:
    """A district x indicator table by hand (only the columns the summary reads)."""
    return pd.DataFrame([
        # district, indicator, target, actual, milestone, status
        ("甲区", "beds", 200, 100, 181 / 365, "on_track"),
        ("乙区", "beds", 100, 0, 181 / 365, "not_started"),
        ("甲区", "meals", 100, 50, 0.4, "on_track"),
        ("乙区", "meals", 100, 20, 0.4, "serious_lag"),
        ("丙区", "meals", 0, 0, 0.4, "no_target"),
        ("丙区", "other", 5, 5, 0.4, "done"),  # not in the catalogue: not summarised
    ], columns=["district", "indicator", "target", "actual", "milestone", "status"])


def test_indicator_summary_sums_districts(catalog):
    summary = indicator_summary(summary_input(), catalog, H1, 10.0)
    assert list(summary.columns) == pm.SUMMARY_COLUMNS
    # catalogue order (meals before beds), indicators absent from the catalogue left out
    assert list(summary["indicator"]) == ["meals", "beds"]
    meals = summary.iloc[0]
    # meals: target 100 + 100 + 0 = 200, actual 50 + 20 + 0 = 70, rate 0.35, 5 points below 0.4
    assert (meals["target"], meals["actual"]) == (200, 70)
    assert meals["completion"] == pytest.approx(0.35)
    assert meals["gap_pp"] == pytest.approx(-5.0)
    assert meals["status"] == "lagging"
    assert meals["districts_lagging"] == 1  # 乙区 only; 丙区 has no target
    assert (meals["unit"], meals["indicator_name"]) == ("个", "助餐服务点")
    beds = summary.iloc[1]
    # beds: 300 target, 100 actual = 0.3333 vs 181/365 = 0.4959: 16.3 points below -> serious
    assert (beds["target"], beds["actual"]) == (300, 100)
    assert beds["completion"] == pytest.approx(1 / 3)
    assert beds["milestone"] == pytest.approx(181 / 365)
    assert beds["status"] == "serious_lag"
    assert beds["districts_lagging"] == 1  # not started with something due counts


def test_indicator_summary_zero_target_has_no_rate(catalog):
    table = pd.DataFrame([("甲区", "meals", 0, 0, 0.4, "no_target"),
                          ("乙区", "meals", 0, 0, 0.4, "no_target")],
                         columns=["district", "indicator", "target", "actual", "milestone",
                                  "status"])
    summary = indicator_summary(table, catalog, H1, 10.0)
    row = summary.iloc[0]
    assert row["completion"] is None or pd.isna(row["completion"])
    assert row["gap_pp"] is None or pd.isna(row["gap_pp"])
    assert row["status"] == "no_target"
    assert row["districts_lagging"] == 0


def test_status_counts():
    summary = pd.DataFrame({
        "status": ["over", "done", "on_track", "lagging", "serious_lag", "not_started",
                   "not_started", "no_target"],
        "milestone": [0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.0, 0.4],
    })
    # done counts over too; a not-started indicator with nothing due yet is on track;
    # no target is left out, so done + on_track + behind == total
    assert status_counts(summary) == {"done": 2, "on_track": 2, "behind": 3, "total": 7}


def test_status_counts_empty():
    summary = pd.DataFrame({"status": [], "milestone": []})
    assert status_counts(summary) == {"done": 0, "on_track": 0, "behind": 0, "total": 0}


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
