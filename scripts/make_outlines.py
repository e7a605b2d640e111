#!/usr/bin/env python3
"""Turn rendered issues (PDF + truth) into print-shop variants whose text the parser must read by
rendering and OCR: text drawn as vector outlines, garbled text layers, and pages mixing either
with real text. Page numbers and text do not change, so each source's truth holds; it is copied
with "variant" and the "page_methods" each page should be read by.

Usage:
  make_outlines.py IN... OUT_DIR --variant VARIANT [--count N]
  make_outlines.py all [--out out/outlines] [--shapes out/shapes] [--held out/held]
  make_outlines.py fixtures [--out tests/fixtures/outlines]

IN is a folder of <id>.pdf + <id>.truth.json (make_corpus.py's, render_shapes.py's) or one such
PDF; --count takes the first N of a folder. VARIANT is KIND-PRODUCER:
  outlines-gs, outlines-cairo, outlines-mupdf, outlines-pymupdf   every glyph a filled path
      (scripts/shapes/outlined.py: Ghostscript -dNoOutputFonts; pdftocairo -svg + CairoSVG;
      mutool draw -O text=path; PyMuPDF text_as_path)
  mixed-band     a real-text band at the top of each page over an outlined body
  mixed-pages    every other page outlined
  garbled-ps2pdf, garbled-strip, garbled-pua, garbled-gid, garbled-latin, garbled-cjk,
  garbled-half   text layers that decode to nonsense (scripts/shapes/garble.py: a pdftops +
      ps2pdf round trip; ToUnicode removed, or remapped to private use, to glyph ids, to ASCII
      junk, to arbitrary ideographs; half: every other font only)

A variant whose pages look different from its source's (ink that moved or changed shape: a
producer that re-encoded a font badly) is dropped, said so: its truth would not hold.

page_methods (truth): per page, how it must be read — "ocr-outlines" for a page whose text is
outlined (wholly, or its body), "ocr-garbled" for a page whose text layer now reads other than
the source's, "text" for a page left as it was, "ocr" for a picture page with no text (a scanned
cover), "empty" for a blank one.

all: the sets of docs/shelves/outlines.md into OUT/<variant>/ (sources from out/shapes, which
render_shapes.py all makes, out/held where rendered, and ../shared/corpus/dev).
fixtures: a small issue (the seed issue cut to a page; a page and a bit for mixed-pages), rendered
by make_corpus.py, as outlines-gs, garbled-latin, mixed-band and mixed-pages, into
tests/fixtures/outlines/<variant>/.

Needs: Debian ghostscript, poppler-utils, mupdf-tools; pip pymupdf cairosvg pikepdf pdfplumber."""
from __future__ import annotations

import argparse
import logging
import copy
import glob
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shapes import garble, outlined  # noqa: E402
from shapes.common import CORPUS_DIR, REPO, load_make_corpus  # noqa: E402

SCAN_IMAGE_AREA = 0.5  # a page without text whose pictures cover more than this is a (scanned) picture page
LOOK_DPI, LOOK_INK, LOOK_TOLERANCE = 30, 200, 0.05  # a variant whose ink (grey under LOOK_INK, rendered at
# LOOK_DPI: a heavier or lighter rendering of the same glyphs is the same ink) differs from its source's by
# more than this share on a page, a pixel of slack, shows the reader something else: it is dropped
logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Type 3 fonts without a FontBBox, one line each

# the sets scored in docs/shelves/outlines.md: (variant, source folders, issues taken from each)
SETS = [
    ("outlines-gs", ["shapes/figures-chromium", "dev/single"], 3),
    ("outlines-cairo", ["shapes/three-column-reportlab", "dev/two-column"], 2),
    ("outlines-mupdf", ["shapes/gongwen-libreoffice", "held/units-typst"], 2),
    ("outlines-pymupdf", ["shapes/cover-reportlab", "held/masthead-fpdf2"], 2),
    ("mixed-band", ["dev/single", "shapes/masthead-chromium", "shapes/figures-reportlab"], 2),
    ("mixed-pages", ["shapes/units-libreoffice", "dev/two-column"], 2),
    ("garbled-ps2pdf", ["shapes/masthead-reportlab", "held/gongwen-typst", "held/gongwen-fpdf2"], 2),
    ("garbled-strip", ["shapes/units-chromium", "held/three-column-typst"], 2),
    ("garbled-pua", ["dev/two-column", "shapes/cover-libreoffice"], 2),
    ("garbled-gid", ["shapes/figures-libreoffice", "held/cover-fpdf2"], 2),
    ("garbled-latin", ["shapes/gongwen-reportlab", "shapes/three-column-libreoffice"], 2),
    ("garbled-cjk", ["shapes/three-column-chromium", "held/figures-typst"], 2),
    ("garbled-half", ["shapes/masthead-libreoffice", "held/masthead-typst"], 2),
]
# fixtures: variant → the sections of the seed issue kept, and how many items of each (one page;
# a page and a bit for mixed-pages, whose outlined masthead page comes before a page with text)
ONE_PAGE = {"学·习之路": 1, "悟·心之语": 2}
FIXTURES = {"outlines-gs": ONE_PAGE, "garbled-latin": ONE_PAGE, "mixed-band": ONE_PAGE,
            "mixed-pages": {"学·习之路": 1, "思·理之源": 1, "悟·心之语": 3, "开·新之局": 2}}


def producer(variant: str):
    kind, name = variant.split("-", 1)
    if kind == "outlines":
        return outlined.PRODUCERS[name]
    if kind == "mixed":
        return outlined.PRODUCERS[name]
    if kind == "garbled":
        return garble.PRODUCERS[name]
    raise SystemExit(f"unknown variant {variant}")


def page_texts(path: str) -> list[tuple[str, float]]:
    """Each page's text layer (no white space) and the share of it pictures cover."""
    import pdfplumber
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text = "".join(c["text"] for c in page.chars if c["text"].strip())
            area = sum(max(0.0, min(im["x1"], page.width) - max(im["x0"], 0.0))
                       * max(0.0, min(im["bottom"], page.height) - max(im["top"], 0.0)) for im in page.images)
            out.append((text, area / (page.width * page.height)))
    return out


def expected_methods(variant: str, source: str, made: str) -> list[str]:
    """How each page of the variant must be read (see the module's docstring)."""
    before, after = page_texts(source), page_texts(made)
    out = []
    for n, ((text, area), (now, _)) in enumerate(zip(before, after)):
        if not text:
            out.append("ocr" if area > SCAN_IMAGE_AREA else "empty")
        elif variant == "mixed-pages":
            out.append("ocr-outlines" if n % 2 == 0 else "text")
        elif variant.startswith(("outlines", "mixed")):
            out.append("ocr-outlines")
        else:
            out.append("ocr-garbled" if now != text else "text")
    return out


def ink(path: str) -> list:
    """Each page's ink at LOOK_DPI."""
    import numpy as np
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(path)
    try:
        return [np.asarray(page.render(scale=LOOK_DPI / 72).to_pil().convert("L")) < LOOK_INK for page in doc]
    finally:
        doc.close()


def look_changed(source: str, made: str) -> list[int]:
    """The pages whose ink differs from the source's by more than LOOK_TOLERANCE (ink of one not
    within a pixel of the other's): a producer that changed what the reader sees (pdftops
    re-encoding a CFF font, say), not only how the text is stored."""
    import cv2
    import numpy as np

    def missing(a, b) -> float:
        grown = cv2.dilate(b.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        return float((a & ~grown).sum()) / max(1, int(a.sum()))
    def differs(a, b) -> bool:
        if abs(a.shape[0] - b.shape[0]) > 1 or abs(a.shape[1] - b.shape[1]) > 1:
            return True  # another page size (a point or two of rounding is none)
        h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
        a, b = a[:h, :w], b[:h, :w]
        return max(missing(a, b), missing(b, a)) > LOOK_TOLERANCE
    before, after = ink(source), ink(made)
    if len(before) != len(after):
        return list(range(1, max(len(before), len(after)) + 1))
    return [n for n, (a, b) in enumerate(zip(before, after), 1) if differs(a, b)]


def make_one(variant: str, pdf: str, out_dir: str) -> str | None:
    """The variant of one issue, with its truth, in out_dir; returns the PDF written (None where
    the producer changed what the reader sees: nothing is kept)."""
    os.makedirs(out_dir, exist_ok=True)
    name = os.path.basename(pdf)
    made = os.path.join(out_dir, name)
    producer(variant)(pdf, made)
    changed = look_changed(pdf, made)
    if changed:
        os.remove(made)
        print(f"{variant}: {os.path.relpath(pdf, REPO)} dropped: pages {changed} look different", flush=True)
        return None
    with open(pdf[:-4] + ".truth.json", encoding="utf-8") as fh:
        truth = json.load(fh)
    truth["variant"] = {"name": variant, "source": os.path.relpath(pdf, REPO), "producer": truth.get("producer")}
    truth["page_methods"] = expected_methods(variant, pdf, made)
    with open(made[:-4] + ".truth.json", "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
    return made


def sources(paths: list[str], count: int | None) -> list[str]:
    out = []
    for p in paths:
        if os.path.isdir(p):
            found = sorted(f for f in glob.glob(os.path.join(p, "*.pdf")) if os.path.exists(f[:-4] + ".truth.json"))
            out += found[:count] if count else found
        else:
            out.append(p)
    return out


def source_dir(spec: str, shapes: str, held: str) -> str | None:
    where, name = spec.split("/", 1)
    root = {"shapes": shapes, "held": held, "dev": os.path.join(CORPUS_DIR, "dev")}[where]
    path = os.path.join(root, name)
    return path if os.path.isdir(path) else None


def cmd_all(out: str, shapes: str, held: str) -> None:
    for variant, specs, count in SETS:
        dest = os.path.join(out, variant)
        shutil.rmtree(dest, ignore_errors=True)
        folders = [d for d in (source_dir(s, shapes, held) for s in specs) if d]
        missing = [s for s in specs if not source_dir(s, shapes, held)]
        for pdf in sources(folders, count):
            made = make_one(variant, pdf, dest)
            if made:
                print(f"{variant}: {os.path.relpath(made, REPO)} ← {os.path.relpath(pdf, REPO)}", flush=True)
        if missing:
            print(f"{variant}: sources not rendered, left out: {', '.join(missing)}", flush=True)


def shorten(text: str) -> str:
    """An item's first sentence and its closing source or signature （…）."""
    first = text[:text.index("。") + 1] if "。" in text else text
    tail = text[text.rindex("（"):] if text.endswith("）") and "（" in text else ""
    return first + tail if not first.endswith(tail) else first


def fixture_issue(keep: dict[str, int]) -> dict:
    """The seed issue cut short: the sections in `keep`, so many items each, each item its first
    sentence and its source or signature."""
    with open(os.path.join(CORPUS_DIR, "seed-issue.json"), encoding="utf-8") as fh:
        issue = copy.deepcopy(json.load(fh))
    issue["sections"] = [{**s, "items": [{**it, "text": shorten(it["text"])} for it in s["items"][:keep[s["title"]]]]}
                         for s in issue["sections"] if s["title"] in keep]
    return issue


def cmd_fixtures(out: str) -> None:
    make_corpus = load_make_corpus()
    for variant, keep in FIXTURES.items():
        with tempfile.TemporaryDirectory() as tmp:
            make_corpus.render(fixture_issue(keep), tmp)
            [pdf] = glob.glob(os.path.join(tmp, "*.pdf"))
            dest = os.path.join(out, variant)
            shutil.rmtree(dest, ignore_errors=True)
            made = make_one(variant, pdf, dest)
            if made is None:
                raise SystemExit(f"fixture {variant}: the producer changed the page's look")
            with open(made[:-4] + ".truth.json", encoding="utf-8") as fh:
                methods = json.load(fh)["page_methods"]
            print(f"fixture {variant}: {os.path.getsize(made) // 1024} KiB, pages {methods}", flush=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("args", nargs="+", help="all | fixtures | IN... OUT_DIR")
    ap.add_argument("--variant")
    ap.add_argument("--count", type=int)
    ap.add_argument("--out")
    ap.add_argument("--shapes", default=os.path.join(REPO, "out", "shapes"))
    ap.add_argument("--held", default=os.path.join(REPO, "out", "held"))
    args = ap.parse_args(argv)
    if args.args == ["all"]:
        cmd_all(args.out or os.path.join(REPO, "out", "outlines"), args.shapes, args.held)
    elif args.args == ["fixtures"]:
        cmd_fixtures(args.out or os.path.join(REPO, "tests", "fixtures", "outlines"))
    else:
        if len(args.args) < 2 or not args.variant:
            ap.error("IN... OUT_DIR and --variant are needed (or the command all / fixtures)")
        *inputs, out_dir = args.args
        for pdf in sources(inputs, args.count):
            made = make_one(args.variant, pdf, out_dir)
            if made:
                print(made, flush=True)


if __name__ == "__main__":
    main()
