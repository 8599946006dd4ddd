"""The report's table columns, defined once for every format: the page and its PDF, the Word
document, the workbook and the briefs read the same Column (its header, its cell as printed, its
cell as a workbook holds it), so a figure reads the same everywhere. What a row shows (a stage's
count or the indicator's own figure, whether a rank means anything) is decided in
helpers.metrics.table_views; here it is only formatted.

A table's rows are objects with attributes (a DataFrame's itertuples(), a namedtuple, a
SimpleNamespace); a column's functions read them."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

from helpers.core.rounding import percent_digits, percent_text
from helpers.core.values import is_missing
from helpers.metrics import derived_tables
from helpers.metrics.facts import CITY
from helpers.metrics.progress import isnan, on_stage
from helpers.metrics.ranking import BEHIND_COUNTS
from helpers.metrics.report_data import ReportData
from helpers.metrics.table_views import shown_actual
from helpers.words.change_words import revised_mark
from helpers.words.formats import (
    checkpoint_stage_text,
    rank_text,
    stage_counts,
    stage_progress_text,
)
from helpers.words.labels import (
    district_label,
    fmt_count,
    fmt_month_day,
    fmt_percent,
    fmt_pp,
    fmt_share,
    group_label,
    indicator_label,
    label,
    period_label,
    requirement_text,
    stage_label,
    status_label,
    total_label,
    unit_label,
)

# The kinds of a workbook cell (helpers.render.excel_cells formats each).
NUMBER_KINDS = ("count", "rank", "percent", "points", "decimal")


@dataclass(frozen=True)
class Column:
    """One column of a report table, for every format: its header as printed; its cell as
    the page and the document print it (`text`, with an optional `hover` text: the raw cell),
    right-aligned when `css` is "num", shaded by `status`, marked by `emphasis`; and its cell as
    a workbook holds it: a `value` of a `kind` (text, count, rank, percent, percent2 (two
    decimals), points, decimal, status, date), which sets its number format (no value: the
    workbook writes the text); `kind_of` gives the kind row by row where it varies."""

    header: str
    text: Callable[[object], str] = str
    hover: Callable[[object], str] | None = None
    css: str = ""
    status: Callable[[object], str] | None = None  # a status code: its colour
    emphasis: Callable[[object], bool] | None = None  # a figure to notice, not a status
    kind: str = "text"
    value: Callable[[object], object] | None = None
    kind_of: Callable[[object], str] | None = None

    def kind_for(self, row: object) -> str:
        """The kind of this column's cell of `row` (its number format in a workbook)."""
        return self.kind_of(row) if self.kind_of is not None else self.kind

    def cell_value(self, row: object) -> object:
        """What a workbook writes in this column's cell of `row`."""
        return self.value(row) if self.value is not None else self.text(row)


def district_label_of(data: ReportData, name: str) -> str:
    """A district's name as the report prints it."""
    return district_label(name, data.params.lang, data.catalog)


def indicator_label_of(data: ReportData, code: str, short: bool = False) -> str:
    """An indicator's name as the report prints it."""
    return indicator_label(code, data.params.lang, data.catalog, short=short)


def _get(attribute: str) -> Callable[[object], object]:
    return operator.attrgetter(attribute)  # getattr, without a Python call per cell


def count_column(header: str, attribute: str, lang: str, **options) -> Column:
    """A count: 15,000 as printed, the number in a workbook."""
    return Column(header, lambda r: fmt_count(getattr(r, attribute), lang), css="num",
                  kind="count", value=_get(attribute), **options)


def items_column(header: str, attribute: str, **options) -> Column:
    """A small count of items or districts, printed as it is."""
    return Column(header, lambda r: str(getattr(r, attribute)), css="num", kind="count",
                  value=_get(attribute), **options)


def percent_column(header: str, attribute: str, lang: str) -> Column:
    """A rate: 63.6% as printed, the fraction in a workbook."""
    def text(r) -> str:
        value = getattr(r, attribute)
        return fmt_percent(None if isnan(value) else value, lang)

    return Column(header, text, css="num", kind="percent", value=_get(attribute))


def status_column(header: str, lang: str, attribute: str = "status") -> Column:
    """A status word in its colour."""
    return Column(header, lambda r: status_label(getattr(r, attribute), lang),
                  status=_get(attribute), kind="status", value=_get(attribute))


def district_column(data: ReportData) -> Column:
    return Column(label("col.district", data.params.lang),
                  lambda r: district_label_of(data, r.district))


def group_column(data: ReportData) -> Column:
    lang = data.params.lang
    return Column(label("col.group", lang), lambda r: group_label(r.supervision_group, lang))


def indicator_column(data: ReportData, short: bool = False) -> Column:
    return Column(label("col.indicator", data.params.lang),
                  lambda r: indicator_label_of(data, r.indicator, short=short))


def unit_column(data: ReportData) -> Column:
    lang = data.params.lang
    return Column(label("col.unit", lang), lambda r: unit_label(r.unit, lang))


# --- the figures of an indicator row ---------------------------------------------------------

def actual_column(data: ReportData, hover: Callable | None = None) -> Column:
    """累计完成 as every table prints it (actual_text); a workbook holds the number, or the
    stages' words of a staged row, or the marked text of a revised figure. "figure": those
    words wrap within the column (templates/report.css)."""
    lang = data.params.lang

    def value(row) -> object:
        if _revised(data, row) is not None:
            return actual_text(row, lang, data)
        return stage_progress_text(data, row) or shown_actual(row)

    return Column(label("col.actual", lang), lambda r: actual_text(r, lang, data),
                  css="num figure", hover=hover, kind="count", value=value,
                  kind_of=lambda r: ("text" if stage_counts(r) or _revised(data, r) is not None
                                     else "count"))


def _revised(data: ReportData, row) -> object:
    """The previous publication's 累计完成 of this row, where this report revises it."""
    revised = derived_tables.revised_figures(data)
    if not revised:
        return None
    return revised.get((getattr(row, "district", CITY), getattr(row, "indicator", None)))


def actual_text(row, lang: str, data: ReportData) -> str:
    """累计完成: the figure; an indicator with stages, its stages and its build (选址42、启动装修
    38、建成0); for a share, numerator / denominator; for a task, the districts that completed
    the stage; a figure revised since the previous publication marked 修订 with its old
    value."""
    text = _actual_text(row, lang, data)
    old = _revised(data, row)
    return text if old is None else text + revised_mark(old, lang)


def _actual_text(row, lang: str, data: ReportData) -> str:
    staged = stage_progress_text(data, row)
    if staged:
        return staged
    if row.kind == "share":
        if is_missing(row.actual) or is_missing(row.denominator):
            return "—"
        return f"{fmt_count(row.actual, lang)}/{fmt_count(row.denominator, lang)}"
    return fmt_count(shown_actual(row), lang)


def completion_kind(row) -> str:
    """The workbook's kind of 完成率: two decimals where the page prints two."""
    return "percent2" if percent_digits(row.kind, row.milestone) == 2 else "percent"


def completion_text(row, lang: str) -> str:
    """完成率: of the target (a staged count: of the units built, never a stage count over
    the target); a share with two decimals below 10%."""
    return fmt_percent(None if isnan(row.completion) else row.completion, lang,
                       percent_digits(row.kind, row.milestone))


def _due_text(row, lang: str) -> str:
    return "—" if is_missing(row.due_units) else fmt_count(row.due_units, lang)


def _shortfall_value(row) -> object:
    """差额, none where nothing is due."""
    return None if is_missing(row.due_units) else row.shortfall


def _shortfall_text(row, lang: str) -> str:
    return "—" if is_missing(row.due_units) else fmt_count(row.shortfall, lang)


def _actual_source(row) -> str:
    if row.kind == "share" and row.denominator_source:
        return f"{row.actual_source} ÷ {row.denominator_source}"
    if on_stage(row) or row.kind == "task":
        return row.judged_source
    return row.actual_source


def progress_columns(data: ReportData, with_sources: bool,
                     with_denominator: bool = False) -> list[Column]:
    """年度目标, 累计完成, (分母,) 完成率, 进度要求, 应完成数, 差额, 状态: the columns every table
    of indicator rows shares (with the raw cell of each figure on hover where `with_sources`;
    the workbook's also with each share's denominator)."""
    lang = data.params.lang

    def source(attribute: str) -> Callable | None:
        return _get(attribute) if with_sources else None

    denominator = [count_column(label("col.denominator", lang), "denominator", lang)] \
        if with_denominator else []
    return [
        count_column(label("col.target", lang), "target", lang, hover=source("target_source")),
        actual_column(data, hover=_actual_source if with_sources else None),
        *denominator,
        Column(label("col.completion", lang), lambda r: completion_text(r, lang), css="num",
               kind="percent", value=_get("completion"), kind_of=completion_kind),
        Column(label("col.milestone", lang), lambda r: requirement_text(r, lang, data.catalog),
               hover=lambda r: label(f"basis.{r.basis}", lang),
               value=_requirement_value(data), kind_of=_requirement_kind),
        Column(label("col.due_units", lang), lambda r: _due_text(r, lang), css="num",
               kind="count", value=_get("due_units")),
        Column(label("col.shortfall", lang), lambda r: _shortfall_text(r, lang), css="num",
               hover=source("judged_source"), kind="count", value=_shortfall_value),
        status_column(label("col.status", lang), lang),
    ]


def _requirement_kind(row) -> str:
    """A share of the target due (time progress, the schedule) is a number, a percentage;
    a dated stage, a deadline or a threshold is a phrase."""
    return "percent" if row.basis in ("time", "schedule") else "text"


def _requirement_value(data: ReportData) -> Callable:
    lang = data.params.lang

    def value(row):
        if _requirement_kind(row) == "percent":
            return float(row.milestone)
        return requirement_text(row, lang, data.catalog)
    return value


def indicator_row_columns(data: ReportData, with_sources: bool = False,
                          with_denominator: bool = False) -> list[Column]:
    """指标, 单位 and the progress columns: a table of indicator rows."""
    return [indicator_column(data), unit_column(data),
            *progress_columns(data, with_sources, with_denominator)]


# --- the report's tables ------------------------------------------------------------------------

def _behind_header(data: ReportData) -> str:
    return period_label("col.districts_behind", data.params.lang, data.params.period)


def summary_columns(data: ReportData, workbook: bool = False) -> list[Column]:
    """The summary table's columns (page, document; the workbook's with the denominators)."""
    lang = data.params.lang
    return [*indicator_row_columns(data, with_denominator=workbook),
            items_column(_behind_header(data), "districts_behind"),
            Column(label("col.district_shortfall", lang),
                   lambda r: fmt_count(r.district_shortfall, lang), css="num", kind="count",
                   value=_get("district_shortfall"))]


def shares_columns(data: ReportData) -> list[Column]:
    """The share table's columns (page and document)."""
    lang = data.params.lang
    return [
        indicator_column(data),
        Column(label("col.definition", lang), lambda r: share_definition(data, r.indicator)),
        count_column(label("col.numerator", lang), "actual", lang),
        count_column(label("col.denominator", lang), "denominator", lang),
        Column(label("col.share", lang), lambda r: completion_text(r, lang), css="num"),
        Column(label("col.threshold", lang), lambda r: fmt_share(r.milestone, lang), css="num"),
        Column(label("col.due_units", lang), lambda r: _due_text(r, lang), css="num"),
        # printed as every other table prints a 差额: a count (0 when met), — when nothing is due
        Column(label("col.shortfall", lang), lambda r: _shortfall_text(r, lang), css="num",
               kind="count", value=_shortfall_value),
        status_column(label("col.status", lang), lang),
        items_column(label("col.districts_below", lang), "districts_behind"),
    ]


def share_definition(data: ReportData, code: str) -> str:
    """Numerator ÷ denominator of a share indicator."""
    ind = data.catalog.indicator(code)
    return (f"{indicator_label_of(data, ind.numerator)} ÷ "
            f"{indicator_label_of(data, ind.denominator)}")


def shares_sheet_columns(data: ReportData) -> list[Column]:
    """The workbook's share table: the city row (district empty) and every district's."""
    lang = data.params.lang
    return [
        Column(label("col.district", lang), lambda r: (district_label_of(data, r.district)
                                                       if r.district
                                                       else total_label(data.params))),
        indicator_column(data),
        count_column(label("col.numerator", lang), "actual", lang),
        count_column(label("col.denominator", lang), "denominator", lang),
        percent_column(label("col.share", lang), "completion", lang),
        percent_column(label("col.threshold", lang), "milestone", lang),
        count_column(label("col.due_units", lang), "due_units", lang),
        count_column(label("col.shortfall", lang), "shortfall", lang),
        status_column(label("col.status", lang), lang),
    ]


def ranking_columns(data: ReportData, workbook: bool = False) -> list[Column]:
    """The ranking table's columns: the rank as printed (3, 3（并列）) on the page and in the
    document; in the workbook a number, so that it sorts, and a column saying 并列."""
    lang = data.params.lang
    rank = ([Column(label("col.rank", lang), kind="rank", value=_get("rank")),
             Column(label("col.tied", lang),
                    value=lambda r: label("col.tied", lang) if r.tied else None)]
            if workbook else
            [Column(label("col.rank", lang), lambda r: rank_text(r.rank, r.tied, lang),
                    css="num")])
    serious_hover = None if workbook else (lambda r: label("name_sep_text", lang).join(
        indicator_label_of(data, c, short=True) for c in r.serious_indicators))
    return [
        *rank,
        district_column(data),
        group_column(data),
        items_column(label("col.due_items", lang), "due_items"),
        items_column(label("col.on_track_items", lang), "on_track_items"),
        percent_column(label("col.on_track_share", lang), "on_track_share", lang),
        percent_column(label("col.mean_completion", lang), "mean_completion", lang),
        # a column per status word some district has, counting that status only
        *(items_column(label("col.status_items", lang).format(status=status_label(status, lang)),
                       column, hover=serious_hover if status == "serious_lag" else None)
          for status, column in BEHIND_COUNTS.items() if data.ranking[column].any()),
    ]


def _requirement_columns(data: ReportData, with_source: bool) -> list[Column]:
    """What a checkpoint required and what was done: indicator, stage, due date, required,
    done by the due date, done now (its raw cell on hover where `with_source`)."""
    lang = data.params.lang
    return [
        indicator_column(data, short=True),
        Column(label("col.stage", lang), lambda r: checkpoint_stage_text(data, r),
               hover=lambda r: r.note),
        Column(label("col.due_date", lang), lambda r: fmt_month_day(r.due, lang)),
        count_column(label("col.required", lang), "required", lang),
        count_column(label("col.done_by_due", lang), "done_by_due", lang),
        count_column(label("col.done_now", lang), "done_now", lang,
                     hover=_get("source") if with_source else None),
    ]


def checkpoint_columns(data: ReportData) -> list[Column]:
    """The stage table's columns, a row per checkpoint (page and document)."""
    lang = data.params.lang
    return [
        *_requirement_columns(data, with_source=False),
        items_column(label("col.districts_on_time", lang), "on_time"),
        items_column(label("col.districts_late", lang), "late"),
        items_column(label("col.districts_overdue", lang), "overdue"),
        # the whole target missed at its deadline (未完成), shown once a report reaches it
        *([items_column(label("col.districts_unmet", lang), "unmet")]
          if data.checkpoint_summary["unmet"].any() else []),
        items_column(label("col.districts_not_due", lang), "not_due"),
        status_column(label("col.status", lang), lang),
    ]


def district_checkpoint_columns(data: ReportData, with_district: bool) -> list[Column]:
    """A district's checkpoints (a brief's table), the district named where several are."""
    lang = data.params.lang
    return [
        *([district_column(data)] if with_district else []),
        *_requirement_columns(data, with_source=True),
        status_column(label("col.status", lang), lang),
    ]


def checkpoints_sheet_columns(data: ReportData) -> list[Column]:
    """The workbook's checkpoints, district by district, with the raw cell of each."""
    lang = data.params.lang

    def stage(r) -> str:
        if r.stage:
            return stage_label(r.indicator, r.stage, lang, data.catalog)
        return label("stage.own", lang).format(share=f"{percent_text(r.share_due)}%")

    return [
        indicator_column(data),
        Column(label("col.stage", lang), stage),
        Column(label("col.due_date", lang), kind="date", value=_get("due")),
        district_column(data),
        count_column(label("col.required", lang), "required", lang),
        count_column(label("col.done_by_due", lang), "done_by_due", lang),
        count_column(label("col.done_now", lang), "done_now", lang),
        Column(label("col.reached_on", lang), kind="date", value=_get("reached_on")),
        status_column(label("col.status", lang), lang),
        Column(label("col.source", lang), value=_get("source")),
    ]


def forward_columns(data: ReportData, with_district: bool, short: bool = True) -> list[Column]:
    """The forward look's columns: pace so far, pace needed, projection, risk."""
    lang = data.params.lang

    def units(header: str, attribute: str) -> Column:
        return count_column(label(header, lang), attribute, lang)

    return [
        *([district_column(data)] if with_district else []),
        indicator_column(data, short=short),
        count_column(label("col.target", lang), "target", lang),
        count_column(label("col.actual", lang), "actual", lang),
        units("col.pace", "pace"),
        Column(label("col.deadline", lang), lambda r: fmt_month_day(r.deadline, lang),
               kind="date", value=_get("deadline")),
        units("col.required_pace", "required_pace"),
        units("col.projected", "projected"),
        percent_column(label("col.projected_completion", lang), "projected_completion", lang),
        # not a status: no status colour, the words say it
        Column(label("col.at_risk", lang),
               lambda r: label("risk.yes" if r.at_risk else "risk.no", lang)),
    ]


def lagging_columns(data: ReportData, with_sources: bool) -> list[Column]:
    """The lagging tables' columns (the document's without the sources)."""
    return [district_column(data), indicator_column(data),
            *progress_columns(data, with_sources)]


def district_rank_column(data: ReportData) -> Column:
    """A district's rank among the districts on one indicator, as printed (3/12（并列）), or —
    where the table has none (metrics.progress.ranks_mean_something); a workbook holds the
    number, or nothing."""
    lang = data.params.lang
    return Column(label("col.rank", lang),
                  lambda r: rank_text(r.rank, bool(r.rank_tied), lang,
                                      None if is_missing(r.ranked_of) else int(r.ranked_of)),
                  css="num", kind="rank", value=_get("rank"))


def changes_columns(data: ReportData) -> list[Column]:
    """The columns of the table of changes since the previous period (page and document)."""
    lang = data.params.lang
    previous = label(f"period.{data.previous_period}", lang)
    def rate(header: str, attribute: str) -> Column:
        return Column(header, lambda r: fmt_percent(getattr(r, attribute), lang, r.digits),
                      css="num", kind="percent", value=_get(attribute),
                      kind_of=lambda r: "percent2" if r.digits == 2 else "percent")

    return [indicator_column(data),
            rate(label("col.of_period", lang).format(
                period=previous, column=label("col.completion", lang)), "previous"),
            rate(label("col.completion", lang), "current"),
            Column(label("col.change_pp", lang), lambda r: fmt_pp(r.change_pp, lang, r.digits),
                   css="num", kind="points", value=_get("change_pp")),
            status_column(label("col.of_period", lang).format(
                period=previous, column=label("col.status", lang)), lang, "previous_status"),
            status_column(label("col.status", lang), lang)]


def carry_over_columns(data: ReportData, workbook: bool = False) -> list[Column]:
    """The carry-over table's columns: what remains of each unfinished target, its 累计完成
    and 完成率 printed as in the other tables (a staged indicator: its stages and build)."""
    lang = data.params.lang
    completion = (Column(label("col.completion", lang), kind="percent",
                         value=_get("completion")) if workbook
                  else percent_column(label("col.completion", lang), "completion", lang))
    return [district_column(data), indicator_column(data), unit_column(data),
            count_column(label("col.target", lang), "target", lang),
            actual_column(data),
            count_column(label("col.remaining", lang), "remaining", lang),
            completion,
            status_column(label("col.status", lang), lang)]


def carry_over_caption(data: ReportData, count: int) -> str:
    """结转任务表（50）."""
    lang = data.params.lang
    return f"{label('com.carry_over', lang)}（{count}）" if lang == "zh" else \
        f"{label('com.carry_over', lang)} ({count})"


# The data sheet: header label and kind of every column of the district x indicator table
# (helpers.metrics.progress.DISTRICT_INDICATOR_COLUMNS).
DATA_COLUMNS = {
    "district": ("col.district", "text"),
    "supervision_group": ("col.group", "text"),
    "indicator": ("col.indicator_code", "text"),
    "indicator_name": ("col.indicator", "text"),
    "kind": ("col.kind", "text"),
    "unit": ("col.unit", "text"),
    "target": ("col.target", "count"),
    "actual": ("col.actual", "count"),
    "denominator": ("col.denominator", "count"),
    "as_of": ("col.as_of", "date"),
    "completion": ("col.completion", "percent"),
    "basis": ("col.basis", "text"),
    "stage": ("col.stage", "text"),
    "due_date": ("col.due_date", "date"),
    "milestone": ("col.milestone", "percent"),
    "due_units": ("col.due_units", "count"),
    "judged_actual": ("col.judged_actual", "count"),
    "shortfall": ("col.shortfall", "count"),
    "gap_pp": ("col.gap_pp", "points"),
    "status": ("col.status", "status"),
    "deadline": ("col.deadline", "date"),
    "stages_done": ("col.stages_done", "text"),
    "rank": ("col.rank", "rank"),
    "rank_tied": ("col.tied", "text"),
    "ranked_of": ("col.ranked_of", "count"),
    "target_source": ("col.target_source", "text"),
    "actual_source": ("col.actual_source", "text"),
    "judged_source": ("col.judged_source", "text"),
    "denominator_source": ("col.denominator_source", "text"),
}

def data_sheet_columns(data: ReportData) -> list[Column]:
    """The workbook's data sheet: every column of the district x indicator table, names and
    words where a reader needs them, codes and figures as they are."""
    lang, catalog = data.params.lang, data.catalog
    shown = {
        "district": lambda r: district_label(r.district, lang, catalog),
        "indicator_name": lambda r: indicator_label(r.indicator, lang, catalog),
        "supervision_group": lambda r: group_label(r.supervision_group, lang),
        "basis": lambda r: label(f"basis.{r.basis}", lang),
        "stage": lambda r: (stage_label(r.indicator, r.stage, lang, catalog)
                            if r.stage else None),
        "rank_tied": lambda r: label("col.tied", lang) if r.rank_tied else None,
    }
    unknown = [c for c in data.table.columns if c not in DATA_COLUMNS]
    if unknown:
        raise KeyError(f"no header label for data column(s) {', '.join(unknown)}")
    return [Column(label(DATA_COLUMNS[name][0], lang), kind=DATA_COLUMNS[name][1],
                   value=shown.get(name, _get(name)),
                   kind_of=completion_kind if name == "completion" else None)
            for name in data.table.columns]
