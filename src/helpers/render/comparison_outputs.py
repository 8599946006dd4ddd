"""What changed between two reports, as a page and a workbook (`helpers diff --html/--xlsx`):
the moved figures and statuses, the changed input cells and files, in the columns defined once
here; the values are those of helpers.metrics.comparison, in the words of
helpers.words.change_words. The report's own 较上期变化 sheet uses the same moved-figure
columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import openpyxl
import pandas as pd

from helpers.core.reproducible_files import fixed_timestamp, workbook_bytes
from helpers.render.columns import Column
from helpers.render.excel_cells import fit_columns, write_table, write_text
from helpers.render.html_table import table
from helpers.render.page_templates import fragment, render_page, style_sheet
from helpers.words.change_words import (
    Names,
    difference_text,
    field_label,
    file_change_label,
    step_text,
    unit_text,
    value_text,
    where_text,
)
from helpers.words.labels import label


@dataclass(frozen=True)
class ComparisonTables:
    """What a comparison shows: its title, a line per report compared, the moved figures
    (helpers.metrics.comparison.moved_figures), the changed cells (moved_cells, a `field`
    and `rows` each) and files (path, how, old_sha256, new_sha256), the indicators' names."""

    title: str
    reports: list[str]
    moved: pd.DataFrame
    cells: pd.DataFrame
    files: pd.DataFrame
    names: Names
    lang: str = "zh"


def _kind(field: str) -> str:
    return {"status": "status", "completion": "percent"}.get(field, "count")


def moved_columns(names: Names, lang: str, with_step: bool = True,
                  unit_name: Callable[[str], str] | None = None) -> list[Column]:
    """The columns of a moved-figure table (page, workbook): where (`with_step`: the stage or
    node too; `unit_name`: a district's name as printed, by default as written), which figure,
    old, new, change, and the source cells before and after."""
    shown = unit_name or (lambda unit: unit_text(unit, lang))

    def change_kind(row) -> str:
        return "points" if row.field == "completion" else "count"

    def percent_kind(row) -> str:
        return "percent2" if row.field == "completion" and row.digits == 2 else _kind(row.field)

    def change_value(row) -> object:
        if row.difference is None or row.field == "status":
            return None
        return row.difference

    step = ([Column(label("change.col.step", lang),
                    lambda r: step_text(r.indicator, r.step, names, lang))] if with_step
            else [])
    return [
        Column(label("col.district", lang), lambda r: shown(r.unit)),
        Column(label("change.col.indicator", lang), lambda r: names.get(r.indicator,
                                                                        r.indicator)),
        Column(label("change.col.indicator_code", lang), lambda r: r.indicator),
        *step,
        Column(label("change.col.field", lang), lambda r: field_label(r.field, lang)),
        Column(label("change.col.old", lang),
               lambda r: value_text(r.field, r.old, lang, r.digits), css="num",
               kind_of=percent_kind, value=lambda r: r.old),
        Column(label("change.col.new", lang),
               lambda r: value_text(r.field, r.new, lang, r.digits), css="num",
               kind_of=percent_kind, value=lambda r: r.new),
        Column(label("change.col.difference", lang),
               lambda r: difference_text(r.field, r.difference, lang, r.digits), css="num",
               kind_of=change_kind, value=change_value),
        Column(label("change.col.old_source", lang), lambda r: r.old_source),
        Column(label("change.col.new_source", lang), lambda r: r.new_source),
    ]


def _cell_columns(names: Names, lang: str) -> list[Column]:
    return [
        Column(label("change.col.cell", lang), lambda r: r.cell),
        Column(label("change.col.field", lang), lambda r: field_label(r.field, lang)),
        Column(label("change.col.old", lang), lambda r: value_text(r.field, r.old, lang),
               css="num", kind_of=lambda r: _kind(r.field), value=lambda r: r.old),
        Column(label("change.col.new", lang), lambda r: value_text(r.field, r.new, lang),
               css="num", kind_of=lambda r: _kind(r.field), value=lambda r: r.new),
        Column(label("change.col.moved", lang),
               lambda r: "; ".join(where_text(*w, names, lang) for w in r.rows)),
    ]


def _file_columns(lang: str) -> list[Column]:
    return [
        Column(label("change.col.file", lang), lambda r: r.path),
        Column(label("change.col.how", lang), lambda r: file_change_label(r.how, lang),
               css="how"),
        Column(label("change.col.old_sha", lang), lambda r: r.old_sha256 or "", css="hash"),
        Column(label("change.col.new_sha", lang), lambda r: r.new_sha256 or "", css="hash"),
    ]


def _rows(frame: pd.DataFrame) -> list:
    return [SimpleNamespace(**r) for r in frame.to_dict("records")]


def _sections(tables: ComparisonTables) -> list[tuple[str, str, list[Column], list]]:
    lang = tables.lang
    return [("files", "change.sec.files", _file_columns(lang), _rows(tables.files)),
            ("cells", "change.sec.cells", _cell_columns(tables.names, lang),
             _rows(tables.cells)),
            ("figures", "change.sec.figures", moved_columns(tables.names, lang),
             _rows(tables.moved))]


def comparison_html(tables: ComparisonTables) -> str:
    """The comparison as one offline page: a table per section, every value escaped."""
    lang = tables.lang
    sections = []
    for key, heading, columns, rows in _sections(tables):
        count = label("change.count", lang).format(n=len(rows))
        body = (table(rows, columns, f"changes-{key}") if rows
                else f"<p>{label('change.none', lang)}</p>")
        title = label("change.heading", lang).format(heading=label(heading, lang), count=count)
        sections.append({"key": key, "heading": title, "table": fragment(body)})
    return render_page("comparison.html.j2", lang="zh-CN" if lang == "zh" else "en",
                       title=tables.title, reports=tables.reports, sections=sections,
                       css=style_sheet("index.css") + style_sheet("comparison.css"))


def comparison_xlsx(tables: ComparisonTables, day: dt.date) -> bytes:
    """The comparison as a workbook (a sheet per section, filters, frozen headers), the same
    bytes every time: its times are midnight of `day` (unless SOURCE_DATE_EPOCH is set)."""
    lang = tables.lang
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = {"files": "change.sheet.files", "cells": "change.sheet.cells",
              "figures": "change.sheet.figures"}
    for key, _heading, columns, rows in reversed(_sections(tables)):
        ws = wb.create_sheet(label(sheets[key], lang))
        write_text(ws, 1, 1, tables.title)
        write_text(ws, 2, 1, " → ".join(tables.reports))
        write_table(ws, 4, columns, rows, lang, empty_text=label("change.none", lang))
        fit_columns(ws, skip_rows=[1, 2])
    wb.active = 0
    wb.properties.title = tables.title
    return workbook_bytes(wb, fixed_timestamp(dt.datetime.combine(day, dt.time())))
