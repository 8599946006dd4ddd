"""The work plan's stages and deadlines checked district by district, on hand-made returns."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.ingest.catalog import Catalog, District, Indicator, Milestone, Stage
from helpers.metrics.checkpoints import checkpoint_status, checkpoint_summary, checkpoint_table
from helpers.metrics.progress import FigureIndex

D = dt.date


@pytest.mark.parametrize(("required", "by_due", "now", "due", "date", "status"), [
    (5, 5, 5, D(2018, 6, 30), D(2018, 6, 30), "on_time"),
    (5, 4, 5, D(2018, 6, 30), D(2018, 9, 30), "late"),
    (5, 4, 4, D(2018, 6, 30), D(2018, 9, 30), "overdue"),
    (5, 3, 3, D(2018, 7, 31), D(2018, 6, 30), "not_due"),
    (5, 5, 5, D(2018, 7, 31), D(2018, 6, 30), "on_time"),  # already reached before its date
])
def test_checkpoint_status(required, by_due, now, due, date, status):
    assert checkpoint_status(required, by_due, now, due, date) == status


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        indicators=[Indicator("centres", "镇街中心", "中心", "Centres", "个"),
                    Indicator("meals", "助餐", "助餐", "Meals", "个"),
                    Indicator("call", "一键通", "一键通", "Call", "项", kind="task")],
        districts=[District("甲区", "Jia", "第一组", 1), District("乙区", "Yi", "第一组", 2)],
        milestones=[Milestone("centres", D(2018, 6, 30), 1.0, stage="site"),
                    Milestone("centres", D(2018, 11, 30), 1.0),
                    Milestone("meals", D(2018, 6, 30), 0.4),
                    Milestone("meals", D(2018, 11, 30), 1.0),
                    Milestone("call", D(2018, 5, 31), 1.0, stage="publicity")],
        stages=[Stage("centres", "site", "选址", "site"),
                Stage("call", "publicity", "宣传", "publicity")])


def test_checkpoints_by_district(catalog):
    allocation = pd.DataFrame([("甲区", "centres", 3, ""), ("乙区", "centres", 2, ""),
                               ("甲区", "meals", 10, ""), ("乙区", "meals", 0, "")],
                              columns=["district", "indicator", "target", "source"])
    progress = pd.DataFrame([
        ("甲区", "centres", "site", D(2018, 6, 30), 3, "a"),     # on time
        ("乙区", "centres", "site", D(2018, 6, 30), 1, "b1"),    # 1 of 2 by the date
        ("乙区", "centres", "site", D(2018, 8, 31), 2, "b2"),    # reached in August: late
        ("甲区", "call", "publicity", D(2018, 7, 31), 1, "c"),   # late
        ("甲区", "meals", "", D(2018, 8, 31), 6, "m"),
    ], columns=["district", "indicator", "stage", "as_of", "value", "source"])
    index = FigureIndex(progress, catalog, 2018)
    table = checkpoint_table(allocation, index, catalog, D(2018, 9, 30), ["甲区", "乙区"])
    got = [(r.indicator, r.stage, r.district, r.required,
            None if pd.isna(r.done_by_due) else r.done_by_due, r.done_now,
            r.reached_on, r.status) for r in table.itertuples()]
    assert got == [
        ("centres", "site", "甲区", 3, 3, 3, D(2018, 6, 30), "on_time"),
        ("centres", "site", "乙区", 2, 1, 2, D(2018, 8, 31), "late"),
        # the 100% deadline of 30 November is not due on 30 September: nothing is "done by
        # the due date" yet (—), what is done now is 目前完成
        ("centres", "", "甲区", 3, None, 0, None, "not_due"),
        ("centres", "", "乙区", 2, None, 0, None, "not_due"),
        # meals, 40% of 10 by 30 June: 4 required, none reported by then, 6 by 31 August ->
        # late; 乙区 has no meal target
        ("meals", "", "甲区", 4, 0, 6, D(2018, 8, 31), "late"),
        ("meals", "", "甲区", 10, None, 6, None, "not_due"),
        # 宣传 is this task's only, so last, checkpoint: the whole task, missed at its date is
        # 未完成 (the word the indicator table gives it), not 逾期未完成
        ("call", "publicity", "甲区", 1, 0, 1, D(2018, 7, 31), "late"),
        ("call", "publicity", "乙区", 1, 0, 0, None, "unmet"),
    ]
    summary = checkpoint_summary(table, D(2018, 9, 30))
    site = summary.iloc[0]
    assert (site["required"], site["done_by_due"], site["done_now"]) == (5, 4, 5)
    assert (site["on_time"], site["late"], site["overdue"], site["status"]) == (1, 1, 0, "late")
    call = summary.iloc[-1]
    assert (call["late"], call["overdue"], call["unmet"], call["status"]) == (1, 0, 1, "unmet")
    # a stage before the last, missed: 逾期未完成 (乙区's 选址 was reached late, so late)
    meals = summary.iloc[2]
    assert (meals["late"], meals["overdue"], meals["status"]) == (1, 0, "late")
    assert summary.iloc[1]["status"] == "not_due"
    assert pd.isna(summary.iloc[1]["done_by_due"])  # not due: no 截止日完成 for the city either
    assert list(summary["share_due"]) == [1.0, 1.0, 0.4, 1.0, 1.0]
