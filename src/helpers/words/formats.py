"""Formats of figures that are more than a number format: a rank as the tables print it."""

from __future__ import annotations

from helpers.core.values import is_missing
from helpers.words.labels import label


def rank_text(rank: object, is_tied: bool, lang: str, of: int | None = None) -> str:
    """3, 3（并列）, 3/12 or —."""
    if is_missing(rank):
        return "—"
    text = label("rank.of", lang).format(rank=int(rank), n=of) if of else str(int(rank))
    return label("rank.tied", lang).format(rank=text) if is_tied else text
