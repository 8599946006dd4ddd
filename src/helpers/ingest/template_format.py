"""The shape of a district return template, shared by the writer (helpers.render
.return_template_book) and the reader (helpers.ingest.return_templates): sheet names, the
hidden sheet's fields, and the checksum over what was sent."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

FORMAT_VERSION = "helpers-return-template/1"
HIDDEN_SHEET = "模板校验"  # veryHidden: what was sent and its checksum
FIELDS = ("template_format", "year", "unit_kind", "unit", "as_of", "sheet", "checksum")
FIELD_ROW = {name: row for row, name in enumerate(FIELDS, start=1)}  # column A name, B value
FIGURE_HEADER_ROW = len(FIELDS) + 2  # then one row per input cell
FIGURE_COLUMNS = ("input_cell", "district", "indicator", "stage", "last_value", "last_date",
                  "minimum", "maximum")
CELL_HEADER = ("protected_cell", "sha256")  # after the figures, one row per protected cell
HEADER_ROW = 3  # the visible sheet's column headers
FIRST_FIGURE_ROW = HEADER_ROW + 1
INPUT_COLUMN = "J"  # the one column a clerk types into
# The visible sheet's name and the start of its input column's header in every language
# (helpers.words labels template.sheet and template.col.input): a workbook with such a sheet
# and header but no hidden sheet is a template whose hidden sheet was removed.
TEMPLATE_SHEETS = ("填报", "Return")
INPUT_HEADER_PREFIXES = ("本次累计数", "Cumulative figure as of")


@dataclass(frozen=True)
class TemplateFigure:
    """One input cell of a template: which figure it holds and what it must respect."""

    input_cell: str  # J5
    district: str
    indicator: str
    stage: str
    last_value: int | None
    last_date: dt.date | None
    minimum: int
    maximum: int

    def fields(self) -> tuple[str, ...]:
        """The figure as the hidden sheet stores it (text, so it reads back the same)."""
        return (self.input_cell, self.district, self.indicator, self.stage,
                "" if self.last_value is None else str(self.last_value),
                self.last_date.isoformat() if self.last_date else "",
                str(self.minimum), str(self.maximum))


def canonical(value: object) -> str:
    """A cell's value as one text for the checksum: numbers without a trailing .0, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def cell_digest(coordinate: str, value: object) -> str:
    """SHA-256 of one protected cell (its place and value): names a cell edited after sending."""
    return hashlib.sha256(f"{coordinate}\t{canonical(value)}".encode()).hexdigest()


def template_checksum(header: dict[str, str], figures: Iterable[tuple[str, ...]],
                      cells: Iterable[tuple[str, object]]) -> str:
    """SHA-256 over what a template holds that the clerk may not change: its header fields
    (format, year, unit, as-of date, sheet), its figures (district, indicator, stage, last
    figure and date, bounds) and every protected cell of the visible sheet, in order."""
    digest = hashlib.sha256()
    for name in FIELDS:
        if name != "checksum":
            digest.update(f"{name}\t{header.get(name, '')}\n".encode())
    for figure in figures:
        digest.update(("figure\t" + "\t".join(figure) + "\n").encode())
    for coordinate, value in cells:
        digest.update(f"cell\t{coordinate}\t{canonical(value)}\n".encode())
    return digest.hexdigest()
