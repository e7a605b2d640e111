#!/usr/bin/env python3
"""Render issues of 《中铝股份党群工作》 laid out in several column regions a page (newspaper style:
a full-width headline and lead, 2 or 3 columns under it, a full-width item, columns again; a
paragraph running on from columns into a full-width region and from page to page; headings inside
columns), with a truth file each, through WeasyPrint and headless Chromium (scripts/shapes/regions.py).

    .venv/bin/python scripts/render_regions.py --producer weasyprint --count 6 --seed 1 --start-year 2003 --out out/regions/weasyprint
    .venv/bin/python scripts/render_regions.py all [--out out/regions]      # the sets scored in docs/shelves/regions.md
    .venv/bin/python scripts/render_regions.py fixtures                      # tests/fixtures/regions/

Needs: pip install weasyprint (Pango from Debian), playwright; Debian chromium and the CJK fonts
of scripts/shapes/common.py."""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from shapes.common import REPO  # noqa: E402
from shapes.regions import Chromium, WeasyPrint, render_issue, synth_regions  # noqa: E402

# (producer, count, seed, start year): seeds and years unlike every other set
ALL_SETS = [("weasyprint", 8, 801, 2001), ("chromium", 8, 802, 2004)]
FIXTURE_SETS = [("weasyprint", 1, 815, 2000), ("chromium", 1, 812, 1999)]
FIXTURE_SECTIONS = 3  # small issues: few distinct glyphs embedded, a page or two


def engine_for(producer):
    return WeasyPrint() if producer == "weasyprint" else Chromium()


def render_set(producer, count, seed, start_year, out_dir, engine=None, sections=None):
    own = engine is None
    engine = engine or engine_for(producer)
    os.makedirs(out_dir, exist_ok=True)
    try:
        for issue, st, regions in synth_regions(count, seed, start_year, producer, sections):
            pdf, truth = render_issue(engine, issue, st, regions, out_dir)
            with open(pdf[:-4] + ".truth.json", "w", encoding="utf-8") as fh:
                json.dump(truth, fh, ensure_ascii=False, indent=1)
            print(f"{pdf}  {truth['pages']} pages  {os.path.getsize(pdf) // 1024} KiB  {st['fonts']['body']}  "
                  f"{truth['layout']['regions']}", flush=True)
    finally:
        if own:
            engine.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", choices=["all", "fixtures"])
    ap.add_argument("--producer", choices=["weasyprint", "chromium"])
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start-year", type=int, default=2003)
    ap.add_argument("--out")
    ap.add_argument("--sections", type=int, help="only the first few sections, not enlarged (small issues)")
    args = ap.parse_args(argv)
    if args.command == "all":
        out = args.out or os.path.join(REPO, "out", "regions")
        for producer, count, seed, year in ALL_SETS:
            d = os.path.join(out, producer)
            shutil.rmtree(d, ignore_errors=True)
            render_set(producer, count, seed, year, d)
    elif args.command == "fixtures":
        dest = args.out or os.path.join(REPO, "tests", "fixtures", "regions")
        os.makedirs(dest, exist_ok=True)
        for producer, count, seed, year in FIXTURE_SETS:
            tmp = tempfile.mkdtemp(prefix="regions-fx-")
            try:
                render_set(producer, count, seed, year, tmp, sections=FIXTURE_SECTIONS)
                for path in glob.glob(os.path.join(tmp, "*")):
                    shutil.copy(path, os.path.join(dest, f"{producer}-{os.path.basename(path)}"))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    else:
        if not (args.producer and args.out):
            ap.error("--producer and --out are needed (or the command all / fixtures)")
        render_set(args.producer, args.count, args.seed, args.start_year, args.out, sections=args.sections)


if __name__ == "__main__":
    main()
