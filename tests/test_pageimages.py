"""Page images: a pixel budget per render, renders in processes of their own with a time limit (a
slow page holds one renderer, not the others), and URLs and ETags that change with the original."""
import re
import struct
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

import hostile
from archive.errors import PageImageError
from archive.service.importing import Importer, ImportOptions
from archive.store import DataDir
from archive.web import pageimages
from conftest import FIXTURES
from webtools import html, sample_files


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_pixel_budget():
    assert pageimages.render_scale(595, 842) == 2.0  # A4 at 144 dpi: 2 million pixels
    s = pageimages.render_scale(14400, 14400)  # PDF's largest page: 28,800² px at 2x, 829 million
    assert 14400 * s * 14400 * s <= pageimages.MAX_PIXELS and s > 0.27
    assert pageimages.render_scale(14400, 10) == 2.0  # a long strip: few pixels, full scale
    for w, h in [(100000, 100000), (0, 842), (595, -1), (float("nan"), 842), (1e308, 1e308)]:
        with pytest.raises(PageImageError):
            pageimages.render_scale(w, h)


def swap_stored(data_root, issue_id, new_bytes):
    """The stored original of an issue replaced on disk (what an older data folder might hold)."""
    d = DataDir(data_root)
    with d.records() as records:
        sha = records.sha_for_issue(issue_id)
    d.pdf_path(sha).write_bytes(new_bytes)


def test_a_page_at_the_pdf_size_limit_is_drawn_within_the_budget(client, samples_copy, tmp_path):
    poster = tmp_path / "poster.pdf"
    poster.write_bytes(hostile.text_page(b"(poster) Tj", width=14400, height=14400))
    d = DataDir(samples_copy)
    with d.records() as records:
        [result] = Importer(records, d).import_file(poster)
    assert result.status == "imported", result.message
    r = client.get(f"/issues/{result.issue_id}/pages/1.png")
    assert r.status_code == 200
    w, h = png_size(r.data)
    assert w == h and w * h <= pageimages.MAX_PIXELS and w >= 3900  # scaled down, not 28,800 px


def test_an_absurd_page_is_refused_with_422(client, samples_copy):
    swap_stored(samples_copy, "2016-006", hostile.huge_page(100000))
    r = client.get("/issues/2016-006/pages/1.png")
    assert r.status_code == 422 and "无法生成可读的页面图像" in html(r)
    assert not list((samples_copy / "cache").rglob("*.png"))


def use_pool(app, **kw):
    from archive.web.renderpool import RenderPool
    app.extensions["archive.renderer"].close()
    app.extensions["archive.renderer"] = RenderPool(**kw)


def test_a_slow_page_does_not_hold_the_other_renders(app, samples_copy):
    """A 3 KB page of nested forms (a million rectangles) takes PDFium seconds to draw; it is
    stopped at the render time limit, and while it is drawn another page is drawn and served."""
    use_pool(app, size=2, timeout_s=4.0, memory_mb=3000)  # the time limit, not the memory cap, stops it here
    for n in (1, 2):  # both renderers started (so that what is compared is drawing, not starting up)
        assert app.test_client().get(f"/issues/2018-002/pages/{n}.png").status_code == 200
    swap_stored(samples_copy, "2016-002", hostile.nested_forms(6))
    slow_result = {}
    started = threading.Event()

    def slow():
        started.set()
        slow_result["r"] = app.test_client().get("/issues/2016-002/pages/1.png")
    t = threading.Thread(target=slow)
    t.start()
    started.wait()
    while not pageimages._inflight and t.is_alive():  # the slow render is under way
        time.sleep(0.01)
    fast = app.test_client().get("/issues/2016-006/pages/1.png")
    assert fast.status_code == 200 and t.is_alive()  # served while the slow page is still being drawn
    t.join(30)
    r = slow_result["r"]
    assert r.status_code == 422 and "4 秒内未能生成页面图像" in html(r)
    again = app.test_client().get("/issues/2016-006/pages/2.png")  # the pool has its renderers back
    assert again.status_code == 200


def another_file_for(path, tmp_path):
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.add_metadata({"/Title": "re-scanned"})
    out = tmp_path / "rescan.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def test_page_image_urls_and_etags_change_when_the_original_is_replaced(client, samples_copy, tmp_path):
    view = html(client.get("/issues/2016-006/pages/1"))
    url = re.search(r'<image href="([^"]+)"', view).group(1).replace("&amp;", "&")
    assert re.fullmatch(r"/issues/2016-006/pages/1\.png\?v=[0-9a-f]{12}", url)
    versioned = client.get(url)
    assert versioned.status_code == 200 and "max-age=31536000" in versioned.headers["Cache-Control"]
    plain = client.get("/issues/2016-006/pages/1.png")
    assert "no-cache" in plain.headers["Cache-Control"] and plain.headers["ETag"]
    assert client.get("/issues/2016-006/pages/1.png", headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    old_pdf_etag = client.get("/issues/2016-006/pdf").headers["ETag"]

    sample = next(p for p in sample_files() if p.name.startswith("2016-006"))
    d = DataDir(samples_copy)
    with d.records() as records:
        [done] = Importer(records, d, ImportOptions(replace=True)).import_file(
            another_file_for(sample, tmp_path))
    assert done.status == "replaced"
    new_url = re.search(r'<image href="([^"]+)"', html(client.get("/issues/2016-006/pages/1"))).group(1)
    assert new_url.replace("&amp;", "&") != url  # browsers holding the old image never use it here
    fresh = client.get("/issues/2016-006/pages/1.png", headers={"If-None-Match": plain.headers["ETag"]})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != plain.headers["ETag"]
    pdf = client.get("/issues/2016-006/pdf", headers={"If-None-Match": old_pdf_etag})
    assert pdf.status_code == 200 and "no-cache" in pdf.headers["Cache-Control"]


def test_a_page_past_the_renderer_memory_cap_is_refused_and_the_pool_goes_on(app, samples_copy):
    use_pool(app, size=1, timeout_s=60.0, memory_mb=400)  # PDFium needs ~1.6 GB for this page
    swap_stored(samples_copy, "2016-002", hostile.nested_forms(6))
    r = app.test_client().get("/issues/2016-002/pages/1.png")
    assert r.status_code == 422 and "这一页无法生成页面图像" in html(r)
    assert app.test_client().get("/issues/2016-006/pages/1.png").status_code == 200


# --- the PNG written: grey pages as greyscale (issue 23: a first view drawn and sent faster) ----------

def _page(colour=None, wobble=0):
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (200, 280), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 40, 180, 48), fill=(30 + wobble, 30, 30 - wobble))  # a line of black text
    if colour:
        draw.rectangle((20, 10, 120, 22), fill=colour)  # a title in colour
    return image


@pytest.mark.parametrize("colour, wobble, expected", [
    (None, 0, False),               # black and grey only
    (None, 12, False),              # a scan's grey, its channels a little apart (JPEG)
    ((200, 20, 20), 0, True),       # a red section title
    ((40, 60, 160), 0, True),       # a blue rule
])
def test_a_page_has_colour_only_where_it_shows_some(colour, wobble, expected):
    from archive.web.renderpool import has_colour
    assert has_colour(_page(colour, wobble)) is expected


def test_a_grey_page_is_written_as_greyscale_and_a_coloured_one_in_colour(tmp_path):
    from PIL import Image
    from archive.web.renderpool import draw
    scan = FIXTURES / "scans" / "2016-006.pdf"  # page 2: grey paper, black print
    sample = Path(__file__).parents[1] / "src" / "archive" / "samples" / "2021-005.pdf"  # red titles
    assert draw(str(scan), 2, 1.0, str(tmp_path / "grey.png"))["ok"]
    assert draw(str(sample), 1, 1.0, str(tmp_path / "red.png"))["ok"]
    assert Image.open(tmp_path / "grey.png").mode == "L"
    assert Image.open(tmp_path / "red.png").mode == "RGB"
