"""The report's HTML tables: every value escaped here, once, into a table of fixed id whose
columns are helpers.render.columns.Column (the per-cell loop is the page's hot path)."""

from __future__ import annotations

import html
from collections.abc import Iterable

from helpers.render.columns import Column
from helpers.words.header_words import header_words


def esc(value: object) -> str:
    """Text from the data, safe to put in HTML (a district name like '<b>' shows as text)."""
    return html.escape("" if value is None else str(value), quote=True)


def header_html(text: str) -> str:
    """A header, escaped, that may break between its words only (helpers.words.header_words;
    the page's CSS keeps the rest of a Chinese header together: word-break keep-all)."""
    lang = "en" if text.isascii() else "zh"
    return "<wbr>".join(esc(word) for word in header_words(text, lang))


def table(rows: Iterable, columns: list[Column], table_id: str, caption: str = "",
          compact: str = "") -> str:
    """An escaped HTML table with a fixed id. `compact` (a report of many districts): a class
    name for the table; no hover texts, no class on each number (compact_style right-aligns
    them by position, once for every table of that class), and cells and rows without their
    optional end tags (HTML5): under half the bytes of a long table."""
    cell_end, row_end = ("", "") if compact else ("</td>", "</tr>")
    kind = f"report-table {compact}" if compact else "report-table"
    out = [f'<table class="{kind}" id="{esc(table_id)}">']
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{header_html(c.header)}</th>" for c in columns)
               + "</tr></thead><tbody>")
    for row in rows:
        cells = []
        for column in columns:
            attrs = []
            classes = [column.css] if column.css else []
            if column.status is not None and column.status(row):
                classes.append(f"status-{column.status(row)}")
            if column.emphasis is not None and column.emphasis(row):
                classes.append("emphasis")
            if classes and compact:  # numbers by position; a status unquoted
                name = " ".join(c for c in classes if c not in ("num", "figure"))
                if name:
                    attrs.append(f"class={name}" if " " not in name else f'class="{esc(name)}"')
            elif classes:
                attrs.append(f'class="{esc(" ".join(classes))}"')
            if not compact and column.hover is not None and column.hover(row):
                attrs.append(f'title="{esc(column.hover(row))}"')
            cells.append(f"<td {' '.join(attrs)}>".replace("<td >", "<td>")
                         + esc(column.text(row)) + cell_end)
        out.append("<tr>" + "".join(cells) + row_end)
    out.append("</tbody></table>")
    return "".join(out)


def compact_style(columns: list[Column], compact: str) -> str:
    """The style of compact tables of class `compact` with these columns: their numbers
    right-aligned, as td.num is elsewhere."""
    cells = ",".join(f"table.{compact} td:nth-child({number})"
                     for number, column in enumerate(columns, start=1)
                     if "num" in column.css.split())
    return (f"<style>{cells}{{text-align:right;font-variant-numeric:tabular-nums;"
            f"white-space:nowrap}}</style>" if cells else "")
