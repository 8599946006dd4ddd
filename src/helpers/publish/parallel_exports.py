"""Work of a run done by forked processes while the runner goes on: the tables, report.xlsx and
report.docx while it renders the sections and the kernel shows them, the processed tables while
it computes the report (they share the runner's data without copying or re-reading it)."""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers.core.errors import OutputFailed, TimeLimitExceeded
from helpers.ingest.returns import IngestResult, write_processed
from helpers.publish.lock import publish_lock
from helpers.publish.transaction import is_disk_full


class ForkedJob:
    """The processes doing one piece of a run's work (`doing`: what they do, as the run's
    errors say it; `stopped`: what stopped when one of them died)."""

    def __init__(self, processes, receivers, doing: str = "writing report.xlsx and "
                 "report.docx", stopped: str = "writing the tables, report.xlsx and report.docx"):
        self.processes = processes
        self.receivers = receivers
        self.doing = doing
        self.stopped = stopped

    def wait(self, deadline: float | None, time_limit_s: float | None) -> None:
        """Until the work is done; raises what a process raised (a full disk as
        OutputFailed), or TimeLimitExceeded at `deadline`."""
        for process, receiver in zip(self.processes, self.receivers, strict=True):
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not receiver.poll(timeout):
                raise TimeLimitExceeded(f"the run exceeded its time limit of {time_limit_s:.0f} "
                                        f"s while {self.doing}; nothing was published")
            try:
                error = receiver.recv()
            except EOFError:
                process.join()
                raise OutputFailed(f"{self.stopped} stopped (the process ended with code "
                                   f"{process.exitcode})") from None
            if error is None:
                continue
            if is_disk_full(error):
                raise OutputFailed(f"the disk is full: {error}") from None
            raise error


def _work_in_child(work: Callable[[], None], sender) -> None:
    # What the runner had made stays as it is: the collector no longer walks it (hundreds of
    # thousands of objects in a province's report) nor writes into its pages, which the
    # processes then keep sharing.
    gc.freeze()
    # Nor what the process makes: it ends when its files are written, and the few cycles it
    # leaves are not worth the collections (a province's report.xlsx: millions of cells, ~4 s
    # of its ~18; its peak memory the same)
    gc.disable()
    try:
        work()
        sender.send(None)
    except BaseException as error:  # sent to the runner, which raises it
        try:
            sender.send(error)
        except Exception:  # not picklable: its type and text still reach the runner
            sender.send(RuntimeError(f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


@contextmanager
def _forked(works: list[tuple[str, Callable[[], None]]], kill_unfinished: bool,
            **job) -> Iterator[ForkedJob]:
    """Each of `works` (a name, a function) done by a forked process; at the end the
    processes that have not reported are killed (`kill_unfinished`) or waited for."""
    context = multiprocessing.get_context("fork")
    processes, receivers = [], []
    try:
        for name, work in works:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_work_in_child, args=(work, sender), name=name,
                                      daemon=True)
            process.start()
            sender.close()
            processes.append(process)
            receivers.append(receiver)
        yield ForkedJob(processes, receivers, **job)
    finally:
        for process, receiver in zip(processes, receivers, strict=True):
            if kill_unfinished and process.is_alive() and not receiver.poll(0):
                process.kill()
            process.join()
            receiver.close()


# report_notebook's writers, each group in a process of its own, the longest first: report.xlsx
# (a province's: ~14 s; it reads no words, so its process forks before they are written), then
# report.docx with the CSV tables
WORKBOOK_WRITERS = (("export_workbook",),)
DOCUMENT_WRITERS = (("export_document", "export_csv_tables"),)
EXPORT_WRITERS = WORKBOOK_WRITERS + DOCUMENT_WRITERS


def _writers(writers: tuple[str, ...], data, staging: Path) -> Callable[[], None]:
    def write() -> None:
        from helpers.notebook import api as report_notebook

        for writer in writers:
            getattr(report_notebook, writer)(data, staging)

    return write


@contextmanager
def exporting_in_parallel(data, staging: Path,
                          groups: tuple[tuple[str, ...], ...] = EXPORT_WRITERS
                          ) -> Iterator[ForkedJob]:
    """Write the tables, report.xlsx and report.docx of `data` (those of the writers'
    `groups`) into `staging` in forked processes, a group each (they share the computed data
    without copying or re-reading); killed if the run ends first."""
    with _forked([(f"report-{'+'.join(writers)}", _writers(writers, data, staging))
                  for writers in groups], kill_unfinished=True) as job:
        yield job


@contextmanager
def processing_in_parallel(result: IngestResult, processed: Path, year: int
                           ) -> Iterator[ForkedJob]:
    """Write the processed tables of `result` into `processed`/`year` (under its lock, as
    write_processed does in the runner) in a forked process; waited for, never cut short,
    when the run ends first (a folder half swapped is worse than a few seconds)."""
    def write() -> None:
        with publish_lock(processed / str(year)):
            write_processed(result, processed)

    with _forked([("report-processed-tables", write)], kill_unfinished=False,
                 doing="writing the processed tables",
                 stopped="writing the processed tables") as job:
        yield job
