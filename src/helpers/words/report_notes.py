"""The notes under the report's tables, in the reader's words: how the city is judged, the
status rules with this report's date and parameters, the ranking's and the forward look's
methods."""

from __future__ import annotations

from helpers.metrics.milestones import time_progress
from helpers.metrics.report_data import ReportData
from helpers.metrics.status_rules import judged_district_by_district
from helpers.words.labels import (
    district_label,
    fmt_date,
    fmt_decimal,
    fmt_month_day,
    fmt_percent,
    indicator_label,
    label,
    sentence,
    signing_date,
    stage_label,
)


def report_facts(data: ReportData) -> list[str]:
    """How 附件1 is to be read: period, report date, data as of, drafting date and scope."""
    lang, params = data.params.lang, data.params
    colon, gap = label("sep.colon", lang), "　" if lang == "zh" else "   "
    names = data.districts
    scope = (label("head.scope_all", lang).format(n=len(names)) if params.districts is None
             else label("head.scope_subset", lang).format(
                 n=len(names), names=label("name_sep_text", lang).join(
                     district_label(n, lang, data.catalog) for n in names)))
    lines = [
        [("head.period", label(f"period.{params.period}", lang)),
         ("misc.report_date", fmt_date(data.report_date, lang)),
         ("misc.data_as_of", fmt_date(data.data_as_of, lang))],
        [("form.drafting_date", signing_date(params)), ("head.scope", scope)],
    ]
    return [gap.join(f"{label(key, lang)}{colon}{value}" for key, value in line)
            for line in lines]


def city_note(data: ReportData) -> str:
    """How a city row is judged: district by district for the tasks the year's plan dates
    (named), on the city total for the rest."""
    lang = data.params.lang
    dated = judged_district_by_district(data.catalog, data.params.year)
    if not dated:
        return label("note.city_total", lang)
    names = sentence("name_sep", lang).join(indicator_label(code, lang, data.catalog, short=True)
                                            for code in dated)
    return label("note.city", lang).format(tasks=names)


def rules_examples(data: ReportData) -> dict[str, str]:
    """The rules note's examples from the year's own plan: the first node that asks for part
    of a target, the first stage, the first deadline before the year end ('' or the year end
    where the plan has none), so that no year's note quotes another year's dates."""
    lang, year, catalog = data.params.lang, data.params.year, data.catalog
    tracked = {ind.code: n for n, ind in enumerate(catalog.tracked)}
    nodes = sorted((m for m in catalog.milestones
                    if m.date.year == year and m.indicator in tracked),
                   key=lambda m: (m.date, tracked[m.indicator]))

    def name(m) -> str:
        return indicator_label(m.indicator, lang, catalog, short=True)

    part = next((m for m in nodes if not m.stage and m.share_due < 1), None)
    stage = next((m for m in nodes if m.stage), None)
    # the catalogue's deadline of a target (Catalog.deadline), where the plan sets one before
    # the year end
    deadline = min((day for day in (catalog.deadline(i.code, year) for i in catalog.tracked
                                    if i.kind != "task")
                    if (day.month, day.day) != (12, 31)), default=None)
    return {
        "schedule_example": "" if part is None else label(
            "note.rules.schedule_example", lang).format(
            name=name(part), date=fmt_month_day(part.date, lang),
            share=fmt_percent(part.share_due, lang, digits=0)),
        "stage_example": "" if stage is None else label(
            "note.rules.stage_example", lang).format(
            name=name(stage), date=fmt_month_day(stage.date, lang),
            stage=stage_label(stage.indicator, stage.stage, lang, catalog)),
        "deadline_example": label("note.rules.year_end", lang) if deadline is None else label(
            "note.rules.deadline_example", lang).format(date=fmt_month_day(deadline, lang)),
    }


def rules_note(data: ReportData) -> str:
    """The status rules in the reader's words, with this report's date, parameters and the
    examples of its year's plan."""
    params, date = data.params, data.report_date
    year_days = (date.replace(year=date.year + 1, month=1, day=1)
                 - date.replace(month=1, day=1)).days
    return label("note.rules", params.lang).format(
        **rules_examples(data),
        serious=f"{params.serious_lag_pp:g}", tolerance=f"{params.tolerance_pp:g}",
        small=params.small_target_max,
        date=fmt_month_day(date, params.lang), days=(date - date.replace(month=1, day=1)).days
        + 1, year_days=year_days, progress=fmt_percent(time_progress(date), params.lang))


def ranking_note(data: ReportData) -> str:
    """The ranking's stated method."""
    lang = data.params.lang
    method = label(f"note.ranking.{data.params.ranking_method}", lang)
    return label("note.ranking", lang).format(method=method)


def forward_note(data: ReportData) -> str:
    """The forward look's method, with this report's tolerance and, when it projects, the
    months elapsed its paces are divided by (so that 7599 ÷ 5.95 = 1277 can be redone)."""
    params = data.params
    text = label("note.forward", params.lang).format(
        tolerance=f"{params.tolerance_pp:g}",
        small=params.small_target_max)
    if len(data.forward):
        text += label("note.forward_months", params.lang).format(
            date=fmt_date(data.report_date, params.lang),
            elapsed=fmt_decimal(float(data.forward["months_elapsed"].iloc[0]), params.lang,
                                digits=2))
    return text
