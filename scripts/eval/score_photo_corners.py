"""How well and how fast the page's corners are found in phone photos (scripts/fixtures/degrade_photos.py
sets), and that flat pages are left alone.

    .venv/bin/python -m scripts.eval.score_photo_corners out/photos/dev out/photos/own [--flat out/scans/office ...]

Each page is rendered as OCR renders it (ingest/ocr.render), its corners looked for
(ingest/photo.find_page) and compared with the corners the photo was made with (the truth's
"photo" entries, mapped into the rendered page): the largest corner error in % of the page's
diagonal. Then the whole correction (ingest/photo.straighten: corners, perspective, lighting) is
timed on one core: its CPU time (what it costs, whatever else the machine runs) and wall time. --flat: folders of pages that are not photos (scans, born-digital pages):
every page must come out None."""
from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from pathlib import Path

from archive.ingest import ocr, photo


def page_size(data: bytes, index: int) -> tuple[float, float]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(data)
    try:
        return tuple(doc[index].get_size())
    finally:
        doc.close()


def truth_corners(rec: dict, page_pt: tuple[float, float], scale: float) -> list[tuple[float, float]]:
    """The corners the photo was made with, in the rendered page's pixels."""
    fw, fh = rec["size"]
    corners = [tuple(c) for c in rec["corners"]]
    if rec.get("turned") == 90:  # the photo was turned clockwise after it was taken
        corners, fw, fh = [(fh - y, x) for x, y in corners], fh, fw
    elif rec.get("turned") == 270:
        corners, fw, fh = [(y, fw - x) for x, y in corners], fh, fw
    pw, ph = page_pt
    if rec["pdf_page"] == "a4":
        margin = 15 * 72 / 25.4
        k = min((pw - 2 * margin) / fw, (ph - 2 * margin) / fh)
        x0, y0 = (pw - fw * k) / 2, (ph - fh * k) / 2
    else:
        k, x0, y0 = pw / fw, 0.0, 0.0
    return [((x0 + x * k) * scale, (y0 + y * k) * scale) for x, y in corners]


def corner_error(found, truth) -> float:
    """The largest distance from a true corner to the nearest found one, px."""
    return max(min(math.dist(t, f) for f in found) for t in truth)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--flat", nargs="*", type=Path, default=[])
    args = ap.parse_args()
    import cv2
    cv2.setNumThreads(1)
    errors, times, cpu, missed = [], [], [], []
    for folder in args.folders:
        for pdf in sorted(folder.glob("*.pdf")):
            data = pdf.read_bytes()
            truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
            for rec in truth["photo"]:
                image, scale = ocr.render(data, rec["page"] - 1)
                t0, c0 = time.perf_counter(), time.process_time()
                out = photo.straighten(image, scale)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                found = photo.find_page(image)
                if found is None or out[2] is None:
                    missed.append(f"{pdf.name} p{rec['page']}")
                    continue
                want = truth_corners(rec, page_size(data, rec["page"] - 1), scale)
                diagonal = math.dist(want[0], want[2])
                errors.append(100 * corner_error(found, want) / diagonal)
    flat_pages, flat_found = 0, []
    for folder in args.flat:
        for pdf in sorted(folder.rglob("*.pdf")):
            data = pdf.read_bytes()
            import pypdfium2 as pdfium
            n = len(pdfium.PdfDocument(data))
            for i in range(n):
                image, _ = ocr.render(data, i)
                flat_pages += 1
                if photo.find_page(image) is not None:
                    flat_found.append(f"{pdf} p{i + 1}")
    print("| photo pages | corners found | corner error (% of diagonal) median / max "
          "| correction CPU time median / max | wall time median / max |")
    print("|---|---|---|---|---|")
    print(f"| {len(times)} | {len(errors)} | {statistics.median(errors):.2f} / {max(errors):.2f} | "
          f"{1000 * statistics.median(cpu):.0f} / {1000 * max(cpu):.0f} ms | "
          f"{1000 * statistics.median(times):.0f} / {1000 * max(times):.0f} ms |" if errors else "| no photos |")
    if missed:
        print("not found:", ", ".join(missed))
    if args.flat:
        print(f"\nflat pages: {flat_pages}, taken for photos: {len(flat_found)} {' '.join(flat_found)}")


if __name__ == "__main__":
    main()
