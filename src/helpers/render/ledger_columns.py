"""The problem ledger's table columns, for the page, the document and the workbook alike
(helpers.render.columns.Column). Rows are objects with attributes: a ledger view's frames read
with itertuples(), the city total as ledger_district_rows gives it. Only masked data reaches
here: units instead of people, phone numbers masked."""

from __future__ import annotations

from types import SimpleNamespace

from helpers.metrics.report_data import ReportData
from helpers.render.columns import (
    Column,
    count_column,
    district_label_of,
    indicator_column,
    percent_column,
    status_column,
)
from helpers.words.labels import fmt_count, fmt_date, fmt_month_day, label
from helpers.words.ledger_findings import responsible_unit_text, state_text


def ledger_district_rows(data: ReportData, total: str | None) -> list:
    """The district table's rows: one per district, then the total (unless `total` is None;
    its district is None)."""
    view = data.ledger
    rows = list(view.districts.itertuples(index=False))
    if total is not None:
        rows.append(SimpleNamespace(district=None, **view.city))
    return rows


def _counts(lang: str, names: tuple[str, ...]) -> list[Column]:
    return [count_column(label(f"col.ledger_{name}", lang), name, lang,
                         emphasis=(lambda r: bool(r.overdue)) if name == "overdue" else None)
            for name in names]


def ledger_district_columns(data: ReportData, total: str) -> list[Column]:
    """Found, closed, closed late, open, overdue, closure rate per district; the total row
    named `total`."""
    lang = data.params.lang
    district = Column(label("col.district", lang),
                      lambda r: total if r.district is None else district_label_of(data,
                                                                                   r.district))
    return [district, *_counts(lang, ("found", "closed", "closed_late", "open", "overdue")),
            percent_column(label("col.closure_rate", lang), "closure_rate", lang)]


def ledger_monthly_columns(data: ReportData) -> list[Column]:
    """The ledger month by month: found and closed in all and that month, open, overdue."""
    lang = data.params.lang
    month = Column(label("col.month_end", lang), lambda r: fmt_month_day(r.date, lang),
                   kind="date", value=lambda r: r.date)
    counts = [count_column(label(f"col.ledger_{name}", lang), name, lang)
              for name in ("found", "new_found", "closed", "new_closed", "open", "overdue")]
    return [month, *counts,
            percent_column(label("col.closure_rate", lang), "closure_rate", lang)]


def _date(header: str, attribute: str, lang: str) -> Column:
    return Column(label(header, lang), lambda r: fmt_date(getattr(r, attribute), lang),
                  kind="date", value=lambda r: getattr(r, attribute))


def ledger_item_columns(data: ReportData, workbook: bool = False) -> list[Column]:
    """Ledger items: number (its raw cell on hover; a workbook column of its own), district,
    project, problem, found, deadline, days overdue, state, responsible unit."""
    lang = data.params.lang
    source = [Column(label("col.source", lang), lambda r: r.source)] if workbook else []
    return [
        Column(label("col.ledger_number", lang), lambda r: r.number, hover=lambda r: r.source,
               # a number sorts as a number in the workbook; a 序号 such as "3-1" stays text
               value=lambda r: int(r.number) if str(r.number).isdigit() else r.number,
               kind_of=lambda r: "count" if str(r.number).isdigit() else "text"),
        Column(label("col.district", lang), lambda r: district_label_of(data, r.district)),
        Column(label("col.project", lang), lambda r: r.project),
        Column(label("col.problem", lang), lambda r: r.problem),
        _date("col.found_date", "found", lang),
        _date("col.ledger_deadline", "deadline", lang),
        count_column(label("col.days_overdue", lang), "days_overdue", lang),
        Column(label("col.ledger_state", lang), lambda r: state_text(r.state, lang)),
        Column(label("col.responsible_unit", lang),
               lambda r: responsible_unit_text(r.unit, lang)),
        *source,
    ]


def ledger_link_columns(data: ReportData) -> list[Column]:
    """The report's lagging items that have open ledger items: their earliest 整改限期 and its
    责任单位."""
    lang = data.params.lang
    return [
        Column(label("col.district", lang), lambda r: district_label_of(data, r.district)),
        indicator_column(data),
        percent_column(label("col.completion", lang), "completion", lang),
        status_column(label("col.status", lang), lang),
        count_column(label("col.ledger_items", lang), "ledger_items", lang),
        _date("col.first_deadline", "ledger_deadline", lang),
        Column(label("col.responsible_unit", lang),
               lambda r: responsible_unit_text(r.ledger_unit, lang)),
    ]


def ledger_link_column(data: ReportData) -> Column:
    """A lagging item's open ledger items in one cell: how many, the earliest 整改限期
    (blank when it has none)."""
    lang = data.params.lang
    return Column(label("col.ledger_link", lang),
                  lambda r: (label("col.ledger_link_text", lang).format(
                      n=fmt_count(r.ledger_items, lang),
                      deadline=fmt_date(r.ledger_deadline, lang)) if r.ledger_items else ""))
