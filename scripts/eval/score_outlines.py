"""Score the parser on print-shop PDFs: text drawn as outlines, garbled text layers, and pages
mixing either with real text — one command.

    .venv/bin/python -m scripts.eval.score_outlines [--render] [--out out] [SET...]

With --render (or where out/outlines is missing) it first makes the sets with
scripts/fixtures/make_outlines.py all (from out/shapes, out/held and ../shared/corpus/dev; out/shapes is
rendered by scripts/fixtures/render_shapes.py all where missing). Then it imports each set into a fresh
data folder, exports and scores it with ../shared/corpus/score.py, and checks how each page was
read (the pages table's method) against the truth's page_methods: one Markdown table row per
set, `methods` being the share of pages read as they must be, `ocr pages` how many went to OCR.
SET names a set folder under OUT/outlines (default: all of them)."""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

from scripts.common import ROOT, SHARED, run_module
from scripts.eval.score_corpus import FIGURES, score_folder


def render(out: Path) -> None:
    if not any((out / "shapes").glob("*-*")):
        run_module("scripts.fixtures.render_shapes", "all", "--out", out / "shapes", check=True)
    run_module("scripts.fixtures.make_outlines", "all", "--out", out / "outlines", "--shapes", out / "shapes",
               "--held", out / "held", check=True)


def page_methods(data: Path) -> dict[str, list[str]]:
    """Each imported issue's page methods, by the id the truth file has (the export's)."""
    with sqlite3.connect(data / "archive.sqlite3") as conn:
        rows = conn.execute("SELECT issue_id, method FROM pages ORDER BY issue_id, page").fetchall()
    out: dict[str, list[str]] = {}
    for issue_id, method in rows:
        out.setdefault(issue_id, []).append(method)
    return out


def method_figures(truth: Path, data: Path, verbose: bool) -> tuple[float, int, int]:
    """(share of pages read as the truth says, pages read by OCR, pages)."""
    got = page_methods(data)
    right = total = ocr = 0
    for path in sorted(truth.glob("*.truth.json")):
        t = json.loads(path.read_text(encoding="utf-8"))
        want, have = t.get("page_methods") or [], got.get(t["id"], [])
        for n, w in enumerate(want):
            h = have[n] if n < len(have) else None
            total += 1
            right += h == w
            ocr += bool(h) and (h == "ocr" or h.startswith("ocr-"))
            if verbose and h != w:
                print(f"  {truth.name}/{t['id']} page {n + 1}: read as {h}, should be {w}", file=sys.stderr)
    return (round(right / total, 4) if total else 1.0), ocr, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*")
    ap.add_argument("--out", type=Path, default=ROOT / "out")
    ap.add_argument("--render", action="store_true", help="make the sets again first")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    root = args.out / "outlines"
    if args.render or not any(root.glob("*-*")):
        render(args.out)
    sets = [root / s for s in args.sets] if args.sets else sorted(p for p in root.glob("*-*") if p.is_dir())
    print("| set | " + " | ".join(FIGURES) + " | methods | ocr pages | import s |")
    print("|---" * (len(FIGURES) + 4) + "|")
    for truth in sets:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            f = score_folder(truth, SHARED, data, args.verbose)
            methods, ocr, pages = method_figures(truth, data, args.verbose)
        print(f"| {truth.name} | " + " | ".join(str(f[k]) for k in FIGURES)
              + f" | {methods} | {ocr}/{pages} | {f['seconds']} |", flush=True)


if __name__ == "__main__":
    main()
