"""The texts of what changed between two reports (`helpers diff`, the report's 较上期变化 and
修订), by key and language; helpers.words.label_table adds them to its LABELS."""

from __future__ import annotations

CHANGE_LABELS: dict[str, dict[str, str]] = {
    # the figures compared (helpers.metrics.comparison.COMPARED)
    "change.field.target": {"zh": "年度目标", "en": "Annual target"},
    "change.field.figure": {"zh": "累计完成", "en": "Cumulative actual"},
    "change.field.denominator": {"zh": "分母", "en": "Denominator"},
    "change.field.completion": {"zh": "完成率", "en": "Completion"},
    "change.field.due_units": {"zh": "应完成数", "en": "Due by now"},
    "change.field.judged_figure": {"zh": "考核数", "en": "Judged figure"},
    "change.field.shortfall": {"zh": "差额", "en": "Short by"},
    "change.field.status": {"zh": "状态", "en": "Status"},
    "change.field.rank": {"zh": "排名", "en": "Rank"},
    "change.city": {"zh": "全市", "en": "City"},
    "change.pp": {"zh": "{points}个百分点", "en": "{points} pp"},
    "change.none": {"zh": "（无）", "en": "(none)"},
    # the columns of the comparison's tables (page, workbook)
    "change.col.indicator": {"zh": "指标", "en": "Indicator"},
    "change.col.indicator_code": {"zh": "指标代码", "en": "Indicator code"},
    "change.col.step": {"zh": "节点", "en": "Step"},
    "change.col.field": {"zh": "数据项", "en": "Figure"},
    "change.col.old": {"zh": "原值", "en": "Old"},
    "change.col.new": {"zh": "新值", "en": "New"},
    "change.col.difference": {"zh": "变化", "en": "Change"},
    "change.col.old_source": {"zh": "原来源单元格", "en": "Old source cell"},
    "change.col.new_source": {"zh": "新来源单元格", "en": "New source cell"},
    "change.col.cell": {"zh": "输入单元格", "en": "Input cell"},
    "change.col.moved": {"zh": "影响的数字", "en": "Figures moved"},
    "change.col.file": {"zh": "输入文件", "en": "Input file"},
    "change.col.how": {"zh": "变化", "en": "Change"},
    "change.col.old_sha": {"zh": "原SHA-256", "en": "Old SHA-256"},
    "change.col.new_sha": {"zh": "新SHA-256", "en": "New SHA-256"},
    "change.file.changed": {"zh": "已修改", "en": "changed"},
    "change.file.added": {"zh": "新增", "en": "added"},
    "change.file.removed": {"zh": "已删除", "en": "removed"},
    # the diff's page, workbook and console
    "change.title": {"zh": "报告比较：{old} → {new}", "en": "What changed: {old} → {new}"},
    "change.report": {"zh": "{year}年{period}（数据截至{as_of}，{folder}）",
                      "en": "{year} {period} (data as of {as_of}, {folder})"},
    "change.sec.files": {"zh": "输入文件的变化", "en": "Input files changed"},
    "change.sec.cells": {"zh": "变动的输入单元格", "en": "Input cells changed"},
    "change.sec.figures": {"zh": "变动的数字和状态", "en": "Figures and statuses moved"},
    "change.count": {"zh": "{n}项", "en": "{n}"},
    "change.heading": {"zh": "{heading}：{count}", "en": "{heading}: {count}"},
    "change.sheet.figures": {"zh": "变动的数字", "en": "Figures moved"},
    "change.sheet.cells": {"zh": "输入单元格", "en": "Input cells"},
    "change.sheet.files": {"zh": "输入文件", "en": "Input files"},
    "change.nothing": {"zh": "两份报告的数字和状态完全相同。",
                       "en": "The two reports hold the same figures and statuses."},
    # the report's own district-level sheet (report.xlsx)
    "sheet.changes": {"zh": "较上期变化", "en": "Since last period"},
    # a report published again: its main text's last part and report.xlsx's sheet
    "main.revisions": {"zh": "修订说明", "en": "Revisions"},
    "sheet.revisions": {"zh": "修订说明", "en": "Revisions"},
    "change.revised": {"zh": "（修订，原{old}）", "en": " (revised; was {old})"},
}
