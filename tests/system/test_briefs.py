"""Briefs (helpers.render.brief_page, helpers.publish.brief_pipeline): one short document per
district or supervision
group, cut from the city report's computation. Checked by second routes: units against the
catalogue file read with csv, a district's own judgement against the city report's row, the
briefs' published figures summed against the published city report, seed 001 by hand."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import html as html_lib
import os
import re
import signal

import pandas as pd
import pytest
from ingest_builders import build_workbook, make_raw
from openpyxl import load_workbook
from support import HEADER

from helpers.audit.verify import verify
from helpers.cli import main
from helpers.core.errors import OutputFailed, ParameterError
from helpers.core.parameters import ReportParameters
from helpers.core.paths import RAW_DIR
from helpers.metrics.brief_units import brief_units, file_stem
from helpers.publish import brief_pipeline as brief_run
from helpers.publish.brief_pipeline import briefs_folder, run_briefs
from helpers.publish.manifest import MANIFEST_NAME, read_manifest
from helpers.render.brief_page import brief_html
from helpers.words.brief_findings import brief_part
from helpers.words.labels import label
from helpers.words.report_text import build_report

PERIODS = ("Q1", "H1", "Q3", "FY")
ADDITIVE = ("count", "stock")  # kinds whose city figure is the sum of the districts'
LUCHENG_BEDS_TARGET = 1750  # seed 001, 鹿城区 row
CITY_BEDS_TARGET = 15000  # seed 001, 合计 row


def _catalogue() -> list[dict]:
    with (RAW_DIR / "catalog" / "districts.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def reports():
    return {period: build_report(ReportParameters(period=period, pdf=False))
            for period in PERIODS}


# --- units ----------------------------------------------------------------------------------

def test_file_stem_keeps_letters_and_digits_only():
    assert file_stem(1, "鹿城区") == "01-鹿城区"
    assert file_stem(12, "../<b>经开区</b>\n") == "12-b经开区b"
    assert file_stem(3, "///..") == "03"


def test_district_units_follow_the_catalogue(reports):
    units = brief_units(reports["H1"], "district")
    rows = sorted(_catalogue(), key=lambda r: int(r["order"]))
    assert [u.stem for u in units] == [f"{int(r['order']):02d}-{r['name']}" for r in rows]
    assert all(u.districts == (u.name,) for u in units)


def test_group_units_partition_the_districts(reports):
    units = brief_units(reports["H1"], "group")
    expected: dict[str, set[str]] = {}
    for row in _catalogue():
        expected.setdefault(row["supervision_group"], set()).add(row["name"])
    assert {u.name: set(u.districts) for u in units} == expected
    numerals = "一二三四五六七"
    assert [u.name for u in units] == [f"第{n}组" for n in numerals[:len(units)]]
    assert sorted(d for u in units for d in u.districts) == sorted(r["name"] for r in _catalogue())


def test_unknown_unit_kind_is_refused(reports, tmp_path):
    with pytest.raises(ValueError):
        brief_units(reports["H1"], "city")
    with pytest.raises(ParameterError, match="by: must be one of district, group"):
        run_briefs(ReportParameters(period="H1", pdf=False), "city", tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --- one computation, the city's rules --------------------------------------------------------

@pytest.mark.parametrize("period", PERIODS)
def test_a_district_judged_alone_reads_as_its_row_of_the_city_report(reports, period):
    """Second route: the unit's subtotal (indicator_summary over one district) against the
    district's own row of the city table, for every district and indicator."""
    city = reports[period]
    for unit in brief_units(city, "district"):
        part = brief_part(city, unit)
        rows = city.table[city.table["district"] == unit.name].set_index("indicator")
        summary = part.summary.set_index("indicator")
        for code, row in rows.iterrows():
            if row["status"] == "no_target" and code not in summary.index:
                continue
            mine = summary.loc[code]
            assert mine["status"] == row["status"], (period, unit.name, code)
            # what was done (never capped at what was due), due, short and the gap as printed
            for field in ("judged_actual", "due_units", "shortfall", "gap_pp"):
                pair = [None if pd.isna(v) else v for v in (mine[field], row[field])]
                assert pair[0] == pair[1], (period, unit.name, code, field)
            if row["kind"] in ADDITIVE:
                assert (mine["target"], mine["actual"]) == (row["target"], row["actual"])


def test_group_subtotals_are_sums_of_their_districts(reports):
    city = reports["H1"]
    for unit in brief_units(city, "group"):
        part = brief_part(city, unit)
        rows = city.table[city.table["district"].isin(unit.districts)]
        for sub in part.summary.itertuples():
            mine = rows[rows["indicator"] == sub.indicator]
            if sub.kind in ADDITIVE:
                assert sub.target == mine["target"].sum() and sub.actual == mine["actual"].sum()
            if sub.kind == "share":
                assert sub.actual == mine["actual"].sum()
                assert sub.denominator == mine["denominator"].sum()


def test_a_brief_keeps_the_city_ranks(reports):
    city = reports["H1"]
    ranks = dict(zip(city.ranking["district"], city.ranking["rank"], strict=True))
    for unit in brief_units(city, "group"):
        part = brief_part(city, unit)
        assert dict(zip(part.ranking["district"], part.ranking["rank"], strict=True)) == {
            d: ranks[d] for d in unit.districts}
        assert part.ranking_size == len(_catalogue())
        assert part.narrative is None and part.backtests.empty


def test_brief_text_for_one_district(reports):
    city = reports["H1"]
    unit = next(u for u in brief_units(city, "district") if u.name == "鹿城区")
    part = brief_part(city, unit)
    page = brief_html(part, unit, city)
    assert "<title>2018年社会养老服务体系建设重点任务上半年进展简报（鹿城区）</title>" in page
    rank = city.ranking.set_index("district").loc["鹿城区"]
    assert f"鹿城区在全市12个县（市、区）通报排名中位列第{int(rank['rank'])}" in page
    beds = _html_table(page, "table-01")
    row = next(r for r in beds if r[0] == "新增机构床位")
    assert row[2] == str(LUCHENG_BEDS_TARGET)
    # no other district's rows, no city-only section
    assert "龙湾区" not in page.split('id="sec-overall"')[1]
    assert 'id="sec-timeline"' not in page and "工作情况" not in page


def test_brief_html_escapes_ledger_text(tmp_path):
    raw = make_raw(tmp_path)
    evil = [[1, "鹿城区", "<script>alert(1)</script>", 2017, "a & b", "2018-04-30",
             "鹿城区民政局", "2018-03-01", "未整改", None]]
    build_workbook(raw / "2018" / "ledger.xlsx", [["台账"], HEADER, *evil], title="台账")
    city = build_report(ReportParameters(raw_dir=str(raw), pdf=False))
    unit = next(u for u in brief_units(city, "district") if u.name == "鹿城区")
    page = brief_html(brief_part(city, unit), unit, city)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page


# --- published briefs -------------------------------------------------------------------------

def _html_table(page: str, table_id: str) -> list[list[str]]:
    """The body rows of the table with `table_id`, as cell texts."""
    found = re.search(rf'<table class="report-table[^"]*" id="{re.escape(table_id)}">(.*?)'
                      r"</table>", page, re.S)
    assert found, table_id
    body = found.group(1).split("<tbody>")[1]
    return [[html_lib.unescape(re.sub(r"<[^>]+>", "", cell))
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _summary_sheet(path) -> dict[str, tuple]:
    """Indicator name -> (年度目标, 累计完成, 分母) from a workbook's summary sheet."""
    ws = load_workbook(path)[label("sheet.summary")]
    rows = list(ws.iter_rows(values_only=True))
    top = next(n for n, r in enumerate(rows) if r and r[0] == label("col.indicator"))
    header = list(rows[top])
    at = {key: header.index(label(key)) for key in ("col.target", "col.actual",
                                                      "col.denominator")}
    return {r[0]: (r[at["col.target"]], r[at["col.actual"]], r[at["col.denominator"]])
            for r in rows[top + 1:] if r and r[0]}


def _number(value) -> int:
    return value if isinstance(value, int) else 0


@pytest.mark.slow
def test_every_brief_is_published(built_briefs):
    for period, folder in built_briefs.items():
        manifest = read_manifest(folder / MANIFEST_NAME)
        units = manifest["briefs"]["units"]
        assert len(units) == (12 if period == "H1" else 7)
        published = {r["path"] for r in manifest["outputs"]}
        for unit in units:
            suffixes = (".html", ".xlsx", ".pdf") if period == "H1" else (".html", ".xlsx")
            for suffix in suffixes:
                assert f"{unit['file']}{suffix}" in published
                assert (folder / f"{unit['file']}{suffix}").is_file()
            assert not (folder / f"{unit['file']}.pdf").exists() or period == "H1"
        assert {"index.html", "tables/unit_indicator.csv", "run.log"} <= published
        assert not list(folder.parent.glob(f".{folder.name}.staging-*"))
    index = (built_briefs["H1"].parent.parent / "index.html").read_text(encoding="utf-8")
    assert 'href="2018/H1-briefs-district/index.html"' in index
    assert 'href="2018/FY-briefs-group/index.html"' in index


@pytest.mark.slow
@pytest.mark.parametrize("period", ["H1", "FY"])
def test_briefs_add_up_to_the_city_report(built_reports, built_briefs, period):
    """The published briefs' summary sheets, summed, against the published city report's."""
    city = _summary_sheet(built_reports[period] / "report.xlsx")
    folder = built_briefs[period]
    units = read_manifest(folder / MANIFEST_NAME)["briefs"]["units"]
    sums: dict[str, list[int]] = {}
    for unit in units:
        for name, figures in _summary_sheet(folder / f"{unit['file']}.xlsx").items():
            total = sums.setdefault(name, [0, 0, 0])
            for n, value in enumerate(figures):
                total[n] += _number(value)
    assert set(sums) == set(city)
    for name, (target, actual, denominator) in city.items():
        assert sums[name] == [_number(target), _number(actual), _number(denominator)], name
    assert city["新增机构床位"][0] == CITY_BEDS_TARGET


@pytest.mark.slow
def test_briefs_ledger_adds_up_to_the_city_report(built_reports, built_briefs):
    city = _html_table((built_reports["H1"] / "report.html").read_text(encoding="utf-8"),
                       "ledger-districts")
    city_total = next(r for r in city if r[0] == "全市")
    folder = built_briefs["H1"]
    sums = [0] * 5
    for unit in read_manifest(folder / MANIFEST_NAME)["briefs"]["units"]:
        page = (folder / f"{unit['file']}.html").read_text(encoding="utf-8")
        rows = _html_table(page, "ledger-districts")
        assert [r[0] for r in rows] == [unit["name"]]  # one district, no 全市 row
        for n in range(5):
            sums[n] += int(rows[0][1 + n])
    assert sums == [int(v) for v in city_total[1:6]]


@pytest.mark.slow
def test_district_copy_is_the_districts_own(built_briefs):
    folder = built_briefs["H1"]
    districts = [r["name"] for r in _catalogue()]
    for name in ("01-鹿城区", "08-文成县"):
        wb = load_workbook(folder / f"{name}.xlsx")
        district = name[3:]
        assert label("sheet.about") not in wb.sheetnames
        assert district in wb.sheetnames
        assert not set(wb.sheetnames) & (set(districts) - {district})
        rank = next(r[1] for r in wb[district].iter_rows(values_only=True)
                    if r[0] == label("col.overall_rank"))
        assert re.fullmatch(r"\d+/12(（并列）)?", rank), rank
        assert wb.properties.creator != "openpyxl"
    text = (folder / "01-鹿城区.html").read_text(encoding="utf-8")
    assert "sha256" not in text and "git" not in text.lower()


@pytest.mark.slow
def test_brief_pdf_is_short_and_names_its_district(built_briefs):
    from pypdf import PdfReader

    reader = PdfReader(built_briefs["H1"] / "10-泰顺县.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    squeezed = re.sub(r"\s+", "", text)
    assert "进展简报（泰顺县）" in squeezed
    assert "泰顺县在全市12个县（市、区）通报排名中位列第" in squeezed
    assert 1 <= len(reader.pages) <= 8
    assert "— 1 —" in reader.pages[0].extract_text()


@pytest.mark.slow
def test_published_briefs_verify_byte_for_byte(built_briefs):
    outcome = verify(built_briefs["FY"] / MANIFEST_NAME)
    assert outcome.ok, outcome.findings
    assert "01-第一组.xlsx" in outcome.matched and "tables/unit_indicator.csv" in outcome.matched


def test_a_failed_run_leaves_the_published_briefs_alone(tmp_path, monkeypatch):
    params = ReportParameters(period="Q1", pdf=False)
    folder = run_briefs(params, "group", tmp_path / "out").folder
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    calls = []

    def fail_on_the_third(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(args[1]))
        return real(*args, **kwargs)

    real = brief_run.write_report_xlsx
    monkeypatch.setattr(brief_run, "write_report_xlsx", fail_on_the_third)
    with pytest.raises(OutputFailed, match="nothing was published"):
        run_briefs(params, "group", tmp_path / "out")
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    log = (tmp_path / "out" / "runs.log").read_text(encoding="utf-8")
    assert "failed report=2018/Q1-briefs-group" in log


@pytest.mark.slow
def test_a_page_failing_while_the_browser_waits_for_pages_fails_the_run(tmp_path, monkeypatch):
    """12 district briefs are shared out to forked writers while the run's browser prints each
    page as it is written: a writer failing on its second page must end the run with that
    error (the browser stops waiting), publishing nothing."""
    calls = []

    def fail_on_the_second(part, unit, data):
        calls.append(unit.name)  # counted per forked writer: each has its own copy
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", unit.stem)
        return real(part, unit, data)

    real = brief_run.brief_html
    monkeypatch.setattr(brief_run, "brief_html", fail_on_the_second)
    params = ReportParameters(period="H1")
    signal.alarm(120)  # a browser left waiting for pages would hang the suite
    try:
        with pytest.raises(OutputFailed, match="nothing was published"):
            run_briefs(params, "district", tmp_path / "out")
    finally:
        signal.alarm(0)
    assert not briefs_folder(tmp_path / "out", params, "district").exists()


def test_a_writer_killed_midway_is_an_output_failure_not_an_internal_error(tmp_path,
                                                                           monkeypatch):
    calls = []

    def killed_on_the_second(part, unit, data):
        calls.append(unit.name)
        if len(calls) == 2:
            os._exit(9)  # as the kernel's OOM killer would end it
        return real(part, unit, data)

    real = brief_run.brief_html
    monkeypatch.setattr(brief_run, "brief_html", killed_on_the_second)
    params = ReportParameters(period="H1", pdf=False)
    with pytest.raises(OutputFailed, match="ended abruptly"):
        run_briefs(params, "district", tmp_path / "out")
    assert not briefs_folder(tmp_path / "out", params, "district").exists()


def test_bad_input_publishes_nothing(tmp_path, capsys):
    raw = make_raw(tmp_path)
    (raw / "2018" / "allocation.xlsx").write_bytes(b"not a workbook")
    code = main(["briefs", "--year", "2018", "--period", "H1", "--raw-dir", str(raw),
                 "--out-dir", str(tmp_path / "out"), "--pdf", "false"])
    assert code == 2
    assert "allocation.xlsx" in capsys.readouterr().err
    assert not briefs_folder(tmp_path / "out", ReportParameters(period="H1"), "district"
                             ).exists()


def test_cli_publishes_briefs(tmp_path, capsys):
    code = main(["briefs", "--year", "2018", "--period", "Q3", "--by", "group", "--pdf",
                 "false", "--out-dir", str(tmp_path / "out")])
    assert code == 0
    assert "Published" in capsys.readouterr().out
    folder = tmp_path / "out" / "2018" / "Q3-briefs-group"
    rows = list(csv.DictReader((folder / "tables" / "unit_indicator.csv").open(
        encoding="utf-8")))
    beds = [r for r in rows if r["indicator"] == "new_institution_beds"]
    assert sum(int(r["target"]) for r in beds) == CITY_BEDS_TARGET
    assert dt.date.fromisoformat(read_manifest(folder / MANIFEST_NAME)["summary"]
                                 ["report_date"]) == dt.date(2018, 9, 30)
