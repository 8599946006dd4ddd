"""A year's plan (data/raw/<year>/plan/): the milestone schedules and stage dates, the reference
figures that share indicators divide by, the work plan's headline targets. Each year's is its
own folder, so writing next year's plan never touches a file this year's reports were built
from; every date lies in its year and a `year` column, where a file has one, names it."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from helpers.core.errors import CatalogError
from helpers.ingest.catalog_files import decimal_number, fraction, iso_date, present, read_rows
from helpers.ingest.normalize import NotANumber, district_key, parse_number

# The loaders take the catalogue's indicators, stages and districts (helpers.ingest.catalog's
# dataclasses, which import this module) as plain lists.

PLAN_FILES = ("milestones.csv", "reference_figures.csv", "plan_targets.csv")  # each optional
PLAN_FOLDER = "{year}/plan"
# A row of a plan drafted by `new-year` (carried over from the year before) says so in its note
# or source until the analyst confirms it; validate warns about each, and so does the report.
DRAFT_MARK = "待确认"


@dataclass(frozen=True)
class Milestone:
    """Share of an indicator's target due by a date; with `stage`, the share of the target that
    must have reached that stage (选址 of every centre by 30 June)."""

    indicator: str
    date: dt.date
    share_due: float
    note: str = ""
    stage: str = ""  # "" = the indicator's own figure
    line: int = 0  # line of <year>/plan/milestones.csv


@dataclass(frozen=True)
class ReferenceFigure:
    """A figure per district that does not come from the returns (elderly population)."""

    year: int
    measure: str
    district: str
    value: int
    source: str = ""
    demo: bool = False  # an illustrative figure, not an official statistic
    line: int = 0  # line of <year>/plan/reference_figures.csv, for provenance

    @property
    def ref(self) -> str:
        """Where the figure comes from, as sources are written: file:line."""
        return f"{plan_file(self.year, 'reference_figures.csv')}:{self.line}"


@dataclass(frozen=True)
class PlanTarget:
    """A headline target of a work plan (民生实事, seed 000) beside the allocation that splits it
    (seed 001): its own figure, the indicator that measures it and, where the two documents
    differ, the sentence that reconciles them."""

    year: int
    code: str
    name_zh: str  # 示范型居家养老中心
    name_en: str
    document: str  # 温民福〔2018〕58号
    clause: str  # 工作目标1
    quote_zh: str  # the plan's words, verbatim
    indicator: str  # the indicator that measures it
    stage: str  # "" = the indicator's own figure; a task's stage every district delivers
    denominator: str  # a share's: the reference measure it is taken of
    target: int | None  # a count (40 centres), or None
    threshold: float | None  # a share (50% of communities), or None
    due: dt.date
    allocation_document: str
    allocation_clause: str
    allocation_value: float | None  # 45 centres, 60% of communities; None: the same words
    reconciliation_zh: str
    reconciliation_en: str
    source: str
    line: int = 0
    # a figure every district reaches (one 精英培训班 a year), judged district by district on
    # a measure the returns report; None: the target is a count, a share or a task
    per_district: int | None = None
    # a measure the returns report, shown beside the target without a judgement (the persons
    # the 一键通 service reaches: the plan sets no number); "" = none
    reported: str = ""

    @property
    def measures(self) -> tuple[str, ...]:
        """The measures of the returns it follows: the one every district reaches
        (per_district), the one shown beside it (reported)."""
        return tuple(code for code in (self.indicator if self.per_district is not None else "",
                                       self.reported) if code)

    @property
    def ref(self) -> str:
        """Where the target is written down, for provenance."""
        return f"{plan_file(self.year, 'plan_targets.csv')}:{self.line}"


def plan_file(year: int, name: str) -> str:
    """A file of a year's plan, relative to the raw folder: 2019/plan/milestones.csv."""
    return f"{PLAN_FOLDER.format(year=year)}/{name}"


def load_milestones(root: Path, year: int, indicators: list, stages: list,
                     snapshot) -> list[Milestone]:
    """<year>/plan/milestones.csv (optional: without it, every indicator of the year follows
    time progress and no task is tracked; ingest warns)."""
    rel = plan_file(year, "milestones.csv")
    if not present(root, rel, snapshot):
        return []
    codes = {i.code for i in indicators}
    stage_keys = {(s.indicator, s.code) for s in stages}
    milestones = []
    for line, row in read_rows(root, rel, ["indicator", "date", "share_due"], snapshot):
        where = f"{rel} line {line}"
        if row["indicator"] not in codes:
            raise CatalogError(f"{where}: unknown indicator {row['indicator']!r}")
        date = iso_date(row["date"], where, "date")
        if date.year != year:
            raise CatalogError(f"{where}: date {date} is outside {year} (a year's plan holds "
                               "that year's dates only)")
        share = fraction(row["share_due"], where, "share_due")
        stage = row.get("stage", "")
        if stage and (row["indicator"], stage) not in stage_keys:
            raise CatalogError(f"{where}: stage {stage!r} of {row['indicator']} is not in "
                               "catalog/stages.csv")
        milestones.append(Milestone(row["indicator"], date, share, row.get("note", ""), stage,
                                    line))
    _cumulative(milestones, rel)
    return milestones


def _cumulative(milestones: list[Milestone], rel: str) -> None:
    """An indicator's (or stage's) milestones are cumulative: one per date, none below an
    earlier one's share (which of two would a district be judged by?)."""
    by_step: dict[tuple[str, str], list[Milestone]] = {}
    for milestone in milestones:
        by_step.setdefault((milestone.indicator, milestone.stage), []).append(milestone)
    for (indicator, stage), steps in by_step.items():
        named = indicator + (f" {stage}" if stage else "")
        steps = sorted(steps, key=lambda m: (m.date, m.line))
        for before, after in itertools.pairwise(steps):
            where = f"{rel} line {after.line}"
            if after.date == before.date:
                raise CatalogError(f"{where}: {named} has a milestone on {after.date} already "
                                   f"(line {before.line}); give one per date")
            if after.share_due < before.share_due:
                raise CatalogError(f"{where}: {named}'s share_due {after.share_due:g} by "
                                   f"{after.date} is below {before.share_due:g} by "
                                   f"{before.date} (line {before.line}); a milestone is "
                                   "cumulative")


def _row_year(row: dict[str, str], year: int, where: str) -> None:
    """A plan file's optional year column must name the folder's year."""
    if row.get("year", "") not in ("", str(year)):
        raise CatalogError(f"{where}: year {row['year']!r} is not {year}, the year of the "
                           "plan folder")


def load_reference_figures(root: Path, year: int, indicators: list,
                            districts: list, snapshot) -> list[ReferenceFigure]:
    rel = plan_file(year, "reference_figures.csv")
    if not present(root, rel, snapshot):
        return []
    measures = {i.code for i in indicators if i.kind == "measure"}
    # a district by its name or any alias, as every other input names it
    names = {district_key(name): d.name for d in districts
             for name in (d.name, *d.aliases)}
    figures, seen = [], {}  # seen: (measure, district): line
    for line, row in read_rows(root, rel, ["measure", "district", "value", "source"],
                                snapshot):
        where = f"{rel} line {line}"
        _row_year(row, year, where)
        if row["measure"] not in measures:
            raise CatalogError(f"{where}: {row['measure']!r} is not a measure of "
                               "catalog/indicators.csv")
        district = names.get(district_key(row["district"]))
        if district is None:
            raise CatalogError(f"{where}: unknown district {row['district']!r}")
        try:
            number = parse_number(row["value"])
        except (ValueError, NotANumber) as exc:
            raise CatalogError(f"{where}, column value: {exc}") from exc
        if number is None or number < 0 or number != number.to_integral_value():
            raise CatalogError(f"{where}: value {row['value']!r} is not a whole number >= 0")
        if (row["measure"], district) in seen:
            raise CatalogError(f"{where}: {row['measure']} of {district} is given on line "
                               f"{seen[(row['measure'], district)]} already; give it once")
        seen[(row["measure"], district)] = line
        figures.append(ReferenceFigure(year, row["measure"], district, int(number),
                                       row["source"],
                                       row.get("demo", "").lower() in ("true", "1", "yes"),
                                       line))
    return figures


PLAN_TARGET_COLUMNS = ["code", "name_zh", "name_en", "document", "clause", "quote_zh",
                       "indicator", "stage", "denominator", "target", "threshold", "due",
                       "allocation_document", "allocation_clause", "allocation_value",
                       "reconciliation_zh", "reconciliation_en", "source"]


def load_plan_targets(root: Path, year: int, indicators: list,
                       stages: list, snapshot) -> list[PlanTarget]:
    """<year>/plan/plan_targets.csv (optional): the work plan's headline targets."""
    rel = plan_file(year, "plan_targets.csv")
    if not present(root, rel, snapshot):
        return []
    codes = {i.code: i for i in indicators}
    stage_keys = {(s.indicator, s.code) for s in stages}
    targets, seen = [], set()
    for line, row in read_rows(root, rel, PLAN_TARGET_COLUMNS, snapshot):
        where = f"{rel} line {line}"
        _row_year(row, year, where)
        indicator = codes.get(row["indicator"])
        per_district = _per_district(row.get("per_district", ""), where)
        if indicator is None or (indicator.kind == "measure") != (per_district is not None):
            raise CatalogError(
                f"{where}: indicator {row['indicator']!r} is not an indicator of indicators.csv"
                if indicator is None or per_district is None else
                f"{where}: per_district {row['per_district']!r} is a figure every district "
                f"reaches on a measure of indicators.csv, and {row['indicator']} is not one")
        reported = row.get("reported", "")
        if reported and getattr(codes.get(reported), "kind", "") != "measure":
            raise CatalogError(f"{where}: reported {reported!r} is not a measure of "
                               "indicators.csv")
        if row["stage"] and (row["indicator"], row["stage"]) not in stage_keys:
            raise CatalogError(f"{where}: {row['indicator']} has no stage {row['stage']!r} "
                               "in catalog/stages.csv")
        due = iso_date(row["due"], where, "due")
        try:
            target = parse_number(row["target"]) if row["target"] else None
        except (ValueError, NotANumber) as exc:
            raise CatalogError(f"{where}, column target: {exc}") from exc
        allocation = (decimal_number(row["allocation_value"], where, "allocation_value")
                      if row["allocation_value"] else None)
        threshold = (fraction(row["threshold"], where, "threshold") if row["threshold"]
                     else None)
        measure = codes.get(row["denominator"])
        if (threshold is None) != (not row["denominator"]) or (
                row["denominator"] and (measure is None or measure.kind != "measure")):
            raise CatalogError(f"{where}: a share (threshold) is taken of a measure of "
                               "indicators.csv (denominator), and only a share")
        if (target is None) == (threshold is None) and indicator.kind not in ("task",
                                                                            "measure"):
            raise CatalogError(f"{where}: give a target (a count) or a threshold (a share), "
                               "one of them")
        if per_district is not None and (target is not None or threshold is not None):
            raise CatalogError(f"{where}: a per_district target has no target or threshold "
                               "of its own")
        if target is not None and (target <= 0 or target != target.to_integral_value()):
            raise CatalogError(f"{where}: target {row['target']!r} is not a whole number > 0")
        if (year, row["code"]) in seen:
            raise CatalogError(f"{where}: plan target {row['code']!r} is listed twice")
        seen.add((year, row["code"]))
        targets.append(PlanTarget(
            year, row["code"], row["name_zh"], row["name_en"], row["document"], row["clause"],
            row["quote_zh"], row["indicator"], row["stage"], row["denominator"],
            None if target is None else int(target), threshold,
            due, row["allocation_document"], row["allocation_clause"], allocation,
            row["reconciliation_zh"], row["reconciliation_en"], row["source"], line,
            per_district, reported))
    return targets


def _per_district(text: str, where: str) -> int | None:
    """per_district: a whole number of at least 1, or empty."""
    if not text:
        return None
    if not re.fullmatch(r"[1-9][0-9]{0,5}", text):
        raise CatalogError(f"{where}: per_district {text!r} is not a whole number of at least 1")
    return int(text)


def plan_years(raw_dir: Path) -> list[int]:
    """The years with a plan folder under the raw folder."""
    try:
        entries = sorted(Path(raw_dir).iterdir())
    except OSError:
        return []
    return [int(p.name) for p in entries
            if re.fullmatch(r"[0-9]{4}", p.name) and (p / "plan").is_dir()]
