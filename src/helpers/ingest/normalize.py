"""Normalisation of the text and numbers that arrive in district returns."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from helpers.core.limits import MAX_NUMBER_CHARS, PLAUSIBLE_MAX_BY_UNIT, PLAUSIBLE_MAX_OTHER

# Quote marks carry no meaning in a header ("智慧用电" vs “智慧用电”).
_QUOTES = "\"'“”‘’「」『』《》〈〉"
# A trailing unit in brackets: （个） (张) ［人］ after NFKC these are ASCII brackets.
_UNIT_SUFFIX = re.compile(r"[(\[]\s*(个|张|人|家|套|所|项|%|％|户|次|名|处|期|班)\s*[)\]]$")
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


# Full-width digits and signs are how Chinese input methods type numbers; every other script's
# digits (Arabic-Indic, Devanagari, superscripts, circled numbers) is refused, not guessed.
_FULLWIDTH_NUMBER = str.maketrans("０１２３４５６７８９，．＋－", "0123456789,.+-")
# Plain digits, or groups of three split by one kind of separator (1,750 / 1 234 567).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?P<sep>[, ])[0-9]{3}(?:(?P=sep)[0-9]{3})*)"
                     r"(?:\.[0-9]*)?|[+-]?\.[0-9]+")
_INNER_SPACE = re.compile(r"[\s\u3000]+")
_UNIT_AFTER_NUMBER = re.compile(r"\s*(个|张|人|家|套|所|户|名|期)$")


def parse_number(value: object) -> Decimal | None:
    """The number in a cell: int/float, or text with thousands separators in groups of three,
    full-width digits or a unit after it.

    Returns None for an empty cell. Raises NotANumber with a reason otherwise (and nothing
    else, whatever the value).
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
        raise NotANumber(f"{_shown(value)} ({type(value).__name__}) is not a number")
    text = value.strip()
    if text == "":
        return None
    if len(text) > MAX_NUMBER_CHARS:
        raise NotANumber(f"{_shown(value)} is too long to be a figure")
    # A trailing unit on the number ("1750张") is common in typed-in returns.
    text = _UNIT_AFTER_NUMBER.sub("", text.translate(_FULLWIDTH_NUMBER))
    text = _INNER_SPACE.sub(" ", text).replace(" ,", ",").replace(", ", ",")
    if not _NUMBER.fullmatch(text):
        raise NotANumber(f"{_shown(value)} is not a number")
    try:
        return Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid literals
        raise NotANumber(f"{_shown(value)} is not a number") from exc


def _shown(value: object) -> str:
    """A value quoted for a message, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def plausible_maximum(unit: str) -> int:
    """The largest figure one district can plausibly report in `unit` (helpers.core.limits)."""
    return PLAUSIBLE_MAX_BY_UNIT.get(unit, PLAUSIBLE_MAX_OTHER)


def plausible_count_problem(value: int, unit: str) -> str | None:
    """Why a figure is not a plausible count for one district in `unit`, or None (limits in
    helpers.core.limits)."""
    limit = plausible_maximum(unit)
    if value > limit:
        shown = str(value) if len(str(value)) <= 20 else f"a {len(str(value))}-digit number"
        return (f"{shown} is larger than the plausible maximum of {limit:,} for one district "
                f"(unit {unit or 'none'})")
    return None


class NotADate(ValueError):
    """A text cannot be read as a calendar date."""


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_IN_TEXT = re.compile(
    r"((?:19|20)[0-9]{2})\s*(?:年|-|/|\.)\s*([0-9]{1,2})\s*(?:月|-|/|\.)\s*([0-9]{1,2})\s*日?")


def _date_written(text: object) -> re.Match | None:
    """The first text written as a date (year, month, day), in the calendar or not."""
    if text is None or isinstance(text, bool | int | float | dt.date):
        return None
    return _DATE_IN_TEXT.search(normalize_text(str(text).translate(_FULLWIDTH_NUMBER)))


def date_in_text(text: object) -> dt.date | None:
    """The first calendar date written in a text (2018年6月30日, 2018-06-30), or None. Only
    ASCII and full-width digits count as digits."""
    match = _date_written(text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# a table's title that begins with its year or years: 2018年…分解表, 2018—2020年…表
_TITLE_YEARS = re.compile(r"\W*((?:19|20)[0-9]{2})(?:\s*[-—–~～至到]\s*((?:19|20)[0-9]{2}))?\s*年")


def title_years(text: object) -> frozenset[int]:
    """The years a table's title begins with (2018年…分解表: 2018; 2018—2020年…表: 2018 to
    2020); none for any other text (a date line, a note, a title naming its year later: a
    year there may be a base year, 以2017年底为基数)."""
    if not isinstance(text, str) or "表" not in text:
        return frozenset()
    match = _TITLE_YEARS.match(normalize_text(text))
    if match is None:
        return frozenset()
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    return frozenset(range(first, last + 1)) if first <= last <= first + 10 else frozenset()


def date_shape_in_text(text: object) -> str:
    """The first text written as a date is (2018年13月31日 too), or "": with date_in_text None,
    a date mistyped rather than no date."""
    match = _date_written(text)
    return match[0] if match else ""


def parse_date(value: object) -> dt.date:
    """A reporting date typed as YYYY-MM-DD (or written as 2018年6月30日); raises NotADate
    (and nothing else) when there is none."""
    text = normalize_text(value).translate(_FULLWIDTH_NUMBER)
    match = _ISO_DATE.fullmatch(text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise NotADate(f"{_shown(value)} is not a calendar date") from None
    found = date_in_text(text) if len(text) <= 100 else None
    if found is None:
        raise NotADate(f"{_shown(value)} is not a date (YYYY-MM-DD)")
    return found


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
