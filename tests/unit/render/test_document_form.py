"""The document form parameters (title, 文号, 落款, 成文日期): defaults, checks, labels."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.core.errors import ParameterError
from helpers.core.parameters import ReportParameters, parameters_from_dict, parse_cli_value
from helpers.words.labels import (
    document_issuer,
    heading_number,
    report_title,
    unnumbered,
    zh_numeral,
)

GENERATED_H1_TITLE = "2018年社会养老服务体系建设重点任务上半年进展情况通报"


def test_defaults_build_the_bundled_reports_honestly():
    params = ReportParameters()
    assert params.title is None and params.doc_number is None
    assert report_title(params) == GENERATED_H1_TITLE
    assert document_issuer(params) == "温州市民政局"  # seed 001 is the Wenzhou bureau's notice
    assert document_issuer(params.replace(lang="en")) == "Wenzhou Civil Affairs Bureau"
    # no today(): the same parameters give the same document on any day
    assert params.drafted_on == params.report_date == dt.date(2018, 6, 30)
    assert ReportParameters(period="FY").drafted_on == dt.date(2018, 12, 31)
    assert params.pdf is True


def test_given_form_values_are_used():
    params = parameters_from_dict({"period": "H1", "title": "关于2018年上半年养老服务工作的通报",
                                   "doc_number": "温民〔2018〕35号", "issuer": "温州市民政局办公室",
                                   "drafting_date": "2018-07-05"})
    assert report_title(params) == "关于2018年上半年养老服务工作的通报"
    assert document_issuer(params) == "温州市民政局办公室"
    assert params.drafted_on == dt.date(2018, 7, 5)


@pytest.mark.parametrize(("changes", "message"), [
    ({"drafting_date": "2018-02-30"}, "drafting_date '2018-02-30' is not a date (YYYY-MM-DD)"),
    ({"drafting_date": "20180705"}, "drafting_date '20180705' is not a date (YYYY-MM-DD)"),
    ({"drafting_date": "2018-7-5"}, "drafting_date '2018-7-5' is not a date (YYYY-MM-DD)"),
    ({"drafting_date": "2018-06-29"}, "drafting_date 2018-06-29 is before the report date "
                                      "2018-06-30"),
    ({"drafting_date": "2020-01-01"}, "drafting_date 2020-01-01 is after 2019-12-31"),
    ({"title": "  "}, "title, when given, must not be blank"),
    ({"title": "上半年\n报告"}, "must be one line of printable text"),
    ({"title": "报" * 61}, "longer than 60 characters"),
    ({"doc_number": "温民〔2018〕35号 "}, "has spaces at either end"),
    ({"issuer": "温州市民政局" * 6}, "issuer '" + "温州市民政局" * 6 + "' is longer than 30"),
    # a long value is not echoed whole: its first characters and its length
    ({"title": "报" * 30_000}, "title '" + "报" * 60 + "…' is longer than 60 characters "
                               "(30,000)"),
])
def test_bad_form_values_are_rejected_naming_the_parameter(changes, message):
    with pytest.raises(ParameterError) as info:
        parameters_from_dict({"period": "H1", **changes})
    assert message in str(info.value)


def test_drafting_date_bounds_are_inclusive():
    assert ReportParameters(drafting_date="2018-06-30").drafted_on == dt.date(2018, 6, 30)
    assert ReportParameters(drafting_date="2019-12-31").drafted_on == dt.date(2019, 12, 31)
    # year end: drafted in January of the next year
    assert ReportParameters(period="FY", drafting_date="2019-01-10").drafted_on.year == 2019


def test_form_values_from_the_command_line_are_kept_verbatim():
    assert parse_cli_value("doc_number", "温民〔2018〕35号") == "温民〔2018〕35号"
    assert parse_cli_value("drafting_date", "2018-07-05") == "2018-07-05"
    assert parse_cli_value("pdf", "false") is False
    with pytest.raises(ParameterError, match="pdf"):
        parse_cli_value("pdf", "no")


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"),
                                         (20, "二十"), (23, "二十三"), (99, "九十九")])
def test_chinese_heading_numerals(n, text):
    assert zh_numeral(n) == text


def test_heading_numbers_and_unnumbered_labels():
    assert [heading_number(level, 2) for level in (1, 2, 3)] == ["二、", "（二）", "2．"]
    assert [heading_number(level, 2, "en") for level in (1, 2, 3)] == ["2. ", "(2) ", "(b) "]
    assert unnumbered("一、指标完成情况汇总") == "指标完成情况汇总"
    assert unnumbered("十二、附件") == "附件"
    assert unnumbered("1. Indicator summary") == "Indicator summary"
    assert unnumbered("总体情况") == "总体情况"


def test_papermill_reads_every_parameter_of_the_notebook():
    """papermill parses the parameters cell itself and only warns about what it cannot read
    (an '=' in a comment was enough): every schema field must be one it recognises."""
    import dataclasses

    import papermill

    from helpers.core.paths import NOTEBOOKS_DIR

    found = papermill.inspect_notebook(str(NOTEBOOKS_DIR / "report.ipynb"))
    # `prepared` is the runner's hand-off to the kernel, not a report parameter
    assert [n for n in found if n != "prepared"] == [
        f.name for f in dataclasses.fields(ReportParameters)]
