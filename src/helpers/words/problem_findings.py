"""The main text's 存在问题 in the voice of seed 003: the items behind counted by status once, the
districts with the most named (three) and the rest counted, the indicators that most districts
miss with their largest shortfalls. The items themselves are listed once, in the 附件 of items
behind (helpers.words.document_plan); no sentence lists them one by one."""

from __future__ import annotations

import pandas as pd

from helpers.core.statuses import SEVERITY, STATUSES
from helpers.metrics.report_data import ReportData
from helpers.words.document_plan import see_annex
from helpers.words.findings import inline_status
from helpers.words.labels import (
    district_label,
    fmt_count,
    indicator_label,
    sentence,
    stage_label,
    unit_label,
)

MOST_NAMED = 3  # districts (and indicators) named; the rest are counted
INDICATORS_WRITTEN = 2  # indicators given a sentence of their own


def _join(parts: list[str], lang: str) -> str:
    return sentence("name_sep", lang).join(parts)


def status_counts(items: pd.DataFrame, lang: str) -> str:
    """严重滞后13项、逾期未完成13项、滞后26项: the items' statuses, most serious first."""
    counts = items["status"].value_counts()
    order = sorted(counts.index, key=lambda s: (-SEVERITY.get(s, 0), STATUSES.index(s)))
    return _join([sentence("part", lang, status=inline_status(s, lang), n=int(counts[s]))
                  for s in order], lang)


def by_district(data: ReportData) -> list[str]:
    """The items behind (year end: missed) by status, and the districts that have the most."""
    lang, items = data.params.lang, data.lagging
    if items.empty:
        return [sentence("problems.none", lang)]
    per_district = items.groupby("district", sort=False).size()
    order = {d: i for i, d in enumerate(data.districts)}
    ranked = sorted(per_district.index, key=lambda d: (-int(per_district[d]), order.get(d, 0)))
    named, rest = ranked[:MOST_NAMED], ranked[MOST_NAMED:]
    values = {
        "parts": status_counts(items, lang),
        "names": _join([district_label(d, lang, data.catalog) for d in named], lang),
        "counts": _join([sentence("part.items", lang, n=int(per_district[d])) for d in named],
                        lang),
        "rest": (sentence("problems.rest", lang, n=len(rest),
                          items=int(per_district[rest].sum())) if rest else ""),
        "see": see_annex(data, "lagging"),
    }
    key = "problems.by_district" if len(named) > 1 else "problems.by_district_one"
    return [sentence(key, lang, **values)]


def by_indicator(data: ReportData) -> list[str]:
    """For the (two) indicators that most districts are behind on, the three largest
    shortfalls in units and the rest summed (tasks, which owe one completion, are counted
    above, not here)."""
    lang, items = data.params.lang, data.lagging
    counted = items[items["kind"] != "task"]
    counted = counted[counted["shortfall"].notna() & counted["shortfall"].gt(0)]
    if counted.empty:
        return []
    codes = [i.code for i in data.catalog.tracked]
    groups = dict(tuple(counted.groupby(["indicator", "stage"], sort=False)))
    ranked = sorted(groups, key=lambda k: (-len(groups[k]), codes.index(k[0])
                                          if k[0] in codes else len(codes)))
    out = []
    for code, stage in ranked[:INDICATORS_WRITTEN]:
        rows = groups[(code, stage)].assign(_u=lambda f: f["shortfall"].astype(int))
        rows = rows.sort_values("_u", ascending=False, kind="stable")
        unit = unit_label(str(rows["unit"].iloc[0]), lang)
        named, rest = rows.head(MOST_NAMED), rows.iloc[MOST_NAMED:]
        name = indicator_label(code, lang, data.catalog, short=True)
        if stage:
            name += stage_label(code, stage, lang, data.catalog)
        out.append(sentence(
            "problems.indicator" if len(named) > 1 else "problems.indicator_one", lang,
            name=name, n=len(rows),
            names=_join([district_label(d, lang, data.catalog) for d in named["district"]],
                        lang),
            shortfalls=_join([f"{fmt_count(u, lang)}{unit}" for u in named["_u"]], lang),
            rest=(sentence("problems.indicator_rest", lang, n=len(rest),
                           total=fmt_count(int(rest["_u"].sum()), lang), unit=unit)
                  if len(rest) else "")))
    return out
