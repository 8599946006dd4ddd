"""The run log under an output folder: one line per event, appended, never rewritten, so cron
and auditors can see what was due, what ran, how long it took and how it ended."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

LOG_NAME = "runs.log"


def log_event(out_dir: Path, event: str, **fields: object) -> None:
    """Append `time event key=value ...` to <out_dir>/runs.log (one write, so concurrent runs
    do not interleave within a line)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    parts = [stamp, event] + [f"{key}={_quote(value)}" for key, value in fields.items()]
    line = " ".join(parts).replace("\n", " | ") + "\n"
    fd = os.open(out_dir / LOG_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def _quote(value: object) -> str:
    text = str(value)
    return f'"{text}"' if (" " in text or not text) else text
