"""Every dated requirement of the work plan checked district by district, with no tolerance:
the stages (选址 by 30 June, 启动装修 by 31 July, 宣传 / 摸底 / 招投标 / 送达 of the "一键通"
task), the dated shares of a schedule (助餐 40% by 30 June, 70% by 31 August) and the date by
which the whole target is due (100% of the centres and meal services by 30 November).

A checkpoint due on or before the report date is 按期完成 when the figure reported on or before
its date reached the units required, 逾期完成 when it reached them later, 逾期未完成 when it has
not; one not yet due is 未到期, or 按期完成 when it is already reached. The last checkpoint, the
whole target (100% of the centres and meal services by 30 November, the "一键通" service
delivered by the year end), not reached is 未完成, the word the indicator tables give a target
missed at its deadline: one fact, one word.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.ingest.catalog import Catalog
from helpers.metrics.milestones import units_due
from helpers.metrics.progress import FigureIndex

CHECKPOINT_COLUMNS = ["indicator", "stage", "due", "share_due", "note", "district",
                      "supervision_group", "required", "done_by_due", "done_now", "shortfall",
                      "reached_on", "status", "source"]
CITY_COLUMNS = ["indicator", "stage", "due", "share_due", "note", "districts", "required",
                "done_by_due", "done_now", "shortfall", "on_time", "late", "overdue", "unmet",
                "not_due", "status"]


def checkpoint_status(required: int, by_due: int, now: int, due: dt.date,
                      date: dt.date, final: bool = False) -> str:
    """on_time / late / overdue (unmet: the whole target, `final`) / not_due of one checkpoint
    at `date` (see the module text)."""
    if by_due >= required:
        return "on_time"
    if due > date:
        return "not_due"
    if now >= required:
        return "late"
    return "unmet" if final else "overdue"


def checkpoint_table(allocation: pd.DataFrame, index: FigureIndex, catalog: Catalog,
                     date: dt.date, districts: list[str]) -> pd.DataFrame:
    """One row per checkpoint of the year and district (catalogue order)."""
    targets = {(r.district, r.indicator): int(r.target) for r in allocation.itertuples()}
    groups = {d.name: d.supervision_group for d in catalog.districts}
    rows = []
    for ind in catalog.tracked:
        checkpoints = catalog.checkpoints_for(ind.code, date.year)
        for checkpoint in checkpoints:
            final = checkpoint is checkpoints[-1] and checkpoint.share_due >= 1
            for district in districts:
                target = 1 if ind.kind == "task" else targets.get((district, ind.code))
                if not target:
                    continue
                required = units_due(target, checkpoint.share_due)
                if required == 0:
                    continue
                upto = min(checkpoint.date, date)
                by_due = index.value(district, ind.code, checkpoint.stage, upto) or 0
                now = index.value(district, ind.code, checkpoint.stage, date) or 0
                reached = index.first_reaching(district, ind.code, checkpoint.stage, required,
                                               date)
                found = index.figure(district, ind.code, checkpoint.stage, date)
                rows.append({
                    "indicator": ind.code, "stage": checkpoint.stage, "due": checkpoint.date,
                    "share_due": checkpoint.share_due, "note": checkpoint.note,
                    "district": district, "supervision_group": groups.get(district, ""),
                    # 截止日完成 exists once the due date has come (before it: —, not the
                    # figure so far, which is 目前完成)
                    "required": required,
                    "done_by_due": by_due if checkpoint.date <= date else None,
                    "done_now": now,
                    # 差额 once due (as the indicator tables: nothing is owed before the date)
                    "shortfall": max(0, required - now) if checkpoint.date <= date else None,
                    "reached_on": reached,
                    "status": checkpoint_status(required, by_due, now, checkpoint.date, date,
                                                final),
                    "source": found.source if found else "",
                })
    frame = pd.DataFrame(rows, columns=CHECKPOINT_COLUMNS)
    frame["done_by_due"] = frame["done_by_due"].astype("Int64")
    frame["shortfall"] = frame["shortfall"].astype("Int64")
    return frame


def checkpoint_summary(table: pd.DataFrame, date: dt.date) -> pd.DataFrame:
    """One row per checkpoint: units required, done and short over the districts, and how many
    districts are 按期完成 / 逾期完成 / 逾期未完成 / 未到期. The city row is 按期完成 only when
    every district is."""
    rows = []
    keys = ["indicator", "stage", "due", "share_due", "note"]
    for key, part in table.groupby(keys, sort=False):
        counts = part["status"].value_counts()
        if key[2] > date:
            status = "on_time" if counts.get("on_time", 0) == len(part) else "not_due"
        elif counts.get("overdue", 0):
            status = "overdue"
        elif counts.get("unmet", 0):
            status = "unmet"
        elif counts.get("late", 0):
            status = "late"
        else:
            status = "on_time"
        rows.append({**dict(zip(keys, key, strict=True)), "districts": len(part),
                     "required": int(part["required"].sum()),
                     "done_by_due": (int(part["done_by_due"].sum()) if key[2] <= date
                                     else None),
                     "done_now": int(part["done_now"].sum()),
                     # the districts' shortfalls summed: a surplus pays nobody's debt
                     "shortfall": (int(part["shortfall"].sum()) if key[2] <= date else None),
                     "on_time": int(counts.get("on_time", 0)), "late": int(counts.get("late", 0)),
                     "overdue": int(counts.get("overdue", 0)),
                     "unmet": int(counts.get("unmet", 0)),
                     "not_due": int(counts.get("not_due", 0)), "status": status})
    frame = pd.DataFrame(rows, columns=CITY_COLUMNS)
    frame["done_by_due"] = frame["done_by_due"].astype("Int64")
    frame["shortfall"] = frame["shortfall"].astype("Int64")
    return frame
