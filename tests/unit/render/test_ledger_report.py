"""The problem ledger in the report: sentences, HTML section and Excel sheet checked against the
hand-counted ledger of test_ledger; the bundled sample checked by a second route (the
generator's own item list, counted here with plain Python); and disclosure control: no name or
number of a 责任人 cell in any file a run publishes."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile

import pytest
from ingest_builders import build_workbook, make_raw
from support import HAND_ITEMS, HAND_MERGES, HEADER

from helpers.core.parameters import ReportParameters
from helpers.demo.ledger import CANARY_NAMES, CANARY_NUMBERS, ITEMS
from helpers.metrics.report_data import build_report_data
from helpers.render.excel import build_workbook as report_workbook
from helpers.render.html_ledger import ledger_section
from helpers.render.html_page import sections
from helpers.words.ledger_findings import ledger_sentences

D = dt.date


@pytest.fixture
def hand_data(tmp_path):
    """H1 report data of the small allocation with the hand-counted ledger (no returns)."""
    raw = make_raw(tmp_path)
    build_workbook(raw / "2018" / "ledger.xlsx",
                   [["2018年问题整改台账（截至2018年12月31日）"], HEADER, *HAND_ITEMS],
                   merges=HAND_MERGES, title="台账")

    def build(**changes):
        return build_report_data(ReportParameters(raw_dir=str(raw), **changes))

    return build


def test_sentences_at_mid_year(hand_data):
    assert ledger_sentences(hand_data()) == [
        "截至2018年6月30日，“回头看”共排查发现问题隐患6个，已整改销号3个，销号率50.0%，尚未销号3个。",
        "未销号问题中有2个已超过整改限期，分布在鹿城区（1个）、龙湾区（1个）。",
        "逾期时间最长的是龙湾区龙湾福利中心“消防远程监控未联网”问题，整改限期为2018年5月10日，"
        "已逾期51天。",
        "已销号问题中，有1个是超过整改限期后才整改到位的。",
        "6月新发现问题1个，整改销号2个。",
    ]


def test_sentences_in_english_at_year_end(hand_data):
    sentences = ledger_sentences(hand_data(period="FY", lang="en"))
    assert sentences[0] == ("As of 31 December 2018 the look-back campaign had found 7 problems; "
                            "4 were rectified and closed (57.1%) and 3 remain open.")
    assert sentences[1] == ("3 of the open problems are past their deadline: Lucheng (1), "
                            "Longwan (1), Dongtou (1).")
    # December: nothing found, nothing closed: no sentence saying "0"
    assert not any(" 0 " in s for s in sentences)


def test_no_ledger_no_section_no_sheet(tmp_path):
    raw = make_raw(tmp_path)
    data = build_report_data(ReportParameters(raw_dir=str(raw)))
    assert data.ledger is None
    assert ledger_section(data) == "" and ledger_sentences(data) == []
    assert "问题整改台账" not in report_workbook(data).sheetnames


def _cells(html: str, table_id: str) -> list[list[str]]:
    part = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in part.split("<tr>")[2:]]


def test_html_section(hand_data):
    data = hand_data()
    html = ledger_section(data)
    # the last 附件, on its own page under its number
    heading = dict(sections(data))["sec-ledger"]
    number = heading.split("　")[0]
    assert heading == f"{number}　“回头看”问题整改台账"
    assert html.startswith(f'<p class="annex-number" id="annex-{number[2:]}">{number}</p>'
                           '<h2 class="annex-title" id="sec-ledger">“回头看”问题整改台账</h2>')
    keys = [key for key, _ in sections(data)]
    assert keys[keys.index("sec-ledger") + 1:] == ["sec-charts", "sec-districts",
                                                   "sec-forward", "sec-appendix"]
    assert _cells(html, "ledger-districts") == [
        ["鹿城区", "3", "2", "1", "1", "1", "66.7%"],
        ["龙湾区", "2", "0", "0", "2", "1", "0.0%"],
        ["洞头区", "1", "1", "0", "0", "0", "100.0%"],
        ["全市", "6", "3", "1", "3", "2", "50.0%"],
    ]
    overdue = _cells(html, "ledger-overdue")
    assert [row[0] for row in overdue] == ["5", "3"]
    assert overdue[0][5:] == ["2018年5月10日", "51", "未销号", "龙湾区民政局"]
    assert _cells(html, "ledger-monthly")[-1] == ["6月30日", "6", "1", "3", "2", "3", "2", "50.0%"]
    assert 'title="2018/ledger.xlsx!台账!A7"' in html  # item 5's source cell on hover
    assert "张三" not in html and "13812345678" not in html


def test_html_escapes_ledger_text(tmp_path):
    raw = make_raw(tmp_path)
    evil = [[1, "鹿城区", "<script>alert(1)</script>", 2017, "a & b", "2018-04-30",
             "鹿城区民政局", "2018-03-01", "未整改", None]]
    build_workbook(raw / "2018" / "ledger.xlsx", [["台账"], HEADER, *evil], title="台账")
    html = ledger_section(build_report_data(ReportParameters(raw_dir=str(raw))))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &amp; b" in html


def test_excel_sheet(hand_data):
    wb = report_workbook(hand_data())
    ws = wb["问题整改台账"]
    assert ws["A1"].value == "问题整改情况（“回头看”台账）"
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "发现问题")
    rows = [[ws.cell(r, c).value for c in range(1, 8)] for r in range(header + 1, header + 5)]
    assert [row[:6] for row in rows] == [["鹿城区", 3, 2, 1, 1, 1], ["龙湾区", 2, 0, 0, 2, 1],
                                         ["洞头区", 1, 1, 0, 0, 0], ["全市", 6, 3, 1, 3, 2]]
    assert rows[3][6] == pytest.approx(0.5) and ws.cell(header + 4, 7).number_format == "0.0%"
    assert ws.freeze_panes is None  # several tables below the sentences: nothing pinned
    assert ws.auto_filter.ref == f"A{header}:G{header + 4}"  # the filter on the district table
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "2018/ledger.xlsx!台账!A7" in texts
    assert not any("张三" in t or "13812345678" in t for t in texts)


# --- the bundled sample, by a second route ----------------------------------------------------

def _sample_counts(date: dt.date) -> dict[str, int]:
    """Overdue problems per district at `date`, straight from the generator's item list."""
    counts: dict[str, int] = {}
    for district, _, _, _, _, found, deadline, _, closed in ITEMS:
        district = {"浙南产业集聚区": "经开区"}.get(district.strip(), district.strip())
        deadline = found if deadline == "立行立改" else deadline
        if found <= date and (closed is None or closed > date) and deadline < date:
            counts[district] = counts.get(district, 0) + 1
    return counts


def test_bundled_sample_sentences():
    h1 = build_report_data(ReportParameters(period="H1"))
    counts = _sample_counts(D(2018, 6, 30))
    top = max(counts.values())
    assert sorted(counts.values()) == [1, 1, 1, 1, 2]  # five districts, one with two
    leader = next(d for d, n in counts.items() if n == top)
    assert ledger_sentences(h1)[1] == (f"未销号问题中有{sum(counts.values())}个已超过整改限期，"
                                       f"分布在{len(counts)}个县（市、区），较多的是{leader}（{top}个）。")
    fy = build_report_data(ReportParameters(period="FY"))
    counts = _sample_counts(D(2018, 12, 31))
    assert fy.ledger.city["overdue"] == sum(counts.values())
    assert dict(zip(fy.ledger.districts["district"], fy.ledger.districts["overdue"],
                    strict=True)) == {d: counts.get(d, 0) for d in fy.ledger.districts["district"]}


# --- disclosure control: canaries in every published file ------------------------------------

def _published_text(path) -> str:
    """Everything a published file says, as text: workbook and document XML unzipped, PDF
    text extracted, notebook JSON with its strings decoded."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace")
                             for n in archive.namelist())
    text = path.read_bytes().decode("utf-8", "replace")
    if path.suffix in (".ipynb", ".json"):
        text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _plain(text: str) -> str:
    return text.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(
        "-", "").replace(" ", "")


@pytest.mark.slow
def test_no_canary_in_any_published_file(built_reports, built_briefs):
    out_dir = built_reports["H1"].parent.parent
    folders = [*built_reports.values(), *built_briefs.values()]
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    files += [out_dir / "index.html", out_dir / "runs.log"]
    names = {p.name for p in files}
    assert {"report.html", "report.xlsx", "report.ipynb", "report.docx", "report.pdf",
            "district_indicator.csv", "facts.csv", "manifest.json", "run.log", "index.html",
            "runs.log",
            "01-鹿城区.html", "01-鹿城区.xlsx", "01-鹿城区.pdf", "unit_indicator.csv"} <= names
    for path in files:
        text = _published_text(path)
        plain = _plain(text)
        for name in CANARY_NAMES:
            assert name not in text, f"{name} in {path}"
        for number in CANARY_NUMBERS:
            assert number not in plain, f"{number} in {path}"
    # the ledger did reach the report (else the scan proves nothing): masked, with its units
    h1 = (built_reports["H1"] / "report.html").read_text(encoding="utf-8")
    assert "138****0201" in h1 and "鹿城区民政局" in h1 and 'id="sec-ledger"' in h1
    brief = (built_briefs["H1"] / "01-鹿城区.html").read_text(encoding="utf-8")
    assert "138****0201" in brief and 'id="sec-ledger"' in brief
    assert "鹿城区民政局" in _published_text(built_reports["H1"] / "report.docx")
