"""PyMuPDF producer (pip install pymupdf): HTML laid out by MuPDF's own story engine (pymupdf.Story,
its HTML/CSS subset: no flex, no CSS columns, so one column; the masthead row and the 印发 row are
tables), TrueType CJK fonts from @font-face embedded as Identity-H subsets; the running header and the
folio are added afterwards with Page.insert_htmlbox. No pictures, tables or front matter (shapes
masthead-like)."""
from __future__ import annotations

import html
import os

from .common import FONTS, MM, RED

e = html.escape


def font_faces(st):
    """@font-face rules for the style's families (their TrueType files, TTC index 0) and the folders
    the archive must hold."""
    css, dirs = [], set()
    for family in set(st["fonts"].values()):
        path, index, _, embeddable = FONTS[family]
        if index or not embeddable:
            raise SystemExit(f"PyMuPDF: {family} is not a TrueType face at index 0")
        css.append(f"@font-face {{ font-family: '{family}'; src: url({os.path.basename(path)}); }}")
        dirs.add(os.path.dirname(path))
    return "\n".join(css), sorted(dirs)


def build_html(job):
    st, f, m = job.style, job.style["fonts"], job.mast
    css = f"""body {{ font-family: '{f['body']}'; font-size: {st['body']}pt; }}
.mast {{ text-align: center; color: {RED}; font-family: '{f['masthead']}'; font-size: {st['masthead']}pt;
         margin: 0 0 2mm 0; }}
.number {{ text-align: center; font-size: {st['number']}pt; margin: 0 0 2mm 0; }}
table.row {{ width: 100%; font-size: {st['number']}pt; border-bottom: 2.2pt solid {RED}; margin: 0 0 3mm 0; }}
h2 {{ text-align: {st.get('title_align', 'center')}; color: {RED}; font-family: '{f['title']}'; font-weight: normal;
      font-size: {st['section']}pt; margin: 3mm 0 2mm 0; }}
h3 {{ text-align: {st.get('title_align', 'center')}; font-family: '{f['heading']}'; font-weight: normal;
      font-size: {st['heading']}pt; margin: 1.5mm 0 1mm 0; }}
p.item {{ text-align: {'justify' if st['align'] == 'justify' else 'left'}; text-indent: {st['indent']}em;
          line-height: {st['leading']}pt; margin: 0 0 {st['para_after']}pt 0; }}
p.quote {{ font-family: '{f['quote']}'; }}
.end {{ font-size: {min(st['body'], 11)}pt; margin: 6mm 0 0 0; }}
.ruled {{ border-top: 1pt solid black; border-bottom: 1pt solid black; }}
.end p {{ margin: 0; line-height: 1.7; }}
"""
    out = [f"<div class='mast'>{e(m['title'])}</div><div class='number'>{e(m['number_line'])}</div>"]
    if m["align"] == "center":
        out.append(f"<table class='row'><tr><td style='text-align: center'>{e(m['left'] or m['right'])}</td></tr></table>")
    else:
        out.append(f"<table class='row'><tr><td>{e(m['left'])}</td><td style='text-align: right'>{e(m['right'])}"
                   f"</td></tr></table>")
    for b in job.blocks:
        if b["kind"] == "section":
            out.append(f"<h2>{e(b['text'])}</h2>")
        elif b["kind"] == "heading":
            out.append(f"<h3>{e(b['text'])}</h3>")
        elif b["kind"] == "para":
            out.append(f"<p class='item{' quote' if b['role'] == 'quote' else ''}'>{e(b['text'])}</p>")
        else:
            raise SystemExit(f"the PyMuPDF producer draws no {b['kind']}")
    end, imprint = job.end_lines, job.imprint
    ruled = "".join(f"<p>{e(t)}</p>" for t in end[1:])
    row = (f"<table style='width: 100%'><tr><td>{e(imprint['left'])}</td><td style='text-align: right'>"
           f"{e(imprint['right'])}</td></tr></table>") if imprint else ""
    if imprint and imprint["rules"]:
        ruled, row = ruled + row, ""
    out.append(f"<div class='end'><p>{e(end[0])}</p><div class='ruled'>{ruled}</div>{row}</div>")
    return css, "".join(out)


class PyMuPDF:
    def __init__(self):
        import pymupdf
        self.mu = pymupdf
        self.version = f"PyMuPDF {pymupdf.VersionBind} (MuPDF {pymupdf.VersionFitz})"

    def render(self, job, pdf_path):
        mu, st = self.mu, job.style
        if job.front or st["columns"] != 1:
            raise SystemExit("the PyMuPDF producer prints one column and no front matter")
        faces, dirs = font_faces(st)
        css, body = build_html(job)
        archive = mu.Archive()
        for d in dirs:
            archive.add(d)
        story = mu.Story(html=body, user_css=faces + css, archive=archive)
        w, h = st["page"][0] * MM, st["page"][1] * MM
        t, r, b, l = (x * MM for x in st["margins"])
        box, where = mu.Rect(0, 0, w, h), mu.Rect(l, t, w - r, h - b)
        body_path = pdf_path + ".body"
        writer = mu.DocumentWriter(body_path)
        more = 1
        while more:
            dev = writer.begin_page(box)
            more, _ = story.place(where)
            story.draw(dev)
            writer.end_page()
        writer.close()
        doc = mu.open(body_path)
        for page in doc:
            self.margins(job, page, faces, archive, (w, h, t, r, b, l))
        doc.set_metadata({"title": f"{job.mast['title']} {job.mast['number_line']}", "creator": "PyMuPDF Story"})
        doc.subset_fonts()
        doc.save(pdf_path, garbage=3, deflate=True)
        doc.close()
        os.remove(body_path)
        return self.version

    def margins(self, job, page, faces, archive, geometry):
        mu, st = self.mu, job.style
        w, h, t, r, b, l = geometry
        n = page.number + 1
        family = st["fonts"]["body"]
        head, foot = job.header_text(n), job.footer_text(n)
        if head:
            align = "center" if st["header"]["align"] == "center" else "left"
            rect = mu.Rect(l, t * 0.3, w - r, t * 0.3 + 14)
            page.insert_htmlbox(rect, f"<p style='text-align: {align}; margin: 0'>{e(head)}</p>",
                                css=faces + f"p {{ font-family: '{family}'; font-size: 9.5pt; }}", archive=archive)
            page.draw_line((l, rect.y1 + 1), (w - r, rect.y1 + 1), width=0.6)
        if foot:
            rect = mu.Rect(l, h - b * 0.6, w - r, h - b * 0.6 + 16)
            page.insert_htmlbox(rect, f"<p style='text-align: center; margin: 0'>{e(foot)}</p>",
                                css=faces + f"p {{ font-family: '{family}'; font-size: 10.5pt; }}", archive=archive)
