"""Charts: what they show (helpers.render.chart_data) and the Word pictures drawn from the HTML's
SVG
(helpers.render.chart_pictures): valid, deterministic PNGs with real CJK glyphs and the status
colours where the SVG puts them."""

from __future__ import annotations

import dataclasses
import io
import math
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageFont

from helpers.core.parameters import ReportParameters
from helpers.core.statuses import FAMILY_OF
from helpers.render import chart_data, chart_pictures, svg_charts
from helpers.render.chart_pictures import ChartPictureError, dash_pieces, svg_png
from helpers.render.colours import STATUS_COLORS
from helpers.words.labels import indicator_label
from helpers.words.report_text import build_report

INDICATOR = "new_institution_beds"
SVG = 'xmlns="http://www.w3.org/2000/svg"'


@pytest.fixture(scope="module")
def h1_zh():
    return build_report(ReportParameters(period="H1"))


@pytest.fixture(scope="module")
def h1_en():
    return build_report(ReportParameters(period="H1", lang="en"))


@pytest.fixture(scope="module")
def fy_zh():
    return build_report(ReportParameters(period="FY"))


def _image(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png)).convert("RGB")


def _chunks(png: bytes) -> list[bytes]:
    kinds, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        kinds.append(kind)
        at += 12 + length
    return kinds


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[k:k + 2], 16) for k in (1, 3, 5))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------- font

def test_bundled_font_has_distinct_cjk_glyphs():
    """A font without these glyphs draws the same empty box for each (its .notdef)."""
    font = ImageFont.truetype(chart_pictures.font_path(), 40)
    masks = {char: bytes(font.getmask(char)) for char in "床位完成率进度要求滞后鹿城区"}
    assert all(any(mask) for mask in masks.values())
    assert len(set(masks.values())) == len(masks)


def test_the_font_is_found_without_importing_its_package():
    """mplfonts' own import loads matplotlib, which report.docx's process never uses: the
    font file is the one importlib.resources finds, found without importing the package."""
    found = subprocess.run(
        [sys.executable, "-c", "import sys; from helpers.render.chart_pictures import "
         "font_path; print(font_path()); print(sorted(m for m in ('mplfonts', 'matplotlib') "
         "if m in sys.modules))"], capture_output=True, text=True, check=True).stdout.split("\n")
    from importlib import resources

    assert found[0] == str(resources.files("mplfonts") / "fonts" / chart_pictures.FONT_FILE)
    assert found[1] == "[]"


# ----------------------------------------------------------------------------- the renderer

def test_a_rectangle_is_drawn_in_its_colour_and_place():
    png = svg_png(f'<svg {SVG} width="40" height="20"><rect width="100%" height="100%" '
                  'fill="#FFFFFF"/><rect x="10" y="5" width="20" height="10" fill="#0072B2"/>'
                  '</svg>', scale=2.0)
    image = _image(png)
    assert image.size == (80, 40)
    assert image.getpixel((40, 20)) == (0, 0x72, 0xB2)  # the middle of the rectangle
    assert image.getpixel((21, 11)) == (0, 0x72, 0xB2)  # just inside its corner (20, 10)
    assert image.getpixel((18, 20)) == (255, 255, 255)  # left of it
    assert image.getpixel((40, 31)) == (255, 255, 255)  # below it (ends at y = 30)


def test_text_is_drawn_on_its_baseline_by_its_anchor():
    def ink(anchor: str) -> tuple[int, int, int, int]:
        image = _image(svg_png(f'<svg {SVG} width="200" height="40"><text x="100" y="30" '
                               f'font-size="20" text-anchor="{anchor}" fill="#000000">完成率'
                               '</text></svg>', scale=1.0))
        return Image.eval(image.convert("L"), lambda v: 255 - v).getbbox()

    start, middle, end = ink("start"), ink("middle"), ink("end")
    assert 99 <= start[0] <= 102 and 98 <= end[2] <= 101  # three 20 px glyphs: 60 px wide
    assert abs((middle[0] + middle[2]) / 2 - 100) <= 2
    assert all(box[3] <= 33 and box[1] >= 8 for box in (start, middle, end))  # on y = 30


def test_dashes_run_on_across_corners():
    assert dash_pieces([(0, 0), (10, 0)], 5, 3) == [[(0, 0), (5.0, 0.0)],
                                                      [(8.0, 0.0), (10, 0)]]
    # 4 along, the corner, 1 down: the first dash; a gap of 3; the last 2 of the path
    assert dash_pieces([(0, 0), (4, 0), (4, 6)], 5, 3) == [
        [(0, 0), (4, 0), (4.0, 1.0)], [(4.0, 4.0), (4, 6)]]


def test_a_dashed_line_leaves_gaps():
    def runs(dashed: str) -> int:
        image = _image(svg_png(f'<svg {SVG} width="80" height="10"><line x1="0" y1="5" '
                               f'x2="80" y2="5" stroke="#000000" stroke-width="2"{dashed}/>'
                               '</svg>', scale=1.0))
        row = [image.getpixel((x, 5))[0] < 128 for x in range(80)]
        return sum(1 for x in range(80) if row[x] and (x == 0 or not row[x - 1]))

    assert runs("") == 1
    assert runs(' stroke-dasharray="5 3"') == 10  # 80 / (5 + 3)


def test_an_svg_feature_the_pictures_do_not_draw_raises():
    with pytest.raises(ChartPictureError, match="<path>"):
        svg_png(f'<svg {SVG} width="10" height="10"><path d="M0 0L5 5"/></svg>')
    with pytest.raises(ChartPictureError, match="not an SVG"):
        svg_png('<html width="1" height="1"/>')


# ----------------------------------------------------------------------- the report's pictures

@pytest.mark.parametrize("picture", ["heatmap", "timeline"])
def test_pictures_are_the_svg_at_twice_its_size(h1_zh, picture):
    svg = getattr(svg_charts, f"{picture}_svg")(h1_zh)
    png = getattr(chart_pictures, f"{picture}_png")(h1_zh)
    root = ET.fromstring(svg)
    image = _image(png)
    assert image.size == (math.ceil(2 * float(root.get("width"))),
                          math.ceil(2 * float(root.get("height"))))
    assert len(image.getcolors(1 << 20)) > 20  # not blank: text edges, colours
    assert _chunks(png) == [b"IHDR", b"IDAT", b"IEND"] or set(_chunks(png)) <= {
        b"IHDR", b"IDAT", b"IEND", b"pHYs"}  # no date, no software
    assert png == getattr(chart_pictures, f"{picture}_png")(
        build_report(ReportParameters(period="H1")))  # same data, same bytes


def test_heatmap_picture_carries_each_cells_status_colour(h1_zh):
    """Every status cell of the SVG, sampled in the picture near its corner (clear of the
    value written in its middle), has the colour of that district's status in the table."""
    root = ET.fromstring(svg_charts.heatmap_svg(h1_zh))
    image = _image(chart_pictures.heatmap_png(h1_zh))
    family_of = {STATUS_COLORS[s]: FAMILY_OF[s] for s in STATUS_COLORS}  # one colour a family
    cells = [r for r in root.iter("{http://www.w3.org/2000/svg}rect")
             if r.get("height") not in (None, "100%") and float(r.get("width")) == 56]
    assert len(cells) == 12 * 21
    for rect in cells:
        x, y = float(rect.get("x")), float(rect.get("y"))
        assert image.getpixel((round(2 * x) + 4, round(2 * y) + 4)) == _rgb(rect.get("fill"))
    table_colours = sorted(STATUS_COLORS[s] for s in h1_zh.table["status"])
    assert sorted(r.get("fill") for r in cells) == table_colours
    assert {family_of[r.get("fill")] for r in cells} >= {"behind", "on_track", "overdue"}


def test_pictures_differ_between_languages_and_data(h1_zh, h1_en, fy_zh):
    assert chart_pictures.heatmap_png(h1_zh) != chart_pictures.heatmap_png(h1_en)
    assert chart_pictures.timeline_png(h1_zh) != chart_pictures.timeline_png(fy_zh)


def test_timeline_picture_without_returns_still_renders(h1_zh):
    empty = dataclasses.replace(h1_zh, timeline=h1_zh.timeline.iloc[0:0])
    assert _image(chart_pictures.timeline_png(empty)).size[0] > 0


# ----------------------------------------------------------------------------- heatmap content

def test_heatmap_cells_follow_the_catalogue_order(h1_zh):
    cells = chart_data.heatmap_cells(h1_zh)
    assert cells.districts == [d.name for d in h1_zh.catalog.districts]
    # every judged indicator (the measures only feed the shares)
    assert cells.indicators == [i.code for i in h1_zh.catalog.tracked]
    assert cells.row_labels[:3] == ["鹿城区", "龙湾区", "瓯海区"]
    assert cells.column_labels[1] == "新增机构床位"  # short form
    assert len(cells.texts) == 12 and all(len(row) == 21 for row in cells.texts)


def test_heatmap_colours_match_status(h1_zh):
    cells = chart_data.heatmap_cells(h1_zh)
    colors = cells.colors
    # a known lagging cell: 瓯海区, new beds, 91 of 200 = 45.5% against 49.6%: 99 due, 8 short
    i, j = cells.districts.index("瓯海区"), cells.indicators.index(INDICATOR)
    assert cells.statuses[i][j] == "lagging"
    assert colors[i][j] == STATUS_COLORS["lagging"]
    assert cells.texts[i][j] == "45.5%"
    # a task cell: the stage units done of those due (泰顺县 has not finished 摸底筛选)
    k = cells.indicators.index("one_touch_service")
    assert cells.texts[cells.districts.index("泰顺县")][k] == "0/1"
    # every cell carries the colour of its status in the table
    for row in h1_zh.table.itertuples():
        i, j = cells.districts.index(row.district), cells.indicators.index(row.indicator)
        assert colors[i][j] == STATUS_COLORS[row.status]


def test_heatmap_no_target_cell_shows_a_dash(h1_zh):
    cells = chart_data.heatmap_cells(h1_zh)
    i = cells.districts.index("鹿城区")
    j = cells.indicators.index("public_homes_privately_run")  # target 0
    assert cells.statuses[i][j] == "no_target"
    assert cells.texts[i][j] == "—"
    assert cells.colors[i][j] == STATUS_COLORS["no_target"]


def test_english_heatmap_uses_english_labels(h1_en):
    cells = chart_data.heatmap_cells(h1_en)
    assert cells.row_labels[0] == "Lucheng"
    assert cells.row_labels[-1] == "Economic Development Zone"
    assert cells.column_labels == [indicator_label(c, "en", h1_en.catalog, short=True)
                                   for c in cells.indicators]
    assert cells.column_labels[1] == "Institution beds"  # short_en of the catalogue
    assert all(text.isascii() for text in cells.row_labels + cells.column_labels)


def test_heatmap_of_a_district_subset_has_only_those_rows():
    data = build_report(ReportParameters(period="H1", districts=["文成县", "鹿城区"]))
    cells = chart_data.heatmap_cells(data)
    assert cells.districts == ["鹿城区", "文成县"]  # catalogue order, not the order asked


# ----------------------------------------------------------------------------- text helpers

def test_wrap_balances_chinese_and_keeps_english_words_whole():
    assert chart_data._wrap("新增镇街养老服务中心", "zh", 6, 12) == "新增镇街养\n老服务中心"
    assert chart_data._wrap("新增机构床位", "zh", 6, 12) == "新增机构床位"
    wrapped = chart_data._wrap("New beds in care institutions", "en", 6, 12)
    assert "institutions" in wrapped.split("\n")
    assert _squash(wrapped) == _squash("New beds in care institutions")


def test_date_tick_labels():
    import datetime as dt

    assert chart_data._date_tick(dt.date(2018, 12, 31), "zh") == "12月31日"
    assert chart_data._date_tick(dt.date(2018, 3, 31), "en") == "31 Mar"


# ----------------------------------------------------------------------------- bar series

def test_share_bars_show_the_share_against_its_threshold(h1_zh):
    series = chart_data.bar_series(h1_zh, "nursing_bed_share")
    rows = h1_zh.table[h1_zh.table["indicator"] == "nursing_bed_share"]
    assert series.values == pytest.approx([a / d for a, d in zip(rows["actual"],
                                                                  rows["denominator"],
                                                                  strict=True)])
    assert series.line == 0.5
    assert series.line_label == "要求比例 50.0%"
    assert series.axis_label == "占比"


def test_staged_bars_show_the_stage_due(h1_zh):
    # 30 June: 选址 is due; each bar is the sites chosen over the target, the line at 100%
    series = chart_data.bar_series(h1_zh, "new_township_care_centers")
    rows = h1_zh.table[h1_zh.table["indicator"] == "new_township_care_centers"]
    assert series.values == pytest.approx([j / t for j, t in zip(rows["judged_actual"],
                                                                  rows["target"], strict=True)])
    assert series.line == 1.0
    assert series.title == "新增镇街养老服务中心：6月30日前选址"


def test_small_targets_have_no_requirement_line(h1_zh):
    # one studio per district: done or not by the year end, nothing due at mid-year
    assert chart_data.bar_series(h1_zh, "leading_nurse_studios").line is None


def test_tasks_have_no_bar_chart(h1_zh):
    assert "one_touch_service" not in chart_data.charted_indicators(h1_zh)
    assert "nursing_bed_share" in chart_data.charted_indicators(h1_zh)
