"""`briefs`: the briefs of one report, one per district or supervision group, built from one
computation of the report's data and published atomically, with their own manifest, into
<out_dir>/<year>/<period>-briefs-<by>/ (beside the report, never inside its folder)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from helpers.core.atomic_io import write_text_atomic
from helpers.core.errors import ParameterError
from helpers.core.parameters import ReportParameters
from helpers.core.places import check_places
from helpers.core.reproducible_files import document_timestamp
from helpers.core.text_safety import one_line, spreadsheet_safe_frame
from helpers.metrics.brief_units import BY, BriefUnit, brief_rows, brief_units
from helpers.metrics.report_data import ReportData, build_report_data, load_validated
from helpers.publish.manifest import MANIFEST_NAME, run_manifest, write_manifest
from helpers.publish.transaction import (
    RunOutcome,
    StagedBuild,
    holding,
    recorded_run,
    staged_build,
)
from helpers.render.brief_page import brief_html, briefs_index_html
from helpers.render.excel import write_report_xlsx
from helpers.render.pdf_print import check_printing, print_pdfs
from helpers.words.brief_findings import brief_part
from helpers.words.report_text import check_written_sections

TABLE_PATH = "tables/unit_indicator.csv"
INDEX_NAME = "index.html"


def briefs_folder(out_dir: Path, params: ReportParameters, by: str) -> Path:
    """<out_dir>/<year>/<period>-briefs-<by>/"""
    return Path(out_dir) / str(params.year) / f"{params.period}-briefs-{by}"


def run_briefs(params: ReportParameters, by: str, out_dir: Path, *, lock_wait_s: float = 60.0,
               raw_root: Path | None = None, reason: str | None = None) -> RunOutcome:
    """Build the briefs of the report `params` describes, one per `by` (district or group),
    and publish them in one rename; raise a ReportError on any failure, leaving what was
    published before untouched. `raw_root`: read the inputs there (verify)."""
    if by not in BY:
        raise ParameterError(f"by: must be one of {', '.join(BY)}, not {one_line(by)!r}")
    out_dir = Path(out_dir)
    target = briefs_folder(out_dir, params, by)
    # before anything is written, the run log included: never into the raw folder
    check_places(raw_root or params.raw_path, out_dir=out_dir)
    with recorded_run(out_dir, f"{params.year}/{target.name}", reason) as record:
        result = load_validated(params, raw_root)  # read-only: bad input touches nothing
        if params.pdf:
            check_printing()
        with holding(record, target, lock_wait_s=lock_wait_s):
            record.outcome = build_and_publish(params, by, result, target, reason)
    return record.outcome


def build_and_publish(params: ReportParameters, by: str, result, target: Path,
                      reason: str | None) -> RunOutcome:
    """The briefs' phases, from the validated inputs to the published folder."""
    build = StagedBuild(target)
    # the one computation every brief is cut from (its written sections checked as a report's)
    data = check_written_sections(build_report_data(params, result))
    units = brief_units(data, by)
    build.step(f"computed the report data: {len(units)} brief(s) by {by}")
    with staged_build(build) as staging:
        rows = write_briefs(data, units, staging)
        build.step("wrote the briefs (HTML, Excel)")
        if params.pdf:
            print_briefs(staging, units, params.drafted_on)
            build.step("printed the briefs to PDF")
        (staging / TABLE_PATH).parent.mkdir()
        write_text_atomic(staging / TABLE_PATH, unit_indicator_csv(rows))
        write_text_atomic(staging / INDEX_NAME, briefs_index_html(data, units, by))
        build.step("checked outputs")
        build.write_log()
        briefs = {"by": by, "units": [{"name": u.name, "file": u.stem,
                                       "districts": list(u.districts)} for u in units]}
        write_manifest(staging / MANIFEST_NAME, run_manifest(
            params, result, data, staging, build.started_at, build.seconds, reason, briefs=briefs))
    return build.outcome()


def write_briefs(data: ReportData, units: list[BriefUnit], folder: Path) -> pd.DataFrame:
    """<stem>.html and <stem>.xlsx (without the About sheet: it goes to the unit) of every
    unit into `folder`; the rows of tables/unit_indicator.csv."""
    rows = []
    for unit in units:
        part = brief_part(data, unit)
        write_text_atomic(folder / f"{unit.stem}.html", brief_html(part, unit, data))
        write_report_xlsx(part, folder / f"{unit.stem}.xlsx", with_about=False)
        rows.append(brief_rows(part, unit))
    return pd.concat(rows, ignore_index=True)


def print_briefs(folder: Path, units: list[BriefUnit], drafted_on: dt.date) -> None:
    """<stem>.pdf of every brief, printed by one headless Chromium."""
    print_pdfs([(folder / f"{u.stem}.html", folder / f"{u.stem}.pdf") for u in units],
               document_timestamp(drafted_on))


def unit_indicator_csv(rows: pd.DataFrame) -> str:
    """tables/unit_indicator.csv: each unit's figure per indicator, as its brief shows it."""
    frame = rows.copy()
    frame["completion"] = frame["completion"].astype("Float64").round(6)
    return spreadsheet_safe_frame(frame).to_csv(index=False, lineterminator="\n")
