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
    "chart.city_completion": {"zh": "全市累计完成率", "en": "City cumulative completion"},
    "chart.no_data": {"zh": "暂无数据", "en": "No data"},
    "chart.date_md": {"zh": "{month}{day}日", "en": "{day} {month}"},  # 6月30日 / 30 Jun
    "month.1": {"zh": "1月", "en": "Jan"},
    "month.2": {"zh": "2月", "en": "Feb"},
    "month.3": {"zh": "3月", "en": "Mar"},
    "month.4": {"zh": "4月", "en": "Apr"},
    "month.5": {"zh": "5月", "en": "May"},
    "month.6": {"zh": "6月", "en": "Jun"},
    "month.7": {"zh": "7月", "en": "Jul"},
    "month.8": {"zh": "8月", "en": "Aug"},
    "month.9": {"zh": "9月", "en": "Sep"},
    "month.10": {"zh": "10月", "en": "Oct"},
    "month.11": {"zh": "11月", "en": "Nov"},
    "month.12": {"zh": "12月", "en": "Dec"},
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
    # Excel workbook (excel_report)
    "sheet.summary": {"zh": "汇总", "en": "Summary"},
    "sheet.lagging": {"zh": "滞后事项", "en": "Lagging"},
    "sheet.data": {"zh": "明细数据", "en": "Data"},
    "sheet.about": {"zh": "关于", "en": "About"},
    "col.districts_lagging": {"zh": "滞后地区数", "en": "Districts behind"},
    "col.overall_rank": {"zh": "综合排名", "en": "Overall rank"},
    "col.indicator_code": {"zh": "指标代码", "en": "Indicator code"},
    "col.target_source": {"zh": "目标来源单元格", "en": "Target source cell"},
    "col.actual_source": {"zh": "完成数来源单元格", "en": "Actual source cell"},
    "col.item": {"zh": "项目", "en": "Item"},
    "misc.year": {"zh": "年度", "en": "Year"},
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


_UNITS_EN = {"个": "", "张": "beds", "人": "people", "家": "", "套": "sets"}


def unit_label(unit: str, lang: str = "zh") -> str:
    """A unit as shown: 张 in Chinese, 'beds' in English (plain counts have no English unit)."""
    return unit if lang == "zh" else _UNITS_EN.get(unit, unit)


def fmt_month_day(date: dt.date, lang: str = "zh") -> str:
    """6月30日 / 30 Jun: a reporting date within the report's year."""
    return label("chart.date_md", lang).format(month=label(f"month.{date.month}", lang),
                                               day=date.day)


def district_label(name: str, lang: str, catalog) -> str:
    """A district as shown to the reader."""
    if lang == "zh":
        return name
    district = catalog.district_by_name.get(name)
    return district.name_en if district else name


_GROUP_NUMERALS = "一二三四五六七八九十"


def group_label(name: str, lang: str) -> str:
    """A supervision group as shown: 第一组 / Group 1."""
    if lang == "zh":
        return name
    for number, numeral in enumerate(_GROUP_NUMERALS, start=1):
        if name == f"第{numeral}组":
            return f"Group {number}"
    return name


def indicator_label(code: str, lang: str, catalog, short: bool = False) -> str:
    """An indicator as shown to the reader (short form for charts and lists)."""
    ind = catalog.indicator(code)
    if lang == "zh":
        return ind.short_zh if short else ind.name_zh
    return (ind.short_en or ind.name_en) if short else ind.name_en


# Sentence templates of the commentary, in the voice of the bureau's own summaries
# ("计划新增养老机构床位11680张,已谋划约7430张,完成目标值的63.6%").
_SENTENCES: dict[str, dict[str, str]] = {
    "overall": {
        "zh": "截至{as_of}，{total}项有目标的指标中，{done}项已完成年度目标，{on_track}项符合进度要求，"
              "{behind}项滞后于进度要求。",
        "en": "As of {as_of}, of the {total} indicators with a target, {done} have met the annual "
              "target, {on_track} are on track and {behind} are behind their milestone."},
    "overall_fy": {
        "zh": "截至{as_of}，{total}项有目标的指标中，{done}项完成或超额完成年度目标，{behind}项未完成。",
        "en": "As of {as_of}, of the {total} indicators with a target, {done} met or exceeded the "
              "annual target and {behind} did not."},
    "overall_no_data": {
        "zh": "截至{report_date}，尚未收到任何进度数据。",
        "en": "As of {report_date} no progress return has been received."},
    "indicator": {
        "zh": "{name}：年度目标{target}{unit}，累计完成{actual}{unit}，完成目标值的{completion}，{phrase}。",
        "en": "{name}: annual target {target} {unit}, {actual} {unit} done, {completion} of the "
              "target, {phrase}."},
    "indicator_no_target": {
        "zh": "{name}：未下达年度目标，累计完成{actual}{unit}。",
        "en": "{name}: no annual target set; {actual} {unit} done."},
    "phrase.over": {"zh": "超额完成年度目标", "en": "over-achieving the annual target"},
    "phrase.done": {"zh": "已完成年度目标", "en": "the annual target is met"},
    "phrase.on_track": {"zh": "达到{requirement}（{milestone}）",
                        "en": "on track ({requirement} {milestone})"},
    "phrase.lagging": {"zh": "低于{requirement}（{milestone}）{gap}个百分点",
                       "en": "{gap} percentage points below the {requirement} ({milestone})"},
    "phrase.serious_lag": {"zh": "低于{requirement}（{milestone}）{gap}个百分点，严重滞后",
                           "en": "{gap} percentage points below the {requirement} ({milestone}), "
                                 "seriously lagging"},
    "phrase.not_started": {"zh": "尚未启动（{requirement}{milestone}）",
                           "en": "not started ({requirement} {milestone})"},
    "phrase.unmet": {"zh": "未完成年度目标", "en": "the annual target was not met"},
    "best_worst": {
        "zh": "{name}完成率最高的是{best}（{best_rate}），最低的是{worst}（{worst_rate}）。",
        "en": "{name}: highest completion in {best} ({best_rate}), lowest in {worst} "
              "({worst_rate})."},
    "lagging_group": {"zh": "{group}（{districts}）：{items}。", "en": "{group} ({districts}): {items}."},
    "lagging_item": {"zh": "{name}{completion}（差{gap}个百分点，{status}）",
                     "en": "{name} {completion} ({gap} percentage points behind, {status})"},
    "lagging_district": {"zh": "{district}{items}", "en": "{district}, {items}"},
    "none_lagging": {"zh": "本期无滞后事项。", "en": "No item is behind its milestone."},
    "change": {
        "zh": "{name}完成率由{previous_period}末的{previous}{direction}至{current}（{change}个百分点）。",
        "en": "{name}: completion {direction} from {previous} at the end of {previous_period} "
              "to {current} ({change} percentage points)."},
    "direction.up": {"zh": "提高", "en": "rose"},
    "direction.down": {"zh": "下降", "en": "fell"},
    "change_same": {
        "zh": "{name}完成率与{previous_period}末持平（{current}）。",
        "en": "{name}: completion unchanged since the end of {previous_period} ({current})."},
    "no_previous": {
        "zh": "本期为年度首次通报，无上期数据可比。",
        "en": "This is the first report of the year; there is no earlier period to compare."},
    "status_improved": {"zh": "与{previous_period}相比状态好转的指标：{names}。",
                        "en": "Improved in status since {previous_period}: {names}."},
    "status_worsened": {"zh": "与{previous_period}相比状态变差的指标：{names}。",
                        "en": "Worse in status since {previous_period}: {names}."},
    "status_unchanged": {"zh": "与{previous_period}相比，各项指标状态没有变化。",
                         "en": "No indicator changed status since {previous_period}."},
    "missing_return": {"zh": "{district}未报送{date}的进度数据。",
                       "en": "{district} sent no return for {date}."},
    "dip": {"zh": "{district}{name}累计数由{before}（{date_before}）降至{after}（{date_after}），请核实。",
            "en": "{district} {name}: the cumulative figure fell from {before} ({date_before}) to "
                  "{after} ({date_after}); please check."},
    "no_warnings": {"zh": "本期数据校验未发现问题。", "en": "Validation found no data problem."},
    "year_end": {
        "zh": "全年{total}项指标中，{met}项完成或超额完成年度目标，{unmet}项未完成。",
        "en": "Over the year, {met} of {total} indicators met or exceeded the annual target and "
              "{unmet} did not."},
    "over_achievers": {"zh": "超额完成的有：{items}。", "en": "Over-achieved: {items}."},
    "under_achievers": {"zh": "未完成年度目标的有：{items}。", "en": "Not met: {items}."},
    "achiever_item": {"zh": "{name}{completion}", "en": "{name} {completion}"},
    "achiever_district": {"zh": "{district}（{items}）", "en": "{district} ({items})"},
    "carry_over": {
        "zh": "结转下一年度继续推进的任务共{count}项，见结转任务表。",
        "en": "{count} unfinished items carry into next year; see the carry-over table."},
    "carry_over_none": {"zh": "全部任务均已完成，无结转事项。",
                        "en": "Every item is complete; nothing carries into next year."},
    "list_sep": {"zh": "；", "en": "; "},
    "name_sep": {"zh": "、", "en": ", "},
}


def sentence(key: str, lang: str = "zh", **values) -> str:
    """A commentary sentence: the template for `key` in `lang` filled with `values`."""
    try:
        template = _SENTENCES[key][lang]
    except KeyError as exc:
        raise KeyError(f"no sentence template {key!r} in {lang!r}") from exc
    return template.format(**values)


_LABELS.update({
    "report.subject": {"zh": "社会养老服务体系建设重点任务",
                       "en": "key tasks of the elderly-care service system"},
    "report.title": {"zh": "{year}年{subject}{kind}", "en": "{kind} {year}: {subject}"},
    "head.done": {"zh": "已完成", "en": "Met"},
    "head.on_track": {"zh": "符合进度", "en": "On track"},
    "head.behind": {"zh": "滞后", "en": "Behind"},
    "head.total": {"zh": "指标总数", "en": "Indicators"},
    "head.items": {"zh": "项", "en": ""},
    "head.period": {"zh": "报告期", "en": "Period"},
    "head.scope": {"zh": "范围", "en": "Scope"},
    "head.scope_all": {"zh": "全市 {n} 个县（市、区）", "en": "all {n} districts"},
    "head.scope_subset": {"zh": "所选 {n} 个县（市、区）：{names}", "en": "{n} selected districts: {names}"},
    "toc": {"zh": "目录", "en": "Contents"},
    "sec.heatmap": {"zh": "各地区分项完成率热力图", "en": "Completion heatmap"},
    "sec.bars": {"zh": "分指标各地区完成率", "en": "Completion by district, per indicator"},
    "sec.timeline_table": {"zh": "全市完成率（按报送日期）", "en": "City completion by reporting date"},
    "com.overall": {"zh": "总体情况", "en": "Overall"},
    "com.indicators": {"zh": "分项指标", "en": "Indicators"},
    "com.best_worst": {"zh": "先进与后进", "en": "Best and worst districts"},
    "com.lagging": {"zh": "滞后事项", "en": "Lagging items"},
    "com.changes": {"zh": "与上期相比", "en": "Since the previous report"},
    "com.data_quality": {"zh": "数据质量", "en": "Data quality"},
    "com.year_end": {"zh": "年度总结", "en": "Year-end summary"},
    "com.carry_over": {"zh": "结转任务表", "en": "Carry-over table"},
    "col.remaining": {"zh": "尚差", "en": "Remaining"},
    "col.overall_rank": {"zh": "综合排名", "en": "Overall rank"},
    "col.districts_lagging": {"zh": "滞后地区数", "en": "Districts behind"},
    "app.inputs": {"zh": "读取的输入文件", "en": "Input files read"},
    "app.warnings": {"zh": "校验提示", "en": "Validation warnings"},
    "app.parameters": {"zh": "运行参数", "en": "Parameters"},
    "app.run": {"zh": "运行记录", "en": "Run record"},
    "app.source_hint": {"zh": "将鼠标悬停在表中数字上可查看其来源单元格。",
                        "en": "Hover over a figure in the tables to see the raw cell it came from."},
    "app.demo_files": {"zh": "演示数据文件", "en": "Demo data files"},
})
_LABELS["name_sep_text"] = {"zh": "、", "en": ", "}
_LABELS.update({
    "col.size": {"zh": "字节数", "en": "Bytes"},
    "col.sha256": {"zh": "SHA-256", "en": "SHA-256"},
    "run.commit": {"zh": "代码版本（git commit）", "en": "Code version (git commit)"},
    "run.dirty": {"zh": "有未提交的修改", "en": "Uncommitted changes"},
    "run.python": {"zh": "Python 版本", "en": "Python version"},
    "run.lock": {"zh": "依赖锁文件 requirements.lock 的 SHA-256", "en": "SHA-256 of requirements.lock"},
    "run.packages": {"zh": "已加载的软件包", "en": "Packages loaded"},
    "run.yes": {"zh": "是", "en": "yes"},
    "run.no": {"zh": "否", "en": "no"},
    "run.unknown": {"zh": "未知（不在 git 仓库中）", "en": "unknown (not a git checkout)"},
})
_LABELS.update({
    "index.title": {"zh": "已发布报告", "en": "Published reports"},
    "index.report": {"zh": "报告", "en": "Report"},
    "index.files": {"zh": "文件", "en": "Files"},
    "index.inputs": {"zh": "输入指纹", "en": "Input fingerprint"},
})
_LABELS.update({
    "milestone.time": {"zh": "序时进度", "en": "time-progress milestone"},
    "milestone.schedule": {"zh": "进度要求", "en": "scheduled milestone"},
    "head.done_fy": {"zh": "完成或超额完成", "en": "Met or exceeded"},
    "head.behind_fy": {"zh": "未完成", "en": "Not met"},
    "sep.colon": {"zh": "：", "en": ": "},
    "note.milestones": {
        "zh": "说明：完成率＝累计完成÷年度目标。进度要求为报告日应完成的比例：有时间节点的指标"
              "按市里进度安排线性插值（如助餐服务6月底前完成40%），其余按序时进度（已过天数÷全年"
              "天数，6月30日为181÷365＝49.6%）。低于进度要求为滞后，低于{serious}个百分点以上为"
              "严重滞后；累计为0为未启动，尚未到应完成时点的未启动项计入符合进度。",
        "en": "Note: completion = cumulative actual / annual target. The milestone is the share "
              "due at the report date: indicators with a schedule follow it, interpolated linearly "
              "(e.g. meal services 40% by 30 June); the others follow time progress (elapsed days / "
              "days in the year: 181/365 = 49.6% on 30 June). Below the milestone is lagging; "
              "more than {serious} percentage points below is seriously lagging; an actual of 0 is "
              "not started, counted as on track while nothing is due yet."},
})
_LABELS["col.of_period"] = {"zh": "{period}{column}", "en": "{period} {column}"}


def report_title(params) -> str:
    """The report's title, also the HTML <title> and the Excel title: the `title` parameter when
    given, else generated (2018年社会养老服务体系建设重点任务上半年工作进展报告)."""
    if getattr(params, "title", None):
        return params.title
    return label("report.title", params.lang).format(
        year=params.year, subject=label("report.subject", params.lang),
        kind=label(f"report.{params.period}", params.lang))


_LABELS.update({
    "col.raw_message": {"zh": "原始校验信息", "en": "Validation message"},
    "sheet.carry_over": {"zh": "结转任务", "en": "Carry-over"},
})


# --- The document form and the sent documents (report.docx, report.pdf, Excel print setup) ----
_LABELS.update({
    "form.doc_number": {"zh": "文号", "en": "Reference"},
    "form.drafting_date": {"zh": "成文日期", "en": "Date of issue"},
    "form.issuer": {"zh": "发文机关", "en": "Issued by"},
    # 落款 when the issuer parameter is not given: the bureau whose data is bundled (seed 001)
    "form.issuer_default": {"zh": "温州市民政局", "en": "Wenzhou Civil Affairs Bureau"},
    "doc.status_count": {"zh": "{status}（项）", "en": "{status} (items)"},
    "doc.figure": {"zh": "图{n}　{caption}", "en": "Figure {n}. {caption}"},
    "doc.page_footer": {"zh": "第 &P 页，共 &N 页", "en": "Page &P of &N"},  # Excel codes
})

_ZH_DIGITS = "零一二三四五六七八九"


def zh_numeral(n: int) -> str:
    """1..99 in Chinese numerals as used in headings: 一, 十, 十一, 二十三."""
    if not 1 <= n <= 99:
        raise ValueError(f"no Chinese heading numeral for {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _ZH_DIGITS[tens] + "十")
    return head + (_ZH_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int, lang: str = "zh") -> str:
    """The number a document heading starts with: 一、 （一） 1. in Chinese official style
    (GB/T 9704), 1. (1) (a) in English."""
    if lang == "zh":
        return {1: f"{zh_numeral(n)}、", 2: f"（{zh_numeral(n)}）", 3: f"{n}．"}[level]
    return {1: f"{n}. ", 2: f"({n}) ", 3: f"({chr(ord('a') + n - 1)}) "}[level]


def unnumbered(heading: str) -> str:
    """A section label without the number it carries in the HTML ('一、指标完成情况汇总' ->
    '指标完成情况汇总', '1. Indicator summary' -> 'Indicator summary'): documents number their
    own headings."""
    import re

    return re.sub(r"^(?:[一二三四五六七八九十]+、|\d+\.\s*)", "", heading)


def document_issuer(params) -> str:
    """落款: the issuer parameter, or the bundled data's bureau in the report's language."""
    return getattr(params, "issuer", None) or label("form.issuer_default", params.lang)
