"""One colour per status family, the same in every format (issue 18, README "Colours"): every
status word shown on a colour in report.xlsx, report.docx, the page's CSS and the charts stands
on its family's colour with readable text, and no two families share a colour."""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook

from helpers.core.parameters import ReportParameters
from helpers.core.statuses import FAMILIES, FAMILY_OF, STATUSES
from helpers.render import svg_charts
from helpers.render.colours import FAMILY_COLORS, contrast_ratio
from helpers.render.excel import write_report_xlsx
from helpers.render.html_page import style
from helpers.render.word import write_report_docx
from helpers.words.labels import status_label
from helpers.words.report_text import build_report

WORD = {status_label(s): s for s in STATUSES}


def family_colour(status: str) -> str:
    return FAMILY_COLORS[FAMILY_OF[status]].lstrip("#").upper()


def test_the_families_partition_the_vocabulary_and_never_share_a_colour():
    members = [s for group in FAMILIES.values() for s in group]
    assert sorted(members) == sorted(STATUSES) and len(members) == len(set(members))
    colours = [c.upper() for c in FAMILY_COLORS.values()]
    assert len(colours) == len(set(colours)) == len(FAMILIES)
    # the statuses a reader must tell apart are in different families
    apart = [("serious_lag", "overdue"), ("overdue", "lagging"), ("done", "on_track"),
             ("on_track", "near"), ("lagging", "serious_lag"), ("not_due", "on_track")]
    for first, second in apart:
        assert family_colour(first) != family_colour(second), (first, second)
    for colour in FAMILY_COLORS.values():  # black or white text reaches 4.5:1 on each
        assert max(contrast_ratio(colour, "#000000"), contrast_ratio(colour, "#FFFFFF")) >= 4.5


@pytest.fixture(scope="module", params=["H1", "FY"])
def outputs(request, tmp_path_factory):
    data = build_report(ReportParameters(period=request.param))
    folder = tmp_path_factory.mktemp(f"colours-{request.param}")
    write_report_xlsx(data, folder / "report.xlsx")
    write_report_docx(data, folder / "report.docx")
    return data, folder


def test_every_status_cell_of_the_workbook_is_on_its_family_colour(outputs):
    data, folder = outputs
    seen = set()
    for ws in load_workbook(folder / "report.xlsx").worksheets:
        for row in ws.iter_rows():
            for cell in row:
                status = WORD.get(cell.value) if isinstance(cell.value, str) else None
                if status is None or cell.fill.fill_type != "solid":
                    continue
                assert cell.fill.fgColor.rgb[-6:] == family_colour(status), (
                    ws.title, cell.coordinate, cell.value)
                seen.add(status)
    assert seen >= set(data.table["status"]) - {"no_target"}


def test_every_status_cell_of_the_word_file_is_on_its_family_colour(outputs):
    data, folder = outputs
    xml = zipfile.ZipFile(folder / "report.docx").read("word/document.xml").decode("utf-8")
    seen = set()
    for cell in re.findall(r"<w:tc>.*?</w:tc>", xml):
        fill = re.search(r'w:fill="([0-9A-F]{6})"', cell)
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", cell))
        if fill and text in WORD:
            assert fill.group(1) == family_colour(WORD[text]), text
            seen.add(WORD[text])
    lagging = {s for s in data.table["status"] if s in FAMILY_OF and FAMILY_OF[s] in (
        "behind", "serious", "overdue")}
    assert seen >= lagging  # the lagging table shows each status behind on its colour


def test_the_page_and_the_charts_use_the_family_colours(outputs):
    data, _ = outputs
    css = dict(re.findall(r"\.status-(\w+)\{background:#([0-9A-Fa-f]{6});", style()))
    assert set(css) == set(STATUSES)
    for status, colour in css.items():
        assert colour.upper() == family_colour(status), status
    svg = svg_charts.heatmap_svg(data)
    fills = {f.upper() for f in re.findall(r'fill="#([0-9A-Fa-f]{6})"', svg)}
    for status in set(data.table["status"]):
        assert family_colour(status) in fills, status


def test_the_chart_legend_names_each_family_once(outputs):
    data, _ = outputs
    items = svg_charts._status_items(set(data.table["status"]), "zh")
    colours = [colour for colour, _, _ in items]
    assert len(colours) == len(set(colours))
    named = {status_label(s) for s in set(data.table["status"])}
    words = {w for _, text, _ in items for w in text.split("、")}
    assert words == named

