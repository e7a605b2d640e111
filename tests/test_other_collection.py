"""Issue 22 §2: documents that are not the bulletin stay apart. Seen: a 纪律处分决定书 imported by
mistake was cited 「《中铝股份党群工作》，第1–2页」 on the web and in Word; its 「实际控制人黄巍」 and, from
another file, 盖章/措施/知识图谱/智能助教 appeared as units to every reader; the review queue grew from 7
to 72 entries and named the file only `doc-<hash>`. Now such a document is cited by its own title
(else its file's name) and page, searched in its own collection 「其他文件」, kept off the units'
pages; units the parser found are suggestions in the review queue, not units readers see; an
import is named by its title and file; and an editor can remove an import, restore it, purge it."""
import csv
import io
import json
import re
import shutil
import sqlite3

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from conftest import cli_on
from webtools import FIXTURES, csrf, html

UNITS_ISSUE = FIXTURES / "shapes" / "units" / "libreoffice-2025-001.pdf"  # units the registry lacks
GONGWEN = FIXTURES / "real" / "gongwen_mockup_notice_wps.pdf"  # 国防部关于放假的通知 (国防部: discovered)


def decision_pdf(path):
    """A two-page 纪律处分决定书 (not the bulletin): the issuing body's mark, a document number, the
    title; a paragraph naming a person the parser takes for a unit, one naming a registered unit."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 22)
    c.drawCentredString(297, 790, "中国某某业协会")
    c.setFont("STSong-Light", 12)
    c.drawCentredString(297, 755, "某协处分〔2025〕334号")
    c.setFont("STSong-Light", 18)
    c.drawCentredString(297, 715, "纪律处分决定书")
    c.setFont("STSong-Light", 12)
    y = 675
    for para in (["当事人：黄某，男，1979年11月出生。经查，实际控制人黄某利用基金财产为自己", "牟利，情节严重。"],
                 ["实际控制人黄某组织人员转移基金财产，违反了有关规定。"]):
        for i, text in enumerate(para):
            c.drawString(96 if i == 0 else 72, y, text)
            y -= 20
    c.showPage()
    c.setFont("STSong-Light", 12)
    c.drawString(96, 780, "兰州铝业组织党员干部学习本决定书，开展警示教育。")
    c.drawString(96, 740, "如对以上纪律处分决定有异议，可以在十五个工作日内申请复核。")
    c.save()


@pytest.fixture(scope="module")
def mixed_data(samples_data, tmp_path_factory):
    """The samples, a bulletin issue printing units the registry lacks, and two documents that are
    not the bulletin (a 纪律处分决定书 made here, a 公文), imported once for the module: (folder,
    what the tests read of its making — the import's output, the review queue before it)."""
    root = tmp_path_factory.mktemp("mixed") / "data"
    shutil.copytree(samples_data, root, symlinks=True)
    decision = root.parent / "decision.pdf"
    decision_pdf(decision)
    run = cli_on(root)
    before = json.loads(run("review", "--json").output)
    out = run("import", UNITS_ISSUE, decision, GONGWEN).output
    return root, {"output": out, "before": before, "decision": decision}


@pytest.fixture
def samples_copy(request, tmp_path, samples_data):
    """conftest's, but a test that asks for `mixed` gets its app (and CLI) on a copy of the mixed archive."""
    src = request.getfixturevalue("mixed_data")[0] if "mixed" in request.fixturenames else samples_data
    dest = tmp_path / "data"
    shutil.copytree(src, dest, symlinks=True)
    return dest


@pytest.fixture
def mixed(mixed_data, samples_copy):
    return mixed_data[1]


def doc_id(client, word):
    hits = client.get("/api/search", query_string={"q": word}).get_json()["hits"]
    return next(h for h in hits if h["collection"] == "other")


# --- cited by its own title and page ---------------------------------------------------------------

def test_a_document_is_cited_by_its_own_title_and_page(client, mixed):
    hit = doc_id(client, "警示教育")
    assert hit["id"].startswith("doc-") and hit["doc_title"] == "纪律处分决定书"
    assert hit["citation"] == "《纪律处分决定书》，第2页" and hit["match_pages"] == [2]
    assert hit["citation_gbt"] == "纪律处分决定书[Z]: 2."
    assert "中铝股份党群工作" not in hit["citation"] + hit["citation_gbt"]
    notice = doc_id(client, "放假")
    assert notice["citation"].startswith("《国防部关于放假的通知》，第1页")  # the title after its 文号


def test_a_document_without_a_title_is_cited_by_its_file_name(archive, tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "会议记录-三月.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 780, "三月份会议讨论了安全生产工作，与会人员发言踊跃，形成了三项意见。")
    c.save()
    archive("import", path)
    hit = json.loads(archive("search", "安全生产", "--json").output)["hits"][0]
    assert hit["citation"] == "会议记录-三月.pdf，第1页" and hit["collection"] == "other"


def test_the_word_report_and_the_web_cite_it_so(client, mixed, app_cli, tmp_path):
    from docx import Document
    out = tmp_path / "r.docx"
    app_cli("report", "警示教育", "-o", out)
    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "出处：《纪律处分决定书》，第2页" in text and "《中铝股份党群工作》" not in text.split("检索结果")[-1]
    page = html(client.get("/", query_string={"q": "警示教育"}))
    assert "其他文件" in page and "《纪律处分决定书》，第2页" in page
    assert "《中铝股份党群工作》，第" not in page


# --- its own collection ---------------------------------------------------------------------------

def test_it_is_searched_in_its_own_collection(client, mixed):
    both = client.get("/api/search", query_string={"q": "兰州铝业", "facets": "1"}).get_json()
    assert dict(both["facets"]["collection"]) == {"bulletin": both["total"] - 1, "other": 1}
    other = client.get("/api/search", query_string={"q": "兰州铝业", "collection": "other"}).get_json()
    assert [h["collection"] for h in other["hits"]] == ["other"]
    bulletin = client.get("/api/search", query_string={"q": "兰州铝业", "collection": "bulletin"}).get_json()
    assert bulletin["total"] == both["total"] - 1 and all(h["collection"] == "bulletin" for h in bulletin["hits"])
    assert client.get("/api/search", query_string={"q": "兰州铝业", "collection": "x"}).status_code == 400
    page = html(client.get("/", query_string={"q": "兰州铝业"}))
    assert 'data-facet="collection"' in page and "其他文件</a>" in page


def test_it_stays_off_the_units_pages_and_reports(client, mixed, app_cli):
    unit = html(client.get("/units/兰州铝业"))
    assert "警示教育" not in unit and "纪律处分" not in unit
    assert "警示教育" in html(client.get("/units/兰州铝业", query_string={"collection": "all"}))
    rows = list(csv.DictReader(io.StringIO(client.get("/units/兰州铝业/report.csv").data.decode("utf-8-sig"))))
    assert rows and not any("警示" in r["正文"] for r in rows)
    report = app_cli("report", "--unit", "兰州铝业", "--activities", "--format", "csv", "-o", "-").output
    assert "警示教育" not in report
    assert "警示教育" in app_cli("report", "--unit", "兰州铝业", "--activities", "--collection", "other",
                              "--format", "csv", "-o", "-").output


# --- units the parser found: the editors' suggestions, not the readers' units ----------------------

@pytest.mark.parametrize("name", ["实际控制人黄某", "国防部", "云铝建水"])
def test_a_discovered_unit_is_not_shown_to_readers(client, mixed, name):
    assert name not in {u["unit"] for u in client.get("/api/units").get_json()}
    assert name not in html(client.get("/units"))
    assert client.get(f"/units/{name}").status_code == 404
    for q in ("黄某", "放假", "云铝建水"):
        out = client.get("/api/search", query_string={"q": q, "facets": "1"}).get_json()
        assert name not in {u for u, _ in out["facets"]["unit"]}
        assert all(name not in h["units"] for h in out["hits"])
        assert f">{name}</a>" not in html(client.get("/", query_string={"q": q}))


def test_editors_see_the_bulletins_suggestions_in_the_queue_with_examples(mixed, app_cli, client):
    queue = json.loads(app_cli("review", "--json").output)
    new = {e["unit"]: e for e in queue if e["kind"] == "new_unit"}
    assert "云铝建水" in new and new["云铝建水"]["examples"]  # the bulletin's: a suggestion, with examples
    assert "国防部" not in new and "实际控制人黄某" not in new  # not the other documents'
    registered = app_cli("units", "add", "云铝建水")
    assert registered.exit_code == 0 and "云铝建水" in {u["unit"] for u in client.get("/api/units").get_json()}


def test_the_review_queue_grows_by_one_named_entry_per_document(mixed, app_cli):
    after = json.loads(app_cli("review", "--json").output)

    def of_documents(e):
        return (e.get("issue") or "").startswith("doc-") or (e.get("item") or "").startswith("doc-") \
            or any(x["item"].startswith("doc-") for x in e.get("examples", []))
    docs = [e for e in after if of_documents(e)]
    assert sorted((e["kind"], e["title"], e["original_name"]) for e in docs) == sorted([
        ("needs_review", "其他文件《纪律处分决定书》", "decision.pdf"),
        ("needs_review", "其他文件《国防部关于放假的通知》", GONGWEN.name)])
    text = app_cli("review").output
    assert re.search(r"document doc-\w+ needs review: .* — 其他文件《纪律处分决定书》 \(decision\.pdf\)", text)


def test_the_review_page_names_the_file(editor_app, mixed):
    c = editor_client(editor_app)
    page = html(c.get("/review"))
    assert "其他文件《纪律处分决定书》" in page and "（文件 decision.pdf）" in page


def editor_client(app):
    """An editor account, logged in."""
    from archive.store.accounts import Accounts
    with app.extensions["archive.datadir"].records() as records:
        Accounts(records.conn).add("王编辑", "editor", "a-long-password-1")
    c = app.test_client()
    token = csrf(c.get("/login"))
    assert c.post("/login", data={"name": "王编辑", "password": "a-long-password-1", "csrf_token": token}).status_code == 303
    return c


def test_an_import_is_named_by_its_title_and_file(mixed):
    out = mixed["output"]
    assert re.search(r"decision\.pdf: imported as doc-\w+ 其他文件《纪律处分决定书》 \(not the bulletin: kept apart\)", out)
    assert re.search(r"libreoffice-2025-001\.pdf: imported as 2025-001 《中铝股份党群工作》2025年第1期", out)


# --- remove an import, restore it, purge it ---------------------------------------------------------

def test_remove_restore_and_purge_on_the_command_line(client, mixed, app_cli, app):
    doc = doc_id(client, "警示教育")["issue"]
    datadir = app.config["DATA_DIR"]
    sha = sqlite3.connect(datadir / "archive.sqlite3").execute("SELECT sha256 FROM issues WHERE id = ?",
                                                                (doc,)).fetchone()[0]
    out = app_cli("remove", doc, "--who", "王编辑", "--note", "误导入").output
    assert out.startswith(f"removed {doc} 其他文件《纪律处分决定书》（decision.pdf） by 王编辑")
    assert client.get("/api/search", query_string={"q": "警示教育"}).get_json()["total"] == 0  # the index: at once
    assert client.get(f"/issues/{doc}").status_code == 404
    assert "警示教育" not in app_cli("export").output
    with sqlite3.connect(datadir / "archive.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM items WHERE issue_id = ?", (doc,)).fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM activities WHERE item_id LIKE ?", (doc + "%",)).fetchone()[0] == 0
    from archive.service.checking import orphan_files
    from archive.store import DataDir
    with DataDir(datadir).records() as records:  # its file is kept (restorable), not an orphan, however old
        assert not orphan_files(records, DataDir(datadir), min_age=0)
    history = app_cli("history", doc).output
    assert "王编辑" in history and "remove_issue" in history and "误导入" in history
    assert doc in app_cli("restore-removed").output  # listed
    assert app_cli("restore-removed", doc, "--who", "李编辑").output.strip() == f"restored {doc} as {doc}"
    assert client.get("/api/search", query_string={"q": "警示教育"}).get_json()["total"] == 1
    assert "[reverted by 李编辑]" in app_cli("history", doc).output
    app_cli("remove", doc)
    pdf = datadir / "pdfs" / sha[:2] / f"{sha}.pdf"
    assert pdf.exists()
    assert app_cli("purge").output.strip() == f"purged {doc} 其他文件《纪律处分决定书》（decision.pdf）"
    assert not pdf.exists() and app_cli("check").exit_code == 0
    assert app_cli("restore-removed", doc).exit_code != 0
    assert "[purged]" in app_cli("history", doc).output  # who removed it, and when, stays
    again = app_cli("import", mixed["decision"]).output  # the same file can be imported again
    assert f"imported as {doc}" in again


def test_remove_and_restore_on_the_web_with_a_confirmation(editor_app, mixed):
    c = editor_client(editor_app)
    doc = doc_id(c, "警示教育")["issue"]
    page = html(c.get(f"/issues/{doc}"))
    assert f'href="/issues/{doc}/remove"' in page and "移除这份文件" in page
    confirm = c.get(f"/issues/{doc}/remove")
    assert "确认移除" in html(confirm) and "decision.pdf" in html(confirm)
    token = csrf(confirm)
    unconfirmed = c.post(f"/issues/{doc}/remove", data={"csrf_token": token})
    assert unconfirmed.status_code == 303 and c.get(f"/issues/{doc}").status_code == 200  # one click removes nothing
    done = c.post(f"/issues/{doc}/remove", data={"csrf_token": token, "confirm": "yes", "note": "误导入"})
    assert done.status_code == 303 and c.get(f"/issues/{doc}").status_code == 404
    listed = html(c.get("/removed"))
    assert "其他文件《纪律处分决定书》（decision.pdf）" in listed and "恢复" in listed
    back = c.post(f"/removed/{doc}/restore", data={"csrf_token": csrf(c.get("/removed"))})
    assert back.status_code == 303 and c.get(f"/issues/{doc}").status_code == 200
    history = re.search(r'<ol class="history">(.*?)</ol>', html(c.get(f"/issues/{doc}")), re.S).group(1)
    assert "<strong>移除</strong>" in history and "王编辑" in history and "误导入" in history
    assert "已由 王编辑 撤销" in history  # restored: the removal undone, by whom


def test_readers_cannot_remove(client, mixed):
    doc = doc_id(client, "警示教育")["issue"]
    assert client.get(f"/issues/{doc}/remove").status_code in (401, 403, 302)
    assert client.post(f"/issues/{doc}/remove", data={"confirm": "yes"}).status_code in (400, 401, 403, 302)
    assert client.get(f"/issues/{doc}").status_code == 200


# --- a data folder written before: migrated --------------------------------------------------------

def test_a_schema_6_folder_gets_collections_and_titles(run, samples_copy, tmp_path):
    decision = tmp_path / "decision.pdf"
    decision_pdf(decision)
    run("import", decision)
    db = samples_copy / "archive.sqlite3"
    with sqlite3.connect(db) as conn:  # as a version before this one wrote it
        conn.execute("UPDATE issues SET collection = 'bulletin', title = NULL")
        conn.execute("UPDATE items SET line_starts = '[]'")
        conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    hit = json.loads(run("search", "警示教育", "--json").output)["hits"][0]
    assert hit["collection"] == "other" and hit["citation"].endswith("，第2页")
    assert "中铝股份党群工作" not in hit["citation"]
    lanzhou = json.loads(run("search", "兰州铝业", "党史学习教育", "--unit", "兰州铝业", "--json").output)["hits"][0]
    assert lanzhou["match_pages"] == [3]  # no line offsets: estimated from the boxes' widths, right here too
