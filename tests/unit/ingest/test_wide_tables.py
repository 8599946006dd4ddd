"""Wide district x indicator workbooks as they really arrive, built tiny in tmp_path."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from ingest_builders import HEADERS, build_workbook

from helpers.core.paths import RAW_DIR
from helpers.core.problems import ERROR
from helpers.ingest.catalog import load_catalog
from helpers.ingest.wide_tables import date_in_text, read_wide_workbook

BEDS = HEADERS["new_institution_beds"]
TRAINED = HEADERS["caregivers_trained"]
SUBSIDY = HEADERS["subsidy_recipients"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(RAW_DIR)


def read(path, catalog, blank_is_error=True, rel="t.xlsx"):
    return read_wide_workbook(path, rel, catalog, blank_is_error=blank_is_error)


def figures(table):
    """{(district, code): (value, coordinate)} of what was read."""
    return {(v.district, v.indicator): (v.value, v.coordinate) for v in table.values}


def where(table):
    """[(file, location, message)] of every problem."""
    return [(p.file, p.location, p.message) for p in table.problems]


# --- layout ---------------------------------------------------------------------------------


def test_plain_table(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS, TRAINED],
        ["鹿城区", 10, 5],
        ["龙湾区", 20, 6],
    ], title="分解表")
    table = read(path, catalog)
    assert table.problems == []
    assert table.file == "t.xlsx"
    assert table.sheet == "分解表"
    assert table.indicators == ["new_institution_beds", "caregivers_trained"]
    assert figures(table) == {
        ("鹿城区", "new_institution_beds"): (10, "B2"),
        ("鹿城区", "caregivers_trained"): (5, "C2"),
        ("龙湾区", "new_institution_beds"): (20, "B3"),
        ("龙湾区", "caregivers_trained"): (6, "C3"),
    }
    assert {v.sheet for v in table.values} == {"分解表"}
    assert all(type(v.value) is int for v in table.values)


def test_title_and_note_rows_above_the_header(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["附件"],
        ["2018年温州市社会养老服务体系建设重点任务分解表"],
        ["填报单位：（盖章）", None, None, "单位：张、人"],   # a note row with two cells
        ["序号", "县（市、区）", BEDS, TRAINED],
        [1, "鹿城区", 10, 5],
        [2, "龙湾区", 20, 6],
    ], merges=["A2:D2"])
    table = read(path, catalog)
    assert table.problems == []
    assert figures(table) == {
        ("鹿城区", "new_institution_beds"): (10, "C5"),
        ("鹿城区", "caregivers_trained"): (5, "D5"),
        ("龙湾区", "new_institution_beds"): (20, "C6"),
        ("龙湾区", "caregivers_trained"): (6, "D6"),
    }


def test_two_row_header_with_merged_group_and_merged_name_cells(tmp_path, catalog):
    # As the generated returns: 序号 and 县 merged over two rows, a group title over the figures.
    path = build_workbook(tmp_path / "t.xlsx", [
        ["2018年完成情况（截至2018年6月30日）"],
        ["序 号", "县（市、区）", "累计完成情况", None],
        [None, None, "新增机构\n床位（张）", "养老服务人员\n培训数（人）"],
        [1, "鹿城区", 10, 5],
        [2, "龙湾区", 20, 6],
    ], merges=["A1:D1", "A2:A3", "B2:B3", "C2:D2"])
    table = read(path, catalog)
    assert table.problems == []
    assert figures(table)[("龙湾区", "caregivers_trained")] == (6, "D5")
    assert len(table.values) == 4


def test_three_row_header_split_across_rows(tmp_path, catalog):
    # The indicator name is split over two header rows; only the joined text matches.
    path = build_workbook(tmp_path / "t.xlsx", [
        ["标题"],
        ["序号", "县（市、区）", "完成情况", None],
        [None, None, BEDS, "养老服务人员"],
        [None, None, None, "培训数（人）"],
        [1, "鹿城区", 10, 5],
    ], merges=["A2:A4", "B2:B4", "C2:D2", "C3:C4"])
    table = read(path, catalog)
    assert table.problems == []
    assert figures(table) == {
        ("鹿城区", "new_institution_beds"): (10, "C5"),
        ("鹿城区", "caregivers_trained"): (5, "D5"),
    }


def test_blank_rows_between_header_data_and_total(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS],
        [],
        [None, None],
        ["鹿城区", 10],
        [],
        ["龙湾区", 20],
        [],
        ["合计", 30],
    ])
    table = read(path, catalog)
    assert table.problems == []
    assert figures(table) == {("鹿城区", "new_institution_beds"): (10, "B4"),
                              ("龙湾区", "new_institution_beds"): (20, "B6")}


@pytest.mark.parametrize(("label", "merges"), [
    ("合 计", ["A4:B4"]),     # merged over 序号 and the name column, as in the seed table
    ("合计", []),             # in the 序号 column only
    ("全市合计", ["A4:B4"]),
    ("总计", []),
])
def test_total_row_equal_to_the_sum_is_accepted(tmp_path, catalog, label, merges):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["序号", "县（市、区）", BEDS, TRAINED],
        [1, "鹿城区", 10, 5],
        [2, "龙湾区", 20, 6],
        [label, None, 30, "11"],
    ], merges=merges)
    table = read(path, catalog)
    assert table.problems == []
    assert len(table.values) == 4
    assert "合计" not in {v.district for v in table.values}


def test_total_row_in_the_name_column(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS],
        ["鹿城区", 10],
        ["龙湾区", 20],
        ["合  计", 31],
    ])
    table = read(path, catalog)
    assert where(table) == [("t.xlsx", "sheet Sheet, cell B4",
                             "合计 row, column 新增机构床位 (B): total 31 ≠ sum of districts 30")]


def test_total_row_before_the_districts(tmp_path, catalog):
    # Many tables put 合计 first, right under the header.
    rows = [
        ["序号", "县（市、区）", BEDS, TRAINED],
        ["合计", None, 30, 12],
        [1, "鹿城区", 10, 5],
        [2, "龙湾区", 20, 6],
    ]
    table = read(build_workbook(tmp_path / "t.xlsx", rows, merges=["A2:B2"]), catalog)
    assert len(table.values) == 4
    assert where(table) == [("t.xlsx", "sheet Sheet, cell D2",
                             "合计 row, column 养老服务人员培训数 (D): total 12 ≠ sum of districts "
                             "11")]


def test_footnotes_end_the_table(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS],
        ["鹿城区", 10],
        ["龙湾区", 20],
        ["合计", 30],
        [],
        ["注：床位数为新增数。"],
        ["填报人：张三", "联系电话：0577-88888888"],
        ["瓯海区", "not counted"],   # below the notes: not part of the table
    ], merges=["A6:B6"])
    table = read(path, catalog)
    assert table.problems == []
    assert {v.district for v in table.values} == {"鹿城区", "龙湾区"}


def test_footnote_in_first_column_when_names_are_in_second(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["序号", "县（市、区）", BEDS],
        [1, "鹿城区", 10],
        ["注：数据截至6月底", None, None],
        [None, "xx区", 5],
    ])
    table = read(path, catalog)
    assert table.problems == []
    assert len(table.values) == 1


@pytest.mark.parametrize("with_number_column", [True, False])
def test_optional_number_column(tmp_path, catalog, with_number_column):
    lead = [["序号"], [1], [2]] if with_number_column else [[], [], []]
    rows = [
        [*lead[0], "县（市、区）", BEDS],
        [*lead[1], "鹿城区", 10],
        [*lead[2], "龙湾区", 20],
    ]
    table = read(build_workbook(tmp_path / "t.xlsx", rows), catalog)
    assert table.problems == []
    col = "C" if with_number_column else "B"
    assert figures(table) == {("鹿城区", "new_institution_beds"): (10, f"{col}2"),
                              ("龙湾区", "new_institution_beds"): (20, f"{col}3")}


def test_any_column_order_names_last(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        [TRAINED, BEDS, "序号", "地区"],
        [5, 10, 1, "鹿城区"],
        [6, 20, 2, "龙湾区"],
        [11, 30, None, "合计"],
    ])
    table = read(path, catalog)
    assert table.problems == []
    assert table.indicators == ["caregivers_trained", "new_institution_beds"]
    assert figures(table) == {
        ("鹿城区", "caregivers_trained"): (5, "A2"),
        ("鹿城区", "new_institution_beds"): (10, "B2"),
        ("龙湾区", "caregivers_trained"): (6, "A3"),
        ("龙湾区", "new_institution_beds"): (20, "B3"),
    }


def test_subset_of_indicators(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["区域", SUBSIDY], ["洞头区", 755]])
    table = read(path, catalog)
    assert table.problems == []
    assert table.indicators == ["subsidy_recipients"]
    assert figures(table) == {("洞头区", "subsidy_recipients"): (755, "B2")}


def test_table_on_a_later_sheet(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS], ["鹿城区", 10]],
                          title="数据", extra_sheets=[("说明", [["本表说明"], ["各地按时填报"]])])
    table = read(path, catalog)
    assert table.problems == []
    assert table.sheet == "数据"
    assert [v.sheet for v in table.values] == ["数据"]


# --- headers and names matched to the catalogue ------------------------------------------------


@pytest.mark.parametrize(("header", "code"), [
    ("新增机构床位（张）", "new_institution_beds"),
    ("新增机构床位(张)", "new_institution_beds"),
    ("新增机构\n床位", "new_institution_beds"),
    (" 新增 机构床位 （ 张 ） ", "new_institution_beds"),
    ("2018年享受养老服务补贴总人数（人）", "subsidy_recipients"),
    ("享受养老服务补贴总人数", "subsidy_recipients"),
    ("“智慧用电”安装数（个）", "smart_electricity_installs"),
    ('"智慧用电"安装数(个)', "smart_electricity_installs"),
    ("具备助餐，配送餐服务的照料中心数（个）", "meal_service_stations"),
    ("新增镇(街)养老服务中心(示范型居家养老服务中心)(个)", "new_township_care_centers"),
    ("县（市、区）本级启动建设200张床位以上公办护理型养老机构（个）",
     "public_nursing_homes_started"),
    ("新增养老护理领军人才工作室", "leading_nurse_studios"),
    ("新增机构床位", "new_institution_beds"),            # catalogue short name
    ("new_institution_beds", "new_institution_beds"),    # code
    ("New beds in care institutions", "new_institution_beds"),  # English name
])
def test_header_variants_match_the_catalogue(tmp_path, catalog, header, code):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", header], ["鹿城区", 3]])
    table = read(path, catalog)
    assert table.problems == []
    assert table.indicators == [code]


@pytest.mark.parametrize(("name", "district"), [
    (" 瓯海区 ", "瓯海区"),
    ("瓯 海 区", "瓯海区"),
    ("\u3000瓯海区\u3000", "瓯海区"),
    ("瓯海区\n", "瓯海区"),
    ("经开区", "经开区"),
    ("浙南产业集聚区", "经开区"),
    ("温州浙南产业集聚区", "经开区"),
    ("温州经济技术开发区", "经开区"),
    (" 浙南产业集聚区 ", "经开区"),
])
def test_district_names_and_aliases(tmp_path, catalog, name, district):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS], ["鹿城区", 1], [name, 7]])
    table = read(path, catalog)
    assert table.problems == []
    assert figures(table)[(district, "new_institution_beds")] == (7, "B3")


@pytest.mark.parametrize(("cell", "value"), [
    (1750, 1750),
    (2450.0, 2450),
    ("2450.0", 2450),
    ("1750", 1750),
    ("1,750", 1750),
    ("15,000", 15000),
    ("１７５０", 1750),
    ("１，７５０", 1750),
    (" 1750 ", 1750),
    ("1750张", 1750),
    (0, 0),
])
def test_numbers_as_they_arrive(tmp_path, catalog, cell, value):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS], ["鹿城区", cell]])
    table = read(path, catalog)
    assert table.problems == []
    assert figures(table) == {("鹿城区", "new_institution_beds"): (value, "B2")}


def test_total_row_numbers_as_text_are_compared_as_numbers(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS],
        ["鹿城区", "1,750"],
        ["龙湾区", "６００"],
        ["合计", "2,350.0"],
    ])
    assert read(path, catalog).problems == []


# --- errors, each located ---------------------------------------------------------------------


def test_unknown_district(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["序号", "县（市、区）", BEDS],
        [1, "鹿城区", 10],
        [2, "龙湾新区", 20],
    ], title="分解表")
    table = read(path, catalog, rel="2018/allocation.xlsx")
    assert where(table) == [("2018/allocation.xlsx", "sheet 分解表, cell B3",
                             "unknown district '龙湾新区'")]
    assert [v.district for v in table.values] == ["鹿城区"]


def test_unknown_indicator(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS, "新增护理型床位（张）"],
        ["鹿城区", 10, 4],
    ])
    table = read(path, catalog)
    assert len(table.problems) == 1
    problem = table.problems[0]
    assert (problem.file, problem.location) == ("t.xlsx", "sheet Sheet, cell C1")
    assert "unknown indicator" in problem.message
    assert "新增护理型床位" in problem.message
    assert problem.severity == ERROR
    assert table.indicators == ["new_institution_beds"]


def test_unknown_indicator_reported_at_the_lowest_header_row(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", "完成情况", None],
        [None, BEDS, "其他床位"],
        ["鹿城区", 10, 4],
    ], merges=["A1:A2", "B1:C1"])
    table = read(path, catalog)
    assert [(p.location, "unknown indicator" in p.message) for p in table.problems] == [
        ("sheet Sheet, cell C2", True)]


def test_column_without_figures_and_unknown_header_is_ignored(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["序号", "县（市、区）", BEDS, "备注", "联系人"],
        [1, "鹿城区", 10, None, None],
    ])
    assert read(path, catalog).problems == []


def test_indicator_twice(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS, "新增机构床位"],
        ["鹿城区", 10, 10],
    ])
    table = read(path, catalog)
    assert where(table) == [("t.xlsx", "sheet Sheet, cell C1",
                             "indicator new_institution_beds appears twice (columns B and C)")]


def test_duplicate_district_row(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS],
        ["鹿城区", 10],
        ["龙湾区", 20],
        [" 鹿城区", 11],
    ])
    table = read(path, catalog)
    assert where(table) == [("t.xlsx", "sheet Sheet, row 4",
                             "duplicate row for 鹿城区 (first in row 2)")]
    assert figures(table)[("鹿城区", "new_institution_beds")] == (10, "B2")


def test_alias_and_name_are_the_same_district(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS],
        ["经开区", 10],
        ["温州经济技术开发区", 10],
    ])
    table = read(path, catalog)
    assert where(table) == [("t.xlsx", "sheet Sheet, row 3",
                             "duplicate row for 经开区 (first in row 2)")]


def test_negative_value(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS], ["鹿城区", -10]])
    table = read(path, catalog)
    assert where(table) == [("t.xlsx", "sheet Sheet, cell B2", "-10 is negative")]
    assert table.values == []


def test_negative_value_as_text(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS], ["鹿城区", "－１０"]])
    assert where(read(path, catalog)) == [("t.xlsx", "sheet Sheet, cell B2", "-10 is negative")]


@pytest.mark.parametrize(("cell", "words"), [
    ("abc", "'abc' is not a number"),
    ("约50", "'约50' is not a number"),
    ("—", "is not a number"),
    (True, "true/false"),
    (12.5, "12.5 is not a whole number"),
    ("3.5", "3.5 is not a whole number"),
    (dt.datetime(2018, 6, 30), "is not a number"),
])
def test_non_numeric_value(tmp_path, catalog, cell, words):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS], ["鹿城区", cell]])
    table = read(path, catalog)
    assert len(table.problems) == 1
    problem = table.problems[0]
    assert (problem.file, problem.location) == ("t.xlsx", "sheet Sheet, cell B2")
    assert words in problem.message
    assert table.values == []


def test_empty_figure_is_an_error_in_an_allocation(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS, TRAINED],
                                                ["鹿城区", 1, None],
                                                ["龙湾区", 2, 3]])
    table = read(path, catalog, blank_is_error=True)
    assert where(table) == [("t.xlsx", "sheet Sheet, cell C2", "empty figure")]


def test_empty_figure_is_not_reported_in_a_progress_return(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS, TRAINED],
                                                ["鹿城区", 1, None],
                                                ["龙湾区", 2, 3]])
    table = read(path, catalog, blank_is_error=False)
    assert table.problems == []
    assert ("鹿城区", "caregivers_trained") not in figures(table)
    assert len(table.values) == 3


def test_total_not_equal_to_sum_names_column_and_both_figures(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["标题"],
        ["序号", "县（市、区）", BEDS, SUBSIDY],
        [1, "鹿城区", 1750, 4540],
        [2, "龙湾区", 600, 1130],
        ["合 计", None, 2340, 5670],
    ], merges=["A5:B5"], title="分解表")
    table = read(path, catalog, rel="2018/allocation.xlsx")
    assert len(table.problems) == 1
    problem = table.problems[0]
    assert problem.file == "2018/allocation.xlsx"
    assert problem.location == "sheet 分解表, cell C5"
    assert "新增机构床位" in problem.message          # the column, by name
    assert "(C)" in problem.message                   # and by letter
    assert "2340" in problem.message and "2350" in problem.message   # both figures
    assert "合计" in problem.message


def test_total_row_non_numeric(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS], ["鹿城区", 1],
                                                ["合计", "见附表"]])
    table = read(path, catalog)
    assert where(table) == [("t.xlsx", "sheet Sheet, cell B3", "total: '见附表' is not a number")]


def test_no_spurious_total_mismatch_when_a_district_figure_is_wrong(tmp_path, catalog):
    # The bad cell is the problem; the total is not also blamed for it.
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS, TRAINED],
        ["鹿城区", "abc", 5],
        ["龙湾区", 20, 6],
        ["龙湾新区", 1, 1],
        ["合计", 30, 11],
    ])
    table = read(path, catalog)
    assert sorted(where(table)) == [
        ("t.xlsx", "sheet Sheet, cell A4", "unknown district '龙湾新区'"),
        ("t.xlsx", "sheet Sheet, cell B2", "'abc' is not a number"),
    ]


def test_row_with_figures_but_no_district(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["序号", "县（市、区）", BEDS],
        [1, "鹿城区", 10],
        [2, None, 20],
    ])
    table = read(path, catalog)
    assert where(table) == [("t.xlsx", "sheet Sheet, row 3",
                             "row has figures but no district name")]


def test_every_problem_in_one_pass(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["2018年分解表"],
        ["序号", "县（市、区）", BEDS, TRAINED, SUBSIDY, "新增护理型床位（张）"],
        [],
        [1, "鹿城区", 10, -5, 100, 1],
        [2, "龙湾新区", 20, 6, 200, 1],
        [3, "瓯海区", "abc", 7, 300, 1],
        [4, "鹿城区", 11, 8, 400, 1],
        [5, "洞头区", 4, 2.5, 500, 1],
        ["合 计", None, 34, 13, 1000, 5],
        ["注：示例。"],
    ], merges=["A9:B9"], title="分解表")
    table = read(path, catalog, rel="2018/allocation.xlsx")
    found = sorted((p.location, p.message) for p in table.problems)
    assert found == sorted([
        # the nearest names of the catalogue, best first, for the clerk to choose from
        ("sheet 分解表, cell F2", "unknown indicator '新增护理型床位(张)' (not in "
                                 "catalog/indicators.csv); did you mean 护理型床位数 or "
                                 "护理型床位占机构床位比例 or 新增机构床位?"),
        ("sheet 分解表, cell D4", "-5 is negative"),
        ("sheet 分解表, cell B5", "unknown district '龙湾新区'"),
        ("sheet 分解表, cell C6", "'abc' is not a number"),
        ("sheet 分解表, row 7", "duplicate row for 鹿城区 (first in row 4)"),
        ("sheet 分解表, cell D8", "2.5 is not a whole number"),
    ])
    assert {p.file for p in table.problems} == {"2018/allocation.xlsx"}
    assert all(p.severity == ERROR for p in table.problems)


def test_every_total_mismatch_reported(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["县（市、区）", BEDS, TRAINED, SUBSIDY],
        ["鹿城区", 10, 5, 100],
        ["龙湾区", 20, 6, 200],
        ["合计", 31, 11, 299],
    ])
    table = read(path, catalog)
    assert [(p.location, p.message) for p in table.problems] == [
        ("sheet Sheet, cell B4", "合计 row, column 新增机构床位 (B): total 31 ≠ sum of "
                                 "districts 30"),
        ("sheet Sheet, cell D4", "合计 row, column 享受养老服务补贴总人数 (D): total 299 ≠ sum of "
                                 "districts 300"),
    ]


# --- files that are not district tables ------------------------------------------------------


def _corrupt(kind: str, path):
    if kind == "random bytes":
        path.write_bytes(bytes(range(256)) * 4)
    elif kind == "empty file":
        path.write_bytes(b"")
    elif kind == "zip that is not a workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "not a workbook")
    elif kind == "truncated workbook":
        build_workbook(path, [["县（市、区）", BEDS], ["鹿城区", 1]])
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize("kind", ["random bytes", "empty file", "zip that is not a workbook",
                                  "truncated workbook"])
def test_corrupt_file_is_one_clear_problem(tmp_path, catalog, kind):
    path = _corrupt(kind, tmp_path / "t.xlsx")
    table = read(path, catalog, rel="2018/progress/2018-03-31.xlsx")
    assert len(table.problems) == 1
    problem = table.problems[0]
    assert problem.file == "2018/progress/2018-03-31.xlsx"
    assert problem.location == ""
    assert "unreadable or corrupt" in problem.message
    assert problem.severity == ERROR
    assert table.values == []


def test_workbook_without_a_district_table(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["标题"], ["地区", BEDS], ["某某区", 1]])
    table = read(path, catalog)
    assert len(table.problems) == 1
    assert table.problems[0].location == ""
    assert "no sheet contains a row naming a known district" in table.problems[0].message


def test_no_header_above_the_districts(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["鹿城区", 10], ["龙湾区", 20]])
    table = read(path, catalog)
    assert where(table) == [("t.xlsx", "sheet Sheet, row 1",
                             "no header row above the first district row")]


def test_header_matching_no_indicator(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", "序号"], ["鹿城区", 1]])
    table = read(path, catalog)
    assert where(table) == [("t.xlsx", "sheet Sheet, row 1",
                             "no column header matches a catalogue indicator")]


# --- reporting date in the title -------------------------------------------------------------


@pytest.mark.parametrize(("text", "date"), [
    ("截至2018年6月30日", dt.date(2018, 6, 30)),
    ("（截至 2018 年 6 月 30 日）", dt.date(2018, 6, 30)),
    ("截至２０１８年６月３０日", dt.date(2018, 6, 30)),
    ("2018-06-30", dt.date(2018, 6, 30)),
    ("2018/6/30", dt.date(2018, 6, 30)),
    ("2018.06.30", dt.date(2018, 6, 30)),
    ("2018年2月30日", None),    # not a calendar date
    ("2018年上半年", None),
    ("", None),
])
def test_date_in_text(text, date):
    assert date_in_text(text) == date


def test_title_date_is_found_with_its_cell(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["2018年重点任务完成情况"],
        [None, None, "截至2018年8月31日"],
        ["县（市、区）", BEDS, TRAINED],
        ["鹿城区", 1, 2],
    ], title="进度")
    table = read(path, catalog, blank_is_error=False)
    assert table.problems == []
    assert table.as_of == dt.date(2018, 8, 31)
    assert table.date_location == "sheet 进度, cell C2"


def test_title_date_as_a_date_cell(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [
        ["报送日期", dt.datetime(2018, 9, 30)],
        ["县（市、区）", BEDS],
        ["鹿城区", 1],
    ])
    table = read(path, catalog, blank_is_error=False)
    assert table.as_of == dt.date(2018, 9, 30)
    assert table.date_location == "sheet Sheet, cell B1"


def test_no_title_date(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS], ["鹿城区", 1]])
    table = read(path, catalog, blank_is_error=False)
    assert table.as_of is None
    assert table.date_location == ""


def test_dates_below_the_header_are_not_the_reporting_date(tmp_path, catalog):
    path = build_workbook(tmp_path / "t.xlsx", [["县（市、区）", BEDS], ["鹿城区", 1],
                                                ["注：截至2018年6月30日"]])
    assert read(path, catalog, blank_is_error=False).as_of is None


# --- hostile files --------------------------------------------------------------------------

def test_zip_bomb_is_rejected_without_unpacking(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (220 * 1024 * 1024))
    table = read_wide_workbook(path, "2018/progress/bomb.xlsx", load_catalog(RAW_DIR),
                               blank_is_error=False)
    assert [p.message for p in table.problems] == [
        "workbook rejected: it would unpack to 220 MiB (a zip bomb?)"]


def test_openpyxl_parses_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    from helpers.ingest.wide_tables import require_safe_xml

    assert DEFUSEDXML is True
    require_safe_xml()  # does not raise in the locked environment


def test_unsafe_xml_parser_is_refused(monkeypatch):
    import openpyxl.xml

    from helpers.core.errors import ReportError
    from helpers.ingest.wide_tables import require_safe_xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(ReportError, match="defusedxml"):
        require_safe_xml()
