"""DOCX report (python-docx) in the 公文 house style of GB/T 9704-2012 (report/docx_style.py:
A4, margins 37/35/28/26 mm, title 小标宋 二号, body 仿宋 三号 on a fixed 28-pt line, 「— 1 —」 at
the outer edges).

The title, then the conditions in words (检索词：…；单位：…；日期：…) and 「共 N 条」, then
「一、检索结果」 (or 活动记录) in one of two layouts — ``meta.layout``:

    list   each row as 「1．标题」, an information line (栏目：…；日期：…；期号：…；页码：…；单位：…),
           its text with a two-character first-line indent, and 「出处：《中铝股份党群工作》…」;
    table  one table, a row each: 序号 · 期号 · 日期 · 单位 · 内容 · 页码 (its head row repeated
           on every page);

and at the end 「二、参考文献」, the GB/T 7714 references numbered as the rows are ([1] …). A
report of no rows says 「没有符合条件的结果」.

Memory: python-docx holds the whole document in memory (an lxml tree) until it is saved, so this
writer does not stream the way the XLSX/CSV/Markdown ones do. The rows themselves are not kept:
each becomes paragraphs (or a table row) as it arrives, and only its GB/T line is collected for
the references."""
from __future__ import annotations

import datetime as dt
import io
from typing import BinaryIO, Iterable, Mapping

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from ._zip import rezip
from .docx_style import (BODY, CELL, CELL_CENTRED, CITE, CONDITIONS, HEAD_CELL, INFO, LEFT_MM, PAGE_W_MM, REF, RIGHT_MM,
                         setup_font_table, setup_page, setup_styles)
from .labels import (EMPTY_LABEL, TABLE_COLUMNS, WHOLE_LABEL, body_text, clean, conditions_label, count_label,
                     generated_label, heading_label, info_label, kind_label, page_label, table_layout_cells, whole_text)
from .meta import ReportMeta

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
CHAPTERS = "一二三四五六七八九十"
# the table layout's column widths (mm): 序号 期号 日期 单位 内容 页码, over the 156 mm text block
COLUMN_MM = (10, 27, 22, 22, 60, 15)
CELL_MARGIN_MM = 1
CONTENT = TABLE_COLUMNS.index("内容")  # its first line (the row's title) is set bold
CENTRED = {TABLE_COLUMNS.index("序号"), TABLE_COLUMNS.index("页码")}
assert sum(COLUMN_MM) == PAGE_W_MM - LEFT_MM - RIGHT_MM


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
        self.end = doc.element.body.sectPr
        self._ids = {s.name: s.style_id for s in doc.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}

    def paragraph(self, text: str, style: str):
        p = OxmlElement("w:p")
        p.style = self._ids[style]
        if text:
            p.add_r().text = text  # tabs and line breaks become w:tab and w:br
        return p

    def add(self, text: str, style: str):
        p = self.paragraph(text, style)
        self.end.addprevious(p)
        return p


def _twips(mm: float) -> str:
    return str(round(Mm(mm).twips))


def citation_pages(row: Mapping) -> str:
    """The whole item's pages (a row citing its matched sentence's pages keeps the item's)."""
    start, end = row.get("item_pages") or (row.get("page_start"), row.get("page_end"))
    return page_label({"page_start": start, "page_end": end})


def _add_row(body: _Body, n: int, row: Mapping) -> None:
    body.add(f"{n}．{heading_label(row) or '（无标题）'}", "Heading 2")
    info = info_label(row)
    if info:
        body.add(info, INFO)
    for para in body_text(row).split("\n"):
        if para.strip():
            body.add(para.strip(), BODY)
    whole = whole_text(row)
    if whole:  # the item the sentence was found in, after it
        body.add(f"{WHOLE_LABEL}（{citation_pages(row)}）：", INFO)
        for para in whole.split("\n"):
            if para.strip():
                body.add(para.strip(), BODY)
    citation = clean(row.get("citation")).strip()
    if citation:
        body.add(f"出处：{citation}", CITE)


class _Table:
    """The table layout: a w:tbl before the body's end, its head row repeated on each page."""

    def __init__(self, body: _Body):
        self.body = body
        tbl = OxmlElement("w:tbl")
        pr = OxmlElement("w:tblPr")
        for tag, attrs in (("w:tblW", {"w:w": "5000", "w:type": "pct"}), ("w:jc", {"w:val": "center"})):
            pr.append(_element(tag, attrs))
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_element(f"w:{side}", {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "000000"}))
        pr.append(borders)
        pr.append(_element("w:tblLayout", {"w:type": "fixed"}))
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margins.append(_element(f"w:{side}", {"w:w": _twips(CELL_MARGIN_MM), "w:type": "dxa"}))
        pr.append(margins)
        tbl.append(pr)
        grid = OxmlElement("w:tblGrid")
        for mm in COLUMN_MM:
            grid.append(_element("w:gridCol", {"w:w": _twips(mm)}))
        tbl.append(grid)
        body.end.addprevious(tbl)
        self.tbl = tbl
        self.add(TABLE_COLUMNS, head=True)

    def add(self, cells, head: bool = False, titled: bool = False) -> None:
        """A row; `titled`: the content's first line is the row's title (set bold)."""
        tr = OxmlElement("w:tr")
        trpr = OxmlElement("w:trPr")
        if head:
            trpr.append(OxmlElement("w:tblHeader"))
        tr.append(trpr)
        for col, (mm, value) in enumerate(zip(COLUMN_MM, cells)):
            tc = OxmlElement("w:tc")
            tcpr = OxmlElement("w:tcPr")
            tcpr.append(_element("w:tcW", {"w:w": _twips(mm), "w:type": "dxa"}))
            tcpr.append(_element("w:vAlign", {"w:val": "center" if head else "top"}))
            tc.append(tcpr)
            for k, line in enumerate(str(value).split("\n") or [""]):
                p = self.body.paragraph(line, HEAD_CELL if head else CELL_CENTRED if col in CENTRED else CELL)
                if k == 0 and col == CONTENT and titled and line:
                    p.r_lst[0].get_or_add_rPr().append(OxmlElement("w:b"))  # the content's title line
                tc.append(p)
            tr.append(tc)
        self.tbl.append(tr)


def _element(tag: str, attrs: dict):
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k), v)
    return el


def write_docx(rows: Iterable[Mapping], meta: ReportMeta, out: BinaryIO) -> int:
    doc = Document()
    setup_styles(doc)
    setup_page(doc)
    setup_font_table(doc)
    _properties(doc, meta)
    body = _Body(doc)
    body.add(clean(meta.title), "Title")
    body.add(conditions_label(meta), CONDITIONS)
    count = body.add("", CONDITIONS)  # filled in once the rows are counted
    chapter = iter(CHAPTERS)
    body.add(f"{next(chapter)}、{kind_label(meta.kind)}", "Heading 1")
    table = _Table(body) if meta.layout == "table" and meta.kind != "chronicle" else None
    references: list[str] = []
    add = _add_row
    if meta.kind == "chronicle":  # the 大事记: month headings, dated entries (report/chronicle_layout.py)
        from .chronicle_layout import DocxEntries
        add = DocxEntries(BODY, CITE, "Heading 2")
    for row in rows:
        references.append(clean(row.get("citation_gbt")).strip())
        if table is not None:
            table.add(table_layout_cells(len(references), row), titled=bool(heading_label(row)))
        else:
            add(body, len(references), row)
    n = len(references)
    count.add_r().text = f"{count_label(n)}　生成时间：{generated_label(meta.generated)}"
    if table is not None and not n:
        table.tbl.getparent().remove(table.tbl)
    if not n:
        body.add(f"{EMPTY_LABEL}。", BODY)
    elif any(references):
        body.add(f"{next(chapter)}、参考文献", "Heading 1")
        for i, ref in enumerate(references, 1):
            if ref:
                body.add(f"[{i}] {ref}", REF)
    buffer = io.BytesIO()
    doc.save(buffer)
    rezip(buffer, out, meta.generated)
    return n
