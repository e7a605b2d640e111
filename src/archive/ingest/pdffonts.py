"""The fonts of the fast stage-1 reader (pdfium.py): each font's name, Descent and advance widths as
pdfminer reads them, and how the glyphs of one text object are boxed (Style)."""
from __future__ import annotations

import ctypes
import re
from ctypes import byref, c_float

from .pdf import hung
from .pdfiumlib import Frame, apply, base_font_name, font_descent, glyph_width, multiply

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")  # a subset font's tag (ABCDEF+SimSun): PDFium strips it from some names only
INK_EPSILON = 0.01  # pt: a loose box this close to the ink's right edge may end at the ink, not the advance
SYMBOLIC = 4  # a FontDescriptor's Flags bit: the font's glyphs lie outside the standard Latin set
MAX_RESOURCES = 64  # resource dictionaries (the page's, its forms') looked through for a page's fonts
SIDEWAYS_SCALE = 1e-3  # a text matrix's a this small: the glyphs run up or down the page


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
        `scale` turns widths per 1 pt of size into the page's x (the text matrix's a times the size).
        A glyph set sideways (a of 0) has no extent across: its code's width is taken."""
        width = (loose_right - ox) / scale if abs(scale) > SIDEWAYS_SCALE else None
        if width is None or ink_right >= loose_right - INK_EPSILON:
            given = self.of(code)
            if given is not None and (width is None or given <= width):
                width = given
        width = width or 0.0
        self[code] = width
        return width


class Fonts:
    """Each font's name (its BaseFont, without the subset tag) and Descent (per 1 pt of size), asked
    once per font. The Descent is pdfminer's: the FontDescriptor's (made negative), read by pypdf
    (`Descents`), for PDFium gives the font file's own where a descriptor declares 0 (LibreOffice
    writes Ascent 0 and Descent 0), and pdfminer hangs every glyph box by it; PDFium's where the
    font is not found there."""

    def __init__(self, descents: "Descents | None" = None):
        self.known: dict[int, tuple[str, float]] = {}
        self.advances: dict[int, Widths] = {}
        self.buf = ctypes.create_string_buffer(256)
        self.descents = descents
        self.decodings: dict[int, dict[int, str] | None] = {}  # font → pdfminer's decoding of unmapped codes
        self.page = 0  # the page being read (0-based): where Descents looks for a font's dictionary

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
            found = self.descents.of(name, self.page) if self.descents is not None and name else None
            if found is not None:
                name, descent, self.decodings[font] = found
            else:
                d = c_float()
                descent = -abs(d.value / 1000) if font_descent(font, 1000.0, byref(d)) else 0.0
            got = self.known[font] = (name, descent)
        return got


class Descents:
    """pdfminer's name and Descent (per 1 pt of size) of the document's fonts by BaseFont (without
    the subset tag), from their dictionaries as pypdf reads them, page by page as fonts are met.
    The name is the FontDescriptor's /FontName (a Type0 font's descendant's; a producer may give
    the BaseFont another), without the subset tag; the Descent the descriptor's, made negative, a
    standard font's without one from its metrics (pdfminer.fontmetrics), 0 where a descriptor gives
    none. A Type3 font, and a symbolic TrueType font without ToUnicode (`decodes_otherwise`), are
    given the name "" (their glyphs are not placed or decoded as pdfminer does: the page is read
    by pdfminer); a font not found, or a BaseFont two fonts share that pdfminer reads
    differently, None (PDFium's name and descent stand)."""

    def __init__(self, data: bytes, password: str | None = None):
        self.data, self.password = data, password
        self.reader = None
        self.known: dict[str, tuple | None] = {}
        self.scanned: set[int] = set()

    def of(self, name: str, page: int) -> tuple[str, float, dict[int, str] | None] | None:
        if name not in self.known and page not in self.scanned:
            self.scanned.add(page)
            try:
                self.scan(page)
            except Exception:  # a font pypdf cannot read: PDFium's descent stands
                pass
        return self.known.get(name)

    def scan(self, page: int) -> None:
        from .pdf import pypdf_reader
        if self.reader is None:
            self.reader = pypdf_reader(self.data)
            if self.reader.is_encrypted:
                self.reader.decrypt(self.password or "")
        resources = [self.reader.pages[page].get("/Resources")]
        seen = 0
        while resources and seen < MAX_RESOURCES:
            res = resources.pop()
            res = res.get_object() if res is not None else None
            seen += 1
            if not hasattr(res, "get"):
                continue
            for font in (res.get("/Font") or {}).values():
                self.add(font.get_object())
            for xobject in (res.get("/XObject") or {}).values():  # forms have resources of their own
                xobject = xobject.get_object()
                if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                    resources.append(xobject["/Resources"])

    def add(self, font) -> None:
        base = SUBSET_TAG.sub("", str(font.get("/BaseFont", ""))[1:])
        found = as_pdfminer_reads(font)
        if base in self.known and self.known[base] != found:
            found = None  # two fonts of one name that pdfminer reads differently: PDFium decides
        self.known[base] = found


def as_pdfminer_reads(font) -> tuple[str, float, dict[int, str] | None]:
    """The name, Descent (per 1 pt) and fallback decoding (`decoding`) pdfminer gives a font's
    glyphs (pdfminer.pdffont.PDFFont)."""
    from pdfminer.fontmetrics import FONT_METRICS
    subtype = font.get("/Subtype")
    if subtype == "/Type3" or decodes_otherwise(font):
        return "", 0.0, None
    decode = decoding(font)
    if subtype == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        base = str(font.get("/BaseFont", ""))[1:]
        metrics = FONT_METRICS.get(base) if subtype != "/Type0" else None
        if metrics:
            return metrics[0]["FontName"], -abs(float(metrics[0].get("Descent", 0))) / 1000, decode
        return "unknown", 0.0, decode
    descriptor = descriptor.get_object()
    name = SUBSET_TAG.sub("", str(descriptor.get("/FontName", "/unknown"))[1:])
    return name, -abs(float(descriptor.get("/Descent", 0))) / 1000, decode


def decodes_otherwise(font) -> bool:
    """A symbolic TrueType font without a ToUnicode map: PDFium decodes its codes by the font
    program's own cmap, pdfminer by the encoding the dictionary names (WinAnsi gives "€" where
    PDFium's Mac Roman gives "Ä"). Neither is the text (that is why the triage reads such layers as
    garbled), but they are not the same: the page is read by pdfminer."""
    if font.get("/Subtype") != "/TrueType" or "/ToUnicode" in font:
        return False
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and bool(int(descriptor.get_object().get("/Flags", 0)) & SYMBOLIC)


def decoding(font) -> dict[int, str] | None:
    """How pdfminer decodes a code PDFium finds no Unicode for: a simple font by its encoding's
    glyph names (the base encoding with its Differences; StandardEncoding, or WinAnsi for TrueType,
    where none is named); a CID font without a ToUnicode map whose ordering is Adobe-Identity, by
    the cmap of its embedded TrueType program (a glyph's id is its code). None where pdfminer has
    no such fallback (its glyphs stay "(cid:N)")."""
    from pdfminer.encodingdb import EncodingDB
    from pdfminer.psparser import LIT
    subtype = font.get("/Subtype")
    if subtype in ("/Type1", "/MMType1", "/TrueType"):
        default = "WinAnsiEncoding" if subtype == "/TrueType" else "StandardEncoding"
        encoding = font.get("/Encoding")
        encoding = encoding.get_object() if encoding is not None else None
        if encoding is None and subtype != "/TrueType" and "/FontFile" in (font.get("/FontDescriptor") or {}):
            return None  # pdfminer reads a Type1 program's own encoding: not done here
        if hasattr(encoding, "get"):
            diff = [int(v) if isinstance(v, (int, float)) else LIT(str(v)[1:]) for v in encoding.get("/Differences", [])]
            return EncodingDB.get_encoding(str(encoding.get("/BaseEncoding", "/" + default))[1:], diff)
        return EncodingDB.get_encoding(str(encoding)[1:] if encoding is not None else default)
    if subtype != "/Type0" or "/ToUnicode" in font:
        return None
    descendant = font["/DescendantFonts"][0].get_object()
    info = descendant.get("/CIDSystemInfo") or {}
    info = info.get_object() if hasattr(info, "get_object") else info
    if f"{info.get('/Registry', '')}-{info.get('/Ordering', '')}" not in ("Adobe-Identity", "Adobe-UCS"):
        return None
    program = (descendant.get("/FontDescriptor") or {}).get("/FontFile2")
    if program is None:
        return None
    import io

    from pdfminer.pdffont import TrueTypeFont
    try:
        return dict(TrueTypeFont("", io.BytesIO(program.get_object().get_data())).create_unicode_map().cid2unichr)
    except Exception:  # no cmap, or one pdfminer cannot read: it gives "(cid:N)" too
        return None


class Style:
    """How the glyphs of one text object are boxed, as pdfminer's LTChar boxes them: (0, descent)
    to (advance, descent + size) in text space, through the glyph's matrix (its text matrix from
    its origin, then the page's); hung from the baseline as pdf.on_baseline hangs pdfminer's; then
    in pdfplumber's page space."""

    def __init__(self, text_matrix: tuple[float, float, float, float], size: float, name: str, descent: float,
                 frame: Frame, widths: Widths | None = None, decoding: dict[int, str] | None = None):
        a, b, c, d = text_matrix
        self.widths, self.size, self.decoding = widths, size, decoding
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


