"""The typed errors the pipeline raises; the CLI turns each into a message and an exit code."""

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


class NotebookFailed(ReportError):
    """A report notebook raised, ended early or timed out; nothing was published."""

    exit_code = 3


class PublishLocked(ReportError):
    """Another run holds the output folder's lock longer than we are willing to wait."""

    exit_code = 4


class VerificationFailed(ReportError):
    """A re-run did not reproduce the published outputs byte for byte."""

    exit_code = 1


class BrowserMissing(ReportError):
    """report.pdf was asked for but headless Chromium or a Chinese font is not installed."""

    exit_code = 6


class PrintFailed(ReportError):
    """Chromium failed or timed out while printing report.pdf; nothing was published."""

    exit_code = 6
