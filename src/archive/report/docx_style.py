"""The DOCX report's house style: the 公文 format of GB/T 9704-2012, as an office's own paper.

    A4 (210 × 297 mm); 天头 (top) 37 mm, 订口 (left) 28 mm, so a 156 × 225 mm text block: right
    26 mm, bottom 35 mm. Title 二号 (22 pt) 小标宋; body 三号 (16 pt) 仿宋 on a fixed 28-pt line,
    first lines indented two characters; headings 黑体 (一、) and 仿宋 bold (1．); the information
    and citation lines 楷体 四号. Page numbers 「— 1 —」 in 宋体 四号 (14 pt) 7 mm under the text
    block, at the outer edge one character in: odd pages right, even pages left.

Fonts are named as Word and WPS on Windows know them, in w:rFonts' w:eastAsia (Latin text in
Times New Roman), theme fonts removed. The font table lists each with w:altName fallbacks (a
comma-separated list the reader tries when the first name is missing: 仿宋_GB2312 → 仿宋 →
FangSong; 方正小标宋简体 → 华文中宋 → 黑体) and its GB2312 charset, so an office without the
_GB2312 fonts still gets 仿宋, not a Latin face."""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

# --- the page (GB/T 9704-2012, 5.2) -----------------------------------------------------------------
PAGE_W_MM, PAGE_H_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
FOLIO_GAP_MM = 7  # the page number's line sits this far under the text block
FOOTER_MM = 21  # page bottom → the folio line's bottom: its top ≈ BOTTOM_MM - FOLIO_GAP_MM from the bottom

# --- sizes (字号 in points) ---------------------------------------------------------------------------
ER_HAO, SAN_HAO, SI_HAO, WU_HAO = 22, 16, 14, 10.5  # 二号, 三号, 四号, 五号
LINE_PT = 28  # the body's fixed line (22 lines on a 225 mm block)
TITLE_LINE_PT = 36
TABLE_LINE_PT = 16  # the table layout is set in 五号

# --- fonts: the name Word/WPS use, then the fall-backs the font table gives it ------------------------
FANGSONG, KAITI, HEITI, SONGTI, XBS = "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"
LATIN = "Times New Roman"
FALLBACKS = {
    FANGSONG: ("仿宋", "FangSong", "FangSong_GB2312"),
    KAITI: ("楷体", "KaiTi", "KaiTi_GB2312"),
    XBS: ("方正小标宋_GBK", "华文中宋", "STZhongsong", HEITI, "SimHei"),
    HEITI: ("SimHei",),
    SONGTI: ("SimSun",),
}
PANOSE = {FANGSONG: "02010609060101010101", KAITI: "02010609060101010101", HEITI: "02010609060101010101",
          SONGTI: "02010600030101010101", XBS: "02000000000000000000"}
BLACK = RGBColor(0, 0, 0)

# --- the report's own paragraph styles ----------------------------------------------------------------
INFO, BODY, CITE, REF = "Report Info", "Report Body", "Report Citation", "Report Reference"
CONDITIONS, CELL, CELL_CENTRED, HEAD_CELL = "Report Conditions", "Report Cell", "Report Cell Centred", "Report Head Cell"
FOLIO = "Report Folio"
_STYLES = {  # name: (east Asian font, size, bold, line (pt), first-line indent (characters), alignment)
    "Normal": (FANGSONG, SAN_HAO, False, LINE_PT, 0, None),
    "Title": (XBS, ER_HAO, False, TITLE_LINE_PT, 0, WD_ALIGN_PARAGRAPH.CENTER),
    CONDITIONS: (KAITI, SAN_HAO, False, LINE_PT, 0, WD_ALIGN_PARAGRAPH.CENTER),
    "Heading 1": (HEITI, SAN_HAO, False, LINE_PT, 2, None),
    "Heading 2": (FANGSONG, SAN_HAO, True, LINE_PT, 2, None),
    INFO: (KAITI, SI_HAO, False, LINE_PT, 2, None),
    BODY: (FANGSONG, SAN_HAO, False, LINE_PT, 2, WD_ALIGN_PARAGRAPH.JUSTIFY),
    CITE: (KAITI, SI_HAO, False, LINE_PT, 2, None),
    REF: (FANGSONG, SI_HAO, False, LINE_PT, 0, WD_ALIGN_PARAGRAPH.JUSTIFY),
    CELL: (FANGSONG, WU_HAO, False, TABLE_LINE_PT, 0, None),
    CELL_CENTRED: (FANGSONG, WU_HAO, False, TABLE_LINE_PT, 0, WD_ALIGN_PARAGRAPH.CENTER),
    HEAD_CELL: (HEITI, WU_HAO, False, TABLE_LINE_PT, 0, WD_ALIGN_PARAGRAPH.CENTER),
    FOLIO: (SONGTI, SI_HAO, False, None, 0, None),
}
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr, east_asia: str, latin: str = LATIN) -> None:
    """w:rFonts on a w:rPr: ``east_asia`` for CJK, ``latin`` for the rest; theme fonts removed;
    w:lang marks the text zh-CN."""
    fonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:  # python-docx has no accessor for w:lang; keep the schema's element order
        lang = rpr.insert_element_before(OxmlElement("w:lang"), "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _char_format(rpr, font, east_asia: str, size: float, bold: bool) -> None:
    for tag in ("w:spacing", "w:kern"):  # the template's Title is letter-spaced and kerned
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    set_fonts(rpr, east_asia)
    font.size, font.bold, font.color.rgb = Pt(size), bold, BLACK
    cs_size = rpr.find(qn("w:szCs"))
    if cs_size is None:
        cs_size = OxmlElement("w:szCs")
        rpr.find(qn("w:sz")).addnext(cs_size)
    cs_size.set(qn("w:val"), str(round(size * 2)))


def _style(doc, name: str):
    styles = doc.styles
    east_asia, size, bold, line, indent, align = _STYLES[name]
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
    _char_format(style.element.get_or_add_rPr(), style.font, east_asia, size, bold)
    linked = style.element.find(qn("w:link"))  # e.g. Title → TitleChar: keep the pair alike
    if linked is not None:
        for char_style in styles:
            if char_style.style_id == linked.get(qn("w:val")) and char_style.type == WD_STYLE_TYPE.CHARACTER:
                _char_format(char_style.element.get_or_add_rPr(), char_style.font, east_asia, size, bold)
    pf = style.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    if line:
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line)
    pf.first_line_indent = Pt(indent * size) if indent else Pt(0)
    pf.left_indent = Pt(0)
    if align is not None:
        pf.alignment = align
    pf.widow_control = True
    return style


def setup_styles(doc) -> None:
    """Normal, Title, Heading 1/2 and the report's own styles in the house style."""
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, FANGSONG)
    for tag in ("w:sz", "w:szCs"):
        defaults.find(qn(tag)).set(qn("w:val"), str(SAN_HAO * 2))
    ppr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for el in ppr.findall(qn("w:spacing")):  # the template's 10 pt after every paragraph
        ppr.remove(el)
    for name in _STYLES:
        _style(doc, name)
    title = doc.styles["Title"]
    border = title.element.pPr.find(qn("w:pBdr"))
    if border is not None:
        title.element.pPr.remove(border)
    title.paragraph_format.space_after = Pt(LINE_PT)  # 标题下空一行
    for name in ("Heading 1", "Heading 2", INFO):  # a row's heading and information line stay with its text
        doc.styles[name].paragraph_format.keep_with_next = True
    doc.styles["Heading 1"].paragraph_format.space_before = Pt(LINE_PT / 2)
    ref = doc.styles[REF].paragraph_format
    ref.left_indent, ref.first_line_indent = Pt(2 * SI_HAO), Pt(-2 * SI_HAO)


def _font_entry(name: str):
    alt = ",".join(FALLBACKS.get(name, ()))
    return parse_xml(
        f'<w:font {nsdecls("w")} w:name="{name}">' + (f'<w:altName w:val="{alt}"/>' if alt else "")
        + f'<w:panose1 w:val="{PANOSE[name]}"/><w:charset w:val="86"/><w:family w:val="modern"/>'
        '<w:pitch w:val="fixed"/></w:font>')


def setup_font_table(doc) -> None:
    """The font table: Times New Roman and the CJK faces used, each with its fall-backs."""
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    fonts = parse_xml(part.blob)
    for font in list(fonts):
        if font.get(qn("w:name")) not in (LATIN, "Symbol"):
            fonts.remove(font)
    for name in PANOSE:
        fonts.append(_font_entry(name))
    from lxml import etree
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_field(paragraph) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _folio(footer, doc, odd: bool) -> None:
    """「— N —」 at the outer edge, one character (四号) in."""
    p = footer.paragraphs[0]
    p.style = doc.styles[FOLIO]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    pf = p.paragraph_format
    pf.right_indent, pf.left_indent = (Pt(SI_HAO), Pt(0)) if odd else (Pt(0), Pt(SI_HAO))
    p.add_run("— ")
    _page_field(p)
    p.add_run(" —")


def setup_page(doc) -> None:
    """A4, the 公文 margins, and the page numbers: odd pages at the right, even at the left."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance, section.footer_distance = Mm(15), Mm(FOOTER_MM)
    section.gutter = 0
    doc.settings.odd_and_even_pages_header_footer = True
    _folio(section.footer, doc, odd=True)
    _folio(section.even_page_footer, doc, odd=False)
