"""Saving openpyxl workbooks (and other Office packages: report.docx) as the same bytes every
time: fixed document properties and zip entry times (the writers stamp the current time into
both)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from openpyxl import Workbook

from helpers.core.atomic_io import write_bytes_atomic
from helpers.core.zip_writer import Entry, zip_bytes

# Zip cannot store times before 1980; this is the fallback when nothing else fixes the time.
DEFAULT_EPOCH = dt.datetime(1980, 1, 1, 0, 0, 0)
_W3CDTF = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def fixed_timestamp(default: dt.datetime | None = None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else `default`, else 1980-01-01 (all UTC, no tzinfo)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return default or DEFAULT_EPOCH


def workbook_bytes(wb: Workbook, timestamp: dt.datetime) -> bytes:
    """The workbook as .xlsx bytes with `timestamp` as creation/modification time everywhere."""
    from openpyxl.xml import LXML

    if LXML:  # the bytes would differ from every other run's
        raise RuntimeError("openpyxl writes with lxml here: import helpers before openpyxl "
                           "(helpers sets OPENPYXL_LXML=False), or set it in the environment")
    timestamp = max(timestamp, DEFAULT_EPOCH).replace(microsecond=0)
    wb.properties.creator = "helpers"
    wb.properties.lastModifiedBy = None
    wb.properties.created = timestamp
    wb.properties.modified = timestamp
    from helpers.core.sheet_stream import streamed_parts
    from helpers.core.workbook_writer import save_package

    # stored, not compressed: normalized_zip compresses every part once, as it writes it
    return normalized_zip(save_package(wb, compress=False), timestamp, streamed_parts(wb))


def normalized_zip(package: bytes, timestamp: dt.datetime,
                   rewrite: dict[str, Callable[[bytes], bytes | Iterable[bytes]]] | None = None
                   ) -> bytes:
    """An Office package (xlsx, docx) rewritten with entries in name order, every entry time
    and docProps/core.xml's created/modified set to `timestamp`, fixed permissions; the parts
    named in `rewrite` passed through its function, which returns the new part or its pieces
    in order (a long sheet's streamed rows)."""
    rewrite = rewrite or {}
    timestamp = max(timestamp, DEFAULT_EPOCH).replace(microsecond=0)
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    when = timestamp.timetuple()[:6]

    def entries(src: zipfile.ZipFile) -> Iterator[Entry]:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl writes `modified` as the save time whatever the property says.
                data = _W3CDTF.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            if info.filename not in rewrite:
                yield Entry(info.filename, when, data)
                continue
            pieces = rewrite[info.filename](data)
            # a long sheet's rows (~100 MB of XML) are compressed as they are made, their XML
            # never held whole
            yield Entry(info.filename, when,
                        pieces if isinstance(pieces, bytes) else lambda pieces=pieces: pieces)

    # the bytes zipfile writes (ZIP_DEFLATED, mode 0600), the large parts compressed side by
    # side (helpers.core.zip_writer)
    with zipfile.ZipFile(io.BytesIO(package)) as src:
        return zip_bytes(entries(src))


def save_workbook(wb: Workbook, path: Path, timestamp: dt.datetime) -> None:
    """Write the workbook reproducibly and atomically."""
    write_bytes_atomic(Path(path), workbook_bytes(wb, timestamp))


def document_timestamp(day: dt.date) -> dt.datetime:
    """The time stamped into a sent document (docx properties, PDF dates): midnight of its
    drafting date, unless SOURCE_DATE_EPOCH says otherwise."""
    return fixed_timestamp(dt.datetime.combine(day, dt.time()))
