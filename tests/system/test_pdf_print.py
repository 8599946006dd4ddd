"""report.pdf: printed from report.html by headless Chromium, offline, A4, fonts embedded with a
text layer that reads as written, every chart and table row whole on its page, page numbers,
fixed dates (same bytes on a re-run), and clear failures when Chromium or the font is missing.

Tests that print need Debian's Chromium and the WenQuanYi Micro Hei font (`make browser`);
outside CI they skip without them, in CI they fail."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from conftest import in_ci

from helpers.core.errors import BrowserMissing, PrintFailed
from helpers.core.parameters import ReportParameters
from helpers.core.paths import PROJECT_ROOT
from helpers.core.rounding import percent_text
from helpers.publish.report_pipeline import run_report
from helpers.render import pdf_print
from helpers.words.labels import label

A4 = (595.92, 841.92)  # points (210 x 297 mm; Chromium rounds to 594.96 x 841.92)
DISTRICTS = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "文成县",
             "平阳县", "泰顺县", "苍南县", "经开区"]
# what the print holds: the main text's parts and the 附件 (as report.docx); the page's own
# appendix (charts per indicator, district tables, items at risk, the run's record) is for the
# screen
WEB_ONLY = ("charts", "districts", "forward", "appendix")


def _require_printing() -> None:
    """Skip (outside CI) or fail (in CI) when report.pdf cannot be printed here."""
    try:
        pdf_print.check_printing()
    except BrowserMissing as exc:
        if in_ci():
            pytest.fail(f"printing must work in CI: {exc}")
        pytest.skip(str(exc))


@pytest.fixture
def printer():
    _require_printing()


def _text(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _outline_titles(items) -> list[str]:
    """The titles of the PDF's bookmarks (the print's headings), nested ones included."""
    out = []
    for item in items:
        out += _outline_titles(item) if isinstance(item, list) else [item.title]
    return out


# --- dates ---------------------------------------------------------------------------------

def test_pdf_dates_are_replaced_in_place():
    pdf = (b"%PDF-1.4\n1 0 obj\n<</Title (x)\n/CreationDate (D:20261127202914+00'00')\n"
           b"/ModDate (D:20261127202914+08'00')>>\nendobj\n%%EOF\n")
    fixed = pdf_print.fix_pdf_dates(pdf, dt.datetime(2018, 7, 5))
    assert len(fixed) == len(pdf)  # the cross-reference offsets stay right
    assert b"/CreationDate (D:20180705000000+00'00')" in fixed
    assert b"/ModDate (D:20180705000000+00'00')" in fixed
    assert b"2026" not in fixed


def test_structure_ids_are_renumbered_in_order_whatever_chromium_counted():
    shifted = [b"<</ID (node%08d)>> (node%08d) 1 0 R" % (n, n) for n in (161, 162, 170)]
    again = [b"<</ID (node%08d)>> (node%08d) 1 0 R" % (n, n) for n in (160, 161, 169)]
    first = pdf_print.renumber_structure_ids(b"%PDF-1.7\n" + b"\n".join(shifted))
    second = pdf_print.renumber_structure_ids(b"%PDF-1.7\n" + b"\n".join(again))
    assert first == second
    assert re.findall(rb"node(\d+)", first) == [b"00000001"] * 2 + [b"00000002"] * 2 + \
        [b"00000003"] * 2
    assert len(first) == len(b"%PDF-1.7\n" + b"\n".join(shifted))


def test_pdf_date_in_an_unknown_form_is_refused():
    with pytest.raises(PrintFailed, match="unexpected form"):
        pdf_print.fix_pdf_dates(b"/CreationDate (D:20261127202914+0)", dt.datetime(2018, 1, 1))


# --- missing tools ---------------------------------------------------------------------------

def test_missing_chromium_is_named_with_the_remedy(monkeypatch, tmp_path):
    monkeypatch.delenv(pdf_print.CHROMIUM_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to find
    with pytest.raises(BrowserMissing) as info:
        pdf_print.find_chromium()
    message = str(info.value)
    assert "make browser" in message and "--pdf false" in message
    assert info.value.exit_code == 6


def test_chromium_version_is_recorded_without_where_debian_built_it(tmp_path):
    """The full browser's --version names Debian's build, the headless shell's does not: both
    print the same bytes, so the manifest records the same version for either."""
    full = _script(tmp_path / "chromium",
                   'echo "Chromium 156.0.8078.129 built on Debian GNU/Linux 12 (bookworm)"')
    shell = _script(tmp_path / "chromium-headless-shell", 'echo "Chromium 156.0.8078.129"')
    failing = _script(tmp_path / "broken", 'echo "Chromium 156"; exit 3')
    assert pdf_print.chromium_version(full) == "Chromium 156.0.8078.129"
    assert pdf_print.chromium_version(shell) == "Chromium 156.0.8078.129"
    assert pdf_print.chromium_version(failing) is None


def test_configured_chromium_must_be_an_executable(monkeypatch, tmp_path):
    monkeypatch.setenv(pdf_print.CHROMIUM_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(BrowserMissing, match="is not an executable file"):
        pdf_print.find_chromium()


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_missing_print_font_is_named(monkeypatch, tmp_path):
    _script(tmp_path / "fc-list", "exit 0")  # fontconfig that knows no such font
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BrowserMissing, match=r"WenQuanYi Micro Hei.*fonts-wqy-microhei"):
        pdf_print.check_print_font()


def _fake_chromium(monkeypatch, folder: Path, body: str) -> Path:
    """A stand-in Chromium running `body`; returns a page to print."""
    monkeypatch.setenv(pdf_print.CHROMIUM_ENV, str(_script(folder / "chromium", body)))
    html = folder / "report.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    return html


def test_a_failing_chromium_is_reported_with_its_last_words(monkeypatch, tmp_path):
    html = _fake_chromium(monkeypatch, tmp_path, 'echo "crashed: out of memory" >&2; exit 7')
    with pytest.raises(PrintFailed, match=r"exit code 7\): crashed: out of memory"):
        pdf_print.print_pdf(html, tmp_path / "report.pdf", dt.datetime(2018, 1, 1))
    assert not (tmp_path / "report.pdf").exists()


def test_a_chromium_that_cannot_start_is_reported(monkeypatch, tmp_path):
    html = _fake_chromium(monkeypatch, tmp_path, "")
    (tmp_path / "chromium").write_bytes(b"\x7fELF not really a program")  # still executable
    with pytest.raises(PrintFailed, match="could not be started"):
        pdf_print.print_pdf(html, tmp_path / "report.pdf", dt.datetime(2018, 1, 1))


def test_a_hanging_chromium_is_stopped(monkeypatch, tmp_path):
    html = _fake_chromium(monkeypatch, tmp_path, "sleep 30")
    with pytest.raises(PrintFailed, match=r"within 0\.5 s"):
        pdf_print.print_pdf(html, tmp_path / "report.pdf", dt.datetime(2018, 1, 1),
                            timeout_s=0.5)


def test_waiting_for_a_browser_to_end_returns_when_it_ends_or_fails_at_the_limit():
    from helpers.render.chromium_pipe import _wait_for_exit

    ending = subprocess.Popen(["sleep", "0.1"])
    _wait_for_exit(ending, timeout_s=10)
    assert ending.returncode == 0
    _wait_for_exit(ending, timeout_s=10)  # ended and reaped already: nothing to wait for
    hanging = subprocess.Popen(["sleep", "30"])
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            _wait_for_exit(hanging, timeout_s=0.2)
        assert hanging.poll() is None
    finally:
        hanging.kill()
        hanging.wait()


def test_run_without_chromium_fails_before_building(monkeypatch, tmp_path):
    monkeypatch.setenv(pdf_print.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    done = subprocess.run([sys.executable, "-m", "helpers", "run", "--year", "2018",
                           "--period", "H1", "--out-dir", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600,
                          check=False, env=os.environ.copy())
    assert done.returncode == 6, done.stderr
    assert "--pdf false" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "2018" / "H1").exists()


@pytest.mark.slow
def test_pdf_false_builds_everything_else_without_chromium(monkeypatch, tmp_path):
    monkeypatch.setenv(pdf_print.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    folder = run_report(ReportParameters(period="H1", pdf=False), tmp_path / "out").folder
    assert not (folder / "report.pdf").exists()
    assert (folder / "report.docx").is_file() and (folder / "report.html").is_file()


# --- printing a page --------------------------------------------------------------------------

def test_folded_districts_print_unfolded(printer, tmp_path):
    """A report of many districts folds each one in the page; its PDF shows them all, and the
    unfolded copy printed from does not stay behind."""
    (tmp_path / "report.html").write_text(
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><style>'
        'body{font-family:"WenQuanYi Micro Hei"}</style></head><body>'
        + "".join(f'<details class="district"><summary>合成{n:04d}区</summary>'
                  f'<div id="district-{n:02d}">明细表{n}</div></details>' for n in (1, 2))
        + "</body></html>", encoding="utf-8")
    pdf_print.print_report_pdf(tmp_path, dt.date(2018, 7, 5))
    text = _squeezed("".join(_text(pypdf.PdfReader(tmp_path / "report.pdf"))))
    assert "明细表1" in text and "明细表2" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.pdf"]


def test_a_page_prints_offline_to_a4_with_the_font_embedded(printer, tmp_path):
    html = tmp_path / "page.html"
    html.write_text(
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>标题</title>'
        '<style>@page{size:A4;@bottom-center{content:"— " counter(page) " —"}}'
        'body{font-family:"WenQuanYi Micro Hei"}</style></head><body>'
        '<p>温州市民政局 养老服务 文成县</p>'
        '<img src="http://example.invalid/remote.png" alt="">'  # never fetched: offline
        "</body></html>", encoding="utf-8")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    stamp = dt.datetime(2018, 7, 5)
    pdf_print.print_pdf(html, first, stamp)
    pdf_print.print_pdf(html, second, stamp)
    assert first.read_bytes() == second.read_bytes()
    reader = pypdf.PdfReader(first)
    text = reader.pages[0].extract_text()
    assert "温州市民政局 养老服务 文成县" in text  # ideographs, not look-alike radicals
    assert "— 1 —" in text
    assert reader.metadata["/CreationDate"] == "D:20180705000000+00'00'"
    assert reader.metadata["/Title"] == "标题"


@pytest.mark.slow
def test_the_headless_shell_and_the_full_browser_print_the_same_bytes(built_reports, tmp_path,
                                                                      monkeypatch):
    """report.pdf is printed by Chromium's headless shell where it is installed, else by the
    full browser: the same report page gives the same PDF bytes from either (tables, charts,
    tags and outline alike), so a publication reproduces on a machine that has only one."""
    _require_printing()
    builds = {name: shutil.which(name) for name in ("chromium-headless-shell", "chromium")}
    missing = [name for name, path in builds.items() if path is None]
    if missing:
        if in_ci():
            pytest.fail(f"`make browser` installs both Chromium builds; missing: {missing}")
        pytest.skip(f"needs both Chromium builds; missing: {missing}")
    page, report = built_reports["H1"] / "report.html", built_reports["H1"] / "report.pdf"
    dated = pypdf.PdfReader(report).metadata.creation_date.replace(tzinfo=None)
    printed = {}
    for name, path in builds.items():
        monkeypatch.setenv(pdf_print.CHROMIUM_ENV, path)
        pdf_print.print_pdf(page, tmp_path / f"{name}.pdf", dated)
        printed[name] = (tmp_path / f"{name}.pdf").read_bytes()
    assert printed["chromium-headless-shell"] == printed["chromium"]
    versions = {pdf_print.chromium_version(Path(path)) for path in builds.values()}
    assert len(versions) == 1  # and the manifest records one version for both
    assert pypdf.PdfReader(tmp_path / "chromium.pdf").metadata["/Creator"] == "Chromium"
    # and it is the report's own print (its outline, the print's headings, included)
    assert printed["chromium"] == report.read_bytes()


# --- the published reports --------------------------------------------------------------------

@pytest.fixture(scope="module", params=("H1", "FY"))
def report_pdf(request):
    _require_printing()
    folder = request.getfixturevalue("built_reports")[request.param]
    path = folder / "report.pdf"
    return request.param, folder, pypdf.PdfReader(path)


@pytest.mark.slow
def test_every_page_is_a4_and_numbered(report_pdf):
    _, _, reader = report_pdf
    texts = _text(reader)
    for number, (page, text) in enumerate(zip(reader.pages, texts, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2, (number, width, height)
        assert f"— {number} —" in text, number


@pytest.mark.slow
def test_every_district_and_section_is_in_the_text(report_pdf):
    from helpers.render.html_page import sections
    from helpers.words.report_text import build_report

    period, _, reader = report_pdf
    text = "\n".join(_text(reader))
    assert not re.search(r"[\u2e80-\u2fdf]", text)  # no radicals standing in for ideographs
    for district in DISTRICTS:
        assert district in text, district
    squeezed = _squeezed(text)
    data = build_report(ReportParameters(year=2018, period=period))
    titles = _outline_titles(reader.outline)
    outline = " ".join(titles)
    for anchor, heading in sections(data):
        key = anchor.removeprefix("sec-")
        # a 附件's number and title stand on lines of their own: its title is looked for
        title = heading.split("　")[-1]
        if key in WEB_ONLY:  # not a heading of the print (its words may be in another title)
            assert title not in titles, key
        else:
            assert _squeezed(title) in squeezed and title in outline, key
    assert "成文日期" in text and "数据截至" in text and "报告日期" in text
    # the run's record (hashes, parameters, code version) stays on the page, not on paper
    assert _squeezed(label("sec.appendix")) not in squeezed
    assert "SHA-256" not in text and "cell_timeout_s" not in text


@pytest.mark.slow
def test_every_font_is_embedded_with_a_text_layer(report_pdf):
    _, _, reader = report_pdf
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/ToUnicode" in font, font.get("/BaseFont")
            if font["/Subtype"] == "/Type3":
                assert "/CharProcs" in font
                continue
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in \
                font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), \
                font.get("/BaseFont")
            seen += 1
    assert seen > 0
    base_fonts = {str(f.get_object().get("/BaseFont")) for page in reader.pages
                  for f in page["/Resources"]["/Font"].values()}
    assert any("WenQuanYiMicroHei" in name for name in base_fonts)


@pytest.mark.slow
def test_every_chart_prints_as_vectors_with_its_text_on_one_page(report_pdf):
    """The charts of the 附件 (the heatmap, progress over time) print as vector drawings whose
    words are text, each on one page with its title; the bar charts per indicator are the
    page's, not printed."""
    from helpers.render import chart_data
    from helpers.words.report_text import build_report

    period, _, reader = report_pdf
    data = build_report(ReportParameters(year=2018, period=period))
    pages = [_squeezed(text) for text in _text(reader)]
    assert not any(obj.get_object()["/Subtype"] == "/Image" for page in reader.pages
                   for obj in page["/Resources"].get("/XObject", {}).values())
    last_district = chart_data._ordered_districts(data)[-1]
    heatmap = _squeezed(label("chart.heatmap_title", "zh"))
    timeline = _squeezed(label("chart.timeline_title", "zh"))
    # the heatmap's title above it and its rows down to the last district on one page
    assert any(heatmap in text and last_district in text.split(heatmap, 1)[1]
               for text in pages)
    assert any(timeline in text for text in pages)
    bars = _squeezed(label("sec.bars", "zh"))  # the page's own charts per indicator
    assert not any(bars in text for text in pages)


@pytest.mark.slow
def test_no_table_row_is_cut_across_pages(report_pdf):
    """Each row of the 附件 of items behind reads whole on one page: its cells, joined, are in
    one page's text (a row split by a page break would be in two)."""
    import csv

    from helpers.core.statuses import BEHIND

    period, folder, reader = report_pdf
    pages = [_squeezed(text) for text in _text(reader)]
    with (folder / "tables" / "district_indicator.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["status"] in BEHIND]
    checked = 0
    for row in rows:
        # rows printed as plain figures (a share prints numerator/denominator, a task no figure)
        if not (row["completion"] and row["target"] and row["actual"]) or row["kind"] == "share":
            continue
        if row["stages_done"]:  # stages and build wrap inside their cell (test_cross_output)
            continue
        target, actual = str(int(float(row["target"]))), str(int(float(row["actual"])))
        percent = f"{percent_text(float(row['completion']))}%"  # half up: 51.25% -> 51.3%
        # the 附件 names the district and the indicator, then target, figure, 完成率
        cells = row["district"] + _squeezed(row["indicator_name"]) + target + actual + percent
        assert any(cells in page for page in pages), (period, row["district"], cells)
        checked += 1
    assert checked > 20


@pytest.mark.slow
def test_outline_lists_the_sections(report_pdf):
    period, _, reader = report_pdf
    found = " ".join(_outline_titles(reader.outline))
    first, last = ("一、目标任务完成情况", "五、2019年工作重点") if period == "FY" else (
        "一、总体进展", "四、下步工作要求")
    for title in (first, last, "指标完成情况汇总表", "“回头看”问题整改台账"):
        assert title in found, title
    # the page's district tables are not printed (FY: 各县（市、区）完成情况排名 is 附件2's title)
    assert f" {label('sec.districts')} " not in f" {found} "


def test_a_browser_prints_with_as_many_tabs_as_it_was_given(printer, tmp_path):
    """A run's browser loads `tabs` pages at a time (a report's one page opens one tab, which
    is all it can use); every page is printed, in order, whatever the count."""
    pages = []
    for n in range(3):
        html = tmp_path / f"p{n}.html"
        html.write_text(f"<!doctype html><meta charset=utf-8><p>页 {n}</p>", encoding="utf-8")
        pages.append((html, tmp_path / f"p{n}.pdf"))
    stamp = dt.datetime(2018, 6, 30)
    for tabs in (1, 2):
        with pdf_print.browsers(1, tabs=tabs) as (chromium,):
            pdf_print.print_with(chromium, pages, stamp)
            assert len(chromium._tabs_open) == tabs
        for n, (_, pdf) in enumerate(pages):
            assert f"页{n}" in _squeezed(_text(pypdf.PdfReader(pdf))[0])
            pdf.unlink()


def test_a_browser_loads_no_pages_of_its_own(printer, tmp_path):
    """Chromium preloads its address bar's suggestion pop-ups (web pages of its own, in a
    renderer that cost more CPU than printing a report) unless told not to: a headless print
    has only the pages it was started with and given."""
    html = tmp_path / "p.html"
    html.write_text("<!doctype html><meta charset=utf-8><p>页</p>", encoding="utf-8")
    with pdf_print.browsers(1, tabs=1) as (chromium,):
        pdf_print.print_with(chromium, [(html, tmp_path / "p.pdf")], dt.datetime(2018, 6, 30))
        targets = chromium._call("Target.getTargets", {}, html)["targetInfos"]
    assert {(t["type"], t["url"]) for t in targets} == {("page", "about:blank")}, targets


@pytest.mark.slow
def test_a_relative_out_dir_is_published_with_its_pdf(printer, monkeypatch, tmp_path):
    """`make report` passes a relative --out-dir (reports). The run never leaves the working
    directory: given a `cwd`, papermill moved the whole process there while the notebook ran,
    under the thread that prints report.pdf meanwhile, which then looked for the page
    elsewhere. (Papermill's file reader and writer change into the directory they were in.)"""
    monkeypatch.chdir(tmp_path)
    visited = []
    real_chdir = os.chdir
    monkeypatch.setattr(os, "chdir", lambda path: (visited.append(Path(path)), real_chdir(path)))
    run_report(ReportParameters(year=2018, period="H1"), Path("reports"),
               processed_dir=tmp_path / "processed")
    assert {path.resolve() for path in visited} <= {tmp_path.resolve()}
    published = tmp_path / "reports" / "2018" / "H1"
    assert (published / "report.pdf").is_file()
    assert "printed while the notebook ran" in (published / "run.log").read_text(
        encoding="utf-8")


def test_report_pdf_is_printed_early_only_from_the_page_the_notebook_exports(
        printer, built_reports, monkeypatch, tmp_path):
    """report.pdf is printed while the kernel runs, from the page the run expects it to
    export, and kept only when the page exported is that page: a page that turns out other
    is printed again from report.html. Either way report.pdf is the print of report.html."""
    from helpers.publish import early_print

    built = built_reports["H1"]
    assert "printed while the notebook ran, from the page it then exported" in (
        built / "run.log").read_text(encoding="utf-8")
    expected = early_print.expected_notebook

    def mistaken(params, prepared):  # a page the kernel will not show
        notebook = expected(params, prepared)
        shown = next(cell for cell in notebook.cells if cell.get("outputs"))
        shown.outputs[0].data["text/html"] += "<p>未显示的段落</p>"
        return notebook

    monkeypatch.setattr(early_print, "expected_notebook", mistaken)
    folder = run_report(ReportParameters(year=2018, period="H1"), tmp_path / "out",
                        processed_dir=tmp_path / "processed").folder
    assert "printed from report.html: the page the notebook exported was not the one expected" \
        in (folder / "run.log").read_text(encoding="utf-8")
    assert (folder / "report.pdf").read_bytes() == (built / "report.pdf").read_bytes()
    assert not (folder / early_print.EARLY_FOLDER).exists()
