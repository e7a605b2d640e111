"""Seconds per page of OCR at the settings archive uses (archive.ocr), on one core, and the
speed-up of N processes.

Usage:
  python -m scripts.bench.bench_ocr [PDF...] [--jobs 2] [--repeat 1]

Defaults to the scanned dev corpus and the real scan in ../shared. No cache is used: every page
is rendered and recognised. Prints a small table (Markdown), with the CPU seconds of the serial run
(`time.process_time`: on a shared machine the wall time also counts the waits for a core)."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from scripts.common import SHARED

from archive.ingest import ocr, ocrglyphs
from archive.ingest.pdf import inspect

DEFAULT = sorted((SHARED / "corpus" / "dev" / "scanned").glob("*.pdf")) + [SHARED / "real" / "SCAN_amac_disciplinary_decision.pdf"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--jobs", type=int, default=2, help="processes for the parallel run (0: skip it)")
    ap.add_argument("--repeat", type=int, default=1, help="times each page is recognised in the serial run")
    args = ap.parse_args()
    files = [p for p in (args.pdfs or DEFAULT) if p.is_file()]
    if not files:
        sys.exit("no PDFs found")
    reason = ocr.available()
    if reason:
        sys.exit(f"OCR not available: {reason}")
    docs = [(f, f.read_bytes()) for f in files]
    pages = [(f, data, i) for f, data in docs for i in range(inspect(data))]

    t0 = time.perf_counter()
    ocr.warm()  # load the models once, outside the timings
    load = time.perf_counter() - t0

    print(f"settings: {ocr.SETTINGS}; onnxruntime threads 1; {os.cpu_count()} cores here; model load {load:.2f} s")
    print()
    print("| file | page | render s | OCR s | total s | CPU s | lines | chars | mean confidence |")
    print("|---|---|---|---|---|---|---|---|---|")
    totals, cpu = [], []
    for f, data, i in pages:
        for _ in range(args.repeat):
            c0, t0 = time.process_time(), time.perf_counter()
            image, scale = ocr.render(data, i)
            t1 = time.perf_counter()
            reading = ocr.recognise(image, scale)
            t2 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            chars = ocrglyphs.to_chars(reading["lines"])
            totals.append(t2 - t0)
        conf = statistics.mean(c.confidence for c in chars) if chars else 0.0
        print(f"| {f.name} | {i + 1} | {t1 - t0:.2f} | {t2 - t1:.2f} | {t2 - t0:.2f} | {cpu[-1]:.2f} | {len(reading['lines'])} | {len(chars)} | {conf:.3f} |")
    serial = statistics.mean(totals)
    print()
    print(f"one process, one thread: {serial:.2f} s/page (median {statistics.median(totals):.2f}, "
          f"max {max(totals):.2f}) over {len(totals)} pages; CPU {statistics.mean(cpu):.2f} s/page")
    if args.jobs > 1:
        with ocr.OcrPool(args.jobs) as pool:  # one pool for the batch, as an import would use it
            list(pool.map(ocr.warm, range(args.jobs)))  # start the workers and load their models
            t0 = time.perf_counter()
            n = 0
            for f, data in docs:
                n += len(ocr.ocr_pages(data, range(inspect(data)), pool=pool))
            wall = time.perf_counter() - t0
        print(f"{args.jobs} processes: {wall / n:.2f} s/page wall over {n} pages (workers started and warm); "
              f"speed-up {serial / (wall / n):.2f}x")


if __name__ == "__main__":
    main()
