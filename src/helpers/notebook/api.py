"""What the report notebook calls: parameter check, the report, display, export of tables.

The kernel of `helpers run` imports only this module and helpers.core.parameters: the runner
hands it the finished sections (PreparedReport), so it starts no pandas and reads no input.
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.errors import ParameterError
from helpers.core.parameters import ReportParameters, check_notebook_parameters
from helpers.notebook.section_list import REPORT_SECTIONS

SECTIONS = REPORT_SECTIONS  # the sections, in the notebook's order

if TYPE_CHECKING:
    import pandas as pd

    from helpers.metrics.report_data import ReportData

TABLE_PATH = Path("tables") / "district_indicator.csv"
FACTS_PATH = Path("tables") / "facts.csv"
XLSX_PATH = Path("report.xlsx")
DOCX_PATH = Path("report.docx")


@dataclasses.dataclass(frozen=True)
class PreparedReport:
    """What `helpers run` hands the kernel: the parameters and every section's HTML, rendered
    by the runner (helpers.notebook.sections) from its one reading of the inputs."""

    params: ReportParameters
    sections: dict[str, str]


def check_parameters(namespace: dict) -> ReportParameters:
    """The notebook's parameters, typed and checked (raises ParameterError), including any that
    papermill injected under a name the notebook does not know (`-p serous_lag_pp 5`, which
    papermill itself only warns about)."""
    injected = injected_parameter_names(namespace.get("In"))
    unknown = sorted(injected - {*parameter_names(), "prepared"})
    if unknown:
        raise ParameterError(unknown_parameters_message(unknown))
    return check_notebook_parameters(namespace)


# papermill's injected cell opens with this comment line (its translator's "Parameters")
INJECTED_HEADER = "# Parameters"


def injected_parameter_names(history: object) -> set[str]:
    """The names papermill's injected-parameters cell assigned, from the kernel's input
    history (IPython's `In`); none when the notebook runs without injection."""
    import ast

    if not isinstance(history, list):
        return set()
    for source in reversed(history):
        if isinstance(source, str) and source.split("\n", 1)[0].strip() == INJECTED_HEADER:
            try:
                tree = ast.parse(source)
            except SyntaxError:
                return set()
            return {target.id for node in tree.body if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
    return set()


def parameter_names() -> set[str]:
    """The report parameters' names."""
    import dataclasses

    return {f.name for f in dataclasses.fields(ReportParameters)}


def unknown_parameters_message(unknown: list[str]) -> str:
    """Names the unknown parameters, with the known names they are closest to."""
    import difflib

    known = sorted(parameter_names())
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1)
        hints.append(f"{name} (did you mean {close[0]}?)" if close else name)
    return (f"unknown parameter(s): {', '.join(hints)}; the report's parameters are "
            f"{', '.join(known)}")


def load(params: ReportParameters, prepared: str | None = None) -> ReportData | PreparedReport:
    """The report: its data computed from the raw inputs, or (`prepared`, set by `helpers run`)
    the sections the runner rendered from the same data, so the kernel never reads the inputs
    a second time."""
    if prepared is None:
        from helpers.words.report_text import build_report

        return build_report(params)
    path = Path(prepared)
    if not path.is_file():
        raise ParameterError(f"prepared = {prepared!r}: no such file here (it exists only "
                             "while `helpers run` executes this notebook); set prepared = None "
                             "to compute from raw_dir")
    # A file the runner wrote into its own build folder, readable by its user only.
    with path.open("rb") as handle:
        report = pickle.load(handle)
    if (not isinstance(report, PreparedReport)
            or report.params.replace(export=params.export) != params):
        raise ParameterError(f"prepared = {prepared!r} holds a report for other parameters")
    return report


def prepare(data: ReportData) -> PreparedReport:
    """Every section of `data` rendered, for the kernel of `helpers run`."""
    from helpers.notebook.sections import render_sections

    return PreparedReport(data.params, render_sections(data))


def show(report: ReportData | PreparedReport, section: str) -> None:
    """Display one section of the report (SECTIONS) as a cell's output: in a published run the
    section the runner rendered; computed here, its data as objects to work with (its table as
    a pandas Styler with the report's columns and colours, its charts as figures)."""
    from IPython.display import HTML, display

    if isinstance(report, PreparedReport):
        display(HTML(report.sections[section]))
        return
    from helpers.notebook.analysis import section_objects

    for item in section_objects(report, section):
        display(item)


def frame(report: ReportData | PreparedReport, section: str) -> pd.DataFrame:
    """The raw DataFrame behind one section of the report (SECTIONS): figures as numbers, codes
    and dates, to sort, filter and plot. `report.table` is the whole district x indicator
    table."""
    if isinstance(report, PreparedReport):
        raise ParameterError("frame() needs the report data: set prepared = None")
    from helpers.notebook.analysis import frame as section_frame

    return section_frame(report, section)


def district_indicator_csv(data: ReportData) -> str:
    """tables/district_indicator.csv: one row per district and indicator; fractions rounded to
    6 decimals, gap_pp in points; empty cells where there is no rate."""
    import pandas as pd

    from helpers.core.text_safety import spreadsheet_safe_frame

    frame = data.table.copy()
    for column in ("completion", "milestone"):
        frame[column] = frame[column].astype("Float64").round(6)
    frame["gap_pp"] = frame["gap_pp"].astype("Float64").round(2)
    frame["as_of"] = frame["as_of"].map(lambda d: "" if pd.isna(d) else d.isoformat())
    # text starting with = + - @ would run as a formula in a spreadsheet: prefixed with '
    return spreadsheet_safe_frame(frame).to_csv(index=False, lineterminator="\n")


def facts_csv(data: ReportData) -> str:
    """tables/facts.csv: every judged fact, one row per district or city, indicator and step
    (helpers.metrics.facts), with the raw cell of each figure."""
    import pandas as pd

    from helpers.core.text_safety import spreadsheet_safe_frame
    from helpers.metrics.facts import judged_facts

    frame = judged_facts(data)
    for column in ("completion", "milestone"):  # fractions, as district_indicator.csv has them
        frame[column] = frame[column].astype("Float64").round(6)
    for column in ("as_of", "due_date", "deadline"):
        frame[column] = frame[column].map(lambda d: "" if pd.isna(d) else d.isoformat())
    return spreadsheet_safe_frame(frame).to_csv(index=False, lineterminator="\n")


def run_facts(data: ReportData) -> list[tuple[str, str]]:
    """Code version, Python, lock hash and packages, as shown in the appendix and About sheet."""
    from helpers.words.run_record import run_facts as facts

    return facts(data.params.lang)


def export(data: ReportData | PreparedReport, folder: Path = Path(".")) -> list[Path]:
    """Write tables/district_indicator.csv, tables/facts.csv, report.xlsx and report.docx into
    `folder` (by default the working folder; `helpers run` writes them itself, in two
    processes)."""
    if isinstance(data, PreparedReport):
        raise ParameterError("export = True needs the report data: set prepared = None")
    return export_tables(data, folder) + export_document(data, folder)


# imported in these two: the kernel of `helpers run` never exports (the runner does, in
# parallel) and so never pays for openpyxl, python-docx and Pillow

def export_tables(data: ReportData, folder: Path = Path(".")) -> list[Path]:
    """Write tables/district_indicator.csv, tables/facts.csv and report.xlsx into `folder`."""
    return export_csv_tables(data, folder) + export_workbook(data, folder)


def export_csv_tables(data: ReportData, folder: Path = Path(".")) -> list[Path]:
    """Write tables/district_indicator.csv and tables/facts.csv into `folder`."""
    folder = Path(folder)
    table_path = folder / TABLE_PATH
    table_path.parent.mkdir(parents=True, exist_ok=True)
    table_path.write_text(district_indicator_csv(data), encoding="utf-8")
    (folder / FACTS_PATH).write_text(facts_csv(data), encoding="utf-8")
    return [TABLE_PATH, FACTS_PATH]


def export_workbook(data: ReportData, folder: Path = Path(".")) -> list[Path]:
    """Write report.xlsx into `folder`."""
    from helpers.render.excel import write_report_xlsx

    write_report_xlsx(data, Path(folder) / XLSX_PATH, about=run_facts(data))
    return [XLSX_PATH]


def export_document(data: ReportData, folder: Path = Path(".")) -> list[Path]:
    """Write report.docx into `folder`."""
    from helpers.render.word import write_report_docx

    write_report_docx(data, Path(folder) / DOCX_PATH)
    return [DOCX_PATH]
