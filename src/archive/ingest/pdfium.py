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
from ctypes import byref, c_double, c_float, c_int, c_void_p
from typing import Iterator

import pypdfium2.raw as raw

from ..chars import SOFT_HYPHEN
from ..errors import RefusedPDF
from .pdf import RULE_MAX_THICK, RULE_MIN_LENGTH, Page, Rect, assemble_page, check_size, first_line
from .pdffonts import SIDEWAYS_SCALE, Descents, Fonts, Style
from .pdfiumlib import (IDENTITY, Frame, Matrix, apply, bound, char_box, char_matrix, char_origin, count_chars,
                        count_objects, draw_mode, font_size, form_count, form_object, is_generated, is_hyphen,
                        loose_box, map_error, multiply, obj_font, object_bounds, object_matrix, object_type,
                        open_document, page_frame, page_object, path_segment, segment_count, segment_point,
                        segment_type, text_object, text_size, unicode_of)

SPACE = 0x20
GENERATED = frozenset((SPACE, 0x0D, 0x0A))  # what PDFium adds that the PDF does not have (FPDFText_IsGenerated)
HYPHEN_MARK, HYPHEN = 0x2, ord("-")  # PDFium gives a hyphen at a line's end as U+0002 (FPDFText_IsHyphen)
ZERO_WIDTH = 0.01  # pt: PDFium's text page passes over a text object narrower than this (kSizeEpsilon)
MAX_SPACE_RUN_EM = 1.0  # a run of spaces ends at most this many ems on (else the next text was moved on: unknown)
PDFIUM_MEMORY_FACTOR = 8  # PDFium's objects for a content stream take up to this many times its bytes
PDFIUM_BASE_BYTES = 64 * 2**20  # and a page's fonts, text page and the like take this much more
MAX_LIGATURE_EM = 0.8  # a ligature's glyph is at most this many ems wide per character it stands for
MAX_FORM_DEPTH = 32  # form XObjects nested deeper than this are refused (pdfminer's RecursionError, as before)


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
        code = unicode_of(tp, i)
        if code in GENERATED and is_generated(tp, i):
            if code == SPACE and raw_glyphs and text_object(tp, i) == raw_glyphs[-1][1]:
                # a space PDFium calls its own inside one text object: it may stand for a space glyph
                # the PDF draws (WeasyPrint's), which pdfminer gives as a glyph; which it is PDFium does
                # not say, so pdfminer reads the page (a gap it missed split a Latin line as a gutter)
                faithful = False
            continue
        obj = text_object(tp, i)
        if not obj:
            continue
        char_origin(tp, i, px, py)
        ox, oy = x.value, y.value
        if code == HYPHEN_MARK and is_hyphen(tp, i):
            code = HYPHEN  # a hyphen that ends a line, which PDFium marks so (undone below if it is a soft one)
        unmapped = map_error(tp, i)
        last = raw_glyphs[-1] if raw_glyphs else None
        if obj not in styles:
            char_matrix(tp, i, pm)
            font = obj_font(obj)
            name, descent = fonts(font)
            styles[obj] = Style((m.a, m.b, m.c, m.d), font_size(tp, i), name, descent, frame, fonts.widths(font),
                                fonts.decodings.get(font))
            faithful = faithful and bool(name)
        elif last is not None and last[1] == obj and abs(oy - last[3]) > abs(ox - last[2]) and styles[obj].upright_text:
            faithful = False  # an upright glyph set below the one before it: vertical writing
        style = styles[obj]
        if unmapped:  # no Unicode by PDFium: pdfminer's fallback (pdffonts.decoding), or "(cid:N)" as pdfminer writes it
            text = style.decoding.get(code) if style.decoding else None
            text = f"(cid:{code})" if text is None else text
        else:
            text = chr(code) if 0 < code < 0x110000 else "\ufffd"
        if last is not None and last[1] == obj and last[2] == ox and last[3] == oy:
            last[0] += text  # one glyph that maps to several characters (a ligature)
            continue
        width = style.widths.get(code) if not unmapped else None
        if width is None:
            loose_box(tp, i, prect)
            char_box(tp, i, pother, pright, pother, pother)
            scale = style.a * style.size
            if not unmapped:
                width = style.widths.find(code, rect.right, right.value, ox, scale)
            else:
                width = (rect.right - ox) / scale if abs(scale) > SIDEWAYS_SCALE else 0.0
        width *= style.size
        raw_glyphs.append([text, obj, ox, oy, width])
    reach_ligatures(raw_glyphs, styles)
    glyphs = []
    for text, obj, ox, oy, width in raw_glyphs:
        if text == "-" and width <= 0:
            text = SOFT_HYPHEN  # no width: a soft hyphen's break point (PDFium gives both as one mark)
        glyphs.append(styles[obj].glyph(text, ox, oy, width))
    return glyphs, faithful, set(styles)


def reach_ligatures(raw_glyphs: list[list], styles: dict) -> None:
    """A ligature ("fi", joined above from PDFium's entries at one origin) is as wide as its one glyph,
    but its width was found for its first character: where the next glyph of its text object, on its
    baseline, starts within MAX_LIGATURE_EM ems per character, the ligature reaches it (else the room
    its later letters take reads as a gap: 「refi neries」)."""
    for n, (text, obj, ox, oy, width) in enumerate(raw_glyphs[:-1]):
        if len(text) < 2 or text.startswith("(cid:"):
            continue
        nxt = raw_glyphs[n + 1]
        style = styles[obj]
        step = (nxt[2] - ox) / style.a if style.a > 0 else 0.0  # the origins' distance in the widths' units
        if nxt[1] == obj and nxt[3] == oy and width < step <= MAX_LIGATURE_EM * len(text) * style.size:
            raw_glyphs[n][4] = step


def lost_spaces(texts: list, read: set[int], fonts: Fonts, frame: Frame) -> list[dict] | None:
    """Space glyphs PDFium's text page leaves out: it passes over a text object that draws no ink
    (a run of spaces set with its own Tj, as producers do between runs of two fonts or subsets, or
    at a line's end), where pdfminer gives each space its box. Such a run is given as one space
    from its origin to where the next text object starts on its baseline, within an em (what the
    layout reads of spaces: that one is there, and the gap it covers). Where no text follows so
    close, how far the run reaches is not known (PDFium gives neither its characters nor their
    count): None, and the page is read by pdfminer. A run of U+3000 is given as a space too (the
    text repair drops both beside Chinese text)."""
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
        scale = a * size.value  # the page's x per unit of width
        if k + 1 >= len(texts) or scale <= 0:
            return None
        nxt, nxt_forms = texts[k + 1]
        object_matrix(nxt, byref(m))
        nx, ny = apply(nxt_forms, m.e, m.f)
        if abs(ny - oy) > ZERO_WIDTH or not 0 < nx - ox <= MAX_SPACE_RUN_EM * scale:
            return None
        name, descent = fonts(obj_font(obj))
        spaces.append(Style((a, bb, c, d), size.value, name, descent, frame).glyph(" ", ox, oy, (nx - ox) / a))
    return spaces


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
        from .pdf import page_tables
        page = self.page(number)
        try:
            return page_tables(page, drawn)
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
    paths and ruled tables, the same Page the pdfminer reader gives. A file PDFium might not be
    able to hold under the process's memory cap is read by pdfminer (`fits_in_memory`)."""
    if not fits_in_memory(data):
        from .pdf import read_pages as by_pdfminer
        yield from by_pdfminer(data, password)
        return
    doc, buf = open_document(data, password)
    reference = reference or Reference(data, password)
    fonts = Fonts(Descents(data, password))
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


def fits_in_memory(data: bytes) -> bool:
    """Can PDFium read this file within the process's address-space cap (RLIMIT_AS, the import
    worker's)? PDFium cannot fail softly: an allocation past the cap aborts the process, where
    pdfminer raises MemoryError (the file is refused for its memory, and the worker goes on). So
    where a cap is set and PDFium's likely need — PDFIUM_MEMORY_FACTOR times the file's largest
    stream, inflated (limits.check measured it; else the file's size) — is more than the room left
    under it, the file is pdfminer's to read."""
    import resource
    from .pdf import largest_stream
    cap, _ = resource.getrlimit(resource.RLIMIT_AS)
    if cap == resource.RLIM_INFINITY:
        return True
    try:
        with open("/proc/self/statm") as f:
            used = int(f.read().split()[0]) * resource.getpagesize()
    except OSError:
        return False
    largest = largest_stream(data)
    need = PDFIUM_MEMORY_FACTOR * (largest if largest is not None else len(data)) + PDFIUM_BASE_BYTES
    return need <= cap - used


def read_page(doc, index: int, reference: Reference, fonts: Fonts) -> Page:
    number = index + 1
    fonts.page = index
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
        spaces = lost_spaces(texts, read, fonts, frame)
        if spaces is None:
            return reference.read(number)
        glyphs += spaces
    finally:
        raw.FPDF_ClosePage(page)
    return assemble_page(number, frame.width, frame.height, glyphs, images, edges, filled, rules,
                         lambda drawn: reference.tables(number, drawn))
