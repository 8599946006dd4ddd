"""The 通报: every district ranked by a stated, parameterised method, and the districts named in
the headline (which have seriously lagging items, which missed a target).

Default method (`on_track_share`): only items due at the report date count (not yet due and
no-target items are left out). Districts are ordered by the share of their due items that are
on track (符合进度, 基本符合进度, 已完成, 超额完成, 按期完成, 达标), then by one measure comparable
across every kind of item: the mean over the due items of the units done / the units due at the
report date (应完成数), each capped at 100% so that one over-achievement cannot hide a lag. (A
completion rate would mix time-judged items, about half their target at mid-year, with stages
and shares judged whole.) Both keys are compared as printed (one decimal, half up): districts
equal on both share a rank, and the table says 并列. `mean_completion` ranks on that mean alone.

The counts of items behind are one column per status word, each counting exactly the items of
that status (严重滞后 counts 严重滞后 only); `headline_items` counts what the headline names
(SERIOUS).
"""

from __future__ import annotations

import bisect
import collections

import pandas as pd

from helpers.core.rounding import percent
from helpers.core.statuses import BEHIND, GOOD, NOT_JUDGED, SERIOUS

# The statuses of a due item not on track, each with a count column of its own
# (`<status>_items`; 严重滞后 is `serious_items`): with 符合进度事项 they add up to 到期事项.
BEHIND_COUNTS = {"lagging": "lagging_items", "serious_lag": "serious_items",
                 "not_started": "not_started_items", "overdue": "overdue_items",
                 "unmet": "unmet_items", "late": "late_items", "below": "below_items"}
RANKING_COLUMNS = ["district", "supervision_group", "due_items", "on_track_items",
                   "on_track_share", "mean_completion", "behind_items",
                   *BEHIND_COUNTS.values(), "headline_items", "serious_indicators",
                   "rank", "tied"]


def item_completion(row) -> float | None:
    """How much of what was due one item has done, for the ranking: the units done of the
    judged figure / the units due at the report date, capped at 100%; an item with nothing due
    that is on track counts as whole."""
    due = row.due_units
    if due is None or pd.isna(due) or not due:
        return 1.0 if row.status in GOOD else None
    done = 0 if row.judged_actual is None or pd.isna(row.judged_actual) else row.judged_actual
    return min(1.0, float(done) / float(due))


def district_ranking(table: pd.DataFrame, order: list[str], method: str = "on_track_share"
                     ) -> pd.DataFrame:
    """One row per district of `order` (catalogue order): due items, how many are on track,
    the capped mean completion, items behind, and the rank (1 = best; ties share a rank)."""
    # Plain Python over the table's rows (per-district pandas filtering costs milliseconds
    # a district: minutes for a province).
    fields = ["district", "supervision_group", "indicator", "status", "kind", "basis", "stage",
              "completion", "milestone", "due_units", "judged_actual"]
    Row = collections.namedtuple("Row", fields)
    items: dict[str, list] = {}
    for values in zip(*(table[f].tolist() for f in fields), strict=True):
        row = Row(*values)
        items.setdefault(row.district, []).append(row)
    rows = []
    for district in order:
        part = items.get(district)
        if not part:
            continue
        due = [r for r in part if r.status not in NOT_JUDGED]
        completions = [c for c in (item_completion(r) for r in due) if c is not None]
        statuses = collections.Counter(r.status for r in due)
        on_track = sum(r.status in GOOD for r in due)
        rows.append({
            "district": district, "supervision_group": part[0].supervision_group,
            "due_items": len(due), "on_track_items": on_track,
            "on_track_share": (on_track / len(due)) if due else None,
            "mean_completion": sum(completions) / len(completions) if completions else None,
            "behind_items": sum(r.status in BEHIND for r in due),
            **{column: statuses[status] for status, column in BEHIND_COUNTS.items()},
            "headline_items": sum(statuses[s] for s in SERIOUS),
            "serious_indicators": [r.indicator for r in due if r.status == "serious_lag"],
        })
    ranking = pd.DataFrame(rows, columns=RANKING_COLUMNS[:-2])
    keys = (["on_track_share", "mean_completion"] if method == "on_track_share"
            else ["mean_completion"])
    printed = ranking[keys].apply(lambda column: column.map(
        lambda v: None if v is None or pd.isna(v) else percent(v))).astype("Float64")
    # Dense keys compared as a tuple: rank 1 for the best, the same rank for equal keys, and
    # the next rank skips the tied places (competition ranking, as in sport: 1, 2, 2, 4).
    ordered = [tuple(row) for row in printed.fillna(-1).itertuples(index=False)]
    ascending = sorted(ordered)
    # 1 + how many keys are strictly greater (bisect: a province of districts stays fast)
    ranking["rank"] = [1 + len(ascending) - bisect.bisect_right(ascending, mine)
                       for mine in ordered]
    ranking.loc[ranking["due_items"] == 0, "rank"] = pd.NA
    ranking["rank"] = ranking["rank"].astype("Int64")
    ranking["tied"] = ranking.groupby("rank", dropna=False)["district"].transform("size").gt(1) & \
        ranking["rank"].notna()
    position = {name: i for i, name in enumerate(order)}
    return (ranking.assign(_o=ranking["district"].map(position),
                           _r=ranking["rank"].fillna(len(order) + 1))
            .sort_values(["_r", "_o"], kind="stable").drop(columns=["_o", "_r"])
            .reset_index(drop=True))


def districts_with(table: pd.DataFrame, statuses: tuple[str, ...], order: list[str]
                   ) -> list[str]:
    """The districts (catalogue order) with at least one item in `statuses`."""
    hit = set(table.loc[table["status"].isin(statuses), "district"])
    return [d for d in order if d in hit]
