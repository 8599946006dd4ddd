"""What the report notebook calls: parameter check, data, display, export of tables."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pandas as pd

from helpers import manifest
from helpers.errors import ParameterError
from helpers.parameters import ReportParameters, check_notebook_parameters
from helpers.report_data import ReportData, build_report_data
from helpers.text_safety import spreadsheet_safe_frame

TABLE_PATH = Path("tables") / "district_indicator.csv"
XLSX_PATH = Path("report.xlsx")
DOCX_PATH = Path("report.docx")


def check_parameters(namespace: dict) -> ReportParameters:
    """The notebook's parameters, typed and checked (raises ParameterError)."""
    return check_notebook_parameters(namespace)


def load(params: ReportParameters, prepared: str | None = None) -> ReportData:
    """Every table of the report: computed from the raw inputs, or (`prepared`, set by
    `helpers run`) the data the runner computed from its one reading of the inputs, so the
    kernel never reads them a second time."""
    if prepared is None:
        return build_report_data(params)
    path = Path(prepared)
    if not path.is_file():
        raise ParameterError(f"prepared = {prepared!r}: no such file here (it exists only "
                             "while `helpers run` executes this notebook); set prepared = None "
                             "to compute from raw_dir")
    # A file the runner wrote into its own build folder, readable by its user only.
    with path.open("rb") as handle:
        data = pickle.load(handle)
    if not isinstance(data, ReportData) or data.params.replace(export=params.export) != params:
        raise ParameterError(f"prepared = {prepared!r} holds data for other parameters")
    return dataclasses.replace(data, params=params)


def show(fragment: str) -> None:
    """Display an HTML fragment as a cell output."""
    from IPython.display import HTML, display

    display(HTML(fragment))


def district_indicator_csv(data: ReportData) -> str:
    """tables/district_indicator.csv: one row per district and indicator; fractions rounded to
    6 decimals, gap_pp in points; empty cells where there is no rate."""
    frame = data.table.copy()
    for column in ("completion", "milestone"):
        frame[column] = frame[column].astype("Float64").round(6)
    frame["gap_pp"] = frame["gap_pp"].astype("Float64").round(1)
    frame["as_of"] = frame["as_of"].map(lambda d: "" if pd.isna(d) else d.isoformat())
    # text starting with = + - @ would run as a formula in a spreadsheet: prefixed with '
    return spreadsheet_safe_frame(frame).to_csv(index=False, lineterminator="\n")


def run_facts(data: ReportData) -> list[tuple[str, str]]:
    """Code version, Python, lock hash and packages, as shown in the appendix and About sheet."""
    return manifest.run_facts(data.params.lang)


def export(data: ReportData, folder: Path = Path(".")) -> list[Path]:
    """Write tables/district_indicator.csv, report.xlsx and report.docx into `folder` (the
    run's staging folder: the runner starts the kernel there)."""
    # imported here: the kernel of `helpers run` never exports (the runner does, in parallel)
    # and so never pays for openpyxl, python-docx and Pillow
    from helpers.excel_report import write_report_xlsx
    from helpers.word_report import write_report_docx

    folder = Path(folder)
    table_path = folder / TABLE_PATH
    table_path.parent.mkdir(parents=True, exist_ok=True)
    table_path.write_text(district_indicator_csv(data), encoding="utf-8")
    write_report_xlsx(data, folder / XLSX_PATH, about=run_facts(data))
    write_report_docx(data, folder / DOCX_PATH)
    return [TABLE_PATH, XLSX_PATH, DOCX_PATH]
