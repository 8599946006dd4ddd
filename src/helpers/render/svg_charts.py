"""The HTML report's charts as SVG text: drawn from helpers.render.chart_data in a few milliseconds,
sharp at any zoom and in print, and identical for identical data (coordinates are rounded,
nothing depends on the machine's fonts but the final rendering).

The charts go into the page as `data:image/svg+xml` images, never as inline markup: an image
cannot run a script or fetch anything, and every text in it is escaped XML. Layout estimates
text widths (a Chinese character is one em, a Latin one about half), so a label never runs
into its neighbour whatever font the browser picks.
"""

from __future__ import annotations

import base64
import unicodedata
from collections.abc import Iterable
from html import escape

from helpers.core.rounding import percent_digits
from helpers.core.statuses import FAMILIES, STATUSES
from helpers.metrics.report_data import ReportData
from helpers.render.chart_data import (
    BARS_SHOWN_EACH_END,
    GRID_COLOR,
    LINE_COLOR,
    MILESTONE_COLOR,
    MISSING_COLOR,
    TEXT_DARK,
    _date_tick,
    _ordered_districts,
    _series,
    _tick_dates,
    _timeline_top,
    _wrap,
    bar_districts,
    bar_series,
    heatmap_cells,
    heatmap_districts,
    shows_every_district,
    timeline_indicators,
)
from helpers.render.colours import STATUS_COLORS, readable_text_colour
from helpers.words.labels import district_label, fmt_percent, indicator_label, label, status_label

FONT = "'WenQuanYi Micro Hei','Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',sans-serif"
SVG_DATA_PREFIX = "data:image/svg+xml;base64,"
TIMELINE_COLUMNS = 4  # panels per row: four keep their dates legible across a printed page


# --------------------------------------------------------------------------- primitives

def text_width(text: str, size: float) -> float:
    """Estimated width in px of `text` at font size `size`: wide (CJK) characters one em,
    others 0.58 em (a little more than most Latin fonts need)."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.58
               for ch in text)


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zero (stable bytes)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(x: float, y: float, text: str, size: float, *, anchor: str = "start",
          colour: str = TEXT_DARK, weight: str | None = None, halo: bool = False) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    if halo:  # a white outline under the glyphs: a line never strikes through a value
        extra += ' stroke="#FFFFFF" stroke-width="3" paint-order="stroke"'
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
            f'fill="{colour}"{extra}>{escape(text, quote=False)}</text>')


def _lines(x: float, y: float, text: str, size: float, **style) -> str:
    """A label already wrapped with newlines, one <text> per line, the first baseline at y."""
    return "".join(_text(x, y + k * size * 1.2, line, size, **style)
                   for k, line in enumerate(text.split("\n")))


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" '
            f'fill="{fill}"{extra}/>')


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1.0,
          dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{colour}" stroke-width="{_n(width)}"{dash}/>')


def _svg(width: float, height: float, title: str, body: Iterable[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" '
            f'height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'font-family="{FONT}"><title>{escape(title, quote=False)}</title>'
            f'<rect width="100%" height="100%" fill="#FFFFFF"/>{"".join(body)}</svg>')


def svg_data_uri(svg: str) -> str:
    """`data:image/svg+xml;base64,...` for an <img src> in a self-contained HTML report."""
    if not svg.startswith("<svg "):
        raise ValueError("not SVG text")
    return SVG_DATA_PREFIX + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _legend(x: float, y: float, width: float, items: list[tuple[str, str, bool]],
            size: float = 11) -> tuple[list[str], float]:
    """Legend entries (colour, text, is_line) flowing over lines of `width` from (x, y);
    the parts and the height used."""
    parts, cx, cy = [], x, y
    for colour, text, is_line in items:
        need = 18 + text_width(text, size) + 16
        if cx > x and cx + need > x + width:
            cx, cy = x, cy + size * 1.7
        if is_line:
            parts.append(_line(cx, cy - size * 0.35, cx + 14, cy - size * 0.35, colour, 1.4,
                               dashed=True))
        else:
            parts.append(_rect(cx, cy - size * 0.8, 12, size * 0.8, colour,
                               ' stroke="#BBBBBB" stroke-width="0.5"'))
        parts.append(_text(cx + 18, cy, text, size))
        cx += need
    return parts, cy - y + size * 1.2


def _status_items(statuses: set[str], lang: str) -> list[tuple[str, str, bool]]:
    """One legend entry per colour family shown, naming the statuses of it that occur."""
    items = []
    for members in FAMILIES.values():
        present = [s for s in STATUSES if s in statuses and s in members]
        if present:
            items.append((STATUS_COLORS[present[0]], label("sep.name", lang).join(
                status_label(s, lang) for s in present), False))
    return items


def _percent_ticks(top: float) -> list[float]:
    """Round ticks from 0 to at most `top`: 25% apart up to 130%, finer for a small share
    (subsidy coverage near 3%), coarser above."""
    step = next((s for s in (0.005, 0.01, 0.02, 0.05, 0.1, 0.25) if top / s <= 6.5), 0.5)
    count = int(top / step + 1e-9)
    return [round(k * step, 6) for k in range(count + 1)]


def _tick_text(tick: float, lang: str) -> str:
    return fmt_percent(tick, lang, digits=1 if round(tick * 1000) % 10 else 0)


# --------------------------------------------------------------------------- heatmap

def heatmap_svg(data: ReportData) -> str:
    """Completion of the districts on every indicator, coloured by status; beyond
    chart_data.CHART_ALL_MAX districts, the ones ranked last. The longer of the two runs
    down the page (fewer districts than indicators: a row per indicator), so that the chart
    keeps a readable size when printed across a page."""
    lang = data.params.lang
    cells = heatmap_cells(data, heatmap_districts(data))
    by_indicator = len(cells.districts) < len(cells.indicators)
    grid = [(cells.texts[i][j], cells.colors[i][j]) for i in range(len(cells.districts))
            for j in range(len(cells.indicators))]
    if by_indicator:
        row_labels, column_labels = cells.column_labels, cells.row_labels
        n_rows, n_cols = len(cells.indicators), len(cells.districts)
        cell = [[grid[j * n_rows + i] for j in range(n_cols)] for i in range(n_rows)]
    else:
        row_labels, column_labels = cells.row_labels, cells.column_labels
        n_rows, n_cols = len(cells.districts), len(cells.indicators)
        cell = [[grid[i * n_cols + j] for j in range(n_cols)] for i in range(n_rows)]
    cell_w, cell_h, size = 58.0, 22.0, 10.5
    heads = [_wrap(t, lang, width_zh=5, width_en=10) for t in column_labels]
    head_lines = max([h.count("\n") + 1 for h in heads] or [1])
    rows = [_wrap(t, lang, width_zh=9 if not by_indicator else 12, width_en=18)
            for t in row_labels]
    label_w = max([text_width(line, 11) for r in rows for line in r.split("\n")] or [40]) + 12
    title = label("chart.heatmap_title", lang)
    top = 30 + head_lines * 12 * 1.2 + 6
    parts = [_text(0, 18, title, 13, weight="bold")]
    for j, head in enumerate(heads):
        parts.append(_lines(label_w + (j + 0.5) * cell_w, 36, head, 10, anchor="middle"))
    y = top
    for i, row_label in enumerate(rows):
        row_h = max(cell_h, (row_label.count("\n") + 1) * 13 + 6)
        parts.append(_lines(label_w - 8, y + row_h / 2 + 4 - row_label.count("\n") * 6.5,
                            row_label, 11, anchor="end"))
        for j in range(n_cols):
            text, colour = cell[i][j]
            parts.append(_rect(label_w + j * cell_w + 1, y + 1, cell_w - 2, row_h - 2, colour,
                               ' stroke="#DDDDDD" stroke-width="0.5"'
                               if colour == MISSING_COLOR else ""))
            if text:
                parts.append(_text(label_w + (j + 0.5) * cell_w, y + row_h / 2 + 4, text,
                                   size, anchor="middle", colour=readable_text_colour(colour)))
        y += row_h
    width = label_w + n_cols * cell_w
    present = {s for row in cells.statuses for s in row if s}
    legend, legend_h = _legend(label_w, y + 22, width - label_w, _status_items(present, lang))
    parts.extend(legend)
    return _svg(width, y + 22 + legend_h, title, parts)


# --------------------------------------------------------------------------- bars

def bars_svg(data: ReportData, indicator: str) -> str:
    """One indicator by district as horizontal bars coloured by status, with the
    requirement line they share; beyond chart_data.CHART_ALL_MAX districts, the lowest and
    highest values."""
    lang = data.params.lang
    districts = bar_districts(data, indicator)
    series = bar_series(data, indicator, districts)
    values, rows = series.values, series.rows
    names = [district_label(d, lang, data.catalog) for d in districts]
    width, row_h, size = 560.0, 18.0, 11.0
    label_w = min(150.0, max([text_width(n, size) for n in names] or [40]) + 10)
    plot_x, plot_w = label_w, width - label_w - 52
    top_value = max([1.0 if series.line is None or series.line > 0.2 else series.line,
                     series.line or 0.0, *(v for v in values if v is not None)]) * 1.08
    title = _wrap(series.title, lang, width_zh=34, width_en=70)
    title_h = (title.count("\n") + 1) * 13 * 1.2
    y0 = title_h + 10
    # the lowest and the highest, with a gap between them where districts are left out
    split = (BARS_SHOWN_EACH_END if not shows_every_district(data)
             and len(districts) == 2 * BARS_SHOWN_EACH_END else None)
    gap = row_h if split is not None else 0.0
    plot_h = len(districts) * row_h + gap

    def x_of(value: float) -> float:
        return plot_x + plot_w * value / top_value

    parts = [_lines(0, 14, title, 13, weight="bold")]
    for tick in _percent_ticks(top_value):
        x = x_of(tick)
        parts.append(_line(x, y0, x, y0 + plot_h, GRID_COLOR))
        parts.append(_text(x, y0 + plot_h + 14, _tick_text(tick, lang), 10,
                           anchor="middle"))
    y = y0
    value_texts = []
    for k, (name, value, row) in enumerate(zip(names, values, rows, strict=True)):
        if k == split:
            parts.append(_text(plot_x, y + row_h * 0.7, label(
                "chart.bars_middle_left_out", lang).format(
                    count=len(_ordered_districts(data)) - len(districts)), 10,
                colour=MILESTONE_COLOR, halo=True))
            y += gap
        colour = MISSING_COLOR if row is None else STATUS_COLORS[row.status]
        parts.append(_text(plot_x - 6, y + row_h * 0.7, name, size, anchor="end"))
        stub = 2.0  # a zero or missing rate still shows its status colour
        bar_w = max(stub, x_of(value or 0.0) - plot_x)
        parts.append(_rect(plot_x, y + 3, bar_w, row_h - 6, colour))
        if row is not None:
            value_texts.append(_text(plot_x + bar_w + 4, y + row_h * 0.7, fmt_percent(
                value, lang, digits=percent_digits(row.kind, row.milestone)), 10, halo=True))
        y += row_h
    parts.append(_line(plot_x, y0, plot_x, y0 + plot_h, "#888888"))
    items = _status_items({r.status for r in rows if r is not None}, lang)
    if series.line is not None:
        x = x_of(series.line)
        parts.append(_line(x, y0 - 4, x, y0 + plot_h, MILESTONE_COLOR, 1.4, dashed=True))
        items.append((MILESTONE_COLOR, series.line_label, True))
    parts.extend(value_texts)  # over the requirement line, each on its white halo
    parts.append(_text(plot_x + plot_w / 2, y0 + plot_h + 30, series.axis_label, 10,
                       anchor="middle"))
    legend, legend_h = _legend(0, y0 + plot_h + 52, width, items, 10.5)
    parts.extend(legend)
    return _svg(width, y0 + plot_h + 52 + legend_h, series.title, parts)


# --------------------------------------------------------------------------- timeline

def timeline_svg(data: ReportData) -> str:
    """City completion at each reporting date against the milestone path (dashed), small
    multiples of every indicator with a target per district."""
    lang = data.params.lang
    indicators = timeline_indicators(data)
    top_value = _timeline_top(data)
    columns = min(TIMELINE_COLUMNS, max(1, len(indicators)))
    panel_w, panel_h, plot_h = 190.0, 150.0, 86.0
    title = label("chart.timeline_title", lang)
    parts = [_text(0, 18, title, 13, weight="bold")]
    y_top = 34.0
    for k, code in enumerate(indicators):
        px = (k % columns) * panel_w + 36
        py = y_top + (k // columns) * panel_h
        name = _wrap(indicator_label(code, lang, data.catalog, short=True), lang,
                     width_zh=11, width_en=24)
        parts.append(_lines(px, py + 11, name, 10.5, weight="bold"))
        plot_y = py + 34
        plot_w = panel_w - 50

        def y_of(value: float, plot_y: float = plot_y) -> float:
            return plot_y + plot_h - plot_h * value / top_value

        for tick in _percent_ticks(top_value)[::2]:
            parts.append(_line(px, y_of(tick), px + plot_w, y_of(tick), GRID_COLOR))
            parts.append(_text(px - 4, y_of(tick) + 3.5, _tick_text(tick, lang),
                               9, anchor="end"))
        dates, completion, milestone = _series(data, code)
        if not dates:
            parts.append(_text(px + plot_w / 2, plot_y + plot_h / 2,
                               label("chart.no_data", lang), 10, anchor="middle",
                               colour=MILESTONE_COLOR))
            continue
        first, last = dates[0].toordinal(), dates[-1].toordinal()
        span = max(1, last - first)

        def x_of(day, px: float = px, plot_w: float = plot_w, first: int = first,
                 span: int = span) -> float:
            return px + 6 + (plot_w - 12) * (day.toordinal() - first) / span

        parts.append('<polyline fill="none" stroke="{}" stroke-width="1.3" '
                     'stroke-dasharray="5 3" points="{}"/>'.format(
                         MILESTONE_COLOR, " ".join(f"{_n(x_of(d))},{_n(y_of(m))}"
                                                   for d, m in zip(dates, milestone,
                                                                   strict=True))))
        points = [(x_of(d), y_of(v), v) for d, v in zip(dates, completion, strict=True)
                  if v is not None]
        if points:
            parts.append('<polyline fill="none" stroke="{}" stroke-width="1.8" '
                         'points="{}"/>'.format(LINE_COLOR, " ".join(
                             f"{_n(x)},{_n(y)}" for x, y, _ in points)))
            parts.extend(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.2" fill="{LINE_COLOR}"/>'
                         for x, y, _ in points)
            x, y, value = points[-1]
            parts.append(_text(x, y - 6, fmt_percent(value, lang), 9.5, anchor="end",
                               colour=LINE_COLOR, halo=True))
        else:
            parts.append(_text(px + plot_w / 2, plot_y + plot_h / 2,
                               status_label("no_target", lang), 10, anchor="middle",
                               colour=MILESTONE_COLOR))
        parts.append(_line(px, plot_y + plot_h, px + plot_w, plot_y + plot_h, "#888888"))
        for day in _tick_dates(dates, 3):  # 9月30日 12月31日: three fit a panel
            parts.append(_text(x_of(day), plot_y + plot_h + 13, _date_tick(day, lang), 9,
                               anchor="middle"))
    n_rows = max(1, -(-len(indicators) // columns))
    width = columns * panel_w + 10
    legend_y = y_top + n_rows * panel_h + 8
    legend, legend_h = _legend(36, legend_y, width - 36, [
        (LINE_COLOR, label("chart.city_completion", lang), False),
        (MILESTONE_COLOR, label("chart.milestone", lang), True)], 10.5)
    parts.extend(legend)
    return _svg(width, legend_y + legend_h, title, parts)
