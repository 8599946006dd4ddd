"""The work plan's headline targets (民生实事, <year>/plan/plan_targets.csv) judged at the report
date beside the allocation that splits them: the city's own figure against the plan's (40
centres of the 45 allocated), the share of communities with meal services (the plan's 50%,
the allocation's 60% for each district), a task every district delivers, a figure every
district reaches on a measure the returns report (one 精英培训班 a year), and beside a target a
reported figure the plan sets no number for (the persons 一键通 serves). One table, read by the
sentences, the document's 附件1 and the workbook."""

from __future__ import annotations

import pandas as pd

from helpers.metrics.progress import isnan

PLAN_COLUMNS = ["code", "indicator", "stage", "document", "clause", "target", "threshold",
                "allocation_value", "due", "actual", "by_due", "denominator", "share", "status",
                "meets_allocation",
                "districts", "short_districts", "actual_source", "denominator_source",
                "per_district", "reached", "reported", "reported_value", "reported_districts",
                "reported_source"]


def _status(reached: bool, due: bool) -> str:
    if reached:
        return "done"
    return "unmet" if due else "not_due"


def _reported(figures, code: str, districts: list[str], report_date) -> dict:
    """A measure's latest figures at the report date: their sum, how many districts reported
    it, their sources (cell by cell)."""
    found = [f for f in (figures.figure(d, code, "", report_date) for d in districts) if f]
    return {"value": sum(f.value for f in found), "districts": len(found),
            "source": "; ".join(f.source for f in found if f.source)}


def plan_target_table(catalog, table: pd.DataFrame, checkpoints: pd.DataFrame, year: int,
                      report_date, districts: list[str], figures) -> pd.DataFrame:
    """A row per plan target of the year: what the plan asks (a count, a share, a task every
    district delivers), what the allocation asks, the city's figure and its status at the
    report date (已完成, or 按期 / 逾期完成 where the plan's date is a node of the indicator;
    未完成 once due; 未到期), and, once due, the districts short of the allocation."""
    rows = []
    tracked = {i.code for i in catalog.indicators}
    for target in (t for t in catalog.plan_targets if t.year == year):
        due = report_date >= target.due
        own = table[(table["indicator"] == target.indicator)
                    & table["district"].isin(districts)]
        measured = target.per_district is not None
        if (own.empty and not measured) or target.indicator not in tracked:
            continue  # not tracked this year (not in the allocation, or not reported)
        row = {"code": target.code, "indicator": target.indicator, "stage": target.stage,
               "document": target.document, "clause": target.clause,
               "target": target.target, "threshold": target.threshold,
               "allocation_value": target.allocation_value, "due": target.due,
               "actual": None, "by_due": None, "denominator": None, "share": None,
               "meets_allocation": None,
               "districts": len(districts), "short_districts": (),
               "actual_source": "; ".join(s for s in own["actual_source"] if s),
               "denominator_source": "", "per_district": target.per_district,
               "reached": None, "reported": "", "reported_value": None,
               "reported_districts": None, "reported_source": ""}
        if target.reported in tracked:
            beside = _reported(figures, target.reported, districts, report_date)
            if beside["districts"]:
                row.update(reported=target.reported, reported_value=beside["value"],
                           reported_districts=beside["districts"],
                           reported_source=beside["source"])
        if measured:  # every district to reach the figure, on the returns' measure
            held = _reported(figures, target.indicator, districts, report_date)
            if not held["districts"]:
                continue  # no return carries it yet (a warning of the year's plan)
            reached = [d for d in districts
                       if (figures.value(d, target.indicator, "", report_date) or 0)
                       >= target.per_district]
            row.update(actual=held["value"], reached=len(reached), actual_source=held["source"])
            if due:
                row["short_districts"] = tuple(d for d in districts if d not in reached)
            row["status"] = _status(len(reached) == len(districts), due)
        elif catalog.indicator(target.indicator).kind == "task":
            stage = checkpoints[(checkpoints["indicator"] == target.indicator)
                                & (checkpoints["stage"] == target.stage)
                                & checkpoints["district"].isin(districts)]
            done = stage[stage["done_now"] >= stage["required"]]
            row["actual"] = len(done)
            if due:
                finished = set(done["district"].unique())  # once, not once per district
                row["short_districts"] = tuple(d for d in districts if d not in finished)
            row["status"] = _status(len(done) == len(districts), due)
        elif target.target is not None:
            row["actual"] = int(own["actual"].fillna(0).sum())
            row["status"] = _status(row["actual"] >= target.target, due)
            if due:  # each district against its allocated target
                row["short_districts"] = tuple(
                    r.district for r in own.itertuples()
                    if not isnan(r.target) and (0 if isnan(r.actual) else r.actual) < r.target)
            # the plan's date is a node of the indicator: was the plan's figure there by then
            node = checkpoints[(checkpoints["indicator"] == target.indicator)
                               & (checkpoints["stage"] == target.stage)
                               & (checkpoints["due"] == target.due)
                               & checkpoints["district"].isin(districts)]
            if due and len(node):
                by_due = row["by_due"] = int(node["done_by_due"].fillna(0).sum())
                row["status"] = ("on_time" if by_due >= target.target else
                                 "late" if row["actual"] >= target.target else "unmet")
        else:
            reference = catalog.reference(target.denominator, year)
            counted = own[own["district"].isin(reference)]
            numerator = int(counted["actual"].fillna(0).sum())
            denominator = sum(reference[d].value for d in counted["district"])
            share = numerator / denominator if denominator else float("nan")
            row.update(actual=numerator, denominator=denominator, share=share,
                       denominator_source="; ".join(reference[d].ref
                                                    for d in counted["district"]))
            row["status"] = _status(not isnan(share) and share >= target.threshold, due)
            if due and target.allocation_value is not None:  # the city and each district
                row["meets_allocation"] = (not isnan(share)
                                           and share >= target.allocation_value)
                row["short_districts"] = tuple(
                    r.district for r in counted.itertuples()
                    if reference[r.district].value
                    and (0 if isnan(r.actual) else r.actual) / reference[r.district].value
                    < target.allocation_value)
        rows.append(row)
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)
