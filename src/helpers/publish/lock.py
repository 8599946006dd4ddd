"""One run at a time per report folder: an OS file lock, released by the kernel when the
holder exits or is killed, so a dead run never blocks the next one."""

from __future__ import annotations

import fcntl
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers.core.errors import OutputFailed, PublishLocked


def lock_path_for(target: Path) -> Path:
    """The lock file of a report folder: a hidden sibling."""
    target = Path(target)
    return target.parent / f".{target.name}.lock"


@contextmanager
def publish_lock(target: Path, wait_s: float = 60.0, poll_s: float = 0.2) -> Iterator[Path]:
    """Hold the report folder's lock; wait at most `wait_s`, then raise PublishLocked."""
    path = lock_path_for(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_NOFOLLOW: a lock file replaced by a link must not make us truncate what it points to
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                 0o644)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OutputFailed(f"{path} is not a regular file; remove it")
    handle = os.fdopen(fd, "r+")
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another run"
                    raise PublishLocked(
                        f"{target} is being built by {holder}; gave up after {wait_s:.0f} s. "
                        "Try again when it has finished.") from None
                time.sleep(poll_s)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield path
    finally:
        handle.close()  # closing releases the lock
