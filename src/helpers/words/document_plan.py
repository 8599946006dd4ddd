"""The document as the bureau sends it (seeds 002-004): a short main text in parts, then the
落款, then numbered 附件. One plan per period, followed by the page (report.html and its print,
report.pdf) and by report.docx, and cited by the sentences ("详见附件4"), so the three formats
and the text agree on what is where.

A 通报 (Q1, H1, Q3) has four parts: 总体进展, 各地进展与排名, 存在问题, 下步工作要求.
The year-end 总结 has five, in the order of seed 004: 目标任务完成情况, 各地完成情况,
与年中相比, 存在的问题及原因, next year's 工作重点. Every table is a 附件; the analysts'
written sections slot into the part their heading names (`written_part`)."""

from __future__ import annotations

from dataclasses import dataclass

from helpers.metrics import derived_tables
from helpers.metrics.report_data import ReportData
from helpers.words.labels import label, period_label, unnumbered

QUARTER_PARTS = ("progress", "standing", "problems", "next")
YEAR_END_PARTS = ("progress", "standing", "compared", "problems", "next")

# The 附件 in their order; those a report has no content for are left out and the rest
# numbered without gaps.
ANNEX_KEYS = ("summary", "ranking", "checkpoints", "lagging", "timeline", "changes", "ledger")

# A written section goes to the part its heading names: words of its heading, checked in this
# order (存在问题及原因 is a problem, not a 做法). Any other heading (主要做法, 工作亮点, 主要成效)
# is part of the progress made.
WRITTEN_PART_WORDS = (
    ("problems", ("问题", "不足", "problem", "issue")),
    ("next", ("下步", "下一步", "打算", "思路", "工作重点", "工作要求", "next step", "plans")),
)


@dataclass(frozen=True)
class Annex:
    """A numbered 附件: its key (the section that fills it), number and title."""

    key: str
    number: int
    title: str

    def caption(self, lang: str) -> str:
        """附件4 (the line above the title)."""
        return label("annex.number", lang).format(n=self.number)


def main_parts(data: ReportData) -> tuple[str, ...]:
    """The keys of the main text's parts, in order; a report published again with revised
    figures ends with its 修订说明."""
    parts = YEAR_END_PARTS if data.params.period == "FY" else QUARTER_PARTS
    return (*parts, "revisions") if len(derived_tables.revisions(data)) else parts


def part_heading(data: ReportData, key: str) -> str:
    """A part's heading, unnumbered (总体进展; at year end 目标任务完成情况)."""
    lang, period = data.params.lang, data.params.period
    if key == "compared" and len(data.year_on_year):
        key = "compared_year"
    return period_label(f"main.{key}", lang, period).format(next_year=data.params.year + 1)


def _has(data: ReportData, key: str) -> bool:
    if key == "checkpoints":
        return not data.checkpoint_summary.empty
    if key == "changes":
        return not derived_tables.changes_table(data).empty or len(data.year_on_year) > 0
    if key == "ledger":
        return data.ledger is not None
    return True


def annexes(data: ReportData) -> list[Annex]:
    """The report's 附件, numbered in order: as the main text recorded them once it is written
    (the page asks for them at every heading), else worked out here."""
    written = getattr(data.main_text, "annexes", None)
    if written is not None:
        return list(written)
    lang, period = data.params.lang, data.params.period
    keys = [key for key in ANNEX_KEYS if _has(data, key)]
    titled = {"changes": "changes_year"} if len(data.year_on_year) else {}
    return [Annex(key, number, period_label(f"annex.{titled.get(key, key)}", lang,
                                            period).format(
        previous=label(f"period.{data.previous_period}", lang) if data.previous_period else ""))
        for number, key in enumerate(keys, start=1)]


def annex_number(data: ReportData, key: str) -> int | None:
    """The number of the 附件 that `key` fills (None: the report has no such 附件)."""
    return next((a.number for a in annexes(data) if a.key == key), None)


def see_annex(data: ReportData, key: str) -> str:
    """（详见附件4） for the 附件 `key` fills; '' when the report has none."""
    number = annex_number(data, key)
    return "" if number is None else label("annex.see", data.params.lang).format(n=number)


def written_part(heading: str) -> str:
    """The part of the main text a written section belongs in, by the words of its heading."""
    text = unnumbered(heading).lower()
    for part, words in WRITTEN_PART_WORDS:
        if any(word in text for word in words):
            return part
    return "progress"
