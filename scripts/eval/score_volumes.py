"""Score the parser on volumes and scanner batches (several issues in one PDF), one command:

    .venv/bin/python -m scripts.eval.score_volumes [SET_DIR...] [--render] [--out out/volumes] [--verbose]

Without SET_DIRs: every set under OUT (rendered first by scripts/fixtures/render_volumes.py all where none
is there, or with --render). Each set is imported into a fresh data folder, exported and scored with
../shared/corpus/score.py (scripts/eval/score_corpus.py), and on top of its figures:
  source_ok   issues whose exported source_pages equal the truth's [first, last]
  reviews_ok  issues flagged contents_differ exactly where the truth's expect_reviews says so
  toc_read    目录 rows read with their folio / issue rows the 目录s print (truth's toc_issues), so that
              a reviews_ok that checked nothing shows
  lines       result lines `archive import` printed (one per issue found)
One Markdown table row per set."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.common import ROOT, SHARED, run_module
from scripts.eval.score_corpus import FIGURES, archive_cmd, score_folder


def extra_figures(truth_dir: Path, data: Path) -> dict:
    """Does each issue lie where the truth says, and is it flagged as the truth expects?"""
    out = subprocess.run(archive_cmd() + ["--data", str(data), "export", "--format", "json"], capture_output=True,
                         text=True, check=True).stdout
    got = {r["id"]: r for r in json.loads(out)}
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(truth_dir.glob("*.truth.json"))]
    review = json.loads(subprocess.run(archive_cmd() + ["--data", str(data), "review", "--json"], capture_output=True,
                                       text=True, check=True).stdout)
    flagged = {e.get("issue") for e in review if "contents_differ" in json.dumps(e, ensure_ascii=False)}
    source_ok = sum(1 for t in truths if got.get(t["id"], {}).get("source_pages") == t.get("source_pages"))
    reviews_ok = sum(1 for t in truths if ("contents_differ" in (t.get("expect_reviews") or [])) == (t["id"] in flagged))
    return {"source_ok": f"{source_ok}/{len(truths)}", "reviews_ok": f"{reviews_ok}/{len(truths)}",
            "toc_read": contents_read(truth_dir, truths, data),
            "wrong": [t["id"] for t in truths if got.get(t["id"], {}).get("source_pages") != t.get("source_pages")]}


def contents_read(truth_dir: Path, truths: list[dict], data: Path) -> str:
    """目录 rows read with their folio / rows printed, over the set's volumes that have a 目录 (so a
    reviews_ok that checked nothing shows): the parse again, OCR from the import's cache."""
    from archive.ingest.parse import prepare, read_document
    from archive.ingest.volume import contents_entries, issue_starts
    read = printed = 0
    for volume in sorted({t["volume"] for t in truths if "toc" in (t.get("front") or [])}):
        mine = [t for t in truths if t["volume"] == volume]
        printed += mine[0].get("toc_issues", len(mine))
        prepared = prepare(read_document((truth_dir / volume).read_bytes(), ocr_cache=data / "ocr-cache"))
        starts = issue_starts(prepared.blocks)
        read += sum(1 for e in contents_entries(prepared.blocks[:starts[0].start] if starts else []) if e.page)
    return f"{read}/{printed}" if printed else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "volumes")
    ap.add_argument("--render", action="store_true", help="render the sets again first")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    sets = args.sets or sorted(p for p in args.out.glob("*") if p.is_dir())
    if not args.sets and (args.render or not sets):
        run_module("scripts.fixtures.render_volumes", "all", "--out", args.out, check=True)
        sets = sorted(p for p in args.out.glob("*") if p.is_dir())
    cols = FIGURES + ["source_ok", "reviews_ok", "toc_read"]
    print("| set | " + " | ".join(cols) + " | import s |")
    print("|---" * (len(cols) + 2) + "|")
    for truth in sets:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            f = score_folder(truth, SHARED, data, args.verbose)
            f.update(extra_figures(truth, data))
        if f["wrong"]:
            print(f"  {truth.name}: source_pages wrong for {', '.join(f['wrong'])}", file=sys.stderr)
        print(f"| {truth.name} | " + " | ".join(str(f[k]) for k in cols) + f" | {f['seconds']} |", flush=True)


if __name__ == "__main__":
    main()
