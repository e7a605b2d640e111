#!/usr/bin/env python3
"""Render bound annual volumes (合订本) and scanner batches: several issues in one PDF, with a truth
file per issue.

Usage:
  render_volumes.py --source SRC --producer P [--volumes N] [--issues K] --seed S --start-year Y --out DIR
                    [--front cover,toc|picture-cover,toc|none] [--folios file|volume] [--sections]
                    [--blank-versos] [--banner] [--scan PROFILE] [--lie shift|extra|missing]
  render_volumes.py all [--out out/volumes]          every set of ALL_SETS into DIR/<set>/
  render_volumes.py fixtures [--out tests/fixtures/volumes]

Each volume: its issues are rendered one by one (SRC: plain = ../shared/corpus/make_corpus.py's issue
in reportlab; units, figures, gongwen, masthead = scripts/shapes content through P; numerals =
scripts/shapes/numerals.py through P), then put behind the volume's own pages with pypdf: a cover
(「中铝股份党群工作」「2012年合订本（第1期—第4期）」, text drawn by P, or a picture with the title painted
in) and a 目录 page listing each issue's number line with its folio (file pages, or folios counted
from the first issue's masthead page: --folios), optionally each issue's section titles under it
(--sections). --front none makes a scanner's batch: masthead page after masthead page. An issue of
an odd number of pages may be followed by a blank verso (--blank-versos: the volume's, no issue's);
with --banner (reportlab) an issue may open with a photo above its masthead, so the masthead sits
halfway down its first page. --scan PROFILE scans the whole volume (scripts/degrade_scans.py's
scanner: image-only pages). --lie makes the 目录 disagree with the file: one folio off by two
(shift), an issue listed that the volume lacks (extra), or an issue left out of the file but kept in
the 目录 (missing); the truth of the issues concerned says "contents_differ" under "expect_reviews".

Truth, one file per issue (<id>.truth.json beside the volume <vol-…>.pdf): make_corpus's fields,
items with "page_start"/"page_end" in the ISSUE'S OWN pages (page 1 is its masthead page: found in
the issue as rendered alone, by scripts/shapes/locate.py or make_corpus), "pages" its page count, and
"source_pages": [first, last] its file pages in the volume (1-based, inclusive); "volume", "front",
"front_pages", "folios", "toc_issues" (the issue rows its volume's 目录 prints), "expect_reviews".
Score with scripts/score_volumes.py (score.py's figures, and whether each issue's source_pages and
expected reviews are right).

Needs what scripts/render_shapes.py needs (Chromium, LibreOffice) and pip weasyprint for
--producer weasyprint (not needed by the tests).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from render_shapes import Engines, render_job  # noqa: E402
from shapes.common import REPO, load_make_corpus, rng_for  # noqa: E402
from shapes.content import synth_shape  # noqa: E402
from shapes.doc import Job  # noqa: E402
from shapes.volume import Front, render_front  # noqa: E402

SOURCES = ("plain", "units", "figures", "gongwen", "masthead", "numerals")
# set name: (source, producer, volumes, issues per volume, seed, first year, options)
ALL_SETS = {
    "reportlab": ("plain", "reportlab", 3, 4, 801, 1991, {"front": "cover,toc", "folios": "file", "blank_versos": True,
                                                        "banner": True}),
    "reportlab-units": ("units", "reportlab", 2, 3, 802, 1994, {"front": "picture-cover,toc", "folios": "volume",
                                                                "sections": True}),
    "chromium": ("figures", "chromium", 2, 4, 803, 1996, {"front": "cover,toc", "folios": "volume", "sections": True}),
    "libreoffice": ("gongwen", "libreoffice", 2, 3, 804, 1998, {"front": "cover,toc", "folios": "file"}),
    "weasyprint": ("numerals", "weasyprint", 2, 4, 805, 1986, {"front": "cover,toc", "folios": "file",
                                                               "blank_versos": True}),
    "masthead-chromium": ("masthead", "chromium", 2, 4, 806, 1988, {"front": "picture-cover,toc", "folios": "file"}),
    "batch-reportlab": ("plain", "reportlab", 2, 4, 807, 1982, {"front": "none", "banner": True}),
    "scanned": ("plain", "reportlab", 2, 3, 808, 1984, {"front": "cover,toc", "folios": "file", "scan": "office"}),
    "batch-scanned": ("units", "libreoffice", 2, 3, 809, 1978, {"front": "none", "scan": "office"}),
    "scanned-mild": ("plain", "reportlab", 2, 3, 810, 1974, {"front": "picture-cover,toc", "folios": "volume",
                                                             "scan": "mild"}),
    # 目录s that disagree with the file: the issues concerned must be flagged, and no other
    "lies-shift": ("units", "weasyprint", 2, 4, 811, 1970, {"front": "cover,toc", "folios": "volume", "lie": "shift"}),
    "lies-missing": ("plain", "reportlab", 2, 4, 812, 1966, {"front": "cover,toc", "folios": "file", "lie": "missing",
                                                             "sections": True}),
    "lies-extra": ("figures", "chromium", 2, 3, 813, 1962, {"front": "picture-cover,toc", "folios": "file",
                                                            "lie": "extra"}),
}
FIXTURES = {  # small: 3-4 short issues, a dozen pages
    "volume": ("plain", "reportlab", 1, 4, 901, 2012, {"front": "cover,toc", "folios": "file", "short": True}),
    "batch": ("plain", "reportlab", 1, 3, 902, 2013, {"front": "none", "short": True, "banner": True}),
    "lies": ("plain", "reportlab", 1, 3, 903, 2014, {"front": "cover,toc", "folios": "file", "short": True,
                                                     "lie": "shift"}),
    "batch-scanned": ("plain", "reportlab", 1, 2, 904, 2015, {"front": "none", "short": True, "scan": "mild"}),
}


# ---- the issues ---------------------------------------------------------------------------------

def shorten(issue: dict) -> dict:
    """A short issue (a fixture's): each section's first items only."""
    for section in issue["sections"]:
        section["items"] = section["items"][:1 if section["title"] != "悟·心之语" else 2]
    return issue


def render_issues(source, producer, count, seed, year, out_dir, engines, options):
    """Render `count` issues into out_dir (<id>.pdf + <id>.truth.json, pages their own); their ids."""
    os.makedirs(out_dir, exist_ok=True)
    ids = []
    rng = rng_for("volume-issues", source, seed)
    if source == "plain":
        mc = load_make_corpus()
        for issue in mc.synth(count, seed, year):
            if options.get("short"):
                shorten(issue)
            layout = rng.choice(["single", "single", "two-column"])
            banner = options.get("banner") and rng.random() < 0.5
            if banner:  # make_corpus draws no picture: the shapes' reportlab composer does
                job = plain_job(mc, issue, rng, out_dir, dpi=50 if options.get("short") else 90)
                ids.append(render_shape_issue(engines, "reportlab", job, out_dir))
            else:
                mc.render(issue, out_dir, layout, rng.random() < 0.6, rng.random() < 0.5)
                ids.append(mc.issue_id(issue))
        return ids
    if source == "numerals":
        from shapes.numerals import synth_numerals
        made = synth_numerals(count, seed, year, style_of(producer))
    else:
        made = synth_shape(source, count, seed, year, style_of(producer))
    for issue, front, style in made:
        if options.get("short"):
            shorten(issue)
        if options.get("banner") and producer == "reportlab" and rng.random() < 0.5:
            style["banner"] = rng.choice([70, 90, 110])
        job = Job(issue, front, style, os.path.join(out_dir, "work"), dpi=50 if options.get("short") else 90)
        job.shape = source
        ids.append(render_shape_issue(engines, producer, job, out_dir))
    shutil.rmtree(os.path.join(out_dir, "work"), ignore_errors=True)
    return ids


def style_of(producer):
    return {"weasyprint": "chromium", "fpdf2": "reportlab", "pymupdf": "reportlab"}.get(producer, producer)


def plain_job(mc, issue, rng, out_dir, dpi=90):
    """make_corpus's issue as a shapes job (reportlab), with a photo above its masthead."""
    from shapes.content import date_text, pick_style
    import datetime as dt
    style = pick_style("units", "reportlab", rng, font="WenQuanYi Zen Hei")
    style["fonts"].update(title="WenQuanYi Zen Hei", heading="WenQuanYi Zen Hei", masthead="WenQuanYi Zen Hei",
                          quote="WenQuanYi Zen Hei", caption="WenQuanYi Zen Hei")  # make_corpus's one face
    style["banner"] = rng.choice([70, 90, 110])
    issue["id"] = mc.issue_id(issue)
    issue["_print"] = {"number_line": f"{issue['year']}年第{issue['number']}期（总第{issue['total_number']}期）",
                       "date_line": date_text(dt.date.fromisoformat(issue["date"]), rng)}
    if style["header"]:
        style["header"]["text"] = issue["publication"]
    job = Job(issue, [], style, os.path.join(out_dir, "work"), dpi=dpi)
    job.shape = "plain"
    return job


def render_shape_issue(engines, producer, job, out_dir):
    engine = engines.get(producer)
    render_job(engine, producer, job, out_dir)
    return job.issue["id"]


# ---- the volume -----------------------------------------------------------------------------------

def number_text(truth, with_year=True):
    y, n, end, special, total = (truth["year"], truth.get("number"), truth.get("number_end"), truth.get("special"),
                                 truth.get("total_number"))
    text = f"{y}年" if with_year else ""
    text += special if special and n is None else (f"第{n}-{end}期" if end else f"第{n}期")
    return text + (f"（总第{total}期）" if total else "")


def page_count(path):
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


def plan_pages(issue_pages, n_front, blank_versos, rng):
    """(first, last) file pages of each issue, and the blank versos after each (0 or 1)."""
    at, places, blanks = n_front + 1, [], []
    for n in issue_pages:
        places.append((at, at + n - 1))
        blank = int(bool(blank_versos) and n % 2 == 1 and rng.random() < 0.7)
        blanks.append(blank)
        at += n + blank
    return places, blanks


def contents_rows(truths, places, n_front, folios, sections, lie, rng, with_year):
    """The 目录: (level, text, folio) rows; and the ids of issues it misplaces (lie)."""
    shift = n_front if folios == "volume" else 0
    rows, wrong = [], []
    shifted = rng.randrange(len(truths)) if lie == "shift" else None
    for k, (truth, (first, _)) in enumerate(zip(truths, places)):
        folio = first - shift + (2 if k == shifted else 0)
        if k == shifted:
            wrong.append(truth["id"])
        rows.append((0, number_text(truth, with_year), str(folio)))
        if sections:
            for s in truth["sections"]:
                start = min(it["page_start"] for it in s["items"])
                rows.append((1, s["title"], str(first + start - 1 - shift)))
    return rows, wrong


def volume_front(truths, kept, places, left_out, lie, n_front, options, rng):
    """What the cover and 目录 print (a Front), and the ids of the issues its 目录 misplaces."""
    listed = list(truths)
    where = dict(zip(kept, places))
    if left_out is not None:  # listed at the pages the issue after it has now (or past the last)
        after = [j for j in kept if j > left_out]
        where[left_out] = where[after[0]] if after else (places[-1][1] + 1, places[-1][1] + 1)
    if lie == "extra":  # an issue after the last, which the volume lacks
        last = truths[-1]
        listed.append(dict(last, number=(last.get("number") or 0) + 1, number_end=None, special=None,
                           total_number=(last.get("total_number") or 0) + 1))
        where[len(listed) - 1] = (places[-1][1] + 1, places[-1][1] + 1)
    rows, wrong = contents_rows(listed, [where[j] for j in range(len(listed))], n_front, options.get("folios", "file"),
                                options.get("sections"), lie, rng, with_year=rng.random() < 0.7)
    first = number_text(truths[0], False).split("（")[0]
    last = number_text(truths[-1], False).split("（")[0]
    return Front(truths[0]["publication"], truths[0]["year"], first, last, rows,
                 cover_style=rng.choice(["one-line", "two-lines"])), wrong


def render_volume(source, producer, k, count, seed, year, out_dir, engines, options):
    from pypdf import PdfReader, PdfWriter
    rng = rng_for("volume", source, producer, seed, k)
    work = tempfile.mkdtemp(prefix="render-volume-")
    try:
        ids = render_issues(source, producer, count, seed * 10 + k, year, work, engines, options)
        truths = [json.load(open(os.path.join(work, f"{i}.truth.json"), encoding="utf-8")) for i in ids]
        pdfs = [os.path.join(work, f"{i}.pdf") for i in ids]
        lie = options.get("lie")
        left_out = rng.randrange(1, len(ids)) if lie == "missing" else None  # listed, not in the file
        front_kinds = [] if options.get("front", "cover,toc") == "none" else options["front"].split(",")
        kept = [j for j in range(len(ids)) if j != left_out]
        n_front, made = len(front_kinds), None
        for _ in range(3):  # a long 目录 may take two pages: its folios are set again for them
            places, blanks = plan_pages([truths[j]["pages"] for j in kept], n_front, options.get("blank_versos"),
                                        rng_for("volume-blanks", source, producer, seed, k))
            front, wrong = volume_front(truths, kept, places, left_out, lie, n_front, options,
                                        rng_for("volume-front", source, producer, seed, k))
            made = [(kind, os.path.join(work, f"front-{kind}.pdf")) for kind in front_kinds]
            made_by = [render_front(engines, producer, front, kind, path) for kind, path in made]
            if sum(page_count(path) for _, path in made) == n_front:
                break
            n_front = sum(page_count(path) for _, path in made)
        else:
            raise SystemExit(f"the front pages of volume {k} do not settle")
        name = f"vol-{truths[0]['year']}-{seed}-{k}"
        writer = PdfWriter()
        for _, path in made:
            writer.append(PdfReader(path))
        for j, blank in zip(kept, blanks):
            reader = PdfReader(pdfs[j])
            writer.append(reader)
            if blank:
                box = reader.pages[-1].mediabox
                writer.add_blank_page(float(box.width), float(box.height))
        os.makedirs(out_dir, exist_ok=True)
        out_pdf = os.path.join(out_dir, f"{name}.pdf")
        writer.add_metadata({"/Title": f"{front.publication} {front.year}年合订本", "/Creator": producer})
        with open(out_pdf, "wb") as fh:
            writer.write(fh)
        if options.get("scan"):  # (a fixture's: 120 dpi, grey, so that it stays small)
            small = ({"dpi": 120, "colour": "grey", "jpeg_quality": 30, "noise_sigma": 1.0, "speckle_per_mpx": 2.0}
                     if options.get("short") else None)
            scan_volume(out_pdf, seed * 10 + k, options["scan"], small)
        concerned = set(wrong)
        if lie == "missing":  # the issue whose pages the 目录 gives the missing one
            concerned.add(truths[next((j for j in kept if j > left_out), kept[-1])]["id"])
        if lie == "extra":
            concerned.add(truths[kept[-1]]["id"])
        for j, (first, last) in zip(kept, places):
            truth = dict(truths[j], source_pages=[first, last], volume=os.path.basename(out_pdf), front=front_kinds,
                         front_pages=n_front, toc_issues=sum(1 for level, _, _ in front.rows if level == 0)
                         if "toc" in front_kinds else 0,
                         folios=options.get("folios"), volume_producers=made_by, scanned=bool(options.get("scan")),
                         expect_reviews=["contents_differ"] if truths[j]["id"] in concerned else [])
            with open(os.path.join(out_dir, f"{truths[j]['id']}.truth.json"), "w", encoding="utf-8") as fh:
                json.dump(truth, fh, ensure_ascii=False, indent=1)
        print(f"{out_pdf}: {len(kept)} issues, file pages {places}, front {front_kinds or '-'}, "
              f"{os.path.getsize(out_pdf) // 1024} KiB", flush=True)
        return out_pdf
    finally:
        shutil.rmtree(work, ignore_errors=True)


def scan_volume(pdf, seed, profile, overrides=None):
    """The volume scanned page by page (degrade_scans' scanner), in place; `overrides`: what every
    page gets whatever the profile says (dpi, colour, jpeg_quality)."""
    import degrade_scans as ds
    n = ds.page_count(pdf)
    ds.scan_document(pdf, pdf + ".scan", seed, profile, [("none", 0, 0)] * n,
                     overrides=[overrides] * n if overrides else None, key=os.path.basename(pdf))
    os.replace(pdf + ".scan", pdf)


def render_set(source, producer, volumes, issues, seed, year, out_dir, options, engines=None):
    own = engines is None
    engines = engines or VolumeEngines()
    try:
        for k in range(volumes):
            render_volume(source, producer, k, issues, seed, year + 2 * k, out_dir, engines, options)
    finally:
        if own:
            engines.close()


class VolumeEngines(Engines):
    """The shapes' producers, and WeasyPrint."""

    def get(self, producer):
        if producer == "weasyprint" and producer not in self.open:
            from shapes.weasy import WeasyPrint
            self.open[producer] = WeasyPrint()
        return super().get(producer) if producer not in self.open else self.open[producer]


def run_sets(table, out, only=None):
    engines = VolumeEngines()
    try:
        for name, (source, producer, volumes, issues, seed, year, options) in table.items():
            if only and name not in only:
                continue
            d = os.path.join(out, name)
            shutil.rmtree(d, ignore_errors=True)
            render_set(source, producer, volumes, issues, seed, year, d, options, engines)
    finally:
        engines.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", choices=["all", "fixtures"])
    ap.add_argument("--source", choices=SOURCES, default="plain")
    ap.add_argument("--producer", default="reportlab")
    ap.add_argument("--volumes", type=int, default=1)
    ap.add_argument("--issues", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start-year", type=int, default=2012)
    ap.add_argument("--front", default="cover,toc")
    ap.add_argument("--folios", choices=["file", "volume"], default="file")
    ap.add_argument("--sections", action="store_true")
    ap.add_argument("--blank-versos", action="store_true")
    ap.add_argument("--banner", action="store_true")
    ap.add_argument("--scan", choices=["mild", "office", "harsh"])
    ap.add_argument("--lie", choices=["shift", "extra", "missing"])
    ap.add_argument("--out")
    ap.add_argument("--sets", nargs="*", help="with all / fixtures: only these sets")
    args = ap.parse_args(argv)
    if args.command == "all":
        run_sets(ALL_SETS, args.out or os.path.join(REPO, "out", "volumes"), args.sets)
    elif args.command == "fixtures":
        run_sets(FIXTURES, args.out or os.path.join(REPO, "tests", "fixtures", "volumes"), args.sets)
    else:
        if not args.out:
            ap.error("--out is needed (or the command all / fixtures)")
        options = {k: getattr(args, k) for k in ("front", "folios", "sections", "blank_versos", "banner", "scan", "lie")}
        render_set(args.source, args.producer, args.volumes, args.issues, args.seed, args.start_year, args.out, options)


if __name__ == "__main__":
    main()
