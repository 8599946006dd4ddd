"""Where a report is published, and the rule that keeps every folder we write apart from the
raw data: light enough for `schedule` to decide what is due without loading the runner."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from helpers.core.errors import UnsafePlace
from helpers.core.parameters import ReportParameters
from helpers.core.text_safety import one_line


def report_folder(out_dir: Path, params: ReportParameters) -> Path:
    """<out_dir>/<year>/<period>/"""
    return Path(out_dir) / str(params.year) / params.period


def check_places(raw_dir: Path, **places: Path) -> None:
    """Raw data stays exactly as received: refuse a folder we write (out_dir=...,
    processed_dir=...) equal to or inside the raw folder, and a raw folder inside one of them
    (UnsafePlace, exit 2)."""
    raw = Path(raw_dir).resolve()
    for option, folder in places.items():
        name = "--" + option.replace("_", "-")
        place = Path(folder).resolve()
        if place == raw or place.is_relative_to(raw):
            raise UnsafePlace(f"{name} {one_line(folder)} is inside the raw folder "
                              f"{one_line(raw)}; raw data is never written to (choose another "
                              "folder)")
        if raw.is_relative_to(place):
            raise UnsafePlace(f"the raw folder {one_line(raw)} is inside {name} "
                              f"{one_line(folder)}; keep them apart")


def check_output_file(path: Path, raw_dir: Path, option: str) -> None:
    """A file a command writes (`pack --output`): never inside (or around) the raw folder, and
    never in place of something that is not a regular file (a device such as /dev/full, a FIFO,
    a folder, a symbolic link), which an atomic rename would replace (UnsafePlace, exit 2)."""
    path = Path(path)
    name = "--" + option.replace("_", "-")
    raw = Path(raw_dir).resolve()
    place = path.parent.resolve()
    if place == raw or place.is_relative_to(raw):
        raise UnsafePlace(f"{name} {one_line(path)} is inside the raw folder {one_line(raw)}; "
                          "raw data is never written to (choose another folder)")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UnsafePlace(f"{name} {one_line(path)}: cannot be used "
                          f"({one_line(exc.strerror or exc)})") from None
    if not stat.S_ISREG(mode):
        raise UnsafePlace(f"{name} {one_line(path)} exists and is not a "
                          "regular file (a device, a named pipe, a folder or a link); it is "
                          "never replaced: choose another name")
