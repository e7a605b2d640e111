"""Page images: a stored original's page drawn by PDFium, cached in the data folder.

The cache is keyed by the PDF's SHA-256 (a replaced issue never shows a stale image; its URL and
ETag carry the hash too, see browse.page_png) and written atomically. Every render has a pixel
budget: a page is drawn at 144 dpi, or smaller so that it stays within MAX_PIXELS; a page that
would be unreadable even so (a box of tens of thousands of points) is refused (kind page_too_large, 422).
Renders run in a RenderPool's processes, under a memory cap and a time limit, so a slow page holds
one renderer, not the server; the same page asked for twice at once is drawn once, and a page whose
render failed is not tried again for an hour (the failure is answered from memory). Page sizes
are read here, under one lock (PDFium is not thread-safe within a process), from the page box
alone: a cheap call whatever the page holds.

A scanned page that was read straightened (pages.rotation: degrees it was turned clockwise) is
drawn straightened too, so that it reads upright and its items' boxes, kept in the straightened
page's coordinates, fall on their text."""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from ..errors import Kind, PageImageError
from ..store import DataDir
from .renderpool import RenderPool

_pdfium = threading.Lock()
SCALE = 2.0  # 144 dpi: sharp on a high-density screen, ~1200 px wide for A4
MAX_PIXELS = 16_000_000  # one render: 4,000 × 4,000 px (an A4 page at 2x is 2 million)
MIN_SCALE = 0.25  # below 18 dpi a page cannot be read: refused instead of drawn


def render_scale(width: float, height: float, scale: float = SCALE, max_pixels: int = MAX_PIXELS) -> float:
    """The scale to draw a page of width × height points at: `scale`, or less to fit `max_pixels`."""
    area = width * height
    fit = min(scale, math.sqrt(max_pixels / area)) if width >= 1 and height >= 1 and math.isfinite(area) else 0.0
    if not fit >= MIN_SCALE:
        raise PageImageError(f"page size {width:g}x{height:g} pt cannot be drawn readably", "page_too_large", width=f"{width:.0f}",
                           height=f"{height:.0f}")
    return fit


_inflight: dict[Path, threading.Event] = {}
_inflight_lock = threading.Lock()
FAILURE_TTL_S = 3600.0  # a page that could not be drawn is answered from memory this long, then tried again
FAILURES_KEPT = 4096
_failed: OrderedDict[Path, tuple[float, PageImageError]] = OrderedDict()  # by cache path: hash, page, scale, turn


def remembered_failure(path: Path) -> PageImageError | None:
    """A fresh copy of the error this page's render ended in, if it failed within FAILURE_TTL_S."""
    with _inflight_lock:
        entry = _failed.get(path)
        if entry is None:
            return None
        at, exc = entry
        if time.monotonic() - at > FAILURE_TTL_S:
            del _failed[path]
            return None
    return PageImageError(str(exc), exc.kind, **exc.params)


def remember_failure(path: Path, exc: PageImageError) -> None:
    """Keep a render's failure (not 'every renderer busy': that one passes), the oldest forgotten first."""
    if exc.kind == Kind.RENDER_BUSY:
        return
    with _inflight_lock:
        _failed[path] = (time.monotonic(), exc)
        _failed.move_to_end(path)
        while len(_failed) > FAILURES_KEPT:
            _failed.popitem(last=False)


def cut_tag(geometry: dict | None) -> str:
    """A short name for the part of a photo a page was cut out of (its cache file's), "" for none."""
    if not geometry:
        return ""
    import hashlib
    import json
    return hashlib.sha1(json.dumps(geometry, sort_keys=True).encode()).hexdigest()[:8]


def shown_size(pdf: str, page: int, rotation: int = 0, geometry: dict | None = None) -> tuple[float, float]:
    """The size in points of a page as the page view draws it: a photographed page cut out of its
    photo (its geometry's size), else the file page upright."""
    return tuple(geometry["size"]) if geometry else upright_size(pdf, page, rotation)


def render_png(datadir: DataDir, pool: RenderPool, sha256: str, page: int, scale: float = SCALE,
               rotation: int = 0, geometry: dict | None = None) -> Path:
    """The PNG of a 1-based page, drawn once (in the pool) and then served from the cache; a page
    turned `rotation` degrees clockwise is drawn turned back; a photographed page (`geometry`:
    model.Issue.page_geometry) is cut out of its photo and straightened, as OCR read it. A page whose
    render failed is answered with that failure from memory (FAILURE_TTL_S), not drawn again for each request."""
    rotation = rotation % 360 if rotation in (90, 180, 270) else 0
    path = datadir.page_image(sha256, page, scale, rotation, cut_tag(geometry))
    if path.exists():
        return path
    failed = remembered_failure(path)
    if failed is not None:
        raise failed
    with _inflight_lock:
        busy = _inflight.get(path)
        mine = busy is None
        if mine:
            busy = _inflight[path] = threading.Event()
    if not mine:  # another request is drawing this page: wait for it rather than draw it twice
        busy.wait(pool.timeout_s + pool.wait_s)
        if path.exists():
            return path
        raise remembered_failure(path) or PageImageError(f"page {page} could not be drawn", "render_failed")
    try:
        pdf = datadir.pdf_path(sha256)
        width, height = page_size(str(pdf), page)
        if geometry:  # drawn whole, then cut out and straightened at `scale` of the page cut out
            w, h = geometry["size"]
            w, h = (h, w) if rotation in (90, 270) else (w, h)  # as it lies in the photo, before it is turned back
            pool.render(pdf, page, render_scale(width, height, scale), path, 0, quad=geometry["quad"],
                        size=[w, h], out_scale=render_scale(w, h, scale), turn=rotation)
        else:
            pool.render(pdf, page, render_scale(width, height, scale), path, (360 - rotation) % 360)
    except PageImageError as exc:
        remember_failure(path, exc)
        raise
    finally:
        with _inflight_lock:
            _inflight.pop(path, None)
        busy.set()
    return path


def upright_size(pdf: str, page: int, rotation: int = 0) -> tuple[float, float]:
    """(width, height) of a page as shown: straightened when it was read turned a quarter."""
    width, height = page_size(pdf, page)
    return (height, width) if rotation in (90, 270) else (width, height)


@lru_cache(maxsize=1024)
def page_size(pdf: str, page: int) -> tuple[float, float]:
    """(width, height) of a 1-based page in PDF points, read from its box without loading the page
    (loading parses its content: seconds, and gigabytes, for a hostile one)."""
    import pypdfium2 as pdfium
    with _pdfium:
        doc = pdfium.PdfDocument(pdf)
        try:
            w, h = doc.get_page_size(page - 1)
        finally:
            doc.close()
    return round(w, 1), round(h, 1)


CROP_MARGIN_PT = 18  # around the boxes a crop shows
LEGIBLE_PX = 16  # CSS pixels a crop's text is drawn at, at least (a phone's reading size)
TEXT_PT = (5.0, 40.0)  # what a line box's height may say of a page's text size


def crop_of(boxes: list, width: float, height: float, margin: float = CROP_MARGIN_PT) -> tuple[float, ...]:
    """(x, y, w, h): the part of a width × height page around `boxes` ([page, x0, y0, x1, y1] in
    the page's points, top-left origin), `margin` around, within the page; the whole page without boxes."""
    if not boxes:
        return 0.0, 0.0, float(width), float(height)
    x0 = max(0.0, min(b[1] for b in boxes) - margin)
    y0 = max(0.0, min(b[2] for b in boxes) - margin)
    x1 = min(float(width), max(b[3] for b in boxes) + margin)
    y1 = min(float(height), max(b[4] for b in boxes) + margin)
    return round(x0, 1), round(y0, 1), round(max(x1 - x0, 1.0), 1), round(max(y1 - y0, 1.0), 1)


def text_size(boxes: list) -> float:
    """The size of the text in `boxes` (points): the median height of its line boxes."""
    heights = sorted(b[4] - b[2] for b in boxes if b[4] > b[2])
    if not heights:
        return 10.5
    return min(max(heights[len(heights) // 2], TEXT_PT[0]), TEXT_PT[1])


def legible_width(crop_width: float, boxes: list, px: float = LEGIBLE_PX) -> int:
    """The CSS width to draw a crop `crop_width` points wide at, so that the text of `boxes` is at
    least `px` CSS pixels tall."""
    return math.ceil(crop_width * px / text_size(boxes))
