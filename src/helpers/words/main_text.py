"""The main text of the document as sent (helpers.words.document_plan): an opening sentence,
then each part with its generated sentences (helpers.words.findings, written once for every
output) and the analysts' written sections slotted in by their headings. The page and
report.docx both render this one account; neither chooses sentences of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.ingest.written_section_files import narrative_rel
from helpers.metrics import derived_tables
from helpers.metrics.report_data import ReportData
from helpers.words import findings, problem_findings
from helpers.words.change_words import revision_sentences
from helpers.words.document_plan import (
    annex_number,
    annexes,
    main_parts,
    part_heading,
    see_annex,
    written_part,
)
from helpers.words.findings import checkpoints_overview, next_checkpoints, top_and_bottom
from helpers.words.findings_over_time import carry_over, over_achievers, year_on_year
from helpers.words.labels import label, period_label, unnumbered
from helpers.words.ledger_findings import ledger_sentences
from helpers.words.main_findings import forward_in_brief, in_brief
from helpers.words.plan_findings import plan_sentences

LEDGER_IN_MAIN = 2  # the ledger's totals and where the overdue problems are; the rest in 附件


@dataclass(frozen=True)
class Written:
    """A written section slotted into a part: its heading ('' where the part's heading stands
    for it) and its blocks (helpers.words.written_sections.Block)."""

    heading: str
    blocks: tuple


@dataclass(frozen=True)
class Part:
    """A part of the main text: generated sentences, the written sections, more sentences."""

    key: str
    heading: str
    before: tuple[str, ...]
    written: tuple[Written, ...] = ()
    after: tuple[str, ...] = ()
    note: str = ""  # a written text left out (a report on selected districts) says so here


@dataclass(frozen=True)
class MainText:
    """The opening, any text the analysts wrote before their first heading, and the parts."""

    opening: tuple[str, ...]
    preface: tuple
    parts: tuple[Part, ...]
    annexes: tuple  # the 附件 its sentences cite (helpers.words.document_plan.Annex)
    # sentences that read with a 附件's table rather than in the main text, by 附件 key
    annex_text: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def sentences(self) -> list[str]:
        """Every generated sentence, in reading order (the written sections excluded)."""
        return [*self.opening, *(line for part in self.parts
                                 for line in (*part.before, *part.after))]


def cite(lines: list[str], see: str) -> list[str]:
    """`lines` with '（详见附件N）' before the last sentence's full stop."""
    if not see or not lines:
        return lines
    last = lines[-1]
    stop = last[-1] if last[-1] in "。." else ""
    return [*lines[:-1], last[: len(last) - len(stop)] + see + stop]


def _written(data: ReportData) -> tuple[tuple, dict[str, list[Written]]]:
    """The written sections by part (and the text before their first heading)."""
    by_part: dict[str, list[tuple[str, list]]] = {}
    preface: tuple = ()
    narrative = data.narrative
    if narrative is None or data.params.districts is not None:
        return preface, {}
    for heading, blocks in narrative.sections():
        if not heading:
            preface = tuple(blocks)
            continue
        by_part.setdefault(written_part(heading), []).append((unnumbered(heading), blocks))
    out: dict[str, list[Written]] = {}
    for part, sections in by_part.items():
        # one section in 存在问题 or 下步工作要求: the part's heading is its heading
        alone = part != "progress" and len(sections) == 1
        out[part] = [Written("" if alone else heading, tuple(blocks))
                     for heading, blocks in sections]
    return preface, out


def main_text(data: ReportData) -> MainText:
    """The main text of this report (the findings must be written: data.findings)."""
    lang, found, year_end = data.params.lang, data.findings, data.params.period == "FY"
    preface, written = _written(data)
    overall = found["overall"]
    opening = (overall[0] + ("" if lang == "zh" else " ")
               + period_label("main.opening_tail", lang, data.params.period),)
    # the main text keeps what the office reads first; the rest goes with its 附件's table
    changes = list(found["changes"])
    forward = [] if year_end else list(found.get("forward", []))
    ledger = ledger_sentences(data, annex_number(data, "lagging"))
    problems = problem_findings.by_district(data)
    if not written.get("problems"):
        problems += problem_findings.by_indicator(data)
    changed = cite(changes[-1:], see_annex(data, "changes"))
    # the indicators in brief; each one's full sentence reads with 附件1's table
    brief = in_brief(data)
    lines = {
        # a quarter's changes since the last report read with their 附件 (the year end
        # compares in a part of its own); the districts named in 存在问题 are not listed here
        "progress": plan_sentences(data) + brief + checkpoints_overview(data),
        "standing": top_and_bottom(data) + (over_achievers(data) if year_end else []),
        "compared": changed + year_on_year(data),
        "problems": problems,
        "next": [],
        "revisions": revision_sentences(derived_tables.revisions(data), data.catalog, lang),
    }
    after = {
        "problems": (cite((forward_in_brief(data) or forward[:1]) if forward else [],
                          see_annex(data, "timeline"))
                     + cite(ledger[:LEDGER_IN_MAIN], see_annex(data, "ledger"))),
        "next": carry_over(data) if year_end else next_checkpoints(data),
    }
    # 附件1's own sentences: each indicator behind in full (the shares are its table's own)
    said = {*brief, *findings.share_groups(data)}
    summary = [s for s in found["indicators"] if s not in said]
    annex_text = {"summary": tuple(summary),
                  "changes": tuple(changes if not year_end else changes[:-1]),
                  "timeline": tuple(forward),
                  "ledger": tuple(ledger[LEDGER_IN_MAIN:])}
    left_out = (label("narrative.subset", lang)
                if data.narrative_left_out or (data.params.districts is not None
                                               and data.narrative is not None) else
                label("narrative.chinese_only", lang).format(
                    file=narrative_rel(data.params.year, data.params.period))
                if data.narrative_in_chinese_only else "")
    parts = tuple(Part(key, part_heading(data, key), tuple(lines[key]),
                       tuple(written.get(key, ())), tuple(after.get(key, ())),
                       note=left_out if key == "progress" else "")
                  for key in main_parts(data))
    return MainText(opening, preface, parts, tuple(annexes(data)), annex_text)
