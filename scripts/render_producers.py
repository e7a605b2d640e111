#!/usr/bin/env python3
"""Render newsletter issues through other PDF producers than reportlab, with ground truth.

The dev corpus (../shared/corpus/make_corpus.py) is drawn by reportlab. Real back issues come from
Word, WPS, LibreOffice and browsers, with other fonts, spacing and text layers. This script renders
the same issue JSON through:

  chromium     an HTML page styled like a Chinese Word bulletin, printed by headless Chromium
               (Debian's /usr/bin/chromium driven by the `playwright` Python package: no browser
               download). Letter-spaced section titles via CSS letter-spacing, justified paragraphs
               with text-indent: 2em, a red rule under the publisher/date row, a bordered 版记 block.
               --columns 2 sets the body below the masthead in CSS columns (column-count: 2).
  libreoffice  a .docx written with python-docx (WenQuanYi Zen Hei body at 12pt, first-line indent
               of 2 characters, space after paragraphs, expanded character spacing on section
               titles, PAGE fields in the footer), converted by `soffice --headless --convert-to pdf`.
               --columns 2 puts the body in a continuous section with two columns (w:cols).

Usage:
  render_producers.py render ISSUE.json [ISSUE.json ...] [options]
  render_producers.py synth N [--seed S] [--start-year Y] [--corpus-dir DIR] [options]

  ISSUE.json is the issue format of make_corpus.py; its truth files work too (page fields and
  "id"/"pages"/"layout" are dropped and recomputed). `synth` imports make_corpus.py from
  --corpus-dir (default: ../shared/corpus relative to the repo root) and renders N issues from its
  synth generator (seed S, first issue in year Y), issues that reportlab never rendered.

Options:
  --producer chromium|libreoffice   repeat for several; default: both
  --out OUT_DIR                     default: out/producers (relative to the current directory)
  --name SUBDIR                     output folder under OUT_DIR; default: the producer's name
  --columns 1|2                     body below the masthead in one or two columns
  --page-numbers                    page numbers in the bottom margin
  --page-number-style dash|emdash|zh|zh-total
                                    "- N -", "— N —", "第 N 页", "第 N 页 共 M 页"
                                    (default: dash for chromium, zh for libreoffice)
  --running-header                  "中铝股份党群工作　2021年第5期" in the top margin (chromium:
                                    every page; libreoffice: every page but the first, as Word's
                                    "different first page")
  --body-font FAMILY                override the body font family (fontconfig name)
  --keep-source                     keep the .html / .docx next to the PDF

Output: OUT_DIR/<SUBDIR>/<id>.pdf and OUT_DIR/<SUBDIR>/<id>.truth.json, the issue plus "id",
"pages", "layout", "producer", "page_numbers", "running_header" and for every item "page_start"/"page_end" (1-based physical pages),
found by text in the produced PDF: each page's text is read with pdfplumber, the top and bottom
margin bands are cut off by geometry (and must hold only the running header / page number, or the
run fails), two-column pages are read masthead first, then left column, then right column; the
text is squashed (NFKC, radical code points folded, no white space, soft hyphens or hyphens) and
each item's squashed text is searched in order. An item that cannot be found stops the run with its
first 20 characters: a wrong truth is never written.

Needs: pdfplumber, playwright, python-docx, and reportlab for `synth` (pip); chromium, libreoffice-writer-nogui, fonts-noto-cjk,
fonts-noto-cjk-extra (Noto Serif CJK SC), fonts-wqy-zenhei, fonts-liberation2 (Debian).

Each rendered PDF prints one line: path, pages, size, and what its text layer holds that was not
typed (radical code points, ligatures, multi-character glyphs), counted from pdfplumber's chars.

Regenerate the fixtures in tests/fixtures/producers (from the repo root, shared/ beside it):
  S=scripts/render_producers.py; O=tests/fixtures/producers
  .venv/bin/python $S render ../shared/corpus/seed-issue.json --producer chromium --out $O \\
      --page-numbers --running-header
  .venv/bin/python $S synth 1 --seed 3 --start-year 2024 --producer chromium --columns 2 \\
      --page-numbers --body-font "WenQuanYi Zen Hei" --out $O
  .venv/bin/python $S render ../shared/corpus/seed-issue.json --producer libreoffice --out $O \\
      --page-numbers --running-header
  .venv/bin/python $S synth 1 --seed 24 --start-year 2023 --producer libreoffice --page-numbers \\
      --running-header --out $O
(synth seed 3 / 24 give a first issue with a Latin item.) PDFs carry their creation time, so
bytes differ between runs; the truth files do not.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

# pdfminer warns "Could not get FontBBox from font descriptor" for each of Chromium's Type 3 fonts.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MM = 72 / 25.4  # PDF points per millimetre

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SOFFICE = os.environ.get("SOFFICE", "soffice")

PRODUCERS = ("chromium", "libreoffice")
PAGE_NUMBER_STYLES = {  # (text with {n} and {total}) — what is printed in the bottom margin
    "dash": "- {n} -",
    "emdash": "— {n} —",
    "zh": "第 {n} 页",
    "zh-total": "第 {n} 页 共 {total} 页",
}
DEFAULT_PN_STYLE = {"chromium": "dash", "libreoffice": "zh"}

# Page geometry of each producer, in mm: (top, right, bottom, left) body margins.
CHROMIUM_MARGINS = (25, 25, 25, 25)
DOCX_MARGINS = (25.4, 31.7, 25.4, 31.7)  # Word's default for Chinese documents (2.54 / 3.17 cm)


# ---- text squashing (the idea of make_corpus.squash, a little wider) ----

# Glyphs that producers map to radical code points instead of the ideographs they show (NFKC folds
# the Kangxi radicals U+2F00.. itself; the CJK Radicals Supplement needs this table).
RADICALS = str.maketrans({**dict(zip("⺠⻅⻆⻉⻋⻐⻓⻔⻘⻙⻚⻛⻜⻝⻠⻢⻣⻤⻥⻦⻧⻨⻩⻬⻮⻰⻳戶",
                                       "民见角贝车钅长门青韦页风飞食饣马骨鬼鱼鸟卤麦黄齐齿龙龟户")), "⸺": "——"})
HYPHENS = re.compile("[\u00ad\u2010\u2011-]")  # soft hyphen, hyphen, non-breaking hyphen, hyphen-minus


def squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(RADICALS)
    text = re.sub(r"\s+", "", text)
    return HYPHENS.sub("", text)


# ---- issues ----

def issue_id(issue):
    return f"{issue['year']}-{issue['number']:03d}"


def clean_issue(issue):
    """The issue without anything a previous rendering computed."""
    issue = copy.deepcopy(issue)
    for key in ("id", "pages", "layout", "producer", "scanned", "page_numbers", "running_header"):
        issue.pop(key, None)
    for section in issue["sections"]:
        for item in section["items"]:
            item.pop("page_start", None)
            item.pop("page_end", None)
    return issue


def running_header_text(issue):
    return f"{issue['publication']}　{issue['year']}年第{issue['number']}期"


def date_text(issue):
    d = dt.date.fromisoformat(issue["date"])
    return f"{d.year}年{d.month}月{d.day}日"


def number_text(issue):
    return f"{issue['year']}年第{issue['number']}期（总第{issue['total_number']}期）"


def blocks(issue):
    """The issue as a flat list of printed blocks: (kind, text, item-or-None)."""
    out = []
    for section in issue["sections"]:
        out.append(("section", section["title"], None))
        last_heading = None
        for item in section["items"]:
            if item.get("heading") and item["heading"] != last_heading:
                out.append(("heading", item["heading"], None))
                last_heading = item["heading"]
            out.append(("latin" if item.get("latin") else "body", item["text"], item))
    return out


def soft_hyphens(text):
    """Break points in long Latin words, as word processors' optional hyphens (U+00AD)."""
    return re.sub(r"[A-Za-z]{9,}", lambda m: "\u00ad".join(m.group(0)[i:i + 4]
                                                          for i in range(0, len(m.group(0)), 4)), text)


# ---- chromium ----

def build_html(issue, columns=1, body_font=None):
    e = html.escape
    serif = body_font or "Noto Serif CJK SC"
    two = columns == 2
    body_pt, section_pt, heading_pt = (10.5, 14, 12) if two else (14, 18, 15)
    parts = [f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(issue['publication'])} {e(number_text(issue))}</title>
<style>
@page {{ size: A4; margin: {CHROMIUM_MARGINS[0]}mm {CHROMIUM_MARGINS[1]}mm {CHROMIUM_MARGINS[2]}mm {CHROMIUM_MARGINS[3]}mm; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; font-family: "{serif}", "Noto Serif CJK SC", serif; font-size: {body_pt}pt; line-height: 1.7;
        color: #000; }}
.masthead {{ text-align: center; color: #c00000; font-family: "Noto Serif CJK SC"; font-weight: 900;
             font-size: 38pt; line-height: 1.25; letter-spacing: 0.06em; margin: 2mm 0 3mm; }}
.number {{ text-align: center; font-size: 14pt; margin: 0 0 4mm; }}
.pubrow {{ display: flex; justify-content: space-between; font-size: 14pt; padding: 0 1mm 1.5mm;
           border-bottom: 2.25pt solid #c00000; margin-bottom: 5mm; }}
.cols {{ column-count: 2; column-gap: 8mm; }}
h2 {{ text-align: center; color: #c00000; font-family: "Noto Sans CJK SC"; font-weight: 700;
      font-size: {section_pt}pt; letter-spacing: 0.5em; margin: 5mm 0 3mm; line-height: 1.4; break-after: avoid; }}
h3 {{ text-align: center; font-family: "Noto Sans CJK SC"; font-weight: 700; font-size: {heading_pt}pt;
      margin: 3mm 0 2mm; line-height: 1.4; break-after: avoid; }}
p.item {{ text-align: justify; text-indent: 2em; margin: 0 0 1.5mm; }}
p.latin {{ hyphens: manual; }}
.collect {{ font-size: {min(body_pt, 12)}pt; margin: 8mm 0 2mm; }}
.banji {{ border-top: 1pt solid #000; border-bottom: 1pt solid #000; padding: 1mm 0;
          font-size: {min(body_pt, 12)}pt; break-inside: avoid; }}
.banji p {{ margin: 0; }}
</style></head><body>
<div class="masthead">{e(issue['publication'])}</div>
<div class="number">{e(number_text(issue))}</div>
<div class="pubrow"><span>{e(issue['publisher'])}</span><span>{e(date_text(issue))}</span></div>
<div class="{'cols' if two else 'main'}">"""]
    for kind, text, _ in blocks(issue):
        if kind == "section":
            parts.append(f"<h2>{e(text)}</h2>")
        elif kind == "heading":
            parts.append(f"<h3>{e(text)}</h3>")
        elif kind == "latin":
            parts.append(f'<p class="item latin" lang="en">{e(soft_hyphens(text))}</p>')
        else:
            parts.append(f'<p class="item">{e(text)}</p>')
    parts.append(f"""<p class="collect">（本期信息采集时间：{e(issue['collection_period'])}）</p>
<div class="banji"><p>发放：{e(issue['distribution'])}</p>
<p>抄送：{e(issue['cc'])}　　　投稿邮箱：{e(issue['email'])}</p></div>
</div></body></html>""")
    return "\n".join(parts)


def chromium_templates(issue, page_numbers, pn_style, running_header):
    font = "font-family: 'Noto Serif CJK SC', serif; -webkit-print-color-adjust: exact;"
    header = footer = "<span></span>"  # an empty template, else Chromium prints date, title and URL
    if running_header:
        header = (f'<div style="width: 100%; box-sizing: border-box; padding: 0 {CHROMIUM_MARGINS[1]}mm; {font}">'
                  f'<div style="margin-top: 12mm; font-size: 9pt; text-align: center; padding-bottom: 1mm; '
                  f'border-bottom: 0.75pt solid #000;">{html.escape(running_header_text(issue))}</div></div>')
    if page_numbers:
        text = html.escape(PAGE_NUMBER_STYLES[pn_style]).format(
            n='<span class="pageNumber"></span>', total='<span class="totalPages"></span>')
        footer = (f'<div style="width: 100%; text-align: center; font-size: 10.5pt; margin-bottom: 12mm; {font}">'
                  f'{text}</div>')
    return header, footer


class Chromium:
    def __init__(self):
        from playwright.sync_api import sync_playwright
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM)
        self.version = self.browser.version

    def render(self, issue, pdf_path, columns, page_numbers, pn_style, running_header, body_font, keep_source):
        doc = build_html(issue, columns, body_font)
        if keep_source:
            with open(os.path.splitext(pdf_path)[0] + ".html", "w", encoding="utf-8") as fh:
                fh.write(doc)
        page = self.browser.new_page()
        try:
            page.set_content(doc, wait_until="load")
            page.evaluate("document.fonts.ready")
            header, footer = chromium_templates(issue, page_numbers, pn_style, running_header)
            top, right, bottom, left = CHROMIUM_MARGINS
            page.pdf(path=pdf_path, format="A4", prefer_css_page_size=True, print_background=True,
                     display_header_footer=bool(page_numbers or running_header),
                     header_template=header, footer_template=footer,
                     margin={"top": f"{top}mm", "right": f"{right}mm", "bottom": f"{bottom}mm", "left": f"{left}mm"})
        finally:
            page.close()

    def close(self):
        self.browser.close()
        self._pw.stop()


# ---- libreoffice ----

# WordprocessingML wants child elements in schema order: what may follow w:spacing in w:rPr and
# w:pBdr in w:pPr.
RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                     "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                     "w:eastAsianLayout", "w:specVanish", "w:oMath")
PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                  "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                  "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")

def build_docx(issue, path, columns=1, page_numbers=False, pn_style="zh", running_header=False, body_font=None):
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    body_font = body_font or "WenQuanYi Zen Hei"
    title_font, heading_font, latin_font = "Noto Serif CJK SC", "Noto Sans CJK SC", "Times New Roman"
    red = RGBColor(0xC0, 0x00, 0x00)

    def el(tag, **attrs):
        node = OxmlElement(tag)
        for k, v in attrs.items():
            node.set(qn(k), str(v))
        return node

    def set_fonts(rpr_owner, east_asia, ascii_font=latin_font):
        rpr = rpr_owner.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = el("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi"):
            fonts.set(qn(attr), ascii_font)
        fonts.set(qn("w:eastAsia"), east_asia)

    def run(par, text, size=None, bold=False, color=None, east_asia=None, spacing_twips=None):
        r = par.add_run(text)
        if size:
            r.font.size = Pt(size)
        r.bold = bold or None
        if color is not None:
            r.font.color.rgb = color
        if east_asia:
            set_fonts(r._r, east_asia)
        if spacing_twips:  # Word's "expanded" character spacing (字符间距 加宽)
            r._r.get_or_add_rPr().insert_element_before(el("w:spacing", **{"w:val": spacing_twips}), *RPR_AFTER_SPACING)
        return r

    def border(par, side, size_eighths, color="000000", space=1):
        ppr = par._p.get_or_add_pPr()
        bdr = ppr.find(qn("w:pBdr"))
        if bdr is None:
            bdr = el("w:pBdr")
            ppr.insert_element_before(bdr, *PPR_AFTER_PBDR)
        bdr.append(el(f"w:{side}", **{"w:val": "single", "w:sz": size_eighths, "w:space": space, "w:color": color}))

    def para(text="", align=None, indent_chars=0, before=0, after=0, **kw):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        fmt = p.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if indent_chars:  # both forms, as Word writes them: firstLineChars wins where it is understood
            fmt.first_line_indent = Pt(12 * indent_chars)
            p._p.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), str(indent_chars * 100))
        if columns == 2:
            # Hanging punctuation is on by default (Word and Writer) and fine on one column, but
            # LibreOffice 7.4 drops a full-width comma that would hang past the right edge of the
            # right column of a section, from the page and from the text layer. Writer 7.4 reads
            # w:overflowPunct inverted (val 1 = no hanging), and only on paragraphs, not in styles.
            p._p.get_or_add_pPr().insert_element_before(el("w:overflowPunct", **{"w:val": 1}),
                                                        *PPR_AFTER_PBDR[PPR_AFTER_PBDR.index("w:topLinePunct"):])
        if text:
            run(p, text, **kw)
        return p

    def field(par, instr, size=None):
        def r(*children):
            rr = par.add_run()
            if size:
                rr.font.size = Pt(size)
            for c in children:
                rr._r.append(c)
        instr_el = el("w:instrText")
        instr_el.set(qn("xml:space"), "preserve")
        instr_el.text = f" {instr} "
        text_el = el("w:t")
        text_el.text = "1"
        r(el("w:fldChar", **{"w:fldCharType": "begin"}))
        r(instr_el)
        r(el("w:fldChar", **{"w:fldCharType": "separate"}))
        r(text_el)
        r(el("w:fldChar", **{"w:fldCharType": "end"}))

    def page_number_paragraph(par):
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pattern = PAGE_NUMBER_STYLES[pn_style]
        for piece in re.split(r"(\{n\}|\{total\})", pattern):
            if piece == "{n}":
                field(par, "PAGE", 10.5)
            elif piece == "{total}":
                field(par, "NUMPAGES", 10.5)
            elif piece:
                run(par, piece, size=10.5)

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)  # 小四
    set_fonts(normal.element, body_font)
    nf = normal.paragraph_format
    nf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    nf.line_spacing = 1.5
    nf.space_after = Pt(6)
    # keep LibreOffice from using its own CJK/Western defaults for the document language
    rpr_default = doc.styles.element.find(qn("w:docDefaults"))
    if rpr_default is not None:
        lang = rpr_default.find(".//" + qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")

    section = doc.sections[0]
    top, right, bottom, left = DOCX_MARGINS
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
        Mm(top), Mm(right), Mm(bottom), Mm(left))
    section.header_distance, section.footer_distance = Mm(15), Mm(15)
    text_width = Mm(210 - left - right)

    if running_header or page_numbers:
        section.different_first_page_header_footer = True
        if running_header:
            hp = section.header.paragraphs[0]
            hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run(hp, running_header_text(issue), size=9)
            border(hp, "bottom", 6)
        if page_numbers:
            page_number_paragraph(section.footer.paragraphs[0])
            page_number_paragraph(section.first_page_footer.paragraphs[0])

    # masthead
    para(issue["publication"], WD_ALIGN_PARAGRAPH.CENTER, after=6, size=36, bold=True, color=red,
         east_asia=title_font, spacing_twips=40)
    para(number_text(issue), WD_ALIGN_PARAGRAPH.CENTER, after=6, size=14)
    row = para(align=WD_ALIGN_PARAGRAPH.LEFT, after=12)
    row.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    run(row, f"{issue['publisher']}\t{date_text(issue)}", size=14)
    border(row, "bottom", 18, "C00000", space=4)

    if columns == 2:  # the masthead stays one column; the rest runs in two, as a continuous section
        new = doc.add_section(WD_SECTION.CONTINUOUS)
        cols = new._sectPr.find(qn("w:cols"))
        if cols is None:
            cols = el("w:cols")
            new._sectPr.insert_element_before(cols, "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                              "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid")
        cols.set(qn("w:num"), "2")
        cols.set(qn("w:space"), "454")  # 8 mm gap

    for kind, text, _ in blocks(issue):
        if kind == "section":
            p = para(text, WD_ALIGN_PARAGRAPH.CENTER, before=12, after=6, size=16, bold=True, color=red,
                     east_asia=title_font, spacing_twips=160)
            p.paragraph_format.keep_with_next = True
        elif kind == "heading":
            p = para(text, WD_ALIGN_PARAGRAPH.CENTER, before=6, after=6, size=14, bold=True, east_asia=heading_font)
            p.paragraph_format.keep_with_next = True
        elif kind == "latin":
            para(soft_hyphens(text), WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
        else:
            para(text, WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)

    para(f"（本期信息采集时间：{issue['collection_period']}）", before=18, after=6, size=12)
    p1 = para(f"发放：{issue['distribution']}", after=0, size=12)
    border(p1, "top", 8)
    p2 = para(f"抄送：{issue['cc']}　　　投稿邮箱：{issue['email']}", after=0, size=12)
    border(p2, "bottom", 8)
    doc.core_properties.title = f"{issue['publication']} {number_text(issue)}"
    doc.core_properties.author = issue["publisher"]
    doc.save(path)


class LibreOffice:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="render-producers-lo-")
        out = subprocess.run([SOFFICE, "--version"], capture_output=True, text=True, check=True)
        self.version = out.stdout.strip()

    def render(self, issue, pdf_path, columns, page_numbers, pn_style, running_header, body_font, keep_source):
        work = tempfile.mkdtemp(prefix="render-producers-")
        try:
            stem = os.path.splitext(os.path.basename(pdf_path))[0]
            docx = os.path.join(work, stem + ".docx")
            build_docx(issue, docx, columns, page_numbers, pn_style, running_header, body_font)
            cmd = [SOFFICE, f"-env:UserInstallation=file://{self.profile}", "--headless", "--norestore",
                   "--convert-to", "pdf:writer_pdf_Export", "--outdir", work, docx]
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            produced = os.path.join(work, stem + ".pdf")
            if res.returncode != 0 or not os.path.exists(produced):
                raise SystemExit(f"soffice failed on {docx}: {res.stdout}{res.stderr}")
            shutil.move(produced, pdf_path)
            if keep_source:
                shutil.copy(docx, os.path.splitext(pdf_path)[0] + ".docx")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def close(self):
        shutil.rmtree(self.profile, ignore_errors=True)


# ---- locating items in the produced PDF ----

def _center_y(obj):
    return (obj["top"] + obj["bottom"]) / 2


def _center_x(obj):
    return (obj["x0"] + obj["x1"]) / 2


def _text(page, test):
    return page.filter(test).extract_text() or ""


def masthead_bottom(page, issue):
    """y below the publisher/date row (the red rule) on page 1: where the columns begin."""
    date = squash(date_text(issue))  # matched squashed: the text layer may say ⽉ and ⽇ for 月 and 日
    for line in page.extract_text_lines():
        if date in squash(line["text"]):
            return line["bottom"] + 1
    raise SystemExit(f"could not find the date line {date_text(issue)} on page 1")


def page_texts(pdf, issue, margins, columns, page_numbers, pn_style, running_header):
    """Each page's body text in reading order, with the margin bands checked and cut off."""
    top_mm, _, bottom_mm, _ = margins
    n_pages = len(pdf.pages)
    header = squash(running_header_text(issue))
    texts = []
    for page in pdf.pages:
        n = page.page_number
        top, bottom = top_mm * MM, page.height - bottom_mm * MM
        in_body = lambda o, top=top, bottom=bottom: top <= _center_y(o) <= bottom
        head = squash(_text(page, lambda o, top=top: _center_y(o) < top))
        foot = squash(_text(page, lambda o, bottom=bottom: _center_y(o) > bottom))
        ok_head = {""} | ({header} if running_header else set())
        ok_foot = {""} | ({squash(PAGE_NUMBER_STYLES[pn_style].format(n=n, total=n_pages))} if page_numbers else set())
        if head not in ok_head or foot not in ok_foot:
            raise SystemExit(f"page {n}: unexpected text in the margins: top {head!r}, bottom {foot!r}")
        if columns == 1:
            texts.append(_text(page, in_body))
            continue
        mid = page.width / 2
        split = masthead_bottom(page, issue) if n == 1 else top
        mast = _text(page, lambda o: in_body(o) and _center_y(o) < split) if n == 1 else ""
        left = _text(page, lambda o: in_body(o) and _center_y(o) >= split and _center_x(o) < mid)
        right = _text(page, lambda o: in_body(o) and _center_y(o) >= split and _center_x(o) >= mid)
        texts.append(mast + "\n" + left + "\n" + right)
    return texts


ODD_RANGES = [  # code points a text layer should not hold for this newsletter's text
    (0x2E80, 0x2EFF, "CJK radicals supplement"), (0x2F00, 0x2FDF, "Kangxi radicals"),
    (0xF900, 0xFAFF, "CJK compatibility ideographs"), (0xE000, 0xF8FF, "private use"),
    (0xFB00, 0xFB06, "Latin ligatures"), (0xFFFD, 0xFFFD, "replacement character"),
]


def oddities(pdf):
    """Characters of the text layer (pdfplumber's chars, ligatures not expanded) that differ from
    what was typed, counted by kind: what a parser reading this producer has to repair."""
    found = {}
    for page in pdf.pages:
        for text in (c["text"] for c in page.chars):
            if len(text) > 1:  # one glyph, several characters: a ligature mapped to its letters
                found.setdefault("multi-character glyphs", {}).setdefault(text, 0)
                found["multi-character glyphs"][text] += 1
                continue
            ch = text
            for lo, hi, name in ODD_RANGES:
                if lo <= ord(ch) <= hi:
                    found.setdefault(name, {}).setdefault(ch, 0)
                    found[name][ch] += 1
    return found


def locate_pages(issue, pdf_path, margins, columns, page_numbers, pn_style, running_header):
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        raw = page_texts(pdf, issue, margins, columns, page_numbers, pn_style, running_header)
        odd = oddities(pdf)
    pages = [squash(t) for t in raw]
    bounds, text_all = [], ""
    for p in pages:
        text_all += p
        bounds.append(len(text_all))

    def page_of(offset):
        return next(i for i, b in enumerate(bounds) if offset < b) + 1

    truth = copy.deepcopy(issue)
    truth["id"] = issue_id(issue)
    truth["pages"] = len(pages)
    cursor = 0
    for section in truth["sections"]:
        at = text_all.find(squash(section["title"]), cursor)
        if at < 0:
            raise SystemExit(f"could not locate section title in {pdf_path}: {section['title']}")
        for item in section["items"]:
            text = squash(item["text"])
            at = text_all.find(text, cursor)
            if at < 0:
                raise SystemExit(f"could not locate item in {pdf_path}: {item['text'][:20]}")
            item["page_start"], item["page_end"] = page_of(at), page_of(at + len(text) - 1)
            cursor = at + len(text)
    return truth, odd


# ---- driver ----

def render_issue(engine, producer, issue, out_dir, columns, page_numbers, pn_style, running_header, body_font,
                 keep_source):
    issue = clean_issue(issue)
    os.makedirs(out_dir, exist_ok=True)
    iid = issue_id(issue)
    pdf_path = os.path.join(out_dir, f"{iid}.pdf")
    pn_style = pn_style or DEFAULT_PN_STYLE[producer]
    engine.render(issue, pdf_path, columns, page_numbers, pn_style, running_header, body_font, keep_source)
    margins = CHROMIUM_MARGINS if producer == "chromium" else DOCX_MARGINS
    try:
        truth, odd = locate_pages(issue, pdf_path, margins, columns, page_numbers, pn_style, running_header)
    except BaseException:
        os.replace(pdf_path, pdf_path + ".failed")  # keep it to look at, but never beside a truth
        raise
    truth["layout"] = "two-column" if columns == 2 else "single"
    truth["producer"] = f"{producer} ({engine.version})"
    truth["page_numbers"] = bool(page_numbers)
    truth["running_header"] = bool(running_header)
    with open(os.path.join(out_dir, f"{iid}.truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
    size = os.path.getsize(pdf_path)
    note = "; ".join(f"{name}: " + " ".join(f"{ch}({' '.join(f'U+{ord(c):04X}' for c in ch)})×{k}"
                                                    for ch, k in sorted(chars.items()))
                     for name, chars in odd.items())
    print(f"{pdf_path}  {truth['pages']} pages  {size // 1024} KiB" + (f"  [text layer: {note}]" if note else ""),
          flush=True)
    return pdf_path


def load_make_corpus(corpus_dir):
    corpus_dir = os.path.abspath(corpus_dir)
    if not os.path.exists(os.path.join(corpus_dir, "make_corpus.py")):
        raise SystemExit(f"no make_corpus.py in {corpus_dir} (set --corpus-dir)")
    sys.path.insert(0, corpus_dir)
    import make_corpus  # noqa: E402  (needs reportlab installed, as make_corpus imports it)
    return make_corpus


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("render", help="render issue JSON files")
    r.add_argument("issue_json", nargs="+")
    s = sub.add_parser("synth", help="render N synthetic issues from make_corpus.py's generator")
    s.add_argument("count", type=int)
    s.add_argument("--seed", type=int, default=101)
    s.add_argument("--start-year", type=int, default=2022)
    s.add_argument("--corpus-dir", default=os.path.join(REPO, "..", "shared", "corpus"))
    for p in (r, s):
        p.add_argument("--producer", action="append", choices=PRODUCERS)
        p.add_argument("--out", default=os.path.join("out", "producers"))
        p.add_argument("--name", help="output folder under --out (default: the producer's name)")
        p.add_argument("--columns", type=int, choices=[1, 2], default=1)
        p.add_argument("--page-numbers", action="store_true")
        p.add_argument("--page-number-style", choices=sorted(PAGE_NUMBER_STYLES))
        p.add_argument("--running-header", action="store_true")
        p.add_argument("--body-font")
        p.add_argument("--keep-source", action="store_true")
    args = ap.parse_args(argv)
    producers = args.producer or list(PRODUCERS)
    if args.name and len(producers) > 1:
        ap.error("--name needs a single --producer")

    if args.cmd == "render":
        issues = []
        for path in args.issue_json:
            with open(path, encoding="utf-8") as fh:
                issues.append(json.load(fh))
    else:
        issues = list(load_make_corpus(args.corpus_dir).synth(args.count, args.seed, args.start_year))

    for producer in producers:
        engine = Chromium() if producer == "chromium" else LibreOffice()
        try:
            out_dir = os.path.join(args.out, args.name or producer)
            for issue in issues:
                render_issue(engine, producer, issue, out_dir, args.columns, args.page_numbers,
                             args.page_number_style, args.running_header, args.body_font, args.keep_source)
        finally:
            engine.close()


if __name__ == "__main__":
    main()
