"""Problems found in the inputs: where they are and what is wrong, errors and warnings alike."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str
    location: str  # "sheet 分解表, cell D5", "line 7", "" for the whole file
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def describe(self) -> str:
        """One line naming the place and what is wrong."""
        where = f"{self.file}, {self.location}" if self.location else self.file
        return f"{self.severity.upper()}: {where}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def cell_location(sheet: str, coordinate: str) -> str:
    """'sheet S, cell C' as used in messages."""
    return f"sheet {sheet}, cell {coordinate}"


def row_location(sheet: str, row: int) -> str:
    """'sheet S, row N' as used in messages."""
    return f"sheet {sheet}, row {row}"


def line_location(line: int) -> str:
    """'line N' of a CSV file (1 = the header line)."""
    return f"line {line}"


def errors(problems) -> list[Problem]:
    """Only the errors."""
    return [p for p in problems if p.is_error]


def warnings(problems) -> list[Problem]:
    """Only the warnings."""
    return [p for p in problems if not p.is_error]
