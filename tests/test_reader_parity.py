"""Stage 1's two readers (pdf.READERS) give the same pages and the same records. PDFium's glyphs are
placed as pdfminer's layout places them (tests/fixtures/readers, made by
scripts/fixtures/make_reader_cases.py: a page turned by /Rotate, MediaBox and CropBox off the origin,
horizontal scaling, character spacing and rise, a 1-pt font scaled by its matrix, text in a form
XObject, invisible text, glyphs set sideways, spaces set with their own Tj, a Type3 font); every
fixture and sample issue parses to the same records (ingest/parity.py); a file either reader
refuses, both refuse alike."""
import io

import pytest

from archive.errors import RefusedPDF
from archive.ingest import pdf, pdfium
from archive.ingest.parity import compare_file
from archive.ingest.units import Registry

from conftest import FIXTURES, shared_ocr_folder

ROOT = FIXTURES.parent.parent
CASES = sorted((FIXTURES / "readers").glob("*.pdf"))
TOLERANCE = 0.3  # pt: the readers compute in float (PDFium) and double (pdfminer)


def stripped(name: str) -> str:
    return name.split("+", 1)[-1]


def same_page(a: pdf.Page, b: pdf.Page) -> None:
    assert (a.number, round(a.width, 1), round(a.height, 1)) == (b.number, round(b.width, 1), round(b.height, 1))
    assert (a.sideways, len(a.images), len(a.rules), len(a.drawn), len(a.tables)) == \
        (b.sideways, len(b.images), len(b.rules), len(b.drawn), len(b.tables))
    assert a.image_area == pytest.approx(b.image_area, abs=1e-3)
    assert len(a.chars) == len(b.chars)
    key = lambda c: (c.text, round(c.top), round(c.x0))  # noqa: E731
    for c, d in zip(sorted(a.chars, key=key), sorted(b.chars, key=key)):
        assert (c.text, stripped(c.fontname)) == (d.text, stripped(d.fontname))
        for f in ("x0", "x1", "top", "bottom", "size"):
            assert getattr(c, f) == pytest.approx(getattr(d, f), abs=TOLERANCE), (c, d, f)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_pdfium_pages_are_pdfminers(path):
    data = path.read_bytes()
    reference = list(pdf.read_pages(data))
    fast = list(pdfium.read_pages(data))
    assert len(reference) == len(fast)
    for a, b in zip(reference, fast):
        same_page(a, b)


def test_a_type3_page_is_read_by_pdfminer():
    """PDFium gives a Type3 font no name and not pdfminer's box: that page is pdfminer's to read."""
    data = (FIXTURES / "readers" / "type3.pdf").read_bytes()
    reference = pdfium.Reference(data, None)
    pages = list(pdfium.read_pages(data, None, reference))
    assert reference.pages_read == len(pages) == 1
    assert any(c.text == "中" for c in pages[0].chars)


def test_spaces_set_alone_are_read():
    """PDFium's text page passes over a text object that draws no ink: its spaces are given back."""
    data = (FIXTURES / "readers" / "spaces-by-runs.pdf").read_bytes()
    page = next(pdfium.read_pages(data))
    assert sum(1 for c in page.chars if c.text == " ") == sum(1 for c in next(pdf.read_pages(data)).chars
                                                              if c.text == " ")


@pytest.mark.parametrize("rotate, mediabox, point, expected", [
    (0, (0, 0, 600, 800), (100, 700), (100, 100)),  # top-left origin
    (0, (50, 120, 650, 920), (150, 820), (150, -20)),  # pdfplumber's MediaBox offsets, as layout_objects
    (90, (0, 0, 600, 800), (100, 700), (700, 100)),  # turned: the page is 800 wide, 600 tall
    (180, (0, 0, 600, 800), (100, 700), (500, 700)),
    (270, (0, 0, 600, 800), (100, 700), (100, 500)),
])
def test_a_point_lands_where_pdfplumber_puts_it(rotate, mediabox, point, expected):
    frame = pdfium.Frame(mediabox, rotate)
    x, y = pdfium.apply(frame.ctm, *point)
    x0, top, _, _ = frame.box(x, y, x, y)
    assert (round(x0, 3), round(top, 3)) == expected


def encrypted(password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "newsletter" / "2021-005.pdf"))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


SEED = FIXTURES / "newsletter" / "2021-005.pdf"


@pytest.mark.parametrize("make", [
    lambda: b"%PDF-1.4\n" + b"\x00garbage" * 50,
    lambda: SEED.read_bytes()[:3000],
    lambda: encrypted("secret"),
], ids=["garbage", "truncated", "encrypted"])
def test_both_readers_refuse_alike(make):
    """As the import does: pypdf's checks (pdf.inspect), then the reader."""
    data = make()
    kinds = []
    for reader in pdf.READERS:
        try:
            pdf.inspect(data)
            list(pdf.page_reader(reader)(data))
            kinds.append(None)
        except RefusedPDF as exc:
            kinds.append(exc.kind)
    assert kinds[0] == kinds[1] and kinds[0] is not None, kinds


def test_a_file_pdfium_cannot_open_is_refused_as_broken():
    with pytest.raises(RefusedPDF) as exc:
        list(pdfium.read_pages(b"%PDF-1.4\n" + b"\x00garbage" * 50))
    assert exc.value.kind == "broken"


def test_a_line_end_hyphen_is_a_hyphen():
    """PDFium marks a hyphen that ends a line as U+0002: the reader gives it back as a hyphen."""
    data = (FIXTURES / "shapes" / "three-column" / "chromium-2016-001.pdf").read_bytes()
    texts = "".join(c.text for p in pdfium.read_pages(data) for c in p.chars)
    assert "\x02" not in texts and "energy-" in texts


RECORD_FILES = sorted(p for p in FIXTURES.rglob("*.pdf")) + sorted((ROOT / "src" / "archive" / "samples").glob("*.pdf"))


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_both_readers_give_the_same_records(path, tmp_path_factory):
    cache = shared_ocr_folder(tmp_path_factory)  # OCR'd pages: read once a run, for both readers and other modules
    assert compare_file(path, Registry.load(), cache) == []


def test_the_reader_is_a_setting():
    from archive.settings import Settings
    assert Settings.from_env({}).pdf_reader == pdf.DEFAULT_READER == "pdfium"
    assert Settings.from_env({"ARCHIVE_PDF_READER": "pdfplumber"}).pdf_reader == "pdfplumber"
    with pytest.raises(ValueError):
        pdf.page_reader("poppler")


def without_tounicode(path) -> bytes:
    """The file with every font's ToUnicode map removed (what a careless rewrite leaves)."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(path))
    for page in writer.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font.get_object().pop("/ToUnicode", None)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("path", [FIXTURES / "shapes" / "units" / "libreoffice-2025-001.pdf",
                                  FIXTURES / "readers" / "text-states.pdf", SEED,
                                  FIXTURES / "shapes" / "gongwen" / "typst-2034-004.pdf"],
                         ids=lambda p: p.name)
def test_glyphs_without_unicode_decode_as_pdfminer_decodes_them(path):
    """A code PDFium finds no Unicode for: pdfminer's fallback (an Identity CID font's TrueType cmap,
    a simple font's encoding), or "(cid:N)" as pdfminer writes it — so the triage judges alike."""
    from archive.ingest.textlayer import needs_ocr
    data = without_tounicode(path)
    for a, b in zip(pdf.read_pages(data), pdfium.read_pages(data)):
        assert sorted(c.text for c in a.chars) == sorted(c.text for c in b.chars)
        assert needs_ocr(a) == needs_ocr(b)
