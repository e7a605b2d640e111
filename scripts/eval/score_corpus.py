"""Import a truth folder into a fresh data folder, export, and score against the truth.

Usage:
  python -m scripts.eval.score_corpus TRUTH_DIR [TRUTH_DIR...] [--verbose] [--keep DATA_DIR]
                                 [--shared ../shared]

Runs `archive import`, `archive export --format json` and ../shared/corpus/score.py (needs
rapidfuzz) for each folder, and prints one table row per folder."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.common import ROOT, SHARED

FIGURES = ["issues", "issues_found", "metadata_acc", "sections_acc", "item_f1", "cer", "page_acc", "unit_f1",
           "attribution_acc"]


def archive_cmd() -> list[str]:
    return [sys.executable, "-m", "archive.cli.main"]


def score_folder(truth: Path, shared: Path, data: Path, verbose: bool) -> dict:
    t0 = time.perf_counter()
    imp = subprocess.run(archive_cmd() + ["--data", str(data), "import", str(truth)], capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if imp.returncode not in (0, 1):
        sys.exit(f"import failed on {truth}:\n{imp.stderr[-2000:]}")
    for line in (imp.stdout + imp.stderr).splitlines():
        if "refused" in line or "needs review" in line:
            print(f"  {line}", file=sys.stderr)
    export = data / "export.json"
    out = subprocess.run(archive_cmd() + ["--data", str(data), "export", "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    export.write_text(out, encoding="utf-8")
    score = [sys.executable, str(shared / "corpus" / "score.py"), str(truth), str(export), "--json"]
    if verbose:
        detail = subprocess.run(score[:-1] + ["--verbose"], capture_output=True, text=True)
        print(detail.stdout, file=sys.stderr)
    figures = json.loads(subprocess.run(score, capture_output=True, text=True, check=True).stdout)
    figures["seconds"] = round(elapsed, 1)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("truth_dirs", nargs="+", type=Path)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--verbose", action="store_true", help="print every difference score.py finds")
    ap.add_argument("--keep", type=Path, help="keep the data folders under this folder")
    args = ap.parse_args()
    print("| folder | " + " | ".join(FIGURES) + " | import s |")
    print("|---" * (len(FIGURES) + 2) + "|")
    for truth in args.truth_dirs:
        with tempfile.TemporaryDirectory() as tmp:
            data = (args.keep / truth.name) if args.keep else Path(tmp) / "data"
            data.mkdir(parents=True, exist_ok=True)
            f = score_folder(truth, args.shared, data, args.verbose)
        print(f"| {truth} | " + " | ".join(str(f[k]) for k in FIGURES) + f" | {f['seconds']} |", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(ROOT / "src"))
    main()
