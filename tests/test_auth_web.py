"""Accounts on the web (web/auth.py): login and logout with server-side sessions, roles against
each kind of route, per-user API tokens, the admin token as before, failed logins rate-limited,
CSRF, `next` kept on this site, the cookie's flags, and ARCHIVE_REQUIRE_LOGIN."""
import logging
import re
from pathlib import Path

import pytest

from archive.store.accounts import Accounts
from webtools import AUTH, TOKEN, csrf, html

EDITOR, READER = "王编辑", "reader1"
PW_ED, PW_RD = "editor-password-1", "reader-password-2"
NOT_A_PDF = Path(__file__)


@pytest.fixture
def accounts(app):
    with app.extensions["archive.datadir"].records() as records:
        acc = Accounts(records.conn)
        acc.add(EDITOR, "editor", PW_ED)
        acc.add(READER, "reader", PW_RD)
    return app


def login(client, name, password, next_=None, **kw):
    token = csrf(client.get("/login"))
    data = {"name": name, "password": password, "csrf_token": token}
    if next_ is not None:
        data["next"] = next_
    return client.post("/login", data=data, **kw)


def logout(client):
    return client.post("/logout", data={"csrf_token": csrf(client.get("/login"))})


def upload(client, **kw):
    return client.post("/import", data={"files": (NOT_A_PDF.open("rb"), "t.pdf"), **kw})


def api_upload(client, headers):
    return client.post("/api/import", data={"files": (NOT_A_PDF.open("rb"), "t.pdf")}, headers=headers)


def token_of(app, name):
    with app.extensions["archive.datadir"].records() as records:
        return Accounts(records.conn).new_token(name)


def session_rows(app):
    with app.extensions["archive.datadir"].records() as records:
        return records.conn.execute("SELECT count(*) FROM sessions").fetchone()[0]


def test_anonymous_reader_and_editor_against_each_kind_of_route(accounts, client):
    # anonymous: reads; import pages lead to the login, forms and the API answer 401
    assert client.get("/?q=党史").status_code == 200 and client.get("/api/search?q=党史").status_code == 200
    page = html(client.get("/import"))
    assert 'href="/login?next=/import"' in page and 'type="file"' not in page
    assert 'name="token"' not in page  # no admin token configured: no token form
    r = client.get("/import/jobs/20240101-x")
    assert r.status_code == 302 and r.headers["Location"] == "/login?next=/import/jobs/20240101-x"
    assert upload(client).status_code == 401
    assert api_upload(client, {}).status_code == 401
    assert client.get("/api/import/jobs/x").status_code == 401
    # a reader: reads, is refused (403, in words) every import route
    assert login(client, READER, PW_RD).status_code == 303
    assert client.get("/?q=党史").status_code == 200
    r = client.get("/import")
    assert r.status_code == 403 and "读者" in html(r) and READER in html(r)
    token = csrf(client.get("/login"))
    assert upload(client, csrf_token=token).status_code == 403
    assert client.get("/import/jobs/x").status_code == 403
    assert client.get("/api/import/jobs/x").status_code == 403
    assert api_upload(client, {"Authorization": f"Bearer {token_of(accounts, READER)}"}).status_code == 403
    logout(client)
    # an editor: the upload form, an upload becomes a job
    assert login(client, EDITOR, PW_ED).status_code == 303
    assert 'type="file" name="files"' in html(client.get("/import"))
    sent = upload(client, csrf_token=csrf(client.get("/import")))
    assert sent.status_code == 303 and sent.headers["Location"].startswith("/import/jobs/")
    assert client.get(sent.headers["Location"]).status_code == 200


def test_the_menu_shows_import_only_to_editors_and_who_is_logged_in(accounts, client):
    page = html(client.get("/"))
    assert ">登录</a>" in page and 'href="/import"' not in page and "退出" not in page
    login(client, READER, PW_RD)
    page = html(client.get("/units"))
    assert READER in page and "退出" in page and 'href="/import"' not in page and ">登录</a>" not in page
    logout(client)
    login(client, EDITOR, PW_ED)
    page = html(client.get("/"))
    assert 'href="/import">导入</a>' in page and EDITOR in page


def test_login_logout_and_a_copied_cookie_dies_with_the_session(accounts, app, client):
    bad = login(client, EDITOR, "wrong password")
    assert bad.status_code == 401 and "用户名或密码不正确" in html(bad)
    assert login(client, EDITOR, PW_ED).status_code == 303
    cookie = client.get_cookie("session").value
    # the signed cookie holds only the random session id and the CSRF token
    assert set(app.session_interface.get_signing_serializer(app).loads(cookie)) == {"sid", "csrf"}
    copy = app.test_client()
    copy.set_cookie("session", cookie)
    assert 'type="file"' in html(copy.get("/import"))  # the copy works while the session lives
    assert logout(client).status_code == 303
    assert session_rows(app) == 0
    assert 'type="file"' not in html(client.get("/import"))
    assert 'type="file"' not in html(copy.get("/import")) and ">登录</a>" in html(copy.get("/"))


def test_a_new_login_gets_a_new_session_id(accounts, client):
    login(client, READER, PW_RD)
    first = client.get_cookie("session").value
    login(client, EDITOR, PW_ED)
    assert client.get_cookie("session").value != first
    assert EDITOR in html(client.get("/"))


def test_users_remove_and_passwd_end_live_sessions(accounts, client, app_cli):
    with accounts.extensions["archive.datadir"].records() as records:
        Accounts(records.conn).add("another-editor", "editor", PW_ED)  # import stays on
    login(client, EDITOR, PW_ED)
    assert EDITOR in html(client.get("/"))
    r = app_cli("users", "remove", EDITOR)
    assert r.exit_code == 0
    assert EDITOR not in html(client.get("/")) and upload(client).status_code == 401
    login(client, READER, PW_RD)
    assert READER in html(client.get("/"))
    from click.testing import CliRunner

    from archive.cli.main import cli
    r = CliRunner().invoke(cli, ["--data", str(accounts.config["DATA_DIR"]), "users", "passwd", READER,
                                 "--password-stdin"], input="a-new-password\n")
    assert r.exit_code == 0, r.output
    assert READER not in html(client.get("/"))
    assert login(client, READER, "a-new-password").status_code == 303


def test_failed_logins_are_rate_limited_per_account_and_per_address(accounts, client, app, caplog):
    logger = logging.getLogger("archive.web.auth")
    logger.addHandler(caplog.handler)  # the CLI's logging setup may have stopped propagation
    try:
        with caplog.at_level(logging.WARNING, logger="archive.web.auth"):
            for _ in range(5):
                assert login(client, EDITOR, "wrong-password-x").status_code == 401
            r = login(client, EDITOR, PW_ED)  # the right password, too late
            assert r.status_code == 429 and "登录失败次数过多" in html(r) and "分钟后再试" in html(r)
            assert 0 < int(r.headers["Retry-After"]) <= 900
            # the account, from another address too
            other = app.test_client()
            assert login(other, EDITOR, PW_ED, environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 429
            # another account from the first address: the address is limited as well? 5 failures were from it
            assert login(client, READER, PW_RD).status_code == 429
            # another account from another address: fine
            assert login(other, READER, PW_RD, environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 303
    finally:
        logger.removeHandler(caplog.handler)
    logged = caplog.text
    assert "failed login for account" in logged and EDITOR in logged and "too many failed logins" in logged
    assert "wrong-password-x" not in logged and PW_ED not in logged and PW_RD not in logged


def test_the_address_is_limited_whatever_the_names(accounts, app):
    c = app.test_client()
    for i in range(5):
        assert login(c, f"guess{i}", "whatever-pass", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 401
    assert login(c, READER, PW_RD, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 429


def test_passwords_are_never_stored_or_logged(accounts, client, app, caplog):
    logger = logging.getLogger("archive")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG, logger="archive"):
            login(client, EDITOR, "wrong-password-y")
            login(client, EDITOR, PW_ED)
            token = token_of(app, EDITOR)
            client.get("/api/search?q=党史", headers={"Authorization": f"Bearer {token}"})
    finally:
        logger.removeHandler(caplog.handler)
    sid = app.session_interface.get_signing_serializer(app).loads(client.get_cookie("session").value)["sid"]
    data = Path(app.config["DATA_DIR"])
    stored = b"".join(p.read_bytes() for p in data.glob("archive.sqlite3*"))
    for secret in (PW_ED, PW_RD, "wrong-password-y", token, sid):
        assert secret.encode() not in stored, secret
        assert secret not in caplog.text


def test_csrf_is_checked_on_login_and_logout(accounts, client):
    assert client.post("/login", data={"name": EDITOR, "password": PW_ED}).status_code == 400
    client.get("/login")
    assert client.post("/login", data={"name": EDITOR, "password": PW_ED, "csrf_token": "forged"}).status_code == 400
    login(client, EDITOR, PW_ED)
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert EDITOR in html(client.get("/"))  # still logged in
    assert upload(client, csrf_token="forged").status_code == 400


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "\\\\evil",
                                    "javascript:alert(1)", "/\r\nSet-Cookie:x", "evil.example", "/login?next=//x",
                                    "/ /evil", "http:/evil.example"])
def test_next_never_leaves_the_site(accounts, client, target):
    r = login(client, READER, PW_RD, next_=target)
    assert r.status_code == 303 and r.headers["Location"] == "/"


def test_next_goes_back_to_the_page_asked_for(accounts, client):
    r = client.get("/import/jobs/x?a=1")
    assert r.headers["Location"] == "/login?next=/import/jobs/x?a%3D1"
    form = html(client.get(r.headers["Location"]))
    assert 'name="next" value="/import/jobs/x?a=1"' in form
    assert login(client, EDITOR, PW_ED, next_="/units?x=1").headers["Location"] == "/units?x=1"


def test_per_user_api_tokens(accounts, app, client):
    editor, reader = token_of(app, EDITOR), token_of(app, READER)
    r = api_upload(client, {"Authorization": f"Bearer {editor}"})
    assert r.status_code == 202
    assert client.get(r.get_json()["url"], headers={"Authorization": f"Bearer {editor}"}).status_code == 200
    assert client.get(r.get_json()["url"], headers={"Authorization": f"Bearer {reader}"}).status_code == 403
    assert api_upload(client, {"Authorization": f"Bearer {reader}"}).status_code == 403
    assert api_upload(client, {"Authorization": "Bearer arc_made-up"}).status_code == 401
    with app.extensions["archive.datadir"].records() as records:
        Accounts(records.conn).revoke_tokens(EDITOR)
    assert api_upload(client, {"Authorization": f"Bearer {editor}"}).status_code == 401


def test_a_login_session_does_not_post_to_the_api(accounts, client):
    """/api/import takes a Bearer token only: a form post carrying just the cookie has no CSRF field."""
    login(client, EDITOR, PW_ED)
    assert api_upload(client, {}).status_code == 401


def test_the_admin_token_still_works_as_the_built_in_editor(editor_app, client):
    assert api_upload(client, AUTH).status_code == 202
    page = html(client.get("/import"))
    assert 'name="token"' in page and 'href="/login?next=/import"' in page
    r = client.post("/import/login", data={"token": TOKEN, "csrf_token": csrf(client.get("/import"))})
    assert r.status_code == 303 and session_rows(editor_app) == 1  # a server-side session
    assert "admin" in html(client.get("/")) and 'href="/import">导入</a>' in html(client.get("/"))
    cookie = client.get_cookie("session").value
    client.post("/import/logout", data={"csrf_token": csrf(client.get("/import"))})
    assert session_rows(editor_app) == 0
    copy = editor_app.test_client()
    copy.set_cookie("session", cookie)
    assert 'type="file"' not in html(copy.get("/import"))


def test_the_admin_token_form_is_rate_limited(editor_app, client):
    for _ in range(5):
        r = client.post("/import/login", data={"token": "wrong", "csrf_token": csrf(client.get("/import"))})
        assert r.status_code == 401
    r = client.post("/import/login", data={"token": TOKEN, "csrf_token": csrf(client.get("/import"))})
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_the_cookie_is_httponly_lax_and_secure_over_https(accounts, app):
    c = app.test_client()
    login(c, READER, PW_RD)
    plain = c.get_cookie("session")
    assert plain.http_only and plain.same_site == "Lax" and not plain.secure
    s = app.test_client()
    r = login(s, READER, PW_RD, base_url="https://localhost")
    cookie = [v for k, v in r.headers.items() if k == "Set-Cookie" and v.startswith("session=")][-1]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # X-Forwarded-Proto is believed only from a configured proxy
    forwarded = login(app.test_client(), READER, PW_RD, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in forwarded.headers.get("Set-Cookie", "")


def test_a_configured_proxy_is_believed(samples_copy):
    from archive.web import create_app
    app = create_app({"TESTING": True, "DATA_DIR": str(samples_copy), "SECRET_KEY": "t", "TRUSTED_PROXY": "127.0.0.1"})
    try:
        with app.extensions["archive.datadir"].records() as records:
            Accounts(records.conn).add(READER, "reader", PW_RD)
        c = app.test_client()
        r = login(c, READER, PW_RD, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.1.1"})
        assert "Secure" in r.headers["Set-Cookie"]
    finally:
        app.extensions["archive.jobs"].close(kill=True)
        app.extensions["archive.renderer"].close()
        app.extensions["archive.search"].close()


def test_require_login_lets_anonymous_see_only_the_login_page(accounts, app, client):
    app.config["REQUIRE_LOGIN"] = True
    for url in ("/", "/?q=党史", "/units", "/items/2021-005-001", "/issues/2021-005/pages/1.png", "/nowhere",
                "/import", "/report.csv?q=党史"):
        r = client.get(url)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login"), url
    assert client.get("/").headers["Location"] == "/login"
    for url in ("/api/search?q=党史", "/api/units", "/api/items/2021-005-001", "/api/nowhere"):
        r = client.get(url)
        assert r.status_code == 401 and "需要登录" in r.get_json()["error"], url
    assert client.get("/static/app.css").status_code == 200
    page = html(client.get("/login"))
    assert "仅对登录用户开放" in page and 'name="password"' in page and 'href="/import"' not in page
    # a reader's API token reads
    token = token_of(app, READER)
    assert client.get("/api/search?q=党史", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # logged in: everything a reader may
    r = login(client, READER, PW_RD, next_="/?q=党史")
    assert r.headers["Location"] == "/?q=%E5%85%9A%E5%8F%B2"  # 党史, quoted
    assert "<mark>党史</mark>" in html(client.get("/?q=党史"))
    assert client.get("/api/search?q=党史").status_code == 200
    src = re.search(r'href="(/issues/2021-005/pages/1\.png\?v=[^"]+)"', html(client.get("/issues/2021-005/pages/1")))
    img = client.get(src.group(1).replace("&amp;", "&"))  # cached for a year, by the browser only
    assert img.status_code == 200 and "private" in img.headers["Cache-Control"]
    assert "public" not in img.headers["Cache-Control"]
    logout(client)
    assert client.get("/units").status_code == 302


def test_the_editor_token_logs_in_to_a_private_archive(app, client):
    """With login required and only the editor token configured (no accounts), the login page
    offers the token's form, and the token logs in as the built-in editor."""
    app.config.update(REQUIRE_LOGIN=True, ADMIN_TOKEN=TOKEN)
    page = client.get("/login")
    assert 'action="/import/login"' in html(page)
    assert client.post("/import/login", data={"token": "wrong", "csrf_token": csrf(page)}).status_code == 401
    assert client.get("/").status_code == 302
    r = client.post("/import/login", data={"token": TOKEN, "csrf_token": csrf(client.get("/login"))})
    assert r.status_code == 303
    assert client.get("/?q=党史").status_code == 200 and client.get("/import").status_code == 200
    app.config["ADMIN_TOKEN"] = None
    assert 'action="/import/login"' not in html(client.get("/login"))


def test_require_login_from_the_environment_and_serve_private(samples_copy, monkeypatch, app_cli):
    from archive.web import create_app
    monkeypatch.setenv("ARCHIVE_REQUIRE_LOGIN", "1")
    app = create_app({"TESTING": True, "DATA_DIR": str(samples_copy), "SECRET_KEY": "t"})
    try:
        assert app.config["REQUIRE_LOGIN"] is True
        assert app.test_client().get("/api/search?q=党史").status_code == 401
    finally:
        app.extensions["archive.jobs"].close(kill=True)
        app.extensions["archive.renderer"].close()
        app.extensions["archive.search"].close()
    monkeypatch.delenv("ARCHIVE_REQUIRE_LOGIN")
    calls = {}
    import archive.web as webapp
    monkeypatch.setattr(webapp, "serve", lambda settings, **kw: calls.update(settings=settings, **kw))
    r = app_cli("serve", "--private", "--port", "8766")
    assert r.exit_code == 0 and calls["settings"].require_login is True and "private" in r.output
    calls.clear()
    app_cli("serve", "--port", "8766")
    assert calls["settings"].require_login is False
