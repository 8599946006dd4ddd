"""Checks on a workbook's archive before openpyxl parses it: openpyxl builds an object per cell
(and per cell of every merged or hyperlinked range), so one cell at XFD1048576 or one merged
range over the whole sheet in a 7 KB file would exhaust memory. The sheets are streamed once
through defusedxml (no entities, no DTDs) to count and locate cells, and to find formulas saved
without a computed value (openpyxl reads those as empty cells).

Limits: helpers.core.limits."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, fromstring
from openpyxl.utils import get_column_letter

from helpers.core.limits import (
    MAX_ARCHIVE_ENTRIES,
    MAX_COMPRESSION_RATIO,
    MAX_MERGED_CELLS,
    MAX_PART_BYTES,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
    MAX_UNPACKED_BYTES,
    MAX_WORKBOOK_CELLS,
    MIB,
)
from helpers.core.problems import Problem, cell_location
from helpers.core.text_safety import one_line

# What a damaged archive or part raises while it is unpacked and parsed.
_CORRUPT = (zipfile.BadZipFile, zlib.error, struct.error, SyntaxError, DefusedXmlException,
            OSError, EOFError, ValueError, KeyError, RuntimeError, NotImplementedError)
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_LIMIT_TEXT = (f"at most {MAX_SHEET_ROWS} rows and {MAX_SHEET_COLUMNS} columns "
               f"(A..{get_column_letter(MAX_SHEET_COLUMNS)})")


class _Refused(Exception):
    """Internal: the scan stopped at the first limit exceeded."""

    def __init__(self, location: str, message: str):
        self.location = location
        self.message = message


@dataclass
class WorkbookScan:
    """What the scan found: problems that refuse the workbook, and per sheet the cells holding
    a formula without a cached value."""

    problems: list[Problem] = field(default_factory=list)
    formulas_without_value: dict[str, list[str]] = field(default_factory=dict)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _cell(ref: str) -> tuple[int, int] | None:
    """(row, column) of a cell reference like B7, or None when it is not one."""
    match = _REF.fullmatch(ref.strip())
    if not match:
        return None
    return int(match[2]), _column_number(match[1])


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet title, part name) of every worksheet, in workbook order; parts that no title
    names are scanned under their part name."""
    names = set(archive.namelist())
    titled: list[tuple[str, str]] = []
    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels
                   if _local(rel.tag) == "Relationship"}
        for element in workbook.iter():
            if _local(element.tag) != "sheet":
                continue
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            target = targets.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else normpath(join("xl",
                                                                                   target))
            if part in names:
                titled.append((element.get("name", part), part))
    except _CORRUPT:
        pass  # the sheets are still scanned by part name; openpyxl names a broken part
    seen = {part for _, part in titled}
    others = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")
                    and dirname(n) == "xl/worksheets" and n not in seen)
    return titled + [(part, part) for part in others]


def _area(ref: str) -> tuple[int, int, int, int] | None:
    """(min_row, min_col, max_row, max_col) of a range like A1:C3 (or a single cell)."""
    first, _, last = ref.partition(":")
    start, end = _cell(first), _cell(last or first)
    if start is None or end is None:
        return None
    return (min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]),
            max(start[1], end[1]))


class _SheetScan:
    """The state of one sheet's scan, fed by the XML parser's element and text callbacks
    (no element objects are built: a province's sheet has a quarter of a million)."""

    def __init__(self, title: str, cells_so_far: int, scan: WorkbookScan):
        self.title, self.cells_so_far, self.scan = title, cells_so_far, scan
        self.cells = self.merged_area = self.row = self.column = 0
        self.pending_formula = self.has_value = False
        self.cell_type = self.ref = ""
        # per open element: its local name, its attributes, its text (as ElementTree's
        # .text: the character data before its first child) and whether that text is still open
        self.open: list[list] = []
        self.local: dict[str, str] = {}  # an element's name -> its local name, each name once

    def start(self, name: str, attributes: list[str]) -> None:
        tag = self.local.get(name)
        if tag is None:
            tag = self.local[name] = _local(name)
        if self.open:
            self.open[-1][3] = False  # a child ends its parent's text
        attrib = dict(zip(attributes[::2], attributes[1::2], strict=True)) if attributes else {}
        self.open.append([tag, attrib, [], True])
        if tag == "row":
            number = attrib.get("r") or ""
            self.row = int(number[:10]) if number.isascii() and number.isdigit() else \
                self.row + 1
            self.column = 0
        elif tag == "c":
            self._cell(attrib)

    def _cell(self, attrib: dict[str, str]) -> None:
        position = _cell(attrib.get("r") or "")
        if position is None:
            self.column += 1
            position = (max(self.row, 1), self.column)
        self.row, self.column = row, column = position
        self.ref = f"{get_column_letter(min(column, 18278))}{row}"
        self.cells += 1
        if self.cells_so_far + self.cells > MAX_WORKBOOK_CELLS:
            raise _Refused("", f"holds more than {MAX_WORKBOOK_CELLS:,} cells; a district "
                               "table has a few hundred (copy the table into a new "
                               "workbook)")
        if row > MAX_SHEET_ROWS or column > MAX_SHEET_COLUMNS:
            raise _Refused(cell_location(self.title, self.ref),
                           f"a cell lies outside the {_LIMIT_TEXT} a district table may "
                           "use (delete the stray cell, or copy the table into a new "
                           "workbook)")
        self.pending_formula = self.has_value = False
        self.cell_type = attrib.get("t", "")

    def data(self, text: str) -> None:
        if self.open and self.open[-1][3]:
            self.open[-1][2].append(text)

    def end(self, _name: str) -> None:
        tag, attrib, text, _ = self.open.pop()
        if tag == "f":
            self.pending_formula = True
        elif tag in ("v", "is"):
            self.has_value = (bool("".join(text).strip()) or self.cell_type == "str"
                              or tag == "is")
        elif tag == "c":
            if self.pending_formula and not self.has_value:
                self.scan.formulas_without_value.setdefault(self.title, []).append(self.ref)
        elif tag in ("mergeCell", "hyperlink"):
            self._range(tag, attrib.get("ref"))

    def comment(self, _text: str) -> None:
        """Comments are skipped (as ElementTree's tree builder skips them)."""

    def pi(self, _target: str, _text: str) -> None:
        """Processing instructions are skipped (as ElementTree's tree builder skips them)."""

    def _range(self, tag: str, ref: str | None) -> None:
        area = _area(ref or "")
        if area is None:
            return
        min_row, min_col, max_row, max_col = area
        if max_row > MAX_SHEET_ROWS or max_col > MAX_SHEET_COLUMNS:
            kind = "merged range" if tag == "mergeCell" else "hyperlink range"
            raise _Refused(cell_location(self.title, one_line(ref)),
                           f"{kind} reaches outside the {_LIMIT_TEXT} a district table "
                           "may use")
        self.merged_area += (max_row - min_row + 1) * (max_col - min_col + 1)
        if self.merged_area > MAX_MERGED_CELLS:
            raise _Refused(cell_location(self.title, one_line(ref)),
                           f"merged and hyperlinked ranges cover more than "
                           f"{MAX_MERGED_CELLS:,} cells")


def _scan_sheet(stream, title: str, cells_so_far: int, scan: WorkbookScan) -> int:
    """Stream one sheet's XML; returns the number of cells it holds. Raises _Refused."""
    sheet = _SheetScan(title, cells_so_far, scan)
    # defusedxml's parser (no entities, no external references; its errors as ElementTree
    # raises them), with the sheet's callbacks on its expat parser in place of the tree builder
    parser = DefusedXMLParser(target=sheet)
    parser.parser.StartElementHandler = sheet.start
    parser.parser.EndElementHandler = sheet.end
    while chunk := stream.read(16 * 1024):
        parser.feed(chunk)
    parser.close()
    return sheet.cells


def scan_workbook(data: bytes, rel: str) -> WorkbookScan:
    """Check a workbook's archive against the limits; every problem names the file (and the
    sheet and cell where there is one)."""
    scan = WorkbookScan()

    def refuse(location: str, message: str) -> WorkbookScan:
        scan.problems.append(Problem(rel, location, f"workbook rejected: {message}"))
        return scan

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _CORRUPT as exc:
        return _corrupt(scan, rel, exc)
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ARCHIVE_ENTRIES:
            return refuse("", f"it holds {len(entries)} parts (a workbook has a few dozen)")
        unpacked = sum(e.file_size for e in entries)
        packed = sum(e.compress_size for e in entries) or 1
        if unpacked > MAX_UNPACKED_BYTES:
            return refuse("", f"it would unpack to {unpacked // MIB} MiB (a zip bomb?)")
        if unpacked / packed > MAX_COMPRESSION_RATIO and unpacked > 10 * MIB:
            return refuse("", f"its compression ratio is {unpacked // packed}:1 (a zip bomb?)")
        largest = max(entries, key=lambda e: e.file_size, default=None)
        if largest is not None and largest.file_size > MAX_PART_BYTES:
            return refuse("", f"its part {one_line(largest.filename)} would unpack to "
                              f"{largest.file_size // MIB} MiB (a zip bomb?)")
        sheets = _sheet_parts(archive)
        if len(sheets) > MAX_SHEETS:
            return refuse("", f"it has {len(sheets)} sheets (at most {MAX_SHEETS})")
        cells = 0
        for title, part in sheets:
            try:
                with archive.open(part) as stream:
                    cells += _scan_sheet(stream, one_line(title), cells, scan)
            except _Refused as refused:
                return refuse(refused.location, refused.message)
            except _CORRUPT as exc:
                return _corrupt(scan, rel, exc)
    return scan


def sheet_titles(data: bytes) -> list[str]:
    """The sheet titles of a workbook's bytes, read from its small workbook part only (no sheet
    is parsed); [] for what is not a readable workbook (its scan names why)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > MAX_PART_BYTES:
                return []
            return [title for title, _ in _sheet_parts(archive)]
    except _CORRUPT:
        return []


def _corrupt(scan: WorkbookScan, rel: str, exc: BaseException) -> WorkbookScan:
    reason = f"{type(exc).__name__}: {one_line(exc)}" if str(exc) else type(exc).__name__
    scan.problems.append(Problem(rel, "", f"unreadable or corrupt workbook ({reason[:200]})"))
    return scan


__all__ = ["WorkbookScan", "scan_workbook", "sheet_titles"]
