"""Each commentary rule on a tiny hand-made year, asserted word for word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers.core.parameters import ReportParameters
from helpers.core.paths import RAW_DIR
from helpers.metrics import derived_tables
from helpers.metrics.report_data import build_report_data
from helpers.words import findings, main_findings
from helpers.words import findings_over_time as over_time


def _tiny_raw(root: Path, progress_rows: list[str]) -> Path:
    """Two districts (鹿城区 第四组, 龙湾区 第五组), two indicators (beds with default time
    progress, meal stations with the seed-000 schedule 40% by 30 June)."""
    raw = root / "raw"
    shutil.copytree(RAW_DIR / "catalog", raw / "catalog")
    shutil.copytree(RAW_DIR / "2018" / "plan", raw / "2018" / "plan")
    # the plan of what this allocation has (the centres' dates would be plan rows without a
    # target, a warning of their own)
    milestones = raw / "2018" / "plan" / "milestones.csv"
    milestones.write_text("".join(
        line for line in milestones.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("new_township_care_centers")), encoding="utf-8")
    targets = raw / "2018" / "plan" / "plan_targets.csv"
    targets.write_text("".join(
        line for line in targets.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith(("2018,livelihood_centres,", "2018,elite_classes,"))),
        encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    ws.title = "分解表"
    ws.append(["2018年任务分解表"])
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
    # city beds 130/300 = 43.3% vs 49.6%: 300 x 181/365 = 148.8 -> 149 due, 19 short -> 滞后;
    # meals 19/50 = 38% vs the node 40% due on the report date: 20 due, 1 short -> 逾期未完成
    # (a node is a dated step: no tolerance); the "一键通" task: 摸底筛选 due 30 June,
    # reported by neither district -> 逾期未完成; the shares have no figures -> not counted
    assert findings.overall(data) == [
        "截至2018年6月30日，3项指标中，滞后1项、逾期未完成2项。"]
    # the first screen's districts with serious items: 龙湾区: the task and beds (35.0%, 14.6
    # points below); 鹿城区: the task and the meals node: two each, so catalogue order
    assert findings.headline_districts(data) == ["鹿城区", "龙湾区"]


def test_indicator_sentences_in_the_seed_voice(tiny):
    data = tiny()
    # the most serious first (the two 逾期未完成: the meals, 2 points behind, then the task,
    # which has no gap in points), then beds, 滞后
    assert findings.indicators(data) == [
        "具备助餐、配送餐服务的照料中心数：年度目标50个，累计完成19个，完成目标值的38.0%；按工作方案"
        "6月30日前应完成40.0%即20个，鹿城区未达到，合计尚差1个（超额地区不抵补），逾期未完成。",
        "为80岁以上有需求的老年人免费提供“一键通”服务：按工作方案6月30日前各县（市、区）应完成"
        "摸底筛选，鹿城区、龙湾区逾期未完成。",
        "新增机构床位：年度目标300张，累计完成130张，完成目标值的43.3%，按序时进度（49.6%）应完成"
        "149张，尚差19张，滞后。",
    ]


def test_the_main_text_says_the_indicators_in_brief(tiny):
    """The main text: a sentence per status, each item behind with who owes how much; the
    full sentences (above) read with 附件1."""
    data = tiny()
    # meals: 鹿城区 alone short at the node, 1 unit; the task: both districts missed 摸底筛选;
    # beds: 19 short of the 149 due by time progress (city level)
    assert main_findings.in_brief(data) == [
        "逾期未完成的有助餐配送餐照料中心（鹿城区尚差1个）、“一键通”服务摸底筛选"
        "（鹿城区、龙湾区）。",
        "滞后的有新增机构床位（尚差19张）。",
    ]
    # the city's projections (test_forward below): beds 87.3%, meals 94.0%, the lower first
    assert main_findings.forward_in_brief(data) == [
        "全市层面，新增机构床位、助餐配送餐照料中心按目前进度到期难以全部完成，需加快进度。"]


def test_checkpoint_sentences_name_the_overdue_districts(tiny):
    data = tiny()
    # meals: 40% of 50 = 20 due by 30 June, 19 done -> 鹿城区 overdue (no tolerance at a node)
    assert findings.checkpoints(data) == [
        "助餐配送餐照料中心完成40%（6月30日前）：应完成20个，截止日完成19个，1个逾期未完成（鹿城区）。",
        "“一键通”服务宣传（5月31日前）：2个县（市、区）中2个逾期未完成（鹿城区、龙湾区）。",
        "“一键通”服务摸底筛选（6月30日前）：2个县（市、区）中2个逾期未完成（鹿城区、龙湾区）。",
        "下一节点：助餐配送餐照料中心8月31日前完成70%、“一键通”服务7月31日前招投标。",
    ]


def test_best_and_worst(tiny):
    data = tiny()
    # meal stations: only one district has a target -> no spread
    assert findings.best_and_worst(data) == [
        "各地完成率差距最大的是新增机构床位（最高鹿城区60.0%，最低龙湾区35.0%）。"]


def test_every_lagging_item_by_group(tiny):
    data = tiny()
    # 鹿城区 meals is 1 short of the 20 due at the node of 30 June: 逾期未完成, listed before
    # the task (the same status, and a task has no gap in points); 龙湾区 beds: 200 x
    # 181/365 = 99.2 -> 100 due, 70 done: 30 short; the most serious first, then the largest
    # shortfall in units
    assert findings.lagging(data) == [
        "第四组（鹿城区、苍南县）：鹿城区2项：助餐配送餐照料中心（差1个，逾期未完成）、“一键通”服务"
        "摸底筛选（逾期未完成）。",
        "第五组（龙湾区、永嘉县）：龙湾区2项：新增机构床位（差30张，严重滞后）、“一键通”服务摸底筛选"
        "（逾期未完成）。",
    ]


def test_serious_lag_threshold_is_a_parameter(tiny):
    data = tiny(serious_lag_pp=20.0)
    assert findings.lagging(data)[1] == (
        "第五组（龙湾区、永嘉县）：龙湾区2项：“一键通”服务摸底筛选（逾期未完成）、新增机构床位"
        "（差30张，滞后）。")


def test_tolerance_is_a_parameter(tiny):
    # 龙湾区 beds: 30 short of the 100 due, 15% of its target of 200: 基本符合进度 when 15% of
    # the target is tolerated, 严重滞后 when 14.9% is (the serious threshold raised above it)
    data = tiny(tolerance_pp=15.0, serious_lag_pp=20.0)
    assert findings.lagging(data)[1] == (
        "第五组（龙湾区、永嘉县）：龙湾区1项：“一键通”服务摸底筛选（逾期未完成）。")
    data = tiny(tolerance_pp=14.9, serious_lag_pp=20.0)
    assert findings.lagging(data)[1] == (
        "第五组（龙湾区、永嘉县）：龙湾区2项：“一键通”服务摸底筛选（逾期未完成）、新增机构床位"
        "（差30张，滞后）。")
    # a node of the schedule is a dated step: 鹿城区 meals, 1 short of the 20 due on 30 June
    # (2% of 50), stay 逾期未完成 whatever the tolerance
    for tolerance in (2.0, 15.0):
        assert findings.lagging(tiny(tolerance_pp=tolerance, serious_lag_pp=20.0))[0] == (
            "第四组（鹿城区、苍南县）：鹿城区2项：助餐配送餐照料中心（差1个，逾期未完成）、“一键通”服务"
            "摸底筛选（逾期未完成）。")


def test_forward_look_sentences(tiny):
    data = tiny()
    # Whole units: 鹿城区 meals keep their pace against the plan: 19 / 40% = 47.5 -> 47 of 50 =
    # 94.0% (at risk). 龙湾区 beds: 70 / (181/365) = 141.2 -> 141 of 200 = 70.5%. City beds: 130
    # / (181/365) = 262.2 -> 262 of 300 = 87.3%, (300 - 130) / (184/365 x 12) = 28.1 -> 29 a
    # month needed (rounded up); city meals as 鹿城区, (50 - 19) / (153/365 x 12) = 6.2 -> 7
    assert over_time.forward(data) == [
        "按截至2018年6月30日的进度推算，2项县级任务存在不能按期完成的风险，预计完成率最低的是"
        "龙湾区新增机构床位（预计完成70.5%）、鹿城区助餐配送餐照料中心（预计完成94.0%）。",
        "全市层面，新增机构床位（预计完成87.3%，今后每月需完成29张）、助餐配送餐照料中心（预计完成"
        "94.0%，今后每月需完成7个）按目前进度到期难以全部完成，需加快进度。",
    ]


def test_changes_since_previous_period(tiny):
    data = tiny()
    # Q1: beds 70/300 = 23.3% vs 300 x 90/365 = 74 due -> 4 short, 1.4 points -> lagging; H1
    # lagging. Meals 10/50 = 20.0% vs 0.4 x 90/181 = 19.9% (10 due) -> on track; H1 逾期未完成
    # (1 of the 20 due at the 30 June node short). Its figure rose 18 points: its status
    # changed, it did not get worse
    assert over_time.changes(data) == [
        "与2018年3月31日相比，完成率提高最多的是新增机构床位（23.3%→43.3%，+20.0个百分点）、"
        "助餐配送餐照料中心（20.0%→38.0%，+18.0个百分点）。",
        "与2018年3月31日相比，状态有变化的有助餐配送餐照料中心（符合进度→逾期未完成）。",
    ]


def test_first_report_has_nothing_to_compare(tiny):
    data = tiny(period="Q1")
    assert over_time.changes(data) == ["本期为年度首次通报，无上期数据可比。"]


def test_data_quality_sentences(tmp_path):
    raw = _tiny_raw(tmp_path, [
        "鹿城区,new_institution_beds,2018-03-31,20",
        "龙湾区,new_institution_beds,2018-03-31,50",
        "鹿城区,new_institution_beds,2018-05-31,15",   # went down
    ])
    data = build_report_data(ReportParameters(year=2018, period="H1", raw_dir=str(raw)))
    assert over_time.data_quality(data) == [
        "龙湾区未报送2018年5月31日的进度数据，该期按其上一期报送数计算。",
        "鹿城区新增机构床位2018年5月31日报送的累计数（15）低于2018年3月31日（20），本报告按各期报送数"
        "计算，未作调整。",
    ]


def test_year_end_over_under_and_carry_over(tmp_path):
    raw = _tiny_raw(tmp_path, [
        "鹿城区,new_institution_beds,2018-12-31,120",   # 120% over
        "龙湾区,new_institution_beds,2018-12-31,150",   # 75% under
        "鹿城区,meal_service_stations,2018-11-30,50",   # 100% by the 30 November deadline
    ])
    data = build_report_data(ReportParameters(year=2018, period="FY", raw_dir=str(raw)))
    # city beds 270/300 = 90% by the year end: 未完成; meals 50/50 by 30 November: 按期完成;
    # the task: nothing delivered by 31 December in either district: 未完成
    assert findings.overall(data) == [
        "截至2018年12月31日，3项指标中，按期完成1项、未完成2项。"]
    # 龙湾区 missed beds and the task, 鹿城区 only the task: the most items first
    assert findings.headline_districts(data) == ["龙湾区", "鹿城区"]
    assert over_time.year_end(data) == [
        "超额完成幅度较大的有鹿城区（新增机构床位完成目标值的120.0%）。",
        "未完成年度目标的县级任务中，差额较大的是龙湾区新增机构床位（差50张）。",
        "未完成年度目标的3项任务（占比类指标除外）结转下一年度继续推进（详见附件4）。",
    ]
    # beds are judged on the city total: the city is 30 short (鹿城区's 20 extra net), 龙湾区
    # alone is 50 short; the sentence says both, never "龙湾区未完成，合计尚差30张"
    beds = [t for t in findings.indicators(data) if t.startswith("新增机构床位")]
    assert beds == ["新增机构床位：年度目标300张，累计完成270张，完成目标值的90.0%，"
                    "全市尚差30张，未完成；其中龙湾区未完成，各地合计差50张。"]
    carry = derived_tables.carry_over_table(data)
    # the beds of 龙湾区 and the "一键通" service not delivered in either district
    assert carry[["district", "indicator", "remaining"]].values.tolist() == [
        ["鹿城区", "one_touch_service", 1], ["龙湾区", "new_institution_beds", 50],
        ["龙湾区", "one_touch_service", 1]]


def test_year_end_names_late_completion(tmp_path):
    raw = _tiny_raw(tmp_path, [
        "鹿城区,meal_service_stations,2018-11-30,45",   # 90% at the deadline
        "鹿城区,meal_service_stations,2018-12-31,50",   # 100% a month late
    ])
    data = build_report_data(ReportParameters(year=2018, period="FY", raw_dir=str(raw)))
    assert findings.indicators(data)[0] == "逾期完成的有助餐配送餐照料中心完成目标值的100.0%。"


def test_english_is_a_table_not_a_rewrite(tiny):
    data = tiny(lang="en")
    assert findings.overall(data) == [
        "As of 30 June 2018, of 3 indicators, 1 lagging, 2 overdue."]


def test_no_sentence_states_a_number_absent_from_the_tables(built_reports):
    """Every number the main text generates in the built H1 and FY reports appears in their
    HTML tables (the written sections aside: they are checked against the figures)."""
    import re

    for period in ("H1", "FY"):
        page = (built_reports[period] / "report.html").read_text(encoding="utf-8")
        tables = re.findall(r"<table.*?</table>", page, flags=re.S)
        main = page.split('id="main-text"', 1)[1].split('id="sign-off"')[0]
        main = re.sub(r'<div class="written">.*?</div>', " ", main, flags=re.S)
        main = re.sub(r"<h[23][^>]*>.*?</h[23]>", " ", main)  # 五、2019年工作重点
        sentences = re.sub(r"<table.*?</table>", " ", main, flags=re.S)
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
    assert findings.best_and_worst(data) == [
        "各地完成率差距最大的是新增机构床位（最高鹿城区、龙湾区50.0%，最低瓯海区20.0%）。"]


def test_lists_name_three_and_count_the_rest():
    from helpers.words.labels import name_list

    assert name_list(["甲", "乙", "丙"], "zh") == "甲、乙、丙"
    assert name_list(["甲", "乙", "丙", "丁", "戊"], "zh", "unit.district") == \
        "甲、乙、丙等5个县（市、区）"
    assert name_list(["甲", "乙", "丙", "丁"], "zh", count=False) == "甲、乙、丙等"
