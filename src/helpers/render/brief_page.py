"""A brief as one offline HTML page: one short document per district or supervision group
(helpers.metrics.brief_units cuts its data from the city report's, helpers.words.brief_findings
writes its sentences; helpers.publish.brief_pipeline publishes them)."""

from __future__ import annotations

from helpers.metrics.brief_units import BriefUnit
from helpers.metrics.ledger_view import lagging_with_ledger
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
from helpers.render.page_templates import fragment, render_page, style_sheet, style_text
from helpers.words.brief_findings import (
    city_ranks,
    lagging_sentences,
    overall_sentences,
    rank_sentences,
    unit_name,
)
from helpers.words.labels import (
    district_label,
    document_issuer,
    document_title,
    fmt_date,
    label,
    numbered,
    period_label,
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
    name = period_label(f"brief.sec.{key}", lang, part.params.period)
    return f'<h2 id="sec-{key}">{esc(numbered(number, name, lang))}</h2>'


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
    ranks = city_ranks(part)  # the brief's own rows, with their city ranks
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
            linked = lagging_with_ledger(part)
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


def title_html(title: str) -> str:
    """A brief's title, escaped, that never wraps inside the unit it names: the closing
    （鹿城区） / (Lucheng) is kept on one line."""
    opening = max(title.rfind("（"), title.rfind(" ("))
    if opening <= 0 or not title.endswith(("）", ")")):
        return esc(title)
    return f'{esc(title[:opening])}<span class="nobreak">{esc(title[opening:])}</span>'


def brief_html(part: ReportData, unit: BriefUnit, city: ReportData) -> str:
    """The whole brief as one offline HTML page (every value escaped; nothing loads or runs)."""
    params, lang = part.params, part.params.lang
    names = label("name_sep_text", lang).join(district_label(n, lang, part.catalog)
                                              for n in unit.districts)
    head = [f'<h1 id="top">{title_html(document_title(part))}</h1>', facts(lang, [
        ("head.period", label(f"period.{params.period}", lang)),
        ("misc.report_date", fmt_date(part.report_date, lang)),
        ("misc.data_as_of", fmt_date(part.data_as_of, lang)),
        ("head.scope", names)]),
        facts(lang, [("form.drafting_date", fmt_date(params.drafted_on, lang)),
                     ("form.issuer", document_issuer(params))])]
    head.append(demo_notice_html(part))
    source = label(f"brief.source_note.{unit.by}", lang).format(report=report_title(city.params))
    return render_page("brief.html.j2", lang=lang, title=document_title(part),
                       report_style=fragment(style()), brief_css=fragment(style_text("brief.css")),
                       head=fragment("".join(head)), sections=fragment(brief_sections(part, unit,
                                                                                      city)),
                       source=source)


def briefs_index_html(data: ReportData, units: list[BriefUnit], by: str) -> str:
    """index.html of a briefs folder: every unit with its files."""
    lang = data.params.lang
    title = label("brief.index_title", lang).format(report=report_title(data.params),
                                                   by=label(f"brief.by.{by}", lang))
    files = [(ext, name) for ext, name in (("html", "HTML"), ("pdf", "PDF"), ("xlsx", "Excel"))
             if ext != "pdf" or data.params.pdf]
    rows = [{"name": unit_name(unit, lang, data.catalog), "stem": unit.stem, "files": files,
             "districts": label("name_sep_text", lang).join(
                 district_label(d, lang, data.catalog) for d in unit.districts)}
            for unit in units]
    headers = [label(k, lang) for k in ("brief.col.unit", "brief.col.districts",
                                        "brief.col.files")]
    return render_page("briefs_index.html.j2", lang=lang, title=title,
                       css=fragment(style_sheet("briefs_index.css")), headers=headers,
                       units=rows)


__all__ = ["brief_html", "briefs_index_html"]
