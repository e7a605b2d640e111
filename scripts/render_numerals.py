#!/usr/bin/env python3
"""Render issues whose mastheads print numbers and dates in Chinese numerals or full-width digits,
and whose date may be printed only in the 版记's 印发 line, each with a truth file (the numerals
shape: scripts/shapes/numerals.py says what each issue draws).

Usage:
  render_numerals.py --producer P --count N --seed S --start-year Y --out DIR
  render_numerals.py all [--out DIR]        every producer below into DIR/numerals-<producer>/
                                            (default out/numerals)
  render_numerals.py fixtures [--out DIR]   one small PDF + truth per new producer into
                                            tests/fixtures/numerals/

Producers: weasyprint (WeasyPrint: the Chromium HTML laid out by Pango/WeasyPrint, margin boxes),
pymupdf (MuPDF's Story HTML engine, one column, TrueType subsets), weasyprint-gs and libreoffice-gs
(the PDF rewritten by Ghostscript's pdfwrite: fonts re-encoded and re-subset, content streams
rewritten), and the project's reportlab, chromium and libreoffice. reportlab-gs, chromium-gs and
pymupdf-gs are there too but not in `all`: Ghostscript garbles their text layers. Needs pip weasyprint pymupdf (not needed by
the tests) and Debian ghostscript; the others as scripts/render_shapes.py.

    .venv/bin/python scripts/render_numerals.py all
    .venv/bin/python scripts/score_corpus.py out/numerals/*
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from render_shapes import Engines, render_job  # noqa: E402
from shapes.common import REPO  # noqa: E402
from shapes.doc import Job  # noqa: E402
from shapes.numerals import synth_numerals  # noqa: E402

GS = os.environ.get("GS", "gs")
NEW = ("weasyprint", "pymupdf", "weasyprint-gs", "libreoffice-gs")
# Ghostscript 10.0 garbles these producers' text layers (reportlab's 8-bit TrueType subsets lose their
# ToUnicode; Chromium's and MuPDF's inserted fonts become Type 3 with wrong maps): sets for reading
# garbled text layers, not for mastheads; not in `all`
GARBLED = ("reportlab-gs", "chromium-gs", "pymupdf-gs")
PRODUCERS = NEW + ("reportlab", "chromium", "libreoffice") + GARBLED
STYLE_AS = {"weasyprint": "chromium", "pymupdf": "reportlab", "pymupdf-gs": "reportlab"}
ONE_COLUMN = ("pymupdf", "pymupdf-gs")
# `all`: (producer, count, seed, start year); seeds and years unlike every other set
ALL_SETS = [("weasyprint", 8, 301, 2003), ("pymupdf", 8, 302, 2005), ("weasyprint-gs", 6, 303, 2007),
            ("libreoffice-gs", 6, 304, 2009), ("reportlab", 8, 305, 2011), ("chromium", 6, 306, 2013),
            ("libreoffice", 6, 307, 2015)]
FIXTURE_SETS = [("pymupdf", 1, 2, 2001), ("weasyprint-gs", 1, 11, 2008), ("reportlab", 1, 8, 2002), ("libreoffice", 1, 8, 2004)]


class Ghostscript:
    """Another producer's PDF rewritten by Ghostscript's pdfwrite device (as print shops and "reduce
    file size" tools do)."""

    def __init__(self, inner):
        self.inner = inner
        out = subprocess.run([GS, "--version"], capture_output=True, text=True, check=True)
        self.gs_version = out.stdout.strip()

    def render(self, job, pdf_path):
        version = self.inner.render(job, pdf_path + ".in")
        cmd = [GS, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dCompatibilityLevel=1.5",
               "-dPDFSETTINGS=/ebook", f"-sOutputFile={pdf_path}", pdf_path + ".in"]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        os.remove(pdf_path + ".in")
        if res.returncode != 0:
            raise SystemExit(f"gs failed: {res.stderr[-2000:]}")
        return f"{version} + Ghostscript {self.gs_version} pdfwrite"

    def close(self):
        pass


class NumeralEngines(Engines):
    def get(self, producer):
        if producer not in self.open:
            if producer == "weasyprint":
                from shapes.weasy import WeasyPrint
                self.open[producer] = WeasyPrint()
            elif producer == "pymupdf":
                from shapes.mu import PyMuPDF
                self.open[producer] = PyMuPDF()
            elif producer.endswith("-gs"):
                self.open[producer] = Ghostscript(self.get(producer[:-3]))
            else:
                return super().get(producer)
        return self.open[producer]


def render_set(producer, count, seed, start_year, out_dir, engines, dpi=110):
    os.makedirs(out_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="render-numerals-")
    try:
        engine = engines.get(producer)
        style_as = STYLE_AS.get(producer, producer.removesuffix("-gs"))
        for issue, front, style in synth_numerals(count, seed, start_year, style_as,
                                                  one_column=producer in ONE_COLUMN):
            job = Job(issue, front, style, work, dpi=dpi)
            job.shape = "numerals"
            render_job(engine, producer, job, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cmd_all(out):
    engines = NumeralEngines()
    try:
        for producer, count, seed, year in ALL_SETS:
            d = os.path.join(out, f"numerals-{producer}")
            shutil.rmtree(d, ignore_errors=True)
            render_set(producer, count, seed, year, d, engines)
    finally:
        engines.close()


def cmd_fixtures(out):
    engines = NumeralEngines()
    shutil.rmtree(out, ignore_errors=True)
    try:
        for producer, count, seed, year in FIXTURE_SETS:
            render_set(producer, count, seed, year, out, engines, dpi=72)
    finally:
        engines.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", choices=["all", "fixtures"])
    ap.add_argument("--producer", choices=PRODUCERS)
    ap.add_argument("--count", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start-year", type=int, default=2009)
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    if args.command == "all":
        cmd_all(args.out or os.path.join(REPO, "out", "numerals"))
    elif args.command == "fixtures":
        cmd_fixtures(args.out or os.path.join(REPO, "tests", "fixtures", "numerals"))
    else:
        if not (args.producer and args.out):
            ap.error("--producer and --out are needed (or the command all / fixtures)")
        engines = NumeralEngines()
        try:
            render_set(args.producer, args.count, args.seed, args.start_year, args.out, engines)
        finally:
            engines.close()


if __name__ == "__main__":
    main()
