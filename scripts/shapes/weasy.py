"""WeasyPrint producer (pip install weasyprint): the Chromium producer's HTML (shapes/web.py
build_body: CSS columns, column-span for the masthead, titles and 版记) laid out by WeasyPrint's own
engine (Pango shaping, fontconfig fonts, its own line breaking and column balancing; each section
its own column box, as WeasyPrint loses what follows a spanning title across a page); the running
header and folio are CSS @page margin boxes, so no template and no pypdf merge. No front matter."""
from __future__ import annotations

from .web import _fonts, build_body


def margin_css(job):
    """@page margin boxes for the running header and the folio."""
    st = job.style
    font = f"font-family: {_fonts(st['fonts']['body'])};"
    css = []
    h = st["header"]
    if h:
        box = "top-center" if h["align"] == "center" else "top-left"
        text = h["text"].replace('"', '\\"')
        css.append(f"@page {{ @{box} {{ content: \"{text}\"; {font} font-size: 9.5pt; vertical-align: bottom; "
                   f"padding-bottom: 1mm; margin-bottom: 2mm; border-bottom: 0.6pt solid #000; }} }}")
        if h["pages"] == "not_first":
            css.append(f"@page :first {{ @{box} {{ content: none; border: none; }} }}")
    f = st["footer"]
    if f:
        before, after = f["pattern"].split("{n}")
        content = " ".join(p for p in (f'"{before}"' if before else "", "counter(page)", f'"{after}"' if after else "") if p)
        css.append(f"@page {{ @bottom-center {{ content: {content}; {font} font-size: 10.5pt; vertical-align: top; "
                   f"padding-top: 3mm; }} }}")
    css.append("p.latin { hyphens: auto; overflow-wrap: break-word; }")  # else a long word in a column is lost
    return "\n".join(css)


class WeasyPrint:
    def __init__(self):
        import weasyprint
        self.weasyprint = weasyprint
        self.version = f"WeasyPrint {weasyprint.__version__}"

    def render(self, job, pdf_path):
        if job.front:
            raise SystemExit("the WeasyPrint producer prints no front matter")
        html = build_body(job, split_columns=True).replace("</style>", margin_css(job) + "</style>", 1)
        self.weasyprint.HTML(string=html).write_pdf(pdf_path)
        return self.version
