"""A scanned issue as a searchable PDF: the stored original's pages, untouched, with an invisible
text layer from the records laid over each page that was read by OCR (OCRmyPDF's "sandwich").

    searchable_pdf(records, datadir, issue_id) -> bytes

What is laid on a page is what the records hold, as corrected: each item's printed lines (its
`boxes`, and where each begins in its text, `line_starts`) — so an editor's correction is what a
reader copies out of the PDF. Each line is one run of text set on its box: text render mode 3
(neither filled nor stroked), sized to the box's height, stretched (Tz) to its width, turned as
the page was turned when it was read (pages.rotation; a /Rotate of the page too).

The font is a glyphless one (Tesseract's pdf.ttf, as OCRmyPDF embeds it: data/glyphless.ttf, 572
bytes): a Type0 font, Identity-H, every code its own Unicode (UTF-16BE), every CID drawn with the
one empty glyph, and a ToUnicode CMap mapping each code to itself — so Chinese copies and searches
as Unicode in any viewer, with no Chinese font embedded. Characters beyond the BMP are laid as 〓.

The original's objects are kept as they are (images, fonts, content streams: byte for byte); a page
gets its old content wrapped in q … Q, then the text layer's stream, and the font in its resources.
A born-digital issue (no page read by OCR) is the original, unchanged."""
from __future__ import annotations

import io
import unicodedata
import zlib
from importlib import resources

from ..errors import NotFound
from ..model import read_by_ocr
from ..store import DataDir, Records
from ..store.spans import offsets

FONT_NAME = "/ArchiveOCRText"  # the text layer's font, in each page's /Resources /Font
DEFAULT_WIDTH, WIDE_WIDTH = 500, 1000  # glyph widths (1/1000 em): Latin, and CJK / full-width
WIDE_RANGES = ((0x1100, 0x115F), (0x2E80, 0x303E), (0x3041, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
               (0xA000, 0xA4CF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFF60),
               (0xFFE0, 0xFFE6))  # what the /W array makes a full em wide (the east-Asian wide blocks)
NOT_IN_FONT = "\u3013"  # 〓: a character beyond the BMP (two UTF-16 codes) is laid as this
MIN_SIZE = 1.0  # points: a line box flatter than this is not laid
SAME_SIZE = 0.25  # a line this near the page's usual line height (a share of it) is laid at that height


def is_ocr_issue(records: Records, issue_id: str) -> bool:
    """Was any page of the issue read by OCR (a scan, text drawn as outlines, a garbled text layer)?"""
    return any(map(read_by_ocr, records.page_methods(issue_id)))


def searchable_pdf(records: Records, datadir: DataDir, issue_id: str) -> bytes:
    """The issue's stored original with the text layer on its OCR'd pages (the original's bytes
    when no page was read by OCR). NotFound when there is no such issue, or its PDF is gone."""
    row = records.issue_row(issue_id)
    if row is None:
        raise NotFound(f"no issue {issue_id}", what=issue_id)
    try:
        data = datadir.issue_pdf(row)[0].read_bytes()  # an issue of a bound volume: its pages
    except OSError as exc:
        raise NotFound(f"the stored PDF of {issue_id} is missing ({exc.strerror})", what=issue_id) from exc
    pages = records.pages_of(issue_id)
    if not any(read_by_ocr(method) for method, _ in pages):
        return data
    lines = page_lines(records.items_of_issue(issue_id))
    layers = {}
    for n, (method, turn) in enumerate(pages, 1):
        if read_by_ocr(method):
            geometry = records.page_geometry(issue_id, n)
            layers[n] = (0, on_photo(lines.get(n, []), geometry, turn)) if geometry else (turn, lines.get(n, []))
    return with_text_layer(data, layers)


def on_photo(lines: list[tuple[str, list[float]]], geometry: dict, turned: int) -> list[tuple[str, list[float]]]:
    """A photographed page's lines placed on the photo: each box (kept on the page cut out of it,
    upright) mapped through the page's corners, as the box around its four mapped corners."""
    from ..ingest.photo import cut_to_photo
    to_photo = cut_to_photo(geometry, turned)
    out = []
    for text, (page, x0, top, x1, bottom) in lines:
        xs, ys = zip(*(to_photo(x, y) for x, y in ((x0, top), (x1, top), (x1, bottom), (x0, bottom))))
        out.append((text, [page, min(xs), min(ys), max(xs), max(ys)]))
    return out


def page_lines(items: list[dict]) -> dict[int, list[tuple[str, list[float]]]]:
    """Each page's printed lines, (text, [page, x0, top, x1, bottom]) in reading order: every
    item's text cut at its lines' offsets."""
    out: dict[int, list[tuple[str, list[float]]]] = {}
    for it in items:
        text, boxes = it.get("text") or "", it.get("boxes") or []
        starts = offsets(text, boxes, it.get("line_starts"))
        for k, box in enumerate(boxes):
            end = starts[k + 1] if k + 1 < len(starts) else len(text)
            line = clean(text[starts[k]:end])
            if line:
                out.setdefault(int(box[0]), []).append((line, box))
    return out


def clean(text: str) -> str:
    """A line as it is laid: control characters (a table's tabs and row breaks) as spaces, no
    characters beyond the BMP, no white space at either end."""
    out = "".join(" " if unicodedata.category(c)[0] == "C" else (c if ord(c) <= 0xFFFF else NOT_IN_FONT)
                  for c in text)
    return " ".join(out.split())


def is_wide(c: str) -> bool:
    o = ord(c)
    return any(a <= o <= b for a, b in WIDE_RANGES)


def em_width(text: str) -> float:
    return sum((WIDE_WIDTH if is_wide(c) else DEFAULT_WIDTH) / 1000 for c in text)


# --- where a line goes: the straightened page's top-left coordinates → the page's user space -------

def quarter(x: float, y: float, w: float, h: float, turns: int) -> tuple[float, float, float, float]:
    """A point of a w × h picture (top-left origin, y down) after turning the picture `turns`
    quarter turns clockwise: (x, y, new w, new h)."""
    for _ in range(turns % 4):
        x, y, w, h = h - y, x, h, w
    return x, y, w, h


def placement(box: tuple[float, float, float, float], rotation: int, turned: int):
    """The affine map (a, b, c, d, e, f) of a page's straightened coordinates (top-left origin, y
    down, as the records keep boxes) to its user space: x' = a·x + c·y + e, y' = b·x + d·y + f.
    `box`: the page's crop box; `rotation`: its /Rotate; `turned`: degrees the scan was turned
    clockwise, as a viewer shows it (pages.rotation: the records' coordinates are the viewer's
    page turned back)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    shown = (w, h) if rotation % 180 == 0 else (h, w)  # the page as a viewer shows it
    straight = shown if turned % 180 == 0 else shown[::-1]
    # straightened → shown: turn clockwise by `turned`; shown → unrotated page: by 360 - /Rotate
    turns = (turned // 90) + (4 - (rotation // 90) % 4)

    def to_user(x: float, y: float) -> tuple[float, float]:
        ux, uy, _, _ = quarter(x, y, straight[0], straight[1], turns)
        return x0 + ux, y1 - uy

    e, f = to_user(0, 0)
    ax, ay = to_user(1, 0)
    cx, cy = to_user(0, 1)
    return ax - e, ay - f, cx - e, cy - f, e, f


def type_size(height: float, usual: float) -> float:
    """The size a line is laid at: the page's usual line height when its own is near it (a reader's
    layout analysis — pdftotext's, a viewer's selection — keeps lines of one size in one block, and
    OCR's boxes differ by a few per cent from line to line), else its own (a title)."""
    return usual if abs(height - usual) <= SAME_SIZE * usual else height


def line_ops(text: str, box: list[float], m, usual: float) -> bytes:
    """The operators that lay one line on its box (inside BT … ET, render mode 3 set): its baseline
    on the box's bottom, stretched to the box's width."""
    _, x0, top, x1, bottom = box
    size = type_size(bottom - top, usual)
    natural = em_width(text) * size
    if size < MIN_SIZE or natural <= 0 or x1 <= x0:
        return b""
    a, b, c, d, e, f = m
    # text space: x along the line, y up (the straightened page's y runs down)
    ox, oy = a * x0 + c * bottom + e, b * x0 + d * bottom + f
    tm = (a, b, -c, -d, ox, oy)
    stretch = 100.0 * (x1 - x0) / natural
    codes = text.encode("utf-16-be").hex().upper()
    return (f"/{FONT_NAME[1:]} {size:.2f} Tf {stretch:.2f} Tz " + " ".join(f"{v:.4f}" for v in tm)
            + f" Tm <{codes}> Tj\n").encode("ascii")


def layer_stream(lines: list[tuple[str, list[float]]], m) -> bytes:
    heights = sorted(box[4] - box[2] for _, box in lines)
    usual = heights[len(heights) // 2] if heights else 0.0
    body = b"".join(line_ops(text, box, m, usual) for text, box in lines)
    return b"q\nBT\n3 Tr\n" + body + b"ET\nQ\n"


# --- the PDF: the original's objects kept, a stream and a font added ----------------------------

def with_text_layer(data: bytes, layers: dict[int, tuple[int, list]]) -> bytes:
    """The PDF with a text layer on the pages given ({page: (degrees turned, lines)}, 1-based)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=io.BytesIO(data))
    font = writer._add_object(glyphless_font(writer))

    def stream(content: bytes):
        s = DecodedStreamObject()
        s.set_data(content)
        return writer._add_object(s.flate_encode() if len(content) > 64 else s)

    opened, closed = stream(b"q\n"), stream(b"\nQ\n")
    for n, (turned, lines) in layers.items():
        if not 1 <= n <= len(writer.pages) or not lines:
            continue
        page = writer.pages[n - 1]
        crop = page.cropbox
        m = placement((float(crop.left), float(crop.bottom), float(crop.right), float(crop.top)),
                      int(page.get("/Rotate", 0) or 0) % 360, int(turned) % 360)
        old = page.get("/Contents")
        old = old.get_object() if old is not None else None
        before = list(old) if isinstance(old, ArrayObject) else ([page.raw_get("/Contents")] if old is not None else [])
        page[NameObject("/Contents")] = ArrayObject([opened, *before, closed, stream(layer_stream(lines, m))])
        res = page.get_inherited("/Resources", DictionaryObject())
        res = DictionaryObject(res.get_object()) if res is not None else DictionaryObject()  # own copy: shared
        fonts = res.get("/Font")
        fonts = DictionaryObject(fonts.get_object()) if fonts is not None else DictionaryObject()
        fonts[NameObject(FONT_NAME)] = font
        res[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = res
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def glyphless_font(writer):
    """The Type0 font of the text layer (its objects added to `writer`)."""
    from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject,
                               TextStringObject)

    def stream(content: bytes, **extra):
        s = DecodedStreamObject()
        s.set_data(content)
        s = s.flate_encode()
        for k, v in extra.items():
            s[NameObject(k)] = v
        return writer._add_object(s)

    glyphs = resources.files("archive").joinpath("data", "glyphless.ttf").read_bytes()
    name = NameObject("/GlyphLessFont")
    descriptor = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"), NameObject("/FontName"): name,
        NameObject("/Flags"): NumberObject(5), NameObject("/FontBBox"): ArrayObject(map(NumberObject, (0, 0, 500, 1000))),
        NameObject("/ItalicAngle"): NumberObject(0), NameObject("/Ascent"): NumberObject(1000),
        NameObject("/Descent"): NumberObject(-1), NameObject("/CapHeight"): NumberObject(1000),
        NameObject("/StemV"): NumberObject(80), NameObject("/FontFile2"): stream(glyphs, **{"/Length1": NumberObject(len(glyphs))})}))
    cid_to_gid = zlib.compress(b"\x00\x01" * 65536)  # every CID drawn with the font's one (empty) glyph
    gid_map = writer._add_object(encoded_stream(cid_to_gid))
    widths = ArrayObject()
    for a, b in WIDE_RANGES:
        widths.extend([NumberObject(a), NumberObject(b), NumberObject(WIDE_WIDTH)])
    cid = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): name, NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"), NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0)}),
        NameObject("/FontDescriptor"): descriptor, NameObject("/DW"): NumberObject(DEFAULT_WIDTH),
        NameObject("/W"): widths, NameObject("/CIDToGIDMap"): gid_map}))
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): name, NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([cid]), NameObject("/ToUnicode"): stream(to_unicode())})


def encoded_stream(deflated: bytes):
    from pypdf.generic import EncodedStreamObject, NameObject, NumberObject
    s = EncodedStreamObject()
    s._data = deflated
    s[NameObject("/Filter")] = NameObject("/FlateDecode")
    s[NameObject("/Length")] = NumberObject(len(deflated))
    return s


def to_unicode() -> bytes:
    """Each two-byte code is its own UTF-16 code unit (the surrogates, never laid, left out);
    ranges within one high byte, at most 100 to a block, as the CMap format asks."""
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256) if not 0xD8 <= hi <= 0xDF]
    blocks = []
    for k in range(0, len(ranges), 100):
        chunk = ranges[k:k + 100]
        blocks.append(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange\n")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "".join(blocks)
            + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")
