"""OCR of scanned pages: which pages need it, punctuation, sizes, and the real engine, offline."""
from __future__ import annotations

import io
import socket

import pytest

from archive.ingest import ocr, ocrglyphs, ocrsizes, textlayer
from archive.errors import RefusedPDF
from archive.ingest.parse import parse_issues
from archive.ingest.pdf import Char, Page
from archive.ingest.units import Registry


# --- which pages need OCR ----------------------------------------------------------------------

def chars(text: str) -> list[Char]:
    return [Char(t, 10 * i, 10 * i + 9, 100, 110, 10, "F") for i, t in enumerate(text)]


def with_bad(good: int, bad: list[str]) -> list[Char]:
    return chars("字" * good) + [Char(t, 0, 9, 120, 130, 10, "F") for t in bad]


@pytest.mark.parametrize("page_chars, image_area, want", [
    ([], 0.98, "scan"),                                   # a scan: no text, an image over the page
    (chars("   "), 0.9, "scan"),                          # only blanks: still no text
    ([], 0.2, None),                                      # a blank page with a small picture
    ([], 0.0, None),                                      # an empty page
    (chars("党群工作部"), 0.98, None),                     # a text layer over a page image: use the text
    (with_bad(99, ["(cid:12)"]), 0.0, None),              # 1 % undecodable: tolerated
    (with_bad(97, ["(cid:12)", "(cid:7)", "(cid:9)"]), 0.0, "undecodable text"),
    (with_bad(90, ["\ue012"] * 5), 0.0, "undecodable text"),  # private-use code points
    (with_bad(90, ["\x03"] * 5), 0.0, "undecodable text"),     # control characters
    (with_bad(90, ["\ufffd"] * 5), 0.0, "undecodable text"),   # replacement characters
    (chars("Hello, world (a) 1,000"), 0.0, None),
    # a font without a ToUnicode map: real code points, wrong characters, scattered over the CJK block
    (chars("䶮乂乆乑亍亖亗亝亣亪亯亰亱亴亶亷亸亹亼亽亾仈仌仏仐仒仚仛仜仠仢仦仧仩仭仮仯仱仴仸仹仺仼仾伀伂"), 0.0,
     "implausible text"),
    (chars("中州铝业充分利用网络教学资源做到中层以上管理人员注册学习抚顺铝业广西华昇遵义铝业组织党员"), 0.0, None),
    (chars("國家安全是安邦定國的重要基石維護國家安全是全國各族人民根本利益所在中國共產黨領導人民"), 0.0, None),
    (chars("亍亖亗亝亣"), 0.0, None),                          # too few ideographs to judge
])
def test_needs_ocr(page_chars, image_area, want):
    assert textlayer.needs_ocr(Page(1, 595, 842, page_chars, image_area)) == want


# --- punctuation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, want", [
    ("活而奋斗。(新华社)", "活而奋斗。（新华社）"),
    ("当事人:黄巍,男", "当事人：黄巍，男"),
    ("是否属实?是的!", "是否属实？是的！"),
    ("一是;二是", "一是；二是"),
    ("感悟信仰的力量,", "感悟信仰的力量，"),           # line end: the next line goes on in Chinese
    ("(山西分公司杨帆)", "（山西分公司杨帆）"),
    ("利润1,000万元", "利润1,000万元"),                # a number keeps its comma
    ("比例3:2", "比例3:2"),
    ("International Aluminium (IAC)", "International Aluminium (IAC)"),
    ("见附件(a)", "见附件(a)"),                       # Latin inside: left alone
    ("邮箱:gfdqb1@chalco.com.cn", "邮箱：gfdqb1@chalco.com.cn"),  # after Chinese the print's colon is full-width
    ("党史知识竞赛,35支代表队", "党史知识竞赛，35支代表队"),  # so is a comma before a number
    ('题为"Decarbonization pathways"的报告', "题为“Decarbonization pathways”的报告"),  # straight quotes in Chinese
    ('He said "yes"', 'He said "yes"'),  # no Chinese: left alone
    ("“家”与“国”,", "“家”与“国”，"),
    ("", ""),
])
def test_full_width_punctuation(text, want):
    assert ocrglyphs.full_width_punctuation(text) == want


# --- sizes -------------------------------------------------------------------------------------

def test_sizes_are_stable_despite_jitter():
    # body lines measured 14.6..15.4, one rough short tail line, a heading and a section title
    estimates = [(14.7, False), (15.1, False), (15.4, False), (14.9, False), (19.0, True), (30.5, False),
                 (31.2, False)]
    sizes = ocrsizes.snap_sizes(estimates, [25, 25, 25, 25, 2, 5, 5])
    assert sizes[:5] == [sizes[0]] * 5 and sizes[0] in (14.5, 15.0, 15.5)
    assert sizes[5] == sizes[6] and sizes[5] > 1.12 * sizes[0]


def test_line_pitch_from_square_characters():
    # 10 ideographs at a 15 pt pitch, boxes from x=100
    line = {"text": "中" * 10, "chars": [[100 + 15 * i, 114 + 15 * i, 0, 20] for i in range(10)], "height": 21}
    assert ocrsizes.line_pitch(line) == pytest.approx(15.0)


# --- the engine, for real, offline -----------------------------------------------------------------

LINES = ["纪律处分决定书", "当事人：浙江优策，虚假记载。"]


def text_pdf() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(300, 130))
    c.setFont("STSong-Light", 16)
    for i, line in enumerate(LINES):
        c.drawString(20, 80 - 30 * i, line)
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def scan_pdf() -> bytes:
    """The text PDF rasterised and saved again as an image-only PDF (no text layer)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(text_pdf())
    image = doc[0].render(scale=200 / 72).to_pil().convert("L")
    doc.close()
    if image.getextrema()[0] > 128:
        pytest.skip("no CJK font for pdfium to draw STSong-Light with (apt-get install fonts-wqy-zenhei)")
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200)
    return out.getvalue()


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network use in an offline test")
    # the class stays (ssl subclasses it on import); every way out is closed
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(ocr, "_ENGINE", None)  # models are loaded afresh, with no network


def test_models_load_and_read_with_no_network(no_network, scan_pdf):
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")
    got = "".join(c.text for c in ocr.ocr_page(scan_pdf, 0))
    assert "纪律处分决定书" in got
    assert "浙江优策" in got and "虚假记载" in got


def test_scan_imports_through_the_same_pipeline(scan_pdf, tmp_path, monkeypatch):
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")
    [issue] = parse_issues(scan_pdf, Registry.load(), ocr_cache=tmp_path)
    assert issue.page_methods == ["ocr"]
    text = " ".join(filter(None, [it.heading for s in issue.sections for it in s.items]
                           + [it.text for s in issue.sections for it in s.items]))
    assert "纪律处分决定书" in text and "当事人：浙江优策，虚假记载。" in text
    chars = ocr.ocr_page(scan_pdf, 0, cache_dir=tmp_path)
    assert all(0 < c.confidence <= 1 and c.fontname == ocrglyphs.FONT for c in chars)
    assert len(list(tmp_path.glob("*.json"))) == 1

    # a re-import reads the cache: the engine is not asked again
    def no_engine():
        raise AssertionError("OCR ran again despite the cache")
    monkeypatch.setattr(ocr, "engine", no_engine)
    [again] = parse_issues(scan_pdf, Registry.load(), ocr_cache=tmp_path)
    assert [it.text for s in again.sections for it in s.items] == [it.text for s in issue.sections for it in s.items]


def test_without_ocr_a_scan_is_refused_as_before(scan_pdf, monkeypatch):
    def unavailable():
        raise ocr.OcrUnavailable("rapidocr is not installed")
    monkeypatch.setattr(ocr, "engine", unavailable)
    with pytest.raises(RefusedPDF, match=r"^image-only PDF \(a scan\): no text layer, and OCR is not available "
                                         r"\(rapidocr is not installed\): install it with `pip install"):
        parse_issues(scan_pdf, Registry.load())


def test_without_the_ocr_runtime_the_reason_comes_before_any_page_is_rendered(scan_pdf, monkeypatch):
    """Regression: without the runtime a user read "OCR failed on page 1" (the page was rendered
    first, and rendering needs the runtime too); now the missing packages are named."""
    monkeypatch.setattr(ocr.importlib.util, "find_spec", lambda name: None if name == "onnxruntime" else True)
    ocr.runtime_problem.cache_clear()
    rendered = []
    monkeypatch.setattr(ocr, "render", lambda *a, **k: rendered.append(a) or (_ for _ in ()).throw(ImportError("numpy")))
    try:
        with pytest.raises(RefusedPDF, match=r"OCR is not available \(onnxruntime not installed\): install it") as err:
            parse_issues(scan_pdf, Registry.load())
    finally:
        ocr.runtime_problem.cache_clear()
    assert "failed on page" not in str(err.value) and rendered == []


def test_one_scanned_file_with_jobs_uses_an_ocr_pool(scan_pdf, tmp_path):
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")
    from archive.service.importing import Importer
    from archive.store import DataDir
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan_pdf)
    exports = []
    for jobs in (1, 2):
        datadir = DataDir(tmp_path / f"data{jobs}")
        records = datadir.records()
        [result] = Importer(records, datadir).import_paths([path], jobs=jobs)
        assert result.status == "imported", result.message
        assert records.conn.execute("SELECT method FROM pages").fetchall()[0][0] == "ocr"
        exports.append(records.issue_record(result.issue_id))
    assert exports[0] == exports[1]


def test_two_imports_wanting_one_page_at_once_recognise_it_once(tmp_path, monkeypatch):
    """Regression: two processes importing the same scan at once (the web's worker and a command
    line import; the test run's workers) each recognised every page; now one waits for the other's
    cache entry."""
    import threading
    import time
    calls = []

    def slow_recognise(image, scale):
        calls.append(image)
        time.sleep(0.3)
        return {"rotate": 0, "lines": [{"text": image}]}
    monkeypatch.setattr(ocr, "recognise", slow_recognise)
    got = []
    readers = [threading.Thread(target=lambda: got.append(ocr.cached_reading(tmp_path, "ab" * 32, "page", 1.0)))
               for _ in range(2)]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    assert calls == ["page"] and got == [{"rotate": 0, "lines": [{"text": "page"}]}] * 2
    # other pages are not held up by it: another key is recognised on its own
    assert ocr.cached_reading(tmp_path, "cd" * 32, "other", 1.0)["lines"] == [{"text": "other"}]
