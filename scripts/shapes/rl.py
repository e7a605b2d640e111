"""reportlab producer: the page is composed directly on a canvas. Section titles and the masthead
span the page; what follows a title is balanced across the columns of a band (newspaper style),
paragraphs splitting between columns and pages; figures (photo + caption) and ruled tables stay
whole; running header, folio and column rules drawn per page."""
from __future__ import annotations

from reportlab import Version as RL_VERSION
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .common import FONTS, MM, RED

RED_C = colors.HexColor(RED)


def font_name(family):
    name = family.replace(" ", "")
    if name not in pdfmetrics.getRegisteredFontNames():
        path, index, _, _ = FONTS[family]
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    return name


def check_glyphs(family, text):
    face = pdfmetrics.getFont(font_name(family)).face
    missing = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in face.charToGlyph})
    if missing:
        raise SystemExit(f"font {family} lacks {''.join(missing)}: choose another --font")


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Drawn(Flowable):
    """A fixed-height full-width piece drawn by a function (masthead, section title, end block)."""

    def __init__(self, height, fn):
        super().__init__()
        self.h, self.fn = height, fn

    def wrap(self, aw, ah):
        self.w = aw
        return aw, self.h

    def split(self, aw, ah):
        return []

    def draw(self):
        self.fn(self.canv, self.w, self.h)


class Figure(Flowable):
    """A photo with its caption line under it; never split."""

    def __init__(self, job, block, cap_style):
        super().__init__()
        self.job, self.block, self.cap_style = job, block, cap_style

    def wrap(self, aw, ah):
        self.w = aw
        self.img_w = aw * self.block["width"]
        self.img_h = self.img_w * self.block["aspect"]
        self.cap = Paragraph(esc(self.block["text"]), self.cap_style)
        _, self.cap_h = self.cap.wrap(aw, ah)
        return aw, self.img_h + self.cap_h + 10

    def split(self, aw, ah):
        return []

    def draw(self):
        x = 0 if self.block["align"] == "left" else (self.w - self.img_w) / 2
        self.canv.drawImage(self.job.photo_path(self.block, self.img_w), x, self.cap_h + 7, self.img_w, self.img_h)
        self.cap.drawOn(self.canv, 0, 3)


class WholeTable(Table):
    def split(self, aw, ah):
        return []


class Composer:
    def __init__(self, job, path):
        self.job, st = job, job.style
        self.st = st
        self.W, self.H = st["page"][0] * MM, st["page"][1] * MM
        t, r, b, l = st["margins"]
        self.x0, self.x1, self.top, self.bottom = l * MM, self.W - r * MM, self.H - t * MM, b * MM
        self.n, self.gap = st["columns"], st["gutter"] * MM
        self.colw = (self.x1 - self.x0 - (self.n - 1) * self.gap) / self.n
        self.c = rl_canvas.Canvas(path, pagesize=(self.W, self.H), pageCompression=1)
        self.c.setTitle(f"{job.issue['publication']} {job.mast['number_line']}")
        self.c.setAuthor(job.issue["publisher"])
        self.c.setCreator(st.get("creator", "Microsoft® Word 2016"))
        self.f = {k: font_name(v) for k, v in st["fonts"].items()}
        self.page = 0
        self.styles()

    # ---- styles ----

    def styles(self):
        st, f = self.st, self.f
        align = TA_JUSTIFY if st["align"] == "justify" else TA_LEFT
        self.body = ParagraphStyle("body", fontName=f["body"], fontSize=st["body"], leading=st["leading"],
                                   alignment=align, firstLineIndent=st["indent"] * st["body"], wordWrap="CJK",
                                   spaceAfter=st["para_after"])
        self.quote = ParagraphStyle("quote", parent=self.body, fontName=f["quote"])
        self.latin = ParagraphStyle("latin", parent=self.body, wordWrap=None)
        self.heading = ParagraphStyle("heading", fontName=f["heading"], fontSize=st["heading"],
                                      leading=st["heading"] * 1.6, alignment=TA_CENTER, wordWrap="CJK",
                                      spaceBefore=st["heading"] * 0.4, spaceAfter=st["heading"] * 0.3)
        if st.get("title_align") == "left":
            self.heading.alignment = TA_LEFT
            self.heading.firstLineIndent = 2 * st["heading"]
        self.caption = ParagraphStyle("caption", fontName=f["caption"], fontSize=st["caption"],
                                      leading=st["caption"] * 1.45, alignment=TA_CENTER, wordWrap="CJK")
        self.cell = ParagraphStyle("cell", fontName=f["body"], fontSize=min(st["body"], 11) - 0.5,
                                   leading=(min(st["body"], 11) - 0.5) * 1.35, wordWrap="CJK")
        self.small = ParagraphStyle("small", fontName=f["body"], fontSize=min(st["body"], 11),
                                    leading=min(st["body"], 11) * 1.6, wordWrap="CJK")

    # ---- pages ----

    def begin_page(self):
        self.page += 1
        self.y = self.top
        c, job = self.c, self.job
        head = job.header_text(self.page)
        if head:
            c.saveState()
            c.setFont(self.f["body"], 9.5)
            y = self.H - self.st["margins"][0] * MM * 0.55
            if self.st["header"]["align"] == "center":
                c.drawCentredString(self.W / 2, y, head)
            else:
                c.drawString(self.x0, y, head)
            c.setLineWidth(0.6)
            c.line(self.x0, y - 4, self.x1, y - 4)
            c.restoreState()
        foot = job.footer_text(self.page)
        if foot:
            c.saveState()
            c.setFont(self.f["body"], 10.5)
            c.drawCentredString(self.W / 2, self.st["margins"][2] * MM * 0.45, foot)
            c.restoreState()

    def end_page(self):
        self.c.showPage()

    def new_page(self):
        self.end_page()
        self.begin_page()

    def full(self, flowable, keep=0.0):
        """Place a full-width flowable, on a new page if it (and `keep` points more) does not fit."""
        _, h = flowable.wrap(self.x1 - self.x0, self.y - self.bottom)
        if h + keep > self.y - self.bottom and self.y < self.top:
            self.new_page()
        flowable.drawOn(self.c, self.x0, self.y - h)
        self.y -= h

    # ---- columns ----

    def simulate(self, flows, height):
        cols, queue, ci, avail = [[] for _ in range(self.n)], list(flows), 0, height
        follow = self.st["leading"] * 2
        while queue and ci < self.n:
            f = queue[0]
            before = f.getSpaceBefore() if cols[ci] else 0
            _, h = f.wrap(self.colw, avail)
            keep = getattr(f, "keepWithNext", False) and len(queue) > 1
            if before + h + (follow if keep else 0) <= avail + 0.01:
                after = f.getSpaceAfter()
                cols[ci].append((f, h, before))
                queue.pop(0)
                avail -= before + h + after
                continue
            parts = [] if keep else f.split(self.colw, avail - before)
            if len(parts) >= 2:
                _, h0 = parts[0].wrap(self.colw, avail - before)
                if before + h0 <= avail + 0.01:
                    cols[ci].append((parts[0], h0, before))
                    queue[0:1] = parts[1:]
            while len(cols[ci]) > 1 and getattr(cols[ci][-1][0], "keepWithNext", False):
                queue.insert(0, cols[ci].pop()[0])  # a heading goes with what follows it
            ci, avail = ci + 1, height
        return cols, queue

    def draw_cols(self, cols, height):
        for ci, col in enumerate(cols):
            x, y = self.x0 + ci * (self.colw + self.gap), self.y
            for f, h, before in col:
                y -= before
                f.wrap(self.colw, height)
                f.drawOn(self.c, x, y - h)
                y -= h + f.getSpaceAfter()
        if self.st["col_rule"]:
            used = sum(1 for col in cols if col)
            self.c.saveState()
            self.c.setLineWidth(0.5)
            for ci in range(1, max(used, 1)):
                x = self.x0 + ci * (self.colw + self.gap) - self.gap / 2
                self.c.line(x, self.y, x, self.y - height)
            self.c.restoreState()

    def flow(self, flows):
        while flows:
            avail = self.y - self.bottom
            cols, rest = self.simulate(flows, avail)
            if not rest:
                if self.n > 1:  # the smallest band height that holds it all: balanced columns
                    lo, hi = 0.0, avail
                    for _ in range(16):
                        mid = (lo + hi) / 2
                        if self.simulate(flows, mid)[1]:
                            lo = mid
                        else:
                            hi = mid
                    cols, rest = self.simulate(flows, hi)
                    height = hi
                else:
                    height = sum(b + h + f.getSpaceAfter() for f, h, b in cols[0])
                self.draw_cols(cols, height)
                self.y -= min(height, avail)
                return
            if not any(cols):
                if self.y >= self.top:
                    raise SystemExit(f"{flows[0].__class__.__name__} does not fit an empty column")
                self.new_page()
                continue
            self.draw_cols(cols, avail)
            flows = rest
            self.new_page()


def _masthead(comp):
    job, st, f = comp.job, comp.st, comp.f
    m = job.mast
    size, num = st["masthead"], st["number"]
    height = size * 1.35 + num * 1.8 + num * 1.9 + 10

    def draw(c, w, h):
        c.saveState()
        c.setFillColor(RED_C)
        c.setFont(f["masthead"], size)
        c.drawCentredString(w / 2, h - size * 1.05, m["title"], charSpace=size * 0.08)
        c.setFillColor(colors.black)
        c.setFont(f["body"], num)
        c.drawCentredString(w / 2, h - size * 1.35 - num * 1.2, m["number_line"])
        y = h - size * 1.35 - num * 1.8 - num * 1.2
        if m["align"] == "center":
            c.drawCentredString(w / 2, y, m["left"] or m["right"])
        else:
            c.drawString(4, y, m["left"])
            c.drawRightString(w - 4, y, m["right"])
        c.setStrokeColor(RED_C)
        c.setLineWidth(2.2)
        c.line(0, y - 6, w, y - 6)
        c.restoreState()
    return Drawn(height, draw)


def _section_title(comp, text):
    st, f = comp.st, comp.f
    size = st["section"]
    style = st["title_style"]
    height = size * 2.1
    spacing = size * st["title_spacing"]

    def draw(c, w, h):
        c.saveState()
        y = h - size * 1.35
        if style == "banner":
            c.setFillColor(RED_C)
            c.rect(0, y - size * 0.35, w, size * 1.5, stroke=0, fill=1)
            c.setFillColor(colors.white)
        else:
            c.setFillColor(RED_C)
        c.setFont(f["title"], size)
        if st.get("title_align") == "left":
            c.drawString(2 * size, y, text, charSpace=spacing)
        else:
            tw = pdfmetrics.stringWidth(text, f["title"], size) + spacing * (len(text) - 1)
            c.drawString((w - tw) / 2, y, text, charSpace=spacing)
        if style == "rules":
            c.setStrokeColor(RED_C)
            c.setLineWidth(0.8)
            c.line(0, y - size * 0.4, w, y - size * 0.4)
        c.restoreState()
    return Drawn(height, draw)


def _end_block(comp):
    """The 版记: its first line, then the rest between two rules; the 印发 row (job.imprint) last,
    between the rules or under them."""
    job = comp.job
    width = comp.x1 - comp.x0
    para = Paragraph(esc(job.end_lines[0]), comp.small)
    rows = [[Paragraph(esc(t), comp.small)] for t in job.end_lines[1:]]
    imprint = None
    if job.imprint:
        right = ParagraphStyle("right", parent=comp.small, alignment=TA_RIGHT)
        imprint = WholeTable([[Paragraph(esc(job.imprint["left"]), comp.small),
                               Paragraph(esc(job.imprint["right"]), right)]], colWidths=[width * 0.6, width * 0.4 - 12],
                             style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        if job.imprint["rules"]:
            rows.append([imprint])
            imprint = None
    table = WholeTable(rows, colWidths=[width],
                       style=TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1, colors.black),
                                         ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black)]))
    return [para, table] + ([imprint] if imprint else [])


def _toc_page(comp):
    c, f, job = comp.c, comp.f, comp.job
    y = comp.top - 10
    c.setFillColor(RED_C)
    c.setFont(f["title"], 26)
    c.drawCentredString(comp.W / 2, y - 26, "目　录")
    c.setFillColor(colors.black)
    y -= 80
    for level, text, label in job.toc_entries():
        size = 15 if level == 0 else 12.5
        font = f["title"] if level == 0 else f["body"]
        x = comp.x0 + (0 if level == 0 else 2.5 * size)
        c.setFont(font, size)
        c.drawString(x, y, text)
        tw = pdfmetrics.stringWidth(text, font, size)
        lw = pdfmetrics.stringWidth(label, font, size)
        dot = pdfmetrics.stringWidth(".", font, size)
        n_dots = int((comp.x1 - lw - 6 - (x + tw + 6)) / dot)
        c.drawString(x + tw + 6, y, "." * max(0, n_dots))
        c.drawRightString(comp.x1, y, label)
        y -= size * 2.1
    c.showPage()


def render(job, path):
    comp = Composer(job, path)
    st = job.style
    ends = job.end_lines + ([job.imprint["left"], job.imprint["right"]] if job.imprint else [])
    for text, role in [(b["text"], b["kind"]) for b in job.blocks] + [(t, "end") for t in ends + [job.mast["number_line"]]]:
        family = st["fonts"]["quote"] if role == "para" else st["fonts"]["body"]
        check_glyphs(family, text)
    for page in job.front:
        comp.page += 1
        if page == "cover":
            comp.c.drawImage(job.cover_image(), 0, 0, comp.W, comp.H)
            comp.c.showPage()
        elif page == "blank":
            comp.c.showPage()
        else:
            _toc_page(comp)
    comp.begin_page()
    if st.get("banner"):  # a picture above the masthead (a volume's issue opening under a photo)
        width = comp.x1 - comp.x0
        height = st["banner"] * MM
        photo = job.photo_path({"seed": f"banner-{job.issue['id']}", "aspect": height / width}, width)
        comp.c.drawImage(photo, comp.x0, comp.y - height, width, height)
        comp.y -= height + 12
    comp.full(_masthead(comp))
    comp.y -= 6
    blocks = job.blocks
    i = 0
    while i < len(blocks):
        sec = blocks[i]
        j = i + 1
        flows = []
        while j < len(blocks) and blocks[j]["kind"] != "section":
            flows.append(_flowable(comp, blocks[j]))
            j += 1
        comp.full(_section_title(comp, sec["text"]), keep=st["leading"] * 3)
        comp.flow(flows)
        comp.y -= st["leading"] * 0.3
        i = j
    para, *rest = _end_block(comp)
    comp.y -= 14
    if comp.n == 1:
        comp.flow([para] + rest)
    else:
        comp.full(para, keep=40)
        for flowable in rest:
            comp.full(flowable)
    comp.end_page()
    comp.c.save()
    return f"reportlab {RL_VERSION}"


def _flowable(comp, b):
    st = comp.st
    if b["kind"] == "heading":
        p = Paragraph(esc(b["text"]), comp.heading)
        p.keepWithNext = True
        return p
    if b["kind"] == "figure":
        style = ParagraphStyle("cap", parent=comp.caption, alignment=TA_LEFT if b["align"] == "left" else TA_CENTER)
        return Figure(comp.job, b, style)
    if b["kind"] == "table":
        cell_bold = ParagraphStyle("cellh", parent=comp.cell, fontName=comp.f["heading"])
        rows = [[Paragraph(esc(c), cell_bold if r == 0 else comp.cell) for c in row] for r, row in enumerate(b["rows"])]
        widths = [w * comp.colw for w in b["widths"]]
        t = WholeTable(rows, colWidths=widths, style=TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        t.spaceBefore, t.spaceAfter = 4, st["leading"] * 0.5
        return t
    style = {"quote": comp.quote, "latin": comp.latin}.get(b["role"], comp.body)
    return Paragraph(esc(b["text"]), style)
