"""Browser tests: the built H1 and FY reports opened from disk in headless Chromium (Debian's
/usr/bin/chromium, driven by playwright; no browser is ever downloaded).

A reader opens report.html by double-clicking it, offline. These tests check what that reader
gets: no script errors, no network traffic, the tables and charts there and loaded, hover
sources on the cells, no code, escaping that holds in a real browser. Screenshots are left in
test-artifacts/ for a human to look at.

Outside CI the tests skip when Chromium or playwright is missing (`make browser` installs
Chromium); in CI they fail instead, so a broken browser setup cannot pass silently.
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import in_ci

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
PERIODS = ("H1", "FY")
LOCAL_SCHEMES = ("file:", "data:")

# What the reader sees, from the bundled 2018 data (seed 001 annex: 合计 15000 beds; 鹿城区 1750).
BEDS_INDICATOR = "新增机构床位"
BEDS_CITY_TARGET = "15000"
TARGET_HEADER = "年度目标"
LUCHENG_BEDS_SOURCE = "2018/allocation.xlsx!分解表!D5"
LUCHENG_BEDS_TARGET = "1750"
N_INDICATORS = 16  # the summary: seed 001's 15 indicators and the "一键通" task of seed 000
N_DISTRICT_ROWS = 21  # a district's table: those 16 and the 5 share indicators
N_DISTRICTS = 12
# the bundled 2018 data has a sample narrative and a problem ledger
# the main text's parts, the 附件, the page's own appendix
SECTIONS = {
    "H1": ("progress", "standing", "problems", "next", "summary", "ranking", "checkpoints",
           "lagging", "timeline", "changes", "ledger", "charts", "districts", "forward",
           "appendix"),
    "FY": ("progress", "standing", "compared", "problems", "next", "summary", "ranking",
           "checkpoints", "lagging", "timeline", "changes", "ledger", "charts", "districts",
           "appendix"),
}
CODE_FRAGMENTS = ("rn.show(", "rh.", "from helpers", "check_parameters", "Traceback")
EVIL = "<img src=x onerror=alert(1)>"


def _missing_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (run `make browser`)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the whole module."""
    reason = _missing_browser()
    if reason:
        if in_ci():
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@dataclass
class OpenPage:
    """A page and everything it reported since it was opened."""

    page: object
    period: str
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    size: int = 0  # bytes of the page's file, where a test records it


def _open(browser, url: str, period: str = "") -> OpenPage:
    """A new page on `url` with listeners attached before navigation; remote requests are
    recorded, then aborted so a test never reaches the network."""
    page = browser.new_page(viewport=VIEWPORT)
    opened = OpenPage(page, period)
    page.on("console", lambda msg: opened.console.append((msg.type, msg.text)))
    page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    page.on("request", lambda req: opened.requests.append(req.url))
    page.on("websocket", lambda ws: opened.requests.append(ws.url))

    def on_dialog(dialog):
        opened.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.route(lambda url: not url.startswith(LOCAL_SCHEMES), lambda route: route.abort())
    page.goto(url, wait_until="load")
    return opened


@pytest.fixture(scope="module", params=PERIODS)
def report(request, browser) -> OpenPage:
    """The built report of one period, opened once from disk. The reports are asked for only
    once the browser is there, so a skip does not first spend ~30 s building them."""
    path = request.getfixturevalue("built_reports")[request.param] / "report.html"
    opened = _open(browser, path.resolve().as_uri(), request.param)
    yield opened
    opened.page.close()


@pytest.mark.slow
def test_summary_table_shows_city_target(report):
    page = report.page
    table = page.locator("table#summary-table")
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == N_INDICATORS
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    target_col = headers.index(TARGET_HEADER)
    beds = rows.filter(has=page.locator("td:first-child", has_text=BEDS_INDICATOR))
    assert beds.count() == 1
    cell = beds.locator("td").nth(target_col)
    assert cell.is_visible()
    assert cell.inner_text().strip() == BEDS_CITY_TARGET


@pytest.mark.slow
def test_every_district_has_a_heading_and_its_table(report):
    ids = report.page.locator("h3[id^='district-']").evaluate_all("els => els.map(e => e.id)")
    assert ids == [f"district-{n:02d}" for n in range(1, N_DISTRICTS + 1)]
    for anchor in ids:
        # the first table after the heading, before the next heading, is the district's own
        following = report.page.evaluate(
            """id => {
                let e = document.getElementById(id).nextElementSibling;
                while (e && !/^H[1-3]$/.test(e.tagName)) {
                    if (e.tagName === 'TABLE') return [e.id, e.tBodies[0].rows.length];
                    e = e.nextElementSibling;
                }
                return null;
            }""", anchor)
        assert following == [f"table-{anchor}", N_DISTRICT_ROWS], anchor
        assert report.page.locator(f"#{anchor}").is_visible()


@pytest.mark.slow
def test_every_toc_link_has_a_target(report):
    hrefs = report.page.locator("nav#toc a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    sections = SECTIONS[report.period]
    assert len(hrefs) == len(sections) + N_DISTRICTS
    assert [h for h in hrefs if h.startswith("#sec-")] == [f"#sec-{key}" for key in sections]
    for href in hrefs:
        assert href.startswith("#"), href
        assert report.page.evaluate("id => !!document.getElementById(id)", href[1:]), href


@pytest.mark.slow
def test_every_chart_loaded(report):
    charts = report.page.locator("img.chart").evaluate_all(
        "els => els.map(e => [e.id, e.complete, e.naturalWidth, e.naturalHeight,"
        " e.src.slice(0, 26)])")
    assert len(charts) >= 1 + N_INDICATORS  # heatmap and one bar chart per indicator
    for chart_id, complete, width, height, src in charts:
        assert complete and width > 0 and height > 0, chart_id
        assert src == "data:image/svg+xml;base64,", chart_id


@pytest.mark.slow
def test_hover_source_on_a_district_cell(report):
    cells = report.page.locator(f'td[title="{LUCHENG_BEDS_SOURCE}"]')
    assert cells.count() >= 1
    assert cells.first.is_visible()
    assert {text.strip() for text in cells.all_inner_texts()} == {LUCHENG_BEDS_TARGET}
    assert cells.first.get_attribute("title") == LUCHENG_BEDS_SOURCE


@pytest.mark.slow
def test_no_code_is_visible(report):
    page = report.page
    visible_inputs = page.locator(".jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt").evaluate_all(
        "els => els.filter(e => e.getClientRects().length > 0).length")
    assert visible_inputs == 0
    assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0
    text = page.locator("body").inner_text()
    for fragment in CODE_FRAGMENTS:
        assert fragment not in text, fragment


@pytest.mark.slow
def test_screenshots(report, artifacts_dir):
    full = artifacts_dir / f"report-{report.period}.png"
    report.page.screenshot(path=str(full), full_page=True)
    width, height = _png_size(full)
    assert width == VIEWPORT["width"]
    assert height > 5 * VIEWPORT["height"]
    assert full.stat().st_size > 100_000

    report.page.evaluate("window.scrollTo(0, 0)")
    first = artifacts_dir / f"report-{report.period}-first-screen.png"
    report.page.screenshot(path=str(first))
    assert _png_size(first) == (VIEWPORT["width"], VIEWPORT["height"])
    assert first.stat().st_size > 20_000


@pytest.mark.slow
def test_no_errors_and_no_network(report):
    """Runs last for each report, so it covers everything the other tests did to the page."""
    assert report.errors == []
    assert [text for kind, text in report.console if kind == "error"] == []
    assert report.requests, "the request listener saw nothing"
    assert [url for url in report.requests if not url.startswith(LOCAL_SCHEMES)] == []
    assert report.dialogs == []


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_escaping_holds_in_a_real_browser(browser, tmp_path):
    """A district name carrying markup shows as text, in a cell and in its hover, and runs
    nothing."""
    from helpers.render.columns import Column
    from helpers.render.html_page import style
    from helpers.render.html_table import table

    columns = [Column("地区", lambda name: name, hover=lambda name: name),
               Column("数值", lambda name: "1", css="num")]
    fragment = table([EVIL], columns, "evil-table", caption=EVIL)
    page_file = tmp_path / "escape.html"
    page_file.write_text(f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
                         f"<title>escape</title>{style()}</head><body>{fragment}</body></html>",
                         encoding="utf-8")
    opened = _open(browser, page_file.as_uri())
    try:
        page = opened.page
        page.wait_for_timeout(300)  # an onerror handler would fire after the load event
        cell = page.locator("#evil-table tbody td").first
        assert cell.inner_text() == EVIL
        assert cell.get_attribute("title") == EVIL
        assert page.locator("#evil-table caption").inner_text() == EVIL
        assert page.locator("img").count() == 0
        assert page.locator("#evil-table tbody tr").count() == 1
        assert opened.dialogs == []
        assert opened.errors == []
        assert [url for url in opened.requests if not url.startswith(LOCAL_SCHEMES)] == []
    finally:
        opened.page.close()


# --- a poisoned run (issue 10) -----------------------------------------------------------------
# Markup and formula triggers planted in the catalogue, a return's file name and the manifests
# of neighbouring report folders. The pages must show them as text: no dialog, no request, no
# element the data brought in (the pages' Content-Security-Policy would also stop a script, so
# the DOM and the page source are checked for escaping on their own).

POISON_GROUP = "第四组<script>alert('group')</script>"
POISON_SHORT = "床位<img src=x onerror=alert('short')>"
POISON_NOTE = "<svg onload=alert('note')>"
POISON_FILE = "2018-04-30<img src=x onerror=alert('file')>.csv"
POISON_FORMULA_GROUP = '=HYPERLINK("http://example.invalid/","x")'
POISON_MARKUP = ("<script", "<img src=x", "<svg")  # as markup; escaped they read &lt;...


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _neighbours(out: Path) -> None:
    """Manifests a careless or hostile hand left beside the report."""
    import json

    from helpers.core.parameters import ReportParameters

    def manifest(year, period, **summary):
        params = ReportParameters(year=year, period=period).as_dict()
        return {"parameters": params, "inputs": [{"sha256": "<script>alert('x')</script>"}],
                "summary": {"report_date": f"{year}-03-31", "counts": {"done": 1},
                            **summary}}

    foreign = manifest(2017, "FY", report_date="2017-12-31")
    foreign["parameters"]["districts"] = ["<script>alert('district')</script>"]
    for folder, content in {
        "2018/Q1": json.dumps(manifest(2018, "Q1", counts={
            "done": "<img src=x onerror=alert('count')>"}, data_as_of="<script>")),
        "2018/Q3": '{"parameters": <script>alert("json")</script>',
        "2017/FY": json.dumps(foreign),
    }.items():
        (out / folder).mkdir(parents=True)
        (out / folder / "manifest.json").write_text(content, encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned_run(browser, tmp_path_factory) -> Path:
    """The output folder of a 2018 H1 run built from a poisoned copy of the bundled data."""
    import shutil

    from helpers.core.parameters import ReportParameters
    from helpers.core.paths import RAW_DIR
    from helpers.publish.report_pipeline import run_report

    root = tmp_path_factory.mktemp("poisoned")
    raw = root / "data" / "raw"
    shutil.copytree(RAW_DIR, raw)
    catalog = raw / "catalog"
    _replace_in(catalog / "districts.csv", "Lucheng,第四组", f'Lucheng,"{POISON_GROUP}"')
    _replace_in(catalog / "districts.csv", "Longwan,第五组",
                'Longwan,"' + POISON_FORMULA_GROUP.replace('"', '""') + '"')
    _replace_in(catalog / "indicators.csv", "新增机构床位,新增机构床位,",
                f"新增机构床位,{POISON_SHORT},")
    _replace_in(raw / "2018" / "plan" / "milestones.csv",
                "温民福〔2018〕58号 实施步骤1：6月底前按任务数完成选址", POISON_NOTE)
    progress = raw / "2018" / "progress"
    (progress / "2018-04-30.csv").rename(progress / POISON_FILE)
    out = root / "out"
    _neighbours(out)
    run_report(ReportParameters(year=2018, period="H1", raw_dir=str(raw)), out,
               processed_dir=root / "processed")
    return out


def _assert_inert(opened: OpenPage, source: str) -> None:
    page = opened.page
    page.wait_for_timeout(300)  # an onerror or onload handler would fire after the load event
    assert opened.dialogs == []
    assert [url for url in opened.requests if not url.startswith(LOCAL_SCHEMES)] == []
    assert page.locator("script, svg, iframe, object, embed, [onerror], [onload]").count() == 0
    assert page.locator("img:not(.chart)").count() == 0
    for fragment in POISON_MARKUP:
        assert fragment not in source, fragment


@pytest.mark.slow
def test_poisoned_report_shows_the_markup_as_text_and_runs_nothing(browser, poisoned_run):
    path = poisoned_run / "2018" / "H1" / "report.html"
    opened = _open(browser, path.resolve().as_uri())
    try:
        _assert_inert(opened, path.read_text(encoding="utf-8"))
        text = opened.page.locator("body").inner_text()
        for shown in (POISON_GROUP, POISON_SHORT, POISON_FILE):
            assert shown in text, shown
        assert opened.errors == []
    finally:
        opened.page.close()


@pytest.mark.slow
def test_poisoned_neighbours_leave_the_index_inert(browser, poisoned_run):
    path = poisoned_run / "index.html"
    opened = _open(browser, path.resolve().as_uri())
    try:
        _assert_inert(opened, path.read_text(encoding="utf-8"))
        page = opened.page
        links = page.locator("#reports a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))")
        assert "2018/H1/report.html" in links and "2017/FY/report.html" in links
        assert "2018/Q1/report.html" in links  # listed, with its bad counts left out
        assert "2018/Q3/report.html" not in links
        assert "2018/Q3" in page.locator("#unreadable").inner_text()
        assert opened.errors == []
    finally:
        opened.page.close()


@pytest.mark.slow
def test_poisoned_text_in_the_csv_table_cannot_run_as_a_formula(poisoned_run):
    import csv

    with (poisoned_run / "2018" / "H1" / "tables" / "district_indicator.csv").open(
            encoding="utf-8", newline="") as handle:
        groups = {row["district"]: row["supervision_group"] for row in csv.DictReader(handle)}
    assert groups["龙湾区"] == "'" + POISON_FORMULA_GROUP
    assert groups["鹿城区"] == POISON_GROUP


# --- a report of many districts ------------------------------------------------------------

MANY_DISTRICTS = 100  # beyond chart_data.CHART_ALL_MAX and report_html.DISTRICTS_OPEN_MAX


@pytest.fixture(scope="module")
def many_report(browser, tmp_path_factory) -> OpenPage:
    """A report of 100 synthetic districts (helpers.demo.synthetic), opened from disk."""
    from helpers.core.parameters import ReportParameters
    from helpers.demo.synthetic import write_synthetic
    from helpers.publish.report_pipeline import run_report

    scratch = tmp_path_factory.mktemp("many")
    write_synthetic(scratch / "raw", districts=MANY_DISTRICTS)
    params = ReportParameters(year=2018, period="H1", raw_dir=str(scratch / "raw"), pdf=False)
    folder = run_report(params, scratch / "out", processed_dir=scratch / "processed").folder
    opened = _open(browser, (folder / "report.html").resolve().as_uri(), "H1")
    yield opened
    opened.page.close()


@pytest.mark.slow
def test_many_districts_fold_and_open_at_a_link(many_report):
    page = many_report.page
    assert page.locator("details.district").count() == MANY_DISTRICTS
    assert page.locator("details.district[open]").count() == 0
    # the table of contents does not list a hundred districts; a link still reaches one
    assert page.locator('nav#toc a[href^="#district-"]').count() == 0
    page.evaluate("location.hash = '#district-50'")
    page.wait_for_timeout(300)
    opened = page.locator("details.district[open]")
    assert opened.count() == 1
    assert opened.locator("summary").inner_text().startswith("合成0050区")
    assert opened.locator("table tbody tr").count() >= N_INDICATORS
    assert opened.locator("table").is_visible()


@pytest.mark.slow
def test_many_districts_charts_show_the_extremes(many_report):
    from helpers.render import chart_data

    page = many_report.page
    charts = page.locator("img.chart").evaluate_all(
        "els => els.map(e => [e.id, e.complete, e.naturalWidth, e.naturalHeight])")
    assert len(charts) >= 1 + N_INDICATORS
    assert all(complete and width > 0 and height > 0 for _, complete, width, height in charts)
    heatmap = page.locator("#chart-heatmap").evaluate("e => e.naturalHeight")
    # 20 rows (the districts ranked last), not a hundred
    assert heatmap < 30 * 2 * chart_data.HEATMAP_SHOWN
    notes = page.locator("#sec-charts ~ p.note").all_inner_texts()
    assert any(f"共{MANY_DISTRICTS}个县（市、区）" in text for text in notes)
    assert many_report.errors == []
    assert [url for url in many_report.requests if not url.startswith(LOCAL_SCHEMES)] == []


# --- a province of districts -----------------------------------------------------------------

PROVINCE = (3000, 15, 12)  # districts x indicators x monthly returns: issue 11's largest case
PROVINCE_HTML_MAX = 15_000_000  # bytes


@pytest.fixture(scope="module")
def province_report(browser, tmp_path_factory) -> OpenPage:
    """The report of 3,000 synthetic districts, built by `run` and opened from disk."""
    from helpers.core.parameters import ReportParameters
    from helpers.demo.synthetic import write_synthetic
    from helpers.publish.report_pipeline import run_report

    districts, indicators, returns = PROVINCE
    scratch = tmp_path_factory.mktemp("province")
    write_synthetic(scratch / "raw", districts, indicators, returns)
    params = ReportParameters(year=2018, period="H1", raw_dir=str(scratch / "raw"), pdf=False)
    folder = run_report(params, scratch / "out", processed_dir=scratch / "processed").folder
    opened = _open(browser, (folder / "report.html").resolve().as_uri(), "H1")
    opened.size = (folder / "report.html").stat().st_size
    yield opened
    opened.page.close()


@pytest.mark.slow
def test_a_province_of_districts_opens_and_finds_a_district(province_report):
    """3,000 districts: the page stays under 15 MB, loads without errors or requests, every
    district is there folded, and a link (as find-in-page does) opens the one it names."""
    page = province_report.page
    assert province_report.size < PROVINCE_HTML_MAX
    assert province_report.errors == []
    assert [url for url in province_report.requests if not url.startswith(LOCAL_SCHEMES)] == []
    assert page.locator("details.district").count() == PROVINCE[0]
    page.evaluate("location.hash = '#district-2999'")
    page.wait_for_timeout(300)
    opened = page.locator("details.district[open]")
    assert opened.count() == 1
    assert opened.locator("summary").inner_text().startswith("合成2999区")
    assert opened.locator("table tbody tr").count() >= PROVINCE[1]
    charts = page.locator("img.chart").evaluate_all(
        "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])")
    assert charts and all(complete and width > 0 and height > 0
                          for complete, width, height in charts)


@pytest.mark.slow
def test_comparison_page_keeps_each_change_on_one_line(browser, built_reports, tmp_path,
                                                        artifacts_dir):
    """H1 -> FY as `helpers diff --html` writes it: the input files' table has two SHA-256
    columns of 64 characters without a break, which took the width and left the 变化 column a
    character a line (新 above 增) and pushed the page past the window. Each file's change must
    read on one line, the page fit the window, and the hashes stay whole (wrapped, not cut)."""
    from helpers.audit.report_diff import diff_reports, write_diff_html

    page_path = tmp_path / "diff.html"
    write_diff_html(diff_reports(built_reports["H1"], built_reports["FY"]), page_path)
    opened = _open(browser, page_path.resolve().as_uri())
    try:
        rows = opened.page.evaluate("""() => [...document.querySelectorAll(
            '#changes-files tbody tr')].map(tr => [...tr.cells].map(td => ({
                text: td.textContent,
                lines: Math.round(td.querySelector('*') ? 0 : (() => {
                    const r = document.createRange(); r.selectNodeContents(td);
                    return r.getClientRects().length; })())})))""")
        overflow = opened.page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth")
        opened.page.screenshot(path=str(artifacts_dir / "diff-H1-FY.png"), full_page=True)
    finally:
        opened.page.close()
    assert rows, "the H1 -> FY comparison lists its input files"
    # the FY report reads the December return, which H1 did not: at least one file is new
    assert any(cells[1]["text"] == "新增" for cells in rows)
    for cells in rows:
        assert cells[1]["lines"] == 1, f"{cells[0]['text']}: 变化 wraps ({cells[1]['text']})"
        for sha in (cells[2]["text"], cells[3]["text"]):
            assert sha == "" or len(sha) == 64, sha
    assert overflow <= 0, f"the page is {overflow} px wider than the window"
    assert not opened.errors and not opened.requests[1:]
