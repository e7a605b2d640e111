"""Import over the web: editors only (token, session, CSRF), uploads become jobs run by the data
folder's worker process (archive.service.jobs) — 202 and a job URL at once, progress and results in
Chinese from the job's JSON, one job at a time, limits on size and count worded for the web."""
from pathlib import Path

import pytest

from webtools import AUTH, NEW_ISSUE, TOKEN, csrf, html, sample_files, wait_job

NOT_A_PDF = Path(__file__)


def post_files(client, files, headers=AUTH, **data):
    return client.post("/api/import", headers=headers, data={"files": files, **data},
                       content_type="multipart/form-data")


def test_import_is_off_without_a_token(client):
    r = client.get("/import")
    assert r.status_code == 403 and "ARCHIVE_ADMIN_TOKEN" in html(r)
    assert "命令行" not in html(r) and "archive import" not in html(r)  # it speaks of the web
    api = client.post("/api/import", data={"files": (NEW_ISSUE.open("rb"), "a.pdf")},
                      headers={"Authorization": "Bearer anything"})
    assert api.status_code == 403 and "ARCHIVE_ADMIN_TOKEN" in api.get_json()["error"]


def test_api_import_needs_the_token(editor_app, client):
    def post(headers):
        return client.post("/api/import", data={"files": (NEW_ISSUE.open("rb"), "a.pdf")}, headers=headers)
    assert post({}).status_code == 401
    assert post({}).headers["WWW-Authenticate"].startswith("Bearer")
    assert "编辑令牌" in post({}).get_json()["error"]
    assert post({"Authorization": "Bearer wrong"}).status_code == 401
    assert post({"Authorization": TOKEN}).status_code == 401
    assert client.get("/api/items/2024-001-001").status_code == 404
    assert not editor_app.extensions["archive.jobs"].queue.ids()  # nothing was queued


def test_api_import_answers_202_with_a_job_then_chinese_results(editor_app, client, samples_copy):
    assert client.get("/api/search?q=year:2024").get_json()["total"] == 0
    sample = sample_files()[0]
    r = post_files(client, [(NEW_ISSUE.open("rb"), "../../etc/新一期.pdf"), (sample.open("rb"), sample.name),
                            (NOT_A_PDF.open("rb"), "notes.pdf")])
    assert r.status_code == 202
    out = r.get_json()
    assert r.headers["Location"] == out["url"] == f"/api/import/jobs/{out['id']}"
    assert out["page"] == f"/import/jobs/{out['id']}" and out["state"] == "queued"
    assert [f["file"] for f in out["files"]] == ["新一期.pdf", sample.name, "notes.pdf"]
    job = wait_job(client, out["url"])
    files = job["files"]
    assert [f["status"] for f in files] == ["imported", "already imported", "refused"]
    assert [f["status_cn"] for f in files] == ["已导入", "此前已导入", "未导入"]
    assert files[0]["issue"] == "2024-001" and files[0]["pages"] == files[0]["pages_done"] > 0
    assert files[0]["progress"].startswith(f"共 {files[0]['pages']} 页") and "文字层" in files[0]["progress"]
    assert files[2]["kind"] == "not_pdf" and files[2]["message"].startswith("不是 PDF 文件")
    assert job["failed"] == 1 and job["summary"] == "已完成：2 个文件导入成功，1 个未导入"
    # the uploads were kept only in the job's folder, under numbers, and are gone once it is done
    assert not list(Path(samples_copy).rglob("新一期.pdf")) and not list(Path(samples_copy).rglob("notes.pdf"))
    assert not list((Path(samples_copy) / "jobs").glob("*/files/*"))
    assert client.get("/api/search?q=year:2024").get_json()["total"] > 0  # the warm searcher sees it
    assert client.get("/api/issues/2024-001").status_code == 200


def test_a_refusal_speaks_of_the_web_not_of_command_line_options(editor_app, client, tmp_path):
    from pypdf import PdfReader, PdfWriter
    # another file for an issue already imported (the same pages, written again: other bytes)
    writer = PdfWriter(clone_from=PdfReader(sample_files()[0]))
    writer.add_metadata({"/Title": "another file"})
    other = tmp_path / "other.pdf"
    with other.open("wb") as fh:
        writer.write(fh)
    job = wait_job(client, post_files(client, [(other.open("rb"), "other.pdf")]).get_json()["url"])
    f = job["files"][0]
    assert f["status"] == "refused" and f["kind"] == "duplicate"
    assert "替换已导入的同一期" in f["message"] and "--replace" not in f["message"]
    replaced = wait_job(client, post_files(client, [(other.open("rb"), "other.pdf")], replace="1").get_json()["url"])
    assert replaced["files"][0]["status"] == "replaced" and replaced["files"][0]["status_cn"] == "已替换"


def test_upload_too_large_is_413_in_chinese(editor_app, client):
    editor_app.config["MAX_CONTENT_LENGTH"] = 1024
    r = post_files(client, (NEW_ISSUE.open("rb"), "big.pdf"))
    assert r.status_code == 413 and "超过了单次上限" in r.get_json()["error"]


def test_too_many_files_is_a_count_message_not_a_size_one(editor_app, client):
    """1,500 files in one upload: werkzeug's form parser stops at MAX_FORM_PARTS (413, as for a
    size); the answer says it is the number of files."""
    many = [(NOT_A_PDF.open("rb"), f"f{i}.pdf") for i in range(1500)]
    try:
        r = post_files(client, many)
    finally:
        for fh, _ in many:
            fh.close()
    assert r.status_code == 400
    assert r.get_json()["error"] == "一次最多上传 200 个文件，本次超过了这个数量；请分批上传。"
    editor_app.config["MAX_FILES"] = 3  # under the parser's part limit: counted by the view itself
    four = post_files(client, [(NOT_A_PDF.open("rb"), f"f{i}.pdf") for i in range(4)])
    assert four.status_code == 400 and "一次最多上传 3 个文件" in four.get_json()["error"]
    assert not editor_app.extensions["archive.jobs"].queue.ids()


def test_jobs_queue_and_run_one_at_a_time(editor_app, client):
    first = post_files(client, [(NEW_ISSUE.open("rb"), "a.pdf")]).get_json()
    second = post_files(client, [(sample_files()[1].open("rb"), "b.pdf")]).get_json()
    assert first["id"] < second["id"]  # oldest first
    a, b = wait_job(client, first["url"]), wait_job(client, second["url"])
    queue = editor_app.extensions["archive.jobs"].queue
    ja, jb = queue.read(first["id"]), queue.read(second["id"])
    assert a["files"][0]["status"] == "imported" and b["files"][0]["status"] == "already imported"
    assert ja["finished"] <= jb["started"]  # the second began after the first was done


def test_api_import_without_files_is_400(editor_app, client):
    r = client.post("/api/import", headers=AUTH, data={})
    assert r.status_code == 400 and "没有收到文件" in r.get_json()["error"]


def test_job_json_needs_an_editor_and_a_real_job(editor_app, client):
    out = post_files(client, [(NEW_ISSUE.open("rb"), "a.pdf")]).get_json()
    assert client.get(out["url"]).status_code == 401
    assert client.get(out["url"], headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/import/jobs/nope", headers=AUTH).status_code == 404
    assert client.get("/api/import/jobs/..%2f..%2fetc", headers=AUTH).status_code == 404
    wait_job(client, out["url"])


def test_import_page_login_csrf_upload_and_job_page(editor_app, client):
    r = client.get("/import")
    assert r.status_code == 200 and 'type="password" name="token"' in html(r)
    token = csrf(r)
    # not logged in: the upload is refused
    assert client.post("/import", data={"csrf_token": token, "files": (NEW_ISSUE.open("rb"), "a.pdf")}).status_code == 401
    # login needs the CSRF field and the right token
    assert client.post("/import/login", data={"token": TOKEN}).status_code == 400
    bad = client.post("/import/login", data={"token": "wrong", "csrf_token": token})
    assert bad.status_code == 401 and "令牌不正确" in html(bad)
    ok = client.post("/import/login", data={"token": TOKEN, "csrf_token": token})
    assert ok.status_code == 303
    form = client.get("/import")
    assert 'type="file" name="files"' in html(form) and 'multiple' in html(form)
    token = csrf(form)
    assert client.post("/import", data={"files": (NEW_ISSUE.open("rb"), "a.pdf")}).status_code == 400  # no CSRF
    sent = client.post("/import", data={"csrf_token": token, "files": [(NEW_ISSUE.open("rb"), "<b>x.pdf"),
                                                                       (NOT_A_PDF.open("rb"), "t.pdf")]})
    assert sent.status_code == 303 and sent.headers["Location"].startswith("/import/jobs/")
    page = html(client.get(sent.headers["Location"]))
    job_id = sent.headers["Location"].rsplit("/", 1)[1]
    assert f'data-job-url="/api/import/jobs/{job_id}"' in page  # what the page's script polls
    assert "&lt;b&gt;x.pdf" in page and "<b>x.pdf" not in page
    wait_job(client, f"/api/import/jobs/{job_id}", headers={})  # the session is enough for the JSON
    page = html(client.get(sent.headers["Location"]))
    assert "已导入" in page and 'href="/issues/2024-001"' in page and "未导入" in page and "不是 PDF 文件" in page
    assert job_id in html(client.get("/import"))  # listed among the recent jobs
    # logout
    assert client.post("/import/logout", data={"csrf_token": token}).status_code == 303
    assert 'type="password"' in html(client.get("/import"))
    gone = client.get(sent.headers["Location"])  # a page: to the login, and back here after it
    assert gone.status_code == 302 and gone.headers["Location"] == f"/login?next=/import/jobs/{job_id}"
    assert client.get(f"/api/import/jobs/{job_id}").status_code == 401


def test_changing_the_token_logs_editors_out(editor_app, client):
    token = csrf(client.get("/import"))
    client.post("/import/login", data={"token": TOKEN, "csrf_token": token})
    assert 'type="file"' in html(client.get("/import"))
    editor_app.config["ADMIN_TOKEN"] = "another"
    assert 'type="password"' in html(client.get("/import"))


@pytest.mark.parametrize("module", ["archive.service.importing", "archive.ingest.pdf", "archive.ingest.ocr", "pdfplumber",
                                    "onnxruntime"])
def test_the_server_never_loads_the_parser_or_the_ocr(module):
    """The server process only stores uploads and reads job files: importing the web app (and
    what a request needs) leaves the parser and the OCR models to the worker."""
    import subprocess
    import sys
    code = ("import sys; from archive.web import create_app; app = create_app({'DATA_DIR': sys.argv[1], "
            "'ADMIN_TOKEN': 't'}); c = app.test_client(); c.get('/?q=党史'); c.get('/import');"
            f" print({module!r} in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, "/tmp/archive-no-such-data"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_folder_keeps_its_paths_skips_what_is_not_a_pdf_and_other_documents_are_counted_apart(
        editor_app, client, samples_copy, tmp_path):
    """Issue 22, §7: a folder picked for upload (field `folder`, as <input webkitdirectory> sends
    it: each file named by its path in the folder) is imported under those names; a file that is not
    a PDF is left out and listed; a document that is not the bulletin is 「导入为其他文件」 and
    counted apart in the summary (seen: counted with the issues)."""
    from test_other_documents import notice_pdf
    notice = tmp_path / "notice.pdf"
    notice_pdf(notice)
    r = client.post("/api/import", headers=AUTH, content_type="multipart/form-data", data={"folder": [
        (NEW_ISSUE.open("rb"), "党群工作/2024/第1期.pdf"), (notice.open("rb"), "党群工作/误放/通知.PDF"),
        (NOT_A_PDF.open("rb"), "党群工作/说明.xlsx"), (NOT_A_PDF.open("rb"), "党群工作/../../etc/x.txt")]})
    assert r.status_code == 202
    out = r.get_json()
    assert [f["file"] for f in out["files"]] == ["党群工作/2024/第1期.pdf", "党群工作/误放/通知.PDF"]
    assert out["skipped"] == ["党群工作/说明.xlsx", "党群工作/etc/x.txt"]
    job = wait_job(client, out["url"])
    bulletin, other = job["files"]
    assert bulletin["status_cn"] == "已导入" and not bulletin["other"]
    assert other["issue"].startswith("doc-") and other["status_cn"] == "导入为其他文件" and other["other"]
    assert job["summary"] == "已完成：1 个文件导入成功，1 个导入为其他文件，0 个未导入"
    page = html(client.get(out["page"], headers=AUTH))
    assert "导入为其他文件" in page and "另有 2 个文件不是 PDF" in page and "党群工作/说明.xlsx" in page
    record = client.get(f"/api/issues/{other['issue']}").get_json()
    assert record["id"] == other["issue"]
    from archive.store import DataDir
    with DataDir(samples_copy).records() as records:  # the path in the folder is the original's name
        assert records.conn.execute("SELECT original_name FROM issues WHERE id = '2024-001'").fetchone()[0] \
            == "党群工作/2024/第1期.pdf"


def test_the_import_page_offers_a_folder(editor_app, client):
    token = csrf(client.get("/import"))
    client.post("/import/login", data={"token": TOKEN, "csrf_token": token})
    page = html(client.get("/import"))
    assert 'type="file" name="folder" webkitdirectory multiple' in page
    only_other = client.post("/api/import", headers=AUTH, content_type="multipart/form-data",
                             data={"folder": [(NOT_A_PDF.open("rb"), "a/readme.txt")]})
    assert only_other.status_code == 400 and "都不是 PDF" in only_other.get_json()["error"]
