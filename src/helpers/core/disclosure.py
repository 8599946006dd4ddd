"""Disclosure control: personal data in the problem ledger (names and telephone numbers in
责任人) never reaches a shared output. Phone numbers anywhere in published text are masked as
138****5678; a 责任人 cell is reduced to the unit it names (鹿城区民政局), or to nothing.

The unit rule, also in the README: the 责任人 text is split at spaces, punctuation and
digits; the first piece that contains an organisational suffix (局, 委员会, 管委会, 办公室,
人民政府, 政府, 办事处, 街道, 中心, 公司, 福利院, 敬老院, 养老院, 卫生院) gives the unit, cut
right after the first such suffix (so a name written straight after the unit, 鹿城区民政局张三,
is cut off; at least two characters must come before the suffix) and starting at the first
place name of the catalogue (a district or 温州市) when one occurs in that piece. Without such a
piece the unit is dropped. Pieces before the unit (张三（鹿城区民政局）) are never kept."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Full-width digits are digits too (a clerk may type １３８１２３４５６７８).
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Mobile numbers (11 digits starting 13-19), possibly split as 138-1234-5678 or 138 1234 5678.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[ \-]?(\d{4})[ \-]?(\d{4})(?!\d)")
# Landlines with an area code: 0577-88123456, 0577 88123456, (0577)88123456, 057788123456.
_LANDLINE = re.compile(r"(?<!\d)[(（]?(0\d{2,3})[)）]?[ \-]?(\d{3,4})[ \-]?(\d{4})(?!\d)")

UNIT_SUFFIXES = ("局", "委员会", "管委会", "办公室", "人民政府", "政府", "街道办事处", "办事处",
                 "街道", "中心", "公司", "福利院", "敬老院", "养老院", "卫生院")
_SUFFIX = re.compile("|".join(sorted(UNIT_SUFFIXES, key=len, reverse=True)))
# Pieces are separated by spaces, punctuation and digits (a number never belongs to a unit).
_SEPARATORS = re.compile(r"[\s,，、/／;；:：()（）\[\]【】|｜\-—–_·.。+]+|\d+")
CITY_NAMES = ("温州市",)


def _phone_matches(text: str) -> list[re.Match]:
    plain = str(text).translate(_DIGITS)  # same length: spans carry over to the original
    out, last = [], 0
    for match in sorted([*_MOBILE.finditer(plain), *_LANDLINE.finditer(plain)],
                        key=lambda m: m.start()):
        if match.start() >= last:  # overlapping matches: the first one wins
            out.append(match)
            last = match.end()
    return out


def phone_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every telephone number in `text`."""
    return [m.span() for m in _phone_matches(text or "")]


def mask_phones(text: str) -> str:
    """`text` with every mobile number shown as 138****5678 and every landline as
    0577-****3456 (area code and last four digits kept)."""
    if not text:
        return text
    out, last = [], 0
    for match in _phone_matches(text):
        out.append(str(text)[last:match.start()])
        masked = (f"{match[1]}****{match[3]}" if match.re is _MOBILE
                  else f"{match[1]}-****{match[3]}")
        out.append(masked)
        last = match.end()
    out.append(str(text)[last:])
    return "".join(out)


def has_phone(text: str) -> bool:
    """Whether `text` holds a telephone number that mask_phones would mask."""
    return bool(_phone_matches(text or ""))


def responsible_unit(text: object, place_names: Iterable[str] = ()) -> str:
    """The unit named in a 责任人 cell ('鹿城区民政局 张三 13812345678' -> '鹿城区民政局'), or ''
    when it names none. Never returns a person's name or a number (see the module doc)."""
    if text is None:
        return ""
    plain = str(text).translate(_DIGITS)
    places = sorted({*place_names, *CITY_NAMES}, key=len, reverse=True)
    for piece in _SEPARATORS.split(plain):
        match = _SUFFIX.search(piece)
        # At least two characters before the suffix: a two-character name such as 王局 is no unit.
        if not match or match.start() < 2:
            continue
        unit = piece[:match.end()]
        starts = [unit.find(p) for p in places if p and p in unit]
        if starts:
            unit = unit[min(starts):]
        return unit
    return ""


__all__ = ["has_phone", "mask_phones", "phone_spans", "responsible_unit"]
