"""The work plan's headline targets (民生实事, <year>/plan/plan_targets.csv) judged at the report
date beside the allocation that splits them: the city's own figure against the plan's (40
centres of the 45 allocated), the share of communities with meal services (the plan's 50%,
the allocation's 60% for each district), a task every district delivers. One table, read by
the sentences, the document's 附件1 and the workbook."""

from __future__ import annotations

import pandas as pd

from helpers.metrics.progress import isnan

PLAN_COLUMNS = ["code", "indicator", "stage", "document", "clause", "target", "threshold",
                "allocation_value", "due", "actual", "by_due", "denominator", "share", "status",
                "meets_allocation",
                "districts", "short_districts", "actual_source", "denominator_source"]


def _status(reached: bool, due: bool) -> str:
    if reached:
        return "done"
    return "unmet" if due else "not_due"


def plan_target_table(catalog, table: pd.DataFrame, checkpoints: pd.DataFrame, year: int,
                      report_date, districts: list[str]) -> pd.DataFrame:
    """A row per plan target of the year: what the plan asks (a count, a share, a task every
    district delivers), what the allocation asks, the city's figure and its status at the
    report date (已完成, or 按期 / 逾期完成 where the plan's date is a node of the indicator;
    未完成 once due; 未到期), and, once due, the districts short of the allocation."""
    rows = []
    for target in (t for t in catalog.plan_targets if t.year == year):
        due = report_date >= target.due
        own = table[(table["indicator"] == target.indicator)
                    & table["district"].isin(districts)]
        if own.empty:  # the indicator is not tracked this year (not in the allocation)
            continue
        row = {"code": target.code, "indicator": target.indicator, "stage": target.stage,
               "document": target.document, "clause": target.clause,
               "target": target.target, "threshold": target.threshold,
               "allocation_value": target.allocation_value, "due": target.due,
               "actual": None, "by_due": None, "denominator": None, "share": None,
               "meets_allocation": None,
               "districts": len(districts), "short_districts": (),
               "actual_source": "; ".join(s for s in own["actual_source"] if s),
               "denominator_source": ""}
        if catalog.indicator(target.indicator).kind == "task":
            stage = checkpoints[(checkpoints["indicator"] == target.indicator)
                                & (checkpoints["stage"] == target.stage)
                                & checkpoints["district"].isin(districts)]
            done = stage[stage["done_now"] >= stage["required"]]
            row["actual"] = len(done)
            if due:
                row["short_districts"] = tuple(d for d in districts
                                               if d not in set(done["district"]))
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
