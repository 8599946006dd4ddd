"""What validation computes once and reuses: a one-column lookup on the column's numbering, the
final order from the checks' numbering of a larger frame, the counts as one int64 array, and
the cycle collector paused only while a year is read."""

from __future__ import annotations

import datetime as dt
import gc

import numpy as np
import pandas as pd
import pytest

from helpers.core.paths import RAW_DIR
from helpers.ingest import returns
from helpers.ingest.catalog import load_catalog
from helpers.ingest.cross_checks import FIGURE_KEY, Numbered
from helpers.ingest.returns import _counts, _sorted, ingest_year

CATALOG = load_catalog(RAW_DIR)


def _frame() -> pd.DataFrame:
    districts = [d.name for d in CATALOG.districts]
    codes = [i.code for i in CATALOG.indicators]
    rows = [(districts[k % 3], codes[(5 - k) % 4], "", dt.date(2018, 1 + k % 5, 28), k,
             f"2018/progress/p.csv:{k + 2}") for k in range(40)]
    frame = pd.DataFrame(rows, columns=returns.PROGRESS_COLUMNS)
    return frame.drop_duplicates(FIGURE_KEY)


def test_a_one_column_lookup_reads_each_row_s_own_value():
    frame = _frame()
    calls = []
    found = Numbered(frame, ["indicator"]).mapped(
        ["indicator"], lambda code: calls.append(code) or len(code), np.int64)
    assert found.tolist() == [len(code) for code in frame["indicator"]]
    assert sorted(calls) == sorted(set(frame["indicator"]))  # each value once
    part = Numbered(frame, ["indicator"]).rows(frame["value"].to_numpy() > 20)
    assert part.mapped(["indicator"], len, np.int64).tolist() == [
        len(code) for code in frame[frame["value"] > 20]["indicator"]]


def test_the_order_from_a_larger_frame_s_numbering_is_the_catalogue_order():
    frame = _frame()
    kept = frame[frame["value"] % 3 != 0]
    numbered = Numbered(frame, FIGURE_KEY)
    district_at = {d.name: k for k, d in enumerate(CATALOG.districts)}
    indicator_at = {i.code: k for k, i in enumerate(CATALOG.indicators)}
    expected = sorted(kept.itertuples(index=False), key=lambda r: (
        district_at[r.district], indicator_at[r.indicator], r.stage, r.as_of))
    for got in (_sorted(kept, CATALOG, FIGURE_KEY, numbered), _sorted(kept, CATALOG,
                                                                       FIGURE_KEY)):
        assert list(got.itertuples(index=False)) == expected


def test_counts_become_int64_only_when_pandas_would_infer_it():
    assert _counts([1, 2, 3]).dtype == pd.DataFrame({"v": [1, 2, 3]})["v"].dtype == np.int64
    for values in ([1, 2.5], [1, True], [1, 2 ** 63], [1, None]):
        assert _counts(values) is values  # left to pandas, as every list was before


def test_the_cycle_collector_is_paused_only_while_a_year_is_read(tmp_path, monkeypatch):
    states = []
    monkeypatch.setattr(returns, "_ingest_year",
                        lambda *args: states.append(gc.isenabled()) or "read")
    assert gc.isenabled()
    assert ingest_year(RAW_DIR, 2018) == "read"
    assert states == [False] and gc.isenabled()

    def fails(*args):
        raise RuntimeError("bad")

    monkeypatch.setattr(returns, "_ingest_year", fails)
    with pytest.raises(RuntimeError):
        ingest_year(RAW_DIR, 2018)
    assert gc.isenabled()
    gc.disable()  # a caller that paused it itself gets it back paused
    try:
        monkeypatch.setattr(returns, "_ingest_year", lambda *args: "read")
        ingest_year(RAW_DIR, 2018)
        assert not gc.isenabled()
    finally:
        gc.enable()
