"""The run log under an output folder: one line per event, appended, never rewritten, so cron
and auditors can see what was due, what ran, how long it took and how it ended.

A run writes `started report=<year>/<period> run=<id>` once it holds the report folder's lock
and `published`/`failed` with the same id when it ends. A run killed in between leaves no end
line: the next run of that report (holding the same lock, so the earlier one cannot be alive)
records `unfinished report=... run=<id>` for it. Every value is made one printable line
(helpers.core.text_safety): a file name cannot forge a line or send escape sequences to a terminal
that shows the log."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import stat
from pathlib import Path

from helpers.core.text_safety import one_line

logger = logging.getLogger(__name__)

LOG_NAME = "runs.log"
END_EVENTS = ("published", "failed", "unfinished")
_TAIL_BYTES = 4 * 1024 * 1024  # how much of the log is searched for unfinished runs


def new_run_id() -> str:
    """A short random id that ties a run's start and end lines together."""
    return secrets.token_hex(4)


def log_event(out_dir: Path, event: str, **fields: object) -> bool:
    """Append `time event key=value ...` to <out_dir>/runs.log (one write, so concurrent runs
    do not interleave within a line). Returns False, with a warning on stderr, when the log
    cannot be written (a full disk must not hide the error being logged)."""
    out_dir = Path(out_dir)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    parts = [stamp, event] + [f"{key}={_quote(value)}" for key, value in fields.items()]
    line = " ".join(parts) + "\n"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
        fd = os.open(out_dir / LOG_NAME, flags, 0o644)
        try:
            if not _is_regular(fd):
                raise OSError(f"{LOG_NAME} is not a regular file")
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as exc:
        logger.warning("could not append to %s: %s", one_line(out_dir / LOG_NAME),
                       one_line(exc.strerror or exc))
        return False
    return True


def _is_regular(fd: int) -> bool:
    return stat.S_ISREG(os.fstat(fd).st_mode)


def _quote(value: object) -> str:
    text = one_line(value).replace('"', "'")
    return f'"{text}"' if (" " in text or not text) else text


def unfinished_runs(out_dir: Path, report: str) -> list[tuple[str, str]]:
    """(run id, start time) of every run of `report` logged as started and never ended. Call
    it holding the report folder's lock, so none of them can still be running."""
    from helpers.core.errors import InputFileError
    from helpers.core.safe_read import read_bounded

    path = Path(out_dir) / LOG_NAME
    if not path.exists():
        return []
    try:
        size = path.stat().st_size
        data = read_bounded(path, LOG_NAME, limit=max(size, 1)) if size <= _TAIL_BYTES else \
            _tail(path)
    except (InputFileError, OSError):
        return []
    started: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        tokens = line.split(" ", 4)
        if len(tokens) < 4 or tokens[2] != f"report={report}" or not tokens[3].startswith(
                "run="):
            continue
        run = tokens[3][len("run="):]
        if tokens[1] == "started":
            started[run] = tokens[0]
        elif tokens[1] in END_EVENTS:
            started.pop(run, None)
    return list(started.items())


def _tail(path: Path) -> bytes:
    """The last _TAIL_BYTES of a long log (regular files only), from a whole line on."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        os.lseek(fd, -_TAIL_BYTES, os.SEEK_END)
        data = os.read(fd, _TAIL_BYTES)
    finally:
        os.close(fd)
    return data.split(b"\n", 1)[-1]
