"""The web interface: search, items, issues as printed, page images, units, years, and import for
editors. `create_app()` is the application factory; `serve()` runs it on waitress.

Blueprints: browse (the pages), api (JSON), editors (import). Templates and static files are the
top-level web/ folder, installed as archive.web.assets."""
from __future__ import annotations

import os
import secrets
from importlib import resources
from pathlib import Path

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import ArchiveError
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


def _upload_limit() -> int:
    try:
        mb = float(os.environ.get("ARCHIVE_MAX_UPLOAD_MB", "100"))
    except ValueError:
        mb = 100.0
    return int(mb * 2**20)


def create_app(test_config: dict | None = None) -> Flask:
    assets = assets_folder()
    app = Flask(__name__, template_folder=str(assets / "templates"), static_folder=str(assets / "static"),
                static_url_path="/static")
    app.config.from_mapping(
        DATA_DIR=os.environ.get("ARCHIVE_DATA") or "index",
        ADMIN_TOKEN=os.environ.get("ARCHIVE_ADMIN_TOKEN") or None,
        MAX_CONTENT_LENGTH=_upload_limit(),
        SECRET_KEY=os.environ.get("ARCHIVE_SECRET_KEY") or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PAGE_SIZE=20,
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.config["DATA_DIR"] = Path(app.config["DATA_DIR"]).resolve()
    app.extensions["archive.datadir"] = DataDir(app.config["DATA_DIR"])
    app.json.ensure_ascii = False
    app.json.sort_keys = False  # the same key order as `archive search --json`

    from . import api, browse, db, editors, searching
    db.init_app(app)
    searching.init_app(app)
    editors.init_app(app)
    app.register_blueprint(browse.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(editors.bp)
    app.jinja_env.globals.update(browse.template_helpers())

    @app.after_request
    def security_headers(response):
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = MESSAGES.get(exc.code, exc.description)
        if getattr(exc, "archive_message", None):
            message = exc.archive_message
        if wants_json():
            return {"error": message, "status": exc.code}, exc.code, _extra_headers(exc)
        return render_template("error.html", code=exc.code, message=message), exc.code, _extra_headers(exc)

    @app.errorhandler(ArchiveError)
    def archive_error(exc: ArchiveError):
        from ..search.index import IndexUnavailable
        code = 503 if isinstance(exc, IndexUnavailable) else 400
        if wants_json():
            return {"error": str(exc), "status": code}, code
        return render_template("error.html", code=code, message=str(exc)), code

    return app


MESSAGES = {
    400: "请求有误。",
    401: "需要编辑令牌。",
    403: "无权执行此操作。",
    404: "没有找到这个页面或记录。",
    405: "不支持这种请求方法。",
    409: "另一项导入正在进行，请稍后再试。",
    413: "上传的文件太大。",
}


def _extra_headers(exc: HTTPException) -> dict:
    if exc.code == 401:
        return {"WWW-Authenticate": 'Bearer realm="archive import"'}
    return {}


def abort_with(code: int, message: str):
    """Abort with a status and a user-facing message (shown on the page, or as {"error"} in JSON)."""
    from werkzeug.exceptions import default_exceptions
    exc = default_exceptions[code]()
    exc.archive_message = message
    raise exc


def serve(data_dir: Path, host: str = "127.0.0.1", port: int = 8000, threads: int = 8, **config) -> None:
    from waitress import serve as waitress_serve
    app = create_app({"DATA_DIR": str(data_dir), **config})
    waitress_serve(app, host=host, port=port, threads=threads, ident="archive", clear_untrusted_proxy_headers=True)
