"""The work plan's headline targets (2018/plan/plan_targets.csv, seeds 000 and 001), each figure
computed again here from the raw returns and the catalogue files, and their sentences word for
word."""

from __future__ import annotations

import csv

import pytest
from support import raw_total  # the 合计 row of a wide demo return

from helpers.core.parameters import ReportParameters
from helpers.core.paths import RAW_DIR
from helpers.words.plan_findings import plan_sentences
from helpers.words.report_text import build_report


def _long_total(date: str, indicator: str, stage: str = "") -> int:
    """A long demo return's figures of one indicator summed over the districts."""
    with (RAW_DIR / "2018" / "progress" / f"{date}.csv").open(encoding="utf-8") as handle:
        return sum(int(r["value"]) for r in csv.DictReader(handle)
                   if r["indicator"] == indicator and r["stage"] == stage)


def _district_values(date: str, header: str) -> dict[str, int]:
    """A wide demo return's figures of one column by district (full-width digits and 2.0 as
    text read as numbers), 浙南产业集聚区 as 经开区."""
    from openpyxl import load_workbook

    sheet = load_workbook(RAW_DIR / "2018" / "progress" / f"{date}.xlsx")["进度"]
    column = next(c.column for c in sheet[4] if str(c.value).replace("\n", "").startswith(header))
    out = {}
    for row in range(5, sheet.max_row + 1):
        name, value = sheet.cell(row, 2).value, sheet.cell(row, column).value
        if not name or value is None or "合" in str(sheet.cell(row, 1).value or ""):
            continue
        digits = str(value).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        out[{"浙南产业集聚区": "经开区"}.get(name.strip(), name.strip())] = int(
            float(digits.replace(",", "")))
    return out


def _communities() -> int:
    with (RAW_DIR / "2018" / "plan" / "reference_figures.csv").open(encoding="utf-8") as handle:
        return sum(int(r["value"]) for r in csv.DictReader(handle)
                   if r["measure"] == "urban_rural_communities" and r["year"] == "2018")


@pytest.fixture(scope="module")
def year_end():
    return build_report(ReportParameters(period="FY"))


def test_the_year_end_figures_from_the_raw_returns(year_end):
    rows = year_end.plan_targets.set_index("code")
    centres = rows.loc["livelihood_centres"]
    # 40 in the plan, 45 allocated; built by the plan's date (the 30 November return) and now
    assert (centres["target"], centres["allocation_value"]) == (40, 45)
    by_due = _long_total("2018-11-30", "new_township_care_centers")
    assert centres["by_due"] == by_due == 43 and centres["status"] == "on_time"
    assert centres["actual"] == raw_total("2018-12-31", "新增镇（街）养老服务中心") == 45
    meals = rows.loc["meal_coverage"]
    stations = raw_total("2018-12-31", "具备助餐、配送餐服务的照料中心数")
    assert (meals["actual"], meals["denominator"]) == (stations, _communities()) == (2311, 3869)
    assert meals["share"] == pytest.approx(2311 / 3869)  # 59.7%: the plan's 50%, not 60%
    assert meals["status"] == "done"
    # by hand from reference_figures.csv and the 31 December return: 8 districts under 60%
    assert meals["short_districts"] == ("龙湾区", "瓯海区", "洞头区", "永嘉县", "文成县",
                                        "泰顺县", "苍南县", "经开区")
    # the centres: the districts the indicator tables judge 未完成 (the FY text names them too)
    table = year_end.table[year_end.table["indicator"] == "new_township_care_centers"]
    assert centres["short_districts"] == tuple(table.loc[table["status"] == "unmet", "district"])
    assert centres["short_districts"] == ("文成县", "泰顺县")
    touch = rows.loc["one_touch"]
    assert (touch["actual"], touch["districts"], touch["short_districts"]) == (11, 12, ("文成县",))
    assert touch["status"] == "unmet"
    # the persons it reaches, beside it: the 31 December return's 合计 of its column
    served = raw_total("2018-12-31", "“一键通”服务老年人数")
    assert touch["reported_value"] == served == 25426 and touch["reported_districts"] == 12
    # one 精英培训班 in every district: the 31 December return, district by district
    classes = _district_values("2018-12-31", "养老服务管理精英培训班期数")
    assert len(classes) == 12 and [d for d, n in classes.items() if n < 1] == ["文成县"]
    elite = rows.loc["elite_classes"]
    assert (elite["actual"], elite["reached"]) == (sum(classes.values()), 11) == (14, 11)
    assert elite["short_districts"] == ("文成县",) and elite["status"] == "unmet"


def test_the_year_end_sentences(year_end):
    assert plan_sentences(year_end) == [
        "示范型居家养老中心：民生实事目标40个，11月30日前完成；到期完成43个，按期完成；截至2018年"
        "12月31日选址45个、启动装修45个、建成45个。"
        "重点任务通知（温民福〔2018〕32号）按45个分解下达，各地按45个考核。",
        "助餐、配送餐服务覆盖城乡社区：民生实事要求50%以上，11月30日前完成；截至2018年12月31日，"
        "助餐配送餐照料中心2311个，覆盖城乡社区59.7%（城乡社区3869个），达到民生实事要求；按重点任务"
        "60%的要求，全市尚未达到，龙湾区、瓯海区、洞头区等8个县（市、区）低于60%。"
        "重点任务通知（温民福〔2018〕32号）要求60%以上，各地按60%衡量。",
        "“一键通”服务：民生实事项目（温民福〔2018〕58号工作目标3），12月31日前各县（市、区）完成送达；"
        "截至2018年12月31日，11个县（市、区）已完成，文成县未完成；“一键通”服务人数25426人。",
        "养老服务管理精英培训班：各县（市、区）至少1期，12月31日前完成；截至2018年12月31日，11个县"
        "（市、区）已达到，共14期，文成县未达到。",
    ]


def test_before_the_plans_date_nothing_is_judged():
    mid = build_report(ReportParameters(period="H1"))
    rows = mid.plan_targets.set_index("code")
    assert list(rows["status"]) == ["not_due", "not_due", "not_due", "not_due"]
    # no one served yet (the service starts after the 31 July tender): nothing said beside it
    assert rows.loc["one_touch", "reported_value"] == 0
    assert plan_sentences(mid)[2] == (
        "“一键通”服务：民生实事项目（温民福〔2018〕58号工作目标3），12月31日前各县（市、区）完成送达，"
        "尚未到期。")
    # 精英培训班 held by 30 June, by hand from the return: before its date, no district named
    classes = _district_values("2018-06-30", "养老服务管理精英培训班期数")
    held = sum(1 for n in classes.values() if n >= 1)
    assert plan_sentences(mid)[3] == (
        f"养老服务管理精英培训班：各县（市、区）至少1期，12月31日前完成；截至2018年6月30日，{held}个县"
        f"（市、区）已达到，共{sum(classes.values())}期。")
    stations = raw_total("2018-06-30", "具备助餐、配送餐服务的照料中心数")
    assert rows.loc["meal_coverage", "actual"] == stations == 910
    # the sentence names no district short of the allocation before the date
    assert "尚未达到" not in plan_sentences(mid)[1]


def test_a_report_on_selected_districts_has_no_city_targets():
    part = build_report(ReportParameters(period="FY", districts=["鹿城区"]))
    assert part.plan_targets.empty and plan_sentences(part) == []
