"""LibreOffice producer: a .docx written with python-docx, converted by `soffice --headless
--convert-to pdf`. Front matter is its own sections (a margin-less section for the picture cover,
no header/footer); the body section carries the running header and PAGE field folios (restarted at
the masthead page where the style says so); columns are continuous sections with w:cols, the
masthead, each section title and the 版记 a one-column continuous section between them."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

from .common import RED

SOFFICE = os.environ.get("SOFFICE", "soffice")

# WordprocessingML wants children in schema order: what may follow w:spacing in w:rPr, w:pBdr in w:pPr
RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                     "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                     "w:eastAsianLayout", "w:specVanish", "w:oMath")
PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                  "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                  "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
SECTPR_AFTER_COLS = ("w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                     "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


class DocxBuilder:
    def __init__(self, job):
        from docx import Document
        self.job, self.st = job, job.style
        self.doc = Document()
        self._setup()

    # ---- low-level helpers ----

    def el(self, tag, **attrs):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        node = OxmlElement(tag)
        for k, v in attrs.items():
            node.set(qn(k), str(v))
        return node

    def fonts(self, rpr_owner, east_asia):
        from docx.oxml.ns import qn
        rpr = rpr_owner.get_or_add_rPr()
        f = rpr.find(qn("w:rFonts"))
        if f is None:
            f = self.el("w:rFonts")
            rpr.insert(0, f)
        for attr in ("w:ascii", "w:hAnsi"):
            f.set(qn(attr), "Times New Roman")
        f.set(qn("w:eastAsia"), east_asia)

    def run(self, par, text, size=None, bold=False, color=None, font=None, spacing_twips=None):
        from docx.shared import Pt, RGBColor
        r = par.add_run(text)
        if size:
            r.font.size = Pt(size)
        r.bold = bold or None
        if color:
            r.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
        if font:
            self.fonts(r._r, font)
        if spacing_twips:
            r._r.get_or_add_rPr().insert_element_before(self.el("w:spacing", **{"w:val": spacing_twips}),
                                                         *RPR_AFTER_SPACING)
        return r

    def border(self, par, side, eighths, color="000000", space=1):
        from docx.oxml.ns import qn
        ppr = par._p.get_or_add_pPr()
        bdr = ppr.find(qn("w:pBdr"))
        if bdr is None:
            bdr = self.el("w:pBdr")
            ppr.insert_element_before(bdr, *PPR_AFTER_PBDR)
        bdr.append(self.el(f"w:{side}", **{"w:val": "single", "w:sz": eighths, "w:space": space, "w:color": color}))

    def shade(self, par, fill):
        ppr = par._p.get_or_add_pPr()
        ppr.insert_element_before(self.el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}),
                                  *PPR_AFTER_PBDR[1:])

    def para(self, text="", align="left", indent_chars=0, before=0, after=0, leading=None, keep=False, **kw):
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.oxml.ns import qn
        from docx.shared import Pt
        p = self.doc.add_paragraph()
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        fmt = p.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if leading:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(leading)
        if keep:
            fmt.keep_with_next = True
        if indent_chars:  # both forms, as Word writes them
            fmt.first_line_indent = Pt(self.st["body"] * indent_chars)
            p._p.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), str(indent_chars * 100))
        # LibreOffice 7.4 drops a full-width comma that would hang past a column's right edge; Writer
        # reads w:overflowPunct inverted (val 1 = no hanging), and only on paragraphs.
        p._p.get_or_add_pPr().insert_element_before(self.el("w:overflowPunct", **{"w:val": 1}),
                                                    *PPR_AFTER_PBDR[PPR_AFTER_PBDR.index("w:topLinePunct"):])
        if text:
            self.run(p, text, **kw)
        return p

    def field(self, par, instr, size):
        from docx.oxml.ns import qn
        from docx.shared import Pt

        def r(*children):
            rr = par.add_run()
            rr.font.size = Pt(size)
            for c in children:
                rr._r.append(c)
        instr_el = self.el("w:instrText")
        instr_el.set(qn("xml:space"), "preserve")
        instr_el.text = f" {instr} "
        text_el = self.el("w:t")
        text_el.text = "1"
        r(self.el("w:fldChar", **{"w:fldCharType": "begin"}))
        r(instr_el)
        r(self.el("w:fldChar", **{"w:fldCharType": "separate"}))
        r(text_el)
        r(self.el("w:fldChar", **{"w:fldCharType": "end"}))

    # ---- sections ----

    def _setup(self):
        from docx.oxml.ns import qn
        from docx.shared import Pt
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(self.st["body"])
        self.fonts(normal.element, self.st["fonts"]["body"])
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        lang = defaults.find(".//" + qn("w:lang")) if defaults is not None else None
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        self.page_setup(self.doc.sections[0], margins=not (self.job.front and self.job.front[0] == "cover"))

    def page_setup(self, section, margins=True, columns=1):
        from docx.shared import Mm
        w, h = self.st["page"]
        section.page_width, section.page_height = Mm(w), Mm(h)
        t, r, b, l = self.st["margins"] if margins else (0, 0, 0, 0)
        section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
            Mm(t), Mm(r), Mm(b), Mm(l))
        section.header_distance, section.footer_distance = Mm(t * 0.4 if margins else 0), Mm(b * 0.4 if margins else 0)
        self.cols(section, columns)

    def cols(self, section, n):
        from docx.oxml.ns import qn
        sect = section._sectPr
        c = sect.find(qn("w:cols"))
        if c is None:
            c = self.el("w:cols")
            sect.insert_element_before(c, *SECTPR_AFTER_COLS)
        c.set(qn("w:num"), str(n))
        c.set(qn("w:space"), str(int(self.st["gutter"] / 25.4 * 1440)))
        if n > 1 and self.st["col_rule"]:
            c.set(qn("w:sep"), "1")
        elif c.get(qn("w:sep")) is not None:
            del c.attrib[qn("w:sep")]

    def new_section(self, start, columns=1, margins=True):
        """End the current section; the new one (returned) has the given columns. The empty paragraph
        python-docx adds to hold the ended section's properties is folded into the one before it."""
        from docx.enum.section import WD_SECTION
        from docx.oxml.ns import qn
        section = self.doc.add_section({"page": WD_SECTION.NEW_PAGE, "cont": WD_SECTION.CONTINUOUS}[start])
        body = self.doc.element.body
        holder = [p for p in body.iterchildren(qn("w:p"))][-1]
        prev = holder.getprevious()
        sect = holder.find(qn("w:pPr")).find(qn("w:sectPr"))
        if prev is not None and prev.tag == qn("w:p") and (prev.find(qn("w:pPr")) is None or
                                                          prev.find(qn("w:pPr")).find(qn("w:sectPr")) is None):
            ppr = prev.find(qn("w:pPr"))
            if ppr is None:
                ppr = self.el("w:pPr")
                prev.insert(0, ppr)
            ppr.append(sect)
            body.remove(holder)
        if start == "cont":  # numbering restarts and a different first page belong to the body's first section
            for tag in ("w:pgNumType", "w:titlePg"):
                for node in section._sectPr.findall(qn(tag)):
                    section._sectPr.remove(node)
        self.page_setup(section, margins=margins, columns=columns)
        return section

    # ---- header / footer ----

    def header_footer(self, section):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        st = self.st
        restart = st["footer"] and st["footer"]["offset"] == self.job.n_front and self.job.n_front
        if restart:
            pg = self.el("w:pgNumType", **{"w:start": 1})
            section._sectPr.insert_element_before(pg, "w:cols", *SECTPR_AFTER_COLS)
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        first_differs = bool(st["header"] and st["header"]["pages"] == "not_first")
        if first_differs:
            section.different_first_page_header_footer = True
            section.first_page_header.is_linked_to_previous = False
            section.first_page_footer.is_linked_to_previous = False
        if st["header"]:
            hp = section.header.paragraphs[0]
            hp.alignment = WD_ALIGN_PARAGRAPH.CENTER if st["header"]["align"] == "center" else WD_ALIGN_PARAGRAPH.LEFT
            self.run(hp, st["header"]["text"], size=9.5)
            self.border(hp, "bottom", 5)
        footers = [section.footer] + ([section.first_page_footer] if first_differs else [])
        if st["footer"]:
            for footer in footers:
                fp = footer.paragraphs[0]
                fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for piece in re.split(r"(\{n\})", st["footer"]["pattern"]):
                    if piece == "{n}":
                        self.field(fp, "PAGE", 10.5)
                    elif piece:
                        self.run(fp, piece, size=10.5)

    # ---- content ----

    def front(self):
        from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
        from docx.shared import Mm
        job, st = self.job, self.st
        w, h = st["page"]
        for k, kind in enumerate(job.front):
            if k:
                self.new_section("page", margins=kind != "cover")
            if kind == "cover":
                p = self.para()
                p.paragraph_format.line_spacing = 1.0
                p.add_run().add_picture(job.cover_image(), width=Mm(w), height=Mm(h - 1.0))
            elif kind == "blank":
                self.para()
            else:
                f = st["fonts"]
                self.para("目　录", "center", after=24, before=12, size=26, color=RED, font=f["title"], spacing_twips=200)
                text_w = Mm(w - st["margins"][1] - st["margins"][3])
                for level, text, label in job.toc_entries():
                    size = 15 if level == 0 else 12.5
                    p = self.para(after=size * 0.9)
                    if level:
                        p.paragraph_format.left_indent = Mm(12)
                    p.paragraph_format.tab_stops.add_tab_stop(text_w, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
                    self.run(p, f"{text}\t{label}", size=size, font=f["title"] if level == 0 else f["body"])
        if job.front:
            return self.new_section("page")
        return self.doc.sections[0]

    def masthead(self):
        st, m, f = self.st, self.job.mast, self.st["fonts"]
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Mm
        self.para(m["title"], "center", after=4, size=st["masthead"], bold=True, color=RED, font=f["masthead"],
                  spacing_twips=int(st["masthead"] * 2))
        self.para(m["number_line"], "center", after=4, size=st["number"])
        w = st["page"][0] - st["margins"][1] - st["margins"][3]
        if m["align"] == "center":
            row = self.para(m["left"] or m["right"], "center", after=10, size=st["number"])
        else:
            row = self.para(after=10)
            row.paragraph_format.tab_stops.add_tab_stop(Mm(w), WD_TAB_ALIGNMENT.RIGHT)
            self.run(row, f"{m['left']}\t{m['right']}", size=st["number"])
        self.border(row, "bottom", 18, RED.lstrip("#").upper(), space=4)

    def title(self, text):
        st, f = self.st, self.st["fonts"]
        align = st.get("title_align", "center")
        color = "#ffffff" if st["title_style"] == "banner" else RED
        p = self.para(text, align, before=8, after=6, keep=True, size=st["section"], bold=True, color=color,
                      font=f["title"], spacing_twips=int(st["section"] * 20 * st["title_spacing"]) or None,
                      indent_chars=2 if align == "left" else 0)
        if st["title_style"] == "banner":
            self.shade(p, RED.lstrip("#").upper())
        elif st["title_style"] == "rules":
            self.border(p, "bottom", 6, RED.lstrip("#").upper(), space=2)

    def block(self, b, col_w_mm):
        from docx.shared import Mm
        st, f = self.st, self.st["fonts"]
        align = st["align"]
        if b["kind"] == "heading":
            talign = st.get("title_align", "center")
            self.para(b["text"], talign, before=st["heading"] * 0.4, after=st["heading"] * 0.3, keep=True,
                      size=st["heading"], bold=True, font=f["heading"], indent_chars=2 if talign == "left" else 0,
                      leading=st["leading"] if st["align"] == "left" else None)
        elif b["kind"] == "figure":  # photo, line break, caption: one paragraph, kept together
            p = self.para(align="left" if b["align"] == "left" else "center", before=4, after=6)
            p.paragraph_format.keep_together = True
            p.add_run().add_picture(self.job.photo_path(b, col_w_mm * 2.83), width=Mm(col_w_mm * b["width"] * 0.92))
            p.add_run().add_break()
            self.run(p, b["text"], size=st["caption"], font=f["caption"])
        elif b["kind"] == "table":
            self.table(b, col_w_mm)
        else:
            font = f["quote"] if b["role"] == "quote" else f["body"]
            self.para(b["text"], align, indent_chars=st["indent"], after=st["para_after"], leading=st["leading"],
                      font=font, size=st["body"])

    def table(self, b, col_w_mm):
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt
        f = self.st["fonts"]
        rows = b["rows"]
        t = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = self.doc.styles["Table Grid"]
        t.autofit = False
        size = min(self.st["body"], 11) - 0.5
        for r_i, row in enumerate(rows):
            tr = t.rows[r_i]._tr
            trpr = tr.get_or_add_trPr()
            trpr.append(self.el("w:cantSplit"))
            for c_i, text in enumerate(row):
                cell = t.cell(r_i, c_i)
                cell.width = Mm(col_w_mm * b["widths"][c_i])
                p = cell.paragraphs[0]
                p.paragraph_format.space_after = Pt(0)
                self.run(p, text, size=size, bold=r_i == 0, font=f["heading"] if r_i == 0 else f["body"])
                if r_i == 0:
                    tcpr = cell._tc.get_or_add_tcPr()
                    tcpr.append(self.el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": "E8E8E8"}))
        grid = t._tbl.find(qn("w:tblGrid"))
        for gc, w in zip(grid.findall(qn("w:gridCol")), b["widths"]):
            gc.set(qn("w:w"), str(int(col_w_mm * w / 25.4 * 1440)))
        self.para(after=2)  # Word keeps a paragraph after a table

    def end(self):
        st = self.st
        size = min(st["body"], 11)
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Mm
        lines, imprint = self.job.end_lines, self.job.imprint
        self.para(lines[0], before=14, after=4, size=size)
        ruled = [self.para(t, size=size) for t in lines[1:]]
        if imprint:  # the 印发 row: its two cells at the ends of one line
            p = self.para(size=size, before=0 if imprint["rules"] else 4)
            w = st["page"][0] - st["margins"][1] - st["margins"][3]
            p.paragraph_format.tab_stops.add_tab_stop(Mm(w - 4), WD_TAB_ALIGNMENT.RIGHT)
            self.run(p, f"{imprint['left']}\t{imprint['right']}", size=size)
            if imprint["rules"]:
                ruled.append(p)
        self.border(ruled[0], "top", 8)
        self.border(ruled[-1], "bottom", 8)

    def build(self, path):
        st, job = self.st, self.job
        body = self.front()
        self.header_footer(body)
        w = st["page"][0] - st["margins"][1] - st["margins"][3]
        n = st["columns"]
        col_w = (w - (n - 1) * st["gutter"]) / n
        self.masthead()
        for b in job.blocks:
            if b["kind"] == "section":
                if n > 1:
                    self.new_section("cont", columns=1)
                self.title(b["text"])
                if n > 1:
                    self.new_section("cont", columns=n)
            else:
                self.block(b, col_w)
        if n > 1:
            self.new_section("cont", columns=1)
        self.end()
        self.doc.core_properties.title = f"{job.mast['title']} {job.mast['number_line']}"
        self.doc.core_properties.author = job.issue["publisher"]
        self.doc.save(path)


class LibreOffice:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="render-shapes-lo-")
        out = subprocess.run([SOFFICE, "--version"], capture_output=True, text=True, check=True)
        self.version = out.stdout.strip()

    def render(self, job, pdf_path):
        work = tempfile.mkdtemp(prefix="render-shapes-docx-")
        try:
            stem = os.path.splitext(os.path.basename(pdf_path))[0]
            docx = os.path.join(work, stem + ".docx")
            DocxBuilder(job).build(docx)
            cmd = [SOFFICE, f"-env:UserInstallation=file://{self.profile}", "--headless", "--norestore",
                   "--convert-to", "pdf:writer_pdf_Export", "--outdir", work, docx]
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            produced = os.path.join(work, stem + ".pdf")
            if res.returncode != 0 or not os.path.exists(produced):
                raise SystemExit(f"soffice failed on {docx}: {res.stdout}{res.stderr}")
            shutil.move(produced, pdf_path)
            if os.environ.get("RENDER_SHAPES_KEEP_DOCX"):
                shutil.copy(docx, os.path.splitext(pdf_path)[0] + ".docx")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return self.version

    def close(self):
        shutil.rmtree(self.profile, ignore_errors=True)
