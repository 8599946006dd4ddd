"""Which indicators a year tracks, and what its plan leaves to the analyst.

The catalogue lists every indicator the bureau has ever tracked; a year tracks those its inputs
give it: a count or stock with a target in the year's allocation, a task with stage dates in
the year's plan (<year>/plan/milestones.csv), a share whose numerator has a figure in the year
(a return or a reference figure). The rest leave that year's reports,
so a 2019 without 一键通 never reports it. What the plan does not settle is a warning, which
validate prints and the report states: a year without a plan (everything follows time
progress), plan rows for an indicator the year does not track, rows drafted by `new-year` and
not yet confirmed, and figures returned for a task the year has no plan for."""

from __future__ import annotations

import pandas as pd

from helpers.core.problems import (
    NO_PLAN,
    NOT_TRACKED,
    PLAN_DRAFT,
    PLAN_IGNORED,
    PLAN_TARGET_IGNORED,
    PLAN_TARGET_UNREPORTED,
    WARNING,
    Problem,
    line_location,
    split_source,
)
from helpers.ingest.catalog import DRAFT_MARK, Catalog, plan_file


def year_indicators(catalog: Catalog, year: int, allocation: pd.DataFrame,
                    progress: pd.DataFrame, plan_files: list[str]
                    ) -> tuple[Catalog, pd.DataFrame, list[Problem]]:
    """The catalogue narrowed to the indicators `year` tracks (the measures and indicators
    they are computed from stay), the returns without figures of indicators left out, and the
    warnings about the year's plan. `plan_files`: the plan files the year has."""
    allocated = set(allocation["indicator"].unique().tolist())
    reported = set(progress["indicator"].unique().tolist())
    referenced = {f.measure for f in catalog.reference_figures if f.year == year}
    kept = []
    for ind in catalog.indicators:
        if ind.kind in ("count", "stock"):
            keep = ind.code in allocated or allocation.empty
        elif ind.kind == "task":
            keep = catalog.is_staged(ind.code, year)
        elif ind.kind == "share":
            # computable only where its numerator is reported (a denominator alone is 无数据)
            keep = ind.numerator in (reported | referenced | allocated)
        else:
            continue  # a measure stays when what it feeds stays (below)
        if keep:
            kept.append(ind.code)
    needed = set(kept)
    for ind in catalog.indicators:
        if ind.code in needed and ind.kind == "share":
            needed |= {ind.numerator, ind.denominator}
    plan = [t for t in catalog.plan_targets if t.year == year]
    # a plan target on a measure (one 精英培训班 in every district) or beside one (the persons
    # 一键通 serves): the measure is the year's, so that its return templates ask for it; the
    # target is judged once a return reports it (helpers.metrics.plan_targets)
    needed |= {t.indicator for t in plan if t.per_district is not None}
    needed |= {t.reported for t in plan if t.reported and t.indicator in needed}
    needed |= {t.denominator for t in plan if t.denominator and t.indicator in needed}
    narrowed = catalog.narrowed(needed)
    problems = _plan_warnings(catalog, year, needed, plan_files)
    for t in plan:
        if t.per_district is not None and len(progress) and t.indicator not in reported:
            problems.append(Problem(
                plan_file(year, "plan_targets.csv"), line_location(t.line),
                f"plan target {t.code} is measured by {t.indicator}, which no return of {year} "
                "reports: it is left out of the reports until a return carries it", WARNING,
                kind=PLAN_TARGET_UNREPORTED, indicator=t.indicator))
    tracked = progress["indicator"].isin(needed).to_numpy()
    if tracked.all():  # the usual case: nothing left out, the table as it came
        return narrowed, progress, problems
    left_out = progress[~tracked]
    kinds = {i.code: i.kind for i in catalog.indicators}
    for code, rows in left_out.groupby("indicator", sort=True):
        if kinds[code] in ("count", "stock"):
            continue  # a figure without a target is an error of its own (ingest's cross-checks)
        why = (f"no stage dates in {plan_file(year, 'milestones.csv')}"
               if kinds[code] == "task" else "no indicator of the year is computed from it")
        problems.append(Problem(
            *split_source(rows.iloc[0]["source"]),
            f"{code}: {len(rows)} figure(s) returned, but {year} does not track it ({why}): "
            f"left out of {year}'s reports", WARNING, kind=NOT_TRACKED, indicator=code,
            value=len(rows)))
    return narrowed, progress[tracked], problems


def _plan_warnings(catalog: Catalog, year: int, tracked: set[str],
                   plan_files: list[str]) -> list[Problem]:
    milestones = plan_file(year, "milestones.csv")
    problems = []
    if milestones not in plan_files:
        problems.append(Problem(
            milestones, "",
            f"{year} has no plan: every indicator follows time progress, no stage is judged "
            "and no task is tracked; `python -m helpers new-year` drafts one from the year "
            "before (README, \"A new year\")", WARNING, kind=NO_PLAN))
    ignored: dict[str, list[int]] = {}
    for m in catalog.milestones:
        if m.date.year == year and m.indicator not in tracked:
            ignored.setdefault(m.indicator, []).append(m.line)
    for code, lines in ignored.items():
        problems.append(Problem(milestones, line_location(lines[0]),
                                f"{code} has plan rows (line(s) {_lines(lines)}) but no target "
                                f"in {year}'s allocation: they are ignored", WARNING,
                                kind=PLAN_IGNORED, indicator=code))
    for t in catalog.plan_targets:
        if t.year == year and t.indicator not in tracked:
            problems.append(Problem(
                plan_file(year, "plan_targets.csv"), line_location(t.line),
                f"plan target {t.code} is measured by {t.indicator}, which {year} does not "
                "track: it is left out", WARNING, kind=PLAN_TARGET_IGNORED,
                indicator=t.indicator))
    drafts = {
        "milestones.csv": [m.line for m in catalog.milestones
                           if m.date.year == year and m.note.startswith(DRAFT_MARK)],
        "reference_figures.csv": [f.line for f in catalog.reference_figures
                                  if f.year == year and f.source.startswith(DRAFT_MARK)],
    }
    for name, lines in drafts.items():
        if lines:
            problems.append(Problem(
                plan_file(year, name), line_location(lines[0]),
                f"{len(lines)} row(s) (line(s) {_lines(lines)}) are a draft carried over from "
                f"the year before ({DRAFT_MARK}): confirm each against {year}'s documents and "
                f"remove {DRAFT_MARK}", WARNING, kind=PLAN_DRAFT, value=len(lines)))
    return problems


def _lines(lines: list[int]) -> str:
    """2-9 for a run of lines, else 2, 5, 7."""
    lines = sorted(lines)
    if lines == list(range(lines[0], lines[-1] + 1)) and len(lines) > 2:
        return f"{lines[0]}-{lines[-1]}"
    return ", ".join(str(n) for n in lines)
