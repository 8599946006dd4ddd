"""Everything a reader sees goes through here: labels, status names, sentence templates, number
formats. A second language is another column of these tables, not a rewrite."""

from __future__ import annotations

import datetime as dt
import re

from helpers.core.rounding import fixed_text, percent_text
from helpers.core.values import is_missing
from helpers.words.label_table import LABELS
from helpers.words.sentence_table import SENTENCES


def label(key: str, lang: str = "zh") -> str:
    """The reader-facing text for `key` in `lang`; a missing key is a bug, so it raises."""
    try:
        entry = LABELS[key]
    except KeyError as exc:
        raise KeyError(f"no label {key!r}") from exc
    return entry[lang]


def period_label(key: str, lang: str, period: str) -> str:
    """`key`'s text for a report of `period`: its year-end wording (`<key>.fy`: 未完成事项 where
    the quarters say 滞后事项) in the year-end report, where it has one."""
    if period == "FY" and f"{key}.fy" in LABELS:
        return label(f"{key}.fy", lang)
    return label(key, lang)


def status_label(status: str, lang: str = "zh") -> str:
    """已完成 / 超额完成 / ... for a status code."""
    return label(f"status.{status}", lang)


def fmt_percent(fraction: float | None, lang: str = "zh", digits: int = 1) -> str:
    """0.636 -> '63.6%'; None or NaN -> '—' (no rate, e.g. a target of 0)."""
    if is_missing(fraction):
        return "—"
    return f"{percent_text(fraction, digits)}%"


def fmt_pp(points: float | None, lang: str = "zh", digits: int = 1) -> str:
    """Signed percentage points with one decimal (or `digits`): '-12.3'."""
    if is_missing(points):
        return "—"
    text = fixed_text(points, digits)
    return text if not float(text) or text.startswith("-") else f"+{text}"


def fmt_points(points: float | None, lang: str = "zh") -> str:
    """Unsigned percentage points with one decimal, for sentences ('低于…8.3个百分点')."""
    return "—" if is_missing(points) else fixed_text(abs(float(points)))


def fmt_share(fraction: float | None, lang: str = "zh") -> str:
    """A required share as a policy states it: 50%, 2.8%, 40% (no trailing .0)."""
    if is_missing(fraction):
        return "—"
    text = percent_text(fraction).rstrip("0").rstrip(".")
    return f"{text}%"


def fmt_count(value: float | int | None, lang: str = "zh") -> str:
    """A count as printed in the tables: 15000 (Chinese documents use no separators)."""
    if is_missing(value):
        return "—"
    return f"{int(value)}" if lang == "zh" else f"{int(value):,}"


def fmt_decimal(value: float | None, lang: str = "zh", digits: int = 1) -> str:
    """A rate with one decimal (a pace per month: 15.3), or `digits` (months: 5.95)."""
    return "—" if is_missing(value) else fixed_text(value, digits)


def fmt_date(date: dt.date | None, lang: str = "zh") -> str:
    """2018年6月30日 / 30 June 2018."""
    if is_missing(date):
        return "—"
    if lang == "zh":
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {_MONTHS_EN[date.month - 1]} {date.year}"


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


_UNITS_EN = {"个": "", "张": "beds", "人": "people", "家": "", "套": "sets", "项": "",
             "期": "classes"}


def unit_label(unit: str, lang: str = "zh") -> str:
    """A unit as shown: 张 in Chinese, 'beds' in English (plain counts have no English unit)."""
    return unit if lang == "zh" else _UNITS_EN.get(unit, unit)


def fmt_month_day(date: dt.date, lang: str = "zh") -> str:
    """6月30日 / 30 Jun: a date within the report's year."""
    return label("chart.date_md", lang).format(month=label(f"month.{date.month}", lang),
                                               day=date.day)


def district_label(name: str, lang: str, catalog) -> str:
    """A district as shown to the reader."""
    if lang == "zh":
        return name
    district = catalog.district_by_name.get(name)
    return district.name_en if district else name


_GROUP_NUMERALS = "一二三四五六七八九十"


def group_label(name: str, lang: str) -> str:
    """A supervision group as shown: 第一组 / Group 1."""
    if lang == "zh":
        return name
    for number, numeral in enumerate(_GROUP_NUMERALS, start=1):
        if name == f"第{numeral}组":
            return f"Group {number}"
    return name


def chinese_numeral(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 23 -> 二十三 (1..99)."""
    digits = "零一二三四五六七八九"
    if not 1 <= number <= 99:
        raise ValueError(f"{number} is outside 1..99")
    tens, ones = divmod(number, 10)
    if tens == 0:
        return digits[ones]
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def numbered(number: int, text: str, lang: str) -> str:
    """一、指标完成情况汇总 / 1. Indicator summary."""
    return label("section_number", lang).format(numeral=chinese_numeral(number), number=number,
                                                text=text)


def indicator_label(code: str, lang: str, catalog, short: bool = False) -> str:
    """An indicator as shown to the reader (short form for charts and lists)."""
    ind = catalog.indicator(code)
    if lang == "zh":
        return ind.short_zh if short else ind.name_zh
    return (ind.short_en or ind.name_en) if short else ind.name_en


def stage_label(indicator: str, stage: str, lang: str, catalog) -> str:
    """A stage as shown: 选址 / site chosen."""
    found = catalog.stage(indicator, stage)
    return found.name_zh if lang == "zh" else found.name_en


def requirement_text(row, lang: str, catalog) -> str:
    """The 进度要求 of a row as printed: 49.6%, 6月30日前选址, 11月30日前完成, 不低于50.0%."""
    basis = row.basis
    if basis in ("time", "schedule"):
        return fmt_percent(row.milestone, lang)
    if basis == "stage" and row.stage:
        return label("req.stage", lang).format(
            date=fmt_month_day(row.due_date, lang),
            stage=stage_label(row.indicator, row.stage, lang, catalog))
    if basis == "stage":
        return "—"  # nothing is due yet
    if basis in ("small", "deadline"):
        return label("req.deadline", lang).format(date=fmt_month_day(row.due_date, lang))
    if basis == "level":
        return label("req.level", lang)
    if basis == "threshold":
        return label("req.threshold", lang).format(share=fmt_share(row.milestone, lang))
    return "—"


def location_text(location: str, lang: str = "zh") -> str:
    """A problem's place in the reader's language (helpers.core.problems.Location's fields):
    工作表进度第Q6单元格, 第17行."""
    if lang != "zh":
        return location
    if getattr(location, "cell", ""):
        return label("location.cell", lang).format(sheet=location.sheet, cell=location.cell)
    if getattr(location, "row", None) is not None:
        return label("location.row", lang).format(sheet=location.sheet, row=location.row)
    if getattr(location, "line", None) is not None:
        return label("location.line", lang).format(line=location.line)
    if getattr(location, "date", ""):
        return label("location.date", lang).format(date=location.date)
    return location


def total_label(params) -> str:
    """A table's total row: 全市 for the whole city, 合计 for a report on some districts."""
    return label("misc.city" if params.districts is None else "brief.total_row", params.lang)


def document_title(data) -> str:
    """The title a report's outputs carry: its own (a brief's) or the parameters'."""
    return data.title or report_title(data.params)


def title_parts(params) -> list[str]:
    """The generated title in the pieces it may break between on a line: 2018年 /
    社会养老服务体系建设重点任务 / 上半年进展情况通报 (joined: report_title)."""
    marker = "\0"
    parts = label("report.title", params.lang).format(
        year=params.year, subject=f"{marker}{label('report.subject', params.lang)}",
        kind=f"{marker}{label(f'report.{params.period}', params.lang)}")
    return [part for part in parts.split(marker) if part]


def signing_date(params) -> str:
    """成文日期 as the document prints it: the drafting_date given, or, in a draft, a blank the
    office fills in when it signs (never the data's date, which no signed document carries)."""
    if params.drafting_date is None:
        return label("form.date_to_fill", params.lang)
    return fmt_date(params.drafted_on, params.lang)


def report_title(params) -> str:
    """The report's title, also the HTML <title> and the Excel title: the `title` parameter when
    given, else generated (2018年社会养老服务体系建设重点任务上半年进展情况通报)."""
    if getattr(params, "title", None):
        return params.title
    return label("report.title", params.lang).format(
        year=params.year, subject=label("report.subject", params.lang),
        kind=label(f"report.{params.period}", params.lang))


# English has no unit for a plain count (个): "451 {unit}, 49.6%" must not print "451 , 49.6%"
_SPACE_BEFORE_STOP = re.compile(r" +(?=[,;:.)])")
_SPACE_AFTER_BRACKET = re.compile(r"(?<=\() +")
_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}")


def sentence(key: str, lang: str = "zh", **values) -> str:
    """A commentary sentence: the template for `key` in `lang` filled with `values` (in
    English, with the space an empty unit leaves dropped)."""
    try:
        template = SENTENCES[key][lang]
    except KeyError as exc:
        raise KeyError(f"no sentence template {key!r} in {lang!r}") from exc
    text = template.format(**values)
    if lang == "zh":
        return text
    text = _SPACE_BEFORE_STOP.sub("", _SPACE_AFTER_BRACKET.sub("", text))
    return _DOUBLE_SPACE.sub(" ", text)


def period_sentence(key: str, lang: str, period: str, **values) -> str:
    """`key`'s sentence for a report of `period`: its year-end wording (`<key>.fy`) in the
    year-end report, where it has one (as period_label for labels)."""
    if period == "FY" and f"{key}.fy" in SENTENCES:
        key = f"{key}.fy"
    return sentence(key, lang, **values)


def name_list(names: list[str], lang: str, unit_key: str = "unit.item", most: int = 3,
              count: bool = True) -> str:
    """Names joined with 、; more than `most`: the first `most` and how many in all
    (泰顺县、文成县、永嘉县等7个县（市、区）), or only 等 when the count is said already."""
    separator = sentence("name_sep", lang)
    if len(names) <= most:
        return separator.join(names)
    if not count:
        return sentence("and_others", lang, names=separator.join(names[:most]))
    return sentence("and_more", lang, names=separator.join(names[:most]), n=len(names),
                    unit=sentence(unit_key, lang))


_ZH_DIGITS = "零一二三四五六七八九"


def zh_numeral(n: int) -> str:
    """1..99 in Chinese numerals as used in headings: 一, 十, 十一, 二十三."""
    if not 1 <= n <= 99:
        raise ValueError(f"no Chinese heading numeral for {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _ZH_DIGITS[tens] + "十")
    return head + (_ZH_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int, lang: str = "zh") -> str:
    """The number a document heading starts with: 一、 （一） 1. in Chinese official style
    (GB/T 9704), 1. (1) (a) in English."""
    if lang == "zh":
        return {1: f"{zh_numeral(n)}、", 2: f"（{zh_numeral(n)}）", 3: f"{n}．"}[level]
    return {1: f"{n}. ", 2: f"({n}) ", 3: f"({chr(ord('a') + n - 1)}) "}[level]


def unnumbered(heading: str) -> str:
    """A heading without the number written into it ('一、主要做法' -> '主要做法', '（二）工作亮点',
    '1. Indicator summary', '(3) ...'): documents number their own headings."""
    import re

    return re.sub(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]\s*"
                  r"|[（(]\d+[）)]\s*)", "", heading)


def document_recipients(params) -> str:
    """主送机关: the recipients parameter, or the bundled notice's in the report's language."""
    return getattr(params, "recipients", None) or label("form.recipients_default", params.lang)


def document_issuer(params) -> str:
    """落款: the issuer parameter, or the bundled data's bureau in the report's language."""
    return getattr(params, "issuer", None) or label("form.issuer_default", params.lang)
