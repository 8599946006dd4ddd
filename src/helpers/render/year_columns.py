"""The columns of the 比上年 tables (helpers.metrics.year_on_year): the city's in 附件 and on the
page, every district's in the workbook."""

from __future__ import annotations

from helpers.metrics.report_data import ReportData
from helpers.render.columns import (
    Column,
    count_column,
    district_label_of,
    indicator_column,
    percent_column,
    unit_column,
)
from helpers.words.labels import fmt_count, fmt_pp, label, total_label


def year_on_year_columns(data: ReportData, with_district: bool = False) -> list[Column]:
    """(县（市、区）,) 指标, 单位, 上年完成, 本年完成, 增减, 上年完成率, 本年完成率, 变化."""
    lang = data.params.lang
    columns = []
    if with_district:
        city = total_label(data.params)
        columns.append(Column(label("col.district", lang),
                              lambda r: district_label_of(data, r.district) if r.district
                              else city))
    return [*columns, indicator_column(data), unit_column(data),
            count_column(label("col.previous_year_actual", lang), "previous_actual", lang),
            count_column(label("col.year_actual", lang), "actual", lang),
            Column(label("col.year_change", lang),
                   lambda r: ("+" if r.change > 0 else "") + fmt_count(r.change, lang),
                   css="num", kind="count", value=lambda r: r.change),
            percent_column(label("col.previous_year_completion", lang),
                           "previous_completion", lang),
            percent_column(label("col.year_completion", lang), "completion", lang),
            Column(label("col.change_pp", lang), lambda r: fmt_pp(r.change_pp, lang),
                   css="num", kind="points", value=lambda r: r.change_pp)]
