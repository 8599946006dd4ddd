"""The columns of the table of the work plan's headline targets (附件1, helpers.metrics
.plan_targets): what the plan asks beside what the allocation asks, and where the city stands."""

from __future__ import annotations

from helpers.core.values import is_missing
from helpers.metrics.report_data import ReportData
from helpers.render.columns import Column, status_column
from helpers.words.labels import (
    district_label,
    fmt_count,
    fmt_month_day,
    fmt_percent,
    fmt_share,
    label,
    stage_label,
    unit_label,
)
from helpers.words.plan_findings import reported_beside


def plan_target_columns(data: ReportData) -> list[Column]:
    """项目, 依据, 民生实事目标, 分解下达, 完成时限, 完成情况, 状态, the districts short of the
    allocation."""
    lang = data.params.lang

    def unit(r) -> str:
        text = unit_label(data.catalog.indicator(r.indicator).unit, lang)
        return text if lang == "zh" or not text else f" {text}"

    def asked(r, value) -> str:
        if is_missing(value):
            return "—"
        if not is_missing(r.threshold):
            return label("plan.at_least", lang).format(share=fmt_share(value, lang))
        return f"{fmt_count(value, lang)}{unit(r)}"

    def per_district(r) -> bool:
        return not is_missing(r.per_district)

    def wanted(r) -> str:
        if per_district(r):
            return label("plan.each_district", lang).format(
                n=fmt_count(r.per_district, lang), unit=unit(r))
        if data.catalog.indicator(r.indicator).kind == "task":
            return label("plan.every_district", lang).format(
                stage=stage_label(r.indicator, r.stage, lang, data.catalog))
        return asked(r, r.target if is_missing(r.threshold) else r.threshold)

    def done(r) -> str:
        if per_district(r):
            return label("plan.districts_reached", lang).format(
                n=fmt_count(r.reached, lang), total=r.districts,
                actual=fmt_count(r.actual, lang), unit=unit(r))
        if data.catalog.indicator(r.indicator).kind == "task":
            return label("plan.districts_done", lang).format(
                n=r.actual, total=r.districts) + reported_beside(data, r)
        if not is_missing(r.threshold):
            return label("plan.share_done", lang).format(
                share=fmt_percent(r.share, lang), n=fmt_count(r.actual, lang),
                d=fmt_count(r.denominator, lang))
        text = f"{fmt_count(r.actual, lang)}{unit(r)}"
        if not is_missing(r.by_due):
            text += label("plan.by_due_cell", lang).format(n=fmt_count(r.by_due, lang),
                                                            unit=unit(r))
        return text

    def name(r) -> str:
        target = data.catalog.plan_target(r.code, data.params.year)
        return target.name_zh if lang == "zh" else target.name_en

    return [
        Column(label("col.plan_name", lang), name),
        Column(label("col.plan_basis", lang), lambda r: f"{r.document}{r.clause}"),
        Column(label("col.plan_target", lang), wanted),
        Column(label("col.plan_allocation", lang),
               lambda r: ("—" if data.catalog.indicator(r.indicator).kind in ("task", "measure")
                          else asked(r, r.allocation_value))),
        Column(label("col.plan_due", lang), lambda r: fmt_month_day(r.due, lang)),
        Column(label("col.plan_done", lang), done, hover=lambda r: "; ".join(
            s for s in (r.actual_source, r.denominator_source, r.reported_source) if s)),
        status_column(label("col.status", lang), lang),
        Column(label("col.plan_short", lang), lambda r: label("name_sep_text", lang).join(
            district_label(d, lang, data.catalog) for d in r.short_districts) or "—"),
    ]
