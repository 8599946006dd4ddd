"""The report as an Excel workbook: indicator summary, one sheet per district, the lagging items,
the tidy data with the source cell of every figure, and an About sheet (parameters, inputs,
validation warnings, run record). Saved reproducibly: the same data gives the same bytes.

Every string that comes from the data is written as text through `write_text`, so that a name
or message beginning with '=' (or '+', '-', '@', a tab or a line break) can never become a
formula when the file is opened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from helpers.core.reproducible_files import fixed_timestamp, save_workbook
from helpers.metrics import derived_tables
from helpers.metrics.report_data import ReportData
from helpers.metrics.table_views import shown_actual, shown_completion
from helpers.render.excel_cells import (
    _BOLD,
    _NOTICE,
    _TITLE,
    PERCENT_FORMAT,
    Column,
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
from helpers.words import findings as commentary
from helpers.words.labels import (
    district_label,
    fmt_date,
    group_label,
    indicator_label,
    label,
    report_title,
    requirement_text,
    stage_label,
    total_label,
    unit_label,
)

# One sheet per district up to this many; beyond, the 明细数据 sheet (with its filter) holds
# every district's rows and a workbook of thousands of sheets is not opened by anyone.
DISTRICT_SHEETS_MAX = 60
DISTRICT_HEADER_ROW = 6  # district sheets: district, group, rank, mean, gap, table



# --- cells ---------------------------------------------------------------------------------


# --- tables --------------------------------------------------------------------------------


# --- widths --------------------------------------------------------------------------------


# --- sheets --------------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict]:
    return [dict(zip(frame.columns, values, strict=True))
            for values in frame.itertuples(index=False, name=None)]


def _row(record: dict):
    """A record as an object with attributes (what labels.requirement_text reads)."""
    return SimpleNamespace(**record)


def _indicator_columns(data: ReportData, lang: str) -> list[Column]:
    """indicator, unit, target, actual, completion, requirement, due, short, status."""
    catalog = data.catalog
    return [
        Column("col.indicator", "text", lambda r: indicator_label(r["indicator"], lang, catalog)),
        Column("col.unit", "text", lambda r: unit_label(r["unit"], lang)),
        Column("col.target", "count", lambda r: r["target"]),
        Column("col.actual", "count", lambda r: shown_actual(_row(r))),
        Column("col.denominator", "count", lambda r: r["denominator"]),
        Column("col.completion", "percent", lambda r: shown_completion(_row(r))),
        Column("col.milestone", "text",
               lambda r: requirement_text(_row(r), lang, catalog)),
        Column("col.due_units", "count",
               lambda r: None if r["basis"] == "small" and not r["due_units"] else r["due_units"]),
        Column("col.shortfall", "count",
               lambda r: None if _missing(r["due_units"]) else r["shortfall"]),
        Column("col.status", "status", lambda r: r["status"]),
    ]


def _summary_sheet(ws: Worksheet, data: ReportData) -> None:
    lang, params = data.params.lang, data.params
    write_text(ws, 1, 1, report_title(params)).font = _TITLE
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
    behind = "col.districts_behind.fy" if params.period == "FY" else "col.districts_behind"
    columns = [*_indicator_columns(data, lang),
               Column(behind, "count", lambda r: r["districts_behind"]),
               Column("col.district_shortfall", "count", lambda r: r["district_shortfall"])]
    rows = data.summary[data.summary["kind"] != "share"]
    write_table(ws, row + 1, columns, _records(rows), lang,
                empty_text=label("misc.no_items", lang))
    fit_columns(ws, skip_rows=skip)


def _shares_sheet(ws: Worksheet, data: ReportData) -> None:
    """Share indicators: city row first, then every district."""
    lang, catalog = data.params.lang, data.catalog
    city = data.summary[data.summary["kind"] == "share"].assign(district="")
    rows = pd.concat([city, data.table[data.table["kind"] == "share"]], ignore_index=True)
    columns = [
        Column("col.district", "text", lambda r: (district_label(r["district"], lang, catalog)
                                                  if r["district"] else total_label(data.params))),
        Column("col.indicator", "text", lambda r: indicator_label(r["indicator"], lang, catalog)),
        Column("col.numerator", "count", lambda r: r["actual"]),
        Column("col.denominator", "count", lambda r: r["denominator"]),
        Column("col.share", "percent", lambda r: r["completion"]),
        Column("col.threshold", "percent", lambda r: r["milestone"]),
        Column("col.due_units", "count", lambda r: r["due_units"]),
        Column("col.shortfall", "count", lambda r: r["shortfall"]),
        Column("col.status", "status", lambda r: r["status"]),
    ]
    write_table(ws, 1, columns, _records(rows), lang, group_key="indicator",
                empty_text=label("misc.no_items", lang))
    fit_columns(ws)


def _ranking_sheet(ws: Worksheet, data: ReportData) -> None:
    """The 通报 ranking and its method (ranks as numbers, so that they sort)."""
    lang, catalog = data.params.lang, data.catalog
    fy = ".fy" if data.params.period == "FY" else ""
    columns = [
        Column("col.rank", "rank", lambda r: r["rank"]),
        Column("col.tied", "text", lambda r: label("col.tied", lang) if r["tied"] else None),
        Column("col.district", "text", lambda r: district_label(r["district"], lang, catalog)),
        Column("col.group", "text", lambda r: group_label(r["supervision_group"], lang)),
        Column("col.due_items", "count", lambda r: r["due_items"]),
        Column("col.on_track_items", "count", lambda r: r["on_track_items"]),
        Column("col.on_track_share", "percent", lambda r: r["on_track_share"]),
        Column("col.mean_completion", "percent", lambda r: r["mean_completion"]),
        Column(f"col.behind_items{fy}", "count", lambda r: r["behind_items"] - r["below_items"]),
        Column("col.below_items", "count", lambda r: r["below_items"]),
        Column(f"col.serious_items{fy}", "count", lambda r: r["serious_items"]),
    ]
    last = write_table(ws, 1, columns, _records(data.ranking), lang)
    method = label(f"note.ranking.{data.params.ranking_method}", lang)
    write_text(ws, last + 2, 1, label("note.ranking", lang).format(method=method))
    fit_columns(ws, skip_rows=[last + 2])


def _checkpoints_sheet(ws: Worksheet, data: ReportData) -> None:
    """Every dated requirement, district by district."""
    lang, catalog = data.params.lang, data.catalog

    def stage(r) -> str:
        if r["stage"]:
            return stage_label(r["indicator"], r["stage"], lang, catalog)
        return label("stage.own", lang).format(share=f"{r['share_due'] * 100:.1f}%")

    columns = [
        Column("col.indicator", "text", lambda r: indicator_label(r["indicator"], lang, catalog)),
        Column("col.stage", "text", stage),
        Column("col.due_date", "date", lambda r: r["due"]),
        Column("col.district", "text", lambda r: district_label(r["district"], lang, catalog)),
        Column("col.required", "count", lambda r: r["required"]),
        Column("col.done_by_due", "count", lambda r: r["done_by_due"]),
        Column("col.done_now", "count", lambda r: r["done_now"]),
        Column("col.reached_on", "date", lambda r: r["reached_on"]),
        Column("col.status", "status", lambda r: r["status"]),
        Column("col.source", "text", lambda r: r["source"]),
    ]
    last = write_table(ws, 1, columns, _records(data.checkpoints), lang, group_key="stage",
                       empty_text=label("misc.no_items", lang))
    write_text(ws, last + 2, 1, label("note.checkpoints", lang))
    fit_columns(ws, skip_rows=[last + 2])


def _forward_sheet(ws: Worksheet, data: ReportData) -> None:
    """Every projected item, at-risk first."""
    lang, catalog = data.params.lang, data.catalog
    rows = data.forward.sort_values(["at_risk", "projected_completion"], ascending=[False, True],
                                    kind="stable")
    columns = [
        Column("col.district", "text", lambda r: district_label(r["district"], lang, catalog)),
        Column("col.indicator", "text", lambda r: indicator_label(r["indicator"], lang, catalog)),
        Column("col.target", "count", lambda r: r["target"]),
        Column("col.actual", "count", lambda r: r["actual"]),
        Column("col.pace", "decimal", lambda r: r["pace"]),
        Column("col.deadline", "date", lambda r: r["deadline"]),
        Column("col.required_pace", "decimal", lambda r: r["required_pace"]),
        Column("col.projected", "decimal", lambda r: r["projected"]),
        Column("col.projected_completion", "percent", lambda r: r["projected_completion"]),
        Column("col.at_risk", "text",
               lambda r: label("risk.yes" if r["at_risk"] else "risk.no", lang)),
    ]
    last = write_table(ws, 1, columns, _records(rows), lang,
                       empty_text=label("misc.none_at_risk", lang))
    write_text(ws, last + 2, 1, label("note.forward", lang))
    fit_columns(ws, skip_rows=[last + 2])


def _district_sheet(ws: Worksheet, data: ReportData, district: str) -> None:
    from helpers.words.formats import rank_text

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
    columns = [*_indicator_columns(data, lang), Column("col.rank", "rank", lambda r: r["rank"])]
    write_table(ws, DISTRICT_HEADER_ROW, columns, _records(part), lang)
    fit_columns(ws)


def _lagging_sheet(ws: Worksheet, data: ReportData) -> None:
    lang, catalog = data.params.lang, data.catalog
    columns = [
        Column("col.group", "text", lambda r: group_label(r["supervision_group"], lang)),
        Column("col.district", "text", lambda r: district_label(r["district"], lang, catalog)),
        *_indicator_columns(data, lang),
        Column("col.rank", "rank", lambda r: r["rank"]),
    ]
    write_table(ws, 1, columns, _records(data.lagging), lang, group_key="supervision_group",
                empty_text=label("misc.none_lagging", lang))
    fit_columns(ws)


def _carry_over_sheet(ws: Worksheet, data: ReportData) -> None:
    """Year end: unfinished items and how much of each target remains."""
    lang, catalog = data.params.lang, data.catalog
    shared = {c.header: c for c in _indicator_columns(data, lang)}
    columns = [
        Column("col.district", "text", lambda r: district_label(r["district"], lang, catalog)),
        *(shared[k] for k in ("col.indicator", "col.unit", "col.target", "col.actual")),
        Column("col.remaining", "count", lambda r: r["remaining"]),
        shared["col.completion"], shared["col.status"],
    ]
    write_table(ws, 1, columns, _records(derived_tables.carry_over_table(data)), lang,
                empty_text=label("misc.no_items", lang))
    fit_columns(ws)


# Data sheet: header label and kind of every column of progress_metrics.DISTRICT_INDICATOR_COLUMNS.
_DATA_COLUMNS = {
    "district": ("col.district", "text"),
    "supervision_group": ("col.group", "text"),
    "indicator": ("col.indicator_code", "text"),
    "indicator_name": ("col.indicator", "text"),
    "kind": ("col.kind", "text"),
    "unit": ("col.unit", "text"),
    "target": ("col.target", "count"),
    "actual": ("col.actual", "count"),
    "denominator": ("col.denominator", "count"),
    "as_of": ("col.as_of", "date"),
    "completion": ("col.completion", "percent"),
    "basis": ("col.basis", "text"),
    "stage": ("col.stage", "text"),
    "due_date": ("col.due_date", "date"),
    "milestone": ("col.milestone", "percent"),
    "due_units": ("col.due_units", "count"),
    "judged_actual": ("col.judged_actual", "count"),
    "shortfall": ("col.shortfall", "count"),
    "gap_pp": ("col.gap_pp", "points"),
    "status": ("col.status", "status"),
    "deadline": ("col.deadline", "date"),
    "rank": ("col.rank", "rank"),
    "target_source": ("col.target_source", "text"),
    "actual_source": ("col.actual_source", "text"),
    "judged_source": ("col.judged_source", "text"),
    "denominator_source": ("col.denominator_source", "text"),
}


def _data_sheet(ws: Worksheet, data: ReportData) -> None:
    lang, catalog = data.params.lang, data.catalog
    shown = {
        "district": lambda r: district_label(r["district"], lang, catalog),
        "indicator_name": lambda r: indicator_label(r["indicator"], lang, catalog),
        "supervision_group": lambda r: group_label(r["supervision_group"], lang),
        "basis": lambda r: label(f"basis.{r['basis']}", lang),
        "stage": lambda r: (stage_label(r["indicator"], r["stage"], lang, catalog)
                            if r["stage"] else None),
    }
    unknown = [c for c in data.table.columns if c not in _DATA_COLUMNS]
    if unknown:
        raise KeyError(f"no header label for data column(s) {', '.join(unknown)}")
    columns = [Column(_DATA_COLUMNS[name][0], _DATA_COLUMNS[name][1],
                      shown.get(name, lambda r, name=name: r[name]))
               for name in data.table.columns]
    write_table(ws, 1, columns, _records(data.table), lang)
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
        [[r["path"], r["kind"], r["as_of"], r["figures"], r["size"], r["sha256"]]
         for r in _records(data.inputs)], none)
    severity = {"error": label("misc.error", lang), "warning": label("misc.warning", lang)}
    row = _about_section(
        ws, row, label("app.warnings", lang),
        [label(k, lang) for k in ("col.severity", "col.file", "col.location", "col.message",
                                  "col.raw_message")],
        [[severity.get(p.severity, p.severity), p.file, p.location,
          commentary.warning_sentence(p, data), p.message] for p in data.warnings], none)
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
             for key in ("sheet.lagging", "sheet.ranking", "sheet.checkpoints", "sheet.shares",
                         "sheet.forward", "sheet.carry_over", "sheet.ledger", "sheet.data",
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
    if data.params.period != "FY":
        _forward_sheet(wb.create_sheet(names["sheet.forward"]), data)
    if data.ledger is not None:
        write_ledger_sheet(wb.create_sheet(names["sheet.ledger"]), data)
    if data.params.period == "FY":
        _carry_over_sheet(wb.create_sheet(names["sheet.carry_over"]), data)
    _data_sheet(wb.create_sheet(names["sheet.data"]), data)
    if with_about:
        _about_sheet(wb.create_sheet(names["sheet.about"]), data, about)
    demo = data.demo_inputs and data.params.demo_notice
    fit_to_send(wb, report_title(data.params), label("misc.demo_notice", lang) if demo else None,
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
