#!/usr/bin/env python3
"""Turn born-digital issue PDFs (+ truth) into phone photos of their printed pages, one photo per
PDF page, as staff put them into a PDF: image-only PDFs, truth carried over.

Usage:
  .venv/bin/python scripts/degrade_photos.py IN... OUT_DIR --seed S [--long-side 2000 3000] [--turn-every K]
  .venv/bin/python scripts/degrade_photos.py fixtures [OUT_DIR]   (default: tests/fixtures/photos/)

IN is a folder of <id>.pdf + <id>.truth.json (as ../shared/corpus/make_corpus.py writes them) or
one such PDF. Every page is printed (rendered with pypdfium2 onto paper: white or cream, ink never
quite black, the back page faintly showing through — degrade_scans.py's paper), laid on a desk and
photographed:

  background  wood (planks, grain), a laminate or painted desk, cloth (a weave, folds), stone
              (speckled): all darker than the paper, the page casting a soft shadow on it
  perspective the page a quadrilateral whose four corners lie 3-8 % of the frame's width and height
              in from the frame's corners (each drawn on its own: the page skewed, foreshortened);
              the frame's aspect is the page's times 0.95-1.08 (the photo is not cropped exactly)
  lighting    a colour cast (warm or cool), a gradient from a random side, a vignette, and often a
              soft-edged shadow (a hand, a phone) lying over part of the page
  optics      slight Gaussian blur, sensor noise, JPEG quality 62-78 in colour
  size        the long side 2000-3000 px (--long-side)
  in the PDF  "image": the page is the photo at 72, 96 or 150 px per inch; "a4": the photo fitted
              on an A4 page with white margins, as a word processor inserts a picture
  turned      --turn-every K: every K-th page of the set is photographed with the phone held sideways
              (the photo is landscape, the page in it turned 90 or 270 degrees)

Everything is drawn from --seed, per page: the same seed and inputs give the same bytes.

Truth: <id>.truth.json as given, plus "scanned": true, "degrade": {seed, profile "photo", source},
and "photo": one entry per page, e.g. {"page": 1, "size": [1790, 2480], "corners": [[x, y] x4,
top-left, top-right, bottom-right, bottom-left, in px], "insets": [...] (each corner's inset in %
of the frame's width, height), "background": "wood", "light": ..., "shadow": ..., "blur_px": 0.8,
"jpeg_quality": 70, "pdf_page": "image", "turned": 0}. Page spans do not change.

fixtures: a small committed set for tests (tests/fixtures/photos/, < 200 KB): one two-column dev
issue photographed at a 1400 px long side, its first page well askew.

Needs: pypdfium2, Pillow, numpy, opencv-python-headless (as degrade_scans.py, whose paper, JPEG and
PDF-writing pieces this reuses).
"""
from __future__ import annotations

import argparse
import copy
import glob
import json
import math
import os
import random
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from degrade_scans import (DEV, REPO, degrade, inputs, jpeg, lighting_field, page_count,  # noqa: E402
                           render_pages, truth_of, write_image_pdf)

INSET = (0.03, 0.08)  # each corner lies this share of the frame's side in from the frame's corner
FRAME_ASPECT = (0.95, 1.08)  # the frame's aspect over the page's
LONG_SIDE = (2000, 3000)
QUALITY = (62, 78)
BLUR = (0.5, 1.3)
NOISE = (2.0, 5.5)
SUPERSAMPLE = 1.25  # the page is rendered this much larger than it appears, then warped down
A4_PT = (595.276, 841.89)
PHONES = ["iPhone 13", "HUAWEI P40", "Xiaomi 12", "OPPO Reno8", "vivo X80", "HONOR 70"]


# --- backgrounds -----------------------------------------------------------------------------------

def smooth_noise(rng: np.random.Generator, h: int, w: int, cells: tuple[int, int]) -> np.ndarray:
    """Low-frequency noise in [-1, 1]: a coarse random grid resized smoothly."""
    grid = rng.uniform(-1, 1, cells).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)


def wood(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = np.array(rng.choice([(92, 58, 36), (128, 86, 52), (150, 108, 66), (70, 44, 30), (160, 122, 80)]),
                    np.float32)
    along_x = rng.random() < 0.5
    n, m = (h, w) if along_x else (w, h)  # grain runs along the long axis of the planks
    warp = smooth_noise(rng, n, m, (6, 40)) * rng.uniform(8, 25)
    y = np.arange(n, dtype=np.float32)[:, None] + warp
    freq = rng.uniform(0.05, 0.12)
    grain = 0.5 + 0.5 * np.sin(y * freq + 3 * smooth_noise(rng, n, m, (3, 12)))
    fine = smooth_noise(rng, n, m, (max(2, n // 3), max(2, m // 40)))
    tone = 1.0 - 0.18 * grain ** 3 - 0.05 * fine
    plank = int(n / rng.uniform(1.5, 4.0))
    for k in range(0, n, plank):  # planks of slightly different tone, dark seams between them
        tone[k:k + plank] *= rng.uniform(0.9, 1.1)
        tone[max(0, k - 2):k + 2] *= 0.55
    tone = tone if along_x else tone.T
    return np.clip(tone[:, :, None] * base, 0, 255)


def desk(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = np.array(rng.choice([(60, 62, 66), (40, 40, 42), (120, 118, 112), (150, 146, 138), (96, 104, 96),
                                (130, 120, 100)]), np.float32)
    tone = 1.0 + 0.04 * smooth_noise(rng, h, w, (8, 8)) + rng.normal(0, 0.02, (h, w)).astype(np.float32)
    return np.clip(tone[:, :, None] * base, 0, 255)


def cloth(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = np.array(rng.choice([(40, 60, 110), (40, 90, 60), (120, 40, 40), (80, 80, 85), (110, 95, 70)]),
                    np.float32)
    period = rng.uniform(3.0, 6.0)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    weave = np.sin(xx * 2 * math.pi / period) * np.sin(yy * 2 * math.pi / period)
    folds = smooth_noise(rng, h, w, (4, 4))
    tone = 1.0 + 0.08 * weave + 0.15 * folds
    return np.clip(tone[:, :, None] * base, 0, 255)


def stone(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = np.array(rng.choice([(70, 70, 72), (110, 104, 98), (50, 48, 50)]), np.float32)
    speck = rng.normal(0, 1, (h // 3 + 1, w // 3 + 1)).astype(np.float32)
    speck = cv2.resize(speck, (w, h), interpolation=cv2.INTER_NEAREST)
    tone = 1.0 + 0.12 * np.clip(speck, -2, 2) + 0.05 * smooth_noise(rng, h, w, (6, 6))
    return np.clip(tone[:, :, None] * base, 0, 255)


BACKGROUNDS = {"wood": wood, "desk": desk, "cloth": cloth, "stone": stone}


# --- the photo -------------------------------------------------------------------------------------

def photo_params(rng: random.Random, page_pt: tuple[float, float], long_side: tuple[int, int], turned: int) -> dict:
    """What one photo gets: its frame, corners, background, light and optics."""
    pw, ph = page_pt
    aspect = (pw / ph) * rng.uniform(*FRAME_ASPECT)  # frame width over height, page upright
    long_px = rng.randint(*long_side)
    if aspect <= 1:
        fw, fh = round(long_px * aspect), long_px
    else:
        fw, fh = long_px, round(long_px / aspect)
    insets = [[round(rng.uniform(*INSET), 4), round(rng.uniform(*INSET), 4)] for _ in range(4)]
    signs = [(1, 1), (-1, 1), (-1, -1), (1, -1)]  # top-left, top-right, bottom-right, bottom-left
    base = [(0, 0), (fw, 0), (fw, fh), (0, fh)]
    corners = [[round(bx + sx * ix * fw, 1), round(by + sy * iy * fh, 1)]
               for (bx, by), (sx, sy), (ix, iy) in zip(base, signs, insets)]
    par = {
        "size": [fw, fh], "corners": corners, "insets": [[round(100 * a, 1), round(100 * b, 1)] for a, b in insets],
        "background": rng.choice(sorted(BACKGROUNDS)),
        "paper": rng.choice(["white", "white", "grey", "yellow"]),
        "cast": rng.choice([(1.0, 0.97, 0.9), (1.0, 1.0, 1.0), (0.93, 0.97, 1.0), (1.0, 0.95, 0.86)]),
        "gradient": round(rng.uniform(0.08, 0.3), 3),
        "vignette": round(rng.uniform(0.08, 0.3), 3),
        "shadow": None,
        "blur_px": round(rng.uniform(*BLUR), 2),
        "noise_sigma": round(rng.uniform(*NOISE), 1),
        "jpeg_quality": rng.randint(*QUALITY),
        "pdf_page": rng.choice(["image", "image", "a4"]),
        "ppi": rng.choice([72, 96, 150]),
        "turned": turned,
    }
    if rng.random() < 0.6:
        par["shadow"] = {"side": rng.choice(["left", "right", "top", "bottom"]),
                         "reach": round(rng.uniform(0.1, 0.45), 3), "depth": round(rng.uniform(0.15, 0.4), 3),
                         "softness": round(rng.uniform(0.01, 0.04), 3)}
    return par


def print_page(pdf: str, index: int, n_pages: int, dpi: float, par: dict, nrng: np.random.Generator) -> np.ndarray:
    """The printed sheet (RGB 0-255 float32) as a flat scan of it would show it: paper colour, ink
    floor, the back page faintly through (degrade_scans' degrade(), without the scanner's optics)."""
    front = render_pages(pdf, int(round(dpi)), index, False)
    sheet = {"show_through": None, "ink_floor": nrng.uniform(0.02, 0.12), "paper": par["paper"], "dpi": int(dpi),
             "skew_deg": 0, "lighting": 0.0, "shadow": None, "blur_px": 0, "speckle_per_mpx": 3.0, "noise_sigma": 0.0}
    back = None
    if n_pages > 1 and nrng.random() < 0.4:
        other = index ^ 1 if (index ^ 1) < n_pages else index - 1
        sheet["show_through"] = {"from_page": other + 1, "alpha": float(nrng.uniform(0.02, 0.06))}
        back = render_pages(pdf, int(round(dpi)), other, True)
    return degrade(front, back, sheet, nrng).astype(np.float32)


def shadow_mask(h: int, w: int, sh: dict, nrng: np.random.Generator) -> np.ndarray:
    """A soft-edged shadow reaching in from one side, its edge wavy: 1 in the shadow, 0 outside."""
    horizontal = sh["side"] in ("left", "right")
    n, m = (w, h) if horizontal else (h, w)
    edge = sh["reach"] * n + smooth_noise(nrng, 1, m, (1, 5))[0] * 0.08 * n  # where the shadow ends, along the side
    pos = np.arange(n, dtype=np.float32)[:, None]
    if sh["side"] in ("right", "bottom"):
        pos = (n - 1) - pos
    mask = (pos < edge[None, :]).astype(np.float32)
    mask = mask.T if horizontal else mask
    return cv2.GaussianBlur(mask, (0, 0), max(1.0, sh["softness"] * max(h, w)))


def light_field(h: int, w: int, par: dict, nrng: np.random.Generator) -> np.ndarray:
    """The light over the frame: a gradient and fall-off (degrade_scans' lighting_field), a vignette
    and the shadow, as a multiplier."""
    field = lighting_field(nrng, h, w, par["gradient"])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    field *= 1.0 - par["vignette"] * r2 / 2
    if par["shadow"]:
        field *= 1.0 - par["shadow"]["depth"] * shadow_mask(h, w, par["shadow"], nrng)
    return field


def photograph(pdf: str, index: int, n_pages: int, page_pt: tuple[float, float], par: dict,
               nrng: np.random.Generator) -> np.ndarray:
    """The photo of one page (uint8 RGB), upright or turned as par["turned"] says."""
    fw, fh = par["size"]
    quad = np.float32(par["corners"])
    page_px = max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))  # the page's height in the photo
    dpi = SUPERSAMPLE * page_px / (page_pt[1] / 72)
    sheet = print_page(pdf, index, n_pages, dpi, par, nrng)
    sh, sw = sheet.shape[:2]
    homography = cv2.getPerspectiveTransform(np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]]), quad)
    warped = cv2.warpPerspective(sheet, homography, (fw, fh), flags=cv2.INTER_AREA, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones((sh, sw), np.float32), homography, (fw, fh), flags=cv2.INTER_LINEAR)
    ground = BACKGROUNDS[par["background"]](nrng, fh, fw)
    # the page lifts off the desk a little: a soft shadow beside it
    drop = cv2.GaussianBlur(np.roll(mask, (int(nrng.integers(2, 9)), int(nrng.integers(-6, 7))), (0, 1)), (0, 0), 6)
    ground = ground * (1.0 - 0.35 * drop)[:, :, None]
    img = warped * mask[:, :, None] + ground * (1.0 - mask[:, :, None])
    img *= light_field(fh, fw, par, nrng)[:, :, None] * np.float32(par["cast"])
    img = cv2.GaussianBlur(img, (0, 0), par["blur_px"])
    img += nrng.normal(0, par["noise_sigma"], img.shape).astype(np.float32)
    img = np.clip(img + 0.5, 0, 255).astype(np.uint8)
    if par["turned"]:
        img = np.ascontiguousarray(np.rot90(img, -(par["turned"] // 90)))
    return img


def pdf_page(img: np.ndarray, par: dict) -> dict:
    """How the photo sits in the PDF: the page is the photo at its ppi, or an A4 page (portrait or
    landscape as the photo) with the photo fitted inside 15 mm margins."""
    h, w = img.shape[:2]
    data = jpeg(img, par["jpeg_quality"], par["ppi"])
    page = {"jpeg": data, "width": w, "height": h, "grey": False, "dpi": par["ppi"], "rotate": 0}
    if par["pdf_page"] == "a4":
        pw, ph = A4_PT if h >= w else A4_PT[::-1]
        margin = 15 * 72 / 25.4
        k = min((pw - 2 * margin) / w, (ph - 2 * margin) / h)
        page["page_pt"] = (pw, ph)
        page["place"] = ((pw - w * k) / 2, (ph - h * k) / 2, w * k, h * k)
    return page


def page_size_pt(pdf: str, index: int) -> tuple[float, float]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    try:
        return tuple(doc[index].get_size())
    finally:
        doc.close()


def photograph_document(pdf: str, out_pdf: str, seed: int, key: str, long_side: tuple[int, int],
                        turns: list[int], corners: list | None = None) -> list[dict]:
    """corners: per page, None or the page's corners as shares of the frame (instead of drawn ones)."""
    n = page_count(pdf)
    pages, records = [], []
    for i in range(n):
        rng = random.Random(f"{seed}:photo:{key}:{i + 1}")
        page_pt = page_size_pt(pdf, i)
        par = photo_params(rng, page_pt, long_side, turns[i])
        if corners and i < len(corners) and corners[i]:
            fw, fh = par["size"]
            par["corners"] = [[round(x * fw, 1), round(y * fh, 1)] for x, y in corners[i]]
            par["insets"] = None
        nrng = np.random.default_rng(rng.getrandbits(64))
        img = photograph(pdf, i, n, page_pt, par, nrng)
        pg = pdf_page(img, par)
        pages.append(pg)
        rec = {"page": i + 1, **par, "jpeg_bytes": len(pg["jpeg"])}
        records.append(rec)
    phone = random.Random(f"{seed}:{key}:phone").choice(PHONES)
    write_image_pdf(out_pdf, pages, creator=phone)
    return records


def photograph_set(paths: list[str], out_dir: str, seed: int, long_side: tuple[int, int] = LONG_SIDE,
                   turn_every: float = 0, corners: dict | None = None) -> list[str]:
    os.makedirs(out_dir, exist_ok=True)
    written, at, j = [], 0, 0
    for f in inputs(paths):
        with open(truth_of(f), encoding="utf-8") as fh:
            truth = json.load(fh)
        iid = truth.get("id") or Path(f).stem
        turns = []
        for _ in range(page_count(f)):
            turn = turn_every and math.floor((at + 1) / turn_every) > math.floor(at / turn_every)
            turns.append((90, 270)[j % 2] if turn else 0)
            j += bool(turn)
            at += 1
        out_pdf = os.path.join(out_dir, f"{iid}.pdf")
        records = photograph_document(f, out_pdf, seed, iid, long_side, turns, (corners or {}).get(iid))
        truth = copy.deepcopy(truth)
        truth["scanned"] = True
        truth["degrade"] = {"seed": seed, "profile": "photo", "source": os.path.relpath(f, REPO)}
        truth["photo"] = records
        with open(os.path.join(out_dir, f"{iid}.truth.json"), "w", encoding="utf-8") as fh:
            json.dump(truth, fh, ensure_ascii=False, indent=1)
        written.append(out_pdf)
        print(f"{out_pdf}: " + ", ".join(
            f"p{r['page']} {r['size'][0]}x{r['size'][1]} {r['background']} q{r['jpeg_quality']} {r['pdf_page']}"
            + (f" turned{r['turned']}" if r["turned"] else "") + (" shadow" if r["shadow"] else "")
            for r in records), flush=True)
    return written


ASKEW = [[0.02, 0.10], [0.98, 0.02], [0.90, 0.98], [0.10, 0.90]]  # a page photographed well askew (~6 degrees)


def make_fixtures(out_dir: str) -> None:
    """The test fixture: a two-column dev issue photographed at a 1400 px long side, its first page
    well askew (its corners 2-10 % in: unstraightened, the two columns' lines run into each other)."""
    os.makedirs(out_dir, exist_ok=True)
    for f in glob.glob(os.path.join(out_dir, "*.pdf")) + glob.glob(os.path.join(out_dir, "*.truth.json")):
        os.remove(f)
    photograph_set([str(DEV / "two-column" / "2018-002.pdf")], out_dir, seed=31, long_side=(1400, 1400),
                   corners={"2018-002": [ASKEW, None]})
    total = sum(os.path.getsize(f) for f in glob.glob(os.path.join(out_dir, "*")))
    print(f"{out_dir}: {total / 1e3:.0f} KB")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "fixtures":
        make_fixtures(argv[1] if len(argv) > 1 else str(REPO / "tests" / "fixtures" / "photos"))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", metavar="IN", help="folders of <id>.pdf + <id>.truth.json, or such PDFs")
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--long-side", type=int, nargs=2, default=list(LONG_SIDE), metavar=("MIN", "MAX"))
    ap.add_argument("--turn-every", type=float, default=0, metavar="K",
                    help="photograph every K-th page of the set with the phone held sideways")
    a = ap.parse_args(argv)
    photograph_set(a.inputs, a.out_dir, a.seed, tuple(a.long_side), a.turn_every)


if __name__ == "__main__":
    main()
