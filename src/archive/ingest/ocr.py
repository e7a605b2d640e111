"""Stage 1b: text for pages that have none (scans) or a broken text layer, by offline OCR.

The models ship inside the `rapidocr` wheel (PP-OCRv6 small detection and recognition, ONNX):
nothing is ever downloaded. A page is rendered with pypdfium2, recognised line by line, and each
recognised character becomes a `Char` in PDF points, so OCR'd pages go through the same layout,
paragraph and text-repair stages as born-digital ones.

Results are cached per page image (`<cache>/<sha256>.json`, the data folder's OCR cache): a
re-import never re-OCRs. `ocr_page(data, index)` OCRs one page on its own; `OcrPool(jobs)` is a
process pool that parse_issues (`ocr_pool=`) uses to recognise pages in parallel while it reads on.
Placing the recognised characters (sizes, skew, punctuation) is ocrglyphs' part."""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Iterable

from ..children import end_with_parent
from ..files import atomic_write, key_lock
from . import photo
from .ink import line_ink
from .ocrglyphs import to_chars
from .orient import orientation, suspect
from .pdf import Char, Page
from .textlayer import METHODS, SCAN_IMAGE_AREA, UNREAD, needs_ocr

OCR_DPI = 200  # the scans seen are 200 dpi: rendering at their own resolution keeps every stroke
DET_LIMIT = 960  # detection runs on the page scaled to this longest side (boxes only: fast enough, exact enough)
MAX_SIDE = 2400  # recognition crops come from the rendered page up to this side (no downscale at 200 dpi A4)
MAX_RENDER_SIDE = 4000  # px: larger pages are rendered at a lower resolution
REC_BATCH = 1  # lines recognised one by one: a batch pads every line to its longest, slower on one core
TEXT_SCORE = 0.5  # lines recognised with less confidence are dropped (rapidocr's default)
MODEL_FILES = ("PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx", "ch_ppocr_mobile_v2.0_cls_mobile.onnx")
# Part of every cache key: other settings or models give other results.
SETTINGS = f"rapidocr-3.10.0/{'+'.join(MODEL_FILES)}/dpi{OCR_DPI}/det{DET_LIMIT}/max{MAX_SIDE}/b{REC_BATCH}/v5"

WORSE_BY = 0.1  # a straightened reading of a quarter-turned page is kept unless its mean score is lower by this
CACHE_WAIT_S = 120  # s a process waits for another recognising the same page (then recognises it too)
LOOKAHEAD_PER_WORKER = 4  # pages read ahead of the one waiting for its OCR, per OCR process
RUNTIME = ("numpy", "cv2", "onnxruntime", "rapidocr", "pypdfium2")  # what OCR imports
INSTALL_HINT = "install it with `pip install rapidocr onnxruntime` (both are dependencies of archive)"


class OcrUnavailable(Exception):
    """OCR is not installed or cannot run here; the message says why in one line."""


# --- the engine ----------------------------------------------------------------------------------

_ENGINE = None


def model_dir() -> Path:
    try:
        import rapidocr
    except ImportError as exc:
        raise OcrUnavailable(f"rapidocr is not installed ({exc})") from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


def engine():
    """The process's OCR engine, built once: models from the wheel by explicit path (so rapidocr
    never looks for a download), one thread, no text-direction classifier."""
    global _ENGINE
    if _ENGINE is not None:
        return _ENGINE
    root = model_dir()
    missing = [name for name in MODEL_FILES if not (root / name).is_file()]
    if missing:
        raise OcrUnavailable(f"OCR model files missing from the rapidocr package: {', '.join(missing)}")
    try:
        import cv2
        import onnxruntime  # noqa: F401  (rapidocr's engine; a clear reason if it is missing)
        from rapidocr import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable(f"OCR dependencies missing ({exc})") from exc
    cv2.setNumThreads(1)
    params = {
        "Global.use_cls": False,
        "Global.log_level": "error",
        "Global.text_score": TEXT_SCORE,
        "Global.max_side_len": MAX_SIDE,
        "Global.return_word_box": True,
        "Global.return_single_char_box": True,
        "Det.model_path": str(root / MODEL_FILES[0]),
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_LIMIT,
        "Rec.model_path": str(root / MODEL_FILES[1]),
        "Cls.model_path": str(root / MODEL_FILES[2]),  # asked only for a page suspected to be turned
        "Rec.rec_batch_num": REC_BATCH,
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    try:
        _ENGINE = RapidOCR(params=params)
    except Exception as exc:  # a broken install: say so in one line
        raise OcrUnavailable(f"OCR engine failed to start ({type(exc).__name__}: {exc})") from exc
    return _ENGINE


def warm(_: object = None) -> None:
    """Build the engine and load the models now (e.g. in each worker of a pool before timing)."""
    import numpy as np
    from rapidocr.ch_ppocr_rec import TextRecInput
    e = engine()
    e._load_det_model()
    e._load_rec_model()(TextRecInput(img=[np.full((48, 96, 3), 255, np.uint8)]))


@functools.lru_cache(maxsize=1)
def runtime_problem() -> str | None:
    """Why OCR cannot run here (a package or a model file missing), without loading the models;
    None when it can be tried."""
    missing = [name for name in RUNTIME if importlib.util.find_spec(name) is None]
    if missing:
        return f"OCR is not available ({', '.join(missing)} not installed): {INSTALL_HINT}"
    try:
        root = model_dir()
    except OcrUnavailable as exc:
        return f"OCR is not available ({exc}): {INSTALL_HINT}"
    gone = [name for name in MODEL_FILES if not (root / name).is_file()]
    if gone:
        return f"OCR is not available (model files missing from the rapidocr package: {', '.join(gone)})"
    return None


def available() -> str | None:
    """None when OCR can run here, else the reason it cannot."""
    try:
        engine()
    except OcrUnavailable as exc:
        return str(exc)
    return None


# --- recognising a page --------------------------------------------------------------------------

def render(data: bytes, index: int, password: str | None = None, dpi: int = OCR_DPI):
    """Page `index` (0-based) as an RGB numpy array, and the scale (pixels per point)."""
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data, password=password)
    try:
        page = pdf[index]
        scale = min(dpi / 72, MAX_RENDER_SIDE / max(page.get_size()))  # a poster-sized page stays in memory
        bitmap = page.render(scale=scale)
        image = np.asarray(bitmap.to_pil().convert("RGB"))
        page.close()
    finally:
        pdf.close()
    return image, scale


def image_key(image) -> str:
    h = hashlib.sha256(SETTINGS.encode())
    h.update(repr(image.shape).encode())
    h.update(image.tobytes())
    return h.hexdigest()


def quad_bounds(quad) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return min(xs), max(xs), min(ys), max(ys)


def quad_height(quad) -> float:
    """Height of a (possibly skewed) text box: the mean of its left and right edges."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    return (((x3 - x0) ** 2 + (y3 - y0) ** 2) ** 0.5 + ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5) / 2


def quad_slope(quad) -> float:
    """dy/dx of a text box's top and bottom edges (a scan's skew)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    dx = (x1 - x0) + (x2 - x3)
    return ((y1 - y0) + (y2 - y3)) / dx if dx > 0 else 0.0


def recognise(image, scale: float) -> dict:
    """OCR an RGB image → {"rotate": degrees the page was turned clockwise (0, 90, 180, 270),
    "lines": its lines in PDF points, read upright}. A photo of a page on a desk is cut out and
    straightened first (photo.py: then "page" is the straightened page's [width, height] in points,
    which its lines are in). A page whose reading looks turned (orient.py) is straightened and read
    again, and the better reading kept."""
    import numpy as np
    e = engine()
    image, scale, size, quad = photo.straighten_quad(image, scale)
    bgr = np.ascontiguousarray(image[:, :, ::-1])  # rapidocr takes OpenCV's BGR order
    result = e(bgr, use_det=True, use_cls=False, use_rec=True)
    rotate, read = 0, bgr
    if suspect(list(result.boxes) if result.boxes is not None else [], list(result.scores or ())):
        angle = orientation(e, bgr)
        if angle:
            turned = np.ascontiguousarray(np.rot90(bgr, k=angle // 90))
            again = e(turned, use_det=True, use_cls=False, use_rec=True)
            # a quarter-turned page reads well enough as it is (its lines' crops are turned for the
            # recogniser) but its lines stand upright: the straightened reading is kept unless worse
            if mean_score(again) >= mean_score(result) - (WORSE_BY if angle in (90, 270) else 0.0):
                result, rotate, read = again, angle, turned
    reading = {"rotate": rotate, "lines": read_lines(result, scale, read)}
    if size:  # a photo: the page cut out of it (its size, and where its corners are in the photo)
        reading["page"], reading["quad"] = list(size), quad
    return reading


def mean_score(result) -> float:
    """How well a reading went: its lines' mean score, weighted by their length (0 for nothing read)."""
    if not result.txts:
        return 0.0
    weights = [len(t) for t in result.txts]
    return sum(float(s) * w for s, w in zip(result.scores, weights)) / max(1, sum(weights))


def read_lines(result, scale: float, bgr=None) -> list[dict]:
    """The engine's output → lines in PDF points: text, score, height, and a box per character
    ([x0, x1, top, bottom], None where the engine gave no box for it); "colour": 1 for a line in
    coloured ink and its strokes' width, "stroke" and "pen" (ink.py: `bgr` is the image read)."""
    if not result.txts:
        return []
    words = result.word_results if len(result.word_results or ()) == len(result.txts) else [()] * len(result.txts)
    lines = []
    for quad, text, score, chars in zip(result.boxes, result.txts, result.scores, words):
        quad = [(float(x) / scale, float(y) / scale) for x, y in quad]
        boxes = char_boxes(text, chars, scale)
        line = {"text": text, "score": round(float(score), 4), "height": round(quad_height(quad), 2),
                "box": [round(v, 2) for v in quad_bounds(quad)], "chars": boxes, "slope": round(quad_slope(quad), 5)}
        if bgr is not None:
            line.update(line_ink(bgr, [v * scale for v in quad_bounds(quad)], scale))
        lines.append(line)
    return lines


def char_boxes(text: str, words, scale: float) -> list | None:
    """Per-character boxes (points) for the non-space characters of `text`, from the engine's
    single-character boxes when they match the text one to one; None otherwise."""
    glyphs = [ch for ch in text if not ch.isspace()]
    flat = [(w[0], w[2]) for w in words if w and w[2] is not None]
    if len(flat) != len(glyphs) or any(t != g for (t, _), g in zip(flat, glyphs)):
        return None
    out = []
    for _, quad in flat:
        x0, x1, top, bottom = quad_bounds([(float(x) / scale, float(y) / scale) for x, y in quad])
        out.append([round(x0, 2), round(x1, 2), round(top, 2), round(bottom, 2)])
    return out


def cache_path(cache_dir: Path | None, key: str) -> Path | None:
    return Path(cache_dir) / f"{key}.json" if cache_dir else None


def read_cache(cache_dir: Path | None, key: str) -> list[dict] | None:
    path = cache_path(cache_dir, key)
    if path is None or not path.is_file():
        return None
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        reading = cached["reading"] if cached.get("settings") == SETTINGS else None
        if reading is not None and not ("page" in reading and "quad" not in reading):
            return reading  # (a photo's reading from before its corners were kept is read again)
    except (OSError, ValueError, KeyError, AttributeError):
        pass  # a damaged entry is recomputed
    return None


def write_cache(cache_dir: Path | None, key: str, reading: dict) -> None:
    path = cache_path(cache_dir, key)
    if path is not None:  # atomic: parallel imports never read half an entry
        atomic_write(path, json.dumps({"settings": SETTINGS, "reading": reading}, ensure_ascii=False).encode("utf-8"))


def page_reading(data: bytes, index: int, password: str | None = None, cache_dir: Path | None = None) -> dict:
    """The OCR reading ({"rotate", "lines"}) of page `index` (0-based), from the cache when this
    page image was seen."""
    image, scale = render(data, index, password)
    return cached_reading(cache_dir, image_key(image), image, scale)


def cached_reading(cache_dir: Path | None, key: str, image, scale: float) -> dict:
    """The page image's reading from the cache, else recognised and cached. While one process
    recognises a page, another that wants the same page (two imports of one scan at once) waits for
    its entry (up to CACHE_WAIT_S), rather than recognising it too."""
    reading = read_cache(cache_dir, key)
    if reading is not None:
        return reading
    with key_lock(cache_dir, key, CACHE_WAIT_S):  # a stripe of the cache's keys
        reading = read_cache(cache_dir, key)  # written meanwhile by the process that held the lock
        if reading is None:
            reading = recognise(image, scale)
            write_cache(cache_dir, key, reading)
    return reading



def ocr_page(data: bytes, index: int, password: str | None = None, cache_dir: Path | None = None) -> list[Char]:
    """OCR page `index` (0-based) of a PDF: its characters, in PDF points, ready for layout.
    Raises OcrUnavailable when OCR cannot run here."""
    return to_chars(page_reading(data, index, password, cache_dir)["lines"])


# --- many pages, in parallel processes ----------------------------------------------------------

class OcrPool(ProcessPoolExecutor):
    """A pool of `jobs` OCR processes (one thread each) to pass to parse_issues as `ocr_pool`; make
    it once for a whole batch of files (each process loads the models once, ~1-2 s)."""

    def __init__(self, jobs: int):
        import multiprocessing
        super().__init__(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                         initializer=end_with_parent, initargs=(os.getpid(),))
        self.jobs = jobs


def ocr_pages(data: bytes, indices: Iterable[int], password: str | None = None, cache_dir: Path | None = None,
              pool: OcrPool | None = None) -> dict[int, list[Char]]:
    """OCR several pages (0-based indices), in the pool's processes when one is given."""
    reader = PageReader(data, password, cache_dir, pool)
    started = [(i, reader.start_index(i)) for i in indices]
    return {i: reader.result(*job) for i, job in started}


class PageReader:
    """Pages in order with the text OCR gives where a page needs it: wraps `pdf.read_pages`.

    Yields (page, method): method is "text", or how OCR read the page ("ocr": a scan; "ocr-outlines":
    text drawn as outlines; "ocr-garbled": a garbled text layer; textlayer.METHODS), or where OCR
    was needed but could not run "garbled" (the garbled text kept) or for a page left without text
    "image" (a scan), "outlines" (drawn text) or "empty". The parent renders each page and looks it up in the
    cache; with a pool, recognition runs in the pool's processes while later pages are read, and
    pages still come out in order. `problem` tells, after the run, why OCR was not used where
    it was needed (not installed, or failed), else None; `unavailable` that it is not installed."""

    def __init__(self, data: bytes, password: str | None = None, cache_dir: Path | None = None,
                 pool: OcrPool | None = None):
        self.data, self.password, self.cache_dir, self.pool = data, password, cache_dir, pool
        self.problem: str | None = None
        self.unavailable = False

    def __call__(self, pages: Iterable[Page]):
        pending: deque = deque()  # (page, job | None)
        # pages come out in order; a page waits only for the OCR of the pages before it, at most `ahead` deep
        ahead = LOOKAHEAD_PER_WORKER * (self.pool.jobs if self.pool is not None else 1)
        for page in pages:
            job, reason = None, needs_ocr(page)
            if reason and not self.unavailable:
                job = self.start_index(page.number - 1) if self.runtime_ok() else None
            pending.append((page, reason, job))
            while pending and (pending[0][2] is None or pending[0][2][1].done() or len(pending) > ahead):
                yield self.finish(*pending.popleft())
        while pending:
            yield self.finish(*pending.popleft())

    def runtime_ok(self) -> bool:
        """Can OCR run here at all? Asked before a page is rendered, so that without the runtime the
        reason is what it is (not installed), not a failure on page 1."""
        problem = runtime_problem()
        if problem:
            self.unavailable, self.problem = True, problem
        return not problem

    def start_index(self, index: int):
        """Start OCR of page `index`: (cache key to write the lines under, or None; future of the lines)."""
        fut: Future = Future()
        try:
            image, scale = render(self.data, index, self.password)
            key = image_key(image)
            if self.pool is None:  # here, from the cache or recognised (and cached) now
                fut.set_result(cached_reading(self.cache_dir, key, image, scale))
                return None, fut
            lines = read_cache(self.cache_dir, key)
            if lines is not None:
                fut.set_result(lines)
                return None, fut
            engine()  # fail here, in one line, if OCR cannot run at all
            return key, self.pool.submit(recognise, image, scale)
        except Exception as exc:
            fut.set_exception(exc)
            return None, fut

    def result(self, key, fut) -> tuple[list[Char], int, tuple[float, float] | None, list | None]:
        """The page's characters (in the straightened page's coordinates), how far it was turned,
        and of a photographed page the size of the page cut out of its photo and its corners in the
        photo (else None, None)."""
        reading = fut.result()
        if key is not None:
            write_cache(self.cache_dir, key, reading)
        return to_chars(reading["lines"]), reading["rotate"], reading.get("page"), reading.get("quad")

    def finish(self, page: Page, reason: str | None, job) -> tuple[Page, str]:
        if job is not None:
            try:
                chars, rotate, size, quad = self.result(*job)
            except OcrUnavailable as exc:
                self.unavailable, self.problem = True, f"OCR is not available ({exc}): {INSTALL_HINT}"
            except Exception as exc:  # one page the engine cannot read: that page keeps what it had
                self.problem = self.problem or f"OCR failed on page {page.number} ({type(exc).__name__}: {exc})"
            else:
                width, height = size or (page.width, page.height)  # a photo: the page cut out of it
                width, height = (height, width) if rotate in (90, 270) else (width, height)
                keep = reason != "scan" and not rotate and not size  # a born-digital page keeps its pictures and ruled tables
                return Page(page.number, width, height, chars, page.image_area, page.images if keep else [],
                            page.tables if keep else [], rotation=rotate, rules=page.rules if keep else [],
                            quad=quad if size else None), METHODS[reason]
        if any(c.text.strip() for c in page.chars):
            return page, UNREAD.get(reason, "text")
        return page, "image" if page.image_area > SCAN_IMAGE_AREA else UNREAD.get(reason, "empty")
