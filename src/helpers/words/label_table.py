"""The reader-facing texts of labels, headers, notes and captions, by key and language
(helpers.words.labels.label reads them). A second language is another column here."""

from __future__ import annotations

from helpers.words.change_label_table import CHANGE_LABELS
from helpers.words.document_label_table import DOCUMENT_LABELS

LABELS: dict[str, dict[str, str]] = {
    # statuses (the vocabulary above)
    "status.over": {"zh": "超额完成", "en": "Over-achieved"},
    "status.done": {"zh": "已完成", "en": "Completed"},
    "status.on_time": {"zh": "按期完成", "en": "Done on time"},
    "status.late": {"zh": "逾期完成", "en": "Done late"},
    "status.on_track": {"zh": "符合进度", "en": "On track"},
    "status.near": {"zh": "基本符合进度", "en": "Broadly on track"},
    "status.met": {"zh": "达标", "en": "Meets the level"},
    "status.lagging": {"zh": "滞后", "en": "Lagging"},
    "status.serious_lag": {"zh": "严重滞后", "en": "Seriously lagging"},
    "status.not_started": {"zh": "未启动", "en": "Not started"},
    "status.below": {"zh": "未达标", "en": "Below the level"},
    "status.unmet": {"zh": "未完成", "en": "Not met"},
    "status.overdue": {"zh": "逾期未完成", "en": "Overdue"},
    "status.not_due": {"zh": "未到期", "en": "Not yet due"},
    "status.no_target": {"zh": "无目标", "en": "No target"},
    "status.no_data": {"zh": "无数据", "en": "No data"},
    # periods and titles
    "period.Q1": {"zh": "第一季度", "en": "Q1"},
    "period.H1": {"zh": "上半年", "en": "First half"},
    "period.Q3": {"zh": "前三季度", "en": "Q1-Q3"},
    "period.FY": {"zh": "全年", "en": "Full year"},
    "report.Q1": {"zh": "第一季度进展情况通报", "en": "Q1 progress note"},
    "report.H1": {"zh": "上半年进展情况通报", "en": "Mid-year progress report"},
    "report.Q3": {"zh": "前三季度进展情况通报", "en": "Q3 progress note"},
    "report.FY": {"zh": "年度工作总结", "en": "Year-end report"},
    "report.subject": {"zh": "社会养老服务体系建设重点任务",
                       "en": "key tasks of the elderly-care service system"},
    "report.title": {"zh": "{year}年{subject}{kind}", "en": "{kind} {year}: {subject}"},
    # column headers
    "col.district": {"zh": "县（市、区）", "en": "District"},
    "col.indicator": {"zh": "指标", "en": "Indicator"},
    "col.unit": {"zh": "单位", "en": "Unit"},
    "col.target": {"zh": "年度目标", "en": "Annual target"},
    "col.actual": {"zh": "累计完成", "en": "Cumulative actual"},
    "col.completion": {"zh": "完成率", "en": "Completion"},
    "col.milestone": {"zh": "进度要求", "en": "Requirement"},
    "col.due_units": {"zh": "应完成数", "en": "Due by now"},
    "col.shortfall": {"zh": "差额", "en": "Short by"},
    "col.gap_pp": {"zh": "差距（百分点）", "en": "Gap (pp)"},
    "col.status": {"zh": "状态", "en": "Status"},
    "col.rank": {"zh": "排名", "en": "Rank"},
    "col.group": {"zh": "督查组", "en": "Supervision group"},
    "col.as_of": {"zh": "数据截至", "en": "Data as of"},
    "col.source": {"zh": "来源单元格", "en": "Source cell"},
    "col.date": {"zh": "日期", "en": "Date"},
    "col.file": {"zh": "文件", "en": "File"},
    "col.location": {"zh": "位置", "en": "Location"},
    "col.message": {"zh": "说明", "en": "Message"},
    "col.severity": {"zh": "级别", "en": "Severity"},
    "col.parameter": {"zh": "参数", "en": "Parameter"},
    "col.value": {"zh": "取值", "en": "Value"},
    "col.kind": {"zh": "类型", "en": "Kind"},
    "col.figures": {"zh": "数据项", "en": "Figures"},
    "col.mean_completion": {"zh": "应完成数平均完成度（单项封顶100%）",
                            "en": "Mean share of what was due done (each capped at 100%)"},
    "col.change_pp": {"zh": "变化（百分点）", "en": "Change (pp)"},
    # every district short of its requirement: 滞后, 严重滞后, 未启动, 逾期未完成, 未完成, 未达标
    "col.districts_behind": {"zh": "未达要求地区数", "en": "Districts short"},
    "col.districts_behind.fy": {"zh": "未完成或未达标地区数", "en": "Districts short"},
    "col.district_shortfall": {"zh": "各地差额合计", "en": "Districts short by (sum)"},
    "col.below_items": {"zh": "未达标事项", "en": "Below the level"},
    "col.tied": {"zh": "并列", "en": "Tied"},
    "col.ranked_of": {"zh": "参与排名地区数", "en": "Districts ranked"},
    "col.indicator_code": {"zh": "指标代码", "en": "Indicator code"},
    "col.target_source": {"zh": "目标来源单元格", "en": "Target source cell"},
    "col.actual_source": {"zh": "完成数来源单元格", "en": "Actual source cell"},
    "col.judged_source": {"zh": "考核数来源单元格", "en": "Judged figure source cell"},
    "col.denominator_source": {"zh": "分母来源", "en": "Denominator source"},
    "col.item": {"zh": "项目", "en": "Item"},
    "col.remaining": {"zh": "尚差", "en": "Remaining"},
    "col.of_period": {"zh": "{period}{column}", "en": "{period} {column}"},
    "col.raw_message": {"zh": "原始校验信息", "en": "Validation message"},
    "col.size": {"zh": "字节数", "en": "Bytes"},
    "col.sha256": {"zh": "SHA-256", "en": "SHA-256"},
    "col.basis": {"zh": "考核方式", "en": "Judged on"},
    "col.stage": {"zh": "节点", "en": "Stage"},
    "col.due_date": {"zh": "截止日期", "en": "Due date"},
    "col.deadline": {"zh": "完成时限", "en": "Deadline"},
    "col.judged_actual": {"zh": "考核数", "en": "Judged figure"},
    # shares
    "col.threshold": {"zh": "要求比例", "en": "Required share"},
    "col.numerator": {"zh": "分子", "en": "Numerator"},
    "col.denominator": {"zh": "分母", "en": "Denominator"},
    "col.share": {"zh": "占比", "en": "Share"},
    "col.definition": {"zh": "口径", "en": "Definition"},
    "col.districts_below": {"zh": "未达标地区数", "en": "Districts below"},
    # ranking
    "col.due_items": {"zh": "到期事项", "en": "Items due"},
    "col.on_track_items": {"zh": "符合进度事项", "en": "On track"},
    "col.on_track_share": {"zh": "符合进度比例", "en": "Share on track"},
    "col.status_items": {"zh": "{status}事项", "en": "{status}"},
    "col.overall_rank": {"zh": "综合排名", "en": "Overall rank"},
    "rank.tied": {"zh": "{rank}（并列）", "en": "{rank} (tied)"},
    "rank.of": {"zh": "{rank}/{n}", "en": "{rank}/{n}"},
    "rank.none": {"zh": "无到期事项", "en": "nothing due"},
    # checkpoints
    "col.required": {"zh": "应完成", "en": "Required"},
    "col.done_by_due": {"zh": "截止日完成", "en": "Done by the due date"},
    "col.done_now": {"zh": "目前完成", "en": "Done now"},
    "col.reached_on": {"zh": "达到日期", "en": "Reached on"},
    "col.districts_on_time": {"zh": "按期完成（个）", "en": "On time (districts)"},
    "col.districts_late": {"zh": "逾期完成（个）", "en": "Late (districts)"},
    "col.districts_overdue": {"zh": "逾期未完成（个）", "en": "Overdue (districts)"},
    "col.districts_unmet": {"zh": "未完成（个）", "en": "Missed (districts)"},
    "col.districts_not_due": {"zh": "未到期（个）", "en": "Not yet due (districts)"},
    "stage.own": {"zh": "完成{share}", "en": "{share} done"},
    "stage.built": {"zh": "建成", "en": "built"},
    "stage.count": {"zh": "{stage}{n}{unit}", "en": "{stage} {n}{unit}"},
    "col.stages_done": {"zh": "各阶段完成数", "en": "Units by stage"},
    "stage.all": {"zh": "完成全部任务", "en": "all done"},
    # forward look
    "col.months_elapsed": {"zh": "已过月数", "en": "Months elapsed"},
    "col.pace": {"zh": "月均完成", "en": "Pace per month"},
    "col.required_pace": {"zh": "尚需月均", "en": "Pace required"},
    "col.projected": {"zh": "预计截止日完成", "en": "Projected at deadline"},
    "col.projected_completion": {"zh": "预计完成率", "en": "Projected completion"},
    "col.at_risk": {"zh": "风险", "en": "Risk"},
    "risk.yes": {"zh": "有完不成风险", "en": "at risk"},
    "risk.no": {"zh": "可按期完成", "en": "on course"},
    "col.backtest_as_of": {"zh": "预判时点", "en": "Projected at"},
    "col.items": {"zh": "预判事项", "en": "Items projected"},
    "col.flagged": {"zh": "提示风险", "en": "Flagged at risk"},
    "col.missed": {"zh": "截止日未完成", "en": "Missed the deadline"},
    "col.flagged_and_missed": {"zh": "提示且未完成", "en": "Flagged and missed"},
    "col.mean_abs_error": {"zh": "预计与实际完成率平均相差（百分点）",
                           "en": "Mean difference, projected vs actual (pp)"},
    # requirement texts (the 进度要求 column)
    "req.stage": {"zh": "{date}前{stage}", "en": "{stage} by {date}"},
    "req.deadline": {"zh": "{date}前完成", "en": "complete by {date}"},
    "req.level": {"zh": "达到目标数", "en": "the target level"},
    "req.threshold": {"zh": "不低于{share}", "en": "at least {share}"},
    "basis.time": {"zh": "序时进度（已过天数÷全年天数）", "en": "time progress (days elapsed / days in the year)"},
    "basis.schedule": {"zh": "工作方案进度安排（节点间线性插值）", "en": "the work plan's schedule (linear between dates)"},
    "basis.stage": {"zh": "工作方案节点", "en": "the work plan's stage"},
    "basis.small": {"zh": "小目标：按完成时限考核是否完成", "en": "small target: done or not by the deadline"},
    "basis.deadline": {"zh": "完成时限考核", "en": "the deadline"},
    "basis.level": {"zh": "存量指标：对照目标数", "en": "a level: against the target"},
    "basis.threshold": {"zh": "占比指标：对照要求比例", "en": "a share: against the required share"},
    "basis.none": {"zh": "无目标", "en": "no target"},
    # sections
    # the document as sent: its main text's parts and its 附件 (helpers.words.document_plan)
    "main.progress": {"zh": "总体进展", "en": "Overall progress"},
    "main.progress.fy": {"zh": "目标任务完成情况", "en": "Results against the targets"},
    "main.standing": {"zh": "各地进展与排名", "en": "Districts and their ranking"},
    "main.standing.fy": {"zh": "各地完成情况", "en": "Districts' results"},
    "main.compared": {"zh": "与年中相比", "en": "Compared with mid-year"},
    "main.compared_year": {"zh": "与年中、上年相比", "en": "Compared with mid-year and the year before"},
    "main.problems": {"zh": "存在问题", "en": "Problems"},
    "main.problems.fy": {"zh": "存在的问题及原因", "en": "Problems and their causes"},
    "main.next": {"zh": "下步工作要求", "en": "Next steps"},
    "main.next.fy": {"zh": "{next_year}年工作重点", "en": "Priorities for {next_year}"},
    "main.opening_tail": {"zh": "现将有关情况通报如下：", "en": "The details follow."},
    "main.opening_tail.fy": {"zh": "现将全年工作情况总结如下：", "en": "The year is summarised below."},
    "sec.plan_targets": {"zh": "民生实事项目完成情况", "en": "The livelihood projects"},
    "sheet.plan_targets": {"zh": "民生实事", "en": "Livelihood projects"},
    "note.plan_targets": {
        "zh": "说明：民生实事目标见当年民生实事项目工作方案，分解下达见重点任务通知（文号见“依据”栏）；助餐、配送餐服务覆盖城乡社区的比例按提供助餐、配送餐服务的照料中心数÷城乡社区数计算（每个照料中心按覆盖一个社区计）；未达分解要求的县（市、区）在到期后列出。",
        "en": "Note: the livelihood targets are the work plan's, the allocation the key-task "
              "notice's; the share of communities with meal services is meal-service stations "
              "÷ communities (a station serving one community); the districts short of the "
              "allocation are listed once it is due."},
    "col.plan_name": {"zh": "项目", "en": "Project"},
    "col.plan_basis": {"zh": "依据", "en": "Source"},
    "col.plan_target": {"zh": "民生实事目标", "en": "Livelihood target"},
    "col.plan_allocation": {"zh": "分解下达", "en": "Allocated"},
    "col.plan_due": {"zh": "完成时限", "en": "Due"},
    "col.plan_done": {"zh": "完成情况", "en": "Done"},
    "col.plan_short": {"zh": "未达分解要求的县（市、区）", "en": "Districts short of the allocation"},
    "plan.at_least": {"zh": "{share}以上", "en": "at least {share}"},
    "plan.every_district": {"zh": "各县（市、区）完成{stage}", "en": "every district: {stage}"},
    "plan.districts_done": {"zh": "{n}/{total}个县（市、区）", "en": "{n} of {total} districts"},
    "plan.each_district": {"zh": "各县（市、区）至少{n}{unit}", "en": "{n}{unit} or more in every district"},
    "plan.districts_reached": {"zh": "{n}/{total}个县（市、区），共{actual}{unit}",
                               "en": "{n} of {total} districts, {actual}{unit} in all"},
    "plan.share_done": {"zh": "{share}（{n}/{d}）", "en": "{share} ({n}/{d})"},
    "plan.by_due_cell": {"zh": "（到期时{n}{unit}）", "en": " ({n}{unit} when due)"},
    "annex.number": {"zh": "附件{n}", "en": "Annex {n}"},
    "form.date_to_fill": {"zh": "　　　　年　　月　　日", "en": "(date to be filled in)"},
    "col.ledger_link": {"zh": "未销号整改事项", "en": "Open ledger items"},
    "col.ledger_link_text": {"zh": "{n}个，最早限期{deadline}", "en": "{n}, earliest due {deadline}"},
    "annex.see": {"zh": "（详见附件{n}）", "en": " (see Annex {n})"},
    "annex.list_head": {"zh": "附件：", "en": "Annexes: "},
    "annex.list_item": {"zh": "{n}．{title}", "en": "{n}. {title}"},
    "annex.summary": {"zh": "指标完成情况汇总表", "en": "Indicator summary"},
    "annex.ranking": {"zh": "各县（市、区）通报排名", "en": "District ranking"},
    "annex.ranking.fy": {"zh": "各县（市、区）完成情况排名", "en": "District ranking at the year end"},
    "annex.checkpoints": {"zh": "节点任务完成情况", "en": "Dated requirements of the work plan"},
    "annex.lagging": {"zh": "滞后事项清单（按督查组）", "en": "Items behind, by supervision group"},
    "annex.lagging.fy": {"zh": "未完成事项清单（按督查组）", "en": "Targets missed, by supervision group"},
    "annex.timeline": {"zh": "累计进度走势与预判", "en": "Progress over time and the forward look"},
    "annex.timeline.fy": {"zh": "累计进度走势", "en": "Progress over time"},
    "annex.changes": {"zh": "与{previous}相比的变化", "en": "Changes since the {previous} report"},
    "annex.ledger": {"zh": "“回头看”问题整改台账", "en": "Problem ledger (look-back campaign)"},
    "annex.changes_year": {"zh": "与{previous}、上年相比的变化",
                           "en": "Changes since the {previous} report and the year before"},
    "sec.year_on_year": {"zh": "与上年相比", "en": "Compared with the year before"},
    "sheet.year_on_year": {"zh": "比上年", "en": "Year on year"},
    "col.previous_year_actual": {"zh": "上年完成", "en": "Done the year before"},
    "col.year_actual": {"zh": "本年完成", "en": "Done this year"},
    "col.year_change": {"zh": "增减", "en": "Change"},
    "col.previous_year_completion": {"zh": "上年完成率", "en": "Completion the year before"},
    "col.year_completion": {"zh": "本年完成率", "en": "Completion this year"},
    "note.year_on_year": {
        "zh": "说明：上年完成数和完成率按上年年度报告的同一口径计算（对照上年的分解任务）。",
        "en": "Note: the year before is computed as its own year-end report (against its own "
              "allocation); demo data are marked."},
    "sec.shares": {"zh": "占比类指标", "en": "Share indicators"},
    "sec.forward": {"zh": "进度预判", "en": "Forward look"},
    "sec.backtest": {"zh": "往期进度预判的检验", "en": "How the forward looks fared"},
    "sec.charts": {"zh": "分地区完成情况图", "en": "Completion by district"},
    "sec.districts": {"zh": "各县（市、区）完成情况", "en": "District tables"},
    "sec.appendix": {"zh": "附录：数据来源、校验与参数", "en": "Appendix: inputs, validation, parameters"},
    "sec.heatmap": {"zh": "各地区分项完成率热力图", "en": "Completion heatmap"},
    "sec.bars": {"zh": "分指标各地区完成率", "en": "Completion by district, per indicator"},
    "sec.timeline_table": {"zh": "全市完成率（按报送日期）", "en": "City completion by reporting date"},
    "sec.checkpoint_matrix": {"zh": "分地区节点完成情况", "en": "Stages by district"},
    "sec.forward_city": {"zh": "全市分指标预判", "en": "City, per indicator"},
    "sec.forward_risk": {"zh": "有完不成风险的事项（{n}项）", "en": "Items at risk ({n})"},
    "toc": {"zh": "目录", "en": "Contents"},
    # commentary headings
    "com.data_quality": {"zh": "数据质量", "en": "Data quality"},
    "com.carry_over": {"zh": "结转任务表", "en": "Carry-over table"},
    # first screen
    "head.period": {"zh": "报告期", "en": "Period"},
    "head.scope": {"zh": "范围", "en": "Scope"},
    "head.scope_all": {"zh": "全市 {n} 个县（市、区）", "en": "all {n} districts"},
    "head.scope_subset": {"zh": "所选 {n} 个县（市、区）：{names}", "en": "{n} selected districts: {names}"},
    "head.total": {"zh": "指标总数", "en": "Indicators"},
    "head.indicators": {"zh": "全市各项指标", "en": "City, by indicator"},
    "head.districts": {"zh": "各县（市、区）", "en": "Districts"},
    "head.more_districts": {"zh": "等，共{n}个（各地见“各县（市、区）完成情况”）",
                            "en": " and others, {n} in all (each in its district's detail)"},
    "head.serious_districts": {"zh": "有严重滞后、未启动、逾期未完成或未完成事项的县（市、区）",
                               "en": "Districts with items seriously behind, not started, "
                                     "overdue or missed"},
    "head.unmet_districts": {"zh": "有未完成或逾期未完成事项的县（市、区）",
                             "en": "Districts with a target missed or a stage overdue"},
    "head.all_on_track": {"zh": "各县（市、区）均无严重滞后、未启动、逾期未完成或未完成事项。",
                          "en": "No district has an item seriously behind, not started, "
                                "overdue or missed."},
    "head.district_items": {"zh": "{district}（{n}项）", "en": "{district} ({n})"},
    # charts
    "chart.heatmap_title": {"zh": "各地区分项完成率", "en": "Completion by district and indicator"},
    "chart.milestone": {"zh": "进度要求", "en": "Requirement"},
    "chart.threshold": {"zh": "要求比例", "en": "Required share"},
    "chart.completion": {"zh": "完成率", "en": "Completion"},
    "chart.share": {"zh": "占比", "en": "Share"},
    # a stage's bars: the units that reached the stage over the target, not a completion
    "chart.stage_share": {"zh": "{stage}数占年度目标比例（不是建成率）",
                          "en": "{stage}: units over the annual target (not built)"},
    "chart.timeline_title": {"zh": "全市累计完成率与进度要求", "en": "City completion vs milestone path"},
    "chart.city_completion": {"zh": "全市累计完成率", "en": "City cumulative completion"},
    "chart.no_data": {"zh": "暂无数据", "en": "No data"},
    "misc.districts_collapsed": {
        "zh": "县（市、区）较多，各地明细默认收起：点击名称展开；在浏览器中查找（Ctrl+F）地名会自动展开。",
        "en": "Many districts: each one's detail is folded; click a name to open it, or find "
              "a name in the browser (Ctrl+F), which opens it."},
    "chart.bars_middle_left_out": {"zh": "……中间{count}个县（市、区）略，全部见report.xlsx……",
                                   "en": "... {count} districts in between left out; all are "
                                         "in report.xlsx ..."},
    "chart.heatmap_subset": {
        "zh": "共{total}个县（市、区），图中列出综合排名最后的{shown}个；全部见report.xlsx"
              "“明细数据”表。",
        "en": "{total} districts: the chart shows the {shown} ranked last; all are in "
              "report.xlsx."},
    "chart.bars_subset": {
        "zh": "共{total}个县（市、区），每图列出完成率最低和最高的各{each}个。",
        "en": "{total} districts: each chart shows the {each} lowest and the {each} highest."},
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
    "misc.demo_reference": {
        "zh": "本报告所用的{names}为演示推算数，非官方统计。",
        "en": "The {names} used in this report are illustrative estimates, not official "
              "statistics."},
    "misc.report_date": {"zh": "报告日期", "en": "Report date"},
    "misc.data_as_of": {"zh": "数据截至", "en": "Data as of"},
    "misc.no_items": {"zh": "无", "en": "None"},
    "misc.none_lagging": {"zh": "本期无滞后事项。", "en": "No item is lagging."},
    "misc.none_at_risk": {"zh": "按目前进度推算，各项任务均可按期完成。",
                          "en": "At the pace so far, every item is on course for its deadline."},
    "misc.city": {"zh": "全市", "en": "City"},
    "misc.error": {"zh": "错误", "en": "error"},
    "misc.warning": {"zh": "提示", "en": "warning"},
    "misc.year": {"zh": "年度", "en": "Year"},
    "name_sep_text": {"zh": "、", "en": ", "},
    "sep.colon": {"zh": "：", "en": ": "},
    "sep.comma": {"zh": "，", "en": ", "},
    "sep.name": {"zh": "、", "en": ", "},
    "legend.matrix": {"zh": "图例（单元格为目前完成数／应完成数）：", "en": "Key (cells: done now / required): "},
    "location.cell": {"zh": "工作表“{sheet}”{cell}单元格", "en": "sheet {sheet}, cell {cell}"},
    "location.row": {"zh": "工作表“{sheet}”第{row}行", "en": "sheet {sheet}, row {row}"},
    "location.line": {"zh": "第{line}行", "en": "line {line}"},
    "location.date": {"zh": "{date}", "en": "date {date}"},
    "section_number": {"zh": "{numeral}、{text}", "en": "{number}. {text}"},
    # Excel workbook (excel_report)
    "sheet.summary": {"zh": "汇总", "en": "Summary"},
    "sheet.lagging": {"zh": "滞后事项", "en": "Lagging"},
    "sheet.data": {"zh": "明细数据", "en": "Data"},
    "sheet.about": {"zh": "关于", "en": "About"},
    "sheet.carry_over": {"zh": "结转任务", "en": "Carry-over"},
    "sheet.ranking": {"zh": "通报排名", "en": "Ranking"},
    "sheet.checkpoints": {"zh": "节点任务", "en": "Stages"},
    "sheet.shares": {"zh": "占比指标", "en": "Shares"},
    "sheet.forward": {"zh": "进度预判", "en": "Forward look"},
    # appendix and run record
    "app.inputs": {"zh": "读取的输入文件", "en": "Input files read"},
    "app.warnings": {"zh": "校验提示", "en": "Validation warnings"},
    "app.parameters": {"zh": "运行参数", "en": "Parameters"},
    "app.run": {"zh": "运行记录", "en": "Run record"},
    "app.source_hint": {"zh": "将鼠标悬停在表中数字上可查看其来源单元格。",
                        "en": "Hover over a figure in the tables to see the raw cell it came from."},
    "app.source_hint_print": {
        "zh": "表中各数字的来源单元格见 report.xlsx「{sheet}」工作表和 tables/facts.csv。",
        "en": "Each figure's raw cell is in report.xlsx ({sheet}) and tables/facts.csv."},
    "app.source_hint_large": {
        "zh": "县（市、区）较多，页面不逐一标注数字的来源单元格：来源见 report.xlsx"
              "「{sheet}」工作表和 tables/district_indicator.csv 的来源列。",
        "en": "With this many districts the page does not show each figure's raw cell: the "
              "source columns of report.xlsx ({sheet} sheet) and "
              "tables/district_indicator.csv have them."},
    "note.lagging_large": {
        "zh": "滞后事项共{n}项。县（市、区）较多，以下每个督查组至多列出{shown}项：每项指标差额"
              "（差多少个、张、人）最大的县（市、区）；全部事项见各县（市、区）明细和 report.xlsx"
              "「{sheet}」工作表。",
        "en": "{n} items are behind. With this many districts each supervision group lists at "
              "most {shown}: for each indicator the districts furthest behind in units; every "
              "item is in its district's detail and in report.xlsx ({sheet} sheet)."},
    "sec.lagging_group_large": {"zh": "{group}（{districts}个县（市、区），滞后{n}项）",
                                "en": "{group} ({districts} districts, {n} items behind)"},
    "sec.forward_risk_large": {
        "zh": "有完不成风险的事项（{n}项，列出预计完成率最低的{shown}项，全部见 report.xlsx"
              "「{sheet}」工作表）",
        "en": "Items at risk ({n}; the {shown} with the lowest projected completion shown, "
              "all in report.xlsx, {sheet} sheet)"},
    "app.demo_files": {"zh": "演示数据文件", "en": "Demo data files"},
    "app.narrative": {"zh": "书面材料核对", "en": "Written sections checked"},
    "run.commit": {"zh": "代码版本（git commit）", "en": "Code version (git commit)"},
    "run.dirty": {"zh": "有未提交的修改", "en": "Uncommitted changes"},
    "run.python": {"zh": "Python 版本", "en": "Python version"},
    "run.lock": {"zh": "依赖锁文件 requirements.lock 的 SHA-256", "en": "SHA-256 of requirements.lock"},
    "run.packages": {"zh": "软件包版本", "en": "Package versions"},
    "run.yes": {"zh": "是", "en": "yes"},
    "run.no": {"zh": "否", "en": "no"},
    "run.unknown": {"zh": "未知（不在 git 仓库中）", "en": "unknown (not a git checkout)"},
    # index page
    "index.title": {"zh": "已发布报告", "en": "Published reports"},
    "index.report": {"zh": "报告", "en": "Report"},
    "index.files": {"zh": "文件", "en": "Files"},
    "index.inputs": {"zh": "输入指纹", "en": "Input fingerprint"},
    "index.unreadable": {"zh": "以下文件夹的 manifest.json 无法读取，未列入", "en": "Not listed: the manifest.json of these folders could not be read"},
    "index.behind": {"zh": "滞后或未完成", "en": "Behind or missed"},
    "index.good": {"zh": "完成或符合进度", "en": "Done or on track"},
    # notes under tables: the rules in the reader's words
    # the rules note's examples, from the year's own plan (helpers.words.report_notes)
    "note.rules.schedule_example": {"zh": "，如{name}{date}前完成{share}",
                                    "en": ", e.g. {name} {share} by {date}"},
    "note.rules.stage_example": {"zh": "如{name}{date}前完成{stage}，",
                                 "en": "e.g. {name}: {stage} by {date}; "},
    "note.rules.deadline_example": {"zh": "工作方案要求{date}完成的，以{date}为准，其余以年底为准",
                                    "en": "{date} where the work plan says so, the year end "
                                          "otherwise"},
    "note.rules.year_end": {"zh": "以年底为准", "en": "the year end"},
    "note.rules": {
        "zh": "说明：完成率＝累计完成÷年度目标。进度要求为报告日应完成的比例或节点：有进度安排的指标"
              "按工作方案（节点之间线性插值{schedule_example}），其余按序时进度（已过天数÷全年"
              "天数，{date}为{days}÷{year_days}＝{progress}）；分阶段推进的任务按当时应完成的节点考核（{stage_example}"
              "节点日后未完成为逾期未完成）。应完成数＝年度目标×进度要求，向上取整（不足一个单位也"
              "算应完成）；差额＝应完成数－已完成数。"
              "差额不超过年度目标的{tolerance}%为基本符合进度；低于进度要求"
              "{serious}个百分点以上（含）为严重滞后；应完成而累计为0为未启动。年度目标为1至{small}个的单项任务"
              "按完成时限考核是否完成，时限前为未到期。到达完成时限（{deadline_example}）后：时限前完成为按期完成，时限后完成为逾期完成，否则为未完成。存量指标"
              "（如享受补贴人数）对照目标数考核，占比指标对照要求比例考核，达到为达标。",
        "en": "Note: completion = cumulative actual / annual target. The requirement is the share "
              "or stage due at the report date: indicators with a schedule follow the work plan "
              "(linear between its dates{schedule_example}); the others follow time "
              "progress (days elapsed / days in the year: {days}/{year_days} = {progress} on {date}); tasks "
              "done in stages are judged on the stage due ({stage_example}"
              "not done after its date: overdue). Due by now = target x requirement, rounded up (a "
              "part of a unit is owed); short by = due - done. A shortfall of at "
              "most {tolerance}% of the target is broadly on track; {serious} "
              "points or more below is seriously lagging; nothing done where something is due is "
              "not started. Targets of 1 to {small} are judged done or not by their deadline, not "
              "yet due before it. From the deadline ({deadline_example}): done by it is on time, done after it late, otherwise not met. "
              "Levels (subsidy recipients) are judged against the target, shares against the "
              "required share."},
    "note.ranking": {
        "zh": "排名方法：只计报告日已到期的事项（未到期和无目标的不计）。{method}两项均按显示的一位"
              "小数比较，相同者并列。",
        "en": "Method: only items due at the report date count (not yet due and no-target items are "
              "left out). {method} Both are compared as printed (one decimal); equal districts share "
              "a rank."},
    "note.ranking.on_track_share": {
        "zh": "先比较符合进度事项（符合进度、基本符合进度、已完成、超额完成、按期完成、达标）占到期事项"
              "的比例，再比较到期事项的应完成数平均完成度（每项为已完成数÷报告日应完成数，超过100%的按100%计）。",
        "en": "Districts are ordered by the share of their due items on track (on track, broadly on "
              "track, completed, over-achieved, done on time, meets the level), then by the mean "
              "share of what was due that was done (units done / units due at the report date, "
              "each capped at 100%)."},
    "note.ranking.mean_completion": {
        "zh": "按到期事项的应完成数平均完成度排名（每项为已完成数÷报告日应完成数，超过100%的按100%计）。",
        "en": "Districts are ordered by the mean share of what was due that was done (units done "
              "/ units due at the report date, each capped at 100%)."},
    "note.checkpoints": {
        "zh": "说明：节点截止日前（含当日）报送的数达到应完成数为按期完成，之后达到为逾期完成，截止日已过"
              "仍未达到为逾期未完成，截止日未到为未到期。",
        "en": "Note: reaching the units required in a return dated on or before the due date is on "
              "time, reaching them later is late, not reaching them after the due date is overdue, "
              "before the due date not yet due."},
    "note.forward": {
        "zh": "预判方法：保持目前相对于进度要求的完成比例推算，预计完成时限时完成＝累计完成÷目前的进度要求"
              "（无进度安排的按序时进度，即按月均进度直线推算；有进度安排的按工作方案的节点，如助餐服务6月底应完成40%，"
              "6月底完成36%的预计完成90%）；预计差额超过年度目标{tolerance}%的（与基本符合进度的标准相同）为存在不能按期完成的风险。"
              "月均完成＝累计完成÷已过月数，今后每月需完成＝（年度目标－累计完成）÷距完成时限的月数"
              "（月均数有小数的进一位）；预计完成数舍去小数。分阶段推进的任务、"
              "年度目标为1至{small}个的单项任务、存量和占比指标不作推算。",
        "en": "Method: each item keeps its pace relative to the requirement: projected at the "
              "deadline = actual / the share due now (time progress without a schedule, i.e. the "
              "linear run-rate; the work plan's nodes with one: meal services due 40% by 30 June, "
              "36% done then projects 90%); a projection short by more than {tolerance}% of the "
              "target (the broadly-on-track rule) is at risk. Pace per month = actual / months "
              "elapsed; pace needed = (target - actual) / months to the deadline; paces are "
              "rounded up, projections down. Stages, targets of 1 to "
              "{small}, levels and shares are not projected."},
    "note.forward_months": {
        "zh": "月数按天数折算：已过月数＝已过天数÷全年天数×12，截至{date}为{elapsed}个月。",
        "en": "Months are counted in days: months elapsed = days elapsed / days in the year x 12, "
              "{elapsed} at {date}."},
    "note.city": {
        "zh": "说明：工作方案列明时间节点的任务（{tasks}）按各县（市、区）逐一考核，应完成数和差额为各地之和，"
              "超额完成地区不抵补其他地区；其余指标全市按合计考核。各地差额合计为未达要求的县（市、区）差额之和。",
        "en": "Note: tasks the work plan dates ({tasks}) are judged district by district: what is "
              "due and short is summed over the districts, and a district's surplus does not make "
              "up for another's shortfall; the other indicators are judged on the city total. "
              "Districts short by: the sum of the shortfalls of the districts behind."},
    "note.city_total": {
        "zh": "说明：本年度工作方案未对各县（市、区）列明时间节点，各项指标全市按合计考核。",
        "en": "Note: the year's work plan dates no district's part; every indicator is judged on "
              "the city total."},
    "note.shares": {
        "zh": "占比＝分子÷分母；差额为达到要求比例还需增加的分子数（向上取整）。",
        "en": "Share = numerator / denominator; short by = how many more of the numerator reach the "
              "required share (rounded up)."},
}

# The problem ledger (seed 002) and the written sections (helpers.render.html_ledger,
# helpers.words.written_sections).
LABELS.update({
    "sec.ledger": {"zh": "问题整改情况（“回头看”台账）", "en": "Problem ledger (look-back campaign)"},
    # briefs (helpers.render.brief_page): one short document per district or supervision group
    "brief.title": {"zh": "{year}年{subject}{period}进展简报（{unit}）",
                    "en": "{period} progress brief {year}, {subject}: {unit}"},
    "brief.title_custom": {"zh": "{title}（{unit}）", "en": "{title} ({unit})"},
    "brief.sec.overall": {"zh": "总体情况", "en": "Overview"},
    "brief.sec.indicators": {"zh": "分项指标完成情况", "en": "Indicators"},
    "brief.sec.lagging": {"zh": "滞后事项", "en": "Items behind"},
    "brief.sec.lagging.fy": {"zh": "未完成事项", "en": "Targets missed"},
    "brief.sec.checkpoints": {"zh": "节点任务完成情况", "en": "Dated requirements of the work plan"},
    "brief.sec.forward": {"zh": "到完成时限有完不成风险的事项", "en": "Items at risk by the deadline"},
    "brief.sec.ledger": {"zh": "问题整改情况（“回头看”台账）",
                         "en": "Problem ledger (look-back campaign)"},
    "brief.tiles.district": {"zh": "本地各项指标", "en": "This district, by indicator"},
    "brief.tiles.group": {"zh": "本组各项指标（各地合计）", "en": "This group, by indicator (districts summed)"},
    "brief.subtotal": {"zh": "本组合计", "en": "Group subtotal"},
    "brief.total_row": {"zh": "合计", "en": "Total"},
    "brief.rank_note": {"zh": "排名为在全市{n}个县（市、区）中的位次，与全市报告一致。",
                        "en": "Ranks are among all {n} districts of the city, as in the city "
                              "report."},
    "brief.source_note.district": {
        "zh": "本简报摘自《{report}》，数据、口径和判定规则与全市报告相同；各县（市、区）简报的数字相加即全市报告的数字。",
        "en": "This brief is taken from “{report}”: the same data, definitions and rules; the "
              "districts' briefs add up to the city report."},
    "brief.source_note.group": {
        "zh": "本简报摘自《{report}》，数据、口径和判定规则与全市报告相同；本组合计按全市报告的规则对本组各地汇总，各组简报的数字相加即全市报告的数字。",
        "en": "This brief is taken from “{report}”: the same data, definitions and rules; the "
              "group subtotal applies the city report's rules to the group's districts, and "
              "the groups' briefs add up to the city report."},
    "brief.by.district": {"zh": "分县（市、区）", "en": "by district"},
    "brief.by.group": {"zh": "分督查组", "en": "by supervision group"},
    "brief.index_title": {"zh": "{report}·简报（{by}）", "en": "{report}: briefs {by}"},
    "index.briefs": {"zh": "简报（{by}）", "en": "Briefs ({by})"},
    "brief.col.unit": {"zh": "简报对象", "en": "Brief for"},
    "brief.col.districts": {"zh": "包含县（市、区）", "en": "Districts"},
    "brief.col.files": {"zh": "文件", "en": "Files"},
    "narrative.note": {
        "zh": "说明：本部分文字由业务处室撰写，其中{references}处数据由程序从报表生成，{numbers}个手工录入的数字已逐一与报表核对。",
        "en": "Note: written by the responsible division; {references} figures were inserted from "
              "the report's tables and the {numbers} numbers typed in were checked against them."},
    "narrative.chinese_only": {
        "zh": "书面材料只有中文版（{file}），英文版不予收录。",
        "en": "The written sections of this report exist in Chinese only ({file}) and are left "
              "out of the English edition."},
    "narrative.subset": {"zh": "书面材料按全市数据撰写，分地区报告不予收录。",
                         "en": "The written sections describe the whole city and are left out of "
                               "reports on selected districts."},
    "ledger.as_of": {"zh": "台账截至", "en": "Ledger as of"},
    "ledger.counted_at": {"zh": "统计时点", "en": "Counted at"},
    "ledger.sample_notice": {
        "zh": "注意：本节台账为程序生成的示例数据（人员姓名、电话均为虚构），并非真实整改台账。",
        "en": "Note: this ledger is generated sample data (names and numbers invented), not a real "
              "rectification ledger."},
    "ledger.masking_note": {
        "zh": "说明：责任人一栏只列责任单位，个人姓名和电话不予公开；问题描述中的电话号码已隐去中间四位。",
        "en": "Note: only the responsible unit is shown; names and telephone numbers of the "
              "people responsible are not published, and numbers in the descriptions are masked."},
    "ledger.by_district": {"zh": "各县（市、区）问题整改情况", "en": "Problems by district"},
    "ledger.monthly": {"zh": "逐月销号进度", "en": "Closure month by month"},
    "ledger.oldest": {"zh": "逾期未销号问题（共{total}项，列出逾期时间最长的{n}项）",
                      "en": "Overdue problems ({total} in all; the {n} longest overdue)"},
    "ledger.oldest_all": {"zh": "逾期未销号问题（共{total}项，按逾期时间排列）",
                          "en": "Overdue problems ({total}, longest overdue first)"},
    "ledger.links": {"zh": "滞后指标对应的整改事项", "en": "Lagging indicators with open ledger items"},
    "ledger.links.fy": {"zh": "未完成指标对应的整改事项", "en": "Missed targets with open ledger items"},
    "ledger.state.open": {"zh": "未整改", "en": "Not started"},
    "ledger.state.in_progress": {"zh": "整改中", "en": "In progress"},
    "ledger.state.closed": {"zh": "已销号", "en": "Closed"},
    "ledger.state.unclosed": {"zh": "未销号", "en": "Open"},
    "ledger.unit_unknown": {"zh": "未注明", "en": "not stated"},
    "sheet.ledger": {"zh": "问题整改台账", "en": "Problem ledger"},
    "col.ledger_found": {"zh": "发现问题", "en": "Found"},
    "col.ledger_new_found": {"zh": "当月新发现", "en": "New this month"},
    "col.ledger_closed": {"zh": "已销号", "en": "Closed"},
    "col.ledger_new_closed": {"zh": "当月销号", "en": "Closed this month"},
    "col.ledger_closed_late": {"zh": "其中逾期销号", "en": "of which late"},
    "col.ledger_open": {"zh": "未销号", "en": "Open"},
    "col.ledger_overdue": {"zh": "其中已逾期", "en": "of which overdue"},
    "col.closure_rate": {"zh": "销号率", "en": "Closure rate"},
    "col.month_end": {"zh": "统计日", "en": "As of"},
    "col.number": {"zh": "序号", "en": "No."},
    "col.ledger_number": {"zh": "台账序号", "en": "Ledger no."},
    "col.project": {"zh": "项目名称", "en": "Project"},
    "col.problem": {"zh": "存在的问题隐患", "en": "Problem"},
    "col.found_date": {"zh": "发现日期", "en": "Found on"},
    "col.ledger_deadline": {"zh": "整改限期", "en": "Deadline"},
    "col.days_overdue": {"zh": "逾期天数", "en": "Days overdue"},
    "col.ledger_state": {"zh": "整改状态", "en": "State"},
    "col.responsible_unit": {"zh": "责任单位", "en": "Responsible unit"},
    "col.ledger_items": {"zh": "未销号事项", "en": "Open items"},
    "col.first_deadline": {"zh": "最早整改限期", "en": "Earliest deadline"},
})

LABELS.update(DOCUMENT_LABELS)
LABELS.update(CHANGE_LABELS)
