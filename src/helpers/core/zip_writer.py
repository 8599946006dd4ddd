"""A zip archive with the very bytes Python 3.11's zipfile writes on Unix (`ZipFile(out, "w",
ZIP_DEFLATED)`, each entry a ZipInfo written whole or piece by piece), its large entries
compressed side by side. zlib lets go of the interpreter while it compresses, so two threads
compress two parts at once: a province's workbook has two sheets of ~100 MB (~1.3 s of zlib
each), which zipfile, one entry at a time behind one write handle, compresses one after the
other.

Only what the report packages need is written: deflated entries, no comments, no extra
fields, no ZIP64 (an entry or an archive past ~2 GiB is refused, where zipfile would switch to
ZIP64 records). The entries are always marked as made on Unix, as zipfile marks them everywhere
but on Windows. tests/unit/core/test_zip_writer.py compares the bytes with zipfile's.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass

# zipfile's defaults: the version that deflate needs, made on Unix (3), -rw------- files
VERSION = 20
MADE_ON_UNIX = 3
FILE_MODE = 0o600 << 16
DEFLATED = 8
UTF8_NAME = 0x800  # flag bit: the name is UTF-8 (zipfile sets it for a name beyond ASCII)
ZIP32_LIMIT = (1 << 31) - 1  # zipfile's ZIP64_LIMIT: beyond it, it writes ZIP64 records
LARGE = 1 << 20  # entries at least this long (or given as pieces) compressed in a thread
READ_AHEAD = 16  # entries read beyond the one being written, at most

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Entry:
    """One file of the archive: its name, its time (year, month, day, hour, minute, second;
    1980 at the earliest, as zip stores it) and its content, bytes or a function giving its
    pieces in order (a part too long to hold whole). The function is called once, in a worker
    thread, possibly while other entries' functions run."""

    name: str
    date_time: tuple[int, int, int, int, int, int]
    content: bytes | Callable[[], Iterable[bytes]]


@dataclass(frozen=True)
class _Deflated:
    crc: int
    size: int
    data: bytes


def _deflate(content: bytes | Callable[[], Iterable[bytes]]) -> _Deflated:
    """The content compressed as zipfile compresses an entry (raw deflate, zlib's default
    level), with its CRC-32 and length."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    crc = size = 0
    out = []
    for piece in (content,) if isinstance(content, bytes) else content():
        crc = zlib.crc32(piece, crc)
        size += len(piece)
        out.append(compressor.compress(piece))
    out.append(compressor.flush())
    return _Deflated(crc, size, b"".join(out))


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    if year < 1980:
        raise ValueError(f"a zip entry's time cannot be before 1980: {date_time}")
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def _encoded(name: str) -> tuple[bytes, int]:
    """The name as stored, and its flag bits."""
    if "\x00" in name:  # zipfile would cut the name there
        raise ValueError(f"a zip entry's name cannot hold a NUL character: {name!r}")
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), UTF8_NAME


def zip_bytes(entries: Iterable[Entry], threads: int | None = None) -> bytes:
    """The archive of `entries`, in their order; entries of at least LARGE bytes, or given as
    pieces, are compressed by `threads` threads (default: one per core, at most 4), the rest
    as they come. Beyond the archive itself, holds the content of at most `threads` entries
    being compressed and of the few read ahead of them."""
    threads = threads or min(4, os.cpu_count() or 1)
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0

    def write(name: str, date_time: tuple[int, ...], deflated: _Deflated) -> None:
        nonlocal offset
        # where zipfile would write ZIP64 records (for an entry written whole: from 1/1.05 of
        # its limit on; an entry written in pieces is refused a little early)
        if max(deflated.size * 1.05, len(deflated.data)) > ZIP32_LIMIT:
            raise ValueError(f"{name}: past the ~2 GiB a zip entry is written within here")
        if offset > ZIP32_LIMIT:
            raise ValueError(f"{name}: the archive is past the 2 GiB it is written within here")
        encoded, flags = _encoded(name)
        time, date = _dos_time(date_time)
        out.append(_LOCAL.pack(b"PK\x03\x04", VERSION, 0, flags, DEFLATED, time, date,
                               deflated.crc, len(deflated.data), deflated.size, len(encoded),
                               0))
        out.append(encoded)
        out.append(deflated.data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", VERSION, MADE_ON_UNIX, VERSION, 0, flags,
                                     DEFLATED, time, date, deflated.crc, len(deflated.data),
                                     deflated.size, len(encoded), 0, 0, 0, 0, FILE_MODE,
                                     offset)
                       + encoded)
        offset += _LOCAL.size + len(encoded) + len(deflated.data)

    # closed first on an error here: what is queued is cancelled before the pool waits
    with (ThreadPoolExecutor(threads) as pool,
          closing(_in_order(entries, pool, threads)) as ordered):
        for name, date_time, deflated in ordered:
            write(name, date_time, deflated)
    directory = b"".join(central)
    if offset + len(directory) > ZIP32_LIMIT or len(central) > 0xFFFF:
        raise ValueError("past the size or the number of entries a zip is written within here")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join([*out, directory, end])


def _in_order(entries: Iterable[Entry], pool: ThreadPoolExecutor, threads: int
              ) -> Iterator[tuple[str, tuple[int, ...], _Deflated]]:
    """Each entry's name, time and compressed content, in order; the large ones compressed in
    `pool`, at most `threads` at a time, and at most READ_AHEAD entries read beyond the one
    being written. On any error, what is queued is cancelled before it raises (the pool's
    end waits only for what is running)."""
    ahead: deque[tuple[str, tuple[int, ...], Future | _Deflated]] = deque()
    queued = 0  # Futures in `ahead`
    try:
        for entry in entries:
            _encoded(entry.name)  # a bad name or time fails before its work is queued
            _dos_time(entry.date_time)
            if not isinstance(entry.content, bytes) or len(entry.content) >= LARGE:
                ahead.append((entry.name, entry.date_time,
                              pool.submit(_deflate, entry.content)))
                queued += 1
            else:  # compressed now: only the compressed bytes wait in line
                ahead.append((entry.name, entry.date_time, _deflate(entry.content)))
            while queued > threads or len(ahead) > READ_AHEAD:
                name, date_time, job = ahead.popleft()
                queued -= isinstance(job, Future)
                yield name, date_time, _done(job)
        while ahead:
            name, date_time, job = ahead.popleft()
            yield name, date_time, _done(job)
    except BaseException:
        for _, _, job in ahead:
            if isinstance(job, Future):
                job.cancel()
        raise


def _done(job: Future | _Deflated) -> _Deflated:
    return job.result() if isinstance(job, Future) else job
