"""The sentence templates of the commentary, by key and language (helpers.words.labels
.sentence fills them). A second language is another column here."""

from __future__ import annotations

# Sentence templates of the commentary, in the voice of the bureau's own summaries
# ("计划新增养老机构床位11680张,已谋划约7430张,完成目标值的63.6%").
SENTENCES: dict[str, dict[str, str]] = {
    "list_sep": {"zh": "；", "en": "; "},
    "name_sep": {"zh": "、", "en": ", "},
    "and_more": {"zh": "{names}等{n}{unit}", "en": "{names} and others ({n} in all)"},
    "and_others": {"zh": "{names}等", "en": "{names} and others"},
    "all_but": {"zh": "除{names}外的{n}个县（市、区）", "en": "the {n} districts other than {names}"},
    "unit.item": {"zh": "项", "en": ""},
    "unit.district": {"zh": "个县（市、区）", "en": ""},
    # overall
    "overall_no_data": {
        "zh": "截至{report_date}，尚未收到任何进度数据。",
        "en": "As of {report_date} no progress return has been received."},
    "overall": {"zh": "截至{as_of}，{total}项指标中，{parts}。",
                "en": "As of {as_of}, of {total} indicators, {parts}."},
    "part": {"zh": "{status}{n}项", "en": "{n} {status}"},
    "part.items": {"zh": "{n}项", "en": "{n}"},
    # 比上年 (helpers.words.findings_over_time.year_on_year)
    "yoy": {"zh": "与{year}年相比{demo}，{parts}{see}。",
            "en": "Compared with {year}{demo}: {parts}{see}."},
    "yoy_demo": {"zh": "（{year}年为演示数据）", "en": " ({year}: demo data)"},
    "yoy_up": {"zh": "{n}项指标全年完成数高于上年，增幅较大的是{items}",
               "en": "{n} indicators above the year before, most of all {items}"},
    "yoy_same": {"zh": "{n}项与上年持平", "en": "{n} level with it"},
    "yoy_down": {"zh": "{n}项低于上年：{items}", "en": "{n} below it: {items}"},
    "yoy_item": {"zh": "{name}{actual}{unit}（上年{previous}{unit}）",
                 "en": "{name} {actual} {unit} ({previous} {unit} the year before)"},
    # the work plan's headline targets (helpers.words.plan_findings)
    "plan.built": {"zh": "已完成{n}{unit}", "en": "{n} {unit} done"},
    "plan.by_due": {"zh": "到期完成{n}{unit}，{status}；", "en": "{n} {unit} by then, {status}; "},
    "plan.count": {
        "zh": "{name}：民生实事目标{target}{unit}，{due}前完成；{by_due}截至{as_of}{progress}。",
        "en": "{name}: the livelihood target is {target} {unit} by {due}; {by_due}as of {as_of}, "
              "{progress}."},
    "plan.share": {
        "zh": "{name}：民生实事要求{threshold}以上，{due}前完成；截至{as_of}，{indicator}{actual}{unit}，覆盖城乡社区{share}（城乡社区{denominator}个）{met}{short}。",
        "en": "{name}: the livelihood target is at least {threshold} by {due}; as of {as_of}, "
              "{indicator} {actual}, {share} of {denominator} communities{met}{short}."},
    "plan.share_met": {"zh": "，达到民生实事要求", "en": ", meeting the livelihood target"},
    "plan.share_unmet": {"zh": "，未达到民生实事要求", "en": ", short of the livelihood target"},
    "plan.share_short": {"zh": "；按重点任务{allocation}的要求，{city}，{names}低于{allocation}",
                         "en": "; against the allocation's {allocation}, {city}; below it: {names}"},
    "plan.share_city_met": {"zh": "全市已达到", "en": "the city meets it"},
    "plan.share_city_short": {"zh": "全市尚未达到", "en": "the city falls short"},
    "plan.task": {
        "zh": "{name}：民生实事项目（{document}{clause}），{due}前各县（市、区）完成{stage}；截至{as_of}，{done}个县（市、区）已完成{short}。",
        "en": "{name}: a livelihood project ({document} {clause}), every district to complete "
              "'{stage}' by {due}; as of {as_of}, {done} districts have{short}."},
    "plan.task_not_due": {
        "zh": "{name}：民生实事项目（{document}{clause}），{due}前各县（市、区）完成{stage}，尚未到期{short}。",
        "en": "{name}: a livelihood project ({document} {clause}), every district to complete "
              "'{stage}' by {due}; not yet due{short}."},
    "plan.task_done_so_far": {"zh": "，已有{done}个县（市、区）完成", "en": " ({done} districts done)"},
    "plan.per_district": {
        "zh": "{name}：各县（市、区）至少{n}{unit}，{due}前完成；截至{as_of}，{reached}个县（市、区）已达到，共{actual}{unit}{short}。",
        "en": "{name}: {n} {unit} or more in every district by {due}; as of {as_of}, {reached} "
              "districts have reached it, {actual} {unit} in all{short}."},
    "plan.per_district_short": {"zh": "，{names}未达到", "en": "; not yet: {names}"},
    "plan.reported": {"zh": "；{name}{value}{unit}", "en": "; {name}: {value} {unit}"},
    "plan.task_short": {"zh": "，{names}未完成", "en": "; not yet: {names}"},
    # the main text's 存在问题 (helpers.words.problem_findings)
    "problems.none": {"zh": "各县（市、区）到期事项均已达到要求。",
                      "en": "Every district meets what was due."},
    "problems.by_district": {
        "zh": "分县（市、区）看，到期事项中{parts}，较多的是{names}，分别为{counts}{rest}{see}。",
        "en": "By district, of the items due {parts}, most in {names} ({counts} "
              "respectively){rest}{see}."},
    "problems.by_district_one": {
        "zh": "分县（市、区）看，到期事项中{parts}，均在{names}{see}。",
        "en": "By district, of the items due {parts}, all in {names}{see}."},
    "problems.rest": {"zh": "，其余{n}个县（市、区）共{items}项", "en": "; the other {n} districts "
                      "have {items}"},
    "problems.indicator": {
        "zh": "{name}有{n}个县（市、区）未达到要求，差距较大的是{names}，分别尚差{shortfalls}{rest}。",
        "en": "{n} districts are short on {name}, most of all {names} (short by {shortfalls})"
              "{rest}."},
    "problems.indicator_one": {
        "zh": "{name}有{n}个县（市、区）未达到要求：{names}尚差{shortfalls}。",
        "en": "{n} district is short on {name}: {names}, by {shortfalls}."},
    "problems.indicator_rest": {"zh": "，其余{n}个县（市、区）合计尚差{total}{unit}",
                                "en": "; the other {n} are short by {total} {unit} in all"},
    # indicators, grouped
    "group.done": {"zh": "已完成年度目标的有{items}。", "en": "Met the annual target: {items}."},
    "group.on_track": {"zh": "符合进度要求的有{items}。", "en": "On track: {items}."},
    "group.near": {"zh": "基本符合进度的有{items}。", "en": "Broadly on track: {items}."},
    "group.not_due": {"zh": "{items}按完成时限考核，尚未到期。",
                      "en": "{items}: judged at the deadline, not yet due."},
    "group.on_time": {"zh": "按期完成的有{items}。", "en": "Done on time: {items}."},
    "group.over": {"zh": "超额完成的有{items}。", "en": "Over-achieved: {items}."},
    "group.over_more": {"zh": "超额完成的有{items}等{n}项。",
                        "en": "Over-achieved: {items}, and others ({n} in all)."},
    "group.late": {"zh": "逾期完成的有{items}。", "en": "Done late: {items}."},
    "item.completion": {"zh": "{name}完成目标值的{completion}", "en": "{name} {completion} of the target"},
    "item.near": {"zh": "{name}{actual}{unit}，完成目标值的{completion}，较应完成数{due}{unit}少{shortfall}{unit}",
                  "en": "{name} {actual} {unit}, {completion} of the target, {shortfall} {unit} short of the {due} {unit} due"},
    "item.over_short": {"zh": "{name}完成目标值的{completion}，但{names}未完成，合计尚差{shortfall}{unit}",
                        "en": "{name} {completion} of the target, but {names} fell short, {shortfall} {unit} in all"},
    "item.late": {"zh": "{name}（{deadline}前完成{at_deadline}{unit}，年底完成{actual}{unit}）",
                  "en": "{name} ({at_deadline} {unit} by {deadline}, {actual} {unit} by the year end)"},
    "behind.time": {
        "zh": "{name}：年度目标{target}{unit}，累计完成{actual}{unit}，完成目标值的{completion}，按{requirement}"
              "（{milestone}）应完成{due}{unit}，尚差{shortfall}{unit}，{status}。",
        "en": "{name}: annual target {target} {unit}, {actual} {unit} done, {completion} of the "
              "target; {due} {unit} were due ({requirement} {milestone}), {shortfall} {unit} short, "
              "{status}."},
    "behind.schedule": {
        "zh": "{name}：年度目标{target}{unit}，累计完成{actual}{unit}，完成目标值的{completion}；按工作方案"
              "{date}前应完成{milestone}即{due}{unit}，{names}未达到，合计尚差{shortfall}{unit}（超额地区不抵补），{status}。",
        "en": "{name}: annual target {target} {unit}, {actual} {unit} done, {completion} of the "
              "target; the work plan asks {milestone} ({due} {unit}) by {date}: {names} fell short, "
              "{shortfall} {unit} in all (surpluses elsewhere do not count), {status}."},
    "behind.stage": {
        "zh": "{name}：已完成{stages}；按工作方案{date}前应完成{stage}{due}{unit}，{names}未完成，合计尚差{shortfall}{unit}（超额地区不抵补），{status}。",
        "en": "{name}: {stages} so far; {due} {unit} were due to reach '{stage}' by {date}; "
              "{names} fell short, {shortfall} {unit} in all (surpluses elsewhere do not count), "
              "{status}."},
    "behind.task": {
        "zh": "{name}：按工作方案{date}前各县（市、区）应完成{stage}，{names}{status}。",
        "en": "{name}: every district was due to complete '{stage}' by {date}; {names}: {status}."},
    "behind.level": {
        "zh": "{name}：目标{target}{unit}，目前{actual}{unit}，为目标的{completion}，尚差{shortfall}{unit}，{status}。",
        "en": "{name}: target level {target} {unit}, now {actual} {unit} ({completion} of the "
              "target), {shortfall} {unit} short, {status}."},
    "behind.share": {
        "zh": "{name}为{share}，低于{threshold}的要求，尚差{shortfall}{unit}，{status}。",
        "en": "{name} is {share}, below the required {threshold}, {shortfall} {unit} short, {status}."},
    "behind.unmet": {
        "zh": "{name}：年度目标{target}{unit}，累计完成{actual}{unit}，完成目标值的{completion}，{names}未完成，合计尚差{shortfall}{unit}（超额地区不抵补），{status}。",
        "en": "{name}: annual target {target} {unit}, {actual} {unit} done, {completion} of the "
              "target; {names} fell short, {shortfall} {unit} in all (surpluses elsewhere do not "
              "count), {status}."},
    # judged on the city total (全市按合计): the city's shortfall nets the districts' surpluses,
    # the named districts' shortfalls do not, so both are said
    "behind.unmet_netted": {
        "zh": "{name}：年度目标{target}{unit}，累计完成{actual}{unit}，完成目标值的{completion}，全市尚差{shortfall}{unit}，{status}；其中{names}未完成，各地合计差{district_shortfall}{unit}。",
        "en": "{name}: annual target {target} {unit}, {actual} {unit} done, {completion} of the "
              "target, {shortfall} {unit} short for the city, {status}; {names} fell short, "
              "{district_shortfall} {unit} in all."},
    "behind.unmet_task": {
        "zh": "{name}：年底前各县（市、区）应完成{stage}，{names}{status}。",
        "en": "{name}: every district was due to complete '{stage}' by the year end; {names}: {status}."},
    "shares_met": {"zh": "达到要求比例的有{items}。", "en": "Meeting the required share: {items}."},
    "shares_below": {"zh": "尚未达到要求比例的有{items}{see}。",
                     "en": "Below the required share: {items}{see}."},
    # indicators judged against the time elapsed, behind it: one sentence per status
    "group.behind_time": {"zh": "{status}的有{names}，按序时进度（{milestone}）{shortfalls}。",
                          "en": "{status}: {names}, against the time elapsed ({milestone}) "
                                "{shortfalls}."},
    "shortfalls.one": {"zh": "尚差{items}", "en": "short by {items}"},
    "shortfalls.each": {"zh": "分别尚差{items}", "en": "short by {items} respectively"},
    # the dated requirements of the work plan in one sentence (each in 附件3)
    "checkpoints.overview": {"zh": "工作方案到期的{n}个节点中，{parts}{see}。",
                             "en": "Of the work plan's {n} dated requirements due, {parts}{see}."},
    "checkpoints.all_on_time": {"zh": "各县（市、区）均按期完成的{n}个",
                                "en": "{n} met by every district on time"},
    "checkpoints.some_late": {"zh": "有县（市、区）逾期后完成的{n}个",
                              "en": "{n} met late by some district"},
    "checkpoints.some_missed": {"zh": "有县（市、区）未按期完成的{n}个",
                                "en": "{n} missed by some district"},
    "item.share": {"zh": "{name}{share}（要求{threshold}）", "en": "{name} {share} (required {threshold})"},
    # the main text's sentence per status behind (helpers.words.main_findings)
    "gist.behind": {"zh": "{status}的有{items}。", "en": "{status}: {items}."},
    "gist.behind_more": {"zh": "{status}的有{items}等{n}项。",
                          "en": "{status}: {items}, and others ({n} in all)."},
    "gist.shares": {"zh": "占比类指标中，{met}达到要求，{below}尚未达到{see}。",
                    "en": "Of the shares, {met} meet the required level; below it: {below}{see}."},
    "gist.stage": {"zh": "{stage}", "en": " ({stage})"},
    "gist.districts": {"zh": "{n}个县（市、区）", "en": "{n} districts"},
    "gist.task_item": {"zh": "{name}（{who}）", "en": "{name} ({who})"},
    "gist.city_item": {"zh": "{name}（尚差{shortfall}{unit}）", "en": "{name} ({shortfall} {unit} short)"},
    "gist.one_district_item": {"zh": "{name}（{who}尚差{shortfall}{unit}）",
                                "en": "{name} ({who}, {shortfall} {unit} short)"},
    "gist.district_item": {"zh": "{name}（{who}合计尚差{shortfall}{unit}）",
                            "en": "{name} ({who}, {shortfall} {unit} short in all)"},
    "more_behind": {"zh": "其余滞后指标见汇总表。",
                    "en": "The other indicators behind are in the summary table."},
    # checkpoints
    "checkpoint": {
        "zh": "{name}{stage}（{date}前）：应完成{required}{unit}，截止日完成{done}{unit}，{districts}。",
        "en": "{name}, '{stage}' by {date}: {required} {unit} required, {done} {unit} done by the "
              "due date; {districts}."},
    "checkpoint.task": {
        "zh": "{name}{stage}（{date}前）：{required}个县（市、区）中{districts}。",
        "en": "{name}, '{stage}' by {date}: of {required} districts, {districts}."},
    "checkpoint.part": {"zh": "{n}个{status}", "en": "{n} {status}"},
    "checkpoint.part_named": {"zh": "{n}个{status}（{names}）", "en": "{n} {status} ({names})"},
    "checkpoint.next": {"zh": "下一节点：{items}。", "en": "Next: {items}."},
    "checkpoint.next_item": {"zh": "{name}{date}前{stage}", "en": "{name}: '{stage}' by {date}"},
    "checkpoint.none": {"zh": "本期无到期的节点任务。", "en": "No dated requirement is due yet."},
    # ranking and spread
    "ranking": {
        "zh": "按通报排名方法，{top}位列前三，{bottom}排名靠后{see}。",
        "en": "By the ranking method, {top} rank highest and {bottom} lowest{see}."},
    "ranking_item": {"zh": "{district}（{share}）", "en": "{district} ({share})"},
    "best_worst": {
        "zh": "各地完成率差距最大的是{items}。",
        "en": "The widest spreads between districts: {items}."},
    "best_worst_item": {
        "zh": "{name}（最高{best}{best_rate}，最低{worst}{worst_rate}）",
        "en": "{name} (highest {best} {best_rate}, lowest {worst} {worst_rate})"},
    # lagging by group
    "lagging_group": {"zh": "{group}（{districts}）：{items}。", "en": "{group} ({districts}): {items}."},
    "lagging_group_many": {
        "zh": "{group}（{members}个县（市、区），{behind}个有滞后事项）：{items}；其余{rest}个县（市、区）"
              "共{rest_items}项，见各县（市、区）明细。",
        "en": "{group} ({members} districts, {behind} with items behind): {items}; the other "
              "{rest} districts have {rest_items} items, in their details."},
    "lagging_district": {"zh": "{district}{n}项，主要是{items}", "en": "{district}, {n} items, chiefly {items}"},
    "lagging_district_all": {"zh": "{district}{n}项：{items}", "en": "{district}, {n} items: {items}"},
    "lagging_item": {"zh": "{name}（差{shortfall}{unit}，{status}）",
                     "en": "{name} ({shortfall} {unit} short, {status})"},
    "lagging_item_stage": {"zh": "{name}{stage}（差{shortfall}{unit}，{status}）",
                           "en": "{name}, '{stage}' ({shortfall} {unit} short, {status})"},
    "lagging_item_task": {"zh": "{name}{stage}（{status}）", "en": "{name}, '{stage}' ({status})"},
    "lagging_item_share": {"zh": "{name}（{share}，差{shortfall}{unit}，{status}）",
                           "en": "{name} ({share}, {shortfall} {unit} short, {status})"},
    "none_lagging": {"zh": "本期无滞后事项。", "en": "No item is behind."},
    # forward look
    "forward": {
        "zh": "按截至{as_of}的进度推算，{n}项县级任务存在不能按期完成的风险，预计完成率最低的是{items}。",
        "en": "At the pace achieved by {as_of}, {n} district items are at risk of missing their "
              "deadline; the lowest projections are {items}."},
    "forward_item": {"zh": "{district}{name}（预计完成{projected}）",
                     "en": "{district} {name} (projected {projected})"},
    "forward_city": {"zh": "全市层面，{items}按目前进度到期难以全部完成，需加快进度。",
                     "en": "At city level, {items} will fall short by the deadline at the "
                           "current pace and need to speed up."},
    "forward_city_item": {"zh": "{name}（预计完成{projected}，今后每月需完成{required}{unit}）",
                          "en": "{name} (projected {projected}, {required} {unit} a month needed)"},
    "forward_none": {"zh": "按截至{as_of}的进度推算，各项任务均可按期完成。",
                     "en": "At the pace achieved by {as_of}, every item is on course."},
    "backtest": {
        "zh": "以{as_of}数据按月均进度预判的{items}项县级任务中，{flagged}项被提示有完不成风险，其中{both}项到"
              "完成时限确未完成；完成时限未完成的{missed}项中，{both}项事先已被提示。预计完成率与实际完成率平均相差"
              "{error}个百分点。",
        "en": "Of the {items} district items projected from the returns of {as_of}, {flagged} were "
              "flagged at risk and {both} of those did miss the deadline; of the {missed} items "
              "that missed it, {both} had been flagged. Projected and actual completion differed "
              "by {error} points on average."},
    # changes
    "changes_up": {"zh": "与{previous_period}相比，完成率提高最多的是{items}。",
                   "en": "Since {previous_period}, completion rose most on {items}."},
    "changes_down": {"zh": "完成率下降的有{items}。", "en": "It fell on {items}."},
        "change_item": {"zh": "{name}（{previous}→{current}，{change}个百分点）",
                    "en": "{name} ({previous} -> {current}, {change} pp)"},
    "no_previous": {
        "zh": "本期为年度首次通报，无上期数据可比。",
        "en": "This is the first report of the year; there is no earlier period to compare."},
    "status_improved": {"zh": "与{previous_period}相比，进度好转的有{names}。",
                        "en": "Improved in status since {previous_period}: {names}."},
    "status_worsened": {"zh": "与{previous_period}相比，进度变差的有{names}。",
                        "en": "Worse in status since {previous_period}: {names}."},
    "status_changed": {"zh": "与{previous_period}相比，状态有变化的有{items}。",
                       "en": "Changed in status since {previous_period}: {items}."},
    "status_change_item": {"zh": "{name}（{previous}→{current}）",
                           "en": "{name} ({previous} -> {current})"},
    "status_unchanged": {"zh": "与{previous_period}相比，各项指标进度状态没有变化。",
                         "en": "No indicator changed status since {previous_period}."},
    # data quality
    "missing_return": {"zh": "{district}未报送{date}的进度数据，该期按其上一期报送数计算。",
                       "en": "{district} sent no return for {date}; its previous return is used for that date."},
    "dip": {"zh": "{district}{name}{date_after}报送的累计数（{after}）低于{date_before}（{before}），本报告按各期报送数计算，未作调整。",
            "en": "{district} {name}: the cumulative figure of {date_after} ({after}) is below that of {date_before} ({before}); the report uses each return as sent."},
    "no_plan": {"zh": "{year}年尚无年度计划（节点安排），各项指标均按序时进度衡量，分阶段任务不作考核。",
                "en": "There is no plan for {year}: every indicator is judged on time progress and no staged task is followed."},
    "plan_ignored": {"zh": "{name}在{year}年计划中列有节点，但任务分解表未下达目标，本报告未作考核。",
                     "en": "{name} has dates in the {year} plan but no target in the allocation; it is not judged."},
    "plan_target_ignored": {"zh": "{name}列有{year}年民生实事目标，但本年度未考核该指标，未纳入本报告。",
                            "en": "{name} has a {year} livelihood target, but the year does not track it; it is left out."},
    "plan_target_unreported": {"zh": "{year}年计划要求各县（市、区）报送{name}，但各期进度报表均未报送，该项暂未纳入本报告。",
                               "en": "The {year} plan follows {name}, but no return reports it; it is left out until one does."},
    "plan_draft": {"zh": "{year}年计划中有{count}行为沿用上年的草案，尚待确认。",
                   "en": "{count} rows of the {year} plan are drafts carried over from the year before, still to be confirmed."},
    "not_tracked": {"zh": "{name}未列入{year}年计划，已报送的{count}个数据未纳入本报告。",
                    "en": "{name} is not in the {year} plan; the {count} figures returned for it are left out."},
    "no_warnings": {"zh": "本期数据校验未发现问题。", "en": "Validation found no data problem."},
    # year end
    "over_achievers": {"zh": "超额完成幅度较大的有{items}。",
                       "en": "The largest over-achievements: {items}."},
    "under_achievers": {"zh": "未完成年度目标的县级任务中，差额较大的是{items}。",
                        "en": "Of the district items short of the target, the largest gaps are {items}."},
    "under_item": {"zh": "{district}{name}（差{shortfall}{unit}）", "en": "{district} {name} ({shortfall} {unit} short)"},
    "over_district": {"zh": "{district}（{items}）", "en": "{district} ({items})"},
    "achiever_item": {"zh": "{district}{name}（{completion}）", "en": "{district} {name} ({completion})"},
    "carry_over": {
        "zh": "未完成年度目标的{count}项任务（占比类指标除外）结转下一年度继续推进{see}。",
        "en": "{count} unfinished items (share indicators aside) carry into next year{see}."},
    "carry_over_none": {"zh": "全部任务均已完成，无结转事项。",
                        "en": "Every item is complete; nothing carries into next year."},
}

SENTENCES.update({
    "brief.overall": {"zh": "截至{as_of}，{unit}{total}项指标中，{parts}。",
                      "en": "As of {as_of}, of the {total} indicators of {unit}, {parts}."},
    "brief.rank.on_track_share": {
        "zh": "{district}在全市{n}个县（市、区）通报排名中位列第{rank}，符合进度事项占到期事项的{share}。",
        "en": "{district} ranks {rank} of the city's {n} districts, with {share} of its due "
              "items on track."},
    "brief.rank.mean_completion": {
        "zh": "{district}在全市{n}个县（市、区）通报排名中位列第{rank}，到期事项平均完成率{share}。",
        "en": "{district} ranks {rank} of the city's {n} districts, with a mean completion "
              "of {share} on its due items."},
    "brief.rank_none": {"zh": "{district}本期无到期事项，未参与排名。",
                        "en": "{district} has nothing due yet and is not ranked."},
    "brief.lagging_district": {"zh": "{district}{n}项：{items}。",
                               "en": "{district}, {n} items: {items}."},
})

SENTENCES.update({
    "ledger.overall": {
        "zh": "截至{date}，“回头看”共排查发现问题隐患{found}个，已整改销号{closed}个，销号率{rate}，尚未销号{open}个。",
        "en": "As of {date} the look-back campaign had found {found} problems; {closed} were "
              "rectified and closed ({rate}) and {open} remain open."},
    "ledger.overall_all_closed": {
        "zh": "截至{date}，“回头看”共排查发现问题隐患{found}个，已全部整改销号。",
        "en": "As of {date} the look-back campaign had found {found} problems, all rectified "
              "and closed."},
    "ledger.overall_none_closed": {
        "zh": "截至{date}，“回头看”共排查发现问题隐患{found}个，均尚未整改销号。",
        "en": "As of {date} the look-back campaign had found {found} problems, none closed yet."},
    "ledger.none": {"zh": "截至{date}，“回头看”台账未登记问题。",
                    "en": "As of {date} the look-back ledger lists no problem."},
    "ledger.overdue_few": {
        "zh": "未销号问题中有{overdue}个已超过整改限期，分布在{items}。",
        "en": "{overdue} of the open problems are past their deadline: {items}."},
    "ledger.overdue_many": {
        "zh": "未销号问题中有{overdue}个已超过整改限期，分布在{n}个县（市、区），较多的是{items}。",
        "en": "{overdue} of the open problems are past their deadline, in {n} districts, most "
              "in {items}."},
    "ledger.overdue_even": {
        "zh": "未销号问题中有{overdue}个已超过整改限期，分布在{n}个县（市、区），各{count}个。",
        "en": "{overdue} of the open problems are past their deadline, in {n} districts, "
              "{count} each."},
    "ledger.no_overdue": {"zh": "未销号问题均在整改限期内。",
                          "en": "Every open problem is within its deadline."},
    "ledger.district_count": {"zh": "{district}（{count}个）", "en": "{district} ({count})"},
    "ledger.oldest": {
        "zh": "逾期时间最长的是{place}“{problem}”问题，整改限期为{deadline}，已逾期{days}天。",
        "en": "The longest overdue is at {place} ({problem}): due {deadline}, {days} days "
              "overdue."},
    "ledger.place": {"zh": "{district}{project}", "en": "{project}, {district}"},
    "ledger.late": {"zh": "已销号问题中，有{late}个是超过整改限期后才整改到位的。",
                    "en": "{late} of the closed problems were closed after their deadline."},
    "ledger.month": {"zh": "{month}新发现问题{found}个，整改销号{closed}个。",
                     "en": "In {month}, {found} problems were found and {closed} closed."},
    "ledger.month_no_new": {"zh": "{month}未发现新问题，整改销号{closed}个。",
                            "en": "In {month} no new problem was found and {closed} were closed."},
    "ledger.month_none_closed": {"zh": "{month}新发现问题{found}个，当月没有问题销号。",
                                 "en": "In {month}, {found} problems were found and none closed."},
    "ledger.links": {
        "zh": "滞后指标中有{n}项在台账中有未销号的整改事项，整改限期和责任单位见下表。",
        "en": "{n} lagging items have open ledger items; their deadlines and responsible units "
              "are listed below."},
    "ledger.links_annex": {
        "zh": "滞后指标中有{n}项在台账中有未销号的整改事项，整改限期和责任单位见附件{annex}。",
        "en": "{n} lagging items have open ledger items; their deadlines and responsible units "
              "are in Annex {annex}."},
    "ledger.links_annex.fy": {
        "zh": "未完成指标中有{n}项在台账中有未销号的整改事项，整改限期和责任单位见附件{annex}。",
        "en": "{n} missed targets have open ledger items; their deadlines and responsible units "
              "are in Annex {annex}."},
    "ledger.links.fy": {
        "zh": "未完成指标中有{n}项在台账中有未销号的整改事项，整改限期和责任单位见下表。",
        "en": "{n} missed targets have open ledger items; their deadlines and responsible units "
              "are listed below."},
    # 修订说明: a report published again (helpers.words.change_words.revision_sentences)
    "revision.intro": {
        "zh": "本报告为修订版。与前次发布的同期报告相比，以下{n}项数字或状态有修订"
              "（全部修订及原值见report.xlsx“修订说明”表）：",
        "en": "This report is a revised edition. Compared with the previous publication of the "
              "same period, {n} figures or statuses were revised (all of them, with the old "
              "values, in report.xlsx, sheet Revisions):"},
    "revision.item": {"zh": "{where}{field}由{old}修订为{new}。",
                      "en": "{where}: {field} revised from {old} to {new}."},
    "revision.more": {"zh": "另有{n}项修订见report.xlsx“修订说明”表。",
                      "en": "{n} more revisions are listed in report.xlsx."},
})

# --- Return templates sent to the districts (helpers.render.return_template_book) -------------
SENTENCES.update({
    "template.instructions": {"zh": "填报说明：", "en": "How to fill in this return:"},
    "template.instruction.1": {
        "zh": "1．只在“{input}”一列填写，其他单元格已锁定，请勿修改、插入或删除行列。",
        "en": "1. Type only in the column “{input}”; every other cell is locked: do not change, "
              "insert or delete rows or columns."},
    "template.instruction.2": {
        "zh": "2．填写截至{as_of}的累计数（自年初起累计），只填整数，不填公式、文字或单位。",
        "en": "2. Give the cumulative figure since 1 January as of {as_of}: whole numbers only, "
              "no formulas, words or units."},
    "template.instruction.3": {
        "zh": "3．累计数不得低于上次填报数；“一键通”等节点任务已完成填1，未完成填0。",
        "en": "3. A cumulative figure is never below the last one reported; a task stage is 1 "
              "when done, 0 when not."},
    "template.instruction.4": {
        "zh": "4．无进展的项目请照填上次填报数；确实无法填报的请留空并书面说明。",
        "en": "4. Where nothing changed, repeat the last figure; leave a cell empty only when the "
              "figure cannot be given, and say why in writing."},
    "template.instruction.5": {
        "zh": "5．请勿更改文件中的隐藏校验信息；填好后按原文件报送，文件名可为“{as_of_iso}-单位名称.xlsx”。",
        "en": "5. Do not change the hidden check sheet; send the file back as it is, named for "
              "example “{as_of_iso}-district.xlsx”."},
    "template.contact": {"zh": "联系人：市民政局养老服务处", "en": "Contact: the elderly-care "
                                                               "division of the city bureau"},
    "template.prompt_title": {"zh": "填报提示", "en": "What to enter"},
    "template.prompt": {
        "zh": "请填写截至{as_of}的累计数：整数，不小于{minimum}，不大于{maximum}。",
        "en": "Cumulative figure as of {as_of}: a whole number from {minimum} to {maximum}."},
    "template.error_title": {"zh": "填报有误", "en": "Not accepted"},
    "template.error": {
        "zh": "只能填写不小于{minimum}、不大于{maximum}的整数。如确需超出，请与联系人核实。",
        "en": "Whole numbers only, from {minimum} to {maximum}. If the figure is really larger, "
              "check with the contact."},
    "template.error_cumulative": {
        "zh": "只能填写整数，累计数不得低于上次填报数{minimum}，且不大于{maximum}。如确需超出，请与联系人核实。",
        "en": "Whole numbers only, not below the last figure reported ({minimum}) and at most "
              "{maximum}. If the figure is really larger, check with the contact."},
})
