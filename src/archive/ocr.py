"""Stage 1b: text for pages that have none (scans) or a broken text layer, by offline OCR.

The models ship inside the `rapidocr` wheel (PP-OCRv6 small detection and recognition, ONNX):
nothing is ever downloaded. A page is rendered with pypdfium2, recognised line by line, and each
recognised character becomes a `Char` in PDF points, so OCR'd pages go through the same layout,
paragraph and text-repair stages as born-digital ones.

Results are cached per page image (`<data>/ocr-cache/<sha256>.json`): a re-import never re-OCRs.
`ocr_page(data, index)` OCRs one page on its own; `make_pool(jobs)` gives a process pool that
parse_pdf (`ocr_pool=`) uses to recognise pages in parallel while it reads on."""
from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable

from .pdf import Char, Page

OCR_DPI = 200  # the scans seen are 200 dpi: rendering at their own resolution keeps every stroke
DET_LIMIT = 960  # detection runs on the page scaled to this longest side (boxes only: fast enough, exact enough)
MAX_SIDE = 2400  # recognition crops come from the rendered page up to this side (no downscale at 200 dpi A4)
MAX_RENDER_SIDE = 4000  # px: larger pages are rendered at a lower resolution
REC_BATCH = 1  # lines recognised one by one: a batch pads every line to its longest, slower on one core
TEXT_SCORE = 0.5  # lines recognised with less confidence are dropped (rapidocr's default)
SIZE_STEP = 0.5  # pt: OCR'd line sizes are rounded to this and snapped to the page's size clusters
SIZE_CLUSTER = 0.09  # lines whose sizes differ by less than this share are set in one size
ROUGH_CLUSTER = 0.4  # the same for a size estimated from a box height (short or Latin lines)
FONT = "OCR"
MODEL_FILES = ("PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx")
# Part of every cache key: other settings or models give other results.
SETTINGS = f"rapidocr-3.10.0/{'+'.join(MODEL_FILES)}/dpi{OCR_DPI}/det{DET_LIMIT}/max{MAX_SIDE}/b{REC_BATCH}/v2"

BAD_SHARE = 0.01  # a text layer with more than this share of undecodable glyphs is read by OCR instead
CID = re.compile(r"\(cid:\d+\)")


class OcrUnavailable(Exception):
    """OCR is not installed or cannot run here; the message says why in one line."""


# --- which pages need OCR ----------------------------------------------------------------------

def is_bad_char(text: str) -> bool:
    """A glyph whose text did not decode: (cid:N), a control, private-use or replacement character."""
    if CID.fullmatch(text):
        return True
    return any(unicodedata.category(ch) in ("Cc", "Co", "Cs") or ch == "\ufffd" for ch in text)


def needs_ocr(page: Page) -> str | None:
    """Why this page's text must come from OCR ('scan', 'undecodable text', 'implausible text'), or None."""
    visible = [c for c in page.chars if c.text.strip()]
    if not visible:
        return "scan" if page.image_area > 0.5 else None
    bad = sum(1 for c in visible if is_bad_char(c.text))
    if bad and bad > BAD_SHARE * len(visible):
        return "undecodable text"
    if implausible_chinese(c.text for c in visible):
        return "implausible text"
    return None


COMMON_SHARE = 0.5  # real Chinese text: ~99 % of its ideographs are among the 3,755 common ones
MIN_IDEOGRAPHS = 40  # too few to judge below this


def is_common_hanzi(ch: str) -> bool:
    """One of GB 2312's 3,755 level-1 (most frequent) characters."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7


def implausible_chinese(texts) -> bool:
    """A text layer that decodes to real but wrong characters (a font whose glyph ids were mapped to
    Unicode by position, without a ToUnicode map): its ideographs scatter over the whole CJK block,
    so few are common characters. Traditional Chinese still shares most of its characters with them."""
    hanzi = [ch for t in texts for ch in t if "\u4e00" <= ch <= "\u9fff"]
    if len(hanzi) < MIN_IDEOGRAPHS:
        return False
    return sum(map(is_common_hanzi, hanzi)) < COMMON_SHARE * len(hanzi)


# --- punctuation --------------------------------------------------------------------------------

OPENING_MARKS = "（《「『〈【〔"
CLOSING_MARKS = "。，、；：！？）》」』〉】〕"
HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
CLOSING = ",:;!?)"


def is_cjk_context(ch: str) -> bool:
    """A CJK ideograph or CJK/full-width punctuation (next to which the print uses full-width marks)."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x3000 <= o <= 0x303F
            or 0xFF01 <= o <= 0xFF60 or ch in "“”‘’…—·")


def full_width_punctuation(text: str) -> str:
    """OCR reads '，' '（' '：' as ',' '(' ':' at times: between Chinese characters the print has the
    full-width mark. A closing mark (, : ; ! ? )) follows a Chinese character; an opening one
    precedes one; the other side is Chinese too, or the end of the line. Latin and numbers
    ("1,000", "(a)", "3:2") are left alone."""
    out = list(text)
    for i, ch in enumerate(text):
        if ch not in HALF_TO_FULL:
            continue
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in CLOSING:
            ok = bool(before) and is_cjk_context(before) and (not after or is_cjk_context(after) or after == " ")
        else:
            ok = bool(after) and is_cjk_context(after) and (not before or is_cjk_context(before) or before == " ")
        if ok:
            out[i] = HALF_TO_FULL[ch]
    return "".join(out)


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


def recognise(image, scale: float) -> list[dict]:
    """OCR an RGB image → lines in PDF points: text, score, height, and a box per character
    ([x0, x1, top, bottom], None where the engine gave no box for it)."""
    result = engine()(image[:, :, ::-1].copy())  # rapidocr takes OpenCV's BGR order
    if not result.txts:
        return []
    words = result.word_results if len(result.word_results or ()) == len(result.txts) else [()] * len(result.txts)
    lines = []
    for quad, text, score, chars in zip(result.boxes, result.txts, result.scores, words):
        quad = [(float(x) / scale, float(y) / scale) for x, y in quad]
        boxes = char_boxes(text, chars, scale)
        lines.append({"text": text, "score": round(float(score), 4), "height": round(quad_height(quad), 2),
                      "box": [round(v, 2) for v in quad_bounds(quad)], "chars": boxes,
                      "slope": round(quad_slope(quad), 5)})
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
        if cached.get("settings") == SETTINGS:
            return cached["lines"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass  # a damaged entry is recomputed
    return None


def write_cache(cache_dir: Path | None, key: str, lines: list[dict]) -> None:
    path = cache_path(cache_dir, key)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"settings": SETTINGS, "lines": lines}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)  # atomic: parallel imports never read half an entry


def page_lines(data: bytes, index: int, password: str | None = None, cache_dir: Path | None = None) -> list[dict]:
    """The OCR'd lines of page `index` (0-based), from the cache when this page image was seen."""
    image, scale = render(data, index, password)
    key = image_key(image)
    lines = read_cache(cache_dir, key)
    if lines is None:
        lines = recognise(image, scale)
        write_cache(cache_dir, key, lines)
    return lines


# --- lines → characters --------------------------------------------------------------------------

def em_width(ch: str) -> float:
    """Advance of a character in ems, roughly: CJK and full-width ones are square, others half."""
    return 1.0 if ord(ch) >= 0x2E80 or ch in "“”‘’…—" else 0.5


def is_square(ch: str) -> bool:
    """Set one em wide in a Chinese font: ideographs and full-width punctuation (not quotes,
    whose width depends on the font)."""
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x3000 <= o <= 0x303F and o != 0x3000 \
        or 0xFF01 <= o <= 0xFF5E


def line_pitch(ln: dict) -> float | None:
    """A line's type size from its characters' centres: between its first and last square
    characters lie so many ems of square characters plus the measured widths of the others."""
    glyphs = [ch for ch in ln["text"] if not ch.isspace()]
    boxes = ln.get("chars")
    if not boxes or len(boxes) != len(glyphs) or len(glyphs) < 4:
        return None
    square = [i for i, ch in enumerate(glyphs) if is_square(ch)]
    if len(square) < 3 or len(square) < 0.6 * len(glyphs):
        return None
    a, b = square[0], square[-1]
    centre = [(bx[0] + bx[1]) / 2 for bx in boxes]
    ems = sum(1 for i in range(a + 1, b + 1) if is_square(glyphs[i]))
    other = sum(boxes[i][1] - boxes[i][0] for i in range(a + 1, b) if not is_square(glyphs[i]))
    pitch = (centre[b] - centre[a] - other) / ems
    return pitch if pitch > 0 else None


def size_estimates(lines: list[dict]) -> list[tuple[float, bool]]:
    """Each line's type size in points, and whether that is only a rough estimate. A line of
    mostly Chinese characters with character boxes gives its size by its pitch (CJK characters
    are one em wide): the distance between the first and last character centres over the ems
    between them. Other lines (short, Latin) scale their box height by the page's own
    pitch-to-height ratio: rough, since a box's padding and a quote mark's height vary."""
    pitched = [line_pitch(ln) for ln in lines]
    ratios = [p / ln["height"] for p, ln in zip(pitched, lines) if p and ln["height"] > 0]
    ratio = statistics.median(ratios) if ratios else 0.75
    out = []
    for p, ln in zip(pitched, lines):
        ems = sum(0.25 if ch.isspace() else em_width(ch) for ch in ln["text"].strip())
        if p:
            out.append((p, False))
        elif ems >= 8:  # a longer line of Latin: its width over its ems (Latin letters ~half an em)
            out.append(((ln["box"][1] - ln["box"][0]) / ems, True))
        else:  # a short line: its height, as the page's exact lines relate height to size
            out.append((ln["height"] * ratio, True))
    return out


def weighted_median(values: list[float], weights: list[float]) -> float:
    pairs = sorted(zip(values, weights))
    half, acc = sum(weights) / 2, 0.0
    for v, w in pairs:
        acc += w
        if acc >= half:
            return v
    return pairs[-1][0]


def snap_sizes(estimates: list[tuple[float, bool]], weights: list[float] | None = None) -> list[float]:
    """Stable type sizes from (estimate, rough) pairs. Exact estimates form groups: the most
    common size (by weight) takes every line within SIZE_CLUSTER of it, then the next, and so on;
    each group is set in its weighted median rounded to SIZE_STEP. A rough estimate joins the
    nearest group within ROUGH_CLUSTER. Detector jitter so never splits a paragraph."""
    import math
    est = [e for e, _ in estimates]
    weights = weights or [1.0] * len(est)
    sizes = [0.0] * len(est)
    left = {i for i, (_, rough) in enumerate(estimates) if not rough}
    groups: list[float] = []

    def near(centre: float) -> list[int]:
        return [j for j in sorted(left) if abs(est[j] - centre) <= SIZE_CLUSTER * centre]

    while left:
        centre = est[max(sorted(left), key=lambda i: sum(weights[j] for j in near(est[i])))]
        group = near(centre)
        value = round(weighted_median([est[j] for j in group], [weights[j] for j in group]) / SIZE_STEP) * SIZE_STEP
        for j in group:
            sizes[j] = value
        groups.append(value)
        left -= set(group)
    for j, (e, rough) in enumerate(estimates):
        if rough:
            best = min(groups, key=lambda g: abs(math.log(e / g)), default=None) if e > 0 else None
            sizes[j] = best if best and abs(e - best) <= ROUGH_CLUSTER * best else round(e / SIZE_STEP) * SIZE_STEP
    return sizes


def deskew(lines: list[dict]):
    """A function (x, y) → (dx, dy) that turns the page back by its skew (the median slope of its
    long lines) about the middle of its text, so lines start at one left edge again."""
    slopes = [ln.get("slope", 0.0) for ln in lines if ln["box"][1] - ln["box"][0] > 6 * ln["height"]]
    slope = statistics.median(slopes) if slopes else 0.0
    if abs(slope) < 1e-4 or abs(slope) > 0.1:  # nothing to straighten, or not a skew (a rotated page)
        return lambda x, y: (0.0, 0.0)
    cx = statistics.median((ln["box"][0] + ln["box"][1]) / 2 for ln in lines)
    cy = statistics.median((ln["box"][2] + ln["box"][3]) / 2 for ln in lines)
    norm = (1 + slope * slope) ** 0.5
    cos, sin = 1 / norm, slope / norm

    def shift(x: float, y: float) -> tuple[float, float]:
        rx, ry = x - cx, y - cy  # rotate by -angle: the skewed baseline becomes level
        return cx + rx * cos + ry * sin - x, cy - rx * sin + ry * cos - y
    return shift


def to_chars(lines: list[dict]) -> list[Char]:
    """OCR'd lines → Chars in PDF points. Each character gets its own box where the engine gave
    one, else an even share of the line's box; boxes are widened to touch their neighbours so
    layout adds no spaces of its own (the recogniser's spaces are kept as space glyphs)."""
    sizes = snap_sizes(size_estimates(lines), [len(ln["text"]) for ln in lines])
    unskew = deskew(lines)
    out: list[Char] = []
    for ln, size in zip(lines, sizes):
        text = full_width_punctuation(ln["text"]).strip()
        x0, x1, top, bottom = ln["box"]
        pad = min(max(0.0, (ln["height"] - size) / 2), 0.4 * size)  # the detector's margin round the glyphs
        if x1 - x0 > 4 * pad:
            x0, x1 = x0 + pad, x1 - pad
        # the box bounds ink, a text layer's glyphs their advance: a closing mark's ink sits in the
        # left half of its em, an opening bracket's in the right half
        if text[:1] in OPENING_MARKS:
            x0 -= size / 2
        if text[-1:] in CLOSING_MARKS:
            x1 += size / 2
        glyphs = [ch for ch in text if not ch.isspace()]
        boxes = ln.get("chars")
        if not boxes or len(boxes) != len(glyphs):
            step = (x1 - x0) / max(len(text), 1)
            boxes = [[x0 + i * step, x0 + (i + 1) * step, top, bottom] for i, ch in enumerate(text)
                     if not ch.isspace()]
        else:  # the recogniser's positions are coarse at the ends: the detected box gives the line's edges
            a0, a1 = boxes[0][0], boxes[-1][1]
            k = (x1 - x0) / (a1 - a0) if a1 > a0 else 1.0
            boxes = [[x0 + (bx0 - a0) * k, x0 + (bx1 - a0) * k, bt, bb] for bx0, bx1, bt, bb in boxes]
        placed: list[tuple[str, list[float]]] = []
        g = 0
        for ch in text:
            if ch.isspace():
                placed.append((" ", []))
            else:
                placed.append((ch, list(boxes[g])))
                g += 1
        # close the gaps between neighbouring glyphs; a space spans the gap it stands for
        solid = [i for i, (ch, _) in enumerate(placed) if ch != " "]
        for a, b in zip(solid, solid[1:]):
            left, right = placed[a][1], placed[b][1]
            if b == a + 1 and right[0] > left[1]:
                left[1] = right[0]
            elif b > a + 1:
                for j in range(a + 1, b):
                    placed[j] = (" ", [left[1], max(right[0], left[1] + 0.01), left[2], left[3]])
        for ch, box in placed:
            if not box:
                continue
            cx0, cx1, ctop, cbottom = box
            middle = (ctop + cbottom) / 2
            dx, dy = unskew((cx0 + cx1) / 2, middle)
            out.append(Char(ch, cx0 + dx, max(cx1, cx0 + 0.01) + dx, middle - size / 2 + dy, middle + size / 2 + dy,
                            size, FONT, ln["score"]))
    return out


def ocr_page(data: bytes, index: int, password: str | None = None, cache_dir: Path | None = None) -> list[Char]:
    """OCR page `index` (0-based) of a PDF: its characters, in PDF points, ready for layout.
    Raises OcrUnavailable when OCR cannot run here."""
    return to_chars(page_lines(data, index, password, cache_dir))


# --- many pages, in parallel processes ----------------------------------------------------------

def make_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of `jobs` OCR processes (one thread each) to pass to parse_pdf as `ocr_pool`; make
    it once for a whole batch of files (each process loads the models once, ~1-2 s)."""
    import multiprocessing
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


def ocr_pages(data: bytes, indices: Iterable[int], password: str | None = None, cache_dir: Path | None = None,
              pool: ProcessPoolExecutor | None = None) -> dict[int, list[Char]]:
    """OCR several pages (0-based indices), in the pool's processes when one is given."""
    reader = PageReader(data, password, cache_dir, pool)
    started = [(i, reader.start_index(i)) for i in indices]
    return {i: reader.result(*job) for i, job in started}


class PageReader:
    """Pages in order with the text OCR gives where a page needs it: wraps `pdf.read_pages`.

    Yields (page, method): method is "text", "ocr", or for a page left without text "image" (a
    scan OCR could not read) or "empty". The parent renders each page and looks it up in the
    cache; with a pool, recognition runs in the pool's processes while later pages are read, and
    pages still come out in order. `problem` tells, after the run, why OCR was not used where
    it was needed (not installed, or failed), else None; `unavailable` that it is not installed."""

    def __init__(self, data: bytes, password: str | None = None, cache_dir: Path | None = None,
                 pool: ProcessPoolExecutor | None = None):
        self.data, self.password, self.cache_dir, self.pool = data, password, cache_dir, pool
        self.problem: str | None = None
        self.unavailable = False

    def __call__(self, pages: Iterable[Page]):
        from collections import deque
        pending: deque = deque()  # (page, job | None)
        # pages come out in order; a page waits only for the OCR of the pages before it, at most `ahead` deep
        ahead = 4 * (getattr(self.pool, "_max_workers", 1) if self.pool is not None else 1)
        for page in pages:
            job = None if self.unavailable or not needs_ocr(page) else self.start_index(page.number - 1)
            pending.append((page, job))
            while pending and (pending[0][1] is None or pending[0][1][1].done() or len(pending) > ahead):
                yield self.finish(*pending.popleft())
        while pending:
            yield self.finish(*pending.popleft())

    def start_index(self, index: int):
        """Start OCR of page `index`: (cache key to write the lines under, or None; future of the lines)."""
        from concurrent.futures import Future
        fut: Future = Future()
        try:
            image, scale = render(self.data, index, self.password)
            key = image_key(image)
            lines = read_cache(self.cache_dir, key)
            if lines is not None:
                fut.set_result(lines)
                return None, fut
            if self.pool is not None:
                engine()  # fail here, in one line, if OCR cannot run at all
                return key, self.pool.submit(recognise, image, scale)
            fut.set_result(recognise(image, scale))
            return key, fut
        except Exception as exc:
            fut.set_exception(exc)
            return None, fut

    def result(self, key, fut) -> list[Char]:
        lines = fut.result()
        if key is not None:
            write_cache(self.cache_dir, key, lines)
        return to_chars(lines)

    def finish(self, page: Page, job) -> tuple[Page, str]:
        if job is not None:
            try:
                chars = self.result(*job)
            except OcrUnavailable as exc:
                self.unavailable, self.problem = True, f"OCR is not available ({exc})"
            except Exception as exc:  # one page the engine cannot read: that page keeps what it had
                self.problem = self.problem or f"OCR failed on page {page.number} ({type(exc).__name__}: {exc})"
            else:
                return Page(page.number, page.width, page.height, chars, page.image_area), "ocr"
        if any(c.text.strip() for c in page.chars):
            return page, "text"
        return page, "image" if page.image_area > 0.5 else "empty"
