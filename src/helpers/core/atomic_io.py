"""Writing files and folders so that readers see either the old or the new version, never a
half-written one."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temporary sibling and one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; published files are for reading
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text (\\n line ends) atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def staging_dir_for(target: Path) -> Path:
    """A new empty folder beside `target` (same file system, so the final rename is atomic)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp creates 0700; the published folder is for reading
    return staging


def swap_into_place(staging: Path, target: Path, keep_previous_as: Path | None = None) -> None:
    """Replace folder `target` by `staging` with renames only. The previous folder is moved to
    `keep_previous_as` when given, otherwise deleted after the swap.

    Between the two renames `target` is briefly absent; the previous folder then sits at
    `.<name>.retired-<pid>` and `remove_debris` (run under the lock before the next build) puts
    it back if the process was killed in that instant."""
    staging, target = Path(staging), Path(target)
    retired = None
    if target.exists():
        retired = target.with_name(f".{target.name}.retired-{os.getpid()}")
        if retired.exists():
            shutil.rmtree(retired)
        os.replace(target, retired)
    os.replace(staging, target)
    if retired is None:
        return
    if keep_previous_as is not None:
        keep_previous_as = Path(keep_previous_as)
        if keep_previous_as.exists():
            shutil.rmtree(keep_previous_as)
        os.replace(retired, keep_previous_as)
    else:
        shutil.rmtree(retired, ignore_errors=True)


def remove_debris(parent: Path, name: str) -> None:
    """Clean up after a killed run beside `parent/name` (call it holding the folder's lock):
    delete half-built staging folders; put back a previous folder that a kill caught between
    the two renames of `swap_into_place`, or delete it if the new one made it into place."""
    parent = Path(parent)
    if not parent.is_dir():
        return
    for leftover in parent.glob(f".{name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    retired = sorted(parent.glob(f".{name}.retired-*"), key=lambda p: p.stat().st_mtime)
    target = parent / name
    if retired and not target.exists():
        os.replace(retired.pop(), target)
    for leftover in retired:
        shutil.rmtree(leftover, ignore_errors=True)
