"""The page and type of the Word document (after GB/T 9704-2012, 党政机关公文格式): A4 with the
official margins, the 字号 of title, body, notes and tables, the fonts and their fallbacks."""

from __future__ import annotations

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
