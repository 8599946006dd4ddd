"""Each commentary rule on a tiny hand-made year, asserted word for word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers import commentary
from helpers.parameters import ReportParameters
from helpers.paths import RAW_DIR
from helpers.report_data import build_report_data


def _tiny_raw(root: Path, progress_rows: list[str]) -> Path:
    """Two districts (鹿城区 第四组, 龙湾区 第五组), two indicators (beds with default time
    progress, meal stations with the seed-000 schedule 40% by 30 June)."""
    raw = root / "raw"
    shutil.copytree(RAW_DIR / "catalog", raw / "catalog")
    wb = Workbook()
    ws = wb.active
    ws.title = "分解表"
    ws.append(["2099年任务分解表"])
    ws.append(["序号", "县（市、区）", "新增机构床位（张）",
               "具备助餐、配送餐服务的照料中心数（个）"])
    ws.append([1, "鹿城区", 100, 50])
    ws.append([2, "龙湾区", 200, 0])
    ws.append(["合计", None, 300, 50])
    (raw / "2018" / "progress").mkdir(parents=True)
    wb.save(raw / "2018" / "allocation.xlsx")
    lines = ["district,indicator,as_of,value", *progress_rows]
    (raw / "2018" / "progress" / "returns.csv").write_text("\n".join(lines) + "\n",
                                                           encoding="utf-8")
    return raw


@pytest.fixture
def tiny(tmp_path):
    raw = _tiny_raw(tmp_path, [
        "鹿城区,new_institution_beds,2018-03-31,20",
        "龙湾区,new_institution_beds,2018-03-31,50",
        "鹿城区,meal_service_stations,2018-03-31,10",
        "鹿城区,new_institution_beds,2018-06-30,60",    # 60%: time progress 49.6% -> on track
        "龙湾区,new_institution_beds,2018-06-30,70",    # 35%: 14.6 points below -> serious
        "鹿城区,meal_service_stations,2018-06-30,19",   # 38%: 2 points below 40% -> lagging
        "龙湾区,meal_service_stations,2018-06-30,0",    # target 0 -> no target
    ])

    def build(**changes):
        values = {"year": 2018, "period": "H1", "raw_dir": str(raw), **changes}
        params = ReportParameters(**values)
        return build_report_data(params)

    return build


def test_overall_sentence(tiny):
    data = tiny()
    # city beds 130/300 = 43.3% < 49.6% -> behind; meal 19/50 = 38% < 40% -> behind
    assert commentary.overall(data) == [
        "截至2018年6月30日，2项有目标的指标中，0项已完成年度目标，0项符合进度要求，2项滞后于进度要求。"]


def test_indicator_sentences_in_the_seed_voice(tiny):
    data = tiny()
    assert commentary.indicators(data) == [
        "新增机构床位：年度目标300张，累计完成130张，完成目标值的43.3%，"
        "低于序时进度（49.6%）6.3个百分点。",
        "具备助餐、配送餐服务的照料中心数：年度目标50个，累计完成19个，完成目标值的38.0%，"
        "低于进度要求（40.0%）2.0个百分点。",
    ]


def test_best_and_worst(tiny):
    data = tiny()
    # meal stations: only one district has a target -> no best/worst sentence
    assert commentary.best_and_worst(data) == [
        "新增机构床位完成率最高的是鹿城区（60.0%），最低的是龙湾区（35.0%）。"]


def test_every_lagging_item_by_group(tiny):
    data = tiny()
    assert commentary.lagging(data) == [
        "第四组（鹿城区、苍南县）：鹿城区助餐配送餐照料中心38.0%（差2.0个百分点，滞后）。",
        "第五组（龙湾区、永嘉县）：龙湾区新增机构床位35.0%（差14.6个百分点，严重滞后）。",
    ]


def test_serious_lag_threshold_is_a_parameter(tiny):
    data = tiny(serious_lag_pp=20.0)
    assert commentary.lagging(data)[1] == (
        "第五组（龙湾区、永嘉县）：龙湾区新增机构床位35.0%（差14.6个百分点，滞后）。")


def test_changes_since_previous_period(tiny):
    data = tiny()
    # Q1: beds 70/300 = 23.3% vs 90/365 = 24.7% due -> lagging, still lagging at H1;
    # meals 10/50 = 20.0% vs 0.4 * 90/181 = 19.9% due -> on track, lagging at H1 (worse).
    assert commentary.changes(data) == [
        "新增机构床位完成率由第一季度末的23.3%提高至43.3%（+20.0个百分点）。",
        "具备助餐、配送餐服务的照料中心数完成率由第一季度末的20.0%提高至38.0%（+18.0个百分点）。",
        "与第一季度相比状态变差的指标：具备助餐、配送餐服务的照料中心数。",
    ]


def test_first_report_has_nothing_to_compare(tiny):
    data = tiny(period="Q1")
    assert commentary.changes(data) == ["本期为年度首次通报，无上期数据可比。"]


def test_data_quality_sentences(tmp_path):
    raw = _tiny_raw(tmp_path, [
        "鹿城区,new_institution_beds,2018-03-31,20",
        "龙湾区,new_institution_beds,2018-03-31,50",
        "鹿城区,new_institution_beds,2018-05-31,15",   # went down
    ])
    data = build_report_data(ReportParameters(year=2018, period="H1", raw_dir=str(raw)))
    assert commentary.data_quality(data) == [
        "龙湾区未报送2018年5月31日的进度数据。",
        "鹿城区新增机构床位累计数由20（2018年3月31日）降至15（2018年5月31日），请核实。",
    ]


def test_year_end_over_under_and_carry_over(tmp_path):
    raw = _tiny_raw(tmp_path, [
        "鹿城区,new_institution_beds,2018-12-31,120",   # 120% over
        "龙湾区,new_institution_beds,2018-12-31,150",   # 75% under
        "鹿城区,meal_service_stations,2018-12-31,50",   # 100% done
    ])
    data = build_report_data(ReportParameters(year=2018, period="FY", raw_dir=str(raw)))
    # city beds 270/300 = 90% not met; meals 50/50 met
    assert commentary.overall(data) == [
        "截至2018年12月31日，2项有目标的指标中，1项完成或超额完成年度目标，1项未完成。"]
    assert commentary.year_end(data) == [
        "超额完成的有：鹿城区（新增机构床位120.0%）。",
        "未完成年度目标的有：龙湾区（新增机构床位75.0%）。",
        "结转下一年度继续推进的任务共1项，见结转任务表。",
    ]
    carry = commentary.carry_over_table(data)
    assert carry[["district", "indicator", "remaining"]].values.tolist() == [
        ["龙湾区", "new_institution_beds", 50]]


def test_english_is_a_table_not_a_rewrite(tiny):
    data = tiny(lang="en")
    assert commentary.overall(data) == [
        "As of 30 June 2018, of the 2 indicators with a target, 0 have met the annual target, 0 "
        "are on track and 2 are behind their milestone."]


def test_no_sentence_states_a_number_absent_from_the_tables(built_reports):
    """Every number in the commentary of the built H1 report appears in its HTML tables."""
    import re

    for period in ("H1", "FY"):
        page = (built_reports[period] / "report.html").read_text(encoding="utf-8")
        tables = re.findall(r"<table.*?</table>", page, flags=re.S)
        commentary_part = page.split('id="sec-commentary"', 1)[1].split('id="sec-appendix"')[0]
        sentences = re.sub(r"<table.*?</table>", " ", commentary_part, flags=re.S)
        sentences = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日", " ", re.sub(r"<[^>]+>", " ", sentences))
        table_text = re.sub(r"<[^>]+>", " ", " ".join(tables))
        table_numbers = set(re.findall(r"\d+(?:\.\d+)?%?", table_text))
        numbers = set(re.findall(r"\d+(?:\.\d+)?%?", sentences))
        # counts of indicators ("15项指标中，6项...") are the headline, shown on the first screen
        headline = set(re.findall(r'id="headline-\w+"><b>(\d+)</b>', page))
        missing = sorted(n for n in numbers if n not in table_numbers | headline)
        assert missing == [], period


def test_best_and_worst_name_every_tied_district(tmp_path):
    raw = _tiny_raw(tmp_path, [
        "鹿城区,new_institution_beds,2018-06-30,50",   # 50.0%
        "龙湾区,new_institution_beds,2018-06-30,100",  # 50.0%, tied best
        "鹿城区,meal_service_stations,2018-06-30,25",
    ])
    wb_path = raw / "2018" / "allocation.xlsx"
    from openpyxl import load_workbook

    wb = load_workbook(wb_path)
    ws = wb.active
    ws.insert_rows(5)
    ws["A5"], ws["B5"], ws["C5"], ws["D5"] = 3, "瓯海区", 100, 0
    ws["C6"] = 400                                      # 合计 row moved down: 100+200+100
    wb.save(wb_path)
    with (raw / "2018" / "progress" / "returns.csv").open("a", encoding="utf-8") as handle:
        handle.write("瓯海区,new_institution_beds,2018-06-30,20\n")  # 20.0%
    data = build_report_data(ReportParameters(year=2018, period="H1", raw_dir=str(raw)))
    assert commentary.best_and_worst(data) == [
        "新增机构床位完成率最高的是鹿城区、龙湾区（50.0%），最低的是瓯海区（20.0%）。"]
