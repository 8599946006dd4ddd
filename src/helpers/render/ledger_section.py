"""The problem ledger in the report: sentences in the bureau's voice, the HTML section and the
Excel sheet, all from ReportData.ledger (helpers.ingest.ledger_book.LedgerView). Only masked data
reaches
here: units instead of people, phone numbers masked."""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Font

from helpers.ingest.ledger_book import OLDEST_OVERDUE, for_indicators
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

TOP_DISTRICTS = 3  # a sentence names at most this many districts and counts the rest
_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_NOTICE = Font(bold=True, color="C00000")


def lagging_links(data: ReportData) -> pd.DataFrame:
    """The report's lagging items that have unclosed ledger items, with the earliest 整改限期
    and its 责任单位 (helpers.ingest.ledger_book.for_indicators)."""
    linked = for_indicators(data.ledger, data.lagging)
    return linked[linked["ledger_items"] > 0].reset_index(drop=True)


def _unit(text: str, lang: str) -> str:
    return text or label("ledger.unit_unknown", lang)


def _state(code: str, lang: str) -> str:
    return label(f"ledger.state.{code}", lang)


def ledger_sentences(data: ReportData) -> list[str]:
    """What the ledger says at the report date, in the voice of seed 003: totals, where the
    overdue problems are (the three districts with most, the rest counted), the longest
    overdue, late closures, the last month's progress and the links to lagging indicators."""
    view, lang = data.ledger, data.params.lang
    if view is None:
        return []
    city = view.city
    date = fmt_date(view.date, lang)
    if city["found"] == 0:
        return [sentence("ledger.none", lang, date=date)]
    key = ("ledger.overall_all_closed" if city["open"] == 0 else
           "ledger.overall_none_closed" if city["closed"] == 0 else "ledger.overall")
    out = [sentence(key, lang, date=date, found=city["found"], closed=city["closed"],
                    open=city["open"], rate=fmt_percent(city["closure_rate"], lang))]
    if city["open"]:
        out.append(_overdue_sentence(data))
    if not view.overdue.empty:
        oldest = view.overdue.iloc[0]
        district = district_label(oldest["district"], lang, data.catalog)
        # 泰顺县中心敬老院 names its district already
        place = (oldest["project"] if lang == "zh" and oldest["project"].startswith(district)
                 else sentence("ledger.place", lang, district=district,
                               project=oldest["project"]))
        out.append(sentence("ledger.oldest", lang, place=place, problem=oldest["problem"],
                            deadline=fmt_date(oldest["deadline"], lang),
                            days=fmt_count(oldest["days_overdue"], lang)))
    if city["closed_late"]:
        out.append(sentence("ledger.late", lang, late=city["closed_late"]))
    last = view.monthly.iloc[-1]
    if last["new_found"] or last["new_closed"]:
        key = ("ledger.month_no_new" if not last["new_found"] else
               "ledger.month_none_closed" if not last["new_closed"] else "ledger.month")
        out.append(sentence(key, lang, month=label(f"month.{last['date'].month}", lang),
                            found=last["new_found"], closed=last["new_closed"]))
    links = lagging_links(data)
    if not links.empty:
        out.append(sentence("ledger.links", lang, n=len(links)))
    return out


def _overdue_sentence(data: ReportData) -> str:
    """Where the overdue problems are: up to three districts by name when there are no more;
    else the number of districts and those with more than the fewest (at most three)."""
    view, lang = data.ledger, data.params.lang
    overdue = view.city["overdue"]
    if overdue == 0:
        return sentence("ledger.no_overdue", lang)
    order = {d: n for n, d in enumerate(view.districts["district"])}
    behind = view.districts[view.districts["overdue"] > 0]
    behind = behind.assign(_o=behind["district"].map(order)).sort_values(
        ["overdue", "_o"], ascending=[False, True], kind="stable")

    def named(rows) -> str:
        return sentence("name_sep", lang).join(
            sentence("ledger.district_count", lang,
                     district=district_label(r.district, lang, data.catalog), count=r.overdue)
            for r in rows.itertuples())

    if len(behind) <= TOP_DISTRICTS:
        return sentence("ledger.overdue_few", lang, overdue=overdue, items=named(behind))
    fewest = behind["overdue"].min()
    more = behind[behind["overdue"] > fewest].head(TOP_DISTRICTS)
    if more.empty:
        return sentence("ledger.overdue_even", lang, overdue=overdue, n=len(behind),
                        count=fewest)
    return sentence("ledger.overdue_many", lang, overdue=overdue, n=len(behind),
                    items=named(more))


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
        Column(label("col.ledger_state", lang), lambda r: _state(r["state"], lang)),
        Column(label("col.responsible_unit", lang), lambda r: _unit(r["unit"], lang)),
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
        Column(label("col.responsible_unit", lang), lambda r: _unit(r["ledger_unit"], lang)),
    ]


# --- Excel ----------------------------------------------------------------------------------

def write_ledger_sheet(ws, data: ReportData) -> None:
    """The ledger sheet of the report workbook: the sentences, then the district table (with
    the city row), the monthly progress, the oldest overdue items and the lagging links."""
    from helpers.render import excel as xl

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
        xl.Column("col.ledger_state", "text", lambda r: _state(r["state"], lang)),
        xl.Column("col.responsible_unit", "text", lambda r: _unit(r["unit"], lang)),
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
            xl.Column("col.responsible_unit", "text", lambda r: _unit(r["ledger_unit"], lang)),
        ], links.to_dict("records"), lang)
    # write_table freezes the rows above each table it writes: on a sheet of several tables
    # below the sentences that would pin half a screen, so nothing is frozen; the filter stays
    # on the district table.
    ws.freeze_panes = None
    ws.auto_filter.ref = first_filter
    xl.fit_columns(ws, skip_rows=skip)


__all__ = ["lagging_links", "ledger_section", "ledger_sentences", "write_ledger_sheet"]
