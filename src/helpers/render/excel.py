"""The report as an Excel workbook: indicator summary, one sheet per district, the lagging items,
the tidy data with the source cell of every figure, and an About sheet (parameters, inputs,
validation warnings, run record). Saved reproducibly: the same data gives the same bytes.

Every string that comes from the data is written as text through `write_text`, so that a name
or message beginning with '=' (or '+', '-', '@', a tab or a line break) can never become a
formula when the file is opened."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from helpers.core.reproducible_files import fixed_timestamp, save_workbook
from helpers.core.sheet_stream import StyleProbe, add_rows
from helpers.metrics.report_data import ReportData
from helpers.render.colour_contrast import readable_text_colour
from helpers.render.excel_print import fit_to_send
from helpers.words import findings as commentary
from helpers.words.labels import (
    STATUS_COLORS,
    district_label,
    fmt_date,
    group_label,
    indicator_label,
    label,
    report_title,
    requirement_text,
    stage_label,
    status_label,
    total_label,
    unit_label,
)

PERCENT_FORMAT = "0.0%"
POINTS_FORMAT = "+0.0;-0.0;0.0"
DATE_FORMAT = "yyyy-mm-dd"
RANK_FORMAT = "0"
DECIMAL_FORMAT = "0.0"
COUNT_FORMAT = {"zh": "#,##0", "en": "#,##0"}  # thousands separated (15,000) in both

# A text cell starting with one of these could be taken for a formula (or a DDE payload) by a
# spreadsheet program; such cells are stored as strings and marked with a quote prefix.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL_TEXT = 32767  # Excel's limit on the characters of one cell
MAX_SHEET_NAME = 31
# One sheet per district up to this many; beyond, the 明细数据 sheet (with its filter) holds
# every district's rows and a workbook of thousands of sheets is not opened by anyone.
DISTRICT_SHEETS_MAX = 60
DISTRICT_HEADER_ROW = 6  # district sheets: district, group, rank, mean, gap, table
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})

MIN_WIDTH, MAX_WIDTH = 6, 60
FIT_ROWS = 2000
STREAM_AFTER = FIT_ROWS  # a table's rows beyond are written as XML text (helpers.core.sheet_stream)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_NOTICE = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill(fill_type="solid", fgColor="F2F2F2")
_GROUP_BORDER = Border(top=Side(style="thin", color="808080"))


# --- cells ---------------------------------------------------------------------------------

def write_text(ws: Worksheet, row: int, column: int, text: object) -> Cell:
    """Write `text` as a plain string cell, never a formula.

    openpyxl turns any string starting with '=' into a formula; the data type is forced back
    to string after assignment, and text that a spreadsheet could still read as a formula gets
    the quote prefix (shown as text, kept as text when edited). Characters XML cannot hold are
    replaced by U+FFFD and overlong text is cut to Excel's cell limit."""
    value = _cell_text(text)
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def _cell_text(text: object) -> str:
    """Text as a cell holds it: characters XML cannot hold replaced, cut to Excel's limit."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(text))[:MAX_CELL_TEXT]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value))


def write_number(ws: Worksheet, row: int, column: int, value: object,
                 number_format: str | None = None) -> Cell:
    """A number (int or float) or an empty cell when the value is missing (None/NaN/NA)."""
    cell = ws.cell(row=row, column=column)
    if _missing(value):
        return cell
    number = float(value)
    cell.value = int(number) if number.is_integer() and not isinstance(value, float) else number
    if number_format:
        _restyle(cell, ("format", number_format),
                 lambda target: setattr(target, "number_format", number_format))
    return cell


def write_date(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """A date cell (yyyy-mm-dd) or an empty cell."""
    cell = ws.cell(row=row, column=column)
    if _missing(value):
        return cell
    if isinstance(value, str):
        return write_text(ws, row, column, value)
    cell.value = value.date() if isinstance(value, dt.datetime) else value
    _restyle(cell, ("format", DATE_FORMAT),
             lambda target: setattr(target, "number_format", DATE_FORMAT))
    return cell


def _restyle(cell: Cell, key: tuple, apply: Callable[[Cell], None]) -> None:
    """`apply(cell)` through a per-workbook cache of style ids: the first cell with a given
    starting style pays openpyxl's style lookup (hashing fonts, fills and formats), later
    ones copy the resulting ids. Same workbook bytes, a fraction of the time on big sheets."""
    cache = cell.parent.parent.__dict__.setdefault("_helpers_style_cache", {})
    start = (key, tuple(cell._style or StyleArray()))
    done = cache.get(start)
    if done is None:
        apply(cell)
        cache[start] = tuple(cell._style)
    else:
        cell._style = StyleArray(done)


def _fill_status(cell: Cell, status: str) -> None:
    colour = STATUS_COLORS.get(status)
    if colour is None:
        return

    def fill(target: Cell) -> None:
        rgb = colour.lstrip("#").upper()
        target.fill = PatternFill(fill_type="solid", fgColor=rgb)
        target.font = Font(color=_text_colour_on(rgb))

    _restyle(cell, ("status", status), fill)


def _text_colour_on(rgb: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG luminance)."""
    return readable_text_colour(rgb).lstrip("#")


# --- tables --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a table: header label key, kind of value and how to get it from a row."""

    header: str  # label key
    kind: str  # text, count, rank, percent, points, status, date
    get: Callable[[dict], object]


def _write_value(ws: Worksheet, row: int, column: int, kind: str, value: object,
                 lang: str) -> Cell:
    if kind == "text":
        return (ws.cell(row=row, column=column) if _missing(value)
                else write_text(ws, row, column, value))
    if kind == "status":
        if _missing(value) or value == "":
            return ws.cell(row=row, column=column)
        cell = write_text(ws, row, column, status_label(str(value), lang))
        _fill_status(cell, str(value))
        return cell
    if kind == "date":
        return write_date(ws, row, column, value)
    number_format = {"count": COUNT_FORMAT[lang], "rank": RANK_FORMAT,
                     "percent": PERCENT_FORMAT, "points": POINTS_FORMAT,
                     "decimal": DECIMAL_FORMAT}[kind]
    return write_number(ws, row, column, value, number_format)


def write_header(ws: Worksheet, row: int, headers: Iterable[str], column: int = 1) -> None:
    """A bold, lightly shaded header row (headers are already reader text)."""
    for offset, text in enumerate(headers):
        cell = write_text(ws, row, column + offset, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL


def write_table(ws: Worksheet, top: int, columns: list[Column], rows: list[dict], lang: str,
                group_key: str | None = None, empty_text: str | None = None) -> int:
    """Header at row `top`, one row per item below; frozen below the header, with an
    autofilter. A thin rule separates runs of equal `group_key`. Returns the last row used."""
    write_header(ws, top, [label(c.header, lang) for c in columns])
    ws.freeze_panes = ws.cell(row=top + 1, column=1).coordinate
    last = top
    previous_group = None
    for index, item in enumerate(rows[:STREAM_AFTER]):
        last = top + 1 + index
        for number, col in enumerate(columns, start=1):
            _write_value(ws, last, number, col.kind, col.get(item), lang)
        if group_key is not None:
            group = item.get(group_key)
            if index and group != previous_group:
                for number in range(1, len(columns) + 1):
                    ws.cell(row=last, column=number).border = _GROUP_BORDER
            previous_group = group
    if len(rows) > STREAM_AFTER:
        last = _stream_rows(ws, last + 1, columns, rows[STREAM_AFTER:], lang, group_key,
                            previous_group)
    if rows:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{last}"
    elif empty_text:
        last = top + 1
        write_text(ws, last, 1, empty_text)
    return last


def _stream_rows(ws: Worksheet, first: int, columns: list[Column], rows: list[dict], lang: str,
                 group_key: str | None, previous_group: object) -> int:
    """The rows of a long table from row `first` on, as sheet XML (helpers.core.sheet_stream): the
    same cells write_table makes, without an openpyxl object each. Returns the last row."""
    probe = StyleProbe(ws)
    streamed = []
    for item in rows:
        ruled = group_key is not None and item.get(group_key) != previous_group
        previous_group = item.get(group_key) if group_key is not None else None
        cells = []
        for col in columns:
            value = col.get(item)
            key, shown = _stream_cell(col.kind, value, lang)

            def write(sheet, row, kind=col.kind, value=value, ruled=ruled):
                cell = _write_value(sheet, row, 1, kind, value, lang)
                if ruled:
                    cell.border = _GROUP_BORDER
                return cell

            cells.append((probe.style_id((*key, ruled), write), shown))
        streamed.append(cells)
    probe.close()
    add_rows(ws, first, streamed, len(columns))
    return first + len(rows) - 1


def _stream_cell(kind: str, value: object, lang: str) -> tuple[tuple, object]:
    """What decides a streamed cell's style (the key) and the value it holds, as
    _write_value writes it."""
    if _missing(value) or (kind == "status" and value == ""):
        return (kind, "empty"), None
    if kind == "text" or (kind == "date" and isinstance(value, str)):
        text = _cell_text(value)
        return (kind, "text", text.startswith(FORMULA_TRIGGERS)), text
    if kind == "status":
        text = _cell_text(status_label(str(value), lang))
        return (kind, str(value), text.startswith(FORMULA_TRIGGERS)), text
    if kind == "date":
        return (kind, "date"), value.date() if isinstance(value, dt.datetime) else value
    number = float(value)
    shown = int(number) if number.is_integer() and not isinstance(value, float) else number
    return (kind, "number"), shown


# --- widths --------------------------------------------------------------------------------

def display_width(text: str) -> int:
    """Columns a text needs: East Asian wide and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _shown(cell: Cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "FALSE" if not value else "TRUE"
    if isinstance(value, dt.date):
        return "0000-00-00"
    if "%" in cell.number_format:
        return f"{value * 100:.1f}%"
    if cell.number_format == POINTS_FORMAT:
        return f"{value:+.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.2f}"


def fit_columns(ws: Worksheet, skip_rows: Iterable[int] = ()) -> None:
    """Set each column wide enough for its longest entry (within MIN_WIDTH..MAX_WIDTH); rows in
    `skip_rows` (titles, notices that may run across columns) do not count."""
    skip = set(skip_rows)
    widths: dict[int, float] = {}
    # the first FIT_ROWS rows decide (a province's data sheet would otherwise be measured
    # cell by cell, and the widths are capped at MAX_WIDTH anyway)
    for row in ws.iter_rows(max_row=min(ws.max_row, FIT_ROWS)):
        for cell in row:
            if cell.row in skip or cell.value is None:
                continue
            width = display_width(_shown(cell)) * (1.1 if cell.font and cell.font.b else 1.0)
            widths[cell.column] = max(widths.get(cell.column, 0), width)
    for column, width in sorted(widths.items()):
        ws.column_dimensions[get_column_letter(column)].width = round(
            min(max(width + 2, MIN_WIDTH), MAX_WIDTH), 1)


# --- sheets --------------------------------------------------------------------------------

def _sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: forbidden characters replaced, no quote at either end, at
    most 31 characters; a clash gets ' (2)', ' (3)', ... (sheet names ignore case)."""
    base = name.translate(_SHEET_NAME_FORBIDDEN).strip().strip("'") or "_"
    candidate, n = base[:MAX_SHEET_NAME], 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[:MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def _records(frame: pd.DataFrame) -> list[dict]:
    return [dict(zip(frame.columns, values, strict=True))
            for values in frame.itertuples(index=False, name=None)]


def _row(record: dict):
    """A record as an object with attributes (what labels.requirement_text reads)."""
    return SimpleNamespace(**record)


def _on_stage(r: dict) -> bool:
    return r["basis"] == "stage" and bool(r["stage"])


def _shown_actual(r: dict) -> object:
    """As the HTML shows it: the stage's figure when judged on a stage, a task's too."""
    return r["judged_actual"] if _on_stage(r) or r["kind"] == "task" else r["actual"]


def _shown_completion(r: dict) -> object:
    if _on_stage(r) and not _missing(r["target"]) and r["target"]:
        return r["judged_actual"] / r["target"]
    return r["completion"]


def _indicator_columns(data: ReportData, lang: str) -> list[Column]:
    """indicator, unit, target, actual, completion, requirement, due, short, status."""
    catalog = data.catalog
    return [
        Column("col.indicator", "text", lambda r: indicator_label(r["indicator"], lang, catalog)),
        Column("col.unit", "text", lambda r: unit_label(r["unit"], lang)),
        Column("col.target", "count", lambda r: r["target"]),
        Column("col.actual", "count", _shown_actual),
        Column("col.denominator", "count", lambda r: r["denominator"]),
        Column("col.completion", "percent", _shown_completion),
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
    from helpers.render.html import rank_text

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
    write_table(ws, 1, columns, _records(commentary.carry_over_table(data)), lang,
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
        from helpers.render.ledger_section import write_ledger_sheet  # it imports this module

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


__all__ = ["build_workbook", "display_width", "report_timestamp", "write_report_xlsx",
           "write_text"]
