#!/usr/bin/env python3
"""Turn born-digital issue PDFs (+ truth) into realistic office scans: image-only PDFs, truth carried over.

Usage:
  degrade_scans.py IN... OUT_DIR --seed S [--profile mild|office|harsh] [--rotate-every K] [--cancel-every M]
                   [--dpi D] [--skew MIN MAX]
  degrade_scans.py book OUT_DIR [--seed S] [--pages N] [--dpi D] [--digital-dir DIR]
  degrade_scans.py fixtures [OUT_DIR]          (default: tests/fixtures/scans/ of this repository)

IN is a folder of <id>.pdf + <id>.truth.json (as ../shared/corpus/make_corpus.py writes them) or
one such PDF. Every page is rendered (pypdfium2), degraded as a scanner would, and stored as one
JPEG image (a DCTDecode stream) per page of a new PDF with no text layer. Everything is drawn from
--seed, per page: the same seed and inputs give the same bytes.

What a page may get (the profile sets how much of each; the truth records what was done):
  resolution   150, 200, 240 or 300 dpi (the JPEG's pixels; the page keeps its size in points)
  skew         the sheet lies askew on the glass: up to +-5 deg (positive: counter-clockwise),
               the corners show the scanner lid, the sheet's edge a faint line
  paper        white, grey or yellowed (tinted background, ink lifted to grey: lower contrast)
  show-through the back page, mirrored and blurred, very light (the other page of the same leaf)
  lighting     uneven (a smooth fall-off from a random centre, a tilt)
  shadow       a dark scanner edge / binding shadow band at one side
  optics       Gaussian blur; sensor noise; speckle (dust, ink dropouts)
  JPEG         quality 20-80, grey or colour
  rotation     "content": the image itself is stored sideways / upside down (a sideways page is a
               landscape page: its MediaBox is wider than tall); "pdf": the image is upright and the
               page carries /Rotate; "both": the image is rotated and /Rotate undoes it, so the page
               shows upright. rotate is always what a viewer shows: the clockwise angle by which the
               displayed page is turned (= image_rotate + pdf_rotate, mod 360).

Rotation is not random: --rotate-every K turns page g of the set (0-based, over all input pages
in order) when floor((g+1)/K) > floor(g/K); K may be fractional (K=2: every second page; K=1.5:
two pages in three). The j-th rotated page is turned by 90, 180, 270 in turn, its "how" alternates
every three (content, pdf). --cancel-every M does the same over the upright pages, storing them as
"both" (rotated image + cancelling /Rotate).

Truth: <id>.truth.json as given, plus "scanned": true, "degrade": {seed, profile, source}, and
"scan": one entry per physical page, e.g.
  {"page": 1, "dpi": 200, "rotate": 90, "rotate_how": "content", "image_rotate": 90, "pdf_rotate": 0,
   "skew_deg": -3.1, "jpeg_quality": 35, "paper": "yellow", "colour": "grey", "blur_px": 0.7, ...}
Page spans (page_start/page_end) are physical pages: they do not change.

book: a synthetic scan of an old printed book (a factory history, 大32开 140x203 mm): a Song
(Ming) serif for the text (AR PL UMing: Debian fonts-arphic-uming; a Hei face for headings),
justified lines on a character grid with full-width punctuation and the usual line-breaking rules
(no closing mark at a line start, no opening mark at a line end: squeezed or pushed), a 2-character
indent at each paragraph, a chapter opening page with its title and no running header, a running
header (book title on even, chapter title on odd printed pages) with a rule under it, printed page
numbers (·37· …) that do not start at 1, footnotes per page in smaller type under a short rule
(markers ①② in the text, numbered afresh on each page), paragraphs running on across page breaks.
Letterpress: every character's ink and position jitter slightly. The pages are then scanned with the
"book" profile (yellowed paper, show-through of the other side of the leaf, the binding shadow on
the gutter side, slight skew).
Its truth has the same format: id "doc-<sha256[:12]>" of the scanned PDF (what the archive calls a
document without the bulletin's masthead), the metadata fields null, one section whose title is the
chapter title, items = paragraphs in reading order, each with the heading (节) it stands under and its
physical page span (a footnote: the heading in force where it is placed). Footnotes are paragraph items too (no "kind"; "footnote": true, which score.py
ignores), placed after the body text of their page: after every paragraph that starts on that page,
so after a paragraph that runs on to the next page, and before the first one that starts there.
A footnote's text starts with its marker (①…); the paragraph's text keeps the marker where it is printed.

fixtures: a small committed set for tests (150 dpi, < 3 MB): 2016-006 (single column: page 1
upright and skewed, page 2 stored sideways), 2018-002 (two columns: page 1 rotated and cancelled by
/Rotate, page 2 upside down by /Rotate) and a 3-page book scan.

Needs: pypdfium2, Pillow, numpy, opencv-python-headless, reportlab (the book), a CJK font.
"""
from __future__ import annotations

import argparse
import copy
import glob
import hashlib
import io
import json
import math
import os
import random
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "corpus" / "dev"
ANGLES = (90, 180, 270)

PROFILES = {
    "mild": dict(dpi=(200, 240, 300), skew=1.0, quality=(60, 80), blur=(0.2, 0.6), noise=(1.0, 3.0),
                 speckle=4, paper={"white": 0.8, "grey": 0.2}, ink=(0.0, 0.08), light=(0.0, 0.05),
                 show=(0.0, (0.02, 0.04)), shadow=0.0, colour=0.5),
    "office": dict(dpi=(150, 200, 240, 300), skew=5.0, quality=(25, 75), blur=(0.3, 1.0), noise=(2.0, 6.0),
                   speckle=15, paper={"white": 0.4, "grey": 0.3, "yellow": 0.3}, ink=(0.04, 0.22),
                   light=(0.03, 0.15), show=(0.5, (0.03, 0.09)), shadow=0.3, colour=0.6),
    "harsh": dict(dpi=(150, 200), skew=5.0, quality=(20, 40), blur=(0.6, 1.3), noise=(5.0, 10.0),
                  speckle=50, paper={"grey": 0.5, "yellow": 0.5}, ink=(0.12, 0.32), light=(0.1, 0.25),
                  show=(0.8, (0.05, 0.13)), shadow=0.6, colour=0.5),
    "book": dict(dpi=(300,), skew=1.5, quality=(45, 75), blur=(0.3, 0.8), noise=(2.0, 5.0), speckle=12,
                 paper={"yellow": 1.0}, ink=(0.06, 0.18), light=(0.03, 0.12), show=(1.0, (0.05, 0.11)),
                 shadow=1.0, colour=1.0),
}
PAPER = {"white": (250, 250, 247), "grey": (222, 222, 218), "yellow": (236, 224, 188)}
LID = (243, 243, 240)  # what the scanner sees where the sheet is not


# --- plan: what each page gets ------------------------------------------------------------------

def every(g: int, k: float) -> bool:
    """Page g (0-based) is one of 'every k-th': floor((g+1)/k) > floor(g/k)."""
    return bool(k) and math.floor((g + 1) / k) > math.floor(g / k)


def rotation_plan(n_pages: int, rotate_every: float, cancel_every: float) -> list[tuple[str, int, int]]:
    """(how, image_rotate, pdf_rotate) for each page of the set, in order."""
    plan, j, upright, c = [], 0, 0, 0
    for g in range(n_pages):
        if every(g, rotate_every):
            angle, how = ANGLES[j % 3], ("content", "pdf")[(j // 3) % 2]
            plan.append((how, angle, 0) if how == "content" else (how, 0, angle))
            j += 1
            continue
        if every(upright, cancel_every):
            angle = ANGLES[c % 3]
            plan.append(("both", angle, (360 - angle) % 360))
            c += 1
        else:
            plan.append(("none", 0, 0))
        upright += 1
    return plan


def page_params(rng: random.Random, profile: str, n_pages: int, index: int) -> dict:
    p = PROFILES[profile]
    papers, weights = zip(*p["paper"].items())
    show_p, show_alpha = p["show"]
    colour = rng.random() < p["colour"]
    params = {
        "dpi": rng.choice(p["dpi"]),
        "skew_deg": round(rng.uniform(-p["skew"], p["skew"]), 1),
        "jpeg_quality": rng.randint(*p["quality"]),
        "paper": rng.choices(papers, weights)[0],
        "colour": "colour" if colour else "grey",
        "ink_floor": round(rng.uniform(*p["ink"]), 3),
        "blur_px": round(rng.uniform(*p["blur"]), 2),
        "noise_sigma": round(rng.uniform(*p["noise"]), 1),
        "speckle_per_mpx": round(p["speckle"] * rng.uniform(0.5, 1.5), 1),
        "lighting": round(rng.uniform(*p["light"]), 3),
        "show_through": None,
        "shadow": None,
    }
    if n_pages > 1 and rng.random() < show_p:
        back = index ^ 1 if (index ^ 1) < n_pages else index - 1  # the other side of the leaf
        params["show_through"] = {"from_page": back + 1, "alpha": round(rng.uniform(*show_alpha), 3)}
    if rng.random() < p["shadow"]:
        params["shadow"] = {"side": rng.choice(["left", "right", "top", "bottom"]),
                            "width": round(rng.uniform(0.01, 0.04), 3), "depth": round(rng.uniform(0.5, 0.85), 2)}
    return params


# --- the scanner ----------------------------------------------------------------------------------

def render_pages(pdf_path: str, dpi: int, index: int, grey: bool) -> np.ndarray:
    """Page `index` (0-based) at `dpi` as float32 reflectance in [0, 1] (H x W x 3, or H x W)."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        page = pdf[index]
        img = page.render(scale=dpi / 72).to_pil()
        page.close()
    finally:
        pdf.close()
    img = img.convert("L" if grey else "RGB")
    return np.asarray(img, dtype=np.float32) / 255.0


def lighting_field(rng: np.random.Generator, h: int, w: int, strength: float) -> np.ndarray:
    """A smooth multiplier field: radial fall-off from a random centre plus a tilt."""
    gy, gx = np.mgrid[0:64, 0:64].astype(np.float32) / 63.0
    cx, cy = rng.uniform(0.2, 0.8, size=2)
    radial = ((gx - cx) ** 2 + (gy - cy) ** 2) / 0.5
    ang = rng.uniform(0, 2 * math.pi)
    tilt = (gx - 0.5) * math.cos(ang) + (gy - 0.5) * math.sin(ang)
    f = 1.0 - strength * (0.7 * radial + 0.3 * (tilt + 0.5))
    return cv2.resize(f.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)


def shadow_field(h: int, w: int, side: str, width: float, depth: float) -> np.ndarray:
    """A dark band fading in from one side (scanner edge, binding shadow): a multiplier."""
    n = w if side in ("left", "right") else h
    band = max(2.0, width * n)
    x = np.arange(n, dtype=np.float32)
    if side in ("right", "bottom"):
        x = x[::-1]
    prof = 1.0 - depth * np.exp(-x / (band / 2.5))
    prof[x < band * 0.15] = 1.0 - min(0.95, depth + 0.1)  # the very edge: nearly black
    return np.tile(prof, (h, 1)) if side in ("left", "right") else np.tile(prof[:, None], (1, w))


def degrade(refl: np.ndarray, back: np.ndarray | None, par: dict, nrng: np.random.Generator) -> np.ndarray:
    """Reflectance of the printed page (+ the back page) → the scanner's 8-bit image, upright."""
    grey = refl.ndim == 2
    h, w = refl.shape[:2]
    r = refl
    st = par.get("show_through")
    if st and back is not None:
        b = back[:, ::-1]  # seen through the sheet: mirrored left-right
        if b.shape[:2] != (h, w):
            b = cv2.resize(b, (w, h), interpolation=cv2.INTER_AREA)
        if b.ndim == 3:
            b = b.mean(axis=2)
        shift = np.float32([[1, 0, nrng.uniform(-8, 8)], [0, 1, nrng.uniform(-8, 8)]])
        b = cv2.warpAffine(b, shift, (w, h), borderValue=1.0)
        b = cv2.GaussianBlur(b, (0, 0), 1.5 + par["dpi"] / 150)
        ink = (1.0 - b) * st["alpha"]
        r = r * (1.0 - (ink[:, :, None] if not grey else ink))
    floor = par["ink_floor"]
    r = floor + (1.0 - floor) * r  # ink never quite black on a scan
    paper = np.array(PAPER[par["paper"]], dtype=np.float32)
    lid = np.array(LID, dtype=np.float32)
    if grey:
        paper = np.float32(paper @ np.array([0.299, 0.587, 0.114], dtype=np.float32))
        lid = np.float32(lid.mean())
    # paper colour, with a slight mottle
    mottle = cv2.resize(nrng.normal(0, 1, (24, 17)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    v = r * paper * (1.0 + 0.012 * (mottle[:, :, None] if not grey else mottle))
    # the sheet askew on the glass: the corners show the lid, the sheet's edge a faint line
    if par["skew_deg"]:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), par["skew_deg"], 1.0)
        v = cv2.warpAffine(v, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                           borderValue=tuple(float(x) for x in np.atleast_1d(lid)) + (0.0,) * (4 - np.atleast_1d(lid).size))
        mask = cv2.warpAffine(np.ones((h, w), np.float32), m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0.0)
        edge = cv2.GaussianBlur(mask, (0, 0), 1.2)
        edge = 1.0 - 0.35 * np.clip(4 * edge * (1 - edge), 0, 1)
        v = v * (edge[:, :, None] if not grey else edge)
        v = np.where((mask[:, :, None] if not grey else mask) < 0.02, lid, v)
    field = lighting_field(nrng, h, w, par["lighting"])
    sh = par.get("shadow")
    if sh:
        field = field * shadow_field(h, w, sh["side"], sh["width"], sh["depth"])
    v = v * (field[:, :, None] if not grey else field)
    if par["blur_px"] > 0:
        v = cv2.GaussianBlur(v, (0, 0), par["blur_px"])
    # speckle: dust and toner specks (dark), ink dropouts (light)
    n = int(par["speckle_per_mpx"] * h * w / 1e6)
    if n:
        ys, xs = nrng.integers(0, h, n), nrng.integers(0, w, n)
        rad = nrng.uniform(0.5, 1.5, n) * par["dpi"] / 200
        dark = nrng.random(n) < 0.75
        spots = np.zeros((h, w), np.float32)
        for y, x, rr, d in zip(ys, xs, rad, dark):
            cv2.circle(spots, (int(x), int(y)), max(1, int(round(rr))), 1.0 if d else -1.0, -1, lineType=cv2.LINE_AA)
        spots = np.clip(spots, -1, 1)
        tone = np.where(spots > 0, 1.0 - 0.75 * spots, 1.0)
        v = v * (tone[:, :, None] if not grey else tone)
        light = np.clip(-spots, 0, 1)
        v = v + (light[:, :, None] if not grey else light) * (np.max(paper) * 0.9 - v) * (v < 120)
    v = v + nrng.normal(0.0, par["noise_sigma"], v.shape).astype(np.float32)
    return np.clip(v + 0.5, 0, 255).astype(np.uint8)


def jpeg(img: np.ndarray, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img, "L" if img.ndim == 2 else "RGB").save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
    return buf.getvalue()


def rotate_cw(img: np.ndarray, angle: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(img, -(angle // 90) % 4)) if angle else img


# --- a minimal, deterministic PDF writer: one JPEG (DCTDecode) per page ---------------------------

def write_image_pdf(path: str, pages: list[dict], title: str = "", creator: str = "Scanner") -> None:
    """pages: {jpeg, width, height (px), grey, dpi, rotate; optionally page_pt (w, h) and place (x, y, w, h):
    the image drawn there on a page of that size}. No dates, no random ids: same input, same bytes."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    add(b"")  # 1: catalog, filled below
    add(b"")  # 2: pages
    kids = []
    for pg in pages:
        wpt, hpt = pg.get("page_pt") or (pg["width"] * 72.0 / pg["dpi"], pg["height"] * 72.0 / pg["dpi"])
        x, y, iw, ih = pg.get("place") or (0.0, 0.0, wpt, hpt)  # where the image sits (default: the whole page)
        cs = b"/DeviceGray" if pg["grey"] else b"/DeviceRGB"
        img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 "
                  b"/Filter /DCTDecode /Length %d >>\nstream\n" % (pg["width"], pg["height"], cs, len(pg["jpeg"]))
                  + pg["jpeg"] + b"\nendstream")
        content = (b"q %.3f 0 0 %.3f %.3f %.3f cm /Im0 Do Q" % (iw, ih, x, y) if pg.get("place")
                   else b"q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q" % (wpt, hpt))
        cobj = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        rot = b" /Rotate %d" % pg["rotate"] if pg["rotate"] else b""
        kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.3f %.3f]%s /Resources << /XObject << /Im0 %d 0 R >> "
                        b"/ProcSet [/PDF /ImageB /ImageC] >> /Contents %d 0 R >>" % (wpt, hpt, rot, img, cobj)))
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))

    def pdf_string(s: str) -> bytes:
        return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"
    info = add(b"<< /Producer (degrade_scans.py) /Creator " + pdf_string(creator)
               + (b" /Title " + pdf_string(title) if title else b"") + b" >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, info, xref))
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(out.getvalue())
    os.replace(tmp, path)


# --- one document ---------------------------------------------------------------------------------

def page_count(pdf_path: str) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def scan_document(pdf_path: str, out_pdf: str, seed: int, profile: str, rotations: list[tuple[str, int, int]],
                  overrides: list[dict] | None = None, key: str | None = None, creator: str = "Scanner",
                  title: str = "", fixed: dict | None = None) -> list[dict]:
    """Scan every page of `pdf_path` into `out_pdf`; return the per-page records for the truth.
    fixed: {"dpi": D} every page at D dpi; {"skew": (lo, hi)} every page skewed lo..hi degrees, either way."""
    n = page_count(pdf_path)
    key = key or Path(pdf_path).stem
    records, pages = [], []
    cache: dict[tuple[int, int, bool], np.ndarray] = {}

    def refl(i: int, dpi: int, grey: bool) -> np.ndarray:
        k = (i, dpi, grey)
        if k not in cache:
            cache[k] = render_pages(pdf_path, dpi, i, grey)
        return cache[k]

    for i in range(n):
        rng = random.Random(f"{seed}:{profile}:{key}:{i + 1}")
        par = page_params(rng, profile, n, i)
        if overrides and i < len(overrides) and overrides[i]:
            par.update(overrides[i])
        if fixed and fixed.get("dpi"):
            par["dpi"] = fixed["dpi"]
        if fixed and fixed.get("skew"):
            par["skew_deg"] = round(rng.choice((-1, 1)) * rng.uniform(*fixed["skew"]), 1)
        how, img_rot, pdf_rot = rotations[i]
        nrng = np.random.default_rng(rng.getrandbits(64))
        grey = par["colour"] == "grey"
        front = refl(i, par["dpi"], grey)
        st = par.get("show_through")
        back = refl(st["from_page"] - 1, par["dpi"], True) if st else None
        img = rotate_cw(degrade(front, back, par, nrng), img_rot)
        data = jpeg(img, par["jpeg_quality"], par["dpi"])
        pages.append({"jpeg": data, "width": img.shape[1], "height": img.shape[0], "grey": img.ndim == 2,
                      "dpi": par["dpi"], "rotate": pdf_rot})
        rec = {"page": i + 1, "dpi": par["dpi"], "rotate": (img_rot + pdf_rot) % 360, "rotate_how": how,
               "image_rotate": img_rot, "pdf_rotate": pdf_rot}
        rec.update(par)
        rec["landscape"] = img_rot in (90, 270)  # the stored page is wider than tall
        rec["jpeg_bytes"] = len(data)
        records.append(rec)
        cache = {k: v for k, v in cache.items() if k[0] >= i}  # pages behind us are not needed again
    write_image_pdf(out_pdf, pages, title=title, creator=creator)
    return records


def inputs(paths: list[str]) -> list[str]:
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(glob.glob(os.path.join(p, "*.pdf")))
        else:
            out.append(p)
    for p in out:
        if not os.path.isfile(truth_of(p)):
            sys.exit(f"no truth file beside {p} ({truth_of(p)})")
    return out


def truth_of(pdf: str) -> str:
    return os.path.splitext(pdf)[0] + ".truth.json"


SCANNERS = ["Canon iR-ADV C5535", "RICOH MP C3004", "KONICA MINOLTA bizhub C300i", "HP LaserJet MFP M436",
            "Kyocera TASKalfa 3253ci"]


def degrade_set(paths: list[str], out_dir: str, seed: int, profile: str, rotate_every: float = 0,
                cancel_every: float = 0, overrides: dict | None = None, rotations_override: dict | None = None,
                fixed: dict | None = None) -> list[str]:
    os.makedirs(out_dir, exist_ok=True)
    files = inputs(paths)
    counts = [page_count(f) for f in files]
    plan = rotation_plan(sum(counts), rotate_every, cancel_every)
    written, at = [], 0
    for f, n in zip(files, counts):
        with open(truth_of(f), encoding="utf-8") as fh:
            truth = json.load(fh)
        iid = truth.get("id") or Path(f).stem
        rot = plan[at:at + n]
        at += n
        if rotations_override and iid in rotations_override:
            rot = rotations_override[iid]
        out_pdf = os.path.join(out_dir, f"{iid}.pdf")
        creator = random.Random(f"{seed}:{iid}:scanner").choice(SCANNERS)
        records = scan_document(f, out_pdf, seed, profile, rot, (overrides or {}).get(iid), key=iid, creator=creator,
                                fixed=fixed)
        truth = copy.deepcopy(truth)
        truth["scanned"] = True
        truth["degrade"] = {"seed": seed, "profile": profile, "source": os.path.relpath(f, REPO),
                            "scanner": creator}
        truth["scan"] = records
        with open(os.path.join(out_dir, f"{iid}.truth.json"), "w", encoding="utf-8") as fh:
            json.dump(truth, fh, ensure_ascii=False, indent=1)
        written.append(out_pdf)
        print(f"{out_pdf}: " + ", ".join(
            f"p{r['page']} {r['dpi']}dpi rot{r['rotate']}({r['rotate_how']}) skew{r['skew_deg']:+.1f} q{r['jpeg_quality']} "
            f"{r['paper']}/{r['colour']}" for r in records), flush=True)
    return written


# --- the book ------------------------------------------------------------------------------------

SONG_FONTS = [os.environ.get("BOOK_FONT", ""), "/usr/share/fonts/truetype/arphic/uming.ttc",
              "/usr/share/fonts/truetype/arphic/ukai.ttc"]
HEI_FONTS = ["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"]

BOOK_TITLE = "铝城春秋"
CHAPTER = "第三章　艰苦创业"
HEADINGS = ["一、白手起家", "二、第一炉铝水", "三、在困难中前进", "四、技术革新的热潮"]
PLACES = ["沈阳", "抚顺", "哈尔滨", "上海", "太原", "兰州", "贵阳", "郑州", "洛阳", "包头", "大连", "长沙"]
NAMES = ["王德明", "李长顺", "张志远", "刘玉兰", "陈国栋", "赵宝山", "孙桂英", "周文华", "吴振海", "郑秀珍"]
SENTENCES = [
    "{y}年{m}月，第一批建设者从{p}赶到工地，{k}多名职工住进了临时搭起的工棚",
    "当时的厂址还是一片荒滩，没有路，没有电，也没有像样的房子",
    "工人们自己动手，脱坯烧砖，上山采石，用了不到{s}个月就盖起了{k2}栋宿舍",
    "老工人{n}回忆说：“那时候吃的是高粱米，住的是地窨子，可谁也没有叫过一声苦。”",
    "为了赶在冬季封冻以前完成基础工程，全厂实行两班倒，夜里点着汽灯照样施工",
    "苏联专家带来了全套图纸，但许多设备要靠国内自己制造",
    "{p}、{p2}等地的兄弟厂矿先后支援了{k}多名技术骨干",
    "电解车间的厂房在{y}年底封顶，这比原定计划提前了{s}个月",
    "安装工人冒着零下{t}度的严寒吊装母线，手冻僵了就揣进怀里焐一焐再干",
    "技术员{n}带领青年突击队，连续{s}昼夜守在槽前，摸清了焙烧启动的每一个环节",
    "{y}年{m}月{d}日凌晨，第一台电解槽通电焙烧，全厂职工彻夜未眠",
    "当银白色的铝水从出铝口流出来的时候，人们欢呼着，不少老工人流下了眼泪",
    "这一炉铝水，结束了这一地区不能生产原铝的历史",
    "消息传到{p}，有关部门发来贺电，勉励全厂职工再接再厉",
    "投产之初，电流效率只有百分之{pc}，原铝质量也很不稳定",
    "厂党委提出“边生产、边学习、边总结”的口号，组织技术人员和老工人一起攻关",
    "经过{s}个多月的反复试验，槽况逐步稳定下来，电流效率提高到百分之{pc2}",
    "那几年，国家经济十分困难，原材料和粮食供应都很紧张",
    "职工们在厂区空地上开荒种菜，养猪养鸡，办起了自己的“小农场”",
    "有的车间把废旧的阳极残极回收利用，一年就节约碳素材料{k}多吨",
    "机修车间的青年工人{n}自制了一台打壳机，把工人从繁重的体力劳动中解放出来",
    "这项革新后来在全国同类企业中推广，被称为“{n}打壳机”",
    "全厂先后开展了“比学赶帮超”劳动竞赛，涌现出{k2}个先进集体和{k}名先进生产者",
    "女工{n}所在的班组连续{s}年没有出过一次质量事故，被评为省级先进班组",
    "厂里还办起了业余技术学校，每天下班以后，车间里、食堂里到处是读书的人",
    "许多只读过几年书的工人，通过几年的刻苦学习，成长为能独当一面的技术骨干",
    "{y}年，全厂原铝产量达到{k3}吨，比投产第一年增长了{s}倍",
    "这些成绩的取得，是全厂职工发扬自力更生、艰苦奋斗精神的结果",
    "回顾这段历史，老同志们常说：“厂子是我们一锹一镐干出来的。”",
    "正是这种精神，支撑着这座工厂走过了最艰难的岁月",
    "据当年的生产日志记载，仅{y}年一年就处理设备故障{k}余次",
    "为了保证供电，变电所的值班人员{s}年如一日坚守岗位，从未发生责任事故",
    "氧化铝原料最初要从{p}用火车运来，一趟往返就要{s}天",
    "后来，厂里组织力量对运输线路进行了改造，原料供应紧张的局面才得到缓解",
]
FOOTNOTES = [
    "见《{b}志》，{p}人民出版社{y}年版，第{pg}页。",
    "据{y}年{m}月厂党委《关于开展增产节约运动的报告》，原件存厂档案室。",
    "{n}，{y2}年生，{p}人，{y}年进厂，曾任电解车间主任。",
    "此处数字据厂统计科年报整理，与后来公布的数字略有出入。",
    "参见《中国有色金属工业》{y}年第{m}期，第{pg}页。",
    "本节部分内容根据{y}年对老职工的访谈记录整理。",
    "当时的工棚多为木架草顶，当地人称“干打垒”。",
    "电流效率是衡量电解生产水平的主要指标之一，详见本书第五章。",
]
CLOSING_MARKS = set("，。、；：？！）》」』”’…—·%")
OPENING_MARKS = set("（《「『“‘")
MARKS = "①②③④⑤⑥⑦⑧⑨"


def fill(template: str, rng: random.Random) -> str:
    p, p2 = rng.sample(PLACES, 2)
    y = rng.randint(1954, 1966)
    return template.format(y=y, y2=y - rng.randint(22, 40), m=rng.randint(1, 12), d=rng.randint(1, 28), p=p, p2=p2,
                           n=rng.choice(NAMES), k=rng.randint(2, 9) * 10 * rng.choice([1, 10]), k2=rng.randint(3, 18),
                           k3=rng.randint(12, 90) * 1000, s=rng.randint(2, 9), t=rng.randint(25, 38),
                           pc=rng.randint(62, 75), pc2=rng.randint(82, 88), b=rng.choice(["抚顺铝厂", "铝城", "有色金属工业"]),
                           pg=rng.randint(20, 480))


class BookSetter:
    """Sets the book on a character grid: paragraphs → justified lines → pages (with footnotes)."""
    PAGE_W, PAGE_H = 140 * 72 / 25.4, 203 * 72 / 25.4
    SIZE, LEADING, CPL = 10.5, 17.6, 28  # 五号 type, characters per line
    FN_SIZE, FN_LEADING = 8.5, 12.2
    TOP, BOTTOM = 20 * 72 / 25.4, 22 * 72 / 25.4  # text block margins
    INNER = 19 * 72 / 25.4

    def __init__(self, song: str, hei: str):
        from reportlab.pdfbase import pdfmetrics
        self.song, self.hei, self.metrics = song, hei, pdfmetrics
        self.width = self.CPL * self.SIZE
        self.fn_cpl = int(self.width // self.FN_SIZE)
        self.block_h = self.PAGE_H - self.TOP - self.BOTTOM

    def w(self, tok: str, size: float) -> float:
        if tok == "\0":  # a footnote marker: superscript, half an em
            return size * 0.5
        return self.metrics.stringWidth(tok, self.song, size)

    @staticmethod
    def tokens(text: str) -> list[str]:
        """Characters; runs of digits and Latin letters stay together; a footnote marker is '\\0'."""
        out, i = [], 0
        while i < len(text):
            j = i
            while j < len(text) and (text[j].isascii() and text[j].isalnum()):
                j += 1
            if j > i + 1:
                out.append(text[i:j])
                i = j
            else:
                out.append(text[i])
                i += 1
        return out

    def break_lines(self, text: str, size: float, width: float, indent: float, hang: float = 0.0) -> list[dict]:
        """Justified lines: [{tokens, x (per token, from the line start), last}] with the breaking rules."""
        toks = self.tokens(text)
        widths = [self.w(t, size) for t in toks]
        lines, i = [], 0
        first = True
        while i < len(toks):
            avail = width - (indent if first else hang)
            j, used = i, 0.0
            while j < len(toks) and used + widths[j] <= avail + 0.01:
                used += widths[j]
                j += 1
            if j < len(toks):
                # a closing mark or a footnote marker may not begin a line: squeeze up to one em in
                k, extra = j, 0.0
                while k < len(toks) and (toks[k] in CLOSING_MARKS or toks[k] == "\0"):
                    extra += widths[k]
                    k += 1
                if k > j and extra <= size * 1.01:
                    j = k
                elif k > j:  # too much to squeeze: push the last character down with them
                    j -= 1
                # an opening mark may not end a line
                while j - 1 > i and toks[j - 1] in OPENING_MARKS:
                    j -= 1
            line = toks[i:j]
            lw = widths[i:j]
            last = j >= len(toks)
            start = indent if first else hang
            if last:
                gap = 0.0
            else:
                gap = (avail - sum(lw)) / max(1, len(line) - 1)
            xs, x = [], start
            for t, tw in zip(line, lw):
                xs.append(x)
                x += tw + gap
            lines.append({"tokens": line, "x": xs, "last": last})
            i, first = j, False
        return lines

    def compose(self, rng: random.Random, n_pages: int) -> tuple[list[dict], list[dict]]:
        """Write paragraphs until n_pages are full; return (pages, paragraphs).
        A page: {body: [line refs], notes: [footnote], chapter_open}. Lines refer to paragraphs."""
        paras: list[dict] = []
        order = list(HEADINGS)
        pages: list[dict] = []
        stream: list[tuple] = []  # ("line", para, line) | ("heading", text)
        sentence_pool = list(range(len(SENTENCES)))
        rng.shuffle(sentence_pool)
        pool_at = note_count = 0
        cur_heading = None
        note_bank = list(range(len(FOOTNOTES)))
        rng.shuffle(note_bank)

        def new_paragraph():
            nonlocal pool_at
            nonlocal note_count
            k = rng.randint(3, 7)
            parts, notes = [], []
            for _ in range(k):
                s = fill(SENTENCES[sentence_pool[pool_at % len(sentence_pool)]], rng)
                pool_at += 1
                closed = s.endswith("。”")  # a quotation ends the sentence itself
                if rng.random() < 0.06 and not notes:  # a footnote marker after the sentence's words
                    notes.append(fill(FOOTNOTES[note_bank[note_count % len(note_bank)]], rng))
                    note_count += 1
                    s = s + "\0"
                parts.append(s if closed else s + "。")
            text = "".join(parts)
            return {"text": text, "notes": notes, "heading": cur_heading}

        def fill_stream():
            nonlocal cur_heading
            if len(paras) and rng.random() < 0.16 and order:
                cur_heading = order.pop(0)
                stream.append(("heading", cur_heading))
            elif not paras and order:
                cur_heading = order.pop(0) if rng.random() < 0.5 else None
                if cur_heading:
                    stream.append(("heading", cur_heading))
            p = new_paragraph()
            p["index"] = len(paras)
            paras.append(p)
            for ln in self.break_lines(p["text"], self.SIZE, self.width, 2 * self.SIZE):
                stream.append(("line", p, ln))

        for pno in range(n_pages):
            chapter_open = pno == 0
            room = self.block_h - (5.5 * self.LEADING if chapter_open else 0)
            page = {"body": [], "notes": [], "chapter_open": chapter_open}
            used, notes_h = 0.0, 0.0
            while True:
                if not stream:
                    fill_stream()
                kind = stream[0][0]
                need = 2 * self.LEADING if kind == "heading" else self.LEADING
                add_notes = []
                if kind == "line":
                    _, p, ln = stream[0]
                    add_notes = [None] * ln["tokens"].count("\0")
                extra = 0.0
                if add_notes:
                    extra = (14.0 if not page["notes"] else 0.0) + sum(
                        self.note_height(p, k) for k in range(len(add_notes)))
                if kind == "heading" and used + need + self.LEADING * 2 > room - notes_h:
                    break  # keep a heading with two lines of its text
                if used + need + notes_h + extra > room:
                    break
                item = stream.pop(0)
                used += need
                notes_h += extra
                page["body"].append(item)
                if kind == "line":
                    p, ln = item[1], item[2]
                    for _ in add_notes:
                        seen = p.setdefault("notes_placed", 0)
                        page["notes"].append({"para": p, "text": p["notes"][seen]})
                        ln.setdefault("marks", []).append(len(page["notes"]) - 1)
                        p["notes_placed"] = seen + 1
            pages.append(page)
        return pages, paras

    def note_height(self, p: dict, k: int) -> float:
        placed = p.get("notes_placed", 0)
        text = p["notes"][min(placed + k, len(p["notes"]) - 1)]
        n = len(self.break_lines("①　" + text, self.FN_SIZE, self.fn_cpl * self.FN_SIZE, 0, 2 * self.FN_SIZE))
        return n * self.FN_LEADING + 1.0

    def draw(self, path: str, pages: list[dict], first_no: int, rng: random.Random) -> None:
        from reportlab.pdfgen import canvas
        c = canvas.Canvas(path, pagesize=(self.PAGE_W, self.PAGE_H), invariant=1, pageCompression=1)
        c.setTitle(BOOK_TITLE)
        c.setCreator("degrade_scans.py book")
        for pno, page in enumerate(pages):
            printed = first_no + pno
            recto = printed % 2 == 1
            x0 = self.INNER if recto else self.PAGE_W - self.INNER - self.width
            top = self.PAGE_H - self.TOP
            if not page["chapter_open"]:
                c.setFont(self.song, 9)
                head = CHAPTER if recto else "　".join(BOOK_TITLE)
                c.setFillGray(0.1)
                c.drawCentredString(x0 + self.width / 2, top + 9, head)
                c.setLineWidth(0.45)
                c.line(x0, top + 5, x0 + self.width, top + 5)
            else:
                c.setFont(self.hei, 16)
                c.setFillGray(0.05)
                c.drawCentredString(x0 + self.width / 2, top - 2.6 * self.LEADING, CHAPTER)
            y = top - (5.5 * self.LEADING if page["chapter_open"] else 0) - self.SIZE
            for item in page["body"]:
                if item[0] == "heading":
                    c.setFont(self.hei, 12)
                    c.setFillGray(0.05)
                    c.drawCentredString(x0 + self.width / 2, y - 0.5 * self.LEADING, item[1])
                    y -= 2 * self.LEADING
                    continue
                ln = item[2]
                marks = iter(ln.get("marks", []))
                yj = y + rng.uniform(-0.15, 0.15)
                for tok, x in zip(ln["tokens"], ln["x"]):
                    c.setFillGray(max(0.0, rng.gauss(0.1, 0.06)))
                    dx, dy = rng.uniform(-0.12, 0.12), rng.uniform(-0.12, 0.12)
                    if tok == "\0":
                        c.setFont(self.song, self.SIZE * 0.55)
                        c.drawString(x0 + x + dx, yj + self.SIZE * 0.45, MARKS[next(marks)])
                    else:
                        c.setFont(self.song, self.SIZE)
                        c.drawString(x0 + x + dx, yj + dy, tok)
                y -= self.LEADING
            if page["notes"]:  # footnotes at the foot of the block, under a short rule
                lines = []
                for k, note in enumerate(page["notes"]):
                    lines += self.break_lines(MARKS[k] + "　" + note["text"], self.FN_SIZE, self.fn_cpl * self.FN_SIZE,
                                              0, 2 * self.FN_SIZE)
                fy = self.BOTTOM + len(lines) * self.FN_LEADING - self.FN_SIZE + 2
                c.setLineWidth(0.4)
                c.setStrokeGray(0.1)
                c.line(x0, fy + self.FN_LEADING, x0 + self.width / 4, fy + self.FN_LEADING)
                c.setFont(self.song, self.FN_SIZE)
                for ln in lines:
                    for tok, x in zip(ln["tokens"], ln["x"]):
                        c.setFillGray(max(0.0, rng.gauss(0.12, 0.06)))
                        c.drawString(x0 + x, fy, tok)
                    fy -= self.FN_LEADING
            c.setFont(self.song, 9)
            c.setFillGray(0.1)
            c.drawCentredString(x0 + self.width / 2, self.BOTTOM - 26, f"· {printed} ·")
            c.showPage()
        c.save()


def find_font(candidates: list[str], name: str):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for path in candidates:
        if path and os.path.exists(path):
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
            return name, path
    return None, None


def book_truth(pages: list[dict], paras: list[dict]) -> list[dict]:
    """Items in reading order: paragraphs by where they start; a page's footnotes after every
    paragraph that starts on that page (the paragraph running on at its foot included)."""
    first_page, last_page = {}, {}
    for pno, page in enumerate(pages, 1):
        for item in page["body"]:
            if item[0] == "line":
                p = item[1]
                first_page.setdefault(p["index"], pno)
                last_page[p["index"]] = pno
    # the printed markers: each paragraph's markers get the number they have on their page
    marker_text: dict[int, list[str]] = {}
    for page in pages:
        for item in page["body"]:
            if item[0] == "line":
                for m in item[2].get("marks", []):
                    marker_text.setdefault(item[1]["index"], []).append(MARKS[m])
    items = []
    complete = [p for p in paras if p["index"] in first_page]
    for pno, page in enumerate(pages, 1):
        for p in complete:
            if first_page[p["index"]] != pno:
                continue
            text, marks = p["text"], iter(marker_text.get(p["index"], []))
            printed = "".join(next(marks, "") if ch == "\0" else ch for ch in text)
            it = {"text": printed, "page_start": first_page[p["index"]], "page_end": last_page[p["index"]]}
            if p["heading"]:
                it = {"heading": p["heading"], **it}
            items.append(it)
        for k, note in enumerate(page["notes"]):
            it = {"text": MARKS[k] + "　" + note["text"], "footnote": True, "page_start": pno, "page_end": pno}
            h = next((i.get("heading") for i in reversed(items) if not i.get("footnote")), None)
            items.append({"heading": h, **it} if h else it)  # under the heading in force where it is read
    return items


def make_book(out_dir: str, seed: int = 3, n_pages: int = 8, dpi: int = 300, first_no: int | None = None,
              digital_dir: str | None = None, name: str = "book", quality: tuple[int, int] | None = None) -> str:
    os.makedirs(out_dir, exist_ok=True)
    song, song_path = find_font(SONG_FONTS, "BookSong")
    hei, hei_path = find_font(HEI_FONTS, "BookHei")
    if not song:
        song, song_path = hei, hei_path
        print("warning: no Song/Ming font (apt-get install fonts-arphic-uming): the book is set in a Hei face",
              file=sys.stderr)
    if not hei:
        sys.exit("no CJK font found: apt-get install fonts-wqy-zenhei fonts-arphic-uming")
    rng = random.Random(f"book:{seed}")
    setter = BookSetter(song, hei)
    pages, paras = setter.compose(rng, n_pages)
    # the text of a paragraph still running on at the foot of the last page is cut where the page ends
    last_lines = {}
    for page in pages:
        for item in page["body"]:
            if item[0] == "line":
                last_lines.setdefault(item[1]["index"], []).append(item[2])
    for p in paras:
        if p["index"] in last_lines:
            shown = "".join(t for ln in last_lines[p["index"]] for t in ln["tokens"])
            p["text"] = shown
    first_no = first_no if first_no is not None else rng.randrange(23, 121, 2)  # a chapter opens on a recto
    if digital_dir:
        os.makedirs(digital_dir, exist_ok=True)
    digital = os.path.join(digital_dir or out_dir, f"{name}.digital.pdf.tmp")
    setter.draw(digital, pages, first_no, random.Random(f"book:{seed}:ink"))
    items = book_truth(pages, paras)
    # scan: yellowed paper, the back of each leaf showing through, the binding shadow on the gutter side
    prof = "book"
    overrides, rotations = [], []
    for pno in range(n_pages):
        printed = first_no + pno
        recto = printed % 2 == 1
        ov = {"dpi": dpi, "shadow": {"side": "left" if recto else "right", "width": 0.035, "depth": 0.55},
              "show_through": None}
        back = pno + 1 if recto else pno - 1  # recto and the following verso share a leaf
        if 0 <= back < n_pages:
            ov["show_through"] = {"from_page": back + 1, "alpha": round(random.Random(f"{seed}:{pno}").uniform(0.05, 0.1), 3)}
        if quality:
            ov["jpeg_quality"] = random.Random(f"{seed}:{pno}:q").randint(*quality)
        overrides.append(ov)
        rotations.append(("none", 0, 0))
    out_pdf = os.path.join(out_dir, f"{name}.pdf")
    records = scan_document(digital, out_pdf, seed, prof, rotations, overrides, key=name,
                            creator="Epson Perfection V39", title="")
    sha = hashlib.sha256(Path(out_pdf).read_bytes()).hexdigest()
    truth = {"id": f"doc-{sha[:12]}", "publication": None, "year": None, "number": None, "total_number": None,
             "date": None, "publisher": None, "collection_period": None, "document": "book", "title": BOOK_TITLE,
             "pages": n_pages, "layout": "book", "printed_pages": [first_no, first_no + n_pages - 1],
             "font": os.path.basename(song_path), "sections": [{"title": CHAPTER, "items": items}],
             "scanned": True, "degrade": {"seed": seed, "profile": prof, "source": "book"}, "scan": records}
    with open(os.path.join(out_dir, f"{name}.truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
    if digital_dir:  # the born-digital book with its own truth (its id is its own hash)
        final = os.path.join(digital_dir, f"{name}.digital.pdf")
        os.replace(digital, final)
        dsha = hashlib.sha256(Path(final).read_bytes()).hexdigest()
        dtruth = {k: v for k, v in truth.items() if k not in ("scanned", "degrade", "scan")}
        dtruth["id"] = f"doc-{dsha[:12]}"
        with open(os.path.join(digital_dir, f"{name}.digital.truth.json"), "w", encoding="utf-8") as fh:
            json.dump(dtruth, fh, ensure_ascii=False, indent=1)
    else:
        os.remove(digital)
    n_notes = sum(1 for it in items if it.get("footnote"))
    runs = sum(1 for it in items if it["page_start"] != it["page_end"])
    print(f"{out_pdf}: {n_pages} pages (printed {first_no}-{first_no + n_pages - 1}), {len(items) - n_notes} paragraphs "
          f"({runs} run on across a page break), {n_notes} footnotes, id {truth['id']}, font {truth['font']}")
    return out_pdf


# --- fixtures -------------------------------------------------------------------------------------

def make_fixtures(out_dir: str) -> None:
    """A small set for tests: two 2-page issues and a 3-page book, 150 dpi, < 3 MB in all."""
    os.makedirs(out_dir, exist_ok=True)
    for f in glob.glob(os.path.join(out_dir, "*.pdf")) + glob.glob(os.path.join(out_dir, "*.truth.json")):
        os.remove(f)
    low = {"dpi": 150, "jpeg_quality": 40}
    overrides = {
        "2016-006": [{**low, "skew_deg": -2.0, "paper": "yellow", "colour": "colour", "shadow": None},
                     {**low, "skew_deg": 1.2, "paper": "grey", "colour": "grey"}],
        "2018-002": [{**low, "skew_deg": 0.8, "paper": "white", "colour": "grey"},
                     {**low, "skew_deg": -3.5, "paper": "yellow", "colour": "colour"}],
    }
    rotations = {"2016-006": [("none", 0, 0), ("content", 90, 0)],
                 "2018-002": [("both", 270, 90), ("pdf", 0, 180)]}
    degrade_set([str(DEV / "single" / "2016-006.pdf"), str(DEV / "two-column" / "2018-002.pdf")], out_dir, seed=11,
                profile="office", overrides=overrides, rotations_override=rotations)
    make_book(out_dir, seed=5, n_pages=3, dpi=150, name="book", quality=(40, 50))
    total = sum(os.path.getsize(f) for f in glob.glob(os.path.join(out_dir, "*")))
    print(f"{out_dir}: {total / 1e6:.2f} MB")
    if total > 3e6:
        sys.exit("fixtures over 3 MB")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "book":
        ap = argparse.ArgumentParser(prog="degrade_scans.py book", description="a synthetic scan of an old printed book")
        ap.add_argument("out_dir")
        ap.add_argument("--seed", type=int, default=3)
        ap.add_argument("--pages", type=int, default=8)
        ap.add_argument("--dpi", type=int, default=300, choices=[150, 200, 240, 300])
        ap.add_argument("--first-page", type=int, default=None, help="the first printed page number (odd)")
        ap.add_argument("--digital-dir", help="also keep the born-digital book (+ its truth) here (not OUT_DIR: "
                                              "import is recursive)")
        a = ap.parse_args(argv[1:])
        make_book(a.out_dir, a.seed, a.pages, a.dpi, a.first_page, a.digital_dir)
        return
    if argv and argv[0] == "fixtures":
        make_fixtures(argv[1] if len(argv) > 1 else str(REPO / "tests" / "fixtures" / "scans"))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", metavar="IN", help="folders of <id>.pdf + <id>.truth.json, or such PDFs")
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--profile", choices=["mild", "office", "harsh"], default="office")
    ap.add_argument("--rotate-every", type=float, default=0, metavar="K",
                    help="turn every K-th page of the set by 90/180/270 in turn (K may be fractional)")
    ap.add_argument("--cancel-every", type=float, default=0, metavar="M",
                    help="of the upright pages, store every M-th rotated with a /Rotate that cancels it")
    ap.add_argument("--dpi", type=int, choices=[150, 200, 240, 300], help="every page at this resolution")
    ap.add_argument("--skew", type=float, nargs=2, metavar=("MIN", "MAX"),
                    help="every page skewed MIN..MAX degrees, either way (instead of the profile's)")
    a = ap.parse_args(argv)
    degrade_set(a.inputs, a.out_dir, a.seed, a.profile, a.rotate_every, a.cancel_every,
                fixed={"dpi": a.dpi, "skew": tuple(a.skew) if a.skew else None})


if __name__ == "__main__":
    main()
