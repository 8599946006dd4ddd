"""Written sections: the Markdown subset, references to figures, and the check of every number
typed into the text. Most tests use a small report computed by hand: three districts, two
indicators (ingest_builders' small allocation) and one return dated 30 June 2018:

    district  beds target/actual  subsidies target/actual
    鹿城区     100 / 50 (50.0%)    50 / 20 (40.0%)
    龙湾区      60 / 30 (50.0%)    30 / 15 (50.0%)
    洞头区      40 / 10 (25.0%)    20 / 10 (50.0%)
    city       200 / 90 (45.0%)   100 / 45 (45.0%)

Beds have no schedule, so their milestone is time progress: 181/365 = 49.6%; subsidy
recipients are a level, judged against the target (all 未达标). The catalogue's "一键通" task
(摸底筛选 due 30 June, not reported: 未启动) and subsidy coverage (recipients / the catalogue's
elderly population, far below 2.8%: 未达标) are judged too; the other shares have no figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ingest_builders import full_return, make_raw, progress_dir, write_long_csv

from helpers.cli import main
from helpers.core.errors import InputRejected
from helpers.core.parameters import ReportParameters
from helpers.ingest.returns import ingest_year
from helpers.ingest.snapshot import take_snapshot
from helpers.ingest.written_section_files import narrative_files
from helpers.metrics.report_data import build_report_data, used_inputs
from helpers.render.html_main_text import main_text_section
from helpers.words.figure_registry import figure_registry
from helpers.words.report_text import build_report, write_findings
from helpers.words.written_sections import Literal, literals, parse_blocks, render_narrative

FILE = "2018/narrative/H1.md"
RETURN = {"鹿城区": [50, 20], "龙湾区": [30, 15], "洞头区": [10, 10]}


@pytest.fixture
def small_raw(tmp_path):
    raw = make_raw(tmp_path)
    write_long_csv(progress_dir(raw) / "2018-06-30.csv", full_return("2018-06-30", RETURN))
    return raw


@pytest.fixture
def small(small_raw):
    """(report data, figure registry) of the small report."""
    data = build_report_data(ReportParameters(raw_dir=str(small_raw)))
    return data, figure_registry(data)


def render(text: str, registry):
    return render_narrative(text, FILE, "H1", registry)


def problems(text: str, registry) -> list[tuple[str, str]]:
    with pytest.raises(InputRejected) as caught:
        render(text, registry)
    assert all(p.file == FILE for p in caught.value.problems)
    return [(p.location, p.message) for p in caught.value.problems]


# --- numbers in the text ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "typed"), [
    ("床位1,750张，１７５０张，1.5万人，完成63.6%", ["1,750", "１７５０", "1.5万", "63.6%"]),
    ("2018年6月30日前完成40%", ["40%"]),                       # a date is not data
    ("6月底、8月底、11月底前", []),
    ("5月15至21日", []),
    ("温民福〔2018〕58号、温民福[2018]7号", []),                 # document numbers
    ("2018—2020年，2019年底前", []),                           # years
    ("H1、Q3、5G网络", []),                                    # glued to Latin letters
    ("联系电话13812345678", []),                               # phone numbers (masked)
    ("完成７４３１张，占４９．５％", ["７４３１", "４９．５％"]),      # full-width digits
])
def test_literals(text, typed):
    assert [lit.typed for lit in literals(text)] == typed


def test_enumerators_only_at_the_start_of_a_line():
    assert literals("（1）加强领导", line_start=True) == []
    assert literals("1、加强领导", line_start=True) == []
    assert [lit.typed for lit in literals("（1）加强领导")] == ["1"]


@pytest.mark.parametrize(("typed", "printed", "percent", "expected"), [
    ("63.6%", "63.6", True, True),
    ("64%", "63.6", True, True),      # coarser than printed: rounded half up
    ("63%", "63.6", True, False),
    ("63.60%", "63.6", True, True),
    ("63.62%", "63.6", True, False),  # finer than printed cannot be confirmed
    ("63.6", "63.6", True, False),    # a plain number is no percentage
    ("7430", "7430", False, True),
    ("7400", "7430", False, False),
    ("0.74万", "7430", False, True),
    ("0.7万", "7430", False, True),
    ("1.5万", "15000", False, True),
    ("12.3", "12.3", False, True),
])
def test_literal_matches_within_its_precision(typed, printed, percent, expected):
    (literal,) = literals(typed)
    assert literal.matches(Decimal(printed), percent) is expected


def test_literal_fields():
    (literal,) = literals("0.74万")
    assert literal == Literal("0.74万", Decimal("0.74"), 2, Decimal(10000), False)


def test_a_wrong_number_fails_with_file_line_and_nearest_figures(small):
    _, registry = small
    text = "上半年工作总结\n\n全市新增机构床位完成率45.0%，\n完成目标值的44%。\n"
    assert problems(text, registry) == [(
        "line 4",
        "number 44% matches no figure of the report; nearest figures: 45.0% "
        "(new_institution_beds.completion), 45.0% (new_institution_beds.completion@2018-06-30), "
        "45.0% (subsidy_recipients.completion). A number that is not data goes in backticks: "
        "`44%`")]


def test_right_numbers_pass(small):
    _, registry = small
    # 200 beds planned, 90 built (45.0%, or 45% rounded); 洞头区 25.0%, 24.6 points below the
    # milestone of 49.6%; ranks 1-3; 0.02万 = 200, the city's target (a sentence naming 全市)
    narrative = render("全市计划新增床位200张，已建成90张，完成45%；洞头区完成25.0%，低于序时进度"
                       "49.6%的要求24.6个百分点，排名第3；全市共0.02万张。", registry)
    assert narrative.numbers == 8 and narrative.references == 0


def test_a_wrong_count_names_the_nearest_counts(small):
    _, registry = small
    ((location, message),) = problems("已建成91张", registry)
    assert location == "line 1"
    assert message.startswith("number 91 matches no figure of the report; nearest figures: 90 "
                              "(new_institution_beds.actual), ")


def test_backticks_mark_numbers_that_are_not_data(small):
    _, registry = small
    ((_, message), _) = problems("热线7×24小时值守", registry)  # 7 and 24
    assert message.startswith("number 7 matches no figure")
    narrative = render("热线`7×24`小时值守", registry)
    assert narrative.blocks[0].text == "热线7×24小时值守" and narrative.numbers == 0


def test_html_comments_are_neither_shown_nor_checked(small):
    _, registry = small
    narrative = render("<!-- 草稿：床位12345张 -->\n正文", registry)
    assert [b.text for b in narrative.blocks] == ["正文"]


# --- references -------------------------------------------------------------------------------

@pytest.mark.parametrize(("reference", "text"), [
    ("new_institution_beds.completion", "45.0%"),
    ("新增机构床位.完成率", "45.0%"),                       # Chinese names of indicator and figure
    ("全市.new_institution_beds.target", "200"),
    ("洞头区.new_institution_beds.actual", "10"),
    ("洞头区.新增机构床位.gap_pp", "-24.6"),
    ("洞头区.新增机构床位.差距 | abs", "24.6"),
    ("龙湾区.享受养老服务补贴总人数.累计完成", "15"),
    ("龙湾区.subsidy_recipients.status", "未到期"),         # a level, due at the year end
    ("鹿城区.subsidy_recipients.rank", "—"),  # not due: not ranked, as the 通报 leaves it out
    # 洞头区's due items, done of due: beds 10 of 20 due, the task 0 of 1, coverage 10 of 777
    # (2.8% of 27726); subsidies, a level, are not due before the year end:
    # (0.5 + 0 + 0.0129) / 3 = 17.1%; Chinese full stops
    ("洞头区。综合。平均完成率", "17.1%"),
    ("龙湾区.overall.rank", "1"),
    ("headline.total", "4"),  # beds, subsidies, the task, subsidy coverage
    ("headline.districts", "3"),
    ("data_as_of", "2018年6月30日"),
    ("new_institution_beds.completion@2018-06-30", "45.0%"),
    ("new_institution_beds.completion@6月30日", "45.0%"),
])
def test_references_render_in_the_report_format(small, reference, text):
    _, registry = small
    narrative = render(f"值为{{{{ {reference} }}}}。", registry)
    assert narrative.blocks[0].text == f"值为{text}。"
    assert narrative.references == 1 and narrative.numbers == 0


def test_full_width_braces_are_accepted(small):
    _, registry = small
    assert render("｛｛ 新增机构床位.完成率 ｝｝", registry).blocks[0].text == "45.0%"


def test_references_render_in_english(small_raw):
    data = build_report_data(ReportParameters(raw_dir=str(small_raw), lang="en"))
    narrative = render("{{ 龙湾区.subsidy_recipients.status }} {{ data_as_of }}",
                       figure_registry(data))
    assert narrative.blocks[0].text == "Not yet due 30 June 2018"


def test_due_units_and_shortfall_are_figures(small):
    _, registry = small
    # 洞头区 beds: 40 x 181/365 = 19.8 -> 20 due, 10 done, 10 short; the city 200 x 0.4959 =
    # 99.2 -> 100 due (a part of a bed is owed), 90 done, 10 short
    assert registry.figures["洞头区.new_institution_beds.due_units"].text == "20"
    narrative = render("洞头区床位应完成{{ 洞头区.新增机构床位.应完成数 }}张，"
                       "差{{ 洞头区.new_institution_beds.差额 }}张；全市应完成100张，差10张。",
                       registry)
    assert narrative.blocks[0].text == "洞头区床位应完成20张，差10张；全市应完成100张，差10张。"
    assert narrative.numbers == 2
    assert problems("全市应完成98张", registry)[0][1].startswith("number 98 matches no figure")


def test_unknown_references_are_named_with_close_matches(small):
    _, registry = small
    assert problems("{{ 洞头区.new_institution_beds.actaul }}", registry) == [(
        "line 1",
        "unknown figure {{ 洞头区.new_institution_beds.actaul }}: 'actaul' is no district, "
        "indicator or figure name (close: actual); did you mean "
        "洞头区.new_institution_beds.actual, 龙湾区.new_institution_beds.actual, "
        "鹿城区.new_institution_beds.actual?")]
    ((_, message),) = problems("{{ 泰顺.新增机构床位.完成率 }}", registry)
    assert "'泰顺' is no district, indicator or figure name (close: 泰顺县)" in message
    ((_, message),) = problems("{{ 经开区.new_institution_beds.actual }}", registry)
    assert message.startswith("unknown figure {{ 经开区.new_institution_beds.actual }}: 经开区 is "
                              "not in this report")
    ((_, message),) = problems("{{ 浙南产业集聚区.新增机构床位.完成率 }}", registry)  # an alias
    assert "经开区 is not in this report" in message


def test_other_reference_errors(small):
    _, registry = small
    assert problems("a\n{{ 新增机构床位.完成率", registry) == [
        ("line 2", "unclosed {{ (a reference is written {{ name }})")]
    assert problems("{{ 新增机构床位.完成率 | round }}", registry) == [
        ("line 1", "unknown modifier 'round' in {{ 新增机构床位.完成率 }} (known: abs, 绝对值)")]
    ((_, message),) = problems("{{ new_institution_beds.completion@6月31日 }}", registry)
    assert "'6月31日' is not a date" in message


def test_every_problem_at_once(small):
    _, registry = small
    found = problems("甲44%\n\n乙{{ x.y }}\n\n- 丙91张\n", registry)
    assert [location for location, _ in found] == ["line 1", "line 3", "line 5"]


# --- the Markdown subset ----------------------------------------------------------------------

def test_blocks_headings_lists_bold_and_line_joins(small):
    _, registry = small
    text = ("## 一、主要做法\n"
            "全市民政部门\n认真落实，**抓{{ 新增机构床位.完成率 }}**进度。\n"
            "\n"
            "- **抓分解。**逐项明确\n  责任单位\n"
            "- 抓通报\n"
            "1. 第一\n"
            "2) 第二\n"
            "\n"
            "### 小标题\n"
            "Latin text\nwraps with a space, a *star* and an unmatched ** marker.\n")
    narrative = render(text, registry)
    kinds = [(b.kind, b.level, b.ordered) for b in narrative.blocks]
    assert kinds == [("heading", 2, False), ("paragraph", 0, False), ("list", 0, False),
                     ("list", 0, True), ("heading", 3, False), ("paragraph", 0, False)]
    heading, paragraph, bullets, numbered, _, latin = narrative.blocks
    assert heading.text == "一、主要做法"
    assert [(r.text, r.bold) for r in paragraph.runs] == [("全市民政部门认真落实，", False),
                                                          ("抓45.0%", True), ("进度。", False)]
    assert bullets.item_texts == ["抓分解。逐项明确责任单位", "抓通报"]
    assert [(r.text, r.bold) for r in bullets.items[0]] == [("抓分解。", True),
                                                            ("逐项明确责任单位", False)]
    assert numbered.item_texts == ["第一", "第二"]
    assert latin.text == "Latin text wraps with a space, a *star* and an unmatched ** marker."
    sections = narrative.sections()
    assert [title for title, _ in sections] == ["一、主要做法"]
    assert len(sections[0][1]) == 5


def test_parse_blocks_keeps_source_lines():
    drafts = parse_blocks("第一段\n第一段续\n\n- 甲\n- 乙\n")
    assert drafts[0].lines == [(1, "第一段"), (2, "第一段续")]
    assert drafts[1].items == [[(4, "甲")], [(5, "乙")]]


def test_html_is_escaped_and_a_phone_refused(small):
    data, registry = small
    data.narrative = render("## 标题<b>\n\n<script>x</script> **粗体** 完成\n", registry)
    html = main_text_section(write_findings(data))
    assert html.startswith('<section class="main-text" id="main-text"><p>截至')
    # a heading that names no problem or next step is part of the progress made
    assert '<h2 id="sec-progress">一、总体进展</h2>' in html
    assert "<h3>（一）标题&lt;b&gt;</h3>" in html
    assert "<p>&lt;script&gt;x&lt;/script&gt; <strong>粗体</strong> 完成</p>" in html
    for phone in ("电话13812345678", "电话`13812345678`", "+86 139.0000.5555"):
        with pytest.raises(InputRejected) as refused:
            render(f"联系{phone}\n", registry)
        message = refused.value.problems[0].message
        assert message.startswith("holds a telephone number (") and "13812345678" not in message
        assert "backticks" not in message
    # how many figures were checked is for the appendix, not the text the bureau signs
    assert "narrative-note" not in html
    from helpers.render.html_sections import appendix_section

    assert ('<p class="note" id="narrative-note">说明：本部分文字由业务处室撰写，其中0处数据由程序'
            "从报表生成，0个手工录入的数字已逐一与报表核对。</p>") in appendix_section(data)


# --- files and the report ---------------------------------------------------------------------

def test_narrative_files_and_inputs(small_raw):
    folder = small_raw / "2018" / "narrative"
    folder.mkdir()
    (folder / "H1.md").write_text("正文", encoding="utf-8")
    (folder / "FY.md").write_text("正文", encoding="utf-8")
    (folder / "上半年.md").write_text("x", encoding="utf-8")
    files, found = narrative_files(take_snapshot(small_raw, 2018), 2018)
    assert files == [("2018/narrative/FY.md", dt.date(2018, 12, 31)),
                     ("2018/narrative/H1.md", dt.date(2018, 6, 30))]
    assert [(p.file, p.message) for p in found] == [(
        "2018/narrative/上半年.md",
        "unexpected file: the written sections of a report are named Q1.md, H1.md, Q3.md, FY.md"
        " (the English edition's Q1.en.md, ...)")]
    result = ingest_year(small_raw, 2018)
    assert [p.file for p in result.errors] == ["2018/narrative/上半年.md"]
    # a report depends on its own period's narrative only
    h1 = [i.path for i in used_inputs(result, dt.date(2018, 6, 30)) if i.kind == "narrative"]
    fy = [i.path for i in used_inputs(result, dt.date(2018, 12, 31)) if i.kind == "narrative"]
    assert h1 == ["2018/narrative/H1.md"] and fy == ["2018/narrative/FY.md"]


def test_the_words_phase_checks_the_written_sections(small_raw):
    folder = small_raw / "2018" / "narrative"
    folder.mkdir()
    (folder / "H1.md").write_text("## 做法\n\n床位完成{{ 新增机构床位.完成率 }}，共90张。",
                                  encoding="utf-8")
    data = build_report(ReportParameters(raw_dir=str(small_raw)))
    assert data.narrative.blocks[1].text == "床位完成45.0%，共90张。"
    assert data.narrative.file == FILE
    # a report on selected districts leaves the city-wide text out, and says so
    subset = build_report(ReportParameters(raw_dir=str(small_raw), districts=["鹿城区"]))
    assert subset.narrative is None
    assert "分地区报告不予收录" in main_text_section(subset)
    (folder / "H1.md").write_text("床位完成91张", encoding="utf-8")
    with pytest.raises(InputRejected) as caught:
        build_report(ReportParameters(raw_dir=str(small_raw)))
    assert caught.value.problems[0].location == "line 1"
    (folder / "H1.md").write_bytes("床位".encode("gbk"))
    with pytest.raises(InputRejected) as caught:
        build_report(ReportParameters(raw_dir=str(small_raw)))
    assert caught.value.problems[0].message.startswith("not UTF-8 text")


def test_run_with_a_wrong_number_exits_2_and_publishes_nothing(small_raw, tmp_path, capsys):
    folder = small_raw / "2018" / "narrative"
    folder.mkdir()
    (folder / "H1.md").write_text("## 做法\n\n床位完成91张。\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["run", "--year", "2018", "--period", "H1", "--raw-dir", str(small_raw),
                 "--out-dir", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert ("ERROR: 2018/narrative/H1.md, line 3: number 91 matches no figure of the report; "
            "nearest figures: 90 (new_institution_beds.actual)") in err
    assert not (out / "2018" / "H1").exists()


# --- the bundled sample narratives, end to end --------------------------------------------------

def _raw_beds_total(date: str) -> int:
    """Second route: the 合计 row of a wide demo return, read straight from the workbook."""
    from openpyxl import load_workbook

    from helpers.core.paths import RAW_DIR

    ws = load_workbook(RAW_DIR / "2018" / "progress" / f"{date}.xlsx").active
    column = next(c.column for row in ws.iter_rows(max_row=6) for c in row
                  if isinstance(c.value, str) and "新增机构床位" in c.value.replace("\n", ""))
    total = next(c.row for c in ws["A"] if isinstance(c.value, str)
                 and c.value.replace(" ", "") == "合计")
    return int(ws.cell(total, column).value)


@pytest.mark.slow
def test_bundled_reports_carry_their_narrative(built_reports):
    h1 = (built_reports["H1"] / "report.html").read_text(encoding="utf-8")
    fy = (built_reports["FY"] / "report.html").read_text(encoding="utf-8")
    beds_h1, beds_fy = _raw_beds_total("2018-06-30"), _raw_beds_total("2018-12-31")
    assert 'id="main-text"' in h1 and "示例文本" in h1
    # the written sections slot into the parts their headings name; one section in a part
    # takes the part's heading
    for heading in ("一、总体进展", "（一）主要做法", "（二）工作亮点", "三、存在问题",
                    "四、下步工作要求"):
        assert heading in h1
    for heading in ("一、目标任务完成情况", "（一）主要做法", "四、存在的问题及原因",
                    "五、2019年工作重点"):
        assert heading in fy
    assert "下步打算" not in h1 and "存在问题及原因" not in h1
    assert f"已新增{beds_h1}张，完成目标值的{beds_h1 / 15000 * 100:.1f}%" in h1
    assert f"全年新增养老机构床位{beds_fy}张，完成目标值的{beds_fy / 15000 * 100:.1f}%" in fy
    assert "7×24小时" in h1 and "`" not in h1.split('id="main-text"')[1].split("</section>")[0]
    # the main text comes before the 附件, the ledger's 附件 before the page's appendix
    assert h1.index('id="main-text"') < h1.index('id="sign-off"') < h1.index('id="sec-summary"')
    assert h1.index('id="sec-ledger"') < h1.index('id="sec-appendix"')
    # the narrative files are inputs of their own period's report only
    inputs = (built_reports["H1"] / "manifest.json").read_text(encoding="utf-8")
    assert "2018/narrative/H1.md" in inputs and "2018/narrative/FY.md" not in inputs
    assert "2018/ledger.xlsx" in inputs


@pytest.mark.slow
def test_a_data_correction_makes_the_typed_numbers_stale(raw_copy, tmp_path):
    """The allocation is corrected after publication: the re-run stops at the typed city target
    (15000 beds) instead of publishing text that no longer agrees with the tables."""
    from openpyxl import load_workbook

    from helpers.audit.verify import verify
    from helpers.publish.report_pipeline import run_report

    (raw_copy / "2018" / "narrative" / "H1.md").write_text(
        "## 一、主要做法\n\n全市计划新增养老机构床位15000张。\n", encoding="utf-8")
    folder = run_report(ReportParameters(raw_dir=str(raw_copy)), tmp_path / "out").folder
    wb = load_workbook(raw_copy / "2018" / "allocation.xlsx")
    wb["分解表"]["D5"] = 1760    # 鹿城区 新增机构床位, was 1750
    wb["分解表"]["D17"] = 15010  # the 合计 row, was 15000
    wb.save(raw_copy / "2018" / "allocation.xlsx")
    findings = "\n".join(verify(folder / "manifest.json").findings)
    assert "the re-run failed" in findings
    assert "ERROR: 2018/narrative/H1.md, line 3: number 15000 matches no figure" in findings


def test_rule_figures_are_references_too(small):
    _, registry = small
    # the task's stage (摸底筛选, due 30 June): 3 districts required, none done, 3 overdue; the
    # headline counts by status word; the ranking of a district
    narrative = render("摸底筛选应完成{{ one_touch_service.摸底筛选.应完成 }}个，逾期未完成"
                       "{{ 一键通服务.screening.overdue }}个；"
                       "逾期未完成{{ headline.逾期未完成 }}项；"
                       "洞头区排第{{ 洞头区.overall.rank }}位。", registry)
    assert narrative.blocks[0].text == ("摸底筛选应完成3个，逾期未完成3个；逾期未完成1项；"
                                        "洞头区排第3位。")
    assert narrative.references == 4
