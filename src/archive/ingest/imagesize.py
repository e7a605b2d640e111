"""What an image's own data says its size is, read from the codec's headers without decoding it.

A PDF image declares /Width and /Height, but a JPEG2000, JPEG or JBIG2 decoder allocates what its
own data says: a JPX image that declares 64×64 and whose codestream says 60000×60000 makes PDFium
try for 14 GB. So the size is read where the decoder reads it, before anything decodes:

    JPEG      (/DCTDecode)    the frame header (SOFn) before the first scan
    JPEG2000  (/JPXDecode)    the codestream's SIZ marker (image area less its offset); in a JP2
                              file also the ihdr box — the larger of the two
    JBIG2     (/JBIG2Decode)  the page information segment and every region segment's size (the
                              embedded form PDFs use; a file's header skipped)

`codec_size(filter, data)` → (width, height) or None when the data says nothing readable (then
the decoder fails on it quickly, or the declared size stands). ingest.limits refuses a file at
import, and web.renderpool a page at render, past the pixel cap."""
from __future__ import annotations

CODECS = {"/DCTDecode": "jpeg", "/DCT": "jpeg", "/JPXDecode": "jpx", "/JBIG2Decode": "jbig2",
          "DCTDecode": "jpeg", "JPXDecode": "jpx", "JBIG2Decode": "jbig2"}
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # frame headers (not DHT, JPG, DAC)
JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
JBIG2_FILE = b"\x97JB2\r\n\x1a\n"
JBIG2_PAGE_INFO = 48
JBIG2_REGIONS = frozenset({4, 6, 7, 20, 22, 23, 36, 38, 39, 40, 42, 43})  # segments whose data opens with a region's size
UNKNOWN = 0xFFFFFFFF


def codec_of(filter_name: str) -> str | None:
    return CODECS.get(str(filter_name))


def codec_size(filter_name: str, data: bytes) -> tuple[int, int] | None:
    """(width, height) as the image codec of `filter_name` will see it in `data`, or None."""
    reader = {"jpeg": jpeg_size, "jpx": jpx_size, "jbig2": jbig2_size}.get(codec_of(filter_name) or "")
    try:
        return reader(data) if reader else None
    except (IndexError, ValueError):
        return None


def _u16(data: bytes, at: int) -> int:
    if at + 2 > len(data):
        raise IndexError(at)
    return int.from_bytes(data[at:at + 2], "big")


def _u32(data: bytes, at: int) -> int:
    if at + 4 > len(data):
        raise IndexError(at)
    return int.from_bytes(data[at:at + 4], "big")


def larger(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None or b is None:
        return a or b
    return a if a[0] * a[1] >= b[0] * b[1] else b


# --- JPEG --------------------------------------------------------------------------------------------

def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The largest frame header before the first scan: (X, Y); a height of 0 (set later by DNL) is None."""
    if data[:2] != b"\xff\xd8":
        return None
    found, at = None, 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            at += 1  # not at a marker: resynchronise
            continue
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # standalone markers
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: the frame is known by now
            break
        length = _u16(data, at + 2)
        if marker in SOF_MARKERS:
            height, width = _u16(data, at + 5), _u16(data, at + 7)
            if height:
                found = larger(found, (width, height))
        at += 2 + max(length, 2)
    return found


# --- JPEG 2000 ---------------------------------------------------------------------------------------

def siz_size(codestream: bytes) -> tuple[int, int] | None:
    """The image area of a JPEG 2000 codestream's SIZ marker (it follows SOC: FF4F FF51)."""
    at = codestream.find(b"\xff\x51", 0, 64)
    if not codestream.startswith(b"\xff\x4f") or at < 0:
        return None
    xsiz, ysiz = _u32(codestream, at + 6), _u32(codestream, at + 10)
    xo, yo = _u32(codestream, at + 14), _u32(codestream, at + 18)
    return (max(0, xsiz - xo), max(0, ysiz - yo))


def jp2_boxes(data: bytes, start: int = 0, end: int | None = None):
    """(type, payload start, payload end) of each box in data[start:end]."""
    end = len(data) if end is None else end
    at = start
    while at + 8 <= end:
        size, kind = _u32(data, at), data[at + 4:at + 8]
        head = 8
        if size == 1:
            size, head = int.from_bytes(data[at + 8:at + 16], "big"), 16
        elif size == 0:
            size = end - at
        if size < head:
            return
        yield kind, at + head, min(at + size, end)
        at += size


def jpx_size(data: bytes) -> tuple[int, int] | None:
    """A raw codestream's SIZ, or a JP2 file's: the larger of its ihdr box and its codestream's SIZ."""
    if data.startswith(b"\xff\x4f"):
        return siz_size(data)
    if not data.startswith(JP2_SIGNATURE):
        return None
    found = None
    for kind, start, end in jp2_boxes(data):
        if kind == b"jp2h":
            for sub, s, _ in jp2_boxes(data, start, end):
                if sub == b"ihdr":
                    found = larger(found, (_u32(data, s + 4), _u32(data, s)))
        elif kind == b"jp2c":
            found = larger(found, siz_size(data[start:start + 256]))
    return found


# --- JBIG2 -------------------------------------------------------------------------------------------

def jbig2_segments(data: bytes):
    """(type, data start, data length) of each segment header of an embedded JBIG2 stream."""
    at = 0
    if data.startswith(JBIG2_FILE):
        flags = data[8]
        at = 9 if flags & 0x02 else 13  # the page count is there unless unknown
    while at + 11 <= len(data):
        number = _u32(data, at)
        flags = data[at + 4]
        at += 5
        count = data[at] >> 5
        if count == 7:  # the long form: a 29-bit count, then its retain bits
            count = _u32(data, at) & 0x1FFFFFFF
            at += 4 + (count + 8) // 8
        else:
            at += 1
        at += count * (1 if number <= 256 else 2 if number <= 65536 else 4)
        at += 4 if flags & 0x40 else 1
        length = _u32(data, at)
        at += 4
        yield flags & 0x3F, at, length
        if length == UNKNOWN:  # an immediate generic region of unknown length: nothing after it is readable
            return
        at += length


def jbig2_size(data: bytes) -> tuple[int, int] | None:
    """The largest of the page (its height known) and the regions the segments declare."""
    found = None
    for kind, start, length in jbig2_segments(data):
        if kind == JBIG2_PAGE_INFO or kind in JBIG2_REGIONS:
            width, height = _u32(data, start), _u32(data, start + 4)
            if height != UNKNOWN:
                found = larger(found, (width, height))
    return found
