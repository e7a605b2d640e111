"""PDFium (pypdfium2's raw API) for the fast stage-1 reader (pdfium.py): its functions as plain ctypes
calls, handles as ints (several times cheaper to call per glyph than pypdfium2's typed pointers);
the matrices, and the map from a page's user space to pdfplumber's page space; opening a document."""
from __future__ import annotations

import ctypes
from ctypes import POINTER, c_double, c_float, c_int, c_void_p

import pypdfium2  # noqa: F401  (initialises the library)
import pypdfium2.raw as raw
import pypdfium2_raw.bindings as _bindings

from ..errors import RefusedPDF
from .pdf import Rect

_LIB = _bindings._libs["pdfium"]


def _proto(name: str, restype, *argtypes):
    """A PDFium function with plain ctypes types."""
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
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


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


