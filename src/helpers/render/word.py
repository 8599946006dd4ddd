"""report.docx: the report as the Word document the bureau sends, in the house style of a Chinese
government report (after GB/T 9704-2012, 党政机关公文格式), written from the format-neutral
blocks of helpers.render.document_blocks.

House style: A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (a 156 x 225 mm text
block); title in 小标宋 二号 (22 pt), centred; body in 仿宋 三号 (16 pt) on a fixed 28 pt line,
first lines indented two characters; headings 一、 in 黑体, （一） in 楷体, 1． in bold 仿宋;
page numbers in the footer as '— 1 —' in 宋体 四号 (a PAGE field), odd pages right and even
pages left; tables and captions in 五号 / 小四. Fonts are declared with fallbacks in the font
table (仿宋_GB2312 -> 仿宋, 楷体_GB2312 -> 楷体, 方正小标宋简体 -> 黑体), set on the eastAsia slot
so Word uses them for Chinese, with Times New Roman for Latin letters and digits.

Reproducible: no random ids or revision marks (the template's rsids and docId are removed),
fixed document properties and zip entry times (helpers.core.reproducible_files.normalized_zip), so
the same data and parameters give the same bytes. Editable: real headings (outline levels,
navigation pane), real tables (header row repeated on every page, rows never split), text
wherever there is text; only charts are pictures."""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Pt, RGBColor, Twips
from lxml import etree

from helpers.core.atomic_io import write_bytes_atomic
from helpers.core.reproducible_files import document_timestamp, normalized_zip
from helpers.render.document_blocks import (
    AnnexList,
    AnnexTitle,
    Block,
    BulletList,
    Figure,
    Heading,
    Paragraph,
    SignOff,
    Span,
    Table,
    Text,
    report_blocks,
)
from helpers.render.word_layout import (
    BODY_LINE,
    BODY_SIZE,
    FANGSONG,
    FONT_FALLBACKS,
    FOOTER_SIZE,
    HEITI,
    KAITI,
    LATIN,
    NOTE_SIZE,
    PICTURE_MAX_HEIGHT,
    SMALL_TABLE_SIZE,
    SONGTI,
    TABLE_SIZE,
    TEXT_WIDTH,
    TITLE_LINE,
    TITLE_SIZE,
    XIAOBIAOSONG,
    page_setup,
)
from helpers.render.word_tables import display_width, keep_rows_as_text, with_rows, write_table
from helpers.words.labels import (
    document_issuer,
    heading_number,
    label,
    report_title,
    signing_date,
)

GB2312_CHARSET = "86"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
NOTICE_COLOUR = "C00000"
# Word refuses a paragraph whose properties are out of schema order: what follows w:numPr.
_AFTER_NUMPR = ("w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
                "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing",
                "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


# --- fonts and styles ----------------------------------------------------------------------

def _set_fonts(rpr_parent, east_asia: str, latin: str = LATIN) -> None:
    """Set a style's or run's fonts explicitly (Latin slots and eastAsia), dropping theme fonts
    (a theme attribute would win over the explicit name)."""
    if hasattr(rpr_parent, "get_or_add_rPr"):
        fonts = rpr_parent.get_or_add_rPr().get_or_add_rFonts()
    else:  # w:rPrDefault, a plain element whose w:rPr/w:rFonts the template has
        fonts = rpr_parent.find(qn("w:rPr")).find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for slot, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia),
                       ("cs", latin)):
        fonts.set(qn(f"w:{slot}"), name)


def _clear(element, *tags: str) -> None:
    for tag in tags:
        for child in element.findall(qn(tag)):
            element.remove(child)


def _style(document, name: str, *, east_asia: str, size: float, latin: str = LATIN,
           bold: bool = False, align=None, line: Pt | None = None, first_line_chars: int = 0,
           space_before: float = 0, space_after: float = 0, keep_next: bool = False,
           based_on: str | None = "Normal", colour: str | None = None):
    """Create or restyle paragraph style `name`: fonts, size, alignment, spacing, indent."""
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if based_on is not None and name != based_on:
        style.base_style = styles[based_on]
    element = style.element
    rpr = element.get_or_add_rPr()
    _clear(rpr, "w:color", "w:b", "w:bCs", "w:i", "w:iCs", "w:spacing", "w:kern")
    _set_fonts(element, east_asia, latin)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor.from_string(colour) if colour else None
    ppr = element.get_or_add_pPr()
    _clear(ppr, "w:pBdr", "w:contextualSpacing")
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing, fmt.line_spacing_rule = line, WD_LINE_SPACING.EXACTLY
    fmt.keep_with_next = keep_next or None
    _first_line_indent(ppr, first_line_chars, size)
    return style


def _first_line_indent(ppr, chars: int, size: float) -> None:
    """Indent the first line by `chars` characters (Word's character units, with the twips
    value for programs that ignore them)."""
    if chars == 0:
        indent = ppr.find(qn("w:ind"))
        if indent is not None:
            for attr in ("w:firstLine", "w:firstLineChars"):
                indent.attrib.pop(qn(attr), None)
        return
    indent = ppr.get_or_add_ind()
    indent.set(qn("w:firstLineChars"), str(chars * 100))
    indent.set(qn("w:firstLine"), str(int(chars * size * 20)))


def _house_styles(document, lang: str) -> None:
    """Every style the document uses, in the house style."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    _set_fonts(rpr_default, FANGSONG)
    language = rpr_default.find(qn("w:rPr")).find(qn("w:lang"))
    language.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _clear(ppr_default, "w:spacing")
    centre, right, both = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, \
        WD_ALIGN_PARAGRAPH.JUSTIFY
    _style(document, "Normal", east_asia=FANGSONG, size=BODY_SIZE, based_on=None)
    _style(document, "Body Text", east_asia=FANGSONG, size=BODY_SIZE, align=both,
           line=BODY_LINE, first_line_chars=2)
    _style(document, "Title", east_asia=XIAOBIAOSONG, size=TITLE_SIZE, align=centre,
           line=TITLE_LINE)
    _style(document, "Document Number", east_asia=FANGSONG, size=BODY_SIZE, align=centre,
           line=BODY_LINE)
    _style(document, "Report Facts", east_asia=KAITI, size=FOOTER_SIZE, align=centre,
           line=Pt(24))
    _style(document, "Demo Notice", east_asia=FANGSONG, size=FOOTER_SIZE, bold=True,
           align=both, line=Pt(24), colour=NOTICE_COLOUR, space_before=6,
           space_after=6)
    _style(document, "Heading 1", east_asia=HEITI, size=BODY_SIZE, line=BODY_LINE,
           first_line_chars=2, keep_next=True)
    _style(document, "Heading 2", east_asia=KAITI, size=BODY_SIZE, line=BODY_LINE,
           first_line_chars=2, keep_next=True)
    _style(document, "Heading 3", east_asia=FANGSONG, size=BODY_SIZE, bold=True,
           line=BODY_LINE, first_line_chars=2, keep_next=True)
    _style(document, "Report Note", east_asia=FANGSONG, size=NOTE_SIZE, align=both,
           line=Pt(20), first_line_chars=2, space_before=3)
    _style(document, "List Bullet", east_asia=FANGSONG, size=BODY_SIZE, align=both,
           line=BODY_LINE)
    _style(document, "List Number", east_asia=FANGSONG, size=BODY_SIZE, align=both,
           line=BODY_LINE)
    _style(document, "Table Text", east_asia=FANGSONG, size=TABLE_SIZE)
    _style(document, "Table Heading", east_asia=HEITI, size=TABLE_SIZE, align=centre)
    _style(document, "Table Text Small", east_asia=FANGSONG, size=SMALL_TABLE_SIZE)
    _style(document, "Table Heading Small", east_asia=HEITI, size=SMALL_TABLE_SIZE,
           align=centre)
    _style(document, "Figure", east_asia=FANGSONG, size=TABLE_SIZE, align=centre,
           space_before=6, keep_next=True)
    _style(document, "Caption", east_asia=HEITI, size=NOTE_SIZE, align=centre,
           space_after=6)
    _style(document, "Signature", east_asia=FANGSONG, size=BODY_SIZE, align=right,
           line=BODY_LINE)
    # 主送机关: flush left under the title (GB/T 9704), ending in a colon
    _style(document, "Recipients", east_asia=FANGSONG, size=BODY_SIZE, align=both,
           line=BODY_LINE)
    # 附件说明: two characters in, the items after the first aligned under it (GB/T 9704 7.3.4)
    _style(document, "Annex List", east_asia=FANGSONG, size=BODY_SIZE, align=both,
           line=BODY_LINE)
    # a 附件 starts a page: 附件N in 黑体 flush left, its title centred (GB/T 9704 7.5)
    _style(document, "Annex Number", east_asia=HEITI, size=BODY_SIZE, line=BODY_LINE,
           keep_next=True)
    document.styles["Annex Number"].paragraph_format.page_break_before = True
    _style(document, "Footer", east_asia=SONGTI, latin=SONGTI, size=FOOTER_SIZE)
    _strip_revision_ids(document.styles.element)
    _mark_outline(document)
    _apply_bullet_indent(document)


def _mark_outline(document) -> None:
    """Headings keep their outline levels (navigation pane, table of contents)."""
    for level in (1, 2, 3):
        ppr = document.styles[f"Heading {level}"].element.get_or_add_pPr()
        if ppr.find(qn("w:outlineLvl")) is None:
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level - 1))
            ppr.insert_element_before(outline, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                                      "w:pPrChange")


def _apply_bullet_indent(document) -> None:
    """List items hang from two characters in, like body paragraphs."""
    for name in ("List Bullet", "List Number"):
        ppr = document.styles[name].element.get_or_add_pPr()
        _clear(ppr, "w:ind")
        indent = ppr.get_or_add_ind()
        indent.set(qn("w:left"), str(int(4 * BODY_SIZE * 20)))
        indent.set(qn("w:hanging"), str(int(2 * BODY_SIZE * 20)))


def _strip_revision_ids(element) -> None:
    """Drop w:rsid* elements and attributes (revision-session ids a template carries)."""
    # found by lxml, not by visiting each node in Python: a province's document has millions
    for attribute in _RSID_ATTRIBUTES(element, w=qn("w:rsid")[1:].split("}")[0]):
        del attribute.getparent().attrib[attribute.attrname]
    for node in list(element.iter(qn("w:rsid"), qn("w:rsids"))):
        node.getparent().remove(node)


_RSID_ATTRIBUTES = etree.XPath(
    "descendant-or-self::*/@*[namespace-uri() = $w and starts-with(local-name(), 'rsid')]")


def _declare_fonts(document) -> None:
    """Font table entries with their fallback (altName) and the GB2312 character set, so Word
    substitutes a near font where the named one is missing. (python-docx keeps the font table
    as plain bytes: parsed, extended and serialised back here.)"""
    font_table = document.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(font_table.blob)
    for name, fallback in FONT_FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", fallback), ("w:charset", GB2312_CHARSET),
                           ("w:family", "modern"), ("w:pitch", "fixed")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    font_table._blob = serialize_part_xml(root)


# --- settings, properties ------------------------------------------------------------------

def _settings(document, lang: str) -> None:
    """Settings without revision ids or a document id; theme fonts resolved for Chinese."""
    settings = document.settings.element
    _strip_revision_ids(settings)
    for node in list(settings.iter("{http://schemas.microsoft.com/office/word/2010/wordml}docId")):
        node.getparent().remove(node)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _drop_template_extras(document) -> None:
    """The template's thumbnail (a picture of an empty page), bibliography part and Word 2010
    style copy (stylesWithEffects, full of revision ids)."""
    package_rels = document.part.package.rels
    for rid in [r for r, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rid]
    for rid in [r for r, rel in document.part.rels.items()
                if rel.reltype in (RT.CUSTOM_XML, STYLES_WITH_EFFECTS)]:
        del document.part.rels[rid]


def _properties(document, params, title: str) -> None:
    props = document.core_properties
    props.title = title
    props.subject = label(f"report.{params.period}", params.lang)
    props.author = document_issuer(params)
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = params.doc_number or ""
    props.category = ""
    props.language = "zh-CN" if params.lang == "zh" else "en-US"
    props.revision = 1
    stamp = document_timestamp(params.drafted_on)
    props.created = props.modified = stamp


# --- blocks --------------------------------------------------------------------------------

def _add_text(paragraph, text: Text) -> None:
    if isinstance(text, str):
        paragraph.add_run(text)
        return
    for span in text:
        run = paragraph.add_run(span.text)
        if span.bold:
            run.bold = True


class _Writer:
    """Writes blocks in order, numbering headings and figures as it goes."""

    def __init__(self, document, params):
        self.document = document
        self.params = params
        self.lang = params.lang
        self.numbers = [0, 0, 0]
        self.figures = 0
        self.lists = 0
        self.style_ids: dict[str, str | None] = {}

    def add_paragraph(self, style: str, text: str = ""):
        """document.add_paragraph(text, style=style), the style's id looked up once per name:
        python-docx searches every style for the default one each time (same XML)."""
        if style not in self.style_ids:
            self.style_ids[style] = self.document.part.get_style_id(style,
                                                                    WD_STYLE_TYPE.PARAGRAPH)
        paragraph = self.document.add_paragraph(text)
        paragraph._p.style = self.style_ids[style]
        return paragraph

    def write(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, BulletList):
            self.bullets(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, AnnexList):
            self.annex_list(block)
        elif isinstance(block, SignOff):
            _signature(self.document, self.params)
        elif isinstance(block, AnnexTitle):
            self.annex_title(block)
        else:
            raise TypeError(f"not a document block: {block!r}")

    def annex_list(self, block: AnnexList) -> None:
        """附件：1．… with the further items aligned under the first item."""
        self.add_paragraph("Body Text")  # a blank line after the text
        indent = (2 + display_width(block.head)) * BODY_SIZE * 20
        for number, item in enumerate(block.items):
            paragraph = self.add_paragraph("Annex List", (block.head if number == 0 else "")
                                           + item)
            fmt = paragraph.paragraph_format
            fmt.left_indent = Twips(int(indent))
            fmt.first_line_indent = Twips(-int(display_width(block.head) * BODY_SIZE * 20)
                                          if number == 0 else 0)

    def annex_title(self, block: AnnexTitle) -> None:
        """A new page: 附件N, then the title centred; the headings inside number afresh."""
        self.numbers = [0, 0, 0]
        self.add_paragraph("Annex Number", block.number)
        self.add_paragraph("Title", block.title)
        self.add_paragraph("Normal")

    def heading(self, block: Heading) -> None:
        level = min(max(block.level, 1), 3)
        self.numbers[level - 1] += 1
        for lower in range(level, 3):
            self.numbers[lower] = 0
        number = heading_number(level, self.numbers[level - 1], self.lang)
        self.add_paragraph(f"Heading {level}", number + block.text)

    def paragraph(self, block: Paragraph) -> None:
        style = {"body": "Body Text", "facts": "Report Facts", "note": "Report Note",
                 "notice": "Demo Notice", "recipients": "Recipients"}[block.kind]
        paragraph = self.add_paragraph(style)
        _add_text(paragraph, block.text)
        if block.kind == "notice":
            _box(paragraph, NOTICE_COLOUR)

    def bullets(self, block: BulletList) -> None:
        style = "List Number" if block.ordered else "List Bullet"
        restart = self._restarted_numbering() if block.ordered else None
        for item in block.items:
            paragraph = self.add_paragraph(style)
            if restart is not None:
                _numbering(paragraph, restart)
            _add_text(paragraph, item)

    def _restarted_numbering(self) -> int:
        """A new list instance of the style's numbering that starts again at 1."""
        numbering = self.document.part.numbering_part.element
        style_num = self.document.styles["List Number"].element.pPr.numPr.numId.val
        abstract = next(n for n in numbering.findall(qn("w:num"))
                        if n.get(qn("w:numId")) == str(style_num)).find(
            qn("w:abstractNumId")).get(qn("w:val"))
        new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(new_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), abstract)
        num.append(ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        numbering.append(num)
        return new_id

    def table(self, block: Table) -> None:
        if block.caption:
            self.add_paragraph("Caption", block.caption).paragraph_format.keep_with_next = True
        write_table(self.document, block)

    def figure(self, block: Figure) -> None:
        self.figures += 1
        paragraph = self.add_paragraph("Figure")
        paragraph.add_run().add_picture(io.BytesIO(block.png), width=picture_width(block.png))
        caption = label("doc.figure", self.lang).format(n=self.figures, caption=block.caption)
        self.add_paragraph("Caption", caption)


def picture_width(png: bytes) -> int:
    """The text width, or less where the picture would then be taller than a page allows."""
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's IHDR fields
    return min(int(TEXT_WIDTH), int(PICTURE_MAX_HEIGHT * width / height))


def _numbering(paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    level = OxmlElement("w:ilvl")
    level.set(qn("w:val"), "0")
    number = OxmlElement("w:numId")
    number.set(qn("w:val"), str(num_id))
    numpr.append(level)
    numpr.append(number)
    ppr.insert_element_before(numpr, *_AFTER_NUMPR)


def _box(paragraph, colour: str) -> None:
    """A border around a paragraph (the demo-data notice)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "12"), ("space", "4"), ("color", colour)):
            edge.set(qn(f"w:{key}"), value)
        borders.append(edge)
    ppr.insert_element_before(borders, *_AFTER_NUMPR[2:])



# --- the document --------------------------------------------------------------------------

def _signature(document, params) -> None:
    """落款: one blank line after the text, then the issuing body and, below it, 成文日期. In
    Chinese the date ends two characters from the right margin and starts two characters to
    the right of where the issuer starts (GB/T 9704-2012 7.3.5.2, without a seal)."""
    issuer = document_issuer(params)
    date = signing_date(params)
    document.add_paragraph(style="Body Text")
    if params.lang == "zh":
        date_right = 2.0
        issuer_right = max(2.0, date_right + display_width(date) - display_width(issuer) + 2)
        date_right = issuer_right + display_width(issuer) - 2 - display_width(date)
    else:
        issuer_right = date_right = 0.0
    for text, right in ((issuer, issuer_right), (date, date_right)):
        paragraph = document.add_paragraph(text, style="Signature")
        paragraph.paragraph_format.right_indent = Twips(int(right * BODY_SIZE * 20))


def build_document(data, blocks: Sequence[Block] | None = None, rows_as_text: bool = False):
    """The report as a python-docx Document: title (and 文号), the blocks (default: the whole
    report, helpers.render.document_blocks.report_blocks), the 落款 where the blocks place it
    (SignOff) or at the end; `rows_as_text`: its tables' rows only in the saved file
    (word_tables.keep_rows_as_text)."""
    params = data.params
    document = Document()
    if rows_as_text:
        keep_rows_as_text(document)
    _drop_template_extras(document)
    _settings(document, params.lang)
    _house_styles(document, params.lang)
    _declare_fonts(document)
    page_setup(document)
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)  # the template's empty first paragraph
    title = report_title(params)
    if params.doc_number:
        document.add_paragraph(params.doc_number, style="Document Number")
        document.add_paragraph(style="Document Number")
    document.add_paragraph(title, style="Title")
    document.add_paragraph(style="Normal")
    writer = _Writer(document, params)
    blocks = report_blocks(data) if blocks is None else blocks
    for block in blocks:
        writer.write(block)
    if not any(isinstance(block, SignOff) for block in blocks):  # a brief: 落款 at the end
        _signature(document, params)
    _properties(document, params, title)
    _strip_revision_ids(document.element)  # the template's section properties carry some
    return document


def docx_bytes(data, blocks: Sequence[Block] | None = None) -> bytes:
    """report.docx as bytes, the same for the same data and parameters."""
    raw = io.BytesIO()
    document = build_document(data, blocks, rows_as_text=True)
    document.save(raw)
    return normalized_zip(raw.getvalue(), document_timestamp(data.params.drafted_on),
                          {"word/document.xml": with_rows(document)})


def write_report_docx(data, path: Path, blocks: Sequence[Block] | None = None) -> None:
    """Write report.docx reproducibly and atomically at `path`."""
    write_bytes_atomic(Path(path), docx_bytes(data, blocks))


__all__ = ["Span", "build_document", "docx_bytes", "write_report_docx"]
