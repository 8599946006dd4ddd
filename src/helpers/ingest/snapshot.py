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

import fnmatch
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.disclosure import has_phone, mask_phones
from helpers.core.errors import InputFileError
from helpers.core.limits import (
    MAX_FILES_PER_FOLDER,
    MAX_SNAPSHOT_BYTES,
)
from helpers.core.problems import Problem
from helpers.core.safe_read import confined_path, os_reason, read_bounded, size_limit
from helpers.core.text_safety import has_control_characters, one_line

# What one year's run reads, relative to the raw folder ({year} is filled in): folders are
# listed and every entry matching the pattern is read (or refused with a problem).
INPUT_PATTERNS = (
    ("catalog", "*.csv"),
    ("{year}/plan", "*.csv"),
    ("{year}", "allocation.xlsx"),
    ("{year}", "allocation.docx"),
    ("{year}/progress", "*"),
    ("{year}", "ledger.xlsx"),
    ("{year}/narrative", "*"),
)


def is_ignored(name: str) -> bool:
    """Hidden files, Excel's lock files (~$...) and read-me files are never inputs."""
    return name.startswith((".", "~$")) or name.lower() == "readme.md"


def name_problem(name: str) -> str | None:
    """Why a file name cannot be used in messages, logs and reports, or None."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8; rename the file"
    if has_control_characters(name):
        return "file name contains control characters; rename the file"
    if has_phone(name):  # the name is published (manifest, sources, hover texts): no number
        return ("file name holds a telephone number, which would be published with it; "
                "rename the file")
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
        shown = one_line(mask_phones(rel))  # a refused name is shown without its number
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
            self.refused[folder] = Problem(one_line(folder), "", os_reason(exc))
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


__all__ = ["INPUT_PATTERNS", "InputSnapshot", "SnapshotFile", "is_ignored", "take_snapshot"]
