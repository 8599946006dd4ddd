"""Reading a filled return template (helpers.render.return_template_book) dropped into
<year>/progress/: recognised by its veryHidden sheet, checked against what was sent (year,
reporting date, districts, the checksum over every protected cell) and read with each figure's
cell as its source (2019/progress/<file>!填报!J5). Every refusal is a Problem naming the file,
the sheet and cell, and what is wrong."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import MAX_ROW

from helpers.core.problems import Problem, cell_location
from helpers.core.text_safety import one_line
from helpers.ingest.catalog import Catalog
from helpers.ingest.normalize import NotANumber, as_count, parse_number
from helpers.ingest.template_format import (
    CELL_HEADER,
    FIELD_ROW,
    FIGURE_COLUMNS,
    FIGURE_HEADER_ROW,
    FIRST_FIGURE_ROW,
    FORMAT_VERSION,
    HEADER_ROW,
    HIDDEN_SHEET,
    INPUT_COLUMN,
    INPUT_HEADER_PREFIXES,
    TEMPLATE_SHEETS,
    canonical,
    cell_digest,
    template_checksum,
)
from helpers.ingest.wide_tables import open_checked_workbook
from helpers.ingest.workbook_guard import sheet_titles

_FILE_DATE = re.compile(r"((?:19|20)[0-9]{2})-([0-9]{2})-([0-9]{2})")
MAX_NAMED_CELLS = 20  # edited cells named one by one; beyond, a count


def template_kind(data: bytes) -> str | None:
    """"template" for a workbook holding a template's hidden sheet, "maybe" for one with a
    sheet named like a template's (helpers.ingest.return_templates.headless_problem decides),
    None for any other workbook (a wide return)."""
    titles = sheet_titles(data)
    if HIDDEN_SHEET in titles:
        return "template"
    if any(title in TEMPLATE_SHEETS for title in titles):
        return "maybe"
    return None


def headless_problem(data: bytes, rel: str) -> Problem | None:
    """The refusal of a workbook that looks like a return template (its sheet, its input
    column's header) but whose hidden sheet was removed; None when it is not a template."""
    wb, _ = open_checked_workbook(data, rel)
    if wb is None:
        return None  # the wide reader names why it cannot be read
    for ws in wb.worksheets:
        header = ws[f"{INPUT_COLUMN}{HEADER_ROW}"].value if ws.title in TEMPLATE_SHEETS else None
        if isinstance(header, str) and header.startswith(INPUT_HEADER_PREFIXES):
            return Problem(rel, cell_location(ws.title, f"{INPUT_COLUMN}{HEADER_ROW}"),
                           f"looks like a return template but its hidden sheet {HIDDEN_SHEET} "
                           "was removed, so what was sent cannot be checked: fill in a fresh "
                           "template (python -m helpers templates)")
    return None


def _file_date(rel: str) -> tuple[dt.date | None, str]:
    match = _FILE_DATE.match(Path(rel).name)
    if not match:
        return None, ""
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3])), match[0]
    except ValueError:
        return None, match[0]


def read_template_return(data: bytes, rel: str, catalog: Catalog, year: int):
    """(rows, problems, as_of) of a filled template: rows are (district, indicator, stage,
    as_of, value, source) as every return's. A template that cannot be trusted (another year,
    another date than its file name, edited protected cells) yields no rows."""
    wb, problems = open_checked_workbook(data, rel)
    if wb is None:
        return [], problems, None
    hidden = wb[HIDDEN_SHEET]
    header = {name: canonical(hidden.cell(row, 2).value) for name, row in FIELD_ROW.items()}

    def at_field(name: str):
        return cell_location(HIDDEN_SHEET, f"B{FIELD_ROW[name]}")

    if header["template_format"] != FORMAT_VERSION:
        return [], [*problems, Problem(rel, at_field("template_format"),
                                       f"unknown template format "
                                       f"{one_line(header['template_format'])[:60]!r} (this "
                                       f"version reads {FORMAT_VERSION})")], None
    try:
        as_of = dt.date.fromisoformat(header["as_of"])
    except ValueError:
        return [], [*problems, Problem(rel, at_field("as_of"), "the template's reporting date "
                                       f"{one_line(header['as_of'])[:40]!r} is not a date")], None
    if header["year"] != str(year) or as_of.year != year:
        return [], [*problems, Problem(rel, at_field("year"),
                                       f"a template of {one_line(header['year'])[:10]} (as of "
                                       f"{as_of}) in the {year} folder: put it in "
                                       f"{header['year'][:10]}/progress/")], as_of
    named, text = _file_date(rel)
    if text and named != as_of:
        shown = f"file name date {text}" + ("" if named else " (not a calendar date)")
        return [], [*problems, Problem(rel, at_field("as_of"),
                                       f"the template is as of {as_of} but its {shown} "
                                       "differs: rename the file or fill in the template of "
                                       "that date")], as_of
    sheet_name = header["sheet"]
    if sheet_name not in wb.sheetnames:
        return [], [*problems, Problem(rel, at_field("sheet"),
                                       f"the template's sheet {one_line(sheet_name)[:40]!r} is "
                                       "missing")], as_of
    ws = wb[sheet_name]
    figures, figure_rows, digests = _hidden_tables(hidden)
    inputs = {figure[0] for figure in figures}
    cells = [(cell.coordinate, cell.value) for line in ws.iter_rows() for cell in line
             if cell.value is not None and cell.coordinate not in inputs]
    if template_checksum(header, figures, cells) != header["checksum"]:
        return [], [*problems, *_edited_cells(rel, sheet_name, cells, digests)], as_of
    # The checksum shows what was sent was not changed by mistake; anyone can recompute it,
    # so the figures' places and bounds are still checked before a cell is read by them.
    malformed = _malformed_figures(rel, figures, figure_rows)
    if malformed:
        return [], [*problems, *malformed], as_of
    rows = []
    for coordinate, district, code, stage, _, last_date, minimum, _ in figures:
        where = cell_location(sheet_name, coordinate)
        if catalog.district_name(district) != district:
            problems.append(Problem(rel, where, f"a template for {one_line(district)[:40]}, "
                                                "a district not in the catalogue"))
            continue
        if code not in catalog.indicator_by_code or (
                stage and catalog.stage_code(code, stage) != stage):
            problems.append(Problem(rel, where, f"the template asks for {one_line(code)[:60]}"
                                                f"{'/' + stage[:30] if stage else ''}, not in "
                                                "the catalogue"))
            continue
        value, reason = _whole_number(ws[coordinate].value)
        if reason:
            problems.append(Problem(rel, where, reason))
            continue
        if value is None:
            continue  # not reported, as a blank cell of any return
        if value < int(minimum):
            problems.append(Problem(rel, where,
                                    f"{value} is below {minimum}, the figure last reported "
                                    f"({one_line(last_date)[:10] or 'before'}): a cumulative "
                                    "figure does not go down"))
            continue
        rows.append((district, code, stage, as_of, value,
                     f"{rel}!{sheet_name}!{coordinate}"))
    return rows, problems, as_of


def _hidden_tables(hidden) -> tuple[list[tuple[str, ...]], list[int], dict[str, str]]:
    """The hidden sheet's figures (as text, FIGURE_COLUMNS), the row of each, and its digest
    per protected cell."""
    figures: list[tuple[str, ...]] = []
    rows: list[int] = []
    digests: dict[str, str] = {}
    width = len(FIGURE_COLUMNS)
    in_cells = False
    for row, line in enumerate(hidden.iter_rows(min_row=FIGURE_HEADER_ROW + 1, max_col=width,
                                                values_only=True), start=FIGURE_HEADER_ROW + 1):
        if line[0] is None:
            continue
        if line[0] == CELL_HEADER[0]:
            in_cells = True
        elif in_cells:
            digests[canonical(line[0])] = canonical(line[1])
        else:
            figures.append(tuple(canonical(value) for value in line))
            rows.append(row)
    return figures, rows, digests


_INPUT_CELL = re.compile(rf"{INPUT_COLUMN}([1-9][0-9]{{0,6}})")
_BOUND = re.compile(r"[0-9]{1,15}")  # a count; 15 digits: any figure a district reports


def _malformed_figures(rel: str, figures: list[tuple[str, ...]],
                       rows: list[int]) -> list[Problem]:
    """One problem per figure of the hidden sheet whose input cell is not a cell of the input
    column below the headers, is another figure's too, or whose minimum is not a whole
    number; a template sends none of those."""
    problems, seen_cells, seen_figures = [], {}, {}
    column = {name: get_column_letter(number)
              for number, name in enumerate(FIGURE_COLUMNS, start=1)}
    for figure, row in zip(figures, rows, strict=True):
        cell, district, code, stage, _, _, minimum, _ = figure
        place = _INPUT_CELL.fullmatch(cell)
        key = (district, code, stage)
        if place is None or not FIRST_FIGURE_ROW <= int(place[1]) <= MAX_ROW:
            problem = (column["input_cell"], f"the input cell {one_line(cell)[:20]!r} is not "
                                             f"a cell of column {INPUT_COLUMN} from row "
                                             f"{FIRST_FIGURE_ROW}")
        elif cell in seen_cells:
            problem = (column["input_cell"], f"the input cell {cell} is that of row "
                                             f"{seen_cells[cell]} too")
        elif key in seen_figures:
            named = f"{one_line(district)[:40]} {one_line(code)[:60]}" + (
                f"/{one_line(stage)[:30]}" if stage else "")
            problem = (column["district"], f"the figure {named} is that of row "
                                           f"{seen_figures[key]} too")
        elif not _BOUND.fullmatch(minimum):
            problem = (column["minimum"], f"the minimum {one_line(minimum)[:20]!r} is not a "
                                          "whole number of at most 15 digits")
        else:
            seen_cells[cell], seen_figures[key] = row, row
            continue
        letter, what = problem
        problems.append(Problem(rel, cell_location(HIDDEN_SHEET, f"{letter}{row}"),
                                f"{what}: the hidden sheet was edited and cannot be read; fill "
                                "in a fresh template"))
    return problems


def _edited_cells(rel: str, sheet: str, cells: list[tuple[str, object]],
                  digests: dict[str, str]) -> list[Problem]:
    """One problem per protected cell that differs from what was sent (or one for the hidden
    sheet when no visible cell does)."""
    now = dict(cells)
    changed = [c for c in digests if cell_digest(c, now.get(c)) != digests[c]]
    added = [c for c in now if c not in digests]
    problems = [Problem(rel, cell_location(sheet, c),
                        f"protected cell changed after the template was sent (now "
                        f"{one_line(canonical(now.get(c)))[:40]!r}): the checksum does not "
                        "match; fill in a fresh template")
                for c in [*changed, *added][:MAX_NAMED_CELLS]]
    more = len(changed) + len(added) - MAX_NAMED_CELLS
    if more > 0:
        problems.append(Problem(rel, "", f"... and {more} more protected cell(s) changed"))
    if not problems:
        problems.append(Problem(rel, cell_location(HIDDEN_SHEET, f"B{FIELD_ROW['checksum']}"),
                                "the checksum does not match what was sent: the hidden sheet "
                                "was edited; fill in a fresh template"))
    return problems


def _whole_number(value: object) -> tuple[int | None, str]:
    """(a whole non-negative number or None for an empty cell, "") or (None, why not)."""
    if isinstance(value, str) and not value.strip():
        return None, ""
    try:
        number = parse_number(value)
        return (None, "") if number is None else (as_count(number), "")
    except NotANumber as exc:
        return None, f"{exc}: give a whole number"


def repeated_templates(rows: list[tuple], rel: str, seen: dict[tuple[str, dt.date], str]):
    """(rows, problems): a district's figures of a date come from one template; a second
    template for the same district and date is refused by name (its rows left out)."""
    problems, kept = [], []
    mine = {(row[0], row[3]) for row in rows}
    repeated = {key for key in mine if key in seen}
    for district, as_of in sorted(repeated):
        problems.append(Problem(rel, "", f"a second template for {district} as of {as_of} "
                                         f"(the first is {seen[(district, as_of)]})"))
    for key in mine - repeated:
        seen[key] = rel
    kept = [row for row in rows if (row[0], row[3]) not in repeated]
    return kept, problems
