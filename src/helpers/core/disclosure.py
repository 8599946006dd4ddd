"""Disclosure control: personal data in the inputs (names and telephone numbers, mostly in the
problem ledger's 责任人) never reaches a shared output. Deny by default:

- Telephone numbers. Every run of digits that could be a telephone number is one: digits
  joined by single separators (space, -, ., ·, /, dashes, brackets), full-width digits, with or
  without +86 / 0086; an 11-digit mobile (1[3-9]...), a number with an area code (0 and 9 to 11
  more digits), or a local number of 7 or 8 digits that is not a quantity (followed by 人, 张,
  个, 元, ... ) nor a date or a span of years. Published text shows them masked (138****5678,
  0577-****3456, ****9999); a written section that holds one is refused.
- 责任人. A cell publishes only a unit: a place of the catalogue (a district, its aliases,
  温州市) followed by one of UNIT_FORMS, with at most a township between them (泰顺县罗阳镇
  人民政府). Anything else (a person, a title such as 局长, a unit of no known form) publishes
  nothing, and the report shows its placeholder (未注明)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Full-width digits and signs are digits and signs too (a clerk may type １３８１２３４５６７８).
_PLAIN = str.maketrans("０１２３４５６７８９＋（）－", "0123456789+()-")
# A run of digits joined by at most two separators each (138 1234 5678, 139.0000.5555,
# (0577)88123456, +86 139-0000-4444): every telephone number is one.
_RUN = re.compile(r"(?<![\d.])\+?\(?\+?\d(?:[ \-.·/—–‐‑‒―()]{0,2}\d)*")
# Quantities and dates are not telephone numbers.
_QUANTITY_AFTER = re.compile(r"^\s{0,2}[人张个元万亿%％户床家名项次所座套吨天年月日号岁倍期批条处]")
# a date's shape, even one with no such month or day (2018-13-30): a date mistyped, not a number
_DATE = re.compile(r"^(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}$")
_YEARS = re.compile(r"^(?:19|20)\d{2}\s?(?:[-—–~～/]|\.\.)\s?(?:19|20)\d{2}$")

# The unit forms a 责任人 may publish (after a place of the catalogue), longest first.
UNIT_FORMS = ("住房和城乡建设局", "人力资源和社会保障局", "自然资源和规划局", "市场监督管理局",
              "居家养老服务中心", "养老服务指导中心", "社会福利中心", "养老服务中心", "卫生健康局",
              "社会事业局", "社会事务局", "应急管理局", "街道办事处", "管理委员会", "社会福利院",
              "民政局",
              "财政局", "人民政府", "办事处", "管委会", "委员会", "办公室", "福利院", "敬老院",
              "养老院", "卫生院", "照料中心", "服务中心")
_FORM = re.compile("|".join(sorted(UNIT_FORMS, key=len, reverse=True)))
# What may stand between the place and the form: a township (罗阳镇, 五马街道, 七都乡).
_TOWNSHIP = re.compile(r"[\u4e00-\u9fff]{1,6}(?:镇|乡|街道)")
# Pieces are separated by spaces, punctuation and digits (a number never belongs to a unit).
_SEPARATORS = re.compile(r"[\s,，、/／;；:：()（）\[\]【】|｜\-—–_·.。+]+|\d+")
CITY_NAMES = ("温州市",)


def _national(digits: str, run: str) -> tuple[str, bool]:
    """The digits without a country code (+86, 0086, 86 before a mobile), and whether it had
    one."""
    if run.lstrip("(").startswith("+") or digits.startswith("0086"):
        if digits.startswith("0086"):
            return digits[4:], True
        return (digits[2:] if digits.startswith("86") else digits), True
    if len(digits) == 13 and digits.startswith("861"):
        return digits[2:], True
    return digits, False


def _kind(digits: str, run: str, after: str) -> str | None:
    """mobile, area or local, when the digits of `run` are a telephone number; else None."""
    digits, international = _national(digits, run)
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return "mobile"
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        return "area"
    if 7 <= len(digits) <= 8 and not international and digits[0] != "0":
        bare = run.lstrip("(+").rstrip(")")
        if _QUANTITY_AFTER.match(after) or _DATE.match(bare) or _YEARS.match(bare):
            return None
        return "local"
    return None


def _phone_matches(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, digits) of every telephone number in `text`."""
    plain = str(text).translate(_PLAIN)  # same length: positions carry over to the original
    found = []
    for match in _RUN.finditer(plain):
        run = match.group(0)
        digits = "".join(c for c in run if c.isdigit())
        kind = _kind(digits, run, plain[match.end():match.end() + 3])
        if kind is not None:
            found.append((match.start(), match.end(), kind, _national(digits, run)[0]))
    return found


def phone_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every telephone number in `text`."""
    return [(start, end) for start, end, _, _ in _phone_matches(text or "")]


def _masked(kind: str, digits: str) -> str:
    if kind == "mobile":
        return f"{digits[:3]}****{digits[-4:]}"
    if kind == "area":
        area = 3 if digits[1] in "12" else 4  # 010, 020-029 have two digits after the 0
        return f"{digits[:area]}-****{digits[-4:]}"
    return f"****{digits[-4:]}"


def mask_phones(text: str) -> str:
    """`text` with every telephone number masked: mobiles as 138****5678, numbers with an area
    code as 0577-****3456, local numbers as ****9999."""
    if not text:
        return text
    out, last = [], 0
    for start, end, kind, digits in _phone_matches(text):
        out += [str(text)[last:start], _masked(kind, digits)]
        last = end
    out.append(str(text)[last:])
    return "".join(out)


def has_phone(text: str) -> bool:
    """Whether `text` holds a telephone number that mask_phones would mask."""
    return bool(_phone_matches(text or ""))


# A person named with a title in free text (欧阳铁柱局长, 王主任): the name is masked. Two to four
# characters before the title, unless they end as a unit does (民政局局长 is a post, not a name).
_TITLES = ("副局长", "局长", "副主任", "主任", "科长", "处长", "所长", "院长", "站长", "书记",
           "经理", "组长", "队长", "部长", "县长", "区长", "市长", "镇长", "乡长", "村长")
_TITLED_NAME = re.compile(r"([\u4e00-\u9fff]{2,4}?)(" + "|".join(_TITLES) + ")")
_UNIT_ENDINGS = ("局", "委", "办", "院", "所", "站", "部", "厅", "县", "区", "市", "镇", "乡", "村",
                 "社", "心", "会", "室", "府", "处", "科", "组", "队", "司")


def mask_titled_names(text: str) -> str:
    """`text` with the name of a person named by a title masked (欧阳铁柱局长 -> ××××局长)."""
    if not text:
        return text

    def masked(match: re.Match) -> str:
        name = match.group(1)
        if name.endswith(_UNIT_ENDINGS):
            return match.group(0)
        return "×" * len(name) + match.group(2)

    return _TITLED_NAME.sub(masked, str(text))


def mask_personal(text: str) -> str:
    """`text` with telephone numbers and persons named with a title masked: what free text
    (the ledger's 项目名称 and 存在的问题隐患, 序号) publishes."""
    return mask_titled_names(mask_phones(text))


def responsible_unit(text: object, place_names: Iterable[str] = ()) -> str:
    """The unit a 责任人 cell names ('鹿城区民政局 张三 13812345678' -> '鹿城区民政局'), or ''
    when it names none of the allowed form: a place of the catalogue, at most a township, and
    one of UNIT_FORMS (see the module doc). Never a person's name, a title or a number."""
    if text is None:
        return ""
    plain = str(text).translate(_PLAIN)
    places = sorted({p for p in (*place_names, *CITY_NAMES) if p}, key=len, reverse=True)
    for piece in _SEPARATORS.split(plain):
        starts = [(piece.find(p), p) for p in places if p in piece]
        if not starts:
            continue
        start, place = min(starts, key=lambda s: (s[0], -len(s[1])))
        rest = piece[start + len(place):]
        township = _TOWNSHIP.match(rest)
        for middle in ([""] + ([township.group(0)] if township else [])):
            form = _FORM.match(rest, len(middle))
            if form:
                return place + rest[:form.end()]
    return ""


__all__ = ["UNIT_FORMS", "has_phone", "mask_personal", "mask_phones", "mask_titled_names",
           "phone_spans", "responsible_unit"]
