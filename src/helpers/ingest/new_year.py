"""`new-year`: start a year's raw folder from the notice's allocation table.

The table is kept exactly as received (<year>/allocation.xlsx, or <year>/allocation.docx when
it came as a Word annex) after it has been read without error. The year's plan
(<year>/plan/milestones.csv, reference_figures.csv) is drafted from the latest earlier plan:
the milestones of the indicators the new allocation has, dates moved to the new year, and the
reference figures carried over, each row marked 待确认 until the analyst confirms it against
the year's documents (validate and the report say how many are left). Tasks and the work
plan's headline targets are specific to a year's documents and are not carried over; what was
left out is listed for the analyst. Nothing is written when the table has errors or the year
already has an allocation or a plan."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.atomic_io import staging_dir_for, write_bytes_atomic
from helpers.core.errors import InputRejected, ParameterError
from helpers.core.problems import Problem
from helpers.core.safe_read import read_bounded
from helpers.ingest.catalog import (
    DRAFT_MARK,
    Catalog,
    Milestone,
    ReferenceFigure,
    load_catalog,
    plan_file,
    plan_years,
)
from helpers.ingest.returns import read_allocation

MILESTONE_COLUMNS = ["indicator", "date", "share_due", "stage", "note"]
REFERENCE_COLUMNS = ["year", "measure", "district", "value", "source", "demo"]


@dataclass
class NewYear:
    """What new-year wrote and what the analyst must confirm."""

    year: int
    allocation: str  # relative to the raw folder
    districts: int
    totals: list[tuple[str, str, int]]  # (name as printed, unit, the city total) per indicator
    base_year: int | None  # the plan drafted from, or None
    milestones: list[Milestone] = field(default_factory=list)
    references: list[ReferenceFigure] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)  # what the base plan had, left out
    written: list[str] = field(default_factory=list)


def start_year(raw_dir: Path, year: int, allocation: Path) -> NewYear:
    """Create <raw_dir>/<year>/ from an allocation table (.xlsx or .docx) and a draft plan."""
    raw_dir = Path(raw_dir)
    folder = raw_dir / str(year)
    _refuse_existing(raw_dir, year)
    suffix = Path(allocation).suffix.lower()
    if suffix not in (".xlsx", ".docx"):
        raise ParameterError(f"--allocation {allocation}: the notice's table is a workbook "
                             "(.xlsx) or a Word document (.docx)")
    data = read_bounded(Path(allocation), str(allocation))
    catalog = load_catalog(raw_dir, year=year)
    rel = f"{year}/allocation{suffix}"
    table = read_allocation(data, rel, catalog, year)
    errors = [p for p in table.problems if p.is_error]
    if not table.values and not errors:
        errors = [Problem(str(allocation), "", "no target read from the table")]
    if errors:
        raise InputRejected([_as_received(p, allocation) for p in errors])
    codes = list(dict.fromkeys(v.indicator for v in table.values))
    base = max((y for y in plan_years(raw_dir) if y < year), default=None)
    outcome = NewYear(year, rel, len({v.district for v in table.values}),
                      [(catalog.indicator(c).name_zh, catalog.indicator(c).unit,
                        sum(v.value for v in table.values if v.indicator == c)) for c in codes],
                      base)
    files = {rel: data}
    if base is not None:
        files.update(draft_plan(load_catalog(raw_dir, year=base), base, year, codes, outcome))
    _write_year(folder, raw_dir, files)
    outcome.written = list(files)
    return outcome


def draft_plan(base_catalog: Catalog, base: int, year: int, codes: list[str],
               outcome: NewYear | None = None, mark: str = DRAFT_MARK) -> dict[str, bytes]:
    """The plan files of `year` drafted from `base`'s: milestones of the indicators `codes`
    with their dates moved, and every reference figure, each note or source starting with
    `mark` (待确认; a demo year passes its own mark)."""
    kept = set(codes)
    moved, dropped = [], []
    for m in sorted(base_catalog.milestones, key=lambda m: m.line):
        if m.date.year != base:
            continue
        if m.indicator in kept:
            moved.append(Milestone(m.indicator, _moved(m.date, year), m.share_due,
                                   f"{mark}：日期按{base}年计划移至{year}年。{m.note}", m.stage))
        elif m.indicator not in dropped:
            dropped.append(m.indicator)
    figures = [ReferenceFigure(year, f.measure, f.district, f.value,
                               f"{mark}：沿用{base}年数据。{f.source}", f.demo)
               for f in sorted(base_catalog.reference_figures, key=lambda f: f.line)
               if f.year == base]
    files = {}
    if moved:
        files[plan_file(year, "milestones.csv")] = _csv(MILESTONE_COLUMNS, [
            (m.indicator, m.date.isoformat(), repr(m.share_due), m.stage, m.note) for m in moved])
    if figures:
        files[plan_file(year, "reference_figures.csv")] = _csv(REFERENCE_COLUMNS, [
            (f.year, f.measure, f.district, f.value, f.source, "true" if f.demo else "false")
            for f in figures])
    if outcome is not None:
        outcome.milestones, outcome.references = moved, figures
        outcome.not_carried = dropped + [
            f"plan_targets:{t.code}" for t in base_catalog.plan_targets if t.year == base]
    return files


def _moved(date: dt.date, year: int) -> dt.date:
    """The same day in another year (29 February becomes the 28th)."""
    try:
        return date.replace(year=year)
    except ValueError:
        return date.replace(year=year, day=28)


def _csv(columns: list[str], rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _refuse_existing(raw_dir: Path, year: int) -> None:
    folder = raw_dir / str(year)
    there = [name for name in ("allocation.xlsx", "allocation.docx", "plan")
             if (folder / name).exists()]
    if there:
        raise ParameterError(f"{folder}: {year} already has {', '.join(there)}; new-year never "
                             "overwrites a year (edit its files, or remove them first)")
    if not (raw_dir / "catalog").is_dir():
        raise ParameterError(f"{raw_dir}: no catalog/ folder (is this the raw data folder?)")


def _as_received(problem: Problem, source: Path) -> Problem:
    """A problem of the table named by the file the analyst gave."""
    return Problem(str(source), problem.location, problem.message, problem.severity)


def _write_year(folder: Path, raw_dir: Path, files: dict[str, bytes]) -> None:
    """All the files or none: a new year folder is built aside and renamed into place; into a
    folder that exists (returns arrived first) the files are written one by one and removed
    again if one fails."""
    if not folder.exists():
        staging = staging_dir_for(folder)
        try:
            for rel, data in files.items():
                write_bytes_atomic(staging / Path(rel).relative_to(folder.name), data)
            staging.rename(folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return
    done: list[Path] = []
    try:
        for rel, data in files.items():
            path = raw_dir / rel
            write_bytes_atomic(path, data)
            done.append(path)
    except BaseException:
        for path in done:
            path.unlink(missing_ok=True)
        raise
