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


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str
    location: str  # "sheet 分解表, cell D5", "line 7", "" for the whole file
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


def cell_location(sheet: str, coordinate: str) -> str:
    """'sheet S, cell C' as used in messages."""
    return f"sheet {sheet}, cell {coordinate}"


def row_location(sheet: str, row: int) -> str:
    """'sheet S, row N' as used in messages."""
    return f"sheet {sheet}, row {row}"


def line_location(line: int) -> str:
    """'line N' of a CSV file (1 = the header line)."""
    return f"line {line}"


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
