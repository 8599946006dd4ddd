"""Everything a reader sees goes through here: labels, status names, number formats. A second
language is another column of these tables, not a rewrite."""

from __future__ import annotations

import datetime as dt
import math

STATUSES = ("over", "done", "on_track", "lagging", "serious_lag", "not_started", "no_target")

# Status colours, shared by charts, HTML and Excel (colour-blind-safe palette, Okabe-Ito based).
STATUS_COLORS = {
    "over": "#009E73",
    "done": "#56B4E9",
    "on_track": "#0072B2",
    "lagging": "#E69F00",
    "serious_lag": "#D55E00",
    "not_started": "#999999",
    "no_target": "#DDDDDD",
}

_LABELS: dict[str, dict[str, str]] = {
    # statuses
    "status.over": {"zh": "超额完成", "en": "Over-achieved"},
    "status.done": {"zh": "已完成", "en": "Completed"},
    "status.on_track": {"zh": "符合进度", "en": "On track"},
    "status.lagging": {"zh": "滞后", "en": "Lagging"},
    "status.serious_lag": {"zh": "严重滞后", "en": "Seriously lagging"},
    "status.not_started": {"zh": "未启动", "en": "Not started"},
    "status.no_target": {"zh": "无目标", "en": "No target"},
    # periods
    "period.Q1": {"zh": "第一季度", "en": "Q1"},
    "period.H1": {"zh": "上半年", "en": "First half"},
    "period.Q3": {"zh": "前三季度", "en": "Q1-Q3"},
    "period.FY": {"zh": "全年", "en": "Full year"},
    "report.Q1": {"zh": "第一季度进展通报", "en": "Q1 progress note"},
    "report.H1": {"zh": "上半年工作进展报告", "en": "Mid-year progress report"},
    "report.Q3": {"zh": "前三季度进展通报", "en": "Q3 progress note"},
    "report.FY": {"zh": "年度工作总结", "en": "Year-end report"},
    # column headers
    "col.district": {"zh": "县（市、区）", "en": "District"},
    "col.indicator": {"zh": "指标", "en": "Indicator"},
    "col.unit": {"zh": "单位", "en": "Unit"},
    "col.target": {"zh": "年度目标", "en": "Annual target"},
    "col.actual": {"zh": "累计完成", "en": "Cumulative actual"},
    "col.completion": {"zh": "完成率", "en": "Completion"},
    "col.milestone": {"zh": "进度要求", "en": "Milestone due"},
    "col.gap_pp": {"zh": "差距（百分点）", "en": "Gap (pp)"},
    "col.status": {"zh": "状态", "en": "Status"},
    "col.rank": {"zh": "排名", "en": "Rank"},
    "col.group": {"zh": "督查组", "en": "Supervision group"},
    "col.as_of": {"zh": "数据截至", "en": "Data as of"},
    "col.source": {"zh": "来源单元格", "en": "Source cell"},
    "col.count": {"zh": "项数", "en": "Items"},
    "col.date": {"zh": "日期", "en": "Date"},
    "col.file": {"zh": "文件", "en": "File"},
    "col.location": {"zh": "位置", "en": "Location"},
    "col.message": {"zh": "说明", "en": "Message"},
    "col.severity": {"zh": "级别", "en": "Severity"},
    "col.parameter": {"zh": "参数", "en": "Parameter"},
    "col.value": {"zh": "取值", "en": "Value"},
    "col.kind": {"zh": "类型", "en": "Kind"},
    "col.figures": {"zh": "数据项", "en": "Figures"},
    "col.mean_completion": {"zh": "平均完成率（单项封顶100%）", "en": "Mean completion (capped at 100%)"},
    "col.change_pp": {"zh": "变化（百分点）", "en": "Change (pp)"},
    "col.previous": {"zh": "上期完成率", "en": "Previous completion"},
    # sections
    "sec.headline": {"zh": "总体情况", "en": "Headline"},
    "sec.summary": {"zh": "一、指标完成情况汇总", "en": "1. Indicator summary"},
    "sec.charts": {"zh": "二、分地区完成情况图", "en": "2. Completion by district"},
    "sec.districts": {"zh": "三、各县（市、区）完成情况", "en": "3. District tables"},
    "sec.lagging": {"zh": "四、滞后事项（按督查组）", "en": "4. Lagging items by supervision group"},
    "sec.timeline": {"zh": "五、累计进度走势", "en": "5. Progress over time"},
    "sec.commentary": {"zh": "六、分析与评述", "en": "6. Commentary"},
    "sec.appendix": {"zh": "附录：数据来源、校验与参数", "en": "Appendix: inputs, validation, parameters"},
    # chart texts
    "chart.heatmap_title": {"zh": "各地区分项完成率", "en": "Completion by district and indicator"},
    "chart.milestone": {"zh": "进度要求", "en": "Milestone"},
    "chart.completion": {"zh": "完成率", "en": "Completion"},
    "chart.timeline_title": {"zh": "全市累计完成率与进度要求", "en": "City completion vs milestone path"},
    # misc
    "misc.demo_notice": {
        "zh": "注意：本报告的进度数据为程序生成的演示数据（固定随机种子），并非各地真实填报。",
        "en": "Note: the progress returns in this report are generated demo data (fixed seed), "
              "not real district returns."},
    "misc.report_date": {"zh": "报告日期", "en": "Report date"},
    "misc.data_as_of": {"zh": "数据截至", "en": "Data as of"},
    "misc.no_items": {"zh": "无", "en": "None"},
    "misc.none_lagging": {"zh": "本期无滞后事项。", "en": "No item is lagging."},
    "misc.city": {"zh": "全市", "en": "City"},
    "misc.error": {"zh": "错误", "en": "error"},
    "misc.warning": {"zh": "提示", "en": "warning"},
}


def label(key: str, lang: str = "zh") -> str:
    """The reader-facing text for `key` in `lang`; a missing key is a bug, so it raises."""
    try:
        entry = _LABELS[key]
    except KeyError as exc:
        raise KeyError(f"no label {key!r}") from exc
    return entry[lang]


def status_label(status: str, lang: str = "zh") -> str:
    """已完成 / 超额完成 / ... for a status code."""
    return label(f"status.{status}", lang)


def fmt_percent(fraction: float | None, lang: str = "zh", digits: int = 1) -> str:
    """0.636 -> '63.6%'; None or NaN -> '—' (no rate, e.g. a target of 0)."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "—"
    return f"{fraction * 100:.{digits}f}%"


def fmt_pp(points: float | None, lang: str = "zh") -> str:
    """Signed percentage points with one decimal: '-12.3'."""
    if points is None or (isinstance(points, float) and math.isnan(points)):
        return "—"
    value = round(points, 1)
    if value == 0:
        value = 0.0  # no '-0.0'
    return f"{value:+.1f}" if value else "0.0"


def fmt_count(value: float | int | None, lang: str = "zh") -> str:
    """A count as printed in the tables: 15000 (Chinese documents use no separators)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{int(value)}" if lang == "zh" else f"{int(value):,}"


def fmt_date(date: dt.date | None, lang: str = "zh") -> str:
    """2018年6月30日 / 30 June 2018."""
    if date is None:
        return "—"
    if lang == "zh":
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {_MONTHS_EN[date.month - 1]} {date.year}"


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def district_label(name: str, lang: str, catalog) -> str:
    """A district as shown to the reader."""
    if lang == "zh":
        return name
    district = catalog.district_by_name.get(name)
    return district.name_en if district else name


def indicator_label(code: str, lang: str, catalog, short: bool = False) -> str:
    """An indicator as shown to the reader (short form for charts)."""
    ind = catalog.indicator(code)
    if lang == "zh":
        return ind.short_zh if short else ind.name_zh
    return ind.name_en
