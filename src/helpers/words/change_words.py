"""The words of a comparison of two reports (helpers.metrics.comparison): each moved figure as
a reader sees it (its name, old and new value, the change with its sign), each changed input
file and cell, for the console, the page and the workbook alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from helpers.core.values import is_missing
from helpers.metrics.facts import CITY
from helpers.words.labels import (
    fmt_count,
    fmt_date,
    fmt_percent,
    fmt_pp,
    indicator_label,
    label,
    sentence,
    status_label,
)

# The document's 修订说明 lists these revisions of an indicator's own figure (the workbook's
# sheet lists every one, stages, nodes, ranks and what was due included), at most this many.
REVISED_IN_TEXT = ("target", "figure", "denominator", "status")
REVISIONS_IN_TEXT = 10

FILE_CHANGES = ("changed", "added", "removed")


def field_label(field: str, lang: str = "zh") -> str:
    """累计完成 / 状态 / ... for a compared figure."""
    return label(f"change.field.{field}", lang)


def value_text(field: str, value: object, lang: str = "zh", digits: int = 1) -> str:
    """A compared value as printed: a count (1890), a completion (108.0%, or with `digits`
    decimals: 2.83%), a status name; '—' for none."""
    if is_missing(value):
        return "—"
    if field == "status":
        return status_label(str(value), lang)
    if field == "completion":
        return fmt_percent(float(value), lang, digits)
    return fmt_count(value, lang)


def difference_text(field: str, difference: object, lang: str = "zh", digits: int = 1) -> str:
    """The change with its sign: +992, -2, +56.7个百分点; '' where there is none (a status, or
    a figure missing on one side)."""
    if is_missing(difference):
        return ""
    if field == "completion":
        return label("change.pp", lang).format(points=fmt_pp(float(difference), lang, digits))
    number = int(difference)
    return f"+{fmt_count(number, lang)}" if number > 0 else f"-{fmt_count(-number, lang)}"


def unit_text(unit: str, lang: str = "zh") -> str:
    """A district as named, the city as 全市 / City."""
    return label("change.city", lang) if unit == CITY else unit


# A comparison's names: an indicator's by its code, a stage's by stage_key (a pair, which no
# code can equal)
Names = Mapping[str | tuple[str, str], str]


def stage_key(indicator: str, stage: str) -> tuple[str, str]:
    """Where a comparison's `names` keep a stage's name (beside the indicators' by code)."""
    return (indicator, stage)


def stage_names(stages: Iterable, lang: str = "zh") -> dict[tuple[str, str], str]:
    """The catalogue's stages (helpers.ingest.catalog.Stage) as a comparison's names keep them,
    by stage_key (a later stage of the same key wins)."""
    return {stage_key(s.indicator, s.code): s.name_zh if lang == "zh" else s.name_en
            for s in stages}


def step_text(indicator: str, step: str, names: Names, lang: str = "zh") -> str:
    """A compared row's step as named: a stage by its name where `names` has one (选址), else
    its code; a node by its date as the report writes dates (2018年11月30日)."""
    named = names.get(stage_key(indicator, step))
    if named:
        return named
    try:
        return fmt_date(dt.date.fromisoformat(step), lang)
    except ValueError:
        return step


def where_text(unit: str, indicator: str, step: str, names: Names,
               lang: str = "zh") -> str:
    """Which row moved: 鹿城区 · 新增养老机构床位 · 选址 (the step is a stage or the date of a
    node; none for the indicator's own figure). `names`: the indicators' names by code and
    their stages' by stage_key."""
    parts = [unit_text(unit, lang), names.get(indicator, indicator)]
    return " · ".join([*parts, step_text(indicator, step, names, lang)] if step else parts)


def moved_line(row, names: Names, lang: str = "zh") -> str:
    """One moved figure on one line: where, which figure, old -> new (change)."""
    change = difference_text(row.field, row.difference, lang, row.digits)
    text = (f"{where_text(row.unit, row.indicator, row.step, names, lang)}  "
            f"{field_label(row.field, lang)}: {value_text(row.field, row.old, lang, row.digits)}"
            f" -> {value_text(row.field, row.new, lang, row.digits)}")
    return f"{text} ({change})" if change else text


def file_change_label(how: str, lang: str = "zh") -> str:
    """已修改 / 新增 / 已删除 for an input file."""
    return label(f"change.file.{how}", lang)


def cell_line(cell: str, field: str, old: object, new: object, rows: list[tuple],
              names: Names, lang: str = "zh") -> str:
    """A changed input cell: the cell, its figure old -> new, and the rows it moved."""
    where = "; ".join(where_text(*r, names, lang) for r in rows)
    return (f"{cell}: {value_text(field, old, lang)} -> {value_text(field, new, lang)}  "
            f"[{where}]")


def comparison_title(old: str, new: str, lang: str = "zh") -> str:
    """报告比较：A → B."""
    return label("change.title", lang).format(old=old, new=new)


def nothing_moved(lang: str = "zh") -> str:
    """The line of a comparison in which nothing moved."""
    return label("change.nothing", lang)



def revision_sentences(revisions, catalog, lang: str = "zh") -> list[str]:
    """修订说明: how many figures were revised since the previous publication, then a sentence
    for each revised own figure or status of a district or the city (up to REVISIONS_IN_TEXT;
    the number of the rest)."""
    if not len(revisions):
        return []
    shown = revisions[(revisions["step"] == "") & revisions["field"].isin(REVISED_IN_TEXT)]
    names = {i.code: indicator_label(i.code, lang, catalog) for i in catalog.indicators}
    lines = [sentence("revision.intro", lang, n=len(revisions))]
    for row in list(shown.itertuples())[:REVISIONS_IN_TEXT]:
        where = (f"{unit_text(row.unit, lang)}{names.get(row.indicator, row.indicator)}"
                 if lang == "zh" else where_text(row.unit, row.indicator, "", names, lang))
        lines.append(sentence("revision.item", lang, where=where,
                              field=field_label(row.field, lang),
                              old=value_text(row.field, row.old, lang, row.digits),
                              new=value_text(row.field, row.new, lang, row.digits)))
    rest = len(revisions) - min(len(shown), REVISIONS_IN_TEXT)
    if rest:
        lines.append(sentence("revision.more", lang, n=rest))
    return lines


def revised_mark(old: object, lang: str = "zh") -> str:
    """What follows a revised 累计完成 in the tables: （修订，原898）."""
    return label("change.revised", lang).format(old=value_text("figure", old, lang))
