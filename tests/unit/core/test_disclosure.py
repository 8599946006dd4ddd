"""Disclosure control, deny by default: the unit kept from a 责任人 cell and the masking of
telephone numbers, each expectation written out by hand."""

from __future__ import annotations

import pytest

from helpers.core.disclosure import has_phone, mask_phones, phone_spans, responsible_unit

PLACES = ["鹿城区", "龙湾区", "瓯海区", "泰顺县", "文成县", "经开区", "浙南产业集聚区"]


@pytest.mark.parametrize(("text", "unit"), [
    # the seed's order: unit, name, number
    ("鹿城区民政局 张三 13812345678", "鹿城区民政局"),
    # no separators: cut after the unit's form
    ("鹿城区民政局张三13812345678", "鹿城区民政局"),
    # a section and a name after the unit are cut off
    ("鹿城区民政局养老服务科李科 13812345678", "鹿城区民政局"),
    # name first: the piece before the unit is dropped
    ("张三（瓯海区民政局）13912345678", "瓯海区民政局"),
    # a name glued before a place name
    ("张三瓯海区民政局", "瓯海区民政局"),
    ("龙湾区民政局/李四/139-1234-5678", "龙湾区民政局"),
    # a township between the place and the form
    ("泰顺县罗阳镇人民政府王五13712345678", "泰顺县罗阳镇人民政府"),
    ("浙南产业集聚区管委会社会事业局 赵六", "浙南产业集聚区管委会"),
    ("文成县社会福利中心主任钱七 0577-67891234", "文成县社会福利中心"),
    ("王局 鹿城区民政局", "鹿城区民政局"),
    ("温州市民政局 孙八", "温州市民政局"),
    # deny by default: a person with a title, no place of the catalogue, no known form
    ("诸葛孔明局长 13900001111", ""),
    ("鹿城区王局长", ""),
    ("鹿城区张三民政局", ""),
    ("杭州市民政局 周九", ""),             # not a place of this catalogue
    ("鹿城区某某协会", ""),                # no known unit form
    ("张三 13812345678", ""),
    ("", ""),
    (None, ""),
])
def test_responsible_unit(text, unit):
    assert responsible_unit(text, PLACES) == unit


def test_the_unit_never_holds_a_digit_or_the_name():
    for text in ("鹿城区民政局张三13812345678", "张三（鹿城区民政局）",
                 "李四 鹿城区民政局 138 1234 5678"):
        unit = responsible_unit(text, PLACES)
        assert unit == "鹿城区民政局"
        assert not any(ch.isdigit() for ch in unit)


@pytest.mark.parametrize(("text", "masked"), [
    ("联系电话13812345678。", "联系电话138****5678。"),
    ("138-1234-5678 或 138 1234 5679", "138****5678 或 138****5679"),
    ("全角１３８１２３４５６７８", "全角138****5678"),
    ("座机0577-88123456", "座机0577-****3456"),
    ("座机(0577)88123456", "座机0577-****3456"),
    # every spelling of a telephone number (issue 21)
    ("+8613900004444", "139****4444"),
    ("0086 139 0000 4444", "139****4444"),
    ("(+86)139-0000-4444", "139****4444"),
    ("139.0000.5555", "139****5555"),
    ("139—0000—6666", "139****6666"),
    ("139·0000·7777", "139****7777"),
    ("本地电话88129999", "本地电话****9999"),
    ("８８１２９９９９转", "****9999转"),
    ("序号13900001111", "序号139****1111"),
    # not telephone numbers: too long, too short, a year, dates, counts, a quantity
    ("编号2018123456789", "编号2018123456789"),
    ("床位15000张，2018年", "床位15000张，2018年"),
    ("12345678901", "12345678901"),  # 11 digits, but 12 is no mobile prefix
    ("日期2018-06-30、2018.6.30", "日期2018-06-30、2018.6.30"),
    # a date mistyped is still a date's shape, and its file says it is no date (a plan's due
    # 2018-13-30 was refused as "holds a telephone number")
    ("2018-13-30", "2018-13-30"),
    ("2018-02-30", "2018-02-30"),
    ("电话2018-1234", "电话****1234"),  # a local number that starts as a year does
    ("2018—2020年", "2018—2020年"),
    ("老年人口1234567人", "老年人口1234567人"),
    ("完成63.6%", "完成63.6%"),
])
def test_mask_phones(text, masked):
    assert mask_phones(text) == masked
    assert has_phone(text) == (masked != text)


def test_phone_spans_are_positions_in_the_original_text():
    text = "电话１３８１２３４５６７８"
    (start, end), = phone_spans(text)
    assert text[start:end] == "１３８１２３４５６７８"
