"""`run`: one report from the raw inputs to its published folder. `run_report` reads as the
pipeline's phases: read and validate the inputs, compute the report's figures (metrics), add
its words (written sections checked, findings written), render it (page sections; tables,
workbook and document in parallel), execute and export the notebook, print the PDF, and
publish everything into <out_dir>/<year>/<period>/ with one rename, or nothing."""

from __future__ import annotations

import copy
import math
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import nbformat

from helpers.core.atomic_io import write_bytes_atomic, write_text_atomic
from helpers.core.collector import existing_objects_frozen
from helpers.core.errors import NotebookFailed, ParameterError, TimeLimitExceeded
from helpers.core.parameters import ReportParameters
from helpers.core.paths import PROCESSED_DIR
from helpers.core.places import check_places, report_folder
from helpers.ingest.returns import IngestResult, raise_for_errors
from helpers.metrics.comparison import facts_from_csv
from helpers.metrics.derived_tables import period_comparison
from helpers.metrics.report_data import build_report_data, load_validated
from helpers.notebook.api import prepare
from helpers.notebook.execution import (
    StartedKernel,
    execute_report_notebook,
    hand_over,
    kernel_started_early,
)
from helpers.notebook.html_export import export_html
from helpers.publish.early_print import early_print
from helpers.publish.manifest import (
    MANIFEST_NAME,
    environment,
    run_manifest,
    write_manifest,
)
from helpers.publish.parallel_exports import (
    DOCUMENT_WRITERS,
    WORKBOOK_WRITERS,
    exporting_in_parallel,
    processing_in_parallel,
)
from helpers.publish.previous_publication import (
    KEPT,
    MANIFEST_KEY,
    manifest_record,
    published_facts,
)
from helpers.publish.transaction import (
    RunOutcome,
    StagedBuild,
    holding,
    recorded_run,
    staged_build,
)
from helpers.render.chromium_pipe import PipeBrowser
from helpers.render.pdf_print import (
    check_printing,
    ended_on_failure,
    run_printer,
)
from helpers.words.report_text import check_written_sections, write_findings

# After the deadline, the notebook's watchdog kills the kernel; this much later the run is
# stopped wherever it is (a step of this process that takes too long).
DEADLINE_GRACE_S = 2.0
EXPECTED_OUTPUTS = ("report.html", "report.ipynb", "report.xlsx", "report.docx",
                    "tables/district_indicator.csv", "tables/facts.csv")


class Deadline:
    """The time limit of a run, from reading its inputs to publishing."""

    def __init__(self, limit_s: float | None):
        if limit_s is not None and not (math.isfinite(limit_s) and limit_s > 0):
            raise ParameterError(f"time limit {limit_s!r}: a number of seconds above 0, or "
                                 "none")
        self.limit_s = limit_s
        self.at = time.monotonic() + limit_s if limit_s else None

    @contextmanager
    def enforced(self) -> Iterator[None]:
        """The limit enforced within a step too, not only between steps: at the deadline (and
        a grace period in which the notebook's watchdog acts first) SIGALRM raises
        TimeLimitExceeded wherever this process is. Main thread only; elsewhere the checks
        between steps remain."""
        if (self.at is None or not hasattr(signal, "setitimer")
                or threading.current_thread() is not threading.main_thread()):
            yield
            return

        def expired(signum, frame):
            raise TimeLimitExceeded(f"the run exceeded its time limit of {self.limit_s:.0f} s; "
                                    "nothing was published")

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL,
                         max(0.01, self.at - time.monotonic() + DEADLINE_GRACE_S))
        try:
            yield
        finally:
            self.disarm()
            signal.signal(signal.SIGALRM, previous)

    def disarm(self) -> None:
        """No alarm any more (before the publishing rename: what is done is published)."""
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            signal.setitimer(signal.ITIMER_REAL, 0)

    def check(self, step: str) -> None:
        """TimeLimitExceeded when the limit has passed (`step`: what the run was doing)."""
        if self.at is not None and time.monotonic() > self.at:
            raise TimeLimitExceeded(f"the run exceeded its time limit of {self.limit_s:.0f} s "
                                    f"while {step}; nothing was published")


def run_report(params: ReportParameters, out_dir: Path, *, lock_wait_s: float = 60.0,
               reason: str | None = None, keep_previous: bool = False,
               locked: bool = False, result: IngestResult | None = None,
               processed_dir: Path | None = None, raw_root: Path | None = None,
               time_limit_s: float | None = None,
               previous_facts: bytes | None = None,
               printer: PipeBrowser | None = None,
               computed: dict | None = None) -> RunOutcome:
    """Build one report and publish it atomically; raise a ReportError on any failure, leaving
    the previously published folder untouched. `locked`: the caller already holds the report
    folder's lock (helpers.publish.schedule does, to check and build under one lock).
    `result`: inputs the caller already ingested. `processed_dir`: where the tidy tables go
    (default data/processed). `raw_root`: read the inputs there instead of params.raw_dir
    (verify, from an auditor pack; the recorded parameters stay as they were).
    `time_limit_s`: the whole run, from reading inputs to publishing. `previous_facts`: the
    previous publication's facts to mark 修订 against (verify passes the copy a publication
    kept); by default those of the publication the run replaces, if any. `printer`: a started
    browser to print report.pdf with (a schedule pass shares one); ended if the run fails.
    `computed`: where the caller keeps the data this report's briefs are cut from (its
    figures and checked written sections, before the report's own marks; schedule hands it
    to run_briefs)."""
    out_dir = Path(out_dir)
    target = report_folder(out_dir, params)
    processed = Path(processed_dir) if processed_dir else PROCESSED_DIR
    deadline = Deadline(time_limit_s)
    # before anything is written, the run log included: never into the raw folder
    check_places(raw_root or params.raw_path, out_dir=out_dir, processed_dir=processed)
    # The kernel boots on the second core while this process reads the inputs and builds the
    # report; it runs in a private folder of its own (nothing under out_dir).
    with (existing_objects_frozen(), recorded_run(out_dir, f"{params.year}/{params.period}",
                                                  reason) as record,
          kernel_started_early() as kernel, deadline.enforced()):
        # Read-only checks first: bad parameters or inputs touch nothing under out_dir.
        result = read_inputs(params, result, raw_root)
        if params.pdf:
            check_printing()  # a missing Chromium fails now, not after the notebook
        deadline.check("reading the inputs")
        with holding(record, target, lock_wait_s=lock_wait_s, locked=locked):
            previous = (previous_facts if previous_facts is not None
                        else published_facts(target, params))  # under the lock: stable
            record.outcome = build_and_publish(params, result, target, reason, keep_previous,
                                               processed, deadline, kernel, previous, printer,
                                               computed)
    return record.outcome


def read_inputs(params: ReportParameters, result: IngestResult | None,
                raw_root: Path | None) -> IngestResult:
    """The validated inputs: read (from `raw_root` when given), or the caller's ingest checked
    as load_validated would; raises InputRejected with every error."""
    if result is None:
        return load_validated(params, raw_root)
    raise_for_errors(result)
    return result


def build_and_publish(params: ReportParameters, result: IngestResult, target: Path,
                      reason: str | None, keep_previous: bool, processed: Path,
                      deadline: Deadline, kernel: StartedKernel,
                      previous: bytes | None = None,
                      printer: PipeBrowser | None = None,
                      computed: dict | None = None) -> RunOutcome:
    """The report's phases, from the validated inputs to the published folder; `previous`:
    the facts.csv of the publication it replaces (its figures that differ are marked 修订);
    `printer`: the caller's started browser (else one is started here); `computed`: see
    run_report."""
    build = StagedBuild(target)
    build.step(f"validated inputs: {len(result.inputs)} files, {len(result.warnings)} "
               "warning(s)")
    for warning in result.warnings:  # a count alone says nothing to act on
        build.detail(warning.describe())
    with ExitStack() as browser:
        printer = run_printer(browser, params.pdf, printer, tabs=1)  # one page to print
        # the processed tables are written by a process of their own while this one computes
        with processing_in_parallel(result, processed, params.year) as processing:
            data = build_report_data(params, result)  # metrics: every figure and status, once
            # what moved since the previous period, read by the words, the workbook and the
            # briefs: worked out once, before the workbook's process forks
            period_comparison(data)
            data = check_written_sections(data)  # words: the written sections checked
            if computed is not None:  # a copy: what follows marks this report's data only
                computed["data"] = copy.copy(data)
            if previous is not None:
                data.previous_publication = facts_from_csv(previous.decode("utf-8"))
            processing.wait(deadline.at, deadline.limit_s)
        build.step("rebuilt processed tables")
        with (staged_build(build, keep_previous=keep_previous) as staging,
              ThreadPoolExecutor(1) as printing):
            with ended_on_failure(printer):
                facts = render_and_print(params, data, staging, build, deadline, kernel,
                                         printer, printing)
            browser.close()  # printed: the browser ends before the rest is written
            if previous is not None:  # kept, so a re-run compares with the very same bytes
                write_bytes_atomic(staging / KEPT, previous)
            check_outputs(staging)
            deadline.check("exporting")
            build.step("checked outputs")
            build.write_log()
            write_manifest(staging / MANIFEST_NAME, run_manifest(
                params, result, data, staging, build.started_at, build.seconds, reason,
                environment_facts=facts,
                **({MANIFEST_KEY: manifest_record(previous)} if previous is not None else {})))
            deadline.disarm()  # the rename that publishes is never cut by the alarm
    return build.outcome()


def render_and_print(params: ReportParameters, data, staging: Path, build: StagedBuild,
                     deadline: Deadline, kernel: StartedKernel, printer: PipeBrowser | None,
                     printing: ThreadPoolExecutor) -> dict:
    """Render every output of `data` into `staging`: report.xlsx written by a process while
    this one writes the findings (words, shared by the page and the document), the tables and
    report.docx by another while this one renders the page's sections and the kernel shows
    them; report.pdf printed by `printer` (in the `printing` thread) from the page expected
    while the kernel runs, kept if report.html is that page (helpers.publish.early_print). The
    environment facts for the manifest."""
    with exporting_in_parallel(data, staging, WORKBOOK_WRITERS) as workbook:
        data = write_findings(data)  # words: the findings, shared by all
        with exporting_in_parallel(data, staging, DOCUMENT_WRITERS) as exports:
            sections = prepare(data)
            prepared = hand_over(sections, kernel.folder)
            build.step("rendered the report's sections")
            # the page is known before the kernel shows it: printed while the kernel runs
            early = early_print(params, sections, staging, printer, printing)
            notebook = execute_report_notebook(params, staging, prepared=prepared,
                                               kernel=kernel, deadline=deadline.at,
                                               time_limit_s=deadline.limit_s)
            build.step("executed notebooks/report.ipynb")
            nbformat.write(notebook, staging / "report.ipynb")
            page = export_html(notebook, params)
            write_text_atomic(staging / "report.html", page)
            build.step("exported report.html")
            printed = None if early is None else early.report_pdf(page)
            facts = environment()  # while the export processes finish
            for job in (workbook, exports):
                job.wait(deadline.at, deadline.limit_s)
            build.step("wrote the tables, report.xlsx and report.docx (in parallel)")
    if printed is not None:
        kept_early = printed.result()
        build.step("printed report.pdf")
        build.detail("printed while the notebook ran, from the page it then exported"
                     if kept_early else "printed from report.html: the page the notebook "
                     "exported was not the one expected and printed while it ran")
    return facts


def check_outputs(staging: Path) -> None:
    """Every output of a report is there (NotebookFailed names those missing)."""
    missing = [p for p in EXPECTED_OUTPUTS if not (staging / p).is_file()]
    if missing:
        raise NotebookFailed(f"notebooks/report.ipynb finished without writing "
                             f"{', '.join(missing)}")


