"""The document as the bureau sends it (seeds 002-004): the main text in the parts of a 通报
(H1) or a 总结 (FY), 附件说明 and 落款, then the numbered 附件, in the same order in report.docx
and report.html (whose print is report.pdf); the items behind listed once, in their 附件."""

from __future__ import annotations

import re
from io import BytesIO

import docx
import pytest

from helpers.core.parameters import ReportParameters
from helpers.notebook.sections import render_sections
from helpers.render.word import docx_bytes
from helpers.words.labels import district_label, indicator_label
from helpers.words.report_text import build_report

# written out, not read from the plan: the structure the office expects (seed 003 for the
# 通报's voice, seed 004 for the 总结's order)
PARTS = {"H1": ["一、总体进展", "二、各地进展与排名", "三、存在问题", "四、下步工作要求"],
         "FY": ["一、目标任务完成情况", "二、各地完成情况", "三、与年中、上年相比",
                "四、存在的问题及原因", "五、2019年工作重点"]}
ANNEXES = {"H1": ["指标完成情况汇总表", "各县（市、区）通报排名", "节点任务完成情况",
                  "滞后事项清单（按督查组）", "累计进度走势与预判", "与第一季度相比的变化",
                  "“回头看”问题整改台账"],
           "FY": ["指标完成情况汇总表", "各县（市、区）完成情况排名", "节点任务完成情况",
                  "未完成事项清单（按督查组）", "累计进度走势", "与上半年、上年相比的变化",
                  "“回头看”问题整改台账"]}


@pytest.fixture(scope="module", params=["H1", "FY"])
def built(request):
    data = build_report(ReportParameters(period=request.param))
    document = docx.Document(BytesIO(docx_bytes(data)))
    page = "".join(render_sections(data).values())
    return request.param, data, document, page


def _styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_the_parts_and_the_annexes_in_the_same_order_in_word_and_on_the_page(built):
    period, _, document, page = built
    assert _styled(document, "Heading 1") == PARTS[period]
    parts_on_page = re.findall(r'<h2 id="sec-\w+">([一二三四五六七八九十]+、[^<]*)</h2>', page)
    assert parts_on_page == PARTS[period]
    # each 附件 under its number: the title page's title, then one per 附件
    assert _styled(document, "Title")[1:] == ANNEXES[period]
    numbers = [f"附件{n}" for n in range(1, len(ANNEXES[period]) + 1)]
    assert _styled(document, "Annex Number") == numbers
    on_page = re.findall(r'<p class="annex-number" id="annex-\d+">(附件\d+)</p>'
                         r'<h2 class="annex-title" id="sec-\w+">([^<]*)</h2>', page)
    assert on_page == list(zip(numbers, ANNEXES[period], strict=True))
    # 附件说明 lists them in that order, before the 落款, which comes before 附件1
    listed = _styled(document, "Annex List")
    assert [re.sub(r"^(附件：)?\d+．", "", item) for item in listed] == ANNEXES[period]
    texts = [p.text for p in document.paragraphs]
    signature = texts.index(_styled(document, "Signature")[0])
    assert texts.index(listed[-1]) < signature < texts.index("附件1")
    assert page.index('id="sign-off"') < page.index('id="annex-1"')
    assert re.findall(r"<li>(\d+)．", page.split('id="sign-off"')[1].split("</ol>")[0]) == [
        str(n) for n in range(1, len(numbers) + 1)]


def test_every_annex_starts_a_printed_page(built):
    _, _, document, page = built
    assert document.styles["Annex Number"].paragraph_format.page_break_before is True
    assert page.count('class="annex-number"') == len(_styled(document, "Annex Number"))
    assert "@media print{.annex-number{break-before:page" in page


def test_the_items_behind_are_listed_once(built):
    """One table lists the items behind (year end: missed), a row each; no other table pairs
    one of them with its district, and the main text counts them without a tag per item."""
    period, data, document, page = built
    tables = [[[c.text for c in row.cells] for row in grid.rows] for grid in document.tables]
    pairs = {(district_label(r.district, "zh", data.catalog),
              indicator_label(r.indicator, "zh", data.catalog)) for r in data.lagging.itertuples()}

    def listing(rows: list[list[str]]) -> int:
        return sum(1 for row in rows[1:] for d, i in pairs if d in row and i in row)

    listed = [n for n, rows in enumerate(tables) if listing(rows)]
    assert len(listed) == 1
    rows = tables[listed[0]]
    assert rows[0][:3] == ["督查组", "县（市、区）", "指标"] and len(rows) - 1 == len(data.lagging)
    # it is the 附件 of items behind
    annex = ANNEXES[period].index("滞后事项清单（按督查组）" if period == "H1"
                                  else "未完成事项清单（按督查组）") + 1
    texts = [p.text for p in document.paragraphs]
    body = document.element.body
    table_at = list(body).index(document.tables[listed[0]]._tbl)
    annex_at = list(body).index(document.paragraphs[texts.index(f"附件{annex}")]._p)
    assert annex_at < table_at
    # the page lists them once too: one table per supervision group, in that 附件 only
    assert page.count('id="lagging-group-') == len(set(data.lagging["supervision_group"]))
    main = "".join(data.main_text.sentences())
    assert "（差" not in main and main.count("滞后") <= 8


def test_the_main_text_is_a_few_pages(built):
    """Lines of 28 characters, 22 to a page (GB/T 9704): the generated sentences take at most
    three pages, and with the bundled written sections the document from its title to the end
    of its last part takes at most four (the issue asks two to four); the 附件说明 and the
    落款 follow. Each indicator behind is one short item in the main text, its full sentence
    reads with 附件1."""
    _, data, document, _ = built

    def lines(texts) -> int:
        return sum(-(-len(text) // 28) for text in texts if text)

    assert lines(data.main_text.sentences()) <= 3 * 22
    texts = [p.text for p in document.paragraphs]
    end = texts.index(_styled(document, "Annex List")[0])
    assert 2 * 22 <= lines(texts[:end]) <= 4 * 22
    summary = data.main_text.annex_text["summary"]
    behind = data.summary[data.summary["status"].isin(("overdue", "unmet"))]
    assert len(behind)
    for code in behind["indicator"]:  # named in brief, and in full with 附件1
        assert indicator_label(code, "zh", data.catalog, short=True) in "".join(
            data.main_text.sentences())
        assert any(text.startswith(indicator_label(code, "zh", data.catalog))
                   for text in summary)
