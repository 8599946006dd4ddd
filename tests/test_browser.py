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
SECTIONS = {
    "H1": ("summary", "shares", "ranking", "checkpoints", "forward", "charts", "districts",
           "lagging", "timeline", "commentary", "appendix"),
    "FY": ("summary", "shares", "ranking", "checkpoints", "backtest", "charts", "districts",
           "lagging", "timeline", "commentary", "appendix"),
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
        " e.src.slice(0, 22)])")
    assert len(charts) >= 1 + N_INDICATORS  # heatmap and one bar chart per indicator
    for chart_id, complete, width, height, src in charts:
        assert complete and width > 0 and height > 0, chart_id
        assert src == "data:image/png;base64,", chart_id


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
    from helpers.report_html import Column, style, table

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
