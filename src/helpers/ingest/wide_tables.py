"""Reading district x indicator workbooks as they really arrive: title and note rows, merged
cells, multi-row headers, blank rows, a 合计 row, footnotes, any column order."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from helpers.core.errors import InputFileError, ReportError
from helpers.core.problems import ERROR, WARNING, Problem, cell_location, row_location
from helpers.core.safe_read import read_bounded
from helpers.ingest.catalog import Catalog
from helpers.ingest.normalize import (
    NotANumber,
    as_count,
    date_in_text,
    format_decimal,
    header_key,
    is_footnote,
    is_total_label,
    normalize_text,
    parse_number,
    title_years,
)
from helpers.ingest.workbook_guard import scan_workbook

_SKIPPED_HEADERS = {"序号", "县(市、区)", "县(市,区)", "县市区", "地区", "区域", "单位", "district",
                    "no", "no.", "备注"}


@dataclass(frozen=True)
class CellValue:
    """One figure read from a workbook, with the cell it came from."""

    district: str
    indicator: str
    value: int
    sheet: str
    coordinate: str
    stage: str = ""  # a stage column (新增镇（街）养老服务中心（选址）); "" = the indicator itself


@dataclass
class WideTable:
    """What one workbook yielded: its figures, its reporting date if any, and its problems."""

    file: str
    sheet: str = ""
    values: list[CellValue] = field(default_factory=list)
    as_of: dt.date | None = None
    date_location: str = ""
    # the years its title names (2018年…分解表), and where: an allocation table in another
    # year's folder (a copy of last year's) is refused by it
    title_years: frozenset[int] = frozenset()
    title_location: str = ""
    problems: list[Problem] = field(default_factory=list)
    measures: list[tuple[str, str]] = field(default_factory=list)  # (code, stage) per column
    # (district, indicator) whose cell was refused: checks that follow (a return for a figure
    # without a target) do not repeat the one error for every return
    refused: set[tuple[str, str]] = field(default_factory=set)
    # cells holding a formula without a computed value (already named as such)
    formula_cells: set[tuple[str, str]] = field(default_factory=set)

    @property
    def indicators(self) -> list[str]:
        """The indicators whose own figure a column holds, in column order."""
        return [code for code, stage in self.measures if not stage]


def _grid(ws) -> dict[tuple[int, int], object]:
    """Cell values by (row, col), with a merged range's value copied into all its cells."""
    # the cells the sheet holds (iter_rows would make a cell for every empty place too)
    grid = {place: cell.value for place, cell in ws._cells.items() if cell.value is not None}
    for merged in ws.merged_cells.ranges:
        value = grid.get((merged.min_row, merged.min_col))
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if value is not None:
                    grid[(r, c)] = value
    return grid


def require_safe_xml() -> None:
    """Refuse to read workbooks unless openpyxl parses XML through defusedxml (XML bombs, XXE)."""
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise ReportError("openpyxl is not using defusedxml: install the locked environment "
                          "(make env) before reading workbooks from outside")


def open_workbook(data: bytes, rel: str):
    """Open a workbook's bytes for values, or return the Problem that says why not."""
    require_safe_xml()
    try:
        # data_only: read the values Excel cached for formulas, as the sender saw them.
        return load_workbook(io.BytesIO(data), data_only=True), None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as exc:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return None, Problem(rel, "", f"unreadable or corrupt workbook ({reason[:200]})")
    except Exception as exc:  # openpyxl raises many types for malformed files
        return None, Problem(rel, "", f"unreadable or corrupt workbook ({type(exc).__name__}: "
                                      f"{str(exc)[:200]})")


def _formula_problems(rel: str, sheet: str, cells: list[str]) -> list[Problem]:
    return [Problem(rel, cell_location(sheet, coordinate),
                    "formula without a computed value (saved by a program that does not "
                    "calculate): open and save the file in Excel or LibreOffice, or type the "
                    "figure") for coordinate in cells]


def open_checked_workbook(data: bytes, rel: str):
    """(workbook, problems): a workbook's bytes scanned against the limits (zip bombs, huge
    dimensions) before openpyxl parses them; the workbook is None when refused. Formula cells
    without a computed value are among the problems, named by cell."""
    scan = scan_workbook(data, rel)
    if scan.problems:
        return None, list(scan.problems)
    wb, problem = open_workbook(data, rel)
    if problem:
        return None, [problem]
    return wb, [problem for sheet, cells in scan.formulas_without_value.items()
                for problem in _formula_problems(rel, sheet, cells)]


def read_wide_workbook(source: bytes | Path, rel: str, catalog: Catalog, *,
                       blank_is_error: bool, titled: bool = False) -> WideTable:
    """Read the first sheet that holds a district table from a workbook's bytes (or its path).
    `blank_is_error`: an empty figure is an error (allocation) rather than an indicator not
    reported (progress); `titled`: the years its title names are read (allocation)."""
    table = WideTable(file=rel)
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        try:
            data = read_bounded(Path(source), rel)
        except InputFileError as exc:
            table.problems.append(Problem(rel, "", exc.reason))
            return table
    scan = scan_workbook(data, rel)
    if scan.problems:
        table.problems.extend(scan.problems)
        return table
    wb, problem = open_workbook(data, rel)
    if problem:
        table.problems.append(problem)
        return table
    for ws in wb.worksheets:
        grid = _grid(ws)
        formulas = scan.formulas_without_value.get(ws.title, [])
        if read_grid(table, ws.title, grid, catalog, blank_is_error=blank_is_error,
                     titled=titled, formulas=formulas):
            return table
    for sheet, cells in scan.formulas_without_value.items():
        table.problems.extend(_formula_problems(rel, sheet, cells))
    table.problems.append(Problem(rel, "", "no sheet contains a row naming a known district "
                                           "(is this the right file?)"))
    return table


def read_grid(table: WideTable, sheet: str, grid: dict[tuple[int, int], object],
              catalog: Catalog, *, blank_is_error: bool, formulas: list[str] = (),
              titled: bool = False) -> bool:
    """Read a district table from one grid of cells ((row, column) -> value: a worksheet, or a
    table of a Word document) into `table`; False when no row names a known district.
    `titled`: also the years its title names (an allocation table's)."""
    first_data_row, name_col = _find_first_district_row(grid, catalog)
    if first_data_row is None:
        return False
    first_data_row = _total_row_above(grid, first_data_row, name_col)
    table.sheet = sheet
    table.problems.extend(_formula_problems(table.file, sheet, list(formulas)))
    table.formula_cells = {(sheet, cell) for cell in formulas}
    _read_sheet(sheet, grid, first_data_row, name_col, catalog, table, blank_is_error)
    _find_title_date(sheet, grid, first_data_row, table)
    if titled:
        _find_title_years(sheet, grid, first_data_row, table)
    return True


def _find_first_district_row(grid, catalog: Catalog) -> tuple[int | None, int | None]:
    for (r, c), value in sorted(grid.items()):
        if isinstance(value, str) and catalog.district_name(value):
            return r, c
    return None, None


def _total_row_above(grid, first_district_row: int, name_col: int) -> int:
    """The first row of the table body: a 合计 row may come before the district rows."""
    r = first_district_row - 1
    while r >= 1:
        labels = [v for (rr, c), v in grid.items() if rr == r and c <= name_col]
        if any(is_total_label(v) for v in labels):
            return r
        if any(normalize_text(v) for (rr, _), v in grid.items() if rr == r):
            break
        r -= 1
    return first_district_row


_NOTE_PREFIXES = ("单位:", "计量单位", "截至", "截止")


def _is_note(text: str) -> bool:
    """A note above the header (填报单位：..., 单位：个, 截至6月30日), not a column header."""
    return is_footnote(text) or text.startswith(_NOTE_PREFIXES) or date_in_text(text) is not None


def _header_rows(grid, first_data_row: int) -> list[int]:
    """Rows of the header block: the non-blank rows right above the data (blank rows between
    header and data skipped), stopping at a title row that has a single distinct value or a
    row of notes only."""
    rows = []
    r = first_data_row - 1
    while r >= 1:
        values = {normalize_text(v) for (rr, _), v in grid.items() if rr == r} - {""}
        if not values:
            if rows:
                break
            r -= 1
            continue
        if rows and (len(values) == 1 or all(_is_note(v) for v in values)):
            break
        rows.append(r)
        r -= 1
    return sorted(rows)


def _match_column(grid, header_rows: list[int], col: int, catalog: Catalog):
    """The (indicator, stage) a column's header names, and the header text shown in messages."""
    parts = []
    for r in header_rows:
        text = normalize_text(grid.get((r, col), ""))
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    # The bottom cell alone first (a sub-header names the figure), then spans ending at it
    # (an indicator over its stage: 新增镇街养老服务中心 / 选址), then the other cells and spans.
    last = len(parts)
    candidates = [parts[-1]] if parts else []
    candidates += ["".join(parts[start:last]) for start in range(last - 1)]
    candidates += list(reversed(parts[:-1]))
    for start in range(last):
        for end in range(last - 1, start + 1, -1):
            candidates.append("".join(parts[start:end]))
    for candidate in candidates:
        found = catalog.measure_of(candidate)
        if found:
            return found, "/".join(parts)
    return None, "/".join(parts)


def _read_sheet(sheet, grid, first_data_row, name_col, catalog, table: WideTable,
                blank_is_error: bool) -> None:
    rel = table.file
    header_rows = _header_rows(grid, first_data_row)
    if not header_rows:
        table.problems.append(Problem(rel, row_location(sheet, first_data_row),
                                      "no header row above the first district row"))
        return
    max_col = max(c for (_, c) in grid)
    max_row = max(r for (r, _) in grid)

    columns: dict[int, tuple[str, str]] = {}
    for col in range(1, max_col + 1):
        if col == name_col:
            continue
        measure, header_text = _match_column(grid, header_rows, col, catalog)
        letter = get_column_letter(col)
        header_cell = f"{letter}{header_rows[-1]}"
        if measure is None:
            if header_text and header_key(header_text) in _SKIPPED_HEADERS:
                continue
            filled = [r for r in range(first_data_row, max_row + 1)
                      if col > name_col and _is_figure(grid.get((r, col)))
                      and catalog.district_name(grid.get((r, name_col)))]
            if filled and not header_text:
                # a figure nobody can attribute must not vanish silently
                table.problems.append(Problem(rel, cell_location(sheet, f"{letter}{filled[0]}"),
                                              f"figures in column {letter} (rows "
                                              f"{filled[0]}..{filled[-1]}) have no header"))
            elif header_text and any(grid.get((r, col)) not in (None, "")
                                     for r in range(first_data_row, max_row + 1)
                                     if not is_footnote(grid.get((r, name_col)))):
                close = catalog.similar_indicators(header_text)
                hint = f"; did you mean {' or '.join(close)}?" if close else ""
                table.problems.append(Problem(rel, cell_location(sheet, header_cell),
                                              f"unknown indicator {header_text!r} (not in "
                                              f"catalog/indicators.csv){hint}"))
            continue
        shown = _measure_text(measure)
        if measure in columns.values():
            other = next(c for c, v in columns.items() if v == measure)
            table.problems.append(Problem(
                rel, cell_location(sheet, header_cell),
                f"indicator {shown} appears twice (columns {get_column_letter(other)} and "
                f"{letter})"))
            continue
        if blank_is_error and (measure[1] or not catalog.indicator(measure[0]).allocated):
            table.problems.append(Problem(
                rel, cell_location(sheet, header_cell),
                f"{shown} has no allocation (kind {catalog.indicator(measure[0]).kind}"
                f"{', a stage' if measure[1] else ''}): the allocation table holds targets of "
                "count and stock indicators only"))
            continue
        columns[col] = measure
    table.measures = list(columns.values())
    if not columns:
        table.problems.append(Problem(rel, row_location(sheet, header_rows[-1]),
                                      "no column header matches a catalogue indicator"))
        return

    seen_rows: dict[str, int] = {}
    total_row: int | None = None
    sums: dict[int, int] = dict.fromkeys(columns, 0)
    uncounted: set[int] = set()  # columns whose sum misses a figure already reported as wrong
    for r in range(first_data_row, max_row + 1):
        row_values = {c: grid.get((r, c)) for c in range(1, max_col + 1)}
        if all(normalize_text(v) == "" for v in row_values.values()):
            continue
        label = row_values.get(name_col)
        first_text = next((v for v in row_values.values() if normalize_text(v)), "")
        if is_footnote(first_text) or is_footnote(label):
            break  # notes end the table
        if is_total_label(label) or any(is_total_label(v) for c, v in row_values.items()
                                        if c < name_col):
            total_row = r
            continue
        if normalize_text(label) == "":
            table.problems.append(Problem(rel, row_location(sheet, r),
                                          "row has figures but no district name"))
            uncounted.update(columns)
            continue
        district = catalog.district_name(label)
        coordinate = f"{get_column_letter(name_col)}{r}"
        if district is None:
            table.problems.append(Problem(rel, cell_location(sheet, coordinate),
                                          f"unknown district {str(label).strip()!r}"))
            uncounted.update(columns)
            continue
        if district in seen_rows:
            table.problems.append(Problem(rel, row_location(sheet, r),
                                          f"duplicate row for {district} (first in row "
                                          f"{seen_rows[district]})"))
            uncounted.update(columns)
            continue
        seen_rows[district] = r
        for col, (code, stage) in columns.items():
            coord = f"{get_column_letter(col)}{r}"
            before = len(table.problems)
            if (sheet, coord) in table.formula_cells:  # named already: no "empty figure" too
                value = None
                uncounted.add(col)
                table.refused.add((district, code))
            else:
                value = _read_count(rel, sheet, coord, row_values.get(col), table,
                                    blank_is_error)
            if len(table.problems) > before:
                uncounted.add(col)
                table.refused.add((district, code))
            if value is None:
                continue
            sums[col] += value
            table.values.append(CellValue(district, code, value, sheet, coord, stage))

    if total_row is not None:
        for col, (code, stage) in columns.items():
            coord = f"{get_column_letter(col)}{total_row}"
            raw = grid.get((total_row, col))
            try:
                number = parse_number(raw)
            except NotANumber as exc:
                table.problems.append(Problem(rel, cell_location(sheet, coord),
                                              f"total: {exc}"))
                continue
            if number is None or col in uncounted:
                continue  # no total to check, or a district figure is already reported wrong
            header = catalog.indicator(code).name_zh
            if stage:
                header += f"（{catalog.stage(code, stage).name_zh}）"
            if number != sums[col]:
                table.problems.append(Problem(
                    rel, cell_location(sheet, coord),
                    f"合计 row, column {header} ({get_column_letter(col)}): total "
                    f"{format_decimal(number)} ≠ sum of districts {sums[col]}"))


def _measure_text(measure: tuple[str, str]) -> str:
    """indicator or indicator/stage, as named in messages."""
    code, stage = measure
    return f"{code}/{stage}" if stage else code


def _is_figure(value: object) -> bool:
    """True for a cell that reads as a number."""
    try:
        return parse_number(value) is not None
    except NotANumber:
        return False


def _read_count(rel, sheet, coord, raw, table: WideTable, blank_is_error: bool) -> int | None:
    if type(raw) is int and raw >= 0:  # a typed count (most cells): as_count would return it
        return raw
    try:
        number = parse_number(raw)
        if number is None:
            if blank_is_error:
                table.problems.append(Problem(rel, cell_location(sheet, coord), "empty figure"))
            return None
        return as_count(number)
    except NotANumber as exc:
        table.problems.append(Problem(rel, cell_location(sheet, coord), str(exc)))
        return None


def _find_title_date(sheet, grid, first_data_row, table: WideTable) -> None:
    for (r, c), value in sorted(grid.items()):
        if r >= first_data_row:
            break
        if isinstance(value, dt.datetime | dt.date):
            table.as_of = value.date() if isinstance(value, dt.datetime) else value
        elif isinstance(value, str):
            table.as_of = date_in_text(value)
        if table.as_of:
            table.date_location = cell_location(sheet, f"{get_column_letter(c)}{r}")
            return


def _find_title_years(sheet, grid, first_data_row, table: WideTable) -> None:
    """The years of the table's title: the first cell above the header rows that names a
    table (…表; a header may name a year of its own: 2018年享受养老服务补贴总人数)."""
    headers = _header_rows(grid, first_data_row)
    top = headers[0] if headers else first_data_row
    for (r, c), value in sorted(item for item in grid.items() if item[0][0] < top):
        if isinstance(value, str) and "表" in value:
            table.title_years = title_years(value)
            table.title_location = cell_location(sheet, f"{get_column_letter(c)}{r}")
            return


__all__ = ["ERROR", "WARNING", "CellValue", "WideTable", "date_in_text", "read_wide_workbook"]
