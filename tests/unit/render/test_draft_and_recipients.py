"""The document as sent (issue 18): the 主送机关 line under the title, and a draft that lacks its
文号 or 成文日期 says so on its first page, in Word, on the page and so in the PDF."""

from __future__ import annotations

import io

import docx
import pytest

from helpers.core.errors import ParameterError
from helpers.core.parameters import ReportParameters
from helpers.render.html_page import document_form
from helpers.render.word import docx_bytes
from helpers.words.report_text import build_report

DEFAULT_RECIPIENTS = "各县（市、区）民政局、浙南产业集聚区民政部门"  # seed 000's 主送机关
DRAFT = "征求意见稿：未填写文号或成文日期，不作正式发文。"


def _paragraphs(data) -> list[str]:
    document = docx.Document(io.BytesIO(docx_bytes(data)))
    return [p.text for p in document.paragraphs if p.text.strip()]


@pytest.fixture(scope="module")
def draft():
    return build_report(ReportParameters(period="H1"))


@pytest.fixture(scope="module")
def issued():
    return build_report(ReportParameters(period="H1", doc_number="温民〔2018〕35号",
                                         drafting_date="2018-07-10",
                                         recipients="各县（市、区）民政局"))


def test_a_draft_says_so_first_and_is_addressed_to_the_notice_recipients(draft):
    paragraphs = _paragraphs(draft)
    # title, then the draft notice, then 主送机关 (flush left, with its colon), then the facts
    assert paragraphs[1] == DRAFT
    assert paragraphs[2] == DEFAULT_RECIPIENTS + "："
    document = docx.Document(io.BytesIO(docx_bytes(draft)))
    recipients = next(p for p in document.paragraphs if p.text == DEFAULT_RECIPIENTS + "：")
    assert recipients.style.name == "Recipients"
    assert recipients.style.paragraph_format.first_line_indent in (None, 0)
    html = document_form(draft)
    assert 'id="draft-notice"' in html and DRAFT in html
    assert f"主送机关：{DEFAULT_RECIPIENTS}" in html


def test_a_document_with_its_number_and_date_is_no_draft(issued):
    paragraphs = _paragraphs(issued)
    assert DRAFT not in paragraphs
    assert "温民〔2018〕35号" in paragraphs and "各县（市、区）民政局：" in paragraphs
    html = document_form(issued)
    assert "draft-notice" not in html and "主送机关：各县（市、区）民政局" in html


@pytest.mark.parametrize("changes", [{"doc_number": "温民〔2018〕35号"},
                                     {"drafting_date": "2018-07-10"}])
def test_either_missing_makes_a_draft(changes):
    assert ReportParameters(period="H1", **changes).is_draft


@pytest.mark.parametrize(("value", "problem"), [
    ("  ", "must not be blank"), ("各地\n民政局", "one line of printable text"),
    ("各县" * 61, "longer than 120 characters")])
def test_recipients_are_checked_like_the_other_form_lines(value, problem):
    with pytest.raises(ParameterError, match=problem):
        ReportParameters(period="H1", recipients=value)
