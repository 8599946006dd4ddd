"""Reading a file we did not write, safely: only a regular file, within a size limit, through no
symbolic link out of its folder, and the same file from the check to the last byte (a FIFO, a
device or a file swapped while it is read is refused, never waited on)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from helpers.core.errors import InputFileError
from helpers.core.limits import MAX_FILE_BYTES, MAX_OTHER_FILE_BYTES, MIB
from helpers.core.text_safety import one_line


def size_limit(name: str) -> int:
    """The largest file of this type we read, in bytes."""
    return MAX_FILE_BYTES.get(Path(name).suffix.lower(), MAX_OTHER_FILE_BYTES)


def _size_text(size: int) -> str:
    return f"{size / MIB:.1f} MiB" if size >= MIB else f"{size} bytes"


def _kind_of(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is not a regular file"


def os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    return f"cannot be read: {exc.strerror or type(exc).__name__}"


def confined_path(path: Path, rel: str, root: Path | None) -> Path:
    """`path` with every symbolic link resolved; InputFileError when it is missing, a dangling
    link, a link loop, or (with `root`) resolves outside `root`."""
    path = Path(path)
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        raise InputFileError(rel, "not found") from None
    except OSError as exc:
        raise InputFileError(rel, os_reason(exc)) from None
    try:
        real = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        reason = "is a symbolic link to a missing file" if is_link else "not found"
        raise InputFileError(rel, reason) from None
    except OSError as exc:
        raise InputFileError(rel, os_reason(exc)) from None
    if root is not None:
        real_root = Path(os.path.realpath(root))
        if real != real_root and not real.is_relative_to(real_root):
            raise InputFileError(rel, f"resolves outside its folder {one_line(root)} "
                                      "(a symbolic link?); refused")
    return real


def read_bounded(path: Path, rel: str, *, root: Path | None = None,
                 limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path` (named `rel` in messages), at most `limit`
    bytes (default: by suffix, helpers.core.limits). Raises InputFileError saying why not."""
    limit = size_limit(rel) if limit is None else limit
    real = confined_path(path, rel, root)
    try:
        before = os.lstat(real)
    except OSError as exc:
        raise InputFileError(rel, os_reason(exc)) from None
    reason = _kind_of(before.st_mode)
    if reason:
        raise InputFileError(rel, reason)
    if before.st_size > limit:
        raise InputFileError(rel, f"is {_size_text(before.st_size)}; files of this type may "
                                  f"be at most {_size_text(limit)}")
    # O_NONBLOCK: a FIFO swapped in after the check cannot block the open; O_NOFOLLOW: nor can
    # a symbolic link swapped in for the file.
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise InputFileError(rel, os_reason(exc)) from None
    try:
        opened = os.fstat(fd)
        # the same file as checked: a swap (even onto a reused inode number) changes ctime
        if not stat.S_ISREG(opened.st_mode) or _identity(opened) != _identity(before):
            raise InputFileError(rel, "changed while it was being read; try again")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputFileError(rel, f"grew beyond {_size_text(limit)} while it was "
                                          "being read")
    except OSError as exc:
        raise InputFileError(rel, os_reason(exc)) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _identity(status: os.stat_result) -> tuple[int, int, int, int]:
    return status.st_dev, status.st_ino, status.st_ctime_ns, status.st_size
