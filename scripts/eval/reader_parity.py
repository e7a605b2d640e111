"""Do the two stage-1 readers give the same records? Every PDF under the folders is parsed with the
pdfminer reader (pdfplumber, the reference) and with PDFium's, and the records are compared
(archive.ingest.parity: issue fields, review flags, page methods, sections, items' text, page
spans, kinds, headings, sources, authors, units).

Usage:
  python -m scripts.eval.reader_parity DIR_OR_PDF [...] [--ocr-cache DIR] [--verbose]

Pages OCR reads are read from --ocr-cache (default: archive-ocr-cache-parity in the temp folder;
the first run fills it, for both readers).
Prints one line per file that differs (with its differences under --verbose) and a summary; exits 1
when any file differs."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def pdfs(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        out += [p] if p.suffix.lower() == ".pdf" else sorted(p.rglob("*.pdf"))
    return out


def main() -> None:
    from archive.ingest.parity import compare_file
    from archive.ingest.units import Registry
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--ocr-cache", type=Path, default=Path(tempfile.gettempdir()) / "archive-ocr-cache-parity")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    args.ocr_cache.mkdir(parents=True, exist_ok=True)
    registry = Registry.load()
    files = pdfs(args.paths)
    differing = 0
    t0 = time.perf_counter()
    for path in files:
        diffs = compare_file(path, registry, args.ocr_cache)
        if diffs:
            differing += 1
            print(f"DIFFERS {path}: {len(diffs)} difference(s)")
            for line in diffs if args.verbose else diffs[:3]:
                print(f"    {line}")
    print(f"{len(files)} PDFs compared in {time.perf_counter() - t0:.0f} s: {len(files) - differing} the same, "
          f"{differing} differ")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
