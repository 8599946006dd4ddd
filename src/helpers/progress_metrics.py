"""Completion, milestones, status and ranking: the numbers every table, chart and sentence of a
report is built from."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from helpers.catalog import Catalog
from helpers.milestones import milestone_share

# Comparisons are made on values rounded to this many decimals, so that 0.4 computed two ways
# (e.g. 40/100 and a milestone of 0.4) counts as exactly at the milestone.
_EPS_DIGITS = 9

DISTRICT_INDICATOR_COLUMNS = [
    "district", "supervision_group", "indicator", "indicator_name", "unit", "target", "actual",
    "as_of", "completion", "milestone", "gap_pp", "status", "rank", "target_source",
    "actual_source",
]
SUMMARY_COLUMNS = ["indicator", "indicator_name", "unit", "target", "actual", "completion",
                   "milestone", "gap_pp", "status", "districts_lagging"]
BEHIND = ("lagging", "serious_lag", "not_started")


def completion(actual: float, target: float) -> float | None:
    """actual / target; None when the target is 0 (no rate: never divide by zero)."""
    if target == 0:
        return None
    return actual / target


def classify(actual: float, target: float, milestone: float, serious_lag_pp: float) -> str:
    """Status code of one figure (see labels.STATUSES).

    No target -> no_target; actual 0 -> not_started; above 100% -> over; exactly 100% -> done;
    at or above the milestone -> on_track; more than `serious_lag_pp` points below it ->
    serious_lag; otherwise lagging.
    """
    if target == 0:
        return "no_target"
    if actual == 0:
        return "not_started"
    rate = round(actual / target, _EPS_DIGITS)
    if rate > 1:
        return "over"
    if rate == 1:
        return "done"
    gap_pp = round((rate - milestone) * 100, _EPS_DIGITS - 2)
    if gap_pp >= 0:
        return "on_track"
    if -gap_pp > serious_lag_pp:
        return "serious_lag"
    return "lagging"


def is_behind(status: str, milestone: float) -> bool:
    """Whether an item belongs in the lagging list (not started counts once something is due)."""
    return status in ("lagging", "serious_lag") or (status == "not_started" and milestone > 0)


def gap_points(rate: float | None, milestone: float) -> float | None:
    """Completion minus milestone in percentage points (negative: behind), taken between the
    two percentages as printed (one decimal), so a reader who subtracts the printed 49.5% and
    49.6% gets the printed -0.1. The status is decided on the exact values."""
    if rate is None:
        return None
    return round(round(rate * 100, 1) - round(milestone * 100, 1), 1)


def latest_values(progress: pd.DataFrame, date: dt.date) -> pd.DataFrame:
    """Per district and indicator, the latest cumulative figure reported on or before `date`."""
    upto = progress[progress["as_of"] <= date].reset_index(drop=True)  # idxmax needs unique labels
    if upto.empty:
        return upto.iloc[0:0][["district", "indicator", "as_of", "value", "source"]]
    idx = upto.groupby(["district", "indicator"], sort=False)["as_of"].idxmax()
    return upto.loc[idx, ["district", "indicator", "as_of", "value", "source"]]


def district_indicator_table(allocation: pd.DataFrame, progress: pd.DataFrame,
                             catalog: Catalog, date: dt.date, serious_lag_pp: float,
                             districts: list[str] | None = None) -> pd.DataFrame:
    """One row per district and indicator with target, actual, completion, milestone, gap,
    status, rank among districts and the source of both figures."""
    alloc = allocation if districts is None else allocation[allocation["district"].isin(districts)]
    latest = latest_values(progress, date)
    merged = alloc.merge(latest, on=["district", "indicator"], how="left",
                         suffixes=("_target", "_actual"))
    groups = {d.name: d.supervision_group for d in catalog.districts}
    rows = []
    for r in merged.itertuples(index=False):
        ind = catalog.indicator(r.indicator)
        share = milestone_share(catalog.milestones_for(r.indicator, date.year), date)
        actual = 0 if pd.isna(r.value) else int(r.value)
        target = int(r.target)
        rate = completion(actual, target)
        rows.append({
            "district": r.district, "supervision_group": groups.get(r.district, ""),
            "indicator": r.indicator, "indicator_name": ind.name_zh, "unit": ind.unit,
            "target": target, "actual": actual,
            "as_of": None if pd.isna(r.value) else r.as_of,
            "completion": rate, "milestone": share, "gap_pp": gap_points(rate, share),
            "status": classify(actual, target, share, serious_lag_pp),
            "target_source": r.source_target,
            "actual_source": "" if pd.isna(r.value) else r.source_actual,
        })
    table = pd.DataFrame(rows, columns=[c for c in DISTRICT_INDICATOR_COLUMNS if c != "rank"])
    table["rank"] = rank_within_indicator(table)
    return table[DISTRICT_INDICATOR_COLUMNS]


def rank_within_indicator(table: pd.DataFrame) -> pd.Series:
    """Rank of each district within its indicator by completion, 1 = highest; ties share the
    best rank; rows without a target get no rank."""
    ranks = (table.assign(c=table["completion"].astype("Float64"))
             .groupby("indicator")["c"].rank(method="min", ascending=False))
    return ranks.round().astype("Int64")


def indicator_summary(table: pd.DataFrame, catalog: Catalog, date: dt.date,
                      serious_lag_pp: float) -> pd.DataFrame:
    """City level per indicator: sums over the districts in `table`, status by the same rules."""
    rows = []
    for ind in catalog.indicators:
        part = table[table["indicator"] == ind.code]
        if part.empty:
            continue
        target, actual = int(part["target"].sum()), int(part["actual"].sum())
        share = float(part["milestone"].iloc[0])
        rate = completion(actual, target)
        behind = sum(is_behind(s, m) for s, m in zip(part["status"], part["milestone"],
                                                      strict=True))
        rows.append({
            "indicator": ind.code, "indicator_name": ind.name_zh, "unit": ind.unit,
            "target": target, "actual": actual, "completion": rate, "milestone": share,
            "gap_pp": gap_points(rate, share),
            "status": classify(actual, target, share, serious_lag_pp),
            "districts_lagging": behind,
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def status_counts(summary: pd.DataFrame) -> dict[str, int]:
    """Headline: of the indicators with a target, how many are done (incl. over), on track,
    behind. Not started with nothing due yet counts as on track, so the three add up."""
    pairs = [(s, m) for s, m in zip(summary["status"], summary["milestone"], strict=True)
             if s != "no_target"]
    return {
        "done": sum(s in ("done", "over") for s, _ in pairs),
        "on_track": sum(s == "on_track" or (s == "not_started" and not is_behind(s, m))
                        for s, m in pairs),
        "behind": sum(is_behind(s, m) for s, m in pairs),
        "total": len(pairs),
    }


def district_scores(table: pd.DataFrame) -> pd.DataFrame:
    """Overall standing of each district: mean completion over its targeted indicators, each
    capped at 100% so that one over-achievement cannot hide a lag; rank 1 = best."""
    targeted = table[table["completion"].notna()]
    scores = (targeted.assign(capped=targeted["completion"].clip(upper=1.0))
              .groupby("district", sort=False)["capped"].mean().rename("mean_completion")
              .reset_index())
    scores["rank"] = scores["mean_completion"].round(_EPS_DIGITS).rank(
        method="min", ascending=False).astype(int)
    return scores.sort_values(["rank", "district"], kind="stable").reset_index(drop=True)


def timeline(allocation: pd.DataFrame, progress: pd.DataFrame, catalog: Catalog,
             date: dt.date, districts: list[str] | None = None) -> pd.DataFrame:
    """City completion per indicator at every reporting date up to `date`, beside the
    milestone due then (districts without a return that day carry their last figure)."""
    alloc = allocation if districts is None else allocation[allocation["district"].isin(districts)]
    dates = sorted({d for d in progress["as_of"] if d <= date})
    targets = alloc.groupby("indicator")["target"].sum()
    rows = []
    for day in dates:
        latest = latest_values(progress, day)
        latest = latest[latest["district"].isin(set(alloc["district"]))]
        actuals = latest.groupby("indicator")["value"].sum()
        for ind in catalog.indicators:
            if ind.code not in targets.index:
                continue
            target = int(targets[ind.code])
            actual = int(actuals.get(ind.code, 0))
            rows.append({"as_of": day, "indicator": ind.code, "target": target,
                         "actual": actual, "completion": completion(actual, target),
                         "milestone": milestone_share(catalog.milestones_for(ind.code, day.year),
                                                      day)})
    return pd.DataFrame(rows, columns=["as_of", "indicator", "target", "actual", "completion",
                                       "milestone"])


def isnan(value) -> bool:
    """True for None, NaN and pandas NA."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
