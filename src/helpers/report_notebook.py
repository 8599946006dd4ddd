"""What the report notebook calls: parameter check, data, display, export of tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers import manifest
from helpers.excel_report import write_report_xlsx
from helpers.parameters import ReportParameters, check_notebook_parameters
from helpers.report_data import ReportData, build_report_data
from helpers.word_report import write_report_docx

TABLE_PATH = Path("tables") / "district_indicator.csv"
XLSX_PATH = Path("report.xlsx")
DOCX_PATH = Path("report.docx")


def check_parameters(namespace: dict) -> ReportParameters:
    """The notebook's parameters, typed and checked (raises ParameterError)."""
    return check_notebook_parameters(namespace)


def load(params: ReportParameters) -> ReportData:
    """Validated inputs -> every table of the report."""
    return build_report_data(params)


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
    return frame.to_csv(index=False, lineterminator="\n")


def run_facts(data: ReportData) -> list[tuple[str, str]]:
    """Code version, Python, lock hash and packages, as shown in the appendix and About sheet."""
    return manifest.run_facts(data.params.lang)


def export(data: ReportData, folder: Path = Path(".")) -> list[Path]:
    """Write tables/district_indicator.csv, report.xlsx and report.docx into `folder` (the
    run's staging folder: the runner starts the kernel there)."""
    folder = Path(folder)
    table_path = folder / TABLE_PATH
    table_path.parent.mkdir(parents=True, exist_ok=True)
    table_path.write_text(district_indicator_csv(data), encoding="utf-8")
    write_report_xlsx(data, folder / XLSX_PATH, about=run_facts(data))
    write_report_docx(data, folder / DOCX_PATH)
    return [TABLE_PATH, XLSX_PATH, DOCX_PATH]
