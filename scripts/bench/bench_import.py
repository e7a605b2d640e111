"""Import speed against the floor of the libraries it stands on, in one run.

Usage:
  python -m scripts.bench.bench_import [PDF_DIR] [--issues 100] [--runs 3] [--shared ../shared]
                                      [--readers pdfium pdfplumber] [--jobs 1 2]

Without PDF_DIR, renders a synthetic backlog with ../shared/corpus/make_corpus.py synth (kept in
/tmp/archive-bench-backlog-N for later runs). Times, over the same pages:
  (a) pdfplumber page.extract_text() on every page   — the floor of the chosen library
  (b) pdftotext (poppler) on every file                — the practical floor of any PDF text tool
  (c) archive import (parse, repair, store, index) with --jobs 1 and --jobs 2, into fresh data folders;
      with --readers, once per stage-1 reader (ARCHIVE_PDF_READER) in each round, to compare them in one run
Prints pages/s, the ratios c/a and c/b, and the peak RSS of (c): medians over --runs rounds, each
round timing all of them in turn (ratios are per round); and c/a by CPU seconds (user + system of
the processes), which a busy shared machine disturbs far less than the wall clock. archive's own
modules are compiled to bytecode first, as an installed package's are."""
from __future__ import annotations

import argparse
import os
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


def compile_archive() -> None:
    """Write archive's bytecode first, as pip does on install: where PYTHONDONTWRITEBYTECODE is set
    (this machine sets it) every `archive import` would otherwise compile its ~200 modules again
    (~0.1 s), while pdfplumber's, in site-packages, come compiled."""
    import compileall

    import archive
    compileall.compile_dir(str(Path(archive.__file__).parent), quiet=1)


def count_pages(files: list[Path]) -> int:
    from pypdf import PdfReader
    return sum(len(PdfReader(f).pages) for f in files)


CPU: dict[str, float] = {}  # CPU seconds of the last (a) and (c) run: on a shared machine the fairer measure


def child_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_pdfplumber(files: list[Path]) -> float:
    code = ("import sys, pdfplumber\n"
            "for f in sys.argv[1:]:\n"
            "    with pdfplumber.open(f) as pdf:\n"
            "        for p in pdf.pages:\n"
            "            p.extract_text(); p.close()\n")
    t0, c0 = time.perf_counter(), child_cpu()
    subprocess.run([sys.executable, "-c", code, *map(str, files)], check=True)
    CPU["a"] = child_cpu() - c0
    return time.perf_counter() - t0


def run_pdftotext(files: list[Path]) -> float | None:
    if not shutil.which("pdftotext"):
        return None
    t0 = time.perf_counter()
    for f in files:
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(f), "-"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def run_import(folder: Path, jobs: int, reader: str | None = None) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `archive import` into a fresh data folder (with `reader`: that
    stage-1 reader, ARCHIVE_PDF_READER)."""
    env = dict(os.environ, ARCHIVE_PDF_READER=reader) if reader else None
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0, c0 = time.perf_counter(), child_cpu()
        subprocess.run([sys.executable, "-m", "archive.cli.main", "--data", tmp, "import", "--jobs", str(jobs), str(folder)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        elapsed = time.perf_counter() - t0
        CPU["c"] = child_cpu() - c0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf_dir", nargs="?", type=Path)
    ap.add_argument("--issues", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--readers", nargs="+", choices=("pdfium", "pdfplumber"),
                    help="time the import once with each stage-1 reader (ARCHIVE_PDF_READER) in every round")
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2], help="the --jobs of the imports timed")
    args = ap.parse_args()
    folder = args.pdf_dir or render_backlog(args.shared, args.issues)
    compile_archive()
    files = sorted(folder.rglob("*.pdf"))
    pages = count_pages(files)
    print(f"{len(files)} PDFs, {pages} pages in {folder}; median of {args.runs} runs")
    # Rounds interleave the four measurements, so that a slower spell of this shared machine
    # weighs on all of them alike; the ratios are taken per round, then their median.
    imports = [(jobs, reader) for reader in (args.readers or [None]) for jobs in args.jobs]
    label = lambda jobs, reader: f"(c) archive import --jobs {jobs}" + (f" [{reader}]" if reader else "")  # noqa: E731
    rounds = []
    for _ in range(args.runs):
        r = {"a": run_pdfplumber(files), "cpu a": CPU["a"], "b": run_pdftotext(files), "rss": 0.0}
        for jobs, reader in imports:
            r[(jobs, reader)], rss = run_import(folder, jobs, reader)
            r[("cpu", jobs, reader)] = CPU["c"]
            r["rss"] = max(r["rss"], rss)
        rounds.append(r)
    med = lambda key: statistics.median(r[key] for r in rounds)  # noqa: E731
    ratio = lambda num, den: statistics.median(r[num] / r[den] for r in rounds)  # noqa: E731
    a = med("a")
    b = med("b") if rounds[0]["b"] is not None else None
    print(f"{'what':50} {'seconds':>8} {'pages/s':>8} {'c/a':>6} {'c/b':>6}")
    print(f"{'(a) pdfplumber extract_text':50} {a:8.2f} {pages / a:8.1f}")
    if b is not None:
        print(f"{'(b) pdftotext':50} {b:8.2f} {pages / b:8.1f}")
    for key in imports:
        t = med(key)
        cb = f"{ratio(key, 'b'):6.2f}" if b else "   n/a"
        print(f"{label(*key):50} {t:8.2f} {pages / t:8.1f} {ratio(key, 'a'):6.2f} {cb}")
    for key in imports:
        print(f"c/a per round, {label(*key)}: " + ", ".join(f"{r[key] / r['a']:.2f}" for r in rounds))
    print(f"CPU seconds (user + system; the machine's load does not count): (a) {med('cpu a'):.2f}")
    for key in imports:
        cpu = ("cpu", *key)
        print(f"  {label(*key)}: {med(cpu):.2f}, c/a {ratio(cpu, 'cpu a'):.2f} (per round: "
              + ", ".join(f"{r[cpu] / r['cpu a']:.2f}" for r in rounds) + ")")
    if len(args.jobs) > 1:
        for reader in args.readers or [None]:
            print(f"speed-up of --jobs {args.jobs[-1]} over --jobs {args.jobs[0]}" + (f" [{reader}]" if reader else "")
                  + f": {ratio((args.jobs[0], reader), (args.jobs[-1], reader)):.2f}x")
    print(f"peak RSS of (c): {max(r['rss'] for r in rounds):.0f} MB")


if __name__ == "__main__":
    main()
