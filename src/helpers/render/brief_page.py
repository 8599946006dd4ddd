"""Briefs: one short document per district or supervision group, for the unit it is sent to.

A brief is cut from the city report's one computation (ReportData): its rows are the city
report's own rows of that unit's districts, its ranks are the city ranks, and a group's
subtotals are the city rules applied to the group's districts (progress_metrics.
indicator_summary). So every figure in a brief is a figure of the city report, and the briefs
of all units add up to it. helpers.publish.brief_pipeline publishes them."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import pandas as pd

from helpers.metrics.checkpoints import checkpoint_summary
from helpers.metrics.ledger_view import for_indicators, ledger_view
from helpers.metrics.progress import indicator_summary, tied
from helpers.metrics.report_data import ReportData, _group_order
from helpers.render.html import (
    Column,
    checkpoint_stage_text,
    demo_notice_html,
    esc,
    facts,
    lagging_columns,
    progress_columns,
    rank_text,
    ranking_columns,
    ranks_mean_something,
    style,
    summary_columns,
    table,
    tiles,
)
from helpers.render.html_ledger import ledger_body
from helpers.words import findings as commentary
from helpers.words.labels import (
    district_label,
    document_issuer,
    fmt_count,
    fmt_date,
    fmt_month_day,
    fmt_percent,
    group_label,
    indicator_label,
    label,
    report_title,
    sentence,
    status_label,
    unit_label,
)

BY = ("district", "group")  # also helpers.publish.index_page.BRIEF_BY
_UNSAFE_IN_NAME = re.compile(r"[^\w]", re.UNICODE)  # \w keeps letters and digits of any script


@dataclass(frozen=True)
class BriefUnit:
    """Who a brief is for: one district, or one supervision group and its districts."""

    by: str  # "district" or "group"
    name: str  # the catalogue's name of the district or group
    stem: str  # the file name without extension: 01-鹿城区, 1-第一组
    districts: tuple[str, ...]  # catalogue order


def file_stem(number: int, name: str) -> str:
    """01-鹿城区: the unit's number and name, reduced to letters and digits (a name from the
    catalogue can never make a path)."""
    clean = _UNSAFE_IN_NAME.sub("", name)[:30]
    return f"{number:02d}-{clean}" if clean else f"{number:02d}"


def brief_units(data: ReportData, by: str) -> list[BriefUnit]:
    """The units of the report's districts, in catalogue (or group) order."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
    names = data.districts
    if by == "district":
        return [BriefUnit(by, name, file_stem(data.catalog.district_by_name[name].order, name),
                          (name,)) for name in names]
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(data.catalog.district_by_name[name].supervision_group, []).append(name)
    ordered = sorted(groups, key=lambda g: (_group_order(g), g))
    return [BriefUnit(by, group, file_stem(number, group), tuple(groups[group]))
            for number, group in enumerate(ordered, start=1)]


def brief_title(params, unit: BriefUnit) -> str:
    """2018年社会养老服务体系建设重点任务上半年进展简报（鹿城区）; with a `title` parameter,
    that title and the unit."""
    lang = params.lang
    name = unit_name(unit, lang, None)
    if params.title:
        return label("brief.title_custom", lang).format(title=params.title, unit=name)
    return label("brief.title", lang).format(
        year=params.year, subject=label("report.subject", lang),
        period=label(f"period.{params.period}", lang), unit=name)


def unit_name(unit: BriefUnit, lang: str, catalog) -> str:
    """The unit as a reader sees it."""
    if unit.by == "group":
        return group_label(unit.name, lang)
    return district_label(unit.name, lang, catalog) if catalog is not None else unit.name


def unit_report_data(data: ReportData, unit: BriefUnit) -> ReportData:
    """The city report's data restricted to the unit's districts: the same rows, city ranks,
    and the unit's own subtotals by the city's rules. Needs the computation's FigureIndex
    (ReportData.figures); the written sections of the city report are left out."""
    if data.figures is None:
        raise ValueError("the report data was built without its figure index")
    keep = set(unit.districts)

    def mine(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        return frame[frame["district"].isin(keep)].reset_index(drop=True)

    params = data.params.replace(districts=list(unit.districts), doc_number=None,
                                 title=brief_title(data.params, unit))
    table_ = mine(data.table)
    summary = indicator_summary(table_, data.catalog, data.report_date, data.params.rules,
                                data.figures)
    previous_table = mine(data.previous_table)
    previous_summary = None
    if previous_table is not None:
        previous_summary = indicator_summary(previous_table, data.catalog,
                                             commentary.previous_date(data), data.params.rules,
                                             data.figures)
    checkpoints = mine(data.checkpoints)
    return dataclasses.replace(
        data, params=params, table=table_, summary=summary, ranking=mine(data.ranking),
        checkpoints=checkpoints, checkpoint_summary=checkpoint_summary(checkpoints,
                                                                       data.report_date),
        forward=mine(data.forward), backtests=data.backtests.iloc[0:0],
        timeline=data.timeline.iloc[0:0], previous_table=previous_table,
        previous_summary=previous_summary,
        ledger=ledger_view(data.ledger_book, data.report_date, list(unit.districts)),
        narrative=None, narrative_left_out=False, ranked_among=data.ranking_size)


# --- the brief as HTML ----------------------------------------------------------------------

def section_keys(part: ReportData, unit: BriefUnit) -> list[str]:
    """The brief's sections, in order (some depend on the period and the data)."""
    keys = ["overall", "indicators", "lagging"]
    if len(part.checkpoints):
        keys.append("checkpoints")
    if part.params.period != "FY" and part.forward["at_risk"].any():
        keys.append("forward")
    if part.ledger is not None:
        keys.append("ledger")
    return keys


def _heading(part: ReportData, number: int, key: str) -> str:
    from helpers.words.labels import numbered

    lang = part.params.lang
    name = f"brief.sec.{key}.fy" if key == "lagging" and part.params.period == "FY" \
        else f"brief.sec.{key}"
    return f'<h2 id="sec-{key}">{esc(numbered(number, label(name, lang), lang))}</h2>'


def overall_sentences(part: ReportData, unit: BriefUnit) -> list[str]:
    """截至6月30日，鹿城区21项指标中，符合进度5项、……: the unit's counts in words, and its
    districts' places in the city ranking."""
    lang = part.params.lang
    if part.data_as_of is None:
        return commentary.overall(part)
    judged = {k: v for k, v in part.counts.items() if k not in ("no_target", "no_data") and v}
    parts = [sentence("part", lang, status=commentary.inline_status(status, lang), n=n)
             for status, n in judged.items()]
    out = [sentence("brief.overall", lang, as_of=fmt_date(part.data_as_of, lang),
                    unit=unit_name(unit, lang, part.catalog), total=sum(judged.values()),
                    parts=sentence("name_sep", lang).join(parts))]
    return out


def rank_sentences(part: ReportData, city_districts: int) -> list[str]:
    """Each district's place in the city ranking, with the figure it was ranked by."""
    lang, method = part.params.lang, part.params.ranking_method
    out = []
    for row in part.ranking.itertuples():
        district = district_label(row.district, lang, part.catalog)
        if pd.isna(row.rank):
            out.append(sentence("brief.rank_none", lang, district=district))
            continue
        out.append(sentence(f"brief.rank.{method}", lang, district=district, n=city_districts,
                            rank=rank_text(row.rank, bool(row.tied), lang),
                            share=fmt_percent(getattr(row, method), lang)))
    return out


def lagging_sentences(part: ReportData) -> list[str]:
    """Per district, every item behind what was due (a brief names them all)."""
    lang = part.params.lang
    items = part.lagging
    if items.empty:
        return [sentence("none_lagging", lang)]
    out = []
    for district, rows in items.groupby("district", sort=False):
        entries = sentence("name_sep", lang).join(commentary.lagging_item(r, part)
                                                  for r in rows.itertuples())
        out.append(sentence("brief.lagging_district", lang, n=len(rows), items=entries,
                            district=district_label(district, lang, part.catalog)))
    return out


def city_ranks(city: ReportData) -> dict[tuple[str, str], str]:
    """(district, indicator) -> its rank among the city's districts as the city report shows
    it (3/12, 3/12（并列）), or — where a rank says nothing."""
    lang = city.params.lang
    shared = tied(city.table)
    ranked = city.table[city.table["rank"].notna()].groupby("indicator").size()
    return {(r.district, r.indicator): (rank_text(r.rank, bool(shared.loc[r.Index]), lang,
                                                  int(ranked.get(r.indicator, 0)))
                                        if ranks_mean_something(r) else "—")
            for r in city.table.itertuples()}


def _district_rows_table(part: ReportData, name: str, ranks: dict, table_id: str) -> str:
    lang = part.params.lang
    rows = part.table[part.table["district"] == name]
    columns = [Column(label("col.indicator", lang),
                      lambda r: indicator_label(r.indicator, lang, part.catalog)),
               Column(label("col.unit", lang), lambda r: unit_label(r.unit, lang)),
               *progress_columns(part, True),
               Column(label("col.rank", lang), lambda r: ranks[(r.district, r.indicator)],
                      css="num")]
    return table(rows.itertuples(), columns, table_id)


def _checkpoint_columns(part: ReportData, unit: BriefUnit) -> list[Column]:
    lang = part.params.lang
    district = [Column(label("col.district", lang),
                       lambda r: district_label(r.district, lang, part.catalog))]
    return [
        *(district if unit.by == "group" else []),
        Column(label("col.indicator", lang),
               lambda r: indicator_label(r.indicator, lang, part.catalog, short=True)),
        Column(label("col.stage", lang), lambda r: checkpoint_stage_text(part, r),
               hover=lambda r: r.note),
        Column(label("col.due_date", lang), lambda r: fmt_month_day(r.due, lang)),
        Column(label("col.required", lang), lambda r: fmt_count(r.required, lang), css="num"),
        Column(label("col.done_by_due", lang), lambda r: fmt_count(r.done_by_due, lang),
               css="num"),
        Column(label("col.done_now", lang), lambda r: fmt_count(r.done_now, lang),
               css="num", hover=lambda r: r.source),
        Column(label("col.status", lang), lambda r: status_label(r.status, lang),
               status=lambda r: r.status),
    ]


def brief_sections(part: ReportData, unit: BriefUnit, city: ReportData) -> str:
    """The numbered sections of the brief."""
    from helpers.render.html import _forward_columns

    lang = part.params.lang
    city_districts = city.ranking_size
    ranks = city_ranks(city)
    out = []
    for number, key in enumerate(section_keys(part, unit), start=1):
        out.append(_heading(part, number, key))
        if key == "overall":
            tiles_label = label(f"brief.tiles.{unit.by}", lang)
            out.append(f'<p class="headline-label">{esc(tiles_label)}</p>'
                       f'<div class="headline" id="headline">'
                       f'{tiles(part.counts, lang, "headline")}</div>')
            lines = overall_sentences(part, unit)
            if unit.by == "district":
                lines += rank_sentences(part, city_districts)
            out.append("".join(f"<p>{esc(s)}</p>" for s in lines))
            out.append(table(part.ranking.itertuples(), ranking_columns(part), "ranking-table"))
            note = label("brief.rank_note", lang).format(n=city_districts)
            out.append(f'<p class="note">{esc(note)}</p>')
        elif key == "indicators":
            if unit.by == "group":
                out.append(table(part.summary.itertuples(), summary_columns(part),
                                 "subtotal-table", caption=label("brief.subtotal", lang)))
                out.append(f'<p class="note">{esc(label("note.city", lang))}</p>')
            for number_in_unit, name in enumerate(unit.districts, start=1):
                if unit.by == "group":
                    out.append(f"<h3>{esc(district_label(name, lang, part.catalog))}</h3>")
                out.append(_district_rows_table(part, name, ranks, f"table-{number_in_unit:02d}"))
        elif key == "lagging":
            out.append("".join(f"<p>{esc(s)}</p>" for s in lagging_sentences(part)))
            linked = for_indicators(part.ledger, part.lagging)
            if not part.lagging.empty:
                out.append(table(linked.itertuples(), _lagging_columns(part, unit),
                                 "lagging-table"))
        elif key == "checkpoints":
            out.append(table(part.checkpoints.itertuples(), _checkpoint_columns(part, unit),
                             "checkpoints-table"))
            out.append(f'<p class="note">{esc(label("note.checkpoints", lang))}</p>')
        elif key == "forward":
            risky = part.forward[part.forward["at_risk"]]
            out.append(table(risky.itertuples(), _forward_columns(part, unit.by == "group"),
                             "forward-risk-table"))
        elif key == "ledger":
            out.append(ledger_body(part, total=label("brief.total_row", lang)
                                   if len(unit.districts) > 1 else None))
    return "".join(out)


def _lagging_columns(part: ReportData, unit: BriefUnit) -> list[Column]:
    """The lagging items with the ledger's earliest 整改限期 and its 责任单位 (when any); the
    district named only in a group's brief."""
    lang = part.params.lang
    columns = lagging_columns(part, True)[0 if unit.by == "group" else 1:]
    if part.ledger is None:
        return columns
    return [*columns,
            Column(label("col.first_deadline", lang),
                   lambda r: fmt_date(r.ledger_deadline, lang) if r.ledger_items else "—"),
            Column(label("col.responsible_unit", lang),
                   lambda r: (r.ledger_unit or label("ledger.unit_unknown", lang))
                   if r.ledger_items else "—")]


BRIEF_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;
max-width:1100px;margin:1.5em auto;padding:0 1.5em;line-height:1.5;color:#111}
h1{font-size:24px;margin:0.3em 0}h2{font-size:19px;margin:1.2em 0 0.4em}h3{font-size:16px}
p{max-width:60em}
@media print{
@page{size:A4;margin:18mm 15mm 20mm 15mm;
@bottom-center{content:"— " counter(page) " —";font-size:10pt;
font-family:"WenQuanYi Micro Hei",sans-serif}}
body{max-width:none;margin:0;padding:0;font-size:10.5pt;font-synthesis:none;
font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif}
table.report-table{width:100%;font-size:9pt}
.report-table th{min-width:2.6em}
.report-table td:first-child:not(.num){min-width:8em}
.report-table thead{display:table-header-group}
.report-table tr{break-inside:avoid}
.report-table th{position:static}
.report-table td.num,.report-table td[class*="status-"]{white-space:nowrap;width:1%}
.report-table td[title]{text-decoration:none}
h1,h2,h3{break-after:avoid-page}
.headline,.demo-notice{break-inside:avoid}
a{color:inherit;text-decoration:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def brief_html(part: ReportData, unit: BriefUnit, city: ReportData) -> str:
    """The whole brief as one offline HTML page (every value escaped; nothing loads or runs)."""
    params, lang = part.params, part.params.lang
    names = label("name_sep_text", lang).join(district_label(n, lang, part.catalog)
                                              for n in unit.districts)
    head = [f'<h1 id="top">{esc(report_title(params))}</h1>', facts(lang, [
        ("head.period", label(f"period.{params.period}", lang)),
        ("misc.report_date", fmt_date(part.report_date, lang)),
        ("misc.data_as_of", fmt_date(part.data_as_of, lang)),
        ("head.scope", names)]),
        facts(lang, [("form.drafting_date", fmt_date(params.drafted_on, lang)),
                     ("form.issuer", document_issuer(params))])]
    head.append(demo_notice_html(part))
    source = label(f"brief.source_note.{unit.by}", lang).format(report=report_title(city.params))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # the page loads and runs nothing: text from the inputs is escaped, and this policy
        # stops whatever escaping might miss
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{esc(report_title(params))}</title>{style()}<style>{BRIEF_CSS}</style>"
        "</head><body>" + "".join(head)
        + brief_sections(part, unit, city)
        + f'<p class="note" id="source-note">{esc(source)}</p>'
        + "</body></html>\n")


def brief_rows(part: ReportData, unit: BriefUnit) -> pd.DataFrame:
    """tables/unit_indicator.csv's rows of one unit: its subtotal per indicator as judged by
    the city rules (a district's own row when the unit is a district)."""
    frame = part.summary[["indicator", "kind", "unit", "target", "actual", "denominator",
                          "completion", "stage", "judged_actual", "due_units", "shortfall",
                          "status", "district_shortfall"]].copy()
    frame.insert(0, "brief", unit.name)
    return frame


__all__ = ["BY", "BriefUnit", "brief_html", "brief_rows", "brief_title", "brief_units",
           "file_stem", "unit_report_data"]
