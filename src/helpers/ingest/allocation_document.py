"""An allocation table that arrived as the annex of a Word notice (<year>/allocation.docx):
the first table of the document that names a known district is read as the wide workbook's
sheet is (helpers.ingest.wide_tables.read_grid), each figure traced to its cell as
2019/allocation.docx!表1!D5 (the table's number in the document, then the column letter and
row of the cell within that table)."""

from __future__ import annotations

import io
import zipfile

from helpers.core.limits import MAX_ARCHIVE_ENTRIES, MAX_PART_BYTES, MAX_UNPACKED_BYTES
from helpers.core.problems import Problem
from helpers.ingest.catalog import Catalog
from helpers.ingest.normalize import title_years
from helpers.ingest.wide_tables import WideTable, read_grid


def table_name(number: int) -> str:
    """How the n-th table of a document is named in sources and messages (表1)."""
    return f"表{number}"


def read_wide_document(data: bytes, rel: str, catalog: Catalog, *,
                       blank_is_error: bool = True) -> WideTable:
    """The district table of a .docx's bytes, with its problems (a corrupt or oversized file,
    no table naming a known district)."""
    table = WideTable(file=rel)
    refused = _archive_problem(data)
    if refused:
        table.problems.append(Problem(rel, "", refused))
        return table
    import docx  # python-docx: only when a Word annex is read

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a malformed file
        table.problems.append(Problem(rel, "", f"unreadable or corrupt Word document "
                                               f"({type(exc).__name__}: {str(exc)[:200]})"))
        return table
    for number, word_table in enumerate(document.tables, start=1):
        if read_grid(table, table_name(number), _cells(word_table), catalog,
                     blank_is_error=blank_is_error, titled=True):
            if not table.title_location:  # the annex's title is a paragraph above its table
                table.title_years = title_years(_title_before(word_table))
                table.title_location = f"the title above {table_name(number)}"
            return table
    table.problems.append(Problem(rel, "", "no table of the document has a row naming a known "
                                           "district (is this the notice's annex?)"))
    return table


TITLE_SEARCH = 3  # paragraphs with text looked at above a table (a unit line may come between)


def _title_before(word_table) -> str:
    """The table's title: of the few paragraphs with text just above it, the nearest that
    names a table (…表), else "" (the notice's date or signature above an untitled annex is
    no title)."""
    from docx.oxml.ns import qn

    seen = 0
    for sibling in word_table._tbl.itersiblings(preceding=True):
        if sibling.tag == qn("w:tbl"):
            return ""  # another table: this one has no title of its own
        if sibling.tag == qn("w:p"):
            text = "".join(node.text or "" for node in sibling.iter(qn("w:t"))).strip()
            if not text:
                continue
            if "表" in text:
                return text
            seen += 1
            if seen >= TITLE_SEARCH:
                return ""
    return ""


def _cells(word_table) -> dict[tuple[int, int], object]:
    """(row, column) -> text; a merged cell's text is in every cell it covers, as python-docx
    gives it (a workbook's merged range is read the same way)."""
    grid = {}
    for r, row in enumerate(word_table.rows, start=1):
        for c, cell in enumerate(row.cells, start=1):
            text = cell.text.strip()
            if text:
                grid[(r, c)] = text
    return grid


def _archive_problem(data: bytes) -> str | None:
    """Why a .docx is refused before it is parsed (not a zip, too many parts, a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"not a Word document (.docx is a zip archive: {exc})"
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        return f"holds {len(infos)} parts, more than {MAX_ARCHIVE_ENTRIES}; refused"
    if any(i.file_size > MAX_PART_BYTES for i in infos) or sum(
            i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        return "unpacks to more than the size limit; refused"
    return None
