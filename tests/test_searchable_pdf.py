"""Issue 24 §1: a scanned issue downloads as a searchable PDF — the original pages, their images
untouched, with an invisible text layer from the records (as corrected) on the OCR'd pages."""
import hashlib
import re
import shutil
import subprocess

import pytest
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from conftest import FIXTURES, share_ocr_cache, shared_ocr_folder, squash

SCANS = FIXTURES / "scans"
MAX_CER = 0.01
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfimages") is None,
                                reason="poppler-utils (pdftotext, pdfimages) not installed")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """Two scans imported: 2016-006 (page 2's content turned a quarter) and 2018-002 (pages turned by
    the PDF's /Rotate, one of them cancelled by the image's own turn; two columns)."""
    from click.testing import CliRunner

    from archive.cli.main import cli
    from archive.ingest import ocr
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")
    data = share_ocr_cache(tmp_path_factory.mktemp("searchable") / "data", shared_ocr_folder(tmp_path_factory))
    runner = CliRunner()
    result = runner.invoke(cli, ["--data", str(data), "import", str(SCANS / "2016-006.pdf"),
                                 str(SCANS / "2018-002.pdf")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return data


def cli(data, *args):
    from click.testing import CliRunner

    from archive.cli.main import cli as main
    return CliRunner().invoke(main, ["--data", str(data), *map(str, args)], catch_exceptions=False)


def pdftotext(path, *args, page=None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *args, *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def items(data, issue_id):
    from archive.store import DataDir
    with DataDir(data).records() as records:
        return records.items_of_issue(issue_id), records.issue_row(issue_id)["pages"]


def found(needle: str, haystack: str) -> int:
    """Character errors of `needle` against the best-matching stretch of `haystack`."""
    if not needle:
        return 0
    al = fuzz.partial_ratio_alignment(needle, haystack)
    return Levenshtein.distance(needle, haystack[al.dest_start:al.dest_end])


@pytest.mark.parametrize("issue_id", ["2016-006", "2018-002"])
def test_a_scan_downloads_with_its_text(scanned, tmp_path, issue_id):
    out = tmp_path / f"{issue_id}.pdf"
    result = cli(scanned, "pdf", issue_id, "-o", out)
    assert result.exit_code == 0, result.output
    assert "text layer" in result.output
    records, pages = items(scanned, issue_id)
    # in the order it was laid (the content stream's: reading order), every item whole
    raw = squash(pdftotext(out, "-raw"))
    for it in records:
        text = squash(it["text"])
        assert found(text, raw) / len(text) <= MAX_CER, it["id"]
    # read as a viewer reads it (by where the text lies), every printed line of every item on its page
    from archive.report.searchable_pdf import page_lines
    page_text = {p: squash(pdftotext(out, page=p)) for p in range(1, pages + 1)}
    errors = total = 0
    for it in records:
        lines = page_lines([it])
        miss = sum(found(squash(line), page_text[p]) for p, on_page in lines.items() for line, _ in on_page)
        assert miss / len(squash(it["text"])) <= MAX_CER, it["id"]
        errors, total = errors + miss, total + len(squash(it["text"]))
    assert total > 500 and errors / total <= MAX_CER
    # the text is laid invisibly (render mode 3) in a font that maps to Unicode
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"GlyphLessFont\s+CID TrueType\s+Identity-H\s+yes\s+no\s+yes", fonts), fonts


def image_list(path) -> list[list[str]]:
    """`pdfimages -list` without its object numbers (the objects are renumbered when written)."""
    rows = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return [r.split()[:10] + r.split()[12:] for r in rows.splitlines()[2:]]


def image_streams(path) -> list[str]:
    """The raw (still encoded) bytes of every image on every page, hashed."""
    from pypdf import PdfReader
    out = []
    for page in PdfReader(path).pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        for name in sorted(xobjects):
            obj = xobjects[name].get_object()
            if obj.get("/Subtype") == "/Image":
                out.append(hashlib.sha256(obj._data).hexdigest())
    return out


def test_the_pages_are_the_original_pages(scanned, tmp_path):
    from archive.store import DataDir
    out = tmp_path / "2016-006.pdf"
    assert cli(scanned, "pdf", "2016-006", "-o", out).exit_code == 0
    with DataDir(scanned).records() as records:
        original = DataDir(scanned).pdf_path(records.issue_row("2016-006")["sha256"])
    assert image_list(out) == image_list(original) and len(image_list(out)) == 2
    assert image_streams(out) == image_streams(original)
    assert pdftotext(original).strip() == ""  # the scan itself has no text: all of it is the layer's


def test_a_correction_is_what_the_pdf_says(scanned, tmp_path):
    records, _ = items(scanned, "2016-006")
    item = records[1]
    assert "读红色家书" in item["text"]
    corrected = item["text"].replace("读红色家书", "读红色书信")
    assert cli(scanned, "correct", item["id"], "--text", corrected).exit_code == 0
    out = tmp_path / "corrected.pdf"
    assert cli(scanned, "pdf", "2016-006", "-o", out).exit_code == 0
    text = squash(pdftotext(out, page=item["page_start"]))
    assert "读红色书信" in text and "读红色家书" not in text


def test_the_web_gives_it_and_the_original(scanned, tmp_path):
    from archive.web import create_app
    from archive.store import DataDir
    app = create_app({"TESTING": True, "DATA_DIR": str(scanned), "SECRET_KEY": "test", "ADMIN_TOKEN": None})
    try:
        client = app.test_client()
        page = client.get("/issues/2018-002").get_data(as_text=True)
        assert "/issues/2018-002/pdf?text=1" in page and 'href="/issues/2018-002/pdf"' in page
        searchable = client.get("/issues/2018-002/pdf?text=1")
        assert searchable.status_code == 200 and searchable.mimetype == "application/pdf"
        (tmp_path / "web.pdf").write_bytes(searchable.data)
        assert "中铝" in pdftotext(tmp_path / "web.pdf")
        with DataDir(scanned).records() as records:
            stored = DataDir(scanned).pdf_path(records.issue_row("2018-002")["sha256"]).read_bytes()
        assert client.get("/issues/2018-002/pdf").data == stored
    finally:
        app.extensions["archive.jobs"].close(kill=True)
        app.extensions["archive.renderer"].close()
        app.extensions["archive.search"].close()


def test_a_born_digital_issue_is_given_as_it_is(app, client, samples_copy, tmp_path):
    from archive.store import DataDir
    with DataDir(samples_copy).records() as records:
        stored = DataDir(samples_copy).pdf_path(records.issue_row("2021-005")["sha256"]).read_bytes()
    assert client.get("/issues/2021-005/pdf?text=1").data == stored
    assert "?text=1" not in client.get("/issues/2021-005").get_data(as_text=True)
    out = tmp_path / "x.pdf"
    assert cli(samples_copy, "pdf", "2021-005", "-o", out).exit_code == 0
    assert out.read_bytes() == stored
    assert cli(samples_copy, "pdf", "1999-001").exit_code == 2
