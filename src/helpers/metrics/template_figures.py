"""What a district's return template is pre-filled with: per figure to report (an indicator's
own figure, each of its stages, a share's numerator and denominator), the district's annual
target, the plan's dated requirements, its last reported cumulative figure on or before the
template's date, and the bounds a new figure must respect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from helpers.core.limits import (
    PLAUSIBLE_MAX_BY_UNIT,
    PLAUSIBLE_MAX_OTHER,
    TEMPLATE_TARGET_FACTOR,
)
from helpers.ingest.catalog import Catalog
from helpers.ingest.returns import IngestResult, columns_of


@dataclass(frozen=True)
class TemplateRow:
    """One figure a district reports in its template."""

    district: str
    group: str
    indicator: str
    stage: str  # "" = the indicator's own figure
    kind: str
    unit: str
    target: int | None  # the district's annual target (count, stock; a stage: its indicator's)
    due: tuple[tuple[dt.date, float], ...]  # the plan's (date, share of target due) for it
    last_value: int | None  # the latest figure dated on or before the template's date
    last_date: dt.date | None
    last_source: str
    minimum: int  # a cumulative figure never goes below its last return
    maximum: int  # a plausible upper bound (a few times the target)


def template_measures(catalog: Catalog, year: int) -> list[tuple[str, str]]:
    """(indicator, stage) of every figure a return carries, in catalogue order: a count's or
    stock's own figure and its stages, a task's stages, and the parts of a share that are not
    reference figures (the elderly population comes from the catalogue, not the districts), the
    measures of the year's plan targets."""
    parts = {part for ind in catalog.indicators if ind.kind == "share"
             for part in (ind.numerator, ind.denominator)}
    parts |= set(catalog.plan_measures(year))
    measures: list[tuple[str, str]] = []
    for ind in catalog.indicators:
        if ind.kind in ("count", "stock"):
            measures.append((ind.code, ""))
        elif ind.kind == "measure":
            if ind.code in parts and not catalog.reference(ind.code, year):
                measures.append((ind.code, ""))
            continue
        elif ind.kind != "task":
            continue  # a share: its parts are reported
        measures.extend((ind.code, stage.code) for stage in catalog.stages_for(ind.code))
    return measures


def upper_bound(kind: str, unit: str, target: int | None, last: int | None) -> int:
    """A plausible largest figure: done (1) for a task stage, else a few times the target
    (TEMPLATE_TARGET_FACTOR) and never below the last return; without a target, the
    plausible maximum of the unit."""
    if kind == "task":
        return 1
    if target:
        return max(target * TEMPLATE_TARGET_FACTOR, last or 0)
    return PLAUSIBLE_MAX_BY_UNIT.get(unit, PLAUSIBLE_MAX_OTHER)


def template_rows(result: IngestResult, as_of: dt.date,
                  districts: list[str] | None = None) -> list[TemplateRow]:
    """Every figure each district reports (allocated districts, catalogue order; or
    `districts`), pre-filled from the allocation and the returns dated on or before `as_of`."""
    catalog, year = result.catalog, result.year
    allocated = set(result.allocation["district"])
    names = districts or [d.name for d in catalog.districts
                          if not allocated or d.name in allocated]
    targets = {(d, c): int(t) for d, c, t in columns_of(result.allocation, "district",
                                                          "indicator", "target")}
    latest: dict[tuple[str, str, str], tuple[dt.date, int, str]] = {}
    for d, c, s, day, value, source in columns_of(result.progress, "district", "indicator",
                                                   "stage", "as_of", "value", "source"):
        if day <= as_of and ((d, c, s) not in latest or day >= latest[(d, c, s)][0]):
            latest[(d, c, s)] = (day, int(value), source)
    measures = template_measures(catalog, year)
    rows = []
    for name in names:
        group = catalog.district_by_name[name].supervision_group
        for code, stage in measures:
            ind = catalog.indicator(code)
            target = targets.get((name, code)) if ind.allocated else None
            due = tuple((m.date, m.share_due) for m in catalog.checkpoints_for(code, year)
                        if m.stage == stage)
            day, value, source = latest.get((name, code, stage), (None, None, ""))
            cumulative = ind.cumulative
            rows.append(TemplateRow(
                name, group, code, stage, ind.kind, ind.unit, target, due, value, day, source,
                minimum=(value or 0) if cumulative else 0,
                maximum=upper_bound(ind.kind, ind.unit, target, value)))
    return rows
