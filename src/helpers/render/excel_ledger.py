"""The problem ledger's sheet of the report workbook."""

from __future__ import annotations

from openpyxl.styles import Font

from helpers.metrics.ledger_view import OLDEST_OVERDUE, lagging_links
from helpers.metrics.report_data import ReportData
from helpers.render import excel_cells as xl
from helpers.words.labels import district_label, indicator_label, label, sentence, total_label
from helpers.words.ledger_findings import ledger_sentences, responsible_unit_text, state_text

_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_NOTICE = Font(bold=True, color="C00000")


def write_ledger_sheet(ws, data: ReportData) -> None:
    """The ledger sheet of the report workbook: the sentences, then the district table (with
    the city row), the monthly progress, the oldest overdue items and the lagging links."""
    view, lang, catalog = data.ledger, data.params.lang, data.catalog
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

    district = xl.Column("col.district", "text",
                         lambda r: (total_label(data.params) if r["district"] is None
                                    else district_label(r["district"], lang, catalog)))
    counts = [xl.Column(f"col.ledger_{k}", "count", lambda r, k=k: r[k])
              for k in ("found", "closed", "closed_late", "open", "overdue")]
    rate = xl.Column("col.closure_rate", "percent", lambda r: r["closure_rate"])
    sheet_heading(label("ledger.by_district", lang))
    rows = [*view.districts.to_dict("records"), {"district": None, **view.city}]
    last = xl.write_table(ws, row, [district, *counts, rate], rows, lang)
    first_filter = ws.auto_filter.ref
    for column in range(1, 8):  # the city row in bold
        ws.cell(row=last, column=column).font = _BOLD
    row = last + 1

    sheet_heading(label("ledger.monthly", lang))
    monthly = [xl.Column("col.month_end", "date", lambda r: r["date"]),
               *(xl.Column(f"col.ledger_{k}", "count", lambda r, k=k: r[k])
                 for k in ("found", "new_found", "closed", "new_closed", "open", "overdue")),
               rate]
    row = xl.write_table(ws, row, monthly, view.monthly.to_dict("records"), lang) + 1

    sheet_heading(label("ledger.oldest", lang).format(n=OLDEST_OVERDUE))
    items = [
        xl.Column("col.number", "text", lambda r: r["number"]),
        district,
        xl.Column("col.project", "text", lambda r: r["project"]),
        xl.Column("col.problem", "text", lambda r: r["problem"]),
        xl.Column("col.found_date", "date", lambda r: r["found"]),
        xl.Column("col.ledger_deadline", "date", lambda r: r["deadline"]),
        xl.Column("col.days_overdue", "count", lambda r: r["days_overdue"]),
        xl.Column("col.ledger_state", "text", lambda r: state_text(r["state"], lang)),
        xl.Column("col.responsible_unit", "text", lambda r: responsible_unit_text(r["unit"], lang)),
        xl.Column("col.source", "text", lambda r: r["source"]),
    ]
    row = xl.write_table(ws, row, items, view.overdue.to_dict("records"), lang,
                         empty_text=sentence("ledger.no_overdue", lang)) + 1

    links = lagging_links(data)
    if not links.empty:
        sheet_heading(label("ledger.links", lang))
        xl.write_table(ws, row, [
            district,
            xl.Column("col.indicator", "text",
                      lambda r: indicator_label(r["indicator"], lang, catalog)),
            xl.Column("col.completion", "percent", lambda r: r["completion"]),
            xl.Column("col.status", "status", lambda r: r["status"]),
            xl.Column("col.ledger_items", "count", lambda r: r["ledger_items"]),
            xl.Column("col.first_deadline", "date", lambda r: r["ledger_deadline"]),
            xl.Column("col.responsible_unit", "text",
                      lambda r: responsible_unit_text(r["ledger_unit"], lang)),
        ], links.to_dict("records"), lang)
    # write_table freezes the rows above each table it writes: on a sheet of several tables
    # below the sentences that would pin half a screen, so nothing is frozen; the filter stays
    # on the district table.
    ws.freeze_panes = None
    ws.auto_filter.ref = first_filter
    xl.fit_columns(ws, skip_rows=skip)
