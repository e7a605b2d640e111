"""Import over the web, for editors only.

The editor token (ARCHIVE_ADMIN_TOKEN) is sent as `Authorization: Bearer …` to the API, or typed
into a login form that marks the session. Without a configured token, web import is off (403).
Uploads are capped (MAX_CONTENT_LENGTH → 413), must be PDFs by content, and are passed to the
importer as bytes: the client's file name is only shown, never used as a path. One import runs at
a time (a second one gets 409). Forms carry a CSRF token kept in the session."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from pathlib import PurePosixPath, PureWindowsPath

from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for

from ..errors import RefusedPDF
from ..importer import Importer, ImportOptions, ImportResult, refusal
from ..ingest.pdf import check_header
from ..messages import reviews_cn, reviews_en
from . import abort_with
from .db import datadir, get_db
from .searching import registry

bp = Blueprint("editors", __name__)

STATUS_CN = {"imported": "已导入", "replaced": "已替换", "already imported": "此前已导入", "refused": "未导入"}


def init_app(app: Flask) -> None:
    app.extensions["archive.import_lock"] = threading.Lock()
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["is_editor"] = is_editor
    app.jinja_env.globals["reviews_cn"] = reviews_cn


# --- tokens -------------------------------------------------------------------------------------

def admin_token() -> str | None:
    return current_app.config.get("ADMIN_TOKEN") or None


def token_ok(given: str | None) -> bool:
    want = admin_token()
    return bool(want and given) and hmac.compare_digest(given.encode("utf-8"), want.encode("utf-8"))


def _editor_mark() -> str:
    """What the session holds for a logged-in editor: bound to the current token, so changing the
    token logs everyone out."""
    return hashlib.sha256(("editor:" + (admin_token() or "")).encode("utf-8")).hexdigest()[:32]


def is_editor() -> bool:
    mark = session.get("editor")
    return bool(admin_token() and mark) and hmac.compare_digest(str(mark), _editor_mark())


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    sent = request.form.get("csrf_token", "")
    want = session.get("csrf", "")
    if not (sent and want and hmac.compare_digest(sent, want)):
        abort_with(400, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。")


def require_enabled() -> None:
    if not admin_token():
        abort_with(403, "网页导入未启用：服务器没有设置编辑令牌 ARCHIVE_ADMIN_TOKEN。"
                   "请在服务器上用命令行 `archive import` 导入，或设置该令牌后重启。")


def bearer() -> str | None:
    auth = request.headers.get("Authorization", "")
    scheme, _, value = auth.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


# --- the import itself ----------------------------------------------------------------------------

def display_name(filename: str | None, n: int) -> str:
    """The client's file name, for display only: its last component, printable, at most 120 chars."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:120] or f"文件 {n}"


def import_uploads(files, options: ImportOptions) -> list[ImportResult]:
    lock: threading.Lock = current_app.extensions["archive.import_lock"]
    if not lock.acquire(blocking=False):
        abort_with(409, "另一项导入正在进行，请稍后再试。")
    try:
        importer = Importer(get_db(), datadir(), registry(), options)
        results = []
        for n, f in enumerate(files, 1):
            name = display_name(f.filename, n)
            data = f.read()
            try:
                check_header(data)  # before the upload is kept in memory any longer
            except RefusedPDF as exc:
                results.append(refusal(name, exc))
                continue
            results.append(importer.import_bytes(data, name))
        return results
    finally:
        lock.release()


def result_json(r: ImportResult) -> dict:
    return {"file": r.path, "status": r.status, "issue": r.issue_id, "message": r.message or needs_review_en(r)}


def needs_review_en(r: ImportResult) -> str:
    return f"needs review: {reviews_en(r.reviews)}" if r.reviews else ""


def uploaded_files():
    files = [f for f in request.files.getlist("files") if f and (f.filename or f.content_length)]
    if not files:
        abort_with(400, "没有收到文件：请在字段 files 中上传一个或多个 PDF。")
    return files


def options_from_form() -> ImportOptions:
    return ImportOptions(replace=request.form.get("replace", "") in ("1", "on", "true", "yes"))


# --- pages --------------------------------------------------------------------------------------

@bp.get("/import")
def import_page():
    require_enabled()
    return render_template("import.html", results=None)


@bp.post("/import/login")
def login():
    require_enabled()
    check_csrf()
    if not token_ok(request.form.get("token", "")):
        return render_template("import.html", results=None, login_error="令牌不正确。"), 401
    session["editor"] = _editor_mark()
    session["csrf"] = secrets.token_urlsafe(32)  # a new token after login
    return redirect(url_for("editors.import_page"), code=303)


@bp.post("/import/logout")
def logout():
    check_csrf()
    session.pop("editor", None)
    return redirect(url_for("editors.import_page") if admin_token() else url_for("browse.search"), code=303)


@bp.post("/import")
def import_post():
    require_enabled()
    if not is_editor():
        abort_with(401, "请先用编辑令牌登录，再导入。")
    check_csrf()
    results = import_uploads(uploaded_files(), options_from_form())
    status = 200 if results and not all(r.failed for r in results) else 422
    return render_template("import.html", results=results, status_cn=STATUS_CN), status


# --- API ----------------------------------------------------------------------------------------

@bp.post("/api/import")
def api_import():
    """multipart/form-data, field `files` (one or many), optional `replace=1`; Authorization: Bearer.
    → {"results": [{"file", "status", "issue", "message"}...], "failed": n}"""
    require_enabled()
    if not token_ok(bearer()):
        abort_with(401, "missing or wrong editor token: send Authorization: Bearer <ARCHIVE_ADMIN_TOKEN>")
    results = import_uploads(uploaded_files(), options_from_form())
    failed = sum(r.failed for r in results)
    return {"results": [result_json(r) for r in results], "failed": failed}, (422 if failed == len(results) else 200)
