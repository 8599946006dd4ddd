"""A brief as one offline HTML page: one short document per district or supervision group
(helpers.metrics.brief_units cuts its data from the city report's, helpers.words.brief_findings
writes its sentences; helpers.publish.brief_pipeline publishes them)."""

from __future__ import annotations

from helpers.metrics.brief_units import BriefUnit
from helpers.metrics.ledger_view import for_indicators
from helpers.metrics.report_data import ReportData
from helpers.render.columns import (
    Column,
    district_checkpoint_columns,
    forward_columns,
    indicator_row_columns,
    lagging_columns,
    ranking_columns,
    summary_columns,
)
from helpers.render.html_ledger import ledger_body
from helpers.render.html_page import demo_notice_html, facts, style, tiles
from helpers.render.html_table import esc, table
from helpers.words.brief_findings import (
    city_ranks,
    lagging_sentences,
    overall_sentences,
    rank_sentences,
)
from helpers.words.labels import (
    district_label,
    document_issuer,
    fmt_date,
    label,
    numbered,
    report_title,
)

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
    lang = part.params.lang
    name = f"brief.sec.{key}.fy" if key == "lagging" and part.params.period == "FY" \
        else f"brief.sec.{key}"
    return f'<h2 id="sec-{key}">{esc(numbered(number, label(name, lang), lang))}</h2>'


def _district_rows_table(part: ReportData, name: str, ranks: dict, table_id: str) -> str:
    lang = part.params.lang
    rows = part.table[part.table["district"] == name]
    columns = [*indicator_row_columns(part, with_sources=True),
               Column(label("col.rank", lang), lambda r: ranks[(r.district, r.indicator)],
                      css="num")]
    return table(rows.itertuples(), columns, table_id)


def brief_sections(part: ReportData, unit: BriefUnit, city: ReportData) -> str:
    """The numbered sections of the brief."""
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
            out.append(table(part.checkpoints.itertuples(),
                             district_checkpoint_columns(part, unit.by == "group"),
                             "checkpoints-table"))
            out.append(f'<p class="note">{esc(label("note.checkpoints", lang))}</p>')
        elif key == "forward":
            risky = part.forward[part.forward["at_risk"]]
            out.append(table(risky.itertuples(), forward_columns(part, unit.by == "group"),
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


__all__ = ["brief_html"]
