"""`schedule`: decide which reports are due and build only those whose inputs, parameters, code
or lock changed since their last publication. Safe to run unattended (cron, systemd, CI)."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from helpers.core.atomic_io import remove_debris
from helpers.core.environment import code_hash, lock_hash
from helpers.core.errors import ParameterError, ReportError
from helpers.core.limits import DEFAULT_REPORT_TIME_LIMIT_S
from helpers.core.parameters import PERIOD_END, PERIODS, ReportParameters
from helpers.core.paths import display_path
from helpers.ingest.returns import IngestResult, has_allocation, ingest_year
from helpers.metrics.report_data import used_inputs
from helpers.publish.lock import publish_lock
from helpers.publish.manifest import MANIFEST_NAME, input_records, read_manifest
from helpers.publish.run_log import log_event

DEFAULT_GRACE_DAYS = 20


@dataclass(frozen=True)
class Due:
    """A report whose period has ended, and why it is due."""

    year: int
    period: str
    reason: str


@dataclass(frozen=True)
class Decision:
    """What schedule does with one due report: build it (and why) or leave it."""

    due: Due
    action: str  # "run" or "up to date"
    reason: str


def period_end(year: int, period: str) -> dt.date:
    month, day = PERIOD_END[period]
    return dt.date(year, month, day)


def is_due(year: int, period: str, today: dt.date, return_dates: list[dt.date],
           grace_days: int) -> str | None:
    """Why a period is due on `today`, or None. A period is due once it has ended and either a
    return dated on or after its end has arrived, or `grace_days` have passed since its end
    (then the report is built from what arrived, and says which returns are missing). A return
    dated after `today` has not arrived: it never makes a period due."""
    end = period_end(year, period)
    if today <= end:
        return None
    arrived = [d for d in return_dates if d <= today]
    if any(d >= end for d in arrived):
        return f"ended {end}, returns dated {max(arrived)} received"
    if (today - end).days >= grace_days:
        return f"ended {end}, {grace_days} grace days passed without a return dated on or after it"
    return None


def years_in(raw_dir: Path) -> list[int]:
    """Years with an allocation table in the raw folder."""
    try:
        entries = sorted(Path(raw_dir).iterdir())
    except OSError as exc:
        raise ParameterError(f"raw folder {raw_dir}: {exc.strerror or exc}") from None
    return sorted(int(p.name) for p in entries
                  if re.fullmatch(r"[0-9]{4}", p.name) and has_allocation(raw_dir, int(p.name)))


def due_reports(raw_dir: Path, today: dt.date, grace_days: int = DEFAULT_GRACE_DAYS,
                ingested: dict[int, IngestResult] | None = None,
                unreadable: dict[int, ReportError] | None = None) -> list[Due]:
    """Every due (year, period) in the raw data, oldest first. `ingested` collects each year's
    ingest, so the runs that follow read nothing twice; `unreadable` collects the years whose
    inputs cannot be read at all (a broken plan file), which the other years do not wait for
    (without it, the first such error is raised)."""
    due = []
    for year in years_in(raw_dir):
        try:
            result = ingest_year(raw_dir, year)
        except ReportError as error:
            if unreadable is None:
                raise
            unreadable[year] = error
            continue
        if ingested is not None:
            ingested[year] = result
        for period in PERIODS:
            reason = is_due(year, period, today, result.reporting_dates, grace_days)
            if reason:
                due.append(Due(year, period, reason))
    return due


def staleness(params: ReportParameters, folder: Path,
              result: IngestResult | None = None) -> str | None:
    """Why the published report in `folder` no longer matches what a run would use (inputs,
    parameters, code, lock), or None when it is up to date. `result`: the year's inputs as
    already read."""
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.exists():
        return "not published yet"
    try:
        manifest = read_manifest(manifest_path)
    except ReportError:
        return "manifest unreadable"
    if manifest.get("parameters") != params.as_dict():
        return "parameters changed"
    result = result if result is not None else ingest_year(params.raw_path, params.year)
    if result.errors:
        return "inputs changed (and have errors)"
    current = input_records(result.snapshot,
                            [i.path for i in used_inputs(result, params.report_date,
                                                        params.lang)])
    previous = params.year - 1
    if params.period == "FY" and has_allocation(params.raw_path, previous):
        # the year-end report reads the previous year's files too (比上年)
        last = ingest_year(params.raw_path, previous)
        current += input_records(last.snapshot, [
            i.path for i in used_inputs(last, dt.date(previous, 12, 31), params.lang)
            if i.path.startswith(f"{previous}/")])
    recorded = {r["path"]: r["sha256"] for r in manifest.get("inputs", [])}
    now = {r["path"]: r["sha256"] for r in current}
    if recorded != now:
        changed = sorted(p for p in set(recorded) | set(now) if recorded.get(p) != now.get(p))
        return "inputs changed: " + ", ".join(changed)
    environment = manifest.get("environment", {})
    if environment.get("code_sha256") != code_hash():
        return "code changed"
    if environment.get("lock_sha256") != lock_hash():
        return "requirements.lock changed"
    return None


def failure_reason(error: Exception) -> str:
    """How a failed report reads in the pass: a ReportError by its message, a bug (any other
    exception) named as an internal error; the pass goes on either way."""
    if isinstance(error, ReportError):
        return str(error)
    return f"internal error: {type(error).__name__}: {error}"


class PassPrinter:
    """The one browser that prints every PDF of a schedule pass: started when the first PDF is
    due, started again after a run that failed (which ends it: it may have been printing),
    ended with the pass."""

    def __init__(self, stack: ExitStack):
        self._stack = stack
        self._browser = None

    def __call__(self, params: ReportParameters):
        """A live browser for a run of `params`; None when it prints no PDF."""
        if not params.pdf:
            return None
        if self._browser is None or not self._browser.alive:
            from helpers.render.pdf_print import browsers  # only when a PDF is due

            self._browser = self._stack.enter_context(browsers(1))[0]
        return self._browser


def _schedule_report(item: Due, params: ReportParameters, out_dir: Path,
                     result: IngestResult | None, say, outcomes: list[tuple[str, str, str]],
                     printer: PassPrinter, computed: dict | None, *, dry_run: bool,
                     lock_wait_s: float, time_limit_s: float | None,
                     processed_dir: Path | None) -> int:
    """One due report: said what would be done (`dry_run`), found up to date, or built under
    its folder's lock; returns 1 when it failed (the pass goes on), else 0. `computed`: where
    its run keeps the data its briefs are cut from (None: no briefs asked)."""
    from helpers.core.places import report_folder

    folder = report_folder(out_dir, params)
    name = f"{item.year} {item.period}"
    ran = False
    try:
        if dry_run:
            reason = staleness(params, folder, result)
            say(f"{name}: would {'run' if reason else 'skip'} ({reason or 'up to date'}; "
                f"due: {item.reason})")
            return 0
        with publish_lock(folder, wait_s=lock_wait_s):
            # Put back a folder a killed run left between its two renames, before deciding.
            remove_debris(folder.parent, folder.name)
            # Checked under the lock: a concurrent run may just have published it.
            reason = staleness(params, folder, result)
            if reason is None:
                say(f"{name}: up to date")
                log_event(out_dir, "up-to-date", report=f"{item.year}/{item.period}")
                outcomes.append((name, "up to date", ""))
                return 0
            say(f"{name}: running ({reason})")
            shared = printer(params)  # a browser that cannot start: logged here
            ran = True  # from here on run_report logs its own failure
            from helpers.publish.report_pipeline import run_report  # only when a report is due

            outcome = run_report(params, out_dir, reason=reason, locked=True,
                                 keep_previous=(folder / MANIFEST_NAME).is_file(),
                                 result=result, time_limit_s=time_limit_s,
                                 processed_dir=processed_dir, printer=shared,
                                 computed=computed)
            say(f"{name}: published {display_path(outcome.folder)} in {outcome.seconds:.1f} s")
    except Exception as error:  # one report's failure never ends the pass
        reason = failure_reason(error)
        say(f"{name}: FAILED: {reason}")
        outcomes.append((name, "failed", reason))
        if not ran:
            log_event(out_dir, "failed", report=f"{item.year}/{item.period}", error=reason)
        return 1
    outcomes.append((name, "published", ""))
    return 0


def _schedule_briefs(params: ReportParameters, out_dir: Path, briefs: tuple[str, ...],
                     result: IngestResult | None, name: str, say,
                     outcomes: list[tuple[str, str, str]], printer: PassPrinter,
                     computed: dict) -> int:
    """The stale briefs of one due report, each `by` of `briefs`; returns the failures.
    `computed`: the data they are cut from, kept by the report's run (else made by the first
    briefs and reused by the next)."""
    from helpers.publish.brief_pipeline import briefs_folder, run_briefs

    failures = 0
    for by in briefs:
        label = f"{name} briefs by {by}"
        try:
            reason = staleness(params, briefs_folder(out_dir, params, by), result)
            if reason is None:
                say(f"{label}: up to date")
                outcomes.append((label, "up to date", ""))
                continue
            say(f"{label}: running ({reason})")
            outcome = run_briefs(params, by, out_dir, reason=reason, result=result,
                                 printer=printer(params), computed=computed)
            say(f"{label}: published {display_path(outcome.folder)} in {outcome.seconds:.1f} s")
            outcomes.append((label, "published", ""))
        except Exception as error:  # one failure never ends the pass
            failures += 1
            reason = failure_reason(error)
            say(f"{label}: FAILED: {reason}")
            outcomes.append((label, "failed", reason))
    return failures


def run_schedule(raw_dir: Path, out_dir: Path, today: dt.date, *,
                 grace_days: int = DEFAULT_GRACE_DAYS, dry_run: bool = False,
                 lock_wait_s: float = 600.0, say=print,
                 time_limit_s: float | None = DEFAULT_REPORT_TIME_LIMIT_S,
                 processed_dir: Path | None = None, briefs: tuple[str, ...] = ()) -> int:
    """Build every due, stale report, and with `briefs` (district, group) the stale briefs of
    each due report. Returns the number of failures (0: all done or up to date). Each decision
    and outcome is printed and appended to <out_dir>/runs.log. Each report may take at most
    `time_limit_s`, from reading its inputs to publishing."""
    from helpers.core.paths import PROCESSED_DIR
    from helpers.core.places import check_places

    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if grace_days < 0:
        raise ParameterError(f"--grace-days {grace_days} must not be negative")
    check_places(raw_dir, out_dir=out_dir, processed_dir=processed_dir or PROCESSED_DIR)
    raw_param = display_path(raw_dir)
    ingested: dict[int, IngestResult] = {}
    unreadable: dict[int, ReportError] = {}
    due = due_reports(raw_dir, today, grace_days, ingested, unreadable)
    log_event(out_dir, "schedule", today=today, due=len(due), dry_run=dry_run)
    failures = 0
    outcomes: list[tuple[str, str, str]] = []  # (report, published / up to date / failed, why)
    for year, error in unreadable.items():
        failures += 1
        say(f"{year}: FAILED: its inputs cannot be read, none of its reports was tried: {error}")
        outcomes.append((f"{year} (every period)", "failed", str(error)))
        log_event(out_dir, "failed", report=f"{year}/*", error=error)
    if not due and not unreadable:
        say(f"nothing is due on {today}")
    with ExitStack() as printing:  # one browser prints the pass's PDFs
        printer = PassPrinter(printing)
        # by report: the data its briefs are cut from, kept by its run when briefs are asked
        computed: dict[str, dict] = {}
        for item in due:
            name = f"{item.year} {item.period}"
            failures += _schedule_report(
                item, ReportParameters(year=item.year, period=item.period, raw_dir=raw_param),
                out_dir, ingested.get(item.year), say, outcomes, printer,
                computed.setdefault(name, {}) if briefs else None, dry_run=dry_run,
                lock_wait_s=lock_wait_s, time_limit_s=time_limit_s, processed_dir=processed_dir)
        reported = {name: action for name, action, _ in outcomes}
        for item in due if briefs and not dry_run else ():
            # the briefs of each report that is published, after the reports themselves
            name = f"{item.year} {item.period}"
            if reported.get(name) in ("published", "up to date"):
                params = ReportParameters(year=item.year, period=item.period, raw_dir=raw_param)
                failures += _schedule_briefs(params, out_dir, briefs, ingested.get(item.year),
                                             name, say, outcomes, printer,
                                             computed.pop(name, {}))
    if (due or unreadable) and not dry_run:
        say(f"schedule on {today}: {len(due)} report(s) due"
            f"{' with their briefs by ' + ' and '.join(briefs) if briefs else ''}, "
            f"{sum(o[1] == 'published' for o in outcomes)} published, "
            f"{sum(o[1] == 'up to date' for o in outcomes)} up to date, {failures} failed")
        for name, action, reason in outcomes:
            say(f"  {name}: {action}{': ' + reason if reason else ''}")
    return failures
