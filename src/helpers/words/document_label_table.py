"""The texts of the document as sent (report.docx, report.pdf, the Excel print setup) and of the
return templates sent to the districts, by key and language; helpers.words.label_table adds
them to its LABELS."""

from __future__ import annotations

DOCUMENT_LABELS: dict[str, dict[str, str]] = {
    # the document form (report.docx, report.pdf, the Excel print setup)
    "form.doc_number": {"zh": "文号", "en": "Reference"},
    "form.drafting_date": {"zh": "成文日期", "en": "Date of issue"},
    "form.recipients": {"zh": "主送机关", "en": "To"},
    # 主送机关 when the recipients parameter is not given: the bundled notice's (seed 000)
    "form.recipients_default": {"zh": "各县（市、区）民政局、浙南产业集聚区民政部门",
                                "en": "The civil affairs bureaus of the districts and of the "
                                      "Zhenan Industrial Cluster"},
    # without 文号 or 成文日期 the document is a draft and says so on its first page
    "form.draft_notice": {"zh": "征求意见稿：未填写文号或成文日期，不作正式发文。",
                          "en": "Draft for comment: no reference number or date of issue yet; "
                                "not for issue."},
    "form.issuer": {"zh": "发文机关", "en": "Issued by"},
    # 落款 when the issuer parameter is not given: the bureau whose data is bundled (seed 001)
    "form.issuer_default": {"zh": "温州市民政局", "en": "Wenzhou Civil Affairs Bureau"},
    "doc.status_count": {"zh": "{status}（项）", "en": "{status} (items)"},
    "doc.figure": {"zh": "图{n}　{caption}", "en": "Figure {n}. {caption}"},
    "doc.page_footer": {"zh": "第 &P 页，共 &N 页", "en": "Page &P of &N"},  # Excel codes

    # return templates sent to the districts (helpers.render.return_template_book)
    "template.sheet": {"zh": "填报", "en": "Return"},
    "template.title": {"zh": "{year}年{subject}进度填报表", "en": "Progress return {year}: {subject}"},
    "template.unit_line": {"zh": "填报单位：{unit}　　督查组：{group}　　数据截至：{as_of}",
                           "en": "Reporting unit: {unit}    Group: {group}    Data as of: {as_of}"},
    "template.col.due": {"zh": "节点要求", "en": "Requirement"},
    "template.col.last": {"zh": "上次填报累计数", "en": "Last reported (cumulative)"},
    "template.col.last_date": {"zh": "上次填报日期", "en": "Last reported on"},
    "template.col.input": {"zh": "本次累计数（截至{as_of}）", "en": "Cumulative figure as of {as_of}"},
    "template.own_figure": {"zh": "累计完成", "en": "Done"},
    "template.due_share": {"zh": "{date}前完成{share}", "en": "{share} by {date}"},
    "template.time_progress": {"zh": "按时序进度", "en": "Time progress"},
    "template.level": {"zh": "达到年度目标", "en": "Reach the annual target"},
    "template.none": {"zh": "—", "en": "—"},
}
