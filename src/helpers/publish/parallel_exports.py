"""The tables, report.xlsx and report.docx of a run, written by forked processes while the
runner renders the sections and the kernel shows them (they share the computed data without
copying or re-reading it)."""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers.core.errors import OutputFailed, TimeLimitExceeded
from helpers.publish.transaction import is_disk_full


class ExportJob:
    """The processes writing the tables, report.xlsx and report.docx of one run."""

    def __init__(self, processes, receivers):
        self.processes = processes
        self.receivers = receivers

    def wait(self, deadline: float | None, time_limit_s: float | None) -> None:
        """Until the files are written; raises what an export raised (a full disk as
        OutputFailed), or TimeLimitExceeded at `deadline`."""
        for process, receiver in zip(self.processes, self.receivers, strict=True):
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not receiver.poll(timeout):
                raise TimeLimitExceeded(f"the run exceeded its time limit of {time_limit_s:.0f} "
                                        "s while writing report.xlsx and report.docx; nothing "
                                        "was published")
            try:
                error = receiver.recv()
            except EOFError:
                process.join()
                raise OutputFailed("writing the tables, report.xlsx and report.docx stopped "
                                   f"(the process ended with code {process.exitcode})"
                                   ) from None
            if error is None:
                continue
            if is_disk_full(error):
                raise OutputFailed(f"the disk is full: {error}") from None
            raise error


def _export_in_child(writers: tuple[str, ...], data, staging: Path, sender) -> None:
    # What the runner had made stays as it is: the collector no longer walks it (hundreds of
    # thousands of objects in a province's report) nor writes into its pages, which the two
    # processes then keep sharing.
    gc.freeze()
    try:
        from helpers.notebook import api as report_notebook

        for writer in writers:
            getattr(report_notebook, writer)(data, staging)
        sender.send(None)
    except BaseException as error:  # sent to the runner, which raises it
        try:
            sender.send(error)
        except Exception:  # not picklable: its type and text still reach the runner
            sender.send(RuntimeError(f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


# report_notebook's writers, each group in a process of its own, the longest first: report.xlsx
# (a province's: ~30 s), then report.docx with the CSV tables
EXPORT_WRITERS = (("export_workbook",), ("export_document", "export_csv_tables"))


@contextmanager
def exporting_in_parallel(data, staging: Path) -> Iterator[ExportJob]:
    """Write the tables, report.xlsx and report.docx of `data` into `staging` in forked
    processes (they share the computed data without copying or re-reading); killed if the run
    ends first."""
    context = multiprocessing.get_context("fork")
    processes, receivers = [], []
    try:
        for writers in EXPORT_WRITERS:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_export_in_child,
                                      args=(writers, data, staging, sender),
                                      name=f"report-{'+'.join(writers)}", daemon=True)
            process.start()
            sender.close()
            processes.append(process)
            receivers.append(receiver)
        yield ExportJob(processes, receivers)
    finally:
        for process, receiver in zip(processes, receivers, strict=True):
            if process.is_alive() and not receiver.poll(0):
                process.kill()
            process.join()
            receiver.close()
