"""Everything one report shows, computed once from the validated inputs and the parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from helpers.catalog import Catalog
from helpers.errors import ParameterError
from helpers.ingest import IngestResult, ingest_year, raise_for_errors
from helpers.parameters import PERIOD_END, PERIODS, ReportParameters
from helpers.problems import Problem
from helpers.progress_metrics import (
    district_indicator_table,
    district_scores,
    indicator_summary,
    is_behind,
    status_counts,
    timeline,
)

PREVIOUS_PERIOD = {"Q1": None, "H1": "Q1", "Q3": "H1", "FY": "Q3"}


@dataclass
class ReportData:
    """The tables of one report; every figure shown anywhere is a cell of one of these."""

    params: ReportParameters
    catalog: Catalog
    report_date: dt.date
    data_as_of: dt.date | None
    table: pd.DataFrame  # district x indicator (progress_metrics.DISTRICT_INDICATOR_COLUMNS)
    summary: pd.DataFrame  # city level per indicator
    scores: pd.DataFrame  # district, mean_completion, rank
    timeline: pd.DataFrame  # as_of, indicator, target, actual, completion, milestone
    previous_period: str | None
    previous_summary: pd.DataFrame | None
    previous_table: pd.DataFrame | None
    inputs: pd.DataFrame  # path, kind, as_of, figures, size, sha256 (the files this report uses)
    warnings: list[Problem] = field(default_factory=list)
    demo_inputs: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return status_counts(self.summary)

    @property
    def lagging(self) -> pd.DataFrame:
        """Items behind their milestone, by supervision group, worst first."""
        behind = self.table[[is_behind(s, m) for s, m in
                             zip(self.table["status"], self.table["milestone"], strict=True)]]
        order = {d.name: d.order for d in self.catalog.districts}
        return (behind.assign(_g=behind["supervision_group"].map(_group_order),
                              _d=behind["district"].map(order))
                .sort_values(["_g", "_d", "gap_pp"], kind="stable")
                .drop(columns=["_g", "_d"]).reset_index(drop=True))


def _group_order(name: str) -> int:
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


def build_report_data(params: ReportParameters, result: IngestResult | None = None) -> ReportData:
    """Compute every table of the report for `params` (ingesting unless `result` is given)."""
    result = result or load_validated(params)
    catalog = result.catalog
    districts = ([catalog.district_name(d) for d in params.districts]
                 if params.districts else None)
    date = params.report_date
    lag = params.serious_lag_pp
    table = district_indicator_table(result.allocation, result.progress, catalog, date, lag,
                                     districts)
    summary = indicator_summary(table, catalog, date, lag)
    previous = PREVIOUS_PERIOD[params.period]
    previous_table = previous_summary = None
    if previous:
        month, day = PERIOD_END[previous]
        previous_date = dt.date(params.year, month, day)
        if any(d <= previous_date for d in result.progress["as_of"]):
            previous_table = district_indicator_table(result.allocation, result.progress,
                                                      catalog, previous_date, lag, districts)
            previous_summary = indicator_summary(previous_table, catalog, previous_date, lag)
    dates = [d for d in result.progress["as_of"] if d <= date]
    used = used_inputs(result, date)
    inputs = pd.DataFrame(
        [(i.path, i.kind, i.as_of, i.figures, *_size_and_hash(result, i.path)) for i in used],
        columns=["path", "kind", "as_of", "figures", "size", "sha256"])
    return ReportData(
        params=params, catalog=catalog, report_date=date,
        data_as_of=max(dates) if dates else None, table=table, summary=summary,
        scores=district_scores(table),
        timeline=timeline(result.allocation, result.progress, catalog, date, districts),
        previous_period=previous, previous_summary=previous_summary,
        previous_table=previous_table, inputs=inputs,
        warnings=report_warnings(result, date),
        demo_inputs=[p for p in result.demo_inputs if p in set(inputs["path"])],
    )


def used_inputs(result: IngestResult, date: dt.date) -> list:
    """The input files a report dated `date` depends on: catalogues, allocation, and returns
    dated on or before it (later returns are validated but do not change its figures)."""
    return [i for i in result.inputs if i.as_of is None or i.as_of <= date]


def _size_and_hash(result: IngestResult, rel: str) -> tuple[int, str]:
    """As the run read the file (its snapshot), never re-read from disk."""
    record = result.file_record(rel)
    return record["size"], record["sha256"]


def report_warnings(result: IngestResult, date: dt.date) -> list[Problem]:
    """The validation warnings that concern returns dated on or before `date`."""
    return [w for w in result.warnings if _warning_applies(w, date)]


def _warning_applies(problem: Problem, date: dt.date) -> bool:
    """Warnings about returns dated after the report date do not belong in this report."""
    for text in (problem.location, problem.file, problem.message):
        for token in text.replace("(", " ").replace(")", " ").split():
            try:
                if dt.date.fromisoformat(token.strip(",:")) > date:
                    return False
            except ValueError:
                continue
    return True


__all__ = ["PERIODS", "ReportData", "build_report_data", "load_validated"]
