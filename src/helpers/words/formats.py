"""Formats of figures that are more than a number format: a rank and a checkpoint's
requirement as the tables and the sentences print them."""

from __future__ import annotations

from helpers.core.values import is_missing
from helpers.words.labels import fmt_share, label, stage_label


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
