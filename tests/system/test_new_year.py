"""A new year in one command (issue 19): `new-year` builds data/raw/2019/ from the notice's
allocation table, as a workbook or as the table of a Word annex, drafts the year's plan from
2018's, and 2019's mid-year and year-end reports then show the 2019 figures (seed 003: 25 of 70
centres is 35.7%, 7,430 of 11,680 beds is 63.6%), while every 2018 report stays up to date.

The 2019 figures are the real city totals of seed 003, spread over the twelve districts by
hand below; each expected percentage is worked out from those totals, not read from a report."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from helpers.cli import main
from helpers.core.paths import RAW_DIR
from helpers.core.problems import (
    NO_PLAN,
    NOT_TRACKED,
    PLAN_DRAFT,
    PLAN_TARGET_IGNORED,
    PLAN_TARGET_UNREPORTED,
)
from helpers.ingest.returns import ingest_year

DISTRICTS = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "文成县",
             "平阳县", "泰顺县", "苍南县", "浙南产业集聚区"]
CENTRES = [8, 5, 6, 3, 7, 8, 7, 5, 5, 6, 6, 4]  # 70
BEDS = [1500, 700, 1000, 400, 1300, 1600, 1200, 700, 800, 1000, 1080, 400]  # 11,680
CENTRES_H1 = [3, 2, 2, 1, 3, 3, 3, 2, 1, 2, 2, 1]  # 25
BEDS_H1 = [950, 450, 650, 250, 820, 1020, 760, 450, 510, 640, 680, 250]  # 7,430
# as the analyst typed them: brackets as ASCII, the catalogue's short name
HEADERS = ["序号", "县（市、区）", "新增镇(街)养老服务中心(个)", "新增机构床位（张）"]


def test_the_hand_made_figures_are_seed_003s_totals():
    assert (sum(CENTRES), sum(BEDS), sum(CENTRES_H1), sum(BEDS_H1)) == (70, 11680, 25, 7430)


def allocation_xlsx(path: Path, headers: list[str] = HEADERS) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "分解表"
    ws.append(["2019年养老服务重点任务分解表"])
    ws.append(headers)
    for n, (name, centres, beds) in enumerate(zip(DISTRICTS, CENTRES, BEDS, strict=True), 1):
        ws.append([n, name, centres, beds])
    ws.append(["合计", None, 70, 11680])
    wb.save(path)
    return path


def allocation_docx(path: Path) -> Path:
    """A notice with its annex table as Word writes it: a title paragraph, then the table with
    the 合计 row first and the figures typed with thousands separators."""
    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph("2019年养老服务重点任务分解表")
    table = document.add_table(rows=len(DISTRICTS) + 2, cols=4)
    for col, text in enumerate(HEADERS):
        table.cell(0, col).text = text
    for col, text in enumerate(["合计", "", "70", "11,680"]):
        table.cell(1, col).text = text
    for n, (name, centres, beds) in enumerate(zip(DISTRICTS, CENTRES, BEDS, strict=True), 1):
        for col, text in enumerate([str(n), name, str(centres), f"{beds:,}"]):
            table.cell(n + 1, col).text = text
    document.save(path)
    return path


def write_returns(raw: Path, with_one_touch: bool = False) -> None:
    """30 June: seed 003's mid-year figures; 31 December: every target met."""
    folder = raw / "2019" / "progress"
    folder.mkdir(parents=True, exist_ok=True)
    for date, centres, beds in (("2019-06-30", CENTRES_H1, BEDS_H1),
                                ("2019-12-31", CENTRES, BEDS)):
        with (folder / f"{date}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["district", "indicator", "stage", "as_of", "value"])
            for name, c, b in zip(DISTRICTS, centres, beds, strict=True):
                writer.writerow([name, "new_township_care_centers", "", date, c])
                writer.writerow([name, "new_institution_beds", "", date, b])
                writer.writerow([name, "new_township_care_centers", "site", date, c + 1])
                if with_one_touch:
                    writer.writerow([name, "one_touch_service", "publicity", date, 1])


@pytest.fixture
def raw_2018(tmp_path) -> Path:
    """The bundled catalogue and 2018 (2017 left out: a year the test does not need)."""
    raw = tmp_path / "data" / "raw"
    shutil.copytree(RAW_DIR, raw, ignore=shutil.ignore_patterns("2017"))
    return raw


def city_rows(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "tables" / "facts.csv").open(encoding="utf-8") as handle:
        return {row["indicator"]: row for row in csv.DictReader(handle)
                if row["level"] == "city" and not row["step"]}


def page_text(folder: Path) -> str:
    import html
    import re

    page = (folder / "report.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.slow
@pytest.mark.parametrize("form", ["xlsx", "docx"])
def test_a_year_from_the_notice_runs_its_mid_year_and_year_end(form, raw_2018, tmp_path, capsys):
    out, processed = tmp_path / "out", tmp_path / "processed"
    places = ["--raw-dir", str(raw_2018), "--out-dir", str(out), "--processed-dir",
              str(processed), "--pdf", "false"]
    assert main(["run", "--year", "2018", "--period", "H1", *places]) == 0
    from helpers.core.parameters import ReportParameters
    from helpers.publish.schedule import staleness

    h1_2018 = ReportParameters(year=2018, period="H1", raw_dir=str(raw_2018), pdf=False)
    assert staleness(h1_2018, out / "2018" / "H1") is None

    notice = (allocation_xlsx(tmp_path / "notice.xlsx") if form == "xlsx"
              else allocation_docx(tmp_path / "notice.docx"))
    capsys.readouterr()
    assert main(["new-year", "--year", "2019", "--allocation", str(notice), "--raw-dir",
                 str(raw_2018)]) == 0
    said = capsys.readouterr().out
    assert "70个" in said and "11,680张" in said  # the city totals to check against the notice
    assert "one_touch_service" in said  # the task 2019's table does not have: not carried over
    assert (raw_2018 / "2019" / f"allocation.{form}").read_bytes() == notice.read_bytes()
    plan = (raw_2018 / "2019" / "plan" / "milestones.csv").read_text(encoding="utf-8")
    # 2018's dates of the centres, moved to 2019, each row to confirm; no 一键通, no meals
    assert [line.split(",")[:4] for line in plan.splitlines()[1:]] == [
        ["new_township_care_centers", "2019-06-30", "1.0", "site"],
        ["new_township_care_centers", "2019-07-31", "1.0", "renovation"],
        ["new_township_care_centers", "2019-11-30", "1.0", ""]]
    assert all(",待确认：" in line for line in plan.splitlines()[1:])

    write_returns(raw_2018)
    assert main(["run", "--year", "2019", "--period", "H1", *places]) == 0
    assert main(["run", "--year", "2019", "--period", "FY", *places]) == 0
    h1, fy = city_rows(out / "2019" / "H1"), city_rows(out / "2019" / "FY")
    assert set(h1) == {"new_township_care_centers", "new_institution_beds"}  # 2019's only
    centres, beds = h1["new_township_care_centers"], h1["new_institution_beds"]
    assert (centres["target"], centres["figure"]) == ("70", "25")
    assert (beds["target"], beds["figure"]) == ("11680", "7430")
    text = page_text(out / "2019" / "H1")
    assert "35.7%" in text  # 25 / 70 = 0.35714...
    assert "63.6%" in text  # 7,430 / 11,680 = 0.63613...
    assert "2019年计划中有3行为沿用上年的草案，尚待确认。" in text
    # judged district by district: what 2019's plan dates, not 2018's three tasks
    assert "工作方案列明时间节点的任务（新增镇街养老服务中心）按各县（市、区）逐一考核" in text
    assert (fy["new_township_care_centers"]["figure"], fy["new_institution_beds"]["figure"]) == (
        "70", "11680")
    # every figure traced to its cell of the table as received
    with (out / "2019" / "H1" / "tables" / "facts.csv").open(encoding="utf-8") as handle:
        sources = {row["target_source"] for row in csv.DictReader(handle)
                   if row["level"] == "district" and row["target_source"]}
    cell = "分解表!C3" if form == "xlsx" else "表1!C3"
    assert f"2019/allocation.{form}!{cell}" in sources  # 鹿城区's centres
    # 2019's plan and reports touched no input of 2018's H1
    assert staleness(h1_2018, out / "2018" / "H1") is None


def test_a_year_without_a_plan_is_judged_on_time_progress_and_says_so(raw_2018, tmp_path):
    year = raw_2018 / "2019"
    year.mkdir()
    allocation_xlsx(year / "allocation.xlsx")
    write_returns(raw_2018, with_one_touch=True)
    result = ingest_year(raw_2018, 2019, today=dt.date(2020, 1, 15))
    assert result.errors == []
    kinds = {w.kind: w for w in result.warnings}
    assert kinds[NO_PLAN].file == "2019/plan/milestones.csv"
    # 一键通 has no stage dates in 2019: its figures are left out, with a warning naming them
    assert kinds[NOT_TRACKED].indicator == "one_touch_service"
    assert kinds[NOT_TRACKED].value == 2 * 12
    assert [i.code for i in result.catalog.tracked] == ["new_township_care_centers",
                                                        "new_institution_beds"]
    assert "one_touch_service" not in set(result.progress["indicator"])
    assert not result.catalog.is_staged("new_township_care_centers", 2019)


def test_validate_prints_the_draft_rows_to_confirm(raw_2018, tmp_path, capsys):
    notice = allocation_xlsx(tmp_path / "notice.xlsx")
    assert main(["new-year", "--year", "2019", "--allocation", str(notice), "--raw-dir",
                 str(raw_2018)]) == 0
    write_returns(raw_2018)
    capsys.readouterr()
    assert main(["validate", "--year", "2019", "--raw-dir", str(raw_2018)]) == 0
    said = capsys.readouterr().out
    assert "0 error(s), 2 warning(s)" in said
    assert ("2019/plan/milestones.csv, line 2: 3 row(s) (line(s) 2-4) are a draft carried over "
            "from the year before (待确认)") in said
    assert "2019/plan/reference_figures.csv, line 2: 24 row(s) (line(s) 2-25)" in said
    result = ingest_year(raw_2018, 2019, today=dt.date(2020, 1, 15))
    assert {w.kind for w in result.warnings} == {PLAN_DRAFT}


def test_an_unknown_header_is_an_input_error_with_suggestions(raw_2018, tmp_path, capsys):
    notice = allocation_xlsx(tmp_path / "notice.xlsx",
                             [*HEADERS[:2], "新增镇街养老中心（个）", HEADERS[3]])
    assert main(["new-year", "--year", "2019", "--allocation", str(notice), "--raw-dir",
                 str(raw_2018)]) == 2
    said = capsys.readouterr().err
    assert f"{notice}, sheet 分解表, cell C2: unknown indicator '新增镇街养老中心" in said
    assert "did you mean 新增镇（街）养老服务中心（示范型居家养老服务中心）" in said
    assert not (raw_2018 / "2019").exists()  # nothing written


def test_last_years_table_does_not_start_a_year(raw_2018, tmp_path, capsys):
    """The notice's table is 2019's; last year's, given by mistake, is refused by its title
    before anything is written (validate would refuse the folder it made)."""
    notice = allocation_xlsx(tmp_path / "notice.xlsx")
    assert main(["new-year", "--year", "2020", "--allocation", str(notice), "--raw-dir",
                 str(raw_2018)]) == 2
    said = capsys.readouterr().err
    assert (f"{notice}, sheet 分解表, cell A1: the table's title names 2019年, not 2020: is "
            "this another year's allocation?") in said
    assert not (raw_2018 / "2020").exists()


def test_new_year_never_overwrites_a_year(raw_2018, tmp_path, capsys):
    notice = allocation_xlsx(tmp_path / "notice.xlsx")
    before = (raw_2018 / "2018" / "allocation.xlsx").read_bytes()
    assert main(["new-year", "--year", "2018", "--allocation", str(notice), "--raw-dir",
                 str(raw_2018)]) == 2
    assert "2018 already has allocation.xlsx, plan" in capsys.readouterr().err
    assert (raw_2018 / "2018" / "allocation.xlsx").read_bytes() == before


def test_returns_that_arrived_first_stay(raw_2018, tmp_path):
    write_returns(raw_2018)
    returns = sorted(p.name for p in (raw_2018 / "2019" / "progress").iterdir())
    notice = allocation_xlsx(tmp_path / "notice.xlsx")
    assert main(["new-year", "--year", "2019", "--allocation", str(notice), "--raw-dir",
                 str(raw_2018)]) == 0
    assert sorted(p.name for p in (raw_2018 / "2019" / "progress").iterdir()) == returns
    assert (raw_2018 / "2019" / "allocation.xlsx").is_file()


def test_plan_targets_of_indicators_the_year_leaves_out_are_named(raw_2018, tmp_path):
    notice = allocation_xlsx(tmp_path / "notice.xlsx")
    assert main(["new-year", "--year", "2019", "--allocation", str(notice), "--raw-dir",
                 str(raw_2018)]) == 0
    write_returns(raw_2018)
    # 2018's three headline targets written for 2019: only the centres' indicator is 2019's
    text = (raw_2018 / "2018" / "plan" / "plan_targets.csv").read_text(encoding="utf-8")
    (raw_2018 / "2019" / "plan" / "plan_targets.csv").write_text(
        text.replace("\n2018,", "\n2019,").replace("2018-11-30", "2019-11-30").replace(
            "2018-12-31", "2019-12-31"), encoding="utf-8")
    result = ingest_year(raw_2018, 2019, today=dt.date(2020, 1, 15))
    assert result.errors == []
    ignored = sorted((w.location, w.indicator) for w in result.warnings
                     if w.kind == PLAN_TARGET_IGNORED)
    assert ignored == [("line 3", "meal_service_stations"), ("line 4", "one_touch_service")]
    # the 精英培训班 target needs no allocation: its measure is 2019's (its templates ask for
    # it), and no 2019 return reports it yet
    unreported = [(w.location, w.indicator) for w in result.warnings
                  if w.kind == PLAN_TARGET_UNREPORTED]
    assert unreported == [("line 5", "elite_training_classes")]
    assert [t.code for t in result.catalog.plan_targets] == ["livelihood_centres",
                                                             "elite_classes"]
