"""Written findings, generated from the report's own tables so that every number a sentence
states is a number shown in a table (same rounding, same formatter)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from helpers.labels import (
    district_label,
    fmt_count,
    fmt_date,
    fmt_percent,
    fmt_pp,
    group_label,
    indicator_label,
    label,
    sentence,
    status_label,
    unit_label,
)
from helpers.progress_metrics import is_behind, isnan
from helpers.report_data import ReportData

_RANK_OF_STATUS = {"over": 0, "done": 0, "on_track": 1, "lagging": 2, "not_started": 3,
                   "serious_lag": 3, "no_target": 9}


def _inline_status(status: str, lang: str) -> str:
    """A status inside a sentence (lower case in English)."""
    text = status_label(status, lang)
    return text.lower() if lang == "en" else text


def _gap_abs(gap_pp: float) -> str:
    """A gap below the milestone as a positive number with one decimal, as in the tables."""
    return f"{abs(round(gap_pp, 1)):.1f}"


def overall(data: ReportData) -> list[str]:
    """The overall picture: how many indicators are done, on track, behind."""
    lang = data.params.lang
    if data.data_as_of is None:
        return [sentence("overall_no_data", lang, report_date=fmt_date(data.report_date, lang))]
    counts = data.counts
    key = "overall_fy" if is_year_end_view(data) else "overall"
    return [sentence(key, lang, as_of=fmt_date(data.data_as_of, lang), **counts)]


def is_year_end_view(data: ReportData) -> bool:
    """A year-end report speaks of met / not met (every milestone is the target by then)."""
    return data.params.period == "FY" and data.counts["on_track"] == 0


def milestone_name(code: str, data: ReportData) -> str:
    """序时进度 for an indicator following time progress, 进度要求 for one with a schedule."""
    scheduled = bool(data.catalog.milestones_for(code, data.report_date.year))
    return label("milestone.schedule" if scheduled else "milestone.time", data.params.lang)


def indicator_sentence(row, data: ReportData) -> str:
    """One indicator at city level, in the voice of seed 003 (完成目标值的63.6%)."""
    lang = data.params.lang
    name = indicator_label(row.indicator, lang, data.catalog)
    unit = unit_label(row.unit, lang)
    if row.status == "no_target":
        return sentence("indicator_no_target", lang, name=name, actual=fmt_count(row.actual, lang),
                        unit=unit).replace("  ", " ")
    phrase_key = f"phrase.{row.status}"
    if data.params.period == "FY" and row.status in ("lagging", "serious_lag"):
        phrase_key = "phrase.unmet"  # at year end the milestone is the target itself
    phrase = sentence(phrase_key, lang, milestone=fmt_percent(row.milestone, lang),
                      requirement=milestone_name(row.indicator, data),
                      gap=_gap_abs(row.gap_pp) if not isnan(row.gap_pp) else "")
    text = sentence("indicator", lang, name=name, target=fmt_count(row.target, lang),
                    actual=fmt_count(row.actual, lang), unit=unit,
                    completion=fmt_percent(row.completion, lang), phrase=phrase)
    return re.sub(r" {2,}", " ", text).replace(" ,", ",")


def indicators(data: ReportData) -> list[str]:
    """One sentence per indicator."""
    return [indicator_sentence(row, data) for row in data.summary.itertuples()]


def best_and_worst(data: ReportData) -> list[str]:
    """Per indicator, the districts with the highest and lowest completion (ties: first in the
    catalogue order); skipped when all targeted districts have the same completion."""
    lang = data.params.lang
    out = []
    for ind in data.catalog.indicators:
        part = data.table[(data.table["indicator"] == ind.code) & data.table["completion"].notna()]
        if len(part) < 2:
            continue
        # Compared as printed: districts showing the same percentage are tied and all named.
        shown = part["completion"].map(lambda c: fmt_percent(c, lang))
        rates = part["completion"].round(3)
        if rates.max() == rates.min():
            continue
        best = shown[rates == rates.max()]
        worst = shown[rates == rates.min()]
        separator = sentence("name_sep", lang)
        out.append(sentence(
            "best_worst", lang, name=indicator_label(ind.code, lang, data.catalog),
            best=separator.join(district_label(d, lang, data.catalog)
                                for d in part.loc[best.index, "district"]),
            best_rate=best.iloc[0],
            worst=separator.join(district_label(d, lang, data.catalog)
                                 for d in part.loc[worst.index, "district"]),
            worst_rate=worst.iloc[0]))
    return out


def lagging(data: ReportData) -> list[str]:
    """Every item behind its milestone, one sentence per supervision group."""
    lang = data.params.lang
    items = data.lagging
    if items.empty:
        return [sentence("none_lagging", lang)]
    out = []
    group_districts = {}
    for d in data.catalog.districts:
        group_districts.setdefault(d.supervision_group, []).append(d.name)
    for group, part in items.groupby("supervision_group", sort=False):
        texts = []
        for district, rows in part.groupby("district", sort=False):
            entries = sentence("name_sep", lang).join(sentence(
                "lagging_item", lang, name=indicator_label(r.indicator, lang, data.catalog,
                                                           short=True),
                completion=fmt_percent(r.completion, lang), gap=_gap_abs(r.gap_pp),
                status=_inline_status(r.status, lang)) for r in rows.itertuples())
            texts.append(sentence("lagging_district", lang,
                                  district=district_label(district, lang, data.catalog),
                                  items=entries))
        names = sentence("name_sep", lang).join(
            district_label(n, lang, data.catalog) for n in group_districts.get(group, []))
        out.append(sentence("lagging_group", lang, group=group_label(group, lang), districts=names,
                            items=sentence("list_sep", lang).join(texts)))
    return out


def changes_table(data: ReportData) -> pd.DataFrame:
    """Per indicator: completion at the previous period's end and now, and the change in points
    (taken between the printed, one-decimal percentages, so table and sentence agree)."""
    columns = ["indicator", "previous", "current", "change_pp", "previous_status", "status"]
    if data.previous_summary is None:
        return pd.DataFrame(columns=columns)
    before = data.previous_summary.set_index("indicator")
    rows = []
    for row in data.summary.itertuples():
        if row.indicator not in before.index or isnan(row.completion):
            continue
        old = before.loc[row.indicator]
        change = round(round(row.completion * 100, 1) - round(old["completion"] * 100, 1), 1)
        rows.append((row.indicator, old["completion"], row.completion, change, old["status"],
                     row.status))
    return pd.DataFrame(rows, columns=columns)


def changes(data: ReportData) -> list[str]:
    """What moved since the previous period's report (Q1 -> H1 -> Q3 -> FY)."""
    lang = data.params.lang
    if data.previous_summary is None:
        return [sentence("no_previous", lang)]
    previous_name = label(f"period.{data.previous_period}", lang)
    out = []
    improved, worsened = [], []
    for row in changes_table(data).itertuples():
        name = indicator_label(row.indicator, lang, data.catalog)
        old_text, new_text = fmt_percent(row.previous, lang), fmt_percent(row.current, lang)
        change = row.change_pp
        if old_text == new_text:
            out.append(sentence("change_same", lang, name=name, previous_period=previous_name,
                                current=new_text))
        else:
            out.append(sentence("change", lang, name=name, previous_period=previous_name,
                                previous=old_text, current=new_text, change=fmt_pp(change, lang),
                                direction=sentence(
                                    f"direction.{'up' if change > 0 else 'down'}", lang)))
        old_rank = _RANK_OF_STATUS[row.previous_status]
        new_rank = _RANK_OF_STATUS[row.status]
        if new_rank < old_rank:
            improved.append(name)
        elif new_rank > old_rank:
            worsened.append(name)
    separator = sentence("name_sep", lang)
    if improved:
        out.append(sentence("status_improved", lang, previous_period=previous_name,
                            names=separator.join(improved)))
    if worsened:
        out.append(sentence("status_worsened", lang, previous_period=previous_name,
                            names=separator.join(worsened)))
    if not improved and not worsened:
        out.append(sentence("status_unchanged", lang, previous_period=previous_name))
    return out


_DIP = re.compile(r"^(?P<district>\S+) (?P<code>\w+): cumulative figure went down from "
                  r"(?P<before>\d+) \((?P<d1>[\d-]+)\) to (?P<after>\d+) \((?P<d2>[\d-]+)\)$")
_MISSING = re.compile(r"^(?P<district>\S+) has no return for (?P<date>[\d-]+)$")


def warning_sentence(warning, data: ReportData) -> str:
    """One validation warning in the report's language (the raw message stays in the manifest
    and on hover)."""
    lang = data.params.lang
    if m := _MISSING.match(warning.message):
        return sentence("missing_return", lang,
                        district=district_label(m["district"], lang, data.catalog),
                        date=fmt_date(dt.date.fromisoformat(m["date"]), lang))
    if m := _DIP.match(warning.message):
        return sentence(
            "dip", lang, district=district_label(m["district"], lang, data.catalog),
            name=indicator_label(m["code"], lang, data.catalog), before=m["before"],
            after=m["after"], date_before=fmt_date(dt.date.fromisoformat(m["d1"]), lang),
            date_after=fmt_date(dt.date.fromisoformat(m["d2"]), lang))
    return warning.message


def data_quality(data: ReportData) -> list[str]:
    """Validation warnings in words: missing returns, cumulative figures that went down."""
    out = [warning_sentence(w, data) for w in data.warnings]
    return out or [sentence("no_warnings", data.params.lang)]


def carry_over_table(data: ReportData) -> pd.DataFrame:
    """Unfinished items at the report date: district, indicator, target, actual, remaining."""
    part = data.table[(data.table["target"] > 0) & (data.table["actual"] < data.table["target"])]
    return (part.assign(remaining=part["target"] - part["actual"])
            [["district", "indicator", "unit", "target", "actual", "remaining", "completion",
              "status"]].reset_index(drop=True))


def year_end(data: ReportData) -> list[str]:
    """Year-end: final completion, over- and under-achievers, what carries into next year."""
    lang = data.params.lang
    out = []

    def items(frame: pd.DataFrame) -> str:
        """Grouped by district, in catalogue order: 乐清市（床位122.0%、...）；瑞安市（...）."""
        order = {d.name: d.order for d in data.catalog.districts}
        groups = []
        for district in sorted(set(frame["district"]), key=order.get):
            rows = frame[frame["district"] == district]
            entries = sentence("name_sep", lang).join(sentence(
                "achiever_item", lang, name=indicator_label(r.indicator, lang, data.catalog,
                                                           short=True),
                completion=fmt_percent(r.completion, lang)) for r in rows.itertuples())
            groups.append(sentence("achiever_district", lang,
                                   district=district_label(district, lang, data.catalog),
                                   items=entries))
        return sentence("list_sep", lang).join(groups)

    over = data.table[data.table["status"] == "over"].sort_values(
        "completion", ascending=False, kind="stable")
    if not over.empty:
        out.append(sentence("over_achievers", lang, items=items(over)))
    under = data.table[data.table["completion"].notna() & (data.table["completion"] < 1)]
    under = under.sort_values("completion", kind="stable")
    if not under.empty:
        out.append(sentence("under_achievers", lang, items=items(under)))
    carry = carry_over_table(data)
    out.append(sentence("carry_over", lang, count=len(carry)) if len(carry)
               else sentence("carry_over_none", lang))
    return out


def all_sections(data: ReportData) -> dict[str, list[str]]:
    """Every commentary block of the report, keyed by section."""
    sections = {
        "overall": overall(data),
        "indicators": indicators(data),
        "best_worst": best_and_worst(data),
        "lagging": lagging(data),
        "changes": changes(data),
        "data_quality": data_quality(data),
    }
    if data.params.period == "FY":
        sections["year_end"] = year_end(data)
    return sections


__all__ = ["all_sections", "best_and_worst", "carry_over_table", "changes", "data_quality",
           "indicators", "is_behind", "lagging", "overall", "year_end"]
