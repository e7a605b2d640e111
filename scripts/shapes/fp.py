"""fpdf2 producer (pip install fpdf2): a second held-out tool. Columns are fpdf2's text_columns
(balanced), wrapped glyph by glyph (WrapMode.CHAR: no kinsoku, so a line may open with ，or 。,
and Latin words break anywhere, without a hyphen); TrueType fonts only (it cannot subset CFF),
embedded as Identity-H subsets. Section titles, masthead and the 版记 span the page; running
header and folio from the job per physical page. No pictures or tables (shapes cover, masthead,
gongwen, units)."""
from __future__ import annotations

from fpdf import FPDF, __version__ as FPDF_VERSION
from fpdf.enums import WrapMode

from .common import FONTS, MM

RED_RGB = (0xC0, 0, 0)
SHAPES = ("cover", "masthead", "gongwen", "units")


class _Doc(FPDF):
    def __init__(self, job):
        st = job.style
        super().__init__(unit="pt", format=(st["page"][0] * MM, st["page"][1] * MM))
        self.job = job
        t, r, b, l = (m * MM for m in st["margins"])
        self.set_margins(l, t, r)
        self.set_auto_page_break(True, margin=b)
        self.bottom_margin = b
        for family in set(st["fonts"].values()):
            path, index, _, embeddable = FONTS[family]
            if not embeddable:
                raise SystemExit(f"fpdf2 cannot embed {family} (CFF outlines or missing glyphs)")
            self.add_font(family.replace(" ", ""), fname=path, collection_font_number=index)
        self.set_title(f"{job.mast['title']} {job.mast['number_line']}")
        self.set_creator("fpdf2")

    def font(self, role, size):
        self.set_font(self.job.style["fonts"][role].replace(" ", ""), size=size)

    def header(self):
        text = self.job.header_text(self.page_no())
        if not text:
            return
        st = self.job.style
        self.font("body", 9.5)
        self.set_text_color(0)
        y = st["margins"][0] * MM * 0.45
        self.set_xy(self.l_margin, y)
        self.cell(self.epw, 12, text, align="C" if st["header"]["align"] == "center" else "L")
        self.set_line_width(0.6)
        self.line(self.l_margin, y + 15, self.w - self.r_margin, y + 15)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self):
        text = self.job.footer_text(self.page_no())
        if not text:
            return
        self.font("body", 10.5)
        self.set_text_color(0)
        self.set_xy(self.l_margin, self.h - self.bottom_margin * 0.55)
        self.cell(self.epw, 12, text, align="C")


def _front(doc, job, kind):
    doc.add_page()
    if kind == "cover":
        doc.set_auto_page_break(False)
        doc.image(job.cover_image(), x=0, y=0, w=doc.w, h=doc.h)
        doc.set_auto_page_break(True, margin=doc.bottom_margin)
    elif kind == "toc":
        doc.font("title", 26)
        doc.set_text_color(*RED_RGB)
        doc.cell(doc.epw, 60, "目　录", align="C", new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0)
        for level, text, label in job.toc_entries():
            size = 15 if level == 0 else 12.5
            doc.font("title" if level == 0 else "body", size)
            x = doc.l_margin + (0 if level == 0 else 2.5 * size)
            doc.set_x(x)
            tw, lw = doc.get_string_width(text), doc.get_string_width(label)
            dots = "." * max(0, int((doc.epw - (x - doc.l_margin) - tw - lw - 12) / doc.get_string_width(".")))
            doc.cell(tw + 6, size * 2, text)
            doc.cell(doc.get_string_width(dots) + 6, size * 2, dots)
            doc.set_x(doc.w - doc.r_margin - lw)
            doc.cell(lw, size * 2, label, new_x="LMARGIN", new_y="NEXT")


def _masthead(doc, job):
    st, m = job.style, job.mast
    doc.font("masthead", st["masthead"])
    doc.set_text_color(*RED_RGB)
    doc.set_char_spacing(st["masthead"] * 0.08)
    doc.cell(doc.epw, st["masthead"] * 1.35, m["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_char_spacing(0)
    doc.set_text_color(0)
    doc.font("body", st["number"])
    doc.cell(doc.epw, st["number"] * 1.8, m["number_line"], align="C", new_x="LMARGIN", new_y="NEXT")
    y = doc.get_y()
    doc.cell(doc.epw / 2, st["number"] * 1.6, m["left"])
    doc.set_xy(doc.l_margin + doc.epw / 2, y)
    doc.cell(doc.epw / 2, st["number"] * 1.6, m["right"], align="R", new_x="LMARGIN", new_y="NEXT")
    doc.set_draw_color(*RED_RGB)
    doc.set_line_width(2.2)
    doc.line(doc.l_margin, doc.get_y() + 2, doc.w - doc.r_margin, doc.get_y() + 2)
    doc.set_draw_color(0)
    doc.set_y(doc.get_y() + 10)


def _title(doc, job, text):
    st = job.style
    size = st["section"]
    if doc.get_y() + size * 2.2 + st["leading"] * 3 > doc.h - doc.bottom_margin:
        doc.add_page()
    doc.set_y(doc.get_y() + 4)
    doc.font("title", size)
    doc.set_char_spacing(size * st["title_spacing"])
    doc.set_text_color(*RED_RGB)
    left = st.get("title_align") == "left"
    if left:
        doc.set_x(doc.l_margin + 2 * size)
    doc.cell(doc.epw - (2 * size if left else 0), size * 1.6, text, align="L" if left else "C",
             new_x="LMARGIN", new_y="NEXT")
    if st["title_style"] == "rules":
        doc.set_draw_color(*RED_RGB)
        doc.set_line_width(0.8)
        doc.line(doc.l_margin, doc.get_y(), doc.w - doc.r_margin, doc.get_y())
        doc.set_draw_color(0)
    doc.set_char_spacing(0)
    doc.set_text_color(0)
    doc.set_y(doc.get_y() + 4)


def _section(doc, job, blocks):
    st = job.style
    align = "J" if st["align"] == "justify" else "L"
    with doc.text_columns(ncols=st["columns"], gutter=st["gutter"] * MM, balance=st["columns"] > 1,
                          text_align=align, line_height=st["leading"] / st["body"],
                          wrapmode=WrapMode.CHAR) as cols:
        for b in blocks:
            if b["kind"] == "heading":
                centre = st.get("title_align", "center") == "center"
                with cols.paragraph(text_align="C" if centre else "L", top_margin=st["heading"] * 0.4,
                                    bottom_margin=st["heading"] * 0.3, line_height=1.5,
                                    first_line_indent=0 if centre else 2 * st["heading"]) as p:
                    doc.font("heading", st["heading"])
                    p.write(b["text"])
            else:
                with cols.paragraph(first_line_indent=st["indent"] * st["body"], bottom_margin=st["para_after"]) as p:
                    doc.font("quote" if b.get("role") == "quote" else "body", st["body"])
                    p.write(b["text"])


def _end(doc, job):
    size = min(job.style["body"], 11)
    doc.font("body", size)
    if doc.get_y() + size * 6 > doc.h - doc.bottom_margin:
        doc.add_page()
    doc.set_y(doc.get_y() + 14)
    doc.multi_cell(doc.epw, size * 1.7, job.end_lines[0], new_x="LMARGIN", new_y="NEXT")
    doc.set_line_width(1)
    doc.line(doc.l_margin, doc.get_y(), doc.w - doc.r_margin, doc.get_y())
    for text in job.end_lines[1:]:
        doc.multi_cell(doc.epw, size * 1.7, text, new_x="LMARGIN", new_y="NEXT")
    doc.line(doc.l_margin, doc.get_y(), doc.w - doc.r_margin, doc.get_y())


class Fpdf2:
    version = f"fpdf2 {FPDF_VERSION}"

    def render(self, job, pdf_path):
        if job.shape not in SHAPES:
            raise SystemExit(f"the fpdf2 producer makes {', '.join(SHAPES)} (no pictures or tables)")
        doc = _Doc(job)
        for kind in job.front:
            _front(doc, job, kind)
        doc.add_page()
        _masthead(doc, job)
        section = None
        for b in job.blocks + [{"kind": "section", "text": None}]:
            if b["kind"] == "section":
                if section is not None:
                    _section(doc, job, section)
                if b["text"] is None:
                    break
                _title(doc, job, b["text"])
                section = []
            else:
                section.append(b)
        _end(doc, job)
        doc.output(pdf_path)
        return self.version
