"""The report page's sections, each an HTML fragment rendered from the report data, its words
and its table columns (helpers.render.columns); every value is escaped by helpers.render.html_table
and every text a reader sees comes from helpers.words."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.core.statuses import STATUSES
from helpers.metrics import derived_tables
from helpers.metrics.ledger_view import lagging_with_ledger
from helpers.metrics.progress import isnan
from helpers.metrics.report_data import ReportData
from helpers.metrics.table_views import (
    by_group,
    largest_shortfalls,
)
from helpers.render import chart_data, svg_charts
from helpers.render.columns import (
    Column,
    changes_columns,
    checkpoint_columns,
    checkpoint_stage_text,
    district_label_of,
    district_rank_column,
    forward_columns,
    indicator_column,
    indicator_label_of,
    lagging_columns,
    progress_columns,
    ranking_columns,
    shares_columns,
    summary_columns,
    unit_column,
)
from helpers.render.html_page import (
    LONG_LIST_SHOWN,
    district_anchor,
    facts,
    heading,
    is_large,
    note,
    section_keys,
)
from helpers.render.html_table import compact_style, esc, table
from helpers.render.ledger_columns import ledger_link_column
from helpers.render.plan_columns import plan_target_columns
from helpers.render.year_columns import year_on_year_columns
from helpers.words.findings_over_time import warning_sentence
from helpers.words.formats import rank_text
from helpers.words.labels import (
    fmt_count,
    fmt_date,
    fmt_decimal,
    fmt_month_day,
    fmt_percent,
    group_label,
    label,
    location_text,
    status_label,
)
from helpers.words.report_notes import (
    city_note,
    forward_note,
    ranking_note,
    report_facts,
    rules_note,
)


def summary_section(data: ReportData) -> str:
    """附件1: the indicator summary at city level, the rules, the share indicators, the
    completion heatmap and the data-quality notes."""
    lang = data.params.lang
    rows = data.summary[data.summary["kind"] != "share"]
    parts = [heading(data, "summary"),
             *(f'<p class="note report-facts">{esc(line)}</p>' for line in report_facts(data))]
    if len(data.plan_targets):  # the plan's own targets first, beside the allocation's
        parts += [table(data.plan_targets.itertuples(), plan_target_columns(data),
                        "plan-targets-table", caption=label("sec.plan_targets", lang)),
                  note(label("note.plan_targets", lang), "plan-targets-note")]
    parts += [table(rows.itertuples(), summary_columns(data), "summary-table"),
             note(city_note(data), "city-note"), note(rules_note(data), "milestone-note")]
    shares = data.summary[data.summary["kind"] == "share"]
    if len(shares):
        parts += [f'<h3 id="sec-shares">{esc(label("sec.shares", lang))}</h3>',
                  table(shares.itertuples(), shares_columns(data), "shares-table"),
                  note(label("note.shares", lang), "shares-note")]
    parts += [f"<h3>{esc(label('chart.heatmap_title', lang))}</h3>",
              _img(svg_charts.heatmap_svg(data), label("sec.heatmap", lang), "chart-heatmap")]
    if not chart_data.shows_every_district(data):
        text = label("chart.heatmap_subset", lang).format(
            total=len(set(data.table["district"])), shown=chart_data.HEATMAP_SHOWN)
        parts.append(f'<p class="note">{esc(text)}</p>')
    parts.append(f'<h3 id="data-quality">{esc(label("com.data_quality", lang))}</h3>'
                 + "".join(f'<p class="note">{esc(line)}</p>'
                           for line in data.findings["data_quality"]))
    return "".join(parts)


def ranking_section(data: ReportData) -> str:
    """The 通报: every district ranked by the stated method."""
    return (heading(data, "ranking")
            + (compact_style(ranking_columns(data), "compact-ranking") if is_large(data)
               else "")
            + table(data.ranking.itertuples(), ranking_columns(data), "ranking-table",
                    compact="compact-ranking" if is_large(data) else "")
            + note(ranking_note(data), "ranking-note"))


def checkpoints_section(data: ReportData) -> str:
    """Every dated requirement: units and districts on time, late, overdue, not yet due; then
    a district x checkpoint matrix (done / required, coloured by status)."""
    if "checkpoints" not in section_keys(data):
        return ""
    lang = data.params.lang
    parts: list[str] = [heading(data, "checkpoints"),
             table(data.checkpoint_summary.itertuples(), checkpoint_columns(data),
                   "checkpoints-table"),
             note(label("note.checkpoints", lang), "checkpoints-note"),
             # the district x requirement view is the page's: the document has the table
             f'<div class="screen-only"><h3>{esc(label("sec.checkpoint_matrix", lang))}</h3>'
             f'{checkpoint_matrix(data)}</div>']
    return "".join(parts)


def checkpoint_matrix(data: ReportData) -> str:
    """Districts (rows) x checkpoints (columns): done / required, coloured by status, with the
    status and the raw cell on hover."""
    lang = data.params.lang
    keys = list(data.checkpoint_summary.itertuples())
    cells = {(r.district, r.indicator, r.stage, r.due): r for r in data.checkpoints.itertuples()}
    columns = [Column(label("col.district", lang), lambda d: district_label_of(data, d))]
    for key in keys:
        header = (f"{indicator_label_of(data, key.indicator, short=True)} "
                  f"{checkpoint_stage_text(data, key)}（{fmt_month_day(key.due, lang)}）"
                  if lang == "zh" else
                  f"{indicator_label_of(data, key.indicator, short=True)}: "
                  f"{checkpoint_stage_text(data, key)} "
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
    found = set(data.checkpoints["status"].unique())  # once, not once per status
    present = [st for st in STATUSES if st in found]
    legend = (f'<p class="note" id="matrix-legend">{esc(label("legend.matrix", lang))}'
              + "　".join(f'<span class="status-{st}">&nbsp;{esc(status_label(st, lang))}&nbsp;'
                         "</span>" for st in present) + "</p>")
    return table(data.districts, columns, "checkpoint-matrix",
                 compact="compact-matrix" if is_large(data) else "").replace(
        'class="report-table', 'class="report-table matrix', 1) + legend


def forward_section(data: ReportData) -> str:
    """The page's appendix, before the year end: every district item at risk of missing its
    target (the city's forward look is in the 附件 of progress over time)."""
    if "forward" not in section_keys(data):
        return ""
    lang = data.params.lang
    parts = [heading(data, "forward"), note(forward_note(data), "forward-note")]
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
        parts.append(table(risky.itertuples(), forward_columns(data, True),
                           "forward-risk-table", caption=caption))
    return _screen_only(parts)


def _screen_only(parts: list[str]) -> str:
    """A section of the page's own appendix: shown on screen, not printed in report.pdf (the
    document sent has the 附件 only)."""
    return '<div class="screen-only">' + "".join(parts) + "</div>"


def backtest_section(data: ReportData) -> str:
    """Year end, in the appendix: how the forward looks of the year's earlier reports fared."""
    if not len(data.backtests):
        return ""
    lang = data.params.lang
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
            + note(forward_note(data), "backtest-note")
            + table(data.backtests.itertuples(), columns, "backtest-table"))


def _img(svg: str, alt: str, img_id: str) -> str:
    return (f'<img class="chart" id="{esc(img_id)}" alt="{esc(alt)}" '
            f'src="{svg_charts.svg_data_uri(svg)}"/>')


def charts_section(data: ReportData) -> str:
    """One bar chart per indicator with its requirement line (beyond chart_data.CHART_ALL_MAX
    districts: the districts ranked last, the lowest and highest); the heatmap is in 附件1."""
    lang = data.params.lang
    total = len(set(data.table["district"]))
    parts = [heading(data, "charts"), f"<h3>{esc(label('sec.bars', lang))}</h3>"]
    if not chart_data.shows_every_district(data):
        text = label("chart.bars_subset", lang).format(total=total,
                                                       each=chart_data.BARS_SHOWN_EACH_END)
        parts.append(f'<p class="note">{esc(text)}</p>')
    parts.append('<div class="chart-grid">')
    for number, code in enumerate(chart_data.charted_indicators(data), start=1):
        parts.append(_img(svg_charts.bars_svg(data, code), indicator_label_of(data, code),
                          f"chart-bars-{number:02d}"))
    parts.append("</div>")
    return _screen_only(parts)


def districts_section(data: ReportData) -> str:
    """For each district, every indicator, what was due and its rank among districts."""
    lang = data.params.lang
    standings = {r.district: r for r in data.ranking.itertuples()}
    n_districts = data.ranking_size
    collapsed = is_large(data)
    sheet = label("sheet.data", lang)
    if collapsed:
        hints = f'<p>{esc(label("app.source_hint_large", lang).format(sheet=sheet))}</p>'
    else:  # hovering is for the screen; on paper the sources are named where they are
        hints = (f'<p class="screen-only">{esc(label("app.source_hint", lang))}</p>'
                 '<p class="print-only">'
                 f'{esc(label("app.source_hint_print", lang).format(sheet=sheet))}</p>')
    parts = [heading(data, "districts"), hints]
    names = data.districts
    if collapsed:
        parts.append(f'<p class="note">{esc(label("misc.districts_collapsed", lang))}</p>')
    rows_by_district: dict[str, list] = {}
    for row in data.table_rows:
        rows_by_district.setdefault(row.district, []).append(row)
    columns = [indicator_column(data, short=collapsed), unit_column(data),
               *progress_columns(data, not collapsed),
               district_rank_column(data)]
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
            parts.append(f'<details class="district"><summary>{esc(district_label_of(data, name))}'
                         f'{label("sep.colon", lang)}'
                         f'{esc(label("col.overall_rank", lang))} {esc(rank)}'
                         f'{label("sep.comma", lang)}'
                         f'{esc(label("col.on_track_share", lang))} {esc(share)}</summary>'
                         f'<div id="{district_anchor(data, name)}">{about}')
        else:
            parts.append(f'<h3 id="{district_anchor(data, name)}">'
                         f'{esc(district_label_of(data, name))}</h3>{about}')
        rows = rows_by_district.get(name, [])
        parts.append(table(rows, columns, f"table-{district_anchor(data, name)}",
                           compact=compact))
        if collapsed:
            parts.append("</div></details>")
    return _screen_only(parts)


def lagging_section(data: ReportData) -> str:
    """Items behind what was due, grouped by supervision group."""
    lang = data.params.lang
    parts = [heading(data, "lagging")]
    items = data.lagging
    if items.empty:
        return parts[0] + f"<p>{esc(label('misc.none_lagging', lang))}</p>"
    large = is_large(data)
    columns = lagging_columns(data, not large)
    if data.ledger is not None:  # the links to the ledger: in this one list of the items
        columns.append(ledger_link_column(data))
    items = lagging_with_ledger(data)
    groups = list(items.groupby("supervision_group", sort=False))
    if large:
        shown_each = max(1, LONG_LIST_SHOWN // len(groups))
        parts.append(note(label("note.lagging_large", lang).format(
            n=len(items), shown=shown_each, sheet=label("sheet.lagging", lang)),
            "lagging-note"))
    for number, (group, part) in enumerate(groups, 1):
        members = [d.name for d in data.catalog.districts if d.supervision_group == group]
        if large:  # the group's most serious items; every item is in its district's detail
            heading_text = label("sec.lagging_group_large", lang).format(
                group=group_label(group, lang), districts=len(members), n=len(part))
            part = largest_shortfalls(part, shown_each, [i.code for i in data.catalog.tracked])
        else:
            names = label("name_sep_text", lang).join(district_label_of(data, n) for n in members)
            heading_text = f"{group_label(group, lang)}（{names}）"
        parts.append(f"<h3>{esc(heading_text)}</h3>")
        parts.append(table(part.itertuples(), columns, f"lagging-group-{number}"))
    return "".join(parts)


def timeline_section(data: ReportData) -> str:
    """City completion by reporting date against the milestone path; before the year end, the
    city's forward look per indicator."""
    lang = data.params.lang
    parts = [heading(data, "timeline")]
    if data.timeline.empty:
        return parts[0] + f"<p>{esc(label('misc.no_items', lang))}</p>"
    parts.append(_img(svg_charts.timeline_svg(data), label("chart.timeline_title", lang),
                      "chart-timeline"))
    dates = sorted(set(data.timeline["as_of"]))
    by_key = {(r.indicator, r.as_of): r for r in data.timeline.itertuples()}
    columns = [Column(label("col.indicator", lang), lambda code: indicator_label_of(data, code))]
    for day in dates:
        columns.append(Column(
            fmt_month_day(day, lang),
            lambda code, day=day: fmt_percent(by_key[(code, day)].completion, lang),
            css="num",
            hover=lambda code, day=day: (f"{label('col.milestone', lang)} "
                                         f"{fmt_percent(by_key[(code, day)].milestone, lang)}")))
    codes = list(dict.fromkeys(data.timeline["indicator"]))
    # the figures behind the chart, by reporting date: the page's (too wide to print)
    parts.append(f'<div class="screen-only"><h3>{esc(label("sec.timeline_table", lang))}</h3>'
                 f'{table(codes, columns, "timeline-table")}</div>')
    if data.params.period != "FY":  # the city's forward look: the document has it too
        parts += [f"<h3>{esc(label('sec.forward_city', lang))}</h3>",
                  note(forward_note(data), "forward-city-note"),
                  table(derived_tables.city_forward(data).itertuples(),
                        forward_columns(data, False), "forward-city-table")]
    return "".join(parts)


def changes_section(data: ReportData) -> str:
    """Each indicator's completion and status now and at the previous report; at year end,
    beside the previous year (比上年) when its data are there."""
    if "changes" not in section_keys(data):
        return ""
    lang = data.params.lang
    moved = derived_tables.changes_table(data)
    parts = [heading(data, "changes")]
    if len(moved):
        parts.append(table(moved.itertuples(), changes_columns(data), "changes-table"))
    city = data.year_on_year[data.year_on_year["district"] == ""]
    if len(city):  # 比上年: the city's; every district's in report.xlsx
        parts += [table(city.itertuples(), year_on_year_columns(data), "year-on-year-table",
                        caption=label("sec.year_on_year", lang)),
                  note(label("note.year_on_year", lang), "year-on-year-note")]
    return "".join(parts)


def appendix_section(data: ReportData, run_facts: list[tuple[str, str]] | None = None) -> str:
    """Inputs read, validation warnings, parameters and the run record."""
    lang = data.params.lang
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
                                  lambda p: warning_sentence(p, data),
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
    # the run's record is for the reviewers and auditors of the page, not the document sent:
    # not printed in report.pdf (report.xlsx's About sheet and the manifest keep it)
    return '<div class="screen-only" id="run-record">' + "".join(parts) + "</div>"


def _plain(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return "" if value is None else str(value)


SECTION_RENDERERS: dict[str, Callable[[ReportData], str]] = {
    "summary": summary_section, "ranking": ranking_section,
    "checkpoints": checkpoints_section, "lagging": lagging_section,
    "timeline": timeline_section, "changes": changes_section,
    "charts": charts_section, "districts": districts_section, "forward": forward_section,
}
