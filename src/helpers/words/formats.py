"""Formats of figures that are more than a number format: a rank, a checkpoint's requirement
and a staged indicator's stages as the tables and the sentences print them."""

from __future__ import annotations

from helpers.core.values import is_missing
from helpers.words.labels import fmt_count, fmt_share, label, stage_label, unit_label


def rank_text(rank: object, is_tied: bool, lang: str, of: int | None = None) -> str:
    """3, 3（并列）, 3/12 or —."""
    if is_missing(rank):
        return "—"
    text = label("rank.of", lang).format(rank=int(rank), n=of) if of else str(int(rank))
    return label("rank.tied", lang).format(rank=text) if is_tied else text


def checkpoint_stage_text(data, row) -> str:
    """选址 / 完成40.0%: what a checkpoint requires."""
    lang = data.params.lang
    if row.stage:
        return stage_label(row.indicator, row.stage, lang, data.catalog)
    if row.share_due >= 1:
        return label("stage.all", lang)
    return label("stage.own", lang).format(share=fmt_share(row.share_due, lang))


def stage_counts(row) -> list[tuple[str, int]]:
    """(stage code, units that reached it) of a row's `stages_done` (site=42;renovation=38)."""
    text = "" if is_missing(row.stages_done) else str(row.stages_done)
    return [(code, int(count)) for code, count in
            (part.split("=", 1) for part in text.split(";") if part)]


def stage_progress_text(data, row, with_units: bool = False) -> str:
    """A staged indicator's progress, its stages and its build together: 选址42、启动装修38、
    建成0 in a table, 选址42个、启动装修38个、建成0个 in a sentence ("" without stages); a task's
    stages alone (its last stage is its completion)."""
    lang = data.params.lang
    unit = unit_label(row.unit, lang) if with_units else ""
    parts = [(stage_label(row.indicator, code, lang, data.catalog), count)
             for code, count in stage_counts(row)]
    if not parts:
        return ""
    if row.kind != "task":
        parts.append((label("stage.built", lang), 0 if is_missing(row.actual) else row.actual))
    sep = label("name_sep_text", lang)
    return sep.join(label("stage.count", lang).format(stage=name, n=fmt_count(n, lang),
                                                     unit=unit) for name, n in parts)
