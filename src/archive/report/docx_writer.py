"""DOCX report (python-docx), laid out as a Chinese office document.

A4, margins 2.54 cm top and bottom and 3.18 cm left and right (Word's Chinese defaults), page
numbers 「第 X 页 共 Y 页」 in the footer. Title 黑体 小二, centred; then the conditions in words
(检索词：…；单位：…；日期：…) and 「共 N 条」; each row as a numbered heading (栏目 › 标题, 黑体
四号), an information line (date · issue · pages · unit · author, 仿宋), its text in 宋体 小四 with
a two-character first-line indent, and its citation (出处：《中铝股份党群工作》…); at the end the
GB/T 7714 references, numbered as the rows are ([1] …). A report of no rows says
「没有符合条件的结果」.

Fonts are set on the styles (docDefaults, Normal, Title, Heading 1/2 and this module's own) as
w:rFonts with w:eastAsia for the Chinese text and w:ascii/w:hAnsi for Latin text, and the theme
font attributes removed (they would override both in Word and WPS); w:lang marks the text zh-CN.

Memory: python-docx holds the whole document in memory (an lxml tree) until it is saved, so this
writer does not stream the way the XLSX/CSV/Markdown ones do. The rows themselves are not kept:
each becomes paragraphs as it arrives, and only its GB/T line is collected for the references."""
from __future__ import annotations

import datetime as dt
import io
from typing import BinaryIO, Iterable, Mapping

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ._zip import rezip
from .labels import (EMPTY_LABEL, body_text, clean, conditions_label, count_label, date_label,
                     generated_label, issue_label, kind_label, page_label, title_label, unit_label)
from .meta import ReportMeta

SONG, HEI, FANGSONG = "宋体", "黑体", "仿宋"
SERIF, SANS = "Times New Roman", "Arial"
BLACK, GREY = RGBColor(0, 0, 0), RGBColor(0x40, 0x40, 0x40)
INFO, BODY, CITE, REF = "Report Info", "Report Body", "Report Citation", "Report Reference"
CONDITIONS = "Report Conditions"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr, east_asia: str, latin: str) -> None:
    """w:rFonts on a w:rPr: ``east_asia`` for CJK, ``latin`` for the rest; theme fonts removed."""
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


def _char_format(rpr, font, *, east_asia: str, latin: str, size: float, bold: bool, color: RGBColor) -> None:
    for tag in ("w:spacing", "w:kern"):  # the template's Title is letter-spaced and kerned
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    set_fonts(rpr, east_asia, latin)
    font.size, font.bold, font.color.rgb = Pt(size), bold, color
    cs_size = rpr.find(qn("w:szCs"))
    if cs_size is None:
        cs_size = OxmlElement("w:szCs")
        rpr.find(qn("w:sz")).addnext(cs_size)
    cs_size.set(qn("w:val"), str(round(size * 2)))


def _style(doc, name: str, *, east_asia: str, latin: str, size: float, bold: bool = False,
           color: RGBColor = BLACK, base: str | None = "Normal"):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base] if base else None
        style.quick_style = True
    fmt = dict(east_asia=east_asia, latin=latin, size=size, bold=bold, color=color)
    _char_format(style.element.get_or_add_rPr(), style.font, **fmt)
    linked = style.element.find(qn("w:link"))  # e.g. Title → TitleChar: keep the pair alike
    if linked is not None:
        for char_style in styles:
            if char_style.style_id == linked.get(qn("w:val")) and char_style.type == WD_STYLE_TYPE.CHARACTER:
                _char_format(char_style.element.get_or_add_rPr(), char_style.font, **fmt)
    pf = style.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = 1.5 if name == BODY else 1.25
    return style


def _setup_styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, SONG, SERIF)
    for tag in ("w:sz", "w:szCs"):
        defaults.find(qn(tag)).set(qn("w:val"), "24")
    ppr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for el in ppr.findall(qn("w:spacing")):  # the template's 10 pt after every paragraph
        ppr.remove(el)
    _style(doc, "Normal", east_asia=SONG, latin=SERIF, size=12, base=None)
    title = _style(doc, "Title", east_asia=HEI, latin=SANS, size=18)
    border = title.element.pPr.find(qn("w:pBdr"))
    if border is not None:
        title.element.pPr.remove(border)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    h1 = _style(doc, "Heading 1", east_asia=HEI, latin=SANS, size=16)
    h1.paragraph_format.space_before, h1.paragraph_format.space_after = Pt(18), Pt(6)
    h2 = _style(doc, "Heading 2", east_asia=HEI, latin=SANS, size=14)
    h2.paragraph_format.space_before, h2.paragraph_format.space_after = Pt(14), Pt(4)
    info = _style(doc, INFO, east_asia=FANGSONG, latin=SERIF, size=10.5, color=GREY)
    info.paragraph_format.space_after = Pt(4)
    info.paragraph_format.keep_with_next = True  # a row's heading and information line stay with its text
    conditions = _style(doc, CONDITIONS, east_asia=FANGSONG, latin=SERIF, size=10.5, color=GREY)
    conditions.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    conditions.paragraph_format.space_after = Pt(4)
    body = _style(doc, BODY, east_asia=SONG, latin=SERIF, size=12)
    body.paragraph_format.first_line_indent = Pt(24)  # 首行缩进 2 字符 at 小四
    body.paragraph_format.widow_control = True
    cite = _style(doc, CITE, east_asia=FANGSONG, latin=SERIF, size=10.5)
    cite.paragraph_format.space_before = Pt(2)
    ref = _style(doc, REF, east_asia=SONG, latin=SERIF, size=10.5)
    ref.paragraph_format.left_indent, ref.paragraph_format.first_line_indent = Pt(24), Pt(-24)
    ref.paragraph_format.space_after = Pt(3)


def _field(paragraph, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.18)
    section.header_distance = section.footer_distance = Cm(1.5)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Normal"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页 共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")
    for run in footer.runs:
        run.font.size = Pt(10.5)


def _properties(doc, meta: ReportMeta) -> None:
    cp = doc.core_properties
    when = meta.generated
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    cp.title, cp.subject, cp.keywords = clean(meta.title), conditions_label(meta), clean(meta.query)
    cp.author = cp.last_modified_by = "archive"
    cp.created = cp.modified = when
    cp.revision = 1
    # the template's thumbnail (an empty English page) and its Word 2010 copy of the styles
    # (the old fonts, 430 kB) would contradict the styles above: drop both
    for rels, reltype in ((doc.part.package.rels, RT.THUMBNAIL), (doc.part.rels, _STYLES_WITH_EFFECTS)):
        for rid, rel in list(rels.items()):
            if rel.reltype == reltype:
                del rels[rid]


class _Body:
    """Appends paragraphs straight to the body's XML, just before its w:sectPr.

    python-docx's add_paragraph looks the style up by name among the template's ~160 styles and
    scans the body for the insertion point, for every paragraph: 2,000 rows took 25 s that way."""

    def __init__(self, doc):
        self._end = doc.element.body.sectPr
        self._ids = {s.name: s.style_id for s in doc.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}

    def add(self, text: str, style: str):
        p = OxmlElement("w:p")
        p.style = self._ids[style]
        if text:
            p.add_r().text = text  # tabs and line breaks become w:tab and w:br
        self._end.addprevious(p)
        return p


def _add_row(body: _Body, n: int, row: Mapping) -> None:
    body.add(f"{n}．{title_label(row) or '（无标题）'}", "Heading 2")
    unit, author = unit_label(row), clean(row.get("author")).strip()
    info = [date_label(row.get("date")), issue_label(row), page_label(row),
            f"单位：{unit}" if unit else "", f"作者：{author}" if author else ""]
    info = [part for part in info if part]
    if info:
        body.add(" · ".join(info), INFO)
    for para in body_text(row).split("\n"):
        if para.strip():
            body.add(para.strip(), BODY)
    citation = clean(row.get("citation")).strip()
    if citation:
        body.add(f"出处：{citation}", CITE)


def write_docx(rows: Iterable[Mapping], meta: ReportMeta, out: BinaryIO) -> int:
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    _properties(doc, meta)
    body = _Body(doc)
    body.add(clean(meta.title), "Title")
    body.add(conditions_label(meta), CONDITIONS)
    count = body.add("", CONDITIONS)  # filled in once the rows are counted
    body.add(kind_label(meta.kind), "Heading 1")
    references: list[str] = []
    add = _add_row
    if meta.kind == "chronicle":  # the 大事记: month headings, dated entries (report/chronicle_layout.py)
        from .chronicle_layout import DocxEntries
        add = DocxEntries(BODY, CITE, "Heading 2")
    for row in rows:
        references.append(clean(row.get("citation_gbt")).strip())
        add(body, len(references), row)
    n = len(references)
    count.add_r().text = f"{count_label(n)}　生成时间：{generated_label(meta.generated)}"
    if not n:
        body.add(f"{EMPTY_LABEL}。", BODY)
    elif any(references):
        body.add("参考文献", "Heading 1")
        for i, ref in enumerate(references, 1):
            if ref:
                body.add(f"[{i}] {ref}", REF)
    buffer = io.BytesIO()
    doc.save(buffer)
    rezip(buffer, out, meta.generated)
    return n
