"""The English edition: its own written sections (narrative/<period>.en.md), checked as the
Chinese ones are; without them, a note that the written sections exist in Chinese only, and
no Chinese text in its main text; English sentences without the space an empty unit leaves."""

from __future__ import annotations

import re

import pytest
from ingest_builders import full_return, make_raw, progress_dir, write_long_csv

from helpers.core.errors import InputRejected
from helpers.core.parameters import ReportParameters
from helpers.ingest.returns import ingest_year
from helpers.ingest.snapshot import take_snapshot
from helpers.ingest.written_section_files import edition_of, narrative_files, narrative_rel
from helpers.words.report_text import build_report

# the small report of test_narrative: beds 200 target, 90 done in the city (45.0%)
RETURN = {"鹿城区": [50, 20], "龙湾区": [30, 15], "洞头区": [10, 10]}
CHINESE = "## 主要做法\n\n全市新增床位{{ 新增机构床位.累计完成 }}张。\n"
ENGLISH = "## Approach\n\nThe city added {{ beds.actual }} beds, {{ beds.completion }} of the " \
          "target.\n\n## Problems\n\nHomes are slow.\n"


@pytest.fixture
def raw(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "2018-06-30.csv", full_return("2018-06-30", RETURN))
    (raw / "2018" / "narrative").mkdir()
    (raw / "2018" / "narrative" / "H1.md").write_text(CHINESE, encoding="utf-8")
    return raw


def test_the_files_of_each_edition(raw):
    folder = raw / "2018" / "narrative"
    (folder / "H1.en.md").write_text(ENGLISH, encoding="utf-8")
    (folder / "H1.fr.md").write_text("x", encoding="utf-8")
    files, problems = narrative_files(take_snapshot(raw, 2018), 2018)
    assert [rel for rel, _ in files] == ["2018/narrative/H1.en.md", "2018/narrative/H1.md"]
    assert [p.file for p in problems] == ["2018/narrative/H1.fr.md"]
    assert narrative_rel(2018, "H1", "en") == "2018/narrative/H1.en.md"
    assert (edition_of("2018/narrative/H1.en.md"), edition_of("2018/narrative/H1.md")) == (
        "en", "zh")
    assert ingest_year(raw, 2018).errors[0].file == "2018/narrative/H1.fr.md"


def test_the_english_edition_reads_its_own_text_checked_in_english(raw):
    (raw / "2018" / "narrative" / "H1.en.md").write_text(ENGLISH, encoding="utf-8")
    data = build_report(ReportParameters(raw_dir=str(raw), lang="en"))
    text = [b.text for b in data.narrative.blocks]
    assert text[1] == "The city added 90 beds, 45.0% of the target."
    parts = {p.key: p for p in data.main_text.parts}
    assert [w.heading for w in parts["progress"].written] == ["Approach"]
    assert [b.text for w in parts["problems"].written for b in w.blocks] == ["Homes are slow."]
    assert parts["progress"].note == ""
    # the English edition depends on its own text, the Chinese report on the Chinese one
    assert [p for p in data.inputs["path"] if "narrative" in p] == ["2018/narrative/H1.en.md"]
    chinese = build_report(ReportParameters(raw_dir=str(raw)))
    assert [p for p in chinese.inputs["path"] if "narrative" in p] == ["2018/narrative/H1.md"]
    # a typed number is checked as in Chinese
    (raw / "2018" / "narrative" / "H1.en.md").write_text("The city added 91 beds.\n",
                                                         encoding="utf-8")
    with pytest.raises(InputRejected) as refused:
        build_report(ReportParameters(raw_dir=str(raw), lang="en"))
    assert refused.value.problems[0].file == "2018/narrative/H1.en.md"


def test_without_its_text_the_english_edition_says_so(raw):
    data = build_report(ReportParameters(raw_dir=str(raw), lang="en"))
    assert data.narrative is None
    progress = data.main_text.parts[0]
    assert progress.note == ("The written sections of this report exist in Chinese only "
                             "(2018/narrative/H1.md) and are left out of the English edition.")
    assert progress.written == ()
    sentences = data.main_text.sentences()
    assert not any(re.search(r"[\u4e00-\u9fff]", s) for s in sentences
                   if "〔" not in s)  # document numbers (温民福〔2018〕58号) are names
    for text in sentences:
        assert "  " not in text and " ," not in text and "( " not in text, text
