"""Stage 1: what a file may make the parser inflate and draw, checked before pdfminer reads a page.

A PDF's streams are compressed; pdfminer inflates each one whole, and PDFium decodes each image at
its full size. A 4 MB file whose one content stream inflates to 4 GB of spaces, or an image that
declares 100,000 × 100,000 pixels, would make the import (and the server) grow by gigabytes. Here,
with pypdf, every stream object of the file is measured first:

    check_pages    each page box (× /UserUnit) within MAX_PAGE_SIDE_PT
    check_streams  each stream inflated within MAX_STREAM_BYTES (an image: what its /Width,
                   /Height, /BitsPerComponent can fill), all of them within MAX_TOTAL_BYTES,
                   each image within MAX_IMAGE_PIXELS, and at most MAX_OBJECTS objects

FlateDecode is measured with zlib's decompressobj and max_length, a megabyte at a time, so a bomb
costs the time of inflating up to the limit and no memory; LZW and run-length through pypdf's own
bounded decoders; image codecs (DCT, JPX, CCITT, JBIG2) are bounded by the pixel cap, applied to
what the image declares and to what its own data says (a JPEG's frame, a JPEG2000 codestream's SIZ,
a JBIG2 page: ingest/imagesize.py), since the decoder allocates the latter. Anything out of bounds
is a RefusedPDF with its kind and figures."""
from __future__ import annotations

import zlib
from typing import Iterator

from ..errors import RefusedPDF

MAX_PAGE_SIDE_PT = 14400  # PDF's own limit is 14,400 pt (200 in): larger means a broken file (read_page applies it too)
MAX_STREAM_BYTES = 64 * 2**20  # one content stream, form, font or CMap, inflated
MAX_TOTAL_BYTES = 2**30  # every stream of a file, inflated
MAX_IMAGE_PIXELS = 100_000_000  # one image (a 600 dpi A3 colour scan is 70 million pixels)
MAX_OBJECTS = 250_000  # a 2,000-page issue has some 20,000
CHUNK = 2**20
CODEC_HEADER_BYTES = 16 * 2**20  # of an image inflated before its codec: enough to reach its headers
FLATE = ("/FlateDecode", "/Fl")
TEXT_CODECS = {"/ASCIIHexDecode": "ASCIIHexDecode", "/AHx": "ASCIIHexDecode", "/ASCII85Decode": "ASCII85Decode",
               "/A85": "ASCII85Decode", "/LZWDecode": "LZWDecode", "/LZW": "LZWDecode",
               "/RunLengthDecode": "RunLengthDecode", "/RL": "RunLengthDecode"}


def check(reader) -> int:
    """Refuse a file (RefusedPDF) whose pages, streams or images are out of bounds. Returns the
    size of its largest stream other than an image, inflated (what a reader holds at once)."""
    check_pages(reader)
    return check_streams(reader)


def _mb(n: int) -> int:
    return -(-n // 2**20)


def check_pages(reader) -> None:
    for number, page in enumerate(reader.pages, 1):
        try:
            box = page.mediabox
            unit = float(page.get("/UserUnit", 1) or 1)
            width, height = float(box.width) * unit, float(box.height) * unit
        except Exception:  # a box pypdf cannot read: pdfminer decides (refused there as broken)
            continue
        if width <= 0 or height <= 0 or max(width, height) > MAX_PAGE_SIDE_PT:
            raise RefusedPDF(f"page {number} has an impossible size {width:.0f}x{height:.0f} pt", "page_size",
                             page=number, width=round(width), height=round(height))


def stream_objects(reader) -> Iterator[tuple[int, object]]:
    """(object number, stream) for every stream object in the file's cross-reference table.
    Streams cannot sit inside object streams, so the table lists each of them."""
    from pypdf.generic import IndirectObject, StreamObject
    refs = [(num, gen) for gen, table in reader.xref.items() for num in table]
    if len(refs) > MAX_OBJECTS:
        raise RefusedPDF(f"PDF has {len(refs)} objects; the limit is {MAX_OBJECTS}", "too_many_objects",
                         objects=len(refs), limit=MAX_OBJECTS)
    for num, gen in sorted(refs):
        try:
            obj = reader.get_object(IndirectObject(num, gen, reader))
        except Exception:  # an object pypdf cannot read is pdfminer's to refuse, if it needs it
            continue
        if isinstance(obj, StreamObject):
            yield num, obj


def check_streams(reader) -> int:
    total = largest = 0
    for num, stream in stream_objects(reader):
        cap = MAX_STREAM_BYTES
        if stream.get("/Subtype") == "/Image":
            cap = max(cap, image_bytes(num, stream))
            check_codec_size(num, stream)
        size = inflated_size(stream, cap)
        if size > cap:
            raise RefusedPDF(f"a stream (object {num}) inflates to more than {_mb(cap)} MB: a decompression bomb",
                             "inflate_bomb", object=num, limit_mb=_mb(cap))
        total += size
        if stream.get("/Subtype") != "/Image":
            largest = max(largest, size)
        if total > MAX_TOTAL_BYTES:
            raise RefusedPDF(f"the file's streams inflate to more than {_mb(MAX_TOTAL_BYTES)} MB in all",
                             "inflate_total", limit_mb=_mb(MAX_TOTAL_BYTES))
    return largest


def image_bytes(num: int, stream) -> int:
    """The most an image's data may inflate to: /Height rows of /Width samples of up to 4
    components at /BitsPerComponent, plus a predictor byte a row; RefusedPDF past the pixel cap."""
    try:
        width, height = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
        bits = int(stream.get("/BitsPerComponent", 8) or 8)
    except (TypeError, ValueError):
        return 0
    if width * height > MAX_IMAGE_PIXELS:
        raise RefusedPDF(f"an image (object {num}) has {width}x{height} pixels; the limit is "
                         f"{MAX_IMAGE_PIXELS // 10**6} million", "image_pixels", object=num, width=width,
                         height=height, limit_mp=MAX_IMAGE_PIXELS // 10**6)
    comps = 1 if stream.get("/ImageMask") else 4
    return (-(-width * comps * max(1, min(bits, 16)) // 8) + 1) * max(0, height)


def check_codec_size(num: int, stream) -> None:
    """RefusedPDF when an image's own data (a JPEG's frame, a JPEG2000 codestream's SIZ, a JBIG2
    page or region) says it has more pixels than the cap, whatever its dictionary declares: that is
    what the decoder would allocate (ingest/imagesize.py)."""
    from .imagesize import codec_of, codec_size
    chain = filters_of(stream)
    if not chain or codec_of(chain[-1]) is None:
        return
    data = stream._data
    for name in chain[:-1]:  # filters before the codec (rare): only the headers are needed
        if name in FLATE:
            data = flate_bytes(data, CODEC_HEADER_BYTES)
        elif name in TEXT_CODECS:
            data = codec_bytes(TEXT_CODECS[name], data, stream.get("/DecodeParms")) or b""
        else:
            return
    size = codec_size(chain[-1], data)
    if size and size[0] * size[1] > MAX_IMAGE_PIXELS:
        raise RefusedPDF(f"an image (object {num}) holds {size[0]}x{size[1]} pixels by its own data; the limit is "
                         f"{MAX_IMAGE_PIXELS // 10**6} million", "image_pixels", object=num, width=size[0],
                         height=size[1], limit_mp=MAX_IMAGE_PIXELS // 10**6)


def filters_of(stream) -> list[str]:
    f = stream.get("/Filter")
    if f is None:
        return []
    return [str(x) for x in f] if isinstance(f, list) else [str(f)]


def inflated_size(stream, cap: int) -> int:
    """How many bytes the stream's filters produce (more than `cap` means: over the limit; the
    count stops there). The chain is applied in order; image codecs end it (the pixel cap bounds them)."""
    data = stream._data  # the encoded bytes, as stored (decrypted by pypdf)
    chain = filters_of(stream)
    for i, name in enumerate(chain):
        last = i == len(chain) - 1
        if name in FLATE:
            if last:
                return flate_size(data, cap)
            data = flate_bytes(data, cap)
        elif name in TEXT_CODECS:
            data = codec_bytes(TEXT_CODECS[name], data, stream.get("/DecodeParms"))
            if data is None:
                return cap + 1
        else:  # an image codec, Crypt, or one pdfminer does not know either
            return len(data)
        if len(data) > cap:
            return len(data)
    return len(data)


def _inflate(data: bytes, cap: int, keep: bool) -> tuple[int, bytes]:
    """Inflate a zlib (or raw deflate) stream a chunk at a time, stopping past `cap`; a damaged
    stream counts what it gave (pdfminer gets no more from it)."""
    d = zlib.decompressobj(zlib.MAX_WBITS | 32) if data[:1] in (b"\x78", b"\x1f") else zlib.decompressobj(-15)
    out = bytearray() if keep else None
    n = 0
    buf = data
    try:
        while True:
            piece = d.decompress(buf, CHUNK)
            n += len(piece)
            if keep:
                out += piece
            if n > cap:
                break
            buf = d.unconsumed_tail
            if not buf and (d.eof or not piece):
                if not d.eof:  # input used up without an end marker: what is buffered still comes out
                    piece = d.flush()
                    n += len(piece)
                    if keep:
                        out += piece
                break
    except zlib.error:
        pass
    return n, bytes(out) if keep else b""


def flate_size(data: bytes, cap: int) -> int:
    return _inflate(data, cap, keep=False)[0]


def flate_bytes(data: bytes, cap: int) -> bytes:
    return _inflate(data, cap, keep=True)[1]


def codec_bytes(codec: str, data: bytes, parms) -> bytes | None:
    """Decode with pypdf's own bounded decoder; None past its limit (75 MB)."""
    from pypdf import filters
    from pypdf.errors import LimitReachedError
    try:
        return getattr(filters, codec).decode(data, parms)
    except LimitReachedError:
        return None
    except Exception:  # a damaged stream: pdfminer gets no more out of it than this
        return b""
