"""report.docx read back with python-docx: house style, every district, headings, table values
checked against the raw data, the form (文号, title, 落款), reproducible bytes, no random ids."""

from __future__ import annotations

import dataclasses
import re
import time
import zipfile
from io import BytesIO
from types import SimpleNamespace

import docx
import pytest
from docx.shared import Cm
from support import raw_total as _raw_total  # a figure straight from the raw return

from helpers.core.parameters import ReportParameters
from helpers.render.colours import STATUS_COLORS, contrast_ratio
from helpers.render.columns import Column
from helpers.render.document_blocks import (
    BulletList,
    Cell,
    Figure,
    Heading,
    Paragraph,
    Span,
    Table,
    from_narrative,
    report_blocks,
    table_block,
)
from helpers.render.word import docx_bytes, write_report_docx
from helpers.render.word_tables import column_widths, display_width
from helpers.words import findings
from helpers.words.labels import label
from helpers.words.report_text import build_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DISTRICTS = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "文成县",
             "平阳县", "泰顺县", "苍南县", "经开区"]
# the 通报's main text (seed 003's voice, the parts of helpers.words.document_plan)
H1_HEADINGS = ["一、总体进展", "二、各地进展与排名", "三、存在问题", "四、下步工作要求"]
H1_ANNEXES = ["指标完成情况汇总表", "各县（市、区）通报排名", "节点任务完成情况",
              "滞后事项清单（按督查组）", "累计进度走势与预判", "与第一季度相比的变化",
              "“回头看”问题整改台账"]
# the document's tables, in order: 附件1 opens with the plan's own targets
PLAN, SUMMARY, SHARES, RANKING, CHECKPOINTS, LAGGING = 0, 1, 2, 3, 4, 5
FORM = {"doc_number": "温民〔2018〕35号", "drafting_date": "2018-07-05"}
CITY_BEDS_TARGET = "15000"  # seed 001, 合计 row


@pytest.fixture(scope="module")
def data():
    return build_report(ReportParameters(period="H1", **FORM))


@pytest.fixture(scope="module")
def docx_file(data):
    return docx_bytes(data)


@pytest.fixture(scope="module")
def document(docx_file):
    return docx.Document(BytesIO(docx_file))


def _paragraphs(document, style: str | None = None) -> list[str]:
    return [p.text for p in document.paragraphs if style is None or p.style.name == style]


def _table_rows(grid) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in grid.rows]


# --- content ---------------------------------------------------------------------------------

def test_ledger_section_counts_and_masks(document, data):
    """The ledger's district table: a row per district and the city, its figures those of the
    report data's ledger view; 责任人 shown as units, phone numbers masked."""
    from helpers.demo.ledger import CANARY_NAMES

    grid = next(g for g in document.tables if _table_rows(g)[0][:3] == ["县（市、区）", "发现问题",
                                                                       "已销号"])
    rows = _table_rows(grid)
    assert [r[0] for r in rows[1:]] == [*DISTRICTS, "全市"]
    city = data.ledger.city
    assert rows[-1][1:6] == [str(city[k]) for k in ("found", "closed", "closed_late", "open",
                                                   "overdue")]
    assert sum(int(r[1]) for r in rows[1:-1]) == city["found"]
    text = "\n".join(cell.text for g in document.tables for row in g.rows for cell in row.cells)
    assert "民政局" in text and "****" in text
    assert not any(name in text for name in CANARY_NAMES)


def test_title_number_facts_and_signature(document):
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "温民〔2018〕35号"
    assert document.paragraphs[0].style.name == "Document Number"
    # the document's title, then each 附件's on its page
    assert _paragraphs(document, "Title") == [
        "2018年社会养老服务体系建设重点任务上半年进展情况通报", *H1_ANNEXES]
    assert _paragraphs(document, "Annex Number") == [f"附件{n}" for n in range(1, 8)]
    # how 附件1 is read: the report's period and dates head it
    facts = " ".join(_paragraphs(document, "Report Note"))
    for fact in ("报告期：上半年", "报告日期：2018年6月30日", "数据截至：2018年6月30日",
                 "成文日期：2018年7月5日"):
        assert fact in facts
    # the 落款 closes the main text, after 附件说明 and before 附件1
    assert _paragraphs(document, "Signature") == ["温州市民政局", "2018年7月5日"]
    signed = texts.index("温州市民政局")
    assert texts[signed + 1] == "2018年7月5日" and texts[signed + 2] == "附件1"
    listed = _paragraphs(document, "Annex List")
    assert listed == ["附件：1．指标完成情况汇总表",
                      *(f"{n}．{t}" for n, t in enumerate(H1_ANNEXES[1:], start=2))]
    assert texts.index(listed[-1]) < signed


def test_no_doc_number_line_by_default():
    plain = docx.Document(BytesIO(docx_bytes(build_report(ReportParameters(period="H1")))))
    assert _paragraphs(plain, "Document Number") == []
    assert plain.paragraphs[0].style.name == "Title"
    # a draft (no 成文日期): the date is left for the office to fill in, not the data's date
    assert _paragraphs(plain, "Signature")[-1] == "　　　　年　　月　　日"


def test_demo_notice_is_there(document):
    # the report's data, then the sample ledger's
    assert _paragraphs(document, "Demo Notice") == [label("misc.demo_notice"),
                                                    label("ledger.sample_notice")]
    assert "演示数据" in label("misc.demo_notice")


def test_headings_are_numbered_official_style(document, data):
    assert _paragraphs(document, "Heading 1") == H1_HEADINGS
    # the written sections' 主要做法 and 工作亮点 within 总体进展; their 存在问题及原因 and 下步打算
    # take the part's heading
    assert _paragraphs(document, "Heading 2") == ["（一）主要做法", "（二）工作亮点"]
    opening = next(p.text for p in document.paragraphs if p.style.name == "Body Text")
    assert opening == findings.overall(data)[0] + "现将有关情况通报如下："


def test_every_district_is_in_the_document(document):
    text = "\n".join(_paragraphs(document)) + "\n".join(
        cell.text for grid in document.tables for row in grid.rows for cell in row.cells)
    for district in DISTRICTS:
        assert district in text, district


def test_summary_table_values_match_the_raw_data(document):
    summary = document.tables[SUMMARY]
    rows = _table_rows(summary)
    assert rows[0] == ["指标", "单位", "年度目标", "累计完成", "完成率", "进度要求", "应完成数",
                       "差额", "状态", "未达要求地区数", "各地差额合计"]
    assert len(rows) == 1 + 16  # 15 allocated indicators and the task
    beds = next(r for r in rows if r[0] == "新增机构床位")
    actual = _raw_total("2018-06-30", "新增机构床位")
    assert beds[2] == CITY_BEDS_TARGET
    assert beds[3] == str(actual)
    assert beds[4] == f"{actual / 15000 * 100:.1f}%"


def test_ranking_lists_every_district_by_its_stated_method(document):
    rows = _table_rows(document.tables[RANKING])
    assert rows[0][:6] == ["排名", "县（市、区）", "督查组", "到期事项", "符合进度事项",
                           "符合进度比例"]
    assert sorted(r[1] for r in rows[1:]) == sorted(DISTRICTS)
    shares = []
    for row in rows[1:]:
        due, on_track = int(row[3]), int(row[4])
        # the share, from the printed counts, half up (9 of 16 = 56.25% prints 56.3%)
        tenths = (on_track * 2000 // due + 1) // 2
        assert row[5] == f"{tenths // 10}.{tenths % 10}%"
        shares.append(on_track / due)
    assert shares == sorted(shares, reverse=True)  # ranked by that share, best first
    assert int(re.match(r"\d+", rows[1][0])[0]) == 1


def test_every_lagging_row_names_its_group_and_district(document, data):
    # no merged cells: a row that Word carries to the next page still says whose it is
    grid = document.tables[LAGGING]
    rows = _table_rows(grid)
    assert rows[0][:3] == ["督查组", "县（市、区）", "指标"]
    assert len(rows) - 1 == len(data.lagging)
    assert "w:vMerge" not in grid._tbl.xml
    first_cells = [[tc.xpath("string(.)") for tc in row._tr.tc_lst[:2]] for row in grid.rows[1:]]
    assert [c[0] for c in first_cells] == list(data.lagging["supervision_group"])
    assert [c[1] for c in first_cells] == list(data.lagging["district"])
    assert all(group and district for group, district in first_cells)


def test_tables_repeat_their_header_and_never_split_a_row(document):
    for grid in document.tables:
        rows = grid.rows
        assert rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        for row in rows:
            assert row._tr.trPr.find(f"{W}cantSplit") is not None


def test_table_fits_the_text_width_and_numbers_are_right_aligned(document):
    text_width = Cm(21.0) - Cm(2.8) - Cm(2.6)
    summary = document.tables[SUMMARY]
    widths = [int(col.w) for col in summary._tbl.tblGrid.gridCol_lst]
    assert abs(sum(widths) - text_width) <= 635 * len(widths)  # stored in whole twips
    beds = next(r for r in summary.rows if r.cells[0].text == "新增机构床位")
    assert beds.cells[2].paragraphs[0].alignment == 2  # RIGHT
    assert beds.cells[0].paragraphs[0].alignment is None  # text: left


def test_status_cells_are_shaded_with_readable_text(document):
    checked = 0
    for grid in document.tables:
        for row in grid.rows[1:]:
            for cell in row.cells:
                shading = cell._tc.tcPr.find(f"{W}shd")
                if shading is None:
                    continue
                fill = "#" + shading.get(f"{W}fill")
                assert fill.upper() in {c.upper() for c in STATUS_COLORS.values()}
                for run in cell.paragraphs[0].runs:
                    assert contrast_ratio(fill, "#" + str(run.font.color.rgb)) >= 4.5
                checked += 1
    assert checked > 15


def test_charts_are_pictures_with_captions(document):
    assert len(document.inline_shapes) == 2
    figures = [text for text in _paragraphs(document, "Caption") if text.startswith("图")]
    assert figures == ["图1　各地区分项完成率", "图2　全市累计完成率与进度要求"]
    for shape in document.inline_shapes:
        assert shape.width <= Cm(15.6) + 10


# --- house style ------------------------------------------------------------------------------

def test_page_is_a4_with_official_margins(document):
    section = document.sections[0]
    stored = [section.page_width, section.page_height, section.top_margin,
              section.bottom_margin, section.left_margin, section.right_margin]
    wanted = [Cm(21.0), Cm(29.7), Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)]
    for value, expected in zip(stored, wanted, strict=True):
        assert abs(value - expected) <= 635  # Word stores whole twips


def test_page_numbers_are_page_fields_odd_right_even_left(document):
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert "<w:instrText" in xml and " PAGE " in xml
        assert paragraph.text == "— 1 —"  # the field's cached value between the dashes
        assert paragraph.alignment == align


@pytest.mark.parametrize(("style", "east_asia"), [
    ("Normal", "仿宋_GB2312"), ("Body Text", "仿宋_GB2312"), ("Title", "方正小标宋简体"),
    ("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312"), ("Table Text", "仿宋_GB2312"),
    ("Footer", "宋体"),
])
def test_styles_name_chinese_fonts_without_theme_fonts(document, style, east_asia):
    fonts = document.styles[style].element.rPr.rFonts
    assert fonts.get(f"{W}eastAsia") == east_asia
    assert fonts.get(f"{W}ascii") in ("Times New Roman", "宋体")
    assert not [a for a in fonts.attrib if "Theme" in a or "theme" in a]


def test_body_is_three_hao_on_a_fixed_line_indented_two_characters(document):
    body = document.styles["Body Text"]
    assert body.font.size.pt == 16
    assert body.paragraph_format.line_spacing.pt == 28
    indent = body.element.pPr.find(f"{W}ind")
    assert indent.get(f"{W}firstLineChars") == "200"
    assert document.styles["Title"].font.size.pt == 22


def test_font_table_declares_fallbacks(docx_file):
    with zipfile.ZipFile(BytesIO(docx_file)) as archive:
        fonts = archive.read("word/fontTable.xml").decode()
    for name, fallback in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"),
                           ("方正小标宋简体", "黑体"), ("黑体", "SimHei")):
        assert re.search(rf'<w:font w:name="{name}"><w:altName w:val="{fallback}"/>'
                         r'<w:charset w:val="86"/>', fonts), name


def test_signature_date_starts_two_characters_right_of_the_issuer(document):
    issuer, date = [p for p in document.paragraphs if p.style.name == "Signature"]
    char = 16 * 20  # twips per 三号 character
    issuer_start = issuer.paragraph_format.right_indent.twips / char + display_width(issuer.text)
    date_start = date.paragraph_format.right_indent.twips / char + display_width(date.text)
    assert issuer_start - date_start == pytest.approx(2, abs=0.01)
    assert min(issuer.paragraph_format.right_indent.twips,
               date.paragraph_format.right_indent.twips) == pytest.approx(2 * char, abs=1)


# --- reproducibility ------------------------------------------------------------------------

def test_same_data_gives_the_same_bytes(data, docx_file, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    time.sleep(1.1)  # a different second: no timestamp may leak in
    path = tmp_path / "report.docx"
    write_report_docx(data, path)
    assert path.read_bytes() == docx_bytes(data)
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2018, 7, 5, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2018-07-05T00:00:00Z</dcterms:created>" in core
    assert "2018-07-05T00:00:00Z</dcterms:modified>" in core


def test_no_revision_ids_document_ids_or_template_leftovers(docx_file):
    with zipfile.ZipFile(BytesIO(docx_file)) as archive:
        names = archive.namelist()
        xml = "".join(archive.read(n).decode("utf-8") for n in names if n.endswith((".xml",
                                                                                   ".rels")))
    assert not re.search(r"w:rsid|w14:paraId|w14:textId|w14:docId", xml)
    assert "thumbnail" not in xml and "docProps/thumbnail.jpeg" not in names
    assert "stylesWithEffects" not in xml
    assert "python-docx" not in xml  # the template's author and comment are replaced


def test_english_document():
    data = build_report(ReportParameters(period="FY", lang="en"))
    document = docx.Document(BytesIO(docx_bytes(data)))
    headings = _paragraphs(document, "Heading 1")
    assert headings == ["1. Results against the targets", "2. Districts' results",
                        "3. Compared with mid-year and the year before",
                        "4. Problems and their causes",
                        "5. Priorities for 2019"]
    titles = _paragraphs(document, "Title")
    assert titles[1:3] == ["Indicator summary", "District ranking at the year end"]
    assert _paragraphs(document, "Annex Number")[:2] == ["Annex 1", "Annex 2"]
    assert _paragraphs(document, "Signature") == ["Wenzhou Civil Affairs Bureau",
                                                  "(date to be filled in)"]


# --- the block interface ------------------------------------------------------------------

def test_any_records_make_a_table():
    columns = [Column("名称", lambda r: r.name),
               Column("数量", lambda r: str(r.n), css="num"),
               Column("状态", lambda r: "滞后", status=lambda r: "lagging")]
    block = table_block([SimpleNamespace(name="甲", n=1), SimpleNamespace(name="甲", n=2)],
                        columns, caption="表")
    assert block.headers == ("名称", "数量", "状态")
    assert block.rows[1] == (Cell("甲"), Cell("2"), Cell("滞后", "lagging"))
    assert block.numeric == (False, True, False)


def test_narrative_blocks_become_document_blocks():
    run = SimpleNamespace
    narrative = [
        SimpleNamespace(kind="heading", level=2, runs=(run(text="主要做法", bold=False),),
                        items=(), ordered=False, line=1),
        SimpleNamespace(kind="paragraph", level=0, runs=(run(text="全市新增床位", bold=False),
                                                         run(text="7431张", bold=True)),
                        items=(), ordered=False, line=3),
        SimpleNamespace(kind="heading", level=3, runs=(run(text="一是抓设施", bold=False),),
                        items=(), ordered=False, line=5),
        SimpleNamespace(kind="list", level=0, runs=(), ordered=True, line=7,
                        items=((run(text="选址", bold=False),), (run(text="建设", bold=False),))),
    ]
    assert from_narrative(narrative, top_level=1) == [
        Heading("主要做法", 1),
        Paragraph((Span("全市新增床位"), Span("7431张", bold=True))),
        Heading("一是抓设施", 2),
        BulletList(((Span("选址"),), (Span("建设"),)), ordered=True),
    ]
    with pytest.raises(ValueError, match="unknown kind 'quote'"):
        from_narrative([SimpleNamespace(kind="quote", level=0, runs=(), line=9)])


def test_added_blocks_are_written_in_order_with_their_own_numbering(data):
    standard = report_blocks(data)
    chart = next(b for b in standard if isinstance(b, Figure))
    blocks = [*standard[:3],  # the 主送机关 and the notices
              Heading("总体情况"), Paragraph("截至6月30日。"),
              Heading("主要做法"), Paragraph((Span("新增"), Span("床位", bold=True))),
              BulletList(("甲", "乙"), ordered=True), BulletList(("丙",), ordered=True),
              Heading("小节", level=2), Table(("a",), ((Cell("1"),),), (True,)),
              Figure(chart.png, "热力图")]
    document = docx.Document(BytesIO(docx_bytes(data, blocks)))
    assert _paragraphs(document, "Heading 1") == ["一、总体情况", "二、主要做法"]
    assert _paragraphs(document, "Heading 2") == ["（一）小节"]
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "床位" in bold
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert len(numbered) == 3 and num_ids[0] == num_ids[1] != num_ids[2]  # each list from 1
    assert _paragraphs(document, "Caption") == ["图1　热力图"]


def test_column_widths_keep_numbers_on_one_line():
    block = Table(("指标", "年度目标", "完成率"),
                  ((Cell("县（市、区）本级启动建设200张床位以上公办护理型养老机构"), Cell("15000"),
                    Cell("49.5%")),), (False, True, True), (False, False, False))
    total = int(Cm(15.6))
    widths = column_widths(block, total)
    assert sum(widths) == total
    points = [w / 12700 for w in widths]
    assert points[1] >= display_width("15000") * 10.5 and points[2] >= 2.5 * 10.5
    assert points[0] > points[1]


def test_a_district_subset_report(data):
    subset = dataclasses.replace(data.params, districts=["鹿城区", "龙湾区"])
    part = build_report(subset)
    document = docx.Document(BytesIO(docx_bytes(part)))
    # no plan targets (they are the city's): the ranking is found by its header
    rows = next(_table_rows(g) for g in document.tables if _table_rows(g)[0][0] == "排名")
    assert {r[1] for r in rows[1:]} == {"鹿城区", "龙湾区"}
    assert "所选 2 个县（市、区）：鹿城区、龙湾区" in " ".join(_paragraphs(document,
                                                                      "Report Note"))


def test_column_widths_never_break_an_english_word_when_there_is_room():
    block = Table(("Indicator", "Cumulative actual", "Status"),
                  ((Cell("Community care stations newly run by social organisations"),
                    Cell("20,198"), Cell("Seriously lagging")),),
                  (False, True, False), (False, False, False))
    points = [w / 12700 for w in column_widths(block, int(Cm(15.6)))]
    assert points[1] >= display_width("Cumulative") * 10.5  # the header's longest word
    assert points[2] >= display_width("Seriously") * 10.5
    assert points[0] >= display_width("organisations") * 10.5


def test_written_sections_come_in_with_their_own_headings_renumbered(document, data):
    """data/raw/2018/narrative/H1.md: '## 一、主要做法' ... becomes a numbered part of
    总体进展 (its typed number dropped, not doubled), bold runs stay bold, the ordered list of
    下步打算 is a Word numbered list. The note on how many of its figures were checked is for
    the office, not the recipients: it stays in the HTML report's appendix."""
    texts = [p.text for p in document.paragraphs]
    assert "（一）主要做法" in texts and not any(t.startswith("（一）一、") for t in texts)
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "抓任务分解。" in bold
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert numbered and numbered[0].startswith("对泰顺县、文成县开展专项督导")
    note = label("narrative.note").format(references=data.narrative.references,
                                          numbers=data.narrative.numbers)
    assert note not in "\n".join(_paragraphs(document))
    assert data.narrative.references > 0 and data.narrative.numbers > 0


@pytest.mark.parametrize("text", ["鹿城区", " 前后空格 ", "A&B <c>", "一\t二\n三\r", "", "\n"])
def test_table_runs_are_what_python_docx_writes(text):
    """write_table builds cell XML as text; a run must equal python-docx's own run.text."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from helpers.render.word_tables import _run_xml

    def shape(element) -> list:
        return [(e.tag, e.text, sorted(e.attrib.items())) for e in element.iter()]

    expected = Document().add_paragraph().add_run(text)._r
    built = parse_xml(f'<w:p {nsdecls("w")}>{_run_xml(text, "")}</w:p>')[0]
    assert shape(built) == shape(expected)


def test_a_tall_picture_is_narrowed_to_fit_a_page():
    """A square picture fills the text width (15.6 cm); one four times as tall as wide is
    narrowed so that it is at most 20 cm high (22.5 cm of text height, less a caption)."""
    import io

    from PIL import Image

    from helpers.render.word import picture_width
    from helpers.render.word_layout import PICTURE_MAX_HEIGHT, TEXT_WIDTH

    def png(width: int, height: int) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", (width, height), "#FFFFFF").save(buffer, format="PNG")
        return buffer.getvalue()

    assert picture_width(png(100, 100)) == int(TEXT_WIDTH)
    assert PICTURE_MAX_HEIGHT == 20 * 360_000  # EMU per cm
    assert picture_width(png(100, 400)) == int(PICTURE_MAX_HEIGHT / 4)


def test_a_staged_figure_wraps_at_its_separators_not_widening_its_column():
    """累计完成 of a staged indicator (选址42、启动装修38、建成0) wraps at 、 as the page's
    does: its column is as wide as its widest part (启动装修38: 4 characters and 2 digits),
    not the whole text, so the indicator names beside it keep their room."""
    staged = "选址42、启动装修38、建成0"
    block = Table(("指标", "累计完成", "完成率"),
                  ((Cell("新增镇（街）养老服务中心（示范型居家养老服务中心）"), Cell(staged),
                    Cell("0.0%")),
                   (Cell("新增机构床位"), Cell("7599"), Cell("50.7%"))), (False, True, True))
    points = [w / 12700 for w in column_widths(block, int(Cm(15.6)))]
    size = 10.5  # the table's points per Chinese character
    assert points[1] < display_width(staged) * size
    assert points[1] >= display_width("启动装修38") * size
