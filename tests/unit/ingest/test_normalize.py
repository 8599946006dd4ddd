"""Every normalisation applied to headers, district names and numbers in district returns."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from helpers.ingest.normalize import (
    NotANumber,
    as_count,
    district_key,
    format_decimal,
    header_key,
    is_footnote,
    is_total_label,
    normalize_text,
    parse_number,
)

# --- normalize_text ---------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    (None, ""),
    ("", ""),
    ("  鹿城区  ", "鹿城区"),
    ("鹿\n城\t区", "鹿城区"),
    ("\u3000鹿城区\u3000", "鹿城区"),   # ideographic space
    ("\xa0鹿城区", "鹿城区"),            # no-break space
    ("（张）", "(张)"),                  # full-width brackets -> ASCII
    ("１２３", "123"),
    ("ＡＢＣ", "ABC"),
    (1750, "1750"),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


# --- header_key -------------------------------------------------------------------------------

BEDS = "新增机构床位"


@pytest.mark.parametrize("header", [
    "新增机构床位",
    "新增机构床位（张）",        # full-width unit suffix
    "新增机构床位(张)",          # half-width
    "新增机构床位 ( 张 )",       # spaces inside the brackets
    "新增机构床位［张］",        # full-width square brackets
    "新增机构床位[张]",
    "新增机构\n床位（张）",      # line break from a wrapped cell
    " 新增 机构 床位 （张） ",   # stray spaces
    "新增机构床位\u3000（张）",  # ideographic space
    "2018年新增机构床位（张）",  # year prefix
    "2018年度新增机构床位",
])
def test_header_key_ignores_spacing_width_units_and_year(header):
    assert header_key(header) == header_key(BEDS) == "新增机构床位"


@pytest.mark.parametrize("header", ["“智慧用电”安装数（个）", '"智慧用电"安装数(个)',
                                    "「智慧用电」安装数", "'智慧用电'安装数", "智慧用电安装数"])
def test_header_key_ignores_quote_marks(header):
    assert header_key(header) == "智慧用电安装数"


@pytest.mark.parametrize("header", ["具备助餐、配送餐服务的照料中心数（个）",
                                    "具备助餐，配送餐服务的照料中心数（个）",
                                    "具备助餐,配送餐服务的照料中心数(个)",
                                    "具备助餐､配送餐服务的照料中心数"])   # half-width 、 (U+FF64)
def test_header_key_enumeration_comma_equals_comma(header):
    assert header_key(header) == header_key("具备助餐、配送餐服务的照料中心数")


def test_header_key_keeps_brackets_that_are_not_a_unit():
    # （街） and （示范型...） are part of the name; only the trailing unit goes.
    assert (header_key("新增镇（街）养老服务中心（示范型居家养老服务中心）（个）")
            == "新增镇(街)养老服务中心(示范型居家养老服务中心)")


def test_header_key_removes_only_a_trailing_unit():
    assert header_key("（张）新增机构床位") == "(张)新增机构床位"


def test_header_key_is_case_insensitive():
    assert header_key("New_Institution_Beds") == "new_institution_beds"
    assert header_key("ＮＥＷ") == "new"


def test_header_key_distinguishes_different_headers():
    assert header_key("新增机构床位") != header_key("新增照料中心医养合作数")
    assert header_key("2018") == "2018"  # a bare year is not a year prefix of something


# --- district_key -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["瓯海区", " 瓯海区 ", "瓯 海 区", "瓯海区\n", "\u3000瓯海区",
                                  "\t瓯海区\xa0"])
def test_district_key_ignores_whitespace(name):
    assert district_key(name) == "瓯海区"


def test_district_key_keeps_different_names_apart():
    assert district_key("鹿城区") != district_key("龙湾区")
    assert district_key(None) == ""


# --- parse_number -----------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    (1750, Decimal(1750)),
    (0, Decimal(0)),
    (2450.0, Decimal(2450)),
    (12.5, Decimal("12.5")),
    ("1750", Decimal(1750)),
    (" 1750 ", Decimal(1750)),
    ("2450.0", Decimal(2450)),
    ("1,750", Decimal(1750)),
    ("15,000", Decimal(15000)),
    ("1,234,567", Decimal(1234567)),
    ("1，750", Decimal(1750)),           # full-width comma
    ("１２３", Decimal(123)),            # full-width digits
    ("１，７５０", Decimal(1750)),
    ("２４５０．０", Decimal(2450)),     # full-width full stop
    ("1 750", Decimal(1750)),            # space as thousands separator
    ("1750张", Decimal(1750)),           # unit typed after the number
    ("45个", Decimal(45)),
    ("4540人", Decimal(4540)),
    ("+5", Decimal(5)),
    ("-5", Decimal(-5)),
    ("－５", Decimal(-5)),               # full-width minus
    (".5", Decimal("0.5")),
    (-3, Decimal(-3)),
])
def test_parse_number_reads(raw, expected):
    result = parse_number(raw)
    assert isinstance(result, Decimal)
    assert result == expected


def test_parse_number_float_is_exact_decimal_of_its_repr():
    assert parse_number(0.1) == Decimal("0.1")
    assert parse_number(2450.0) == Decimal("2450.0")


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\n"])
def test_parse_number_empty_is_none(raw):
    assert parse_number(raw) is None


@pytest.mark.parametrize(("raw", "words"), [
    (True, "true/false"),
    (False, "true/false"),
    (math.nan, "finite"),
    (float("inf"), "finite"),
    (float("-inf"), "finite"),
    ("abc", "not a number"),
    ("一千", "not a number"),
    ("—", "not a number"),
    ("-", "not a number"),
    ("1.2.3", "not a number"),
    ("12a", "not a number"),
    ("1e3", "not a number"),
    ("50%", "not a number"),
    (dt.date(2018, 6, 30), "not a number"),
    ([1], "not a number"),
])
def test_parse_number_rejects(raw, words):
    with pytest.raises(NotANumber) as info:
        parse_number(raw)
    assert words in str(info.value)


def test_parse_number_rejection_quotes_the_value():
    with pytest.raises(NotANumber, match="'abc'"):
        parse_number("abc")


def test_not_a_number_is_a_value_error():
    assert issubclass(NotANumber, ValueError)


# --- as_count ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "expected"), [
    (Decimal(0), 0),
    (Decimal(1750), 1750),
    (Decimal("2450.0"), 2450),
    (Decimal("2450.000"), 2450),
])
def test_as_count_whole_non_negative(number, expected):
    result = as_count(number)
    assert result == expected
    assert type(result) is int


def test_as_count_rejects_negative():
    with pytest.raises(NotANumber, match=r"^-5 is negative$"):
        as_count(Decimal(-5))


def test_as_count_rejects_negative_text_through_parse():
    with pytest.raises(NotANumber, match="negative"):
        as_count(parse_number("－１２"))


@pytest.mark.parametrize("number", [Decimal("12.5"), Decimal("0.1"), Decimal("2450.01")])
def test_as_count_rejects_non_integer(number):
    with pytest.raises(NotANumber, match="not a whole number"):
        as_count(number)


def test_as_count_message_shows_the_number_plainly():
    with pytest.raises(NotANumber, match=r"^12\.5 is not a whole number$"):
        as_count(Decimal("12.50"))


# --- format_decimal ---------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "text"), [
    (Decimal("2450.0"), "2450"),
    (Decimal("15000"), "15000"),
    (Decimal("1E+3"), "1000"),
    (Decimal("12.50"), "12.5"),
    (Decimal("-7"), "-7"),
    (Decimal("0.000"), "0"),
])
def test_format_decimal(number, text):
    assert format_decimal(number) == text


# --- total and footnote labels ----------------------------------------------------------------


@pytest.mark.parametrize("label", ["合计", "合 计", " 合　计 ", "合\n计", "总计", "全市",
                                   "全市合计", "小计", "Total", "TOTAL"])
def test_is_total_label(label):
    assert is_total_label(label)


@pytest.mark.parametrize("label", [None, "", "鹿城区", "合计数", "1", 45])
def test_is_not_total_label(label):
    assert not is_total_label(label)


@pytest.mark.parametrize("text", ["注：本表为演示数据", "注:数据截至6月底", " 注 ：x", "备注：无",
                                  "说明：略", "数据来源：各区", "填报人：张三", "制表：李四",
                                  "审核：王五", "联系电话：0577"])
def test_is_footnote(text):
    assert is_footnote(text)


@pytest.mark.parametrize("text", [None, "", "鹿城区", "合计", "新增机构床位", 5])
def test_is_not_footnote(text):
    assert not is_footnote(text)
