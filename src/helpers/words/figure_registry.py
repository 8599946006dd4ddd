"""The registry of every figure a report prints, by name: what the written sections may
reference (`{{ 泰顺县.new_institution_beds.shortfall }}`) and what every number typed into them
is checked against.

Names are `<indicator>.<figure>` (city level), `<district>.<indicator>.<figure>`,
`[<district>.]ledger.<figure>`, `<district>.overall.<figure>`, `headline.<figure>`, with
`@<date>` for a figure at an earlier reporting date. Indicators are named by code or any name
the catalogue knows (Catalog.indicator_code), districts by name or alias; figures and subjects
also have Chinese names (FIGURE_ALIASES, SUBJECT_ALIASES)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd

from helpers.core.statuses import STATUSES
from helpers.ingest.ledger_book import parse_date
from helpers.ingest.normalize import normalize_text
from helpers.metrics import derived_tables
from helpers.metrics.ledger_view import lagging_links
from helpers.metrics.progress import isnan, status_counts
from helpers.metrics.report_data import ReportData
from helpers.words import findings
from helpers.words.labels import fmt_count, fmt_date, fmt_decimal, fmt_percent, fmt_pp, status_label

# How each figure is printed. A column of the district-indicator table or of the summary whose
# name is here becomes a figure by itself (due_units and shortfall as soon as they exist).
FIGURE_KINDS = {
    "target": "count", "actual": "count", "due_units": "count", "shortfall": "count",
    "judged_actual": "count", "denominator": "count", "remaining": "count",
    "districts_behind": "count", "districts_judged": "count",
    "completion": "percent", "milestone": "percent", "mean_completion": "percent",
    "previous_completion": "percent",
    "gap_pp": "points", "change_pp": "points",
    "rank": "rank", "status": "status",
    # headline counts: one per status of the vocabulary, the total, the districts named
    **dict.fromkeys(STATUSES, "count"), "total": "count", "districts": "count",
    "districts_serious": "count",
    # the ranking
    "due_items": "count", "on_track_items": "count", "on_track_share": "percent",
    "behind_items": "count", "serious_items": "count",
    # stages and deadlines
    "required": "count", "done_by_due": "count", "done_now": "count", "late": "count",
    # the forward look and its back-test
    "pace": "count", "required_pace": "count", "projected": "count",
    "projected_completion": "percent", "items": "count", "flagged": "count",
    "missed": "count", "flagged_and_missed": "count", "mean_abs_error_pp": "decimal",
    # the problem ledger
    "found": "count", "closed": "count", "closed_late": "count", "open": "count",
    "overdue": "count", "closure_rate": "percent", "days_overdue": "count",
    "districts_overdue": "count", "new_found": "count", "new_closed": "count",
    "lagging_linked": "count",
    # dates
    "date": "date", "report_date": "date", "data_as_of": "date",
}
NUMERIC_KINDS = ("count", "percent", "points", "rank", "decimal")

# Other names analysts may type for a figure (compared without spaces, case-insensitive).
FIGURE_ALIASES = {
    "年度目标": "target", "目标": "target", "目标值": "target", "目标数": "target",
    "任务数": "target",
    "累计完成": "actual", "完成数": "actual", "实际完成": "actual", "累计完成数": "actual",
    "应完成数": "due_units", "应完成": "due_units",
    "差额": "shortfall", "缺口": "shortfall",
    "尚差": "remaining", "剩余": "remaining",
    "滞后地区数": "districts_behind", "未达要求地区数": "districts_behind",
    "未完成地区数": "districts_behind", "考核数": "judged_actual", "分母": "denominator",
    "分子": "actual", "占比": "completion", "要求比例": "milestone",
    "到期事项": "due_items", "符合进度事项": "on_track_items", "符合进度比例": "on_track_share",
    "滞后事项": "behind_items", "严重滞后事项": "serious_items",
    "截止日完成": "done_by_due", "目前完成": "done_now", "月均完成": "pace",
    "尚需月均": "required_pace", "预计截止日完成": "projected",
    "预计完成率": "projected_completion",
    "预判事项": "items", "提示风险": "flagged", "截止日未完成": "missed",
    "提示且未完成": "flagged_and_missed", "严重滞后地区数": "districts_serious",
    "完成率": "completion", "进度要求": "milestone", "序时进度": "milestone",
    "平均完成率": "mean_completion", "上期完成率": "previous_completion",
    "差距": "gap_pp", "差距百分点": "gap_pp", "变化": "change_pp", "变化百分点": "change_pp",
    "排名": "rank", "名次": "rank", "综合排名": "rank", "状态": "status",
    **{status_label(s): s for s in STATUSES}, "指标总数": "total", "任务总数": "total",
    "地区数": "districts",
    "发现": "found", "发现问题": "found", "问题数": "found",
    "销号": "closed", "已销号": "closed", "逾期销号": "closed_late",
    "未销号": "open", "逾期": "overdue", "逾期未整改": "overdue", "销号率": "closure_rate",
    "逾期天数": "days_overdue", "逾期地区数": "districts_overdue",
    "新发现": "new_found", "当月新发现": "new_found", "新销号": "new_closed",
    "当月销号": "new_closed",
    "报告日期": "report_date", "数据截至": "data_as_of", "日期": "date",
}
SUBJECT_ALIASES = {"事项": "items", "各地事项": "items", "任务": "items",
                   "台账": "ledger", "问题台账": "ledger", "整改台账": "ledger",
                   "回头看": "ledger", "综合": "overall", "总体": "headline",
                   "预判回顾": "backtest"}
CITY_NAMES = {"全市", "city", "市"}
_PARTS = re.compile(r"[.．。]")


@dataclass(frozen=True)
class Figure:
    """One figure the report prints: its name, kind, value and text as printed."""

    name: str
    kind: str  # count | percent | points | rank | status | date
    value: object
    text: str

    @property
    def printed(self) -> Decimal | None:
        """The magnitude as printed (63.6 for '63.6%', 12.3 for '-12.3', 15000 for '15,000');
        None when nothing numeric is printed ('—', a status)."""
        if self.kind not in NUMERIC_KINDS:
            return None
        digits = self.text.replace("%", "").replace(",", "").lstrip("+-")
        try:
            return Decimal(digits)
        except InvalidOperation:
            return None


@dataclass
class Resolution:
    """What a reference names: the figure, or why not and what was probably meant."""

    typed: str
    name: str
    figure: Figure | None = None
    reason: str = ""
    suggestions: list[str] = field(default_factory=list)  # close names of the registry
    hints: list[str] = field(default_factory=list)  # parts no vocabulary knows, with close words


@dataclass
class FigureRegistry:
    """Every figure of one report, by canonical name."""

    figures: dict[str, Figure]
    data: ReportData

    def numeric(self) -> list[Figure]:
        """The figures that print a number (what typed numbers are checked against)."""
        return [f for f in self.figures.values() if f.printed is not None]

    def resolve(self, typed: str) -> Resolution:
        """The figure a reference names (aliases resolved), or suggestions."""
        name, reason = canonical_name(typed, self.data)
        found = Resolution(typed=typed, name=name, reason=reason)
        if not reason:
            found.figure = self.figures.get(name)
        if found.figure is None:
            found.suggestions = difflib.get_close_matches(name, list(self.figures), n=3,
                                                          cutoff=0.6)
            found.hints = unknown_parts(typed, self.data)
        return found


def _vocabulary(data: ReportData) -> list[str]:
    """Every word a reference part may be: districts, indicators, subjects and figures."""
    words = [name for d in data.catalog.districts for name in (d.name, *d.aliases)]
    for ind in data.catalog.indicators:
        words += [ind.code, ind.name_zh, ind.short_zh, ind.name_en, ind.short_en]
    words += ["ledger", "overall", "headline", "backtest", "items", *SUBJECT_ALIASES,
              *CITY_NAMES]
    words += [*FIGURE_KINDS, *FIGURE_ALIASES]
    return list(dict.fromkeys(w for w in words if w))


def _known(part: str, data: ReportData) -> bool:
    catalog = data.catalog
    return bool(catalog.district_name(part) or catalog.indicator_code(part)
                or part in SUBJECT_ALIASES
                or part.lower() in {"ledger", "overall", "headline", "backtest", "items"}
                or part.lower() in CITY_NAMES or part in FIGURE_ALIASES
                or part.lower() in FIGURE_KINDS or re.fullmatch(r"item\w+", part.lower()))


def unknown_parts(typed: str, data: ReportData) -> list[str]:
    """'<part>' is unknown (close: <words>) for every part of a reference that is no district,
    indicator, subject or figure name."""
    text = normalize_text(typed).split("@", 1)[0]
    words = _vocabulary(data)
    hints = []
    for part in (p for p in _PARTS.split(text) if p):
        if _known(part, data):
            continue
        close = [w for w in words if part.lower() in w.lower()][:3] or difflib.get_close_matches(
            part, words, n=3, cutoff=0.6)
        hints.append(f"{part!r} is no district, indicator or figure name"
                     + (f" (close: {', '.join(close)})" if close else ""))
    return hints


def canonical_name(typed: str, data: ReportData) -> tuple[str, str]:
    """The registry name of a reference as typed, and a reason when a part is wrong (an
    unknown date, a district not in this report)."""
    catalog = data.catalog
    text = normalize_text(typed)
    date_part = ""
    if "@" in text:
        text, date_part = text.split("@", 1)
    parts = [p for p in _PARTS.split(text) if p]
    out: list[str] = []
    if parts and catalog.district_name(parts[0]):
        district = catalog.district_name(parts[0])
        if district not in set(data.table["district"]):
            return typed, f"{district} is not in this report"
        out.append(district)
        parts = parts[1:]
    elif parts and parts[0].lower() in CITY_NAMES:
        parts = parts[1:]
    # [subject, [qualifier, ...]] figure: an indicator, ledger, overall or headline, then the
    # figure (a ledger item's qualifier: ledger.item24.days_overdue)
    for position, part in enumerate(parts):
        if position == len(parts) - 1:
            out.append(FIGURE_ALIASES.get(part, part.lower()))
        elif position == 0:
            out.append(catalog.indicator_code(part) or SUBJECT_ALIASES.get(part, part.lower()))
        else:
            # a stage named in Chinese or by an alias (新增镇街养老服务中心.选址.应完成)
            stage = catalog.stage_code(out[-1], part) if out and out[-1] in \
                catalog.indicator_by_code else None
            out.append(stage or ("deadline" if part in ("截止", "完成时限") else part.lower()))
    name = ".".join(out)
    if date_part:  # the ledger's date reader knows every spelling

        day = parse_date(date_part) or parse_date(f"{data.report_date.year}年{date_part}")
        if day is None:
            return name, f"{date_part!r} is not a date"
        name = f"{name}@{day.isoformat()}"
    return name, ""


def _text(kind: str, value: object, lang: str) -> str:
    if kind == "date":
        return fmt_date(value, lang)
    if _missing(value):
        return "—"
    if kind == "count":
        return fmt_count(value, lang)
    if kind == "percent":
        return fmt_percent(value, lang)
    if kind == "points":
        return fmt_pp(value, lang)
    if kind == "decimal":
        return fmt_decimal(value, lang)
    if kind == "rank":
        return str(int(value))
    if kind == "status":
        return status_label(str(value), lang)
    raise ValueError(f"no format for figure kind {kind!r}")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or isnan(value) or (
        isinstance(value, float) and pd.isna(value))


def node_names(row: dict) -> list[str]:
    """The names of one checkpoint, each its own: a stage by its code (centres.site); a node of
    a schedule by its date (meals.6月30日, meals.8月31日, meals.11月30日), the one that asks for
    the whole target also as `deadline` (meals.deadline is the 11月30日 node, never the first)."""
    if row["stage"]:
        return [row["stage"]]
    due = row["due"]
    dated = f"{due.month}月{due.day}日"
    return [dated, "deadline"] if row["share_due"] >= 1 else [dated]


def figure_registry(data: ReportData) -> FigureRegistry:
    """Every figure the report prints: summary, district tables, ranks, headline counts,
    changes since the previous period, the timeline, the carry-over table (year end), the
    milestone schedule and the problem ledger."""
    lang = data.params.lang
    figures: dict[str, Figure] = {}

    def add(name: str, kind: str, value: object) -> None:
        figures.setdefault(name, Figure(name, kind, value, _text(kind, value, lang)))

    def add_row(prefix: str, row: dict) -> None:
        for column, value in row.items():
            if column in FIGURE_KINDS:
                add(f"{prefix}.{column}", FIGURE_KINDS[column], value)

    for row in data.summary.to_dict("records"):
        add_row(row["indicator"], row)
    for row in data.table.to_dict("records"):
        add_row(f"{row['district']}.{row['indicator']}", row)
    for row in data.ranking.to_dict("records"):
        for column in ("due_items", "on_track_items", "on_track_share", "mean_completion",
                       "behind_items", "serious_items", "rank"):
            add(f"{row['district']}.overall.{column}", FIGURE_KINDS[column], row[column])
    for key, value in data.counts.items():
        add(f"headline.{key}", "count", value)
    add("headline.total", "count",
        sum(v for k, v in data.counts.items() if k not in ("no_target", "no_data")))
    add("headline.districts", "count", data.table["district"].nunique())  # 全市 12 个县（市、区）
    # the district items (district x indicator) of each status: "共有15项任务严重滞后"
    for key, value in status_counts(data.table).items():
        add(f"items.{key}", "count", value)
    add("headline.districts_serious", "count", len(findings.headline_districts(data)))
    for row in data.checkpoint_summary.to_dict("records"):
        for node in node_names(row):
            prefix = f"{row['indicator']}.{node}"
            for column in ("required", "done_by_due", "done_now", "shortfall", "on_time",
                           "late", "overdue", "unmet", "not_due"):
                add(f"{prefix}.{column}", "count", row[column])
            add(f"{prefix}.due_units", "count", row["required"])  # 应完成 of a stage
    for row in data.checkpoints.to_dict("records"):
        for node in node_names(row):
            prefix = f"{row['district']}.{row['indicator']}.{node}"
            for column in ("required", "done_by_due", "done_now", "shortfall"):
                add(f"{prefix}.{column}", "count", row[column])
    forward = [("", derived_tables.city_forward(data)), ("district", data.forward)]
    for level, frame in forward:
        for row in frame.to_dict("records"):
            prefix = f"{row['district']}.{row['indicator']}" if level else row["indicator"]
            for column in ("pace", "required_pace", "projected", "projected_completion"):
                add(f"{prefix}.{column}", FIGURE_KINDS[column], row[column])
    for row in data.backtests.to_dict("records"):
        stamp = row["as_of"].isoformat()
        for column in ("items", "flagged", "missed", "flagged_and_missed", "mean_abs_error_pp"):
            add(f"backtest.{column}@{stamp}", FIGURE_KINDS[column], row[column])
    add("report_date", "date", data.report_date)
    add("data_as_of", "date", data.data_as_of)
    for row in derived_tables.changes_table(data).to_dict("records"):
        add(f"{row['indicator']}.previous_completion", "percent", row["previous"])
        add(f"{row['indicator']}.change_pp", "points", row["change_pp"])
    for row in data.timeline.to_dict("records"):
        stamp = row["as_of"].isoformat()
        add(f"{row['indicator']}.completion@{stamp}", "percent", row["completion"])
        add(f"{row['indicator']}.milestone@{stamp}", "percent", row["milestone"])
    for code in data.summary["indicator"]:
        for milestone in data.catalog.milestones_for(code, data.report_date.year):
            add(f"{code}.milestone@{milestone.date.isoformat()}", "percent",
                milestone.share_due)
    if data.params.period == "FY":
        for row in derived_tables.carry_over_table(data).to_dict("records"):
            add(f"{row['district']}.{row['indicator']}.remaining", "count", row["remaining"])
    _ledger_figures(data, add)
    return FigureRegistry(figures, data)


def _ledger_figures(data: ReportData, add) -> None:
    view = getattr(data, "ledger", None)
    if view is None:
        return
    add("ledger.lagging_linked", "count", len(lagging_links(data)))
    add("ledger.date", "date", view.date)
    for key, value in view.city.items():
        add(f"ledger.{key}", FIGURE_KINDS[key], value)
    add("ledger.districts_overdue", "count", int((view.districts["overdue"] > 0).sum()))
    for row in view.districts.to_dict("records"):
        for key in ("found", "closed", "closed_late", "open", "overdue", "closure_rate"):
            add(f"{row['district']}.ledger.{key}", FIGURE_KINDS[key], row[key])
    for row in view.monthly.to_dict("records"):
        stamp = row["date"].isoformat()
        for key in ("found", "new_found", "closed", "new_closed", "open", "overdue",
                    "closure_rate"):
            add(f"ledger.{key}@{stamp}", FIGURE_KINDS[key], row[key])
    for row in view.overdue.to_dict("records"):
        add(f"ledger.item{row['number']}.days_overdue", "count", row["days_overdue"])


__all__ = ["FIGURE_ALIASES", "FIGURE_KINDS", "Figure", "FigureRegistry", "canonical_name",
           "figure_registry"]
