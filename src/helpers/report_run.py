"""`run`: validate the inputs, rebuild processed data, execute the report notebook with
papermill, export HTML, and publish the outputs into <out_dir>/<year>/<period>/ in one rename."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from helpers.atomic_io import remove_debris, staging_dir_for, swap_into_place, write_text_atomic
from helpers.errors import NotebookFailed, ReportError
from helpers.index_page import write_index
from helpers.ingest import write_processed
from helpers.manifest import (
    MANIFEST_NAME,
    environment,
    input_records,
    output_records,
    write_manifest,
)
from helpers.parameters import ReportParameters
from helpers.paths import NOTEBOOKS_DIR, display_path, processed_dir_for
from helpers.pdf_print import check_printing, print_report_pdf
from helpers.publish_lock import publish_lock
from helpers.report_data import build_report_data, load_validated
from helpers.run_log import log_event

REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
TEMPLATE_DIR = Path(__file__).parent / "templates"
REMOVED_TAGS = {"remove-from-report", "parameters", "injected-parameters"}
EXPECTED_OUTPUTS = ("report.html", "report.ipynb", "report.xlsx", "report.docx",
                    "tables/district_indicator.csv")


@dataclass
class RunOutcome:
    """Where a run published, how long it took, and its step log."""

    folder: Path
    seconds: float
    log: list[str] = field(default_factory=list)


def report_folder(out_dir: Path, params: ReportParameters) -> Path:
    """<out_dir>/<year>/<period>/"""
    return Path(out_dir) / str(params.year) / params.period


def run_report(params: ReportParameters, out_dir: Path, *, lock_wait_s: float = 60.0,
               reason: str | None = None, keep_previous: bool = False,
               locked: bool = False) -> RunOutcome:
    """Build one report and publish it atomically; raise a ReportError on any failure, leaving
    the previously published folder untouched. `locked`: the caller already holds the report
    folder's lock (helpers.schedule does, to check and build under one lock)."""
    out_dir = Path(out_dir)
    target = report_folder(out_dir, params)
    started = time.monotonic()
    try:
        # Read-only checks first: bad parameters or inputs touch nothing under out_dir.
        result = load_validated(params)
        if params.pdf:
            check_printing()  # a missing Chromium fails now, not after the notebook
        with nullcontext() if locked else publish_lock(target, wait_s=lock_wait_s):
            outcome = _build_and_publish(params, result, target, reason, keep_previous)
    except ReportError as error:
        if not out_dir.is_dir():
            raise  # nothing was ever published here: no log to keep
        log_event(out_dir, "failed", report=f"{params.year}/{params.period}",
                  seconds=f"{time.monotonic() - started:.1f}", error=error)
        raise
    log_event(out_dir, "published", report=f"{params.year}/{params.period}",
              seconds=f"{outcome.seconds:.1f}", reason=reason or "requested")
    write_index(out_dir)
    return outcome


def _build_and_publish(params: ReportParameters, result, target: Path, reason: str | None,
                       keep_previous: bool) -> RunOutcome:
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    log: list[str] = []

    def step(message: str) -> None:
        log.append(f"{time.monotonic() - started:7.2f}s  {message}")

    step(f"validated inputs: {len(result.inputs)} files, {len(result.warnings)} warning(s)")
    processed = processed_dir_for(params.raw_path)
    with publish_lock(processed / str(params.year)):
        write_processed(result, processed)
    step("rebuilt processed tables")
    data = build_report_data(params, result)

    remove_debris(target.parent, target.name)
    staging = staging_dir_for(target)
    try:
        notebook = execute_report_notebook(params, staging)
        step("executed notebooks/report.ipynb")
        nbformat.write(notebook, staging / "report.ipynb")
        html = export_html(notebook, params)
        write_text_atomic(staging / "report.html", html)
        step("exported report.html")
        if params.pdf:
            print_report_pdf(staging, params.drafted_on)
            step("printed report.pdf")
        missing = [p for p in EXPECTED_OUTPUTS if not (staging / p).is_file()]
        if missing:
            raise NotebookFailed(f"notebooks/report.ipynb finished without writing "
                                 f"{', '.join(missing)}")
        duration = time.monotonic() - started
        step("checked outputs")
        write_text_atomic(staging / "run.log", "\n".join(log) + "\n")
        manifest = {
            "parameters": params.as_dict(),
            "raw_dir": display_path(params.raw_path),
            "inputs": input_records(params.raw_path, list(data.inputs["path"])),
            "outputs": output_records(staging),
            "environment": environment(),
            "warnings": [p.as_dict() for p in data.warnings],
            "demo_inputs": data.demo_inputs,
            "summary": {"report_date": data.report_date.isoformat(),
                        "data_as_of": data.data_as_of.isoformat() if data.data_as_of else None,
                        "counts": data.counts},
            "run": {"started_utc": started_at.isoformat(), "seconds": round(duration, 3),
                    "reason": reason or "requested"},
        }
        write_manifest(staging / MANIFEST_NAME, manifest)
        swap_into_place(staging, target,
                        keep_previous_as=prior_folder(target) if keep_previous else None)
    except BaseException as error:
        _keep_for_debugging(staging, target, error)
        raise
    return RunOutcome(target, time.monotonic() - started, log)


def _keep_for_debugging(staging: Path, target: Path, error: BaseException) -> None:
    """Move a failed build aside (never published) so its partly executed notebook can be read."""
    if not staging.exists():
        return
    (staging / "failure.txt").write_text(f"{type(error).__name__}: {error}\n", encoding="utf-8")
    failed = target.parent / f".{target.name}.failed"
    if failed.exists():
        shutil.rmtree(failed)
    staging.rename(failed)


def prior_folder(target: Path) -> Path:
    """Where the previous publication of a report is kept when it is re-published."""
    return target.with_name(f"{target.name}.prior")


def execute_report_notebook(params: ReportParameters, workdir: Path) -> nbformat.NotebookNode:
    """Run the report notebook in `workdir` with papermill; a failing, exiting or timed-out
    cell raises NotebookFailed naming the notebook, the cell and the exception."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output = workdir / "report.ipynb"
    try:
        notebook = papermill.execute_notebook(
            str(REPORT_NOTEBOOK), str(output),
            parameters=params.replace(export=True).as_dict(),
            cwd=str(workdir), kernel_name="python3", progress_bar=False, log_output=False,
            # the kernel's start-up notices (e.g. about TCP transport) are not report output
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            execution_timeout=params.cell_timeout_s,
            # saved after every cell, so a failed run leaves its partial notebook to debug
            request_save_on_cell_execute=True)
    except PapermillExecutionError as exc:
        source = _cell_source(output, exc.exec_count)
        raise NotebookFailed(
            f"notebooks/report.ipynb failed in cell {exc.cell_index} (execution count "
            f"{exc.exec_count}{source}): {exc.ename}: {exc.evalue}") from None
    except Exception as exc:  # dead kernel, timeout: nbclient raises its own types
        raise NotebookFailed(f"notebooks/report.ipynb did not finish: "
                             f"{type(exc).__name__}: {exc}") from None
    _check_complete(notebook)
    return normalize_notebook(notebook)


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
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from helpers.report_html import report_title

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
    exporter = HTMLExporter(config=config)
    copy = nbformat.from_dict(notebook)
    copy.metadata["title"] = report_title(params)
    body, _ = exporter.from_notebook_node(copy, resources={"metadata": {"name": "report"}})
    return body
