"""tables/facts.csv (helpers.metrics.facts): every judged fact traced back to the raw cell it
names, read by a second route (openpyxl and csv on data/raw, not helpers.ingest); the city's
facts are its districts' sums; the table is the same account as the tables it views."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.core.parameters import ReportParameters
from helpers.core.paths import RAW_DIR
from helpers.metrics.facts import CITY, FACT_COLUMNS, judged_facts
from helpers.metrics.report_data import build_report_data

SOURCES = {"target_source": "target", "figure_source": "figure",
           "judged_source": "judged_figure", "denominator_source": "denominator"}


@pytest.fixture(scope="module", params=["Q1", "H1", "Q3", "FY"])
def facts(request):
    data = build_report_data(ReportParameters(period=request.param))
    return data, judged_facts(data)


@functools.cache
def _sheet(path: Path, sheet: str):
    return load_workbook(path, data_only=True)[sheet]


@functools.cache
def _lines(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def raw_value(source: str) -> int:
    """The number in the raw cell a source names: file!sheet!A1 in a workbook, file:line in a
    CSV (line 1 is the header), read as a clerk's number (full-width digits, separators)."""
    if "!" in source:
        path, sheet, cell = source.split("!")
        value = _sheet(RAW_DIR / path, sheet)[cell].value
    else:
        path, line = source.rsplit(":", 1)
        value = _lines(RAW_DIR / path)[int(line) - 2]["value"]
    text = re.sub(r"[,\s]", "", unicodedata.normalize("NFKC", str(value)))
    return int(float(text))


def test_every_figure_is_the_number_in_its_source_cell(facts):
    _, table = facts
    traced = 0
    for row in table.itertuples(index=False):
        for source_column, figure_column in SOURCES.items():
            source = getattr(row, source_column)
            if pd_isna(source) or not source:
                continue
            figure = getattr(row, figure_column)
            assert figure is not None and not pd_isna(figure), (row, source_column)
            assert raw_value(source) == int(figure), (row.unit, row.indicator, row.step,
                                                      source_column, source)
            traced += 1
    # every district row of a judged count names its target's cell
    districts = table[(table["level"] == "district") & (table["step"] == "")
                      & (table["kind"] == "count") & table["target"].notna()]
    assert (districts["target_source"] != "").all()
    assert traced > 3 * len(districts)


def pd_isna(value) -> bool:
    return value is None or bool(pd.isna(value))


def test_the_city_is_the_sum_of_its_districts_step_by_step(facts):
    # each stage and node: units due, done and short summed over the districts (a surplus pays
    # nobody's debt); each count's own target and figure summed
    _, table = facts
    steps = table[table["step"] != ""]
    for (indicator, step), part in steps.groupby(["indicator", "step"]):
        city = part[part["unit"] == CITY]
        districts = part[part["unit"] != CITY]
        assert len(city) == 1, (indicator, step)
        for column in ("due_units", "figure", "done_by_due", "shortfall"):
            values = districts[column]
            expected = None if values.isna().all() else int(values.fillna(0).sum())
            got = city.iloc[0][column]
            assert (None if pd_isna(got) else int(got)) == expected, (indicator, step, column)
    own = table[(table["step"] == "") & (table["kind"] == "count")]
    for indicator, part in own.groupby("indicator"):
        city = part[part["unit"] == CITY].iloc[0]
        districts = part[part["unit"] != CITY]
        assert int(city["target"]) == int(districts["target"].fillna(0).sum()), indicator
        assert int(city["figure"]) == int(districts["figure"].fillna(0).sum()), indicator


def test_the_facts_are_the_tables_they_view(facts):
    data, table = facts
    assert list(table.columns) == FACT_COLUMNS
    own = table[(table["level"] == "district") & (table["step"] == "")].set_index(
        ["unit", "indicator"])
    assert len(own) == len(data.table)
    for theirs in data.table.itertuples():
        mine = own.loc[(theirs.district, theirs.indicator)]
        for column, their in (("status", theirs.status), ("shortfall", theirs.shortfall),
                              ("rank", theirs.rank), ("figure", theirs.actual),
                              ("due_units", theirs.due_units)):
            assert (pd_isna(mine[column]) and pd_isna(their)) or mine[column] == their, (
                theirs.district, theirs.indicator, column)
    # a step not yet due owes nothing: no 差额, as the indicator tables
    not_due = table[(table["step"] != "") & (table["status"] == "not_due")]
    assert not_due["shortfall"].isna().all()
    # the node on its own date reads as the indicator's row (README: one account of a node)
    for row in table[(table["step"] != "") & (table["due_date"] == data.report_date)
                     ].itertuples():
        indicator_row = table[(table["unit"] == row.unit) & (table["indicator"] == row.indicator)
                              & (table["step"] == "")].iloc[0]
        if indicator_row["judged_step"] == row.judged_step and indicator_row["basis"] in (
                "stage", "schedule"):
            assert indicator_row["shortfall"] == row.shortfall, (row.unit, row.indicator)
            assert (indicator_row["status"] == "overdue") == (row.status == "overdue")
