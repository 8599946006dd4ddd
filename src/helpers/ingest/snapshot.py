"""Reading files from outside safely, and the raw inputs of a run exactly once.

`read_bounded` is the one way this package reads a file it did not write: regular files only
(a FIFO, device, socket or folder is refused before it can block or stream forever), symbolic
links resolved and confined to a root folder (no loops, no dangling links, nothing outside),
the size limit checked before reading and enforced while reading.

`take_snapshot` reads every input of one year (catalogue, allocation, returns) through it into
memory and hashes those bytes. Ingest parses the snapshot, the manifest records its hashes and
the notebook is handed the result: a file edited during a run cannot make the manifest describe
other bytes than the report used. To read a new kind of input (a ledger workbook, narrative
files), add its pattern to `INPUT_PATTERNS` and take its bytes with `InputSnapshot.data`.
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.errors import InputFileError
from helpers.core.problems import Problem
from helpers.core.text_safety import has_control_characters, one_line
from helpers.ingest.limits import (
    MAX_FILE_BYTES,
    MAX_FILES_PER_FOLDER,
    MAX_OTHER_FILE_BYTES,
    MAX_SNAPSHOT_BYTES,
    MIB,
)

# What one year's run reads, relative to the raw folder ({year} is filled in): folders are
# listed and every entry matching the pattern is read (or refused with a problem).
INPUT_PATTERNS = (
    ("catalog", "*.csv"),
    ("{year}", "allocation.xlsx"),
    ("{year}/progress", "*"),
    ("{year}", "ledger.xlsx"),
    ("{year}/narrative", "*"),
)


def is_ignored(name: str) -> bool:
    """Hidden files, Excel's lock files (~$...) and read-me files are never inputs."""
    return name.startswith((".", "~$")) or name.lower() == "readme.md"


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


def _os_reason(exc: OSError) -> str:
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
        raise InputFileError(rel, _os_reason(exc)) from None
    try:
        real = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        reason = "is a symbolic link to a missing file" if is_link else "not found"
        raise InputFileError(rel, reason) from None
    except OSError as exc:
        raise InputFileError(rel, _os_reason(exc)) from None
    if root is not None:
        real_root = Path(os.path.realpath(root))
        if real != real_root and not real.is_relative_to(real_root):
            raise InputFileError(rel, f"resolves outside its folder {one_line(root)} "
                                      "(a symbolic link?); refused")
    return real


def read_bounded(path: Path, rel: str, *, root: Path | None = None,
                 limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path` (named `rel` in messages), at most `limit`
    bytes (default: by suffix, helpers.ingest.limits). Raises InputFileError saying why not."""
    limit = size_limit(rel) if limit is None else limit
    real = confined_path(path, rel, root)
    try:
        before = os.lstat(real)
    except OSError as exc:
        raise InputFileError(rel, _os_reason(exc)) from None
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
        raise InputFileError(rel, _os_reason(exc)) from None
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
        raise InputFileError(rel, _os_reason(exc)) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _identity(status: os.stat_result) -> tuple[int, int, int, int]:
    return status.st_dev, status.st_ino, status.st_ctime_ns, status.st_size


def name_problem(name: str) -> str | None:
    """Why a file name cannot be used in messages, logs and reports, or None."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8; rename the file"
    if has_control_characters(name):
        return "file name contains control characters; rename the file"
    return None


@dataclass(frozen=True)
class SnapshotFile:
    """One input as read: its bytes and their SHA-256."""

    rel: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class InputSnapshot:
    """Every input of one run, read once: the files taken, the entries refused (each with a
    problem naming it) and the names found in each listed folder."""

    root: Path
    files: dict[str, SnapshotFile] = field(default_factory=dict)
    refused: dict[str, Problem] = field(default_factory=dict)
    listings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return list(self.refused.values())

    def data(self, rel: str) -> bytes | None:
        """The bytes of an input, or None when it was refused or not there."""
        found = self.files.get(rel)
        return found.data if found else None

    def require(self, rel: str) -> bytes:
        """The bytes of an input; InputFileError when it was refused or not there."""
        if rel in self.files:
            return self.files[rel].data
        if rel in self.refused:
            raise InputFileError(rel, self.refused[rel].message)
        raise InputFileError(rel, "not found")

    def listing(self, folder: str) -> list[str]:
        """Names (sorted) of the input entries found in a listed folder."""
        return self.listings.get(folder, [])

    def record(self, rel: str) -> dict:
        """path, size and SHA-256 of an input, as the manifest records it."""
        found = self.files[rel]
        return {"path": rel, "size": found.size, "sha256": found.sha256}

    def take(self, rel: str) -> None:
        """Read `rel` (relative to root) into the snapshot, or record why it is refused."""
        if rel in self.files or rel in self.refused:
            return
        shown = one_line(rel)
        reason = name_problem(rel)
        if reason is None:
            total = sum(f.size for f in self.files.values())
            try:
                data = read_bounded(self.root / rel, shown, root=self.root,
                                    limit=min(size_limit(rel), MAX_SNAPSHOT_BYTES - total))
            except InputFileError as exc:
                reason = exc.reason
            else:
                self.files[rel] = SnapshotFile(rel, data, hashlib.sha256(data).hexdigest())
                return
        self.refused[rel] = Problem(shown, "", reason)

    def take_folder(self, folder: str, pattern: str) -> None:
        """Read every entry of `folder` matching `pattern` (hidden and lock files skipped)."""
        names: list[str] = []
        path = self.root / folder
        try:
            real = confined_path(path, folder, self.root)
        except InputFileError as exc:
            if exc.reason != "not found":
                self.refused[folder] = Problem(one_line(folder), "", exc.reason)
            return
        if not real.is_dir():
            self.refused[folder] = Problem(one_line(folder), "", "is not a folder")
            return
        try:
            with os.scandir(real) as entries:
                for entry in entries:
                    if is_ignored(entry.name) or not fnmatch.fnmatchcase(entry.name, pattern):
                        continue
                    names.append(entry.name)
                    if len(names) > MAX_FILES_PER_FOLDER:
                        self.refused[folder] = Problem(
                            one_line(folder), "", f"holds more than {MAX_FILES_PER_FOLDER} "
                                                  "files; refused")
                        return
        except OSError as exc:
            self.refused[folder] = Problem(one_line(folder), "", _os_reason(exc))
            return
        names.sort()
        self.listings[folder] = names
        for name in names:
            self.take(f"{folder}/{name}")


def take_snapshot(raw_dir: Path, year: int) -> InputSnapshot:
    """Read every input of `year` under `raw_dir` once (see INPUT_PATTERNS)."""
    snapshot = InputSnapshot(Path(raw_dir))
    for folder, pattern in INPUT_PATTERNS:
        folder = folder.format(year=year)
        if any(ch in pattern for ch in "*?["):
            snapshot.take_folder(folder, pattern)
        else:
            rel = f"{folder}/{pattern}"
            try:
                confined_path(snapshot.root / rel, rel, snapshot.root)
            except InputFileError as exc:
                if exc.reason == "not found":
                    continue  # a missing input is the reader's to report, in its words
            snapshot.take(rel)
    return snapshot


__all__ = ["INPUT_PATTERNS", "InputSnapshot", "SnapshotFile", "confined_path", "is_ignored",
           "read_bounded", "take_snapshot"]
