"""What the charts show, computed without drawing anything: the cells of the heatmap, the bars
of each indicator, the city series of the timeline, their colours and labels. The SVG charts
(helpers.render.svg_charts) draw it; report.docx shows the same SVG as pictures
(helpers.render.chart_pictures)."""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from dataclasses import dataclass

import pandas as pd

from helpers.core.rounding import percent_digits
from helpers.core.statuses import NOT_JUDGED
from helpers.metrics.report_data import ReportData
from helpers.render.colours import STATUS_COLORS
from helpers.words.labels import (
    district_label,
    fmt_count,
    fmt_month_day,
    fmt_percent,
    indicator_label,
    label,
    requirement_text,
    stage_label,
)

LINE_COLOR = "#0072B2"  # city completion (Okabe-Ito blue, as on_track)
MILESTONE_COLOR = "#444444"
TEXT_DARK = "#222222"
GRID_COLOR = "#E5E5E5"
MISSING_COLOR = "#FFFFFF"  # a district without an allocation row for an indicator


# --------------------------------------------------------------------------- text

def _wrap(text: str, lang: str, width_zh: int, width_en: int) -> str:
    """Break a label into balanced lines: by characters in Chinese, by words in English."""
    if lang == "zh":
        if len(text) <= width_zh:
            return text
        lines = math.ceil(len(text) / width_zh)
        step = math.ceil(len(text) / lines)
        return "\n".join(_kept_punctuation([text[i:i + step]
                                            for i in range(0, len(text), step)]))
    if len(text) <= width_en:
        return text
    lines = math.ceil(len(text) / width_en)
    # the narrowest width that still gives that many lines, so the lines come out even
    for width in range(math.ceil(len(text) / lines), width_en + 1):
        wrapped = textwrap.wrap(text, width, break_long_words=False)
        if len(wrapped) <= lines:
            return "\n".join(wrapped)
    return "\n".join(textwrap.wrap(text, width_en, break_long_words=False))


_NO_LINE_START = "”’）》」』、，。：；！？"  # closing marks stay with what they close
_NO_LINE_END = "“‘（《「『"  # opening marks go down with what they open


def _kept_punctuation(lines: list[str]) -> list[str]:
    """Lines of a Chinese label where no line starts with a closing mark or ends with an
    opening one (“智慧用\n电”安装 becomes “智慧用电”\n安装, as Chinese typesetting does)."""
    lines = list(lines)
    for k in range(1, len(lines)):
        while lines[k] and lines[k][0] in _NO_LINE_START:
            lines[k - 1], lines[k] = lines[k - 1] + lines[k][0], lines[k][1:]
        while lines[k - 1] and lines[k - 1][-1] in _NO_LINE_END:
            lines[k - 1], lines[k] = lines[k - 1][:-1], lines[k - 1][-1] + lines[k]
    return [line for line in lines if line]


def _date_tick(date: dt.date, lang: str) -> str:
    """6月30日 / 30 Jun."""
    return fmt_month_day(date, lang)



# ----------------------------------------------------------------- districts and indicators

def _is_missing(value: object) -> bool:
    """None, NaN or pandas NA: no rate (e.g. a target of 0)."""
    return value is None or bool(pd.isna(value))


def _ordered_districts(data: ReportData) -> list[str]:
    """Districts present in the report, in catalogue order."""
    return list(data.districts)


def _ordered_indicators(data: ReportData) -> list[str]:
    present = set(data.table["indicator"].unique())  # not per element (a province: 45,000)
    return [i.code for i in data.catalog.indicators if i.code in present]


def charted_indicators(data: ReportData) -> list[str]:
    """The indicators with a bar chart: every one with a figure per district (a task has only
    its stages, shown in the stage table)."""
    return [code for code in _ordered_indicators(data)
            if data.catalog.indicator(code).kind != "task"]


# --------------------------------------------------------------------------- heatmap

@dataclass(frozen=True)
class HeatmapCells:
    """What the heatmap shows: one row per district, one column per indicator."""

    districts: list[str]  # canonical names, catalogue order
    indicators: list[str]  # codes, catalogue order
    row_labels: list[str]  # as shown (language of the report)
    column_labels: list[str]  # as shown, unwrapped
    statuses: list[list[str | None]]  # None: no allocation row for that cell
    texts: list[list[str]]  # "63.6%", "—" for no target, "" for no row
    colors: list[list[str]]  # STATUS_COLORS of each cell's status


def heatmap_cells(data: ReportData, districts: list[str] | None = None) -> HeatmapCells:
    """The labels, texts, statuses and colours of every heatmap cell (of `districts` only,
    in that order, when given)."""
    lang = data.params.lang
    districts = _ordered_districts(data) if districts is None else districts
    indicators = _ordered_indicators(data)
    rows = data.row_of
    statuses, texts, colors = [], [], []
    for district in districts:
        status_row, text_row, color_row = [], [], []
        for code in indicators:
            row = rows.get((district, code))
            if row is None:
                status_row.append(None)
                text_row.append("")
                color_row.append(MISSING_COLOR)
                continue
            status_row.append(row.status)
            text_row.append(_cell_text(row, lang, data.catalog))
            color_row.append(STATUS_COLORS[row.status])
        statuses.append(status_row)
        texts.append(text_row)
        colors.append(color_row)
    return HeatmapCells(
        districts=districts, indicators=indicators,
        row_labels=[district_label(d, lang, data.catalog) for d in districts],
        column_labels=[indicator_label(c, lang, data.catalog, short=True) for c in indicators],
        statuses=statuses, texts=texts, colors=colors)


def _cell_text(row, lang: str, catalog) -> str:
    """What a heatmap cell says: the completion (a share: the share, to two decimals when it
    is a few percent; a task, or an item judged on a stage of the plan: the units done of those
    due, or — before the first is due)."""
    if row.kind == "task" or (row.basis == "stage" and row.stage):
        if _is_missing(row.due_units) or not row.due_units:
            return "—"
        done = f"{fmt_count(row.judged_actual, lang)}/{fmt_count(row.due_units, lang)}"
        if row.kind == "task":
            return done
        # a stage of a count: named, so that 选址6/5 never reads as six of five built
        return stage_label(row.indicator, row.stage, lang, catalog) + done
    value = None if _is_missing(row.completion) else float(row.completion)
    return fmt_percent(value, lang, digits=percent_digits(row.kind, row.milestone))


# --------------------------------------------------------------------------- bars

def _indicator_rows(data: ReportData, indicator: str, districts: list[str] | None = None):
    if indicator not in _ordered_indicators(data):
        raise KeyError(f"indicator {indicator!r} is not in this report")
    rows = data.row_of
    return [rows.get((d, indicator)) for d in (_ordered_districts(data) if districts is None
                                               else districts)]


@dataclass(frozen=True)
class BarSeries:
    """What one indicator's bar chart shows."""

    values: list[float | None]  # per district (catalogue order), None: no rate
    rows: list  # the table row of each district, None where it has none
    line: float | None  # the requirement drawn across, when every district has the same one
    line_label: str
    title: str
    axis_label: str


def bar_series(data: ReportData, indicator: str,
               districts: list[str] | None = None) -> BarSeries:
    """Per district the completion (a share: the share; judged on a stage: the units that
    reached the stage over the target), and the requirement line they share, if any."""
    lang = data.params.lang
    rows = _indicator_rows(data, indicator, districts)
    present = [r for r in rows if r is not None and r.status not in ("no_target", "no_data")]
    staged = [r for r in present if r.basis == "stage" and r.stage]
    ind = data.catalog.indicator(indicator)

    staged_rows = {id(r) for r in staged}

    def value(row) -> float | None:
        if row is None:
            return None
        if id(row) in staged_rows:
            return float(row.judged_actual) / float(row.target) if row.target else None
        return None if _is_missing(row.completion) else float(row.completion)

    # the requirement the districts share; a small target (judged done or not by its
    # deadline) has none and does not hide the others' line
    requirements = {(r.basis, r.stage, round(float(r.milestone), 9)) for r in present
                    if not _is_missing(r.milestone) and r.basis != "small"}
    line = None
    if len(requirements) == 1:
        _, _, share = next(iter(requirements))
        line = share if share > 0 else None
    title = indicator_label(indicator, lang, data.catalog, short=True)
    one_stage = bool(staged) and len({r.stage for r in staged}) == 1
    if one_stage:
        title += label("sep.colon", lang) + requirement_text(staged[0], lang, data.catalog)
    line_key = "chart.threshold" if ind.kind == "share" else "chart.milestone"
    if one_stage:
        # the bars are stage counts: the axis says so, never 完成率 (that is what was built)
        axis = label("chart.stage_share", lang).format(
            stage=stage_label(indicator, staged[0].stage, lang, data.catalog))
    else:
        axis = label("chart.share" if ind.kind == "share" else "chart.completion", lang)
    return BarSeries(
        values=[value(r) for r in rows], rows=rows, line=line,
        line_label=(f"{label(line_key, lang)} {fmt_percent(line, lang)}" if line is not None
                    else ""),
        title=title, axis_label=axis)


# --------------------------------------------------------------------------- timeline

def _series(data: ReportData, indicator: str) -> tuple[list[dt.date], list[float | None],
                                                        list[float]]:
    part = data.timeline[data.timeline["indicator"] == indicator].sort_values("as_of")
    dates = list(part["as_of"])
    completion = [None if _is_missing(v) else float(v) for v in part["completion"]]
    milestone = [float(v) for v in part["milestone"]]
    return dates, completion, milestone


def _tick_dates(dates: list[dt.date], max_ticks: int) -> list[dt.date]:
    """At most `max_ticks` of the reporting dates, evenly spaced, always including the last."""
    if len(dates) <= max_ticks:
        return dates
    step = math.ceil(len(dates) / max_ticks)
    return dates[::-1][::step][::-1]


def _timeline_top(data: ReportData) -> float:
    values = [v for v in (*data.timeline["completion"], *data.timeline["milestone"])
              if not _is_missing(v)]
    return max([1.0, *values]) * 1.15


def timeline_indicators(data: ReportData) -> list[str]:
    """The indicators with a city series (metrics.report_data.run_timeline says which), in
    catalogue order."""
    present = set(data.timeline["indicator"])
    return [code for code in _ordered_indicators(data) if code in present]


# --------------------------------------------------------------------------- many districts

CHART_ALL_MAX = 40  # up to this many districts every chart shows every district
HEATMAP_SHOWN = 20  # beyond it, the heatmap shows the districts ranked last ...
BARS_SHOWN_EACH_END = 15  # ... and each bar chart the lowest and the highest of its values


def shows_every_district(data: ReportData) -> bool:
    """Whether the charts can show every district readably (else report.xlsx has them all)."""
    return len(_ordered_districts(data)) <= CHART_ALL_MAX


def heatmap_districts(data: ReportData) -> list[str]:
    """The heatmap's rows: every district in catalogue order, or beyond CHART_ALL_MAX the
    HEATMAP_SHOWN ranked last, in rank order."""
    if shows_every_district(data):
        return _ordered_districts(data)
    ranked = data.ranking.sort_values(["rank", "district"], kind="stable")
    return list(ranked["district"])[-HEATMAP_SHOWN:]


def bar_districts(data: ReportData, indicator: str) -> list[str]:
    """The bars of an indicator: every district in catalogue order, or beyond CHART_ALL_MAX
    the BARS_SHOWN_EACH_END lowest and highest values among the districts judged at the
    report date (lowest first)."""
    districts = _ordered_districts(data)
    if shows_every_district(data):
        return districts
    series = bar_series(data, indicator)
    # only districts judged at the report date compete: no target or nothing due yet is
    # neither low nor high
    judged = [k for k, row in enumerate(series.rows) if row is not None
              and row.status not in NOT_JUDGED and series.values[k] is not None]
    order = sorted(judged, key=lambda k: (series.values[k], k))
    if len(order) <= 2 * BARS_SHOWN_EACH_END:
        return [districts[k] for k in order]
    chosen = order[:BARS_SHOWN_EACH_END] + order[-BARS_SHOWN_EACH_END:]
    return [districts[k] for k in chosen]
