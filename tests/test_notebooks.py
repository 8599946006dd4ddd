"""The committed notebooks: stripped of outputs, thin, and with a parameters cell that matches
the one typed schema (helpers.core.parameters.ReportParameters)."""

from __future__ import annotations

import ast
import dataclasses
import json

import pytest

from helpers.core.parameters import ReportParameters
from helpers.core.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} >= {"01_ingest.ipynb", "report.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    """nbstripout's guarantee, checked: no outputs, counts or execution metadata reach git."""
    for cell in _load(path)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], cell["source"][:60]
            assert cell["execution_count"] is None
            assert "execution" not in cell["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_one_tagged_parameters_cell(path):
    tagged = [c for c in _load(path)["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1


def _parameters_cell(path):
    cell = next(c for c in _load(path)["cells"] if "parameters" in c["metadata"].get("tags", []))
    return "".join(cell["source"])


def test_report_parameters_cell_matches_the_schema():
    """Same names, same defaults, a type annotation and a comment on every parameter."""
    source = _parameters_cell(NOTEBOOKS_DIR / "report.ipynb")
    tree = ast.parse(source)
    defaults = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            defaults[node.target.id] = ast.literal_eval(node.value)
    schema = {f.name: f.default for f in dataclasses.fields(ReportParameters)}
    # `prepared` is the runner's hand-over of the data it computed, not a report parameter
    assert defaults == {**schema, "prepared": None}
    for line in source.splitlines():
        if line and not line.startswith(("#", "from ")):
            assert "  # " in line, f"parameter without a comment: {line}"


def test_report_notebook_is_thin():
    """Logic lives in helpers: every code cell after the parameters is a few lines of calls."""
    cells = [c for c in _load(NOTEBOOKS_DIR / "report.ipynb")["cells"]
             if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", [])]
    for cell in cells:
        source = "".join(cell["source"])
        assert len(source.splitlines()) <= 5, source
        assert "def " not in source and "try:" not in source


def test_report_notebook_shows_each_section_once_in_order():
    """A cell per helpers.notebook.sections section, in that order (tools/make_notebooks.py)."""
    from helpers.notebook.sections import REPORT_SECTIONS

    shown = [ast.literal_eval("".join(c["source"]).removeprefix("rn.show(report, ")[:-1])
             for c in _load(NOTEBOOKS_DIR / "report.ipynb")["cells"]
             if "".join(c["source"]).startswith("rn.show(")]
    assert tuple(shown) == REPORT_SECTIONS


def test_an_unknown_section_is_refused():
    from helpers.notebook.sections import render_section
    from helpers.words.report_text import build_report

    with pytest.raises(KeyError, match="no report section 'sumary'"):
        render_section(build_report(ReportParameters()), "sumary")


def test_a_prepared_report_is_shown_as_handed_over_and_checked(tmp_path, monkeypatch):
    """The kernel of `helpers run` shows the sections it was handed; a hand-over for other
    parameters, or asked to export, is refused with what to do."""
    import pickle

    from helpers.core.errors import ParameterError
    from helpers.notebook import api as rn

    params = ReportParameters(period="H1")
    prepared = rn.PreparedReport(params, {"summary": "<p>handed over</p>"})
    (tmp_path / "handed.pickle").write_bytes(pickle.dumps(prepared))
    monkeypatch.chdir(tmp_path)
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda html: shown.append(html.data))
    report = rn.load(params, "handed.pickle")
    rn.show(report, "summary")
    assert shown == ["<p>handed over</p>"]
    with pytest.raises(ParameterError, match="other parameters"):
        rn.load(ReportParameters(period="FY"), "handed.pickle")
    with pytest.raises(ParameterError, match="no such file"):
        rn.load(params, "missing.pickle")
    with pytest.raises(ParameterError, match="set prepared = None"):
        rn.export(report, tmp_path)


def test_the_kernel_of_a_run_imports_no_pandas():
    """What the kernel imports to show a prepared report: no pandas, openpyxl or docx (their
    import was a third of the kernel's time)."""
    import subprocess
    import sys

    code = ("import sys, helpers.notebook.api as rn; "
            "print(sorted(m for m in ('pandas', 'openpyxl', 'docx', 'PIL', 'numpy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
