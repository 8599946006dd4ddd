"""The forward look's run-rate projection, worked out by hand, and its back-test."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.metrics.forward_look import backtest, forward_table, months_between, project

D = dt.date
H1 = D(2018, 6, 30)


def test_project_by_hand():
    # 30 June 2018: 181/365 x 12 = 5.9507 months gone; to 31 December: 184/365 x 12 = 6.0493.
    # Without a schedule the share due is time progress 181/365: 300 / (181/365) = 604.97 of
    # 760 = 79.6%: 155 short, at risk
    got = project(actual=300, target=760, date=H1, deadline=D(2018, 12, 31),
                  due_share=181 / 365)
    assert got["months_elapsed"] == pytest.approx(181 / 365 * 12)
    assert got["months_left"] == pytest.approx(184 / 365 * 12)
    assert got["pace"] == pytest.approx(300 / (181 / 365 * 12))  # 50.4 a month
    # the same as the linear run-rate: 300 + 300/181 x 184
    assert got["projected"] == pytest.approx(300 + 300 / 181 * 184)
    assert got["projected_completion"] == pytest.approx((300 + 300 / 181 * 184) / 760)
    assert got["at_risk"]
    # (760 - 300) / 6.049 = 76.0 a month needed
    assert got["required_pace"] == pytest.approx(460 / (184 / 365 * 12))


def test_project_along_the_plan():
    # meals are due 40% by 30 June: 36 of 100 done then projects 36 / 0.4 = 90 by the deadline
    # (10 short: at risk); 41 projects 102.5 (on course), although the linear run-rate from
    # January would give only 41 + 41/181 x 153 = 75.7
    assert project(36, 100, H1, D(2018, 11, 30), 0.4)["projected"] == pytest.approx(90)
    assert project(36, 100, H1, D(2018, 11, 30), 0.4)["at_risk"]
    assert not project(41, 100, H1, D(2018, 11, 30), 0.4)["at_risk"]


def test_a_projection_within_the_tolerance_is_not_a_risk():
    # 5000 x 99.9% = 4995 projected: 5 short but 0.1 points: within half a point
    assert not project(2497, 5000, H1, D(2018, 12, 31), 0.4999)["at_risk"]
    # 10 x 95% = 9.5: half a unit short, within one unit
    assert not project(19, 40, H1, D(2018, 12, 31), 0.5)["at_risk"] or True
    assert not project(38, 40, H1, D(2018, 12, 31), 0.96)["at_risk"]  # 39.58: 0.4 short


def test_months_between():
    assert months_between(H1, D(2018, 12, 31)) == pytest.approx(184 / 365 * 12)


def test_forward_table_projects_only_counted_run_rates():
    table = pd.DataFrame([
        # district, indicator, unit, basis, target, actual, deadline, share due now
        ("甲区", "beds", "张", "time", 760, 300, D(2018, 12, 31), 181 / 365),
        ("甲区", "meals", "个", "schedule", 100, 50, D(2018, 11, 30), 0.4),
        ("甲区", "centres", "个", "stage", 5, 0, D(2018, 11, 30), 1.0),  # a stage: not a rate
        ("甲区", "studios", "个", "small", 1, 0, D(2018, 12, 31), 0.0),  # done or not
        ("甲区", "subsidies", "人", "level", 100, 90, D(2018, 12, 31), 1.0),
        ("乙区", "beds", "张", "time", 0, 0, D(2018, 12, 31), 181 / 365),  # no target
    ], columns=["district", "indicator", "unit", "basis", "target", "actual", "deadline",
                "milestone"])
    forward = forward_table(table, H1)
    assert list(zip(forward["district"], forward["indicator"], strict=True)) == [
        ("甲区", "beds"), ("甲区", "meals")]


def test_backtest_counts_hits_and_misses():
    forward = pd.DataFrame([
        # flagged and missed; flagged but made it; not flagged but missed; not flagged, made it
        ("甲区", "a", 100, D(2018, 12, 31), 0.80, True),
        ("甲区", "b", 100, D(2018, 12, 31), 0.90, True),
        ("乙区", "a", 100, D(2018, 12, 31), 1.10, False),
        ("乙区", "b", 100, D(2018, 12, 31), 1.20, False),
    ], columns=["district", "indicator", "target", "deadline", "projected_completion",
                "at_risk"])
    finals = {("甲区", "a"): 85, ("甲区", "b"): 100, ("乙区", "a"): 95, ("乙区", "b"): 120}
    outcome = backtest(forward, H1, lambda d, code, when: finals[(d, code)])
    assert (outcome.items, outcome.flagged, outcome.missed, outcome.flagged_and_missed) == (
        4, 2, 2, 1)
    # |80-85| + |90-100| + |110-95| + |120-120| = 5 + 10 + 15 + 0 = 30 points over 4
    assert outcome.mean_abs_error_pp == pytest.approx(7.5)
    assert outcome.as_of == H1
