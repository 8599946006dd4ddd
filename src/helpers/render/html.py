"""The report's HTML blocks. Every value from the data is escaped here, once; every text a reader
sees comes from helpers.words.labels."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from helpers.core.statuses import STATUSES
from helpers.core.values import is_missing
from helpers.metrics import derived_tables
from helpers.metrics.progress import isnan, tied
from helpers.metrics.report_data import ReportData
from helpers.metrics.table_views import (
    on_stage,
    ranks_mean_something,
    shown_actual,
    shown_completion,
)
from helpers.render import chart_data, svg_charts
from helpers.render.colours import STATUS_COLORS, readable_text_colour
from helpers.words import findings as commentary
from helpers.words.formats import rank_text
from helpers.words.labels import (
    district_label,
    document_issuer,
    fmt_count,
    fmt_date,
    fmt_decimal,
    fmt_month_day,
    fmt_percent,
    fmt_pp,
    fmt_share,
    group_label,
    indicator_label,
    label,
    location_text,
    numbered,
    report_title,
    requirement_text,
    share_digits,
    stage_label,
    status_label,
    unit_label,
)


def esc(value: object) -> str:
    """Text from the data, safe to put in HTML (a district name like '<b>' shows as text)."""
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class Column:
    """One table column: its header, how a row's cell reads, and an optional hover text."""

    header: str
    text: Callable[[object], str]
    hover: Callable[[object], str] | None = None
    css: str = ""
    status: Callable[[object], str] | None = None  # a status code: its colour (labels)
    emphasis: Callable[[object], bool] | None = None  # a figure to notice, not a status


def table(rows: Iterable, columns: list[Column], table_id: str, caption: str = "",
          compact: str = "") -> str:
    """An escaped HTML table with a fixed id. `compact` (a report of many districts): a class
    name for the table; no hover texts, no class on each number (compact_style right-aligns
    them by position, once for every table of that class), and cells and rows without their
    optional end tags (HTML5): under half the bytes of a long table."""
    cell_end, row_end = ("", "") if compact else ("</td>", "</tr>")
    kind = f"report-table {compact}" if compact else "report-table"
    out = [f'<table class="{kind}" id="{esc(table_id)}">']
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{esc(c.header)}</th>" for c in columns)
               + "</tr></thead><tbody>")
    for row in rows:
        cells = []
        for column in columns:
            attrs = []
            classes = [column.css] if column.css else []
            if column.status is not None and column.status(row):
                classes.append(f"status-{column.status(row)}")
            if column.emphasis is not None and column.emphasis(row):
                classes.append("emphasis")
            if classes and compact:  # numbers by position; a status unquoted
                name = " ".join(c for c in classes if c != "num")
                if name:
                    attrs.append(f"class={name}" if " " not in name else f'class="{esc(name)}"')
            elif classes:
                attrs.append(f'class="{esc(" ".join(classes))}"')
            if not compact and column.hover is not None and column.hover(row):
                attrs.append(f'title="{esc(column.hover(row))}"')
            cells.append(f"<td {' '.join(attrs)}>".replace("<td >", "<td>")
                         + esc(column.text(row)) + cell_end)
        out.append("<tr>" + "".join(cells) + row_end)
    out.append("</tbody></table>")
    return "".join(out)


def compact_style(columns: list[Column], compact: str) -> str:
    """The style of compact tables of class `compact` with these columns: their numbers
    right-aligned, as td.num is elsewhere."""
    cells = ",".join(f"table.{compact} td:nth-child({number})"
                     for number, column in enumerate(columns, start=1) if column.css == "num")
    return (f"<style>{cells}{{text-align:right;font-variant-numeric:tabular-nums;"
            f"white-space:nowrap}}</style>" if cells else "")


def _lang(data: ReportData) -> str:
    return data.params.lang


def title(data: ReportData) -> str:
    """The report's title."""
    return report_title(data.params)


def style() -> str:
    """Report CSS: status colours from labels.STATUS_COLORS, print-friendly tables."""
    status_css = "".join(
        f".status-{code}{{background:{color};color:{_text_color(color)}}}"
        for code, color in STATUS_COLORS.items())
    return ("<style>"
            ".report-table{border-collapse:collapse;margin:0.5em 0 1.2em;font-size:13px}"
            ".report-table th,.report-table td{border:1px solid #bbb;padding:3px 7px}"
            ".report-table th{background:#f0f0f0;position:sticky;top:0}"
            # JupyterLab's CSS right-aligns every output table cell with a (0,2,1) selector.
            "table.report-table td,table.report-table th,"
            ".jp-RenderedHTMLCommon table.report-table td,"
            ".jp-RenderedHTMLCommon table.report-table th{text-align:left;vertical-align:top}"
            "table.report-table td.num,.jp-RenderedHTMLCommon table.report-table td.num"
            "{text-align:right;font-variant-numeric:tabular-nums}"
            ".report-table td[title]{cursor:help;text-decoration:underline dotted #888}"
            ".report-table td.emphasis{color:#B00020;font-weight:bold}"
            # a link to a folded district keeps its name in view above the opened table
            "details.district>div{scroll-margin-top:3em}"
            ".report-table caption{text-align:left;font-weight:bold;padding:4px 0}"
            ".headline{display:flex;gap:10px;flex-wrap:wrap;margin:0.4em 0 1em}"
            ".headline div{border:1px solid #ccc;border-radius:6px;padding:6px 12px;"
            "min-width:6em;text-align:center}"
            ".headline b{display:block;font-size:26px}"
            ".headline-label{font-weight:bold;margin:0.8em 0 0}"
            ".headline div.district-tile{border:2px solid #D55E00}"
            ".district-headline{margin:0.2em 0 1em;padding-left:1.2em}"
            ".demo-notice{border:2px solid #D55E00;background:#fff3e8;padding:8px 12px;"
            "font-weight:bold;margin:1em 0}"
            ".meta{color:#333}.note{color:#444;font-size:13px;max-width:60em}"
            ".toc ul,.jp-RenderedHTMLCommon .toc ul{list-style:none;padding-left:0.5em}"
            ".toc ul ul,.jp-RenderedHTMLCommon .toc ul ul{display:flex;flex-wrap:wrap;"
            "gap:0 1.2em;list-style:none}"
            ".chart-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));"
            "gap:8px 16px}"
            ".report-table td.hash{font-family:monospace;font-size:11px;word-break:break-all}"
            ".report-table.matrix td{text-align:center;font-size:12px}"
            "img.chart{max-width:100%;height:auto;display:block;margin:0.5em 0}"
            + status_css + "</style>")


def _text_color(background: str) -> str:
    """Black or white on a status colour, by WCAG contrast (printed in report.pdf too)."""
    return readable_text_colour(background)


def facts(lang: str, pairs: list[tuple[str, str]]) -> str:
    """A line of 'label: value' facts."""
    colon = label("sep.colon", lang)
    return ('<p class="meta">' + "　".join(f"{esc(label(key, lang))}{colon}{esc(value)}"
                                           for key, value in pairs) + "</p>")


def _districts(data: ReportData) -> list[str]:
    return data.districts


DISTRICTS_OPEN_MAX = 60  # beyond, each district's detail is a closed <details> element
LONG_LIST_SHOWN = 300  # beyond DISTRICTS_OPEN_MAX districts, the longest lists show this many
HEADLINE_NAMED_MAX = 20  # ... and the first screen names this many districts seriously behind


def is_large(data: ReportData) -> bool:
    """A report of more districts than a page shows in full: district details folded, tables
    compact (sources in report.xlsx and the CSV, not on hover), long lists cut to their most
    serious rows (all of them in report.xlsx)."""
    return len(_districts(data)) > DISTRICTS_OPEN_MAX


def _dname(data: ReportData, name: str) -> str:
    return district_label(name, _lang(data), data.catalog)


def _iname(data: ReportData, code: str, short: bool = False) -> str:
    return indicator_label(code, _lang(data), data.catalog, short=short)


def demo_notice_html(data) -> str:
    """The banner saying the progress inputs are demonstration data ('' when they are
    real, or when the run turned the notice off)."""
    if not (data.demo_inputs and data.params.demo_notice):
        return ""
    lang = data.params.lang
    notice = label("misc.demo_notice", lang)
    reference = demo_reference_names(data)
    if reference:
        notice += label("misc.demo_reference", lang).format(
            names=label("name_sep_text", lang).join(reference))
    return f'<p class="demo-notice" id="demo-notice">{esc(notice)}</p>'


def demo_reference_names(data: ReportData) -> list[str]:
    """The reference figures (elderly population) that are illustrative, not official, and
    that a share indicator of this report uses."""
    used = {i.denominator for i in data.catalog.tracked if i.kind == "share"}
    demo = {f.measure for f in data.catalog.reference_figures
            if f.demo and f.year == data.params.year and f.measure in used}
    return [_iname(data, code) for code in sorted(demo)]


def tiles(counts: dict[str, int], lang: str, prefix: str) -> str:
    """One tile per status with a count, in the order of the vocabulary, and the total."""
    shown = [(s, counts[s]) for s in STATUSES if counts.get(s) and s not in ("no_target",
                                                                            "no_data")]
    parts = [f'<div class="status-{s}" id="{prefix}-{s}"><b>{n}</b>{esc(status_label(s, lang))}'
             "</div>" for s, n in shown]
    total = sum(n for _, n in shown)
    parts.append(f'<div id="{prefix}-total"><b>{total}</b>{esc(label("head.total", lang))}'
                 "</div>")
    return "".join(parts)


def first_screen(data: ReportData) -> str:
    """Title, period, report date, data as of, scope, demo-data notice, the status of every
    indicator as tiles, the districts seriously behind by name, and the overall sentence."""
    lang = _lang(data)
    names = _districts(data)
    scope = (label("head.scope_all", lang).format(n=len(names)) if data.params.districts is None
             else label("head.scope_subset", lang).format(
                 n=len(names), names=label("name_sep_text", lang).join(
                     _dname(data, n) for n in names)))
    parts = [style(), f'<h1 id="top">{esc(title(data))}</h1>', facts(lang, [
        ("head.period", label(f"period.{data.params.period}", lang)),
        ("misc.report_date", fmt_date(data.report_date, lang)),
        ("misc.data_as_of", fmt_date(data.data_as_of, lang)),
        ("head.scope", scope)]), document_form(data)]
    parts.append(demo_notice_html(data))
    parts.append(f'<p class="headline-label">{esc(label("head.indicators", lang))}</p>'
                 f'<div class="headline" id="headline">{tiles(data.counts, lang, "headline")}'
                 "</div>")
    parts.append(district_headline(data))
    return "".join(parts)


def document_form(data: ReportData) -> str:
    """The line under the title facts: 文号 (when given), 成文日期 and 发文机关."""
    lang, params = _lang(data), data.params
    pairs = [("form.doc_number", params.doc_number)] if params.doc_number else []
    pairs += [("form.drafting_date", fmt_date(params.drafted_on, lang)),
              ("form.issuer", document_issuer(params))]
    return f'<div id="document-form">{facts(lang, pairs)}</div>'


def district_headline(data: ReportData) -> str:
    """How many districts have an item seriously behind or overdue (year end: a target or stage
    missed), and which, with how many such items each."""
    lang = _lang(data)
    named = commentary.headline_districts(data)
    key = "head.unmet_districts" if commentary.is_year_end_view(data) else \
        "head.serious_districts"
    counts = data.ranking.set_index("district")["serious_items"]
    out = [f'<p class="headline-label">{esc(label("head.districts", lang))}</p>'
           f'<div class="headline" id="district-headline-tiles"><div class="district-tile" '
           f'id="headline-districts-serious"><b>{len(named)}</b>{esc(label(key, lang))}</div>'
           "</div>"]
    if named:
        # a large report names those with the most such items; the count says how many
        shown = named[:HEADLINE_NAMED_MAX] if is_large(data) else named
        items = label("name_sep_text", lang).join(
            label("head.district_items", lang).format(district=_dname(data, d),
                                                      n=int(counts.get(d, 0)))
            for d in shown)
        if len(shown) < len(named):
            items += label("head.more_districts", lang).format(n=len(named))
        out.append(f'<p class="district-headline" id="district-headline">{esc(items)}</p>')
    else:
        out.append(f'<p class="district-headline" id="district-headline">'
                   f'{esc(label("head.all_on_track", lang))}</p>')
    return "".join(out)


def section_keys(data: ReportData) -> list[str]:
    """The top-level sections of this report, in order (some depend on the period or data)."""

    # the written sections open the report; the problem ledger comes before the appendix
    keys = ["narrative"] if shows_narrative(data) else []
    keys.append("summary")
    if (data.summary["kind"] == "share").any():
        keys.append("shares")
    keys.append("ranking")
    if len(data.checkpoints):
        keys.append("checkpoints")
    if data.params.period != "FY":
        keys.append("forward")
    keys += ["charts", "districts", "lagging", "timeline", "commentary"]
    if data.ledger is not None:
        keys.append("ledger")
    return [*keys, "appendix"]


def sections(data: ReportData) -> list[tuple[str, str]]:
    """(anchor, heading) of every top-level section, in order, numbered 一、二、... (the
    appendix is not numbered)."""
    lang = _lang(data)
    out = []
    year_end = data.params.period == "FY"
    for number, key in enumerate(section_keys(data), start=1):
        text = label(f"sec.{key}.fy" if year_end and key == "lagging" else f"sec.{key}", lang)
        out.append((f"sec-{key}", text if key == "appendix" else numbered(number, text, lang)))
    return out


def contents(data: ReportData) -> str:
    """The table of contents, with the districts listed under their section (up to
    DISTRICTS_OPEN_MAX of them; beyond, their folded list is the index)."""
    lang = _lang(data)
    items = []
    for anchor, text in sections(data):
        items.append(f'<li><a href="#{anchor}">{esc(text)}</a>')
        if anchor == "sec-districts" and not is_large(data):
            items.append("<ul>" + "".join(
                f'<li><a href="#{district_anchor(data, d)}">{esc(_dname(data, d))}</a></li>'
                for d in _districts(data)) + "</ul>")
        items.append("</li>")
    return (f'<nav class="toc" id="toc"><h2>{esc(label("toc", lang))}</h2>'
            f'<ul class="toc-sections">{"".join(items)}</ul></nav>')


def heading(data: ReportData, key: str) -> str:
    """A top-level section heading with its anchor and number."""
    text = dict(sections(data))[f"sec-{key}"]
    return f'<h2 id="sec-{key}">{esc(text)}</h2>'


def district_anchor(data: ReportData, name: str) -> str:
    return f"district-{data.catalog.district_by_name[name].order:02d}"


def _note(text: str, note_id: str) -> str:
    return f'<p class="note" id="{esc(note_id)}">{esc(text)}</p>'


# --- cells ---------------------------------------------------------------------------------

def _num(col: str, lang: str) -> Callable:
    return lambda r: fmt_count(getattr(r, col), lang)


def _pct(col: str, lang: str) -> Callable:
    return lambda r: fmt_percent(None if isnan(getattr(r, col)) else getattr(r, col), lang)


def _actual_text(row, lang: str) -> str:
    """累计完成: the figure; judged on a stage, the units that reached it (选址 42); for a
    share, numerator / denominator; for a task, the districts that completed the stage."""
    if row.kind == "share":
        if is_missing(row.actual) or is_missing(row.denominator):
            return "—"
        return f"{fmt_count(row.actual, lang)}/{fmt_count(row.denominator, lang)}"
    return fmt_count(shown_actual(row), lang)


def completion_text(row, lang: str) -> str:
    """完成率: of the stage when judged on one, a share with two decimals below 10%."""
    if row.kind == "share":
        return fmt_percent(None if isnan(row.completion) else row.completion, lang,
                           share_digits(row.milestone))
    shown = shown_completion(row)
    return fmt_percent(None if isnan(shown) else shown, lang)


def _basis_hover(row, lang: str) -> str:
    return label(f"basis.{row.basis}", lang)


def _shortfall_text(row, lang: str) -> str:
    return "—" if is_missing(row.due_units) else fmt_count(row.shortfall, lang)


def _due_text(row, lang: str) -> str:
    return "—" if is_missing(row.due_units) or (row.basis == "small" and not row.due_units) \
        else fmt_count(row.due_units, lang)


def progress_columns(data: ReportData, with_sources: bool) -> list[Column]:
    """年度目标, 累计完成, 完成率, 进度要求, 应完成数, 差额, 状态: the columns every table of rows
    shares (with the raw cell of each figure on hover where `with_sources`)."""
    lang = _lang(data)

    def source(attribute: str) -> Callable | None:
        return (lambda r: getattr(r, attribute)) if with_sources else None

    def actual_source(row) -> str:
        if row.kind == "share" and row.denominator_source:
            return f"{row.actual_source} ÷ {row.denominator_source}"
        if on_stage(row) or row.kind == "task":
            return row.judged_source
        return row.actual_source

    return [
        Column(label("col.target", lang), _num("target", lang), css="num",
               hover=source("target_source")),
        Column(label("col.actual", lang), lambda r: _actual_text(r, lang), css="num",
               hover=actual_source if with_sources else None),
        Column(label("col.completion", lang), lambda r: completion_text(r, lang), css="num"),
        Column(label("col.milestone", lang),
               lambda r: requirement_text(r, lang, data.catalog),
               hover=lambda r: _basis_hover(r, lang)),
        Column(label("col.due_units", lang), lambda r: _due_text(r, lang), css="num"),
        Column(label("col.shortfall", lang), lambda r: _shortfall_text(r, lang), css="num",
               hover=source("judged_source")),
        Column(label("col.status", lang), lambda r: status_label(r.status, lang),
               status=lambda r: r.status),
    ]


def _indicator_column(data: ReportData, short: bool = False) -> Column:
    return Column(label("col.indicator", _lang(data)),
                  lambda r: _iname(data, r.indicator, short=short))


def _unit_column(data: ReportData) -> Column:
    return Column(label("col.unit", _lang(data)), lambda r: unit_label(r.unit, _lang(data)))


# --- sections ------------------------------------------------------------------------------

def summary_columns(data: ReportData) -> list[Column]:
    """The summary table's columns (also report.docx's)."""
    lang = _lang(data)
    behind = "col.districts_behind.fy" if data.params.period == "FY" else "col.districts_behind"
    return [_indicator_column(data), _unit_column(data), *progress_columns(data, False),
            Column(label(behind, lang), lambda r: str(r.districts_behind), css="num"),
            Column(label("col.district_shortfall", lang),
                   lambda r: fmt_count(r.district_shortfall, lang) if r.district_shortfall
                   else "—", css="num")]


def city_note(data: ReportData) -> str:
    """How a city row is judged: district by district for the tasks the plan dates."""
    return label("note.city", _lang(data))


def rules_note(data: ReportData) -> str:
    """The status rules in the reader's words, with this report's date and parameters."""
    from helpers.metrics.milestones import time_progress

    params, date = data.params, data.report_date
    year_days = (date.replace(year=date.year + 1, month=1, day=1)
                 - date.replace(month=1, day=1)).days
    return label("note.rules", params.lang).format(
        serious=f"{params.serious_lag_pp:g}", units=params.tolerance_units,
        tolerance=f"{params.tolerance_pp:g}", small=params.small_target_max,
        date=fmt_month_day(date, params.lang), days=(date - date.replace(month=1, day=1)).days
        + 1, year_days=year_days, progress=fmt_percent(time_progress(date), params.lang))


def summary_section(data: ReportData) -> str:
    """The indicator summary at city level (shares have their own section), and the rules."""
    rows = data.summary[data.summary["kind"] != "share"]
    return (heading(data, "summary")
            + table(rows.itertuples(), summary_columns(data), "summary-table")
            + _note(city_note(data), "city-note")
            + _note(rules_note(data), "milestone-note"))


def shares_section(data: ReportData) -> str:
    """Share indicators: numerator, denominator, share against the required share."""
    if "shares" not in section_keys(data):
        return ""
    lang = _lang(data)
    rows = data.summary[data.summary["kind"] == "share"]
    return (heading(data, "shares")
            + table(rows.itertuples(), shares_columns(data), "shares-table")
            + _note(label("note.shares", lang), "shares-note"))


def shares_columns(data: ReportData) -> list[Column]:
    """The share table's columns (also report.docx's)."""
    lang = _lang(data)
    return [
        _indicator_column(data),
        Column(label("col.definition", lang), lambda r: _share_definition(data, r.indicator)),
        Column(label("col.numerator", lang), _num("actual", lang), css="num"),
        Column(label("col.denominator", lang), _num("denominator", lang), css="num"),
        Column(label("col.share", lang), lambda r: completion_text(r, lang), css="num"),
        Column(label("col.threshold", lang), lambda r: fmt_share(r.milestone, lang), css="num"),
        Column(label("col.due_units", lang), lambda r: _due_text(r, lang), css="num"),
        Column(label("col.shortfall", lang), lambda r: (
            f"{fmt_count(r.shortfall, lang)}{unit_label(r.unit, lang)}"
            if not is_missing(r.shortfall) and r.shortfall else "—"), css="num"),
        Column(label("col.status", lang), lambda r: status_label(r.status, lang),
               status=lambda r: r.status),
        Column(label("col.districts_below", lang), lambda r: str(r.districts_behind),
               css="num"),
    ]


def _share_definition(data: ReportData, code: str) -> str:
    ind = data.catalog.indicator(code)
    return f"{_iname(data, ind.numerator)} ÷ {_iname(data, ind.denominator)}"


def ranking_section(data: ReportData) -> str:
    """The 通报: every district ranked by the stated method."""
    return (heading(data, "ranking")
            + (compact_style(ranking_columns(data), "compact-ranking") if is_large(data)
               else "")
            + table(data.ranking.itertuples(), ranking_columns(data), "ranking-table",
                    compact="compact-ranking" if is_large(data) else "")
            + _note(ranking_note(data), "ranking-note"))


def ranking_note(data: ReportData) -> str:
    """The ranking's stated method."""
    lang = _lang(data)
    method = label(f"note.ranking.{data.params.ranking_method}", lang)
    return label("note.ranking", lang).format(method=method)


def ranking_columns(data: ReportData) -> list[Column]:
    """The ranking table's columns (also report.docx's)."""
    lang = _lang(data)

    def fy(key: str) -> str:
        return f"{key}.fy" if data.params.period == "FY" else key

    return [
        Column(label("col.rank", lang), lambda r: rank_text(r.rank, r.tied, lang), css="num"),
        Column(label("col.district", lang), lambda r: _dname(data, r.district)),
        Column(label("col.group", lang), lambda r: group_label(r.supervision_group, lang)),
        Column(label("col.due_items", lang), lambda r: str(r.due_items), css="num"),
        Column(label("col.on_track_items", lang), lambda r: str(r.on_track_items), css="num"),
        Column(label("col.on_track_share", lang), _pct("on_track_share", lang), css="num"),
        Column(label("col.mean_completion", lang), _pct("mean_completion", lang), css="num"),
        Column(label(fy("col.behind_items"), lang), lambda r: str(r.behind_items - r.below_items),
               css="num"),
        Column(label("col.below_items", lang), lambda r: str(r.below_items), css="num"),
        Column(label(fy("col.serious_items"), lang), lambda r: str(r.serious_items), css="num",
               hover=lambda r: label("name_sep_text", lang).join(
                   _iname(data, c, short=True) for c in r.serious_indicators)),
    ]


def checkpoint_stage_text(data: ReportData, row) -> str:
    """选址 / 完成40.0%: what a checkpoint requires."""
    lang = _lang(data)
    if row.stage:
        return stage_label(row.indicator, row.stage, lang, data.catalog)
    if row.share_due >= 1:
        return label("stage.all", lang)
    return label("stage.own", lang).format(share=fmt_share(row.share_due, lang))


def checkpoints_section(data: ReportData) -> str:
    """Every dated requirement: units and districts on time, late, overdue, not yet due; then
    a district x checkpoint matrix (done / required, coloured by status)."""
    if "checkpoints" not in section_keys(data):
        return ""
    lang = _lang(data)
    parts = [heading(data, "checkpoints"),
             table(data.checkpoint_summary.itertuples(), checkpoint_columns(data),
                   "checkpoints-table"),
             _note(label("note.checkpoints", lang), "checkpoints-note"),
             f"<h3>{esc(label('sec.checkpoint_matrix', lang))}</h3>", checkpoint_matrix(data)]
    return "".join(parts)


def checkpoint_columns(data: ReportData) -> list[Column]:
    """The stage table's columns (also report.docx's)."""
    lang = _lang(data)
    return [
        Column(label("col.indicator", lang), lambda r: _iname(data, r.indicator, short=True)),
        Column(label("col.stage", lang), lambda r: checkpoint_stage_text(data, r),
               hover=lambda r: r.note),
        Column(label("col.due_date", lang), lambda r: fmt_month_day(r.due, lang)),
        Column(label("col.required", lang), _num("required", lang), css="num"),
        Column(label("col.done_by_due", lang), _num("done_by_due", lang), css="num"),
        Column(label("col.done_now", lang), _num("done_now", lang), css="num"),
        Column(label("col.districts_on_time", lang), lambda r: str(r.on_time), css="num"),
        Column(label("col.districts_late", lang), lambda r: str(r.late), css="num"),
        Column(label("col.districts_overdue", lang), lambda r: str(r.overdue), css="num"),
        Column(label("col.districts_not_due", lang), lambda r: str(r.not_due), css="num"),
        Column(label("col.status", lang), lambda r: status_label(r.status, lang),
               status=lambda r: r.status),
    ]


def checkpoint_matrix(data: ReportData) -> str:
    """Districts (rows) x checkpoints (columns): done / required, coloured by status, with the
    status and the raw cell on hover."""
    lang = _lang(data)
    keys = list(data.checkpoint_summary.itertuples())
    cells = {(r.district, r.indicator, r.stage, r.due): r for r in data.checkpoints.itertuples()}
    columns = [Column(label("col.district", lang), lambda d: _dname(data, d))]
    for key in keys:
        header = (f"{_iname(data, key.indicator, short=True)} "
                  f"{checkpoint_stage_text(data, key)}（{fmt_month_day(key.due, lang)}）"
                  if lang == "zh" else
                  f"{_iname(data, key.indicator, short=True)}: {checkpoint_stage_text(data, key)} "
                  f"({fmt_month_day(key.due, lang)})")

        def cell(d, k=key):
            return cells.get((d, k.indicator, k.stage, k.due))

        columns.append(Column(
            header,
            lambda d, cell=cell: (f"{fmt_count(cell(d).done_now, lang)}/"
                                  f"{fmt_count(cell(d).required, lang)}" if cell(d) else "—"),
            hover=lambda d, cell=cell: (f"{status_label(cell(d).status, lang)} "
                                        f"{cell(d).source}".strip() if cell(d) else ""),
            status=lambda d, cell=cell: cell(d).status if cell(d) else ""))
    present = [st for st in STATUSES if st in set(data.checkpoints["status"])]
    legend = (f'<p class="note" id="matrix-legend">{esc(label("legend.matrix", lang))}'
              + "　".join(f'<span class="status-{st}">&nbsp;{esc(status_label(st, lang))}&nbsp;'
                         "</span>" for st in present) + "</p>")
    return table(_districts(data), columns, "checkpoint-matrix",
                 compact="compact-matrix" if is_large(data) else "").replace(
        'class="report-table', 'class="report-table matrix', 1) + legend


def by_group(data: ReportData, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered by supervision group, then district (catalogue order), then as they came."""
    from helpers.metrics.report_data import group_order

    districts = data.catalog.district_by_name
    return (frame.assign(_g=frame["district"].map(lambda d: group_order(
                districts[d].supervision_group) if d in districts else 99),
                         _d=frame["district"].map(lambda d: districts[d].order
                                                  if d in districts else 99))
            .sort_values(["_g", "_d"], kind="stable").drop(columns=["_g", "_d"]))


def _forward_columns(data: ReportData, with_district: bool) -> list[Column]:
    lang = _lang(data)
    columns = [Column(label("col.district", lang), lambda r: _dname(data, r.district))] \
        if with_district else []
    return [
        *columns,
        Column(label("col.indicator", lang), lambda r: _iname(data, r.indicator, short=True)),
        Column(label("col.target", lang), _num("target", lang), css="num"),
        Column(label("col.actual", lang), _num("actual", lang), css="num"),
        Column(label("col.pace", lang), lambda r: fmt_decimal(r.pace, lang), css="num"),
        Column(label("col.deadline", lang), lambda r: fmt_month_day(r.deadline, lang)),
        Column(label("col.required_pace", lang), lambda r: fmt_decimal(r.required_pace, lang),
               css="num"),
        Column(label("col.projected", lang), lambda r: fmt_decimal(r.projected, lang),
               css="num"),
        Column(label("col.projected_completion", lang), _pct("projected_completion", lang),
               css="num"),
        # not a status: no status colour, the words say it
        Column(label("col.at_risk", lang),
               lambda r: label("risk.yes" if r.at_risk else "risk.no", lang)),
    ]


def forward_section(data: ReportData) -> str:
    """The forward look: the city per indicator, then every district item at risk (not in a
    year-end report: every deadline has passed)."""
    if "forward" not in section_keys(data):
        return ""
    lang = _lang(data)
    parts = [heading(data, "forward"), _note(forward_note(data), "forward-note"),
             f"<h3>{esc(label('sec.forward_city', lang))}</h3>",
             table(derived_tables.city_forward(data).itertuples(), _forward_columns(data, False),
                   "forward-city-table")]
    risky = by_group(data, data.forward[data.forward["at_risk"]])
    caption = label("sec.forward_risk", lang).format(n=len(risky))
    large = is_large(data) and len(risky) > LONG_LIST_SHOWN
    if large:  # the furthest from their targets; all of them in report.xlsx
        caption = label("sec.forward_risk_large", lang).format(
            n=len(risky), shown=LONG_LIST_SHOWN, sheet=label("sheet.forward", lang))
        risky = risky.sort_values("projected_completion", kind="stable").head(LONG_LIST_SHOWN)
    if risky.empty:
        parts.append(f"<p>{esc(label('misc.none_at_risk', lang))}</p>")
    else:
        parts.append(table(risky.itertuples(), _forward_columns(data, True),
                           "forward-risk-table", caption=caption))
    return "".join(parts)


def backtest_section(data: ReportData) -> str:
    """Year end, in the appendix: how the forward looks of the year's earlier reports fared."""
    if not len(data.backtests):
        return ""
    lang = _lang(data)
    columns = [
        Column(label("col.backtest_as_of", lang), lambda r: fmt_date(r.as_of, lang)),
        Column(label("col.items", lang), lambda r: str(r.items), css="num"),
        Column(label("col.flagged", lang), lambda r: str(r.flagged), css="num"),
        Column(label("col.missed", lang), lambda r: str(r.missed), css="num"),
        Column(label("col.flagged_and_missed", lang), lambda r: str(r.flagged_and_missed),
               css="num"),
        Column(label("col.mean_abs_error", lang),
               lambda r: fmt_decimal(r.mean_abs_error_pp, lang), css="num"),
    ]
    return (f'<h3 id="sec-backtest">{esc(label("sec.backtest", lang))}</h3>'
            + _note(forward_note(data), "backtest-note")
            + table(data.backtests.itertuples(), columns, "backtest-table"))


def forward_note(data: ReportData) -> str:
    """The forward look's method, with this report's tolerance."""
    params = data.params
    return label("note.forward", params.lang).format(
        units=params.tolerance_units, tolerance=f"{params.tolerance_pp:g}",
        small=params.small_target_max)


def _img(svg: str, alt: str, img_id: str) -> str:
    return (f'<img class="chart" id="{esc(img_id)}" alt="{esc(alt)}" '
            f'src="{svg_charts.svg_data_uri(svg)}"/>')


def charts_section(data: ReportData) -> str:
    """The heatmap and one bar chart per indicator with its requirement line (beyond
    chart_data.CHART_ALL_MAX districts: the districts ranked last, the lowest and highest)."""
    lang = _lang(data)
    total = len(set(data.table["district"]))
    every = chart_data.shows_every_district(data)
    parts = [heading(data, "charts"), f"<h3>{esc(label('sec.heatmap', lang))}</h3>"]
    if not every:
        text = label("chart.heatmap_subset", lang).format(total=total,
                                                          shown=chart_data.HEATMAP_SHOWN)
        parts.append(f'<p class="note">{esc(text)}</p>')
    parts += [_img(svg_charts.heatmap_svg(data), label("sec.heatmap", lang), "chart-heatmap"),
              f"<h3>{esc(label('sec.bars', lang))}</h3>"]
    if not every:
        text = label("chart.bars_subset", lang).format(total=total,
                                                       each=chart_data.BARS_SHOWN_EACH_END)
        parts.append(f'<p class="note">{esc(text)}</p>')
    parts.append('<div class="chart-grid">')
    for number, code in enumerate(chart_data.charted_indicators(data), start=1):
        parts.append(_img(svg_charts.bars_svg(data, code), _iname(data, code),
                          f"chart-bars-{number:02d}"))
    parts.append("</div>")
    return "".join(parts)


def districts_section(data: ReportData) -> str:
    """For each district, every indicator, what was due and its rank among districts."""
    lang = _lang(data)
    standings = {r.district: r for r in data.ranking.itertuples()}
    n_districts = data.ranking_size
    collapsed = is_large(data)
    hint = (label("app.source_hint_large", lang).format(sheet=label("sheet.data", lang))
            if collapsed else label("app.source_hint", lang))
    parts = [heading(data, "districts"), f"<p>{esc(hint)}</p>"]
    ranked = data.table[data.table["rank"].notna()].groupby("indicator").size()
    shared = tied(data.table).to_dict()
    names = _districts(data)
    if collapsed:
        parts.append(f'<p class="note">{esc(label("misc.districts_collapsed", lang))}</p>')
    rows_by_district: dict[str, list] = {}
    for row in data.table_rows:
        rows_by_district.setdefault(row.district, []).append(row)
    columns = [_indicator_column(data, short=collapsed), _unit_column(data),
               *progress_columns(data, not collapsed),
               Column(label("col.rank", lang),
                      lambda r: ("—" if not ranks_mean_something(r) else
                                 rank_text(r.rank, bool(shared[r.Index]), lang,
                                           ranked.get(r.indicator, 0))), css="num")]
    compact = "compact-district" if collapsed else ""
    if collapsed:
        parts.append(compact_style(columns, compact))
    for name in names:
        district = data.catalog.district_by_name[name]
        standing = standings.get(name)
        rank = (rank_text(standing.rank, bool(standing.tied), lang, n_districts)
                if standing is not None else "—")
        share = fmt_percent(standing.on_track_share, lang) if standing is not None else "—"
        about = facts(lang, [("col.group", group_label(district.supervision_group, lang)),
                             ("col.overall_rank", rank), ("col.on_track_share", share)])
        if collapsed:
            # a summary line each; the browser opens a folded district when find-in-page or
            # a link (#district-NN, on the content: a target inside <details> reveals it)
            # reaches it
            parts.append(f'<details class="district"><summary>{esc(_dname(data, name))}'
                         f'{label("sep.colon", lang)}'
                         f'{esc(label("col.overall_rank", lang))} {esc(rank)}'
                         f'{label("sep.comma", lang)}'
                         f'{esc(label("col.on_track_share", lang))} {esc(share)}</summary>'
                         f'<div id="{district_anchor(data, name)}">{about}')
        else:
            parts.append(f'<h3 id="{district_anchor(data, name)}">{esc(_dname(data, name))}'
                         f'</h3>{about}')
        rows = rows_by_district.get(name, [])
        parts.append(table(rows, columns, f"table-{district_anchor(data, name)}",
                           compact=compact))
        if collapsed:
            parts.append("</div></details>")
    return "".join(parts)


def lagging_section(data: ReportData) -> str:
    """Items behind what was due, grouped by supervision group."""
    lang = _lang(data)
    parts = [heading(data, "lagging")]
    items = data.lagging
    if items.empty:
        return parts[0] + f"<p>{esc(label('misc.none_lagging', lang))}</p>"
    large = is_large(data)
    groups = list(items.groupby("supervision_group", sort=False))
    if large:
        shown_each = max(1, LONG_LIST_SHOWN // len(groups))
        parts.append(_note(label("note.lagging_large", lang).format(
            n=len(items), shown=shown_each, sheet=label("sheet.lagging", lang)),
            "lagging-note"))
    for number, (group, part) in enumerate(groups, 1):
        members = [d.name for d in data.catalog.districts if d.supervision_group == group]
        if large:  # the group's most serious items; every item is in its district's detail
            heading_text = label("sec.lagging_group_large", lang).format(
                group=group_label(group, lang), districts=len(members), n=len(part))
            part = largest_shortfalls(part, shown_each, [i.code for i in data.catalog.tracked])
        else:
            names = label("name_sep_text", lang).join(_dname(data, n) for n in members)
            heading_text = f"{group_label(group, lang)}（{names}）"
        parts.append(f"<h3>{esc(heading_text)}</h3>")
        parts.append(table(part.itertuples(), lagging_columns(data, not large),
                           f"lagging-group-{number}"))
    return "".join(parts)


def largest_shortfalls(items: pd.DataFrame, shown: int, order: list[str]) -> pd.DataFrame:
    """At most `shown` lagging items: for each indicator (in `order`) an equal number, those
    furthest behind in units (差342张 before 差1张; then seriously behind before behind), so
    that every indicator's largest shortfalls are there, whatever its unit."""
    if items.empty:
        return items
    indicators = [code for code in order if code in set(items["indicator"])]
    each = max(1, shown // len(indicators))
    units = items["shortfall"].astype("Float64").fillna(0.0)
    serious = items["status"].isin(("serious_lag", "overdue", "unmet", "not_started"))
    position = {code: k for k, code in enumerate(indicators)}
    ranked = (items.assign(_i=items["indicator"].map(position), _u=-units, _s=~serious)
              .sort_values(["_i", "_u", "_s"], kind="stable"))
    return (ranked.groupby("indicator", sort=False).head(each)
            .drop(columns=["_i", "_u", "_s"]).head(shown))


def lagging_columns(data: ReportData, with_sources: bool) -> list[Column]:
    """The lagging tables' columns (also report.docx's, without the sources)."""
    return [Column(label("col.district", _lang(data)), lambda r: _dname(data, r.district)),
            _indicator_column(data), *progress_columns(data, with_sources)]


def timeline_section(data: ReportData) -> str:
    """City completion by reporting date against the milestone path."""
    lang = _lang(data)
    parts = [heading(data, "timeline")]
    if data.timeline.empty:
        return parts[0] + f"<p>{esc(label('misc.no_items', lang))}</p>"
    parts.append(_img(svg_charts.timeline_svg(data), label("chart.timeline_title", lang),
                      "chart-timeline"))
    dates = sorted(set(data.timeline["as_of"]))
    by_key = {(r.indicator, r.as_of): r for r in data.timeline.itertuples()}
    columns = [Column(label("col.indicator", lang), lambda code: _iname(data, code))]
    for day in dates:
        columns.append(Column(
            fmt_month_day(day, lang),
            lambda code, day=day: fmt_percent(by_key[(code, day)].completion, lang),
            css="num",
            hover=lambda code, day=day: (f"{label('col.milestone', lang)} "
                                         f"{fmt_percent(by_key[(code, day)].milestone, lang)}")))
    codes = list(dict.fromkeys(data.timeline["indicator"]))
    parts.append(f"<h3>{esc(label('sec.timeline_table', lang))}</h3>")
    parts.append(table(codes, columns, "timeline-table"))
    return "".join(parts)


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{esc(line)}</p>" for line in lines)


# Commentary parts shown as a list of items rather than paragraphs (also in report.docx).
LISTED_COMMENTARY = ("lagging", "indicators", "checkpoints")


def commentary_section(data: ReportData) -> str:
    """The written findings, from helpers.words.findings."""
    lang = _lang(data)
    parts = [heading(data, "commentary")]
    for key, lines in data.findings.items():
        parts.append(f'<h3 id="commentary-{key}">{esc(label(f"com.{key}", lang))}</h3>')
        if key in LISTED_COMMENTARY and len(lines) > 1:
            parts.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>")
        else:
            parts.append(_paragraphs(lines))
        if key == "changes":
            parts.append(_changes_table(data))
        if key == "year_end":
            parts.append(_carry_over_table(data))
    return "".join(parts)


def _changes_table(data: ReportData) -> str:
    moved = derived_tables.changes_table(data)
    if moved.empty:
        return ""
    return table(moved.itertuples(), changes_columns(data), "changes-table")


def changes_columns(data: ReportData) -> list[Column]:
    """The columns of the table of changes since the previous period (also report.docx's)."""
    lang = _lang(data)
    previous = label(f"period.{data.previous_period}", lang)
    return [Column(label("col.indicator", lang), lambda r: _iname(data, r.indicator)),
               Column(label("col.of_period", lang).format(
                          period=previous, column=label("col.completion", lang)),
                      _pct("previous", lang), css="num"),
               Column(label("col.completion", lang), _pct("current", lang), css="num"),
               Column(label("col.change_pp", lang), lambda r: fmt_pp(r.change_pp, lang),
                      css="num"),
               Column(label("col.of_period", lang).format(
                          period=previous, column=label("col.status", lang)),
                      lambda r: status_label(r.previous_status, lang),
                      status=lambda r: r.previous_status),
               Column(label("col.status", lang), lambda r: status_label(r.status, lang),
                      status=lambda r: r.status)]


def _carry_over_table(data: ReportData) -> str:
    carry = derived_tables.carry_over_table(data)
    if carry.empty:
        return ""
    return table(carry.itertuples(), carry_over_columns(data), "carry-over-table",
                 caption=carry_over_caption(data, len(carry)))


def carry_over_caption(data: ReportData, count: int) -> str:
    """结转任务表（50）."""
    lang = _lang(data)
    return f"{label('com.carry_over', lang)}（{count}）" if lang == "zh" else \
        f"{label('com.carry_over', lang)} ({count})"


def carry_over_columns(data: ReportData) -> list[Column]:
    """The carry-over table's columns (also report.docx's)."""
    lang = _lang(data)
    return [Column(label("col.district", lang), lambda r: _dname(data, r.district)),
               _indicator_column(data), _unit_column(data),
               Column(label("col.target", lang), _num("target", lang), css="num"),
               Column(label("col.actual", lang), _num("actual", lang), css="num"),
               Column(label("col.remaining", lang), _num("remaining", lang), css="num"),
               Column(label("col.completion", lang), _pct("completion", lang), css="num"),
               Column(label("col.status", lang), lambda r: status_label(r.status, lang),
                      status=lambda r: r.status)]


def appendix_section(data: ReportData, run_facts: list[tuple[str, str]] | None = None) -> str:
    """Inputs read, validation warnings, parameters and the run record."""
    lang = _lang(data)
    parts = [heading(data, "appendix"), f"<h3>{esc(label('app.inputs', lang))}</h3>"]
    input_columns = [Column(label("col.file", lang), lambda r: r.path),
                     Column(label("col.kind", lang), lambda r: r.kind),
                     Column(label("col.as_of", lang),
                            lambda r: "" if isnan(r.as_of) else str(r.as_of)),
                     Column(label("col.figures", lang), lambda r: str(r.figures), css="num"),
                     Column(label("col.size", lang), lambda r: str(r.size), css="num"),
                     Column(label("col.sha256", lang), lambda r: r.sha256, css="hash")]
    parts.append(table(data.inputs.itertuples(), input_columns, "inputs-table"))
    if data.demo_inputs:
        parts.append(f"<p>{esc(label('app.demo_files', lang))}："
                     f"{esc(', '.join(data.demo_inputs))}</p>")
    if data.narrative is not None:
        note = label("narrative.note", lang).format(references=data.narrative.references,
                                                    numbers=data.narrative.numbers)
        parts.append(f"<h3>{esc(label('app.narrative', lang))}</h3>"
                     f'<p class="note" id="narrative-note">{esc(note)}</p>')
    if len(data.backtests):
        parts.append(backtest_section(data))
    parts.append(f"<h3>{esc(label('app.warnings', lang))}</h3>")
    if data.warnings:
        warning_columns = [Column(label("col.file", lang), lambda p: p.file),
                           Column(label("col.location", lang),
                                  lambda p: location_text(p.location, lang)),
                           Column(label("col.message", lang),
                                  lambda p: commentary.warning_sentence(p, data),
                                  hover=lambda p: p.message)]
        parts.append(table(data.warnings, warning_columns, "warnings-table"))
    else:
        parts.append(f"<p>{esc(label('misc.no_items', lang))}</p>")
    parts.append(f"<h3>{esc(label('app.parameters', lang))}</h3>")
    param_columns = [Column(label("col.parameter", lang), lambda kv: kv[0]),
                     Column(label("col.value", lang), lambda kv: _plain(kv[1]))]
    # `export` only tells the notebook to write its files: not a parameter of the report
    shown = {k: v for k, v in data.params.as_dict().items() if k != "export"}
    parts.append(table(sorted(shown.items()), param_columns, "parameters-table"))
    if run_facts:
        parts.append(f"<h3>{esc(label('app.run', lang))}</h3>")
        parts.append(table(run_facts, param_columns, "run-table"))
    return "".join(parts)


# --- the written sections ------------------------------------------------------------------

def shows_narrative(data) -> bool:
    """Whether the report has a written-sections section: the period's narrative file exists
    (a report on selected districts shows only a note that the city-wide text is left out)."""
    return data.narrative is not None or data.narrative_left_out


def narrative_section(data) -> str:
    """The written sections as an HTML section ('' without a narrative; a note in a report on
    selected districts, which leaves the city-wide text out)."""
    from helpers.render.html import esc
    from helpers.words.labels import label

    params, lang = data.params, data.params.lang
    if not shows_narrative(data):
        return ""
    heading_html = heading(data, "narrative")
    if params.districts is not None:
        return heading_html + f'<p class="note">{esc(label("narrative.subset", lang))}</p>'
    narrative = data.narrative

    def runs(items: tuple) -> str:
        return "".join(f"<strong>{esc(r.text)}</strong>" if r.bold else esc(r.text)
                       for r in items)

    parts = [heading_html]
    for number, block in enumerate(narrative.blocks, start=1):
        if block.kind == "heading":
            level = min(max(block.level, 2) + 1, 6)  # under the section's own h2
            parts.append(f'<h{level} id="narrative-{number:02d}">{runs(block.runs)}</h{level}>')
        elif block.kind == "list":
            tag = "ol" if block.ordered else "ul"
            parts.append(f"<{tag}>" + "".join(f"<li>{runs(i)}</li>" for i in block.items)
                         + f"</{tag}>")
        else:
            parts.append(f"<p>{runs(block.runs)}</p>")
    return '<section class="narrative" id="narrative">' + "".join(parts) + "</section>"


def _plain(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return "" if value is None else str(value)


SECTION_RENDERERS: dict[str, Callable[[ReportData], str]] = {
    "summary": summary_section, "shares": shares_section, "ranking": ranking_section,
    "checkpoints": checkpoints_section, "forward": forward_section,
    "charts": charts_section, "districts": districts_section,
    "lagging": lagging_section, "timeline": timeline_section,
    "commentary": commentary_section,
}
