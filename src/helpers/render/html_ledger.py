"""The problem ledger's section of the HTML report, from ReportData.ledger
(helpers.metrics.ledger_view.LedgerView) and its words (helpers.words.ledger_findings). Only
masked data reaches here: units instead of people, phone numbers masked."""

from __future__ import annotations

from helpers.metrics.ledger_view import lagging_links
from helpers.metrics.report_data import ReportData
from helpers.render.html_page import facts, heading
from helpers.render.html_table import esc, table
from helpers.render.ledger_columns import (
    ledger_district_columns,
    ledger_district_rows,
    ledger_item_columns,
    ledger_link_columns,
    ledger_monthly_columns,
)
from helpers.words.labels import (
    fmt_date,
    label,
    period_label,
    sentence,
    total_label,
)
from helpers.words.ledger_findings import ledger_sentences, overdue_caption

# --- HTML -----------------------------------------------------------------------------------

def ledger_section(data: ReportData) -> str:
    """The ledger section of the HTML report ('' when the year has no ledger)."""
    if data.ledger is None:
        return ""
    # its sentences are in the main text, its links to lagging items in their 附件
    return heading(data, "ledger") + ledger_body(data, total_label(data.params), annex=True)


def ledger_body(data: ReportData, total: str | None, annex: bool = False) -> str:
    """The ledger section under its heading: dates, sentences, the district table (with a last
    row `total` unless None), the month-by-month progress, the oldest overdue items and the
    lagging links ('' when the year has no ledger); as the report's 附件, the tables only."""
    view, lang = data.ledger, data.params.lang
    if view is None:
        return ""
    parts = [facts(lang, [("ledger.as_of", fmt_date(view.as_of, lang)),
                          ("ledger.counted_at", fmt_date(view.date, lang))])]
    if view.is_sample:
        parts.append(f'<p class="demo-notice" id="ledger-sample-notice">'
                     f'{esc(label("ledger.sample_notice", lang))}</p>')
    if not annex:
        parts.append("".join(f"<p>{esc(s)}</p>" for s in ledger_sentences(data)))

    parts.append(f"<h3>{esc(label('ledger.by_district', lang))}</h3>")
    parts.append(table(ledger_district_rows(data, total), ledger_district_columns(data, total),
                       "ledger-districts"))
    monthly = (f"<h3>{esc(label('ledger.monthly', lang))}</h3>"
               + table(view.monthly.itertuples(index=False), ledger_monthly_columns(data),
                       "ledger-monthly"))
    # the month-by-month figures are the page's; the document sent has the totals
    parts.append(f'<div class="screen-only">{monthly}</div>' if annex else monthly)

    parts.append(f"<h3>{esc(overdue_caption(data))}</h3>")
    if view.overdue.empty:
        parts.append(f"<p>{esc(sentence('ledger.no_overdue', lang))}</p>")
    else:
        parts.append(table(view.overdue.itertuples(index=False), ledger_item_columns(data),
                           "ledger-overdue"))

    links = lagging_links(data)
    if not links.empty and not annex:
        parts.append(f"<h3>{esc(period_label('ledger.links', lang, data.params.period))}</h3>")
        parts.append(table(links.itertuples(index=False), ledger_link_columns(data),
                           "ledger-links"))
    parts.append(f'<p class="note">{esc(label("ledger.masking_note", lang))}</p>')
    return "".join(parts)


__all__ = ["ledger_body", "ledger_section"]
