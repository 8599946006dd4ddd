"""Back tests: whole reports built from the bundled data, checked against figures computed by
hand from the seed table (seed 001) and by a second route from the demo returns."""

from __future__ import annotations

import csv
import html
import re

import pytest
from openpyxl import load_workbook
from support import raw_total as _raw_total

from helpers.core.paths import RAW_DIR

pytestmark = pytest.mark.slow

# Seed 001 annex (the real allocation): 合计 row and 鹿城区 row.
CITY_TARGETS = {"new_institution_beds": 15000, "subsidy_recipients": 40290,
                "caregivers_trained": 5000, "meal_service_stations": 2300,
                "new_township_care_centers": 45}
LUCHENG_BEDS_TARGET = 1750


def _raw_district(date: str, header_fragment: str, district: str) -> int:
    ws = load_workbook(RAW_DIR / "2018" / "progress" / f"{date}.xlsx").active
    header_col = next(c.column for row in ws.iter_rows(max_row=6) for c in row
                      if isinstance(c.value, str) and header_fragment in c.value.replace("\n", ""))
    row = next(c.row for c in ws["B"] if isinstance(c.value, str) and c.value.strip() == district)
    return int(str(ws.cell(row, header_col).value).replace(",", "").split(".")[0]
               .translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def _rows(folder):
    with (folder / "tables" / "district_indicator.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_output_is_published(built_reports):
    for folder in built_reports.values():
        for name in ("report.html", "report.ipynb", "report.xlsx", "report.docx", "report.pdf",
                     "run.log", "manifest.json", "tables/district_indicator.csv",
                     "tables/facts.csv"):
            assert (folder / name).is_file(), name
        assert not list(folder.parent.glob(".*staging-*"))


def test_csv_has_one_row_per_district_and_indicator(built_reports):
    rows = _rows(built_reports["H1"])
    # 15 allocated indicators, the "一键通" task and 5 shares for each of the 12 districts
    assert len(rows) == 12 * (15 + 1 + 5)
    for column in ("district", "indicator", "target", "actual", "completion", "milestone",
                   "due_units", "shortfall", "gap_pp", "status", "basis", "deadline"):
        assert column in rows[0]


def test_h1_city_figures_match_the_seed_and_the_returns(built_reports):
    rows = _rows(built_reports["H1"])
    for code, target in CITY_TARGETS.items():
        assert sum(int(r["target"]) for r in rows if r["indicator"] == code) == target
    beds_actual = _raw_total("2018-06-30", "新增机构床位")
    assert sum(int(r["actual"]) for r in rows if r["indicator"] == "new_institution_beds") \
        == beds_actual


def test_h1_lucheng_beds_row(built_reports):
    row = next(r for r in _rows(built_reports["H1"])
               if r["district"] == "鹿城区" and r["indicator"] == "new_institution_beds")
    actual = _raw_district("2018-06-30", "新增机构床位", "鹿城区")
    assert int(row["target"]) == LUCHENG_BEDS_TARGET
    assert int(row["actual"]) == actual
    assert float(row["completion"]) == pytest.approx(actual / 1750, abs=1e-6)
    # no schedule for beds: time progress, 181 of 365 days by 30 June
    assert float(row["milestone"]) == pytest.approx(181 / 365, abs=1e-6)
    expected_gap = round(actual / 1750 * 100, 1) - round(181 / 365 * 100, 1)
    assert float(row["gap_pp"]) == pytest.approx(expected_gap, abs=0.051)
    rate = actual / 1750
    expected_status = ("on_track" if rate >= 181 / 365 else
                       "serious_lag" if (181 / 365 - rate) * 100 > 10 else "lagging")
    assert row["status"] == expected_status
    assert row["target_source"] == "2018/allocation.xlsx!分解表!D5"


def test_meal_stations_follow_the_seed_000_schedule(built_reports):
    h1 = next(r for r in _rows(built_reports["H1"]) if r["indicator"] == "meal_service_stations")
    fy = next(r for r in _rows(built_reports["FY"]) if r["indicator"] == "meal_service_stations")
    assert float(h1["milestone"]) == pytest.approx(0.4)   # 6月底前完成40%
    assert float(fy["milestone"]) == pytest.approx(1.0)


def test_target_zero_has_no_rate(built_reports):
    # seed 001: 龙湾区 has no 公办护理型养老机构 target (column E = 0)
    row = next(r for r in _rows(built_reports["FY"])
               if r["district"] == "龙湾区" and r["indicator"] == "public_nursing_homes_started")
    assert row["target"] == "0"
    assert row["completion"] == ""
    assert row["status"] == "no_target"


def test_fy_city_beds_in_csv_and_html(built_reports):
    actual = _raw_total("2018-12-31", "新增机构床位")
    folder = built_reports["FY"]
    rows = _rows(folder)
    assert sum(int(r["actual"]) for r in rows if r["indicator"] == "new_institution_beds") \
        == actual
    page = (folder / "report.html").read_text(encoding="utf-8")
    summary = page.split('id="summary-table"', 1)[1].split("</table>", 1)[0]
    beds_row = next(tr for tr in summary.split("<tr>") if "新增机构床位</td>" in tr)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", beds_row)
    assert cells[2:5] == ["15000", str(actual), f"{actual / 15000 * 100:.1f}%"]
    # at year end the beds are judged at their deadline, the year end: 15000 due
    assert cells[5:7] == ["12月31日前完成", "15000"]


def test_html_is_a_report_without_code(built_reports):
    page = (built_reports["H1"] / "report.html").read_text(encoding="utf-8")
    assert "<title>2018年社会养老服务体系建设重点任务上半年进展情况通报</title>" in page
    assert "rn.show(" not in page and "import" not in html.unescape(page).split("<body")[1][:2000]
    # offline: nothing is loaded from the network (images are data: URIs)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script src" not in page
    assert 'id="toc"' in page and 'id="demo-notice"' in page
    for order in range(1, 13):
        assert f'id="district-{order:02d}"' in page
    assert 'title="2018/allocation.xlsx!分解表!D5"' in page


def test_year_end_report_has_year_end_sections(built_reports):
    """The 总结's parts (seed 004): results, districts, compared with mid-year, problems and
    causes, next year's priorities; the items carried over counted and pointed to their 附件."""
    page = (built_reports["FY"] / "report.html").read_text(encoding="utf-8")
    assert "年度工作总结" in page
    for part in ("一、目标任务完成情况", "三、与年中、上年相比", "四、存在的问题及原因",
                 "五、2019年工作重点"):
        assert part in page, part
    carried = r"未完成年度目标的\d+项任务（占比类指标除外）结转下一年度继续推进（详见附件4）"
    assert re.search(carried, page)
    h1 = (built_reports["H1"] / "report.html").read_text(encoding="utf-8")
    assert "结转下一年度" not in h1 and "四、下步工作要求" in h1


def test_every_image_has_its_own_alt_text(built_reports):
    """The HTML export skips nbconvert's pass that gives images without alt text a placeholder
    (helpers.notebook.html_export._report_exporter_class): every image must carry its own."""
    for period in ("H1", "FY"):
        page = (built_reports[period] / "report.html").read_text(encoding="utf-8")
        images = re.findall(r"<img\b[^>]*>", page)
        assert len(images) > 10
        for tag in images:
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert alt and alt.group(1).strip(), tag[:120]
        assert "No description has been provided" not in page
