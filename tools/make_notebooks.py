"""Regenerate notebooks/*.ipynb from the cell lists below (stable ids, no outputs).

The notebooks are committed; this script documents their structure and keeps the parameters
cell in step with helpers.core.parameters.ReportParameters. Run: python tools/make_notebooks.py
"""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

import nbformat

from helpers.core.parameters import ReportParameters
from helpers.notebook.section_list import REPORT_SECTIONS

ROOT = Path(__file__).resolve().parents[1]

# The comment after each default, shown to analysts in the parameters cell.
PARAMETER_COMMENTS = {
    "year": "reporting year: data/raw/<year>/",
    "period": "Q1, H1 (mid-year), Q3 or FY (year-end); the report date is the period end",
    "lang": "report language: zh or en",
    "serious_lag_pp": "严重滞后 at this many points below the milestone, or more",
    "tolerance_pp": "基本符合进度: short by at most this % of the target",
    "small_target_max": "targets up to this are judged done / not done by their deadline",
    "ranking_method": "通报 ranking: \"on_track_share\" or \"mean_completion\"",
    "districts": "subset of districts, e.g. [\"鹿城区\"]; None for all",
    "raw_dir": "raw data folder, relative to the project root or absolute",
    "cell_timeout_s": "time limit of each cell in seconds (enforced by `helpers run`)",
    "export": "write tables/, report.xlsx and report.docx into the working folder",
    "demo_notice": "say on the first screen when the returns are generated demo data",
    "title": "document title; None: the generated one",
    "doc_number": "文号, e.g. \"温民〔2018〕35号\"; None: no 文号 line",
    "issuer": "落款 (issuing body); None: 温州市民政局",
    "drafting_date": "成文日期 \"YYYY-MM-DD\"; None: the report date",
    "recipients": "主送机关; None: 各县（市、区）民政局、浙南产业集聚区民政部门",
    "pdf": "print report.pdf with headless Chromium (enforced by `helpers run`)",
}


def _type_text(annotation) -> str:
    """The annotation as papermill's parameter parser reads it (it does not accept `X | None`,
    so optional types are written Optional[X])."""
    args = typing.get_args(annotation)
    if type(None) in args:
        inner = next(a for a in args if a is not type(None))
        return f"Optional[{_type_text(inner)}]"
    text = str(annotation) if typing.get_origin(annotation) else annotation.__name__
    return text.replace("typing.", "")


def _literal(value) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def parameters_cell() -> str:
    hints = typing.get_type_hints(ReportParameters)
    lines = ["# Parameters: papermill injects overrides below this cell; the next cell checks",
             "# names and types (helpers.core.parameters) before anything runs.",
             "from typing import Optional", ""]
    for field in dataclasses.fields(ReportParameters):
        lines.append(f"{field.name}: {_type_text(hints[field.name])} = {_literal(field.default)}"
                     f"  # {PARAMETER_COMMENTS[field.name]}")
    # Not a report parameter (not in the manifest's schema): set only by `helpers run`, which
    # hands the kernel the data it computed from its one reading of the inputs.
    lines.append("prepared: Optional[str] = None  # set by `helpers run`; None: compute from "
                 "raw_dir")
    return "\n".join(lines)


def notebook(cells: list[tuple[str, str, list[str]]], title: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "title": title,
    }
    for number, (kind, source, tags) in enumerate(cells, start=1):
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = make(source=source, id=f"cell-{number:02d}")
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


REMOVE = ["remove-from-report"]

REPORT_CELLS = [
    ("markdown", "# Target-tracking report\n\n"
                 "One notebook for every report kind: `period` Q1, H1 (mid-year), Q3, FY "
                 "(year-end). `python -m helpers run --year 2018 --period H1` validates the "
                 "inputs, executes this notebook with papermill and publishes HTML, Word, PDF, "
                 "Excel and CSV.\n\n"
                 "**Working here by hand** (JupyterLab: `make lab`): run the cells. Each section "
                 "shows its data as a table to sort and filter (a pandas Styler with the "
                 "report's own columns, formats and status colours) and the charts as figures. "
                 "`rn.frame(report, \"summary\")` returns the raw DataFrame of any section "
                 "(`rn.SECTIONS` lists them); `report.table` is the district × indicator "
                 "DataFrame. All logic lives in `src/helpers/`; this notebook only calls it.",
     REMOVE),
    ("code", parameters_cell(), ["parameters"]),
    ("code", "from helpers.notebook import api as rn\n\n"
             "params = rn.check_parameters(globals())\n"
             "report = rn.load(params, prepared)", []),
    # a cell per section, in helpers.notebook.sections.REPORT_SECTIONS order
    *[("code", f'rn.show(report, "{key}")', []) for key in REPORT_SECTIONS],
    ("code", "if params.export:\n    rn.export(report)", REMOVE),
]

INGEST_CELLS = [
    ("markdown", "# 01 Ingest: raw returns -> validated tidy tables\n\n"
                 "Reads `data/raw/<year>/allocation.xlsx` and every return in "
                 "`data/raw/<year>/progress/`, reports every problem in one pass and, when there "
                 "is no error, writes the tidy tables to `data/processed/<year>/`. The same "
                 "checks run as `python -m helpers validate --year 2018`.", []),
    ("code", "# Parameters\n"
             "year: int = 2018  # reporting year: data/raw/<year>/\n"
             "raw_dir: str = \"data/raw\"  # raw data folder, relative to the project root or "
             "absolute\n"
             "write: bool = True  # write data/processed/<year>/ when the inputs are clean",
     ["parameters"]),
    ("code", "from helpers.ingest import validation_summary as vs\n\n"
             "result = vs.ingest(year, raw_dir)\n"
             "vs.summary(result)", []),
    ("markdown", "## Problems found\n\nErrors stop a report run; warnings are shown in the "
                 "reports' data-quality section.", []),
    ("code", "vs.problems_table(result)", []),
    ("markdown", "## Allocation (targets) and progress (cumulative returns)", []),
    ("code", "result.allocation.head(15)", []),
    ("code", "vs.returns_matrix(result)", []),
    ("code", "vs.write(result, raw_dir) if write else None", []),
]


def main() -> None:
    nbformat.write(notebook(REPORT_CELLS, "report"), ROOT / "notebooks" / "report.ipynb")
    nbformat.write(notebook(INGEST_CELLS, "01_ingest"), ROOT / "notebooks" / "01_ingest.ipynb")


if __name__ == "__main__":
    main()
