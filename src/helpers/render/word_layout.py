"""The page and type of the Word document (after GB/T 9704-2012, 党政机关公文格式): A4 with the
official margins, the 字号 of title, body, notes and tables, the fonts and their fallbacks; the
section's page setup and its page-number footers."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

# --- page (GB/T 9704-2012: 天头 37 mm, 订口 28 mm, 版心 156 mm x 225 mm) -----------------------
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
TOP, BOTTOM, LEFT, RIGHT = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
FOOTER_DISTANCE = Cm(2.5)  # the page number sits about 7 mm below the text block
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
# a picture and its caption share a page: a tall chart (many indicators) is made narrower
PICTURE_MAX_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM - Cm(2.5)

# --- type (字号: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 五号 10.5 pt) --------------------
TITLE_SIZE, BODY_SIZE, FOOTER_SIZE, NOTE_SIZE, TABLE_SIZE = 22, 16, 14, 12, 10.5
SMALL_TABLE_SIZE = 9  # 小五, for tables of WIDE_TABLE_COLUMNS columns or more
WIDE_TABLE_COLUMNS = 8
BODY_LINE = Pt(28)  # 22 lines on the 225 mm text block
TITLE_LINE = Pt(35)
LATIN = "Times New Roman"
FANGSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
XIAOBIAOSONG = "方正小标宋简体"
# Font table entries: the name the document asks for and the one Word falls back to when it is
# not installed (仿宋_GB2312 ships with older Windows, 仿宋/FangSong with newer; likewise 楷体).
FONT_FALLBACKS = {
    FANGSONG: "仿宋", "仿宋": "FangSong", KAITI: "楷体", "楷体": "KaiTi", HEITI: "SimHei",
    SONGTI: "SimSun", XIAOBIAOSONG: HEITI,
}


# --- the page, its footers and their page numbers -------------------------------------------

def page_setup(document) -> None:
    """The section's A4 page, official margins and footers: page numbers outside, odd pages
    right and even pages left."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = Cm(1.5)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages: right, 1 char in
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)  # even: left, 1 char in


def _page_number(footer, align) -> None:
    """'— n —' with n a PAGE field, one character in from the outer edge."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.alignment = align
    side = "right" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left"
    indent = paragraph._p.get_or_add_pPr().get_or_add_ind()
    indent.set(qn(f"w:{side}Chars"), "100")
    indent.set(qn(f"w:{side}"), str(int(FOOTER_SIZE * 20)))
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


def _field(paragraph, instruction: str, shown: str) -> None:
    """A field (begin, instruction, separate, cached result, end) that Word updates."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(shown)
    char("end")
