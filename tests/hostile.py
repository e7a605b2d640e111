"""Hostile PDFs, built byte by byte: a deflate bomb, a huge page box, thousands of pages, huge
images, a page that is slow to draw. Shared by the limit tests, the server tests and
scripts/bench/bench_load.py; nothing here is stored in the repository."""
from __future__ import annotations

import struct
import zlib

SPACE_MB = b" " * 2**20


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (numbered from 1; object 1 must be the catalog), with a correct
    cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(contents: bytes, *, width: float = 595, height: float = 842, resources: bytes = b"<< >>",
             extra_objects: list[bytes] = ()) -> bytes:
    """One page whose content stream object is `contents` (a full stream object)."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents 4 0 R /Resources %s >>"
                % (width, height, resources),
                contents, *extra_objects])


def deflate_bomb_stream(inflated_mb: int) -> bytes:
    """zlib data that inflates to `inflated_mb` MB of spaces (about 1 KB per MB), made in a second
    or two whatever the size: each megabyte is compressed after a full flush, so its block is the
    same bytes every time; the trailer's Adler-32 is that of the whole."""
    c = zlib.compressobj(9)
    first = c.compress(SPACE_MB) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(SPACE_MB) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.flush()[:-4]  # the final empty block, without this compressor's checksum
    adler = 1
    for _ in range(inflated_mb):
        adler = zlib.adler32(SPACE_MB, adler)
    return first + block * (inflated_mb - 1) + end + struct.pack(">I", adler)


def deflate_bomb(inflated_mb: int = 4096) -> bytes:
    """One page whose one FlateDecode content stream inflates to `inflated_mb` MB of spaces."""
    return one_page(stream(deflate_bomb_stream(inflated_mb), b"/Filter /FlateDecode"))


def text_page(text: bytes = b"(hello) Tj", **kw) -> bytes:
    font = b"<< /Font << /F1 5 0 R >> >>"
    body = b"BT /F1 12 Tf 72 720 Td " + text + b" ET"
    return one_page(stream(body), resources=font,
                    extra_objects=[b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"], **kw)


def huge_page(side: float = 200000) -> bytes:
    """A page box far past PDF's own 14,400 pt limit."""
    return text_page(width=side, height=side)


def many_pages(n: int = 5000) -> bytes:
    """`n` pages sharing one empty content stream."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
               stream(b"")]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * n
    return pdf(objects)


def image_page(width: int, height: int, data: bytes, extra: bytes = b"") -> bytes:
    """A page drawing one image XObject that declares width × height pixels."""
    image = stream(data, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                         b"/BitsPerComponent 8 %s" % (width, height, extra))
    return one_page(stream(b"q 500 0 0 700 40 60 cm /Im1 Do Q"), resources=b"<< /XObject << /Im1 5 0 R >> >>",
                    extra_objects=[image])


def slow_page(paths: int = 300000) -> bytes:
    """A page of many tiny filled paths: seconds for PDFium to draw, no text."""
    body = b"".join(b"%d %d 1 1 re f\n" % (i % 500, (i // 500) % 800) for i in range(paths))
    c = zlib.compress(body, 6)
    return one_page(stream(c, b"/Filter /FlateDecode"))


def nested_forms(depth: int = 7, fan: int = 10) -> bytes:
    """A tiny file that is slow to draw: form XObject i draws form i-1 `fan` times, so the page
    draws fan**depth rectangles ("billion laughs" for a renderer)."""
    forms = [hostile_form(b"0 0 1 1 re f", b"")]
    for i in range(1, depth + 1):
        body = b"".join(b"q 1 0 0 1 %d 0 cm /F Do Q\n" % k for k in range(fan))
        forms.append(hostile_form(body, b"/Resources << /XObject << /F %d 0 R >> >>" % (4 + i)))
    # object 4 is the page's content stream; forms are objects 5 (innermost) .. 5 + depth
    top = 5 + depth
    return one_page(stream(b"q 0.5 0 0 0.5 0 0 cm /F Do Q"), resources=b"<< /XObject << /F %d 0 R >> >>" % top,
                    extra_objects=forms)


def hostile_form(body: bytes, resources: bytes) -> bytes:
    return stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 100000 100000] " + resources)


# --- images whose own data lies about their size (issue 21.5) ------------------------------------------

def _small_image(fmt: str, **kw) -> bytes:
    import io

    from PIL import Image
    buf = io.BytesIO()
    Image.new("L", (64, 64), 200).save(buf, fmt, **kw)
    return buf.getvalue()


def jpx_codestream(width: int = 60000, height: int = 60000) -> bytes:
    """A 64×64 JPEG2000 codestream (Pillow, openjpeg) whose SIZ marker is made to say width × height
    (one tile as large), as a hostile file would: the dictionary's 64×64 is what a reader trusts."""
    data = bytearray(_small_image("JPEG2000", no_jp2=True))
    at = data.find(b"\xff\x51")
    struct.pack_into(">IIIIII", data, at + 6, width, height, 0, 0, width, height)  # Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz
    return bytes(data)


def jpeg_frame(width: int = 60000, height: int = 60000) -> bytes:
    """A 64×64 JPEG whose frame header (SOF0) is made to say width × height."""
    data = bytearray(_small_image("JPEG"))
    at = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def jbig2_page(width: int = 60000, height: int = 60000) -> bytes:
    """An embedded JBIG2 stream of a page information segment saying width × height, then an
    end-of-page segment."""
    info = struct.pack(">IIIIBH", width, height, 0, 0, 0, 0)
    page = struct.pack(">IBBBI", 0, 48, 0, 1, len(info)) + info
    return page + struct.pack(">IBBBI", 1, 49, 0, 1, 0)


def lying_image(codec: bytes = b"/JPXDecode", data: bytes | None = None) -> bytes:
    """A page whose image declares 64×64 while its data (a JPX codestream by default) says 60000×60000."""
    data = jpx_codestream() if data is None else data
    return image_page(64, 64, data, b"/Filter " + codec)
