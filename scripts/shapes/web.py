"""Chromium producer: HTML printed by headless Chromium (Debian's /usr/bin/chromium driven by
playwright, no browser download). Columns are CSS columns (column-span: all for the masthead,
section titles and the 版记), running header and folio are Chromium's header/footer templates.
Front matter (cover, blank page, 目录) is printed separately without header/footer and put
before the body with pypdf, so folios count from the masthead page."""
from __future__ import annotations

import base64
import html
import os

from .common import RED

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
e = html.escape


def _img(path):
    with open(path, "rb") as fh:
        return "data:image/jpeg;base64," + base64.b64encode(fh.read()).decode()


def _fonts(*families):
    return ", ".join(f'"{f}"' for f in families) + ', "Noto Serif CJK SC", serif'


def page_css(st, margins=True):
    w, h = st["page"]
    t, r, b, l = st["margins"] if margins else (0, 0, 0, 0)
    return f"@page {{ size: {w}mm {h}mm; margin: {t}mm {r}mm {b}mm {l}mm; }}"


def build_body(job, split_columns=False):
    """The issue as one HTML page. split_columns: each section's text its own column box, the titles
    and the 版记 between them (WeasyPrint loses what follows a column-span: all element across a
    page break)."""
    st, f, m = job.style, job.style["fonts"], job.mast
    n = st["columns"]
    align = "justify" if st["align"] == "justify" else "left"
    title_css = {
        "plain": f"color: {RED};",
        "rules": f"color: {RED}; border-bottom: 0.8pt solid {RED}; padding-bottom: 1mm;",
        "banner": f"color: #fff; background: {RED}; padding: 0.6mm 0;",
    }[st["title_style"]]
    talign = st.get("title_align", "center")
    rule = "column-rule: 0.5pt solid #000;" if st["col_rule"] else ""
    css = f"""{page_css(st)}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; font-family: {_fonts(f['body'])}; font-size: {st['body']}pt; line-height: {st['leading']}pt; color: #000; }}
.mast {{ text-align: center; color: {RED}; font-family: {_fonts(f['masthead'])}; font-weight: 700;
         font-size: {st['masthead']}pt; line-height: 1.3; letter-spacing: 0.08em; margin: 0 0 2mm; }}
.number {{ text-align: center; font-size: {st['number']}pt; line-height: 1.6; margin: 0 0 2mm; }}
.pubrow {{ display: flex; justify-content: space-between; font-size: {st['number']}pt; line-height: 1.6;
           padding: 0 1mm 1mm; border-bottom: 2.2pt solid {RED}; margin-bottom: 3mm; }}
.cols {{ column-count: {n}; column-gap: {st['gutter']}mm; column-fill: balance; {rule} }}
h2 {{ column-span: all; text-align: {talign}; font-family: {_fonts(f['title'])}; font-weight: 700;
      font-size: {st['section']}pt; line-height: 1.5; letter-spacing: {st['title_spacing']}em;
      margin: 3mm 0 2mm; break-after: avoid; {title_css} {'text-indent: 2em;' if talign == 'left' else ''} }}
h3 {{ text-align: {talign}; font-family: {_fonts(f['heading'])}; font-weight: 700; font-size: {st['heading']}pt;
      line-height: 1.6; margin: 1.5mm 0 1mm; break-after: avoid; {'text-indent: 2em;' if talign == 'left' else ''} }}
p.item {{ text-align: {align}; text-indent: {st['indent']}em; margin: 0 0 {st['para_after']}pt; }}
p.quote {{ font-family: {_fonts(f['quote'], f['body'])}; }}
p.latin {{ hyphens: manual; }}
figure {{ break-inside: avoid; margin: 2mm 0 3mm; }}
figure img {{ display: block; }}
figcaption {{ font-family: {_fonts(f['caption'])}; font-size: {st['caption']}pt; line-height: 1.45; margin-top: 1.2mm; }}
table {{ border-collapse: collapse; width: 100%; break-inside: avoid; margin: 1mm 0 3mm;
         font-size: {min(st['body'], 11) - 0.5}pt; line-height: 1.35; }}
td, th {{ border: 0.6pt solid #000; padding: 1pt 3pt; text-align: left; vertical-align: middle; }}
th {{ background: #e8e8e8; font-family: {_fonts(f['heading'])}; font-weight: 700; }}
.end {{ column-span: all; font-size: {min(st['body'], 11)}pt; line-height: 1.7; margin-top: 6mm; break-inside: avoid; }}
.banji {{ border-top: 1pt solid #000; border-bottom: 1pt solid #000; padding: 0.5mm 0; }}
.banji p {{ margin: 0; }}
"""
    out = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{e(m['title'])} "
           f"{e(m['number_line'])}</title><style>{css}</style></head><body>",
           f"<div class='mast'>{e(m['title'])}</div><div class='number'>{e(m['number_line'])}</div>",
           (f"<div class='pubrow' style='justify-content: center'><span>{e(m['left'] or m['right'])}</span></div>"
            if m["align"] == "center" else
            f"<div class='pubrow'><span>{e(m['left'])}</span><span>{e(m['right'])}</span></div>"),
           "<div class='cols'>" if n > 1 else "<div>"]
    for b in job.blocks:
        k = b["kind"]
        if k == "section":
            if split_columns and n > 1:
                out.append(f"</div><h2>{e(b['text'])}</h2><div class='cols'>")
            else:
                out.append(f"<h2>{e(b['text'])}</h2>")
        elif k == "heading":
            out.append(f"<h3>{e(b['text'])}</h3>")
        elif k == "figure":
            margin = "0" if b["align"] == "left" else "0 auto"
            out.append(f"<figure><img src='{_img(job.photo_path(b, 300))}' style='width: {b['width'] * 100:.0f}%; "
                       f"margin: {margin}'><figcaption style='text-align: {b['align']}'>{e(b['text'])}"
                       f"</figcaption></figure>")
        elif k == "table":
            rows = b["rows"]
            cols = "".join(f"<col style='width: {w * 100:.1f}%'>" for w in b["widths"])
            head = "".join(f"<th>{e(c)}</th>" for c in rows[0])
            body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
            out.append(f"<table><colgroup>{cols}</colgroup><tr>{head}</tr>{body}</table>")
        else:
            cls = {"quote": "item quote", "latin": "item latin"}.get(b["role"], "item")
            lang = " lang='en'" if b["role"] == "latin" else ""
            out.append(f"<p class='{cls}'{lang}>{e(b['text'])}</p>")
    end, imprint = job.end_lines, job.imprint
    ruled = "".join(f"<p>{e(t)}</p>" for t in end[1:])
    row = (f"<div style='display: flex; justify-content: space-between; padding-right: 4mm'><span>{e(imprint['left'])}"
           f"</span><span>{e(imprint['right'])}</span></div>") if imprint else ""
    if imprint and imprint["rules"]:
        ruled, row = ruled + row, ""
    if split_columns and n > 1:
        out.append("</div><div>")
    out.append(f"<div class='end'><p style='margin:0 0 1mm'>{e(end[0])}</p><div class='banji'>{ruled}</div>{row}"
               f"</div></div></body></html>")
    return "".join(out)


def build_front(job, kind):
    st = job.style
    if kind == "cover":
        w, h = st["page"]
        return (f"<html><head><style>{page_css(st, margins=False)} body {{ margin: 0; }}</style></head><body>"
                f"<img src='{_img(job.cover_image())}' style='display:block; width:{w}mm; height:{h - 0.6}mm'>"
                f"</body></html>")
    if kind == "blank":
        return f"<html><head><style>{page_css(st)}</style></head><body><div></div></body></html>"
    f = st["fonts"]
    rows = []
    for level, text, label in job.toc_entries():
        size, fam, pad = (15, f["title"], 0) if level == 0 else (12.5, f["body"], 2.5)
        rows.append(f"<div style='display:flex; font-family: {_fonts(fam)}; font-size:{size}pt; "
                    f"margin: 0 0 {size * 0.9}pt {pad}em'><span>{e(text)}</span><span class='dots'>"
                    f"{'.' * 200}</span><span>{e(label)}</span></div>")
    return (f"<html><head><meta charset='utf-8'><style>{page_css(st)} body {{ margin: 0; }} "
            f".dots {{ flex: 1; overflow: hidden; white-space: nowrap; margin: 0 4pt; letter-spacing: 2pt; }}</style>"
            f"</head><body><div style='text-align:center; color:{RED}; font-family:{_fonts(f['title'])}; "
            f"font-size:26pt; letter-spacing: 0.5em; margin: 8mm 0 14mm'>目录</div>{''.join(rows)}</body></html>")


def templates(job):
    st = job.style
    font = f"font-family: {_fonts(st['fonts']['body'])}; -webkit-print-color-adjust: exact;"
    header = footer = "<span></span>"  # an empty template, else Chromium prints date, title and URL
    t, r, b, l = st["margins"]
    h = st["header"]
    if h:
        header = (f"<div style='width: 100%; box-sizing: border-box; padding: 0 {r}mm 0 {l}mm; {font}'>"
                  f"<div style='margin-top: {t * 0.4:.1f}mm; font-size: 9.5pt; text-align: {h['align']}; "
                  f"padding-bottom: 1mm; border-bottom: 0.6pt solid #000;'>{e(h['text'])}</div></div>")
    if st["footer"]:
        text = e(st["footer"]["pattern"]).format(n="<span class='pageNumber'></span>")
        footer = (f"<div style='width: 100%; text-align: center; font-size: 10.5pt; margin-bottom: {b * 0.4:.1f}mm; "
                  f"{font}'>{text}</div>")
    return header, footer


class Chromium:
    def __init__(self):
        from playwright.sync_api import sync_playwright
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM)
        self.version = f"chromium ({self.browser.version})"

    def _print(self, doc, path, job, header_footer):
        st = job.style
        w, h = st["page"]
        page = self.browser.new_page()
        try:
            page.set_content(doc, wait_until="load")
            page.evaluate("document.fonts.ready")
            kw = {}
            if header_footer and (st["header"] or st["footer"]):
                head, foot = templates(job)
                kw = {"display_header_footer": True, "header_template": head, "footer_template": foot}
            page.pdf(path=path, width=f"{w}mm", height=f"{h}mm", prefer_css_page_size=True, print_background=True,
                     **kw)
        finally:
            page.close()

    def render(self, job, pdf_path):
        if job.style["header"] and job.style["header"]["pages"] != "all":
            raise SystemExit("Chromium prints its header template on every page")
        body = pdf_path + ".body"
        self._print(build_body(job), body, job, True)
        if not job.front:
            os.replace(body, pdf_path)
            return self.version
        from pypdf import PdfReader, PdfWriter
        writer = PdfWriter()
        parts = []
        for k, kind in enumerate(job.front):
            part = f"{pdf_path}.front{k}"
            self._print(build_front(job, kind), part, job, False)
            parts.append(part)
        for part in parts + [body]:
            reader = PdfReader(part)
            if part != body and len(reader.pages) != 1:
                raise SystemExit(f"{part}: a front page printed as {len(reader.pages)} pages")
            for p in reader.pages:
                writer.add_page(p)
        writer.add_metadata({"/Title": f"{job.mast['title']} {job.mast['number_line']}", "/Creator": "Chromium"})
        with open(pdf_path, "wb") as fh:
            writer.write(fh)
        for part in parts + [body]:
            os.remove(part)
        return self.version

    def close(self):
        self.browser.close()
        self._pw.stop()
