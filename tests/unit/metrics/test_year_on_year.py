"""比上年: the year-end report beside the previous year's (the bundled demo 2017, generated
from 2018's allocation by helpers.demo.previous_year), each figure read again here from the two
years' 31 December returns."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from helpers.core.errors import UnsafePlace
from helpers.core.parameters import ReportParameters
from helpers.core.paths import RAW_DIR
from helpers.demo.previous_year import write_demo_year
from helpers.words.findings_over_time import year_on_year
from helpers.words.report_text import build_report


def _return_cell(year: int, district: str, header_fragment: str) -> int:
    """A figure of a wide 31 December return, read straight from the workbook (district or
    合计 row)."""
    ws = load_workbook(RAW_DIR / str(year) / "progress" / f"{year}-12-31.xlsx").active
    column = next(c.column for row in ws.iter_rows(max_row=6) for c in row
                  if isinstance(c.value, str) and header_fragment in c.value.replace("\n", ""))
    row = next(c.row for c in ws["B"] if c.value == district) if district != "合计" else next(
        c.row for c in ws["A"] if isinstance(c.value, str) and c.value.replace(" ", "") == "合计")
    return int(ws.cell(row, column).value)


@pytest.fixture(scope="module")
def year_end():
    return build_report(ReportParameters(period="FY"))


def test_the_city_and_a_district_beside_the_previous_year(year_end):
    assert year_end.previous_year == 2017
    rows = year_end.year_on_year.set_index(["district", "indicator"])
    beds = rows.loc[("", "new_institution_beds")]
    before = _return_cell(2017, "合计", "新增机构床位")
    now = _return_cell(2018, "合计", "新增机构床位")
    assert (beds["previous_actual"], beds["actual"], beds["change"]) == (before, now, now - before)
    assert (before, now) == (12291, 15365)
    lucheng = rows.loc[("鹿城区", "new_institution_beds")]
    assert (lucheng["previous_actual"], lucheng["actual"]) == (
        _return_cell(2017, "鹿城区", "新增机构床位"), _return_cell(2018, "鹿城区", "新增机构床位"))
    # counts and levels only: no share, no task
    assert set(year_end.year_on_year["kind"]) == {"count", "stock"}
    # the previous year's files are inputs of this report (its manifest records them)
    paths = list(year_end.inputs["path"])
    assert "2017/allocation.xlsx" in paths and "2017/progress/2017-12-31.xlsx" in paths
    assert "2017/progress/2017-12-31.xlsx" in year_end.demo_inputs


def test_the_sentence(year_end):
    assert year_on_year(year_end) == [
        "与2017年相比（2017年为演示数据），11项指标全年完成数高于上年，增幅较大的是新增镇街养老服务中心"
        "45个（上年34个）、照料中心医养合作921个（上年734个）、养老服务人员培训5056人（上年4044人）等11项；"
        "4项与上年持平（详见附件6）。"]
    compared = next(p for p in year_end.main_text.parts if p.key == "compared")
    assert compared.heading == "与年中、上年相比"


def test_none_before_the_year_end_or_without_the_previous_year(tmp_path):
    assert build_report(ReportParameters(period="H1")).year_on_year.empty
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw, ignore=shutil.ignore_patterns("2017"))
    data = build_report(ReportParameters(period="FY", raw_dir=str(raw)))
    assert data.year_on_year.empty and data.previous_year is None
    assert not any(p.startswith("2017/") for p in data.inputs["path"])
    assert next(p for p in data.main_text.parts if p.key == "compared").heading == "与年中相比"


def test_the_demo_year_is_what_the_generator_writes(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw, ignore=shutil.ignore_patterns("2017"))
    written = write_demo_year(raw, 2017, 2018)
    assert {p.relative_to(raw).as_posix() for p in written} >= {
        "2017/allocation.xlsx", "2017/progress/2017-12-31.xlsx"}
    for path in written:  # the bundled demo year, byte for byte
        rel = path.relative_to(raw)
        assert path.read_bytes() == (RAW_DIR / rel).read_bytes(), rel
    title = load_workbook(raw / "2017" / "allocation.xlsx").active["A1"].value
    assert title == "2017年重点任务分解表（演示数据）"
    with pytest.raises(UnsafePlace, match="2017 has an allocation already"):
        write_demo_year(raw, 2017, 2018)
