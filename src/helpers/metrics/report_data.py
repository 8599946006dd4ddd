"""Everything one report shows, computed once from the validated inputs and the parameters."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pandas as pd

from helpers.core.errors import ParameterError
from helpers.core.parameters import PERIOD_END, PERIODS, ReportParameters
from helpers.core.problems import Problem
from helpers.core.statuses import SEVERITY
from helpers.ingest.catalog import Catalog
from helpers.ingest.ledger_book import Ledger
from helpers.ingest.returns import IngestResult, has_allocation, ingest_year, raise_for_errors
from helpers.ingest.written_section_files import edition_of, narrative_rel
from helpers.metrics.checkpoints import checkpoint_summary, checkpoint_table
from helpers.metrics.forward_look import BACKTEST_COLUMNS, backtest, forward_table
from helpers.metrics.ledger_view import LedgerView, ledger_view
from helpers.metrics.plan_targets import PLAN_COLUMNS, plan_target_table
from helpers.metrics.progress import (
    FigureIndex,
    district_indicator_table,
    indicator_summary,
    is_behind,
    scope_districts,
    status_counts,
    timeline,
)
from helpers.metrics.ranking import district_ranking
from helpers.metrics.year_on_year import YOY_COLUMNS, year_on_year_table

# The report each one compares with: the year end looks back to mid-year ("since mid-year", as
# year-end reports are written), the others to the quarter before.
PREVIOUS_PERIOD = {"Q1": None, "H1": "Q1", "Q3": "H1", "FY": "H1"}

T = TypeVar("T")


@dataclass
class ReportData:
    """The tables of one report; every figure shown anywhere is a cell of one of these."""

    params: ReportParameters
    catalog: Catalog
    report_date: dt.date
    data_as_of: dt.date | None
    table: pd.DataFrame  # district x indicator (progress_metrics.DISTRICT_INDICATOR_COLUMNS)
    summary: pd.DataFrame  # city level per indicator
    ranking: pd.DataFrame  # the 通报: districts ranked (district_ranking.RANKING_COLUMNS)
    checkpoints: pd.DataFrame  # dated requirements by district (checkpoints.CHECKPOINT_COLUMNS)
    checkpoint_summary: pd.DataFrame  # the same per checkpoint over the districts
    forward: pd.DataFrame  # run-rate projections (forward_look.FORWARD_COLUMNS); empty at FY
    backtests: pd.DataFrame  # year end: how the projections of Q1, H1, Q3 fared (BACKTEST_COLUMNS)
    timeline: pd.DataFrame  # as_of, indicator, target, actual, completion, milestone
    previous_period: str | None
    previous_summary: pd.DataFrame | None
    previous_table: pd.DataFrame | None
    inputs: pd.DataFrame  # path, kind, as_of, figures, size, sha256 (the files this report uses)
    warnings: list[Problem] = field(default_factory=list)
    demo_inputs: list[str] = field(default_factory=list)
    # the problem ledger at the report date (helpers.ingest.ledger_book)
    ledger: LedgerView | None = None  # the problem ledger at the report date
    # the work plan's headline targets (helpers.metrics.plan_targets); none in a report on
    # selected districts: they are the city's
    plan_targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=PLAN_COLUMNS))
    # at year end, beside the previous year's (helpers.metrics.year_on_year); empty without it
    previous_year: int | None = None
    year_on_year: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=YOY_COLUMNS))
    # The period's written-section file as read (its check needs the finished tables above).
    narrative_source: bytes | None = None
    # Set by the words phase (helpers.words.report_text.with_words), never here: the checked
    # written sections (helpers.words.written_sections.Narrative) and the generated findings.
    narrative: object | None = None
    findings: dict[str, list[str]] | None = None
    main_text: object | None = None  # helpers.words.main_text.MainText
    narrative_left_out: bool = False  # a report on selected districts leaves the city text out
    narrative_in_chinese_only: bool = False  # an English edition without <period>.en.md
    # A title of its own (a brief's, made from the unit's name), in place of the parameters'
    # (helpers.words.labels.document_title); None: the report's title.
    title: str | None = None
    # What the tables above were computed from, kept so a part of the report (a district's or
    # a group's brief, helpers.render.brief_page) is cut from this one computation, not a second
    # reading.
    figures: FigureIndex | None = None  # every reported figure, by district and date
    ranked_among: int | None = None  # a brief's ranks are among this many (the city's) districts
    ledger_book: Ledger | None = None  # the whole problem ledger (`ledger` is its view)
    # A report published again over its previous publication: that publication's judged
    # facts (its tables/facts.csv, as published; helpers.publish.report_pipeline sets it), whose
    # figures that differ now are marked 修订 (helpers.metrics.derived_tables.revisions).
    previous_publication: pd.DataFrame | None = None

    def once(self, name: str, make: Callable[[], T]) -> T:
        """What `make()` gives, made the first time `name` is asked of this report and kept on
        it, as a cached_property is (for tables worked out in other modules of the phase)."""
        kept = vars(self)
        if name not in kept:
            kept[name] = make()
        return kept[name]

    @property
    def counts(self) -> dict[str, int]:
        """Indicators (city level) per status."""
        return status_counts(self.summary)

    @property
    def ranking_size(self) -> int:
        """How many districts the ranks compare: those ranked here, or the city's in a brief."""
        return self.ranked_among if self.ranked_among is not None else len(self.ranking)

    @functools.cached_property
    def table_rows(self) -> list:
        """The table's rows as named tuples (Index first), read once for the sections' many
        look-ups (iterating a frame costs as much for three rows as for all of them)."""
        return list(self.table.itertuples())

    @functools.cached_property
    def row_of(self) -> dict[tuple[str, str], object]:
        """The table row of each (district, indicator)."""
        return {(r.district, r.indicator): r for r in self.table_rows}

    @functools.cached_property
    def districts(self) -> list[str]:
        """The districts of the report, in catalogue order."""
        present = set(self.table["district"])
        return [d.name for d in self.catalog.districts if d.name in present]

    @functools.cached_property
    def lagging(self) -> pd.DataFrame:
        """Items behind what is due, by supervision group and district, and within a district
        the most serious status first (严重滞后, 未启动, 未完成, 逾期未完成 before 滞后 before
        未达标), then the largest gap in points. Worked out once (many sections ask)."""
        behind = self.table[self.table["status"].map(is_behind)]
        order = {d.name: d.order for d in self.catalog.districts}
        return (behind.assign(_g=behind["supervision_group"].map(group_order),
                              _d=behind["district"].map(order),
                              _s=-behind["status"].map(SEVERITY))
                .sort_values(["_g", "_d", "_s", "gap_pp"], kind="stable")
                .drop(columns=["_g", "_d", "_s"]).reset_index(drop=True))


def group_order(name: str) -> int:
    """A supervision group's place: 第一组 1, 第二组 2, ...; any other name after them."""
    digits = "一二三四五六七八九十"
    for position, digit in enumerate(digits, start=1):
        if name.startswith(f"第{digit}组"):
            return position
    return 99


def load_validated(params: ReportParameters, raw_root=None) -> IngestResult:
    """Ingest the year's raw data (from `raw_root` instead of params.raw_path when given) and
    stop with every error if there is any."""
    result = ingest_year(raw_root or params.raw_path, params.year)
    raise_for_errors(result)
    if params.districts:
        unknown = [d for d in params.districts if result.catalog.district_name(d) is None]
        if unknown:
            raise ParameterError(f"districts: unknown district(s) {', '.join(unknown)}")
    return result


def previous_year_data(params: ReportParameters, snapshot) -> ReportData | None:
    """The previous year's year-end report data, when its raw data are there (the year-end
    report compares with it: 比上年); None otherwise. Its files join the run's snapshot: they
    are inputs of this report, recorded in its manifest."""
    previous = params.year - 1
    if not has_allocation(snapshot.root, previous):
        return None
    # the document's own 文号, 成文日期 and title belong to this report, not to that year's
    last = params.replace(year=previous, period="FY", doc_number=None, drafting_date=None,
                          title=None)
    result = load_validated(last, snapshot.root)
    data = build_report_data(last, result, with_previous_year=False)
    prefix = f"{previous}/"
    snapshot.files.update({rel: file for rel, file in result.snapshot.files.items()
                           if rel.startswith(prefix)})
    return data


def build_report_data(params: ReportParameters, result: IngestResult | None = None,
                      with_previous_year: bool = True) -> ReportData:
    """Compute every table of the report for `params` (ingesting unless `result` is given); at
    year end, beside the previous year's where its raw data are there."""
    result = result or load_validated(params)
    catalog = result.catalog
    districts = ([catalog.district_name(d) for d in params.districts]
                 if params.districts else None)
    date = params.report_date
    rules = params.rules
    index = FigureIndex(result.progress, catalog, params.year)
    table = district_indicator_table(result.allocation, result.progress, catalog, date, rules,
                                     districts, index)
    summary = indicator_summary(table, catalog, date, rules, index)
    scope = scope_districts(result.allocation, catalog, districts)
    checkpoints = checkpoint_table(result.allocation, index, catalog, date, scope)
    previous = PREVIOUS_PERIOD[params.period]
    previous_table = previous_summary = None
    if previous:
        month, day = PERIOD_END[previous]
        previous_date = dt.date(params.year, month, day)
        if any(d <= previous_date for d in result.progress["as_of"]):
            previous_table = district_indicator_table(result.allocation, result.progress,
                                                      catalog, previous_date, rules, districts,
                                                      index)
            previous_summary = indicator_summary(previous_table, catalog, previous_date, rules,
                                                 index)
    dates = [d for d in result.progress["as_of"] if d <= date]
    used = used_inputs(result, date, params.lang)
    inputs = pd.DataFrame(
        [(i.path, i.kind, i.as_of, i.figures, *_size_and_hash(result, i.path)) for i in used],
        columns=["path", "kind", "as_of", "figures", "size", "sha256"])
    data = ReportData(
        params=params, catalog=catalog, report_date=date,
        data_as_of=max(dates) if dates else None, table=table, summary=summary,
        ranking=district_ranking(table, scope, params.ranking_method),
        checkpoints=checkpoints, checkpoint_summary=checkpoint_summary(checkpoints, date),
        forward=(forward_table(table, date, rules) if params.period != "FY"
                 else forward_table(table.iloc[0:0], date, rules)),
        backtests=(past_projections(result, params, index, scope) if params.period == "FY"
                   else pd.DataFrame(columns=BACKTEST_COLUMNS)),
        timeline=run_timeline(timeline(result.allocation, result.progress, catalog, date,
                                       districts, index), summary, catalog, params.year),
        previous_period=previous, previous_summary=previous_summary,
        previous_table=previous_table, inputs=inputs,
        warnings=report_warnings(result, date),
        demo_inputs=[p for p in result.demo_inputs if p in set(inputs["path"])],
        ledger=ledger_view(result.ledger, date, list(dict.fromkeys(table["district"]))),
        figures=index, ledger_book=result.ledger,
    )
    if districts is None:
        data.plan_targets = plan_target_table(catalog, table, checkpoints, params.year, date,
                                              list(dict.fromkeys(table["district"])), index)
    if with_previous_year and params.period == "FY":
        last = previous_year_data(params, result.snapshot)
        if last is not None:
            data.previous_year = last.params.year
            data.year_on_year = year_on_year_table(summary, table, last.summary, last.table)
            # its files are inputs of this report too (the manifest records them, verify
            # checks them)
            prefix = f"{last.params.year}/"
            data.inputs = pd.concat([data.inputs, last.inputs[
                last.inputs["path"].str.startswith(prefix)]], ignore_index=True)
            data.demo_inputs += [p for p in last.demo_inputs if p.startswith(prefix)]
    data.narrative_source = result.snapshot.data(narrative_rel(params.year, params.period,
                                                               params.lang))
    data.narrative_left_out = params.districts is not None and data.narrative_source is not None
    # an English edition without its own text: the Chinese one exists, and is left out
    data.narrative_in_chinese_only = (
        params.lang != "zh" and data.narrative_source is None
        and result.snapshot.data(narrative_rel(params.year, params.period)) is not None)
    return data


def run_timeline(frame: pd.DataFrame, summary: pd.DataFrame, catalog: Catalog,
                 year: int) -> pd.DataFrame:
    """The city series of the indicators whose figure runs against a share due over the year:
    not those judged on stages (the centres are judged on 选址 and 装修 before any is built, so a
    line of the built share against time would show what is not judged) nor those whose
    districts all have targets of 1 or 2 (done or not by the deadline, never in points)."""
    small = set(summary.loc[summary["basis"] == "small", "indicator"])
    keep = [code for code in dict.fromkeys(frame["indicator"])
            if not catalog.is_staged(code, year) and code not in small]
    return frame[frame["indicator"].isin(keep)].reset_index(drop=True)


def past_projections(result: IngestResult, params: ReportParameters, index: FigureIndex,
                     scope: list[str]) -> pd.DataFrame:
    """The forward looks of the year's earlier reports (Q1, H1, Q3) compared with what the
    districts had reached at each deadline."""
    rows = []
    for period in PERIODS[:-1]:
        month, day = PERIOD_END[period]
        as_of = dt.date(params.year, month, day)
        if not any(d <= as_of for d in result.progress["as_of"]):
            continue
        table = district_indicator_table(result.allocation, result.progress, result.catalog,
                                         as_of, params.rules, scope, index)
        outcome = backtest(forward_table(table, as_of, params.rules), as_of,
                           lambda d, code, when: index.value(d, code, "", when))
        rows.append(vars(outcome))
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def used_inputs(result: IngestResult, date: dt.date, lang: str = "zh") -> list:
    """The input files a report dated `date` depends on: catalogues, allocation, and returns
    dated on or before it (later returns are validated but do not change its figures), and
    its own period's narrative in its language."""
    return [i for i in result.inputs
            if (i.as_of == date and edition_of(i.path) == lang if i.kind == "narrative"
                else i.as_of is None or i.as_of <= date)]


def _size_and_hash(result: IngestResult, rel: str) -> tuple[int, str]:
    """As the run read the file (its snapshot), never re-read from disk."""
    record = result.file_record(rel)
    return record["size"], record["sha256"]


def report_warnings(result: IngestResult, date: dt.date) -> list[Problem]:
    """The validation warnings that concern returns dated on or before `date`."""
    return [w for w in result.warnings if _warning_applies(w, date)]


def _warning_applies(problem: Problem, date: dt.date) -> bool:
    """Warnings about returns dated after the report date do not belong in this report."""
    return problem.date is None or problem.date <= date


__all__ = ["PERIODS", "ReportData", "build_report_data", "load_validated"]
