"""`briefs`: the briefs of one report, one per district or supervision group, built from one
computation of the report's data and published atomically, with their own manifest, into
<out_dir>/<year>/<period>-briefs-<by>/ (beside the report, never inside its folder)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import queue
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from helpers.core.atomic_io import write_text_atomic
from helpers.core.collector import existing_objects_frozen
from helpers.core.errors import OutputFailed, ParameterError
from helpers.core.parameters import ReportParameters
from helpers.core.places import check_places
from helpers.core.reproducible_files import document_timestamp
from helpers.core.text_safety import one_line, spreadsheet_safe_frame
from helpers.ingest.returns import IngestResult, raise_for_errors
from helpers.metrics.brief_units import BY, BriefUnit, brief_rows, brief_units
from helpers.metrics.report_data import ReportData, build_report_data, load_validated
from helpers.publish.manifest import (
    MANIFEST_NAME,
    environment,
    run_manifest,
    write_manifest,
)
from helpers.publish.transaction import (
    RunOutcome,
    StagedBuild,
    holding,
    recorded_run,
    staged_build,
)
from helpers.render.brief_page import brief_html, briefs_index_html
from helpers.render.chromium_pipe import PipeBrowser
from helpers.render.excel import write_report_xlsx
from helpers.render.pdf_print import (
    browsers,
    check_printing,
    ended_on_failure,
    print_with,
    run_printer,
)
from helpers.words.brief_findings import brief_part
from helpers.words.report_text import check_written_sections

TABLE_PATH = "tables/unit_indicator.csv"
BRIEF_WORKERS = 2  # processes writing briefs (the machines have two cores)
MIN_UNITS_TO_SHARE = 8  # fewer briefs are written by the run's own process
INDEX_NAME = "index.html"


def briefs_folder(out_dir: Path, params: ReportParameters, by: str) -> Path:
    """<out_dir>/<year>/<period>-briefs-<by>/"""
    return Path(out_dir) / str(params.year) / f"{params.period}-briefs-{by}"


def run_briefs(params: ReportParameters, by: str, out_dir: Path, *, lock_wait_s: float = 60.0,
               raw_root: Path | None = None, reason: str | None = None,
               result: IngestResult | None = None,
               printer: PipeBrowser | None = None,
               computed: dict | None = None) -> RunOutcome:
    """Build the briefs of the report `params` describes, one per `by` (district or group),
    and publish them in one rename; raise a ReportError on any failure, leaving what was
    published before untouched. `raw_root`: read the inputs there (verify). `result`: inputs
    the caller already ingested (schedule). `printer`: a started browser to print the PDFs
    with (schedule shares one); ended if the run fails. `computed`: where the caller keeps
    the report data the briefs are cut from, made by the first run and reused by the next
    (schedule: the briefs by district and by group of one report, from the same inputs)."""
    if by not in BY:
        raise ParameterError(f"by: must be one of {', '.join(BY)}, not {one_line(by)!r}")
    out_dir = Path(out_dir)
    target = briefs_folder(out_dir, params, by)
    # before anything is written, the run log included: never into the raw folder
    check_places(raw_root or params.raw_path, out_dir=out_dir)
    with (existing_objects_frozen(),
          recorded_run(out_dir, f"{params.year}/{target.name}", reason) as record):
        # read-only: bad input touches nothing
        result = load_validated(params, raw_root) if result is None else checked(result)
        if params.pdf:
            check_printing()
        with holding(record, target, lock_wait_s=lock_wait_s):
            record.outcome = build_and_publish(params, by, result, target, reason, printer,
                                               computed)
    return record.outcome


def checked(result: IngestResult) -> IngestResult:
    """The caller's ingest, refused (InputRejected) as load_validated would refuse it."""
    raise_for_errors(result)
    return result


def build_and_publish(params: ReportParameters, by: str, result, target: Path,
                      reason: str | None, printer: PipeBrowser | None = None,
                      computed: dict | None = None) -> RunOutcome:
    """The briefs' phases, from the validated inputs to the published folder; `printer`: the
    caller's started browser (else one is started here); `computed`: see run_briefs."""
    build = StagedBuild(target)
    with ExitStack() as printing:
        printer = run_printer(printing, params.pdf, printer)
        with ThreadPoolExecutor(1) as aside:  # the manifest's environment, gathered meanwhile
            gathering = aside.submit(environment)
            data = computed.get("data") if computed is not None else None
            if data is None:
                data = briefs_data(params, result)
                if computed is not None:
                    computed["data"] = data
            units = brief_units(data, by)
            facts = gathering.result()  # before any writer is forked
        build.step(f"computed the report data: {len(units)} brief(s) by {by}")
        with staged_build(build) as staging:
            with ended_on_failure(printer):
                rows = write_briefs(data, units, staging, pdf=params.pdf,
                                    drafted_on=params.drafted_on, printer=printer)
            printing.close()  # a browser started here is done: ended before the rest
            build.step("wrote the briefs (HTML, Excel" + (", PDF)" if params.pdf else ")"))
            (staging / TABLE_PATH).parent.mkdir()
            write_text_atomic(staging / TABLE_PATH, unit_indicator_csv(rows))
            write_text_atomic(staging / INDEX_NAME, briefs_index_html(data, units, by))
            build.step("checked outputs")
            build.write_log()
            briefs = {"by": by, "units": [{"name": u.name, "file": u.stem,
                                           "districts": list(u.districts)} for u in units]}
            write_manifest(staging / MANIFEST_NAME, run_manifest(
                params, result, data, staging, build.started_at, build.seconds, reason,
                environment_facts=facts, briefs=briefs))
    return build.outcome()


def briefs_data(params: ReportParameters, result: IngestResult) -> ReportData:
    """The one computation every brief of a report is cut from (its written sections checked
    as a report's)."""
    return check_written_sections(build_report_data(params, result))


def write_briefs(data: ReportData, units: list[BriefUnit], folder: Path, *, pdf: bool = False,
                 drafted_on: dt.date | None = None,
                 printer: PipeBrowser | None = None) -> pd.DataFrame:
    """<stem>.html, <stem>.xlsx (without the About sheet: it goes to the unit) and, with `pdf`,
    <stem>.pdf of every unit into `folder`; the rows of tables/unit_indicator.csv. Many briefs
    are shared out to BRIEF_WORKERS forked processes (they share the computed data without
    copying it); each writes the same bytes whichever process writes it. The one browser,
    `printer` (started by the caller, else here), prints each page as soon as it is written,
    while the writers go on with the next pages and the workbooks."""
    if pdf and printer is None:
        with browsers(1) as (started,):
            return write_briefs(data, units, folder, pdf=True, drafted_on=drafted_on,
                                printer=started)
    printer = printer if pdf else None
    if len(units) < MIN_UNITS_TO_SHARE:
        return _write_here(data, units, folder, printer, drafted_on)
    shares = [units[n::BRIEF_WORKERS] for n in range(BRIEF_WORKERS)]
    context = multiprocessing.get_context("fork")
    written = context.Queue()  # the stems of the pages written, None when a share's are
    global _SHARED  # what the forked workers inherit: never pickled, never copied
    _SHARED = (data, shares, folder, written)
    try:
        with ProcessPoolExecutor(len(shares), mp_context=context) as pool:
            jobs = [pool.submit(_write_share, n) for n in range(len(shares))]
            if printer is not None:
                print_briefs(printer, folder, _pages_written(
                    written, len(jobs), lambda: any(j.done() and j.exception() for j in jobs)),
                    drafted_on)
            done = [job.result() for job in jobs]  # the first failure is raised
    except BrokenProcessPool:
        raise OutputFailed("writing the briefs stopped: a process writing them ended abruptly "
                           "(killed, or out of memory)") from None
    finally:
        _SHARED = None
        written.close()
    order = {unit.name: n for n, unit in enumerate(units)}
    rows = pd.concat(done, ignore_index=True)
    return (rows.assign(_order=rows["brief"].map(order)).sort_values("_order", kind="stable")
            .drop(columns="_order").reset_index(drop=True))


_SHARED = None


def _write_share(number: int) -> pd.DataFrame:
    """In a forked worker: the briefs of share `number` (the data inherited from the run),
    each page announced on the run's queue once written."""
    data, shares, folder, written = _SHARED
    return _write_units(data, shares[number], folder, written.put)


def _write_here(data: ReportData, units: list[BriefUnit], folder: Path,
                printer: PipeBrowser | None, drafted_on: dt.date | None) -> pd.DataFrame:
    """The briefs of `units` written by this process, a thread printing each page once
    written."""
    written: queue.Queue = queue.Queue()
    with ThreadPoolExecutor(1) as printing:
        printed = None if printer is None else printing.submit(
            print_briefs, printer, folder, _pages_written(written, 1, lambda: False),
            drafted_on)
        rows = _write_units(data, units, folder, written.put)
        if printed is not None:
            printed.result()
    return rows


def _write_units(data: ReportData, units: list[BriefUnit], folder: Path,
                 announce: Callable[[str | None], None]) -> pd.DataFrame:
    """The briefs of `units`: their pages first, each announced (its stem) for printing as
    soon as written, then None, then their workbooks."""
    parts, rows = [], []
    try:
        for unit in units:
            part = brief_part(data, unit)
            write_text_atomic(folder / f"{unit.stem}.html", brief_html(part, unit, data))
            announce(unit.stem)
            parts.append(part)
            rows.append(brief_rows(part, unit))
    finally:
        announce(None)  # the printer stops waiting for pages of these units
    for part, unit in zip(parts, units, strict=True):
        write_report_xlsx(part, folder / f"{unit.stem}.xlsx", with_about=False)
    return pd.concat(rows, ignore_index=True)


def _pages_written(written, writers: int, failed: Callable[[], bool]) -> Iterator[str]:
    """The stems `writers` announce on `written` as they write their pages, until each has
    announced its end (None), or stopped early when `failed()` (whoever waits for the failed
    writer raises its error)."""
    ended = 0
    while ended < writers:
        try:
            stem = written.get(timeout=0.1)
        except queue.Empty:
            if failed():
                return
            continue
        if stem is None:
            ended += 1
        else:
            yield stem


def print_briefs(printer: PipeBrowser, folder: Path, stems: Iterable[str],
                 drafted_on: dt.date) -> None:
    """<stem>.pdf of every brief of `stems` (a generator may still be waiting for pages),
    printed by the started `printer`."""
    print_with(printer, ((folder / f"{stem}.html", folder / f"{stem}.pdf") for stem in stems),
               document_timestamp(drafted_on))


def unit_indicator_csv(rows: pd.DataFrame) -> str:
    """tables/unit_indicator.csv: each unit's figure per indicator, as its brief shows it."""
    frame = rows.copy()
    frame["completion"] = frame["completion"].astype("Float64").round(6)
    return spreadsheet_safe_frame(frame).to_csv(index=False, lineterminator="\n")
