"""A staged indicator states its stages and its build together, wherever it appears, and no
completion rate mixes a stage count with what was built (the issue's H1 centres: 42 sites
chosen, 38 renovations started, 0 built; the summary once said 累计完成 41, 91.1%)."""

from __future__ import annotations

import pytest

from helpers.core.parameters import ReportParameters
from helpers.render.columns import progress_columns
from helpers.words import findings
from helpers.words.formats import stage_counts, stage_progress_text
from helpers.words.report_text import build_report

CENTRES = "new_township_care_centers"


@pytest.fixture(scope="module")
def h1():
    return build_report(ReportParameters(period="H1"))


def test_the_city_counts_each_stage_as_its_districts_add_up(h1):
    city = h1.summary.set_index("indicator").loc[CENTRES]
    assert city["stages_done"] == "site=42;renovation=38" and city["actual"] == 0
    rows = h1.table[h1.table["indicator"] == CENTRES]
    totals = {"site": 0, "renovation": 0}
    for row in rows.itertuples():
        for code, count in stage_counts(row):
            totals[code] += count
    assert totals == {"site": 42, "renovation": 38}
    # the judged stage's count is the site count: the city's 42, not 41 capped at what was due
    assert city["judged_actual"] == 42


def test_tables_print_stages_and_build_and_the_rate_of_the_build(h1):
    row = next(r for r in h1.summary.itertuples() if r.indicator == CENTRES)
    cells = {c.header: c.text(row) for c in progress_columns(h1, False)}
    assert cells["累计完成"] == "选址42、启动装修38、建成0"
    assert cells["完成率"] == "0.0%"  # 0 built of 45, never 42 / 45
    assert (cells["进度要求"], cells["应完成数"], cells["差额"]) == ("6月30日前选址", "45", "4")
    # the workbook holds the same words in the cell, not a bare 42 or 0
    column = next(c for c in progress_columns(h1, False) if c.header == "累计完成")
    assert (column.cell_value(row), column.kind_for(row)) == ("选址42、启动装修38、建成0", "text")


def test_a_sentence_states_the_stages_with_units(h1):
    row = next(r for r in h1.summary.itertuples() if r.indicator == CENTRES)
    assert stage_progress_text(h1, row, with_units=True) == "选址42个、启动装修38个、建成0个"
    said = [s for s in findings.indicators(h1) if s.startswith("新增镇（街）养老服务中心")]
    assert said and "已完成选址42个、启动装修38个、建成0个" in said[0]


def test_a_task_prints_its_stages_alone(h1):
    row = next(r for r in h1.table.itertuples()
               if r.indicator == "one_touch_service" and r.district == "鹿城区")
    text = stage_progress_text(h1, row)
    assert text.startswith("宣传") and "建成" not in text
    assert text.count("、") == 3  # 宣传、摸底筛选、招投标、送达
