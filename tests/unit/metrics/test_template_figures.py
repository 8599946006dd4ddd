"""What a template is pre-filled with, on the bundled 2018 data: the figures a return carries,
the last figure on or before the date (read a second way from the long CSV returns), and the
bounds of each input cell."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from helpers.core.paths import RAW_DIR
from helpers.ingest.returns import ingest_year
from helpers.metrics.template_figures import template_measures, template_rows


@pytest.fixture(scope="module")
def result():
    return ingest_year(RAW_DIR, 2018)


def csv_figures(name: str) -> dict[tuple[str, str, str], int]:
    with (RAW_DIR / "2018" / "progress" / name).open(encoding="utf-8", newline="") as handle:
        return {(r["district"], r["indicator"], r["stage"]): int(r["value"])
                for r in csv.DictReader(handle)}


def test_the_measures_are_what_the_returns_carry(result):
    measures = template_measures(result.catalog, 2018)
    assert len(measures) == len(set(measures)) == 31  # with the plan targets' two measures
    assert set(measures) == set(zip(result.progress["indicator"], result.progress["stage"],
                                    strict=True))
    assert ("elderly_population", "") not in measures  # a reference figure, not reported
    assert ("nursing_bed_share", "") not in measures  # a share: its parts are reported


def test_last_figure_is_the_latest_return_on_or_before_the_date(result):
    # 2018-07-31.csv names indicators by code; the next return is dated 31 August
    july = csv_figures("2018-07-31.csv")
    rows = template_rows(result, dt.date(2018, 8, 30))
    assert len(rows) == 12 * 31
    for row in rows:
        assert row.last_date == dt.date(2018, 7, 31)
        assert row.last_value == july[(row.district, row.indicator, row.stage)]
        assert row.last_source.startswith("2018/progress/2018-07-31.csv:")


def test_before_any_return_nothing_is_prefilled(result):
    rows = template_rows(result, dt.date(2018, 1, 15))
    assert all(r.last_value is None and r.last_date is None and r.minimum == 0 for r in rows)


def test_bounds(result):
    rows = {(r.district, r.indicator, r.stage): r
            for r in template_rows(result, dt.date(2018, 8, 30))}
    july = csv_figures("2018-07-31.csv")
    beds = rows[("鹿城区", "new_institution_beds", "")]
    assert (beds.target, beds.minimum, beds.maximum) == (1750, july[("鹿城区",
                                                                     "new_institution_beds",
                                                                     "")], 5250)
    task = rows[("鹿城区", "one_touch_service", "delivery")]
    assert task.maximum == 1 and task.target is None
    total = rows[("鹿城区", "institution_beds_total", "")]  # a share's part: it may go down
    assert (total.minimum, total.maximum) == (0, 1_000_000)
    stock = rows[("鹿城区", "subsidy_recipients", "")]
    assert stock.minimum == 0 and stock.maximum == max(3 * stock.target, stock.last_value)
    site = rows[("鹿城区", "new_township_care_centers", "site")]
    assert site.target == 5 and site.due == ((dt.date(2018, 6, 30), 1.0),)
