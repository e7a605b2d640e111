#!/usr/bin/env python3
"""Render test issues of 《中铝股份党群工作》 in the shapes real back catalogues have, each with a
truth file, through several PDF producers (reportlab, headless Chromium, LibreOffice) and CJK fonts.

Usage:
  render_shapes.py --shape SHAPE --producer reportlab|chromium|libreoffice|typst|fpdf2 [--font FAMILY]
                   --count N --seed S --start-year Y --out DIR
  render_shapes.py all [--out DIR] [--jobs 2]      every shape × every producer it supports, into
                                                   DIR/<shape>-<producer>/ (default out/shapes)
  render_shapes.py held [--out DIR]                every shape × each held-out producer (typst; fpdf2 for
                                                   the shapes without pictures or tables), into
                                                   DIR/<shape>-<producer>/ (default out/held)
  render_shapes.py fixtures [--out DIR]            one small PDF + truth per shape into
                                                   tests/fixtures/shapes/<shape>/

Shapes (content from make_corpus.synth_issue, then modified; all choices seeded):
  cover         front matter before the masthead page: a full-page raster cover (title and issue
                painted into the picture with PIL over a fake photo; no text layer), a blank page,
                a 目录 page (section titles, headings, printed folios); combined as cover, blank,
                目录, cover+目录, blank+目录, cover+blank+目录, cover+blank. Truth: front pages
                yield no items; pages are physical (first body page after a cover is 2). Printed
                folios either count the front matter or restart at the masthead page (Chromium:
                always restart), and the 目录 prints those folios.
  masthead      合刊 「2021年第5-6期」「2021年第5、6期」「2021年第五、六期」 (number 5, number_end 6,
                special null); 增刊/特刊/专刊 「2021年增刊」「2019年特刊（总第40期）」 (special as
                printed, number null, id <year>-zk-<MMDD> from the date; zk for all three); no
                总第N期 (total_number null); a month-only date 「党群工作部 2017年3月」 (date
                "2017-03"). Every truth has number_end and special. A 合刊 prints at most one
                总第 number (total_number is it), never a range.
  three-column  A3 / B4 portrait or A4 landscape, 3 or 4 columns, gutters 4–10 mm, some with
                column rules; masthead and section titles (plain, ruled, or a red banner) span the
                columns, the text between two titles is balanced across the band's columns; 1–2
                photos inside a column with a caption line under each.
  figures       photos inside items with a caption under each (centred or left), ruled tables with
                wrapped cells (a 表N caption above some). One or two columns.
  gongwen       公文 look: 黑体-like headings and titles, 宋体-like body, 楷体-like quotes
                (学·习之路), 16 pt on a fixed 28 pt line, ragged right (left-aligned), the
                publication name as a header on every page, 「— N —」 folios; reflections full of
                “quoted” words, so a ragged line may end early before an opening quote.
  units         units the registry lacks: signatures with no space (（包头铝业王建国）,
                （中铝东南铜业司马青）), compound surnames, long legal names opening activity
                sentences (中铝稀土（江苏）有限公司 …), short unknown units after a comma in the
                middle of a sentence (…，中铝青岛轻金属组织…), credits （中铝铝箔） etc.

Truth (make_corpus.py's format): issue fields, "id", "pages", sections → items with "text",
"heading", "source", "unit" + "author", "units", "page_start", "page_end" (1-based physical
pages, FOUND in the produced PDF by shapes/locate.py, never assumed; a miss stops the run and the
PDF is kept as <id>.pdf.failed). Activity reports (践·铝之行) also carry "activities": [{"units",
"text"}], one per sentence, in order, covering the whole text. Also "shape", "producer", "layout",
"fonts", "front_matter", "page_numbers", "running_header" (descriptive, not scored).

Kinds and units (choices of this script, applied consistently):
  - three-column and figures truths put "kind" on EVERY item: "paragraph", "caption" (a photo's
    caption line, or a 表N line above a table) or "table"; other shapes carry no "kind".
  - a table is ONE item: rows joined by "\\n", cells by "\\t", a cell's wrapped lines joined with
    no space; its "units" lists the unit names in its 单位 column, whole and as printed (registry
    names and long legal names alike), in row order. Other cells name no units.
  - a photo caption 「图为中州铝业…」 lists the unit it names in "units"; a 表N caption lists none.
  - signed items: "unit" as printed before the name, "author" the name (compound surnames whole).

Fonts: reportlab embeds only TrueType fonts covering every glyph (WenQuanYi Zen Hei / Micro Hei,
AR PL UMing CN, AR PL UKai CN, LXGW WenKai); Chromium and LibreOffice also use Noto Serif/Sans
CJK SC, AR PL SungtiL GB and AR PL KaitiM GB (fontconfig falls back for glyphs these lack).
Needs (Debian): chromium, libreoffice-writer-nogui, fonts-noto-cjk fonts-noto-cjk-extra
fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming fonts-arphic-ukai fonts-arphic-gbsn00lp
fonts-arphic-gkai00mp fonts-lxgw-wenkai; pip: reportlab pdfplumber pypdf Pillow numpy playwright
python-docx. PDFs carry creation times, so bytes differ between runs; truth files do not.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from shapes.common import REPO  # noqa: E402
from shapes.content import SHAPES, synth_shape  # noqa: E402
from shapes.doc import Job  # noqa: E402
from shapes.locate import CaptionSplit, LocateError, locate  # noqa: E402

PRODUCERS = ("reportlab", "chromium", "libreoffice")
HELD_OUT = ("typst", "fpdf2")  # kept out of `all` and the fixtures: a check on tools the parser was not tuned on
STYLE_AS = {"fpdf2": "reportlab"}  # fpdf2 embeds what reportlab does (TrueType only): its styles' fonts
SUPPORTED = {shape: PRODUCERS for shape in SHAPES}

# `all`: (shape, producer, count, seed, start year); seeds and years differ per set
ALL_SETS = [
    ("cover", "reportlab", 6, 11, 2010), ("cover", "chromium", 4, 12, 2011), ("cover", "libreoffice", 4, 13, 2012),
    ("masthead", "reportlab", 9, 21, 2017), ("masthead", "chromium", 6, 22, 2019),
    ("masthead", "libreoffice", 6, 23, 2021),
    ("three-column", "reportlab", 5, 31, 2015), ("three-column", "chromium", 4, 32, 2016),
    ("three-column", "libreoffice", 4, 33, 2018),
    ("figures", "reportlab", 5, 41, 2013), ("figures", "chromium", 4, 42, 2014),
    ("figures", "libreoffice", 4, 43, 2020),
    ("gongwen", "libreoffice", 5, 51, 2020), ("gongwen", "chromium", 4, 52, 2022), ("gongwen", "reportlab", 4, 53, 2011),
    ("units", "reportlab", 5, 61, 2023), ("units", "chromium", 4, 62, 2024), ("units", "libreoffice", 4, 63, 2025),
]
FIXTURE_SEED, FIXTURE_YEAR = 7, 2009
# `held`: every shape through each held-out producer, seeds and years unlike the sets above
HELD_SETS = [(shape, "typst", 5, 71 + 10 * k, 2008 + k) for k, shape in enumerate(SHAPES)]
HELD_SETS += [(shape, "fpdf2", 5, 471 + 10 * k, 1998 + k) for k, shape in enumerate(SHAPES)
              if shape in ("cover", "masthead", "gongwen", "units")]  # fpdf2: no pictures or tables


class Engines:
    """Producers opened on first use, closed at the end."""

    def __init__(self):
        self.open = {}

    def get(self, producer):
        if producer not in self.open:
            if producer == "reportlab":
                from shapes import rl
                self.open[producer] = rl
            elif producer == "fpdf2":
                from shapes.fp import Fpdf2
                self.open[producer] = Fpdf2()
            elif producer == "typst":
                from shapes.typ import Typst
                self.open[producer] = Typst()
            elif producer == "chromium":
                from shapes.web import Chromium
                self.open[producer] = Chromium()
            else:
                from shapes.office import LibreOffice
                self.open[producer] = LibreOffice()
        return self.open[producer]

    def close(self):
        for engine in self.open.values():
            if hasattr(engine, "close"):
                engine.close()
        self.open = {}


def move_figure(issue, index, attempt):
    """Place the index-th figure elsewhere: first at the head of its section (the top of a band's
    first column, where no column break can come between picture and caption), then after the
    item that follows it, then at the head of the longest section."""
    located = [(s, i) for s in issue["sections"] for i, item in enumerate(s["items"]) if "_figure" in item]
    section, i = located[index]
    fig = section["items"].pop(i)
    fig.pop("heading", None)
    if attempt == 0:
        target, at = section, 0
    elif attempt == 1:
        target, at = section, min(i + 1, len(section["items"]))
    else:
        target = max(issue["sections"], key=lambda s: len("".join(it["text"] for it in s["items"])))
        at = 0
    target["items"].insert(at, fig)
    if at and target["items"][at - 1].get("heading"):
        fig["heading"] = target["items"][at - 1]["heading"]


def render_job(engine, producer, job, out_dir, attempt=0):
    pdf_path = os.path.join(out_dir, f"{job.issue['id']}.pdf")
    try:
        version = engine.render(job, pdf_path)
        try:
            truth, section_pages = locate(job, pdf_path)
        except CaptionSplit as split:
            if attempt >= 3:
                raise
            print(f"  {split} — moving the figure", flush=True)
            move_figure(job.issue, split.index, attempt)
            fresh = Job(job.issue, job.front, job.style, job.workdir, job.dpi)
            fresh.shape = job.shape
            return render_job(engine, producer, fresh, out_dir, attempt + 1)
        if "toc" in job.front:  # the 目录 prints the folios of the sections: render again with them
            offset = job.style["footer"]["offset"] if job.style["footer"] else 0
            labels = {s: p - offset for s, p in section_pages.items()}
            if labels != job.toc_labels:
                job.toc_labels = labels
                version = engine.render(job, pdf_path)
                truth, section_pages = locate(job, pdf_path)
                if {s: p - offset for s, p in section_pages.items()} != labels:
                    raise LocateError(f"{pdf_path}: sections moved when the 目录 got its folios")
    except BaseException:
        if os.path.exists(pdf_path):
            os.replace(pdf_path, pdf_path + ".failed")  # kept to look at, never beside a truth
        raise
    if os.path.exists(pdf_path + ".failed"):
        os.remove(pdf_path + ".failed")
    st = job.style
    truth.update({
        "shape": job.shape, "producer": version,
        "layout": {"page_mm": list(st["page"]), "columns": st["columns"], "gutter_mm": st["gutter"],
                   "column_rules": st["col_rule"], "align": st["align"], "body_pt": st["body"],
                   "leading_pt": st["leading"]},
        "fonts": st["fonts"], "front_matter": job.front,
        "page_numbers": st["footer"], "running_header": st["header"],
    })
    with open(os.path.join(out_dir, f"{job.issue['id']}.truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
    print(f"{pdf_path}  {truth['pages']} pages  {os.path.getsize(pdf_path) // 1024} KiB  "
          f"{st['fonts']['body']}  {st['columns']} col  {'+'.join(job.front) or '-'}", flush=True)
    return pdf_path


def render_set(shape, producer, count, seed, start_year, out_dir, font=None, engines=None, dpi=110):
    own = engines is None
    engines = engines or Engines()
    os.makedirs(out_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="render-shapes-")
    try:
        engine = engines.get(producer)
        ids = set()
        for issue, front, style in synth_shape(shape, count, seed, start_year, STYLE_AS.get(producer, producer), font):
            if issue["id"] in ids:
                raise SystemExit(f"two issues with id {issue['id']} in one set")
            ids.add(issue["id"])
            job = Job(issue, front, style, work, dpi=dpi)
            job.shape = shape
            render_job(engine, producer, job, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if own:
            engines.close()


def _run_sets(sets):
    engines = Engines()
    try:
        for shape, producer, count, seed, year, out_dir in sets:
            render_set(shape, producer, count, seed, year, out_dir, engines=engines)
    except SystemExit as exc:  # a pool worker dying of SystemExit would hang the pool
        raise RuntimeError(f"{shape}-{producer}: {exc}") from None
    finally:
        engines.close()


def cmd_all(out, jobs, table=ALL_SETS):
    t0 = time.time()
    sets = [(s, p, n, seed, y, os.path.join(out, f"{s}-{p}")) for s, p, n, seed, y in table]
    for *_, d in sets:
        shutil.rmtree(d, ignore_errors=True)
    if jobs <= 1:
        _run_sets(sets)
    else:  # split the sets by producer so each process opens few engines; LibreOffice is the slowest
        import multiprocessing as mp
        lanes = [[] for _ in range(jobs)]
        for k, s in enumerate(sorted(sets, key=lambda s: (s[1] != "libreoffice", s[1]))):
            lanes[k % jobs].append(s)
        with mp.get_context("spawn").Pool(jobs) as pool:
            pool.map(_run_sets, lanes)
    print(f"all: {len(sets)} sets in {time.time() - t0:.0f} s", flush=True)


def cmd_fixtures(out):
    """One PDF + truth per shape: the smallest of the producers' renderings."""
    engines = Engines()
    tmp = tempfile.mkdtemp(prefix="render-shapes-fx-")
    try:
        for shape in SHAPES:
            best = None
            for producer in SUPPORTED[shape]:
                d = os.path.join(tmp, shape, producer)
                render_set(shape, producer, 1, FIXTURE_SEED, FIXTURE_YEAR, d, engines=engines, dpi=72)
                [pdf] = glob.glob(os.path.join(d, "*.pdf"))
                if best is None or os.path.getsize(pdf) < os.path.getsize(best):
                    best = pdf
            dest = os.path.join(out, shape)
            shutil.rmtree(dest, ignore_errors=True)
            os.makedirs(dest)
            shutil.copy(best, dest)
            shutil.copy(best[:-4] + ".truth.json", dest)
            print(f"fixture {shape}: {os.path.relpath(best, tmp)}  {os.path.getsize(best) // 1024} KiB", flush=True)
    finally:
        engines.close()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", choices=["all", "held", "fixtures"])
    ap.add_argument("--shape", choices=SHAPES)
    ap.add_argument("--producer", choices=PRODUCERS + HELD_OUT)
    ap.add_argument("--font", help="body font family (fontconfig name), e.g. 'AR PL UMing CN'")
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start-year", type=int, default=2021)
    ap.add_argument("--out")
    ap.add_argument("--jobs", type=int, default=2, help="processes for `all` (default 2)")
    args = ap.parse_args(argv)
    if args.command == "all":
        cmd_all(args.out or os.path.join(REPO, "out", "shapes"), args.jobs)
    elif args.command == "held":
        cmd_all(args.out or os.path.join(REPO, "out", "held"), 1, HELD_SETS)
    elif args.command == "fixtures":
        cmd_fixtures(args.out or os.path.join(REPO, "tests", "fixtures", "shapes"))
    else:
        if not (args.shape and args.producer and args.out):
            ap.error("--shape, --producer and --out are needed (or the command all / fixtures)")
        if args.producer not in SUPPORTED[args.shape] + HELD_OUT:
            ap.error(f"{args.shape} is rendered by {', '.join(SUPPORTED[args.shape])}")
        render_set(args.shape, args.producer, args.count, args.seed, args.start_year, args.out, args.font)


if __name__ == "__main__":
    main()
