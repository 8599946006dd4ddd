"""The 通报 ranking on a hand-made table: only due items count, ties share a rank and say so."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.metrics.ranking import district_ranking, districts_with, item_completion

ORDER = ["甲区", "乙区", "丙区", "丁区"]


def rows(district: str, items: list[tuple[str, float | None]]) -> list[dict]:
    """(status, completion) per item of a count indicator."""
    return [{"district": district, "supervision_group": "第一组", "indicator": f"i{n}",
             "kind": "count", "basis": "time", "stage": "", "status": status,
             "completion": completion, "milestone": 0.5, "due_units": 5, "judged_actual": 5}
            for n, (status, completion) in enumerate(items)]


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame([
        # 甲区: 3 due, 2 on track (2/3 = 66.7%); capped mean (1.0 + 0.5 + 0.3) / 3 = 60.0%;
        # its not-due item is left out
        *rows("甲区", [("over", 1.4), ("on_track", 0.5), ("serious_lag", 0.3), ("not_due", 0.0)]),
        # 乙区: 3 due, 2 on track (66.7%); mean (0.6 + 0.5 + 0.4) / 3 = 50.0% -> after 甲区
        *rows("乙区", [("near", 0.6), ("on_track", 0.5), ("lagging", 0.4)]),
        # 丙区: 2 due, both on track (100%): first, whatever its completions
        *rows("丙区", [("on_track", 0.5), ("met", 0.5), ("no_target", None)]),
        # 丁区: 3 due, 2 on track, mean (1.0 + 0.5 + 0.3) / 3 = 60.0%: tied with 甲区
        *rows("丁区", [("done", 1.0), ("on_track", 0.5), ("not_started", 0.3)]),
    ])


def test_ranking_by_share_on_track_then_mean(table):
    ranking = district_ranking(table, ORDER)
    got = [(r.district, r.rank, r.tied, r.due_items, r.on_track_items) for r in
           ranking.itertuples()]
    assert got == [("丙区", 1, False, 2, 2), ("甲区", 2, True, 3, 2), ("丁区", 2, True, 3, 2),
                   ("乙区", 4, False, 3, 2)]
    jia = ranking.set_index("district").loc["甲区"]
    assert jia["on_track_share"] == pytest.approx(2 / 3)
    assert jia["mean_completion"] == pytest.approx(0.6)  # over-achievement capped at 100%
    assert (jia["behind_items"], jia["serious_items"]) == (1, 1)
    assert jia["serious_indicators"] == ["i2"]


def test_ranking_by_mean_completion(table):
    ranking = district_ranking(table, ORDER, method="mean_completion")
    # means: 甲区 60.0, 乙区 50.0, 丙区 50.0, 丁区 60.0
    assert [(r.district, r.rank, r.tied) for r in ranking.itertuples()] == [
        ("甲区", 1, True), ("丁区", 1, True), ("乙区", 3, True), ("丙区", 3, True)]


def test_district_without_due_items_is_not_ranked():
    table = pd.DataFrame(rows("甲区", [("not_due", 0.0)]) + rows("乙区", [("on_track", 0.5)]))
    ranking = district_ranking(table, ["甲区", "乙区"])
    assert list(ranking["district"]) == ["乙区", "甲区"]
    assert pd.isna(ranking.iloc[1]["rank"]) and not ranking.iloc[1]["tied"]


def test_item_completion_of_shares_and_stages():
    share = pd.Series({"kind": "share", "basis": "threshold", "stage": "", "completion": 0.45,
                       "milestone": 0.5, "due_units": 50, "judged_actual": 45})
    assert item_completion(share) == pytest.approx(0.9)  # 45% of the 50% required
    stage = pd.Series({"kind": "count", "basis": "stage", "stage": "site", "completion": 0.0,
                       "milestone": 1.0, "due_units": 5, "judged_actual": 3})
    assert item_completion(stage) == pytest.approx(0.6)  # 3 of 5 sites, not 0 built
    over = pd.Series({"kind": "count", "basis": "time", "stage": "", "completion": 1.46,
                      "milestone": 0.5, "due_units": 5, "judged_actual": 5})
    assert item_completion(over) == 1.0


def test_districts_with_a_status(table):
    assert districts_with(table, ("serious_lag", "not_started"), ORDER) == ["甲区", "丁区"]
