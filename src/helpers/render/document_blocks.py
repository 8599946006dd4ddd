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
from helpers.metrics.ledger_view import lagging_with_ledger
from helpers.metrics.report_data import ReportData
from helpers.render import chart_pictures
from helpers.render.colours import STATUS_COLORS
from helpers.render.columns import (
    Column,
    changes_columns,
    checkpoint_columns,
    forward_columns,
    lagging_columns,
    ranking_columns,
    shares_columns,
    summary_columns,
)
from helpers.render.ledger_columns import (
    ledger_district_columns,
    ledger_district_rows,
    ledger_item_columns,
    ledger_link_column,
)
from helpers.render.plan_columns import plan_target_columns
from helpers.render.year_columns import year_on_year_columns
from helpers.words.document_plan import annexes
from helpers.words.labels import (
    document_recipients,
    group_label,
    label,
    total_label,
    unnumbered,
)
from helpers.words.ledger_findings import overdue_caption
from helpers.words.report_notes import (
    city_note,
    forward_note,
    ranking_note,
    report_facts,
    rules_note,
)


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


@dataclass(frozen=True)
class AnnexList:
    """附件说明 after the main text: '附件：1．…', the further items aligned under the first."""

    head: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class SignOff:
    """The 落款 (issuer and 成文日期), where the main text ends, before the 附件."""


@dataclass(frozen=True)
class AnnexTitle:
    """A 附件's first lines, on a new page: '附件4' flush left, its title centred."""

    number: str
    title: str


Block = Heading | Paragraph | BulletList | Table | Figure | AnnexList | SignOff | AnnexTitle


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
    """Under the title: the draft notice when 文号 or 成文日期 is missing, the 主送机关 line and
    the demo-data notice when the returns are generated."""
    lang, params = _lang(data), data.params
    form: list[Block] = []
    if params.is_draft:
        form.append(Paragraph(label("form.draft_notice", lang), kind="notice"))
    form.append(Paragraph(document_recipients(params) + label("sep.colon", lang),
                          kind="recipients"))
    if data.demo_inputs and params.demo_notice:
        form.append(Paragraph(label("misc.demo_notice", lang), kind="notice"))
    return form


def main_text_section(data: ReportData) -> list[Block]:
    """The main text (helpers.words.main_text): the opening, then each part with its generated
    sentences and the analysts' written sections, as written once for every output."""
    text = data.main_text
    blocks: list[Block] = [Paragraph(line) for line in text.opening]
    blocks += from_narrative(text.preface, top_level=2)
    for part in text.parts:
        blocks.append(Heading(part.heading))
        if part.note:
            blocks.append(Paragraph(part.note, kind="note"))
        blocks += [Paragraph(line) for line in part.before]
        for written in part.written:
            if written.heading:
                blocks.append(Heading(written.heading, level=2))
            blocks += from_narrative(written.blocks, top_level=3 if written.heading else 2)
        blocks += [Paragraph(line) for line in part.after]
    return blocks


def sign_off_section(data: ReportData) -> list[Block]:
    """附件说明 and the 落款."""
    lang = _lang(data)
    items = tuple(label("annex.list_item", lang).format(n=a.number, title=a.title)
                  for a in annexes(data))
    return [AnnexList(label("annex.list_head", lang), items), SignOff()]


def summary_annex(data: ReportData) -> list[Block]:
    """附件1: the indicator summary, how it is read, the share indicators, the completion
    heatmap, and the run's data-quality notes."""
    lang = _lang(data)
    rows = data.summary[data.summary["kind"] != "share"]
    blocks: list[Block] = [*(Paragraph(line, kind="note") for line in report_facts(data))]
    if len(data.plan_targets):  # the plan's own targets first, beside the allocation's
        blocks += [table_block(data.plan_targets.itertuples(), plan_target_columns(data),
                               caption=label("sec.plan_targets", lang)),
                   Paragraph(label("note.plan_targets", lang), kind="note")]
    blocks += [
        table_block(rows.itertuples(), summary_columns(data)),
        Paragraph(city_note(data), kind="note"),
        Paragraph(rules_note(data), kind="note")]
    shares = data.summary[data.summary["kind"] == "share"]
    if len(shares):
        blocks += [table_block(shares.itertuples(), shares_columns(data),
                               caption=label("sec.shares", lang)),
                   Paragraph(label("note.shares", lang), kind="note")]
    blocks.append(Figure(chart_pictures.heatmap_png(data), label("chart.heatmap_title", lang)))
    blocks.append(Paragraph(label("com.data_quality", lang), kind="note"))
    blocks += [Paragraph(line, kind="note") for line in data.findings["data_quality"]]
    return blocks


def ranking_annex(data: ReportData) -> list[Block]:
    """附件2, the 通报: every district ranked by the stated method."""
    return [table_block(data.ranking.itertuples(), ranking_columns(data)),
            Paragraph(ranking_note(data), kind="note")]


def checkpoints_annex(data: ReportData) -> list[Block]:
    """The work plan's stages and dated requirements: units and districts on time or not."""
    return [table_block(data.checkpoint_summary.itertuples(), checkpoint_columns(data)),
            Paragraph(label("note.checkpoints", _lang(data)), kind="note")]


def lagging_annex(data: ReportData) -> list[Block]:
    """The items behind what was due (year end: missed), by supervision group, each with its
    open ledger items: the one list of them in the document (each row names its group and
    district, so a continuation page reads alone)."""
    lang = _lang(data)
    if data.lagging.empty:
        return [Paragraph(label("misc.none_lagging", lang))]
    group = Column(label("col.group", lang), lambda r: group_label(r.supervision_group, lang))
    columns = [group, *lagging_columns(data, with_sources=False)]
    if data.ledger is not None:
        columns.append(ledger_link_column(data))
    return [table_block(lagging_with_ledger(data).itertuples(), columns)]


def timeline_annex(data: ReportData) -> list[Block]:
    """City completion over the year against the milestone path; before the year end, the
    forward look for the city, per indicator."""
    lang = _lang(data)
    if data.timeline.empty:
        return [Paragraph(label("misc.no_items", lang))]
    blocks: list[Block] = [Figure(chart_pictures.timeline_png(data),
                                  label("chart.timeline_title", lang))]
    if data.params.period != "FY":
        blocks += [Paragraph(forward_note(data), kind="note"),
                   table_block(derived_tables.city_forward(data).itertuples(),
                               forward_columns(data, False),
                               caption=label("sec.forward_city", lang))]
    return blocks


def changes_annex(data: ReportData) -> list[Block]:
    """Each indicator's completion and status now and at the previous report; at year end,
    the city's figures beside the previous year's (比上年) when its data are there."""
    lang = _lang(data)
    moved = derived_tables.changes_table(data)
    blocks: list[Block] = ([table_block(moved.itertuples(), changes_columns(data))]
                           if len(moved) else [])
    city = data.year_on_year[data.year_on_year["district"] == ""]
    if len(city):
        blocks += [table_block(city.itertuples(), year_on_year_columns(data),
                               caption=label("sec.year_on_year", lang)),
                   Paragraph(label("note.year_on_year", lang), kind="note")]
    return blocks


def ledger_annex(data: ReportData) -> list[Block]:
    """The problem ledger (“回头看”): found / closed / overdue per district, the oldest overdue
    items (责任人 masked to the unit, as everywhere). Its sentences are in the main text."""
    lang, view = _lang(data), data.ledger
    blocks: list[Block] = []
    if view.is_sample:
        blocks.append(Paragraph(label("ledger.sample_notice", lang), kind="notice"))
    total = total_label(data.params)
    blocks.append(table_block(ledger_district_rows(data, total),
                              ledger_district_columns(data, total),
                              caption=label("ledger.by_district", lang)))
    if not view.overdue.empty:
        blocks.append(table_block(
            view.overdue.itertuples(index=False), ledger_item_columns(data),
            caption=overdue_caption(data)))
    blocks.append(Paragraph(label("ledger.masking_note", lang), kind="note"))
    return blocks


# What fills each 附件 (helpers.words.document_plan numbers them).
ANNEX_CONTENT: dict[str, Callable[[ReportData], list[Block]]] = {
    "summary": summary_annex,
    "ranking": ranking_annex,
    "checkpoints": checkpoints_annex,
    "lagging": lagging_annex,
    "timeline": timeline_annex,
    "changes": changes_annex,
    "ledger": ledger_annex,
}


def annex_sections(data: ReportData) -> list[Block]:
    """Every 附件, in order, each on a new page under its number and title."""
    lang = _lang(data)
    blocks: list[Block] = []
    for annex in annexes(data):
        blocks.append(AnnexTitle(annex.caption(lang), annex.title))
        blocks += [Paragraph(line) for line in data.main_text.annex_text.get(annex.key, ())]
        blocks += ANNEX_CONTENT[annex.key](data)
    return blocks


# The document, in order: the main text, 附件说明 and 落款, then the 附件.
REPORT_SECTIONS: tuple[Callable[[ReportData], list[Block]], ...] = (
    front_matter,
    main_text_section,
    sign_off_section,
    annex_sections,
)


def report_blocks(data: ReportData) -> list[Block]:
    """The whole report as document blocks (the title and 文号 come from the parameters and
    are placed by the writer)."""
    return [block for section in REPORT_SECTIONS for block in section(data)]
