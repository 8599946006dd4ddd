"""The report's charts, rendered to PNG bytes: same data, same bytes.

Every figure is built on a bare `Figure` with the Agg canvas (no pyplot, no global figure state)
inside a style context that starts from matplotlib's defaults, so neither a user's matplotlibrc
nor an earlier plot changes the output. All reader-visible text comes from `helpers.labels`; all
text is set in Noto Sans CJK SC, shipped by the `mplfonts` package, so Chinese renders on a
fresh machine.
"""

from __future__ import annotations

import base64
import functools
import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

import numpy as np
from matplotlib import font_manager, style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, PercentFormatter

from helpers.chart_data import (  # noqa: F401  (re-exported: the data each chart draws)
    GRID_COLOR,
    GRID_COLUMNS,
    LINE_COLOR,
    MILESTONE_COLOR,
    MISSING_COLOR,
    TEXT_DARK,
    TEXT_LIGHT,
    BarSeries,
    HeatmapCells,
    _date_tick,
    _is_missing,
    _ordered_districts,
    _ordered_indicators,
    _series,
    _tick_dates,
    _timeline_top,
    _wrap,
    bar_series,
    bar_tick_labels,
    charted_indicators,
    heatmap_cells,
    heatmap_colors,
    heatmap_districts,
    timeline_indicators,
)
from helpers.labels import (
    STATUS_COLORS,
    STATUSES,
    fmt_percent,
    indicator_label,
    label,
    status_label,
)
from helpers.report_data import ReportData

DPI = 100
HEATMAP_SIZE = (12.0, 6.0)  # inches
BARS_SIZE = (8.0, 3.5)
TIMELINE_SIZE = (8.0, 3.5)
GRID_PANEL_HEIGHT = 2.0  # inches per row of small multiples

FONT_PACKAGE = "mplfonts"
FONT_FILE = "NotoSansCJKsc-Regular.otf"


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- fonts and style

def font_path() -> str:
    """Path of the bundled Noto Sans CJK SC font file."""
    path = resources.files(FONT_PACKAGE) / "fonts" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{FONT_FILE} not found in the {FONT_PACKAGE} package")
    return str(path)


@functools.cache
def setup_fonts() -> str:
    """Register the CJK font with matplotlib (once per process) and return its family name.

    Only the font manager learns about the file; no rc file is written and no rcParams are
    changed (the charts set their fonts in their own style context).
    """
    path = font_path()
    manager = font_manager.fontManager
    manager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    # A system copy of the same family (Debian's fonts-noto-cjk) would otherwise win the lookup
    # on some machines, and the chart bytes would depend on what the machine has installed.
    manager.ttflist = [f for f in manager.ttflist if f.name != family or f.fname == path]
    manager._findfont_cached.cache_clear()
    return family


def _style() -> dict[str, object]:
    family = setup_fonts()
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [family, "DejaVu Sans"],
        "font.size": 9,
        "axes.unicode_minus": False,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "axes.edgecolor": "#888888",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.fontsize": 8.5,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "path.simplify": False,
        "svg.hashsalt": "helpers",
    }


@contextmanager
def _chart_style() -> Iterator[None]:
    """matplotlib defaults plus the chart style, restored on exit (creation and saving must
    both happen inside: fonts are looked up when the figure is drawn)."""
    with style.context(["default", _style()]):
        yield


def _new_figure(size: tuple[float, float]) -> Figure:
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def png_data_uri(png: bytes) -> str:
    """`data:image/png;base64,...` for an <img src> in a self-contained HTML report."""
    if not png.startswith(PNG_MAGIC):
        raise ValueError("not PNG data")
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# --------------------------------------------------------------------------- text helpers

def _text_color(background: str) -> str:
    """Dark or white text, whichever reads better on `background` (WCAG luminance)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return TEXT_LIGHT if luminance < 0.2 else TEXT_DARK


def _status_handles(statuses: list[str], lang: str) -> list[Patch]:
    return [Patch(facecolor=STATUS_COLORS[s], edgecolor="none", label=status_label(s, lang))
            for s in statuses]


def _milestone_handle(lang: str, text: str | None = None) -> Line2D:
    return Line2D([], [], color=MILESTONE_COLOR, linestyle="--", linewidth=1.2,
                  label=text or label("chart.milestone", lang))


def _percent_axis(axis, top: float) -> None:
    axis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    step = 0.25 if top <= 1.3 else 0.5
    axis.set_major_locator(FixedLocator(np.arange(0.0, top + 1e-9, step)))


# --------------------------------------------------------------------------- heatmap

def _heatmap_figure(data: ReportData) -> Figure:
    lang = data.params.lang
    cells = heatmap_cells(data, heatmap_districts(data))
    n_rows, n_cols = len(cells.districts), len(cells.indicators)
    fig = _new_figure(HEATMAP_SIZE)
    ax = fig.add_subplot()
    rgb = np.array([[to_rgb(c) for c in row] for row in cells.colors]).reshape(n_rows, n_cols, 3)
    ax.imshow(rgb, aspect="auto", interpolation="nearest")
    for i in range(n_rows):
        for j in range(n_cols):
            text = cells.texts[i][j]
            if text:
                ax.text(j, i, text, ha="center", va="center", fontsize=8,
                        color=_text_color(cells.colors[i][j]))
    # white rules between the cells
    ax.set_xticks(np.arange(-0.5, n_cols, 1.0), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1.0), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(which="major", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.xaxis.tick_top()
    ax.set_xticks(range(n_cols),
                  [_wrap(t, lang, width_zh=6, width_en=12) for t in cells.column_labels],
                  fontsize=8 if lang == "zh" else 7.5, linespacing=1.15)
    ax.set_yticks(range(n_rows),
                  [_wrap(t, lang, width_zh=8, width_en=14) for t in cells.row_labels],
                  fontsize=9 if lang == "zh" else 8.5, linespacing=1.1)
    ax.set_title(label("chart.heatmap_title", lang), fontsize=11, pad=8)
    present = {s for row in cells.statuses for s in row if s}
    shown = [s for s in STATUSES if s in present]
    fig.legend(handles=_status_handles(shown, lang), loc="outside lower center",
               ncol=min(len(shown), 8), frameon=False, handlelength=1.4, columnspacing=1.6)
    return fig


def completion_heatmap(data: ReportData) -> bytes:
    """Completion of every district (rows) on every indicator (columns), coloured by status
    (beyond chart_data.CHART_ALL_MAX districts, those ranked last)."""
    with _chart_style():
        return _png(_heatmap_figure(data))


# --------------------------------------------------------------------------- bars

def _bars_figure(data: ReportData, indicator: str) -> Figure:
    lang = data.params.lang
    series = bar_series(data, indicator)
    rows, values = series.rows, series.values
    top = max([1.0 if series.line is None or series.line > 0.2 else series.line,
               series.line or 0.0, *(v for v in values if v is not None)]) * 1.15

    fig = _new_figure(BARS_SIZE)
    ax = fig.add_subplot()
    x = np.arange(len(rows))
    # a zero or missing rate gets a thin stub, so that its status colour still shows
    stub = top * 0.012
    heights = [max(stub, v or 0.0) for v in values]
    colors = [MISSING_COLOR if r is None else STATUS_COLORS[r.status] for r in rows]
    ax.bar(x, heights, width=0.62, color=colors, zorder=2)
    for xi, value, row in zip(x, values, rows, strict=True):
        if row is None:
            continue
        # on a white ground, so that the requirement line never strikes through a value
        ax.text(xi, max(stub, value or 0.0) + top * 0.02, fmt_percent(value, lang), ha="center",
                va="bottom", fontsize=7.5, color=TEXT_DARK, zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
    if series.line is not None:
        ax.axhline(series.line, color=MILESTONE_COLOR, linestyle="--", linewidth=1.2, zorder=4)
    ax.set_xlim(-0.6, len(rows) - 0.4)
    ax.set_ylim(0, top)
    _percent_axis(ax.yaxis, top)
    ax.yaxis.grid(True, color=GRID_COLOR, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    ax.tick_params(axis="x", length=0)
    ax.set_xticks(x, [_wrap(t, lang, width_zh=4, width_en=10) for t in bar_tick_labels(data)],
                  fontsize=8.5 if lang == "zh" else 7.5, linespacing=1.1)
    ax.set_ylabel(series.axis_label)
    ax.set_title(_wrap(series.title, lang, width_zh=40, width_en=90), loc="left")
    shown = [s for s in STATUSES if any(r is not None and r.status == s for r in rows)]
    handles = [*_status_handles(shown, lang)]
    if series.line is not None:
        handles.append(_milestone_handle(lang, series.line_label))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6),
               frameon=False, handlelength=1.6, columnspacing=1.4)
    return fig


def indicator_bars(data: ReportData, indicator: str) -> bytes:
    """Completion of one indicator by district, coloured by status, with the milestone line."""
    with _chart_style():
        return _png(_bars_figure(data, indicator))


# --------------------------------------------------------------------------- timeline

def _draw_timeline(ax, data: ReportData, indicator: str, top: float, max_ticks: int,
                   annotate: bool) -> None:
    lang = data.params.lang
    dates, completion, milestone = _series(data, indicator)
    x = [d.toordinal() for d in dates]
    ax.set_ylim(0, top)
    _percent_axis(ax.yaxis, top)
    ax.yaxis.grid(True, color=GRID_COLOR, linewidth=0.8)
    ax.set_axisbelow(True)
    if not dates:
        ax.text(0.5, 0.5, label("chart.no_data", lang), transform=ax.transAxes, ha="center",
                va="center", color=MILESTONE_COLOR)
        ax.set_xticks([])
        return
    ax.plot(x, milestone, color=MILESTONE_COLOR, linestyle="--", linewidth=1.2, zorder=2)
    points = [(xi, v) for xi, v in zip(x, completion, strict=True) if v is not None]
    if points:
        px, py = zip(*points, strict=True)
        ax.plot(px, py, color=LINE_COLOR, linewidth=1.8, marker="o", markersize=3.5, zorder=3)
        if annotate:
            ax.annotate(fmt_percent(py[-1], lang), (px[-1], py[-1]), xytext=(0, 6),
                        textcoords="offset points", ha="center", va="bottom", fontsize=8,
                        color=LINE_COLOR, zorder=5,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    else:
        ax.text(0.5, 0.5, status_label("no_target", lang), transform=ax.transAxes,
                ha="center", va="center", color=MILESTONE_COLOR)
    pad = max(3.0, (x[-1] - x[0]) * 0.04)
    ax.set_xlim(x[0] - pad, x[-1] + pad)
    ticks = _tick_dates(dates, max_ticks)
    ax.set_xticks([d.toordinal() for d in ticks], [_date_tick(d, lang) for d in ticks])


def _timeline_handles(lang: str) -> list[Line2D]:
    return [Line2D([], [], color=LINE_COLOR, linewidth=1.8, marker="o", markersize=3.5,
                   label=label("chart.city_completion", lang)),
            _milestone_handle(lang)]


def _timeline_figure(data: ReportData, indicator: str | None) -> Figure:
    lang = data.params.lang
    top = _timeline_top(data)
    if indicator is not None:
        if indicator not in set(data.timeline["indicator"]) | set(data.table["indicator"]):
            raise KeyError(f"indicator {indicator!r} is not in this report")
        fig = _new_figure(TIMELINE_SIZE)
        ax = fig.add_subplot()
        _draw_timeline(ax, data, indicator, top, max_ticks=12, annotate=True)
        ax.set_ylabel(label("chart.completion", lang))
        ax.set_title(_wrap(indicator_label(indicator, lang, data.catalog, short=True), lang,
                           width_zh=40, width_en=90), loc="left")
        fig.legend(handles=_timeline_handles(lang), loc="outside lower center", ncol=2,
                   frameon=False)
        return fig
    indicators = timeline_indicators(data)
    n_cols = min(GRID_COLUMNS, max(1, len(indicators)))
    n_rows = max(1, math.ceil(len(indicators) / n_cols))
    fig = _new_figure((HEATMAP_SIZE[0], 1.1 + GRID_PANEL_HEIGHT * n_rows))
    axes = fig.subplots(n_rows, n_cols, sharey=True, squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k >= len(indicators):
            ax.set_visible(False)
            continue
        code = indicators[k]
        _draw_timeline(ax, data, code, top, max_ticks=4, annotate=True)
        ax.set_title(_wrap(indicator_label(code, lang, data.catalog, short=True), lang,
                           width_zh=14, width_en=34), fontsize=8.5 if lang == "zh" else 7.5)
        ax.tick_params(labelsize=7.5)
    fig.suptitle(label("chart.timeline_title", lang), fontsize=11)
    fig.legend(handles=_timeline_handles(lang), loc="outside lower center", ncol=2,
               frameon=False)
    return fig


def progress_timeline(data: ReportData, indicator: str | None = None) -> bytes:
    """City completion at each reporting date against the milestone path (dashed); for one
    indicator, or small multiples of all of them when `indicator` is None."""
    with _chart_style():
        return _png(_timeline_figure(data, indicator))


__all__ = [
    "DPI",
    "HeatmapCells",
    "bar_series",
    "bar_tick_labels",
    "charted_indicators",
    "completion_heatmap",
    "font_path",
    "heatmap_cells",
    "heatmap_colors",
    "indicator_bars",
    "png_data_uri",
    "progress_timeline",
    "setup_fonts",
    "timeline_indicators",
]
