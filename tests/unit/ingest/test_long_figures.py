"""A long return read as columns: the same figures as its rows, a figure repeated under other
spellings still found, and a return's future dates refused on its columns."""

from __future__ import annotations

import datetime as dt

from helpers.core.paths import RAW_DIR
from helpers.ingest.catalog import load_catalog
from helpers.ingest.long_returns import LongFigures, read_long_figures, read_long_return
from helpers.ingest.returns import _future_dated

CATALOG = load_catalog(RAW_DIR)
REL = "2018/progress/p.csv"
HEADER = "district,indicator,stage,as_of,value"


def _read(lines: list[str]):
    return read_long_figures(("\n".join([HEADER, *lines]) + "\n").encode(), REL, CATALOG, 2018)


def test_the_columns_are_the_rows_read_line_by_line():
    lines = ["鹿城区,new_institution_beds,,2018-06-30,12",
             "洞头区,new_institution_beds,,2018-06-30,1,750",  # a sixth field: refused
             "瓯海区,new_township_care_centers,site,2018-06-30,3"]
    figures, problems = _read(lines)
    assert figures.district == ["鹿城区", "瓯海区"]
    assert figures.indicator == ["new_institution_beds", "new_township_care_centers"]
    assert figures.stage == ["", "site"]
    assert figures.as_of == [dt.date(2018, 6, 30)] * 2
    assert figures.value == [12, 3]
    assert figures.source == [f"{REL}:2", f"{REL}:4"]
    data = ("\n".join([HEADER, *lines]) + "\n").encode()
    assert read_long_return(data, REL, CATALOG, 2018) == (figures.rows(), problems)
    assert [p.location for p in problems] == ["line 3"]


def test_a_figure_repeated_in_other_spellings_is_a_duplicate():
    # the same district, indicator and date, written with spaces and as a Chinese date
    figures, problems = _read(["鹿城区,new_institution_beds,,2018-06-30,12",
                               " 鹿城区 ,new_institution_beds,,2018年6月30日,13",
                               "鹿城区,new_institution_beds,,2018-07-31,14"])
    assert figures.value == [12, 14]
    assert [(p.location, p.message) for p in problems] == [
        ("line 3", "duplicate entry for 鹿城区 new_institution_beds 2018-06-30 "
                   "(first on line 2)")]


def test_only_bad_lines_are_named_in_line_order():
    figures, problems = _read(["无名区,new_institution_beds,,2018-06-30,x",
                               "鹿城区,new_institution_beds,,2018-06-30,5",
                               "鹿城区,nothing,,2018-13-01,7"])
    assert figures.source == [f"{REL}:3"]
    assert [(p.location, p.message) for p in problems] == [
        ("line 2", "unknown district '无名区'"),
        ("line 2", "'x' is not a number"),
        ("line 4", "unknown indicator 'nothing'"),
        ("line 4", "as_of '2018-13-01' is not a calendar date")]


def test_future_figures_are_refused_naming_the_first_one():
    figures = LongFigures(["鹿城区"] * 3, ["new_institution_beds"] * 3, [""] * 3,
                          [dt.date(2018, 6, 30), dt.date(2018, 9, 30), dt.date(2018, 8, 31)],
                          [1, 2, 3], [f"{REL}:2", f"{REL}:3", f"{REL}:4"])
    kept, problems = _future_dated(figures, REL, dt.date(2018, 7, 1))
    assert kept.source == [f"{REL}:2"] and kept.value == [1]
    assert [(p.location, p.message) for p in problems] == [
        ("line 3", "reporting date 2018-09-30 is after today (2018-07-01); fix the date")]
    assert _future_dated(figures, REL, dt.date(2018, 9, 30)) == (figures, [])
