"""The problem ledger's sheet of the report workbook."""

from __future__ import annotations

from openpyxl.styles import Font

from helpers.metrics.ledger_view import lagging_links
from helpers.metrics.report_data import ReportData
from helpers.render import excel_cells as xl
from helpers.render.ledger_columns import (
    ledger_district_columns,
    ledger_district_rows,
    ledger_item_columns,
    ledger_link_columns,
    ledger_monthly_columns,
)
from helpers.words.labels import label, period_label, sentence, total_label
from helpers.words.ledger_findings import ledger_sentences, overdue_caption

_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_NOTICE = Font(bold=True, color="C00000")


def write_ledger_sheet(ws, data: ReportData) -> None:
    """The ledger sheet of the report workbook: the sentences, then the district table (with
    the city row), the monthly progress, the oldest overdue items and the lagging links."""
    view, lang = data.ledger, data.params.lang
    xl.write_text(ws, 1, 1, label("sec.ledger", lang)).font = _TITLE
    xl.write_text(ws, 2, 1, label("ledger.as_of", lang))
    xl.write_date(ws, 2, 2, view.as_of)
    xl.write_text(ws, 2, 3, label("ledger.counted_at", lang))
    xl.write_date(ws, 2, 4, view.date)
    row = 3
    skip = [1]
    notes = [label("ledger.sample_notice", lang)] if view.is_sample else []
    for text in [*notes, *ledger_sentences(data), label("ledger.masking_note", lang)]:
        cell = xl.write_text(ws, row, 1, text)
        if view.is_sample and text == notes[0]:
            cell.font = _NOTICE
        skip.append(row)
        row += 1

    def sheet_heading(text: str) -> None:
        nonlocal row
        row += 1
        xl.write_text(ws, row, 1, text).font = _BOLD
        skip.append(row)
        row += 1

    sheet_heading(label("ledger.by_district", lang))
    last = xl.write_table(ws, row, ledger_district_columns(data, total_label(data.params)),
                          ledger_district_rows(data, total_label(data.params)), lang)
    first_filter = ws.auto_filter.ref
    for column in range(1, 8):  # the city row in bold
        ws.cell(row=last, column=column).font = _BOLD
    row = last + 1

    sheet_heading(label("ledger.monthly", lang))
    row = xl.write_table(ws, row, ledger_monthly_columns(data),
                         list(view.monthly.itertuples(index=False)), lang) + 1

    sheet_heading(overdue_caption(data))
    row = xl.write_table(ws, row, ledger_item_columns(data, workbook=True),
                         list(view.overdue.itertuples(index=False)), lang,
                         empty_text=sentence("ledger.no_overdue", lang)) + 1

    links = lagging_links(data)
    if not links.empty:
        sheet_heading(period_label("ledger.links", lang, data.params.period))
        xl.write_table(ws, row, ledger_link_columns(data), list(links.itertuples(index=False)),
                       lang)
    # write_table freezes the rows above each table it writes: on a sheet of several tables
    # below the sentences that would pin half a screen, so nothing is frozen; the filter stays
    # on the district table.
    ws.freeze_panes = None
    ws.auto_filter.ref = first_filter
    xl.fit_columns(ws, skip_rows=skip)
