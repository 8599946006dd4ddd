"""Command line: a thin wrapper over the package's functions. Exit codes: 0 success,
1 verification mismatch, 2 bad input, parameters or manifest, 3 notebook failed or time limit,
4 output folder locked, 5 outputs could not be written (disk full, permission), 6 report.pdf
cannot be printed (Chromium or its font missing, or Chromium failed), 70 internal error (a bug:
HELPERS_DEBUG=1 shows the traceback), 130 interrupted. Every line printed is made safe for a
terminal (helpers.core.text_safety): no escape sequence from a file name gets through."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import math
import os
import sys
import traceback
from pathlib import Path

from helpers.core.errors import InputRejected, OutputFailed, ReportError
from helpers.core.limits import DEFAULT_REPORT_TIME_LIMIT_S
from helpers.core.parameters import (
    PERIODS,
    ReportParameters,
    parameters_from_dict,
    parse_cli_value,
)
from helpers.core.paths import PROCESSED_DIR, RAW_DIR, REPORTS_DIR, display_path
from helpers.core.problems import describe_all
from helpers.core.text_safety import one_line, terminal_safe

EXIT_INTERNAL_ERROR = 70
EXIT_INTERRUPTED = 130


def say(text: object = "") -> None:
    """Print to stdout, safe for a terminal."""
    print(terminal_safe(text))


def warn(text: object) -> None:
    """Print one line to stderr, safe for a terminal."""
    print(one_line(text), file=sys.stderr)

_RUN_FIELDS = ("year", "period", "lang", "serious_lag_pp", "tolerance_pp",
               "small_target_max", "ranking_method", "districts", "raw_dir", "cell_timeout_s",
               "demo_notice", "title", "doc_number", "issuer", "drafting_date", "recipients",
               "pdf")
_HELP = {
    "year": "reporting year (data/raw/<year>/)",
    "period": "Q1, H1 (mid-year), Q3 or FY (year-end)",
    "lang": "report language: zh or en",
    "serious_lag_pp": "points below the milestone (or more) that count as seriously lagging",
    "tolerance_pp": "a shortfall of at most this share of the target, in points, is basically "
                    "on track",
    "small_target_max": "targets up to this are judged done / not done by their deadline",
    "ranking_method": "district ranking: on_track_share or mean_completion",
    "districts": "comma-separated subset of districts (default: all)",
    "raw_dir": "raw data folder (default: data/raw)",
    "cell_timeout_s": "time limit per notebook cell, seconds",
    "demo_notice": "true/false: show the demo-data notice",
    "title": "document title (default: generated from year, subject and period)",
    "doc_number": "文号 printed under the title, e.g. 温民〔2018〕35号 (default: none: the "
                  "document is a draft, 征求意见稿)",
    "issuer": "落款, the issuing body (default: 温州市民政局)",
    "drafting_date": "成文日期 YYYY-MM-DD, not before the report date (default: none: the "
                     "document is a draft, 征求意见稿, its date left blank to fill in)",
    "recipients": "主送机关, the bodies the document is addressed to (default: "
                  "各县（市、区）民政局、浙南产业集聚区民政部门)",
    "pdf": "true/false: print report.pdf with headless Chromium",
}


def _add_parameter_options(parser: argparse.ArgumentParser, required: tuple[str, ...]) -> None:
    """One option per schema field; values are converted by the schema, never guessed."""
    defaults = {f.name: f.default for f in dataclasses.fields(ReportParameters)}
    for name in _RUN_FIELDS:
        flag = "--" + name.replace("_", "-")
        text = _HELP[name]
        if name in required:
            text += " (required)"
        elif "default:" not in text:  # a help that says its default already says it once
            text += f" (default: {_shown_default(defaults[name])})"
        parser.add_argument(flag, dest=name, metavar=name.upper(), required=name in required,
                            help=text)


def _shown_default(value: object) -> str:
    """A default as typed on the command line: none, true/false, the value."""
    if value is None:
        return "none"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _parameters(args: argparse.Namespace) -> ReportParameters:
    values = {name: parse_cli_value(name, getattr(args, name)) for name in _RUN_FIELDS
              if getattr(args, name, None) is not None}
    if "raw_dir" in values:
        values["raw_dir"] = display_path(Path(values["raw_dir"]))
    return parameters_from_dict(values)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a year's raw data and report every problem")
    validate.add_argument("--year", type=int, required=True,
                          help="the year to check (data/raw/<year>/) (required)")
    validate.add_argument("--raw-dir", default=str(RAW_DIR),
                          help="raw data folder (default: data/raw)")

    run = sub.add_parser("run", help="build and publish one report")
    _add_parameter_options(run, required=("year", "period"))
    run.add_argument("--out-dir", default=str(REPORTS_DIR),
                     help="where reports are published (default: reports/)")
    _add_place_options(run, time_limit=None)

    briefs = sub.add_parser("briefs", help="build one short brief (HTML, PDF, Excel) per "
                                           "district or supervision group")
    _add_parameter_options(briefs, required=("year", "period"))
    briefs.add_argument("--by", choices=("district", "group"), default="district",
                        help="one brief per district or per supervision group (default: "
                             "district)")
    briefs.add_argument("--out-dir", default=str(REPORTS_DIR),
                        help="where the briefs are published, in <year>/<period>-briefs-<by>/ "
                             "(default: reports/)")

    verify = sub.add_parser("verify", help="re-run a published report and compare every output")
    verify.add_argument("manifest", help="<out_dir>/<year>/<period>/manifest.json")
    verify.add_argument("--raw-dir", default=None,
                        help="where the inputs are now, an unpacked auditor pack's data/raw "
                             "say (default: the raw folder the run recorded)")

    draft = sub.add_parser("check-draft", help="check a report.docx the office edited against "
                                               "the published report's facts")
    draft.add_argument("draft", help="the edited .docx (Word or LibreOffice)")
    draft.add_argument("--year", type=int, required=True,
                       help="the published report's year (required)")
    draft.add_argument("--period", choices=PERIODS, required=True,
                       help="the published report's period (required)")
    draft.add_argument("--out-dir", default=str(REPORTS_DIR),
                       help="where the report was published (default: reports/)")
    draft.add_argument("--raw-dir", default=None,
                       help="where the inputs are now (default: the raw folder the run "
                            "recorded)")

    pack = sub.add_parser("pack", help="zip a published report with everything to reproduce it")
    pack.add_argument("folder", help="<out_dir>/<year>/<period>")
    pack.add_argument("--output", default=None, help="zip path (default: beside the folder)")
    pack.add_argument("--raw-dir", default=None,
                      help="where the inputs are now (default: the raw folder the run recorded)")

    schedule = sub.add_parser("schedule", help="build every due report whose inputs changed")
    schedule.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")
    schedule.add_argument("--raw-dir", default=str(RAW_DIR),
                          help="raw data folder (default: data/raw)")
    schedule.add_argument("--out-dir", default=str(REPORTS_DIR),
                          help="where reports are published (default: reports/)")
    schedule.add_argument("--grace-days", type=int, default=20,
                          help="days after a period end to wait for returns (default: 20)")
    schedule.add_argument("--briefs", default="", metavar="BY",
                          help="also build the briefs of each due report: district, group or "
                               "district,group (default: none)")
    schedule.add_argument("--dry-run", action="store_true",
                          help="list what would run and why, build nothing (default: off)")
    _add_place_options(schedule, time_limit=DEFAULT_REPORT_TIME_LIMIT_S)

    new_year = sub.add_parser("new-year", help="start a year's raw folder from the notice's "
                                               "allocation table and draft its plan")
    new_year.add_argument("--year", type=int, required=True,
                          help="the new year (data/raw/<year>/ must not have an allocation "
                               "or a plan yet)")
    new_year.add_argument("--allocation", required=True, metavar="FILE",
                          help="the allocation table as published: the notice's .xlsx, or "
                               "the .docx whose table is the annex")
    new_year.add_argument("--raw-dir", default=str(RAW_DIR),
                          help="raw data folder (default: data/raw)")

    demo = sub.add_parser("demo", help="(re)generate the deterministic demo progress returns "
                                       "and the sample problem ledger")
    demo.add_argument("--year", type=int, default=2018,
                      help="the year whose demo returns are written (default: 2018)")
    demo.add_argument("--raw-dir", default=str(RAW_DIR), help="raw data folder (default: data/raw)")

    templates = sub.add_parser("templates", help="write the return templates the districts "
                                                 "fill in for a reporting date")
    templates.add_argument("--year", type=int, required=True,
                           help="reporting year (required)")
    templates.add_argument("--as-of", required=True, type=_date,
                           help="the reporting date YYYY-MM-DD the districts report for "
                                "(required)")
    templates.add_argument("--raw-dir", default=str(RAW_DIR),
                           help="raw data folder (default: data/raw)")
    templates.add_argument("--out-dir", default=str(REPORTS_DIR),
                           help="where to write (default: reports/; the templates go to "
                                "<year>/templates/<as-of>/)")
    templates.add_argument("--by", choices=("district", "group", "both"), default="both",
                           help="one template per district, per supervision group, or both "
                                "(default: both)")

    diff = sub.add_parser("diff", help="what changed between two published reports: figures, "
                                       "statuses, input files and cells")
    diff.add_argument("old", help="the earlier report folder, <out_dir>/<year>/<period> (or "
                                  "<period>.prior, the previous publication)")
    diff.add_argument("new", help="the later report folder")
    diff.add_argument("--html", default=None, help="also write the comparison as an HTML page "
                                                   "here (default: none)")
    diff.add_argument("--xlsx", default=None, help="also write the comparison as an Excel "
                                                   "workbook here (default: none)")
    diff.add_argument("--lang", choices=("zh", "en"), default="zh",
                      help="language of the output (default: zh)")
    diff.add_argument("--exit-code", action="store_true",
                      help="exit 1 when anything differs, as `git diff --exit-code` does "
                           "(default: exit 0 once compared)")
    return parser


def _date(text: str):
    """A date option: YYYY-MM-DD, a real calendar date."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _seconds(text: str) -> float:
    """A time limit: a finite number of seconds above zero (inf, nan, 0 and -1 are refused)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def _add_place_options(parser: argparse.ArgumentParser, time_limit: float | None) -> None:
    parser.add_argument("--processed-dir", default=str(PROCESSED_DIR),
                        help="where the tidy tables go (default: data/processed; never inside "
                             "the raw folder)")
    parser.add_argument("--time-limit-s", type=_seconds, default=time_limit,
                        help="time limit of one report, from reading its inputs to publishing "
                             f"(default: {time_limit or 'none'})")


class _ConsoleHandler(logging.Handler):
    """The library's warnings on stderr, one terminal-safe line each ("warning: ...")."""

    def emit(self, record: logging.LogRecord) -> None:
        warn(f"{record.levelname.lower()}: {record.getMessage()}")


def _console_logging() -> None:
    """What the console shows of the library's logging: its warnings and errors."""
    package = logging.getLogger("helpers")
    if not any(isinstance(h, _ConsoleHandler) for h in package.handlers):
        package.addHandler(_ConsoleHandler(logging.WARNING))
    # What the libraries underneath log (jupyter_client on a killed kernel, say) is not the
    # product's message: without this, Python's last-resort handler prints it to stderr first.
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _console_logging()
    try:
        return COMMANDS[args.command](args)
    except InputRejected as exc:
        for line in describe_all(exc.problems):
            warn(line)
        warn(f"{len(exc.problems)} input error(s); nothing was published.")
        return exc.exit_code
    except ReportError as exc:
        warn(f"error: {exc}")
        return exc.exit_code
    except BrokenPipeError:  # the reader of our output left (`| head`): nothing went wrong
        _silence_stdout()
        return 0
    except OSError as exc:  # a file we had to write or read outside the inputs
        where = exc.filename or "a file"
        warn(f"error: could not use {where}: {exc.strerror or exc}")
        return OutputFailed.exit_code
    except KeyboardInterrupt:
        warn("interrupted; nothing was published")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: say so in one line, not a traceback (unless debugging)
        if os.environ.get("HELPERS_DEBUG"):
            # the traceback, and still the documented code: Python's own for an uncaught
            # exception is 1, which reads as a verification mismatch
            traceback.print_exc()
            return EXIT_INTERNAL_ERROR
        warn(f"internal error: {type(exc).__name__}: {exc} (nothing was published; "
             "HELPERS_DEBUG=1 shows the traceback)")
        return EXIT_INTERNAL_ERROR


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit does not fail on the closed
    pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's capture): nothing to silence
        pass
    finally:
        os.close(devnull)


def cmd_validate(args: argparse.Namespace) -> int:
    from helpers.ingest.returns import ingest_year
    from helpers.ingest.validation_summary import summary_text

    raw = Path(args.raw_dir)
    result = ingest_year(raw, args.year)
    say(f"Raw folder: {display_path(raw)}")
    say(summary_text(result))
    return 2 if result.errors else 0


def cmd_run(args: argparse.Namespace) -> int:
    from helpers.publish.report_pipeline import run_report

    params = _parameters(args)
    outcome = run_report(params, Path(args.out_dir), processed_dir=Path(args.processed_dir),
                         time_limit_s=args.time_limit_s)
    for line in outcome.log:
        say(line)
    say(f"Published {display_path(outcome.folder)} in {outcome.seconds:.1f} s")
    return 0


def cmd_briefs(args: argparse.Namespace) -> int:
    from helpers.publish.brief_pipeline import run_briefs

    outcome = run_briefs(_parameters(args), args.by, Path(args.out_dir))
    for line in outcome.log:
        say(line)
    say(f"Published {display_path(outcome.folder)} in {outcome.seconds:.1f} s")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from helpers.audit.verify import verify

    outcome = verify(Path(args.manifest), Path(args.raw_dir) if args.raw_dir else None)
    for path in outcome.matched:
        say(f"same bytes: {path}")
    for finding in outcome.findings:
        say(f"DIFFERENT: {one_line(finding)}")
    if outcome.ok:
        say("verified: every published file is what the manifest records, and the re-run "
            "reproduced every output byte for byte")
        return 0
    say(f"not verified: {len(outcome.findings)} difference(s)")
    return 1


def cmd_check_draft(args: argparse.Namespace) -> int:
    from helpers.audit.draft_check import check_draft

    folder = Path(args.out_dir) / str(args.year) / args.period
    outcome = check_draft(folder, Path(args.draft),
                          Path(args.raw_dir) if args.raw_dir else None)
    for finding in outcome.findings:
        say(f"DIFFERENT: {one_line(finding)}")
    summary = (f"{outcome.paragraphs} paragraph(s) and {outcome.cells} table cell(s) read, "
               f"{outcome.edited} edited")
    if outcome.ok:
        say(f"the draft agrees with the report: {summary}")
        return 0
    say(f"the draft does not agree with the report: {len(outcome.findings)} finding(s); "
        f"{summary}")
    return 1


def cmd_pack(args: argparse.Namespace) -> int:
    from helpers.audit.pack import pack

    path = pack(Path(args.folder), Path(args.output) if args.output else None,
                Path(args.raw_dir) if args.raw_dir else None)
    say(f"wrote {display_path(path)}")
    return 0


def cmd_schedule(args: argparse.Namespace) -> int:
    import datetime as dt

    from helpers.publish.schedule import run_schedule

    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        warn(f"error: --today {args.today!r} is not a date (YYYY-MM-DD)")
        return 2
    briefs = tuple(b.strip() for b in args.briefs.split(",") if b.strip())
    if any(b not in ("district", "group") for b in briefs):
        warn(f"error: --briefs {args.briefs!r}: district, group or district,group")
        return 2
    failures = run_schedule(Path(args.raw_dir), Path(args.out_dir), today, briefs=briefs,
                            grace_days=args.grace_days, dry_run=args.dry_run,
                            say=lambda text: say(one_line(text)),
                            time_limit_s=args.time_limit_s,
                            processed_dir=Path(args.processed_dir))
    return 3 if failures else 0


def cmd_new_year(args: argparse.Namespace) -> int:
    from helpers.ingest.new_year import start_year

    raw = Path(args.raw_dir)
    done = start_year(raw, args.year, Path(args.allocation))
    say(f"Created {display_path(raw / str(args.year))}/ for {args.year}:")
    say(f"  {done.allocation}: the table as received, {done.districts} districts")
    for rel in done.written[1:]:
        say(f"  {rel}: a draft from {done.base_year}'s plan")
    say("Confirm before the first report:")
    for name, unit, total in done.totals:
        say(f"  - the city total of {name}: {total:,}{unit} (as the notice says?)")
    if done.base_year is None:
        say("  - there was no earlier plan to draft from: write "
            f"{args.year}/plan/milestones.csv (README, \"A new year\"); until then every "
            "indicator follows time progress")
    for m in done.milestones:
        step = f" ({m.stage})" if m.stage else ""
        say(f"  - {m.indicator}{step}: {m.share_due:.0%} due by {m.date} (moved from "
            f"{done.base_year})")
    if done.references:
        measures = sorted({f.measure for f in done.references})
        say(f"  - {len(done.references)} reference figures ({', '.join(measures)}) carried "
            f"over from {done.base_year}: replace them with {args.year}'s")
    for item in done.not_carried:
        say(f"  - not carried over from {done.base_year}: {item} (add it to "
            f"{args.year}/plan/ if it continues)")
    say(f"Each drafted row starts with 待确认: remove the mark once confirmed. Then: "
        f"python -m helpers validate --year {args.year}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from helpers.demo.guard import check_demo_place
    from helpers.demo.ledger import write_demo_ledger
    from helpers.demo.progress import write_demo

    check_demo_place(Path(args.raw_dir), args.year)  # before anything is written
    for path in [*write_demo(Path(args.raw_dir), args.year),
                 write_demo_ledger(Path(args.raw_dir), args.year)]:
        say(f"wrote {display_path(path)}")
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    from helpers.publish.templates import write_templates

    outcome = write_templates(Path(args.raw_dir), args.year, args.as_of, Path(args.out_dir),
                              args.by)
    for path in outcome.files:
        say(f"wrote {display_path(path)}")
    say(f"{len(outcome.files)} template(s) as of {args.as_of} in {display_path(outcome.folder)}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from helpers.audit.report_diff import diff_lines, diff_reports, write_diff_html, write_diff_xlsx

    outcome = diff_reports(Path(args.old), Path(args.new))
    for line in diff_lines(outcome, args.lang):
        say(one_line(line))
    if args.html:
        write_diff_html(outcome, Path(args.html), args.lang)
        say(f"wrote {display_path(Path(args.html))}")
    if args.xlsx:
        write_diff_xlsx(outcome, Path(args.xlsx), args.lang)
        say(f"wrote {display_path(Path(args.xlsx))}")
    return 1 if args.exit_code and outcome.changed else 0


COMMANDS = {"validate": cmd_validate, "run": cmd_run, "briefs": cmd_briefs,
            "verify": cmd_verify, "check-draft": cmd_check_draft, "pack": cmd_pack,
            "schedule": cmd_schedule, "demo": cmd_demo, "new-year": cmd_new_year,
            "templates": cmd_templates, "diff": cmd_diff}
