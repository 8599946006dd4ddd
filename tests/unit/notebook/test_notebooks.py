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


def test_by_hand_a_section_shows_its_table_with_the_report_columns(monkeypatch):
    """Run by hand, show() displays a Styler of the section's table (the report's headers,
    cells as printed, statuses coloured) and frame() returns the raw DataFrame."""
    from pandas.io.formats.style import Styler

    from helpers.notebook import api as rn
    from helpers.render.columns import summary_columns
    from helpers.words.report_text import build_report

    report = build_report(ReportParameters(period="H1"))
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    rn.show(report, "summary")  # the indicators, then the share indicators
    assert len(shown) == 2 and all(isinstance(s, Styler) for s in shown)
    table = shown[0].data
    assert list(table.columns) == [c.header for c in summary_columns(report)]
    raw = rn.frame(report, "summary")
    assert list(raw["indicator"]) == list(report.summary.query("kind != 'share'")["indicator"])
    assert len(table) == len(raw)
    first = raw.iloc[0]
    assert table.iloc[0][summary_columns(report)[2].header] == f"{int(first['target']):,}"
    assert set(rn.SECTIONS) == set(REPORT_SECTIONS_EXPECTED)
    with pytest.raises(KeyError, match="no report section 'sumary'"):
        rn.frame(report, "sumary")


# the main text, the 附件 in their order, then the page's own appendix
REPORT_SECTIONS_EXPECTED = ("first_screen", "contents", "main_text", "summary", "ranking",
                            "checkpoints", "lagging", "timeline", "changes", "ledger", "charts",
                            "districts", "forward", "appendix")


def test_papermill_injection_of_an_unknown_name_is_refused():
    """papermill's own CLI only warns about a misspelt -p; the notebook's check refuses it."""
    from helpers.core.errors import ParameterError
    from helpers.notebook import api as rn

    injected = "# Parameters\nserous_lag_pp = 5\nyear = 2018\n"
    namespace = {"In": ["", "# Parameters: the notebook's own cell\nyear: int = 2018", injected],
                 "year": 2018, "serous_lag_pp": 5}
    with pytest.raises(ParameterError, match=r"serous_lag_pp \(did you mean serious_lag_pp\?\)"):
        rn.check_parameters(namespace)
    namespace["In"][-1] = "# Parameters\nyear = 2018\nprepared = 'x.pickle'\n"
    assert rn.check_parameters(namespace).year == 2018
    assert rn.injected_parameter_names(None) == set()  # by hand: no injection


@pytest.mark.slow
def test_papermill_cli_with_a_misspelt_parameter_fails_naming_it(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "papermill", str(NOTEBOOKS_DIR / "report.ipynb"),
         str(tmp_path / "out.ipynb"), "-p", "serous_lag_pp", "5", "--cwd", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode != 0
    assert "unknown parameter(s): serous_lag_pp (did you mean serious_lag_pp?)" in (
        done.stdout + done.stderr)


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
