"""Office scans (scripts/fixtures/degrade_scans.py): pages turned 90°, 180° or 270° — stored so, or by a
PDF /Rotate, or both cancelling — skewed, at 150 dpi, JPEG, tinted paper. Each page is found
the right way round, straightened and read; the records match the truth within OCR's error."""
import json
import sqlite3

import pytest

from conftest import FIXTURES, items_match, load_truth, share_ocr_cache, shared_ocr_folder, squash

SCANS = FIXTURES / "scans"
MAX_CER = 0.02  # per item: OCR's character errors


def import_scans(tmp_path_factory, *names):
    """The scans imported by the CLI into a data folder of their own: (runner, data, export by id)."""
    from archive.ingest import ocr
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")
    from click.testing import CliRunner

    from archive.cli.main import cli
    data = share_ocr_cache(tmp_path_factory.mktemp("scans") / "data", shared_ocr_folder(tmp_path_factory))
    runner = CliRunner()
    result = runner.invoke(cli, ["--data", str(data), "import", *(str(SCANS / n) for n in names)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    export = json.loads(runner.invoke(cli, ["--data", str(data), "export"], catch_exceptions=False).output)
    return runner, data, {r["id"]: r for r in export}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    _, data, records = import_scans(tmp_path_factory, "2016-006.pdf", "2018-002.pdf")
    return data, records


@pytest.mark.parametrize("issue_id", ["2016-006", "2018-002"])
def test_a_turned_scan_is_read_straightened(imported, issue_id):
    data, records = imported
    truth = load_truth(SCANS / f"{issue_id}.truth.json")
    record = records[issue_id]
    for field in ("year", "number", "total_number", "date", "publisher"):
        assert record[field] == truth[field], field
    assert [s["title"] for s in record["sections"]] == [s["title"] for s in truth["sections"]]
    items_match(record, truth, MAX_CER)
    # how far each page was turned, as a viewer shows it, is kept (the page is shown straightened)
    turned = dict(sqlite3.connect(data / "archive.sqlite3").execute(
        "SELECT page, rotation FROM pages WHERE issue_id = ?", (issue_id,)).fetchall())
    assert turned == {s["page"]: s["rotate"] for s in truth["scan"]}


def test_a_turned_page_is_shown_straightened(imported):
    """The page image of a page read turned is drawn turned back, so that it reads upright and the
    items' boxes (in the straightened page's coordinates) fall on its text: it is the unturned
    drawing turned as OCR turned it, and the page view's frame has its straightened size."""
    import io
    import re

    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    from archive.web import create_app
    data, _ = imported
    truth = load_truth(SCANS / "2016-006.truth.json")
    page = next(s["page"] for s in truth["scan"] if s["rotate"] in (90, 270))
    rotate = next(s["rotate"] for s in truth["scan"] if s["page"] == page)
    app = create_app({"TESTING": True, "DATA_DIR": str(data)})
    try:
        client = app.test_client()
        resp = client.get(f"/issues/2016-006/pages/{page}.png")
        assert resp.status_code == 200
        shown = np.asarray(Image.open(io.BytesIO(resp.data)).convert("L"), dtype=np.int16)
        view = client.get(f"/issues/2016-006/pages/{page}").get_data(as_text=True)
    finally:
        app.extensions["archive.renderer"].close()
    doc = pdfium.PdfDocument(str(SCANS / "2016-006.pdf"))
    try:
        plain = doc[page - 1].render(scale=2.0).to_pil().convert("L")
    finally:
        doc.close()
    upright = np.rot90(np.asarray(plain, dtype=np.int16), k=rotate // 90)  # as OCR straightened it
    assert shown.shape == upright.shape
    assert np.abs(shown - upright).mean() < 3  # the same drawing (not the other way round: ~40)
    assert np.abs(shown - np.rot90(upright, 2)).mean() > 10
    w, h = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', view).groups())
    assert (w > h) == (shown.shape[1] > shown.shape[0])


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    runner, data, records = import_scans(tmp_path_factory, "book.pdf")
    (record,) = records.values()
    assert record["id"].startswith("doc-")  # not the bulletin
    return runner, data, record


def test_a_scanned_book_keeps_its_outline_and_paragraphs(book):
    """A book page scan (justified text, running header, footnotes; not the bulletin): its chapter
    title is the section, its numbered titles head the paragraphs after them, and each printed
    paragraph — across lines, pages and OCR's ragged line ends — is one item (regression: the
    first lines each became an item, and the titles items of their own)."""
    _, _, record = book
    truth = load_truth(SCANS / "book.truth.json")
    assert [squash(s["title"]) for s in record["sections"]] == [squash(s["title"]) for s in truth["sections"]]
    for g, t in items_match(record, truth, MAX_CER):
        assert g["heading"] == t.get("heading"), t["text"][:20]
        assert g["units"] == []  # 女工陈国栋所在的班组: no unit


def test_a_phrase_across_a_scanned_books_line_break_is_found(book):
    from archive.cli.main import cli
    runner, data, record = book
    text = next(it["text"] for s in record["sections"] for it in s["items"] if "业余技术学校" in it["text"])
    phrase = text[text.index("业余技术学校") - 4:text.index("业余技术学校") + 10]
    hits = json.loads(runner.invoke(cli, ["--data", str(data), "search", "--json", f'"{phrase}"']).output)
    assert hits["total"] >= 1 and all(phrase in h["text"] for h in hits["hits"])
