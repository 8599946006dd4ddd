"""The 通报 ranking on a hand-made table: only due items count, ties share a rank and say so."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.metrics.ranking import district_ranking, districts_with, item_completion

ORDER = ["甲区", "乙区", "丙区", "丁区"]


def rows(district: str, items: list[tuple[str, int]]) -> list[dict]:
    """(status, units done) per item of a count indicator of target 20 with 10 units due."""
    return [{"district": district, "supervision_group": "第一组", "indicator": f"i{n}",
             "kind": "count", "basis": "time", "stage": "", "status": status,
             "completion": done / 20, "milestone": 0.5, "due_units": 10, "judged_actual": done}
            for n, (status, done) in enumerate(items)]


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame([
        # 甲区: 3 due, 2 on track (2/3 = 66.7%); done of due, capped: (1.0 + 1.0 + 0.3) / 3 =
        # 76.7%; its not-due item is left out
        *rows("甲区", [("over", 14), ("on_track", 10), ("serious_lag", 3), ("not_due", 0)]),
        # 乙区: 3 due, 2 on track (66.7%); (0.9 + 1.0 + 0.0) / 3 = 63.3% -> after 甲区 and 丁区
        *rows("乙区", [("near", 9), ("on_track", 10), ("not_started", 0)]),
        # 丙区: 2 due, both on track (100%): first, whatever its completions
        *rows("丙区", [("on_track", 10), ("met", 10), ("no_target", 0)]),
        # 丁区: 3 due, 2 on track, (1.0 + 1.0 + 0.3) / 3 = 76.7%: tied with 甲区
        *rows("丁区", [("done", 20), ("on_track", 10), ("serious_lag", 3)]),
    ])


def test_ranking_by_share_on_track_then_mean(table):
    ranking = district_ranking(table, ORDER)
    got = [(r.district, r.rank, r.tied, r.due_items, r.on_track_items) for r in
           ranking.itertuples()]
    assert got == [("丙区", 1, False, 2, 2), ("甲区", 2, True, 3, 2), ("丁区", 2, True, 3, 2),
                   ("乙区", 4, False, 3, 2)]
    jia = ranking.set_index("district").loc["甲区"]
    assert jia["on_track_share"] == pytest.approx(2 / 3)
    assert jia["mean_completion"] == pytest.approx(2.3 / 3)  # over-achievement capped at 100%
    assert (jia["behind_items"], jia["serious_items"], jia["headline_items"]) == (1, 1, 1)
    assert jia["serious_indicators"] == ["i2"]


def test_ranking_by_mean_completion(table):
    ranking = district_ranking(table, ORDER, method="mean_completion")
    # means: 甲区 76.7, 乙区 63.3, 丙区 100.0, 丁区 76.7
    assert [(r.district, r.rank, r.tied) for r in ranking.itertuples()] == [
        ("丙区", 1, False), ("甲区", 2, True), ("丁区", 2, True), ("乙区", 4, False)]


def test_each_count_counts_exactly_its_status():
    # 泰顺县-like: the column 严重滞后事项 counts 严重滞后 only, not 未启动 or 逾期未完成 (the
    # headline's count, which names all three, is headline_items)
    table = pd.DataFrame(rows("甲区", [("serious_lag", 3), ("not_started", 0), ("overdue", 2),
                                      ("lagging", 8), ("below", 9), ("on_track", 10)]))
    row = district_ranking(table, ["甲区"]).iloc[0]
    got = {c: int(row[c]) for c in ("serious_items", "not_started_items", "overdue_items",
                                    "lagging_items", "below_items", "unmet_items",
                                    "behind_items", "headline_items")}
    assert got == {"serious_items": 1, "not_started_items": 1, "overdue_items": 1,
                   "lagging_items": 1, "below_items": 1, "unmet_items": 0, "behind_items": 5,
                   "headline_items": 3}
    assert row["serious_indicators"] == ["i0"]


def test_the_tiebreak_compares_what_was_done_of_what_was_due():
    # a time-judged item at 50% of its target but all that is due counts as whole, like a
    # stage done: 甲区 (all due done) ranks before 乙区 (90% of what is due), although 乙区's
    # completion of the target (90 of 100 on a stage judged whole) is higher
    jia = rows("甲区", [("on_track", 10)])
    yi = [{**rows("乙区", [("lagging", 90)])[0], "basis": "stage", "stage": "site",
           "due_units": 100, "completion": 0.9, "milestone": 1.0}]
    ranking = district_ranking(pd.DataFrame(jia + yi), ["甲区", "乙区"],
                               method="mean_completion")
    assert list(ranking["district"]) == ["甲区", "乙区"]
    assert list(ranking["mean_completion"]) == [1.0, 0.9]


def test_district_without_due_items_is_not_ranked():
    table = pd.DataFrame(rows("甲区", [("not_due", 0)]) + rows("乙区", [("on_track", 10)]))
    ranking = district_ranking(table, ["甲区", "乙区"])
    assert list(ranking["district"]) == ["乙区", "甲区"]
    assert pd.isna(ranking.iloc[1]["rank"]) and not ranking.iloc[1]["tied"]


def test_item_completion_of_shares_and_stages():
    share = pd.Series({"kind": "share", "basis": "threshold", "stage": "", "completion": 0.45,
                       "milestone": 0.5, "due_units": 50, "judged_actual": 45,
                       "status": "below"})
    assert item_completion(share) == pytest.approx(0.9)  # 45 of the 50 required
    stage = pd.Series({"kind": "count", "basis": "stage", "stage": "site", "completion": 0.0,
                       "milestone": 1.0, "due_units": 5, "judged_actual": 3,
                       "status": "overdue"})
    assert item_completion(stage) == pytest.approx(0.6)  # 3 of 5 sites, not 0 built
    over = pd.Series({"kind": "count", "basis": "time", "stage": "", "completion": 1.46,
                      "milestone": 0.5, "due_units": 5, "judged_actual": 73, "status": "over"})
    assert item_completion(over) == 1.0
    nothing_due = pd.Series({"kind": "count", "basis": "time", "stage": "", "completion": 0.01,
                             "milestone": 0.0, "due_units": 0, "judged_actual": 1,
                             "status": "on_track"})
    assert item_completion(nothing_due) == 1.0


def test_districts_with_a_status(table):
    assert districts_with(table, ("serious_lag", "not_started"), ORDER) == ["甲区", "乙区", "丁区"]
