"""Score the parser on every shape real back catalogues have, made by every producer: one command.

    .venv/bin/python -m scripts.eval.score_shapes [--render] [--out out] [--jobs 2] [--held-out]

With --render (or where a set is missing) it first makes the sets: scripts/fixtures/render_shapes.py all
(covers, 合刊/增刊 mastheads, three and four columns, figures and tables, 公文 style, unseen units;
reportlab, Chromium, LibreOffice; several fonts) into OUT/shapes, and scripts/fixtures/degrade_scans.py
(office scans of dev issues: turned 90/180/270, skewed, 150-300 dpi, JPEG, tinted paper; and a
scanned book) into OUT/scans. Then it imports each set into a fresh data folder, exports it and
scores it with ../shared/corpus/score.py, printing one Markdown table row per set. --held-out adds
each shape made by a producer the parser was not tuned on (Typst, scripts/fixtures/shapes/typ.py: unbalanced
columns, CFF fonts, its own CJK shaping), from OUT/held.
Needs what those scripts need (Debian chromium and libreoffice-writer-nogui, python-docx)."""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from scripts.common import ROOT, SHARED, run_module
from scripts.eval.score_corpus import FIGURES, score_folder

SCAN_SOURCES = ["single/2016-001.pdf", "single/2016-004.pdf", "single/2016-009.pdf", "single/2016-012.pdf",
                "two-column/2018-001.pdf", "two-column/2018-003.pdf"]


def render(out: Path, jobs: int) -> None:
    run_module("scripts.fixtures.render_shapes", "all", "--out", out / "shapes", "--jobs", jobs, check=True)
    dev = SHARED / "corpus" / "dev"
    run_module("scripts.fixtures.degrade_scans", *[dev / s for s in SCAN_SOURCES], out / "scans" / "office",
               "--seed", "7", "--profile", "office", "--rotate-every", "1.75", "--cancel-every", "3", check=True)
    run_module("scripts.fixtures.degrade_scans", "book", out / "scans" / "book", "--seed", "3", "--pages", "8",
               check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "out")
    ap.add_argument("--render", action="store_true", help="make the sets again first")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--held-out", action="store_true",
                    help="also every shape through the held-out producers (Typst: pip install typst), "
                         "rendered by render_shapes.py held into OUT/held where missing")
    args = ap.parse_args()
    sets = sorted(p for p in (args.out / "shapes").glob("*-*") if p.is_dir())
    scans = [args.out / "scans" / "office", args.out / "scans" / "book"]
    if args.render or not sets or not all(s.is_dir() for s in scans):
        render(args.out, args.jobs)
        sets = sorted(p for p in (args.out / "shapes").glob("*-*") if p.is_dir())
    if args.held_out:
        held = sorted(p for p in (args.out / "held").glob("*-*") if p.is_dir())
        if args.render or not held:
            run_module("scripts.fixtures.render_shapes", "held", "--out", args.out / "held", check=True)
            held = sorted(p for p in (args.out / "held").glob("*-*") if p.is_dir())
        sets += held
    print("| set | " + " | ".join(FIGURES) + " | import s |")
    print("|---" * (len(FIGURES) + 2) + "|")
    for truth in sets + scans:
        with tempfile.TemporaryDirectory() as tmp:
            f = score_folder(truth, SHARED, Path(tmp) / "data", args.verbose)
        print(f"| {truth.parent.name}/{truth.name} | " + " | ".join(str(f[k]) for k in FIGURES)
              + f" | {f['seconds']} |", flush=True)


if __name__ == "__main__":
    main()
