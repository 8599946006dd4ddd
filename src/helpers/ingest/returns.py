"""Ingest: raw allocation and progress returns -> validated tidy tables in data/processed."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core.atomic_io import staging_dir_for, swap_into_place
from helpers.core.collector import without_cycle_collection
from helpers.core.errors import InputRejected
from helpers.core.problems import (
    WARNING,
    Problem,
    errors,
    sort_key,
    split_source,
)
from helpers.core.text_safety import one_line, spreadsheet_safe_frame
from helpers.ingest.allocation_document import read_wide_document
from helpers.ingest.catalog import Catalog, catalog_files, load_catalog
from helpers.ingest.catalog_files import require_raw_folder
from helpers.ingest.cross_checks import (
    FIGURE_KEY,
    Numbered,
    cross_checks,
    drop_implausible,
)
from helpers.ingest.ledger_book import Ledger, read_ledger
from helpers.ingest.long_returns import LongFigures, read_long_figures
from helpers.ingest.return_templates import (
    headless_problem,
    read_template_return,
    repeated_templates,
    template_kind,
)
from helpers.ingest.snapshot import InputSnapshot, take_snapshot
from helpers.ingest.wide_tables import WideTable, read_wide_workbook
from helpers.ingest.written_section_files import narrative_files, written_section_problems
from helpers.ingest.year_plan import year_indicators

ALLOCATION_COLUMNS = ["district", "indicator", "target", "source"]
PROGRESS_COLUMNS = ["district", "indicator", "stage", "as_of", "value", "source"]
INPUT_COLUMNS = ["path", "kind", "as_of", "figures"]
PROBLEM_COLUMNS = ["severity", "file", "location", "message"]
DEMO_MARKER = "DEMO_RETURNS.json"  # written by helpers.demo.progress beside its returns
_FILE_DATE = re.compile(r"((?:19|20)[0-9]{2})-([0-9]{2})-([0-9]{2})")


@dataclass
class InputFile:
    """One raw file the ingest read."""

    path: str  # relative to the raw folder, '/'-separated
    kind: str  # catalog | allocation | progress
    as_of: dt.date | None = None
    figures: int = 0


@dataclass
class IngestResult:
    """Everything read for one year: tidy tables, the files read, and every problem found."""

    year: int
    catalog: Catalog
    allocation: pd.DataFrame
    progress: pd.DataFrame
    inputs: list[InputFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    demo_inputs: list[str] = field(default_factory=list)  # unmodified generated returns
    snapshot: InputSnapshot | None = field(default=None, repr=False)  # the bytes read
    ledger: Ledger | None = None  # the problem ledger (ledger.xlsx), when the year has one

    def file_record(self, rel: str) -> dict:
        """path, size and SHA-256 of an input as it was read (never re-read from disk)."""
        return self.snapshot.record(rel)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def reporting_dates(self) -> list[dt.date]:
        return sorted(set(self.progress["as_of"].unique().tolist())) if len(self.progress) \
            else []


def source_ref(rel: str, sheet: str, coordinate: str) -> str:
    """How a figure's origin is written: 2018/allocation.xlsx!分解表!D5."""
    return f"{rel}!{sheet}!{coordinate}"


ALLOCATION_NAMES = ("allocation.xlsx", "allocation.docx")  # the notice's table, as received


def has_allocation(raw_dir: Path, year: int) -> bool:
    """Whether the raw folder holds an allocation table of `year` (either form)."""
    return any((Path(raw_dir) / str(year) / name).is_file() for name in ALLOCATION_NAMES)


def allocation_file(snapshot: InputSnapshot, year: int) -> str:
    """The year's allocation table: allocation.xlsx, or allocation.docx (the table of a Word
    notice's annex) when only that is there."""
    xlsx, docx = (f"{year}/{name}" for name in ALLOCATION_NAMES)
    present = [rel for rel in (xlsx, docx) if rel in snapshot.files or rel in snapshot.refused]
    return present[0] if len(present) == 1 else xlsx


def read_allocation(data: bytes, rel: str, catalog: Catalog, year: int) -> WideTable:
    """An allocation table's targets, from a workbook or a Word document's table. A title
    that begins with another year (2017年…分解表 for 2018: a copy of last year's) is an error
    at the title."""
    if rel.lower().endswith(".docx"):
        table = read_wide_document(data, rel, catalog, blank_is_error=True)
    else:
        table = read_wide_workbook(data, rel, catalog, blank_is_error=True, titled=True)
    if table.title_years and year not in table.title_years:
        years = sorted(table.title_years)
        named = f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"
        table.problems.append(Problem(rel, table.title_location,
                                      f"the table's title names {named}, not {year}: is this "
                                      "another year's allocation? (put it in that year's "
                                      "folder, or correct its title)"))
    return table


def ingest_year(raw_dir: Path, year: int, *, snapshot: InputSnapshot | None = None,
                today: dt.date | None = None) -> IngestResult:
    """Read and validate the catalogue, allocation and every progress return of one year, each
    file read once (`snapshot`, taken here unless given). Returns dated after `today` (default:
    the real date) are errors."""
    # the collector would run again and again as a province's million figures are made,
    # walking every object made so far each time (~0.3 s of 4 at 3,000 districts), and the
    # reading makes no garbage that only it could free
    if snapshot is None:
        require_raw_folder(Path(raw_dir))
    with without_cycle_collection():
        return _ingest_year(Path(raw_dir), year, snapshot, today)


def _ingest_year(raw_dir: Path, year: int, snapshot: InputSnapshot | None,
                 today: dt.date | None) -> IngestResult:
    snapshot = snapshot if snapshot is not None else take_snapshot(raw_dir, year)
    catalog = load_catalog(raw_dir, snapshot, year)
    problems: list[Problem] = list(snapshot.problems)
    plan = catalog_files(raw_dir, snapshot, year)
    inputs = [InputFile(rel, "catalog") for rel in plan]

    allocation_rel = allocation_file(snapshot, year)
    allocation_rows = []
    refused_targets: set[tuple[str, str]] = set()
    allocation_data = snapshot.data(allocation_rel)
    if allocation_data is None:
        if allocation_rel not in snapshot.refused:
            problems.append(Problem(allocation_rel, "", "allocation table not found"))
    else:
        table = read_allocation(allocation_data, allocation_rel, catalog, year)
        problems.extend(table.problems)
        refused_targets = table.refused
        allocation_rows = [
            (v.district, v.indicator, v.value, source_ref(allocation_rel, v.sheet, v.coordinate))
            for v in table.values]
        inputs.append(InputFile(allocation_rel, "allocation", None, len(allocation_rows)))
    allocation = pd.DataFrame(allocation_rows, columns=ALLOCATION_COLUMNS)

    if all(f"{year}/{name}" in snapshot.files for name in ALLOCATION_NAMES):
        problems.append(Problem(f"{year}/allocation.docx", "",
                                "the year has two allocation tables (allocation.xlsx and "
                                "allocation.docx): keep the one the notice published"))
    progress_parts: list[LongFigures] = []
    progress_folder = f"{year}/progress"
    templates_seen: dict[tuple[str, dt.date], str] = {}  # (district, as_of) -> its template
    for name in snapshot.listing(progress_folder):
        rel = f"{progress_folder}/{name}"
        data = snapshot.data(rel)
        if data is None:
            continue  # refused: its problem is already listed
        if name == DEMO_MARKER:
            inputs.append(InputFile(rel, "demo-marker"))
            continue
        suffix = Path(name).suffix.lower()
        kind = template_kind(data) if suffix == ".xlsx" else None
        headless = headless_problem(data, rel) if kind == "maybe" else None
        if kind == "template":  # a filled return template (helpers.ingest.return_templates)
            rows, file_problems, as_of = read_template_return(data, rel, catalog, year)
            rows, repeated = repeated_templates(rows, rel, templates_seen)
            file_problems.extend(repeated)
            figures = _as_columns(rows)
        elif headless is not None:
            figures, file_problems, as_of = LongFigures.none(), [headless], None
        elif suffix == ".xlsx":
            rows, file_problems, as_of = _read_wide_return(data, rel, catalog, year)
            figures = _as_columns(rows)
        elif suffix == ".csv":
            figures, file_problems = read_long_figures(data, rel, catalog, year)
            as_of = max(set(figures.as_of), default=None)
        else:
            problems.append(Problem(rel, "", f"unexpected file type {suffix or '(none)'}: returns "
                                             "are .xlsx (wide) or .csv (long)"))
            continue
        if not len(figures) and not any(p.is_error for p in file_problems):
            # a return that yields nothing must never pass as "no news"
            file_problems.append(Problem(rel, "", "the return holds no figures (no district "
                                                  "row with a value for a known indicator)"))
        figures, future = _future_dated(figures, rel, today or dt.date.today())
        file_problems.extend(future)
        problems.extend(file_problems)
        progress_parts.append(figures)
        inputs.append(InputFile(rel, "progress", as_of, len(figures)))
    progress = _progress_frame(progress_parts)

    allocation = drop_implausible(allocation, "target", catalog, problems)
    numbered = Numbered(progress, FIGURE_KEY)  # numbered once: the checks and the order
    plausible = drop_implausible(progress, "value", catalog, problems, numbered)
    if len(plausible) != len(progress):
        numbered = numbered.rows(progress.index.isin(plausible.index))
    progress = plausible
    found, repeated = cross_checks(allocation, progress, catalog, year, refused_targets,
                                   numbered)
    problems.extend(found)
    catalog, progress, plan_problems = year_indicators(catalog, year, allocation, progress, plan)
    problems.extend(plan_problems)
    ledger = read_ledger(snapshot, year, catalog)
    if ledger is not None:
        problems.extend(ledger.problems)
        inputs.append(InputFile(ledger.file, "ledger", None, len(ledger.items)))
    narratives, narrative_problems = narrative_files(snapshot, year)
    problems.extend(narrative_problems)
    for rel, _ in narratives:
        problems.extend(written_section_problems(rel, snapshot.data(rel) or b""))
    inputs.extend(InputFile(rel, "narrative", as_of) for rel, as_of in narratives)
    if len(repeated):  # a figure reported twice (an error above): its first report stays
        progress = progress[~progress.index.isin(repeated)]
    allocation = _sorted(allocation, catalog, ["district", "indicator"])
    progress = _sorted(progress, catalog, FIGURE_KEY, numbered)
    demo_names, marker_problem = demo_files(snapshot, progress_folder)
    demo = sorted(f"{progress_folder}/{name}" for name in demo_names)
    if marker_problem is not None:
        problems.append(marker_problem)
    problems.sort(key=sort_key)
    return IngestResult(year, catalog, allocation, progress, inputs, problems, demo,
                        snapshot=snapshot, ledger=ledger)


def columns_of(frame: pd.DataFrame, *names: str):
    """The rows of some columns as plain Python tuples (much faster than itertuples on
    large frames)."""
    return zip(*(frame[name].tolist() for name in names), strict=True)


def _as_columns(rows: list[tuple]) -> LongFigures:
    """Rows (district, indicator, stage, as_of, value, source) as columns."""
    if not rows:
        return LongFigures.none()
    return LongFigures(*(list(column) for column in zip(*rows, strict=True)))


def _progress_frame(parts: list[LongFigures]) -> pd.DataFrame:
    """The returns' figures as one table, in the order they were read."""
    if not any(len(part) for part in parts):
        return pd.DataFrame([], columns=PROGRESS_COLUMNS)
    # a column of lists: pandas reads each column's type from its values, as from rows
    columns = {name: list(itertools.chain.from_iterable(part.columns()[i] for part in parts))
               for i, name in enumerate(PROGRESS_COLUMNS)}
    columns["value"] = _counts(columns["value"])
    return pd.DataFrame(columns)


def _counts(values: list):
    """Figures that are all Python integers as an int64 array (the type pandas would infer
    from them, without its value by value inference); any other list as it is."""
    if set(map(type, values)) == {int}:
        try:
            return np.array(values, dtype=np.int64)
        except OverflowError:  # beyond int64: pandas decides, as it always did
            pass
    return values


def _future_dated(figures: LongFigures, rel: str, today: dt.date
                  ) -> tuple[LongFigures, list[Problem]]:
    """Figures dated after today are refused: a cumulative figure cannot describe the future."""
    late = {as_of for as_of in set(figures.as_of) if as_of > today}
    if not late:
        return figures, []
    future = [k for k, as_of in enumerate(figures.as_of) if as_of in late]
    source = figures.source[future[0]]
    first = split_source(source)[1]
    problem = Problem(rel, first if "!" not in source else "",
                      f"reporting date {max(late)} is after today ({today}); fix the date")
    keep = [k for k, as_of in enumerate(figures.as_of) if as_of not in late]
    return LongFigures(*([column[k] for k in keep] for column in figures.columns())), [problem]


def demo_files(snapshot: InputSnapshot, progress_folder: str) -> tuple[set[str], Problem | None]:
    """(names of the returns in a progress folder that are unmodified generated demo data,
    the problem of a marker that cannot be read). A marker that cannot be read cannot say
    which returns are generated: the run stops rather than publish them as real figures
    without the demo notice."""
    rel = f"{progress_folder}/{DEMO_MARKER}"
    marker = snapshot.data(rel)
    if marker is None:
        return set(), None
    try:
        recorded = json.loads(marker)["files"]  # bytes: a BOM is read, as the demo reads it
        if not isinstance(recorded, dict) or not all(
                isinstance(name, str) and isinstance(digest, str)
                for name, digest in recorded.items()):
            raise TypeError("its files are not names with their SHA-256")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        why = "no 'files'" if isinstance(exc, KeyError) else one_line(exc)[:80]
        return set(), Problem(rel, "", f"the record of the generated demo returns cannot be "
                                       f"read ({why}), so which returns are demo data is not "
                                       "known: delete it if every return is real; if they are "
                                       "demo returns, delete them with it and run `python -m "
                                       "helpers demo`")
    found = set()
    for name, digest in recorded.items():
        taken = snapshot.files.get(f"{progress_folder}/{name}")
        if taken is not None and taken.sha256 == digest:
            found.add(name)
    return found, None


def _sorted(df: pd.DataFrame, catalog: Catalog, keys: list[str],
            numbered: Numbered | None = None) -> pd.DataFrame:
    """Rows in catalogue order (district order, indicator order), then date. `numbered`: the
    `keys` of a frame whose rows `df` keeps some of, in their order (numbered once)."""
    if df.empty:
        return df.reset_index(drop=True)
    orders = {"district": {d.name: i for i, d in enumerate(catalog.districts)},
              "indicator": {ind.code: i for i, ind in enumerate(catalog.indicators)}}
    if numbered is None:
        numbered = Numbered(df, keys)
    elif len(numbered.frame) != len(df):  # rows left out since: the numbers of those kept
        numbered = numbered.rows(numbered.frame.index.isin(df.index))
    rank = numbered.rank(keys, orders)
    return df.take(np.argsort(rank, kind="stable")).reset_index(drop=True)


def _read_wide_return(data: bytes, rel: str, catalog: Catalog, year: int):
    table: WideTable = read_wide_workbook(data, rel, catalog, blank_is_error=False)
    problems = list(table.problems)
    match = _FILE_DATE.search(Path(rel).stem)
    as_of = None
    if match:
        try:
            as_of = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            problems.append(Problem(rel, "", f"file name date {match[0]} is not a calendar date"))
    if as_of and table.as_of and as_of != table.as_of:
        problems.append(Problem(rel, table.date_location,
                                f"title date {table.as_of} differs from file name date {as_of}"))
    as_of = as_of or table.as_of
    if as_of is None:
        if table.sheet and not match:  # else the file is unreadable or its name date is bad
            problems.append(Problem(rel, "", "no reporting date: name the file YYYY-MM-DD.xlsx "
                                             "or write the date in the title row"))
        return [], problems, None
    if as_of is not None and as_of.year != year:
        problems.append(Problem(rel, table.date_location or "file name",
                                f"reporting date {as_of} is outside {year}"))
        return [], problems, as_of
    rows = [(v.district, v.indicator, v.stage, as_of, v.value,
             source_ref(rel, v.sheet, v.coordinate)) for v in table.values]
    return rows, problems, as_of


def raise_for_errors(result: IngestResult) -> None:
    """Raise InputRejected listing every error, if there is any."""
    if result.errors:
        raise InputRejected(result.errors)


def write_processed(result: IngestResult, processed_dir: Path) -> Path:
    """Write the tidy tables to processed/<year>/ as one atomic folder swap."""
    target = Path(processed_dir) / str(result.year)
    staging = staging_dir_for(target)
    try:
        _write_csv(result.allocation, staging / "allocation.csv")
        _write_csv(result.progress, staging / "progress.csv")
        inputs = pd.DataFrame([(i.path, i.kind, i.as_of, i.figures) for i in result.inputs],
                              columns=INPUT_COLUMNS)
        _write_csv(inputs, staging / "inputs.csv")
        problems = pd.DataFrame([(p.severity, p.file, p.location, p.message)
                                 for p in result.problems], columns=PROBLEM_COLUMNS)
        _write_csv(problems, staging / "problems.csv")
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    text = spreadsheet_safe_frame(df).to_csv(index=False, lineterminator="\n")
    path.write_text(text, encoding="utf-8")
