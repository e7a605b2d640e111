"""Print-shop variants of a rendered PDF: its text drawn as vector outlines (no fonts, no text
layer), by several producers, or only part of it (a real-text header band over an outlined body).

Each function takes a source PDF path and writes the variant to `out`; pages, sizes and what
the reader sees stay the same (the truth of the source still holds).

  gs        Ghostscript's pdfwrite with -dNoOutputFonts (every glyph a filled path)
  cairo     poppler's pdftocairo -svg (glyphs as <symbol> paths) → CairoSVG → PDF, page by page
  mupdf     MuPDF's `mutool draw -F svg -O text=path` → `mutool convert` → `mutool merge`
  pymupdf   PyMuPDF's page.get_svg_image(text_as_path=True) → PyMuPDF's SVG reader → PDF
  band      real text in a band at the top of each page (the masthead or running header), the rest
            of the page drawn from the Ghostscript outlines (PyMuPDF: the body's text redacted, its
            pictures and rules kept, then the outlined page shown clipped to the body)
  pages     every other page outlined (Ghostscript), the others as they were

Needs: Debian ghostscript, poppler-utils, mupdf-tools; pip pymupdf cairosvg pikepdf."""
from __future__ import annotations

import os
import subprocess
import tempfile

BAND_SHARE = 0.16  # the band at the top of a page kept as real text (mixed pages)


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def page_count(path: str) -> int:
    import pikepdf
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def merge(parts: list[str], out: str) -> None:
    import pikepdf
    merged = pikepdf.new()
    opened = [pikepdf.open(p) for p in parts]
    for pdf in opened:
        merged.pages.extend(pdf.pages)
    merged.save(out)
    for pdf in opened:
        pdf.close()


def gs(src: str, out: str) -> None:
    run(["gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=pdfwrite", "-dNoOutputFonts",
         f"-sOutputFile={out}", src])


def cairo(src: str, out: str) -> None:
    import cairosvg
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for n in range(1, page_count(src) + 1):
            svg, pdf = os.path.join(tmp, f"{n}.svg"), os.path.join(tmp, f"{n}.pdf")
            run(["pdftocairo", "-svg", "-f", str(n), "-l", str(n), src, svg])
            cairosvg.svg2pdf(url=svg, write_to=pdf)
            parts.append(pdf)
        merge(parts, out)


def mupdf(src: str, out: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run(["mutool", "draw", "-q", "-F", "svg", "-O", "text=path", "-o", os.path.join(tmp, "p%d.svg"), src])
        parts = []
        for n in range(1, page_count(src) + 1):
            pdf = os.path.join(tmp, f"p{n}.pdf")
            run(["mutool", "convert", "-o", pdf, os.path.join(tmp, f"p{n}.svg")])
            parts.append(pdf)
        merge(parts, out)


def pymupdf(src: str, out: str) -> None:
    import pymupdf as fitz
    result = fitz.open()
    with fitz.open(src) as doc:
        for page in doc:
            svg = fitz.open("svg", page.get_svg_image(text_as_path=True).encode())
            result.insert_pdf(fitz.open("pdf", svg.convert_to_pdf()))
    result.save(out, garbage=3, deflate=True)


def band_edges(src: str) -> list[float]:
    """Per page, where the band ends: the middle of the first gap between lines of text at or
    below BAND_SHARE of the page (a line is never cut)."""
    import pdfplumber
    edges = []
    with pdfplumber.open(src) as pdf:
        for page in pdf.pages:
            spans = sorted((c["top"], c["bottom"]) for c in page.chars if c["text"].strip())
            y = BAND_SHARE * page.height
            for top, bottom in spans:  # spans sorted by top: push y below every line it cuts
                if top < y < bottom:
                    y = bottom
            below = [top for top, _ in spans if top >= y]
            edges.append((y + min(below)) / 2 if below else y)
    return edges


def band(src: str, out: str) -> None:
    """A real-text band at the top of every page, the body outlined."""
    import pymupdf as fitz
    with tempfile.TemporaryDirectory() as tmp:
        outlined = os.path.join(tmp, "outlined.pdf")
        gs(src, outlined)
        drawn = fitz.open(outlined)
        doc = fitz.open(src)
        for page, edge in zip(doc, band_edges(src)):
            r = page.rect
            body = fitz.Rect(r.x0, r.y0 + edge, r.x1, r.y1)
            page.add_redact_annot(body)
            page.apply_redactions(images=fitz.PDF_REDACT_IMAGE_NONE, graphics=fitz.PDF_REDACT_LINE_ART_NONE,
                                  text=fitz.PDF_REDACT_TEXT_REMOVE)
            page.show_pdf_page(body, drawn, page.number, clip=body)
        doc.save(out, garbage=3, deflate=True)


def pages(src: str, out: str) -> None:
    """Pages 1, 3, 5… outlined (Ghostscript), pages 2, 4… as they were."""
    import pikepdf
    with tempfile.TemporaryDirectory() as tmp:
        outlined = os.path.join(tmp, "outlined.pdf")
        gs(src, outlined)
        with pikepdf.open(src) as original, pikepdf.open(outlined) as drawn:
            result = pikepdf.new()
            for n, (a, b) in enumerate(zip(original.pages, drawn.pages)):
                result.pages.append(b if n % 2 == 0 else a)
            result.save(out)


PRODUCERS = {"gs": gs, "cairo": cairo, "mupdf": mupdf, "pymupdf": pymupdf, "band": band, "pages": pages}
