"""The catalogues: what seeds 000 and 001 say, and clear errors for malformed files."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from helpers.core.errors import CatalogError
from helpers.core.paths import RAW_DIR
from helpers.ingest.catalog import load_catalog


@pytest.fixture
def catalog_copy(tmp_path):
    shutil.copytree(RAW_DIR / "catalog", tmp_path / "catalog")
    shutil.copytree(RAW_DIR / "2018" / "plan", tmp_path / "2018" / "plan")
    return tmp_path


def test_bundled_catalogue_matches_the_seeds():
    catalog = load_catalog(RAW_DIR)
    # seed 001's 15 columns (counts, and the subsidy recipients as a level), the "一键通" task of
    # seed 000, the five shares of seed 001's text, the nine measures they divide and the
    # communities the plan's meal coverage is taken of (catalog/plan_targets.csv), the
    # 精英培训班 held and the persons 一键通 serves (the plan targets elite_classes, one_touch)
    kinds = [i.kind for i in catalog.indicators]
    assert [i.code for i in catalog.indicators if i.allocated][:2] == [
        "new_township_care_centers", "new_institution_beds"]
    assert (kinds.count("count"), kinds.count("stock"), kinds.count("task"),
            kinds.count("share"), kinds.count("measure")) == (14, 1, 1, 5, 12)
    shares = {i.code: (i.numerator, i.denominator, i.threshold)
              for i in catalog.indicators if i.kind == "share"}
    assert shares["nursing_bed_share"] == ("nursing_type_beds", "institution_beds_total", 0.5)
    assert shares["subsidy_coverage"] == ("subsidy_recipients", "elderly_population", 0.028)
    assert shares["institution_medical_care_share"][2] == 0.8
    assert shares["station_medical_care_share"][2] == 0.6
    assert shares["public_homes_socialized_share"][2] == 0.5
    assert [d.name for d in catalog.districts] == [
        "鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "文成县", "平阳县",
        "泰顺县", "苍南县", "经开区"]
    # seed 000 annex 2: 第三组 = 平阳县 + 浙南产业集聚区 (= 经开区)
    groups = {}
    for d in catalog.districts:
        groups.setdefault(d.supervision_group, []).append(d.name)
    assert groups["第三组"] == ["平阳县", "经开区"]
    assert groups["第一组"] == ["洞头区", "乐清市"]
    assert len(groups) == 7
    for alias in ("浙南产业集聚区", "温州经济技术开发区", " 经开区 "):
        assert catalog.district_name(alias) == "经开区"
    meals = catalog.milestones_for("meal_service_stations", 2018)
    assert [(m.date, m.share_due) for m in meals] == [
        (dt.date(2018, 6, 30), 0.4), (dt.date(2018, 8, 31), 0.7), (dt.date(2018, 11, 30), 1.0)]
    assert catalog.milestones_for("new_institution_beds", 2018) == []


def test_headers_as_printed_in_seed_001_match():
    catalog = load_catalog(RAW_DIR)
    assert catalog.indicator_code("2018年享受养老服务补贴总人数（人）") == "subsidy_recipients"
    assert catalog.indicator_code("“智慧用电”安装数（个）") == "smart_electricity_installs"
    assert catalog.indicator_code("新增机构床位(张)") == "new_institution_beds"


def _edit(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_share_without_numerator_is_refused(catalog_copy):
    _edit(catalog_copy / "catalog" / "indicators.csv",
          "share,nursing_share,nursing_type_beds,", "share,nursing_share,,")
    with pytest.raises(CatalogError, match=r"indicators.csv line 18: a share indicator needs a "
                                           r"numerator and a denominator"):
        load_catalog(catalog_copy)


def test_share_threshold_must_be_a_fraction(catalog_copy):
    _edit(catalog_copy / "catalog" / "indicators.csv",
          "nursing_type_beds,institution_beds_total,0.5,", "nursing_type_beds,"
          "institution_beds_total,50,")
    with pytest.raises(CatalogError, match=r"indicators.csv line 18: threshold 50 is not in"):
        load_catalog(catalog_copy)


def test_share_of_an_unknown_measure_is_refused(catalog_copy):
    _edit(catalog_copy / "catalog" / "indicators.csv",
          "nursing_type_beds,institution_beds_total,0.5,", "nursing_type_beds,beds_total,0.5,")
    with pytest.raises(CatalogError, match=r"nursing_bed_share: denominator 'beds_total' is not"):
        load_catalog(catalog_copy)


def test_unknown_kind_is_refused(catalog_copy):
    _edit(catalog_copy / "catalog" / "indicators.csv", ",张,count,", ",张,ratio,")
    with pytest.raises(CatalogError, match=r"indicators.csv line 3: kind 'ratio' is not one of"):
        load_catalog(catalog_copy)


def test_stage_headers_name_their_stage():
    catalog = load_catalog(RAW_DIR)
    centres = "new_township_care_centers"
    for header in ("新增镇（街）养老服务中心（示范型居家养老服务中心）（选址）（个）",
                   "新增镇街养老服务中心：已选址", "新增镇街养老服务中心-选址",
                   "new_township_care_centers/site", "centres（完成选址）"):
        assert catalog.measure_of(header) == (centres, "site"), header
    assert catalog.measure_of("新增镇街养老服务中心（启动装修）") == (centres, "renovation")
    assert catalog.measure_of("新增镇街养老服务中心") == (centres, "")
    assert catalog.measure_of("“一键通”服务（摸底筛选）") == ("one_touch_service", "screening")
    assert catalog.measure_of("选址") is None  # a stage alone names no indicator
    assert catalog.stage_code(centres, "已选址") == "site"
    assert catalog.stage_code(centres, "") == ""
    assert catalog.stage_code(centres, "招投标") is None  # a stage of another indicator


def test_deadlines_follow_the_plan():
    catalog = load_catalog(RAW_DIR)
    assert catalog.deadline("new_township_care_centers", 2018) == dt.date(2018, 11, 30)
    assert catalog.deadline("meal_service_stations", 2018) == dt.date(2018, 11, 30)
    assert catalog.deadline("one_touch_service", 2018) == dt.date(2018, 12, 31)  # 送达 by year end
    assert catalog.deadline("new_institution_beds", 2018) == dt.date(2018, 12, 31)
    assert catalog.is_staged("new_township_care_centers", 2018)
    assert not catalog.is_staged("meal_service_stations", 2018)


def test_reference_figures_are_read_with_their_line():
    catalog = load_catalog(RAW_DIR)
    elderly = catalog.reference("elderly_population", 2018)
    assert len(elderly) == 12
    # illustrative: seed 001's subsidy target of 鹿城区 (4540) / a fixed share near 2.8%
    assert elderly["鹿城区"].value == 165672
    assert 0.026 <= 4540 / elderly["鹿城区"].value <= 0.031
    assert elderly["鹿城区"].demo
    assert elderly["鹿城区"].ref == "2018/plan/reference_figures.csv:2"
    assert catalog.reference("elderly_population", 2019) == {}


def test_reference_figure_of_an_unknown_district(catalog_copy):
    _edit(catalog_copy / "2018" / "plan" / "reference_figures.csv", ",龙湾区,", ",龙港区,")
    with pytest.raises(CatalogError, match=r"reference_figures.csv line 3: unknown district "
                                           r"'龙港区'"):
        load_catalog(catalog_copy)


def test_stage_milestone_needs_a_defined_stage(catalog_copy):
    _edit(catalog_copy / "2018" / "plan" / "milestones.csv", ",1.0,site,", ",1.0,sites,")
    with pytest.raises(CatalogError, match=r"milestones.csv line 2: stage 'sites' of "
                                           r"new_township_care_centers is not in "
                                           r"catalog/stages.csv"):
        load_catalog(catalog_copy)


def test_a_plan_date_outside_its_year_is_named_by_file_and_line(catalog_copy):
    _edit(catalog_copy / "2018" / "plan" / "milestones.csv", "2018-08-31,0.7", "2019-08-31,0.7")
    with pytest.raises(CatalogError, match=r"2018/plan/milestones.csv line 6: date 2019-08-31 "
                                           r"is outside 2018"):
        load_catalog(catalog_copy)


def test_a_plan_row_of_another_year_is_named_by_file_and_line(catalog_copy):
    _edit(catalog_copy / "2018" / "plan" / "reference_figures.csv",
          "2018,elderly_population,龙湾区", "2019,elderly_population,龙湾区")
    with pytest.raises(CatalogError, match=r"2018/plan/reference_figures.csv line 3: year "
                                           r"'2019' is not 2018"):
        load_catalog(catalog_copy)


def test_a_plan_file_left_in_the_shared_catalogue_says_where_it_goes(catalog_copy):
    shutil.copy(catalog_copy / "2018" / "plan" / "milestones.csv",
                catalog_copy / "catalog" / "milestones.csv")
    with pytest.raises(CatalogError, match=r"catalog/milestones.csv: a year's plan lives in "
                                           r"<year>/plan/milestones.csv"):
        load_catalog(catalog_copy)


def test_each_year_reads_its_own_plan(catalog_copy):
    # 2019's plan: one milestone of the centres; 2018's is untouched and never read for 2019
    (catalog_copy / "2019" / "plan").mkdir(parents=True)
    (catalog_copy / "2019" / "plan" / "milestones.csv").write_text(
        "indicator,date,share_due,stage,note\nnew_township_care_centers,2019-09-30,1.0,,\n",
        encoding="utf-8")
    only_2019 = load_catalog(catalog_copy, year=2019)
    assert [(m.indicator, m.date) for m in only_2019.milestones] == [
        ("new_township_care_centers", dt.date(2019, 9, 30))]
    assert only_2019.deadline("new_township_care_centers", 2019) == dt.date(2019, 9, 30)
    assert not only_2019.is_staged("one_touch_service", 2019)
    both = load_catalog(catalog_copy)
    assert both.deadline("new_township_care_centers", 2018) == dt.date(2018, 11, 30)
    assert both.deadline("new_township_care_centers", 2019) == dt.date(2019, 9, 30)


def test_milestone_errors_name_the_line(catalog_copy):
    _edit(catalog_copy / "2018" / "plan" / "milestones.csv", "2018-08-31,0.7", "2018-08-31,1.7")
    with pytest.raises(CatalogError, match=r"milestones.csv line 6: share_due 1.7 is not in"):
        load_catalog(catalog_copy)


def test_unknown_milestone_indicator(catalog_copy):
    _edit(catalog_copy / "2018" / "plan" / "milestones.csv", "meal_service_stations,2018-06-30",
          "meals,2018-06-30")
    with pytest.raises(CatalogError, match=r"line 5: unknown indicator 'meals'"):
        load_catalog(catalog_copy)


def test_missing_catalogue_file(tmp_path):
    with pytest.raises(CatalogError, match="catalogue file missing"):
        load_catalog(tmp_path)


def test_checkpoints_for_lists_the_year_s_requirements_by_date():
    catalog = load_catalog(RAW_DIR)
    years = {m.date.year for m in catalog.milestones} | {1999}
    for ind in catalog.indicators:
        for year in years:
            expected = sorted((m for m in catalog.milestones
                               if m.indicator == ind.code and m.date.year == year),
                              key=lambda m: (m.date, m.stage))
            found = catalog.checkpoints_for(ind.code, year)
            assert found == expected
            found.clear()  # the caller's own list: the next call is not changed by it
            assert catalog.checkpoints_for(ind.code, year) == expected
    assert any(catalog.checkpoints_for(i.code, 2018) for i in catalog.indicators)


def _append_district(root, line: str) -> None:
    path = root / "catalog" / "districts.csv"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n",
                    encoding="utf-8")


@pytest.mark.parametrize(("line", "message"), [
    # a district listed twice: its returns would be counted twice (run stopped with an
    # internal error, validate passed)
    ("鹿城区,,Lucheng,第四组,1", "line 14: order 1 is already that of line 2"),
    ("鹿城区,,Lucheng 2,第一组,13", "line 14: '鹿城区' already names 鹿城区 (line 2)"),
    # the same name but for a space (district_key): the returns would find one or the other
    ("鹿 城区,,Lucheng 2,第一组,13", "line 14: '鹿 城区' already names 鹿城区 (line 2)"),
    # another district's alias as a name, a name as an alias
    ("浙南产业集聚区,,Zone 2,第一组,13",
     "line 14: '浙南产业集聚区' already names 经开区 (line 13)"),
    ("新区,龙湾区,New,第一组,13", "line 14: '龙湾区' already names 龙湾区 (line 3)"),
    (",,Nameless,第一组,13", "line 14: the district has no name"),
])
def test_a_name_or_order_must_find_one_district(catalog_copy, line, message):
    _append_district(catalog_copy, line)
    with pytest.raises(CatalogError, match=re.escape(f"catalog/districts.csv {message}")):
        load_catalog(catalog_copy)


def test_a_district_may_repeat_its_own_name_as_an_alias(catalog_copy):
    _edit(catalog_copy / "catalog" / "districts.csv", "鹿城区,,Lucheng",
          "鹿城区,鹿城区|鹿城,Lucheng")
    assert load_catalog(catalog_copy).district_name("鹿城") == "鹿城区"


@pytest.mark.parametrize(("old", "new", "message"), [
    # the alias `beds` of new_institution_beds (line 3) made that of the centres (line 2)
    (",张,count,beds,", ",张,count,centres,",
     "line 3: new_institution_beds's name 'centres' already names new_township_care_centers "
     "(line 2)"),
    # an alias that is another indicator's code
    (",张,count,beds,", ",张,count,new_township_care_centers,",
     "line 3: new_institution_beds's name 'new_township_care_centers' already names "
     "new_township_care_centers (line 2)"),
    # two indicators of one name: a return's column of that header went to the first
    ("new_institution_beds,新增机构床位,", "new_institution_beds,新增镇街养老服务中心,",
     "line 3: new_institution_beds's name '新增镇街养老服务中心' already names "
     "new_township_care_centers (line 2)"),
    ("new_institution_beds,新增机构床位,新增机构床位,", "new_institution_beds,,新增机构床位,",
     "line 3: an indicator needs a code and a name (name_zh)"),
])
def test_a_name_must_find_one_indicator(catalog_copy, old, new, message):
    _edit(catalog_copy / "catalog" / "indicators.csv", old, new)
    with pytest.raises(CatalogError, match=re.escape(f"catalog/indicators.csv {message}")):
        load_catalog(catalog_copy)


def test_a_name_two_indicators_share_but_for_brackets_finds_neither(catalog_copy):
    """Brackets do not count in a header (新增镇(街)养老服务中心 is 新增镇街养老服务中心), but
    where two indicators differ only by them, a header that is neither exactly is unknown
    (and named), not the first indicator's."""
    path = catalog_copy / "catalog" / "indicators.csv"
    _edit(path, "new_institution_beds,新增机构床位,新增机构床位,",
          "new_institution_beds,新增机构床位（公办）,新增机构床位（公办）,")
    _edit(path, "public_nursing_homes_started,县（市、区）本级启动建设200张床位以上"
                "公办护理型养老机构,启动建设公办护理型养老机构,",
          "public_nursing_homes_started,新增机构床位公办,新增机构床位公办,")
    catalog = load_catalog(catalog_copy)
    assert catalog.indicator_code("新增机构床位(公办)") == "new_institution_beds"
    assert catalog.indicator_code("新增机构床位公办") == "public_nursing_homes_started"
    assert catalog.indicator_code("新增机构床位[公办]") is None
    assert catalog.indicator_code("新增镇(街)养老服务中心") == "new_township_care_centers"


def test_a_stage_name_must_find_one_stage_of_its_indicator(catalog_copy):
    """装修 given to 选址 too: a return's column 新增镇街养老服务中心装修 went to 选址, the
    first stage, without a word."""
    _edit(catalog_copy / "catalog" / "stages.csv", "已选址|完成选址|选址数", "已选址|装修")
    with pytest.raises(CatalogError, match=re.escape(
            "catalog/stages.csv line 3: new_township_care_centers's stage renovation is named "
            "'装修', as is its stage site (line 2)")):
        load_catalog(catalog_copy)


def _append(path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n",
                    encoding="utf-8")


PLAN = ("2018", "plan")


@pytest.mark.parametrize(("rel", "edit", "message"), [
    # the same milestone twice: which would a district be judged by?
    (("catalog", "stages.csv"), ("append", "new_township_care_centers,site,选址2,site 2,,x"),
     "catalog/stages.csv line 8: stage 'site' of new_township_care_centers is defined on "
     "line 2 too"),
    (("catalog", "indicators.csv"), ("append", "new_institution_beds,床位2,床位2,Beds 2,Beds 2,"
                                               "张,count,beds2,,,,x"),
     "catalog/indicators.csv line 35: indicator code 'new_institution_beds' is that of line 3 "
     "too"),
    ((*PLAN, "milestones.csv"), ("append", "meal_service_stations,2018-08-31,0.8,,x"),
     "2018/plan/milestones.csv line 12: meal_service_stations has a milestone on 2018-08-31 "
     "already (line 6); give one per date"),
    # 70% by August, then 10% by September (line 6 of the bundled file: 0.7 by 2018-08-31)
    ((*PLAN, "milestones.csv"), ("append", "meal_service_stations,2018-09-30,0.1,,x"),
     "2018/plan/milestones.csv line 12: meal_service_stations's share_due 0.1 by 2018-09-30 "
     "is below 0.7 by 2018-08-31 (line 6); a milestone is cumulative"),
    ((*PLAN, "milestones.csv"), ("replace", "2018-08-31,0.7", "2018-02-30,0.7"),
     "2018/plan/milestones.csv line 6, column date: '2018-02-30' is not a date (YYYY-MM-DD, a "
     "day of the calendar)"),
    ((*PLAN, "milestones.csv"), ("replace", "2018-08-31,0.7", ",0.7"),
     "2018/plan/milestones.csv line 6, column date: empty; give a date (YYYY-MM-DD)"),
    ((*PLAN, "reference_figures.csv"),
     ("append", "2018,elderly_population,鹿城区,1,x,true"),
     "2018/plan/reference_figures.csv line 26: elderly_population of 鹿城区 is given on line "
     "2 already; give it once"),
])
def test_plan_and_catalogue_rows_are_named_by_line_and_column(catalog_copy, rel, edit,
                                                                message):
    path = catalog_copy.joinpath(*rel)
    if edit[0] == "append":
        _append(path, edit[1])
    else:
        _edit(path, edit[1], edit[2])
    with pytest.raises(CatalogError, match=re.escape(message) + "$"):
        load_catalog(catalog_copy)


def test_a_catalogue_line_is_counted_past_a_blank_line(catalog_copy):
    path = catalog_copy / "catalog" / "districts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "")  # a blank line 4
    path.write_text("\n".join([*lines, "鹿城区,,Lucheng 2,第一组,13"]) + "\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=re.escape(
            "catalog/districts.csv line 15: '鹿城区' already names 鹿城区 (line 2)")):
        load_catalog(catalog_copy)
