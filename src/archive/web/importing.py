"""Import over the web, for editors only.

Editors are named accounts with the editor role (web/auth.py), or the built-in editor "admin" of
ARCHIVE_ADMIN_TOKEN: sent as `Authorization: Bearer …` to the API, or typed into the token form here,
which starts a server-side session like an account's login. With neither an editor account nor a
token, web import is off (403). `is_editor()` and `check_csrf()` are auth's, kept here by name.
An upload (capped: MAX_CONTENT_LENGTH bytes, MAX_FILES files) becomes a job (archive.service.jobs): the
files are written to the job's folder as they arrive (never held in memory, never parsed here),
and the data folder's worker process imports them one at a time through the CLI's own importer,
with its memory cap and time limits. The answer is the job's address at once (202 for the API,
303 to the job page for the form); the job page shows each file's progress without a reload (the
static script polls the job's JSON) and the job goes on if the browser is closed. The client's
file name is only shown, never used as a path. Forms carry a CSRF token kept in the session."""
from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for

from ..service.jobs import JobQueue, Supervisor
from ..store.accounts import ADMIN
from ..messages import reviews_cn
from . import abort_with
from .auth import (NEED_TOKEN_API, accounts, admin_token, admin_token_ok, bearer, bearer_user, check_csrf,  # noqa: F401
                   attempt_login, csrf_token, current_user, end_session, failed, is_editor, require_editor,
                   start_session, succeeded, wait_message)
from .jobview import job_view

bp = Blueprint("editors", __name__)

MAX_FILES = 200  # per upload; MAX_FORM_PARTS stops the parser soon after (each part may hold a file open)
MAX_PENDING_JOBS = 20  # queued or running: more waits for those to finish


def init_app(app: Flask) -> None:
    app.config.setdefault("MAX_FILES", MAX_FILES)
    app.config["MAX_FORM_PARTS"] = app.config["MAX_FILES"] + 10  # the form's few fields, and a margin
    supervisor = Supervisor(app.extensions["archive.datadir"], app.config.get("IMPORT_MEMORY_MB"))
    app.extensions["archive.jobs"] = supervisor
    app.jinja_env.globals["is_editor"] = is_editor
    app.jinja_env.globals["reviews_cn"] = reviews_cn
    if supervisor.queue.pending() and (app.config.get("ADMIN_TOKEN") or _has_editors(app)):  # a stopped server's jobs
        supervisor.wake()


def _has_editors(app: Flask) -> bool:
    with app.extensions["archive.datadir"].records() as records:
        return records.accounts.has_editors()


def jobs() -> JobQueue:
    return current_app.extensions["archive.jobs"].queue


# --- who may import (web/auth.py: accounts, sessions, tokens) ----------------------------------------

def import_enabled() -> bool:
    """Web import is on once there is an editor: the admin token set, or an editor account."""
    return bool(admin_token()) or accounts().has_editors()


def require_enabled() -> None:
    if not import_enabled():
        abort_with(403, "网页导入未启用：管理员需要在服务器上开设编辑账号，或设置编辑令牌（环境变量"
                   " ARCHIVE_ADMIN_TOKEN）并重启服务后，编辑才能在这里导入。")


def require_api_editor() -> None:
    """An editor, by Bearer token or login session (for reading a job's JSON)."""
    require_enabled()
    require_editor()


def require_form_editor() -> None:
    """An editor, by login session or Bearer token (the upload form; web.gate asks before the body)."""
    require_enabled()
    require_editor()


def require_bearer_editor() -> None:
    """An editor by Bearer token only: a POST to the API carries no CSRF field, so no cookie counts."""
    require_enabled()
    user = bearer_user()
    if user is None:
        abort_with(401, NEED_TOKEN_API)
    if not user.is_editor:
        abort_with(403, f"令牌属于读者账号“{user.name}”，只能查阅；导入需要编辑账号的令牌。")


# --- uploads become jobs --------------------------------------------------------------------------

def display_name(filename: str | None, n: int) -> str:
    """The client's file name, for display only: its last component, printable, at most 120 chars."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:120] or f"文件 {n}"


def relative_name(filename: str | None, n: int) -> str:
    """A file picked with its folder (the browser sends its path within the folder: 2021/第5期.pdf),
    for display and as the original's name: the path's components, printable, joined by /, no
    empty, . or .. ones; at most 200 chars (the end kept). Never used as a path."""
    parts = [re.sub(r"[\x00-\x1f\x7f]", "", p).strip() for p in re.split(r"[/\\]+", filename or "")]
    name = "/".join(p for p in parts if p and p not in (".", ".."))
    return name[-200:] or f"文件 {n}"


def is_pdf_name(name: str) -> bool:
    """A PDF, or a Word/WPS original (converted by LibreOffice in the import worker)."""
    from ..service.importing import importable
    return importable(name)


def uploaded_files() -> tuple[list[tuple[str, object]], list[str]]:
    """(display name, file) of each upload — picked one by one (field `files`) or with their folder
    (field `folder`: relative paths kept, files not named .pdf left out) — and the names left out."""
    picked = [f for f in request.files.getlist("files") if f and (f.filename or f.content_length)]
    folder = [f for f in request.files.getlist("folder") if f and (f.filename or f.content_length)]
    files = [(display_name(f.filename, n), f) for n, f in enumerate(picked, 1)]
    skipped = []
    for n, f in enumerate(folder, len(files) + 1):
        name = relative_name(f.filename, n)
        if is_pdf_name(name):
            files.append((name, f))
        else:
            skipped.append(name)
    if not files:
        none_pdf = f"所选文件夹里的 {len(skipped)} 个文件都不是 PDF。" if skipped else ""
        abort_with(400, f"没有收到文件：请选择一个或多个 PDF 文件、或一个含 PDF 的文件夹再导入（接口：表单字段 files）。{none_pdf}")
    limit = current_app.config["MAX_FILES"]
    if len(files) > limit:
        abort_with(400, too_many_files(limit))
    if sum(stored_size(f) for _, f in files) > (current_app.config["MAX_CONTENT_LENGTH"] or 0):
        from . import upload_too_large  # the body may hold the cap and the form (web.gate); the files, the cap
        abort_with(413, upload_too_large())
    return files, skipped


def stored_size(f) -> int:
    """How many bytes an uploaded file holds (spooled: its stream's end)."""
    stream = f.stream
    at = stream.tell()
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(at)
    return size


def too_many_files(limit: int) -> str:
    return f"一次最多上传 {limit} 个文件，本次超过了这个数量；请分批上传。"


def submit(uploads: tuple[list, list[str]], replace: bool) -> dict:
    """A job of the uploads ((name, file)s and the names left out), queued for the worker (which is woken)."""
    files, skipped = uploads
    queue = jobs()
    if len(queue.pending()) >= MAX_PENDING_JOBS:
        abort_with(503, f"导入队列已满（{MAX_PENDING_JOBS} 项等待中），请等前面的导入完成后再上传。")
    job = queue.submit([(name, f.save) for name, f in files], replace=replace, skipped=skipped)
    current_app.extensions["archive.jobs"].wake()
    return job


def replace_asked() -> bool:
    return request.form.get("replace", "") in ("1", "on", "true", "yes")


def job_or_404(job_id: str) -> dict:
    job = jobs().read(job_id)
    if job is None:
        abort_with(404, f"没有导入任务 {job_id}")
    return job


def job_json(job: dict) -> dict:
    out = job_view(job)
    out["url"] = url_for("editors.api_job", job_id=job["id"])
    out["page"] = url_for("editors.job_page", job_id=job["id"])
    return out


# --- pages --------------------------------------------------------------------------------------

@bp.get("/import")
def import_page():
    """Editors: the upload form and the recent jobs; anonymous: the ways to log in; readers: 403."""
    require_enabled()
    if current_user() is not None:
        require_editor()
    recent = [job_view(j) for j in jobs().recent(10)] if is_editor() else []
    return render_template("import.html", recent=recent)


@bp.post("/import/login")
def login():
    """The editor token typed into a form: a server-side session of the built-in editor "admin"."""
    require_enabled()
    check_csrf()
    wait, attempt = attempt_login(ADMIN)
    if wait:
        return render_template("import.html", recent=[], login_error=wait_message(wait)), 429, {"Retry-After": str(wait)}
    if not admin_token_ok(request.form.get("token", "")):
        failed(ADMIN)
        return render_template("import.html", recent=[], login_error="令牌不正确。"), 401
    succeeded(ADMIN, attempt)
    start_session(None)
    return redirect(url_for("editors.import_page"), code=303)


@bp.post("/import/logout")
def logout():
    check_csrf()
    end_session()
    return redirect(url_for("editors.import_page") if import_enabled() else url_for("browse.search"), code=303)


@bp.post("/import")
def import_post():
    require_form_editor()
    check_csrf()
    job = submit(uploaded_files(), replace_asked())
    return redirect(url_for("editors.job_page", job_id=job["id"]), code=303)


@bp.get("/import/jobs/<job_id>")
def job_page(job_id: str):
    require_enabled()
    require_editor()
    job = job_or_404(job_id)
    return render_template("job.html", job=job_view(job), json_url=url_for("editors.api_job", job_id=job_id))


# --- API ----------------------------------------------------------------------------------------

@bp.post("/api/import")
def api_import():
    """multipart/form-data, field `files` (one or many), optional `replace=1`; Authorization: Bearer.
    → 202 {"id", "state", "url" (this job's JSON), "page", "files": [...]}, Location: the JSON."""
    require_bearer_editor()
    job = submit(uploaded_files(), replace_asked())
    out = job_json(job)
    return out, 202, {"Location": out["url"]}


@bp.get("/api/import/jobs/<job_id>")
def api_job(job_id: str):
    """A job's progress and results: {"state", "summary", "files": [{"file", "state", "pages",
    "pages_done", "ocr_pages", "progress", "status", "status_cn", "issue", "kind", "message"}...]}."""
    require_api_editor()
    resp = current_app.make_response(job_json(job_or_404(job_id)))
    resp.headers["Cache-Control"] = "no-store"
    return resp
