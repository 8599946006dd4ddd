"""Problems found in the inputs: where they are and what is wrong, errors and warnings alike."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
# The kinds of warning a report explains in words.
MISSING_RETURN = "missing_return"  # a district sent no return for a reporting date
DIP = "dip"  # a cumulative figure went down from one return to the next
NO_PLAN = "no_plan"  # the year has no plan: time progress throughout, no task tracked
PLAN_IGNORED = "plan_ignored"  # plan rows for an indicator the year's allocation leaves out
PLAN_TARGET_IGNORED = "plan_target_ignored"  # a headline target of an untracked indicator
PLAN_TARGET_UNREPORTED = "plan_target_unreported"  # a target on a measure no return carries
PLAN_DRAFT = "plan_draft"  # plan rows drafted by new-year, not yet confirmed
NOT_TRACKED = "not_tracked"  # figures returned for a task the year has no plan for


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str
    location: str  # a Location ("sheet 分解表, cell D5", "line 7"), "" for the whole file
    message: str
    severity: str = ERROR
    # What a warning is about, as data (read by the report's sentences; never parsed back out
    # of `message`): its kind (MISSING_RETURN, DIP), the district, indicator and stage, the
    # date of the return it concerns and its figure, and the earlier return it is compared with.
    kind: str = field(default="", compare=False)
    district: str = field(default="", compare=False)
    indicator: str = field(default="", compare=False)
    stage: str = field(default="", compare=False)
    date: dt.date | None = field(default=None, compare=False)
    value: int | None = field(default=None, compare=False)
    earlier_date: dt.date | None = field(default=None, compare=False)
    earlier_value: int | None = field(default=None, compare=False)

    @property
    def sheet(self) -> str:
        """The sheet of a workbook the problem is on ('' for a whole file or a CSV)."""
        return getattr(self.location, "sheet", "")

    @property
    def cell(self) -> str:
        """The cell the problem is in ('' when it is not one cell)."""
        return getattr(self.location, "cell", "")

    @property
    def line(self) -> int | None:
        """The line of a CSV file the problem is on."""
        return getattr(self.location, "line", None)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def describe(self) -> str:
        """One line naming the place and what is wrong."""
        where = f"{self.file}, {self.location}" if self.location else self.file
        return f"{self.severity.upper()}: {where}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        """Where and what, as the manifest records it."""
        return {"file": self.file, "location": self.location, "message": self.message,
                "severity": self.severity}


class Location(str):
    """Where in its file a problem is: as text ("sheet 进度, cell Q6", "sheet 进度, row 7",
    "line 7", "date 2018-04-30") and as fields (sheet, cell, row, line, date), which is what
    anything but a message reads."""

    sheet: str
    cell: str
    row: int | None
    line: int | None
    date: str

    def __new__(cls, text: str, *, sheet: str = "", cell: str = "", row: int | None = None,
                line: int | None = None, date: str = "") -> Location:
        place = super().__new__(cls, text)
        place.sheet, place.cell, place.row, place.line, place.date = sheet, cell, row, line, date
        return place

    def __reduce__(self):
        return (_location, (str(self), self.sheet, self.cell, self.row, self.line, self.date))


def _location(text: str, sheet: str, cell: str, row: int | None, line: int | None,
              date: str) -> Location:
    return Location(text, sheet=sheet, cell=cell, row=row, line=line, date=date)


def cell_location(sheet: str, coordinate: str) -> Location:
    """A cell of a sheet: 'sheet S, cell C' in messages."""
    return Location(f"sheet {sheet}, cell {coordinate}", sheet=sheet, cell=coordinate)


def row_location(sheet: str, row: int) -> Location:
    """A row of a sheet: 'sheet S, row N' in messages."""
    return Location(f"sheet {sheet}, row {row}", sheet=sheet, row=row)


def line_location(line: int) -> Location:
    """A line of a CSV file (1 = the header line): 'line N' in messages."""
    return Location(f"line {line}", line=line)


def split_source(source: str) -> tuple[str, str]:
    """(file, location) of a figure's source reference: a workbook cell
    (2018/allocation.xlsx!分解表!D5) or a CSV line (2018/progress/2018-01-31.csv:7)."""
    if "!" in source:
        rel, sheet, coordinate = source.split("!", 2)
        return rel, cell_location(sheet, coordinate)
    rel, _, line = source.rpartition(":")
    return rel, line_location(int(line))


def date_location(date: object) -> Location:
    """A reporting date (a return that is missing): 'date YYYY-MM-DD' in messages."""
    return Location(f"date {date}", date=str(date))


def sort_key(problem: Problem) -> tuple:
    """Errors first, then by file and place, line 9 before line 10 (numbers compared as
    numbers)."""
    place = [int(part) if part.isdigit() else part
             for part in re.split(r"([0-9]+)", problem.location)]
    return problem.severity != ERROR, problem.file, [(isinstance(p, int), p) for p in place], \
        problem.message


MAX_LISTED_PER_FILE = 50  # a hostile file can hold 100,000 bad lines: list a readable few


def describe_all(problems, per_file: int = MAX_LISTED_PER_FILE) -> list[str]:
    """One line per problem (as Problem.describe), at most `per_file` per file and severity,
    then one line saying how many more that file has."""
    lines: list[str] = []
    shown: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.file, problem.severity)
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= per_file:
            lines.append(problem.describe())
    for (file, severity), count in shown.items():
        if count > per_file:
            lines.append(f"{severity.upper()}: {file}: ... and {count - per_file} more "
                         f"{severity}(s) in this file")
    return lines


def errors(problems) -> list[Problem]:
    """Only the errors."""
    return [p for p in problems if p.is_error]


def warnings(problems) -> list[Problem]:
    """Only the warnings."""
    return [p for p in problems if not p.is_error]
