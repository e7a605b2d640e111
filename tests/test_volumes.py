"""Several issues in one PDF: a bound annual volume (合订本: cover, 目录, then each issue from its
masthead page) and a scanner's batch (masthead page after masthead page). Each issue is a record of
its own, its pages its own (page 1: its masthead page), `source_pages` where it lies in the file;
the page view, page images and the PDF download show that issue's pages of the one stored file; a
目录 that disagrees with what was found flags the issues concerned. The fixtures
(tests/fixtures/volumes/<set>/) are made by scripts/fixtures/render_volumes.py fixtures."""
import io
import json
import re

import pytest

from archive.ingest import masthead as mh
from archive.ingest.parse import parse_issues
from archive.ingest.units import Registry
from archive.ingest.volume import (Entry, check_contents, contents_entries, folio_offset, is_body, is_contents_page,
                                   issue_ranges, issue_starts, opens_issue)
from archive.model import Block, Issue
from conftest import FIXTURES, assert_matches_truth, load_truth
from geometry import line

VOLUMES = FIXTURES / "volumes"


@pytest.fixture
def data_dir(data_dir_sharing_ocr):
    """The scans imported here are recognised once a run (conftest.shared_ocr_cache)."""
    return data_dir_sharing_ocr


def volume_of(name):
    [pdf] = sorted((VOLUMES / name).glob("*.pdf"))
    truths = sorted((load_truth(p) for p in (VOLUMES / name).glob("*.truth.json")), key=lambda t: t["source_pages"])
    return pdf, truths


# --- rules, on pages built from blocks ---------------------------------------------------------------

def title(text, page, y, size=36.0):
    return Block("title", [line(text, 297 - len(text) * size / 2, y, 297 + len(text) * size / 2, page=page, size=size)])


def para(text, page, y, size=14.0):
    return Block("para", [line(text, 70, y, 520, page=page, size=size)])


BODY = "坚持以人民为中心的发展思想，把人民对美好生活的向往作为奋斗目标，推动企业高质量发展。"


def masthead_page(page, number=1, year=2012):
    return [title("中铝股份党群工作", page, 80), title(f"{year}年第{number}期（总第{number}期）", page, 130, 15),
            title("党群工作部　2012年3月8日", page, 155, 14), title("学·习之路", page, 200, 18),
            para(BODY, page, 240), para(BODY, page, 270)]


def body_page(page):
    return [para(BODY, page, 80 + 30 * k) for k in range(6)]


def footer_page(page):
    return body_page(page)[:3] + [para("（本期信息采集时间：3月1日-3月7日）", page, 400, 11),
                                  para("抄送：集团党群工作部", page, 420, 11)]


def cover_page(page, text="2012年合订本（第1期—第4期）"):
    return [title("中铝股份党群工作", page, 200, 38), title(text, page, 280, 20),
            title("中国铝业股份有限公司党群工作部", page, 600, 14)]


def contents_page(page, rows):
    return [title("目　录", page, 80, 24)] + [para(f"{text}{'.' * 40}{folio}", page, 140 + 30 * k, 15)
                                              for k, (text, folio) in enumerate(rows)]


def header_page(page):
    """A continuation page whose first line is a small running header naming the issue."""
    return [para("中铝股份党群工作　2012年第1期", page, 40, 9)] + body_page(page)


PAGES = {"mast": masthead_page, "body": body_page, "foot": footer_page, "cover": cover_page, "header": header_page,
         "toc": lambda p: contents_page(p, [("2012年第1期（总第1期）", 3), ("2012年第2期（总第2期）", 5)]),
         "mast2": lambda p: masthead_page(p, 2), "mast3": lambda p: masthead_page(p, 3),
         "blank": lambda p: [],
         "issue-cover": lambda p: cover_page(p, "2012年第1期（总第1期）") + [para(BODY, p, 400)],
         "articles": lambda p: contents_page(p, [("中州铝业、抚顺铝业、广西华昇组织党员开展主题党日活动，走访慰问困难职工", 3),
                                                 ("以史为鉴、开创未来，必须团结带领中国人民不断为美好生活而奋斗，（新华社）", 4)])}


def blocks_of(kinds):
    return [b for n, kind in enumerate(kinds, 1) for b in PAGES[kind](n)]


@pytest.mark.parametrize("kinds, starts, ranges", [
    # a lone issue: one masthead (its file is the issue, as always)
    (["mast", "body", "foot"], [1], None),
    # a scanner's batch: masthead page after masthead page
    (["mast", "foot", "mast2", "body", "foot", "mast3", "foot"], [1, 3, 6], [(1, 2), (3, 5), (6, 7)]),
    # a bound volume: cover and 目录 are the volume's
    (["cover", "toc", "mast", "foot", "mast2", "foot"], [3, 5], [(3, 4), (5, 6)]),
    # a blank verso after an issue's 版记 is the volume's, not the issue's
    (["mast", "foot", "blank", "mast2", "foot"], [1, 4], [(1, 2), (4, 5)]),
    # the next issue's own cover (its number drawn in) after a 版记: the masthead nearest its text counts
    (["mast", "foot", "cover", "mast2", "foot"], [1, 4], [(1, 2), (4, 5)]),
    # a cover naming the issue, then its masthead page: one issue
    (["cover", "mast", "body", "foot"], [2], None),
    # ...with a 目录 of long article titles between them: still one issue
    (["cover", "articles", "mast", "body", "foot"], [3], None),
    # ...or its highlights (long lines, no folios) on its cover: the same issue twice is one issue
    (["issue-cover", "mast", "body", "foot"], [2], None),
    # a running header naming the issue, in small type, starts nothing
    (["mast", "header", "foot"], [1], None),
    # no 版记: an issue runs to its last page with text before the next masthead
    (["mast", "body", "blank", "mast2", "body"], [1, 4], [(1, 2), (4, 5)]),
])
def test_issue_starts_and_ranges(kinds, starts, ranges):
    blocks = blocks_of(kinds)
    found = issue_starts(blocks)
    assert [s.page for s in found] == starts
    if ranges:
        assert issue_ranges(blocks, found, len(kinds)) == ranges


@pytest.mark.parametrize("kind, expected", [("toc", True), ("mast", False), ("cover", False), ("body", False)])
def test_a_contents_page_lists_several_issues(kind, expected):
    assert is_contents_page(PAGES[kind](1), 1) is expected


@pytest.mark.parametrize("text, expected", [
    ("学·习之路", True), (BODY, True), ("2012年第2期（总第2期）" + "." * 40 + "7", False),
    ("党群工作部　2012年3月8日", False), ("中铝股份党群工作", False), ("学习党的不懈奋斗史" + "…" * 30 + "3", False),
    # a 目录 row of an article's long title, with its folio: no body text (a cover before it stays front matter)
    ("践·铝之行：中州铝业、抚顺铝业、广西华昇组织党员开展主题党日活动，走访慰问困难职工 ……… 12", False),
    ("践·铝之行：中州铝业、抚顺铝业、广西华昇组织党员开展主题党日活动，走访慰问困难职工　12", False),
    ("截至6月底，共开展活动12次，参加党员超过300人。", True),
])
def test_body_text(text, expected):
    block = title(text, 1, 100, 18) if text == "学·习之路" else para(text, 1, 100)
    assert is_body(block) is expected


@pytest.mark.parametrize("rows, expected", [
    ([("2012年第2期（总第24期）……………… 7", None)], [(2012, 2, None, None, 7)]),
    ([("2012年合订本", None), ("第3期 ········ 第11页", None)], [(2012, 3, None, None, 11)]),
    ([("2012年第5-6期合刊 …… 13", None)], [(2012, 5, 6, None, 13)]),
    ([("2012年增刊" + "." * 20 + "20", None)], [(2012, None, None, "增刊", 20)]),
    ([("二〇一二年第十一期 ...... 31", None)], [(2012, 11, None, None, 31)]),
    ([("2012年合订本（第1期—第4期）", None)], []),  # the cover's line names no folio
    ([("学·习之路 …… 3", None)], []),  # a section's row names no issue
    ([("2012年第2期", None)], []),  # a number line without a folio
    ([("第2期（总第55期）" + "." * 30 + "4.", None)], [(None, 2, None, None, 4)]),  # a leader's dot after the folio
])
def test_contents_entries(rows, expected):
    blocks = [para(text, 1, 100 + 30 * k) for k, (text, _) in enumerate(rows)]
    got = [(e.number.year, e.number.number, e.number.number_end, e.number.special, e.page)
           for e in contents_entries(blocks)]
    assert got == expected


@pytest.mark.parametrize("pairs, offset", [
    ([(3, 3), (5, 5), (8, 8)], 0),  # file pages
    ([(1, 3), (3, 5), (6, 8)], 2),  # folios counted from the first issue, two front pages
    ([(3, 3), (7, 5), (8, 8)], 0),  # one folio off: most agree
    ([(1, 3), (5, 5)], 0),  # a tie: file pages
    ([], 0),
])
def test_folio_offset(pairs, offset):
    assert folio_offset([(Entry(mh.IssueNumber(2012, k + 1), folio), first) for k, (folio, first) in enumerate(pairs)]) == offset


def issue(number, pages=2):
    return Issue(year=2012, number=number, pages=pages)


@pytest.mark.parametrize("rows, found, flagged", [
    ([("2012年第1期", 3), ("2012年第2期", 5), ("2012年第3期", 7)], [(1, 3), (2, 5), (3, 7)], {}),
    # one folio off: that issue's page 1
    ([("2012年第1期", 3), ("2012年第2期", 6), ("2012年第3期", 7)], [(1, 3), (2, 5), (3, 7)], {2: (1,)}),
    # listed, not found: the issue whose pages hold its folio, at its own page
    ([("2012年第1期", 3), ("2012年第2期", 5), ("2012年第3期", 6)], [(1, 3), (2, 5)], {2: (2,)}),
    # found, not listed
    ([("2012年第1期", 3), ("2012年第2期", 5)], [(1, 3), (2, 5), (3, 7)], {3: (1,)}),
    # folios counted from the first issue (two front pages): all agree
    ([("2012年第1期", 1), ("2012年第2期", 3)], [(1, 3), (2, 5)], {}),
    # one row only: no volume's 目录, nothing checked
    ([("2012年第1期", 9)], [(1, 3)], {}),
    # a row whose folio is not read (OCR lost a lone 「1」) still lists its issue
    ([("2012年第1期", None), ("2012年第2期", 5), ("2012年第3期", 7)], [(1, 3), (2, 5), (3, 7)], {}),
    # listed without a folio, not found: the issue before it (which may hold it)
    ([("2012年第1期", 3), ("2012年第2期", None), ("2012年第3期", 7)], [(1, 3), (3, 7)], {1: (1,)}),
])
def test_check_contents(rows, found, flagged):
    front = [para(f"{text}{'.' * 30}{folio}" if folio else text, 2, 100 + 30 * k) for k, (text, folio) in enumerate(rows)]
    issues = [issue(n) for n, _ in found]
    check_contents(front, issues, [first for _, first in found])
    got = {i.number: r.pages for i in issues for r in i.reviews if r.kind == "contents_differ"}
    assert got == flagged


def test_a_masthead_page_opens_an_issue_as_it_is_read():
    lines = [ln for b in masthead_page(1) for ln in b.lines]
    assert opens_issue(lines) and not opens_issue([ln for b in body_page(1) for ln in b.lines])


def unnamed(line: str) -> str:
    """An import line without the name of what was found (《中铝股份党群工作》2012年第1期…)."""
    return re.sub(r" 《中铝股份党群工作》[^ ]*", "", line)


# --- the fixtures, end to end ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["volume", "batch"])
def test_each_issue_of_a_volume_is_a_record_of_its_own(archive, name):
    pdf, truths = volume_of(name)
    result = archive("import", pdf)
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith(f"{pdf}:")]
    assert len(lines) == len(truths) >= 3  # one line per issue found
    for ln, truth in zip(lines, truths):
        first, last = truth["source_pages"]
        assert f" 《中铝股份党群工作》{truth['year']}年第{truth['number']}期" in ln  # what was found, named
        assert unnamed(ln) == f"{pdf}: imported as {truth['id']} (pages {first}–{last} of the file)"
    records = {r["id"]: r for r in json.loads(archive("export").output)}
    assert set(records) == {t["id"] for t in truths}
    for truth in truths:
        record = records[truth["id"]]
        assert_matches_truth(record, truth)  # page spans: the issue's own pages
        assert record["source_pages"] == truth["source_pages"] and record["pages"] == truth["pages"]
        assert not record["needs_review"], record["id"]
    if name == "batch":  # among them an issue whose masthead sits halfway down, under a photo
        import pdfplumber
        with pdfplumber.open(pdf) as doc:
            opening = [doc.pages[t["source_pages"][0] - 1] for t in truths]
            assert any(p.images and min(c["top"] for c in p.chars) > max(i["bottom"] for i in p.images) > p.height / 5
                       for p in opening)
    again = [ln for ln in archive("import", pdf).output.splitlines() if ln.startswith(f"{pdf}:")]
    assert [unnamed(ln.split(": ", 1)[1]) for ln in again] == [
        f"already imported as {t['id']} (pages {t['source_pages'][0]}–{t['source_pages'][1]} of the file)" for t in truths]


def test_a_scanned_batch_is_cut_into_its_issues(archive):
    """A scanner's batch of two issues, image-only pages read by OCR (120 dpi, grey)."""
    from archive.ingest import ocr
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")
    pdf, truths = volume_of("batch-scanned")
    result = archive("import", pdf)
    assert [unnamed(ln.split(": ", 1)[1]) for ln in result.output.splitlines() if ln.startswith(f"{pdf}:")] == [
        f"imported as {t['id']} (pages {t['source_pages'][0]}–{t['source_pages'][1]} of the file)" for t in truths]
    records = {r["id"]: r for r in json.loads(archive("export").output)}
    for truth in truths:
        record = records[truth["id"]]
        assert record["source_pages"] == truth["source_pages"]
        for field in ("year", "number", "total_number", "date", "publisher", "collection_period"):
            assert str(record[field]) == str(truth[field]), field
        got = [(it["page_start"], it["page_end"]) for s in record["sections"] for it in s["items"]]
        want = [(it["page_start"], it["page_end"]) for s in truth["sections"] for it in s["items"]]
        assert got == want


def test_parallel_import_gives_each_issue_in_file_order(archive):
    pdf, truths = volume_of("volume")
    lone = FIXTURES / "newsletter" / "2021-005.pdf"
    out = archive("import", "--jobs", "2", pdf, lone).output
    lines = [unnamed(ln) for ln in out.splitlines() if "imported as" in ln]
    assert lines == [f"{pdf}: imported as {t['id']} (pages {t['source_pages'][0]}–{t['source_pages'][1]} of the file)"
                     for t in truths] + [f"{lone}: imported as 2021-005"]


def test_a_volume_is_stored_once_and_checked_whole(archive, data_dir):
    from archive.service.checking import orphan_files
    from archive.store import DataDir
    pdf, truths = volume_of("volume")
    archive("import", pdf)
    d = DataDir(data_dir)
    assert len(list(d.stored_files())) == 1
    assert archive("check").exit_code == 0
    with d.records() as records:
        assert not orphan_files(records, d, min_age=0)
        assert [i for i, _ in records.issues_for_sha(records.sha_for_issue(truths[0]["id"]))] == [t["id"] for t in truths]


def test_a_lone_issue_is_read_as_before(shared_ocr_cache):
    """One masthead: the file is the issue, its pages physical (a cover included), no source_pages."""
    pdf = FIXTURES / "shapes" / "cover" / "2009-001.pdf"
    [issue] = parse_issues(pdf.read_bytes(), Registry.load(), ocr_cache=shared_ocr_cache)
    assert issue.source_pages is None and issue.issue_id("x") == "2009-001"
    assert min(it.page_start for s in issue.sections for it in s.items) == 3


def test_a_contents_page_that_lies_flags_the_issue_concerned(archive):
    pdf, truths = volume_of("lies")
    output = archive("import", pdf).output
    records = {r["id"]: r for r in json.loads(archive("export").output)}
    review = json.loads(archive("review", "--json").output)
    flagged = {e["issue"] for e in review if any(r["kind"] == "contents_differ" for r in e.get("reviews") or [])}
    assert flagged == {t["id"] for t in truths if "contents_differ" in t["expect_reviews"]} != set()
    for truth in truths:
        assert_matches_truth(records[truth["id"]], truth)  # the records themselves are right
    assert "contents page (目录) disagrees" in output


# --- the web: page view, page image and PDF of the third issue -----------------------------------------

@pytest.fixture
def volume_app(tmp_path):
    from archive.service.importing import Importer
    from archive.store import DataDir
    from archive.web import create_app
    pdf, truths = volume_of("volume")
    d = DataDir(tmp_path / "data")
    with d.records() as records:
        results = list(Importer(records, d).import_paths([pdf]))
    assert [r.status for r in results] == ["imported"] * len(truths)
    app = create_app({"TESTING": True, "DATA_DIR": str(d.root), "SECRET_KEY": "test", "ADMIN_TOKEN": None})
    yield app, pdf, truths
    app.extensions["archive.jobs"].close(kill=True)
    app.extensions["archive.renderer"].close()
    app.extensions["archive.search"].close()


def render_file_page(pdf, page, scale):
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return doc[page - 1].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()


def test_the_page_view_of_the_third_issue_shows_its_file_page(volume_app):
    from PIL import Image, ImageChops
    from archive.web.pageimages import SCALE
    app, pdf, truths = volume_app
    third = truths[2]
    file_page = third["source_pages"][0]
    client = app.test_client()
    view = client.get(f"/issues/{third['id']}/pages/1")
    assert view.status_code == 200 and f"/issues/{third['id']}/pages/1.png" in view.get_data(as_text=True)
    png = client.get(f"/issues/{third['id']}/pages/1.png")
    assert png.status_code == 200
    shown = Image.open(io.BytesIO(png.data)).convert("RGB")
    want = render_file_page(pdf, file_page, SCALE)
    other = render_file_page(pdf, 1, SCALE)  # the volume's cover, not the issue
    assert shown.size == want.size
    assert ImageChops.difference(shown, want).getbbox() is None
    assert ImageChops.difference(shown, other).getbbox() is not None
    # past the issue's last page: none (its pages are its own)
    assert client.get(f"/issues/{third['id']}/pages/{third['pages'] + 1}").status_code == 404


def test_the_pdf_download_is_the_issues_pages(volume_app):
    import pdfplumber
    app, pdf, truths = volume_app
    third = truths[2]
    r = app.test_client().get(f"/issues/{third['id']}/pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(r.data)) as part, pdfplumber.open(pdf) as whole:
        assert len(part.pages) == third["pages"]
        first = third["source_pages"][0]
        assert [p.extract_text() for p in part.pages] == [whole.pages[first - 1 + k].extract_text()
                                                         for k in range(third["pages"])]
    again = app.test_client().get(f"/issues/{third['id']}/pdf", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


def test_the_export_and_api_carry_source_pages(volume_app):
    app, pdf, truths = volume_app
    record = app.test_client().get(f"/api/issues/{truths[1]['id']}").get_json()
    assert record["source_pages"] == truths[1]["source_pages"]


# --- the store: a data folder of schema 6 (sha256 UNIQUE) takes a volume after its migration ------------

def test_schema_6_migrates_and_then_holds_a_volume(archive, data_dir):
    import sqlite3
    from archive.store import schema
    assert archive("import", FIXTURES / "newsletter" / "2021-005.pdf").exit_code == 0
    db = data_dir / "archive.sqlite3"
    conn = sqlite3.connect(db)
    items_before = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    conn.execute("PRAGMA foreign_keys=OFF")
    old = schema.ISSUES_TABLE.format(name="issues_old").replace("sha256 TEXT NOT NULL,", "sha256 TEXT NOT NULL UNIQUE,")
    old = old.replace(",\n    title TEXT,\n    collection TEXT NOT NULL DEFAULT 'bulletin',\n    source_first INTEGER, source_last INTEGER", "")
    conn.executescript(old + "INSERT INTO issues_old SELECT id, sha256, original_name, publication, year, number,"
                       " number_end, special, total_number, date, publisher, collection_period, distribution, cc,"
                       " email, pages, needs_review, review_reasons FROM issues; DROP TABLE issues;"
                       " ALTER TABLE issues_old RENAME TO issues; ALTER TABLE items DROP COLUMN line_starts;"
                       " DROP TABLE removed; UPDATE meta SET value = '6'"
                       " WHERE key = 'schema_version';")
    conn.commit()
    conn.close()
    pdf, truths = volume_of("volume")
    result = archive("import", pdf)
    assert result.exit_code == 0 and result.output.count("imported as") == len(truths), result.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(schema.SCHEMA_VERSION)
    assert conn.execute("SELECT COUNT(*) FROM items WHERE issue_id = '2021-005'").fetchone()[0] == items_before
    assert conn.execute("SELECT COUNT(DISTINCT sha256), COUNT(*) FROM issues").fetchone() == (2, len(truths) + 1)
    assert archive("check").exit_code == 0


def test_replacing_issues_of_a_volume_orphans_its_file_only_when_none_is_left(archive, data_dir, tmp_path):
    from archive.ingest.pdf import extract_pages
    from archive.service.checking import orphan_files
    from archive.store import DataDir
    pdf, truths = volume_of("volume")
    archive("import", pdf)
    d = DataDir(data_dir)
    for k, truth in enumerate(truths):
        lone = tmp_path / f"{truth['id']}.pdf"
        lone.write_bytes(extract_pages(pdf, *truth["source_pages"]))
        out = archive("import", "--replace", lone).output
        assert f"replaced as {truth['id']}" in out, out
        with d.records() as records:
            orphans = orphan_files(records, d, min_age=0)
        assert bool(orphans) == (k == len(truths) - 1)  # the volume's file: held while one issue is its
    records = {r["id"]: r for r in json.loads(archive("export").output)}
    for truth in truths:  # an issue cut out of the volume is a lone file: its pages are the same
        assert records[truth["id"]]["source_pages"] is None
        assert_matches_truth(records[truth["id"]], truth)


def test_reparse_reads_a_volume_once_and_keeps_each_issue(archive, monkeypatch):
    import archive.service.importing as importer
    pdf, truths = volume_of("volume")
    archive("import", pdf)
    third = truths[2]["id"]
    archive("correct", f"{third}-001", "--add-unit", "热电厂")
    before = json.loads(archive("export").output)
    calls = []
    real = importer.parse_issues
    monkeypatch.setattr(importer, "parse_issues", lambda *a, **k: calls.append(1) or real(*a, **k))
    out = archive("reparse").output
    assert len(calls) == 1, out  # one file, one parse, for its issues
    assert json.loads(archive("export").output) == before


def test_the_web_job_lists_each_issue(tmp_path):
    from archive.service import jobs
    from archive.store import DataDir
    from archive.web.jobview import job_view
    pdf, truths = volume_of("volume")
    queue = jobs.JobQueue(DataDir(tmp_path / "data"))
    job = queue.submit([("volume.pdf", lambda dest: dest.write_bytes(pdf.read_bytes()))])
    assert jobs.run_worker(queue.datadir, memory_mb=None) == 1
    [f] = job_view(queue.read(job["id"]))["files"]
    assert f["status"] == "imported" and f["status_cn"] == f"{len(truths)} 期：已导入 {len(truths)}"
    assert [i["id"] for i in f["issues"]] == [t["id"] for t in truths]
    assert [i["label"] for i in f["issues"]] == [
        f"《中铝股份党群工作》{t['year']}年第{t['number']}期（总第{t['total_number']}期）"
        f"（文件第 {t['source_pages'][0]}–{t['source_pages'][1]} 页）" for t in truths]


# --- no silent loss: a volume read as one issue says so ---------------------------------------------

@pytest.mark.parametrize("titles, pages", [
    (["学·习之路", "思·理之源", "践·铝之行"], []),
    (["学·习之路", "思·理之源", "学·习之路", "思·理之源"], [3]),
    ([None, "学·习之路", None], []),  # untitled runs of text are no section titles
])
def test_repeated_sections(titles, pages):
    from archive.ingest.parse import repeated_sections
    from archive.model import Item, Section
    issue = Issue(sections=[Section(t, [Item("text", n + 1, n + 1)]) for n, t in enumerate(titles)])
    assert repeated_sections(issue) == pages


def test_a_volume_whose_mastheads_were_missed_is_flagged(monkeypatch):
    import archive.ingest.parse as parse
    pdf, truths = volume_of("volume")
    monkeypatch.setattr(parse, "issue_starts", lambda blocks: [])  # as if no masthead were found
    [issue] = parse_issues(pdf.read_bytes(), Registry.load())
    [review] = [r for r in issue.reviews if r.kind == "repeated_sections"]
    assert review.pages[0] == truths[1]["source_pages"][0]  # where the second issue's first section is


def test_a_scanned_batch_issue_downloads_as_its_own_searchable_pages(archive, tmp_path):
    """An issue of a scanned batch as a searchable PDF: its own pages cut out of the file (not the
    whole batch), with the text layer of its own records on them."""
    import subprocess

    from archive.ingest import ocr
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")
    pdf, truths = volume_of("batch-scanned")
    assert archive("import", pdf).exit_code == 0
    second = truths[1]
    out = tmp_path / "second.pdf"
    assert archive("pdf", second["id"], "-o", out).exit_code == 0
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:           {second['pages']}" in info
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    record = next(r for r in json.loads(archive("export").output) if r["id"] == second["id"])
    first_item = re.sub(r"\s+", "", record["sections"][0]["items"][0]["text"])
    assert first_item[:12] in text
    other = next(r for r in json.loads(archive("export").output) if r["id"] == truths[0]["id"])
    assert re.sub(r"\s+", "", other["sections"][-1]["items"][-1]["text"])[:12] not in text  # not the first issue's
