"""The sent document's content as a list of simple blocks — heading, paragraph, list, table,
figure — independent of the file format, so that report.docx (helpers.render.word) and later
documents (district briefs) are written from one description.

`report_blocks(data)` is the report, section by section (REPORT_SECTIONS). A new section is one
function `(data) -> list[Block]` added to that tuple; a table is one call of
`table_block(records, columns)` with the report's columns (helpers.render.columns: the
document's tables then read exactly as the page's); the analysts' written sections are one
call of `from_narrative`. Every reader-visible text comes from helpers.words or the columns."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from helpers.metrics import derived_tables
from helpers.metrics.ledger_view import lagging_links
from helpers.metrics.report_data import ReportData
from helpers.render import chart_pictures
from helpers.render.colours import STATUS_COLORS
from helpers.render.columns import (
    Column,
    carry_over_caption,
    carry_over_columns,
    changes_columns,
    checkpoint_columns,
    lagging_columns,
    ranking_columns,
    shares_columns,
    summary_columns,
)
from helpers.render.html_page import shows_narrative
from helpers.render.html_sections import LISTED_COMMENTARY
from helpers.render.ledger_columns import (
    ledger_district_columns,
    ledger_district_rows,
    ledger_item_columns,
    ledger_link_columns,
)
from helpers.words import findings
from helpers.words.labels import (
    district_label,
    document_recipients,
    fmt_date,
    group_label,
    label,
    period_label,
    total_label,
    unnumbered,
)
from helpers.words.ledger_findings import ledger_sentences, overdue_caption
from helpers.words.report_notes import city_note, ranking_note, rules_note


@dataclass(frozen=True)
class Span:
    """A piece of paragraph text, bold or not."""

    text: str
    bold: bool = False


Text = str | tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    """A numbered heading: level 1 一、, level 2 （一）, level 3 1． (numbered when written)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text. kind: body (indented two characters), facts (centred lines under the title),
    note (smaller explanatory text), notice (a boxed warning: demo data, a draft), recipients
    (the 主送机关 line, flush left)."""

    text: Text
    kind: str = "body"


@dataclass(frozen=True)
class BulletList:
    """A list of items (bulleted, or numbered when `ordered`)."""

    items: tuple[Text, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Cell:
    """A table cell as printed; `status` shades it in that status's colour."""

    text: str
    status: str | None = None


@dataclass(frozen=True)
class Table:
    """A real table: header row, rows of cells, which columns are numbers (right-aligned)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: tuple[bool, ...]
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    """A chart (PNG bytes) across the text width, with its caption (numbered when written)."""

    png: bytes
    caption: str


Block = Heading | Paragraph | BulletList | Table | Figure


def from_narrative(blocks: Iterable, top_level: int = 1) -> list[Block]:
    """The analysts' written sections as document blocks. Takes blocks shaped like
    helpers.words.written_sections.Block: `kind` heading | paragraph | list, `runs` of (text,
    bold), `level`
    (1 = '#'), `items` (runs per item), `ordered`. Headings move down so that the narrative's
    top level becomes `top_level` (at most level 3); numbers typed into headings (一、, （一）)
    are dropped, the document numbers its headings itself."""
    def spans(runs) -> tuple[Span, ...]:
        return tuple(Span(run.text, bool(run.bold)) for run in runs)

    blocks = list(blocks)
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    shift = {level: min(top_level + n, 3) for n, level in enumerate(levels)}
    out: list[Block] = []
    for block in blocks:
        if block.kind == "heading":  # numbered again by the writer, in the document's sequence
            out.append(Heading(unnumbered("".join(r.text for r in block.runs)),
                               shift[block.level]))
        elif block.kind == "paragraph":
            out.append(Paragraph(spans(block.runs)))
        elif block.kind == "list":
            out.append(BulletList(tuple(spans(item) for item in block.items),
                                  ordered=bool(block.ordered)))
        else:
            raise ValueError(f"narrative block of unknown kind {block.kind!r} "
                             f"(line {getattr(block, 'line', '?')})")
    return out


def table_block(records: Iterable, columns: Sequence[Column], caption: str = "") -> Table:
    """A Table from any records and the report's columns (helpers.render.columns.Column: its
    header, its text, "num" right-aligned, its status colour), so a document table reads exactly
    as the page's."""
    def cell(column, record) -> Cell:
        status = column.status(record) if column.status is not None else None
        return Cell(column.text(record), status if status in STATUS_COLORS else None)

    records = list(records)
    return Table(headers=tuple(c.header for c in columns),
                 rows=tuple(tuple(cell(c, r) for c in columns) for r in records),
                 numeric=tuple("num" in c.css.split() for c in columns), caption=caption)


# --- the report's sections -----------------------------------------------------------------

def _lang(data: ReportData) -> str:
    return data.params.lang


def front_matter(data: ReportData) -> list[Block]:
    """Under the title: the draft notice when 文号 or 成文日期 is missing, the 主送机关 line, then
    period, report date, data as of, drafting date, scope; the demo-data notice when the
    returns are generated."""
    lang, params = _lang(data), data.params
    colon, gap = label("sep.colon", lang), "　" if lang == "zh" else "   "
    form: list[Block] = []
    if params.is_draft:
        form.append(Paragraph(label("form.draft_notice", lang), kind="notice"))
    form.append(Paragraph(document_recipients(params) + colon, kind="recipients"))
    names = data.districts
    scope = (label("head.scope_all", lang).format(n=len(names)) if params.districts is None
             else label("head.scope_subset", lang).format(
                 n=len(names), names=label("name_sep_text", lang).join(
                     district_label(n, lang, data.catalog) for n in names)))
    lines = [
        [("head.period", label(f"period.{params.period}", lang)),
         ("misc.report_date", fmt_date(data.report_date, lang))],
        [("misc.data_as_of", fmt_date(data.data_as_of, lang)),
         ("form.drafting_date", fmt_date(params.drafted_on, lang))],
        [("head.scope", scope)],
    ]
    blocks: list[Block] = [Paragraph(gap.join(f"{label(key, lang)}{colon}{value}"
                                              for key, value in line), kind="facts")
                           for line in lines]
    if data.demo_inputs and params.demo_notice:
        blocks.append(Paragraph(label("misc.demo_notice", lang), kind="notice"))
    return form + blocks


def overview_section(data: ReportData) -> list[Block]:
    """总体情况: the headline sentences (indicators, then the districts behind by name)."""
    lang = _lang(data)
    return [Heading(label("com.overall", lang)),
            *(Paragraph(line) for line in findings.overall(data) + findings.districts(data))]


def narrative_section(data: ReportData) -> list[Block]:
    """The analysts' written sections (主要做法, 工作亮点, 存在问题及原因, 下步打算), their numbers
    checked (helpers.words.written_sections), as top-level parts of the document; a report on
    selected districts says the city-wide text is left out."""
    lang = _lang(data)
    if not shows_narrative(data):
        return []
    if data.params.districts is not None or data.narrative is None:
        return [Heading(label("sec.narrative", lang)),
                Paragraph(label("narrative.subset", lang), kind="note")]
    # how many figures were checked belongs to the report's appendix, not the signed text
    return from_narrative(data.narrative.blocks)


def summary_section(data: ReportData) -> list[Block]:
    """The indicator summary, how it is read, the share indicators, the completion heatmap."""
    lang = _lang(data)
    rows = data.summary[data.summary["kind"] != "share"]
    blocks: list[Block] = [
        Heading(unnumbered(label("sec.summary", lang))),
        table_block(rows.itertuples(), summary_columns(data)),
        Paragraph(city_note(data), kind="note"),
        Paragraph(rules_note(data), kind="note")]
    shares = data.summary[data.summary["kind"] == "share"]
    if len(shares):
        blocks += [table_block(shares.itertuples(), shares_columns(data),
                              caption=label("sec.shares", lang)),
                   Paragraph(label("note.shares", lang), kind="note")]
    blocks.append(Figure(chart_pictures.heatmap_png(data), label("chart.heatmap_title", lang)))
    return blocks


def ranking_section(data: ReportData) -> list[Block]:
    """The 通报: every district ranked by the stated method."""
    return [Heading(unnumbered(label("sec.ranking", _lang(data)))),
            table_block(data.ranking.itertuples(), ranking_columns(data)),
            Paragraph(ranking_note(data), kind="note")]


def checkpoints_section(data: ReportData) -> list[Block]:
    """The work plan's stages and dated requirements: units and districts on time or not."""
    lang = _lang(data)
    if data.checkpoint_summary.empty:
        return []
    return [Heading(unnumbered(label("sec.checkpoints", lang))),
            table_block(data.checkpoint_summary.itertuples(),
                       checkpoint_columns(data)),
            Paragraph(label("note.checkpoints", lang), kind="note")]


def lagging_section(data: ReportData) -> list[Block]:
    """Items behind what was due, by supervision group (each row names its group and district:
    a continuation page reads alone)."""
    lang = _lang(data)
    heading = Heading(unnumbered(period_label("sec.lagging", lang, data.params.period)))
    if data.lagging.empty:
        return [heading, Paragraph(label("misc.none_lagging", lang))]
    group = Column(label("col.group", lang),
                               lambda r: group_label(r.supervision_group, lang))
    columns = [group, *lagging_columns(data, with_sources=False)]
    return [heading, table_block(data.lagging.itertuples(), columns)]


def timeline_section(data: ReportData) -> list[Block]:
    """City completion over the year against the milestone path."""
    lang = _lang(data)
    heading = Heading(unnumbered(label("sec.timeline", lang)))
    if data.timeline.empty:
        return [heading, Paragraph(label("misc.no_items", lang))]
    return [heading, Figure(chart_pictures.timeline_png(data), label("chart.timeline_title", lang))]


def commentary_section(data: ReportData) -> list[Block]:
    """The generated findings (helpers.words.findings), one sub-heading per part, but the overall
    part (the document opens with it); the changes table and, at year end, the carry-over
    table beside their text."""
    lang = _lang(data)
    blocks: list[Block] = [Heading(unnumbered(label("sec.commentary", lang)))]
    for key, lines in data.findings.items():
        if key == "overall":
            continue
        blocks.append(Heading(period_label(f"com.{key}", lang, data.params.period), level=2))
        if key in LISTED_COMMENTARY and len(lines) > 1:
            blocks.append(BulletList(tuple(lines)))
        else:
            blocks.extend(Paragraph(line) for line in lines)
        if key == "changes":
            moved = derived_tables.changes_table(data)
            if not moved.empty:
                blocks.append(table_block(moved.itertuples(), changes_columns(data)))
        if key == "year_end":
            carry = derived_tables.carry_over_table(data)
            if not carry.empty:
                blocks.append(table_block(
                    carry.itertuples(), carry_over_columns(data),
                    caption=carry_over_caption(data, len(carry))))
    return blocks


def ledger_section(data: ReportData) -> list[Block]:
    """The problem ledger (“回头看”): what it says, found / closed / overdue per district, the
    oldest overdue items (责任人 masked to the unit, as everywhere)."""
    lang, view = _lang(data), data.ledger
    if view is None:
        return []
    blocks: list[Block] = [Heading(unnumbered(label("sec.ledger", lang)))]
    if view.is_sample:
        blocks.append(Paragraph(label("ledger.sample_notice", lang), kind="notice"))
    blocks += [Paragraph(line) for line in ledger_sentences(data)]
    total = total_label(data.params)
    blocks.append(table_block(ledger_district_rows(data, total),
                              ledger_district_columns(data, total),
                              caption=label("ledger.by_district", lang)))
    if not view.overdue.empty:
        blocks.append(table_block(
            view.overdue.itertuples(index=False), ledger_item_columns(data),
            caption=overdue_caption(data)))
    links = lagging_links(data)
    if not links.empty:  # the sentences point to this table
        blocks.append(table_block(links.itertuples(index=False), ledger_link_columns(data),
                                  caption=period_label("ledger.links", lang, data.params.period)))
    blocks.append(Paragraph(label("ledger.masking_note", lang), kind="note"))
    return blocks


# The report, in order. A section is a function (data) -> list[Block]: adding one (the
# narrative, a ranking) is one entry here.
REPORT_SECTIONS: tuple[Callable[[ReportData], list[Block]], ...] = (
    front_matter,
    overview_section,
    narrative_section,
    summary_section,
    ranking_section,
    checkpoints_section,
    lagging_section,
    timeline_section,
    commentary_section,
    ledger_section,
)


def report_blocks(data: ReportData) -> list[Block]:
    """The whole report as document blocks (title, 文号 and 落款 come from the parameters and
    are placed by the writer)."""
    return [block for section in REPORT_SECTIONS for block in section(data)]
