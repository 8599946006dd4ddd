"""Milestone interpolation and time progress; expected values are worked out by hand from day
counts (2018 is not a leap year: 365 days, 2020 is: 366)."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.core.paths import RAW_DIR
from helpers.ingest.catalog import Milestone, load_catalog
from helpers.metrics.milestones import (
    milestone_share,
    step_share,
    time_progress,
    units_at_least,
    units_due,
    value_requirement,
)

D = dt.date

# seed 000, 实施步骤2: 40% by 30 June, 70% by 31 August, 100% by 30 November
MEAL = [
    Milestone("meal_service_stations", D(2018, 6, 30), 0.4),
    Milestone("meal_service_stations", D(2018, 8, 31), 0.7),
    Milestone("meal_service_stations", D(2018, 11, 30), 1.0),
]
# seed 000, 实施步骤1: every site chosen by June, renovation started by July, 100% by November
CENTRES = [
    Milestone("new_township_care_centers", D(2018, 6, 30), 1.0, stage="site"),
    Milestone("new_township_care_centers", D(2018, 7, 31), 1.0, stage="renovation"),
    Milestone("new_township_care_centers", D(2018, 11, 30), 1.0),
]


# --- time progress ---------------------------------------------------------------------------

def test_time_progress_mid_year_2018():
    # Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30 = 181 days
    assert time_progress(D(2018, 6, 30)) == pytest.approx(181 / 365, abs=1e-15)


def test_time_progress_year_end_is_exactly_one():
    assert time_progress(D(2018, 12, 31)) == 1.0


def test_time_progress_first_day_is_one_day():
    assert time_progress(D(2018, 1, 1)) == pytest.approx(1 / 365, abs=1e-15)


def test_time_progress_leap_year():
    # 2020: Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 + Jun 30 = 182 of 366 days
    assert time_progress(D(2020, 6, 30)) == pytest.approx(182 / 366, abs=1e-15)
    assert time_progress(D(2020, 12, 31)) == 1.0


def test_no_schedule_falls_back_to_time_progress():
    assert milestone_share([], D(2018, 6, 30)) == pytest.approx(181 / 365, abs=1e-15)
    assert milestone_share([], D(2018, 9, 30)) == pytest.approx(273 / 365, abs=1e-15)


# --- meal service stations: 0.4 / 0.7 / 1.0 ----------------------------------------------------

@pytest.mark.parametrize(("date", "share"), [
    (D(2018, 6, 30), 0.4),
    (D(2018, 8, 31), 0.7),
    (D(2018, 11, 30), 1.0),
])
def test_meal_exactly_at_milestone_dates(date, share):
    assert milestone_share(MEAL, date) == pytest.approx(share, abs=1e-12)


def test_meal_between_first_and_second_milestone():
    # 30 June -> 31 August is 31 (Jul) + 31 (Aug) = 62 days; 31 July is 31 days in: half way
    assert milestone_share(MEAL, D(2018, 7, 31)) == pytest.approx(0.4 + 0.3 * 31 / 62)
    assert milestone_share(MEAL, D(2018, 7, 31)) == pytest.approx(0.55)
    # 15 July is 15 days in
    assert milestone_share(MEAL, D(2018, 7, 15)) == pytest.approx(0.4 + 0.3 * 15 / 62)


def test_meal_between_second_and_last_milestone():
    # 31 August -> 30 November is 30 (Sep) + 31 (Oct) + 30 (Nov) = 91 days; 30 Sep is 30 in
    assert milestone_share(MEAL, D(2018, 9, 30)) == pytest.approx(0.7 + 0.3 * 30 / 91)
    # 31 October is 61 days in
    assert milestone_share(MEAL, D(2018, 10, 31)) == pytest.approx(0.7 + 0.3 * 61 / 91)


def test_meal_before_first_milestone_rises_linearly_from_start_of_year():
    # 0 at the start of 1 January, 0.4 at the end of 30 June: 181 days of rise.
    # 31 March is the end of day 90 of the year.
    assert milestone_share(MEAL, D(2018, 3, 31)) == pytest.approx(0.4 * 90 / 181)
    assert milestone_share(MEAL, D(2018, 1, 1)) == pytest.approx(0.4 * 1 / 181)
    # strictly increasing before the first milestone
    assert (milestone_share(MEAL, D(2018, 1, 31)) < milestone_share(MEAL, D(2018, 3, 31))
            < milestone_share(MEAL, D(2018, 6, 29)) < 0.4)


def test_meal_after_last_milestone_stays_at_full_share():
    assert milestone_share(MEAL, D(2018, 12, 1)) == 1.0
    assert milestone_share(MEAL, D(2018, 12, 31)) == 1.0


def test_schedule_order_in_input_does_not_matter():
    shuffled = [MEAL[2], MEAL[0], MEAL[1]]
    assert milestone_share(shuffled, D(2018, 7, 31)) == pytest.approx(0.55)
    assert milestone_share(shuffled, D(2018, 6, 30)) == pytest.approx(0.4)


def test_single_year_end_milestone_equals_time_progress():
    # A schedule of 100% by 31 December is the same requirement as time progress.
    full_year = [Milestone("x", D(2018, 12, 31), 1.0)]
    for date in (D(2018, 1, 1), D(2018, 3, 31), D(2018, 6, 30), D(2018, 9, 30)):
        assert milestone_share(full_year, date) == pytest.approx(time_progress(date))


# --- township centres: stages first, their own figure due whole on 30 November --------------

@pytest.mark.parametrize("date", [D(2018, 1, 31), D(2018, 3, 31), D(2018, 6, 30),
                                  D(2018, 7, 31), D(2018, 9, 30), D(2018, 11, 29)])
def test_centres_own_figure_owes_nothing_before_the_deadline(date):
    # the stages (选址 by June, 启动装修 by July) are what is due until then; no interpolation
    catalog = load_catalog(RAW_DIR)
    assert value_requirement(catalog, "new_township_care_centers", date) == 0.0


@pytest.mark.parametrize("date", [D(2018, 11, 30), D(2018, 12, 31)])
def test_centres_own_figure_due_whole_from_the_deadline(date):
    catalog = load_catalog(RAW_DIR)
    assert value_requirement(catalog, "new_township_care_centers", date) == 1.0


def test_unstaged_indicators_still_interpolate():
    catalog = load_catalog(RAW_DIR)
    assert value_requirement(catalog, "meal_service_stations", D(2018, 7, 31)) == \
        pytest.approx(0.55)
    assert value_requirement(catalog, "new_institution_beds", D(2018, 6, 30)) == \
        pytest.approx(181 / 365)


def test_step_share_takes_the_latest_step():
    assert step_share(MEAL, D(2018, 6, 29)) == 0.0
    assert step_share(MEAL, D(2018, 6, 30)) == 0.4
    assert step_share(MEAL, D(2018, 8, 30)) == 0.4
    assert step_share(MEAL, D(2018, 12, 31)) == 1.0


# --- whole units -------------------------------------------------------------------------------

@pytest.mark.parametrize(("target", "share", "units"), [
    (15000, 181 / 365, 7439),  # 7438.36: a part of a bed is still owed -> 7439
    (2300, 0.4, 920),
    (5, 0.5, 3),  # 2.5 -> 3
    (1, 0.5, 1),
    (11, 181 / 365, 6),  # 5.45 -> 6
    (110, 0.4, 44),  # 44.000000000000006 in floating point: exactly 44
    (23, 181 / 365, 12),  # 11.41 -> 12: 11 done is short
    (0, 0.4, 0),
])
def test_units_due_round_up(target, share, units):
    assert units_due(target, share) == units


@pytest.mark.parametrize(("denominator", "threshold", "units"), [
    (7, 0.5, 4),  # 3.5 -> at least 4
    (1000, 0.5, 500),  # exactly
    (1438928, 0.028, 40290),  # 40289.98 -> 40290
    (52, 0.8, 42),  # 41.6 -> 42
    (0, 0.6, 0),
])
def test_units_at_least_round_up(denominator, threshold, units):
    assert units_at_least(denominator, threshold) == units


# --- the bundled catalogue encodes those schedules ----------------------------------------------

def test_bundled_catalogue_has_the_seed_000_schedules():
    catalog = load_catalog(RAW_DIR)
    meal = [(m.date, m.share_due) for m in catalog.milestones_for("meal_service_stations", 2018)]
    centres = [(m.date, m.share_due, m.stage)
               for m in catalog.checkpoints_for("new_township_care_centers", 2018)]
    assert meal == [(m.date, m.share_due) for m in MEAL]
    assert centres == [(m.date, m.share_due, m.stage) for m in CENTRES]
    # the centres' own figure owes nothing before 30 November: its stages are what is due
    assert [(m.date, m.share_due) for m in
            catalog.milestones_for("new_township_care_centers", 2018)] == [(D(2018, 11, 30), 1.0)]
    one_touch = [(m.date, m.stage) for m in catalog.checkpoints_for("one_touch_service", 2018)]
    assert one_touch == [(D(2018, 5, 31), "publicity"), (D(2018, 6, 30), "screening"),
                         (D(2018, 7, 31), "tender"), (D(2018, 12, 31), "delivery")]
    assert catalog.milestones_for("meal_service_stations", 2019) == []
