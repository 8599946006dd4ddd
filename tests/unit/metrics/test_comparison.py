"""helpers.metrics.comparison: two facts tables compared row by row; a table read back from
its CSV compares equal to the one computed in memory; moved figures and cells by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.parameters import ReportParameters
from helpers.metrics.comparison import (
    compare_facts,
    facts_from_csv,
    moved_cells,
    moved_figures,
    source_file,
)
from helpers.metrics.facts import FACT_COLUMNS, judged_facts
from helpers.metrics.report_data import build_report_data
from helpers.notebook.api import facts_csv

CELL = "2018/progress/2018-06-30.xlsx!进度!O5"


def _facts(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).reindex(columns=FACT_COLUMNS, fill_value="")


def _row(**values) -> dict:
    base = {"level": "district", "unit": "鹿城区", "indicator": "beds", "step": "",
            "kind": "count", "target": "1750", "figure": "898", "completion": "0.513143",
            "status": "on_track", "figure_source": CELL, "judged_figure": "898",
            "judged_source": CELL}
    return base | values


@pytest.fixture(scope="module")
def data():
    return build_report_data(ReportParameters(period="H1"))


def test_a_table_read_back_from_its_csv_equals_the_one_in_memory(data):
    memory = judged_facts(data)
    read = facts_from_csv(facts_csv(data))
    comparison = compare_facts(read, memory)
    assert (comparison["moved"] == "").all()
    assert set(comparison["presence"]) == {"both"}
    assert len(comparison) == len(memory)


def test_moved_figures_by_hand():
    old = _facts([_row(), _row(unit="龙湾区", figure="10", judged_figure="10")])
    new = _facts([_row(figure="905", judged_figure="905", completion="0.517143",
                       status="near"),
                  _row(unit="龙湾区", figure="10", judged_figure="10")])
    moved = moved_figures(compare_facts(old, new))
    # the judged figure is the figure again: not listed twice
    assert list(moved["field"]) == ["figure", "completion", "status"]
    figure = moved.iloc[0]
    assert (figure["old"], figure["new"], figure["difference"]) == (898, 905, 7)
    assert (figure["old_source"], figure["new_source"]) == (CELL, CELL)
    assert moved.iloc[1]["difference"] == 0.4  # 51.3% -> 51.7%, in points as printed
    assert moved.iloc[2]["difference"] is None
    cells = moved_cells(moved, {"2018/progress/2018-06-30.xlsx"})
    assert list(cells["cell"]) == [CELL]
    assert cells.iloc[0]["rows"] == [("鹿城区", "beds", "")]
    # the same figure read from another (a later) file is no changed cell
    assert moved_cells(moved, set()).empty


def test_rows_in_one_table_only():
    old = _facts([_row(), _row(step="site")])
    new = _facts([_row()])
    comparison = compare_facts(old, new)
    assert list(comparison["presence"]) == ["both", "old"]
    gone = moved_figures(comparison)
    assert set(gone["step"]) == {"site"}
    assert gone.loc[gone["field"] == "figure", "new"].iloc[0] is None


@pytest.mark.parametrize(("cell", "file"), [
    (CELL, "2018/progress/2018-06-30.xlsx"),
    ("2018/progress/2018-04-30.csv:17", "2018/progress/2018-04-30.csv"),
    ("", ""),
])
def test_source_file(cell, file):
    assert source_file(cell) == file
