"""Cells and tables of the report workbooks: text that can never become a formula, numbers and
dates in the report's formats, status cells in their colours, tables with a frozen header and a
filter (long ones streamed as sheet XML), columns fitted to their text."""

from __future__ import annotations

import datetime as dt
import functools
import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from helpers.core.sheet_stream import BATCH, StyleProbe, add_rows
from helpers.render.colours import STATUS_COLORS, readable_text_colour
from helpers.render.columns import Column
from helpers.words.labels import status_label

PERCENT_FORMAT = "0.0%"
PERCENT2_FORMAT = "0.00%"  # a share below 10% (2.75% against 2.8%), as the page prints it


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


_SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


MIN_WIDTH, MAX_WIDTH = 6, 60
FIT_ROWS = 2000


STREAM_AFTER = FIT_ROWS  # a table's rows beyond are written as XML text (helpers.core.sheet_stream)


_BOLD = Font(bold=True)


_TITLE = Font(bold=True, size=14)


_NOTICE = Font(bold=True, color="C00000")


_HEADER_FILL = PatternFill(fill_type="solid", fgColor="F2F2F2")


_GROUP_BORDER = Border(top=Side(style="thin", color="808080"))


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
                     "percent": PERCENT_FORMAT, "percent2": PERCENT2_FORMAT,
                     "points": POINTS_FORMAT,
                     "decimal": DECIMAL_FORMAT}[kind]
    return write_number(ws, row, column, value, number_format)


def write_header(ws: Worksheet, row: int, headers: Iterable[str], column: int = 1) -> None:
    """A bold, lightly shaded header row (headers are already reader text)."""
    for offset, text in enumerate(headers):
        cell = write_text(ws, row, column + offset, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL


def write_table(ws: Worksheet, top: int, columns: list[Column], rows: list, lang: str,
                group_key: str | None = None, empty_text: str | None = None) -> int:
    """Header at row `top`, one row per item below; frozen below the header, with an
    autofilter. A thin rule separates runs of equal `group_key`. Returns the last row used."""
    write_header(ws, top, [c.header for c in columns])
    ws.freeze_panes = ws.cell(row=top + 1, column=1).coordinate
    last = top
    previous_group = None
    for index, item in enumerate(rows[:STREAM_AFTER]):
        last = top + 1 + index
        for number, col in enumerate(columns, start=1):
            _write_value(ws, last, number, col.kind_for(item), col.cell_value(item), lang)
        if group_key is not None:
            group = getattr(item, group_key)
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


def _stream_rows(ws: Worksheet, first: int, columns: list[Column], rows: list, lang: str,
                 group_key: str | None, previous_group: object) -> int:
    """The rows of a long table from row `first` on, as sheet XML (helpers.core.sheet_stream): the
    same cells write_table makes, without an openpyxl object each. Returns the last row."""
    probe = StyleProbe(ws)
    # what Column.cell_value and Column.kind_for read, looked up once per column, not per cell
    readers = [(col.value if col.value is not None else col.text, col.kind_of, col.kind)
               for col in columns]

    def batches(previous_group: object) -> Iterator[list[tuple[list[int], list[object]]]]:
        for start in range(0, len(rows), BATCH):
            items = rows[start:start + BATCH]
            if group_key is None:
                ruled = [False] * len(items)
            else:
                groups = [getattr(item, group_key) for item in items]
                ruled = [group != before
                         for group, before in zip(groups, [previous_group, *groups], strict=False)]
                previous_group = groups[-1]
            cells = []
            for value_of, kind_of, fixed_kind in readers:
                values = list(map(value_of, items))
                kinds = ([fixed_kind] * len(items) if kind_of is None
                         else list(map(kind_of, items)))
                keys, shown = _stream_column(kinds, values, lang)
                cells.append((values, kinds, list(zip(keys, ruled, strict=True)), shown))
            yield _styled(probe, cells, ruled, lang)

    # the batches are made (and their styles probed, in order) as add_rows reads them
    count = add_rows(ws, first, batches(previous_group), len(columns))
    probe.close()
    return first + count - 1


def _styled(probe: StyleProbe, cells: list[tuple[list, list, list, list]], ruled: list[bool],
            lang: str) -> list[tuple[list[int], list[object]]]:
    """A batch's columns as (style ids, values shown) from (values, kinds, style keys, values
    shown) each; a style not yet known is probed where it first comes, row by row, as writing
    the cells one by one would (the workbook numbers its styles in that order)."""
    known = probe.ids
    new = []
    for column, (_, _, keys, _) in enumerate(cells):
        unknown = {key for key in set(keys) if key not in known}
        if unknown:
            firsts: dict[tuple, int] = {}
            for index, key in enumerate(keys):
                if key in unknown and key not in firsts:
                    firsts[key] = index
            new.extend((index, column, key) for key, index in firsts.items())
    for index, column, key in sorted(new, key=lambda found: found[:2]):
        values, kinds = cells[column][0], cells[column][1]
        probe.style_id(key, functools.partial(_probe_cell, kind=kinds[index],
                                              value=values[index], ruled=ruled[index],
                                              lang=lang))
    return [([known[key] for key in keys], shown) for _, _, keys, shown in cells]


def _probe_cell(sheet: Worksheet, row: int, kind: str, value: object, ruled: bool,
                lang: str) -> Cell:
    """The cell _write_value writes (ruled: with the group border), on the style probe's
    sheet."""
    cell = _write_value(sheet, row, 1, kind, value, lang)
    if ruled:
        cell.border = _GROUP_BORDER
    return cell


def _stream_column(kinds: list[str], values: list[object], lang: str
                   ) -> tuple[list[tuple], list[object]]:
    """What decides each streamed cell's style (its key) and the value it holds, as
    _stream_cell says, for a column's cells: the common values (nothing, a plain number, a
    date) without a call each, and a text met before in the column not worked out again (a
    district's or an indicator's name comes back on many rows)."""
    keys, shown = [], []
    add_key, add_shown = keys.append, shown.append
    seen: dict[tuple[str, str], tuple[tuple, object]] = {}  # by kind and text
    for kind, value in zip(kinds, values, strict=True):
        plain = value.__class__
        if value is None or value is pd.NA:
            add_key(_EMPTY.get(kind) or (kind, "empty"))
            add_shown(None)
        elif plain in _AS_NUMBER and kind in _NUMBER_KINDS:
            if value != value:  # NaN
                add_key(_EMPTY.get(kind) or (kind, "empty"))
                add_shown(None)
            else:
                add_key(_NUMBER[kind])
                add_shown(_AS_NUMBER[plain](value))
        elif plain is str:  # only text is looked up: 1 == 1.0 == True, and -0.0 == 0.0
            found = seen.get((kind, value))
            if found is None:
                found = seen[(kind, value)] = _stream_cell(kind, value, lang)
            add_key(found[0])
            add_shown(found[1])
        elif plain is dt.date and kind == "date":
            add_key(_DATE)
            add_shown(value)
        else:
            key, value = _stream_cell(kind, value, lang)
            add_key(key)
            add_shown(value)
    return keys, shown


# How _stream_cell shows a number of these types: a float as it is, an integer as an int (a
# Python int as it is: beyond 2**53 its digits are written through a float all the same)
_AS_NUMBER: dict[type, Callable[[object], int | float]] = {
    int: lambda value: value, float: lambda value: value, bool: int,
    np.float64: float, np.int64: lambda value: int(float(value))}
_NUMBER_KINDS = frozenset({"count", "rank", "percent", "percent2", "points", "decimal"})
# _stream_cell's keys of an empty cell and of a number, by kind, and of a date (made once)
_EMPTY = {kind: (kind, "empty") for kind in (*_NUMBER_KINDS, "text", "status", "date")}
_NUMBER = {kind: (kind, "number") for kind in _NUMBER_KINDS}
_DATE = ("date", "date")


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


@functools.lru_cache(maxsize=1 << 14)
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
    last_row, last_column = min(ws.max_row, FIT_ROWS), ws.max_column
    fonts = ws.parent._fonts
    bold: dict[int, bool] = {}  # by font id: a cell's font looked up once per font
    for (row, column), cell in ws._cells.items():
        value = cell._value
        if row > last_row or value is None or row in skip:
            continue
        font = cell._style.fontId if cell._style else 0
        if font not in bold:
            bold[font] = bool(fonts[font].b)
        text = value if isinstance(value, str) else _shown(cell)
        width = display_width(text) * (1.1 if bold[font] else 1.0)
        widths[column] = max(widths.get(column, 0), width)
    # the empty cells of that range made, as reading it cell by cell makes them: a row of
    # none is still written (<row r="n"></row>), and the workbook's bytes stay as they were
    cells = ws._cells
    for row in range(1, last_row + 1):
        for column in range(1, last_column + 1):
            if (row, column) not in cells:
                ws.cell(row=row, column=column)
    for column, width in sorted(widths.items()):
        ws.column_dimensions[get_column_letter(column)].width = round(
            min(max(width + 2, MIN_WIDTH), MAX_WIDTH), 1)


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
