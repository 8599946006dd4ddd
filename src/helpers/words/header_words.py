"""Where a table header may break across lines: between its words, never inside one (a printed
header reads 年度 / 目标, never 年度目 / 标). Chinese has no spaces, so the words are listed
here, the vocabulary of the report's headers; the page marks the breaks (<wbr>) and keeps the
rest together. English breaks at its spaces."""

from __future__ import annotations

import re

# Longest first wins; a run of characters no word covers stays whole.
HEADER_WORDS = (
    "县（市、区）", "逾期未完成", "严重滞后", "符合进度", "按期完成", "逾期完成", "民生实事",
    "第一季度", "前三季度", "问题隐患", "整改事项", "整改限期", "未达要求", "分解要求",
    "单项封顶", "截止日", "应完成数", "应完成", "已完成", "未完成", "未达标", "未到期",
    "未销号", "新发现", "已逾期", "完成率", "完成度", "地区数", "上半年", "百分点", "责任单位",
    "存在的", "逐月", "当月", "年度", "目标", "累计", "完成", "进度", "要求", "差额", "合计",
    "状态", "比例", "事项", "预计", "其中", "逾期", "销号", "变化", "平均", "各地", "指标",
    "单位", "排名", "督查组", "项目", "依据", "情况", "时限", "分子", "分母", "占比", "口径",
    "发现", "问题", "日期", "限期", "整改",
)
# a date, a figure with its unit or sign, a bracketed unit: one word each
_TOKEN = re.compile(r"\d+月\d+日|\d+(?:\.\d+)?%?|（个）|（人）|（张）|（[^（）]{1,6}）")


def header_words(text: str, lang: str = "zh") -> list[str]:
    """The header's words in order (joined, the header): breaks go between them only."""
    if lang != "zh":
        return [part for part in re.split(r"(?<= )", text) if part]
    words: list[str] = []
    position = 0
    run = ""  # characters no word covers, kept together
    while position < len(text):
        token = _TOKEN.match(text, position)
        word = token.group() if token else next(
            (w for w in sorted(HEADER_WORDS, key=len, reverse=True)
             if text.startswith(w, position)), None)
        if word is None:
            run += text[position]
            position += 1
            continue
        if run:
            words.append(run)
            run = ""
        words.append(word)
        position += len(word)
    if run:
        words.append(run)
    # an opening bracket stays with what follows it, a closing one with what precedes it
    joined: list[str] = []
    for word in words:
        if joined and (word[0] in "）)" or joined[-1][-1] in "（("):
            joined[-1] += word
        else:
            joined.append(word)
    return joined
