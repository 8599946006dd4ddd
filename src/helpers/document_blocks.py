"""The sent document's content as a list of simple blocks — heading, paragraph, list, table,
figure — independent of the file format, so that report.docx (helpers.word_report) and later
documents (district briefs) are written from one description.

`report_blocks(data)` is the report, section by section (REPORT_SECTIONS). A new section is one
function `(data) -> list[Block]` added to that tuple; a table from any records is one call of
`table(records, columns)`; the analysts' written sections are one call of `from_narrative`.
Every reader-visible text comes from helpers.labels or helpers.commentary; every number is
formatted by the labels' formatters, as in the HTML."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from helpers import charts, commentary
from helpers.labels import (
    STATUSES,
    district_label,
    fmt_count,
    fmt_date,
    fmt_percent,
    fmt_pp,
    group_label,
    indicator_label,
    label,
    status_label,
    unit_label,
    unnumbered,
)
from helpers.progress_metrics import isnan
from helpers.report_data import ReportData


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
    note (smaller explanatory text), notice (the boxed demo-data warning)."""

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
    """A real table: header row, rows of cells, which columns are numbers (right-aligned) and
    which merge runs of equal cells vertically (a group or district spanning its rows)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: tuple[bool, ...]
    merge: tuple[bool, ...]
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    """A chart (PNG bytes) across the text width, with its caption (numbered when written)."""

    png: bytes
    caption: str


Block = Heading | Paragraph | BulletList | Table | Figure


@dataclass(frozen=True)
class TableColumn:
    """How one column of a table reads from a record."""

    header: str
    value: Callable[[object], str | Cell]
    numeric: bool = False
    merge: bool = False


def table(records: Iterable, columns: Sequence[TableColumn], caption: str = "") -> Table:
    """A Table from any records (itertuples rows, dicts, objects) and column specs."""
    rows = []
    for record in records:
        cells = []
        for column in columns:
            value = column.value(record)
            cells.append(value if isinstance(value, Cell) else Cell(str(value)))
        rows.append(tuple(cells))
    return Table(headers=tuple(c.header for c in columns), rows=tuple(rows),
                 numeric=tuple(c.numeric for c in columns),
                 merge=tuple(c.merge for c in columns), caption=caption)


def from_narrative(blocks: Iterable, top_level: int = 1) -> list[Block]:
    """The analysts' written sections as document blocks. Takes blocks shaped like
    helpers.narrative.Block: `kind` heading | paragraph | list, `runs` of (text, bold), `level`
    (1 = '#'), `items` (runs per item), `ordered`. Headings move down so that the narrative's
    top level becomes `top_level` (at most level 3)."""
    def spans(runs) -> tuple[Span, ...]:
        return tuple(Span(run.text, bool(run.bold)) for run in runs)

    blocks = list(blocks)
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    shift = {level: min(top_level + n, 3) for n, level in enumerate(levels)}
    out: list[Block] = []
    for block in blocks:
        if block.kind == "heading":
            out.append(Heading("".join(r.text for r in block.runs), shift[block.level]))
        elif block.kind == "paragraph":
            out.append(Paragraph(spans(block.runs)))
        elif block.kind == "list":
            out.append(BulletList(tuple(spans(item) for item in block.items),
                                  ordered=bool(block.ordered)))
        else:
            raise ValueError(f"narrative block of unknown kind {block.kind!r} "
                             f"(line {getattr(block, 'line', '?')})")
    return out


# --- the report's sections -----------------------------------------------------------------

def _lang(data: ReportData) -> str:
    return data.params.lang


def _status_cell(status: object, lang: str) -> Cell:
    if not isinstance(status, str) or not status:
        return Cell("")
    return Cell(status_label(status, lang), status)


def _count(value: object, lang: str) -> str:
    return fmt_count(None if isnan(value) else value, lang)


def _percent(value: object, lang: str) -> str:
    return fmt_percent(None if isnan(value) else value, lang)


def _points(value: object, lang: str) -> str:
    return fmt_pp(None if isnan(value) else value, lang)


def _figure_columns(data: ReportData) -> list[TableColumn]:
    """target, actual, completion, milestone, gap, status: the columns every table shares."""
    lang = _lang(data)
    return [
        TableColumn(label("col.target", lang), lambda r: _count(r.target, lang), numeric=True),
        TableColumn(label("col.actual", lang), lambda r: _count(r.actual, lang), numeric=True),
        TableColumn(label("col.completion", lang), lambda r: _percent(r.completion, lang),
                    numeric=True),
        TableColumn(label("col.milestone", lang), lambda r: _percent(r.milestone, lang),
                    numeric=True),
        TableColumn(label("col.gap_pp", lang), lambda r: _points(r.gap_pp, lang), numeric=True),
        TableColumn(label("col.status", lang), lambda r: _status_cell(r.status, lang)),
    ]


def _indicator_column(data: ReportData, merge: bool = False) -> TableColumn:
    lang = _lang(data)
    return TableColumn(label("col.indicator", lang),
                       lambda r: indicator_label(r.indicator, lang, data.catalog), merge=merge)


def _districts(data: ReportData) -> list[str]:
    present = set(data.table["district"])
    return [d.name for d in data.catalog.districts if d.name in present]


def front_matter(data: ReportData) -> list[Block]:
    """Under the title: period, report date, data as of, drafting date, scope; the demo-data
    notice when the returns are generated."""
    lang, params = _lang(data), data.params
    colon, gap = label("sep.colon", lang), "　" if lang == "zh" else "   "
    names = _districts(data)
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
    return blocks


def overview_section(data: ReportData) -> list[Block]:
    """一、总体情况: the headline sentence."""
    lang = _lang(data)
    return [Heading(label("sec.headline", lang)),
            *(Paragraph(line) for line in commentary.overall(data))]


def summary_section(data: ReportData) -> list[Block]:
    """The indicator summary table, how to read it, and the completion heatmap."""
    lang = _lang(data)
    columns = [_indicator_column(data),
               TableColumn(label("col.unit", lang), lambda r: unit_label(r.unit, lang)),
               *_figure_columns(data),
               TableColumn(label("col.districts_lagging", lang),
                           lambda r: _count(r.districts_lagging, lang), numeric=True)]
    note = label("note.milestones", lang).format(serious=f"{data.params.serious_lag_pp:g}")
    return [Heading(unnumbered(label("sec.summary", lang))),
            table(data.summary.itertuples(), columns),
            Paragraph(note, kind="note"),
            Figure(charts.completion_heatmap(data), label("chart.heatmap_title", lang))]


def district_status_counts(data: ReportData) -> pd.DataFrame:
    """Per district (catalogue order): supervision group, overall rank and mean completion
    (helpers.progress_metrics.district_scores), and how many indicators are in each status."""
    scores = data.scores.set_index("district")
    statuses = [s for s in STATUSES if s != "no_target" and (data.table["status"] == s).any()]
    rows = []
    for name in _districts(data):
        part = data.table[data.table["district"] == name]
        row = {"district": name, "supervision_group": part["supervision_group"].iloc[0],
               "rank": scores["rank"].get(name), "mean_completion":
                   scores["mean_completion"].get(name)}
        row.update({status: int((part["status"] == status).sum()) for status in statuses})
        rows.append(row)
    return pd.DataFrame(rows, columns=["district", "supervision_group", "rank",
                                       "mean_completion", *statuses])


def districts_section(data: ReportData) -> list[Block]:
    """Every district in one table: rank, mean completion, items per status."""
    lang = _lang(data)
    counts = district_status_counts(data)
    n = len(counts)
    statuses = list(counts.columns[4:])
    columns = [
        TableColumn(label("col.district", lang),
                    lambda r: district_label(r["district"], lang, data.catalog)),
        TableColumn(label("col.group", lang), lambda r: group_label(r["supervision_group"], lang)),
        TableColumn(label("col.overall_rank", lang),
                    lambda r: "—" if isnan(r["rank"]) else f"{int(r['rank'])}/{n}", numeric=True),
        TableColumn(label("col.mean_completion", lang),
                    lambda r: _percent(r["mean_completion"], lang), numeric=True),
        *(TableColumn(label("doc.status_count", lang).format(status=status_label(s, lang)),
                      lambda r, s=s: str(r[s]), numeric=True) for s in statuses),
    ]
    return [Heading(unnumbered(label("sec.districts", lang))),
            table(counts.to_dict("records"), columns)]


def lagging_section(data: ReportData) -> list[Block]:
    """Items behind their milestone, by supervision group (group and district cells merged)."""
    lang = _lang(data)
    heading = Heading(unnumbered(label("sec.lagging", lang)))
    if data.lagging.empty:
        return [heading, Paragraph(label("misc.none_lagging", lang))]
    columns = [TableColumn(label("col.group", lang),
                           lambda r: group_label(r.supervision_group, lang), merge=True),
               TableColumn(label("col.district", lang),
                           lambda r: district_label(r.district, lang, data.catalog), merge=True),
               _indicator_column(data), *_figure_columns(data)]
    return [heading, table(data.lagging.itertuples(), columns)]


def timeline_section(data: ReportData) -> list[Block]:
    """City completion over the year against the milestone path."""
    lang = _lang(data)
    heading = Heading(unnumbered(label("sec.timeline", lang)))
    if data.timeline.empty:
        return [heading, Paragraph(label("misc.no_items", lang))]
    return [heading, Figure(charts.progress_timeline(data), label("chart.timeline_title", lang))]


def commentary_section(data: ReportData) -> list[Block]:
    """The generated findings (helpers.commentary), one sub-heading per part; the changes
    table and, at year end, the carry-over table beside their text."""
    lang = _lang(data)
    blocks: list[Block] = [Heading(unnumbered(label("sec.commentary", lang)))]
    for key, lines in commentary.all_sections(data).items():
        blocks.append(Heading(label(f"com.{key}", lang), level=2))
        if key == "lagging" and len(lines) > 1:
            blocks.append(BulletList(tuple(lines)))
        else:
            blocks.extend(Paragraph(line) for line in lines)
        if key == "changes":
            blocks.extend(_changes_table(data))
        if key == "year_end":
            blocks.extend(_carry_over_table(data))
    return blocks


def _changes_table(data: ReportData) -> list[Block]:
    moved = commentary.changes_table(data)
    if moved.empty:
        return []
    lang = _lang(data)
    previous = label(f"period.{data.previous_period}", lang)

    def of_previous(key: str) -> str:
        return label("col.of_period", lang).format(period=previous, column=label(key, lang))

    columns = [_indicator_column(data),
               TableColumn(of_previous("col.completion"), lambda r: _percent(r.previous, lang),
                           numeric=True),
               TableColumn(label("col.completion", lang), lambda r: _percent(r.current, lang),
                           numeric=True),
               TableColumn(label("col.change_pp", lang), lambda r: _points(r.change_pp, lang),
                           numeric=True),
               TableColumn(of_previous("col.status"),
                           lambda r: _status_cell(r.previous_status, lang)),
               TableColumn(label("col.status", lang), lambda r: _status_cell(r.status, lang))]
    return [table(moved.itertuples(), columns)]


def _carry_over_table(data: ReportData) -> list[Block]:
    carry = commentary.carry_over_table(data)
    if carry.empty:
        return []
    lang = _lang(data)
    columns = [TableColumn(label("col.district", lang),
                           lambda r: district_label(r.district, lang, data.catalog), merge=True),
               _indicator_column(data),
               TableColumn(label("col.unit", lang), lambda r: unit_label(r.unit, lang)),
               TableColumn(label("col.target", lang), lambda r: _count(r.target, lang),
                           numeric=True),
               TableColumn(label("col.actual", lang), lambda r: _count(r.actual, lang),
                           numeric=True),
               TableColumn(label("col.remaining", lang), lambda r: _count(r.remaining, lang),
                           numeric=True),
               TableColumn(label("col.completion", lang), lambda r: _percent(r.completion, lang),
                           numeric=True),
               TableColumn(label("col.status", lang), lambda r: _status_cell(r.status, lang))]
    return [table(carry.itertuples(), columns, caption=label("com.carry_over", lang))]


# The report, in order. A section is a function (data) -> list[Block]: adding one (the
# narrative, a ranking) is one entry here.
REPORT_SECTIONS: tuple[Callable[[ReportData], list[Block]], ...] = (
    front_matter,
    overview_section,
    summary_section,
    districts_section,
    lagging_section,
    timeline_section,
    commentary_section,
)


def report_blocks(data: ReportData) -> list[Block]:
    """The whole report as document blocks (title, 文号 and 落款 come from the parameters and
    are placed by the writer)."""
    return [block for section in REPORT_SECTIONS for block in section(data)]
