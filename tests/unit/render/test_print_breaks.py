"""Print: a table header breaks between its words only (年度 / 目标, never 年度目 / 标), and a
brief's title never wraps inside the unit it names."""

from __future__ import annotations

import pytest

from helpers.render.brief_page import title_html
from helpers.render.html_table import header_html
from helpers.render.page_templates import style_sheet
from helpers.words.header_words import header_words


@pytest.mark.parametrize(("header", "words"), [
    ("年度目标", ["年度", "目标"]),
    ("累计完成", ["累计", "完成"]),
    ("未达要求地区数", ["未达要求", "地区数"]),
    ("各地差额合计", ["各地", "差额", "合计"]),
    ("逾期未完成事项", ["逾期未完成", "事项"]),
    ("12月31日", ["12月31日"]),
    ("未完成（个）", ["未完成", "（个）"]),  # a bracketed unit may start a line
    ("应完成数平均完成度（单项封顶100%）", ["应完成数", "平均", "完成度", "（单项封顶", "100%）"]),
    ("县（市、区）", ["县（市、区）"]),
    ("指标", ["指标"]),
    ("Annual target", ["Annual ", "target"]),
])
def test_header_words(header, words):
    assert header_words(header, "en" if header.isascii() else "zh") == words
    assert "".join(words) == header


def test_the_page_breaks_headers_between_words_only():
    assert header_html("未达要求地区数") == "未达要求<wbr>地区数"
    assert header_html("A<b>") == "A&lt;b&gt;"
    assert ".report-table th{word-break:keep-all}" in style_sheet("report.css")


def test_a_brief_title_keeps_its_unit_on_one_line():
    assert title_html("2018年社会养老服务体系建设重点任务上半年进展简报（泰顺县）") == (
        '2018年社会养老服务体系建设重点任务上半年进展简报<span class="nobreak">（泰顺县）</span>')
    assert title_html("Mid-year brief 2018 (Taishun)") == (
        'Mid-year brief 2018<span class="nobreak"> (Taishun)</span>')
    assert title_html("无单位") == "无单位"
    assert ".nobreak{white-space:nowrap}" in style_sheet("report.css")
