"""Page images: a stored original's page drawn by PDFium, cached in the data folder.

The cache is keyed by the PDF's SHA-256 (a replaced issue never shows a stale image; its URL and
ETag carry the hash too, see browse.page_png) and written atomically. Every render has a pixel
budget: a page is drawn at 144 dpi, or smaller so that it stays within MAX_PIXELS; a page that
would be unreadable even so (a box of tens of thousands of points) is refused (kind page_too_large, 422).
Renders run in a RenderPool's processes, under a memory cap and a time limit, so a slow page holds
one renderer, not the server; the same page asked for twice at once is drawn once. Page sizes
are read here, under one lock (PDFium is not thread-safe within a process), from the page box
alone: a cheap call whatever the page holds.

A scanned page that was read straightened (pages.rotation: degrees it was turned clockwise) is
drawn straightened too, so that it reads upright and its items' boxes, kept in the straightened
page's coordinates, fall on their text."""
from __future__ import annotations

import math
import threading
from functools import lru_cache
from pathlib import Path

from ..errors import PageImageError
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


def render_png(datadir: DataDir, pool: RenderPool, sha256: str, page: int, scale: float = SCALE,
               rotation: int = 0) -> Path:
    """The PNG of a 1-based page, drawn once (in the pool) and then served from the cache; a page
    turned `rotation` degrees clockwise is drawn turned back."""
    rotation = rotation % 360 if rotation in (90, 180, 270) else 0
    path = datadir.page_image(sha256, page, scale, rotation)
    if path.exists():
        return path
    with _inflight_lock:
        busy = _inflight.get(path)
        mine = busy is None
        if mine:
            busy = _inflight[path] = threading.Event()
    if not mine:  # another request is drawing this page: wait for it rather than draw it twice
        busy.wait(pool.timeout_s + pool.wait_s)
        if path.exists():
            return path
        raise PageImageError(f"page {page} could not be drawn", "render_failed")
    try:
        pdf = datadir.pdf_path(sha256)
        width, height = page_size(str(pdf), page)
        pool.render(pdf, page, render_scale(width, height, scale), path, (360 - rotation) % 360)
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
