"""Page images: a stored original's page rendered with pypdfium2, cached in the data folder.

The cache is keyed by the PDF's SHA-256 (a replaced issue never shows a stale image) and written
atomically. PDFium is not thread-safe, so every call into it holds one lock."""
from __future__ import annotations

import io
import threading
from functools import lru_cache
from pathlib import Path

from ..files import atomic_write
from ..store import DataDir

_pdfium = threading.Lock()
SCALE = 2.0  # 144 dpi: sharp on a high-density screen, ~1200 px wide for A4


def render_png(datadir: DataDir, sha256: str, page: int, scale: float = SCALE) -> Path:
    """The PNG of a 1-based page, rendered once and then served from the cache."""
    path = datadir.page_image(sha256, page, scale)
    if path.exists():
        return path
    import pypdfium2 as pdfium
    with _pdfium:
        doc = pdfium.PdfDocument(str(datadir.pdf_path(sha256)))
        try:
            image = doc[page - 1].render(scale=scale).to_pil()
        finally:
            doc.close()
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=False, compress_level=6)
    return atomic_write(path, buf.getvalue())


@lru_cache(maxsize=1024)
def page_size(pdf: str, page: int) -> tuple[float, float]:
    """(width, height) of a 1-based page in PDF points."""
    import pypdfium2 as pdfium
    with _pdfium:
        doc = pdfium.PdfDocument(pdf)
        try:
            w, h = doc[page - 1].get_size()
        finally:
            doc.close()
    return round(w, 1), round(h, 1)
