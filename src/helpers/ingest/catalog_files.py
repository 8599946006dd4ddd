"""Reading the catalogue's CSV files: every row as text, checked for what a report cannot print
(control characters, telephone numbers), from the run's snapshot or through the bounded
reader; and the small checks their columns share."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from pathlib import Path

from helpers.core.disclosure import has_phone
from helpers.core.errors import CatalogError, InputFileError
from helpers.core.text_safety import character_name, one_line, unusable_character

# a cell that is only a number (a figure, a share, a year): never read as a telephone number
_NUMBER_CELL = re.compile(r"[\d.,\s]*")


def read_rows(root: Path, rel: str, required: list[str],
               snapshot=None) -> list[tuple[int, dict[str, str]]]:
    """The rows of a catalogue file (`rel`, relative to the raw folder `root`), from the run's
    snapshot of the inputs when given (else read from disk through the bounded reader)."""
    from helpers.core.safe_read import read_bounded

    try:
        data = snapshot.require(rel) if snapshot is not None else read_bounded(
            Path(root) / rel, rel, root=Path(root))
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError(f"{rel}: missing column(s) {', '.join(missing)}")
        # the line the reader is at, not a count of records: a blank line is skipped
        rows = [(reader.line_num, {k: (v if isinstance(v, str) else "").strip()
                                   for k, v in row.items() if isinstance(k, str)})
                for row in reader]
        # the whole text at once: only a file that holds such a character is read cell by cell
        unusable = unusable_character if unusable_character(text) else _none
        phone = functools.cache(has_phone)  # a file repeats its names and sources
        for line, row in rows:
            for column, value in row.items():
                found = unusable(column + value)
                if found is not None:
                    raise CatalogError(f"{rel} line {line}, column {one_line(column)}: "
                                       f"character {character_name(found[1])} is not text a "
                                       "report can print; remove it")
                if not _NUMBER_CELL.fullmatch(value) and phone(value):
                    raise CatalogError(f"{rel} line {line}, column {one_line(column)}: "
                                       "holds a telephone number, which a report would "
                                       "publish; remove it")
        return rows
    except InputFileError as exc:
        if exc.reason == "not found":
            raise CatalogError(f"catalogue file missing: {rel}") from None
        raise CatalogError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{rel}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise CatalogError(f"{rel}: not readable as CSV ({exc})") from None


def require_raw_folder(root: Path) -> None:
    """CatalogError when the raw data folder itself is missing or not a folder (rather than
    the first catalogue file it would hold)."""
    if not Path(root).is_dir():
        why = "is not a folder" if Path(root).exists() else "does not exist"
        raise CatalogError(f"the raw data folder {root} {why} (--raw-dir, or the raw_dir "
                           "parameter)")


def _none(_text: str) -> None:
    return None


def present(root: Path, rel: str, snapshot) -> bool:
    """Whether an optional catalogue file is there (in the snapshot, when given; a refused one
    counts as there, so that reading it reports why)."""
    if snapshot is None:
        return (Path(root) / rel).is_file()
    return rel in snapshot.files or rel in snapshot.refused


def iso_date(text: str, where: str, name: str) -> dt.date:
    """A date column's value (YYYY-MM-DD); CatalogError names the column and what it holds."""
    if not text:
        raise CatalogError(f"{where}, column {name}: empty; give a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CatalogError(f"{where}, column {name}: {one_line(text)[:40]!r} is not a date "
                           "(YYYY-MM-DD, a day of the calendar)") from None


def decimal_number(text: str, where: str, name: str) -> float:
    """A column's decimal number; CatalogError names the column and what it holds."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise CatalogError(f"{where}, column {name}: {one_line(text)[:40]!r} is not a number")
    return value


def fraction(text: str, where: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise CatalogError(f"{where}: {name} {text!r} is not a number") from exc
    if not 0.0 <= value <= 1.0:
        raise CatalogError(f"{where}: {name} {value:g} is not in [0, 1]")
    return value
