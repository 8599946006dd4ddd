"""What a sentence of a written section claims, checked against the facts it names: the
false sentences a reviewer found in the bundled 2018 texts, each rejected with the line, the
word or number and the fact it contradicts."""

from __future__ import annotations

import pytest

from helpers.core.errors import InputRejected
from helpers.core.parameters import ReportParameters
from helpers.metrics.report_data import build_report_data
from helpers.words.figure_registry import figure_registry
from helpers.words.written_sections import render_narrative

FILE = "2018/narrative/H1.md"


@pytest.fixture(scope="module")
def registries():
    return {period: figure_registry(build_report_data(ReportParameters(period=period)))
            for period in ("H1", "FY")}


def problems(text: str, registry) -> list[tuple[str, str]]:
    with pytest.raises(InputRejected) as caught:
        render_narrative(text, FILE, "H1", registry)
    return [(p.location, p.message) for p in caught.value.problems]


def passes(text: str, registry) -> None:
    render_narrative(text, FILE, "H1", registry)


def test_a_status_word_must_be_the_status_of_its_indicator(registries):
    h1 = registries["H1"]
    # H1 meals: 910 of 2300, 920 due at the 30 June node, 76 short: 逾期未完成 in every table
    found = problems("具备助餐、配送餐服务的照料中心{{ meals.actual }}个，基本符合进度要求。", h1)
    assert len(found) == 1
    location, message = found[0]
    assert location == "line 1"
    assert "'基本符合'" in message and "助餐配送餐照料中心" in message and "逾期未完成" in message
    passes("具备助餐、配送餐服务的照料中心{{ meals.actual }}个，逾期未完成。", h1)
    assert problems("具备助餐、配送餐服务的照料中心{{ meals.actual }}个，进度滞后。", h1)
    # named by its name alone, no reference: the same fact
    assert problems("助餐配送餐照料中心基本符合进度要求。", h1)
    # a district's word is read against the district's row: 泰顺县 beds 24.5%, 严重滞后
    assert problems("泰顺县新增机构床位符合进度。", h1)
    passes("泰顺县新增机构床位严重滞后。", h1)


def test_the_year_end_word_for_a_missed_deadline(registries):
    # FY meals: 6 districts short at 30 November and at the year end: 未完成, not 逾期完成
    fy = registries["FY"]
    found = problems("助餐服务照料中心达到{{ meals.actual }}个，但11月30日前只完成"
                     "{{ meals.deadline.done_by_due }}个，属逾期完成。", fy)
    assert len(found) == 1 and "'逾期完成'" in found[0][1] and "未完成" in found[0][1]


def test_a_count_of_items_must_be_that_count(registries):
    h1 = registries["H1"]
    # 0 city indicators are 严重滞后, but 13 district items are (文成县 6, 泰顺县 5, ...)
    found = problems("全市有{{ headline.严重滞后 }}项任务严重滞后。", h1)
    assert len(found) == 1
    assert "13 district item(s)" in found[0][1] and "泰顺县 5" in found[0][1]
    passes("共有{{ 事项.严重滞后 }}项任务严重滞后。", h1)
    passes("全市有13项任务严重滞后。", h1)  # typed, and true
    assert problems("全市有14项任务严重滞后。", h1)
    passes("{{ headline.严重滞后 }}项指标严重滞后。", h1)  # of city indicators: 0
    # districts with an item of a status, of the indicator named: 4 overdue on 选址
    passes("镇（街）养老服务中心选址有4个县（市、区）逾期未完成。", h1)
    assert problems("镇（街）养老服务中心选址有3个县（市、区）逾期未完成。", h1)


def test_a_typed_number_belongs_to_the_indicator_of_its_sentence(registries):
    fy = registries["FY"]
    # 910 is the meals' figure at 30 June; the sentence speaks of beds
    found = problems("全年新增养老机构床位910张。", fy)
    assert any("number 910" in m and "新增机构床位" in m for _, m in found)
    passes("全年新增养老机构床位{{ beds.actual }}张。", fy)


def test_words_that_are_not_claims(registries):
    h1 = registries["H1"]
    # a negation, a figure's name, a sentence naming no indicator
    passes("各县（市、区）均无严重滞后的助餐配送餐照料中心。", h1)
    passes("鹿城区到期事项符合进度比例{{ 鹿城区.overall.on_track_share }}。", h1)
    passes("对滞后指标开展专项督导。", h1)


def test_the_bundled_written_sections_pass(registries):
    from helpers.core.paths import RAW_DIR

    for period, registry in registries.items():
        text = (RAW_DIR / "2018" / "narrative" / f"{period}.md").read_text(encoding="utf-8")
        render_narrative(text, f"2018/narrative/{period}.md", period, registry)
