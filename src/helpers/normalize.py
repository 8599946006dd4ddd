"""Normalisation of the text and numbers that arrive in district returns."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Quote marks carry no meaning in a header ("智慧用电" vs “智慧用电”).
_QUOTES = "\"'“”‘’「」『』《》〈〉"
# A trailing unit in brackets: （个） (张) ［人］ after NFKC these are ASCII brackets.
_UNIT_SUFFIX = re.compile(r"[(\[]\s*(个|张|人|家|套|所|项|%|％|户|次|名|处)\s*[)\]]$")
# A year prefix such as "2018年享受养老服务补贴总人数".
_YEAR_PREFIX = re.compile(r"^(19|20)\d{2}年(度)?")
_SPACES = re.compile(r"\s+")


def normalize_text(value: object) -> str:
    """Unicode-normalised text with all whitespace (spaces, line breaks, ideographic space)
    removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub("", text)


def header_key(value: object) -> str:
    """Key for matching a column header to the catalogue: no spaces, quotes, unit or year prefix."""
    text = normalize_text(value)
    text = "".join(ch for ch in text if ch not in _QUOTES)
    # The enumeration comma is typed as a comma too ("助餐、配送餐" vs "助餐，配送餐").
    text = text.replace("、", ",")
    text = _UNIT_SUFFIX.sub("", text)
    text = _YEAR_PREFIX.sub("", text)
    return text.lower()


def district_key(value: object) -> str:
    """Key for matching a district name: whitespace and width differences removed."""
    return normalize_text(value)


class NotANumber(ValueError):
    """A cell's content cannot be read as a number."""


def parse_number(value: object) -> Decimal | None:
    """The number in a cell: int/float, or text with thousands separators or full-width digits.

    Returns None for an empty cell. Raises NotANumber with a reason otherwise.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(f"{value!r} is a true/false value, not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise NotANumber(f"{value!r} is not a finite number")
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise NotANumber(f"{value!r} ({type(value).__name__}) is not a number")
    text = normalize_text(value)
    if text == "":
        return None
    cleaned = text.replace(",", "").replace("，", "")
    # A trailing unit on the number ("1750张") is common in typed-in returns.
    cleaned = re.sub(r"(个|张|人|家|套|所|户|名)$", "", cleaned)
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise NotANumber(f"{value!r} is not a number")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid literals
        raise NotANumber(f"{value!r} is not a number") from exc


def as_count(number: Decimal) -> int:
    """A whole, non-negative count, or NotANumber saying why not."""
    if number < 0:
        raise NotANumber(f"{format_decimal(number)} is negative")
    if number != number.to_integral_value():
        raise NotANumber(f"{format_decimal(number)} is not a whole number")
    return int(number)


def format_decimal(number: Decimal) -> str:
    """A Decimal without exponent or trailing zeros (2450.0 -> 2450)."""
    text = format(number.normalize(), "f")
    return text


_TOTAL_LABELS = {"合计", "总计", "全市", "全市合计", "小计", "total"}
_FOOTNOTE_PREFIXES = ("注", "备注", "说明", "数据来源", "来源", "填报", "制表", "审核", "联系")


def is_total_label(value: object) -> bool:
    """True for a total-row label such as 合计, '合 计' or 全市合计."""
    return normalize_text(value).lower() in _TOTAL_LABELS


def is_footnote(value: object) -> bool:
    """True for a note line below a table (注：..., 填报人：...)."""
    text = normalize_text(value)
    return bool(text) and text.startswith(_FOOTNOTE_PREFIXES)
