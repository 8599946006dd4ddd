"""Ingest of a year's raw folder: the bundled allocation, long and wide progress returns, checks
across files, and the atomic write of the processed tables."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from ingest_builders import (
    HEADERS,
    NAMES_ZH,
    SEED_CODES,
    SEED_DISTRICTS,
    SEED_TABLE,
    SEED_TEXT,
    SEED_TOTAL,
    SMALL_CODES,
    SMALL_TARGETS,
    build_workbook,
    full_return,
    make_raw,
    progress_dir,
    seed_source,
    seed_target,
    wide_return_rows,
    write_long_csv,
)

import helpers.ingest.returns as ingest_module
from helpers.core.errors import InputRejected
from helpers.core.paths import RAW_DIR
from helpers.core.problems import ERROR, WARNING
from helpers.ingest.returns import ingest_year, raise_for_errors, write_processed

YEAR = 2018


def problem_rows(result):
    return [(p.severity, p.file, p.location, p.message) for p in result.problems]


# --- the hand-typed expectation is the published table ----------------------------------------


def test_hand_typed_table_adds_up_to_its_total_row():
    for i, total in enumerate(SEED_TOTAL):
        assert sum(values[i] for values in SEED_TABLE.values()) == total, SEED_CODES[i]


def test_hand_typed_table_matches_the_seed_text():
    if not SEED_TEXT.is_file():
        pytest.skip("seed 001 text not available")
    text = SEED_TEXT.read_text(encoding="utf-8")
    annex = text[text.rindex("分解表"):]
    cells = [line.strip() for line in annex.splitlines() if line.strip()]
    for district, values in SEED_TABLE.items():
        at = cells.index(district)
        assert [int(v) for v in cells[at + 1: at + 16]] == values, district
    at = cells.index("合 计")
    assert [int(v) for v in cells[at + 1: at + 16]] == SEED_TOTAL


# --- the bundled allocation -------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_only(tmp_path_factory):
    """Ingest of the real catalogue and allocation, without progress returns."""
    raw = make_raw(tmp_path_factory.mktemp("seed"), allocation="seed")
    return ingest_year(raw, YEAR)


def test_seed_allocation_has_no_problems(seed_only):
    assert seed_only.problems == []


def test_seed_allocation_luchang_beds(seed_only):
    alloc = seed_only.allocation
    row = alloc[(alloc["district"] == "鹿城区") & (alloc["indicator"] == "new_institution_beds")]
    assert len(row) == 1
    assert int(row["target"].iloc[0]) == 1750
    assert row["source"].iloc[0] == "2018/allocation.xlsx!分解表!D5"


def test_seed_allocation_totals(seed_only):
    alloc = seed_only.allocation
    assert int(alloc.loc[alloc["indicator"] == "new_institution_beds", "target"].sum()) == 15000
    assert int(alloc.loc[alloc["indicator"] == "subsidy_recipients", "target"].sum()) == 40290


def test_seed_allocation_is_12_by_15(seed_only):
    alloc = seed_only.allocation
    assert len(alloc) == 180
    assert set(alloc["district"]) == set(SEED_DISTRICTS)
    assert set(alloc["indicator"]) == set(SEED_CODES)
    assert not alloc.duplicated(["district", "indicator"]).any()
    assert list(alloc.columns) == ["district", "indicator", "target", "source"]


def test_seed_allocation_every_figure_and_source(seed_only):
    got = {(r.district, r.indicator): (int(r.target), r.source)
           for r in seed_only.allocation.itertuples()}
    expected = {(d, c): (seed_target(d, c), seed_source(d, c))
                for d in SEED_DISTRICTS for c in SEED_CODES}
    assert got == expected


def test_seed_allocation_in_catalogue_order(seed_only):
    alloc = seed_only.allocation
    assert list(alloc["district"].iloc[::15]) == SEED_DISTRICTS
    assert list(alloc["indicator"].iloc[:15]) == SEED_CODES


def test_seed_allocation_inputs(seed_only):
    by_path = {i.path: i for i in seed_only.inputs}
    assert by_path["2018/allocation.xlsx"].kind == "allocation"
    assert by_path["2018/allocation.xlsx"].figures == 180
    assert {"catalog/indicators.csv", "catalog/districts.csv",
            "2018/plan/milestones.csv"} <= set(by_path)
    assert seed_only.progress.empty
    assert seed_only.reporting_dates == []


def test_bundled_raw_folder_has_no_errors():
    result = ingest_year(RAW_DIR, YEAR)
    assert result.errors == []
    assert [p for p in result.problems if p.file.endswith("allocation.xlsx")] == []
    assert len(result.allocation) == 180


def test_missing_allocation(tmp_path):
    raw = make_raw(tmp_path, allocation=None)
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [(ERROR, "2018/allocation.xlsx", "",
                                     "allocation table not found")]


@pytest.mark.parametrize("kind", ["random bytes", "empty file", "zip that is not a workbook"])
def test_corrupt_allocation(tmp_path, kind):
    raw = make_raw(tmp_path, allocation=None)
    _corrupt(raw / "2018" / "allocation.xlsx", kind)
    result = ingest_year(raw, YEAR)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.file, problem.location) == ("2018/allocation.xlsx", "")
    assert "unreadable or corrupt" in problem.message


def test_allocation_errors_are_all_reported(tmp_path):
    raw = make_raw(tmp_path, allocation=None)
    build_workbook(raw / "2018" / "allocation.xlsx", [
        ["分解表"],
        ["县（市、区）", *(HEADERS[c] for c in SMALL_CODES)],
        ["鹿城区", 100, -1],
        ["鹿城新区", 60, 30],
        ["洞头区", "四十", 20],
        ["合计", 999, 100],
    ], title="分解表")
    result = ingest_year(raw, YEAR)
    assert sorted((p.location, p.message) for p in result.errors) == sorted([
        ("sheet 分解表, cell A4", "unknown district '鹿城新区'"),
        ("sheet 分解表, cell B5", "'四十' is not a number"),
        ("sheet 分解表, cell C3", "-1 is negative"),
    ])
    with pytest.raises(InputRejected) as info:
        raise_for_errors(result)
    assert "3 input error(s)" in str(info.value)
    assert "2018/allocation.xlsx, sheet 分解表, cell A4" in str(info.value)


def test_allocation_total_mismatch(tmp_path):
    raw = make_raw(tmp_path, allocation=None)
    rows = [["县（市、区）", *(HEADERS[c] for c in SMALL_CODES)],
            *([d, *v] for d, v in SMALL_TARGETS.items()),
            ["合 计", 200, 101]]
    build_workbook(raw / "2018" / "allocation.xlsx", rows, title="分解表")
    result = ingest_year(raw, YEAR)
    assert len(result.errors) == 1
    problem = result.errors[0]
    assert (problem.file, problem.location) == ("2018/allocation.xlsx", "sheet 分解表, cell C5")
    assert "享受养老服务补贴总人数" in problem.message
    assert "101" in problem.message and "100" in problem.message


# --- long (CSV) returns ---------------------------------------------------------------------


def _corrupt(path: Path, kind: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "random bytes":
        path.write_bytes(bytes((i * 37 + 11) % 256 for i in range(2048)))
    elif kind == "empty file":
        path.write_bytes(b"")
    elif kind == "zip that is not a workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("data.csv", "a,b\n1,2\n")
    return path


def _progress(result):
    return {(r.district, r.indicator, r.as_of): (int(r.value), r.source)
            for r in result.progress.itertuples()}


def test_long_return_by_code_and_by_chinese_name(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", [
        ("鹿城区", "new_institution_beds", "2018-01-31", 10),
        ("鹿城区", NAMES_ZH["subsidy_recipients"], "2018-01-31", "1,234"),
        (" 龙湾区 ", "新增机构床位（张）", "2018-01-31", "１２"),
        ("龙湾区", "2018年享受养老服务补贴总人数（人）", "2018-01-31", "30.0"),
        ("洞头区", "New beds in care institutions", "2018/1/31", 4),
        ("洞头区", "subsidy_recipients", "2018年1月31日", 0),
    ])
    result = ingest_year(raw, YEAR)
    assert result.problems == []
    jan = dt.date(2018, 1, 31)
    rel = "2018/progress/2018-01-31.csv"
    assert _progress(result) == {
        ("鹿城区", "new_institution_beds", jan): (10, f"{rel}:2"),
        ("鹿城区", "subsidy_recipients", jan): (1234, f"{rel}:3"),
        ("龙湾区", "new_institution_beds", jan): (12, f"{rel}:4"),
        ("龙湾区", "subsidy_recipients", jan): (30, f"{rel}:5"),
        ("洞头区", "new_institution_beds", jan): (4, f"{rel}:6"),
        ("洞头区", "subsidy_recipients", jan): (0, f"{rel}:7"),
    }
    assert result.reporting_dates == [jan]
    progress_input = next(i for i in result.inputs if i.path == rel)
    assert (progress_input.kind, progress_input.as_of, progress_input.figures) == (
        "progress", jan, 6)


def test_long_return_aliases(tmp_path):
    raw = make_raw(tmp_path, allocation="seed")
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", [
        ("浙南产业集聚区", "new_institution_beds", "2018-01-31", 1),
        ("温州经济技术开发区", "caregivers_trained", "2018-01-31", 2),
        ("经开区", "subsidy_recipients", "2018-01-31", 3),
    ])
    result = ingest_year(raw, YEAR)
    assert result.errors == []
    assert set(result.progress["district"]) == {"经开区"}


def test_long_return_gbk_encoded(tmp_path):
    raw = make_raw(tmp_path)
    path = write_long_csv(progress_dir(raw) / "2018-02-28.csv",
                          full_return("2018-02-28", {"鹿城区": [7, 8], "龙湾区": [1, 2],
                                                     "洞头区": [3, 4]}), encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    result = ingest_year(raw, YEAR)
    assert result.problems == []
    feb = dt.date(2018, 2, 28)
    assert _progress(result)[("鹿城区", "subsidy_recipients", feb)][0] == 8


def test_long_return_with_chinese_indicator_names_in_gbk(tmp_path):
    raw = make_raw(tmp_path)
    rows = [(d, NAMES_ZH[c], "2018-02-28", 5) for d in SMALL_TARGETS for c in SMALL_CODES]
    write_long_csv(progress_dir(raw) / "2018-02-28.csv", rows, encoding="gb18030")
    result = ingest_year(raw, YEAR)
    assert result.problems == []
    assert len(result.progress) == 6


def test_long_return_utf8_with_bom(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "2018-02-28.csv", full_return("2018-02-28"),
                   encoding="utf-8-sig")
    result = ingest_year(raw, YEAR)
    assert result.problems == []
    assert len(result.progress) == 6


def test_long_return_extra_columns_and_other_order(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "x.csv",
                   [(5, "2018-03-31", "鹿城区", "备注", "new_institution_beds")],
                   header=("value", "as_of", "District", "note", "Indicator"))
    result = ingest_year(raw, YEAR)
    assert result.errors == []
    assert _progress(result) == {("鹿城区", "new_institution_beds", dt.date(2018, 3, 31)):
                                 (5, "2018/progress/x.csv:2")}


def test_long_return_duplicate_lines(tmp_path):
    raw = make_raw(tmp_path)
    rows = [*full_return("2018-01-31"), ("鹿城区", "新增机构床位", "2018-01-31", 1)]
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", rows)
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [
        (ERROR, "2018/progress/2018-01-31.csv", "line 8",
         "duplicate entry for 鹿城区 new_institution_beds 2018-01-31 (first on line 2)")]
    assert len(result.progress) == 6


def test_long_return_date_outside_the_year(tmp_path):
    raw = make_raw(tmp_path)
    rows = [*full_return("2018-01-31"), ("鹿城区", "new_institution_beds", "2017-12-31", 1)]
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", rows)
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [(ERROR, "2018/progress/2018-01-31.csv", "line 8",
                                     "reporting date 2017-12-31 is outside 2018")]
    assert dt.date(2017, 12, 31) not in set(result.progress["as_of"])


def test_long_return_every_line_problem(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "r.csv", [
        ("鹿城区", "new_institution_beds", "2018-01-31", 1),     # line 2 fine
        ("鹿城新区", "new_institution_beds", "2018-01-31", 1),   # 3 unknown district
        ("鹿城区", "新增护理型床位", "2018-01-31", 1),            # 4 unknown indicator
        ("鹿城区", "subsidy_recipients", "六月底", 1),            # 5 not a date
        ("龙湾区", "new_institution_beds", "2018-01-31", "-3"),  # 6 negative
        ("龙湾区", "subsidy_recipients", "2018-01-31", "很多"),   # 7 not a number
        ("洞头区", "new_institution_beds", "2018-01-31", "1.5"),  # 8 not whole
        ("洞头区", "subsidy_recipients", "2018-01-31", ""),      # 9 empty
        ("某某县", "某某指标", "2019-01-31", "x"),                 # 10 four problems at once
    ])
    result = ingest_year(raw, YEAR)
    rel = "2018/progress/r.csv"
    found = sorted((p.location, p.message) for p in result.errors)
    assert found == sorted([
        ("line 3", "unknown district '鹿城新区'"),
        ("line 4", "unknown indicator '新增护理型床位'"),
        ("line 5", "as_of '六月底' is not a date (YYYY-MM-DD)"),
        ("line 6", "-3 is negative"),
        ("line 7", "'很多' is not a number"),
        ("line 8", "1.5 is not a whole number"),
        ("line 9", "empty value"),
        ("line 10", "unknown district '某某县'"),
        ("line 10", "unknown indicator '某某指标'"),
        ("line 10", "reporting date 2019-01-31 is outside 2018"),
        ("line 10", "'x' is not a number"),
    ])
    assert {p.file for p in result.errors} == {rel}
    assert _progress(result) == {("鹿城区", "new_institution_beds", dt.date(2018, 1, 31)):
                                 (1, f"{rel}:2")}


def test_long_return_blank_lines_are_skipped_but_counted(tmp_path):
    raw = make_raw(tmp_path)
    path = progress_dir(raw) / "r.csv"
    path.write_text("district,indicator,as_of,value\n\n,,,\n鹿城区,new_institution_beds,"
                    "2018-01-31,-1\n", encoding="utf-8")
    result = ingest_year(raw, YEAR)
    assert [(p.location, p.message) for p in result.errors] == [("line 4", "-1 is negative")]


def test_long_return_missing_columns(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "r.csv", [("鹿城区", "2018-01-31", 1)],
                   header=("district", "date", "value"))
    result = ingest_year(raw, YEAR)
    assert len(result.errors) == 1
    problem = result.errors[0]
    assert (problem.file, problem.location) == ("2018/progress/r.csv", "line 1")
    assert "indicator" in problem.message and "as_of" in problem.message


def test_long_return_not_text(tmp_path):
    raw = make_raw(tmp_path)
    (progress_dir(raw) / "r.csv").write_bytes(b"\xff\xfe\x80\x81\xff" * 10)
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [(ERROR, "2018/progress/r.csv", "",
                                     "not readable as UTF-8 or GB18030 text")]


def test_unexpected_file_types_and_ignored_files(tmp_path):
    raw = make_raw(tmp_path)
    folder = progress_dir(raw)
    (folder / "2018-01-31.xls").write_bytes(b"old excel")
    (folder / "~$2018-03-31.xlsx").write_bytes(b"lock file")
    (folder / ".hidden.csv").write_bytes(b"\xff\xff")
    (folder / "README.md").write_text("notes", encoding="utf-8")
    result = ingest_year(raw, YEAR)
    assert len(result.problems) == 1
    assert result.problems[0].file == "2018/progress/2018-01-31.xls"
    assert "unexpected file type .xls" in result.problems[0].message


# --- wide (xlsx) returns ----------------------------------------------------------------------


def test_wide_return_date_from_file_name(tmp_path):
    raw = make_raw(tmp_path)
    build_workbook(progress_dir(raw) / "2018-03-31.xlsx",
                   wide_return_rows(None, {"鹿城区": [1, 2], "龙湾区": ["3", "４"],
                                           "浙南产业集聚区": [5.0, "6"]}), title="进度")
    result = ingest_year(raw, YEAR)
    # 浙南产业集聚区 (经开区) has no target in the small allocation: an error per figure.
    assert sorted((p.location, p.message) for p in result.errors) == [
        ("sheet 进度, cell B5", "经开区 new_institution_beds has no target in the allocation "
                               "table"),
        ("sheet 进度, cell C5", "经开区 subsidy_recipients has no target in the allocation table"),
    ]
    mar = dt.date(2018, 3, 31)
    assert _progress(result)[("龙湾区", "subsidy_recipients", mar)] == (
        4, "2018/progress/2018-03-31.xlsx!进度!C4")


def test_wide_return_date_from_title(tmp_path):
    raw = make_raw(tmp_path)
    build_workbook(progress_dir(raw) / "六月进度.xlsx",
                   wide_return_rows("完成情况（截至2018年6月30日）",
                                    {d: [1, 1] for d in SMALL_TARGETS}))
    result = ingest_year(raw, YEAR)
    assert result.problems == []
    assert result.reporting_dates == [dt.date(2018, 6, 30)]
    assert len(result.progress) == 6


def test_wide_return_title_date_differs_from_file_name(tmp_path):
    raw = make_raw(tmp_path)
    build_workbook(progress_dir(raw) / "2018-06-30.xlsx",
                   wide_return_rows("截至2018年5月31日", {d: [1, 1] for d in SMALL_TARGETS}))
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [
        (ERROR, "2018/progress/2018-06-30.xlsx", "sheet Sheet, cell A1",
         "title date 2018-05-31 differs from file name date 2018-06-30")]


def test_wide_return_file_name_date_outside_the_year(tmp_path):
    raw = make_raw(tmp_path)
    build_workbook(progress_dir(raw) / "2017-12-31.xlsx",
                   wide_return_rows(None, {d: [1, 1] for d in SMALL_TARGETS}))
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [(ERROR, "2018/progress/2017-12-31.xlsx", "file name",
                                     "reporting date 2017-12-31 is outside 2018")]
    assert result.progress.empty


def test_wide_return_title_date_outside_the_year(tmp_path):
    raw = make_raw(tmp_path)
    build_workbook(progress_dir(raw) / "returns.xlsx",
                   wide_return_rows("截至2019年1月31日", {d: [1, 1] for d in SMALL_TARGETS}),
                   title="进度")
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [(ERROR, "2018/progress/returns.xlsx", "sheet 进度, cell A1",
                                     "reporting date 2019-01-31 is outside 2018")]
    assert result.progress.empty


def test_wide_return_file_name_not_a_calendar_date(tmp_path):
    raw = make_raw(tmp_path)
    build_workbook(progress_dir(raw) / "2018-02-30.xlsx",
                   wide_return_rows(None, {d: [1, 1] for d in SMALL_TARGETS}))
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [(ERROR, "2018/progress/2018-02-30.xlsx", "",
                                     "file name date 2018-02-30 is not a calendar date")]
    assert result.progress.empty


@pytest.mark.parametrize("bad_cell", [False, True])
def test_wide_return_without_any_date(tmp_path, bad_cell):
    raw = make_raw(tmp_path)
    values = {d: [1, 1] for d in SMALL_TARGETS}
    if bad_cell:
        values["鹿城区"] = ["abc", 1]
    build_workbook(progress_dir(raw) / "returns.xlsx", wide_return_rows(None, values))
    result = ingest_year(raw, YEAR)
    rel = "2018/progress/returns.xlsx"
    expected = [(ERROR, rel, "", "no reporting date: name the file YYYY-MM-DD.xlsx or write the "
                                 "date in the title row")]
    if bad_cell:
        expected.append((ERROR, rel, "sheet Sheet, cell B3", "'abc' is not a number"))
    assert problem_rows(result) == expected
    assert result.progress.empty   # no figures without a date, and no warnings about them


@pytest.mark.parametrize("kind", ["random bytes", "empty file", "zip that is not a workbook"])
def test_corrupt_progress_workbook(tmp_path, kind):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "2018-02-28.csv", full_return("2018-02-28"))
    _corrupt(progress_dir(raw) / "2018-03-31.xlsx", kind)
    result = ingest_year(raw, YEAR)   # no exception
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.severity == ERROR
    assert problem.file == "2018/progress/2018-03-31.xlsx"
    assert problem.location == ""
    assert "unreadable or corrupt" in problem.message
    assert result.reporting_dates == [dt.date(2018, 2, 28)]


def test_several_corrupt_files_each_reported(tmp_path):
    raw = make_raw(tmp_path)
    for name, kind in [("2018-01-31.xlsx", "random bytes"), ("2018-02-28.xlsx", "empty file"),
                       ("2018-03-31.xlsx", "zip that is not a workbook")]:
        _corrupt(progress_dir(raw) / name, kind)
    result = ingest_year(raw, YEAR)
    assert [(p.file, "unreadable or corrupt" in p.message) for p in result.problems] == [
        (f"2018/progress/2018-0{m}-{d}.xlsx", True) for m, d in [(1, 31), (2, 28), (3, 31)]]


# --- checks across files ----------------------------------------------------------------------


def test_no_return_for_a_date_is_a_warning(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", full_return("2018-01-31"))
    feb = full_return("2018-02-28", {"鹿城区": [2, 2], "龙湾区": [2, 2]})   # 洞头区 missing
    write_long_csv(progress_dir(raw) / "2018-02-28.csv", feb)
    result = ingest_year(raw, YEAR)
    assert result.errors == []
    assert problem_rows(result) == [(WARNING, "2018/progress", "date 2018-02-28",
                                     "洞头区 has no return for 2018-02-28")]
    raise_for_errors(result)   # warnings are not fatal


def test_partial_return_counts_as_a_return(tmp_path):
    raw = make_raw(tmp_path)
    rows = [*full_return("2018-01-31", {"鹿城区": [1, 1], "龙湾区": [1, 1]}),
            ("洞头区", "new_institution_beds", "2018-01-31", 1)]
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", rows)
    assert ingest_year(raw, YEAR).problems == []


def test_cumulative_dip_is_a_warning_naming_both_dates(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", full_return("2018-01-31"))
    build_workbook(progress_dir(raw) / "2018-02-28.xlsx",
                   wide_return_rows(None, {"鹿城区": [30, 5], "龙湾区": [2, 2], "洞头区": [2, 2]}),
                   title="进度")
    write_long_csv(progress_dir(raw) / "2018-03-31.csv",
                   full_return("2018-03-31", {"鹿城区": [25, 5], "龙湾区": [3, 3],
                                              "洞头区": [3, 3]}))
    result = ingest_year(raw, YEAR)
    assert result.errors == []
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert warning.severity == WARNING
    assert (warning.file, warning.location) == ("2018/progress/2018-03-31.csv", "line 2")
    assert "鹿城区" in warning.message and "new_institution_beds" in warning.message
    assert "2018-02-28" in warning.message and "2018-03-31" in warning.message
    assert "30" in warning.message and "25" in warning.message
    assert "went down" in warning.message


def test_equal_cumulative_figure_is_not_a_dip(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", full_return("2018-01-31"))
    write_long_csv(progress_dir(raw) / "2018-02-28.csv", full_return("2018-02-28"))
    assert ingest_year(raw, YEAR).problems == []


def test_same_figure_in_two_files_is_an_error(tmp_path):
    raw = make_raw(tmp_path)
    build_workbook(progress_dir(raw) / "2018-03-31.xlsx",
                   wide_return_rows(None, {d: [1, 1] for d in SMALL_TARGETS}), title="进度")
    write_long_csv(progress_dir(raw) / "late.csv",
                   [("龙湾区", "subsidy_recipients", "2018-03-31", 1)])
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [
        (ERROR, "2018/progress/late.csv", "line 2",
         "龙湾区 subsidy_recipients 2018-03-31 is also reported in "
         "2018/progress/2018-03-31.xlsx!进度!C4")]
    # the figure is kept once
    assert len(result.progress) == 6


def test_progress_for_indicator_without_target_is_an_error(tmp_path):
    raw = make_raw(tmp_path)
    rows = [*full_return("2018-01-31"), ("鹿城区", "caregivers_trained", "2018-01-31", 9)]
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", rows)
    result = ingest_year(raw, YEAR)
    assert problem_rows(result) == [
        (ERROR, "2018/progress/2018-01-31.csv", "line 8",
         "鹿城区 caregivers_trained has no target in the allocation table")]


def test_progress_for_district_without_target_is_an_error(tmp_path):
    raw = make_raw(tmp_path)
    rows = [*full_return("2018-01-31"), ("瑞安市", "new_institution_beds", "2018-01-31", 9)]
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", rows)
    result = ingest_year(raw, YEAR)
    assert [(p.location, p.message) for p in result.errors] == [
        ("line 8", "瑞安市 new_institution_beds has no target in the allocation table")]


def test_problems_from_every_file_in_one_pass(tmp_path):
    raw = make_raw(tmp_path)
    folder = progress_dir(raw)
    write_long_csv(folder / "2018-01-31.csv", [*full_return("2018-01-31"),
                                               ("鹿城新区", "new_institution_beds",
                                                "2018-01-31", 1)])
    _corrupt(folder / "2018-02-28.xlsx", "random bytes")
    build_workbook(folder / "2018-03-31.xlsx",
                   wide_return_rows(None, {"鹿城区": [-1, 1], "龙湾区": [1, 1]}), title="进度")
    result = ingest_year(raw, YEAR)
    assert sorted((p.severity, p.file, p.location) for p in result.problems) == sorted([
        (ERROR, "2018/progress/2018-01-31.csv", "line 8"),
        (ERROR, "2018/progress/2018-02-28.xlsx", ""),
        (ERROR, "2018/progress/2018-03-31.xlsx", "sheet 进度, cell B3"),
        (WARNING, "2018/progress", "date 2018-03-31"),
    ])
    # errors first, then warnings
    assert [p.severity for p in result.problems] == [ERROR, ERROR, ERROR, WARNING]


def test_bundled_demo_returns_give_exactly_the_promised_warnings():
    result = ingest_year(RAW_DIR, YEAR)
    assert result.errors == []
    messages = [(p.file, p.location, p.message) for p in result.warnings]
    assert ("2018/progress", "date 2018-04-30", "洞头区 has no return for 2018-04-30") in messages
    dips = [m for m in messages if "went down" in m[2]]
    assert len(dips) == 1
    assert dips[0][0] == "2018/progress/2018-05-31.xlsx"
    assert "龙湾区 new_institution_beds" in dips[0][2]
    assert "2018-04-30" in dips[0][2] and "2018-05-31" in dips[0][2]
    assert len(messages) == 2
    assert len(result.reporting_dates) == 12
    assert len(result.demo_inputs) == 12


MARKER = "2018/progress/DEMO_RETURNS.json"


@pytest.mark.parametrize(("content", "why"), [
    (b"\x97\x00binary", "Expecting value: line 1 column 1 (char 0)"),
    (b"{files: 1}", "Expecting property name enclosed in double quotes: line 1 column 2 "
                    "(char 1)"),
    (b'{"generator": "helpers.demo_progress"}', "no 'files'"),
    (b'{"files": ["2018-01-31.csv"]}', "its files are not names with their SHA-256"),
    (b'{"files": {"2018-01-31.csv": 1}}', "its files are not names with their SHA-256"),
    (b'["files"]', "list indices must be integers or slices, not str"),
])
def test_a_demo_record_that_cannot_be_read_stops_the_run(raw_copy, content, why):
    """Which returns are generated is read from this record; without it a run published
    generated figures as real, with no demo notice and no word."""
    (raw_copy / MARKER).write_bytes(content)
    result = ingest_year(raw_copy, YEAR)
    assert [(p.file, p.location, p.message) for p in result.errors] == [
        (MARKER, "", f"the record of the generated demo returns cannot be read ({why}), so "
                     "which returns are demo data is not known: delete it if every return is "
                     "real; if they are demo returns, delete them with it and run `python -m "
                     "helpers demo`")]
    assert result.demo_inputs == []


def test_a_demo_record_of_no_file_is_no_demo(raw_copy):
    (raw_copy / MARKER).write_bytes(b'{"files": {}}')
    result = ingest_year(raw_copy, YEAR)
    assert result.errors == [] and result.demo_inputs == []


# --- write_processed --------------------------------------------------------------------------

OUTPUTS = ["allocation.csv", "inputs.csv", "problems.csv", "progress.csv"]


@pytest.fixture
def small_result(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "2018-01-31.csv", full_return("2018-01-31"))
    write_long_csv(progress_dir(raw) / "2018-02-28.csv",
                   full_return("2018-02-28", {"鹿城区": [2, 2], "龙湾区": [2, 2]}))
    result = ingest_year(raw, YEAR)
    assert result.errors == []
    return result


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_write_processed_writes_the_four_tables(tmp_path, small_result):
    processed = tmp_path / "processed"
    target = write_processed(small_result, processed)
    assert target == processed / "2018"
    assert sorted(p.name for p in target.iterdir()) == OUTPUTS
    allocation = _read_csv(target / "allocation.csv")
    assert allocation[0] == {"district": "鹿城区", "indicator": "new_institution_beds",
                             "target": "100", "source": "2018/allocation.xlsx!分解表!C4"}
    assert len(allocation) == 6
    progress = _read_csv(target / "progress.csv")
    assert len(progress) == 10
    assert progress[0] == {"district": "鹿城区", "indicator": "new_institution_beds", "stage": "",
                           "as_of": "2018-01-31", "value": "1",
                           "source": "2018/progress/2018-01-31.csv:2"}
    problems = _read_csv(target / "problems.csv")
    assert problems == [{"severity": "warning", "file": "2018/progress",
                         "location": "date 2018-02-28",
                         "message": "洞头区 has no return for 2018-02-28"}]
    inputs = {row["path"]: row for row in _read_csv(target / "inputs.csv")}
    assert inputs["2018/progress/2018-02-28.csv"] == {
        "path": "2018/progress/2018-02-28.csv", "kind": "progress", "as_of": "2018-02-28",
        "figures": "4"}
    assert inputs["2018/allocation.xlsx"]["figures"] == "6"
    for name in OUTPUTS:
        data = (target / name).read_bytes()
        assert b"\r\n" not in data
        data.decode("utf-8")


def test_write_processed_leaves_no_debris(tmp_path, small_result):
    processed = tmp_path / "processed"
    write_processed(small_result, processed)
    write_processed(small_result, processed)   # replacing an existing folder
    assert sorted(p.name for p in processed.iterdir()) == ["2018"]
    assert sorted(p.name for p in (processed / "2018").iterdir()) == OUTPUTS


def test_write_processed_replaces_old_contents(tmp_path, small_result):
    processed = tmp_path / "processed"
    (processed / "2018").mkdir(parents=True)
    (processed / "2018" / "stale.csv").write_text("old", encoding="utf-8")
    write_processed(small_result, processed)
    assert sorted(p.name for p in (processed / "2018").iterdir()) == OUTPUTS


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failure_while_writing_keeps_the_previous_folder(tmp_path, small_result, monkeypatch):
    processed = tmp_path / "processed"
    write_processed(small_result, processed)
    before = _snapshot(processed)
    real_write = ingest_module._write_csv
    calls = []

    def failing_write(df, path):
        calls.append(path.name)
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(df, path)

    monkeypatch.setattr(ingest_module, "_write_csv", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_processed(small_result, processed)
    assert len(calls) == 3
    assert _snapshot(processed) == before
    assert sorted(p.name for p in processed.iterdir()) == ["2018"]


def test_failure_at_the_swap_keeps_the_previous_folder(tmp_path, small_result, monkeypatch):
    processed = tmp_path / "processed"
    write_processed(small_result, processed)
    before = _snapshot(processed)

    def failing_swap(staging, target, keep_previous_as=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest_module, "swap_into_place", failing_swap)
    with pytest.raises(KeyboardInterrupt):
        write_processed(small_result, processed)
    assert _snapshot(processed) == before
    assert sorted(p.name for p in processed.iterdir()) == ["2018"]


def test_failure_on_first_write_creates_nothing(tmp_path, small_result, monkeypatch):
    processed = tmp_path / "processed"

    def failing_write(df, path):
        raise OSError("read-only")

    monkeypatch.setattr(ingest_module, "_write_csv", failing_write)
    with pytest.raises(OSError):
        write_processed(small_result, processed)
    assert not (processed / "2018").exists()
    assert [p.name for p in processed.iterdir()] == []


def test_processed_tables_have_no_absolute_paths(tmp_path, small_result):
    target = write_processed(small_result, tmp_path / "processed")
    for name in OUTPUTS:
        text = (target / name).read_text(encoding="utf-8")
        assert str(tmp_path) not in text
        assert not re.search(r"(^|,)/", text, flags=re.MULTILINE)


# --- an allocation table of another year ---------------------------------------------------

ALLOCATION = "2018/allocation.xlsx"
OTHER_YEAR = ("the table's title names 2017年, not 2018: is this another year's allocation? "
              "(put it in that year's folder, or correct its title)")


SEED_TITLE = "2018年温州市社会养老服务体系建设重点任务分解表"  # seed 001's annex title


@pytest.mark.parametrize(("cells", "refused"), [
    # a copy of last year's table in this year's folder was read as this year's targets
    ({"A2": SEED_TITLE.replace("2018年", "2017年")}, True),
    ({"A2": SEED_TITLE.replace("2018年", "2018—2020年")}, False),  # a plan over years
    ({"A2": SEED_TITLE.replace("2018年", "2019-2020年")}, "2019—2020年"),
    # the notice's date of issue above or below the title, a base year: no title's year
    ({"A1": "（2017年12月28日印发）", "A2": SEED_TITLE[5:]}, False),
    ({"A2": SEED_TITLE[5:] + "（以2017年底为基数）"}, False),
])
def test_an_allocation_titled_for_another_year_is_refused(raw_copy, cells, refused):
    from openpyxl import load_workbook

    path = raw_copy / ALLOCATION
    wb = load_workbook(path)
    assert wb.worksheets[0]["A2"].value == SEED_TITLE
    for coordinate, value in cells.items():
        wb.worksheets[0][coordinate] = value
    wb.save(path)
    found = [(p.file, p.location, p.message) for p in ingest_year(raw_copy, YEAR).errors]
    named = refused if isinstance(refused, str) else "2017年"
    expected = OTHER_YEAR.replace("2017年", named)
    assert found == ([(ALLOCATION, "sheet 分解表, cell A2", expected)] if refused else [])


def _annex_docx(raw: Path, *above: str) -> None:
    """The bundled allocation table as a Word notice's annex: the paragraphs `above`, then
    the table."""
    import docx
    from openpyxl import load_workbook

    ws = load_workbook(raw / ALLOCATION).worksheets[0]
    rows = [[("" if v is None else str(v)) for v in row]
            for row in ws.iter_rows(min_row=3, values_only=True)]
    document = docx.Document()
    for text in above:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    (raw / ALLOCATION).unlink()
    document.save(raw / "2018" / "allocation.docx")


@pytest.mark.parametrize(("above", "refused"), [
    (("附件", SEED_TITLE.replace("2018年", "2017年")), True),
    (("附件", SEED_TITLE), False),
    (("附件", SEED_TITLE[5:]), False),  # a title without a year
    # a unit line between the title and the table: the title is still found
    (("附件", SEED_TITLE.replace("2018年", "2017年"), "单位：个"), True),
    # an annex without a title of its own under the notice's signature and date
    (("温州市民政局", "2017年12月28日", ""), False),
])
def test_a_word_annex_is_checked_by_the_title_above_its_table(raw_copy, above, refused):
    _annex_docx(raw_copy, *above)
    found = [(p.file, p.location, p.message) for p in ingest_year(raw_copy, YEAR).errors]
    expected = [("2018/allocation.docx", "the title above 表1", OTHER_YEAR)] if refused else []
    assert found == expected
