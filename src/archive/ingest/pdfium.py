"""Stage 1, the fast reader: a page's glyphs, pictures and paths from PDFium (pypdfium2's raw API)
in the form `pdf.layout_objects` reads them from pdfminer's layout, with pdfplumber's coordinates.

pdfminer laying a page out was about half of an import's time; PDFium's text page gives the same
glyphs several times faster. Each glyph's box is placed as pdfminer places it (pdfminer.layout.LTChar):
from its origin on the baseline, its advance wide, one font size tall, hung from the baseline by the
font's Descent, through the glyph's matrix; then as pdfplumber gives it (top-left origin, the
MediaBox's offsets, the page's /Rotate). Paths are split into subpaths and boxed by their on-curve
points, images by their unit square, as pdfminer does, so the count of ruling lines, the filled
paths (drawntext.py) and the rules are the same. What PDFium does otherwise, and how it is undone:
  - it adds spaces and line breaks that are not in the PDF (FPDFText_IsGenerated): left out;
  - a glyph without a Unicode mapping comes as its character code, flagged
    (FPDFText_HasUnicodeMapError): written "(cid:N)" as pdfminer writes it, so the text-layer
    triage (textlayer.is_bad_char) judges the layer as before;
  - a glyph that maps to several characters (a ligature: "fi") comes as several entries at one
    origin: joined again into one glyph;
  - font names come without the subset tag (ABCDEF+SimSun → SimSun): the layout strips it anyway
    (layout.dominant_font).
Only the reader's coordinates are computed here; pdf.assemble_page makes the Page from them, as
for the pdfminer reader (parity: tests/test_reader_parity.py, scripts/eval/reader_parity.py)."""
from __future__ import annotations

import ctypes
import re
from ctypes import POINTER, byref, c_double, c_float, c_int, c_void_p
from typing import Iterator

import pypdfium2  # noqa: F401  (initialises the library)
import pypdfium2.raw as raw
import pypdfium2_raw.bindings as _bindings

from ..chars import SOFT_HYPHEN
from ..errors import RefusedPDF
from .pdf import RULE_MAX_THICK, RULE_MIN_LENGTH, Page, Rect, assemble_page, check_size, first_line, hung

_LIB = _bindings._libs["pdfium"]


def _proto(name: str, restype, *argtypes):
    """A PDFium function with plain ctypes types (handles as ints): several times cheaper to call
    per glyph than pypdfium2's typed pointers."""
    fn = getattr(_LIB, name)
    func = ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, c_void_p).value)
    return func


_pd, _pf = POINTER(c_double), POINTER(c_float)
count_chars = _proto("FPDFText_CountChars", c_int, c_void_p)
is_generated = _proto("FPDFText_IsGenerated", c_int, c_void_p, c_int)
text_object = _proto("FPDFText_GetTextObject", c_void_p, c_void_p, c_int)
unicode_of = _proto("FPDFText_GetUnicode", ctypes.c_uint, c_void_p, c_int)
map_error = _proto("FPDFText_HasUnicodeMapError", c_int, c_void_p, c_int)
char_origin = _proto("FPDFText_GetCharOrigin", c_int, c_void_p, c_int, _pd, _pd)
loose_box = _proto("FPDFText_GetLooseCharBox", c_int, c_void_p, c_int, POINTER(raw.FS_RECTF))
is_hyphen = _proto("FPDFText_IsHyphen", c_int, c_void_p, c_int)
char_box = _proto("FPDFText_GetCharBox", c_int, c_void_p, c_int, _pd, _pd, _pd, _pd)
char_matrix = _proto("FPDFText_GetMatrix", c_int, c_void_p, c_int, POINTER(raw.FS_MATRIX))
font_size = _proto("FPDFText_GetFontSize", c_double, c_void_p, c_int)
obj_font = _proto("FPDFTextObj_GetFont", c_void_p, c_void_p)
base_font_name = _proto("FPDFFont_GetBaseFontName", ctypes.c_size_t, c_void_p, ctypes.c_char_p, ctypes.c_size_t)
font_descent = _proto("FPDFFont_GetDescent", c_int, c_void_p, c_float, _pf)
count_objects = _proto("FPDFPage_CountObjects", c_int, c_void_p)
page_object = _proto("FPDFPage_GetObject", c_void_p, c_void_p, c_int)
form_count = _proto("FPDFFormObj_CountObjects", c_int, c_void_p)
form_object = _proto("FPDFFormObj_GetObject", c_void_p, c_void_p, ctypes.c_ulong)
object_type = _proto("FPDFPageObj_GetType", c_int, c_void_p)
glyph_width = _proto("FPDFFont_GetGlyphWidth", c_int, c_void_p, ctypes.c_uint, c_float, _pf)
object_bounds = _proto("FPDFPageObj_GetBounds", c_int, c_void_p, _pf, _pf, _pf, _pf)
text_size = _proto("FPDFTextObj_GetFontSize", c_int, c_void_p, _pf)
object_matrix = _proto("FPDFPageObj_GetMatrix", c_int, c_void_p, POINTER(raw.FS_MATRIX))
draw_mode = _proto("FPDFPath_GetDrawMode", c_int, c_void_p, POINTER(c_int), POINTER(c_int))
segment_count = _proto("FPDFPath_CountSegments", c_int, c_void_p)
path_segment = _proto("FPDFPath_GetPathSegment", c_void_p, c_void_p, c_int)
segment_point = _proto("FPDFPathSegment_GetPoint", c_int, c_void_p, _pf, _pf)
segment_type = _proto("FPDFPathSegment_GetType", c_int, c_void_p)

Matrix = tuple[float, float, float, float, float, float]
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")  # a subset font's tag (ABCDEF+SimSun): PDFium strips it from some names only
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
HYPHEN_MARK, HYPHEN = 0x2, ord("-")  # PDFium gives a hyphen at a line's end as U+0002 (FPDFText_IsHyphen)
INK_EPSILON = 0.01  # pt: a loose box this close to the ink's right edge may end at the ink, not the advance
ZERO_WIDTH = 0.01  # pt: PDFium's text page passes over a text object narrower than this (kSizeEpsilon)
SPACE, IDEOGRAPHIC_SPACE = 0x20, 0x3000
DEFAULT_SPACE_EM = 0.25  # a space's width where the font gives none
MAX_SPACE_RUN_EM = 1.0  # a run of spaces ends at most this many ems on (else the next text was moved on: unknown)
MAX_FORM_DEPTH = 32  # form XObjects nested deeper than this are refused (pdfminer's RecursionError, as before)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector order, as pdfminer.utils.mult_matrix)."""
    a, b, c, d, e, f = m
    a1, b1, c1, d1, e1, f1 = n
    return (a * a1 + b * c1, a * b1 + b * d1, c * a1 + d * c1, c * b1 + d * d1,
            e * a1 + f * c1 + e1, e * b1 + f * d1 + f1)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def bound(points) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


class Frame:
    """User space → pdfplumber's page space: pdfminer's page matrix (the MediaBox's corner to the
    origin, the /Rotate applied) and then pdfplumber's flip to a top-left origin with its
    MediaBox offsets (pdf.layout_objects), as one map."""

    def __init__(self, mediabox: tuple[float, float, float, float], rotate: int):
        x0, y0, x1, y1 = mediabox
        ctm = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
               270: (0, 1, -1, 0, y1, -x0)}.get(rotate, (1, 0, 0, 1, -x0, -y0))
        lo_x, hi_x = sorted((x0, x1))
        lo_y, hi_y = sorted((y0, y1))
        if rotate in (90, 270):
            lo_x, lo_y, hi_x, hi_y = lo_y, lo_x, hi_y, hi_x
        self.width, self.height = hi_x - lo_x, hi_y - lo_y
        self.ctm = tuple(map(float, ctm))
        self.dx, self.top = lo_x, -lo_y  # pdfplumber's mediabox[0], mediabox[1] (pdf.layout_objects)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> Rect:
        """A box in pdfminer's page space (bottom-up) as pdfplumber's (x0, top, x1, bottom)."""
        return x0 + self.dx, self.height - y1 + self.top, x1 + self.dx, self.height - y0 + self.top


def open_document(data: bytes, password: str | None):
    """PDFium's document over `data` (kept alive with it), or RefusedPDF as the pdfminer reader
    refuses the file."""
    buf = ctypes.create_string_buffer(data, len(data))
    doc = raw.FPDF_LoadMemDocument64(buf, len(data), (password or "").encode("utf-8") or None)
    if not doc:
        err = raw.FPDF_GetLastError()
        if err == raw.FPDF_ERR_PASSWORD:
            raise RefusedPDF("encrypted PDF: needs a password (--password)", "needs_password")
        reason = {raw.FPDF_ERR_FILE: "cannot be read", raw.FPDF_ERR_FORMAT: "not in PDF format or damaged",
                  raw.FPDF_ERR_SECURITY: "unsupported security scheme", raw.FPDF_ERR_PAGE: "page not found"}
        detail = reason.get(err, "unknown error")
        raise RefusedPDF(f"broken PDF: {detail}", "broken", detail=detail)
    return doc, buf


def page_frame(page, rotate: int) -> Frame:
    """The page's MediaBox (its own, or inherited: PDFium's page box is the inherited MediaBox cut
    by the CropBox, the same where no CropBox is given) and /Rotate as pdfplumber takes them."""
    l, b, r, t = c_float(), c_float(), c_float(), c_float()
    if raw.FPDFPage_GetMediaBox(page, l, b, r, t):
        return Frame((l.value, b.value, r.value, t.value), rotate)
    rect = raw.FS_RECTF()
    raw.FPDF_GetPageBoundingBox(page, rect)
    return Frame((rect.left, rect.bottom, rect.right, rect.top), rotate)


class Widths(dict):
    """A font's advance widths (per 1 pt of size, in text space) by character, found at the
    character's first glyph: PDFium's loose box is the union of the glyph's advance box and its
    ink, so where it reaches past the ink its right edge is where the advance ends; where the ink
    reaches past the advance (or to it), the width the PDF gives the character's code is taken
    (FPDFFont_GetGlyphWidth finds the code from the character), if it lies within the ink."""

    def __init__(self, font: int | None):
        super().__init__()
        self.font = font
        self.out = c_float()

    def of(self, code: int) -> float | None:
        """The width the PDF gives the character (None if the font has no code for it)."""
        if not self.font or not glyph_width(self.font, code, 1000.0, byref(self.out)) or self.out.value <= 0:
            return None
        return self.out.value / 1000

    def find(self, code: int, loose_right: float, ink_right: float, ox: float, scale: float) -> float:
        """The width of `code` from a glyph at origin x `ox` whose loose box and ink end where given;
        `scale` turns widths per 1 pt of size into the page's x (the text matrix's a times the size)."""
        width = (loose_right - ox) / scale if scale else 0.0
        if ink_right >= loose_right - INK_EPSILON and self.font \
                and glyph_width(self.font, code, 1000.0, byref(self.out)) and 0 <= self.out.value / 1000 <= width:
            width = self.out.value / 1000
        self[code] = width
        return width


class Fonts:
    """Each font's name (its BaseFont, without the subset tag) and Descent (per 1 pt of size, as
    pdfminer reads it: made negative), asked of PDFium once per font."""

    def __init__(self):
        self.known: dict[int, tuple[str, float]] = {}
        self.advances: dict[int, Widths] = {}
        self.buf = ctypes.create_string_buffer(256)

    def widths(self, font: int | None) -> "Widths":
        got = self.advances.get(font or 0)
        if got is None:
            got = self.advances[font or 0] = Widths(font)
        return got

    def __call__(self, font: int | None) -> tuple[str, float]:
        if not font:
            return "", 0.0
        got = self.known.get(font)
        if got is None:
            n = base_font_name(font, self.buf, 256)
            name = SUBSET_TAG.sub("", self.buf.value.decode("latin-1")) if n else ""
            d = c_float()
            descent = d.value / 1000 if font_descent(font, 1000.0, byref(d)) else 0.0
            got = self.known[font] = (name, -abs(descent))
        return got


def read_glyphs(textpage, frame: Frame, fonts: Fonts) -> tuple[list[dict], bool, set[int]]:
    """The page's glyphs as pdf.layout_objects gives them (text, box, size, font name, upright), and
    whether they are as pdfminer reads them: not where a font has no name here (a Type3 font: pdfminer
    reads its FontDescriptor's name and FontBBox, which PDFium does not give) or sets its glyphs
    top to bottom (vertical writing: pdfminer boxes those by the font's vertical metrics)."""
    tp = ctypes.cast(textpage, c_void_p).value
    x, y, right, other = c_double(), c_double(), c_double(), c_double()
    rect, m = raw.FS_RECTF(), raw.FS_MATRIX()
    px, py, pright, pother, prect, pm = byref(x), byref(y), byref(right), byref(other), byref(rect), byref(m)
    styles: dict[int, Style] = {}  # text object → how its glyphs are placed
    raw_glyphs: list[list] = []  # [text, object, origin x, origin y, advance in text space]
    faithful = True
    for i in range(count_chars(tp)):
        if is_generated(tp, i):
            continue
        obj = text_object(tp, i)
        if not obj:
            continue
        char_origin(tp, i, px, py)
        ox, oy = x.value, y.value
        code = unicode_of(tp, i)
        if code == HYPHEN_MARK and is_hyphen(tp, i):
            code = HYPHEN  # a hyphen that ends a line, which PDFium marks so (undone below if it is a soft one)
        text = f"(cid:{code})" if map_error(tp, i) else chr(code) if 0 < code < 0x110000 else "\ufffd"
        last = raw_glyphs[-1] if raw_glyphs else None
        if last is not None and last[1] == obj and last[2] == ox and last[3] == oy:
            last[0] += text  # one glyph that maps to several characters (a ligature)
            continue
        if obj not in styles:
            char_matrix(tp, i, pm)
            name, descent = fonts(obj_font(obj))
            styles[obj] = Style((m.a, m.b, m.c, m.d), font_size(tp, i), name, descent, frame, fonts.widths(obj_font(obj)))
            faithful = faithful and bool(name)
        elif last is not None and last[1] == obj and abs(oy - last[3]) > abs(ox - last[2]) and styles[obj].upright_text:
            faithful = False  # an upright glyph set below the one before it: vertical writing
        style = styles[obj]
        width = style.widths.get(code) if style.widths is not None and not text.startswith("(cid:") else None
        if width is None:
            loose_box(tp, i, prect)
            char_box(tp, i, pother, pright, pother, pother)
            scale = style.a * style.size
            if style.widths is not None and not text.startswith("(cid:"):
                width = style.widths.find(code, rect.right, right.value, ox, scale)
            else:
                width = (rect.right - ox) / scale if scale else 0.0
        width *= style.size
        raw_glyphs.append([text, obj, ox, oy, width])
    glyphs = []
    for text, obj, ox, oy, width in raw_glyphs:
        if text == "-" and width <= 0:
            text = SOFT_HYPHEN  # no width: a soft hyphen's break point (PDFium gives both as one mark)
        glyphs.append(styles[obj].glyph(text, ox, oy, width))
    return glyphs, faithful, set(styles)


def lost_spaces(texts: list, read: set[int], fonts: Fonts, frame: Frame) -> list[dict]:
    """Space glyphs PDFium's text page leaves out: it passes over a text object that draws no ink
    (a run of spaces set with its own Tj, as producers do between runs of two fonts or subsets, or
    at a line's end), where pdfminer gives each space its box. Such a run is given as one glyph,
    a space or an ideographic space (whichever of the font's widths measures the run in whole
    glyphs), from its origin to where the next text object starts on its baseline; where no text
    follows on its line, one space of the font's width (what the layout reads of spaces: that one
    is there, and the gap it covers)."""
    m, size = raw.FS_MATRIX(), c_float()
    l, b, r, t = c_float(), c_float(), c_float(), c_float()
    spaces = []
    for k, (obj, forms) in enumerate(texts):
        if obj in read:
            continue
        if not object_bounds(obj, byref(l), byref(b), byref(r), byref(t)) or r.value - l.value >= ZERO_WIDTH:
            continue  # not passed over for want of ink (PDFium's own duplicate check, or marked content)
        object_matrix(obj, byref(m))
        text_size(obj, byref(size))
        a, bb, c, d = multiply((m.a, m.b, m.c, m.d, 0, 0), forms)[:4]
        ox, oy = apply(forms, m.e, m.f)
        widths = fonts.widths(obj_font(obj))
        scale = a * size.value  # the page's x per unit of width
        run = None
        if k + 1 < len(texts) and scale > 0:
            nxt, nxt_forms = texts[k + 1]
            object_matrix(nxt, byref(m))
            nx, ny = apply(nxt_forms, m.e, m.f)
            if abs(ny - oy) <= ZERO_WIDTH and 0 < nx - ox <= MAX_SPACE_RUN_EM * scale:
                run = (nx - ox) / scale
        text, width = space_for(run, widths)
        name, descent = fonts(obj_font(obj))
        spaces.append(Style((a, bb, c, d), size.value, name, descent, frame).glyph(text, ox, oy, width * size.value))
    return spaces


def space_for(run: float | None, widths: "Widths") -> tuple[str, float]:
    """The space (" " or U+3000) a run of `run` units (None: unknown) is made of, and its width."""
    space = widths.of(SPACE) or DEFAULT_SPACE_EM
    if run is None:
        return " ", space
    ideographic = widths.of(IDEOGRAPHIC_SPACE)
    if ideographic and ideographic > space * 1.5 and off_whole(run, ideographic) < off_whole(run, space):
        return "\u3000", run
    return " ", run


def off_whole(run: float, width: float) -> float:
    """How far `run` is from a whole number (at least one) of `width`s, in widths."""
    n = max(1.0, round(run / width))
    return abs(run / width - n)


class Style:
    """How the glyphs of one text object are boxed, as pdfminer's LTChar boxes them: (0, descent)
    to (advance, descent + size) in text space, through the glyph's matrix (its text matrix from
    its origin, then the page's); hung from the baseline as pdf.on_baseline hangs pdfminer's; then
    in pdfplumber's page space."""

    def __init__(self, text_matrix: tuple[float, float, float, float], size: float, name: str, descent: float,
                 frame: Frame, widths: Widths | None = None):
        a, b, c, d = text_matrix
        self.widths, self.size = widths, size
        self.a, self.frame, self.name = a, frame, name
        self.upright_text = a * d > 0 and not b and not c  # upright in the page's own space
        self.m = multiply((a, b, c, d, 0.0, 0.0), frame.ctm)[:4]  # ... and on the page as shown
        ma, mb, mc, md = self.m
        self.upright = ma * md > 0 and mb * mc <= 0
        self.plain = not mb and not mc and ma > 0 and md > 0
        self.lo, self.hi = descent * size, (descent + 1) * size

    def glyph(self, text: str, ox: float, oy: float, adv: float) -> dict:
        frame = self.frame
        ma, mb, mc, md = self.m
        me, mf = apply(frame.ctm, ox, oy)
        if self.plain:
            x0, x1, y0, y1 = me, me + ma * adv, mf + md * self.lo, mf + md * self.hi
        else:
            lo, hi = self.lo, self.hi
            xs = (mc * lo + me, mc * hi + me, ma * adv + mc * lo + me, ma * adv + mc * hi + me)
            ys = (md * lo + mf, md * hi + mf, mb * adv + md * lo + mf, mb * adv + md * hi + mf)
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        size = y1 - y0  # pdfminer's size: the box's height
        y0, y1 = hung(y0, y1, (ma, mb, mc, md, me, mf))
        return {"text": text, "x0": x0 + frame.dx, "x1": x1 + frame.dx, "top": frame.height - y1 + frame.top,
                "bottom": frame.height - y0 + frame.top, "size": size, "fontname": self.name,
                "upright": self.upright}


def read_objects(page, frame: Frame, texts: list | None = None) -> tuple[list[dict], int, list[Rect], list[Rect]]:
    """The page's images (boxes), its count of paths (each subpath one, as pdfminer counts ruling
    lines and rectangles), the boxes of its filled paths and its horizontal rules, from its page
    objects and those inside its form XObjects, as pdf.layout_objects reads them. Its text objects
    are listed in `texts` in content order, each with the matrix of the forms it is in."""
    images: list[dict] = []
    edges = 0
    filled: list[Rect] = []
    rules: list[Rect] = []
    m = raw.FS_MATRIX()
    handle = ctypes.cast(page, c_void_p).value
    stack = [(handle, count_objects(handle), page_object, IDENTITY, 0)]  # ..., the forms' matrix, depth
    index = [0]
    while stack:
        holder, count, get, forms, depth = stack[-1]
        if index[-1] >= count:
            stack.pop()
            index.pop()
            continue
        obj = get(holder, index[-1])
        index[-1] += 1
        if not obj:
            continue
        kind = object_type(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            if texts is not None:
                texts.append((obj, forms))
            continue
        if kind not in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        object_matrix(obj, byref(m))
        own = multiply((m.a, m.b, m.c, m.d, m.e, m.f), forms)
        total = multiply(own, frame.ctm)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            if depth >= MAX_FORM_DEPTH:
                raise RecursionError("form XObjects nested too deep")
            stack.append((obj, form_count(obj), form_object, own, depth + 1))
            index.append(0)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            x0, y0, x1, y1 = bound([apply(total, px, py) for px, py in ((0, 0), (0, 1), (1, 0), (1, 1))])
            x0, top, x1, bottom = frame.box(x0, y0, x1, y1)
            images.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom})
        else:
            fill = c_int()
            draw_mode(obj, byref(fill), byref(c_int()))
            for x0, y0, x1, y1 in subpath_boxes(obj, total):
                edges += 1
                box = frame.box(x0, y0, x1, y1)
                if fill.value:
                    filled.append(box)
                if y1 - y0 <= RULE_MAX_THICK and x1 - x0 >= RULE_MIN_LENGTH:
                    rules.append(box)
    return images, edges, filled, rules


def subpath_boxes(path: int, matrix: Matrix) -> list[tuple[float, float, float, float]]:
    """Each subpath's box in pdfminer's page space, by its on-curve points (a Bézier's control
    points left out, as pdfminer leaves them out); a lone move in a path of several is no subpath."""
    x, y = c_float(), c_float()
    subpaths: list[list[tuple[float, float]]] = []
    curve = 0  # Bézier points seen in a row: each third one is on the curve
    for i in range(segment_count(path)):
        seg = path_segment(path, i)
        kind = segment_type(seg)
        segment_point(seg, byref(x), byref(y))
        if kind == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([])
            curve = 0
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            curve += 1
            if curve % 3:
                continue
        else:
            curve = 0
        subpaths[-1].append(apply(matrix, x.value, y.value))
    if len(subpaths) > 1:
        subpaths = [pts for pts in subpaths if len(pts) > 1]
    return [bound(pts) for pts in subpaths if pts]


class Reference:
    """The pdfminer reader (pdfplumber) beside PDFium, for what it alone gives: the table finder on
    pages with ruling lines, and whole pages whose glyphs PDFium cannot give as pdfminer reads them
    (read_glyphs). The file is opened with pdfplumber the first time it is asked, and kept open."""

    def __init__(self, data: bytes, password: str | None):
        self.data, self.password, self.pdf = data, password, None
        self.pages_read = 0  # pages read by pdfminer (for the parity check and the profile)

    def page(self, number: int):
        import io

        import pdfplumber
        if self.pdf is None:
            self.pdf = pdfplumber.open(io.BytesIO(self.data), password=self.password or "")
        return self.pdf.pages[number - 1]

    def tables(self, number: int, drawn: bool) -> list:
        from .pdf import find_tables, without_glyph_paths
        page = self.page(number)
        try:
            return find_tables(without_glyph_paths(page) if drawn else page)
        finally:
            page.close()

    def read(self, number: int) -> Page:
        from .pdf import read_page
        page = self.page(number)
        self.pages_read += 1
        try:
            return read_page(page)
        finally:
            page.close()

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def read_pages(data: bytes, password: str | None = None, reference: Reference | None = None) -> Iterator[Page]:
    """pdf.read_pages by PDFium: each page's glyphs (fake-bold duplicates removed), pictures,
    paths and ruled tables, the same Page the pdfminer reader gives."""
    doc, buf = open_document(data, password)
    reference = reference or Reference(data, password)
    fonts = Fonts()
    try:
        for index in range(raw.FPDF_GetPageCount(doc)):
            number = index + 1
            try:
                page = read_page(doc, index, reference, fonts)
            except RefusedPDF:
                raise
            except RecursionError as exc:
                raise RefusedPDF(f"page {number}: object nesting too deep", "nesting", page=number) from exc
            except Exception as exc:  # as the pdfminer reader: refuse the file, say which page
                raise RefusedPDF(f"broken PDF on page {number}: {first_line(exc)}", "broken_page",
                                 page=number, detail=first_line(exc)) from exc
            yield page
    finally:
        reference.close()
        raw.FPDF_CloseDocument(doc)
        del buf


def read_page(doc, index: int, reference: Reference, fonts: Fonts) -> Page:
    number = index + 1
    page = raw.FPDF_LoadPage(doc, index)
    if not page:
        raise ValueError("PDFium cannot load the page")
    try:
        frame = page_frame(page, raw.FPDFPage_GetRotation(page) * 90)
        check_size(number, frame.width, frame.height)
        textpage = raw.FPDFText_LoadPage(page)
        if not textpage:
            raise ValueError("PDFium cannot read the page's text")
        try:
            glyphs, faithful, read = read_glyphs(textpage, frame, fonts)
        finally:
            raw.FPDFText_ClosePage(textpage)
        if not faithful:
            return reference.read(number)
        texts: list = []
        images, edges, filled, rules = read_objects(page, frame, texts)
        glyphs += lost_spaces(texts, read, fonts, frame)
    finally:
        raw.FPDF_ClosePage(page)
    return assemble_page(number, frame.width, frame.height, glyphs, images, edges, filled, rules,
                         lambda drawn: reference.tables(number, drawn))
