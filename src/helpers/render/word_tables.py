"""Word tables: column widths fitted to their text on the page, the header repeated on every
page, rows never split, every row naming its group and district (no merged cells: on a
continuation page they would be blank); the rows written as XML text, element for element what
python-docx's cell API writes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from html import escape  # quote=False: & < > only, as XML character data needs

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.shared import Cm, Emu, Pt
from lxml import etree

from helpers.render.colours import STATUS_COLORS, readable_text_colour
from helpers.render.document_blocks import Table
from helpers.render.word_layout import SMALL_TABLE_SIZE, TABLE_SIZE, TEXT_WIDTH, WIDE_TABLE_COLUMNS


def display_width(text: str) -> float:
    """Width in Chinese characters: wide characters 1, others one half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text)


CELL_MARGIN = Cm(0.1)  # left and right, inside every cell (Table Grid's default is 0.19 cm)


CELL_MARGINS_PT = 2 * CELL_MARGIN.pt + 3.0  # both, and some play for rounding


NO_WRAP_CHARS = 6.0  # cells up to this wide stay on one line (numbers, statuses, short names)


WRAP_AT_CHARS = 14.0  # longer text wraps, ideally at about this width


MIN_TEXT_CHARS = 4.0


_WORD = re.compile(r"[A-Za-z0-9'’.,%()+\-]+")


def _longest_word(texts) -> float:
    """The widest run of Latin letters, digits and their punctuation (a line cannot break
    inside one; Chinese text breaks between any two characters)."""
    return max((display_width(word) for text in texts for word in _WORD.findall(text)),
               default=0.0)


def _grow(current: list[float], target: list[float], room: float) -> list[float]:
    """`current` widened towards `target` as far as `room` allows, evenly in proportion."""
    if sum(target) <= room:
        return list(target)
    spare, need = room - sum(current), [t - c for t, c in zip(target, current, strict=True)]
    if spare <= 0 or not sum(need):
        return list(current)
    return [c + n * spare / sum(need) for c, n in zip(current, need, strict=True)]


def table_size(block: Table) -> float:
    """The type size of a table: 五号, or 小五 when it has many columns."""
    return SMALL_TABLE_SIZE if len(block.headers) >= WIDE_TABLE_COLUMNS else TABLE_SIZE


def column_widths(block: Table, total: int) -> list[int]:
    """Column widths (EMU) summing to `total`, in three steps: every cell of a number or short
    column on one line and every long text column at least MIN_TEXT_CHARS (and its longest
    word) wide; then, as room allows, headers on at most two lines and no word broken; then
    long text up to WRAP_AT_CHARS; what is left goes to the long text columns."""
    char, room = table_size(block), total / 12700  # points per Chinese character; EMU -> pt
    least, headed, wanted, flexible = [], [], [], []
    for index, header in enumerate(block.headers):
        cells = [row[index].text for row in block.rows]
        longest = max((display_width(text) for text in cells), default=0.0)
        head = max(display_width(header) / 2, _longest_word([header]))
        staged = [part for text in cells if "、" in text for part in text.split("、")]
        if block.numeric[index] and staged:
            # 累计完成 of a staged indicator (选址42、启动装修38、建成0) wraps at its 、, as the
            # page's does; its plain figures stay on one line
            plain = [text for text in cells if "、" not in text]
            base = want = max((display_width(t) for t in [*staged, *plain]), default=1.0)
        elif block.numeric[index] or longest <= NO_WRAP_CHARS:
            base = want = max(longest, 1.0)
        else:
            base = max(min(longest, MIN_TEXT_CHARS), _longest_word(cells))
            want = max(min(longest, WRAP_AT_CHARS), base)
            flexible.append(index)
        least.append(base * char + CELL_MARGINS_PT)
        headed.append(max(base, head) * char + CELL_MARGINS_PT)
        wanted.append(max(want, head) * char + CELL_MARGINS_PT)
    if sum(least) > room:  # cannot fit: everything in proportion
        points = [w * room / sum(least) for w in least]
    else:
        points = _grow(_grow(least, headed, room), wanted, room)
        spare = room - sum(points)
        takers = flexible or list(range(len(points)))
        share = sum(points[i] for i in takers)
        for i in takers:
            points[i] += spare * points[i] / share
    widths = [int(p * 12700) for p in points]
    widths[-1] += total - sum(widths)
    return widths


def _cell_margins(grid) -> None:
    """Narrower left and right cell margins than Table Grid's, so more columns fit."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(CELL_MARGIN.twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    grid._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption",
                                          "w:tblDescription", "w:tblPrChange")


def write_table(document, block: Table) -> None:
    """A Word table: header row repeated on every page, rows kept whole, numbers right-aligned,
    status cells in their colour; every row names its group and district, so a row on a
    continuation page reads alone (a merged cell would leave it blank there)."""
    n_cols = len(block.headers)
    grid = document.add_table(rows=0, cols=n_cols)
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = column_widths(block, int(TEXT_WIDTH))
    for index, width in enumerate(widths):
        grid.columns[index].width = width
    _cell_margins(grid)
    small = " Small" if table_size(block) == SMALL_TABLE_SIZE else ""
    heading = document.styles[f"Table Heading{small}"].style_id
    text = document.styles[f"Table Text{small}"].style_id
    twips = [Emu(width).twips for width in widths]
    # The rows as WordprocessingML text, parsed once: the XML python-docx's cell API writes,
    # element for element (tests/unit/render/test_word_report.py compares), at a fraction of
    # its cost per cell (a province's tables have tens of thousands of cells).
    rows = ["<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" + "".join(
        _cell_xml(header, heading, twips[column]) for column, header in enumerate(
            block.headers)) + "</w:tr>"]
    for row_cells in block.rows:
        cells = []
        for column, cell in enumerate(row_cells):
            colour = STATUS_COLORS.get(cell.status) if cell.status else None
            cells.append(_cell_xml(cell.text, text, twips[column], right=block.numeric[column],
                                   fill=colour))
        rows.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(cells) + "</w:tr>")
    kept = getattr(document, _ROWS_AS_TEXT, None)
    if kept is not None:  # the rows go into document.xml as text when it is saved
        etree.SubElement(grid._tbl, _ROWS_TAG)
        kept.append("".join(rows).encode("utf-8"))
    else:
        wrapper = parse_xml(f'<w:tbl {nsdecls("w")}>{"".join(rows)}</w:tbl>')
        for row in list(wrapper):
            grid._tbl.append(row)
    # a short gap after the table, so the next paragraph does not touch its bottom border
    document.add_paragraph(style="Normal").paragraph_format.line_spacing = Pt(8)


# A document whose tables' rows are kept as text (`keep_rows_as_text`): a province's tables
# are a 57 MB document.xml, ~800 MB as python-docx's element tree; as text they are its bytes.
_ROWS_AS_TEXT = "_helpers_table_rows"
_ROWS_TAG = "helpers-table-rows"  # where a table's rows go: no text can look like it (escaped)
_ROWS_PLACEHOLDER = f"<{_ROWS_TAG}/>".encode()


def keep_rows_as_text(document) -> None:
    """From now on, write_table keeps each table's rows of `document` as text, put into the
    saved document.xml by `with_rows` (only the saved file has them, not the element tree)."""
    setattr(document, _ROWS_AS_TEXT, [])


def with_rows(document) -> Callable[[bytes], Iterator[bytes]]:
    """How to put the kept rows into `document`'s saved word/document.xml: its pieces in
    order, each table's rows where lxml would have written them."""
    tables = getattr(document, _ROWS_AS_TEXT)

    def insert(data: bytes) -> Iterator[bytes]:
        pieces = data.split(_ROWS_PLACEHOLDER)
        if len(pieces) != len(tables) + 1:  # a bug: never a table without its rows
            raise ValueError(f"document.xml has {len(pieces) - 1} places for the rows of "
                             f"{len(tables)} tables")
        for piece, rows in zip(pieces, [*tables, b""], strict=True):
            yield piece
            yield rows

    return insert


def _cell_xml(text: str, style_id: str, width: int, *, right: bool = False,
              fill: str | None = None) -> str:
    """One <w:tc>: width, shading, centred vertically, a paragraph in `style_id`
    (right-aligned for numbers) with the text in black or white on a status colour."""
    properties = f'<w:tcW w:type="dxa" w:w="{width}"/>'
    run_properties = ""
    if fill:
        properties += (f'<w:shd w:val="clear" w:color="auto" '
                       f'w:fill="{fill.lstrip("#").upper()}"/>')
        run_properties = (f'<w:rPr><w:color w:val="'
                          f'{readable_text_colour(fill).lstrip("#").upper()}"/></w:rPr>')
    properties += '<w:vAlign w:val="center"/>'
    alignment = '<w:jc w:val="right"/>' if right else ""
    return (f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"{style_id}\"/>"
            f"{alignment}</w:pPr>{_run_xml(text, run_properties)}</w:p></w:tc>")


def _run_xml(text: str, run_properties: str) -> str:
    """A <w:r> as python-docx's run.text writes it: tabs as <w:tab/>, line breaks as
    <w:br/>, the text between in <w:t> (space-preserving when it starts or ends with one)."""
    parts, chunk = [], []

    def flush() -> None:
        if chunk:
            value = "".join(chunk)
            space = ' xml:space="preserve"' if value != value.strip() else ""
            parts.append(f"<w:t{space}>{escape(value, quote=False)}</w:t>")
            chunk.clear()

    for char in text:
        if char == "\t":
            flush()
            parts.append("<w:tab/>")
        elif char in "\r\n":
            flush()
            parts.append("<w:br/>")
        else:
            chunk.append(char)
    flush()
    body = run_properties + "".join(parts)
    return f"<w:r>{body}</w:r>" if body else "<w:r/>"
