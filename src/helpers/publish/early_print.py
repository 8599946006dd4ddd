"""report.pdf printed while the kernel runs the notebook, from the page the run is expected to
export, instead of after it: the kernel only shows the sections the runner rendered, so the page
is known before it runs (helpers.notebook.execution.expected_notebook). The page the run then
exports is compared with it, character for character: the early print is kept only for the same
page, else report.html is printed as before. Either way report.pdf is the print of report.html.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from helpers.core.atomic_io import write_text_atomic
from helpers.core.parameters import ReportParameters
from helpers.notebook.execution import expected_notebook
from helpers.notebook.html_export import export_html
from helpers.render.chromium_pipe import PipeBrowser
from helpers.render.pdf_print import HTML_NAME, PDF_NAME, print_report_pdf

# the expected page and its print, in the staging folder until the run's page is compared
EARLY_FOLDER = ".early-print"


class EarlyPrint:
    """The expected page of `prepared`, printed by `printer` in the `printing` thread (one
    thread: what is submitted later runs after it)."""

    def __init__(self, params: ReportParameters, prepared, staging: Path,
                 printer: PipeBrowser, printing: ThreadPoolExecutor):
        self.staging = staging
        self.folder = staging / EARLY_FOLDER
        self.folder.mkdir()
        self.page = export_html(expected_notebook(params, prepared), params)
        write_text_atomic(self.folder / HTML_NAME, self.page)
        self.drafted_on = params.drafted_on
        self.printer = printer
        self.printing = printing
        self.printed = printing.submit(print_report_pdf, self.folder, params.drafted_on,
                                       printer)

    def report_pdf(self, page: str) -> Future:
        """report.pdf in the staging folder for the exported `page` (report.html's text): the
        early print if `page` is the page it printed, else a print of report.html. The
        future's result: whether the early print was kept."""
        return self.printing.submit(self._keep if page == self.page else self._print_again)

    def _keep(self) -> bool:
        self.printed.result()  # done (it ran first in this thread), or its error raised
        os.replace(self.folder / PDF_NAME, self.staging / PDF_NAME)
        shutil.rmtree(self.folder)
        return True

    def _print_again(self) -> bool:
        # the early print was of another page: whatever became of it, report.html decides
        self.printed.exception()
        shutil.rmtree(self.folder)
        print_report_pdf(self.staging, self.drafted_on, self.printer)
        return False


def early_print(params: ReportParameters, prepared, staging: Path,
                printer: PipeBrowser | None, printing: ThreadPoolExecutor,
                ) -> EarlyPrint | None:
    """The early print of `prepared`'s page (None for a run without PDF)."""
    if printer is None:
        return None
    return EarlyPrint(params, prepared, staging, printer, printing)

