"""The typed errors the pipeline raises; the CLI turns each into a message and an exit code.

Exit codes (README, "Exit codes"): 0 done, 1 verification mismatch, 2 bad input, parameters or
manifest, 3 notebook failed or time limit, 4 locked, 5 outputs could not be written."""

from __future__ import annotations


class ReportError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 2


class ParameterError(ReportError):
    """A report parameter is unknown, mistyped or out of range."""


class InputRejected(ReportError):
    """The raw inputs have errors; carries every problem found in one pass."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = [p.describe() for p in self.problems if p.is_error]
        super().__init__(f"{len(lines)} input error(s):\n" + "\n".join(lines))


class CatalogError(ReportError):
    """A catalogue file (indicators, districts, milestones) is malformed."""


class InputFileError(ReportError):
    """A file could not be read safely: missing, not a regular file, outside its folder, too
    large or unreadable."""

    def __init__(self, file: str, reason: str):
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


class ManifestError(ReportError):
    """A manifest is missing, unreadable, not JSON or not shaped as this project writes it."""


class UnsafePlace(ParameterError):
    """An output or processed folder overlaps the raw folder (or the reverse)."""


class NotebookFailed(ReportError):
    """A report notebook raised, ended early or timed out; nothing was published."""

    exit_code = 3


class TimeLimitExceeded(NotebookFailed):
    """A report run took longer than its overall time limit; nothing was published."""


class PublishLocked(ReportError):
    """Another run holds the output folder's lock longer than we are willing to wait."""

    exit_code = 4


class VerificationFailed(ReportError):
    """A re-run did not reproduce the published outputs byte for byte."""

    exit_code = 1


class OutputFailed(ReportError):
    """Writing outputs failed (disk full, permission denied, read-only folder); nothing was
    published."""

    exit_code = 5


class BrowserMissing(ReportError):
    """report.pdf was asked for but headless Chromium or a Chinese font is not installed."""

    exit_code = 6


class PrintFailed(ReportError):
    """Chromium failed or timed out while printing report.pdf; nothing was published."""

    exit_code = 6
