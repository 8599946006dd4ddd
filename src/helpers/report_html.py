"""The report's HTML blocks. Every value from the data is escaped here, once; every text a reader
sees comes from helpers.labels."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from helpers import charts, commentary
from helpers.colour_contrast import readable_text_colour
from helpers.labels import (
    STATUS_COLORS,
    district_label,
    document_issuer,
    fmt_count,
    fmt_date,
    fmt_month_day,
    fmt_percent,
    fmt_pp,
    group_label,
    indicator_label,
    label,
    report_title,
    status_label,
    unit_label,
)
from helpers.progress_metrics import isnan
from helpers.report_data import ReportData


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
    status: Callable[[object], str] | None = None


def table(rows: Iterable, columns: list[Column], table_id: str, caption: str = "") -> str:
    """An escaped HTML table with a fixed id."""
    out = [f'<table class="report-table" id="{esc(table_id)}">']
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{esc(c.header)}</th>" for c in columns)
               + "</tr></thead><tbody>")
    for row in rows:
        cells = []
        for column in columns:
            attrs = []
            classes = [column.css] if column.css else []
            if column.status is not None:
                classes.append(f"status-{column.status(row)}")
            if classes:
                attrs.append(f'class="{esc(" ".join(classes))}"')
            if column.hover is not None and column.hover(row):
                attrs.append(f'title="{esc(column.hover(row))}"')
            cells.append(f"<td {' '.join(attrs)}>".replace("<td >", "<td>")
                         + esc(column.text(row)) + "</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


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
            ".report-table caption{text-align:left;font-weight:bold;padding:4px 0}"
            ".headline{display:flex;gap:12px;flex-wrap:wrap;margin:1em 0}"
            ".headline div{border:1px solid #ccc;border-radius:6px;padding:8px 16px;"
            "min-width:7em;text-align:center}"
            ".headline b{display:block;font-size:28px}"
            ".demo-notice{border:2px solid #D55E00;background:#fff3e8;padding:8px 12px;"
            "font-weight:bold;margin:1em 0}"
            ".meta{color:#333}.note{color:#444;font-size:13px;max-width:60em}"
            ".toc ul,.jp-RenderedHTMLCommon .toc ul{list-style:none;padding-left:0.5em}"
            ".toc ul ul,.jp-RenderedHTMLCommon .toc ul ul{display:flex;flex-wrap:wrap;"
            "gap:0 1.2em;list-style:none}"
            ".chart-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));"
            "gap:8px 16px}"
            ".report-table td.hash{font-family:monospace;font-size:11px;word-break:break-all}"
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


def first_screen(data: ReportData) -> str:
    """Title, period, report date, data as of, scope, headline counts, demo-data notice."""
    lang = _lang(data)
    counts = data.counts
    names = _districts(data)
    scope = (label("head.scope_all", lang).format(n=len(names)) if data.params.districts is None
             else label("head.scope_subset", lang).format(
                 n=len(names), names=label("name_sep_text", lang).join(
                     district_label(n, lang, data.catalog) for n in names)))
    parts = [style(), f'<h1 id="top">{esc(title(data))}</h1>', facts(lang, [
        ("head.period", label(f"period.{data.params.period}", lang)),
        ("misc.report_date", fmt_date(data.report_date, lang)),
        ("misc.data_as_of", fmt_date(data.data_as_of, lang)),
        ("head.scope", scope)]), document_form(data)]
    if data.demo_inputs and data.params.demo_notice:
        notice = esc(label("misc.demo_notice", lang))
        parts.append(f'<p class="demo-notice" id="demo-notice">{notice}</p>')
    year_end = commentary.is_year_end_view(data)
    items = [("done", "status-done", "head.done_fy" if year_end else "head.done"),
             ("on_track", "status-on_track", "head.on_track"),
             ("behind", "status-lagging", "head.behind_fy" if year_end else "head.behind"),
             ("total", "", "head.total")]
    if year_end:
        items.pop(1)  # nothing is "on track" at year end: met or not met
    parts.append('<div class="headline" id="headline">' + "".join(
        f'<div class="{cls}" id="headline-{key}"><b>{counts[key]}</b>'
        f"{esc(label(text, lang))}</div>" for key, cls, text in items) + "</div>")
    parts.append("<p>" + esc(" ".join(commentary.overall(data))) + "</p>")
    return "".join(parts)


def document_form(data: ReportData) -> str:
    """The line under the title facts: 文号 (when given), 成文日期 and 发文机关."""
    lang, params = _lang(data), data.params
    pairs = [("form.doc_number", params.doc_number)] if params.doc_number else []
    pairs += [("form.drafting_date", fmt_date(params.drafted_on, lang)),
              ("form.issuer", document_issuer(params))]
    return f'<div id="document-form">{facts(lang, pairs)}</div>'


def sections(data: ReportData) -> list[tuple[str, str]]:
    """(anchor, heading) of every top-level section, in order."""
    keys = ["summary", "charts", "districts", "lagging", "timeline", "commentary", "appendix"]
    return [(f"sec-{key}", label(f"sec.{key}", _lang(data))) for key in keys]


def contents(data: ReportData) -> str:
    """The table of contents, with the districts listed under their section."""
    lang = _lang(data)
    items = []
    for anchor, heading in sections(data):
        items.append(f'<li><a href="#{anchor}">{esc(heading)}</a>')
        if anchor == "sec-districts":
            items.append("<ul>" + "".join(
                f'<li><a href="#{district_anchor(data, d)}">'
                f"{esc(district_label(d, lang, data.catalog))}</a></li>"
                for d in _districts(data)) + "</ul>")
        items.append("</li>")
    return (f'<nav class="toc" id="toc"><h2>{esc(label("toc", lang))}</h2>'
            f'<ul class="toc-sections">{"".join(items)}</ul></nav>')


def heading(data: ReportData, key: str) -> str:
    """A top-level section heading with its anchor."""
    return f'<h2 id="sec-{key}">{esc(label(f"sec.{key}", _lang(data)))}</h2>'


def _districts(data: ReportData) -> list[str]:
    present = set(data.table["district"])
    return [d.name for d in data.catalog.districts if d.name in present]


def district_anchor(data: ReportData, name: str) -> str:
    return f"district-{data.catalog.district_by_name[name].order:02d}"


def _num(col: str, lang: str) -> Callable:
    return lambda r: fmt_count(getattr(r, col), lang)


def _pct(col: str, lang: str) -> Callable:
    return lambda r: fmt_percent(None if isnan(getattr(r, col)) else getattr(r, col), lang)


def _common_columns(data: ReportData, with_sources: bool) -> list[Column]:
    lang = _lang(data)
    return [
        Column(label("col.target", lang), _num("target", lang), css="num",
               hover=(lambda r: r.target_source) if with_sources else None),
        Column(label("col.actual", lang), _num("actual", lang), css="num",
               hover=(lambda r: r.actual_source) if with_sources else None),
        Column(label("col.completion", lang), _pct("completion", lang), css="num"),
        Column(label("col.milestone", lang), _pct("milestone", lang), css="num"),
        Column(label("col.gap_pp", lang),
               lambda r: fmt_pp(None if isnan(r.gap_pp) else r.gap_pp, lang), css="num"),
        Column(label("col.status", lang), lambda r: status_label(r.status, lang),
               status=lambda r: r.status),
    ]


def summary_section(data: ReportData) -> str:
    """Section 1: the indicator summary table."""
    lang = _lang(data)
    columns = [Column(label("col.indicator", lang),
                      lambda r: indicator_label(r.indicator, lang, data.catalog)),
               Column(label("col.unit", lang), lambda r: unit_label(r.unit, lang)),
               *_common_columns(data, with_sources=False),
               Column(label("col.districts_lagging", lang), lambda r: str(r.districts_lagging),
                      css="num")]
    note = label("note.milestones", lang).format(serious=f"{data.params.serious_lag_pp:g}")
    return (heading(data, "summary")
            + table(data.summary.itertuples(), columns, "summary-table")
            + f'<p class="note" id="milestone-note">{esc(note)}</p>')


def _img(png: bytes, alt: str, img_id: str) -> str:
    return (f'<img class="chart" id="{esc(img_id)}" alt="{esc(alt)}" '
            f'src="{charts.png_data_uri(png)}"/>')


def charts_section(data: ReportData) -> str:
    """Section 2: the heatmap and one bar chart per indicator with its milestone line."""
    lang = _lang(data)
    parts = [heading(data, "charts"), f"<h3>{esc(label('sec.heatmap', lang))}</h3>",
             _img(charts.completion_heatmap(data), label("sec.heatmap", lang), "chart-heatmap"),
             f"<h3>{esc(label('sec.bars', lang))}</h3>", '<div class="chart-grid">']
    for number, code in enumerate(data.summary["indicator"], start=1):
        name = indicator_label(code, lang, data.catalog)  # the chart carries its own title
        parts.append(_img(charts.indicator_bars(data, code), name, f"chart-bars-{number:02d}"))
    parts.append("</div>")
    return "".join(parts)


def districts_section(data: ReportData) -> str:
    """Section 3: for each district, every indicator and its rank among districts."""
    lang = _lang(data)
    scores = data.scores.set_index("district")
    n_districts = len(_districts(data))
    parts = [heading(data, "districts"), f"<p>{esc(label('app.source_hint', lang))}</p>"]
    ranked = data.table[data.table["completion"].notna()].groupby("indicator").size()
    for name in _districts(data):
        district = data.catalog.district_by_name[name]
        rank = (f"{scores.loc[name, 'rank']}/{n_districts}" if name in scores.index else "—")
        mean = (fmt_percent(scores.loc[name, "mean_completion"], lang)
                if name in scores.index else "—")
        parts.append(
            f'<h3 id="{district_anchor(data, name)}">'
            f"{esc(district_label(name, lang, data.catalog))}</h3>"
            + facts(lang, [("col.group", group_label(district.supervision_group, lang)),
                           ("col.overall_rank", rank), ("col.mean_completion", mean)]))
        rows = data.table[data.table["district"] == name]
        columns = [Column(label("col.indicator", lang),
                          lambda r: indicator_label(r.indicator, lang, data.catalog)),
                   Column(label("col.unit", lang), lambda r: unit_label(r.unit, lang)),
                   *_common_columns(data, with_sources=True),
                   Column(label("col.rank", lang),
                          lambda r: ("—" if isnan(r.rank)
                                     else f"{r.rank}/{ranked.get(r.indicator, 0)}"),
                          css="num")]
        parts.append(table(rows.itertuples(), columns, f"table-{district_anchor(data, name)}"))
    return "".join(parts)


def lagging_section(data: ReportData) -> str:
    """Section 4: items behind their milestone, grouped by supervision group."""
    lang = _lang(data)
    parts = [heading(data, "lagging")]
    items = data.lagging
    if items.empty:
        return parts[0] + f"<p>{esc(label('misc.none_lagging', lang))}</p>"
    for number, (group, part) in enumerate(items.groupby("supervision_group", sort=False), 1):
        members = [d.name for d in data.catalog.districts if d.supervision_group == group]
        names = label("name_sep_text", lang).join(district_label(n, lang, data.catalog)
                                                  for n in members)
        parts.append(f"<h3>{esc(group_label(group, lang))}（{esc(names)}）</h3>")
        columns = [Column(label("col.district", lang),
                          lambda r: district_label(r.district, lang, data.catalog)),
                   Column(label("col.indicator", lang),
                          lambda r: indicator_label(r.indicator, lang, data.catalog)),
                   *_common_columns(data, with_sources=True)]
        parts.append(table(part.itertuples(), columns, f"lagging-group-{number}"))
    return "".join(parts)


def timeline_section(data: ReportData) -> str:
    """Section 5: city completion by reporting date against the milestone path."""
    lang = _lang(data)
    parts = [heading(data, "timeline")]
    if data.timeline.empty:
        return parts[0] + f"<p>{esc(label('misc.no_items', lang))}</p>"
    parts.append(_img(charts.progress_timeline(data), label("chart.timeline_title", lang),
                      "chart-timeline"))
    dates = sorted(set(data.timeline["as_of"]))
    by_key = {(r.indicator, r.as_of): r for r in data.timeline.itertuples()}
    columns = [Column(label("col.indicator", lang),
                      lambda code: indicator_label(code, lang, data.catalog))]
    for day in dates:
        columns.append(Column(
            fmt_month_day(day, lang),
            lambda code, day=day: fmt_percent(by_key[(code, day)].completion, lang),
            css="num",
            hover=lambda code, day=day: (f"{label('col.milestone', lang)} "
                                         f"{fmt_percent(by_key[(code, day)].milestone, lang)}")))
    codes = [c for c in data.summary["indicator"]]
    parts.append(f"<h3>{esc(label('sec.timeline_table', lang))}</h3>")
    parts.append(table(codes, columns, "timeline-table"))
    return "".join(parts)


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{esc(line)}</p>" for line in lines)


def commentary_section(data: ReportData) -> str:
    """Section 6: the written findings, from helpers.commentary."""
    lang = _lang(data)
    parts = [heading(data, "commentary")]
    for key, lines in commentary.all_sections(data).items():
        parts.append(f'<h3 id="commentary-{key}">{esc(label(f"com.{key}", lang))}</h3>')
        if key == "lagging" and len(lines) > 1:
            parts.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>")
        else:
            parts.append(_paragraphs(lines))
        if key == "changes":
            moved = commentary.changes_table(data)
            if not moved.empty:
                previous = label(f"period.{data.previous_period}", lang)
                columns = [Column(label("col.indicator", lang),
                                  lambda r: indicator_label(r.indicator, lang, data.catalog)),
                           Column(label("col.of_period", lang).format(
                                      period=previous, column=label("col.completion", lang)),
                                  _pct("previous", lang), css="num"),
                           Column(label("col.completion", lang), _pct("current", lang),
                                  css="num"),
                           Column(label("col.change_pp", lang),
                                  lambda r: fmt_pp(r.change_pp, lang), css="num"),
                           Column(label("col.of_period", lang).format(
                                      period=previous, column=label("col.status", lang)),
                                  lambda r: status_label(r.previous_status, lang),
                                  status=lambda r: r.previous_status),
                           Column(label("col.status", lang),
                                  lambda r: status_label(r.status, lang),
                                  status=lambda r: r.status)]
                parts.append(table(moved.itertuples(), columns, "changes-table"))
        if key == "year_end":
            carry = commentary.carry_over_table(data)
            if not carry.empty:
                columns = [Column(label("col.district", lang),
                                  lambda r: district_label(r.district, lang, data.catalog)),
                           Column(label("col.indicator", lang),
                                  lambda r: indicator_label(r.indicator, lang, data.catalog)),
                           Column(label("col.unit", lang), lambda r: unit_label(r.unit, lang)),
                           Column(label("col.target", lang), _num("target", lang), css="num"),
                           Column(label("col.actual", lang), _num("actual", lang), css="num"),
                           Column(label("col.remaining", lang), _num("remaining", lang), css="num"),
                           Column(label("col.completion", lang), _pct("completion", lang),
                                  css="num"),
                           Column(label("col.status", lang),
                                  lambda r: status_label(r.status, lang),
                                  status=lambda r: r.status)]
                parts.append(table(carry.itertuples(), columns, "carry-over-table",
                                   caption=label("com.carry_over", lang)))
    return "".join(parts)


def appendix_section(data: ReportData, run_facts: list[tuple[str, str]] | None = None) -> str:
    """Section 7: inputs read, validation warnings, parameters and the run record."""
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
    parts.append(f"<h3>{esc(label('app.warnings', lang))}</h3>")
    if data.warnings:
        warning_columns = [Column(label("col.file", lang), lambda p: p.file),
                           Column(label("col.location", lang), lambda p: p.location),
                           Column(label("col.message", lang),
                                  lambda p: commentary.warning_sentence(p, data),
                                  hover=lambda p: p.message)]
        parts.append(table(data.warnings, warning_columns, "warnings-table"))
    else:
        parts.append(f"<p>{esc(label('misc.no_items', lang))}</p>")
    parts.append(f"<h3>{esc(label('app.parameters', lang))}</h3>")
    param_columns = [Column(label("col.parameter", lang), lambda kv: kv[0]),
                     Column(label("col.value", lang), lambda kv: _plain(kv[1]))]
    parts.append(table(sorted(data.params.as_dict().items()), param_columns, "parameters-table"))
    if run_facts:
        parts.append(f"<h3>{esc(label('app.run', lang))}</h3>")
        parts.append(table(run_facts, param_columns, "run-table"))
    return "".join(parts)


def _plain(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return "" if value is None else str(value)
