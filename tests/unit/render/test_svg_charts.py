"""The HTML report's SVG charts: what each draws, checked against the report table by a second
route (completion recomputed from target and actual), and the choice of districts beyond
chart_data.CHART_ALL_MAX."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pytest

from helpers.core.parameters import ReportParameters
from helpers.demo.synthetic import write_synthetic
from helpers.metrics.report_data import build_report_data
from helpers.render import chart_data, svg_charts
from helpers.render.colours import STATUS_COLORS
from helpers.words.labels import fmt_percent

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def h1():
    return build_report_data(ReportParameters(year=2018, period="H1"))


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A report of 100 synthetic districts: beyond CHART_ALL_MAX."""
    raw = tmp_path_factory.mktemp("raw100")
    write_synthetic(raw, districts=100)
    return build_report_data(ReportParameters(year=2018, period="H1", raw_dir=str(raw)))


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _bars(root: ET.Element) -> list[ET.Element]:
    """The bar rectangles: status colours, taller than the legend swatches' 8.4 px."""
    colours = set(STATUS_COLORS.values()) | {chart_data.MISSING_COLOR}
    return [r for r in _rects(root) if r.get("fill") in colours
            and float(r.get("height")) == 12.0]


def _rects(root: ET.Element) -> list[ET.Element]:
    """Every rectangle but the white background."""
    return [r for r in root.iter(f"{SVG}rect") if r.get("width") != "100%"]


def test_bar_lengths_and_labels_are_the_completions(h1):
    code = "new_institution_beds"
    root = _tree(svg_charts.bars_svg(h1, code))
    rows = h1.table[h1.table["indicator"] == code].set_index("district")
    order = chart_data._ordered_districts(h1)
    expected = [int(rows.loc[d, "actual"]) / int(rows.loc[d, "target"]) for d in order]
    bars = _bars(root)
    assert len(bars) == len(order) == 12
    widths = [float(b.get("width")) for b in bars]
    # lengths proportional to completion: every ratio width/completion is the same scale
    scales = [w / c for w, c in zip(widths, expected, strict=True)]
    assert max(scales) - min(scales) < 0.2 * 2 / min(expected)  # coordinates rounded to 0.1
    texts = _texts(root)
    for completion in expected:
        assert fmt_percent(completion, "zh") in texts
    assert [b.get("fill") for b in bars] == [STATUS_COLORS[rows.loc[d, "status"]] for d in order]


def test_requirement_line_is_drawn_at_its_share(h1):
    code = "new_institution_beds"
    series = chart_data.bar_series(h1, code)
    root = _tree(svg_charts.bars_svg(h1, code))
    dashed = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray")
              and ln.get("x1") == ln.get("x2") and float(ln.get("y2")) > 20]
    assert len(dashed) == 1
    bars = _bars(root)
    first = chart_data._ordered_districts(h1)[0]
    row = h1.table[(h1.table["indicator"] == code) & (h1.table["district"] == first)].iloc[0]
    x0 = float(bars[0].get("x"))
    scale = float(bars[0].get("width")) / (int(row["actual"]) / int(row["target"]))
    assert float(dashed[0].get("x1")) == pytest.approx(x0 + scale * series.line, abs=0.3)
    assert series.line_label in _texts(root)


def test_heatmap_has_a_cell_per_district_and_indicator(h1):
    root = _tree(svg_charts.heatmap_svg(h1))
    cells = chart_data.heatmap_cells(h1)
    texts = _texts(root)
    for row in cells.row_labels:
        assert row in texts or all(part in texts for part in row.split("\n"))
    fills = [r.get("fill") for r in _rects(root) if float(r.get("width")) == 56.0]
    # 12 districts, more indicators: a row per indicator, a column per district
    assert fills == [cells.colors[i][j] for j in range(len(cells.indicators))
                     for i in range(len(cells.districts))]
    assert len(fills) == 12 * len(cells.indicators)


def test_timeline_draws_a_path_per_indicator(h1):
    root = _tree(svg_charts.timeline_svg(h1))
    lines = list(root.iter(f"{SVG}polyline"))
    dashed = [p for p in lines if p.get("stroke-dasharray")]
    assert len(dashed) == len(chart_data.timeline_indicators(h1))
    n_dates = len(set(h1.timeline["as_of"]))
    assert all(len(p.get("points").split()) == n_dates for p in dashed)


def test_same_data_same_bytes_and_a_data_uri(h1):
    first = svg_charts.heatmap_svg(h1)
    assert first == svg_charts.heatmap_svg(h1)
    uri = svg_charts.svg_data_uri(first)
    assert base64.b64decode(uri.removeprefix(svg_charts.SVG_DATA_PREFIX)).decode() == first
    with pytest.raises(ValueError):
        svg_charts.svg_data_uri("<script>alert(1)</script>")


def test_text_is_escaped_xml():
    part = svg_charts._text(0, 0, "<svg onload=alert(1)>&", 10)
    assert "&lt;svg onload=alert(1)&gt;&amp;" in part
    assert ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{part}</svg>') is not None


@pytest.mark.parametrize(("top", "ticks"), [
    (1.08, [0, 0.25, 0.5, 0.75, 1.0]),
    (0.033, [0, 0.01, 0.02, 0.03]),
    (0.03, [0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03]),
    (0.6, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
    (2.2, [0, 0.5, 1.0, 1.5, 2.0]),
])
def test_percent_ticks(top, ticks):
    assert svg_charts._percent_ticks(top) == pytest.approx(ticks)


def test_text_width_counts_wide_characters_as_one_em():
    assert svg_charts.text_width("鹿城区", 10) == 30
    assert svg_charts.text_width("ab", 10) == pytest.approx(11.6)


def test_many_districts_heatmap_shows_those_ranked_last(many):
    assert not chart_data.shows_every_district(many)
    ranked = many.ranking.sort_values(["rank", "district"], kind="stable")
    last = list(ranked["district"])[-chart_data.HEATMAP_SHOWN:]
    assert chart_data.heatmap_districts(many) == last
    root = _tree(svg_charts.heatmap_svg(many))
    n_indicators = len(chart_data.heatmap_cells(many, last).indicators)
    fills = [r for r in _rects(root) if float(r.get("width")) == 56.0]
    assert len(fills) == chart_data.HEATMAP_SHOWN * n_indicators


def test_many_districts_bars_show_the_lowest_and_highest(many):
    code = "new_institution_beds"
    rows = many.table[many.table["indicator"] == code]
    by_value = sorted(zip(rows["actual"] / rows["target"], rows["district"], strict=True))
    each = chart_data.BARS_SHOWN_EACH_END
    expected = {d for _, d in by_value[:each]} | {d for _, d in by_value[-each:]}
    chosen = chart_data.bar_districts(many, code)
    assert set(chosen) == expected and len(chosen) == 2 * each
    root = _tree(svg_charts.bars_svg(many, code))
    assert len(_bars(root)) == 2 * each
    assert any("中间70个县（市、区）略" in t for t in _texts(root))


def test_many_districts_bars_leave_out_districts_not_judged(many):
    from helpers.core.statuses import NOT_JUDGED

    statuses = many.table.set_index(["indicator", "district"])["status"]
    for code in chart_data.charted_indicators(many):
        chosen = chart_data.bar_districts(many, code)
        assert all(statuses[(code, d)] not in NOT_JUDGED for d in chosen), code


def test_a_stage_judged_cell_shows_units_done_of_those_due(h1):
    cells = chart_data.heatmap_cells(h1)
    row = h1.table[(h1.table["indicator"] == "new_township_care_centers")
                   & (h1.table["district"] == "鹿城区")].iloc[0]
    assert row["basis"] == "stage"  # H1: the plan's 选址 step is what is due
    text = cells.texts[cells.districts.index("鹿城区")][
        cells.indicators.index("new_township_care_centers")]
    # the stage named, so that 选址5/5 never reads as five of five built
    assert text == f"选址{int(row['judged_actual'])}/{int(row['due_units'])}"


def test_the_bars_of_a_stage_say_what_they_count(h1):
    # H1 centres bars are sites chosen over the target (乐清市 6 of 5 = 120%), not built: the
    # axis says so; beds' bars are completion
    series = chart_data.bar_series(h1, "new_township_care_centers")
    assert series.axis_label == "选址数占年度目标比例（不是建成率）"
    yueqing = series.rows.index(next(r for r in series.rows if r.district == "乐清市"))
    assert series.values[yueqing] == pytest.approx(6 / 5)
    assert chart_data.bar_series(h1, "new_institution_beds").axis_label == "完成率"


def test_a_small_share_shows_two_decimals(h1):
    cells = chart_data.heatmap_cells(h1)
    column = cells.indicators.index("subsidy_coverage")
    rows = h1.table[h1.table["indicator"] == "subsidy_coverage"].set_index("district")
    for district, texts in zip(cells.districts, cells.texts, strict=True):
        assert texts[column] == f"{float(rows.loc[district, 'completion']) * 100:.2f}%"


def test_the_time_line_is_drawn_beside_small_targets(h1):
    """智慧用电: some districts have targets of 1-2 (judged done or not by the deadline); the
    others' line is still the time progress, 181 of 365 days at 30 June."""
    code = "smart_electricity_installs"
    assert "small" in set(h1.table.loc[h1.table["indicator"] == code, "basis"])
    assert chart_data.bar_series(h1, code).line == pytest.approx(181 / 365, abs=1e-6)


@pytest.mark.parametrize("text", ["“一键通”服务", "“智慧用电”安装", "养老服务（补贴）人数"])
def test_chinese_labels_never_start_a_line_with_a_closing_mark(text):
    for width in range(2, len(text)):
        lines = chart_data._wrap(text, "zh", width, 10).split("\n")
        assert "".join(lines) == text
        assert not any(line[0] in "”）" for line in lines[1:]), (width, lines)
        assert not any(line[-1] in "“（" for line in lines[:-1]), (width, lines)
