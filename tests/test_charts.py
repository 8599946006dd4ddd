"""Charts: valid, deterministic PNGs, real CJK glyphs, labels from labels.py, status colours."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import warnings

import matplotlib
import numpy as np
import pytest
from matplotlib import font_manager, ft2font
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.image import imread

from helpers import charts
from helpers.labels import STATUS_COLORS, STATUSES, indicator_label, label, status_label
from helpers.parameters import ReportParameters
from helpers.report_data import build_report_data

INDICATOR = "new_institution_beds"


@pytest.fixture(scope="module")
def h1_zh():
    return build_report_data(ReportParameters(period="H1"))


@pytest.fixture(scope="module")
def h1_en():
    return build_report_data(ReportParameters(period="H1", lang="en"))


@pytest.fixture(scope="module")
def fy_zh():
    return build_report_data(ReportParameters(period="FY"))


def _decode(png: bytes) -> np.ndarray:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return imread(io.BytesIO(png), format="png")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------- font

def test_setup_fonts_registers_the_bundled_cjk_font_once():
    family = charts.setup_fonts()
    assert family == "Noto Sans CJK SC"
    registered = [f for f in font_manager.fontManager.ttflist if f.fname == charts.font_path()]
    assert charts.setup_fonts() == family
    assert [f for f in font_manager.fontManager.ttflist
            if f.fname == charts.font_path()] == registered  # not added twice
    found = font_manager.findfont(font_manager.FontProperties(family=family),
                                  fallback_to_default=False)
    assert found == charts.font_path()


def test_registered_font_has_cjk_glyphs():
    font = ft2font.FT2Font(charts.font_path())
    for char in "床位完成率进度要求滞后鹿城区":
        assert font.get_char_index(ord(char)) != 0, char


def test_missing_glyphs_would_be_reported():
    """The no-warnings test below can fail: a font without CJK glyphs does warn."""
    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        fig = Figure()
        FigureCanvasAgg(fig)
        fig.text(0.5, 0.5, "床位")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.savefig(io.BytesIO(), format="png")


def test_zh_charts_render_without_warnings(h1_zh):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.completion_heatmap(h1_zh)
        charts.indicator_bars(h1_zh, INDICATOR)
        charts.progress_timeline(h1_zh)


# ----------------------------------------------------------------------------- PNG output

@pytest.mark.parametrize(("render", "shape"), [
    (lambda d: charts.completion_heatmap(d), (600, 1200)),
    (lambda d: charts.indicator_bars(d, INDICATOR), (350, 800)),
    (lambda d: charts.progress_timeline(d, INDICATOR), (350, 800)),
    (lambda d: charts.progress_timeline(d), (710, 1200)),  # 15 indicators: 3 rows of 5
], ids=["heatmap", "bars", "timeline", "timeline-grid"])
def test_charts_are_pngs_of_fixed_size(h1_zh, render, shape):
    png = render(h1_zh)
    image = _decode(png)
    assert image.shape[:2] == shape
    assert 10_000 < len(png) < 1_000_000
    # not blank: a real chart has many distinct colours
    assert len(np.unique(image.reshape(-1, image.shape[2]), axis=0)) > 20


def test_same_data_gives_identical_bytes(h1_zh):
    rebuilt = build_report_data(ReportParameters(period="H1"))
    for render in (charts.completion_heatmap,
                   lambda d: charts.indicator_bars(d, INDICATOR),
                   lambda d: charts.progress_timeline(d, INDICATOR),
                   charts.progress_timeline):
        assert render(h1_zh) == render(rebuilt)


def test_png_carries_no_software_or_date_metadata(h1_zh):
    png = charts.indicator_bars(h1_zh, INDICATOR)
    assert b"Software" not in png
    assert b"matplotlib" not in png.lower()
    assert b"tIME" not in png


def test_global_matplotlib_state_does_not_change_the_output(h1_zh):
    before = charts.completion_heatmap(h1_zh)
    with matplotlib.rc_context({"font.size": 20, "figure.facecolor": "black",
                                "font.family": "serif", "axes.unicode_minus": True,
                                "text.color": "red", "ytick.color": "red",
                                "axes.linewidth": 3}):
        during = charts.completion_heatmap(h1_zh)
    assert during == before


def test_rendering_leaves_rcparams_untouched(h1_zh):
    before = dict(matplotlib.rcParams)
    charts.progress_timeline(h1_zh)
    assert dict(matplotlib.rcParams) == before


def test_charts_differ_between_languages_and_data(h1_zh, h1_en, fy_zh):
    assert charts.completion_heatmap(h1_zh) != charts.completion_heatmap(h1_en)
    assert charts.completion_heatmap(h1_zh) != charts.completion_heatmap(fy_zh)


def test_png_data_uri_round_trips(h1_zh):
    png = charts.indicator_bars(h1_zh, INDICATOR)
    uri = charts.png_data_uri(png)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == png
    with pytest.raises(ValueError):
        charts.png_data_uri(b"GIF89a")


# ----------------------------------------------------------------------------- heatmap content

def test_heatmap_cells_follow_the_catalogue_order(h1_zh):
    cells = charts.heatmap_cells(h1_zh)
    assert cells.districts == [d.name for d in h1_zh.catalog.districts]
    # every judged indicator (the measures only feed the shares)
    assert cells.indicators == [i.code for i in h1_zh.catalog.tracked]
    assert cells.row_labels[:3] == ["鹿城区", "龙湾区", "瓯海区"]
    assert cells.column_labels[1] == "新增机构床位"  # short form
    assert len(cells.texts) == 12 and all(len(row) == 21 for row in cells.texts)


def test_heatmap_colours_match_status(h1_zh):
    cells = charts.heatmap_cells(h1_zh)
    colors = charts.heatmap_colors(h1_zh)
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
    cells = charts.heatmap_cells(h1_zh)
    i = cells.districts.index("鹿城区")
    j = cells.indicators.index("public_homes_privately_run")  # target 0
    assert cells.statuses[i][j] == "no_target"
    assert cells.texts[i][j] == "—"
    assert cells.colors[i][j] == STATUS_COLORS["no_target"]


def test_heatmap_pixels_carry_the_status_colour(h1_zh):
    """The colour array really reaches the image: sample the lagging cell beside its text."""
    cells = charts.heatmap_cells(h1_zh)
    i, j = cells.districts.index("瓯海区"), cells.indicators.index(INDICATOR)
    with charts._chart_style():
        fig = charts._heatmap_figure(h1_zh)
        fig.canvas.draw()
        ax = fig.axes[0]
        x, y = ax.transData.transform((j - 0.4, i))
        pixels = np.asarray(fig.canvas.buffer_rgba())
    height = pixels.shape[0]
    sampled = pixels[round(float(height - y)), round(float(x)), :3] / 255
    assert np.allclose(sampled, to_rgb(STATUS_COLORS["lagging"]), atol=0.02)


def test_english_heatmap_uses_english_labels(h1_en):
    cells = charts.heatmap_cells(h1_en)
    assert cells.row_labels[0] == "Lucheng"
    assert cells.row_labels[-1] == "Economic Development Zone"
    assert cells.column_labels == [indicator_label(c, "en", h1_en.catalog, short=True)
                                   for c in cells.indicators]
    assert cells.column_labels[1] == "Institution beds"  # short_en of the catalogue
    assert all(text.isascii() for text in cells.row_labels + cells.column_labels)


def test_rendered_heatmap_ticks_and_legend_are_the_cells_labels(h1_en):
    cells = charts.heatmap_cells(h1_en)
    with charts._chart_style():
        fig = charts._heatmap_figure(h1_en)
        ax = fig.axes[0]
        xticks = [_squash(t.get_text()) for t in ax.get_xticklabels()]
        yticks = [_squash(t.get_text()) for t in ax.get_yticklabels()]
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        title = ax.get_title()
    assert xticks == [_squash(t) for t in cells.column_labels]
    assert yticks == [_squash(t) for t in cells.row_labels]
    present = {s for row in cells.statuses for s in row if s}
    assert legend == [status_label(s, "en") for s in STATUSES if s in present]
    assert title == label("chart.heatmap_title", "en")


def test_heatmap_of_a_district_subset_has_only_those_rows():
    data = build_report_data(ReportParameters(period="H1", districts=["文成县", "鹿城区"]))
    cells = charts.heatmap_cells(data)
    assert cells.districts == ["鹿城区", "文成县"]  # catalogue order, not the order asked
    assert _decode(charts.completion_heatmap(data)).shape[:2] == (600, 1200)


# ----------------------------------------------------------------------------- bars

def test_bar_tick_labels_follow_the_language(h1_zh, h1_en):
    assert charts.bar_tick_labels(h1_zh)[:2] == ["鹿城区", "龙湾区"]
    assert charts.bar_tick_labels(h1_en)[:2] == ["Lucheng", "Longwan"]


def test_bars_show_the_milestone_line_and_status_colours(h1_zh):
    with charts._chart_style():
        fig = charts._bars_figure(h1_zh, INDICATOR)
        ax = fig.axes[0]
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        bar_colors = [p.get_facecolor()[:3] for p in ax.patches]
        lines = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert legend[-1] == f"{label('chart.milestone', 'zh')} 49.6%"
    assert status_label("lagging", "zh") in legend
    assert len(lines) == 1 and np.allclose(lines[0].get_ydata(), 0.4958904, atol=1e-6)
    rows = h1_zh.table[h1_zh.table["indicator"] == INDICATOR]
    expected = [to_rgb(STATUS_COLORS[s]) for s in rows["status"]]
    assert np.allclose(bar_colors, expected)


def test_bars_y_axis_is_in_percent(h1_zh):
    with charts._chart_style():
        fig = charts._bars_figure(h1_zh, INDICATOR)
        fig.canvas.draw()
        ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "50%" in ticks and "100%" in ticks


def test_bars_for_an_unknown_indicator_raise(h1_zh):
    with pytest.raises(KeyError):
        charts.indicator_bars(h1_zh, "no_such_indicator")


# ----------------------------------------------------------------------------- timeline

def test_timeline_ticks_are_dates_in_the_report_language(h1_zh, h1_en):
    with charts._chart_style():
        zh = charts._timeline_figure(h1_zh, INDICATOR)
        en = charts._timeline_figure(h1_en, INDICATOR)
        zh_ticks = [t.get_text() for t in zh.axes[0].get_xticklabels()]
        en_ticks = [t.get_text() for t in en.axes[0].get_xticklabels()]
    assert zh_ticks[-1] == "6月30日" and zh_ticks[0] == "1月31日"
    assert en_ticks[-1] == "30 Jun"


def test_timeline_grid_has_one_panel_per_indicator(fy_zh):
    with charts._chart_style():
        fig = charts._timeline_figure(fy_zh, None)
        visible = [ax for ax in fig.axes if ax.get_visible()]
        titles = [_squash(ax.get_title()) for ax in visible]
    # one panel per indicator with a city series (counts and levels), not shares or tasks
    assert len(visible) == len([i for i in fy_zh.catalog.indicators if i.allocated]) == 15
    assert titles[1] == "新增机构床位"
    assert fig.get_suptitle() == label("chart.timeline_title", "zh")


def test_timeline_without_returns_still_renders(h1_zh):
    empty = dataclasses.replace(h1_zh, timeline=h1_zh.timeline.iloc[0:0])
    assert _decode(charts.progress_timeline(empty)).shape[:2] == (710, 1200)
    assert _decode(charts.progress_timeline(empty, INDICATOR)).shape[:2] == (350, 800)


# ----------------------------------------------------------------------------- text helpers

def test_wrap_balances_chinese_and_keeps_english_words_whole():
    assert charts._wrap("新增镇街养老服务中心", "zh", 6, 12) == "新增镇街养\n老服务中心"
    assert charts._wrap("新增机构床位", "zh", 6, 12) == "新增机构床位"
    wrapped = charts._wrap("New beds in care institutions", "en", 6, 12)
    assert "institutions" in wrapped.split("\n")
    assert _squash(wrapped) == _squash("New beds in care institutions")


def test_date_tick_labels():
    import datetime as dt

    assert charts._date_tick(dt.date(2018, 12, 31), "zh") == "12月31日"
    assert charts._date_tick(dt.date(2018, 3, 31), "en") == "31 Mar"


# ----------------------------------------------------------------------------- bar series

def test_share_bars_show_the_share_against_its_threshold(h1_zh):
    series = charts.bar_series(h1_zh, "nursing_bed_share")
    rows = h1_zh.table[h1_zh.table["indicator"] == "nursing_bed_share"]
    assert series.values == pytest.approx([a / d for a, d in zip(rows["actual"],
                                                                  rows["denominator"],
                                                                  strict=True)])
    assert series.line == 0.5
    assert series.line_label == "要求比例 50.0%"
    assert series.axis_label == "占比"


def test_staged_bars_show_the_stage_due(h1_zh):
    # 30 June: 选址 is due; each bar is the sites chosen over the target, the line at 100%
    series = charts.bar_series(h1_zh, "new_township_care_centers")
    rows = h1_zh.table[h1_zh.table["indicator"] == "new_township_care_centers"]
    assert series.values == pytest.approx([j / t for j, t in zip(rows["judged_actual"],
                                                                  rows["target"], strict=True)])
    assert series.line == 1.0
    assert series.title == "新增镇街养老服务中心：6月30日前选址"


def test_small_targets_have_no_requirement_line(h1_zh):
    # one studio per district: done or not by the year end, nothing due at mid-year
    assert charts.bar_series(h1_zh, "leading_nurse_studios").line is None


def test_tasks_have_no_bar_chart(h1_zh):
    assert "one_touch_service" not in charts.charted_indicators(h1_zh)
    assert "nursing_bed_share" in charts.charted_indicators(h1_zh)
