"""`check-draft`: the office's edited report.docx read back and checked against the published
report's facts (issue 18). An untouched draft agrees; an edited number, status word or table
cell is named by paragraph or cell and quoted; a file that is not a .docx is refused by name."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest

from helpers.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(built_reports):
    return built_reports["H1"]


def _check(published, draft, capsys) -> tuple[int, str]:
    code = main(["check-draft", "--year", "2018", "--period", "H1",
                 "--out-dir", str(published.parent.parent), str(draft)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _edit(source, target, old: str, new: str) -> None:
    """Replace `old` by `new` in the first run holding it, as an editor does."""
    document = docx.Document(str(source))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new, 1)
                document.save(str(target))
                return
    raise AssertionError(f"{old!r} is not in any run of {source}")


def test_an_untouched_draft_agrees(published, capsys):
    code, out = _check(published, published / "report.docx", capsys)
    assert code == 0, out
    assert "the draft agrees with the report" in out and "0 edited" in out


def test_an_edited_number_is_named_with_the_figure_it_should_be(published, tmp_path, capsys):
    draft = tmp_path / "edited.docx"
    _edit(published / "report.docx", draft, "已新增7599张", "已新增7600张")
    code, out = _check(published, draft, capsys)
    assert code == 1
    line = next(x for x in out.splitlines() if "7600" in x)
    assert line.startswith("DIFFERENT: paragraph ") and "已新增7600张" in line
    assert "number 7600 matches no figure" in line
    assert "7599 (new_institution_beds.actual)" in line
    assert "1 edited" in out


def test_an_edited_status_word_is_named_with_the_status_of_the_tables(published, tmp_path,
                                                                      capsys):
    # H1 meals are 逾期未完成 at the 30 June node (910 of the 920 due): the main text says so
    draft = tmp_path / "edited.docx"
    _edit(published / "report.docx", draft, "逾期未完成的有助餐配送餐照料中心",
          "基本符合进度的有助餐配送餐照料中心")
    code, out = _check(published, draft, capsys)
    assert code == 1
    assert ("says '基本符合' of 全市 助餐配送餐照料中心, whose status in the tables is "
            "逾期未完成") in out


def test_an_edited_table_cell_is_named_by_row_and_column(published, tmp_path, capsys):
    document = docx.Document(str(published / "report.docx"))
    # the indicator summary of 附件1 (after the plan's own targets)
    number, table = next((n, t) for n, t in enumerate(document.tables, start=1)
                         if t.rows[0].cells[0].text == "指标")
    header = [c.text for c in table.rows[0].cells]
    row = next(r for r in table.rows if r.cells[0].text == "新增机构床位")
    cell = row.cells[header.index("累计完成")]
    assert cell.text == "7599"
    cell.paragraphs[0].runs[0].text = "7700"
    draft = tmp_path / "edited.docx"
    document.save(str(draft))
    code, out = _check(published, draft, capsys)
    assert code == 1
    assert f"table {number}, row" in out and "(新增机构床位), column 累计完成: the draft " \
        "says “7700”, the report “7599”" in out


def test_a_file_that_is_not_a_docx_is_refused_by_name(published, tmp_path, capsys):
    draft = tmp_path / "通报.docx"
    draft.write_bytes(b"%PDF-1.7 not a Word file")
    code, out = _check(published, draft, capsys)
    assert code == 2
    assert "通报.docx: not a Word .docx file" in out and "internal error" not in out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_a_draft_saved_by_libreoffice_is_read_as_the_office_sends_it(published, tmp_path,
                                                                      capsys):
    # opened and saved again by LibreOffice (as the office would): still agrees; and a number
    # edited before the round trip is still found after it
    edited = tmp_path / "edited" / "report.docx"
    edited.parent.mkdir()
    _edit(published / "report.docx", edited, "已新增7599张", "已新增7600张")
    for source, folder in ((published / "report.docx", tmp_path / "plain"),
                           (edited, tmp_path / "roundtrip")):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                        "--convert-to", "docx", "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=180)
    code, out = _check(published, tmp_path / "plain" / "report.docx", capsys)
    assert code == 0, out
    code, out = _check(published, tmp_path / "roundtrip" / "report.docx", capsys)
    assert code == 1 and "number 7600 matches no figure" in out


def test_an_edit_beside_what_the_checks_cannot_read_is_no_finding(published, tmp_path, capsys):
    # The written-section checks object to about one published paragraph in six (a group's
    # count of items, shortfalls summed over districts, the notes' arithmetic, days overdue):
    # every paragraph edited with a word of the office's is still no finding...
    document = docx.Document(str(published / "report.docx"))
    edited = 0
    for paragraph in document.paragraphs:
        if paragraph.text.strip() and paragraph.runs:
            paragraph.runs[-1].text += "（核）"
            edited += 1
    draft = tmp_path / "every-paragraph.docx"
    document.save(str(draft))
    code, out = _check(published, draft, capsys)
    assert code == 0, out
    assert f"{edited} edited" in out and edited > 80
    # ...and an objection to a sentence the office changed still is one, though the checks
    # object to the published sentence too: a number changed (the ledger's days overdue), a
    # number changed to one the sentence already holds (其余9个…共9项: the objection to 9
    # drawn twice), two numbers swapped (the same objections, in a changed sentence)
    for old, new, expected in [
            ("已逾期91天", "已逾期19天", ["number 19 "]),
            ("共64项", "共9项", ["number 9 ", "number 9 "]),
            ("其余9个县（市、区）共64项", "其余64个县（市、区）共9项",
             ["number 64 ", "number 9 "])]:
        draft = tmp_path / "one.docx"
        _edit(published / "report.docx", draft, old, new)
        code, out = _check(published, draft, capsys)
        assert code == 1, (old, out)
        found = re.findall(r"^DIFFERENT: paragraph \d+ “.*?”: (number \S+) ", out, re.M)
        assert sorted(found) == sorted(e.strip() for e in expected), (old, out)


def test_a_sentence_left_as_published_answers_for_nothing(published, tmp_path, capsys):
    # the notes under 附件1: the checks object to numbers of its later sentences (181 of the
    # linear schedule, 365÷365, 0.5%); the office rewords its first sentence only
    draft = tmp_path / "notes.docx"
    _edit(published / "report.docx", draft, "完成率＝累计完成÷年度目标。",
          "完成率＝累计完成数÷年度目标。")
    code, out = _check(published, draft, capsys)
    assert code == 0, out
    assert "1 edited" in out
