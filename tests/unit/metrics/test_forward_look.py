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
    # 760, 604 whole units = 79.5%: 156 short, at risk. Counts are whole units.
    got = project(actual=300, target=760, date=H1, deadline=D(2018, 12, 31),
                  due_share=181 / 365)
    assert got["months_elapsed"] == pytest.approx(181 / 365 * 12)
    assert got["months_left"] == pytest.approx(184 / 365 * 12)
    assert got["pace"] == 51  # 300 / 5.95 = 50.4 a month, rounded up as every pace
    # the linear run-rate 300 + 300/181 x 184 = 604.97, rounded down: 604
    assert got["projected"] == 604
    assert got["projected_completion"] == pytest.approx(604 / 760)
    assert got["at_risk"]
    # (760 - 300) / 6.049 = 76.04 a month needed: 77, rounded up (a part of a unit is owed)
    assert got["required_pace"] == 77


def test_project_along_the_plan():
    # meals are due 40% by 30 June: 36 of 100 done then projects 36 / 0.4 = 90 by the deadline
    # (10 short: at risk); 41 projects 102.5 (on course), although the linear run-rate from
    # January would give only 41 + 41/181 x 153 = 75.7
    assert project(36, 100, H1, D(2018, 11, 30), 0.4)["projected"] == pytest.approx(90)
    assert project(36, 100, H1, D(2018, 11, 30), 0.4)["at_risk"]
    assert not project(41, 100, H1, D(2018, 11, 30), 0.4)["at_risk"]


def test_a_projection_within_the_tolerance_is_not_a_risk():
    # 2497 / 0.4999 = 4995.0 projected of 5000: 5 short, 0.1 points: within half a point
    assert not project(2497, 5000, H1, D(2018, 12, 31), 0.4999)["at_risk"]
    # 2485 / 0.5 = 4970: 0.6 points short: at risk, as the status rule would say 滞后
    assert project(2485, 5000, H1, D(2018, 12, 31), 0.5)["at_risk"]


def test_the_risk_threshold_is_the_status_tolerance_at_every_size():
    # the old unit threshold flagged 98.9% and 99.1% but passed 96.4% (27 of 28): every
    # projection more than half a point of its target short is a risk now, none within
    deadline = D(2018, 12, 31)
    assert project(27, 56, H1, deadline, 0.5)["at_risk"]  # 54 of 56 = 96.4%
    assert project(178, 360, H1, deadline, 0.5)["at_risk"]  # 356 of 360 = 98.9%
    assert project(1784, 3600, H1, deadline, 0.5)["at_risk"]  # 3568 of 3600 = 99.1%
    assert not project(1794, 3600, H1, deadline, 0.5)["at_risk"]  # 3588 = 99.7%
    # 39.58 projected of 40 is 39 whole units: 97.5%, at risk
    assert project(38, 40, H1, deadline, 0.96)["at_risk"]


def test_counts_are_whole_units():
    # 1 of 12 at 30 June: 0.17 a month achieved is a pace of 1 (rounded up: never "0" where
    # something was done), 11 left over 6.05 months needs 1.8 -> 2 a month; 1 / 0.496 = 2.02
    # -> 2 projected; nothing done is a pace of 0
    got = project(1, 12, H1, D(2018, 12, 31), 181 / 365)
    assert (got["pace"], got["required_pace"], got["projected"]) == (1, 2, 2)
    assert project(0, 12, H1, D(2018, 12, 31), 181 / 365)["pace"] == 0
    # the city's beds at mid-year: 7599 in 5.95 months is 1276.99 a month: 1277
    assert project(7599, 15000, H1, D(2018, 12, 31), 181 / 365)["pace"] == 1277
    assert all(isinstance(got[k], int) for k in ("pace", "required_pace", "projected"))
    # 40 / 0.4 is 99.99999999999999 in binary: still 100 projected
    assert project(40, 100, H1, D(2018, 11, 30), 0.4)["projected"] == 100


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
