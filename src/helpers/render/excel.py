"""The report as an Excel workbook: indicator summary, one sheet per district, the lagging items,
the tidy data with the source cell of every figure, and an About sheet (parameters, inputs,
validation warnings, run record). Saved reproducibly: the same data gives the same bytes.

Every string that comes from the data is written as text through `write_text`, so that a name
or message beginning with '=' (or '+', '-', '@', a tab or a line break) can never become a
formula when the file is opened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from helpers.core.reproducible_files import fixed_timestamp, save_workbook
from helpers.metrics import derived_tables
from helpers.metrics.facts import CITY
from helpers.metrics.report_data import ReportData
from helpers.render import columns
from helpers.render.comparison_outputs import moved_columns
from helpers.render.excel_cells import (
    _BOLD,
    _NOTICE,
    _TITLE,
    PERCENT_FORMAT,
    _missing,
    _sheet_name,
    fit_columns,
    write_date,
    write_header,
    write_number,
    write_table,
    write_text,
)
from helpers.render.excel_ledger import write_ledger_sheet
from helpers.render.excel_print import fit_to_send
from helpers.render.plan_columns import plan_target_columns
from helpers.render.year_columns import year_on_year_columns
from helpers.words.change_words import stage_names, unit_text
from helpers.words.findings_over_time import warning_sentence
from helpers.words.formats import rank_text
from helpers.words.labels import (
    district_label,
    document_title,
    fmt_date,
    group_label,
    indicator_label,
    label,
    total_label,
)
from helpers.words.report_notes import forward_note

# One sheet per district up to this many; beyond, the 明细数据 sheet (with its filter) holds
# every district's rows and a workbook of thousands of sheets is not opened by anyone.
DISTRICT_SHEETS_MAX = 60
DISTRICT_HEADER_ROW = 6  # district sheets: district, group, rank, mean, gap, table



# --- sheets --------------------------------------------------------------------------------

def _rows(frame: pd.DataFrame) -> list:
    """A frame's rows as objects with attributes, as every table's columns read them."""
    return list(frame.itertuples(index=False))


def _summary_sheet(ws: Worksheet, data: ReportData) -> None:
    lang, params = data.params.lang, data.params
    write_text(ws, 1, 1, document_title(data)).font = _TITLE
    facts = [(label("misc.year", lang), params.year),
             (label("misc.report_date", lang), fmt_date(data.report_date, lang)),
             (label("misc.data_as_of", lang), fmt_date(data.data_as_of, lang))]
    for index, (key, value) in enumerate(facts):
        write_text(ws, 2, 2 * index + 1, key).font = _BOLD
        if isinstance(value, int):
            write_number(ws, 2, 2 * index + 2, value, "0")
        else:
            write_text(ws, 2, 2 * index + 2, value)
    skip = [1]
    row = 3
    if data.demo_inputs and params.demo_notice:
        write_text(ws, row, 1, label("misc.demo_notice", lang)).font = _NOTICE
        skip.append(row)
        row += 1
    rows = data.summary[data.summary["kind"] != "share"]
    write_table(ws, row + 1, columns.summary_columns(data, workbook=True), _rows(rows), lang,
                empty_text=label("misc.no_items", lang))
    fit_columns(ws, skip_rows=skip)


def _year_on_year_sheet(ws: Worksheet, data: ReportData) -> None:
    """比上年: the city's and every district's year-end figures beside the previous year's."""
    lang = data.params.lang
    last = write_table(ws, 1, year_on_year_columns(data, with_district=True),
                       _rows(data.year_on_year), lang, group_key="district")
    write_text(ws, last + 2, 1, label("note.year_on_year", lang))
    fit_columns(ws, skip_rows=[last + 2])


def _plan_targets_sheet(ws: Worksheet, data: ReportData) -> None:
    """The work plan's own targets beside the allocation's, as 附件1 has them."""
    lang = data.params.lang
    last = write_table(ws, 1, plan_target_columns(data), _rows(data.plan_targets), lang)
    write_text(ws, last + 2, 1, label("note.plan_targets", lang))
    fit_columns(ws, skip_rows=[last + 2])


def _shares_sheet(ws: Worksheet, data: ReportData) -> None:
    """Share indicators: city row first (not in a one-district brief, where it would repeat
    the district's), then every district."""
    lang = data.params.lang
    districts = data.table[data.table["kind"] == "share"]
    city = data.summary[data.summary["kind"] == "share"].assign(district="")
    rows = (pd.concat([city, districts], ignore_index=True) if len(data.districts) > 1
            else districts)
    write_table(ws, 1, columns.shares_sheet_columns(data), _rows(rows), lang,
                group_key="indicator", empty_text=label("misc.no_items", lang))
    fit_columns(ws)


def _ranking_sheet(ws: Worksheet, data: ReportData) -> None:
    """The 通报 ranking and its method (ranks as numbers, so that they sort)."""
    lang = data.params.lang
    last = write_table(ws, 1, columns.ranking_columns(data, workbook=True), _rows(data.ranking),
                       lang)
    method = label(f"note.ranking.{data.params.ranking_method}", lang)
    write_text(ws, last + 2, 1, label("note.ranking", lang).format(method=method))
    fit_columns(ws, skip_rows=[last + 2])


def _checkpoints_sheet(ws: Worksheet, data: ReportData) -> None:
    """Every dated requirement, district by district."""
    lang = data.params.lang
    last = write_table(ws, 1, columns.checkpoints_sheet_columns(data), _rows(data.checkpoints),
                       lang, group_key="stage", empty_text=label("misc.no_items", lang))
    write_text(ws, last + 2, 1, label("note.checkpoints", lang))
    fit_columns(ws, skip_rows=[last + 2])


def _forward_sheet(ws: Worksheet, data: ReportData) -> None:
    """The city per indicator (as the page shows it; not in a one-district brief), then every
    projected district item, at-risk first."""
    lang = data.params.lang
    city = derived_tables.city_forward(data).assign(district=total_label(data.params))
    districts = data.forward.sort_values(["at_risk", "projected_completion"],
                                         ascending=[False, True], kind="stable")
    # a one-district brief's total is its district: not written twice
    rows = (pd.concat([city, districts], ignore_index=True)
            if len(city) and len(data.districts) > 1 else districts)
    last = write_table(ws, 1, columns.forward_columns(data, with_district=True, short=False),
                       _rows(rows), lang, empty_text=label("misc.none_at_risk", lang))
    write_text(ws, last + 2, 1, forward_note(data))
    fit_columns(ws, skip_rows=[last + 2])


def _rank_number(data: ReportData) -> columns.Column:
    """A district's rank on an indicator, as a number that sorts."""
    return columns.Column(label("col.rank", data.params.lang), kind="rank",
                          value=lambda r: r.rank)


def _district_sheet(ws: Worksheet, data: ReportData, district: str) -> None:
    lang = data.params.lang
    part = data.table[data.table["district"] == district]
    standing = data.ranking[data.ranking["district"] == district]
    group = part["supervision_group"].iloc[0] if len(part) else ""
    write_text(ws, 1, 1, label("col.district", lang)).font = _BOLD
    write_text(ws, 1, 2, district_label(district, lang, data.catalog))
    write_text(ws, 2, 1, label("col.group", lang)).font = _BOLD
    write_text(ws, 2, 2, group_label(group, lang))
    write_text(ws, 3, 1, label("col.overall_rank", lang)).font = _BOLD
    write_text(ws, 4, 1, label("col.on_track_share", lang)).font = _BOLD
    if len(standing) and not _missing(standing["rank"].iloc[0]):
        write_text(ws, 3, 2, rank_text(standing["rank"].iloc[0], bool(standing["tied"].iloc[0]),
                                       lang, data.ranking_size))
        write_number(ws, 4, 2, standing["on_track_share"].iloc[0], PERCENT_FORMAT)
    table = [*columns.indicator_row_columns(data, with_denominator=True), _rank_number(data)]
    write_table(ws, DISTRICT_HEADER_ROW, table, _rows(part), lang)
    fit_columns(ws)


def _lagging_sheet(ws: Worksheet, data: ReportData) -> None:
    lang = data.params.lang
    table = [columns.group_column(data), columns.district_column(data),
             *columns.indicator_row_columns(data, with_denominator=True), _rank_number(data)]
    write_table(ws, 1, table, _rows(data.lagging), lang, group_key="supervision_group",
                empty_text=label("misc.none_lagging", lang))
    fit_columns(ws)


def _carry_over_sheet(ws: Worksheet, data: ReportData) -> None:
    """Year end: unfinished items and how much of each target remains."""
    lang = data.params.lang
    write_table(ws, 1, columns.carry_over_columns(data, workbook=True),
                _rows(derived_tables.carry_over_table(data)), lang,
                empty_text=label("misc.no_items", lang))
    fit_columns(ws)


def _changes_sheet(ws: Worksheet, data: ReportData, changes: pd.DataFrame,
                   with_step: bool = False) -> None:
    """较上期变化: every figure and status of a district or the city that moved since the
    previous period's report, as `helpers diff` lists them between the two published reports;
    修订说明 (`with_step`: stages and nodes too): what moved since the previous publication."""
    lang = data.params.lang
    names = {i.code: indicator_label(i.code, lang, data.catalog) for i in data.catalog.indicators}
    names |= stage_names(data.catalog.stages, lang)
    shown = columns.district_label_of
    table = moved_columns(names, lang, with_step=with_step,
                          unit_name=lambda unit: (unit_text(unit, lang) if unit == CITY
                                                  else shown(data, unit)))
    write_table(ws, 1, table, _rows(changes), lang, group_key="unit")
    fit_columns(ws)


def _data_sheet(ws: Worksheet, data: ReportData) -> None:
    write_table(ws, 1, columns.data_sheet_columns(data), _rows(data.table), data.params.lang)
    fit_columns(ws)


def _about_value(ws: Worksheet, row: int, column: int, value: object) -> None:
    if _missing(value):
        return
    if isinstance(value, bool):
        ws.cell(row=row, column=column).value = value
    elif isinstance(value, int | float):
        write_number(ws, row, column, value)
    elif isinstance(value, list | tuple):
        write_text(ws, row, column, ", ".join(str(v) for v in value))
    elif isinstance(value, dt.date):
        write_date(ws, row, column, value)
    else:
        write_text(ws, row, column, value)


def _about_section(ws: Worksheet, row: int, title: str, headers: list[str],
                   rows: list[list[object]], empty_text: str) -> int:
    """Section title, header and rows from `row`; returns the first free row after a gap."""
    write_text(ws, row, 1, title).font = _TITLE
    write_header(ws, row + 1, headers)
    row += 2
    if not rows:
        write_text(ws, row, 1, empty_text)
        row += 1
    for values in rows:
        for column, value in enumerate(values, start=1):
            _about_value(ws, row, column, value)
        row += 1
    return row + 1


def _about_sheet(ws: Worksheet, data: ReportData, about: list[tuple[str, str]] | None) -> None:
    lang = data.params.lang
    none = label("misc.no_items", lang)
    row = _about_section(
        ws, 1, label("app.parameters", lang),
        [label("col.parameter", lang), label("col.value", lang)],
        [[name, value] for name, value in data.params.as_dict().items()], none)
    row = _about_section(
        ws, row, label("app.inputs", lang),
        [label(k, lang) for k in ("col.file", "col.kind", "col.as_of", "col.figures",
                                  "col.size", "col.sha256")],
        [[r.path, r.kind, r.as_of, r.figures, r.size, r.sha256] for r in _rows(data.inputs)],
        none)
    severity = {"error": label("misc.error", lang), "warning": label("misc.warning", lang)}
    row = _about_section(
        ws, row, label("app.warnings", lang),
        [label(k, lang) for k in ("col.severity", "col.file", "col.location", "col.message",
                                  "col.raw_message")],
        [[severity.get(p.severity, p.severity), p.file, p.location,
          warning_sentence(p, data), p.message] for p in data.warnings], none)
    if about:
        _about_section(ws, row, label("app.run", lang),
                       [label("col.item", lang), label("col.value", lang)],
                       [[str(key), str(value)] for key, value in about], none)
    fit_columns(ws)


# --- workbook ------------------------------------------------------------------------------

def _districts(data: ReportData) -> list[str]:
    """The districts of the report in catalogue order (others after, as they come)."""
    present = list(dict.fromkeys(data.table["district"]))
    order = {d.name: d.order for d in data.catalog.districts}
    return sorted(present, key=lambda d: (order.get(d, len(order) + 1), present.index(d)))


def build_workbook(data: ReportData, about: list[tuple[str, str]] | None = None,
                   with_about: bool = True) -> openpyxl.Workbook:
    """The report workbook: summary, one sheet per district, lagging items, data, about; fit
    to send (helpers.render.excel_print). `with_about=False` leaves out the About sheet, the one
    sheet
    with the internal run facts (parameters, input hashes, validation messages, code version,
    packages): the copy for a district."""
    lang = data.params.lang
    wb = openpyxl.Workbook()
    taken: set[str] = set()
    summary = wb.active
    summary.title = _sheet_name(label("sheet.summary", lang), taken)
    # Fixed names first, so a district can never take one of them.
    names = {key: _sheet_name(label(key, lang), taken)
             for key in ("sheet.plan_targets", "sheet.lagging", "sheet.ranking",
                         "sheet.checkpoints", "sheet.shares", "sheet.year_on_year",
                         "sheet.forward", "sheet.carry_over", "sheet.changes",
                         "sheet.revisions", "sheet.ledger", "sheet.data",
                         "sheet.about")}
    _summary_sheet(summary, data)
    if len(_districts(data)) <= DISTRICT_SHEETS_MAX:
        for district in _districts(data):
            name = _sheet_name(district_label(district, lang, data.catalog), taken)
            _district_sheet(wb.create_sheet(name), data, district)
    _lagging_sheet(wb.create_sheet(names["sheet.lagging"]), data)
    _ranking_sheet(wb.create_sheet(names["sheet.ranking"]), data)
    if len(data.checkpoints):
        _checkpoints_sheet(wb.create_sheet(names["sheet.checkpoints"]), data)
    if (data.table["kind"] == "share").any():
        _shares_sheet(wb.create_sheet(names["sheet.shares"]), data)
    if len(data.plan_targets):
        _plan_targets_sheet(wb.create_sheet(names["sheet.plan_targets"]), data)
    if data.params.period != "FY":
        _forward_sheet(wb.create_sheet(names["sheet.forward"]), data)
    if data.ledger is not None:
        write_ledger_sheet(wb.create_sheet(names["sheet.ledger"]), data)
    if data.params.period == "FY":
        _carry_over_sheet(wb.create_sheet(names["sheet.carry_over"]), data)
    if len(data.year_on_year):
        _year_on_year_sheet(wb.create_sheet(names["sheet.year_on_year"]), data)
    changes = derived_tables.period_changes(data)
    if len(changes):
        _changes_sheet(wb.create_sheet(names["sheet.changes"]), data, changes)
    revised = derived_tables.revisions(data)
    if len(revised):  # a report published again: what differs from its previous publication
        _changes_sheet(wb.create_sheet(names["sheet.revisions"]), data, revised,
                       with_step=True)
    _data_sheet(wb.create_sheet(names["sheet.data"]), data)
    if with_about:
        _about_sheet(wb.create_sheet(names["sheet.about"]), data, about)
    demo = data.demo_inputs and data.params.demo_notice
    fit_to_send(wb, document_title(data), label("misc.demo_notice", lang) if demo else None,
                lang)
    wb.active = 0
    wb.properties.title = label(f"report.{data.params.period}", lang)
    wb.properties.language = "zh-CN" if lang == "zh" else "en"
    return wb


def report_timestamp(data: ReportData) -> dt.datetime:
    """Midnight of the data's as-of date (the report date when there is none), unless
    SOURCE_DATE_EPOCH says otherwise."""
    day = data.data_as_of or data.report_date
    return fixed_timestamp(dt.datetime.combine(day, dt.time()))


def write_report_xlsx(data: ReportData, path: Path,
                      about: list[tuple[str, str]] | None = None, with_about: bool = True) -> None:
    """Build the workbook and save it reproducibly (and atomically) at `path`."""
    save_workbook(build_workbook(data, about, with_about), Path(path), report_timestamp(data))


__all__ = ["build_workbook", "report_timestamp", "write_report_xlsx"]
