"""A bound annual volume's own pages (合订本): its cover and its 目录, each one PDF page, drawn by the
producer the volume's issues were made with (reportlab's canvas, Chromium or WeasyPrint from HTML,
LibreOffice from a .docx with right tab stops and dot leaders), or as a picture cover (the title
painted into a raster, no text layer).

`Front` holds what they print: the publication, the year, the range of issues 「2012年合订本（第1期—
第4期）」, and the 目录's rows (an issue's number line 「2012年第2期（总第24期）」 or 「第2期」 and its folio,
optionally its section titles under it with theirs)."""
from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from .common import FONTS, MM, RED, rng_for
from .images import cover, save_jpeg

e = html.escape


@dataclass
class Front:
    publication: str
    year: int
    first: str  # the first and last issues, as the cover names them: 第1期, 第4期
    last: str
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (level 0 issue / 1 section, text, folio)
    cover_style: str = "one-line"  # one-line: 2012年合订本（第1期—第4期）; two-lines: 2012年合订本 / 第1期—第4期
    publisher: str = "中国铝业股份有限公司党群工作部"
    page_mm: tuple[float, float] = (210, 297)
    font: str = "WenQuanYi Zen Hei"  # the fontconfig family (HTML, docx); reportlab embeds its file

    def cover_lines(self) -> list[tuple[str, float]]:
        """(text, size pt) of the cover, top to bottom."""
        span = f"{self.first}—{self.last}"
        if self.cover_style == "two-lines":
            volume = [(f"{self.year}年合订本", 24), (span, 18)]
        else:
            volume = [(f"{self.year}年合订本（{span}）", 20)]
        return [(self.publication, 38)] + volume + [(self.publisher, 14), (f"{self.year}年12月", 14)]


# ---- reportlab ----

def reportlab_page(front: Front, kind: str, path: str) -> str:
    from reportlab.lib import colors
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    file, index, _, embeddable = FONTS[front.font]
    if not embeddable:
        raise SystemExit(f"reportlab cannot embed {front.font}")
    name = "VOL-" + front.font.replace(" ", "")
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, file, subfontIndex=index))
    w, h = front.page_mm[0] * MM, front.page_mm[1] * MM
    c = canvas.Canvas(path, pagesize=(w, h))
    c.setCreator("Microsoft® Word 2010")
    if kind == "cover":
        y = h * 0.72
        for k, (text, size) in enumerate(front.cover_lines()):
            c.setFillColor(colors.HexColor(RED) if k == 0 else colors.black)
            c.setFont(name, size)
            c.drawCentredString(w / 2, y, text)
            y -= size * 2.2 if k < 2 else size * 1.8
            if k == len(front.cover_lines()) - 3:
                y = h * 0.2
    else:
        x0, x1, y = 25 * MM, w - 25 * MM, h - 40 * MM
        c.setFillColor(colors.HexColor(RED))
        c.setFont(name, 24)
        c.drawCentredString(w / 2, y, "目　录")
        c.setFillColor(colors.black)
        y -= 22 * MM
        for level, text, folio in front.rows:
            size = 15 if level == 0 else 12
            if y < 25 * MM:  # the 目录 goes on over the next page
                c.showPage()
                y = h - 30 * MM
            x = x0 + (0 if level == 0 else 2.5 * size)
            c.setFont(name, size)
            c.drawString(x, y, text)
            tw, fw, dot = (pdfmetrics.stringWidth(t, name, size) for t in (text, folio, "."))
            c.drawString(x + tw + 6, y, "." * max(0, int((x1 - fw - 6 - (x + tw + 6)) / dot)))
            c.drawRightString(x1, y, folio)
            y -= size * (2.4 if level == 0 else 1.9)
    c.showPage()
    c.save()
    return "reportlab"


# ---- HTML (Chromium, WeasyPrint) ----

def front_html(front: Front, kind: str, leaders: str = "dots") -> str:
    """The page as HTML; the 目录's leaders as dot characters clipped to the row (Chromium), or as a
    dotted rule (WeasyPrint keeps clipped text in the text layer)."""
    w, h = front.page_mm
    css = (f"@page {{ size: {w}mm {h}mm; margin: 25mm; }} body {{ margin: 0; font-family: '{front.font}', "
           f"'Noto Serif CJK SC', serif; }} .row {{ display: flex; align-items: baseline; }} "
           ".row > span { flex: none; white-space: nowrap; } "
           ".row > span.dots { flex: 1 1 0; min-width: 0; overflow: hidden; margin: 0 4pt; letter-spacing: 2pt; }")
    if kind == "cover":
        lines = front.cover_lines()
        body = "<div style='height: 45mm'></div>"
        for k, (text, size) in enumerate(lines):
            colour = RED if k == 0 else "#000"
            gap = "95mm" if k == len(lines) - 3 else "6mm"
            body += (f"<div style='text-align:center; color:{colour}; font-size:{size}pt; "
                     f"margin-bottom:{gap}'>{e(text)}</div>")
    else:
        body = f"<div style='text-align:center; color:{RED}; font-size:24pt; margin: 10mm 0 14mm'>目　录</div>"
        for level, text, folio in front.rows:
            size, pad = (15, 0) if level == 0 else (12, 2.5)
            dots = ("<span class='dots'>" + "." * 200 + "</span>" if leaders == "dots" else
                    "<span class='dots' style='border-bottom: 1.2pt dotted #000; align-self: flex-end; "
                    "margin-bottom: 0.3em'></span>")
            body += (f"<div class='row' style='font-size:{size}pt; margin: 0 0 {size * (1.2 if level == 0 else 0.8)}pt"
                     f" {pad}em'><span>{e(text)}</span>{dots}<span>{e(folio)}</span></div>")
    return f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body></html>"


def chromium_page(engine, front: Front, kind: str, path: str) -> str:
    page = engine.browser.new_page()
    try:
        page.set_content(front_html(front, kind), wait_until="load")
        page.evaluate("document.fonts.ready")
        page.pdf(path=path, width=f"{front.page_mm[0]}mm", height=f"{front.page_mm[1]}mm", prefer_css_page_size=True,
                 print_background=True)
    finally:
        page.close()
    return engine.version


def weasyprint_page(front: Front, kind: str, path: str) -> str:
    import weasyprint
    weasyprint.HTML(string=front_html(front, kind, leaders="rule")).write_pdf(path)
    return f"WeasyPrint {weasyprint.__version__}"


# ---- LibreOffice (a .docx: centred lines; the 目录 with a right tab stop and dot leaders) ----

def libreoffice_page(engine, front: Front, kind: str, path: str) -> str:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(front.page_mm[0]), Mm(front.page_mm[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(25))

    def para(text, size, align=WD_ALIGN_PARAGRAPH.CENTER, colour=None, before=0, indent=0):
        p = doc.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(before), Pt(size * 0.6)
        p.paragraph_format.left_indent = Pt(indent)
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.name = front.font
        run._element.rPr.rFonts.set(qn("w:eastAsia"), front.font)
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))
        return p
    if kind == "cover":
        lines = front.cover_lines()
        for k, (text, size) in enumerate(lines):
            para(text, size, colour=RED if k == 0 else None, before=130 if k == 0 else 260 if k == len(lines) - 2 else 8)
    else:
        para("目　录", 24, colour=RED, before=20).paragraph_format.space_after = Pt(30)
        width = Mm(front.page_mm[0] - 50)
        for level, text, folio in front.rows:
            size = 15 if level == 0 else 12
            p = para(f"{text}\t{folio}", size, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0 if level == 0 else 2.5 * size)
            p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    work = tempfile.mkdtemp(prefix="volume-front-")
    try:
        docx = os.path.join(work, "front.docx")
        doc.save(docx)
        from .office import SOFFICE
        res = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{engine.profile}", "--headless", "--norestore",
                              "--convert-to", "pdf:writer_pdf_Export", "--outdir", work, docx],
                             capture_output=True, text=True, timeout=300)
        if res.returncode != 0 or not os.path.exists(os.path.join(work, "front.pdf")):
            raise SystemExit(f"soffice failed: {res.stdout}{res.stderr}")
        shutil.move(os.path.join(work, "front.pdf"), path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return engine.version


# ---- a picture cover (no text layer) ----

def picture_cover(front: Front, path: str, dpi: int = 100) -> str:
    from reportlab.pdfgen import canvas
    w, h = front.page_mm[0] * MM, front.page_mm[1] * MM
    img = os.path.splitext(path)[0] + ".jpg"
    px = lambda pt: int(round(pt / 72 * dpi))
    save_jpeg(cover(rng_for("volume-cover", front.year, front.first), px(w), px(h), front.publication,
                    f"{front.year}年合订本（{front.first}—{front.last}）", front.publisher + "　编"), img)
    c = canvas.Canvas(path, pagesize=(w, h))
    c.drawImage(img, 0, 0, w, h)
    c.showPage()
    c.save()
    os.remove(img)
    return "picture"


def render_front(engines, producer: str, front: Front, kind: str, path: str) -> str:
    """One page of the volume's own (kind: cover, picture-cover, toc) drawn by `producer`."""
    if kind == "picture-cover":
        return picture_cover(front, path)
    base = producer.removesuffix("-gs")
    if base in ("reportlab", "fpdf2", "typst", "pymupdf"):
        return reportlab_page(front, kind, path)
    if base == "chromium":
        return chromium_page(engines.get("chromium"), front, kind, path)
    if base == "weasyprint":
        return weasyprint_page(front, kind, path)
    if base == "libreoffice":
        return libreoffice_page(engines.get("libreoffice"), front, kind, path)
    raise SystemExit(f"no volume pages for producer {producer}")
