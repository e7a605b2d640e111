"""Who is asking: accounts, logins and roles (the accounts live in the records database,
store/accounts.py).

Flask's own session (a signed cookie: HttpOnly, SameSite=Lax, Secure over https) carries only a
random session id and the CSRF token; the user is looked up per request from the sessions table
(kept on `g`), so logging out, `archive users remove` or `passwd` end a session for good, even for
a copied cookie. An API client sends `Authorization: Bearer <token>`: a user's own API token
(`archive users token NAME`) or ARCHIVE_ADMIN_TOKEN, the built-in editor "admin" (whose token form
on /import makes a server-side session too). Editors import, review and correct; readers read.
With ARCHIVE_REQUIRE_LOGIN=1 (`archive serve --private`) reading needs a login as well: an
anonymous visitor gets the login page and the static files, and every /api/* answers 401.

A login attempt is counted before the password is checked (atomically: store.accounts.begin_login):
five failures from an address within 15 minutes stop it (429 with Retry-After); past five failures of
one account, an address that failed must wait longer after each (2 s, doubling), while one that has
not failed is not held back. Failures are logged, without the password."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, abort, current_app, g, has_request_context, redirect, render_template, request,
                   session, url_for)
from flask.sessions import SecureCookieSessionInterface

from ..store.accounts import ADMIN, Accounts, User
from . import abort_with
from .db import get_db

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)

ADMIN_USER = User(ADMIN, "editor")
# reachable without a login when one is required (the editor token's form too: it is a login)
OPEN_ENDPOINTS = {"static", "auth.login", "auth.login_post", "auth.logout", "editors.login"}

NEED_LOGIN_API = ("需要登录：请先登录编辑账号，或在请求头中发送 Authorization: Bearer <编辑令牌或个人 API 令牌>。")
NEED_TOKEN_API = "缺少令牌或令牌不正确：请在请求头中发送 Authorization: Bearer <编辑令牌或编辑账号的 API 令牌>。"
NEED_LOGIN_READ = "需要登录：本档案只对登录的用户开放，请先登录，或在请求头中发送 Authorization: Bearer <个人 API 令牌>。"
BAD_LOGIN = "用户名或密码不正确。"


class ArchiveSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, its cookie Secure when configured or when the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    app.session_interface = ArchiveSessionInterface()  # behind a proxy: web/proxy.py makes is_secure true
    app.jinja_env.globals["current_user"] = nav_user
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["login_url"] = login_url
    app.before_request(require_login_when_private)
    app.after_request(private_caching)


# --- who is asking ---------------------------------------------------------------------------------

def accounts() -> Accounts:
    return get_db().accounts


def admin_token() -> str | None:
    return current_app.config.get("ADMIN_TOKEN") or None


def admin_mark() -> str | None:
    """What an admin-token session holds: bound to the current token, so changing it logs them out."""
    token = admin_token()
    return hashlib.sha256(("editor:" + token).encode("utf-8")).hexdigest()[:32] if token else None


def bearer() -> str | None:
    auth = request.headers.get("Authorization", "")
    scheme, _, value = auth.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def admin_token_ok(given: str | None) -> bool:
    want = admin_token()
    return bool(want and given) and hmac.compare_digest(given.encode("utf-8"), want.encode("utf-8"))


def bearer_user() -> User | None:
    """The user of the request's Bearer token (the admin token, or a user's API token), or None."""
    if "bearer_user" not in g:
        token = bearer()
        g.bearer_user = (ADMIN_USER if admin_token_ok(token) else accounts().token_user(token)) if token else None
    return g.bearer_user


def session_user() -> User | None:
    """The user of the request's login session, or None (the cookie is not even read without one)."""
    if "session_user" not in g:
        g.session_user = None
        if request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]) and session.get("sid"):
            g.session_user = accounts().session(session["sid"], admin_mark(), touch=not g.get("read_only"))
            if g.session_user is None and not g.get("read_only"):  # ended, expired, revoked: forget it
                session.pop("sid", None)
    return g.session_user


def current_user() -> User | None:
    """Who is asking: an object with .name and .role ('editor' or 'reader'), or None."""
    return bearer_user() or session_user()


def nav_user() -> User | None:
    """current_user() for templates: an error page still renders when the database cannot be opened."""
    try:
        return current_user()
    except Exception:  # noqa: BLE001 - the page says what went wrong; the menu only goes without a name
        return None


def is_editor() -> bool:
    user = current_user()
    return bool(user and user.is_editor)


EDITOR_NAMES = ("who", "reverted_by")  # what of a correction names an account


def history_shown(corrections: list[dict]) -> list[dict]:
    """A correction history as the asker may see it: what was changed, when and why, for all; which
    account changed or reverted it, for editors only (an account name is half of a login)."""
    if is_editor():
        return corrections
    return [{**c, **{k: None for k in EDITOR_NAMES}} for c in corrections]


def require_editor() -> User:
    """The editor asking, or: anonymous → 401 for /api/* and forms, a redirect to /login for pages;
    a reader → 403."""
    user = current_user()
    if user is None:
        if request.path.startswith("/api/") or request.method not in ("GET", "HEAD"):
            abort_with(401, NEED_LOGIN_API)
        abort(redirect(login_url()))
    if not user.is_editor:
        abort_with(403, f"当前账号“{user.name}”是读者，只能查阅；导入、审核和更正需要编辑账号。")
    return user


def require_login_when_private():
    if not current_app.config.get("REQUIRE_LOGIN") or request.endpoint in OPEN_ENDPOINTS:
        return None
    if current_user() is None:
        if request.path.startswith("/api/"):
            abort_with(401, NEED_LOGIN_READ)
        return redirect(login_url())
    return None


def private_caching(response):
    """In a private archive nothing is cached by a shared proxy."""
    if current_app.config.get("REQUIRE_LOGIN") and response.cache_control.public:
        response.cache_control.public = False
        response.cache_control.private = True
    return response


# --- CSRF --------------------------------------------------------------------------------------------

def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """A form's csrf_token must be the session's (400 otherwise). A request authenticated by a Bearer
    header needs none: a browser never sends that header by itself."""
    if bearer() and bearer_user() is not None:
        return
    sent = request.form.get("csrf_token", "")
    want = session.get("csrf", "")
    if not (sent and want and hmac.compare_digest(sent, want)):
        abort_with(400, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。")


# --- sessions ---------------------------------------------------------------------------------------

def safe_next(target: str | None, default: str = "/") -> str:
    """`next` only to a path of this site: /path?query, never //host, /\\host, a scheme or control
    characters, nor back to the login (`default` instead). Every redirect to a `next` a request
    carries goes through here (tests/test_hardening.py checks web/)."""
    target = target or ""
    if (not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target
            or any(ord(c) < 33 or ord(c) == 0x7f for c in target)):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith(("/login", "/logout")):
        return default
    return target


def login_url() -> str:
    here = request.full_path if request.query_string else request.path
    return url_for("auth.login", next=here) if here != "/" else url_for("auth.login")


def start_session(user: User | None) -> None:
    """A new server-side session (a new id, a new CSRF token) for `user`, or the built-in admin."""
    acc = accounts()
    acc.end_session(session.get("sid", ""))
    session.clear()
    session["sid"] = acc.new_session(user, admin_mark=None if user else admin_mark(),
                                     hours=current_app.config.get("SESSION_HOURS", 12.0))
    session["csrf"] = secrets.token_urlsafe(32)
    g.session_user = user or ADMIN_USER


def end_session() -> None:
    accounts().end_session(session.get("sid", ""))
    session.clear()
    g.session_user = None


def address() -> str:
    return request.remote_addr or "unknown"


def attempt_login(account: str) -> tuple[int, int | None]:
    """Count a login attempt of `account` from this address before its secret is checked: (seconds to
    wait, None) when it may not be tried now (logged), else (0, the attempt to pass to `succeeded`)."""
    wait, attempt = accounts().begin_login(account, address())
    if wait:
        log.warning("login refused for account %r from %s: too many failed logins (retry in %d s)",
                    account[:64], address(), wait)
    return wait, attempt


def failed(account: str) -> None:
    log.warning("failed login for account %r from %s", account[:64], address())


def succeeded(account: str, attempt: int | None) -> None:
    accounts().login_succeeded(attempt, account, address())


def wait_message(wait: int) -> str:
    minutes = max(1, (wait + 59) // 60)
    return f"登录失败次数过多，请 {minutes} 分钟后再试。"


# --- pages ---------------------------------------------------------------------------------------------

@bp.get("/login")
def login():
    return render_template("login.html", next=safe_next(request.args.get("next")), name="")


@bp.post("/login")
def login_post():
    check_csrf()
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    target = safe_next(request.form.get("next"))
    wait, attempt = attempt_login(name)
    if wait:
        return (render_template("login.html", next=target, name=name, error=wait_message(wait)), 429,
                {"Retry-After": str(wait)})
    user = accounts().verify(name, password) if (name and password) else None
    if user is None:
        failed(name)
        return render_template("login.html", next=target, name=name, error=BAD_LOGIN), 401
    succeeded(name, attempt)
    start_session(user)
    log.info("login of %r from %s", user.name, address())
    return redirect(target, code=303)


@bp.post("/logout")
def logout():
    check_csrf()
    end_session()
    return redirect(url_for("auth.login") if current_app.config.get("REQUIRE_LOGIN") else url_for("browse.search"),
                    code=303)
