"""The problem ledger's section of the HTML report, from ReportData.ledger
(helpers.metrics.ledger_view.LedgerView) and its words (helpers.words.ledger_findings). Only
masked data reaches here: units instead of people, phone numbers masked."""

from __future__ import annotations

from helpers.metrics.ledger_view import OLDEST_OVERDUE, lagging_links
from helpers.metrics.report_data import ReportData
from helpers.render.html import Column, esc, facts, heading, table
from helpers.words.labels import (
    district_label,
    fmt_count,
    fmt_date,
    fmt_month_day,
    fmt_percent,
    indicator_label,
    label,
    sentence,
    status_label,
    total_label,
)
from helpers.words.ledger_findings import ledger_sentences, responsible_unit_text, state_text

# --- HTML -----------------------------------------------------------------------------------

def _count(name: str, lang: str):
    return lambda r: fmt_count(r[name], lang)


def ledger_section(data: ReportData) -> str:
    """The ledger section of the HTML report ('' when the year has no ledger)."""
    if data.ledger is None:
        return ""
    return heading(data, "ledger") + ledger_body(data, total_label(data.params))


def ledger_body(data: ReportData, total: str | None) -> str:
    """The ledger section under its heading: dates, sentences, the district table (with a last
    row `total` unless None), the month-by-month progress, the oldest overdue items and the
    lagging links ('' when the year has no ledger)."""
    view, lang = data.ledger, data.params.lang
    if view is None:
        return ""
    parts = [facts(lang, [("ledger.as_of", fmt_date(view.as_of, lang)),
                          ("ledger.counted_at", fmt_date(view.date, lang))])]
    if view.is_sample:
        parts.append(f'<p class="demo-notice" id="ledger-sample-notice">'
                     f'{esc(label("ledger.sample_notice", lang))}</p>')
    parts.append("".join(f"<p>{esc(s)}</p>" for s in ledger_sentences(data)))

    rows = ledger_district_rows(data, total)
    columns = district_columns(data, total)
    parts.append(f"<h3>{esc(label('ledger.by_district', lang))}</h3>")
    parts.append(table(rows, columns, "ledger-districts"))

    monthly = [
        Column(label("col.month_end", lang), lambda r: fmt_month_day(r["date"], lang)),
        Column(label("col.ledger_found", lang), _count("found", lang), css="num"),
        Column(label("col.ledger_new_found", lang), _count("new_found", lang), css="num"),
        Column(label("col.ledger_closed", lang), _count("closed", lang), css="num"),
        Column(label("col.ledger_new_closed", lang), _count("new_closed", lang), css="num"),
        Column(label("col.ledger_open", lang), _count("open", lang), css="num"),
        Column(label("col.ledger_overdue", lang), _count("overdue", lang), css="num"),
        Column(label("col.closure_rate", lang),
               lambda r: fmt_percent(r["closure_rate"], lang), css="num"),
    ]
    parts.append(f"<h3>{esc(label('ledger.monthly', lang))}</h3>")
    parts.append(table(view.monthly.to_dict("records"), monthly, "ledger-monthly"))

    parts.append(f"<h3>{esc(label('ledger.oldest', lang).format(n=OLDEST_OVERDUE))}</h3>")
    if view.overdue.empty:
        parts.append(f"<p>{esc(sentence('ledger.no_overdue', lang))}</p>")
    else:
        parts.append(table(view.overdue.to_dict("records"), item_columns(data),
                           "ledger-overdue"))

    links = lagging_links(data)
    if not links.empty:
        parts.append(f"<h3>{esc(label('ledger.links', lang))}</h3>")
        parts.append(table(links.to_dict("records"), link_columns(data), "ledger-links"))
    parts.append(f'<p class="note">{esc(label("ledger.masking_note", lang))}</p>')
    return "".join(parts)


def ledger_district_rows(data: ReportData, total: str | None) -> list[dict]:
    """The district table's rows: one per district, then the total (unless `total` is None)."""
    view = data.ledger
    return [*view.districts.to_dict("records"),
            *([{"district": None, **view.city}] if total is not None else [])]


def district_columns(data: ReportData, total: str | None) -> list[Column]:
    """The district table's columns (also report.docx's): found, closed, closed late, open,
    overdue, closure rate."""
    lang, catalog = data.params.lang, data.catalog
    return [
        Column(label("col.district", lang),
               lambda r: (total if r["district"] is None
                          else district_label(r["district"], lang, catalog))),
        Column(label("col.ledger_found", lang), _count("found", lang), css="num"),
        Column(label("col.ledger_closed", lang), _count("closed", lang), css="num"),
        Column(label("col.ledger_closed_late", lang), _count("closed_late", lang), css="num"),
        Column(label("col.ledger_open", lang), _count("open", lang), css="num"),
        Column(label("col.ledger_overdue", lang), _count("overdue", lang), css="num",
               emphasis=lambda r: bool(r["overdue"])),
        Column(label("col.closure_rate", lang),
               lambda r: fmt_percent(r["closure_rate"], lang), css="num"),
    ]


def item_columns(data: ReportData) -> list[Column]:
    """The columns of a table of ledger items (also report.docx's)."""
    lang, catalog = data.params.lang, data.catalog
    return [
        Column(label("col.number", lang), lambda r: r["number"], hover=lambda r: r["source"]),
        Column(label("col.district", lang),
               lambda r: district_label(r["district"], lang, catalog)),
        Column(label("col.project", lang), lambda r: r["project"]),
        Column(label("col.problem", lang), lambda r: r["problem"]),
        Column(label("col.found_date", lang), lambda r: fmt_date(r["found"], lang)),
        Column(label("col.ledger_deadline", lang), lambda r: fmt_date(r["deadline"], lang)),
        Column(label("col.days_overdue", lang), _count("days_overdue", lang), css="num"),
        Column(label("col.ledger_state", lang), lambda r: state_text(r["state"], lang)),
        Column(label("col.responsible_unit", lang),
               lambda r: responsible_unit_text(r["unit"], lang)),
    ]


def link_columns(data: ReportData) -> list[Column]:
    """The columns of the table of lagging items with open ledger items (also report.docx's)."""
    lang, catalog = data.params.lang, data.catalog
    return [
        Column(label("col.district", lang),
               lambda r: district_label(r["district"], lang, catalog)),
        Column(label("col.indicator", lang),
               lambda r: indicator_label(r["indicator"], lang, catalog)),
        Column(label("col.completion", lang), lambda r: fmt_percent(r["completion"], lang),
               css="num"),
        Column(label("col.status", lang), lambda r: status_label(r["status"], lang),
               status=lambda r: r["status"]),
        Column(label("col.ledger_items", lang), _count("ledger_items", lang), css="num"),
        Column(label("col.first_deadline", lang),
               lambda r: fmt_date(r["ledger_deadline"], lang)),
        Column(label("col.responsible_unit", lang),
               lambda r: responsible_unit_text(r["ledger_unit"], lang)),
    ]


# --- Excel ----------------------------------------------------------------------------------


__all__ = ["ledger_body", "ledger_section"]
