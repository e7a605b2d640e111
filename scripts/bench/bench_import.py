"""Import speed against the floor of the libraries it stands on, in one run.

Usage:
  python -m scripts.bench.bench_import [PDF_DIR] [--issues 100] [--runs 3] [--shared ../shared]

Without PDF_DIR, renders a synthetic backlog with ../shared/corpus/make_corpus.py synth (kept in
/tmp/archive-bench-backlog-N for later runs). Times, over the same pages:
  (a) pdfplumber page.extract_text() on every page   — the floor of the chosen library
  (b) pdftotext (poppler) on every file                — the practical floor of any PDF text tool
  (c) archive import (parse, repair, store, index) with --jobs 1 and --jobs 2, into fresh data folders
Prints pages/s, the ratios c/a and c/b, and the peak RSS of (c): medians over --runs rounds, each
round timing all of them in turn (ratios are per round)."""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.common import SHARED


def render_backlog(shared: Path, n: int) -> Path:
    out = Path(tempfile.gettempdir()) / f"archive-bench-backlog-{n}"
    if len(list(out.glob("*.pdf"))) >= n:
        return out
    out.mkdir(exist_ok=True)
    subprocess.run([sys.executable, str(shared / "corpus" / "make_corpus.py"), "synth", str(n), str(out),
                    "--seed", "4242", "--start-year", "2000", "--page-numbers", "--running-header"],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def count_pages(files: list[Path]) -> int:
    from pypdf import PdfReader
    return sum(len(PdfReader(f).pages) for f in files)


def run_pdfplumber(files: list[Path]) -> float:
    code = ("import sys, pdfplumber\n"
            "for f in sys.argv[1:]:\n"
            "    with pdfplumber.open(f) as pdf:\n"
            "        for p in pdf.pages:\n"
            "            p.extract_text(); p.close()\n")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *map(str, files)], check=True)
    return time.perf_counter() - t0


def run_pdftotext(files: list[Path]) -> float | None:
    if not shutil.which("pdftotext"):
        return None
    t0 = time.perf_counter()
    for f in files:
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(f), "-"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def run_import(folder: Path, jobs: int) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `archive import` into a fresh data folder."""
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "archive.cli.main", "--data", tmp, "import", "--jobs", str(jobs), str(folder)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf_dir", nargs="?", type=Path)
    ap.add_argument("--issues", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    folder = args.pdf_dir or render_backlog(args.shared, args.issues)
    files = sorted(folder.rglob("*.pdf"))
    pages = count_pages(files)
    print(f"{len(files)} PDFs, {pages} pages in {folder}; median of {args.runs} runs")
    # Rounds interleave the four measurements, so that a slower spell of this shared machine
    # weighs on all of them alike; the ratios are taken per round, then their median.
    rounds = []
    for _ in range(args.runs):
        a = run_pdfplumber(files)
        b = run_pdftotext(files)
        (t1, m1), (t2, m2) = run_import(folder, 1), run_import(folder, 2)
        rounds.append({"a": a, "b": b, "c1": t1, "c2": t2, "rss": max(m1, m2)})
    med = lambda key: statistics.median(r[key] for r in rounds)  # noqa: E731
    ratio = lambda num, den: statistics.median(r[num] / r[den] for r in rounds)  # noqa: E731
    a, t1, t2 = med("a"), med("c1"), med("c2")
    b = med("b") if rounds[0]["b"] is not None else None
    print(f"{'what':38} {'seconds':>8} {'pages/s':>8} {'c/a':>6} {'c/b':>6}")
    print(f"{'(a) pdfplumber extract_text':38} {a:8.2f} {pages / a:8.1f}")
    if b is not None:
        print(f"{'(b) pdftotext':38} {b:8.2f} {pages / b:8.1f}")
    for label, key, t in (("(c) archive import --jobs 1", "c1", t1), ("(c) archive import --jobs 2", "c2", t2)):
        cb = f"{ratio(key, 'b'):6.2f}" if b else "   n/a"
        print(f"{label:38} {t:8.2f} {pages / t:8.1f} {ratio(key, 'a'):6.2f} {cb}")
    spread = ", ".join(f"{r['c1'] / r['a']:.2f}" for r in rounds)
    print(f"speed-up of --jobs 2 over --jobs 1: {ratio('c1', 'c2'):.2f}x; peak RSS of (c): "
          f"{max(r['rss'] for r in rounds):.0f} MB; c/a per round (--jobs 1): {spread}")


if __name__ == "__main__":
    main()
