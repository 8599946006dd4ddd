"""Publishing a run, the one transaction of reports and briefs alike: runs.log records its start
and its end (published, or failed with the reason); the target folder's lock is held while it
builds; everything is built in a staging folder beside the target and moved into place with one
rename, or nothing is published (a failed build is kept aside as .<name>.failed to debug)."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.atomic_io import (
    remove_debris,
    staging_dir_for,
    swap_into_place,
    write_text_atomic,
)
from helpers.core.errors import NotebookFailed, OutputFailed, ReportError
from helpers.core.text_safety import one_line
from helpers.publish.index_page import write_index
from helpers.publish.lock import publish_lock
from helpers.publish.run_log import log_event, new_run_id, unfinished_runs

logger = logging.getLogger(__name__)


@dataclass
class RunOutcome:
    """Where a run published, how long it took, and its step log."""

    folder: Path
    seconds: float
    log: list[str] = field(default_factory=list)


def write_failed(exc: OSError, out_dir: Path) -> OutputFailed:
    """The error for a write that failed while building (disk, permissions)."""
    return OutputFailed(f"could not write {one_line(exc.filename or out_dir)}: "
                        f"{one_line(exc.strerror or exc)}; nothing was published")


_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def is_disk_full(error: BaseException) -> bool:
    """True when `error` (or what caused it, or the kernel's error it reports) is a full disk
    or an exceeded quota."""
    seen = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _DISK_FULL:
            return True
        seen = seen.__cause__ or seen.__context__
    text = str(error)
    return any(os.strerror(code) in text for code in _DISK_FULL)


def keep_failed_build(staging: Path, target: Path, error: BaseException) -> None:
    """Move a failed build aside (never published) so its partly executed notebook can be read.
    On a full disk the build is deleted instead (it must not keep filling the disk) and only a
    short failure.txt is kept, if even that fits."""
    if not staging.exists():
        return
    failed = target.parent / f".{target.name}.failed"
    note = f"{type(error).__name__}: {one_line(error)}\n"
    with contextlib.suppress(OSError):
        if failed.exists():
            shutil.rmtree(failed)
        if is_disk_full(error):
            shutil.rmtree(staging, ignore_errors=True)
            failed.mkdir()
            (failed / "failure.txt").write_text(note, encoding="utf-8")
            return
        (staging / "failure.txt").write_text(note, encoding="utf-8")
        staging.rename(failed)
    shutil.rmtree(staging, ignore_errors=True)  # only if it could not be moved aside


def prior_folder(target: Path) -> Path:
    """Where the previous publication of a report is kept when it is re-published."""
    return target.with_name(f"{target.name}.prior")


@dataclass
class RunRecord:
    """One run of a report or of briefs, as runs.log records it."""

    out_dir: Path
    report: str  # <year>/<period> or <year>/<period>-briefs-<by>
    reason: str | None
    run_id: str = field(default_factory=new_run_id)
    started: float = field(default_factory=time.monotonic)
    outcome: RunOutcome | None = None


@contextmanager
def recorded_run(out_dir: Path, report: str, reason: str | None) -> Iterator[RunRecord]:
    """runs.log: `failed` with the error when the body raises a ReportError, else `published`
    (the body sets record.outcome), then the index page."""
    record = RunRecord(Path(out_dir), report, reason)
    try:
        yield record
    except ReportError as error:
        log_failed(record.out_dir, report, record.run_id, record.started, error)
        raise
    except (Exception, KeyboardInterrupt) as error:  # a bug or an interrupt: logged all the same
        log_failed(record.out_dir, report, record.run_id, record.started,
                   f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
        raise
    log_published(record.out_dir, report, record.run_id, record.outcome, reason)


@contextmanager
def holding(record: RunRecord, target: Path, *, lock_wait_s: float,
            locked: bool = False) -> Iterator[None]:
    """The target folder's lock (unless the caller holds it: `locked`), the run's start in
    runs.log, and a write that fails (disk, permissions) as OutputFailed."""
    with nullcontext() if locked else publish_lock(target, wait_s=lock_wait_s):
        log_started(record.out_dir, record.report, record.run_id)
        try:
            yield
        except OSError as exc:
            raise write_failed(exc, record.out_dir) from None


@dataclass
class StagedBuild:
    """The outputs of one run, built in `staging` (set by staged_build) before they replace
    `target`, and the steps of the run since it started."""

    target: Path
    staging: Path | None = None
    started: float = field(default_factory=time.monotonic)
    started_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))
    log: list[str] = field(default_factory=list)

    def step(self, message: str) -> None:
        """A line of run.log: the time since the build started, and what was done."""
        self.log.append(f"{self.seconds:7.2f}s  {message}")

    def detail(self, message: str) -> None:
        """A line of run.log under the step before it (a warning of the inputs, say)."""
        self.log.append(f"{'':10}{message}")

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def write_log(self) -> None:
        """run.log into the staging folder."""
        write_text_atomic(self.staging / "run.log", "\n".join(self.log) + "\n")

    def outcome(self) -> RunOutcome:
        return RunOutcome(self.target, self.seconds, self.log)


@contextmanager
def staged_build(build: StagedBuild, *, keep_previous: bool = False) -> Iterator[Path]:
    """A staging folder beside the build's target, swapped into place with one rename when the
    body ends (the previous publication kept as <target>.prior with `keep_previous`); on any
    error nothing is published and the build is kept aside (keep_failed_build)."""
    target = build.target
    remove_debris(target.parent, target.name)
    build.staging = staging_dir_for(target)
    try:
        yield build.staging
        swap_into_place(build.staging, target,
                        keep_previous_as=prior_folder(target) if keep_previous else None)
    except BaseException as error:
        keep_failed_build(build.staging, target, error)
        if isinstance(error, NotebookFailed) and is_disk_full(error):
            raise OutputFailed(f"the disk is full: {error}") from None
        raise


def log_started(out_dir: Path, report: str, run_id: str) -> None:
    """runs.log: the runs of `report` that never ended (killed), then this one's start."""
    for old_run, old_start in unfinished_runs(out_dir, report):
        log_event(out_dir, "unfinished", report=report, run=old_run, started=old_start,
                  note="the run did not finish (killed?); nothing of it was published")
    log_event(out_dir, "started", report=report, run=run_id)


def log_failed(out_dir: Path, report: str, run_id: str, started: float,
               error: ReportError | str) -> None:
    """runs.log: the run failed, with the reason (nothing is logged where nothing was ever
    published)."""
    if out_dir.is_dir():
        log_event(out_dir, "failed", report=report, run=run_id,
                  seconds=f"{time.monotonic() - started:.1f}", error=error)


def log_published(out_dir: Path, report: str, run_id: str, outcome: RunOutcome,
                  reason: str | None) -> None:
    """runs.log: published; then the index page (a failure there only warns: the outputs
    are published, and the next run rebuilds the index)."""
    log_event(out_dir, "published", report=report, run=run_id,
              seconds=f"{outcome.seconds:.1f}", reason=reason or "requested")
    try:
        write_index(out_dir)
    except OSError as exc:
        logger.warning("could not rebuild the index: %s", one_line(exc))
