"""Stage 1: open a PDF safely and read each page's characters with their coordinates.

Everything that can go wrong with a file (not a PDF, encrypted, truncated, absurdly large) is
turned into RefusedPDF with a one-line reason here, so later stages see only usable pages."""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Callable, Iterator

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ..errors import RefusedPDF
from . import limits
from .limits import MAX_PAGE_SIDE_PT

MAX_PAGES = 2000
# which reader gives stage 1 its glyphs: "pdfium" (pdfium.py: PDFium's text page, several times faster)
# or "pdfplumber" (pdfminer's layout: the reference, and what the parity check compares against)
READERS = ("pdfium", "pdfplumber")
DEFAULT_READER = "pdfium"
FAKE_BOLD_TOLERANCE = 1.5  # pt: fake bold draws each glyph twice, offset by a fraction of a point
# em: a glyph box hung further below its baseline than this has a rewritten font's descent (see
# on_baseline); it is hung by the usual descent of a CJK face's ideographic em box instead
MAX_DESCENT_EM, USUAL_DESCENT_EM = 0.5, 0.12
TABLE_MIN_EDGES = 6  # ruling lines (a rectangle counts as one) before the table finder is asked
TABLE_MIN_ROWS, TABLE_MIN_COLUMNS = 2, 2  # a bordered box of one cell or one row is no table
RULE_MAX_THICK, RULE_MIN_LENGTH = 2.5, 20.0  # pt: a horizontal rule is at most this thick, at least this long

# pdfminer logs every recoverable oddity of a damaged file; the user gets one line from us instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
logging.getLogger("pypdf").setLevel(logging.ERROR)  # "EOF marker not found" and the like: the refusal says it


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fontname: str
    confidence: float = 1.0  # how sure the text is: 1.0 from a text layer, the OCR line's score from OCR


Rect = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the top-left corner


@dataclass
class TableGrid:
    """A ruled table as the table finder sees it: its box and, row by row, each cell's box
    (None where a merged cell continues)."""
    bbox: Rect
    rows: list[list[Rect | None]]


@dataclass
class Page:
    number: int  # 1-based physical page
    width: float
    height: float
    chars: list[Char]
    image_area: float  # share of the page covered by images (0..1): a scan has ~1 and no chars
    images: list[Rect] = field(default_factory=list)  # where pictures are (a caption sits under one)
    tables: list[TableGrid] = field(default_factory=list)
    rotation: int = 0  # degrees the page's content was turned clockwise, and was straightened (OCR)
    sideways: int = 0  # glyphs set sideways or upside down (left out of `chars`: a stamp, or a turned table)
    drawn: list[Rect] = field(default_factory=list)  # lines of text drawn as outlines (drawntext.py), not in `chars`
    rules: list[Rect] = field(default_factory=list)  # horizontal rules (a table ruled only across: 三线表)
    # a photographed page read by OCR: the page's corners in the photo (top-left, top-right, bottom-right,
    # bottom-left; the file page's points); its chars, width and height are the page cut out, upright
    quad: list | None = None


def check_header(data: bytes) -> None:
    if not data:
        raise RefusedPDF("empty file", "empty")
    if b"%PDF-" not in data[:1024]:
        raise RefusedPDF("not a PDF (no %PDF- header)", "not_pdf")


def inspect(data: bytes, password: str | None = None) -> int:
    """Check the file with pypdf before the heavy parse; return its page count."""
    check_header(data)
    try:
        reader = pypdf_reader(data)
        if reader.is_encrypted:
            if reader.decrypt(password or "") == 0:
                if password:
                    raise RefusedPDF("encrypted PDF: the password given is wrong", "wrong_password")
                raise RefusedPDF("encrypted PDF: needs a password (--password)", "needs_password")
        count = len(reader.pages)
    except RefusedPDF:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        raise RefusedPDF(f"broken PDF: {first_line(exc)}", "broken", detail=first_line(exc)) from exc
    except NotImplementedError as exc:  # unsupported encryption algorithms
        raise RefusedPDF(f"unsupported PDF feature: {first_line(exc)}", "unsupported", detail=first_line(exc)) from exc
    if count == 0:
        raise RefusedPDF("PDF has no pages", "no_pages")
    if count > MAX_PAGES:
        raise RefusedPDF(f"PDF has {count} pages; the limit is {MAX_PAGES}", "too_many_pages", pages=count,
                         limit=MAX_PAGES)
    largest = limits.check(reader)  # page boxes, inflated streams and image sizes, before a reader reads a page
    _last[:] = [(data, reader, largest)]
    return count


# [(the bytes, their PdfReader, the largest stream inflated or None)] of the file read last: stage 1
# reads its fonts again through the reader inspect() made, and sizes PDFium's memory by the stream
_last: list = []


def largest_stream(data: bytes) -> int | None:
    """The largest non-image stream of `data` inflated, if inspect() measured this very file."""
    return _last[0][2] if _last and _last[0][0] is data else None


def release(data: bytes) -> None:
    """Forget what inspect() and pypdf_reader() kept of `data` (its bytes, its parsed reader) once
    the file is read: a long-running import worker would otherwise hold the last file, up to the
    size limit, until the next one came."""
    if _last and _last[0][0] is data:
        _last.clear()


def pypdf_reader(data: bytes) -> PdfReader:
    """pypdf's reader of `data`: the one inspect() made if it was this very file (the PDFium reader
    reads the fonts' dictionaries through it, pdffonts.Descents), else a new one."""
    if _last and _last[0][0] is data:
        return _last[0][1]
    reader = PdfReader(io.BytesIO(data), strict=False)
    _last[:] = [(data, reader, None)]
    return reader


def count_pages(path) -> int:
    """Pages of a file, cheaply, for a progress bar (1 for a file that cannot be read)."""
    try:
        return max(1, len(PdfReader(path, strict=False).pages))
    except Exception:
        return 1


def extract_pages(path, first: int, last: int) -> bytes:
    """Pages first..last (1-based) of a stored PDF as a PDF of their own: one issue of a bound
    volume. A file that cannot be opened without its password is given whole."""
    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        return open(path, "rb").read()
    from pypdf import PdfWriter
    writer = PdfWriter()
    for n in range(first - 1, min(last, len(reader.pages))):
        writer.add_page(reader.pages[n])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def page_reader(reader: str = DEFAULT_READER) -> Callable[..., Iterator[Page]]:
    """The read_pages of the reader named (READERS): pdfium.read_pages or this module's."""
    if reader not in READERS:
        raise ValueError(f"unknown PDF reader {reader!r}: one of {', '.join(READERS)}")
    if reader == "pdfium":
        from .pdfium import read_pages as by_pdfium
        return by_pdfium
    return read_pages


def read_pages(data: bytes, password: str | None = None) -> Iterator[Page]:
    """Yield each page's characters (fake-bold duplicates removed) and image coverage, by pdfminer's
    layout through pdfplumber (the reference reader). pdfplumber is imported here, when it is asked
    for: the PDFium reader does without it on most files."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
    except PDFPasswordIncorrect as exc:
        raise RefusedPDF("encrypted PDF: needs a password (--password)", "needs_password") from exc
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises many types on damaged files
        raise RefusedPDF(f"broken PDF: {first_line(exc)}", "broken", detail=first_line(exc)) from exc
    with pdf:
        for page in pdf.pages:
            try:
                yield read_page(page)
            except RefusedPDF:
                raise
            except RecursionError as exc:
                raise RefusedPDF(f"page {page.page_number}: object nesting too deep", "nesting",
                                 page=page.page_number) from exc
            except Exception as exc:  # a damaged content stream: refuse the file, say which page
                raise RefusedPDF(f"broken PDF on page {page.page_number}: {first_line(exc)}", "broken_page",
                                 page=page.page_number, detail=first_line(exc)) from exc
            finally:
                page.close()  # drop pdfplumber's per-page caches: memory stays flat on long files


def dedupe(chars: list[dict], tol: float = FAKE_BOLD_TOLERANCE) -> list[dict]:
    """Drop glyphs drawn again on top of themselves (fake bold, shadowed titles): a glyph whose
    text matches a kept glyph less than `tol` points away. pdfplumber's dedupe_chars keeps some
    of these where a producer draws each glyph four times at small offsets. The kept glyphs are
    filed in cells 2·tol wide: a kept glyph within tol lies in the glyph's own cell or in the
    neighbour nearer to it, across and down (four cells to look in)."""
    kept: list[dict] = []
    grid: dict[str, dict[tuple[int, int], list[dict]]] = {}  # text → cell → kept glyphs
    cell = 2 * tol
    for c in chars:
        text, x0, top = c["text"], c["x0"], c["top"]
        fx, fy = x0 / cell, top / cell
        gx, gy = int(fx // 1), int(fy // 1)
        cells = grid.setdefault(text, {})  # empty for the first glyph of its text (most are)
        if cells and text.strip() and twice_drawn(cells, c, fx - gx, fy - gy, gx, gy, tol):
            continue
        cells.setdefault((gx, gy), []).append(c)
        kept.append(c)
    return kept


def twice_drawn(cells: dict, c: dict, dx: float, dy: float, gx: int, gy: int, tol: float) -> bool:
    """Whether a kept glyph of c's text, filed in `cells`, lies within tol of c (dedupe)."""
    x0, top = c["x0"], c["top"]
    nx = gx - 1 if dx < 0.5 else gx + 1
    ny = gy - 1 if dy < 0.5 else gy + 1
    for key in ((gx, gy), (nx, gy), (gx, ny), (nx, ny)):
        for k in cells.get(key, ()):
            if abs(k["x0"] - x0) <= tol and abs(k["top"] - top) <= tol:
                return True
    return False


def layout_objects(page) -> tuple[list[dict], list[dict], int, list[Rect], list[Rect]]:
    """The page's glyphs and images with pdfplumber's coordinates (top-left origin, MediaBox
    offsets applied), read straight from pdfminer's layout. pdfplumber's own `page.chars` converts
    every attribute of every object (colours, matrices, graphic state) first, and that conversion
    was a third of the import's time; the coordinates here are the same as page.chars gives
    (tests/test_pdf.py compares them). The count of ruling lines and rectangles comes third: it
    says whether the (slower) table finder is worth asking; the boxes of the filled paths come
    fourth (glyphs drawn as outlines are such paths: drawntext.py looks for lines of them), the
    horizontal rules fifth."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    height = float(page.height)
    glyphs: list[dict] = []
    images: list[dict] = []
    edges = 0
    filled: list[Rect] = []
    rules: list[Rect] = []
    stack = [iter(page.layout._objs)]
    while stack:
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
        elif isinstance(obj, LTChar):
            font = obj.fontname
            y0, y1 = on_baseline(obj)
            glyphs.append({"text": obj.get_text(), "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0,
                           "top": height - y1 + mb_top, "bottom": height - y0 + mb_top, "size": obj.size,
                           "fontname": font.decode("latin-1") if isinstance(font, bytes) else font,
                           "upright": obj.upright})
        elif isinstance(obj, LTImage):
            images.append({"x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0, "top": height - obj.y1 + mb_top,
                           "bottom": height - obj.y0 + mb_top})
        elif isinstance(obj, LTCurve):  # lines and rectangles (LTLine, LTRect) too
            edges += 1
            if obj.fill:
                filled.append((obj.x0 + mb_x0, height - obj.y1 + mb_top, obj.x1 + mb_x0, height - obj.y0 + mb_top))
            if obj.y1 - obj.y0 <= RULE_MAX_THICK and obj.x1 - obj.x0 >= RULE_MIN_LENGTH:
                rules.append((obj.x0 + mb_x0, height - obj.y1 + mb_top, obj.x1 + mb_x0, height - obj.y0 + mb_top))
        elif isinstance(obj, LTContainer):  # figures (form XObjects) hold glyphs and images too
            stack.append(iter(obj._objs))
    return glyphs, images, edges, filled, rules


def on_baseline(char) -> tuple[float, float]:
    """A glyph's (y0, y1) in pdfminer's bottom-up space. pdfminer hangs an upright glyph's box from its
    baseline by the font descriptor's Descent; a rewritten font may declare its whole FontBBox's
    descent there (Ghostscript's pdfwrite gives Noto CJK's -1.05 em), which drops the box a whole em
    below the glyph drawn, off the line it is printed on. Such a box is hung by the usual descent."""
    return hung(char.y0, char.y1, char.matrix)


def hung(y0: float, y1: float, matrix) -> tuple[float, float]:
    """on_baseline for a box (y0, y1) and the glyph's matrix (a, b, c, d, e, f) in pdfminer's page space."""
    a, b, c, d, _, f = matrix
    if b or c or a <= 0 or d <= 0:
        return y0, y1  # turned or mirrored: left as pdfminer places it
    if f - y0 > MAX_DESCENT_EM * (y1 - y0):
        low = f - USUAL_DESCENT_EM * (y1 - y0)
        return low, low + (y1 - y0)
    return y0, y1


def read_page(page) -> Page:
    check_size(page.page_number, float(page.width), float(page.height))
    glyphs, images, edges, filled, rules = layout_objects(page)
    return assemble_page(page.page_number, float(page.width), float(page.height), glyphs, images, edges, filled,
                         rules, lambda drawn: page_tables(page, drawn))


def check_size(number: int, width: float, height: float) -> None:
    if width <= 0 or height <= 0 or max(width, height) > MAX_PAGE_SIDE_PT:
        raise RefusedPDF(f"page {number} has an impossible size {width:.0f}x{height:.0f} pt", "page_size",
                         page=number, width=round(width), height=round(height))


def assemble_page(number: int, width: float, height: float, glyphs: list[dict], images: list[dict], edges: int,
                  filled: list[Rect], rules: list[Rect], tables: Callable[[bool], list[TableGrid]]) -> Page:
    """The Page from what a reader found on it (layout_objects, or pdfium.read_objects): glyphs
    drawn twice dropped, sideways ones counted and left out, image coverage, lines of text drawn as
    outlines, and the ruled tables (`tables(drawn)`, asked only where the page has ruling lines)."""
    from .drawntext import drawn_lines
    chars, sideways = [], 0
    for c in dedupe(glyphs):
        if not c.get("upright", True) and c["text"].strip():
            sideways += 1  # a stamp or watermark; or a table turned on its side (read by OCR, straightened)
            continue
        if c["x1"] <= c["x0"] and c["text"].strip():
            continue  # zero-width text
        if c["bottom"] < 0 or c["top"] > height or c["x1"] < 0 or c["x0"] > width:
            continue  # outside the visible page
        chars.append(Char(c["text"], float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]),
                          float(c.get("size") or (c["bottom"] - c["top"])), c.get("fontname", "")))
    area = 0.0
    for im in images:
        w = max(0.0, min(im["x1"], width) - max(im["x0"], 0.0))
        h = max(0.0, min(im["bottom"], height) - max(im["top"], 0.0))
        area += w * h
    boxes = [(im["x0"], im["top"], im["x1"], im["bottom"]) for im in images]
    drawn = drawn_lines(filled, chars) if len(filled) >= TABLE_MIN_EDGES else []
    grids = tables(bool(drawn)) if edges >= TABLE_MIN_EDGES else []
    return Page(number, width, height, chars, min(1.0, area / (width * height)), boxes, grids,
                sideways=sideways, drawn=drawn, rules=rules)


def page_tables(page, drawn: bool) -> list[TableGrid]:
    """The ruled tables of a pdfplumber page; on a page with text drawn as outlines (`drawn`), found
    without the glyphs' paths. Both readers ask it (pdfium.Reference for PDFium's pages)."""
    return find_tables(without_glyph_paths(page) if drawn else page)


def without_glyph_paths(page):
    """The page without its glyph-sized filled paths (drawntext.is_glyph_sized), for the table
    finder on a page that draws its text as outlines: a glyph's outline is no table's rule, and
    a short cell's text is no drawn line of its own. Rules (thin) and cell shading (large) stay."""
    from .drawntext import is_glyph_sized

    def keep(obj) -> bool:
        if obj.get("object_type") not in ("curve", "rect", "line") or not obj.get("fill"):
            return True
        return not is_glyph_sized((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
    return page.filter(keep)


def find_tables(page) -> list[TableGrid]:
    """Ruled tables, by pdfplumber's table finder (its default: cells from the page's lines and
    rectangles)."""
    grids = []
    for table in page.find_tables():
        rows = [[tuple(map(float, c)) if c else None for c in row.cells] for row in table.rows]
        if len(rows) >= TABLE_MIN_ROWS and max(len(r) for r in rows) >= TABLE_MIN_COLUMNS:
            grids.append(TableGrid(tuple(map(float, table.bbox)), rows))
    return grids
