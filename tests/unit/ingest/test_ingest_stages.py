"""Stage counts, task stages and share measures in the returns, wide and long, under the same
validation rules as every other figure."""

from __future__ import annotations

import datetime as dt

from ingest_builders import build_workbook, make_raw, progress_dir, write_long_csv

from helpers.ingest.returns import ingest_year

D = dt.date
CENTRES = "新增镇（街）养老服务中心（示范型居家养老服务中心）"


def _figures(result) -> dict[tuple, tuple[int, str]]:
    return {(r.district, r.indicator, r.stage, r.as_of): (r.value, r.source)
            for r in result.progress.itertuples()}


def _messages(result) -> list[str]:
    return [p.describe() for p in result.problems]


def test_wide_return_with_stages_under_their_indicator(tmp_path):
    # a two-row header: the indicator over its stages, as offices lay it out
    raw = make_raw(tmp_path, allocation="seed")
    build_workbook(progress_dir(raw) / "2018-06-30.xlsx", [
        ["进度表"],
        ["县（市、区）", CENTRES, None, None, "“一键通”服务", None],
        [None, "已选址", "启动装修", "已建成", "宣传", "摸底筛选"],
        ["鹿城区", 5, 2, 0, 1, 1],
        ["龙湾区", 3, 0, 0, 1, 0],
    ], merges=["B2:D2", "E2:F2"])
    result = ingest_year(raw, 2018)
    figures = _figures(result)
    h1 = D(2018, 6, 30)
    assert figures[("鹿城区", "new_township_care_centers", "site", h1)] == (
        5, "2018/progress/2018-06-30.xlsx!Sheet!B4")
    assert figures[("鹿城区", "new_township_care_centers", "renovation", h1)][0] == 2
    # 已建成 under the indicator: the indicator's own figure
    assert figures[("鹿城区", "new_township_care_centers", "", h1)][0] == 0
    assert figures[("龙湾区", "one_touch_service", "screening", h1)][0] == 0
    assert figures[("龙湾区", "one_touch_service", "publicity", h1)][0] == 1
    assert not [p for p in result.errors if "2018-06-30" in p.file]


def test_long_return_with_a_stage_column(tmp_path):
    raw = make_raw(tmp_path, allocation="seed")
    write_long_csv(progress_dir(raw) / "r.csv", [
        ("鹿城区", "new_township_care_centers", "site", "2018-06-30", 5),
        ("鹿城区", CENTRES, "启动装修", "2018-06-30", 2),
        ("鹿城区", "新增镇街养老服务中心（选址）", "", "2018-05-31", 4),  # the stage in the name
        ("鹿城区", "new_township_care_centers", "", "2018-06-30", 1),
        ("鹿城区", "nursing_type_beds", "", "2018-06-30", 900),  # a share's measure
    ], header=("district", "indicator", "stage", "as_of", "value"))
    result = ingest_year(raw, 2018)
    figures = _figures(result)
    assert figures[("鹿城区", "new_township_care_centers", "site", D(2018, 6, 30))] == (
        5, "2018/progress/r.csv:2")
    assert figures[("鹿城区", "new_township_care_centers", "renovation", D(2018, 6, 30))][0] == 2
    assert figures[("鹿城区", "new_township_care_centers", "site", D(2018, 5, 31))][0] == 4
    assert figures[("鹿城区", "new_township_care_centers", "", D(2018, 6, 30))][0] == 1
    assert figures[("鹿城区", "nursing_type_beds", "", D(2018, 6, 30))][0] == 900
    assert result.errors == []


def test_stage_errors_name_the_line(tmp_path):
    raw = make_raw(tmp_path, allocation="seed")
    write_long_csv(progress_dir(raw) / "r.csv", [
        ("鹿城区", "new_township_care_centers", "开工", "2018-06-30", 5),
        ("鹿城区", "新增镇街养老服务中心（选址）", "启动装修", "2018-06-30", 2),
        ("鹿城区", "one_touch_service", "宣传", "2018-06-30", 2),
        ("鹿城区", "new_township_care_centers", "site", "2018-06-30", 3),
        ("鹿城区", "new_township_care_centers", "选址", "2018-06-30", 4),
    ], header=("district", "indicator", "stage", "as_of", "value"))
    messages = _messages(ingest_year(raw, 2018))
    assert ("ERROR: 2018/progress/r.csv, line 2: unknown stage '开工' of "
            "new_township_care_centers (known: 选址、启动装修)") in messages
    assert ("ERROR: 2018/progress/r.csv, line 3: indicator '新增镇街养老服务中心（选址）' names "
            "stage site but the stage column says renovation") in messages
    assert ("ERROR: 2018/progress/r.csv, line 4: 鹿城区 one_touch_service/publicity: a task "
            "stage is done (1) or not done (0), not 2") in messages
    assert ("ERROR: 2018/progress/r.csv, line 6: duplicate entry for 鹿城区 "
            "new_township_care_centers/site 2018-06-30 (first on line 5)") in messages


def test_stage_totals_are_checked_like_any_column(tmp_path):
    raw = make_raw(tmp_path, allocation="seed")
    build_workbook(progress_dir(raw) / "2018-06-30.xlsx", [
        ["进度表"],
        ["县（市、区）", f"{CENTRES}（选址）"],
        ["鹿城区", 5],
        ["龙湾区", 3],
        ["合计", 9],
    ])
    messages = _messages(ingest_year(raw, 2018))
    assert ("ERROR: 2018/progress/2018-06-30.xlsx, sheet Sheet, cell B5: 合计 row, column "
            f"{CENTRES}（选址） (B): total 9 ≠ sum of districts 8") in messages


def test_allocation_holds_targets_only(tmp_path):
    raw = make_raw(tmp_path, allocation=None)
    build_workbook(raw / "2018" / "allocation.xlsx", [
        ["分解表"],
        ["县（市、区）", "新增机构床位（张）", f"{CENTRES}（选址）", "护理型床位数"],
        ["鹿城区", 1750, 5, 900],
    ], title="分解表")
    messages = _messages(ingest_year(raw, 2018))
    assert ("ERROR: 2018/allocation.xlsx, sheet 分解表, cell C2: new_township_care_centers/site "
            "has no allocation (kind count, a stage): the allocation table holds targets of "
            "count and stock indicators only") in messages
    assert ("ERROR: 2018/allocation.xlsx, sheet 分解表, cell D2: nursing_type_beds has no "
            "allocation (kind measure): the allocation table holds targets of count and stock "
            "indicators only") in messages


def test_levels_may_fall_without_a_warning(tmp_path):
    # a stock (people receiving a subsidy) or a measure (beds in service) may go down; a flow
    # or a stage count may not
    raw = make_raw(tmp_path, allocation="seed")
    write_long_csv(progress_dir(raw) / "r.csv", [
        ("鹿城区", "subsidy_recipients", "", "2018-05-31", 4500),
        ("鹿城区", "subsidy_recipients", "", "2018-06-30", 4400),
        ("鹿城区", "institution_beds_total", "", "2018-05-31", 6000),
        ("鹿城区", "institution_beds_total", "", "2018-06-30", 5900),
        ("鹿城区", "new_township_care_centers", "site", "2018-05-31", 5),
        ("鹿城区", "new_township_care_centers", "site", "2018-06-30", 4),
    ], header=("district", "indicator", "stage", "as_of", "value"))
    dips = [p.message for p in ingest_year(raw, 2018).warnings if "went down" in p.message]
    assert dips == ["鹿城区 new_township_care_centers/site: cumulative figure went down from 5 "
                    "(2018-05-31) to 4 (2018-06-30)"]


def test_a_share_part_larger_than_its_whole_is_an_error(tmp_path):
    raw = make_raw(tmp_path, allocation="seed")
    write_long_csv(progress_dir(raw) / "r.csv", [
        ("鹿城区", "nursing_type_beds", "", "2018-06-30", 6100),
        ("鹿城区", "institution_beds_total", "", "2018-06-30", 6000),
        ("龙湾区", "nursing_type_beds", "", "2018-06-30", 100),
        ("龙湾区", "institution_beds_total", "", "2018-06-30", 100),  # equal is fine
    ], header=("district", "indicator", "stage", "as_of", "value"))
    assert [p.describe() for p in ingest_year(raw, 2018).errors] == [
        "ERROR: 2018/progress/r.csv, line 2: 鹿城区 nursing_type_beds 6100 exceeds "
        "institution_beds_total 6000 (2018/progress/r.csv:3): a part cannot exceed its whole"]
