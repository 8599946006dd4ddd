"""The work plan's headline targets (民生实事) in the main text: each beside what the allocation
asks, and where the two documents differ, the catalogue's sentence that reconciles them (40
centres in the plan, 45 allocated). Written from helpers.metrics.plan_targets' one table."""

from __future__ import annotations

from helpers.core.values import is_missing
from helpers.metrics.report_data import ReportData
from helpers.words.findings import district_names, inline_status
from helpers.words.formats import stage_progress_text
from helpers.words.labels import (
    fmt_count,
    fmt_date,
    fmt_month_day,
    fmt_percent,
    fmt_share,
    indicator_label,
    sentence,
    stage_label,
    unit_label,
)


def plan_sentences(data: ReportData) -> list[str]:
    """One sentence per plan target of the report's year, with its reconciliation."""
    lang = data.params.lang
    as_of = fmt_date(data.data_as_of or data.report_date, lang)
    out = []
    for row in data.plan_targets.itertuples():
        target = data.catalog.plan_target(row.code, data.params.year)
        indicator = data.catalog.indicator(row.indicator)
        unit = unit_label(indicator.unit, lang)
        common = {"name": target.name_zh if lang == "zh" else target.name_en,
                  "due": fmt_month_day(row.due, lang), "as_of": as_of}
        if not is_missing(row.per_district):
            short = list(row.short_districts)
            text = sentence("plan.per_district", lang, n=fmt_count(row.per_district, lang),
                            unit=unit, reached=fmt_count(row.reached, lang),
                            actual=fmt_count(row.actual, lang),
                            short=(sentence("plan.per_district_short", lang,
                                            names=district_names(data, short))
                                   if short else ""), **common)
        elif indicator.kind == "task":
            short = list(row.short_districts)
            stage = stage_label(row.indicator, row.stage, lang, data.catalog)
            if row.status == "not_due":  # not "0个县（市、区）已完成" before the date
                text = sentence("plan.task_not_due", lang, stage=stage,
                                document=target.document, clause=target.clause,
                                short=(sentence("plan.task_done_so_far", lang, done=row.actual)
                                       if row.actual else ""), **common)
            else:
                text = sentence("plan.task", lang, stage=stage, done=row.actual,
                                document=target.document, clause=target.clause,
                                short=(sentence("plan.task_short", lang,
                                                names=district_names(data, short))
                                       if short else ""), **common)
        elif not is_missing(row.target):
            city = summary_row(data, row.indicator)
            progress = stage_progress_text(data, city, with_units=True)
            by_due = ("" if is_missing(row.by_due) else sentence(
                "plan.by_due", lang, due=common["due"], n=fmt_count(row.by_due, lang),
                unit=unit, status=inline_status(row.status, lang)))
            text = sentence(
                "plan.count", lang, target=fmt_count(row.target, lang), unit=unit,
                progress=progress or sentence("plan.built", lang,
                                              n=fmt_count(city.actual, lang), unit=unit),
                by_due=by_due, **common)
        else:
            short = list(row.short_districts)
            met = {"done": "plan.share_met", "unmet": "plan.share_unmet"}.get(row.status)
            text = sentence(
                "plan.share", lang, threshold=fmt_share(row.threshold, lang),
                indicator=indicator_label(row.indicator, lang, data.catalog, short=True),
                actual=fmt_count(row.actual, lang), unit=unit,
                share=fmt_percent(row.share, lang),
                denominator=fmt_count(row.denominator, lang),
                met=sentence(met, lang) if met else "",
                short=(sentence("plan.share_short", lang,
                                allocation=fmt_share(row.allocation_value, lang),
                                city=sentence("plan.share_city_met" if row.meets_allocation
                                              else "plan.share_city_short", lang),
                                names=district_names(data, short))
                       if short else ""), **common)
        beside = reported_beside(data, row)
        if beside:
            text = text[:-1] + beside + text[-1]
        reconciliation = target.reconciliation_zh if lang == "zh" else target.reconciliation_en
        out.append(text + ("" if lang == "zh" or not reconciliation else " ") + reconciliation)
    return out


def reported_beside(data: ReportData, row) -> str:
    """The figure reported beside a plan target without a judgement (；“一键通”服务人数25426人),
    for its sentence and its table alike; '' when there is none or nobody is counted yet."""
    if not row.reported or not row.reported_value:
        return ""
    lang = data.params.lang
    return sentence("plan.reported", lang,
                    name=indicator_label(row.reported, lang, data.catalog, short=True),
                    value=fmt_count(row.reported_value, lang),
                    unit=unit_label(data.catalog.indicator(row.reported).unit, lang)).rstrip()


def summary_row(data: ReportData, code: str):
    """The city row of an indicator (data.summary), as a record."""
    return next(r for r in data.summary.itertuples() if r.indicator == code)
