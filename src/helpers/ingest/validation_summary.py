"""Readable summaries of an ingest: what was read and every problem, for the CLI and the ingest
notebook alike."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from helpers.core.parameters import ReportParameters
from helpers.core.paths import PROCESSED_DIR, display_path
from helpers.core.places import check_places
from helpers.core.problems import describe_all
from helpers.core.text_safety import one_line
from helpers.ingest.returns import IngestResult, ingest_year, write_processed

logger = logging.getLogger(__name__)

SHOWN_DISTRICTS = 30  # named in the summary line; a province lists the first ones


def ingest(year: int, raw_dir: str) -> IngestResult:
    """Ingest one year from a raw folder given as in the parameters (relative to the project)."""
    raw_path = ReportParameters(year=year, raw_dir=raw_dir).raw_path
    return ingest_year(raw_path, year)


def summary_text(result: IngestResult) -> str:
    """What was read (files, districts, indicators, dates) and every problem, as plain text."""
    lines = [f"Year {result.year}"]
    by_kind: dict[str, list] = {}
    for item in result.inputs:
        by_kind.setdefault(item.kind, []).append(item)
    for kind in ("catalog", "allocation", "progress", "demo-marker", "ledger", "narrative"):
        items = by_kind.get(kind, [])
        if items:
            figures = sum(i.figures for i in items)
            lines.append(f"  {kind}: {len(items)} file(s)"
                         + (f", {figures} figures" if figures else ""))
    districts = sorted(set(result.allocation["district"].unique().tolist()),
                       key=lambda n: result.catalog.district_by_name[n].order)
    shown = "、".join(districts[:SHOWN_DISTRICTS]) + ("、…" if len(districts) > SHOWN_DISTRICTS
                                                     else "")
    lines.append(f"  districts: {len(districts)} ({shown})")
    allocated = set(result.allocation["indicator"].unique().tolist())
    indicators = [i.code for i in result.catalog.indicators if i.code in allocated]
    lines.append(f"  indicators with targets: {len(indicators)}")
    dates = result.reporting_dates
    if dates:
        lines.append(f"  reporting dates: {len(dates)} ({dates[0]} .. {dates[-1]})")
    else:
        lines.append("  reporting dates: none")
    if result.demo_inputs:
        lines.append(f"  generated demo returns: {len(result.demo_inputs)} file(s)")
    lines.append(f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)")
    # one line each (no text from the inputs may start a line of its own), a readable few per
    # file
    lines.extend(one_line(line) for line in describe_all(result.problems))
    return "\n".join(lines)


def summary(result: IngestResult) -> None:
    """Show the summary as a notebook cell's output (plain text)."""
    from IPython.display import Pretty, display

    display(Pretty(summary_text(result)))


def problems_table(result: IngestResult) -> pd.DataFrame:
    """Every problem as a table: severity, file, location, message."""
    return pd.DataFrame([p.as_dict() for p in result.problems],
                        columns=["severity", "file", "location", "message"])


def returns_matrix(result: IngestResult) -> pd.DataFrame:
    """Figures received per district (rows) and reporting date (columns); 0 = no return."""
    if result.progress.empty:
        return pd.DataFrame()
    matrix = (result.progress.groupby(["district", "as_of"]).size().unstack(fill_value=0))
    order = [d.name for d in result.catalog.districts if d.name in matrix.index]
    return matrix.loc[order]


def write(result: IngestResult, raw_dir: str, processed_dir: Path = PROCESSED_DIR) -> str | None:
    """Write data/processed/<year>/ (never inside the raw folder) when there is no error;
    returns the folder written."""
    if result.errors:
        logger.warning("Not written: the inputs have errors.")
        return None
    raw_path = ReportParameters(year=result.year, raw_dir=raw_dir).raw_path
    check_places(raw_path, processed_dir=processed_dir)
    target = write_processed(result, Path(processed_dir))
    return display_path(target)
