"""The web interface: search, items, issues as printed, page images, units, years, and import for
editors. `create_app()` is the application factory; `serve()` runs it on waitress.

Blueprints: browse (the pages), api (JSON), auth (login, logout; who is asking, roles), editors (import),
reports (downloads). Templates and static files are the
top-level web/ folder, installed as archive.web.assets."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from tempfile import SpooledTemporaryFile

from flask import Flask, Request, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ..errors import ArchiveError
from ..messages import error_text
from ..service import logs
from ..settings import Settings
from ..store import DataDir

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assets_folder() -> Path:
    """The templates and static files: the installed package `archive.web.assets` (the repo's web/)."""
    try:
        return Path(str(resources.files("archive.web.assets")))
    except ModuleNotFoundError:  # a source tree not installed with its package-dir mapping
        return Path(__file__).resolve().parents[3] / "web"


class UploadRequest(Request):
    """Uploaded files are spooled to disk past 64 KB each (werkzeug keeps up to 500 KB of each in
    memory): an upload of many files does not grow the server."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return SpooledTemporaryFile(max_size=64 * 1024, mode="rb+")


def config_from(settings: Settings) -> dict:
    """Flask's config from the settings (the keys a test_config may override)."""
    return dict(
        DATA_DIR=str(settings.data),
        ADMIN_TOKEN=settings.admin_token,
        IMPORT_MEMORY_MB=settings.import_memory_mb,
        RENDER_MEMORY_MB=settings.render_memory_mb,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        SECRET_KEY=settings.secret_key,  # None: the data folder's own (DataDir.secret_key)
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure,  # else Secure only on https requests
        REQUIRE_LOGIN=settings.require_login,  # reading needs a login too
        TRUSTED_PROXY=settings.trusted_proxy,  # its X-Forwarded-For/-Proto/-Host are believed (web/proxy.py)
        TRUSTED_PROXY_COUNT=settings.trusted_proxy_count,
        SESSION_HOURS=12.0,
        PAGE_SIZE=20,
        RENDERERS=2,  # page images drawn at once, each in its own process
        RENDER_TIMEOUT_S=20.0,
    )


def create_app(test_config: dict | None = None, settings: Settings | None = None) -> Flask:
    """The application: its config from `settings` (read from the environment when not given),
    then `test_config` over it."""
    assets = assets_folder()
    app = Flask(__name__, template_folder=str(assets / "templates"), static_folder=str(assets / "static"),
                static_url_path="/static")
    app.request_class = UploadRequest
    app.config.from_mapping(config_from(settings or Settings.from_env()))
    if test_config:
        app.config.from_mapping(test_config)
    app.config["DATA_DIR"] = Path(app.config["DATA_DIR"]).resolve()
    app.extensions["archive.datadir"] = DataDir(app.config["DATA_DIR"])
    logs.attach(app.extensions["archive.datadir"])  # warnings and errors also in <data>/logs/archive.log
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = app.extensions["archive.datadir"].secret_key()
    app.json.ensure_ascii = False
    app.json.sort_keys = False  # the same key order as `archive search --json`

    from . import (api, auth, browse, chronicle, correcting, db, helping, importing, removing, reports,  # noqa: F401
                   reviewing, searching, templating, topics, years)  # (reviewing, years: routes)
    from .renderpool import RenderPool
    app.extensions["archive.renderer"] = RenderPool(app.config["RENDERERS"], app.config["RENDER_TIMEOUT_S"],
                                                    memory_mb=app.config["RENDER_MEMORY_MB"])
    from .gate import check_body
    from .proxy import TrustedProxy, proxies_of
    app.before_request(check_body)  # first: a body is judged by its headers before anything reads it
    app.wsgi_app = TrustedProxy(app.wsgi_app, proxies_of(app.config.get("TRUSTED_PROXY")),
                                app.config.get("TRUSTED_PROXY_COUNT", 1))
    db.init_app(app)
    searching.init_app(app)
    auth.init_app(app)
    importing.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(importing.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(correcting.bp)
    app.register_blueprint(helping.bp)
    app.jinja_env.globals["help_url"] = helping.help_url
    app.register_blueprint(removing.bp)
    app.register_blueprint(chronicle.bp)  # issue 25: the 大事记, topics, people
    app.register_blueprint(topics.bp)
    app.register_blueprint(topics.people_bp)
    app.jinja_env.globals.update(templating.template_helpers())
    app.jinja_env.filters["fromjson"] = json.loads

    @app.after_request
    def security_headers(response):
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    def answer(code: int, message: str, headers: dict | None = None):
        if wants_json():
            return {"error": message, "status": code}, code, headers or {}
        return render_template("error.html", code=code, message=message), code, headers or {}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        message = getattr(exc, "archive_message", None)
        if code == 413 and not message:  # raised while the form was read (web.gate refuses with a message)
            from .gate import too_large_message
            limit = request.max_content_length or 0
            message = too_large_message(limit)
            if request.content_length is not None and request.content_length <= limit:
                # not the size: the form parser stopped at MAX_FORM_PARTS parts, i.e. too many files
                from .importing import too_many_files
                code, message = 400, too_many_files(app.config["MAX_FILES"])
        message = message or MESSAGES.get(code) or f"请求无法完成（HTTP {code}）。"
        return answer(code, message, _extra_headers(exc))

    @app.errorhandler(ArchiveError)
    def archive_error(exc: ArchiveError):
        return answer(exc.status, error_text(exc, request_lang()))

    @app.errorhandler(InternalServerError)
    def internal_error(exc: InternalServerError):  # an exception no handler took: logged with a reference
        original = getattr(exc, "original_exception", None) or exc
        ref = logs.internal(original, f"{request.method} {request.path}")
        return answer(500, MESSAGES[500] + f"（错误编号 {ref}）")

    return app


def request_lang() -> str:
    """zh, unless the browser (or API client) asks for English before Chinese (Accept-Language)."""
    best = request.accept_languages.best_match(["zh", "zh-CN", "en"], default="zh")
    return "en" if best and best.startswith("en") else "zh"


def upload_too_large() -> str:
    from flask import current_app
    mb = (current_app.config["MAX_CONTENT_LENGTH"] or 0) / 2**20
    return f"上传的内容超过了单次上限 {mb:g} MB；请分批上传，或请管理员调高上限（ARCHIVE_MAX_UPLOAD_MB）。"


MESSAGES = {
    400: "请求有误。",
    401: "需要登录。",
    403: "无权执行此操作。",
    404: "没有找到这个页面或记录。",
    405: "不支持这种请求方法。",
    413: "上传的内容太大。",
    414: "网址太长。",
    429: "请求太频繁，请稍后再试。",
    431: "请求头太大。",
    500: "服务器内部错误：这个请求没有完成。已记录错误，请稍后再试；如果一再出现，请把出错的网址和下面的错误编号告诉管理员",
    503: "服务暂时不可用，请稍后再试。",
}


def _extra_headers(exc: HTTPException) -> dict:
    if exc.code == 401:
        return {"WWW-Authenticate": 'Bearer realm="archive"'}
    return {}


def abort_with(code: int, message: str):
    """Abort with a status and a user-facing message (shown on the page, or as {"error"} in JSON)."""
    from werkzeug.exceptions import default_exceptions
    exc = default_exceptions[code]()
    exc.archive_message = message
    raise exc


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, threads: int = 8, inbox=None,
          poll: bool = False) -> None:
    """Serve the app on waitress, request bodies judged by their headers first (web/serving.py);
    with `inbox`, a thread beside it imports what appears in that folder (service.inbox)."""
    from .serving import serve as serve_gated
    serve_gated(settings, host, port, threads, inbox, poll)
