"""Rows of a very long worksheet table written as sheet XML text, after the rows openpyxl
holds: a province's data sheet has over a million cells, and openpyxl keeps an object per cell
and serialises each at ~30 µs; here a cell is a few string operations.

The streamed cells look exactly as openpyxl would write them (same style ids, same number and
date encoding), only strings are inline (`t="inlineStr"`) instead of shared; Excel, LibreOffice
and openpyxl read both. Each cell's style id comes from writing one cell of that kind once on a
scratch sheet (the workbook registers the style and hands out its id), so the streamed rows can
never carry a style the workbook does not have. helpers.core.reproducible_files puts the rows into
the saved package.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from html import escape  # quote=False: & < > only, as XML character data needs
from math import isfinite

from openpyxl.compat import safe_string
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet

# per worksheet: (the cell in column A above the streamed rows, the rows, their columns)
_STREAMED = "_helpers_streamed_rows"
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_RANGE_END = re.compile(rb'([A-Z]+)(\d+)"')


class StyleProbe:
    """Style ids of cells as helpers.render.excel writes them, found by writing one cell of a
    kind on a scratch sheet that is removed before the workbook is saved."""

    def __init__(self, ws: Worksheet):
        self.workbook = ws.parent
        self.sheet = self.workbook.create_sheet("~style-probe")
        self.row = 0
        self.ids: dict[tuple, int] = {}

    def style_id(self, key: tuple, write: Callable[[Worksheet, int], object]) -> int:
        """The style id of cells described by `key`, written (once) by `write(sheet, row)`,
        which returns the cell it wrote."""
        if key not in self.ids:
            self.row += 1
            cell = write(self.sheet, self.row)
            self.ids[key] = cell.style_id  # registers the style with the workbook
        return self.ids[key]

    def close(self) -> None:
        """Remove the scratch sheet (its styles stay registered)."""
        self.workbook.remove(self.sheet)


def _cell(head: str, style: int, value: object) -> str:
    """One <c> element after its opening `head` (the reference and the style): a number, a
    date, a boolean or text (inline); empty where `value` is None or "" (kept only when it has
    a style: a border still shows)."""
    if value is None or value == "":  # openpyxl writes no value for empty text either
        return f"{head}/>" if style else ""
    if isinstance(value, bool):
        return f'{head} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'{head} t="n"><v>{_number(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'{head} t="n"><v>{_number(to_excel(value))}</v></c>'
    return _text_cell(head, escape(str(value), quote=False))


def _text_cell(head: str, text: str) -> str:
    """An inline string cell of XML-escaped `text`."""
    if _ROW_MARK in text:
        raise ValueError(f"a streamed cell holds the character {_ROW_MARK!r}, which XML "
                         "cannot hold")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'{head} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _number(value: int | float) -> str:
    return safe_string(value)  # as openpyxl writes a number (16 significant digits)


def _head(heads: dict[int, str], letter: str, style: int) -> str:
    """A cell's opening of `style` in the column (kept in `heads`)."""
    head = heads.get(style)
    if head is None:
        head = heads[style] = f'<c r="{letter}{_ROW_MARK}"' + (f' s="{style}"' if style else "")
    return head


def column_xml(letter: str, styles: Sequence[int], values: Sequence[object]) -> list[str]:
    """The <c> elements of one column's cells, row by row, _ROW_MARK where the
    row's number goes; a province's sheet has millions of cells, so plain text and numbers are
    written here without a call each, and a text met before in the column (a district's or an
    indicator's name, a status) not written again."""
    heads: dict[int, str] = {}
    texts: dict[tuple[int, str], str] = {}  # (style, text) -> its cell
    out: list[str] = []
    append = out.append
    for style, value in zip(styles, values, strict=True):
        kind = value.__class__
        if kind is str and value:
            cell = texts.get((style, value))
            if cell is None:
                cell = texts[(style, value)] = _text_cell(_head(heads, letter, style),
                                                          escape(value, quote=False))
            append(cell)
            continue
        head = _head(heads, letter, style)
        if (kind is float or kind is int) and isfinite(value):
            # safe_string's own formatting, so the digits are openpyxl's
            append(f'{head} t="n"><v>{"%.16g" % value}</v></c>')  # noqa: UP031
        else:
            append(_cell(head, style, value))
    return out


# where a streamed row's number goes (its row is only known when the workbook is saved: a notice
# row inserted above moves it); XML text can never hold this character
_ROW_MARK = "\x00"


def add_rows(ws: Worksheet, first_row: int,
             batches: Iterable[list[tuple[Sequence[int], Sequence[object]]]],
             columns: int) -> int:
    """Stream rows into `ws` from `first_row` on, right below the cell openpyxl holds in column
    A of the row above (rows inserted above later, e.g. a notice, move that cell and so the
    streamed rows); `columns`: how many columns the table spans. The rows come in batches (at
    most BATCH rows each), a batch as its columns' cells: one (style ids, values) pair per
    column, by row. Each batch is kept as its XML, compressed (a province's sheet has millions
    of cells: a few bytes each, not an object); returns how many rows."""
    anchor = ws.cell(row=first_row - 1, column=1)
    letters = [get_column_letter(n) for n in range(1, columns + 1)]
    packed: list[tuple[bytes, int]] = []  # (a batch's XML compressed, how many rows)
    for batch in batches:
        cells = [column_xml(letter, styles, values)
                 for letter, (styles, values) in zip(letters, batch, strict=True)]
        rows = [f'<row r="{_ROW_MARK}">{"".join(row)}</row>' for row in zip(*cells, strict=True)]
        if rows:
            packed.append((zlib.compress("".join(rows).encode("utf-8"), 1), len(rows)))
    setattr(ws, _STREAMED, (anchor, packed, columns))
    return sum(count for _, count in packed)


# Rows kept a batch at a time, compressed (quickly): a province's two long sheets are ~185 MB
# of XML until saved, ~25 MB so (its export process stays under 1 GiB).
BATCH = 2000


def _wider(dimension: bytes, columns: int, last: int) -> bytes:
    """The sheet's used range (<dimension>) grown to the streamed rows' columns and rows."""
    found = _RANGE_END.search(dimension)
    width, height = columns, last
    if found:
        width = max(width, column_index_from_string(found.group(1).decode()))
        height = max(height, int(found.group(2)))
    return f'<dimension ref="A1:{get_column_letter(width)}{height}" />'.encode()


def _rows_xml(first: int, packed: list[tuple[bytes, int]]) -> Iterator[bytes]:
    """The rows' XML numbered from `first`, a batch a piece: a province's sheet is ~100 MB of
    XML, never held whole."""
    mark, number = _ROW_MARK.encode(), first
    for blob, count in packed:
        rows = zlib.decompress(blob).split(b"</row>")  # text never holds it: < is escaped
        if len(rows) != count + 1 or rows[-1]:
            raise ValueError(f"a batch of {count} streamed rows reads back as {len(rows) - 1}")
        yield b"".join(row.replace(mark, b"%d" % n) + b"</row>"
                       for n, row in enumerate(rows[:-1], start=number))
        number += count


_SHEET_DATA = re.compile(rb"<sheetData>(.*)</sheetData>|<sheetData\s*/>", re.S)
_ROW = re.compile(rb'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)
_EMPTY_ROW = re.compile(rb'<row r="\d+"[^>]*?(?:/>|>\s*</row>)', re.S)


def streamed_parts(wb) -> dict[str, Callable[[bytes], Iterable[bytes]]]:
    """For each saved worksheet with streamed rows, its package part name and how to put the
    rows among the ones openpyxl wrote, as the part's pieces in order (call after wb.save,
    which names the parts)."""
    parts = {}
    for ws in wb.worksheets:
        streamed = getattr(ws, _STREAMED, None)
        if streamed is None:
            continue
        anchor, rows, columns = streamed
        first = anchor.row + 1
        last = first + sum(count for _, count in rows) - 1

        def insert(data: bytes, first: int = first, last: int = last, rows: list = rows,
                   columns: int = columns, title: str = ws.title) -> Iterator[bytes]:
            match = _SHEET_DATA.search(data)
            before, after = [], []
            for found in _ROW.finditer(match.group(1) or b""):
                number = int(found.group(1))
                if number < first:
                    before.append(found.group(0))
                elif number > last:
                    after.append(found.group(0))
                elif not _EMPTY_ROW.fullmatch(found.group(0)):  # a bug, never data lost
                    raise ValueError(f"sheet {title}: row {number} holds cells where the "
                                     f"streamed rows {first}-{last} go")
            head, tail = data[:match.start()], data[match.end():]

            def wider(found: re.Match) -> bytes:
                return _wider(found.group(0), columns, last)

            # the used range (<dimension>) comes before the rows; never inside them (text is
            # escaped)
            widened, count = _DIMENSION.subn(wider, head, count=1)
            if not count:
                tail = _DIMENSION.sub(wider, tail, count=1)
            yield widened + b"<sheetData>" + b"".join(before)
            yield from _rows_xml(first, rows)
            yield b"".join(after) + b"</sheetData>" + tail

        parts[ws.path.lstrip("/")] = insert
    return parts
