"""Issue 21.5: an image's own data is believed over its dictionary (a JPEG2000 that declares 64×64
and whose codestream says 60000×60000), at import (refused: image_pixels) and at render (the page is
refused before PDFium decodes it: page_image_pixels); and a page whose render failed is answered
from memory, not drawn again for each request: 148 requests, at most one render, other pages served."""
import struct
import threading

import pytest

import hostile
from archive.errors import RefusedPDF
from archive.ingest.imagesize import codec_size, jbig2_size, jpeg_size, jpx_size
from archive.web import pageimages
from test_pageimages import swap_stored
from webtools import html

JBIG2_REGION = (struct.pack(">IBBBI", 0, 48, 0, 1, 19) + struct.pack(">IIIIBH", 100, 0xFFFFFFFF, 0, 0, 0, 0)
                + struct.pack(">IBBBI", 1, 38, 0, 1, 18) + struct.pack(">IIIIBB", 7000, 9000, 0, 0, 0, 0))


@pytest.mark.parametrize("codec,data,size", [
    ("/JPXDecode", hostile.jpx_codestream(), (60000, 60000)),
    ("/JPXDecode", hostile.jpx_codestream(64, 64), (64, 64)),
    ("/JPXDecode", hostile._small_image("JPEG2000"), (64, 64)),  # a JP2 file: ihdr and codestream
    ("/DCTDecode", hostile.jpeg_frame(), (60000, 60000)),
    ("/DCT", hostile._small_image("JPEG"), (64, 64)),
    ("/DCTDecode", hostile._small_image("JPEG", progressive=True), (64, 64)),
    ("/JBIG2Decode", hostile.jbig2_page(), (60000, 60000)),
    ("/JBIG2Decode", hostile.jbig2_page(300, 200), (300, 200)),
    ("/JBIG2Decode", JBIG2_REGION, (7000, 9000)),  # a striped page (height unknown), one large region
    ("/JPXDecode", b"garbage", None),
    ("/DCTDecode", b"\xff\xd8\xff\xc0\x00", None),  # cut inside its frame header
    ("/JBIG2Decode", b"\x00\x00", None),
    ("/FlateDecode", hostile.jpeg_frame(), None),  # not an image codec
])
def test_the_size_an_images_own_data_says(codec, data, size):
    assert codec_size(codec, data) == size


def test_a_jp2_file_says_the_larger_of_its_header_and_its_codestream():
    jp2 = bytearray(hostile._small_image("JPEG2000"))
    at = jp2.find(b"\xff\x51")
    struct.pack_into(">II", jp2, at + 6, 50000, 40000)
    assert jpx_size(bytes(jp2)) == (50000, 40000)
    assert jpeg_size(b"") is None and jbig2_size(b"") is None


@pytest.mark.parametrize("codec,data", [(b"/JPXDecode", None), (b"/DCTDecode", hostile.jpeg_frame()),
                                        (b"/JBIG2Decode", hostile.jbig2_page())])
def test_an_image_whose_data_says_more_than_the_cap_is_refused_at_import(codec, data):
    from pypdf import PdfReader
    import io
    from archive.ingest import limits
    with pytest.raises(RefusedPDF) as refused:
        limits.check(PdfReader(io.BytesIO(hostile.lying_image(codec, data))))
    assert refused.value.kind == "image_pixels"
    assert (refused.value.params["width"], refused.value.params["height"]) in ((60000, 60000),)


def test_the_honest_image_passes_at_import():
    from pypdf import PdfReader
    import io
    from archive.ingest import limits
    limits.check(PdfReader(io.BytesIO(hostile.image_page(64, 64, hostile.jpx_codestream(64, 64),
                                                          b"/Filter /JPXDecode"))))


def test_an_import_of_the_lying_image_is_refused(archive, tmp_path):
    f = tmp_path / "liar.pdf"
    f.write_bytes(hostile.lying_image())
    r = archive("import", f)
    assert r.exit_code == 1 and "image" in r.output and "60000x60000" in r.output


def count_renders(app):
    pool = app.extensions["archive.renderer"]
    calls = []
    real = pool.render

    def counting(pdf, page, *args, **kw):
        calls.append((str(pdf), page))
        return real(pdf, page, *args, **kw)
    pool.render = counting
    return calls


def test_a_stored_lying_image_is_refused_once_and_other_pages_are_served(app, samples_copy):
    """Already stored (imported before this check): 148 requests for its page, in waves, at most one
    render; the page is refused in words; another issue's pages are drawn meanwhile."""
    swap_stored(samples_copy, "2016-006", hostile.lying_image())
    calls = count_renders(app)
    client = app.test_client()
    first = client.get("/issues/2016-006/pages/1.png")
    assert first.status_code == 422 and "60000×60000" in html(first)
    codes, good = [], []

    def bad_page():
        codes.append(app.test_client().get("/issues/2016-006/pages/1.png").status_code)

    def other_pages():
        for n in (1, 2):
            good.append(app.test_client().get(f"/issues/2021-005/pages/{n}.png").status_code)
    threads = [threading.Thread(target=bad_page) for _ in range(137)] + [threading.Thread(target=other_pages)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for _ in range(10):  # and one after the other
        bad_page()
    assert codes == [422] * 147 and good == [200, 200]
    liar = sha_of(samples_copy, "2016-006") + ".pdf"
    assert len([c for c in calls if c[0].endswith(liar)]) == 1, calls  # 148 requests, one render


def sha_of(data_root, issue_id):
    from archive.store import DataDir
    with DataDir(data_root).records() as records:
        return records.sha_for_issue(issue_id)


def test_a_failure_is_remembered_for_a_while_only(app, samples_copy, monkeypatch):
    swap_stored(samples_copy, "2016-006", hostile.lying_image())
    calls = count_renders(app)
    client = app.test_client()
    assert client.get("/issues/2016-006/pages/1.png").status_code == 422
    assert client.get("/issues/2016-006/pages/1.png").status_code == 422
    assert len(calls) == 1
    monkeypatch.setattr(pageimages, "FAILURE_TTL_S", -1.0)  # as if an hour had passed
    assert client.get("/issues/2016-006/pages/1.png").status_code == 422
    assert len(calls) == 2
