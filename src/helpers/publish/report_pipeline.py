"""`run`: validate the inputs, rebuild processed data, execute the report notebook with
papermill, export HTML, and publish the outputs into <out_dir>/<year>/<period>/ in one rename."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from helpers.core.atomic_io import (
    remove_debris,
    staging_dir_for,
    swap_into_place,
    write_text_atomic,
)
from helpers.core.errors import (
    NotebookFailed,
    OutputFailed,
    ReportError,
    TimeLimitExceeded,
)
from helpers.core.parameters import ReportParameters
from helpers.core.paths import NOTEBOOKS_DIR, PROCESSED_DIR, display_path
from helpers.core.places import check_places, report_folder
from helpers.core.text_safety import one_line
from helpers.ingest.returns import IngestResult, write_processed
from helpers.metrics.report_data import build_report_data, load_validated
from helpers.notebook.api import prepare
from helpers.publish.index_page import write_index
from helpers.publish.lock import publish_lock
from helpers.publish.manifest import (
    MANIFEST_NAME,
    environment,
    input_records,
    output_records,
    write_manifest,
)
from helpers.publish.run_log import log_event, new_run_id, unfinished_runs
from helpers.render.pdf_print import check_printing, print_report_pdf
from helpers.words.report_text import with_words

REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "notebook" / "templates"
REMOVED_TAGS = {"remove-from-report", "parameters", "injected-parameters"}
EXPECTED_OUTPUTS = ("report.html", "report.ipynb", "report.xlsx", "report.docx",
                    "tables/district_indicator.csv")
# The sections the runner rendered, handed to the kernel in its private folder (which is
# deleted with the kernel); the kernel never reads raw data.
HANDOFF_NAME = ".report-data.pickle"


@dataclass
class RunOutcome:
    """Where a run published, how long it took, and its step log."""

    folder: Path
    seconds: float
    log: list[str] = field(default_factory=list)


def run_report(params: ReportParameters, out_dir: Path, *, lock_wait_s: float = 60.0,
               reason: str | None = None, keep_previous: bool = False,
               locked: bool = False, result: IngestResult | None = None,
               processed_dir: Path | None = None, raw_root: Path | None = None,
               time_limit_s: float | None = None) -> RunOutcome:
    """Build one report and publish it atomically; raise a ReportError on any failure, leaving
    the previously published folder untouched. `locked`: the caller already holds the report
    folder's lock (helpers.publish.schedule does, to check and build under one lock). `result`:
    inputs
    the caller already ingested. `processed_dir`: where the tidy tables go (default
    data/processed). `raw_root`: read the inputs there instead of params.raw_dir (verify, from
    an auditor pack; the recorded parameters stay as they were). `time_limit_s`: the whole run
    from reading inputs to publishing."""
    out_dir = Path(out_dir)
    target = report_folder(out_dir, params)
    started = time.monotonic()
    deadline = started + time_limit_s if time_limit_s else None
    run_id = new_run_id()
    report = f"{params.year}/{params.period}"
    processed = Path(processed_dir) if processed_dir else PROCESSED_DIR
    try:
        check_places(raw_root or params.raw_path, out_dir=out_dir, processed_dir=processed)
        # The kernel boots on the second core while this process reads the inputs and builds
        # the report; it runs in a private folder of its own (nothing under out_dir).
        with kernel_started_early() as kernel:
            # Read-only checks first: bad parameters or inputs touch nothing under out_dir.
            result = load_validated(params, raw_root) if result is None else _checked(params,
                                                                                       result)
            if params.pdf:
                check_printing()  # a missing Chromium fails now, not after the notebook
            _check_time(deadline, time_limit_s, "reading the inputs")
            with nullcontext() if locked else publish_lock(target, wait_s=lock_wait_s):
                log_started(out_dir, report, run_id)
                try:
                    outcome = _build_and_publish(params, result, target, reason, keep_previous,
                                                 processed, deadline, time_limit_s, kernel)
                except OSError as exc:
                    raise write_failed(exc, out_dir) from None
    except ReportError as error:
        log_failed(out_dir, report, run_id, started, error)
        raise
    log_published(out_dir, report, run_id, outcome, reason)
    return outcome


def log_started(out_dir: Path, report: str, run_id: str) -> None:
    """runs.log: the runs of `report` that never ended (killed), then this one's start."""
    for old_run, old_start in unfinished_runs(out_dir, report):
        log_event(out_dir, "unfinished", report=report, run=old_run, started=old_start,
                  note="the run did not finish (killed?); nothing of it was published")
    log_event(out_dir, "started", report=report, run=run_id)


def write_failed(exc: OSError, out_dir: Path) -> OutputFailed:
    """The error for a write that failed while building (disk, permissions)."""
    return OutputFailed(f"could not write {one_line(exc.filename or out_dir)}: "
                        f"{one_line(exc.strerror or exc)}; nothing was published")


def log_failed(out_dir: Path, report: str, run_id: str, started: float,
               error: ReportError) -> None:
    """runs.log: the run failed (nothing is logged where nothing was ever published)."""
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
        print(f"warning: could not rebuild the index: {one_line(exc)}", file=sys.stderr)


def _checked(params: ReportParameters, result: IngestResult) -> IngestResult:
    """An ingest the caller made, stopped on its errors as load_validated would."""
    from helpers.ingest.returns import raise_for_errors

    raise_for_errors(result)
    return result


def _check_time(deadline: float | None, limit: float | None, step: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise TimeLimitExceeded(f"the run exceeded its time limit of {limit:.0f} s while "
                                f"{step}; nothing was published")


def _build_and_publish(params: ReportParameters, result, target: Path, reason: str | None,
                       keep_previous: bool, processed: Path, deadline: float | None,
                       time_limit_s: float | None, kernel: StartedKernel) -> RunOutcome:
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    log: list[str] = []

    def step(message: str) -> None:
        log.append(f"{time.monotonic() - started:7.2f}s  {message}")

    step(f"validated inputs: {len(result.inputs)} files, {len(result.warnings)} warning(s)")
    with publish_lock(processed / str(params.year)):
        write_processed(result, processed)
    step("rebuilt processed tables")
    # the findings are written once here, shared with the export processes
    data = with_words(build_report_data(params, result))

    remove_debris(target.parent, target.name)
    staging = staging_dir_for(target)
    try:
        # The tables and report.xlsx, and report.docx, are written by two processes while
        # this one renders the sections and the kernel shows them.
        with exporting_in_parallel(data, staging) as export_job:
            prepared = _hand_over(prepare(data), kernel.folder)
            step("rendered the report's sections")
            notebook = execute_report_notebook(params, staging, prepared=prepared,
                                               kernel=kernel, deadline=deadline,
                                               time_limit_s=time_limit_s)
            step("executed notebooks/report.ipynb")
            nbformat.write(notebook, staging / "report.ipynb")
            html = export_html(notebook, params)
            write_text_atomic(staging / "report.html", html)
            step("exported report.html")
            facts = environment()  # while the export processes finish
            export_job.wait(deadline, time_limit_s)
            step("wrote the tables, report.xlsx and report.docx (in parallel)")
        if params.pdf:
            print_report_pdf(staging, params.drafted_on)
            step("printed report.pdf")
        missing = [p for p in EXPECTED_OUTPUTS if not (staging / p).is_file()]
        if missing:
            raise NotebookFailed(f"notebooks/report.ipynb finished without writing "
                                 f"{', '.join(missing)}")
        _check_time(deadline, time_limit_s, "exporting")
        duration = time.monotonic() - started
        step("checked outputs")
        write_text_atomic(staging / "run.log", "\n".join(log) + "\n")
        write_manifest(staging / MANIFEST_NAME, run_manifest(
            params, result, data, staging, started_at, duration, reason,
            environment_facts=facts))
        swap_into_place(staging, target,
                        keep_previous_as=prior_folder(target) if keep_previous else None)
    except BaseException as error:
        keep_failed_build(staging, target, error)
        if isinstance(error, NotebookFailed) and is_disk_full(error):
            raise OutputFailed(f"the disk is full: {error}") from None
        raise
    return RunOutcome(target, time.monotonic() - started, log)


def run_manifest(params: ReportParameters, result: IngestResult, data, folder: Path,
                 started_at: dt.datetime, duration: float, reason: str | None,
                 environment_facts: dict | None = None, **extra) -> dict:
    """The manifest of a run whose outputs are all in `folder`: parameters, inputs and
    outputs with their hashes, environment (`environment_facts`, when gathered earlier),
    warnings, summary, and `extra` sections."""
    return {
        "parameters": params.as_dict(),
        **extra,
        "raw_dir": display_path(params.raw_path),
        "inputs": input_records(result.snapshot, list(data.inputs["path"])),
        "outputs": output_records(folder),
        "environment": environment_facts or environment(),
        "warnings": [p.as_dict() for p in data.warnings],
        "demo_inputs": data.demo_inputs,
        "summary": {"report_date": data.report_date.isoformat(),
                    "data_as_of": data.data_as_of.isoformat() if data.data_as_of else None,
                    "counts": data.counts},
        "run": {"started_utc": started_at.isoformat(), "seconds": round(duration, 3),
                "reason": reason or "requested"},
    }


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


def _export_in_child(writer: str, data, staging: Path, sender) -> None:
    try:
        from helpers.notebook import api as report_notebook

        getattr(report_notebook, writer)(data, staging)
        sender.send(None)
    except BaseException as error:  # sent to the runner, which raises it
        try:
            sender.send(error)
        except Exception:  # not picklable: its type and text still reach the runner
            sender.send(RuntimeError(f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


# report_notebook's writers, each in a process of its own (report.docx takes longest: first)
EXPORT_WRITERS = ("export_document", "export_tables")


@contextmanager
def exporting_in_parallel(data, staging: Path) -> Iterator[ExportJob]:
    """Write the tables, report.xlsx and report.docx of `data` into `staging` in forked
    processes (they share the computed data without copying or re-reading); killed if the run
    ends first."""
    context = multiprocessing.get_context("fork")
    processes, receivers = [], []
    try:
        for writer in EXPORT_WRITERS:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_export_in_child,
                                      args=(writer, data, staging, sender),
                                      name=f"report-{writer}", daemon=True)
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


def _hand_over(report, folder: Path) -> str:
    """Write the prepared report for the kernel (readable by this user only); its name relative
    to `folder`, where the kernel runs."""
    fd = os.open(folder / HANDOFF_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return HANDOFF_NAME


# What nbclient would start the kernel with: quiet start-up notices (e.g. about TCP transport,
# not report output) and no IPython history written to the user's home.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]


class StartedKernel:
    """A notebook kernel started ahead of its notebook, in a private folder of its own; its
    shutdown is asked for when the notebook has run and awaited only when the run ends, so
    that neither waits on the other."""

    def __init__(self, folder: Path):
        from jupyter_client.manager import AsyncKernelManager

        self.folder = folder
        self.manager = AsyncKernelManager(kernel_name="python3")
        self.clients: list = []  # nbclient's, whose channels are closed at shutdown
        self._shutdown_asked = False
        try:
            _run_sync(self.manager.start_kernel)(cwd=str(folder),
                                                 extra_arguments=KERNEL_ARGUMENTS)
        except Exception as exc:  # no python3 kernel installed, cannot spawn a process
            raise NotebookFailed(f"could not start the notebook kernel (python3): "
                                 f"{type(exc).__name__}: {one_line(exc)}") from None

    def ask_shutdown(self) -> None:
        """Close the notebook client's channels and ask the kernel to exit (not waiting)."""
        for client in self.clients:
            if client.kc is not None:
                client.kc.stop_channels()
        if not self._shutdown_asked and self.manager.has_kernel:
            self._shutdown_asked = True
            with contextlib.suppress(Exception):  # a kernel killed by the watchdog
                _run_sync(self.manager.request_shutdown)()

    def close(self) -> None:
        """Wait for the kernel to exit (killed after a few seconds) and free its resources; a
        kernel that never ran the notebook (the run failed before) is killed at once."""
        if not self.clients and self.manager.has_kernel:
            with contextlib.suppress(Exception):
                _run_sync(self.manager.signal_kernel)(signal.SIGKILL)
        self.ask_shutdown()
        with contextlib.suppress(Exception):
            if self.manager.has_kernel:
                _run_sync(self.manager.finish_shutdown)()
            _run_sync(self.manager.cleanup_resources)()


def _run_sync(coroutine_function):
    from nbclient.util import run_sync

    return run_sync(coroutine_function)


@contextmanager
def kernel_started_early() -> Iterator[StartedKernel]:
    """A python3 kernel started now, in a new private folder, so that it boots while the runner
    computes the report; on exit it is shut down and its folder deleted, whatever happened."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="report-kernel-"))
    kernel = None
    try:
        kernel = StartedKernel(folder)
        yield kernel
    finally:
        if kernel is not None:
            kernel.close()
        shutil.rmtree(folder, ignore_errors=True)


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


def execute_report_notebook(params: ReportParameters, folder: Path, *,
                            prepared: str | None = None, kernel: StartedKernel | None = None,
                            deadline: float | None = None,
                            time_limit_s: float | None = None) -> nbformat.NotebookNode:
    """Run the report notebook with papermill, saving it as `folder`/report.ipynb (also when
    it fails, to debug); a failing, exiting or timed-out cell raises NotebookFailed naming the
    notebook, the cell and the exception. `kernel`: started ahead (kernel_started_early), else
    one is started here; the notebook runs in its folder, where `prepared` (the handed-over
    report) is. `deadline` (time.monotonic()): the kernel is killed then, and
    TimeLimitExceeded raised."""
    if kernel is None:
        with kernel_started_early() as started:
            return execute_report_notebook(params, folder, prepared=prepared, kernel=started,
                                           deadline=deadline, time_limit_s=time_limit_s)
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output = folder / "report.ipynb"
    # export stays off: exporting_in_parallel writes the files while the kernel runs
    parameters = params.replace(export=False).as_dict()
    if prepared is not None:
        parameters["prepared"] = prepared  # not a ReportParameters field: see tools/make_notebooks
    watchdog = _KernelWatchdog([kernel.manager], deadline)
    try:
        with watchdog:
            notebook = papermill.execute_notebook(
                str(REPORT_NOTEBOOK), str(output), parameters=parameters,
                engine_name=_started_kernel_engine(), km=kernel.manager,
                clients=kernel.clients, partial_output=str(output),
                cwd=str(kernel.folder), kernel_name="python3", progress_bar=False,
                log_output=False,
                execution_timeout=params.cell_timeout_s,
                # saved when it ends, failed or not (a failed run leaves its partial notebook
                # to debug: papermill saves it on a cell's error, the engine on a dead kernel
                # or a time-out); not after every cell, which rewrote it seventeen times
                request_save_on_cell_execute=False)
        kernel.ask_shutdown()  # the kernel exits while the page is exported
    except PapermillExecutionError as exc:
        if watchdog.fired:
            raise TimeLimitExceeded(f"the run exceeded its time limit of {time_limit_s:.0f} s "
                                    "while executing notebooks/report.ipynb; nothing was "
                                    "published") from None
        source = _cell_source(output, exc.exec_count)
        raise NotebookFailed(
            f"notebooks/report.ipynb failed in cell {exc.cell_index} (execution count "
            f"{exc.exec_count}{source}): {exc.ename}: {exc.evalue}") from None
    except Exception as exc:  # dead kernel, timeout: nbclient raises its own types
        if watchdog.fired:
            raise TimeLimitExceeded(f"the run exceeded its time limit of {time_limit_s:.0f} s "
                                    "while executing notebooks/report.ipynb; nothing was "
                                    "published") from None
        raise NotebookFailed(f"notebooks/report.ipynb did not finish: "
                             f"{type(exc).__name__}: {exc}") from None
    _check_complete(notebook)
    return normalize_notebook(notebook)


@functools.cache
def _started_kernel_engine() -> str:
    """The name of papermill's nbclient engine for a kernel the runner started (StartedKernel,
    which also shuts it down): nbclient runs the notebook on it."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.iorw import write_ipynb
    from papermill.log import logger

    class StartedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, km=None, clients=None,
                                     partial_output=None, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            clients.append(client)
            try:
                return client.execute(cleanup_kc=False)
            except BaseException:  # dead kernel, time-out: keep what ran, to debug
                write_ipynb(nb_man.nb, partial_output)
                raise

    papermill_engines.register("helpers-started-kernel", StartedKernelEngine)
    return "helpers-started-kernel"


class _KernelWatchdog:
    """Kills the notebook's kernel (its whole process group) at `deadline`, so a run can be
    bounded in time however its cells behave; nbclient then reports a dead kernel."""

    def __init__(self, kernels: list, deadline: float | None):
        self.kernels = kernels  # filled when nbclient creates its kernel manager
        self.deadline = deadline
        self.fired = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self):
        if self.deadline is not None:
            self._thread = threading.Thread(target=self._watch, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(max(0.1, min(1.0, self.deadline - time.monotonic()))):
            if time.monotonic() < self.deadline:
                continue
            kernel = self.kernels[-1] if self.kernels else None
            pid = getattr(getattr(kernel, "provisioner", None), "pid", None)
            if pid:
                self.fired = True
                with contextlib.suppress(OSError):
                    group = os.getpgid(pid)
                    if group != os.getpgrp():  # never our own group
                        os.killpg(group, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                return


def _cell_source(path: Path, execution_count: int) -> str:
    """', code: <first line>' of the cell that ran as `execution_count` in the partly executed
    notebook (papermill adds its own error-banner cells, so indexes shift; counts do not)."""
    try:
        cells = nbformat.read(path, as_version=4).cells
    except (OSError, ValueError):
        return ""
    cell = next((c for c in cells if c.cell_type == "code"
                 and c.get("execution_count") == execution_count), None)
    if cell is None:
        return ""
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f", code: {first[:80]}" if first else ""


def _check_complete(notebook) -> None:
    """A notebook that ended early (sys.exit, skipped cells) is a failure, not a report."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        if cell.execution_count is None:
            raise NotebookFailed(f"notebooks/report.ipynb ended early: cell {index} never ran")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise NotebookFailed(f"notebooks/report.ipynb failed in cell {index}: "
                                     f"{out.get('ename')}: {out.get('evalue')}")


def normalize_notebook(notebook) -> nbformat.NotebookNode:
    """Drop what differs between identical runs: timestamps, durations, paths, random ids."""
    papermill_meta = notebook.metadata.get("papermill", {})
    notebook.metadata["papermill"] = {
        "parameters": papermill_meta.get("parameters", {}),
        "default_parameters": papermill_meta.get("default_parameters", {}),
    }
    for number, cell in enumerate(notebook.cells, start=1):
        cell["id"] = f"cell-{number:02d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return notebook


def export_html(notebook, params: ReportParameters) -> str:
    """The notebook as an offline HTML report without code, with a fixed title."""
    from traitlets.config import Config

    from helpers.render.html import report_title

    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.HTMLExporter.template_name = "report"
    # ISO 639-1 only: "zh-CN" falls back to "en" (and the browser picks Japanese glyphs)
    config.HTMLExporter.language_code = params.lang
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = REMOVED_TAGS
    exporter = _report_exporter_class()(config=config)
    copy = nbformat.from_dict(notebook)
    copy.metadata["title"] = report_title(params)
    body, _ = exporter.from_notebook_node(copy, resources={"metadata": {"name": "report"}})
    return body


@functools.cache
def _report_exporter_class():
    """nbconvert's HTMLExporter without its last pass, which parses the whole page again with
    BeautifulSoup to give images without alt text a placeholder and make each cell focusable:
    every image of the report has its own alt text (tests/test_report_end_to_end.py checks),
    the report has no code cells and its outputs are a document's sections. The pass took
    over half the export's time."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # what HTMLExporter.from_notebook_node sets up before rendering the template
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer="python", parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportHTMLExporter
