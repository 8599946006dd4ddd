"""The units a brief is sent to (one district, or one supervision group and its districts) and
the part of the city report's one computation each brief shows: its rows are the city report's
own rows of that unit's districts, its ranks the city ranks, and a group's subtotals the city
rules applied to the group's districts (helpers.metrics.progress.indicator_summary). So every
figure in a brief is a figure of the city report, and the briefs of all units add up to it."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import pandas as pd

from helpers.metrics.checkpoints import checkpoint_summary
from helpers.metrics.derived_tables import previous_date
from helpers.metrics.ledger_view import ledger_view
from helpers.metrics.progress import indicator_summary
from helpers.metrics.report_data import ReportData, group_order

BY = ("district", "group")  # also helpers.publish.index_page.BRIEF_BY


_UNSAFE_IN_NAME = re.compile(r"[^\w]", re.UNICODE)  # \w keeps letters and digits of any script


@dataclass(frozen=True)
class BriefUnit:
    """Who a brief is for: one district, or one supervision group and its districts."""

    by: str  # "district" or "group"
    name: str  # the catalogue's name of the district or group
    stem: str  # the file name without extension: 01-鹿城区, 1-第一组
    districts: tuple[str, ...]  # catalogue order


def file_stem(number: int, name: str) -> str:
    """01-鹿城区: the unit's number and name, reduced to letters and digits (a name from the
    catalogue can never make a path)."""
    clean = _UNSAFE_IN_NAME.sub("", name)[:30]
    return f"{number:02d}-{clean}" if clean else f"{number:02d}"


def brief_units(data: ReportData, by: str) -> list[BriefUnit]:
    """The units of the report's districts, in catalogue (or group) order, each with a file
    name of its own (distinct_stems)."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
    names = data.districts
    if by == "district":
        units = [BriefUnit(by, name, file_stem(data.catalog.district_by_name[name].order, name),
                           (name,)) for name in names]
    else:
        groups: dict[str, list[str]] = {}
        for name in names:
            groups.setdefault(data.catalog.district_by_name[name].supervision_group,
                              []).append(name)
        ordered = sorted(groups, key=lambda g: (group_order(g), g))
        units = [BriefUnit(by, group, file_stem(number, group), tuple(groups[group]))
                 for number, group in enumerate(ordered, start=1)]
    return distinct_stems(units)


def distinct_stems(units: list[BriefUnit]) -> list[BriefUnit]:
    """Units whose file names would be the same (names that differ only in punctuation, a
    number shared in the catalogue) each get a short hash of their full name added, so that no
    brief ever overwrites another: 01-鹿城区-3f2a9c."""
    import hashlib

    counts: dict[str, int] = {}
    for unit in units:
        counts[unit.stem.casefold()] = counts.get(unit.stem.casefold(), 0) + 1
    return [dataclasses.replace(unit, stem=f"{unit.stem}-"
                                f"{hashlib.sha256(unit.name.encode()).hexdigest()[:6]}")
            if counts[unit.stem.casefold()] > 1 else unit for unit in units]


def unit_report_data(data: ReportData, unit: BriefUnit, title: str) -> ReportData:
    """The city report's data restricted to the unit's districts, under the brief's `title`
    (helpers.words.brief_findings.brief_title): the same rows, city ranks, and the unit's own
    subtotals by the city's rules. Needs the computation's FigureIndex (ReportData.figures);
    the written sections of the city report are left out."""
    if data.figures is None:
        raise ValueError("the report data was built without its figure index")
    keep = set(unit.districts)

    def mine(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        return frame[frame["district"].isin(keep)].reset_index(drop=True)

    params = data.params.replace(districts=list(unit.districts), doc_number=None)
    table_ = mine(data.table)
    summary = indicator_summary(table_, data.catalog, data.report_date, data.params.rules,
                                data.figures)
    previous_table = mine(data.previous_table)
    previous_summary = None
    if previous_table is not None:
        previous_summary = indicator_summary(previous_table, data.catalog,
                                             previous_date(data), data.params.rules,
                                             data.figures)
    checkpoints = mine(data.checkpoints)
    return dataclasses.replace(
        data, params=params, table=table_, summary=summary, ranking=mine(data.ranking),
        checkpoints=checkpoints, checkpoint_summary=checkpoint_summary(checkpoints,
                                                                       data.report_date),
        forward=mine(data.forward), backtests=data.backtests.iloc[0:0],
        timeline=data.timeline.iloc[0:0], previous_table=previous_table,
        previous_summary=previous_summary,
        ledger=ledger_view(data.ledger_book, data.report_date, list(unit.districts)),
        narrative=None, narrative_left_out=False, ranked_among=data.ranking_size, title=title)


def brief_rows(part: ReportData, unit: BriefUnit) -> pd.DataFrame:
    """tables/unit_indicator.csv's rows of one unit: its subtotal per indicator as judged by
    the city rules (a district's own row when the unit is a district)."""
    frame = part.summary[["indicator", "kind", "unit", "target", "actual", "denominator",
                          "completion", "stage", "judged_actual", "stages_done", "due_units",
                          "shortfall", "status", "district_shortfall"]].copy()
    frame.insert(0, "brief", unit.name)
    return frame
