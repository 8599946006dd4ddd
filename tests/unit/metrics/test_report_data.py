"""Report data on the bundled 2018 data, checked against figures read a second way: the tidy
progress table written to disk and filtered here with the csv module."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from helpers.core.errors import ParameterError
from helpers.core.parameters import ReportParameters
from helpers.core.paths import RAW_DIR
from helpers.ingest.returns import ingest_year, write_processed
from helpers.metrics.report_data import build_report_data

D = dt.date
ALL_DISTRICTS = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "文成县",
                 "平阳县", "泰顺县", "苍南县", "经开区"]
GROUP_ORDER = {f"第{d}组": n for n, d in enumerate("一二三四五六七", start=1)}


@pytest.fixture(scope="module")
def report():
    """build_report_data per period, built once per module."""
    cache = {}

    def get(period: str):
        if period not in cache:
            cache[period] = build_report_data(ReportParameters(period=period))
        return cache[period]

    return get


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    """The tidy tables of the bundled data, written to a scratch folder (not data/processed)."""
    return write_processed(ingest_year(RAW_DIR, 2018), tmp_path_factory.mktemp("processed"))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def latest_by_district(processed: Path, indicator: str, date: dt.date) -> dict[str, int]:
    """Each district's latest figure dated on or before `date`, by plain filtering."""
    best: dict[str, tuple[str, int]] = {}
    for row in read_csv(processed / "progress.csv"):
        if row["indicator"] != indicator or row["as_of"] > date.isoformat():
            continue
        if row["district"] not in best or row["as_of"] > best[row["district"]][0]:
            best[row["district"]] = (row["as_of"], int(row["value"]))
    return {district: value for district, (_, value) in best.items()}


def targets_by_district(processed: Path, indicator: str) -> dict[str, int]:
    return {row["district"]: int(row["target"]) for row in read_csv(processed / "allocation.csv")
            if row["indicator"] == indicator}


def summary_row(data, indicator: str):
    rows = data.summary[data.summary["indicator"] == indicator]
    assert len(rows) == 1
    return rows.iloc[0]


# --- city figures against a second route --------------------------------------------------------

def test_h1_new_institution_beds_city_figures(report, processed):
    data = report("H1")
    row = summary_row(data, "new_institution_beds")
    latest = latest_by_district(processed, "new_institution_beds", D(2018, 6, 30))
    assert sorted(latest) == sorted(ALL_DISTRICTS)  # all 12 districts have a figure
    assert row["target"] == 15000
    assert sum(targets_by_district(processed, "new_institution_beds").values()) == 15000
    assert row["actual"] == sum(latest.values())
    assert row["completion"] == pytest.approx(sum(latest.values()) / 15000)
    assert row["milestone"] == pytest.approx(181 / 365)  # no schedule: time progress


def test_h1_new_institution_beds_district_rows(report, processed):
    data = report("H1")
    rows = data.table[data.table["indicator"] == "new_institution_beds"]
    latest = latest_by_district(processed, "new_institution_beds", D(2018, 6, 30))
    targets = targets_by_district(processed, "new_institution_beds")
    assert dict(zip(rows["district"], rows["actual"], strict=True)) == latest
    assert dict(zip(rows["district"], rows["target"], strict=True)) == targets


def test_previous_summary_is_taken_at_the_previous_period_end(report, processed):
    data = report("H1")
    previous = data.previous_summary
    row = previous[previous["indicator"] == "new_institution_beds"].iloc[0]
    assert row["actual"] == sum(latest_by_district(processed, "new_institution_beds",
                                                   D(2018, 3, 31)).values())
    assert row["milestone"] == pytest.approx(90 / 365)


def test_meal_milestone_at_h1_and_q3(report):
    assert summary_row(report("H1"), "meal_service_stations")["milestone"] == pytest.approx(0.4)
    # 31 Aug -> 30 Nov is 91 days, 30 Sep is 30 days in
    assert summary_row(report("Q3"), "meal_service_stations")["milestone"] == pytest.approx(
        0.7 + 0.3 * 30 / 91)


def test_data_as_of_is_the_last_return_not_after_the_report_date(report):
    assert report("Q1").data_as_of == D(2018, 3, 31)
    assert report("FY").data_as_of == D(2018, 12, 31)


# --- previous period chain ----------------------------------------------------------------------

@pytest.mark.parametrize(("period", "previous"), [
    ("Q1", None), ("H1", "Q1"), ("Q3", "H1"), ("FY", "H1"),  # the year end looks back to mid-year
])
def test_previous_period_chain(report, period, previous):
    data = report(period)
    assert data.previous_period == previous
    if previous is None:
        assert data.previous_summary is None and data.previous_table is None
    else:
        assert data.previous_summary is not None and data.previous_table is not None
        assert len(data.previous_table) == len(data.table)


def test_report_dates(report):
    assert [report(p).report_date for p in ("Q1", "H1", "Q3", "FY")] == [
        D(2018, 3, 31), D(2018, 6, 30), D(2018, 9, 30), D(2018, 12, 31)]


# --- district subsets ---------------------------------------------------------------------------

def test_district_subset_restricts_every_table(processed):
    # 浙南产业集聚区 is an alias of 经开区
    data = build_report_data(ReportParameters(period="H1", districts=["鹿城区", "浙南产业集聚区"]))
    chosen = {"鹿城区", "经开区"}
    assert set(data.table["district"]) == chosen
    assert set(data.previous_table["district"]) == chosen
    assert set(data.ranking["district"]) == chosen
    assert set(data.checkpoints["district"]) == chosen
    assert set(data.lagging["district"]) <= chosen
    beds = summary_row(data, "new_institution_beds")
    targets = targets_by_district(processed, "new_institution_beds")
    latest = latest_by_district(processed, "new_institution_beds", D(2018, 6, 30))
    assert beds["target"] == targets["鹿城区"] + targets["经开区"]
    assert beds["actual"] == latest["鹿城区"] + latest["经开区"]
    line = data.timeline[(data.timeline["indicator"] == "new_institution_beds")
                         & (data.timeline["as_of"] == D(2018, 6, 30))].iloc[0]
    assert (line["target"], line["actual"]) == (beds["target"], beds["actual"])
    assert beds["target"] < 15000


def test_unknown_district_in_subset_is_rejected_naming_it():
    with pytest.raises(ParameterError, match="火星区"):
        build_report_data(ReportParameters(period="H1", districts=["鹿城区", "火星区"]))


# --- lagging list -------------------------------------------------------------------------------

BEHIND = {"lagging", "serious_lag", "not_started", "below", "unmet", "overdue"}


@pytest.mark.parametrize("period", ["Q1", "H1", "Q3", "FY"])
def test_lagging_holds_exactly_the_behind_items(report, period):
    data = report(period)
    lagging = data.lagging
    assert len(lagging) > 0
    assert set(lagging["status"]) <= BEHIND
    # something was due wherever nothing started counts as behind
    assert (lagging.loc[lagging["status"] == "not_started", "due_units"] > 0).all()
    expected = {(r.district, r.indicator) for r in data.table.itertuples() if r.status in BEHIND}
    got = list(zip(lagging["district"], lagging["indicator"], strict=True))
    assert len(got) == len(set(got))
    assert set(got) == expected


@pytest.mark.parametrize("period", ["Q1", "H1", "Q3", "FY"])
def test_lagging_ordered_by_group_then_district_then_severity(report, period):
    # within a district the most serious status first (严重滞后 / 未启动 / 未完成 / 逾期未完成,
    # then 滞后, then 未达标), then the largest gap in points
    data = report(period)
    order = {d.name: d.order for d in data.catalog.districts}
    severity = {**dict.fromkeys(("serious_lag", "not_started", "unmet", "overdue"), 0),
                "lagging": 1, "below": 2}
    lagging = data.lagging
    keys = [(GROUP_ORDER[g], order[d], severity[s], gap) for g, d, s, gap in
            zip(lagging["supervision_group"], lagging["district"], lagging["status"],
                lagging["gap_pp"].fillna(0), strict=True)]
    assert keys == sorted(keys)


def test_q1_items_with_nothing_due_are_not_lagging(report):
    data = report("Q1")
    # new township centres: their first stage (选址) is due at the end of June
    centres = data.table[data.table["indicator"] == "new_township_care_centers"]
    assert (centres["due_units"] == 0).all()
    assert set(centres["status"]) <= {"not_due", "on_track"}
    assert "new_township_care_centers" not in set(data.lagging["indicator"])


def test_year_end_judges_deadlines_not_time_progress(report):
    data = report("FY")
    counted = data.table[data.table["kind"] == "count"]
    assert set(counted["basis"]) == {"deadline", "none"}  # none: a target of 0
    assert set(counted["status"]) <= {"on_time", "over", "late", "unmet", "no_target"}
    # the centres and meal stations are due by 30 November, the rest by the year end
    deadlines = dict(zip(counted["indicator"], counted["deadline"], strict=False))
    assert deadlines["meal_service_stations"] == D(2018, 11, 30)
    assert deadlines["new_institution_beds"] == D(2018, 12, 31)


# --- warnings and demo inputs by report date ----------------------------------------------------

def _mentions(warnings, text: str) -> bool:
    return any(text in w.describe() for w in warnings)


def test_q1_excludes_warnings_about_later_returns(report):
    warnings = report("Q1").warnings
    assert not _mentions(warnings, "went down")  # the May dip of 龙湾区 beds
    assert not _mentions(warnings, "2018-05-31")
    assert not _mentions(warnings, "2018-04-30")  # 洞头区's missing April return


@pytest.mark.parametrize("period", ["H1", "Q3", "FY"])
def test_later_reports_include_the_may_dip(report, period):
    warnings = report(period).warnings
    dips = [w for w in warnings if "went down" in w.message]
    assert len(dips) == 1
    assert "龙湾区" in dips[0].message and "new_institution_beds" in dips[0].message
    assert dips[0].file == "2018/progress/2018-05-31.xlsx"
    assert _mentions(warnings, "洞头区 has no return for 2018-04-30")


def test_demo_inputs_limited_to_the_report_date(report):
    assert report("Q1").demo_inputs == [f"2018/progress/{name}" for name in
                                        ("2018-01-31.csv", "2018-02-28.csv", "2018-03-31.xlsx")]
    # the year end reads the (demo) previous year too, for 比上年
    year_end = report("FY").demo_inputs
    assert len([p for p in year_end if p.startswith("2018/")]) == 12
    assert len([p for p in year_end if p.startswith("2017/")]) == 12


@pytest.mark.parametrize("period", ["Q1", "H1", "Q3", "FY"])
def test_a_dated_step_reads_the_same_in_the_table_and_the_node_grid(report, period):
    # One milestone, one account: where a district's row is judged on a dated step of the plan
    # (a stage, or a node of the schedule on its own date), the node grid holds the same units
    # due, the same shortfall and the same verdict (逾期未完成 exactly where the table says so),
    # and the city's 差额 is the sum of the grid's
    data = report(period)
    grid = data.checkpoints.set_index(["district", "indicator", "stage", "due"])
    checked = 0
    for row in data.table.itertuples():
        key = (row.district, row.indicator, row.stage, row.due_date)
        if row.basis not in ("stage", "schedule") or key not in grid.index:
            continue
        node = grid.loc[key]
        assert int(node["required"]) == int(row.due_units), key
        assert max(0, int(node["required"]) - int(node["done_now"])) == int(row.shortfall), key
        assert (node["status"] == "overdue") == (row.status == "overdue"), (key, row.status)
        checked += 1
    dated = {"Q1": 0, "H1": 12 * 3, "Q3": 12 * 2, "FY": 0}[period]
    assert checked == dated  # H1: 选址, meals 40%, 摸底筛选; Q3: 启动装修, 招投标
    for row in data.summary.itertuples():
        part = data.checkpoints[(data.checkpoints["indicator"] == row.indicator)
                                & (data.checkpoints["stage"] == row.stage)
                                & (data.checkpoints["due"] == row.due_date)]
        if row.basis in ("stage", "schedule") and len(part):
            short = (part["required"] - part["done_now"]).clip(lower=0).sum()
            assert int(row.shortfall) == int(short), row.indicator
            assert int(row.districts_behind) == int((part["status"] == "overdue").sum())


@pytest.mark.parametrize("period", ["Q1", "H1", "Q3", "FY"])
def test_the_ranking_columns_add_up_to_the_items_due(report, period):
    # 到期事项 = 符合进度事项 + one column per other status (逾期完成 has its own: FY 苍南县 and
    # 平阳县 each had one, which no column counted)
    from helpers.metrics.ranking import BEHIND_COUNTS

    ranking = report(period).ranking
    counted = ranking["on_track_items"] + sum(ranking[c] for c in BEHIND_COUNTS.values())
    assert (counted == ranking["due_items"]).all()
    if period == "FY":
        late = ranking.set_index("district")["late_items"]
        assert late["苍南县"] == 1 and late["平阳县"] == 1
